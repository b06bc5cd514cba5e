use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{BlobBackend, BlobKey, BlobSource, BlobWriter, Spool, StoredBlob};

/// Blobs under `<root>/sha256/<aa>/<bb>/<hex>`, temp files under `<root>/tmp`.
/// Temp files older than this are left over from a crash, not an upload in progress.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    root: PathBuf,
    /// The URI prefix under which the reverse proxy in front serves this directory to internal
    /// redirects only (`PORTAL_ACCEL_REDIRECT`, nginx `X-Accel-Redirect`).
    handoff: Option<String>,
    /// Files larger than this are read on the blocking pool (`PORTAL_THREADED_READS_ABOVE`).
    threaded_reads_above: Option<u64>,
}

impl LocalBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        fs::create_dir_all(root.join("tmp"))?;
        fs::create_dir_all(root.join("sha256"))?;
        let store = Self { root, handoff: None, threaded_reads_above: None };
        let removed = store.remove_stale_temp_files(STALE_TEMP_AGE);
        if removed > 0 {
            tracing::info!("removed {removed} temp file(s) left in the blob store by interrupted uploads");
        }
        Ok(store)
    }

    /// Deletes temp files older than `age`: uploads interrupted by a crash. Younger ones may
    /// belong to another replica's upload in progress on a shared volume, so they stay.
    pub fn remove_stale_temp_files(&self, age: std::time::Duration) -> usize {
        super::remove_old_files(&self.root.join("tmp"), age)
    }

    /// Lets the reverse proxy in front send the bytes (see [`BlobBackend::handoff`]): it serves
    /// this directory under `prefix` to internal redirects only.
    pub fn handing_off_to(mut self, prefix: Option<String>) -> Self {
        self.handoff = prefix;
        self
    }

    /// Reads files larger than `bytes` on the blocking pool (see [`BlobBackend::threaded_reads_above`]).
    pub fn reading_on_threads_above(mut self, bytes: Option<u64>) -> Self {
        self.threaded_reads_above = bytes;
        self
    }

    /// `sha256/<aa>/<bb>/<hex>`: where a blob lives, relative to the root.
    fn relative(key: &BlobKey) -> String {
        let h = key.as_str();
        format!("sha256/{}/{}/{h}", &h[0..2], &h[2..4])
    }

    fn path_of(&self, key: &BlobKey) -> PathBuf {
        self.root.join(Self::relative(key))
    }
}

struct LocalWriter {
    store: LocalBlobStore,
    spool: Spool,
}

impl BlobWriter for LocalWriter {
    fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.spool.write(chunk)
    }

    fn written(&self) -> u64 {
        self.spool.written()
    }

    fn finish(mut self: Box<Self>) -> io::Result<StoredBlob> {
        // The temp file stays the spool's (removed on drop) until it has been renamed into place,
        // so a failure on any step below leaves no partial file behind.
        self.spool.file_mut()?.sync_all()?;
        let (sha256, sha512, size) = self.spool.digest();
        let key = BlobKey::parse(&sha256).ok_or_else(|| io::Error::other("bad digest"))?;
        let dest = self.store.path_of(&key);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        // When the same content is already stored (the key proves it identical), the spool's drop
        // removes the temp file.
        if !dest.exists() {
            fs::rename(&self.spool.path, &dest)?;
            self.spool.keep(); // the temp file is the blob now
            if let Some(dir) = dest.parent() {
                sync_dir(dir)?;
            }
        } else {
            // Stored again: young again, so garbage collection's grace period covers the
            // transaction about to reference it.
            OpenOptions::new().write(true).open(&dest)?.set_modified(std::time::SystemTime::now())?;
        }
        Ok(StoredBlob { key, sha512, size })
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

impl BlobBackend for LocalBlobStore {
    fn threaded_reads_above(&self) -> Option<u64> {
        self.threaded_reads_above
    }

    fn handoff(&self, key: &BlobKey) -> Option<String> {
        self.handoff.as_ref().map(|prefix| format!("{prefix}{}", Self::relative(key)))
    }

    fn begin(&self) -> io::Result<Box<dyn BlobWriter>> {
        let spool = Spool::create(self.root.join("tmp").join(format!("{}.part", uuid::Uuid::new_v4())))?;
        Ok(Box::new(LocalWriter { store: self.clone(), spool }))
    }

    fn open(&self, key: &BlobKey) -> io::Result<Option<BlobSource>> {
        let path = self.path_of(key);
        match File::open(&path) {
            Ok(file) => {
                let size = file.metadata()?.len();
                Ok(Some(BlobSource::File { file, size }))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn list(&self) -> io::Result<Vec<(BlobKey, std::time::SystemTime, u64)>> {
        let mut out = Vec::new();
        for a in fs::read_dir(self.root.join("sha256"))?.flatten() {
            for b in fs::read_dir(a.path())?.flatten() {
                for f in fs::read_dir(b.path())?.flatten() {
                    let name = f.file_name();
                    let (Some(key), Ok(meta)) = (name.to_str().and_then(BlobKey::parse), f.metadata()) else {
                        continue;
                    };
                    out.push((key, meta.modified()?, meta.len()));
                }
            }
        }
        Ok(out)
    }

    fn remove(&self, key: &BlobKey) -> io::Result<bool> {
        match fs::remove_file(self.path_of(key)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn remove_stale_temp(&self, age: std::time::Duration) -> usize {
        self.remove_stale_temp_files(age)
    }

    fn check_writable(&self) -> io::Result<()> {
        let probe = self.root.join("tmp").join(format!(".probe-{}", uuid::Uuid::new_v4()));
        let mut f = OpenOptions::new().write(true).create_new(true).open(&probe)?;
        let res = f.write_all(b"ok").and_then(|_| f.sync_all());
        let _ = fs::remove_file(&probe);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temp_files_are_removed_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::new(dir.path()).unwrap();
        fs::write(dir.path().join("tmp").join("upload-1"), b"half").unwrap();
        assert_eq!(store.remove_stale_temp_files(std::time::Duration::from_secs(3600)), 0, "fresh: kept");
        assert_eq!(store.remove_stale_temp_files(std::time::Duration::ZERO), 1);
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn storing_again_makes_a_blob_young_and_gc_sees_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::new(dir.path()).unwrap();
        let put = |b: &[u8]| {
            let mut w = store.begin().unwrap();
            w.write(b).unwrap();
            w.finish().unwrap()
        };
        let blob = put(b"same bytes");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7 * 24 * 3600);
        OpenOptions::new().write(true).open(store.path_of(&blob.key)).unwrap().set_modified(old).unwrap();
        assert_eq!(store.list().unwrap()[0].1, old);
        put(b"same bytes");
        let listed = store.list().unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].1.elapsed().unwrap() < std::time::Duration::from_secs(60), "young again");
        assert!(store.remove(&blob.key).unwrap());
        assert!(!store.remove(&blob.key).unwrap(), "already gone");
        assert!(store.list().unwrap().is_empty());
    }

    #[test]
    fn writes_are_content_addressed_and_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::new(dir.path()).unwrap();
        let mut w = store.begin().unwrap();
        w.write(b"hello ").unwrap();
        w.write(b"world").unwrap();
        let blob = w.finish().unwrap();
        assert_eq!(blob.key.as_str(), "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assert_eq!(blob.size, 11);
        let mut again = store.begin().unwrap();
        again.write(b"hello world").unwrap();
        assert_eq!(again.finish().unwrap().key, blob.key);
        match store.open(&blob.key).unwrap() {
            Some(BlobSource::File { size, .. }) => assert_eq!(size, 11),
            _ => panic!("blob missing"),
        }
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn a_failed_finish_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::new(dir.path()).unwrap();
        // The content-addressed tree cannot take the blob: the rename into place fails.
        fs::remove_dir(dir.path().join("sha256")).unwrap();
        fs::write(dir.path().join("sha256"), b"not a directory").unwrap();
        let mut w = store.begin().unwrap();
        w.write(b"never stored").unwrap();
        assert!(w.finish().is_err());
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn abandoned_writes_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::new(dir.path()).unwrap();
        let mut w = store.begin().unwrap();
        w.write(b"partial").unwrap();
        drop(w);
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        assert!(store.open(&BlobKey::parse(&"0".repeat(64)).unwrap()).unwrap().is_none());
    }
}
