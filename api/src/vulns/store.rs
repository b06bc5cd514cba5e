//! Rows of the response loop and the steps of its timeline.

use diesel::prelude::*;

use super::model::*;
use crate::audit::{Action, Actor, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::now;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vulnerabilities)]
pub struct Vulnerability {
    pub id: String,
    pub org_id: String,
    pub vuln_id: String,
    pub aliases: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub cvss_v3_vector: Option<String>,
    pub actively_exploited: bool,
    pub aware_at: chrono::NaiveDateTime,
    pub created_at: chrono::NaiveDateTime,
    pub created_by_name: String,
    pub updated_at: chrono::NaiveDateTime,
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub revision: i32,
    pub published_at: Option<chrono::NaiveDateTime>,
    pub first_notified_at: Option<chrono::NaiveDateTime>,
    pub first_fixed_published_at: Option<chrono::NaiveDateTime>,
    /// Clocks whose reminder was sent (space-separated names).
    pub reminded: String,
}

impl Vulnerability {
    pub fn aliases(&self) -> Vec<String> {
        self.aliases.split_whitespace().map(str::to_string).collect()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vuln_assessments)]
pub struct Assessment {
    pub vulnerability_id: String,
    pub version_id: String,
    pub status: AssessmentStatus,
    pub justification: Option<Justification>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub fixed_in: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
    pub updated_by_name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vuln_reports)]
pub struct Report {
    pub vulnerability_id: String,
    pub kind: ReportKind,
    pub submitted_at: chrono::NaiveDateTime,
    pub reference: Option<String>,
    pub recorded_by_name: String,
}

/// A vulnerability of an organisation by its id (CVE …), else 404.
pub fn get(conn: &mut DbConnection, org_id: &str, vuln_id: &str) -> ApiResult<Vulnerability> {
    let id = crate::artifacts::service::normalize_vuln_id(vuln_id);
    vulnerabilities::table
        .filter(vulnerabilities::org_id.eq(org_id))
        .filter(vulnerabilities::vuln_id.eq(&id))
        .select(Vulnerability::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("vulnerability `{id}` not found")))
}

pub fn assessments(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<(Assessment, VersionRef)>> {
    type Row = (Assessment, (String, String, String, String, String));
    let rows: Vec<Row> = vuln_assessments::table
        .inner_join(product_versions::table.on(product_versions::id.eq(vuln_assessments::version_id)))
        .inner_join(products::table.on(products::id.eq(product_versions::product_id)))
        .filter(vuln_assessments::vulnerability_id.eq(&v.id))
        .order((products::slug.asc(), product_versions::created_at.asc()))
        .select((
            Assessment::as_select(),
            (products::id, products::slug, products::name, product_versions::id, product_versions::version),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, (product_id, product, product_name, version_id, version))| {
            (a, VersionRef { product_id, product, product_name, version_id, version })
        })
        .collect())
}

pub fn reports(conn: &mut DbConnection, v: &Vulnerability) -> ApiResult<Vec<Report>> {
    Ok(vuln_reports::table
        .filter(vuln_reports::vulnerability_id.eq(&v.id))
        .order(vuln_reports::submitted_at.asc())
        .select(Report::as_select())
        .load(conn)?)
}

/// Records a step of the vulnerability's response with its audit event (one transaction).
#[allow(clippy::too_many_arguments)]
pub fn step(
    conn: &mut DbConnection,
    v: &Vulnerability,
    action: Action,
    kind: &str,
    summary: String,
    details: serde_json::Value,
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<String> {
    let actor_name = actor.name().unwrap_or("anonymous").to_string();
    let event_id = Event::new(Some(&v.org_id), Category::Admin, action, actor, client)
        .details(serde_json::json!({"vulnerability": v.vuln_id, "step": details}))
        .record(conn)?;
    diesel::insert_into(vuln_steps::table)
        .values((
            vuln_steps::id.eq(uuid::Uuid::now_v7().to_string()),
            vuln_steps::vulnerability_id.eq(&v.id),
            vuln_steps::at.eq(now()),
            vuln_steps::kind.eq(kind),
            vuln_steps::summary.eq(summary),
            vuln_steps::actor_name.eq(actor_name),
            vuln_steps::audit_event_id.eq(Some(&event_id)),
        ))
        .execute(conn)?;
    Ok(event_id)
}
