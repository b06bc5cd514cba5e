//! What the CSAF provider's files say, for a reader: the provider base URLs, the metadata
//! document, the TLP folders a reader may open and their entries (by the disclosure rule, through
//! `csaf::entries`). The HTTP side is `routes.rs`.

use std::sync::Arc;

use super::documents::ProviderMetadata;
use super::provider::{self, Entry, Folder, Urls};
use super::publisher::Publisher;
use super::signing;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::portal::reader::PortalReader;
use crate::state::AppState;

/// What a document path resolves to.
pub enum Served {
    Text(&'static str, String),
    Document(Box<Entry>),
}

/// The provider base of a portal: `<origin>/api/v1/portal/<slug>/csaf`.
pub fn urls(origin: &str, slug: &str) -> Urls {
    Urls { base: format!("{origin}{}", crate::artifacts::index::provider_base(slug)) }
}

/// provider-metadata.json for a portal as `r` may read it, with `canonical_url` the address it
/// was asked for.
pub fn metadata_document(
    conn: &mut DbConnection,
    st: &AppState,
    r: &PortalReader,
    origin: &str,
    canonical_url: String,
) -> ApiResult<ProviderMetadata> {
    let portal = &r.portal;
    let urls = urls(origin, &portal.slug);
    let by_folder = super::by_folder(conn, &r.audience)?;
    let active = signing::ensure_active(conn, st, portal)?;
    let mut keys = vec![provider::PublishedKey { fingerprint: active.fingerprint.clone() }];
    keys.extend(
        signing::published_keys(conn, &portal.org_id)?
            .into_iter()
            .filter(|k| k.id != active.id)
            .map(|k| provider::PublishedKey { fingerprint: k.fingerprint }),
    );
    Ok(provider::metadata(&provider::MetadataInput {
        canonical_url,
        urls: &urls,
        publisher: Publisher::of(portal, origin),
        public_portal: portal.is_public(),
        tlps: &super::folders(&r.audience, by_folder.keys().copied()),
        keys: &keys,
        last_updated: super::last_updated(conn, portal)?,
    }))
}

pub fn tlp_of(folder: &str) -> ApiResult<Folder> {
    Folder::from_folder(folder)
        .ok_or_else(|| ApiError::NotFound(format!("no TLP folder `{folder}` (white, green, amber, red or unlabeled)")))
}

/// A folder the reader may not open answers 401 (anonymous: a token would help) or 403 (the
/// token's clearance is below the folder's label), by the disclosure rule.
pub fn authorize(r: &PortalReader, tlp: Folder) -> ApiResult<()> {
    match r.audience.label_error(tlp.label()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The entries of one TLP folder the reader may see.
pub fn folder_entries(conn: &mut DbConnection, r: &PortalReader, tlp: Folder) -> ApiResult<Arc<super::FolderEntries>> {
    Ok(super::by_folder(conn, &r.audience)?.get(&tlp).cloned().unwrap_or_default())
}
