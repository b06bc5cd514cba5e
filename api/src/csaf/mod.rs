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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock, OnceLock};

use bytes::Bytes;

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

/// A reader's CSAF documents by TLP folder.
pub type ByFolder = Arc<BTreeMap<Folder, Arc<FolderEntries>>>;

/// One TLP folder's documents as a reader sees them, newest first, with its index files
/// rendered once (they are a page of text per thousand documents).
#[derive(Debug, Default)]
pub struct FolderEntries {
    entries: Vec<Entry>,
    index: OnceLock<Bytes>,
    changes: OnceLock<Bytes>,
}

impl FolderEntries {
    pub fn new(entries: Vec<Entry>) -> FolderEntries {
        FolderEntries { entries, ..Default::default() }
    }

    /// index.txt (§7.1.13).
    pub fn index_txt(&self) -> Bytes {
        self.index.get_or_init(|| provider::index_txt(&self.entries).into()).clone()
    }

    /// changes.csv (§7.1.14).
    pub fn changes_csv(&self) -> Bytes {
        self.changes.get_or_init(|| provider::changes_csv(&self.entries).into()).clone()
    }
}

impl std::ops::Deref for FolderEntries {
    type Target = [Entry];

    fn deref(&self) -> &[Entry] {
        &self.entries
    }
}

/// How many entries the cache below holds at most, over all readers.
const ENTRY_BUDGET: u64 = 500_000;

/// Every reader's documents, kept per (organisation, catalogue generation, audience): the index
/// files, feeds and listings are built from it instead of querying every document per request.
/// The generation moves with every write to what customers see (database triggers, migration 17),
/// so an entry is never served stale, on any replica; old generations age out by weight.
static ENTRIES: LazyLock<moka::sync::Cache<(String, i64, String), ByFolder>> = LazyLock::new(|| {
    moka::sync::Cache::builder()
        .weigher(|_, v: &ByFolder| v.values().map(|l| l.len()).sum::<usize>().try_into().unwrap_or(u32::MAX).max(1))
        .max_capacity(ENTRY_BUDGET)
        .build()
});

/// [`last_updated`] per (organisation, catalogue generation): signing keys, portal settings and
/// CSAF documents all move the generation.
static LAST_UPDATED: LazyLock<moka::sync::Cache<(String, i64), DateTime<Utc>>> =
    LazyLock::new(|| moka::sync::Cache::new(10_000));

/// The reader's documents by folder (see [`ENTRIES`]).
pub fn by_folder(conn: &mut DbConnection, audience: &Audience) -> ApiResult<ByFolder> {
    let generation = disclosure::generation(conn, &audience.org_id)?;
    let key = (audience.org_id.clone(), generation, audience.fingerprint());
    if let Some(hit) = ENTRIES.get(&key) {
        return Ok(hit);
    }
    let mut map: BTreeMap<Folder, Vec<Entry>> = BTreeMap::new();
    for e in entries(conn, audience)? {
        map.entry(e.tlp).or_default().push(e);
    }
    let value: ByFolder = Arc::new(map.into_iter().map(|(k, v)| (k, Arc::new(FolderEntries::new(v)))).collect());
    ENTRIES.insert(key, value.clone());
    Ok(value)
}

/// The TLP folders a reader's metadata lists: WHITE always (aggregators expect it), plus every
/// folder the reader may open that holds documents it may see.
pub fn folders(audience: &Audience, present: impl Iterator<Item = Folder>) -> Vec<Folder> {
    let mut set: BTreeSet<Folder> = present.filter(|f| audience.may_read(f.label())).collect();
    set.insert(Folder::White);
    set.into_iter().collect()
}

/// When anything the provider serves last changed: a CSAF publication or withdrawal, a portal
/// settings change, or a signing key.
pub fn last_updated(conn: &mut DbConnection, portal: &Portal) -> ApiResult<DateTime<Utc>> {
    let key = (portal.org_id.to_string(), disclosure::generation(conn, &portal.org_id)?);
    if let Some(hit) = LAST_UPDATED.get(&key) {
        return Ok(hit);
    }
    let value = last_updated_now(conn, portal)?;
    LAST_UPDATED.insert(key, value);
    Ok(value)
}

fn last_updated_now(conn: &mut DbConnection, portal: &Portal) -> ApiResult<DateTime<Utc>> {
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
