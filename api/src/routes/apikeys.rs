use actix_web::{delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::apikeys::service::{self, ApiKeyView, CreateApiKey, CreatedApiKey};
use crate::auth::OrgAdmin;
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgErrors, OrgWriteErrors};
use crate::error::ApiResult;
use crate::reply::{Created, NoContent};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_api_keys).service(create_api_key).service(revoke_api_key);
}

/// Lists the organisation's API keys with who created them and when they were last used (admins).
#[utoipa::path(tag = "api-keys", operation_id = "listApiKeys", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<ApiKeyView>), OrgErrors))]
#[get("/orgs/{org}/api-keys")]
async fn list_api_keys(st: web::Data<AppState>, access: OrgAdmin) -> ApiResult<web::Json<Vec<ApiKeyView>>> {
    Ok(web::Json(db::run(&st.pool, move |c| service::list(c, &access.org.id)).await?))
}

/// Creates an API key (admins). The secret (`spk_…`) is in this response only; it is stored hashed.
#[utoipa::path(tag = "api-keys", operation_id = "createApiKey", params(("org" = String, Path, description = "Organisation slug")),
    request_body = CreateApiKey, security(("admin_jwt" = [])), responses((status = 201, body = CreatedApiKey), OrgWriteErrors))]
#[post("/orgs/{org}/api-keys")]
async fn create_api_key(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<CreateApiKey>,
) -> ApiResult<Created<CreatedApiKey>> {
    let req = body.into_inner();
    let created = db::tx(&st.pool, move |c| service::create(c, &access.org.id, &req, &access.user, &client)).await?;
    Ok(Created(created))
}

/// Revokes an API key at once (admins): the very next request with it gets 401.
#[utoipa::path(tag = "api-keys", operation_id = "revokeApiKey",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "API key id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Revoked"), OrgWriteErrors))]
#[delete("/orgs/{org}/api-keys/{id}")]
async fn revoke_api_key(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    let (_, id) = path.into_inner();
    db::tx(&st.pool, move |c| service::revoke(c, &access.org.id, &id, &access.user, &client)).await?;
    Ok(NoContent)
}
