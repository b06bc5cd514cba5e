//! Garbage collection of the blob store: blobs no row references any more (rejected uploads,
//! replaced logos) and temp files of interrupted uploads are removed once older than a grace
//! period; a referenced blob never is. `supplier-portal gc` runs it by hand, every server
//! process periodically (`PORTAL_GC_INTERVAL_HOURS`), safely side by side: each removal is of a
//! file nobody references, and a blob stored again is young again.
//!
//! The order makes it safe against uploads in flight: the store is listed first, the references
//! are read after, so a blob written and referenced in between is either young (within the grace
//! period) or already referenced when the references are read.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use diesel::prelude::*;
use serde::Serialize;

use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::storage::BlobBackend;

/// What a collection found and did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct GcReport {
    pub blobs: usize,
    pub referenced: usize,
    /// Unreferenced but within the grace period (kept).
    pub young: usize,
    pub removed: usize,
    pub bytes_freed: u64,
    pub temp_files_removed: usize,
}

/// Every blob the database references.
fn references(conn: &mut DbConnection) -> ApiResult<HashSet<String>> {
    let mut keys: HashSet<String> =
        artifacts::table.select(artifacts::sha256).distinct().load(conn)?.into_iter().collect();
    keys.extend(
        portals::table
            .filter(portals::logo_sha256.is_not_null())
            .select(portals::logo_sha256.assume_not_null())
            .load::<String>(conn)?,
    );
    Ok(keys)
}

/// One collection with the given grace period.
pub fn collect(conn: &mut DbConnection, store: &dyn BlobBackend, grace: Duration) -> ApiResult<GcReport> {
    let listed = store.list().map_err(|e| ApiError::StorageUnavailable(format!("listing the blob store: {e}")))?;
    let referenced = references(conn)?;
    let now = SystemTime::now();
    let mut report = GcReport { blobs: listed.len(), ..Default::default() };
    for (key, modified, size) in listed {
        if referenced.contains(key.as_str()) {
            report.referenced += 1;
        } else if now.duration_since(modified).unwrap_or_default() < grace {
            report.young += 1;
        } else if store.remove(&key).map_err(|e| ApiError::StorageUnavailable(format!("removing {key}: {e}")))? {
            report.removed += 1;
            report.bytes_freed += size;
        }
    }
    report.temp_files_removed = store.remove_stale_temp(grace);
    Ok(report)
}
