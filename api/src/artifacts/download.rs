//! Streams a stored artifact with Range support, `ETag` = SHA-256 (`If-None-Match` → 304),
//! `Repr-Digest`/`Digest` and a `Content-Disposition` file name. One evaluation of the request's
//! conditions (`If-Match` → 412, `If-None-Match` → 304, `Range` with `If-Range` → 206/416) serves
//! every source: local files are read chunk by chunk on the worker (or the blocking pool above
//! `PORTAL_THREADED_READS_ABOVE`) or handed to the proxy in front (`PORTAL_ACCEL_REDIRECT`);
//! objects in object storage are streamed, ranges fetched as ranges.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType, EntityTag, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;

use crate::error::{ApiError, ApiResult};
use crate::storage::{BlobKey, BlobSource, BlobStore};

/// OpenAPI shape of a streamed file with a JSON media type: any JSON document.
#[derive(utoipa::ToSchema)]
#[schema(value_type = Value)]
#[allow(dead_code)] // only describes a shape for the OpenAPI document
pub struct JsonFile(serde_json::Value);

/// OpenAPI shape of a streamed binary or text file.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // only describes a shape for the OpenAPI document
pub struct BinaryFile(Vec<u8>);

/// What is being served.
pub struct Servable {
    pub sha256: String,
    pub media_type: String,
    pub filename: String,
}

/// Our entity tag for the bytes of `sha256` (strong: the same tag means the same bytes).
fn entity_tag(sha256: &str) -> EntityTag {
    EntityTag::new_strong(sha256.to_string())
}

/// `If-None-Match` (actix-web's typed header) names this content: `*`, or its ETag (weak
/// comparison, RFC 9110 §13.1.2).
fn etag_matches(req: &HttpRequest, sha256: &str) -> bool {
    use actix_web::http::header::{Header, IfNoneMatch};
    match IfNoneMatch::parse(req) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&entity_tag(sha256))),
        Err(_) => false,
    }
}

/// `If-Match` (RFC 9110 §13.1.1): when the request has one, it must be `*` or name these bytes'
/// ETag (strong comparison), else 412 and nothing is sent — a client resuming a download with
/// the tag it started from learns at once that the URL now means other bytes. Callers that audit
/// a delivery ask this before writing the event: a refused condition delivered nothing.
pub fn precondition(req: &HttpRequest, sha256: &str) -> ApiResult<()> {
    if_match_holds(req.headers().get_all(header::IF_MATCH), sha256)
}

/// [`precondition`] on the request's `If-Match` values (for a caller that judges it on another
/// thread, where the request cannot go).
pub fn if_match_holds<'a>(values: impl Iterator<Item = &'a HeaderValue> + Clone + 'a, sha256: &str) -> ApiResult<()> {
    let mut all = values.clone().peekable();
    if all.peek().is_none() || all.any(|v| v.as_bytes().trim_ascii() == b"*") {
        return Ok(());
    }
    match header::from_comma_delimited::<_, EntityTag>(values) {
        Ok(tags) if tags.iter().any(|t| t.strong_eq(&entity_tag(sha256))) => Ok(()),
        _ => Err(ApiError::PreconditionFailed(format!(
            "If-Match does not name these bytes: their ETag is \"{sha256}\" (their SHA-256)"
        ))),
    }
}

/// What a request asks of a representation of `size` bytes once its preconditions passed.
#[derive(Debug, PartialEq, Eq)]
enum Part {
    Whole,
    /// One byte range, `start..=end`.
    Bytes(u64, u64),
    /// A range beyond the end: 416.
    Unsatisfiable,
}

/// The part a request's `Range` asks for (RFC 9110 §14.2): one range of these bytes, or the whole
/// of them when there is no `Range`, when it asks several ranges, or when its `If-Range` names
/// other bytes (we send no `Last-Modified`, so a date never matches). Every source — local files,
/// object storage — answers the same part.
fn part_asked(req: &HttpRequest, sha256: &str, size: u64) -> Part {
    use actix_web::http::header::{Header, IfRange, Range};
    if !req.headers().contains_key(header::RANGE) {
        return Part::Whole;
    }
    if req.headers().contains_key(header::IF_RANGE) {
        match IfRange::parse(req) {
            Ok(IfRange::EntityTag(t)) if t.strong_eq(&entity_tag(sha256)) => {}
            _ => return Part::Whole,
        }
    }
    match Range::parse(req) {
        Ok(Range::Bytes(specs)) if specs.len() == 1 => match specs[0].to_satisfiable_range(size) {
            Some((start, end)) => Part::Bytes(start, end),
            None => Part::Unsatisfiable,
        },
        _ => Part::Whole,
    }
}

/// Opens the blob (on the blocking pool) and builds the streaming response.
pub async fn respond(req: &HttpRequest, store: &BlobStore, item: Servable) -> ApiResult<HttpResponse> {
    precondition(req, &item.sha256)?;
    if etag_matches(req, &item.sha256) {
        return Ok(not_modified(&item.sha256));
    }
    let (st, sha256) = (store.clone(), item.sha256.clone());
    let source = actix_web::web::block(move || open(&st, &sha256)).await??;
    respond_opened(req, store, item, source)
}

/// Opens the blob of `sha256` for [`respond_opened`]: blocking, call it off the workers (it may
/// ask object storage for the object's size). `None` when the store does not have it.
pub fn open(store: &BlobStore, sha256: &str) -> ApiResult<Option<BlobSource>> {
    let key = BlobKey::parse(sha256).ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad blob key")))?;
    Ok(store.open(&key)?)
}

fn not_modified(sha256: &str) -> HttpResponse {
    HttpResponse::NotModified().insert_header((header::ETAG, entity_tag(sha256))).finish()
}

/// The streaming response for a blob [`open`]ed already (by a caller that was on the blocking
/// pool anyway: one thread hop less per download).
pub fn respond_opened(
    req: &HttpRequest,
    store: &BlobStore,
    item: Servable,
    source: Option<BlobSource>,
) -> ApiResult<HttpResponse> {
    let digest_b64 = base64::engine::general_purpose::STANDARD
        .encode(hex::decode(&item.sha256).map_err(|e| ApiError::internal(anyhow::anyhow!("bad digest: {e}")))?);
    precondition(req, &item.sha256)?;
    if etag_matches(req, &item.sha256) {
        return Ok(not_modified(&item.sha256));
    }
    let key = BlobKey::parse(&item.sha256).ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad blob key")))?;
    let handoff = store.handoff(&key);
    let Some(source) = source else {
        return Err(ApiError::internal(anyhow::anyhow!("blob {} is missing from the store", item.sha256)));
    };
    let mime = served_type(item.media_type.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM));
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(item.filename.clone())],
    };
    let part = part_asked(req, &item.sha256, source.size());
    let mut resp = match (source, handoff) {
        // The proxy in front sends the file (sendfile, ranges and all) on an internal redirect;
        // the headers below travel with this answer (the proxy's location copies them).
        (BlobSource::File { .. }, Some(uri)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, mime.to_string()))
            .insert_header((header::CONTENT_DISPOSITION, disposition))
            .insert_header((header::HeaderName::from_static("x-accel-redirect"), uri))
            .finish(),
        (BlobSource::File { file, size }, None) => {
            let threaded_above = store.threaded_reads_above().unwrap_or(u64::MAX);
            sized_response(req, size, part, mime, disposition, |start, len| {
                file_chunks(file, start, len, len > threaded_above)
            })
        }
        (BlobSource::Remote(remote), _) => {
            let size = remote.size;
            sized_response(req, size, part, mime, disposition, |start, len| remote.stream(Some(start..start + len)))
        }
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", item.sha256)) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("sha-256=:{digest_b64}:")) {
        h.insert(header::HeaderName::from_static("repr-digest"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("sha-256={digest_b64}")) {
        h.insert(header::HeaderName::from_static("digest"), v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(resp)
}

/// The answer for `part` of `size` bytes from any source: 200 with all of them, 206 with the one
/// range (`Content-Range`), or 416; the body from `body(start, length)`, sent with its length.
/// A HEAD request gets the headers alone.
fn sized_response<S, E>(
    req: &HttpRequest,
    size: u64,
    part: Part,
    mime: mime::Mime,
    cd: ContentDisposition,
    body: impl FnOnce(u64, u64) -> S,
) -> HttpResponse
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + 'static,
    E: Into<Box<dyn std::error::Error>> + 'static,
{
    let mut builder = match part {
        Part::Unsatisfiable => {
            let mut res = crate::error::problem_response(
                actix_web::http::StatusCode::RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                format!("Range: the range asked for lies beyond the end; these bytes are {size} long"),
                vec![],
            );
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            res.headers_mut().insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return res;
        }
        Part::Bytes(..) => HttpResponse::PartialContent(),
        Part::Whole => HttpResponse::Ok(),
    };
    builder
        .insert_header((header::CONTENT_TYPE, mime.to_string()))
        .insert_header((header::CONTENT_DISPOSITION, cd))
        .insert_header((header::ACCEPT_RANGES, "bytes"));
    let (start, length) = match part {
        Part::Bytes(start, end) => {
            builder.insert_header((header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}")));
            (start, end + 1 - start)
        }
        _ => (0, size),
    };
    if req.method() == actix_web::http::Method::HEAD || length == 0 {
        return builder.no_chunking(length).finish();
    }
    builder.no_chunking(length).streaming(body(start, length))
}

/// The media type a download is sent with: UTF-8 named for the text types (as actix-files'
/// `prefer_utf8` does), so every way a file leaves says the same.
fn served_type(m: mime::Mime) -> mime::Mime {
    match m {
        m if m == mime::TEXT_PLAIN => mime::TEXT_PLAIN_UTF_8,
        m if m == mime::TEXT_HTML => mime::TEXT_HTML_UTF_8,
        m if m == mime::TEXT_CSV => mime::TEXT_CSV_UTF_8,
        m if m == mime::TEXT_CSS => mime::TEXT_CSS_UTF_8,
        m if m == mime::TEXT_TAB_SEPARATED_VALUES => mime::TEXT_TAB_SEPARATED_VALUES_UTF_8,
        m if m == mime::APPLICATION_JAVASCRIPT => mime::APPLICATION_JAVASCRIPT_UTF_8,
        m => m,
    }
}

/// Responses up to this size are read in [`SMALL_FILE_CHUNK`]s, larger ones in
/// [`LARGE_FILE_CHUNK`]s.
const SMALL_FILE_MAX: u64 = 2 * 1024 * 1024;
/// What one read (and one socket write) of a small response carries. In 64 KiB chunks (what
/// actix-files reads) each chunk became its own `send`; in 256 KiB chunks the audited 1 MB download
/// ran ~10 % faster (wrk 2x32: 1,541-1,627 against 1,321-1,450 req/s, same runs), 512 KiB gave the
/// same and 1 MiB less (allocations that large are mapped and faulted in anew each time).
const SMALL_FILE_CHUNK: u64 = 256 * 1024;
/// Chunks of larger responses: 64 concurrent downloads of a 50 MB file hold at most a few each
/// (bench section 2 measures own memory); 20 MB went out at 0.92-0.97x of nginx this way.
const LARGE_FILE_CHUNK: u64 = 64 * 1024;

/// One chunk of `want` bytes from where `file` stands, without zeroing the buffer first; a file
/// that ends early is an error, never a short chunk.
fn read_chunk(mut file: std::fs::File, want: u64) -> (std::fs::File, std::io::Result<bytes::Bytes>) {
    use std::io::Read;
    let mut buf = Vec::with_capacity(want as usize);
    let read = match (&mut file).take(want).read_to_end(&mut buf) {
        Ok(n) if n as u64 == want => Ok(bytes::Bytes::from(buf)),
        Ok(_) => Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the blob is shorter than recorded")),
        Err(e) => Err(e),
    };
    (file, read)
}

/// `length` bytes of a local file from `start`, chunk by chunk: read on the worker from the page
/// cache (a thread-pool hop per chunk cost more than the read: 20 MB at 0.66x of nginx with hops,
/// 0.92-0.97x without), or on the blocking pool when `threaded` (`PORTAL_THREADED_READS_ABOVE`,
/// for slow disks). A file shorter than its recorded size ends the stream with an error rather
/// than a short body.
fn file_chunks(
    file: std::fs::File,
    start: u64,
    length: u64,
    threaded: bool,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + 'static {
    use std::io::Seek;
    let chunk = if length <= SMALL_FILE_MAX { SMALL_FILE_CHUNK } else { LARGE_FILE_CHUNK };
    let mut file = file;
    let opened = if start > 0 { file.seek(std::io::SeekFrom::Start(start)).map(|_| file) } else { Ok(file) };
    futures_util::stream::unfold((Some(opened), length), move |(file, left)| async move {
        if left == 0 {
            return None;
        }
        let file = match file? {
            Ok(file) => file,
            Err(e) => return Some((Err(e), (None, 0))),
        };
        let want = left.min(chunk);
        let (file, read) = if threaded {
            match actix_web::web::block(move || read_chunk(file, want)).await {
                Ok(done) => done,
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), (None, 0))),
            }
        } else {
            read_chunk(file, want)
        };
        let left = if read.is_ok() { left - want } else { 0 };
        Some((read, (Some(Ok(file)), left)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use futures_util::StreamExt;

    async fn collect(
        file: std::fs::File,
        start: u64,
        len: u64,
        threaded: bool,
    ) -> Vec<Result<bytes::Bytes, std::io::Error>> {
        file_chunks(file, start, len, threaded).collect().await
    }

    #[actix_web::test]
    async fn files_go_out_in_chunks_from_where_asked_and_a_short_one_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blob");
        let bytes: Vec<u8> = (0..(SMALL_FILE_CHUNK as usize + 1000)).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let open = || std::fs::File::open(&path).unwrap();

        for threaded in [false, true] {
            let chunks = collect(open(), 0, bytes.len() as u64, threaded).await;
            let sizes: Vec<usize> = chunks.iter().map(|c| c.as_ref().unwrap().len()).collect();
            assert_eq!(sizes, [SMALL_FILE_CHUNK as usize, 1000]);
            assert_eq!(chunks.into_iter().flat_map(|c| c.unwrap()).collect::<Vec<u8>>(), bytes);
            // A range: its bytes exactly, read from its start.
            let part = collect(open(), 300, 5000, threaded).await;
            assert_eq!(part.into_iter().flat_map(|c| c.unwrap()).collect::<Vec<u8>>(), bytes[300..5300]);
        }
        // Recorded larger than it is (a truncated blob): the body ends in an error, never short.
        let chunks = collect(open(), 0, bytes.len() as u64 + 10, false).await;
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].as_ref().unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
        assert!(collect(open(), 0, 0, false).await.is_empty());
    }

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn with(headers: &[(&str, &str)]) -> HttpRequest {
        headers.iter().fold(TestRequest::get(), |r, (k, v)| r.insert_header((*k, *v))).to_http_request()
    }

    #[test]
    fn if_match_must_name_these_bytes() {
        let ours = format!("\"{SHA}\"");
        let ok: [&[(&str, &str)]; 3] = [&[], &[("if-match", "*")], &[("if-match", ours.as_str())]];
        for headers in ok {
            assert!(precondition(&with(headers), SHA).is_ok(), "{headers:?}");
        }
        let several = format!("\"other\", {ours}");
        assert!(precondition(&with(&[("if-match", several.as_str())]), SHA).is_ok());
        let weak = format!("W/{ours}");
        for refused in ["\"other\"", weak.as_str(), "not a tag"] {
            let e = precondition(&with(&[("if-match", refused)]), SHA).unwrap_err();
            assert!(matches!(e, ApiError::PreconditionFailed(_)), "{refused}: {e:?}");
        }
    }

    #[test]
    fn one_range_of_these_bytes_or_the_whole() {
        let ours = format!("\"{SHA}\"");
        assert_eq!(part_asked(&with(&[]), SHA, 100), Part::Whole);
        assert_eq!(part_asked(&with(&[("range", "bytes=10-19")]), SHA, 100), Part::Bytes(10, 19));
        assert_eq!(part_asked(&with(&[("range", "bytes=-10")]), SHA, 100), Part::Bytes(90, 99));
        assert_eq!(part_asked(&with(&[("range", "bytes=90-")]), SHA, 100), Part::Bytes(90, 99));
        assert_eq!(part_asked(&with(&[("range", "bytes=100-")]), SHA, 100), Part::Unsatisfiable);
        assert_eq!(part_asked(&with(&[("range", "bytes=0-1,5-6")]), SHA, 100), Part::Whole);
        assert_eq!(part_asked(&with(&[("range", "lines=1-2")]), SHA, 100), Part::Whole);
        // If-Range: the range only for these very bytes.
        assert_eq!(
            part_asked(&with(&[("range", "bytes=10-19"), ("if-range", ours.as_str())]), SHA, 100),
            Part::Bytes(10, 19)
        );
        assert_eq!(part_asked(&with(&[("range", "bytes=10-19"), ("if-range", "\"other\"")]), SHA, 100), Part::Whole);
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(part_asked(&with(&[("range", "bytes=10-19"), ("if-range", date)]), SHA, 100), Part::Whole);
    }

    #[test]
    fn text_types_say_utf8_and_others_stay_as_they_are() {
        assert_eq!(served_type(mime::TEXT_PLAIN).to_string(), "text/plain; charset=utf-8");
        assert_eq!(served_type(mime::TEXT_CSV).to_string(), "text/csv; charset=utf-8");
        assert_eq!(served_type(mime::APPLICATION_JSON), mime::APPLICATION_JSON);
        let cdx: mime::Mime = "application/vnd.cyclonedx+json".parse().unwrap();
        assert_eq!(served_type(cdx.clone()), cdx);
    }
}
