use actix_web::{get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::service::{self, SharingThresholds};
use crate::auth::OrgViewer;
use crate::db;
use crate::error::responses::OrgErrors;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(overview).service(portal_stats).service(token_usage);
}

fn thresholds(st: &AppState) -> SharingThresholds {
    let s = &st.settings;
    SharingThresholds {
        max_ips: s.sharing_max_ips,
        volume_factor: s.sharing_volume_factor,
        min_downloads: s.sharing_min_downloads,
    }
}

/// The console's home: versions without a published SBOM or VEX, drafts waiting, tokens expiring,
/// support periods ending, open vulnerabilities, pending requests and the latest customer activity
/// (members of any role).
#[utoipa::path(tag = "statistics", operation_id = "getOverview",
    params(("org" = String, Path, description = "Organisation slug")),
    security(("admin_jwt" = [])), responses((status = 200, body = super::overview::Overview), OrgErrors))]
#[get("/orgs/{org}/overview")]
async fn overview(st: web::Data<AppState>, access: OrgViewer) -> ApiResult<web::Json<super::overview::Overview>> {
    Ok(web::Json(db::run(&st.pool, move |c| super::overview::overview(c, &access.org)).await?))
}

/// Portal statistics: downloads this month and last (by kind), top products, trend, active
/// customers and credential-sharing signals (members of any role).
#[utoipa::path(tag = "statistics", operation_id = "getPortalStats",
    params(("org" = String, Path, description = "Organisation slug"), StatsQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = PortalStats), OrgErrors))]
#[get("/orgs/{org}/portal/stats")]
async fn portal_stats(
    st: web::Data<AppState>,
    signals: web::Data<crate::stats::signals::SignalCache>,
    access: OrgViewer,
    q: web::Query<StatsQuery>,
) -> ApiResult<web::Json<PortalStats>> {
    let q = q.into_inner();
    let th = thresholds(&st);
    let (org_id, role) = (access.org.id.clone(), access.role);
    let mut stats = db::run(&st.pool, move |c| service::stats(c, &org_id, &q, th, &signals)).await?;
    if !crate::audit::privacy::may_see_personal_data(role) {
        for s in &mut stats.sharing_signals {
            s.ips.clear();
        }
    }
    Ok(web::Json(stats))
}

/// One access token's usage: downloads by kind, per day, per product, addresses and latest events.
#[utoipa::path(tag = "statistics", operation_id = "getAccessTokenUsage",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = String, Path, description = "Token id"), StatsQuery),
    security(("admin_jwt" = [])), responses((status = 200, body = TokenUsage), OrgErrors))]
#[get("/orgs/{org}/portal/tokens/{id}/usage")]
async fn token_usage(
    st: web::Data<AppState>,
    access: OrgViewer,
    path: web::Path<(String, String)>,
    q: web::Query<StatsQuery>,
) -> ApiResult<web::Json<TokenUsage>> {
    let (_, id) = path.into_inner();
    let q = q.into_inner();
    let (org_id, role) = (access.org.id.clone(), access.role);
    let mut usage = db::run(&st.pool, move |c| service::token_usage(c, &org_id, &id, &q)).await?;
    if !crate::audit::privacy::may_see_personal_data(role) {
        usage.ips.clear();
    }
    crate::audit::privacy::redact_events(role, &mut usage.recent_events);
    Ok(web::Json(usage))
}
