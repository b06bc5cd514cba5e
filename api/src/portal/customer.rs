//! The customer REST API's views. What a reader may see is the disclosure rule's answer
//! ([`crate::disclosure`]); anything else does not exist for them (404).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::model::*;
use super::reader::PortalReader;
use crate::artifacts::index;
use crate::artifacts::model::{ArtifactKind, DocumentType};
use crate::artifacts::service::{normalize_vuln_id, statement_view};
use crate::artifacts::store::{Artifact, VexStatementRow};
use crate::catalogue::store::{Product, Version};
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ArtifactId, ProductId, VersionId};
use crate::paging::{PageParams, Paged};
use crate::time::utc;

pub fn product(conn: &mut DbConnection, r: &PortalReader, slug: &str) -> ApiResult<Product> {
    disclosure::product(conn, &r.audience, slug)
}

pub fn version(conn: &mut DbConnection, r: &PortalReader, p: &Product, version: &str) -> ApiResult<Version> {
    disclosure::version(conn, &r.audience, p, version)
}

fn portal_version(v: &Version, counts: &HashMap<VersionId, i64>) -> ApiResult<PortalVersion> {
    Ok(PortalVersion {
        version: v.version.clone(),
        release_date: v.release_date,
        support_until: v.support_until,
        status: v.status,
        artifact_count: counts.get(&v.id).copied().unwrap_or(0),
    })
}

/// The products with the versions the reader may see (three queries whatever the catalogue's size).
fn product_views(conn: &mut DbConnection, r: &PortalReader, list: Vec<Product>) -> ApiResult<Vec<PortalProduct>> {
    let ids: Vec<ProductId> = list.iter().map(|p| p.id.clone()).collect();
    let versions = disclosure::versions(conn, &r.audience, &ids)?;
    let version_ids: Vec<VersionId> = versions.iter().map(|v| v.id.clone()).collect();
    let counts = disclosure::counts_at(conn, &r.audience, &version_ids)?;
    let with_checklist: HashSet<ProductId> = product_checklists::table
        .filter(product_checklists::product_id.eq_any(&ids))
        .filter(product_checklists::published.eq(true))
        .select(product_checklists::product_id)
        .load::<ProductId>(conn)?
        .into_iter()
        .collect();
    list.into_iter()
        .map(|p| {
            let versions = versions
                .iter()
                .filter(|v| v.product_id == p.id)
                .map(|v| portal_version(v, &counts))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(PortalProduct {
                checklist_published: with_checklist.contains(&p.id),
                slug: p.slug,
                name: p.name,
                description: p.description,
                versions,
            })
        })
        .collect()
}

pub fn product_view(conn: &mut DbConnection, r: &PortalReader, p: Product) -> ApiResult<PortalProduct> {
    product_views(conn, r, vec![p])?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("product view lost its product")))
}

/// A page of the products the reader may see, by name.
pub fn products(conn: &mut DbConnection, r: &PortalReader, page: &PageParams) -> ApiResult<Paged<PortalProduct>> {
    let limit = page.limit()?;
    let rows = disclosure::products(conn, &r.audience, &page.after()?, limit + 1)?;
    let page = Paged::of(rows, limit, |p| (p.name.clone(), p.id.to_string()));
    let views = product_views(conn, r, page.items)?;
    Ok(Paged { items: views, next: page.next })
}

fn facts(a: &Artifact) -> ApiResult<serde_json::Value> {
    serde_json::from_str(&a.facts)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("artifact {} has unreadable facts: {e}", a.id)))
}

/// What an artifact's view shows of its facts. Only these parts are built: an SBOM's facts hold
/// its whole component list (megabytes for a large SBOM), which serde skips over unbuilt here
/// instead of materialising it per artifact per request.
#[derive(serde::Deserialize)]
struct ViewFacts {
    #[serde(default)]
    conformance: Option<Vec<portal_formats::ProfileResult>>,
    #[serde(default)]
    advisory: serde_json::Value,
}

pub fn artifact_view(r: &PortalReader, a: &Artifact) -> ApiResult<PortalArtifact> {
    let facts: ViewFacts = serde_json::from_str(&a.facts)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("artifact {} has unreadable facts: {e}", a.id)))?;
    let adv = &facts.advisory;
    let slug = &r.portal.slug;
    let tlp = r.audience.effective(a.tlp);
    let csaf_url = a
        .format
        .starts_with("csaf")
        .then(|| {
            let doc = serde_json::json!({ "advisory": adv });
            index::csaf_document(&a.id, a.org_id.as_str(), &doc, a.uploaded_at)
        })
        .flatten()
        .map(|doc| doc.provider_url(slug, tlp));
    Ok(PortalArtifact {
        id: a.id.to_string(),
        kind: a.kind,
        tlp,
        signature_url: csaf_url.as_ref().map(|u| format!("{u}.asc")),
        csaf_url,
        conformance: facts.conformance.unwrap_or_default(),
        format: a.format.clone(),
        media_type: a.media_type.clone(),
        filename: a.filename.clone(),
        size: a.size,
        sha256: a.sha256.clone(),
        sha512: a.sha512.clone(),
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
    })
}

pub fn version_detail(
    conn: &mut DbConnection,
    r: &PortalReader,
    p: &Product,
    v: &Version,
) -> ApiResult<PortalVersionDetail> {
    let arts = disclosure::artifacts_at(conn, &r.audience, &v.id)?;
    let counts = HashMap::from([(v.id.clone(), arts.len() as i64)]);
    let mut by_kind = ArtifactsByKind { sbom: vec![], vex: vec![], advisory: vec![], document: vec![] };
    for a in &arts {
        let view = artifact_view(r, a)?;
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
        version: portal_version(v, &counts)?,
        artifacts: by_kind,
    })
}

/// The newest published statement per vulnerability and component for a version; a component
/// the statement names only by purl or bom-ref (`urn:cdx:…#ref`) gets its name from the version's
/// SBOMs the reader may see.
pub fn vex(conn: &mut DbConnection, r: &PortalReader, v: &Version) -> ApiResult<Vec<PortalVexStatement>> {
    let all = disclosure::artifacts_at(conn, &r.audience, &v.id)?;
    let names = component_names(all.iter().filter(|a| a.kind == ArtifactKind::Sbom))?;
    let arts: Vec<Artifact> =
        all.into_iter().filter(|a| matches!(a.kind, ArtifactKind::Vex | ArtifactKind::Advisory)).collect();
    let ids: Vec<ArtifactId> = arts.iter().map(|a| a.id.clone()).collect();
    let mut rows: HashMap<String, Vec<VexStatementRow>> = HashMap::new();
    for s in vex_statements::table
        .filter(vex_statements::artifact_id.eq_any(&ids))
        .order(vex_statements::id.asc())
        .select(VexStatementRow::as_select())
        .load(conn)?
    {
        rows.entry(s.artifact_id.clone()).or_default().push(s);
    }
    let mut out: Vec<PortalVexStatement> = Vec::new();
    let mut seen = HashSet::new();
    // `arts` is newest first, so the first statement seen per key is the newest.
    for a in &arts {
        for s in rows.remove(a.id.as_str()).unwrap_or_default() {
            if seen.insert((s.vulnerability_id.clone(), s.product_ref.clone())) {
                let mut statement = statement_view(s);
                if statement.product_name.is_none() {
                    statement.product_name = names.lookup(&statement.product, statement.purl.as_deref());
                }
                out.push(PortalVexStatement {
                    statement,
                    artifact_id: a.id.to_string(),
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

/// "name version" of every component of some SBOMs, by purl and by bom-ref.
#[derive(Default)]
struct ComponentNames {
    by_purl: HashMap<String, String>,
    by_ref: HashMap<String, String>,
}

impl ComponentNames {
    fn lookup(&self, product: &str, purl: Option<&str>) -> Option<String> {
        let by_ref = || {
            // `urn:cdx:<serial>/<version>#<bom-ref>` names a component of another BOM by its bom-ref.
            let r = product.rsplit_once('#').map(|(_, r)| r).unwrap_or(product);
            self.by_ref.get(r).cloned()
        };
        purl.and_then(|p| self.by_purl.get(p).cloned()).or_else(|| self.by_purl.get(product).cloned()).or_else(by_ref)
    }
}

fn component_names<'a>(sboms: impl Iterator<Item = &'a Artifact>) -> ApiResult<ComponentNames> {
    let mut names = ComponentNames::default();
    for a in sboms {
        let facts = facts(a)?;
        let sbom = &facts["sbom"];
        let primary = sbom.get("primary_component").filter(|c| !c.is_null()).into_iter();
        let components = sbom["components"].as_array().into_iter().flatten();
        for c in primary.chain(components) {
            let Some(name) = c["name"].as_str() else { continue };
            let label = match c["version"].as_str() {
                Some(v) if !v.is_empty() => format!("{name} {v}"),
                _ => name.to_string(),
            };
            if let Some(p) = c["purl"].as_str() {
                names.by_purl.entry(p.to_string()).or_insert_with(|| label.clone());
            }
            if let Some(r) = c["bom_ref"].as_str() {
                names.by_ref.entry(r.to_string()).or_insert(label);
            }
        }
    }
    Ok(names)
}

/// Visible placements of the artifacts, grouped by artifact id (upload version first).
fn placements_of(
    conn: &mut DbConnection,
    r: &PortalReader,
    ids: &[ArtifactId],
) -> ApiResult<HashMap<ArtifactId, Vec<(Product, Version)>>> {
    let mut out: HashMap<ArtifactId, Vec<(Product, Version)>> = HashMap::new();
    for (id, p, v) in disclosure::placements(conn, &r.audience, ids)? {
        out.entry(id).or_default().push((p, v));
    }
    Ok(out)
}

/// A page of the published CSAF advisories the reader may see, newest first.
pub fn advisories(
    conn: &mut DbConnection,
    r: &PortalReader,
    q: &AdvisoryQuery,
    page: &PageParams,
) -> ApiResult<Paged<PortalAdvisory>> {
    let limit = page.limit()?;
    let mut query =
        disclosure::visible_artifacts(&r.audience, artifacts::table.select(Artifact::as_select()).into_boxed())
            .filter(artifacts::kind.eq(ArtifactKind::Advisory));
    if let Some(cve) = &q.cve {
        query = query.filter(in_subquery(
            artifacts::id,
            artifact_vulnerabilities::table
                .filter(artifact_vulnerabilities::vulnerability_id.eq(normalize_vuln_id(cve)))
                .select(artifact_vulnerabilities::artifact_id)
                .into_boxed(),
        ));
    }
    if let Some(slug) = &q.product {
        let Some(product) = disclosure::product(conn, &r.audience, slug).ok() else {
            return Ok(Paged { items: Vec::new(), next: None });
        };
        query = query.filter(in_subquery(
            artifacts::id,
            artifact_versions::table
                .inner_join(product_versions::table)
                .filter(product_versions::product_id.eq(product.id))
                .select(artifact_versions::artifact_id)
                .into_boxed(),
        ));
    }
    if let Some((at, id)) = page.after()? {
        let at = cursor_time(&at)?;
        query =
            query.filter(artifacts::published_at.lt(at).or(artifacts::published_at.eq(at).and(artifacts::id.gt(id))));
    }
    let arts: Vec<Artifact> =
        query.order((artifacts::published_at.desc(), artifacts::id.asc())).limit(limit + 1).load(conn)?;
    let arts = Paged::of(arts, limit, |a| {
        (a.published_at.unwrap_or_default().and_utc().timestamp_micros().to_string(), a.id.to_string())
    });
    let ids: Vec<ArtifactId> = arts.items.iter().map(|a| a.id.clone()).collect();
    let mut placements = placements_of(conn, r, &ids)?;
    arts.try_map(|a| {
        let placed = placements.remove(&a.id).unwrap_or_default();
        let facts = facts(&a)?;
        let adv = &facts["advisory"];
        Ok(PortalAdvisory {
            tracking_id: adv["tracking_id"].as_str().map(str::to_string),
            current_release_date: adv["current_release_date"].as_str().map(str::to_string),
            initial_release_date: adv["initial_release_date"].as_str().map(str::to_string),
            applies_to: placed
                .into_iter()
                .map(|(p, v)| ProductVersionName { product_slug: p.slug, product_name: p.name, version: v.version })
                .collect(),
            artifact: artifact_view(r, &a)?,
        })
    })
}

/// A cursor's time key (microseconds since the epoch).
fn cursor_time(key: &str) -> ApiResult<chrono::NaiveDateTime> {
    key.parse::<i64>()
        .ok()
        .and_then(chrono::DateTime::from_timestamp_micros)
        .map(|t| t.naive_utc())
        .ok_or_else(|| ApiError::validation("cursor", "not a cursor returned by this API"))
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
    let arts: Vec<Artifact> =
        disclosure::visible_artifacts(&r.audience, artifacts::table.select(Artifact::as_select()).into_boxed())
            .filter(artifacts::id.eq_any(ids))
            .order((artifacts::published_at.desc(), artifacts::id.asc()))
            .load(conn)?;
    let art_ids: Vec<ArtifactId> = arts.iter().map(|a| a.id.clone()).collect();
    let mut placements = placements_of(conn, r, &art_ids)?;
    let mut statements: HashMap<String, Vec<VexStatementRow>> = HashMap::new();
    for s in vex_statements::table
        .filter(vex_statements::artifact_id.eq_any(&art_ids))
        .order(vex_statements::id.asc())
        .select(VexStatementRow::as_select())
        .load(conn)?
    {
        statements.entry(s.artifact_id.clone()).or_default().push(s);
    }
    let mut results = Vec::new();
    let mut seen = HashSet::new();
    for a in arts {
        let placed = placements.remove(&a.id).unwrap_or_default();
        for s in
            statements.remove(a.id.as_str()).unwrap_or_default().into_iter().filter(|s| {
                s.vulnerability_id == id || s.aliases.split_whitespace().any(|x| normalize_vuln_id(x) == id)
            })
        {
            for (p, v) in &placed {
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
                    artifact_id: a.id.to_string(),
                    artifact_kind: a.kind,
                    artifact_title: a.title.clone(),
                    published_at: a.published_at.map(utc),
                });
            }
        }
    }
    Ok(VulnerabilityReport { vulnerability_id: id, results })
}
