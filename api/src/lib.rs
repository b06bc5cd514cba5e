//! Supplier Portal: hand customers the security evidence the EU Cyber Resilience Act asks for.
//!
//! `build_app` assembles the one App used by the binary, the tests and the OpenAPI export.

pub mod accounts;
pub mod apikeys;
pub mod artifacts;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod checklist;
pub mod client;
pub mod config;
pub mod csaf;
pub mod db;
pub mod disclosure;
pub mod domain;
pub mod dtrack;
pub mod error;
pub mod frontdoor;
pub mod ids;
pub mod jobs;
pub mod notify;
pub mod openapi;
pub mod ops;
pub mod orgs;
pub mod paging;
pub mod password;
pub mod portal;
pub mod proxy;
pub mod publishing;
pub mod reply;
pub mod request;
pub mod routes;
pub mod security_txt;
pub mod spa;
pub mod state;
pub mod stats;
pub mod storage;
pub mod tea;
pub mod time;
pub mod validate;
pub mod vulns;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::BoxBody;
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpRequest, HttpServer};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, service_config::ServiceConfig, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::error::{problem_response, ApiError, PROBLEM_JSON};
use crate::state::AppState;
use crate::storage::LocalBlobStore;

/// Largest JSON request body accepted by the JSON API (uploads have their own, larger limit).
pub const JSON_LIMIT_BYTES: usize = 1024 * 1024;

/// Every `/api/v1` route, registered through utoipa so the document is the router.
fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(routes::orgs::configure)
        .configure(routes::auth::configure)
        .configure(routes::catalogue::configure)
        .configure(routes::artifacts::configure)
        .configure(routes::apikeys::configure)
        .configure(dtrack::routes::configure)
        .configure(portal::admin_routes::configure)
        .configure(portal::customer_routes::configure)
        .configure(frontdoor::routes::configure)
        .configure(portal::bundle::configure)
        .configure(routes::audit::configure)
        .configure(stats::routes::configure)
        .configure(csaf::routes::configure)
        .configure(csaf::admin_routes::configure)
        .configure(security_txt::configure)
        .configure(tea::routes::configure)
        .configure(checklist::routes::configure)
        .configure(vulns::routes::configure)
        .configure(notify::routes::configure)
        .configure(accounts::routes::configure)
        .configure(accounts::oidc::configure);
}

fn register(
    app: utoipa_actix_web::UtoipaApp<
        impl actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = ServiceResponse<BoxBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
) -> utoipa_actix_web::UtoipaApp<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    app.service(scope::scope("/api/v1").configure(api_v1))
        .configure(ops::configure)
        .configure(csaf::routes::configure_well_known)
        .configure(security_txt::configure_well_known)
        .configure(tea::routes::configure_well_known)
}

/// The OpenAPI document, generated from the same registrations that route requests.
pub fn openapi_spec() -> utoipa::openapi::OpenApi {
    let (_, api) = register(App::new().into_utoipa_app().openapi(openapi::ApiDoc::openapi())).split_for_parts();
    api
}

/// Everything a running server shares: state and the metrics registry.
#[derive(Clone)]
pub struct Context {
    pub state: web::Data<AppState>,
    pub auth: web::Data<auth::AuthState>,
    pub portal_guards: web::Data<portal::reader::PortalGuards>,
    pub access_requests: web::Data<frontdoor::AccessRequestLimiter>,
    pub reset_requests: web::Data<accounts::ResetRequestLimiter>,
    pub denied: web::Data<audit::denied::DeniedLog>,
    pub signals: web::Data<stats::signals::SignalCache>,
    /// Where the console comes from (decided once at start-up).
    pub spa: spa::Source,
    pub metrics: PrometheusMetrics,
}

/// Sends logs to stderr: human-readable, or one JSON object per line with `PORTAL_LOG_FORMAT=json`
/// (for production log pipelines). `RUST_LOG` filters (default `info`). Every request is one
/// line when its span closes (id, method, route, status, time taken); no client address.
pub fn init_logging() {
    use tracing_subscriber::fmt::format::FmtSpan;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn,tracing_actix_web=error"));
    let json = std::env::var("PORTAL_LOG_FORMAT").is_ok_and(|v| v.trim().eq_ignore_ascii_case("json"));
    let fmt =
        tracing_subscriber::fmt().with_env_filter(filter).with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr);
    let _ = if json { fmt.json().try_init() } else { fmt.try_init() };
}

/// The migration that introduced the artifact index ([`artifacts::index`]).
const ARTIFACT_INDEX_MIGRATION: &str = "20261201000017";

/// Applies pending migrations and fills what a migration added but SQL alone cannot derive (the
/// first TEA collection of older versions; the artifact index, once, when its migration runs).
/// Answers the migrations applied.
pub fn migrate(conn: &mut db::DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = db::run_migrations(conn)?;
    let backfilled = tea::collections::backfill(conn).map_err(|e| anyhow::anyhow!("TEA collections: {e}"))?;
    if backfilled > 0 {
        tracing::info!("recorded the first TEA collection of {backfilled} product version(s)");
    }
    if applied.iter().any(|m| m.chars().filter(char::is_ascii_digit).collect::<String>() == ARTIFACT_INDEX_MIGRATION) {
        let n =
            db::transaction(conn, artifacts::index::backfill).map_err(|e| anyhow::anyhow!("artifact index: {e}"))?;
        tracing::info!("indexed {n} artifact(s)");
    }
    db::refresh_statistics(conn, true)?;
    Ok(applied)
}

/// Opens the database (applying migrations), the blob store and the metrics registry.
pub fn prepare(mut settings: Settings) -> anyhow::Result<Context> {
    settings.prepare_data_dir().map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = db::build_pool(&settings.database_url, settings.db_pool_size)?;
    {
        let mut conn = pool.get().map_err(|e| {
            anyhow::anyhow!("cannot connect to the database at {}: {e}", config::redact_url(&settings.database_url))
        })?;
        for m in migrate(&mut conn)? {
            tracing::info!("applied migration {m}");
        }
    }
    let blobs: storage::BlobStore = match &settings.blob_store {
        Some(loc) => {
            let store = storage::S3BlobStore::new(loc, settings.data_dir.join("blob-uploads"))
                .map_err(|e| anyhow::anyhow!("PORTAL_BLOB_URL: {e}"))?;
            tracing::info!(bucket = %loc.bucket, prefix = %loc.prefix, "blobs in object storage");
            Arc::new(store)
        }
        None => Arc::new(
            LocalBlobStore::new(settings.blob_dir())
                .map_err(|e| {
                    anyhow::anyhow!(
                        "PORTAL_DATA_DIR: cannot create the blob store under {}: {e}",
                        settings.blob_dir().display()
                    )
                })?
                .handing_off_to(settings.accel_redirect.clone())
                .reading_on_threads_above(settings.threaded_reads_above),
        ),
    };
    let registry = prometheus::Registry::new();
    registry.register(Box::new(ops::PoolCollector::new(pool.clone(), "portal")?))?;
    let metrics = PrometheusMetricsBuilder::new("portal")
        .endpoint("/metrics")
        .registry(registry)
        .mask_unmatched_patterns("UNMATCHED")
        .build()
        .map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
    Ok(Context {
        auth: web::Data::new(auth::AuthState::new(&settings)),
        portal_guards: web::Data::new(portal::reader::PortalGuards::new(&settings)),
        access_requests: web::Data::new(frontdoor::AccessRequestLimiter::new(
            settings.portal_access_requests_per_ip_per_hour,
        )),
        reset_requests: web::Data::new(accounts::ResetRequestLimiter::default()),
        denied: web::Data::new(audit::denied::DeniedLog::default()),
        signals: web::Data::new(stats::signals::SignalCache::default()),
        spa: spa::Source::resolve(settings.frontend_dir.as_deref()),
        state: web::Data::new(AppState::new(
            settings,
            pool.clone(),
            db::group::GroupCommit::with_tail(pool, audit::rollups::Batched),
            blobs,
        )),
        metrics,
    })
}

/// Rewrites any error response that is not yet problem+json (actix's own 404/405/413 …).
fn problemize<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()))
        .unwrap_or(false);
    // TEA answers its own `{"error": "OBJECT_UNKNOWN"}` JSON, as its specification demands.
    let is_tea_json = res.request().path().contains("/tea/")
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes().starts_with(b"application/json"))
            .unwrap_or(false);
    if is_problem || is_tea_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match res.response().error() {
        Some(e) if status.is_client_error() => e.to_string(),
        _ => match status {
            StatusCode::NOT_FOUND => "no such resource".to_string(),
            StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed on this resource".to_string(),
            StatusCode::PAYLOAD_TOO_LARGE => "request body too large".to_string(),
            s => s.canonical_reason().unwrap_or("error").to_string(),
        },
    };
    let slug = status.canonical_reason().unwrap_or("error").to_ascii_lowercase().replace(' ', "-");
    let (req, old) = res.into_parts();
    let mut new = problem_response(status, &slug, detail, vec![]);
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = old.headers().get(&name) {
            new.headers_mut().insert(name, v.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, new).map_into_right_body()))
}

async fn not_found(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!("no route for {} {}", req.method(), req.path())))
}

/// Content-Security-Policy of the SPA: no inline script, nothing from elsewhere, no framing.
pub const SPA_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn add_security_headers<B>(mut res: ServiceResponse<B>) -> actix_web::Result<ServiceResponse<B>> {
    let swagger = res.request().path().starts_with("/swagger-ui");
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
    let csp = if swagger { "frame-ancestors 'none'" } else { SPA_CSP };
    h.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(csp));
    // Writes answer with secrets (sign-in, sessions, tokens, keys, webhook secrets): never cached.
    if !matches!(*res.request().method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD) {
        res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    // HSTS whenever the server itself terminates TLS.
    if res.request().app_config().secure() {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    Ok(res)
}

/// `/metrics` is for the operator: with `PORTAL_METRICS_TOKEN` only with that bearer token (401
/// otherwise), without it only to loopback clients (404 to everyone else).
fn metrics_refusal(req: &actix_web::dev::ServiceRequest) -> Option<ApiError> {
    let st = req.app_data::<web::Data<AppState>>()?;
    match &st.settings.metrics_token {
        Some(token) => {
            let given = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            let expected = secrecy::ExposeSecret::expose_secret(token);
            let ok = auth::secret::matches(given, expected);
            (!ok)
                .then(|| ApiError::Unauthorized("/metrics needs `Authorization: Bearer <PORTAL_METRICS_TOKEN>`".into()))
        }
        None => {
            let loopback = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
            (!loopback).then(|| ApiError::NotFound("no route for GET /metrics".into()))
        }
    }
}

/// Serves the built SPA: static files, and `index.html` for unknown non-API paths (client routes).
/// The one App: API, Swagger UI, metrics, health, problem+json errors and request ids.
pub fn build_app(
    ctx: Context,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = register(App::new().into_utoipa_app().openapi(openapi::ApiDoc::openapi())).split_for_parts();
    app.app_data(ctx.state.clone())
        .app_data(ctx.auth.clone())
        .app_data(ctx.portal_guards.clone())
        .app_data(ctx.access_requests.clone())
        .app_data(ctx.reset_requests.clone())
        .app_data(ctx.denied.clone())
        .app_data(ctx.signals.clone())
        .app_data(web::JsonConfig::default().limit(JSON_LIMIT_BYTES).error_handler(error::json_error))
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
        .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", api))
        .configure(spa::service(ctx.spa.clone()))
        .default_service(web::to(not_found))
        .wrap(ErrorHandlers::new().default_handler(problemize))
        .wrap_fn(|req, srv| {
            use actix_web::dev::Service;
            let fut = srv.call(req);
            async move { add_security_headers(fut.await?) }
        })
        // Refusals (401, 403, 429) counted for the aggregated `access.denied` audit events.
        .wrap_fn(|req, srv| {
            use actix_web::dev::Service;
            let fut = srv.call(req);
            async move {
                let res = fut.await?;
                if matches!(res.status().as_u16(), 401 | 403 | 429) {
                    if let Some(log) = res.request().app_data::<web::Data<audit::denied::DeniedLog>>() {
                        let client = client::ClientInfo::of(res.request());
                        log.note(
                            res.status().as_u16(),
                            res.request().path(),
                            res.request().match_pattern().as_deref(),
                            &client,
                        );
                    }
                }
                Ok(res)
            }
        })
        // Innermost first: metrics (serves /metrics itself), its guard, then logging and the request
        // id around everything, so every answer — refusals included — carries its request id.
        .wrap(ctx.metrics.clone())
        .wrap_fn(|req, srv| {
            use actix_web::dev::Service;
            use futures_util::future::{ready, Either};
            match (req.path() == "/metrics").then(|| metrics_refusal(&req)).flatten() {
                Some(err) => Either::Left(ready(Ok(req.error_response(err).map_into_right_body()))),
                None => {
                    let call = srv.call(req);
                    Either::Right(async move { call.await.map(ServiceResponse::map_into_left_body) })
                }
            }
        })
        .wrap(tracing_actix_web::TracingLogger::<request::RootSpan>::new())
        .wrap(request::RequestIdMiddleware)
}

/// Binds the HTTP server to a listener; the caller awaits (or spawns) it. With `handle_signals`,
/// SIGTERM/SIGINT stop accepting and drain in-flight requests (up to 30 s) before exiting.
pub fn serve(ctx: Context, listener: TcpListener, workers: usize, handle_signals: bool) -> std::io::Result<Server> {
    let tls = match &ctx.state.settings.tls {
        Some(files) => Some(tls_config(files).map_err(|e| std::io::Error::other(format!("{e:#}")))?),
        None => None,
    };
    jobs::spawn(ctx.state.clone().into_inner(), ctx.denied.clone().into_inner())
        .map_err(|e| std::io::Error::other(format!("{e:#}")))?;
    let mut server = HttpServer::new(move || build_app(ctx.clone())).workers(workers.max(1)).shutdown_timeout(30);
    if !handle_signals {
        server = server.disable_signals();
    }
    Ok(match tls {
        Some(cfg) => server.listen_rustls_0_23(listener, cfg)?.run(),
        None => server.listen(listener)?.run(),
    })
}

/// Native TLS (rustls with the ring provider; TLS 1.2 and 1.3) from PEM files.
pub fn tls_config(files: &config::TlsFiles) -> anyhow::Result<rustls::ServerConfig> {
    use anyhow::Context as _;
    use rustls::pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("PORTAL_TLS_CERT: cannot read certificates from {}", files.cert.display()))?;
    if certs.is_empty() {
        anyhow::bail!("PORTAL_TLS_CERT: {} holds no certificate", files.cert.display());
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("PORTAL_TLS_KEY: cannot read a private key from {}", files.key.display()))?;
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("PORTAL_TLS_CERT/PORTAL_TLS_KEY: the key does not match the certificate")
}
