//! One query code over SQLite (embedded default) and PostgreSQL (production),
//! chosen at run time from the URL scheme.

pub mod counting;
pub mod ids;
pub mod schema;

use crate::config::{DatabaseSettings, SqliteSynchronous};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::sync::Arc;
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

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "`polyphony backup` copies SQLite databases; on PostgreSQL use pg_dump: \
         pg_dump --no-owner --file=polyphony.sql \"$POLYPHONY__DATABASE__URL\" \
         (restore into an empty database with \
         psql --set ON_ERROR_STOP=1 --single-transaction --file=polyphony.sql NEW_DATABASE_URL)"
    )]
    Postgres,
    #[error("{0} already exists; choose a new file name")]
    Exists(std::path::PathBuf),
    #[error("{0} is not a valid UTF-8 path")]
    Path(std::path::PathBuf),
    #[error(transparent)]
    Db(#[from] DbError),
}

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
                // power loss (see README, Reliability).
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
    together: Arc<Together>,
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

    fn connect(
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
        })
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
        let task = actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .map_err(|e| DbError::Unavailable(e.to_string()))?;
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

    /// `run` for a closure that only queries (its errors are diesel's).
    pub async fn query<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |c| f(c).map_err(DbError::from)).await
    }

    /// Writes a consistent copy of a SQLite database to `target` while the
    /// application keeps serving (`VACUUM INTO` reads one snapshot). PostgreSQL
    /// has its own tool for this, pg_dump.
    pub fn backup(&self, target: &std::path::Path) -> Result<(), BackupError> {
        if self.backend != Backend::Sqlite {
            return Err(BackupError::Postgres);
        }
        if target.exists() {
            return Err(BackupError::Exists(target.to_path_buf()));
        }
        let path = target
            .to_str()
            .ok_or_else(|| BackupError::Path(target.to_path_buf()))?;
        let mut conn = self.get()?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(path)
            .execute(&mut *conn)
            .map_err(DbError::from)?;
        Ok(())
    }

    /// Runs `f` in a write transaction of its own on PostgreSQL. On SQLite,
    /// the writes of callers that arrive together are committed together:
    /// whoever takes the lead runs every waiting `f` in one transaction, each
    /// in a savepoint of its own (one failing leaves the others' writes), and
    /// each caller gets its result once the whole transaction is committed.
    /// One commit of many submissions writes each shared page to the WAL once
    /// instead of once per submission.
    pub fn commit_together<T, E, F>(&self, conn: &mut DbConnection, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<diesel::result::Error> + Send + 'static,
    {
        // Inside a write already (a nested call), or where every transaction
        // writes on its own: as it is.
        if matches!(conn, DbConnection::Postgresql(_)) || WRITING.get() {
            return write_transaction(conn, f);
        }
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<T, E>>(1);
        let aborted = sender.clone();
        self.together.lock_queue().push(Job {
            run: Box::new(move |c| {
                let result = c.transaction(f);
                Box::new(move |failed| {
                    let _ = sender.send(match failed {
                        None => result,
                        Some(message) => Err(unknown_error(message).into()),
                    });
                })
            }),
            abort: Box::new(move |message| {
                let _ = aborted.send(Err(unknown_error(message).into()));
            }),
        });
        self.together.lead(conn);
        receiver
            .recv()
            .unwrap_or_else(|_| Err(unknown_error("the write was lost".into()).into()))
    }

    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.get()?;
        run_migrations(&mut conn)
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
/// which would break the promise a receipt makes (see README, Reliability).
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

/// Writes waiting to be committed together (`Db::commit_together`).
#[derive(Default)]
struct Together {
    queue: std::sync::Mutex<Vec<Job>>,
    lead: std::sync::Mutex<()>,
}

/// One caller's write: `run` runs it and returns how to answer the caller
/// once the commit has succeeded (None) or failed; `abort` answers a caller
/// whose write never ran.
struct Job {
    run: Box<dyn FnOnce(&mut DbConnection) -> Answer + Send>,
    abort: Box<dyn FnOnce(String) + Send>,
}

/// Answers a caller with its result, or with why the commit failed.
type Answer = Box<dyn FnOnce(Option<String>) + Send>;

/// The most writes one transaction commits, so a leader's own wait stays short.
const TOGETHER_MAX: usize = 64;

impl Together {
    fn lock_queue(&self) -> std::sync::MutexGuard<'_, Vec<Job>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Commits what is waiting, if another leader has not already.
    fn lead(&self, conn: &mut DbConnection) {
        let _lead = self.lead.lock().unwrap_or_else(|e| e.into_inner());
        let jobs: Vec<Job> = {
            let mut queue = self.lock_queue();
            let n = queue.len().min(TOGETHER_MAX);
            queue.drain(..n).collect()
        };
        if jobs.is_empty() {
            return;
        }
        let (mut runs, aborts): (Vec<_>, Vec<_>) =
            jobs.into_iter().map(|job| (job.run, job.abort)).unzip();
        let mut answers = Vec::with_capacity(runs.len());
        let committed = write_transaction(conn, |c| {
            answers.extend(runs.drain(..).map(|run| run(c)));
            Ok::<_, diesel::result::Error>(())
        });
        match committed {
            Ok(()) => answers.into_iter().for_each(|answer| answer(None)),
            // The transaction did not even begin (SQLite busy): nothing ran.
            Err(e) if answers.is_empty() => {
                let message = e.to_string();
                aborts.into_iter().for_each(|abort| abort(message.clone()));
            }
            Err(e) => {
                let message = e.to_string();
                answers
                    .into_iter()
                    .for_each(|answer| answer(Some(message.clone())));
            }
        }
    }
}

/// A database error carrying `message`, which `AppError` maps as it would
/// the original (SQLite's "database is locked" becomes a 503).
fn unknown_error(message: String) -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(message),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writers arriving while another commits are committed together, on
    /// the leader's thread, and each gets its own result: a write that fails
    /// leaves no trace and does not undo the others.
    #[test]
    fn concurrent_writes_are_committed_together_each_with_its_own_result() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}/t.sqlite3", dir.path().display());
        let db = Db::connect(
            &url,
            10,
            Duration::from_secs(5),
            Duration::from_secs(30),
            SqliteSynchronous::Normal,
        )?;
        db.get()?.batch_execute(
            "CREATE TABLE throttle (hits INTEGER); CREATE TABLE t (n INTEGER UNIQUE)",
        )?;
        let insert = |c: &mut DbConnection, n: i32| {
            diesel::sql_query("INSERT INTO t (n) VALUES (?)")
                .bind::<diesel::sql_types::Integer, _>(n)
                .execute(c)
        };
        // All eight meet once the first holds the lead.
        let first_is_writing = Arc::new(std::sync::Barrier::new(8));
        let mut callers = Vec::new();
        for n in 0..8 {
            let (db, first_is_writing) = (db.clone(), first_is_writing.clone());
            callers.push(std::thread::spawn(move || -> anyhow::Result<_> {
                if n > 0 {
                    first_is_writing.wait();
                }
                let caller = std::thread::current().id();
                let mut conn = db.get()?;
                let outcome = db.commit_together(&mut conn, move |c| {
                    insert(c, if n == 7 { 0 } else { n })?;
                    if n == 0 {
                        // Holds the lead while the others queue up.
                        first_is_writing.wait();
                        std::thread::sleep(Duration::from_millis(300));
                    }
                    if n == 3 {
                        return Err(diesel::result::Error::RollbackTransaction);
                    }
                    Ok(std::thread::current().id() != caller)
                });
                Ok((n, outcome))
            }));
        }
        let mut run_by_another = 0;
        for caller in callers {
            let (n, outcome) = caller.join().map_err(|_| anyhow::anyhow!("panicked"))??;
            match n {
                3 => assert!(matches!(
                    outcome,
                    Err(diesel::result::Error::RollbackTransaction)
                )),
                7 => assert!(matches!(
                    outcome,
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _
                    ))
                )),
                _ => run_by_another += usize::from(outcome?),
            }
        }
        assert!(
            run_by_another > 0,
            "no write was committed by another caller"
        );
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            n: i32,
        }
        let stored: Vec<i32> = diesel::sql_query("SELECT n FROM t ORDER BY n")
            .load::<N>(&mut *db.get()?)?
            .into_iter()
            .map(|r| r.n)
            .collect();
        assert_eq!(stored, vec![0, 1, 2, 4, 5, 6]);
        Ok(())
    }

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
