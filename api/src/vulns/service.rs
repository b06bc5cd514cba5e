//! Triage: vulnerabilities and what customers and the console see of them. Assessments per
//! version are in [`super::assessments`], reports to the authorities in [`super::reports`].

use diesel::prelude::*;

use super::assessments::assessment_views;
use super::model::*;
use super::reports::reports;
use super::store::{self, Vulnerability};
use crate::artifacts::service::normalize_vuln_id;
use crate::audit::{Action, Actor};
use crate::catalogue::service as catalogue;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::store::Org;
use crate::portal::settings::{self, Portal};
use crate::time::{now, utc};
use crate::validate::Checks;
fn check_id(c: &mut Checks, field: &str, id: &str) {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.:".contains(ch))
        && id.chars().next().is_some_and(|ch| ch.is_ascii_alphanumeric());
    c.check(ok, field, "must be a vulnerability id such as CVE-2026-1234 or GHSA-xxxx-xxxx-xxxx");
    if let Some(rest) = id.strip_prefix("CVE-") {
        let cve = rest.split_once('-').is_some_and(|(y, n)| {
            y.len() == 4
                && y.bytes().all(|b| b.is_ascii_digit())
                && n.len() >= 4
                && n.bytes().all(|b| b.is_ascii_digit())
        });
        c.check(cve, field, "a CVE id is CVE-<year>-<at least 4 digits>, e.g. CVE-2026-1234");
    }
}

fn check_vector(c: &mut Checks, v: Option<&str>) {
    if let Some(v) = v {
        let ok = (v.starts_with("CVSS:3.0/") || v.starts_with("CVSS:3.1/"))
            && v.len() <= 200
            && v.split('/').skip(1).all(|m| m.split_once(':').is_some_and(|(k, x)| !k.is_empty() && !x.is_empty()));
        c.check(ok, "cvss_v3_vector", "must be a CVSS v3 vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    }
}

pub fn create(
    conn: &mut DbConnection,
    org: &Org,
    req: &CreateVulnerability,
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<VulnerabilityDetail> {
    let id = normalize_vuln_id(&req.id);
    let mut c = Checks::of(req);
    check_id(&mut c, "id", &id);
    for a in &req.aliases {
        check_id(&mut c, "aliases", &normalize_vuln_id(a));
    }
    check_vector(&mut c, req.cvss_v3_vector.as_deref());
    let at = now();
    let aware = req.aware_at.map(|t| t.naive_utc()).unwrap_or(at);
    c.check(aware <= at + chrono::Duration::minutes(5), "aware_at", "must not be in the future");
    c.finish()?;
    let exists: i64 = vulnerabilities::table
        .filter(vulnerabilities::org_id.eq(&org.id))
        .filter(vulnerabilities::vuln_id.eq(&id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::Conflict(format!("`{id}` is already being tracked")));
    }
    let row_id = uuid::Uuid::new_v4().to_string();
    let aliases: Vec<String> = req.aliases.iter().map(|a| normalize_vuln_id(a)).filter(|a| a != &id).collect();
    diesel::insert_into(vulnerabilities::table)
        .values((
            vulnerabilities::id.eq(&row_id),
            vulnerabilities::org_id.eq(&org.id),
            vulnerabilities::vuln_id.eq(&id),
            vulnerabilities::aliases.eq(aliases.join(" ")),
            vulnerabilities::title.eq(req.title.trim()),
            vulnerabilities::description.eq(req.description.trim()),
            vulnerabilities::severity.eq(req.severity),
            vulnerabilities::cvss_v3_vector.eq(&req.cvss_v3_vector),
            vulnerabilities::actively_exploited.eq(req.actively_exploited),
            vulnerabilities::aware_at.eq(aware),
            vulnerabilities::created_at.eq(at),
            vulnerabilities::created_by_name.eq(actor.name().unwrap_or("anonymous")),
            vulnerabilities::updated_at.eq(at),
        ))
        .execute(conn)?;
    let v = store::get(conn, &org.id, &id)?;
    store::step(
        conn,
        &v,
        Action::VulnerabilityCreate,
        "created",
        format!(
            "Tracked: {} ({}, severity {}{}), aware since {}",
            v.title,
            id,
            v.severity.as_str(),
            if v.actively_exploited { ", actively exploited" } else { "" },
            utc(aware).to_rfc3339()
        ),
        serde_json::json!({"severity": v.severity, "actively_exploited": v.actively_exploited, "aware_at": utc(aware)}),
        actor,
        client,
    )?;
    detail(conn, org, &id)
}

pub fn update(
    conn: &mut DbConnection,
    org: &Org,
    vuln_id: &str,
    req: &UpdateVulnerability,
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<VulnerabilityDetail> {
    let v = store::get(conn, &org.id, vuln_id)?;
    let mut c = Checks::of(req);
    for a in req.aliases.iter().flatten() {
        check_id(&mut c, "aliases", &normalize_vuln_id(a));
    }
    if let Some(v) = &req.cvss_v3_vector {
        check_vector(&mut c, v.as_deref());
    }
    if let Some(a) = req.aware_at {
        c.check(a.naive_utc() <= now() + chrono::Duration::minutes(5), "aware_at", "must not be in the future");
    }
    c.finish()?;
    let aliases = match &req.aliases {
        Some(list) => {
            list.iter().map(|a| normalize_vuln_id(a)).filter(|a| a != &v.vuln_id).collect::<Vec<_>>().join(" ")
        }
        None => v.aliases.clone(),
    };
    let closed_at = match req.closed {
        Some(true) => v.closed_at.or(Some(now())),
        Some(false) => None,
        None => v.closed_at,
    };
    diesel::update(vulnerabilities::table.find(&v.id))
        .set((
            vulnerabilities::aliases.eq(aliases),
            vulnerabilities::title.eq(req.title.as_deref().map(str::trim).unwrap_or(&v.title)),
            vulnerabilities::description.eq(req.description.as_deref().map(str::trim).unwrap_or(&v.description)),
            vulnerabilities::severity.eq(req.severity.unwrap_or(v.severity)),
            vulnerabilities::cvss_v3_vector.eq(req.cvss_v3_vector.clone().unwrap_or(v.cvss_v3_vector.clone())),
            vulnerabilities::actively_exploited.eq(req.actively_exploited.unwrap_or(v.actively_exploited)),
            vulnerabilities::aware_at.eq(req.aware_at.map(|a| a.naive_utc()).unwrap_or(v.aware_at)),
            vulnerabilities::closed_at.eq(closed_at),
            vulnerabilities::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let mut changes = Vec::new();
    if let Some(s) = req.severity.filter(|s| *s != v.severity) {
        changes.push(format!("severity {} → {}", v.severity.as_str(), s.as_str()));
    }
    if let Some(e) = req.actively_exploited.filter(|e| *e != v.actively_exploited) {
        changes.push(if e {
            "now known to be actively exploited".into()
        } else {
            "no longer marked actively exploited".into()
        });
    }
    if req.closed == Some(true) && v.closed_at.is_none() {
        changes.push("closed".into());
    }
    if req.closed == Some(false) && v.closed_at.is_some() {
        changes.push("reopened".into());
    }
    if req.aware_at.is_some() {
        changes.push("awareness time corrected".into());
    }
    if req.title.is_some() || req.description.is_some() || req.aliases.is_some() || req.cvss_v3_vector.is_some() {
        changes.push("description edited".into());
    }
    if !changes.is_empty() {
        store::step(
            conn,
            &v,
            Action::VulnerabilityUpdate,
            "updated",
            changes.join("; "),
            serde_json::json!({"changes": changes}),
            actor,
            client,
        )?;
    }
    detail(conn, org, vuln_id)
}

pub fn view(conn: &mut DbConnection, portal: &Portal, v: &Vulnerability) -> ApiResult<VulnerabilityView> {
    let reports = store::reports(conn, v)?;
    let clocks = super::clocks::of(v, &reports, portal, now());
    let mut counts = StatusCounts::default();
    for (a, _) in store::assessments(conn, v)? {
        match a.status {
            AssessmentStatus::UnderInvestigation => counts.under_investigation += 1,
            AssessmentStatus::Affected => counts.affected += 1,
            AssessmentStatus::NotAffected => counts.not_affected += 1,
            AssessmentStatus::Fixed => counts.fixed += 1,
        }
    }
    Ok(VulnerabilityView {
        id: v.vuln_id.clone(),
        aliases: v.aliases(),
        title: v.title.clone(),
        description: v.description.clone(),
        severity: v.severity,
        cvss_v3_vector: v.cvss_v3_vector.clone(),
        actively_exploited: v.actively_exploited,
        aware_at: utc(v.aware_at),
        created_at: utc(v.created_at),
        updated_at: utc(v.updated_at),
        closed_at: v.closed_at.map(utc),
        open: v.closed_at.is_none(),
        revision: v.revision,
        published_at: v.published_at.map(utc),
        overdue: clocks.iter().any(|c| c.state == ClockState::Overdue),
        clocks,
        counts,
    })
}

pub fn list(conn: &mut DbConnection, org: &Org, q: &VulnerabilityQuery) -> ApiResult<Vec<VulnerabilityView>> {
    let portal = settings::of_org(conn, org)?;
    let mut query = vulnerabilities::table.filter(vulnerabilities::org_id.eq(&org.id)).into_boxed();
    match q.open {
        Some(true) => query = query.filter(vulnerabilities::closed_at.is_null()),
        Some(false) => query = query.filter(vulnerabilities::closed_at.is_not_null()),
        None => {}
    }
    if let Some(slug) = &q.product {
        let p = catalogue::get_product(conn, &org.id, slug)?;
        let assessed = vuln_assessments::table
            .inner_join(product_versions::table.on(product_versions::id.eq(vuln_assessments::version_id)))
            .filter(product_versions::product_id.eq(p.id))
            .select(vuln_assessments::vulnerability_id);
        query = query.filter(vulnerabilities::id.eq_any(assessed.load::<String>(conn)?));
    }
    let rows: Vec<Vulnerability> = query
        .order((vulnerabilities::aware_at.desc(), vulnerabilities::vuln_id.asc()))
        .limit(1000)
        .select(Vulnerability::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for v in rows {
        let view = view(conn, &portal, &v)?;
        if q.overdue.is_none_or(|o| o == view.overdue) {
            out.push(view);
        }
    }
    Ok(out)
}

pub fn documents(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<PublishedDocument>> {
    let rows: Vec<(String, String, i32, String, String, String, String)> = vuln_documents::table
        .inner_join(artifacts::table.on(artifacts::id.eq(vuln_documents::artifact_id)))
        .inner_join(product_versions::table.on(product_versions::id.eq(vuln_documents::version_id)))
        .inner_join(products::table.on(products::id.eq(product_versions::product_id)))
        .filter(vuln_documents::vulnerability_id.eq(&v.id))
        .order((products::slug.asc(), product_versions::created_at.asc(), vuln_documents::format.asc()))
        .select((
            vuln_documents::artifact_id,
            vuln_documents::format,
            vuln_documents::revision,
            artifacts::filename,
            artifacts::sha256,
            products::slug,
            product_versions::version,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(artifact_id, format, revision, filename, sha256, product, version)| PublishedDocument {
            artifact_id,
            product,
            version,
            format,
            filename,
            sha256,
            revision,
        })
        .collect())
}

pub fn detail(conn: &mut DbConnection, org: &Org, vuln_id: &str) -> ApiResult<VulnerabilityDetail> {
    let v = store::get(conn, &org.id, vuln_id)?;
    let portal = settings::of_org(conn, org)?;
    Ok(VulnerabilityDetail {
        vulnerability: view(conn, &portal, &v)?,
        assessments: assessment_views(conn, &v)?,
        reports: reports(conn, &v)?,
        documents: documents(conn, &v)?,
        impacted: super::impacted::impacted(conn, &portal, &v)?,
        timeline: super::timeline::entries(conn, org, vuln_id)?.1,
    })
}
