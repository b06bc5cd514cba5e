//! Single sign-on for organisation members through an OpenID provider (`PORTAL_OIDC_*`):
//! the authorization code flow with PKCE (S256), state and nonce, by the `openidconnect` crate.
//!
//! `GET /api/v1/auth/oidc/start` sends the browser to the provider; the state, nonce and PKCE
//! verifier travel in a cookie sealed with the key-encryption key (10 minutes, HttpOnly,
//! SameSite=Lax, scoped to the callback), so any replica can finish the flow. The callback
//! exchanges the code, verifies the ID token (signature from the provider's keys, issuer,
//! audience, nonce, expiry) and maps its **verified** e-mail to an active member. The session JWT
//! reaches the console in the URL fragment (`/admin/sso#access_token=…`), which browsers never send
//! to a server. Discovery runs per sign-in (two small requests), so a provider's key rotation is
//! picked up at once.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::{get, http::header, web, HttpRequest, HttpResponse};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::jwt::ADMIN_AUDIENCE;
use crate::auth::AuthState;
use crate::client::ClientInfo;
use crate::config::OidcSettings;
use crate::db;
use crate::error::responses::PublicReadErrors;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const COOKIE: &str = "sp_oidc";
const CALLBACK: &str = "/api/v1/auth/oidc/callback";
const SEAL_PURPOSE: &str = "oidc-flow";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(methods).service(start).service(callback);
}

/// How members may sign in on this server (the console's sign-in page asks).
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInMethods {
    /// E-mail and password (some organisations may accept only single sign-on).
    pub password: bool,
    /// Single sign-on through an OpenID provider, when configured.
    pub sso: Option<SsoMethod>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SsoMethod {
    /// What the button says (`PORTAL_OIDC_NAME`).
    pub name: String,
    /// Where the button goes.
    pub start_url: String,
}

/// What the browser carries between start and callback (sealed).
#[derive(Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
    at: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

fn settings(st: &AppState) -> ApiResult<&OidcSettings> {
    st.settings
        .oidc
        .as_ref()
        .ok_or_else(|| ApiError::NotFound("single sign-on is not configured on this server".into()))
}

fn http() -> ApiResult<openidconnect::reqwest::Client> {
    openidconnect::reqwest::ClientBuilder::new()
        // The provider's answers are never followed elsewhere (SSRF).
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("OIDC HTTP client: {e}")))
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> ApiError {
    tracing::warn!(error = %e, "single sign-on: {what}");
    ApiError::Unavailable(format!("the OpenID provider could not be reached or answered wrongly ({what})"))
}

/// Discovery, then a client for our callback URL.
async fn client(
    oidc: &OidcSettings,
    origin: &str,
    http: &openidconnect::reqwest::Client,
) -> ApiResult<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
> {
    let issuer = IssuerUrl::new(oidc.issuer.clone()).map_err(|e| unavailable("issuer URL", e))?;
    let meta = CoreProviderMetadata::discover_async(issuer, http).await.map_err(|e| unavailable("discovery", e))?;
    let redirect = RedirectUrl::new(format!("{origin}{CALLBACK}")).map_err(|e| unavailable("callback URL", e))?;
    Ok(CoreClient::from_provider_metadata(
        meta,
        ClientId::new(oidc.client_id.clone()),
        Some(ClientSecret::new(secrecy::ExposeSecret::expose_secret(&oidc.client_secret).to_string())),
    )
    .set_redirect_uri(redirect))
}

/// Sign-in methods of this server: password, and single sign-on when configured.
#[utoipa::path(tag = "auth", operation_id = "getSignInMethods", responses((status = 200, body = SignInMethods), PublicReadErrors))]
#[get("/auth/methods")]
async fn methods(st: web::Data<AppState>) -> web::Json<SignInMethods> {
    web::Json(SignInMethods {
        password: true,
        sso: st
            .settings
            .oidc
            .as_ref()
            .map(|o| SsoMethod { name: o.name.clone(), start_url: "/api/v1/auth/oidc/start".into() }),
    })
}

/// Starts single sign-on: 303 to the OpenID provider (authorization code flow with PKCE).
#[utoipa::path(tag = "auth", operation_id = "startSso",
    responses((status = 303, description = "To the OpenID provider"), PublicReadErrors))]
#[get("/auth/oidc/start")]
async fn start(req: HttpRequest, st: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let oidc = settings(&st)?;
    let http = http()?;
    let origin = crate::proxy::origin(&req, &st.settings);
    // A browser navigated here: a provider that cannot be reached is explained on the sign-in page.
    let client = match client(oidc, &origin, &http).await {
        Ok(c) => c,
        Err(e) => return Ok(to_login(&e.to_string())),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let flow = Flow {
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        at: chrono::Utc::now().timestamp(),
    };
    let json = serde_json::to_vec(&flow).map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let sealed = crate::auth::seal::seal(st.settings.kek(), SEAL_PURPOSE, b"", &json).map_err(ApiError::internal)?;
    let cookie = Cookie::build(COOKIE, sealed)
        .path(CALLBACK)
        .http_only(true)
        .secure(origin.starts_with("https://"))
        .same_site(SameSite::Lax)
        .max_age(CookieAge::minutes(10))
        .finish();
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, url.to_string())).cookie(cookie).finish())
}

/// Where the console shows a failed sign-in.
fn to_login(why: &str) -> HttpResponse {
    let q: String = url::form_urlencoded::byte_serialize(why.as_bytes()).collect();
    HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/admin/login?sso_error={q}"))).finish()
}

/// The provider's redirect back: checks state, exchanges the code (with the PKCE verifier),
/// verifies the ID token and its nonce, signs the member in whose active account has the token's
/// verified e-mail, and sends the browser to the console with the session in the URL fragment.
/// Every failure goes back to the sign-in page with the reason.
#[utoipa::path(tag = "auth", operation_id = "finishSso", params(CallbackQuery),
    responses((status = 303, description = "To the console (signed in) or back to sign-in with the reason"), PublicReadErrors))]
#[get("/auth/oidc/callback")]
async fn callback(
    req: HttpRequest,
    st: web::Data<AppState>,
    auth: web::Data<AuthState>,
    client_info: ClientInfo,
    q: web::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    let oidc = settings(&st)?;
    let mut expired = Cookie::build(COOKIE, "").path(CALLBACK).finish();
    expired.make_removal();
    let answer = |r: HttpResponse| {
        let mut r = r;
        let _ = r.add_cookie(&expired);
        Ok(r)
    };
    if let Some(e) = &q.error {
        let why = q.error_description.clone().unwrap_or_else(|| e.clone());
        return answer(to_login(&format!("the provider refused the sign-in: {why}")));
    }
    let flow: Option<Flow> = req
        .cookie(COOKIE)
        .and_then(|c| crate::auth::seal::unseal(st.settings.kek(), SEAL_PURPOSE, b"", c.value()).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|f: &Flow| chrono::Utc::now().timestamp() - f.at < 600);
    let Some(flow) = flow else {
        return answer(to_login("the sign-in took too long or was started in another browser: try again"));
    };
    if !q.state.as_deref().is_some_and(|s| crate::auth::secret::matches(s, &flow.state)) {
        return answer(to_login("the sign-in answer does not belong to this browser's sign-in: try again"));
    }
    let Some(code) = q.code.clone() else { return answer(to_login("the provider sent no authorization code")) };
    let http = http()?;
    let origin = crate::proxy::origin(&req, &st.settings);
    let client = match client(oidc, &origin, &http).await {
        Ok(c) => c,
        Err(e) => return answer(to_login(&e.to_string())),
    };
    let request = match client.exchange_code(AuthorizationCode::new(code)) {
        Ok(r) => r,
        Err(e) => return answer(to_login(&unavailable("token endpoint", e).to_string())),
    };
    let exchanged = request.set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone())).request_async(&http).await;
    let tokens = match exchanged {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on: code exchange refused");
            return answer(to_login("the provider did not accept the sign-in: try again"));
        }
    };
    let Some(id_token) = tokens.id_token() else { return answer(to_login("the provider sent no ID token")) };
    let claims = match id_token.claims(&client.id_token_verifier(), &Nonce::new(flow.nonce.clone())) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on: ID token rejected");
            return answer(to_login("the provider's ID token did not verify"));
        }
    };
    let email = claims.email().map(|e| e.as_str().to_string());
    let Some(email) = email.filter(|_| claims.email_verified() == Some(true)) else {
        return answer(to_login("the provider did not vouch for an e-mail address (email_verified)"));
    };
    let ttl = st.settings.session_ttl_secs;
    let issuer = oidc.issuer.clone();
    let opened = db::run(&st.pool, move |c| {
        let Some((user, orgs)) = crate::auth::login::lookup(c, &email)? else { return Ok(None) };
        if orgs.is_empty() {
            return Ok(None);
        }
        let id = crate::auth::login::open_session(c, &user, &orgs, &client_info, ttl, crate::auth::extract::SSO)?;
        tracing::info!(issuer = %issuer, "member signed in through single sign-on");
        Ok(Some((user.id, id)))
    })
    .await?;
    let Some((user_id, session_id)) = opened else {
        return answer(to_login(
            "no active member of any organisation here has the e-mail address your provider vouched for",
        ));
    };
    let jwt = auth.jwt.issue(ADMIN_AUDIENCE, &user_id, &session_id, ttl)?;
    answer(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/admin/sso#access_token={jwt}&expires_in={ttl}")))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    )
}
