//! The committed OpenAPI document is the generated one, and every operation is fully described.

#[test]
fn committed_document_matches_the_code() {
    let generated = supplier_portal::openapi::document();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(generated == committed, "openapi/openapi.json is out of date: run `make openapi` and commit the result");
}

#[test]
fn every_operation_has_id_tag_description_and_errors() {
    let doc: serde_json::Value = serde_json::from_str(&supplier_portal::openapi::document()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id}: no tag");
            let described = op["description"].as_str().or(op["summary"].as_str()).is_some_and(|d| !d.is_empty());
            assert!(described, "{id}: no description");
            let responses = op["responses"].as_object().unwrap();
            let is_probe = path == "/healthz";
            assert!(
                is_probe || responses.keys().any(|k| k.starts_with('4') || k.starts_with('5')),
                "{id}: no error responses"
            );
        }
    }
    for scheme in ["admin_jwt", "api_key", "portal_token"] {
        assert!(doc["components"]["securitySchemes"][scheme].is_object(), "security scheme {scheme}");
    }
}

#[test]
fn every_tag_used_is_declared() {
    let doc: serde_json::Value = serde_json::from_str(&supplier_portal::openapi::document()).unwrap();
    let declared: std::collections::HashSet<&str> =
        doc["tags"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for t in op["tags"].as_array().unwrap() {
                let t = t.as_str().unwrap();
                assert!(declared.contains(t), "{method} {path}: tag `{t}` is not declared in the document");
            }
            assert!(!path.starts_with("/api/v1/api/v1"), "{path}: the scope prefix is doubled");
        }
    }
}

/// Every documented operation, called at its documented path with made-up parameters, reaches a
/// handler: whatever it answers (401, 404 for an unknown object, 400 …), never the router's own
/// "no route" 404. The spec and the router cannot drift apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_path_is_routed() {
    let app = e2e::TestApp::spawn(e2e::Backend::Sqlite).await;
    let doc: serde_json::Value = serde_json::from_str(&supplier_portal::openapi::document()).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete: String = path
            .split('/')
            .map(|seg| match seg {
                "{tlp}" => "white".to_string(),
                "{year}" => "2025".to_string(),
                "{collectionVersion}" | "{artifactVersion}" => "1".to_string(),
                "{file}" | "{key}" => "x.json".to_string(),
                s if s.starts_with('{') => "00000000-0000-4000-8000-000000000000".to_string(),
                s => s.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        for (method, _) in item.as_object().unwrap() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app
                .send(app.client.request(m, app.url(&concrete)).header("content-type", "application/json").body("{}"))
                .await;
            let detail = r.json["detail"].as_str().unwrap_or_default();
            assert!(!detail.starts_with("no route for"), "{method} {path} (as {concrete}) is not routed: {detail}");
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} operations checked");
}
