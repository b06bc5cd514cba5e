//! The console's home and the portal's front door: the overview, the private portal's landing
//! page (public fields, logo), access requests behind a click-through NDA, the "download all"
//! archive of a version, and the SPA served from the binary.

use std::collections::BTreeSet;
use std::io::Read;

use e2e::{e2e, fixture, sha256_hex, Backend, TestApp, ORG};
use serde_json::{json, Value};

e2e!(
    landing_shows_what_the_settings_allow,
    logo_upload_is_checked_and_served,
    access_requests_behind_an_nda_become_tokens,
    access_requests_are_rate_limited,
    version_archive_is_streamed_and_audited_per_file,
    overview_lists_what_needs_attention,
    console_pages_say_when_the_ui_is_missing,
);

const CDX: &str = "application/vnd.cyclonedx+json";
const NDA: &str = "You keep what you read here to yourself.";

async fn portal(app: &TestApp, admin: &str, landing: Value) -> Value {
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(admin),
            json!({"enabled": true, "slug": "acme", "visibility": "private", "display_name": "ACME Product Security",
                   "description": "Security evidence for ACME routers", "contact_email": "psirt@acme.example",
                   "landing": landing}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json
}

fn open_landing() -> Value {
    json!({"show_description": true, "show_contact": true, "access_requests": true,
           "nda": {"version": "2026-12", "text": NDA}})
}

async fn landing_shows_what_the_settings_allow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let settings = portal(&app, &admin, open_landing()).await;
    assert_eq!(settings["landing"]["nda"]["version"], "2026-12");

    // A private portal: the catalogue is closed, the front door is not.
    app.get("/api/v1/portal/acme/products", None).await.assert_problem(401);
    let l = app.get("/api/v1/portal/acme/landing", None).await;
    assert_eq!(l.status, 200, "{}", l.json);
    assert_eq!(l.json["display_name"], "ACME Product Security");
    assert_eq!(l.json["description"], "Security evidence for ACME routers");
    assert_eq!(l.json["contact_email"], "psirt@acme.example");
    assert_eq!(l.json["access_requests"], true);
    assert_eq!(l.json["nda"]["sha256"], sha256_hex(NDA.as_bytes()));
    assert_eq!(l.json["nda"]["text"], NDA);

    // Switched off: the fields are not disclosed.
    portal(
        &app,
        &admin,
        json!({"show_description": false, "show_contact": false, "access_requests": false, "nda": null}),
    )
    .await;
    let l = app.get("/api/v1/portal/acme/landing", None).await;
    assert_eq!(l.json["display_name"], "ACME Product Security");
    assert!(
        l.json["description"].is_null() && l.json["contact_email"].is_null() && l.json["nda"].is_null(),
        "{}",
        l.json
    );
    assert_eq!(l.json["access_requests"], false);

    // Omitted in a later save: unchanged.
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(&admin),
            json!({"enabled": true, "slug": "acme", "visibility": "private", "display_name": "ACME"}),
        )
        .await;
    assert_eq!(r.json["landing"]["show_contact"], false, "{}", r.json);

    // A disabled or unknown portal has no front door either.
    app.get("/api/v1/portal/nobody/landing", None).await.assert_problem(404);
    // Bad settings name their field.
    let bad = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(&admin),
            json!({"enabled": true, "slug": "acme", "visibility": "private", "display_name": "ACME",
                   "landing": {"show_description": true, "show_contact": true, "access_requests": true,
                               "nda": {"version": "", "text": NDA}}}),
        )
        .await;
    let p = bad.assert_problem(400);
    assert!(p["errors"].to_string().contains("landing.nda.version"), "{p}");
}

/// The smallest valid PNG (1×1, transparent).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn put_logo(app: &TestApp, admin: &str, content_type: &str, body: Vec<u8>) -> e2e::Resp {
    let rb = app
        .client
        .put(app.url(&format!("/api/v1/orgs/{ORG}/portal/logo")))
        .bearer_auth(admin)
        .header("content-type", content_type)
        .body(body);
    app.send(rb).await
}

async fn logo_upload_is_checked_and_served(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let r = put_logo(&app, &admin, "image/png", PNG.to_vec()).await;
    assert!(r.json.to_string().contains("save the portal settings"), "{}", r.json);
    r.assert_problem(409);
    portal(&app, &admin, open_landing()).await;

    put_logo(&app, &admin, "image/svg+xml", b"<svg/>".to_vec()).await.assert_problem(415);
    let p = put_logo(&app, &admin, "image/jpeg", PNG.to_vec()).await;
    p.assert_problem(400);
    assert!(p.json.to_string().contains("the bytes are image/png"), "{}", p.json);
    put_logo(&app, &admin, "image/png", b"GIF89a not a png".to_vec()).await.assert_problem(400);
    put_logo(&app, &admin, "image/png", vec![0x89; 300 * 1024]).await.assert_problem(413);
    assert_eq!(app.get("/api/v1/portal/acme/logo", None).await.status, 404, "nothing was stored");

    let r = put_logo(&app, &admin, "image/png", PNG.to_vec()).await;
    assert_eq!(r.status, 204, "{}", r.json);
    let l = app.get("/api/v1/portal/acme/landing", None).await;
    let url = l.json["logo_url"].as_str().expect("logo_url").to_string();
    let logo = app.get(&url, None).await;
    assert_eq!(logo.status, 200);
    assert_eq!(logo.header("content-type"), Some("image/png"));
    assert_eq!(logo.bytes, PNG);
    assert_eq!(logo.header("x-content-type-options"), Some("nosniff"));
    let etag = logo.header("etag").expect("an ETag").to_string();
    let rb = app.client.get(app.url(&url)).header("if-none-match", etag);
    assert_eq!(app.send(rb).await.status, 304, "a cached logo is not sent again");

    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.logo.update"), Some(&admin)).await;
    assert_eq!(audit.json["events"].as_array().unwrap().len(), 1, "{}", audit.json);
    assert_eq!(audit.json["events"][0]["details"]["sha256"], sha256_hex(PNG));

    assert_eq!(app.delete(&format!("/api/v1/orgs/{ORG}/portal/logo"), Some(&admin)).await.status, 204);
    assert!(app.get("/api/v1/portal/acme/landing", None).await.json["logo_url"].is_null());
    app.get("/api/v1/portal/acme/logo", None).await.assert_problem(404);
}

fn request_body(email: &str, nda: Option<(&str, String)>) -> Value {
    let mut b = json!({"name": "Dana Buyer", "company": "Globex", "email": email,
                       "reason": "We run ACME routers in 40 branches (contract 7781)."});
    if let Some((v, h)) = nda {
        b["nda_version"] = json!(v);
        b["nda_sha256"] = json!(h);
    }
    b
}

async fn access_requests_behind_an_nda_become_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let url = "/api/v1/portal/acme/access-requests";
    // Off by default.
    portal(
        &app,
        &admin,
        json!({"show_description": true, "show_contact": true, "access_requests": false, "nda": null}),
    )
    .await;
    app.post(url, None, request_body("dana@globex.example", None)).await.assert_problem(404);
    portal(&app, &admin, open_landing()).await;

    // The NDA must be accepted, and exactly the text shown.
    let p = app.post(url, None, request_body("dana@globex.example", None)).await;
    assert!(p.assert_problem(400)["errors"].to_string().contains("nda_sha256"));
    let stale =
        app.post(url, None, request_body("dana@globex.example", Some(("2026-12", sha256_hex(b"old text"))))).await;
    assert!(stale.assert_problem(400)["errors"].to_string().contains("changed"), "{}", stale.json);
    let bad = app.post(url, None, json!({"name": "", "company": "G", "email": "not-an-address", "reason": "x"})).await;
    let errs = bad.assert_problem(400)["errors"].to_string();
    assert!(errs.contains("\"name\"") && errs.contains("\"email\""), "{errs}");

    let nda = Some(("2026-12", sha256_hex(NDA.as_bytes())));
    let r = app.post(url, None, request_body("Dana@Globex.example", nda.clone())).await;
    assert_eq!(r.status, 202, "{}", r.json);
    // Asking twice answers the same and records nothing new.
    let again = app.post(url, None, request_body("dana@globex.example", nda.clone())).await;
    assert_eq!(again.status, 202);
    assert_eq!(again.json, r.json);
    let r2 = app.post(url, None, request_body("eve@initech.example", nda.clone())).await;
    assert_eq!(r2.status, 202);

    // Admins see them, pending first, with the NDA accepted.
    let list = app.get(&format!("/api/v1/orgs/{ORG}/portal/access-requests?status=pending"), Some(&admin)).await;
    assert_eq!(list.status, 200, "{}", list.json);
    let reqs = list.json.as_array().unwrap().clone();
    assert_eq!(reqs.len(), 2, "{}", list.json);
    let dana = reqs.iter().find(|r| r["email"] == "dana@globex.example").expect("dana's request").clone();
    assert_eq!(dana["nda_version"], "2026-12");
    assert_eq!(dana["nda_sha256"], sha256_hex(NDA.as_bytes()));
    assert_eq!(dana["company"], "Globex");
    let eve = reqs.iter().find(|r| r["email"] == "eve@initech.example").unwrap().clone();
    // Customers cannot read the list.
    app.get(&format!("/api/v1/orgs/{ORG}/portal/access-requests"), None).await.assert_problem(401);

    // Approve: a token, shown once, that opens the portal.
    let decide = |id: &Value| format!("/api/v1/orgs/{ORG}/portal/access-requests/{}/decision", id.as_str().unwrap());
    let ok = app
        .post(
            &decide(&dana["id"]),
            Some(&admin),
            json!({"decision": "approve", "expires_in": "90d", "max_tlp": "green"}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.json);
    assert_eq!(ok.json["request"]["status"], "approved");
    let secret = ok.json["token"]["token"].as_str().expect("the secret").to_string();
    assert_eq!(ok.json["token"]["name"], "Globex");
    assert_eq!(ok.json["token"]["max_tlp"], "green");
    assert_eq!(ok.json["token"]["contact_email"], "dana@globex.example");
    assert_eq!(ok.json["request"]["token_id"], ok.json["token"]["id"]);
    let s = app.post("/api/v1/portal/acme/session", None, json!({"token": secret})).await;
    assert_eq!(s.status, 200, "{}", s.json);
    let tid = ok.json["token"]["id"].as_str().unwrap();
    let t = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{tid}"), Some(&admin)).await;
    assert_eq!(
        (t.status.as_u16(), t.json["name"].as_str(), t.json["status"].as_str()),
        (200, Some("Globex"), Some("active"))
    );
    assert!(t.json.get("token").is_none(), "the secret is never shown again");
    app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/nope"), Some(&admin)).await.assert_problem(404);
    app.post(&decide(&dana["id"]), Some(&admin), json!({"decision": "decline"})).await.assert_problem(409);

    // Decline the other, with a note kept on the request.
    let no =
        app.post(&decide(&eve["id"]), Some(&admin), json!({"decision": "decline", "note": "not a customer"})).await;
    assert_eq!(no.status, 200, "{}", no.json);
    assert!(no.json["token"].is_null());
    assert_eq!(no.json["request"]["decision_note"], "not a customer");
    app.post(&decide(&json!("nope")), Some(&admin), json!({"decision": "decline"})).await.assert_problem(404);
    app.post(&decide(&eve["id"]), Some(&admin), json!({"decision": "maybe"})).await.assert_problem(400);

    // Every step is audited; the request's personal data stays out of the event.
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.access.*"), Some(&admin)).await;
    let actions: Vec<&str> =
        audit.json["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "portal.access.request").count(), 2, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "portal.access.decide").count(), 2, "{actions:?}");
    assert!(!audit.json.to_string().contains("dana@globex.example"), "no e-mail address in the audit details");
    // The admins were told (held: no mail server here).
    let n = app.get(&format!("/api/v1/orgs/{ORG}/notifications"), Some(&admin)).await;
    assert!(n.json.to_string().contains("access.requested"), "{}", n.json);
}

async fn access_requests_are_rate_limited(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_ACCESS_REQUESTS_PER_IP", "2")]).await;
    let admin = app.setup_admin().await;
    portal(&app, &admin, json!({"show_description": true, "show_contact": true, "access_requests": true, "nda": null}))
        .await;
    for i in 0..2 {
        let r =
            app.post("/api/v1/portal/acme/access-requests", None, request_body(&format!("p{i}@x.example"), None)).await;
        assert_eq!(r.status, 202, "{}", r.json);
    }
    let r = app.post("/api/v1/portal/acme/access-requests", None, request_body("p9@x.example", None)).await;
    r.assert_problem(429);
    assert!(r.header("retry-after").is_some());
    let list = app.get(&format!("/api/v1/orgs/{ORG}/portal/access-requests"), Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 2);
}

async fn version_archive_is_streamed_and_audited_per_file(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    portal(&app, &admin, open_landing()).await;
    app.product_version(&admin, "router", "1.0").await;
    let mut published = BTreeSet::new();
    for (ct, file, q) in [
        (CDX, "sbom-min-1.6.json", "?publish=true&filename=bom.json"),
        (CDX, "sbom-bsi-1.6.json", "?publish=true&filename=bom.json"),
        ("application/json", "openvex-0.2.0.json", "?kind=vex&publish=true"),
        ("application/pdf", "doc.pdf", "?kind=document&document_type=other&publish=true&filename=..%2F..%2Fsecret.pdf"),
        (CDX, "cdx-vex.json", "?kind=vex"),
    ] {
        let body = fixture(file);
        let r = app.upload(&e2e::Auth::Bearer(&admin), "router", "1.0", q, ct, body.clone()).await;
        assert_eq!(r.status, 201, "{file}: {}", r.json);
        if q.contains("publish=true") {
            published.insert(sha256_hex(&body));
        }
    }
    let t = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens"),
            Some(&admin),
            json!({"name": "Globex", "expires_in": "30d"}),
        )
        .await;
    let secret = t.json["token"].as_str().unwrap().to_string();

    let url = "/api/v1/portal/acme/products/router/versions/1.0/archive";
    app.get(url, None).await.assert_problem(401);
    let r = app.get(url, Some(&secret)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/zip"));
    assert!(r.header("content-disposition").unwrap_or("").contains("router-1.0.zip"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.bytes.clone())).expect("a ZIP");
    let names: BTreeSet<String> = zip.file_names().map(str::to_string).collect();
    assert!(names.contains("sbom/bom.json") && names.contains("sbom/bom (2).json"), "{names:?}");
    assert!(names.contains("documents/secret.pdf"), "no path escapes the folder: {names:?}");
    let mut sums = String::new();
    zip.by_name("SHA256SUMS").unwrap().read_to_string(&mut sums).unwrap();
    let mut got = BTreeSet::new();
    for line in sums.lines() {
        let (sha, name) = line.split_once("  ").unwrap();
        let mut data = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut data).unwrap();
        assert_eq!(sha256_hex(&data), sha, "{name}");
        got.insert(sha.to_string());
    }
    assert_eq!(got, published, "exactly the published files, byte for byte; the draft is not in it");

    // One download event per file, with its digest, before the bytes left; the token used once.
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?category=portal"), Some(&admin)).await;
    let events: Vec<&Value> = audit.json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().ends_with(".download"))
        .collect();
    assert_eq!(events.len(), published.len(), "{}", audit.json);
    let audited: BTreeSet<String> = events.iter().map(|e| e["sha256"].as_str().unwrap().to_string()).collect();
    assert_eq!(audited, published);
    assert!(events.iter().all(|e| e["details"]["channel"] == "archive" && e["actor_name"] == "Globex"));
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&admin)).await;
    assert_eq!(tokens.json[0]["use_count"], 1, "{}", tokens.json);

    // Nothing visible: 404, nothing audited.
    app.product_version(&admin, "router", "2.0").await;
    app.get("/api/v1/portal/acme/products/router/versions/2.0/archive", Some(&secret)).await.assert_problem(404);
}

async fn overview_lists_what_needs_attention(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    portal(&app, &admin, open_landing()).await;
    app.product_version(&admin, "router", "1.0").await;
    app.product_version(&admin, "router", "2.0").await;
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/products/router/versions"),
            Some(&admin),
            json!({"version": "0.9", "release_date": "2020-01-01",
                   "support_until": (chrono::Utc::now().date_naive() + chrono::Duration::days(20)).to_string()}),
        )
        .await;
    assert_eq!(r.status, 201, "0.9: {}", r.json);
    let up = |v: &'static str, q: &'static str, f: &'static str, ct: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let r = app.upload(&e2e::Auth::Bearer(&admin), "router", v, q, ct, fixture(f)).await;
            assert_eq!(r.status, 201, "{}", r.json);
        }
    };
    up("1.0", "?publish=true", "sbom-min-1.6.json", CDX).await;
    up("1.0", "?kind=vex&publish=true", "openvex-0.2.0.json", "application/json").await;
    up("2.0", "?filename=draft-bom.json", "sbom-bsi-1.6.json", CDX).await;
    for (name, expires) in [("Soon", "30d"), ("Later", "90d")] {
        let t = app
            .post(
                &format!("/api/v1/orgs/{ORG}/portal/tokens"),
                Some(&admin),
                json!({"name": name, "expires_in": expires}),
            )
            .await;
        assert_eq!(t.status, 201);
        if name == "Later" {
            let s = t.json["token"].as_str().unwrap().to_string();
            app.get("/api/v1/portal/acme/products/router", Some(&s)).await;
        }
    }
    app.post(
        "/api/v1/portal/acme/access-requests",
        None,
        request_body("dana@globex.example", Some(("2026-12", sha256_hex(NDA.as_bytes())))),
    )
    .await;

    let o = app.get(&format!("/api/v1/orgs/{ORG}/overview"), Some(&admin)).await;
    assert_eq!(o.status, 200, "{}", o.json);
    let c = &o.json["counts"];
    assert_eq!(c["products"], 1);
    assert_eq!(c["versions"], 3);
    assert_eq!(c["published_artifacts"], 2);
    assert_eq!(c["drafts"], 1);
    assert_eq!(c["active_tokens"], 2);
    assert_eq!(c["tokens_expiring"], 1);
    assert_eq!(c["versions_without_sbom"], 2, "2.0 has only a draft, 0.9 nothing");
    assert_eq!(c["versions_without_vex"], 2);
    assert_eq!(c["support_ending"], 1);
    assert_eq!(c["pending_access_requests"], 1);
    let versions = |k: &str| -> BTreeSet<String> {
        o.json[k].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(versions("versions_without_sbom"), BTreeSet::from(["0.9".to_string(), "2.0".to_string()]));
    assert_eq!(versions("support_ending"), BTreeSet::from(["0.9".to_string()]));
    assert_eq!(o.json["drafts"][0]["filename"], "draft-bom.json");
    assert_eq!(o.json["drafts"][0]["product_slug"], "router");
    assert_eq!(o.json["tokens_expiring"][0]["name"], "Soon");
    let activity = o.json["recent_activity"].as_array().unwrap();
    assert!(activity.iter().any(|a| a["actor_name"] == "Later" && a["product_name"] == "router"), "{activity:?}");

    // Members of any role read it; customers do not.
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/overview"), Some(&viewer)).await.status, 200);
    app.get(&format!("/api/v1/orgs/{ORG}/overview"), None).await.assert_problem(401);
}

async fn console_pages_say_when_the_ui_is_missing(backend: Backend) {
    let empty = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(backend, &[("PORTAL_FRONTEND_DIR", empty.path().to_str().unwrap())]).await;
    let r = app.get("/admin/products", None).await;
    let p = r.assert_problem(503);
    assert!(p["detail"].as_str().unwrap().contains("PORTAL_FRONTEND_DIR"), "{p}");
    // API paths stay API answers.
    app.get("/api/v1/nothing-here", None).await.assert_problem(404);
    assert_eq!(app.get("/healthz", None).await.status, 200);

    // A build on disk is served, with client-side routes falling back to index.html.
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>console</title>").unwrap();
    let app2 = TestApp::spawn_with(backend, &[("PORTAL_FRONTEND_DIR", dist.path().to_str().unwrap())]).await;
    let page = app2.get("/admin/products/router", None).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<title>console</title>"));
    let post = app2.post("/admin/products", None, json!({})).await;
    assert!(matches!(post.status.as_u16(), 404 | 405), "pages are read, never written: {}", post.json);
    assert_eq!(post.header("content-type"), Some("application/problem+json"));
}
