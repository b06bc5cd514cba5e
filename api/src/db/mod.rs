//! Database access: one `MultiConnection` over SQLite and Postgres behind an r2d2 pool,
//! embedded migrations per backend, and `run` to execute diesel work off the actix workers.

pub mod aggregate;
pub mod group;
pub mod schema;
pub mod subquery;
pub mod text_enum;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::{self, Backend};
use crate::error::{ApiError, ApiResult};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Any key works as long as every replica uses the same one.
const MIGRATION_LOCK_KEY: i64 = 0x5350_4D49_4752; // "SPMIGR"

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgres(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Opens connections of the backend the URL's scheme names (never by trial: SQLite accepts any string).
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

impl ConnectionManager {
    pub fn new(url: &str) -> Result<Self, String> {
        Ok(Self { backend: config::backend_of(url)?, url: url.to_string() })
    }

    pub fn establish(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Postgres),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(config::sqlite_path(&self.url))?;
                // WAL lets readers run beside the writer; foreign keys are off by default in SQLite;
                // the busy timeout makes concurrent writers wait instead of failing at once; a memory
                // map and a 16 MB page cache per connection keep large logs off the syscall path.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    /// A connection left inside a transaction (a handler panicked mid-way) or with a broken
    /// transaction manager is dropped instead of going back to the pool.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::connection::TransactionManager;
        let status = <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn);
        !matches!(status.transaction_depth(), Ok(None))
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Builds the pool. Connections are checked on checkout so a database restart heals by itself.
pub fn build_pool(url: &str, max_size: u32) -> anyhow::Result<Pool> {
    let manager = ConnectionManager::new(url).map_err(anyhow::Error::msg)?;
    if manager.backend == Backend::Sqlite {
        let path = std::path::Path::new(config::sqlite_path(url));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .test_on_check_out(true)
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(manager);
    Ok(pool)
}

/// Applies pending migrations. On Postgres under an advisory lock, on SQLite in one IMMEDIATE
/// transaction (each migration a savepoint), so processes starting together take turns; the
/// second finds nothing pending.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConnection::Sqlite(_) => transaction(conn, |c| {
            let DbConnection::Sqlite(c) = c else { unreachable!("backend cannot change") };
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect())
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("migration failed: {e}")))
        })
        .map_err(|e| match e {
            ApiError::Internal(cause) => cause,
            other => anyhow::anyhow!("migration failed: {other}"),
        })?,
        DbConnection::Postgres(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let result =
                c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect());
            let unlock = c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"));
            let applied = result.map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
            unlock?;
            applied
        }
    };
    Ok(applied)
}

/// Keeps SQLite's query-planner statistics current (Postgres' autovacuum does this itself). Without
/// them SQLite walks an organisation's whole artifact index to find a version's few artifacts;
/// measured on a 45,000-artifact catalogue, 74 ms against 0.2 ms. `full`: analyse now (at start,
/// bounded by `analysis_limit`); otherwise `PRAGMA optimize`, which re-analyses only what changed.
pub fn refresh_statistics(conn: &mut DbConnection, full: bool) -> diesel::QueryResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute(if full { "PRAGMA analysis_limit = 400; ANALYZE;" } else { "PRAGMA optimize;" })?;
    }
    Ok(())
}

/// Analyses every table now, on either backend (bulk loads: the generator of `make bench`).
/// Postgres' autovacuum analyses on its own schedule, which a load of millions of rows in minutes
/// outruns: planned as if the tables were still empty, each insert's lookups went from index
/// probes to scans and the load slowed down quadratically.
pub fn analyze_now(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("PRAGMA analysis_limit = 400; ANALYZE;"),
        DbConnection::Postgres(c) => c.batch_execute("ANALYZE"),
    }
}

/// Reverts every applied migration (used by `migrate --down-all` and the migration test).
pub fn revert_all_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let n = match conn {
        DbConnection::Sqlite(c) => {
            c.revert_all_migrations(SQLITE_MIGRATIONS).map_err(|e| anyhow::anyhow!("{e}"))?.len()
        }
        DbConnection::Postgres(c) => {
            c.revert_all_migrations(POSTGRES_MIGRATIONS).map_err(|e| anyhow::anyhow!("{e}"))?.len()
        }
    };
    Ok(n)
}

pub fn has_pending_migrations(conn: &mut DbConnection) -> anyhow::Result<bool> {
    Ok(match conn {
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS).map_err(|e| anyhow::anyhow!("{e}"))?,
        DbConnection::Postgres(c) => {
            c.has_pending_migration(POSTGRES_MIGRATIONS).map_err(|e| anyhow::anyhow!("{e}"))?
        }
    })
}

/// Multi-row INSERT on the concrete backend (MultiConnection has no batch insert).
#[macro_export]
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut n = 0usize;
        for chunk in $rows.chunks(500) {
            n += match $conn {
                $crate::db::DbConnection::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c)?,
                $crate::db::DbConnection::Postgres(c) => diesel::insert_into($table).values(chunk).execute(c)?,
            };
        }
        n
    }};
}

/// Runs diesel work on the blocking pool with a pooled connection; never on an actix worker.
pub async fn run<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Like [`run`] but inside a transaction (on SQLite an IMMEDIATE one, so concurrent writers queue
/// on the busy timeout instead of failing with SQLITE_BUSY on lock upgrade).
pub async fn tx<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| {
        if conn.backend() == Backend::Sqlite {
            let _turn = SQLITE_WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            transaction(conn, f)
        } else {
            transaction(conn, f)
        }
    })
    .await
}

/// SQLite has one writer at a time. This process's write transactions take turns here instead of
/// polling SQLite's lock in the busy handler's growing sleeps, which under concurrent downloads
/// (each writes its audit event) put the p99 in the hundreds of milliseconds. Other processes on
/// the same file still wait on the busy timeout.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs a single autocommit write in this process's SQLite writer turn (see [`tx`]). Must not be
/// called from inside [`tx`], which already holds the turn.
pub fn write_turn<T>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> ApiResult<T>) -> ApiResult<T> {
    if conn.backend() == Backend::Sqlite {
        let _turn = SQLITE_WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(conn)
    } else {
        f(conn)
    }
}

pub fn transaction<T, F>(conn: &mut DbConnection, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match conn {
        DbConnection::Sqlite(inner) => {
            // Through diesel's own transaction manager (the MultiConnection delegates its state to
            // the inner connection), so nested `transaction` calls become savepoints.
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(v) => {
                    let DbConnection::Sqlite(inner) = conn else { unreachable!("backend cannot change") };
                    if let Err(e) = AnsiTransactionManager::commit_transaction(inner) {
                        let _ = AnsiTransactionManager::rollback_transaction(inner);
                        return Err(e.into());
                    }
                    Ok(v)
                }
                Err(e) => {
                    if let DbConnection::Sqlite(inner) = conn {
                        let _ = AnsiTransactionManager::rollback_transaction(inner);
                    }
                    Err(e)
                }
            }
        }
        DbConnection::Postgres(_) => conn.transaction(|c| f(c)),
    }
}

/// Runs the same diesel statement on the backend's own connection, for the parts of the DSL the
/// multi-connection backend does not carry (upserts: `on_conflict().do_update()`,
/// `on_conflict_do_nothing()`). `$body` is written once and type-checked for each backend; no
/// SQL text is involved. This is the one place where code branches on the backend.
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
    // Row locks: Postgres takes them (`FOR UPDATE SKIP LOCKED`); SQLite has one writer, whose
    // IMMEDIATE transaction already excludes every other.
    ($conn:expr, pg: |$p:ident| $pg:expr, sqlite: |$s:ident| $sq:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($p) => $pg,
            $crate::db::DbConnection::Sqlite($s) => $sq,
        }
    };
}
