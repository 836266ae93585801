//! One query code over SQLite (embedded default) and PostgreSQL (production),
//! chosen at run time from the URL scheme.

mod backup;
pub mod changes;
pub mod counting;
pub mod ids;
mod migrations;
mod pool;
pub mod schema;
pub mod single_instance;
mod timestamps;
mod write;

pub use crate::config::Backend;
pub use backup::BackupError;
pub use ids::*;
pub use migrations::run_migrations;
pub use pool::{Db, DbPooled, DbStats, Manager, unsafe_commit_settings};
pub use timestamps::to_db_time;
pub use write::write_transaction;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// `first(conn).optional()` for a query that finds at most one row (by a
/// key), without `first`'s `LIMIT ?`: SQLite's planner reads the value bound
/// to a LIMIT, so it prepares such a statement again on every run, which
/// was a tenth of a signed-in page's instructions. For the queries every
/// signed-in page and submission makes.
pub trait OneRow<T>: diesel::query_dsl::LoadQuery<'static, DbConnection, T> + Sized {
    fn one_row(self, conn: &mut DbConnection) -> diesel::QueryResult<Option<T>> {
        Ok(diesel::RunQueryDsl::load(self, conn)?.into_iter().next())
    }
}

impl<T, Q: diesel::query_dsl::LoadQuery<'static, DbConnection, T>> OneRow<T> for Q {}

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

/// A failed statement, as diesel reports it.
pub type QueryError = diesel::result::Error;

/// What a failed statement means for whoever asked.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    NotFound,
    /// A unique constraint refused the loser of a race: the data is safe.
    Conflict(String),
    /// The database cannot answer now; it passes.
    Unavailable(String),
    Other,
}

pub fn classify(e: &QueryError) -> Failure {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::NotFound => Failure::NotFound,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            Failure::Conflict(info.message().to_string())
        }
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            info,
        ) => Failure::Unavailable(info.message().to_string()),
        // SQLite's SQLITE_BUSY after the busy timeout: another process (a
        // backup, a maintenance script) holds the write lock. It passes.
        Error::DatabaseError(DatabaseErrorKind::Unknown, info)
            if info.message() == "database is locked" =>
        {
            Failure::Unavailable(info.message().to_string())
        }
        _ => Failure::Other,
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
