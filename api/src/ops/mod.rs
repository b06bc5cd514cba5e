//! Liveness, readiness and Prometheus metrics; blob garbage collection in [`gc`].

pub mod gc;

use actix_web::{get, web};
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntGauge, Opts};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::{self, Pool};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when alive / `ready` when ready.
    pub status: String,
    pub version: String,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "operations", operation_id = "healthz", responses((status = 200, body = Health)))]
#[get("/healthz")]
async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

/// Readiness: the database answers, every migration is applied and the blob store takes writes.
#[utoipa::path(tag = "operations", operation_id = "readyz",
    responses((status = 200, body = Health), (status = 503, description = "Not ready; `detail` names the failing check",
        body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/readyz")]
async fn readyz(st: web::Data<AppState>) -> ApiResult<web::Json<Health>> {
    let pool = st.pool.clone();
    let blobs = st.blobs.clone();
    let problem = web::block(move || -> Option<String> {
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => return Some(format!("database unreachable: {e}")),
        };
        match db::has_pending_migrations(&mut conn) {
            Ok(false) => {}
            Ok(true) => return Some("database migrations pending".into()),
            Err(e) => return Some(format!("database check failed: {e}")),
        }
        blobs.check_writable().err().map(|e| format!("blob store not writable: {e}"))
    })
    .await?;
    match problem {
        None => Ok(web::Json(Health { status: "ready".into(), version: env!("CARGO_PKG_VERSION").into() })),
        Some(why) => Err(ApiError::Unavailable(why)),
    }
}

/// Exposes the connection pool's state as gauges at scrape time.
pub struct PoolCollector {
    pool: Pool,
    connections: IntGauge,
    idle: IntGauge,
    max: IntGauge,
}

impl PoolCollector {
    pub fn new(pool: Pool, namespace: &str) -> prometheus::Result<Self> {
        let g = |name: &str, help: &str| IntGauge::with_opts(Opts::new(name, help).namespace(namespace.to_string()));
        Ok(Self {
            pool,
            connections: g("db_pool_connections", "Open database connections")?,
            idle: g("db_pool_idle_connections", "Idle database connections")?,
            max: g("db_pool_max_connections", "Configured maximum of database connections")?,
        })
    }
}

impl Collector for PoolCollector {
    fn desc(&self) -> Vec<&Desc> {
        [&self.connections, &self.idle, &self.max].into_iter().flat_map(|g| g.desc()).collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let s = self.pool.state();
        self.connections.set(i64::from(s.connections));
        self.idle.set(i64::from(s.idle_connections));
        self.max.set(i64::from(self.pool.max_size()));
        [&self.connections, &self.idle, &self.max].into_iter().flat_map(|g| g.collect()).collect()
    }
}
