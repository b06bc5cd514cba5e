//! security.txt (RFC 9116) for the instance and for every enabled portal, generated from the
//! portal settings: turning a portal on publishes its contact and CSAF provider at once.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Duration, SecondsFormat, Utc};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::csaf::service::urls;
use crate::db;
use crate::error::responses::PortalErrors;
use crate::error::ApiResult;
use crate::portal::settings;
use crate::portal::settings::Portal;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(portal_security_txt);
}

pub fn configure_well_known(cfg: &mut ServiceConfig) {
    cfg.service(instance_security_txt);
}

/// How long a generated file stays valid (RFC 9116 recommends less than a year).
const VALIDITY_DAYS: i64 = 180;

pub fn security_txt(portal: &Portal, origin: &str, canonical: &str, csaf: &str) -> String {
    let contact = match &portal.contact_email {
        Some(mail) => format!("mailto:{mail}"),
        None => format!("{origin}/portal/{}", portal.slug),
    };
    let expires = (Utc::now() + Duration::days(VALIDITY_DAYS)).to_rfc3339_opts(SecondsFormat::Secs, true);
    format!(
        "# Security contact of {name}, published by its Supplier Portal.\n\
         Contact: {contact}\n\
         Expires: {expires}\n\
         Canonical: {canonical}\n\
         Preferred-Languages: en\n\
         CSAF: {csaf}\n",
        name = portal.display_name.replace(['\r', '\n'], " "),
    )
}

fn text(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "max-age=3600"))
        .body(body)
}

/// The instance's security.txt: the default portal's contact, and the instance's well-known
/// CSAF provider metadata.
#[utoipa::path(tag = "discovery", operation_id = "getSecurityTxt",
    responses((status = 200, description = "RFC 9116 security.txt", content_type = "text/plain", body = String), PortalErrors))]
#[get("/.well-known/security.txt")]
async fn instance_security_txt(st: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let st2 = st.clone();
    let portal =
        db::run(&st.pool, move |c| settings::default_portal(c, st2.settings.default_portal.as_deref())).await?;
    let canonical = format!("{origin}/.well-known/security.txt");
    let csaf = format!("{origin}/.well-known/csaf/provider-metadata.json");
    Ok(text(security_txt(&portal, &origin, &canonical, &csaf)))
}

/// A portal's security.txt: its contact e-mail and its CSAF provider metadata.
#[utoipa::path(tag = "discovery", operation_id = "getPortalSecurityTxt",
    params(("slug" = String, Path, description = "Portal slug")),
    responses((status = 200, description = "RFC 9116 security.txt", content_type = "text/plain", body = String), PortalErrors))]
#[get("/portal/{slug}/.well-known/security.txt")]
async fn portal_security_txt(
    st: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let slug = path.into_inner();
    let portal = db::run(&st.pool, move |c| settings::enabled(c, &slug)).await?;
    let canonical = format!("{origin}/api/v1/portal/{}/.well-known/security.txt", portal.slug);
    let csaf = urls(&origin, &portal.slug).metadata();
    Ok(text(security_txt(&portal, &origin, &canonical, &csaf)))
}
