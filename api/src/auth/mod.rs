//! Who is calling and what they may do: passwords, JWTs, hashed secrets, rate limits and the
//! typed extractors handlers declare in their signatures.

pub mod apikey;
pub mod extract;
pub mod jwt;
pub mod password;
pub mod ratelimit;
pub mod routes;
pub mod secret;

pub use apikey::ApiScope;
pub use extract::{
    AdminRole, ApiKeyUploader, AuthUser, Caller, ClientInfo, OrgAccess, OrgAdmin, OrgCaller, OrgPublisher, OrgViewer,
    Publish, PublisherRole, ReadCatalogue, Role, Upload, ViewerRole,
};
