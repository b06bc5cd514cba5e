//! Real outside parts for notification tests: an SMTP server (`aiosmtpd`) and a webhook receiver
//! that verifies signatures with the Standard Webhooks reference implementation (the
//! `standardwebhooks` package) — Python programs in `tests/harness/`, started per test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn harness(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("harness").join(name)
}

/// Whether the Python packages are installed; in CI they must be (`.ci/run` installs them).
pub fn available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd, standardwebhooks"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs the test receivers: python3 -m pip install aiosmtpd standardwebhooks"
        );
        eprintln!("SKIPPED: python3 with aiosmtpd and standardwebhooks is not available (pip install aiosmtpd standardwebhooks)");
    }
    ok
}

/// Starts a harness program and waits for its `READY <port>` line.
fn start(script: &str, args: &[String]) -> (Child, u16) {
    let mut child = Command::new("python3")
        .arg(harness(script))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start a test receiver");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("READY line");
    let port = line.trim().strip_prefix("READY ").and_then(|p| p.parse().ok()).expect("READY <port>");
    (child, port)
}

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        Self::start_with(&[])
    }

    /// `--reject-all`: answers every recipient with a temporary failure.
    pub fn start_with(extra: &[&str]) -> SmtpSink {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("mail.jsonl");
        let mut args = vec!["--port".to_string(), "0".into(), "--out".into(), out.display().to_string()];
        args.extend(extra.iter().map(|s| s.to_string()));
        let (child, port) = start("smtp_sink.py", &args);
        SmtpSink { child, port, out, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Messages to `rcpt`, waiting up to `secs` for at least `n`.
    pub async fn wait_for(&self, rcpt: &str, n: usize, secs: u64) -> Vec<Value> {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let got: Vec<Value> = self
                .messages()
                .into_iter()
                .filter(|m| m["rcpt_tos"].as_array().is_some_and(|r| r.iter().any(|x| x == rcpt)))
                .collect();
            if got.len() >= n || Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct WebhookReceiver {
    child: Child,
    pub port: u16,
    client: reqwest::Client,
}

impl WebhookReceiver {
    pub fn start() -> WebhookReceiver {
        let (child, port) = start("webhook_receiver.py", &["--port".to_string(), "0".into()]);
        WebhookReceiver { child, port, client: reqwest::Client::new() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub async fn set_secret(&self, secret: &str) {
        let r = self.client.put(self.url("/_control/secret")).json(&json!({"secret": secret})).send().await;
        assert!(r.is_ok_and(|r| r.status().is_success()), "set the receiver's secret");
    }

    /// The next `n` deliveries are answered with `status`.
    pub async fn fail_next(&self, n: u32, status: u16) {
        let r =
            self.client.put(self.url("/_control/fail")).json(&json!({"remaining": n, "status": status})).send().await;
        assert!(r.is_ok_and(|r| r.status().is_success()), "set the receiver's failures");
    }

    pub async fn received(&self) -> Vec<Value> {
        let r = self.client.get(self.url("/_control/received")).send().await.expect("receiver answers");
        r.json().await.expect("receiver JSON")
    }

    /// Deliveries (of any status), waiting up to `secs` for at least `n`.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Value> {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.received().await;
            if got.len() >= n || Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
