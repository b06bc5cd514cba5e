//! Token renewal: a customer asks from the portal, admins approve (a new expiry) or decline; the
//! admins are told by e-mail, and every step is audited.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{Action, Actor, Category, Event};
use crate::auth::secret::ExpiresIn;
use crate::auth::AuthUser;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::portal::settings::Portal;
use crate::portal::tokens::AccessToken;
use crate::time::{now, utc};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = renewal_requests)]
pub struct RenewalRow {
    pub id: String,
    pub org_id: String,
    pub token_id: String,
    pub message: String,
    pub requested_at: chrono::NaiveDateTime,
    pub status: String,
    pub decided_at: Option<chrono::NaiveDateTime>,
    pub decided_by_name: Option<String>,
    pub new_expires_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct RenewalRequest {
    /// A note to the manufacturer (optional, ≤ 2000 characters).
    #[serde(default)]
    #[garde(custom(crate::validate::text(0, 2000)))]
    pub message: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalDecision {
    /// `approve` (the token gets a new expiry) or `decline`.
    pub decision: String,
    /// The new lifetime from now when approving (default `1y`).
    pub expires_in: Option<ExpiresIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalView {
    pub id: String,
    pub token_id: String,
    pub token_name: String,
    pub token_expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub message: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decided_by: Option<String>,
    pub new_expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn view(r: RenewalRow, t: &AccessToken) -> RenewalView {
    RenewalView {
        id: r.id,
        token_id: r.token_id,
        token_name: t.name.clone(),
        token_expires_at: t.expires_at.map(utc),
        message: r.message,
        requested_at: utc(r.requested_at),
        status: r.status,
        decided_at: r.decided_at.map(utc),
        decided_by: r.decided_by_name,
        new_expires_at: r.new_expires_at.map(utc),
    }
}

/// A customer asks; one pending request per token (a second answers the first).
pub fn request(
    conn: &mut DbConnection,
    portal: &Portal,
    token: &AccessToken,
    req: &RenewalRequest,
    client: &ClientInfo,
) -> ApiResult<RenewalView> {
    crate::validate::fields(req)?;
    let pending: Option<RenewalRow> = renewal_requests::table
        .filter(renewal_requests::token_id.eq(&token.id))
        .filter(renewal_requests::status.eq("pending"))
        .select(RenewalRow::as_select())
        .first(conn)
        .optional()?;
    if let Some(p) = pending {
        return Ok(view(p, token));
    }
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(renewal_requests::table)
        .values((
            renewal_requests::id.eq(&id),
            renewal_requests::org_id.eq(&token.org_id),
            renewal_requests::token_id.eq(&token.id),
            renewal_requests::message.eq(req.message.trim()),
            renewal_requests::requested_at.eq(now()),
            renewal_requests::status.eq("pending"),
        ))
        .execute(conn)?;
    Event::new(
        Some(&token.org_id),
        Category::Portal,
        Action::PortalTokenRenewalRequest,
        Actor::AccessToken { id: token.id.to_string(), name: token.name.clone() },
        client,
    )
    .details(serde_json::json!({"renewal_id": id, "token_id": token.id}))
    .record(conn)?;
    super::targeting::to_admins(
        conn,
        portal,
        super::EventType::TokenRenewalRequested,
        format!(
            "{} asks to renew its access token (expires {}). {}",
            token.name,
            token.expires_at.map(|e| utc(e).format("%Y-%m-%d").to_string()).unwrap_or_else(|| "never".into()),
            req.message.trim()
        ),
        None,
    )?;
    get(conn, &token.org_id, &id)
}

pub fn get(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<RenewalView> {
    let (r, t): (RenewalRow, AccessToken) = renewal_requests::table
        .inner_join(access_tokens::table.on(access_tokens::id.eq(renewal_requests::token_id)))
        .filter(renewal_requests::org_id.eq(org_id))
        .filter(renewal_requests::id.eq(id))
        .select((RenewalRow::as_select(), AccessToken::as_select()))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("renewal request `{id}` not found")))?;
    Ok(view(r, &t))
}

/// The organisation's renewal requests, pending first, newest first.
pub fn list(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<RenewalView>> {
    let rows: Vec<(RenewalRow, AccessToken)> = renewal_requests::table
        .inner_join(access_tokens::table.on(access_tokens::id.eq(renewal_requests::token_id)))
        .filter(renewal_requests::org_id.eq(org_id))
        .order(renewal_requests::requested_at.desc())
        .limit(500)
        .select((RenewalRow::as_select(), AccessToken::as_select()))
        .load(conn)?;
    let mut out: Vec<RenewalView> = rows.into_iter().map(|(r, t)| view(r, &t)).collect();
    out.sort_by_key(|r| r.status != "pending");
    Ok(out)
}

/// A token's own requests (the portal shows the latest).
pub fn of_token(conn: &mut DbConnection, token: &AccessToken) -> ApiResult<Vec<RenewalView>> {
    let rows: Vec<RenewalRow> = renewal_requests::table
        .filter(renewal_requests::token_id.eq(&token.id))
        .order(renewal_requests::requested_at.desc())
        .limit(20)
        .select(RenewalRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| view(r, token)).collect())
}

pub fn decide(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    d: &RenewalDecision,
    user: &AuthUser,
    client: &ClientInfo,
) -> ApiResult<RenewalView> {
    let current = get(conn, org_id, id)?;
    if current.status != "pending" {
        return Err(ApiError::Conflict(format!("this request was already {}", current.status)));
    }
    let approve = match d.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(ApiError::validation("decision", "must be `approve` or `decline`")),
    };
    let at = now();
    let new_expiry = if approve { d.expires_in.unwrap_or(ExpiresIn::Year).expires_at(at) } else { None };
    if approve {
        let token: AccessToken = crate::portal::tokens::get(conn, org_id, &current.token_id)?;
        if token.revoked_at.is_some() {
            return Err(ApiError::Conflict("the token was revoked; create a new one instead".into()));
        }
        diesel::update(access_tokens::table.find(&current.token_id))
            .set((access_tokens::expires_at.eq(new_expiry), access_tokens::expiry_warned.eq("")))
            .execute(conn)?;
    }
    diesel::update(renewal_requests::table.find(id))
        .set((
            renewal_requests::status.eq(if approve { "approved" } else { "declined" }),
            renewal_requests::decided_at.eq(Some(at)),
            renewal_requests::decided_by_name.eq(Some(&user.email)),
            renewal_requests::new_expires_at.eq(new_expiry),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::PortalTokenRenewalDecide, user.actor(), client)
        .details(serde_json::json!({"renewal_id": id, "token_id": current.token_id, "decision": d.decision,
            "expires_at": new_expiry.map(utc), "previous_expires_at": current.token_expires_at}))
        .record(conn)?;
    get(conn, org_id, id)
}
