use actix_web::{get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::jwt::ADMIN_AUDIENCE;
use crate::auth::{AuthState, AuthUser};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{AuthErrors, PublicWriteErrors};
use crate::error::ApiResult;
use crate::orgs::model::{LoginRequest, LoginResponse, Me};
use crate::orgs::service;
use crate::reply::NoContent;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login).service(logout).service(me);
}

/// Signs in with e-mail and password; answers a session JWT.
///
/// Attempts are rate-limited per client address and per account (429 with `Retry-After`).
#[utoipa::path(tag = "auth", operation_id = "login", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), PublicWriteErrors))]
#[post("/auth/login")]
async fn login(
    st: web::Data<AppState>,
    auth: web::Data<AuthState>,
    client: ClientInfo,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<LoginResponse>> {
    let req = body.into_inner();
    auth.login_limiter.check(&client.ip, Some(req.email.trim()))?;
    let ttl = st.settings.session_ttl_secs;
    let (user, session_id) = db::run(&st.pool, move |c| crate::auth::login::login(c, &req, &client, ttl)).await?;
    let access_token = auth.jwt.issue(ADMIN_AUDIENCE, &user.id, &session_id, ttl)?;
    Ok(web::Json(LoginResponse { access_token, token_type: "Bearer".into(), expires_in: ttl }))
}

/// Ends the current session server-side; its token stops working at once.
#[utoipa::path(tag = "auth", operation_id = "logout", security(("admin_jwt" = [])),
    responses((status = 204, description = "Signed out"), AuthErrors))]
#[post("/auth/logout")]
async fn logout(st: web::Data<AppState>, user: AuthUser, client: ClientInfo) -> ApiResult<NoContent> {
    db::run(&st.pool, move |c| crate::auth::login::logout(c, &user, &client)).await?;
    Ok(NoContent)
}

/// The signed-in user and the organisations it belongs to, with its role in each.
#[utoipa::path(tag = "auth", operation_id = "getMe", security(("admin_jwt" = [])), responses((status = 200, body = Me), AuthErrors))]
#[get("/me")]
async fn me(st: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<Me>> {
    Ok(web::Json(db::run(&st.pool, move |c| service::me(c, &user.user_id)).await?))
}
