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
