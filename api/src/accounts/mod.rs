//! Account lifecycle beyond signing in (issue 15): invitations, admin-issued reset links,
//! "forgot password" by e-mail, and single sign-on through an OpenID provider.
//!
//! A feature above `orgs`, `auth` and `notify` (it sends its e-mails through notify's sender),
//! so none of them depends on it. The links are `links.rs`; the secrets in them are never stored
//! (only SHA-256) nor queued in the outbox: e-mails carrying them are sent at once.

pub mod invitations;
pub mod links;
pub mod oidc;
pub mod resets;
pub mod routes;

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::ratelimit::address_group;
use crate::error::{ApiError, ApiResult};

/// "Forgot password" requests per client address group: 10 an hour (well-formed ones only).
pub struct ResetRequestLimiter(DefaultKeyedRateLimiter<String>);

impl Default for ResetRequestLimiter {
    fn default() -> Self {
        Self(RateLimiter::keyed(Quota::per_hour(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN))))
    }
}

impl ResetRequestLimiter {
    pub fn check(&self, ip: &str) -> ApiResult<()> {
        self.0.check_key(&address_group(ip)).map_err(|_| ApiError::TooManyRequests {
            message: "too many password reset requests from this address; try again later".into(),
            retry_after_secs: 3600,
        })
    }
}

/// Sends a plain-text e-mail now, in the background; the outcome is logged (never the text: it
/// carries a one-time link). False when no mail server is configured.
pub fn send_mail(settings: &crate::config::Settings, to: String, subject: String, text: String) -> bool {
    if settings.notify.smtp_url.is_none() {
        return false;
    }
    let sender = match crate::notify::send::Sender::new(&settings.notify, &settings.public_url) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "account e-mail not sent: mail settings unusable");
            return false;
        }
    };
    actix_web::rt::spawn(async move {
        match sender.send_text(&to, &subject, text).await {
            crate::notify::outbox::Outcome::Done => tracing::info!(subject = %subject, "account e-mail sent"),
            other => tracing::warn!(subject = %subject, outcome = ?other, "account e-mail not sent"),
        }
    });
    true
}
