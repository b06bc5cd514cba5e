//! Rules for organisations, users, sessions and memberships. Functions take a connection.

use diesel::prelude::*;

use super::model::*;
use super::store::*;
use crate::audit::{Action, Actor, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::model::Role;
use crate::validate::Checks;

use crate::time::{now, utc};

/// E-mail addresses as stored and looked up: NFKC, then lower case (so `\u{212a}im@…`, with a
/// Kelvin sign, is `kim@…`). The sign-in throttle keys on the same form.
pub fn normalize_email(e: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    e.trim().nfkc().collect::<String>().to_lowercase()
}

impl From<Org> for Organization {
    fn from(o: Org) -> Self {
        Organization {
            id: o.id,
            slug: o.slug,
            name: o.name,
            created_at: utc(o.created_at),
            password_login: o.password_login,
            admins_need_totp: o.admins_need_totp,
        }
    }
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView { id: u.id, email: u.email, display_name: u.display_name, created_at: utc(u.created_at) }
    }
}

pub fn setup_required(conn: &mut DbConnection) -> ApiResult<bool> {
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

pub fn validate_setup(req: &SetupRequest) -> ApiResult<()> {
    crate::validate::fields(req)
}

/// Creates the first organisation and its admin, only while no user exists. Two concurrent calls:
/// the single-row `instance_setup` key lets exactly one commit; the other gets 409.
pub fn setup(conn: &mut DbConnection, req: &SetupRequest, password_hash: String) -> ApiResult<(Org, User)> {
    let result = transaction(conn, |c| {
        if !setup_required(c)? {
            return Err(ApiError::Conflict("setup is already complete: sign in instead".into()));
        }
        diesel::insert_into(instance_setup::table)
            .values((instance_setup::id.eq(1), instance_setup::completed_at.eq(now())))
            .execute(c)?;
        let org = create_org(c, &req.org_slug, req.org_name.trim())?;
        let user = create_user(c, &req.email, req.display_name.trim(), password_hash)?;
        add_membership(c, &org.id, &user.id, Role::Admin)?;
        Ok((org, user))
    });
    match result {
        Err(ApiError::Conflict(_)) => Err(ApiError::Conflict("setup is already complete: sign in instead".into())),
        other => other,
    }
}

pub fn create_org(conn: &mut DbConnection, slug: &str, name: &str) -> ApiResult<Org> {
    let org = Org {
        id: uuid::Uuid::new_v4().to_string().into(),
        slug: slug.into(),
        name: name.into(),
        created_at: now(),
        password_login: true,
        admins_need_totp: false,
    };
    diesel::insert_into(organizations::table).values(&org).execute(conn).map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => ApiError::Conflict(format!("an organisation with slug `{slug}` already exists")),
        other => other,
    })?;
    Ok(org)
}

pub fn create_user(conn: &mut DbConnection, email: &str, display_name: &str, password_hash: String) -> ApiResult<User> {
    let user = User {
        id: uuid::Uuid::new_v4().to_string().into(),
        email: normalize_email(email),
        display_name: display_name.into(),
        password_hash,
        active: true,
        created_at: now(),
    };
    diesel::insert_into(users::table).values(&user).execute(conn).map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => ApiError::Conflict(format!("a user with e-mail `{}` already exists", user.email)),
        other => other,
    })?;
    Ok(user)
}

pub fn add_membership(conn: &mut DbConnection, org_id: &str, user_id: &str, role: Role) -> ApiResult<Membership> {
    let m = Membership {
        id: uuid::Uuid::new_v4().to_string(),
        org_id: org_id.into(),
        user_id: user_id.into(),
        role,
        active: true,
        created_at: now(),
    };
    diesel::insert_into(memberships::table).values(&m).execute(conn).map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => ApiError::Conflict("this user is already a member of the organisation".into()),
        other => other,
    })?;
    Ok(m)
}

pub fn find_user_by_email(conn: &mut DbConnection, email: &str) -> ApiResult<Option<User>> {
    Ok(users::table.filter(users::email.eq(normalize_email(email))).select(User::as_select()).first(conn).optional()?)
}

pub fn org_ids_of_user(conn: &mut DbConnection, user_id: &str) -> ApiResult<Vec<String>> {
    Ok(memberships::table.filter(memberships::user_id.eq(user_id)).select(memberships::org_id).load(conn)?)
}

pub fn me(conn: &mut DbConnection, user_id: &str) -> ApiResult<Me> {
    let user: User = users::table.find(user_id).select(User::as_select()).first(conn)?;
    let rows: Vec<(Org, Role)> = organizations::table
        .inner_join(memberships::table)
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::active.eq(true))
        .order(organizations::name.asc())
        .select((Org::as_select(), memberships::role))
        .load(conn)?;
    let memberships =
        rows.into_iter().map(|(o, role): (Org, Role)| MembershipView { organization: o.into(), role }).collect();
    let totp_enabled = users::table
        .find(user_id)
        .select(users::totp_enabled_at)
        .first::<Option<chrono::NaiveDateTime>>(conn)?
        .is_some();
    Ok(Me { user: user.into(), memberships, totp_enabled })
}

fn member_view((m, u): (Membership, User)) -> Member {
    Member {
        id: m.id,
        user_id: u.id,
        email: u.email,
        display_name: u.display_name,
        role: m.role,
        active: m.active,
        created_at: utc(m.created_at),
    }
}

pub fn list_members(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<Member>> {
    let rows: Vec<(Membership, User)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(org_id))
        .order((users::email.asc(),))
        .select((Membership::as_select(), User::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().map(member_view).collect())
}

fn get_member(conn: &mut DbConnection, org_id: &str, id: &str) -> ApiResult<(Membership, User)> {
    memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(org_id))
        .filter(memberships::id.eq(id))
        .select((Membership::as_select(), User::as_select()))
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("member `{id}` not found")))
}

fn other_active_admins(conn: &mut DbConnection, org_id: &str, except: &str) -> ApiResult<i64> {
    Ok(memberships::table
        .filter(memberships::org_id.eq(org_id))
        .filter(memberships::role.eq(Role::Admin))
        .filter(memberships::active.eq(true))
        .filter(memberships::id.ne(except))
        .count()
        .get_result(conn)?)
}

pub fn update_member(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    req: &UpdateMember,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<Member> {
    transaction(conn, |c| {
        let (m, _) = get_member(c, org_id, id)?;
        let stays_admin =
            req.role.map(|r| r == Role::Admin).unwrap_or(m.role == Role::Admin) && req.active.unwrap_or(m.active);
        if m.role == Role::Admin && m.active && !stays_admin && other_active_admins(c, org_id, id)? == 0 {
            return Err(ApiError::Conflict("the organisation's last admin cannot be demoted or deactivated".into()));
        }
        if let Some(role) = req.role {
            diesel::update(memberships::table.find(id)).set(memberships::role.eq(role)).execute(c)?;
        }
        if let Some(active) = req.active {
            diesel::update(memberships::table.find(id)).set(memberships::active.eq(active)).execute(c)?;
        }
        Event::new(Some(org_id), Category::Admin, Action::MemberUpdate, actor.clone(), client)
            .details(serde_json::json!({"member_id": id, "role": req.role.map(Role::as_str), "active": req.active}))
            .record(c)?;
        get_member(c, org_id, id).map(member_view)
    })
}

pub fn delete_member(
    conn: &mut DbConnection,
    org_id: &str,
    id: &str,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<()> {
    transaction(conn, |c| {
        let (m, u) = get_member(c, org_id, id)?;
        if m.role == Role::Admin && m.active && other_active_admins(c, org_id, id)? == 0 {
            return Err(ApiError::Conflict("the organisation's last admin cannot be removed".into()));
        }
        diesel::delete(memberships::table.find(id)).execute(c)?;
        Event::new(Some(org_id), Category::Admin, Action::MemberDelete, actor.clone(), client)
            .details(serde_json::json!({"member_id": id, "email": u.email}))
            .record(c)?;
        Ok(())
    })
}

/// How the admin changing a policy is signed in: their own access must survive the change.
pub struct PolicyCaller {
    pub actor: Actor,
    /// Signed in through single sign-on.
    pub sso: bool,
    /// Has two factors on.
    pub totp: bool,
}

/// Changes the organisation's sign-in policy. `oidc` is whether single sign-on is configured.
pub fn set_sign_in_policy(
    conn: &mut DbConnection,
    org: &Org,
    policy: &SignInPolicy,
    oidc: bool,
    caller: &PolicyCaller,
    client: &ClientInfo,
) -> ApiResult<Organization> {
    let (sso, totp) = (caller.sso, caller.totp);
    let mut checks = Checks::new();
    if !policy.password_login && !oidc {
        checks.add("password_login", "single sign-on is not configured on this server (PORTAL_OIDC_ISSUER …)");
    } else if !policy.password_login && !sso {
        checks
            .add("password_login", "sign in with single sign-on first, so you keep access once passwords stop working");
    }
    if policy.admins_need_totp && !totp && !sso {
        checks.add("admins_need_totp", "turn on two factors for your own account first");
    }
    checks.finish()?;
    transaction(conn, |c| {
        diesel::update(organizations::table.find(&org.id))
            .set((
                organizations::password_login.eq(policy.password_login),
                organizations::admins_need_totp.eq(policy.admins_need_totp),
            ))
            .execute(c)?;
        Event::new(Some(&org.id), Category::Admin, Action::OrgSignInPolicyUpdate, caller.actor.clone(), client)
            .details(serde_json::json!({
                "password_login": policy.password_login, "admins_need_totp": policy.admins_need_totp,
            }))
            .record(c)?;
        Ok(organizations::table.find(&org.id).select(Org::as_select()).first(c)?.into())
    })
}
