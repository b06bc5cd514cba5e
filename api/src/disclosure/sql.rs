//! The rule as SQL: composable subqueries of the ids a reader may see, and the queries the
//! channels use. Every list is filtered in the database.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::rule::Audience;
use crate::artifacts::model::ArtifactStatus;
use crate::artifacts::store::{Artifact, Deliverable};
use crate::catalogue::store::{Product, Version};
use crate::db::subquery::{exists, in_fixed, in_subquery, outer, Exists};
use crate::db::{schema::*, DbConnection};
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ArtifactId, ProductId, VersionId};
use crate::paging::After;

// ---------------------------------------------------------------------------------------------
// The rule as SQL.
//
// Two forms. Filters (`visible_products`, `visible_versions`, `visible_artifacts`, `visible_at`)
// add the rule to a query over that table as per-row `EXISTS` checks correlated with the row, so
// a paged list only examines the rows it returns: its cost stays flat however large the catalogue.
// Subqueries of ids (`product_ids`, `version_ids`, `artifact_ids`) are the same filters selecting
// ids, for composing with [`in_subquery`] where a whole set is wanted.

type Db = <DbConnection as diesel::Connection>::Backend;

/// Ids of products, versions or artifacts the reader may see, as a subquery to compose with
/// [`in_subquery`]: `.filter(in_subquery(products::id, product_ids(&audience)))`.
pub type ProductIds = products::BoxedQuery<'static, Db, Text>;
pub type VersionIds = product_versions::BoxedQuery<'static, Db, Text>;
pub type ArtifactIds = artifacts::BoxedQuery<'static, Db, Text>;
pub type PlacementIds = artifact_versions::BoxedQuery<'static, Db, Text>;
type Pred = Exists<Db>;

/// Products an artifact may be shown under: the organisation's, portal-visible, not archived,
/// within the token's scope (whether or not they hold anything the reader may see).
fn placeable<ST>(a: &Audience, q: products::BoxedQuery<'static, Db, ST>) -> products::BoxedQuery<'static, Db, ST> {
    let mut q = q
        .filter(products::org_id.eq(a.org_id.clone()))
        .filter(products::portal_visible.eq(true))
        .filter(products::archived.eq(false));
    if let Some(scope) = a.scope() {
        q = q.filter(products::id.eq_any(scope.to_vec()));
    }
    q
}

/// Published artifacts of the organisation whose label the reader may read (wherever filed).
fn readable<ST>(a: &Audience, q: artifacts::BoxedQuery<'static, Db, ST>) -> artifacts::BoxedQuery<'static, Db, ST> {
    let labels = a.labels();
    let q = q.filter(artifacts::org_id.eq(a.org_id.clone())).filter(artifacts::status.eq(ArtifactStatus::Published));
    if labels.is_empty() {
        // An anonymous visitor of a private portal: nothing.
        q.filter(artifacts::id.ne(artifacts::id))
    } else {
        // One statement text for every reader (cached), whatever its clearance.
        let unlabeled_readable = labels.contains(&a.default_tlp);
        match in_fixed::<_, _, { <Tlp as strum::EnumCount>::COUNT }>(artifacts::tlp, &labels) {
            Some(set) if unlabeled_readable => q.filter(set.or(artifacts::tlp.is_null())),
            Some(set) => q.filter(set),
            None if unlabeled_readable => q.filter(artifacts::tlp.eq_any(labels).or(artifacts::tlp.is_null())),
            None => q.filter(artifacts::tlp.eq_any(labels)),
        }
    }
}

/// The enclosing `product_versions` row belongs to a placeable product.
fn version_placeable(a: &Audience) -> Pred {
    exists(
        placeable(a, products::table.select(products::id).into_boxed())
            .filter(products::id.eq(outer(product_versions::product_id))),
    )
}

/// The enclosing `artifact_versions` row files its artifact under a version of a placeable product.
fn placement_placeable(a: &Audience) -> Pred {
    exists(
        product_versions::table
            .filter(product_versions::id.eq(outer(artifact_versions::version_id)))
            .filter(version_placeable(a))
            .select(product_versions::id)
            .into_boxed(),
    )
}

/// The enclosing `artifact_versions` row files an artifact the reader may read.
fn placement_readable(a: &Audience) -> Pred {
    exists(
        readable(a, artifacts::table.select(artifacts::id).into_boxed())
            .filter(artifacts::id.eq(outer(artifact_versions::artifact_id))),
    )
}

/// The enclosing `product_versions` row holds an artifact the reader may read.
fn version_holds_readable(a: &Audience) -> Pred {
    exists(
        artifact_versions::table
            .filter(artifact_versions::version_id.eq(outer(product_versions::id)))
            .filter(placement_readable(a))
            .select(artifact_versions::artifact_id)
            .into_boxed(),
    )
}

/// The products the reader may see (those with a version it may see), as a filter on `q`.
pub fn visible_products<ST>(
    a: &Audience,
    q: products::BoxedQuery<'static, Db, ST>,
) -> products::BoxedQuery<'static, Db, ST> {
    visible_products_having(a, q, product_versions::table.select(product_versions::id).into_boxed())
}

/// The products the reader may see through a version among `versions` (a subquery of
/// `product_versions`, e.g. those with TEA collections), as a filter on `q`.
pub fn visible_products_having<ST>(
    a: &Audience,
    q: products::BoxedQuery<'static, Db, ST>,
    versions: VersionIds,
) -> products::BoxedQuery<'static, Db, ST> {
    placeable(a, q).filter(exists(
        versions.filter(product_versions::product_id.eq(outer(products::id))).filter(version_holds_readable(a)),
    ))
}

/// The versions the reader may see (placeable, holding an artifact it may see), as a filter on `q`.
pub fn visible_versions<ST>(
    a: &Audience,
    q: product_versions::BoxedQuery<'static, Db, ST>,
) -> product_versions::BoxedQuery<'static, Db, ST> {
    q.filter(version_placeable(a)).filter(version_holds_readable(a))
}

/// The artifacts the reader may see, under any version, as a filter on `q`.
pub fn visible_artifacts<ST>(
    a: &Audience,
    q: artifacts::BoxedQuery<'static, Db, ST>,
) -> artifacts::BoxedQuery<'static, Db, ST> {
    readable(a, q).filter(exists(
        artifact_versions::table
            .filter(artifact_versions::artifact_id.eq(outer(artifacts::id)))
            .filter(placement_placeable(a))
            .select(artifact_versions::version_id)
            .into_boxed(),
    ))
}

/// Ids of the artifacts filed under one version, if that version's product is placeable.
fn placed_at(a: &Audience, version_id: &str) -> PlacementIds {
    artifact_versions::table
        .filter(artifact_versions::version_id.eq(version_id.to_string()))
        .filter(placement_placeable(a))
        .select(artifact_versions::artifact_id)
        .into_boxed()
}

/// The artifacts the reader may see under one version, as a filter on `q` (driven by the
/// version's placements, so it costs what the version holds).
pub fn visible_at<ST>(
    a: &Audience,
    version_id: &str,
    q: artifacts::BoxedQuery<'static, Db, ST>,
) -> artifacts::BoxedQuery<'static, Db, ST> {
    readable(a, q).filter(in_subquery(artifacts::id, placed_at(a, version_id)))
}

/// The organisation's catalogue generation: triggers move it with every write to what customers
/// may see (artifacts, their placements, products, versions, portal settings, signing keys, CSAF
/// index rows; migration 17). Answers derived from the catalogue may be kept until it moves.
pub fn generation(conn: &mut DbConnection, org_id: &str) -> ApiResult<i64> {
    Ok(organizations::table.find(org_id).select(organizations::catalogue_generation).first(conn)?)
}

/// The versions the reader may see, as a subquery of ids.
pub fn version_ids(a: &Audience) -> VersionIds {
    visible_versions(a, product_versions::table.select(product_versions::id).into_boxed())
}

/// The products the reader may see, as a subquery of ids.
pub fn product_ids(a: &Audience) -> ProductIds {
    visible_products(a, products::table.select(products::id).into_boxed())
}

/// The artifacts the reader may see, under any version, as a subquery of ids.
pub fn artifact_ids(a: &Audience) -> ArtifactIds {
    visible_artifacts(a, artifacts::table.select(artifacts::id).into_boxed())
}

// ---------------------------------------------------------------------------------------------
// The queries channels use.

/// The products the reader may see, by name: at most `limit`, after `after` (name, id).
pub fn products(conn: &mut DbConnection, a: &Audience, after: &After, limit: i64) -> ApiResult<Vec<Product>> {
    let mut q = visible_products(a, products::table.select(Product::as_select()).into_boxed());
    if let Some((name, id)) = after {
        q = q.filter(
            products::name.gt(name.clone()).or(products::name.eq(name.clone()).and(products::id.gt(id.clone()))),
        );
    }
    Ok(q.order((products::name.asc(), products::id.asc())).limit(limit).load(conn)?)
}

/// A product by slug, or 404 when the reader may not see it.
pub fn product(conn: &mut DbConnection, a: &Audience, slug: &str) -> ApiResult<Product> {
    visible_products(a, products::table.select(Product::as_select()).into_boxed())
        .filter(products::slug.eq(slug.to_string()))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("product `{slug}` not found")))
}

/// The versions of the given products the reader may see, newest release first per product.
pub fn versions(conn: &mut DbConnection, a: &Audience, product_ids: &[ProductId]) -> ApiResult<Vec<Version>> {
    Ok(visible_versions(a, product_versions::table.select(Version::as_select()).into_boxed())
        .filter(product_versions::product_id.eq_any(product_ids.to_vec()))
        .order((
            product_versions::product_id.asc(),
            product_versions::release_date.desc(),
            product_versions::created_at.desc(),
            product_versions::id.asc(),
        ))
        .load(conn)?)
}

/// One version of a visible product, or 404.
pub fn version(conn: &mut DbConnection, a: &Audience, product: &Product, version: &str) -> ApiResult<Version> {
    visible_versions(a, product_versions::table.select(Version::as_select()).into_boxed())
        .filter(product_versions::product_id.eq(product.id.clone()))
        .filter(product_versions::version.eq(version.to_string()))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("version `{version}` not found")))
}

/// The artifacts the reader may see under a version, newest first.
pub fn artifacts_at(conn: &mut DbConnection, a: &Audience, version_id: &str) -> ApiResult<Vec<Artifact>> {
    Ok(visible_at(a, version_id, artifacts::table.select(Artifact::as_select()).into_boxed())
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
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
        .filter(placement_placeable(a))
        .filter(placement_readable(a))
        .group_by(artifact_versions::version_id)
        .select((artifact_versions::version_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// One artifact, when the reader may see it.
pub fn artifact(conn: &mut DbConnection, a: &Audience, id: &str) -> ApiResult<Option<Artifact>> {
    Ok(visible_artifacts(a, artifacts::table.select(Artifact::as_select()).into_boxed())
        .filter(artifacts::id.eq(id.to_string()))
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
    let q = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(placement_placeable(a))
        .filter(placement_readable(a))
        .order((products::name.asc(), product_versions::version.asc()))
        .select((artifact_versions::artifact_id, Version::as_select(), Product::as_select()))
        .into_boxed();
    let u = artifacts::table.select((artifacts::id, artifacts::version_id)).into_boxed();
    // One artifact (every delivery) by `=`: a statement diesel caches, where `IN (…)` is re-prepared.
    let (q, u) = match artifact_ids {
        [one] => (q.filter(artifact_versions::artifact_id.eq(one.clone())), u.filter(artifacts::id.eq(one.clone()))),
        many => (
            q.filter(artifact_versions::artifact_id.eq_any(many.to_vec())),
            u.filter(artifacts::id.eq_any(many.to_vec())),
        ),
    };
    let rows: Vec<(ArtifactId, Version, Product)> = q.load(conn)?;
    let uploaded: std::collections::HashMap<ArtifactId, VersionId> =
        u.load::<(ArtifactId, VersionId)>(conn)?.into_iter().collect();
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
    let art: Option<Deliverable> = visible_artifacts(a, artifacts::table.select(Deliverable::as_select()).into_boxed())
        .filter(artifacts::id.eq(id.to_string()))
        .first(conn)
        .optional()?;
    let Some(art) = art else { return Ok(None) };
    let placement = placements(conn, a, std::slice::from_ref(&art.id))?.into_iter().next();
    Ok(placement.map(|(_, p, v)| (art, p, v)))
}
