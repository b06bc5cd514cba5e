//! The console and customer portal (the built React SPA) served at `/`.
//!
//! The build is inside the binary (`rust-embed`: embedded in release builds, read from
//! `frontend/dist` next to the sources in debug builds), so the binary alone serves the whole
//! product from any directory. `PORTAL_FRONTEND_DIR` serves another build from disk instead.
//! Without either, start-up says so loudly and the console's pages answer 503 with the fix,
//! never a bare 404.

use actix_web::dev::{fn_service, HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use crate::error::ApiError;

#[derive(RustEmbed)]
#[folder = "../frontend/dist"]
#[allow_missing = true]
struct Build;

/// Paths that belong to the API: never answered with the SPA.
const API_PREFIXES: [&str; 7] =
    ["/api/", "/.well-known/", "/api-docs", "/swagger-ui", "/metrics", "/healthz", "/readyz"];

fn is_page_request(req: &HttpRequest) -> bool {
    let path = req.path();
    (req.method() == Method::GET || req.method() == Method::HEAD) && !API_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Where the SPA comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A build on disk (`PORTAL_FRONTEND_DIR`).
    Dir(std::path::PathBuf),
    /// The build inside the binary.
    Embedded,
    /// No build anywhere: pages answer 503 with what to do.
    Missing(String),
}

impl Source {
    /// Decides once at start-up, and says loudly when there is nothing to serve.
    pub fn resolve(dir: Option<&std::path::Path>) -> Source {
        match dir {
            Some(d) if d.join("index.html").is_file() => Source::Dir(d.to_path_buf()),
            Some(d) => {
                let why = format!(
                    "PORTAL_FRONTEND_DIR={} holds no index.html: build the SPA (`make build`) or unset it to use the one in the binary",
                    d.display()
                );
                tracing::error!("{why}");
                Source::Missing(why)
            }
            None if Build::get("index.html").is_some() => Source::Embedded,
            None => {
                let why = "this binary was built without the console (frontend/dist was empty at build time): run `make build`, or set PORTAL_FRONTEND_DIR to a built SPA".to_string();
                tracing::error!("{why}");
                Source::Missing(why)
            }
        }
    }
}

/// The service for `/` and every page path.
pub fn service(source: Source) -> Box<dyn FnOnce(&mut web::ServiceConfig)> {
    Box::new(move |cfg: &mut web::ServiceConfig| {
        match source {
            Source::Dir(dir) => cfg.service(from_dir(dir)),
            Source::Embedded => cfg.service(web::scope("").default_service(fn_service(|req: ServiceRequest| async {
                let (req, _) = req.into_parts();
                let res = embedded(&req);
                Ok(ServiceResponse::new(req, res))
            }))),
            Source::Missing(why) => {
                cfg.service(web::scope("").default_service(fn_service(move |req: ServiceRequest| {
                    let why = why.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        if !is_page_request(&req) {
                            let err = ApiError::NotFound(format!("no route for {} {}", req.method(), req.path()));
                            return Ok(ServiceResponse::from_err(err, req));
                        }
                        let res = crate::error::problem_response(
                            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                            "console-not-built",
                            why,
                            Vec::new(),
                        );
                        Ok(ServiceResponse::new(req, res))
                    }
                })))
            }
        };
    })
}

/// A file of the embedded build, or `index.html` for a page path (client-side routes).
fn embedded(req: &HttpRequest) -> HttpResponse {
    if !is_page_request(req) {
        let err = ApiError::NotFound(format!("no route for {} {}", req.method(), req.path()));
        return actix_web::ResponseError::error_response(&err);
    }
    let path = req.path().trim_start_matches('/');
    let (name, file) = match Build::get(path).filter(|_| !path.is_empty()) {
        Some(f) => (path, f),
        None => match Build::get("index.html") {
            Some(f) => ("index.html", f),
            None => return HttpResponse::ServiceUnavailable().finish(),
        },
    };
    let etag = format!("\"{}\"", hex::encode(file.metadata.sha256_hash()));
    // Vite names assets by content: they never change under their name.
    let cache = if name.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if matches { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, cache));
    if matches {
        return res.finish();
    }
    res.content_type(file.metadata.mimetype()).body(file.data.into_owned())
}

fn from_dir(dir: std::path::PathBuf) -> impl HttpServiceFactory {
    let index = dir.join("index.html");
    actix_files::Files::new("/", dir).index_file("index.html").use_etag(true).default_handler(fn_service(
        move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                if !is_page_request(&req) {
                    let err = ApiError::NotFound(format!("no route for {} {}", req.method(), req.path()));
                    return Ok(ServiceResponse::from_err(err, req));
                }
                let file = actix_files::NamedFile::open_async(&index).await?;
                let res = file.into_response(&req);
                Ok(ServiceResponse::new(req, res))
            }
        },
    ))
}
