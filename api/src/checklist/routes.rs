//! Checklist handlers: the manufacturer's (template, answers, acknowledgements) and the
//! customers' (read, acknowledge).

use actix_web::{get, post, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::service;
use crate::audit::{Action, Category, Event};
use crate::auth::{OrgAdmin, OrgCaller, Publish, ReadCatalogue};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::{OrgErrors, OrgWriteErrors, PortalErrors, PortalWriteErrors};
use crate::error::{ApiError, ApiResult};
use crate::portal::customer;
use crate::portal::reader::{PortalReader, Reader};
use crate::reply::Created;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_template)
        .service(put_template)
        .service(get_checklist)
        .service(put_checklist)
        .service(list_acknowledgements)
        .service(portal_checklist)
        .service(acknowledge);
}

/// JSON, or the Markdown export with `?format=markdown`.
fn answer(c: ProductChecklist, q: &ChecklistQuery) -> ApiResult<HttpResponse> {
    match q.format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok().json(c)),
        Some("markdown") => Ok(HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header((
                actix_web::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-cra-checklist.md\"", c.product_slug),
            ))
            .body(service::markdown(&c))),
        Some(other) => Err(ApiError::validation("format", format!("`{other}` is not json or markdown"))),
    }
}

/// The organisation's checklist template (the built-in CRA vendor checklist unless edited).
#[utoipa::path(tag = "checklist", operation_id = "getChecklistTemplate",
    params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = ChecklistTemplate), OrgErrors))]
#[get("/orgs/{org}/checklist-template")]
async fn get_template(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
) -> ApiResult<web::Json<ChecklistTemplate>> {
    let sections = db::run(&st.pool, move |c| service::template(c, &access.org.id)).await?;
    Ok(web::Json(ChecklistTemplate { sections }))
}

/// Replaces the organisation's checklist template (admins): sections with stable ids, titles
/// and clauses. Answers are kept by section id.
#[utoipa::path(tag = "checklist", operation_id = "putChecklistTemplate",
    params(("org" = String, Path, description = "Organisation slug")), request_body = ChecklistTemplate,
    security(("admin_jwt" = [])), responses((status = 200, body = ChecklistTemplate), OrgWriteErrors))]
#[put("/orgs/{org}/checklist-template")]
async fn put_template(
    st: web::Data<AppState>,
    access: OrgAdmin,
    client: ClientInfo,
    body: web::Json<ChecklistTemplate>,
) -> ApiResult<web::Json<ChecklistTemplate>> {
    let req = body.into_inner();
    let actor = access.user.actor();
    Ok(web::Json(db::tx(&st.pool, move |c| service::put_template(c, &access.org.id, &req, &actor, &client)).await?))
}

/// A product's CRA vendor checklist: every section with its clauses, status, statement, evidence
/// (any state), reviewer and review date; `?format=markdown` for the export.
#[utoipa::path(tag = "checklist", operation_id = "getProductChecklist",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug"), ChecklistQuery),
    security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, content((ProductChecklist = "application/json"), (String = "text/markdown"))), OrgErrors))]
#[get("/orgs/{org}/products/{product}/checklist")]
async fn get_checklist(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String)>,
    q: web::Query<ChecklistQuery>,
) -> ApiResult<HttpResponse> {
    let slug = path.into_inner().1;
    let view = db::run(&st.pool, move |c| {
        let p = crate::catalogue::service::get_product(c, &access.org.id, &slug)?;
        service::admin_view(c, &p)
    })
    .await?;
    answer(view, &q)
}

/// Answers the checklist of a product and publishes it or not (publishers): a status, statement,
/// evidence (artifact ids of this product), reviewer and review date per section.
#[utoipa::path(tag = "checklist", operation_id = "putProductChecklist",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    request_body = UpdateChecklist, security(("admin_jwt" = []), ("api_key" = [])),
    responses((status = 200, body = ProductChecklist), OrgWriteErrors))]
#[put("/orgs/{org}/products/{product}/checklist")]
async fn put_checklist(
    st: web::Data<AppState>,
    access: OrgCaller<Publish>,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateChecklist>,
) -> ApiResult<web::Json<ProductChecklist>> {
    let slug = path.into_inner().1;
    let req = body.into_inner();
    let actor = access.caller.actor();
    Ok(web::Json(
        db::tx(&st.pool, move |c| {
            let p = crate::catalogue::service::get_product(c, &access.org.id, &slug)?;
            service::put(c, &p, &req, &actor, &client)
        })
        .await?,
    ))
}

/// Who acknowledged a product's checklist (customers' name and title, their token, when, and the
/// SHA-256 of the text they saw), newest first.
#[utoipa::path(tag = "checklist", operation_id = "listChecklistAcknowledgements",
    params(("org" = String, Path, description = "Organisation slug"), ("product" = String, Path, description = "Product slug")),
    security(("admin_jwt" = []), ("api_key" = [])), responses((status = 200, body = Vec<Acknowledgement>), OrgErrors))]
#[get("/orgs/{org}/products/{product}/checklist/acknowledgements")]
async fn list_acknowledgements(
    st: web::Data<AppState>,
    access: OrgCaller<ReadCatalogue>,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<Vec<Acknowledgement>>> {
    let slug = path.into_inner().1;
    Ok(web::Json(
        db::run(&st.pool, move |c| {
            let p = crate::catalogue::service::get_product(c, &access.org.id, &slug)?;
            service::acknowledgements(c, &p)
        })
        .await?,
    ))
}

/// A product's published CRA vendor checklist as the reader may see it (evidence it may not see
/// is left out); `?format=markdown` for a copy. Audited as `portal.checklist.view`.
#[utoipa::path(tag = "portal", operation_id = "getPortalChecklist",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug"), ChecklistQuery),
    security((), ("portal_token" = [])),
    responses((status = 200, content((ProductChecklist = "application/json"), (String = "text/markdown"))), PortalErrors))]
#[get("/portal/{slug}/products/{product}/checklist")]
async fn portal_checklist(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String)>,
    q: web::Query<ChecklistQuery>,
) -> ApiResult<HttpResponse> {
    let slug = path.into_inner().1;
    let view = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &slug)?;
        let view = service::customer_view(c, &r.audience, &p)?;
        Event::new(Some(&r.portal.org_id), Category::Portal, Action::PortalChecklistView, r.actor(), &r.client)
            .product(Some(&p.id))
            .details(serde_json::json!({"sha256": view.sha256}))
            .record(c)?;
        Ok(view)
    })
    .await?;
    answer(view, &q)
}

/// Acknowledges the checklist (its signature section): name and title of the person, recorded
/// with the access token, the time and the SHA-256 of the text read. Needs an access token.
#[utoipa::path(tag = "portal", operation_id = "acknowledgePortalChecklist",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug")),
    request_body = CreateAcknowledgement, security(("portal_token" = [])),
    responses((status = 201, body = Acknowledgement), PortalWriteErrors))]
#[post("/portal/{slug}/products/{product}/checklist/acknowledgements")]
async fn acknowledge(
    st: web::Data<AppState>,
    r: PortalReader,
    path: web::Path<(String, String)>,
    body: web::Json<CreateAcknowledgement>,
) -> ApiResult<Created<Acknowledgement>> {
    let slug = path.into_inner().1;
    let req = body.into_inner();
    let Reader::Token(t) = &r.reader else {
        return Err(ApiError::Unauthorized(
            "acknowledging needs your access token: it records who acknowledged".into(),
        ));
    };
    let token = (t.id.clone(), t.name.clone());
    let ack = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &slug)?;
        service::acknowledge(c, &r.audience, &r.actor(), (&token.0, &token.1), &p, &req, &r.client)
    })
    .await?;
    Ok(Created(ack))
}
