//! CSAF 2.0 trusted provider (OASIS CSAF 2.0 §7.1–7.3) for every enabled portal: provider
//! metadata, a directory and a ROLIE feed per TLP label, hashes and OpenPGP signatures.
//!
//! Access (requirement 4/5): TLP:WHITE documents of a public portal are open to everyone; every
//! other label, and every document of a private portal, needs a customer access token (Bearer),
//! the same one the UI and the REST API take. The discovery documents (metadata, keys, service)
//! are public so tools can find where to authenticate.

pub mod provider;
pub mod routes;
pub mod signing;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::portal::settings::Portal;
use provider::{Entry, Tlp};

/// Published CSAF documents (advisories and CSAF VEX) of the portal's visible products, limited
/// to `scope` (a token's products) when given. One entry per distributed file.
pub fn entries(conn: &mut DbConnection, portal: &Portal, scope: Option<&[String]>) -> ApiResult<Vec<Entry>> {
    let mut q = artifacts::table
        .inner_join(products::table.on(products::id.eq(artifacts::product_id)))
        .filter(artifacts::org_id.eq(&portal.org_id))
        .filter(artifacts::status.eq("published"))
        .filter(artifacts::format.like("csaf%"))
        .filter(products::portal_visible.eq(true))
        .into_boxed();
    if let Some(scope) = scope {
        q = q.filter(products::id.eq_any(scope.to_vec()));
    }
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, String, String, String, String, i64, Option<chrono::NaiveDateTime>, String)> = q
        .select((
            artifacts::id,
            artifacts::product_id,
            artifacts::version_id,
            artifacts::kind,
            artifacts::sha256,
            artifacts::sha512,
            artifacts::size,
            artifacts::published_at,
            artifacts::facts,
        ))
        .load(conn)?;
    let list = rows
        .into_iter()
        .filter_map(|(id, product, version, kind, sha256, sha512, size, published, facts)| {
            let facts: serde_json::Value = serde_json::from_str(&facts).ok()?;
            provider::entry_from_facts(
                &id,
                &product,
                &version,
                &kind,
                &sha256,
                &sha512,
                size,
                published.unwrap_or_default(),
                &facts,
            )
        })
        .collect();
    Ok(provider::distinct(list))
}

/// The TLP folders a portal's metadata lists: WHITE always (aggregators expect it), plus every
/// label that has documents.
pub fn folders(entries: &[Entry]) -> Vec<Tlp> {
    let mut set: BTreeSet<Tlp> = entries.iter().map(|e| e.tlp).collect();
    set.insert(Tlp::White);
    set.into_iter().collect()
}

/// When anything the provider serves last changed: a CSAF publication or withdrawal, a portal
/// settings change, or a signing key.
pub fn last_updated(conn: &mut DbConnection, portal: &Portal) -> ApiResult<DateTime<Utc>> {
    let (published, withdrawn): (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>) = artifacts::table
        .filter(artifacts::org_id.eq(&portal.org_id))
        .filter(artifacts::format.like("csaf%"))
        .select((diesel::dsl::max(artifacts::published_at), diesel::dsl::max(artifacts::withdrawn_at)))
        .first(conn)?;
    let key: Option<chrono::NaiveDateTime> = signing_keys::table
        .filter(signing_keys::org_id.eq(&portal.org_id))
        .select(diesel::dsl::max(signing_keys::created_at))
        .first(conn)?;
    let newest = [published, withdrawn, key, Some(portal.updated_at)].into_iter().flatten().max();
    Ok(newest.unwrap_or(portal.updated_at).and_utc())
}

/// Product names of the entries, for the ROLIE category documents.
pub fn product_names(conn: &mut DbConnection, entries: &[Entry]) -> ApiResult<BTreeSet<String>> {
    let ids: Vec<String> = entries.iter().map(|e| e.product_id.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let names: Vec<String> = products::table.filter(products::id.eq_any(ids)).select(products::name).load(conn)?;
    Ok(names.into_iter().collect())
}
