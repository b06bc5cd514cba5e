//! TLP labels of artifacts: the label a document carries itself (CSAF, CycloneDX 1.7) wins; an
//! explicit label is set or cleared (back to the portal default) on everything else.

use diesel::prelude::*;

use super::model::*;
use super::service::get;
use super::views::detail;
use crate::audit::{Action, Actor, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};

/// The label an artifact is stored with: a CSAF document's own label (or `unlabeled`), else
/// the explicit one, else none (the portal's default applies).
pub(super) fn label_of(a: &portal_formats::Analysis, explicit: Option<Tlp>) -> ApiResult<Option<Tlp>> {
    let Some(own) = Facts::of(a).document_tlp() else {
        return Ok(explicit);
    };
    match explicit {
        Some(t) if t != own => Err(ApiError::validation(
            "tlp",
            format!(
                "this document carries its own label ({}: CSAF /document/distribution/tlp/label, CycloneDX \
                 metadata.distributionConstraints.tlp); change it in the document",
                own.display_label()
            ),
        )),
        _ => Ok(Some(own)),
    }
}

/// Sets or clears (back to the portal default) an artifact's explicit TLP label. CSAF documents
/// carry their own label and cannot be relabelled.
pub fn set_tlp(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    tlp: Option<Tlp>,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ArtifactDetail> {
    let a = get(conn, org_id, id)?;
    if Facts::parse(&a.id, &a.facts)?.document_tlp().is_some() {
        return Err(ApiError::validation(
            "tlp",
            "this document carries its own label (CSAF /document/distribution/tlp/label, CycloneDX \
             metadata.distributionConstraints.tlp): upload a corrected document instead",
        ));
    }
    if tlp == Some(Tlp::Unlabeled) {
        return Err(ApiError::validation(
            "tlp",
            "must be clear, green, amber, amber+strict or red (null: the portal default)",
        ));
    }
    if a.tlp != tlp {
        diesel::update(artifacts::table.find(id)).set(artifacts::tlp.eq(tlp)).execute(conn)?;
        Event::new(Some(org_id), Category::Admin, Action::ArtifactTlpUpdate, actor.clone(), client)
            .product(Some(&a.product_id))
            .version(Some(&a.version_id))
            .artifact(Some(&a.id), Some(&a.sha256))
            .details(serde_json::json!({"from": a.tlp, "to": tlp}))
            .record(conn)?;
    }
    detail(conn, org_id, id)
}
