//! The CSAF provider's JSON documents as types (CSAF 2.0 §7.2.1 provider metadata, ROLIE
//! RFC 8322 feed, service and category documents), so the OpenAPI document describes them, and
//! the builders of the ROLIE ones.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::provider::{stamp, Entry, Folder, Urls, CSAF_SCHEMA, ROLIE_INFORMATION_TYPE};

/// provider-metadata.json (CSAF 2.0 §7.2.1, role `csaf_trusted_provider`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProviderMetadata {
    pub canonical_url: String,
    /// The distributions the caller may read (one per TLP folder).
    pub distributions: Vec<Distribution>,
    pub last_updated: String,
    #[serde(rename = "list_on_CSAF_aggregators")]
    pub list_on_csaf_aggregators: bool,
    pub metadata_version: String,
    #[serde(rename = "mirror_on_CSAF_aggregators")]
    pub mirror_on_csaf_aggregators: bool,
    pub public_openpgp_keys: Vec<PublicKeyRef>,
    pub publisher: PublisherDoc,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Distribution {
    pub directory_url: String,
    pub rolie: RolieRefs,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieRefs {
    pub categories: Vec<String>,
    pub feeds: Vec<FeedRef>,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedRef {
    pub summary: String,
    /// `WHITE`, `GREEN`, `AMBER`, `RED` or `UNLABELED`.
    pub tlp_label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicKeyRef {
    pub fingerprint: String,
    pub url: String,
}

/// The publisher (CSAF 2.0 §3.2.1.8).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublisherDoc {
    pub category: String,
    pub name: String,
    pub namespace: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_details: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuing_authority: Option<String>,
}

/// A ROLIE category (`scheme` + `term`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub scheme: String,
    pub term: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Link {
    pub rel: String,
    pub href: String,
}

/// A ROLIE feed document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieFeedDoc {
    pub feed: RolieFeed,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieFeed {
    pub id: String,
    pub title: String,
    pub link: Vec<Link>,
    pub category: Vec<Category>,
    pub updated: String,
    pub entry: Vec<RolieEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieEntry {
    pub id: String,
    pub title: String,
    pub link: Vec<Link>,
    pub published: String,
    pub updated: String,
    pub content: RolieContent,
    pub format: RolieFormat,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<RolieSummary>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieContent {
    #[serde(rename = "type")]
    pub type_: String,
    pub src: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieFormat {
    pub schema: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieSummary {
    pub content: String,
}

/// The ROLIE service document: one workspace with a collection per feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieServiceDoc {
    pub service: RolieService,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieService {
    pub workspace: Vec<RolieWorkspace>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieWorkspace {
    pub title: String,
    pub collection: Vec<RolieCollection>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieCollection {
    pub title: String,
    pub href: String,
    pub categories: Categories,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Categories {
    pub category: Vec<Category>,
}

/// A ROLIE category document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RolieCategoryDoc {
    pub categories: Categories,
}

pub(super) fn csaf_category() -> Category {
    Category { scheme: ROLIE_INFORMATION_TYPE.into(), term: "csaf".into() }
}

pub(super) fn link(rel: &str, href: String) -> Link {
    Link { rel: rel.into(), href }
}

/// The ROLIE feed of one TLP folder (CSAF 2.0 §7.1.15, RFC 8322).
/// Entries per page of a ROLIE feed.
pub const FEED_PAGE: usize = 1000;

/// Page `page` (from 1) of a folder's ROLIE feed; pages link each other (`next`, `previous`).
pub fn rolie_feed(
    urls: &Urls,
    org_name: &str,
    tlp: Folder,
    entries: &[Entry],
    updated: DateTime<Utc>,
    page: usize,
) -> crate::error::ApiResult<RolieFeedDoc> {
    let pages = entries.len().div_ceil(FEED_PAGE).max(1);
    if page == 0 || page > pages {
        return Err(crate::error::ApiError::NotFound(format!("the feed has pages 1 to {pages}")));
    }
    let at = |n: usize| if n == 1 { urls.feed(tlp) } else { format!("{}?page={n}", urls.feed(tlp)) };
    let mut links = vec![link("self", at(page)), link("service", urls.service())];
    if page < pages {
        links.push(link("next", at(page + 1)));
    }
    if page > 1 {
        links.push(link("previous", at(page - 1)));
    }
    let entry = entries[(page - 1) * FEED_PAGE..(page * FEED_PAGE).min(entries.len())]
        .iter()
        .map(|e| {
            let url = urls.document(e);
            RolieEntry {
                id: e.tracking_id.clone(),
                title: if e.title.is_empty() { e.tracking_id.clone() } else { e.title.clone() },
                link: vec![
                    link("self", url.clone()),
                    link("hash", format!("{url}.sha256")),
                    link("hash", format!("{url}.sha512")),
                    link("signature", format!("{url}.asc")),
                ],
                published: stamp(e.initial_release),
                updated: stamp(e.current_release),
                content: RolieContent { type_: "application/json".into(), src: url },
                format: RolieFormat { schema: CSAF_SCHEMA.into(), version: "2.0".into() },
                summary: (!e.title.is_empty()).then(|| RolieSummary { content: e.title.clone() }),
            }
        })
        .collect();
    Ok(RolieFeedDoc {
        feed: RolieFeed {
            id: format!("csaf-feed-tlp-{}", tlp.folder()),
            title: format!("{org_name} CSAF feed (TLP:{})", tlp.tlp_label()),
            link: links,
            category: vec![csaf_category()],
            updated: stamp(updated),
            entry,
        },
    })
}

/// The ROLIE service document: one workspace with a collection per feed.
pub fn rolie_service(urls: &Urls, org_name: &str, tlps: &[Folder]) -> RolieServiceDoc {
    let collection = tlps
        .iter()
        .map(|t| RolieCollection {
            title: format!("{org_name} CSAF feed (TLP:{})", t.tlp_label()),
            href: urls.feed(*t),
            categories: Categories { category: vec![csaf_category()] },
        })
        .collect();
    RolieServiceDoc {
        service: RolieService {
            workspace: vec![RolieWorkspace { title: format!("{org_name} CSAF feeds"), collection }],
        },
    }
}

/// The ROLIE category document of a feed: the information type and the products it covers.
pub fn rolie_category(product_names: &BTreeSet<String>) -> RolieCategoryDoc {
    let mut category = vec![csaf_category()];
    category.extend(
        product_names.iter().map(|n| Category { scheme: "urn:supplier-portal:product".into(), term: n.clone() }),
    );
    RolieCategoryDoc { categories: Categories { category } }
}
