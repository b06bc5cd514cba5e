//! Content-addressed blob store: a blob's key is the SHA-256 of its bytes. Writes go to a temp
//! file that is fsynced and renamed into place, so a crash never leaves a half blob under a real
//! key. The [`BlobBackend`] trait keeps the rest of the code independent of where bytes live
//! (local directory: `local.rs`; S3-compatible object storage: `s3.rs`).

mod local;
mod s3;
mod s3_http;

use std::fmt;
use std::io;
use std::sync::Arc;

use sha2::{Digest, Sha256, Sha512};

pub use local::LocalBlobStore;
pub use s3::{RemoteBlob, S3BlobStore, S3Location};

/// A SHA-256 hex digest naming a blob.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobKey(String);

impl BlobKey {
    pub fn parse(hex: &str) -> Option<Self> {
        (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| BlobKey(hex.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a finished write produced.
#[derive(Debug, Clone)]
pub struct StoredBlob {
    pub key: BlobKey,
    pub sha512: String,
    pub size: u64,
}

/// An open write: bytes are hashed as they arrive.
pub trait BlobWriter: Send {
    fn write(&mut self, chunk: &[u8]) -> io::Result<()>;
    /// Makes the blob durable under its content key; identical content already stored is kept.
    fn finish(self: Box<Self>) -> io::Result<StoredBlob>;
    /// Bytes written so far.
    fn written(&self) -> u64;
}

/// Where the bytes of a blob can be read from.
pub enum BlobSource {
    /// A local file, opened, and its size.
    File { file: std::fs::File, size: u64 },
    /// An object in object storage: streamed in chunks (ranges fetched as ranges).
    Remote(RemoteBlob),
}

impl BlobSource {
    pub fn size(&self) -> u64 {
        match self {
            BlobSource::File { size, .. } => *size,
            BlobSource::Remote(r) => r.size,
        }
    }

    /// The whole blob as a blocking reader (call from a blocking thread).
    pub fn into_reader(self) -> Box<dyn io::Read + Send> {
        match self {
            BlobSource::File { file, .. } => Box::new(file),
            BlobSource::Remote(r) => r.reader(),
        }
    }
}

pub trait BlobBackend: Send + Sync {
    fn begin(&self) -> io::Result<Box<dyn BlobWriter>>;
    fn open(&self, key: &BlobKey) -> io::Result<Option<BlobSource>>;
    /// Proves the store can take writes now (readiness probe).
    fn check_writable(&self) -> io::Result<()>;
    /// Every stored blob and when it was last written (stored or re-stored), for garbage collection.
    fn list(&self) -> io::Result<Vec<(BlobKey, std::time::SystemTime, u64)>>;
    /// Removes a blob; `false` when it was not there (another replica may have removed it).
    fn remove(&self, key: &BlobKey) -> io::Result<bool>;
    /// Removes what interrupted writes left behind, older than `age`; how many.
    fn remove_stale_temp(&self, age: std::time::Duration) -> usize;
    /// The URI the reverse proxy in front serves this blob under to an internal redirect
    /// (`X-Accel-Redirect`), when the store was set up for it: the proxy then sends the bytes
    /// with `sendfile`, after the portal has checked the reader and recorded the delivery.
    fn handoff(&self, _key: &BlobKey) -> Option<String> {
        None
    }
    /// Downloads of local files whose response (the file, or the range asked for) is larger than
    /// this are read on the blocking pool rather than on the worker that sends them; None: all on
    /// the worker (they come from the page cache). `PORTAL_THREADED_READS_ABOVE`.
    fn threaded_reads_above(&self) -> Option<u64> {
        None
    }
}

pub type BlobStore = Arc<dyn BlobBackend>;

/// Hashes bytes the way the store does (SHA-256 and SHA-512 in one pass).
#[derive(Default, Clone)]
pub struct Hasher {
    sha256: Sha256,
    sha512: Sha512,
    size: u64,
}

impl Hasher {
    pub fn update(&mut self, chunk: &[u8]) {
        self.sha256.update(chunk);
        self.sha512.update(chunk);
        self.size += chunk.len() as u64;
    }
    pub fn size(&self) -> u64 {
        self.size
    }
    pub fn finish(self) -> (String, String, u64) {
        (hex::encode(self.sha256.finalize()), hex::encode(self.sha512.finalize()), self.size)
    }
}

/// An upload being hashed into a temp file, by either backend. The file is removed when the spool
/// is dropped, unless [`Spool::keep`] says it became the blob (an abandoned or failed write leaves
/// nothing behind).
pub(crate) struct Spool {
    pub path: std::path::PathBuf,
    file: Option<std::fs::File>,
    hasher: Hasher,
}

impl Spool {
    pub fn create(path: std::path::PathBuf) -> io::Result<Spool> {
        let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        Ok(Spool { path, file: Some(file), hasher: Hasher::default() })
    }

    pub fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        io::Write::write_all(self.file_mut()?, chunk)?;
        self.hasher.update(chunk);
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.hasher.size()
    }

    pub fn file_mut(&mut self) -> io::Result<&mut std::fs::File> {
        self.file.as_mut().ok_or_else(|| io::Error::other("blob writer already finished"))
    }

    /// SHA-256, SHA-512 and size of what was written.
    pub fn digest(&mut self) -> (String, String, u64) {
        std::mem::take(&mut self.hasher).finish()
    }

    /// The temp file is the blob now: not removed on drop.
    pub fn keep(&mut self) {
        self.file = None;
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Removes the files in `dir` older than `age` (temp files of uploads a crash interrupted); how
/// many. Younger ones may be another replica's upload in progress, so they stay.
pub(crate) fn remove_old_files(dir: &std::path::Path, age: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .filter(|e| {
            e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok()).is_some_and(|a| a >= age)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}
