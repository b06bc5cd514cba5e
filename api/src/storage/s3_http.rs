//! The HTTP client the object store talks through: hyper's own client with fixed 32 KiB read
//! buffers, plugged into `object_store` as its [`HttpConnector`].
//!
//! Why not `object_store`'s default (reqwest): reqwest does not expose hyper's read-buffer
//! settings, and hyper's adaptive buffer grows to ~400 KiB per connection when the object store
//! answers faster than the customer reads. With 64 concurrent 50 MB downloads that was 50–60 MiB
//! of buffers (bench/REPORT.md §2). A fixed read size bounds each stream to what it holds in flight.
//! Everything else is the maintained stack reqwest itself uses (hyper-util, hyper-rustls).
//!
//! `object_store` builds its credential clients (instance metadata, ECS, EKS) through the same
//! connector with their own options, so the options passed in decide plain HTTP. Behind an HTTP
//! proxy (`HTTPS_PROXY` and friends, or `proxy_url`) the default reqwest client is used, which
//! speaks to proxies; this client does not.

use std::time::Duration;

use futures_util::StreamExt;
use http_body_util::{BodyStream, StreamBody};
use hyper_util::client::legacy::{connect::HttpConnector as Tcp, Client};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpRequestBody, HttpResponse, HttpResponseBody,
    HttpService, ReqwestConnector,
};
use object_store::{ClientConfigKey, ClientOptions};

/// What one connection reads from the object store at a time.
pub const READ_BUFFER: usize = 32 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Until the response's head arrives, and then between two pieces of its body: a store that
/// stalls fails the read (a download resumes from where it stopped) instead of hanging it.
const STALL_TIMEOUT: Duration = Duration::from_secs(30);
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
const KEEPALIVE: Duration = Duration::from_secs(60);

/// Builds the client for each set of options `object_store` asks with.
#[derive(Debug, Clone, Copy, Default)]
pub struct Connector;

impl HttpConnector for Connector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let proxy_in_env = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
        if proxy_in_env || options.get_config_value(&ClientConfigKey::ProxyUrl).is_some() {
            return ReqwestConnector::default().connect(options);
        }
        let allow_http = options.get_config_value(&ClientConfigKey::AllowHttp).as_deref() == Some("true");
        let mut tcp = Tcp::new();
        tcp.enforce_http(false);
        tcp.set_connect_timeout(Some(CONNECT_TIMEOUT));
        tcp.set_keepalive(Some(KEEPALIVE));
        tcp.set_nodelay(true);
        // The system's roots (and SSL_CERT_FILE, for a private CA); Mozilla's where there are none.
        let builder = match hyper_rustls::HttpsConnectorBuilder::new().with_native_roots() {
            Ok(b) => b,
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots(),
        };
        let https = if allow_http { builder.https_or_http() } else { builder.https_only() };
        let connector = https.enable_http1().wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new())
            .http1_read_buf_exact_size(READ_BUFFER)
            .pool_idle_timeout(IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new())
            .build(connector);
        Ok(HttpClient::new(Hyper { client, allow_http }))
    }
}

type Https = hyper_rustls::HttpsConnector<Tcp>;

#[derive(Debug)]
struct Hyper {
    client: Client<Https, HttpRequestBody>,
    allow_http: bool,
}

#[async_trait::async_trait]
impl HttpService for Hyper {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        if !self.allow_http && req.uri().scheme_str() == Some("http") {
            // A configuration error: said at once, not retried as a failed connection.
            let why = format!("{}: plain http is not allowed (allow_http=true in PORTAL_BLOB_URL)", req.uri());
            return Err(HttpError::new(HttpErrorKind::Unknown, std::io::Error::other(why)));
        }
        let res = match tokio::time::timeout(STALL_TIMEOUT, self.client.request(req)).await {
            Err(elapsed) => return Err(HttpError::new(HttpErrorKind::Timeout, elapsed)),
            Ok(Err(e)) => return Err(HttpError::new(kind_of(&e), e)),
            Ok(Ok(res)) => res,
        };
        let (parts, body) = res.into_parts();
        // Each piece of the body within STALL_TIMEOUT of the one before.
        let frames = BodyStream::new(body).map(|f| f.map_err(|e| HttpError::new(kind_of(&e), e)));
        let frames = futures_util::stream::unfold(Box::pin(frames), |mut frames| async move {
            match tokio::time::timeout(STALL_TIMEOUT, frames.next()).await {
                Ok(next) => next.map(|f| (f, frames)),
                Err(elapsed) => Some((Err(HttpError::new(HttpErrorKind::Timeout, elapsed)), frames)),
            }
        });
        Ok(HttpResponse::from_parts(parts, HttpResponseBody::new(StreamBody::new(frames))))
    }
}

/// How `object_store` should treat a failure, as it classifies reqwest's: whether the request may
/// have reached the store decides whether a non-idempotent one (completing a multipart upload) is
/// sent again.
fn kind_of(e: &(dyn std::error::Error + 'static)) -> HttpErrorKind {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cause {
        if let Some(e) = err.downcast_ref::<hyper_util::client::legacy::Error>() {
            if e.is_connect() {
                // Refused, unreachable or TLS failed: nothing was sent.
                return HttpErrorKind::Connect;
            }
        }
        if let Some(e) = err.downcast_ref::<hyper::Error>() {
            if e.is_timeout() {
                return HttpErrorKind::Timeout;
            }
            if e.is_canceled() || e.is_closed() || e.is_incomplete_message() || e.is_body_write_aborted() {
                return HttpErrorKind::Request;
            }
            if e.is_parse() || e.is_parse_status() {
                return HttpErrorKind::Decode;
            }
        }
        if let Some(e) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match e.kind() {
                TimedOut => return HttpErrorKind::Timeout,
                ConnectionAborted | ConnectionReset | BrokenPipe | UnexpectedEof => return HttpErrorKind::Interrupted,
                _ => {}
            }
        }
        cause = err.source();
    }
    HttpErrorKind::Unknown
}
