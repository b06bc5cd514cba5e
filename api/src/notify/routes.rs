//! Subscriptions (customers with their token; admins for a token), token renewal requests and
//! the notification log.

use actix_web::{delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::outbox::{self, NotificationQuery, NotificationView};
use super::renewals::{self, RenewalDecision, RenewalRequest, RenewalView};
use super::subscriptions::{self, CreateSubscription, CreatedSubscription, SubscriptionView};
use crate::auth::{OrgAdmin, OrgPublisher};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{
    OrgCheckedWriteErrors, OrgErrors, OrgWriteErrors, PortalCheckedWriteErrors, PortalErrors, PortalWriteErrors,
};
use crate::error::{ApiError, ApiResult};
use crate::portal::reader::{PortalReader, Reader};
use crate::portal::tokens::{self, AccessToken};
use crate::reply::{Created, NoContent};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_my_subscription)
        .service(list_my_subscriptions)
        .service(delete_my_subscription)
        .service(request_renewal)
        .service(list_my_renewals)
        .service(list_token_subscriptions)
        .service(create_token_subscription)
        .service(delete_token_subscription)
        .service(list_notifications)
        .service(list_renewals)
        .service(decide_renewal);
}

fn token_of(r: &PortalReader) -> ApiResult<AccessToken> {
    match &r.reader {
        Reader::Token(t) => Ok((**t).clone()),
        Reader::Anonymous => Err(ApiError::Unauthorized(
            "subscriptions and renewals belong to an access token: sign in with yours".into(),
        )),
    }
}

/// Subscribes the caller's access token to notifications by e-mail and/or webhook.
///
/// Events: `advisory.published`, `vex.published`, `sbom.published`, `document.published`,
/// `artifact.withdrawn`, `token.expiring` (default: all), optionally limited to products. Only
/// what the token may see is ever sent. Webhooks are signed the Standard Webhooks way with the
/// `webhook_secret` in this response — shown once; the URL must be https and public.
#[utoipa::path(tag = "portal", operation_id = "createMySubscription", params(("slug" = String, Path, description = "Portal slug")),
    request_body = CreateSubscription, security(("portal_token" = [])),
    responses((status = 201, body = CreatedSubscription), PortalCheckedWriteErrors))]
#[post("/portal/{slug}/subscriptions")]
async fn create_my_subscription(
    st: web::Data<AppState>,
    r: PortalReader,
    client: ClientInfo,
    body: web::Json<CreateSubscription>,
) -> ApiResult<Created<CreatedSubscription>> {
    let token = token_of(&r)?;
    let req = body.into_inner();
    create(&st, r.portal.clone(), token, req, r.actor(), client).await.map(Created)
}

async fn create(
    st: &AppState,
    portal: crate::portal::settings::Portal,
    token: AccessToken,
    req: CreateSubscription,
    actor: crate::audit::Actor,
    client: ClientInfo,
) -> ApiResult<CreatedSubscription> {
    let allow = st.settings.notify.webhook_allow_private;
    if let Some(u) = req.webhook_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        super::webhook_url::check(u, allow).await?;
    }
    let kek = st.settings.kek().to_vec();
    db::tx(&st.pool, move |c| {
        let (events, products) = subscriptions::check(c, &portal, &token, &req, allow)?;
        subscriptions::create(c, &kek, &token, &req, &events, products.as_deref(), actor, &client)
    })
    .await
}

/// The caller's subscriptions.
#[utoipa::path(tag = "portal", operation_id = "listMySubscriptions", params(("slug" = String, Path, description = "Portal slug")),
    security(("portal_token" = [])), responses((status = 200, body = Vec<SubscriptionView>), PortalErrors))]
#[get("/portal/{slug}/subscriptions")]
async fn list_my_subscriptions(
    st: web::Data<AppState>,
    r: PortalReader,
) -> ApiResult<web::Json<Vec<SubscriptionView>>> {
    let token = token_of(&r)?;
    Ok(web::Json(db::run(&st.pool, move |c| subscriptions::list(c, &token.id)).await?))
}

/// Ends one of the caller's subscriptions.
#[utoipa::path(tag = "portal", operation_id = "deleteMySubscription",
    params(("slug" = String, Path, description = "Portal slug"), ("id" = String, Path, description = "Subscription id")),
    security(("portal_token" = [])), responses((status = 204, description = "Ended"), PortalErrors))]
#[delete("/portal/{slug}/subscriptions/{id}")]
async fn delete_my_subscription(
    st: web::Data<AppState>,
    r: PortalReader,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<NoContent> {
    let token = token_of(&r)?;
    let (_, id) = path.into_inner();
    let actor = r.actor();
    db::tx(&st.pool, move |c| subscriptions::delete(c, &token.id, &id, actor, &client)).await?;
    Ok(NoContent)
}

/// Asks the manufacturer to renew the caller's access token (admins approve or decline).
#[utoipa::path(tag = "portal", operation_id = "requestTokenRenewal", params(("slug" = String, Path, description = "Portal slug")),
    request_body = RenewalRequest, security(("portal_token" = [])), responses((status = 201, body = RenewalView), PortalWriteErrors))]
#[post("/portal/{slug}/renewal-requests")]
async fn request_renewal(
    st: web::Data<AppState>,
    r: PortalReader,
    client: ClientInfo,
    body: web::Json<RenewalRequest>,
) -> ApiResult<Created<RenewalView>> {
    let token = token_of(&r)?;
    let portal = r.portal.clone();
    let req = body.into_inner();
    Ok(Created(db::tx(&st.pool, move |c| renewals::request(c, &portal, &token, &req, &client)).await?))
}

/// The caller's renewal requests, newest first.
#[utoipa::path(tag = "portal", operation_id = "listMyRenewalRequests", params(("slug" = String, Path, description = "Portal slug")),
    security(("portal_token" = [])), responses((status = 200, body = Vec<RenewalView>), PortalErrors))]
#[get("/portal/{slug}/renewal-requests")]
async fn list_my_renewals(st: web::Data<AppState>, r: PortalReader) -> ApiResult<web::Json<Vec<RenewalView>>> {
    let token = token_of(&r)?;
    Ok(web::Json(db::run(&st.pool, move |c| renewals::of_token(c, &token)).await?))
}

/// A token's subscriptions (admins).
#[utoipa::path(tag = "portal-admin", operation_id = "listTokenSubscriptions",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Access token id")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<SubscriptionView>), OrgErrors))]
#[get("/orgs/{org}/portal/tokens/{id}/subscriptions")]
async fn list_token_subscriptions(
    st: web::Data<AppState>,
    access: OrgAdmin,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<Vec<SubscriptionView>>> {
    let (_, id) = path.into_inner();
    Ok(web::Json(
        db::run(&st.pool, move |c| {
            let t = tokens::get(c, &access.org.id, &id)?;
            subscriptions::list(c, &t.id)
        })
        .await?,
    ))
}

/// Subscribes a customer's token on its behalf (admins); the webhook secret is shown once.
#[utoipa::path(tag = "portal-admin", operation_id = "createTokenSubscription",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Access token id")),
    request_body = CreateSubscription, security(("admin_jwt" = [])),
    responses((status = 201, body = CreatedSubscription), OrgCheckedWriteErrors))]
#[post("/orgs/{org}/portal/tokens/{id}/subscriptions")]
async fn create_token_subscription(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<CreateSubscription>,
) -> ApiResult<Created<CreatedSubscription>> {
    let (_, id) = path.into_inner();
    let org = access.org.clone();
    let (portal, token) = db::run(&st.pool, move |c| {
        let t = tokens::get(c, &org.id, &id)?;
        Ok((crate::portal::settings::of_org(c, &org)?, t))
    })
    .await?;
    if token.revoked_at.is_some() {
        return Err(ApiError::Conflict("the token is revoked".into()));
    }
    create(&st, portal, token, body.into_inner(), access.user.actor(), client).await.map(Created)
}

/// Ends a token's subscription (admins).
#[utoipa::path(tag = "portal-admin", operation_id = "deleteTokenSubscription",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Access token id"),
        ("sid" = String, Path, description = "Subscription id")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Ended"), OrgErrors))]
#[delete("/orgs/{org}/portal/tokens/{id}/subscriptions/{sid}")]
async fn delete_token_subscription(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String, String)>,
) -> ApiResult<NoContent> {
    let (_, id, sid) = path.into_inner();
    db::tx(&st.pool, move |c| {
        let t = tokens::get(c, &access.org.id, &id)?;
        subscriptions::delete(c, &t.id, &sid, access.user.actor(), &client)
    })
    .await?;
    Ok(NoContent)
}

/// The notification log: per recipient and channel, queued / held / sent / delivered / failed /
/// dead, attempts and the last error (publishers and admins).
#[utoipa::path(tag = "notifications", operation_id = "listNotifications",
    params(("org" = String, Path, description = "Organisation slug"), NotificationQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<NotificationView>), OrgErrors))]
#[get("/orgs/{org}/notifications")]
async fn list_notifications(
    st: web::Data<AppState>,
    access: OrgPublisher,
    query: web::Query<NotificationQuery>,
) -> ApiResult<web::Json<Vec<NotificationView>>> {
    let q = query.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| outbox::log(c, &access.org.id, &q)).await?))
}

/// Token renewal requests from customers, pending first (admins).
#[utoipa::path(tag = "portal-admin", operation_id = "listRenewalRequests", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<RenewalView>), OrgErrors))]
#[get("/orgs/{org}/portal/renewal-requests")]
async fn list_renewals(st: web::Data<AppState>, access: OrgAdmin) -> ApiResult<web::Json<Vec<RenewalView>>> {
    Ok(web::Json(db::run(&st.pool, move |c| renewals::list(c, &access.org.id)).await?))
}

/// Approves (a new expiry) or declines a renewal request (admins).
#[utoipa::path(tag = "portal-admin", operation_id = "decideRenewalRequest",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Renewal request id")),
    request_body = RenewalDecision, security(("admin_jwt" = [])), responses((status = 200, body = RenewalView), OrgWriteErrors))]
#[post("/orgs/{org}/portal/renewal-requests/{id}/decision")]
async fn decide_renewal(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<RenewalDecision>,
) -> ApiResult<web::Json<RenewalView>> {
    let (_, id) = path.into_inner();
    let d = body.into_inner();
    Ok(web::Json(db::tx(&st.pool, move |c| renewals::decide(c, &access.org.id, &id, &d, &access.user, &client)).await?))
}
