//! What a reader sees of the catalogue through TEA, by the disclosure rule, and the TEA objects
//! built from it. Handlers ([`super::routes`]) only parse, call one of these and answer.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::catalogue::{artifact_view, collection_view, day, load, Catalogue};
use super::collections as history;
use super::model::*;
use crate::artifacts::model::ArtifactStatus;
use crate::artifacts::store::Artifact;
use crate::catalogue::store::Version;
use crate::csaf::provider as csaf_provider;
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery, Audience};
use crate::error::{ApiError, ApiResult};
use crate::portal::reader::PortalReader;

/// `{origin}/api/v1/portal/{slug}/tea`: the TEA root; clients append `/v0.4.0`.
pub fn root_url(origin: &str, slug: &str) -> String {
    format!("{origin}/api/v1/portal/{slug}/tea")
}

/// The reader and the origin its URLs are built from: what every TEA query needs.
pub struct Ctx {
    pub reader: PortalReader,
    pub origin: String,
}

impl Ctx {
    fn catalogue(&self, c: &mut DbConnection) -> ApiResult<Catalogue> {
        load(c, &self.reader, &self.origin)
    }

    fn download_url(&self, a: &Artifact) -> String {
        format!("{}/api/v1/portal/{}/artifacts/{}/download", self.origin, self.reader.portal.slug, a.id)
    }

    fn artifact(&self, a: &Artifact) -> TeaArtifact {
        let csaf = crate::csaf::service::urls(&self.origin, &self.reader.portal.slug);
        artifact_view(a, self.download_url(a), signature_url(&csaf, &self.reader.audience, a))
    }
}

/// A UUID path segment, lowercased and hyphenated, or 400.
pub fn uuid_of(s: &str) -> ApiResult<String> {
    uuid::Uuid::parse_str(s)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| ApiError::BadRequest(format!("`{s}` is not a UUID")))
}

pub fn products(c: &mut DbConnection, ctx: &Ctx, q: &PageQuery) -> ApiResult<Page<TeaProduct>> {
    let cat = ctx.catalogue(c)?;
    let all: Vec<TeaProduct> = cat
        .products
        .iter()
        .filter(|p| cat.versions.iter().any(|v| v.product_id == p.id))
        .map(|p| cat.product_view(p))
        .filter(|p| q.matches(&p.identifiers))
        .collect();
    q.page(all)
}

pub fn product(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<TeaProduct>> {
    let cat = ctx.catalogue(c)?;
    Ok(cat.product(id).filter(|p| cat.versions.iter().any(|v| v.product_id == p.id)).map(|p| cat.product_view(p)))
}

pub fn product_releases(
    c: &mut DbConnection,
    ctx: &Ctx,
    id: &str,
    q: &PageQuery,
) -> ApiResult<Option<Page<TeaProductRelease>>> {
    let cat = ctx.catalogue(c)?;
    let all: Vec<TeaProductRelease> = cat
        .versions
        .iter()
        .filter(|v| v.product_id == id)
        .map(|v| cat.release_view(v))
        .filter(|v| q.matches(&v.identifiers))
        .collect();
    if all.is_empty() && cat.product(id).is_none() {
        return Ok(None);
    }
    q.page(all).map(Some)
}

pub fn product_cle(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<Cle>> {
    let cat = ctx.catalogue(c)?;
    if !cat.versions.iter().any(|v| v.product_id == id) {
        return Ok(None);
    }
    Ok(Some(cle(cat.versions.iter().filter(|v| v.product_id == id).flat_map(version_events).collect())))
}

pub fn releases(c: &mut DbConnection, ctx: &Ctx, q: &PageQuery) -> ApiResult<Page<TeaProductRelease>> {
    let cat = ctx.catalogue(c)?;
    q.page(cat.versions.iter().map(|v| cat.release_view(v)).filter(|v| q.matches(&v.identifiers)).collect())
}

pub fn release(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<TeaProductRelease>> {
    let cat = ctx.catalogue(c)?;
    Ok(cat.version(id).map(|v| cat.release_view(v)))
}

pub fn release_cle(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<Cle>> {
    let cat = ctx.catalogue(c)?;
    Ok(cat.version(id).map(|v| cle(version_events(v))))
}

/// Which collection versions of a release to build.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    All,
    Latest,
    Number(i32),
}

/// A release's collections as the reader sees them now: only artifacts it may see under the
/// release (a withdrawn one is gone from older versions too).
pub fn collections(c: &mut DbConnection, ctx: &Ctx, id: &str, which: Which) -> ApiResult<Option<Vec<TeaCollection>>> {
    let cat = ctx.catalogue(c)?;
    if cat.version(id).is_none() {
        return Ok(None);
    }
    let rows = match which {
        Which::All => history::all(c, id)?,
        Which::Latest => history::latest(c, id)?.into_iter().collect(),
        Which::Number(n) => history::all(c, id)?.into_iter().filter(|row| row.collection_version == n).collect(),
    };
    if rows.is_empty() && !matches!(which, Which::All) {
        return Ok(None);
    }
    let per_row: Vec<Vec<String>> = rows.iter().map(|row| row.artifact_ids()).collect::<ApiResult<_>>()?;
    let ids: BTreeSet<String> = per_row.iter().flatten().cloned().collect();
    let arts = visible_at(c, &ctx.reader.audience, id, ids)?;
    Ok(Some(
        rows.iter()
            .zip(&per_row)
            .map(|(row, ids)| {
                let list = ids.iter().filter_map(|i| arts.get(i)).map(|a| ctx.artifact(a)).collect();
                collection_view(row, list)
            })
            .collect(),
    ))
}

/// An artifact the reader may see, with its formats and checksums.
pub fn artifact(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<TeaArtifact>> {
    Ok(disclosure::artifact(c, &ctx.reader.audience, id)?.map(|a| ctx.artifact(&a)))
}

/// A parsed TEI: `urn:tei:<kind>:<domain>:<identifier>`.
pub struct Tei {
    pub kind: String,
    pub value: String,
}

impl Tei {
    pub fn parse(tei: &str) -> ApiResult<Tei> {
        let rest =
            tei.strip_prefix("urn:tei:").ok_or_else(|| ApiError::validation("tei", "must start with urn:tei:"))?;
        let mut parts = rest.splitn(3, ':');
        let (Some(kind), Some(_domain), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(ApiError::validation("tei", "must be urn:tei:<type>:<domain>:<identifier>"));
        };
        if value.is_empty() {
            return Err(ApiError::validation("tei", "the identifier part is empty"));
        }
        Ok(Tei { kind: kind.into(), value: value.into() })
    }
}

/// The product releases a TEI names, among those the reader may see.
pub fn discovery(c: &mut DbConnection, ctx: &Ctx, tei: &Tei) -> ApiResult<Option<Vec<DiscoveryInfo>>> {
    let cat = ctx.catalogue(c)?;
    let value = tei.value.as_str();
    let found: Vec<String> = match tei.kind.as_str() {
        "uuid" => cat.version(&value.to_ascii_lowercase()).map(|v| vec![v.id.to_string()]).unwrap_or_default(),
        "purl" => cat
            .versions
            .iter()
            .filter(|v| cat.primary.get(v.id.as_str()).and_then(|p| p.0.as_deref()) == Some(value))
            .map(|v| v.id.to_string())
            .collect(),
        "hash" => {
            let (alg, hex) = value.split_once(':').unwrap_or(("", value));
            let hex = hex.to_ascii_lowercase();
            let alg = alg.to_ascii_uppercase().replace(['-', '_'], "");
            let version_ids: Vec<crate::ids::VersionId> = cat.versions.iter().map(|v| v.id.clone()).collect();
            let mut q = artifact_versions::table
                .inner_join(artifacts::table.on(artifacts::id.eq(artifact_versions::artifact_id)))
                .filter(in_subquery(artifacts::id, disclosure::artifact_ids(&ctx.reader.audience)))
                .filter(artifact_versions::version_id.eq_any(version_ids))
                .into_boxed();
            q = match alg.as_str() {
                "SHA512" => q.filter(artifacts::sha512.eq(hex)),
                _ => q.filter(artifacts::sha256.eq(hex)),
            };
            q.select(artifact_versions::version_id).distinct().load::<String>(c)?
        }
        _ => Vec::new(),
    };
    if found.is_empty() {
        return Ok(None);
    }
    let server = DiscoveryServer {
        root_url: root_url(&ctx.origin, &ctx.reader.portal.slug),
        versions: vec![TEA_VERSION.into()],
        priority: 1.0,
    };
    Ok(Some(
        found.into_iter().map(|id| DiscoveryInfo { product_release_uuid: id, servers: vec![server.clone()] }).collect(),
    ))
}

/// A CLE document (ECMA-428) from (version, kind, effective, published) events, newest first.
fn cle(mut events: Vec<(String, &'static str, NaiveDate, NaiveDateTime)>) -> Cle {
    events.sort_by(|a, b| (a.2, a.1, &a.0).cmp(&(b.2, b.1, &b.0)));
    let list = events
        .into_iter()
        .enumerate()
        .rev()
        .map(|(i, (version, kind, effective, published))| {
            let released = kind == "released";
            CleEvent {
                id: i as i64 + 1,
                type_: kind.into(),
                effective: day(effective),
                published: ts(published),
                versions: (!released).then(|| vec![CleVersion { version: version.clone() }]),
                version: released.then_some(version),
            }
        })
        .collect();
    Cle { events: list }
}

fn version_events(v: &Version) -> Vec<(String, &'static str, NaiveDate, NaiveDateTime)> {
    let mut out = Vec::new();
    if let Some(d) = v.release_date {
        out.push((v.version.clone(), "released", d, v.updated_at));
    }
    if let Some(d) = v.support_until {
        out.push((v.version.clone(), "endOfSupport", d, v.updated_at));
    }
    out
}

/// Of the artifacts a collection names, those the reader may see under the release now.
fn visible_at(
    c: &mut DbConnection,
    a: &Audience,
    version_id: &str,
    ids: BTreeSet<String>,
) -> ApiResult<HashMap<String, Artifact>> {
    let list: Vec<Artifact> = artifacts::table
        .filter(artifacts::id.eq_any(ids.into_iter().collect::<Vec<_>>()))
        .filter(in_subquery(artifacts::id, disclosure::artifact_ids_at(a, version_id)))
        .select(Artifact::as_select())
        .load(c)?;
    Ok(list.into_iter().map(|a| (a.id.to_string(), a)).collect())
}

/// The CSAF provider's detached signature of a published CSAF document.
fn signature_url(urls: &csaf_provider::Urls, audience: &Audience, a: &Artifact) -> Option<String> {
    if !a.format.starts_with("csaf") || a.status != ArtifactStatus::Published {
        return None;
    }
    let facts: serde_json::Value = serde_json::from_str(&a.facts).ok()?;
    let e = csaf_provider::entry_from_facts(
        audience.effective(a.tlp),
        &a.id,
        &a.product_id,
        &a.version_id,
        a.kind.as_str(),
        &a.sha256,
        &a.sha512,
        a.size,
        a.published_at.unwrap_or(a.uploaded_at),
        &facts,
    )?;
    Some(format!("{}.asc", urls.document(&e)))
}
