//! Personal data in the log (client addresses, user agents) is for admins only: one rule, applied
//! by every read that can carry it (the audit list, proof of delivery, statistics, token usage).
//! Viewers and publishers get the same events with those fields empty.

use crate::domain::Role;

/// Whether members of `role` may see client addresses and user agents.
pub fn may_see_personal_data(role: Role) -> bool {
    role == Role::Admin
}

/// Empties the personal fields of audit events for callers who may not see them.
pub fn redact_events(role: Role, events: &mut [super::model::AuditEvent]) {
    if !may_see_personal_data(role) {
        for e in events {
            e.ip = None;
            e.user_agent = None;
        }
    }
}

/// Empties the addresses of deliveries for callers who may not see them.
pub fn redact_deliveries(role: Role, deliveries: &mut [super::model::Delivery]) {
    if !may_see_personal_data(role) {
        for d in deliveries {
            d.ip = None;
        }
    }
}

/// What one erasure pass changed (rows).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Erasure {
    pub audit_events: usize,
    pub hourly_address_rollups: usize,
    pub member_sessions: usize,
    pub customer_sessions: usize,
    pub tokens_last_address: usize,
}

/// Erases client addresses and user agents recorded before `cutoff` (UTC), everywhere they are
/// kept: audit events (only `ip` and `user_agent` become NULL — the database's append-only
/// trigger allows exactly that update and no other; event, actor, object and SHA-256 stay), the
/// hourly per-address rollup behind the sharing signal (those rows are deleted: they exist only
/// for the address), ended member sessions, customer sessions, and tokens' last-used address
/// when the last use is that old. Nothing else is touched.
pub fn erase_before(
    conn: &mut crate::db::DbConnection,
    cutoff: chrono::NaiveDateTime,
) -> crate::error::ApiResult<Erasure> {
    use crate::db::schema::*;
    use diesel::prelude::*;
    crate::db::write_turn(conn, |c| {
        crate::db::transaction(c, |c| {
            let audit_events = diesel::update(audit_events::table)
                .filter(audit_events::occurred_at.lt(cutoff))
                .filter(audit_events::ip.is_not_null().or(audit_events::user_agent.is_not_null()))
                .set((audit_events::ip.eq(None::<String>), audit_events::user_agent.eq(None::<String>)))
                .execute(c)?;
            let hourly_address_rollups =
                diesel::delete(audit_hourly_ips::table.filter(audit_hourly_ips::hour.lt(cutoff))).execute(c)?;
            let member_sessions = diesel::update(user_sessions::table)
                .filter(user_sessions::created_at.lt(cutoff))
                .filter(user_sessions::expires_at.lt(cutoff).or(user_sessions::revoked_at.lt(cutoff)))
                .filter(user_sessions::ip.is_not_null().or(user_sessions::user_agent.is_not_null()))
                .set((user_sessions::ip.eq(None::<String>), user_sessions::user_agent.eq(None::<String>)))
                .execute(c)?;
            let customer_sessions = diesel::update(portal_sessions::table)
                .filter(portal_sessions::created_at.lt(cutoff))
                .filter(portal_sessions::ip.is_not_null())
                .set(portal_sessions::ip.eq(None::<String>))
                .execute(c)?;
            let tokens_last_address = diesel::update(access_tokens::table)
                .filter(access_tokens::last_used_at.lt(cutoff))
                .filter(access_tokens::last_used_ip.is_not_null())
                .set(access_tokens::last_used_ip.eq(None::<String>))
                .execute(c)?;
            Ok(Erasure {
                audit_events,
                hourly_address_rollups,
                member_sessions,
                customer_sessions,
                tokens_last_address,
            })
        })
    })
}

/// [`erase_before`] for data older than `days` days.
pub fn erase_older_than(conn: &mut crate::db::DbConnection, days: i64) -> crate::error::ApiResult<Erasure> {
    erase_before(conn, crate::time::now() - chrono::Duration::days(days))
}
