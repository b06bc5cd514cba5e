//! The supplier portal: settings, access tokens, the customer API, and one audit event per action.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use e2e::{e2e, fixture, sha256_hex, Auth, Backend, TestApp, ORG};
use serde_json::{json, Value};
use supplier_portal::db::schema::{access_tokens, audit_events};

e2e!(
    settings_are_admin_only_and_validated,
    caller_by_endpoint_matrix,
    drafts_and_withdrawn_are_never_visible,
    downloads_are_exact_and_support_etag_and_range,
    downloads_read_on_the_thread_pool_are_exact_too,
    downloads_can_be_handed_to_the_proxy_in_front,
    expiry_is_exact_at_the_boundary,
    revocation_is_immediate_under_concurrency,
    public_portal_is_open_and_audited_as_anonymous,
    vex_advisories_and_am_i_affected,
    every_action_is_audited_once,
    session_attempts_are_rate_limited,
    signing_out_ends_the_session_only,
    customer_reads_are_rate_limited_per_token_and_address,
);

const CDX: &str = "application/vnd.cyclonedx+json";

async fn configure(app: &TestApp, admin: &str, org: &str, slug: &str, visibility: &str) -> Value {
    let r = app
        .put(
            &format!("/api/v1/orgs/{org}/portal"),
            Some(admin),
            json!({"enabled": true, "slug": slug, "visibility": visibility, "display_name": format!("{slug} portal"),
                   "description": "Security evidence", "contact_email": "psirt@acme.example"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json
}

async fn token(app: &TestApp, admin: &str, org: &str, body: Value) -> (String, String) {
    let r = app.post(&format!("/api/v1/orgs/{org}/portal/tokens"), Some(admin), body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    (r.json["id"].as_str().unwrap().to_string(), r.json["token"].as_str().unwrap().to_string())
}

async fn session(app: &TestApp, slug: &str, token: &str) -> String {
    let r = app.post(&format!("/api/v1/portal/{slug}/session"), None, json!({"token": token})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json["access_token"].as_str().unwrap().to_string()
}

/// Publishes the SBOM fixture on router 1.0 and returns its artifact id.
async fn published_sbom(app: &TestApp, admin: &str) -> String {
    app.product_version(admin, "router", "1.0").await;
    let r = app.upload(&Auth::Bearer(admin), "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.json["id"].as_str().unwrap().to_string()
}

fn conn(app: &TestApp) -> supplier_portal::db::DbConnection {
    supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap()
}

/// (actor id, actor name, sha256, outcome) of every event with this action, oldest first.
type EventRow = (Option<String>, Option<String>, Option<String>, String);

fn events(app: &TestApp, action: &str) -> Vec<EventRow> {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .order(audit_events::id.asc())
        .select((audit_events::actor_id, audit_events::actor_name, audit_events::sha256, audit_events::outcome))
        .load(&mut conn(app))
        .unwrap()
}

async fn settings_are_admin_only_and_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let path = format!("/api/v1/orgs/{ORG}/portal");
    let r = app.get(&path, Some(&admin)).await;
    assert_eq!(
        (r.json["enabled"].as_bool(), r.json["visibility"].as_str(), r.json["slug"].as_str()),
        (Some(false), Some("private"), Some(ORG))
    );
    assert!(r.json["url"].as_str().unwrap().ends_with("/portal/acme"));
    let (_, viewer) = app.member(&admin, "v@acme.example", "viewer").await;
    let (_, publisher) = app.member(&admin, "p@acme.example", "publisher").await;
    app.get(&path, Some(&viewer)).await.assert_problem(403);
    app.get(&path, Some(&publisher)).await.assert_problem(403);
    app.put(
        &path,
        Some(&publisher),
        json!({"enabled": true, "slug": "x", "visibility": "public", "display_name": "x"}),
    )
    .await
    .assert_problem(403);
    app.get(&format!("{path}/tokens"), Some(&viewer)).await.assert_problem(403);
    let bad = app.put(&path, Some(&admin), json!({"enabled": true, "slug": "Not OK", "visibility": "private", "display_name": "", "contact_email": "nope"})).await;
    let mut fields: Vec<&str> =
        bad.assert_problem(400)["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["contact_email", "display_name", "slug"], "every defect, each once");
    app.put(&path, Some(&admin), json!({"enabled": true, "slug": "x", "visibility": "secret", "display_name": "x"}))
        .await
        .assert_problem(400);
    let r = configure(&app, &admin, ORG, "acme-portal", "private").await;
    assert_eq!(r["url"].as_str().unwrap(), format!("{}/portal/acme-portal", app.base));
    // Disabled: 404 to everyone on the customer side.
    let (_, t) = token(&app, &admin, ORG, json!({"name": "ACME Corp", "expires_in": "30d"})).await;
    assert_eq!(app.get("/api/v1/portal/acme-portal/products", Some(&t)).await.status, 200);
    app.put(
        &path,
        Some(&admin),
        json!({"enabled": false, "slug": "acme-portal", "visibility": "private", "display_name": "x"}),
    )
    .await;
    app.get("/api/v1/portal/acme-portal/products", Some(&t)).await.assert_problem(404);
    app.get("/api/v1/portal/acme-portal", None).await.assert_problem(404);
    // Token listing: hint, no secret, status, never used.
    let list = app.get(&format!("{path}/tokens"), Some(&admin)).await;
    assert!(!list.json.to_string().contains(&t));
    assert_eq!(list.json[0]["status"], "active");
    assert!(list.json[0]["hint"].as_str().unwrap().starts_with("spt_…"));
    assert!(t.starts_with("spt_") && t.len() >= 4 + 43, "≥ 256 bits of randomness");
    app.post(&format!("{path}/tokens"), Some(&admin), json!({"name": "", "expires_in": "30d"}))
        .await
        .assert_problem(400);
    app.post(&format!("{path}/tokens"), Some(&admin), json!({"name": "x", "expires_in": "7d"}))
        .await
        .assert_problem(400);
    app.post(
        &format!("{path}/tokens"),
        Some(&admin),
        json!({"name": "x", "expires_in": "30d", "product_ids": [uuid::Uuid::new_v4().to_string()]}),
    )
    .await
    .assert_problem(400);
}

/// The whole caller × endpoint matrix on a private portal.
async fn caller_by_endpoint_matrix(backend: Backend) {
    // Many deliberate failures from one address: lift the failure limit for this test.
    let app = TestApp::spawn_with(backend, &[("PORTAL_TOKEN_FAILURES_PER_IP", "10000")]).await;
    let admin = app.setup_admin().await;
    let sbom_id = published_sbom(&app, &admin).await;
    app.product_version(&admin, "switch", "2.0").await;
    let switch_sbom = app
        .upload(&Auth::Bearer(&admin), "switch", "2.0", "?publish=true", CDX, fixture("sbom-1.4-tools-array.json"))
        .await;
    let switch_id = switch_sbom.json["id"].as_str().unwrap().to_string();
    configure(&app, &admin, ORG, "acme", "private").await;
    let products = app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&admin)).await;
    let router_pid = products.json.as_array().unwrap().iter().find(|p| p["slug"] == "router").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let (_, valid) = token(&app, &admin, ORG, json!({"name": "ACME Corp", "expires_in": "90d"})).await;
    let valid_session = session(&app, "acme", &valid).await;
    let (expired_id, expired) = token(&app, &admin, ORG, json!({"name": "Old", "expires_in": "30d"})).await;
    let (revoked_id, revoked) = token(&app, &admin, ORG, json!({"name": "Gone", "expires_in": "never"})).await;
    let revoked_session = session(&app, "acme", &revoked).await;
    let (_, scoped) =
        token(&app, &admin, ORG, json!({"name": "Router only", "expires_in": "1y", "product_ids": [router_pid]})).await;
    diesel::update(access_tokens::table.find(&expired_id))
        .set(access_tokens::expires_at.eq(Some(chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1))))
        .execute(&mut conn(&app))
        .unwrap();
    assert_eq!(app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{revoked_id}"), Some(&admin)).await.status, 204);

    // A second organisation with its own portal and token.
    {
        let mut c = conn(&app);
        let org = supplier_portal::orgs::service::create_org(&mut c, "globex", "Globex").unwrap();
        let admin_user = supplier_portal::orgs::service::find_user_by_email(&mut c, e2e::ADMIN_EMAIL).unwrap().unwrap();
        supplier_portal::orgs::service::add_membership(
            &mut c,
            &org.id,
            &admin_user.id,
            supplier_portal::auth::Role::Admin,
        )
        .unwrap();
    }
    configure(&app, &admin, "globex", "globex", "private").await;
    let (_, other_org) = token(&app, &admin, "globex", json!({"name": "Globex customer", "expires_in": "30d"})).await;

    let endpoints = [
        "/api/v1/portal/acme".to_string(),
        "/api/v1/portal/acme/products".to_string(),
        "/api/v1/portal/acme/products/router".to_string(),
        "/api/v1/portal/acme/products/router/versions/1.0".to_string(),
        "/api/v1/portal/acme/products/router/versions/1.0/vex".to_string(),
        format!("/api/v1/portal/acme/artifacts/{sbom_id}/download"),
        "/api/v1/portal/acme/advisories".to_string(),
        "/api/v1/portal/acme/vulnerabilities/CVE-2023-1234".to_string(),
    ];
    let callers: [(&str, Option<&str>, u16); 8] = [
        ("anonymous", None, 401),
        ("valid token", Some(&valid), 200),
        ("valid session", Some(&valid_session), 200),
        ("expired token", Some(&expired), 401),
        ("revoked token", Some(&revoked), 401),
        ("session of revoked token", Some(&revoked_session), 401),
        ("other organisation's token", Some(&other_org), 401),
        ("admin session", Some(&admin), 401),
    ];
    for (who, cred, expected) in callers {
        for path in &endpoints {
            let r = app.get(path, cred).await;
            assert_eq!(r.status.as_u16(), expected, "{who} on {path}: {}", r.json);
            if expected == 401 {
                let text = r.json.to_string();
                assert!(!text.contains("router") && !text.contains("ACME Corp"), "{who}: 401 reveals nothing: {text}");
            }
        }
    }
    // Product scope: the router-only token sees router, and switch does not exist for it.
    assert_eq!(app.get("/api/v1/portal/acme/products/router", Some(&scoped)).await.status, 200);
    app.get("/api/v1/portal/acme/products/switch", Some(&scoped)).await.assert_problem(404);
    app.get(&format!("/api/v1/portal/acme/artifacts/{switch_id}/download"), Some(&scoped)).await.assert_problem(404);
    let list = app.get("/api/v1/portal/acme/products", Some(&scoped)).await;
    assert_eq!(
        list.json.as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect::<Vec<_>>(),
        ["router"]
    );
    let list = app.get("/api/v1/portal/acme/products", Some(&valid)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    // Another org's token on its own portal works; the acme artifact id is worth nothing there.
    assert_eq!(app.get("/api/v1/portal/globex/products", Some(&other_org)).await.status, 200);
    app.get(&format!("/api/v1/portal/globex/artifacts/{sbom_id}/download"), Some(&other_org)).await.assert_problem(404);
    app.get("/api/v1/portal/acme/products/router", Some(&other_org)).await.assert_problem(401);
    app.get("/api/v1/portal/no-such-portal/products", Some(&valid)).await.assert_problem(404);
    // Session creation answers 401 for bad tokens, without saying why in a way that reveals the org.
    app.post("/api/v1/portal/acme/session", None, json!({"token": revoked})).await.assert_problem(401);
    app.post("/api/v1/portal/acme/session", None, json!({"token": other_org})).await.assert_problem(401);
    app.post("/api/v1/portal/acme/session", None, json!({"token": "not-a-token"})).await.assert_problem(401);
    // Hidden products vanish from the portal.
    app.patch(&format!("/api/v1/orgs/{ORG}/products/switch"), Some(&admin), json!({"portal_visible": false})).await;
    app.get("/api/v1/portal/acme/products/switch", Some(&valid)).await.assert_problem(404);
    app.get(&format!("/api/v1/portal/acme/artifacts/{switch_id}/download"), Some(&valid)).await.assert_problem(404);
    // Usage is tracked on the token.
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&admin)).await;
    let t = tokens.json.as_array().unwrap().iter().find(|t| t["name"] == "ACME Corp").unwrap();
    assert!(t["use_count"].as_i64().unwrap() >= 16);
    assert_eq!(t["last_used_ip"], "127.0.0.1");
    let statuses: Vec<(&str, &str)> = tokens
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert!(statuses.contains(&("Old", "expired")) && statuses.contains(&("Gone", "revoked")), "{statuses:?}");
    // The list filters by state.
    for (state, name) in [("revoked", "Gone"), ("expired", "Old")] {
        let only = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens?status={state}"), Some(&admin)).await;
        let list = only.json.as_array().unwrap();
        assert!(list.iter().all(|t| t["status"] == state) && list.iter().any(|t| t["name"] == name), "{}", only.json);
    }
    let active = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens?status=active"), Some(&admin)).await;
    assert!(active.json.as_array().unwrap().iter().all(|t| t["status"] == "active"), "{}", active.json);
    app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens?status=lost"), Some(&admin)).await.assert_problem(400);
}

async fn drafts_and_withdrawn_are_never_visible(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let published = published_sbom(&app, &admin).await;
    let draft = app
        .upload(&Auth::Bearer(&admin), "router", "1.0", "", "application/openvex+json", fixture("openvex-0.2.0.json"))
        .await;
    let draft_id = draft.json["id"].as_str().unwrap().to_string();
    let withdrawn = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "?publish=true",
            "application/csaf+json",
            fixture("csaf-advisory.json"),
        )
        .await;
    let withdrawn_id = withdrawn.json["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/orgs/{ORG}/artifacts/{withdrawn_id}/withdraw"),
        Some(&admin),
        json!({"reason": "superseded"}),
    )
    .await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (_, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;
    let v = app.get("/api/v1/portal/acme/products/router/versions/1.0", Some(&t)).await;
    assert_eq!(v.status, 200);
    let ids: Vec<&str> = ["sbom", "vex", "advisory", "document"]
        .iter()
        .flat_map(|k| v.json["artifacts"][k].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, [published.as_str()]);
    assert_eq!(v.json["artifact_count"], 1);
    assert_eq!(v.json["support_until"], "2030-12-31");
    for id in [&draft_id, &withdrawn_id] {
        app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), Some(&t)).await.assert_problem(404);
    }
    assert_eq!(app.get("/api/v1/portal/acme/products/router/versions/1.0/vex", Some(&t)).await.json, json!([]));
    assert_eq!(app.get("/api/v1/portal/acme/advisories", Some(&t)).await.json, json!([]));
    let r = app.get("/api/v1/portal/acme/vulnerabilities/CVE-2025-0001", Some(&t)).await;
    assert_eq!(r.json["results"], json!([]));
    // Publishing the draft makes it appear; withdrawing it makes it vanish again.
    app.post(&format!("/api/v1/orgs/{ORG}/artifacts/{draft_id}/publish"), Some(&admin), json!({})).await;
    assert_eq!(app.get(&format!("/api/v1/portal/acme/artifacts/{draft_id}/download"), Some(&t)).await.status, 200);
    app.post(&format!("/api/v1/orgs/{ORG}/artifacts/{draft_id}/withdraw"), Some(&admin), json!({})).await;
    app.get(&format!("/api/v1/portal/acme/artifacts/{draft_id}/download"), Some(&t)).await.assert_problem(404);
}

async fn downloads_are_exact_and_support_etag_and_range(backend: Backend) {
    exact_downloads(TestApp::spawn(backend).await).await;
}

/// `PORTAL_THREADED_READS_ABOVE`: responses above it (the whole file, or the 10-byte range the
/// checks ask for) are read on the blocking pool, chunk by chunk, instead of on the worker; what
/// the customer gets is the same.
async fn downloads_read_on_the_thread_pool_are_exact_too(backend: Backend) {
    exact_downloads(TestApp::spawn_with(backend, &[("PORTAL_THREADED_READS_ABOVE", "8")]).await).await;
}

async fn exact_downloads(app: TestApp) {
    let admin = app.setup_admin().await;
    let id = published_sbom(&app, &admin).await;
    app.upload(
        &Auth::Bearer(&admin),
        "router",
        "1.0",
        "?publish=true",
        "application/csaf+json",
        fixture("csaf-advisory.json"),
    )
    .await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (_, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;
    let s = session(&app, "acme", &t).await;
    let sbom = fixture("sbom-min-1.6.json");
    let url = format!("/api/v1/portal/acme/artifacts/{id}/download");
    let d = app.get(&url, Some(&s)).await;
    assert_eq!(d.status, 200);
    assert_eq!(sha256_hex(&d.bytes), sha256_hex(&sbom));
    assert_eq!(d.header("content-type"), Some(CDX));
    assert!(d.header("content-disposition").unwrap().contains("filename="));
    let etag = d.header("etag").unwrap().to_string();
    assert_eq!(etag.trim_matches('"'), sha256_hex(&sbom));
    assert!(d.header("repr-digest").is_some() && d.header("digest").is_some());
    let r = app.send(app.client.get(app.url(&url)).bearer_auth(&t).header("if-none-match", &etag)).await;
    assert_eq!(r.status, 304);
    assert!(r.bytes.is_empty());
    let r = app.send(app.client.get(app.url(&url)).bearer_auth(&t).header("range", "bytes=10-19")).await;
    assert_eq!(r.status, 206);
    assert_eq!(r.bytes, sbom[10..20]);
    assert_eq!(r.header("content-range"), Some(format!("bytes 10-19/{}", sbom.len()).as_str()));
    conditions_hold_for_every_size(&app, &admin, &t, &url, &sbom).await;
    // CSAF is served as application/json.
    let v = app.get("/api/v1/portal/acme/products/router/versions/1.0", Some(&t)).await;
    let adv_url = v.json["artifacts"]["advisory"][0]["download_url"].as_str().unwrap().to_string();
    let adv = app.get(&adv_url, Some(&t)).await;
    assert_eq!((adv.status.as_u16(), adv.header("content-type")), (200, Some("application/json")));
    assert_eq!(adv.bytes, fixture("csaf-advisory.json"));
    // A CSAF document also says where the CSAF provider files it and where its signature is;
    // both answer with the token, and the console names the same place. An SBOM has neither.
    let a = &v.json["artifacts"]["advisory"][0];
    let csaf_url = a["csaf_url"].as_str().unwrap();
    assert!(csaf_url.starts_with("/api/v1/portal/acme/csaf/") && csaf_url.ends_with(".json"), "{a}");
    assert_eq!(a["signature_url"].as_str().unwrap(), format!("{csaf_url}.asc"));
    assert_eq!(app.get(csaf_url, Some(&t)).await.bytes, fixture("csaf-advisory.json"));
    let sig = app.get(a["signature_url"].as_str().unwrap(), Some(&t)).await;
    assert_eq!((sig.status.as_u16(), sig.header("content-type")), (200, Some("application/pgp-signature")));
    assert!(String::from_utf8_lossy(&sig.bytes).starts_with("-----BEGIN PGP SIGNATURE-----"));
    let sbom_view = &v.json["artifacts"]["sbom"][0];
    assert!(sbom_view["csaf_url"].is_null() && sbom_view["signature_url"].is_null(), "{sbom_view}");
    let detail = app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{}", a["id"].as_str().unwrap()), Some(&admin)).await;
    assert_eq!(detail.json["csaf_url"].as_str(), Some(csaf_url));
    assert_eq!(detail.json["signature_url"].as_str(), Some(format!("{csaf_url}.asc").as_str()));
    let detail = app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{id}"), Some(&admin)).await;
    assert!(detail.json["csaf_url"].is_null(), "{}", detail.json);
}

/// The request's conditions mean the same for a small document and for one read in the large
/// files' chunks (> 2 MiB): `If-Match` with these bytes' ETag serves them, with another tag 412
/// and no audit event; `If-Range` with another tag sends the whole; ranges across chunk borders
/// are exact; a range beyond the end is 416.
async fn conditions_hold_for_every_size(app: &TestApp, admin: &str, token: &str, small_url: &str, small: &[u8]) {
    let mut big = b"%PDF-1.7\n".to_vec();
    big.extend((0..3 * 1024 * 1024 + 321).map(|i| (i % 251) as u8));
    big.extend_from_slice(b"\n%%EOF\n");
    let r = app.upload(&Auth::Bearer(admin), "router", "1.0", "?publish=true", "application/pdf", big.clone()).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let big_url = format!("/api/v1/portal/acme/artifacts/{}/download", r.json["id"].as_str().unwrap());
    for (url, bytes) in [(small_url, small), (big_url.as_str(), &big[..])] {
        let (url, len) = (app.url(url), bytes.len());
        let ours = format!("\"{}\"", sha256_hex(bytes));
        let get = || app.client.get(&url).bearer_auth(token);
        let r = app.send(get().header("if-match", &ours)).await;
        assert_eq!((r.status.as_u16(), r.bytes == bytes), (200, true), "{url}");
        let r = app.send(get().header("if-match", format!("\"other\", {ours}"))).await;
        assert_eq!(r.status, 200, "{url}");
        let delivered =
            app.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.*.download&limit=200"), Some(admin)).await;
        let delivered = delivered.json["events"].as_array().unwrap().len();
        let r = app.send(get().header("if-match", "\"other\"")).await;
        assert_eq!(r.status, 412, "{url}");
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert!(r.json["detail"].as_str().unwrap().contains(&ours), "{}", r.json);
        let after = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.*.download&limit=200"), Some(admin)).await;
        assert_eq!(after.json["events"].as_array().unwrap().len(), delivered, "a refused condition is no delivery");
        // Ranges: with our tag in If-Range a part, with another the whole; across chunk borders.
        let r = app.send(get().header("range", "bytes=10-19").header("if-range", &ours)).await;
        assert_eq!((r.status.as_u16(), &r.bytes[..]), (206, &bytes[10..20]), "{url}");
        let r = app.send(get().header("range", "bytes=10-19").header("if-range", "\"other\"")).await;
        assert_eq!((r.status.as_u16(), r.bytes.len()), (200, len), "{url}");
        let from = (len / 3).min(65_000);
        let to = (len - 1).min(from + 300_000);
        let r = app.send(get().header("range", format!("bytes={from}-{to}"))).await;
        assert_eq!(r.status, 206, "{url}");
        assert_eq!(r.header("content-range"), Some(format!("bytes {from}-{to}/{len}").as_str()));
        assert!(r.bytes == bytes[from..=to], "{url}: the range's bytes exactly");
        let r = app.send(get().header("range", "bytes=-5")).await;
        assert_eq!((r.status.as_u16(), &r.bytes[..]), (206, &bytes[len - 5..]));
        let r = app.send(get().header("range", format!("bytes={}-", len + 1))).await;
        assert_eq!((r.status.as_u16(), r.header("content-range")), (416, Some(format!("bytes */{len}").as_str())));
        assert!(r.json["detail"].as_str().unwrap().contains(&format!("{len} long")), "{}", r.json);
        let r = app.send(get()).await;
        assert_eq!(r.header("content-length"), Some(len.to_string().as_str()));
        assert_eq!(r.header("etag"), Some(ours.as_str()));
    }
}

/// `PORTAL_ACCEL_REDIRECT`: the portal checks the reader and commits the audit event, then a
/// real nginx in front sends the file from its internal location (sendfile). The customer sees
/// the same bytes and headers as without it, ranges work, the location is not reachable from
/// outside, and every delivery is audited once.
async fn downloads_can_be_handed_to_the_proxy_in_front(backend: Backend) {
    if !e2e::nginx::available() {
        return;
    }
    let app = TestApp::spawn_with(backend, &[("PORTAL_ACCEL_REDIRECT", e2e::nginx::HANDOFF)]).await;
    let admin = app.setup_admin().await;
    let id = published_sbom(&app, &admin).await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (token_id, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;
    let proxy = e2e::nginx::Nginx::start(app.base.trim_start_matches("http://"), &app.data_dir.join("blobs")).await;
    let sbom = fixture("sbom-min-1.6.json");
    let hash = sha256_hex(&sbom);
    let url = proxy.url(&format!("/api/v1/portal/acme/artifacts/{id}/download"));
    let d = app.send(app.client.get(&url).bearer_auth(&t)).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.bytes, sbom);
    assert_eq!(d.header("content-type"), Some(CDX));
    assert!(d.header("content-disposition").unwrap().contains("filename="));
    assert_eq!(d.header("etag"), Some(format!("\"{hash}\"").as_str()));
    assert!(d.header("repr-digest").unwrap().starts_with("sha-256=:"));
    assert!(d.header("x-request-id").is_some() && d.header("x-accel-redirect").is_none());
    assert_eq!(d.header("x-content-type-options"), Some("nosniff"));
    let r = app.send(app.client.get(&url).bearer_auth(&t).header("range", "bytes=10-19")).await;
    assert_eq!(r.status, 206);
    assert_eq!(r.bytes, sbom[10..20]);
    let r = app.send(app.client.get(&url).bearer_auth(&t).header("if-none-match", format!("\"{hash}\""))).await;
    assert_eq!(r.status, 304);
    // The blob directory answers internal redirects only.
    let blob = proxy.url(&format!("{}sha256/{}/{}/{hash}", e2e::nginx::HANDOFF, &hash[0..2], &hash[2..4]));
    assert_eq!(app.send(app.client.get(&blob)).await.status, 404);
    // No token, no bytes; a revoked token neither.
    assert_eq!(app.send(app.client.get(&url)).await.status, 401);
    app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}"), Some(&admin)).await;
    let r = app.send(app.client.get(&url).bearer_auth(&t)).await;
    assert_eq!(r.status, 401);
    assert_ne!(r.bytes, sbom);
    // One event per answer that handed over (or confirmed) the bytes: the file, the range and the
    // revalidation, exactly as without the proxy; none for the refusals.
    let ev = events(&app, "portal.sbom.download");
    assert_eq!(ev.len(), 3);
    assert!(ev.iter().all(|e| e.2.as_deref() == Some(hash.as_str())));
}

async fn expiry_is_exact_at_the_boundary(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    published_sbom(&app, &admin).await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (id, t) = token(&app, &admin, ORG, json!({"name": "Short", "expires_in": "30d"})).await;
    let s = session(&app, "acme", &t).await;
    let boundary = chrono::Utc::now().naive_utc() + chrono::Duration::milliseconds(1500);
    diesel::update(access_tokens::table.find(&id))
        .set(access_tokens::expires_at.eq(Some(boundary)))
        .execute(&mut conn(&app))
        .unwrap();
    assert_eq!(app.get("/api/v1/portal/acme/products", Some(&t)).await.status, 200);
    assert_eq!(app.get("/api/v1/portal/acme/products", Some(&s)).await.status, 200);
    let wait = (boundary - chrono::Utc::now().naive_utc()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(20)).await;
    let r = app.get("/api/v1/portal/acme/products", Some(&t)).await;
    assert!(r.assert_problem(401)["detail"].as_str().unwrap().contains("expired"));
    app.get("/api/v1/portal/acme/products", Some(&s)).await.assert_problem(401);
    // Exactly at the boundary counts as expired (expires_at <= now).
    let now = chrono::Utc::now().naive_utc();
    diesel::update(access_tokens::table.find(&id))
        .set(access_tokens::expires_at.eq(Some(now)))
        .execute(&mut conn(&app))
        .unwrap();
    app.get("/api/v1/portal/acme/products", Some(&t)).await.assert_problem(401);
}

async fn revocation_is_immediate_under_concurrency(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let id = published_sbom(&app, &admin).await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (token_id, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;
    let s = session(&app, "acme", &t).await;
    let url = app.url(&format!("/api/v1/portal/acme/artifacts/{id}/download"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for i in 0..8 {
        let client = app.client.clone();
        let url = url.clone();
        let cred = if i % 2 == 0 { t.clone() } else { s.clone() };
        let stop = stop.clone();
        workers.push(tokio::spawn(async move {
            let mut log = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                let status = client.get(&url).bearer_auth(&cred).send().await.map(|r| r.status().as_u16()).unwrap_or(0);
                log.push((started, status));
            }
            log
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}"), Some(&admin)).await;
    let revoked_at = Instant::now();
    assert_eq!(r.status, 204);
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut before_ok = 0;
    let mut after = 0;
    let mut delivered = 0;
    for w in workers {
        for (started, status) in w.await.unwrap() {
            delivered += usize::from(status == 200);
            if started > revoked_at {
                after += 1;
                // 401, or 429 once the failures from this address hit the limit: never a success.
                assert!(status == 401 || status == 429, "a request started after the revoke got {status}");
            } else if status == 200 {
                before_ok += 1;
            }
        }
    }
    assert!(before_ok > 0 && after > 0, "the test exercised both sides ({before_ok} before, {after} after)");
    // Concurrent deliveries commit together (group commit): still one event per delivered file,
    // and none for a refusal.
    assert_eq!(events(&app, "portal.sbom.download").len(), delivered);
}

async fn public_portal_is_open_and_audited_as_anonymous(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let id = published_sbom(&app, &admin).await;
    configure(&app, &admin, ORG, "acme", "public").await;
    let info = app.get("/api/v1/portal/acme", None).await;
    assert_eq!(
        (info.json["display_name"].as_str(), info.json["caller"]["type"].as_str()),
        (Some("acme portal"), Some("anonymous"))
    );
    assert_eq!(info.json["contact_email"], "psirt@acme.example");
    let d = app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), None).await;
    assert_eq!(d.status, 200);
    let ev = events(&app, "portal.sbom.download");
    assert_eq!(ev.len(), 1);
    assert_eq!((ev[0].0.as_deref(), ev[0].1.as_deref()), (None, Some("anonymous")));
    // A bad credential on a public portal is still refused, not silently downgraded.
    app.get("/api/v1/portal/acme/products", Some("spt_bogus")).await.assert_problem(401);
    let (_, t) = token(&app, &admin, ORG, json!({"name": "Named", "expires_in": "30d"})).await;
    assert_eq!(app.get("/api/v1/portal/acme", Some(&t)).await.json["caller"]["name"], "Named");
}

async fn vex_advisories_and_am_i_affected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    published_sbom(&app, &admin).await;
    app.product_version(&admin, "router", "1.1").await;
    let auth = Auth::Bearer(&admin);
    let vex = app
        .upload(&auth, "router", "1.0", "?publish=true", "application/openvex+json", fixture("openvex-0.2.0.json"))
        .await;
    assert_eq!(vex.status, 201);
    let adv = app
        .upload(&auth, "router", "1.0", "?publish=true", "application/csaf+json", fixture("csaf-advisory.json"))
        .await;
    let adv_id = adv.json["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/orgs/{ORG}/artifacts/{adv_id}/versions"),
        Some(&admin),
        json!({"product": "router", "version": "1.1"}),
    )
    .await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (_, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;

    let statements = app.get("/api/v1/portal/acme/products/router/versions/1.0/vex", Some(&t)).await;
    let cve = statements.json.as_array().unwrap().iter().find(|s| s["vulnerability_id"] == "CVE-2023-1234").unwrap();
    assert_eq!(cve["status"], "not_affected");
    assert!(cve["justification"].as_str().is_some());
    assert_eq!(cve["artifact_id"], vex.json["id"]);
    // A component the VEX names only by purl is named from the version's SBOM.
    let fw = statements.json.as_array().unwrap().iter().find(|s| s["purl"] == "pkg:generic/acme/router-fw@4.2.0");
    assert_eq!(fw.map(|s| s["product_name"].clone()), Some(json!("router-fw 4.2.0")), "{}", statements.json);

    let list = app.get("/api/v1/portal/acme/advisories", Some(&t)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1);
    let a = &list.json[0];
    assert_eq!((a["tracking_id"].as_str(), a["cves"][0].as_str()), (Some("ACME-SA-2025-001"), Some("CVE-2025-0001")));
    assert!(a["severity"].as_str().is_some() && a["max_cvss_base_score"].as_f64().is_some());
    assert_eq!(a["applies_to"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get("/api/v1/portal/acme/advisories?cve=cve-2025-0001", Some(&t)).await.json.as_array().unwrap().len(),
        1
    );
    assert_eq!(app.get("/api/v1/portal/acme/advisories?cve=CVE-1999-0001", Some(&t)).await.json, json!([]));
    assert_eq!(app.get("/api/v1/portal/acme/advisories?product=switch", Some(&t)).await.json, json!([]));
    app.get("/api/v1/portal/acme/advisories?severity=high", Some(&t)).await.assert_problem(400);

    let r = app.get("/api/v1/portal/acme/vulnerabilities/cve-2023-1234", Some(&t)).await;
    assert_eq!(r.json["vulnerability_id"], "CVE-2023-1234");
    let results = r.json["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results
        .iter()
        .all(|x| x["product_slug"] == "router" && x["version"] == "1.0" && x["status"] == "not_affected"));
    // By alias (GHSA) too.
    let r = app.get("/api/v1/portal/acme/vulnerabilities/GHSA-aaaa-bbbb-cccc", Some(&t)).await;
    assert!(!r.json["results"].as_array().unwrap().is_empty(), "{}", r.json);
    // The advisory's CVE: statements for both versions it applies to.
    let r = app.get("/api/v1/portal/acme/vulnerabilities/CVE-2025-0001", Some(&t)).await;
    let versions: std::collections::BTreeSet<&str> =
        r.json["results"].as_array().unwrap().iter().map(|x| x["version"].as_str().unwrap()).collect();
    assert_eq!(versions.into_iter().collect::<Vec<_>>(), ["1.0", "1.1"], "{}", r.json);
    assert_eq!(app.get("/api/v1/portal/acme/vulnerabilities/CVE-1999-0001", Some(&t)).await.json["results"], json!([]));
}

async fn every_action_is_audited_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let id = published_sbom(&app, &admin).await;
    let adv = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "?publish=true",
            "application/csaf+json",
            fixture("csaf-advisory.json"),
        )
        .await;
    let doc = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "?publish=true&kind=document",
            "text/markdown",
            fixture("doc.md"),
        )
        .await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (tid, t) = token(&app, &admin, ORG, json!({"name": "ACME Corp", "expires_in": "30d"})).await;
    let s = session(&app, "acme", &t).await;
    app.post("/api/v1/portal/acme/session", None, json!({"token": "spt_wrong"})).await.assert_problem(401);
    app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), Some(&s)).await;
    app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), Some(&t)).await;
    app.get(&format!("/api/v1/portal/acme/artifacts/{}/download", adv.json["id"].as_str().unwrap()), Some(&t)).await;
    app.get(&format!("/api/v1/portal/acme/artifacts/{}/download", doc.json["id"].as_str().unwrap()), Some(&t)).await;
    app.get("/api/v1/portal/acme/products/router/versions/1.0/vex", Some(&t)).await;
    app.get("/api/v1/portal/acme/products/router", Some(&t)).await;
    // Refused requests deliver nothing and are not recorded as deliveries.
    app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), Some("spt_wrong")).await;

    let logins = events(&app, "portal.login");
    assert_eq!(logins.len(), 2);
    assert_eq!(
        (logins[0].0.as_deref(), logins[0].1.as_deref(), logins[0].3.as_str()),
        (Some(tid.as_str()), Some("ACME Corp"), "success")
    );
    assert_eq!((logins[1].1.as_deref(), logins[1].3.as_str()), (Some("anonymous"), "denied"));
    let downloads = events(&app, "portal.sbom.download");
    assert_eq!(downloads.len(), 2, "one event per download");
    let sbom_sha = sha256_hex(&fixture("sbom-min-1.6.json"));
    assert!(downloads
        .iter()
        .all(|e| e.0.as_deref() == Some(tid.as_str()) && e.2.as_deref() == Some(sbom_sha.as_str())));
    assert_eq!(events(&app, "portal.advisory.download").len(), 1);
    assert_eq!(events(&app, "portal.document.download").len(), 1);
    assert_eq!(events(&app, "portal.vex.view").len(), 1);
    assert_eq!(events(&app, "portal.product.view").len(), 1);
    assert_eq!(events(&app, "portal.token.create").len(), 1);
    assert_eq!(events(&app, "portal.settings.update").len(), 1);
    app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{tid}"), Some(&admin)).await;
    let revokes = events(&app, "portal.token.revoke");
    assert_eq!((revokes.len(), revokes[0].1.as_deref()), (1, Some(e2e::ADMIN_EMAIL)));
    // Each event carries the request context.
    let ctx: Vec<(Option<String>, Option<String>, Option<String>)> = audit_events::table
        .filter(audit_events::category.eq("portal"))
        .select((audit_events::ip, audit_events::user_agent, audit_events::request_id))
        .load(&mut conn(&app))
        .unwrap();
    assert!(ctx.iter().all(|(ip, _, rid)| ip.as_deref() == Some("127.0.0.1") && rid.is_some()));
}

async fn session_attempts_are_rate_limited(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_TOKEN_FAILURES_PER_IP", "3")]).await;
    let admin = app.setup_admin().await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (_, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;
    for _ in 0..3 {
        app.post("/api/v1/portal/acme/session", None, json!({"token": "spt_guess"})).await.assert_problem(401);
    }
    let r = app.post("/api/v1/portal/acme/session", None, json!({"token": t})).await;
    r.assert_problem(429);
    assert!(r.header("retry-after").is_some());
    app.get("/api/v1/portal/acme/products", Some(&t)).await.assert_problem(429);
}

async fn signing_out_ends_the_session_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (_, t) = token(&app, &admin, ORG, json!({"name": "Customer", "expires_in": "30d"})).await;
    let s1 = session(&app, "acme", &t).await;
    let s2 = session(&app, "acme", &t).await;
    assert_eq!(app.delete("/api/v1/portal/acme/session", Some(&s1)).await.status, 204);
    app.get("/api/v1/portal/acme/products", Some(&s1)).await.assert_problem(401);
    assert_eq!(app.get("/api/v1/portal/acme/products", Some(&s2)).await.status, 200, "other sessions stay");
    assert_eq!(app.get("/api/v1/portal/acme/products", Some(&t)).await.status, 200, "the token stays valid");
    app.delete("/api/v1/portal/acme/session", Some(&t)).await.assert_problem(400);
    app.delete("/api/v1/portal/acme/session", None).await.assert_problem(401);
    assert_eq!(events(&app, "portal.logout").len(), 1);
    // A forged session id signed with the right key is refused: the session row is the proof.
    let key = jsonwebtoken::EncodingKey::from_secret(&app.jwt_key());
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, s2.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let mut forged = claims.clone();
    forged["sid"] = json!(uuid::Uuid::new_v4().to_string());
    let forged = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &forged, &key).unwrap();
    app.get("/api/v1/portal/acme/products", Some(&forged)).await.assert_problem(401);
}

/// Each token has its own budget of reads per minute, and so has each address; once spent: 429
/// with Retry-After, on every channel (REST, CSAF, TEA), and the refused reads are not counted as
/// uses of the token.
async fn customer_reads_are_rate_limited_per_token_and_address(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("PORTAL_CUSTOMER_READS_PER_TOKEN", "4"), ("PORTAL_CUSTOMER_READS_PER_IP", "7")],
    )
    .await;
    let admin = app.setup_admin().await;
    configure(&app, &admin, ORG, "acme", "private").await;
    let (id_a, a) = token(&app, &admin, ORG, json!({"name": "A", "expires_in": "30d"})).await;
    let (_, b) = token(&app, &admin, ORG, json!({"name": "B", "expires_in": "30d"})).await;
    for path in [
        "/api/v1/portal/acme/products",
        "/api/v1/portal/acme",
        "/api/v1/portal/acme/advisories",
        "/api/v1/portal/acme/products",
    ] {
        assert_eq!(app.get(path, Some(&a)).await.status, 200, "{path}");
    }
    let r = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", Some(&a)).await;
    r.assert_problem(429);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=61).contains(&wait), "{wait}");
    assert!(r.json["detail"].as_str().unwrap().contains("access token"));
    // B has its own budget, until the address's is spent (4 of A + 1 refused + 2 of B = 7).
    assert_eq!(app.get("/api/v1/portal/acme/products", Some(&b)).await.status, 200);
    assert_eq!(app.get("/api/v1/portal/acme/products", Some(&b)).await.status, 200);
    let r = app.get("/api/v1/portal/acme/tea/v0.4.0/products", Some(&b)).await;
    r.assert_problem(429);
    assert!(r.json["detail"].as_str().unwrap().contains("address"));
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{id_a}"), Some(&admin)).await;
    assert_eq!(tokens.json["use_count"], 4, "refused reads are not uses: {}", tokens.json);
    // The console is not limited by the customers' budget.
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&admin)).await.status, 200);
}
