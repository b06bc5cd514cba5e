use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::artifacts::model::{ArtifactKind, ArtifactStatus};
use crate::db::schema::*;
use crate::domain::Tlp;
use crate::ids::{ArtifactId, OrgId, ProductId, VersionId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = artifacts)]
pub struct Artifact {
    pub id: ArtifactId,
    pub org_id: OrgId,
    pub product_id: ProductId,
    pub version_id: VersionId,
    pub kind: ArtifactKind,
    pub format: String,
    pub media_type: String,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub sha512: String,
    pub status: ArtifactStatus,
    pub document_type: Option<String>,
    pub title: Option<String>,
    pub facts: String,
    pub supersedes_id: Option<ArtifactId>,
    pub superseded_by_id: Option<ArtifactId>,
    pub uploaded_by_type: String,
    pub uploaded_by_id: Option<String>,
    pub uploaded_by_name: String,
    pub uploaded_at: NaiveDateTime,
    pub published_by_name: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub withdrawn_by_name: Option<String>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawal_reason: Option<String>,
    /// The artifact's own label (the document's or an explicit one); `None`: the portal default.
    pub tlp: Option<Tlp>,
}

/// What a delivery needs of an artifact: never its facts, which for a large SBOM are tens of
/// megabytes (loading them per download made 20 concurrent downloads of a 50 MB SBOM peak at
/// 786 MB RSS).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = artifacts)]
pub struct Deliverable {
    pub id: ArtifactId,
    pub kind: ArtifactKind,
    pub format: String,
    pub media_type: String,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub tlp: Option<Tlp>,
}

impl Artifact {
    /// Whether the document itself carries its TLP label (CSAF, CycloneDX 1.7): the rule of
    /// [`super::model::Facts::document_tlp`].
    pub fn labelled_by_document(&self) -> bool {
        super::model::Facts::parse(&self.id, &self.facts).is_ok_and(|f| f.document_tlp().is_some())
    }

    pub fn tlp_source(&self) -> crate::domain::TlpSource {
        crate::domain::TlpSource::of(self.tlp, self.labelled_by_document())
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vex_statements)]
pub struct VexStatementRow {
    pub id: i64,
    pub artifact_id: String,
    pub vulnerability_id: String,
    pub aliases: String,
    pub product_ref: String,
    pub product_name: Option<String>,
    pub purl: Option<String>,
    pub status: String,
    pub justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub statement_time: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = vex_statements)]
pub struct NewVexStatement {
    pub artifact_id: String,
    pub vulnerability_id: String,
    pub aliases: String,
    pub product_ref: String,
    pub product_name: Option<String>,
    pub purl: Option<String>,
    pub status: String,
    pub justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub statement_time: Option<String>,
}
