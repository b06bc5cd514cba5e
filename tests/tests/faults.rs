//! The fast fault tests of issue 7 (the slow ones — kill -9 during uploads, a Postgres outage, a
//! full disk — are `make faults`): the blob store refusing writes, two replicas on one database,
//! and the audit trail under a download load.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use e2e::{e2e, fixture, sha256_hex, Auth, Backend, TestApp, TestDb, ORG};
use serde_json::{json, Value};
use supplier_portal::db::schema::audit_events;

e2e!(
    blob_store_refusing_writes_records_nothing,
    replicas_migrate_together_and_share_revocations,
    audit_events_equal_successful_downloads_under_load,
);

const CDX: &str = "application/vnd.cyclonedx+json";

fn conn(url: &str) -> supplier_portal::db::DbConnection {
    supplier_portal::db::ConnectionManager::new(url).unwrap().establish().unwrap()
}

async fn configure_private_portal(app: &TestApp, admin: &str) -> (String, String) {
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(admin),
            json!({"enabled": true, "slug": ORG, "visibility": "private", "display_name": "ACME portal"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens"),
            Some(admin),
            json!({"name": "Customer", "expires_in": "30d"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    (r.json["id"].as_str().unwrap().to_string(), r.json["token"].as_str().unwrap().to_string())
}

async fn upload_events(app: &TestApp, admin: &str) -> usize {
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=artifact.upload"), Some(admin)).await;
    r.json["events"].as_array().unwrap().len()
}

/// Replaces a directory of the blob store by a plain file (refuses writes even to root) and back.
fn break_dir(dir: &Path) {
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::write(dir, b"not a directory").unwrap();
}

fn mend_dir(dir: &Path) {
    std::fs::remove_file(dir).unwrap();
    std::fs::create_dir(dir).unwrap();
}

/// The blob store refuses the temp file, or the rename into the content-addressed tree: a 503
/// problem naming the storage, no artifact, no upload event, no partial file.
async fn blob_store_refusing_writes_records_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let auth = Auth::Bearer(&admin);
    let tmp = app.data_dir.join("blobs").join("tmp");
    let keyed = app.data_dir.join("blobs").join("sha256");
    let url = app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/1.0/artifacts?publish=true"));

    break_dir(&tmp);
    let r = app.upload(&auth, "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert!(r.assert_problem(503)["detail"].as_str().unwrap().contains("artifact storage"), "{}", r.json);
    mend_dir(&tmp);

    // The temp file is written in full, then it cannot be moved into place (raw and multipart).
    break_dir(&keyed);
    let r = app.upload(&auth, "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert!(r.assert_problem(503)["detail"].as_str().unwrap().contains("artifact storage"), "{}", r.json);
    let part = reqwest::multipart::Part::bytes(fixture("csaf-advisory.json")).file_name("advisory.json");
    let form = reqwest::multipart::Form::new().part("file", part);
    app.send(app.client.post(&url).bearer_auth(&admin).multipart(form)).await.assert_problem(503);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "no partial file left behind");
    mend_dir(&keyed);

    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/artifacts"), Some(&admin)).await.json, json!([]));
    assert_eq!(upload_events(&app, &admin).await, 0, "nothing recorded as uploaded");
    // Writable again: the same upload goes through.
    let r = app.upload(&auth, "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(upload_events(&app, &admin).await, 1);
}

/// Two servers start at the same moment on a fresh database (migrations serialised, both ready);
/// a token revoked through one is refused by the other on the very next request.
async fn replicas_migrate_together_and_share_revocations(backend: Backend) {
    let db = TestDb::new(backend);
    let (url, data_dir) = (db.url.clone(), db.dir.path().join("data"));
    // Replicas share their keys (README: set them, same value everywhere) and the blob volume.
    let env = [
        ("PORTAL_JWT_SECRET", "the same session secret on every replica"),
        ("PORTAL_KEY_ENCRYPTION_KEY", "the same keyring secret on every replica"),
    ];
    let (a, (b, b_handle)) =
        tokio::join!(TestApp::spawn_on(db, Some(data_dir.clone()), &env), e2e::replica(&url, &data_dir, &env));
    let get_b = |path: &str, cred: Option<&str>| {
        let rb = a.client.get(format!("{b}{path}"));
        let rb = match cred {
            Some(c) => rb.bearer_auth(c),
            None => rb,
        };
        a.send(rb)
    };
    assert_eq!(a.get("/readyz", None).await.status, 200);
    assert_eq!(get_b("/readyz", None).await.status, 200);

    let admin = a.setup_admin().await;
    a.product_version(&admin, "router", "1.0").await;
    let r = a.upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    let download = format!("/api/v1/portal/{ORG}/artifacts/{}/download", r.json["id"].as_str().unwrap());
    let (token_id, token) = configure_private_portal(&a, &admin).await;
    let s = a.send(a.client.post(format!("{b}/api/v1/portal/{ORG}/session")).json(&json!({"token": token}))).await;
    let session = s.json["access_token"].as_str().expect("session on B").to_string();
    assert_eq!(get_b(&download, Some(&token)).await.status, 200);
    assert_eq!(get_b(&format!("/api/v1/portal/{ORG}/products"), Some(&session)).await.status, 200);

    assert_eq!(a.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}"), Some(&admin)).await.status, 204);
    get_b(&download, Some(&token)).await.assert_problem(401);
    get_b(&format!("/api/v1/portal/{ORG}/products"), Some(&session)).await.assert_problem(401);
    b_handle.stop(true).await;
}

/// Several clients download through the private portal for a while: exactly one
/// `portal.<kind>.download` event per 200, carrying that response's request id; refused and
/// unknown downloads leave none.
async fn audit_events_equal_successful_downloads_under_load(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_TOKEN_FAILURES_PER_IP", "100000")]).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let auth = Auth::Bearer(&admin);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (query, media_type, name) in [
        ("?publish=true", CDX, "sbom-min-1.6.json"),
        ("?publish=true", "application/csaf+json", "csaf-advisory.json"),
        ("?publish=true&kind=document", "text/markdown", "doc.md"),
    ] {
        let r = app.upload(&auth, "router", "1.0", query, media_type, fixture(name)).await;
        assert_eq!(r.status, 201, "{}", r.json);
        files.push((r.json["id"].as_str().unwrap().to_string(), fixture(name)));
    }
    let (_, token) = configure_private_portal(&app, &admin).await;
    let s = app.post(&format!("/api/v1/portal/{ORG}/session"), None, json!({"token": token})).await;
    let creds = [token, s.json["access_token"].as_str().unwrap().to_string()];

    let deadline = Instant::now() + Duration::from_secs(2);
    let mut clients = Vec::new();
    for k in 0..6usize {
        let (client, base, files, creds) = (app.client.clone(), app.base.clone(), files.clone(), creds.clone());
        clients.push(tokio::spawn(async move {
            let mut seen: Vec<(u16, Option<String>)> = Vec::new();
            let mut i = k;
            while Instant::now() < deadline {
                i += 1;
                let (id, bytes) = &files[i % files.len()];
                let (id, cred) = match i % 20 {
                    0 => (uuid::Uuid::new_v4().to_string(), creds[0].clone()),
                    7 => (id.clone(), format!("spt_{}", "x".repeat(43))),
                    _ => (id.clone(), creds[i % 2].clone()),
                };
                let r = client
                    .get(format!("{base}/api/v1/portal/{ORG}/artifacts/{id}/download"))
                    .bearer_auth(cred)
                    .send()
                    .await
                    .expect("request");
                let status = r.status().as_u16();
                let request_id = r.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_string());
                let body = r.bytes().await.expect("body");
                if status == 200 {
                    assert_eq!(sha256_hex(&body), sha256_hex(bytes), "exact bytes");
                }
                seen.push((status, request_id));
            }
            seen
        }));
    }
    let mut ok_ids = BTreeSet::new();
    let mut refused = 0;
    for c in clients {
        for (status, request_id) in c.await.unwrap() {
            match status {
                200 => assert!(ok_ids.insert(request_id.expect("request id")), "request ids are unique"),
                401 | 404 => refused += 1,
                other => panic!("unexpected status {other} under load"),
            }
        }
    }
    assert!(ok_ids.len() > 50 && refused > 0, "the load ran ({} × 200, {refused} refused)", ok_ids.len());
    let events: Vec<Option<String>> = audit_events::table
        .filter(audit_events::action.like("portal.%.download"))
        .select(audit_events::request_id)
        .load(&mut conn(&app.db.url))
        .unwrap();
    assert_eq!(events.len(), ok_ids.len(), "one download event per 200, exactly");
    let event_ids: BTreeSet<String> = events.into_iter().map(|id| id.expect("event request id")).collect();
    assert_eq!(event_ids, ok_ids, "each event is the response's own request");
    // The audit API agrees with the table.
    let export = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/orgs/{ORG}/audit?action=portal.*&format=ndjson")))
                .bearer_auth(&admin),
        )
        .await;
    let from_api = String::from_utf8(export.bytes)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["action"].as_str().is_some_and(|a| a.ends_with(".download")))
        .count();
    assert_eq!(from_api, ok_ids.len());
}
