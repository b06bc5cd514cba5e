//! Wire types of the CRA vendor checklist.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{ArtifactKind, ArtifactStatus};
use crate::validate;

/// How a product meets a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ChecklistStatus {
    Met,
    PartiallyMet,
    NotMet,
    NotApplicable,
}

impl ChecklistStatus {
    pub fn label(self) -> &'static str {
        match self {
            ChecklistStatus::Met => "Met",
            ChecklistStatus::PartiallyMet => "Partially met",
            ChecklistStatus::NotMet => "Not met",
            ChecklistStatus::NotApplicable => "Not applicable",
        }
    }
}

/// A section of the template: its clauses, as the buyer words them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct TemplateSection {
    /// Stable id (`sbom`, `vulnerability-management`, …).
    #[garde(custom(validate::slug))]
    pub id: String,
    #[garde(custom(validate::text(1, 200)))]
    pub title: String,
    #[garde(custom(validate::each_text(1, 5000, "clauses must be 1 to 5000 characters")))]
    pub clauses: Vec<String>,
}

/// The organisation's template (the built-in CRA vendor checklist unless edited).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct ChecklistTemplate {
    #[garde(custom(validate::items(1, 50, "must hold 1 to 50 sections")), dive)]
    pub sections: Vec<TemplateSection>,
}

/// The answer to one section, as stored and as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionAnswer {
    /// The template section it answers.
    pub id: String,
    /// `null`: not assessed yet.
    pub status: Option<ChecklistStatus>,
    #[serde(default)]
    pub statement: String,
    /// Artifact ids of this product (e.g. the SBOM for §5, a CSAF advisory or VEX for §4, a
    /// certificate for §8).
    #[serde(default)]
    pub evidence: Vec<String>,
    pub reviewer: Option<String>,
    pub review_date: Option<NaiveDate>,
}

/// `PUT …/checklist`: the answers and whether customers see it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateChecklist {
    pub published: bool,
    pub sections: Vec<SectionAnswer>,
}

/// An artifact named as evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceRef {
    pub artifact_id: String,
    pub kind: ArtifactKind,
    pub filename: String,
    pub title: Option<String>,
    /// The manufacturer's view only (customers see published evidence they may read).
    pub status: ArtifactStatus,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistSection {
    pub id: String,
    pub title: String,
    pub clauses: Vec<String>,
    pub status: Option<ChecklistStatus>,
    pub statement: String,
    pub evidence: Vec<EvidenceRef>,
    pub reviewer: Option<String>,
    pub review_date: Option<NaiveDate>,
}

/// A product's checklist, as one reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductChecklist {
    pub product_slug: String,
    pub product_name: String,
    pub published: bool,
    pub sections: Vec<ChecklistSection>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    /// SHA-256 of this checklist's text as the reader sees it (its Markdown rendering); an
    /// acknowledgement names it.
    pub sha256: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChecklistQuery {
    /// `json` (default) or `markdown`.
    pub format: Option<String>,
}

/// A customer's acknowledgement (the checklist's signature section).
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateAcknowledgement {
    #[garde(custom(validate::text(1, 200)))]
    pub name: String,
    #[garde(custom(validate::text(1, 200)))]
    pub title: String,
    /// The `sha256` of the checklist the customer read; refused (409) when it changed since.
    /// Omitted: the text as it is now is the one acknowledged (and its SHA-256 recorded).
    #[garde(skip)]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Acknowledgement {
    pub id: String,
    pub token_id: String,
    pub token_name: Option<String>,
    pub name: String,
    pub title: String,
    pub sha256: String,
    pub acknowledged_at: DateTime<Utc>,
}
