//! `polyphony backup`: a consistent copy of a SQLite database, taken live.

use super::{Backend, Db, DbError};
use diesel::prelude::*;

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

impl Db {
    /// Writes a consistent copy of a SQLite database to `target` while the
    /// application keeps serving (`VACUUM INTO` reads one snapshot). PostgreSQL
    /// has its own tool for this, pg_dump.
    pub fn backup(&self, target: &std::path::Path) -> Result<(), BackupError> {
        if self.backend() != Backend::Sqlite {
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
}
