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
