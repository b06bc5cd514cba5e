//! The face a portal shows before anyone signs in — name, description, logo, contact (each public
//! field can be switched off in the settings) — and the "Request access" form behind it, with
//! the admins' side of both: the logo upload and the access requests to decide.
//!
//! These routes are open on a private portal by design: they disclose only what the settings
//! make public, never catalogue content, so they do not go through the disclosure rule.

use std::num::NonZeroU32;

use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use futures_util::StreamExt;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::requests::{
    self as access_requests, AccessDecision, AccessDecisionResult, AccessRequestReceipt, AccessRequestStatus,
    AccessRequestView, NewAccessRequest,
};
use crate::artifacts::download::{self, Servable};
use crate::audit::{Action, Category, Event};
use crate::auth::ratelimit::address_group;
use crate::auth::OrgAdmin;
use crate::client::ClientInfo;
use crate::db::{self, schema::portals};
use crate::error::responses::{OrgErrors, OrgWriteErrors, PortalErrors};
use crate::error::{ApiError, ApiResult};
use crate::portal::model::{NdaView, PortalLanding};
use crate::portal::settings::{self, nda_digest, Portal};
use crate::reply::{Accepted, NoContent};
use crate::state::AppState;

/// Largest logo accepted.
const LOGO_LIMIT: usize = 256 * 1024;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(landing)
        .service(logo)
        .service(request_access)
        .service(put_logo)
        .service(delete_logo)
        .service(list_access_requests)
        .service(decide_access_request);
}

/// Access requests per client address group: a few per hour, so the form cannot flood admins.
pub struct AccessRequestLimiter(DefaultKeyedRateLimiter<String>);

impl AccessRequestLimiter {
    pub fn new(per_hour: u32) -> Self {
        Self(RateLimiter::keyed(Quota::per_hour(NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN))))
    }

    pub fn check(&self, ip: &str) -> ApiResult<()> {
        self.0.check_key(&address_group(ip)).map_err(|_| ApiError::TooManyRequests {
            message: "too many access requests from this address; try again later".into(),
            retry_after_secs: 3600,
        })
    }
}

fn landing_of(p: Portal) -> PortalLanding {
    PortalLanding {
        logo_url: p.logo_url(),
        access_requests: p.access_requests_enabled,
        nda: match (p.nda_version, p.nda_text) {
            (Some(version), Some(text)) => Some(NdaView { version, sha256: nda_digest(&text), text }),
            _ => None,
        },
        description: p.landing_show_description.then_some(p.description).filter(|d| !d.is_empty()),
        contact_email: if p.landing_show_contact { p.contact_email } else { None },
        slug: p.slug,
        display_name: p.display_name,
        visibility: p.visibility,
    }
}

/// What anyone may know about the portal before signing in: its name and, as the settings allow,
/// description, logo and contact; whether (and after which NDA) visitors may ask for access.
#[utoipa::path(tag = "portal", operation_id = "getPortalLanding", params(("slug" = String, Path, description = "Portal slug")),
    security(()), responses((status = 200, body = PortalLanding), PortalErrors))]
#[get("/portal/{slug}/landing")]
async fn landing(st: web::Data<AppState>, path: web::Path<String>) -> ApiResult<web::Json<PortalLanding>> {
    let slug = path.into_inner();
    let p = db::run(&st.pool, move |c| settings::enabled(c, &slug)).await?;
    Ok(web::Json(landing_of(p)))
}

/// The portal's logo (PNG or JPEG).
#[utoipa::path(tag = "portal", operation_id = "getPortalLogo", params(("slug" = String, Path, description = "Portal slug")),
    security(()), responses((status = 200, description = "The logo", content_type = "image/png"), PortalErrors))]
#[get("/portal/{slug}/logo")]
async fn logo(st: web::Data<AppState>, req: HttpRequest, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let slug = path.into_inner();
    let p = db::run(&st.pool, move |c| settings::enabled(c, &slug)).await?;
    let (Some(sha), Some(media_type)) = (p.logo_sha256, p.logo_media_type) else {
        return Err(ApiError::NotFound("this portal has no logo".into()));
    };
    let filename = if media_type == "image/png" { "logo.png" } else { "logo.jpg" }.to_string();
    // The one blob-serving path: streamed, ETag and If-None-Match, nosniff; logos may be cached.
    let mut res = download::respond(&req, &st.blobs, Servable { sha256: sha, media_type, filename }).await?;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("public, max-age=300"));
    Ok(res)
}

/// Asks the manufacturer for access (when the portal takes requests). The answer is the same
/// whether or not a request from that address is already pending. Rate-limited per address.
#[utoipa::path(tag = "portal", operation_id = "requestPortalAccess", params(("slug" = String, Path, description = "Portal slug")),
    request_body = NewAccessRequest, security(()), responses((status = 202, body = AccessRequestReceipt), OrgWriteErrors))]
#[post("/portal/{slug}/access-requests")]
async fn request_access(
    st: web::Data<AppState>,
    limiter: web::Data<AccessRequestLimiter>,
    client: ClientInfo,
    path: web::Path<String>,
    body: web::Json<NewAccessRequest>,
) -> ApiResult<Accepted<AccessRequestReceipt>> {
    let slug = path.into_inner();
    let req = body.into_inner();
    let portal = db::run(&st.pool, move |c| settings::enabled(c, &slug)).await?;
    // Only well-formed requests count against the address's budget: a visitor fixing a typo is
    // not locked out.
    access_requests::validate(&portal, &req)?;
    limiter.check(&client.ip)?;
    Ok(Accepted(db::tx(&st.pool, move |c| access_requests::request(c, &portal, &req, &client)).await?))
}

/// Which image a logo upload is, from its first bytes (the declared type must agree).
fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Uploads the portal's logo: the raw PNG or JPEG bytes (≤ 256 KiB) with their `Content-Type`.
#[utoipa::path(tag = "portal-admin", operation_id = "putPortalLogo", params(("org" = String, Path, description = "Organisation slug")),
    request_body(description = "PNG or JPEG, at most 256 KiB",
        content((crate::artifacts::download::BinaryFile = "image/png"), (crate::artifacts::download::BinaryFile = "image/jpeg"))),
    security(("admin_jwt" = [])), responses((status = 204, description = "Stored"), OrgWriteErrors))]
#[put("/orgs/{org}/portal/logo")]
async fn put_logo(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    req: HttpRequest,
    mut payload: web::Payload,
) -> ApiResult<NoContent> {
    let declared = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if declared != "image/png" && declared != "image/jpeg" {
        return Err(ApiError::UnsupportedMediaType(format!("a logo is `image/png` or `image/jpeg`, not `{declared}`")));
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload broke off: {e}")))?;
        if bytes.len() + chunk.len() > LOGO_LIMIT {
            return Err(ApiError::PayloadTooLarge("a logo is at most 256 KiB".into()));
        }
        bytes.extend_from_slice(&chunk);
    }
    match sniff_image(&bytes) {
        Some(kind) if kind == declared => {}
        Some(kind) => {
            return Err(ApiError::validation("logo", format!("the bytes are {kind}, not the declared {declared}")))
        }
        None => return Err(ApiError::validation("logo", "the bytes are neither a PNG nor a JPEG image")),
    }
    let store = st.blobs.clone();
    let stored = web::block(move || {
        let mut w = store.begin()?;
        w.write(&bytes)?;
        w.finish()
    })
    .await
    .map_err(|e| anyhow::anyhow!(e))?
    .map_err(|e| ApiError::StorageUnavailable(format!("the logo could not be stored: {e}")))?;
    let org = access.org.clone();
    db::tx(&st.pool, move |c| {
        let p = settings::find(c, &org.id)?
            .ok_or_else(|| ApiError::Conflict("save the portal settings before adding a logo".into()))?;
        diesel::update(portals::table.find(&p.org_id))
            .set((portals::logo_sha256.eq(Some(stored.key.as_str())), portals::logo_media_type.eq(Some(&declared))))
            .execute(c)?;
        Event::new(Some(&org.id), Category::Admin, Action::PortalLogoUpdate, access.user.actor(), &client)
            .details(serde_json::json!({"sha256": stored.key.as_str(), "media_type": declared, "size": stored.size}))
            .record(c)
            .map(|_| ())
    })
    .await?;
    Ok(NoContent)
}

/// Removes the portal's logo.
#[utoipa::path(tag = "portal-admin", operation_id = "deletePortalLogo", params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 204, description = "Removed"), OrgErrors))]
#[delete("/orgs/{org}/portal/logo")]
async fn delete_logo(st: web::Data<AppState>, access: OrgAdmin, client: ClientInfo) -> ApiResult<NoContent> {
    db::tx(&st.pool, move |c| {
        diesel::update(portals::table.find(&access.org.id))
            .set((portals::logo_sha256.eq(None::<String>), portals::logo_media_type.eq(None::<String>)))
            .execute(c)?;
        Event::new(Some(&access.org.id), Category::Admin, Action::PortalLogoUpdate, access.user.actor(), &client)
            .details(serde_json::json!({"removed": true}))
            .record(c)
            .map(|_| ())
    })
    .await?;
    Ok(NoContent)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessRequestQuery {
    /// `pending`, `approved` or `declined`; every request when absent.
    pub status: Option<AccessRequestStatus>,
}

/// Access requests to the portal, pending first, newest first (admins).
#[utoipa::path(tag = "portal-admin", operation_id = "listAccessRequests",
    params(("org" = String, Path, description = "Organisation slug"), AccessRequestQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<AccessRequestView>), OrgErrors))]
#[get("/orgs/{org}/portal/access-requests")]
async fn list_access_requests(
    st: web::Data<AppState>,
    access: OrgAdmin,
    q: web::Query<AccessRequestQuery>,
) -> ApiResult<web::Json<Vec<AccessRequestView>>> {
    let status = q.status;
    Ok(web::Json(db::run(&st.pool, move |c| access_requests::list(c, &access.org.id, status)).await?))
}

/// Approves a request into a new access token (its secret is in this answer only) or declines it.
#[utoipa::path(tag = "portal-admin", operation_id = "decideAccessRequest",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Access request id")),
    request_body = AccessDecision, security(("admin_jwt" = [])),
    responses((status = 200, body = AccessDecisionResult), OrgWriteErrors))]
#[post("/orgs/{org}/portal/access-requests/{id}/decision")]
async fn decide_access_request(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<AccessDecision>,
) -> ApiResult<web::Json<AccessDecisionResult>> {
    let (_, id) = path.into_inner();
    let d = body.into_inner();
    Ok(web::Json(
        db::tx(&st.pool, move |c| access_requests::decide(c, &access.org.id, &id, &d, &access.user, &client)).await?,
    ))
}
