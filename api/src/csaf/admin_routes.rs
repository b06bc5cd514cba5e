//! The admin side of the CSAF provider: the organisation's OpenPGP signing keys.

use actix_web::{get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::signing;
use crate::auth::{OrgAdmin, OrgViewer};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgErrors, OrgWriteErrors};
use crate::error::ApiResult;
use crate::portal::settings;
use crate::reply::Created;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_signing_keys).service(rotate_signing_key);
}

/// The OpenPGP keys CSAF documents are signed with: the active one first, then retired ones
/// (still published so older signatures verify). Viewers may read; only admins rotate.
#[utoipa::path(tag = "csaf", operation_id = "listSigningKeys", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<signing::SigningKeyView>), OrgErrors))]
#[get("/orgs/{org}/portal/signing-keys")]
async fn list_signing_keys(
    st: web::Data<AppState>,
    access: OrgViewer,
) -> ApiResult<web::Json<Vec<signing::SigningKeyView>>> {
    let keys = db::run(&st.pool, move |c| signing::published_keys(c, &access.org.id)).await?;
    Ok(web::Json(keys.into_iter().map(signing::view).collect()))
}

/// Rotates the signing key (admins): a new Ed25519 key, or the imported one, becomes active;
/// the previous key is retired but stays published. Documents are re-signed with the new key
/// on their next request.
#[utoipa::path(tag = "csaf", operation_id = "rotateSigningKey", params(("org" = String, Path, description = "Organisation slug")),
    request_body = signing::RotateSigningKey, security(("admin_jwt" = [])),
    responses((status = 201, body = signing::SigningKeyView), OrgWriteErrors))]
#[post("/orgs/{org}/portal/signing-keys")]
async fn rotate_signing_key(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<signing::RotateSigningKey>,
) -> ApiResult<Created<signing::SigningKeyView>> {
    let req = body.into_inner();
    let st2 = st.clone();
    let key = db::tx(&st.pool, move |c| {
        let portal = settings::of_org(c, &access.org)?;
        signing::rotate(c, &st2, &portal, &req, access.user.actor(), &client)
    })
    .await?;
    Ok(Created(signing::view(key)))
}
