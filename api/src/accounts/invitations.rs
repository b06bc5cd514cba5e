//! Members join by invitation. Inviting answers the same status and shape whether or not the
//! address has an account anywhere on this instance (nobody learns who uses it), and nobody is
//! added to an organisation without their consent: the invited person accepts with the one-time
//! link — a new user chooses a password there, an existing one confirms with theirs.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::links::{self, AccountLink, LinkKind, NewLink};
use crate::audit::{Action, Actor, Category, Event};
use crate::auth::secret::PlainSecret;
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::domain::Role;
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::{add_membership, create_user, find_user_by_email, normalize_email};
use crate::orgs::store::{Org, User};
use crate::time::utc;
use crate::validate;

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    #[garde(custom(validate::email))]
    pub email: String,
    #[garde(skip)]
    pub role: Role,
}

/// An invitation as admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub status: String,
    pub invited_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The answer to an invitation: identical in status and shape for every address.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationSent {
    pub invitation: Invitation,
    /// `email`: the link went to the address (a mail server is configured); `link`: pass on
    /// `accept_url` yourself.
    pub delivery: String,
    /// The one-time link, shown once — only when this server cannot send e-mail.
    pub accept_url: Option<String>,
}

/// Accepting an invitation: a new user chooses a password (and gives a name); an existing user
/// confirms with the password of their account.
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The secret from the invitation link (the part after `#`).
    #[garde(custom(validate::text(1, 200)))]
    pub secret: String,
    #[garde(custom(validate::text(1, 1024)))]
    pub password: String,
    /// Your name, when you have no account here yet.
    #[garde(custom(validate::opt_text(1, 200)))]
    pub display_name: Option<String>,
}

/// Joined: sign in with the e-mail address and password.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationAccepted {
    pub organization: String,
    pub organization_name: String,
    pub email: String,
    pub role: Role,
}

fn view(l: AccountLink) -> Invitation {
    Invitation {
        status: l.status().into(),
        id: l.id,
        email: l.email,
        role: l.role.unwrap_or(Role::Viewer),
        invited_by: l.created_by_name,
        created_at: utc(l.created_at),
        expires_at: utc(l.expires_at),
    }
}

/// Invites `req.email` with `req.role`; 409 only when the address is already a member of this
/// organisation (which its admins see in the member list anyway).
pub fn create(
    conn: &mut DbConnection,
    org: &Org,
    req: &CreateInvitation,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<(Invitation, PlainSecret)> {
    let email = normalize_email(&req.email);
    transaction(conn, |c| {
        let already: i64 = memberships::table
            .inner_join(users::table)
            .filter(memberships::org_id.eq(&org.id))
            .filter(users::email.eq(&email))
            .count()
            .get_result(c)?;
        if already > 0 {
            return Err(ApiError::Conflict(format!("`{email}` is already a member of {}", org.name)));
        }
        let (link, secret) = links::issue(
            c,
            NewLink {
                kind: LinkKind::Invitation,
                org_id: Some(&org.id),
                email: &email,
                user_id: None,
                role: Some(req.role),
                by: actor,
            },
        )?;
        Event::new(Some(&org.id), Category::Admin, Action::MemberInvite, actor.clone(), client)
            .details(serde_json::json!({"invitation_id": link.id, "email": email, "role": req.role.as_str()}))
            .record(c)?;
        Ok((view(link), secret))
    })
}

/// The organisation's invitations, newest first (the last 200).
pub fn list(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<Invitation>> {
    Ok(account_links::table
        .filter(account_links::org_id.eq(org_id))
        .filter(account_links::kind.eq(LinkKind::Invitation))
        .order((account_links::created_at.desc(), account_links::id.desc()))
        .limit(200)
        .select(AccountLink::as_select())
        .load(conn)?
        .into_iter()
        .map(view)
        .collect())
}

/// Withdraws a pending invitation; its link stops working.
pub fn revoke(conn: &mut DbConnection, org_id: &str, id: &str, actor: &Actor, client: &ClientInfo) -> ApiResult<()> {
    transaction(conn, |c| {
        let link = links::get(c, id)?;
        if link.kind != LinkKind::Invitation || link.org_id.as_deref() != Some(org_id) {
            return Err(ApiError::NotFound(format!("invitation `{id}` not found")));
        }
        if link.status() != "pending" {
            return Err(ApiError::Conflict(format!("the invitation is {} already", link.status())));
        }
        diesel::update(account_links::table.find(id))
            .set(account_links::revoked_at.eq(Some(crate::time::now())))
            .execute(c)?;
        Event::new(Some(org_id), Category::Admin, Action::MemberInvitationRevoke, actor.clone(), client)
            .details(serde_json::json!({"invitation_id": id, "email": link.email}))
            .record(c)?;
        Ok(())
    })
}

/// What accepting needs to know before any password is hashed or checked.
pub struct Pending {
    pub link: AccountLink,
    pub org: Org,
    pub existing: Option<User>,
}

pub fn pending(conn: &mut DbConnection, secret: &str) -> ApiResult<Pending> {
    let link = links::live(conn, LinkKind::Invitation, secret, "secret")?;
    let org_id = link.org_id.clone().unwrap_or_default();
    let org = organizations::table
        .find(&org_id)
        .select(Org::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::validation("secret", "the organisation of this invitation no longer exists"))?;
    let existing = find_user_by_email(conn, &link.email)?;
    if existing.as_ref().is_some_and(|u| !u.active) {
        return Err(ApiError::Conflict("this account is deactivated on this server".into()));
    }
    Ok(Pending { link, org, existing })
}

/// Joins the organisation: with the existing account (its password already verified by the
/// caller), or with a new account under `new_password_hash`.
pub fn accept(
    conn: &mut DbConnection,
    p: &Pending,
    display_name: Option<&str>,
    new_password_hash: Option<String>,
    client: &ClientInfo,
) -> ApiResult<InvitationAccepted> {
    let role = p.link.role.unwrap_or(Role::Viewer);
    transaction(conn, |c| {
        links::consume(c, &p.link.id)?;
        let user = match (&p.existing, new_password_hash.clone()) {
            (Some(u), _) => u.clone(),
            (None, Some(hash)) => {
                let name = display_name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&p.link.email);
                create_user(c, &p.link.email, name, hash)?
            }
            (None, None) => return Err(ApiError::validation("password", "choose a password for your new account")),
        };
        let m = add_membership(c, &p.org.id, &user.id, role)?;
        let actor = Actor::User { id: user.id.to_string(), name: user.email.clone() };
        Event::new(Some(&p.org.id), Category::Admin, Action::MemberCreate, actor, client)
            .details(serde_json::json!({
                "member_id": m.id, "email": user.email, "role": role.as_str(),
                "invitation_id": p.link.id, "invited_by": p.link.created_by_name,
            }))
            .record(c)?;
        Ok(InvitationAccepted {
            organization: p.org.slug.clone(),
            organization_name: p.org.name.clone(),
            email: user.email,
            role,
        })
    })
}
