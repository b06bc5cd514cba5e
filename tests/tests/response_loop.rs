//! The vulnerability response loop end to end, against a real SMTP server and a webhook receiver
//! that verifies signatures with the Standard Webhooks reference implementation (Python, not ours):
//! triage → generated OpenVEX + CSAF VEX → exactly the customers who may see them are notified,
//! within seconds, with bytes whose SHA-256 matches the payload.

use std::time::Duration;

use e2e::receivers::{self, SmtpSink, WebhookReceiver};
use e2e::{e2e, fixture, sha256_hex, Auth, Backend, TestApp, ORG};
use serde_json::{json, Value};

e2e!(
    a_published_vex_reaches_exactly_the_customers_who_may_see_it,
    every_publication_raises_its_event_and_webhooks_are_retried,
    without_a_mail_server_emails_are_held_not_dropped,
    webhook_addresses_must_be_public_https,
    triage_is_validated_and_uploaded_vex_shows_up_read_only,
    expiry_warnings_and_renewals,
    deadlines_are_reminded_and_overdue_ones_listed,
);

const CDX: &str = "application/vnd.cyclonedx+json";

fn env(smtp: Option<&SmtpSink>) -> Vec<(&'static str, String)> {
    let mut e = vec![
        ("PORTAL_WEBHOOK_ALLOW_PRIVATE", "true".to_string()),
        ("PORTAL_NOTIFY_POLL_MS", "100".to_string()),
        ("PORTAL_NOTIFY_RETRY_BASE_SECS", "1".to_string()),
        ("PORTAL_NOTIFY_JOBS_INTERVAL_SECS", "1".to_string()),
        ("PORTAL_MAIL_FROM", "ACME PSIRT <psirt@acme.example>".to_string()),
    ];
    if let Some(s) = smtp {
        e.push(("PORTAL_SMTP_URL", s.url()));
    }
    e
}

async fn spawn(backend: Backend, env: &[(&'static str, String)]) -> TestApp {
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::spawn_with(backend, &pairs).await
}

/// A private portal with router 1.0, 2.0 and switch 1.0, each with a published SBOM.
async fn catalogue(app: &TestApp) -> String {
    let admin = app.setup_admin().await;
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(&admin),
            json!({"enabled": true, "slug": "acme", "visibility": "private", "display_name": "ACME Security",
                   "csaf_publisher": {"category": "vendor", "name": "ACME GmbH", "namespace": "https://acme.example"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    for (p, v) in [("router", "1.0"), ("router", "2.0"), ("switch", "1.0")] {
        app.product_version(&admin, p, v).await;
        let r = app.upload(&Auth::Bearer(&admin), p, v, "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
        assert_eq!(r.status, 201, "{}", r.json);
    }
    admin
}

async fn product_id(app: &TestApp, admin: &str, slug: &str) -> String {
    let r = app.get(&format!("/api/v1/orgs/{ORG}/products/{slug}"), Some(admin)).await;
    r.json["id"].as_str().unwrap().to_string()
}

async fn token(app: &TestApp, admin: &str, body: Value) -> (String, String) {
    let r = app.post(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(admin), body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    (r.json["id"].as_str().unwrap().to_string(), r.json["token"].as_str().unwrap().to_string())
}

async fn sbom_of(app: &TestApp, tok: &str, product: &str, version: &str) -> String {
    let r = app.get(&format!("/api/v1/portal/acme/products/{product}/versions/{version}"), Some(tok)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json["artifacts"]["sbom"][0]["id"].as_str().unwrap().to_string()
}

async fn track(app: &TestApp, admin: &str, id: &str, severity: &str, exploited: bool) {
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/vulnerabilities"),
            Some(admin),
            json!({"id": id, "title": "Heap overflow in the web UI", "description": "A crafted request overflows a buffer.",
                   "severity": severity, "actively_exploited": exploited, "cvss_v3_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
}

async fn a_published_vex_reaches_exactly_the_customers_who_may_see_it(backend: Backend) {
    if !receivers::available() {
        return;
    }
    let smtp = SmtpSink::start();
    let hooks = WebhookReceiver::start();
    let app = spawn(backend, &env(Some(&smtp))).await;
    let admin = catalogue(&app).await;
    let switch = product_id(&app, &admin, "switch").await;
    // A: every product, downloaded router 1.0, webhook + contact address.
    let (a_id, a) =
        token(&app, &admin, json!({"name": "Customer A", "expires_in": "90d", "contact_email": "sec@a.example"})).await;
    // B: only the switch: never told about the router.
    let (_, b) = token(
        &app,
        &admin,
        json!({"name": "Customer B", "expires_in": "90d", "product_ids": [switch],
        "contact_email": "sec@b.example"}),
    )
    .await;
    // C: cleared for CLEAR only: the AMBER documents are not for it.
    let (_, _c) = token(
        &app,
        &admin,
        json!({"name": "Customer C", "expires_in": "90d", "max_tlp": "clear",
        "contact_email": "sec@c.example"}),
    )
    .await;
    let sbom = sbom_of(&app, &a, "router", "1.0").await;
    let r = app.get(&format!("/api/v1/portal/acme/artifacts/{sbom}/download"), Some(&a)).await;
    assert_eq!(r.status, 200);
    let r = app
        .post(
            "/api/v1/portal/acme/subscriptions",
            Some(&a),
            json!({"webhook_url": hooks.url("/hooks/acme"),
            "events": ["vex.published", "advisory.published"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let secret = r.json["webhook_secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    hooks.set_secret(&secret).await;
    // The secret is shown once and stored sealed.
    let listed = app.get("/api/v1/portal/acme/subscriptions", Some(&a)).await;
    assert!(!listed.text().contains(&secret) && listed.json[0]["secret_hint"].as_str().unwrap().starts_with("whsec_…"));
    // B may not subscribe to a product it cannot see.
    let r = app
        .post("/api/v1/portal/acme/subscriptions", Some(&b), json!({"email": "x@b.example", "products": ["router"]}))
        .await;
    r.assert_problem(400);

    // Triage.
    track(&app, &admin, "cve-2026-1234", "critical", true).await;
    let vuln = format!("/api/v1/orgs/{ORG}/vulnerabilities/CVE-2026-1234");
    let r = app
        .put(&format!("{vuln}/assessments"), Some(&admin), json!([
            {"product": "router", "version": "1.0", "status": "affected", "fixed_in": "2.0",
             "action_statement": "Upgrade to 2.0 or block port 8443."},
            {"product": "router", "version": "2.0", "status": "not_affected", "justification": "vulnerable_code_not_present"}]))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    // Impacted: A downloaded router 1.0 (with the exact bytes); C is entitled only; B sees no router.
    let r = app.get(&format!("{vuln}/impacted"), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let impacted = r.json.as_array().unwrap();
    let names: Vec<&str> = impacted.iter().map(|c| c["token_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Customer A", "Customer C"], "{}", r.json);
    assert_eq!(impacted[0]["reason"], "downloaded");
    assert_eq!(impacted[0]["deliveries"][0]["sha256"], sha256_hex(&fixture("sbom-min-1.6.json")));
    assert!(impacted[0]["reasons"].as_array().unwrap().contains(&json!("subscribed")));
    assert_eq!(impacted[0]["reachable"], true);
    assert_eq!(impacted[1]["reason"], "entitled");

    // Preview, then publish as AMBER.
    let r = app.get(&format!("{vuln}/preview?tlp=amber"), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json.as_array().unwrap().len(), 4);
    let r = app.post(&format!("{vuln}/publish"), Some(&admin), json!({"tlp": "amber"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["revision"], 1);
    let docs = r.json["artifacts"].as_array().unwrap().clone();
    assert_eq!(docs.len(), 4, "{}", r.json);
    // A: one e-mail (contact) and one webhook for the router; C and B: nothing.
    assert_eq!(r.json["notifications_queued"], 2, "{}", r.json);

    let mails = smtp.wait_for("sec@a.example", 1, 15).await;
    assert_eq!(mails.len(), 1, "A's e-mail arrives within seconds");
    let mail = &mails[0];
    assert!(mail["subject"].as_str().unwrap().contains("CVE-2026-1234"), "{mail}");
    assert!(
        mail["text"].as_str().unwrap().contains("Upgrade") || mail["text"].as_str().unwrap().contains("download"),
        "{mail}"
    );
    assert!(mail["html"].as_str().unwrap().contains("<a href=\"https://www.cve.org/CVERecord?id=CVE-2026-1234\">"));
    let attached: Value = serde_json::from_str(mail["attachments"][0]["content"].as_str().unwrap()).unwrap();
    assert_eq!(attached["type"], "vex.published");

    let got = hooks.wait_for(1, 15).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let hook = &got[0];
    assert_eq!(hook["verified"], true, "signature verified by the reference implementation: {hook}");
    assert!(hook["headers"]["webhook-id"].as_str().unwrap().starts_with("msg_"));
    let payload = &hook["payload"];
    assert_eq!(payload["type"], "vex.published");
    assert_eq!(payload["data"]["vulnerabilities"][0], "CVE-2026-1234");
    assert_eq!(payload["data"]["product"]["slug"], "router");
    let arts = payload["data"]["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 4, "both versions' OpenVEX and CSAF: {payload}");
    for art in arts {
        assert_eq!(art["tlp"], "amber");
        let url = art["download_url"].as_str().unwrap();
        let bytes = app.client.get(url).bearer_auth(&a).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(sha256_hex(&bytes), art["sha256"].as_str().unwrap(), "downloaded bytes match the payload");
    }
    // Nothing for B (no access to the router) or C (not cleared for AMBER).
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(smtp.wait_for("sec@b.example", 1, 0).await.is_empty());
    assert!(smtp.wait_for("sec@c.example", 1, 0).await.is_empty());

    // The generated documents are valid and filed where they belong.
    let csaf = docs.iter().find(|d| d["format"] == "csaf" && d["version"] == "1.0").unwrap();
    let r =
        app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{}", csaf["artifact_id"].as_str().unwrap()), Some(&admin)).await;
    assert_eq!(r.json["kind"], "vex", "{}", r.json);
    assert_eq!(r.json["status"], "published");
    assert_eq!(r.json["vex_statements"][0]["status"], "affected", "{}", r.json);
    let bytes = app
        .client
        .get(app.url(&format!("/api/v1/orgs/{ORG}/artifacts/{}/download", csaf["artifact_id"].as_str().unwrap())))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["document"]["category"], "csaf_vex");
    assert_eq!(doc["document"]["publisher"]["name"], "ACME GmbH");
    assert_eq!(doc["document"]["distribution"]["tlp"]["label"], "AMBER");
    assert!(portal_formats::analyze(portal_formats::ArtifactKind::Vex, &bytes).is_ok(), "our own validator accepts it");
    // "Am I affected" answers from the generated VEX, per version.
    let r = app.get("/api/v1/portal/acme/vulnerabilities/CVE-2026-1234", Some(&a)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let text = r.text();
    assert!(text.contains("affected") && text.contains("not_affected"), "{text}");

    // The log: delivered (webhook) and sent (e-mail), each attempt audited.
    let r = app.get(&format!("/api/v1/orgs/{ORG}/notifications?vulnerability=CVE-2026-1234"), Some(&admin)).await;
    let statuses: Vec<&str> = r.json.as_array().unwrap().iter().map(|n| n["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"delivered") && statuses.contains(&"sent"), "{}", r.json);
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=notification.sent"), Some(&admin)).await;
    assert!(r.json["events"].as_array().unwrap().len() >= 2, "{}", r.json);

    // A re-publish after a change is a new revision that supersedes the old one.
    let r = app
        .put(
            &format!("{vuln}/assessments"),
            Some(&admin),
            json!([
        {"product": "router", "version": "1.0", "status": "fixed", "fixed_in": "1.0.1"}]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let r = app.post(&format!("{vuln}/publish"), Some(&admin), json!({"tlp": "amber"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["revision"], 2);
    let redone = r.json["artifacts"].as_array().unwrap();
    assert_eq!(redone.len(), 2, "only the changed version is regenerated: {}", r.json);
    let new_csaf = redone.iter().find(|d| d["format"] == "csaf").unwrap();
    assert_eq!(new_csaf["revision"], 2);
    let old =
        app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{}", csaf["artifact_id"].as_str().unwrap()), Some(&admin)).await;
    assert_ne!(old.json["status"], "published", "the old revision is superseded: {}", old.json);
    let bytes = app
        .client
        .get(app.url(&format!("/api/v1/orgs/{ORG}/artifacts/{}/download", new_csaf["artifact_id"].as_str().unwrap())))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["document"]["tracking"]["version"], "2");
    assert_eq!(doc["document"]["tracking"]["revision_history"].as_array().unwrap().len(), 2);
    let r = app.post(&format!("{vuln}/publish"), Some(&admin), json!({"tlp": "amber"})).await;
    r.assert_problem(409);

    // Clocks: customers notified and the critical fix are met; the CRA reports are open until recorded.
    let r = app.get(&vuln, Some(&admin)).await;
    let clock = |name: &str| r.json["clocks"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    assert_eq!(clock("customers_notified")["state"], "met", "{}", r.json);
    assert_eq!(clock("critical_addressed")["state"], "met");
    assert_eq!(clock("early_warning")["state"], "due");
    assert_eq!(clock("final_report")["state"], "due", "the final report runs from the published fix");
    let r = app.put(&format!("{vuln}/reports/early_warning"), Some(&admin), json!({"reference": "ENISA-42"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert!(r.json["notification"].as_str().unwrap().contains("CVE-2026-1234"));
    let r = app.get(&vuln, Some(&admin)).await;
    assert_eq!(
        r.json["clocks"].as_array().unwrap().iter().find(|c| c["name"] == "early_warning").unwrap()["state"],
        "met"
    );

    // The timeline ties every step to its audit event, in three formats.
    let r = app.get(&format!("{vuln}/timeline"), Some(&admin)).await;
    let kinds: Vec<&str> = r.json.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for k in ["aware", "created", "assessed", "published", "notification", "download", "report"] {
        assert!(kinds.contains(&k), "{k} missing in {kinds:?}");
    }
    assert!(r
        .json
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] != "aware")
        .all(|e| e["audit_event_id"].is_string()));
    let r = app.get(&format!("{vuln}/timeline?format=csv"), Some(&admin)).await;
    assert!(r.header("content-type").unwrap().starts_with("text/csv") && r.text().starts_with("at,kind,summary"));
    let r = app.get(&format!("{vuln}/timeline?format=markdown"), Some(&admin)).await;
    assert!(r.text().contains("| When (UTC) |") && r.text().contains("published"));
    let _ = a_id;
}

async fn every_publication_raises_its_event_and_webhooks_are_retried(backend: Backend) {
    if !receivers::available() {
        return;
    }
    let hooks = WebhookReceiver::start();
    let mut e = env(None);
    e.push(("PORTAL_NOTIFY_MAX_ATTEMPTS", "3".to_string()));
    let app = spawn(backend, &e).await;
    let admin = catalogue(&app).await;
    let (token_id, _) = token(&app, &admin, json!({"name": "Customer A", "expires_in": "90d"})).await;
    // Admins subscribe a token on its behalf.
    let r = app
        .post(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}/subscriptions"), Some(&admin),
            json!({"webhook_url": hooks.url("/h"), "events": ["sbom.published", "artifact.withdrawn"], "products": ["router"]}))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    hooks.set_secret(r.json["webhook_secret"].as_str().unwrap()).await;
    // The receiver is down for the first two attempts: retried with backoff, one webhook-id.
    hooks.fail_next(2, 503).await;
    let r =
        app.upload(&Auth::Bearer(&admin), "router", "2.0", "?publish=true", CDX, fixture("sbom-bsi-1.6.json")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let sbom_id = r.json["id"].as_str().unwrap().to_string();
    // A switch SBOM is outside the subscription's products.
    let r =
        app.upload(&Auth::Bearer(&admin), "switch", "1.0", "?publish=true", CDX, fixture("sbom-bsi-1.6.json")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let got = hooks.wait_for(3, 20).await;
    assert_eq!(got.len(), 3, "two refused attempts and one delivery: {got:?}");
    let ids: Vec<&str> = got.iter().map(|d| d["headers"]["webhook-id"].as_str().unwrap()).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "the same webhook-id across retries: {ids:?}");
    assert!(got.iter().all(|d| d["verified"] == true));
    assert_eq!(got[2]["answered"], 204);
    assert_eq!(got[2]["payload"]["type"], "sbom.published");
    assert_eq!(got[2]["payload"]["data"]["artifacts"][0]["id"], sbom_id.as_str());
    let log = app.get(&format!("/api/v1/orgs/{ORG}/notifications"), Some(&admin)).await;
    let n = &log.json[0];
    assert_eq!(n["status"], "delivered", "{}", log.json);
    assert_eq!(n["attempts"], 3);
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=notification.failed"), Some(&admin)).await;
    assert!(r.text().matches("notification.failed").count() >= 2, "every attempt is audited: {}", r.text());
    // A receiver that never answers: dead-lettered after the last attempt, with the error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}/subscriptions"),
            Some(&admin),
            json!({"webhook_url": format!("http://127.0.0.1:{closed}/gone"), "events": ["document.published"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r =
        app.upload(&Auth::Bearer(&admin), "router", "2.0", "?publish=true", "text/markdown", fixture("doc.md")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let mut dead = Value::Null;
    for _ in 0..100 {
        let log = app.get(&format!("/api/v1/orgs/{ORG}/notifications?status=dead"), Some(&admin)).await;
        if let Some(n) = log.json.as_array().and_then(|a| a.first()) {
            dead = n.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(dead["attempts"], 3, "dead after the last attempt: {dead}");
    assert!(dead["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{dead}");
    assert!(dead["next_attempt_at"].is_null());
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=notification.dead"), Some(&admin)).await;
    assert_eq!(r.json["events"].as_array().unwrap().len(), 1, "{}", r.json);
    // Withdrawal is announced to those who could see it.
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/artifacts/{sbom_id}/withdraw"),
            Some(&admin),
            json!({"reason": "wrong build"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.json);
    let got = hooks.wait_for(4, 15).await;
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[3]["payload"]["type"], "artifact.withdrawn");
    assert!(got[3]["payload"]["data"]["artifacts"][0]["download_url"].is_null());
    // Deleting the subscription stops it.
    let subs = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}/subscriptions"), Some(&admin)).await;
    let sid = subs.json[0]["id"].as_str().unwrap();
    let r = app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}/subscriptions/{sid}"), Some(&admin)).await;
    assert_eq!(r.status, 204);
    let r =
        app.upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", CDX, fixture("sbom-bsi-1.6.json")).await;
    assert_eq!(r.status, 201);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(hooks.received().await.len(), 4);
}

async fn without_a_mail_server_emails_are_held_not_dropped(backend: Backend) {
    let app = spawn(backend, &env(None)).await;
    let admin = catalogue(&app).await;
    token(&app, &admin, json!({"name": "Customer A", "expires_in": "90d", "contact_email": "sec@a.example"})).await;
    track(&app, &admin, "CVE-2026-7777", "high", false).await;
    let vuln = format!("/api/v1/orgs/{ORG}/vulnerabilities/CVE-2026-7777");
    let r = app
        .put(
            &format!("{vuln}/assessments"),
            Some(&admin),
            json!([
        {"product": "switch", "version": "1.0", "status": "under_investigation"}]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let r = app.post(&format!("{vuln}/publish"), Some(&admin), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["notifications_queued"], 1);
    let mut held = Value::Null;
    for _ in 0..50 {
        let log = app.get(&format!("/api/v1/orgs/{ORG}/notifications"), Some(&admin)).await;
        if log.json[0]["status"] == "held" {
            held = log.json[0].clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(held["status"], "held", "kept in the outbox");
    assert!(held["last_error"].as_str().unwrap().contains("no mail server configured"));
    assert_eq!(held["target"], "sec@a.example");
    // A restart with a mail server sends what was held.
    if !receivers::available() {
        return;
    }
    let smtp = SmtpSink::start();
    let (db, data) = app.stop().await;
    let pairs: Vec<(&str, String)> = env(Some(&smtp));
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::spawn_on(db, Some(data), &pairs).await;
    assert_eq!(smtp.wait_for("sec@a.example", 1, 15).await.len(), 1, "sent once a mail server is configured");
    let log = app.get(&format!("/api/v1/orgs/{ORG}/notifications"), Some(&admin_again(&app).await)).await;
    assert_eq!(log.json[0]["status"], "sent", "{}", log.json);
}

async fn admin_again(app: &TestApp) -> String {
    app.login(e2e::ADMIN_EMAIL, e2e::ADMIN_PASSWORD).await
}

async fn webhook_addresses_must_be_public_https(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = catalogue(&app).await;
    let (_, t) = token(&app, &admin, json!({"name": "Customer A", "expires_in": "90d"})).await;
    for url in [
        "https://127.0.0.1/h",
        "https://10.0.0.8/h",
        "https://169.254.169.254/latest",
        "https://[::1]/h",
        "https://localhost/h",
        "http://example.com/h",
        "ftp://example.com/h",
        "https://user:pw@example.com/h",
    ] {
        let r = app.post("/api/v1/portal/acme/subscriptions", Some(&t), json!({"webhook_url": url})).await;
        let p = r.assert_problem(422);
        assert!(p["detail"].as_str().unwrap().contains("webhook_url"), "{url}: {p}");
    }
    let r = app.post("/api/v1/portal/acme/subscriptions", Some(&t), json!({"events": ["sbom.published"]})).await;
    r.assert_problem(400);
    let r = app
        .post("/api/v1/portal/acme/subscriptions", Some(&t), json!({"email": "a@b.example", "events": ["nope"]}))
        .await;
    assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains("nope"));
    let r = app.post("/api/v1/portal/acme/subscriptions", None, json!({"email": "a@b.example"})).await;
    r.assert_problem(401);
    // An e-mail subscription needs no outside check.
    let r = app.post("/api/v1/portal/acme/subscriptions", Some(&t), json!({"email": "a@b.example"})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert!(r.json["webhook_secret"].is_null());
    let id = r.json["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/portal/acme/subscriptions/{id}"), Some(&t)).await.status, 204);
    app.delete(&format!("/api/v1/portal/acme/subscriptions/{id}"), Some(&t)).await.assert_problem(404);
}

async fn triage_is_validated_and_uploaded_vex_shows_up_read_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = catalogue(&app).await;
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/vulnerabilities"),
            Some(&admin),
            json!({"id": "not an id!", "title": "", "severity": "catastrophic"}),
        )
        .await;
    r.assert_problem(400);
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/vulnerabilities"),
            Some(&admin),
            json!({"id": "CVE-2023-1234", "title": "t", "severity": "low", "cvss_v3_vector": "CVSS:2/x"}),
        )
        .await;
    assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains("cvss_v3_vector"));
    track(&app, &admin, "CVE-2023-1234", "medium", false).await;
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/vulnerabilities"),
            Some(&admin),
            json!({"id": "cve-2023-1234", "title": "again", "severity": "low"}),
        )
        .await;
    r.assert_problem(409);
    let vuln = format!("/api/v1/orgs/{ORG}/vulnerabilities/CVE-2023-1234");
    for (body, field) in [
        (json!([{"product": "router", "version": "1.0", "status": "not_affected"}]), "justification"),
        (json!([{"product": "router", "version": "1.0", "status": "affected"}]), "action_statement"),
        (json!([{"product": "router", "version": "9.9", "status": "fixed"}]), "version"),
        (
            json!([{"product": "router", "version": "1.0", "status": "fixed", "justification": "component_not_present"}]),
            "justification",
        ),
    ] {
        let r = app.put(&format!("{vuln}/assessments"), Some(&admin), body).await;
        assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains(field), "{}", r.json);
    }
    let r = app.post(&format!("{vuln}/publish"), Some(&admin), json!({})).await;
    r.assert_problem(409);
    // Viewers read, never write.
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    assert_eq!(app.get(&vuln, Some(&viewer)).await.status, 200);
    app.patch(&vuln, Some(&viewer), json!({"closed": true})).await.assert_problem(403);
    // An uploaded OpenVEX about the same CVE is an assessment too, read-only, with its source.
    let r = app
        .upload(
            &Auth::Bearer(&admin),
            "switch",
            "1.0",
            "?publish=true",
            "application/openvex+json",
            fixture("openvex-0.2.0.json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = app.get(&vuln, Some(&admin)).await;
    let a = &r.json["assessments"][0];
    assert_eq!(a["read_only"], true, "{}", r.json);
    assert_eq!(a["source"]["type"], "vex_document");
    assert_eq!(a["product"], "switch");
    // Filters and closing.
    let r = app.get(&format!("/api/v1/orgs/{ORG}/vulnerabilities?open=true"), Some(&admin)).await;
    assert_eq!(r.json.as_array().unwrap().len(), 1);
    let r = app.patch(&vuln, Some(&admin), json!({"closed": true})).await;
    assert_eq!(r.json["open"], false, "{}", r.json);
    let r = app.get(&format!("/api/v1/orgs/{ORG}/vulnerabilities?open=true"), Some(&admin)).await;
    assert_eq!(r.json.as_array().unwrap().len(), 0);
    app.get(&format!("{vuln}/timeline?format=pdf"), Some(&admin)).await.assert_problem(400);
}

async fn expiry_warnings_and_renewals(backend: Backend) {
    if !receivers::available() {
        return;
    }
    let smtp = SmtpSink::start();
    let app = spawn(backend, &env(Some(&smtp))).await;
    let admin = catalogue(&app).await;
    // Warn 31 and 3 days ahead: a 30-day token crosses the first at once.
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(&admin),
            json!({"enabled": true, "slug": "acme",
        "visibility": "private", "display_name": "ACME Security",
        "response": {"notify_within_hours": 48, "critical_fix_business_days": 15, "expiry_warning_days": [31, 3]}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["response"]["expiry_warning_days"], json!([31, 3]));
    let (id, t) =
        token(&app, &admin, json!({"name": "Customer A", "expires_in": "30d", "contact_email": "sec@a.example"})).await;
    let mails = smtp.wait_for("sec@a.example", 1, 15).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0]["subject"].as_str().unwrap().contains("expires soon"), "{}", mails[0]);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(smtp.wait_for("sec@a.example", 1, 0).await.len(), 1, "once per warning");
    // The customer asks for a renewal; the admins are told; an admin approves.
    let r = app
        .post("/api/v1/portal/acme/renewal-requests", Some(&t), json!({"message": "Contract renewed until 2028"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let rid = r.json["id"].as_str().unwrap().to_string();
    assert_eq!(smtp.wait_for(e2e::ADMIN_EMAIL, 1, 15).await.len(), 1, "admins are told");
    let r = app.get(&format!("/api/v1/orgs/{ORG}/portal/renewal-requests"), Some(&admin)).await;
    assert_eq!(r.json[0]["status"], "pending");
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/renewal-requests/{rid}/decision"),
            Some(&admin),
            json!({"decision": "approve", "expires_in": "1y"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["status"], "approved");
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/renewal-requests/{rid}/decision"),
            Some(&admin),
            json!({"decision": "decline"}),
        )
        .await;
    r.assert_problem(409);
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&admin)).await;
    let tok = tokens.json.as_array().unwrap().iter().find(|x| x["id"] == id.as_str()).unwrap();
    let exp = chrono::DateTime::parse_from_rfc3339(tok["expires_at"].as_str().unwrap()).unwrap();
    assert!(exp > chrono::Utc::now() + chrono::Duration::days(300), "extended: {tok}");
    // Admins extend and set the contact address directly too.
    let r = app
        .patch(
            &format!("/api/v1/orgs/{ORG}/portal/tokens/{id}"),
            Some(&admin),
            json!({"contact_email": null, "expires_in": "90d"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert!(r.json["contact_email"].is_null());
    app.patch(
        &format!("/api/v1/orgs/{ORG}/portal/tokens/{id}"),
        Some(&admin),
        json!({"contact_email": "not-an-address"}),
    )
    .await
    .assert_problem(400);
}

async fn deadlines_are_reminded_and_overdue_ones_listed(backend: Backend) {
    if !receivers::available() {
        return;
    }
    let smtp = SmtpSink::start();
    let app = spawn(backend, &env(Some(&smtp))).await;
    let admin = catalogue(&app).await;
    let ago = |h: i64| (chrono::Utc::now() - chrono::Duration::hours(h)).to_rfc3339();
    // Aware 40 h ago: customers must be told within 8 h — inside the 12 h reminder window.
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/vulnerabilities"),
            Some(&admin),
            json!({"id": "CVE-2026-0040", "title": "Soon due", "severity": "high", "aware_at": ago(40)}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let clock = &r.json["clocks"][0];
    assert_eq!(clock["name"], "customers_notified");
    assert_eq!(clock["state"], "due");
    assert!(clock["due_in_seconds"].as_i64().unwrap() < 8 * 3600 + 60);
    // Aware 100 h ago and actively exploited: notification overdue, both CRA reports too.
    let r = app.post(&format!("/api/v1/orgs/{ORG}/vulnerabilities"), Some(&admin),
        json!({"id": "CVE-2026-0100", "title": "Late", "severity": "critical", "actively_exploited": true, "aware_at": ago(100)})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let states: Vec<(String, String)> = r.json["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["state"].as_str().unwrap().to_string()))
        .collect();
    for (name, want) in [
        ("customers_notified", "overdue"),
        ("critical_addressed", "due"),
        ("early_warning", "overdue"),
        ("notification", "overdue"),
        ("final_report", "pending"),
    ] {
        assert!(states.contains(&(name.to_string(), want.to_string())), "{name} {want}: {states:?}");
    }
    let r = app.get(&format!("/api/v1/orgs/{ORG}/vulnerabilities?overdue=true"), Some(&admin)).await;
    let ids: Vec<&str> = r.json.as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["CVE-2026-0100"]);
    // The admins are e-mailed once per clock: 1 (due soon) + 3 (overdue).
    let mails = smtp.wait_for(e2e::ADMIN_EMAIL, 4, 20).await;
    assert_eq!(mails.len(), 4, "{mails:?}");
    assert!(mails.iter().any(|m| m["text"].as_str().unwrap().contains("OVERDUE")));
    assert!(mails.iter().all(|m| m["subject"].as_str().unwrap().contains("Response deadline")));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(smtp.wait_for(e2e::ADMIN_EMAIL, 5, 0).await.len(), 4, "not again");
    // Drafts name the products and the awareness time.
    let r = app.get(&format!("/api/v1/orgs/{ORG}/vulnerabilities/CVE-2026-0100/reports"), Some(&admin)).await;
    assert!(r.json["early_warning"].as_str().unwrap().contains("actively exploited"), "{}", r.json);
}
