//! Wire types for setup, sign-in and members. No diesel here.

use crate::validate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::domain::Role;

#[derive(Debug, Deserialize, ToSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// Name of the manufacturer's organisation, e.g. "ACME Devices GmbH".
    #[garde(custom(validate::text(1, 200)))]
    pub org_name: String,
    /// URL-safe identifier, e.g. "acme-devices".
    #[garde(custom(validate::slug))]
    pub org_slug: String,
    #[garde(custom(validate::email))]
    pub email: String,
    /// At least 10 characters.
    #[garde(custom(validate::password))]
    pub password: String,
    #[garde(custom(validate::text(1, 200)))]
    pub display_name: String,
    /// The one-time setup code printed at start (or `PORTAL_SETUP_CODE`); required when the server
    /// listens on anything but loopback.
    #[garde(skip)]
    pub setup_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SetupStatus {
    /// True while no user exists: the first-run setup is open.
    pub setup_required: bool,
    /// Whether setup needs the one-time code printed in the server's log at start.
    pub setup_code_required: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: crate::ids::OrgId,
    pub slug: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// Whether members may act here after signing in with a password (false: single sign-on only).
    pub password_login: bool,
    /// Whether admins need two factors on to act here (after a password sign-in).
    pub admins_need_totp: bool,
}

/// An organisation's sign-in policy (admins only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInPolicy {
    /// False: members may act here only after signing in through the OpenID provider. Only an
    /// admin signed in that way may switch password sign-in off (so nobody locks themselves out).
    pub password_login: bool,
    /// True: admins who signed in with a password need two factors on. Only an admin with two
    /// factors on (or signed in through single sign-on) may switch it on.
    pub admins_need_totp: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: crate::ids::UserId,
    pub email: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SetupResponse {
    pub organization: Organization,
    pub user: UserView,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The current code of the authenticator app (or a recovery code), when two factors are on.
    pub totp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub organization: Organization,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
    /// Whether signing in needs a second factor (TOTP).
    pub totp_enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    /// The membership id (used in member URLs).
    pub id: String,
    pub user_id: crate::ids::UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// False once deactivated: the member can no longer act in this organisation.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    pub role: Option<Role>,
    pub active: Option<bool>,
}
