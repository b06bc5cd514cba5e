//! CSAF 2.0: validation with `csaf-rs` (OASIS JSON schema incl. the FIRST CVSS schemas, and
//! the section 6.1 mandatory tests, preset "basic"), fact and VEX statement extraction.
use std::collections::HashMap;

use csaf_rs::validation::TestResultStatus;
use serde_json::Value;

use crate::json::{arr, ptr_token, push_unique, s};
use crate::{AdvisoryFacts, Analysis, Defect, Rejection, VexStatement, VexStatus, MAX_DEFECTS};

/// Run the CSAF schema + mandatory tests; return the defects (empty = valid).
fn validate(v: &Value) -> Vec<Defect> {
    let doc = csaf_rs::csaf2_0::loader::load_document(v.clone());
    let doc = match doc {
        Ok(d) => d,
        Err(e) => return vec![Defect::new("", format!("could not load CSAF document: {e}"))],
    };
    let result = match csaf_rs::validation::validate_by_preset(&doc, "2.0", "basic") {
        Ok(r) => r,
        Err(e) => return vec![Defect::new("", format!("CSAF validation failed to run: {e}"))],
    };
    let mut defects = Vec::new();
    for tr in &result.test_results {
        let TestResultStatus::Failure { errors, .. } = &tr.status else { continue };
        for e in errors {
            let test = if tr.test_id == "schema" {
                // 6.1.8 "Invalid CVSS" is the schema check of the CVSS objects.
                let p = &e.instance_path;
                if p.contains("/cvss_v2") || p.contains("/cvss_v3") {
                    Some("6.1.8".to_string())
                } else {
                    None
                }
            } else {
                Some(tr.test_id.clone())
            };
            let label = match (&test, tr.test_id.as_str()) {
                (Some(t), "schema") => format!("{t}: invalid CVSS (schema)"),
                (Some(t), _) => t.clone(),
                (None, _) => "schema".to_string(),
            };
            defects.push(Defect { pointer: e.instance_path.clone(), message: format!("{label}: {}", e.message), test });
            if defects.len() >= MAX_DEFECTS {
                return defects;
            }
        }
    }
    defects
}

pub(crate) fn analyze(v: &Value) -> Result<Analysis, Rejection> {
    match s(v, "/document/csaf_version").as_deref() {
        Some("2.0") => {}
        Some(other) => {
            return Err(Rejection::from_defects(
                "CSAF document",
                vec![Defect::new(
                    "/document/csaf_version",
                    format!("unsupported CSAF version {other:?} (supported: 2.0)"),
                )],
            ))
        }
        None => {
            // Let the schema name what is missing, but make sure we say it is CSAF we expected.
            let mut d = validate(v);
            d.insert(0, Defect::new("/document/csaf_version", "not a CSAF document: document.csaf_version is missing"));
            return Err(Rejection::from_defects("CSAF document", d));
        }
    }
    let defects = validate(v);
    if !defects.is_empty() {
        return Err(Rejection::from_defects("CSAF document", defects));
    }
    let products = product_index(v);
    let facts = facts(v, &products);
    let is_vex = facts.category == "csaf_vex";
    let statements = vex_statements(v, &products, &facts);
    let format = if is_vex { "csaf-vex 2.0" } else { "csaf 2.0" };
    let mut a = Analysis::new(format, "application/json");
    a.advisory = Some(facts);
    a.vex_statements = statements;
    Ok(a)
}

#[derive(Default, Clone)]
struct Product {
    name: Option<String>,
    purl: Option<String>,
}

/// product_id → name/purl, in definition order.
struct Products {
    order: Vec<String>,
    map: HashMap<String, Product>,
    groups: HashMap<String, Vec<String>>,
}

fn add_fpn(fpn: &Value, p: &mut Products) {
    let Some(id) = fpn.get("product_id").and_then(Value::as_str) else { return };
    let prod = Product {
        name: s(fpn, "/name"),
        purl: s(fpn, "/product_identification_helper/purl").or_else(|| {
            fpn.pointer("/product_identification_helper/purls/0").and_then(Value::as_str).map(str::to_string)
        }),
    };
    if !p.map.contains_key(id) {
        p.order.push(id.to_string());
    }
    p.map.insert(id.to_string(), prod);
}

fn walk_branches(branches: &[Value], p: &mut Products, depth: usize) {
    if depth > 64 {
        return;
    }
    for b in branches {
        if let Some(fpn) = b.get("product") {
            add_fpn(fpn, p);
        }
        walk_branches(arr(b, "branches"), p, depth + 1);
    }
}

fn product_index(v: &Value) -> Products {
    let mut p = Products { order: Vec::new(), map: HashMap::new(), groups: HashMap::new() };
    let Some(tree) = v.get("product_tree") else { return p };
    walk_branches(arr(tree, "branches"), &mut p, 0);
    for fpn in arr(tree, "full_product_names") {
        add_fpn(fpn, &mut p);
    }
    for rel in arr(tree, "relationships") {
        if let Some(fpn) = rel.get("full_product_name") {
            add_fpn(fpn, &mut p);
            // A relationship product has no purl of its own; use the component's.
            if let (Some(id), Some(comp)) =
                (fpn.get("product_id").and_then(Value::as_str), rel.get("product_reference").and_then(Value::as_str))
            {
                let comp_purl = p.map.get(comp).and_then(|c| c.purl.clone());
                if let Some(entry) = p.map.get_mut(id) {
                    if entry.purl.is_none() {
                        entry.purl = comp_purl;
                    }
                }
            }
        }
    }
    for g in arr(tree, "product_groups") {
        if let Some(gid) = g.get("group_id").and_then(Value::as_str) {
            let ids = arr(g, "product_ids").iter().filter_map(Value::as_str).map(str::to_string).collect();
            p.groups.insert(gid.to_string(), ids);
        }
    }
    p
}

fn facts(v: &Value, products: &Products) -> AdvisoryFacts {
    let mut cves = Vec::new();
    let mut max: Option<f64> = None;
    let mut max_sev: Option<String> = None;
    let vulns = arr(v, "vulnerabilities");
    for vu in vulns {
        if let Some(c) = vu.get("cve").and_then(Value::as_str) {
            push_unique(&mut cves, c.to_string());
        }
        for sc in arr(vu, "scores") {
            for key in ["cvss_v3", "cvss_v2"] {
                if let Some(score) = sc.pointer(&format!("/{key}/baseScore")).and_then(Value::as_f64) {
                    if max.is_none_or(|m| score > m) {
                        max = Some(score);
                        max_sev = s(sc, &format!("/{key}/baseSeverity"));
                    }
                }
            }
        }
    }
    let mut purls = Vec::new();
    for id in &products.order {
        if let Some(pu) = products.map.get(id).and_then(|p| p.purl.clone()) {
            push_unique(&mut purls, pu);
        }
    }
    AdvisoryFacts {
        csaf_version: s(v, "/document/csaf_version").unwrap_or_default(),
        tracking_id: s(v, "/document/tracking/id").unwrap_or_default(),
        title: s(v, "/document/title").unwrap_or_default(),
        category: s(v, "/document/category").unwrap_or_default(),
        current_release_date: s(v, "/document/tracking/current_release_date").unwrap_or_default(),
        initial_release_date: s(v, "/document/tracking/initial_release_date").unwrap_or_default(),
        status: s(v, "/document/tracking/status").unwrap_or_default(),
        tracking_version: s(v, "/document/tracking/version").unwrap_or_default(),
        tlp_label: s(v, "/document/distribution/tlp/label"),
        lang: s(v, "/document/lang"),
        cves,
        max_cvss_base_score: max,
        severity: s(v, "/document/aggregate_severity/text").or(max_sev),
        publisher_name: s(v, "/document/publisher/name").unwrap_or_default(),
        publisher_namespace: s(v, "/document/publisher/namespace").unwrap_or_default(),
        publisher_category: s(v, "/document/publisher/category"),
        product_ids: products.order.clone(),
        purls,
        vulnerability_count: vulns.len(),
    }
}

/// Product ids named by an object's product_ids + group_ids.
fn targets(x: &Value, products: &Products) -> Vec<String> {
    let mut out = Vec::new();
    for id in arr(x, "product_ids").iter().filter_map(Value::as_str) {
        push_unique(&mut out, id.to_string());
    }
    for g in arr(x, "group_ids").iter().filter_map(Value::as_str) {
        for id in products.groups.get(g).into_iter().flatten() {
            push_unique(&mut out, id.clone());
        }
    }
    out
}

/// For each product id, the joined texts of the entries that name it.
fn per_product(
    list: &[Value],
    products: &Products,
    text: impl Fn(&Value) -> Option<String>,
) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for x in list {
        let Some(t) = text(x) else { continue };
        for id in targets(x, products) {
            let e = out.entry(id).or_default();
            if !e.is_empty() {
                if e.split("\n").any(|l| l == t) {
                    continue;
                }
                e.push('\n');
            }
            e.push_str(&t);
        }
    }
    out
}

fn vex_statements(v: &Value, products: &Products, facts: &AdvisoryFacts) -> Vec<VexStatement> {
    const STATUS: [(&str, VexStatus); 6] = [
        ("known_not_affected", VexStatus::NotAffected),
        ("known_affected", VexStatus::Affected),
        ("fixed", VexStatus::Fixed),
        ("first_fixed", VexStatus::Fixed),
        ("under_investigation", VexStatus::UnderInvestigation),
        ("last_affected", VexStatus::Affected),
    ];
    let doc_ts = Some(facts.current_release_date.clone()).filter(|x| !x.is_empty());
    let mut out = Vec::new();
    for vu in arr(v, "vulnerabilities") {
        let ids: Vec<String> =
            arr(vu, "ids").iter().filter_map(|i| i.get("text").and_then(Value::as_str)).map(str::to_string).collect();
        let (vid, mut aliases) = match vu.get("cve").and_then(Value::as_str) {
            Some(c) => (c.to_string(), ids),
            None => match ids.split_first() {
                Some((first, rest)) => (first.clone(), rest.to_vec()),
                None => continue,
            },
        };
        aliases.retain(|a| *a != vid);
        let flags = per_product(arr(vu, "flags"), products, |f| s(f, "/label"));
        let impacts = per_product(
            &arr(vu, "threats")
                .iter()
                .filter(|t| s(t, "/category").as_deref() == Some("impact"))
                .cloned()
                .collect::<Vec<_>>(),
            products,
            |t| s(t, "/details"),
        );
        let actions = per_product(arr(vu, "remediations"), products, |r| {
            let d = s(r, "/details")?;
            Some(match s(r, "/category") {
                Some(c) => format!("{c}: {d}"),
                None => d,
            })
        });
        let ts = doc_ts.clone().or_else(|| s(vu, "/release_date"));
        for (key, status) in STATUS {
            let listed = vu.pointer(&format!("/product_status/{}", ptr_token(key))).and_then(Value::as_array);
            for pid in listed.into_iter().flatten() {
                let Some(pid) = pid.as_str() else { continue };
                let prod = products.map.get(pid).cloned().unwrap_or_default();
                out.push(VexStatement {
                    vulnerability_id: vid.clone(),
                    aliases: aliases.clone(),
                    product: pid.to_string(),
                    product_name: prod.name,
                    purl: prod.purl,
                    status,
                    justification: if status == VexStatus::NotAffected { flags.get(pid).cloned() } else { None },
                    impact_statement: if status == VexStatus::NotAffected { impacts.get(pid).cloned() } else { None },
                    action_statement: if status == VexStatus::NotAffected { None } else { actions.get(pid).cloned() },
                    timestamp: ts.clone(),
                });
            }
        }
    }
    out
}
