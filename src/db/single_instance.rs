//! SQLite serves one instance: two servers on one file would each keep
//! caches that the other's changes never clear. The server role is an
//! advisory lock on a file beside the database; the command-line tools
//! (backup, import, publish) never take it, so they run beside a server.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;

/// Held for as long as this process serves the file.
pub struct ServerRole {
    _lock: File,
}

/// The lock file of the SQLite database `url`, e.g. `data/polyphony.sqlite3.server.lock`.
pub fn lock_path(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(format!("{path}.server.lock")))
}

/// Takes the server role of the SQLite database `url`. When another process
/// holds it, says so in the log and serves all the same: the data stays
/// safe (SQLite locks it), only what the two cache may differ for a while.
pub fn claim(url: &str) -> Option<ServerRole> {
    let path = lock_path(url)?;
    let mut file = match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(file) => file,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "cannot open the server lock file");
            return None;
        }
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = write!(file, "{}", std::process::id());
            Some(ServerRole { _lock: file })
        }
        Err(_) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            tracing::error!(
                database = url,
                other_pid = holder.trim(),
                lock = %path.display(),
                "another Polyphony server already serves this SQLite database: SQLite serves \
                 one instance (changes made through one are not seen in the other's caches); \
                 stop one, or use PostgreSQL for several instances"
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_server_on_one_file_does_not_get_the_role_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
        let first = claim(&url);
        assert!(first.is_some());
        assert!(claim(&url).is_none());
        let pid = std::fs::read_to_string(lock_path(&url).unwrap()).unwrap();
        assert_eq!(pid, std::process::id().to_string());
        drop(first);
        assert!(claim(&url).is_some());
    }

    #[test]
    fn postgresql_has_no_lock_file() {
        assert!(lock_path("postgres://u@h/db").is_none());
    }
}
