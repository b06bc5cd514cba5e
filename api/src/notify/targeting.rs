//! Who receives an event — the one targeting rule, asked by every path that raises one
//! (publishing, withdrawal, the vulnerability response loop, token expiry).
//!
//! A customer receives an event about artifacts when its access token is live, the disclosure
//! rule lets that token see at least one of them, and it has a channel that wants the event:
//! a subscription (its event types and products) or, for security responses and its own expiry,
//! the token's contact address. Each recipient's payload lists only what it may see. Rows are
//! queued in the caller's transaction (the outbox), so an event is sent if and only if what
//! raised it commits.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::model::*;
use super::outbox::{self, Notice};
use super::subscriptions::{self, Subscription};
use crate::artifacts::store::Artifact;
use crate::db::subquery::in_subquery;
use crate::db::{schema::*, DbConnection};
use crate::disclosure;
use crate::error::ApiResult;
use crate::portal::settings::{self, Portal};
use crate::portal::tokens::{self, AccessToken};
use crate::time::utc;

/// What happened, about which artifacts.
#[derive(Debug, Clone)]
pub struct Subject {
    pub event: EventType,
    pub artifact_ids: Vec<String>,
    /// Vulnerability ids the event is about.
    pub vulnerabilities: Vec<String>,
    /// The vulnerability record (its internal id) the notifications belong to, if any.
    pub vulnerability_ref: Option<String>,
    pub summary: String,
}

/// A channel of one token.
#[derive(Debug, Clone)]
struct Route {
    channel: Channel,
    target: String,
    subscription_id: Option<String>,
}

/// The channels of `token` that want `event` about `product_id` (None: not about a product).
fn routes(token: &AccessToken, subs: &[Subscription], event: EventType, product_id: Option<&str>) -> Vec<Route> {
    let mut out: Vec<Route> = Vec::new();
    for s in subs.iter().filter(|s| token.id == s.token_id && s.wants(event, product_id)) {
        if let Some(e) = &s.email {
            out.push(Route { channel: Channel::Email, target: e.clone(), subscription_id: Some(s.id.clone()) });
        }
        if let Some(u) = &s.webhook_url {
            out.push(Route { channel: Channel::Webhook, target: u.clone(), subscription_id: Some(s.id.clone()) });
        }
    }
    if let Some(contact) = token.contact_email.as_ref().filter(|_| EventType::CONTACT.contains(&event)) {
        let already = out.iter().any(|r| r.channel == Channel::Email && r.target.eq_ignore_ascii_case(contact));
        if !already {
            out.push(Route { channel: Channel::Email, target: contact.clone(), subscription_id: None });
        }
    }
    out
}

/// Where each artifact is filed: (artifact id, version id, version, product id, slug, name).
type Placement = (String, String, String, String, String, String);

fn placements_visible(
    conn: &mut DbConnection,
    audience: &disclosure::Audience,
    artifact_ids: &[String],
) -> ApiResult<Vec<Placement>> {
    Ok(artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq_any(artifact_ids))
        .filter(in_subquery(artifact_versions::version_id, disclosure::sql::version_ids(audience)))
        .select((
            artifact_versions::artifact_id,
            product_versions::id,
            product_versions::version,
            products::id,
            products::slug,
            products::name,
        ))
        .order((products::slug.asc(), product_versions::created_at.asc()))
        .load(conn)?)
}

fn portal_ref(p: &Portal) -> PortalRef {
    PortalRef { slug: p.slug.clone(), name: p.display_name.clone(), url: format!("/portal/{}", p.slug) }
}

fn token_ref(t: &AccessToken) -> TokenRef {
    TokenRef { id: t.id.to_string(), name: t.name.clone(), expires_at: t.expires_at.map(utc) }
}

/// Queues `subject` for every customer who may see at least one of its artifacts; one
/// notification per (recipient channel, product). Returns how many were queued.
pub fn raise(conn: &mut DbConnection, org_id: &str, subject: &Subject) -> ApiResult<usize> {
    let Some(portal) = settings::find(conn, org_id)?.filter(|p| p.enabled) else {
        return Ok(0);
    };
    if subject.artifact_ids.is_empty() {
        return Ok(0);
    }
    let subs = subscriptions::live_of_org(conn, org_id)?;
    let artifacts: BTreeMap<String, Artifact> = artifacts::table
        .filter(artifacts::id.eq_any(&subject.artifact_ids))
        .select(Artifact::as_select())
        .load(conn)?
        .into_iter()
        .map(|a| (a.id.to_string(), a))
        .collect();
    let mut queued = 0;
    // Tokens with the same scope and clearance see the same: the rule is asked once per audience.
    let mut seen: BTreeMap<(Option<Vec<String>>, crate::domain::Tlp), Vec<Placement>> = BTreeMap::new();
    for token in tokens::live_of_org(conn, org_id)? {
        if !subs.iter().any(|s| token.id == s.token_id) && token.contact_email.is_none() {
            continue;
        }
        let audience = portal.audience(token.reader());
        let key = (token.scope(), token.max_tlp);
        if !seen.contains_key(&key) {
            // The rule decides, in SQL: the artifacts this audience may see (withdrawal events are
            // raised before the withdrawal commits, while the token still sees what it loses).
            let visible: Vec<String> = artifacts::table
                .filter(artifacts::id.eq_any(&subject.artifact_ids))
                .filter(in_subquery(artifacts::id, disclosure::sql::artifact_ids(&audience)))
                .select(artifacts::id)
                .load(conn)?;
            let placed = if visible.is_empty() { Vec::new() } else { placements_visible(conn, &audience, &visible)? };
            seen.insert(key.clone(), placed);
        }
        let placed = seen.get(&key).cloned().unwrap_or_default();
        if placed.is_empty() {
            continue;
        }
        // One payload per product the visible artifacts are filed under.
        let mut by_product: BTreeMap<String, (ProductRef, Vec<VersionRef>, Vec<String>)> = BTreeMap::new();
        for (aid, vid, version, pid, slug, name) in placed {
            let e = by_product
                .entry(pid.clone())
                .or_insert_with(|| (ProductRef { id: pid, slug, name }, Vec::new(), Vec::new()));
            if !e.1.iter().any(|v| v.id == vid) {
                e.1.push(VersionRef { id: vid, version });
            }
            if !e.2.contains(&aid) {
                e.2.push(aid);
            }
        }
        for (pid, (product, versions, ids)) in by_product {
            let channels = routes(&token, &subs, subject.event, Some(&pid));
            if channels.is_empty() {
                continue;
            }
            let refs = ids
                .iter()
                .filter_map(|id| artifacts.get(id))
                .map(|a| ArtifactRef {
                    id: a.id.to_string(),
                    kind: a.kind,
                    format: a.format.clone(),
                    filename: a.filename.clone(),
                    sha256: a.sha256.clone(),
                    tlp: audience.effective(a.tlp),
                    download_url: (subject.event != EventType::ArtifactWithdrawn)
                        .then(|| format!("/api/v1/portal/{}/artifacts/{}/download", portal.slug, a.id)),
                })
                .collect();
            let payload = Payload {
                event_type: subject.event,
                timestamp: chrono::Utc::now(),
                data: PayloadData {
                    summary: format!("{}: {}", product.name, subject.summary),
                    portal: portal_ref(&portal),
                    product: Some(product),
                    versions,
                    vulnerabilities: subject.vulnerabilities.clone(),
                    artifacts: refs,
                    token: Some(token_ref(&token)),
                },
            };
            queued += queue_all(conn, org_id, &token, subject.vulnerability_ref.as_deref(), &channels, &payload)?;
        }
    }
    Ok(queued)
}

fn queue_all(
    conn: &mut DbConnection,
    org_id: &str,
    token: &AccessToken,
    vulnerability: Option<&str>,
    channels: &[Route],
    payload: &Payload,
) -> ApiResult<usize> {
    for r in channels {
        outbox::enqueue(
            conn,
            Notice {
                org_id,
                token_id: Some(&token.id),
                subscription_id: r.subscription_id.as_deref(),
                vulnerability_id: vulnerability,
                channel: r.channel,
                target: &r.target,
                payload,
            },
        )?;
    }
    Ok(channels.len())
}

/// Queues `token.expiring` for a token (its subscriptions that want it and its contact address).
pub fn token_expiring(conn: &mut DbConnection, portal: &Portal, token: &AccessToken, days: i64) -> ApiResult<usize> {
    let subs = subscriptions::of_token(conn, &token.id)?;
    let channels = routes(token, &subs, EventType::TokenExpiring, None);
    if channels.is_empty() {
        return Ok(0);
    }
    let when = token.expires_at.map(|e| utc(e).format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
    let payload = Payload {
        event_type: EventType::TokenExpiring,
        timestamp: chrono::Utc::now(),
        data: PayloadData {
            summary: format!(
                "your access token \"{}\" to {} expires in {days} day{} ({when}); ask for a renewal on the portal",
                token.name,
                portal.display_name,
                if days == 1 { "" } else { "s" }
            ),
            portal: portal_ref(portal),
            product: None,
            versions: Vec::new(),
            vulnerabilities: Vec::new(),
            artifacts: Vec::new(),
            token: Some(token_ref(token)),
        },
    };
    queue_all(conn, &portal.org_id, token, None, &channels, &payload)
}

/// Queues a message to the organisation's admins (deadline reminders, renewal requests).
pub fn to_admins(
    conn: &mut DbConnection,
    portal: &Portal,
    event: EventType,
    summary: String,
    vulnerability: Option<&str>,
) -> ApiResult<usize> {
    let admins: Vec<String> = memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(&portal.org_id))
        .filter(memberships::role.eq(crate::domain::Role::Admin))
        .select(users::email)
        .load(conn)?;
    let payload = Payload {
        event_type: event,
        timestamp: chrono::Utc::now(),
        data: PayloadData {
            summary,
            portal: portal_ref(portal),
            product: None,
            versions: Vec::new(),
            vulnerabilities: Vec::new(),
            artifacts: Vec::new(),
            token: None,
        },
    };
    for to in &admins {
        outbox::enqueue(
            conn,
            Notice {
                org_id: &portal.org_id,
                token_id: None,
                subscription_id: None,
                vulnerability_id: vulnerability,
                channel: Channel::Email,
                target: to,
                payload: &payload,
            },
        )?;
    }
    Ok(admins.len())
}
