use actix_web::{delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::{settings, tokens};
use crate::auth::OrgAdmin;
use crate::client::ClientInfo;
use crate::db;
use crate::disclosure::preview::{self, Preview};
use crate::disclosure::ReaderKind;
use crate::error::responses::{OrgErrors, OrgWriteErrors};
use crate::error::ApiResult;
use crate::reply::{Created, NoContent};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_portal_settings)
        .service(put_portal_settings)
        .service(list_access_tokens)
        .service(create_access_token)
        .service(get_access_token)
        .service(update_access_token)
        .service(revoke_access_token)
        .service(revoke_access_token_post)
        .service(preview_token)
        .service(preview_anonymous);
}

/// The organisation's portal settings and URL (admins only).
#[utoipa::path(tag = "portal-admin", operation_id = "getPortalSettings", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = PortalSettings), OrgErrors))]
#[get("/orgs/{org}/portal")]
async fn get_portal_settings(st: web::Data<AppState>, access: OrgAdmin) -> ApiResult<web::Json<PortalSettings>> {
    let url = st.settings.public_url.clone();
    Ok(web::Json(db::run(&st.pool, move |c| settings::get(c, &access.org, &url)).await?))
}

/// Configures the portal (admins only): enable, slug, visibility, display name, description, contact.
#[utoipa::path(tag = "portal-admin", operation_id = "putPortalSettings", params(("org" = String, Path, description = "Organisation slug")),
    request_body = UpdatePortalSettings, security(("admin_jwt" = [])), responses((status = 200, body = PortalSettings), OrgWriteErrors))]
#[put("/orgs/{org}/portal")]
async fn put_portal_settings(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<UpdatePortalSettings>,
) -> ApiResult<web::Json<PortalSettings>> {
    let req = body.into_inner();
    let url = st.settings.public_url.clone();
    Ok(web::Json(db::tx(&st.pool, move |c| settings::put(c, &access.org, &req, &access.user, &client, &url)).await?))
}

/// Lists customer access tokens with their use: last used (and from where), count, status, scope;
/// `status` keeps only active, expired or revoked ones.
#[utoipa::path(tag = "portal-admin", operation_id = "listAccessTokens",
    params(("org" = String, Path, description = "Organisation slug"), TokenListQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<AccessTokenView>), OrgErrors))]
#[get("/orgs/{org}/portal/tokens")]
async fn list_access_tokens(
    st: web::Data<AppState>,
    access: OrgAdmin,
    q: web::Query<TokenListQuery>,
) -> ApiResult<web::Json<Vec<AccessTokenView>>> {
    let status = q.into_inner().status;
    let list = db::run(&st.pool, move |c| tokens::list(c, &access.org.id)).await?;
    Ok(web::Json(list.into_iter().filter(|t| status.is_none_or(|s| t.status == s)).collect()))
}

/// Creates an access token for a customer (admins). The secret `spt_…` is in this response only.
#[utoipa::path(tag = "portal-admin", operation_id = "createAccessToken", params(("org" = String, Path, description = "Organisation slug")),
    request_body = CreateAccessToken, security(("admin_jwt" = [])),
    responses((status = 201, body = CreatedAccessToken), OrgWriteErrors))]
#[post("/orgs/{org}/portal/tokens")]
async fn create_access_token(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<CreateAccessToken>,
) -> ApiResult<Created<CreatedAccessToken>> {
    let req = body.into_inner();
    let created = db::tx(&st.pool, move |c| tokens::create(c, &access.org.id, &req, &access.user, &client)).await?;
    Ok(Created(created))
}

/// Revokes an access token permanently and immediately, with every session made from it.
#[utoipa::path(tag = "portal-admin", operation_id = "revokeAccessToken",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Token id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Revoked"), OrgWriteErrors))]
#[delete("/orgs/{org}/portal/tokens/{id}")]
async fn revoke_access_token(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    revoke(st, access, client, path.into_inner().1).await
}

/// Same as `DELETE …/portal/tokens/{id}`, for clients that cannot send DELETE.
#[utoipa::path(tag = "portal-admin", operation_id = "revokeAccessTokenPost",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Token id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Revoked"), OrgWriteErrors))]
#[post("/orgs/{org}/portal/tokens/{id}/revoke")]
async fn revoke_access_token_post(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    revoke(st, access, client, path.into_inner().1).await
}

/// Both revoke routes: permanent, immediate, audited.
async fn revoke(st: web::Data<AppState>, access: OrgAdmin, client: ClientInfo, id: String) -> ApiResult<NoContent> {
    db::tx(&st.pool, move |c| tokens::revoke(c, &access.org.id, &id, &access.user, &client)).await?;
    Ok(NoContent)
}

/// One access token with its use: last used (and from where), count, status, scope, clearance.
#[utoipa::path(tag = "portal-admin", operation_id = "getAccessToken",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Token id")),
    security(("admin_jwt" = [])), responses((status = 200, body = AccessTokenView), OrgErrors))]
#[get("/orgs/{org}/portal/tokens/{id}")]
async fn get_access_token(
    st: web::Data<AppState>,
    access: OrgAdmin,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<AccessTokenView>> {
    let (_, id) = path.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| tokens::get(c, &access.org.id, &id).map(tokens::view)).await?))
}

/// Changes an access token's name, TLP clearance (`max_tlp`) or product scope (admins); the
/// change applies from the token's next request on, on every replica.
#[utoipa::path(tag = "portal-admin", operation_id = "updateAccessToken",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Token id")),
    request_body = UpdateAccessToken, security(("admin_jwt" = [])),
    responses((status = 200, body = AccessTokenView), OrgWriteErrors))]
#[patch("/orgs/{org}/portal/tokens/{id}")]
async fn update_access_token(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateAccessToken>,
) -> ApiResult<web::Json<AccessTokenView>> {
    let id = path.into_inner().1;
    let req = body.into_inner();
    Ok(web::Json(db::tx(&st.pool, move |c| tokens::update(c, &access.org.id, &id, &req, &access.user, &client)).await?))
}

/// "View as this customer" (admins): exactly what the token sees — products → versions →
/// artifacts with their TLP labels — computed by the same disclosure rule as every channel, and
/// the published artifacts it does not see, with the reason. Not audited as customer access.
#[utoipa::path(tag = "portal-admin", operation_id = "previewAccessToken",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Token id")),
    security(("admin_jwt" = [])), responses((status = 200, body = Preview), OrgErrors))]
#[get("/orgs/{org}/portal/tokens/{id}/preview")]
async fn preview_token(
    st: web::Data<AppState>,
    access: OrgAdmin,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<Preview>> {
    let id = path.into_inner().1;
    Ok(web::Json(
        db::run(&st.pool, move |c| {
            let t = tokens::get(c, &access.org.id, &id)?;
            let portal = settings::of_org(c, &access.org)?;
            let live = portal.enabled && tokens::check(&t, &access.org.id).is_ok();
            preview::preview(c, &portal.audience(t.reader()), live)
        })
        .await?,
    ))
}

/// What an anonymous visitor sees (admins): CLEAR content of a public portal; nothing of a
/// private one.
#[utoipa::path(tag = "portal-admin", operation_id = "previewAnonymous",
    params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = Preview), OrgErrors))]
#[get("/orgs/{org}/portal/preview")]
async fn preview_anonymous(st: web::Data<AppState>, access: OrgAdmin) -> ApiResult<web::Json<Preview>> {
    Ok(web::Json(
        db::run(&st.pool, move |c| {
            let portal = settings::of_org(c, &access.org)?;
            preview::preview(c, &portal.audience(ReaderKind::Anonymous), portal.enabled)
        })
        .await?,
    ))
}
