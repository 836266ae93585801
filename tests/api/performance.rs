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
    // Every round's draft report takes the path of a large one (the stored
    // result, or the job's progress), and no worker races the pages: small
    // and large rounds then cost the same statements.
    settings.reports.inline_below = 0;
    settings.reports.worker = false;
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

/// Submits one position to the round at `path` with the form token of its
/// `page`; returns the status.
async fn late_submit(b: &Browser, path: &str, page: &str) -> reqwest::StatusCode {
    b.post_form(
        &format!("{path}/submission"),
        &[
            ("csrf_token", csrf_in(page).as_str()),
            ("action", "submit"),
            ("stance[art-1]", "oppose"),
            ("disclosure", "anonymous"),
        ],
    )
    .await
    .status()
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
    let anonymous = app.new_browser();
    let res = anonymous.get(&path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["x-query-count"],
        "0",
        "a reader who is not signed in, on a cached round, costs no query"
    );
    // Readers who are not signed in share one rendered page; a signed-in
    // reader never gets it.
    let (_, shared) = anonymous.get_text(&path).await;
    let (_, own) = participant.get_text(&path).await;
    assert!(own.contains("Sign out"), "{own}");
    assert!(!shared.contains("Sign out"), "{shared}");
    submit(&participant, 1).await;

    let admin_round = format!("/admin/consultations/{SLUG}/rounds/1");
    let close = format!("{admin_round}/close");
    assert_eq!(admin.submit(&close, &close, &[]).await.status(), 303);
    let (_, page) = participant.get_text(&path).await;
    assert!(page.contains("This round closed on"), "{page}");
    let (_, page) = anonymous.get_text(&path).await;
    assert!(page.contains("This round closed on"), "{page}");
    let (_, page) = participant.get_text(&path).await;
    let late = late_submit(&participant, &path, &page).await;
    assert_eq!(late, 409, "a closed round takes no submission");
}

#[actix_web::test]
async fn a_cached_round_is_reused_and_an_organizers_change_shows_at_once_sqlite() {
    a_cached_round_is_reused_and_an_organizers_change_shows_at_once(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_cached_round_is_reused_and_an_organizers_change_shows_at_once_postgres() {
    a_cached_round_is_reused_and_an_organizers_change_shows_at_once(Backend::Postgres).await;
}

/// The cache may still say a round is open; the write transaction reads the
/// stored round, so a close made through another instance (or the command
/// line) a moment ago holds.
async fn a_round_closed_through_another_instance_takes_no_submission(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.server.round_cache_ms = 600_000;
    let app = spawn_with(database, settings, backend).await;
    let participant = app
        .participant("late@example.org", "academia", "FR", true)
        .await;
    let path = round_path(1);
    let (_, page) = participant.get_text(&path).await;
    app.db
        .query(|c| {
            diesel::connection::SimpleConnection::batch_execute(
                c,
                "UPDATE rounds SET closed_early_at = '2000-01-01 00:00:00' WHERE number = 1",
            )
        })
        .await
        .unwrap();
    let late = late_submit(&participant, &path, &page).await;
    assert_eq!(late, 409);
    let stored: i64 = app
        .db
        .query(|c| {
            use diesel::prelude::*;
            polyphony::db::schema::submissions::table
                .count()
                .get_result(c)
        })
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing is stored after the close");
}

#[actix_web::test]
async fn a_round_closed_through_another_instance_takes_no_submission_sqlite() {
    a_round_closed_through_another_instance_takes_no_submission(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_round_closed_through_another_instance_takes_no_submission_postgres() {
    a_round_closed_through_another_instance_takes_no_submission(Backend::Postgres).await;
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
    // Round 2 would follow round 1 and look for its report (a fixed number of
    // statements): unlinked, the two rounds' pages compare alike.
    app.db
        .query(|c| {
            use diesel::prelude::*;
            use polyphony::db::schema::rounds;
            diesel::update(rounds::table)
                .set(rounds::follows_round_id.eq(None::<i64>))
                .execute(c)
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
        (
            &admin,
            "/admin/participants?sort=signed_up&dir=desc".to_string(),
        ),
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

/// The session, the account and whether it analyses anything come in one
/// statement: on PostgreSQL each statement is a round trip on every
/// signed-in request.
async fn a_signed_in_reader_costs_one_statement(backend: Backend) {
    let Some(app) = counting_app(backend).await else {
        return;
    };
    let participant = app
        .participant("reader@example.org", "academia", "FR", false)
        .await;
    let anonymous = app.new_browser();
    for path in ["/audit", "/"] {
        let (signed_in, alone) = (
            queries(&participant, path).await,
            queries(&anonymous, path).await,
        );
        assert_eq!(signed_in, alone + 1, "{path}");
    }
}

#[actix_web::test]
async fn a_signed_in_reader_costs_one_statement_sqlite() {
    a_signed_in_reader_costs_one_statement(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_signed_in_reader_costs_one_statement_postgres() {
    a_signed_in_reader_costs_one_statement(Backend::Postgres).await;
}

/// Holds the only write slot with a submission whose body never ends, until
/// the returned senders are dropped. A holder that loses the race for the slot
/// to a probe is answered and gone, so another one is sent.
async fn hold_the_write_slot(app: &TestApp) -> Vec<tokio::sync::mpsc::Sender<bytes::Bytes>> {
    let mut holders = vec![];
    for _ in 0..5 {
        let (more, body) = tokio::sync::mpsc::channel::<bytes::Bytes>(1);
        let body = futures_util::stream::unfold(body, |mut body| async move {
            let chunk = body.recv().await?;
            Some((Ok::<_, std::io::Error>(chunk), body))
        });
        let (client, address) = (app.client.clone(), app.address.clone());
        actix_web::rt::spawn(async move {
            let _ = client
                .post(format!("{address}/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(reqwest::Body::wrap_stream(body))
                .send()
                .await;
        });
        more.send(bytes::Bytes::from_static(b"email="))
            .await
            .unwrap();
        holders.push(more);
        for _ in 0..100 {
            if login_status(app).await == 503 {
                return holders;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    panic!("no slow submission took the write slot");
}

async fn login_status(app: &TestApp) -> u16 {
    let res = app
        .client
        .post(format!("{}/login", app.address))
        .send()
        .await;
    res.unwrap().status().as_u16()
}

/// Sends `request` on `stream` and reads the whole response back.
fn exchange(stream: &mut std::net::TcpStream, request: &str) -> String {
    use std::io::{Read, Write};
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = vec![];
    let mut buf = [0; 4096];
    loop {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the connection was closed");
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_string)
                })
                .unwrap()
                .parse()
                .unwrap();
            if response.len() >= end + 4 + length {
                return text.into_owned();
            }
        }
    }
}

async fn refused(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = app.client.post(format!("{}/login", app.address));
    for &(name, value) in headers {
        req = req.header(name, value);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 503);
    res
}

#[actix_web::test]
async fn a_refused_request_gets_503_with_retry_after_and_a_translated_page_while_pages_still_load()
{
    let database = TestDatabase::create(Backend::Sqlite).unwrap();
    let mut settings = test_settings(&database);
    settings.server.max_inflight_writes = 1;
    settings.server.max_queued_writes = 0;
    let app = spawn_with(database, settings, Backend::Sqlite).await;
    let held = hold_the_write_slot(&app).await;

    let res = refused(&app, &[]).await;
    let h = res.headers();
    assert_eq!(h["retry-after"], "1");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.get("content-encoding").is_none());
    let english = res.text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(english.contains("temporarily unavailable"), "{english}");

    let french = refused(&app, &[("accept-language", "fr-FR,fr;q=0.9")]).await;
    let french = french.text().await.unwrap();
    assert!(french.contains("<html lang=\"fr\">"), "{french}");
    assert!(french.contains("temporairement indisponible"), "{french}");

    let gzipped = refused(&app, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert!(
        gzipped.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("Accept-Encoding")
    );
    assert_eq!(gunzip(&gzipped.bytes().await.unwrap()), english.as_bytes());

    // A refused form's body is read, so the client keeps its connection for
    // the retry instead of opening another one.
    let address = app.address.trim_start_matches("http://").to_string();
    let post = "POST /login HTTP/1.1\r\nHost: polyphony\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nemail=x";
    actix_web::rt::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        for _ in 0..2 {
            let response = exchange(&mut stream, post);
            assert!(response.starts_with("HTTP/1.1 503"), "{response}");
            assert!(
                !response.to_ascii_lowercase().contains("connection: close"),
                "{response}"
            );
        }
    })
    .await
    .unwrap();

    let (status, _) = app.get_text(&format!("/consultations/{SLUG}")).await;
    assert_eq!(status, 200, "pages are in another lane");

    drop(held);
    let mut status = 503;
    for _ in 0..200 {
        status = login_status(&app).await;
        if status != 503 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_ne!(status, 503, "the freed slot is used again");
}
