//! Foundation: setup, sign-in, sessions, roles, problem+json, readiness, migrations.

use base64::Engine;
use e2e::{e2e, Backend, TestApp, TestDb, ADMIN_EMAIL, ADMIN_PASSWORD, ORG};
use serde_json::json;

e2e!(
    setup_happens_once,
    concurrent_setup_has_one_winner,
    login_good_and_bad,
    tampered_expired_and_unsigned_jwts_are_rejected,
    roles_are_enforced,
    logout_revokes_the_session,
    last_admin_cannot_leave,
    deactivated_member_loses_access,
    malformed_requests_get_problems,
    login_is_rate_limited,
    readiness_fails_when_the_database_is_gone,
    migrations_go_down_and_up,
    sessions_survive_a_restart,
    metrics_and_request_ids,
    unreferenced_blobs_are_collected_referenced_never,
);

async fn setup_happens_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.get("/api/v1/setup", None).await.json["setup_required"], true);
    let token = app.setup_admin().await;
    assert_eq!(app.get("/api/v1/setup", None).await.json["setup_required"], false);
    let again = app
        .post(
            "/api/v1/setup",
            None,
            json!({"org_name": "Other", "org_slug": "other", "email": "x@other.example", "password": "long enough pw", "display_name": "X"}),
        )
        .await;
    again.assert_problem(409);
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json["user"]["email"], ADMIN_EMAIL);
    assert_eq!(me.json["memberships"][0]["organization"]["slug"], ORG);
    assert_eq!(me.json["memberships"][0]["role"], "admin");
}

async fn concurrent_setup_has_one_winner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let calls = (0..6).map(|i| {
        app.post(
            "/api/v1/setup",
            None,
            json!({"org_name": format!("Org {i}"), "org_slug": format!("org-{i}"), "email": format!("a{i}@x.example"),
                   "password": "long enough pw", "display_name": "A"}),
        )
    });
    let results = futures_util::future::join_all(calls).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let conflicts = results.iter().filter(|r| r.status == 409).count();
    assert_eq!((created, conflicts), (1, 5), "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
}

async fn login_good_and_bad(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.setup_admin().await;
    let ok =
        app.post("/api/v1/auth/login", None, json!({"email": "ADMIN@acme.example", "password": ADMIN_PASSWORD})).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json["token_type"], "Bearer");
    assert!(ok.json["expires_in"].as_i64().unwrap() > 0);
    let wrong_pw =
        app.post("/api/v1/auth/login", None, json!({"email": ADMIN_EMAIL, "password": "wrong password"})).await;
    wrong_pw.assert_problem(401);
    let unknown = app
        .post("/api/v1/auth/login", None, json!({"email": "nobody@acme.example", "password": "wrong password"}))
        .await;
    unknown.assert_problem(401);
    assert_eq!(wrong_pw.json["detail"], unknown.json["detail"], "no account enumeration");
    app.get("/api/v1/me", None).await.assert_problem(401);
}

fn b64(v: &serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

async fn tampered_expired_and_unsigned_jwts_are_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.setup_admin().await;
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);
    let parts: Vec<&str> = token.split('.').collect();
    let claims: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    // Tampered payload, original signature.
    let mut elevated = claims.clone();
    elevated["exp"] = json!(claims["exp"].as_i64().unwrap() + 100_000);
    let tampered = format!("{}.{}.{}", parts[0], b64(&elevated), parts[2]);
    app.get("/api/v1/me", Some(&tampered)).await.assert_problem(401);

    // alg: none with no signature.
    let none = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), parts[1]);
    app.get("/api/v1/me", Some(&none)).await.assert_problem(401);

    // Correctly signed but expired, and signed for another audience.
    let key = jsonwebtoken::EncodingKey::from_secret(&app.jwt_key());
    let mut expired = claims.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 1);
    expired["nbf"] = json!(chrono::Utc::now().timestamp() - 100);
    let expired = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &expired, &key).unwrap();
    app.get("/api/v1/me", Some(&expired)).await.assert_problem(401);
    let mut other_aud = claims.clone();
    other_aud["aud"] = json!("portal:acme");
    let other_aud = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &other_aud, &key).unwrap();
    app.get("/api/v1/me", Some(&other_aud)).await.assert_problem(401);
    // HS512 with the right key: the algorithm is pinned.
    let hs512 =
        jsonwebtoken::encode(&jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512), &claims, &key).unwrap();
    app.get("/api/v1/me", Some(&hs512)).await.assert_problem(401);
    // A well-signed token naming a session that does not exist.
    let mut forged_sid = claims.clone();
    forged_sid["sid"] = json!(uuid::Uuid::new_v4().to_string());
    let forged_sid = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &forged_sid, &key).unwrap();
    app.get("/api/v1/me", Some(&forged_sid)).await.assert_problem(401);
}

async fn roles_are_enforced(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    let (_, publisher) = app.member(&admin, "pub@acme.example", "publisher").await;
    let members = format!("/api/v1/orgs/{ORG}/members");
    assert_eq!(app.get(&members, Some(&viewer)).await.status, 200);
    let invitations = format!("/api/v1/orgs/{ORG}/invitations");
    let add = json!({"email": "x@acme.example", "role": "viewer"});
    app.post(&invitations, Some(&viewer), add.clone()).await.assert_problem(403);
    app.post(&invitations, Some(&publisher), add.clone()).await.assert_problem(403);
    app.get(&invitations, Some(&publisher)).await.assert_problem(403);
    app.member(&admin, "x@acme.example", "viewer").await;
    // Not a member of that organisation: it does not exist for the caller.
    app.get("/api/v1/orgs/other-org/members", Some(&admin)).await.assert_problem(404);
    app.get(&members, None).await.assert_problem(401);
    let list = app.get(&members, Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 4);
}

async fn logout_revokes_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.setup_admin().await;
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(app.post("/api/v1/auth/logout", Some(&token), json!({})).await.status, 204);
    app.get("/api/v1/me", Some(&token)).await.assert_problem(401);
    assert_eq!(app.get("/api/v1/me", Some(&other)).await.status, 200, "other sessions stay");
}

async fn last_admin_cannot_leave(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let members = app.get(&format!("/api/v1/orgs/{ORG}/members"), Some(&admin)).await;
    let me = members.json[0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/orgs/{ORG}/members/{me}");
    app.patch(&path, Some(&admin), json!({"role": "viewer"})).await.assert_problem(409);
    app.patch(&path, Some(&admin), json!({"active": false})).await.assert_problem(409);
    app.delete(&path, Some(&admin)).await.assert_problem(409);
    let (second, _) = app.member(&admin, "second@acme.example", "admin").await;
    let demoted = app.patch(&path, Some(&admin), json!({"role": "publisher"})).await;
    assert_eq!(demoted.status, 200, "{}", demoted.json);
    assert_eq!(demoted.json["role"], "publisher");
    app.patch(&format!("/api/v1/orgs/{ORG}/members/{second}"), Some(&admin), json!({"role": "viewer"}))
        .await
        .assert_problem(403);
}

async fn deactivated_member_loses_access(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (id, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    let members = format!("/api/v1/orgs/{ORG}/members");
    assert_eq!(app.get(&members, Some(&viewer)).await.status, 200);
    let r = app.patch(&format!("{members}/{id}"), Some(&admin), json!({"active": false})).await;
    assert_eq!(r.json["active"], false);
    app.get(&members, Some(&viewer)).await.assert_problem(404);
    assert_eq!(app.delete(&format!("{members}/{id}"), Some(&admin)).await.status, 204);
    app.delete(&format!("{members}/{id}"), Some(&admin)).await.assert_problem(404);
}

async fn malformed_requests_get_problems(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let send = |body: &'static str, ct: &'static str| {
        app.client.post(app.url("/api/v1/auth/login")).header("content-type", ct).body(body).send()
    };
    let malformed = TestApp::read(send("{\"email\": ", "application/json").await.unwrap()).await;
    assert!(malformed.assert_problem(400)["detail"].as_str().unwrap().contains("malformed JSON"));
    let unknown = TestApp::read(
        send(r#"{"email":"a@b.example","password":"x","admin":true}"#, "application/json").await.unwrap(),
    )
    .await;
    assert_eq!(unknown.assert_problem(400)["errors"][0]["field"], "admin");
    let wrong_type = TestApp::read(send(r#"{"email":5,"password":"x"}"#, "application/json").await.unwrap()).await;
    assert!(wrong_type.assert_problem(400)["detail"].as_str().unwrap().contains("invalid type"));
    let missing = TestApp::read(send(r#"{"email":"a@b.example"}"#, "application/json").await.unwrap()).await;
    assert_eq!(missing.assert_problem(400)["errors"][0]["field"], "password");
    let text = TestApp::read(send("hello", "text/plain").await.unwrap()).await;
    text.assert_problem(415);
    let huge = format!(r#"{{"email":"a@b.example","password":"{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let too_big = TestApp::read(
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap(),
    )
    .await;
    too_big.assert_problem(413);
    // Field validation lists every defect.
    let bad =
        app.post("/api/v1/invitations/accept", None, json!({"secret": "", "password": "", "display_name": ""})).await;
    let fields: Vec<&str> =
        bad.assert_problem(400)["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["display_name", "password", "secret"]);
    let bad = app
        .post(
            &format!("/api/v1/orgs/{ORG}/invitations"),
            Some(&admin),
            json!({"email": "not-an-email", "role": "viewer"}),
        )
        .await;
    assert_eq!(bad.assert_problem(400)["errors"][0]["field"], "email");
    let bad_role = app
        .post(
            &format!("/api/v1/orgs/{ORG}/invitations"),
            Some(&admin),
            json!({"email": "a@b.example", "role": "owner"}),
        )
        .await;
    bad_role.assert_problem(400);
    app.get("/api/v1/no-such-route", None).await.assert_problem(404);
    app.delete("/api/v1/setup", None).await.assert_problem(404);
}

async fn login_is_rate_limited(backend: Backend) {
    // Clients are told apart by X-Forwarded-For from the trusted local proxy.
    let app = TestApp::spawn_with(
        backend,
        &[("PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT", "3"), ("PORTAL_TRUSTED_PROXIES", "127.0.0.1/32,::1/128")],
    )
    .await;
    app.setup_admin().await;
    let attempt = |from: &'static str, email: &'static str, password: &'static str| {
        let rb = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", from)
            .json(&json!({"email": email, "password": password}));
        app.send(rb)
    };
    // An attacker's failures: three free, then the (account, address) pair waits, growing.
    for _ in 0..4 {
        attempt("203.0.113.7", ADMIN_EMAIL, "wrong password").await.assert_problem(401);
    }
    let r = attempt("203.0.113.7", ADMIN_EMAIL, "wrong password").await;
    r.assert_problem(429);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3).contains(&wait), "{wait}");
    // The owner, elsewhere, is never kept out.
    assert_eq!(attempt("198.51.100.9", ADMIN_EMAIL, ADMIN_PASSWORD).await.status, 200);
    // An address spelled with a Kelvin sign (U+212A, NFKC: K) is the same account and the same pair.
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.member(&admin, "kim@acme.example", "viewer").await;
    for _ in 0..4 {
        attempt("203.0.113.8", "kim@acme.example", "wrong password").await.assert_problem(401);
    }
    attempt("203.0.113.8", "\u{212a}im@acme.example", "member password 1").await.assert_problem(429);
    let ok = attempt("198.51.100.9", "\u{212a}IM@acme.example", "member password 1").await;
    assert_eq!(ok.status, 200, "the Kelvin spelling signs the same member in: {}", ok.json);
    // Once the wait has passed, the right password works from the attacker's address too.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    assert_eq!(attempt("203.0.113.7", ADMIN_EMAIL, ADMIN_PASSWORD).await.status, 200);
    // IPv6 clients are limited by /64: rotating through one's prefix gains nothing.
    for n in 0..4 {
        let from: &'static str = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2::3", "2001:db8:1:2::4"][n];
        attempt(from, ADMIN_EMAIL, "wrong password").await.assert_problem(401);
    }
    attempt("2001:db8:1:2:ffff::9", ADMIN_EMAIL, ADMIN_PASSWORD).await.assert_problem(429);
    assert_eq!(attempt("2001:db8:1:3::1", ADMIN_EMAIL, ADMIN_PASSWORD).await.status, 200, "another /64");
}

async fn readiness_fails_when_the_database_is_gone(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let ready = app.get("/readyz", None).await;
    assert_eq!((ready.status.as_u16(), ready.json["status"].as_str()), (200, Some("ready")));
    // Migrations reverted behind the server's back: not ready.
    {
        let mut conn = supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap();
        supplier_portal::db::revert_all_migrations(&mut conn).unwrap();
        app.get("/readyz", None).await.assert_problem(503);
        supplier_portal::db::run_migrations(&mut conn).unwrap();
    }
    assert_eq!(app.get("/readyz", None).await.status, 200);
    // Blob store not writable: not ready.
    let tmp = app.data_dir.join("blobs").join("tmp");
    std::fs::remove_dir_all(&tmp).unwrap();
    std::fs::write(&tmp, b"not a directory").unwrap();
    let r = app.get("/readyz", None).await;
    assert!(r.assert_problem(503)["detail"].as_str().is_some());
    std::fs::remove_file(&tmp).unwrap();
    std::fs::create_dir(&tmp).unwrap();
    assert_eq!(app.get("/readyz", None).await.status, 200);
    if backend == Backend::Postgres {
        // The database disappears entirely: 503 problems, no hang, no panic.
        app.db.drop_database();
        app.get("/readyz", None).await.assert_problem(503);
        app.get("/api/v1/setup", None).await.assert_problem(503);
    }
    assert_eq!(app.get("/healthz", None).await.status, 200, "alive regardless");
}

async fn migrations_go_down_and_up(backend: Backend) {
    let db = TestDb::new(backend);
    let mut conn = supplier_portal::db::ConnectionManager::new(&db.url).unwrap().establish().unwrap();
    let applied = supplier_portal::db::run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    assert!(!supplier_portal::db::has_pending_migrations(&mut conn).unwrap());
    assert_eq!(supplier_portal::db::revert_all_migrations(&mut conn).unwrap(), applied.len());
    assert!(supplier_portal::db::has_pending_migrations(&mut conn).unwrap());
    assert_eq!(supplier_portal::db::run_migrations(&mut conn).unwrap().len(), applied.len());
    assert!(supplier_portal::db::run_migrations(&mut conn).unwrap().is_empty(), "idempotent");
    drop(conn);
    // And the server works on the re-created schema.
    let app = TestApp::spawn_on(db, None, &[]).await;
    app.setup_admin().await;
}

async fn sessions_survive_a_restart(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.setup_admin().await;
    let key = app.jwt_key();
    assert!(key.len() >= 32);
    let (db, data_dir) = app.stop().await;
    let app = TestApp::spawn_on(db, Some(data_dir), &[]).await;
    assert_eq!(app.jwt_key(), key, "the generated key is persisted");
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);
}

async fn metrics_and_request_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.get("/healthz", None).await;
    let r = app.client.get(app.url("/api/v1/setup")).header("x-request-id", "ci-run-42").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "ci-run-42");
    let r = app.client.get(app.url("/api/v1/nope")).header("x-request-id", "bad id with spaces").send().await.unwrap();
    let generated = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(generated, "bad id with spaces");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["request_id"], generated.as_str());
    let metrics = app.get("/metrics", None).await;
    let text = String::from_utf8(metrics.bytes).unwrap();
    assert!(
        text.contains("portal_http_requests_total{endpoint=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("portal_http_requests_duration_seconds_bucket"));
    assert!(text.contains("portal_db_pool_max_connections 8"));
}

/// `supplier-portal gc`: rejected uploads and replaced logos go after the grace period; what a row
/// references never does, and downloads keep working.
async fn unreferenced_blobs_are_collected_referenced_never(backend: Backend) {
    use std::time::Duration;
    use supplier_portal::ops::gc::collect;
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.open_portal(&admin, "public").await;
    app.product_version(&admin, "router", "1.0").await;
    let good = e2e::fixture("sbom-min-1.6.json");
    let r = app
        .upload(
            &e2e::Auth::Bearer(&admin),
            "router",
            "1.0",
            "?publish=true",
            "application/vnd.cyclonedx+json",
            good.clone(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    let bad = app
        .upload(
            &e2e::Auth::Bearer(&admin),
            "router",
            "1.0",
            "",
            "application/vnd.cyclonedx+json",
            e2e::fixture("sbom-bad-serial.json"),
        )
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.json);
    let logo = |b: u8| {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[b; 64]);
        png
    };
    for b in [1u8, 2] {
        let rb = app
            .client
            .put(app.url(&format!("/api/v1/orgs/{ORG}/portal/logo")))
            .bearer_auth(&admin)
            .header("content-type", "image/png")
            .body(logo(b));
        assert_eq!(app.send(rb).await.status, 204);
    }
    let store = app.ctx.state.blobs.clone();
    let mut conn = supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap();

    // Young: nothing goes.
    let r = collect(&mut conn, store.as_ref(), Duration::from_secs(3600)).unwrap();
    assert_eq!((r.blobs, r.referenced, r.young, r.removed), (4, 2, 2, 0), "{r:?}");
    // Past the grace period: the rejected upload and the first logo go, nothing referenced does.
    let r = collect(&mut conn, store.as_ref(), Duration::ZERO).unwrap();
    assert_eq!((r.blobs, r.referenced, r.removed), (4, 2, 2), "{r:?}");
    assert!(r.bytes_freed > 0);
    let again = collect(&mut conn, store.as_ref(), Duration::ZERO).unwrap();
    assert_eq!((again.blobs, again.removed), (2, 0), "{again:?}");
    let d = app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), None).await;
    assert_eq!((d.status.as_u16(), d.bytes == good), (200, true));
    let url = app.get("/api/v1/portal/acme/landing", None).await.json["logo_url"].as_str().unwrap().to_string();
    assert_eq!(app.get(&url, None).await.bytes, logo(2));
}
