//! The publishing use-cases: what happens when an artifact is recorded, published, withdrawn or
//! filed under another version. The artifact rules live in [`crate::artifacts::service`]; the
//! features that follow a change (TEA's collection history) are called from here, in the same
//! transaction, so the core domain never calls up into a feature. Publishing and withdrawing
//! raise the matching notification for the customers who may see it (`notify`), queued in the
//! same transaction.

use crate::artifacts::model::{ArtifactDetail, ArtifactKind, ArtifactStatus, Facts};
use crate::artifacts::service::{self, Incoming, Recorded, UploadTarget};
use crate::artifacts::store::Artifact;
use crate::audit::Actor;
use crate::auth::Caller;
use crate::client::ClientInfo;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::notify::{self, EventType, Subject};
use crate::portal::settings;
use crate::tea::collections;

/// Records a validated upload (publishing it when asked) and, when it was published, the new
/// collection of every version it and the artifact it supersedes belong to.
pub fn record_upload(
    conn: &mut DbConnection,
    org_id: &str,
    target: &UploadTarget,
    incoming: &Incoming,
    caller: &Caller,
    client: &ClientInfo,
) -> ApiResult<Recorded> {
    let started = crate::time::now();
    let rec = record_quietly(conn, org_id, target, incoming, caller, client)?;
    // Announced when this call published it: a new upload, or identical bytes publishing a draft.
    if rec.artifact.status == ArtifactStatus::Published && rec.artifact.published_at.is_some_and(|p| p >= started) {
        announce(conn, org_id, &rec.artifact)?;
    }
    Ok(rec)
}

/// [`record_upload`] without its notification, for callers that announce several artifacts as
/// one event (the vulnerability response loop).
pub fn record_quietly(
    conn: &mut DbConnection,
    org_id: &str,
    target: &UploadTarget,
    incoming: &Incoming,
    caller: &Caller,
    client: &ClientInfo,
) -> ApiResult<Recorded> {
    if target.publish && incoming.kind == ArtifactKind::Sbom {
        conformance_gate(conn, org_id, &Facts::of(&incoming.analysis))?;
    }
    let rec = service::record_upload(conn, org_id, target, incoming, caller, client)?;
    if rec.artifact.status == ArtifactStatus::Published {
        changed(conn, &rec.artifact)?;
    }
    Ok(rec)
}

/// Draft → published (a correction withdraws what it supersedes, in the same transaction).
pub fn publish(conn: &mut DbConnection, org_id: &str, id: &str, actor: &Actor, client: &ClientInfo) -> ApiResult<()> {
    let draft = service::get(conn, org_id, id)?;
    if draft.kind == ArtifactKind::Sbom {
        conformance_gate(conn, org_id, &Facts::parse(&draft.id, &draft.facts)?)?;
    }
    let a = service::publish(conn, org_id, id, actor, client)?;
    changed(conn, &a)?;
    announce(conn, org_id, &a)
}

/// → withdrawn: gone from every channel when this transaction commits.
pub fn withdraw(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    reason: Option<&str>,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<()> {
    // Told while the customers still see it: the rule decides who loses it.
    let before = service::get(conn, org_id, id)?;
    if before.status == ArtifactStatus::Published {
        let subject = Subject {
            event: EventType::ArtifactWithdrawn,
            artifact_ids: vec![before.id.to_string()],
            vulnerabilities: vulnerabilities_of(conn, &before.id)?,
            vulnerability_ref: None,
            summary: format!(
                "{} was withdrawn{}",
                before.filename,
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            ),
        };
        notify::raise(conn, org_id, &subject)?;
    }
    let a = service::withdraw(conn, org_id, id, reason, actor, client)?;
    changed(conn, &a)
}

/// Files an artifact under another version too.
pub fn link_version(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    req: &crate::artifacts::model::LinkVersionRequest,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ArtifactDetail> {
    let detail = service::link_version(conn, org_id, id, req, actor, client)?;
    collections::refresh_for_artifacts(conn, &[id])?;
    Ok(detail)
}

/// An organisation may require conformance profiles before an SBOM is published: a failing
/// SBOM answers 409, naming the profiles and the rules it fails.
fn conformance_gate(conn: &mut DbConnection, org_id: &str, facts: &Facts) -> ApiResult<()> {
    let required = settings::find(conn, org_id)?.map(|p| p.required_profiles()).unwrap_or_default();
    let failing = facts.failing(&required);
    if failing.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = failing.iter().map(|(p, rules)| format!("{p} (failing: {})", rules.join(", "))).collect();
    Err(ApiError::Conflict(format!(
        "this organisation requires SBOMs to pass {} before publication; this SBOM fails {}",
        required.join(", "),
        list.join("; ")
    )))
}

/// Raises `<kind>.published` for a newly published artifact.
fn announce(conn: &mut DbConnection, org_id: &str, a: &Artifact) -> ApiResult<()> {
    let subject = Subject {
        event: EventType::published(a.kind),
        artifact_ids: vec![a.id.to_string()],
        vulnerabilities: vulnerabilities_of(conn, &a.id)?,
        vulnerability_ref: None,
        summary: match &a.title {
            Some(t) if t != &a.filename => format!("{t} ({}) published", a.filename),
            _ => format!("{} published", a.filename),
        },
    };
    notify::raise(conn, org_id, &subject).map(|_| ())
}

/// The vulnerability ids a VEX document or advisory speaks about.
fn vulnerabilities_of(conn: &mut DbConnection, artifact_id: &str) -> ApiResult<Vec<String>> {
    use crate::db::schema::artifact_vulnerabilities as av;
    use diesel::prelude::*;
    Ok(av::table
        .filter(av::artifact_id.eq(artifact_id))
        .order(av::vulnerability_id.asc())
        .limit(50)
        .select(av::vulnerability_id)
        .load(conn)?)
}

/// The TEA collections of every version the artifact (and what it supersedes) is filed under.
fn changed(conn: &mut DbConnection, a: &Artifact) -> ApiResult<()> {
    let mut ids = vec![a.id.as_str()];
    ids.extend(a.supersedes_id.as_deref());
    collections::refresh_for_artifacts(conn, &ids)
}
