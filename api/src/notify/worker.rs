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

/// Rows claimed per pass; each pass's lease covers them all, sent one after another.
const BATCH: i64 = 5;

/// One pass: claims up to [`BATCH`] due notifications and sends them. Returns how many were claimed.
pub async fn deliver_due(st: &Arc<AppState>, sender: &Arc<Sender>) -> ApiResult<usize> {
    let cfg = st.settings.notify.clone();
    // Long enough for every row of the batch to time out in turn (e-mail: 20 s per message).
    let lease = BATCH * (cfg.webhook_timeout_secs.max(20) as i64 + 10) + 30;
    let mail = sender.mail_configured();
    let batch = db::tx(&st.pool, move |c| outbox::claim(c, BATCH, lease, mail)).await?;
    let count = batch.len();
    let kek: Vec<u8> = st.settings.kek().to_vec();
    for n in batch {
        if n.locked_until.is_none_or(|l| l <= now()) {
            continue; // the lease ran out: another worker may hold the row now
        }
        let (row, kek) = (n.clone(), kek.clone());
        let outcome = match db::run(&st.pool, move |c| still_wanted(c, &kek, &row)).await {
            Err(e) => Outcome::Failed(format!("could not prepare the delivery: {e}")),
            Ok(Err(why)) => Outcome::Cancelled(why),
            Ok(Ok(secret)) => sender.send(&n, secret.as_deref()).await,
        };
        let (base, max) = (cfg.retry_base_secs, cfg.max_attempts);
        db::tx(&st.pool, move |c| record(c, &n, &outcome, base, max)).await?;
    }
    Ok(count)
}

/// Whether the notification should still go out, checked at send time: its token not revoked
/// or expired, its subscription not deleted. `Ok(secret)`: the webhook secret, if any.
fn still_wanted(conn: &mut DbConnection, kek: &[u8], n: &Notification) -> ApiResult<Result<Option<String>, String>> {
    if let Some(tid) = &n.token_id {
        use crate::portal::model::TokenStatus;
        match crate::portal::tokens::by_id(conn, tid)?.map(|t| t.status(now())) {
            None => return Ok(Err("cancelled: the access token no longer exists".into())),
            Some(TokenStatus::Revoked) => return Ok(Err("cancelled: the access token was revoked".into())),
            Some(TokenStatus::Expired) => return Ok(Err("cancelled: the access token expired".into())),
            Some(TokenStatus::Active) => {}
        }
    }
    let Some(sid) = &n.subscription_id else { return Ok(Ok(None)) };
    match subscriptions::by_id(conn, sid)? {
        Some(s) if s.deleted_at.is_none() => {
            if n.channel == Channel::Webhook {
                Ok(Ok(subscriptions::secret_of(kek, &s)?))
            } else {
                Ok(Ok(None))
            }
        }
        _ => Ok(Err("cancelled: the subscription was deleted".into())),
    }
}

/// Stores an attempt's outcome and its audit event (none for a hold: nothing was attempted; none
/// when the lease was lost). The first delivery of a vulnerability's notification meets its
/// "customers notified" clock.
fn record(conn: &mut DbConnection, n: &Notification, outcome: &Outcome, base: i64, max: i32) -> ApiResult<()> {
    let Some(status) = outbox::finish(conn, n, outcome, base, max)? else { return Ok(()) };
    let (action, result) = match status {
        DeliveryStatus::Sent | DeliveryStatus::Delivered => (Action::NotificationSent, AuditOutcome::Success),
        DeliveryStatus::Dead => (Action::NotificationDead, AuditOutcome::Failed),
        DeliveryStatus::Failed => (Action::NotificationFailed, AuditOutcome::Failed),
        DeliveryStatus::Cancelled => (Action::NotificationCancelled, AuditOutcome::Failed),
        _ => return Ok(()),
    };
    if let (Some(v), Action::NotificationSent) = (&n.vulnerability_id, action) {
        diesel::update(vulnerabilities::table.find(v).filter(vulnerabilities::first_notified_at.is_null()))
            .set(vulnerabilities::first_notified_at.eq(Some(now())))
            .execute(conn)?;
    }
    let error = match outcome {
        Outcome::Failed(e) | Outcome::Cancelled(e) => Some(e.as_str()),
        _ => None,
    };
    Event::new(Some(&n.org_id), Category::Notification, action, Actor::System, &system_client())
        .outcome(result)
        .details(serde_json::json!({
            "notification_id": n.id, "event_type": n.event_type, "channel": n.channel,
            "target": n.target, "token_id": n.token_id, "vulnerability": n.vulnerability_id,
            "attempt": n.attempts + 1, "status": status, "error": error,
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
        let mut all = warned;
        all.extend(fresh);
        all.sort_unstable();
        all.dedup();
        // The marker is set only if no other replica set it meanwhile; only then is it queued.
        let won =
            diesel::update(access_tokens::table.find(&t.id).filter(access_tokens::expiry_warned.eq(&t.expiry_warned)))
                .set(access_tokens::expiry_warned.eq(all.iter().map(i32::to_string).collect::<Vec<_>>().join(" ")))
                .execute(conn)?;
        if won == 1 {
            let days = (left.num_hours() + 23) / 24;
            queued += super::targeting::token_expiring(conn, &portal, &t, days.max(1))?;
        }
    }
    Ok(queued)
}
