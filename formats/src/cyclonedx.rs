//! CycloneDX JSON (SBOM and VEX).
//!
//! Schema validation uses the official CycloneDX 1.4/1.5/1.6 JSON schemas shipped in the
//! `serde-cyclonedx` package (copied by build.rs). 1.2 and 1.3 documents are validated
//! against the 1.4 schema (CycloneDX 1.x minor versions are additive). The two schemas the
//! BOM schema references (`spdx.schema.json`, `jsf-0.82.schema.json`) are not shipped; they
//! are replaced by local stand-ins and license ids are checked with the `spdx` crate instead.
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::{json, Value};

use crate::json::{arr, is_rfc3339, push_unique, s};
use crate::{Analysis, ComponentInfo, Defect, Rejection, SbomFacts, VexStatement, VexStatus, MAX_DEFECTS};

const SCHEMA_1_4: &str = include_str!(concat!(env!("OUT_DIR"), "/cyclonedx_1_4.json"));
const SCHEMA_1_5: &str = include_str!(concat!(env!("OUT_DIR"), "/cyclonedx_1_5.json"));
const SCHEMA_1_6: &str = include_str!(concat!(env!("OUT_DIR"), "/cyclonedx_1_6.json"));

pub(crate) const SUPPORTED: [&str; 5] = ["1.2", "1.3", "1.4", "1.5", "1.6"];

type Compiled = Result<Validator, String>;
static V14: OnceLock<Compiled> = OnceLock::new();
static V15: OnceLock<Compiled> = OnceLock::new();
static V16: OnceLock<Compiled> = OnceLock::new();

fn compile(text: &str) -> Compiled {
    let schema: Value = serde_json::from_str(text).map_err(|e| format!("bundled CycloneDX schema: {e}"))?;
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
                    format!("unsupported CycloneDX specVersion {sv:?} (supported: 1.2–1.6)"),
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
    let facts = facts(v, &spec_version);
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
    ComponentInfo {
        name: s(c, "/name").unwrap_or_default(),
        version: s(c, "/version"),
        purl: s(c, "/purl"),
        cpe: s(c, "/cpe"),
        bom_ref: s(c, "/bom-ref"),
        component_type: s(c, "/type"),
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

fn facts(v: &Value, spec_version: &str) -> SbomFacts {
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
        tools,
        licenses,
        vulnerabilities,
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
