//! What every handler may need, shared by all workers: settings, the database pool and the blob
//! store. Features register their own shared parts as app data of their own ([`data`] finds
//! them), so this floor imports nothing above it.

use std::sync::Arc;

use actix_web::{web, HttpRequest};

use crate::config::Settings;
use crate::db::group::GroupCommit;
use crate::db::Pool;
use crate::error::{ApiError, ApiResult};
use crate::storage::BlobStore;

pub struct AppState {
    pub settings: Arc<Settings>,
    pub pool: Pool,
    /// Short writes committed together (deliveries, token use): see [`GroupCommit`].
    pub writes: GroupCommit,
    pub blobs: BlobStore,
}

impl AppState {
    /// `writes` commits on `pool` (its batch tail, the audit rollups, is set by the assembly).
    pub fn new(settings: Settings, pool: Pool, writes: GroupCommit, blobs: BlobStore) -> Self {
        AppState { settings: Arc::new(settings), pool, writes, blobs }
    }
}

/// Shared app data of type `T` registered by the server.
pub fn data<T: 'static>(req: &HttpRequest) -> ApiResult<web::Data<T>> {
    req.app_data::<web::Data<T>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("app data {} is not registered", std::any::type_name::<T>())))
}
