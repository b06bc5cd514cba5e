//! Keyset paging for customer lists: `?limit=&cursor=`, with the next page's address in a
//! `Link: <…>; rel="next"` header (RFC 8288) so a list's body keeps its shape. A cursor is the
//! sort key and id of the last row returned, opaque to clients; pages stay stable while rows are
//! added elsewhere in the list, and each page costs the same however long the list is.

use actix_web::body::BoxBody;
use actix_web::{HttpRequest, HttpResponse, Responder};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};

/// Items per page when the client names no `limit`.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest `limit` accepted.
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Where to continue: the `cursor` in the previous page's `Link: <…>; rel="next"` header.
    pub cursor: Option<String>,
}

/// A position in a list ordered by (key, id): the last row of the previous page.
pub type After = Option<(String, String)>;

impl PageParams {
    pub fn limit(&self) -> ApiResult<i64> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::validation("limit", format!("must be between 1 and {MAX_LIMIT}"))),
        }
    }

    pub fn after(&self) -> ApiResult<After> {
        self.cursor.as_deref().map(decode).transpose()
    }
}

fn encode(key: &str, id: &str) -> String {
    let json = serde_json::to_vec(&(key, id)).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode(s: &str) -> ApiResult<(String, String)> {
    let bad = || ApiError::validation("cursor", "not a cursor returned by this API");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
    serde_json::from_slice(&raw).map_err(|_| bad())
}

/// One page of a list: the items, and the cursor of the next page when there is one.
#[derive(Debug)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Paged<T> {
    /// `rows` fetched with `limit + 1`: keeps `limit` of them and, when there were more, the
    /// cursor after the last one kept (`key` gives its sort key and id).
    pub fn of(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> (String, String)) -> Paged<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        let next = more.then(|| rows.last().map(key)).flatten().map(|(k, id)| encode(&k, &id));
        Paged { items: rows, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged { items: self.items.into_iter().map(f).collect(), next: self.next }
    }

    pub fn try_map<U>(self, f: impl FnMut(T) -> ApiResult<U>) -> ApiResult<Paged<U>> {
        Ok(Paged { items: self.items.into_iter().map(f).collect::<ApiResult<_>>()?, next: self.next })
    }
}

/// The request's own path and query with `cursor` set to `next`.
fn next_link(req: &HttpRequest, next: &str) -> String {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| k != "cursor")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("cursor".into(), next.into()));
    let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    format!("<{}?{query}>; rel=\"next\"", req.path())
}

impl<T: Serialize> Responder for Paged<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::Ok();
        if let Some(next) = &self.next {
            res.insert_header((actix_web::http::header::LINK, next_link(req, next)));
        }
        res.json(self.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_pages_stop() {
        let p = Paged::of(vec![("a", "1"), ("b", "2"), ("c", "3")], 2, |r| (r.0.to_string(), r.1.to_string()));
        assert_eq!(p.items.len(), 2);
        let next = p.next.expect("a next page");
        let params = PageParams { limit: Some(2), cursor: Some(next) };
        assert_eq!(params.after().unwrap(), Some(("b".to_string(), "2".to_string())));
        let last = Paged::of(vec![("c", "3")], 2, |r| (r.0.to_string(), r.1.to_string()));
        assert!(last.next.is_none());
        assert!(PageParams { limit: Some(0), cursor: None }.limit().is_err());
        assert!(PageParams { limit: None, cursor: Some("nope".into()) }.after().is_err());
    }

    #[test]
    fn next_link_keeps_filters() {
        let req = actix_web::test::TestRequest::get()
            .uri("/api/v1/portal/acme/advisories?cve=CVE-1&cursor=old")
            .to_http_request();
        let link = next_link(&req, "new");
        assert_eq!(link, "</api/v1/portal/acme/advisories?cve=CVE-1&cursor=new>; rel=\"next\"");
    }
}
