//! PostgreSQL going away and coming back, simulated by a TCP proxy between the
//! application and the shared server (which must never be stopped).

use super::support::*;
use crate::helpers::{Backend, Browser, TestDatabase, spawn_with, test_settings};
use std::time::{Duration, Instant};

/// The slowest answer accepted during an outage: the pool waits 2 s for a
/// connection (3 s with checking an idle one), plus slack for a busy machine.
const BOUND: Duration = Duration::from_secs(8);

async fn timed_get(b: &Browser, path: &str) -> (u16, String, Option<String>, Duration) {
    let started = Instant::now();
    let res = tokio::time::timeout(Duration::from_secs(30), b.get(path))
        .await
        .unwrap_or_else(|_| panic!("{path} hung for 30 s"));
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, res.text().await.unwrap(), retry, started.elapsed())
}

async fn serves_again(b: &Browser) -> Duration {
    let started = Instant::now();
    loop {
        let (health, ..) = timed_get(b, "/healthz").await;
        let (home, ..) = timed_get(b, ROUND).await;
        if health == 200 && home == 200 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still {health}/{home} 20 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[actix_web::test]
async fn while_postgresql_is_unreachable_pages_answer_503_in_bounded_time_and_recover_without_a_restart()
 {
    let Some(database) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let proxy = Proxy::start(upstream_of(&database.url)).await;
    let mut settings = test_settings(&database);
    settings.database.url = through_proxy(&database.url, proxy.port);
    // The default call deadline (60 s) is left alone: the bound below comes
    // from the wait for a connection, checks of idle ones included.
    settings.database.connect_timeout_secs = 2;
    let app = spawn_with(database, settings, Backend::Postgres).await;
    let participant = app
        .participant("outage@example.org", "civil_society", "FR", false)
        .await;
    let anonymous = app.new_browser();
    assert_eq!(timed_get(&anonymous, "/healthz").await.0, 200);

    for link in [Link::Down, Link::Silent] {
        proxy.set(link);
        let requests = [
            ("anonymous", &anonymous, "/healthz"),
            ("anonymous", &anonymous, "/"),
            ("anonymous", &anonymous, "/audit"),
            ("participant", &participant, ROUND),
        ];
        for (who, b, path) in requests {
            let (status, body, retry, took) = timed_get(b, path).await;
            eprintln!("{link:?}: {who} GET {path} → {status} in {took:?}");
            assert_eq!(status, 503, "{link:?}: {who} GET {path}");
            assert!(took < BOUND, "{link:?}: {who} GET {path} took {took:?}");
            assert_eq!(retry.as_deref(), Some("5"));
            if path != "/healthz" {
                assert!(
                    body.contains("The service is temporarily unavailable")
                        && body.contains("What you saved before has not been lost"),
                    "{link:?}: {who} GET {path} is not the friendly page:\n{body}"
                );
            }
        }
        let (status, body, _, _) = timed_get(&anonymous, "/?lang=fr").await;
        assert_eq!(status, 503);
        assert!(body.contains("Le service est temporairement indisponible"));

        proxy.set(Link::Up);
        let took = serves_again(&anonymous).await;
        eprintln!("{link:?}: serving again {took:?} after the database came back");
        let (status, page) = participant.get_text(ROUND).await;
        assert_eq!(status, 200, "the session survived the outage");
        assert!(page.contains("Sign out"), "still signed in");
    }
}

/// SQLite's version of an outage: another process holds the write lock (a
/// maintenance script, a stuck transaction). Reading goes on; writing answers
/// 503 once the busy timeout has passed, and works again when the lock goes.
#[actix_web::test]
async fn while_another_process_holds_the_sqlite_write_lock_writes_answer_503_and_reads_go_on() {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    let app = crate::helpers::spawn_app(Backend::Sqlite).await.unwrap();
    let participant = app
        .participant("locked@example.org", "civil_society", "FR", false)
        .await;
    let path = app.database.url.trim_start_matches("sqlite://").to_string();
    let mut other = diesel::SqliteConnection::establish(&path).unwrap();
    other.batch_execute("BEGIN IMMEDIATE").unwrap();

    let (status, ..) = timed_get(&participant, ROUND).await;
    assert_eq!(status, 200, "reading is not blocked by a writer");
    let fields = [
        ("action", "submit"),
        ("stance[art-1]", "support"),
        ("disclosure", "anonymous"),
    ];
    let started = Instant::now();
    let res = participant.submit(ROUND, SUBMISSION, &fields).await;
    let took = started.elapsed();
    assert_eq!(res.status(), 503);
    assert!(took < BOUND, "took {took:?}");
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("What you saved before has not been lost")
    );

    other.batch_execute("ROLLBACK").unwrap();
    let res = participant.submit(ROUND, SUBMISSION, &fields).await;
    assert_eq!(res.status(), 303, "writing works again");
}
