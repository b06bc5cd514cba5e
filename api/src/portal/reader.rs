//! `PortalReader`: who reads a portal. Private portals need a valid access token (raw `spt_…`
//! or a portal session JWT) on every request; its state is checked in the database each time.

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use actix_web::{dev::Payload, FromRequest, HttpRequest};

use super::settings::{self, Portal};
use super::tokens::{self, AccessToken, Refusal};
use crate::audit::Actor;
use crate::auth::extract::bearer;
use crate::auth::jwt::JwtKeys;
use crate::auth::AuthState;
use crate::client::ClientInfo;
use crate::db;
use crate::disclosure::deliver::record_use;
use crate::disclosure::{Audience, ReaderKind, Recipient};
use crate::error::{ApiError, ApiResult};
use crate::state::{data, AppState};

pub fn audience(slug: &str) -> String {
    format!("portal:{slug}")
}

/// Failed token presentations per client address: GCRA accounting of failures (`governor`),
/// and the addresses over their budget, remembered until they may try again (`moka`).
pub struct FailureLimiter {
    failures: RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>,
    /// How long one failure takes to be forgiven (a minute / the budget).
    replenish: Duration,
    blocked: moka::sync::Cache<String, Instant>,
}

impl FailureLimiter {
    pub fn new(max_per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(max_per_minute.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            failures: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            replenish: quota.replenish_interval(),
            blocked: moka::sync::Cache::builder().time_to_live(Duration::from_secs(60)).max_capacity(100_000).build(),
        }
    }

    /// `Err` with a 429 while the address is over its budget of failures.
    pub fn check(&self, ip: &str) -> ApiResult<()> {
        match self.blocked.get(&crate::auth::ratelimit::address_group(ip)) {
            Some(until) if until > Instant::now() => Err(ApiError::TooManyRequests {
                message: "too many failed token attempts from this address; retry later".into(),
                retry_after_secs: (until - Instant::now()).as_secs() + 1,
            }),
            _ => Ok(()),
        }
    }

    /// Counts a failure; the address is refused once its budget is spent, until a failure is
    /// forgiven again.
    pub fn failed(&self, ip: &str) {
        let ip = crate::auth::ratelimit::address_group(ip);
        let wait = match self.failures.check_key(&ip) {
            Ok(state) if state.remaining_burst_capacity() > 0 => None,
            Ok(_) => Some(self.replenish),
            Err(not_until) => Some(not_until.wait_time_from(DefaultClock::default().now())),
        };
        if let Some(wait) = wait {
            self.blocked.insert(ip, Instant::now() + wait);
        }
        if self.failures.len() > 100_000 {
            self.failures.retain_recent();
        }
    }
}

/// The portal's own abuse guards, shared by all workers (registered as app data).
/// Customer reads per access token and per client address group: a budget per minute each,
/// refused with 429 and `Retry-After` once spent (`PORTAL_CUSTOMER_READS_PER_TOKEN`,
/// `PORTAL_CUSTOMER_READS_PER_IP`).
pub struct ReadLimiter {
    per_token: governor::DefaultKeyedRateLimiter<String>,
    per_address: governor::DefaultKeyedRateLimiter<String>,
    checks: std::sync::atomic::AtomicU64,
}

impl ReadLimiter {
    pub fn new(per_token_per_minute: u32, per_address_per_minute: u32) -> Self {
        let q = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            per_token: RateLimiter::keyed(q(per_token_per_minute)),
            per_address: RateLimiter::keyed(q(per_address_per_minute)),
            checks: Default::default(),
        }
    }

    fn refuse(not_until: governor::NotUntil<governor::clock::QuantaInstant>, who: &str) -> ApiError {
        ApiError::TooManyRequests {
            message: format!("too many requests {who}; slow down and retry"),
            retry_after_secs: not_until.wait_time_from(DefaultClock::default().now()).as_secs() + 1,
        }
    }

    /// Counts one read from `ip`.
    pub fn check_address(&self, ip: &str) -> ApiResult<()> {
        if self.checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 4096 == 4095 {
            self.per_address.retain_recent();
            self.per_token.retain_recent();
        }
        self.per_address
            .check_key(&crate::auth::ratelimit::address_group(ip))
            .map_err(|n| Self::refuse(n, "from this address"))
    }

    /// Counts one read with the access token `token_id`.
    pub fn check_token(&self, token_id: &str) -> ApiResult<()> {
        self.per_token.check_key(&token_id.to_string()).map_err(|n| Self::refuse(n, "with this access token"))
    }
}

pub struct PortalGuards {
    /// Portal session creation per client address.
    pub sessions: crate::auth::ratelimit::LoginLimiter,
    /// Failed access-token presentations per client address.
    pub failures: FailureLimiter,
    /// Reads per token and per address.
    pub reads: ReadLimiter,
}

impl PortalGuards {
    pub fn new(settings: &crate::config::Settings) -> Self {
        PortalGuards {
            sessions: crate::auth::ratelimit::LoginLimiter::new(settings.portal_sessions_per_ip_per_minute, u32::MAX),
            failures: FailureLimiter::new(settings.portal_token_failures_per_ip_per_minute),
            reads: ReadLimiter::new(
                settings.portal_reads_per_token_per_minute,
                settings.portal_reads_per_ip_per_minute,
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Reader {
    Token(Box<AccessToken>),
    Anonymous,
}

pub struct PortalReader {
    pub portal: Portal,
    pub reader: Reader,
    /// The reader as the disclosure rule sees it.
    pub audience: Audience,
    pub client: ClientInfo,
    /// The portal session the request came with (when it used a session JWT, not a raw token).
    pub session_id: Option<String>,
    /// Whether the token's use still has to be recorded ([`PortalReader::touch`]): downloads do
    /// it in their own transaction, with the audit event, instead of in a separate write.
    touch_pending: bool,
}

impl PortalReader {
    pub fn actor(&self) -> Actor {
        match &self.reader {
            Reader::Token(t) => Actor::AccessToken { id: t.id.to_string(), name: t.name.clone() },
            Reader::Anonymous => Actor::Anonymous,
        }
    }
    /// The reader as the receiver of a delivery; the token's use is recorded with it when the
    /// extractor left that to the handler ([`PortalDownloader`]).
    pub fn recipient(&self) -> Recipient {
        Recipient {
            audience: self.audience.clone(),
            actor: self.actor(),
            client: self.client.clone(),
            pending_use: match &self.reader {
                Reader::Token(t) if self.touch_pending => Some(t.id.to_string()),
                _ => None,
            },
        }
    }
}

/// The outcome of presenting a credential to a portal.
pub enum Presented {
    /// A live token, and the portal session it came through (for session JWTs).
    Valid(AccessToken, Option<String>),
    Refused(Option<AccessToken>, Refusal),
}

/// Resolves a raw token or a portal session JWT against `portal`, without side effects.
pub fn resolve(conn: &mut db::DbConnection, jwt: &JwtKeys, portal: &Portal, credential: &str) -> ApiResult<Presented> {
    let (token, session) = if credential.starts_with(tokens::PREFIX) {
        (tokens::by_secret(conn, credential)?, None)
    } else {
        match jwt.verify(credential, &audience(&portal.slug)) {
            Ok(claims) if tokens::session_is_live(conn, &claims.sid, &claims.sub)? => {
                (tokens::by_id(conn, &claims.sub)?, Some(claims.sid))
            }
            _ => (None, None),
        }
    };
    Ok(match token {
        None => Presented::Refused(None, Refusal::Unknown),
        Some(t) => match tokens::check(&t, &portal.org_id) {
            Ok(()) => Presented::Valid(t, session),
            // A token of another organisation reveals nothing about it.
            Err(Refusal::OtherOrganisation) => Presented::Refused(None, Refusal::OtherOrganisation),
            Err(r) => Presented::Refused(Some(t), r),
        },
    })
}

async fn read(req: HttpRequest, defer_touch: bool, door: Door) -> ApiResult<PortalReader> {
    let slug = req.match_info().get("slug").unwrap_or_default().to_string();
    read_portal(req, slug, defer_touch, door).await
}

/// A visitor of the portal `slug` (anonymous allowed, as [`PortalVisitor`]), for routes whose
/// path does not name the portal (`/.well-known/…`).
pub async fn visit(req: HttpRequest, slug: String) -> ApiResult<PortalReader> {
    read_portal(req, slug, false, Door::Open).await
}

async fn read_portal(req: HttpRequest, slug: String, defer_touch: bool, door: Door) -> ApiResult<PortalReader> {
    let st = data::<AppState>(&req)?;
    let auth = data::<AuthState>(&req)?;
    let guards = data::<PortalGuards>(&req)?;
    let client = ClientInfo::of(&req);
    let credential = bearer(&req);
    let presented_credential = credential.is_some();
    if presented_credential {
        guards.failures.check(&client.ip)?;
    }
    guards.reads.check_address(&client.ip)?;
    let ip = client.ip.clone();
    let limits = guards.clone();
    let outcome = db::run(&st.pool, move |conn| {
        let Some(portal) = settings::enabled_by_slug(conn, &slug)? else {
            return Ok(Err(ApiError::NotFound("portal not found".into())));
        };
        let mut session_id = None;
        let reader = match credential {
            None if portal.is_public() || door == Door::Open => Reader::Anonymous,
            None => {
                return Ok(Err(ApiError::Unauthorized("this portal is private: sign in with your access token".into())))
            }
            Some(c) => match resolve(conn, &auth.jwt, &portal, &c)? {
                Presented::Valid(t, session) => {
                    if let Err(e) = limits.reads.check_token(&t.id) {
                        return Ok(Err(e));
                    }
                    session_id = session;
                    Reader::Token(Box::new(t))
                }
                Presented::Refused(_, r) => {
                    let msg = match r {
                        Refusal::Expired => "your access token has expired: ask the manufacturer for a new one",
                        Refusal::Revoked => "your access token has been revoked",
                        _ => "invalid access token or session",
                    };
                    return Ok(Err(ApiError::Unauthorized(msg.into())));
                }
            },
        };
        Ok(Ok((portal, reader, session_id)))
    })
    .await?;
    // The token's use is recorded with whatever else commits at this moment (downloads record
    // it in their own write, with the audit event).
    if let Ok((_, Reader::Token(t), _)) = &outcome {
        if !defer_touch {
            let id = t.id.to_string();
            st.writes.write(move |c| record_use(c, &id, &ip)).await?;
        }
    }
    match outcome {
        Ok((portal, reader, session_id)) => {
            let audience = portal.audience(match &reader {
                Reader::Token(t) => t.reader(),
                Reader::Anonymous => ReaderKind::Anonymous,
            });
            Ok(PortalReader { portal, reader, audience, client, session_id, touch_pending: defer_touch })
        }
        Err(e) => {
            if matches!(e, ApiError::Unauthorized(_)) && presented_credential {
                guards.failures.failed(&client.ip);
            }
            Err(e)
        }
    }
}

impl FromRequest for PortalReader {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { read(req, false, Door::Guarded).await.map_err(Into::into) })
    }
}

/// A [`PortalReader`] whose token use is recorded by the handler, in the same write transaction
/// as its audit event (one write per download instead of two).
pub struct PortalDownloader(pub PortalReader);

impl FromRequest for PortalDownloader {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { read(req, true, Door::Guarded).await.map(PortalDownloader).map_err(Into::into) })
    }
}

/// Whether anonymous readers get past the door of a private portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Door {
    /// Private portals answer 401 without a credential.
    Guarded,
    /// Anyone comes in (a bad credential is still refused); the disclosure rule then shows an
    /// anonymous visitor of a private portal nothing. For discovery documents that tell tools
    /// where to authenticate (CSAF provider metadata, the ROLIE service document).
    Open,
}

/// A [`PortalReader`] that may be anonymous even on a private portal (see [`Door::Open`]).
pub struct PortalVisitor(pub PortalReader);

impl FromRequest for PortalVisitor {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { read(req, false, Door::Open).await.map(PortalVisitor).map_err(Into::into) })
    }
}
