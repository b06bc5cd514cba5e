//! The notification vocabulary and its one JSON shape (Standard Webhooks style:
//! `type`, `timestamp`, `data`), used for webhooks and as the e-mail attachment alike.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{ArtifactKind, Tlp};

/// What happened.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum EventType {
    #[serde(rename = "advisory.published")]
    #[strum(serialize = "advisory.published")]
    AdvisoryPublished,
    #[serde(rename = "vex.published")]
    #[strum(serialize = "vex.published")]
    VexPublished,
    #[serde(rename = "sbom.published")]
    #[strum(serialize = "sbom.published")]
    SbomPublished,
    #[serde(rename = "document.published")]
    #[strum(serialize = "document.published")]
    DocumentPublished,
    #[serde(rename = "artifact.withdrawn")]
    #[strum(serialize = "artifact.withdrawn")]
    ArtifactWithdrawn,
    #[serde(rename = "token.expiring")]
    #[strum(serialize = "token.expiring")]
    TokenExpiring,
    /// To the organisation's admins: a response deadline is near (never sent to customers).
    #[serde(rename = "vulnerability.deadline")]
    #[strum(serialize = "vulnerability.deadline")]
    VulnerabilityDeadline,
    /// To the organisation's admins: a customer asks for a token renewal.
    #[serde(rename = "token.renewal_requested")]
    #[strum(serialize = "token.renewal_requested")]
    TokenRenewalRequested,
    /// To the organisation's admins: someone asks for access to the private portal.
    #[serde(rename = "access.requested")]
    #[strum(serialize = "access.requested")]
    AccessRequested,
}

crate::text_enum!(EventType);

impl EventType {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The events customers may subscribe to.
    pub const CUSTOMER: [EventType; 6] = [
        EventType::AdvisoryPublished,
        EventType::VexPublished,
        EventType::SbomPublished,
        EventType::DocumentPublished,
        EventType::ArtifactWithdrawn,
        EventType::TokenExpiring,
    ];

    /// The events a token's contact address receives without a subscription: the security
    /// responses (CRA Art. 14(8)) and its own expiry.
    pub const CONTACT: [EventType; 4] =
        [EventType::AdvisoryPublished, EventType::VexPublished, EventType::ArtifactWithdrawn, EventType::TokenExpiring];

    /// The event raised when an artifact of `kind` is published.
    pub fn published(kind: ArtifactKind) -> EventType {
        match kind {
            ArtifactKind::Sbom => EventType::SbomPublished,
            ArtifactKind::Vex => EventType::VexPublished,
            ArtifactKind::Advisory => EventType::AdvisoryPublished,
            ArtifactKind::Document => EventType::DocumentPublished,
        }
    }
}

crate::text_vocabulary!(
    /// How a notification travels.
    Channel { Email, Webhook }
);

crate::text_vocabulary!(
    /// Where a notification is in its life.
    DeliveryStatus {
        /// Waiting for the worker.
        Queued,
        /// An e-mail kept (no mail server configured, or it is unreachable); tried again later.
        Held,
        /// Claimed by a worker (a lease; an expired lease counts as an attempt).
        Sending,
        /// An e-mail accepted by the mail server.
        Sent,
        /// A webhook answered 2xx.
        Delivered,
        /// The last attempt failed; retried at `next_attempt_at`.
        Failed,
        /// Gave up after the last attempt.
        Dead,
        /// Not sent: its subscription was deleted or its token revoked or expired before it went out.
        Cancelled,
    }
);

/// The notification every channel carries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Payload {
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub timestamp: DateTime<Utc>,
    pub data: PayloadData,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PayloadData {
    /// One line for people.
    pub summary: String,
    pub portal: PortalRef,
    pub product: Option<ProductRef>,
    /// The versions concerned that this recipient may see.
    pub versions: Vec<VersionRef>,
    /// Vulnerability ids (CVE, GHSA …) the event is about.
    pub vulnerabilities: Vec<String>,
    pub artifacts: Vec<ArtifactRef>,
    /// The recipient's access token (for `token.expiring`, and to tell several apart).
    pub token: Option<TokenRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PortalRef {
    pub slug: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProductRef {
    pub id: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VersionRef {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArtifactRef {
    pub id: String,
    pub kind: ArtifactKind,
    pub format: String,
    pub filename: String,
    pub sha256: String,
    pub tlp: Tlp,
    /// Download with the access token (`Authorization: Bearer spt_…`); absent once withdrawn.
    pub download_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenRef {
    pub id: String,
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Payload {
    /// Stored with paths; the worker makes them absolute with `PORTAL_PUBLIC_URL` when sending.
    pub fn absolute(mut self, base: &str) -> Payload {
        let abs = |u: &mut String| {
            if u.starts_with('/') {
                *u = format!("{base}{u}");
            }
        };
        abs(&mut self.data.portal.url);
        for a in &mut self.data.artifacts {
            if let Some(u) = a.download_url.as_mut() {
                abs(u);
            }
        }
        self
    }
}
