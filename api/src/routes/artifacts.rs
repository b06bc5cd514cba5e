use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::artifacts::download::{self, Servable};
use crate::artifacts::intake;
use crate::artifacts::model::*;
use crate::artifacts::service::{self, UploadTarget};
use crate::audit::{Action, Category, Event};
use crate::auth::{OrgCaller, Publish, ReadCatalogue, Upload};
use crate::catalogue::service::Placement;
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgErrors, OrgWriteErrors, UploadErrors};
use crate::error::{ApiError, ApiResult};
use crate::publishing;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(upload_artifact)
        .service(list_version_artifacts)
        .service(list_artifacts)
        .service(get_artifact)
        .service(download_artifact)
        .service(publish_artifact)
        .service(withdraw_artifact)
        .service(link_artifact_version)
        .service(update_artifact);
}

/// Uploads an SBOM, VEX, CSAF advisory or document to a product version.
///
/// The body is either `multipart/form-data` (a `file` part plus optional `kind`, `document_type`
/// fields) or the raw document, its kind implied by the `Content-Type`
/// (`application/vnd.cyclonedx+json`, `application/csaf+json`, `application/openvex+json`,
/// `application/pdf`, `text/markdown` …), by the `kind` parameter, or by the content. The bytes
/// stream to storage while hashed (limit `PORTAL_MAX_UPLOAD_BYTES`, 413 beyond), then the document
/// is validated: 422 with the defects (JSON pointers, CSAF mandatory test ids) when it fails, and
/// nothing is recorded. Identical bytes on the same version answer 200 with the existing artifact.
/// CI one-liner: `curl -H "X-Api-Key: spk_…" -H "Content-Type: application/vnd.cyclonedx+json"
/// --data-binary @bom.json "…/artifacts?auto_create=true&publish=true"`.
#[utoipa::path(tag = "artifacts", operation_id = "uploadArtifact",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version string"), UploadQuery),
    request_body(content(
        (crate::artifacts::download::JsonFile = "application/vnd.cyclonedx+json"), (Vec<u8> = "application/csaf+json"), (crate::artifacts::download::JsonFile = "application/openvex+json"),
        (crate::artifacts::download::JsonFile = "application/json"), (crate::artifacts::download::BinaryFile = "application/pdf"), (crate::artifacts::download::BinaryFile = "text/markdown"), (crate::artifacts::download::BinaryFile = "text/plain"),
        (crate::artifacts::download::BinaryFile = "text/html"), (Vec<u8> = "multipart/form-data")),
        description = "The document (raw) or a multipart form with a `file` part"),
    security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 201, body = ArtifactDetail, description = "Stored as a new artifact"),
        (status = 200, body = ArtifactDetail, description = "Identical bytes already on this version"), UploadErrors))]
#[post("/orgs/{org}/products/{product}/versions/{version}/artifacts")]
async fn upload_artifact(
    st: web::Data<AppState>,
    access: OrgCaller<Upload>,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (_, product, version) = path.into_inner();
    let q = query.into_inner();
    let mut target = UploadTarget {
        placement: Placement {
            product_slug: product,
            product_name: None,
            version,
            auto_create: q.auto_create.unwrap_or(false),
        },
        publish: q.publish.unwrap_or(false),
        supersedes: q.supersedes.clone(),
        tlp: q.tlp,
    };
    if target.publish && !access.caller.may_publish() {
        return Err(ApiError::Forbidden(
            "publish=true needs the publisher role or the `artifacts:publish` scope".into(),
        ));
    }
    let limit = st.settings.max_upload_bytes;
    intake::check_declared_length(&req, limit)?;
    // Fail fast (before reading the body) when the target does not exist and may not be created.
    if !target.placement.auto_create {
        let (org_id, p) = (access.org.id.clone(), target.placement.clone());
        db::run(&st.pool, move |c| {
            let product = crate::catalogue::service::get_product(c, &org_id, &p.product_slug)?;
            crate::catalogue::service::get_version(c, &product, &p.version).map(|_| ())
        })
        .await?;
    }
    let media_type = intake::media_type(&req);
    let (blob, kind, document_type, filename, media_type) = if media_type == "multipart/form-data" {
        let r = intake::receive_multipart(&st.blobs, limit, &req, payload, &["file"]).await?;
        let kind = r.fields.get("kind").cloned().or(q.kind.clone());
        let document_type = r.fields.get("document_type").cloned().or(q.document_type.clone());
        let filename = r.filename.or(r.fields.get("filename").cloned()).or(q.filename.clone());
        if let Some(t) = r.fields.get("tlp").filter(|t| !t.is_empty()) {
            target.tlp = Some(
                t.parse()
                    .map_err(|_| ApiError::validation("tlp", "must be clear, green, amber, amber+strict or red"))?,
            );
        }
        (r.blob, kind, document_type, filename, r.media_type.unwrap_or_default())
    } else {
        if intake::kind_from_media_type(&media_type).is_none() && q.kind.is_none() {
            return Err(ApiError::UnsupportedMediaType(format!(
                "unsupported Content-Type `{media_type}`; send the document as application/vnd.cyclonedx+json, application/spdx+json, \
                 application/csaf+json, application/openvex+json, application/json, application/pdf, text/markdown, \
                 text/html or text/plain, or as multipart/form-data"
            )));
        }
        let blob = intake::receive_raw(&st.blobs, limit, payload).await?;
        (blob, q.kind.clone(), q.document_type.clone(), q.filename.clone(), media_type)
    };
    let declared = kind.as_deref().map(intake::parse_kind).transpose()?;
    let incoming =
        intake::validate(&st.blobs, blob, declared, document_type.as_deref(), &media_type, filename, &target.placement)
            .await?;
    let org_id = access.org.id.clone();
    let caller = access.caller.clone();
    let origin = crate::proxy::origin(&req, &st.settings);
    let (created, detail) = db::tx(&st.pool, move |c| {
        let warnings = crate::csaf::publisher::upload_warnings(c, &org_id, &origin, &incoming.analysis)?;
        let rec = publishing::record_upload(c, &org_id, &target, &incoming, &caller, &client)?;
        let mut detail = service::detail(c, &org_id, &rec.artifact.id)?;
        detail.warnings = warnings;
        Ok((rec.created, detail))
    })
    .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    let location = format!("/api/v1/orgs/{}/artifacts/{}", access.org.slug, detail.artifact.id);
    Ok(HttpResponse::build(status).insert_header((header::LOCATION, location)).json(detail))
}

/// Lists the artifacts of one product version (all statuses; members and `catalogue:read` keys).
#[utoipa::path(tag = "artifacts", operation_id = "listVersionArtifacts",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version string")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = Vec<ArtifactView>), OrgErrors))]
#[get("/orgs/{org}/products/{product}/versions/{version}/artifacts")]
async fn list_version_artifacts(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String, String)>,
) -> ApiResult<web::Json<Vec<ArtifactView>>> {
    let (_, product, version) = path.into_inner();
    let views = db::run(&st.pool, move |c| {
        let p = crate::catalogue::service::get_product(c, &access.org.id, &product)?;
        crate::catalogue::service::get_version(c, &p, &version)?;
        let q = ArtifactListQuery {
            product: Some(product),
            version: Some(version),
            limit: Some(500),
            ..Default::default()
        };
        service::list(c, &access.org.id, &q)
    })
    .await?;
    Ok(web::Json(views))
}

/// Lists artifacts, newest first, filtered by product, version, kind and status.
#[utoipa::path(tag = "artifacts", operation_id = "listArtifacts",
    params(("org" = String, Path, description = "Organisation slug"), ArtifactListQuery),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = Vec<ArtifactView>), OrgErrors))]
#[get("/orgs/{org}/artifacts")]
async fn list_artifacts(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    query: web::Query<ArtifactListQuery>,
) -> ApiResult<web::Json<Vec<ArtifactView>>> {
    let q = query.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| service::list(c, &access.org.id, &q)).await?))
}

/// An artifact with its parsed facts, VEX statements and the versions it applies to.
#[utoipa::path(tag = "artifacts", operation_id = "getArtifact",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Artifact id")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = ArtifactDetail), OrgErrors))]
#[get("/orgs/{org}/artifacts/{id}")]
async fn get_artifact(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<ArtifactDetail>> {
    let (_, id) = path.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| service::detail(c, &access.org.id, &id)).await?))
}

/// Downloads any artifact's bytes, whatever its status (members of any role; audited).
#[utoipa::path(tag = "artifacts", operation_id = "downloadArtifact",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Artifact id")),
    security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, description = "The bytes, streamed, with the artifact's media type", content((crate::artifacts::download::JsonFile = "application/vnd.cyclonedx+json"), (crate::artifacts::download::JsonFile = "application/json"), (crate::artifacts::download::JsonFile = "application/openvex+json"),
            (crate::artifacts::download::BinaryFile = "application/pdf"), (crate::artifacts::download::BinaryFile = "text/markdown"), (crate::artifacts::download::BinaryFile = "text/html"), (crate::artifacts::download::BinaryFile = "text/plain"),
            (crate::artifacts::download::BinaryFile = "application/octet-stream"))),
        (status = 206, description = "Partial content (Range)"), (status = 304, description = "Not modified (ETag)"),
        (status = 416, description = "The range lies beyond the end (`Content-Range: bytes */<size>`)", body = crate::error::Problem, content_type = "application/problem+json"), crate::error::responses::OrgDownloadErrors))]
#[get("/orgs/{org}/artifacts/{id}/download")]
async fn download_artifact(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    client: ClientInfo,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let actor = access.caller.actor();
    let org_id = access.org.id.clone();
    let if_match: Vec<header::HeaderValue> = req.headers().get_all(header::IF_MATCH).cloned().collect();
    let a = db::tx(&st.pool, move |c| {
        let a = service::get(c, &org_id, &id)?;
        // A refused If-Match sends nothing, so it is no download to record.
        download::if_match_holds(if_match.iter(), &a.sha256)?;
        Event::new(Some(&org_id), Category::Admin, Action::ArtifactDownload, actor, &client)
            .product(Some(&a.product_id))
            .version(Some(&a.version_id))
            .artifact(Some(&a.id), Some(&a.sha256))
            .record(c)?;
        Ok(a)
    })
    .await?;
    download::respond(&req, &st.blobs, Servable { sha256: a.sha256, media_type: a.media_type, filename: a.filename })
        .await
}

/// Publishes a draft: customers see it in the portal from now on; its bytes never change.
#[utoipa::path(tag = "artifacts", operation_id = "publishArtifact",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Artifact id")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = ArtifactDetail), OrgWriteErrors))]
#[post("/orgs/{org}/artifacts/{id}/publish")]
async fn publish_artifact(
    st: web::Data<AppState>,
    access: OrgCaller<Publish>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<ArtifactDetail>> {
    let (_, id) = path.into_inner();
    let actor = access.caller.actor();
    let detail = db::tx(&st.pool, move |c| {
        publishing::publish(c, &access.org.id, &id, &actor, &client)?;
        service::detail(c, &access.org.id, &id)
    })
    .await?;
    Ok(web::Json(detail))
}

/// Withdraws an artifact: kept for the record, never served to customers again.
#[utoipa::path(tag = "artifacts", operation_id = "withdrawArtifact",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Artifact id")),
    request_body(content = WithdrawRequest, description = "Optional reason"),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = ArtifactDetail), OrgWriteErrors))]
#[post("/orgs/{org}/artifacts/{id}/withdraw")]
async fn withdraw_artifact(
    st: web::Data<AppState>,
    access: OrgCaller<Publish>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: Option<web::Json<WithdrawRequest>>,
) -> ApiResult<web::Json<ArtifactDetail>> {
    let (_, id) = path.into_inner();
    let reason = body.and_then(|b| b.into_inner().reason);
    let actor = access.caller.actor();
    let detail = db::tx(&st.pool, move |c| {
        publishing::withdraw(c, &access.org.id, &id, reason.as_deref(), &actor, &client)?;
        service::detail(c, &access.org.id, &id)
    })
    .await?;
    Ok(web::Json(detail))
}

/// Declares that an artifact (e.g. a CSAF advisory) also applies to another product version.
#[utoipa::path(tag = "artifacts", operation_id = "linkArtifactVersion",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Artifact id")),
    request_body = LinkVersionRequest, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, body = ArtifactDetail), OrgWriteErrors))]
#[post("/orgs/{org}/artifacts/{id}/versions")]
async fn link_artifact_version(
    st: web::Data<AppState>,
    access: OrgCaller<Publish>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<LinkVersionRequest>,
) -> ApiResult<web::Json<ArtifactDetail>> {
    let (_, id) = path.into_inner();
    let req = body.into_inner();
    let actor = access.caller.actor();
    let detail =
        db::tx(&st.pool, move |c| publishing::link_version(c, &access.org.id, &id, &req, &actor, &client)).await?;
    Ok(web::Json(detail))
}

/// Sets an artifact's explicit TLP label, or clears it (`null`) so the portal's `default_tlp`
/// applies. CSAF documents carry their own label (422). It changes what customers see, so it
/// needs the publisher role or the `artifacts:publish` scope.
#[utoipa::path(tag = "artifacts", operation_id = "updateArtifact",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Artifact id")),
    request_body = UpdateArtifact, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, body = ArtifactDetail), OrgWriteErrors))]
#[patch("/orgs/{org}/artifacts/{id}")]
async fn update_artifact(
    st: web::Data<AppState>,
    access: OrgCaller<Publish>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateArtifact>,
) -> ApiResult<web::Json<ArtifactDetail>> {
    let (_, id) = path.into_inner();
    let req = body.into_inner();
    let actor = access.caller.actor();
    let detail = db::tx(&st.pool, move |c| match req.tlp {
        Some(tlp) => service::set_tlp(c, &access.org.id, &id, tlp, &actor, &client),
        None => service::detail(c, &access.org.id, &id),
    })
    .await?;
    Ok(web::Json(detail))
}
