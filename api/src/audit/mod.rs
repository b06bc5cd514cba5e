//! The audit trail: every action writes its event in the same transaction as the change.

pub mod model;
pub mod query;
pub mod routes;

use chrono::{Datelike, Timelike};
use diesel::connection::Connection;
use diesel::prelude::*;

use crate::auth::ClientInfo;
use crate::db::{schema::audit_events, DbConnection};
use crate::error::ApiResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Portal,
    Admin,
    Auth,
    Api,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Portal => "portal",
            Category::Admin => "admin",
            Category::Auth => "auth",
            Category::Api => "api",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// What happened: every audited action, named as the log stores it (`artifact.publish`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString, strum::IntoStaticStr, strum::EnumIter)]
pub enum Action {
    #[strum(serialize = "artifact.upload")]
    ArtifactUpload,
    #[strum(serialize = "artifact.publish")]
    ArtifactPublish,
    #[strum(serialize = "artifact.withdraw")]
    ArtifactWithdraw,
    #[strum(serialize = "artifact.link")]
    ArtifactLink,
    #[strum(serialize = "artifact.download")]
    ArtifactDownload,
    #[strum(serialize = "artifact.tlp.update")]
    ArtifactTlpUpdate,
    #[strum(serialize = "product.create")]
    ProductCreate,
    #[strum(serialize = "product.update")]
    ProductUpdate,
    #[strum(serialize = "product.delete")]
    ProductDelete,
    #[strum(serialize = "version.create")]
    VersionCreate,
    #[strum(serialize = "version.update")]
    VersionUpdate,
    #[strum(serialize = "member.create")]
    MemberCreate,
    #[strum(serialize = "member.update")]
    MemberUpdate,
    #[strum(serialize = "member.delete")]
    MemberDelete,
    #[strum(serialize = "api_key.create")]
    ApiKeyCreate,
    #[strum(serialize = "api_key.revoke")]
    ApiKeyRevoke,
    #[strum(serialize = "auth.login")]
    AuthLogin,
    #[strum(serialize = "auth.logout")]
    AuthLogout,
    #[strum(serialize = "audit.export")]
    AuditExport,
    #[strum(serialize = "csaf.signing_key.rotate")]
    CsafSigningKeyRotate,
    #[strum(serialize = "portal.settings.update")]
    PortalSettingsUpdate,
    #[strum(serialize = "portal.token.create")]
    PortalTokenCreate,
    #[strum(serialize = "portal.token.update")]
    PortalTokenUpdate,
    #[strum(serialize = "portal.token.revoke")]
    PortalTokenRevoke,
    #[strum(serialize = "portal.login")]
    PortalLogin,
    #[strum(serialize = "portal.logout")]
    PortalLogout,
    #[strum(serialize = "portal.product.view")]
    PortalProductView,
    #[strum(serialize = "portal.vex.view")]
    PortalVexView,
    #[strum(serialize = "portal.vulnerability.query")]
    PortalVulnerabilityQuery,
    #[strum(serialize = "portal.sbom.download")]
    PortalSbomDownload,
    #[strum(serialize = "portal.vex.download")]
    PortalVexDownload,
    #[strum(serialize = "portal.advisory.download")]
    PortalAdvisoryDownload,
    #[strum(serialize = "portal.document.download")]
    PortalDocumentDownload,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A customer's delivery of an artifact of `kind`.
    pub fn download(kind: crate::artifacts::model::ArtifactKind) -> Action {
        use crate::artifacts::model::ArtifactKind;
        match kind {
            ArtifactKind::Sbom => Action::PortalSbomDownload,
            ArtifactKind::Vex => Action::PortalVexDownload,
            ArtifactKind::Advisory => Action::PortalAdvisoryDownload,
            ArtifactKind::Document => Action::PortalDocumentDownload,
        }
    }
}

/// Who acted, with the name as it was at the time.
#[derive(Debug, Clone)]
pub enum Actor {
    User { id: String, name: String },
    ApiKey { id: String, name: String },
    AccessToken { id: String, name: String },
    Anonymous,
}

impl Actor {
    /// The actor's name as recorded (none for anonymous callers).
    pub fn name(&self) -> Option<&str> {
        match self {
            Actor::User { name, .. } | Actor::ApiKey { name, .. } | Actor::AccessToken { name, .. } => Some(name),
            Actor::Anonymous => None,
        }
    }

    fn parts(&self) -> (&'static str, Option<String>, Option<String>) {
        match self {
            Actor::User { id, name } => ("user", Some(id.clone()), Some(name.clone())),
            Actor::ApiKey { id, name } => ("api_key", Some(id.clone()), Some(name.clone())),
            Actor::AccessToken { id, name } => ("access_token", Some(id.clone()), Some(name.clone())),
            Actor::Anonymous => ("anonymous", None, Some("anonymous".into())),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct NewEventRow {
    event_id: String,
    org_id: Option<String>,
    occurred_at: chrono::NaiveDateTime,
    category: String,
    action: String,
    outcome: String,
    actor_type: String,
    actor_id: Option<String>,
    actor_name: Option<String>,
    ip: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    product_id: Option<String>,
    version_id: Option<String>,
    artifact_id: Option<String>,
    sha256: Option<String>,
    details: Option<String>,
}

/// An event about to be recorded; build it with the setters, then [`Event::record`].
#[derive(Debug, Clone)]
pub struct Event {
    pub org_id: Option<String>,
    pub category: Category,
    pub action: String,
    pub outcome: Outcome,
    pub actor: Actor,
    pub client: Option<ClientInfo>,
    pub product_id: Option<String>,
    pub version_id: Option<String>,
    pub artifact_id: Option<String>,
    pub sha256: Option<String>,
    pub details: Option<serde_json::Value>,
}

impl Event {
    pub fn new(org_id: Option<&str>, category: Category, action: Action, actor: Actor, client: &ClientInfo) -> Self {
        Event {
            org_id: org_id.map(str::to_string),
            category,
            action: action.as_str().to_string(),
            outcome: Outcome::Success,
            actor,
            client: Some(client.clone()),
            product_id: None,
            version_id: None,
            artifact_id: None,
            sha256: None,
            details: None,
        }
    }
    pub fn outcome(mut self, o: Outcome) -> Self {
        self.outcome = o;
        self
    }
    pub fn details(mut self, d: serde_json::Value) -> Self {
        self.details = Some(d);
        self
    }
    pub fn product(mut self, id: Option<&str>) -> Self {
        self.product_id = id.map(str::to_string);
        self
    }
    pub fn version(mut self, id: Option<&str>) -> Self {
        self.version_id = id.map(str::to_string);
        self
    }
    pub fn artifact(mut self, id: Option<&str>, sha256: Option<&str>) -> Self {
        self.artifact_id = id.map(str::to_string);
        self.sha256 = sha256.map(str::to_string);
        self
    }

    /// Writes the event and bumps its daily rollup, atomically (a savepoint inside a caller's transaction).
    pub fn record(self, conn: &mut DbConnection) -> ApiResult<()> {
        self.record_at(conn, chrono::Utc::now().naive_utc())
    }

    /// Records the event as having happened at `at` (UTC). For imports and generated data.
    pub fn record_at(self, conn: &mut DbConnection, at: chrono::NaiveDateTime) -> ApiResult<()> {
        conn.transaction(|c| self.write(c, at))
    }

    fn write(self, conn: &mut DbConnection, at: chrono::NaiveDateTime) -> ApiResult<()> {
        let (actor_type, actor_id, actor_name) = self.actor.parts();
        let client = self.client.unwrap_or(ClientInfo { ip: "unknown".into(), user_agent: None, request_id: None });
        let row = NewEventRow {
            event_id: uuid::Uuid::now_v7().to_string(),
            org_id: self.org_id,
            occurred_at: at,
            category: self.category.as_str().into(),
            action: self.action,
            outcome: self.outcome.as_str().into(),
            actor_type: actor_type.into(),
            actor_id,
            actor_name,
            ip: Some(client.ip),
            user_agent: client.user_agent,
            request_id: client.request_id,
            product_id: self.product_id,
            version_id: self.version_id,
            artifact_id: self.artifact_id,
            sha256: self.sha256,
            details: self.details.map(|d| d.to_string()),
        };
        diesel::insert_into(audit_events::table).values(&row).execute(conn)?;
        if let Some(org_id) = &row.org_id {
            bump_rollups(conn, org_id, &row)?;
        }
        Ok(())
    }
}

/// Keeps the statistics rollups in step with the log (same transaction as the event). The same
/// upsert statements run on both backends (SQLite ≥ 3.24 and Postgres `ON CONFLICT`).
fn bump_rollups(conn: &mut DbConnection, org_id: &str, row: &NewEventRow) -> ApiResult<()> {
    use diesel::sql_types::{BigInt, Date, Text, Timestamp};
    let day = row.occurred_at.date();
    let actor_id = row.actor_id.as_deref().unwrap_or("");
    let product_id = row.product_id.as_deref().unwrap_or("");
    diesel::sql_query(
        "INSERT INTO audit_daily (org_id, day, action, outcome, actor_type, actor_id, product_id, events) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1) \
         ON CONFLICT (org_id, day, action, outcome, actor_type, actor_id, product_id) \
         DO UPDATE SET events = audit_daily.events + 1",
    )
    .bind::<Text, _>(org_id)
    .bind::<Date, _>(day)
    .bind::<Text, _>(&row.action)
    .bind::<Text, _>(&row.outcome)
    .bind::<Text, _>(&row.actor_type)
    .bind::<Text, _>(actor_id)
    .bind::<Text, _>(product_id)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO audit_daily_actions (org_id, day, action, outcome, events) VALUES ($1, $2, $3, $4, 1) \
         ON CONFLICT (org_id, day, action, outcome) DO UPDATE SET events = audit_daily_actions.events + 1",
    )
    .bind::<Text, _>(org_id)
    .bind::<Date, _>(day)
    .bind::<Text, _>(&row.action)
    .bind::<Text, _>(&row.outcome)
    .execute(conn)?;
    let portal_success = row.category == "portal" && row.outcome == "success";
    let download = i64::from(portal_success && row.action.starts_with("portal.") && row.action.ends_with(".download"));
    if download == 1 && !product_id.is_empty() {
        diesel::sql_query(
            "INSERT INTO audit_daily_products (org_id, day, product_id, downloads) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (org_id, day, product_id) DO UPDATE SET downloads = audit_daily_products.downloads + 1",
        )
        .bind::<Text, _>(org_id)
        .bind::<Date, _>(day)
        .bind::<Text, _>(product_id)
        .execute(conn)?;
    }
    if portal_success && row.actor_type == "access_token" && !actor_id.is_empty() {
        diesel::sql_query(
            "INSERT INTO audit_daily_actors (org_id, day, actor_id, events, downloads) VALUES ($1, $2, $3, 1, $4) \
             ON CONFLICT (org_id, day, actor_id) DO UPDATE SET events = audit_daily_actors.events + 1, \
             downloads = audit_daily_actors.downloads + $5",
        )
        .bind::<Text, _>(org_id)
        .bind::<Date, _>(day)
        .bind::<Text, _>(actor_id)
        .bind::<BigInt, _>(download)
        .bind::<BigInt, _>(download)
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO audit_monthly_actors (org_id, month, actor_id, events, downloads) VALUES ($1, $2, $3, 1, $4) \
             ON CONFLICT (org_id, month, actor_id) DO UPDATE SET events = audit_monthly_actors.events + 1, \
             downloads = audit_monthly_actors.downloads + $5",
        )
        .bind::<Text, _>(org_id)
        .bind::<Date, _>(day.with_day(1).unwrap_or(day))
        .bind::<Text, _>(actor_id)
        .bind::<BigInt, _>(download)
        .bind::<BigInt, _>(download)
        .execute(conn)?;
        let hour = row.occurred_at.date().and_hms_opt(row.occurred_at.time().hour(), 0, 0).unwrap_or(row.occurred_at);
        diesel::sql_query(
            "INSERT INTO audit_hourly_ips (org_id, hour, actor_id, ip, events, downloads, first_at, last_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7) ON CONFLICT (org_id, hour, actor_id, ip) \
             DO UPDATE SET events = audit_hourly_ips.events + 1, downloads = audit_hourly_ips.downloads + $8, \
             last_at = CASE WHEN audit_hourly_ips.last_at < $9 THEN $10 ELSE audit_hourly_ips.last_at END",
        )
        .bind::<Text, _>(org_id)
        .bind::<Timestamp, _>(hour)
        .bind::<Text, _>(actor_id)
        .bind::<Text, _>(row.ip.as_deref().unwrap_or(""))
        .bind::<BigInt, _>(download)
        .bind::<Timestamp, _>(row.occurred_at)
        .bind::<Timestamp, _>(row.occurred_at)
        .bind::<BigInt, _>(download)
        .bind::<Timestamp, _>(row.occurred_at)
        .bind::<Timestamp, _>(row.occurred_at)
        .execute(conn)?;
    }
    Ok(())
}
