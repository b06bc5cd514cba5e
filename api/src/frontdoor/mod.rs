//! A portal's front door: what it shows before anyone signs in (name, description, logo,
//! contact, as its settings allow) and the "Request access" form behind it, with the admins' side
//! (logo upload, deciding requests). It sits above `portal` (it creates access tokens through
//! the portal's rules) and `notify` (it tells the admins), so neither of them depends on it.
pub mod requests;
pub mod routes;

pub use routes::AccessRequestLimiter;
