//! Organisation API keys for CI: `spk_` + 256 random bits, stored as SHA-256, compared in constant
//! time, checked against the database on every request (revocation is immediate on every replica).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::store::Org;

pub const PREFIX: &str = "spk_";

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, strum::EnumString, strum::IntoStaticStr,
)]
pub enum ApiScope {
    /// Upload artifacts (and auto-create products and versions).
    #[serde(rename = "artifacts:write")]
    #[strum(serialize = "artifacts:write")]
    ArtifactsWrite,
    /// Publish and withdraw artifacts.
    #[serde(rename = "artifacts:publish")]
    #[strum(serialize = "artifacts:publish")]
    ArtifactsPublish,
    /// Read products, versions and artifacts.
    #[serde(rename = "catalogue:read")]
    #[strum(serialize = "catalogue:read")]
    CatalogueRead,
}

impl ApiScope {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
    pub fn join(scopes: &[ApiScope]) -> String {
        scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
    }
    /// The scopes stored for a key; an unknown one is an error naming it, never dropped.
    pub fn split(s: &str) -> Result<Vec<ApiScope>, ApiError> {
        s.split_whitespace()
            .map(|x| x.parse().map_err(|_| ApiError::internal(anyhow::anyhow!("unknown API key scope `{x}` stored"))))
            .collect()
    }
}

/// An authenticated API key.
#[derive(Debug, Clone)]
pub struct ApiKeyCaller {
    pub id: String,
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub publish_on_push: bool,
}

/// Finds the key by the hash of the presented secret; 401 when unknown, revoked or expired.
pub fn authenticate(conn: &mut DbConnection, secret: &str) -> ApiResult<(Org, ApiKeyCaller)> {
    let unauthorized = || ApiError::Unauthorized("invalid, expired or revoked API key".into());
    if !secret.starts_with(PREFIX) || secret.len() > 200 {
        return Err(unauthorized());
    }
    let digest = super::secret::hash(secret);
    type Row = (String, String, String, String, bool, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>);
    let found: Option<(Row, Org)> = api_keys::table
        .inner_join(organizations::table)
        .filter(api_keys::secret_hash.eq(&digest))
        .select((
            (
                api_keys::id,
                api_keys::name,
                api_keys::secret_hash,
                api_keys::scopes,
                api_keys::publish_on_push,
                api_keys::expires_at,
                api_keys::revoked_at,
            ),
            Org::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some(((id, name, stored_hash, scopes, publish_on_push, expires_at, revoked_at), org)) = found else {
        return Err(unauthorized());
    };
    let now = chrono::Utc::now().naive_utc();
    // The index lookup found it; the constant-time comparison is the check that counts.
    if !super::secret::digest_eq(&stored_hash, &digest) || revoked_at.is_some() || expires_at.is_some_and(|e| e <= now)
    {
        return Err(unauthorized());
    }
    diesel::update(api_keys::table.find(&id)).set(api_keys::last_used_at.eq(Some(now))).execute(conn)?;
    Ok((org, ApiKeyCaller { id, name, scopes: ApiScope::split(&scopes)?, publish_on_push }))
}
