//! Refused requests (401, 403, 429) are audited in aggregate, so a flood of them cannot flood the
//! log: requests are counted in memory per (organisation or portal, reason, caller's address
//! group), and every `PORTAL_DENIED_FLUSH_SECS` (60) each count becomes one `access.denied`
//! event with `count`, the first and last time and a sample route. A server stopped between two
//! flushes loses at most that window's counts.

use std::collections::HashMap;
use std::sync::Mutex;

use diesel::prelude::*;

use super::{Action, Actor, Category, Event, Outcome};
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;

/// Distinct keys kept between flushes; beyond, callers are counted together as `*`.
const MAX_KEYS: usize = 10_000;

/// Whose resources were asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `/api/v1/orgs/{slug}/…`
    Org(String),
    /// `/api/v1/portal/{slug}/…`
    Portal(String),
    /// Anything else (sign-in, the instance's `/.well-known/` URLs).
    Instance,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    scope: Scope,
    reason: &'static str,
    caller: String,
}

#[derive(Debug, Clone)]
struct Tally {
    count: u64,
    status: u16,
    first: chrono::NaiveDateTime,
    last: chrono::NaiveDateTime,
    route: String,
    user_agent: Option<String>,
    request_id: Option<String>,
}

#[derive(Default)]
pub struct DeniedLog(Mutex<HashMap<Key, Tally>>);

/// The reason a status stands for.
fn reason(status: u16) -> Option<&'static str> {
    match status {
        401 => Some("unauthenticated"),
        403 => Some("forbidden"),
        429 => Some("rate_limited"),
        _ => None,
    }
}

/// The scope a request path names.
pub fn scope_of(path: &str) -> Scope {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("api"), Some("v1"), Some("orgs"), Some(slug)) if !slug.is_empty() => Scope::Org(slug.to_string()),
        (Some("api"), Some("v1"), Some("portal"), Some(slug)) if !slug.is_empty() => Scope::Portal(slug.to_string()),
        _ => Scope::Instance,
    }
}

impl DeniedLog {
    /// Counts a response if it is a refusal. `route`: the matched pattern (never the raw path,
    /// which may carry ids a caller made up).
    pub fn note(&self, status: u16, path: &str, route: Option<&str>, client: &ClientInfo) {
        let Some(reason) = reason(status) else { return };
        let now = crate::time::now();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut key = Key { scope: scope_of(path), reason, caller: crate::client::address_group(&client.ip) };
        if map.len() >= MAX_KEYS && !map.contains_key(&key) {
            key.caller = "*".into();
        }
        let tally = map.entry(key).or_insert_with(|| Tally {
            count: 0,
            status,
            first: now,
            last: now,
            route: route.unwrap_or("(unmatched)").to_string(),
            user_agent: None,
            request_id: None,
        });
        tally.count += 1;
        tally.last = now;
        tally.user_agent = client.user_agent.clone();
        tally.request_id = client.request_id.clone();
    }

    /// Writes one event per counted key and starts counting afresh. Returns the events written.
    pub fn flush(&self, conn: &mut DbConnection) -> ApiResult<usize> {
        let taken = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        if taken.is_empty() {
            return Ok(0);
        }
        let n = taken.len();
        crate::db::write_turn(conn, |conn| {
            crate::db::transaction(conn, |c| {
                for (key, t) in &taken {
                    let org_id: Option<String> = match &key.scope {
                        Scope::Org(slug) => organizations::table
                            .filter(organizations::slug.eq(slug))
                            .select(organizations::id)
                            .first(c)
                            .optional()?,
                        Scope::Portal(slug) => {
                            portals::table.filter(portals::slug.eq(slug)).select(portals::org_id).first(c).optional()?
                        }
                        Scope::Instance => None,
                    };
                    let client = ClientInfo {
                        ip: key.caller.clone(),
                        user_agent: t.user_agent.clone(),
                        request_id: t.request_id.clone(),
                    };
                    let category =
                        if matches!(key.scope, Scope::Portal(_)) { Category::Portal } else { Category::Auth };
                    Event::new(org_id.as_deref(), category, Action::AccessDenied, Actor::Anonymous, &client)
                        .outcome(Outcome::Denied)
                        .details(serde_json::json!({
                            "reason": key.reason,
                            "status": t.status,
                            "count": t.count,
                            "first_at": crate::time::utc(t.first),
                            "last_at": crate::time::utc(t.last),
                            "route": t.route,
                            "unknown_organisation": org_id.is_none() && key.scope != Scope::Instance,
                        }))
                        .record(c)?;
                }
                Ok(())
            })
        })?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_scope() {
        assert_eq!(scope_of("/api/v1/orgs/acme/members"), Scope::Org("acme".into()));
        assert_eq!(scope_of("/api/v1/portal/acme/products"), Scope::Portal("acme".into()));
        assert_eq!(scope_of("/api/v1/auth/login"), Scope::Instance);
        assert_eq!(scope_of("/.well-known/csaf/provider-metadata.json"), Scope::Instance);
    }

    #[test]
    fn refusals_are_counted_per_key() {
        let log = DeniedLog::default();
        let c = ClientInfo { ip: "2001:db8::1".into(), user_agent: None, request_id: None };
        let d = ClientInfo { ip: "2001:db8::2".into(), user_agent: None, request_id: None };
        for _ in 0..3 {
            log.note(401, "/api/v1/portal/acme/products", None, &c);
        }
        log.note(401, "/api/v1/portal/acme/products", None, &d);
        log.note(200, "/api/v1/portal/acme/products", None, &c);
        log.note(403, "/api/v1/portal/acme/products", None, &c);
        let map = log.0.lock().unwrap_or_else(|p| p.into_inner());
        assert_eq!(map.len(), 2, "one /64, two reasons");
        assert_eq!(map.values().map(|t| t.count).sum::<u64>(), 5);
    }
}
