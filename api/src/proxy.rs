//! Where a request really came from, and the origin it was addressed to, when the server runs
//! behind a TLS-terminating reverse proxy. `X-Forwarded-*` headers are believed only from the
//! addresses in `PORTAL_TRUSTED_PROXIES`; from anyone else they are ignored, so a client can
//! neither choose the address we audit nor the URLs we print into feeds.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;

use crate::config::Settings;

fn trusted(settings: &Settings, ip: IpAddr) -> bool {
    settings.trusted_proxies.iter().any(|n| n.contains(&ip))
}

fn peer(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|a| a.ip())
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

/// The client address: the socket peer, or — when the peer is a trusted proxy — the right-most
/// address in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(req: &HttpRequest, settings: Option<&Settings>) -> String {
    let Some(peer) = peer(req) else { return "unknown".into() };
    let Some(settings) = settings.filter(|s| trusted(s, peer)) else { return peer.to_string() };
    let forwarded = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
    let hops: Vec<IpAddr> = forwarded.join(",").split(',').filter_map(|s| s.trim().parse::<IpAddr>().ok()).collect();
    hops.into_iter().rev().find(|ip| !trusted(settings, *ip)).unwrap_or(peer).to_string()
}

/// The origin (`scheme://host[:port]`) customers reach this server at: `PORTAL_PUBLIC_URL` when
/// configured; else `X-Forwarded-Proto`/`X-Forwarded-Host` from a trusted proxy, or the
/// request's own scheme and `Host` — but only a host listed in `PORTAL_ALLOWED_HOSTS`: any other
/// gets the default origin, so a client cannot put its own host into links we print (feeds,
/// invitation and reset links).
pub fn origin(req: &HttpRequest, settings: &Settings) -> String {
    if settings.public_url_configured {
        return settings.public_url.clone();
    }
    // Not `connection_info()`: actix believes forwarded headers from anyone there.
    let mut scheme = if req.app_config().secure() { "https" } else { "http" }.to_string();
    let mut host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| settings.bind.to_string());
    if peer(req).is_some_and(|ip| trusted(settings, ip)) {
        let h = req.headers();
        if let Some(p) = header(h, "x-forwarded-proto").and_then(|v| v.split(',').next()).map(str::trim) {
            if p == "https" || p == "http" {
                scheme = p.to_string();
            }
        }
        if let Some(fh) = header(h, "x-forwarded-host").and_then(|v| v.split(',').next()).map(str::trim) {
            host = fh.to_string();
        }
    }
    // A Host header is client input: only a listed host names the origin.
    if !settings.allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
        return settings.public_url.clone();
    }
    format!("{scheme}://{host}")
}
