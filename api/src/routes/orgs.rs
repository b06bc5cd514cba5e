use actix_web::{delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{OrgAdmin, OrgViewer};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgErrors, OrgWriteErrors, PublicReadErrors, PublicWriteErrors};
use crate::error::ApiResult;
use crate::orgs::model::*;
use crate::orgs::service;
use crate::password;
use crate::reply::{Created, NoContent};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(setup_status)
        .service(setup)
        .service(list_members)
        .service(update_member)
        .service(sign_in_policy)
        .service(delete_member);
}

/// Whether the first-run setup is still open.
#[utoipa::path(tag = "setup", operation_id = "getSetupStatus", responses((status = 200, body = SetupStatus), PublicReadErrors))]
#[get("/setup")]
async fn setup_status(st: web::Data<AppState>) -> ApiResult<web::Json<SetupStatus>> {
    let setup_required = db::run(&st.pool, service::setup_required).await?;
    Ok(web::Json(SetupStatus {
        setup_required,
        setup_code_required: setup_required && st.settings.setup_code.is_some(),
    }))
}

/// First-run setup: creates the first organisation and its admin.
///
/// Only while no user exists; afterwards (and for the loser of two concurrent calls) 409. When the
/// server listens on anything but loopback, `setup_code` must be the one-time code printed at
/// start (or `PORTAL_SETUP_CODE`): 403 otherwise.
#[utoipa::path(tag = "setup", operation_id = "runSetup", request_body = SetupRequest,
    responses((status = 201, body = SetupResponse), PublicWriteErrors))]
#[post("/setup")]
async fn setup(st: web::Data<AppState>, body: web::Json<SetupRequest>) -> ApiResult<Created<SetupResponse>> {
    let req = body.into_inner();
    if let Some(code) = &st.settings.setup_code {
        let given = req.setup_code.as_deref().unwrap_or("").trim();
        let expected = secrecy::ExposeSecret::expose_secret(code);
        if !crate::auth::secret::matches(given, expected) {
            return Err(crate::error::ApiError::Forbidden(
                "setup_code: this server is reachable from the network, so setup needs the one-time code printed in its \
                 log at start (or PORTAL_SETUP_CODE)"
                    .into(),
            ));
        }
    }
    service::validate_setup(&req)?;
    let (org, user) = db::run(&st.pool, move |conn| {
        if !service::setup_required(conn)? {
            return Err(crate::error::ApiError::Conflict("setup is already complete: sign in instead".into()));
        }
        let hash = password::hash(&req.password)?;
        service::setup(conn, &req, hash)
    })
    .await?;
    tracing::info!("first-run setup created organisation `{}` and its admin", org.slug);
    Ok(Created(SetupResponse { organization: org.into(), user: user.into() }))
}

/// Lists the organisation's members (any role).
#[utoipa::path(tag = "members", operation_id = "listMembers", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<Member>), OrgErrors))]
#[get("/orgs/{org}/members")]
async fn list_members(st: web::Data<AppState>, access: OrgViewer) -> ApiResult<web::Json<Vec<Member>>> {
    let org_id = access.org.id.clone();
    Ok(web::Json(db::run(&st.pool, move |c| service::list_members(c, &org_id)).await?))
}

/// Changes a member's role or deactivates/reactivates it (admins only). The last admin stays.
#[utoipa::path(tag = "members", operation_id = "updateMember",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Membership id")),
    request_body = UpdateMember, security(("admin_jwt" = [])), responses((status = 200, body = Member), OrgWriteErrors))]
#[patch("/orgs/{org}/members/{id}")]
async fn update_member(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateMember>,
) -> ApiResult<web::Json<Member>> {
    let (_, id) = path.into_inner();
    let req = body.into_inner();
    let m =
        db::run(&st.pool, move |c| service::update_member(c, &access.org.id, &id, &req, &access.user.actor(), &client))
            .await?;
    Ok(web::Json(m))
}

/// Removes a member from the organisation (admins only). The last admin cannot be removed.
#[utoipa::path(tag = "members", operation_id = "deleteMember",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Membership id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Removed"), OrgWriteErrors))]
#[delete("/orgs/{org}/members/{id}")]
async fn delete_member(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    let (_, id) = path.into_inner();
    db::run(&st.pool, move |c| service::delete_member(c, &access.org.id, &id, &access.user.actor(), &client)).await?;
    Ok(NoContent)
}

/// Sets the organisation's sign-in policy (admins only): password sign-in on or off (single
/// sign-on only), two factors required for admins. Takes effect on members' next request.
#[utoipa::path(tag = "members", operation_id = "setSignInPolicy", params(("org" = String, Path, description = "Organisation slug")),
    request_body = SignInPolicy, security(("admin_jwt" = [])), responses((status = 200, body = Organization), OrgWriteErrors))]
#[put("/orgs/{org}/sign-in-policy")]
async fn sign_in_policy(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<SignInPolicy>,
) -> ApiResult<web::Json<Organization>> {
    let policy = body.into_inner();
    let oidc = st.settings.oidc.is_some();
    let caller = service::PolicyCaller {
        actor: access.user.actor(),
        sso: access.user.method == crate::auth::extract::SSO,
        totp: access.user.totp,
    };
    Ok(web::Json(
        db::run(&st.pool, move |c| service::set_sign_in_policy(c, &access.org, &policy, oidc, &caller, &client))
            .await?,
    ))
}
