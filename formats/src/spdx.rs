//! SPDX SBOMs: SPDX 2.2 / 2.3 JSON and SPDX 3.0.1 JSON-LD.
//!
//! Each document is validated against the official SPDX JSON schema for its version
//! (committed under `schemas/spdx/`, provenance in the README), then checked for referential
//! integrity (unique ids, relationships and `documentDescribes` that resolve).
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use crate::json::{arr, is_rfc3339, ptr_token, push_unique, s};
use crate::model::{self, Comp, Doc, Family, Licence, Party};
use crate::{Analysis, Defect, DependencyInfo, Rejection, SbomFacts, MAX_DEFECTS};

const SCHEMA_2_2: &str = include_str!("../schemas/spdx/spdx-2.2.schema.json");
const SCHEMA_2_3: &str = include_str!("../schemas/spdx/spdx-2.3.schema.json");
const SCHEMA_3_0_1: &str = include_str!("../schemas/spdx/spdx-3.0.1.schema.json");

pub(crate) const MEDIA_TYPE: &str = "application/spdx+json";
const CONTEXT_3_0_1: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
const SUPPORTED: &str = "SPDX-2.2 and SPDX-2.3 JSON, SPDX 3.0.1 JSON-LD";

type Compiled = Result<Validator, String>;
static V22: OnceLock<Compiled> = OnceLock::new();
static V23: OnceLock<Compiled> = OnceLock::new();
static V301: OnceLock<Compiled> = OnceLock::new();

fn compile(text: &str) -> Compiled {
    let schema: Value = serde_json::from_str(text).map_err(|e| format!("bundled SPDX schema: {e}"))?;
    // The draft comes from each schema's $schema (draft-07, 2019-09, 2020-12).
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| format!("compiling SPDX schema: {e}"))
}

fn validator(which: &str) -> Result<&'static Validator, Rejection> {
    let cell = match which {
        "2.2" => V22.get_or_init(|| compile(SCHEMA_2_2)),
        "2.3" => V23.get_or_init(|| compile(SCHEMA_2_3)),
        _ => V301.get_or_init(|| compile(SCHEMA_3_0_1)),
    };
    cell.as_ref().map_err(|e| Rejection::whole(format!("internal error: {e}")))
}

fn schema_defects(validator: &Validator, v: &Value, defects: &mut Vec<Defect>) {
    for err in validator.iter_errors(v).take(MAX_DEFECTS) {
        defects.push(Defect::new(err.instance_path().as_str().to_string(), err.to_string()));
    }
}

/// Validate an SPDX SBOM (2.2 / 2.3 JSON or 3.0.1 JSON-LD) and extract facts.
pub(crate) fn analyze(v: &Value) -> Result<Analysis, Rejection> {
    if v.get("spdxVersion").is_some() {
        analyze2(v)
    } else {
        analyze3(v)
    }
}

/// The format-neutral model of an SPDX document (not validated).
pub(crate) fn model(v: &Value) -> Doc {
    match v.get("spdxVersion").and_then(Value::as_str) {
        Some(sv) => model2(v, sv.strip_prefix("SPDX-").unwrap_or(sv)),
        None => {
            let g = Graph::new(v);
            let sdoc = g.of_type("SpdxDocument").next();
            model3(&g, sdoc)
        }
    }
}

// ------------------------------------------------------------------ SPDX 2.x

fn analyze2(v: &Value) -> Result<Analysis, Rejection> {
    let version = match v.get("spdxVersion") {
        Some(Value::String(sv)) if sv == "SPDX-2.2" || sv == "SPDX-2.3" => sv["SPDX-".len()..].to_string(),
        Some(Value::String(sv)) => {
            return Err(Rejection::from_defects(
                "SPDX document",
                vec![Defect::new("/spdxVersion", format!("unsupported SPDX version {sv:?} (supported: {SUPPORTED})"))],
            ))
        }
        _ => {
            return Err(Rejection::from_defects(
                "SPDX document",
                vec![Defect::new("/spdxVersion", "spdxVersion must be a string such as \"SPDX-2.3\"")],
            ))
        }
    };
    let mut defects = Vec::new();
    schema_defects(validator(&version)?, v, &mut defects);
    if defects.is_empty() {
        check2(v, &mut defects);
    }
    if !defects.is_empty() {
        return Err(Rejection::from_defects("SPDX document", defects));
    }
    let doc = model2(v, &version);
    let mut a = Analysis::new(format!("spdx-json {version}"), MEDIA_TYPE);
    a.sbom = Some(facts(&doc, s(v, "/documentNamespace"), s(v, "/name"), s(v, "/dataLicense"), Vec::new()));
    a.conformance = crate::conformance::profiles(&doc);
    Ok(a)
}

/// Referential checks the JSON schema cannot make.
fn check2(v: &Value, defects: &mut Vec<Defect>) {
    let mut ids: HashSet<&str> = HashSet::new();
    if let Some(id) = v.get("SPDXID").and_then(Value::as_str) {
        if id != "SPDXRef-DOCUMENT" {
            defects
                .push(Defect::new("/SPDXID", format!("the document SPDXID must be \"SPDXRef-DOCUMENT\", not {id:?}")));
        }
        ids.insert(id);
    }
    if let Some(ts) = v.pointer("/creationInfo/created").and_then(Value::as_str) {
        if !is_rfc3339(ts) {
            defects.push(Defect::new("/creationInfo/created", format!("{ts:?} is not a RFC 3339 date-time")));
        }
    }
    for key in ["packages", "files", "snippets"] {
        for (i, e) in arr(v, key).iter().enumerate() {
            if let Some(id) = e.get("SPDXID").and_then(Value::as_str) {
                if !ids.insert(id) {
                    defects.push(Defect::new(format!("/{key}/{i}/SPDXID"), format!("duplicate SPDXID {id:?}")));
                }
            }
        }
    }
    let known = |r: &str| ids.contains(r) || r.starts_with("DocumentRef-");
    for (i, r) in arr(v, "documentDescribes").iter().enumerate() {
        if let Some(r) = r.as_str() {
            if !known(r) {
                defects.push(Defect::new(
                    format!("/documentDescribes/{i}"),
                    format!("documentDescribes {r:?} does not match any SPDXID in the document"),
                ));
            }
        }
    }
    for (i, p) in arr(v, "packages").iter().enumerate() {
        for (j, f) in arr(p, "hasFiles").iter().enumerate() {
            if let Some(f) = f.as_str() {
                if !known(f) {
                    defects.push(Defect::new(
                        format!("/packages/{i}/hasFiles/{j}"),
                        format!("hasFiles {f:?} does not match any SPDXID in the document"),
                    ));
                }
            }
        }
    }
    for (i, r) in arr(v, "relationships").iter().enumerate() {
        for (key, special_ok) in [("spdxElementId", false), ("relatedSpdxElement", true)] {
            if let Some(x) = r.get(key).and_then(Value::as_str) {
                let special = special_ok && (x == "NONE" || x == "NOASSERTION");
                if !special && !known(x) {
                    defects.push(Defect::new(
                        format!("/relationships/{i}/{key}"),
                        format!("relationship {key} {x:?} does not match any SPDXID in the document"),
                    ));
                }
            }
        }
        if defects.len() > MAX_DEFECTS {
            break;
        }
    }
}

fn not_assertion(x: Option<String>) -> Option<String> {
    x.filter(|t| {
        let t = t.trim();
        !t.is_empty() && t != "NOASSERTION" && t != "NONE"
    })
}

fn agent_name(x: &str) -> Option<String> {
    Party::from_spdx2_agent(x).and_then(|p| p.name)
}

/// Dependency direction of an SPDX 2 relationship type: Some((forward, kind)); forward = the
/// element depends on / contains the related element.
fn rel2(t: &str) -> Option<(bool, &'static str)> {
    Some(match t {
        "DEPENDS_ON" => (true, "dependsOn"),
        "CONTAINS" => (true, "contains"),
        "CONTAINED_BY" => (false, "contains"),
        "DEPENDENCY_OF"
        | "BUILD_DEPENDENCY_OF"
        | "DEV_DEPENDENCY_OF"
        | "OPTIONAL_DEPENDENCY_OF"
        | "PROVIDED_DEPENDENCY_OF"
        | "TEST_DEPENDENCY_OF"
        | "RUNTIME_DEPENDENCY_OF" => (false, "dependsOn"),
        _ => return None,
    })
}

fn comp2(p: &Value) -> Comp {
    let mut c = Comp {
        id: s(p, "/SPDXID"),
        name: s(p, "/name").unwrap_or_default(),
        version: s(p, "/versionInfo"),
        component_type: s(p, "/primaryPackagePurpose"),
        supplier: s(p, "/supplier")
            .and_then(|x| agent_name(&x))
            .or_else(|| s(p, "/originator").and_then(|x| agent_name(&x))),
        filename: not_assertion(s(p, "/packageFileName")),
        deployable_uri: not_assertion(s(p, "/downloadLocation")),
        ..Comp::default()
    };
    if let Some(o) = s(p, "/originator") {
        c.creators.extend(Party::from_spdx2_agent(&o));
    }
    for r in arr(p, "externalRefs") {
        let (Some(t), Some(loc)) = (s(r, "/referenceType"), s(r, "/referenceLocator")) else { continue };
        match t.as_str() {
            "purl" if c.purl.is_none() => c.purl = Some(loc),
            "cpe22Type" | "cpe23Type" if c.cpe.is_none() => c.cpe = Some(loc),
            "swid" | "gitoid" | "swh" => c.other_ids.push(loc),
            _ => {}
        }
    }
    for (key, ack) in [("licenseConcluded", "concluded"), ("licenseDeclared", "declared")] {
        if let Some(t) = s(p, &format!("/{key}")) {
            c.licences.push(Licence { text: t, spdx: true, acknowledgement: Some(ack.to_string()) });
        }
    }
    for h in arr(p, "checksums") {
        if let (Some(alg), Some(val)) = (s(h, "/algorithm"), s(h, "/checksumValue")) {
            c.hashes.push(model::hash(&alg, &val));
        }
    }
    c
}

fn model2(v: &Value, version: &str) -> Doc {
    let mut comps: Vec<Comp> = arr(v, "packages").iter().map(comp2).collect();
    let doc_id = s(v, "/SPDXID").unwrap_or_else(|| "SPDXRef-DOCUMENT".to_string());
    // Primary component: the first described package.
    let mut described: Vec<String> =
        arr(v, "documentDescribes").iter().filter_map(Value::as_str).map(str::to_string).collect();
    let mut deps: Vec<DependencyInfo> = Vec::new();
    let mut index: HashMap<(String, &'static str), usize> = HashMap::new();
    // (entry, target) pairs already recorded: keeps the edge lists distinct in linear time.
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut completeness: HashMap<String, String> = HashMap::new();
    for r in arr(v, "relationships") {
        let (Some(a), Some(t), Some(b)) =
            (s(r, "/spdxElementId"), s(r, "/relationshipType"), s(r, "/relatedSpdxElement"))
        else {
            continue;
        };
        match t.as_str() {
            "DESCRIBES" if a == doc_id => described.push(b.clone()),
            "DESCRIBED_BY" if b == doc_id => described.push(a.clone()),
            _ => {}
        }
        let Some((forward, kind)) = rel2(&t) else { continue };
        let (from, to) = if forward { (a, b) } else { (b, a) };
        if from == "NONE" || from == "NOASSERTION" {
            continue;
        }
        let special = to == "NONE" || to == "NOASSERTION";
        if special {
            // "depends on NONE": the list is complete and empty; NOASSERTION: unknown.
            let what = if to == "NONE" { "complete" } else { "noAssertion" };
            completeness.insert(from.clone(), what.to_string());
        }
        let at = *index.entry((from.clone(), kind)).or_insert_with(|| {
            deps.push(DependencyInfo { from: from.clone(), depends_on: Vec::new(), relationship: kind.to_string() });
            deps.len() - 1
        });
        if !special && seen.insert((at, to.clone())) {
            if let Some(d) = deps.get_mut(at) {
                d.depends_on.push(to);
            }
        }
    }
    model::mark_graph(&mut comps, &deps);
    for c in comps.iter_mut() {
        if let Some(x) = c.id.as_ref().and_then(|id| completeness.get(id)) {
            c.deps_completeness = Some(x.clone());
        }
    }
    let primary_at = described.iter().find_map(|d| comps.iter().position(|c| c.id.as_deref() == Some(d.as_str())));
    let has_primary = primary_at.is_some();
    if let Some(i) = primary_at {
        let p = comps.remove(i);
        comps.insert(0, p);
    }
    let mut creators = Vec::new();
    let mut tools = Vec::new();
    for c in v.pointer("/creationInfo/creators").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        let Some(c) = c.as_str() else { continue };
        if let Some(t) = c.strip_prefix("Tool:") {
            push_unique(&mut tools, t.trim().to_string());
        } else if let Some(p) = Party::from_spdx2_agent(c) {
            creators.push(p);
        }
    }
    let mut vulnerability_data = Vec::new();
    for (i, p) in arr(v, "packages").iter().enumerate() {
        for r in arr(p, "externalRefs") {
            let cat = s(r, "/referenceCategory").unwrap_or_default();
            let t = s(r, "/referenceType").unwrap_or_default();
            if cat == "SECURITY" && (t == "advisory" || t == "fix") {
                vulnerability_data
                    .push(s(r, "/referenceLocator").unwrap_or_else(|| format!("packages/{i}/externalRefs ({t})")));
            }
        }
    }
    Doc {
        family: Family::Spdx2,
        spec_version: version.to_string(),
        timestamp: s(v, "/creationInfo/created"),
        creators,
        tools,
        sbom_uri: s(v, "/documentNamespace"),
        lifecycles: Vec::new(),
        vulnerability_data,
        comps,
        has_primary,
        dependencies: deps,
    }
}

// ------------------------------------------------------------------ SPDX 3.0.1

/// The elements of an SPDX 3 JSON-LD document, by spdxId / @id.
struct Graph<'a> {
    elements: Vec<&'a Value>,
    by_id: HashMap<&'a str, &'a Value>,
}

impl<'a> Graph<'a> {
    fn new(v: &'a Value) -> Self {
        let elements: Vec<&Value> = match v.get("@graph").and_then(Value::as_array) {
            Some(list) => list.iter().collect(),
            None => vec![v],
        };
        let mut by_id = HashMap::new();
        for e in &elements {
            for key in ["spdxId", "@id"] {
                if let Some(id) = e.get(key).and_then(Value::as_str) {
                    by_id.insert(id, *e);
                }
            }
        }
        Graph { elements, by_id }
    }
    /// A reference is an IRI / blank node id, or the element inline.
    fn get(&self, r: &'a Value) -> Option<&'a Value> {
        match r {
            Value::String(id) => self.by_id.get(id.as_str()).copied(),
            Value::Object(_) => Some(r),
            _ => None,
        }
    }
    fn of_type(&self, t: &'a str) -> impl Iterator<Item = &'a Value> + '_ {
        self.elements.iter().copied().filter(move |e| e.get("type").and_then(Value::as_str) == Some(t))
    }
}

fn ref_id(r: &Value) -> Option<&str> {
    match r {
        Value::String(x) => Some(x.as_str()),
        Value::Object(_) => r.get("spdxId").or_else(|| r.get("@id")).and_then(Value::as_str),
        _ => None,
    }
}

fn refs<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    match v.get(key) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(x @ (Value::String(_) | Value::Object(_))) => vec![x],
        _ => Vec::new(),
    }
}

fn analyze3(v: &Value) -> Result<Analysis, Rejection> {
    match v.get("@context") {
        Some(Value::String(c)) if c == CONTEXT_3_0_1 => {}
        Some(Value::String(c)) if c.contains("spdx.org/rdf/3") => {
            return Err(Rejection::from_defects(
                "SPDX document",
                vec![Defect::new(
                    "/@context",
                    format!(
                    "unsupported SPDX 3 context {c:?}: only SPDX 3.0.1 ({CONTEXT_3_0_1}) is supported ({SUPPORTED})"
                ),
                )],
            ))
        }
        _ => {}
    }
    let mut defects = Vec::new();
    schema_defects(validator("3.0.1")?, v, &mut defects);
    if defects.is_empty() {
        check3(v, &mut defects);
    }
    if !defects.is_empty() {
        return Err(Rejection::from_defects("SPDX 3 document", defects));
    }
    let g = Graph::new(v);
    let sdoc = g.of_type("SpdxDocument").next();
    let doc = model3(&g, sdoc);
    let data_licence = sdoc.and_then(|d| d.get("dataLicense")).and_then(|r| licence_text(&g, r));
    let vulns: Vec<String> = g
        .of_type("security_Vulnerability")
        .filter_map(|e| s(e, "/name").or_else(|| ref_id(e).map(str::to_string)))
        .collect();
    let mut a = Analysis::new(format!("spdx-jsonld {}", doc.spec_version), MEDIA_TYPE);
    a.sbom = Some(facts(
        &doc,
        sdoc.and_then(ref_id).map(str::to_string),
        sdoc.and_then(|d| s(d, "/name")),
        data_licence,
        vulns,
    ));
    a.conformance = crate::conformance::profiles(&doc);
    Ok(a)
}

/// Well-known individuals that need no definition in the document.
fn well_known(id: &str) -> bool {
    id.starts_with("https://spdx.org/licenses/") || id.starts_with("https://spdx.org/rdf/3.0.1/terms/")
}

fn check3(v: &Value, defects: &mut Vec<Defect>) {
    let g = Graph::new(v);
    let graph_ptr = if v.get("@graph").is_some() { "/@graph" } else { "" };
    let mut seen: HashSet<&str> = HashSet::new();
    let mut imported: HashSet<&str> = HashSet::new();
    for e in g.of_type("SpdxDocument") {
        for m in arr(e, "import") {
            if let Some(x) = m.get("externalSpdxId").and_then(Value::as_str) {
                imported.insert(x);
            }
        }
    }
    let position = |i: usize| if graph_ptr.is_empty() { String::new() } else { format!("{graph_ptr}/{i}") };
    for (i, e) in g.elements.iter().enumerate() {
        for key in ["spdxId", "@id"] {
            if let Some(id) = e.get(key).and_then(Value::as_str) {
                if !seen.insert(id) {
                    defects.push(Defect::new(
                        format!("{}/{}", position(i), ptr_token(key)),
                        format!("duplicate {key} {id:?}"),
                    ));
                }
            }
        }
    }
    let resolves = |x: &str| g.by_id.contains_key(x) || imported.contains(x) || well_known(x);
    for (i, e) in g.elements.iter().enumerate() {
        let here = position(i);
        // creationInfo: a blank node (or IRI) of a CreationInfo in this document, or inline.
        if let Some(Value::String(ci)) = e.get("creationInfo") {
            if !g.by_id.contains_key(ci.as_str()) {
                defects.push(Defect::new(
                    format!("{here}/creationInfo"),
                    format!("creationInfo {ci:?} does not name a CreationInfo in this document"),
                ));
            }
        }
        let t = e.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut keys: Vec<&str> = Vec::new();
        if t.ends_with("Relationship") {
            keys.extend(["from", "to"]);
        }
        if t == "SpdxDocument" || t == "software_Sbom" || t == "Bom" || t == "Bundle" {
            keys.extend(["rootElement", "element"]);
        }
        for key in keys {
            let list = refs(e, key);
            let single = !e.get(key).is_some_and(Value::is_array);
            for (j, r) in list.iter().enumerate() {
                let Value::String(x) = r else { continue };
                if !resolves(x) {
                    let ptr = if single { format!("{here}/{key}") } else { format!("{here}/{key}/{j}") };
                    defects.push(Defect::new(
                        ptr,
                        format!(
                            "{key} {x:?} is neither an element of this document nor imported (SpdxDocument.import)"
                        ),
                    ));
                }
            }
        }
        if defects.len() > MAX_DEFECTS {
            break;
        }
    }
}

fn agent_party(g: &Graph<'_>, r: &Value) -> Option<Party> {
    let e = g.get(r)?;
    let mut p = Party { name: s(e, "/name"), ..Party::default() };
    for x in arr(e, "externalIdentifier") {
        let Some(id) = s(x, "/identifier") else { continue };
        match x.get("externalIdentifierType").and_then(Value::as_str).unwrap_or_default() {
            "email" => p.emails.push(id),
            "urlScheme" | "other" if model::looks_like_url(&id) => p.urls.push(id),
            "other" if model::looks_like_email(&id) => p.emails.push(id),
            _ => {}
        }
    }
    for x in arr(e, "externalRef") {
        for loc in arr(x, "locator").iter().filter_map(Value::as_str) {
            if model::looks_like_email(loc) {
                p.emails.push(loc.to_string());
            } else if model::looks_like_url(loc) {
                p.urls.push(loc.to_string());
            }
        }
    }
    Some(p)
}

/// Text of a licence element (LicenseExpression, ListedLicense, …) or a well-known licence IRI.
fn licence_text(g: &Graph<'_>, r: &Value) -> Option<String> {
    if let Some(e) = g.get(r) {
        if let Some(x) = s(e, "/simplelicensing_licenseExpression") {
            return Some(x);
        }
        if let Some(x) = s(e, "/expandedlicensing_licenseId").or_else(|| s(e, "/name")) {
            return Some(x);
        }
    }
    let id = ref_id(r)?;
    if let Some(rest) = id.strip_prefix("https://spdx.org/licenses/") {
        return Some(rest.to_string());
    }
    match id.rsplit('/').next() {
        Some("NoAssertionLicense") => Some("NOASSERTION".to_string()),
        Some("NoneLicense") => Some("NONE".to_string()),
        _ => None,
    }
}

fn hashes3(e: &Value) -> Vec<crate::ComponentHash> {
    arr(e, "verifiedUsing")
        .iter()
        .filter_map(|h| Some(model::hash(&s(h, "/algorithm")?, &s(h, "/hashValue")?)))
        .collect()
}

fn is_package(t: &str) -> bool {
    t == "software_Package" || t == "ai_AIPackage" || t == "dataset_DatasetPackage"
}

fn creation_info<'a>(g: &Graph<'a>, e: &'a Value) -> Option<&'a Value> {
    e.get("creationInfo").and_then(|r| g.get(r))
}

fn model3(g: &Graph<'_>, sdoc: Option<&Value>) -> Doc {
    // Relationships by source.
    let mut by_from: HashMap<&str, Vec<&Value>> = HashMap::new();
    for e in &g.elements {
        let t = e.get("type").and_then(Value::as_str).unwrap_or_default();
        if !t.ends_with("Relationship") {
            continue;
        }
        if let Some(f) = e.get("from").and_then(ref_id) {
            by_from.entry(f).or_default().push(e);
        }
    }
    let rels_of = |id: &str, rtype: &str| -> Vec<&Value> {
        by_from
            .get(id)
            .map(|v| v.iter().copied().filter(|r| s(r, "/relationshipType").as_deref() == Some(rtype)).collect())
            .unwrap_or_default()
    };
    let mut comps = Vec::new();
    for e in &g.elements {
        let t = e.get("type").and_then(Value::as_str).unwrap_or_default();
        if !is_package(t) {
            continue;
        }
        let id = ref_id(e).map(str::to_string);
        let mut c = Comp {
            id: id.clone(),
            name: s(e, "/name").unwrap_or_default(),
            version: s(e, "/software_packageVersion"),
            purl: s(e, "/software_packageUrl"),
            component_type: s(e, "/software_primaryPurpose"),
            hashes: hashes3(e),
            deployable_uri: not_assertion(s(e, "/software_downloadLocation")),
            ..Comp::default()
        };
        for x in arr(e, "externalIdentifier") {
            let Some(ident) = s(x, "/identifier") else { continue };
            match x.get("externalIdentifierType").and_then(Value::as_str).unwrap_or_default() {
                "packageUrl" if c.purl.is_none() => c.purl = Some(ident),
                "cpe22" | "cpe23" if c.cpe.is_none() => c.cpe = Some(ident),
                "swid" | "swhid" | "gitoid" => c.other_ids.push(ident),
                _ => {}
            }
        }
        for x in arr(e, "externalRef") {
            let t = x.get("externalRefType").and_then(Value::as_str).unwrap_or_default();
            if (t == "sourceArtifact" || t == "vcs") && c.source_uri.is_none() {
                c.source_uri = arr(x, "locator").iter().filter_map(Value::as_str).next().map(str::to_string);
            }
        }
        c.creators = refs(e, "originatedBy").into_iter().filter_map(|r| agent_party(g, r)).collect();
        c.supplier = e
            .get("suppliedBy")
            .and_then(|r| agent_party(g, r))
            .and_then(|p| p.name)
            .or_else(|| c.creators.iter().find_map(|p| p.name.clone()));
        if let Some(id) = id.as_deref() {
            for (rtype, ack) in [("hasConcludedLicense", "concluded"), ("hasDeclaredLicense", "declared")] {
                for r in rels_of(id, rtype) {
                    for to in refs(r, "to") {
                        if let Some(text) = licence_text(g, to) {
                            c.licences.push(Licence { text, spdx: true, acknowledgement: Some(ack.to_string()) });
                        }
                    }
                }
            }
            // The deployable form: software_File linked by hasDistributionArtifact.
            for r in rels_of(id, "hasDistributionArtifact") {
                for to in refs(r, "to") {
                    let Some(f) = g.get(to) else { continue };
                    if c.filename.is_none() {
                        c.filename = s(f, "/name");
                    }
                    c.deployable_hashes.extend(hashes3(f));
                    let purposes: Vec<&str> = std::iter::once(f.get("software_primaryPurpose"))
                        .flatten()
                        .chain(arr(f, "software_additionalPurpose"))
                        .filter_map(Value::as_str)
                        .collect();
                    let has = |p: &str| purposes.contains(&p);
                    c.executable = Some(if has("executable") { "executable" } else { "non-executable" }.to_string());
                    c.archive = Some(if has("archive") { "archive" } else { "no archive" }.to_string());
                    if has("container") {
                        c.structured = Some("structured".to_string());
                    } else if has("firmware") {
                        c.structured = Some("unstructured".to_string());
                    }
                    if c.deployable_uri.is_none() {
                        c.deployable_uri = arr(f, "externalRef")
                            .iter()
                            .filter(|x| s(x, "/externalRefType").as_deref() == Some("binaryArtifact"))
                            .flat_map(|x| arr(x, "locator"))
                            .filter_map(Value::as_str)
                            .next()
                            .map(str::to_string);
                    }
                }
            }
        }
        comps.push(c);
    }
    // Dependency graph (dependsOn / contains), with completeness.
    let mut deps: Vec<DependencyInfo> = Vec::new();
    let mut index: HashMap<(String, &'static str), usize> = HashMap::new();
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut completeness: HashMap<String, String> = HashMap::new();
    for e in &g.elements {
        let t = e.get("type").and_then(Value::as_str).unwrap_or_default();
        if !t.ends_with("Relationship") || t.starts_with("security_") {
            continue;
        }
        let kind = match e.get("relationshipType").and_then(Value::as_str) {
            Some("dependsOn") => "dependsOn",
            Some("contains") => "contains",
            _ => continue,
        };
        let Some(from) = e.get("from").and_then(ref_id) else { continue };
        if let Some(x) = s(e, "/completeness") {
            completeness.entry(from.to_string()).or_insert(x);
        }
        let at = *index.entry((from.to_string(), kind)).or_insert_with(|| {
            deps.push(DependencyInfo {
                from: from.to_string(),
                depends_on: Vec::new(),
                relationship: kind.to_string(),
            });
            deps.len() - 1
        });
        if let Some(d) = deps.get_mut(at) {
            for to in refs(e, "to") {
                // Core/NoneElement: "depends on nothing" (with completeness complete).
                if let Some(x) =
                    ref_id(to).filter(|x| !x.ends_with("/NoneElement") && !x.ends_with("/NoAssertionElement"))
                {
                    if seen.insert((at, x.to_string())) {
                        d.depends_on.push(x.to_string());
                    }
                }
            }
        }
    }
    model::mark_graph(&mut comps, &deps);
    for c in comps.iter_mut() {
        if let Some(x) = c.id.as_ref().and_then(|id| completeness.get(id)) {
            c.deps_completeness = Some(x.clone());
        }
    }
    // Primary component: a root element that is a package (through an Sbom when the root is one),
    // else the target of the document's "describes" relationship.
    let mut roots: Vec<String> = Vec::new();
    let mut sbom_elem = None;
    if let Some(d) = sdoc {
        for r in refs(d, "rootElement") {
            let Some(e) = g.get(r) else { continue };
            if e.get("type").and_then(Value::as_str) == Some("software_Sbom") {
                sbom_elem = sbom_elem.or(Some(e));
                roots.extend(refs(e, "rootElement").into_iter().filter_map(ref_id).map(str::to_string));
            } else if let Some(x) = ref_id(r) {
                roots.push(x.to_string());
            }
        }
        if let Some(id) = ref_id(d) {
            for r in rels_of(id, "describes") {
                roots.extend(refs(r, "to").into_iter().filter_map(ref_id).map(str::to_string));
            }
        }
    }
    let sbom_elem = sbom_elem.or_else(|| g.of_type("software_Sbom").next());
    let primary_at = roots.iter().find_map(|r| comps.iter().position(|c| c.id.as_deref() == Some(r.as_str())));
    let has_primary = primary_at.is_some();
    if let Some(i) = primary_at {
        let p = comps.remove(i);
        comps.insert(0, p);
    }
    // Creation info of the SpdxDocument (else of the first element that has one).
    let ci = sdoc.and_then(|d| creation_info(g, d)).or_else(|| g.of_type("CreationInfo").next());
    let creators =
        ci.map(|ci| refs(ci, "createdBy").into_iter().filter_map(|r| agent_party(g, r)).collect()).unwrap_or_default();
    let mut tools = Vec::new();
    for r in ci.map(|ci| refs(ci, "createdUsing")).unwrap_or_default() {
        if let Some(n) = g.get(r).and_then(|t| s(t, "/name")) {
            push_unique(&mut tools, n);
        }
    }
    let mut lifecycles = Vec::new();
    if let Some(sb) = sbom_elem {
        for t in arr(sb, "software_sbomType").iter().filter_map(Value::as_str) {
            push_unique(&mut lifecycles, t.to_string());
        }
    }
    let vulnerability_data: Vec<String> = g
        .elements
        .iter()
        .filter(|e| e.get("type").and_then(Value::as_str).is_some_and(|t| t.starts_with("security_")))
        .filter_map(|e| ref_id(e).map(str::to_string).or_else(|| s(e, "/type")))
        .collect();
    Doc {
        family: Family::Spdx3,
        spec_version: ci.and_then(|c| s(c, "/specVersion")).unwrap_or_else(|| "3.0.1".to_string()),
        timestamp: ci.and_then(|c| s(c, "/created")),
        creators,
        tools,
        sbom_uri: sbom_elem.or(sdoc).and_then(ref_id).map(str::to_string),
        lifecycles,
        vulnerability_data,
        comps,
        has_primary,
        dependencies: deps,
    }
}

// ------------------------------------------------------------------ facts

fn facts(
    doc: &Doc,
    namespace: Option<String>,
    name: Option<String>,
    data_licence: Option<String>,
    vulnerabilities: Vec<String>,
) -> SbomFacts {
    let mut authors = Vec::new();
    for p in &doc.creators {
        if let Some(x) = p.name.clone().or_else(|| p.emails.first().cloned()).or_else(|| p.urls.first().cloned()) {
            push_unique(&mut authors, x);
        }
    }
    let primary = doc.primary();
    let others = doc.others();
    SbomFacts {
        spec_version: doc.spec_version.clone(),
        serial_number: namespace,
        bom_version: None,
        timestamp: doc.timestamp.clone(),
        primary_component: primary.map(Comp::info),
        supplier: authors.first().cloned().or_else(|| primary.and_then(|p| p.supplier.clone())),
        component_count: others.len(),
        component_count_total: others.len(),
        tools: doc.tools.clone(),
        licenses: data_licence.into_iter().collect(),
        vulnerabilities,
        tlp: None,
        authors,
        document_name: name,
        components: others.iter().map(Comp::info).collect(),
        dependencies: doc.dependencies.clone(),
    }
}
