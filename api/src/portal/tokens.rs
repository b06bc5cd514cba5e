//! Customer access tokens: `spt_` + 256 random bits, shown once, stored as SHA-256, compared in
//! constant time. Their state is read from the database on every request, so a revocation takes
//! effect at once on every replica.

use diesel::prelude::*;

use super::model::*;
use crate::audit::{Action, Category, Event};
use crate::auth::secret::{digest_eq, hash, PlainSecret};
use crate::auth::AuthUser;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::disclosure::ReaderKind;
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};
use crate::time::{now, utc};
use crate::validate::Checks;

use crate::ids::{OrgId, TokenId};

pub const PREFIX: &str = "spt_";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_tokens)]
pub struct AccessToken {
    pub id: TokenId,
    pub org_id: OrgId,
    pub name: String,
    pub hint: String,
    pub secret_hash: String,
    pub product_ids: Option<String>,
    pub created_by_id: Option<String>,
    pub created_by_name: String,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: Option<chrono::NaiveDateTime>,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub last_used_ip: Option<String>,
    pub use_count: i64,
    pub revoked_at: Option<chrono::NaiveDateTime>,
    pub revoked_by_name: Option<String>,
    pub max_tlp: Tlp,
    pub contact_email: Option<String>,
    /// Expiry warnings (days before) already queued for the current expiry.
    pub expiry_warned: String,
}

impl AccessToken {
    pub fn status(&self, at: chrono::NaiveDateTime) -> TokenStatus {
        if self.revoked_at.is_some() {
            TokenStatus::Revoked
        } else if self.expires_at.is_some_and(|e| e <= at) {
            TokenStatus::Expired
        } else {
            TokenStatus::Active
        }
    }
    pub fn scope(&self) -> Option<Vec<String>> {
        self.product_ids.as_deref().map(|s| s.split_whitespace().map(str::to_string).collect())
    }

    /// The token as a reader, for the disclosure rule.
    pub fn reader(&self) -> ReaderKind {
        ReaderKind::Token {
            id: self.id.to_string(),
            name: self.name.clone(),
            max_tlp: self.max_tlp,
            scope: self.scope(),
        }
    }
}

pub fn view(t: AccessToken) -> AccessTokenView {
    AccessTokenView {
        status: t.status(now()),
        product_ids: t.scope(),
        id: t.id,
        name: t.name,
        hint: t.hint,
        created_at: utc(t.created_at),
        created_by: t.created_by_name,
        expires_at: t.expires_at.map(utc),
        last_used_at: t.last_used_at.map(utc),
        last_used_ip: t.last_used_ip,
        use_count: t.use_count,
        revoked_at: t.revoked_at.map(utc),
        max_tlp: t.max_tlp,
        contact_email: t.contact_email,
    }
}

/// The organisation's tokens that work now (not revoked, not expired), by name.
pub fn live_of_org(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<AccessToken>> {
    Ok(access_tokens::table
        .filter(access_tokens::org_id.eq(org_id))
        .filter(access_tokens::revoked_at.is_null())
        .filter(access_tokens::expires_at.is_null().or(access_tokens::expires_at.gt(now())))
        .order(access_tokens::name.asc())
        .select(AccessToken::as_select())
        .load(conn)?)
}

pub fn list(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<AccessTokenView>> {
    let rows: Vec<AccessToken> = access_tokens::table
        .filter(access_tokens::org_id.eq(org_id))
        .order((access_tokens::created_at.desc(), access_tokens::id.asc()))
        .select(AccessToken::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(view).collect())
}

pub fn get(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<AccessToken> {
    access_tokens::table
        .filter(access_tokens::org_id.eq(org_id))
        .filter(access_tokens::id.eq(id))
        .select(AccessToken::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("access token `{id}` not found")))
}

pub fn create(
    conn: &mut DbConnection,
    org_id: &str,
    req: &CreateAccessToken,
    user: &AuthUser,
    client: &ClientInfo,
) -> ApiResult<CreatedAccessToken> {
    let mut c = Checks::of(req);
    check_scope(conn, org_id, req.product_ids.as_deref(), &mut c)?;
    check_clearance(req.max_tlp, &mut c);
    let contact = req.contact_email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    c.finish()?;
    let secret = PlainSecret::generate(PREFIX);
    let id = uuid::Uuid::new_v4().to_string();
    let created = now();
    let scope = req.product_ids.as_deref().map(scope_column);
    diesel::insert_into(access_tokens::table)
        .values((
            access_tokens::id.eq(&id),
            access_tokens::org_id.eq(org_id),
            access_tokens::name.eq(req.name.trim()),
            access_tokens::hint.eq(secret.hint()),
            access_tokens::secret_hash.eq(secret.hash()),
            access_tokens::product_ids.eq(&scope),
            access_tokens::created_by_id.eq(Some(&user.user_id)),
            access_tokens::created_by_name.eq(&user.email),
            access_tokens::created_at.eq(created),
            access_tokens::expires_at.eq(req.expires_in.expires_at(created)),
            access_tokens::use_count.eq(0i64),
            access_tokens::max_tlp.eq(req.max_tlp.unwrap_or(Tlp::Amber)),
            access_tokens::contact_email.eq(&contact),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::PortalTokenCreate, user.actor(), client)
        .details(serde_json::json!({"token_id": id, "name": req.name.trim(), "expires_in": req.expires_in,
            "product_ids": req.product_ids, "max_tlp": req.max_tlp.unwrap_or(Tlp::Amber)}))
        .record(conn)?;
    Ok(CreatedAccessToken { access_token: view(get(conn, org_id, &id)?), token: secret.expose().to_string() })
}

fn check_scope(conn: &mut DbConnection, org_id: &str, ids: Option<&[String]>, c: &mut Checks) -> ApiResult<()> {
    if let Some(ids) = ids {
        c.check(!ids.is_empty(), "product_ids", "must name at least one product (omit it for all products)");
        let known: i64 = products::table
            .filter(products::org_id.eq(org_id))
            .filter(products::id.eq_any(ids))
            .count()
            .get_result(conn)?;
        let mut unique = ids.to_vec();
        unique.sort();
        unique.dedup();
        c.check(known == unique.len() as i64, "product_ids", "every id must be a product of this organisation");
    }
    Ok(())
}

/// A contact address, trimmed; empty means none.
fn clean_contact(e: Option<&str>, c: &mut Checks) -> Option<String> {
    let e = e.map(str::trim).filter(|e| !e.is_empty())?;
    c.email("contact_email", e);
    Some(e.to_string())
}

fn check_clearance(max_tlp: Option<Tlp>, c: &mut Checks) {
    if let Some(t) = max_tlp {
        c.check(t.is_clearance(), "max_tlp", "must be clear, green, amber, amber+strict or red");
    }
}

fn scope_column(ids: &[String]) -> String {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    ids.join(" ")
}

/// Renames a token, changes its clearance or its product scope; effective on its next request.
pub fn update(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    req: &UpdateAccessToken,
    user: &AuthUser,
    client: &ClientInfo,
) -> ApiResult<AccessTokenView> {
    let t = get(conn, org_id, id)?;
    let mut c = Checks::of(req);
    if let Some(scope) = &req.product_ids {
        check_scope(conn, org_id, scope.as_deref(), &mut c)?;
    }
    check_clearance(req.max_tlp, &mut c);
    let contact = match &req.contact_email {
        None => t.contact_email.clone(),
        Some(e) => clean_contact(e.as_deref(), &mut c),
    };
    c.finish()?;
    let expires_at = match req.expires_in {
        None => t.expires_at,
        Some(e) => e.expires_at(now()),
    };
    let scope = match &req.product_ids {
        None => t.product_ids.clone(),
        Some(s) => s.as_deref().map(scope_column),
    };
    diesel::update(access_tokens::table.find(id))
        .set((
            access_tokens::name.eq(req.name.as_deref().map(str::trim).unwrap_or(&t.name)),
            access_tokens::max_tlp.eq(req.max_tlp.unwrap_or(t.max_tlp)),
            access_tokens::product_ids.eq(&scope),
            access_tokens::contact_email.eq(&contact),
            access_tokens::expires_at.eq(expires_at),
            // A new expiry earns its own warnings.
            access_tokens::expiry_warned.eq(if expires_at == t.expires_at {
                t.expiry_warned.clone()
            } else {
                String::new()
            }),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::PortalTokenUpdate, user.actor(), client)
        .details(serde_json::json!({"token_id": id, "name": req.name, "max_tlp": req.max_tlp,
            "product_ids": req.product_ids, "contact_email_changed": req.contact_email.is_some(),
            "expires_at": expires_at.map(utc), "previous": {"name": t.name, "max_tlp": t.max_tlp, "product_ids": t.scope(),
            "expires_at": t.expires_at.map(utc)}}))
        .record(conn)?;
    Ok(view(get(conn, org_id, id)?))
}

/// Permanent and immediate: no request that starts after this returns succeeds with the token.
pub fn revoke(conn: &mut DbConnection, org_id: &str, id: &str, user: &AuthUser, client: &ClientInfo) -> ApiResult<()> {
    let t = get(conn, org_id, id)?;
    if t.revoked_at.is_some() {
        return Ok(());
    }
    diesel::update(access_tokens::table.find(id))
        .set((access_tokens::revoked_at.eq(Some(now())), access_tokens::revoked_by_name.eq(Some(&user.email))))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::PortalTokenRevoke, user.actor(), client)
        .details(serde_json::json!({"token_id": id, "name": t.name}))
        .record(conn)?;
    Ok(())
}

/// Why a presented token was refused (kept for the audit record; the caller only sees 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Refusal {
    #[strum(serialize = "unknown_token")]
    Unknown,
    OtherOrganisation,
    Expired,
    Revoked,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Checks a token's state for `org_id` now.
pub fn check(t: &AccessToken, org_id: &str) -> Result<(), Refusal> {
    if t.org_id != org_id {
        return Err(Refusal::OtherOrganisation);
    }
    match t.status(now()) {
        TokenStatus::Active => Ok(()),
        TokenStatus::Expired => Err(Refusal::Expired),
        TokenStatus::Revoked => Err(Refusal::Revoked),
    }
}

/// Finds the token a raw secret names.
pub fn by_secret(conn: &mut DbConnection, secret: &str) -> ApiResult<Option<AccessToken>> {
    if !secret.starts_with(PREFIX) || secret.len() > 200 {
        return Ok(None);
    }
    let digest = hash(secret);
    let t: Option<AccessToken> = access_tokens::table
        .filter(access_tokens::secret_hash.eq(&digest))
        .select(AccessToken::as_select())
        .first(conn)
        .optional()?;
    Ok(t.filter(|t| digest_eq(&t.secret_hash, &digest)))
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> ApiResult<Option<AccessToken>> {
    Ok(access_tokens::table.find(id).select(AccessToken::as_select()).first(conn).optional()?)
}

/// Opens a portal session for a token (the JWT names it by `sid`).
pub fn open_session(conn: &mut DbConnection, token_id: &str, ttl_secs: i64, ip: &str) -> ApiResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(portal_sessions::table)
        .values((
            portal_sessions::id.eq(&id),
            portal_sessions::token_id.eq(token_id),
            portal_sessions::created_at.eq(now()),
            portal_sessions::expires_at.eq(now() + chrono::Duration::seconds(ttl_secs)),
            portal_sessions::ip.eq(Some(ip)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Whether a session exists for this token, has not ended and was not signed out.
pub fn session_is_live(conn: &mut DbConnection, session_id: &str, token_id: &str) -> ApiResult<bool> {
    let n: i64 = portal_sessions::table
        .filter(portal_sessions::id.eq(session_id))
        .filter(portal_sessions::token_id.eq(token_id))
        .filter(portal_sessions::revoked_at.is_null())
        .filter(portal_sessions::expires_at.gt(now()))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// Signs a portal session out: its JWT stops working at once.
pub fn close_session(conn: &mut DbConnection, session_id: &str) -> ApiResult<()> {
    diesel::update(portal_sessions::table.find(session_id).filter(portal_sessions::revoked_at.is_null()))
        .set(portal_sessions::revoked_at.eq(Some(now())))
        .execute(conn)?;
    Ok(())
}
