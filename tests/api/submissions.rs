use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{
    consultation_groups, positions, rounds, submission_revisions, submissions,
};

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const POST: &str = "/consultations/additional-protocol/rounds/1/submission";

async fn signed_in_participant(app: &TestApp, email: &str, group: &str) -> Browser {
    let password = app.register_verified(email, "Participant", group).await;
    let b = app.new_browser();
    assert_eq!(b.login(email, &password).await.status(), 303);
    b
}

async fn count(app: &TestApp) -> (i64, i64) {
    app.db
        .query(|c| {
            let s = submissions::table.count().get_result::<i64>(c)?;
            let r = submission_revisions::table.count().get_result::<i64>(c)?;
            Ok((s, r))
        })
        .await
        .unwrap()
}

/// Records the provision of every position row an UPDATE rewrites, from now on.
async fn log_position_updates(app: &TestApp) {
    let sql = match app.backend {
        Backend::Sqlite => {
            "CREATE TABLE test_position_updates (position_id BIGINT NOT NULL);
             CREATE TRIGGER test_position_updates AFTER UPDATE ON positions
             BEGIN INSERT INTO test_position_updates VALUES (new.id); END;"
        }
        Backend::Postgres => {
            "CREATE TABLE test_position_updates (position_id BIGINT NOT NULL);
             CREATE FUNCTION test_position_updated() RETURNS trigger AS $$
             BEGIN INSERT INTO test_position_updates VALUES (NEW.id); RETURN NEW; END
             $$ LANGUAGE plpgsql;
             CREATE TRIGGER test_position_updates AFTER UPDATE ON positions
             FOR EACH ROW EXECUTE FUNCTION test_position_updated();"
        }
    };
    app.db
        .query(move |c| diesel::connection::SimpleConnection::batch_execute(c, sql))
        .await
        .unwrap();
}

/// The provisions whose positions were rewritten since the last call, sorted.
async fn updated_positions(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = diesel::sql_types::Text)]
        provision_key: String,
    }
    app.db
        .query(|c| {
            let keys: Vec<Key> = diesel::sql_query(
                "SELECT provisions.provision_key FROM test_position_updates
                 JOIN positions ON positions.id = test_position_updates.position_id
                 JOIN provisions ON provisions.id = positions.provision_id
                 ORDER BY provisions.ordinal",
            )
            .load(c)?;
            diesel::connection::SimpleConnection::batch_execute(
                c,
                "DELETE FROM test_position_updates",
            )?;
            Ok(keys.into_iter().map(|k| k.provision_key).collect())
        })
        .await
        .unwrap()
}

both_backends! {
    async fn a_participant_saves_edits_submits_withdraws_and_resubmits_keeping_every_revision(app) {
        let b = signed_in_participant(&app, "cycle@example.org", "civil_society").await;
        let (_, page) = b.get_text(ROUND).await;
        assert!(page.contains("name=\"stance[art-1]\""), "the form is on the round page");

        let res = b.submit(ROUND, POST, &[("action", "save"), ("stance[art-1]", "support"), ("comment[art-1]", "First thoughts")]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = b.get_text(ROUND).await;
        assert!(page.contains("First thoughts"), "the draft comes back in the form");
        assert!(page.contains("You have answered 1 of 12 provisions."));

        let res = b.submit(ROUND, POST, &[("action", "save"), ("stance[art-1]", "oppose"), ("comment[art-1]", "Second thoughts")]).await;
        assert_eq!(res.status(), 303);

        let review = b.submit(ROUND, POST, &[("action", "review"), ("stance[art-1]", "oppose"), ("comment[art-1]", "Second thoughts"),
            ("disclosure", "anonymous")]).await;
        assert_eq!(review.status(), 200);
        let review = review.text().await.unwrap();
        assert!(review.contains("Check your answers before submitting"));
        assert!(review.contains("Not answered — counted as “no position”"));

        let res = b.submit(ROUND, POST, &[("action", "submit"), ("stance[art-1]", "oppose"), ("comment[art-1]", "Second thoughts"),
            ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let (_, done) = b.get_text(&location).await;
        assert!(done.contains("Submission received"), "{done}");
        let code_1 = location.split("receipt=").nth(1).unwrap().to_string();
        assert!(done.contains(&code_1));

        let res = b.submit(ROUND, POST, &[("action", "submit"), ("stance[art-1]", "support_with_changes"),
            ("proposed_text[art-1]", "Parties shall…"), ("disclosure", "confidential")]).await;
        assert_eq!(res.status(), 303);
        let res = b.submit(ROUND, POST, &[("action", "withdraw")]).await;
        assert_eq!(res.status(), 303);
        let res = b.submit(ROUND, POST, &[("action", "submit"), ("stance[art-1]", "support"), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 303);

        let (submissions, revisions) = count(&app).await;
        assert_eq!((submissions, revisions), (1, 6));
        let actions: Vec<String> = app.db.query(|c| submission_revisions::table.order(submission_revisions::revision)
            .select(submission_revisions::action).load(c)).await.unwrap();
        // The review found the answers saved as they stand: nothing to store again.
        assert_eq!(actions, ["save", "save", "submit", "submit", "withdraw", "submit"]);

        let (_, history) = b.get_text(POST).await;
        assert!(history.contains("Withdrawn") && history.contains(&code_1));
        let (status, first) = b.get_text(&format!("{POST}/revisions/1")).await;
        assert_eq!(status, 200);
        assert!(first.contains("First thoughts"), "nothing written is lost");
        let (_, withdrawn) = b.get_text(&format!("{POST}/revisions/5")).await;
        assert!(withdrawn.contains("Parties shall…"), "the withdrawn revision keeps the positions");

        // The first receipt is still genuine, and says it was superseded.
        let (status, receipt) = app.new_browser().get_text(&format!("/receipts/{code_1}")).await;
        assert_eq!(status, 200);
        assert!(receipt.contains("is genuine") && receipt.contains("since changed or withdrawn"));
        assert!(!receipt.contains("Second thoughts"), "a receipt reveals nothing else");
        assert_eq!(app.new_browser().get("/receipts/0000-0000-0000-0000").await.status(), 404);
    }

    async fn a_save_or_submit_rewrites_only_the_answers_that_changed(app) {
        let b = signed_in_participant(&app, "rewrite@example.org", "academia").await;
        let first = [("stance[art-1]", "support"), ("comment[art-1]", "Fine"), ("stance[art-2]", "oppose"), ("stance[art-3]", "support")];
        let save = |answers: &[(&'static str, &'static str)]| [&[("action", "save")][..], answers].concat();
        assert_eq!(b.submit(ROUND, POST, &save(&first)).await.status(), 303);
        let ids = || app.db.query(|c| positions::table.order(positions::id).select(positions::id).load::<i64>(c));
        let before = ids().await.unwrap();
        assert_eq!(before.len(), 12, "a first save writes a row for every provision");
        log_position_updates(&app).await;

        let second = [("stance[art-1]", "support"), ("comment[art-1]", "Fine"), ("stance[art-2]", "oppose"),
            ("comment[art-2]", "Too broad"), ("stance[art-3]", "support"), ("stance[art-4]", "support")];
        assert_eq!(b.submit(ROUND, POST, &save(&second)).await.status(), 303);
        assert_eq!(updated_positions(&app).await, ["art-2", "art-4"]);
        assert_eq!(ids().await.unwrap(), before, "positions keep their ids");

        let res = b.submit(ROUND, POST, &[("action", "submit"), ("page", "review")]).await;
        assert_eq!(res.status(), 303);
        let unanswered: Vec<String> = (5..=12).map(|i| format!("art-{i}")).collect();
        assert_eq!(updated_positions(&app).await, unanswered, "only the unanswered become “no position”");
        let (_, submitted) = b.get_text(&format!("{POST}/revisions/3")).await;
        assert!(submitted.contains("Too broad") && submitted.contains("Fine"));
        let stances: Vec<Option<String>> = app.db.query(|c| positions::table.order(positions::id).select(positions::stance).load(c)).await.unwrap();
        assert_eq!(stances.iter().filter(|s| s.as_deref() == Some("no_position")).count(), 8);
        assert_eq!(stances[1].as_deref(), Some("oppose"));
    }

    async fn a_review_of_the_answers_just_saved_stores_nothing_again_and_submits_them(app) {
        let b = signed_in_participant(&app, "review@example.org", "academia").await;
        let answers = [("stance[art-1]", "oppose"), ("comment[art-1]", "Too <broad>"), ("disclosure", "anonymous")];
        let with = |action| [&[("action", action)][..], &answers[..]].concat();
        assert_eq!(b.submit(ROUND, POST, &with("save")).await.status(), 303);
        let review = b.submit(ROUND, POST, &with("review")).await;
        assert_eq!(review.status(), 200);
        assert!(review.text().await.unwrap().contains("Too &lt;broad&gt;"));
        assert_eq!(count(&app).await, (1, 1), "the review found the answers stored");

        let res = b.submit(ROUND, POST, &[("action", "submit"), ("page", "review")]).await;
        assert_eq!(res.status(), 303);
        let actions: Vec<String> = app.db.query(|c| submission_revisions::table.order(submission_revisions::revision)
            .select(submission_revisions::action).load(c)).await.unwrap();
        assert_eq!(actions, ["save", "submit"]);
        let (_, submitted) = b.get_text(&format!("{POST}/revisions/2")).await;
        assert!(submitted.contains("Too &lt;broad&gt;"), "the reviewed answers are submitted");

        // Changed on the way to the review, they are stored first.
        let review = b.submit(ROUND, POST, &[("action", "review"), ("stance[art-1]", "support"), ("disclosure", "anonymous")]).await;
        assert_eq!(review.status(), 200);
        assert_eq!(count(&app).await, (1, 3));
    }

    async fn each_step_of_a_journey_sent_twice_at_once_counts_once_and_answers_alike(app) {
        let b = signed_in_participant(&app, "twice@example.org", "academia").await;
        let (_, page) = b.get_text(ROUND).await;
        let csrf = csrf_in(&page);
        let answers = [("stance[art-1]", "oppose"), ("comment[art-1]", "Twice <clicked>"), ("disclosure", "anonymous")];
        // Save and submit claim their token with what they store; the review,
        // which stores nothing here, claims it with its page.
        let mut submitted_to = None;
        for (step, (action, status)) in [("save", 303), ("review", 200), ("submit", 303)].into_iter().enumerate() {
            let form_token = format!("journey-{step}");
            let mut fields = vec![("csrf_token", csrf.as_str()), ("form_token", form_token.as_str()), ("action", action)];
            match action {
                "submit" => fields.push(("page", "review")),
                _ => fields.extend_from_slice(&answers),
            }
            let send = || async {
                let res = b.post_form(POST, &fields).await;
                let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string());
                (res.status().as_u16(), location, res.text().await.unwrap())
            };
            let (first, second) = futures_util::future::join(send(), send()).await;
            assert_eq!(first.0, status, "{action}: {}", first.2);
            assert_eq!(second, first, "{action}: a double click gets the first answer");
            assert_eq!(send().await, first, "{action}: a repeat gets the first answer");
            submitted_to = first.1;
        }
        assert_eq!(count(&app).await, (1, 2), "one save and one submit stored");
        let receipt: Option<String> = app.db.query(|c| submissions::table.select(submissions::receipt_code).first(c)).await.unwrap();
        assert_eq!(submitted_to, Some(format!("{POST}?receipt={}", receipt.unwrap())), "the stored receipt is the one shown");
    }

    async fn the_receipt_email_holds_the_code_and_every_stance(app) {
        let b = signed_in_participant(&app, "mail@example.org", "academia").await;
        let res = b.submit(ROUND, POST, &[("action", "submit"), ("stance[art-1]", "support"), ("stance[art-2]", "oppose"),
            ("stance[art-3]", "support_with_changes"), ("comment[art-2]", "Too broad"), ("disclosure", "anonymous")]).await;
        let code = res.headers()["location"].to_str().unwrap().split("receipt=").nth(1).unwrap().to_string();
        let mail = app.wait_for_mail("mail@example.org", &code).await;
        let body = &mail.subject_and_body;
        for expected in ["Support", "Oppose", "Support with changes", "No position", "Too broad", "Article 12"] {
            assert!(body.contains(expected), "{expected} missing from the receipt e-mail");
        }
    }

    async fn a_submission_after_the_close_is_refused_with_the_closing_time(app) {
        let b = signed_in_participant(&app, "late@example.org", "academia").await;
        let (_, page) = b.get_text(ROUND).await;
        let token = csrf_in(&page);
        app.clock.advance(time::Duration::days(31));
        let res = b.post_form(POST, &[("csrf_token", &token), ("action", "submit"), ("stance[art-1]", "support"), ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 409);
        let body = res.text().await.unwrap();
        assert!(body.contains("This round closed on"), "{body}");
        assert!(body.contains("UTC"));
        assert_eq!(count(&app).await.0, 0);
    }

    async fn twenty_concurrent_submits_leave_one_submission(app) {
        let b = signed_in_participant(&app, "race@example.org", "academia").await;
        let (_, page) = b.get_text(ROUND).await;
        let token = csrf_in(&page);
        let fields = [("csrf_token", token.as_str()), ("action", "submit"),
            ("stance[art-1]", "support"), ("disclosure", "anonymous")];
        let requests = (0..20).map(|_| b.post_form(POST, &fields));
        let results = futures_util::future::join_all(requests).await;
        for r in &results {
            assert_eq!(r.status(), 303, "never an error page");
        }
        let (submissions, revisions) = count(&app).await;
        assert_eq!(submissions, 1);
        assert_eq!(revisions, 20);
        let positions: i64 = app.db.query(|c| positions::table.count().get_result(c)).await.unwrap();
        assert_eq!(positions, 12);
    }

    async fn another_participants_submission_is_not_found(app) {
        let owner = signed_in_participant(&app, "owner@example.org", "academia").await;
        owner.submit(ROUND, POST, &[("action", "submit"), ("stance[art-1]", "support"), ("comment[art-1]", "Private words"), ("disclosure", "confidential")]).await;
        let other = signed_in_participant(&app, "other@example.org", "academia").await;
        for path in [POST.to_string(), format!("{POST}/revisions/1")] {
            let (status, body) = other.get_text(&path).await;
            assert_eq!(status, 404, "{path}");
            assert!(!body.contains("Private words"));
        }
        let (_, page) = other.get_text(ROUND).await;
        assert!(!page.contains("Private words"));
        assert_eq!(app.new_browser().get(POST).await.status(), 303, "anonymous visitors are sent to sign in");
    }

    async fn bad_input_comes_back_intact_with_the_right_status(app) {
        let b = signed_in_participant(&app, "bad@example.org", "academia").await;
        let long = "é".repeat(10_001);
        let res = b.submit(ROUND, POST, &[("action", "review"), ("comment[art-2]", &long), ("comment[art-3]", "Keep me"),
            ("stance[art-3]", "oppose")]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("The comment must be at most 10,000 characters long."));
        assert!(body.contains("Choose how your comments may be published."));
        assert!(body.contains("href=\"#comment-art-2\""));
        assert!(body.contains("Keep me"), "other input kept");
        assert!(body.contains("id=\"stance-art-3-oppose\" name=\"stance[art-3]\" value=\"oppose\" checked"));
        assert_eq!(count(&app).await.0, 0, "nothing half-written");

        for bad in [("stance[art-99]", "support"), ("stance[art-1]", "maybe")] {
            let res = b.submit(ROUND, POST, &[("action", "save"), bad]).await;
            assert_eq!(res.status(), 422, "{bad:?}");
        }
        let huge = "x".repeat(2 * 1024 * 1024);
        let res = b.submit(ROUND, POST, &[("action", "save"), ("comment[art-1]", &huge)]).await;
        assert_eq!(res.status(), 413);
        assert!(res.text().await.unwrap().contains("too large"));
    }

    async fn unverified_and_ineligible_participants_are_told_why(app) {
        let password = app.register("unverified@example.org", "U", "academia").await;
        let b = app.new_browser();
        b.login("unverified@example.org", &password).await;
        let (_, page) = b.get_text(ROUND).await;
        assert!(page.contains("Confirm your e-mail address before you submit"));
        let res = b.submit(ROUND, POST, &[("action", "save"), ("stance[art-1]", "support")]).await;
        assert_eq!(res.status(), 403);

        app.db.query(|c| {
            diesel::delete(consultation_groups::table).execute(c)?;
            diesel::insert_into(consultation_groups::table)
                .values((consultation_groups::consultation_id.eq(polyphony::db::ConsultationId(1)),
                         consultation_groups::stakeholder_group.eq("government")))
                .execute(c)
        }).await.unwrap();
        let c = signed_in_participant(&app, "academic@example.org", "academia").await;
        let (_, page) = c.get_text(ROUND).await;
        assert!(page.contains("open to other stakeholder groups"));
        let res = c.submit(ROUND, POST, &[("action", "save"), ("stance[art-1]", "support")]).await;
        assert_eq!(res.status(), 403);
        assert_eq!(count(&app).await.0, 0);
    }

    async fn chatham_house_rounds_refuse_attributed_publication(app) {
        app.db.query(|c| diesel::update(rounds::table).set(rounds::attribution.eq("chatham_house")).execute(c)).await.unwrap();
        let b = signed_in_participant(&app, "ch@example.org", "academia").await;
        let (_, page) = b.get_text(ROUND).await;
        assert!(!page.contains("value=\"attributed\""));
        let res = b.submit(ROUND, POST, &[("action", "submit"), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Chatham House Rule"));
    }

    async fn the_submission_keeps_the_profile_it_was_submitted_with(app) {
        let b = signed_in_participant(&app, "snap@example.org", "academia").await;
        b.submit(ROUND, POST, &[("action", "submit"), ("disclosure", "attributed")]).await;
        b.submit("/account", "/account", &[("display_name", "Renamed"), ("stakeholder_group", "platform"),
            ("organization", "NewCo"), ("country", "FR"), ("locale", "en")]).await;
        let snapshot: (String, String, String) = app.db.query(|c| submissions::table
            .select((submissions::display_name, submissions::stakeholder_group, submissions::country)).first(c)).await.unwrap();
        assert_eq!(snapshot, ("Participant".into(), "academia".into(), "CA".into()));
    }
}
