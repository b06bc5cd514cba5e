//! Password resets: a one-time link (1 hour) issued by an admin for a member, or asked for by
//! the user ("forgot password", sent only by e-mail). Using it sets the new password and ends
//! every session of the account. Two factors stay on: signing in still needs the code.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::links::{self, LinkKind, NewLink};
use crate::audit::{Action, Actor, Category, Event};
use crate::auth::secret::PlainSecret;
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::domain::Role;
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::{find_user_by_email, org_ids_of_user};
use crate::orgs::store::{Membership, User};
use crate::time::{now, utc};
use crate::validate;

/// A reset link for a member, shown once to the admin who asked for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetLink {
    pub email: String,
    pub reset_url: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// "Forgot password": the address of the account.
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[garde(custom(validate::email))]
    pub email: String,
}

/// The same answer for every address.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetRequested {
    pub message: String,
}

/// Setting a new password with a reset link.
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The secret from the reset link (the part after `#`).
    #[garde(custom(validate::text(1, 200)))]
    pub secret: String,
    #[garde(custom(validate::password))]
    pub new_password: String,
}

/// Issues a reset link for the member `member_id` of `org_id`. An admin may reset only accounts
/// that belong to no organisation where the admin is not an admin too: otherwise one
/// organisation's admin could take over another's account.
pub fn for_member(
    conn: &mut DbConnection,
    org_id: &str,
    member_id: &str,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<(User, PlainSecret, chrono::NaiveDateTime)> {
    let Actor::User { id: admin_id, .. } = actor else {
        return Err(ApiError::Forbidden("only a signed-in admin issues reset links".into()));
    };
    transaction(conn, |c| {
        let (m, user): (Membership, User) = memberships::table
            .inner_join(users::table)
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::id.eq(member_id))
            .select((Membership::as_select(), User::as_select()))
            .first(c)
            .optional()?
            .ok_or_else(|| ApiError::NotFound(format!("member `{member_id}` not found")))?;
        let theirs: Vec<String> = memberships::table
            .filter(memberships::user_id.eq(&user.id))
            .filter(memberships::org_id.ne(org_id))
            .select(memberships::org_id)
            .load(c)?;
        let mine: Vec<String> = memberships::table
            .filter(memberships::user_id.eq(admin_id))
            .filter(memberships::role.eq(Role::Admin))
            .filter(memberships::active.eq(true))
            .select(memberships::org_id)
            .load(c)?;
        if theirs.iter().any(|o| !mine.contains(o)) {
            return Err(ApiError::Conflict(format!(
                "{} also belongs to another organisation you do not administer: they can reset their password \
                 themselves (\"Forgot password\"), or an admin of every organisation they belong to can",
                user.email
            )));
        }
        let (link, secret) = links::issue(
            c,
            NewLink {
                kind: LinkKind::PasswordReset,
                org_id: Some(org_id),
                email: &user.email,
                user_id: Some(&user.id),
                role: None,
                by: actor,
            },
        )?;
        Event::new(Some(org_id), Category::Admin, Action::MemberResetLink, actor.clone(), client)
            .details(serde_json::json!({"member_id": m.id, "email": user.email, "link_id": link.id}))
            .record(c)?;
        Ok((user, secret, link.expires_at))
    })
}

/// "Forgot password": a link for an active account with this address, or None (nothing is
/// recorded or revealed for an unknown address).
pub fn self_service(
    conn: &mut DbConnection,
    email: &str,
    client: &ClientInfo,
) -> ApiResult<Option<(User, PlainSecret)>> {
    transaction(conn, |c| {
        let Some(user) = find_user_by_email(c, email)?.filter(|u| u.active) else { return Ok(None) };
        // One e-mail per account every five minutes, whoever asks (no mail bombing).
        let recent: i64 = account_links::table
            .filter(account_links::kind.eq(LinkKind::PasswordReset))
            .filter(account_links::user_id.eq(&user.id))
            .filter(account_links::org_id.is_null())
            .filter(account_links::created_at.gt(now() - chrono::Duration::minutes(5)))
            .count()
            .get_result(c)?;
        if recent > 0 {
            return Ok(None);
        }
        let actor = Actor::User { id: user.id.to_string(), name: user.email.clone() };
        let (link, secret) = links::issue(
            c,
            NewLink {
                kind: LinkKind::PasswordReset,
                org_id: None,
                email: &user.email,
                user_id: Some(&user.id),
                role: None,
                by: &Actor::Anonymous,
            },
        )?;
        for org in org_ids_of_user(c, &user.id)? {
            Event::new(Some(&org), Category::Auth, Action::AuthPasswordResetRequest, actor.clone(), client)
                .details(serde_json::json!({"link_id": link.id}))
                .record(c)?;
        }
        Ok(Some((user, secret)))
    })
}

/// The account a live reset link names.
pub fn account_of(conn: &mut DbConnection, secret: &str) -> ApiResult<(links::AccountLink, User)> {
    let link = links::live(conn, LinkKind::PasswordReset, secret, "secret")?;
    let user = users::table
        .find(link.user_id.clone().unwrap_or_default())
        .select(User::as_select())
        .first(conn)
        .optional()?
        .filter(|u| u.active)
        .ok_or_else(|| ApiError::validation("secret", "this account no longer exists or is deactivated"))?;
    Ok((link, user))
}

/// Sets the new password and ends every session of the account.
pub fn redeem(
    conn: &mut DbConnection,
    link: &links::AccountLink,
    user: &User,
    new_hash: &str,
    client: &ClientInfo,
) -> ApiResult<()> {
    transaction(conn, |c| {
        links::consume(c, &link.id)?;
        diesel::update(users::table.find(&user.id)).set(users::password_hash.eq(new_hash)).execute(c)?;
        let ended = diesel::update(user_sessions::table)
            .filter(user_sessions::user_id.eq(&user.id))
            .filter(user_sessions::revoked_at.is_null())
            .set(user_sessions::revoked_at.eq(Some(now())))
            .execute(c)?;
        let actor = Actor::User { id: user.id.to_string(), name: user.email.clone() };
        for org in org_ids_of_user(c, &user.id)? {
            Event::new(Some(&org), Category::Auth, Action::AuthPasswordReset, actor.clone(), client)
                .details(
                    serde_json::json!({"link_id": link.id, "issued_by": link.created_by_name, "sessions_ended": ended}),
                )
                .record(c)?;
        }
        Ok(())
    })
}

/// The link's expiry as the API answers it.
pub fn expiry(at: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    utc(at)
}
