//! The customer API under `/api/v1/portal/{slug}`. Each action writes its audit event before the
//! response is sent, so nothing is delivered unrecorded.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::reader::{self, PortalDownloader, PortalGuards, PortalReader, Presented, Reader};
use super::{customer, settings, tokens};
use crate::artifacts::changes::{self, ChangesQuery, VersionChanges};
use crate::audit::{Action, Actor, Category, Event, Outcome};
use crate::auth::AuthState;
use crate::client::ClientInfo;
use crate::db;
use crate::disclosure::{self, deliver::record_use, Channel};
use crate::error::responses::{PortalErrors, PortalLoginErrors};
use crate::error::{ApiError, ApiResult};
use crate::paging::{PageParams, Paged};
use crate::reply::NoContent;
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session)
        .service(end_session)
        .service(portal_info)
        .service(list_products)
        .service(get_product)
        .service(get_version)
        .service(version_vex)
        .service(version_changes)
        .service(download_artifact)
        .service(list_advisories)
        .service(vulnerability);
}

/// Exchanges an access token for a short-lived portal session (a JWT for this portal only).
///
/// Rejected (401) for unknown, expired or revoked tokens; attempts are rate-limited per address (429).
#[utoipa::path(tag = "portal", operation_id = "createPortalSession", params(("slug" = String, Path, description = "Portal slug")),
    request_body = PortalSessionRequest, responses((status = 200, body = PortalSession), PortalLoginErrors))]
#[post("/portal/{slug}/session")]
async fn create_session(
    st: web::Data<AppState>,
    auth: web::Data<AuthState>,
    guards: web::Data<PortalGuards>,
    client: ClientInfo,
    path: web::Path<String>,
    body: web::Json<PortalSessionRequest>,
) -> ApiResult<web::Json<PortalSession>> {
    let slug = path.into_inner();
    guards.failures.check(&client.ip)?;
    guards.sessions.check(&client.ip, None)?;
    let secret = body.into_inner().token.trim().to_string();
    let auth2 = auth.clone();
    let client2 = client.clone();
    let ttl_max = st.settings.portal_session_ttl_secs;
    let outcome = db::tx(&st.pool, move |c| {
        let portal =
            settings::enabled_by_slug(c, &slug)?.ok_or_else(|| ApiError::NotFound("portal not found".into()))?;
        let presented = if secret.starts_with(tokens::PREFIX) {
            reader::resolve(c, &auth2.jwt, &portal, &secret)?
        } else {
            Presented::Refused(None, tokens::Refusal::Unknown)
        };
        match presented {
            Presented::Valid(t, _) => {
                record_use(c, &t.id, &client2.ip)?;
                Event::new(
                    Some(&portal.org_id),
                    Category::Portal,
                    Action::PortalLogin,
                    Actor::AccessToken { id: t.id.to_string(), name: t.name.clone() },
                    &client2,
                )
                .record(c)?;
                let mut ttl = ttl_max;
                if let Some(exp) = t.expires_at {
                    ttl = ttl.min((exp.and_utc() - chrono::Utc::now()).num_seconds().max(1));
                }
                let session_id = tokens::open_session(c, &t.id, ttl, &client2.ip)?;
                Ok(Ok((portal, t, session_id, ttl)))
            }
            Presented::Refused(t, why) => {
                let actor = t.map(|t| Actor::AccessToken { id: t.id.into(), name: t.name }).unwrap_or(Actor::Anonymous);
                Event::new(Some(&portal.org_id), Category::Portal, Action::PortalLogin, actor, &client2)
                    .outcome(Outcome::Denied)
                    .details(serde_json::json!({"reason": why.as_str()}))
                    .record(c)?;
                Ok(Err(why))
            }
        }
    })
    .await?;
    match outcome {
        Ok((portal, t, session_id, ttl)) => {
            let access_token = auth.jwt.issue(&reader::audience(&portal.slug), &t.id, &session_id, ttl)?;
            Ok(web::Json(PortalSession { access_token, token_type: "Bearer".into(), expires_in: ttl }))
        }
        Err(why) => {
            guards.failures.failed(&client.ip);
            Err(ApiError::Unauthorized(match why {
                tokens::Refusal::Expired => "this access token has expired".into(),
                tokens::Refusal::Revoked => "this access token has been revoked".into(),
                _ => "invalid access token".into(),
            }))
        }
    }
}

/// Signs the portal session out: its JWT stops working at once (the access token stays valid).
#[utoipa::path(tag = "portal", operation_id = "endPortalSession", params(("slug" = String, Path, description = "Portal slug")),
    security(("portal_token" = [])), responses((status = 204, description = "Signed out"), PortalErrors))]
#[delete("/portal/{slug}/session")]
async fn end_session(st: web::Data<AppState>, r: PortalReader) -> ApiResult<NoContent> {
    let Some(session_id) = r.session_id.clone() else {
        return Err(ApiError::BadRequest(
            "this request used a raw access token, not a session; tokens are revoked by the manufacturer".into(),
        ));
    };
    db::tx(&st.pool, move |c| {
        tokens::close_session(c, &session_id)?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalLogout, r.actor(), &r.client)
            .record(c)
            .map(|_| ())
    })
    .await?;
    Ok(NoContent)
}

/// The portal's name, description and contact, and who is reading.
#[utoipa::path(tag = "portal", operation_id = "getPortal", params(("slug" = String, Path, description = "Portal slug")),
    security((), ("portal_token" = [])), responses((status = 200, body = PortalInfo), PortalErrors))]
#[get("/portal/{slug}")]
async fn portal_info(r: PortalReader) -> ApiResult<web::Json<PortalInfo>> {
    let tlp_labels = r.audience.labels();
    let caller = match &r.reader {
        Reader::Token(t) => PortalCaller {
            type_: "access_token".into(),
            name: Some(t.name.clone()),
            expires_at: t.expires_at.map(utc),
            tlp_labels,
        },
        Reader::Anonymous => PortalCaller { type_: "anonymous".into(), name: None, expires_at: None, tlp_labels },
    };
    let p = r.portal;
    Ok(web::Json(PortalInfo {
        visibility: p.visibility,
        slug: p.slug,
        display_name: p.display_name,
        description: p.description,
        contact_email: p.contact_email,
        caller,
    }))
}

/// Products the reader may see, by name, with their versions and support periods. Paged: at most
/// `limit` (default 50, at most 200) per page; the next page's address is in the `Link` header.
#[utoipa::path(tag = "portal", operation_id = "listPortalProducts",
    params(("slug" = String, Path, description = "Portal slug"), PageParams),
    security((), ("portal_token" = [])),
    responses((status = 200, body = Vec<PortalProduct>, headers(("Link" = String, description = "`<…?cursor=…>; rel=\"next\"` when there is a next page"))), PortalErrors))]
#[get("/portal/{slug}/products")]
async fn list_products(
    st: web::Data<AppState>,
    r: PortalReader,
    page: web::Query<PageParams>,
) -> ApiResult<Paged<PortalProduct>> {
    let page = page.into_inner();
    db::run(&st.pool, move |c| customer::products(c, &r, &page)).await
}

/// One product with its versions and support periods (audited as `portal.product.view`).
#[utoipa::path(tag = "portal", operation_id = "getPortalProduct",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug")),
    security((), ("portal_token" = [])), responses((status = 200, body = PortalProduct), PortalErrors))]
#[get("/portal/{slug}/products/{product}")]
async fn get_product(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<PortalProduct>> {
    let (_, slug) = path.into_inner();
    let view = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &slug)?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalProductView, r.actor(), &r.client)
            .product(Some(&p.id))
            .record(c)?;
        customer::product_view(c, &r, p)
    })
    .await?;
    Ok(web::Json(view))
}

/// A version's published artifacts grouped by kind, with format, size, SHA-256 and publication date.
#[utoipa::path(tag = "portal", operation_id = "getPortalVersion",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version")),
    security((), ("portal_token" = [])), responses((status = 200, body = PortalVersionDetail), PortalErrors))]
#[get("/portal/{slug}/products/{product}/versions/{version}")]
async fn get_version(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
) -> ApiResult<web::Json<PortalVersionDetail>> {
    let (_, slug, version) = path.into_inner();
    let view = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &slug)?;
        let v = customer::version(c, &r, &p, &version)?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalProductView, r.actor(), &r.client)
            .product(Some(&p.id))
            .version(Some(&v.id))
            .record(c)?;
        customer::version_detail(c, &r, &p, &v)
    })
    .await?;
    Ok(web::Json(view))
}

/// The version's VEX statements: the newest published one per vulnerability and component.
#[utoipa::path(tag = "portal", operation_id = "getPortalVex",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version")),
    security((), ("portal_token" = [])), responses((status = 200, body = Vec<PortalVexStatement>), PortalErrors))]
#[get("/portal/{slug}/products/{product}/versions/{version}/vex")]
async fn version_vex(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
) -> ApiResult<web::Json<Vec<PortalVexStatement>>> {
    let (_, slug, version) = path.into_inner();
    let view = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &slug)?;
        let v = customer::version(c, &r, &p, &version)?;
        let statements = customer::vex(c, &r, &v)?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalVexView, r.actor(), &r.client)
            .product(Some(&p.id))
            .version(Some(&v.id))
            .details(serde_json::json!({"statements": statements.len()}))
            .record(c)?;
        Ok(statements)
    })
    .await?;
    Ok(web::Json(view))
}

/// Downloads a published artifact: streamed, with `ETag` (SHA-256), `Range`, `Repr-Digest`.
///
/// The download is audited (`portal.sbom.download`, `portal.advisory.download`, …) with the token,
/// address and the SHA-256 of the bytes, before the first byte is sent.
#[utoipa::path(tag = "portal", operation_id = "downloadPortalArtifact",
    params(("slug" = String, Path, description = "Portal slug"), ("id" = String, Path, description = "Artifact id")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The bytes, streamed, with the artifact's media type (CSAF as application/json)", content((crate::artifacts::download::JsonFile = "application/vnd.cyclonedx+json"), (crate::artifacts::download::JsonFile = "application/json"), (crate::artifacts::download::JsonFile = "application/openvex+json"),
            (crate::artifacts::download::BinaryFile = "application/pdf"), (crate::artifacts::download::BinaryFile = "text/markdown"), (crate::artifacts::download::BinaryFile = "text/html"), (crate::artifacts::download::BinaryFile = "text/plain"),
            (crate::artifacts::download::BinaryFile = "application/octet-stream"))),
        (status = 206, description = "Partial content (Range, with If-Range)"), (status = 304, description = "Not modified (If-None-Match)"),
        (status = 416, description = "The range lies beyond the end (`Content-Range: bytes */<size>`)", body = crate::error::Problem, content_type = "application/problem+json"), crate::error::responses::PortalDownloadErrors))]
#[get("/portal/{slug}/artifacts/{id}/download")]
async fn download_artifact(
    st: web::Data<AppState>,
    PortalDownloader(r): PortalDownloader,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, id) = path.into_inner();
    disclosure::deliver(&st, &req, r.recipient(), id, Channel::Portal, None).await
}

/// Published CSAF advisories across the products the reader may see, newest first; filter by
/// product and CVE. Paged like the product list (`limit`, `cursor`, `Link` header).
#[utoipa::path(tag = "portal", operation_id = "listPortalAdvisories",
    params(("slug" = String, Path, description = "Portal slug"), AdvisoryQuery),
    security((), ("portal_token" = [])),
    responses((status = 200, body = Vec<PortalAdvisory>, headers(("Link" = String, description = "`<…?cursor=…>; rel=\"next\"` when there is a next page"))), PortalErrors))]
#[get("/portal/{slug}/advisories")]
async fn list_advisories(
    st: web::Data<AppState>,
    r: PortalReader,
    q: web::Query<AdvisoryQuery>,
) -> ApiResult<Paged<PortalAdvisory>> {
    let q = q.into_inner();
    let page = q.page();
    db::run(&st.pool, move |c| customer::advisories(c, &r, &q, &page)).await
}

/// "Am I affected?": a vulnerability's status in every product version the reader may see,
/// from published VEX statements and advisories.
#[utoipa::path(tag = "portal", operation_id = "getPortalVulnerability",
    params(("slug" = String, Path, description = "Portal slug"), ("id" = String, Path, description = "CVE, GHSA or other id")),
    security((), ("portal_token" = [])), responses((status = 200, body = VulnerabilityReport), PortalErrors))]
#[get("/portal/{slug}/vulnerabilities/{id}")]
async fn vulnerability(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<VulnerabilityReport>> {
    let (_, id) = path.into_inner();
    let report = db::tx(&st.pool, move |c| {
        let report = customer::vulnerability(c, &r, &id)?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalVulnerabilityQuery, r.actor(), &r.client)
            .details(serde_json::json!({"vulnerability_id": report.vulnerability_id, "results": report.results.len()}))
            .record(c)?;
        Ok(report)
    })
    .await?;
    Ok(web::Json(report))
}

/// What changed since another version: components added, removed and changed (from the newest
/// SBOM of each version the reader may see), licence changes and VEX status changes. Audited as
/// `portal.changes.view`.
#[utoipa::path(tag = "portal", operation_id = "getPortalVersionChanges",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version"), ChangesQuery),
    security((), ("portal_token" = [])), responses((status = 200, body = VersionChanges), PortalErrors))]
#[get("/portal/{slug}/products/{product}/versions/{version}/changes")]
async fn version_changes(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
    q: web::Query<ChangesQuery>,
) -> ApiResult<web::Json<VersionChanges>> {
    let (_, slug, version) = path.into_inner();
    let from = q.into_inner().from;
    let view = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &slug)?;
        let to = customer::version(c, &r, &p, &version)?;
        let old = customer::version(c, &r, &p, &from)?;
        let (old_arts, to_arts) =
            (disclosure::artifacts_at(c, &r.audience, &old.id)?, disclosure::artifacts_at(c, &r.audience, &to.id)?);
        let changes = changes::between(c, (&old.version, &old_arts), (&to.version, &to_arts))?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalChangesView, r.actor(), &r.client)
            .product(Some(&p.id))
            .version(Some(&to.id))
            .details(serde_json::json!({"from": old.version, "to": to.version}))
            .record(c)?;
        Ok(changes)
    })
    .await?;
    Ok(web::Json(view))
}
