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

/// Runs a job in its savepoint; answers how to tell its caller once the batch's outcome is known.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Completion + Send>;
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;

#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    leading: bool,
}

/// The group-commit queue of one pool (one per [`crate::state::AppState`]).
#[derive(Clone)]
pub struct GroupCommit {
    pool: Pool,
    queue: Arc<Mutex<Queue>>,
}

impl GroupCommit {
    pub fn new(pool: Pool) -> Self {
        GroupCommit { pool, queue: Arc::new(Mutex::new(Queue::default())) }
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
            Box::new(move |committed: Result<(), String>| {
                let _ = tx.send(match committed {
                    Ok(()) => outcome,
                    Err(e) => {
                        Err(ApiError::internal(anyhow::anyhow!("the batch holding this write failed to commit: {e}")))
                    }
                });
            })
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
        let run = |c: &mut DbConnection, done: &mut Vec<Completion>| -> ApiResult<()> {
            for job in batch {
                done.push(job(c));
            }
            Ok(())
        };
        let committed = if conn.backend() == Backend::Sqlite {
            let _turn = SQLITE_WRITER.lock().unwrap_or_else(|p| p.into_inner());
            transaction(&mut conn, |c| run(c, &mut done))
        } else {
            transaction(&mut conn, |c| run(c, &mut done))
        };
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
}
