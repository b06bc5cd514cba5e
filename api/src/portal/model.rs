//! Wire types of the portal: settings, access tokens and what customers see.

use crate::validate;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::domain::Visibility;

use crate::artifacts::model::{ArtifactKind, DocumentType, VexStatementView};
use crate::auth::secret::ExpiresIn;
use crate::catalogue::model::LifecycleStatus;

/// The CSAF publisher the organisation's provider metadata names (CSAF 2.0 §3.2.1.8), and that
/// uploaded CSAF documents are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsafPublisher {
    /// `vendor` (default), `coordinator`, `discoverer`, `other`, `translator`, `user`.
    #[serde(default = "default_publisher_category")]
    pub category: String,
    pub name: String,
    /// A URL the publisher controls, e.g. `https://www.acme.example`.
    pub namespace: String,
    pub contact_details: Option<String>,
    pub issuing_authority: Option<String>,
}

fn default_publisher_category() -> String {
    "vendor".into()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalSettings {
    pub enabled: bool,
    /// URL-safe, unique across the instance; defaults to the organisation slug.
    pub slug: String,
    pub visibility: Visibility,
    pub display_name: String,
    pub description: String,
    pub contact_email: Option<String>,
    /// Where customers find the portal.
    pub url: String,
    /// The label of artifacts that carry none and were given none (`clear` unless changed).
    pub default_tlp: crate::domain::Tlp,
    /// The configured CSAF publisher; `null`: the provider metadata names the portal
    /// (category `vendor`, the display name, the portal URL as namespace).
    pub csaf_publisher: Option<CsafPublisher>,
    /// Conformance profiles an SBOM must pass before it can be published
    /// (`bsi-tr-03183-2-v2.1`, `ntia-2021`, `cisa-2025`).
    pub require_conformance: Vec<String>,
    /// The organisation's vulnerability response clocks and token expiry warnings.
    pub response: ResponseSettings,
    /// What the sign-in page of a private portal shows and offers.
    pub landing: LandingSettings,
    /// The logo shown on the portal (upload with `PUT /orgs/{org}/portal/logo`).
    pub logo_url: Option<String>,
}

/// The public face of a private portal: its sign-in page.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct LandingSettings {
    /// Show the description to visitors who have not signed in (default true).
    #[garde(skip)]
    pub show_description: bool,
    /// Show the contact address to visitors who have not signed in (default true).
    #[garde(skip)]
    pub show_contact: bool,
    /// Visitors may ask for access from the sign-in page (default false).
    #[garde(skip)]
    pub access_requests: bool,
    /// A non-disclosure agreement visitors accept before asking (null: none).
    #[garde(dive)]
    pub nda: Option<Nda>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct Nda {
    /// The version named in each request, e.g. `2026-12`.
    #[garde(custom(validate::text(1, 50)))]
    pub version: String,
    /// The text shown (plain text, ≤ 50,000 characters).
    #[garde(custom(validate::text(1, 50_000)))]
    pub text: String,
}

/// What anyone may know about a portal before signing in (fields the settings switched off are null).
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalLanding {
    pub slug: String,
    pub display_name: String,
    pub visibility: Visibility,
    pub description: Option<String>,
    pub contact_email: Option<String>,
    pub logo_url: Option<String>,
    /// Whether visitors may ask for access (`POST /portal/{slug}/access-requests`).
    pub access_requests: bool,
    /// The NDA to accept before asking; name its `version` and `sha256` in the request.
    pub nda: Option<NdaView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NdaView {
    pub version: String,
    pub text: String,
    /// SHA-256 (hex) of `text`.
    pub sha256: String,
}

/// How fast the organisation commits to respond (the CRA vendor checklist §4 defaults).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseSettings {
    /// Customers notified within this many hours of awareness (default 48).
    pub notify_within_hours: i32,
    /// Critical vulnerabilities addressed within this many business days (default 15).
    pub critical_fix_business_days: i32,
    /// `token.expiring` is sent this many days before a token expires (default 14 and 3).
    pub expiry_warning_days: Vec<i32>,
}

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePortalSettings {
    #[garde(skip)]
    pub enabled: bool,
    #[garde(custom(validate::slug))]
    pub slug: String,
    #[garde(skip)]
    pub visibility: Visibility,
    #[garde(custom(validate::text(1, 200)))]
    pub display_name: String,
    #[serde(default)]
    #[garde(custom(validate::text(0, 5000)))]
    pub description: String,
    #[garde(custom(validate::opt_email))]
    pub contact_email: Option<String>,
    /// Omitted: unchanged. `clear`, `green`, `amber`, `amber+strict` or `red`.
    #[garde(skip)]
    pub default_tlp: Option<crate::domain::Tlp>,
    /// Omitted: unchanged; `null`: back to the default publisher.
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<CsafPublisher>)]
    #[garde(skip)]
    pub csaf_publisher: Option<Option<CsafPublisher>>,
    /// Omitted: unchanged. Profiles SBOMs must pass before publication (empty: none).
    #[garde(skip)]
    pub require_conformance: Option<Vec<String>>,
    /// Omitted: unchanged.
    #[garde(skip)]
    pub response: Option<ResponseSettings>,
    /// Omitted: unchanged.
    #[garde(dive)]
    pub landing: Option<LandingSettings>,
}

/// The name is checked here; scope, clearance and contact against the organisation in
/// [`super::tokens`].
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateAccessToken {
    /// Who it is for, e.g. "ACME Corporation" or "CI Pipeline".
    #[garde(custom(validate::text(1, 200)))]
    pub name: String,
    #[garde(skip)]
    pub expires_in: ExpiresIn,
    /// Limit the token to these products (ids); all portal products when absent.
    #[garde(skip)]
    pub product_ids: Option<Vec<String>>,
    /// The most restrictive TLP label the token may read (`clear` … `red`; default `amber`).
    /// Unlabeled CSAF documents are readable by every token.
    #[garde(skip)]
    pub max_tlp: Option<crate::domain::Tlp>,
    /// Where the customer is told about vulnerabilities and expiry (optional).
    #[garde(custom(validate::opt_email))]
    pub contact_email: Option<String>,
}

/// Changes to an access token; omitted fields stay as they are.
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccessToken {
    #[garde(custom(validate::opt_text(1, 200)))]
    pub name: Option<String>,
    #[garde(skip)]
    pub max_tlp: Option<crate::domain::Tlp>,
    /// `null`: every portal product.
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<Vec<String>>)]
    #[garde(skip)]
    pub product_ids: Option<Option<Vec<String>>>,
    /// `null`: no contact address.
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<String>)]
    #[garde(skip)]
    pub contact_email: Option<Option<String>>,
    /// A new lifetime counted from now (extends or shortens the expiry; a revoked token stays revoked).
    #[garde(skip)]
    pub expires_in: Option<ExpiresIn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

/// Which access tokens to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenListQuery {
    /// Only tokens in this state.
    pub status: Option<TokenStatus>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessTokenView {
    pub id: crate::ids::TokenId,
    pub name: String,
    /// Non-secret hint to tell tokens apart (`spt_…ab12`).
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Null: never expires.
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub use_count: i64,
    pub status: TokenStatus,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Product scope; null means every product in the portal.
    pub product_ids: Option<Vec<String>>,
    /// TLP clearance: the most restrictive label the token may read.
    pub max_tlp: crate::domain::Tlp,
    /// Where the customer is told about vulnerabilities and expiry.
    pub contact_email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedAccessToken {
    #[serde(flatten)]
    pub access_token: AccessTokenView,
    /// The secret (`spt_…`), shown this once. Share it securely with the customer.
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalSessionRequest {
    /// The customer's access token (`spt_…`).
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalSession {
    /// A short-lived JWT for this portal; send it as `Authorization: Bearer`.
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalCaller {
    /// `access_token` or `anonymous`.
    #[serde(rename = "type")]
    pub type_: String,
    pub name: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The labels the caller may read.
    pub tlp_labels: Vec<crate::domain::Tlp>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalInfo {
    pub slug: String,
    pub display_name: String,
    pub description: String,
    pub contact_email: Option<String>,
    pub visibility: Visibility,
    pub caller: PortalCaller,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalProduct {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Whether the product's CRA vendor checklist is published (`…/checklist`).
    pub checklist_published: bool,
    pub versions: Vec<PortalVersion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalVersion {
    pub version: String,
    pub release_date: Option<NaiveDate>,
    /// End of the support period (CRA Art. 13(8)).
    pub support_until: Option<NaiveDate>,
    pub status: LifecycleStatus,
    /// Published artifacts of this version the reader may see.
    pub artifact_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalArtifact {
    pub id: String,
    pub kind: ArtifactKind,
    pub format: String,
    pub media_type: String,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub sha512: String,
    pub title: Option<String>,
    pub document_type: Option<DocumentType>,
    pub published_at: Option<DateTime<Utc>>,
    /// The artifact's TLP label (its own, else the portal's default).
    pub tlp: crate::domain::Tlp,
    /// SBOMs: the result per conformance profile, with every rule (empty for other kinds).
    pub conformance: Vec<portal_formats::ProfileResult>,
    /// Advisories: highest severity and CVSS base score, CVEs.
    pub severity: Option<String>,
    pub max_cvss_base_score: Option<f64>,
    pub cves: Vec<String>,
    /// Relative URL of the download.
    pub download_url: String,
    /// CSAF documents: where the portal's CSAF provider serves it (relative URL; its `.sha256`
    /// and `.sha512` sit beside it).
    pub csaf_url: Option<String>,
    /// CSAF documents: the detached OpenPGP signature of the provider's file (`<csaf_url>.asc`).
    pub signature_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactsByKind {
    pub sbom: Vec<PortalArtifact>,
    pub vex: Vec<PortalArtifact>,
    pub advisory: Vec<PortalArtifact>,
    pub document: Vec<PortalArtifact>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalVersionDetail {
    pub product_slug: String,
    pub product_name: String,
    #[serde(flatten)]
    pub version: PortalVersion,
    pub artifacts: ArtifactsByKind,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalVexStatement {
    #[serde(flatten)]
    pub statement: VexStatementView,
    /// The published VEX or advisory this statement comes from.
    pub artifact_id: String,
    pub artifact_published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AdvisoryQuery {
    /// Product slug.
    pub product: Option<String>,
    /// A CVE (or other vulnerability id) the advisory must mention.
    pub cve: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Where to continue: the `cursor` in the previous page's `Link: <…>; rel="next"` header.
    pub cursor: Option<String>,
}

impl AdvisoryQuery {
    pub fn page(&self) -> crate::paging::PageParams {
        crate::paging::PageParams { limit: self.limit, cursor: self.cursor.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductVersionName {
    pub product_slug: String,
    pub product_name: String,
    pub version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalAdvisory {
    #[serde(flatten)]
    pub artifact: PortalArtifact,
    pub tracking_id: Option<String>,
    pub current_release_date: Option<String>,
    pub initial_release_date: Option<String>,
    pub applies_to: Vec<ProductVersionName>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffectedResult {
    pub product_slug: String,
    pub product_name: String,
    pub version: String,
    pub status: String,
    pub component: String,
    pub component_name: Option<String>,
    pub justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub artifact_id: String,
    pub artifact_kind: ArtifactKind,
    pub artifact_title: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VulnerabilityReport {
    pub vulnerability_id: String,
    /// One entry per product version and component with a published statement, newest first.
    pub results: Vec<AffectedResult>,
}
