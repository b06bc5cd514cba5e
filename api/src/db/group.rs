//! Group commit: short write transactions that arrive together — a download's token use and audit
//! event, a portal read's token use — commit as one database transaction, each in a savepoint of
//! its own, so a busy portal pays one commit and one writer turn per batch instead of one per
//! request. On SQLite (one writer at a time) that saves a WAL append per request; on Postgres a
//! commit's flush (measured, bench REPORT §3: with it, 533 product reads/s and 160 audited 1 MB
//! downloads/s; with a transaction per request, 410 and 141).
//!
//! A caller gets its answer only after the batch committed: "the event is recorded before the first
//! byte leaves" still holds. A job that fails rolls back its own savepoint and answers its own
//! error; the others commit. When the commit itself fails, every job of the batch answers an error.
//!
//! Leader/follower, with no thread of its own: the first caller to find no batch running becomes
//! the leader and commits, on a blocking thread, whatever is queued, until the queue is empty;
//! callers arriving meanwhile only queue and wait. Hand-written because diesel has no group
//! commit and the scheme is a queue and a flag.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use diesel::connection::TransactionManager;
use diesel::Connection;
use tokio::sync::oneshot;

use super::{transaction, DbConnection, Pool, SQLITE_WRITER};
use crate::config::Backend;
use crate::error::{ApiError, ApiResult};

/// The most jobs one transaction commits (a bound on how long a batch holds the writer turn).
const MAX_BATCH: usize = 64;

/// Runs a job in its savepoint; answers whether the savepoint was released (the job's writes
/// kept) and how to tell its caller once the batch's outcome is known.
type Job = Box<dyn FnOnce(&mut DbConnection) -> (bool, Completion) + Send>;
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;

#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    leading: bool,
}

/// Work the jobs of a batch leave for its end, done once for all of them just before the batch
/// commits, in its transaction (the audit rollups: [`crate::audit::rollups::Batched`]). Whoever
/// records that work finds the batch on the leader's thread, between [`BatchTail::open`] and
/// [`BatchTail::close`].
pub trait BatchTail: Send + Sync + 'static {
    /// A batch starts on this thread.
    fn open(&self);
    /// A job of the batch ended: `kept` when its savepoint was released, not rolled back.
    fn job_ended(&self, kept: bool);
    /// Writes what the batch's kept jobs left, inside the batch's transaction; a failure fails
    /// the batch.
    fn close(&self, conn: &mut DbConnection) -> ApiResult<()>;
    /// The batch is over, whatever happened: forget anything still left.
    fn discard(&self);
}

/// The group-commit queue of one pool (one per [`crate::state::AppState`]).
#[derive(Clone)]
pub struct GroupCommit {
    pool: Pool,
    queue: Arc<Mutex<Queue>>,
    tail: Option<Arc<dyn BatchTail>>,
}

impl GroupCommit {
    pub fn new(pool: Pool) -> Self {
        GroupCommit { pool, queue: Arc::new(Mutex::new(Queue::default())), tail: None }
    }

    /// The same, with `tail` run at the end of every batch.
    pub fn with_tail(pool: Pool, tail: impl BatchTail) -> Self {
        GroupCommit { tail: Some(Arc::new(tail)), ..GroupCommit::new(pool) }
    }

    /// Runs `f` in a savepoint of the next batch's transaction; answers its result once that
    /// transaction committed.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<ApiResult<T>>();
        let job: Job = Box::new(move |conn| {
            let outcome = match std::panic::catch_unwind(AssertUnwindSafe(|| conn.transaction::<T, ApiError, _>(f))) {
                Ok(outcome) => outcome,
                Err(_) => {
                    // The job's savepoint is still open: roll it back so the batch goes on.
                    let undone = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
                    tracing::error!(rolled_back = undone.is_ok(), "a group-committed write panicked");
                    Err(ApiError::internal(anyhow::anyhow!("the write panicked")))
                }
            };
            let kept = outcome.is_ok();
            let tell: Completion = Box::new(move |committed: Result<(), String>| {
                let _ = tx.send(match committed {
                    Ok(()) => outcome,
                    Err(e) => {
                        Err(ApiError::internal(anyhow::anyhow!("the batch holding this write failed to commit: {e}")))
                    }
                });
            });
            (kept, tell)
        });
        let lead = {
            let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            q.jobs.push(job);
            !std::mem::replace(&mut q.leading, true)
        };
        if lead {
            let me = self.clone();
            // The leader's own answer arrives through `rx` like everyone else's; a failure to
            // start (no blocking thread, no connection) is answered to everyone queued.
            actix_web::rt::spawn(async move {
                let result = actix_web::web::block(move || me.lead()).await;
                if let Err(e) = result {
                    tracing::error!(error = %e, "group commit leader did not run");
                }
            });
        }
        rx.await.map_err(|_| ApiError::internal(anyhow::anyhow!("the group commit dropped a write")))?
    }

    /// Commits batches until the queue is empty, then steps down. Should anything here panic
    /// regardless, the guard steps down too and drops what is queued (an error, not a hang).
    fn lead(&self) {
        struct StepDown<'a>(&'a Mutex<Queue>);
        impl Drop for StepDown<'_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    let mut q = self.0.lock().unwrap_or_else(|p| p.into_inner());
                    q.jobs.clear();
                    q.leading = false;
                }
            }
        }
        let _guard = StepDown(&self.queue);
        loop {
            let batch: Vec<Job> = {
                let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
                if q.jobs.is_empty() {
                    q.leading = false;
                    return;
                }
                let n = q.jobs.len().min(MAX_BATCH);
                q.jobs.drain(..n).collect()
            };
            self.commit(batch);
        }
    }

    fn commit(&self, batch: Vec<Job>) {
        let mut conn = match self.pool.get() {
            Ok(c) => c,
            Err(e) => {
                // Dropping the jobs unrun tells each caller that its write did not happen.
                tracing::error!(error = %e, jobs = batch.len(), "group commit: no database connection");
                return;
            }
        };
        let mut done: Vec<Completion> = Vec::with_capacity(batch.len());
        let tail = self.tail.as_deref();
        // Whatever happens below, even a panic, the tail forgets the batch: its thread goes back
        // to the blocking pool, where other writes must not find a batch open.
        struct Forget<'a>(Option<&'a dyn BatchTail>);
        impl Drop for Forget<'_> {
            fn drop(&mut self) {
                if let Some(t) = self.0 {
                    t.discard();
                }
            }
        }
        let forget = Forget(tail);
        let run = |c: &mut DbConnection, done: &mut Vec<Completion>| -> ApiResult<()> {
            if let Some(t) = tail {
                t.open();
            }
            for job in batch {
                let (kept, tell) = job(c);
                if let Some(t) = tail {
                    t.job_ended(kept);
                }
                done.push(tell);
            }
            match tail {
                Some(t) => t.close(c),
                None => Ok(()),
            }
        };
        let committed = if conn.backend() == Backend::Sqlite {
            let _turn = SQLITE_WRITER.lock().unwrap_or_else(|p| p.into_inner());
            transaction(&mut conn, |c| run(c, &mut done))
        } else {
            transaction(&mut conn, |c| run(c, &mut done))
        };
        drop(forget);
        let committed = committed.map_err(|e| e.to_string());
        for tell in done {
            tell(committed.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;

    fn insert(c: &mut DbConnection, v: i64) -> ApiResult<i64> {
        diesel::sql_query(format!("INSERT INTO t (v) VALUES ({v})")).execute(c)?;
        Ok(v)
    }

    fn count(pool: &Pool) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM t").get_result::<N>(&mut pool.get().unwrap()).unwrap().n
    }

    #[actix_web::test]
    async fn each_write_answers_for_itself_after_its_batch_committed() {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::build_pool(&format!("sqlite://{}/g.db", dir.path().display()), 4).unwrap();
        diesel::sql_query("CREATE TABLE t (v INTEGER PRIMARY KEY)").execute(&mut pool.get().unwrap()).unwrap();
        let g = GroupCommit::new(pool.clone());
        // 200 writes at once: one refuses, one fails in the database (a duplicate key); the
        // other 198 commit, and each caller gets its own answer.
        let writes = (0..200i64).map(|i| {
            let g = g.clone();
            async move {
                g.write(move |c| match i {
                    7 => Err(ApiError::Conflict("refused".into())),
                    8 => insert(c, 9).and_then(|_| insert(c, 9)),
                    _ => insert(c, i),
                })
                .await
            }
        });
        let results = futures_util::future::join_all(writes).await;
        for (i, r) in results.iter().enumerate() {
            match i {
                7 => assert!(matches!(r, Err(ApiError::Conflict(_)))),
                // Its first insert was rolled back with its savepoint, so 9 itself went in.
                8 => assert!(r.is_err()),
                _ => assert_eq!(r.as_ref().ok(), Some(&(i as i64))),
            }
        }
        assert_eq!(count(&pool), 198);
        // A write that panics answers an error to its caller (its savepoint rolled back); the
        // queue and the connection stay usable.
        let panicked = g.write(|_| -> ApiResult<()> { panic!("job panics") }).await;
        assert!(panicked.is_err());
        assert_eq!(g.write(|c| insert(c, 1000)).await.unwrap(), 1000);
        assert_eq!(count(&pool), 199);
    }

    /// Counts what the batches' jobs kept; refuses to close when told to.
    #[derive(Default)]
    struct Tally {
        kept: std::sync::atomic::AtomicUsize,
        dropped: std::sync::atomic::AtomicUsize,
        open: std::sync::atomic::AtomicBool,
        refuse: std::sync::atomic::AtomicBool,
    }

    impl BatchTail for Arc<Tally> {
        fn open(&self) {
            assert!(!self.open.swap(true, std::sync::atomic::Ordering::SeqCst), "a batch opened twice");
        }
        fn job_ended(&self, kept: bool) {
            let n = if kept { &self.kept } else { &self.dropped };
            n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        fn close(&self, c: &mut DbConnection) -> ApiResult<()> {
            if self.refuse.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(ApiError::internal(anyhow::anyhow!("tail refused")));
            }
            let n = count_in(c);
            insert(c, -1 - n).map(|_| ())
        }
        fn discard(&self) {
            self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn count_in(c: &mut DbConnection) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM t").get_result::<N>(c).unwrap().n
    }

    #[actix_web::test]
    async fn the_tail_closes_each_batch_with_what_its_kept_jobs_left() {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::build_pool(&format!("sqlite://{}/g.db", dir.path().display()), 4).unwrap();
        diesel::sql_query("CREATE TABLE t (v INTEGER PRIMARY KEY)").execute(&mut pool.get().unwrap()).unwrap();
        let tally = Arc::new(Tally::default());
        let g = GroupCommit::with_tail(pool.clone(), tally.clone());
        let writes = (0..100i64).map(|i| {
            let g = g.clone();
            async move {
                g.write(move |c| if i % 10 == 3 { Err(ApiError::Conflict("no".into())) } else { insert(c, i) }).await
            }
        });
        let results = futures_util::future::join_all(writes).await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 90);
        assert_eq!(tally.kept.load(std::sync::atomic::Ordering::SeqCst), 90);
        assert_eq!(tally.dropped.load(std::sync::atomic::Ordering::SeqCst), 10);
        assert!(!tally.open.load(std::sync::atomic::Ordering::SeqCst), "every batch was forgotten");
        // Each batch's close wrote one row of its own, in its transaction.
        let rows = count(&pool);
        assert!(rows > 90, "{rows}");
        // A tail that fails its close fails the whole batch: nothing of it commits.
        tally.refuse.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(g.write(|c| insert(c, 5000)).await.is_err());
        assert_eq!(count(&pool), rows);
        assert!(!tally.open.load(std::sync::atomic::Ordering::SeqCst));
    }
}
