//! The HTTP client the object store talks through: hyper's own client with fixed 64 KiB read
//! buffers, plugged into `object_store` as its [`HttpConnector`].
//!
//! Why not `object_store`'s default (reqwest): reqwest does not expose hyper's read-buffer
//! settings, and hyper's adaptive buffer grows to ~400 KiB per connection when the object store
//! answers faster than the customer reads. With 64 concurrent 50 MB downloads that was 50–60 MiB
//! of buffers (bench/REPORT.md §2). A fixed read size bounds each stream to what it holds in flight.
//! Everything else is the maintained stack reqwest itself uses (hyper-util, hyper-rustls).

use std::time::Duration;

use http_body_util::BodyExt;
use hyper_util::client::legacy::{connect::HttpConnector as Tcp, Client};
use hyper_util::rt::TokioExecutor;
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpRequestBody, HttpResponse, HttpResponseBody,
    HttpService,
};
use object_store::ClientOptions;

/// What one connection reads from the object store at a time.
pub const READ_BUFFER: usize = 32 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Until the response's head arrives; the body then streams as fast as the customer reads it.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Builds the client; `allow_http` as in the blob URL (https only unless it says otherwise).
#[derive(Debug, Clone, Copy)]
pub struct Connector {
    pub allow_http: bool,
}

impl HttpConnector for Connector {
    fn connect(&self, _options: &ClientOptions) -> object_store::Result<HttpClient> {
        let mut tcp = Tcp::new();
        tcp.enforce_http(false);
        tcp.set_connect_timeout(Some(CONNECT_TIMEOUT));
        tcp.set_nodelay(true);
        // The system's roots (and SSL_CERT_FILE, for a private CA); Mozilla's where there are none.
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let builder = match builder.with_native_roots() {
            Ok(b) => b,
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots(),
        };
        let https = if self.allow_http { builder.https_or_http() } else { builder.https_only() };
        let connector = https.enable_http1().wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new())
            .http1_read_buf_exact_size(READ_BUFFER)
            .pool_idle_timeout(IDLE_TIMEOUT)
            .build(connector);
        Ok(HttpClient::new(Hyper(client)))
    }
}

type Https = hyper_rustls::HttpsConnector<Tcp>;

#[derive(Debug)]
struct Hyper(Client<Https, HttpRequestBody>);

#[async_trait::async_trait]
impl HttpService for Hyper {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let res = match tokio::time::timeout(RESPONSE_TIMEOUT, self.0.request(req)).await {
            Err(elapsed) => return Err(HttpError::new(HttpErrorKind::Timeout, elapsed)),
            Ok(Err(e)) => {
                let kind = if e.is_connect() { HttpErrorKind::Connect } else { HttpErrorKind::Request };
                return Err(HttpError::new(kind, e));
            }
            Ok(Ok(res)) => res,
        };
        let (parts, body) = res.into_parts();
        let body = body.map_err(|e| HttpError::new(body_error_kind(&e), e));
        Ok(HttpResponse::from_parts(parts, HttpResponseBody::new(body)))
    }
}

/// How `object_store` reports a body that broke off (it resumes a download from where it stopped).
fn body_error_kind(e: &hyper::Error) -> HttpErrorKind {
    if e.is_timeout() {
        HttpErrorKind::Timeout
    } else if e.is_incomplete_message() || e.is_closed() || e.is_canceled() {
        HttpErrorKind::Interrupted
    } else {
        HttpErrorKind::Unknown
    }
}
