//! Webhook targets must be public: https, resolving to no loopback, private, link-local or
//! otherwise special address (checked when subscribing and again, through the client's own DNS
//! resolver, on every delivery, so a name re-pointed later cannot reach inside). Redirects are
//! never followed. `PORTAL_WEBHOOK_ALLOW_PRIVATE=true` lifts this (and allows http) for labs
//! and tests.

use std::net::{IpAddr, SocketAddr};

use crate::error::{ApiError, ApiResult};

/// Whether `ip` is an ordinary public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
                || (o[0] == 192 && o[1] == 0 && o[2] == 0) // 192.0.0.0/24 protocol assignments
                || (o[0] == 198 && (o[1] & 0xfe) == 18) // 198.18.0.0/15 benchmarking
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x64 && s[1] == 0xff9b)) // NAT64 (maps onto IPv4 space)
        }
    }
}

fn refuse(why: String) -> ApiError {
    let msg = why.strip_prefix("webhook_url: ").unwrap_or(&why).to_string();
    ApiError::Unprocessable { message: why.clone(), errors: vec![crate::error::FieldError::new("webhook_url", msg)] }
}

/// Checks a webhook URL's form (at subscription time, before any lookup).
pub fn check_form(url: &str, allow_private: bool) -> ApiResult<reqwest::Url> {
    let u = reqwest::Url::parse(url).map_err(|e| refuse(format!("webhook_url: not a URL ({e})")))?;
    match u.scheme() {
        "https" => {}
        "http" if allow_private => {}
        s => return Err(refuse(format!("webhook_url: must be https (got {s}:)"))),
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(refuse("webhook_url: must not carry credentials; the payload is signed instead".into()));
    }
    if u.host_str().is_none() {
        return Err(refuse("webhook_url: has no host".into()));
    }
    if url.len() > 2000 {
        return Err(refuse("webhook_url: longer than 2000 characters".into()));
    }
    Ok(u)
}

/// Resolves the URL's host and refuses non-public addresses (422), unless allowed.
pub async fn check(url: &str, allow_private: bool) -> ApiResult<()> {
    let u = check_form(url, allow_private)?;
    if allow_private {
        return Ok(());
    }
    let host = u.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
    let port = u.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| refuse(format!("webhook_url: `{host}` does not resolve ({e})")))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(refuse(format!("webhook_url: `{host}` does not resolve")));
    }
    if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(refuse(format!(
            "webhook_url: `{host}` resolves to {} (loopback, private or link-local addresses are refused)",
            bad.ip()
        )));
    }
    Ok(())
}

/// The delivery client's DNS resolver: the system's, with non-public answers removed.
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("`{host}` resolves to no public address").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_addresses_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "224.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_public(a.parse().unwrap_or(IpAddr::from([127, 0, 0, 1]))), "{a}");
        }
        for a in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"] {
            assert!(is_public(a.parse().unwrap_or(IpAddr::from([127, 0, 0, 1]))), "{a}");
        }
    }

    #[test]
    fn form() {
        assert!(check_form("http://example.com/h", false).is_err());
        assert!(check_form("http://example.com/h", true).is_ok());
        assert!(check_form("https://u:p@example.com/h", false).is_err());
        assert!(check_form("ftp://example.com/h", true).is_err());
        assert!(check_form("https://example.com/h", false).is_ok());
    }
}
