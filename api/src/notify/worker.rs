//! The delivery worker: claims due notifications from the outbox, sends each, and records every
//! attempt (the row's status and an audit event), with exponential backoff and a dead letter.
//! Also the scheduled check that queues `token.expiring`. Started by `jobs` for every server
//! process; replicas share the work through the outbox's claims.

use std::sync::Arc;

use diesel::prelude::*;

use super::model::*;
use super::outbox::{self, Notification, Outcome};
use super::send::Sender;
use super::subscriptions;
use crate::audit::{Action, Actor, Category, Event, Outcome as AuditOutcome};
use crate::client::ClientInfo;
use crate::db::{self, schema::*, DbConnection};
use crate::error::ApiResult;
use crate::portal::settings;
use crate::portal::tokens::AccessToken;
use crate::state::AppState;
use crate::time::now;

fn system_client() -> ClientInfo {
    ClientInfo { ip: "server".into(), user_agent: Some("delivery worker".into()), request_id: None }
}

/// One pass: claims up to 20 due notifications and sends them. Returns how many were attempted.
pub async fn deliver_due(st: &Arc<AppState>, sender: &Arc<Sender>) -> ApiResult<usize> {
    let cfg = st.settings.notify.clone();
    let lease = cfg.webhook_timeout_secs as i64 + 60;
    let mail = sender.mail_configured();
    let batch = db::tx(&st.pool, move |c| outbox::claim(c, 20, lease, mail)).await?;
    let count = batch.len();
    let kek: Vec<u8> = secrecy::ExposeSecret::expose_secret(&st.settings.key_encryption_key).to_vec();
    for n in batch {
        let secret = match &n.subscription_id {
            Some(sid) if n.channel == Channel::Webhook => {
                let sid = sid.clone();
                let kek = kek.clone();
                db::run(&st.pool, move |c| match subscriptions::by_id(c, &sid)? {
                    Some(s) => subscriptions::secret_of(&kek, &s),
                    None => Ok(None),
                })
                .await?
            }
            _ => None,
        };
        let outcome = sender.send(&n, secret.as_deref()).await;
        let (base, max) = (cfg.retry_base_secs, cfg.max_attempts);
        db::tx(&st.pool, move |c| record(c, &n, &outcome, base, max)).await?;
    }
    Ok(count)
}

/// Stores an attempt's outcome and its audit event (none for a hold: nothing was attempted).
fn record(conn: &mut DbConnection, n: &Notification, outcome: &Outcome, base: i64, max: i32) -> ApiResult<()> {
    let status = outbox::finish(conn, n, outcome, base, max)?;
    let (action, result) = match status {
        DeliveryStatus::Sent | DeliveryStatus::Delivered => (Action::NotificationSent, AuditOutcome::Success),
        DeliveryStatus::Dead => (Action::NotificationDead, AuditOutcome::Failed),
        DeliveryStatus::Failed => (Action::NotificationFailed, AuditOutcome::Failed),
        _ => return Ok(()),
    };
    let error = match outcome {
        Outcome::Failed(e) => Some(e.as_str()),
        _ => None,
    };
    Event::new(Some(&n.org_id), Category::Notification, action, Actor::System, &system_client())
        .outcome(result)
        .details(serde_json::json!({
            "notification_id": n.id, "event_type": n.event_type, "channel": n.channel,
            "target": n.target, "token_id": n.token_id, "attempt": n.attempts + 1,
            "status": status, "error": error,
        }))
        .record(conn)?;
    Ok(())
}

/// Queues `token.expiring` for live tokens whose expiry is within one of the organisation's
/// warning days (14 and 3 by default), once per warning and expiry. Returns how many were queued.
pub fn expiry_tick(conn: &mut DbConnection) -> ApiResult<usize> {
    let at = now();
    let horizon = at + chrono::Duration::days(366);
    let tokens: Vec<AccessToken> = access_tokens::table
        .filter(access_tokens::revoked_at.is_null())
        .filter(access_tokens::expires_at.gt(at))
        .filter(access_tokens::expires_at.lt(horizon))
        .select(AccessToken::as_select())
        .load(conn)?;
    let mut queued = 0;
    for t in tokens {
        let Some(expires) = t.expires_at else { continue };
        let Some(portal) = settings::find(conn, &t.org_id)?.filter(|p| p.enabled) else { continue };
        let left = expires - at;
        let warned: Vec<i32> = t.expiry_warned.split_whitespace().filter_map(|d| d.parse().ok()).collect();
        // Every threshold already crossed; notify once, for the nearest.
        let crossed: Vec<i32> =
            portal.expiry_warnings().into_iter().filter(|d| left <= chrono::Duration::days(*d as i64)).collect();
        let fresh: Vec<i32> = crossed.iter().copied().filter(|d| !warned.contains(d)).collect();
        if fresh.is_empty() {
            continue;
        }
        let days = (left.num_hours() + 23) / 24;
        queued += super::targeting::token_expiring(conn, &portal, &t, days.max(1))?;
        let mut all = warned;
        all.extend(fresh);
        all.sort_unstable();
        all.dedup();
        diesel::update(access_tokens::table.find(&t.id))
            .set(access_tokens::expiry_warned.eq(all.iter().map(i32::to_string).collect::<Vec<_>>().join(" ")))
            .execute(conn)?;
    }
    Ok(queued)
}
