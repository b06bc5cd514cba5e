//! Products and their versions: what artifacts are filed under and what the portal shows.
pub mod model;

pub mod service;
pub mod store;
