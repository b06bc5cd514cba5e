//! Names the object of each audit event for people reading the log: the artifact with its file
//! name and place, the version, the product, the access token, member, API key, access or renewal
//! request, or the vulnerability a customer asked about. Names are looked up once per page (one
//! query per kind), never per row; an object that no longer exists keeps the id and the name
//! the event recorded.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::AuditEvent;
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;

/// What an event is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditObject {
    /// `artifact`, `version`, `product`, `access_token`, `member`, `api_key`, `access_request`,
    /// `renewal_request` or `vulnerability`.
    pub kind: String,
    pub id: String,
    /// e.g. `bom.json`, `router 1.0`, `ACME Corporation`, `CVE-2024-1234`.
    pub label: String,
    /// The product's slug and the version, for links to artifacts and versions.
    pub product_slug: Option<String>,
    pub version: Option<String>,
}

fn detail<'a>(e: &'a AuditEvent, key: &str) -> Option<&'a str> {
    e.details.as_ref()?.get(key)?.as_str()
}

fn obj(kind: &str, id: &str, label: String, product_slug: Option<String>, version: Option<String>) -> AuditObject {
    AuditObject { kind: kind.into(), id: id.into(), label, product_slug, version }
}

/// Fills `object` for a page of events of the organisation `org_id`.
pub fn name(conn: &mut DbConnection, org_id: &str, events: &mut [AuditEvent]) -> ApiResult<()> {
    let ids = |f: &dyn Fn(&AuditEvent) -> Option<String>| -> Vec<String> {
        events.iter().filter_map(f).collect::<HashSet<_>>().into_iter().collect()
    };
    let artifact_ids = ids(&|e| e.artifact_id.clone());
    let version_ids = ids(&|e| e.version_id.clone());
    let product_ids = ids(&|e| e.product_id.clone());
    let token_ids = ids(&|e| detail(e, "token_id").map(str::to_string));
    let member_ids = ids(&|e| detail(e, "member_id").map(str::to_string));
    let key_ids = ids(&|e| detail(e, "api_key_id").map(str::to_string));
    let request_ids = ids(&|e| detail(e, "access_request_id").map(str::to_string));
    let renewal_ids = ids(&|e| detail(e, "renewal_id").map(str::to_string));

    let artifacts: HashMap<String, (String, String, String)> = if artifact_ids.is_empty() {
        HashMap::new()
    } else {
        artifacts::table
            .inner_join(product_versions::table.on(product_versions::id.eq(artifacts::version_id)))
            .inner_join(products::table.on(products::id.eq(artifacts::product_id)))
            .filter(artifacts::org_id.eq(org_id))
            .filter(artifacts::id.eq_any(&artifact_ids))
            .select((artifacts::id, artifacts::filename, products::slug, product_versions::version))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, f, p, v)| (id, (f, p, v)))
            .collect()
    };
    let versions: HashMap<String, (String, String, String)> = if version_ids.is_empty() {
        HashMap::new()
    } else {
        product_versions::table
            .inner_join(products::table)
            .filter(products::org_id.eq(org_id))
            .filter(product_versions::id.eq_any(&version_ids))
            .select((product_versions::id, products::slug, products::name, product_versions::version))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, s, n, v)| (id, (s, n, v)))
            .collect()
    };
    let products: HashMap<String, (String, String)> = if product_ids.is_empty() {
        HashMap::new()
    } else {
        products::table
            .filter(products::org_id.eq(org_id))
            .filter(products::id.eq_any(&product_ids))
            .select((products::id, products::slug, products::name))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(id, s, n)| (id, (s, n)))
            .collect()
    };
    let tokens: HashMap<String, String> = if token_ids.is_empty() {
        HashMap::new()
    } else {
        access_tokens::table
            .filter(access_tokens::org_id.eq(org_id))
            .filter(access_tokens::id.eq_any(&token_ids))
            .select((access_tokens::id, access_tokens::name))
            .load(conn)?
            .into_iter()
            .collect()
    };
    let members: HashMap<String, String> = if member_ids.is_empty() {
        HashMap::new()
    } else {
        memberships::table
            .inner_join(users::table)
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::id.eq_any(&member_ids))
            .select((memberships::id, users::email))
            .load(conn)?
            .into_iter()
            .collect()
    };
    let keys: HashMap<String, String> = if key_ids.is_empty() {
        HashMap::new()
    } else {
        api_keys::table
            .filter(api_keys::org_id.eq(org_id))
            .filter(api_keys::id.eq_any(&key_ids))
            .select((api_keys::id, api_keys::name))
            .load(conn)?
            .into_iter()
            .collect()
    };
    let requests: HashMap<String, String> = if request_ids.is_empty() {
        HashMap::new()
    } else {
        access_requests::table
            .filter(access_requests::org_id.eq(org_id))
            .filter(access_requests::id.eq_any(&request_ids))
            .select((access_requests::id, access_requests::company))
            .load(conn)?
            .into_iter()
            .collect()
    };
    let renewals: HashMap<String, String> = if renewal_ids.is_empty() {
        HashMap::new()
    } else {
        renewal_requests::table
            .inner_join(access_tokens::table.on(access_tokens::id.eq(renewal_requests::token_id)))
            .filter(renewal_requests::org_id.eq(org_id))
            .filter(renewal_requests::id.eq_any(&renewal_ids))
            .select((renewal_requests::id, access_tokens::name))
            .load(conn)?
            .into_iter()
            .collect()
    };

    for e in events.iter_mut() {
        let recorded = |key: &str| detail(e, key).map(str::to_string);
        e.object = if let Some(id) = &e.artifact_id {
            Some(match artifacts.get(id) {
                Some((f, p, v)) => obj("artifact", id, f.clone(), Some(p.clone()), Some(v.clone())),
                None => obj("artifact", id, recorded("filename").unwrap_or_else(|| id.clone()), None, None),
            })
        } else if let Some(id) = &e.version_id {
            versions.get(id).map(|(s, n, v)| obj("version", id, format!("{n} {v}"), Some(s.clone()), Some(v.clone())))
        } else if let Some(id) = &e.product_id {
            products.get(id).map(|(s, n)| obj("product", id, n.clone(), Some(s.clone()), None))
        } else if let Some(id) = recorded("access_request_id") {
            Some(obj("access_request", &id, requests.get(&id).cloned().unwrap_or_else(|| id.clone()), None, None))
        } else if let Some(id) = recorded("renewal_id") {
            Some(obj("renewal_request", &id, renewals.get(&id).cloned().unwrap_or_else(|| id.clone()), None, None))
        } else if let Some(id) = recorded("token_id") {
            let label = tokens.get(&id).cloned().or_else(|| recorded("name")).unwrap_or_else(|| id.clone());
            Some(obj("access_token", &id, label, None, None))
        } else if let Some(id) = recorded("member_id") {
            let label = members.get(&id).cloned().or_else(|| recorded("email")).unwrap_or_else(|| id.clone());
            Some(obj("member", &id, label, None, None))
        } else if let Some(id) = recorded("api_key_id") {
            let label = keys.get(&id).cloned().or_else(|| recorded("name")).unwrap_or_else(|| id.clone());
            Some(obj("api_key", &id, label, None, None))
        } else {
            recorded("vulnerability_id")
                .or_else(|| recorded("vulnerability"))
                .map(|id| obj("vulnerability", &id, id.clone(), None, None))
        };
    }
    Ok(())
}
