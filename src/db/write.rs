//! Writes. SQLite has one writer at a time: the writers of this process queue
//! on a mutex, and on SQLite those arriving together are committed together.

use super::{Db, DbConnection};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

impl Db {
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
        self.together.lead(conn, &self.stats.commit_batch);
        receiver
            .recv()
            .unwrap_or_else(|_| Err(unknown_error("the write was lost".into()).into()))
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
pub(super) struct Together {
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
    fn lead(
        &self,
        conn: &mut DbConnection,
        batch_sizes: &prometheus_client::metrics::histogram::Histogram,
    ) {
        let _lead = self.lead.lock().unwrap_or_else(|e| e.into_inner());
        let jobs: Vec<Job> = {
            let mut queue = self.lock_queue();
            let n = queue.len().min(TOGETHER_MAX);
            queue.drain(..n).collect()
        };
        if jobs.is_empty() {
            return;
        }
        batch_sizes.observe(jobs.len() as f64);
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

/// A database error carrying `message`, so that callers classify it as they
/// would the original (SQLite's "database is locked" still reads as busy).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SqliteSynchronous;
    use std::sync::Arc;
    use std::time::Duration;

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
}
