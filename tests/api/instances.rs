//! Several instances on one PostgreSQL: an organizer's change made through
//! one clears every instance's caches (LISTEN/NOTIFY), and a listener that
//! lost its connection clears everything when it is back.

use crate::helpers::*;
use polyphony::startup::Application;
use std::time::{Duration, Instant};

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";
const CLOSED: &str = "This round closed on";

/// Two in-process instances on one new PostgreSQL database, caching rounds
/// for ten minutes so that only a cleared cache can show a change.
async fn two_instances() -> Option<(TestApp, Browser)> {
    let database = TestDatabase::create(Backend::Postgres)?;
    let mut settings = test_settings(&database);
    settings.server.round_cache_ms = 600_000;
    let a = spawn_with(database, settings.clone(), Backend::Postgres).await;
    let b = Application::build(settings).await.unwrap();
    let address = format!("http://127.0.0.1:{}", b.port());
    actix_web::rt::spawn(b.run_until_stopped());
    Some((a, Browser::new(&address)))
}

/// Polls `path` on `b` until its page contains `needle`; how long it took.
async fn until_shown(b: &Browser, path: &str, needle: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let (_, page) = b.get_text(path).await;
        if page.contains(needle) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "`{needle}` not shown on {path} within {limit:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn post(admin: &Browser, action: &str, fields: &[(&str, &str)]) {
    let path = format!("{ADMIN_ROUND}/{action}");
    let (_, page) = admin.get_text(&path).await;
    let mut all = vec![("csrf_token", csrf_in(&page))];
    all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = admin.post_form(&path, &all).await;
    assert_eq!(res.status(), 303, "{action}");
}

#[actix_web::test]
async fn a_round_closed_through_one_instance_shows_closed_on_the_other_within_100_ms() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let admin = a.admin().await;
    let (_, page) = b.get_text(ROUND).await;
    assert!(
        !page.contains(CLOSED),
        "the round starts open (and is cached on B)"
    );

    let started = Instant::now();
    post(&admin, "close", &[]).await;
    let answered = started.elapsed();
    let shown = until_shown(&b, ROUND, CLOSED, Duration::from_secs(2)).await;
    eprintln!("close answered in {answered:?}; shown on the other instance {shown:?} later");
    assert!(shown < Duration::from_millis(100), "{shown:?}");
}

#[actix_web::test]
async fn a_republished_report_is_served_by_the_other_instance_at_once() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let admin = a.admin().await;
    post(&admin, "close", &[]).await;
    post(&admin, "publish", &[("note", "First edition.")]).await;
    let report = format!("{ROUND}/report");
    until_shown(&b, &report, "First edition.", Duration::from_millis(100)).await;
    // Report pages are reused for seconds: only a cleared cache shows this.
    post(&admin, "publish", &[("note", "Corrected edition.")]).await;
    let shown = until_shown(&b, &report, "Corrected edition.", Duration::from_secs(2)).await;
    assert!(shown < Duration::from_millis(100), "{shown:?}");
}

/// Notices sent while the listener is disconnected are lost: on reconnecting
/// it clears everything, so what it cached cannot stay stale.
#[actix_web::test]
async fn a_listener_that_lost_its_connection_clears_every_cache_when_it_is_back() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let (_, page) = b.get_text(ROUND).await;
    assert!(!page.contains(CLOSED));
    // A change nobody announces (as if its notice were lost), then the
    // listeners' connections cut.
    a.db.query(|c| {
        diesel::connection::SimpleConnection::batch_execute(
            c,
            "UPDATE rounds SET closed_early_at = '2000-01-01 00:00:00' WHERE number = 1;
                 SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database()
                   AND application_name = 'polyphony cache listener'",
        )
    })
    .await
    .unwrap();
    until_shown(&b, ROUND, CLOSED, Duration::from_secs(5)).await;
}
