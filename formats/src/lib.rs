#![deny(clippy::unwrap_used, clippy::expect_used)]
//! `portal-formats`: validation and fact extraction for the documents a supplier
//! uploads to the Supplier Portal (EU Cyber Resilience Act evidence).
//!
//! * SBOM — CycloneDX JSON 1.2–1.7, validated against the official CycloneDX JSON
//!   schemas plus referential checks; SPDX 2.2 / 2.3 JSON and SPDX 3.0.1 JSON-LD,
//!   validated against the official SPDX JSON schemas plus referential checks.
//!   Every SBOM is also scored against conformance profiles ([`conformance`]:
//!   BSI TR-03183-2 v2.1, NTIA 2021 minimum elements, CISA 2025 minimum elements),
//!   and two SBOMs can be compared ([`diff`]).
//! * VEX — OpenVEX (0.2.x and legacy 0.0.x), CycloneDX VEX, CSAF 2.0 `csaf_vex`.
//! * Advisory — CSAF 2.0, validated with `csaf-rs` (OASIS JSON schema + 6.1 mandatory tests).
//! * Document — PDF, HTML, Markdown, plain text (content sniffing).
//!
//! Everything here is a pure function over bytes: no I/O, no network.

mod conformance;
mod csaf;
mod cyclonedx;
mod diff;
mod document;
mod json;
mod model;
mod openvex;
mod spdx;

pub use conformance::{conformance, ProfileResult, RuleResult};
pub use diff::{diff, diff_components, ComponentChange, DiffEntry, LicenceChange, SbomDiff};

use serde::{Deserialize, Serialize};

/// What an upload is declared (or detected) to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    Sbom,
    Vex,
    Advisory,
    Document,
}

impl ArtifactKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ArtifactKind::Sbom => "sbom",
            ArtifactKind::Vex => "vex",
            ArtifactKind::Advisory => "advisory",
            ArtifactKind::Document => "document",
        }
    }
}

impl std::fmt::Display for ArtifactKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ArtifactKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sbom" => Ok(ArtifactKind::Sbom),
            "vex" => Ok(ArtifactKind::Vex),
            "advisory" => Ok(ArtifactKind::Advisory),
            "document" => Ok(ArtifactKind::Document),
            other => Err(format!("unknown artifact kind {other:?} (expected sbom, vex, advisory or document)")),
        }
    }
}

/// Result of a successful validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// e.g. "cyclonedx-json 1.6", "spdx-json 2.3", "spdx-jsonld 3.0.1", "openvex 0.2.0", "csaf 2.0",
    /// "csaf-vex 2.0", "pdf", "text", "markdown", "html"
    pub format: String,
    /// Media type to serve the stored bytes with.
    pub media_type: String,
    pub sbom: Option<SbomFacts>,
    pub advisory: Option<AdvisoryFacts>,
    pub vex_statements: Vec<VexStatement>,
    /// Facts about a free-form document (PDF/HTML/Markdown/text).
    pub document: Option<DocumentFacts>,
    /// SBOM conformance profiles (BSI TR-03183-2 v2.1, NTIA 2021, CISA 2025), computed for
    /// uploads of kind `sbom`; empty for every other kind.
    #[serde(default)]
    pub conformance: Vec<ProfileResult>,
}

impl Analysis {
    fn new(format: impl Into<String>, media_type: impl Into<String>) -> Self {
        Analysis {
            format: format.into(),
            media_type: media_type.into(),
            sbom: None,
            advisory: None,
            vex_statements: Vec::new(),
            document: None,
            conformance: Vec::new(),
        }
    }
}

/// A component as named in an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentInfo {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// CycloneDX bom-ref, SPDX 2 SPDXID or SPDX 3 spdxId.
    pub bom_ref: Option<String>,
    /// CycloneDX component type ("application", "library", "container", ...); SPDX
    /// primaryPackagePurpose / software_primaryPurpose.
    pub component_type: Option<String>,
    /// Supplier (CycloneDX supplier / manufacturer / publisher name; SPDX supplier, else originator).
    #[serde(default)]
    pub supplier: Option<String>,
    /// Licences as written (SPDX ids, expressions, or names), concluded and declared;
    /// SPDX `NOASSERTION` / `NONE` are left out.
    #[serde(default)]
    pub licenses: Vec<String>,
    /// Hashes of the component (including those of its distribution artifact).
    #[serde(default)]
    pub hashes: Vec<ComponentHash>,
}

/// A hash of a component. `alg` uses the CycloneDX spelling ("SHA-256", "SHA-512",
/// "SHA3-512", "BLAKE2b-512", "MD5", …) whatever the source format; `value` is lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentHash {
    pub alg: String,
    pub value: String,
}

/// Direct dependencies (or containment) of one SBOM element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DependencyInfo {
    /// bom-ref / SPDXID / spdxId of the depending (or containing) element.
    #[serde(rename = "ref")]
    pub from: String,
    /// What it depends on / contains; empty when the SBOM states there is nothing.
    pub depends_on: Vec<String>,
    /// "dependsOn" or "contains".
    pub relationship: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SbomFacts {
    /// CycloneDX specVersion ("1.6"), SPDX 2 version without prefix ("2.3"), SPDX 3 specVersion ("3.0.1").
    pub spec_version: String,
    /// CycloneDX serialNumber (`urn:uuid:...`); SPDX 2 documentNamespace; SPDX 3 SpdxDocument spdxId.
    pub serial_number: Option<String>,
    /// BOM version (integer revision of this BOM).
    pub bom_version: Option<i64>,
    /// metadata.timestamp; SPDX creationInfo.created.
    pub timestamp: Option<String>,
    /// metadata.component; SPDX: the package the document describes (documentDescribes /
    /// DESCRIBES relationship; SPDX 3 rootElement).
    pub primary_component: Option<ComponentInfo>,
    /// metadata.supplier.name (or metadata.manufacture/manufacturer.name); SPDX: the first
    /// SBOM creator that is an organisation or person, else the primary package's supplier.
    pub supplier: Option<String>,
    /// Number of entries in the top-level `components` array (SPDX: packages other than the primary one).
    pub component_count: usize,
    /// Number of components including nested `components` (recursively).
    pub component_count_total: usize,
    /// Tools that produced the BOM, "name version" (vendor prefixed when given in the 1.2–1.4 form).
    pub tools: Vec<String>,
    /// metadata.licenses (SPDX ids, expressions or names); SPDX dataLicense.
    pub licenses: Vec<String>,
    /// Ids of the embedded `vulnerabilities[]` (SPDX 3: security_Vulnerability names / ids).
    pub vulnerabilities: Vec<String>,
    /// CycloneDX 1.7 metadata.distributionConstraints.tlp: CLEAR, GREEN, AMBER, AMBER_AND_STRICT or RED.
    #[serde(default)]
    pub tlp: Option<String>,
    /// Who wrote the SBOM (not tools): CycloneDX metadata.authors / manufacturer; SPDX creators
    /// ("Organization: …", "Person: …"; SPDX 3 createdBy names).
    #[serde(default)]
    pub authors: Vec<String>,
    /// SPDX document name.
    #[serde(default)]
    pub document_name: Option<String>,
    /// Every component except the primary one, nested ones included, in document order
    /// (CycloneDX components, not services; SPDX packages).
    #[serde(default)]
    pub components: Vec<ComponentInfo>,
    /// The dependency graph (CycloneDX dependencies[]; SPDX DEPENDS_ON / CONTAINS and their inverses).
    #[serde(default)]
    pub dependencies: Vec<DependencyInfo>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryFacts {
    pub csaf_version: String,
    pub tracking_id: String,
    pub title: String,
    /// document.category, e.g. "csaf_security_advisory", "csaf_vex"
    pub category: String,
    pub current_release_date: String,
    pub initial_release_date: String,
    /// draft | interim | final
    pub status: String,
    pub tracking_version: String,
    pub tlp_label: Option<String>,
    pub lang: Option<String>,
    pub cves: Vec<String>,
    pub max_cvss_base_score: Option<f64>,
    /// document.aggregate_severity.text, else the CVSS severity of the highest score.
    pub severity: Option<String>,
    pub publisher_name: String,
    pub publisher_namespace: String,
    pub publisher_category: Option<String>,
    /// All product ids defined in the product tree.
    pub product_ids: Vec<String>,
    /// All purls named in the product tree.
    pub purls: Vec<String>,
    pub vulnerability_count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }
}

impl std::fmt::Display for VexStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VexStatement {
    /// CVE-…, GHSA-…, etc.
    pub vulnerability_id: String,
    pub aliases: Vec<String>,
    /// purl, bom-ref / BOM-Link, or CSAF product id.
    pub product: String,
    pub product_name: Option<String>,
    pub purl: Option<String>,
    pub status: VexStatus,
    pub justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    /// RFC 3339 when the document gives one.
    pub timestamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentFacts {
    /// HTML <title>, first Markdown heading, or PDF /Title when easily readable.
    pub title: Option<String>,
    /// "1.7" for a PDF starting with `%PDF-1.7`.
    pub pdf_version: Option<String>,
    pub size_bytes: usize,
}

/// One problem found in a rejected document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defect {
    /// JSON pointer to the offending value; "" for the whole document.
    pub pointer: String,
    pub message: String,
    /// e.g. "6.1.16" for CSAF mandatory tests.
    pub test: Option<String>,
}

impl Defect {
    pub(crate) fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Defect { pointer: pointer.into(), message: message.into(), test: None }
    }
}

/// Maximum number of defects reported in one rejection.
pub const MAX_DEFECTS: usize = 20;

/// A failed validation: a human message and the first defects (at most [`MAX_DEFECTS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Rejection {
    pub message: String,
    pub defects: Vec<Defect>,
}

impl Rejection {
    /// A rejection with one whole-document defect carrying the same message.
    pub(crate) fn whole(message: impl Into<String>) -> Self {
        let message = message.into();
        Rejection { defects: vec![Defect::new("", message.clone())], message }
    }

    /// `what` failed validation with `defects` (truncated to MAX_DEFECTS).
    pub(crate) fn from_defects(what: &str, mut defects: Vec<Defect>) -> Self {
        let total = defects.len();
        defects.truncate(MAX_DEFECTS);
        let first = defects
            .first()
            .map(|d| if d.pointer.is_empty() { d.message.clone() } else { format!("{} (at {})", d.message, d.pointer) })
            .unwrap_or_else(|| "unknown defect".to_string());
        let more = if total > 1 { format!(" (and {} more)", total - 1) } else { String::new() };
        Rejection { message: format!("{what} is invalid: {first}{more}"), defects }
    }
}

/// Validate `bytes` as `kind` and extract facts. Pure function, no I/O.
pub fn analyze(kind: ArtifactKind, bytes: &[u8]) -> Result<Analysis, Rejection> {
    if kind == ArtifactKind::Document {
        if let Some(looks) = json::sniff_structured(bytes) {
            return Err(Rejection::whole(format!(
                "expected a document (PDF, HTML, Markdown or text) but this looks like {}; upload it as kind {}",
                looks.describe(),
                looks.kind()
            )));
        }
        return document::analyze(bytes);
    }
    let value = json::parse(bytes, kind)?;
    let looks = json::classify(&value);
    match kind {
        ArtifactKind::Sbom => match looks {
            json::Looks::CycloneDx | json::Looks::Unknown => cyclonedx::analyze(&value, false),
            json::Looks::Spdx => spdx::analyze(&value),
            other => Err(mismatch(kind, &other)),
        },
        ArtifactKind::Vex => match looks {
            json::Looks::CycloneDx => cyclonedx::analyze(&value, true),
            json::Looks::OpenVex => openvex::analyze(&value),
            json::Looks::Csaf { ref category } if category == "csaf_vex" => csaf::analyze(&value),
            json::Looks::Unknown => Err(Rejection::whole(
                "not a recognised VEX document: expected OpenVEX (@context https://openvex.dev/ns…), \
                 CycloneDX with vulnerabilities[].analysis, or CSAF 2.0 with document.category csaf_vex",
            )),
            other => Err(mismatch(kind, &other)),
        },
        ArtifactKind::Advisory => match looks {
            json::Looks::Csaf { .. } | json::Looks::Unknown => csaf::analyze(&value),
            other => Err(mismatch(kind, &other)),
        },
        ArtifactKind::Document => document::analyze(bytes),
    }
}

fn mismatch(kind: ArtifactKind, looks: &json::Looks) -> Rejection {
    let expected = match kind {
        ArtifactKind::Sbom => "a CycloneDX or SPDX JSON SBOM",
        ArtifactKind::Vex => "a VEX document (OpenVEX, CycloneDX VEX or CSAF csaf_vex)",
        ArtifactKind::Advisory => "a CSAF 2.0 advisory",
        ArtifactKind::Document => "a document (PDF, HTML, Markdown or text)",
    };
    Rejection::whole(format!(
        "expected {expected} but this looks like {}; upload it as kind {}",
        looks.describe(),
        looks.kind()
    ))
}

/// Best guess of kind from content (for uploads without a declared kind).
///
/// CycloneDX with vulnerabilities[].analysis and no/few components → Vex; other CycloneDX → Sbom;
/// SPDX → Sbom; OpenVEX → Vex; CSAF csaf_vex → Vex; other CSAF → Advisory; PDF/text/Markdown/HTML → Document.
/// Binary or empty content → None.
pub fn detect_kind(bytes: &[u8]) -> Option<ArtifactKind> {
    if let Some(looks) = json::sniff_structured(bytes) {
        return Some(looks.kind());
    }
    document::sniff(bytes).ok().map(|_| ArtifactKind::Document)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn kind_round_trip() {
        for k in [ArtifactKind::Sbom, ArtifactKind::Vex, ArtifactKind::Advisory, ArtifactKind::Document] {
            let s = serde_json::to_string(&k).unwrap();
            assert_eq!(s, format!("\"{}\"", k.as_str()));
            assert_eq!(k.as_str().parse::<ArtifactKind>().unwrap(), k);
        }
        assert_eq!(serde_json::to_string(&VexStatus::UnderInvestigation).unwrap(), "\"under_investigation\"");
    }

    #[test]
    fn rejection_message_counts() {
        let r = Rejection::from_defects("x", vec![Defect::new("/a", "bad"), Defect::new("", "worse")]);
        assert_eq!(r.message, "x is invalid: bad (at /a) (and 1 more)");
        assert_eq!(r.to_string(), r.message);
    }
}
