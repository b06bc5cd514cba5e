//! CSAF 2.0 trusted provider (OASIS CSAF 2.0 §7.1–7.3) for every enabled portal: provider
//! metadata, a directory and a ROLIE feed per TLP label, hashes and OpenPGP signatures.
//!
//! Access (requirement 4/5) is the disclosure rule's ([`crate::disclosure`]): anonymous readers of
//! a public portal get TLP:CLEAR (WHITE), customer access tokens (Bearer, the same the UI and the
//! REST API take) what their clearance allows. The discovery documents (metadata, keys, service)
//! answer everyone, listing the distributions the caller may read.

pub mod admin_routes;
pub mod documents;
pub mod provider;
pub mod publisher;
pub mod routes;
pub mod service;
pub mod signing;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::artifacts::index::CsafDocument;
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery, Audience};
use crate::error::ApiResult;
use crate::portal::settings::Portal;
use provider::{Entry, EntryArtifact, Folder};

/// The published CSAF documents (advisories and CSAF VEX) the reader may see, by the disclosure
/// rule. One entry per distributed file.
pub fn entries(conn: &mut DbConnection, audience: &Audience) -> ApiResult<Vec<Entry>> {
    let visible = disclosure::visible_artifacts(audience, artifacts::table.select(artifacts::id).into_boxed());
    let rows: Vec<(EntryArtifact, CsafDocument)> = artifacts::table
        .inner_join(csaf_documents::table)
        .filter(in_subquery(artifacts::id, visible))
        .filter(artifacts::format.like("csaf%"))
        .select((
            (
                artifacts::id,
                artifacts::product_id,
                artifacts::version_id,
                artifacts::kind,
                artifacts::sha256,
                artifacts::sha512,
                artifacts::size,
                artifacts::published_at,
                artifacts::tlp,
            ),
            CsafDocument::as_select(),
        ))
        .load(conn)?;
    let list = rows.into_iter().map(|(a, doc)| provider::entry(audience.effective(a.tlp), a, &doc)).collect();
    Ok(provider::distinct(list))
}

/// The TLP folders a reader's metadata lists: WHITE always (aggregators expect it), plus every
/// folder the reader may open that holds documents it may see.
pub fn folders(audience: &Audience, entries: &[Entry]) -> Vec<Folder> {
    let mut set: BTreeSet<Folder> = entries.iter().map(|e| e.tlp).filter(|f| audience.may_read(f.label())).collect();
    set.insert(Folder::White);
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
