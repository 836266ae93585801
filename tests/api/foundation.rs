use crate::helpers::*;
use diesel::connection::SimpleConnection;
use polyphony::db::DbError;

/// Runs raw SQL on the app's database, off the async executor.
async fn execute(app: &TestApp, sql: &'static str) -> Result<(), DbError> {
    app.db
        .run(move |c| c.batch_execute(sql).map_err(DbError::from))
        .await
}

both_backends! {
    async fn health_check_answers_ok(app) {
        let (status, body) = app.get_text("/healthz").await;
        assert_eq!(status, 200);
        assert_eq!(body, "ok");
    }

    async fn home_lists_the_open_demo_round_with_days_left(app) {
        let (status, body) = app.get_text("/").await;
        assert_eq!(status, 200);
        assert!(body.contains("Open for comment now"), "{body}");
        assert!(body.contains("/consultations/additional-protocol/rounds/1"), "{body}");
        assert!(body.contains("30 days left"), "{body}");
    }

    async fn round_page_shows_every_provision_of_the_demo_draft(app) {
        let (status, body) = app.get_text("/consultations/additional-protocol/rounds/1").await;
        assert_eq!(status, 200);
        for n in 1..=12 {
            assert!(body.contains(&format!("id=\"art-{n}\"")), "art-{n} missing");
        }
        assert!(body.contains("Transparency of recommendation systems"));
        assert!(body.contains("<strong class=\"tag tag-open\">Open</strong>"), "{body}");
    }

    async fn consultation_page_lists_rounds_and_draft_versions(app) {
        let (status, body) = app.get_text("/consultations/additional-protocol").await;
        assert_eq!(status, 200);
        assert!(body.contains("Round 1"));
        assert!(body.contains("Version 1"));
        assert!(body.contains("Civil society"));
    }

    async fn pages_follow_the_language_asked_for(app) {
        let (_, body) = app.get_text("/?lang=fr").await;
        assert!(body.contains("<html lang=\"fr\">"));
        assert!(body.contains("Ouvertes aux commentaires"));
        assert!(body.contains("30 jours restants"));
        let res = app
            .client
            .get(format!("{}/consultations/additional-protocol", app.address))
            .header("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
            .send()
            .await
            .unwrap();
        let body = res.text().await.unwrap();
        assert!(body.contains("Cycles de commentaires"), "{body}");
    }

    async fn unknown_pages_get_a_readable_404_page(app) {
        for path in ["/nope", "/consultations/missing", "/consultations/additional-protocol/rounds/9",
                     "/consultations/additional-protocol/rounds/x"] {
            let (status, body) = app.get_text(path).await;
            assert_eq!(status, 404, "{path}");
            assert!(body.contains("Page not found"), "{path}: {body}");
            assert!(body.contains("<html lang=\"en\">"));
        }
    }

    async fn every_response_carries_the_security_headers(app) {
        for path in ["/", "/healthz", "/nope", "/consultations/additional-protocol/rounds/1"] {
            let res = app.get(path).await;
            let h = res.headers();
            let csp = h.get("content-security-policy").expect("CSP").to_str().unwrap();
            assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{path}");
            assert!(!csp.contains("unsafe-inline"));
            assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
            assert!(h.get("referrer-policy").is_some());
        }
    }

    async fn the_stylesheet_is_cached_under_its_content_hash(app) {
        let (_, body) = app.get_text("/").await;
        let start = body.find("/assets/app.").expect("stylesheet link");
        let end = start + body[start..].find('"').unwrap();
        let res = app.get(&body[start..end]).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert_eq!(app.get("/assets/app.0000.css").await.status(), 404);
        assert!(res.headers().get("content-encoding").is_none());
        let plain = res.bytes().await.unwrap();
        assert!(plain.len() > 1000);
        // Compressed once, for whoever accepts it; caches are told it varies.
        for (accepted, sent, decode) in [("gzip", "gzip", gunzip as fn(&[u8]) -> Vec<u8>),
                                         ("gzip, deflate, br", "br", unbrotli),
                                         ("br;q=0, gzip", "gzip", gunzip)] {
            let res = app.client.get(format!("{}{}", app.address, &body[start..end]))
                .header("accept-encoding", accepted).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let h = res.headers();
            assert_eq!(h["content-encoding"], sent, "{accepted}");
            assert!(h["vary"].to_str().unwrap().contains("Accept-Encoding"));
            assert!(h["cache-control"].to_str().unwrap().contains("immutable"));
            assert_eq!(h["content-type"], "text/css; charset=utf-8");
            let compressed = res.bytes().await.unwrap();
            assert!(compressed.len() < plain.len() / 2, "{accepted}");
            assert_eq!(decode(&compressed), plain, "{accepted}");
        }
    }

    async fn restarting_never_duplicates_the_demo_or_the_first_admin(app) {
        assert!(app.first_admin.is_some());
        let again = polyphony::startup::Application::build(app.settings.clone()).await.unwrap();
        assert!(again.first_admin.is_none());
        let count: i64 = app.db.run(|c| {
            use diesel::prelude::*;
            use polyphony::db::schema::consultations::dsl::*;
            consultations.count().get_result(c).map_err(DbError::from)
        }).await.unwrap();
        assert_eq!(count, 1);
    }

    async fn the_database_refuses_a_second_submission_for_the_same_round(app) {
        execute(&app, "INSERT INTO users (email, password_hash, display_name, stakeholder_group, country, locale, created_at, updated_at) \
                       VALUES ('p@example.org', 'x', 'P', 'academia', 'FR', 'fr', '2026-01-01 00:00:00', '2026-01-01 00:00:00')").await.unwrap();
        let insert = "INSERT INTO submissions (round_id, participant_id, status, disclosure, display_name, organization, \
                      stakeholder_group, country, affiliation_verified, created_at, updated_at) \
                      SELECT 1, id, 'draft', 'attributed', 'P', '', 'academia', 'FR', FALSE, '2026-01-01 00:00:00', '2026-01-01 00:00:00' \
                      FROM users WHERE email = 'p@example.org'";
        execute(&app, insert).await.unwrap();
        let err = execute(&app, insert).await.unwrap_err();
        assert!(matches!(err, DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation, _))), "{err:?}");
    }

    async fn the_database_refuses_unknown_codes(app) {
        let bad_group = execute(&app, "INSERT INTO users (email, password_hash, display_name, stakeholder_group, country, locale, created_at, updated_at) \
                       VALUES ('q@example.org', 'x', 'Q', 'lobbyist', 'FR', 'fr', '2026-01-01 00:00:00', '2026-01-01 00:00:00')").await;
        assert!(bad_group.is_err());
        let bad_attribution = execute(&app, "UPDATE rounds SET attribution = 'secret'").await;
        assert!(bad_attribution.is_err());
        let closes_before_opens = execute(&app, "UPDATE rounds SET closes_at = opens_at").await;
        assert!(closes_before_opens.is_err());
    }

    async fn health_check_answers_503_when_the_database_is_gone(app) {
        if app.backend == Backend::Sqlite {
            // Removing the file does not stop SQLite; the PostgreSQL run covers this.
            return;
        }
        app.database.drop_postgres();
        let (status, body) = app.get_text("/healthz").await;
        assert_eq!(status, 503);
        assert_eq!(body, "unavailable");
        let (status, body) = app.get_text("/").await;
        assert_eq!(status, 503);
        assert!(body.contains("temporarily unavailable"), "{body}");
        assert!(!body.contains("database"), "internals leaked: {body}");
    }
}

both_backends! {
    async fn round_state_follows_the_clock_without_any_job(app) {
        app.clock.advance(time::Duration::days(30));
        let (_, body) = app.get_text("/consultations/additional-protocol/rounds/1").await;
        assert!(body.contains("tag-closed"), "{body}");
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("No round is open for comment at the moment."));
        assert!(home.contains("Other consultations"));
    }
}
