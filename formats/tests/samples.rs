#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Conformance run over the public sample set (PORTAL_SAMPLES_DIR, see its README.md).
//! The samples are read in place and never copied into the repository.
use std::path::{Path, PathBuf};

use portal_formats::{analyze, detect_kind, Analysis, ArtifactKind, VexStatus};

fn samples_dir() -> Option<PathBuf> {
    match std::env::var("PORTAL_SAMPLES_DIR") {
        Ok(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("PORTAL_SAMPLES_DIR not set but CI=true: the conformance run is required in CI");
            }
            eprintln!("SKIPPED: PORTAL_SAMPLES_DIR not set");
            println!("SKIPPED: PORTAL_SAMPLES_DIR not set");
            None
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// Expected (components, vulnerabilities) per README.md.
const SBOM_EXPECT: &[(&str, usize, usize)] = &[
    ("laravel-7.12.0.cdx-1.4.json", 62, 0),
    ("hbom-pcie-sata-adapter-board.cdx-1.4.json", 6, 0),
    ("spring-petclinic-maven.cdx-1.4.json", 88, 0),
    ("spec-valid-bom.cdx-1.5.json", 2, 0),
    ("spec-valid-vulnerability.cdx-1.5.json", 1, 1),
    ("trivy-minikube-kbom.cdx-1.5.json", 18, 0),
    ("spec-valid-bom.cdx-1.6.json", 3, 0),
    ("trivy-pom-with-vulns.cdx-1.6.json", 3, 2),
    ("redhat-openssl-3.0.7-18.el9_2.cdx-1.6.json", 37, 0),
    ("redhat-ose-cinder-csi-operator-amd64-syft.cdx-1.6.json", 348, 0),
    ("cbom-protocol.cdx-1.6.json", 8, 0),
    // vex/cyclonedx
    ("cdx-vex-example.cdx-1.4.json", 0, 1),
    ("cisa-case1-affected.cdx-1.4.json", 0, 1),
    ("cisa-case1-not-affected.cdx-1.4.json", 0, 1),
    ("use-case-9-multi-product.cdx-1.4.json", 0, 19),
    ("trivy-vex.cdx-1.5.json", 0, 2),
    ("spec-valid-vulnerability.cdx-1.6.json", 1, 1),
];

fn spec_from_name(n: &str) -> Option<&str> {
    let i = n.find(".cdx-")?;
    n.get(i + 5..i + 8)
}

fn check_sbom(n: &str, a: &Analysis, failures: &mut Vec<String>) {
    let Some(f) = a.sbom.as_ref() else {
        failures.push(format!("{n}: no sbom facts"));
        return;
    };
    if let Some(spec) = spec_from_name(n) {
        if f.spec_version != spec || a.format != format!("cyclonedx-json {spec}") {
            failures.push(format!("{n}: spec {} / format {} (expected {spec})", f.spec_version, a.format));
        }
    }
    if let Some((_, c, v)) = SBOM_EXPECT.iter().find(|(x, _, _)| *x == n) {
        if f.component_count != *c || f.vulnerabilities.len() != *v {
            failures.push(format!(
                "{n}: components {} (total {}), vulnerabilities {} — expected {c}, {v}",
                f.component_count,
                f.component_count_total,
                f.vulnerabilities.len()
            ));
        }
    }
    if a.media_type != "application/vnd.cyclonedx+json" {
        failures.push(format!("{n}: media type {}", a.media_type));
    }
    if f.components.len() != f.component_count_total {
        failures.push(format!("{n}: {} components listed, {} counted", f.components.len(), f.component_count_total));
    }
    // SBOMs get the conformance profiles; the TR's no-vulnerability rule fails exactly when
    // the SBOM carries vulnerabilities.
    if a.vex_statements.is_empty() || !f.vulnerabilities.is_empty() {
        if let Some(bsi) = a.conformance.first() {
            let rule = bsi.rules.iter().find(|r| r.id == "no-vulnerabilities").map(|r| r.passed);
            if rule != Some(f.vulnerabilities.is_empty()) {
                failures.push(format!(
                    "{n}: no-vulnerabilities rule {rule:?} with {} vulnerabilities",
                    f.vulnerabilities.len()
                ));
            }
        }
    }
}

/// Expected facts per SPDX sample: (file, format, primary name, primary version, components).
const SPDX_EXPECT: &[(&str, &str, &str, &str, usize)] = &[
    ("redhat-openssl-3.0.7-18.el9_2.spdx-2.3.json", "spdx-json 2.3", "openssl", "3.0.7-18.el9_2", 37),
    ("redhat-rhel-9.2-eus.spdx-2.3.json", "spdx-json 2.3", "Red Hat Enterprise Linux", "9.2 EUS", 1),
    ("trustify-simple.spdx-2.2.json", "spdx-json 2.2", "A", "1", 7),
    ("spdx-examples-example11.spdx-3.0.json", "spdx-jsonld 3.0.1", "hello-server-src", "0.1.0", 3),
];

fn check_spdx(n: &str, a: &Analysis, failures: &mut Vec<String>) {
    let Some(f) = a.sbom.as_ref() else {
        failures.push(format!("{n}: no sbom facts"));
        return;
    };
    if a.media_type != "application/spdx+json" {
        failures.push(format!("{n}: media type {}", a.media_type));
    }
    match SPDX_EXPECT.iter().find(|(x, ..)| *x == n) {
        Some((_, format, pname, pversion, count)) => {
            let p = f.primary_component.as_ref();
            if a.format != *format
                || p.map(|p| p.name.as_str()) != Some(*pname)
                || p.and_then(|p| p.version.as_deref()) != Some(*pversion)
                || f.component_count != *count
                || f.components.len() != *count
            {
                failures.push(format!(
                    "{n}: format {}, primary {:?}, {} components — expected {format}, {pname} {pversion}, {count}",
                    a.format,
                    p.map(|p| (&p.name, &p.version)),
                    f.component_count
                ));
            }
        }
        None => failures.push(format!("{n}: no expectation recorded for this sample")),
    }
    if f.timestamp.is_none() || f.serial_number.is_none() || (f.tools.is_empty() && f.authors.is_empty()) {
        failures.push(format!(
            "{n}: timestamp {:?}, namespace {:?}, tools {:?}, authors {:?}",
            f.timestamp, f.serial_number, f.tools, f.authors
        ));
    }
    if !f.components.iter().any(|c| c.purl.is_some()) {
        failures.push(format!("{n}: no component has a purl"));
    }
    let ids: Vec<&str> = a.conformance.iter().map(|p| p.id.as_str()).collect();
    if ids != ["bsi-tr-03183-2-v2.1", "ntia-2021", "cisa-2025"] {
        failures.push(format!("{n}: conformance profiles {ids:?}"));
    }
    // BSI TR-03183-2 v2.1 accepts SPDX only from 3.0.1 on.
    let format_rule = a.conformance.first().and_then(|p| p.rules.iter().find(|r| r.id == "format")).map(|r| r.passed);
    if format_rule != Some(f.spec_version == "3.0.1") {
        failures.push(format!("{n}: BSI format rule {format_rule:?} for SPDX {}", f.spec_version));
    }
    match n {
        "redhat-openssl-3.0.7-18.el9_2.spdx-2.3.json" => {
            let srpm = f.primary_component.as_ref();
            if srpm.and_then(|p| p.purl.as_deref()) != Some("pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=src")
                || !srpm.is_some_and(|p| p.licenses == ["Apache-2.0"] && p.hashes.iter().any(|h| h.alg == "SHA-256"))
                || srpm.and_then(|p| p.supplier.as_deref()) != Some("Red Hat")
            {
                failures.push(format!("{n}: primary component {srpm:?}"));
            }
        }
        "redhat-rhel-9.2-eus.spdx-2.3.json" => {
            let pc = f.primary_component.as_ref();
            if pc.and_then(|p| p.cpe.as_deref()) != Some("cpe:/a:redhat:rhel_eus:9.2::appstream")
                || f.supplier.as_deref() != Some("Red Hat")
            {
                failures.push(format!("{n}: primary {pc:?}, supplier {:?}", f.supplier));
            }
        }
        "trustify-simple.spdx-2.2.json" => {
            // Five CONTAINED_BY relationships, read as "contains" from the container.
            let edges: usize =
                f.dependencies.iter().filter(|d| d.relationship == "contains").map(|d| d.depends_on.len()).sum();
            if edges != 5 {
                failures.push(format!("{n}: {edges} containment edges, expected 5: {:?}", f.dependencies));
            }
        }
        "spdx-examples-example11.spdx-3.0.json" => {
            let deps: Vec<usize> = f.dependencies.iter().map(|d| d.depends_on.len()).collect();
            let names: Vec<&str> = f.components.iter().map(|c| c.name.as_str()).collect();
            let pc_lic = f.primary_component.as_ref().map(|p| p.licenses.clone()).unwrap_or_default();
            if deps != [3]
                || names != ["hyper", "tokio", "pretty_env_logger"]
                || f.tools != ["sigs.k8s.io/bom/pkg/spdx"]
                || f.licenses != ["CC0-1.0"]
                || pc_lic.is_empty()
            {
                failures.push(format!(
                    "{n}: dependencies {deps:?}, components {names:?}, tools {:?}, data licence {:?}, primary licences {pc_lic:?}",
                    f.tools, f.licenses
                ));
            }
        }
        _ => {}
    }
}

fn summary(a: &Analysis) -> String {
    let mut s = a.format.clone();
    if let Some(f) = &a.sbom {
        s += &format!(
            ", {} components, {} vulns, tools {:?}, primary {:?}",
            f.component_count,
            f.vulnerabilities.len(),
            f.tools,
            f.primary_component.as_ref().map(|c| (&c.name, &c.version))
        );
    }
    for p in &a.conformance {
        s += &format!(", {} {}{}", p.id, p.score, if p.passed { " passed" } else { "" });
    }
    if let Some(f) = &a.advisory {
        s += &format!(", {} {:?} cves {:?} max_cvss {:?}", f.category, f.tracking_id, f.cves, f.max_cvss_base_score);
    }
    if !a.vex_statements.is_empty() {
        let st = &a.vex_statements[0];
        s += &format!(
            ", {} VEX statements (first: {} {} {} purl={:?} just={:?})",
            a.vex_statements.len(),
            st.vulnerability_id,
            st.product,
            st.status,
            st.purl,
            st.justification
        );
    }
    s
}

#[test]
fn conformance() {
    let Some(root) = samples_dir() else { return };
    let mut failures: Vec<String> = Vec::new();
    let mut passed = 0usize;
    let mut check = |ok: bool, line: String, failures: &mut Vec<String>| {
        if ok {
            passed += 1;
            println!("ok    {line}");
        } else {
            println!("FAIL  {line}");
            failures.push(line);
        }
    };

    // --- valid SBOMs
    for p in files(&root.join("sbom/cyclonedx")) {
        let n = name(&p);
        let bytes = std::fs::read(&p).unwrap();
        match analyze(ArtifactKind::Sbom, &bytes) {
            Ok(a) => {
                let before = failures.len();
                check_sbom(&n, &a, &mut failures);
                let det = detect_kind(&bytes);
                if n != "spec-valid-vulnerability.cdx-1.5.json" && det != Some(ArtifactKind::Sbom) {
                    failures.push(format!("{n}: detect_kind {det:?}"));
                }
                let good = failures.len() == before;
                check(good, format!("sbom/cyclonedx/{n}: {}", summary(&a)), &mut failures);
            }
            Err(r) => {
                check(false, format!("sbom/cyclonedx/{n}: rejected: {} {:?}", r.message, r.defects), &mut failures)
            }
        }
    }
    // --- invalid SBOMs
    let sbom_invalid_expect: &[(&str, &str, &str)] = &[
        ("spec-invalid-bomformat.cdx-1.6.json", "/bomFormat", "AnotherFormat"),
        ("spec-invalid-metadata-timestamp.cdx-1.5.json", "/metadata/timestamp", "date-time"),
        ("constructed-missing-specversion.cdx.json", "", "specVersion"),
        ("constructed-not-json-xml-bom.json", "", "line 1"),
        ("constructed-truncated.cdx-1.6.json", "", "line"),
    ];
    for p in files(&root.join("sbom/invalid")) {
        let n = name(&p);
        let bytes = std::fs::read(&p).unwrap();
        match analyze(ArtifactKind::Sbom, &bytes) {
            Ok(a) => check(false, format!("sbom/invalid/{n}: ACCEPTED as {}", a.format), &mut failures),
            Err(r) => {
                let exp = sbom_invalid_expect.iter().find(|(x, _, _)| *x == n);
                let ok = match exp {
                    Some((_, ptr, word)) => r
                        .defects
                        .iter()
                        .any(|d| d.pointer == *ptr && (d.message.contains(word) || r.message.contains(word))),
                    None => !r.defects.is_empty(),
                };
                check(ok, format!("sbom/invalid/{n}: rejected: {}", r.message), &mut failures);
            }
        }
    }
    // --- VEX
    for sub in ["vex/cyclonedx", "vex/openvex"] {
        for p in files(&root.join(sub)) {
            let n = name(&p);
            let bytes = std::fs::read(&p).unwrap();
            match analyze(ArtifactKind::Vex, &bytes) {
                Ok(a) => {
                    let before = failures.len();
                    if a.vex_statements.is_empty() {
                        failures.push(format!("{n}: no VEX statements"));
                    }
                    if sub == "vex/cyclonedx" {
                        check_sbom(&n, &a, &mut failures);
                    } else if !a.format.starts_with("openvex ") {
                        failures.push(format!("{n}: format {}", a.format));
                    }
                    let statuses: Vec<VexStatus> = a.vex_statements.iter().map(|s| s.status).collect();
                    let expect: Option<Vec<VexStatus>> = match n.as_str() {
                        "cisa-case1-affected.cdx-1.4.json" => Some(vec![VexStatus::Affected]),
                        "cisa-case1-not-affected.cdx-1.4.json" => Some(vec![VexStatus::NotAffected]),
                        "trivy-vex.cdx-1.5.json" => Some(vec![VexStatus::NotAffected, VexStatus::NotAffected]),
                        "vexctl-demo.openvex.json" => Some(vec![VexStatus::Fixed, VexStatus::Fixed]),
                        "vexctl-document2.openvex.json" => Some(vec![VexStatus::Fixed]),
                        "vexctl-document1.openvex.json" | "vexctl-v001-legacy.openvex.json" => {
                            Some(vec![VexStatus::UnderInvestigation])
                        }
                        "vexctl-oci-template.openvex.json" => Some(vec![VexStatus::NotAffected]),
                        "vexctl-sample-2vulns.openvex.json" => Some(vec![VexStatus::NotAffected, VexStatus::Fixed]),
                        _ => None,
                    };
                    if let Some(e) = expect {
                        if e != statuses {
                            failures.push(format!("{n}: statuses {statuses:?}, expected {e:?}"));
                        }
                    }
                    if n == "vexctl-sample-2vulns.openvex.json"
                        && (a.vex_statements[0].aliases != vec!["SNYK-DEBIAN12-LIBDE265-3361563".to_string()]
                            || a.vex_statements[0].vulnerability_id != "CVE-2023-27103"
                            || a.vex_statements[0].purl.is_none())
                    {
                        failures.push(format!("{n}: wrong vulnerability/aliases/purl {:?}", a.vex_statements[0]));
                    }
                    if (n.contains("not-affected") || n == "vexctl-oci-template.openvex.json")
                        && a.vex_statements.iter().any(|s| s.justification.is_none())
                    {
                        failures.push(format!("{n}: not_affected statement without justification"));
                    }
                    let det = detect_kind(&bytes);
                    if n != "spec-valid-vulnerability.cdx-1.6.json" && det != Some(ArtifactKind::Vex) {
                        failures.push(format!("{n}: detect_kind {det:?}"));
                    }
                    let good = failures.len() == before;
                    check(good, format!("{sub}/{n}: {}", summary(&a)), &mut failures);
                }
                Err(r) => check(false, format!("{sub}/{n}: rejected: {} {:?}", r.message, r.defects), &mut failures),
            }
        }
    }
    // --- CSAF valid
    for p in files(&root.join("csaf/valid")) {
        let n = name(&p);
        let bytes = std::fs::read(&p).unwrap();
        let category = n.rsplit('.').nth(1).unwrap_or_default().to_string();
        let is_vex = category == "csaf_vex";
        let mut kinds = vec![ArtifactKind::Advisory];
        if is_vex {
            kinds.push(ArtifactKind::Vex);
        }
        for kind in kinds {
            match analyze(kind, &bytes) {
                Ok(a) => {
                    let before = failures.len();
                    match &a.advisory {
                        Some(f) => {
                            if f.category != category {
                                failures.push(format!("{n}: category {}", f.category));
                            }
                            if f.tracking_id.is_empty() || f.title.is_empty() || f.publisher_name.is_empty() {
                                failures.push(format!("{n}: missing tracking/title/publisher"));
                            }
                        }
                        None => failures.push(format!("{n}: no advisory facts")),
                    }
                    let want_format = if is_vex { "csaf-vex 2.0" } else { "csaf 2.0" };
                    if a.format != want_format {
                        failures.push(format!("{n}: format {}", a.format));
                    }
                    if is_vex && a.vex_statements.is_empty() {
                        failures.push(format!("{n}: csaf_vex without statements"));
                    }
                    if n == "oasis-2022-evd-uc-01-na-001.csaf_vex.json"
                        && !a.vex_statements.iter().any(|s| {
                            s.status == VexStatus::NotAffected
                                && s.impact_statement.as_deref()
                                    == Some("Class with vulnerable code was removed before shipping.")
                        })
                    {
                        failures.push(format!("{n}: expected known_not_affected with the impact statement"));
                    }
                    if n == "bsi-2022-0001.csaf_security_advisory.json"
                        && a.advisory.as_ref().and_then(|f| f.max_cvss_base_score) != Some(6.1)
                    {
                        failures.push(format!("{n}: max cvss"));
                    }
                    let det = detect_kind(&bytes);
                    let want = if is_vex { ArtifactKind::Vex } else { ArtifactKind::Advisory };
                    if det != Some(want) {
                        failures.push(format!("{n}: detect_kind {det:?}"));
                    }
                    let good = failures.len() == before;
                    check(good, format!("csaf/valid/{n} as {kind}: {}", summary(&a)), &mut failures);
                }
                Err(r) => check(
                    false,
                    format!("csaf/valid/{n} as {kind}: rejected: {} {:?}", r.message, r.defects),
                    &mut failures,
                ),
            }
        }
    }
    // --- CSAF invalid
    for p in files(&root.join("csaf/invalid")) {
        let n = name(&p);
        let bytes = std::fs::read(&p).unwrap();
        // oasis-6-1-27-09-01-... → 6.1.27.9 ; oasis-6-1-06-01-... → 6.1.6
        let expected_test = n.strip_prefix("oasis-").map(|rest| {
            let nums: Vec<u32> = rest.split('-').map_while(|x| x.parse::<u32>().ok()).collect();
            let nums = &nums[..nums.len().saturating_sub(1)]; // drop the case number
            nums.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(".")
        });
        match analyze(ArtifactKind::Advisory, &bytes) {
            Ok(a) => check(false, format!("csaf/invalid/{n}: ACCEPTED as {}", a.format), &mut failures),
            Err(r) => {
                let ok = match &expected_test {
                    Some(t) => r
                        .defects
                        .iter()
                        .any(|d| d.test.as_deref() == Some(t.as_str()) && d.message.starts_with(t.as_str())),
                    None => r.defects.iter().any(|d| d.message.contains("tracking")),
                };
                check(
                    ok,
                    format!(
                        "csaf/invalid/{n}: rejected (expected {}): {}",
                        expected_test.as_deref().unwrap_or("schema: tracking"),
                        r.message
                    ),
                    &mut failures,
                );
            }
        }
    }

    // --- SPDX SBOMs
    for p in files(&root.join("sbom/spdx")) {
        let n = name(&p);
        let bytes = std::fs::read(&p).unwrap();
        match analyze(ArtifactKind::Sbom, &bytes) {
            Ok(a) => {
                let before = failures.len();
                check_spdx(&n, &a, &mut failures);
                let det = detect_kind(&bytes);
                if det != Some(ArtifactKind::Sbom) {
                    failures.push(format!("{n}: detect_kind {det:?}"));
                }
                let good = failures.len() == before;
                check(good, format!("sbom/spdx/{n}: {}", summary(&a)), &mut failures);
            }
            Err(r) => check(false, format!("sbom/spdx/{n}: rejected: {} {:?}", r.message, r.defects), &mut failures),
        }
    }
    // --- invalid SPDX SBOMs: the named defects must be reported (pointer, word in the message)
    let spdx_invalid_expect: &[(&str, &[(&str, &str)])] =
        &[("constructed-missing-spdxid-and-package-name.spdx-2.3.json", &[("", "SPDXID"), ("/packages/0", "name")])];
    for p in files(&root.join("sbom/spdx-invalid")) {
        let n = name(&p);
        let bytes = std::fs::read(&p).unwrap();
        match analyze(ArtifactKind::Sbom, &bytes) {
            Ok(a) => check(false, format!("sbom/spdx-invalid/{n}: ACCEPTED as {}", a.format), &mut failures),
            Err(r) => {
                let ok = match spdx_invalid_expect.iter().find(|(x, _)| *x == n) {
                    Some((_, wanted)) => wanted
                        .iter()
                        .all(|(ptr, word)| r.defects.iter().any(|d| d.pointer == *ptr && d.message.contains(word))),
                    None => !r.defects.is_empty(),
                };
                check(ok, format!("sbom/spdx-invalid/{n}: rejected: {} {:?}", r.message, r.defects), &mut failures);
            }
        }
    }

    println!("conformance summary: {passed} ok, {} failing", failures.len());
    assert!(failures.is_empty(), "conformance failures:\n{}", failures.join("\n"));
}
