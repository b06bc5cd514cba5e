//! OpenVEX, validated against the prose of the specification (v0.2.0) rather than the
//! published JSON schema, which is stricter than real producers (vexctl, go-vex):
//! a `not_affected` statement may carry both `justification` and `impact_statement`,
//! and unknown extra fields are ignored. Legacy 0.0.x documents (`@context
//! https://openvex.dev/ns`, plain-string vulnerability/products) are accepted.
use serde_json::Value;

use crate::json::{arr, is_rfc3339, push_unique, s};
use crate::{Analysis, Defect, Rejection, VexStatement, VexStatus};

const JUSTIFICATIONS: [&str; 5] = [
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

fn parse_status(s: &str) -> Option<VexStatus> {
    Some(match s {
        "not_affected" => VexStatus::NotAffected,
        "affected" => VexStatus::Affected,
        "fixed" => VexStatus::Fixed,
        "under_investigation" => VexStatus::UnderInvestigation,
        _ => return None,
    })
}

/// "0.2.0" for https://openvex.dev/ns/v0.2.0, "0.0.1" for the bare legacy context.
fn context_version(ctx: &str) -> Option<String> {
    let rest = ctx.strip_prefix("https://openvex.dev/ns")?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return Some("0.0.1".to_string());
    }
    let v = rest.strip_prefix("/v").or_else(|| rest.strip_prefix('/'))?;
    if v.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        Some(v.to_string())
    } else {
        None
    }
}

fn check_time(v: &Value, key: &str, ptr: &str, defects: &mut Vec<Defect>) -> Option<String> {
    match v.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if is_rfc3339(t) => Some(t.clone()),
        Some(other) => {
            defects.push(Defect::new(format!("{ptr}/{key}"), format!("{key} {other} is not a RFC 3339 date-time")));
            None
        }
    }
}

pub(crate) fn analyze(v: &Value) -> Result<Analysis, Rejection> {
    let mut defects = Vec::new();
    let ctx = s(v, "/@context").unwrap_or_default();
    let version = match context_version(&ctx) {
        Some(ver) => ver,
        None => {
            defects.push(Defect::new("/@context", format!("unsupported OpenVEX @context {ctx:?}")));
            String::new()
        }
    };
    let legacy = version.starts_with("0.0.");
    if version.starts_with("0.") && !legacy && !version.starts_with("0.2") {
        defects
            .push(Defect::new("/@context", format!("unsupported OpenVEX version {version} (supported: 0.2.x, 0.0.x)")));
    }
    if s(v, "/@id").is_none_or(|x| x.is_empty()) {
        defects.push(Defect::new("/@id", "required property \"@id\" is missing or empty"));
    }
    if s(v, "/author").is_none_or(|x| x.is_empty()) {
        defects.push(Defect::new("/author", "required property \"author\" is missing or empty"));
    }
    let doc_ts = check_time(v, "timestamp", "", &mut defects);
    check_time(v, "last_updated", "", &mut defects);
    if !legacy {
        if v.get("timestamp").is_none() {
            defects.push(Defect::new("/timestamp", "required property \"timestamp\" is missing"));
        }
        match v.get("version") {
            Some(Value::Number(n)) if n.as_u64().is_some() => {}
            Some(other) => defects.push(Defect::new("/version", format!("version must be an integer, got {other}"))),
            None => defects.push(Defect::new("/version", "required property \"version\" is missing")),
        }
    }
    let statements_v = match v.get("statements") {
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => {
            defects.push(Defect::new("/statements", "statements must be an array"));
            &[]
        }
        None => {
            defects.push(Defect::new("/statements", "required property \"statements\" is missing"));
            &[]
        }
    };

    let mut out = Vec::new();
    for (i, st) in statements_v.iter().enumerate() {
        let p = format!("/statements/{i}");
        if !st.is_object() {
            defects.push(Defect::new(p, "statement must be an object"));
            continue;
        }
        // vulnerability: object {name, aliases} (0.2) or a plain string (0.0.x)
        let (vuln_id, aliases) = match st.get("vulnerability") {
            Some(Value::String(id)) => (id.clone(), Vec::new()),
            Some(obj @ Value::Object(_)) => {
                let id = s(obj, "/name").or_else(|| s(obj, "/@id")).unwrap_or_default();
                let mut al = Vec::new();
                for a in arr(obj, "aliases").iter().filter_map(Value::as_str) {
                    push_unique(&mut al, a.to_string());
                }
                (id, al)
            }
            _ => (String::new(), Vec::new()),
        };
        if vuln_id.is_empty() {
            defects.push(Defect::new(format!("{p}/vulnerability"), "statement has no vulnerability name"));
        }
        let status_s = s(st, "/status").unwrap_or_default();
        let Some(status) = parse_status(&status_s) else {
            defects.push(Defect::new(
                format!("{p}/status"),
                format!("status {status_s:?} is not one of not_affected, affected, fixed, under_investigation"),
            ));
            continue;
        };
        let justification = s(st, "/justification").filter(|x| !x.is_empty());
        let impact = s(st, "/impact_statement").filter(|x| !x.is_empty());
        let action = s(st, "/action_statement").filter(|x| !x.is_empty());
        if let Some(j) = &justification {
            if !JUSTIFICATIONS.contains(&j.as_str()) {
                defects.push(Defect::new(format!("{p}/justification"), format!("unknown justification {j:?}")));
            }
        }
        if status == VexStatus::NotAffected && justification.is_none() && impact.is_none() {
            defects.push(Defect::new(
                p.clone(),
                "a not_affected statement must have a justification or an impact_statement",
            ));
        }
        if status == VexStatus::Affected && action.is_none() {
            defects.push(Defect::new(p.clone(), "an affected statement must have an action_statement"));
        }
        let ts = check_time(st, "timestamp", &p, &mut defects).or_else(|| doc_ts.clone());
        check_time(st, "last_updated", &p, &mut defects);
        let products = arr(st, "products");
        if products.is_empty() {
            defects.push(Defect::new(format!("{p}/products"), "statement names no products"));
        }
        for (j, prod) in products.iter().enumerate() {
            let (id, purl) = match prod {
                Value::String(x) => (x.clone(), None),
                obj @ Value::Object(_) => {
                    let id = s(obj, "/@id").unwrap_or_default();
                    (id, s(obj, "/identifiers/purl"))
                }
                _ => (String::new(), None),
            };
            if id.is_empty() && purl.is_none() {
                defects.push(Defect::new(format!("{p}/products/{j}"), "product has no @id or identifiers"));
                continue;
            }
            let purl = purl.or_else(|| if id.starts_with("pkg:") { Some(id.clone()) } else { None });
            out.push(VexStatement {
                vulnerability_id: vuln_id.clone(),
                aliases: aliases.clone(),
                product: if id.is_empty() { purl.clone().unwrap_or_default() } else { id },
                product_name: None,
                purl,
                status,
                justification: justification.clone(),
                impact_statement: impact.clone(),
                action_statement: action.clone(),
                timestamp: ts.clone(),
            });
        }
    }
    if !defects.is_empty() {
        return Err(Rejection::from_defects("OpenVEX document", defects));
    }
    let media = "application/openvex+json";
    Ok(Analysis { vex_statements: out, ..Analysis::new(format!("openvex {version}"), media) })
}
