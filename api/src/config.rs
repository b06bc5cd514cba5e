//! Typed settings from the environment (read through figment). A bad value stops startup with a
//! message naming the variable.
//! Secrets (the JWT key) are wrapped so they never reach a log.
//!
//! Longer than 400 lines on purpose: every setting of the product is declared, defaulted and
//! checked here, in one place an operator can read.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use rand::RngCore;
use secrecy::ExposeSecret;

/// Which database a URL points at; chosen from the URL scheme, never by trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    pub variable: String,
    pub reason: String,
}

impl ConfigError {
    fn new(variable: &str, reason: impl Into<String>) -> Self {
        Self { variable: variable.into(), reason: reason.into() }
    }

    /// A value figment could not read as its field's type, named by its variable.
    fn of(e: figment::Error) -> Self {
        let key = e.path.last().cloned().unwrap_or_default();
        Self { variable: format!("PORTAL_{}", key.to_ascii_uppercase()), reason: e.kind.to_string() }
    }
}

/// A secret key (`secrecy`): zeroised on drop, never printed by Debug.
pub type Secret = secrecy::SecretSlice<u8>;

fn secret(bytes: Vec<u8>) -> Secret {
    Secret::from(bytes)
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub backend: Backend,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub public_url: String,
    pub jwt_secret: Secret,
    pub max_upload_bytes: u64,
    pub db_pool_size: u32,
    /// Login attempts allowed per client IP per minute.
    pub login_attempts_per_ip_per_minute: u32,
    /// Failed sign-ins per (account, client address) before each further one doubles the wait.
    pub login_attempts_per_account_per_minute: u32,
    /// Portal session creations allowed per client IP per minute.
    pub portal_sessions_per_ip_per_minute: u32,
    /// Failed access-token presentations allowed per client IP per minute.
    pub portal_token_failures_per_ip_per_minute: u32,
    /// Access requests from a portal's landing page per client address group per hour.
    pub portal_access_requests_per_ip_per_hour: u32,
    /// Customer reads (every portal, CSAF and TEA request) per access token and per client
    /// address group per minute.
    pub portal_reads_per_token_per_minute: u32,
    pub portal_reads_per_ip_per_minute: u32,
    /// Blob garbage collection: how often each server process runs it (hours; 0: never) and how
    /// old an unreferenced blob must be before it is removed (hours).
    pub gc_interval_hours: u64,
    pub gc_grace_hours: u64,
    /// Lifetime of a portal session JWT (seconds).
    pub portal_session_ttl_secs: i64,
    /// Sharing signal: more distinct client addresses than this for one token within 24 h.
    pub sharing_max_ips: i64,
    /// Sharing signal: more than this factor × a token's usual daily downloads within 24 h…
    pub sharing_volume_factor: f64,
    /// …and at least this many downloads.
    pub sharing_min_downloads: i64,
    /// Absolute lifetime of a member session (seconds).
    pub session_ttl_secs: i64,
    /// A member session ends after this many seconds without a request.
    pub session_idle_secs: i64,
    /// A built SPA on disk to serve at `/` instead of the one inside the binary.
    pub frontend_dir: Option<PathBuf>,
    /// Whether `PORTAL_PUBLIC_URL` was given (then it wins over any forwarded header).
    pub public_url_configured: bool,
    /// Native TLS: certificate chain and private key (PEM).
    pub tls: Option<TlsFiles>,
    /// Reverse proxies whose `X-Forwarded-For/-Proto/-Host` headers are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The portal served at the instance's `/.well-known/` URLs (CSAF, TEA, security.txt);
    /// unset: the only enabled portal, if exactly one is.
    pub default_portal: Option<String>,
    /// Seals the organisations' OpenPGP secret keys at rest (resolved like the JWT key).
    pub key_encryption_key: Secret,
    /// Notifications: where e-mail goes and how deliveries are retried.
    pub notify: NotifySettings,
    /// The one-time code `POST /api/v1/setup` needs (`PORTAL_SETUP_CODE`, or generated and printed
    /// at start when the server listens on anything but loopback). None: loopback, no code.
    pub setup_code: Option<secrecy::SecretString>,
    /// `PORTAL_METRICS_TOKEN`: `/metrics` answers only with `Authorization: Bearer <it>`; unset,
    /// only to loopback clients.
    pub metrics_token: Option<secrecy::SecretString>,
    /// Client addresses and user agents are erased from audit events (and sessions, rollups,
    /// tokens' last use) older than this many days (`PORTAL_AUDIT_PERSONAL_DATA_DAYS`, 400).
    pub audit_personal_data_days: i64,
    /// How often counted refusals are written as `access.denied` events (seconds, 60).
    pub denied_flush_secs: u64,
    /// `PORTAL_ALLOWED_HOSTS`: without `PORTAL_PUBLIC_URL`, the `Host` (or a trusted proxy's
    /// `X-Forwarded-Host`) names the origin printed into URLs only when it is one of these.
    pub allowed_hosts: Vec<String>,
    /// Single sign-on for organisation members (`PORTAL_OIDC_*`); None: password sign-in only.
    pub oidc: Option<OidcSettings>,
    /// `PORTAL_BLOB_URL`: blobs on S3-compatible object storage; None: under the data directory.
    pub blob_store: Option<crate::storage::S3Location>,
    /// `PORTAL_ACCEL_REDIRECT`: the internal location of the reverse proxy in front that serves
    /// the local blob directory (nginx `X-Accel-Redirect`). Downloads are checked and recorded
    /// here, then the proxy sends the bytes with `sendfile`. Unset: the portal sends them.
    pub accel_redirect: Option<String>,
    /// `PORTAL_THREADED_READS_ABOVE` (bytes): downloads of local files whose response (the whole
    /// file, or the range asked for) is larger than this are read on the blocking thread pool,
    /// 64 KiB at a time. Unset: every file is read on the worker that sends it, from the page
    /// cache, as nginx does without `aio threads`; set it when blobs live on a disk slow enough
    /// that a read would stall the other requests of a worker.
    pub threaded_reads_above: Option<u64>,
}

/// An OpenID Connect provider for members' sign-in (authorization code flow with PKCE).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// `PORTAL_OIDC_ISSUER`: the issuer URL (discovery at `/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: secrecy::SecretString,
    /// What the sign-in button says (`PORTAL_OIDC_NAME`, "single sign-on").
    pub name: String,
}

/// The delivery worker's settings (`PORTAL_SMTP_URL`, `PORTAL_MAIL_FROM`, `PORTAL_WEBHOOK_*`,
/// `PORTAL_NOTIFY_*`).
#[derive(Debug, Clone)]
pub struct NotifySettings {
    /// `smtp://host:port` (plain), `smtp://…?tls=required` (STARTTLS) or `smtps://host` (TLS),
    /// credentials in the URL's user info. None: e-mails are held in the outbox.
    pub smtp_url: Option<secrecy::SecretString>,
    pub mail_from: String,
    /// Allow webhooks to loopback, private and link-local addresses, and plain http (tests, labs).
    pub webhook_allow_private: bool,
    pub webhook_timeout_secs: u64,
    /// First retry after this many seconds, doubling per attempt (capped at an hour).
    pub retry_base_secs: i64,
    /// Attempts before a notification is dead-lettered.
    pub max_attempts: i32,
    /// How often the worker looks for due notifications (milliseconds).
    pub poll_ms: u64,
    /// How often scheduled checks run (token expiry, deadline reminders), in seconds.
    pub jobs_interval_secs: u64,
    /// Admins are reminded of a clock this many hours before its deadline.
    pub reminder_hours: i64,
}

#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 100 * 1024 * 1024;

/// The environment as figment reads it: `PORTAL_` variables, prefix stripped and lowercased,
/// empty values left out. Every field is optional; defaults and checks are in [`Settings`].
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Raw {
    data_dir: Option<String>,
    database_url: Option<String>,
    bind: Option<String>,
    tls_cert: Option<String>,
    tls_key: Option<String>,
    trusted_proxies: Option<String>,
    key_encryption_key: Option<String>,
    public_url: Option<String>,
    max_upload_bytes: Option<u64>,
    db_pool_size: Option<u32>,
    jwt_secret: Option<String>,
    login_attempts_per_ip: Option<u32>,
    login_attempts_per_account: Option<u32>,
    customer_sessions_per_ip: Option<u32>,
    token_failures_per_ip: Option<u32>,
    access_requests_per_ip: Option<u32>,
    customer_reads_per_token: Option<u32>,
    customer_reads_per_ip: Option<u32>,
    gc_interval_hours: Option<u64>,
    gc_grace_hours: Option<u64>,
    customer_session_ttl_secs: Option<i64>,
    sharing_max_ips: Option<i64>,
    sharing_volume_factor: Option<f64>,
    sharing_min_downloads: Option<i64>,
    session_ttl_secs: Option<i64>,
    session_idle_secs: Option<i64>,
    frontend_dir: Option<String>,
    default_portal: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    webhook_allow_private: Option<bool>,
    webhook_timeout_secs: Option<u64>,
    notify_retry_base_secs: Option<i64>,
    notify_max_attempts: Option<i32>,
    notify_poll_ms: Option<u64>,
    notify_jobs_interval_secs: Option<u64>,
    notify_reminder_hours: Option<i64>,
    setup_code: Option<String>,
    metrics_token: Option<String>,
    audit_personal_data_days: Option<i64>,
    denied_flush_secs: Option<u64>,
    allowed_hosts: Option<String>,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_client_secret: Option<String>,
    oidc_name: Option<String>,
    blob_url: Option<String>,
    accel_redirect: Option<String>,
    threaded_reads_above: Option<u64>,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
}

impl Raw {
    /// Reads `PORTAL_*` pairs (the process environment, or a map in tests) through figment.
    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Raw, ConfigError> {
        use figment::value::{Dict, Value};
        let dict: Dict = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .filter_map(|(k, v)| {
                let key = k.strip_prefix("PORTAL_")?.to_ascii_lowercase();
                Some((key, v.trim().parse::<Value>().unwrap_or_else(|_| Value::from(v.to_string()))))
            })
            .collect();
        figment::Figment::from(figment::providers::Serialized::globals(dict)).extract().map_err(ConfigError::of)
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let vars: Vec<(String, String)> = std::env::vars().filter(|(k, _)| k.starts_with("PORTAL_")).collect();
        Self::from_raw(Raw::from_pairs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))?)
    }

    /// Settings from `PORTAL_*` pairs (tests and tools that run a server in-process).
    pub fn from_source<S: std::hash::BuildHasher>(
        src: &std::collections::HashMap<String, String, S>,
    ) -> Result<Self, ConfigError> {
        Self::from_raw(Raw::from_pairs(src.iter().map(|(k, v)| (k.as_str(), v.as_str())))?)
    }

    fn from_raw(raw: Raw) -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(raw.data_dir.unwrap_or_else(|| "./data".into()));
        let database_url =
            raw.database_url.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("portal.db").display()));
        let backend = backend_of(&database_url).map_err(|reason| ConfigError::new("PORTAL_DATABASE_URL", reason))?;
        let bind_raw = raw.bind.unwrap_or_else(|| DEFAULT_BIND.into());
        let bind: SocketAddr = bind_raw.parse().map_err(|e| {
            ConfigError::new("PORTAL_BIND", format!("`{bind_raw}` is not a socket address like 127.0.0.1:8080 ({e})"))
        })?;
        let (cert, key) = (raw.tls_cert, raw.tls_key);
        for (var, path) in [("PORTAL_TLS_CERT", &cert), ("PORTAL_TLS_KEY", &key)] {
            if let Some(path) = path.as_deref().filter(|p| !Path::new(p).is_file()) {
                return Err(ConfigError::new(var, format!("`{path}` is not a readable file")));
            }
        }
        let tls = match (cert, key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert: cert.into(), key: key.into() }),
            (Some(_), None) => return Err(ConfigError::new("PORTAL_TLS_KEY", "must be set with PORTAL_TLS_CERT")),
            (None, Some(_)) => return Err(ConfigError::new("PORTAL_TLS_CERT", "must be set with PORTAL_TLS_KEY")),
            (None, None) => None,
        };
        let trusted_proxies = match raw.trusted_proxies {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<ipnet::IpNet>()
                        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|_| {
                            ConfigError::new(
                                "PORTAL_TRUSTED_PROXIES",
                                format!("`{s}` is not an IP address or CIDR network (e.g. 10.0.0.0/8)"),
                            )
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        let key_encryption_key = match raw.key_encryption_key {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::new("PORTAL_KEY_ENCRYPTION_KEY", "must be at least 32 characters"))
            }
            Some(s) => secret(s.into_bytes()),
            None => secret(Vec::new()), // resolved by `prepare_data_dir`
        };
        let public_url_configured = raw.public_url.is_some();
        let public_url = match raw.public_url {
            Some(u) => {
                let trimmed = u.trim_end_matches('/').to_string();
                if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) || trimmed.len() < 10 {
                    return Err(ConfigError::new(
                        "PORTAL_PUBLIC_URL",
                        format!("`{u}` must be an absolute http(s) URL"),
                    ));
                }
                trimmed
            }
            None => format!("{}://{bind}", if tls.is_some() { "https" } else { "http" }),
        };
        let max_upload_bytes = raw.max_upload_bytes.unwrap_or(DEFAULT_MAX_UPLOAD_BYTES);
        if max_upload_bytes < 1024 {
            return Err(ConfigError::new("PORTAL_MAX_UPLOAD_BYTES", "must be at least 1024 bytes"));
        }
        let db_pool_size = raw.db_pool_size.unwrap_or(16);
        if db_pool_size == 0 {
            return Err(ConfigError::new("PORTAL_DB_POOL_SIZE", "must be at least 1"));
        }
        let jwt_secret = match raw.jwt_secret {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::new("PORTAL_JWT_SECRET", "must be at least 32 characters"))
            }
            Some(s) => secret(s.into_bytes()),
            None => secret(Vec::new()), // resolved by `ensure_jwt_secret` once the data dir exists
        };
        if let Some(u) = raw.smtp_url.as_deref() {
            if !(u.starts_with("smtp://") || u.starts_with("smtps://")) {
                return Err(ConfigError::new("PORTAL_SMTP_URL", "must be smtp://host:port or smtps://host:port"));
            }
        }
        let mail_from = raw.mail_from.unwrap_or_else(|| "Supplier Portal <portal@localhost>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::new(
                "PORTAL_MAIL_FROM",
                format!("`{mail_from}` is not a mailbox like `ACME Security <security@acme.example>`"),
            ));
        }
        let notify = NotifySettings {
            smtp_url: raw.smtp_url.map(secrecy::SecretString::from),
            mail_from,
            webhook_allow_private: raw.webhook_allow_private.unwrap_or(false),
            webhook_timeout_secs: raw.webhook_timeout_secs.unwrap_or(10).clamp(1, 120),
            retry_base_secs: raw.notify_retry_base_secs.unwrap_or(30).clamp(1, 3600),
            max_attempts: raw.notify_max_attempts.unwrap_or(8).clamp(1, 50),
            poll_ms: raw.notify_poll_ms.unwrap_or(1000).clamp(50, 60_000),
            jobs_interval_secs: raw.notify_jobs_interval_secs.unwrap_or(300).clamp(1, 86_400),
            reminder_hours: raw.notify_reminder_hours.unwrap_or(12).clamp(1, 720),
        };
        let setup_code = match raw.setup_code {
            Some(c) if c.trim().len() < 12 => {
                return Err(ConfigError::new("PORTAL_SETUP_CODE", "must be at least 12 characters"))
            }
            Some(c) => Some(secrecy::SecretString::from(c.trim().to_string())),
            // Anyone who reaches a non-loopback address could otherwise claim the instance.
            None if !bind.ip().is_loopback() => {
                use base64::Engine;
                let mut b = [0u8; 12];
                rand::rngs::OsRng.fill_bytes(&mut b);
                Some(secrecy::SecretString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)))
            }
            None => None,
        };
        let metrics_token = raw.metrics_token.map(|t| secrecy::SecretString::from(t.trim().to_string()));
        let audit_personal_data_days = raw.audit_personal_data_days.unwrap_or(400);
        if audit_personal_data_days < 1 {
            return Err(ConfigError::new("PORTAL_AUDIT_PERSONAL_DATA_DAYS", "must be at least 1 (day)"));
        }
        let allowed_hosts = raw
            .allowed_hosts
            .unwrap_or_default()
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        let oidc = match (raw.oidc_issuer, raw.oidc_client_id, raw.oidc_client_secret) {
            (None, None, None) => None,
            (Some(issuer), Some(client_id), Some(secret)) => {
                let issuer = issuer.trim_end_matches('/').to_string();
                if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
                    return Err(ConfigError::new("PORTAL_OIDC_ISSUER", format!("`{issuer}` must be an http(s) URL")));
                }
                Some(OidcSettings {
                    issuer,
                    client_id,
                    client_secret: secrecy::SecretString::from(secret),
                    name: raw.oidc_name.unwrap_or_else(|| "single sign-on".into()),
                })
            }
            _ => return Err(ConfigError::new(
                "PORTAL_OIDC_ISSUER",
                "single sign-on needs PORTAL_OIDC_ISSUER, PORTAL_OIDC_CLIENT_ID and PORTAL_OIDC_CLIENT_SECRET together",
            )),
        };
        let blob_store = match raw.blob_url {
            None => None,
            Some(u) => {
                let mut loc = crate::storage::S3Location::parse(u.trim())
                    .map_err(|why| ConfigError::new("PORTAL_BLOB_URL", why))?;
                loc.access_key_id = raw.s3_access_key_id;
                loc.secret_access_key = raw.s3_secret_access_key.map(secrecy::SecretString::from);
                Some(loc)
            }
        };
        let accel_redirect = match raw.accel_redirect.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()) {
            None => None,
            Some(_) if blob_store.is_some() => {
                return Err(ConfigError::new(
                    "PORTAL_ACCEL_REDIRECT",
                    "hands local files to the proxy in front; with PORTAL_BLOB_URL the blobs are not local",
                ))
            }
            Some(p)
                if p.starts_with('/') && p.ends_with('/') && !p.contains("..") && !p.contains(char::is_whitespace) =>
            {
                Some(p)
            }
            Some(p) => {
                return Err(ConfigError::new(
                    "PORTAL_ACCEL_REDIRECT",
                    format!(
                        "`{p}` is not a URI path that starts and ends with `/` (an internal location of the proxy)"
                    ),
                ))
            }
        };
        Ok(Settings {
            accel_redirect,
            threaded_reads_above: raw.threaded_reads_above,
            blob_store,
            audit_personal_data_days,
            denied_flush_secs: raw.denied_flush_secs.unwrap_or(60).clamp(1, 3600),
            allowed_hosts,
            oidc,
            setup_code,
            metrics_token,
            notify,
            database_url,
            backend,
            bind,
            data_dir,
            public_url,
            jwt_secret,
            max_upload_bytes,
            db_pool_size,
            login_attempts_per_ip_per_minute: raw.login_attempts_per_ip.unwrap_or(30).max(1),
            login_attempts_per_account_per_minute: raw.login_attempts_per_account.unwrap_or(5).max(1),
            portal_sessions_per_ip_per_minute: raw.customer_sessions_per_ip.unwrap_or(30).max(1),
            portal_token_failures_per_ip_per_minute: raw.token_failures_per_ip.unwrap_or(20).max(1),
            portal_access_requests_per_ip_per_hour: raw.access_requests_per_ip.unwrap_or(5).max(1),
            portal_reads_per_token_per_minute: raw.customer_reads_per_token.unwrap_or(1200).max(1),
            portal_reads_per_ip_per_minute: raw.customer_reads_per_ip.unwrap_or(2400).max(1),
            gc_interval_hours: raw.gc_interval_hours.unwrap_or(6).min(24 * 30),
            gc_grace_hours: raw.gc_grace_hours.unwrap_or(24).clamp(1, 24 * 365),
            portal_session_ttl_secs: raw.customer_session_ttl_secs.unwrap_or(3600).max(60),
            sharing_max_ips: raw.sharing_max_ips.unwrap_or(5).max(1),
            sharing_volume_factor: raw.sharing_volume_factor.unwrap_or(10.0).max(1.0),
            sharing_min_downloads: raw.sharing_min_downloads.unwrap_or(20).max(1),
            session_ttl_secs: raw.session_ttl_secs.unwrap_or(8 * 3600).max(60),
            session_idle_secs: raw.session_idle_secs.unwrap_or(30 * 60).max(2),
            frontend_dir: raw.frontend_dir.filter(|d| !d.is_empty()).map(PathBuf::from),
            public_url_configured,
            tls,
            trusted_proxies,
            default_portal: raw.default_portal.map(|s| s.trim().to_string()),
            key_encryption_key,
        })
    }

    /// The key-encryption key's bytes (`auth::seal`).
    pub fn kek(&self) -> &[u8] {
        self.key_encryption_key.expose_secret()
    }

    pub fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    /// Creates the data directory and, when no `PORTAL_JWT_SECRET` was given, loads or generates
    /// the persisted key (`<data>/jwt.key`, mode 0600) so restarts keep sessions valid.
    pub fn prepare_data_dir(&mut self) -> Result<(), ConfigError> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| {
            ConfigError::new("PORTAL_DATA_DIR", format!("cannot create {}: {e}", self.data_dir.display()))
        })?;
        if self.jwt_secret.expose_secret().is_empty() {
            self.jwt_secret = load_or_create_key(&self.data_dir.join("jwt.key")).map_err(|e| {
                ConfigError::new(
                    "PORTAL_JWT_SECRET",
                    format!("unset, and the generated key could not be stored in the data dir: {e}"),
                )
            })?;
        }
        if self.key_encryption_key.expose_secret().is_empty() {
            self.key_encryption_key = load_or_create_key(&self.data_dir.join("keyring.key")).map_err(|e| {
                ConfigError::new(
                    "PORTAL_KEY_ENCRYPTION_KEY",
                    format!("unset, and the generated key could not be stored in the data dir: {e}"),
                )
            })?;
        }
        Ok(())
    }
}

/// The backend a database URL names.
pub fn backend_of(url: &str) -> Result<Backend, String> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(format!("unsupported scheme in `{}`: use sqlite://<path> or postgres://…", redact_url(url)))
    }
}

/// The filesystem path of a `sqlite://` URL (`sqlite://./data/x.db`, `sqlite:///abs/x.db`, `sqlite:x.db`).
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url)
}

/// A database URL with any password replaced, fit for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Loads the key at `path`, or creates it. Replicas starting together on a shared data directory
/// agree on one key: each writes its candidate to a temp file of its own and publishes it with a
/// hard link, which fails when another process won; the loser then reads the winner's key.
fn load_or_create_key(path: &Path) -> std::io::Result<Secret> {
    if let Ok(existing) = std::fs::read(path) {
        if existing.len() >= 32 {
            return Ok(secret(existing));
        }
    }
    let mut key = vec![0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let mut suffix = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut suffix);
    let tmp = path.with_extension(format!("key.{}.tmp", hex::encode(suffix)));
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(&key)?;
        f.sync_all()?;
    }
    let published = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match published {
        Ok(()) => Ok(secret(key)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let existing = std::fs::read(path)?;
            if existing.len() < 32 {
                return Err(std::io::Error::other(format!("{} holds a key shorter than 32 bytes", path.display())));
            }
            Ok(secret(existing))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn src(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_use_sqlite_under_data() {
        let s = Settings::from_source(&src(&[])).unwrap();
        assert_eq!(s.backend, Backend::Sqlite);
        assert_eq!(s.database_url, "sqlite://./data/portal.db");
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(s.max_upload_bytes, DEFAULT_MAX_UPLOAD_BYTES);
        assert_eq!(s.threaded_reads_above, None, "downloads are read on the worker unless asked");
        let s = Settings::from_source(&src(&[("PORTAL_THREADED_READS_ABOVE", "2097152")])).unwrap();
        assert_eq!(s.threaded_reads_above, Some(2 * 1024 * 1024));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (k, v) in [
            ("PORTAL_DATABASE_URL", "mysql://x"),
            ("PORTAL_BIND", "nope"),
            ("PORTAL_PUBLIC_URL", "ftp://x"),
            ("PORTAL_MAX_UPLOAD_BYTES", "ten"),
            ("PORTAL_JWT_SECRET", "short"),
            ("PORTAL_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"),
            ("PORTAL_TLS_CERT", "/nonexistent/cert.pem"),
            ("PORTAL_KEY_ENCRYPTION_KEY", "short"),
            ("PORTAL_THREADED_READS_ABOVE", "2MB"),
        ] {
            let err = Settings::from_source(&src(&[(k, v)])).unwrap_err();
            assert_eq!(err.variable, k);
            assert!(err.to_string().starts_with(k));
        }
    }

    #[test]
    fn replicas_starting_together_agree_on_one_generated_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt.key");
        let keys: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8).map(|_| s.spawn(|| load_or_create_key(&path).unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap().expose_secret().to_vec()).collect()
        });
        assert!(keys.iter().all(|k| k == &keys[0] && k.len() == 64));
        assert_eq!(std::fs::read(&path).unwrap(), keys[0]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp files are left");
    }

    #[test]
    fn secrets_and_passwords_are_redacted() {
        assert_eq!(redact_url("postgres://u:pw@h/db"), "postgres://u:***@h/db");
        assert!(!format!("{:?}", secret(b"abc".to_vec())).contains("abc"));
    }
}
