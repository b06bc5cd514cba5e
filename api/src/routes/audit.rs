use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::audit::model::*;
use crate::audit::query;
use crate::audit::Action;
use crate::audit::{Category, Event};
use crate::auth::{OrgViewer, Role};
use crate::client::ClientInfo;
use crate::db;
use crate::error::responses::OrgErrors;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit).service(list_deliveries);
}

const EXPORT_BATCH: i64 = 1000;

/// The organisation's audit log, newest first, filtered; keyset pages (`cursor`).
///
/// Members of any role can read it. With `format=csv|ndjson` (or `Accept: text/csv` /
/// `application/x-ndjson`) the whole filtered log is exported as a stream — admins only, because
/// it contains addresses and user agents; the export itself is audited.
#[utoipa::path(tag = "audit", operation_id = "listAuditEvents",
    params(("org" = String, Path, description = "Organisation slug"), AuditQuery),
    security(("admin_jwt" = [])),
    responses((status = 200, description = "A page of events, or the export (CSV / NDJSON)",
        content((AuditPage = "application/json"), (String = "text/csv"), (String = "application/x-ndjson"))), OrgErrors))]
#[get("/orgs/{org}/audit")]
async fn list_audit(
    st: web::Data<AppState>,
    access: OrgViewer,
    client: ClientInfo,
    req: HttpRequest,
    q: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    query::validate(&q)?;
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = q.format.clone().unwrap_or_else(|| {
        if accept.contains("text/csv") {
            "csv".into()
        } else if accept.contains("application/x-ndjson") {
            "ndjson".into()
        } else {
            "json".into()
        }
    });
    if format == "json" {
        let org_id = access.org.id.clone();
        let mut page = db::run(&st.pool, move |c| query::list(c, &org_id, &q)).await?;
        crate::audit::privacy::redact_events(access.role, &mut page.events);
        return Ok(HttpResponse::Ok().json(page));
    }
    if access.role != Role::Admin {
        return Err(ApiError::Forbidden("exporting the audit log needs the admin role".into()));
    }
    let csv_format = format == "csv";
    let org_id = access.org.id.clone();
    let actor = access.user.actor();
    let details =
        serde_json::json!({"format": format, "category": q.category, "action": q.action, "from": q.from, "to": q.to});
    db::tx(&st.pool, move |c| {
        Event::new(Some(&org_id), Category::Admin, Action::AuditExport, actor, &client)
            .details(details)
            .record(c)
            .map(|_| ())
    })
    .await?;
    let start = q.cursor.as_deref().map(query::decode_cursor).transpose()?;
    struct State {
        pool: db::Pool,
        org_id: String,
        q: AuditQuery,
        cursor: Option<query::Cursor>,
        first: bool,
        done: bool,
    }
    let state =
        State { pool: st.pool.clone(), org_id: access.org.id.to_string(), q, cursor: start, first: true, done: false };
    // One batch per step, each on the blocking pool: a million rows never sit in memory.
    let body = futures_util::stream::unfold(state, move |mut s| async move {
        if s.done {
            return None;
        }
        let (org_id, q, cursor) = (s.org_id.clone(), s.q.clone(), s.cursor);
        let batch = db::run(&s.pool, move |c| query::export_page(c, &org_id, &q, cursor, EXPORT_BATCH)).await;
        let chunk = batch.and_then(|(last, n, events)| {
            s.done = (n as i64) < EXPORT_BATCH;
            s.cursor = last;
            let out = query::render(events, csv_format, s.first);
            s.first = false;
            out
        });
        match chunk {
            Ok(bytes) => Some((Ok::<_, actix_web::Error>(web::Bytes::from(bytes)), s)),
            Err(e) => {
                s.done = true;
                Some((Err(e.into()), s))
            }
        }
    });
    let (ct, ext) = if csv_format { ("text/csv; charset=utf-8", "csv") } else { ("application/x-ndjson", "ndjson") };
    let filename = format!("audit-{}-{}.{ext}", access.org.slug, chrono::Utc::now().format("%Y%m%dT%H%M%SZ"));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, ct))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .streaming(body))
}

/// Proof of delivery: every token that received an artifact (or anything of a product version),
/// when, and the SHA-256 of exactly what was served.
#[utoipa::path(tag = "audit", operation_id = "listDeliveries",
    params(("org" = String, Path, description = "Organisation slug"), DeliveryQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = DeliveryReport), OrgErrors))]
#[get("/orgs/{org}/deliveries")]
async fn list_deliveries(
    st: web::Data<AppState>,
    access: OrgViewer,
    q: web::Query<DeliveryQuery>,
) -> ApiResult<web::Json<DeliveryReport>> {
    let q = q.into_inner();
    let org_id = access.org.id.clone();
    let mut report = db::run(&st.pool, move |c| query::deliveries(c, &org_id, &q)).await?;
    crate::audit::privacy::redact_deliveries(access.role, &mut report.deliveries);
    Ok(web::Json(report))
}
