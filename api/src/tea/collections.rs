//! TEA collection history: a product version's published artifacts, versioned. A new collection
//! version is recorded (in the same transaction as the change) whenever the set changes, with the
//! reason TEA names: INITIAL_RELEASE, ARTIFACT_ADDED, ARTIFACT_REMOVED, ARTIFACT_UPDATED, VEX_UPDATED.

use std::collections::BTreeSet;

use diesel::prelude::*;

use crate::artifacts::model::{ArtifactKind, ArtifactStatus};
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::time::now;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tea_collections)]
pub struct CollectionRow {
    pub version_id: String,
    pub collection_version: i32,
    pub created_at: chrono::NaiveDateTime,
    pub update_reason: String,
    pub update_comment: Option<String>,
    pub artifact_ids: String,
}

impl CollectionRow {
    /// The artifact ids of this collection version; an unreadable row is an error naming it.
    pub fn artifact_ids(&self) -> ApiResult<Vec<String>> {
        serde_json::from_str(&self.artifact_ids).map_err(|e| {
            crate::error::ApiError::internal(anyhow::anyhow!(
                "TEA collection {} of version {} is unreadable: {e}",
                self.collection_version,
                self.version_id
            ))
        })
    }
}

/// The published artifacts of a version now (sorted ids).
fn published_now(conn: &mut DbConnection, version_id: &str) -> ApiResult<BTreeSet<String>> {
    let ids: Vec<String> = artifact_versions::table
        .inner_join(artifacts::table.on(artifacts::id.eq(artifact_versions::artifact_id)))
        .filter(artifact_versions::version_id.eq(version_id))
        .filter(artifacts::status.eq(ArtifactStatus::Published))
        .select(artifacts::id)
        .load(conn)?;
    Ok(ids.into_iter().collect())
}

pub fn latest(conn: &mut DbConnection, version_id: &str) -> ApiResult<Option<CollectionRow>> {
    Ok(tea_collections::table
        .filter(tea_collections::version_id.eq(version_id))
        .order(tea_collections::collection_version.desc())
        .select(CollectionRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn all(conn: &mut DbConnection, version_id: &str) -> ApiResult<Vec<CollectionRow>> {
    Ok(tea_collections::table
        .filter(tea_collections::version_id.eq(version_id))
        .order(tea_collections::collection_version.asc())
        .select(CollectionRow::as_select())
        .load(conn)?)
}

fn kinds(conn: &mut DbConnection, ids: &BTreeSet<String>) -> ApiResult<Vec<ArtifactKind>> {
    Ok(artifacts::table
        .filter(artifacts::id.eq_any(ids.iter().cloned().collect::<Vec<_>>()))
        .select(artifacts::kind)
        .load(conn)?)
}

/// The TEA update reason for going from `old` to `new` (None: the first collection).
fn reason(
    conn: &mut DbConnection,
    old: Option<&BTreeSet<String>>,
    new: &BTreeSet<String>,
) -> ApiResult<(&'static str, String)> {
    let Some(old) = old else {
        return Ok(("INITIAL_RELEASE", format!("first publication ({} artifact(s))", new.len())));
    };
    let added: BTreeSet<String> = new.difference(old).cloned().collect();
    let removed: BTreeSet<String> = old.difference(new).cloned().collect();
    let changed: BTreeSet<String> = added.union(&removed).cloned().collect();
    let only_vex = kinds(conn, &changed)?.iter().all(|k| *k == ArtifactKind::Vex);
    let describe = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    Ok(match (added.is_empty(), removed.is_empty()) {
        _ if only_vex => {
            ("VEX_UPDATED", format!("VEX changed: added [{}], removed [{}]", describe(&added), describe(&removed)))
        }
        (false, true) => ("ARTIFACT_ADDED", format!("published {}", describe(&added))),
        (true, false) => ("ARTIFACT_REMOVED", format!("withdrawn {}", describe(&removed))),
        _ => ("ARTIFACT_UPDATED", format!("replaced [{}] by [{}]", describe(&removed), describe(&added))),
    })
}

/// Records a new collection version for `version_id` when its published set differs from the
/// latest recorded one. Nothing is recorded for a version that never had anything published.
pub fn refresh(conn: &mut DbConnection, version_id: &str) -> ApiResult<()> {
    let current = published_now(conn, version_id)?;
    let last = latest(conn, version_id)?;
    let last_set: Option<BTreeSet<String>> =
        last.as_ref().map(|l| l.artifact_ids()).transpose()?.map(|v| v.into_iter().collect());
    if last_set.as_ref() == Some(&current) || (last.is_none() && current.is_empty()) {
        return Ok(());
    }
    let (why, comment) = reason(conn, last_set.as_ref(), &current)?;
    let next = last.map(|l| l.collection_version + 1).unwrap_or(1);
    diesel::insert_into(tea_collections::table)
        .values((
            tea_collections::version_id.eq(version_id),
            tea_collections::collection_version.eq(next),
            tea_collections::created_at.eq(now()),
            tea_collections::update_reason.eq(why),
            tea_collections::update_comment.eq(Some(comment)),
            tea_collections::artifact_ids
                .eq(serde_json::to_string(&current.iter().collect::<Vec<_>>()).unwrap_or_default()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Refreshes every version an artifact applies to (after publish, withdraw, supersede or link).
pub fn refresh_for_artifacts(conn: &mut DbConnection, artifact_ids: &[&str]) -> ApiResult<()> {
    let versions: BTreeSet<String> = artifact_versions::table
        .filter(artifact_versions::artifact_id.eq_any(artifact_ids.to_vec()))
        .select(artifact_versions::version_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    for v in versions {
        refresh(conn, &v)?;
    }
    Ok(())
}

/// At start-up: gives versions published before collections existed their first collection.
pub fn backfill(conn: &mut DbConnection) -> ApiResult<usize> {
    let with_published: BTreeSet<String> = artifact_versions::table
        .inner_join(artifacts::table.on(artifacts::id.eq(artifact_versions::artifact_id)))
        .filter(artifacts::status.eq(ArtifactStatus::Published))
        .select(artifact_versions::version_id)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let known: BTreeSet<String> = tea_collections::table
        .select(tea_collections::version_id)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let missing: Vec<&String> = with_published.difference(&known).collect();
    for v in &missing {
        refresh(conn, v)?;
    }
    Ok(missing.len())
}
