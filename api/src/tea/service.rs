//! What a reader sees of the catalogue through TEA, by the disclosure rule, and the TEA objects
//! built from it. Handlers ([`super::routes`]) only parse, call one of these and answer.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::catalogue::{
    artifact_view, collection_view, day, domain_of, has_collection, identities, product_view, release_view,
};
use super::collections as history;
use super::model::*;
use crate::artifacts::index::CsafDocument;
use crate::artifacts::model::{ArtifactKind, ArtifactStatus};
use crate::artifacts::store::Artifact;
use crate::catalogue::store::{Product, Version};
use crate::csaf::provider as csaf_provider;
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery, Audience, VersionIds};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ProductId, VersionId};
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
    fn audience(&self) -> &Audience {
        &self.reader.audience
    }

    fn domain(&self) -> String {
        domain_of(&self.origin)
    }

    fn download_url(&self, a: &Artifact) -> String {
        format!("{}/api/v1/portal/{}/artifacts/{}/download", self.origin, self.reader.portal.slug, a.id)
    }

    fn artifact(&self, c: &mut DbConnection, a: &Artifact) -> ApiResult<TeaArtifact> {
        let csaf = crate::csaf::service::urls(&self.origin, &self.reader.portal.slug);
        Ok(artifact_view(a, self.download_url(a), signature_url(c, &csaf, self.audience(), a)?))
    }

    /// The releases (versions with collections) the reader may see, among `versions` (None: all).
    fn releases(&self, versions: Option<VersionIds>) -> product_versions::BoxedQuery<'static, Db, VersionRow> {
        let q = disclosure::visible_versions(
            self.audience(),
            product_versions::table.select(Version::as_select()).into_boxed(),
        )
        .filter(has_collection());
        match versions {
            Some(v) => q.filter(in_subquery(product_versions::id, v)),
            None => q,
        }
    }

    /// The products the reader may see with a release among `versions` (None: any).
    fn products(&self, versions: Option<VersionIds>) -> products::BoxedQuery<'static, Db, ProductRow> {
        let mut releases = product_versions::table.filter(has_collection()).select(product_versions::id).into_boxed();
        if let Some(v) = versions {
            releases = releases.filter(in_subquery(product_versions::id, v));
        }
        disclosure::visible_products_having(
            self.audience(),
            products::table.select(Product::as_select()).into_boxed(),
            releases,
        )
    }

    /// How many rows a list has, kept per (catalogue generation, reader, list and filter): TEA
    /// pages carry a total, and counting every visible release costs what the catalogue holds.
    fn total(
        &self,
        c: &mut DbConnection,
        list: String,
        count: impl FnOnce(&mut DbConnection) -> ApiResult<i64>,
    ) -> ApiResult<i64> {
        let a = self.audience();
        let key = (disclosure::generation(c, &a.org_id)?, a.fingerprint(), list);
        if let Some(n) = TOTALS.get(&key) {
            return Ok(n);
        }
        let n = count(c)?;
        TOTALS.insert(key, n);
        Ok(n)
    }

    fn release_views(&self, c: &mut DbConnection, versions: Vec<Version>) -> ApiResult<Vec<TeaProductRelease>> {
        let ids: Vec<VersionId> = versions.iter().map(|v| v.id.clone()).collect();
        let identities = identities(c, self.audience(), &ids)?;
        let product_ids: Vec<String> = versions.iter().map(|v| v.product_id.to_string()).collect();
        let names: HashMap<String, String> = products::table
            .filter(products::id.eq_any(product_ids))
            .select((products::id, products::name))
            .load::<(String, String)>(c)?
            .into_iter()
            .collect();
        let domain = self.domain();
        Ok(versions
            .iter()
            .map(|v| {
                let name = names.get(v.product_id.as_str()).map(String::as_str).unwrap_or_default();
                release_view(&domain, v, name, &identities)
            })
            .collect())
    }

    fn product_views(&self, c: &mut DbConnection, list: Vec<Product>) -> ApiResult<Vec<TeaProduct>> {
        let ids: Vec<ProductId> = list.iter().map(|p| p.id.clone()).collect();
        let versions: Vec<Version> = self.releases(None).filter(product_versions::product_id.eq_any(ids)).load(c)?;
        let version_ids: Vec<VersionId> = versions.iter().map(|v| v.id.clone()).collect();
        let identities = identities(c, self.audience(), &version_ids)?;
        Ok(list.iter().map(|p| product_view(p, &versions, &identities)).collect())
    }

    /// One release the reader may see.
    fn release(&self, c: &mut DbConnection, id: &str) -> ApiResult<Option<Version>> {
        Ok(self.releases(None).filter(product_versions::id.eq(id.to_string())).first(c).optional()?)
    }
}

/// See [`Ctx::total`].
static TOTALS: LazyLock<moka::sync::Cache<(i64, String, String), i64>> =
    LazyLock::new(|| moka::sync::Cache::new(10_000));

type Db = <DbConnection as diesel::Connection>::Backend;
type VersionRow = diesel::dsl::AsSelect<Version, Db>;
type ProductRow = diesel::dsl::AsSelect<Product, Db>;

/// Versions holding a visible SBOM whose primary component matches.
fn by_sbom(a: &Audience, purl: Option<&str>, purl_base: Option<&str>, cpe: Option<&str>) -> VersionIds {
    let mut sboms = disclosure::artifact_ids(a).filter(artifacts::kind.eq(ArtifactKind::Sbom));
    if let Some(p) = purl {
        sboms = sboms.filter(artifacts::sbom_purl.eq(p.to_string()));
    }
    if let Some(p) = purl_base {
        sboms = sboms.filter(artifacts::sbom_purl_base.eq(p.to_string()));
    }
    if let Some(c) = cpe {
        sboms = sboms.filter(artifacts::sbom_cpe.eq(c.to_string()));
    }
    let holders = artifact_versions::table
        .filter(in_subquery(artifact_versions::artifact_id, sboms))
        .select(artifact_versions::version_id)
        .into_boxed();
    product_versions::table.filter(in_subquery(product_versions::id, holders)).select(product_versions::id).into_boxed()
}

/// No version at all.
fn no_versions() -> VersionIds {
    product_versions::table
        .filter(product_versions::id.ne(product_versions::id))
        .select(product_versions::id)
        .into_boxed()
}

/// The versions a release list's identifier filter (`idType`, `idValue`) lets through.
fn release_filter(ctx: &Ctx, q: &PageQuery) -> Option<VersionIds> {
    let a = ctx.audience();
    let kind = q.id_type.as_deref().map(str::to_ascii_uppercase);
    let value = q.id_value.as_deref();
    let tei = |v: &str| match Tei::parse(v) {
        Ok(t) if t.kind == "uuid" => product_versions::table
            .filter(product_versions::id.eq(t.value.to_ascii_lowercase()))
            .select(product_versions::id)
            .into_boxed(),
        Ok(t) if t.kind == "purl" => by_sbom(a, Some(&t.value), None, None),
        _ => no_versions(),
    };
    Some(match (kind.as_deref(), value) {
        (None, None) | (Some("TEI"), None) => return None,
        (Some("PURL"), None) => by_sbom_any(a, true),
        (Some("CPE"), None) => by_sbom_any(a, false),
        (Some("TEI"), Some(v)) => tei(v),
        (Some("PURL"), Some(v)) => by_sbom(a, Some(v), None, None),
        (Some("CPE"), Some(v)) => by_sbom(a, None, None, Some(v)),
        (None, Some(v)) if v.starts_with("urn:tei:") => tei(v),
        (None, Some(v)) if v.starts_with("cpe:") => by_sbom(a, None, None, Some(v)),
        (None, Some(v)) => by_sbom(a, Some(v), None, None),
        _ => no_versions(),
    })
}

/// Versions holding a visible SBOM with a purl (or a CPE).
fn by_sbom_any(a: &Audience, purl: bool) -> VersionIds {
    let sboms = disclosure::artifact_ids(a).filter(artifacts::kind.eq(ArtifactKind::Sbom));
    let sboms = if purl {
        sboms.filter(artifacts::sbom_purl.is_not_null())
    } else {
        sboms.filter(artifacts::sbom_cpe.is_not_null())
    };
    let holders = artifact_versions::table
        .filter(in_subquery(artifact_versions::artifact_id, sboms))
        .select(artifact_versions::version_id)
        .into_boxed();
    product_versions::table.filter(in_subquery(product_versions::id, holders)).select(product_versions::id).into_boxed()
}

/// The versions a product list's identifier filter lets through (products carry PURLs only).
fn product_filter(ctx: &Ctx, q: &PageQuery) -> Option<VersionIds> {
    let a = ctx.audience();
    Some(match (q.id_type.as_deref().map(str::to_ascii_uppercase).as_deref(), q.id_value.as_deref()) {
        (None, None) => return None,
        (Some("PURL"), None) => by_sbom_any(a, true),
        (Some("PURL") | None, Some(v)) => by_sbom(a, None, Some(v), None),
        _ => no_versions(),
    })
}

/// A UUID path segment, lowercased and hyphenated, or 400.
pub fn uuid_of(s: &str) -> ApiResult<String> {
    uuid::Uuid::parse_str(s)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| ApiError::BadRequest(format!("`{s}` is not a UUID")))
}

pub fn products(c: &mut DbConnection, ctx: &Ctx, q: &PageQuery) -> ApiResult<Page<TeaProduct>> {
    let (offset, size) = q.bounds()?;
    let list = format!("products|{:?}|{:?}", q.id_type, q.id_value);
    let total = ctx.total(c, list, |c| Ok(ctx.products(product_filter(ctx, q)).count().get_result(c)?))?;
    let list: Vec<Product> = ctx
        .products(product_filter(ctx, q))
        .order((products::name.asc(), products::id.asc()))
        .offset(offset)
        .limit(size)
        .load(c)?;
    let views = ctx.product_views(c, list)?;
    q.page(total, views)
}

pub fn product(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<TeaProduct>> {
    let found: Option<Product> = ctx.products(None).filter(products::id.eq(id.to_string())).first(c).optional()?;
    Ok(match found {
        Some(p) => ctx.product_views(c, vec![p])?.pop(),
        None => None,
    })
}

fn release_order(
    q: product_versions::BoxedQuery<'static, Db, VersionRow>,
) -> product_versions::BoxedQuery<'static, Db, VersionRow> {
    q.order((
        product_versions::product_id.asc(),
        product_versions::release_date.desc(),
        product_versions::created_at.desc(),
        product_versions::id.asc(),
    ))
}

fn release_page(
    c: &mut DbConnection,
    ctx: &Ctx,
    q: &PageQuery,
    product_id: Option<&str>,
) -> ApiResult<Page<TeaProductRelease>> {
    let (offset, size) = q.bounds()?;
    let narrowed = |q: product_versions::BoxedQuery<'static, Db, VersionRow>| match product_id {
        Some(id) => q.filter(product_versions::product_id.eq(id.to_string())),
        None => q,
    };
    let list = format!("releases|{product_id:?}|{:?}|{:?}", q.id_type, q.id_value);
    let total = ctx.total(c, list, |c| Ok(narrowed(ctx.releases(release_filter(ctx, q))).count().get_result(c)?))?;
    let list: Vec<Version> =
        release_order(narrowed(ctx.releases(release_filter(ctx, q)))).offset(offset).limit(size).load(c)?;
    let views = ctx.release_views(c, list)?;
    q.page(total, views)
}

pub fn product_releases(
    c: &mut DbConnection,
    ctx: &Ctx,
    id: &str,
    q: &PageQuery,
) -> ApiResult<Option<Page<TeaProductRelease>>> {
    let page = release_page(c, ctx, q, Some(id))?;
    if page.total_results == 0 && product(c, ctx, id)?.is_none() {
        return Ok(None);
    }
    Ok(Some(page))
}

pub fn product_cle(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<Cle>> {
    let versions: Vec<Version> = ctx.releases(None).filter(product_versions::product_id.eq(id.to_string())).load(c)?;
    if versions.is_empty() {
        return Ok(None);
    }
    Ok(Some(cle(versions.iter().flat_map(version_events).collect())))
}

pub fn releases(c: &mut DbConnection, ctx: &Ctx, q: &PageQuery) -> ApiResult<Page<TeaProductRelease>> {
    release_page(c, ctx, q, None)
}

pub fn release(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<TeaProductRelease>> {
    Ok(match ctx.release(c, id)? {
        Some(v) => ctx.release_views(c, vec![v])?.pop(),
        None => None,
    })
}

pub fn release_cle(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<Cle>> {
    Ok(ctx.release(c, id)?.map(|v| cle(version_events(&v))))
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
    if ctx.release(c, id)?.is_none() {
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
    let arts = visible_at(c, ctx.audience(), id, ids)?;
    let mut views: HashMap<&str, TeaArtifact> = HashMap::new();
    for (id, a) in &arts {
        views.insert(id.as_str(), ctx.artifact(c, a)?);
    }
    Ok(Some(
        rows.iter()
            .zip(&per_row)
            .map(|(row, ids)| {
                let list = ids.iter().filter_map(|i| views.get(i.as_str()).cloned()).collect();
                collection_view(row, list)
            })
            .collect(),
    ))
}

/// An artifact the reader may see, with its formats and checksums.
pub fn artifact(c: &mut DbConnection, ctx: &Ctx, id: &str) -> ApiResult<Option<TeaArtifact>> {
    match disclosure::artifact(c, ctx.audience(), id)? {
        Some(a) => ctx.artifact(c, &a).map(Some),
        None => Ok(None),
    }
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
    let a = ctx.audience();
    let value = tei.value.as_str();
    let named: VersionIds = match tei.kind.as_str() {
        "uuid" => product_versions::table
            .filter(product_versions::id.eq(value.to_ascii_lowercase()))
            .select(product_versions::id)
            .into_boxed(),
        "purl" | "hash" => {
            // The artifacts naming it, by index and before the rule, which then looks at those
            // few: planned together, Postgres walked the rule over every artifact to find that
            // none names an unknown purl.
            let by_identity =
                artifacts::table.filter(artifacts::org_id.eq(&a.org_id)).select(artifacts::id).into_boxed();
            let by_identity = if tei.kind == "purl" {
                by_identity.filter(artifacts::kind.eq(ArtifactKind::Sbom)).filter(artifacts::sbom_purl.eq(value))
            } else {
                let (alg, hex) = value.split_once(':').unwrap_or(("", value));
                let hex = hex.to_ascii_lowercase();
                match alg.to_ascii_uppercase().replace(['-', '_'], "").as_str() {
                    "SHA512" => by_identity.filter(artifacts::sha512.eq(hex)),
                    _ => by_identity.filter(artifacts::sha256.eq(hex)),
                }
            };
            let candidates: Vec<String> = by_identity.limit(DISCOVERY_LIMIT).load(c)?;
            if candidates.is_empty() {
                return Ok(None);
            }
            let holding = disclosure::artifact_ids(a).filter(artifacts::id.eq_any(candidates));
            let holders = artifact_versions::table
                .filter(in_subquery(artifact_versions::artifact_id, holding))
                .select(artifact_versions::version_id)
                .into_boxed();
            product_versions::table
                .filter(in_subquery(product_versions::id, holders))
                .select(product_versions::id)
                .into_boxed()
        }
        _ => no_versions(),
    };
    // The named versions first (an index lookup), then the rule over those few: planned in one
    // query, Postgres walked every release to find that none matched an unknown purl (0.4 s).
    let named: Vec<String> = named.limit(DISCOVERY_LIMIT).load(c)?;
    if named.is_empty() {
        return Ok(None);
    }
    let found: Vec<Version> =
        release_order(ctx.releases(None)).filter(product_versions::id.eq_any(named)).limit(DISCOVERY_LIMIT).load(c)?;
    if found.is_empty() {
        return Ok(None);
    }
    let server = DiscoveryServer {
        root_url: root_url(&ctx.origin, &ctx.reader.portal.slug),
        versions: vec![TEA_VERSION.into()],
        priority: 1.0,
    };
    Ok(Some(
        found
            .into_iter()
            .map(|v| DiscoveryInfo { product_release_uuid: v.id.to_string(), servers: vec![server.clone()] })
            .collect(),
    ))
}

/// The most releases one discovery answer names.
const DISCOVERY_LIMIT: i64 = 1000;

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
) -> ApiResult<Vec<(String, Artifact)>> {
    let list: Vec<Artifact> =
        disclosure::visible_at(a, version_id, artifacts::table.select(Artifact::as_select()).into_boxed())
            .filter(artifacts::id.eq_any(ids.into_iter().collect::<Vec<_>>()))
            .load(c)?;
    Ok(list.into_iter().map(|a| (a.id.to_string(), a)).collect())
}

/// The CSAF provider's detached signature of a published CSAF document.
fn signature_url(
    c: &mut DbConnection,
    urls: &csaf_provider::Urls,
    audience: &Audience,
    a: &Artifact,
) -> ApiResult<Option<String>> {
    if !a.format.starts_with("csaf") || a.status != ArtifactStatus::Published {
        return Ok(None);
    }
    let doc: Option<CsafDocument> =
        csaf_documents::table.find(a.id.to_string()).select(CsafDocument::as_select()).first(c).optional()?;
    Ok(doc.map(|doc| {
        let row = csaf_provider::EntryArtifact {
            id: a.id.to_string(),
            product_id: a.product_id.to_string(),
            version_id: a.version_id.to_string(),
            kind: a.kind,
            sha256: a.sha256.clone(),
            sha512: a.sha512.clone(),
            size: a.size,
            published_at: a.published_at,
            tlp: a.tlp,
        };
        format!("{}.asc", urls.document(&csaf_provider::entry(audience.effective(a.tlp), row, &doc)))
    }))
}
