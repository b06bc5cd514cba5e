//! The response loop's admin API: triage, publication, impacted customers, reports, timeline.

use actix_web::{get, patch, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::{assessments, publish, reports, service, timeline};
use crate::auth::{OrgCaller, OrgPublisher, OrgViewer, Publish};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgCheckedWriteErrors, OrgErrors, OrgWriteErrors};
use crate::error::ApiResult;
use crate::reply::Created;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_vulnerability)
        .service(list_vulnerabilities)
        .service(get_vulnerability)
        .service(update_vulnerability)
        .service(put_assessments)
        .service(preview_documents)
        .service(publish_vulnerability)
        .service(impacted_customers)
        .service(vulnerability_timeline)
        .service(report_drafts)
        .service(record_report);
}

/// Starts tracking a vulnerability; its clocks run from `aware_at` (publishers and admins).
#[utoipa::path(tag = "vulnerabilities", operation_id = "createVulnerability",
    params(("org" = String, Path, description = "Organisation slug")), request_body = CreateVulnerability,
    security(("admin_jwt" = [])), responses((status = 201, body = VulnerabilityDetail), OrgWriteErrors))]
#[post("/orgs/{org}/vulnerabilities")]
async fn create_vulnerability(
    st: web::Data<AppState>,
    access: OrgPublisher,
    client: ClientInfo,
    body: web::Json<CreateVulnerability>,
) -> ApiResult<Created<VulnerabilityDetail>> {
    let req = body.into_inner();
    let actor = access.user.actor();
    Ok(Created(db::tx(&st.pool, move |c| service::create(c, &access.org, &req, actor, &client)).await?))
}

/// Vulnerabilities with their clocks, newest awareness first (filters: open, overdue, product).
#[utoipa::path(tag = "vulnerabilities", operation_id = "listVulnerabilities",
    params(("org" = String, Path, description = "Organisation slug"), VulnerabilityQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<VulnerabilityView>), OrgErrors))]
#[get("/orgs/{org}/vulnerabilities")]
async fn list_vulnerabilities(
    st: web::Data<AppState>,
    access: OrgViewer,
    query: web::Query<VulnerabilityQuery>,
) -> ApiResult<web::Json<Vec<VulnerabilityView>>> {
    let q = query.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| service::list(c, &access.org, &q)).await?))
}

/// A vulnerability with its assessments (triage and uploaded VEX), reports, generated documents,
/// clocks and impacted customers.
#[utoipa::path(tag = "vulnerabilities", operation_id = "getVulnerability",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)")),
    security(("admin_jwt" = [])), responses((status = 200, body = VulnerabilityDetail), OrgErrors))]
#[get("/orgs/{org}/vulnerabilities/{id}")]
async fn get_vulnerability(
    st: web::Data<AppState>,
    access: OrgViewer,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<VulnerabilityDetail>> {
    let (_, id) = path.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| service::detail(c, &access.org, &id)).await?))
}

/// Edits a vulnerability; `closed: true` closes it.
#[utoipa::path(tag = "vulnerabilities", operation_id = "updateVulnerability",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)")),
    request_body = UpdateVulnerability, security(("admin_jwt" = [])), responses((status = 200, body = VulnerabilityDetail), OrgWriteErrors))]
#[patch("/orgs/{org}/vulnerabilities/{id}")]
async fn update_vulnerability(
    st: web::Data<AppState>,
    access: OrgPublisher,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateVulnerability>,
) -> ApiResult<web::Json<VulnerabilityDetail>> {
    let (_, id) = path.into_inner();
    let req = body.into_inner();
    let actor = access.user.actor();
    Ok(web::Json(db::tx(&st.pool, move |c| service::update(c, &access.org, &id, &req, actor, &client)).await?))
}

/// Sets the status of listed versions (others keep theirs): `under_investigation`, `affected`
/// (with an action statement or `fixed_in`), `not_affected` (with a justification or impact
/// statement) or `fixed`.
#[utoipa::path(tag = "vulnerabilities", operation_id = "putAssessments",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)")),
    request_body = Vec<AssessmentInput>, security(("admin_jwt" = [])), responses((status = 200, body = VulnerabilityDetail), OrgWriteErrors))]
#[put("/orgs/{org}/vulnerabilities/{id}/assessments")]
async fn put_assessments(
    st: web::Data<AppState>,
    access: OrgPublisher,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<Vec<AssessmentInput>>,
) -> ApiResult<web::Json<VulnerabilityDetail>> {
    let (_, id) = path.into_inner();
    let list = body.into_inner();
    let actor = access.user.actor();
    Ok(web::Json(
        db::tx(&st.pool, move |c| assessments::put_assessments(c, &access.org, &id, &list, actor, &client)).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The label the documents would carry (default: the portal's).
    pub tlp: Option<crate::domain::Tlp>,
}

/// One generated document, as it would be published.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewDocument {
    pub product: String,
    pub version: String,
    /// `csaf` or `openvex`.
    pub format: String,
    pub filename: String,
    /// The document (JSON text).
    pub content: String,
}

/// The OpenVEX and CSAF VEX documents a publication would generate now (nothing is stored).
#[utoipa::path(tag = "vulnerabilities", operation_id = "previewVulnerabilityDocuments",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)"), PreviewQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<PreviewDocument>), OrgWriteErrors))]
#[get("/orgs/{org}/vulnerabilities/{id}/preview")]
async fn preview_documents(
    st: web::Data<AppState>,
    access: OrgViewer,
    path: web::Path<(String, String)>,
    query: web::Query<PreviewQuery>,
) -> ApiResult<web::Json<Vec<PreviewDocument>>> {
    let (_, id) = path.into_inner();
    let tlp = query.into_inner().tlp;
    let public_url = st.settings.public_url.clone();
    Ok(web::Json(db::run(&st.pool, move |c| publish::preview(c, &access.org, &id, tlp, &public_url)).await?))
}

/// Generates OpenVEX and CSAF VEX documents for every version whose assessment changed, publishes
/// them (superseding the previous revision) and notifies the customers who may see them.
#[utoipa::path(tag = "vulnerabilities", operation_id = "publishVulnerability",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)")),
    request_body = PublishRequest, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, body = PublishResult), OrgCheckedWriteErrors))]
#[post("/orgs/{org}/vulnerabilities/{id}/publish")]
async fn publish_vulnerability(
    st: web::Data<AppState>,
    access: OrgCaller<Publish>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: Option<web::Json<PublishRequest>>,
) -> ApiResult<web::Json<PublishResult>> {
    let (_, id) = path.into_inner();
    let req = body.map(|b| b.into_inner()).unwrap_or_default();
    Ok(web::Json(publish::publish(&st, access.org, access.caller, client, id, req).await?))
}

/// The customers impacted: tokens entitled to an affected or under-investigation version, with
/// what they downloaded of it, whether they subscribed, and whether they can be told.
#[utoipa::path(tag = "vulnerabilities", operation_id = "listImpactedCustomers",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)")),
    security(("admin_jwt" = [])), responses((status = 200, body = Vec<ImpactedCustomer>), OrgErrors))]
#[get("/orgs/{org}/vulnerabilities/{id}/impacted")]
async fn impacted_customers(
    st: web::Data<AppState>,
    access: OrgViewer,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<Vec<ImpactedCustomer>>> {
    let (_, id) = path.into_inner();
    Ok(web::Json(
        db::run(&st.pool, move |c| {
            let v = super::store::get(c, &access.org.id, &id)?;
            let portal = crate::portal::settings::of_org(c, &access.org)?;
            super::impacted::impacted(c, &portal, &v)
        })
        .await?,
    ))
}

/// Every step of the response, each tied to its audit event: JSON, CSV or Markdown (`format`).
#[utoipa::path(tag = "vulnerabilities", operation_id = "getVulnerabilityTimeline",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)"), TimelineQuery),
    security(("admin_jwt" = [])),
    responses((status = 200, description = "The timeline", content((Vec<TimelineEntry> = "application/json"), (String = "text/csv"), (String = "text/markdown"))), OrgErrors))]
#[get("/orgs/{org}/vulnerabilities/{id}/timeline")]
async fn vulnerability_timeline(
    st: web::Data<AppState>,
    access: OrgViewer,
    path: web::Path<(String, String)>,
    query: web::Query<TimelineQuery>,
) -> ApiResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let format = query.into_inner().format.unwrap_or_else(|| "json".into());
    if !["json", "csv", "markdown"].contains(&format.as_str()) {
        return Err(crate::error::ApiError::validation("format", "must be json, csv or markdown"));
    }
    let (v, entries) = db::run(&st.pool, move |c| timeline::entries(c, &access.org, &id)).await?;
    let name = format!("{}-timeline", v.vuln_id);
    Ok(match format.as_str() {
        "csv" => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("content-disposition", format!("attachment; filename=\"{name}.csv\"")))
            .body(timeline::csv(&entries)?),
        "markdown" => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header(("content-disposition", format!("attachment; filename=\"{name}.md\"")))
            .body(timeline::markdown(&v, &entries)),
        _ => HttpResponse::Ok().json(entries),
    })
}

/// Copy-ready drafts of the CRA Art. 14(2) reports, and the reports recorded so far.
#[utoipa::path(tag = "vulnerabilities", operation_id = "getReportDrafts",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)")),
    security(("admin_jwt" = [])), responses((status = 200, body = ReportDrafts), OrgErrors))]
#[get("/orgs/{org}/vulnerabilities/{id}/reports")]
async fn report_drafts(
    st: web::Data<AppState>,
    access: OrgViewer,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<ReportDrafts>> {
    let (_, id) = path.into_inner();
    Ok(web::Json(db::run(&st.pool, move |c| reports::drafts(c, &access.org, &id)).await?))
}

/// Records that a report (`early_warning`, `notification`, `final_report`) was submitted to the
/// EU single reporting platform (it has no API): its clock is then met.
#[utoipa::path(tag = "vulnerabilities", operation_id = "recordReport",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Vulnerability id (CVE …)"),
        ("kind" = ReportKind, Path, description = "early_warning, notification or final_report")),
    request_body = RecordReport, security(("admin_jwt" = [])), responses((status = 200, body = ReportDrafts), OrgWriteErrors))]
#[put("/orgs/{org}/vulnerabilities/{id}/reports/{kind}")]
async fn record_report(
    st: web::Data<AppState>,
    access: OrgPublisher,
    client: ClientInfo,
    path: web::Path<(String, String, ReportKind)>,
    body: web::Json<RecordReport>,
) -> ApiResult<web::Json<ReportDrafts>> {
    let (_, id, kind) = path.into_inner();
    let req = body.into_inner();
    let actor = access.user.actor();
    Ok(web::Json(
        db::tx(&st.pool, move |c| reports::record_report(c, &access.org, &id, kind, &req, actor, &client)).await?,
    ))
}
