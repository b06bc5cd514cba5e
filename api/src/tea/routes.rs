//! TEA consumer API v0.4.0 routes: thin handlers (parse, build the reader's context, call one
//! query of [`super::service`], answer). Paths, pagination (`pageOffset`, `pageSize`, `idType`,
//! `idValue`), camelCase fields, `YYYY-MM-DDThh:mm:ssZ` timestamps and lowercase UUIDs follow the
//! TEA OpenAPI document; unknown objects answer `404 {"error":"OBJECT_UNKNOWN"}`.

use actix_web::{get, route, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::service::{self, root_url, uuid_of, Ctx, Tei, Which};
use crate::db::{self, DbConnection};
use crate::error::responses::{PortalErrors, TeaErrors};
use crate::error::{ApiError, ApiResult};
use crate::portal::reader::PortalReader;
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

fn ok<T: Serialize>(v: &T) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").json(v)
}

fn unknown() -> HttpResponse {
    HttpResponse::NotFound().content_type("application/json").json(TeaError { error: "OBJECT_UNKNOWN".into() })
}

/// Runs one TEA query for the reader and answers it: the object, or `OBJECT_UNKNOWN`.
async fn answer<T, F>(st: &web::Data<AppState>, req: &HttpRequest, r: PortalReader, query: F) -> ApiResult<HttpResponse>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&mut DbConnection, &Ctx) -> ApiResult<Option<T>> + Send + 'static,
{
    let ctx = Ctx { reader: r, origin: crate::proxy::origin(req, &st.settings) };
    Ok(match db::run(&st.pool, move |c| query(c, &ctx)).await? {
        Some(v) => ok(&v),
        None => unknown(),
    })
}

/// `/.well-known/tea` (TEA discovery): where the default portal's TEA API is.
#[utoipa::path(tag = "tea", operation_id = "getWellKnownTea",
    responses((status = 200, description = "TEA well-known document", content_type = "application/json", body = TeaWellKnown), PortalErrors))]
#[get("/.well-known/tea")]
async fn well_known(st: web::Data<AppState>, req: HttpRequest) -> ApiResult<web::Json<TeaWellKnown>> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let st2 = st.clone();
    let portal =
        db::run(&st.pool, move |c| settings::default_portal(c, st2.settings.default_portal.as_deref())).await?;
    Ok(web::Json(TeaWellKnown {
        schema_version: 1,
        endpoints: vec![TeaServer {
            url: root_url(&origin, &portal.slug),
            versions: vec![TEA_VERSION.into()],
            priority: 1.0,
        }],
    }))
}

/// The TEA API root (answers GET and HEAD without credentials, for discovery probes).
#[utoipa::path(get, tag = "tea", operation_id = "teaApiRoot", path = "/portal/{slug}/tea/v0.4.0",
    params(("slug" = String, Path, description = "Portal slug")),
    responses((status = 200, description = "The TEA API is here", content_type = "application/json", body = TeaApiRoot), PortalErrors))]
#[route("/portal/{slug}/tea/v0.4.0", method = "GET", method = "HEAD")]
async fn api_root(st: web::Data<AppState>, path: web::Path<String>) -> ApiResult<web::Json<TeaApiRoot>> {
    let slug = path.into_inner();
    db::run(&st.pool, move |c| settings::enabled(c, &slug)).await?;
    Ok(web::Json(TeaApiRoot { version: TEA_VERSION.into() }))
}

/// Resolves a TEI to the product releases it names.
#[utoipa::path(tag = "tea", operation_id = "teaDiscovery",
    params(("slug" = String, Path, description = "Portal slug"), DiscoveryQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "discovery-info[]", content_type = "application/json", body = Vec<DiscoveryInfo>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/discovery")]
async fn discovery(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    q: web::Query<DiscoveryQuery>,
) -> ApiResult<HttpResponse> {
    let tei = Tei::parse(&q.into_inner().tei)?;
    answer(&st, &req, r, move |c, ctx| service::discovery(c, ctx, &tei)).await
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
    answer(&st, &req, r, move |c, ctx| service::products(c, ctx, &q).map(Some)).await
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
    answer(&st, &req, r, move |c, ctx| service::product(c, ctx, &id)).await
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
    answer(&st, &req, r, move |c, ctx| service::product_releases(c, ctx, &id, &q)).await
}

/// A product's lifecycle (CLE): every release and end of support, newest event first.
#[utoipa::path(tag = "tea", operation_id = "teaProductCle",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "CLE document", content_type = "application/json", body = Cle), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/product/{uuid}/cle")]
async fn product_cle(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(&path.1)?;
    answer(&st, &req, r, move |c, ctx| service::product_cle(c, ctx, &id)).await
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
    answer(&st, &req, r, move |c, ctx| service::releases(c, ctx, &q).map(Some)).await
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
    let id = uuid_of(&path.1)?;
    answer(&st, &req, r, move |c, ctx| service::release(c, ctx, &id)).await
}

/// A product release's lifecycle (CLE): released and end of support.
#[utoipa::path(tag = "tea", operation_id = "teaProductReleaseCle",
    params(("slug" = String, Path, description = "Portal slug"), ("uuid" = String, Path, description = "Product release UUID")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "CLE document", content_type = "application/json", body = Cle), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/productRelease/{uuid}/cle")]
async fn release_cle(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(&path.1)?;
    answer(&st, &req, r, move |c, ctx| service::release_cle(c, ctx, &id)).await
}

/// The collections of a release, or one of them.
async fn collections(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    release: &str,
    which: Which,
) -> ApiResult<HttpResponse> {
    let id = uuid_of(release)?;
    answer(&st, &req, r, move |c, ctx| {
        let list = service::collections(c, ctx, &id, which)?;
        Ok(match which {
            Which::All => list.map(CollectionsAnswer::All),
            _ => list.and_then(|mut l| l.pop()).map(CollectionsAnswer::One),
        })
    })
    .await
}

#[derive(Serialize)]
#[serde(untagged)]
enum CollectionsAnswer {
    All(Vec<TeaCollection>),
    One(TeaCollection),
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
    collections(st, req, r, &path.1, Which::All).await
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
    collections(st, req, r, &path.1, Which::Latest).await
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
    collections(st, req, r, &path.1, Which::Number(n)).await
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
    let id = uuid_of(&path.1)?;
    answer(&st, &req, r, move |c, ctx| service::artifact(c, ctx, &id)).await
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
    let id = uuid_of(&path.1)?;
    if path.2 != "1" {
        return Ok(unknown());
    }
    answer(&st, &req, r, move |c, ctx| service::artifact(c, ctx, &id)).await
}

/// Components: products here are not split into TEA components, so the list is empty.
#[utoipa::path(tag = "tea", operation_id = "teaListComponents",
    params(("slug" = String, Path, description = "Portal slug"), PageQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated components (empty)", content_type = "application/json", body = Page<TeaComponent>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/components")]
async fn list_components(_r: PortalReader, q: web::Query<PageQuery>) -> ApiResult<web::Json<Page<TeaComponent>>> {
    Ok(web::Json(q.page(0, Vec::new())?))
}

/// Component releases: none (see `components`).
#[utoipa::path(tag = "tea", operation_id = "teaListComponentReleases",
    params(("slug" = String, Path, description = "Portal slug"), PageQuery), security((), ("portal_token" = [])),
    responses((status = 200, description = "Paginated component releases (empty)", content_type = "application/json", body = Page<TeaComponent>), TeaErrors))]
#[get("/portal/{slug}/tea/v0.4.0/componentReleases")]
async fn list_component_releases(
    _r: PortalReader,
    q: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<TeaComponent>>> {
    Ok(web::Json(q.page(0, Vec::new())?))
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
