use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::auth::ratelimit::LoginLimiter;
use crate::config::Settings;
use crate::db::Pool;
use crate::storage::BlobStore;

/// Everything a handler may need, shared by all workers.
pub struct AppState {
    pub settings: Arc<Settings>,
    pub pool: Pool,
    pub blobs: BlobStore,
    pub jwt: JwtKeys,
    pub login_limiter: LoginLimiter,
    /// Portal session creation per client address.
    pub portal_sessions: LoginLimiter,
    /// Failed access-token presentations per client address.
    pub portal_failures: crate::portal::reader::FailureLimiter,
    /// Credential-sharing signals, recomputed at most once a minute per organisation.
    pub signal_cache: crate::stats::service::SignalCache,
}

impl AppState {
    pub fn new(settings: Settings, pool: Pool, blobs: BlobStore) -> Self {
        let jwt = JwtKeys::new(settings.jwt_secret.expose());
        let login_limiter = LoginLimiter::new(
            settings.login_attempts_per_ip_per_minute,
            settings.login_attempts_per_account_per_minute,
        );
        let portal_sessions = LoginLimiter::new(settings.portal_sessions_per_ip_per_minute, u32::MAX);
        let portal_failures =
            crate::portal::reader::FailureLimiter::new(settings.portal_token_failures_per_ip_per_minute);
        AppState {
            settings: Arc::new(settings),
            pool,
            blobs,
            jwt,
            login_limiter,
            portal_sessions,
            portal_failures,
            signal_cache: Default::default(),
        }
    }
}
