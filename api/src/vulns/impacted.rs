//! Who is impacted by a vulnerability: every live access token the disclosure rule entitles to an
//! affected or under-investigation version, with the evidence — what it downloaded of those
//! versions (the delivery records: artifact, SHA-256, when), whether it subscribed — and whether
//! it can be told.

use std::collections::BTreeSet;

use diesel::prelude::*;

use super::model::*;
use super::store::{self, Vulnerability};
use crate::audit::Action;
use crate::db::subquery::in_subquery;
use crate::db::{schema::*, DbConnection};
use crate::disclosure;
use crate::error::ApiResult;
use crate::notify::subscriptions;
use crate::notify::EventType;
use crate::portal::settings::Portal;
use crate::time::utc;

/// Versions whose status is affected or under investigation, from triage and uploaded VEX.
pub fn open_versions(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<String>> {
    let mut ids: BTreeSet<String> = store::assessments(conn, v)?
        .into_iter()
        .filter(|(a, _)| matches!(a.status, AssessmentStatus::Affected | AssessmentStatus::UnderInvestigation))
        .map(|(_, t)| t.version_id)
        .collect();
    for s in super::assessments::vex_assessments(conn, v)? {
        if matches!(s.status, AssessmentStatus::Affected | AssessmentStatus::UnderInvestigation) {
            ids.insert(s.target.version_id);
        }
    }
    Ok(ids.into_iter().collect())
}

pub fn impacted(conn: &mut DbConnection, portal: &Portal, v: &Vulnerability) -> ApiResult<Vec<ImpactedCustomer>> {
    let versions = open_versions(conn, v)?;
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    let tokens = crate::portal::tokens::live_of_org(conn, &v.org_id)?;
    let downloads: Vec<&'static str> = [
        Action::PortalSbomDownload,
        Action::PortalVexDownload,
        Action::PortalAdvisoryDownload,
        Action::PortalDocumentDownload,
    ]
    .into_iter()
    .map(Action::as_str)
    .collect();
    let mut out = Vec::new();
    // Tokens with the same scope and clearance see the same versions: asked once per audience.
    type Visible = Vec<(String, String, String, String)>;
    let mut by_audience: std::collections::BTreeMap<(Option<Vec<String>>, crate::domain::Tlp), Visible> =
        std::collections::BTreeMap::new();
    for t in tokens {
        let key = (t.scope(), t.max_tlp);
        if !by_audience.contains_key(&key) {
            let audience = portal.audience(t.reader());
            // The rule decides which of the open versions this audience may see.
            let v: Visible = product_versions::table
                .inner_join(products::table)
                .filter(product_versions::id.eq_any(&versions))
                .filter(in_subquery(product_versions::id, disclosure::sql::version_ids(&audience)))
                .order((products::slug.asc(), product_versions::created_at.asc()))
                .select((product_versions::id, products::id, products::name, product_versions::version))
                .load(conn)?;
            by_audience.insert(key.clone(), v);
        }
        let visible = by_audience.get(&key).cloned().unwrap_or_default();
        if visible.is_empty() {
            continue;
        }
        let version_ids: Vec<&String> = visible.iter().map(|x| &x.0).collect();
        type Row = (String, chrono::NaiveDateTime, Option<String>, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> = audit_events::table
            .left_join(artifacts::table.on(artifacts::id.nullable().eq(audit_events::artifact_id)))
            .filter(audit_events::org_id.eq(&v.org_id))
            .filter(audit_events::actor_type.eq("access_token"))
            .filter(audit_events::actor_id.eq(&t.id))
            .filter(audit_events::outcome.eq("success"))
            .filter(audit_events::action.eq_any(&downloads))
            .filter(audit_events::version_id.eq_any(version_ids))
            .order(audit_events::occurred_at.asc())
            .limit(200)
            .select((
                audit_events::event_id,
                audit_events::occurred_at,
                audit_events::artifact_id,
                artifacts::filename.nullable(),
                audit_events::sha256,
                audit_events::version_id,
            ))
            .load(conn)?;
        let deliveries: Vec<Delivery> = rows
            .into_iter()
            .map(|(event_id, at, artifact_id, filename, sha256, version_id)| {
                let placed = visible.iter().find(|x| Some(&x.0) == version_id.as_ref());
                Delivery {
                    artifact_id,
                    filename,
                    sha256,
                    product: placed.map(|x| x.2.clone()),
                    version: placed.map(|x| x.3.clone()),
                    at: utc(at),
                    audit_event_id: event_id,
                }
            })
            .collect();
        let subs = subscriptions::of_token(conn, &t.id)?;
        let subscribed = subs.iter().any(|s| {
            visible.iter().any(|x| {
                s.wants(EventType::VexPublished, Some(&x.1)) || s.wants(EventType::AdvisoryPublished, Some(&x.1))
            })
        });
        let mut channels: Vec<String> = Vec::new();
        for s in &subs {
            channels.extend(s.email.iter().map(|e| format!("email:{e}")));
            channels.extend(s.webhook_url.iter().map(|u| format!("webhook:{u}")));
        }
        if let Some(e) = &t.contact_email {
            let c = format!("email:{e}");
            if !channels.contains(&c) {
                channels.push(c);
            }
        }
        let mut reasons = Vec::new();
        if !deliveries.is_empty() {
            reasons.push(ImpactReason::Downloaded);
        }
        if subscribed {
            reasons.push(ImpactReason::Subscribed);
        }
        reasons.push(ImpactReason::Entitled);
        out.push(ImpactedCustomer {
            token_id: t.id.to_string(),
            token_name: t.name.clone(),
            reason: reasons[0],
            reasons,
            versions: visible.iter().map(|x| format!("{} {}", x.2, x.3)).collect(),
            deliveries,
            reachable: !channels.is_empty(),
            channels,
        });
    }
    out.sort_by_key(|c| c.reason as u8);
    Ok(out)
}
