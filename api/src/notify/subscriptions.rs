//! Customers' subscriptions: an access token's e-mail address and/or webhook, the events it
//! wants and, optionally, the products. A webhook's signing secret (`whsec_…`) is shown once and
//! kept sealed (`auth::seal`), since the worker must sign with it.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::EventType;
use crate::audit::{Action, Actor, Category, Event};
use crate::client::ClientInfo;
use crate::db::subquery::in_subquery;
use crate::db::{schema::*, DbConnection};
use crate::disclosure;
use crate::error::{ApiError, ApiResult};
use crate::portal::settings::Portal;
use crate::portal::tokens::AccessToken;
use crate::time::{now, utc};
use crate::validate::Checks;

pub const SEAL_PURPOSE: &str = "supplier-portal/webhook-secret/v1";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
pub struct Subscription {
    pub id: String,
    pub org_id: String,
    pub token_id: String,
    pub email: Option<String>,
    pub webhook_url: Option<String>,
    pub sealed_secret: Option<String>,
    pub secret_hint: Option<String>,
    pub events: String,
    pub product_ids: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub created_by_name: String,
    pub deleted_at: Option<chrono::NaiveDateTime>,
}

impl Subscription {
    pub fn events(&self) -> Vec<EventType> {
        self.events.split_whitespace().filter_map(|e| e.parse().ok()).collect()
    }
    pub fn products(&self) -> Option<Vec<String>> {
        self.product_ids.as_deref().map(|s| s.split_whitespace().map(str::to_string).collect())
    }
    /// Whether it wants `event` about `product_id` (events not about a product: always).
    pub fn wants(&self, event: EventType, product_id: Option<&str>) -> bool {
        self.events().contains(&event)
            && match (self.products(), product_id) {
                (Some(list), Some(p)) => list.iter().any(|x| x == p),
                _ => true,
            }
    }
}

/// A subscription request (customers with their token; admins for a token).
/// The e-mail address is checked here; the webhook address, events and products against the
/// token in [`validate`].
#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateSubscription {
    /// Where e-mails go.
    #[garde(custom(crate::validate::opt_email))]
    pub email: Option<String>,
    /// Where signed webhooks go (https; no private addresses).
    #[garde(skip)]
    pub webhook_url: Option<String>,
    /// Event types (default: all): `advisory.published`, `vex.published`, `sbom.published`,
    /// `document.published`, `artifact.withdrawn`, `token.expiring`.
    #[garde(skip)]
    pub events: Option<Vec<EventType>>,
    /// Product slugs (or ids) to limit it to; default: every product the token may see.
    #[garde(skip)]
    pub products: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: String,
    pub email: Option<String>,
    pub webhook_url: Option<String>,
    /// A hint of the webhook secret (`whsec_…ab12`).
    pub secret_hint: Option<String>,
    pub events: Vec<EventType>,
    /// Product slugs; null: every product the token may see.
    pub products: Option<Vec<String>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSubscription {
    #[serde(flatten)]
    pub subscription: SubscriptionView,
    /// The webhook signing secret (Standard Webhooks, `whsec_…`), shown this once.
    pub webhook_secret: Option<String>,
}

pub fn live_of_org(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<Subscription>> {
    Ok(subscriptions::table
        .filter(subscriptions::org_id.eq(org_id))
        .filter(subscriptions::deleted_at.is_null())
        .select(Subscription::as_select())
        .load(conn)?)
}

pub fn of_token(conn: &mut DbConnection, token_id: &str) -> ApiResult<Vec<Subscription>> {
    Ok(subscriptions::table
        .filter(subscriptions::token_id.eq(token_id))
        .filter(subscriptions::deleted_at.is_null())
        .order(subscriptions::created_at.asc())
        .select(Subscription::as_select())
        .load(conn)?)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> ApiResult<Option<Subscription>> {
    Ok(subscriptions::table.find(id).select(Subscription::as_select()).first(conn).optional()?)
}

fn slugs_of(conn: &mut DbConnection, ids: &[String]) -> ApiResult<Vec<String>> {
    Ok(products::table
        .filter(products::id.eq_any(ids))
        .order(products::slug.asc())
        .select(products::slug)
        .load(conn)?)
}

pub fn view(conn: &mut DbConnection, s: Subscription) -> ApiResult<SubscriptionView> {
    let products = match s.products() {
        Some(ids) => Some(slugs_of(conn, &ids)?),
        None => None,
    };
    Ok(SubscriptionView {
        events: s.events(),
        products,
        id: s.id,
        email: s.email,
        webhook_url: s.webhook_url,
        secret_hint: s.secret_hint,
        created_at: utc(s.created_at),
        created_by: s.created_by_name,
    })
}

pub fn list(conn: &mut DbConnection, token_id: &str) -> ApiResult<Vec<SubscriptionView>> {
    of_token(conn, token_id)?.into_iter().map(|s| view(conn, s)).collect()
}

/// Checks a request (form only; the webhook's address is checked by the caller, asynchronously,
/// before the transaction). Returns the event list and the product ids, resolved against what
/// the token may see (the disclosure rule).
pub fn check(
    conn: &mut DbConnection,
    portal: &Portal,
    token: &AccessToken,
    req: &CreateSubscription,
    allow_private: bool,
) -> ApiResult<(Vec<EventType>, Option<Vec<String>>)> {
    let mut c = Checks::of(req);
    let email = req.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    let hook = req.webhook_url.as_deref().map(str::trim).filter(|e| !e.is_empty());
    c.check(email.is_some() || hook.is_some(), "email", "give an e-mail address, a webhook_url, or both");
    let mut events = Vec::new();
    match &req.events {
        None => events.extend(EventType::CUSTOMER),
        Some(list) => {
            c.check(!list.is_empty(), "events", "name at least one event (omit it for all)");
            for t in list {
                if !EventType::CUSTOMER.contains(t) {
                    c.add(
                        "events",
                        format!(
                            "`{}` is not an event customers subscribe to: {}",
                            t.as_str(),
                            EventType::CUSTOMER.map(|t| t.as_str()).join(", ")
                        ),
                    );
                } else if !events.contains(t) {
                    events.push(*t);
                }
            }
        }
    }
    let mut product_ids = None;
    if let Some(list) = &req.products {
        c.check(!list.is_empty(), "products", "name at least one product (omit it for all)");
        let audience = portal.audience(token.reader());
        let visible: Vec<(String, String)> = products::table
            .filter(in_subquery(products::id, disclosure::sql::product_ids(&audience)))
            .select((products::id, products::slug))
            .load(conn)?;
        let mut ids = Vec::new();
        for p in list {
            match visible.iter().find(|(id, slug)| id == p || slug == p) {
                Some((id, _)) => ids.push(id.clone()),
                None => {
                    c.add("products", format!("`{p}` is not a product this token may see"));
                }
            }
        }
        ids.sort();
        ids.dedup();
        product_ids = Some(ids);
    }
    c.finish()?;
    if let Some(h) = hook {
        super::webhook_url::check_form(h, allow_private)?;
    }
    Ok((events, product_ids))
}

/// Stores a subscription checked by [`check`]; returns it with the webhook secret (once).
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut DbConnection,
    kek: &[u8],
    token: &AccessToken,
    req: &CreateSubscription,
    events: &[EventType],
    product_ids: Option<&[String]>,
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<CreatedSubscription> {
    let live = of_token(conn, &token.id)?.len();
    if live >= 10 {
        return Err(ApiError::Conflict("a token has at most 10 subscriptions; delete one first".into()));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let email = req.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    let hook = req.webhook_url.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    let secret = hook.as_ref().map(|_| {
        use base64::Engine;
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key))
    });
    let sealed = match &secret {
        Some(s) => Some(
            crate::auth::seal::seal(kek, SEAL_PURPOSE, id.as_bytes(), s.as_bytes())
                .map_err(|e| ApiError::internal(anyhow::anyhow!("sealing the webhook secret: {e}")))?,
        ),
        None => None,
    };
    let hint = secret.as_ref().map(|s| format!("whsec_…{}", &s[s.len() - 4..]));
    let by = actor.name().unwrap_or("anonymous").to_string();
    diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::id.eq(&id),
            subscriptions::org_id.eq(&token.org_id),
            subscriptions::token_id.eq(&token.id),
            subscriptions::email.eq(&email),
            subscriptions::webhook_url.eq(&hook),
            subscriptions::sealed_secret.eq(&sealed),
            subscriptions::secret_hint.eq(&hint),
            subscriptions::events.eq(events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(" ")),
            subscriptions::product_ids.eq(product_ids.map(|p| p.join(" "))),
            subscriptions::created_at.eq(now()),
            subscriptions::created_by_name.eq(&by),
        ))
        .execute(conn)?;
    let category = if matches!(actor, Actor::AccessToken { .. }) { Category::Portal } else { Category::Admin };
    Event::new(Some(&token.org_id), category, Action::SubscriptionCreate, actor, client)
        .details(serde_json::json!({"subscription_id": id, "token_id": token.id, "email": email.is_some(),
            "webhook_url": hook, "events": events, "product_ids": product_ids}))
        .record(conn)?;
    let s = by_id(conn, &id)?.ok_or_else(|| ApiError::internal(anyhow::anyhow!("subscription vanished")))?;
    Ok(CreatedSubscription { subscription: view(conn, s)?, webhook_secret: secret })
}

/// Ends a subscription of `token_id` (kept for the record; nothing more is queued for it).
pub fn delete(conn: &mut DbConnection, token_id: &str, id: &str, actor: Actor, client: &ClientInfo) -> ApiResult<()> {
    let s = by_id(conn, id)?
        .filter(|s| s.token_id == token_id && s.deleted_at.is_none())
        .ok_or_else(|| ApiError::NotFound(format!("subscription `{id}` not found")))?;
    diesel::update(subscriptions::table.find(id)).set(subscriptions::deleted_at.eq(Some(now()))).execute(conn)?;
    let category = if matches!(actor, Actor::AccessToken { .. }) { Category::Portal } else { Category::Admin };
    Event::new(Some(&s.org_id), category, Action::SubscriptionDelete, actor, client)
        .details(serde_json::json!({"subscription_id": id, "token_id": token_id}))
        .record(conn)?;
    Ok(())
}

/// The webhook secret of a subscription, unsealed for signing.
pub fn secret_of(kek: &[u8], s: &Subscription) -> ApiResult<Option<String>> {
    let Some(sealed) = &s.sealed_secret else { return Ok(None) };
    let plain = crate::auth::seal::unseal(kek, SEAL_PURPOSE, s.id.as_bytes(), sealed).map_err(|e| {
        ApiError::internal(anyhow::anyhow!(
            "cannot unseal the webhook secret of subscription {} ({e}); was PORTAL_KEY_ENCRYPTION_KEY changed?",
            s.id
        ))
    })?;
    String::from_utf8(plain).map(Some).map_err(|e| ApiError::internal(anyhow::Error::from(e)))
}
