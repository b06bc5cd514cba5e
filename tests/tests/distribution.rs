//! Standard distribution channels, walked the way outside tools walk them: the CSAF 2.0 trusted
//! provider (metadata → index/changes/ROLIE → documents, hashes, OpenPGP signatures), the
//! Transparency Exchange API from discovery to artifact bytes, security.txt, TLS and proxies.

use diesel::prelude::*;
use e2e::{e2e, fixture, sha256_hex, Auth, Backend, Resp, TestApp, ORG};
use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey};
use pgp::types::KeyDetails;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};
use supplier_portal::db::schema::{audit_events, signing_keys};

e2e!(
    csaf_provider_is_walked_like_a_downloader,
    withdrawal_and_supersession_update_every_file_at_once,
    private_portal_and_tlp_access_rules,
    signing_keys_rotate_import_and_stay_verifiable,
    security_txt_follows_the_portal_settings,
    tea_from_discovery_to_artifact_bytes,
    tea_collections_record_every_change,
    forwarded_headers_only_from_trusted_proxies,
    native_tls,
    customer_lists_and_indexes_are_paged_and_follow_changes,
);

const CDX: &str = "application/vnd.cyclonedx+json";
const CSAF: &str = "application/csaf+json";

/// The advisory fixture with another tracking id, TLP label and (optionally) a newer revision.
fn advisory(id: &str, tlp: Option<&str>, revision: Option<(&str, &str)>) -> Vec<u8> {
    let mut d: Value = serde_json::from_slice(&fixture("csaf-advisory.json")).unwrap();
    d["document"]["tracking"]["id"] = id.into();
    match tlp {
        Some(l) => d["document"]["distribution"]["tlp"]["label"] = l.into(),
        None => {
            d["document"].as_object_mut().unwrap().remove("distribution");
        }
    }
    if let Some((number, date)) = revision {
        d["document"]["tracking"]["revision_history"]
            .as_array_mut()
            .unwrap()
            .push(json!({"date": date, "number": number, "summary": "Revised."}));
        d["document"]["tracking"]["version"] = number.into();
        d["document"]["tracking"]["current_release_date"] = date.into();
    }
    serde_json::to_vec_pretty(&d).unwrap()
}

async fn portal(app: &TestApp, admin: &str, visibility: &str) {
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(admin),
            json!({"enabled": true, "slug": "acme", "visibility": visibility, "display_name": "ACME Devices",
                   "description": "Security evidence", "contact_email": "psirt@acme.example",
                   "csaf_publisher": {"name": "ACME GmbH", "namespace": "https://acme.example"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
}

async fn token(app: &TestApp, admin: &str, body: Value) -> String {
    let r = app.post(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(admin), body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.json["token"].as_str().unwrap().to_string()
}

async fn upload(app: &TestApp, admin: &str, query: &str, ct: &str, body: Vec<u8>) -> String {
    let r = app.upload(&Auth::Bearer(admin), "router", "1.0", query, ct, body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.json["id"].as_str().unwrap().to_string()
}

/// GET of an absolute URL (as a tool follows links), with an optional bearer token.
async fn fetch(app: &TestApp, url: &str, token: Option<&str>) -> Resp {
    let mut rb = app.client.get(url);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    app.send(rb).await
}

fn text(r: &Resp) -> String {
    String::from_utf8(r.bytes.clone()).unwrap()
}

fn verify(public_key: &str, signature: &str, data: &[u8]) {
    let (key, _) = SignedPublicKey::from_string(public_key).unwrap();
    key.verify_bindings().unwrap();
    let (sig, _) = DetachedSignature::from_string(signature).unwrap();
    sig.verify(&key.primary_key, data).expect("the signature verifies with the published key");
}

fn fingerprint(public_key: &str) -> String {
    format!("{:X}", SignedPublicKey::from_string(public_key).unwrap().0.fingerprint())
}

fn conn(app: &TestApp) -> supplier_portal::db::DbConnection {
    supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap()
}

fn download_events(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    audit_events::table
        .filter(audit_events::action.like("portal.%.download"))
        .order(audit_events::id.asc())
        .select((audit_events::action, audit_events::sha256, audit_events::details))
        .load(&mut conn(app))
        .unwrap()
}

/// Walks one TLP folder exactly as a CSAF downloader does and returns the document paths:
/// index.txt and changes.csv agree, the ROLIE feed names the same documents with self, hash and
/// signature links, every document is served as application/json with matching hash files and a
/// signature that verifies with one of the published keys.
async fn walk_folder(app: &TestApp, metadata: &Value, tlp: &str, token: Option<&str>) -> Vec<String> {
    let dist = metadata["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rolie"]["feeds"][0]["tlp_label"] == tlp.to_uppercase())
        .unwrap_or_else(|| panic!("no distribution for TLP:{tlp} in {metadata}"));
    let dir = dist["directory_url"].as_str().unwrap();
    assert!(dir.ends_with(&format!("/{tlp}/")));
    let listing = fetch(app, dir, token).await;
    assert_eq!(listing.status, 200);
    assert!(text(&listing).contains("href=\"index.txt\"") && text(&listing).contains("href=\"changes.csv\""));
    let index = fetch(app, &format!("{dir}index.txt"), token).await;
    assert_eq!(index.status, 200);
    assert!(index.header("content-type").unwrap().starts_with("text/plain"));
    let paths: Vec<String> = text(&index).lines().map(str::to_string).collect();
    let changes = text(&fetch(app, &format!("{dir}changes.csv"), token).await);
    let mut from_changes: Vec<(String, String)> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(changes.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    let dates: Vec<&String> = from_changes.iter().map(|(_, d)| d).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "changes.csv is newest first");
    from_changes.sort();
    let mut index_sorted = paths.clone();
    index_sorted.sort();
    assert_eq!(from_changes.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(), index_sorted);

    let feed_url = dist["rolie"]["feeds"][0]["url"].as_str().unwrap();
    let feed = fetch(app, feed_url, token).await;
    assert_eq!(feed.status, 200, "{}", feed.json);
    assert_eq!(feed.json["feed"]["link"][0]["rel"], "self");
    assert_eq!(feed.json["feed"]["link"][0]["href"], feed_url);
    let entries = feed.json["feed"]["entry"].as_array().unwrap();
    assert_eq!(entries.len(), paths.len());
    let keys: Vec<String> = {
        let mut out = Vec::new();
        for k in metadata["public_openpgp_keys"].as_array().unwrap() {
            let r = fetch(app, k["url"].as_str().unwrap(), None).await;
            assert_eq!(r.status, 200);
            assert_eq!(fingerprint(&text(&r)), k["fingerprint"].as_str().unwrap());
            out.push(text(&r));
        }
        out
    };
    for e in entries {
        let links = e["link"].as_array().unwrap();
        assert_eq!(links[0]["rel"], "self", "self link first");
        let url = links[0]["href"].as_str().unwrap();
        assert!(paths.iter().any(|p| url.ends_with(&format!("/{tlp}/{p}"))), "{url} is in index.txt");
        assert_eq!(e["content"]["src"], url);
        assert_eq!(e["format"]["schema"], "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json");
        assert_eq!(e["format"]["version"], "2.0");
        let link =
            |rel: &str, suffix: &str| links.iter().any(|l| l["rel"] == rel && l["href"] == format!("{url}{suffix}"));
        assert!(link("hash", ".sha256") && link("hash", ".sha512") && link("signature", ".asc"), "{e}");

        let doc = fetch(app, url, token).await;
        assert_eq!(doc.status, 200);
        assert_eq!(doc.header("content-type"), Some("application/json"), "CSAF is served as application/json exactly");
        let name = url.rsplit('/').next().unwrap();
        let sha256 = text(&fetch(app, &format!("{url}.sha256"), token).await);
        assert_eq!(sha256, format!("{}  {name}\n", sha256_hex(&doc.bytes)));
        let sha512 = text(&fetch(app, &format!("{url}.sha512"), token).await);
        assert_eq!(sha512, format!("{}  {name}\n", hex::encode(Sha512::digest(&doc.bytes))));
        let sig = fetch(app, &format!("{url}.asc"), token).await;
        assert_eq!(sig.status, 200);
        assert!(text(&sig).starts_with("-----BEGIN PGP SIGNATURE-----"));
        verify(&keys[0], &text(&sig), &doc.bytes);
        // What we serve is still a valid CSAF document (schema and mandatory tests).
        portal_formats::analyze(portal_formats::ArtifactKind::Advisory, &doc.bytes).expect("valid CSAF");
    }
    paths
}

async fn csaf_provider_is_walked_like_a_downloader(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    upload(&app, &admin, "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    let white = advisory("ACME-SA-2025-001", Some("WHITE"), None);
    upload(&app, &admin, "?publish=true", CSAF, white.clone()).await;
    upload(&app, &admin, "?publish=true", CSAF, advisory("ACME SA/2025:002", Some("GREEN"), None)).await;
    upload(&app, &admin, "?publish=true", CSAF, advisory("ACME-SA-2025-003", Some("AMBER"), None)).await;
    upload(&app, &admin, "", CSAF, advisory("ACME-SA-2025-004", Some("WHITE"), None)).await; // a draft
    portal(&app, &admin, "public").await;
    let t = token(&app, &admin, json!({"name": "Distributor", "expires_in": "90d"})).await;

    let well_known = app.get("/.well-known/csaf/provider-metadata.json", None).await;
    assert_eq!(well_known.status, 200, "{}", well_known.json);
    assert_eq!(well_known.header("content-type"), Some("application/json"));
    let m = &well_known.json;
    assert_eq!(m["canonical_url"], app.url("/.well-known/csaf/provider-metadata.json"));
    assert_eq!(m["role"], "csaf_trusted_provider");
    assert_eq!(m["metadata_version"], "2.0");
    assert_eq!(m["list_on_CSAF_aggregators"], true);
    assert_eq!(m["mirror_on_CSAF_aggregators"], true);
    assert_eq!(m["publisher"], json!({"category": "vendor", "name": "ACME GmbH", "namespace": "https://acme.example"}));
    assert!(m["last_updated"].as_str().unwrap().ends_with('Z'));
    let labels: Vec<&str> = m["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rolie"]["feeds"][0]["tlp_label"].as_str().unwrap())
        .collect();
    // Anonymous callers are offered what they may read; a token's caller what its clearance allows.
    assert_eq!(labels, ["WHITE"]);
    let with_token = app.get("/.well-known/csaf/provider-metadata.json", Some(&t)).await.json;
    let token_labels: Vec<&str> = with_token["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rolie"]["feeds"][0]["tlp_label"].as_str().unwrap())
        .collect();
    assert_eq!(token_labels, ["WHITE", "GREEN", "AMBER"]);
    let keys = m["public_openpgp_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert!(keys[0]["fingerprint"].as_str().unwrap().chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    assert_eq!(keys[0]["fingerprint"].as_str().unwrap().len(), 40);
    // The per-portal document says the same, under its own canonical URL.
    let per_portal = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", None).await;
    assert_eq!(per_portal.json["canonical_url"], app.url("/api/v1/portal/acme/csaf/provider-metadata.json"));
    assert_eq!(per_portal.json["distributions"], m["distributions"]);

    // TLP:WHITE of a public portal: open to anyone, exactly the published white document.
    let paths = walk_folder(&app, m, "white", None).await;
    assert_eq!(paths, ["2025/acme-sa-2025-001.json"]);
    let doc = app.get("/api/v1/portal/acme/csaf/white/2025/acme-sa-2025-001.json", None).await;
    assert_eq!(doc.bytes, white, "the bytes are the uploaded bytes");
    let year = app.get("/api/v1/portal/acme/csaf/white/2025/", None).await;
    for f in [
        "acme-sa-2025-001.json",
        "acme-sa-2025-001.json.asc",
        "acme-sa-2025-001.json.sha256",
        "acme-sa-2025-001.json.sha512",
    ] {
        assert!(text(&year).contains(&format!("href=\"{f}\"")), "{f} listed");
    }
    assert!(!text(&year).contains("004"), "drafts are never listed");

    // GREEN and AMBER need a customer token, even on a public portal.
    app.get("/api/v1/portal/acme/csaf/green/index.txt", None).await.assert_problem(401);
    app.get("/api/v1/portal/acme/csaf/amber/2025/acme-sa-2025-003.json", None).await.assert_problem(401);
    assert_eq!(walk_folder(&app, &with_token, "green", Some(&t)).await, ["2025/acme_sa_2025_002.json"]);
    assert_eq!(walk_folder(&app, &with_token, "amber", Some(&t)).await, ["2025/acme-sa-2025-003.json"]);
    app.get("/api/v1/portal/acme/csaf/purple/index.txt", None).await.assert_problem(404);
    app.get("/api/v1/portal/acme/csaf/white/2025/acme-sa-2025-004.json", None).await.assert_problem(404);

    // Each document fetched was audited as a download with its SHA-256 (2 by walk, 1 direct per
    // folder walked: white 2, green 1, amber 1).
    let events = download_events(&app);
    assert_eq!(events.len(), 4, "{events:?}");
    assert!(events.iter().all(|(a, sha, d)| a == "portal.advisory.download"
        && sha.as_ref().is_some_and(|s| s.len() == 64)
        && d.as_deref().unwrap().contains("\"channel\":\"csaf\"")));
}

async fn withdrawal_and_supersession_update_every_file_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let first = upload(&app, &admin, "?publish=true", CSAF, advisory("ACME-SA-2025-001", Some("WHITE"), None)).await;
    let second = upload(&app, &admin, "?publish=true", CSAF, advisory("ACME-SA-2025-002", Some("WHITE"), None)).await;
    portal(&app, &admin, "public").await;
    let base = "/api/v1/portal/acme/csaf/white";
    assert_eq!(
        text(&app.get(&format!("{base}/index.txt"), None).await),
        "2025/acme-sa-2025-001.json\n2025/acme-sa-2025-002.json\n"
    );
    let before = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", None).await.json["last_updated"].clone();

    let r = app
        .post(&format!("/api/v1/orgs/{ORG}/artifacts/{second}/withdraw"), Some(&admin), json!({"reason": "wrong"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(text(&app.get(&format!("{base}/index.txt"), None).await), "2025/acme-sa-2025-001.json\n");
    assert!(!text(&app.get(&format!("{base}/changes.csv"), None).await).contains("002"));
    let feed = app.get(&format!("{base}/csaf-feed-tlp-white.json"), None).await;
    assert_eq!(feed.json["feed"]["entry"].as_array().unwrap().len(), 1);
    assert!(!text(&app.get(&format!("{base}/2025/"), None).await).contains("002"));
    for suffix in ["", ".sha256", ".sha512", ".asc"] {
        app.get(&format!("{base}/2025/acme-sa-2025-002.json{suffix}"), None).await.assert_problem(404);
    }
    let after = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", None).await.json["last_updated"].clone();
    assert!(after.as_str() >= before.as_str(), "last_updated moves with a withdrawal");

    // A revision supersedes the first: the same file name now serves the new revision only.
    let revised = advisory("ACME-SA-2025-001", Some("WHITE"), Some(("3", "2025-04-01T08:00:00.000Z")));
    let rev = upload(&app, &admin, &format!("?publish=true&supersedes={first}"), CSAF, revised.clone()).await;
    assert_ne!(rev, first);
    assert_eq!(text(&app.get(&format!("{base}/index.txt"), None).await), "2025/acme-sa-2025-001.json\n");
    assert_eq!(
        text(&app.get(&format!("{base}/changes.csv"), None).await),
        "\"2025/acme-sa-2025-001.json\",\"2025-04-01T08:00:00Z\"\n"
    );
    let doc = app.get(&format!("{base}/2025/acme-sa-2025-001.json"), None).await;
    assert_eq!(doc.bytes, revised);
    let feed = app.get(&format!("{base}/csaf-feed-tlp-white.json"), None).await;
    assert_eq!(feed.json["feed"]["entry"][0]["updated"], "2025-04-01T08:00:00Z");
    assert_eq!(feed.json["feed"]["entry"][0]["published"], "2025-03-01T12:00:00Z");
    // Its signature is over the new bytes.
    let m = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", None).await.json;
    let key = text(&fetch(&app, m["public_openpgp_keys"][0]["url"].as_str().unwrap(), None).await);
    verify(&key, &text(&app.get(&format!("{base}/2025/acme-sa-2025-001.json.asc"), None).await), &revised);
}

async fn private_portal_and_tlp_access_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    app.product_version(&admin, "switch", "2.0").await;
    upload(&app, &admin, "?publish=true", CSAF, advisory("ACME-SA-2025-001", Some("WHITE"), None)).await;
    upload(&app, &admin, "?publish=true", CSAF, advisory("ACME-SA-2025-009", None, None)).await;
    portal(&app, &admin, "private").await;
    let t = token(&app, &admin, json!({"name": "Importer", "expires_in": "30d"})).await;

    // Discovery stays public so tools learn where to authenticate; aggregators are told to keep out.
    let m = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", None).await;
    assert_eq!(m.status, 200);
    assert_eq!(m.json["list_on_CSAF_aggregators"], false);
    assert_eq!(m.json["mirror_on_CSAF_aggregators"], false);
    // The metadata lists what the caller may read: anonymous callers WHITE only; a token also
    // the UNLABELED folder (documents without a TLP label are never public).
    let labels = |m: &Value| -> Vec<String> {
        m["distributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rolie"]["feeds"][0]["tlp_label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(labels(&m.json), ["WHITE"]);
    assert_eq!(m.header("vary"), Some("Authorization"));
    let with_token = app.get("/api/v1/portal/acme/csaf/provider-metadata.json", Some(&t)).await;
    assert_eq!(labels(&with_token.json), ["WHITE", "UNLABELED"]);
    assert!(with_token.header("cache-control").unwrap().contains("private"));
    // Every document of a private portal needs a token, TLP:WHITE included.
    for path in [
        "white/",
        "white/index.txt",
        "white/changes.csv",
        "white/csaf-feed-tlp-white.json",
        "white/2025/acme-sa-2025-001.json",
    ] {
        let r = app.get(&format!("/api/v1/portal/acme/csaf/{path}"), None).await;
        r.assert_problem(401);
        assert_eq!(app.get(&format!("/api/v1/portal/acme/csaf/{path}"), Some(&t)).await.status, 200, "{path}");
    }
    assert_eq!(walk_folder(&app, &m.json, "white", Some(&t)).await, ["2025/acme-sa-2025-001.json"]);
    assert_eq!(walk_folder(&app, &with_token.json, "unlabeled", Some(&t)).await, ["2025/acme-sa-2025-009.json"]);
    // The same token works as a browser session, and stops working the moment it is revoked.
    let s = app.post("/api/v1/portal/acme/session", None, json!({"token": t})).await.json["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.get("/api/v1/portal/acme/csaf/white/index.txt", Some(&s)).await.status, 200);
    // A token limited to another product sees an empty folder.
    let switch_id = app.get(&format!("/api/v1/orgs/{ORG}/products/switch"), Some(&admin)).await.json["id"]
        .as_str()
        .unwrap()
        .to_string();
    let scoped =
        token(&app, &admin, json!({"name": "Switch only", "expires_in": "30d", "product_ids": [switch_id]})).await;
    assert_eq!(text(&app.get("/api/v1/portal/acme/csaf/white/index.txt", Some(&scoped)).await), "");
    app.get("/api/v1/portal/acme/csaf/white/2025/acme-sa-2025-001.json", Some(&scoped)).await.assert_problem(404);
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&admin)).await.json;
    let id = tokens.as_array().unwrap().iter().find(|x| x["name"] == "Importer").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{id}"), Some(&admin)).await.status, 204);
    app.get("/api/v1/portal/acme/csaf/white/index.txt", Some(&t)).await.assert_problem(401);
    app.get("/api/v1/portal/acme/csaf/white/index.txt", Some(&s)).await.assert_problem(401);
    // A disabled portal publishes nothing at all.
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(&admin),
            json!({"enabled": false, "slug": "acme", "visibility": "private", "display_name": "ACME Devices"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    app.get("/api/v1/portal/acme/csaf/provider-metadata.json", None).await.assert_problem(404);
    app.get("/.well-known/csaf/provider-metadata.json", None).await.assert_problem(404);
}

async fn signing_keys_rotate_import_and_stay_verifiable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let doc = advisory("ACME-SA-2025-001", Some("WHITE"), None);
    upload(&app, &admin, "?publish=true", CSAF, doc.clone()).await;
    portal(&app, &admin, "public").await;
    let asc = "/api/v1/portal/acme/csaf/white/2025/acme-sa-2025-001.json.asc";
    let meta = "/api/v1/portal/acme/csaf/provider-metadata.json";
    let first_sig = text(&app.get(asc, None).await);
    assert_eq!(text(&app.get(asc, None).await), first_sig, "a signature is made once and kept");
    let m1 = app.get(meta, None).await.json;
    let k1_url = m1["public_openpgp_keys"][0]["url"].as_str().unwrap().to_string();
    let k1 = text(&fetch(&app, &k1_url, None).await);
    verify(&k1, &first_sig, &doc);

    // The secret key is sealed at rest: nothing in the row is an OpenPGP secret key.
    let sealed: Vec<String> = signing_keys::table.select(signing_keys::sealed_secret).load(&mut conn(&app)).unwrap();
    assert_eq!(sealed.len(), 1);
    assert!(sealed[0].starts_with("v1:") && !sealed[0].contains("PRIVATE KEY"));

    // Viewers see the keys but cannot rotate; admins rotate.
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    let keys = app.get(&format!("/api/v1/orgs/{ORG}/portal/signing-keys"), Some(&viewer)).await;
    assert_eq!(keys.status, 200);
    assert_eq!(keys.json[0]["active"], true);
    assert!(keys.json[0].get("sealed_secret").is_none());
    app.post(&format!("/api/v1/orgs/{ORG}/portal/signing-keys"), Some(&viewer), json!({})).await.assert_problem(403);
    let rotated = app.post(&format!("/api/v1/orgs/{ORG}/portal/signing-keys"), Some(&admin), json!({})).await;
    assert_eq!(rotated.status, 201, "{}", rotated.json);
    let m2 = app.get(meta, None).await.json;
    let fps: Vec<&str> =
        m2["public_openpgp_keys"].as_array().unwrap().iter().map(|k| k["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fps.len(), 2);
    assert_eq!(fps[0], rotated.json["fingerprint"].as_str().unwrap(), "the active key is listed first");
    assert_eq!(
        fps[1],
        m1["public_openpgp_keys"][0]["fingerprint"].as_str().unwrap(),
        "the retired key stays published"
    );
    // New signatures come from the new key; the old signature still verifies with the old key.
    let k2 = text(&fetch(&app, m2["public_openpgp_keys"][0]["url"].as_str().unwrap(), None).await);
    let second_sig = text(&app.get(asc, None).await);
    assert_ne!(second_sig, first_sig);
    verify(&k2, &second_sig, &doc);
    verify(&text(&fetch(&app, &k1_url, None).await), &first_sig, &doc);

    // Import an existing key.
    let mut params = pgp::composed::SecretKeyParamsBuilder::default();
    params
        .key_type(pgp::composed::KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(true)
        .primary_user_id("ACME PSIRT <psirt@acme.example>".into());
    let key = params.build().unwrap().generate(rand::thread_rng()).unwrap();
    let armored = key.to_armored_string(pgp::composed::ArmorOptions::default()).unwrap();
    let imported = app
        .post(&format!("/api/v1/orgs/{ORG}/portal/signing-keys"), Some(&admin), json!({"import_secret_key": armored}))
        .await;
    assert_eq!(imported.status, 201, "{}", imported.json);
    assert_eq!(imported.json["fingerprint"], format!("{:X}", key.fingerprint()));
    assert_eq!(imported.json["user_id"], "ACME PSIRT <psirt@acme.example>");
    verify(imported.json["public_key"].as_str().unwrap(), &text(&app.get(asc, None).await), &doc);
    let again = app
        .post(&format!("/api/v1/orgs/{ORG}/portal/signing-keys"), Some(&admin), json!({"import_secret_key": armored}))
        .await;
    again.assert_problem(409);
    let bad = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/signing-keys"),
            Some(&admin),
            json!({"import_secret_key": "not a key"}),
        )
        .await;
    assert_eq!(bad.assert_problem(400)["errors"][0]["field"], "import_secret_key");
    let audit = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=csaf.signing_key.rotate"), Some(&admin)).await;
    assert_eq!(audit.json["events"].as_array().map(Vec::len), Some(2), "{}", audit.json);
}

async fn security_txt_follows_the_portal_settings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.get("/.well-known/security.txt", None).await.assert_problem(404);
    portal(&app, &admin, "private").await;
    for (path, csaf) in [
        ("/.well-known/security.txt", "/.well-known/csaf/provider-metadata.json"),
        ("/api/v1/portal/acme/.well-known/security.txt", "/api/v1/portal/acme/csaf/provider-metadata.json"),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        let body = text(&r);
        let field = |name: &str| {
            body.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or_else(|| panic!("{name} in {body}"))
                .to_string()
        };
        assert_eq!(field("Contact"), "mailto:psirt@acme.example");
        assert_eq!(field("Canonical"), app.url(path));
        assert_eq!(field("CSAF"), app.url(csaf));
        assert_eq!(field("Preferred-Languages"), "en");
        let expires = chrono::DateTime::parse_from_rfc3339(&field("Expires")).unwrap();
        let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days();
        assert!((1..366).contains(&days), "Expires is in the future and less than a year away ({days} days)");
        // The CSAF line points at a working provider metadata document.
        assert_eq!(fetch(&app, &field("CSAF"), None).await.status, 200);
    }
}

fn is_ts(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    s.len() == 20 && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").is_ok()
}

fn is_uuid(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    uuid::Uuid::parse_str(s).is_ok() && s == s.to_lowercase() && s.len() == 36
}

async fn tea_from_discovery_to_artifact_bytes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let sbom = upload(&app, &admin, "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    portal(&app, &admin, "private").await;
    let t = token(&app, &admin, json!({"name": "TEA client", "expires_in": "30d"})).await;

    let wk = app.get("/.well-known/tea", None).await;
    assert_eq!(wk.status, 200);
    assert_eq!(wk.json["schemaVersion"], 1);
    let root = wk.json["endpoints"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(root, app.url("/api/v1/portal/acme/tea"));
    assert_eq!(wk.json["endpoints"][0]["versions"], json!(["0.4.0"]));
    let base = format!("{root}/v0.4.0");
    let head = app.client.head(&base).send().await.unwrap();
    assert_eq!(head.status(), 200, "the API root answers HEAD without credentials");

    // Private portal: the same customer token, nothing without it.
    fetch(&app, &format!("{base}/products"), None).await.assert_problem(401);
    let products = fetch(&app, &format!("{base}/products?pageOffset=0&pageSize=10"), Some(&t)).await;
    assert_eq!(products.status, 200, "{}", products.json);
    assert_eq!(products.json["pageSize"], 10);
    assert_eq!(products.json["pageStartIndex"], 0);
    assert_eq!(products.json["totalResults"], 1);
    assert!(is_ts(&products.json["timestamp"]));
    let product = &products.json["results"][0];
    assert!(is_uuid(&product["uuid"]));
    assert_eq!(product["name"], "router");
    assert_eq!(product["identifiers"], json!([{"idType": "PURL", "idValue": "pkg:generic/acme/router-fw"}]));
    let found = fetch(&app, &format!("{base}/products?idType=PURL&idValue=pkg:generic/acme/router-fw"), Some(&t)).await;
    assert_eq!(found.json["totalResults"], 1);
    let none = fetch(&app, &format!("{base}/products?idType=PURL&idValue=pkg:generic/other"), Some(&t)).await;
    assert_eq!(none.json["totalResults"], 0);
    let p = fetch(&app, &format!("{base}/product/{}", product["uuid"].as_str().unwrap()), Some(&t)).await;
    assert_eq!(&p.json, product);
    let nil = fetch(&app, &format!("{base}/product/00000000-0000-0000-0000-000000000000"), Some(&t)).await;
    assert_eq!((nil.status.as_u16(), nil.json.clone()), (404, json!({"error": "OBJECT_UNKNOWN"})));

    let releases =
        fetch(&app, &format!("{base}/product/{}/releases", product["uuid"].as_str().unwrap()), Some(&t)).await;
    let release = releases.json["results"][0].clone();
    assert_eq!(release["version"], "1.0");
    assert_eq!(release["product"], product["uuid"]);
    assert!(is_ts(&release["createdDate"]) && is_uuid(&release["uuid"]));
    assert_eq!(release["components"], json!([]));
    let tei = release["identifiers"][0]["idValue"].as_str().unwrap().to_string();
    assert_eq!(release["identifiers"][0]["idType"], "TEI");
    assert_eq!(tei, format!("urn:tei:uuid:127.0.0.1:{}", release["uuid"].as_str().unwrap()));
    assert!(release["identifiers"]
        .as_array()
        .unwrap()
        .contains(&json!({"idType": "PURL", "idValue": "pkg:generic/acme/router-fw@4.2.0"})));
    assert!(release["identifiers"]
        .as_array()
        .unwrap()
        .contains(&json!({"idType": "CPE", "idValue": "cpe:2.3:o:acme:router_fw:4.2.0:*:*:*:*:*:*:*"})));

    // Discovery: by uuid, purl and hash TEIs; unknown ones are OBJECT_UNKNOWN.
    let sha = sha256_hex(&fixture("sbom-min-1.6.json"));
    for tei in [
        tei.clone(),
        "urn:tei:purl:127.0.0.1:pkg:generic/acme/router-fw@4.2.0".into(),
        format!("urn:tei:hash:127.0.0.1:SHA-256:{sha}"),
    ] {
        let d = fetch(&app, &format!("{base}/discovery?tei={}", urlencode(&tei)), Some(&t)).await;
        assert_eq!(d.status, 200, "{tei}: {}", d.json);
        assert_eq!(d.json[0]["productReleaseUuid"], release["uuid"]);
        assert_eq!(d.json[0]["servers"][0]["rootUrl"], root);
        assert_eq!(d.json[0]["servers"][0]["versions"], json!(["0.4.0"]));
    }
    let unknown = fetch(
        &app,
        &format!("{base}/discovery?tei=urn:tei:uuid:nonexistent.example.com:00000000-0000-0000-0000-000000000000"),
        Some(&t),
    )
    .await;
    assert_eq!((unknown.status.as_u16(), unknown.json.clone()), (404, json!({"error": "OBJECT_UNKNOWN"})));
    fetch(&app, &format!("{base}/discovery?tei=not-a-tei"), Some(&t)).await.assert_problem(400);
    let by_tei = fetch(&app, &format!("{base}/productReleases?idType=TEI&idValue={}", urlencode(&tei)), Some(&t)).await;
    assert_eq!(by_tei.json["totalResults"], 1);
    assert_eq!(
        fetch(&app, &format!("{base}/productRelease/{}", release["uuid"].as_str().unwrap()), Some(&t)).await.json,
        release
    );

    // Collection → artifact → bytes (audited like any download).
    let latest = fetch(
        &app,
        &format!("{base}/productRelease/{}/collection/latest", release["uuid"].as_str().unwrap()),
        Some(&t),
    )
    .await;
    assert_eq!(latest.status, 200);
    assert_eq!(latest.json["uuid"], release["uuid"]);
    assert_eq!(latest.json["version"], 1);
    assert_eq!(latest.json["belongsTo"], "PRODUCT_RELEASE");
    assert_eq!(latest.json["updateReason"]["type"], "INITIAL_RELEASE");
    let a = &latest.json["artifacts"][0];
    assert_eq!(a["uuid"], sbom.as_str());
    assert_eq!(a["type"], "BOM");
    let artifact = fetch(&app, &format!("{base}/artifact/{sbom}/latest"), Some(&t)).await;
    assert_eq!(&artifact.json, a);
    assert_eq!(fetch(&app, &format!("{base}/artifact/{sbom}/1"), Some(&t)).await.json, *a);
    assert_eq!(fetch(&app, &format!("{base}/artifact/{sbom}/2"), Some(&t)).await.status, 404);
    let format = &a["formats"][0];
    assert_eq!(format["mediaType"], CDX);
    assert_eq!(format["checksums"][0], json!({"algType": "SHA-256", "algValue": sha}));
    assert_eq!(format["checksums"][1]["algType"], "SHA-512");
    let before = download_events(&app).len();
    let bytes = fetch(&app, format["url"].as_str().unwrap(), Some(&t)).await;
    assert_eq!(bytes.status, 200);
    assert_eq!(sha256_hex(&bytes.bytes), sha, "the bytes match the TEA checksum");
    assert_eq!(download_events(&app).len(), before + 1, "the TEA download is audited");

    // CLE from the version's dates; components do not exist here.
    let cle = fetch(&app, &format!("{base}/productRelease/{}/cle", release["uuid"].as_str().unwrap()), Some(&t)).await;
    assert_eq!(cle.status, 200, "{}", cle.json);
    assert!(cle.json["events"].is_array());
    let comp = fetch(&app, &format!("{base}/component/00000000-0000-0000-0000-000000000000"), Some(&t)).await;
    assert_eq!(comp.json, json!({"error": "OBJECT_UNKNOWN"}));
    assert_eq!(fetch(&app, &format!("{base}/components"), Some(&t)).await.json["totalResults"], 0);
    fetch(&app, &format!("{base}/products?pageSize=0"), Some(&t)).await.assert_problem(400);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn tea_collections_record_every_change(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    portal(&app, &admin, "public").await;
    let base = "/api/v1/portal/acme/tea/v0.4.0";
    // A version with nothing published is not a TEA release yet.
    assert_eq!(app.get(&format!("{base}/productReleases"), None).await.json["totalResults"], 0);
    let sbom = upload(&app, &admin, "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    let release = app.get(&format!("{base}/productReleases"), None).await.json["results"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let vex = upload(&app, &admin, "?publish=true", "application/openvex+json", fixture("openvex-0.2.0.json")).await;
    let adv = upload(&app, &admin, "?publish=true", CSAF, advisory("ACME-SA-2025-001", Some("WHITE"), None)).await;
    let fixed =
        upload(&app, &admin, &format!("?publish=true&supersedes={sbom}"), CDX, fixture("sbom-1.4-tools-array.json"))
            .await;
    app.post(&format!("/api/v1/orgs/{ORG}/artifacts/{adv}/withdraw"), Some(&admin), json!({})).await;
    upload(&app, &admin, "", "text/plain", fixture("doc.txt")).await; // a draft changes nothing

    let all = app.get(&format!("{base}/productRelease/{release}/collections"), None).await.json;
    let got: Vec<(i64, &str, usize)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["version"].as_i64().unwrap(),
                c["updateReason"]["type"].as_str().unwrap(),
                c["artifacts"].as_array().unwrap().len(),
            )
        })
        .collect();
    // Every change is a collection version; each lists what the reader may see *now*: the
    // superseded SBOM and the withdrawn advisory are gone from the older versions too.
    assert_eq!(
        got,
        [
            (1, "INITIAL_RELEASE", 0),
            (2, "VEX_UPDATED", 1),
            (3, "ARTIFACT_ADDED", 1),
            (4, "ARTIFACT_UPDATED", 2),
            (5, "ARTIFACT_REMOVED", 2)
        ]
    );
    let comments: Vec<&str> =
        all.as_array().unwrap().iter().map(|c| c["updateReason"]["comment"].as_str().unwrap()).collect();
    assert!(
        comments.iter().all(|c| !c.contains(&sbom) && !c.contains(&adv)),
        "collection comments never name artifacts: {comments:?}"
    );
    assert!(all.as_array().unwrap().iter().all(|c| is_ts(&c["date"])));
    let latest = app.get(&format!("{base}/productRelease/{release}/collection/latest"), None).await.json;
    assert_eq!(latest["version"], 5);
    let mut ids: Vec<&str> =
        latest["artifacts"].as_array().unwrap().iter().map(|a| a["uuid"].as_str().unwrap()).collect();
    ids.sort();
    let mut want = vec![vex.as_str(), fixed.as_str()];
    want.sort();
    assert_eq!(ids, want);
    // The first collection held the SBOM that was superseded since: it says nothing about it now.
    let first = app.get(&format!("{base}/productRelease/{release}/collection/1"), None).await.json;
    assert_eq!(first["artifacts"], json!([]));
    assert_eq!(first["updateReason"]["type"], "INITIAL_RELEASE");
    assert_eq!(app.get(&format!("{base}/productRelease/{release}/collection/9"), None).await.status, 404);
    // A withdrawn artifact is no longer served through TEA.
    assert_eq!(app.get(&format!("{base}/artifact/{adv}/latest"), None).await.json, json!({"error": "OBJECT_UNKNOWN"}));
    let vex_type =
        latest["artifacts"].as_array().unwrap().iter().find(|a| a["uuid"] == vex.as_str()).unwrap()["type"].clone();
    assert_eq!(vex_type, "VULNERABILITIES");
}

async fn forwarded_headers_only_from_trusted_proxies(backend: Backend) {
    let db = e2e::TestDb::new(backend);
    // Not trusted (no PORTAL_TRUSTED_PROXIES): the headers are ignored.
    let app = TestApp::spawn_on(db, None, &[]).await;
    let admin = app.setup_admin().await;
    portal(&app, &admin, "public").await;
    let forwarded = |rb: reqwest::RequestBuilder| {
        rb.header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "portal.example.com")
            .header("x-forwarded-for", "203.0.113.9")
    };
    let r = app.send(forwarded(app.client.get(app.url("/.well-known/csaf/provider-metadata.json")))).await;
    assert_eq!(r.json["canonical_url"], app.url("/.well-known/csaf/provider-metadata.json"));
    let (db, dir) = app.stop().await;
    // Behind a trusted proxy: the public origin and the client address come from its headers —
    // the origin only for a host in PORTAL_ALLOWED_HOSTS, never an arbitrary one.
    let app = TestApp::spawn_on(
        db,
        Some(dir),
        &[("PORTAL_TRUSTED_PROXIES", "127.0.0.1/32, ::1"), ("PORTAL_ALLOWED_HOSTS", "portal.example.com")],
    )
    .await;
    let r = app.send(forwarded(app.client.get(app.url("/.well-known/csaf/provider-metadata.json")))).await;
    assert_eq!(r.json["canonical_url"], "https://portal.example.com/.well-known/csaf/provider-metadata.json");
    let r = app
        .send(
            app.client
                .get(app.url("/.well-known/csaf/provider-metadata.json"))
                .header("x-forwarded-proto", "https")
                .header("x-forwarded-host", "evil.example"),
        )
        .await;
    assert_eq!(r.json["canonical_url"], app.url("/.well-known/csaf/provider-metadata.json"), "unlisted host ignored");
    let r = app
        .send(app.client.get(app.url("/.well-known/csaf/provider-metadata.json")).header("host", "evil.example"))
        .await;
    assert_eq!(r.json["canonical_url"], app.url("/.well-known/csaf/provider-metadata.json"), "unlisted Host ignored");
    let t = token(&app, &admin, json!({"name": "Behind proxy", "expires_in": "30d"})).await;
    let r = app.send(forwarded(app.client.get(app.url("/api/v1/portal/acme")).bearer_auth(&t))).await;
    assert_eq!(r.status, 200);
    let tokens = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&admin)).await.json;
    let used = tokens.as_array().unwrap().iter().find(|x| x["name"] == "Behind proxy").unwrap().clone();
    assert_eq!(used["last_used_ip"], "203.0.113.9", "{used}");
}

async fn native_tls(backend: Backend) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let app = TestApp::spawn_with(
        backend,
        &[("PORTAL_TLS_CERT", cert_path.to_str().unwrap()), ("PORTAL_TLS_KEY", key_path.to_str().unwrap())],
    )
    .await;
    let client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let https = app.base.replace("http://", "https://");
    let r = client.get(format!("{https}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // Plain HTTP on the TLS port gets nowhere.
    assert!(app.client.get(app.url("/healthz")).send().await.map(|r| r.status() != 200).unwrap_or(true));
    // URLs the server prints for itself are https.
    let admin = {
        let r = client
            .post(format!("{https}/api/v1/setup"))
            .json(&json!({"org_name": "ACME", "org_slug": ORG, "email": "admin@acme.example", "password": "a long passphrase", "display_name": "Ada"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(
            r.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()),
            Some("max-age=31536000; includeSubDomains"),
            "HSTS when the server terminates TLS"
        );
        let r = client
            .post(format!("{https}/api/v1/auth/login"))
            .json(&json!({"email": "admin@acme.example", "password": "a long passphrase"}))
            .send()
            .await
            .unwrap();
        r.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    };
    let r = client
        .put(format!("{https}/api/v1/orgs/{ORG}/portal"))
        .bearer_auth(&admin)
        .json(&json!({"enabled": true, "slug": "acme", "visibility": "public", "display_name": "ACME"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let wk: Value = client.get(format!("{https}/.well-known/tea")).send().await.unwrap().json().await.unwrap();
    assert!(wk["endpoints"][0]["url"].as_str().unwrap().starts_with("https://"), "{wk}");
}

/// Follows `Link: <…>; rel="next"` from `path`, answering every page's items.
async fn all_pages(app: &TestApp, path: &str, token: Option<&str>) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut next = Some(path.to_string());
    while let Some(p) = next.take() {
        let r = app.get(&p, token).await;
        assert_eq!(r.status, 200, "{p}: {}", r.json);
        pages.push(r.json.as_array().expect("a list").clone());
        next = r.header("link").map(|l| {
            assert!(l.ends_with("; rel=\"next\""), "{l}");
            l.trim_start_matches('<').split('>').next().unwrap().to_string()
        });
        assert!(pages.len() < 20, "paging does not end");
    }
    pages
}

async fn customer_lists_and_indexes_are_paged_and_follow_changes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    portal(&app, &admin, "public").await;
    // Five products, each with a published SBOM; router 1.0 also holds three advisories.
    for p in ["delta", "alpha", "echo", "charlie", "bravo"] {
        app.product_version(&admin, p, "1.0").await;
        let r = app.upload(&Auth::Bearer(&admin), p, "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
        assert_eq!(r.status, 201, "{}", r.json);
    }
    app.product_version(&admin, "router", "1.0").await;
    let mut advisories = Vec::new();
    for n in 1..=3 {
        advisories.push(
            upload(&app, &admin, "?publish=true", CSAF, advisory(&format!("ACME-PAGE-{n}"), Some("WHITE"), None)).await,
        );
    }

    // Products: keyset pages of two, by name, each product once, the filters kept in the links.
    let pages = all_pages(&app, "/api/v1/portal/acme/products?limit=2", None).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 2]);
    let names: Vec<&str> = pages.iter().flatten().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(names, ["alpha", "bravo", "charlie", "delta", "echo", "router"]);
    // Advisories: newest first, two per page; a CVE filter is carried into the next link.
    let pages = all_pages(&app, "/api/v1/portal/acme/advisories?limit=2", None).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
    let ids: Vec<&str> = pages.iter().flatten().map(|a| a["id"].as_str().unwrap()).collect();
    let mut expected: Vec<&str> = advisories.iter().map(String::as_str).collect();
    expected.reverse();
    assert_eq!(ids, expected, "newest first, each once");
    let cve = app.get("/api/v1/portal/acme/advisories?limit=1&cve=CVE-2025-0001", None).await;
    if let Some(link) = cve.header("link") {
        assert!(link.contains("cve=CVE-2025-0001"), "{link}");
    }
    // Bad paging parameters are named.
    let bad = app.get("/api/v1/portal/acme/products?cursor=not-ours", None).await;
    assert!(bad.assert_problem(400).to_string().contains("cursor"), "{}", bad.json);
    for limit in ["0", "201"] {
        let bad = app.get(&format!("/api/v1/portal/acme/products?limit={limit}"), None).await;
        assert!(bad.assert_problem(400).to_string().contains("limit"), "{}", bad.json);
    }

    // TEA pages in SQL: the totals count everything, the page holds what was asked for.
    let tea = app.get("/api/v1/portal/acme/tea/v0.4.0/products?pageSize=2&pageOffset=4", None).await;
    assert_eq!(tea.status, 200, "{}", tea.json);
    assert_eq!(tea.json["totalResults"], 6);
    let names: Vec<&str> =
        tea.json["results"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["echo", "router"]);
    let releases = app.get("/api/v1/portal/acme/tea/v0.4.0/productReleases?pageSize=4", None).await;
    assert_eq!(
        (releases.json["totalResults"].as_i64(), releases.json["results"].as_array().map(Vec::len)),
        (Some(6), Some(4))
    );

    // The CSAF index is kept, not rebuilt per request, yet follows every change at once: a
    // withdrawal, and archiving the product the advisories are filed under.
    assert_eq!(csaf_index(&app).await.lines().count(), 3);
    assert_eq!(csaf_index(&app).await.lines().count(), 3, "served again from the kept index");
    app.post(
        &format!("/api/v1/orgs/{ORG}/artifacts/{}/withdraw", advisories[0]),
        Some(&admin),
        json!({"reason": "wrong"}),
    )
    .await;
    let after = csaf_index(&app).await;
    assert_eq!(after.lines().count(), 2, "{after}");
    assert!(!after.contains("acme-page-1"), "{after}");
    let r = app.patch(&format!("/api/v1/orgs/{ORG}/products/router"), Some(&admin), json!({"archived": true})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(csaf_index(&app).await, "", "an archived product's advisories leave the index");
    let feed = app.get("/api/v1/portal/acme/csaf/white/csaf-feed-tlp-white.json", None).await;
    assert_eq!(feed.json["feed"]["entry"].as_array().map(Vec::len), Some(0));
    app.get("/api/v1/portal/acme/csaf/white/csaf-feed-tlp-white.json?page=2", None).await.assert_problem(404);
}

async fn csaf_index(app: &TestApp) -> String {
    app.get("/api/v1/portal/acme/csaf/white/index.txt", None).await.text()
}
