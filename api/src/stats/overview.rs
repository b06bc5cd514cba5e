//! The console's home: what needs attention in an organisation — supported versions without a
//! published SBOM or VEX, drafts waiting, tokens expiring, support periods ending, open
//! vulnerabilities, requests waiting for a decision — and the latest customer activity.
//!
//! Each list is bounded ([`LIST_LIMIT`]) and counted in SQL, so the page costs the same for an
//! organisation with ten versions and one with twenty thousand.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{schema::*, DbConnection};
use crate::domain::{ArtifactKind, ArtifactStatus, LifecycleStatus};
use crate::error::ApiResult;
use crate::orgs::store::Org;
use crate::time::{now, utc};

/// Items shown per list (the counts give the totals).
pub const LIST_LIMIT: i64 = 10;
/// Tokens expiring within this many days are listed.
pub const TOKEN_HORIZON_DAYS: i64 = 30;
/// Support periods ending within this many days are listed.
pub const SUPPORT_HORIZON_DAYS: i64 = 90;

#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    pub counts: OverviewCounts,
    /// Supported versions of active products without a published SBOM (CRA Art. 13(6)), newest first.
    pub versions_without_sbom: Vec<OverviewVersion>,
    /// Supported versions of active products without published VEX, newest first.
    pub versions_without_vex: Vec<OverviewVersion>,
    /// Drafts waiting to be published, oldest first.
    pub drafts: Vec<OverviewDraft>,
    /// Live access tokens expiring within 30 days, soonest first.
    pub tokens_expiring: Vec<OverviewToken>,
    /// Supported versions whose support period ends within 90 days, soonest first.
    pub support_ending: Vec<OverviewVersion>,
    /// The latest customer events in the portal, newest first.
    pub recent_activity: Vec<OverviewActivity>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct OverviewCounts {
    pub products: i64,
    pub versions: i64,
    pub published_artifacts: i64,
    pub drafts: i64,
    pub active_tokens: i64,
    pub versions_without_sbom: i64,
    pub versions_without_vex: i64,
    pub tokens_expiring: i64,
    pub support_ending: i64,
    pub open_vulnerabilities: i64,
    pub pending_access_requests: i64,
    pub pending_renewals: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewVersion {
    pub product_slug: String,
    pub product_name: String,
    pub version: String,
    pub release_date: Option<NaiveDate>,
    pub support_until: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewDraft {
    pub artifact_id: String,
    pub filename: String,
    pub kind: ArtifactKind,
    pub product_slug: String,
    pub product_name: String,
    pub version: String,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewToken {
    pub id: String,
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewActivity {
    pub occurred_at: DateTime<Utc>,
    /// e.g. `portal.sbom.download`.
    pub action: String,
    pub outcome: String,
    /// The access token's name (null: an anonymous visitor of a public portal).
    pub actor_name: Option<String>,
    pub actor_id: Option<String>,
    pub product_name: Option<String>,
    /// The product's slug, for a link (null when the event names no product).
    pub product_slug: Option<String>,
    /// The version the event was recorded under, when it names one.
    pub version: Option<String>,
    pub artifact_id: Option<String>,
    pub filename: Option<String>,
}

type VersionRow = (String, String, String, Option<NaiveDate>, Option<NaiveDate>);
/// The columns of a [`VersionRow`].
const VERSION_COLUMNS: (
    products::slug,
    products::name,
    product_versions::version,
    product_versions::release_date,
    product_versions::support_until,
) = (
    products::slug,
    products::name,
    product_versions::version,
    product_versions::release_date,
    product_versions::support_until,
);
/// id, file name, kind, product slug and name, version, uploaded at and by.
type DraftRow = (String, String, ArtifactKind, String, String, String, chrono::NaiveDateTime, String);
/// when, action, outcome, actor name and id, product name, file name.
/// One recent portal event with the names of what it was about.
#[derive(Queryable)]
struct ActivityRow {
    occurred_at: chrono::NaiveDateTime,
    action: String,
    outcome: String,
    actor_name: Option<String>,
    actor_id: Option<String>,
    product_name: Option<String>,
    product_slug: Option<String>,
    version: Option<String>,
    artifact_id: Option<String>,
    filename: Option<String>,
}

fn version_of((product_slug, product_name, version, release_date, support_until): VersionRow) -> OverviewVersion {
    OverviewVersion { product_slug, product_name, version, release_date, support_until }
}

/// Versions of the organisation's active products that are still supported.
macro_rules! supported_versions {
    ($org:expr) => {
        product_versions::table
            .inner_join(products::table)
            .filter(products::org_id.eq($org))
            .filter(products::archived.eq(false))
            .filter(product_versions::status.eq(LifecycleStatus::Supported))
    };
}

/// Ids of versions with a published artifact of `kind` (every link is in `artifact_versions`).
macro_rules! with_published {
    ($kind:expr) => {
        artifact_versions::table
            .inner_join(artifacts::table.on(artifacts::id.eq(artifact_versions::artifact_id)))
            .filter(artifacts::kind.eq($kind).and(artifacts::status.eq(ArtifactStatus::Published)))
            .select(artifact_versions::version_id)
    };
}

fn missing(conn: &mut DbConnection, org_id: &str, kind: ArtifactKind) -> ApiResult<(i64, Vec<OverviewVersion>)> {
    let total: i64 = supported_versions!(org_id)
        .filter(product_versions::id.ne_all(with_published!(kind)))
        .select(count_star())
        .first(conn)?;
    let rows: Vec<VersionRow> = supported_versions!(org_id)
        .filter(product_versions::id.ne_all(with_published!(kind)))
        .order(product_versions::created_at.desc())
        .limit(LIST_LIMIT)
        .select(VERSION_COLUMNS)
        .load(conn)?;
    Ok((total, rows.into_iter().map(version_of).collect()))
}

pub fn overview(conn: &mut DbConnection, org: &Org) -> ApiResult<Overview> {
    let org_id = org.id.as_str();
    let at = now();
    let today = at.date();
    let mut counts = OverviewCounts {
        products: products::table
            .filter(products::org_id.eq(org_id))
            .filter(products::archived.eq(false))
            .count()
            .get_result(conn)?,
        versions: supported_versions!(org_id).count().get_result(conn)?,
        published_artifacts: artifacts::table
            .filter(artifacts::org_id.eq(org_id))
            .filter(artifacts::status.eq(ArtifactStatus::Published))
            .count()
            .get_result(conn)?,
        ..Default::default()
    };

    let (n, versions_without_sbom) = missing(conn, org_id, ArtifactKind::Sbom)?;
    counts.versions_without_sbom = n;
    let (n, versions_without_vex) = missing(conn, org_id, ArtifactKind::Vex)?;
    counts.versions_without_vex = n;

    let drafts_q = || {
        artifacts::table
            .inner_join(product_versions::table.on(product_versions::id.eq(artifacts::version_id)))
            .inner_join(products::table.on(products::id.eq(artifacts::product_id)))
            .filter(artifacts::org_id.eq(org_id))
            .filter(artifacts::status.eq(ArtifactStatus::Draft))
    };
    counts.drafts = drafts_q().count().get_result(conn)?;
    let drafts: Vec<DraftRow> = drafts_q()
        .order(artifacts::uploaded_at.asc())
        .limit(LIST_LIMIT)
        .select((
            artifacts::id,
            artifacts::filename,
            artifacts::kind,
            products::slug,
            products::name,
            product_versions::version,
            artifacts::uploaded_at,
            artifacts::uploaded_by_name,
        ))
        .load(conn)?;
    let drafts = drafts
        .into_iter()
        .map(|(artifact_id, filename, kind, product_slug, product_name, version, uploaded_at, uploaded_by)| {
            OverviewDraft {
                artifact_id,
                filename,
                kind,
                product_slug,
                product_name,
                version,
                uploaded_at: utc(uploaded_at),
                uploaded_by,
            }
        })
        .collect();

    let live = || {
        access_tokens::table
            .filter(access_tokens::org_id.eq(org_id))
            .filter(access_tokens::revoked_at.is_null())
            .filter(access_tokens::expires_at.is_null().or(access_tokens::expires_at.gt(at)))
    };
    counts.active_tokens = live().count().get_result(conn)?;
    let horizon = at + chrono::Duration::days(TOKEN_HORIZON_DAYS);
    counts.tokens_expiring = live().filter(access_tokens::expires_at.le(horizon)).count().get_result(conn)?;
    let tokens: Vec<(String, String, Option<chrono::NaiveDateTime>)> = live()
        .filter(access_tokens::expires_at.le(horizon))
        .order(access_tokens::expires_at.asc())
        .limit(LIST_LIMIT)
        .select((access_tokens::id, access_tokens::name, access_tokens::expires_at))
        .load(conn)?;
    let tokens_expiring =
        tokens.into_iter().map(|(id, name, e)| OverviewToken { id, name, expires_at: e.map(utc) }).collect();

    let support_end = today + chrono::Duration::days(SUPPORT_HORIZON_DAYS);
    let ending = || {
        supported_versions!(org_id)
            .filter(product_versions::support_until.ge(today))
            .filter(product_versions::support_until.le(support_end))
    };
    counts.support_ending = ending().count().get_result(conn)?;
    let support_ending: Vec<VersionRow> =
        ending().order(product_versions::support_until.asc()).limit(LIST_LIMIT).select(VERSION_COLUMNS).load(conn)?;

    counts.open_vulnerabilities = vulnerabilities::table
        .filter(vulnerabilities::org_id.eq(org_id))
        .filter(vulnerabilities::closed_at.is_null())
        .count()
        .get_result(conn)?;
    counts.pending_access_requests = crate::frontdoor::requests::pending_count(conn, org_id)?;
    counts.pending_renewals = renewal_requests::table
        .filter(renewal_requests::org_id.eq(org_id))
        .filter(renewal_requests::status.eq("pending"))
        .count()
        .get_result(conn)?;

    let activity: Vec<ActivityRow> = audit_events::table
        .left_join(products::table.on(products::id.nullable().eq(audit_events::product_id)))
        .left_join(artifacts::table.on(artifacts::id.nullable().eq(audit_events::artifact_id)))
        .left_join(product_versions::table.on(product_versions::id.nullable().eq(audit_events::version_id)))
        .filter(audit_events::org_id.eq(org_id))
        .filter(audit_events::category.eq("portal"))
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(LIST_LIMIT)
        .select((
            audit_events::occurred_at,
            audit_events::action,
            audit_events::outcome,
            audit_events::actor_name,
            audit_events::actor_id,
            products::name.nullable(),
            products::slug.nullable(),
            product_versions::version.nullable(),
            audit_events::artifact_id,
            artifacts::filename.nullable(),
        ))
        .load(conn)?;
    let recent_activity = activity
        .into_iter()
        .map(|r| OverviewActivity {
            occurred_at: utc(r.occurred_at),
            action: r.action,
            outcome: r.outcome,
            actor_name: r.actor_name.filter(|n| n != "anonymous"),
            actor_id: r.actor_id,
            product_name: r.product_name,
            product_slug: r.product_slug,
            version: r.version,
            artifact_id: r.artifact_id,
            filename: r.filename,
        })
        .collect();

    Ok(Overview {
        counts,
        versions_without_sbom,
        versions_without_vex,
        drafts,
        tokens_expiring,
        support_ending: support_ending.into_iter().map(version_of).collect(),
        recent_activity,
    })
}
