//! Invitations, reset links and "forgot password": thin handlers over `invitations` and `resets`.
//! Passwords are hashed and checked (Argon2) without holding a pooled connection.

use actix_web::{delete, get, post, web, HttpRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use super::invitations::{self, AcceptInvitation, CreateInvitation, Invitation, InvitationAccepted, InvitationSent};
use super::links::LinkKind;
use super::resets::{self, PasswordReset, ResetLink, ResetRequest, ResetRequested};
use super::ResetRequestLimiter;
use crate::auth::{AuthState, OrgAdmin};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgErrors, OrgWriteErrors, PublicWriteErrors};
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::normalize_email;
use crate::reply::{Accepted, Created, NoContent};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(invite)
        .service(list_invitations)
        .service(revoke_invitation)
        .service(accept_invitation)
        .service(reset_link)
        .service(request_reset)
        .service(reset_password);
}

/// Argon2 off the async workers and without a pooled connection.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ApiResult<T> + Send + 'static) -> ApiResult<T> {
    web::block(f).await.map_err(|e| ApiError::internal(anyhow::anyhow!("password hashing: {e}")))?
}

fn hash(password: &str) -> ApiResult<String> {
    crate::password::hash(password).map_err(ApiError::internal)
}

/// Invites someone to the organisation (admins only). The answer has the same status and shape
/// whether or not the address has an account on this server. With a mail server configured the
/// link goes to the address; otherwise it is in `accept_url`, shown once, to pass on.
#[utoipa::path(tag = "members", operation_id = "createInvitation", params(("org" = String, Path, description = "Organisation slug")),
    request_body = CreateInvitation, security(("admin_jwt" = [])), responses((status = 201, body = InvitationSent), OrgWriteErrors))]
#[post("/orgs/{org}/invitations")]
async fn invite(
    req: HttpRequest,
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<CreateInvitation>,
) -> ApiResult<Created<InvitationSent>> {
    let body = body.into_inner();
    crate::validate::fields(&body)?;
    let org = access.org.clone();
    let actor = access.user.actor();
    let (invitation, secret) = db::run(&st.pool, move |c| invitations::create(c, &org, &body, &actor, &client)).await?;
    let url = LinkKind::Invitation.url(&crate::proxy::origin(&req, &st.settings), &secret);
    let text = format!(
        "{} invites you to {} on its Supplier Portal as {}.\n\nAccept within 7 days (the link works once):\n{url}\n\n\
         If you did not expect this, ignore this message.\n",
        access.user.display_name,
        access.org.name,
        invitation.role.as_str()
    );
    let subject = format!("Invitation to {}", access.org.name);
    let mailed = super::send_mail(&st.settings, invitation.email.clone(), subject, text);
    Ok(Created(InvitationSent {
        invitation,
        delivery: if mailed { "email" } else { "link" }.into(),
        accept_url: (!mailed).then_some(url),
    }))
}

/// The organisation's invitations, newest first, with their status (admins only).
#[utoipa::path(tag = "members", operation_id = "listInvitations", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<Invitation>), OrgErrors))]
#[get("/orgs/{org}/invitations")]
async fn list_invitations(st: web::Data<AppState>, access: OrgAdmin) -> ApiResult<web::Json<Vec<Invitation>>> {
    let org_id = access.org.id.clone();
    Ok(web::Json(db::run(&st.pool, move |c| invitations::list(c, &org_id)).await?))
}

/// Withdraws a pending invitation (admins only); its link stops working.
#[utoipa::path(tag = "members", operation_id = "revokeInvitation",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Invitation id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Withdrawn"), OrgWriteErrors))]
#[delete("/orgs/{org}/invitations/{id}")]
async fn revoke_invitation(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    let (_, id) = path.into_inner();
    let actor = access.user.actor();
    db::run(&st.pool, move |c| invitations::revoke(c, &access.org.id, &id, &actor, &client)).await?;
    Ok(NoContent)
}

/// Accepts an invitation with its one-time secret. Without an account here, `password` becomes
/// the new account's password (and `display_name` its name); with one, `password` must be that
/// account's password — joining needs the owner's consent. Then sign in as usual.
#[utoipa::path(tag = "members", operation_id = "acceptInvitation", request_body = AcceptInvitation,
    responses((status = 200, body = InvitationAccepted), PublicWriteErrors))]
#[post("/invitations/accept")]
async fn accept_invitation(
    st: web::Data<AppState>,
    auth: web::Data<AuthState>,
    client: ClientInfo,
    body: web::Json<AcceptInvitation>,
) -> ApiResult<web::Json<InvitationAccepted>> {
    let body = body.into_inner();
    crate::validate::fields(&body)?;
    let secret = body.secret.clone();
    // The secret (256 bits) cannot be guessed; the password check is what the limiter guards,
    // counted once per attempt like a sign-in.
    let pending = db::run(&st.pool, move |c| invitations::pending(c, &secret)).await?;
    let account = normalize_email(&pending.link.email);
    auth.login_limiter.check(&client.ip, Some(&account))?;
    let (password, existing) = (body.password.clone(), pending.existing.clone());
    let new_hash = blocking(move || match existing {
        Some(u) if crate::password::verify(&password, &u.password_hash) => Ok(Ok(None)),
        Some(_) => Ok(Err(())),
        None => match crate::password::check_policy(&password) {
            Some(why) => Err(ApiError::validation("password", why)),
            None => hash(&password).map(|h| Ok(Some(h))),
        },
    })
    .await?;
    let Ok(new_hash) = new_hash else {
        auth.login_limiter.failed(&client.ip, &account);
        return Err(ApiError::validation(
            "password",
            "this address already has an account here: enter that account's password to join",
        ));
    };
    let name = body.display_name.clone();
    let joined =
        db::run(&st.pool, move |c| invitations::accept(c, &pending, name.as_deref(), new_hash, &client)).await?;
    Ok(web::Json(joined))
}

/// Issues a one-time password reset link for a member (admins only; valid for an hour, shown
/// once). Refused (409) for an account that also belongs to an organisation the caller does not
/// administer.
#[utoipa::path(tag = "members", operation_id = "createResetLink",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Membership id")),
    security(("admin_jwt" = [])), responses((status = 201, body = ResetLink), OrgWriteErrors))]
#[post("/orgs/{org}/members/{id}/reset-link")]
async fn reset_link(
    req: HttpRequest,
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<Created<ResetLink>> {
    let (_, id) = path.into_inner();
    let actor = access.user.actor();
    let (user, secret, expires) =
        db::run(&st.pool, move |c| resets::for_member(c, &access.org.id, &id, &actor, &client)).await?;
    Ok(Created(ResetLink {
        email: user.email,
        reset_url: LinkKind::PasswordReset.url(&crate::proxy::origin(&req, &st.settings), &secret),
        expires_at: resets::expiry(expires),
    }))
}

/// "Forgot password": when the address has an active account and this server can send e-mail, a
/// one-time reset link (valid for an hour) goes to it. The answer is the same for every address.
#[utoipa::path(tag = "auth", operation_id = "requestPasswordReset", request_body = ResetRequest,
    responses((status = 202, body = ResetRequested), PublicWriteErrors))]
#[post("/auth/password-reset/request")]
async fn request_reset(
    req: HttpRequest,
    st: web::Data<AppState>,
    limiter: web::Data<ResetRequestLimiter>,
    client: ClientInfo,
    body: web::Json<ResetRequest>,
) -> ApiResult<Accepted<ResetRequested>> {
    let body = body.into_inner();
    crate::validate::fields(&body)?;
    limiter.check(&client.ip)?;
    let message = "If this address has an account here, a link to choose a new password is on its way; it works once, \
                   for an hour. No e-mail? Ask an admin of your organisation for a reset link."
        .to_string();
    if st.settings.notify.smtp_url.is_none() {
        return Ok(Accepted(ResetRequested { message }));
    }
    let email = body.email.clone();
    let issued = db::run(&st.pool, move |c| resets::self_service(c, &email, &client)).await?;
    if let Some((user, secret)) = issued {
        let url = LinkKind::PasswordReset.url(&crate::proxy::origin(&req, &st.settings), &secret);
        let text = format!(
            "Someone (hopefully you) asked to reset the password of {} on the Supplier Portal.\n\n\
             Choose a new password within an hour (the link works once):\n{url}\n\n\
             If this was not you, ignore this message: your password stays as it is.\n",
            user.email
        );
        super::send_mail(&st.settings, user.email, "Reset your password".into(), text);
    }
    Ok(Accepted(ResetRequested { message }))
}

/// Sets a new password with a one-time reset link; every session of the account ends. Two
/// factors stay on.
#[utoipa::path(tag = "auth", operation_id = "resetPassword", request_body = PasswordReset,
    responses((status = 204, description = "Password set; every session ended"), PublicWriteErrors))]
#[post("/auth/password-reset")]
async fn reset_password(
    st: web::Data<AppState>,
    auth: web::Data<AuthState>,
    client: ClientInfo,
    body: web::Json<PasswordReset>,
) -> ApiResult<NoContent> {
    let body = body.into_inner();
    crate::validate::fields(&body)?;
    auth.login_limiter.check(&client.ip, None)?;
    let secret = body.secret.clone();
    let (link, user) = db::run(&st.pool, move |c| resets::account_of(c, &secret)).await?;
    let password = body.new_password.clone();
    let new_hash = blocking(move || hash(&password)).await?;
    db::run(&st.pool, move |c| resets::redeem(c, &link, &user, &new_hash, &client)).await?;
    Ok(NoContent)
}
