//! The provider's files under `/api/v1/portal/{slug}/csaf/` and the instance's
//! `/.well-known/csaf/provider-metadata.json`. Documents are served as `application/json`
//! exactly, without redirects; fetching one is audited like any other download.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::documents::{ProviderMetadata, RolieFeedDoc, RolieServiceDoc};
use super::provider;
use super::service::{authorize, folder_entries, metadata_document, tlp_of, urls, Served};
use super::signing;
use crate::db;
use crate::disclosure::{self, Channel};
use crate::error::responses::PortalErrors;
use crate::error::{ApiError, ApiResult};
use crate::portal::reader::{PortalDownloader, PortalReader, PortalVisitor};
use crate::portal::settings::{self};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(provider_metadata)
        .service(rolie_service)
        .service(public_key)
        .service(tlp_listing)
        .service(tlp_file)
        .service(year_listing)
        .service(document_file);
}

/// The instance's `/.well-known/csaf/provider-metadata.json` (the default portal's).
pub fn configure_well_known(cfg: &mut ServiceConfig) {
    cfg.service(well_known_metadata);
}

const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";

fn reply(content_type: &'static str, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

/// The portal's CSAF provider metadata (CSAF 2.0 §7.2.1, role `csaf_trusted_provider`).
///
/// Answers everyone, even for private portals, so CSAF tools learn where to authenticate. It
/// lists the distributions (directory and ROLIE feed per TLP label) the caller may read —
/// anonymous: TLP:WHITE; with `Authorization: Bearer spt_…`: also what the token's clearance
/// allows — (`Vary: Authorization`), the organisation's configured publisher and the OpenPGP keys.
#[utoipa::path(tag = "csaf", operation_id = "getCsafProviderMetadata",
    params(("slug" = String, Path, description = "Portal slug")),
    responses((status = 200, description = "provider-metadata.json", content_type = "application/json", body = ProviderMetadata), PortalErrors))]
#[get("/portal/{slug}/csaf/provider-metadata.json")]
async fn provider_metadata(
    st: web::Data<AppState>,
    req: HttpRequest,
    PortalVisitor(r): PortalVisitor,
) -> ApiResult<HttpResponse> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let st2 = st.clone();
    let anonymous = r.audience.is_anonymous();
    let doc = db::run(&st.pool, move |c| {
        let canonical = urls(&origin, &r.portal.slug).metadata();
        metadata_document(c, &st2, &r, &origin, canonical)
    })
    .await?;
    Ok(reply_per_reader(JSON, json_text(&doc)?, anonymous))
}

fn json_text<T: serde::Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(|e| ApiError::internal(anyhow::Error::from(e)))
}

/// A document whose content depends on the credential: never shared between callers.
fn reply_per_reader(content_type: &'static str, body: String, anonymous: bool) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::VARY, "Authorization"))
        .insert_header((header::CACHE_CONTROL, if anonymous { "no-cache" } else { "private, no-cache" }))
        .body(body)
}

/// `/.well-known/csaf/provider-metadata.json`: the default portal's provider metadata
/// (`PORTAL_DEFAULT_PORTAL`, or the only enabled portal).
#[utoipa::path(tag = "csaf", operation_id = "getWellKnownCsafProviderMetadata",
    responses((status = 200, description = "provider-metadata.json", content_type = "application/json", body = ProviderMetadata), PortalErrors))]
#[get("/.well-known/csaf/provider-metadata.json")]
async fn well_known_metadata(st: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let st2 = st.clone();
    let slug =
        db::run(&st.pool, move |c| Ok(settings::default_portal(c, st2.settings.default_portal.as_deref())?.slug))
            .await?;
    let r = crate::portal::reader::visit(req.clone(), slug).await?;
    let anonymous = r.audience.is_anonymous();
    let st2 = st.clone();
    let doc = db::run(&st.pool, move |c| {
        let canonical = format!("{origin}/.well-known/csaf/provider-metadata.json");
        metadata_document(c, &st2, &r, &origin, canonical)
    })
    .await?;
    Ok(reply_per_reader(JSON, json_text(&doc)?, anonymous))
}

/// The ROLIE service document: one collection per TLP feed.
#[utoipa::path(tag = "csaf", operation_id = "getCsafRolieService",
    params(("slug" = String, Path, description = "Portal slug")),
    responses((status = 200, description = "ROLIE service document", content_type = "application/json", body = RolieServiceDoc), PortalErrors))]
#[get("/portal/{slug}/csaf/service.json")]
async fn rolie_service(
    st: web::Data<AppState>,
    req: HttpRequest,
    PortalVisitor(r): PortalVisitor,
) -> ApiResult<HttpResponse> {
    let origin = crate::proxy::origin(&req, &st.settings);
    let anonymous = r.audience.is_anonymous();
    let doc = db::run(&st.pool, move |c| {
        let by_folder = super::by_folder(c, &r.audience)?;
        Ok(super::documents::rolie_service(
            &urls(&origin, &r.portal.slug),
            &r.portal.display_name,
            &super::folders(&r.audience, by_folder.keys().copied()),
        ))
    })
    .await?;
    Ok(reply_per_reader(JSON, json_text(&doc)?, anonymous))
}

/// A public OpenPGP key of the portal's organisation (`openpgp/<FINGERPRINT>.asc`), ASCII-armoured.
/// Retired keys stay published so older signatures remain verifiable.
#[utoipa::path(tag = "csaf", operation_id = "getCsafPublicKey",
    params(("slug" = String, Path, description = "Portal slug"), ("key" = String, Path, description = "`<FINGERPRINT>.asc`")),
    responses((status = 200, description = "ASCII-armoured public key", content_type = "application/pgp-keys", body = String), PortalErrors))]
#[get("/portal/{slug}/csaf/openpgp/{key}")]
async fn public_key(st: web::Data<AppState>, path: web::Path<(String, String)>) -> ApiResult<HttpResponse> {
    let (slug, file) = path.into_inner();
    let fingerprint = file
        .strip_suffix(".asc")
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| ApiError::NotFound("keys are named <FINGERPRINT>.asc".into()))?;
    let armored = db::run(&st.pool, move |c| {
        let portal = settings::enabled(c, &slug)?;
        signing::published_keys(c, &portal.org_id)?
            .into_iter()
            .find(|k| k.fingerprint == fingerprint)
            .map(|k| k.public_key)
            .ok_or_else(|| ApiError::NotFound(format!("no key with fingerprint {fingerprint}")))
    })
    .await?;
    Ok(reply("application/pgp-keys", armored))
}

/// HTML listing of a TLP folder: index.txt, changes.csv, the ROLIE feed and category document,
/// and one folder per year.
#[utoipa::path(tag = "csaf", operation_id = "getCsafFolder",
    params(("slug" = String, Path, description = "Portal slug"), ("tlp" = String, Path, description = "white, green, amber, red or unlabeled")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "HTML listing", content_type = "text/html", body = String), PortalErrors))]
#[get("/portal/{slug}/csaf/{tlp}/")]
async fn tlp_listing(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let tlp = tlp_of(&path.1)?;
    authorize(&r, tlp)?;
    let entries = db::run(&st.pool, move |c| folder_entries(c, &r, tlp)).await?;
    let years: std::collections::BTreeSet<String> = entries.iter().map(|e| format!("{}/", e.year)).collect();
    let f = tlp.folder();
    let mut files = vec![
        "index.txt".to_string(),
        "changes.csv".to_string(),
        format!("csaf-feed-tlp-{f}.json"),
        format!("category-tlp-{f}.json"),
    ];
    files.extend(years);
    Ok(reply(
        "text/html; charset=utf-8",
        provider::listing_html(&format!("CSAF documents, TLP:{}", tlp.tlp_label()), &files),
    ))
}

/// Which page of a ROLIE feed.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The ROLIE feed's page (from 1; a feed of more than 1,000 documents is paged, each page
    /// linking the next with `rel="next"`). Other files ignore it.
    #[param(minimum = 1)]
    pub page: Option<usize>,
}

/// index.txt, changes.csv, the ROLIE feed (`csaf-feed-tlp-<tlp>.json`) or the ROLIE category
/// document (`category-tlp-<tlp>.json`) of a TLP folder.
#[utoipa::path(tag = "csaf", operation_id = "getCsafFolderFile",
    params(("slug" = String, Path, description = "Portal slug"), ("tlp" = String, Path, description = "white, green, amber, red or unlabeled"),
        ("file" = String, Path, description = "index.txt, changes.csv, csaf-feed-tlp-<tlp>.json or category-tlp-<tlp>.json"), FeedQuery),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The file: index.txt, changes.csv, the ROLIE feed or category document", content((String = "text/plain"), (String = "text/csv"), (RolieFeedDoc = "application/json"))), PortalErrors))]
#[get("/portal/{slug}/csaf/{tlp}/{file}")]
async fn tlp_file(
    st: web::Data<AppState>,
    req: HttpRequest,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
    page: web::Query<FeedQuery>,
) -> ApiResult<HttpResponse> {
    let (_, folder, file) = path.into_inner();
    let feed_page = page.page.unwrap_or(1);
    let tlp = tlp_of(&folder)?;
    let f = tlp.folder();
    enum Which {
        Index,
        Changes,
        Feed,
        Category,
    }
    let which = match file.as_str() {
        "index.txt" => Which::Index,
        "changes.csv" => Which::Changes,
        x if x == format!("csaf-feed-tlp-{f}.json") => Which::Feed,
        x if x == format!("category-tlp-{f}.json") => Which::Category,
        _ => return Err(ApiError::NotFound(format!("no file `{file}` in the TLP:{} folder", tlp.tlp_label()))),
    };
    authorize(&r, tlp)?;
    let origin = crate::proxy::origin(&req, &st.settings);
    let (ct, body) = db::run(&st.pool, move |c| {
        let entries = folder_entries(c, &r, tlp)?;
        Ok(match which {
            Which::Index => (TEXT, entries.index_txt()),
            Which::Changes => ("text/csv; charset=utf-8", entries.changes_csv()),
            Which::Feed => {
                let updated = super::last_updated(c, &r.portal)?;
                let feed = super::documents::rolie_feed(
                    &urls(&origin, &r.portal.slug),
                    &r.portal.display_name,
                    tlp,
                    &entries,
                    updated,
                    feed_page,
                )?;
                (JSON, json_text(&feed)?.into())
            }
            Which::Category => {
                (JSON, json_text(&super::documents::rolie_category(&super::product_names(c, &entries)?))?.into())
            }
        })
    })
    .await?;
    Ok(reply(ct, body))
}

/// HTML listing of a year folder: every document with its hash and signature files.
#[utoipa::path(tag = "csaf", operation_id = "getCsafYearFolder",
    params(("slug" = String, Path, description = "Portal slug"), ("tlp" = String, Path, description = "white, green, amber, red or unlabeled"),
        ("year" = String, Path, description = "YYYY of the documents' initial release")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "HTML listing", content_type = "text/html", body = String), PortalErrors))]
#[get("/portal/{slug}/csaf/{tlp}/{year}/")]
async fn year_listing(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, folder, year) = path.into_inner();
    let tlp = tlp_of(&folder)?;
    authorize(&r, tlp)?;
    let entries = db::run(&st.pool, move |c| folder_entries(c, &r, tlp)).await?;
    let mut files = Vec::new();
    for e in entries.iter().filter(|e| e.year == year) {
        for suffix in ["", ".asc", ".sha256", ".sha512"] {
            files.push(format!("{}{suffix}", e.file));
        }
    }
    if files.is_empty() {
        return Err(ApiError::NotFound(format!("no documents from {year} in the TLP:{} folder", tlp.tlp_label())));
    }
    files.sort();
    Ok(reply(
        "text/html; charset=utf-8",
        provider::listing_html(&format!("CSAF documents, TLP:{}, {year}", tlp.tlp_label()), &files),
    ))
}

/// A CSAF document (`<name>.json`, served as `application/json`, audited as a download), its
/// hashes (`.sha256`, `.sha512`: `<hex>  <name>.json`) or its detached OpenPGP signature (`.asc`).
#[utoipa::path(tag = "csaf", operation_id = "getCsafDocument",
    params(("slug" = String, Path, description = "Portal slug"), ("tlp" = String, Path, description = "white, green, amber, red or unlabeled"),
        ("year" = String, Path, description = "YYYY of the document's initial release"),
        ("file" = String, Path, description = "`<name>.json`, `<name>.json.sha256`, `<name>.json.sha512` or `<name>.json.asc`")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "The document, a hash file or the signature",
        content((crate::artifacts::download::JsonFile = "application/json"), (String = "text/plain"), (String = "application/pgp-signature"))),
        (status = 206, description = "Partial content (Range, with If-Range)"), (status = 304, description = "Not modified (If-None-Match)"),
        (status = 416, description = "The range lies beyond the end (`Content-Range: bytes */<size>`)", body = crate::error::Problem, content_type = "application/problem+json"), crate::error::responses::PortalDownloadErrors))]
#[get("/portal/{slug}/csaf/{tlp}/{year}/{file}")]
async fn document_file(
    st: web::Data<AppState>,
    req: HttpRequest,
    PortalDownloader(r): PortalDownloader,
    path: web::Path<(String, String, String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, folder, year, file) = path.into_inner();
    let tlp = tlp_of(&folder)?;
    #[derive(Clone, Copy)]
    enum Part {
        Document,
        Sha256,
        Sha512,
        Signature,
    }
    let (name, part) = if let Some(n) = file.strip_suffix(".sha256") {
        (n, Part::Sha256)
    } else if let Some(n) = file.strip_suffix(".sha512") {
        (n, Part::Sha512)
    } else if let Some(n) = file.strip_suffix(".asc") {
        (n, Part::Signature)
    } else {
        (file.as_str(), Part::Document)
    };
    let name = name.to_string();
    authorize(&r, tlp)?;
    let st2 = st.clone();
    let recipient = r.recipient();
    let found = db::run(&st.pool, move |c| {
        let e = folder_entries(c, &r, tlp)?.iter().find(|e| e.year == year && e.file == name).cloned().ok_or_else(
            || ApiError::NotFound(format!("no document {year}/{name} in the TLP:{} folder", tlp.tlp_label())),
        )?;
        Ok(match part {
            Part::Document => Served::Document(Box::new(e)),
            Part::Sha256 => Served::Text(TEXT, format!("{}  {}\n", e.sha256, e.file)),
            Part::Sha512 => Served::Text(TEXT, format!("{}  {}\n", e.sha512, e.file)),
            Part::Signature => {
                let key = db::write_turn(c, |c| signing::ensure_active(c, &st2, &r.portal))?;
                let sig = db::write_turn(c, |c| signing::signature(c, &st2, &key, &e.artifact_id, &e.sha256))?;
                Served::Text("application/pgp-signature", sig)
            }
        })
    })
    .await?;
    match found {
        Served::Text(ct, body) => Ok(reply(ct, body)),
        Served::Document(e) => {
            let path = format!("{}/{}", e.tlp.folder(), e.relative());
            disclosure::deliver(&st, &req, recipient, e.artifact_id, Channel::Csaf, Some((path, e.file))).await
        }
    }
}
