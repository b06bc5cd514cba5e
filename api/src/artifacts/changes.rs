//! "What changed" between two versions of a product: the components of their newest SBOMs
//! (added, removed, version and licence changes) and the VEX status of each vulnerability and
//! component. The channel chooses the artifacts (customers: what the disclosure rule lets them
//! see), so nothing else leaks into a diff.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{ArtifactKind, Facts};
use super::store::{Artifact, VexStatementRow};
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;

#[derive(Debug, serde::Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// The earlier version to compare with.
    pub from: String,
}

/// The differences between two versions of a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionChanges {
    pub from: String,
    pub to: String,
    /// The SBOMs compared (the newest of each version), when both have one.
    pub from_sbom: Option<String>,
    pub to_sbom: Option<String>,
    /// Components added, removed and changed; `null` when a version has no SBOM to compare.
    pub sbom: Option<portal_formats::SbomDiff>,
    /// VEX statuses that differ, per vulnerability and component.
    pub vex: Vec<VexChange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VexChange {
    pub vulnerability_id: String,
    /// The product or component the statement is about (purl, bom-ref or CSAF product id).
    pub product: String,
    pub product_name: Option<String>,
    /// `null`: no statement in that version.
    pub from_status: Option<String>,
    pub to_status: Option<String>,
}

/// The newest SBOM among `artifacts` (newest first) and its facts.
fn newest_sbom(artifacts: &[Artifact]) -> ApiResult<Option<(String, portal_formats::SbomFacts)>> {
    for a in artifacts.iter().filter(|a| a.kind == ArtifactKind::Sbom) {
        if let Some(sbom) = Facts::parse(&a.id, &a.facts)?.sbom {
            return Ok(Some((a.id.to_string(), sbom)));
        }
    }
    Ok(None)
}

/// (vulnerability, component) → (status, component name).
type Statuses = BTreeMap<(String, String), (String, Option<String>)>;

/// The newest statement per (vulnerability, component) of the VEX and advisories among
/// `artifacts` (newest first).
fn statuses(conn: &mut DbConnection, artifacts: &[Artifact]) -> ApiResult<Statuses> {
    let ids: Vec<&str> = artifacts
        .iter()
        .filter(|a| matches!(a.kind, ArtifactKind::Vex | ArtifactKind::Advisory))
        .map(|a| a.id.as_str())
        .collect();
    let rows: Vec<VexStatementRow> = vex_statements::table
        .filter(vex_statements::artifact_id.eq_any(&ids))
        .select(VexStatementRow::as_select())
        .load(conn)?;
    let rank: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut best: BTreeMap<(String, String), (usize, String, Option<String>)> = BTreeMap::new();
    for s in rows {
        let r = rank.get(s.artifact_id.as_str()).copied().unwrap_or(usize::MAX);
        let key = (s.vulnerability_id.clone(), s.product_ref.clone());
        if best.get(&key).is_none_or(|(old, _, _)| r < *old) {
            best.insert(key, (r, s.status, s.product_name));
        }
    }
    Ok(best.into_iter().map(|(k, (_, status, name))| (k, (status, name))).collect())
}

/// Compares the artifacts of version `from` with those of version `to` (each newest first).
pub fn between(
    conn: &mut DbConnection,
    from: (&str, &[Artifact]),
    to: (&str, &[Artifact]),
) -> ApiResult<VersionChanges> {
    let (old_sbom, new_sbom) = (newest_sbom(from.1)?, newest_sbom(to.1)?);
    let sbom = match (&old_sbom, &new_sbom) {
        (Some((_, a)), Some((_, b))) => Some(portal_formats::diff(a, b)),
        _ => None,
    };
    let (old, new) = (statuses(conn, from.1)?, statuses(conn, to.1)?);
    let mut vex = Vec::new();
    let keys: std::collections::BTreeSet<&(String, String)> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (a, b) = (old.get(key), new.get(key));
        if a.map(|x| &x.0) != b.map(|x| &x.0) {
            vex.push(VexChange {
                vulnerability_id: key.0.clone(),
                product: key.1.clone(),
                product_name: b.or(a).and_then(|x| x.1.clone()),
                from_status: a.map(|x| x.0.clone()),
                to_status: b.map(|x| x.0.clone()),
            });
        }
    }
    Ok(VersionChanges {
        from: from.0.to_string(),
        to: to.0.to_string(),
        from_sbom: old_sbom.map(|x| x.0),
        to_sbom: new_sbom.map(|x| x.0),
        sbom,
        vex,
    })
}

/// The published artifacts of a version, newest first (the manufacturer's view).
pub fn published_at(conn: &mut DbConnection, org_id: &str, version_id: &str) -> ApiResult<Vec<Artifact>> {
    let ids = artifact_versions::table
        .filter(artifact_versions::version_id.eq(version_id))
        .select(artifact_versions::artifact_id);
    Ok(artifacts::table
        .filter(artifacts::id.eq_any(ids))
        .filter(artifacts::org_id.eq(org_id))
        .filter(artifacts::status.eq(super::model::ArtifactStatus::Published))
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
        .select(Artifact::as_select())
        .load(conn)?)
}
