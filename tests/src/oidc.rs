//! A real OpenID provider for single sign-on tests: the npm package `oidc-provider` (panva),
//! started per test from `tests/harness/oidc/` (`npm ci` there first; `.ci/run` does).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("harness").join("oidc")
}

/// Whether node and the installed package are there; in CI they must be.
pub fn available() -> bool {
    let node = Command::new("node").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    let ok = node && dir().join("node_modules").join("oidc-provider").is_dir();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs the OpenID provider: (cd tests/harness/oidc && npm ci)"
        );
        eprintln!("SKIPPED: the OpenID provider is not installed (cd tests/harness/oidc && npm ci)");
    }
    ok
}

pub struct Account<'a> {
    pub sub: &'a str,
    pub email: &'a str,
    pub email_verified: bool,
    pub password: &'a str,
}

pub struct Provider {
    child: Child,
    pub port: u16,
}

impl Provider {
    /// Starts the provider on `port` (0: any) for one client with `redirect_uri`.
    pub fn start(port: u16, client_id: &str, secret: &str, redirect_uri: &str, accounts: &[Account<'_>]) -> Provider {
        let accounts: Vec<serde_json::Value> = accounts
            .iter()
            .map(|a| {
                serde_json::json!({"sub": a.sub, "email": a.email, "email_verified": a.email_verified, "password": a.password})
            })
            .collect();
        let mut child = Command::new("node")
            .arg(dir().join("provider.mjs"))
            .args(["--port", &port.to_string()])
            .env("OIDC_CLIENT_ID", client_id)
            .env("OIDC_CLIENT_SECRET", secret)
            .env("OIDC_REDIRECT_URI", redirect_uri)
            .env("OIDC_ACCOUNTS", serde_json::Value::Array(accounts).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the OpenID provider");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("LISTENING line");
        let port = line.trim().strip_prefix("LISTENING ").and_then(|p| p.parse().ok()).expect("LISTENING <port>");
        Provider { child, port }
    }

    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free local port (for a provider that must be named before it starts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}
