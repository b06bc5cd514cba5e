//! Conformance against real public documents (`PORTAL_SAMPLES_DIR`, never copied into the repo):
//! every valid one is accepted through the API with the right facts, every invalid one is rejected
//! with a 422 naming the defect.

use std::path::{Path, PathBuf};

use e2e::{e2e, Auth, Backend, TestApp};
use serde_json::Value;

e2e!(samples_conform);

fn samples_dir() -> Option<PathBuf> {
    match std::env::var("PORTAL_SAMPLES_DIR").ok().filter(|s| !s.is_empty()) {
        Some(d) => Some(PathBuf::from(d)),
        None if std::env::var("CI").as_deref() == Ok("true") => panic!("CI=true but PORTAL_SAMPLES_DIR is not set"),
        None => {
            eprintln!("SKIPPED: PORTAL_SAMPLES_DIR not set; the samples conformance test did not run");
            None
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

async fn samples_conform(backend: Backend) {
    let Some(root) = samples_dir() else { return };
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let auth = Auth::Bearer(&admin);
    let mut n = 0;
    let mut checked = 0;
    let mut upload = |kind: &'static str, path: PathBuf| {
        n += 1;
        let version = format!("s{n}");
        let bytes = std::fs::read(&path).unwrap();
        let app = &app;
        let auth = &auth;
        async move {
            (
                path,
                bytes.clone(),
                app.upload(
                    auth,
                    "samples",
                    &version,
                    &format!("?auto_create=true&kind={kind}"),
                    "application/json",
                    bytes,
                )
                .await,
            )
        }
    };

    for path in files(&root.join("sbom/cyclonedx")) {
        let (path, bytes, r) = upload("sbom", path).await;
        assert_eq!(r.status, 201, "{}: {}", path.display(), r.json);
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(r.json["facts"]["sbom"]["spec_version"], doc["specVersion"], "{}", path.display());
        let components = doc["components"].as_array().map(|c| c.len()).unwrap_or(0);
        assert_eq!(r.json["facts"]["sbom"]["component_count"], components, "{}", path.display());
        checked += 1;
    }
    for path in files(&root.join("sbom/invalid")) {
        let (path, _, r) = upload("sbom", path).await;
        assert_eq!(r.status, 422, "{} must be rejected: {}", path.display(), r.json);
        assert!(r.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
        checked += 1;
    }
    for sub in ["vex/cyclonedx", "vex/openvex"] {
        for path in files(&root.join(sub)) {
            let (path, _, r) = upload("vex", path).await;
            assert_eq!(r.status, 201, "{}: {}", path.display(), r.json);
            assert!(!r.json["vex_statements"].as_array().unwrap().is_empty(), "{}: no statements", path.display());
            for s in r.json["vex_statements"].as_array().unwrap() {
                let status = s["status"].as_str().unwrap();
                assert!(["not_affected", "affected", "fixed", "under_investigation"].contains(&status));
            }
            checked += 1;
        }
    }
    for path in files(&root.join("csaf/valid")) {
        let is_vex = path.to_string_lossy().contains("csaf_vex");
        let (path, bytes, r) = upload("advisory", path).await;
        assert_eq!(r.status, 201, "{}: {}", path.display(), r.json);
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(r.json["facts"]["advisory"]["tracking_id"], doc["document"]["tracking"]["id"], "{}", path.display());
        if is_vex {
            let (path, _, r) = upload("vex", path).await;
            assert_eq!(r.status, 201, "{} as VEX: {}", path.display(), r.json);
        }
        checked += 1;
    }
    for path in files(&root.join("csaf/invalid")) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (path, _, r) = upload("advisory", path).await;
        assert_eq!(r.status, 422, "{} must be rejected: {}", path.display(), r.json);
        // oasis-6-1-06-01-… names mandatory test 6.1.6 (6-1-27-09 → 6.1.27.9).
        if let Some(rest) = name.strip_prefix("oasis-") {
            let nums: Vec<u32> = rest.split('-').map_while(|p| p.parse().ok()).collect();
            let test = nums[..nums.len() - 1].iter().map(|n| n.to_string()).collect::<Vec<_>>().join(".");
            assert!(r.json.to_string().contains(&test), "{name}: expected test {test} in {}", r.json);
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} samples found under {}", root.display());
    eprintln!("samples conformance: {checked} documents checked on {backend:?}");
}
