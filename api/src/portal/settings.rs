//! Portal settings (admins only). A disabled portal answers 404 to everyone on the customer side.

use diesel::prelude::*;

use super::model::*;
use crate::audit::{Action, Category, Event};
use crate::auth::AuthUser;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{Audience, ReaderKind};
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};
use crate::orgs::store::Org;
use crate::time::now;
use crate::validate::Checks;

/// A portal row (or the defaults before the first save).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = portals)]
pub struct Portal {
    pub org_id: String,
    pub enabled: bool,
    pub slug: String,
    pub visibility: Visibility,
    pub display_name: String,
    pub description: String,
    pub contact_email: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
    pub default_tlp: Tlp,
    pub csaf_publisher_name: Option<String>,
    pub csaf_publisher_namespace: Option<String>,
    pub csaf_publisher_category: String,
    pub csaf_publisher_contact_details: Option<String>,
    pub csaf_publisher_issuing_authority: Option<String>,
    /// Conformance profiles an SBOM must pass before it is published (space-separated ids).
    pub require_conformance: String,
    pub notify_within_hours: i32,
    pub critical_fix_business_days: i32,
    /// Days before expiry a `token.expiring` notice is sent (space-separated).
    pub expiry_warning_days: String,
    pub landing_show_description: bool,
    pub landing_show_contact: bool,
    /// The logo's blob (SHA-256) and media type, shown on the landing page.
    pub logo_sha256: Option<String>,
    pub logo_media_type: Option<String>,
    pub access_requests_enabled: bool,
    pub nda_text: Option<String>,
    pub nda_version: Option<String>,
}

impl Portal {
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }

    /// The portal an organisation has before its settings are first saved (disabled, private).
    pub fn unsaved(org: &Org) -> Portal {
        Portal {
            org_id: org.id.to_string(),
            enabled: false,
            slug: org.slug.clone(),
            visibility: Visibility::Private,
            display_name: org.name.clone(),
            description: String::new(),
            contact_email: None,
            updated_at: now(),
            default_tlp: Tlp::Clear,
            csaf_publisher_name: None,
            csaf_publisher_namespace: None,
            csaf_publisher_category: "vendor".into(),
            csaf_publisher_contact_details: None,
            csaf_publisher_issuing_authority: None,
            require_conformance: String::new(),
            notify_within_hours: 48,
            critical_fix_business_days: 15,
            expiry_warning_days: "14 3".into(),
            landing_show_description: true,
            landing_show_contact: true,
            logo_sha256: None,
            logo_media_type: None,
            access_requests_enabled: false,
            nda_text: None,
            nda_version: None,
        }
    }

    /// The configured CSAF publisher, if any.
    pub fn csaf_publisher(&self) -> Option<CsafPublisher> {
        Some(CsafPublisher {
            category: self.csaf_publisher_category.clone(),
            name: self.csaf_publisher_name.clone()?,
            namespace: self.csaf_publisher_namespace.clone()?,
            contact_details: self.csaf_publisher_contact_details.clone(),
            issuing_authority: self.csaf_publisher_issuing_authority.clone(),
        })
    }

    /// The conformance profiles SBOMs must pass before publication.
    pub fn required_profiles(&self) -> Vec<String> {
        self.require_conformance.split_whitespace().map(str::to_string).collect()
    }

    /// Days before a token's expiry its `token.expiring` notices are sent, largest first.
    pub fn expiry_warnings(&self) -> Vec<i32> {
        let mut d: Vec<i32> = self.expiry_warning_days.split_whitespace().filter_map(|d| d.parse().ok()).collect();
        d.sort_unstable_by(|a, b| b.cmp(a));
        d
    }

    pub fn response(&self) -> ResponseSettings {
        ResponseSettings {
            notify_within_hours: self.notify_within_hours,
            critical_fix_business_days: self.critical_fix_business_days,
            expiry_warning_days: self.expiry_warnings(),
        }
    }

    /// What the sign-in page of a private portal shows and offers.
    pub fn landing(&self) -> LandingSettings {
        LandingSettings {
            show_description: self.landing_show_description,
            show_contact: self.landing_show_contact,
            access_requests: self.access_requests_enabled,
            nda: match (&self.nda_version, &self.nda_text) {
                (Some(version), Some(text)) => Some(Nda { version: version.clone(), text: text.clone() }),
                _ => None,
            },
        }
    }

    /// Where the logo is served, when there is one.
    pub fn logo_url(&self) -> Option<String> {
        self.logo_sha256.as_ref().map(|sha| format!("/api/v1/portal/{}/logo?v={}", self.slug, &sha[..12]))
    }

    /// A reader of this portal, for the disclosure rule.
    pub fn audience(&self, reader: ReaderKind) -> Audience {
        Audience { org_id: self.org_id.clone(), public_portal: self.is_public(), default_tlp: self.default_tlp, reader }
    }
}

/// The SHA-256 (hex) of an NDA text, as the landing page shows it and access requests name it.
pub fn nda_digest(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

pub fn url_of(public_url: &str, slug: &str) -> String {
    format!("{public_url}/portal/{slug}")
}

fn view(p: Portal, public_url: &str) -> PortalSettings {
    PortalSettings {
        url: url_of(public_url, &p.slug),
        csaf_publisher: p.csaf_publisher(),
        require_conformance: p.required_profiles(),
        response: p.response(),
        landing: p.landing(),
        logo_url: p.logo_url(),
        default_tlp: p.default_tlp,
        enabled: p.enabled,
        visibility: p.visibility,
        slug: p.slug,
        display_name: p.display_name,
        description: p.description,
        contact_email: p.contact_email,
    }
}

pub fn find(conn: &mut DbConnection, org_id: &str) -> ApiResult<Option<Portal>> {
    Ok(portals::table.find(org_id).select(Portal::as_select()).first(conn).optional()?)
}

/// The organisation's portal, or the one it has before its settings are first saved.
pub fn of_org(conn: &mut DbConnection, org: &Org) -> ApiResult<Portal> {
    Ok(find(conn, &org.id)?.unwrap_or_else(|| Portal::unsaved(org)))
}

pub fn get(conn: &mut DbConnection, org: &Org, public_url: &str) -> ApiResult<PortalSettings> {
    let p = of_org(conn, org)?;
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

/// An enabled portal by slug, else 404 (a disabled portal publishes nothing).
pub fn enabled(conn: &mut DbConnection, slug: &str) -> ApiResult<Portal> {
    enabled_by_slug(conn, slug)?.ok_or_else(|| ApiError::NotFound("portal not found".into()))
}

/// The portal the instance's `/.well-known/` URLs speak for: `configured`
/// (`PORTAL_DEFAULT_PORTAL`), else the only enabled portal.
pub fn default_portal(conn: &mut DbConnection, configured: Option<&str>) -> ApiResult<Portal> {
    if let Some(slug) = configured {
        return enabled(conn, slug);
    }
    let mut list: Vec<Portal> =
        portals::table.filter(portals::enabled.eq(true)).limit(2).select(Portal::as_select()).load(conn)?;
    match list.len() {
        1 => Ok(list.remove(0)),
        0 => Err(ApiError::NotFound("no portal is enabled on this instance".into())),
        _ => Err(ApiError::NotFound(
            "several portals are enabled: set PORTAL_DEFAULT_PORTAL to choose the one served at /.well-known/".into(),
        )),
    }
}

pub fn put(
    conn: &mut DbConnection,
    org: &Org,
    req: &UpdatePortalSettings,
    user: &AuthUser,
    client: &ClientInfo,
    public_url: &str,
) -> ApiResult<PortalSettings> {
    let mut c = Checks::of(req);
    let contact = req.contact_email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    if let Some(t) = req.default_tlp {
        c.check(t.is_clearance(), "default_tlp", "must be clear, green, amber, amber+strict or red");
    }
    for id in req.require_conformance.iter().flatten() {
        c.check(
            crate::artifacts::model::CONFORMANCE_PROFILES.contains(&id.as_str()),
            "require_conformance",
            format!("`{id}` is not a profile: {}", crate::artifacts::model::CONFORMANCE_PROFILES.join(", ")),
        );
    }
    if let Some(Some(p)) = &req.csaf_publisher {
        c.text("csaf_publisher.name", &p.name, 1, 200);
        c.check(
            p.namespace.starts_with("https://") || p.namespace.starts_with("http://"),
            "csaf_publisher.namespace",
            "must be a URL the publisher controls, e.g. https://www.acme.example",
        );
        c.check(
            ["coordinator", "discoverer", "other", "translator", "user", "vendor"].contains(&p.category.as_str()),
            "csaf_publisher.category",
            "must be vendor, coordinator, discoverer, other, translator or user (CSAF 2.0 §3.2.1.8.1)",
        );
    }
    if let Some(r) = &req.response {
        c.check((1..=720).contains(&r.notify_within_hours), "response.notify_within_hours", "must be 1 to 720 hours");
        c.check(
            (1..=365).contains(&r.critical_fix_business_days),
            "response.critical_fix_business_days",
            "must be 1 to 365 business days",
        );
        c.check(
            r.expiry_warning_days.len() <= 5 && r.expiry_warning_days.iter().all(|d| (1..=365).contains(d)),
            "response.expiry_warning_days",
            "at most 5 values, each 1 to 365 days",
        );
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
    let before = find(conn, &org.id)?;
    let base = before.clone().unwrap_or_else(|| Portal::unsaved(org));
    let landing = req.landing.clone().unwrap_or_else(|| base.landing());
    let publisher = match &req.csaf_publisher {
        None => base.csaf_publisher(),
        Some(p) => p.clone(),
    };
    let values = (
        portals::enabled.eq(req.enabled),
        portals::slug.eq(&req.slug),
        portals::visibility.eq(req.visibility),
        portals::display_name.eq(req.display_name.trim()),
        portals::description.eq(req.description.trim()),
        portals::contact_email.eq(contact),
        portals::updated_at.eq(now()),
        portals::default_tlp.eq(req.default_tlp.unwrap_or(base.default_tlp)),
        portals::require_conformance.eq(match &req.require_conformance {
            Some(list) => list.join(" "),
            None => base.require_conformance.clone(),
        }),
        (
            portals::notify_within_hours
                .eq(req.response.as_ref().map_or(base.notify_within_hours, |r| r.notify_within_hours)),
            portals::critical_fix_business_days
                .eq(req.response.as_ref().map_or(base.critical_fix_business_days, |r| r.critical_fix_business_days)),
            portals::expiry_warning_days.eq(match &req.response {
                Some(r) => r.expiry_warning_days.iter().map(i32::to_string).collect::<Vec<_>>().join(" "),
                None => base.expiry_warning_days.clone(),
            }),
        ),
        (
            portals::landing_show_description.eq(landing.show_description),
            portals::landing_show_contact.eq(landing.show_contact),
            portals::access_requests_enabled.eq(landing.access_requests),
            portals::nda_version.eq(landing.nda.as_ref().map(|n| n.version.trim().to_string())),
            portals::nda_text.eq(landing.nda.as_ref().map(|n| n.text.clone())),
        ),
        (
            portals::csaf_publisher_name.eq(publisher.as_ref().map(|p| p.name.trim().to_string())),
            portals::csaf_publisher_namespace.eq(publisher.as_ref().map(|p| p.namespace.trim().to_string())),
            portals::csaf_publisher_category.eq(publisher.as_ref().map_or("vendor".into(), |p| p.category.clone())),
            portals::csaf_publisher_contact_details.eq(publisher.as_ref().and_then(|p| p.contact_details.clone())),
            portals::csaf_publisher_issuing_authority.eq(publisher.as_ref().and_then(|p| p.issuing_authority.clone())),
        ),
    );
    if before.is_some() {
        diesel::update(portals::table.find(&org.id)).set(values).execute(conn)?;
    } else {
        diesel::insert_into(portals::table).values((portals::org_id.eq(&org.id), values)).execute(conn)?;
    }
    Event::new(Some(&org.id), Category::Admin, Action::PortalSettingsUpdate, user.actor(), client)
        .details(serde_json::json!({
            "enabled": req.enabled, "slug": req.slug, "visibility": req.visibility.as_str(),
            "default_tlp": req.default_tlp.unwrap_or(base.default_tlp),
            "csaf_publisher": publisher.as_ref().map(|p| &p.name),
            "access_requests": landing.access_requests,
            "nda": landing.nda.as_ref().map(|n| serde_json::json!({"version": n.version,
                "sha256": nda_digest(&n.text)})),
            "previous": before.map(|b| serde_json::json!({"enabled": b.enabled, "slug": b.slug,
                "visibility": b.visibility.as_str(), "default_tlp": b.default_tlp})),
        }))
        .record(conn)?;
    get(conn, org, public_url)
}
