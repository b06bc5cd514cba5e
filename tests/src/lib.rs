//! End-to-end harness: each test starts the real server on a random port against a fresh
//! database (a new SQLite file, or a new Postgres database when `TEST_POSTGRES_URL` is set) and
//! speaks HTTP to it.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;

use reqwest::{header::HeaderMap, Method, StatusCode};
use serde_json::{json, Value};

pub mod nginx;
pub mod oidc;
pub mod receivers;
pub mod s3;

pub use reqwest;
pub use serde_json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())
}

/// Runs each listed `async fn name(backend: Backend)` once per backend.
#[macro_export]
macro_rules! e2e {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::Backend::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::postgres_url().is_none() {
                        eprintln!("SKIPPED on Postgres: TEST_POSTGRES_URL is not set");
                        return;
                    }
                    super::$name($crate::Backend::Postgres).await
                }
            )*
        }
    };
}

pub const ADMIN_EMAIL: &str = "admin@acme.example";
pub const ADMIN_PASSWORD: &str = "correct horse battery";
pub const ORG: &str = "acme";

/// A fresh database for one test; dropped (Postgres) or deleted (SQLite) afterwards.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pg_name: Option<String>,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("portal.db").display());
                TestDb { backend, url, pg_name: None, dir }
            }
            Backend::Postgres => {
                use diesel::{Connection, RunQueryDsl};
                let admin = postgres_url().expect("TEST_POSTGRES_URL");
                let name = format!("sp_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = diesel::PgConnection::establish(&admin).expect("connect to TEST_POSTGRES_URL");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
                let url = replace_db_name(&admin, &name);
                TestDb { backend, url, pg_name: Some(name), dir }
            }
        }
    }

    fn placeholder() -> TestDb {
        TestDb {
            backend: Backend::Sqlite,
            url: String::new(),
            pg_name: None,
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Drops the Postgres database now, killing its connections (simulates the database going away).
    pub fn drop_database(&mut self) {
        if let Some(name) = self.pg_name.take() {
            use diesel::{Connection, RunQueryDsl};
            if let Ok(mut conn) = diesel::PgConnection::establish(&postgres_url().unwrap_or_default()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.drop_database();
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub data_dir: PathBuf,
    pub ctx: supplier_portal::Context,
    handle: actix_web::dev::ServerHandle,
}

/// A response, read whole: status, headers and body (JSON when it parses).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// Asserts the response is an RFC 7807 problem with this status.
    #[track_caller]
    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn assert_problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.json);
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "body: {}", self.json);
        assert_eq!(self.json["status"], status);
        assert!(self.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(self.header("x-request-id").is_some());
        &self.json
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, env: &[(&str, &str)]) -> TestApp {
        let db = TestDb::new(backend);
        Self::spawn_on(db, None, env).await
    }

    /// Starts a server on an existing database and data directory (restarts, second replicas).
    pub async fn spawn_on(db: TestDb, data_dir: Option<PathBuf>, env: &[(&str, &str)]) -> TestApp {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
            )
            .with_test_writer()
            .try_init();
        let data_dir = data_dir.unwrap_or_else(|| db.dir.path().join("data"));
        let mut vars: HashMap<String, String> = HashMap::new();
        vars.insert("PORTAL_DATABASE_URL".into(), db.url.clone());
        vars.insert("PORTAL_DATA_DIR".into(), data_dir.display().to_string());
        vars.insert("PORTAL_DB_POOL_SIZE".into(), "8".into());
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        vars.insert("PORTAL_BIND".into(), addr.to_string());
        for (k, v) in env {
            vars.insert(k.to_string(), v.to_string());
        }
        let settings = supplier_portal::config::Settings::from_source(&vars).expect("settings");
        let ctx = tokio::task::spawn_blocking(move || supplier_portal::prepare(settings))
            .await
            .expect("join")
            .expect("prepare");
        let server = supplier_portal::serve(ctx.clone(), listener, 2, false).expect("serve");
        let handle = server.handle();
        tokio::spawn(server);
        let client = reqwest::Client::builder().no_proxy().build().expect("client");
        TestApp { base: format!("http://{addr}"), client, db, data_dir, ctx, handle }
    }

    /// Stops the server and hands back its database (to restart on it).
    pub async fn stop(mut self) -> (TestDb, PathBuf) {
        self.handle.stop(true).await;
        let db = std::mem::replace(&mut self.db, TestDb::placeholder());
        (db, self.data_dir.clone())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut rb = self.client.request(method, self.url(path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        Self::read(rb.send().await.expect("request")).await
    }

    pub async fn read(r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("body").to_vec();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp { status, headers, bytes, json }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.request(Method::GET, path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.request(Method::POST, path, token, Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.request(Method::PATCH, path, token, Some(body)).await
    }
    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.request(Method::PUT, path, token, Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Resp {
        self.request(Method::DELETE, path, token, None).await
    }

    /// Runs the first-run setup (org `acme`, admin `admin@acme.example`) and signs in.
    pub async fn setup_admin(&self) -> String {
        let r = self
            .post(
                "/api/v1/setup",
                None,
                json!({"org_name": "ACME Devices", "org_slug": ORG, "email": ADMIN_EMAIL,
                       "password": ADMIN_PASSWORD, "display_name": "Ada Admin"}),
            )
            .await;
        assert_eq!(r.status, 201, "setup: {}", r.json);
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self.post("/api/v1/auth/login", None, json!({"email": email, "password": password})).await;
        assert_eq!(r.status, 200, "login: {}", r.json);
        r.json["access_token"].as_str().expect("token").to_string()
    }

    /// Adds a member with `role` to `acme` (invited, then accepted with a new password) and signs
    /// it in. Answers the membership id and a session token.
    pub async fn member(&self, admin: &str, email: &str, role: &str) -> (String, String) {
        let secret = self.invite(admin, email, role).await;
        let r = self
            .post(
                "/api/v1/invitations/accept",
                None,
                json!({"secret": secret, "password": "member password 1", "display_name": email}),
            )
            .await;
        assert_eq!(r.status, 200, "accept: {}", r.json);
        let members = self.get(&format!("/api/v1/orgs/{ORG}/members"), Some(admin)).await;
        let id = members.json.as_array().expect("members").iter().find(|m| m["email"] == email).expect("member")["id"]
            .as_str()
            .expect("id")
            .to_string();
        (id, self.login(email, "member password 1").await)
    }

    /// Invites `email` to `acme` as `role` (no mail server: the link comes back) and answers the
    /// link's secret.
    pub async fn invite(&self, admin: &str, email: &str, role: &str) -> String {
        let r = self
            .post(&format!("/api/v1/orgs/{ORG}/invitations"), Some(admin), json!({"email": email, "role": role}))
            .await;
        assert_eq!(r.status, 201, "invite: {}", r.json);
        let url = r.json["accept_url"].as_str().expect("accept_url (no mail server configured)");
        url.split_once('#').expect("secret in the fragment").1.to_string()
    }

    /// Adds `Authorization: Bearer <token>` when a token is given.
    pub fn apply_bearer(&self, rb: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
        match token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// Sends a prepared request and reads the response whole.
    pub async fn send(&self, rb: reqwest::RequestBuilder) -> Resp {
        Self::read(rb.send().await.expect("request")).await
    }

    /// Uploads raw bytes to a version (`query` e.g. `?auto_create=true`), authenticated by `auth`.
    pub async fn upload(
        &self,
        auth: &Auth<'_>,
        product: &str,
        version: &str,
        query: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Resp {
        let url = self.url(&format!("/api/v1/orgs/{ORG}/products/{product}/versions/{version}/artifacts{query}"));
        let rb = auth.apply(self.client.post(url)).header("content-type", content_type).body(body);
        self.send(rb).await
    }

    /// Creates product `p` with version `v` as the given admin/publisher.
    pub async fn product_version(&self, token: &str, p: &str, v: &str) {
        let r = self.post(&format!("/api/v1/orgs/{ORG}/products"), Some(token), json!({"slug": p, "name": p})).await;
        assert!(r.status == 201 || r.status == 409, "{}", r.json);
        let r = self
            .post(
                &format!("/api/v1/orgs/{ORG}/products/{p}/versions"),
                Some(token),
                json!({"version": v, "release_date": "2025-01-01", "support_until": "2030-12-31"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
    }

    /// Enables the organisation's portal at `/portal/acme` with the given visibility.
    pub async fn open_portal(&self, admin: &str, visibility: &str) {
        let r = self
            .put(
                &format!("/api/v1/orgs/{ORG}/portal"),
                Some(admin),
                json!({"enabled": true, "slug": "acme", "visibility": visibility, "display_name": "ACME"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.json);
    }

    /// Creates an API key with `scopes` and returns its secret.
    pub async fn api_key(&self, admin: &str, scopes: &[&str], publish_on_push: bool) -> (String, String) {
        let r = self
            .post(
                &format!("/api/v1/orgs/{ORG}/api-keys"),
                Some(admin),
                json!({"name": "CI", "scopes": scopes, "expires_in": "90d", "publish_on_push": publish_on_push}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.json);
        (r.json["id"].as_str().unwrap().to_string(), r.json["key"].as_str().unwrap().to_string())
    }

    /// The JWT key the server signs with (generated into the data dir).
    pub fn jwt_key(&self) -> Vec<u8> {
        std::fs::read(self.data_dir.join("jwt.key")).expect("jwt.key")
    }
}

/// How a request authenticates.
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    ApiKey(&'a str),
}

impl Auth<'_> {
    pub fn apply(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Auth::None => rb,
            Auth::Bearer(t) => rb.bearer_auth(t),
            Auth::ApiKey(k) => rb.header("x-api-key", *k),
        }
    }
}

/// A test fixture from `formats/tests/fixtures`.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../formats/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let h = self.handle.clone();
        // Best effort: the database is dropped (Postgres) or deleted with the temp dir anyway.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move { h.stop(false).await });
        }
    }
}

/// A second server on an existing database and data directory (another replica), in-process.
/// Answers its base URL and a handle to stop it.
pub async fn replica(
    url: &str,
    data_dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (String, actix_web::dev::ServerHandle) {
    let mut vars: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    vars.insert("PORTAL_DATABASE_URL".into(), url.to_string());
    vars.insert("PORTAL_DATA_DIR".into(), data_dir.display().to_string());
    vars.insert("PORTAL_DB_POOL_SIZE".into(), "8".into());
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    vars.insert("PORTAL_BIND".into(), addr.to_string());
    let settings = supplier_portal::config::Settings::from_source(&vars).expect("settings");
    let ctx =
        tokio::task::spawn_blocking(move || supplier_portal::prepare(settings)).await.expect("join").expect("prepare");
    let server = supplier_portal::serve(ctx, listener, 2, false).expect("serve");
    let handle = server.handle();
    tokio::spawn(server);
    (format!("http://{addr}"), handle)
}
