use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::*;
use crate::ids::{OrgId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organizations)]
pub struct Org {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    /// Whether members may act here in a session opened with a password (else only single sign-on).
    pub password_login: bool,
    /// Whether admins must have two factors on to act here (password sessions).
    pub admins_need_totp: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: String,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub role: crate::domain::Role,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = user_sessions)]
pub struct NewSession {
    pub id: String,
    pub user_id: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// `password` or `sso`.
    pub method: String,
}
