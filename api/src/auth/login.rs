//! Sign-in and sign-out of organisation members: credentials checked, sessions opened and
//! ended, every attempt audited in each of the user's organisations.

use diesel::prelude::*;

use super::AuthUser;
use crate::audit::{Action, Actor, Category, Event, Outcome};
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::error::ApiResult;
use crate::orgs::service::{find_user_by_email, org_ids_of_user};
use crate::orgs::store::{NewSession, User};
use crate::password;
use crate::time::now;

/// The account an e-mail address names, if it may sign in, with its organisations.
pub fn lookup(conn: &mut DbConnection, email: &str) -> ApiResult<Option<(User, Vec<String>)>> {
    let Some(user) = find_user_by_email(conn, email)?.filter(|u| u.active) else { return Ok(None) };
    let orgs = org_ids_of_user(conn, &user.id)?;
    Ok(Some((user, orgs)))
}

/// Checks a password against a looked-up account (Argon2: run it without holding a pooled
/// connection). An unknown account spends the same time, so both answer alike.
pub fn verify(found: Option<&(User, Vec<String>)>, password: &str) -> bool {
    match found {
        Some((user, _)) => password::verify(password, &user.password_hash),
        None => {
            password::verify_dummy(password);
            false
        }
    }
}

/// Records a refused sign-in of a known account (in each of its organisations).
pub fn refused(conn: &mut DbConnection, user: &User, orgs: &[String], client: &ClientInfo) -> ApiResult<()> {
    let actor = Actor::User { id: user.id.to_string(), name: user.email.clone() };
    transaction(conn, |c| {
        for org in orgs {
            Event::new(Some(org), Category::Auth, Action::AuthLogin, actor.clone(), client)
                .outcome(Outcome::Denied)
                .record(c)?;
        }
        Ok(())
    })
}

/// Opens a session for a verified account and records the sign-in.
pub fn open_session(
    conn: &mut DbConnection,
    user: &User,
    orgs: &[String],
    client: &ClientInfo,
    ttl_secs: i64,
    method: &str,
) -> ApiResult<String> {
    let actor = Actor::User { id: user.id.to_string(), name: user.email.clone() };
    let session = NewSession {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.id.to_string(),
        created_at: now(),
        expires_at: now() + chrono::Duration::seconds(ttl_secs),
        ip: Some(client.ip.clone()),
        user_agent: client.user_agent.clone(),
        method: method.to_string(),
    };
    transaction(conn, |c| {
        diesel::insert_into(user_sessions::table).values(&session).execute(c)?;
        for org in orgs {
            Event::new(Some(org), Category::Auth, Action::AuthLogin, actor.clone(), client)
                .details(serde_json::json!({"method": method}))
                .record(c)?;
        }
        Ok(())
    })?;
    Ok(session.id)
}

pub fn logout(conn: &mut DbConnection, user: &AuthUser, client: &ClientInfo) -> ApiResult<()> {
    let orgs = org_ids_of_user(conn, &user.user_id)?;
    transaction(conn, |c| {
        diesel::update(user_sessions::table.find(&user.session_id))
            .set(user_sessions::revoked_at.eq(Some(now())))
            .execute(c)?;
        let actor = Actor::User { id: user.user_id.clone(), name: user.email.clone() };
        for org in &orgs {
            Event::new(Some(org), Category::Auth, Action::AuthLogout, actor.clone(), client).record(c)?;
        }
        Ok(())
    })
}
