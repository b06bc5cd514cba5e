//! Sign-in and sign-out of organisation members: credentials checked, sessions opened and
//! ended, every attempt audited in each of the user's organisations.

use diesel::prelude::*;

use super::AuthUser;
use crate::audit::{Action, Actor, Category, Event, Outcome};
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::model::LoginRequest;
use crate::orgs::service::{find_user_by_email, org_ids_of_user};
use crate::orgs::store::{NewSession, User};
use crate::password;
use crate::time::now;

/// Verifies credentials and opens a session. Wrong e-mail and wrong password look the same.
pub fn login(
    conn: &mut DbConnection,
    req: &LoginRequest,
    client: &ClientInfo,
    ttl_secs: i64,
) -> ApiResult<(User, String)> {
    let user = find_user_by_email(conn, &req.email)?;
    let Some(user) = user.filter(|u| u.active) else {
        password::verify_dummy(&req.password);
        return Err(ApiError::Unauthorized("invalid e-mail or password".into()));
    };
    let orgs = org_ids_of_user(conn, &user.id)?;
    let actor = Actor::User { id: user.id.clone(), name: user.email.clone() };
    if !password::verify(&req.password, &user.password_hash) {
        for org in &orgs {
            Event::new(Some(org), Category::Auth, Action::AuthLogin, actor.clone(), client)
                .outcome(Outcome::Denied)
                .record(conn)?;
        }
        return Err(ApiError::Unauthorized("invalid e-mail or password".into()));
    }
    let session = NewSession {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.id.clone(),
        created_at: now(),
        expires_at: now() + chrono::Duration::seconds(ttl_secs),
        ip: Some(client.ip.clone()),
        user_agent: client.user_agent.clone(),
    };
    transaction(conn, |c| {
        diesel::insert_into(user_sessions::table).values(&session).execute(c)?;
        for org in &orgs {
            Event::new(Some(org), Category::Auth, Action::AuthLogin, actor.clone(), client).record(c)?;
        }
        Ok(())
    })?;
    Ok((user, session.id))
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
