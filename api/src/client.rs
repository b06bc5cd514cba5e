//! Who is on the other end of a request: the client's address (from the socket, or from a
//! configured trusted proxy), its user agent and the request id, for audit records and limits.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::request::RequestId;

/// Where a request came from, for audit records and rate limits.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

impl ClientInfo {
    pub fn of(req: &HttpRequest) -> Self {
        // The socket peer; X-Forwarded-For only from a configured trusted proxy, so a client
        // cannot choose the address we audit.
        let settings = req.app_data::<actix_web::web::Data<crate::state::AppState>>().map(|st| st.settings.clone());
        let ip = crate::proxy::client_ip(req, settings.as_deref());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect());
        let request_id = actix_web::HttpMessage::extensions(req).get::<RequestId>().map(|r| r.0.clone());
        ClientInfo { ip, user_agent, request_id }
    }
}

impl FromRequest for ClientInfo {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(ClientInfo::of(req)))
    }
}

/// The group an address is limited as: an IPv4 address itself, an IPv6 address's /64.
pub fn address_group(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
}
