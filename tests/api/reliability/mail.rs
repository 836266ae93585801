//! The mail server refusing (4xx, 5xx) or hanging: web requests do not notice,
//! e-mails are retried with backoff and delivered when it recovers, and after
//! the last attempt they are marked failed and shown to admins.

use super::support::*;
use crate::helpers::{Backend, TestApp, TestDatabase, spawn_with, test_settings};
use diesel::prelude::*;
use polyphony::db::schema::outbox;
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Row {
    status: String,
    attempts: i32,
    last_error: Option<String>,
}

async fn row_for(app: &TestApp, email: &'static str) -> Option<Row> {
    app.db
        .query(move |c| {
            outbox::table
                .filter(outbox::recipient.like(format!("%{email}%")))
                .select((outbox::status, outbox::attempts, outbox::last_error))
                .first::<(String, i32, Option<String>)>(c)
                .optional()
        })
        .await
        .unwrap()
        .map(|(status, attempts, last_error)| Row {
            status,
            attempts,
            last_error,
        })
}

/// Polls the outbox row of `email` until `done` holds (at most 60 s).
async fn wait_for_row(app: &TestApp, email: &'static str, done: impl Fn(&Row) -> bool) -> Row {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let row = row_for(app, email).await;
        if let Some(row) = row {
            if done(&row) {
                return row;
            }
            assert!(
                Instant::now() < deadline,
                "the outbox row of {email} stayed {row:?}"
            );
        }
        assert!(Instant::now() < deadline, "no outbox row for {email}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_delivery(smtp: &SmtpServer, email: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(m) = smtp.delivered().into_iter().find(|m| m.contains(email)) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no e-mail to {email} was delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How long the app waits for the SMTP server. A request that waited for
/// the mail would take at least this long; one that does not is well under
/// [`QUICK`] even on a loaded machine.
const SMTP_TIMEOUT_SECS: u64 = 10;
const QUICK: Duration = Duration::from_secs(6);

/// An app sending through SMTP on `port`, retrying every second or so.
async fn app_with_smtp(database: TestDatabase, backend: Backend, port: u16) -> TestApp {
    let mut settings = test_settings(&database);
    settings.email.transport = polyphony::config::EmailTransport::Smtp;
    settings.email.smtp_url = format!("smtp://127.0.0.1:{port}");
    settings.email.retry_base_secs = 1;
    settings.email.timeout_secs = SMTP_TIMEOUT_SECS;
    settings.email.max_attempts = 4;
    spawn_with(database, settings, backend).await
}

/// Registration does not wait for the mail server, whatever it does.
async fn register_quickly(app: &TestApp, email: &str) {
    let started = Instant::now();
    app.register(email, "Mail Outage", "technical").await;
    let took = started.elapsed();
    assert!(took < QUICK, "registration took {took:?}");
}

async fn temporary_refusals_are_retried_and_delivered_once_accepted(backend: Backend) {
    if !aiosmtpd_available() {
        return;
    }
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let port = free_port();
    let smtp = SmtpServer::start(database.dir(), port, "451 4.3.0 Try again later");
    let app = app_with_smtp(database, backend, port).await;
    const EMAIL: &str = "greylisted@example.org";
    register_quickly(&app, EMAIL).await;

    let row = wait_for_row(&app, EMAIL, |r| r.attempts >= 2).await;
    assert_eq!(row.status, "pending", "a refusal is retried");
    assert!(row.last_error.unwrap().contains("451"));
    assert!(smtp.delivered().iter().all(|m| !m.contains(EMAIL)));

    smtp.set_mode("accept");
    let mail = wait_for_delivery(&smtp, EMAIL).await;
    assert!(mail.contains("/verify/"));
    let row = wait_for_row(&app, EMAIL, |r| r.status == "sent").await;
    assert!(row.attempts >= 2 && row.last_error.is_none());
}

async fn permanent_refusals_end_failed_and_are_listed_for_admins(backend: Backend) {
    if !aiosmtpd_available() {
        return;
    }
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let port = free_port();
    let _smtp = SmtpServer::start(database.dir(), port, "550 5.7.1 Relaying denied");
    let app = app_with_smtp(database, backend, port).await;
    const EMAIL: &str = "refused@example.org";
    register_quickly(&app, EMAIL).await;

    let started = Instant::now();
    let row = wait_for_row(&app, EMAIL, |r| r.status != "pending").await;
    assert_eq!(row.status, "failed");
    assert_eq!(row.attempts, 4, "every attempt was made");
    assert!(row.last_error.unwrap().contains("550"));
    // Retries back off: 1 + 2 + 4 s between the four attempts.
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    let (status, dashboard) = app.admin().await.get_text("/admin").await;
    assert_eq!(status, 200);
    let failed = &dashboard[dashboard.find("failed-heading").unwrap()..];
    assert!(failed.contains(EMAIL) && failed.contains("550"), "{failed}");
}

async fn a_hanging_mail_server_times_out_and_mail_goes_when_it_answers(backend: Backend) {
    if !aiosmtpd_available() {
        return;
    }
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let port = free_port();
    let hanging = HangingServer::start(port).await;
    let dir = database.dir().to_path_buf();
    let app = app_with_smtp(database, backend, port).await;
    const EMAIL: &str = "patient@example.org";
    register_quickly(&app, EMAIL).await;
    for path in ["/", "/healthz", "/login"] {
        let started = Instant::now();
        assert_eq!(app.get(path).await.status(), 200);
        assert!(started.elapsed() < QUICK, "{path} waited");
    }

    let row = wait_for_row(&app, EMAIL, |r| r.attempts >= 2 && r.last_error.is_some()).await;
    assert_eq!(row.status, "pending");
    let error = row.last_error.unwrap().to_lowercase();
    assert!(
        error.contains("timed out") || error.contains("timeout"),
        "{error}"
    );

    hanging.stop().await;
    let smtp = SmtpServer::start(&dir, port, "accept");
    wait_for_delivery(&smtp, EMAIL).await;
    wait_for_row(&app, EMAIL, |r| r.status == "sent").await;
}

on_both_backends! {
    smtp_451_is_retried_with_backoff_and_delivered_when_accepted => temporary_refusals_are_retried_and_delivered_once_accepted;
    smtp_550_after_the_last_attempt_is_marked_failed_and_shown_to_admins => permanent_refusals_end_failed_and_are_listed_for_admins;
    a_hanging_smtp_server_delays_no_request_and_the_mail_goes_when_it_answers => a_hanging_mail_server_times_out_and_mail_goes_when_it_answers;
}
