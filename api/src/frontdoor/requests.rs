//! Access requests to a private portal: a visitor of the landing page asks (name, company,
//! e-mail, reason; after a click-through NDA when the portal has one, recorded by the SHA-256 of
//! the text accepted and its version), admins approve into an access token or decline. Every step
//! is audited; the admins are told by e-mail.
//!
//! The answer to a request is the same whether or not a request from that address is already
//! pending, so the form tells a visitor nothing about other people's requests.

use crate::validate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{Action, Actor, Category, Event};
use crate::auth::secret::ExpiresIn;
use crate::auth::AuthUser;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::portal::model::{CreateAccessToken, CreatedAccessToken};
use crate::portal::settings::{nda_digest, Portal};
use crate::time::{now, utc};
use crate::validate::Checks;

crate::text_vocabulary! {
    /// Where an access request stands.
    AccessRequestStatus { Pending, Approved, Declined }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_requests)]
struct Row {
    id: String,
    name: String,
    company: String,
    email: String,
    reason: String,
    nda_version: Option<String>,
    nda_sha256: Option<String>,
    requested_at: chrono::NaiveDateTime,
    status: AccessRequestStatus,
    decided_at: Option<chrono::NaiveDateTime>,
    decided_by_name: Option<String>,
    decision_note: Option<String>,
    token_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct NewAccessRequest {
    /// The requester's name (1–200 characters).
    #[garde(custom(validate::text(1, 200)))]
    pub name: String,
    /// The company they ask for (1–200 characters).
    #[garde(custom(validate::text(1, 200)))]
    pub company: String,
    /// Where the manufacturer answers.
    #[garde(custom(validate::email))]
    pub email: String,
    /// Why they need access, e.g. the contract or the product they run (1–2000 characters).
    #[garde(custom(validate::text(1, 2000)))]
    pub reason: String,
    /// The version of the NDA accepted (required when the portal has one).
    #[garde(skip)]
    pub nda_version: Option<String>,
    /// The SHA-256 (hex) of the NDA text accepted, as the landing page gave it.
    #[garde(skip)]
    pub nda_sha256: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessRequestReceipt {
    /// Always `received`: the manufacturer reviews requests and answers by e-mail.
    pub status: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessRequestView {
    pub id: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub reason: String,
    /// The NDA version accepted and the SHA-256 of its text (null: the portal had none).
    pub nda_version: Option<String>,
    pub nda_sha256: Option<String>,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub status: AccessRequestStatus,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    /// The access token the approval created.
    pub token_id: Option<String>,
}

impl From<Row> for AccessRequestView {
    fn from(r: Row) -> Self {
        AccessRequestView {
            id: r.id,
            name: r.name,
            company: r.company,
            email: r.email,
            reason: r.reason,
            nda_version: r.nda_version,
            nda_sha256: r.nda_sha256,
            requested_at: utc(r.requested_at),
            status: r.status,
            decided_at: r.decided_at.map(utc),
            decided_by: r.decided_by_name,
            decision_note: r.decision_note,
            token_id: r.token_id,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, tag = "decision", rename_all = "snake_case")]
pub enum AccessDecision {
    /// Creates an access token for the requester (its secret is shown once, in this answer).
    Approve {
        /// Default `1y`.
        expires_in: Option<ExpiresIn>,
        /// Limit the token to these products (ids); every portal product when absent.
        product_ids: Option<Vec<String>>,
        /// Default `amber`.
        max_tlp: Option<crate::domain::Tlp>,
        /// Default: the requester's company.
        token_name: Option<String>,
        note: Option<String>,
    },
    Decline {
        /// Kept with the request (not sent).
        note: Option<String>,
    },
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessDecisionResult {
    pub request: AccessRequestView,
    /// The new access token when approved; its secret is shown this once.
    pub token: Option<CreatedAccessToken>,
}

/// Checks a request against the portal (fields, the NDA accepted) before anything is counted.
pub fn validate(portal: &Portal, req: &NewAccessRequest) -> ApiResult<()> {
    if !portal.access_requests_enabled {
        return Err(ApiError::NotFound("this portal does not take access requests".into()));
    }
    let mut c = Checks::of(req);
    if let (Some(text), Some(version)) = (&portal.nda_text, &portal.nda_version) {
        match (&req.nda_version, &req.nda_sha256) {
            (Some(v), Some(h)) => {
                c.check(
                    v == version && h.eq_ignore_ascii_case(&nda_digest(text)),
                    "nda_sha256",
                    format!("the non-disclosure agreement changed: read and accept version {version} again"),
                );
            }
            _ => {
                c.check(false, "nda_sha256", format!("accept the non-disclosure agreement (version {version}) first"));
            }
        }
    }
    c.finish()
}

/// A visitor asks (after [`validate`]). Same answer whether or not a request from that address is
/// already pending.
pub fn request(
    conn: &mut DbConnection,
    portal: &Portal,
    req: &NewAccessRequest,
    client: &ClientInfo,
) -> ApiResult<AccessRequestReceipt> {
    validate(portal, req)?;
    let email = req.email.trim().to_lowercase();
    let pending: i64 = access_requests::table
        .filter(access_requests::org_id.eq(&portal.org_id))
        .filter(access_requests::email.eq(&email))
        .filter(access_requests::status.eq(AccessRequestStatus::Pending))
        .count()
        .get_result(conn)?;
    let receipt = AccessRequestReceipt {
        status: "received".into(),
        message: format!("Thank you. {} reviews access requests and answers by e-mail.", portal.display_name),
    };
    if pending > 0 {
        return Ok(receipt);
    }
    let id = uuid::Uuid::new_v4().to_string();
    let accepted = portal.nda_text.as_deref().map(nda_digest);
    diesel::insert_into(access_requests::table)
        .values((
            access_requests::id.eq(&id),
            access_requests::org_id.eq(&portal.org_id),
            access_requests::name.eq(req.name.trim()),
            access_requests::company.eq(req.company.trim()),
            access_requests::email.eq(&email),
            access_requests::reason.eq(req.reason.trim()),
            access_requests::nda_version.eq(accepted.as_ref().and(portal.nda_version.as_ref())),
            access_requests::nda_sha256.eq(&accepted),
            access_requests::requested_at.eq(now()),
            access_requests::status.eq(AccessRequestStatus::Pending),
        ))
        .execute(conn)?;
    Event::new(Some(&portal.org_id), Category::Portal, Action::PortalAccessRequest, Actor::Anonymous, client)
        .details(serde_json::json!({"access_request_id": id, "company": req.company.trim(),
            "nda_version": accepted.as_ref().and(portal.nda_version.as_ref()), "nda_sha256": accepted}))
        .record(conn)?;
    crate::notify::targeting::to_admins(
        conn,
        portal,
        crate::notify::EventType::AccessRequested,
        format!("{} ({}) asks for access to the portal: {}", req.name.trim(), req.company.trim(), req.reason.trim()),
        None,
    )?;
    Ok(receipt)
}

fn get_row(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<Row> {
    access_requests::table
        .filter(access_requests::org_id.eq(org_id))
        .filter(access_requests::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("access request `{id}` not found")))
}

/// The organisation's requests, pending first, newest first; `status` narrows.
pub fn list(
    conn: &mut DbConnection,
    org_id: &str,
    status: Option<AccessRequestStatus>,
) -> ApiResult<Vec<AccessRequestView>> {
    let mut q = access_requests::table.filter(access_requests::org_id.eq(org_id)).into_boxed();
    if let Some(s) = status {
        q = q.filter(access_requests::status.eq(s));
    }
    let rows: Vec<Row> =
        q.order(access_requests::requested_at.desc()).limit(500).select(Row::as_select()).load(conn)?;
    let mut out: Vec<AccessRequestView> = rows.into_iter().map(Into::into).collect();
    out.sort_by_key(|r| r.status != AccessRequestStatus::Pending);
    Ok(out)
}

/// How many requests wait for a decision.
pub fn pending_count(conn: &mut DbConnection, org_id: &str) -> ApiResult<i64> {
    Ok(access_requests::table
        .filter(access_requests::org_id.eq(org_id))
        .filter(access_requests::status.eq(AccessRequestStatus::Pending))
        .count()
        .get_result(conn)?)
}

/// An admin approves (a new access token, through the ordinary token rules) or declines.
pub fn decide(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    d: &AccessDecision,
    user: &AuthUser,
    client: &ClientInfo,
) -> ApiResult<AccessDecisionResult> {
    let current = get_row(conn, org_id, id)?;
    if current.status != AccessRequestStatus::Pending {
        return Err(ApiError::Conflict(format!("this request was already {}", current.status.as_str())));
    }
    let (status, note, token) = match d {
        AccessDecision::Approve { expires_in, product_ids, max_tlp, token_name, note } => {
            let created = crate::portal::tokens::create(
                conn,
                org_id,
                &CreateAccessToken {
                    name: token_name.clone().unwrap_or_else(|| current.company.clone()),
                    expires_in: expires_in.unwrap_or(ExpiresIn::Year),
                    product_ids: product_ids.clone(),
                    max_tlp: *max_tlp,
                    contact_email: Some(current.email.clone()),
                },
                user,
                client,
            )?;
            (AccessRequestStatus::Approved, note, Some(created))
        }
        AccessDecision::Decline { note } => (AccessRequestStatus::Declined, note, None),
    };
    let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        let mut c = Checks::new();
        c.text("note", n, 0, 2000);
        c.finish()?;
    }
    let token_id = token.as_ref().map(|t| t.access_token.id.clone());
    diesel::update(access_requests::table.find(id))
        .set((
            access_requests::status.eq(status),
            access_requests::decided_at.eq(Some(now())),
            access_requests::decided_by_name.eq(Some(&user.email)),
            access_requests::decision_note.eq(note),
            access_requests::token_id.eq(&token_id),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::PortalAccessDecide, user.actor(), client)
        .details(serde_json::json!({"access_request_id": id, "decision": status.as_str(), "token_id": token_id,
            "company": current.company}))
        .record(conn)?;
    Ok(AccessDecisionResult { request: get_row(conn, org_id, id)?.into(), token })
}
