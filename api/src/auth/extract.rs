//! Typed extractors: a handler states who may call it in its signature and cannot forget a check.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use diesel::prelude::*;

use crate::db::{self, schema::*};
use crate::error::{ApiError, ApiResult};
use crate::orgs::store::Org;
use crate::state::AppState;

use super::apikey::{self, ApiKeyCaller, ApiScope};
use super::jwt::ADMIN_AUDIENCE;
use crate::audit::Actor;

pub use crate::orgs::model::Role;

/// The bearer credential of a request, if any.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let v = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

/// `user_sessions.method` of a session opened through the OpenID provider.
pub const SSO: &str = "sso";
/// `user_sessions.method` of a session opened with a password.
pub const PASSWORD: &str = "password";

/// A signed-in user with a live session.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: String,
    pub session_id: String,
    pub email: String,
    pub display_name: String,
    /// How the session was opened: `password` or `sso`.
    pub method: String,
    /// Whether the user has two factors on.
    pub totp: bool,
}

impl AuthUser {
    /// The user as the audit log records it.
    pub fn actor(&self) -> Actor {
        Actor::User { id: self.user_id.clone(), name: self.email.clone() }
    }
}

fn state(req: &HttpRequest) -> ApiResult<web::Data<AppState>> {
    crate::state::data::<AppState>(req)
}

async fn authenticate(req: HttpRequest) -> ApiResult<AuthUser> {
    let st = state(&req)?;
    let auth = crate::state::data::<super::AuthState>(&req)?;
    let token = bearer(&req).ok_or_else(|| ApiError::Unauthorized("sign in first: missing bearer token".into()))?;
    let claims = auth
        .jwt
        .verify(&token, ADMIN_AUDIENCE)
        .map_err(|e| ApiError::Unauthorized(format!("invalid or expired session token ({e})")))?;
    let now = chrono::Utc::now().naive_utc();
    let idle = chrono::Duration::seconds(st.settings.session_idle_secs);
    // Activity is written at most this often (a write per request would cost every reader).
    let refresh = chrono::Duration::seconds((st.settings.session_idle_secs / 2).min(60));
    let found = db::run(&st.pool, move |conn| {
        type Row = (String, String, String, String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>, String, bool);
        let row: Option<Row> = user_sessions::table
            .inner_join(users::table)
            .filter(user_sessions::id.eq(&claims.sid))
            .filter(user_sessions::user_id.eq(&claims.sub))
            .filter(user_sessions::revoked_at.is_null())
            .filter(user_sessions::expires_at.gt(now))
            .filter(users::active.eq(true))
            .select((
                users::id,
                user_sessions::id,
                users::email,
                users::display_name,
                user_sessions::created_at,
                user_sessions::last_seen_at,
                user_sessions::method,
                users::totp_enabled_at.is_not_null(),
            ))
            .first(conn)
            .optional()?;
        let Some((user_id, session_id, email, display_name, created, seen, method, totp)) = row else {
            return Ok(Err(false));
        };
        let seen = seen.unwrap_or(created);
        if now - seen > idle {
            return Ok(Err(true));
        }
        if now - seen > refresh {
            db::write_turn(conn, |c| {
                diesel::update(user_sessions::table.find(&session_id))
                    .set(user_sessions::last_seen_at.eq(Some(now)))
                    .execute(c)
                    .map_err(ApiError::from)
            })?;
        }
        Ok(Ok(AuthUser { user_id, session_id, email, display_name, method, totp }))
    })
    .await?;
    found.map_err(|idle_ended| {
        ApiError::Unauthorized(if idle_ended {
            "session ended after a time without activity: sign in again".into()
        } else {
            "session ended: sign in again".into()
        })
    })
}

impl FromRequest for AuthUser {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map_err(Into::into) })
    }
}

/// The least role a handler needs.
pub trait MinRole {
    const MIN: Role;
}
pub struct AdminRole;
pub struct PublisherRole;
pub struct ViewerRole;
impl MinRole for AdminRole {
    const MIN: Role = Role::Admin;
}
impl MinRole for PublisherRole {
    const MIN: Role = Role::Publisher;
}
impl MinRole for ViewerRole {
    const MIN: Role = Role::Viewer;
}

/// A user acting in the organisation named by the `{org}` path segment, with at least role `R`.
/// Not a member → 404 (an organisation's existence is not revealed); too weak a role → 403.
pub struct OrgAccess<R: MinRole> {
    pub org: Org,
    pub user: AuthUser,
    pub role: Role,
    _role: PhantomData<R>,
}

pub type OrgAdmin = OrgAccess<AdminRole>;
pub type OrgPublisher = OrgAccess<PublisherRole>;
pub type OrgViewer = OrgAccess<ViewerRole>;

/// Resolves the `{org}` path segment for a signed-in member with at least `min`.
async fn member_access(req: &HttpRequest, min: Role) -> ApiResult<(Org, AuthUser, Role)> {
    let user = authenticate(req.clone()).await?;
    let slug = req.match_info().get("org").unwrap_or_default().to_string();
    let st = state(req)?;
    let uid = user.user_id.clone();
    let found = db::run(&st.pool, move |conn| {
        Ok(organizations::table
            .inner_join(memberships::table)
            .filter(organizations::slug.eq(&slug))
            .filter(memberships::user_id.eq(&uid))
            .filter(memberships::active.eq(true))
            .select((Org::as_select(), memberships::role))
            .first::<(Org, Role)>(conn)
            .optional()?)
    })
    .await?;
    let (org, role) = found.ok_or_else(|| ApiError::NotFound("organisation not found".into()))?;
    // The organisation's sign-in policy (issue 15): single sign-on only, two factors for admins.
    if !org.password_login && user.method != SSO {
        return Err(ApiError::Forbidden(format!(
            "`{}` accepts only single sign-on: sign out and sign in with SSO",
            org.name
        )));
    }
    if role == Role::Admin && org.admins_need_totp && user.method != SSO && !user.totp {
        return Err(ApiError::Forbidden(format!(
            "`{}` requires two factors for admins: turn them on under Account (POST /api/v1/me/totp) first",
            org.name
        )));
    }
    if !role.at_least(min) {
        return Err(ApiError::Forbidden(format!(
            "this action needs the {} role (you are {})",
            min.as_str(),
            role.as_str()
        )));
    }
    Ok((org, user, role))
}

impl<R: MinRole + 'static> FromRequest for OrgAccess<R> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (org, user, role) = member_access(&req, R::MIN).await?;
            Ok(OrgAccess { org, user, role, _role: PhantomData })
        })
    }
}

/// What an operation needs: a member role, or an API key scope.
pub trait Permission {
    const ROLE: Role;
    const SCOPE: ApiScope;
}
/// Upload artifacts and create products/versions on the way (`auto_create`).
pub struct Upload;
/// Publish and withdraw artifacts.
pub struct Publish;
/// Read the catalogue (products, versions, artifacts).
pub struct ReadCatalogue;
impl Permission for Upload {
    const ROLE: Role = Role::Publisher;
    const SCOPE: ApiScope = ApiScope::ArtifactsWrite;
}
impl Permission for Publish {
    const ROLE: Role = Role::Publisher;
    const SCOPE: ApiScope = ApiScope::ArtifactsPublish;
}
impl Permission for ReadCatalogue {
    const ROLE: Role = Role::Viewer;
    const SCOPE: ApiScope = ApiScope::CatalogueRead;
}

/// Who is acting: a member with a role, or an organisation API key.
#[derive(Debug, Clone)]
pub enum Caller {
    Member { user: AuthUser, role: Role },
    ApiKey(ApiKeyCaller),
}

impl Caller {
    pub fn actor(&self) -> Actor {
        match self {
            Caller::Member { user, .. } => Actor::User { id: user.user_id.clone(), name: user.email.clone() },
            Caller::ApiKey(k) => Actor::ApiKey { id: k.id.clone(), name: k.name.clone() },
        }
    }
    /// May this caller also publish (for `publish=true` on upload)?
    pub fn may_publish(&self) -> bool {
        match self {
            Caller::Member { role, .. } => role.at_least(Role::Publisher),
            Caller::ApiKey(k) => k.scopes.contains(&ApiScope::ArtifactsPublish),
        }
    }
}

/// A caller acting in the `{org}` of the path with permission `P` (member role or API key scope).
pub struct OrgCaller<P: Permission> {
    pub org: Org,
    pub caller: Caller,
    _p: PhantomData<P>,
}

/// The API key presented with a request (`X-Api-Key`, or a bearer token with the key prefix).
pub fn presented_api_key(req: &HttpRequest) -> Option<String> {
    if let Some(v) = req.headers().get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim().to_string());
    }
    bearer(req).filter(|t| t.starts_with(apikey::PREFIX))
}

async fn api_key_access(req: &HttpRequest, secret: String, scope: ApiScope) -> ApiResult<(Org, ApiKeyCaller)> {
    let st = state(req)?;
    let (org, key) = db::run(&st.pool, move |conn| apikey::authenticate(conn, &secret)).await?;
    if !key.scopes.contains(&scope) {
        return Err(ApiError::Forbidden(format!("this API key lacks the `{}` scope", scope.as_str())));
    }
    Ok((org, key))
}

impl<P: Permission + 'static> FromRequest for OrgCaller<P> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(secret) = presented_api_key(&req) {
                let (org, key) = api_key_access(&req, secret, P::SCOPE).await?;
                let slug = req.match_info().get("org").unwrap_or_default();
                if org.slug != slug {
                    return Err(ApiError::NotFound("organisation not found".into()).into());
                }
                return Ok(OrgCaller { org, caller: Caller::ApiKey(key), _p: PhantomData });
            }
            let (org, user, role) = member_access(&req, P::ROLE).await?;
            Ok(OrgCaller { org, caller: Caller::Member { user, role }, _p: PhantomData })
        })
    }
}

/// An API key with the `artifacts:write` scope; its organisation is the target (Dependency-Track style).
pub struct ApiKeyUploader {
    pub org: Org,
    pub key: ApiKeyCaller,
}

impl FromRequest for ApiKeyUploader {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let secret = presented_api_key(&req)
                .ok_or_else(|| ApiError::Unauthorized("an API key is required (X-Api-Key header)".into()))?;
            let (org, key) = api_key_access(&req, secret, ApiScope::ArtifactsWrite).await?;
            Ok(ApiKeyUploader { org, key })
        })
    }
}
