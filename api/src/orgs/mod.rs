//! Organisations, users and memberships; first-run setup.
pub mod model;

pub mod service;
pub mod store;
