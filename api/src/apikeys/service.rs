use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{Action, Category, Event};
use crate::auth::apikey::{ApiScope, PREFIX};
use crate::auth::secret::{ExpiresIn, PlainSecret};
use crate::auth::AuthUser;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::{now, utc};
use crate::validate::Checks;

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// What uses it, e.g. "GitLab release pipeline".
    #[garde(custom(crate::validate::text(1, 200)))]
    pub name: String,
    /// At least one of `artifacts:write`, `artifacts:publish`, `catalogue:read`.
    #[garde(custom(crate::validate::items(1, 16, "at least one scope is required")))]
    pub scopes: Vec<ApiScope>,
    #[garde(skip)]
    pub expires_in: ExpiresIn,
    /// Dependency-Track pushes with this key publish at once (needs `artifacts:publish`). Default false.
    #[serde(default)]
    #[garde(skip)]
    pub publish_on_push: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    /// Non-secret hint to tell keys apart (`spk_…ab12`).
    pub hint: String,
    pub scopes: Vec<ApiScope>,
    pub publish_on_push: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `active`, `expired` or `revoked`.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub api_key: ApiKeyView,
    /// The secret, shown this once: store it in your CI's secret store now.
    pub key: String,
}

type Row = (
    String,
    String,
    String,
    String,
    bool,
    String,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
);

fn view(r: Row) -> ApiResult<ApiKeyView> {
    let (id, name, hint, scopes, publish_on_push, created_by, created_at, expires_at, last_used_at, revoked_at) = r;
    let status = if revoked_at.is_some() {
        "revoked"
    } else if expires_at.is_some_and(|e| e <= now()) {
        "expired"
    } else {
        "active"
    };
    Ok(ApiKeyView {
        id,
        name,
        hint,
        scopes: ApiScope::split(&scopes)?,
        publish_on_push,
        created_by,
        created_at: utc(created_at),
        expires_at: expires_at.map(utc),
        last_used_at: last_used_at.map(utc),
        revoked_at: revoked_at.map(utc),
        status: status.into(),
    })
}

macro_rules! columns {
    () => {
        (
            api_keys::id,
            api_keys::name,
            api_keys::hint,
            api_keys::scopes,
            api_keys::publish_on_push,
            api_keys::created_by_name,
            api_keys::created_at,
            api_keys::expires_at,
            api_keys::last_used_at,
            api_keys::revoked_at,
        )
    };
}

pub fn list(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<ApiKeyView>> {
    let rows: Vec<Row> = api_keys::table
        .filter(api_keys::org_id.eq(org_id))
        .order(api_keys::created_at.desc())
        .select(columns!())
        .load(conn)?;
    rows.into_iter().map(view).collect()
}

fn get(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<ApiKeyView> {
    let row: Row = api_keys::table
        .filter(api_keys::org_id.eq(org_id))
        .filter(api_keys::id.eq(id))
        .select(columns!())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("API key `{id}` not found")))?;
    view(row)
}

pub fn create(
    conn: &mut DbConnection,
    org_id: &str,
    req: &CreateApiKey,
    user: &AuthUser,
    client: &ClientInfo,
) -> ApiResult<CreatedApiKey> {
    let mut c = Checks::of(req);
    c.check(
        !req.publish_on_push || req.scopes.contains(&ApiScope::ArtifactsPublish),
        "publish_on_push",
        "needs the artifacts:publish scope",
    );
    c.finish()?;
    let mut scopes = req.scopes.clone();
    scopes.sort_by_key(|s| s.as_str());
    scopes.dedup();
    let secret = PlainSecret::generate(PREFIX);
    let id = uuid::Uuid::new_v4().to_string();
    let created_at = now();
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(&id),
            api_keys::org_id.eq(org_id),
            api_keys::name.eq(req.name.trim()),
            api_keys::hint.eq(secret.hint()),
            api_keys::secret_hash.eq(secret.hash()),
            api_keys::scopes.eq(ApiScope::join(&scopes)),
            api_keys::publish_on_push.eq(req.publish_on_push),
            api_keys::created_by_id.eq(Some(&user.user_id)),
            api_keys::created_by_name.eq(&user.email),
            api_keys::created_at.eq(created_at),
            api_keys::expires_at.eq(req.expires_in.expires_at(created_at)),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::ApiKeyCreate, user.actor(), client)
        .details(serde_json::json!({"api_key_id": id, "name": req.name.trim(), "scopes": ApiScope::join(&scopes)}))
        .record(conn)?;
    Ok(CreatedApiKey { api_key: get(conn, org_id, &id)?, key: secret.expose().to_string() })
}

/// Revokes a key; the next request with it fails (state is checked on every request).
pub fn revoke(conn: &mut DbConnection, org_id: &str, id: &str, user: &AuthUser, client: &ClientInfo) -> ApiResult<()> {
    let key = get(conn, org_id, id)?;
    if key.revoked_at.is_none() {
        diesel::update(api_keys::table.find(id)).set(api_keys::revoked_at.eq(Some(now()))).execute(conn)?;
        Event::new(Some(org_id), Category::Admin, Action::ApiKeyRevoke, user.actor(), client)
            .details(serde_json::json!({"api_key_id": id, "name": key.name}))
            .record(conn)?;
    }
    Ok(())
}
