//! Portal statistics from the daily rollup (never a scan of the whole log), per-token usage and
//! credential-sharing signals.
pub mod model;
pub mod overview;
pub mod routes;
pub mod service;
pub mod signals;
