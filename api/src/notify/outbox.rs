//! The outbox: a notification is a row written in the transaction that raised it, claimed by a
//! delivery worker under a lease (`FOR UPDATE SKIP LOCKED` on Postgres, the single writer on
//! SQLite), so two replicas never send the same one twice and a worker killed mid-send leaves it
//! to be reclaimed when its lease runs out. Its id is the Standard Webhooks `webhook-id`,
//! stable across retries.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::model::*;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::{now, utc};

/// A notification to queue.
pub struct Notice<'a> {
    pub org_id: &'a str,
    pub token_id: Option<&'a str>,
    pub subscription_id: Option<&'a str>,
    pub vulnerability_id: Option<&'a str>,
    pub channel: Channel,
    pub target: &'a str,
    pub payload: &'a Payload,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: String,
    pub org_id: String,
    pub token_id: Option<String>,
    pub subscription_id: Option<String>,
    pub vulnerability_id: Option<String>,
    pub channel: Channel,
    pub target: String,
    pub event_type: EventType,
    pub payload: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub locked_until: Option<chrono::NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub sent_at: Option<chrono::NaiveDateTime>,
}

pub fn enqueue(conn: &mut DbConnection, n: Notice<'_>) -> ApiResult<String> {
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    let at = now();
    let payload = serde_json::to_string(n.payload).map_err(|e| ApiError::internal(anyhow::Error::from(e)))?;
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(&id),
            notifications::org_id.eq(n.org_id),
            notifications::token_id.eq(n.token_id),
            notifications::subscription_id.eq(n.subscription_id),
            notifications::vulnerability_id.eq(n.vulnerability_id),
            notifications::channel.eq(n.channel),
            notifications::target.eq(n.target),
            notifications::event_type.eq(n.payload.event_type),
            notifications::payload.eq(payload),
            notifications::status.eq(DeliveryStatus::Queued),
            notifications::attempts.eq(0),
            notifications::next_attempt_at.eq(at),
            notifications::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Claims up to `limit` due notifications for `lease_secs` (call inside a write transaction).
/// Due: queued or failed with `next_attempt_at` passed, or `sending` with an expired lease (its
/// worker died); `held` e-mails only when a mail server is configured.
pub fn claim(conn: &mut DbConnection, limit: i64, lease_secs: i64, mail: bool) -> ApiResult<Vec<Notification>> {
    let at = now();
    // A worker that died (or overran its lease) mid-send: that was an attempt.
    diesel::update(
        notifications::table
            .filter(notifications::status.eq(DeliveryStatus::Sending))
            .filter(notifications::locked_until.lt(at)),
    )
    .set((
        notifications::status.eq(DeliveryStatus::Failed),
        notifications::attempts.eq(notifications::attempts + 1),
        notifications::locked_until.eq(None::<chrono::NaiveDateTime>),
        notifications::last_error.eq(Some("the worker sending it stopped before it finished (lease expired)")),
    ))
    .execute(conn)?;
    let mut due = vec![DeliveryStatus::Queued, DeliveryStatus::Failed];
    if mail {
        due.push(DeliveryStatus::Held);
    }
    let q = notifications::table
        .filter(notifications::status.eq_any(due))
        .filter(notifications::next_attempt_at.le(at))
        .order(notifications::next_attempt_at.asc())
        .limit(limit)
        .select(notifications::id);
    let ids: Vec<String> = crate::per_backend!(conn,
        pg: |c| q.for_update().skip_locked().load(c)?,
        sqlite: |c| q.load(c)?);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(notifications::table.filter(notifications::id.eq_any(&ids)))
        .set((
            notifications::status.eq(DeliveryStatus::Sending),
            notifications::locked_until.eq(Some(at + chrono::Duration::seconds(lease_secs))),
        ))
        .execute(conn)?;
    Ok(notifications::table
        .filter(notifications::id.eq_any(&ids))
        .order(notifications::next_attempt_at.asc())
        .select(Notification::as_select())
        .load(conn)?)
}

/// What an attempt came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Accepted (webhook 2xx: delivered; e-mail: sent).
    Done,
    /// Kept (no mail server configured, or it is unreachable) and tried again later; not an attempt.
    Held(String),
    /// Failed; retried unless attempts are exhausted.
    Failed(String),
    /// Not to be sent any more (subscription deleted, token revoked or expired).
    Cancelled(String),
}

/// Records an attempt's outcome; returns the new status, or `None` when the lease was lost (another
/// worker reclaimed the row: its result counts, not this one). Backoff: `base · 2^(attempts-1)`,
/// capped at an hour; dead after `max_attempts`.
pub fn finish(
    conn: &mut DbConnection,
    n: &Notification,
    outcome: &Outcome,
    base_secs: i64,
    max_attempts: i32,
) -> ApiResult<Option<DeliveryStatus>> {
    let at = now();
    let (status, attempts, next, error, sent) = match outcome {
        Outcome::Done => (
            if n.channel == Channel::Webhook { DeliveryStatus::Delivered } else { DeliveryStatus::Sent },
            n.attempts + 1,
            n.next_attempt_at,
            None,
            Some(at),
        ),
        Outcome::Held(why) => {
            tracing::warn!(notification = %n.id, to = %n.target, reason = %why, "e-mail held in the outbox");
            (
                DeliveryStatus::Held,
                n.attempts,
                at + chrono::Duration::seconds(base_secs.min(300)),
                Some(why.clone()),
                None,
            )
        }
        Outcome::Cancelled(why) => (DeliveryStatus::Cancelled, n.attempts, n.next_attempt_at, Some(why.clone()), None),
        Outcome::Failed(e) => {
            let attempts = n.attempts + 1;
            let status = if attempts >= max_attempts { DeliveryStatus::Dead } else { DeliveryStatus::Failed };
            let delay = base_secs.saturating_mul(1i64 << (attempts - 1).clamp(0, 20)).min(3600);
            (status, attempts, at + chrono::Duration::seconds(delay), Some(e.clone()), None)
        }
    };
    let updated = diesel::update(
        notifications::table
            .find(&n.id)
            .filter(notifications::status.eq(DeliveryStatus::Sending))
            .filter(notifications::locked_until.eq(n.locked_until)),
    )
    .set((
        notifications::status.eq(status),
        notifications::attempts.eq(attempts),
        notifications::next_attempt_at.eq(next),
        notifications::locked_until.eq(None::<chrono::NaiveDateTime>),
        notifications::last_error.eq(error),
        notifications::sent_at.eq(sent.or(n.sent_at)),
    ))
    .execute(conn)?;
    Ok((updated == 1).then_some(status))
}

/// One row of the notification log.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    /// The `webhook-id` (stable across retries).
    pub id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub event_type: EventType,
    pub channel: Channel,
    /// The e-mail address or webhook URL.
    pub target: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub token_id: Option<String>,
    pub token_name: Option<String>,
    /// The vulnerability id (CVE …) when the notification belongs to one.
    pub vulnerability: Option<String>,
    pub summary: String,
}

#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub status: Option<DeliveryStatus>,
    pub token: Option<String>,
    /// A vulnerability id (CVE …).
    pub vulnerability: Option<String>,
    /// At most this many, newest first (default 200, at most 1000).
    pub limit: Option<i64>,
}

/// The notification log of an organisation, newest first.
pub fn log(conn: &mut DbConnection, org_id: &str, q: &NotificationQuery) -> ApiResult<Vec<NotificationView>> {
    let mut query = notifications::table
        .left_join(access_tokens::table.on(notifications::token_id.eq(access_tokens::id.nullable())))
        .left_join(vulnerabilities::table.on(notifications::vulnerability_id.eq(vulnerabilities::id.nullable())))
        .filter(notifications::org_id.eq(org_id))
        .into_boxed();
    if let Some(s) = q.status {
        query = query.filter(notifications::status.eq(s));
    }
    if let Some(t) = &q.token {
        query = query.filter(notifications::token_id.eq(t.clone()));
    }
    if let Some(v) = &q.vulnerability {
        query = query.filter(vulnerabilities::vuln_id.eq(crate::artifacts::service::normalize_vuln_id(v)));
    }
    let rows: Vec<(Notification, Option<String>, Option<String>)> = query
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(q.limit.unwrap_or(200).clamp(1, 1000))
        .select((Notification::as_select(), access_tokens::name.nullable(), vulnerabilities::vuln_id.nullable()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(n, token_name, vulnerability)| view(n, token_name, vulnerability)).collect())
}

pub fn view(n: Notification, token_name: Option<String>, vulnerability: Option<String>) -> NotificationView {
    let summary = serde_json::from_str::<Payload>(&n.payload).map(|p| p.data.summary).unwrap_or_default();
    let pending = matches!(n.status, DeliveryStatus::Queued | DeliveryStatus::Failed | DeliveryStatus::Sending);
    NotificationView {
        id: n.id,
        created_at: utc(n.created_at),
        event_type: n.event_type,
        channel: n.channel,
        target: n.target,
        status: n.status,
        attempts: n.attempts,
        last_error: n.last_error,
        next_attempt_at: pending.then(|| utc(n.next_attempt_at)),
        sent_at: n.sent_at.map(utc),
        token_id: n.token_id,
        token_name,
        vulnerability,
        summary,
    }
}
