//! What a portal reader may see: published artifacts of portal-visible products within the
//! reader's product scope. Anything else does not exist for them (404).

use diesel::prelude::*;

use super::model::*;
use super::reader::PortalReader;
use crate::artifacts::model::{ArtifactKind, DocumentType};
use crate::artifacts::service::{normalize_vuln_id, statement_view};
use crate::artifacts::store::{Artifact, VexStatementRow};
use crate::catalogue::model::LifecycleStatus;
use crate::catalogue::store::{Product, Version};
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::utc;

fn visible_products(conn: &mut DbConnection, r: &PortalReader) -> ApiResult<Vec<Product>> {
    let mut q = products::table
        .filter(products::org_id.eq(&r.portal.org_id))
        .filter(products::portal_visible.eq(true))
        .into_boxed();
    if let Some(scope) = r.scope() {
        q = q.filter(products::id.eq_any(scope));
    }
    Ok(q.order(products::name.asc()).select(Product::as_select()).load(conn)?)
}

pub fn product(conn: &mut DbConnection, r: &PortalReader, slug: &str) -> ApiResult<Product> {
    visible_products(conn, r)?
        .into_iter()
        .find(|p| p.slug == slug)
        .ok_or_else(|| ApiError::NotFound(format!("product `{slug}` not found")))
}

pub fn version(conn: &mut DbConnection, p: &Product, version: &str) -> ApiResult<Version> {
    product_versions::table
        .filter(product_versions::product_id.eq(&p.id))
        .filter(product_versions::version.eq(version))
        .select(Version::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("version `{version}` not found")))
}

/// Published artifacts linked to a version, newest first.
fn published_of_version(conn: &mut DbConnection, org_id: &str, version_id: &str) -> ApiResult<Vec<Artifact>> {
    let ids: Vec<String> = artifact_versions::table
        .filter(artifact_versions::version_id.eq(version_id))
        .select(artifact_versions::artifact_id)
        .load(conn)?;
    Ok(artifacts::table
        .filter(artifacts::id.eq_any(ids))
        .filter(artifacts::org_id.eq(org_id))
        .filter(artifacts::status.eq("published"))
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
        .select(Artifact::as_select())
        .load(conn)?)
}

fn portal_version(conn: &mut DbConnection, org_id: &str, v: &Version) -> ApiResult<PortalVersion> {
    let n = published_of_version(conn, org_id, &v.id)?.len() as i64;
    Ok(PortalVersion {
        version: v.version.clone(),
        release_date: v.release_date,
        support_until: v.support_until,
        status: LifecycleStatus::parse(&v.status),
        artifact_count: n,
    })
}

fn versions_of(conn: &mut DbConnection, p: &Product) -> ApiResult<Vec<Version>> {
    Ok(product_versions::table
        .filter(product_versions::product_id.eq(&p.id))
        .order((product_versions::release_date.desc(), product_versions::created_at.desc()))
        .select(Version::as_select())
        .load(conn)?)
}

pub fn product_view(conn: &mut DbConnection, r: &PortalReader, p: Product) -> ApiResult<PortalProduct> {
    let versions = versions_of(conn, &p)?
        .iter()
        .map(|v| portal_version(conn, &r.portal.org_id, v))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(PortalProduct { slug: p.slug, name: p.name, description: p.description, versions })
}

pub fn products(conn: &mut DbConnection, r: &PortalReader) -> ApiResult<Vec<PortalProduct>> {
    visible_products(conn, r)?.into_iter().map(|p| product_view(conn, r, p)).collect()
}

pub fn artifact_view(a: &Artifact, slug: &str) -> PortalArtifact {
    let facts: serde_json::Value = serde_json::from_str(&a.facts).unwrap_or_default();
    let adv = &facts["advisory"];
    PortalArtifact {
        id: a.id.clone(),
        kind: ArtifactKind::parse(&a.kind).unwrap_or(ArtifactKind::Document),
        format: a.format.clone(),
        media_type: a.media_type.clone(),
        filename: a.filename.clone(),
        size: a.size,
        sha256: a.sha256.clone(),
        title: a.title.clone(),
        document_type: a.document_type.as_deref().and_then(DocumentType::parse),
        published_at: a.published_at.map(utc),
        severity: adv["severity"].as_str().map(str::to_string),
        max_cvss_base_score: adv["max_cvss_base_score"].as_f64(),
        cves: adv["cves"]
            .as_array()
            .map(|c| c.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
        download_url: format!("/api/v1/portal/{slug}/artifacts/{}/download", a.id),
    }
}

pub fn version_detail(
    conn: &mut DbConnection,
    r: &PortalReader,
    p: &Product,
    v: &Version,
) -> ApiResult<PortalVersionDetail> {
    let arts = published_of_version(conn, &r.portal.org_id, &v.id)?;
    let mut by_kind = ArtifactsByKind { sbom: vec![], vex: vec![], advisory: vec![], document: vec![] };
    for a in &arts {
        let view = artifact_view(a, &r.portal.slug);
        match view.kind {
            ArtifactKind::Sbom => by_kind.sbom.push(view),
            ArtifactKind::Vex => by_kind.vex.push(view),
            ArtifactKind::Advisory => by_kind.advisory.push(view),
            ArtifactKind::Document => by_kind.document.push(view),
        }
    }
    Ok(PortalVersionDetail {
        product_slug: p.slug.clone(),
        product_name: p.name.clone(),
        version: portal_version(conn, &r.portal.org_id, v)?,
        artifacts: by_kind,
    })
}

type Placement = (Product, Version);

/// The visible product versions an artifact applies to (its upload version first).
fn visible_placements(conn: &mut DbConnection, r: &PortalReader, a: &Artifact) -> ApiResult<Vec<Placement>> {
    let rows: Vec<(Version, Product)> = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq(&a.id))
        .filter(products::portal_visible.eq(true))
        .select((Version::as_select(), Product::as_select()))
        .load(conn)?;
    let scope = r.scope();
    let mut out: Vec<Placement> = rows
        .into_iter()
        .filter(|(_, p)| scope.as_ref().is_none_or(|s| s.contains(&p.id)))
        .map(|(v, p)| (p, v))
        .collect();
    out.sort_by_key(|(_, v)| v.id != a.version_id);
    Ok(out)
}

/// A published artifact the reader may download, with where it is filed (for the audit record).
pub fn downloadable(conn: &mut DbConnection, r: &PortalReader, id: &str) -> ApiResult<(Artifact, Placement)> {
    let not_found = || ApiError::NotFound(format!("artifact `{id}` not found"));
    let a: Artifact = artifacts::table
        .filter(artifacts::id.eq(id))
        .filter(artifacts::org_id.eq(&r.portal.org_id))
        .filter(artifacts::status.eq("published"))
        .select(Artifact::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    let placement = visible_placements(conn, r, &a)?.into_iter().next().ok_or_else(not_found)?;
    Ok((a, placement))
}

/// The newest published statement per vulnerability and component for a version.
pub fn vex(conn: &mut DbConnection, r: &PortalReader, v: &Version) -> ApiResult<Vec<PortalVexStatement>> {
    let arts = published_of_version(conn, &r.portal.org_id, &v.id)?;
    let mut out: Vec<PortalVexStatement> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // `arts` is newest first, so the first statement seen per key is the newest.
    for a in arts.iter().filter(|a| a.kind == "vex" || a.kind == "advisory") {
        let rows: Vec<VexStatementRow> = vex_statements::table
            .filter(vex_statements::artifact_id.eq(&a.id))
            .order(vex_statements::id.asc())
            .select(VexStatementRow::as_select())
            .load(conn)?;
        for s in rows {
            if seen.insert((s.vulnerability_id.clone(), s.product_ref.clone())) {
                out.push(PortalVexStatement {
                    statement: statement_view(s),
                    artifact_id: a.id.clone(),
                    artifact_published_at: a.published_at.map(utc),
                });
            }
        }
    }
    out.sort_by(|x, y| {
        x.statement
            .vulnerability_id
            .cmp(&y.statement.vulnerability_id)
            .then(x.statement.product.cmp(&y.statement.product))
    });
    Ok(out)
}

pub fn advisories(conn: &mut DbConnection, r: &PortalReader, q: &AdvisoryQuery) -> ApiResult<Vec<PortalAdvisory>> {
    let mut query = artifacts::table
        .filter(artifacts::org_id.eq(&r.portal.org_id))
        .filter(artifacts::kind.eq("advisory"))
        .filter(artifacts::status.eq("published"))
        .into_boxed();
    if let Some(cve) = &q.cve {
        let ids: Vec<String> = artifact_vulnerabilities::table
            .filter(artifact_vulnerabilities::vulnerability_id.eq(normalize_vuln_id(cve)))
            .select(artifact_vulnerabilities::artifact_id)
            .load(conn)?;
        query = query.filter(artifacts::id.eq_any(ids));
    }
    let arts: Vec<Artifact> =
        query.order((artifacts::published_at.desc(), artifacts::id.asc())).select(Artifact::as_select()).load(conn)?;
    let mut out = Vec::new();
    for a in arts {
        let placements = visible_placements(conn, r, &a)?;
        if placements.is_empty()
            || q.product.as_ref().is_some_and(|slug| !placements.iter().any(|(p, _)| &p.slug == slug))
        {
            continue;
        }
        let facts: serde_json::Value = serde_json::from_str(&a.facts).unwrap_or_default();
        let adv = &facts["advisory"];
        out.push(PortalAdvisory {
            tracking_id: adv["tracking_id"].as_str().map(str::to_string),
            current_release_date: adv["current_release_date"].as_str().map(str::to_string),
            initial_release_date: adv["initial_release_date"].as_str().map(str::to_string),
            applies_to: placements
                .into_iter()
                .map(|(p, v)| ProductVersionName { product_slug: p.slug, product_name: p.name, version: v.version })
                .collect(),
            artifact: artifact_view(&a, &r.portal.slug),
        });
    }
    Ok(out)
}

/// "Am I affected?": the status of one vulnerability in every product version the reader may see.
pub fn vulnerability(conn: &mut DbConnection, r: &PortalReader, raw_id: &str) -> ApiResult<VulnerabilityReport> {
    let id = normalize_vuln_id(raw_id);
    if id.is_empty() || id.len() > 100 {
        return Err(ApiError::validation("id", "must be a vulnerability id such as CVE-2024-3094"));
    }
    let ids: Vec<String> = artifact_vulnerabilities::table
        .filter(artifact_vulnerabilities::vulnerability_id.eq(&id))
        .select(artifact_vulnerabilities::artifact_id)
        .load(conn)?;
    let arts: Vec<Artifact> = artifacts::table
        .filter(artifacts::id.eq_any(ids))
        .filter(artifacts::org_id.eq(&r.portal.org_id))
        .filter(artifacts::status.eq("published"))
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
        .select(Artifact::as_select())
        .load(conn)?;
    let mut results = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in arts {
        let placements = visible_placements(conn, r, &a)?;
        if placements.is_empty() {
            continue;
        }
        let rows: Vec<VexStatementRow> = vex_statements::table
            .filter(vex_statements::artifact_id.eq(&a.id))
            .select(VexStatementRow::as_select())
            .load(conn)?;
        for s in rows
            .into_iter()
            .filter(|s| s.vulnerability_id == id || s.aliases.split_whitespace().any(|x| normalize_vuln_id(x) == id))
        {
            for (p, v) in &placements {
                if !seen.insert((p.id.clone(), v.id.clone(), s.product_ref.clone())) {
                    continue;
                }
                results.push(AffectedResult {
                    product_slug: p.slug.clone(),
                    product_name: p.name.clone(),
                    version: v.version.clone(),
                    status: s.status.clone(),
                    component: s.product_ref.clone(),
                    component_name: s.product_name.clone(),
                    justification: s.justification.clone(),
                    impact_statement: s.impact_statement.clone(),
                    action_statement: s.action_statement.clone(),
                    artifact_id: a.id.clone(),
                    artifact_kind: ArtifactKind::parse(&a.kind).unwrap_or(ArtifactKind::Vex),
                    artifact_title: a.title.clone(),
                    published_at: a.published_at.map(utc),
                });
            }
        }
    }
    Ok(VulnerabilityReport { vulnerability_id: id, results })
}
