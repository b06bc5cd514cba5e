//! Blobs on S3-compatible object storage (issue 17, object storage part), against a real
//! S3-compatible server (`moto`'s server mode): uploads land in the bucket under their content
//! key (multipart above 8 MiB), customers download whole files, byte ranges and archives from
//! it, and garbage collection removes only unreferenced objects.

use std::io::Read;

use e2e::s3::{self, S3Server};
use e2e::{e2e, Auth, Backend, TestApp, TestDb, ORG};
use serde_json::json;
use sha2::{Digest, Sha256};

e2e!(blobs_live_in_object_storage, replicas_share_one_object_store);

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

async fn blobs_live_in_object_storage(backend: Backend) {
    if !s3::available() {
        return;
    }
    let server = S3Server::start().await;
    server.create_bucket("evidence").await;
    let env = server.settings("evidence", "acme-portal");
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let app = TestApp::spawn_with(backend, &env).await;
    assert_eq!(app.get("/readyz", None).await.status, 200, "the bucket takes writes");
    let admin = app.setup_admin().await;
    app.open_portal(&admin, "public").await;
    app.product_version(&admin, "router", "1.0").await;
    let sbom = e2e::fixture("sbom-min-1.6.json");
    let r = app
        .upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", "application/vnd.cyclonedx+json", sbom.clone())
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    let sha = sha256_hex(&sbom);
    assert_eq!(r.json["sha256"], sha.as_str());
    // In the bucket under its content key; nothing on the local disk.
    let objects = server.objects("evidence").await;
    assert_eq!(objects, [(format!("acme-portal/sha256/{sha}"), sbom.len() as u64)], "in the bucket under its key");
    let local = app.data_dir.join("blobs").join("sha256");
    assert!(!local.exists() || std::fs::read_dir(&local).unwrap().next().is_none(), "no local blobs");

    // A document above the single-PUT size goes up in parts and comes back whole.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.extend((0..9 * 1024 * 1024 + 123).map(|i| b"evidence "[i % 9]));
    big.extend_from_slice(b"\n%%EOF\n");
    let r = app.upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", "application/pdf", big.clone()).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let big_id = r.json["id"].as_str().unwrap().to_string();
    let big_key = format!("acme-portal/sha256/{}", sha256_hex(&big));
    assert!(server.objects("evidence").await.contains(&(big_key, big.len() as u64)));

    // Customers: whole files with the content key as ETag, byte ranges, archives.
    let d = app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), None).await;
    assert_eq!((d.status.as_u16(), d.bytes == sbom), (200, true));
    assert_eq!(d.header("etag"), Some(format!("\"{sha}\"").as_str()));
    let url = app.url(&format!("/api/v1/portal/acme/artifacts/{big_id}/download"));
    let whole = app.send(app.client.get(&url)).await;
    assert_eq!((whole.status.as_u16(), whole.bytes.len()), (200, big.len()));
    assert!(whole.bytes == big, "the multipart object reads back byte for byte");
    let part = app.send(app.client.get(&url).header("range", "bytes=1000-1999")).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some(format!("bytes 1000-1999/{}", big.len()).as_str()));
    assert!(part.bytes == big[1000..2000]);
    let beyond = app.send(app.client.get(&url).header("range", format!("bytes={}-", big.len() + 5))).await;
    assert_eq!(beyond.status, 416);
    let zip = app.get("/api/v1/portal/acme/products/router/versions/1.0/archive", None).await;
    assert_eq!(zip.status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).expect("a ZIP");
    let mut sums = String::new();
    archive.by_name("SHA256SUMS").unwrap().read_to_string(&mut sums).unwrap();
    assert_eq!(sums.lines().count(), 2);
    for line in sums.lines() {
        let (digest, name) = line.split_once("  ").unwrap();
        let mut data = Vec::new();
        archive.by_name(name).unwrap().read_to_end(&mut data).unwrap();
        assert_eq!(sha256_hex(&data), digest, "{name}");
    }
    // Every download was audited with the exact bytes' digest.
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.*.download"), Some(&admin)).await;
    assert!(audit.json["events"].as_array().unwrap().iter().any(|e| e["sha256"] == sha.as_str()));

    // A rejected upload's object is collected once old enough; referenced ones never are.
    let bad = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "",
            "application/vnd.cyclonedx+json",
            e2e::fixture("sbom-bad-serial.json"),
        )
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.json);
    let bad_sha = sha256_hex(&e2e::fixture("sbom-bad-serial.json"));
    let has =
        |objects: &[(String, u64)], sha: &str| objects.iter().any(|(k, _)| k == &format!("acme-portal/sha256/{sha}"));
    assert!(has(&server.objects("evidence").await, &bad_sha));
    // Called as the server calls it: from a blocking thread (the store runs its own runtime).
    let (url, store) = (app.db.url.clone(), app.ctx.state.blobs.clone());
    let (young, r) = tokio::task::spawn_blocking(move || {
        let mut conn = supplier_portal::db::ConnectionManager::new(&url).unwrap().establish().unwrap();
        let hour = std::time::Duration::from_secs(3600);
        let young = supplier_portal::ops::gc::collect(&mut conn, store.as_ref(), hour).unwrap();
        let r = supplier_portal::ops::gc::collect(&mut conn, store.as_ref(), std::time::Duration::ZERO).unwrap();
        (young, r)
    })
    .await
    .unwrap();
    assert_eq!((young.blobs, young.referenced, young.removed), (3, 2, 0), "{young:?}");
    assert_eq!((r.referenced, r.removed), (2, 1), "{r:?}");
    let after = server.objects("evidence").await;
    assert!(!has(&after, &bad_sha) && has(&after, &sha), "{after:?}");
    let again = app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), None).await;
    assert!(again.bytes == sbom);
}

/// Two replicas on one database and one bucket, each with a data directory of its own (no
/// shared file system): what one stores the other serves, a revocation on one is refused by the
/// other at once, and the audit trail counts exactly the downloads both served.
async fn replicas_share_one_object_store(backend: Backend) {
    if !s3::available() {
        return;
    }
    let server = S3Server::start().await;
    server.create_bucket("shared").await;
    let mut env = server.settings("shared", "");
    env.push(("PORTAL_JWT_SECRET".into(), "the same session secret on every replica".into()));
    env.push(("PORTAL_KEY_ENCRYPTION_KEY".into(), "the same keyring secret on every replica".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let db = TestDb::new(backend);
    let url = db.url.clone();
    let b_dir = tempfile::tempdir().unwrap();
    let a = TestApp::spawn_on(db, None, &env).await;
    let (b, b_handle) = e2e::replica(&url, b_dir.path(), &env).await;
    assert_ne!(a.data_dir, b_dir.path(), "no shared directory");
    let admin = a.setup_admin().await;
    a.product_version(&admin, "router", "1.0").await;
    let sbom = e2e::fixture("sbom-min-1.6.json");
    let r = a
        .upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", "application/vnd.cyclonedx+json", sbom.clone())
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_string();
    a.put(
        &format!("/api/v1/orgs/{ORG}/portal"),
        Some(&admin),
        json!({"enabled": true, "slug": ORG, "visibility": "private", "display_name": "ACME portal"}),
    )
    .await;
    let t = a
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens"),
            Some(&admin),
            json!({"name": "Customer", "expires_in": "30d"}),
        )
        .await;
    let (token_id, token) = (t.json["id"].as_str().unwrap().to_string(), t.json["token"].as_str().unwrap().to_string());
    let download = format!("/api/v1/portal/{ORG}/artifacts/{id}/download");
    let mut served = 0;
    for base in [&a.base, &b, &b, &a.base] {
        let r = a.send(a.client.get(format!("{base}{download}")).bearer_auth(&token)).await;
        assert_eq!(r.status, 200, "from {base}");
        assert!(r.bytes == sbom, "the same bytes from every replica");
        served += 1;
    }
    let ranged = a.send(a.client.get(format!("{b}{download}")).bearer_auth(&token).header("range", "bytes=0-9")).await;
    assert_eq!((ranged.status.as_u16(), ranged.bytes.len()), (206, 10));
    served += 1;
    assert_eq!(a.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{token_id}"), Some(&admin)).await.status, 204);
    a.send(a.client.get(format!("{b}{download}")).bearer_auth(&token)).await.assert_problem(401);
    let audit = a.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.sbom.download&limit=100"), Some(&admin)).await;
    let events = audit.json["events"].as_array().unwrap();
    assert_eq!(events.len(), served, "one event per download served, by either replica");
    assert!(events.iter().all(|e| e["sha256"] == sha256_hex(&sbom).as_str() && e["outcome"] == "success"));
    b_handle.stop(true).await;
}
