//! Assessments of a vulnerability per product version: the console's own, validated as OpenVEX
//! and CSAF require, and the read-only ones taken from uploaded VEX documents.

use diesel::prelude::*;

use super::model::*;
use super::store::{self, Vulnerability};
use crate::audit::{Action, Actor};
use crate::catalogue::service as catalogue;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::orgs::store::Org;
use crate::time::{now, utc};
use crate::validate::Checks;
pub(super) fn clean(s: &Option<String>) -> Option<String> {
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
                if targets.iter().any(|(id, _): &(String, &AssessmentInput)| ver.id == *id) {
                    c.add(&f("version"), format!("{} {} is listed twice", a.product, a.version));
                }
                targets.push((ver.id.to_string(), a));
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
    super::service::detail(conn, org, vuln_id)
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
