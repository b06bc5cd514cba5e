use actix_web::{delete, get, post, web};
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
    cfg.service(login)
        .service(logout)
        .service(logout_everywhere)
        .service(me)
        .service(change_password)
        .service(my_sessions)
        .service(end_my_session)
        .service(start_totp)
        .service(confirm_totp)
        .service(disable_totp);
}

/// Starts turning on two factors: a new TOTP secret as an `otpauth://` URL (for a QR code) and in
/// base32; effective once a code from it is confirmed.
#[utoipa::path(tag = "auth", operation_id = "startTotp", security(("admin_jwt" = [])),
    responses((status = 201, body = crate::auth::totp::TotpEnrolment), AuthErrors))]
#[post("/me/totp")]
async fn start_totp(
    st: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<crate::reply::Created<crate::auth::totp::TotpEnrolment>> {
    let kek = st.settings.kek().to_vec();
    Ok(crate::reply::Created(db::run(&st.pool, move |c| crate::auth::totp::enrol(c, &kek, &user)).await?))
}

/// Confirms two factors with a current code; answers ten one-time recovery codes, shown once.
#[utoipa::path(tag = "auth", operation_id = "confirmTotp", request_body = crate::auth::totp::TotpCode,
    security(("admin_jwt" = [])), responses((status = 200, body = crate::auth::totp::RecoveryCodes), PublicWriteErrors))]
#[post("/me/totp/confirm")]
async fn confirm_totp(
    st: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<crate::auth::totp::TotpCode>,
) -> ApiResult<web::Json<crate::auth::totp::RecoveryCodes>> {
    let kek = st.settings.kek().to_vec();
    let code = body.into_inner().code;
    Ok(web::Json(db::run(&st.pool, move |c| crate::auth::totp::confirm(c, &kek, &user, &code, &client)).await?))
}

/// Turns two factors off, with a current code or a recovery code.
#[utoipa::path(tag = "auth", operation_id = "disableTotp", request_body = crate::auth::totp::TotpCode,
    security(("admin_jwt" = [])), responses((status = 204, description = "Off"), PublicWriteErrors))]
#[post("/me/totp/disable")]
async fn disable_totp(
    st: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<crate::auth::totp::TotpCode>,
) -> ApiResult<NoContent> {
    let kek = st.settings.kek().to_vec();
    let code = body.into_inner().code;
    db::run(&st.pool, move |c| crate::auth::totp::disable(c, &kek, &user, &code, &client)).await?;
    Ok(NoContent)
}

/// Changes the signed-in user's password; every other session of the user ends at once.
#[utoipa::path(tag = "auth", operation_id = "changePassword", request_body = crate::auth::account::ChangePassword,
    security(("admin_jwt" = [])), responses((status = 204, description = "Changed; other sessions ended"), PublicWriteErrors))]
#[post("/me/password")]
async fn change_password(
    st: web::Data<AppState>,
    auth: web::Data<AuthState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<crate::auth::account::ChangePassword>,
) -> ApiResult<NoContent> {
    let req = body.into_inner();
    if let Some(why) = crate::password::check_policy(&req.new_password) {
        return Err(crate::error::ApiError::validation("new_password", why));
    }
    let account = service::normalize_email(&user.email);
    auth.login_limiter.check(&client.ip, Some(&account))?;
    let u = user.clone();
    let stored = db::run(&st.pool, move |c| crate::auth::account::password_hash(c, &u)).await?;
    // Argon2 twice (verify, hash), without a pooled connection.
    let checked = web::block(move || {
        if !crate::password::verify(&req.current_password, &stored) {
            return Ok(None);
        }
        crate::password::hash(&req.new_password).map(Some)
    })
    .await
    .map_err(|e| crate::error::ApiError::internal(anyhow::anyhow!("password hashing: {e}")))?
    .map_err(crate::error::ApiError::internal)?;
    let Some(new_hash) = checked else {
        auth.login_limiter.failed(&client.ip, &account);
        return Err(crate::error::ApiError::validation("current_password", "is not your current password"));
    };
    db::run(&st.pool, move |c| crate::auth::account::set_password(c, &user, &new_hash, &client)).await?;
    Ok(NoContent)
}

/// The signed-in user's open sessions (where and when each was opened).
#[utoipa::path(tag = "auth", operation_id = "listMySessions", security(("admin_jwt" = [])),
    responses((status = 200, body = Vec<crate::auth::account::SessionView>), AuthErrors))]
#[get("/me/sessions")]
async fn my_sessions(
    st: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<Vec<crate::auth::account::SessionView>>> {
    Ok(web::Json(db::run(&st.pool, move |c| crate::auth::account::sessions(c, &user)).await?))
}

/// Ends one of the signed-in user's sessions (another browser, a lost laptop).
#[utoipa::path(tag = "auth", operation_id = "endMySession", params(("id" = String, Path, description = "Session id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Ended"), AuthErrors))]
#[delete("/me/sessions/{id}")]
async fn end_my_session(
    st: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<String>,
) -> ApiResult<NoContent> {
    let id = path.into_inner();
    db::run(&st.pool, move |c| crate::auth::account::end_session(c, &user, &id, &client)).await?;
    Ok(NoContent)
}

/// Signs out everywhere: every session of the user ends, this one included.
#[utoipa::path(tag = "auth", operation_id = "logoutEverywhere", security(("admin_jwt" = [])),
    responses((status = 204, description = "Every session ended"), AuthErrors))]
#[post("/auth/logout-everywhere")]
async fn logout_everywhere(st: web::Data<AppState>, user: AuthUser, client: ClientInfo) -> ApiResult<NoContent> {
    db::run(&st.pool, move |c| crate::auth::account::end_all(c, &user, &client)).await?;
    Ok(NoContent)
}

/// Signs in with e-mail and password; answers a session JWT.
///
/// Attempts are rate-limited per client address (an IPv6 client is its /64); failures slow down
/// only the (account, address) pair, with growing waits (429 with `Retry-After`), so nobody can
/// keep an account's owner out from elsewhere. The password is checked without holding a
/// database connection.
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
    let account = service::normalize_email(&req.email);
    let client_ip = client.ip.clone();
    auth.login_limiter.check(&client.ip, Some(&account))?;
    let ttl = st.settings.session_ttl_secs;
    let email = req.email.clone();
    let second = req.totp.clone();
    let had_code = second.is_some();
    let found = db::run(&st.pool, move |c| crate::auth::login::lookup(c, &email)).await?;
    let (found, ok) = web::block(move || {
        let ok = crate::auth::login::verify(found.as_ref(), &req.password);
        (found, ok)
    })
    .await
    .map_err(|e| crate::error::ApiError::internal(anyhow::anyhow!("password check: {e}")))?;
    let refused = || crate::error::ApiError::Unauthorized("invalid e-mail or password".into());
    if !ok {
        auth.login_limiter.failed(&client.ip, &account);
        if let Some((user, orgs)) = found {
            db::run(&st.pool, move |c| crate::auth::login::refused(c, &user, &orgs, &client)).await?;
        }
        return Err(refused());
    }
    let Some((user, orgs)) = found else { return Err(refused()) };
    // The second factor, when on (a code is used once), then the session.
    let kek = st.settings.kek().to_vec();
    let opened = {
        let user = user.clone();
        db::run(&st.pool, move |c| {
            if crate::auth::totp::enabled(c, &user.id)? {
                let Some(code) = second.as_deref().filter(|s| !s.trim().is_empty()) else {
                    return Ok(Err("totp: this account signs in with a second factor; send the current code of the authenticator app (or a recovery code) as `totp`"));
                };
                let ok = crate::db::transaction(c, |c| crate::auth::totp::verify(c, &kek, &user.id, &user.email, code))?;
                if !ok {
                    return Ok(Err("totp: the one-time code does not match (or was already used)"));
                }
            }
            crate::auth::login::open_session(c, &user, &orgs, &client, ttl, crate::auth::extract::PASSWORD).map(Ok)
        })
        .await?
    };
    let session_id = match opened {
        Ok(id) => id,
        Err(why) => {
            if had_code {
                auth.login_limiter.failed(&client_ip, &account);
            }
            return Err(crate::error::ApiError::Unauthorized(why.into()));
        }
    };
    auth.login_limiter.succeeded(&client_ip, &account);
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
