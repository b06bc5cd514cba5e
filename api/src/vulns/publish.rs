//! Publishing a triage result: for each assessed version whose assessment changed since its last
//! publication, an OpenVEX and a CSAF `csaf_vex` document are generated, validated by the ordinary
//! intake, recorded and published through `publishing` (superseding the previous revision), and
//! the customers who may see them are notified — one notification per customer and product.
//!
//! A little over 400 lines on purpose: one use-case read top to bottom (plan, generate, validate,
//! record in one transaction, announce, and the preview that runs the same plan without
//! recording); split, the transaction's steps would be scattered over files.

use diesel::prelude::*;

use super::documents::{self, Input};
use super::model::*;
use super::store::{self, Assessment, Vulnerability};
use crate::artifacts::intake::{self, BlobSink};
use crate::artifacts::service::{Incoming, UploadTarget};
use crate::audit::Action;
use crate::auth::Caller;
use crate::catalogue::service::Placement;
use crate::client::ClientInfo;
use crate::csaf::publisher::Publisher;
use crate::db::{self, schema::*, DbConnection};
use crate::domain::{ArtifactKind, ArtifactStatus, Tlp};
use crate::error::{ApiError, ApiResult};
use crate::notify::{self, EventType, Subject};
use crate::orgs::store::Org;
use crate::portal::settings::{self, Portal};
use crate::publishing;
use crate::state::AppState;
use crate::time::now;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vuln_documents)]
struct DocRow {
    version_id: String,
    format: String,
    artifact_id: String,
    revision: i32,
    history: String,
    generated_at: chrono::NaiveDateTime,
}

impl DocRow {
    fn dates(&self) -> Vec<chrono::DateTime<chrono::Utc>> {
        self.history
            .split_whitespace()
            .filter_map(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
            .collect()
    }
}

/// What one generated document needs to be recorded.
struct Generated {
    target: VersionRef,
    format: &'static str,
    incoming: Incoming,
    supersedes: Option<String>,
    revision: i32,
    history: String,
    status: AssessmentStatus,
}

struct Plan {
    vuln: Vulnerability,
    portal: Portal,
    work: Vec<(Assessment, VersionRef, Vec<DocRow>)>,
    tlp: Tlp,
    /// When the triage was read: the generated documents say what it said then.
    read_at: chrono::NaiveDateTime,
}

fn plan(conn: &mut DbConnection, org: &Org, vuln_id: &str, req: &PublishRequest) -> ApiResult<Plan> {
    let read_at = now();
    let vuln = store::get(conn, &org.id, vuln_id)?;
    let portal = settings::of_org(conn, org)?;
    let tlp = req.tlp.unwrap_or(portal.default_tlp);
    if !tlp.is_clearance() {
        return Err(ApiError::validation("tlp", "must be clear, green, amber or red"));
    }
    let assessed = store::assessments(conn, &vuln)?;
    if assessed.is_empty() {
        return Err(ApiError::Conflict(
            "nothing to publish: assess at least one version first (PUT …/assessments)".into(),
        ));
    }
    let docs: Vec<DocRow> = vuln_documents::table
        .filter(vuln_documents::vulnerability_id.eq(&vuln.id))
        .select(DocRow::as_select())
        .load(conn)?;
    let mut work = Vec::new();
    for (a, t) in assessed {
        let mine: Vec<DocRow> = docs.iter().filter(|d| d.version_id == t.version_id).cloned().collect();
        let last = mine.iter().map(|d| d.generated_at).max();
        // A version is (re)published when it never was, or its assessment or the vulnerability's
        // description changed since, or the label changes.
        let labelled: Vec<Option<Tlp>> = artifacts::table
            .filter(artifacts::id.eq_any(mine.iter().map(|d| d.artifact_id.clone()).collect::<Vec<_>>()))
            .select(artifacts::tlp)
            .load(conn)?;
        let stale = match last {
            None => true,
            Some(l) => {
                a.updated_at > l
                    || vuln.updated_at > l
                    || labelled.iter().any(|x| Tlp::effective(*x, portal.default_tlp) != tlp)
            }
        };
        if stale {
            work.push((a, t, mine));
        }
    }
    if work.is_empty() {
        return Err(ApiError::Conflict(format!(
            "nothing changed since revision {}: every assessed version's documents are current",
            vuln.revision
        )));
    }
    Ok(Plan { vuln, portal, work, tlp, read_at })
}

/// A generated document the intake refuses (a defect in what was entered, e.g. an id CSAF does
/// not accept): 422 naming the defects.
fn refused(format: &str, e: ApiError) -> ApiError {
    match e {
        ApiError::Unprocessable { message, errors } => ApiError::Unprocessable {
            message: format!("the generated {format} document would be invalid: {message}"),
            errors,
        },
        other => other,
    }
}

async fn store_bytes(st: &AppState, bytes: Vec<u8>) -> ApiResult<crate::storage::StoredBlob> {
    let mut sink = BlobSink::open(&st.blobs, st.settings.max_upload_bytes).await?;
    sink.push(&bytes).await?;
    sink.finish().await
}

pub async fn publish(
    st: &AppState,
    org: Org,
    caller: Caller,
    client: ClientInfo,
    vuln_id: String,
    req: PublishRequest,
) -> ApiResult<PublishResult> {
    let (o, id) = (org.clone(), vuln_id.clone());
    let plan = db::run(&st.pool, move |c| plan(c, &o, &id, &req)).await?;
    let publisher = Publisher::of(&plan.portal, &st.settings.public_url);
    let at = chrono::Utc::now();
    let mut generated = Vec::new();
    for (a, t, mine) in &plan.work {
        for format in ["csaf", "openvex"] {
            let prev = mine.iter().find(|d| d.format == format);
            let history = prev.map(|d| d.dates()).unwrap_or_default();
            let revision = prev.map_or(1, |d| d.revision + 1);
            let input = Input {
                vuln: &plan.vuln,
                assessment: a,
                target: t,
                org_slug: &org.slug,
                publisher: &publisher,
                revision,
                history: &history,
                tlp: plan.tlp,
                portal_url: &crate::portal::settings::url_of(&st.settings.public_url, &plan.portal.slug),
                csaf_url: "",
                at,
            };
            let canonical = documents::csaf_url(
                &st.settings.public_url,
                &plan.portal.slug,
                plan.tlp,
                history.first().copied().unwrap_or(at),
                &documents::tracking_id(&input),
            );
            let input = Input { csaf_url: &canonical, ..input };
            let (doc, media_type, filename) = match format {
                "csaf" => (
                    documents::csaf(&input)?,
                    "application/csaf+json",
                    format!("{}.json", documents::tracking_id(&input)),
                ),
                _ => (
                    documents::openvex(&input),
                    "application/openvex+json",
                    format!("{}.openvex.json", documents::tracking_id(&input)),
                ),
            };
            let bytes = serde_json::to_vec_pretty(&doc).map_err(|e| ApiError::internal(anyhow::Error::from(e)))?;
            let blob = store_bytes(st, bytes).await?;
            let placement = Placement {
                product_slug: t.product.clone(),
                product_name: None,
                version: t.version.clone(),
                auto_create: false,
            };
            let incoming = intake::validate(
                &st.blobs,
                blob,
                Some(ArtifactKind::Vex),
                None,
                media_type,
                Some(filename),
                &placement,
            )
            .await
            .map_err(|e| refused(format, e))?;
            let mut all =
                history.iter().map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).collect::<Vec<_>>();
            all.push(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            generated.push(Generated {
                target: t.clone(),
                format,
                incoming,
                supersedes: prev.map(|d| d.artifact_id.clone()),
                revision,
                history: all.join(" "),
                status: a.status,
            });
        }
    }
    let (tlp, read_at) = (plan.tlp, plan.read_at);
    db::tx(&st.pool, move |c| record(c, &org, &plan.vuln, generated, tlp, read_at, &caller, &client)).await
}

#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut DbConnection,
    org: &Org,
    vuln: &Vulnerability,
    generated: Vec<Generated>,
    tlp: Tlp,
    generated_at: chrono::NaiveDateTime,
    caller: &Caller,
    client: &ClientInfo,
) -> ApiResult<PublishResult> {
    // Another publication of the same vulnerability committed since this one was planned.
    let current: i32 = vulnerabilities::table.find(&vuln.id).select(vulnerabilities::revision).first(conn)?;
    if current != vuln.revision {
        return Err(ApiError::Conflict(format!(
            "revision {current} was published meanwhile; reload and publish again if something is still to publish"
        )));
    }
    let mut docs = Vec::new();
    let mut fixed = false;
    for g in generated {
        // Supersede only what is still published (an admin may have withdrawn it meanwhile).
        let supersedes = match &g.supersedes {
            Some(id) => artifacts::table
                .find(id)
                .select(artifacts::status)
                .first::<ArtifactStatus>(conn)
                .optional()?
                .filter(|s| *s == ArtifactStatus::Published)
                .map(|_| id.clone()),
            None => None,
        };
        let target = UploadTarget {
            placement: Placement {
                product_slug: g.target.product.clone(),
                product_name: None,
                version: g.target.version.clone(),
                auto_create: false,
            },
            publish: true,
            supersedes,
            tlp: if g.format == "csaf" { None } else { Some(tlp) },
        };
        let rec = publishing::record_quietly(conn, &org.id, &target, &g.incoming, caller, client)?;
        diesel::delete(
            vuln_documents::table
                .filter(vuln_documents::vulnerability_id.eq(&vuln.id))
                .filter(vuln_documents::version_id.eq(&g.target.version_id))
                .filter(vuln_documents::format.eq(g.format)),
        )
        .execute(conn)?;
        diesel::insert_into(vuln_documents::table)
            .values((
                vuln_documents::vulnerability_id.eq(&vuln.id),
                vuln_documents::version_id.eq(&g.target.version_id),
                vuln_documents::format.eq(g.format),
                vuln_documents::artifact_id.eq(&rec.artifact.id),
                vuln_documents::revision.eq(g.revision),
                vuln_documents::history.eq(&g.history),
                vuln_documents::generated_at.eq(generated_at),
            ))
            .execute(conn)?;
        fixed |= g.status == AssessmentStatus::Fixed;
        docs.push(PublishedDocument {
            artifact_id: rec.artifact.id.to_string(),
            product: g.target.product.clone(),
            version: g.target.version.clone(),
            format: g.format.to_string(),
            filename: rec.artifact.filename.clone(),
            sha256: rec.artifact.sha256.clone(),
            revision: g.revision,
        });
    }
    let at = now();
    let revision = vuln.revision + 1;
    diesel::update(vulnerabilities::table.find(&vuln.id))
        .set((
            vulnerabilities::revision.eq(revision),
            vulnerabilities::published_at.eq(Some(at)),
            vulnerabilities::first_fixed_published_at.eq(vuln.first_fixed_published_at.or(if fixed {
                Some(at)
            } else {
                None
            })),
        ))
        .execute(conn)?;
    let mut ids = vec![vuln.vuln_id.clone()];
    ids.extend(vuln.aliases());
    let subject = Subject {
        event: EventType::VexPublished,
        artifact_ids: docs.iter().map(|d| d.artifact_id.clone()).collect(),
        vulnerabilities: ids,
        vulnerability_ref: Some(vuln.id.clone()),
        summary: format!(
            "{}{} — {} (revision {revision})",
            if vuln.actively_exploited { "ACTIVELY EXPLOITED: " } else { "" },
            vuln.vuln_id,
            vuln.title
        ),
    };
    let queued = notify::raise(conn, &org.id, &subject)?;
    // "Customers notified" is met by the first delivery (the worker), or now when there is nobody
    // to tell: no token may see an affected version.
    if queued == 0 && vuln.first_notified_at.is_none() {
        let portal = settings::of_org(conn, org)?;
        if super::impacted::impacted(conn, &portal, vuln)?.is_empty() {
            diesel::update(vulnerabilities::table.find(&vuln.id))
                .set(vulnerabilities::first_notified_at.eq(Some(at)))
                .execute(conn)?;
        }
    }
    store::step(
        conn,
        vuln,
        Action::VulnerabilityPublish,
        "published",
        format!(
            "Revision {revision}: {} document(s) published ({}), {queued} notification(s) queued",
            docs.len(),
            docs.iter().map(|d| format!("{} {} {}", d.product, d.version, d.format)).collect::<Vec<_>>().join(", ")
        ),
        serde_json::json!({"revision": revision, "artifacts": docs.iter().map(|d| serde_json::json!({
            "id": d.artifact_id, "format": d.format, "sha256": d.sha256})).collect::<Vec<_>>(),
            "notifications_queued": queued, "tlp": tlp}),
        caller.actor(),
        client,
    )?;
    Ok(PublishResult { revision, artifacts: docs, notifications_queued: queued })
}

/// The documents a publication would generate now, for the admins' preview (nothing stored).
pub fn preview(
    conn: &mut DbConnection,
    org: &Org,
    vuln_id: &str,
    tlp: Option<Tlp>,
    public_url: &str,
) -> ApiResult<Vec<super::routes::PreviewDocument>> {
    let vuln = store::get(conn, &org.id, vuln_id)?;
    let portal = settings::of_org(conn, org)?;
    let tlp = tlp.unwrap_or(portal.default_tlp);
    let publisher = Publisher::of(&portal, public_url);
    let docs: Vec<DocRow> = vuln_documents::table
        .filter(vuln_documents::vulnerability_id.eq(&vuln.id))
        .select(DocRow::as_select())
        .load(conn)?;
    let at = chrono::Utc::now();
    let portal_url = settings::url_of(public_url, &portal.slug);
    let mut out = Vec::new();
    for (a, t) in store::assessments(conn, &vuln)? {
        for format in ["csaf", "openvex"] {
            let prev = docs.iter().find(|d| d.version_id == t.version_id && d.format == format);
            let history = prev.map(|d| d.dates()).unwrap_or_default();
            let input = Input {
                vuln: &vuln,
                assessment: &a,
                target: &t,
                org_slug: &org.slug,
                publisher: &publisher,
                revision: prev.map_or(1, |d| d.revision + 1),
                history: &history,
                tlp,
                portal_url: &portal_url,
                csaf_url: "",
                at,
            };
            let canonical = documents::csaf_url(
                public_url,
                &portal.slug,
                tlp,
                history.first().copied().unwrap_or(at),
                &documents::tracking_id(&input),
            );
            let input = Input { csaf_url: &canonical, ..input };
            let (doc, filename) = match format {
                "csaf" => (documents::csaf(&input)?, format!("{}.json", documents::tracking_id(&input))),
                _ => (documents::openvex(&input), format!("{}.openvex.json", documents::tracking_id(&input))),
            };
            out.push(super::routes::PreviewDocument {
                product: t.product.clone(),
                version: t.version.clone(),
                format: format.into(),
                filename,
                content: serde_json::to_string_pretty(&doc).map_err(|e| ApiError::internal(anyhow::Error::from(e)))?,
            });
        }
    }
    Ok(out)
}
