//! What customer reads look up about an artifact, taken from its facts once, when it is recorded
//! (or its facts are recomputed), instead of parsing every document's facts per request: an SBOM's
//! primary component identity (TEA identifiers and discovery) on the artifact row, and a CSAF
//! document's index row (`csaf_documents`: the provider's `index.txt`, `changes.csv`, ROLIE feeds),
//! and where the provider files a document (its TLP folder and file name), which the portal's and
//! the console's artifact views link to as well.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::{schema::*, DbConnection};
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};

/// A TLP folder as CSAF 2.0 names it (`white`, …), from which documents of that label are
/// distributed. Who may read a folder is the disclosure rule's answer for its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Folder {
    White,
    Green,
    Amber,
    Red,
    /// No `/document/distribution/tlp/label`: treated as restricted (never public by accident).
    Unlabeled,
}

impl Folder {
    pub const ALL: [Folder; 5] = [Folder::White, Folder::Green, Folder::Amber, Folder::Red, Folder::Unlabeled];

    /// The folder of a label; TLP 2.0's CLEAR is CSAF 2.0's WHITE, AMBER+STRICT is filed
    /// under AMBER (and readable only with an AMBER+STRICT clearance).
    pub fn of(label: Tlp) -> Folder {
        match label {
            Tlp::Clear => Folder::White,
            Tlp::Green => Folder::Green,
            Tlp::Amber | Tlp::AmberStrict => Folder::Amber,
            Tlp::Red => Folder::Red,
            Tlp::Unlabeled => Folder::Unlabeled,
        }
    }

    /// The least restrictive label filed in this folder (what a reader needs to open it).
    pub fn label(self) -> Tlp {
        match self {
            Folder::White => Tlp::Clear,
            Folder::Green => Tlp::Green,
            Folder::Amber => Tlp::Amber,
            Folder::Red => Tlp::Red,
            Folder::Unlabeled => Tlp::Unlabeled,
        }
    }

    pub fn folder(self) -> &'static str {
        match self {
            Folder::White => "white",
            Folder::Green => "green",
            Folder::Amber => "amber",
            Folder::Red => "red",
            Folder::Unlabeled => "unlabeled",
        }
    }

    /// The `tlp_label` of provider-metadata.json.
    pub fn tlp_label(self) -> &'static str {
        match self {
            Folder::White => "WHITE",
            Folder::Green => "GREEN",
            Folder::Amber => "AMBER",
            Folder::Red => "RED",
            Folder::Unlabeled => "UNLABELED",
        }
    }

    pub fn from_folder(s: &str) -> Option<Folder> {
        Folder::ALL.into_iter().find(|t| t.folder() == s)
    }
}

/// The file name rule of CSAF 2.0 §5.1: `tracking.id` lowercased, every run of characters outside
/// `[+\-a-z0-9]` replaced by one `_`, then `.json`.
pub fn file_name(tracking_id: &str) -> String {
    let mut out = String::with_capacity(tracking_id.len() + 5);
    let mut in_run = false;
    for c in tracking_id.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out.push_str(".json");
    out
}

/// Where a portal's CSAF provider lives, relative to the origin: `/api/v1/portal/<slug>/csaf`.
pub fn provider_base(slug: &str) -> String {
    format!("/api/v1/portal/{slug}/csaf")
}

/// Where the provider files a document, relative to its base (CSAF 2.0 §7.1.11):
/// `<tlp folder>/<YYYY of the initial release>/<file name>`.
pub fn provider_path(label: Tlp, initial: DateTime<Utc>, tracking_id: &str) -> String {
    format!("{}/{}/{}", Folder::of(label).folder(), initial.format("%Y"), file_name(tracking_id))
}

/// A CSAF document as the provider's indexes list it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = csaf_documents)]
pub struct CsafDocument {
    pub artifact_id: String,
    pub org_id: String,
    pub tracking_id: String,
    pub title: String,
    pub initial_release: NaiveDateTime,
    pub current_release: NaiveDateTime,
    pub publisher_category: Option<String>,
    pub publisher_name: Option<String>,
    pub publisher_namespace: Option<String>,
    /// Product purls, one per line.
    pub purls: String,
}

impl CsafDocument {
    /// Where the CSAF provider of portal `slug` serves this document when it carries `label`
    /// (relative to the origin); its `.asc`, `.sha256` and `.sha512` sit beside it.
    pub fn provider_url(&self, slug: &str, label: Tlp) -> String {
        format!("{}/{}", provider_base(slug), provider_path(label, self.initial_release.and_utc(), &self.tracking_id))
    }

    pub fn publisher(&self) -> Option<(String, String, String)> {
        match (&self.publisher_name, &self.publisher_namespace) {
            (Some(n), Some(ns)) => Some((self.publisher_category.clone().unwrap_or_default(), n.clone(), ns.clone())),
            _ => None,
        }
    }

    pub fn purl_list(&self) -> Vec<String> {
        self.purls.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
    }
}

/// `YYYY-MM-DDThh:mm:ss…` with an offset, as CSAF writes dates.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|d| d.with_timezone(&Utc))
}

/// The index row of a CSAF document from its facts; `None` when they are not a CSAF document's
/// (no tracking id). Missing dates fall back to `fallback` (when it was recorded).
pub fn csaf_document(artifact_id: &str, org_id: &str, facts: &Value, fallback: NaiveDateTime) -> Option<CsafDocument> {
    let adv = facts.get("advisory")?;
    let text = |k: &str| adv.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let tracking_id = text("tracking_id");
    if tracking_id.is_empty() {
        return None;
    }
    let initial = parse_date(&text("initial_release_date")).map(|d| d.naive_utc()).unwrap_or(fallback);
    let current = parse_date(&text("current_release_date")).map(|d| d.naive_utc()).unwrap_or(initial);
    let (name, namespace) = (text("publisher_name"), text("publisher_namespace"));
    let (name, namespace) =
        if name.is_empty() || namespace.is_empty() { (None, None) } else { (Some(name), Some(namespace)) };
    let purls: Vec<&str> = adv
        .get("purls")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    Some(CsafDocument {
        artifact_id: artifact_id.into(),
        org_id: org_id.into(),
        tracking_id,
        title: text("title"),
        initial_release: initial,
        current_release: current,
        publisher_category: adv.get("publisher_category").and_then(Value::as_str).map(str::to_string),
        publisher_name: name,
        publisher_namespace: namespace,
        purls: purls.join("\n"),
    })
}

/// A purl without its version, qualifiers and subpath: the product as a whole.
pub fn unversioned_purl(purl: &str) -> String {
    let base = purl.split(['?', '#']).next().unwrap_or(purl);
    match base.rfind('@') {
        Some(at) if at > base.rfind('/').unwrap_or(0) => base[..at].to_string(),
        _ => base.to_string(),
    }
}

/// An SBOM's primary component: (purl, purl without version, CPE).
pub fn sbom_identity(facts: &Value) -> (Option<String>, Option<String>, Option<String>) {
    let c = &facts["sbom"]["primary_component"];
    let s = |k: &str| c.get(k).and_then(Value::as_str).filter(|v| !v.is_empty()).map(str::to_string);
    let purl = s("purl");
    let base = purl.as_deref().map(unversioned_purl);
    (purl, base, s("cpe"))
}

/// Writes what reads look up about one artifact from its stored facts.
pub fn record(conn: &mut DbConnection, artifact_id: &str) -> ApiResult<()> {
    let (org_id, facts, uploaded_at): (String, String, NaiveDateTime) = artifacts::table
        .find(artifact_id)
        .select((artifacts::org_id, artifacts::facts, artifacts::uploaded_at))
        .first(conn)?;
    let facts: Value = serde_json::from_str(&facts)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("artifact {artifact_id} has unreadable facts: {e}")))?;
    let (purl, base, cpe) = sbom_identity(&facts);
    if purl.is_some() || cpe.is_some() {
        diesel::update(artifacts::table.find(artifact_id))
            .set((artifacts::sbom_purl.eq(purl), artifacts::sbom_purl_base.eq(base), artifacts::sbom_cpe.eq(cpe)))
            .execute(conn)?;
    }
    diesel::delete(csaf_documents::table.find(artifact_id)).execute(conn)?;
    if let Some(doc) = csaf_document(artifact_id, &org_id, &facts, uploaded_at) {
        diesel::insert_into(csaf_documents::table).values(&doc).execute(conn)?;
    }
    Ok(())
}

/// Indexes every artifact recorded before the index existed (run once, when its migration is applied).
pub fn backfill(conn: &mut DbConnection) -> ApiResult<usize> {
    let ids: Vec<String> = artifacts::table.select(artifacts::id).load(conn)?;
    for id in &ids {
        record(conn, id)?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_the_spec() {
        assert_eq!(file_name("ACME-2024-001"), "acme-2024-001.json");
        assert_eq!(file_name("Example Company - 2019-YH3234"), "example_company_-_2019-yh3234.json");
        assert_eq!(file_name("RHBA-2019:0024"), "rhba-2019_0024.json");
        assert_eq!(file_name("a//b..c+d"), "a_b_c+d.json");
    }

    #[test]
    fn tlp_folders() {
        assert_eq!(Folder::of(Tlp::Clear), Folder::White);
        assert_eq!(Folder::of(Tlp::AmberStrict), Folder::Amber);
        assert_eq!(Folder::of(Tlp::Unlabeled), Folder::Unlabeled);
        assert_eq!(Folder::from_folder("red"), Some(Folder::Red));
        assert_eq!(Folder::from_folder("RED"), None);
    }

    #[test]
    fn purls_lose_their_version() {
        assert_eq!(unversioned_purl("pkg:generic/acme/router@4.2.0?arch=arm"), "pkg:generic/acme/router");
        assert_eq!(unversioned_purl("pkg:npm/%40scope/x@1.0"), "pkg:npm/%40scope/x");
        assert_eq!(unversioned_purl("pkg:generic/acme/router"), "pkg:generic/acme/router");
    }

    #[test]
    fn csaf_rows_need_a_tracking_id() {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap().naive_utc();
        let facts = serde_json::json!({"advisory": {"tracking_id": "ACME-1", "title": "T",
            "initial_release_date": "2024-01-02T03:04:05+01:00", "purls": ["pkg:a/b@1", "pkg:c/d@2"],
            "publisher_name": "Acme", "publisher_namespace": "https://acme.example"}});
        let row = csaf_document("a1", "o1", &facts, at).unwrap();
        assert_eq!(row.initial_release.to_string(), "2024-01-02 02:04:05");
        assert_eq!(row.current_release, row.initial_release);
        assert_eq!(row.purl_list(), vec!["pkg:a/b@1", "pkg:c/d@2"]);
        assert_eq!(row.publisher().unwrap().1, "Acme");
        assert!(csaf_document("a2", "o1", &serde_json::json!({"advisory": {}}), at).is_none());
    }
}
