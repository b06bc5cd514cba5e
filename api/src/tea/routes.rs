//! TEA consumer API v0.4.0 routes. Paths, pagination (`pageOffset`, `pageSize`, `idType`,
//! `idValue`), camelCase fields, `YYYY-MM-DDThh:mm:ssZ` timestamps and lowercase UUIDs follow the
//! TEA OpenAPI document; unknown objects answer `404 {"error":"OBJECT_UNKNOWN"}`.

use actix_web::{get, route, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::*;
use crate::artifacts::model::ArtifactStatus;
use crate::csaf::provider as csaf_provider;
use crate::db;
use crate::disclosure::{self, in_subquery, Audience};
use crate::error::responses::{PortalErrors, TeaErrors};
use crate::error::{ApiError, ApiResult};
use crate::portal::settings;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(api_root)
        .service(discovery)
        .service(list_products)
        .service(get_product)
        .service(product_releases)
        .service(product_cle)
        .service(list_product_releases)
        .service(get_product_release)
        .service(release_cle)
        .service(release_collections)
        .service(release_collection_latest)
        .service(release_collection)
        .service(artifact_latest)
        .service(artifact_version)
        .service(list_components)
        .service(list_component_releases)
        .service(component)
        .service(component_release);
}

pub fn configure_well_known(cfg: &mut ServiceConfig) {
    cfg.service(well_known);
}

/// `{origin}/api/v1/portal/{slug}/tea`: the TEA root; clients append `/v0.4.0`.
pub fn root_url(origin: &str, slug: &str) -> String {
    format!("{origin}/api/v1/portal/{slug}/tea")
}

fn ok<T: Serialize>(v: &T) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").json(v)
}

fn unknown() -> HttpResponse {
    HttpResponse::NotFound().content_type("application/json").json(TeaError { error: "OBJECT_UNKNOWN".into() })
}

fn uuid_of(s: &str) -> ApiResult<String> {
    uuid::Uuid::parse_str(s)
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| ApiError::BadRequest(format!("`{s}` is not a UUID")))
}

/// A page of results (TEA `pagination-details` + `results`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub timestamp: String,
    pub page_start_index: i64,
    pub page_size: i64,
    pub total_results: i64,
    pub results: Vec<T>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Index of the first result (default 0).
    pub page_offset: Option<i64>,
    /// Results per page, 1–10000 (default 100).
    pub page_size: Option<i64>,
    /// Filter by identifier type: `TEI`, `PURL`, `CPE`.
    pub id_type: Option<String>,
    /// Filter by identifier value (exact match, with `idType`).
    pub id_value: Option<String>,
}

impl PageQuery {
    fn bounds(&self) -> ApiResult<(i64, i64)> {
        let offset = self.page_offset.unwrap_or(0);
        let size = self.page_size.unwrap_or(100);
        if offset < 0 {
            return Err(ApiError::validation("pageOffset", "must be 0 or more"));
        }
        if !(1..=10_000).contains(&size) {
            return Err(ApiError::validation("pageSize", "must be between 1 and 10000"));
        }
        Ok((offset, size))
    }

    fn matches(&self, ids: &[Identifier]) -> bool {
        match (&self.id_type, &self.id_value) {
            (None, None) => true,
            (t, v) => ids.iter().any(|i| {
                t.as_deref().is_none_or(|t| t.eq_ignore_ascii_case(&i.id_type))
                    && v.as_deref().is_none_or(|v| v == i.id_value)
            }),
        }
    }

    fn page<T: Serialize>(&self, all: Vec<T>) -> ApiResult<Page<T>> {
        let (offset, size) = self.bounds()?;
        let total = all.len() as i64;
        let results = all.into_iter().skip(offset as usize).take(size as usize).collect();
        Ok(Page {
            timestamp: ts(chrono::Utc::now().naive_utc()),
            page_start_index: offset,
            page_size: size,
            total_results: total,
            results,
        })
    }
}

/// The reader, its catalogue and the origin URLs are built from.
async fn catalogue(
    st: &web::Data<AppState>,
    req: &HttpRequest,
    r: PortalReader,
) -> ApiResult<(PortalReader, Catalogue, String)> {
    let origin = crate::proxy::origin(req, &st.settings);
    let o = origin.clone();
    let (r, cat) = db::run(&st.pool, move |c| {
        let cat = load(c, &r, &o)?;
        Ok((r, cat))
    })
    .await?;
    Ok((r, cat, origin))
}

/// `/.well-known/tea` (TEA discovery): where the default portal's TEA API is.
#[utoipa::path(tag = "tea", operation_id = "getWellKnownTea",
    responses((status = 200, description = "TEA well-known document", content_type = "application/json", body = Object), PortalErrors))]
#[get("/.well-known/tea")]
async fn well_known(st: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let st2 = st.clone();
    let portal =
        db::run(&st.pool, move |c| settings::default_portal(c, st2.settings.default_portal.as_deref())).await?;
    Ok(ok(&serde_json::json!({
        "schemaVersion": 1,
        "endpoints": [{"url": root_url(&origin, &portal.slug), "versions": [TEA_VERSION], "priority": 1}],
    })))
}

/// The TEA API root (answers GET and HEAD without credentials, for discovery probes).
#[utoipa::path(get, tag = "tea", operation_id = "teaApiRoot", path = "/portal/{slug}/tea/v0.4.0",
    params(("slug" = String, Path, description = "Portal slug")),
    responses((status = 200, description = "The TEA API is here", content_type = "application/json", body = Object), PortalErrors))]
#[route("/portal/{slug}/tea/v0.4.0", method = "GET", method = "HEAD")]
async fn api_root(st: web::Data<AppState>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let slug = path.into_inner();
    db::run(&st.pool, move |c| settings::enabled(c, &slug)).await?;
    Ok(ok(&serde_json::json!({"version": TEA_VERSION})))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscoveryQuery {
    /// A Transparency Exchange Identifier: `urn:tei:uuid:<domain>:<uuid>`, `urn:tei:purl:<domain>:<purl>`
    /// or `urn:tei:hash:<domain>:<SHA-256|SHA-512>:<hex>`.
    pub tei: String,
}

/// Resolves a TEI to the product releases it names.
#[utoipa::path(tag = "tea", operation_id = "teaDiscovery",
    params(("slug" = String, Path, description = "Portal slug"), DiscoveryQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "discovery-info[]", content_type = "application/json", body = Object), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/discovery")]
async fn discovery(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    q: web::Query<DiscoveryQuery>,
) -> ApiResult<HttpResponse> {
    let tei = q.into_inner().tei;
    let rest = tei.strip_prefix("urn:tei:").ok_or_else(|| ApiError::validation("tei", "must start with urn:tei:"))?;
    let mut parts = rest.splitn(3, ':');
    let (Some(kind), Some(_domain), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApiError::validation("tei", "must be urn:tei:<type>:<domain>:<identifier>"));
    };
    if value.is_empty() {
        return Err(ApiError::validation("tei", "the identifier part is empty"));
    }
    let slug = r.portal.slug.clone();
    let (r, cat, origin) = catalogue(&st, &req, r).await?;
    let found: Vec<String> = match kind {
        "uuid" => cat.version(&value.to_ascii_lowercase()).map(|v| vec![v.id.clone()]).unwrap_or_default(),
        "purl" => cat
            .versions
            .iter()
            .filter(|v| cat.primary.get(&v.id).and_then(|p| p.0.as_deref()) == Some(value))
            .map(|v| v.id.clone())
            .collect(),
        "hash" => {
            let (alg, hex) = value.split_once(':').unwrap_or(("", value));
            let hex = hex.to_ascii_lowercase();
            let alg = alg.to_ascii_uppercase().replace(['-', '_'], "");
            let version_ids: Vec<String> = cat.versions.iter().map(|v| v.id.clone()).collect();
            let audience = r.audience.clone();
            db::run(&st.pool, move |c| {
                use crate::db::schema::*;
                use diesel::prelude::*;
                let mut q = artifact_versions::table
                    .inner_join(artifacts::table.on(artifacts::id.eq(artifact_versions::artifact_id)))
                    .filter(in_subquery(artifacts::id, disclosure::artifact_ids(&audience)))
                    .filter(artifact_versions::version_id.eq_any(version_ids))
                    .into_boxed();
                q = match alg.as_str() {
                    "SHA512" => q.filter(artifacts::sha512.eq(hex)),
                    _ => q.filter(artifacts::sha256.eq(hex)),
                };
                Ok(q.select(artifact_versions::version_id).distinct().load::<String>(c)?)
            })
            .await?
        }
        _ => Vec::new(),
    };
    if found.is_empty() {
        return Ok(unknown());
    }
    let servers = serde_json::json!([{"rootUrl": root_url(&origin, &slug), "versions": [TEA_VERSION], "priority": 1}]);
    let body: Vec<serde_json::Value> =
        found.into_iter().map(|id| serde_json::json!({"productReleaseUuid": id, "servers": servers})).collect();
    Ok(ok(&body))
}

/// Products (paginated; filter by `idType`/`idValue`).
#[utoipa::path(tag = "tea", operation_id = "teaListProducts",
    params(("slug" = String, Path, description = "Portal slug"), PageQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated products", content_type = "application/json", body = Page<TeaProduct>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/products")]
async fn list_products(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    q: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    q.bounds()?;
    let (_, cat, _) = catalogue(&st, &req, r).await?;
    let all: Vec<TeaProduct> = cat
        .products
        .iter()
        .filter(|p| cat.versions.iter().any(|v| v.product_id == p.id))
        .map(|p| cat.product_view(p))
        .filter(|p| q.matches(&p.identifiers))
        .collect();
    Ok(ok(&q.page(all)?))
}

/// One product.
#[utoipa::path(tag = "tea", operation_id = "teaGetProduct",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The product", content_type = "application/json", body = TeaProduct), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/product/{uuid}")]
async fn get_product(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(&path.1)?;
    let (_, cat, _) = catalogue(&st, &req, r).await?;
    Ok(match cat.product(&id).filter(|p| cat.versions.iter().any(|v| v.product_id == p.id)) {
        Some(p) => ok(&cat.product_view(p)),
        None => unknown(),
    })
}

/// A product's releases (paginated).
#[utoipa::path(tag = "tea", operation_id = "teaProductReleases",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product UUID"), PageQuery),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated product releases", content_type = "application/json", body = Page<TeaProductRelease>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/product/{uuid}/releases")]
async fn product_releases(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
    q: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(&path.1)?;
    q.bounds()?;
    let (_, cat, _) = catalogue(&st, &req, r).await?;
    let all: Vec<TeaProductRelease> = cat
        .versions
        .iter()
        .filter(|v| v.product_id == id)
        .map(|v| cat.release_view(v))
        .filter(|v| q.matches(&v.identifiers))
        .collect();
    if all.is_empty() && cat.product(&id).is_none() {
        return Ok(unknown());
    }
    Ok(ok(&q.page(all)?))
}

/// A CLE event (ECMA-428) derived from release dates and support periods.
fn cle(events: Vec<(String, &'static str, chrono::NaiveDate, chrono::NaiveDateTime)>) -> serde_json::Value {
    let mut events = events;
    events.sort_by(|a, b| (a.2, a.1, &a.0).cmp(&(b.2, b.1, &b.0)));
    let n = events.len();
    let list: Vec<serde_json::Value> = events
        .into_iter()
        .enumerate()
        .rev()
        .map(|(i, (version, kind, effective, published))| {
            let mut e =
                serde_json::json!({"id": i + 1, "type": kind, "effective": day(effective), "published": ts(published)});
            if kind == "released" {
                e["version"] = version.into();
            } else {
                e["versions"] = serde_json::json!([{"version": version}]);
            }
            e
        })
        .collect();
    debug_assert_eq!(list.len(), n);
    serde_json::json!({"events": list})
}

fn version_events(v: &Version) -> Vec<(String, &'static str, chrono::NaiveDate, chrono::NaiveDateTime)> {
    let mut out = Vec::new();
    if let Some(d) = v.release_date {
        out.push((v.version.clone(), "released", d, v.updated_at));
    }
    if let Some(d) = v.support_until {
        out.push((v.version.clone(), "endOfSupport", d, v.updated_at));
    }
    out
}

/// A product's lifecycle (CLE): every release and end of support, newest event first.
#[utoipa::path(tag = "tea", operation_id = "teaProductCle",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "CLE document", content_type = "application/json", body = Object), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/product/{uuid}/cle")]
async fn product_cle(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(&path.1)?;
    let (_, cat, _) = catalogue(&st, &req, r).await?;
    if !cat.versions.iter().any(|v| v.product_id == id) {
        return Ok(unknown());
    }
    Ok(ok(&cle(cat.versions.iter().filter(|v| v.product_id == id).flat_map(version_events).collect())))
}

/// All product releases (paginated; filter by `idType`/`idValue`, e.g. a TEI or purl).
#[utoipa::path(tag = "tea", operation_id = "teaListProductReleases",
    params(("slug" = String, Path, description = "Portal slug"), PageQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated product releases", content_type = "application/json", body = Page<TeaProductRelease>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productReleases")]
async fn list_product_releases(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    q: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    q.bounds()?;
    let (_, cat, _) = catalogue(&st, &req, r).await?;
    let all: Vec<TeaProductRelease> =
        cat.versions.iter().map(|v| cat.release_view(v)).filter(|v| q.matches(&v.identifiers)).collect();
    Ok(ok(&q.page(all)?))
}

/// Renders a visible product release with `f`, or TEA's `OBJECT_UNKNOWN`.
async fn with_release(
    st: &web::Data<AppState>,
    req: &HttpRequest,
    r: PortalReader,
    raw_id: &str,
    f: impl FnOnce(&Catalogue, &Version) -> HttpResponse,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(raw_id)?;
    let (_, cat, _) = catalogue(st, req, r).await?;
    Ok(match cat.version(&id) {
        Some(v) => f(&cat, v),
        None => unknown(),
    })
}

/// One product release.
#[utoipa::path(tag = "tea", operation_id = "teaGetProductRelease",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product release UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The product release", content_type = "application/json", body = TeaProductRelease), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productRelease/{uuid}")]
async fn get_product_release(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    with_release(&st, &req, r, &path.1, |cat, v| ok(&cat.release_view(v))).await
}

/// A product release's lifecycle (CLE): released and end of support.
#[utoipa::path(tag = "tea", operation_id = "teaProductReleaseCle",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product release UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "CLE document", content_type = "application/json", body = Object), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productRelease/{uuid}/cle")]
async fn release_cle(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    with_release(&st, &req, r, &path.1, |_, v| ok(&cle(version_events(v)))).await
}

/// Which collection versions of a release to build.
enum Which {
    All,
    Latest,
    Number(i32),
}

async fn collections_of(
    st: &web::Data<AppState>,
    req: &HttpRequest,
    r: PortalReader,
    release: &str,
    which: Which,
) -> ApiResult<Option<Vec<TeaCollection>>> {
    let id = uuid_of(release)?;
    let (r, cat, origin) = catalogue(st, req, r).await?;
    if cat.version(&id).is_none() {
        return Ok(None);
    }
    let slug = r.portal.slug.clone();
    db::run(&st.pool, move |c| {
        let rows = match which {
            Which::All => collections::all(c, &id)?,
            Which::Latest => collections::latest(c, &id)?.into_iter().collect(),
            Which::Number(n) => {
                collections::all(c, &id)?.into_iter().filter(|row| row.collection_version == n).collect()
            }
        };
        if rows.is_empty() && !matches!(which, Which::All) {
            return Ok(None);
        }
        let ids: BTreeSet<String> = rows.iter().flat_map(|row| row.artifact_ids()).collect();
        let arts = visible_at(c, &r.audience, &id, ids)?;
        let csaf = crate::csaf::routes::urls(&origin, &slug);
        let view = |a: &Artifact| {
            let download = format!("{origin}/api/v1/portal/{slug}/artifacts/{}/download", a.id);
            artifact_view(a, download, signature_url(&csaf, &r.audience, a))
        };
        Ok(Some(
            rows.iter()
                .map(|row| {
                    let list = row.artifact_ids().iter().filter_map(|i| arts.get(i)).map(view).collect();
                    collection_view(row, list)
                })
                .collect(),
        ))
    })
    .await
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
    Ok(list.into_iter().map(|a| (a.id.clone(), a)).collect())
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

/// Every collection version of a release, oldest first.
#[utoipa::path(tag = "tea", operation_id = "teaReleaseCollections",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product release UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "collection[]", content_type = "application/json", body = Vec<TeaCollection>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productRelease/{uuid}/collections")]
async fn release_collections(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    Ok(match collections_of(&st, &req, r, &path.1, Which::All).await? {
        Some(list) => ok(&list),
        None => unknown(),
    })
}

/// The release's current collection: its published artifacts with download URLs and checksums.
#[utoipa::path(tag = "tea", operation_id = "teaReleaseCollectionLatest",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product release UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The latest collection", content_type = "application/json", body = TeaCollection), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productRelease/{uuid}/collection/latest")]
async fn release_collection_latest(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    Ok(match collections_of(&st, &req, r, &path.1, Which::Latest).await?.and_then(|mut l| l.pop()) {
        Some(c) => ok(&c),
        None => unknown(),
    })
}

/// One collection version of a release.
#[utoipa::path(tag = "tea", operation_id = "teaReleaseCollection",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product release UUID"),
        ("collectionVersion" = i32, Path, description = "Collection version (from 1)")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The collection version", content_type = "application/json", body = TeaCollection), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productRelease/{uuid}/collection/{collectionVersion}")]
async fn release_collection(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    let n: i32 = path.2.parse().map_err(|_| ApiError::validation("collectionVersion", "must be a number from 1"))?;
    Ok(match collections_of(&st, &req, r, &path.1, Which::Number(n)).await?.and_then(|mut l| l.pop()) {
        Some(c) => ok(&c),
        None => unknown(),
    })
}

async fn artifact(st: &web::Data<AppState>, req: &HttpRequest, r: PortalReader, id: &str) -> ApiResult<HttpResponse> {
    let id = uuid_of(id)?;
    let origin = crate::proxy::origin(req, &st.settings);
    let slug = r.portal.slug.clone();
    let audience = r.audience.clone();
    let a2 = audience.clone();
    let found = db::run(&st.pool, move |c| disclosure::artifact(c, &a2, &id)).await?;
    Ok(match found {
        Some(a) => {
            let csaf = crate::csaf::routes::urls(&origin, &slug);
            let download = format!("{origin}/api/v1/portal/{slug}/artifacts/{}/download", a.id);
            ok(&artifact_view(&a, download, signature_url(&csaf, &audience, &a)))
        }
        None => unknown(),
    })
}

/// An artifact (a published SBOM, VEX, advisory or document) with its formats and checksums.
/// Its `url` is the portal's download, audited like every other download.
#[utoipa::path(tag = "tea", operation_id = "teaArtifactLatest",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Artifact UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The artifact", content_type = "application/json", body = TeaArtifact), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/artifact/{uuid}/latest")]
async fn artifact_latest(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    artifact(&st, &req, r, &path.1).await
}

/// A version of an artifact. Published bytes never change here (a correction is a new
/// artifact that supersedes), so every artifact has exactly version 1.
#[utoipa::path(tag = "tea", operation_id = "teaArtifactVersion",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Artifact UUID"),
        ("artifactVersion" = i32, Path, description = "Artifact version (always 1)")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The artifact", content_type = "application/json", body = TeaArtifact), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/artifact/{uuid}/{artifactVersion}")]
async fn artifact_version(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    if path.2 != "1" {
        uuid_of(&path.1)?;
        return Ok(unknown());
    }
    artifact(&st, &req, r, &path.1).await
}

/// Components: products here are not split into TEA components, so the list is empty.
#[utoipa::path(tag = "tea", operation_id = "teaListComponents",
    params(("slug" = String, Path, description = "Portal slug"), PageQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated components (empty)", content_type = "application/json", body = Object), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/components")]
async fn list_components(_r: PortalReader, q: web::Query<PageQuery>) -> ApiResult<HttpResponse> {
    Ok(ok(&q.page(Vec::<TeaProduct>::new())?))
}

/// Component releases: none (see `components`).
#[utoipa::path(tag = "tea", operation_id = "teaListComponentReleases",
    params(("slug" = String, Path, description = "Portal slug"), PageQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated component releases (empty)", content_type = "application/json", body = Object), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/componentReleases")]
async fn list_component_releases(_r: PortalReader, q: web::Query<PageQuery>) -> ApiResult<HttpResponse> {
    Ok(ok(&q.page(Vec::<TeaProduct>::new())?))
}

/// Component endpoints (`/component/{uuid}`, `…/releases`, `…/cle`): no components exist here.
#[utoipa::path(tag = "tea", operation_id = "teaComponent",
    params(("slug" = String, Path, description = "Portal slug"), ("rest" = String, Path, description = "`<uuid>`, `<uuid>/releases` or `<uuid>/cle`")),
    security((), ("portal_token" = [])), responses(TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/component/{rest:.*}")]
async fn component(_r: PortalReader) -> HttpResponse {
    unknown()
}

/// Component release endpoints (`/componentRelease/{uuid}`, `…/collections`, `…/collection/…`, `…/cle`).
#[utoipa::path(tag = "tea", operation_id = "teaComponentRelease",
    params(("slug" = String, Path, description = "Portal slug"), ("rest" = String, Path, description = "`<uuid>` and its sub-resources")),
    security((), ("portal_token" = [])), responses(TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/componentRelease/{rest:.*}")]
async fn component_release(_r: PortalReader) -> HttpResponse {
    unknown()
}
