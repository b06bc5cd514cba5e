//! The CSAF publisher a portal's provider metadata names: the organisation's configured one
//! (portal settings), else the portal itself. Never taken from whichever document was uploaded.

use crate::db::DbConnection;
use crate::error::ApiResult;
use crate::portal::settings::{self, Portal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub category: String,
    pub name: String,
    pub namespace: String,
    pub contact_details: Option<String>,
    pub issuing_authority: Option<String>,
    /// Whether an administrator configured it (else it is derived from the portal).
    pub configured: bool,
}

impl Publisher {
    pub fn of(portal: &Portal, origin: &str) -> Publisher {
        match portal.csaf_publisher() {
            Some(p) => Publisher {
                category: p.category,
                name: p.name,
                namespace: p.namespace,
                contact_details: p.contact_details,
                issuing_authority: p.issuing_authority,
                configured: true,
            },
            None => Publisher {
                category: "vendor".into(),
                name: portal.display_name.clone(),
                namespace: settings::url_of(origin, &portal.slug),
                contact_details: portal.contact_email.as_ref().map(|e| format!("mailto:{e}")),
                issuing_authority: None,
                configured: false,
            },
        }
    }

    /// The `publisher` object of provider-metadata.json (CSAF 2.0 §7.2.1 / §3.2.1.8).
    pub fn doc(&self) -> super::documents::PublisherDoc {
        super::documents::PublisherDoc {
            category: self.category.clone(),
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            contact_details: self.contact_details.clone(),
            issuing_authority: self.issuing_authority.clone(),
        }
    }
}

fn trim_slash(s: &str) -> &str {
    s.trim().trim_end_matches('/')
}

/// Warnings for a CSAF upload whose `/document/publisher` is not the one the organisation's
/// provider metadata names (accepted: a manufacturer may redistribute a supplier's advisory).
pub fn upload_warnings(
    conn: &mut DbConnection,
    org_id: &str,
    origin: &str,
    analysis: &portal_formats::Analysis,
) -> ApiResult<Vec<String>> {
    let Some(adv) = analysis.advisory.as_ref().filter(|_| analysis.format.starts_with("csaf")) else {
        return Ok(Vec::new());
    };
    let Some(portal) = settings::find(conn, org_id)? else {
        return Ok(Vec::new());
    };
    let ours = Publisher::of(&portal, origin);
    let same = if ours.configured {
        trim_slash(&adv.publisher_namespace) == trim_slash(&ours.namespace)
    } else {
        adv.publisher_name.trim() == ours.name.trim()
    };
    if same {
        return Ok(Vec::new());
    }
    let hint = if ours.configured { "" } else { " (set the organisation's CSAF publisher in the portal settings)" };
    Ok(vec![format!(
        "this document's publisher is \"{}\" ({}), but the portal's CSAF provider metadata names \"{}\" ({}){hint}",
        adv.publisher_name, adv.publisher_namespace, ours.name, ours.namespace
    )])
}
