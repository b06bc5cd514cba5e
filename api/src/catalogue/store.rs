use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::catalogue::model::LifecycleStatus;
use crate::db::schema::*;
use crate::ids::{OrgId, ProductId, VersionId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: ProductId,
    pub org_id: OrgId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub portal_visible: bool,
    pub archived: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = product_versions)]
pub struct Version {
    pub id: VersionId,
    pub product_id: ProductId,
    pub version: String,
    pub release_date: Option<NaiveDate>,
    pub support_until: Option<NaiveDate>,
    pub status: LifecycleStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
