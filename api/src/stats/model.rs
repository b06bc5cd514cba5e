use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// First day (UTC, inclusive); default 29 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day (UTC, inclusive); default today.
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct DownloadCounts {
    pub total: i64,
    pub sbom: i64,
    pub vex: i64,
    pub advisory: i64,
    pub document: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `day`, or `week` (ISO weeks starting Monday) for ranges over 90 days.
    pub granularity: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDownloads {
    pub product_id: String,
    pub product_slug: Option<String>,
    pub product_name: Option<String>,
    pub downloads: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrendPoint {
    /// Start of the period (the day, or the Monday of the week).
    pub period: NaiveDate,
    pub downloads: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActiveCustomer {
    pub token_id: String,
    pub name: Option<String>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// The token's state now (null: no longer on record).
    pub status: Option<crate::portal::model::TokenStatus>,
    /// Downloads in the range.
    pub downloads: i64,
    /// All portal actions in the range (logins, views, downloads).
    pub events: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IpEvidence {
    pub ip: String,
    pub events: i64,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SharingSignal {
    pub token_id: String,
    pub token_name: Option<String>,
    /// `many_ips` (more than N distinct addresses in 24 h) or `volume_spike` (more than k× its usual daily downloads).
    pub kind: String,
    pub description: String,
    /// Addresses seen in the last 24 h with counts and times.
    pub ips: Vec<IpEvidence>,
    pub downloads_last_24h: i64,
    /// Average daily downloads over the previous 30 days.
    pub usual_daily_downloads: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalStats {
    pub range: StatsRange,
    /// Downloads in the current calendar month (UTC), by kind.
    pub downloads_this_month: DownloadCounts,
    pub downloads_last_month: DownloadCounts,
    /// Downloads in the range, by kind.
    pub downloads_in_range: DownloadCounts,
    /// Top 10 products by downloads in the range.
    pub top_products: Vec<ProductDownloads>,
    /// Downloads per period over the range, periods without downloads included as 0.
    pub trend: Vec<TrendPoint>,
    /// Tokens with at least one portal action in the range.
    pub active_customers: Vec<ActiveCustomer>,
    pub sharing_signals: Vec<SharingSignal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenUsage {
    pub token_id: String,
    pub name: String,
    pub range: StatsRange,
    pub downloads: DownloadCounts,
    pub trend: Vec<TrendPoint>,
    pub by_product: Vec<ProductDownloads>,
    /// Addresses the token was used from in the range (latest 1000 events).
    pub ips: Vec<IpEvidence>,
    /// The latest 50 events of this token.
    pub recent_events: Vec<crate::audit::model::AuditEvent>,
}
