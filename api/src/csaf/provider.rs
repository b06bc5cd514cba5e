//! The CSAF 2.0 provider view (§7.1) of a portal's published CSAF documents: which file each
//! document becomes, and the index, changes, ROLIE and listing documents around them.
//!
//! Nothing here is stored: every file is derived from one read of the database, so an index never
//! names a file that is missing, and a withdrawn advisory leaves every index and feed at once.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

use diesel::prelude::*;

use super::documents::*;
use crate::artifacts::index::CsafDocument;
pub use crate::artifacts::index::{file_name, Folder};
use crate::domain::Tlp;

/// The CSAF 2.0 JSON schema every served document conforms to (ROLIE `format.schema`).
pub const CSAF_SCHEMA: &str = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json";
/// ROLIE category scheme for the information type (CSAF 2.0 §7.1.15).
pub const ROLIE_INFORMATION_TYPE: &str = "urn:ietf:params:rolie:category:information-type";

/// One published CSAF document as the provider distributes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub artifact_id: String,
    pub product_id: String,
    pub version_id: String,
    pub kind: String,
    /// The document's label, and the folder it is filed in.
    pub label: Tlp,
    pub tlp: Folder,
    /// `YYYY` of `/document/tracking/initial_release_date`.
    pub year: String,
    /// `<name>.json` (§7.1.9 file name rule).
    pub file: String,
    pub sha256: String,
    pub sha512: String,
    pub size: i64,
    pub tracking_id: String,
    pub title: String,
    pub initial_release: DateTime<Utc>,
    pub current_release: DateTime<Utc>,
    pub published_at: NaiveDateTime,
    pub publisher: Option<(String, String, String)>,
    pub products: Vec<String>,
}

impl Entry {
    /// Path relative to the TLP folder, as index.txt and changes.csv name it.
    pub fn relative(&self) -> String {
        format!("{}/{}", self.year, self.file)
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` (fractions kept when present), always UTC.
pub fn stamp(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// What the provider needs of a CSAF document's artifact row besides its index row.
#[derive(Debug, Clone, Queryable)]
pub struct EntryArtifact {
    pub id: String,
    pub product_id: String,
    pub version_id: String,
    pub kind: crate::artifacts::model::ArtifactKind,
    pub sha256: String,
    pub sha512: String,
    pub size: i64,
    pub published_at: Option<NaiveDateTime>,
    pub tlp: Option<Tlp>,
}

/// The distributed file of a CSAF document, labelled `label` for the reader.
pub fn entry(label: Tlp, a: EntryArtifact, doc: &CsafDocument) -> Entry {
    let initial = doc.initial_release.and_utc();
    Entry {
        artifact_id: a.id,
        product_id: a.product_id,
        version_id: a.version_id,
        kind: a.kind.as_str().into(),
        label,
        tlp: Folder::of(label),
        year: initial.format("%Y").to_string(),
        file: file_name(&doc.tracking_id),
        sha256: a.sha256,
        sha512: a.sha512,
        size: a.size,
        title: doc.title.clone(),
        tracking_id: doc.tracking_id.clone(),
        initial_release: initial,
        current_release: doc.current_release.and_utc(),
        published_at: a.published_at.unwrap_or(doc.initial_release),
        publisher: doc.publisher(),
        products: doc.purl_list(),
    }
}

/// `tracking.id`), the newest revision wins. Result sorted newest `current_release_date` first.
pub fn distinct(entries: Vec<Entry>) -> Vec<Entry> {
    let mut by_path: BTreeMap<(Folder, String), Entry> = BTreeMap::new();
    for e in entries {
        let key = (e.tlp, e.relative());
        match by_path.get(&key) {
            Some(old) if (old.current_release, old.published_at) >= (e.current_release, e.published_at) => {}
            _ => {
                by_path.insert(key, e);
            }
        }
    }
    let mut out: Vec<Entry> = by_path.into_values().collect();
    out.sort_by(|a, b| {
        (b.current_release, b.published_at, &b.artifact_id).cmp(&(a.current_release, a.published_at, &a.artifact_id))
    });
    out
}

/// URLs of one portal's provider, from its base (`…/api/v1/portal/<slug>/csaf`).
#[derive(Debug, Clone)]
pub struct Urls {
    pub base: String,
}

impl Urls {
    pub fn metadata(&self) -> String {
        format!("{}/provider-metadata.json", self.base)
    }
    pub fn folder(&self, tlp: Folder) -> String {
        format!("{}/{}/", self.base, tlp.folder())
    }
    pub fn feed(&self, tlp: Folder) -> String {
        format!("{}/{}/csaf-feed-tlp-{}.json", self.base, tlp.folder(), tlp.folder())
    }
    pub fn category(&self, tlp: Folder) -> String {
        format!("{}/{}/category-tlp-{}.json", self.base, tlp.folder(), tlp.folder())
    }
    pub fn service(&self) -> String {
        format!("{}/service.json", self.base)
    }
    pub fn document(&self, e: &Entry) -> String {
        format!("{}{}", self.folder(e.tlp), e.relative())
    }
    pub fn key(&self, fingerprint: &str) -> String {
        format!("{}/openpgp/{fingerprint}.asc", self.base)
    }
}

/// A public OpenPGP key listed in the metadata.
#[derive(Debug, Clone)]
pub struct PublishedKey {
    pub fingerprint: String,
}

/// What provider-metadata.json says about the publisher and its listing wishes.
pub struct MetadataInput<'a> {
    pub canonical_url: String,
    pub urls: &'a Urls,
    pub publisher: super::publisher::Publisher,
    pub public_portal: bool,
    pub tlps: &'a [Folder],
    pub keys: &'a [PublishedKey],
    pub last_updated: DateTime<Utc>,
}

/// provider-metadata.json (CSAF 2.0 §7.2.1, role `csaf_trusted_provider`).
pub fn metadata(m: &MetadataInput) -> ProviderMetadata {
    let distributions = m
        .tlps
        .iter()
        .map(|t| Distribution {
            directory_url: m.urls.folder(*t),
            rolie: RolieRefs {
                categories: vec![m.urls.category(*t)],
                feeds: vec![FeedRef {
                    summary: format!("{} CSAF documents (TLP:{})", m.publisher.name, t.tlp_label()),
                    tlp_label: t.tlp_label().into(),
                    url: m.urls.feed(*t),
                }],
                services: vec![m.urls.service()],
            },
        })
        .collect();
    ProviderMetadata {
        canonical_url: m.canonical_url.clone(),
        distributions,
        last_updated: stamp(m.last_updated),
        // A private portal's documents are for its customers only: aggregators must not list or mirror them.
        list_on_csaf_aggregators: m.public_portal,
        metadata_version: "2.0".into(),
        mirror_on_csaf_aggregators: m.public_portal,
        public_openpgp_keys: m
            .keys
            .iter()
            .map(|k| PublicKeyRef { fingerprint: k.fingerprint.clone(), url: m.urls.key(&k.fingerprint) })
            .collect(),
        publisher: m.publisher.doc(),
        role: "csaf_trusted_provider".into(),
    }
}

/// index.txt: every document's path relative to the folder, one per line.
pub fn index_txt(entries: &[Entry]) -> String {
    let mut paths: Vec<String> = entries.iter().map(Entry::relative).collect();
    paths.sort();
    paths.iter().map(|p| format!("{p}\n")).collect()
}

/// changes.csv: `"<path>","<current_release_date>"`, newest first (entries come sorted).
pub fn changes_csv(entries: &[Entry]) -> String {
    entries.iter().map(|e| format!("\"{}\",\"{}\"\n", e.relative(), stamp(e.current_release))).collect()
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An HTML listing of a folder with a link to every file in it (§7.1.14).
pub fn listing_html(title: &str, files: &[String]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><h1>{t}</h1>\n<ul>\n",
        t = escape_html(title)
    );
    for f in files {
        let f = escape_html(f);
        out.push_str(&format!("<li><a href=\"{f}\">{f}</a></li>\n"));
    }
    out.push_str("</ul>\n</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(id: &str, tracking: &str, current: &str) -> Entry {
        let facts = json!({"advisory": {"tracking_id": tracking, "title": "T", "initial_release_date": "2024-12-31T23:59:59Z",
            "current_release_date": current, "tlp_label": "WHITE"}});
        let at = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let doc = crate::artifacts::index::csaf_document(id, "o", &facts, at).unwrap();
        let a = EntryArtifact {
            id: id.into(),
            product_id: "p".into(),
            version_id: "v".into(),
            kind: crate::artifacts::model::ArtifactKind::Advisory,
            sha256: "00".into(),
            sha512: "11".into(),
            size: 1,
            published_at: Some(at),
            tlp: None,
        };
        super::entry(Tlp::Clear, a, &doc)
    }

    #[test]
    fn newest_revision_wins_and_changes_are_newest_first() {
        let list = distinct(vec![
            entry("a", "ACME-1", "2025-01-01T00:00:00Z"),
            entry("b", "ACME-1", "2025-02-01T00:00:00Z"),
            entry("c", "ACME-2", "2025-01-15T00:00:00+02:00"),
        ]);
        assert_eq!(list.iter().map(|e| e.artifact_id.as_str()).collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(list[0].year, "2024", "the year comes from the initial release date");
        assert_eq!(index_txt(&list), "2024/acme-1.json\n2024/acme-2.json\n");
        assert_eq!(
            changes_csv(&list),
            "\"2024/acme-1.json\",\"2025-02-01T00:00:00Z\"\n\"2024/acme-2.json\",\"2025-01-14T22:00:00Z\"\n"
        );
    }

    #[test]
    fn large_feeds_are_paged_and_linked() {
        let list: Vec<Entry> =
            (0..2500).map(|n| entry(&format!("a{n}"), &format!("ACME-{n}"), "2025-01-01T00:00:00Z")).collect();
        let urls = Urls { base: "https://p.example/api/v1/portal/acme/csaf".into() };
        let at = chrono::Utc::now();
        let links = |page: usize| {
            let doc = super::super::documents::rolie_feed(&urls, "ACME", Folder::White, &list, at, page).unwrap();
            let rels: Vec<(String, String)> = doc.feed.link.iter().map(|l| (l.rel.clone(), l.href.clone())).collect();
            (doc.feed.entry.len(), rels)
        };
        let (n, rels) = links(1);
        assert_eq!(n, 1000);
        assert!(rels.iter().any(|(r, h)| r == "next" && h.ends_with("csaf-feed-tlp-white.json?page=2")), "{rels:?}");
        let (n, rels) = links(3);
        assert_eq!(n, 500);
        assert!(rels.iter().all(|(r, _)| r != "next"), "the last page links no further");
        assert!(rels.iter().any(|(r, h)| r == "previous" && h.ends_with("?page=2")), "{rels:?}");
        assert!(super::super::documents::rolie_feed(&urls, "ACME", Folder::White, &list, at, 4).is_err());
        assert!(
            super::super::documents::rolie_feed(&urls, "ACME", Folder::White, &[], at, 1).is_ok(),
            "an empty feed has one page"
        );
    }
}
