//! Accounts and personal data (issue 15, the parts built so far): changing a password ends every
//! other session, sessions can be listed and ended, "sign out everywhere", secrets are never
//! cached, and client addresses and user agents are for admins only.

use e2e::{e2e, fixture, Auth, Backend, TestApp, ADMIN_EMAIL, ADMIN_PASSWORD, ORG};
use serde_json::json;

e2e!(
    password_change_ends_every_other_session,
    sessions_are_listed_and_ended,
    personal_data_is_for_admins_only,
    setup_needs_the_one_time_code,
    metrics_need_their_token,
    sessions_end_when_idle,
    two_factors_with_codes_computed_here,
    multipart_forms_are_capped,
);

async fn password_change_ends_every_other_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.setup_admin().await;
    let second = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = app
        .post(
            "/api/v1/me/password",
            Some(&first),
            json!({"current_password": "wrong one", "new_password": "a brand new passphrase"}),
        )
        .await;
    assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains("current_password"));
    let r = app
        .post("/api/v1/me/password", Some(&first), json!({"current_password": ADMIN_PASSWORD, "new_password": "short"}))
        .await;
    assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains("new_password"));
    let r = app
        .post(
            "/api/v1/me/password",
            Some(&first),
            json!({"current_password": ADMIN_PASSWORD, "new_password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.json);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    // The other session fails on its very next request; this one goes on.
    app.get("/api/v1/me", Some(&second)).await.assert_problem(401);
    assert_eq!(app.get("/api/v1/me", Some(&first)).await.status, 200);
    let old = app.post("/api/v1/auth/login", None, json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})).await;
    old.assert_problem(401);
    let new =
        app.post("/api/v1/auth/login", None, json!({"email": ADMIN_EMAIL, "password": "a brand new passphrase"})).await;
    assert_eq!(new.status, 200);
    assert_eq!(new.header("cache-control"), Some("no-store"), "a response carrying a secret is never cached");
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=auth.password.change"), Some(&first)).await;
    assert_eq!(r.json["events"][0]["details"]["other_sessions_ended"], 1, "{}", r.json);
}

async fn sessions_are_listed_and_ended(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let a = app.setup_admin().await;
    let b = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let c = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = app.get("/api/v1/me/sessions", Some(&a)).await;
    let list = r.json.as_array().unwrap();
    assert_eq!(list.len(), 3, "{}", r.json);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(list[0]["ip"], "127.0.0.1");
    // End c's session from a.
    let me_c = app.get("/api/v1/me/sessions", Some(&c)).await;
    let c_id = me_c.json.as_array().unwrap().iter().find(|s| s["current"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.delete(&format!("/api/v1/me/sessions/{c_id}"), Some(&a)).await.status, 204);
    app.get("/api/v1/me", Some(&c)).await.assert_problem(401);
    app.delete(&format!("/api/v1/me/sessions/{c_id}"), Some(&a)).await.assert_problem(404);
    // Sign out everywhere: a and b both end.
    assert_eq!(app.post("/api/v1/auth/logout-everywhere", Some(&b), json!({})).await.status, 204);
    app.get("/api/v1/me", Some(&a)).await.assert_problem(401);
    app.get("/api/v1/me", Some(&b)).await.assert_problem(401);
}

async fn personal_data_is_for_admins_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    let (_, publisher) = app.member(&admin, "publisher@acme.example", "publisher").await;
    app.product_version(&admin, "router", "1.0").await;
    let r = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "?publish=true",
            "application/vnd.cyclonedx+json",
            fixture("sbom-min-1.6.json"),
        )
        .await;
    let artifact = r.json["id"].as_str().unwrap().to_string();
    app.open_portal(&admin, "private").await;
    let t = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens"),
            Some(&admin),
            json!({"name": "Customer", "expires_in": "30d"}),
        )
        .await;
    let (token_id, token) = (t.json["id"].as_str().unwrap().to_string(), t.json["token"].as_str().unwrap().to_string());
    let rb = app
        .client
        .get(app.url(&format!("/api/v1/portal/acme/artifacts/{artifact}/download")))
        .bearer_auth(&token)
        .header("user-agent", "CustomerBot/1.0");
    assert_eq!(app.send(rb).await.status, 200);

    let audit = format!("/api/v1/orgs/{ORG}/audit?action=portal.sbom.download");
    let deliveries = format!("/api/v1/orgs/{ORG}/deliveries?artifact={artifact}");
    let usage = format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}/usage");
    let r = app.get(&audit, Some(&admin)).await;
    assert_eq!(r.json["events"][0]["ip"], "127.0.0.1", "{}", r.json);
    assert_eq!(r.json["events"][0]["user_agent"], "CustomerBot/1.0");
    let d = app.get(&deliveries, Some(&admin)).await;
    assert_eq!(d.json["deliveries"][0]["ip"], "127.0.0.1", "{}", d.json);
    for who in [&viewer, &publisher] {
        let r = app.get(&audit, Some(who)).await;
        assert_eq!(r.status, 200);
        let e = &r.json["events"][0];
        assert!(e["ip"].is_null() && e["user_agent"].is_null(), "{e}");
        assert_eq!(e["sha256"].as_str().map(str::len), Some(64), "the event itself stays: {e}");
        assert!(!r.text().contains("127.0.0.1") && !r.text().contains("CustomerBot"));
        let d = app.get(&deliveries, Some(who)).await;
        assert_eq!(d.status, 200, "{}", d.json);
        assert!(!d.text().contains("127.0.0.1"), "{}", d.json);
        let u = app.get(&usage, Some(who)).await;
        assert_eq!(u.status, 200, "{}", u.json);
        assert!(!u.text().contains("127.0.0.1") && !u.text().contains("CustomerBot"), "{}", u.json);
        let s = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats"), Some(who)).await;
        assert!(!s.text().contains("127.0.0.1"), "{}", s.json);
    }
    // GET responses stay cacheable by the client; only writes say no-store.
    assert_eq!(app.get(&audit, Some(&admin)).await.header("cache-control"), None);
}

async fn setup_needs_the_one_time_code(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_SETUP_CODE", "the-one-time-code-42")]).await;
    let s = app.get("/api/v1/setup", None).await;
    assert_eq!(s.json["setup_code_required"], true, "{}", s.json);
    let body = |code: Option<&str>| {
        json!({"org_name": "ACME", "org_slug": "acme", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
               "display_name": "Ada", "setup_code": code})
    };
    app.post("/api/v1/setup", None, body(None)).await.assert_problem(403);
    let r = app.post("/api/v1/setup", None, body(Some("a guess"))).await;
    assert!(r.assert_problem(403)["detail"].as_str().unwrap().contains("setup_code"));
    assert_eq!(app.post("/api/v1/setup", None, body(Some("the-one-time-code-42"))).await.status, 201);
    let s = app.get("/api/v1/setup", None).await;
    assert_eq!(
        (s.json["setup_required"].as_bool(), s.json["setup_code_required"].as_bool()),
        (Some(false), Some(false))
    );
}

async fn metrics_need_their_token(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_METRICS_TOKEN", "scrape-secret-123")]).await;
    app.get("/metrics", None).await.assert_problem(401);
    app.get("/metrics", Some("wrong")).await.assert_problem(401);
    let r = app.get("/metrics", Some("scrape-secret-123")).await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("portal_http_requests_total") || r.text().contains("portal_"), "{}", r.text());
}

async fn sessions_end_when_idle(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_SESSION_IDLE_SECS", "3")]).await;
    let busy = app.setup_admin().await;
    let idle = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // A session in use stays alive past the idle limit…
    for _ in 0..5 {
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        assert_eq!(app.get("/api/v1/me", Some(&busy)).await.status, 200);
    }
    // …one left alone ends.
    let r = app.get("/api/v1/me", Some(&idle)).await;
    assert!(r.assert_problem(401)["detail"].as_str().unwrap().contains("without activity"));
}

async fn two_factors_with_codes_computed_here(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let login = |totp: Option<String>| {
        let mut body = json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
        if let Some(t) = totp {
            body["totp"] = json!(t);
        }
        app.post("/api/v1/auth/login", None, body)
    };
    let r = app.post("/api/v1/me/totp", Some(&admin), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let url = r.json["otpauth_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("otpauth://totp/") && url.contains("issuer=Supplier"), "{url}");
    // Not on until confirmed.
    assert_eq!(login(None).await.status, 200);
    let totp = totp_rs::TOTP::from_url(&url).unwrap();
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    app.post("/api/v1/me/totp/confirm", Some(&admin), json!({"code": "000000"})).await.assert_problem(400);
    let r = app.post("/api/v1/me/totp/confirm", Some(&admin), json!({"code": totp.generate(now())})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let recovery: Vec<String> =
        r.json["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(app.get("/api/v1/me", Some(&admin)).await.json["totp_enabled"], true);
    // Now the password alone is not enough.
    let r = login(None).await;
    assert!(r.assert_problem(401)["detail"].as_str().unwrap().starts_with("totp"));
    login(Some("123456".into())).await.assert_problem(401);
    // The next step's code (within the allowed skew) signs in — once.
    let next = totp.generate(now() + 30);
    assert_eq!(login(Some(next.clone())).await.status, 200);
    login(Some(next)).await.assert_problem(401);
    // A recovery code works once.
    assert_eq!(login(Some(recovery[0].clone())).await.status, 200);
    login(Some(recovery[0].clone())).await.assert_problem(401);
    // Off again with another recovery code.
    assert_eq!(app.post("/api/v1/me/totp/disable", Some(&admin), json!({"code": recovery[1]})).await.status, 204);
    assert_eq!(login(None).await.status, 200);
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=auth.totp.enable"), Some(&admin)).await;
    assert_eq!(r.json["events"].as_array().unwrap().len(), 1);
}

async fn multipart_forms_are_capped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let url = app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/1.0/artifacts"));
    let file = || e2e::reqwest::multipart::Part::bytes(fixture("sbom-min-1.6.json")).file_name("bom.json");
    let mut many = e2e::reqwest::multipart::Form::new();
    for n in 0..20 {
        many = many.text(format!("f{n}"), "x");
    }
    let r = app.send(app.client.post(&url).bearer_auth(&admin).multipart(many.part("file", file()))).await;
    assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains("at most 16 parts"));
    let two = e2e::reqwest::multipart::Form::new().part("file", file()).part("file", file());
    let r = app.send(app.client.post(&url).bearer_auth(&admin).multipart(two)).await;
    assert!(r.assert_problem(400)["detail"].as_str().unwrap().contains("one file"));
    let big = e2e::reqwest::multipart::Form::new().text("kind", "x".repeat(70 * 1024)).part("file", file());
    let r = app.send(app.client.post(&url).bearer_auth(&admin).multipart(big)).await;
    r.assert_problem(400);
    // Nothing was recorded.
    let list = app.get(&format!("/api/v1/orgs/{ORG}/artifacts"), Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 0);
}
