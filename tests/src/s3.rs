//! A real S3-compatible server for the object storage tests: `moto`'s server mode (PyPI
//! `moto[server]`), started per test on a free port (`.ci/run` installs it).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether moto's server is installed; in CI it must be.
pub fn available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import moto.server, flask"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs the S3 test server: python3 -m pip install 'moto[server]'"
        );
        eprintln!("SKIPPED: moto's S3 server is not installed (python3 -m pip install 'moto[server]')");
    }
    ok
}

pub struct S3Server {
    child: Child,
    pub port: u16,
    client: reqwest::Client,
}

impl S3Server {
    /// Starts the server and waits until it answers.
    pub async fn start() -> S3Server {
        let port = crate::oidc::free_port();
        let child = Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto's server");
        let client = reqwest::Client::builder().no_proxy().build().expect("client");
        let server = S3Server { child, port, client };
        let until = Instant::now() + Duration::from_secs(30);
        while server.client.get(server.url("/")).send().await.is_err() {
            assert!(Instant::now() < until, "moto's server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Creates a bucket (moto takes unsigned requests).
    pub async fn create_bucket(&self, bucket: &str) {
        let r = self.client.put(self.url(&format!("/{bucket}"))).send().await.expect("create bucket");
        assert!(r.status().is_success(), "create bucket: {}", r.status());
    }

    /// The objects in a bucket: (key, size), from an unsigned ListObjects (moto allows it; it
    /// refuses anonymous reads of the objects themselves).
    pub async fn objects(&self, bucket: &str) -> Vec<(String, u64)> {
        let r = self.client.get(self.url(&format!("/{bucket}"))).send().await.expect("list objects");
        assert!(r.status().is_success(), "list objects: {}", r.status());
        let xml = r.text().await.expect("listing");
        let tag = |s: &str, name: &str| -> Option<String> {
            let (_, rest) = s.split_once(&format!("<{name}>"))?;
            Some(rest.split_once(&format!("</{name}>"))?.0.to_string())
        };
        xml.split("<Contents>").skip(1).filter_map(|c| Some((tag(c, "Key")?, tag(c, "Size")?.parse().ok()?))).collect()
    }

    /// `PORTAL_*` settings for a server that keeps its blobs in `bucket` under `prefix`.
    pub fn settings(&self, bucket: &str, prefix: &str) -> Vec<(String, String)> {
        vec![
            (
                "PORTAL_BLOB_URL".into(),
                format!("s3://{bucket}/{prefix}?endpoint=http://127.0.0.1:{}&allow_http=true", self.port),
            ),
            ("PORTAL_S3_ACCESS_KEY_ID".into(), "test".into()),
            ("PORTAL_S3_SECRET_ACCESS_KEY".into(), "test".into()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
