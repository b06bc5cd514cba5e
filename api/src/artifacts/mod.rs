//! Artifacts: SBOMs, VEX, CSAF advisories and documents of a product version — uploaded (streamed
//! into the blob store while hashed), validated, and moved through draft → published → withdrawn.
pub mod changes;
pub mod download;
pub mod facts;
pub mod index;
pub mod intake;
pub mod labels;
pub mod model;

pub mod service;
pub mod store;
pub mod views;
