use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use base64::Engine;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::artifacts::intake::{self, BlobSink};
use crate::artifacts::model::ArtifactKind;
use crate::artifacts::service::UploadTarget;
use crate::auth::{ApiKeyUploader, Caller};
use crate::catalogue::service::{slugify, Placement};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::UploadErrors;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(put_bom).service(post_bom).service(bom_token);
}

/// Dependency-Track's `BomSubmitRequest` (other Dependency-Track fields are accepted and ignored).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BomSubmitRequest {
    /// Product name; its slug identifies the product (`My App` → `my-app`).
    pub project_name: String,
    pub project_version: String,
    /// Create the product and version when missing.
    #[serde(default)]
    pub auto_create: bool,
    /// The CycloneDX JSON SBOM, base64-encoded.
    pub bom: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BomUploadResponse {
    /// Processing token (the upload is processed synchronously; the token is always done).
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BomProcessingResponse {
    pub processing: bool,
}

fn placement(project_name: &str, project_version: &str, auto_create: bool) -> ApiResult<Placement> {
    let slug = slugify(project_name);
    if slug.is_empty() {
        return Err(ApiError::validation("projectName", "must contain letters or digits"));
    }
    if project_version.trim().is_empty() {
        return Err(ApiError::validation("projectVersion", "must not be empty"));
    }
    Ok(Placement {
        product_slug: slug,
        product_name: Some(project_name.trim().to_string()),
        version: project_version.trim().to_string(),
        auto_create,
    })
}

async fn record(
    st: &AppState,
    who: ApiKeyUploader,
    client: ClientInfo,
    placement: Placement,
    blob: crate::storage::StoredBlob,
) -> ApiResult<HttpResponse> {
    let incoming = intake::validate(&st.blobs, blob, Some(ArtifactKind::Sbom), None, "", None, &placement).await?;
    let target = UploadTarget { placement, publish: who.key.publish_on_push, supersedes: None, tlp: None };
    let org_id = who.org.id.clone();
    let caller = Caller::ApiKey(who.key);
    db::tx(&st.pool, move |c| {
        crate::publishing::record_upload(c, &org_id, &target, &incoming, &caller, &client).map(|_| ())
    })
    .await?;
    Ok(HttpResponse::Ok().json(BomUploadResponse { token: uuid::Uuid::new_v4().to_string() }))
}

/// Dependency-Track compatible SBOM upload (JSON with a base64 `bom`), authenticated by `X-Api-Key`.
///
/// The key needs `artifacts:write`; its organisation is the target. The SBOM is validated like any
/// upload and lands as a draft unless the key was created with `publish_on_push`.
#[utoipa::path(tag = "dependency-track", operation_id = "dtrackPutBom", request_body = BomSubmitRequest,
    security(("api_key" = [])), responses((status = 200, body = BomUploadResponse), UploadErrors))]
#[put("/bom")]
async fn put_bom(
    st: web::Data<AppState>,
    who: ApiKeyUploader,
    client: ClientInfo,
    req: HttpRequest,
    mut payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let limit = st.settings.max_upload_bytes;
    let json_limit = limit / 3 * 4 + 64 * 1024;
    intake::check_declared_length(&req, json_limit)?;
    if intake::media_type(&req) != "application/json" {
        return Err(ApiError::UnsupportedMediaType("expected Content-Type: application/json".into()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("could not read the request body: {e}")))?;
        if (body.len() + chunk.len()) as u64 > json_limit {
            return Err(ApiError::PayloadTooLarge(format!(
                "upload exceeds the limit of {limit} bytes (PORTAL_MAX_UPLOAD_BYTES)"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    let submit: BomSubmitRequest = serde_json::from_slice(&body).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::BadRequest(format!("malformed JSON: {e}"))
        } else {
            ApiError::validation("body", e.to_string())
        }
    })?;
    drop(body);
    let cleaned: String = submit.bom.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| ApiError::validation("bom", format!("must be base64-encoded: {e}")))?;
    if bytes.is_empty() {
        return Err(ApiError::validation("bom", "the SBOM is empty"));
    }
    let placement = placement(&submit.project_name, &submit.project_version, submit.auto_create)?;
    let mut sink = BlobSink::open(&st.blobs, limit).await?;
    sink.push(&bytes).await?;
    let blob = sink.finish().await?;
    record(&st, who, client, placement, blob).await
}

/// Dependency-Track compatible multipart SBOM upload (`projectName`, `projectVersion`, `autoCreate`, `bom`).
#[utoipa::path(tag = "dependency-track", operation_id = "dtrackPostBom",
    request_body(content = Vec<u8>, content_type = "multipart/form-data",
        description = "Fields `projectName`, `projectVersion`, `autoCreate` and the `bom` file"),
    security(("api_key" = [])), responses((status = 200, body = BomUploadResponse), UploadErrors))]
#[post("/bom")]
async fn post_bom(
    st: web::Data<AppState>,
    who: ApiKeyUploader,
    client: ClientInfo,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let limit = st.settings.max_upload_bytes;
    intake::check_declared_length(&req, limit)?;
    if intake::media_type(&req) != "multipart/form-data" {
        return Err(ApiError::UnsupportedMediaType("expected Content-Type: multipart/form-data".into()));
    }
    let r = intake::receive_multipart(&st.blobs, limit, &req, payload, &["bom"]).await?;
    let name = r.fields.get("projectName").ok_or_else(|| ApiError::validation("projectName", "is required"))?;
    let version =
        r.fields.get("projectVersion").ok_or_else(|| ApiError::validation("projectVersion", "is required"))?;
    let auto_create = match r.fields.get("autoCreate").map(|s| s.to_ascii_lowercase()) {
        None => false,
        Some(v) if v == "true" => true,
        Some(v) if v == "false" => false,
        Some(_) => return Err(ApiError::validation("autoCreate", "must be true or false")),
    };
    let placement = placement(name, version, auto_create)?;
    record(&st, who, client, placement, r.blob).await
}

/// Dependency-Track compatible processing status: uploads are processed synchronously, so always done.
#[utoipa::path(tag = "dependency-track", operation_id = "dtrackBomToken",
    params(("uuid" = String, Path, description = "Token from the upload")),
    security(("api_key" = [])), responses((status = 200, body = BomProcessingResponse), UploadErrors))]
#[get("/bom/token/{uuid}")]
async fn bom_token(_who: ApiKeyUploader, path: web::Path<String>) -> ApiResult<web::Json<BomProcessingResponse>> {
    uuid::Uuid::parse_str(&path.into_inner()).map_err(|_| ApiError::NotFound("no such token".into()))?;
    Ok(web::Json(BomProcessingResponse { processing: false }))
}
