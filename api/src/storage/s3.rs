//! Blobs on S3-compatible object storage (`PORTAL_BLOB_URL=s3://bucket[/prefix]?endpoint=…`)
//! through the `object_store` crate, so replicas share them without a shared file system.
//!
//! The same content addressing: an upload is hashed into a local temp file as it arrives, then
//! stored under `<prefix>/sha256/<hex>` (one PUT up to 8 MiB, multipart above, read from the temp
//! file in parts: never whole in memory), and only then referenced by a row. Storing content that
//! is already there stores it again, which makes it young again for garbage collection. Reads
//! stream the object (or a byte range) in chunks through a bounded channel.
//!
//! `object_store` is async; the [`BlobBackend`] trait is called from blocking threads, so the
//! store owns a small runtime of its own and every call runs there.

use std::fs::{self, File};
use std::io::{self, Read};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload, WriteMultipart};

use super::{BlobBackend, BlobKey, BlobSource, BlobWriter, Spool, StoredBlob};

/// Uploads up to this size go in one PUT; larger ones in parts of this size.
const PART: usize = 8 * 1024 * 1024;
/// Chunks in flight between the object store and a reader (each at most
/// [`super::s3_http::READ_BUFFER`] through that client; reqwest's, behind a proxy, may be larger).
const READ_AHEAD: usize = 2;

/// Where blobs live in a bucket, and how to reach it.
#[derive(Debug, Clone)]
pub struct S3Location {
    pub bucket: String,
    pub prefix: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub allow_http: bool,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<secrecy::SecretString>,
}

impl S3Location {
    /// Parses `s3://bucket[/prefix][?endpoint=URL&region=R&allow_http=true]`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let u = url::Url::parse(url).map_err(|e| format!("`{url}` is not a URL ({e})"))?;
        if u.scheme() != "s3" {
            return Err(format!("`{url}`: only s3:// URLs (or a local directory: leave it unset)"));
        }
        let bucket = u.host_str().filter(|b| !b.is_empty()).ok_or("the bucket is missing (s3://bucket/…)")?;
        let mut loc = S3Location {
            bucket: bucket.to_string(),
            prefix: u.path().trim_matches('/').to_string(),
            endpoint: None,
            region: "us-east-1".into(),
            allow_http: false,
            access_key_id: None,
            secret_access_key: None,
        };
        for (k, v) in u.query_pairs() {
            match k.as_ref() {
                "endpoint" => loc.endpoint = Some(v.into_owned()),
                "region" => loc.region = v.into_owned(),
                "allow_http" => loc.allow_http = v == "true",
                other => return Err(format!("unknown parameter `{other}` (endpoint, region, allow_http)")),
            }
        }
        Ok(loc)
    }

    fn display(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.prefix)
    }
}

struct Inner {
    store: Arc<dyn ObjectStore>,
    rt: tokio::runtime::Handle,
    _owner: Rt,
    prefix: String,
    temp: PathBuf,
    label: String,
}

/// The store's own runtime; shut down in the background when the store goes (dropping a runtime
/// from async code would panic).
struct Rt(Option<tokio::runtime::Runtime>);

impl Drop for Rt {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

#[derive(Clone)]
pub struct S3BlobStore(Arc<Inner>);

fn err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

impl S3BlobStore {
    /// `temp`: a local directory for uploads being hashed.
    pub fn new(loc: &S3Location, temp: PathBuf) -> io::Result<Self> {
        fs::create_dir_all(&temp)?;
        // Credentials and the rest from the usual AWS_* variables; the URL and PORTAL_S3_* win.
        let mut b = AmazonS3Builder::from_env()
            .with_http_connector(super::s3_http::Connector)
            .with_bucket_name(&loc.bucket)
            .with_region(&loc.region)
            .with_allow_http(loc.allow_http);
        if let Some(e) = &loc.endpoint {
            b = b.with_endpoint(e);
        }
        if let (Some(id), Some(secret)) = (&loc.access_key_id, &loc.secret_access_key) {
            b = b.with_access_key_id(id).with_secret_access_key(secrecy::ExposeSecret::expose_secret(secret));
        }
        let store = b.build().map_err(err)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("blob-s3")
            .enable_all()
            .build()?;
        Ok(S3BlobStore(Arc::new(Inner {
            store: Arc::new(store),
            rt: rt.handle().clone(),
            _owner: Rt(Some(rt)),
            prefix: loc.prefix.clone(),
            temp,
            label: loc.display(),
        })))
    }

    fn path_of(&self, key: &BlobKey) -> ObjectPath {
        self.path(&format!("sha256/{}", key.as_str()))
    }

    fn path(&self, rest: &str) -> ObjectPath {
        if self.0.prefix.is_empty() {
            ObjectPath::from(rest)
        } else {
            ObjectPath::from(format!("{}/{rest}", self.0.prefix))
        }
    }

    /// Stores the temp file's bytes under `key` (one PUT, or multipart from the file in parts).
    fn upload(&self, key: &BlobKey, file: &mut File, size: u64) -> io::Result<()> {
        use std::io::Seek;
        file.seek(io::SeekFrom::Start(0))?;
        let path = self.path_of(key);
        let store = self.0.store.clone();
        self.0.rt.block_on(async move {
            if size as usize <= PART {
                let mut buf = Vec::with_capacity(size as usize);
                file.read_to_end(&mut buf)?;
                store.put(&path, PutPayload::from(buf)).await.map_err(err)?;
                return Ok(());
            }
            let upload = store.put_multipart(&path).await.map_err(err)?;
            let mut w = WriteMultipart::new_with_chunk_size(upload, PART);
            let mut buf = vec![0u8; 1024 * 1024];
            loop {
                let n = file.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                w.write(&buf[..n]);
                w.wait_for_capacity(2).await.map_err(err)?;
            }
            w.finish().await.map_err(err)?;
            Ok(())
        })
    }
}

/// An object being read: its size, and chunks on demand.
#[derive(Clone)]
pub struct RemoteBlob {
    store: S3BlobStore,
    path: ObjectPath,
    pub size: u64,
}

impl RemoteBlob {
    /// The bytes in `range` (all when None) as a stream of chunks, fetched by the store's runtime
    /// into a bounded channel: at most a few chunks are held, whatever the object's size.
    pub fn stream(&self, range: Option<Range<u64>>) -> impl futures_util::Stream<Item = io::Result<Bytes>> + 'static {
        let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<Bytes>>(READ_AHEAD);
        let (store, path) = (self.store.0.store.clone(), self.path.clone());
        self.store.0.rt.spawn(async move {
            let opts = GetOptions { range: range.map(GetRange::Bounded), ..Default::default() };
            let mut body = match store.get_opts(&path, opts).await {
                Ok(r) => r.into_stream(),
                Err(e) => {
                    let _ = tx.send(Err(err(e))).await;
                    return;
                }
            };
            while let Some(chunk) = body.next().await {
                if tx.send(chunk.map_err(err)).await.is_err() {
                    return; // the reader is gone
                }
            }
        });
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) })
    }

    /// The whole object as a blocking reader (for validation, signing, archives).
    pub fn reader(&self) -> Box<dyn Read + Send> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<io::Result<Bytes>>(READ_AHEAD);
        let mut stream = Box::pin(self.stream(None));
        self.store.0.rt.spawn(async move {
            while let Some(c) = stream.next().await {
                if tx.send(c).is_err() {
                    return;
                }
            }
        });
        Box::new(ChannelReader { rx, current: Bytes::new() })
    }
}

struct ChannelReader {
    rx: std::sync::mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.recv() {
                Ok(chunk) => self.current = chunk?,
                Err(_) => return Ok(0), // the stream ended
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

struct S3Writer {
    store: S3BlobStore,
    spool: Spool,
}

impl BlobWriter for S3Writer {
    fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.spool.write(chunk)
    }

    fn written(&self) -> u64 {
        self.spool.written()
    }

    fn finish(mut self: Box<Self>) -> io::Result<StoredBlob> {
        let (sha256, sha512, size) = self.spool.digest();
        let key = BlobKey::parse(&sha256).ok_or_else(|| io::Error::other("bad digest"))?;
        let store = self.store.clone();
        // The temp file goes with the spool, stored or not.
        store
            .upload(&key, self.spool.file_mut()?, size)
            .map_err(|e| io::Error::other(format!("storing in {}: {e}", store.0.label)))?;
        Ok(StoredBlob { key, sha512, size })
    }
}

impl BlobBackend for S3BlobStore {
    fn begin(&self) -> io::Result<Box<dyn BlobWriter>> {
        let spool = Spool::create(self.0.temp.join(format!("{}.part", uuid::Uuid::new_v4())))?;
        Ok(Box::new(S3Writer { store: self.clone(), spool }))
    }

    fn open(&self, key: &BlobKey) -> io::Result<Option<BlobSource>> {
        let path = self.path_of(key);
        let store = self.0.store.clone();
        let head = self.0.rt.block_on({
            let path = path.clone();
            async move { store.head(&path).await }
        });
        match head {
            Ok(meta) => Ok(Some(BlobSource::Remote(RemoteBlob { store: self.clone(), path, size: meta.size }))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(err(e)),
        }
    }

    fn check_writable(&self) -> io::Result<()> {
        let path = self.path(&format!("probe/{}", uuid::Uuid::new_v4()));
        let store = self.0.store.clone();
        self.0.rt.block_on(async move {
            store.put(&path, PutPayload::from_static(b"ok")).await.map_err(err)?;
            store.delete(&path).await.map_err(err)
        })
    }

    fn list(&self) -> io::Result<Vec<(BlobKey, std::time::SystemTime, u64)>> {
        let prefix = self.path("sha256");
        let store = self.0.store.clone();
        let metas: Vec<object_store::ObjectMeta> =
            self.0.rt.block_on(async move { store.list(Some(&prefix)).try_collect().await }).map_err(err)?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let key = m.location.filename().and_then(BlobKey::parse)?;
                Some((key, std::time::SystemTime::from(m.last_modified), m.size))
            })
            .collect())
    }

    fn remove(&self, key: &BlobKey) -> io::Result<bool> {
        let path = self.path_of(key);
        let store = self.0.store.clone();
        self.0.rt.block_on(async move {
            match store.head(&path).await {
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(err(e)),
                Ok(_) => store.delete(&path).await.map(|_| true).map_err(err),
            }
        })
    }

    fn remove_stale_temp(&self, age: std::time::Duration) -> usize {
        super::remove_old_files(&self.0.temp, age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_bucket_prefix_and_endpoint() {
        let l = S3Location::parse("s3://evidence/portal/blobs?endpoint=http://127.0.0.1:9000&allow_http=true").unwrap();
        assert_eq!((l.bucket.as_str(), l.prefix.as_str()), ("evidence", "portal/blobs"));
        assert_eq!(l.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert!(l.allow_http);
        assert!(S3Location::parse("s3:///x").is_err());
        assert!(S3Location::parse("s3://b?bogus=1").is_err());
        assert!(S3Location::parse("file:///tmp").is_err());
    }

    #[test]
    fn plain_http_without_allow_http_fails_at_once_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let mut loc = S3Location::parse("s3://evidence/blobs?endpoint=http://127.0.0.1:9").unwrap();
        loc.access_key_id = Some("k".into());
        loc.secret_access_key = Some("s".to_string().into());
        let store = S3BlobStore::new(&loc, dir.path().join("tmp")).unwrap();
        let started = std::time::Instant::now();
        let err = store.check_writable().unwrap_err().to_string();
        assert!(err.contains("plain http is not allowed"), "{err}");
        // Not retried with backoff as if the store were down.
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "{:?}", started.elapsed());
    }
}
