//! A member's own account: change the password (every other session ends), list and end
//! sessions, sign out everywhere. Sessions are checked in the database on every request, so an
//! ended one fails at once on every replica.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AuthUser;
use crate::audit::{Action, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::org_ids_of_user;
use crate::time::{now, utc};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Where it was opened (your own address and browser).
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this request came with.
    pub current: bool,
}

/// The stored password hash of the signed-in user.
pub fn password_hash(conn: &mut DbConnection, user: &AuthUser) -> ApiResult<String> {
    Ok(users::table.find(&user.user_id).select(users::password_hash).first(conn)?)
}

fn audit(
    conn: &mut DbConnection,
    user: &AuthUser,
    action: Action,
    client: &ClientInfo,
    details: serde_json::Value,
) -> ApiResult<()> {
    for org in org_ids_of_user(conn, &user.user_id)? {
        Event::new(Some(&org), Category::Auth, action, user.actor(), client).details(details.clone()).record(conn)?;
    }
    Ok(())
}

/// Stores a new password hash (checked and hashed by the caller, off the connection) and ends
/// every other session of the user.
pub fn set_password(conn: &mut DbConnection, user: &AuthUser, new_hash: &str, client: &ClientInfo) -> ApiResult<usize> {
    transaction(conn, |c| {
        diesel::update(users::table.find(&user.user_id)).set(users::password_hash.eq(new_hash)).execute(c)?;
        let ended = diesel::update(
            user_sessions::table
                .filter(user_sessions::user_id.eq(&user.user_id))
                .filter(user_sessions::id.ne(&user.session_id))
                .filter(user_sessions::revoked_at.is_null()),
        )
        .set(user_sessions::revoked_at.eq(Some(now())))
        .execute(c)?;
        audit(c, user, Action::AuthPasswordChange, client, serde_json::json!({"other_sessions_ended": ended}))?;
        Ok(ended)
    })
}

pub fn sessions(conn: &mut DbConnection, user: &AuthUser) -> ApiResult<Vec<SessionView>> {
    type Row = (String, chrono::NaiveDateTime, chrono::NaiveDateTime, Option<String>, Option<String>);
    let rows: Vec<Row> = user_sessions::table
        .filter(user_sessions::user_id.eq(&user.user_id))
        .filter(user_sessions::revoked_at.is_null())
        .filter(user_sessions::expires_at.gt(now()))
        .order(user_sessions::created_at.desc())
        .select((
            user_sessions::id,
            user_sessions::created_at,
            user_sessions::expires_at,
            user_sessions::ip,
            user_sessions::user_agent,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, created, expires, ip, user_agent)| SessionView {
            current: id == user.session_id,
            id,
            created_at: utc(created),
            expires_at: utc(expires),
            ip,
            user_agent,
        })
        .collect())
}

/// Ends one of the user's sessions.
pub fn end_session(conn: &mut DbConnection, user: &AuthUser, id: &str, client: &ClientInfo) -> ApiResult<()> {
    transaction(conn, |c| {
        let n = diesel::update(
            user_sessions::table
                .filter(user_sessions::id.eq(id))
                .filter(user_sessions::user_id.eq(&user.user_id))
                .filter(user_sessions::revoked_at.is_null()),
        )
        .set(user_sessions::revoked_at.eq(Some(now())))
        .execute(c)?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("session `{id}` not found")));
        }
        audit(c, user, Action::AuthSessionRevoke, client, serde_json::json!({"session_id": id}))
    })
}

/// Ends every session of the user, this one included.
pub fn end_all(conn: &mut DbConnection, user: &AuthUser, client: &ClientInfo) -> ApiResult<usize> {
    transaction(conn, |c| {
        let n = diesel::update(
            user_sessions::table
                .filter(user_sessions::user_id.eq(&user.user_id))
                .filter(user_sessions::revoked_at.is_null()),
        )
        .set(user_sessions::revoked_at.eq(Some(now())))
        .execute(c)?;
        audit(c, user, Action::AuthLogoutEverywhere, client, serde_json::json!({"sessions_ended": n}))?;
        Ok(n)
    })
}
