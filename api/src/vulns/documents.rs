//! The machine-readable documents of a triage result for one product version: an OpenVEX
//! document and a CSAF 2.0 `csaf_vex` document (publisher: the organisation's configured CSAF
//! publisher). Both go through the ordinary intake validation before they are recorded.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::model::*;
use super::store::{Assessment, Vulnerability};
use crate::csaf::publisher::Publisher;
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};

/// Everything a version's documents say.
pub struct Input<'a> {
    pub vuln: &'a Vulnerability,
    pub assessment: &'a Assessment,
    pub target: &'a VersionRef,
    pub org_slug: &'a str,
    pub publisher: &'a Publisher,
    pub revision: i32,
    /// Earlier revisions' dates (CSAF revision history), oldest first.
    pub history: &'a [DateTime<Utc>],
    pub tlp: Tlp,
    pub portal_url: &'a str,
    /// Where the CSAF provider serves this document (its canonical URL, CSAF 6.2.11).
    pub csaf_url: &'a str,
    pub at: DateTime<Utc>,
}

/// The product's identifier in both documents.
pub fn purl(org_slug: &str, t: &VersionRef) -> String {
    // Percent-encode everything but the unreserved characters (purl spec).
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!("pkg:generic/{}/{}@{}", enc(org_slug), enc(&t.product), enc(&t.version))
}

fn slug_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Where the portal's CSAF provider serves a document (`…/csaf/<tlp>/<year>/<file>`).
pub fn csaf_url(public_url: &str, portal_slug: &str, tlp: Tlp, initial: DateTime<Utc>, tracking_id: &str) -> String {
    use crate::artifacts::index::{provider_base, provider_path};
    format!("{public_url}{}/{}", provider_base(portal_slug), provider_path(tlp, initial, tracking_id))
}

/// The CSAF tracking id (also the file name stem): `<org>-vex-<vuln>-<product>-<version>`.
pub fn tracking_id(i: &Input<'_>) -> String {
    format!(
        "{}-vex-{}-{}-{}",
        slug_part(i.org_slug),
        slug_part(&i.vuln.vuln_id),
        slug_part(&i.target.product),
        slug_part(&i.target.version)
    )
}

fn action_of(a: &Assessment) -> Option<String> {
    a.action_statement
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| a.fixed_in.as_ref().map(|f| format!("Upgrade to version {f} or later.")))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// OpenVEX v0.2.0.
pub fn openvex(i: &Input<'_>) -> Value {
    let a = i.assessment;
    let mut st = json!({
        "vulnerability": {"name": i.vuln.vuln_id, "aliases": i.vuln.aliases()},
        "products": [{"@id": purl(i.org_slug, i.target), "identifiers": {"purl": purl(i.org_slug, i.target)}}],
        "status": a.status.as_str(),
        "timestamp": rfc3339(i.at),
    });
    if !i.vuln.description.is_empty() {
        st["vulnerability"]["description"] = json!(i.vuln.description);
    }
    if let Some(j) = a.justification {
        st["justification"] = json!(j.as_str());
    }
    if let Some(s) = &a.impact_statement {
        st["impact_statement"] = json!(s);
    }
    if a.status == AssessmentStatus::Affected {
        if let Some(s) = action_of(a) {
            st["action_statement"] = json!(s);
        }
    }
    if a.status == AssessmentStatus::Fixed {
        if let Some(f) = &a.fixed_in {
            st["status_notes"] = json!(format!("Fixed in version {f}."));
        }
    }
    json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("{}/vex/{}", i.publisher.namespace.trim_end_matches('/'), tracking_id(i)),
        "author": i.publisher.name,
        "role": "Manufacturer",
        "timestamp": rfc3339(i.at),
        "last_updated": rfc3339(i.at),
        "version": i.revision,
        "tooling": "Supplier Portal",
        "statements": [st],
    })
}

/// CSAF 2.0's TLP label (TLP 1.0 words).
fn csaf_label(t: Tlp) -> ApiResult<&'static str> {
    match t {
        Tlp::Clear => Ok("WHITE"),
        Tlp::Green => Ok("GREEN"),
        Tlp::Amber => Ok("AMBER"),
        Tlp::Red => Ok("RED"),
        _ => Err(ApiError::validation(
            "tlp",
            "CSAF 2.0 carries WHITE (clear), GREEN, AMBER or RED; AMBER+STRICT has no CSAF 2.0 label: choose amber or red",
        )),
    }
}

/// CSAF 2.0 `csaf_vex`.
pub fn csaf(i: &Input<'_>) -> ApiResult<Value> {
    let a = i.assessment;
    let t = i.target;
    let pid = "CSAFPID-0001";
    let full_name = format!("{} {} {}", i.publisher.name, t.product_name, t.version);
    let mut history: Vec<Value> = i
        .history
        .iter()
        .enumerate()
        .map(|(n, d)| {
            json!({"date": rfc3339(*d), "number": (n + 1).to_string(),
                "summary": if n == 0 { "Initial version." } else { "Updated assessment." }})
        })
        .collect();
    history.push(json!({"date": rfc3339(i.at), "number": i.revision.to_string(),
        "summary": if i.revision == 1 { "Initial version." } else { "Updated assessment." }}));
    let initial = i.history.first().copied().unwrap_or(i.at);
    let status_key = match a.status {
        AssessmentStatus::UnderInvestigation => "under_investigation",
        AssessmentStatus::Affected => "known_affected",
        AssessmentStatus::NotAffected => "known_not_affected",
        AssessmentStatus::Fixed => "fixed",
    };
    let mut vuln = json!({
        "notes": [{"category": "description", "title": "Description",
            "text": if i.vuln.description.is_empty() { i.vuln.title.clone() } else { i.vuln.description.clone() }}],
        "title": i.vuln.title,
        "product_status": {status_key: [pid]},
    });
    if i.vuln.vuln_id.starts_with("CVE-") {
        vuln["cve"] = json!(i.vuln.vuln_id);
    } else {
        let system = i.vuln.vuln_id.split('-').next().unwrap_or("ID").to_string();
        vuln["ids"] = json!([{"system_name": system, "text": i.vuln.vuln_id}]);
    }
    if let Some(j) = a.justification {
        vuln["flags"] = json!([{"label": j.as_str(), "product_ids": [pid]}]);
    }
    let mut threats = Vec::new();
    if let Some(s) = &a.impact_statement {
        threats.push(json!({"category": "impact", "details": s, "product_ids": [pid]}));
    }
    if threats.is_empty() && a.status == AssessmentStatus::NotAffected {
        threats.push(json!({"category": "impact", "product_ids": [pid],
            "details": format!("Not affected: {}.", a.justification.map(|j| j.as_str().replace('_', " ")).unwrap_or_default())}));
    }
    if !threats.is_empty() {
        vuln["threats"] = json!(threats);
    }
    match a.status {
        AssessmentStatus::Affected | AssessmentStatus::Fixed => {
            let details = action_of(a).unwrap_or_else(|| "See the vendor's advisory.".into());
            let category =
                if a.fixed_in.is_some() || a.status == AssessmentStatus::Fixed { "vendor_fix" } else { "workaround" };
            vuln["remediations"] = json!([{"category": category, "details": details, "product_ids": [pid]}]);
        }
        _ => {}
    }
    if let Some(v) = &i.vuln.cvss_v3_vector {
        if let Some(n) = vuln["notes"].as_array_mut() {
            n.push(json!({"category": "other", "title": "CVSS v3 vector", "text": v}));
        }
    }
    let mut references = vec![
        json!({"category": "self", "summary": "Canonical URL", "url": i.csaf_url}),
        json!({"category": "external", "summary": "The manufacturer's portal", "url": i.portal_url}),
    ];
    if i.vuln.vuln_id.starts_with("CVE-") {
        references.push(json!({"category": "external", "summary": format!("{} in the CVE list", i.vuln.vuln_id),
            "url": format!("https://www.cve.org/CVERecord?id={}", i.vuln.vuln_id)}));
    }
    let mut publisher =
        json!({"category": i.publisher.category, "name": i.publisher.name, "namespace": i.publisher.namespace});
    if let Some(c) = &i.publisher.contact_details {
        publisher["contact_details"] = json!(c);
    }
    if let Some(c) = &i.publisher.issuing_authority {
        publisher["issuing_authority"] = json!(c);
    }
    Ok(json!({
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "distribution": {"tlp": {"label": csaf_label(i.tlp)?, "url": "https://www.first.org/tlp/"}},
            "lang": "en",
            "notes": [{"category": "summary", "title": "Summary",
                "text": format!("{} status of {} for {}: {}.", i.vuln.vuln_id, i.vuln.title, full_name, a.status.as_str().replace('_', " "))}],
            "publisher": publisher,
            "references": references,
            "title": format!("{}: {} — {}", i.vuln.vuln_id, i.vuln.title, full_name),
            "tracking": {
                "current_release_date": rfc3339(i.at),
                "generator": {"date": rfc3339(i.at), "engine": {"name": "Supplier Portal", "version": env!("CARGO_PKG_VERSION")}},
                "id": tracking_id(i),
                "initial_release_date": rfc3339(initial),
                "revision_history": history,
                "status": "final",
                "version": i.revision.to_string(),
            },
        },
        "product_tree": {"branches": [{"category": "vendor", "name": i.publisher.name, "branches": [
            {"category": "product_name", "name": t.product_name, "branches": [
                {"category": "product_version", "name": t.version, "product": {
                    "name": full_name, "product_id": pid,
                    "product_identification_helper": {"purl": purl(i.org_slug, t)}}}]}]}]},
        "vulnerabilities": [vuln],
    }))
}
