//! The catalogue as a TEA reader sees it (by the disclosure rule, a page at a time), and the TEA
//! objects built from it.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::collections::CollectionRow;
use super::model::*;
use crate::artifacts::index::unversioned_purl;
use crate::artifacts::model::ArtifactKind;
use crate::artifacts::store::Artifact;
use crate::catalogue::store::{Product, Version};
use crate::db::subquery::{exists, outer, Exists};
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery, Audience};
use crate::error::ApiResult;
use crate::ids::VersionId;

pub(super) fn day(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// The DNS name TEIs of this server carry (`urn:tei:uuid:<domain>:<uuid>`).
pub fn domain_of(origin: &str) -> String {
    let host = origin.split("://").nth(1).unwrap_or(origin);
    let host = host.split('/').next().unwrap_or(host);
    if let Some(stripped) = host.strip_prefix('[') {
        return stripped.split(']').next().unwrap_or(stripped).to_string();
    }
    host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host).to_string()
}

/// The enclosing `product_versions` row has at least one TEA collection (TEA knows it as a
/// release); what a reader sees of releases is the disclosure rule's filter on top.
pub fn has_collection() -> Exists<Db> {
    exists(
        tea_collections::table
            .filter(tea_collections::version_id.eq(outer(product_versions::id)))
            .select(tea_collections::version_id)
            .into_boxed(),
    )
}

type Db = <DbConnection as diesel::Connection>::Backend;

/// The identity of each version's newest SBOM the reader may see: (purl, CPE).
pub type Identities = HashMap<VersionId, (Option<String>, Option<String>)>;

/// An SBOM the reader may see: (id, purl, CPE, published at).
type SbomIdentity = (String, Option<String>, Option<String>, Option<chrono::NaiveDateTime>);

pub fn identities(conn: &mut DbConnection, a: &Audience, version_ids: &[VersionId]) -> ApiResult<Identities> {
    if version_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let placed = artifact_versions::table
        .filter(artifact_versions::version_id.eq_any(version_ids.to_vec()))
        .select(artifact_versions::artifact_id)
        .into_boxed();
    let sboms: Vec<SbomIdentity> = disclosure::visible_artifacts(
        a,
        artifacts::table
            .select((artifacts::id, artifacts::sbom_purl, artifacts::sbom_cpe, artifacts::published_at))
            .into_boxed(),
    )
    .filter(artifacts::kind.eq(ArtifactKind::Sbom))
    .filter(in_subquery(artifacts::id, placed))
    .load(conn)?;
    let links: Vec<(String, VersionId)> = artifact_versions::table
        .filter(artifact_versions::artifact_id.eq_any(sboms.iter().map(|s| s.0.clone()).collect::<Vec<_>>()))
        .filter(artifact_versions::version_id.eq_any(version_ids.to_vec()))
        .select((artifact_versions::artifact_id, artifact_versions::version_id))
        .load(conn)?;
    let by_id: HashMap<&str, &SbomIdentity> = sboms.iter().map(|s| (s.0.as_str(), s)).collect();
    // Per version, the newest SBOM placed there.
    let mut newest: HashMap<VersionId, &SbomIdentity> = HashMap::new();
    for (artifact_id, version_id) in links {
        let Some(s) = by_id.get(artifact_id.as_str()) else { continue };
        let slot = newest.entry(version_id).or_insert(s);
        if s.3 > slot.3 {
            *slot = s;
        }
    }
    Ok(newest.into_iter().map(|(v, s)| (v, (s.1.clone(), s.2.clone()))).collect())
}

/// The TEI of a release on this server.
pub fn tei(domain: &str, version_id: &str) -> String {
    format!("urn:tei:uuid:{domain}:{version_id}")
}

/// A product with the identifiers of its releases' SBOMs (their purls without versions).
pub fn product_view(p: &Product, versions: &[Version], ids: &Identities) -> TeaProduct {
    let purls: BTreeSet<String> = versions
        .iter()
        .filter(|v| v.product_id == p.id)
        .filter_map(|v| ids.get(&v.id).and_then(|(purl, _)| purl.as_deref()).map(unversioned_purl))
        .collect();
    let identifiers = purls.into_iter().map(|u| Identifier::new("PURL", u)).collect();
    TeaProduct { uuid: p.id.to_string(), name: p.name.clone(), identifiers }
}

pub fn release_view(domain: &str, v: &Version, product_name: &str, ids: &Identities) -> TeaProductRelease {
    let mut identifiers = vec![Identifier::new("TEI", tei(domain, &v.id))];
    if let Some((purl, cpe)) = ids.get(&v.id) {
        if let Some(purl) = purl {
            identifiers.push(Identifier::new("PURL", purl.clone()));
            identifiers.push(Identifier::new("TEI", format!("urn:tei:purl:{domain}:{purl}")));
        }
        if let Some(cpe) = cpe {
            identifiers.push(Identifier::new("CPE", cpe.clone()));
        }
    }
    TeaProductRelease {
        uuid: v.id.to_string(),
        product: v.product_id.to_string(),
        product_name: product_name.to_string(),
        version: v.version.clone(),
        created_date: ts(v.created_at),
        release_date: v.release_date.map(day),
        pre_release: false,
        identifiers,
        components: Vec::new(),
    }
}

/// TEA's artifact type for one of ours.
pub fn artifact_type(a: &Artifact) -> &'static str {
    match a.kind {
        ArtifactKind::Sbom => "BOM",
        ArtifactKind::Vex | ArtifactKind::Advisory => "VULNERABILITIES",
        ArtifactKind::Document => match a.document_type.as_deref() {
            Some("declaration_of_conformity") | Some("test_report") => "ATTESTATION",
            Some("certificate") => "CERTIFICATION",
            Some("risk_assessment") => "THREAT_MODEL",
            _ => "OTHER",
        },
    }
}

/// Builds TEA artifacts; `download` and `signature` give each artifact's URLs.
pub fn artifact_view(a: &Artifact, download: String, signature: Option<String>) -> TeaArtifact {
    let media_type = if a.format.starts_with("csaf") { "application/json".to_string() } else { a.media_type.clone() };
    TeaArtifact {
        uuid: a.id.to_string(),
        version: 1,
        name: a.title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| a.filename.clone()),
        type_: artifact_type(a).into(),
        created_date: ts(a.published_at.unwrap_or(a.uploaded_at)),
        formats: vec![ArtifactFormat {
            media_type,
            description: a.format.clone(),
            url: download,
            signature_url: signature,
            checksums: vec![
                Checksum { alg_type: "SHA-256".into(), alg_value: a.sha256.clone() },
                Checksum { alg_type: "SHA-512".into(), alg_value: a.sha512.clone() },
            ],
        }],
    }
}

/// A collection as one reader sees it: only the artifacts it may see now (a withdrawn one is
/// gone from older versions too), and a comment that says what kind of change it was, never
/// which artifacts (the stored comment names them; it is for the manufacturer).
pub fn collection_view(row: &CollectionRow, artifacts: Vec<TeaArtifact>) -> TeaCollection {
    let comment = match row.update_reason.as_str() {
        "INITIAL_RELEASE" => "first publication",
        "ARTIFACT_ADDED" => "artifacts were added",
        "ARTIFACT_REMOVED" => "artifacts were removed",
        "VEX_UPDATED" => "VEX statements changed",
        _ => "artifacts were replaced",
    };
    TeaCollection {
        uuid: row.version_id.clone(),
        version: row.collection_version,
        date: ts(row.created_at),
        belongs_to: "PRODUCT_RELEASE".into(),
        update_reason: UpdateReason { type_: row.update_reason.clone(), comment: Some(comment.into()) },
        artifacts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tei_domains() {
        assert_eq!(domain_of("https://portal.example.com"), "portal.example.com");
        assert_eq!(domain_of("https://127.0.0.1:8443"), "127.0.0.1");
        assert_eq!(domain_of("http://[::1]:8080"), "::1");
    }

    #[test]
    fn timestamps_have_no_fractions() {
        let t = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap().naive_utc();
        assert_eq!(ts(t), "2023-11-14T22:13:20Z");
    }
}
