//! `PortalReader`: who reads a portal. Private portals need a valid access token (raw `spt_…`
//! or a portal session JWT) on every request; its state is checked in the database each time.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use super::settings::{self, Portal};
use super::tokens::{self, AccessToken, Refusal};
use crate::audit::Actor;
use crate::auth::extract::bearer;
use crate::auth::ClientInfo;
use crate::db;
use crate::disclosure::deliver::record_use;
use crate::disclosure::{Audience, ReaderKind, Recipient};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn audience(slug: &str) -> String {
    format!("portal:{slug}")
}

/// Counts failed token presentations per client address in a sliding minute.
pub struct FailureLimiter {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (u32, Instant)>>,
}

impl FailureLimiter {
    pub fn new(max_per_minute: u32) -> Self {
        Self { max: max_per_minute.max(1), window: Duration::from_secs(60), seen: Mutex::new(HashMap::new()) }
    }

    /// `Err` with a 429 while the address is over its budget of failures.
    pub fn check(&self, ip: &str) -> ApiResult<()> {
        let seen = self.seen.lock().map_err(|_| ApiError::internal(anyhow::anyhow!("limiter poisoned")))?;
        if let Some((n, since)) = seen.get(ip) {
            let elapsed = since.elapsed();
            if *n >= self.max && elapsed < self.window {
                return Err(ApiError::TooManyRequests {
                    message: "too many failed token attempts from this address; retry later".into(),
                    retry_after_secs: (self.window - elapsed).as_secs() + 1,
                });
            }
        }
        Ok(())
    }

    pub fn failed(&self, ip: &str) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() > 100_000 {
                let window = self.window;
                seen.retain(|_, (_, since)| since.elapsed() < window);
            }
            let e = seen.entry(ip.to_string()).or_insert((0, Instant::now()));
            if e.1.elapsed() >= self.window {
                *e = (0, Instant::now());
            }
            e.0 += 1;
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
            Reader::Token(t) => Actor::AccessToken { id: t.id.clone(), name: t.name.clone() },
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
                Reader::Token(t) if self.touch_pending => Some(t.id.clone()),
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
pub fn resolve(conn: &mut db::DbConnection, st: &AppState, portal: &Portal, credential: &str) -> ApiResult<Presented> {
    let (token, session) = if credential.starts_with(tokens::PREFIX) {
        (tokens::by_secret(conn, credential)?, None)
    } else {
        match st.jwt.verify(credential, &audience(&portal.slug)) {
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
    let st = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("app state missing")))?;
    let client = ClientInfo::of(&req);
    let credential = bearer(&req);
    let presented_credential = credential.is_some();
    if presented_credential {
        st.portal_failures.check(&client.ip)?;
    }
    let st2 = st.clone();
    let ip = client.ip.clone();
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
            Some(c) => match resolve(conn, &st2, &portal, &c)? {
                Presented::Valid(t, session) => {
                    if !defer_touch {
                        db::write_turn(conn, |c| record_use(c, &t.id, &ip))?;
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
                st.portal_failures.failed(&client.ip);
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
