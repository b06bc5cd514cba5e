//! Wire types and vocabulary of the response loop.

use crate::validate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

crate::text_vocabulary!(
    /// Severity as triaged.
    Severity { Critical, High, Medium, Low, None }
);

crate::text_vocabulary!(
    /// A version's status (OpenVEX / CSAF product status).
    AssessmentStatus { UnderInvestigation, Affected, NotAffected, Fixed }
);

crate::text_vocabulary!(
    /// Why a version is not affected (the OpenVEX justifications, which are also CSAF's flag labels).
    Justification {
        ComponentNotPresent,
        VulnerableCodeNotPresent,
        VulnerableCodeNotInExecutePath,
        VulnerableCodeCannotBeControlledByAdversary,
        InlineMitigationsAlreadyExist
    }
);

crate::text_vocabulary!(
    /// A report to the authorities (CRA Art. 14(2), for actively exploited vulnerabilities).
    ReportKind { EarlyWarning, Notification, FinalReport }
);

/// Field rules are declared here; the ids and the CVSS vector are checked in the service.
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateVulnerability {
    /// CVE, GHSA or another id.
    #[garde(skip)]
    pub id: String,
    #[serde(default)]
    #[garde(skip)]
    pub aliases: Vec<String>,
    #[garde(custom(validate::text(1, 300)))]
    pub title: String,
    #[serde(default)]
    #[garde(custom(validate::text(0, 20_000)))]
    pub description: String,
    #[garde(skip)]
    pub severity: Severity,
    #[garde(skip)]
    pub cvss_v3_vector: Option<String>,
    #[serde(default)]
    #[garde(skip)]
    pub actively_exploited: bool,
    /// When the manufacturer became aware (default: now); the clocks start here.
    #[garde(skip)]
    pub aware_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateVulnerability {
    #[garde(skip)]
    pub aliases: Option<Vec<String>>,
    #[garde(custom(validate::opt_text(1, 300)))]
    pub title: Option<String>,
    #[garde(custom(validate::opt_text(0, 20_000)))]
    pub description: Option<String>,
    #[garde(skip)]
    pub severity: Option<Severity>,
    /// `null`: none.
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<String>)]
    #[garde(skip)]
    pub cvss_v3_vector: Option<Option<String>>,
    #[garde(skip)]
    pub actively_exploited: Option<bool>,
    #[garde(skip)]
    pub aware_at: Option<DateTime<Utc>>,
    /// `true` closes it (no more reminders), `false` reopens it.
    #[garde(skip)]
    pub closed: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// Product slug.
    pub product: String,
    /// Version string.
    pub version: String,
    pub status: AssessmentStatus,
    /// Required for `not_affected` unless an impact statement is given.
    pub justification: Option<Justification>,
    pub impact_statement: Option<String>,
    /// Required for `affected` unless `fixed_in` is given: what customers should do.
    pub action_statement: Option<String>,
    /// The version that fixes it.
    pub fixed_in: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionRef {
    pub product_id: String,
    pub product: String,
    pub product_name: String,
    pub version_id: String,
    pub version: String,
}

/// Where an assessment comes from.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AssessmentSource {
    /// Set here, in triage (editable).
    Triage { updated_by: String },
    /// A statement of an uploaded VEX document (read-only).
    VexDocument { artifact_id: String, filename: String },
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    #[serde(flatten)]
    pub target: VersionRef,
    pub status: AssessmentStatus,
    pub justification: Option<Justification>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub fixed_in: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    pub read_only: bool,
    pub source: AssessmentSource,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Done before its deadline.
    Met,
    /// Done, but after its deadline.
    Missed,
    /// Running, deadline ahead.
    Due,
    /// Running, deadline passed.
    Overdue,
    /// Not started (the final report runs from the first published fix) or the vulnerability is closed.
    Pending,
}

/// A response clock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Clock {
    /// `customers_notified`, `critical_addressed`, `early_warning`, `notification`, `final_report`.
    pub name: String,
    pub label: String,
    /// None while it has not started (the final report runs from the first published fix).
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub state: ClockState,
    /// Seconds until the deadline (negative: overdue); none once done or while pending.
    pub due_in_seconds: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub kind: ReportKind,
    pub submitted_at: DateTime<Utc>,
    pub reference: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordReport {
    /// When it was submitted to the single reporting platform (default: now).
    #[garde(skip)]
    pub submitted_at: Option<DateTime<Utc>>,
    /// The platform's reference, if any.
    #[garde(custom(validate::opt_text(0, 500)))]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VulnerabilityView {
    pub id: String,
    pub aliases: Vec<String>,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub cvss_v3_vector: Option<String>,
    pub actively_exploited: bool,
    pub aware_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub open: bool,
    /// Published revision (0: never published).
    pub revision: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub clocks: Vec<Clock>,
    /// Whether any clock is overdue.
    pub overdue: bool,
    /// Versions assessed, by status.
    pub counts: StatusCounts,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct StatusCounts {
    pub under_investigation: i64,
    pub affected: i64,
    pub not_affected: i64,
    pub fixed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VulnerabilityDetail {
    #[serde(flatten)]
    pub vulnerability: VulnerabilityView,
    pub assessments: Vec<AssessmentView>,
    pub reports: Vec<ReportView>,
    pub documents: Vec<PublishedDocument>,
    pub impacted: Vec<ImpactedCustomer>,
    /// Every step so far (also as CSV and Markdown: `…/timeline`).
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VulnerabilityQuery {
    /// Only open (true) or closed (false) ones.
    pub open: Option<bool>,
    /// Only those with an overdue clock.
    pub overdue: Option<bool>,
    /// Only those assessed for this product (slug).
    pub product: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The label of the generated documents (default: the portal's default label). CSAF 2.0
    /// knows CLEAR (as WHITE), GREEN, AMBER and RED.
    pub tlp: Option<crate::domain::Tlp>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedDocument {
    pub artifact_id: String,
    pub product: String,
    pub version: String,
    /// `openvex` or `csaf`.
    pub format: String,
    pub filename: String,
    pub sha256: String,
    pub revision: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishResult {
    pub revision: i32,
    pub artifacts: Vec<PublishedDocument>,
    /// Notifications queued for the customers who may see them.
    pub notifications_queued: usize,
}

/// Why a customer counts as impacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpactReason {
    /// Downloaded something of an affected version (the delivery records show what and when).
    Downloaded,
    /// Subscribed to notifications.
    Subscribed,
    /// May see an affected version.
    Entitled,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Delivery {
    pub artifact_id: Option<String>,
    pub filename: Option<String>,
    pub sha256: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub at: DateTime<Utc>,
    /// The audit event that recorded it.
    pub audit_event_id: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImpactedCustomer {
    pub token_id: String,
    pub token_name: String,
    /// The strongest reason first: downloaded, subscribed, entitled.
    pub reason: ImpactReason,
    pub reasons: Vec<ImpactReason>,
    /// The affected or under-investigation versions it may see (`product version`).
    pub versions: Vec<String>,
    pub deliveries: Vec<Delivery>,
    /// Whether it can be told (a contact address or a subscription).
    pub reachable: bool,
    /// `email:<address>` / `webhook:<url>`.
    pub channels: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `aware`, `created`, `updated`, `assessed`, `published`, `notification`, `download`, `report`.
    pub kind: String,
    pub summary: String,
    pub actor: String,
    /// The audit event that recorded this step.
    pub audit_event_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// `json` (default), `csv` or `markdown`.
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDrafts {
    pub early_warning: String,
    pub notification: String,
    pub final_report: String,
    pub reports: Vec<ReportView>,
}
