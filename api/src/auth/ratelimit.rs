//! Sign-in throttling that cannot lock the owner out.
//!
//! - Every attempt counts against the client's address group (GCRA via `governor`; an IPv6 client
//!   is its /64, so rotating through one's own prefix gains nothing).
//! - Failures slow down the (normalised e-mail, address group) pair only: after a few free
//!   failures each further one doubles the wait (2 s … 15 min), answered 429 with `Retry-After`.
//!   An attacker elsewhere never delays the owner, and on the same pair the owner gets in once
//!   the wait has passed. A success clears the pair.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// The longest a pair waits between attempts.
const MAX_DELAY: Duration = Duration::from_secs(15 * 60);

pub use crate::client::address_group;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    until: Instant,
}

pub struct LoginLimiter {
    per_address: DefaultKeyedRateLimiter<String>,
    /// (normalised e-mail, address group) → failures and when the next attempt is allowed.
    failures: moka::sync::Cache<(String, String), Failures>,
    free_failures: u32,
    checks: std::sync::atomic::AtomicU64,
}

impl LoginLimiter {
    /// `per_address_per_minute` attempts per address group; `free_failures` failures per
    /// (account, address group) before the waits begin.
    pub fn new(per_address_per_minute: u32, free_failures: u32) -> Self {
        let q = Quota::per_minute(NonZeroU32::new(per_address_per_minute.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            per_address: RateLimiter::keyed(q),
            failures: moka::sync::Cache::builder()
                .time_to_idle(Duration::from_secs(3600))
                .max_capacity(200_000)
                .build(),
            free_failures,
            checks: Default::default(),
        }
    }

    /// Counts one attempt from `ip` for `account` (already normalised); 429 with Retry-After
    /// while the address is over its budget or the pair must still wait.
    pub fn check(&self, ip: &str, account: Option<&str>) -> Result<(), ApiError> {
        if self.checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 4096 == 4095 {
            self.per_address.retain_recent();
        }
        let group = address_group(ip);
        if let Some(account) = account {
            if let Some(f) = self.failures.get(&(account.to_string(), group.clone())) {
                let now = Instant::now();
                if f.until > now {
                    return Err(ApiError::TooManyRequests {
                        message: "too many failed sign-ins for this account from this address; wait and retry".into(),
                        retry_after_secs: (f.until - now).as_secs() + 1,
                    });
                }
            }
        }
        if let Err(nu) = self.per_address.check_key(&group) {
            return Err(ApiError::TooManyRequests {
                message: "too many attempts from this address; retry later".into(),
                retry_after_secs: nu.wait_time_from(DefaultClock::default().now()).as_secs() + 1,
            });
        }
        Ok(())
    }

    /// A failed attempt: the pair waits longer each time once its free failures are spent.
    pub fn failed(&self, ip: &str, account: &str) {
        let key = (account.to_string(), address_group(ip));
        let count = self.failures.get(&key).map_or(0, |f| f.count) + 1;
        let delay = match count.checked_sub(self.free_failures) {
            None | Some(0) => Duration::ZERO,
            Some(n) => Duration::from_secs(1u64 << n.min(10)).min(MAX_DELAY),
        };
        self.failures.insert(key, Failures { count, until: Instant::now() + delay });
    }

    /// A success clears the pair.
    pub fn succeeded(&self, ip: &str, account: &str) {
        self.failures.invalidate(&(account.to_string(), address_group(ip)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_is_grouped_by_64() {
        assert_eq!(address_group("2001:db8:1:2:aaaa::1"), address_group("2001:db8:1:2:bbbb::9"));
        assert_ne!(address_group("2001:db8:1:2::1"), address_group("2001:db8:1:3::1"));
        assert_eq!(address_group("::ffff:10.0.0.1"), "10.0.0.1");
        assert_eq!(address_group("10.0.0.1"), "10.0.0.1");
    }

    #[test]
    fn failures_delay_the_pair_only() {
        let l = LoginLimiter::new(1000, 2);
        for _ in 0..3 {
            assert!(l.check("10.0.0.1", Some("a@x")).is_ok());
            l.failed("10.0.0.1", "a@x");
        }
        assert!(l.check("10.0.0.1", Some("a@x")).is_err(), "the pair waits");
        assert!(l.check("10.0.0.2", Some("a@x")).is_ok(), "the owner elsewhere does not");
        assert!(l.check("10.0.0.1", Some("b@x")).is_ok(), "other accounts do not");
        l.succeeded("10.0.0.1", "a@x");
        assert!(l.check("10.0.0.1", Some("a@x")).is_ok());
    }
}
