//! The connection pool: a connection manager that picks the backend from the
//! URL, and `Db::run`, which keeps diesel off the async workers.

use super::write::Together;
use super::{Backend, DbConnection, DbError, counting};
use crate::config::{DatabaseSettings, SqliteSynchronous};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use std::sync::Arc;
use std::time::Duration;

/// Picks the backend from the URL scheme so that a failure reports its real
/// cause; diesel's derived `establish` tries each backend and hides it.
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
    synchronous: SqliteSynchronous,
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
                // durable against a process crash in WAL mode, FULL also against
                // power loss (see docs/security.md, Reliability).
                let synchronous = match self.synchronous {
                    SqliteSynchronous::Normal => "NORMAL",
                    SqliteSynchronous::Full => "FULL",
                };
                // No memory map: every pooled connection remapped the growing
                // file after checkpoints, and the unmapping (with a TLB
                // shootdown on every core) cost 10 % of the write rate, while
                // it saved 4 % of the time of aggregating 100,000 submissions.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = 5000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = {synchronous};
                     PRAGMA foreign_keys = ON;
                     PRAGMA mmap_size = 0;"
                ))
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
        // A SQLite connection is an open file that cannot go stale, and the
        // check cost a statement on every checkout (a dozen per journey).
        if matches!(conn, DbConnection::Sqlite(_)) {
            return Ok(());
        }
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection left in a failed transaction (the server went away in the
    /// middle of one) is discarded rather than returned to the pool.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type DbPooled = PooledConnection<Manager>;

/// The pool, shared by every request; each call runs on a blocking thread.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    /// The longest any one `run` may take before the caller gets `Unavailable`;
    /// getting its connection has the pool's own, shorter limit.
    deadline: Duration,
    pub(super) together: Arc<Together>,
    /// PostgreSQL only: where the cache listener opens its own connection.
    pub(super) listen_url: Option<String>,
    pub(super) stats: DbStats,
}

/// What the pool and the group commit measure for `/metrics` (shared by
/// every clone of one `Db`).
#[derive(Clone)]
pub struct DbStats {
    pub pool_wait: Histogram,
    pub commit_batch: Histogram,
}

impl Default for DbStats {
    fn default() -> Self {
        Self {
            // 0.1 ms to about 3 s.
            pool_wait: Histogram::new(exponential_buckets(0.0001, 2.0, 15)),
            // 1 to 64 writes (TOGETHER_MAX).
            commit_batch: Histogram::new(exponential_buckets(1.0, 2.0, 7)),
        }
    }
}

impl Db {
    pub fn open(settings: &DatabaseSettings) -> Result<Self, DbError> {
        Self::connect(
            &settings.url,
            settings.pool_size,
            Duration::from_secs(settings.connect_timeout_secs),
            Duration::from_secs(settings.statement_timeout_secs),
            settings.sqlite_synchronous,
        )
    }

    pub(super) fn connect(
        url: &str,
        size: u32,
        timeout: Duration,
        deadline: Duration,
        synchronous: SqliteSynchronous,
    ) -> Result<Self, DbError> {
        let backend = Backend::from_url(url)
            .ok_or_else(|| DbError::Unavailable("unsupported database URL scheme".to_string()))?;
        let url = match backend {
            Backend::Postgres => with_libpq_timeouts(url, timeout),
            Backend::Sqlite => url.to_string(),
        };
        let listen_url = (backend == Backend::Postgres).then(|| url.clone());
        let manager = Manager {
            url,
            backend,
            synchronous,
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
        Ok(Self {
            pool,
            backend,
            deadline,
            together: Arc::default(),
            listen_url,
            stats: DbStats::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn stats(&self) -> &DbStats {
        &self.stats
    }

    /// Pooled connections: (open, idle).
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// A connection for synchronous callers (command line, start-up).
    pub fn get(&self) -> Result<DbPooled, DbError> {
        self.pool
            .get()
            .map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// Runs `f` on a blocking thread with a pooled connection, so no diesel call
    /// ever blocks the async workers.
    ///
    /// Two limits keep a database that stops answering from hanging requests
    /// (a partitioned or frozen server keeps its sockets open and silent):
    /// getting a connection, including the check of an idle one, takes at most
    /// the pool's wait plus a second; the whole call at most `deadline`. Past
    /// either the caller gets `Unavailable` and the thread is left to finish or
    /// fail on its own.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.run_within(self.deadline, f).await
    }

    /// `run` for the few calls whose work grows with a round's size
    /// (computing or publishing a report of 100,000 submissions takes tens of
    /// seconds): they get `deadline` instead of the statement timeout.
    pub async fn run_within<T, E, F>(&self, deadline: Duration, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let (checked_out, connected) = tokio::sync::oneshot::channel::<()>();
        let started = std::time::Instant::now();
        let counter = counting::current();
        let waits = self.stats.pool_wait.clone();
        let task = actix_web::rt::task::spawn_blocking(move || {
            let asked = std::time::Instant::now();
            let mut conn = pool
                .get()
                .map_err(|e| DbError::Unavailable(e.to_string()))?;
            waits.observe(asked.elapsed().as_secs_f64());
            let _ = checked_out.send(());
            let _counting = counting::lend(counter);
            f(&mut conn)
        });
        let checkout_limit = self.pool.connection_timeout() + Duration::from_secs(1);
        // An Err here means the checkout failed: the task is already ending with
        // r2d2's own error, awaited below.
        if actix_web::rt::time::timeout(checkout_limit, connected)
            .await
            .is_err()
        {
            return Err(DbError::Unavailable(format!(
                "no database connection within {} s",
                checkout_limit.as_secs()
            ))
            .into());
        }
        let left = deadline.saturating_sub(started.elapsed());
        match actix_web::rt::time::timeout(left, task).await {
            Ok(joined) => {
                joined.map_err(|e| DbError::Unavailable(format!("blocking task failed: {e}")))?
            }
            Err(_) => Err(DbError::Unavailable(format!(
                "the database did not answer within {} s",
                deadline.as_secs()
            ))
            .into()),
        }
    }

    /// Whether the database answers a trivial statement (the health check).
    pub async fn ping(&self) -> Result<(), DbError> {
        use diesel::connection::SimpleConnection;
        self.run(|conn| conn.batch_execute("SELECT 1").map_err(DbError::from))
            .await
    }

    /// `query` for a closure that writes a little. On SQLite it is committed
    /// together with the other writes waiting (`commit_together`): on its
    /// own it would wait for the write lock in SQLite's busy handler, which
    /// sleeps. On PostgreSQL it runs as it is.
    pub async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        self.query(move |c| match c {
            DbConnection::Postgresql(_) => f(c),
            DbConnection::Sqlite(_) => db.commit_together(c, f),
        })
        .await
    }

    /// `run` for a closure that only queries (its errors are diesel's).
    pub async fn query<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |c| f(c).map_err(DbError::from)).await
    }
}

/// libpq waits for an unanswered connection attempt for as long as the
/// operating system does (minutes), and a query whose server vanished (a
/// partition, a host that lost power) waits on its socket for ever. The
/// connection attempt is bounded by the pool's own timeout, and TCP keepalives
/// end a dead connection within about 30 s, freeing the thread that waited on
/// it. Parameters already in the URL win.
fn with_libpq_timeouts(url: &str, timeout: Duration) -> String {
    // libpq's minimum connect_timeout is 2 s; below that it silently uses 2.
    let connect = timeout.as_secs().max(2).to_string();
    let mut url = url.to_string();
    for (key, value) in [
        ("connect_timeout", connect.as_str()),
        ("keepalives", "1"),
        ("keepalives_idle", "15"),
        ("keepalives_interval", "5"),
        ("keepalives_count", "3"),
    ] {
        if url.contains(&format!("{key}=")) {
            continue;
        }
        let separator = if url.contains('?') { '&' } else { '?' };
        url = format!("{url}{separator}{key}={value}");
    }
    url
}

/// PostgreSQL settings under which an acknowledged commit could be lost,
/// which would break the promise a receipt makes (see docs/security.md, Reliability).
pub fn unsafe_commit_settings(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        setting: String,
    }
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(vec![]);
    };
    let settings: Vec<Setting> = diesel::sql_query(
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')",
    )
    .load(pg)?;
    Ok(settings
        .into_iter()
        // `local`, `remote_write`, `remote_apply` all flush the local WAL first.
        .filter(|s| s.setting == "off")
        .map(|s| format!("{} = {}", s.name, s.setting))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_timeouts_are_added_unless_the_url_sets_them() {
        let url = with_libpq_timeouts("postgres://u@h/db", Duration::from_secs(5));
        assert_eq!(
            url,
            "postgres://u@h/db?connect_timeout=5&keepalives=1&keepalives_idle=15\
             &keepalives_interval=5&keepalives_count=3"
        );
        let url = with_libpq_timeouts(
            "postgres://u@h/db?connect_timeout=9&keepalives_idle=60",
            Duration::from_secs(1),
        );
        assert!(url.starts_with("postgres://u@h/db?connect_timeout=9&keepalives_idle=60&"));
        assert!(!url.contains("connect_timeout=2") && !url.contains("keepalives_idle=15"));
    }
}
