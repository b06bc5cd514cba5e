#![allow(clippy::unwrap_used, clippy::expect_used)]
use portal_formats::{analyze, detect_kind, ArtifactKind, Rejection, VexStatus};
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json_fixture(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

fn reject(kind: ArtifactKind, bytes: &[u8]) -> Rejection {
    match analyze(kind, bytes) {
        Ok(a) => panic!("expected rejection, got {a:?}"),
        Err(r) => r,
    }
}

// ---------------- CycloneDX SBOM

#[test]
fn sbom_facts() {
    let a = analyze(ArtifactKind::Sbom, &fixture("sbom-min-1.6.json")).unwrap();
    assert_eq!(a.format, "cyclonedx-json 1.6");
    assert_eq!(a.media_type, "application/vnd.cyclonedx+json");
    let f = a.sbom.unwrap();
    assert_eq!(f.spec_version, "1.6");
    assert_eq!(f.serial_number.as_deref(), Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"));
    assert_eq!(f.bom_version, Some(2));
    let pc = f.primary_component.unwrap();
    assert_eq!(pc.name, "router-fw");
    assert_eq!(pc.version.as_deref(), Some("4.2.0"));
    assert_eq!(pc.purl.as_deref(), Some("pkg:generic/acme/router-fw@4.2.0"));
    assert!(pc.cpe.unwrap().starts_with("cpe:2.3:o:acme"));
    assert_eq!(f.component_count, 2);
    assert_eq!(f.component_count_total, 3);
    assert_eq!(f.tools, vec!["portal-test-gen 1.0"]);
    assert_eq!(f.licenses, vec!["Apache-2.0"]);
    assert_eq!(f.supplier.as_deref(), Some("ACME GmbH"));
    assert!(a.vex_statements.is_empty());
    assert_eq!(detect_kind(&fixture("sbom-min-1.6.json")), Some(ArtifactKind::Sbom));
}

#[test]
fn sbom_1_4_tools_array() {
    let a = analyze(ArtifactKind::Sbom, &fixture("sbom-1.4-tools-array.json")).unwrap();
    assert_eq!(a.sbom.unwrap().tools, vec!["CycloneDX cyclonedx-php-composer v3.10.1"]);
}

#[test]
fn sbom_1_2_and_1_3_accepted() {
    for v in ["1.2", "1.3"] {
        let doc = format!(r#"{{"bomFormat":"CycloneDX","specVersion":"{v}","version":1,"components":[]}}"#);
        let a = analyze(ArtifactKind::Sbom, doc.as_bytes()).unwrap();
        assert_eq!(a.format, format!("cyclonedx-json {v}"));
    }
}

#[test]
fn sbom_dangling_dependency() {
    let r = reject(ArtifactKind::Sbom, &fixture("sbom-dangling-dependency.json"));
    assert_eq!(r.defects[0].pointer, "/dependencies/0/dependsOn/0");
    assert!(r.message.contains("does-not-exist"), "{}", r.message);
}

#[test]
fn sbom_bad_serial_and_spec() {
    let r = reject(ArtifactKind::Sbom, &fixture("sbom-bad-serial.json"));
    assert!(r.defects.iter().any(|d| d.pointer == "/serialNumber"), "{r:?}");
    let r = reject(ArtifactKind::Sbom, &fixture("sbom-unsupported-spec.json"));
    assert!(r.message.contains("unsupported CycloneDX specVersion"), "{}", r.message);
}

#[test]
fn sbom_bad_timestamp_and_license() {
    let mut v = json_fixture("sbom-min-1.6.json");
    v["metadata"]["timestamp"] = "2020-04-13".into();
    let r = reject(ArtifactKind::Sbom, &serde_json::to_vec(&v).unwrap());
    assert!(r.defects.iter().any(|d| d.pointer == "/metadata/timestamp"), "{r:?}");

    let mut v = json_fixture("sbom-min-1.6.json");
    v["metadata"]["licenses"][0]["license"]["id"] = "Not-A-License".into();
    let r = reject(ArtifactKind::Sbom, &serde_json::to_vec(&v).unwrap());
    assert!(r.defects.iter().any(|d| d.pointer == "/metadata/licenses/0/license/id"), "{r:?}");
}

#[test]
fn sbom_syntax_errors_name_position() {
    let bytes = fixture("sbom-min-1.6.json");
    let r = reject(ArtifactKind::Sbom, &bytes[..bytes.len() / 2]);
    assert!(r.message.starts_with("truncated JSON"), "{}", r.message);
    assert!(r.message.contains("line ") && r.message.contains("column "), "{}", r.message);
    let r = reject(ArtifactKind::Sbom, b"<?xml version=\"1.0\"?><bom/>");
    assert!(r.message.contains("XML"), "{}", r.message);
    assert!(r.message.contains("line 1"), "{}", r.message);
}

#[test]
fn kind_mismatch() {
    let r = reject(ArtifactKind::Sbom, &fixture("csaf-advisory.json"));
    assert!(r.message.contains("looks like a CSAF advisory"), "{}", r.message);
    let r = reject(ArtifactKind::Advisory, &fixture("sbom-min-1.6.json"));
    assert!(r.message.contains("CycloneDX"), "{}", r.message);
    let r = reject(ArtifactKind::Vex, &fixture("sbom-min-1.6.json"));
    assert!(r.message.contains("looks like an SBOM"), "{}", r.message);
    let r = reject(ArtifactKind::Vex, &fixture("csaf-advisory.json"));
    assert!(r.message.contains("CSAF advisory"), "{}", r.message);
    let r = reject(ArtifactKind::Document, &fixture("openvex-0.2.0.json"));
    assert!(r.message.contains("OpenVEX"), "{}", r.message);
}

// ---------------- VEX

#[test]
fn cyclonedx_vex() {
    let bytes = fixture("cdx-vex.json");
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Vex));
    let a = analyze(ArtifactKind::Vex, &bytes).unwrap();
    let st = &a.vex_statements;
    assert_eq!(st.len(), 4);
    assert_eq!(st[0].vulnerability_id, "CVE-2021-44228");
    assert_eq!(st[0].aliases, vec!["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(st[0].status, VexStatus::NotAffected);
    assert_eq!(st[0].product, "log4j");
    assert_eq!(st[0].product_name.as_deref(), Some("log4j-core"));
    assert_eq!(st[0].purl.as_deref(), Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"));
    assert_eq!(st[0].justification.as_deref(), Some("code_not_reachable"));
    assert_eq!(st[0].impact_statement.as_deref(), Some("JNDI lookup class removed"));
    assert_eq!(st[0].timestamp.as_deref(), Some("2025-02-02T00:00:00Z"));
    assert_eq!(st[1].status, VexStatus::Fixed);
    assert_eq!(st[2].status, VexStatus::Affected);
    assert_eq!(st[2].action_statement.as_deref(), Some("Upgrade to 2.17.1"));
    assert_eq!(st[3].status, VexStatus::UnderInvestigation);
    assert_eq!(st[3].purl.as_deref(), Some("pkg:maven/x/y@1"));
    // A CycloneDX VEX is still a valid CycloneDX BOM.
    assert!(analyze(ArtifactKind::Sbom, &bytes).is_ok());
}

#[test]
fn openvex_both_justification_and_impact_is_valid() {
    let bytes = fixture("openvex-0.2.0.json");
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Vex));
    let a = analyze(ArtifactKind::Vex, &bytes).unwrap();
    assert_eq!(a.format, "openvex 0.2.0");
    let st = &a.vex_statements;
    assert_eq!(st.len(), 2);
    assert_eq!(st[0].status, VexStatus::NotAffected);
    assert_eq!(st[0].aliases, vec!["GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(st[0].purl.as_deref(), Some("pkg:oci/router@sha256%3Aabc"));
    assert!(st[0].justification.is_some() && st[0].impact_statement.is_some());
    assert_eq!(st[0].timestamp.as_deref(), Some("2025-03-01T10:00:00Z"));
    assert_eq!(st[1].status, VexStatus::Affected);
    assert_eq!(st[1].product, "router-fw-4.2");
    assert_eq!(st[1].purl.as_deref(), Some("pkg:generic/acme/router-fw@4.2.0"));
    assert_eq!(st[1].action_statement.as_deref(), Some("Update to 4.2.1"));
    assert_eq!(st[1].timestamp.as_deref(), Some("2025-03-02T10:00:00+01:00"));
}

#[test]
fn openvex_rules() {
    let r = reject(ArtifactKind::Vex, &fixture("openvex-not-affected-no-justification.json"));
    assert_eq!(r.defects[0].pointer, "/statements/0");
    assert!(r.message.contains("justification"), "{}", r.message);

    let mut v = json_fixture("openvex-0.2.0.json");
    v["statements"][1].as_object_mut().unwrap().remove("action_statement");
    v["statements"][0]["status"] = "maybe".into();
    v["timestamp"] = "yesterday".into();
    let r = reject(ArtifactKind::Vex, &serde_json::to_vec(&v).unwrap());
    let ptrs: Vec<&str> = r.defects.iter().map(|d| d.pointer.as_str()).collect();
    assert!(
        ptrs.contains(&"/timestamp") && ptrs.contains(&"/statements/0/status") && ptrs.contains(&"/statements/1"),
        "{ptrs:?}"
    );
}

// ---------------- CSAF

#[test]
fn csaf_advisory_facts() {
    let bytes = fixture("csaf-advisory.json");
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Advisory));
    let a = match analyze(ArtifactKind::Advisory, &bytes) {
        Ok(a) => a,
        Err(r) => panic!("{r:#?}"),
    };
    assert_eq!(a.format, "csaf 2.0");
    assert_eq!(a.media_type, "application/json");
    let f = a.advisory.unwrap();
    assert_eq!(f.tracking_id, "ACME-SA-2025-001");
    assert_eq!(f.tracking_version, "2");
    assert_eq!(f.category, "csaf_security_advisory");
    assert_eq!(f.status, "final");
    assert_eq!(f.tlp_label.as_deref(), Some("WHITE"));
    assert_eq!(f.cves, vec!["CVE-2025-0001"]);
    assert_eq!(f.max_cvss_base_score, Some(9.8));
    assert_eq!(f.severity.as_deref(), Some("CRITICAL"));
    assert_eq!(f.publisher_name, "ACME GmbH");
    assert_eq!(f.publisher_namespace, "https://acme.example");
    assert_eq!(f.product_ids, vec!["ACME-FW-420", "ACME-FW-421"]);
    assert_eq!(f.purls.len(), 2);
    // Advisories carry product status too: exposed as statements.
    assert_eq!(a.vex_statements.len(), 2);
    assert_eq!(a.vex_statements[0].action_statement.as_deref(), Some("vendor_fix: Update to 4.2.1."));
}

fn csaf_reject(mutate: impl FnOnce(&mut Value)) -> Rejection {
    let mut v = json_fixture("csaf-advisory.json");
    mutate(&mut v);
    reject(ArtifactKind::Advisory, &serde_json::to_vec(&v).unwrap())
}

fn has_test(r: &Rejection, t: &str) -> bool {
    r.defects.iter().any(|d| d.test.as_deref() == Some(t) && d.message.starts_with(&format!("{t}: ")))
}

#[test]
fn csaf_mandatory_tests() {
    let r = csaf_reject(|v| v["document"]["tracking"]["version"] = "3".into());
    assert!(has_test(&r, "6.1.16"), "{r:#?}");

    let r = csaf_reject(|v| v["vulnerabilities"][0]["product_status"]["known_affected"][0] = "NOPE".into());
    assert!(has_test(&r, "6.1.1"), "{r:#?}");

    let r = csaf_reject(|v| v["vulnerabilities"][0]["product_status"]["fixed"][0] = "ACME-FW-420".into());
    assert!(has_test(&r, "6.1.6"), "{r:#?}");

    let r = csaf_reject(|v| v["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = 5.0.into());
    assert!(has_test(&r, "6.1.9"), "{r:#?}");

    let r = csaf_reject(|v| v["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseSeverity"] = "NONE".into());
    assert!(r.defects.iter().any(|d| d.test.is_some()), "{r:#?}");

    let r = csaf_reject(|v| {
        v["document"].as_object_mut().unwrap().remove("publisher");
    });
    assert!(r.defects.iter().any(|d| d.message.starts_with("schema: ") && d.test.is_none()), "{r:#?}");
}

#[test]
fn csaf_vex_statements() {
    let bytes = fixture("csaf-vex.json");
    assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Vex));
    for kind in [ArtifactKind::Vex, ArtifactKind::Advisory] {
        let a = match analyze(kind, &bytes) {
            Ok(a) => a,
            Err(r) => panic!("{r:#?}"),
        };
        assert_eq!(a.format, "csaf-vex 2.0");
        let st = &a.vex_statements;
        assert_eq!(st.len(), 3);
        assert_eq!(st[0].vulnerability_id, "CVE-2021-44228");
        assert_eq!(st[0].aliases, vec!["GHSA-jfh8-c2jp-5v3q"]);
        assert_eq!(st[0].product, "FW-420");
        assert_eq!(st[0].product_name.as_deref(), Some("ACME Router Firmware 4.2.0"));
        assert_eq!(st[0].purl.as_deref(), Some("pkg:generic/acme/router-fw@4.2.0"));
        assert_eq!(st[0].status, VexStatus::NotAffected);
        assert_eq!(st[0].justification.as_deref(), Some("vulnerable_code_not_in_execute_path"));
        assert_eq!(st[0].impact_statement.as_deref(), Some("JNDI lookups are disabled in 4.2.0."));
        assert_eq!(st[0].timestamp.as_deref(), Some("2025-03-01T12:00:00.000Z"));
        assert_eq!(st[1].status, VexStatus::Affected);
        assert_eq!(st[1].action_statement.as_deref(), Some("vendor_fix: Update to 4.2.0."));
    }
    // 6.1.27.9: known_not_affected without flag or impact statement
    let mut v = json_fixture("csaf-vex.json");
    v["vulnerabilities"][0].as_object_mut().unwrap().remove("flags");
    v["vulnerabilities"][0].as_object_mut().unwrap().remove("threats");
    let r = reject(ArtifactKind::Vex, &serde_json::to_vec(&v).unwrap());
    assert!(has_test(&r, "6.1.27.9"), "{r:#?}");
}

// ---------------- Documents

#[test]
fn documents() {
    let cases = [
        ("doc.pdf", "pdf", "application/pdf"),
        ("doc.html", "html", "text/html"),
        ("doc.md", "markdown", "text/markdown"),
        ("doc.txt", "text", "text/plain"),
    ];
    for (f, format, media) in cases {
        let bytes = fixture(f);
        assert_eq!(detect_kind(&bytes), Some(ArtifactKind::Document), "{f}");
        let a = analyze(ArtifactKind::Document, &bytes).unwrap();
        assert_eq!((a.format.as_str(), a.media_type.as_str()), (format, media), "{f}");
    }
    let a = analyze(ArtifactKind::Document, &fixture("doc.html")).unwrap();
    assert_eq!(a.document.unwrap().title.as_deref(), Some("Security policy"));
    let a = analyze(ArtifactKind::Document, &fixture("doc.md")).unwrap();
    assert_eq!(a.document.unwrap().title.as_deref(), Some("Vulnerability handling policy"));
    let a = analyze(ArtifactKind::Document, &fixture("doc.pdf")).unwrap();
    assert_eq!(a.document.unwrap().pdf_version.as_deref(), Some("1.7"));
}

#[test]
fn binary_rejected() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let r = reject(ArtifactKind::Document, png);
    assert!(r.message.contains("PNG"), "{}", r.message);
    assert!(reject(ArtifactKind::Document, b"PK\x03\x04rest").message.contains("ZIP"));
    assert!(reject(ArtifactKind::Document, b"\x7fELF\x02\x01\x01").message.contains("ELF"));
    assert!(reject(ArtifactKind::Document, b"abc\x00\x01\x02def").message.contains("binary"));
    assert!(reject(ArtifactKind::Document, &[0xC3, 0x28, 0x41]).message.contains("UTF-8"));
    assert!(reject(ArtifactKind::Document, b"   ").message.contains("empty"));
    assert_eq!(detect_kind(png), None);
    assert_eq!(detect_kind(b""), None);
    let r = reject(ArtifactKind::Sbom, png);
    assert!(r.message.contains("not valid JSON"), "{}", r.message);
}

// ---------------- Size / performance

/// Generate a ~10 MB CycloneDX 1.6 SBOM (not committed).
fn big_sbom(target: usize) -> Vec<u8> {
    let mut comps = Vec::new();
    let mut deps = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < target {
        let c = serde_json::json!({
            "type": "library",
            "bom-ref": format!("pkg:npm/pkg-{i}@1.{i}.0"),
            "name": format!("pkg-{i}"),
            "version": format!("1.{i}.0"),
            "description": "A generated component used to measure validation speed of large SBOMs.",
            "purl": format!("pkg:npm/pkg-{i}@1.{i}.0"),
            "licenses": [ { "license": { "id": "MIT" } } ],
            "hashes": [ { "alg": "SHA-256", "content": "a".repeat(64) } ],
            "externalReferences": [ { "type": "website", "url": format!("https://example.com/pkg-{i}") } ]
        });
        size += c.to_string().len() + 80;
        deps.push(serde_json::json!({ "ref": format!("pkg:npm/pkg-{i}@1.{i}.0"), "dependsOn": if i > 0 { vec![format!("pkg:npm/pkg-{}@1.{}.0", i - 1, i - 1)] } else { vec![] } }));
        comps.push(c);
        i += 1;
    }
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "metadata": { "timestamp": "2025-01-01T00:00:00Z", "component": { "type": "application", "name": "big", "bom-ref": "big" } },
        "components": comps, "dependencies": deps
    });
    serde_json::to_vec(&doc).unwrap()
}

#[test]
fn large_sbom_timing() {
    let bytes = big_sbom(10 * 1024 * 1024);
    // warm-up compiles the schema once
    let _ = analyze(ArtifactKind::Sbom, br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1}"#);
    let t = std::time::Instant::now();
    let a = analyze(ArtifactKind::Sbom, &bytes).unwrap();
    let el = t.elapsed();
    let n = a.sbom.unwrap().component_count;
    println!("large SBOM: {} bytes, {n} components, analyze took {el:?}", bytes.len());
    eprintln!("large SBOM: {} bytes, {n} components, analyze took {el:?}", bytes.len());
    if !cfg!(debug_assertions) {
        assert!(el.as_secs_f64() < 3.0, "too slow: {el:?}");
    }
}

/// A large SPDX 2.3 SBOM: one package that CONTAINS all others (the edge lists must stay linear).
#[test]
fn large_spdx_timing() {
    let n = 20_000;
    let mut packages = vec![
        serde_json::json!({ "SPDXID": "SPDXRef-root", "name": "root", "versionInfo": "1", "downloadLocation": "NOASSERTION" }),
    ];
    let mut rels = vec![
        serde_json::json!({ "spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-root" }),
    ];
    for i in 0..n {
        packages.push(serde_json::json!({
            "SPDXID": format!("SPDXRef-p{i}"), "name": format!("p{i}"), "versionInfo": "1.0", "downloadLocation": "NOASSERTION",
            "licenseConcluded": "MIT", "checksums": [ { "algorithm": "SHA256", "checksumValue": "a".repeat(64) } ],
            "externalRefs": [ { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": format!("pkg:npm/p{i}@1.0") } ]
        }));
        rels.push(serde_json::json!({ "spdxElementId": "SPDXRef-root", "relationshipType": "CONTAINS", "relatedSpdxElement": format!("SPDXRef-p{i}") }));
    }
    let doc = serde_json::json!({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "big",
        "documentNamespace": "https://example.com/big", "creationInfo": { "created": "2025-01-01T00:00:00Z", "creators": ["Tool: gen"] },
        "packages": packages, "relationships": rels
    });
    let bytes = serde_json::to_vec(&doc).unwrap();
    let t = std::time::Instant::now();
    let a = analyze(ArtifactKind::Sbom, &bytes).unwrap();
    let el = t.elapsed();
    let f = a.sbom.unwrap();
    assert_eq!(f.component_count, n);
    assert_eq!(f.dependencies[0].depends_on.len(), n);
    eprintln!("large SPDX: {} bytes, {n} packages, analyze took {el:?}", bytes.len());
    if !cfg!(debug_assertions) {
        assert!(el.as_secs_f64() < 3.0, "too slow: {el:?}");
    }
}
