//! Sending one notification: an e-mail (text + HTML, the JSON payload attached) through SMTP
//! (`lettre`), or a webhook POST signed the Standard Webhooks way (`standardwebhooks`:
//! `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::model::*;
use super::outbox::{Notification, Outcome};
use crate::config::NotifySettings;

pub struct Sender {
    http: reqwest::Client,
    mailer: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    allow_private: bool,
    public_url: String,
}

impl Sender {
    pub fn new(cfg: &NotifySettings, public_url: &str) -> anyhow::Result<Sender> {
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Never through an environment proxy: it would resolve and connect past the address check.
            .no_proxy()
            .timeout(Duration::from_secs(cfg.webhook_timeout_secs))
            .connect_timeout(Duration::from_secs(cfg.webhook_timeout_secs.min(5)))
            .user_agent(concat!("SupplierPortal-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !cfg.webhook_allow_private {
            http = http.dns_resolver(Arc::new(super::webhook_url::PublicOnly));
        }
        let mailer = match &cfg.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("PORTAL_SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        Ok(Sender {
            http: http.build()?,
            mailer,
            from: cfg.mail_from.parse().map_err(|e| anyhow::anyhow!("PORTAL_MAIL_FROM: {e}"))?,
            allow_private: cfg.webhook_allow_private,
            public_url: public_url.to_string(),
        })
    }

    pub fn mail_configured(&self) -> bool {
        self.mailer.is_some()
    }

    /// One attempt. `secret`: the subscription's webhook secret.
    pub async fn send(&self, n: &Notification, secret: Option<&str>) -> Outcome {
        let payload = match serde_json::from_str::<Payload>(&n.payload) {
            Ok(p) => p.absolute(&self.public_url),
            Err(e) => return Outcome::Failed(format!("unreadable payload: {e}")),
        };
        match n.channel {
            Channel::Webhook => self.webhook(n, &payload, secret).await,
            Channel::Email => self.email(n, &payload).await,
        }
    }

    /// A plain-text message to one address, sent now (account links: invitations, password
    /// resets). Nothing of it is stored: the link in it is a secret.
    pub async fn send_text(&self, to: &str, subject: &str, text: String) -> Outcome {
        let Some(mailer) = &self.mailer else {
            return Outcome::Held("no mail server configured (PORTAL_SMTP_URL)".into());
        };
        let to: Mailbox = match to.parse() {
            Ok(m) => m,
            Err(e) => return Outcome::Failed(format!("bad address: {e}")),
        };
        let message = Message::builder().from(self.from.clone()).to(to).subject(subject).body(text);
        let message = match message {
            Ok(m) => m,
            Err(e) => return Outcome::Failed(format!("could not build the message: {e}")),
        };
        match mailer.send(message).await {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::Failed(format!("SMTP: {}", error_chain(&e))),
        }
    }

    async fn webhook(&self, n: &Notification, payload: &Payload, secret: Option<&str>) -> Outcome {
        let Some(secret) = secret else { return Outcome::Failed("the subscription has no webhook secret".into()) };
        let url = match super::webhook_url::check_form(&n.target, self.allow_private) {
            Ok(u) => u,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        if let Some(ip) = url.host_str().and_then(|h| h.trim_matches(['[', ']']).parse().ok()) {
            if !self.allow_private && !super::webhook_url::is_public(ip) {
                return Outcome::Failed(format!("{ip} is not a public address"));
            }
        }
        let body = match serde_json::to_string(payload) {
            Ok(b) => b,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let ts = chrono::Utc::now().timestamp();
        let signature = match standardwebhooks::Webhook::new(secret).and_then(|w| w.sign(&n.id, ts, body.as_bytes())) {
            Ok(s) => s,
            Err(e) => return Outcome::Failed(format!("signing failed: {e}")),
        };
        let sent = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header(standardwebhooks::HEADER_WEBHOOK_ID, &n.id)
            .header(standardwebhooks::HEADER_WEBHOOK_TIMESTAMP, ts.to_string())
            .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => Outcome::Done,
            Ok(r) if r.status().is_redirection() => Outcome::Failed(format!(
                "HTTP {} (redirects are not followed{})",
                r.status().as_u16(),
                r.headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .map(|l| format!("; Location: {l}"))
                    .unwrap_or_default()
            )),
            Ok(r) => Outcome::Failed(format!("HTTP {}", r.status().as_u16())),
            Err(e) => Outcome::Failed(error_chain(&e)),
        }
    }

    async fn email(&self, n: &Notification, payload: &Payload) -> Outcome {
        let Some(mailer) = &self.mailer else {
            return Outcome::Held("held: no mail server configured (PORTAL_SMTP_URL)".into());
        };
        let to: Mailbox = match n.target.parse() {
            Ok(m) => m,
            Err(e) => return Outcome::Failed(format!("bad address `{}`: {e}", n.target)),
        };
        let json = serde_json::to_string_pretty(payload).unwrap_or_default();
        let (text, html) = render(payload);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject(payload))
            .message_id(Some(format!("<{}@supplier-portal>", n.id)))
            .multipart(
                MultiPart::mixed().multipart(MultiPart::alternative_plain_html(text, html)).singlepart(
                    Attachment::new("notification.json".into())
                        .body(json, ContentType::parse("application/json").unwrap_or(ContentType::TEXT_PLAIN)),
                ),
            );
        let message = match message {
            Ok(m) => m,
            Err(e) => return Outcome::Failed(format!("could not build the message: {e}")),
        };
        match mailer.send(message).await {
            Ok(_) => Outcome::Done,
            // A refusal (5xx) is a failed attempt; an unreachable or busy server holds the e-mail.
            Err(e) if e.is_permanent() => Outcome::Failed(format!("SMTP: {}", error_chain(&e))),
            Err(e) => Outcome::Held(format!("held: mail server unavailable ({})", error_chain(&e))),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn event_words(t: EventType) -> &'static str {
    match t {
        EventType::AdvisoryPublished => "Security advisory published",
        EventType::VexPublished => "Vulnerability status (VEX) published",
        EventType::SbomPublished => "SBOM published",
        EventType::DocumentPublished => "Document published",
        EventType::ArtifactWithdrawn => "Document withdrawn",
        EventType::TokenExpiring => "Your access token expires soon",
        EventType::VulnerabilityDeadline => "Response deadline approaching",
        EventType::TokenRenewalRequested => "Access token renewal requested",
        EventType::AccessRequested => "Portal access requested",
    }
}

pub fn subject(p: &Payload) -> String {
    let mut s = format!("[{}] {}", p.data.portal.name, event_words(p.event_type));
    if let Some(prod) = &p.data.product {
        s.push_str(&format!(" — {}", prod.name));
        if !p.data.versions.is_empty() {
            let v: Vec<&str> = p.data.versions.iter().map(|v| v.version.as_str()).collect();
            s.push_str(&format!(" {}", v.join(", ")));
        }
    }
    if !p.data.vulnerabilities.is_empty() {
        s.push_str(&format!(": {}", p.data.vulnerabilities.join(", ")));
    }
    s
}

/// HTML text escaping (the five characters; a crate for this would be more than the function).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn vuln_link(id: &str) -> String {
    if id.starts_with("CVE-") {
        format!("https://www.cve.org/CVERecord?id={id}")
    } else if id.starts_with("GHSA-") {
        format!("https://github.com/advisories/{id}")
    } else {
        String::new()
    }
}

/// The readable message: plain text and HTML with the same content.
pub fn render(p: &Payload) -> (String, String) {
    let d = &p.data;
    let mut t = format!("{}\n\n{}\n", event_words(p.event_type), d.summary);
    let mut h = format!("<h2>{}</h2><p>{}</p>", esc(event_words(p.event_type)), esc(&d.summary));
    if let Some(prod) = &d.product {
        let versions: Vec<&str> = d.versions.iter().map(|v| v.version.as_str()).collect();
        t.push_str(&format!("\nProduct: {} (versions: {})\n", prod.name, versions.join(", ")));
        h.push_str(&format!("<p>Product: <b>{}</b> — versions {}</p>", esc(&prod.name), esc(&versions.join(", "))));
    }
    if !d.vulnerabilities.is_empty() {
        t.push_str("\nVulnerabilities:\n");
        h.push_str("<p>Vulnerabilities:</p><ul>");
        for v in &d.vulnerabilities {
            let link = vuln_link(v);
            t.push_str(&format!("  - {v} {link}\n"));
            if link.is_empty() {
                h.push_str(&format!("<li>{}</li>", esc(v)));
            } else {
                h.push_str(&format!("<li><a href=\"{}\">{}</a></li>", esc(&link), esc(v)));
            }
        }
        h.push_str("</ul>");
    }
    if !d.artifacts.is_empty() {
        t.push_str("\nDocuments:\n");
        h.push_str("<p>Documents:</p><ul>");
        for a in &d.artifacts {
            t.push_str(&format!(
                "  - {} ({}, {}, {})\n    SHA-256 {}\n",
                a.filename,
                a.kind.as_str(),
                a.format,
                a.tlp.display_label(),
                a.sha256
            ));
            h.push_str(&format!(
                "<li>{} ({}, {}, {})<br><code>SHA-256 {}</code>",
                esc(&a.filename),
                esc(a.kind.as_str()),
                esc(&a.format),
                esc(a.tlp.display_label()),
                esc(&a.sha256)
            ));
            if let Some(u) = &a.download_url {
                t.push_str(&format!("    {u}\n"));
                h.push_str(&format!("<br><a href=\"{}\">{}</a>", esc(u), esc(u)));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
        if d.artifacts.iter().any(|a| a.download_url.is_some()) {
            t.push_str("\nDownload with your access token:\n  curl -fOJ -H \"Authorization: Bearer <your spt_ token>\" <URL>\n");
            h.push_str("<p>Download with your access token: <code>curl -fOJ -H \"Authorization: Bearer &lt;your spt_ token&gt;\" &lt;URL&gt;</code></p>");
        }
    }
    t.push_str(&format!(
        "\nPortal: {}\n\nThe machine-readable notification is attached (notification.json).\n",
        d.portal.url
    ));
    h.push_str(&format!(
        "<p>Portal: <a href=\"{}\">{}</a></p><p><small>The machine-readable notification is attached (notification.json).</small></p>",
        esc(&d.portal.url),
        esc(&d.portal.name)
    ));
    (t, format!("<!doctype html><html><body>{h}</body></html>"))
}
