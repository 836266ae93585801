//! The draft report computed in the background: asked for once, computed by
//! one worker, reused until the round's data changes, and published as
//! computed.

use crate::helpers::*;
use crate::reports::answer;
use diesel::prelude::*;
use polyphony::db::schema::{report_job_texts, report_jobs};
use polyphony::db::{Db, RoundId};
use polyphony::reports::jobs;
use polyphony::rounds::Round;

const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";
const DRAFT: &str = "/admin/consultations/additional-protocol/rounds/1/report";
const REPORT: &str = "/consultations/additional-protocol/rounds/1/report";
const COMPUTING: &str = "The figures are being computed";
const REFRESH: &str = r#"<meta http-equiv="refresh" content="2">"#;

/// An app where every round counts as large and no worker runs on its own:
/// the tests compute jobs when they choose to.
async fn spawn_without_worker(backend: Backend) -> Option<TestApp> {
    let database = TestDatabase::create(backend)?;
    let mut settings = test_settings(&database);
    settings.reports.inline_below = 0;
    settings.reports.worker = false;
    Some(spawn_with(database, settings, backend).await)
}

async fn round_1(app: &TestApp) -> Round {
    app.db
        .query(|c| {
            let consultation = polyphony::consultations::find_by_slug(c, polyphony::demo::SLUG)?;
            Ok(polyphony::rounds::find(c, consultation.id, 1)?.0)
        })
        .await
        .unwrap()
}

/// (state, attempts) of the round's jobs, oldest first.
async fn jobs_of(db: &Db, round: RoundId) -> Vec<(String, i32)> {
    db.query(move |c| {
        report_jobs::table
            .filter(report_jobs::round_id.eq(round))
            .order(report_jobs::id.asc())
            .select((report_jobs::state, report_jobs::attempts))
            .load(c)
    })
    .await
    .unwrap()
}

async fn submit_comment(app: &TestApp, email: &str, comment: &str) {
    let p = app.participant(email, "civil_society", "KE", true).await;
    answer(
        &p,
        &[
            ("stance[art-1]", "support"),
            ("comment[art-1]", comment),
            ("disclosure", "attributed"),
        ],
    )
    .await;
}

async fn close_round(admin: &Browser) {
    let path = format!("{ADMIN_ROUND}/close");
    let res = admin.submit(&path, &path, &[]).await;
    assert_eq!(res.status(), 303);
}

async fn a_draft_report_is_asked_for_once_computed_by_a_worker_and_read_back(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    let round = round_1(&app).await;
    submit_comment(
        &app,
        "p1@example.org",
        "A comment kept with the stored report.",
    )
    .await;
    let admin = app.admin().await;

    let (a, b, c, d) = tokio::join!(
        admin.get_text(DRAFT),
        admin.get_text(DRAFT),
        admin.get_text(DRAFT),
        admin.get_text(DRAFT)
    );
    for (status, page) in [a, b, c, d] {
        assert_eq!(status, 200);
        assert!(page.contains(COMPUTING), "{page}");
        assert!(page.contains(REFRESH), "the page refreshes itself");
        assert!(!page.contains("<script"), "no JavaScript");
        assert!(page.contains("?reload&#x3D;off\">Stop reloading this page</a>"));
    }
    // A reader who needs longer turns the reloading off (WCAG 2.2.1).
    let (status, still) = admin.get_text(&format!("{DRAFT}?reload=off")).await;
    assert_eq!(status, 200);
    assert!(
        still.contains(COMPUTING) && !still.contains("http-equiv"),
        "{still}"
    );
    assert!(
        still.contains("?reload&#x3D;off\">Check again</a>"),
        "{still}"
    );
    assert_eq!(
        jobs_of(&app.db, round.id).await,
        vec![("queued".to_string(), 0)]
    );

    assert!(jobs::work_once(&app.db, &app.clock).await.unwrap());
    assert_eq!(
        jobs_of(&app.db, round.id).await,
        vec![("done".to_string(), 1)]
    );
    assert!(
        !jobs::work_once(&app.db, &app.clock).await.unwrap(),
        "nothing left to do"
    );

    let (status, page) = admin.get_text(DRAFT).await;
    assert_eq!(status, 200);
    assert!(!page.contains(COMPUTING) && !page.contains(REFRESH));
    assert!(page.contains("Draft report"));
    let (_, provision) = admin.get_text(&format!("{DRAFT}/provisions/art-1")).await;
    assert!(provision.contains("A comment kept with the stored report."));
    assert_eq!(
        jobs_of(&app.db, round.id).await.len(),
        1,
        "reading asks for nothing"
    );
}

async fn a_new_submission_makes_the_result_stale_and_a_new_job_computes_it(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    let round = round_1(&app).await;
    submit_comment(&app, "p1@example.org", "The first comment.").await;
    let admin = app.admin().await;
    admin.get_text(DRAFT).await;
    jobs::work_once(&app.db, &app.clock).await.unwrap();

    submit_comment(&app, "p2@example.org", "A comment made afterwards.").await;
    let (_, page) = admin.get_text(DRAFT).await;
    assert!(page.contains(COMPUTING) && page.contains(REFRESH));
    assert!(page.contains("Read the figures computed earlier"));
    assert!(
        page.contains("1 submissions made or changed since"),
        "{page}"
    );
    let (_, earlier) = admin.get_text(&format!("{DRAFT}?previous=1")).await;
    assert!(earlier.contains("Figures as of") && !earlier.contains(REFRESH));
    let (_, earlier) = admin
        .get_text(&format!("{DRAFT}/provisions/art-1?previous=1"))
        .await;
    assert!(earlier.contains("The first comment."));
    assert!(!earlier.contains("A comment made afterwards."));

    assert!(jobs::work_once(&app.db, &app.clock).await.unwrap());
    let (_, now) = admin.get_text(&format!("{DRAFT}/provisions/art-1")).await;
    assert!(now.contains("A comment made afterwards."));
    assert_eq!(
        jobs_of(&app.db, round.id).await,
        vec![("done".to_string(), 1)],
        "the older result is removed once the newer one is stored"
    );
}

async fn a_response_shows_at_once_over_the_stored_figures(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    submit_comment(&app, "p1@example.org", "A comment.").await;
    let admin = app.admin().await;
    admin.get_text(DRAFT).await;
    jobs::work_once(&app.db, &app.clock).await.unwrap();
    let page = format!("{DRAFT}/provisions/art-1");
    let res = admin
        .submit(
            &page,
            "/admin/consultations/additional-protocol/rounds/1/responses/art-1",
            &[("response", "We heard **you**.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, shown) = admin.get_text(&page).await;
    assert!(
        !shown.contains(COMPUTING),
        "a response needs no new figures"
    );
    assert!(shown.contains("We heard <strong>you</strong>."));
}

async fn publishing_uses_the_stored_result_once_it_is_current(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    let round = round_1(&app).await;
    submit_comment(&app, "p1@example.org", "Published as computed.").await;
    let admin = app.admin().await;
    close_round(&admin).await;
    let publish = format!("{ADMIN_ROUND}/publish");

    let res = admin.submit(&publish, &publish, &[("note", "")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        DRAFT,
        "publication waits for the figures"
    );
    assert_eq!(app.get(REPORT).await.status(), 404);
    assert_eq!(
        jobs_of(&app.db, round.id).await,
        vec![("queued".to_string(), 0)]
    );
    jobs::work_once(&app.db, &app.clock).await.unwrap();

    // Marks the stored result, to see that publishing copies it rather than
    // computing the report again.
    app.db
        .query(move |c| {
            diesel::update(report_job_texts::table)
                .set(report_job_texts::comment.eq("Published as computed (stored)."))
                .execute(c)
        })
        .await
        .unwrap();
    let res = admin.submit(&publish, &publish, &[("note", "First")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/consultations/additional-protocol"
    );
    let (status, page) = app.get_text(&format!("{REPORT}/provisions/art-1")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Published as computed (stored)."));

    // The publication says exactly what computing it at that moment says.
    let (_, json) = app.get_text(&format!("{REPORT}.json")).await;
    let published: serde_json::Value = serde_json::from_str(&json).unwrap();
    let stored: polyphony::reports::Snapshot = serde_json::from_value(published.clone()).unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.note, "First");
    let fresh = app
        .db
        .run(move |c| {
            let consultation = polyphony::consultations::find_by_slug(c, polyphony::demo::SLUG)?;
            let at = polyphony::db::to_db_time(
                time::OffsetDateTime::parse(
                    &stored.published_at,
                    &time::format_description::well_known::Rfc3339,
                )
                .unwrap(),
            );
            let mut out = polyphony::reports::Preview::new("", 0, 0);
            polyphony::reports::build(c, &consultation, &round, 1, "First", at, &mut out)
        })
        .await
        .unwrap();
    let fresh = serde_json::to_value(&fresh).unwrap();
    for field in [
        "participation",
        "provisions",
        "general_texts",
        "published_at",
    ] {
        assert_eq!(published[field], fresh[field], "{field}");
    }
}

async fn a_failed_job_shows_its_error_and_can_be_tried_again(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    let round = round_1(&app).await;
    submit_comment(&app, "p1@example.org", "A comment.").await;
    let admin = app.admin().await;
    admin.get_text(DRAFT).await;
    // As the worker leaves a job after its last failed attempt.
    app.db
        .query(move |c| {
            diesel::update(report_jobs::table)
                .set((
                    report_jobs::state.eq("failed"),
                    report_jobs::attempts.eq(jobs::MAX_ATTEMPTS),
                    report_jobs::error.eq("the database <refused> the write"),
                ))
                .execute(c)
        })
        .await
        .unwrap();

    let (status, page) = admin.get_text(DRAFT).await;
    assert_eq!(status, 200);
    assert!(page.contains("The figures could not be computed"));
    assert!(
        page.contains("the database &lt;refused&gt; the write"),
        "escaped"
    );
    assert!(!page.contains(REFRESH), "a failure waits for the organizer");
    assert!(
        !jobs::work_once(&app.db, &app.clock).await.unwrap(),
        "not retried on its own"
    );
    assert_eq!(
        jobs_of(&app.db, round.id).await.len(),
        1,
        "a page view asks for nothing more"
    );

    let retry = format!("{DRAFT}/retry");
    let res = admin.submit(DRAFT, &retry, &[("job", "999999")]).await;
    assert_eq!(res.status(), 404, "another job");
    let id: i64 = app
        .db
        .query(|c| report_jobs::table.select(report_jobs::id).first(c))
        .await
        .unwrap();
    let res = admin
        .submit(DRAFT, &retry, &[("job", &id.to_string())])
        .await;
    assert_eq!(res.status(), 303);
    assert!(jobs::work_once(&app.db, &app.clock).await.unwrap());
    let (_, page) = admin.get_text(DRAFT).await;
    assert!(!page.contains(COMPUTING) && page.contains("Draft report"));
}

async fn a_job_whose_worker_died_is_taken_again(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    let round = round_1(&app).await;
    submit_comment(&app, "p1@example.org", "A comment.").await;
    app.admin().await.get_text(DRAFT).await;
    let now = app.clock.now();
    let died = app
        .db
        .query(move |c| jobs::claim(c, now))
        .await
        .unwrap()
        .expect("claimed");
    let now = app.clock.now();
    let again = app.db.query(move |c| jobs::claim(c, now)).await.unwrap();
    assert!(again.is_none(), "a live claim is not taken");

    app.clock.advance(time::Duration::minutes(3));
    assert!(
        jobs::work_once(&app.db, &app.clock).await.unwrap(),
        "the lapsed claim is taken"
    );
    assert_eq!(
        jobs_of(&app.db, round.id).await,
        vec![("done".to_string(), 2)]
    );

    // The first worker wakes up: its work is refused and leaves nothing.
    let (db, clock) = (app.db.clone(), app.clock.clone());
    let late = actix_web::rt::task::spawn_blocking(move || jobs::compute(&db, &clock, died))
        .await
        .unwrap();
    assert!(matches!(
        late,
        Err(polyphony::reports::ReportError::ClaimLost)
    ));
    let attempts: Vec<i32> = app
        .db
        .query(|c| {
            report_job_texts::table
                .select(report_job_texts::attempt)
                .distinct()
                .load(c)
        })
        .await
        .unwrap();
    assert_eq!(attempts, vec![2]);
    let (_, page) = app.admin().await.get_text(DRAFT).await;
    assert!(page.contains("Draft report") && !page.contains(COMPUTING));
}

async fn two_workers_never_both_claim_one_job(backend: Backend) {
    let Some(app) = spawn_without_worker(backend).await else {
        return;
    };
    submit_comment(&app, "p1@example.org", "A comment.").await;
    app.admin().await.get_text(DRAFT).await;
    // A second pool, as another instance has.
    let other = Db::open(&app.settings.database).unwrap();
    let claims = (0..8).map(|i| {
        let db = if i % 2 == 0 {
            app.db.clone()
        } else {
            other.clone()
        };
        let now = app.clock.now();
        async move { db.query(move |c| jobs::claim(c, now)).await.unwrap() }
    });
    let won: Vec<_> = futures_util::future::join_all(claims)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(won.len(), 1, "{won:?}");
}

on_both_backends! {
    a_draft_report_is_asked_for_once_computed_by_a_worker_and_read_back => a_draft_report_is_asked_for_once_computed_by_a_worker_and_read_back;
    a_new_submission_makes_the_result_stale_and_a_new_job_computes_it => a_new_submission_makes_the_result_stale_and_a_new_job_computes_it;
    a_response_shows_at_once_over_the_stored_figures => a_response_shows_at_once_over_the_stored_figures;
    publishing_uses_the_stored_result_once_it_is_current => publishing_uses_the_stored_result_once_it_is_current;
    a_failed_job_shows_its_error_and_can_be_tried_again => a_failed_job_shows_its_error_and_can_be_tried_again;
    a_job_whose_worker_died_is_taken_again => a_job_whose_worker_died_is_taken_again;
    two_workers_never_both_claim_one_job => two_workers_never_both_claim_one_job;
}

/// Two instances with their workers on one PostgreSQL: the job is computed
/// once, by one of them.
#[actix_web::test]
async fn two_instances_compute_a_draft_report_once() {
    let Some(database) = TestDatabase::create(Backend::Postgres) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.reports.inline_below = 0;
    settings.reports.worker_poll_ms = 20;
    let a = spawn_with(database, settings.clone(), Backend::Postgres).await;
    let b = polyphony::startup::Application::build(settings)
        .await
        .unwrap();
    actix_web::rt::spawn(b.run_until_stopped());
    let round = round_1(&a).await;
    submit_comment(&a, "p1@example.org", "A comment.").await;
    let admin = a.admin().await;
    admin.get_text(DRAFT).await;
    let started = std::time::Instant::now();
    loop {
        let (_, page) = admin.get_text(DRAFT).await;
        if !page.contains(COMPUTING) {
            break;
        }
        assert!(started.elapsed().as_secs() < 30, "computed within 30 s");
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        jobs_of(&a.db, round.id).await,
        vec![("done".to_string(), 1)]
    );
}
