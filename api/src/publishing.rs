//! The publishing use-cases: what happens when an artifact is recorded, published, withdrawn or
//! filed under another version. The artifact rules live in [`crate::artifacts::service`]; the
//! features that follow a change (TEA's collection history) are called from here, in the same
//! transaction, so the core domain never calls up into a feature.

use crate::artifacts::model::{ArtifactDetail, ArtifactStatus};
use crate::artifacts::service::{self, Incoming, Recorded, UploadTarget};
use crate::artifacts::store::Artifact;
use crate::audit::Actor;
use crate::auth::Caller;
use crate::client::ClientInfo;
use crate::db::DbConnection;
use crate::error::ApiResult;
use crate::tea::collections;

/// Records a validated upload (publishing it when asked) and, when it was published, the new
/// collection of every version it and the artifact it supersedes belong to.
pub fn record_upload(
    conn: &mut DbConnection,
    org_id: &str,
    target: &UploadTarget,
    incoming: &Incoming,
    caller: &Caller,
    client: &ClientInfo,
) -> ApiResult<Recorded> {
    let rec = service::record_upload(conn, org_id, target, incoming, caller, client)?;
    if rec.artifact.status == ArtifactStatus::Published {
        changed(conn, &rec.artifact)?;
    }
    Ok(rec)
}

/// Draft → published (a correction withdraws what it supersedes, in the same transaction).
pub fn publish(conn: &mut DbConnection, org_id: &str, id: &str, actor: &Actor, client: &ClientInfo) -> ApiResult<()> {
    let a = service::publish(conn, org_id, id, actor, client)?;
    changed(conn, &a)
}

/// → withdrawn: gone from every channel when this transaction commits.
pub fn withdraw(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    reason: Option<&str>,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<()> {
    let a = service::withdraw(conn, org_id, id, reason, actor, client)?;
    changed(conn, &a)
}

/// Files an artifact under another version too.
pub fn link_version(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    req: &crate::artifacts::model::LinkVersionRequest,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ArtifactDetail> {
    let detail = service::link_version(conn, org_id, id, req, actor, client)?;
    collections::refresh_for_artifacts(conn, &[id])?;
    Ok(detail)
}

/// The TEA collections of every version the artifact (and what it supersedes) is filed under.
fn changed(conn: &mut DbConnection, a: &Artifact) -> ApiResult<()> {
    let mut ids = vec![a.id.as_str()];
    ids.extend(a.supersedes_id.as_deref());
    collections::refresh_for_artifacts(conn, &ids)
}
