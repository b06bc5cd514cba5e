//! Rules for products and versions. Functions take a connection (the caller picks the transaction).

use diesel::prelude::*;

use super::model::*;
use super::store::*;
use crate::audit::{Action, Actor, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::{now, utc};
use crate::validate::Checks;

pub fn version_defect(v: &str) -> Option<&'static str> {
    if v.is_empty() || v.len() > 100 {
        Some("must be 1 to 100 characters")
    } else if !v.bytes().all(|b| b.is_ascii_alphanumeric() || b"._+~-".contains(&b)) {
        Some("may contain only letters, digits and . _ + ~ - (it appears in URLs)")
    } else if v == "." || v == ".." {
        Some("must not be `.` or `..`")
    } else {
        None
    }
}

/// A slug made from a free-form name (`My Product 2` → `my-product-2`).
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_end_matches('-').chars().take(63).collect();
    trimmed.trim_end_matches('-').to_string()
}

fn product_view(conn: &mut DbConnection, p: Product) -> ApiResult<ProductView> {
    let version_count =
        product_versions::table.filter(product_versions::product_id.eq(&p.id)).count().get_result(conn)?;
    Ok(ProductView {
        id: p.id,
        slug: p.slug,
        name: p.name,
        description: p.description,
        portal_visible: p.portal_visible,
        archived: p.archived,
        version_count,
        created_at: utc(p.created_at),
        updated_at: utc(p.updated_at),
    })
}

pub fn version_view(v: Version, product_slug: &str) -> VersionView {
    VersionView {
        id: v.id,
        product_slug: product_slug.to_string(),
        version: v.version,
        release_date: v.release_date,
        support_until: v.support_until,
        status: v.status,
        created_at: utc(v.created_at),
        updated_at: utc(v.updated_at),
    }
}

pub fn list_products(conn: &mut DbConnection, org_id: &str, include_archived: bool) -> ApiResult<Vec<ProductView>> {
    let mut q = products::table.filter(products::org_id.eq(org_id)).into_boxed();
    if !include_archived {
        q = q.filter(products::archived.eq(false));
    }
    let rows: Vec<Product> = q.order(products::name.asc()).select(Product::as_select()).load(conn)?;
    rows.into_iter().map(|p| product_view(conn, p)).collect()
}

pub fn find_product(conn: &mut DbConnection, org_id: &str, slug: &str) -> ApiResult<Option<Product>> {
    Ok(products::table
        .filter(products::org_id.eq(org_id))
        .filter(products::slug.eq(slug))
        .select(Product::as_select())
        .first(conn)
        .optional()?)
}

pub fn get_product(conn: &mut DbConnection, org_id: &str, slug: &str) -> ApiResult<Product> {
    find_product(conn, org_id, slug)?.ok_or_else(|| ApiError::NotFound(format!("product `{slug}` not found")))
}

pub fn product_detail(conn: &mut DbConnection, org_id: &str, slug: &str) -> ApiResult<ProductDetail> {
    let p = get_product(conn, org_id, slug)?;
    let versions = list_versions(conn, &p)?;
    Ok(ProductDetail { product: product_view(conn, p)?, versions })
}

pub fn validate_create_product(req: &CreateProduct) -> ApiResult<()> {
    crate::validate::fields(req)
}

pub fn create_product(
    conn: &mut DbConnection,
    org_id: &str,
    req: &CreateProduct,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ProductView> {
    let p = insert_product(conn, org_id, &req.slug, req.name.trim(), req.description.as_deref().unwrap_or(""))?;
    if let Some(false) = req.portal_visible {
        diesel::update(products::table.find(&p.id)).set(products::portal_visible.eq(false)).execute(conn)?;
    }
    Event::new(Some(org_id), Category::Admin, Action::ProductCreate, actor.clone(), client)
        .product(Some(&p.id))
        .details(serde_json::json!({"slug": p.slug, "name": p.name}))
        .record(conn)?;
    let p = get_product(conn, org_id, &p.slug)?;
    product_view(conn, p)
}

fn insert_product(
    conn: &mut DbConnection,
    org_id: &str,
    slug: &str,
    name: &str,
    description: &str,
) -> ApiResult<Product> {
    let p = Product {
        id: uuid::Uuid::new_v4().to_string().into(),
        org_id: org_id.into(),
        slug: slug.into(),
        name: name.into(),
        description: description.trim().into(),
        portal_visible: true,
        archived: false,
        created_at: now(),
        updated_at: now(),
    };
    diesel::insert_into(products::table).values(&p).execute(conn).map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => ApiError::Conflict(format!("a product with slug `{slug}` already exists")),
        other => other,
    })?;
    Ok(p)
}

pub fn update_product(
    conn: &mut DbConnection,
    org_id: &str,
    slug: &str,
    req: &UpdateProduct,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ProductView> {
    crate::validate::fields(req)?;
    let p = get_product(conn, org_id, slug)?;
    diesel::update(products::table.find(&p.id))
        .set((
            products::name.eq(req.name.as_deref().map(str::trim).unwrap_or(&p.name)),
            products::description.eq(req.description.as_deref().map(str::trim).unwrap_or(&p.description)),
            products::portal_visible.eq(req.portal_visible.unwrap_or(p.portal_visible)),
            products::archived.eq(req.archived.unwrap_or(p.archived)),
            products::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::ProductUpdate, actor.clone(), client)
        .product(Some(&p.id))
        .details(serde_json::json!({"slug": p.slug, "name": req.name, "portal_visible": req.portal_visible, "archived": req.archived}))
        .record(conn)?;
    let p = get_product(conn, org_id, slug)?;
    product_view(conn, p)
}

/// Deletes a product and its drafts; refused once anything of it was published (archive instead).
pub fn delete_product(
    conn: &mut DbConnection,
    org_id: &str,
    slug: &str,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<()> {
    let p = get_product(conn, org_id, slug)?;
    let published: i64 = artifacts::table
        .filter(artifacts::product_id.eq(&p.id))
        .filter(artifacts::status.ne(crate::domain::ArtifactStatus::Draft))
        .count()
        .get_result(conn)?;
    if published > 0 {
        return Err(ApiError::Conflict(format!(
            "product `{slug}` has {published} published or withdrawn artifact(s) that must stay on record: archive it instead (PATCH archived=true)"
        )));
    }
    diesel::delete(products::table.find(&p.id)).execute(conn)?;
    Event::new(Some(org_id), Category::Admin, Action::ProductDelete, actor.clone(), client)
        .product(Some(&p.id))
        .details(serde_json::json!({"slug": p.slug}))
        .record(conn)?;
    Ok(())
}

pub fn list_versions(conn: &mut DbConnection, product: &Product) -> ApiResult<Vec<VersionView>> {
    let rows: Vec<Version> = product_versions::table
        .filter(product_versions::product_id.eq(&product.id))
        .order((product_versions::release_date.desc(), product_versions::created_at.desc()))
        .select(Version::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|v| version_view(v, &product.slug)).collect())
}

pub fn find_version(conn: &mut DbConnection, product_id: &str, version: &str) -> ApiResult<Option<Version>> {
    Ok(product_versions::table
        .filter(product_versions::product_id.eq(product_id))
        .filter(product_versions::version.eq(version))
        .select(Version::as_select())
        .first(conn)
        .optional()?)
}

pub fn get_version(conn: &mut DbConnection, product: &Product, version: &str) -> ApiResult<Version> {
    find_version(conn, &product.id, version)?
        .ok_or_else(|| ApiError::NotFound(format!("version `{version}` of product `{}` not found", product.slug)))
}

fn check_dates(c: &mut Checks, release: Option<chrono::NaiveDate>, until: Option<chrono::NaiveDate>) {
    if let (Some(r), Some(u)) = (release, until) {
        c.check(u >= r, "support_until", "must not be before release_date");
    }
}

pub fn create_version(
    conn: &mut DbConnection,
    product: &Product,
    req: &CreateVersion,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<VersionView> {
    let mut c = Checks::new();
    if let Some(why) = version_defect(&req.version) {
        c.add("version", why);
    }
    check_dates(&mut c, req.release_date, req.support_until);
    c.finish()?;
    if product.archived {
        return Err(ApiError::Conflict(format!("product `{}` is archived", product.slug)));
    }
    let v = insert_version(conn, product, &req.version, req.release_date, req.support_until, req.status)?;
    Event::new(Some(&product.org_id), Category::Admin, Action::VersionCreate, actor.clone(), client)
        .product(Some(&product.id))
        .version(Some(&v.id))
        .details(serde_json::json!({"product": product.slug, "version": v.version}))
        .record(conn)?;
    Ok(version_view(v, &product.slug))
}

fn insert_version(
    conn: &mut DbConnection,
    product: &Product,
    version: &str,
    release_date: Option<chrono::NaiveDate>,
    support_until: Option<chrono::NaiveDate>,
    status: Option<LifecycleStatus>,
) -> ApiResult<Version> {
    let v = Version {
        id: uuid::Uuid::new_v4().to_string().into(),
        product_id: product.id.clone(),
        version: version.into(),
        release_date,
        support_until,
        status: status.unwrap_or(LifecycleStatus::Supported),
        created_at: now(),
        updated_at: now(),
    };
    diesel::insert_into(product_versions::table).values(&v).execute(conn).map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => {
            ApiError::Conflict(format!("version `{version}` of `{}` already exists", product.slug))
        }
        other => other,
    })?;
    Ok(v)
}

pub fn update_version(
    conn: &mut DbConnection,
    product: &Product,
    version: &str,
    req: &UpdateVersion,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<VersionView> {
    let v = get_version(conn, product, version)?;
    let release = req.release_date.or(v.release_date);
    let until = req.support_until.or(v.support_until);
    let mut c = Checks::new();
    check_dates(&mut c, release, until);
    c.finish()?;
    let status = req.status.unwrap_or(v.status);
    diesel::update(product_versions::table.find(&v.id))
        .set((
            product_versions::release_date.eq(release),
            product_versions::support_until.eq(until),
            product_versions::status.eq(status),
            product_versions::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Event::new(Some(&product.org_id), Category::Admin, Action::VersionUpdate, actor.clone(), client)
        .product(Some(&product.id))
        .version(Some(&v.id))
        .details(serde_json::json!({"product": product.slug, "version": v.version, "release_date": release,
            "support_until": until, "status": status}))
        .record(conn)?;
    get_version(conn, product, version).map(|v| version_view(v, &product.slug))
}

/// Where an upload is filed.
#[derive(Debug, Clone)]
pub struct Placement {
    pub product_slug: String,
    /// Name for an auto-created product (defaults to the slug).
    pub product_name: Option<String>,
    pub version: String,
    /// Create a missing product and version (Dependency-Track's `autoCreate`).
    pub auto_create: bool,
}

/// Finds product and version for an upload, creating them when `auto_create` allows.
pub fn resolve_for_upload(
    conn: &mut DbConnection,
    org_id: &str,
    placement: &Placement,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<(Product, Version)> {
    let (product_slug, version, auto_create) =
        (placement.product_slug.as_str(), placement.version.as_str(), placement.auto_create);
    let product_name = placement.product_name.as_deref();
    let product = match find_product(conn, org_id, product_slug)? {
        Some(p) => p,
        None if auto_create => {
            if let Some(why) = crate::validate::slug_defect(product_slug) {
                return Err(ApiError::validation("product", why));
            }
            let p = insert_product(conn, org_id, product_slug, product_name.unwrap_or(product_slug), "")?;
            Event::new(Some(org_id), Category::Admin, Action::ProductCreate, actor.clone(), client)
                .product(Some(&p.id))
                .details(serde_json::json!({"slug": p.slug, "auto_create": true}))
                .record(conn)?;
            p
        }
        None => {
            return Err(ApiError::NotFound(format!(
                "product `{product_slug}` not found (pass auto_create=true to create it)"
            )))
        }
    };
    let version_row = match find_version(conn, &product.id, version)? {
        Some(v) => v,
        None if auto_create => {
            if let Some(why) = version_defect(version) {
                return Err(ApiError::validation("version", why));
            }
            if product.archived {
                return Err(ApiError::Conflict(format!("product `{}` is archived", product.slug)));
            }
            let v = insert_version(conn, &product, version, None, None, None)?;
            Event::new(Some(org_id), Category::Admin, Action::VersionCreate, actor.clone(), client)
                .product(Some(&product.id))
                .version(Some(&v.id))
                .details(serde_json::json!({"product": product.slug, "version": v.version, "auto_create": true}))
                .record(conn)?;
            v
        }
        None => {
            return Err(ApiError::NotFound(format!(
                "version `{version}` of product `{product_slug}` not found (pass auto_create=true to create it)"
            )))
        }
    };
    Ok((product, version_row))
}
