//! Triage: vulnerabilities, their assessments per version, reports to the authorities.

use diesel::prelude::*;

use super::model::*;
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
    let mut c = Checks::new();
    check_id(&mut c, "id", &id);
    for a in &req.aliases {
        check_id(&mut c, "aliases", &normalize_vuln_id(a));
    }
    c.text("title", &req.title, 1, 300).text("description", &req.description, 0, 20_000);
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
    let mut c = Checks::new();
    if let Some(t) = &req.title {
        c.text("title", t, 1, 300);
    }
    if let Some(d) = &req.description {
        c.text("description", d, 0, 20_000);
    }
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

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Replaces the triage of the listed versions (others keep theirs). Each change is a step.
pub fn put_assessments(
    conn: &mut DbConnection,
    org: &Org,
    vuln_id: &str,
    list: &[AssessmentInput],
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<VulnerabilityDetail> {
    let v = store::get(conn, &org.id, vuln_id)?;
    let mut c = Checks::new();
    c.check(!list.is_empty() && list.len() <= 500, "assessments", "give 1 to 500 assessments");
    let mut targets = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let f = |x: &str| format!("[{i}].{x}");
        if a.status == AssessmentStatus::NotAffected
            && a.justification.is_none()
            && clean(&a.impact_statement).is_none()
        {
            c.add(
                &f("justification"),
                "not_affected needs a justification or an impact_statement (OpenVEX, CSAF 6.1.27.9)",
            );
        }
        if a.status != AssessmentStatus::NotAffected && a.justification.is_some() {
            c.add(&f("justification"), "only not_affected carries a justification");
        }
        if a.status == AssessmentStatus::Affected
            && clean(&a.action_statement).is_none()
            && clean(&a.fixed_in).is_none()
        {
            c.add(
                &f("action_statement"),
                "affected needs an action_statement or fixed_in: what should customers do? (OpenVEX, CSAF 6.1.27.10)",
            );
        }
        for (name, value, max) in [
            ("impact_statement", &a.impact_statement, 5000),
            ("action_statement", &a.action_statement, 5000),
            ("fixed_in", &a.fixed_in, 100),
        ] {
            if let Some(s) = value {
                c.text(&f(name), s, 0, max);
            }
        }
        let found = catalogue::get_product(conn, &org.id, &a.product)
            .and_then(|p| catalogue::get_version(conn, &p, &a.version).map(|ver| (p, ver)));
        match found {
            Ok((_, ver)) => {
                if targets.iter().any(|(id, _): &(String, &AssessmentInput)| id == &ver.id) {
                    c.add(&f("version"), format!("{} {} is listed twice", a.product, a.version));
                }
                targets.push((ver.id.clone(), a));
            }
            Err(_) => {
                c.add(&f("version"), format!("{} {} is not a version of this organisation", a.product, a.version));
            }
        }
    }
    c.finish()?;
    let before: Vec<(store::Assessment, VersionRef)> = store::assessments(conn, &v)?;
    let at = now();
    let by = actor.name().unwrap_or("anonymous").to_string();
    let mut changed = Vec::new();
    for (version_id, a) in targets {
        let old = before.iter().find(|(x, _)| x.version_id == version_id);
        let same = old.is_some_and(|(o, _)| {
            o.status == a.status
                && o.justification == a.justification
                && o.impact_statement == clean(&a.impact_statement)
                && o.action_statement == clean(&a.action_statement)
                && o.fixed_in == clean(&a.fixed_in)
        });
        if same {
            continue;
        }
        diesel::delete(
            vuln_assessments::table
                .filter(vuln_assessments::vulnerability_id.eq(&v.id))
                .filter(vuln_assessments::version_id.eq(&version_id)),
        )
        .execute(conn)?;
        diesel::insert_into(vuln_assessments::table)
            .values((
                vuln_assessments::vulnerability_id.eq(&v.id),
                vuln_assessments::version_id.eq(&version_id),
                vuln_assessments::status.eq(a.status),
                vuln_assessments::justification.eq(a.justification),
                vuln_assessments::impact_statement.eq(clean(&a.impact_statement)),
                vuln_assessments::action_statement.eq(clean(&a.action_statement)),
                vuln_assessments::fixed_in.eq(clean(&a.fixed_in)),
                vuln_assessments::updated_at.eq(at),
                vuln_assessments::updated_by_name.eq(&by),
            ))
            .execute(conn)?;
        changed.push(format!(
            "{} {}: {}{}",
            a.product,
            a.version,
            old.map(|(o, _)| format!("{} → ", o.status.as_str())).unwrap_or_default(),
            a.status.as_str()
        ));
    }
    if !changed.is_empty() {
        store::step(
            conn,
            &v,
            Action::VulnerabilityAssess,
            "assessed",
            changed.join("; "),
            serde_json::json!({"changes": changed}),
            actor,
            client,
        )?;
    }
    detail(conn, org, vuln_id)
}

/// The vulnerability's id and its aliases (documents may name either).
pub fn ids_of(v: &Vulnerability) -> Vec<String> {
    let mut ids = vec![v.vuln_id.clone()];
    ids.extend(v.aliases());
    ids
}

/// Statements about this vulnerability in uploaded (not generated) VEX documents, as read-only
/// assessments of the versions those documents are filed under.
pub fn vex_assessments(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<AssessmentView>> {
    let generated: Vec<String> = vuln_documents::table
        .filter(vuln_documents::vulnerability_id.eq(&v.id))
        .select(vuln_documents::artifact_id)
        .load(conn)?;
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        chrono::NaiveDateTime,
        (String, String, String, String, String),
        String,
    );
    let rows: Vec<Row> = vex_statements::table
        .inner_join(artifacts::table.on(artifacts::id.eq(vex_statements::artifact_id)))
        .inner_join(artifact_versions::table.on(artifact_versions::artifact_id.eq(artifacts::id)))
        .inner_join(product_versions::table.on(product_versions::id.eq(artifact_versions::version_id)))
        .inner_join(products::table.on(products::id.eq(product_versions::product_id)))
        .filter(artifacts::org_id.eq(&v.org_id))
        .filter(artifacts::status.eq(crate::domain::ArtifactStatus::Published))
        .filter(vex_statements::vulnerability_id.eq_any(ids_of(v)))
        .filter(artifacts::id.ne_all(&generated))
        .order((products::slug.asc(), product_versions::created_at.asc(), vex_statements::id.asc()))
        .limit(500)
        .select((
            vex_statements::status,
            vex_statements::product_ref,
            vex_statements::justification,
            vex_statements::impact_statement,
            vex_statements::action_statement,
            artifacts::id,
            artifacts::filename,
            artifacts::uploaded_at,
            (products::id, products::slug, products::name, product_versions::id, product_versions::version),
            artifacts::format,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(status, _ref, justification, impact, action, artifact_id, filename, at, t, _format)| {
            let status: AssessmentStatus = status.parse().ok()?;
            Some(AssessmentView {
                target: VersionRef { product_id: t.0, product: t.1, product_name: t.2, version_id: t.3, version: t.4 },
                status,
                justification: justification.and_then(|j| j.parse().ok()),
                impact_statement: impact,
                action_statement: action,
                fixed_in: None,
                updated_at: Some(utc(at)),
                read_only: true,
                source: AssessmentSource::VexDocument { artifact_id, filename },
            })
        })
        .collect())
}

pub fn assessment_views(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<AssessmentView>> {
    let mut out: Vec<AssessmentView> = store::assessments(conn, v)?
        .into_iter()
        .map(|(a, target)| AssessmentView {
            target,
            status: a.status,
            justification: a.justification,
            impact_statement: a.impact_statement,
            action_statement: a.action_statement,
            fixed_in: a.fixed_in,
            updated_at: Some(utc(a.updated_at)),
            read_only: false,
            source: AssessmentSource::Triage { updated_by: a.updated_by_name },
        })
        .collect();
    out.extend(vex_assessments(conn, v)?);
    Ok(out)
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

fn reports(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<ReportView>> {
    Ok(store::reports(conn, v)?
        .into_iter()
        .map(|r| ReportView {
            kind: r.kind,
            submitted_at: utc(r.submitted_at),
            reference: r.reference,
            recorded_by: r.recorded_by_name,
        })
        .collect())
}

/// Records that a report was submitted to the single reporting platform (replaces an earlier
/// record of the same kind).
pub fn record_report(
    conn: &mut DbConnection,
    org: &Org,
    vuln_id: &str,
    kind: ReportKind,
    req: &RecordReport,
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<ReportDrafts> {
    let v = store::get(conn, &org.id, vuln_id)?;
    let mut c = Checks::new();
    let at = req.submitted_at.map(|t| t.naive_utc()).unwrap_or_else(now);
    c.check(at <= now() + chrono::Duration::minutes(5), "submitted_at", "must not be in the future");
    if let Some(r) = &req.reference {
        c.text("reference", r, 0, 500);
    }
    c.finish()?;
    diesel::delete(
        vuln_reports::table.filter(vuln_reports::vulnerability_id.eq(&v.id)).filter(vuln_reports::kind.eq(kind)),
    )
    .execute(conn)?;
    diesel::insert_into(vuln_reports::table)
        .values((
            vuln_reports::vulnerability_id.eq(&v.id),
            vuln_reports::kind.eq(kind),
            vuln_reports::submitted_at.eq(at),
            vuln_reports::reference.eq(clean(&req.reference)),
            vuln_reports::recorded_by_name.eq(actor.name().unwrap_or("anonymous")),
        ))
        .execute(conn)?;
    store::step(
        conn,
        &v,
        Action::VulnerabilityReport,
        "report",
        format!(
            "{} submitted {}{}",
            kind.as_str().replace('_', " "),
            utc(at).to_rfc3339(),
            clean(&req.reference).map(|r| format!(" (reference {r})")).unwrap_or_default()
        ),
        serde_json::json!({"kind": kind, "submitted_at": utc(at), "reference": req.reference}),
        actor,
        client,
    )?;
    drafts(conn, org, vuln_id)
}

/// Copy-ready texts for the three CRA Art. 14(2) reports, drafted from the triage.
pub fn drafts(conn: &mut DbConnection, org: &Org, vuln_id: &str) -> ApiResult<ReportDrafts> {
    let v = store::get(conn, &org.id, vuln_id)?;
    let assessed = assessment_views(conn, &v)?;
    let list = |pred: &dyn Fn(AssessmentStatus) -> bool| -> String {
        let items: Vec<String> = assessed
            .iter()
            .filter(|a| pred(a.status))
            .map(|a| {
                format!(
                    "{} {}{}",
                    a.target.product_name,
                    a.target.version,
                    a.fixed_in.as_ref().map(|f| format!(" (fixed in {f})")).unwrap_or_default()
                )
            })
            .collect();
        if items.is_empty() {
            "none identified".into()
        } else {
            items.join("; ")
        }
    };
    let affected = list(&|s| matches!(s, AssessmentStatus::Affected | AssessmentStatus::UnderInvestigation));
    let fixed = list(&|s| s == AssessmentStatus::Fixed);
    let actions: Vec<String> = assessed
        .iter()
        .filter_map(|a| {
            a.action_statement.as_ref().map(|s| format!("{} {}: {s}", a.target.product_name, a.target.version))
        })
        .collect();
    let aware = utc(v.aware_at).format("%Y-%m-%d %H:%M UTC");
    let exploited =
        if v.actively_exploited { "is being actively exploited" } else { "is not known to be actively exploited" };
    let head = format!(
        "Manufacturer: {}\nVulnerability: {} — {}\nSeverity: {}{}\n",
        org.name,
        v.vuln_id,
        v.title,
        v.severity.as_str(),
        v.cvss_v3_vector.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
    );
    Ok(ReportDrafts {
        early_warning: format!(
            "{head}Early warning (CRA Art. 14(2)(a)).\nWe became aware on {aware} that this vulnerability {exploited}.\n\
             Products with digital elements concerned: {affected}.\nMember States where the products are made available: [to complete].\n"
        ),
        notification: format!(
            "{head}Vulnerability notification (CRA Art. 14(2)(b)).\nAware since {aware}; the vulnerability {exploited}.\n\
             Affected or under investigation: {affected}.\nGeneral nature of the exploit and of the vulnerability: {}\n\
             Corrective or mitigating measures taken: {}\nMeasures users can take: {}\nSensitivity of the information: [to complete].\n",
            if v.description.is_empty() { &v.title } else { &v.description },
            if fixed == "none identified" { "in progress".to_string() } else { format!("fixed in {fixed}") },
            if actions.is_empty() { "see the published VEX documents".to_string() } else { actions.join(" ") }
        ),
        final_report: format!(
            "{head}Final report (CRA Art. 14(2)(c)).\nDescription: {}\nSeverity and impact: {}.\n\
             Malicious actor information, where available: [to complete].\nSecurity update or corrective measures: {}.\n\
             Versions still affected or under investigation: {affected}.\n",
            if v.description.is_empty() { &v.title } else { &v.description },
            v.severity.as_str(),
            if fixed == "none identified" { "none published yet".to_string() } else { format!("fixed in {fixed}") }
        ),
        reports: reports(conn, &v)?,
    })
}
