//! The audit trail: every action writes its event in the same transaction as the change.

pub mod denied;
pub mod event;
pub mod model;
pub mod objects;
pub mod privacy;
pub mod query;
pub mod rollups;

pub use event::*;
