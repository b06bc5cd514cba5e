//! Stored SBOM facts (conformance, components, dependencies) kept in step with the analysis code.

use diesel::prelude::*;

use super::model::ArtifactKind;
use super::service::facts_of;
use crate::db::{schema::artifacts, DbConnection};
use crate::error::{ApiError, ApiResult};

/// Re-analyses every stored SBOM and stores its facts again: after the conformance rules or the
/// facts change (a new release), so reads never recompute. Answers (SBOMs seen, facts changed).
pub fn recompute_sbom_facts(
    conn: &mut DbConnection,
    store: &dyn crate::storage::BlobBackend,
) -> ApiResult<(usize, usize)> {
    let rows: Vec<(String, String, String)> = artifacts::table
        .filter(artifacts::kind.eq(ArtifactKind::Sbom))
        .select((artifacts::id, artifacts::sha256, artifacts::facts))
        .load(conn)?;
    let mut changed = 0;
    for (id, sha256, old) in &rows {
        let key = crate::storage::BlobKey::parse(sha256)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("artifact {id} has a bad content key")))?;
        let bytes = super::intake::read_blob(store, &key)?;
        let analysis = portal_formats::analyze(portal_formats::ArtifactKind::Sbom, &bytes)
            .map_err(|r| ApiError::internal(anyhow::anyhow!("stored SBOM {id} no longer validates: {r}")))?;
        let facts = facts_of(&analysis)?;
        if &facts != old {
            diesel::update(artifacts::table.find(id)).set(artifacts::facts.eq(&facts)).execute(conn)?;
            super::index::record(conn, id)?;
            changed += 1;
        }
    }
    Ok((rows.len(), changed))
}
