//! Who is calling and what they may do: passwords, JWTs, hashed secrets, rate limits and the
//! typed extractors handlers declare in their signatures.

pub mod extract;
pub mod jwt;
pub mod password;
pub mod ratelimit;
pub mod routes;
pub mod secret;

pub use extract::{
    AdminRole, AuthUser, ClientInfo, OrgAccess, OrgAdmin, OrgPublisher, OrgViewer, PublisherRole, Role, ViewerRole,
};
