//! A format-neutral view of an SBOM (CycloneDX, SPDX 2, SPDX 3), built after validation.
//! The conformance profiles and the component facts are computed from it.
use crate::{ComponentHash, ComponentInfo, DependencyInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    CycloneDx,
    Spdx2,
    Spdx3,
}

/// An entity (person, organisation) with whatever contact details the SBOM gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Party {
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub urls: Vec<String>,
}

impl Party {
    /// Has an e-mail address or a URL (what BSI TR-03183-2 asks of a creator).
    pub fn contactable(&self) -> bool {
        self.emails.iter().any(|e| looks_like_email(e)) || self.urls.iter().any(|u| looks_like_url(u))
    }

    /// "Organization: ACME (sec@acme.example)" (SPDX 2 creator / supplier / originator syntax).
    pub fn from_spdx2_agent(s: &str) -> Option<Party> {
        let s = s.trim();
        if s.is_empty() || s == "NOASSERTION" {
            return None;
        }
        let body = s.split_once(':').map(|(_, b)| b.trim()).unwrap_or(s);
        let mut p = Party::default();
        let (name, rest) = match (body.find('('), body.rfind(')')) {
            (Some(a), Some(b)) if a < b => (body[..a].trim(), Some(body[a + 1..b].trim())),
            _ => (body, None),
        };
        if !name.is_empty() {
            p.name = Some(name.to_string());
        }
        for part in rest.into_iter().chain(std::iter::once(name)) {
            if looks_like_email(part) {
                p.emails.push(part.to_string());
            } else if looks_like_url(part) {
                p.urls.push(part.to_string());
            }
        }
        Some(p)
    }
}

pub(crate) fn looks_like_email(s: &str) -> bool {
    let s = s.trim().trim_start_matches("mailto:");
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

pub(crate) fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://")) && s.len() > 8 && !s.contains(char::is_whitespace)
}

/// One licence statement of a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Licence {
    /// As written: SPDX id, expression or free-text name.
    pub text: String,
    /// Given as an SPDX id or expression (not as a free-text name).
    pub spdx: bool,
    /// "concluded" or "declared" when the SBOM says which; None when it does not.
    pub acknowledgement: Option<String>,
}

impl Licence {
    /// A valid SPDX identifier or expression (deprecated ids allowed, LicenseRef-… allowed),
    /// not NOASSERTION / NONE.
    pub fn is_valid_spdx(&self) -> bool {
        self.spdx && valid_spdx_expression(&self.text)
    }
    /// Says something about the licence (NONE does, NOASSERTION does not).
    pub fn is_informative(&self) -> bool {
        let t = self.text.trim();
        !t.is_empty() && t != "NOASSERTION"
    }
}

pub(crate) fn valid_spdx_expression(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t == "NOASSERTION" || t == "NONE" {
        return false;
    }
    let mode = spdx::ParseMode { allow_deprecated: true, ..spdx::ParseMode::STRICT };
    spdx::Expression::parse_mode(t, mode).is_ok()
}

/// A component (CycloneDX component, SPDX package) with everything the profiles look at.
#[derive(Debug, Clone, Default)]
pub(crate) struct Comp {
    /// bom-ref / SPDXID / spdxId.
    pub id: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// SWID tag id or other registered identifiers (not purl / cpe).
    pub other_ids: Vec<String>,
    pub component_type: Option<String>,
    /// Supplier / producer name (NTIA "supplier", CISA "software producer").
    pub supplier: Option<String>,
    /// Creator(s) of the component with contact data (BSI "component creator").
    pub creators: Vec<Party>,
    pub filename: Option<String>,
    pub licences: Vec<Licence>,
    /// Hashes of the component itself.
    pub hashes: Vec<ComponentHash>,
    /// Hashes of its deployable form (CycloneDX distribution externalReferences; SPDX 3
    /// hasDistributionArtifact files).
    pub deployable_hashes: Vec<ComponentHash>,
    /// BSI properties as given: executable / non-executable, archive / no archive,
    /// structured / unstructured.
    pub executable: Option<String>,
    pub archive: Option<String>,
    pub structured: Option<String>,
    pub source_uri: Option<String>,
    pub deployable_uri: Option<String>,
    /// The SBOM states this component's direct dependencies (possibly none).
    pub deps_declared: bool,
    /// The SBOM states how complete that list is ("complete", "incomplete", "unknown", …).
    pub deps_completeness: Option<String>,
    /// Appears anywhere in the dependency graph (as source or target).
    pub in_graph: bool,
}

impl Comp {
    /// Name for reports: name@version, else the id.
    pub fn label(&self) -> String {
        match (&self.version, self.name.is_empty()) {
            (_, true) => self.id.clone().unwrap_or_else(|| "(unnamed component)".to_string()),
            (Some(v), false) => format!("{}@{v}", self.name),
            (None, false) => self.name.clone(),
        }
    }

    pub fn info(&self) -> ComponentInfo {
        let mut licenses = Vec::new();
        for l in &self.licences {
            let t = l.text.trim();
            if !t.is_empty() && t != "NOASSERTION" && t != "NONE" && !licenses.iter().any(|x: &String| x == t) {
                licenses.push(t.to_string());
            }
        }
        let mut hashes: Vec<ComponentHash> = Vec::new();
        for h in self.hashes.iter().chain(&self.deployable_hashes) {
            if !hashes.contains(h) {
                hashes.push(h.clone());
            }
        }
        ComponentInfo {
            name: self.name.clone(),
            version: self.version.clone(),
            purl: self.purl.clone(),
            cpe: self.cpe.clone(),
            bom_ref: self.id.clone(),
            component_type: self.component_type.clone(),
            supplier: self.supplier.clone(),
            licenses,
            hashes,
        }
    }

    pub fn has_sha512(&self) -> bool {
        self.hashes.iter().chain(&self.deployable_hashes).any(|h| h.alg == "SHA-512" && !h.value.is_empty())
    }
}

/// An SBOM in format-neutral form.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub family: Family,
    /// "1.6", "2.3", "3.0.1".
    pub spec_version: String,
    pub timestamp: Option<String>,
    /// Who created the SBOM (people, organisations; not tools).
    pub creators: Vec<Party>,
    pub tools: Vec<String>,
    /// URI of the SBOM itself (CycloneDX serialNumber, SPDX namespace / spdxId).
    pub sbom_uri: Option<String>,
    /// Lifecycle phase(s) / SBOM type(s) the SBOM was generated in.
    pub lifecycles: Vec<String>,
    /// Vulnerability data found inside the SBOM (ids or short descriptions).
    pub vulnerability_data: Vec<String>,
    /// The primary component first (when there is one), then every other component.
    pub comps: Vec<Comp>,
    pub has_primary: bool,
    pub dependencies: Vec<DependencyInfo>,
}

impl Doc {
    pub fn primary(&self) -> Option<&Comp> {
        if self.has_primary {
            self.comps.first()
        } else {
            None
        }
    }
    pub fn others(&self) -> &[Comp] {
        if self.has_primary {
            self.comps.get(1..).unwrap_or(&[])
        } else {
            &self.comps
        }
    }
}

/// Hash algorithm names of CycloneDX, SPDX 2 and SPDX 3 in the CycloneDX spelling.
pub(crate) fn normalize_alg(alg: &str) -> String {
    let key: String = alg.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    let s = match key.as_str() {
        "SHA1" => "SHA-1",
        "SHA224" => "SHA-224",
        "SHA256" => "SHA-256",
        "SHA384" => "SHA-384",
        "SHA512" => "SHA-512",
        "SHA3224" => "SHA3-224",
        "SHA3256" => "SHA3-256",
        "SHA3384" => "SHA3-384",
        "SHA3512" => "SHA3-512",
        "BLAKE2B256" => "BLAKE2b-256",
        "BLAKE2B384" => "BLAKE2b-384",
        "BLAKE2B512" => "BLAKE2b-512",
        "BLAKE3" => "BLAKE3",
        "MD2" => "MD2",
        "MD4" => "MD4",
        "MD5" => "MD5",
        "MD6" => "MD6",
        "ADLER32" => "ADLER32",
        _ => return alg.to_string(),
    };
    s.to_string()
}

pub(crate) fn hash(alg: &str, value: &str) -> ComponentHash {
    ComponentHash { alg: normalize_alg(alg), value: value.trim().to_ascii_lowercase() }
}

/// Mark `in_graph`, `deps_declared` from the dependency list (ids are component ids).
pub(crate) fn mark_graph(comps: &mut [Comp], deps: &[DependencyInfo]) {
    use std::collections::HashSet;
    let mut sources: HashSet<&str> = HashSet::new();
    let mut touched: HashSet<&str> = HashSet::new();
    for d in deps {
        sources.insert(d.from.as_str());
        touched.insert(d.from.as_str());
        for t in &d.depends_on {
            touched.insert(t.as_str());
        }
    }
    for c in comps.iter_mut() {
        if let Some(id) = c.id.as_deref() {
            c.deps_declared = c.deps_declared || sources.contains(id);
            c.in_graph = c.in_graph || touched.contains(id);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn agents_and_contacts() {
        let p = Party::from_spdx2_agent("Organization: ACME (security@acme.example)").unwrap();
        assert_eq!(p.name.as_deref(), Some("ACME"));
        assert!(p.contactable());
        let p = Party::from_spdx2_agent("Organization: Red Hat").unwrap();
        assert!(!p.contactable());
        assert!(Party::from_spdx2_agent("NOASSERTION").is_none());
        let p = Party::from_spdx2_agent("Person: https://example.com/me").unwrap();
        assert!(p.contactable());
        assert!(!looks_like_email("not an@email"));
    }

    #[test]
    fn licence_validity() {
        assert!(valid_spdx_expression("Apache-2.0"));
        assert!(valid_spdx_expression("(MIT OR Apache-2.0)"));
        assert!(valid_spdx_expression("GPL-2.0-only WITH Classpath-exception-2.0"));
        assert!(valid_spdx_expression("LicenseRef-scancode-proprietary"));
        assert!(valid_spdx_expression("GPL-2.0")); // deprecated id, still an SPDX id
        assert!(!valid_spdx_expression("NOASSERTION"));
        assert!(!valid_spdx_expression("NONE"));
        assert!(!valid_spdx_expression("The Apache License"));
    }

    #[test]
    fn algs() {
        assert_eq!(normalize_alg("SHA512"), "SHA-512");
        assert_eq!(normalize_alg("sha512"), "SHA-512");
        assert_eq!(normalize_alg("SHA-512"), "SHA-512");
        assert_eq!(normalize_alg("sha3_256"), "SHA3-256");
        assert_eq!(normalize_alg("blake2b512"), "BLAKE2b-512");
        assert_eq!(normalize_alg("BLAKE2b-256"), "BLAKE2b-256");
        assert_eq!(normalize_alg("weird"), "weird");
    }
}
