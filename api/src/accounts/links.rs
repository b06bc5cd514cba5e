//! One-time account links: invitations (7 days) and password resets (1 hour). The secret is 256
//! random bits shown once (in the e-mail, or to the admin when no mail server is configured) and
//! kept only as its SHA-256; a link works once, until it expires or is revoked.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::Actor;
use crate::auth::secret::{self, PlainSecret};
use crate::db::{schema::account_links, DbConnection};
use crate::domain::Role;
use crate::error::{ApiError, ApiResult};
use crate::time::now;

crate::text_vocabulary!(
    /// What a one-time account link does.
    LinkKind {
        /// Joins an organisation (and creates the account when there is none).
        Invitation,
        /// Sets a new password.
        PasswordReset,
    }
);

impl LinkKind {
    /// How long a link of this kind works.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            LinkKind::Invitation => chrono::Duration::days(7),
            LinkKind::PasswordReset => chrono::Duration::hours(1),
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            LinkKind::Invitation => "spi_",
            LinkKind::PasswordReset => "spr_",
        }
    }

    /// The console page that takes the secret (in the fragment: never sent to a server, never in
    /// a `Referer`).
    pub fn url(self, origin: &str, secret: &PlainSecret) -> String {
        let page = match self {
            LinkKind::Invitation => "invitation",
            LinkKind::PasswordReset => "reset-password",
        };
        format!("{origin}/admin/{page}#{}", secret.expose())
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_links)]
pub struct AccountLink {
    pub id: String,
    pub kind: LinkKind,
    pub org_id: Option<String>,
    pub email: String,
    pub user_id: Option<String>,
    pub role: Option<Role>,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl AccountLink {
    /// `pending`, `accepted` (used), `revoked` or `expired`.
    pub fn status(&self) -> &'static str {
        if self.used_at.is_some() {
            "accepted"
        } else if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at <= now() {
            "expired"
        } else {
            "pending"
        }
    }
}

/// Who a link is for and by whom.
pub struct NewLink<'a> {
    pub kind: LinkKind,
    pub org_id: Option<&'a str>,
    pub email: &'a str,
    pub user_id: Option<&'a str>,
    pub role: Option<Role>,
    pub by: &'a Actor,
}

/// Issues a link; earlier live links of the same kind for the same person (and organisation)
/// stop working, so only the newest one does.
pub fn issue(conn: &mut DbConnection, n: NewLink<'_>) -> ApiResult<(AccountLink, PlainSecret)> {
    let at = now();
    let mut earlier = diesel::update(account_links::table)
        .filter(account_links::kind.eq(n.kind))
        .filter(account_links::email.eq(n.email))
        .filter(account_links::used_at.is_null())
        .filter(account_links::revoked_at.is_null())
        .into_boxed();
    if let Some(org) = n.org_id {
        earlier = earlier.filter(account_links::org_id.eq(org));
    }
    earlier.set(account_links::revoked_at.eq(Some(at))).execute(conn)?;
    let plain = PlainSecret::generate(n.kind.prefix());
    let id = format!("al_{}", uuid::Uuid::now_v7().simple());
    let (by_id, by_name) = match n.by {
        Actor::User { id, name } => (Some(id.clone()), name.clone()),
        other => (None, other.name().unwrap_or("self-service").to_string()),
    };
    diesel::insert_into(account_links::table)
        .values((
            account_links::id.eq(&id),
            account_links::kind.eq(n.kind),
            account_links::secret_hash.eq(plain.hash()),
            account_links::org_id.eq(n.org_id),
            account_links::email.eq(n.email),
            account_links::user_id.eq(n.user_id),
            account_links::role.eq(n.role),
            account_links::created_by_id.eq(by_id),
            account_links::created_by_name.eq(by_name),
            account_links::created_at.eq(at),
            account_links::expires_at.eq(at + n.kind.lifetime()),
        ))
        .execute(conn)?;
    Ok((get(conn, &id)?, plain))
}

pub fn get(conn: &mut DbConnection, id: &str) -> ApiResult<AccountLink> {
    account_links::table
        .find(id)
        .select(AccountLink::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("link `{id}` not found")))
}

/// The live link of `kind` a presented secret names. Unknown, used, revoked and expired links
/// all answer the same (`field` names the request field in the problem).
pub fn live(conn: &mut DbConnection, kind: LinkKind, presented: &str, field: &str) -> ApiResult<AccountLink> {
    let found = account_links::table
        .filter(account_links::secret_hash.eq(secret::hash(presented.trim())))
        .filter(account_links::kind.eq(kind))
        .select(AccountLink::as_select())
        .first(conn)
        .optional()?;
    match found {
        Some(l) if l.status() == "pending" => Ok(l),
        _ => Err(ApiError::validation(field, "this link is unknown, expired or already used: ask for a new one")),
    }
}

/// Marks a link used; fails if someone else used it first (two tabs, a replay).
pub fn consume(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    let n = diesel::update(account_links::table.find(id))
        .filter(account_links::used_at.is_null())
        .filter(account_links::revoked_at.is_null())
        .set(account_links::used_at.eq(Some(now())))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::Conflict("this link was used a moment ago".into()));
    }
    Ok(())
}
