//! SIGKILL in the middle of a burst of submissions: every submission that was
//! acknowledged with a receipt is there after a restart, and nothing is half
//! written.

use super::support::*;
use crate::helpers::{Backend, PASSWORD, TestDatabase, csrf_in};
use diesel::prelude::*;
use polyphony::db::schema::{positions, submission_revisions, submissions, users};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PARTICIPANTS: usize = 30;
const ATTEMPTS: usize = 6;

struct Ack {
    email: String,
    attempt: usize,
    code: String,
}

fn text(email: &str, attempt: usize) -> String {
    format!("{email} attempt {attempt}: keep the diversity of cultural expressions")
}

async fn acknowledged_submissions_survive_a_kill(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut server = Server::start(&database, &[]);
    server.ready().await;
    let emails = {
        let db = open_db(&database);
        participants(&db, "crash", PARTICIPANTS).await
    };
    let mut signed_in = Vec::new();
    for email in &emails {
        let b = server.browser();
        assert_eq!(b.login(email, PASSWORD).await.status(), 303);
        let (_, page) = b.get_text(ROUND).await;
        let token = csrf_in(&page);
        signed_in.push((email.clone(), b, token));
    }

    // Every participant submits again and again, all at once; the process is
    // killed once a third of the receipts have been given.
    let acks: Arc<Mutex<Vec<Ack>>> = Arc::default();
    let mut tasks = Vec::new();
    for (email, browser, token) in signed_in {
        let acks = acks.clone();
        tasks.push(tokio::spawn(async move {
            for attempt in 1..=ATTEMPTS {
                let body = text(&email, attempt);
                let sent = browser
                    .client
                    .post(format!("{}{SUBMISSION}", browser.address))
                    .form(&[
                        ("csrf_token", token.as_str()),
                        ("action", "submit"),
                        ("stance[art-1]", "support"),
                        ("comment[art-1]", &body),
                        ("general_comment", &body),
                        ("disclosure", "anonymous"),
                    ])
                    .send()
                    .await;
                let Ok(res) = sent else { return };
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let Some(code) = location.split("receipt=").nth(1) else {
                    return;
                };
                acks.lock().unwrap().push(Ack {
                    email: email.clone(),
                    attempt,
                    code: code.to_string(),
                });
            }
        }));
    }
    let total = PARTICIPANTS * ATTEMPTS;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acks.lock().unwrap().len() < total / 3 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for task in tasks {
        task.await.unwrap();
    }
    let acks = std::mem::take(&mut *acks.lock().unwrap());
    assert!(
        acks.len() >= total / 3 && acks.len() < total,
        "the kill came in the middle of the burst ({} of {total} acknowledged)",
        acks.len()
    );

    eprintln!(
        "killed after {} of {total} submissions were acknowledged",
        acks.len()
    );
    let mut server = Server::start(&database, &[]);
    server.ready().await;
    let anyone = server.browser();
    for ack in &acks {
        let (status, page) = anyone.get_text(&format!("/receipts/{}", ack.code)).await;
        assert_eq!(status, 200, "receipt {} of {} is lost", ack.code, ack.email);
        assert!(page.contains("is genuine"));
    }

    let db = open_db(&database);
    let stored = db
        .query(|c| {
            let subs: Vec<(String, i64, String, String, i32, Option<String>)> = submissions::table
                .inner_join(users::table)
                .select((
                    users::email,
                    submissions::id,
                    submissions::status,
                    submissions::general_comment,
                    submissions::revision,
                    submissions::receipt_code,
                ))
                .load(c)?;
            let revisions: Vec<(i64, i32, String, Option<String>)> = submission_revisions::table
                .select((
                    submission_revisions::submission_id,
                    submission_revisions::revision,
                    submission_revisions::content,
                    submission_revisions::receipt_code,
                ))
                .load(c)?;
            let positions: Vec<(i64, Option<String>, String)> = positions::table
                .select((
                    positions::submission_id,
                    positions::stance,
                    positions::comment,
                ))
                .load(c)?;
            Ok((subs, revisions, positions))
        })
        .await
        .unwrap();
    let (subs, revisions, positions) = stored;

    // Each receipt names the revision it was given for, with the text sent.
    for ack in &acks {
        let (_, _, content, _) = revisions
            .iter()
            .find(|r| r.3.as_deref() == Some(ack.code.as_str()))
            .unwrap_or_else(|| panic!("no revision holds receipt {}", ack.code));
        let content: serde_json::Value = serde_json::from_str(content).unwrap();
        assert_eq!(content["general_comment"], text(&ack.email, ack.attempt));
    }
    let mut last_ack: HashMap<&str, usize> = HashMap::new();
    for ack in &acks {
        let e = last_ack.entry(ack.email.as_str()).or_default();
        *e = (*e).max(ack.attempt);
    }

    // Nothing half written: each submission has every revision up to its own
    // number, its row agrees with its last revision, and it has one position
    // per provision holding the text of that revision.
    for (email, id, status, comment, revision, receipt) in &subs {
        let mine: Vec<_> = revisions.iter().filter(|r| r.0 == *id).collect();
        let mut numbers: Vec<i32> = mine.iter().map(|r| r.1).collect();
        numbers.sort();
        assert_eq!(numbers, (1..=*revision).collect::<Vec<_>>(), "{email}");
        let last = mine.iter().find(|r| r.1 == *revision).unwrap();
        let content: serde_json::Value = serde_json::from_str(&last.2).unwrap();
        assert_eq!(content["general_comment"], comment.as_str(), "{email}");
        assert_eq!(
            last.3, *receipt,
            "{email}: the row's receipt is the last one"
        );
        assert_eq!(status, "submitted");
        let attempt: usize = comment
            .split(" attempt ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{email}: unexpected text {comment}"));
        assert!(
            attempt >= last_ack.get(email.as_str()).copied().unwrap_or(0),
            "{email}: an acknowledged submission was replaced by an older one"
        );
        let mine: Vec<_> = positions.iter().filter(|p| p.0 == *id).collect();
        assert_eq!(mine.len(), 12, "{email}: one position per provision");
        let written: Vec<_> = mine.iter().filter(|p| !p.2.is_empty()).collect();
        assert_eq!(written.len(), 1, "{email}");
        assert_eq!(written[0].2, *comment, "{email}: positions match the row");
        assert_eq!(written[0].1.as_deref(), Some("support"));
        assert!(
            mine.iter()
                .filter(|p| p.2.is_empty())
                .all(|p| p.1.as_deref() == Some("no_position"))
        );
    }
    for email in last_ack.keys() {
        assert!(
            subs.iter().any(|s| s.0 == *email),
            "{email} has no submission"
        );
    }
    if backend == Backend::Sqlite {
        let path = database.url.trim_start_matches("sqlite://");
        let mut conn = diesel::SqliteConnection::establish(path).unwrap();
        #[derive(QueryableByName)]
        struct Check {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let check: Check = diesel::sql_query("PRAGMA integrity_check")
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(check.integrity_check, "ok");
    }
}

on_both_backends! {
    acknowledged_submissions_survive_a_sigkill_in_the_middle_of_a_burst => acknowledged_submissions_survive_a_kill;
}

/// A receipt promises the submission is kept: a PostgreSQL that acknowledges
/// commits before they are on disk breaks that, and start-up says so.
#[actix_web::test]
async fn postgresql_settings_that_could_lose_acknowledged_commits_are_reported_at_start() {
    let Some(database) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let safe = open_db(&database);
    let found = polyphony::db::unsafe_commit_settings(&mut safe.get().unwrap()).unwrap();
    assert!(found.is_empty(), "{found:?}");

    let separator = if database.url.contains('?') { '&' } else { '?' };
    let risky_url = format!(
        "{}{separator}options=-c%20synchronous_commit%3Doff",
        database.url
    );
    let mut settings = crate::helpers::test_settings(&database).database;
    settings.url = risky_url.clone();
    let risky = polyphony::db::Db::open(&settings).unwrap();
    let found = polyphony::db::unsafe_commit_settings(&mut risky.get().unwrap()).unwrap();
    assert_eq!(found, ["synchronous_commit = off"]);

    let mut server = Server::start(&database, &[("POLYPHONY__DATABASE__URL", risky_url)]);
    server.ready().await;
    let log = server.log_text();
    assert!(
        log.contains("may lose acknowledged commits") && log.contains("synchronous_commit = off"),
        "{log}"
    );
}

/// `database.sqlite_synchronous = "full"` reaches every pooled connection;
/// a value other than normal or full stops start-up naming the key.
#[actix_web::test]
async fn sqlite_synchronous_full_is_applied_to_every_connection() {
    #[derive(QueryableByName)]
    struct Synchronous {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    let database = TestDatabase::create(Backend::Sqlite).unwrap();
    let mut settings = crate::helpers::test_settings(&database).database;
    for (level, expected) in [
        (polyphony::config::SqliteSynchronous::Normal, 1),
        (polyphony::config::SqliteSynchronous::Full, 2),
    ] {
        settings.sqlite_synchronous = level;
        let db = polyphony::db::Db::open(&settings).unwrap();
        let held: Vec<_> = (0..settings.pool_size).map(|_| db.get().unwrap()).collect();
        for mut conn in held {
            let s: Synchronous = diesel::sql_query("PRAGMA synchronous")
                .get_result(&mut *conn)
                .unwrap();
            assert_eq!(s.synchronous, expected, "{level:?}");
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_polyphony"))
        .arg("migrate")
        .env("POLYPHONY__DATABASE__URL", &database.url)
        .env("POLYPHONY__DATABASE__SQLITE_SYNCHRONOUS", "sometimes")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sqlite_synchronous"));
}
