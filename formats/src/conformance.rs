//! SBOM conformance profiles: BSI TR-03183-2 v2.1.0, NTIA minimum elements (2021), CISA
//! minimum elements (2025 draft). Pure functions over the format-neutral [`Doc`], so they
//! treat CycloneDX and SPDX alike.
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Comp, Doc, Family};

/// Maximum number of example components named per rule.
pub const MAX_EXAMPLES: usize = 5;

/// The outcome of one rule of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleResult {
    pub id: String,
    pub title: String,
    pub passed: bool,
    /// Components that fail the rule (0 for rules about the SBOM as a whole).
    pub failing_components: usize,
    /// Up to five failing components: "name@version", else the bom-ref / SPDXID.
    pub examples: Vec<String>,
    /// For rules about the SBOM as a whole: what was found, or what is missing.
    #[serde(default)]
    pub detail: Option<String>,
}

/// The outcome of one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileResult {
    /// "bsi-tr-03183-2-v2.1", "ntia-2021" or "cisa-2025".
    pub id: String,
    pub title: String,
    /// Every rule passed (the `additional` ones do not count).
    pub passed: bool,
    /// 0–100: the mean over `rules` of the share that passes (1 or 0 for SBOM-level rules,
    /// passing components / components for per-component rules).
    pub score: u8,
    pub rules: Vec<RuleResult>,
    /// Reported only; they do not affect `passed` or `score`.
    pub additional: Vec<RuleResult>,
    /// Components the per-component rules looked at (the primary component included).
    #[serde(default)]
    pub components_checked: usize,
}

/// Conformance of an SBOM given as parsed JSON (CycloneDX, SPDX 2.x JSON or SPDX 3 JSON-LD).
/// It does not validate the document (use [`crate::analyze`], whose
/// `Analysis::conformance` carries the same result); anything that is not recognisably an
/// SBOM gives an empty list.
pub fn conformance(sbom: &Value) -> Vec<ProfileResult> {
    if crate::json::is_spdx(sbom) {
        return profiles(&crate::spdx::model(sbom));
    }
    if crate::json::classify(sbom) == crate::json::Looks::CycloneDx {
        let spec = sbom.get("specVersion").and_then(Value::as_str).unwrap_or_default();
        return profiles(&crate::cyclonedx::model(sbom, spec));
    }
    Vec::new()
}

pub(crate) fn profiles(doc: &Doc) -> Vec<ProfileResult> {
    vec![bsi(doc), ntia(doc), cisa(doc)]
}

/// A rule with its coverage (0.0–1.0) for the score.
struct Scored(RuleResult, f64);

fn sbom_rule(id: &str, title: &str, passed: bool, detail: impl Into<String>) -> Scored {
    let detail = detail.into();
    Scored(
        RuleResult {
            id: id.to_string(),
            title: title.to_string(),
            passed,
            failing_components: 0,
            examples: Vec::new(),
            detail: if detail.is_empty() { None } else { Some(detail) },
        },
        if passed { 1.0 } else { 0.0 },
    )
}

fn component_rule(id: &str, title: &str, comps: &[Comp], ok: impl Fn(&Comp) -> bool) -> Scored {
    let mut failing = 0usize;
    let mut examples = Vec::new();
    for c in comps {
        if !ok(c) {
            failing += 1;
            if examples.len() < MAX_EXAMPLES {
                examples.push(c.label());
            }
        }
    }
    let n = comps.len();
    let detail = if n == 0 { Some("the SBOM lists no components".to_string()) } else { None };
    let passed = n > 0 && failing == 0;
    let coverage = if n == 0 { 0.0 } else { (n - failing) as f64 / n as f64 };
    Scored(
        RuleResult {
            id: id.to_string(),
            title: title.to_string(),
            passed,
            failing_components: failing,
            examples,
            detail,
        },
        coverage,
    )
}

fn profile(id: &str, title: &str, doc: &Doc, rules: Vec<Scored>, additional: Vec<Scored>) -> ProfileResult {
    let passed = rules.iter().all(|r| r.0.passed);
    let score =
        if rules.is_empty() { 0.0 } else { rules.iter().map(|r| r.1).sum::<f64>() / rules.len() as f64 * 100.0 };
    // Never round a failing profile up to 100.
    let mut score = score.round().clamp(0.0, 100.0) as u8;
    if !passed && score == 100 {
        score = 99;
    }
    ProfileResult {
        id: id.to_string(),
        title: title.to_string(),
        passed,
        score,
        rules: rules.into_iter().map(|r| r.0).collect(),
        additional: additional.into_iter().map(|r| r.0).collect(),
        components_checked: doc.comps.len(),
    }
}

fn format_name(doc: &Doc) -> String {
    match doc.family {
        Family::CycloneDx => format!("CycloneDX {}", doc.spec_version),
        Family::Spdx2 | Family::Spdx3 => format!("SPDX {}", doc.spec_version),
    }
}

/// "1.6" → [1, 6]; "3.0.1" → [3, 0, 1]; unparsable parts count as 0.
fn version_parts(v: &str) -> Vec<u32> {
    v.split('.').map(|p| p.trim().parse().unwrap_or(0)).collect()
}

fn at_least(v: &str, min: &[u32]) -> bool {
    let mut p = version_parts(v);
    p.resize(min.len().max(p.len()), 0);
    let mut m = min.to_vec();
    m.resize(p.len(), 0);
    p >= m
}

fn some_text(x: &Option<String>) -> bool {
    x.as_deref().is_some_and(|t| !t.trim().is_empty())
}

fn has_identifier(c: &Comp) -> bool {
    some_text(&c.purl) || some_text(&c.cpe) || c.other_ids.iter().any(|x| !x.trim().is_empty())
}

fn timestamp_rule(doc: &Doc) -> Scored {
    match doc.timestamp.as_deref() {
        Some(t) if crate::json::is_rfc3339(t) => sbom_rule("timestamp", "Timestamp of the SBOM", true, t),
        Some(t) => sbom_rule("timestamp", "Timestamp of the SBOM", false, format!("{t:?} is not a RFC 3339 date-time")),
        None => sbom_rule("timestamp", "Timestamp of the SBOM", false, "no creation timestamp"),
    }
}

// ------------------------------------------------------------------ BSI TR-03183-2 v2.1.0

fn bsi(doc: &Doc) -> ProfileResult {
    let comps = &doc.comps;
    let format_ok = match doc.family {
        Family::CycloneDx => at_least(&doc.spec_version, &[1, 6]),
        Family::Spdx3 => at_least(&doc.spec_version, &[3, 0, 1]),
        Family::Spdx2 => false,
    };
    let creator = doc.creators.iter().find(|p| p.contactable());
    let creator_detail = match creator {
        Some(p) => p.emails.first().or(p.urls.first()).cloned().unwrap_or_default(),
        None if doc.creators.is_empty() => match doc.family {
            Family::CycloneDx => "no metadata.manufacturer / metadata.authors".to_string(),
            _ => "no creator (Person / Organization)".to_string(),
        },
        None => "the SBOM creator has neither an e-mail address nor a URL".to_string(),
    };
    let vulns = &doc.vulnerability_data;
    let vuln_detail = if vulns.is_empty() {
        String::new()
    } else {
        let first: Vec<&str> = vulns.iter().take(MAX_EXAMPLES).map(String::as_str).collect();
        format!(
            "{} vulnerability entries in the SBOM (e.g. {}); deliver them as VEX / CSAF instead",
            vulns.len(),
            first.join(", ")
        )
    };
    let prop = |v: &Option<String>, allowed: [&str; 2]| v.as_deref().is_some_and(|x| allowed.contains(&x));
    let rules = vec![
        sbom_rule("format", "SBOM format: CycloneDX 1.6 or later, or SPDX 3.0.1 or later", format_ok, format_name(doc)),
        sbom_rule("sbom-creator", "Creator of the SBOM (e-mail address or URL)", creator.is_some(), creator_detail),
        timestamp_rule(doc),
        component_rule("component-creator", "Component creator (e-mail address or URL)", comps, |c| {
            c.creators.iter().any(|p| p.contactable())
        }),
        component_rule("component-name", "Component name", comps, |c| !c.name.trim().is_empty()),
        component_rule("component-version", "Component version", comps, |c| some_text(&c.version)),
        component_rule("filename", "Filename of the component", comps, |c| some_text(&c.filename)),
        component_rule(
            "dependencies",
            "Dependencies on other components, with the completeness of the enumeration stated",
            comps,
            |c| c.deps_declared && c.deps_completeness.is_some(),
        ),
        component_rule(
            "distribution-licences",
            "Distribution licences as SPDX identifiers or expressions",
            comps,
            |c| {
                c.licences
                    .iter()
                    .any(|l| l.is_valid_spdx() && l.acknowledgement.as_deref().is_none_or(|a| a == "concluded"))
            },
        ),
        component_rule("hash-sha512", "SHA-512 hash value of the deployable component", comps, Comp::has_sha512),
        component_rule("executable-property", "Executable property (executable / non-executable)", comps, |c| {
            prop(&c.executable, ["executable", "non-executable"])
        }),
        component_rule("archive-property", "Archive property (archive / no archive)", comps, |c| {
            prop(&c.archive, ["archive", "no archive"])
        }),
        component_rule("structured-property", "Structured property (structured / unstructured)", comps, |c| {
            prop(&c.structured, ["structured", "unstructured"])
        }),
        sbom_rule("no-vulnerabilities", "No vulnerability information inside the SBOM", vulns.is_empty(), vuln_detail),
    ];
    let additional = vec![
        sbom_rule("sbom-uri", "SBOM-URI", some_text(&doc.sbom_uri), doc.sbom_uri.clone().unwrap_or_default()),
        component_rule("source-code-uri", "Source code URI", comps, |c| some_text(&c.source_uri)),
        component_rule("deployable-uri", "URI of the deployable form of the component", comps, |c| {
            some_text(&c.deployable_uri)
        }),
        component_rule("other-identifiers", "Other unique identifiers (CPE, purl, SWID)", comps, has_identifier),
        component_rule("original-licences", "Original licences (as assigned by the component creator)", comps, |c| {
            c.licences.iter().any(|l| l.is_valid_spdx() && l.acknowledgement.as_deref() == Some("declared"))
        }),
    ];
    profile("bsi-tr-03183-2-v2.1", "BSI TR-03183-2 v2.1.0 (SBOM)", doc, rules, additional)
}

// ------------------------------------------------------------------ NTIA 2021 / CISA 2025

fn author_detail(doc: &Doc, with_tools: bool) -> String {
    let mut names: Vec<String> = doc
        .creators
        .iter()
        .filter_map(|p| p.name.clone().or_else(|| p.emails.first().cloned()).or_else(|| p.urls.first().cloned()))
        .collect();
    if with_tools {
        names.extend(doc.tools.iter().map(|t| format!("tool {t}")));
    }
    if names.is_empty() {
        "no SBOM author".to_string()
    } else {
        names.truncate(MAX_EXAMPLES);
        names.join(", ")
    }
}

fn ntia(doc: &Doc) -> ProfileResult {
    let comps = &doc.comps;
    let rules = vec![
        component_rule("supplier", "Supplier name", comps, |c| some_text(&c.supplier)),
        component_rule("component-name", "Component name", comps, |c| !c.name.trim().is_empty()),
        component_rule("component-version", "Version of the component", comps, |c| some_text(&c.version)),
        component_rule("unique-identifier", "Other unique identifiers (purl, CPE, SWID)", comps, has_identifier),
        component_rule("dependency-relationship", "Dependency relationship", comps, |c| c.in_graph),
        sbom_rule(
            "author",
            "Author of SBOM data",
            !doc.creators.is_empty() || !doc.tools.is_empty(),
            author_detail(doc, true),
        ),
        timestamp_rule(doc),
    ];
    profile("ntia-2021", "NTIA minimum elements for an SBOM (2021)", doc, rules, Vec::new())
}

fn cisa(doc: &Doc) -> ProfileResult {
    let comps = &doc.comps;
    let context_detail = if doc.lifecycles.is_empty() {
        match doc.family {
            Family::CycloneDx => "no metadata.lifecycles".to_string(),
            Family::Spdx3 => "no software_Sbom with software_sbomType".to_string(),
            Family::Spdx2 => "SPDX 2 cannot state the generation context".to_string(),
        }
    } else {
        doc.lifecycles.join(", ")
    };
    let rules = vec![
        sbom_rule("sbom-author", "SBOM author", !doc.creators.is_empty(), author_detail(doc, false)),
        component_rule("software-producer", "Software producer", comps, |c| some_text(&c.supplier)),
        component_rule("component-name", "Component name", comps, |c| !c.name.trim().is_empty()),
        component_rule("component-version", "Component version", comps, |c| some_text(&c.version)),
        component_rule("software-identifiers", "Software identifiers (purl, CPE, SWID)", comps, has_identifier),
        component_rule("component-hash", "Component hash", comps, |c| {
            c.hashes.iter().chain(&c.deployable_hashes).any(|h| !h.value.is_empty())
        }),
        component_rule("license", "License", comps, |c| c.licences.iter().any(|l| l.is_informative())),
        component_rule("dependency-relationship", "Dependency relationship", comps, |c| c.in_graph),
        sbom_rule(
            "tool-name",
            "Tool name",
            !doc.tools.is_empty(),
            if doc.tools.is_empty() { "no tool named".to_string() } else { doc.tools.join(", ") },
        ),
        timestamp_rule(doc),
        sbom_rule(
            "generation-context",
            "Generation context (lifecycle phase)",
            !doc.lifecycles.is_empty(),
            context_detail,
        ),
    ];
    profile("cisa-2025", "CISA minimum elements for an SBOM (2025 draft)", doc, rules, Vec::new())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(at_least("1.6", &[1, 6]));
        assert!(at_least("1.7", &[1, 6]));
        assert!(!at_least("1.5", &[1, 6]));
        assert!(at_least("3.0.1", &[3, 0, 1]));
        assert!(!at_least("3.0.0", &[3, 0, 1]));
        assert!(at_least("3.1", &[3, 0, 1]));
    }
}
