//! Portal settings (admins only). A disabled portal answers 404 to everyone on the customer side.

use diesel::prelude::*;

use super::model::*;
use crate::audit::{Category, Event};
use crate::auth::{AuthUser, ClientInfo};
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::{actor_of, now};
use crate::orgs::store::Org;
use crate::validate::Checks;

/// A portal row (or the defaults before the first save).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = portals)]
pub struct Portal {
    pub org_id: String,
    pub enabled: bool,
    pub slug: String,
    pub visibility: String,
    pub display_name: String,
    pub description: String,
    pub contact_email: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
}

impl Portal {
    pub fn is_public(&self) -> bool {
        self.visibility == "public"
    }
}

pub fn url_of(public_url: &str, slug: &str) -> String {
    format!("{public_url}/portal/{slug}")
}

fn view(p: Portal, public_url: &str) -> PortalSettings {
    PortalSettings {
        url: url_of(public_url, &p.slug),
        enabled: p.enabled,
        visibility: Visibility::parse(&p.visibility),
        slug: p.slug,
        display_name: p.display_name,
        description: p.description,
        contact_email: p.contact_email,
    }
}

pub fn find(conn: &mut DbConnection, org_id: &str) -> ApiResult<Option<Portal>> {
    Ok(portals::table.find(org_id).select(Portal::as_select()).first(conn).optional()?)
}

pub fn get(conn: &mut DbConnection, org: &Org, public_url: &str) -> ApiResult<PortalSettings> {
    let p = find(conn, &org.id)?.unwrap_or_else(|| Portal {
        org_id: org.id.clone(),
        enabled: false,
        slug: org.slug.clone(),
        visibility: "private".into(),
        display_name: org.name.clone(),
        description: String::new(),
        contact_email: None,
        updated_at: now(),
    });
    Ok(view(p, public_url))
}

/// An enabled portal by its slug; `None` when unknown or disabled (the caller answers 404).
pub fn enabled_by_slug(conn: &mut DbConnection, slug: &str) -> ApiResult<Option<Portal>> {
    Ok(portals::table
        .filter(portals::slug.eq(slug))
        .filter(portals::enabled.eq(true))
        .select(Portal::as_select())
        .first(conn)
        .optional()?)
}

pub fn put(
    conn: &mut DbConnection,
    org: &Org,
    req: &UpdatePortalSettings,
    user: &AuthUser,
    client: &ClientInfo,
    public_url: &str,
) -> ApiResult<PortalSettings> {
    let mut c = Checks::new();
    c.slug("slug", &req.slug).text("display_name", &req.display_name, 1, 200).text(
        "description",
        &req.description,
        0,
        5000,
    );
    let contact = req.contact_email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    if let Some(e) = contact {
        c.email("contact_email", e);
    }
    c.finish()?;
    let taken: i64 = portals::table
        .filter(portals::slug.eq(&req.slug))
        .filter(portals::org_id.ne(&org.id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ApiError::Conflict(format!("the portal slug `{}` is taken", req.slug)));
    }
    let values = (
        portals::enabled.eq(req.enabled),
        portals::slug.eq(&req.slug),
        portals::visibility.eq(req.visibility.as_str()),
        portals::display_name.eq(req.display_name.trim()),
        portals::description.eq(req.description.trim()),
        portals::contact_email.eq(contact),
        portals::updated_at.eq(now()),
    );
    let before = find(conn, &org.id)?;
    if before.is_some() {
        diesel::update(portals::table.find(&org.id)).set(values).execute(conn)?;
    } else {
        diesel::insert_into(portals::table).values((portals::org_id.eq(&org.id), values)).execute(conn)?;
    }
    Event::new(Some(&org.id), Category::Admin, "portal.settings.update", actor_of(user), client)
        .details(serde_json::json!({
            "enabled": req.enabled, "slug": req.slug, "visibility": req.visibility.as_str(),
            "previous": before.map(|b| serde_json::json!({"enabled": b.enabled, "slug": b.slug, "visibility": b.visibility})),
        }))
        .record(conn)?;
    get(conn, org, public_url)
}
