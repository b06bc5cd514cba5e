//! Who is calling and what they may do: passwords, JWTs, hashed secrets, rate limits and the
//! typed extractors handlers declare in their signatures.

pub mod account;
pub mod apikey;
pub mod extract;
pub mod jwt;
pub mod login;

pub mod ratelimit;

pub mod seal;
pub mod secret;
pub mod totp;

pub use apikey::ApiScope;
pub use extract::{
    AdminRole, ApiKeyUploader, AuthUser, Caller, OrgAccess, OrgAdmin, OrgCaller, OrgPublisher, OrgViewer, Publish,
    PublisherRole, ReadCatalogue, Role, Upload, ViewerRole,
};

/// Authentication's shared parts (registered as app data): the JWT keys and the login throttle.
pub struct AuthState {
    pub jwt: jwt::JwtKeys,
    pub login_limiter: ratelimit::LoginLimiter,
}

impl AuthState {
    pub fn new(settings: &crate::config::Settings) -> Self {
        AuthState {
            jwt: jwt::JwtKeys::new(secrecy::ExposeSecret::expose_secret(&settings.jwt_secret)),
            login_limiter: ratelimit::LoginLimiter::new(
                settings.login_attempts_per_ip_per_minute,
                settings.login_attempts_per_account_per_minute,
            ),
        }
    }
}
