//! Audit events: who did what to which object, from where, and the rollups kept with each.
//!
//! Longer than 400 lines on purpose: most of it is the one vocabulary of actions (two lines per
//! action), which belongs in one list that reviewers read top to bottom.

use diesel::connection::Connection;
use diesel::prelude::*;

use super::rollups::{Bumps, Counted};
use crate::client::ClientInfo;
use crate::db::{schema::audit_events, DbConnection};
use crate::error::ApiResult;

/// Which part of the product an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    Portal,
    Admin,
    Auth,
    Api,
    /// Deliveries of notifications (e-mail, webhooks) by the delivery worker.
    Notification,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Success,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        self.into()
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
    #[strum(serialize = "member.invite")]
    MemberInvite,
    #[strum(serialize = "member.invitation.revoke")]
    MemberInvitationRevoke,
    #[strum(serialize = "member.reset_link")]
    MemberResetLink,
    #[strum(serialize = "org.sign_in_policy.update")]
    OrgSignInPolicyUpdate,
    #[strum(serialize = "api_key.create")]
    ApiKeyCreate,
    #[strum(serialize = "api_key.revoke")]
    ApiKeyRevoke,
    #[strum(serialize = "auth.login")]
    AuthLogin,
    #[strum(serialize = "auth.logout")]
    AuthLogout,
    #[strum(serialize = "auth.logout_everywhere")]
    AuthLogoutEverywhere,
    #[strum(serialize = "auth.password.change")]
    AuthPasswordChange,
    #[strum(serialize = "auth.session.revoke")]
    AuthSessionRevoke,
    #[strum(serialize = "auth.totp.enable")]
    AuthTotpEnable,
    #[strum(serialize = "auth.totp.disable")]
    AuthTotpDisable,
    #[strum(serialize = "auth.password.reset_request")]
    AuthPasswordResetRequest,
    #[strum(serialize = "auth.password.reset")]
    AuthPasswordReset,
    /// Refused requests, one event per reason and caller per minute with a count (`audit::denied`).
    #[strum(serialize = "access.denied")]
    AccessDenied,
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
    #[strum(serialize = "checklist.update")]
    ChecklistUpdate,
    #[strum(serialize = "checklist.template.update")]
    ChecklistTemplateUpdate,
    #[strum(serialize = "portal.checklist.view")]
    PortalChecklistView,
    #[strum(serialize = "portal.checklist.acknowledge")]
    PortalChecklistAcknowledge,
    #[strum(serialize = "portal.changes.view")]
    PortalChangesView,
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
    #[strum(serialize = "vulnerability.create")]
    VulnerabilityCreate,
    #[strum(serialize = "vulnerability.update")]
    VulnerabilityUpdate,
    #[strum(serialize = "vulnerability.assess")]
    VulnerabilityAssess,
    #[strum(serialize = "vulnerability.publish")]
    VulnerabilityPublish,
    #[strum(serialize = "vulnerability.report")]
    VulnerabilityReport,
    #[strum(serialize = "subscription.create")]
    SubscriptionCreate,
    #[strum(serialize = "subscription.delete")]
    SubscriptionDelete,
    #[strum(serialize = "notification.queued")]
    NotificationQueued,
    #[strum(serialize = "notification.sent")]
    NotificationSent,
    #[strum(serialize = "notification.failed")]
    NotificationFailed,
    #[strum(serialize = "notification.dead")]
    NotificationDead,
    #[strum(serialize = "notification.cancelled")]
    NotificationCancelled,
    #[strum(serialize = "portal.token.renewal.request")]
    PortalTokenRenewalRequest,
    #[strum(serialize = "portal.token.renewal.decide")]
    PortalTokenRenewalDecide,
    #[strum(serialize = "portal.access.request")]
    PortalAccessRequest,
    #[strum(serialize = "portal.access.decide")]
    PortalAccessDecide,
    #[strum(serialize = "portal.logo.update")]
    PortalLogoUpdate,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A customer's delivery of an artifact of `kind`.
    pub fn download(kind: crate::domain::ArtifactKind) -> Action {
        use crate::domain::ArtifactKind;
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
    User {
        id: String,
        name: String,
    },
    ApiKey {
        id: String,
        name: String,
    },
    AccessToken {
        id: String,
        name: String,
    },
    Anonymous,
    /// The server itself (the delivery worker, scheduled jobs).
    System,
}

impl Actor {
    /// The actor's name as recorded (none for anonymous callers).
    pub fn name(&self) -> Option<&str> {
        match self {
            Actor::User { name, .. } | Actor::ApiKey { name, .. } | Actor::AccessToken { name, .. } => Some(name),
            Actor::Anonymous => None,
            Actor::System => Some("system"),
        }
    }

    fn parts(&self) -> (&'static str, Option<String>, Option<String>) {
        match self {
            Actor::User { id, name } => ("user", Some(id.clone()), Some(name.clone())),
            Actor::ApiKey { id, name } => ("api_key", Some(id.clone()), Some(name.clone())),
            Actor::AccessToken { id, name } => ("access_token", Some(id.clone()), Some(name.clone())),
            Actor::Anonymous => ("anonymous", None, Some("anonymous".into())),
            Actor::System => ("system", None, Some("system".into())),
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
    /// Returns the event's id (`event_id`).
    pub fn record(self, conn: &mut DbConnection) -> ApiResult<String> {
        self.record_at(conn, chrono::Utc::now().naive_utc())
    }

    /// Records the event as having happened at `at` (UTC). For imports and generated data.
    pub fn record_at(self, conn: &mut DbConnection, at: chrono::NaiveDateTime) -> ApiResult<String> {
        conn.transaction(|c| self.write(c, at))
    }

    fn write(self, conn: &mut DbConnection, at: chrono::NaiveDateTime) -> ApiResult<String> {
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
            let bumps = Bumps::of(&Counted {
                org_id,
                at: row.occurred_at,
                category: &row.category,
                action: &row.action,
                outcome: &row.outcome,
                actor_type: &row.actor_type,
                actor_id: row.actor_id.as_deref().unwrap_or(""),
                product_id: row.product_id.as_deref().unwrap_or(""),
                ip: row.ip.as_deref().unwrap_or(""),
            });
            super::rollups::bump(conn, bumps)?;
        }
        Ok(row.event_id)
    }
}
