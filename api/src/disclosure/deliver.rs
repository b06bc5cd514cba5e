//! The one path every served artifact byte takes, whatever the channel: check the rule, record
//! the token's use, write the audit event (typed details), then stream the blob. The event is
//! committed before the first byte leaves, so nothing is delivered unrecorded.

use actix_web::{HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;

use super::{placed_artifact, Audience, Tlp};
use crate::artifacts::download::{self, Servable};
use crate::artifacts::model::ArtifactKind;
use crate::artifacts::store::Deliverable;
use crate::audit::{Action, Actor, Category, Event};
use crate::catalogue::store::{Product, Version};
use crate::client::ClientInfo;
use crate::db::{schema::access_tokens, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The channel a delivery went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The customer REST API (and the SPA, and TEA's format URLs, which point there).
    Portal,
    /// The CSAF provider's directories.
    Csaf,
    /// The "download all" ZIP of a version (one event per file in it).
    Archive,
}

/// The details of a delivery's audit event.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryDetails {
    pub channel: Channel,
    pub filename: String,
    pub size: i64,
    /// Product slug and version string it was delivered under.
    pub product: String,
    pub version: String,
    /// The label it carried when delivered.
    pub tlp: Tlp,
    /// The CSAF path (`white/2024/acme-2024-001.json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Who receives: the reader, as the audit records it.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub audience: Audience,
    pub actor: Actor,
    pub client: ClientInfo,
    /// The access token whose use is still to be recorded (in the delivery's own transaction).
    pub pending_use: Option<String>,
}

/// Records that an access token was used (last use, address, count).
pub fn record_use(conn: &mut DbConnection, token_id: &str, ip: &str) -> ApiResult<()> {
    diesel::update(access_tokens::table.find(token_id))
        .set((
            access_tokens::last_used_at.eq(Some(chrono::Utc::now().naive_utc())),
            access_tokens::last_used_ip.eq(Some(ip)),
            access_tokens::use_count.eq(access_tokens::use_count + 1i64),
        ))
        .execute(conn)?;
    Ok(())
}

/// An artifact the rule lets the recipient have, where it was placed (a read: any connection).
pub struct Cleared {
    artifact: Deliverable,
    product: Product,
    version: Version,
}

/// Asks the rule whether `r` may have `artifact_id` (404 when not, as for one that does not exist).
pub fn clear(conn: &mut DbConnection, r: &Recipient, artifact_id: &str) -> ApiResult<Cleared> {
    let (artifact, product, version) = placed_artifact(conn, &r.audience, artifact_id)?
        .ok_or_else(|| ApiError::NotFound(format!("artifact `{artifact_id}` not found")))?;
    Ok(Cleared { artifact, product, version })
}

/// Records the token's use and the audit event of a [`clear`]ed artifact, inside the caller's
/// transaction; answers what to stream. `path` and `filename` are the CSAF provider's names for it.
pub fn record_cleared(
    conn: &mut DbConnection,
    r: &Recipient,
    cleared: Cleared,
    channel: Channel,
    path: Option<String>,
    filename: Option<String>,
) -> ApiResult<Servable> {
    let Cleared { artifact: a, product: p, version: v } = cleared;
    if let Some(token) = &r.pending_use {
        record_use(conn, token, &r.client.ip)?;
    }
    let details = DeliveryDetails {
        channel,
        filename: a.filename.clone(),
        size: a.size,
        product: p.slug.clone(),
        version: v.version.clone(),
        tlp: r.audience.effective(a.tlp),
        path,
    };
    Event::new(Some(&r.audience.org_id), Category::Portal, Action::download(a.kind), r.actor.clone(), &r.client)
        .product(Some(&p.id))
        .version(Some(&v.id))
        .artifact(Some(&a.id), Some(&a.sha256))
        .details(serde_json::to_value(&details).map_err(|e| ApiError::internal(anyhow::Error::from(e)))?)
        .record(conn)?;
    // CSAF is served as application/json exactly (CSAF 2.0 §7.1.x).
    let media_type = if a.kind == ArtifactKind::Advisory || a.format.starts_with("csaf") {
        "application/json".to_string()
    } else {
        a.media_type
    };
    Ok(Servable { sha256: a.sha256, media_type, filename: filename.unwrap_or(a.filename) })
}

/// [`clear`] and [`record_cleared`] in the caller's transaction (the version archive: one event
/// per file, all in one write).
pub fn record(
    conn: &mut DbConnection,
    r: &Recipient,
    artifact_id: &str,
    channel: Channel,
    path: Option<String>,
    filename: Option<String>,
) -> ApiResult<Servable> {
    let cleared = clear(conn, r, artifact_id)?;
    record_cleared(conn, r, cleared, channel, path, filename)
}

/// Delivers an artifact: the rule is asked and the blob opened on a blocking thread, alongside
/// other requests (the connection is back in the pool before the blob is opened: on object storage
/// that asks the store); the token's use and the audit event are then one write, group-committed
/// with the deliveries and token uses arriving at the same moment (the answer comes once it is
/// committed); then the bytes. The rule is asked before the write as the token is checked before it
/// (in the extractor): a withdrawal or revocation committed in between is seen by the next request.
pub async fn deliver(
    st: &AppState,
    req: &HttpRequest,
    r: Recipient,
    artifact_id: String,
    channel: Channel,
    csaf_name: Option<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (path, filename) = csaf_name.unzip();
    let (pool, store) = (st.pool.clone(), st.blobs.clone());
    let (cleared, source, r) = actix_web::web::block(move || -> ApiResult<_> {
        let cleared = clear(&mut *pool.get()?, &r, &artifact_id)?;
        let source = download::open(&store, &cleared.artifact.sha256)?;
        Ok((cleared, source, r))
    })
    .await??;
    // A condition the request sets on the bytes (If-Match) is judged before the event: a refused
    // one delivered nothing.
    download::precondition(req, &cleared.artifact.sha256)?;
    let servable = st.writes.write(move |c| record_cleared(c, &r, cleared, channel, path, filename)).await?;
    download::respond_opened(req, &st.blobs, servable, source)
}
