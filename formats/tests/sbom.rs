#![allow(clippy::unwrap_used, clippy::expect_used)]
//! CycloneDX 1.7, SPDX 2.x / 3.0.1, conformance profiles and SBOM diff.
use portal_formats::{analyze, conformance, detect_kind, diff, Analysis, ArtifactKind, ProfileResult, Rejection};
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json_fixture(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

fn accept(v: &Value) -> Analysis {
    match analyze(ArtifactKind::Sbom, &serde_json::to_vec(v).unwrap()) {
        Ok(a) => a,
        Err(r) => panic!("rejected: {r:#?}"),
    }
}

fn reject(v: &Value) -> Rejection {
    match analyze(ArtifactKind::Sbom, &serde_json::to_vec(v).unwrap()) {
        Ok(a) => panic!("expected rejection, got {}", a.format),
        Err(r) => r,
    }
}

fn profile<'a>(a: &'a Analysis, id: &str) -> &'a ProfileResult {
    a.conformance.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no profile {id}: {:?}", a.conformance))
}

fn failing(p: &ProfileResult) -> Vec<&str> {
    p.rules.iter().filter(|r| !r.passed).map(|r| r.id.as_str()).collect()
}

/// Adds SHA-512 hashes (on the component, or on its distribution reference) and concluded
/// SPDX licences to every component of the BSI fixture.
fn add_hashes_and_licences(v: &mut Value) {
    let sha = |c: char| c.to_string().repeat(128);
    v["metadata"]["component"]["hashes"] = json!([{ "alg": "SHA-512", "content": sha('a') }]);
    v["metadata"]["component"]["licenses"] =
        json!([{ "license": { "id": "Apache-2.0", "acknowledgement": "concluded" } }]);
    v["components"][0]["externalReferences"][0]["hashes"] = json!([{ "alg": "SHA-512", "content": sha('b') }]);
    v["components"][0]["licenses"] = json!([{ "expression": "Apache-2.0", "acknowledgement": "concluded" }]);
    v["components"][1]["hashes"] =
        json!([{ "alg": "SHA-256", "content": sha('c')[..64] }, { "alg": "SHA-512", "content": sha('d') }]);
    v["components"][1]["licenses"] = json!([{ "license": { "id": "Zlib" } }]);
}

// ---------------- BSI TR-03183-2 v2.1

#[test]
fn bsi_fails_exactly_on_missing_sha512_and_licences_then_passes() {
    let mut v = json_fixture("sbom-bsi-1.6.json");
    let a = accept(&v);
    let bsi = profile(&a, "bsi-tr-03183-2-v2.1");
    assert_eq!(failing(bsi), vec!["distribution-licences", "hash-sha512"], "{bsi:#?}");
    assert!(!bsi.passed);
    assert_eq!(bsi.components_checked, 3);
    for id in ["distribution-licences", "hash-sha512"] {
        let r = bsi.rules.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.failing_components, 3);
        assert_eq!(r.examples, vec!["router-fw@4.2.0", "openssl@3.0.15", "zlib@1.3.1"]);
    }
    // 12 of 14 rules pass.
    assert_eq!(bsi.score, 86);
    // CISA 2025 misses the same data (hash, licence); NTIA 2021 asks for neither.
    assert_eq!(failing(profile(&a, "cisa-2025")), vec!["component-hash", "license"]);
    assert!(profile(&a, "ntia-2021").passed);

    add_hashes_and_licences(&mut v);
    let a = accept(&v);
    for p in &a.conformance {
        assert!(p.passed, "{p:#?}");
        assert_eq!(p.score, 100);
    }
    let bsi = profile(&a, "bsi-tr-03183-2-v2.1");
    // Additional fields are reported but do not count.
    let add: Vec<(&str, bool, usize)> =
        bsi.additional.iter().map(|r| (r.id.as_str(), r.passed, r.failing_components)).collect();
    assert_eq!(
        add,
        vec![
            ("sbom-uri", true, 0),
            ("source-code-uri", false, 2),
            ("deployable-uri", false, 1),
            ("other-identifiers", true, 0),
            ("original-licences", false, 3),
        ]
    );
    // The same result from the public function over the JSON value.
    assert_eq!(conformance(&v), a.conformance);
}

#[test]
fn bsi_single_rules() {
    let mut base = json_fixture("sbom-bsi-1.6.json");
    add_hashes_and_licences(&mut base);

    // Vulnerability data inside the SBOM.
    let mut v = base.clone();
    v["vulnerabilities"] = json!([{ "id": "CVE-2024-0001", "affects": [{ "ref": "openssl" }] }]);
    let a = accept(&v);
    let bsi = profile(&a, "bsi-tr-03183-2-v2.1");
    assert_eq!(failing(bsi), vec!["no-vulnerabilities"]);
    let r = bsi.rules.iter().find(|r| r.id == "no-vulnerabilities").unwrap();
    assert!(r.detail.as_deref().unwrap().contains("CVE-2024-0001"), "{r:?}");
    assert!(profile(&a, "ntia-2021").passed && profile(&a, "cisa-2025").passed);

    // Only a SHA-256: not enough.
    let mut v = base.clone();
    v["components"][1]["hashes"] = json!([{ "alg": "SHA-256", "content": "e".repeat(64) }]);
    let bsi_fail = |v: &Value| {
        let a = accept(v);
        let bsi = profile(&a, "bsi-tr-03183-2-v2.1").clone();
        (failing(&bsi).into_iter().map(str::to_string).collect::<Vec<_>>(), bsi)
    };
    let (f, bsi) = bsi_fail(&v);
    assert_eq!(f, vec!["hash-sha512"]);
    assert_eq!(bsi.rules.iter().find(|r| r.id == "hash-sha512").unwrap().examples, vec!["zlib@1.3.1"]);

    // A licence given only by name, or only as declared, is no distribution licence.
    let mut v = base.clone();
    v["components"][1]["licenses"] = json!([{ "license": { "name": "zlib licence" } }]);
    assert_eq!(bsi_fail(&v).0, vec!["distribution-licences"]);
    let mut v = base.clone();
    v["components"][1]["licenses"] = json!([{ "license": { "id": "Zlib", "acknowledgement": "declared" } }]);
    assert_eq!(bsi_fail(&v).0, vec!["distribution-licences"]);

    // Property values are checked; the completeness statement is required.
    let mut v = base.clone();
    v["components"][0]["properties"][1]["value"] = "yes".into();
    v["compositions"][0]["aggregate"] = "not_specified".into();
    assert_eq!(bsi_fail(&v).0, vec!["dependencies", "executable-property"]);

    // The SBOM creator needs an e-mail address or a URL; a name is not enough.
    let mut v = base.clone();
    v["metadata"]["manufacturer"] = json!({ "name": "ACME GmbH" });
    assert_eq!(bsi_fail(&v).0, vec!["sbom-creator"]);

    // CycloneDX 1.5 is too old for TR v2.1. (1.5 has no manufacturer and no licence
    // acknowledgement: the same data goes into metadata.authors, component.author and plain ids.)
    let mut v = base.clone();
    v["specVersion"] = "1.5".into();
    v["metadata"].as_object_mut().unwrap().remove("manufacturer");
    v["metadata"]["authors"] = json!([{ "name": "ACME PSIRT", "email": "psirt@acme.example" }]);
    v["components"][0]["externalReferences"].as_array_mut().unwrap().truncate(1); // no source-distribution in 1.5
    for ptr in ["/metadata/component", "/components/0", "/components/1"] {
        let c = v.pointer_mut(ptr).unwrap();
        c.as_object_mut().unwrap().remove("manufacturer");
        c["author"] = "ACME GmbH (psirt@acme.example)".into();
        for l in c["licenses"].as_array_mut().unwrap() {
            if let Some(x) = l.as_object_mut() {
                x.remove("acknowledgement");
            }
            if let Some(x) = l.get_mut("license").and_then(Value::as_object_mut) {
                x.remove("acknowledgement");
            }
        }
    }
    assert_eq!(bsi_fail(&v).0, vec!["format"]);
}

#[test]
fn ntia_and_cisa_rules() {
    // The minimal fixture: no hashes, licences only on metadata, no lifecycles, a tool but no author.
    let a = analyze(ArtifactKind::Sbom, &fixture("sbom-min-1.6.json")).unwrap();
    let ntia = profile(&a, "ntia-2021");
    assert_eq!(failing(ntia), vec!["supplier", "unique-identifier"]);
    let author = ntia.rules.iter().find(|r| r.id == "author").unwrap();
    assert_eq!(author.detail.as_deref(), Some("tool portal-test-gen 1.0"));
    let supplier = ntia.rules.iter().find(|r| r.id == "supplier").unwrap();
    assert_eq!(supplier.failing_components, 4);
    let uid = ntia.rules.iter().find(|r| r.id == "unique-identifier").unwrap();
    assert_eq!(uid.examples, vec!["libcrypto@3.0.7"]);
    let cisa = profile(&a, "cisa-2025");
    assert_eq!(
        failing(cisa),
        vec![
            "sbom-author",
            "software-producer",
            "software-identifiers",
            "component-hash",
            "license",
            "generation-context"
        ]
    );
    assert!(cisa.score > 0 && cisa.score < 100);
    // A VEX upload gets no conformance profiles.
    let a = analyze(ArtifactKind::Vex, &fixture("cdx-vex.json")).unwrap();
    assert!(a.conformance.is_empty());
    assert!(conformance(&json!({ "hello": "world" })).is_empty());
}

// ---------------- CycloneDX 1.7

#[test]
fn cyclonedx_1_7_with_tlp() {
    let mut v = json_fixture("sbom-bsi-1.6.json");
    v["specVersion"] = "1.7".into();
    v["metadata"]["distributionConstraints"] = json!({ "tlp": "AMBER_AND_STRICT" });
    let bytes = serde_json::to_vec(&v).unwrap();
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Sbom));
    let a = accept(&v);
    assert_eq!(a.format, "cyclonedx-json 1.7");
    assert_eq!(a.media_type, "application/vnd.cyclonedx+json");
    let f = a.sbom.as_ref().unwrap();
    assert_eq!(f.spec_version, "1.7");
    assert_eq!(f.tlp.as_deref(), Some("AMBER_AND_STRICT"));
    assert_eq!(f.components.len(), 2);
    assert_eq!(f.authors, vec!["ACME GmbH"]);
    // TR v2.1 accepts CycloneDX 1.6 "or higher".
    let bsi = profile(&a, "bsi-tr-03183-2-v2.1");
    assert!(bsi.rules.iter().find(|r| r.id == "format").unwrap().passed);

    for tlp in ["CLEAR", "GREEN", "AMBER", "RED"] {
        v["metadata"]["distributionConstraints"]["tlp"] = tlp.into();
        assert_eq!(accept(&v).sbom.unwrap().tlp.as_deref(), Some(tlp));
    }
    // Validated against the 1.7 schema: TLP spellings are those of the schema…
    v["metadata"]["distributionConstraints"]["tlp"] = "WHITE".into();
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer == "/metadata/distributionConstraints/tlp"), "{r:#?}");
    // …and distributionConstraints does not exist before 1.7.
    v["metadata"]["distributionConstraints"]["tlp"] = "GREEN".into();
    v["specVersion"] = "1.6".into();
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer == "/metadata"), "{r:#?}");
    // 1.7 schema errors carry pointers like the other versions.
    v["specVersion"] = "1.7".into();
    v["components"][0]["type"] = "gadget".into();
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer == "/components/0/type"), "{r:#?}");
    // A later version is still refused by name.
    v["specVersion"] = "1.8".into();
    let r = reject(&v);
    assert!(r.message.contains("supported: 1.2–1.7"), "{}", r.message);
}

#[test]
fn cyclonedx_1_7_cryptography_defs_are_resolved() {
    // 1.7 refers to cryptography-defs.schema.json for algorithm families and curves.
    let mut v = json_fixture("sbom-min-1.6.json");
    v["specVersion"] = "1.7".into();
    v["components"][1] = json!({
        "type": "cryptographic-asset", "name": "AES-128-GCM", "bom-ref": "zlib",
        "cryptoProperties": { "assetType": "algorithm", "algorithmProperties": { "primitive": "ae", "algorithmFamily": "AES" } }
    });
    accept(&v);
    v["components"][1]["cryptoProperties"]["algorithmProperties"]["algorithmFamily"] = "NOT-AN-ALGORITHM".into();
    let r = reject(&v);
    assert!(
        r.defects.iter().any(|d| d.pointer == "/components/1/cryptoProperties/algorithmProperties/algorithmFamily"),
        "{r:#?}"
    );
}

// ---------------- SPDX

#[test]
fn spdx_2_3_facts() {
    let bytes = fixture("spdx-2.3.json");
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Sbom));
    let a = analyze(ArtifactKind::Sbom, &bytes).unwrap();
    assert_eq!(a.format, "spdx-json 2.3");
    assert_eq!(a.media_type, "application/spdx+json");
    let f = a.sbom.as_ref().unwrap();
    assert_eq!(f.spec_version, "2.3");
    assert_eq!(f.serial_number.as_deref(), Some("https://acme.example/spdx/router-fw-4.2.0-5d1f"));
    assert_eq!(f.document_name.as_deref(), Some("router-fw-4.2.0"));
    assert_eq!(f.timestamp.as_deref(), Some("2025-09-01T10:00:00Z"));
    assert_eq!(f.tools, vec!["acme-sbom-2.0"]);
    assert_eq!(f.authors, vec!["ACME GmbH"]);
    assert_eq!(f.supplier.as_deref(), Some("ACME GmbH"));
    assert_eq!(f.licenses, vec!["CC0-1.0"]);
    let pc = f.primary_component.as_ref().unwrap();
    assert_eq!((pc.name.as_str(), pc.version.as_deref()), ("router-fw", Some("4.2.0")));
    assert_eq!(pc.purl.as_deref(), Some("pkg:generic/acme/router-fw@4.2.0"));
    assert_eq!(pc.bom_ref.as_deref(), Some("SPDXRef-fw"));
    assert_eq!(pc.licenses, vec!["Apache-2.0"]);
    assert_eq!(pc.hashes[0].alg, "SHA-256");
    assert_eq!(f.component_count, 1);
    let zlib = &f.components[0];
    assert_eq!(zlib.name, "zlib");
    assert_eq!(zlib.supplier.as_deref(), Some("zlib"));
    assert_eq!(zlib.hashes[0].alg, "SHA-512");
    assert_eq!(f.dependencies.len(), 2);
    assert_eq!(f.dependencies[0].from, "SPDXRef-fw");
    assert_eq!(f.dependencies[0].depends_on, vec!["SPDXRef-zlib"]);
    assert!(f.dependencies[1].depends_on.is_empty(), "DEPENDS_ON NONE: no dependencies");
    // SPDX 2 is below TR v2.1's minimum, whatever else it holds.
    let bsi = profile(&a, "bsi-tr-03183-2-v2.1");
    assert!(failing(bsi).contains(&"format"));
    assert!(profile(&a, "ntia-2021").passed, "{:#?}", profile(&a, "ntia-2021"));
}

#[test]
fn spdx_2_rejections() {
    let base = json_fixture("spdx-2.3.json");
    // Schema: required fields, with pointers.
    let mut v = base.clone();
    v.as_object_mut().unwrap().remove("SPDXID");
    v["packages"][0].as_object_mut().unwrap().remove("name");
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer.is_empty() && d.message.contains("SPDXID")), "{r:#?}");
    assert!(r.defects.iter().any(|d| d.pointer == "/packages/0" && d.message.contains("name")), "{r:#?}");
    // Referential checks.
    let mut v = base.clone();
    v["relationships"][1]["relatedSpdxElement"] = "SPDXRef-missing".into();
    v["packages"][1]["SPDXID"] = "SPDXRef-fw".into();
    let r = reject(&v);
    let ptrs: Vec<&str> = r.defects.iter().map(|d| d.pointer.as_str()).collect();
    assert!(ptrs.contains(&"/packages/1/SPDXID") && ptrs.contains(&"/relationships/1/relatedSpdxElement"), "{r:#?}");
    let mut v = base.clone();
    v["documentDescribes"] = json!(["SPDXRef-nothing"]);
    assert_eq!(reject(&v).defects[0].pointer, "/documentDescribes/0");
    // Versions.
    let mut v = base.clone();
    v["spdxVersion"] = "SPDX-2.1".into();
    let r = reject(&v);
    assert_eq!(r.defects[0].pointer, "/spdxVersion");
    assert!(r.message.contains("unsupported SPDX version"), "{}", r.message);
    // 2.2 is checked against the 2.2 schema (which requires licenseDeclared / copyrightText on packages).
    let mut v = base.clone();
    v["spdxVersion"] = "SPDX-2.2".into();
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer == "/packages/1" && d.message.contains("licenseDeclared")), "{r:#?}");
    v["packages"][1]["licenseDeclared"] = "Zlib".into();
    assert_eq!(accept(&v).format, "spdx-json 2.2");
    // An SPDX document is not VEX or an advisory.
    let bytes = serde_json::to_vec(&base).unwrap();
    let r = analyze(ArtifactKind::Vex, &bytes).unwrap_err();
    assert!(r.message.contains("SPDX SBOM") && r.message.contains("kind sbom"), "{}", r.message);
}

#[test]
fn spdx_3_0_1_facts_and_bsi() {
    let bytes = fixture("spdx-3.0.1-bsi.json");
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Sbom));
    let a = analyze(ArtifactKind::Sbom, &bytes).unwrap();
    assert_eq!(a.format, "spdx-jsonld 3.0.1");
    assert_eq!(a.media_type, "application/spdx+json");
    let f = a.sbom.as_ref().unwrap();
    assert_eq!(f.spec_version, "3.0.1");
    assert_eq!(f.serial_number.as_deref(), Some("https://acme.example/spdx/router-fw-4.2.0/doc"));
    assert_eq!(f.tools, vec!["acme-sbom 2.0"]);
    assert_eq!(f.authors, vec!["ACME GmbH"]);
    let pc = f.primary_component.as_ref().unwrap();
    assert_eq!((pc.name.as_str(), pc.version.as_deref()), ("router-fw", Some("4.2.0")));
    assert_eq!(pc.supplier.as_deref(), Some("ACME GmbH"));
    assert_eq!(pc.licenses, vec!["Apache-2.0"]);
    assert_eq!(pc.hashes.len(), 1);
    assert_eq!(pc.hashes[0].alg, "SHA-512");
    assert_eq!(f.components.len(), 1);
    assert_eq!(f.components[0].purl.as_deref(), Some("pkg:generic/zlib@1.3.1"));
    let deps: Vec<(&str, usize)> = f.dependencies.iter().map(|d| (d.from.as_str(), d.depends_on.len())).collect();
    assert_eq!(
        deps,
        vec![
            ("https://acme.example/spdx/router-fw-4.2.0/fw", 1),
            ("https://acme.example/spdx/router-fw-4.2.0/zlib", 0)
        ]
    );
    // This document carries every field TR-03183-2 v2.1 requires, the SPDX 3 way.
    for p in &a.conformance {
        assert!(p.passed, "{p:#?}");
    }
    let bsi = profile(&a, "bsi-tr-03183-2-v2.1");
    let add: Vec<(&str, bool)> = bsi.additional.iter().map(|r| (r.id.as_str(), r.passed)).collect();
    assert_eq!(
        add,
        vec![
            ("sbom-uri", true),
            ("source-code-uri", false),
            ("deployable-uri", true),
            ("other-identifiers", true),
            ("original-licences", true)
        ]
    );

    // Without the distribution artifact of zlib: filename, hash and the three properties go.
    let mut v: Value = serde_json::from_slice(&bytes).unwrap();
    let graph = v["@graph"].as_array_mut().unwrap();
    graph.retain(|e| e["spdxId"] != "https://acme.example/spdx/router-fw-4.2.0/rel-2");
    let a = accept(&v);
    assert_eq!(
        failing(profile(&a, "bsi-tr-03183-2-v2.1")),
        vec!["filename", "hash-sha512", "executable-property", "archive-property", "structured-property"]
    );
}

#[test]
fn spdx_3_rejections() {
    let base = json_fixture("spdx-3.0.1-bsi.json");
    // Schema errors point into @graph.
    let mut v = base.clone();
    v["@graph"][5].as_object_mut().unwrap().remove("creationInfo");
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer.starts_with("/@graph/5")), "{r:#?}");
    // Dangling relationship target.
    let mut v = base.clone();
    v["@graph"][14]["to"] = json!(["https://acme.example/spdx/router-fw-4.2.0/nowhere"]);
    let r = reject(&v);
    assert_eq!(r.defects[0].pointer, "/@graph/14/to/0", "{r:#?}");
    // Duplicate spdxId.
    let mut v = base.clone();
    v["@graph"][7]["spdxId"] = "https://acme.example/spdx/router-fw-4.2.0/acme".into();
    let r = reject(&v);
    assert!(r.defects.iter().any(|d| d.pointer == "/@graph/7/spdxId"), "{r:#?}");
    // creationInfo that names nothing.
    let mut v = base.clone();
    v["@graph"][2]["creationInfo"] = "_:nope".into();
    assert_eq!(reject(&v).defects[0].pointer, "/@graph/2/creationInfo");
    // SPDX 3.0.0 is not supported.
    let mut v = base.clone();
    v["@context"] = "https://spdx.org/rdf/3.0.0/spdx-context.jsonld".into();
    let r = reject(&v);
    assert_eq!(r.defects[0].pointer, "/@context");
    assert!(r.message.contains("3.0.1"), "{}", r.message);
}

// ---------------- diff

#[test]
fn diff_of_two_analysed_sboms() {
    let mut old = json_fixture("sbom-bsi-1.6.json");
    add_hashes_and_licences(&mut old);
    let mut new = old.clone();
    new["metadata"]["component"]["version"] = "4.3.0".into();
    new["metadata"]["component"]["purl"] = "pkg:generic/acme/router-fw@4.3.0".into();
    new["components"][0]["version"] = "3.0.16".into();
    new["components"][0]["purl"] = "pkg:generic/openssl@3.0.16".into();
    new["components"][1]["licenses"] = json!([{ "expression": "Zlib OR MIT" }]);
    new["components"].as_array_mut().unwrap().push(json!({
        "type": "library", "bom-ref": "busybox", "name": "busybox", "version": "1.36.1", "purl": "pkg:generic/busybox@1.36.1"
    }));
    new["dependencies"].as_array_mut().unwrap().push(json!({ "ref": "busybox" }));
    let old_f = accept(&old).sbom.unwrap();
    let new_f = accept(&new).sbom.unwrap();
    let d = diff(&old_f, &new_f);
    assert_eq!(d.added.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), vec!["busybox"]);
    assert!(d.removed.is_empty());
    let changed: Vec<(&str, &str, &str)> = d
        .changed
        .iter()
        .map(|c| (c.name.as_str(), c.from_version.as_deref().unwrap(), c.to_version.as_deref().unwrap()))
        .collect();
    assert_eq!(changed, vec![("router-fw", "4.2.0", "4.3.0"), ("openssl", "3.0.15", "3.0.16")]);
    assert_eq!(d.licence_changes.len(), 1);
    assert_eq!(d.licence_changes[0].key, "pkg:generic/zlib");
    assert_eq!(d.licence_changes[0].from, vec!["Zlib"]);
    assert_eq!(d.licence_changes[0].to, vec!["Zlib OR MIT"]);
    assert_eq!(d.unchanged, 1);
    // Removing is the mirror image.
    let back = diff(&new_f, &old_f);
    assert_eq!(back.removed.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), vec!["busybox"]);
    // SPDX and CycloneDX facts compare alike.
    let spdx = analyze(ArtifactKind::Sbom, &fixture("spdx-2.3.json")).unwrap().sbom.unwrap();
    let d = diff(&spdx, &old_f);
    assert!(d.changed.is_empty(), "{d:#?}");
    assert_eq!(d.added.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), vec!["openssl"]);
    assert_eq!(d.unchanged, 2);
}

// ---------------- stored facts stay readable

#[test]
fn facts_without_new_fields_still_deserialize() {
    let old = json!({
        "format": "cyclonedx-json 1.6", "media_type": "application/vnd.cyclonedx+json",
        "sbom": {
            "spec_version": "1.6", "serial_number": null, "bom_version": 1, "timestamp": null,
            "primary_component": { "name": "x", "version": null, "purl": null, "cpe": null, "bom_ref": null, "component_type": null },
            "supplier": null, "component_count": 0, "component_count_total": 0, "tools": [], "licenses": [], "vulnerabilities": []
        },
        "advisory": null, "vex_statements": [], "document": null
    });
    let a: Analysis = serde_json::from_value(old).unwrap();
    let f = a.sbom.unwrap();
    assert!(f.components.is_empty() && f.tlp.is_none() && a.conformance.is_empty());
}

// ---------------- schema provenance

#[test]
fn committed_schemas_match_their_checksums() {
    use sha2::{Digest, Sha256};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let mut n = 0;
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (want, file) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let got: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, want, "{file} differs from the registry package it was copied from (see README)");
        n += 1;
    }
    assert_eq!(n, 5);
}
