//! Account lifecycle (issue 15): invitations that answer alike for every address and need the
//! invited person's consent, admin reset links and "forgot password" by e-mail (real SMTP
//! server), the organisation's sign-in policy, single sign-on against a real OpenID provider
//! (npm `oidc-provider`), erasure of old personal data, and refusals audited in aggregate.

use std::collections::BTreeSet;

use e2e::oidc::{self, Account, Provider};
use e2e::receivers::{self, SmtpSink};
use e2e::{e2e, Backend, TestApp, ADMIN_EMAIL, ADMIN_PASSWORD, ORG};
use serde_json::{json, Value};
use supplier_portal::domain::Role;

e2e!(
    invitations_answer_alike_and_need_consent,
    invitations_and_resets_by_email,
    reset_links_end_every_session,
    sign_in_policy_is_enforced,
    single_sign_on_with_a_real_provider,
    personal_data_is_erased_after_its_days,
    refusals_are_audited_in_aggregate,
);

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn conn(app: &TestApp) -> supplier_portal::db::DbConnection {
    supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap()
}

/// A user who belongs to another organisation only (made directly in the database).
fn outsider(app: &TestApp, email: &str, password: &str) {
    use supplier_portal::orgs::service::{add_membership, create_org, create_user};
    let mut c = conn(app);
    let org = create_org(&mut c, "other", "Other Corp").unwrap();
    let user = create_user(&mut c, email, "Olga", supplier_portal::password::hash(password).unwrap()).unwrap();
    add_membership(&mut c, &org.id, &user.id, Role::Admin).unwrap();
}

fn secret_of(url: &str) -> String {
    url.split_once('#').expect("secret in the fragment").1.to_string()
}

async fn invitations_answer_alike_and_need_consent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    outsider(&app, "olga@other.example", "olga's password 1");
    let invitations = format!("/api/v1/orgs/{ORG}/invitations");
    let fresh = app.post(&invitations, Some(&admin), json!({"email": "nina@new.example", "role": "viewer"})).await;
    let known = app.post(&invitations, Some(&admin), json!({"email": "OLGA@other.example", "role": "publisher"})).await;
    // The same status and shape whether or not the address has an account here.
    assert_eq!((fresh.status.as_u16(), known.status.as_u16()), (201, 201), "{} {}", fresh.json, known.json);
    assert_eq!(keys(&fresh.json), keys(&known.json));
    assert_eq!(keys(&fresh.json["invitation"]), keys(&known.json["invitation"]));
    assert_eq!((fresh.json["delivery"].clone(), known.json["delivery"].clone()), (json!("link"), json!("link")));
    assert_eq!(known.json["invitation"]["email"], "olga@other.example");
    assert_eq!(known.json["invitation"]["status"], "pending");
    assert_eq!(fresh.header("cache-control").map(str::to_string), Some("no-store".into()));
    // Nobody joins without accepting.
    let members = app.get(&format!("/api/v1/orgs/{ORG}/members"), Some(&admin)).await;
    assert_eq!(members.json.as_array().unwrap().len(), 1);
    // An existing account joins only with its own password.
    let olga = secret_of(known.json["accept_url"].as_str().unwrap());
    let wrong =
        app.post("/api/v1/invitations/accept", None, json!({"secret": olga, "password": "a guessed password"})).await;
    assert_eq!(wrong.assert_problem(400)["errors"][0]["field"], "password");
    let ok =
        app.post("/api/v1/invitations/accept", None, json!({"secret": olga, "password": "olga's password 1"})).await;
    assert_eq!(ok.status, 200, "{}", ok.json);
    assert_eq!((ok.json["organization"].clone(), ok.json["role"].clone()), (json!(ORG), json!("publisher")));
    let again =
        app.post("/api/v1/invitations/accept", None, json!({"secret": olga, "password": "olga's password 1"})).await;
    assert!(again.assert_problem(400)["detail"].as_str().unwrap().contains("already used"));
    let olga_session = app.login("olga@other.example", "olga's password 1").await;
    let me = app.get("/api/v1/me", Some(&olga_session)).await;
    assert_eq!(me.json["memberships"].as_array().unwrap().len(), 2, "{}", me.json);
    // A new user chooses a password that meets the policy.
    let nina = secret_of(fresh.json["accept_url"].as_str().unwrap());
    let short = app.post("/api/v1/invitations/accept", None, json!({"secret": nina, "password": "short"})).await;
    assert_eq!(short.assert_problem(400)["errors"][0]["field"], "password");
    let joined = app
        .post(
            "/api/v1/invitations/accept",
            None,
            json!({"secret": nina, "password": "nina's new password", "display_name": "Nina"}),
        )
        .await;
    assert_eq!(joined.status, 200, "{}", joined.json);
    let nina_session = app.login("nina@new.example", "nina's new password").await;
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&nina_session)).await.status, 200);
    // Already a member: said plainly (the admin sees the member list anyway).
    app.post(&invitations, Some(&admin), json!({"email": "nina@new.example", "role": "viewer"}))
        .await
        .assert_problem(409);
    // A withdrawn invitation's link stops working; a newer one replaces an older one.
    let first = app.invite(&admin, "walt@new.example", "viewer").await;
    let second = app.post(&invitations, Some(&admin), json!({"email": "walt@new.example", "role": "viewer"})).await;
    let body = json!({"secret": first, "password": "walt's password 1"});
    app.post("/api/v1/invitations/accept", None, body).await.assert_problem(400);
    let id = second.json["invitation"]["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("{invitations}/{id}"), Some(&admin)).await.status, 204);
    app.delete(&format!("{invitations}/{id}"), Some(&admin)).await.assert_problem(409);
    let body =
        json!({"secret": secret_of(second.json["accept_url"].as_str().unwrap()), "password": "walt's password 1"});
    app.post("/api/v1/invitations/accept", None, body).await.assert_problem(400);
    let list = app.get(&invitations, Some(&admin)).await;
    let statuses: BTreeSet<String> =
        list.json.as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap().to_string()).collect();
    assert_eq!(statuses, ["accepted", "revoked"].map(String::from).into(), "{}", list.json);
    // Audited: invitations by the admin, joining by the person who accepted.
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=member.invite"), Some(&admin)).await;
    assert_eq!(audit.json["events"].as_array().unwrap().len(), 4, "the refused one is not recorded");
    let joins = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=member.create"), Some(&admin)).await;
    let names: BTreeSet<&str> =
        joins.json["events"].as_array().unwrap().iter().map(|e| e["actor_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["nina@new.example", "olga@other.example"].into());
}

async fn invitations_and_resets_by_email(backend: Backend) {
    if !receivers::available() {
        return;
    }
    let smtp = SmtpSink::start();
    let app = TestApp::spawn_with(backend, &[("PORTAL_SMTP_URL", &smtp.url())]).await;
    let admin = app.setup_admin().await;
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/invitations"),
            Some(&admin),
            json!({"email": "ivy@new.example", "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!((r.json["delivery"].clone(), r.json["accept_url"].clone()), (json!("email"), Value::Null));
    let mail = smtp.wait_for("ivy@new.example", 1, 10).await;
    assert_eq!(mail.len(), 1);
    let text = mail[0]["text"].as_str().unwrap_or_default().to_string();
    let link = text.split_whitespace().find(|w| w.contains("/admin/invitation#")).expect("link in the e-mail");
    assert!(link.starts_with(&app.base), "{link}");
    let body = json!({"secret": secret_of(link), "password": "ivy's password 12", "display_name": "Ivy"});
    assert_eq!(app.post("/api/v1/invitations/accept", None, body).await.status, 200);
    // "Forgot password": the same answer for every address; a link only to a real account.
    let known = app.post("/api/v1/auth/password-reset/request", None, json!({"email": "ivy@new.example"})).await;
    let unknown = app.post("/api/v1/auth/password-reset/request", None, json!({"email": "nobody@new.example"})).await;
    assert_eq!((known.status.as_u16(), unknown.status.as_u16()), (202, 202));
    assert_eq!(known.json, unknown.json);
    let mail = smtp.wait_for("ivy@new.example", 2, 10).await;
    assert_eq!(mail.len(), 2);
    let text = mail[1]["text"].as_str().unwrap_or_default().to_string();
    let link = text.split_whitespace().find(|w| w.contains("/admin/reset-password#")).expect("reset link");
    // Asking again at once sends nothing more (no mail bombing).
    app.post("/api/v1/auth/password-reset/request", None, json!({"email": "ivy@new.example"})).await;
    let body = json!({"secret": secret_of(link), "new_password": "ivy's second password"});
    assert_eq!(app.post("/api/v1/auth/password-reset", None, body.clone()).await.status, 204);
    app.post("/api/v1/auth/password-reset", None, body).await.assert_problem(400);
    app.login("ivy@new.example", "ivy's second password").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.wait_for("ivy@new.example", 3, 1).await.len(), 2);
    assert!(smtp.wait_for("nobody@new.example", 1, 1).await.is_empty());
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=auth.password.*"), Some(&admin)).await;
    let actions: Vec<&str> =
        audit.json["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["auth.password.reset", "auth.password.reset_request"], "{}", audit.json);
}

async fn reset_links_end_every_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (id, viewer) = app.member(&admin, "vic@acme.example", "viewer").await;
    let path = format!("/api/v1/orgs/{ORG}/members/{id}/reset-link");
    app.post(&path, Some(&viewer), json!({})).await.assert_problem(403);
    let r = app.post(&path, Some(&admin), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.header("cache-control").map(str::to_string), Some("no-store".into()));
    let url = r.json["reset_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/admin/reset-password#spr_", app.base)), "{url}");
    // A second link replaces the first.
    let newer = app.post(&path, Some(&admin), json!({})).await.json["reset_url"].as_str().unwrap().to_string();
    let old = json!({"secret": secret_of(url), "new_password": "vic's new password"});
    app.post("/api/v1/auth/password-reset", None, old).await.assert_problem(400);
    let weak = json!({"secret": secret_of(&newer), "new_password": "short"});
    assert_eq!(
        app.post("/api/v1/auth/password-reset", None, weak).await.assert_problem(400)["errors"][0]["field"],
        "new_password"
    );
    let body = json!({"secret": secret_of(&newer), "new_password": "vic's new password"});
    assert_eq!(app.post("/api/v1/auth/password-reset", None, body).await.status, 204);
    app.get("/api/v1/me", Some(&viewer)).await.assert_problem(401);
    let r = app
        .post("/api/v1/auth/login", None, json!({"email": "vic@acme.example", "password": "member password 1"}))
        .await;
    r.assert_problem(401);
    app.login("vic@acme.example", "vic's new password").await;
    // An account that also belongs to an organisation this admin does not run: refused.
    outsider(&app, "olga@other.example", "olga's password 1");
    let secret = app.invite(&admin, "olga@other.example", "viewer").await;
    let body = json!({"secret": secret, "password": "olga's password 1"});
    assert_eq!(app.post("/api/v1/invitations/accept", None, body).await.status, 200);
    let members = app.get(&format!("/api/v1/orgs/{ORG}/members"), Some(&admin)).await;
    let olga = members.json.as_array().unwrap().iter().find(|m| m["email"] == "olga@other.example").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.post(&format!("/api/v1/orgs/{ORG}/members/{olga}/reset-link"), Some(&admin), json!({})).await;
    assert!(r.assert_problem(409)["detail"].as_str().unwrap().contains("another organisation"));
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=member.reset_link"), Some(&admin)).await;
    assert_eq!(audit.json["events"].as_array().unwrap().len(), 2);
}

async fn sign_in_policy_is_enforced(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (_, second) = app.member(&admin, "sam@acme.example", "admin").await;
    let (_, viewer) = app.member(&admin, "val@acme.example", "viewer").await;
    let policy = format!("/api/v1/orgs/{ORG}/sign-in-policy");
    // Single sign-on is not configured: password sign-in stays on.
    let r = app.put(&policy, Some(&admin), json!({"password_login": false, "admins_need_totp": false})).await;
    assert_eq!(r.assert_problem(400)["errors"][0]["field"], "password_login");
    // Two factors for admins: only an admin who has them may require them.
    let on = json!({"password_login": true, "admins_need_totp": true});
    assert_eq!(
        app.put(&policy, Some(&admin), on.clone()).await.assert_problem(400)["errors"][0]["field"],
        "admins_need_totp"
    );
    app.put(&policy, Some(&viewer), on.clone()).await.assert_problem(403);
    let url =
        app.post("/api/v1/me/totp", Some(&admin), json!({})).await.json["otpauth_url"].as_str().unwrap().to_string();
    let totp = totp_rs::TOTP::from_url(&url).unwrap();
    let code = totp.generate(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs());
    assert_eq!(app.post("/api/v1/me/totp/confirm", Some(&admin), json!({"code": code})).await.status, 200);
    let r = app.put(&policy, Some(&admin), on).await;
    assert_eq!((r.status.as_u16(), r.json["admins_need_totp"].clone()), (200, json!(true)), "{}", r.json);
    // The other admin without two factors: refused in the organisation at once, told why; the
    // account pages still work so they can turn them on. Viewers are not affected.
    let r = app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&second)).await;
    assert!(r.assert_problem(403)["detail"].as_str().unwrap().contains("two factors"));
    assert_eq!(
        app.get("/api/v1/me", Some(&second)).await.json["memberships"][0]["organization"]["admins_need_totp"],
        true
    );
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&viewer)).await.status, 200);
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&admin)).await.status, 200);
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=org.sign_in_policy.update"), Some(&admin)).await;
    assert_eq!(audit.json["events"][0]["details"]["admins_need_totp"], true);
}

async fn single_sign_on_with_a_real_provider(backend: Backend) {
    if !oidc::available() {
        return;
    }
    let (client_id, secret) = ("supplier-portal", "sso-test-secret-123");
    let port = oidc::free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_with(
        backend,
        &[
            ("PORTAL_OIDC_ISSUER", &issuer),
            ("PORTAL_OIDC_CLIENT_ID", client_id),
            ("PORTAL_OIDC_CLIENT_SECRET", secret),
            ("PORTAL_OIDC_NAME", "ACME SSO"),
        ],
    )
    .await;
    let provider = Provider::start(
        port,
        client_id,
        secret,
        &app.url("/api/v1/auth/oidc/callback"),
        &[
            Account { sub: "u1", email: ADMIN_EMAIL, email_verified: true, password: "idp password" },
            Account { sub: "u2", email: "stranger@acme.example", email_verified: true, password: "idp password" },
            Account { sub: "u3", email: "sam@acme.example", email_verified: false, password: "idp password" },
        ],
    );
    let admin = app.setup_admin().await;
    app.member(&admin, "sam@acme.example", "viewer").await;
    let methods = app.get("/api/v1/auth/methods", None).await;
    assert_eq!(methods.json["sso"]["name"], "ACME SSO", "{}", methods.json);

    // The whole flow, as a browser without JavaScript does it: our start, the provider's login
    // form, back to our callback, into the console with the session in the fragment.
    let sign_in = |email: &'static str| {
        let (app, issuer) = (&app, issuer.clone());
        async move {
            let browser = e2e::reqwest::Client::builder()
                .cookie_store(true)
                .redirect(e2e::reqwest::redirect::Policy::none())
                .no_proxy()
                .build()
                .unwrap();
            let location = |r: &e2e::reqwest::Response| {
                r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
            };
            let r = browser.get(app.url("/api/v1/auth/oidc/start")).send().await.unwrap();
            assert_eq!(r.status(), 303);
            let to_provider = location(&r);
            assert!(to_provider.starts_with(&format!("{issuer}/auth?")), "{to_provider}");
            assert!(to_provider.contains("code_challenge_method=S256") && to_provider.contains("nonce="));
            let r = browser.get(&to_provider).send().await.unwrap();
            let interaction = format!("{issuer}{}", location(&r));
            let r = browser
                .post(format!("{interaction}/login"))
                .form(&[("login", email), ("password", "idp password")])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303, "provider login");
            let r = browser.get(location(&r)).send().await.unwrap();
            let back = location(&r);
            assert!(back.starts_with(&app.url("/api/v1/auth/oidc/callback?code=")), "{back}");
            let r = browser.get(&back).send().await.unwrap();
            assert_eq!(r.status(), 303);
            // The flow cookie is single-use: replaying the callback fails.
            let replay = browser.get(&back).send().await.unwrap();
            let replayed = location(&replay);
            (location(&r), replayed)
        }
    };
    let (landing, replayed) = sign_in(ADMIN_EMAIL).await;
    let jwt = landing
        .strip_prefix("/admin/sso#access_token=")
        .and_then(|rest| rest.split('&').next())
        .unwrap_or_else(|| panic!("not signed in: {landing}"))
        .to_string();
    assert!(replayed.starts_with("/admin/login?sso_error="), "{replayed}");
    let me = app.get("/api/v1/me", Some(&jwt)).await;
    assert_eq!(me.json["user"]["email"], ADMIN_EMAIL);
    // Only active members, and only e-mail addresses the provider verified.
    let (stranger, _) = sign_in("stranger@acme.example").await;
    assert!(stranger.starts_with("/admin/login?sso_error=") && stranger.contains("no+active+member"), "{stranger}");
    let (unverified, _) = sign_in("sam@acme.example").await;
    assert!(unverified.contains("email_verified"), "{unverified}");
    // A forged callback (no flow cookie, made-up state) gets nowhere.
    let plain =
        e2e::reqwest::Client::builder().redirect(e2e::reqwest::redirect::Policy::none()).no_proxy().build().unwrap();
    let r = app.send(plain.get(app.url("/api/v1/auth/oidc/callback?code=x&state=y"))).await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/admin/login?sso_error="), "{:?}", r.header("location"));
    // Signed in through SSO, the admin may switch password sign-in off; password sessions stop
    // working in the organisation, SSO sessions go on.
    let policy = format!("/api/v1/orgs/{ORG}/sign-in-policy");
    let off = json!({"password_login": false, "admins_need_totp": false});
    assert_eq!(
        app.put(&policy, Some(&admin), off.clone()).await.assert_problem(400)["errors"][0]["field"],
        "password_login"
    );
    let r = app.put(&policy, Some(&jwt), off).await;
    assert_eq!((r.status.as_u16(), r.json["password_login"].clone()), (200, json!(false)), "{}", r.json);
    let r = app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&admin)).await;
    assert!(r.assert_problem(403)["detail"].as_str().unwrap().contains("single sign-on"));
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&jwt)).await.status, 200);
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=auth.login"), Some(&jwt)).await;
    assert!(audit.json["events"].as_array().unwrap().iter().any(|e| e["details"]["method"] == "sso"), "{}", audit.json);
    // The provider down: the browser lands on the sign-in page with the reason, not on a JSON error.
    drop(provider);
    let r = app.send(plain.get(app.url("/api/v1/auth/oidc/start"))).await;
    assert_eq!(r.status, 303);
    assert!(
        r.header("location").unwrap().contains("OpenID+provider+could+not+be+reached"),
        "{:?}",
        r.header("location")
    );
    let _ = ADMIN_PASSWORD;
}

async fn personal_data_is_erased_after_its_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.open_portal(&admin, "private").await;
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens"),
            Some(&admin),
            json!({"name": "Customer", "expires_in": "30d"}),
        )
        .await;
    let token = r.json["token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/portal/acme", Some(&token)).await.status, 200);
    let audit = format!("/api/v1/orgs/{ORG}/audit?limit=500");
    let before = app.get(&audit, Some(&admin)).await.json["events"].as_array().unwrap().clone();
    assert!(before.iter().all(|e| e["ip"] == "127.0.0.1"), "{before:?}");
    let mut c = conn(&app);
    // Nothing is old enough yet.
    let none = supplier_portal::audit::privacy::erase_older_than(&mut c, 1).unwrap();
    assert_eq!(none, Default::default());
    let cutoff = chrono::Utc::now().naive_utc() + chrono::Duration::seconds(1);
    let erased = supplier_portal::audit::privacy::erase_before(&mut c, cutoff).unwrap();
    assert_eq!(erased.audit_events, before.len());
    assert_eq!(erased.tokens_last_address, 1, "{erased:?}");
    let after = app.get(&audit, Some(&admin)).await.json["events"].as_array().unwrap().clone();
    assert_eq!(after.len(), before.len(), "events stay");
    for (a, b) in after.iter().zip(&before) {
        assert!(a["ip"].is_null() && a["user_agent"].is_null(), "{a}");
        for k in ["id", "action", "actor_name", "occurred_at", "sha256", "details", "outcome"] {
            assert_eq!(a[k], b[k], "{k} stays");
        }
    }
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&admin)).await;
    assert!(tokens.json[0]["last_used_ip"].is_null(), "{}", tokens.json);
    // Still append-only for everything else: the database refuses other changes.
    use diesel::RunQueryDsl;
    let update = diesel::sql_query("UPDATE audit_events SET action = 'forged'").execute(&mut c);
    assert!(update.is_err(), "an UPDATE of another column is refused");
    let update = diesel::sql_query("UPDATE audit_events SET ip = '10.0.0.1'").execute(&mut c);
    assert!(update.is_err(), "an address cannot be written back");
    assert!(diesel::sql_query("DELETE FROM audit_events").execute(&mut c).is_err(), "no DELETE");
}

async fn refusals_are_audited_in_aggregate(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_DENIED_FLUSH_SECS", "1")]).await;
    let admin = app.setup_admin().await;
    app.open_portal(&admin, "private").await;
    for _ in 0..7 {
        app.get("/api/v1/portal/acme/products", Some("spt_not-a-token")).await.assert_problem(401);
    }
    let (_, viewer) = app.member(&admin, "vera@acme.example", "viewer").await;
    for _ in 0..3 {
        app.post(
            &format!("/api/v1/orgs/{ORG}/invitations"),
            Some(&viewer),
            json!({"email": "x@y.example", "role": "viewer"}),
        )
        .await
        .assert_problem(403);
    }
    let url = format!("/api/v1/orgs/{ORG}/audit?action=access.denied");
    let mut events = Vec::new();
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        events = app.get(&url, Some(&admin)).await.json["events"].as_array().cloned().unwrap_or_default();
        let counted: u64 = events.iter().map(|e| e["details"]["count"].as_u64().unwrap_or(0)).sum();
        if counted >= 10 {
            break;
        }
    }
    let by_reason = |reason: &str| -> u64 {
        events
            .iter()
            .filter(|e| e["details"]["reason"] == reason)
            .map(|e| e["details"]["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!((by_reason("unauthenticated"), by_reason("forbidden")), (7, 3), "{events:?}");
    assert!(events.len() <= 4, "aggregated, not one per request: {events:?}");
    assert!(events.iter().all(|e| e["outcome"] == "denied" && e["ip"] == "127.0.0.1"), "{events:?}");
    assert!(events.iter().any(|e| e["details"]["route"] == "/api/v1/portal/{slug}/products"), "{events:?}");
}
