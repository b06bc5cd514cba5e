//! The admin side's views of artifacts: one, a filtered list, and the detail with facts, every
//! version it applies to and its VEX statements.

use diesel::prelude::*;

use super::model::*;
use super::store::*;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::utc;

type RefRow = (String, String, String, String, String);

fn pv_ref((product_id, product_slug, product_name, version_id, version): RefRow) -> ProductVersionRef {
    ProductVersionRef {
        product_id: product_id.into(),
        product_slug,
        product_name,
        version_id: version_id.into(),
        version,
    }
}

pub fn view(a: Artifact, r: RefRow) -> ArtifactView {
    ArtifactView {
        kind: a.kind,
        status: a.status,
        tlp_source: a.tlp_source(),
        tlp: a.tlp,
        document_type: a.document_type.as_deref().and_then(DocumentType::parse),
        product_version: pv_ref(r),
        uploaded_by: ActorRef { type_: a.uploaded_by_type, id: a.uploaded_by_id, name: a.uploaded_by_name },
        uploaded_at: utc(a.uploaded_at),
        published_by: a.published_by_name,
        published_at: a.published_at.map(utc),
        withdrawn_by: a.withdrawn_by_name,
        withdrawn_at: a.withdrawn_at.map(utc),
        withdrawal_reason: a.withdrawal_reason,
        supersedes: a.supersedes_id,
        superseded_by: a.superseded_by_id,
        id: a.id,
        format: a.format,
        media_type: a.media_type,
        filename: a.filename,
        size: a.size,
        sha256: a.sha256,
        sha512: a.sha512,
        title: a.title,
    }
}

macro_rules! ref_columns {
    () => {
        (products::id, products::slug, products::name, product_versions::id, product_versions::version)
    };
}

pub fn list(conn: &mut DbConnection, org_id: &str, q: &ArtifactListQuery) -> ApiResult<Vec<ArtifactView>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::validation("limit", "must be between 1 and 500"));
    }
    let offset = q.offset.unwrap_or(0).max(0);
    let mut query = artifacts::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifacts::org_id.eq(org_id))
        .into_boxed();
    if let Some(p) = &q.product {
        query = query.filter(products::slug.eq(p.clone()));
    }
    if let Some(v) = &q.version {
        query = query.filter(product_versions::version.eq(v.clone()));
    }
    if let Some(k) = q.kind {
        query = query.filter(artifacts::kind.eq(k.as_str()));
    }
    if let Some(s) = q.status {
        query = query.filter(artifacts::status.eq(s.as_str()));
    }
    let rows: Vec<(Artifact, RefRow)> = query
        .order((artifacts::uploaded_at.desc(), artifacts::id.asc()))
        .limit(limit)
        .offset(offset)
        .select((Artifact::as_select(), ref_columns!()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(a, r)| view(a, r)).collect())
}

pub fn statement_view(s: VexStatementRow) -> VexStatementView {
    VexStatementView {
        vulnerability_id: s.vulnerability_id,
        aliases: s.aliases.split_whitespace().map(str::to_string).collect(),
        product: s.product_ref,
        product_name: s.product_name,
        purl: s.purl,
        status: s.status,
        justification: s.justification,
        impact_statement: s.impact_statement,
        action_statement: s.action_statement,
        timestamp: s.statement_time,
    }
}

pub fn applies_to(
    conn: &mut DbConnection,
    artifact_id: &str,
    primary_version: &str,
) -> ApiResult<Vec<ProductVersionRef>> {
    let mut rows: Vec<RefRow> = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq(artifact_id))
        .order((products::slug.asc(), product_versions::version.asc()))
        .select(ref_columns!())
        .load(conn)?;
    rows.sort_by_key(|r| r.3 != primary_version);
    Ok(rows.into_iter().map(pv_ref).collect())
}

pub fn detail(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<ArtifactDetail> {
    let (a, r): (Artifact, RefRow) = artifacts::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifacts::org_id.eq(org_id))
        .filter(artifacts::id.eq(id))
        .select((Artifact::as_select(), ref_columns!()))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("artifact `{id}` not found")))?;
    let statements: Vec<VexStatementRow> = vex_statements::table
        .filter(vex_statements::artifact_id.eq(id))
        .order(vex_statements::id.asc())
        .select(VexStatementRow::as_select())
        .load(conn)?;
    let facts = Facts::parse(&a.id, &a.facts)?;
    let applies_to = applies_to(conn, id, &a.version_id)?;
    let csaf_url = csaf_location(conn, &a)?;
    Ok(ArtifactDetail {
        signature_url: csaf_url.as_ref().map(|u| format!("{u}.asc")),
        csaf_url,
        conformance: facts.conformance.clone(),
        artifact: view(a, r),
        facts,
        applies_to,
        vex_statements: statements.into_iter().map(statement_view).collect(),
        warnings: Vec::new(),
    })
}

/// Where the portal's CSAF provider serves a published CSAF document (relative to the origin),
/// as customers and aggregators fetch it; `None` for other kinds, unpublished or superseded
/// documents, or an organisation without a portal. The label is the document's own, else the
/// portal's default, as the disclosure rule files it.
fn csaf_location(conn: &mut DbConnection, a: &Artifact) -> ApiResult<Option<String>> {
    if !a.format.starts_with("csaf") || a.status != ArtifactStatus::Published || a.superseded_by_id.is_some() {
        return Ok(None);
    }
    let Some(doc) = csaf_documents::table
        .find(a.id.as_str())
        .select(super::index::CsafDocument::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let portal: Option<(String, crate::domain::Tlp)> =
        portals::table.find(a.org_id.as_str()).select((portals::slug, portals::default_tlp)).first(conn).optional()?;
    Ok(portal.map(|(slug, default_tlp)| doc.provider_url(&slug, crate::domain::Tlp::effective(a.tlp, default_tlp))))
}
