//! Reports to the authorities (CRA Art. 14: early warning, notification, final report), with
//! drafted copy-ready text.

use diesel::prelude::*;

use super::assessments::{assessment_views, clean};
use super::model::*;
use super::store::{self, Vulnerability};
use crate::audit::{Action, Actor};
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::orgs::store::Org;
use crate::time::{now, utc};
use crate::validate::Checks;
pub(super) fn reports(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<ReportView>> {
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
    let mut c = Checks::of(req);
    let at = req.submitted_at.map(|t| t.naive_utc()).unwrap_or_else(now);
    c.check(at <= now() + chrono::Duration::minutes(5), "submitted_at", "must not be in the future");
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
