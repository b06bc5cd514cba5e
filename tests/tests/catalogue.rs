//! Catalogue and publishing: products, versions, validated uploads, lifecycle, API keys, Dependency-Track push.

use base64::Engine;
use e2e::{e2e, fixture, sha256_hex, Auth, Backend, TestApp, ORG};
use serde_json::{json, Value};

e2e!(
    products_and_versions,
    each_kind_uploads_raw_and_multipart_with_facts,
    invalid_uploads_are_rejected_and_leave_nothing,
    oversized_uploads_get_413,
    reupload_is_idempotent,
    publish_and_withdraw_follow_the_rules,
    corrections_supersede,
    products_with_published_artifacts_are_archived_not_deleted,
    auto_create_only_when_asked_and_only_when_valid,
    api_key_scopes_and_revocation,
    dependency_track_push,
    admin_download_streams_exact_bytes,
    advisory_applies_to_several_versions,
);

const CDX: &str = "application/vnd.cyclonedx+json";

async fn products_and_versions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let base = format!("/api/v1/orgs/{ORG}/products");
    let r = app
        .post(&base, Some(&admin), json!({"slug": "router", "name": "Router X1", "description": "Edge router"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["portal_visible"], true);
    app.post(&base, Some(&admin), json!({"slug": "router", "name": "Again"})).await.assert_problem(409);
    let bad = app.post(&base, Some(&admin), json!({"slug": "Bad Slug", "name": ""})).await;
    let mut fields: Vec<&str> =
        bad.assert_problem(400)["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["name", "slug"], "every defect, each once");
    let r = app
        .patch(&format!("{base}/router"), Some(&admin), json!({"portal_visible": false, "description": "New"}))
        .await;
    assert_eq!((r.json["portal_visible"].as_bool(), r.json["description"].as_str()), (Some(false), Some("New")));

    let versions = format!("{base}/router/versions");
    let r = app
        .post(
            &versions,
            Some(&admin),
            json!({"version": "1.2.0+build.7", "release_date": "2025-01-15", "support_until": "2030-01-15"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["status"], "supported");
    assert_eq!(r.json["support_until"], "2030-01-15");
    app.post(&versions, Some(&admin), json!({"version": "1.2.0+build.7"})).await.assert_problem(409);
    app.post(&versions, Some(&admin), json!({"version": "1.0/../x"})).await.assert_problem(400);
    app.post(
        &versions,
        Some(&admin),
        json!({"version": "2.0", "release_date": "2025-01-15", "support_until": "2024-01-01"}),
    )
    .await
    .assert_problem(400);
    app.post(&versions, Some(&admin), json!({"version": "2.0", "release_date": "15.01.2025"}))
        .await
        .assert_problem(400);
    let r = app.patch(&format!("{versions}/1.2.0+build.7"), Some(&admin), json!({"status": "end_of_support"})).await;
    assert_eq!(r.json["status"], "end_of_support");
    assert_eq!(r.json["support_until"], "2030-01-15");
    let detail = app.get(&format!("{base}/router"), Some(&admin)).await;
    assert_eq!(detail.json["versions"][0]["version"], "1.2.0+build.7");
    assert_eq!(detail.json["version_count"], 1);
    app.get(&format!("{base}/nope"), Some(&admin)).await.assert_problem(404);
    app.get(&format!("{versions}/9.9"), Some(&admin)).await.assert_problem(404);
    let (_, viewer) = app.member(&admin, "v@acme.example", "viewer").await;
    assert_eq!(app.get(&base, Some(&viewer)).await.json.as_array().unwrap().len(), 1);
    app.post(&base, Some(&viewer), json!({"slug": "x", "name": "x"})).await.assert_problem(403);
}

async fn each_kind_uploads_raw_and_multipart_with_facts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "4.2.0").await;
    let auth = Auth::Bearer(&admin);

    let sbom = fixture("sbom-min-1.6.json");
    let r = app.upload(&auth, "router", "4.2.0", "", CDX, sbom.clone()).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!((r.json["kind"].as_str(), r.json["format"].as_str()), (Some("sbom"), Some("cyclonedx-json 1.6")));
    assert_eq!(r.json["status"], "draft");
    assert_eq!(r.json["sha256"], sha256_hex(&sbom));
    assert_eq!(r.json["size"], sbom.len());
    assert_eq!(r.json["facts"]["sbom"]["component_count"], 2);
    assert_eq!(r.json["facts"]["sbom"]["primary_component"]["purl"], "pkg:generic/acme/router-fw@4.2.0");
    assert_eq!(r.json["uploaded_by"]["type"], "user");
    assert!(r.header("location").unwrap().ends_with(r.json["id"].as_str().unwrap()));

    let vex = fixture("openvex-0.2.0.json");
    let r = app.upload(&auth, "router", "4.2.0", "", "application/openvex+json", vex).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["kind"], "vex");
    let st = r.json["vex_statements"].as_array().unwrap();
    assert_eq!(st.len(), 2);
    assert_eq!(
        (st[0]["vulnerability_id"].as_str(), st[0]["status"].as_str()),
        (Some("CVE-2023-1234"), Some("not_affected"))
    );
    assert!(st[0]["justification"].as_str().is_some());
    assert_eq!(st[1]["status"], "affected");

    let csaf = fixture("csaf-advisory.json");
    let r = app.upload(&auth, "router", "4.2.0", "", "application/csaf+json", csaf).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["kind"], "advisory");
    let adv = &r.json["facts"]["advisory"];
    assert_eq!((adv["tracking_id"].as_str(), adv["tracking_version"].as_str()), (Some("ACME-SA-2025-001"), Some("2")));
    assert_eq!(adv["cves"], json!(["CVE-2025-0001"]));
    assert!(adv["max_cvss_base_score"].as_f64().is_some());
    assert_eq!(r.json["title"], "ACME router firmware: remote code execution");

    // Multipart: a PDF document with its type, and a CycloneDX VEX with an explicit kind.
    let pdf = fixture("doc.pdf");
    let form = reqwest::multipart::Form::new()
        .text("kind", "document")
        .text("document_type", "declaration_of_conformity")
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("EU-DoC.pdf").mime_str("application/pdf").unwrap(),
        );
    let url = app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/4.2.0/artifacts"));
    let r = app.send(app.client.post(&url).bearer_auth(&admin).multipart(form)).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(
        (r.json["format"].as_str(), r.json["document_type"].as_str()),
        (Some("pdf"), Some("declaration_of_conformity"))
    );
    assert_eq!(
        (r.json["filename"].as_str(), r.json["media_type"].as_str()),
        (Some("EU-DoC.pdf"), Some("application/pdf"))
    );

    let form = reqwest::multipart::Form::new()
        .text("kind", "vex")
        .part("file", reqwest::multipart::Part::bytes(fixture("cdx-vex.json")).file_name("router.vex.cdx.json"));
    let r = app.send(app.client.post(&url).bearer_auth(&admin).multipart(form)).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["kind"], "vex");
    assert!(r.json["format"].as_str().unwrap().starts_with("cyclonedx"));
    assert!(!r.json["vex_statements"].as_array().unwrap().is_empty());

    // Markdown by content sniffing, kind given as a parameter.
    let r = app
        .upload(
            &auth,
            "router",
            "4.2.0",
            "?kind=document&document_type=security_policy",
            "text/markdown",
            fixture("doc.md"),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.json["format"].as_str()), (201, Some("markdown")), "{}", r.json);

    let list = app.get(&format!("/api/v1/orgs/{ORG}/artifacts?kind=vex"), Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    let list = app.get(&format!("/api/v1/orgs/{ORG}/products/router/versions/4.2.0/artifacts"), Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 6);
}

async fn invalid_uploads_are_rejected_and_leave_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let auth = Auth::Bearer(&admin);

    let truncated = &fixture("sbom-min-1.6.json")[..200];
    let r = app.upload(&auth, "router", "1.0", "", CDX, truncated.to_vec()).await;
    assert!(r.assert_problem(422)["detail"].as_str().unwrap().to_lowercase().contains("json"), "{}", r.json);

    let mut bad_serial: Value = serde_json::from_slice(&fixture("sbom-min-1.6.json")).unwrap();
    bad_serial["bomFormat"] = json!("SPDX");
    let r = app.upload(&auth, "router", "1.0", "?kind=sbom", CDX, bad_serial.to_string().into_bytes()).await;
    assert_eq!(r.assert_problem(422)["errors"][0]["field"], "/bomFormat", "{}", r.json);

    let r = app.upload(&auth, "router", "1.0", "?kind=sbom", CDX, fixture("sbom-dangling-dependency.json")).await;
    r.assert_problem(422);

    // CSAF failing mandatory test 6.1.16: the latest revision does not match tracking.version.
    let mut csaf: Value = serde_json::from_slice(&fixture("csaf-advisory.json")).unwrap();
    csaf["document"]["tracking"]["version"] = json!("3");
    let r = app.upload(&auth, "router", "1.0", "", "application/csaf+json", csaf.to_string().into_bytes()).await;
    let body = r.assert_problem(422).to_string();
    assert!(body.contains("6.1.16"), "{body}");

    // A CSAF advisory declared as an SBOM: the answer says what it looks like.
    let r = app.upload(&auth, "router", "1.0", "?kind=sbom", "application/json", fixture("csaf-advisory.json")).await;
    assert!(r.assert_problem(422)["detail"].as_str().unwrap().contains("CSAF"), "{}", r.json);

    // OpenVEX not_affected without justification or impact statement.
    let r = app
        .upload(
            &auth,
            "router",
            "1.0",
            "",
            "application/openvex+json",
            fixture("openvex-not-affected-no-justification.json"),
        )
        .await;
    r.assert_problem(422);

    // A PNG is not a document; an image content type is not accepted at all.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    app.upload(&auth, "router", "1.0", "?kind=document", "application/octet-stream", png.clone())
        .await
        .assert_problem(422);
    app.upload(&auth, "router", "1.0", "", "image/png", png).await.assert_problem(415);
    app.upload(&auth, "router", "1.0", "", CDX, vec![]).await.assert_problem(400);
    app.upload(&auth, "router", "1.0", "?kind=bogus", CDX, fixture("sbom-min-1.6.json")).await.assert_problem(400);
    app.upload(&auth, "router", "1.0", "?kind=document&document_type=poem", "text/plain", b"hello".to_vec())
        .await
        .assert_problem(400);
    app.upload(&auth, "router", "1.0", "?kind=sbom&document_type=other", CDX, fixture("sbom-min-1.6.json"))
        .await
        .assert_problem(400);
    app.upload(&auth, "router", "1.0", "?colour=red", CDX, fixture("sbom-min-1.6.json")).await.assert_problem(400);
    app.upload(&auth, "router", "9.9", "", CDX, fixture("sbom-min-1.6.json")).await.assert_problem(404);
    let form = reqwest::multipart::Form::new().text("kind", "sbom");
    let url = app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/1.0/artifacts"));
    app.send(app.client.post(&url).bearer_auth(&admin).multipart(form)).await.assert_problem(400);

    let list = app.get(&format!("/api/v1/orgs/{ORG}/artifacts"), Some(&admin)).await;
    assert_eq!(list.json, json!([]), "no failed upload was recorded");
}

async fn oversized_uploads_get_413(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("PORTAL_MAX_UPLOAD_BYTES", "4096")]).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let big = vec![b' '; 100_000];
    let r = app.upload(&Auth::Bearer(&admin), "router", "1.0", "", CDX, big.clone()).await;
    assert!(r.assert_problem(413)["detail"].as_str().unwrap().contains("4096"));
    // Chunked (no Content-Length): the limit is enforced while streaming.
    let stream = futures_util::stream::iter((0..50).map(|_| Ok::<_, std::io::Error>(vec![b' '; 2000])));
    let url = app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/1.0/artifacts"));
    let rb =
        app.client.post(url).bearer_auth(&admin).header("content-type", CDX).body(reqwest::Body::wrap_stream(stream));
    app.send(rb).await.assert_problem(413);
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(big).file_name("x.json"));
    let url = app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/1.0/artifacts"));
    app.send(app.client.post(url).bearer_auth(&admin).multipart(form)).await.assert_problem(413);
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/artifacts"), Some(&admin)).await.json, json!([]));
    let tmp = app.data_dir.join("blobs").join("tmp");
    assert_eq!(std::fs::read_dir(tmp).unwrap().count(), 0, "no partial blob left behind");
}

async fn reupload_is_idempotent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let auth = Auth::Bearer(&admin);
    let first = app.upload(&auth, "router", "1.0", "", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(first.status, 201);
    let again = app.upload(&auth, "router", "1.0", "", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json["id"], first.json["id"]);
    // A CI re-run with publish=true publishes the existing draft.
    let again = app.upload(&auth, "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!((again.status.as_u16(), again.json["status"].as_str()), (200, Some("published")));
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/artifacts"), Some(&admin)).await.json.as_array().unwrap().len(), 1);
}

async fn publish_and_withdraw_follow_the_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    let (_, publisher) = app.member(&admin, "pub@acme.example", "publisher").await;
    let up = app.upload(&Auth::Bearer(&publisher), "router", "1.0", "", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(up.status, 201);
    let id = up.json["id"].as_str().unwrap();
    app.upload(&Auth::Bearer(&viewer), "router", "1.0", "", CDX, fixture("sbom-1.4-tools-array.json"))
        .await
        .assert_problem(403);
    let publish = format!("/api/v1/orgs/{ORG}/artifacts/{id}/publish");
    let withdraw = format!("/api/v1/orgs/{ORG}/artifacts/{id}/withdraw");
    app.post(&publish, Some(&viewer), json!({})).await.assert_problem(403);
    let r = app.post(&publish, Some(&publisher), json!({})).await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (200, Some("published")));
    assert_eq!(r.json["published_by"], "pub@acme.example");
    assert!(r.json["published_at"].as_str().is_some());
    app.post(&publish, Some(&publisher), json!({})).await.assert_problem(409);
    app.post(&withdraw, Some(&viewer), json!({})).await.assert_problem(403);
    let r = app.post(&withdraw, Some(&admin), json!({"reason": "wrong build"})).await;
    assert_eq!(
        (r.json["status"].as_str(), r.json["withdrawal_reason"].as_str()),
        (Some("withdrawn"), Some("wrong build"))
    );
    app.post(&withdraw, Some(&admin), json!({})).await.assert_problem(409);
    app.post(&publish, Some(&admin), json!({})).await.assert_problem(409);
    // Viewers read everything, including the download.
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{id}"), Some(&viewer)).await.status, 200);
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{id}/download"), Some(&viewer)).await.status, 200);
    app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{}", uuid::Uuid::new_v4()), Some(&admin)).await.assert_problem(404);
}

async fn corrections_supersede(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let auth = Auth::Bearer(&admin);
    let old = app.upload(&auth, "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    let old_id = old.json["id"].as_str().unwrap().to_string();
    let new = app
        .upload(&auth, "router", "1.0", &format!("?supersedes={old_id}"), CDX, fixture("sbom-1.4-tools-array.json"))
        .await;
    assert_eq!(new.status, 201, "{}", new.json);
    assert_eq!(new.json["supersedes"], old_id.as_str());
    let new_id = new.json["id"].as_str().unwrap();
    app.post(&format!("/api/v1/orgs/{ORG}/artifacts/{new_id}/publish"), Some(&admin), json!({})).await;
    let old = app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{old_id}"), Some(&admin)).await;
    assert_eq!((old.json["status"].as_str(), old.json["superseded_by"].as_str()), (Some("withdrawn"), Some(new_id)));
    // A VEX cannot supersede an SBOM.
    app.upload(
        &auth,
        "router",
        "1.0",
        &format!("?supersedes={new_id}"),
        "application/openvex+json",
        fixture("openvex-0.2.0.json"),
    )
    .await
    .assert_problem(400);
}

async fn products_with_published_artifacts_are_archived_not_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    app.product_version(&admin, "draft-only", "1.0").await;
    app.upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    app.upload(&Auth::Bearer(&admin), "draft-only", "1.0", "", CDX, fixture("sbom-min-1.6.json")).await;
    app.delete(&format!("/api/v1/orgs/{ORG}/products/router"), Some(&admin)).await.assert_problem(409);
    let r = app.patch(&format!("/api/v1/orgs/{ORG}/products/router"), Some(&admin), json!({"archived": true})).await;
    assert_eq!(r.json["archived"], true);
    let list = app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1, "archived products are hidden by default");
    let list = app.get(&format!("/api/v1/orgs/{ORG}/products?include_archived=true"), Some(&admin)).await;
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    app.post(&format!("/api/v1/orgs/{ORG}/products/router/versions"), Some(&admin), json!({"version": "2.0"}))
        .await
        .assert_problem(409);
    let (_, publisher) = app.member(&admin, "pub@acme.example", "publisher").await;
    app.delete(&format!("/api/v1/orgs/{ORG}/products/draft-only"), Some(&publisher)).await.assert_problem(403);
    assert_eq!(app.delete(&format!("/api/v1/orgs/{ORG}/products/draft-only"), Some(&admin)).await.status, 204);
    app.get(&format!("/api/v1/orgs/{ORG}/products/draft-only"), Some(&admin)).await.assert_problem(404);
}

async fn auto_create_only_when_asked_and_only_when_valid(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let auth = Auth::Bearer(&admin);
    app.upload(&auth, "newprod", "1.0", "", CDX, fixture("sbom-min-1.6.json")).await.assert_problem(404);
    let truncated = fixture("sbom-min-1.6.json")[..100].to_vec();
    app.upload(&auth, "newprod", "1.0", "?auto_create=true", CDX, truncated).await.assert_problem(422);
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products"), Some(&admin)).await.json, json!([]), "nothing created");
    let r = app.upload(&auth, "newprod", "1.0", "?auto_create=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["product_version"]["product_slug"], "newprod");
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/products/newprod/versions/1.0"), Some(&admin)).await.status, 200);
    app.upload(&auth, "Bad Slug", "1.0", "?auto_create=true", CDX, fixture("sbom-min-1.6.json"))
        .await
        .assert_problem(400);
}

async fn api_key_scopes_and_revocation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let (_, reader) = app.api_key(&admin, &["catalogue:read"], false).await;
    let (_, writer) = app.api_key(&admin, &["artifacts:write"], false).await;
    let (pub_id, publisher) = app.api_key(&admin, &["artifacts:write", "artifacts:publish"], false).await;
    assert!(reader.starts_with("spk_") && reader.len() > 40);

    let list = app.get(&format!("/api/v1/orgs/{ORG}/api-keys"), Some(&admin)).await;
    let text = list.json.to_string();
    assert!(!text.contains(&reader) && !text.contains(&writer), "secrets are never listed");
    assert_eq!(list.json[0]["status"], "active");
    assert!(list.json[0]["hint"].as_str().unwrap().starts_with("spk_"));

    let products = format!("/api/v1/orgs/{ORG}/products");
    let r = app.send(app.client.get(app.url(&products)).header("x-api-key", &reader)).await;
    assert_eq!(r.status, 200);
    app.upload(&Auth::ApiKey(&reader), "router", "1.0", "", CDX, fixture("sbom-min-1.6.json"))
        .await
        .assert_problem(403);
    let r =
        app.upload(&Auth::ApiKey(&writer), "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    r.assert_problem(403);
    let r = app.upload(&Auth::ApiKey(&writer), "router", "1.0", "", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!((r.status.as_u16(), r.json["uploaded_by"]["type"].as_str()), (201, Some("api_key")));
    // The same key as a bearer token.
    let r = app
        .upload(&Auth::Bearer(&publisher), "router", "1.0", "?publish=true", CDX, fixture("sbom-1.4-tools-array.json"))
        .await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (201, Some("published")), "{}", r.json);
    // Admin-only endpoints refuse keys (they need a member session).
    let r = app
        .send(app.client.get(app.url(&format!("/api/v1/orgs/{ORG}/api-keys"))).header("x-api-key", &publisher))
        .await;
    r.assert_problem(401);
    // Revoked: 401 on the very next request.
    assert_eq!(app.delete(&format!("/api/v1/orgs/{ORG}/api-keys/{pub_id}"), Some(&admin)).await.status, 204);
    app.upload(&Auth::ApiKey(&publisher), "router", "1.0", "", CDX, fixture("doc.md")).await.assert_problem(401);
    let list = app.get(&format!("/api/v1/orgs/{ORG}/api-keys"), Some(&admin)).await;
    let revoked = list.json.as_array().unwrap().iter().find(|k| k["id"] == pub_id.as_str()).unwrap().clone();
    assert_eq!(revoked["status"], "revoked");
    assert!(revoked["last_used_at"].as_str().is_some());
    // Expired: 401.
    {
        use diesel::prelude::*;
        let mut conn = supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap();
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
        diesel::update(supplier_portal::db::schema::api_keys::table)
            .set(supplier_portal::db::schema::api_keys::expires_at.eq(Some(past)))
            .execute(&mut conn)
            .unwrap();
    }
    app.send(app.client.get(app.url(&products)).header("x-api-key", &reader)).await.assert_problem(401);
    app.send(app.client.get(app.url(&products)).header("x-api-key", "spk_forged")).await.assert_problem(401);
    // Bad requests for keys.
    app.post(
        &format!("/api/v1/orgs/{ORG}/api-keys"),
        Some(&admin),
        json!({"name": "x", "scopes": [], "expires_in": "90d"}),
    )
    .await
    .assert_problem(400);
    app.post(
        &format!("/api/v1/orgs/{ORG}/api-keys"),
        Some(&admin),
        json!({"name": "x", "scopes": ["root"], "expires_in": "90d"}),
    )
    .await
    .assert_problem(400);
    app.post(
        &format!("/api/v1/orgs/{ORG}/api-keys"),
        Some(&admin),
        json!({"name": "x", "scopes": ["catalogue:read"], "expires_in": "2d"}),
    )
    .await
    .assert_problem(400);
    let (_, publisher_member) = app.member(&admin, "p@acme.example", "publisher").await;
    app.post(
        &format!("/api/v1/orgs/{ORG}/api-keys"),
        Some(&publisher_member),
        json!({"name": "x", "scopes": ["catalogue:read"], "expires_in": "never"}),
    )
    .await
    .assert_problem(403);
}

async fn dependency_track_push(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (_, key) = app.api_key(&admin, &["artifacts:write"], false).await;
    let (_, publishing_key) = app.api_key(&admin, &["artifacts:write", "artifacts:publish"], true).await;
    let sbom = fixture("sbom-min-1.6.json");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&sbom);
    let put =
        |key: &str, body: Value| app.send(app.client.put(app.url("/api/v1/bom")).header("x-api-key", key).json(&body));
    let r = put(&key, json!({"projectName": "Router Firmware", "projectVersion": "4.2.0", "autoCreate": true, "bom": b64, "projectTags": []})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let token = r.json["token"].as_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&token).is_ok());
    let r = app.send(app.client.get(app.url(&format!("/api/v1/bom/token/{token}"))).header("x-api-key", &key)).await;
    assert_eq!(r.json, json!({"processing": false}));
    let arts = app.get(&format!("/api/v1/orgs/{ORG}/artifacts?product=router-firmware"), Some(&admin)).await;
    assert_eq!(arts.json.as_array().unwrap().len(), 1);
    assert_eq!(
        (arts.json[0]["status"].as_str(), arts.json[0]["sha256"].as_str()),
        (Some("draft"), Some(sha256_hex(&sbom).as_str()))
    );
    let product = app.get(&format!("/api/v1/orgs/{ORG}/products/router-firmware"), Some(&admin)).await;
    assert_eq!(product.json["name"], "Router Firmware");

    // Multipart, with a key that publishes on push.
    let other = fixture("sbom-1.4-tools-array.json");
    let form = reqwest::multipart::Form::new()
        .text("projectName", "Router Firmware")
        .text("projectVersion", "4.3.0")
        .text("autoCreate", "true")
        .part("bom", reqwest::multipart::Part::bytes(other).file_name("bom.json"));
    let r =
        app.send(app.client.post(app.url("/api/v1/bom")).header("x-api-key", &publishing_key).multipart(form)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let arts =
        app.get(&format!("/api/v1/orgs/{ORG}/artifacts?product=router-firmware&version=4.3.0"), Some(&admin)).await;
    assert_eq!(arts.json[0]["status"], "published");

    // Failures: no key, bad base64, unknown project without autoCreate, not an SBOM.
    app.send(
        app.client.put(app.url("/api/v1/bom")).json(&json!({"projectName": "x", "projectVersion": "1", "bom": b64})),
    )
    .await
    .assert_problem(401);
    put(&key, json!({"projectName": "x", "projectVersion": "1", "autoCreate": true, "bom": "%%%"}))
        .await
        .assert_problem(400);
    put(&key, json!({"projectName": "Unknown", "projectVersion": "1", "bom": b64})).await.assert_problem(404);
    let csaf = base64::engine::general_purpose::STANDARD.encode(fixture("csaf-advisory.json"));
    put(&key, json!({"projectName": "x", "projectVersion": "1", "autoCreate": true, "bom": csaf}))
        .await
        .assert_problem(422);
    put(&key, json!({"projectVersion": "1", "bom": b64})).await.assert_problem(400);
}

async fn admin_download_streams_exact_bytes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let sbom = fixture("sbom-min-1.6.json");
    let r = app.upload(&Auth::Bearer(&admin), "router", "1.0", "", CDX, sbom.clone()).await;
    let url = format!("/api/v1/orgs/{ORG}/artifacts/{}/download", r.json["id"].as_str().unwrap());
    let d = app.get(&url, Some(&admin)).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.bytes, sbom);
    assert_eq!(d.header("content-type"), Some(CDX));
    assert_eq!(d.header("etag").map(|e| e.trim_matches('"').to_string()), Some(sha256_hex(&sbom)));
    assert!(d.header("content-disposition").unwrap().contains("attachment"));
    assert!(d.header("repr-digest").unwrap().starts_with("sha-256=:"));
    let etag = d.header("etag").unwrap().to_string();
    let r = app.send(app.client.get(app.url(&url)).bearer_auth(&admin).header("if-none-match", &etag)).await;
    assert_eq!(r.status, 304);
    let r = app.send(app.client.get(app.url(&url)).bearer_auth(&admin).header("range", "bytes=0-9")).await;
    assert_eq!(r.status, 206);
    assert_eq!(r.bytes, sbom[..10]);
}

async fn advisory_applies_to_several_versions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    app.product_version(&admin, "router", "1.1").await;
    app.product_version(&admin, "switch", "2.0").await;
    let r = app
        .upload(&Auth::Bearer(&admin), "router", "1.0", "", "application/csaf+json", fixture("csaf-advisory.json"))
        .await;
    let id = r.json["id"].as_str().unwrap();
    let link = format!("/api/v1/orgs/{ORG}/artifacts/{id}/versions");
    app.post(&link, Some(&admin), json!({"product": "router", "version": "1.1"})).await;
    let r = app.post(&link, Some(&admin), json!({"product": "switch", "version": "2.0"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let applies: Vec<String> = r.json["applies_to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{}@{}", v["product_slug"].as_str().unwrap(), v["version"].as_str().unwrap()))
        .collect();
    assert_eq!(applies, ["router@1.0", "router@1.1", "switch@2.0"]);
    app.post(&link, Some(&admin), json!({"product": "switch", "version": "9"})).await.assert_problem(404);
}
