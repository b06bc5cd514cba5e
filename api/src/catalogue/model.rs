//! Wire types for products and versions.

use crate::validate;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::domain::LifecycleStatus;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub id: crate::ids::ProductId,
    /// URL-safe identifier, unique in the organisation.
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Whether the product may appear in the customer portal.
    pub portal_visible: bool,
    /// Archived products keep their published record but take no new versions.
    pub archived: bool,
    pub version_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateProduct {
    #[garde(custom(validate::slug))]
    pub slug: String,
    #[garde(custom(validate::text(1, 200)))]
    pub name: String,
    #[serde(default)]
    #[garde(custom(validate::opt_text(0, 5000)))]
    pub description: Option<String>,
    /// Defaults to true.
    #[serde(default)]
    #[garde(skip)]
    pub portal_visible: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateProduct {
    #[garde(custom(validate::opt_text(1, 200)))]
    pub name: Option<String>,
    #[garde(custom(validate::opt_text(0, 5000)))]
    pub description: Option<String>,
    #[garde(skip)]
    pub portal_visible: Option<bool>,
    #[garde(skip)]
    pub archived: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProductListQuery {
    /// Include archived products (default false).
    pub include_archived: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub id: crate::ids::VersionId,
    pub product_slug: String,
    /// Version string (semver or any vendor string; URL-safe).
    pub version: String,
    pub release_date: Option<NaiveDate>,
    /// End of the support period (CRA Art. 13(8)); customers see it in the portal.
    pub support_until: Option<NaiveDate>,
    pub status: LifecycleStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetail {
    #[serde(flatten)]
    pub product: ProductView,
    pub versions: Vec<VersionView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVersion {
    pub version: String,
    pub release_date: Option<NaiveDate>,
    pub support_until: Option<NaiveDate>,
    pub status: Option<LifecycleStatus>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVersion {
    pub release_date: Option<NaiveDate>,
    pub support_until: Option<NaiveDate>,
    pub status: Option<LifecycleStatus>,
}
