//! Rules for artifacts: recording validated uploads, the publish/withdraw lifecycle, labels and
//! links. The admin views are in [`super::views`].

use diesel::prelude::*;

use super::model::*;
use super::store::*;
use crate::audit::{Action, Actor, Category, Event};
use crate::auth::Caller;
use crate::catalogue::service as catalogue;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};
use crate::ids::ArtifactId;
use crate::storage::StoredBlob;
use crate::time::now;

use super::labels::label_of;
pub use super::labels::set_tlp;
pub use super::views::{applies_to, detail, list, statement_view, view};

/// A stored and validated upload, ready to be recorded.
pub struct Incoming {
    pub blob: StoredBlob,
    pub filename: String,
    pub kind: ArtifactKind,
    pub document_type: Option<DocumentType>,
    pub analysis: portal_formats::Analysis,
}

/// Where an upload goes and what to do with it.
#[derive(Debug, Clone)]
pub struct UploadTarget {
    pub placement: catalogue::Placement,
    pub publish: bool,
    pub supersedes: Option<String>,
    /// An explicit TLP label (for formats that carry none).
    pub tlp: Option<Tlp>,
}

/// The outcome of recording an upload.
pub struct Recorded {
    /// False when identical bytes were already on this version (idempotent re-upload).
    pub created: bool,
    pub artifact: Artifact,
}

fn actor_parts(actor: &Actor) -> (String, Option<String>, String) {
    match actor {
        Actor::User { id, name } => ("user".into(), Some(id.clone()), name.clone()),
        Actor::ApiKey { id, name } => ("api_key".into(), Some(id.clone()), name.clone()),
        Actor::AccessToken { id, name } => ("access_token".into(), Some(id.clone()), name.clone()),
        Actor::Anonymous => ("anonymous".into(), None, "anonymous".into()),
        Actor::System => ("system".into(), None, "system".into()),
    }
}

fn actor_name(actor: &Actor) -> String {
    actor_parts(actor).2
}

/// Vulnerability ids normalised for lookup: CVE ids upper-case, GHSA ids `GHSA-` + lower-case.
pub fn normalize_vuln_id(id: &str) -> String {
    let t = id.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("cve-") {
        t.to_ascii_uppercase()
    } else if let Some(rest) = lower.strip_prefix("ghsa-") {
        format!("GHSA-{rest}")
    } else {
        t.to_string()
    }
}

fn title_of(a: &portal_formats::Analysis, filename: &str) -> Option<String> {
    if let Some(adv) = &a.advisory {
        return Some(adv.title.clone());
    }
    if let Some(c) = a.sbom.as_ref().and_then(|s| s.primary_component.as_ref()) {
        return Some(match &c.version {
            Some(v) => format!("{} {v}", c.name),
            None => c.name.clone(),
        });
    }
    if let Some(t) = a.document.as_ref().and_then(|d| d.title.clone()) {
        return Some(t);
    }
    Some(filename.to_string())
}

pub(super) fn facts_of(a: &portal_formats::Analysis) -> ApiResult<String> {
    serde_json::to_string(&Facts::of(a)).map_err(|e| ApiError::internal(anyhow::Error::from(e)))
}

/// Records a validated upload in one transaction: product/version (auto-created if allowed),
/// the artifact, its VEX statements and vulnerability ids, the audit event, and publication.
pub fn record_upload(
    conn: &mut DbConnection,
    org_id: &str,
    target: &UploadTarget,
    incoming: &Incoming,
    caller: &Caller,
    client: &ClientInfo,
) -> ApiResult<Recorded> {
    let actor = caller.actor();
    let (product, version) = catalogue::resolve_for_upload(conn, org_id, &target.placement, &actor, client)?;
    let existing: Option<Artifact> = artifacts::table
        .filter(artifacts::version_id.eq(&version.id))
        .filter(artifacts::sha256.eq(incoming.blob.key.as_str()))
        .select(Artifact::as_select())
        .first(conn)
        .optional()?;
    if let Some(a) = existing {
        let a = if target.publish && a.status == ArtifactStatus::Draft {
            publish(conn, org_id, &a.id, &actor, client)?
        } else {
            a
        };
        return Ok(Recorded { created: false, artifact: a });
    }
    if let Some(old_id) = &target.supersedes {
        let old = get(conn, org_id, old_id)
            .map_err(|_| ApiError::validation("supersedes", format!("no artifact `{old_id}` in this organisation")))?;
        if old.kind != incoming.kind {
            return Err(ApiError::validation(
                "supersedes",
                format!("artifact `{old_id}` is a {}, not a {}", old.kind.as_str(), incoming.kind.as_str()),
            ));
        }
        if old.superseded_by_id.is_some() {
            return Err(ApiError::Conflict(format!("artifact `{old_id}` has already been superseded")));
        }
    }
    let (by_type, by_id, by_name) = actor_parts(&actor);
    let a = &incoming.analysis;
    let tlp = label_of(a, target.tlp)?;
    let artifact = Artifact {
        id: uuid::Uuid::new_v4().to_string().into(),
        org_id: org_id.into(),
        product_id: product.id.clone(),
        version_id: version.id.clone(),
        kind: incoming.kind,
        format: a.format.clone(),
        media_type: a.media_type.clone(),
        filename: incoming.filename.clone(),
        size: incoming.blob.size as i64,
        sha256: incoming.blob.key.as_str().into(),
        sha512: incoming.blob.sha512.clone(),
        status: ArtifactStatus::Draft,
        document_type: incoming.document_type.map(|d| d.as_str().to_string()),
        title: title_of(a, &incoming.filename),
        facts: facts_of(a)?,
        supersedes_id: target.supersedes.clone().map(ArtifactId::from),
        superseded_by_id: None,
        uploaded_by_type: by_type,
        uploaded_by_id: by_id,
        uploaded_by_name: by_name,
        uploaded_at: now(),
        published_by_name: None,
        published_at: None,
        withdrawn_by_name: None,
        withdrawn_at: None,
        withdrawal_reason: None,
        tlp,
    };
    diesel::insert_into(artifacts::table).values(&artifact).execute(conn)?;
    super::index::record(conn, &artifact.id)?;
    diesel::insert_into(artifact_versions::table)
        .values((artifact_versions::artifact_id.eq(&artifact.id), artifact_versions::version_id.eq(&version.id)))
        .execute(conn)?;
    let statements: Vec<NewVexStatement> = a
        .vex_statements
        .iter()
        .map(|s| NewVexStatement {
            artifact_id: artifact.id.to_string(),
            vulnerability_id: normalize_vuln_id(&s.vulnerability_id),
            aliases: s.aliases.join(" "),
            product_ref: s.product.clone(),
            product_name: s.product_name.clone(),
            purl: s.purl.clone(),
            status: s.status.as_str().into(),
            justification: s.justification.clone(),
            impact_statement: s.impact_statement.clone(),
            action_statement: s.action_statement.clone(),
            statement_time: s.timestamp.clone(),
        })
        .collect();
    crate::batch_insert!(conn, vex_statements::table, statements);
    let mut vulns: Vec<String> = a
        .vex_statements
        .iter()
        .flat_map(|s| std::iter::once(&s.vulnerability_id).chain(s.aliases.iter()))
        .chain(a.advisory.iter().flat_map(|adv| adv.cves.iter()))
        .chain(a.sbom.iter().flat_map(|s| s.vulnerabilities.iter()))
        .map(|v| normalize_vuln_id(v))
        .filter(|v| !v.is_empty())
        .collect();
    vulns.sort();
    vulns.dedup();
    let rows: Vec<_> = vulns
        .iter()
        .map(|v| {
            (artifact_vulnerabilities::artifact_id.eq(&artifact.id), artifact_vulnerabilities::vulnerability_id.eq(v))
        })
        .collect();
    crate::batch_insert!(conn, artifact_vulnerabilities::table, rows);
    Event::new(Some(org_id), Category::Admin, Action::ArtifactUpload, actor.clone(), client)
        .product(Some(&product.id))
        .version(Some(&version.id))
        .artifact(Some(&artifact.id), Some(&artifact.sha256))
        .details(serde_json::json!({"kind": artifact.kind, "tlp": artifact.tlp, "format": artifact.format, "filename": artifact.filename,
            "size": artifact.size, "product": product.slug, "version": version.version}))
        .record(conn)?;
    let artifact = if target.publish { publish(conn, org_id, &artifact.id, &actor, client)? } else { artifact };
    Ok(Recorded { created: true, artifact })
}

pub fn get(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<Artifact> {
    artifacts::table
        .filter(artifacts::org_id.eq(org_id))
        .filter(artifacts::id.eq(id))
        .select(Artifact::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("artifact `{id}` not found")))
}

/// Draft → published. Published bytes never change; a correction supersedes.
pub fn publish(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<Artifact> {
    let a = get(conn, org_id, id)?;
    match a.status {
        ArtifactStatus::Draft => {}
        ArtifactStatus::Published => return Err(ApiError::Conflict(format!("artifact `{id}` is already published"))),
        ArtifactStatus::Withdrawn => {
            return Err(ApiError::Conflict(format!("artifact `{id}` was withdrawn; upload a new one instead")))
        }
    }
    let t = now();
    diesel::update(artifacts::table.find(id))
        .set((
            artifacts::status.eq(ArtifactStatus::Published),
            artifacts::published_at.eq(Some(t)),
            artifacts::published_by_name.eq(Some(actor_name(actor))),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::ArtifactPublish, actor.clone(), client)
        .product(Some(&a.product_id))
        .version(Some(&a.version_id))
        .artifact(Some(&a.id), Some(&a.sha256))
        .record(conn)?;
    if let Some(old_id) = &a.supersedes_id {
        let old = get(conn, org_id, old_id)?;
        if old.status != ArtifactStatus::Withdrawn {
            withdraw_row(conn, &old, &format!("superseded by {id}"), actor, client)?;
        }
        diesel::update(artifacts::table.find(old_id)).set(artifacts::superseded_by_id.eq(Some(id))).execute(conn)?;
    }
    get(conn, org_id, id)
}

fn withdraw_row(
    conn: &mut DbConnection,
    a: &Artifact,
    reason: &str,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<()> {
    diesel::update(artifacts::table.find(&a.id))
        .set((
            artifacts::status.eq(ArtifactStatus::Withdrawn),
            artifacts::withdrawn_at.eq(Some(now())),
            artifacts::withdrawn_by_name.eq(Some(actor_name(actor))),
            artifacts::withdrawal_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
    Event::new(Some(&a.org_id), Category::Admin, Action::ArtifactWithdraw, actor.clone(), client)
        .product(Some(&a.product_id))
        .version(Some(&a.version_id))
        .artifact(Some(&a.id), Some(&a.sha256))
        .details(serde_json::json!({"reason": reason}))
        .record(conn)
        .map(|_| ())
}

/// Draft or published → withdrawn: kept for the record, never served to customers again.
pub fn withdraw(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    reason: Option<&str>,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<Artifact> {
    let a = get(conn, org_id, id)?;
    if a.status == ArtifactStatus::Withdrawn {
        return Err(ApiError::Conflict(format!("artifact `{id}` is already withdrawn")));
    }
    if let Some(r) = reason {
        if r.chars().count() > 1000 {
            return Err(ApiError::validation("reason", "must be at most 1000 characters"));
        }
    }
    withdraw_row(conn, &a, reason.map(str::trim).filter(|r| !r.is_empty()).unwrap_or("withdrawn"), actor, client)?;
    get(conn, org_id, id)
}

/// Declares that an artifact (typically a CSAF advisory) also applies to another version.
pub fn link_version(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    req: &LinkVersionRequest,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ArtifactDetail> {
    let a = get(conn, org_id, id)?;
    let product = catalogue::get_product(conn, org_id, &req.product)?;
    let version = catalogue::get_version(conn, &product, &req.version)?;
    let exists: i64 = artifact_versions::table
        .filter(artifact_versions::artifact_id.eq(id))
        .filter(artifact_versions::version_id.eq(&version.id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(artifact_versions::table)
            .values((artifact_versions::artifact_id.eq(id), artifact_versions::version_id.eq(&version.id)))
            .execute(conn)?;
        Event::new(Some(org_id), Category::Admin, Action::ArtifactLink, actor.clone(), client)
            .product(Some(&product.id))
            .version(Some(&version.id))
            .artifact(Some(&a.id), Some(&a.sha256))
            .record(conn)?;
    }
    detail(conn, org_id, id)
}

#[cfg(test)]
mod tests {
    use super::normalize_vuln_id;

    #[test]
    fn vulnerability_ids_normalise_without_panicking() {
        assert_eq!(normalize_vuln_id(" cve-2024-3094 "), "CVE-2024-3094");
        assert_eq!(normalize_vuln_id("GHSA-AAAA-bbbb-cccc"), "GHSA-aaaa-bbbb-cccc");
        assert_eq!(normalize_vuln_id("ÄÖÜ€x"), "ÄÖÜ€x");
        assert_eq!(normalize_vuln_id("é"), "é");
        assert_eq!(normalize_vuln_id(""), "");
    }
}
