//! The evidence of a response, in order: awareness, every triage change, publication, report,
//! notification attempt and customer download of the vulnerability's documents — each tied to
//! the audit event that recorded it. JSON, CSV (cells neutralised for spreadsheets) or Markdown.

use diesel::prelude::*;

use super::model::*;
use super::store::{self, Vulnerability};
use crate::audit::query::neutralise;
use crate::audit::Action;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::notify::model::DeliveryStatus;
use crate::orgs::store::Org;
use crate::time::utc;

pub fn entries(conn: &mut DbConnection, org: &Org, vuln_id: &str) -> ApiResult<(Vulnerability, Vec<TimelineEntry>)> {
    let v = store::get(conn, &org.id, vuln_id)?;
    let mut out = vec![TimelineEntry {
        at: utc(v.aware_at),
        kind: "aware".into(),
        summary: format!("The manufacturer became aware of {}", v.vuln_id),
        actor: v.created_by_name.clone(),
        audit_event_id: None,
    }];
    let steps: Vec<(chrono::NaiveDateTime, String, String, String, Option<String>)> = vuln_steps::table
        .filter(vuln_steps::vulnerability_id.eq(&v.id))
        .order(vuln_steps::at.asc())
        .select((
            vuln_steps::at,
            vuln_steps::kind,
            vuln_steps::summary,
            vuln_steps::actor_name,
            vuln_steps::audit_event_id,
        ))
        .load(conn)?;
    out.extend(steps.into_iter().map(|(at, kind, summary, actor, audit_event_id)| TimelineEntry {
        at: utc(at),
        kind,
        summary,
        actor,
        audit_event_id,
    }));
    // Each delivery attempt of the vulnerability's notifications (the worker's audit events).
    let notes: Vec<(String, String, String)> = notifications::table
        .filter(notifications::vulnerability_id.eq(&v.id))
        .select((notifications::id, notifications::channel, notifications::target))
        .load::<(String, crate::notify::model::Channel, String)>(conn)?
        .into_iter()
        .map(|(id, ch, t)| (id, <&str>::from(ch).to_string(), t))
        .collect();
    if !notes.is_empty() {
        let attempts: Vec<(String, chrono::NaiveDateTime, String, Option<String>)> = audit_events::table
            .filter(audit_events::org_id.eq(&org.id))
            .filter(audit_events::category.eq("notification"))
            .filter(audit_events::occurred_at.ge(v.created_at))
            // The worker records the vulnerability of each attempt in its details.
            .filter(audit_events::details.like(format!("%\"vulnerability\":\"{}\"%", v.id)))
            .order(audit_events::occurred_at.asc())
            .limit(5000)
            .select((audit_events::event_id, audit_events::occurred_at, audit_events::action, audit_events::details))
            .load(conn)?;
        for (event_id, at, action, details) in attempts {
            let d: serde_json::Value =
                details.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
            let Some(id) = d["notification_id"].as_str() else { continue };
            let Some((_, channel, target)) = notes.iter().find(|n| n.0 == id) else { continue };
            let status: Option<DeliveryStatus> = serde_json::from_value(d["status"].clone()).ok();
            let what = match status {
                Some(DeliveryStatus::Delivered) => "delivered".to_string(),
                Some(DeliveryStatus::Sent) => "sent".to_string(),
                Some(DeliveryStatus::Dead) => format!("gave up ({})", d["error"].as_str().unwrap_or("")),
                _ => format!("attempt failed ({})", d["error"].as_str().unwrap_or("")),
            };
            out.push(TimelineEntry {
                at: utc(at),
                kind: "notification".into(),
                summary: format!("{channel} to {target}: {what} [{action}]"),
                actor: "system".into(),
                audit_event_id: Some(event_id),
            });
        }
    }
    // Customers' downloads of documents about this vulnerability.
    let about: Vec<String> = artifact_vulnerabilities::table
        .filter(artifact_vulnerabilities::vulnerability_id.eq_any(super::assessments::ids_of(&v)))
        .select(artifact_vulnerabilities::artifact_id)
        .load(conn)?;
    if !about.is_empty() {
        let downloads: Vec<&'static str> =
            [Action::PortalVexDownload, Action::PortalAdvisoryDownload].into_iter().map(Action::as_str).collect();
        type Row = (String, chrono::NaiveDateTime, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> = audit_events::table
            .filter(audit_events::org_id.eq(&org.id))
            .filter(audit_events::action.eq_any(downloads))
            .filter(audit_events::artifact_id.eq_any(&about))
            .order(audit_events::occurred_at.asc())
            .limit(5000)
            .select((
                audit_events::event_id,
                audit_events::occurred_at,
                audit_events::actor_name,
                audit_events::sha256,
                audit_events::details,
            ))
            .load(conn)?;
        for (event_id, at, actor, sha, details) in rows {
            let d: serde_json::Value =
                details.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
            out.push(TimelineEntry {
                at: utc(at),
                kind: "download".into(),
                summary: format!(
                    "{} downloaded {} ({} {}), SHA-256 {}",
                    actor.clone().unwrap_or_else(|| "anonymous".into()),
                    d["filename"].as_str().unwrap_or("a document"),
                    d["product"].as_str().unwrap_or(""),
                    d["version"].as_str().unwrap_or(""),
                    sha.unwrap_or_default()
                ),
                actor: actor.unwrap_or_else(|| "anonymous".into()),
                audit_event_id: Some(event_id),
            });
        }
    }
    out.sort_by_key(|e| e.at);
    Ok((v, out))
}

pub fn csv(entries: &[TimelineEntry]) -> ApiResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::internal(anyhow::Error::from(e));
    w.write_record(["at", "kind", "summary", "actor", "audit_event_id"]).map_err(fail)?;
    for e in entries {
        w.write_record([
            e.at.to_rfc3339(),
            e.kind.clone(),
            neutralise(e.summary.clone()),
            neutralise(e.actor.clone()),
            e.audit_event_id.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    w.into_inner().map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
}

pub fn markdown(v: &Vulnerability, entries: &[TimelineEntry]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut md = format!(
        "# {} — {}\n\nSeverity: {}{}. Aware since {}.\n\n| When (UTC) | Step | What | Who | Audit event |\n|---|---|---|---|---|\n",
        v.vuln_id,
        cell(&v.title),
        v.severity.as_str(),
        if v.actively_exploited { ", actively exploited" } else { "" },
        utc(v.aware_at).format("%Y-%m-%d %H:%M")
    );
    for e in entries {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.kind,
            cell(&e.summary),
            cell(&e.actor),
            e.audit_event_id.as_deref().map(|i| format!("`{i}`")).unwrap_or_default()
        ));
    }
    md
}
