//! Organizers' changes announced to every instance on one PostgreSQL, so
//! that each clears what it cached (`LISTEN/NOTIFY` on one channel). SQLite
//! serves one instance: nothing to announce.

use super::{Db, DbConnection};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::{Duration, Instant};

pub const CHANNEL: &str = "polyphony_cache";

/// Which caches a change makes stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A round opened, closed or extended: its dates, not its report.
    Rounds,
    /// Anything else, and anything not understood.
    All,
}

impl Change {
    fn payload(self) -> &'static str {
        match self {
            Self::Rounds => "rounds",
            Self::All => "all",
        }
    }

    /// An unknown payload (from a newer instance during a rolling upgrade)
    /// clears everything: a cache may be colder than needed, never staler.
    fn parse(payload: &str) -> Self {
        match payload {
            "rounds" => Self::Rounds,
            _ => Self::All,
        }
    }
}

/// Tells every listening instance about `change`. Sent after the change is
/// committed; within a transaction PostgreSQL delivers it at commit.
pub fn announce(conn: &mut DbConnection, change: Change) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(c) => {
            c.batch_execute(&format!("NOTIFY {CHANNEL}, '{}'", change.payload()))
        }
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// How often the listener reads what arrived: a change shows on every
/// instance within this (plus a round trip), well within 100 ms.
const POLL: Duration = Duration::from_millis(20);
/// How often the listener checks its connection with a query: libpq reports
/// a closed socket when reading, but a connection whose server went silent
/// only fails a query (bounded by the URL's TCP keepalives).
const CHECK: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Listens on a connection of its own, outside the pool, on a thread of its
/// own, until `keep_going` says no. `clear` is called with each change, and
/// with `Change::All` on every (re)connection, since notices sent while
/// disconnected are lost. Does nothing on SQLite.
pub fn listen(
    db: &Db,
    keep_going: impl Fn() -> bool + Send + 'static,
    clear: impl Fn(Change) + Send + 'static,
) -> std::io::Result<()> {
    let Some(url) = db.listen_url.clone() else {
        return Ok(());
    };
    std::thread::Builder::new()
        .name("cache-listener".into())
        .spawn(move || {
            let mut backoff = Duration::from_millis(100);
            while keep_going() {
                match listening(&url) {
                    Ok(conn) => {
                        backoff = Duration::from_millis(100);
                        clear(Change::All);
                        let error = receive(conn, &keep_going, &clear);
                        if keep_going() {
                            tracing::warn!(error = %error, "cache listener lost its connection; reconnecting");
                        }
                    }
                    Err(error) => {
                        tracing::warn!(error = %error, retry_in_ms = backoff.as_millis() as u64, "cache listener cannot connect");
                        sleep_while(backoff, &keep_going);
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                }
            }
        })
        .map(drop)
}

/// Named so that operators see it in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "polyphony cache listener";

fn listening(url: &str) -> Result<PgConnection, String> {
    let separator = if url.contains('?') { '&' } else { '?' };
    let name = APPLICATION_NAME.replace(' ', "%20");
    let named = format!("{url}{separator}application_name={name}");
    let mut conn = PgConnection::establish(&named).map_err(|e| e.to_string())?;
    conn.batch_execute(&format!("LISTEN {CHANNEL}"))
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Clears on each notice until the connection fails or the app is gone;
/// returns the failure.
fn receive(
    mut conn: PgConnection,
    keep_going: &impl Fn() -> bool,
    clear: &impl Fn(Change),
) -> String {
    let mut checked = Instant::now();
    while keep_going() {
        // Several notices that arrived together clear once per kind.
        let mut arrived = None;
        for notice in conn.notifications_iter() {
            match notice {
                Ok(n) => {
                    let change = Change::parse(&n.payload);
                    arrived = match (arrived, change) {
                        (Some(Change::All), _) | (_, Change::All) => Some(Change::All),
                        _ => Some(change),
                    };
                }
                Err(e) => return e.to_string(),
            }
        }
        if let Some(change) = arrived {
            clear(change);
        }
        if checked.elapsed() >= CHECK {
            if let Err(e) = conn.batch_execute("SELECT 1") {
                return e.to_string();
            }
            checked = Instant::now();
        }
        std::thread::sleep(POLL);
    }
    String::new()
}

fn sleep_while(duration: Duration, keep_going: &impl Fn() -> bool) {
    let until = Instant::now() + duration;
    while keep_going() && Instant::now() < until {
        std::thread::sleep(POLL.max(Duration::from_millis(50)));
    }
}
