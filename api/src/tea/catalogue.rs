//! The catalogue as a TEA reader sees it (by the disclosure rule), loaded in a few queries, and
//! the TEA objects built from it.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::collections::CollectionRow;
use super::model::*;
use crate::artifacts::model::ArtifactKind;
use crate::artifacts::store::Artifact;
use crate::catalogue::store::{Product, Version};
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ProductId, VersionId};
use crate::portal::reader::PortalReader;

pub(super) fn day(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// What a reader sees of the catalogue through TEA, loaded in one go.
pub struct Catalogue {
    pub products: Vec<Product>,
    /// Versions with at least one collection, newest first within a product.
    pub versions: Vec<Version>,
    /// Primary component (purl, cpe) of each version's newest published SBOM.
    pub primary: HashMap<String, (Option<String>, Option<String>)>,
    pub tei_domain: String,
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

pub fn load(conn: &mut DbConnection, r: &PortalReader, origin: &str) -> ApiResult<Catalogue> {
    let a = &r.audience;
    let products = disclosure::products(conn, a)?;
    let product_ids: Vec<ProductId> = products.iter().map(|p| p.id.clone()).collect();
    let with_collections: std::collections::HashSet<VersionId> = tea_collections::table
        .filter(in_subquery(tea_collections::version_id, disclosure::version_ids(a)))
        .select(tea_collections::version_id)
        .distinct()
        .load::<VersionId>(conn)?
        .into_iter()
        .collect();
    let versions: Vec<Version> =
        disclosure::versions(conn, a, &product_ids)?.into_iter().filter(|v| with_collections.contains(&v.id)).collect();
    let version_ids: Vec<VersionId> = versions.iter().map(|v| v.id.clone()).collect();
    let sboms: Vec<(String, String, String)> = artifact_versions::table
        .inner_join(artifacts::table.on(artifacts::id.eq(artifact_versions::artifact_id)))
        .filter(artifact_versions::version_id.eq_any(&version_ids))
        .filter(in_subquery(artifacts::id, disclosure::artifact_ids(a)))
        .filter(artifacts::kind.eq(ArtifactKind::Sbom))
        .order(artifacts::published_at.desc())
        .select((artifact_versions::version_id, artifacts::id, artifacts::facts))
        .load(conn)?;
    let mut primary = HashMap::new();
    for (version_id, id, facts) in sboms {
        if primary.contains_key(&version_id) {
            continue;
        }
        let f: serde_json::Value = serde_json::from_str(&facts)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("artifact {id} has unreadable facts: {e}")))?;
        let c = &f["sbom"]["primary_component"];
        let s = |k: &str| c.get(k).and_then(|v| v.as_str()).map(str::to_string);
        primary.insert(version_id, (s("purl"), s("cpe")));
    }
    Ok(Catalogue { products, versions, primary, tei_domain: domain_of(origin) })
}

/// A purl without its version, qualifiers and subpath: the product as a whole.
fn unversioned_purl(purl: &str) -> String {
    let base = purl.split(['?', '#']).next().unwrap_or(purl);
    match base.rfind('@') {
        Some(at) if at > base.rfind('/').unwrap_or(0) => base[..at].to_string(),
        _ => base.to_string(),
    }
}

impl Catalogue {
    pub fn tei(&self, version_id: &str) -> String {
        format!("urn:tei:uuid:{}:{version_id}", self.tei_domain)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    pub fn product_view(&self, p: &Product) -> TeaProduct {
        let mut identifiers = Vec::new();
        let purls: BTreeSet<String> = self
            .versions
            .iter()
            .filter(|v| v.product_id == p.id)
            .filter_map(|v| self.primary.get(v.id.as_str()).and_then(|(purl, _)| purl.as_deref()).map(unversioned_purl))
            .collect();
        identifiers.extend(purls.into_iter().map(|u| Identifier::new("PURL", u)));
        TeaProduct { uuid: p.id.to_string(), name: p.name.clone(), identifiers }
    }

    pub fn release_view(&self, v: &Version) -> TeaProductRelease {
        let product_name = self.product(&v.product_id).map(|p| p.name.clone()).unwrap_or_default();
        let mut identifiers = vec![Identifier::new("TEI", self.tei(&v.id))];
        if let Some((purl, cpe)) = self.primary.get(v.id.as_str()) {
            if let Some(purl) = purl {
                identifiers.push(Identifier::new("PURL", purl.clone()));
                identifiers.push(Identifier::new("TEI", format!("urn:tei:purl:{}:{purl}", self.tei_domain)));
            }
            if let Some(cpe) = cpe {
                identifiers.push(Identifier::new("CPE", cpe.clone()));
            }
        }
        TeaProductRelease {
            uuid: v.id.to_string(),
            product: v.product_id.to_string(),
            product_name,
            version: v.version.clone(),
            created_date: ts(v.created_at),
            release_date: v.release_date.map(day),
            pre_release: false,
            identifiers,
            components: Vec::new(),
        }
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
    fn purls_lose_their_version() {
        assert_eq!(unversioned_purl("pkg:generic/acme/router@4.2.0?arch=arm"), "pkg:generic/acme/router");
        assert_eq!(unversioned_purl("pkg:npm/%40scope/x@1.0"), "pkg:npm/%40scope/x");
        assert_eq!(unversioned_purl("pkg:generic/acme/router"), "pkg:generic/acme/router");
    }

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
