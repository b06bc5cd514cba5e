//! A real nginx in front of a test server, for the download hand-off (`PORTAL_ACCEL_REDIRECT`):
//! nginx proxies every request to the portal and serves the blob directory to its internal
//! redirects only, the way a deployment configures it (README, "Deployment"). Debian's `nginx`
//! package; `.ci/run` installs it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether nginx is installed; in CI it must be.
pub fn available() -> bool {
    let ok =
        Command::new("nginx").arg("-v").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    if !ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI needs nginx: apt-get install nginx");
        eprintln!("SKIPPED: nginx is not installed (apt-get install nginx)");
    }
    ok
}

/// The internal location the portal hands downloads to (`PORTAL_ACCEL_REDIRECT`).
pub const HANDOFF: &str = "/_blobs/";

/// The `location` a deployment puts in front of the portal's blob directory: internal only,
/// sendfile, and the portal's own headers (which nginx does not carry over an internal redirect
/// by itself) copied from its answer.
pub fn handoff_location(blob_dir: &Path) -> String {
    format!(
        r#"location {HANDOFF} {{
      internal;
      alias {dir}/;
      sendfile on;
      etag off;
      add_header ETag $upstream_http_etag always;
      add_header Repr-Digest $upstream_http_repr_digest always;
      add_header Digest $upstream_http_digest always;
      add_header X-Request-Id $upstream_http_x_request_id always;
      add_header X-Content-Type-Options nosniff always;
    }}"#,
        dir = blob_dir.display()
    )
}

pub struct Nginx {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx on a free port in front of the portal at `upstream` (`127.0.0.1:port`).
    pub async fn start(upstream: &str, blob_dir: &Path) -> Nginx {
        let dir = tempfile::tempdir().expect("nginx dir");
        let port = crate::oidc::free_port();
        let p = dir.path().display();
        let conf = format!(
            r#"worker_processes 1;
user root;
pid {p}/nginx.pid;
error_log {p}/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {p}/body; proxy_temp_path {p}/proxy; fastcgi_temp_path {p}/fastcgi;
  uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://{upstream};
      proxy_set_header Host $http_host;
    }}
    {location}
  }}
}}
"#,
            location = handoff_location(blob_dir)
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).expect("nginx.conf");
        let child = Command::new("nginx")
            .args(["-c", &format!("{p}/nginx.conf"), "-p", &p.to_string(), "-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx");
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "nginx did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Nginx { child, port, _dir: dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
