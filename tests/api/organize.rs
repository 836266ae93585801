use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, outbox, rounds};

async fn schedule_round(
    admin: &Browser,
    slug: &str,
    version: &str,
    opens: &str,
    closes: &str,
) -> reqwest::Response {
    admin
        .submit(
            &format!("/admin/consultations/{slug}"),
            &format!("/admin/consultations/{slug}/rounds"),
            &[
                ("draft_version", version),
                ("opens_at", opens),
                ("closes_at", closes),
                ("attribution", "open"),
            ],
        )
        .await
}

async fn act(
    admin: &Browser,
    slug: &str,
    n: i32,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = format!("/admin/consultations/{slug}/rounds/{n}/{action}");
    let (status, body) = admin.get_text(&page).await;
    assert_eq!(status, 200, "confirm page for {action}");
    assert!(body.contains("<form method=\"post\""));
    admin.submit(&page, &page, fields).await
}

both_backends! {
    async fn an_organizer_creates_a_consultation_imports_a_draft_and_runs_a_round(app) {
        let admin = app.admin().await;
        let res = admin.submit("/admin/consultations/new", "/admin/consultations", &[("slug", "Bad Slug"), ("title", "")]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("Use lower-case letters") && body.contains("Choose at least one stakeholder group."));
        new_consultation(&admin, "transparency").await;

        let preview = import(&admin, "transparency", DRAFT, "preview").await;
        assert_eq!(preview.status(), 200);
        let body = preview.text().await.unwrap();
        assert!(body.contains("<code>art-1</code>") && body.contains("Save as version 1"));
        assert_eq!(import(&admin, "transparency", DRAFT, "save").await.status(), 303);

        let now = app.clock.now();
        let res = schedule_round(&admin, "transparency", "1", &form_time(now + time::Duration::days(2)), &form_time(now + time::Duration::days(1))).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("The closing time must be after the opening time."));
        let res = schedule_round(&admin, "transparency", "1", &form_time(now + time::Duration::days(1)), &form_time(now + time::Duration::days(10))).await;
        assert_eq!(res.status(), 303);

        let (_, public) = app.get_text("/consultations/transparency").await;
        assert!(public.contains("Scheduled"));
        assert_eq!(act(&admin, "transparency", 1, "open", &[]).await.status(), 303);
        let (_, round) = app.get_text("/consultations/transparency/rounds/1").await;
        assert!(round.contains("tag-open"));
        assert_eq!(act(&admin, "transparency", 1, "close", &[]).await.status(), 303);
        let (_, round) = app.get_text("/consultations/transparency/rounds/1").await;
        assert!(round.contains("tag-closed"));
        let later = form_time(now + time::Duration::days(20));
        assert_eq!(act(&admin, "transparency", 1, "extend", &[("closes_at", &later)]).await.status(), 303);
        let (_, round) = app.get_text("/consultations/transparency/rounds/1").await;
        assert!(round.contains("tag-open"), "an extension reopens a round closed early");
        assert_eq!(act(&admin, "transparency", 1, "close", &[]).await.status(), 303);
        assert_eq!(act(&admin, "transparency", 1, "publish", &[("note", "")]).await.status(), 303);
        let (status, report) = app.get_text("/consultations/transparency/rounds/1/report").await;
        assert_eq!(status, 200);
        assert!(report.contains("Version 1"));

        let actions: Vec<String> = app.db.query(|c| audit_log::table.filter(audit_log::public.eq(true))
            .order(audit_log::id).select(audit_log::action).load(c)).await.unwrap();
        assert_eq!(actions, ["consultation.create", "draft.import", "round.create", "round.open", "round.close",
            "round.extend", "round.close", "round.publish"]);
        let (_, audit) = app.get_text("/audit").await;
        for label in ["Consultation created", "Round opened", "Round closed", "Deadline extended", "Report published"] {
            assert!(audit.contains(label), "{label} on /audit");
        }
        assert!(audit.contains("Administrator"), "who acted is public");
        let (_, feed) = app.get_text("/feed.atom").await;
        assert!(feed.contains("/consultations/transparency/rounds/1/report"));
    }

    async fn import_errors_are_precise(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "errors").await;
        for (markdown, expected) in [
            ("", "The document is empty."),
            ("## Article 1\ntext\n## Article 1\nmore", "Two provisions have the same key."),
            ("## Article 1\n\n## Article 2\ntext", "A provision has no text."),
            ("## Scope\ntext", "has no number and no"),
        ] {
            let res = import(&admin, "errors", markdown, "preview").await;
            assert_eq!(res.status(), 422, "{markdown:?}");
            assert!(res.text().await.unwrap().contains(expected), "{expected}");
        }
        // A file upload that is not UTF-8, then one over 1 MB.
        let (_, page) = admin.get_text("/admin/consultations/errors/drafts/new").await;
        let token = csrf_in(&page);
        let upload = |bytes: Vec<u8>| reqwest::multipart::Form::new()
            .text("level", "2").text("action", "preview")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("draft.md"));
        let url = format!("{}/admin/consultations/errors/drafts?csrf_token={token}", admin.address);
        let res = admin.client.post(&url).multipart(upload(vec![0xff, 0xfe, 0x00])).send().await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("not UTF-8"));
        let mut big = b"## Article 1 {#a}\n".to_vec();
        big.resize(1_000_001, b'x');
        let res = admin.client.post(&url).multipart(upload(big)).send().await.unwrap();
        assert_eq!(res.status(), 413);
        let res = admin.client.post(&url).multipart(upload(b"## Article 7\nUploaded text\n".to_vec())).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("<code>art-7</code>"));
        let no_token = admin.client.post(format!("{}/admin/consultations/errors/drafts", admin.address))
            .multipart(upload(b"## Article 7\nx\n".to_vec())).send().await.unwrap();
        assert_eq!(no_token.status(), 403);
    }

    async fn a_revised_draft_shows_the_changed_words(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "diff").await;
        import(&admin, "diff", DRAFT, "save").await;
        let v2 = "# Protocol\n\n## Article 1 — Scope\nParties shall require platforms.\n\n## Article 2 — Data\nSame text.\n\n## Article 3 — New\nAdded.\n";
        assert_eq!(import(&admin, "diff", v2, "save").await.status(), 303);
        let now = app.clock.now();
        schedule_round(&admin, "diff", "2", &form_time(now), &form_time(now + time::Duration::days(5))).await;
        let (_, page) = app.get_text("/consultations/diff/rounds/1?view=changes").await;
        assert!(page.contains("<del>encourage</del>"), "{page}");
        assert!(page.contains("<ins>require</ins>"));
        assert!(page.contains("change-added") && page.contains("change-unchanged"));
        let (_, plain) = app.get_text("/consultations/diff/rounds/1").await;
        assert!(!plain.contains("<del>"));
    }

    async fn markup_in_an_imported_draft_is_rendered_inert(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "xss").await;
        let evil = "## Article 1\n<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> <svg onload=alert(4)>\n";
        assert_eq!(import(&admin, "xss", evil, "save").await.status(), 303);
        let now = app.clock.now();
        schedule_round(&admin, "xss", "1", &form_time(now), &form_time(now + time::Duration::days(5))).await;
        let (_, page) = app.get_text("/consultations/xss/rounds/1").await;
        // The text may still be read as text; nothing of it may act.
        for bad in ["<script", "href=\"javascript:", "onerror=", "onload=", "<svg"] {
            assert!(!page.contains(bad), "{bad} survived");
        }
    }

    async fn participants_and_visitors_are_refused_on_every_organizer_route(app) {
        let participant = app.participant("p@example.org", "academia", "FR", false).await;
        let anonymous = app.new_browser();
        let (_, page) = participant.get_text("/account").await;
        let token = csrf_in(&page);
        for path in ["/admin", "/admin/consultations/new", "/admin/consultations/additional-protocol",
                     "/admin/consultations/additional-protocol/drafts/new", "/admin/consultations/additional-protocol/rounds/1/close",
                     "/admin/consultations/additional-protocol/rounds/1/report"] {
            assert_eq!(participant.get(path).await.status(), 403, "GET {path}");
            assert_eq!(anonymous.get(path).await.status(), 403, "anonymous GET {path}");
        }
        for path in ["/admin/consultations", "/admin/consultations/additional-protocol", "/admin/consultations/additional-protocol/drafts",
                     "/admin/consultations/additional-protocol/rounds", "/admin/consultations/additional-protocol/rounds/1/close",
                     "/admin/consultations/additional-protocol/rounds/1/responses/art-1", "/admin/moderation/1/hide",
                     "/admin/participants/1/verify"] {
            let res = participant.post_form(path, &[("csrf_token", &token), ("reason", "x"), ("response", "x")]).await;
            assert_eq!(res.status(), 403, "POST {path}");
        }
        let closed: Option<time::PrimitiveDateTime> = app.db.query(|c| rounds::table.select(rounds::closed_early_at).first(c)).await.unwrap();
        assert!(closed.is_none(), "nothing changed");
    }

    async fn round_notifications_go_once_even_when_the_job_runs_twice(app) {
        let _a = app.participant("a@example.org", "academia", "FR", false).await;
        let _b = app.participant("b@example.org", "government", "KE", false).await;
        let admin = app.admin().await;
        new_consultation(&admin, "notices").await;
        import(&admin, "notices", DRAFT, "save").await;
        let now = app.clock.now();
        schedule_round(&admin, "notices", "1", &form_time(now + time::Duration::days(1)), &form_time(now + time::Duration::days(3))).await;
        // Once it is open and within two days of its close, both notices are due.
        app.clock.advance(time::Duration::days(1) + time::Duration::hours(1));
        let notifier = polyphony::notifications::Notifier::new(
            std::sync::Arc::new(polyphony::templates::Templates::load().unwrap()), "http://example.org");
        for _ in 0..2 {
            let (n, now) = (notifier.clone(), app.clock.now());
            app.db.run(move |c| polyphony::notifications::schedule::run(c, &n, now)).await.unwrap();
        }
        let kinds: Vec<(String, String)> = app.db.query(|c| outbox::table
            .filter(outbox::kind.eq_any(["round_opened", "round_reminder"]))
            .filter(outbox::dedup_key.like("round:2:%"))
            .select((outbox::kind, outbox::recipient)).load(c)).await.unwrap();
        for who in ["a@example.org", "b@example.org"] {
            for kind in ["round_opened", "round_reminder"] {
                let n = kinds.iter().filter(|(k, r)| k == kind && r == who).count();
                assert_eq!(n, 1, "{kind} to {who}");
            }
        }
    }
}

#[test]
fn import_draft_on_the_command_line_adds_a_version() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let file = db.dir().join("v2.md");
    std::fs::write(&file, DRAFT).unwrap();
    let run = |args: &[&str]| crate::cli::polyphony(&db).args(args).output().unwrap();
    assert!(run(&["load-demo"]).status.success());
    let out = run(&[
        "import-draft",
        "--consultation",
        "additional-protocol",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        crate::cli::succeeded(&out),
        "imported version 2 with 2 provisions"
    );
    let out = run(&[
        "import-draft",
        "--consultation",
        "missing",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
}

both_backends! {
    async fn the_dashboard_queues_texts_for_review_and_hides_them(app) {
        let b = app.participant("q@example.org", "academia", "FR", false).await;
        let res = b.submit("/consultations/additional-protocol/rounds/1", "/consultations/additional-protocol/rounds/1/submission",
            &[("action", "submit"), ("comment[art-3]", "Rude words here"), ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 303);
        let admin = app.admin().await;
        let (_, dashboard) = admin.get_text("/admin").await;
        assert!(dashboard.contains("Rude words here"));
        let start = dashboard.find("/admin/moderation/").unwrap();
        let action: String = dashboard[start..].chars().take_while(|c| *c != '"').collect();
        let res = admin.post_form(&action, &[("csrf_token", &csrf_in(&dashboard)), ("reason", "insult")]).await;
        assert_eq!(res.status(), 303);
        let (_, dashboard) = admin.get_text("/admin").await;
        assert!(!dashboard.contains("Rude words here"));
        let hidden: Option<String> = app.db.query(|c| polyphony::db::schema::positions::table
            .filter(polyphony::db::schema::positions::comment.eq("Rude words here"))
            .select(polyphony::db::schema::positions::hidden_reason).first(c)).await.unwrap();
        assert_eq!(hidden.as_deref(), Some("insult"));
    }
}
