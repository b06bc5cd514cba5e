use actix_web::{delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::artifacts::changes::{self, ChangesQuery, VersionChanges};
use crate::auth::{OrgAdmin, OrgCaller, ReadCatalogue, Upload};
use crate::catalogue::model::*;
use crate::catalogue::service;
use crate::client::ClientInfo;
use crate::db;
use crate::disclosure;
use crate::error::responses::{OrgErrors, OrgWriteErrors};
use crate::error::ApiResult;
use crate::reply::{Created, NoContent};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_products)
        .service(create_product)
        .service(get_product)
        .service(update_product)
        .service(delete_product)
        .service(list_versions)
        .service(create_version)
        .service(get_version)
        .service(update_version)
        .service(version_changes);
}

/// Lists the organisation's products (members, or API keys with `catalogue:read`).
#[utoipa::path(tag = "catalogue", operation_id = "listProducts",
    params(("org" = String, Path, description = "Organisation slug"), ProductListQuery),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = Vec<ProductView>), OrgErrors))]
#[get("/orgs/{org}/products")]
async fn list_products(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    q: web::Query<ProductListQuery>,
) -> ApiResult<web::Json<Vec<ProductView>>> {
    let include = q.include_archived.unwrap_or(false);
    Ok(web::Json(db::run(&st.pool, move |c| service::list_products(c, &access.org.id, include)).await?))
}

/// Creates a product (publishers, admins, or API keys with `artifacts:write`).
#[utoipa::path(tag = "catalogue", operation_id = "createProduct", params(("org" = String, Path, description = "Organisation slug")),
    request_body = CreateProduct, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 201, body = ProductView), OrgWriteErrors))]
#[post("/orgs/{org}/products")]
async fn create_product(
    st: web::Data<AppState>,
    access: OrgCaller<Upload>,
    client: ClientInfo,
    body: web::Json<CreateProduct>,
) -> ApiResult<Created<ProductView>> {
    let req = body.into_inner();
    service::validate_create_product(&req)?;
    let actor = access.caller.actor();
    let view = db::tx(&st.pool, move |c| service::create_product(c, &access.org.id, &req, &actor, &client)).await?;
    Ok(Created(view))
}

/// A product with its versions and their support periods.
#[utoipa::path(tag = "catalogue", operation_id = "getProduct",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = ProductDetail), OrgErrors))]
#[get("/orgs/{org}/products/{product}")]
async fn get_product(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<ProductDetail>> {
    let (_, slug) = path.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| service::product_detail(c, &access.org.id, &slug)).await?))
}

/// Changes a product's name, description, portal visibility or archived flag.
#[utoipa::path(tag = "catalogue", operation_id = "updateProduct",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    request_body = UpdateProduct, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, body = ProductView), OrgWriteErrors))]
#[patch("/orgs/{org}/products/{product}")]
async fn update_product(
    st: web::Data<AppState>,
    access: OrgCaller<Upload>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateProduct>,
) -> ApiResult<web::Json<ProductView>> {
    let (_, slug) = path.into_inner();
    let req = body.into_inner();
    let changes: Vec<&str> = [("portal_visible", req.portal_visible.is_some()), ("archived", req.archived.is_some())]
        .into_iter()
        .filter_map(|(f, set)| set.then_some(f))
        .collect();
    disclosure::may_change(&access.caller, &changes)?;
    let actor = access.caller.actor();
    let view =
        db::tx(&st.pool, move |c| service::update_product(c, &access.org.id, &slug, &req, &actor, &client)).await?;
    Ok(web::Json(view))
}

/// Deletes a product with only drafts (admins). Refused with 409 once anything was published: archive it.
#[utoipa::path(tag = "catalogue", operation_id = "deleteProduct",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Deleted"), OrgWriteErrors))]
#[delete("/orgs/{org}/products/{product}")]
async fn delete_product(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    let (_, slug) = path.into_inner();
    let actor = access.user.actor();
    db::tx(&st.pool, move |c| service::delete_product(c, &access.org.id, &slug, &actor, &client)).await?;
    Ok(NoContent)
}

/// Lists a product's versions, newest release first.
#[utoipa::path(tag = "catalogue", operation_id = "listVersions",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = Vec<VersionView>), OrgErrors))]
#[get("/orgs/{org}/products/{product}/versions")]
async fn list_versions(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<Vec<VersionView>>> {
    let (_, slug) = path.into_inner();
    Ok(web::Json(
        db::run(&st.pool, move |c| {
            let p = service::get_product(c, &access.org.id, &slug)?;
            service::list_versions(c, &p)
        })
        .await?,
    ))
}

/// Creates a version with its release date and support period.
#[utoipa::path(tag = "catalogue", operation_id = "createVersion",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    request_body = CreateVersion, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 201, body = VersionView), OrgWriteErrors))]
#[post("/orgs/{org}/products/{product}/versions")]
async fn create_version(
    st: web::Data<AppState>,
    access: OrgCaller<Upload>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<CreateVersion>,
) -> ApiResult<Created<VersionView>> {
    let (_, slug) = path.into_inner();
    let req = body.into_inner();
    let actor = access.caller.actor();
    let view = db::tx(&st.pool, move |c| {
        let p = service::get_product(c, &access.org.id, &slug)?;
        service::create_version(c, &p, &req, &actor, &client)
    })
    .await?;
    Ok(Created(view))
}

/// One version of a product.
#[utoipa::path(tag = "catalogue", operation_id = "getVersion",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version string")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = VersionView), OrgErrors))]
#[get("/orgs/{org}/products/{product}/versions/{version}")]
async fn get_version(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String, String)>,
) -> ApiResult<web::Json<VersionView>> {
    let (_, slug, version) = path.into_inner();
    let view = db::run(&st.pool, move |c| {
        let p = service::get_product(c, &access.org.id, &slug)?;
        service::get_version(c, &p, &version).map(|v| service::version_view(v, &p.slug))
    })
    .await?;
    Ok(web::Json(view))
}

/// Changes a version's release date, support period end or lifecycle status.
#[utoipa::path(tag = "catalogue", operation_id = "updateVersion",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version string")),
    request_body = UpdateVersion, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, body = VersionView), OrgWriteErrors))]
#[patch("/orgs/{org}/products/{product}/versions/{version}")]
async fn update_version(
    st: web::Data<AppState>,
    access: OrgCaller<Upload>,
    client: ClientInfo,
    path: web::Path<(String, String, String)>,
    body: web::Json<UpdateVersion>,
) -> ApiResult<web::Json<VersionView>> {
    let (_, slug, version) = path.into_inner();
    let req = body.into_inner();
    let changes: Vec<&str> = [
        ("release_date", req.release_date.is_some()),
        ("support_until", req.support_until.is_some()),
        ("status", req.status.is_some()),
    ]
    .into_iter()
    .filter_map(|(f, set)| set.then_some(f))
    .collect();
    disclosure::may_change(&access.caller, &changes)?;
    let actor = access.caller.actor();
    let view = db::tx(&st.pool, move |c| {
        let p = service::get_product(c, &access.org.id, &slug)?;
        service::update_version(c, &p, &version, &req, &actor, &client)
    })
    .await?;
    Ok(web::Json(view))
}

/// What changed between two versions (the manufacturer's view: every published SBOM, VEX and
/// advisory): components added, removed and changed, licence changes, VEX status changes.
#[utoipa::path(tag = "catalogue", operation_id = "getVersionChanges",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version string"), ChangesQuery),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = VersionChanges), OrgErrors))]
#[get("/orgs/{org}/products/{product}/versions/{version}/changes")]
async fn version_changes(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String, String)>,
    q: web::Query<ChangesQuery>,
) -> ApiResult<web::Json<VersionChanges>> {
    let (_, slug, version) = path.into_inner();
    let from = q.into_inner().from;
    let view = db::run(&st.pool, move |c| {
        let p = service::get_product(c, &access.org.id, &slug)?;
        let to = service::get_version(c, &p, &version)?;
        let old = service::get_version(c, &p, &from)?;
        let (old_arts, to_arts) =
            (changes::published_at(c, &access.org.id, &old.id)?, changes::published_at(c, &access.org.id, &to.id)?);
        changes::between(c, (&old.version, &old_arts), (&to.version, &to_arts))
    })
    .await?;
    Ok(web::Json(view))
}
