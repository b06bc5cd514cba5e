//! What customer reads look up about an artifact, taken from its facts once, when it is recorded
//! (or its facts are recomputed), instead of parsing every document's facts per request: an SBOM's
//! primary component identity (TEA identifiers and discovery) on the artifact row, and a CSAF
//! document's index row (`csaf_documents`: the provider's `index.txt`, `changes.csv`, ROLIE feeds).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};

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
