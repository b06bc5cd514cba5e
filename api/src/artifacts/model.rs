//! Wire types for artifacts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::domain::{ArtifactKind, ArtifactStatus, DocumentType};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActorRef {
    /// `user`, `api_key`, `access_token` or `anonymous`.
    #[serde(rename = "type")]
    pub type_: String,
    pub id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductVersionRef {
    pub product_id: crate::ids::ProductId,
    pub product_slug: String,
    pub product_name: String,
    pub version_id: crate::ids::VersionId,
    pub version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactView {
    pub id: crate::ids::ArtifactId,
    pub kind: ArtifactKind,
    /// Detected format, e.g. `cyclonedx-json 1.6`, `openvex 0.2.0`, `csaf 2.0`, `pdf`.
    pub format: String,
    pub media_type: String,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub sha512: String,
    pub status: ArtifactStatus,
    /// For documents.
    pub document_type: Option<DocumentType>,
    /// Advisory title, SBOM primary component, or document title.
    pub title: Option<String>,
    /// The artifact's own TLP label (the document's or an explicit one); `null`: the portal's
    /// `default_tlp` applies.
    pub tlp: Option<crate::domain::Tlp>,
    pub tlp_source: crate::domain::TlpSource,
    /// The version it was uploaded to.
    pub product_version: ProductVersionRef,
    pub supersedes: Option<crate::ids::ArtifactId>,
    pub superseded_by: Option<crate::ids::ArtifactId>,
    pub uploaded_by: ActorRef,
    pub uploaded_at: DateTime<Utc>,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawal_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VexStatementView {
    /// CVE, GHSA or other vulnerability id.
    pub vulnerability_id: String,
    pub aliases: Vec<String>,
    /// Affected product or component: purl, bom-ref or CSAF product id.
    pub product: String,
    pub product_name: Option<String>,
    pub purl: Option<String>,
    /// `not_affected`, `affected`, `fixed` or `under_investigation`.
    pub status: String,
    pub justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub timestamp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactDetail {
    #[serde(flatten)]
    pub artifact: ArtifactView,
    /// SBOMs: the result per conformance profile (BSI TR-03183-2 v2.1, NTIA 2021, CISA 2025),
    /// as computed at upload (the same as `facts.conformance`); empty for other kinds.
    pub conformance: Vec<portal_formats::ProfileResult>,
    /// Facts parsed from the document at upload.
    pub facts: Facts,
    /// Every version the artifact applies to (the upload version first).
    pub applies_to: Vec<ProductVersionRef>,
    pub vex_statements: Vec<VexStatementView>,
    /// Published CSAF documents: where the portal's CSAF provider serves it (relative to the
    /// origin), as customers and aggregators fetch it.
    pub csaf_url: Option<String>,
    /// Published CSAF documents: the provider's detached OpenPGP signature (`<csaf_url>.asc`).
    pub signature_url: Option<String>,
    /// Accepted, but worth a look (upload responses only): e.g. a CSAF document whose publisher
    /// is not the one the portal's provider metadata names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// `sbom`, `vex`, `advisory` or `document`; implied by the Content-Type or the content when absent.
    pub kind: Option<String>,
    /// For documents: `declaration_of_conformity`, `security_policy`, `user_instructions`,
    /// `risk_assessment`, `test_report`, `certificate`, `other` (default).
    pub document_type: Option<String>,
    /// Create a missing product and version on the way (as Dependency-Track's `autoCreate`).
    pub auto_create: Option<bool>,
    /// Publish at once (needs the publisher role or the `artifacts:publish` scope).
    pub publish: Option<bool>,
    /// Id of an artifact this one corrects; publishing this one withdraws that one.
    pub supersedes: Option<String>,
    /// File name for raw uploads (multipart uploads carry their own).
    pub filename: Option<String>,
    /// TLP label for formats that carry none (`clear`, `green`, `amber`, `amber+strict`, `red`);
    /// without one the portal's `default_tlp` applies. CSAF documents carry their own.
    pub tlp: Option<crate::domain::Tlp>,
}

/// A change to an artifact's metadata.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArtifact {
    /// The explicit TLP label; `null` returns it to the portal's `default_tlp`. Needs the
    /// publisher role or the `artifacts:publish` scope (it changes what customers see).
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<crate::domain::Tlp>)]
    pub tlp: Option<Option<crate::domain::Tlp>>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ArtifactListQuery {
    /// Product slug.
    pub product: Option<String>,
    /// Version string (with `product`).
    pub version: Option<String>,
    pub kind: Option<ArtifactKind>,
    pub status: Option<ArtifactStatus>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    /// Why it is withdrawn (kept on record).
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkVersionRequest {
    pub product: String,
    pub version: String,
}

/// The SBOM conformance profiles (evaluated by `portal_formats`) an organisation may require.
pub const CONFORMANCE_PROFILES: [&str; 3] = ["bsi-tr-03183-2-v2.1", "ntia-2021", "cisa-2025"];

/// Facts parsed from a document at upload and stored with it: the format, the SBOM, advisory or
/// document facts, and for SBOMs their conformance to the SBOM profiles.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Facts {
    /// e.g. `cyclonedx-json 1.6`, `spdx-json 2.3`, `openvex 0.2.0`, `csaf 2.0`, `pdf`.
    pub format: String,
    pub sbom: Option<portal_formats::SbomFacts>,
    pub advisory: Option<portal_formats::AdvisoryFacts>,
    pub document: Option<portal_formats::DocumentFacts>,
    #[serde(default)]
    pub vex_statement_count: usize,
    /// SBOMs: the result per conformance profile (BSI TR-03183-2 v2.1, NTIA 2021, CISA 2025).
    #[serde(default)]
    pub conformance: Vec<portal_formats::ProfileResult>,
}

impl Facts {
    /// The TLP label the document itself carries (CSAF `document.distribution.tlp.label`,
    /// CycloneDX 1.7 `metadata.distributionConstraints.tlp`), when its format has one.
    pub fn document_tlp(&self) -> Option<crate::domain::Tlp> {
        use crate::domain::Tlp;
        if self.format.starts_with("csaf") {
            let label = self.advisory.as_ref().and_then(|a| a.tlp_label.as_deref());
            return Some(label.and_then(Tlp::from_document).unwrap_or(Tlp::Unlabeled));
        }
        let label = self.sbom.as_ref().and_then(|s| s.tlp.as_deref())?;
        Tlp::from_document(&label.replace("_AND_", "+"))
    }

    /// Profiles of `required` this SBOM fails, each with the rules it fails.
    pub fn failing(&self, required: &[String]) -> Vec<(String, Vec<String>)> {
        required
            .iter()
            .filter_map(|id| match self.conformance.iter().find(|p| &p.id == id) {
                Some(p) if p.passed => None,
                Some(p) => Some((id.clone(), p.rules.iter().filter(|r| !r.passed).map(|r| r.id.clone()).collect())),
                None => Some((id.clone(), vec!["not evaluated".to_string()])),
            })
            .collect()
    }

    pub fn of(a: &portal_formats::Analysis) -> Facts {
        Facts {
            format: a.format.clone(),
            sbom: a.sbom.clone(),
            advisory: a.advisory.clone(),
            document: a.document.clone(),
            vex_statement_count: a.vex_statements.len(),
            conformance: a.conformance.clone(),
        }
    }

    /// The stored facts of an artifact; unreadable facts are an error naming the artifact.
    pub fn parse(artifact_id: &str, text: &str) -> Result<Facts, crate::error::ApiError> {
        serde_json::from_str(text).map_err(|e| {
            crate::error::ApiError::internal(anyhow::anyhow!("artifact {artifact_id} has unreadable facts: {e}"))
        })
    }
}
