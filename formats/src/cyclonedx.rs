//! CycloneDX JSON (SBOM and VEX).
//!
//! Schema validation uses the official CycloneDX 1.4/1.5/1.6 JSON schemas shipped in the
//! `serde-cyclonedx` package (copied by build.rs) and the 1.7 schema committed under
//! `schemas/cyclonedx/` (from the `cyclonedx-python-lib` package, see the README). 1.2 and
//! 1.3 documents are validated against the 1.4 schema (CycloneDX 1.x minor versions are
//! additive). Two schemas the BOM schema references (`spdx.schema.json`,
//! `jsf-0.82.schema.json`) are replaced by local stand-ins and license ids are checked with
//! the `spdx` crate instead; 1.7 also references `cryptography-defs.schema.json`, which is
//! committed next to it.
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::{json, Value};

use crate::json::{arr, is_rfc3339, push_unique, s};
use crate::model::{self, Comp, Doc, Family, Licence, Party};
use crate::{
    Analysis, ComponentInfo, Defect, DependencyInfo, Rejection, SbomFacts, VexStatement, VexStatus, MAX_DEFECTS,
};

const SCHEMA_1_4: &str = include_str!(concat!(env!("OUT_DIR"), "/cyclonedx_1_4.json"));
const SCHEMA_1_5: &str = include_str!(concat!(env!("OUT_DIR"), "/cyclonedx_1_5.json"));
const SCHEMA_1_6: &str = include_str!(concat!(env!("OUT_DIR"), "/cyclonedx_1_6.json"));
/// The cyclonedx-python-lib copy names its references `*.SNAPSHOT.schema.json`; they are
/// mapped back to the official names when the schema is compiled.
const SCHEMA_1_7: &str = include_str!("../schemas/cyclonedx/bom-1.7.SNAPSHOT.schema.json");
const CRYPTO_DEFS: &str = include_str!("../schemas/cyclonedx/cryptography-defs.SNAPSHOT.schema.json");

pub(crate) const SUPPORTED: [&str; 6] = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

type Compiled = Result<Validator, String>;
static V14: OnceLock<Compiled> = OnceLock::new();
static V15: OnceLock<Compiled> = OnceLock::new();
static V16: OnceLock<Compiled> = OnceLock::new();
static V17: OnceLock<Compiled> = OnceLock::new();

fn compile(text: &str) -> Compiled {
    let text = text.replace(".SNAPSHOT.schema.json", ".schema.json");
    let schema: Value = serde_json::from_str(&text).map_err(|e| format!("bundled CycloneDX schema: {e}"))?;
    let crypto: Value =
        serde_json::from_str(CRYPTO_DEFS).map_err(|e| format!("bundled CycloneDX cryptography-defs: {e}"))?;
    let spdx = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "http://cyclonedx.org/schema/spdx.schema.json",
        "type": "string"
    });
    let jsf = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "http://cyclonedx.org/schema/jsf-0.82.schema.json",
        "definitions": { "signature": { "type": "object" } }
    });
    let registry = jsonschema::Registry::new()
        .add("http://cyclonedx.org/schema/spdx.schema.json", spdx)
        .and_then(|b| b.add("http://cyclonedx.org/schema/jsf-0.82.schema.json", jsf))
        .and_then(|b| b.add("http://cyclonedx.org/schema/cryptography-defs.schema.json", crypto))
        .and_then(|b| b.prepare())
        .map_err(|e| format!("CycloneDX schema registry: {e}"))?;
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(&schema)
        .map_err(|e| format!("compiling CycloneDX schema: {e}"))
}

fn validator(spec: &str) -> Result<&'static Validator, Rejection> {
    let cell = match spec {
        "1.5" => V15.get_or_init(|| compile(SCHEMA_1_5)),
        "1.6" => V16.get_or_init(|| compile(SCHEMA_1_6)),
        "1.7" => V17.get_or_init(|| compile(SCHEMA_1_7)),
        _ => V14.get_or_init(|| compile(SCHEMA_1_4)),
    };
    cell.as_ref().map_err(|e| Rejection::whole(format!("internal error: {e}")))
}

/// Validate a CycloneDX BOM. With `want_vex`, at least one vulnerability must carry an `analysis`.
pub(crate) fn analyze(v: &Value, want_vex: bool) -> Result<Analysis, Rejection> {
    let spec = v.get("specVersion");
    let spec_str = spec.and_then(Value::as_str).map(str::to_string);
    let mut defects = Vec::new();
    let schema_version = match (&spec_str, spec) {
        (Some(sv), _) if SUPPORTED.contains(&sv.as_str()) => sv.clone(),
        (Some(sv), _) => {
            return Err(Rejection::from_defects(
                "CycloneDX BOM",
                vec![Defect::new(
                    "/specVersion",
                    format!("unsupported CycloneDX specVersion {sv:?} (supported: 1.2–1.7)"),
                )],
            ))
        }
        (None, Some(_)) => {
            defects.push(Defect::new("/specVersion", "specVersion must be a string such as \"1.6\""));
            "1.6".to_string()
        }
        (None, None) => {
            defects.push(Defect::new("", "required property \"specVersion\" is missing"));
            "1.6".to_string()
        }
    };
    let validator = validator(&schema_version)?;
    for err in validator.iter_errors(v).take(MAX_DEFECTS) {
        let pointer = err.instance_path().as_str().to_string();
        // The missing-specVersion defect is already reported above in plainer words.
        let msg = err.to_string();
        if spec.is_none() && pointer.is_empty() && msg.contains("specVersion") {
            continue;
        }
        defects.push(Defect::new(pointer, msg));
    }
    if defects.is_empty() {
        check_semantics(v, &mut defects);
    }
    if !defects.is_empty() {
        return Err(Rejection::from_defects("CycloneDX BOM", defects));
    }

    let spec_version = spec_str.unwrap_or_default();
    let doc = model(v, &spec_version);
    let facts = facts(v, &spec_version, &doc);
    let statements = vex_statements(v, &facts);
    if want_vex && statements.is_empty() {
        let has_analysis = arr(v, "vulnerabilities").iter().any(|x| x.get("analysis").is_some());
        let msg = if has_analysis {
            "CycloneDX VEX has vulnerabilities[].analysis but no affects[] entries naming a product"
        } else {
            "expected a VEX document but this CycloneDX BOM has no vulnerabilities[].analysis: it looks like an SBOM; upload it as kind sbom"
        };
        return Err(Rejection::whole(msg));
    }
    let mut a = Analysis::new(format!("cyclonedx-json {spec_version}"), "application/vnd.cyclonedx+json");
    if !want_vex {
        a.conformance = crate::conformance::profiles(&doc);
    }
    a.sbom = Some(facts);
    a.vex_statements = statements;
    Ok(a)
}

/// Walk components recursively (metadata.component, components, services).
fn walk<'a>(list: &'a [Value], base: &str, out: &mut Vec<(String, &'a Value)>) {
    for (i, c) in list.iter().enumerate() {
        let here = format!("{base}/{i}");
        out.push((here.clone(), c));
        walk(arr(c, "components"), &format!("{here}/components"), out);
        walk(arr(c, "services"), &format!("{here}/services"), out);
    }
}

fn all_nodes(v: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(mc) = v.pointer("/metadata/component") {
        out.push(("/metadata/component".to_string(), mc));
        walk(arr(mc, "components"), "/metadata/component/components", &mut out);
    }
    walk(arr(v, "components"), "/components", &mut out);
    walk(arr(v, "services"), "/services", &mut out);
    out
}

fn check_semantics(v: &Value, defects: &mut Vec<Defect>) {
    if let Some(sn) = v.get("serialNumber").and_then(Value::as_str) {
        let ok = sn
            .strip_prefix("urn:uuid:")
            .is_some_and(|u| u.len() == 36 && u.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
        if !ok {
            defects
                .push(Defect::new("/serialNumber", format!("serialNumber {sn:?} is not of the form urn:uuid:<uuid>")));
        }
    }
    if let Some(ts) = v.pointer("/metadata/timestamp").and_then(Value::as_str) {
        if !is_rfc3339(ts) {
            defects.push(Defect::new("/metadata/timestamp", format!("{ts:?} is not a RFC 3339 date-time")));
        }
    }
    // bom-refs: unique, and every dependency ref must resolve.
    let nodes = all_nodes(v);
    let mut refs: HashSet<&str> = HashSet::new();
    for (ptr, n) in &nodes {
        if let Some(r) = n.get("bom-ref").and_then(Value::as_str) {
            if !refs.insert(r) {
                defects.push(Defect::new(format!("{ptr}/bom-ref"), format!("duplicate bom-ref {r:?}")));
            }
        }
        check_license_ids(n, ptr, defects);
    }
    if let Some(md) = v.get("metadata") {
        check_license_ids(md, "/metadata", defects);
    }
    // Other things that carry bom-refs may be referenced too (vulnerabilities, formulation, …).
    let mut extra: HashSet<&str> = HashSet::new();
    collect_refs(v, &mut extra, 0);
    let known = |r: &str| refs.contains(r) || extra.contains(r) || r.starts_with("urn:cdx:");
    for (i, d) in arr(v, "dependencies").iter().enumerate() {
        if let Some(r) = d.get("ref").and_then(Value::as_str) {
            if !known(r) {
                defects.push(Defect::new(
                    format!("/dependencies/{i}/ref"),
                    format!("dependency ref {r:?} does not match any bom-ref in the BOM"),
                ));
            }
        }
        for key in ["dependsOn", "provides"] {
            for (j, x) in arr(d, key).iter().enumerate() {
                if let Some(r) = x.as_str() {
                    if !known(r) {
                        defects.push(Defect::new(
                            format!("/dependencies/{i}/{key}/{j}"),
                            format!("dependency {key} {r:?} does not match any bom-ref in the BOM"),
                        ));
                    }
                }
            }
        }
        if defects.len() > MAX_DEFECTS {
            break;
        }
    }
}

/// license ids (stand-in for the enum of the CycloneDX spdx.schema.json).
fn check_license_ids(n: &Value, ptr: &str, defects: &mut Vec<Defect>) {
    for (j, l) in arr(n, "licenses").iter().enumerate() {
        if let Some(id) = l.pointer("/license/id").and_then(Value::as_str) {
            if spdx::license_id(id).is_none() && spdx::exception_id(id).is_none() {
                defects.push(Defect::new(
                    format!("{ptr}/licenses/{j}/license/id"),
                    format!("{id:?} is not a SPDX license identifier (use license.name or expression)"),
                ));
            }
        }
    }
}

fn collect_refs<'a>(v: &'a Value, out: &mut HashSet<&'a str>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "bom-ref" {
                    if let Some(s) = x.as_str() {
                        out.insert(s);
                    }
                } else if k != "dependencies" {
                    collect_refs(x, out, depth + 1);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out, depth + 1)),
        _ => {}
    }
}

fn component_info(c: &Value) -> ComponentInfo {
    comp(c).info()
}

/// A CycloneDX organizationalEntity (name, url[], contact[].email) or organizationalContact
/// (name, email).
fn party(e: &Value) -> Option<Party> {
    if !e.is_object() {
        return None;
    }
    let mut p = Party { name: s(e, "/name"), ..Party::default() };
    if let Some(m) = s(e, "/email") {
        p.emails.push(m);
    }
    for u in arr(e, "url").iter().filter_map(Value::as_str) {
        p.urls.push(u.to_string());
    }
    for c in arr(e, "contact") {
        if let Some(m) = s(c, "/email") {
            p.emails.push(m);
        }
    }
    Some(p)
}

fn property<'a>(c: &'a Value, name: &str) -> Option<&'a str> {
    arr(c, "properties")
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("value").and_then(Value::as_str))
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn licences(c: &Value) -> Vec<Licence> {
    let mut out = Vec::new();
    for l in arr(c, "licenses") {
        if let Some(x) = s(l, "/expression") {
            out.push(Licence { text: x, spdx: true, acknowledgement: s(l, "/acknowledgement") });
        } else if let Some(lic) = l.get("license") {
            let ack = s(lic, "/acknowledgement");
            if let Some(id) = s(lic, "/id") {
                out.push(Licence { text: id, spdx: true, acknowledgement: ack });
            } else if let Some(name) = s(lic, "/name") {
                out.push(Licence { text: name, spdx: false, acknowledgement: ack });
            }
        }
    }
    out
}

/// One CycloneDX component in format-neutral form.
fn comp(c: &Value) -> Comp {
    let mut m = Comp {
        id: s(c, "/bom-ref"),
        name: s(c, "/name").unwrap_or_default(),
        version: s(c, "/version"),
        purl: s(c, "/purl"),
        cpe: s(c, "/cpe"),
        component_type: s(c, "/type"),
        supplier: s(c, "/supplier/name").or_else(|| s(c, "/manufacturer/name")).or_else(|| s(c, "/publisher")),
        ..Comp::default()
    };
    if let Some(t) = s(c, "/swid/tagId") {
        m.other_ids.push(t);
    }
    for key in ["omniborId", "swhid"] {
        m.other_ids.extend(arr(c, key).iter().filter_map(Value::as_str).map(str::to_string));
    }
    m.creators.extend(c.get("manufacturer").and_then(party));
    m.creators.extend(arr(c, "authors").iter().filter_map(party));
    if let Some(a) = s(c, "/author") {
        m.creators.extend(Party::from_spdx2_agent(&a));
    }
    m.filename = property(c, "bsi:component:filename").map(str::to_string);
    m.executable = property(c, "bsi:component:executable").map(str::to_string);
    m.archive = property(c, "bsi:component:archive").map(str::to_string);
    m.structured = property(c, "bsi:component:structured").map(str::to_string);
    m.licences = licences(c);
    for h in arr(c, "hashes") {
        if let (Some(alg), Some(content)) = (s(h, "/alg"), s(h, "/content")) {
            m.hashes.push(model::hash(&alg, &content));
        }
    }
    for r in arr(c, "externalReferences") {
        let url = s(r, "/url").filter(|u| !u.trim().is_empty());
        match r.get("type").and_then(Value::as_str).unwrap_or_default() {
            "distribution" | "distribution-intake" => {
                if m.deployable_uri.is_none() {
                    m.deployable_uri = url;
                }
                for h in arr(r, "hashes") {
                    if let (Some(alg), Some(content)) = (s(h, "/alg"), s(h, "/content")) {
                        m.deployable_hashes.push(model::hash(&alg, &content));
                    }
                }
            }
            "source-distribution" | "vcs" if m.source_uri.is_none() => m.source_uri = url,
            _ => {}
        }
    }
    m
}

/// The BOM in format-neutral form: metadata.component first, then every component
/// (nested ones too; services are left out).
pub(crate) fn model(v: &Value, spec_version: &str) -> Doc {
    let mut comps = Vec::new();
    let mut deps: Vec<DependencyInfo> = Vec::new();
    fn contains(parent: &Value, deps: &mut Vec<DependencyInfo>) {
        let kids: Vec<String> = arr(parent, "components").iter().filter_map(|k| s(k, "/bom-ref")).collect();
        if let (Some(p), false) = (s(parent, "/bom-ref"), kids.is_empty()) {
            deps.push(DependencyInfo { from: p, depends_on: kids, relationship: "contains".to_string() });
        }
    }
    let has_primary = if let Some(mc) = v.pointer("/metadata/component") {
        comps.push(comp(mc));
        contains(mc, &mut deps);
        let mut nested = Vec::new();
        walk(arr(mc, "components"), "", &mut nested);
        for (_, c) in nested {
            comps.push(comp(c));
            contains(c, &mut deps);
        }
        true
    } else {
        false
    };
    let mut all = Vec::new();
    walk(arr(v, "components"), "", &mut all);
    for (p, c) in all {
        if p.contains("/services") {
            continue;
        }
        comps.push(comp(c));
        contains(c, &mut deps);
    }
    for d in arr(v, "dependencies") {
        if let Some(r) = s(d, "/ref") {
            let to = arr(d, "dependsOn").iter().filter_map(Value::as_str).map(str::to_string).collect();
            deps.push(DependencyInfo { from: r, depends_on: to, relationship: "dependsOn".to_string() });
        }
    }
    model::mark_graph(&mut comps, &deps);
    // compositions[]: how complete the dependency (or assembly) lists of the named refs are.
    let mut completeness: HashMap<String, String> = HashMap::new();
    for c in arr(v, "compositions") {
        let Some(agg) = s(c, "/aggregate").filter(|a| a != "not_specified") else { continue };
        for key in ["dependencies", "assemblies"] {
            for r in arr(c, key).iter().filter_map(Value::as_str) {
                completeness.entry(r.to_string()).or_insert_with(|| agg.clone());
            }
        }
    }
    for c in comps.iter_mut() {
        if let Some(agg) = c.id.as_ref().and_then(|id| completeness.get(id)) {
            c.deps_completeness = Some(agg.clone());
        }
    }
    let mut creators = Vec::new();
    if let Some(md) = v.get("metadata") {
        creators.extend(md.get("manufacturer").and_then(party));
        creators.extend(md.get("manufacture").and_then(party));
        creators.extend(arr(md, "authors").iter().filter_map(party));
    }
    let mut lifecycles = Vec::new();
    for l in v.pointer("/metadata/lifecycles").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        if let Some(x) = s(l, "/phase").or_else(|| s(l, "/name")) {
            push_unique(&mut lifecycles, x);
        }
    }
    let vulnerability_data = arr(v, "vulnerabilities")
        .iter()
        .enumerate()
        .map(|(i, x)| s(x, "/id").unwrap_or_else(|| format!("vulnerabilities/{i}")))
        .collect();
    Doc {
        family: Family::CycloneDx,
        spec_version: spec_version.to_string(),
        timestamp: s(v, "/metadata/timestamp"),
        creators,
        tools: tools(v),
        sbom_uri: s(v, "/serialNumber"),
        lifecycles,
        vulnerability_data,
        comps,
        has_primary,
        dependencies: deps,
    }
}

fn tool_name(t: &Value, with_vendor: bool) -> Option<String> {
    let name = t.get("name").and_then(Value::as_str)?;
    let mut parts = Vec::new();
    if with_vendor {
        if let Some(vendor) = t.get("vendor").and_then(Value::as_str) {
            parts.push(vendor.to_string());
        }
    }
    parts.push(name.to_string());
    if let Some(ver) = t.get("version").and_then(Value::as_str) {
        parts.push(ver.to_string());
    }
    Some(parts.join(" "))
}

fn license_label(l: &Value) -> Option<String> {
    s(l, "/license/id").or_else(|| s(l, "/license/name")).or_else(|| s(l, "/expression"))
}

fn tools(v: &Value) -> Vec<String> {
    let mut tools = Vec::new();
    match v.pointer("/metadata/tools") {
        Some(Value::Array(list)) => {
            for t in list {
                if let Some(n) = tool_name(t, true) {
                    push_unique(&mut tools, n);
                }
            }
        }
        Some(obj @ Value::Object(_)) => {
            for t in arr(obj, "components").iter().chain(arr(obj, "services")) {
                if let Some(n) = tool_name(t, false) {
                    push_unique(&mut tools, n);
                }
            }
        }
        _ => {}
    }
    tools
}

fn facts(v: &Value, spec_version: &str, doc: &Doc) -> SbomFacts {
    let mut licenses = Vec::new();
    if let Some(md) = v.get("metadata") {
        for l in arr(md, "licenses") {
            if let Some(x) = license_label(l) {
                push_unique(&mut licenses, x);
            }
        }
    }
    let mut vulnerabilities = Vec::new();
    for x in arr(v, "vulnerabilities") {
        if let Some(id) = x.get("id").and_then(Value::as_str) {
            push_unique(&mut vulnerabilities, id.to_string());
        }
    }
    let mut all = Vec::new();
    walk(arr(v, "components"), "", &mut all);
    let mut authors = Vec::new();
    for p in &doc.creators {
        if let Some(x) = p.name.clone().or_else(|| p.emails.first().cloned()).or_else(|| p.urls.first().cloned()) {
            push_unique(&mut authors, x);
        }
    }
    SbomFacts {
        spec_version: spec_version.to_string(),
        serial_number: s(v, "/serialNumber"),
        bom_version: v.get("version").and_then(Value::as_i64),
        timestamp: s(v, "/metadata/timestamp"),
        primary_component: v.pointer("/metadata/component").map(component_info),
        supplier: s(v, "/metadata/supplier/name")
            .or_else(|| s(v, "/metadata/manufacturer/name"))
            .or_else(|| s(v, "/metadata/manufacture/name")),
        component_count: arr(v, "components").len(),
        component_count_total: all.iter().filter(|(p, _)| !p.contains("/services")).count(),
        tools: doc.tools.clone(),
        licenses,
        vulnerabilities,
        tlp: s(v, "/metadata/distributionConstraints/tlp"),
        authors,
        document_name: None,
        components: doc.others().iter().map(Comp::info).collect(),
        dependencies: doc.dependencies.clone(),
    }
}

fn map_state(state: &str) -> Option<VexStatus> {
    Some(match state {
        "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
        "exploitable" => VexStatus::Affected,
        "in_triage" => VexStatus::UnderInvestigation,
        "false_positive" | "not_affected" => VexStatus::NotAffected,
        _ => return None,
    })
}

fn vex_statements(v: &Value, facts: &SbomFacts) -> Vec<VexStatement> {
    let _ = facts;
    // bom-ref → (name, purl) for resolving affects[].ref
    let mut by_ref: HashMap<&str, &Value> = HashMap::new();
    for (_, n) in all_nodes(v) {
        if let Some(r) = n.get("bom-ref").and_then(Value::as_str) {
            by_ref.insert(r, n);
        }
    }
    let doc_ts = s(v, "/metadata/timestamp");
    let mut out = Vec::new();
    for vuln in arr(v, "vulnerabilities") {
        let Some(analysis) = vuln.get("analysis") else { continue };
        let id = s(vuln, "/id").unwrap_or_default();
        let mut aliases = Vec::new();
        for r in arr(vuln, "references") {
            if let Some(a) = r.get("id").and_then(Value::as_str) {
                if a != id {
                    push_unique(&mut aliases, a.to_string());
                }
            }
        }
        let status =
            analysis.get("state").and_then(Value::as_str).and_then(map_state).unwrap_or(VexStatus::UnderInvestigation);
        let detail = s(analysis, "/detail");
        let responses: Vec<String> =
            arr(analysis, "response").iter().filter_map(Value::as_str).map(str::to_string).collect();
        let action = s(vuln, "/recommendation")
            .or_else(|| s(vuln, "/workaround"))
            .or_else(|| if responses.is_empty() { None } else { Some(responses.join(", ")) })
            .or_else(|| if status == VexStatus::NotAffected { None } else { detail.clone() });
        let impact = if status == VexStatus::NotAffected { detail.clone() } else { None };
        let timestamp = s(analysis, "/lastUpdated")
            .or_else(|| s(analysis, "/firstIssued"))
            .or_else(|| s(vuln, "/updated"))
            .or_else(|| s(vuln, "/published"))
            .or_else(|| doc_ts.clone());
        for aff in arr(vuln, "affects") {
            let Some(r) = aff.get("ref").and_then(Value::as_str) else { continue };
            let node = by_ref.get(r).copied();
            let purl = node
                .and_then(|n| s(n, "/purl"))
                .or_else(|| if r.starts_with("pkg:") { Some(r.to_string()) } else { None })
                .or_else(|| {
                    r.split_once('#').map(|(_, frag)| frag).filter(|f| f.starts_with("pkg:")).map(str::to_string)
                });
            out.push(VexStatement {
                vulnerability_id: id.clone(),
                aliases: aliases.clone(),
                product: r.to_string(),
                product_name: node.and_then(|n| s(n, "/name")),
                purl,
                status,
                justification: s(analysis, "/justification"),
                impact_statement: impact.clone(),
                action_statement: action.clone(),
                timestamp: timestamp.clone(),
            });
        }
    }
    out
}
