//! Organisation API keys for CI pipelines: create (secret shown once), list, revoke.

pub mod service;
