//! Receiving upload bodies: streamed into the blob store while hashed, with the size limit
//! enforced as bytes arrive; then validated by `portal_formats` off the async workers.

use std::collections::HashMap;
use std::io::Read;

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

use super::model::{ArtifactKind, DocumentType};
use super::service::Incoming;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::storage::{BlobBackend, BlobKey, BlobStore, BlobWriter, StoredBlob};

const FLUSH_BYTES: usize = 1 << 20;
const MAX_FIELD_BYTES: usize = 64 * 1024;

fn storage_error(e: std::io::Error) -> ApiError {
    use std::io::ErrorKind::{QuotaExceeded, StorageFull};
    let state = if matches!(e.kind(), StorageFull | QuotaExceeded) { "full" } else { "not writable" };
    ApiError::StorageUnavailable(format!("artifact storage is {state}: {e}"))
}

fn too_large(limit: u64) -> ApiError {
    ApiError::PayloadTooLarge(format!("upload exceeds the limit of {limit} bytes (PORTAL_MAX_UPLOAD_BYTES)"))
}

/// Streams chunks into a blob, writing in ~1 MB batches on the blocking pool.
pub struct BlobSink {
    writer: Option<Box<dyn BlobWriter>>,
    buf: Vec<u8>,
    total: u64,
    limit: u64,
}

impl BlobSink {
    pub async fn open(store: &BlobStore, limit: u64) -> ApiResult<Self> {
        let store = store.clone();
        let writer = web::block(move || store.begin()).await?.map_err(storage_error)?;
        Ok(Self { writer: Some(writer), buf: Vec::with_capacity(FLUSH_BYTES), total: 0, limit })
    }

    pub async fn push(&mut self, chunk: &[u8]) -> ApiResult<()> {
        self.total += chunk.len() as u64;
        if self.total > self.limit {
            return Err(too_large(self.limit));
        }
        self.buf.extend_from_slice(chunk);
        if self.buf.len() >= FLUSH_BYTES {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> ApiResult<()> {
        let mut writer = self.writer.take().ok_or_else(|| ApiError::internal(anyhow::anyhow!("sink closed")))?;
        let data = std::mem::replace(&mut self.buf, Vec::with_capacity(FLUSH_BYTES));
        let writer = web::block(move || writer.write(&data).map(|_| writer)).await?.map_err(storage_error)?;
        self.writer = Some(writer);
        Ok(())
    }

    pub async fn finish(mut self) -> ApiResult<StoredBlob> {
        self.flush().await?;
        let writer = self.writer.take().ok_or_else(|| ApiError::internal(anyhow::anyhow!("sink closed")))?;
        web::block(move || writer.finish()).await?.map_err(storage_error)
    }
}

/// A received upload: the stored blob plus the form fields that came with it.
pub struct Received {
    pub blob: StoredBlob,
    pub filename: Option<String>,
    pub media_type: Option<String>,
    pub fields: HashMap<String, String>,
}

/// Rejects early when the declared length is already over the limit.
pub fn check_declared_length(req: &HttpRequest, limit: u64) -> ApiResult<()> {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    match declared {
        // Multipart framing adds a little; allow for it.
        Some(n) if n > limit + 64 * 1024 => Err(too_large(limit)),
        _ => Ok(()),
    }
}

pub fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Streams a raw body into the blob store.
pub async fn receive_raw(store: &BlobStore, limit: u64, mut payload: web::Payload) -> ApiResult<StoredBlob> {
    let mut sink = BlobSink::open(store, limit).await?;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => too_large(limit),
            other => ApiError::BadRequest(format!("could not read the request body: {other}")),
        })?;
        sink.push(&chunk).await?;
    }
    if sink.total == 0 {
        return Err(ApiError::validation("body", "the upload is empty"));
    }
    sink.finish().await
}

/// The most parts a multipart form may have (one file and a few text fields).
const MAX_PARTS: usize = 16;

/// Reads a multipart form: the first part named in `file_fields` is streamed into the blob store;
/// other parts are small text fields (at most [`MAX_PARTS`] parts, each text field at most
/// `MAX_FIELD_BYTES`, one file).
pub async fn receive_multipart(
    store: &BlobStore,
    limit: u64,
    req: &HttpRequest,
    payload: web::Payload,
    file_fields: &[&str],
) -> ApiResult<Received> {
    let mut form = actix_multipart::Multipart::new(req.headers(), payload.into_inner());
    let mut fields = HashMap::new();
    let mut file: Option<(StoredBlob, Option<String>, Option<String>)> = None;
    let mut parts = 0usize;
    while let Some(part) = form.next().await {
        let mut part = part.map_err(|e| ApiError::BadRequest(format!("malformed multipart body: {e}")))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(ApiError::validation("body", format!("a multipart form has at most {MAX_PARTS} parts")));
        }
        if file.is_some()
            && file_fields.contains(&part.content_disposition().and_then(|cd| cd.get_name()).unwrap_or(""))
        {
            return Err(ApiError::validation("body", "send one file per request"));
        }
        let (name, filename) = match part.content_disposition() {
            Some(cd) => (cd.get_name().unwrap_or("").to_string(), cd.get_filename().map(str::to_string)),
            None => (String::new(), None),
        };
        if file.is_none() && file_fields.contains(&name.as_str()) {
            let part_type = part.content_type().map(|m| m.essence_str().to_ascii_lowercase());
            let mut sink = BlobSink::open(store, limit).await?;
            while let Some(chunk) = part.next().await {
                let chunk =
                    chunk.map_err(|e| ApiError::BadRequest(format!("could not read the `{name}` part: {e}")))?;
                sink.push(&chunk).await?;
            }
            if sink.total == 0 {
                return Err(ApiError::validation(&name, "the uploaded file is empty"));
            }
            file = Some((sink.finish().await?, filename, part_type));
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk =
                    chunk.map_err(|e| ApiError::BadRequest(format!("could not read the `{name}` part: {e}")))?;
                value.extend_from_slice(&chunk);
                if value.len() > MAX_FIELD_BYTES {
                    return Err(ApiError::validation(&name, format!("form field larger than {MAX_FIELD_BYTES} bytes")));
                }
            }
            let text = String::from_utf8(value).map_err(|_| ApiError::validation(&name, "must be UTF-8 text"))?;
            fields.insert(name, text.trim().to_string());
        }
    }
    let (blob, filename, media_type) = file.ok_or_else(|| {
        ApiError::validation(
            file_fields.first().copied().unwrap_or("file"),
            "a file part is required in the multipart form",
        )
    })?;
    Ok(Received { blob, filename, media_type, fields })
}

/// What a Content-Type says about the kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaHint {
    /// The media type decides.
    Exact(ArtifactKind),
    /// A JSON document: the content decides among the JSON kinds, else `fallback` (whose
    /// validation then names the defect) or, without one, a 422.
    Json(Option<ArtifactKind>),
    /// Anything: the content decides.
    Any,
}

/// `None` for media types we do not take.
pub fn kind_from_media_type(mt: &str) -> Option<MediaHint> {
    match mt {
        "application/openvex+json" => Some(MediaHint::Exact(ArtifactKind::Vex)),
        "application/pdf" | "text/plain" | "text/markdown" | "text/html" | "text/x-markdown" => {
            Some(MediaHint::Exact(ArtifactKind::Document))
        }
        // CycloneDX may be an SBOM or a VEX; CSAF an advisory or a csaf_vex: the content decides.
        "application/vnd.cyclonedx+json" => Some(MediaHint::Json(Some(ArtifactKind::Sbom))),
        // SPDX 2.2/2.3 JSON and SPDX 3.0.1 JSON-LD SBOMs.
        "application/spdx+json" | "application/ld+json" => Some(MediaHint::Exact(ArtifactKind::Sbom)),
        "application/csaf+json" => Some(MediaHint::Json(Some(ArtifactKind::Advisory))),
        "application/json" => Some(MediaHint::Json(None)),
        "application/octet-stream" | "" => Some(MediaHint::Any),
        _ => None,
    }
}

fn undetectable() -> ApiError {
    ApiError::Unprocessable {
        message: "could not tell what this document is; pass kind=sbom|vex|advisory|document".into(),
        errors: vec![FieldError::new("kind", "not detectable from the content")],
    }
}

/// Decides the kind from the hint and the bytes.
fn decide_kind(hint: MediaHint, bytes: &[u8]) -> ApiResult<ArtifactKind> {
    let detected = portal_formats::detect_kind(bytes).map(ArtifactKind::from_formats);
    match hint {
        MediaHint::Exact(k) => Ok(k),
        MediaHint::Any => detected.ok_or_else(undetectable),
        MediaHint::Json(fallback) => match (detected, fallback) {
            (Some(k), _) if k != ArtifactKind::Document => Ok(k),
            (_, Some(k)) => Ok(k),
            (_, None) => match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Err(e) => Err(ApiError::Unprocessable {
                    message: format!("not valid JSON: {e}"),
                    errors: vec![FieldError::new("/", format!("not valid JSON: {e}"))],
                }),
                Ok(_) => Err(undetectable()),
            },
        },
    }
}

pub fn parse_kind(s: &str) -> ApiResult<ArtifactKind> {
    ArtifactKind::parse(s).ok_or_else(|| ApiError::validation("kind", "must be one of sbom, vex, advisory, document"))
}

pub fn parse_document_type(s: Option<&str>, kind: ArtifactKind) -> ApiResult<Option<DocumentType>> {
    match (kind, s) {
        (ArtifactKind::Document, None) => Ok(Some(DocumentType::Other)),
        (ArtifactKind::Document, Some(s)) => DocumentType::parse(s).map(Some).ok_or_else(|| {
            let all = DocumentType::ALL.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ");
            ApiError::validation("document_type", format!("must be one of {all}"))
        }),
        (_, Some(_)) => Err(ApiError::validation("document_type", "only documents have a document_type")),
        (_, None) => Ok(None),
    }
}

/// A safe file name: last path component, no control characters or quotes, at most 200 characters.
pub fn clean_filename(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        last.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect::<String>().trim().to_string();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then_some(cleaned)
}

pub fn default_filename(product: &str, version: &str, kind: ArtifactKind, format: &str) -> String {
    let ext = if format.starts_with("pdf") {
        "pdf"
    } else if format.starts_with("markdown") {
        "md"
    } else if format.starts_with("html") {
        "html"
    } else if format.starts_with("text") {
        "txt"
    } else {
        "json"
    };
    let suffix = match kind {
        ArtifactKind::Sbom => ".cdx",
        ArtifactKind::Vex => ".vex",
        ArtifactKind::Advisory => ".csaf",
        ArtifactKind::Document => "",
    };
    format!("{product}-{version}{suffix}.{ext}")
}

/// Reads a stored blob whole (validation needs the full document).
pub fn read_blob(store: &dyn BlobBackend, key: &BlobKey) -> ApiResult<Vec<u8>> {
    match store.open(key)? {
        Some(source) => {
            let mut bytes = Vec::with_capacity(source.size() as usize);
            source.into_reader().read_to_end(&mut bytes)?;
            Ok(bytes)
        }
        None => Err(ApiError::internal(anyhow::anyhow!("blob {key} vanished after upload"))),
    }
}

/// Decides the kind (declared, from the media type, or detected) and validates the document.
/// Runs on the blocking pool: parsing a large SBOM takes CPU time.
pub async fn analyze(
    store: &BlobStore,
    blob: &StoredBlob,
    declared: Option<ArtifactKind>,
    media_type: &str,
) -> ApiResult<(ArtifactKind, portal_formats::Analysis)> {
    let hint = match declared {
        Some(k) => MediaHint::Exact(k),
        None => kind_from_media_type(media_type).ok_or_else(|| {
            ApiError::UnsupportedMediaType(format!(
                "unsupported Content-Type `{media_type}`: use application/vnd.cyclonedx+json, application/csaf+json, \
                 application/openvex+json, application/json, application/pdf, text/markdown, text/html, text/plain \
                 or multipart/form-data"
            ))
        })?,
    };
    let store = store.clone();
    let key = blob.key.clone();
    web::block(move || {
        let bytes = read_blob(store.as_ref(), &key)?;
        let kind = decide_kind(hint, &bytes)?;
        let analysis = portal_formats::analyze(kind.to_formats(), &bytes).map_err(rejection)?;
        Ok((kind, analysis))
    })
    .await?
}

/// A validation failure as a 422 problem naming the defects (with JSON pointers, and CSAF test ids).
pub fn rejection(r: portal_formats::Rejection) -> ApiError {
    let errors = r
        .defects
        .iter()
        .map(|d| {
            let msg = match &d.test {
                Some(t) if !d.message.starts_with(t.as_str()) => format!("{t}: {}", d.message),
                _ => d.message.clone(),
            };
            FieldError::new(if d.pointer.is_empty() { "/" } else { d.pointer.as_str() }, msg)
        })
        .collect();
    ApiError::Unprocessable { message: r.message, errors }
}

/// Builds the incoming record from a received body.
pub async fn validate(
    store: &BlobStore,
    blob: StoredBlob,
    declared: Option<ArtifactKind>,
    document_type: Option<&str>,
    media_type: &str,
    filename: Option<String>,
    placement: &crate::catalogue::service::Placement,
) -> ApiResult<Incoming> {
    if let Some(k) = declared {
        parse_document_type(document_type, k)?;
    }
    let (kind, analysis) = analyze(store, &blob, declared, media_type).await?;
    let document_type = parse_document_type(document_type, kind)?;
    let filename = filename
        .as_deref()
        .and_then(clean_filename)
        .unwrap_or_else(|| default_filename(&placement.product_slug, &placement.version, kind, &analysis.format));
    Ok(Incoming { blob, filename, kind, document_type, analysis })
}
