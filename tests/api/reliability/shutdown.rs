//! SIGTERM: a request in flight completes, the process exits 0, and the
//! outbox worker leaves no message claimed but unsent.

use super::support::*;
use crate::helpers::{Backend, PASSWORD, TestDatabase, csrf_in};
use diesel::prelude::*;
use polyphony::db::schema::{outbox, submission_revisions};
use std::time::{Duration, Instant};

async fn sigterm_drains_requests_and_releases_outbox_claims(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    // The mail server hangs, so the worker is in the middle of a delivery,
    // with the rest of its batch claimed, when the signal comes.
    let smtp_port = free_port();
    let _hanging = HangingServer::start(smtp_port).await;
    let mut server = Server::start(
        &database,
        &[
            ("POLYPHONY__EMAIL__TRANSPORT", "smtp".into()),
            (
                "POLYPHONY__EMAIL__SMTP_URL",
                format!("smtp://127.0.0.1:{smtp_port}"),
            ),
            ("POLYPHONY__EMAIL__TIMEOUT_SECS", "3".into()),
        ],
    );
    server.ready().await;
    let db = open_db(&database);
    let email = participants(&db, "slow", 1).await.remove(0);
    let browser = server.browser();
    assert_eq!(browser.login(&email, PASSWORD).await.status(), 303);
    let (_, page) = browser.get_text(ROUND).await;
    let token = csrf_in(&page);
    for i in 0..3 {
        server
            .browser()
            .register(&format!("queued{i}@example.org"), "Queued", "academia")
            .await;
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let claimed: i64 = db
            .query(|c| {
                outbox::table
                    .filter(outbox::locked_until.is_not_null())
                    .count()
                    .get_result(c)
            })
            .await
            .unwrap();
        if claimed >= 2 {
            break;
        }
        assert!(Instant::now() < deadline, "the worker claimed nothing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A participant on a slow connection: half the form is sent, then the
    // signal comes, then the rest.
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf_token", &token)
        .append_pair("action", "submit")
        .append_pair("stance[art-1]", "oppose")
        .append_pair("comment[art-1]", "Sent over a slow line during a shutdown")
        .append_pair("disclosure", "anonymous")
        .finish();
    let (first, rest) = form.split_at(form.len() / 2);
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(2);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let request = browser
        .client
        .post(format!("{}{SUBMISSION}", server.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let in_flight = tokio::spawn(request);
    tx.send(first.as_bytes().to_vec()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.terminate();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let fresh = reqwest::Client::new()
        .get(format!("{}/healthz", server.address))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(
        fresh.is_err(),
        "no new connection is accepted while draining"
    );
    tx.send(rest.as_bytes().to_vec()).await.unwrap();
    drop(tx);

    let res = in_flight
        .await
        .unwrap()
        .expect("the in-flight request completes");
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let code = location.split("receipt=").nth(1).unwrap().to_string();

    let status = server.exit_status(Duration::from_secs(20)).await;
    assert!(
        status.success(),
        "exit status {status}:\n{}",
        server.log_text()
    );

    let (kept, held): (i64, Vec<(String, i32)>) = db
        .query(move |c| {
            let kept = submission_revisions::table
                .filter(submission_revisions::receipt_code.eq(&code))
                .count()
                .get_result(c)?;
            let held = outbox::table
                .filter(outbox::locked_until.is_not_null())
                .select((outbox::recipient, outbox::attempts))
                .load(c)?;
            Ok((kept, held))
        })
        .await
        .unwrap();
    assert_eq!(
        kept, 1,
        "the submission completed during the drain is stored"
    );
    assert!(held.is_empty(), "messages left claimed: {held:?}");
    let attempts: Vec<i32> = db
        .query(|c| {
            outbox::table
                .filter(outbox::status.eq("pending"))
                .select(outbox::attempts)
                .load(c)
        })
        .await
        .unwrap();
    assert!(attempts.len() >= 4, "{attempts:?}");
    assert!(
        attempts.iter().all(|a| *a <= 1),
        "a message handed back unsent keeps its attempt count: {attempts:?}"
    );
    assert!(server.log_text().contains("outbox worker stopped"));
}

on_both_backends! {
    sigterm_lets_a_slow_request_finish_exits_0_and_leaves_no_outbox_claim => sigterm_drains_requests_and_releases_outbox_claims;
}
