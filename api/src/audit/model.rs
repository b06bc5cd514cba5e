//! Wire types of the audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    /// `portal`, `admin`, `auth` or `api`.
    pub category: String,
    /// e.g. `portal.sbom.download`, `artifact.publish`, `auth.login`.
    pub action: String,
    /// `success`, `denied` or `failed`.
    pub outcome: String,
    /// `user`, `api_key`, `access_token` or `anonymous`.
    pub actor_type: String,
    pub actor_id: Option<String>,
    /// The actor's name as it was at the time.
    pub actor_name: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub product_id: Option<String>,
    pub version_id: Option<String>,
    pub artifact_id: Option<String>,
    /// SHA-256 of the bytes concerned (for deliveries: exactly what was served).
    pub sha256: Option<String>,
    /// Action-specific details (e.g. file name and size of a delivery).
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    /// What the event is about, named (in the JSON list; exports keep the raw ids).
    #[serde(default)]
    pub object: Option<super::objects::AuditObject>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// `portal`, `admin`, `auth`, `api` or `notification`.
    pub category: Option<String>,
    /// Exact action, or a pattern where `*` stands for anything (`portal.*`, `portal.*.download`).
    pub action: Option<String>,
    /// Actor id (user, API key or access token id).
    pub actor: Option<String>,
    /// Access token id (same as `actor`, restricted to tokens).
    pub token: Option<String>,
    /// Access token id: everything about that customer — what it did, and what admins did to its
    /// token (created, edited, revoked, renewed, subscribed).
    pub customer: Option<String>,
    /// Product id.
    pub product: Option<String>,
    /// Artifact id.
    pub artifact: Option<String>,
    /// `success`, `denied` or `failed`.
    pub outcome: Option<String>,
    /// Inclusive lower bound (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Page size 1–500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Export format: `csv` or `ndjson` (or send `Accept: text/csv` / `application/x-ndjson`).
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub events: Vec<AuditEvent>,
    /// Pass as `cursor` for the next (older) page; null at the end. Stable while new events arrive.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// Artifact id.
    pub artifact: Option<String>,
    /// Product slug (with `version`).
    pub product: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub occurred_at: DateTime<Utc>,
    pub action: String,
    /// `access_token` or `anonymous`.
    pub recipient_type: String,
    pub token_id: Option<String>,
    pub token_name: Option<String>,
    pub ip: Option<String>,
    pub artifact_id: Option<String>,
    pub filename: Option<String>,
    /// The SHA-256 of the bytes delivered.
    pub sha256: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryRecipient {
    pub token_id: Option<String>,
    pub token_name: Option<String>,
    pub deliveries: i64,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// Distinct SHA-256 values received (several when the artifact set changed over time).
    pub sha256: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryReport {
    /// Who received it: one row per token (or anonymous).
    pub recipients: Vec<DeliveryRecipient>,
    /// Every delivery, newest first.
    pub deliveries: Vec<Delivery>,
}
