//! One error type, one mapping to RFC 7807 `application/problem+json`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::request;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A field-level defect in a request (or a document), located by name or JSON pointer.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// The request field (`email`) or JSON pointer (`/components/3/bom-ref`) concerned.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// RFC 7807 problem details, as every error response carries them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference identifying the problem type.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request id (also in the `X-Request-Id` header); quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Validation { message: String, errors: Vec<FieldError> },
    #[error("{message}")]
    Unprocessable { message: String, errors: Vec<FieldError> },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A request condition (`If-Match`) does not hold: 412, nothing done or sent.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The blob store refused a write (not writable, disk full): 503 with the reason shown.
    #[error("{0}")]
    StorageUnavailable(String),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        let field = field.into();
        ApiError::Validation { message: format!("{field}: {message}"), errors: vec![FieldError::new(field, message)] }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad-request",
            ApiError::Validation { .. } => "validation",
            ApiError::Unprocessable { .. } => "invalid-document",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict(_) => "conflict",
            ApiError::PreconditionFailed(_) => "precondition-failed",
            ApiError::PayloadTooLarge(_) => "payload-too-large",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::TooManyRequests { .. } => "rate-limited",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::StorageUnavailable(_) => "storage-unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

/// Builds a problem response for any status (also used to rewrite actix's own plain-text errors).
pub fn problem_response(status: StatusCode, type_slug: &str, detail: String, errors: Vec<FieldError>) -> HttpResponse {
    let body = Problem {
        type_: format!("https://supplier-portal.dev/problems/{type_slug}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        request_id: request::current(),
        errors,
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .body(serde_json::to_string(&body).unwrap_or_else(|_| "{}".into()))
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Validation { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::StorageUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (detail, errors) = match self {
            ApiError::Validation { message, errors } | ApiError::Unprocessable { message, errors } => {
                (message.clone(), errors.clone())
            }
            ApiError::Internal(cause) => {
                tracing::error!(request_id = request::current().unwrap_or_default(), "internal error: {cause:#}");
                ("an internal error occurred; quote the request id when reporting it".to_string(), vec![])
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(request_id = request::current().unwrap_or_default(), "unavailable: {cause}");
                ("the service is temporarily unavailable; retry shortly".to_string(), vec![])
            }
            ApiError::StorageUnavailable(cause) => {
                tracing::error!(request_id = request::current().unwrap_or_default(), "{cause}");
                (cause.clone(), vec![])
            }
            other => (other.to_string(), vec![]),
        };
        let mut resp = problem_response(status, self.slug(), detail, errors);
        if let ApiError::TooManyRequests { retry_after_secs, .. } = self {
            if let Ok(v) = header::HeaderValue::from_str(&retry_after_secs.max(&1).to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if let ApiError::Unauthorized(_) = self {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound("not found".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                ApiError::Conflict(format!("already exists ({})", info.message()))
            }
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => ApiError::Unavailable(info.message().to_string()),
            Error::DatabaseError(DatabaseErrorKind::Unknown, ref info) if is_connection_failure(info.message()) => {
                ApiError::Unavailable(info.message().to_string())
            }
            Error::BrokenTransactionManager => ApiError::Unavailable("broken transaction manager".into()),
            other => ApiError::Internal(other.into()),
        }
    }
}

fn is_connection_failure(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("database is locked")
        || m.contains("connection")
        || m.contains("terminating")
        || m.contains("server closed")
        || m.contains("shutting down")
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

/// Maps actix's JSON extractor errors to problems that name the defect.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let api = match &err {
        J::OverflowKnownLength { length, limit } => {
            ApiError::PayloadTooLarge(format!("body of {length} bytes exceeds the limit of {limit} bytes"))
        }
        J::Overflow { limit } => ApiError::PayloadTooLarge(format!("body exceeds the limit of {limit} bytes")),
        J::ContentType => ApiError::UnsupportedMediaType("expected Content-Type: application/json".into()),
        J::Deserialize(e) => {
            let (field, msg) = describe_serde_error(e);
            if e.is_syntax() || e.is_eof() {
                ApiError::BadRequest(format!("malformed JSON: {e}"))
            } else {
                ApiError::Validation {
                    message: format!("invalid request body: {e}"),
                    errors: vec![FieldError::new(field, msg)],
                }
            }
        }
        J::Payload(actix_web::error::PayloadError::Overflow) => ApiError::PayloadTooLarge("body too large".into()),
        other => ApiError::BadRequest(format!("could not read JSON body: {other}")),
    };
    api.into()
}

/// Picks the field name out of serde's messages (`unknown field `x``, `missing field `y``).
fn describe_serde_error(e: &serde_json::Error) -> (String, String) {
    let msg = e.to_string();
    let field = msg
        .split('`')
        .nth(1)
        .filter(|_| msg.starts_with("unknown field") || msg.starts_with("missing field"))
        .unwrap_or("body")
        .to_string();
    let short = msg.split(" at line").next().unwrap_or(&msg).to_string();
    (field, short)
}

pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    ApiError::Validation {
        message: format!("invalid query string: {err}"),
        errors: vec![FieldError::new("query", err.to_string())],
    }
    .into()
}

pub fn path_error(err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    ApiError::NotFound(format!("invalid path parameter: {err}")).into()
}

/// Documented error responses, so every operation lists what can go wrong.
pub mod responses {
    use std::collections::BTreeMap;

    use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

    fn problem(description: &str) -> RefOr<Response> {
        ResponseBuilder::new()
            .description(description)
            .content(super::PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
            .build()
            .into()
    }

    macro_rules! problem_set {
        ($(#[$doc:meta])* $name:ident: $($code:literal => $desc:literal),+ $(,)?) => {
            $(#[$doc])*
            pub struct $name;
            impl utoipa::IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    let mut m = BTreeMap::new();
                    $( m.insert($code.to_string(), problem($desc)); )+
                    m.insert("500".to_string(), problem("Internal error (opaque; quote the request id)"));
                    m.insert("503".to_string(), problem("Database or storage temporarily unavailable"));
                    m
                }
            }
        };
    }

    problem_set!(
        /// Errors of an operation that needs a signed-in member of the organisation.
        OrgErrors: "400" => "Invalid request (field-level `errors`)", "401" => "Missing, invalid or expired credentials",
        "403" => "The caller's role does not allow this", "404" => "Organisation or object not found");
    problem_set!(
        /// Errors of an operation that changes something that must stay unique.
        OrgWriteErrors: "400" => "Invalid request (field-level `errors`)", "401" => "Missing, invalid or expired credentials",
        "403" => "The caller's role does not allow this", "404" => "Organisation or object not found",
        "409" => "Conflicts with existing state", "413" => "Request body too large", "415" => "Unsupported content type");
    problem_set!(
        /// Errors of the customer portal API.
        PortalErrors: "400" => "Invalid request", "401" => "Private portal: missing, invalid, expired or revoked access token",
        "404" => "Portal (or object) not found, or not visible to this token", "429" => "Too many failed token attempts");
    problem_set!(
        /// Errors of a download by a member: those of [`OrgErrors`] and a failed `If-Match`.
        OrgDownloadErrors: "400" => "Invalid request (field-level `errors`)", "401" => "Missing, invalid or expired credentials",
        "403" => "The caller's role does not allow this", "404" => "Organisation or object not found",
        "412" => "If-Match does not name these bytes (their ETag is their SHA-256); nothing was sent");
    problem_set!(
        /// Errors of a customer's download: those of [`PortalErrors`] and a failed `If-Match`.
        PortalDownloadErrors: "400" => "Invalid request", "401" => "Private portal: missing, invalid, expired or revoked access token",
        "404" => "Portal (or object) not found, or not visible to this token",
        "412" => "If-Match does not name these bytes (their ETag is their SHA-256); nothing was sent or recorded",
        "429" => "Too many failed token attempts");
    problem_set!(
        /// Errors of a customer's write to the portal (an acknowledgement).
        PortalWriteErrors: "400" => "Invalid request (field-level `errors`)",
        "401" => "Missing, invalid, expired or revoked access token", "404" => "Portal or object not found, or not visible to this token",
        "409" => "Conflicts with the current state", "413" => "Request body too large", "415" => "Unsupported content type",
        "429" => "Too many failed token attempts");
    problem_set!(
        /// Errors of a write that is checked against the outside world (a webhook address) or
        /// generates documents: 422 names the defect.
        PortalCheckedWriteErrors: "400" => "Invalid request (field-level `errors`)",
        "401" => "Missing, invalid, expired or revoked access token", "404" => "Portal or object not found, or not visible to this token",
        "409" => "Conflicts with the current state", "413" => "Request body too large", "415" => "Unsupported content type",
        "422" => "Refused: the webhook URL is not https or resolves to a private address", "429" => "Too many failed token attempts");
    problem_set!(
        /// Errors of an organisation's write that is checked against the outside world or generates documents.
        OrgCheckedWriteErrors: "400" => "Invalid request (field-level `errors`)", "401" => "Missing, invalid or expired credentials",
        "403" => "The caller's role does not allow this", "404" => "Organisation or object not found",
        "409" => "Conflicts with existing state", "413" => "Request body too large", "415" => "Unsupported content type",
        "422" => "Refused: a webhook URL that is not https or resolves to a private address, or a generated document that fails validation");
    problem_set!(
        /// Errors of the portal sign-in.
        PortalLoginErrors: "400" => "Invalid request", "401" => "Unknown, expired or revoked access token",
        "404" => "Portal not found", "413" => "Request body too large", "415" => "Unsupported content type",
        "429" => "Too many attempts (see `Retry-After`)");
    problem_set!(
        /// Errors of an upload.
        UploadErrors: "400" => "Invalid request (field-level `errors`)", "401" => "Missing, invalid or expired credentials",
        "403" => "The caller's role or key scope does not allow this", "404" => "Organisation, product or version not found",
        "409" => "Conflicts with existing state", "413" => "Upload larger than PORTAL_MAX_UPLOAD_BYTES",
        "415" => "Unsupported Content-Type", "422" => "The document is not valid: `errors` lists the defects (JSON pointer, CSAF test)");
    problem_set!(
        /// Errors of an operation that only needs a signed-in user.
        AuthErrors: "401" => "Missing, invalid or expired credentials");
    problem_set!(
        /// Errors of the public sign-in and setup operations.
        PublicWriteErrors: "400" => "Invalid request (field-level `errors`)", "401" => "Invalid credentials",
        "409" => "Conflicts with existing state", "413" => "Request body too large", "415" => "Unsupported content type",
        "429" => "Too many attempts (see `Retry-After`)");
    /// Errors of the Transparency Exchange API: unknown objects are TEA's own
    /// `404 {"error":"OBJECT_UNKNOWN"}`; everything else is a problem document.
    pub struct TeaErrors;
    impl utoipa::IntoResponses for TeaErrors {
        fn responses() -> BTreeMap<String, RefOr<Response>> {
            let mut m = BTreeMap::new();
            m.insert("400".to_string(), problem("Invalid request (a malformed TEI, UUID or page parameter)"));
            m.insert("401".to_string(), problem("Private portal: missing, invalid, expired or revoked access token"));
            m.insert(
                "404".to_string(),
                ResponseBuilder::new()
                    .description("Unknown object, or not visible to this token (`OBJECT_UNKNOWN`)")
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("TeaError"))).build(),
                    )
                    .build()
                    .into(),
            );
            m.insert("429".to_string(), problem("Too many failed token attempts"));
            m.insert("500".to_string(), problem("Internal error (opaque; quote the request id)"));
            m.insert("503".to_string(), problem("Database or storage temporarily unavailable"));
            m
        }
    }

    problem_set!(
        /// Errors of read-only public operations.
        PublicReadErrors: "404" => "Not found");
}
