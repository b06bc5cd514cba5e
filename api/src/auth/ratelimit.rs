//! Login throttling per client IP and per account (GCRA via `governor`).

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

pub struct LoginLimiter {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
    checks: std::sync::atomic::AtomicU64,
}

impl LoginLimiter {
    pub fn new(per_ip_per_minute: u32, per_account_per_minute: u32) -> Self {
        let q = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            per_ip: RateLimiter::keyed(q(per_ip_per_minute)),
            per_account: RateLimiter::keyed(q(per_account_per_minute)),
            checks: Default::default(),
        }
    }

    /// Counts one attempt for `ip` and (when given) `account`; 429 with Retry-After when over.
    pub fn check(&self, ip: &str, account: Option<&str>) -> Result<(), ApiError> {
        if self.checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 4096 == 4095 {
            self.housekeeping();
        }
        let wait = |nu: governor::NotUntil<<DefaultClock as Clock>::Instant>| {
            nu.wait_time_from(DefaultClock::default().now()).as_secs() + 1
        };
        if let Err(nu) = self.per_ip.check_key(&ip.to_string()) {
            return Err(ApiError::TooManyRequests {
                message: "too many attempts from this address; retry later".into(),
                retry_after_secs: wait(nu),
            });
        }
        if let Some(account) = account {
            if let Err(nu) = self.per_account.check_key(&account.to_ascii_lowercase()) {
                return Err(ApiError::TooManyRequests {
                    message: "too many attempts for this account; retry later".into(),
                    retry_after_secs: wait(nu),
                });
            }
        }
        Ok(())
    }

    /// Drops state for keys that are back to full quota (every few thousand checks).
    fn housekeeping(&self) {
        self.per_ip.retain_recent();
        self.per_account.retain_recent();
    }
}
