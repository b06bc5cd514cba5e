//! Differences between two SBOMs' component lists.
//!
//! Components are matched by their purl without the version (type/namespace/name, plus
//! qualifiers other than `checksum` / `download_url`, sorted), else by name. Several
//! components with one key (the same library in two versions) are matched version by
//! version: equal versions are unchanged, the rest are paired in sorted order as changes,
//! and what is left over is added or removed.
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{ComponentInfo, SbomFacts};

/// A component in a diff.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffEntry {
    /// The match key: purl without version, or "name:<name>".
    pub key: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
}

/// A component whose version changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentChange {
    pub key: String,
    pub name: String,
    /// purl in the new SBOM (else the old one).
    pub purl: Option<String>,
    pub from_version: Option<String>,
    pub to_version: Option<String>,
}

/// A component (by key) whose licences differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceChange {
    pub key: String,
    pub name: String,
    pub purl: Option<String>,
    /// Licences in the old SBOM (sorted, distinct).
    pub from: Vec<String>,
    /// Licences in the new SBOM (sorted, distinct).
    pub to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SbomDiff {
    pub added: Vec<DiffEntry>,
    pub removed: Vec<DiffEntry>,
    pub changed: Vec<ComponentChange>,
    pub licence_changes: Vec<LicenceChange>,
    /// Components present in both with the same version.
    pub unchanged: usize,
}

impl SbomDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && self.licence_changes.is_empty()
    }
}

/// Compare two SBOMs: their components and their primary components.
pub fn diff(old: &SbomFacts, new: &SbomFacts) -> SbomDiff {
    let with_primary =
        |f: &SbomFacts| -> Vec<ComponentInfo> { f.primary_component.iter().chain(&f.components).cloned().collect() };
    diff_components(&with_primary(old), &with_primary(new))
}

/// The purl without its version: type/namespace/name, plus qualifiers (sorted) other than
/// `checksum` and `download_url`; no subpath.
pub(crate) fn purl_key(purl: &str) -> String {
    let p = purl.trim();
    let (p, _) = p.split_once('#').unwrap_or((p, ""));
    let (p, qualifiers) = p.split_once('?').unwrap_or((p, ""));
    // The version starts at the last '@' after the last '/' (a namespace may contain %40 but not '@').
    let cut = match (p.rfind('/'), p.rfind('@')) {
        (Some(slash), Some(at)) if at > slash => at,
        (None, Some(at)) => at,
        _ => p.len(),
    };
    let base = p.get(..cut).unwrap_or(p);
    let base = match base.split_once(':').and_then(|(scheme, rest)| rest.split_once('/').map(|(t, r)| (scheme, t, r))) {
        Some((scheme, t, rest)) => format!("{scheme}:{}/{rest}", t.to_ascii_lowercase()),
        None => base.to_string(),
    };
    let mut q: Vec<&str> = qualifiers
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let k = kv.split('=').next().unwrap_or_default().to_ascii_lowercase();
            k != "checksum" && k != "download_url"
        })
        .collect();
    q.sort_unstable();
    if q.is_empty() {
        base
    } else {
        format!("{base}?{}", q.join("&"))
    }
}

fn key(c: &ComponentInfo) -> String {
    match c.purl.as_deref().filter(|p| p.starts_with("pkg:")) {
        Some(p) => purl_key(p),
        None => format!("name:{}", c.name.trim()),
    }
}

fn entry(k: &str, c: &ComponentInfo) -> DiffEntry {
    DiffEntry { key: k.to_string(), name: c.name.clone(), version: c.version.clone(), purl: c.purl.clone() }
}

/// Compare two component lists.
pub fn diff_components(old: &[ComponentInfo], new: &[ComponentInfo]) -> SbomDiff {
    let group = |list: &[ComponentInfo]| {
        let mut m: BTreeMap<String, Vec<ComponentInfo>> = BTreeMap::new();
        for c in list {
            if c.name.trim().is_empty() && c.purl.is_none() {
                continue;
            }
            m.entry(key(c)).or_default().push(c.clone());
        }
        m
    };
    let old_m = group(old);
    let new_m = group(new);
    let mut out = SbomDiff::default();
    let keys: BTreeSet<&String> = old_m.keys().chain(new_m.keys()).collect();
    for k in keys {
        let empty = Vec::new();
        let o = old_m.get(k).unwrap_or(&empty);
        let n = new_m.get(k).unwrap_or(&empty);
        // Equal versions match; the rest pair up in sorted order.
        let mut o_rest: Vec<&ComponentInfo> = Vec::new();
        let mut n_rest: Vec<&ComponentInfo> = n.iter().collect();
        for c in o {
            if let Some(i) = n_rest.iter().position(|x| x.version == c.version) {
                n_rest.remove(i);
                out.unchanged += 1;
            } else {
                o_rest.push(c);
            }
        }
        o_rest.sort_by(|a, b| a.version.cmp(&b.version));
        n_rest.sort_by(|a, b| a.version.cmp(&b.version));
        let pairs = o_rest.len().min(n_rest.len());
        for (a, b) in o_rest.iter().zip(&n_rest) {
            out.changed.push(ComponentChange {
                key: k.clone(),
                name: b.name.clone(),
                purl: b.purl.clone().or_else(|| a.purl.clone()),
                from_version: a.version.clone(),
                to_version: b.version.clone(),
            });
        }
        out.removed.extend(o_rest.iter().skip(pairs).map(|c| entry(k, c)));
        out.added.extend(n_rest.iter().skip(pairs).map(|c| entry(k, c)));
        if !o.is_empty() && !n.is_empty() {
            let lic = |l: &[ComponentInfo]| -> Vec<String> {
                l.iter().flat_map(|c| c.licenses.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect()
            };
            let (from, to) = (lic(o), lic(n));
            if from != to {
                let last = n.last().or(o.last());
                out.licence_changes.push(LicenceChange {
                    key: k.clone(),
                    name: last.map(|c| c.name.clone()).unwrap_or_default(),
                    purl: last.and_then(|c| c.purl.clone()),
                    from,
                    to,
                });
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn c(name: &str, version: &str, purl: Option<&str>, lic: &[&str]) -> ComponentInfo {
        ComponentInfo {
            name: name.into(),
            version: Some(version.into()),
            purl: purl.map(Into::into),
            licenses: lic.iter().map(|x| x.to_string()).collect(),
            ..ComponentInfo::default()
        }
    }

    #[test]
    fn purl_keys() {
        assert_eq!(purl_key("pkg:npm/lodash@4.17.21"), "pkg:npm/lodash");
        assert_eq!(purl_key("pkg:npm/%40angular/core@17.0.0"), "pkg:npm/%40angular/core");
        assert_eq!(purl_key("pkg:Maven/org.apache/log4j@2.17.1?type=jar"), "pkg:maven/org.apache/log4j?type=jar");
        assert_eq!(
            purl_key("pkg:rpm/redhat/openssl@3.0.7-18.el9_2?repository_id=x&arch=src"),
            "pkg:rpm/redhat/openssl?arch=src&repository_id=x"
        );
        assert_eq!(
            purl_key("pkg:generic/openssl@3.0.7?download_url=https://x/openssl-3.0.7.tar.gz&checksum=SHA256:ab"),
            "pkg:generic/openssl"
        );
        assert_eq!(purl_key("pkg:golang/github.com/a/b@v1.2.3#sub/dir"), "pkg:golang/github.com/a/b");
        assert_eq!(purl_key("pkg:generic/noversion"), "pkg:generic/noversion");
    }

    #[test]
    fn known_differences() {
        let old = vec![
            c("lodash", "4.17.20", Some("pkg:npm/lodash@4.17.20"), &["MIT"]),
            c("left-pad", "1.3.0", Some("pkg:npm/left-pad@1.3.0"), &["WTFPL"]),
            c("react", "18.2.0", Some("pkg:npm/react@18.2.0"), &["MIT"]),
            c("busybox", "1.36", None, &["GPL-2.0-only"]),
            c("openssl", "1.1.1w", Some("pkg:generic/openssl@1.1.1w"), &["OpenSSL"]),
        ];
        let new = vec![
            c("lodash", "4.17.21", Some("pkg:npm/lodash@4.17.21"), &["MIT"]),
            c("react", "18.2.0", Some("pkg:npm/react@18.2.0"), &["MIT"]),
            c("busybox", "1.36", None, &["GPL-2.0-only"]),
            c("openssl", "3.0.7", Some("pkg:generic/openssl@3.0.7"), &["Apache-2.0"]),
            c("zlib", "1.3", Some("pkg:generic/zlib@1.3"), &["Zlib"]),
        ];
        let d = diff_components(&old, &new);
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].name, "zlib");
        assert_eq!(d.added[0].key, "pkg:generic/zlib");
        assert_eq!(d.removed.len(), 1);
        assert_eq!(d.removed[0].name, "left-pad");
        let changed: Vec<(&str, &str, &str)> = d
            .changed
            .iter()
            .map(|x| (x.name.as_str(), x.from_version.as_deref().unwrap(), x.to_version.as_deref().unwrap()))
            .collect();
        // Ordered by key.
        assert_eq!(changed, vec![("openssl", "1.1.1w", "3.0.7"), ("lodash", "4.17.20", "4.17.21")]);
        assert_eq!(d.changed[1].purl.as_deref(), Some("pkg:npm/lodash@4.17.21"));
        assert_eq!(d.licence_changes.len(), 1);
        assert_eq!(d.licence_changes[0].name, "openssl");
        assert_eq!(d.licence_changes[0].from, vec!["OpenSSL"]);
        assert_eq!(d.licence_changes[0].to, vec!["Apache-2.0"]);
        assert_eq!(d.unchanged, 2);
        assert!(!d.is_empty());
        assert!(diff_components(&new, &new).is_empty());
    }

    #[test]
    fn same_key_several_versions() {
        let old = vec![c("a", "1.0", Some("pkg:npm/a@1.0"), &[]), c("a", "2.0", Some("pkg:npm/a@2.0"), &[])];
        let new = vec![
            c("a", "2.0", Some("pkg:npm/a@2.0"), &[]),
            c("a", "3.0", Some("pkg:npm/a@3.0"), &[]),
            c("a", "4.0", Some("pkg:npm/a@4.0"), &[]),
        ];
        let d = diff_components(&old, &new);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(
            (d.changed[0].from_version.as_deref(), d.changed[0].to_version.as_deref()),
            (Some("1.0"), Some("3.0"))
        );
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].version.as_deref(), Some("4.0"));
        assert!(d.removed.is_empty());
    }

    #[test]
    fn facts_diff_includes_primary() {
        let old = SbomFacts {
            primary_component: Some(c("fw", "1.0", Some("pkg:generic/acme/fw@1.0"), &[])),
            components: vec![c("zlib", "1.2", None, &["Zlib"])],
            ..SbomFacts::default()
        };
        let new = SbomFacts {
            primary_component: Some(c("fw", "1.1", Some("pkg:generic/acme/fw@1.1"), &[])),
            components: vec![c("zlib", "1.2", None, &["Zlib"])],
            ..SbomFacts::default()
        };
        let d = diff(&old, &new);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].name, "fw");
        assert_eq!(d.unchanged, 1);
    }
}
