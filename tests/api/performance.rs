//! Queries per page (no N+1: the count is the same with 10 and with 10,000
//! submissions), the round cache, and load shedding.

use crate::helpers::*;
use polyphony::clock::Clock;

const SLUG: &str = "additional-protocol";

fn round_path(n: i32) -> String {
    format!("/consultations/{SLUG}/rounds/{n}")
}

/// SQL statements the app ran to answer `path` for browser `b`.
async fn queries(b: &Browser, path: &str) -> u64 {
    let res = b.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    let count = res.headers()["x-query-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 0, "{path} ran no query: the counter is not wired");
    count
}

async fn counting_app(backend: Backend) -> Option<TestApp> {
    let database = TestDatabase::create(backend)?;
    let mut settings = test_settings(&database);
    settings.server.query_count_header = true;
    Some(spawn_with(database, settings, backend).await)
}

async fn seed(app: &TestApp, round: i32, count: usize) {
    app.db
        .run(move |c| -> anyhow::Result<()> {
            let consultation = polyphony::consultations::find_by_slug(c, SLUG)?;
            let (r, _) = polyphony::rounds::find(c, consultation.id, round)?;
            let provisions = polyphony::drafts::provisions_of(c, r.draft_version_id)?;
            polyphony::synthetic::seed(c, r.id, &provisions, count, Clock::default().now())?;
            Ok(())
        })
        .await
        .unwrap();
}

/// Submits every provision in round `n`; returns the receipt code.
async fn submit(b: &Browser, n: i32) -> String {
    let mut fields = vec![("action", "submit"), ("disclosure", "attributed")];
    let keys: Vec<String> = (1..=12).map(|i| format!("stance[art-{i}]")).collect();
    for k in &keys {
        fields.push((k.as_str(), "support"));
    }
    fields.push(("comment[art-2]", "A comment that the report will publish."));
    let res = b
        .submit(
            &round_path(n),
            &format!("{}/submission", round_path(n)),
            &fields,
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let location = res.headers()["location"].to_str().unwrap().to_string();
    location.split("receipt=").nth(1).unwrap().to_string()
}

/// A round's data is read once and reused by later pages and submissions, and
/// an organizer's change through this instance shows at once all the same.
async fn a_cached_round_is_reused_and_an_organizers_change_shows_at_once(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.server.query_count_header = true;
    settings.server.round_cache_ms = 600_000;
    let app = spawn_with(database, settings, backend).await;
    let admin = app.admin().await;
    let participant = app
        .participant("cached@example.org", "academia", "FR", true)
        .await;
    let path = round_path(1);
    let (first, again) = (
        queries(&participant, &path).await,
        queries(&participant, &path).await,
    );
    assert!(
        again + 5 <= first,
        "the round was read again: {first} statements, then {again}"
    );
    submit(&participant, 1).await;

    let admin_round = format!("/admin/consultations/{SLUG}/rounds/1");
    let close = format!("{admin_round}/close");
    assert_eq!(admin.submit(&close, &close, &[]).await.status(), 303);
    let (_, page) = participant.get_text(&path).await;
    assert!(page.contains("This round closed on"), "{page}");
    let (_, page) = participant.get_text(&path).await;
    let late = participant
        .post_form(
            &format!("{path}/submission"),
            &[
                ("csrf_token", csrf_in(&page).as_str()),
                ("action", "submit"),
                ("stance[art-1]", "oppose"),
                ("disclosure", "anonymous"),
            ],
        )
        .await;
    assert_eq!(late.status(), 409, "a closed round takes no submission");
}

#[actix_web::test]
async fn a_cached_round_is_reused_and_an_organizers_change_shows_at_once_sqlite() {
    a_cached_round_is_reused_and_an_organizers_change_shows_at_once(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_cached_round_is_reused_and_an_organizers_change_shows_at_once_postgres() {
    a_cached_round_is_reused_and_an_organizers_change_shows_at_once(Backend::Postgres).await;
}

async fn no_page_issues_more_queries_as_the_data_grows(backend: Backend) {
    let Some(app) = counting_app(backend).await else {
        return;
    };
    let admin = app.admin().await;
    let participant = app
        .participant("counted@example.org", "academia", "FR", true)
        .await;
    let anonymous = app.new_browser();
    // Round 2 receives 10,000 submissions, round 1 ten: the same pages of each
    // must run the same number of statements.
    let settings = app.settings.clone();
    app.db
        .run(move |c| -> anyhow::Result<()> {
            polyphony::bench::open_round(c, SLUG, 2, &Clock::default()).map(|_| ())
        })
        .await
        .unwrap();
    let global = [
        (&anonymous, "/".to_string()),
        (&anonymous, format!("/consultations/{SLUG}")),
        (&anonymous, "/audit".to_string()),
        (&anonymous, "/feed.atom".to_string()),
        (&participant, "/".to_string()),
        (&participant, "/account".to_string()),
        (&admin, "/admin".to_string()),
        (&admin, format!("/admin/consultations/{SLUG}")),
    ];
    let mut before = vec![];
    for (b, path) in &global {
        before.push(queries(b, path).await);
    }
    let receipts = [submit(&participant, 1).await, submit(&participant, 2).await];
    seed(&app, 1, 10).await;
    seed(&app, 2, 10_000).await;
    for ((b, path), count) in global.iter().zip(&before) {
        assert_eq!(queries(b, path).await, *count, "{path}");
    }

    let per_round = |n: i32| {
        let base = round_path(n);
        vec![
            (&anonymous, base.clone()),
            (&participant, base.clone()),
            (&participant, format!("{base}/submission")),
            (&participant, format!("{base}/submission/revisions/1")),
            (
                &participant,
                format!("/receipts/{}", receipts[n as usize - 1]),
            ),
            (
                &admin,
                format!("/admin/consultations/{SLUG}/rounds/{n}/report"),
            ),
        ]
    };
    let open_pages = |n| async move {
        let mut counts = vec![];
        for (b, path) in per_round(n) {
            counts.push((path.clone(), queries(b, &path).await));
        }
        counts
    };
    let (small, large) = (open_pages(1).await, open_pages(2).await);
    for ((path, s), (_, l)) in small.iter().zip(&large) {
        assert_eq!(
            s, l,
            "{path}: {s} statements with 10 submissions, {l} with 10,000"
        );
    }

    app.db
        .run(move |c| -> anyhow::Result<()> {
            polyphony::bench::publish(&settings, c, SLUG, 1, "")?;
            polyphony::bench::publish(&settings, c, SLUG, 2, "")
        })
        .await
        .unwrap();
    let published = |n: i32| {
        let base = round_path(n);
        vec![
            base.clone(),
            format!("{base}/report"),
            format!("{base}/report?lang=fr"),
            format!("{base}/report.json"),
            format!("{base}/report.csv"),
        ]
    };
    for (s, l) in published(1).iter().zip(published(2)) {
        let (small, large) = (queries(&anonymous, s).await, queries(&anonymous, &l).await);
        assert_eq!(
            small, large,
            "{l}: {small} statements with 10 submissions, {large} with 10,000"
        );
    }
}

#[actix_web::test]
async fn no_page_issues_more_queries_as_the_data_grows_sqlite() {
    no_page_issues_more_queries_as_the_data_grows(Backend::Sqlite).await;
}

#[actix_web::test]
async fn no_page_issues_more_queries_as_the_data_grows_postgres() {
    no_page_issues_more_queries_as_the_data_grows(Backend::Postgres).await;
}

#[actix_web::test]
async fn requests_beyond_the_write_slots_are_shed_with_503_and_retry_after_while_pages_still_load()
{
    let database = TestDatabase::create(Backend::Sqlite).unwrap();
    let mut settings = test_settings(&database);
    settings.server.max_inflight_writes = 1;
    settings.server.max_queued_writes = 0;
    let app = spawn_with(database, settings, Backend::Sqlite).await;
    let (_, page) = app.get_text("/login").await;
    let token = csrf_in(&page);
    // Each sign-in hashes a password (tens of milliseconds), so twelve at once
    // cannot all find the single slot free.
    let attempts: Vec<_> = (0..12)
        .map(|i| {
            let (client, address, token) = (app.client.clone(), app.address.clone(), token.clone());
            actix_web::rt::spawn(async move {
                client
                    .post(format!("{address}/login"))
                    .form(&[
                        ("csrf_token", token.as_str()),
                        ("email", &format!("nobody{i}@example.org")),
                        ("password", "wrong password here"),
                    ])
                    .send()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut responses = vec![];
    for a in attempts {
        responses.push(a.await.unwrap());
    }
    let shed: Vec<_> = responses.iter().filter(|r| r.status() == 503).collect();
    assert!(!shed.is_empty(), "no request was shed");
    assert!(shed.len() < responses.len(), "every request was shed");
    for r in &shed {
        assert_eq!(r.headers()["retry-after"], "1");
    }
    let refused = responses.into_iter().find(|r| r.status() == 503).unwrap();
    let body = refused.text().await.unwrap();
    assert!(body.contains("temporarily unavailable"), "{body}");
    let (status, _) = app.get_text(&format!("/consultations/{SLUG}")).await;
    assert_eq!(status, 200, "pages are in another lane");
}
