//! The rule as SQL: composable subqueries of the ids a reader may see, and the queries the
//! channels use. Every list is filtered in the database.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::rule::Audience;
use crate::artifacts::model::ArtifactStatus;
use crate::artifacts::store::{Artifact, Deliverable};
use crate::catalogue::store::{Product, Version};
use crate::db::subquery::in_subquery;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ArtifactId, ProductId, VersionId};

// ---------------------------------------------------------------------------------------------
// The rule as SQL: composable subqueries of ids.

type Db = <DbConnection as diesel::Connection>::Backend;

/// Ids of products, versions or artifacts the reader may see, as a subquery to compose with
/// [`in_subquery`]: `.filter(in_subquery(products::id, product_ids(&audience)))`.
pub type ProductIds = products::BoxedQuery<'static, Db, Text>;
pub type VersionIds = product_versions::BoxedQuery<'static, Db, Text>;
pub type ArtifactIds = artifacts::BoxedQuery<'static, Db, Text>;
type PlacementIds = artifact_versions::BoxedQuery<'static, Db, Text>;

/// Products an artifact may be shown under: the organisation's, portal-visible, not archived,
/// within the token's scope (whether or not they hold anything the reader may see).
fn placeable_products(a: &Audience) -> ProductIds {
    let mut q = products::table
        .filter(products::org_id.eq(a.org_id.clone()))
        .filter(products::portal_visible.eq(true))
        .filter(products::archived.eq(false))
        .select(products::id)
        .into_boxed();
    if let Some(scope) = a.scope() {
        q = q.filter(products::id.eq_any(scope.to_vec()));
    }
    q
}

/// Published artifacts of the organisation whose label the reader may read (wherever filed).
fn readable_artifacts(a: &Audience) -> ArtifactIds {
    let labels = a.labels();
    let q = artifacts::table
        .filter(artifacts::org_id.eq(a.org_id.clone()))
        .filter(artifacts::status.eq(ArtifactStatus::Published))
        .select(artifacts::id)
        .into_boxed();
    if labels.is_empty() {
        // An anonymous visitor of a private portal: nothing.
        q.filter(artifacts::id.ne(artifacts::id))
    } else if labels.contains(&a.default_tlp) {
        q.filter(artifacts::tlp.eq_any(labels).or(artifacts::tlp.is_null()))
    } else {
        q.filter(artifacts::tlp.eq_any(labels))
    }
}

/// Versions of placeable products (the ones an artifact may be shown under).
fn placeable_versions(a: &Audience) -> VersionIds {
    product_versions::table
        .filter(in_subquery(product_versions::product_id, placeable_products(a)))
        .select(product_versions::id)
        .into_boxed()
}

/// The versions the reader may see: those holding at least one artifact it may see.
pub fn version_ids(a: &Audience) -> VersionIds {
    let holding: PlacementIds = artifact_versions::table
        .filter(in_subquery(artifact_versions::artifact_id, readable_artifacts(a)))
        .select(artifact_versions::version_id)
        .into_boxed();
    placeable_versions(a).filter(in_subquery(product_versions::id, holding))
}

/// The products the reader may see: those with a version it may see.
pub fn product_ids(a: &Audience) -> ProductIds {
    let owners: VersionIds = product_versions::table
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .select(product_versions::product_id)
        .into_boxed();
    placeable_products(a).filter(in_subquery(products::id, owners))
}

/// The artifacts the reader may see, under any version.
pub fn artifact_ids(a: &Audience) -> ArtifactIds {
    let placed: PlacementIds = artifact_versions::table
        .filter(in_subquery(artifact_versions::version_id, placeable_versions(a)))
        .select(artifact_versions::artifact_id)
        .into_boxed();
    readable_artifacts(a).filter(in_subquery(artifacts::id, placed))
}

/// The artifacts the reader may see under one version.
pub fn artifact_ids_at(a: &Audience, version_id: &str) -> ArtifactIds {
    let placed: PlacementIds = artifact_versions::table
        .filter(artifact_versions::version_id.eq(version_id.to_string()))
        .filter(in_subquery(artifact_versions::version_id, placeable_versions(a)))
        .select(artifact_versions::artifact_id)
        .into_boxed();
    readable_artifacts(a).filter(in_subquery(artifacts::id, placed))
}

// ---------------------------------------------------------------------------------------------
// The queries channels use.

/// The products the reader may see, by name.
pub fn products(conn: &mut DbConnection, a: &Audience) -> ApiResult<Vec<Product>> {
    Ok(products::table
        .filter(in_subquery(products::id, product_ids(a)))
        .order((products::name.asc(), products::id.asc()))
        .select(Product::as_select())
        .load(conn)?)
}

/// A product by slug, or 404 when the reader may not see it.
pub fn product(conn: &mut DbConnection, a: &Audience, slug: &str) -> ApiResult<Product> {
    products::table
        .filter(products::slug.eq(slug))
        .filter(in_subquery(products::id, product_ids(a)))
        .select(Product::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("product `{slug}` not found")))
}

/// The versions of the given products the reader may see, newest release first per product.
pub fn versions(conn: &mut DbConnection, a: &Audience, product_ids: &[ProductId]) -> ApiResult<Vec<Version>> {
    Ok(product_versions::table
        .filter(product_versions::product_id.eq_any(product_ids.to_vec()))
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .order((
            product_versions::product_id.asc(),
            product_versions::release_date.desc(),
            product_versions::created_at.desc(),
            product_versions::id.asc(),
        ))
        .select(Version::as_select())
        .load(conn)?)
}

/// One version of a visible product, or 404.
pub fn version(conn: &mut DbConnection, a: &Audience, product: &Product, version: &str) -> ApiResult<Version> {
    product_versions::table
        .filter(product_versions::product_id.eq(&product.id))
        .filter(product_versions::version.eq(version))
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .select(Version::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("version `{version}` not found")))
}

/// The artifacts the reader may see under a version, newest first.
pub fn artifacts_at(conn: &mut DbConnection, a: &Audience, version_id: &str) -> ApiResult<Vec<Artifact>> {
    Ok(artifacts::table
        .filter(in_subquery(artifacts::id, artifact_ids_at(a, version_id)))
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
        .select(Artifact::as_select())
        .load(conn)?)
}

/// How many artifacts the reader may see under each of the versions.
pub fn counts_at(
    conn: &mut DbConnection,
    a: &Audience,
    version_ids: &[VersionId],
) -> ApiResult<std::collections::HashMap<VersionId, i64>> {
    let rows: Vec<(VersionId, i64)> = artifact_versions::table
        .filter(artifact_versions::version_id.eq_any(version_ids.to_vec()))
        .filter(in_subquery(artifact_versions::version_id, placeable_versions(a)))
        .filter(in_subquery(artifact_versions::artifact_id, readable_artifacts(a)))
        .group_by(artifact_versions::version_id)
        .select((artifact_versions::version_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// One artifact, when the reader may see it.
pub fn artifact(conn: &mut DbConnection, a: &Audience, id: &str) -> ApiResult<Option<Artifact>> {
    Ok(artifacts::table
        .filter(artifacts::id.eq(id))
        .filter(in_subquery(artifacts::id, artifact_ids(a)))
        .select(Artifact::as_select())
        .first(conn)
        .optional()?)
}

/// Where the reader sees an artifact: (artifact id, product, version), for every visible placement
/// of the given artifacts. An artifact's upload version comes first.
pub fn placements(
    conn: &mut DbConnection,
    a: &Audience,
    artifact_ids: &[ArtifactId],
) -> ApiResult<Vec<(ArtifactId, Product, Version)>> {
    let rows: Vec<(ArtifactId, Version, Product)> = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq_any(artifact_ids.to_vec()))
        .filter(in_subquery(products::id, placeable_products(a)))
        .filter(in_subquery(artifact_versions::artifact_id, readable_artifacts(a)))
        .order((products::name.asc(), product_versions::version.asc()))
        .select((artifact_versions::artifact_id, Version::as_select(), Product::as_select()))
        .load(conn)?;
    let uploaded: std::collections::HashMap<ArtifactId, VersionId> = artifacts::table
        .filter(artifacts::id.eq_any(artifact_ids.to_vec()))
        .select((artifacts::id, artifacts::version_id))
        .load::<(ArtifactId, VersionId)>(conn)?
        .into_iter()
        .collect();
    let mut out: Vec<(ArtifactId, Product, Version)> = rows.into_iter().map(|(id, v, p)| (id, p, v)).collect();
    out.sort_by_key(|(id, _, v)| uploaded.get(id) != Some(&v.id));
    Ok(out)
}

/// A visible artifact (what a delivery needs of it) with the placement its delivery is recorded under.
pub fn placed_artifact(
    conn: &mut DbConnection,
    a: &Audience,
    id: &str,
) -> ApiResult<Option<(Deliverable, Product, Version)>> {
    let art: Option<Deliverable> = artifacts::table
        .filter(artifacts::id.eq(id))
        .filter(in_subquery(artifacts::id, artifact_ids(a)))
        .select(Deliverable::as_select())
        .first(conn)
        .optional()?;
    let Some(art) = art else { return Ok(None) };
    let placement = placements(conn, a, std::slice::from_ref(&art.id))?.into_iter().next();
    Ok(placement.map(|(_, p, v)| (art, p, v)))
}
