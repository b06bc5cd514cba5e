//! The one path every served artifact byte takes, whatever the channel: check the rule, record
//! the token's use, write the audit event (typed details), then stream the blob. The event is
//! committed before the first byte leaves, so nothing is delivered unrecorded.

use actix_web::{HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;

use super::{placed_artifact, Audience, Tlp};
use crate::artifacts::download::{self, Servable};
use crate::artifacts::model::ArtifactKind;
use crate::audit::{Action, Actor, Category, Event};
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

/// Checks, records the token's use and the audit event, inside the caller's transaction; answers
/// what to stream. `path` and `filename` are the CSAF provider's names for the file.
pub fn record(
    conn: &mut DbConnection,
    r: &Recipient,
    artifact_id: &str,
    channel: Channel,
    path: Option<String>,
    filename: Option<String>,
) -> ApiResult<Servable> {
    let (a, p, v) = placed_artifact(conn, &r.audience, artifact_id)?
        .ok_or_else(|| ApiError::NotFound(format!("artifact `{artifact_id}` not found")))?;
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

/// Delivers an artifact: [`record`] in one write (group-committed with the deliveries and token
/// uses arriving at the same moment: the answer comes once it is committed), then the bytes.
pub async fn deliver(
    st: &AppState,
    req: &HttpRequest,
    r: Recipient,
    artifact_id: String,
    channel: Channel,
    csaf_name: Option<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (path, filename) = csaf_name.unzip();
    let servable = st.writes.write(move |c| record(c, &r, &artifact_id, channel, path, filename)).await?;
    download::respond(req, &st.blobs, servable).await
}
