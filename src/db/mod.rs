//! One query code over SQLite (embedded default) and PostgreSQL (production),
//! chosen at run time from the URL scheme.

pub mod counting;
pub mod ids;
pub mod schema;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::time::Duration;

pub use ids::*;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs the same diesel expression on whichever backend `conn` is, for the few
/// statements MultiConnection cannot compile (upserts, multi-row inserts).
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgresql");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite://") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
}

/// Picks the backend from the URL scheme so that a failure reports its real
/// cause; diesel's derived `establish` tries each backend and hides it.
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl Manager {
    fn sqlite_path(&self) -> &str {
        self.url.trim_start_matches("sqlite://")
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(self.sqlite_path())
                    .map_err(r2d2::Error::ConnectionError)?;
                // busy_timeout first: pooled connections opening together would
                // otherwise hit SQLITE_BUSY while switching to WAL. NORMAL is
                // durable against a process crash in WAL mode (see README).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                conn.set_instrumentation(counting::StatementCounter);
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&self.url)
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(counting::StatementCounter);
                Ok(DbConnection::Postgresql(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type DbPooled = PooledConnection<Manager>;

/// The pool, shared by every request; each call runs on a blocking thread.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
}

impl Db {
    pub fn connect(url: &str, size: u32, timeout: Duration) -> Result<Self, DbError> {
        let backend = Backend::from_url(url)
            .ok_or_else(|| DbError::Unavailable("unsupported database URL scheme".to_string()))?;
        let manager = Manager {
            url: url.to_string(),
            backend,
        };
        if backend == Backend::Sqlite
            && let Some(dir) = std::path::Path::new(manager.sqlite_path()).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                DbError::Unavailable(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        // Checking the first connection at build time turns a wrong URL or password
        // into a clear start-up error instead of a first failing request.
        manager
            .connect()
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(timeout)
            // A round trip per checkout (~0.1 ms on PostgreSQL) replaces connections the
            // server dropped, so a restarted database is used again without a restart.
            .test_on_check_out(true)
            .build_unchecked(manager);
        Ok(Self { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection for synchronous callers (command line, start-up).
    pub fn get(&self) -> Result<DbPooled, DbError> {
        self.pool
            .get()
            .map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// Runs `f` on a blocking thread with a pooled connection, so no diesel call
    /// ever blocks the async workers.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let counter = counting::current();
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .map_err(|e| DbError::Unavailable(e.to_string()))?;
            let _counting = counting::lend(counter);
            f(&mut conn)
        })
        .await
        .map_err(|e| DbError::Unavailable(format!("blocking task failed: {e}")))?
    }

    /// `run` for a closure that only queries (its errors are diesel's).
    pub async fn query<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |c| f(c).map_err(DbError::from)).await
    }

    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.get()?;
        run_migrations(&mut conn)
    }
}

pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    let names = |v: Vec<diesel::migration::MigrationVersion>| {
        v.iter().map(|v| v.to_string()).collect::<Vec<_>>()
    };
    match conn {
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(names)
            .map_err(fail),
        DbConnection::Postgresql(c) => {
            // Several instances may start at once on one PostgreSQL: one migrates,
            // the others wait and then find nothing pending.
            c.batch_execute("SELECT pg_advisory_lock(7310401)")?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(names)
                .map_err(fail);
            c.batch_execute("SELECT pg_advisory_unlock(7310401)")?;
            result
        }
    }
}

/// A transaction that will write. On SQLite it takes the write lock at its
/// first statement (as BEGIN IMMEDIATE would), so reading first and writing
/// later can never fail to upgrade with "database is locked" under
/// concurrency; on PostgreSQL it is an ordinary transaction.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let _turn = match conn {
        DbConnection::Sqlite(_) => SqliteWriter::take(),
        DbConnection::Postgresql(_) => None,
    };
    conn.transaction(|c| {
        if let DbConnection::Sqlite(s) = c {
            s.batch_execute("UPDATE throttle SET hits = hits WHERE 0")?;
        }
        f(c)
    })
}

/// SQLite has one writer at a time. Waiting for its lock inside SQLite means
/// sleeping in the busy handler (1, 2, 5 … 100 ms), which under contention
/// leaves the database idle most of the time; queueing the writers of this
/// process on a mutex hands the lock over in microseconds instead. The
/// thread-local flag lets a write transaction nest inside another.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    static WRITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

struct SqliteWriter {
    _guard: std::sync::MutexGuard<'static, ()>,
}

impl SqliteWriter {
    fn take() -> Option<Self> {
        if WRITING.get() {
            return None;
        }
        let guard = SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner());
        WRITING.set(true);
        Some(Self { _guard: guard })
    }
}

impl Drop for SqliteWriter {
    fn drop(&mut self) {
        WRITING.set(false);
    }
}

/// The current time as stored: UTC, without zone, truncated to microseconds
/// (what PostgreSQL keeps), so a value read back equals the value written.
pub fn to_db_time(t: time::OffsetDateTime) -> time::PrimitiveDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    let micros = t.microsecond();
    let t = t.replace_nanosecond(micros * 1000).unwrap_or(t);
    time::PrimitiveDateTime::new(t.date(), t.time())
}

pub fn from_db_time(t: time::PrimitiveDateTime) -> time::OffsetDateTime {
    t.assume_utc()
}
