//! The analysis workspace: analysts, search, codebook, tagging, queues.

use crate::helpers::*;
use crate::reports::answer;
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, positions, submissions, text_tags};

const SLUG: &str = "additional-protocol";
const WORKSPACE: &str = "/organize/additional-protocol/analysis";
const ANALYSIS: &str = "/organize/additional-protocol/rounds/1/analysis";
const MANAGE: &str = "/admin/consultations/additional-protocol";

/// A participant of `group` from `country` who submits `fields`.
async fn submits(
    app: &TestApp,
    email: &str,
    group: &str,
    country: &'static str,
    verified: bool,
    fields: &[(&str, &str)],
) {
    let b = app.participant(email, group, country, verified).await;
    answer(&b, fields).await;
}

/// Names the account of `email` an analyst; returns the organizer's answer.
async fn name_analyst(admin: &Browser, email: &str) -> reqwest::Response {
    admin
        .submit(
            MANAGE,
            &format!("{MANAGE}/analysts"),
            &[("analyst_email", email)],
        )
        .await
}

async fn analyst(app: &TestApp, admin: &Browser, email: &str) -> Browser {
    let b = app.participant(email, "academia", "FR", false).await;
    assert_eq!(name_analyst(admin, email).await.status(), 303);
    b
}

async fn position_id(app: &TestApp, comment: &'static str) -> i64 {
    app.db
        .query(move |c| {
            positions::table
                .filter(positions::comment.eq(comment))
                .select(positions::id)
                .first(c)
        })
        .await
        .unwrap()
}

/// The texts listed by a workspace page: each result's text.
fn results(page: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    let selector = scraper::Selector::parse("ul.comments > li").unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

async fn search(b: &Browser, query: &str) -> Vec<String> {
    let (status, page) = b.get_text(&format!("{ANALYSIS}?{query}")).await;
    assert_eq!(status, 200, "{page}");
    results(&page)
}

/// Three participants: a French comment, an English one (confidential),
/// and a general comment.
async fn three_texts(app: &TestApp) {
    submits(
        app,
        "a@example.org",
        "government",
        "CA",
        true,
        &[
            ("stance[art-1]", "support"),
            (
                "comment[art-1]",
                "La réglementation des plateformes protège la diversité.",
            ),
            ("disclosure", "attributed"),
        ],
    )
    .await;
    submits(
        app,
        "b@example.org",
        "civil_society",
        "KE",
        false,
        &[
            ("stance[art-2]", "oppose"),
            (
                "comment[art-2]",
                "Platform regulations harm small creators.",
            ),
            ("proposed_text[art-2]", "Parties may regulate."),
            ("disclosure", "confidential"),
        ],
    )
    .await;
    submits(
        app,
        "c@example.org",
        "academia",
        "FR",
        false,
        &[
            ("general_comment", "Broadcasters deserve a word too."),
            ("disclosure", "anonymous"),
        ],
    )
    .await;
}

both_backends! {
    async fn an_organizer_names_and_removes_analysts_and_a_missing_account_is_an_error_next_to_the_field(app) {
        let admin = app.admin().await;
        let res = name_analyst(&admin, "nobody@example.org").await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("No account has this e-mail address") && body.contains("href=\"#analyst_email\""), "{body}");
        let res = admin.submit(&format!("{MANAGE}?lang=fr"), &format!("{MANAGE}/analysts?lang=fr"), &[("analyst_email", "nobody@example.org")]).await;
        assert!(res.text().await.unwrap().contains("Aucun compte n’a cette adresse"));

        let b = analyst(&app, &admin, "analyst@example.org").await;
        assert_eq!(name_analyst(&admin, "analyst@example.org").await.status(), 422, "named twice");
        let (_, home) = b.get_text("/").await;
        assert!(home.contains("href=\"/analysis\""), "the analyst's navigation leads to their consultations");
        let (status, mine) = b.get_text("/analysis").await;
        assert_eq!(status, 200);
        assert!(mine.contains(WORKSPACE));

        let (_, manage) = admin.get_text(MANAGE).await;
        let id: i64 = app.db.query(|c| {
            polyphony::db::schema::users::table
                .filter(polyphony::db::schema::users::email.eq("analyst@example.org"))
                .select(polyphony::db::schema::users::id)
                .first(c)
        }).await.unwrap();
        let res = admin.post_form(&format!("{MANAGE}/analysts/{id}/remove"), &[("csrf_token", &csrf_in(&manage))]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(b.get(WORKSPACE).await.status(), 404, "a removed analyst no longer sees the workspace");
        let (_, home) = b.get_text("/").await;
        assert!(!home.contains("href=\"/analysis\""), "nor is led there");
        let actions: Vec<String> = app.db.query(|c| audit_log::table.select(audit_log::action).load(c)).await.unwrap();
        assert!(actions.contains(&"analyst.add".to_string()) && actions.contains(&"analyst.remove".to_string()));
    }

    async fn an_analyst_reads_confidential_texts_but_cannot_publish_hide_or_change_rounds(app) {
        three_texts(&app).await;
        let admin = app.admin().await;
        let b = analyst(&app, &admin, "analyst@example.org").await;
        let (status, page) = b.get_text(ANALYSIS).await;
        assert_eq!(status, 200);
        assert!(page.contains("Platform regulations harm small creators.") && page.contains("Confidential — never quote"));
        let (status, _) = b.get_text(WORKSPACE).await;
        assert_eq!(status, 200);

        let id = position_id(&app, "Platform regulations harm small creators.").await;
        let token = csrf_in(&page);
        for path in [
            "/admin/consultations/additional-protocol/rounds/1/publish".to_string(),
            "/admin/consultations/additional-protocol/rounds/1/close".to_string(),
            "/admin/consultations/additional-protocol/rounds/1/extend".to_string(),
            format!("/admin/moderation/{id}/hide"),
        ] {
            let res = b.post_form(&path, &[("csrf_token", &token), ("reason", "x"), ("closes_at", "2099-01-01T00:00")]).await;
            assert_eq!(res.status(), 403, "{path}");
        }
        assert_eq!(b.get("/admin/consultations/additional-protocol/rounds/1/close").await.status(), 403);
        let res = b.post_form(&format!("{WORKSPACE}/tags"), &[("csrf_token", &token), ("label", "Mine")]).await;
        assert_eq!(res.status(), 403, "analysts use the codebook, organizers write it");

        // Another consultation's workspace, and a participant's, are not found.
        new_consultation(&admin, "other").await;
        assert_eq!(b.get("/organize/other/analysis").await.status(), 404);
        let participant = app.participant("p@example.org", "academia", "FR", false).await;
        assert_eq!(participant.get(ANALYSIS).await.status(), 404);
        assert_eq!(participant.get("/analysis").await.status(), 404);
    }

    async fn the_search_stems_french_and_english_words_and_folds_accents(app) {
        three_texts(&app).await;
        let admin = app.admin().await;
        for (query, wanted) in [
            ("q=r%C3%A9glementations", 1),
            ("q=reglementation", 1),
            ("q=plateforme", 1),
            ("q=platforms", 1),
            ("q=regulation", 1),
            ("q=broadcaster", 1),
            ("q=platforms+creators", 1),
            ("q=nothing+here", 0),
            ("q=%22platform%22+OR+NEAR%28x%29", 0),
        ] {
            assert_eq!(search(&admin, query).await.len(), wanted, "{query}");
        }
        let found = search(&admin, "q=reglementations").await;
        assert!(found[0].contains("La réglementation des plateformes"));
    }

    async fn the_search_filters_by_each_filter_and_counts_each_facet(app) {
        three_texts(&app).await;
        let admin = app.admin().await;
        let one = |query: &'static str, text: &'static str| (query, text);
        for (query, text) in [
            one("provision=p%3Aart-1", "réglementation"),
            one("provision=general", "Broadcasters"),
            one("group=civil_society", "small creators"),
            one("country=KE", "small creators"),
            one("region=europe", "Broadcasters"),
            one("stance=support", "réglementation"),
            one("disclosure=confidential", "small creators"),
            one("verified=yes", "réglementation"),
        ] {
            let found = search(&admin, query).await;
            assert_eq!(found.len(), 1, "{query}: {found:?}");
            assert!(found[0].contains(text), "{query}: {found:?}");
        }
        assert_eq!(search(&admin, "verified=no").await.len(), 2);
        assert_eq!(search(&admin, "coded=no").await.len(), 3);
        assert_eq!(search(&admin, "coded=yes").await.len(), 0);
        let id = position_id(&app, "Platform regulations harm small creators.").await;
        let path = format!("/admin/consultations/{SLUG}/rounds/1/texts/position/{id}/disposition");
        let res = admin.submit(&path, &path, &[("disposition", "not_accepted"), ("reason", "")]).await;
        assert_eq!(res.status(), 303);
        let found = search(&admin, "disposition=not_accepted").await;
        assert!(found.len() == 1 && found[0].contains("small creators"), "{found:?}");
        assert_eq!(search(&admin, "disposition=accepted").await.len(), 0);
        assert_eq!(search(&admin, "disposition=none").await.len(), 2);
        let (_, page) = admin.get_text(ANALYSIS).await;
        assert!(page.contains("Civil society (1)") && page.contains("Government (1)") && page.contains("Academia and research (1)"), "group facet: {page}");
        let (_, page) = admin.get_text(&format!("{ANALYSIS}?q=creators")).await;
        assert!(page.contains("Civil society (1)") && !page.contains("Government (1)"), "group facet counts the current search: {}", page.split("class=\"facets\"").nth(1).unwrap_or(&page));
        assert!(page.contains("Oppose (1)") && !page.contains("Support (1)"), "stance facet");
        let (_, all) = admin.get_text(ANALYSIS).await;
        assert!(all.contains("3 texts found"));
    }

    async fn a_withdrawn_submission_leaves_the_search_and_comes_back_when_submitted_again(app) {
        let b = app.participant("w@example.org", "academia", "FR", false).await;
        let fields = [("comment[art-1]", "Withdrawable thoughts on quotas."), ("disclosure", "anonymous")];
        answer(&b, &fields).await;
        let admin = app.admin().await;
        assert_eq!(search(&admin, "q=quotas").await.len(), 1);
        let res = b.submit("/consultations/additional-protocol/rounds/1", "/consultations/additional-protocol/rounds/1/submission", &[("action", "withdraw")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&admin, "q=quotas").await.len(), 0, "withdrawn texts are not analysed");
        let (_, page) = admin.get_text(ANALYSIS).await;
        assert!(page.contains("0 texts found"));
        answer(&b, &fields).await;
        assert_eq!(search(&admin, "q=quotas").await.len(), 1);
    }

    async fn a_campaign_is_listed_once_and_its_copies_are_tagged_together(app) {
        let letter = "We the undersigned ask that streaming services fund local music in every member state.";
        for (email, group) in [("c1@example.org", "civil_society"), ("c2@example.org", "civil_society"), ("c3@example.org", "individual")] {
            submits(&app, email, group, "FR", false, &[("comment[art-1]", letter), ("disclosure", "anonymous")]).await;
        }
        submits(&app, "own@example.org", "academia", "FR", false, &[("comment[art-1]", "A text of our own about local music funding."), ("disclosure", "anonymous")]).await;
        let admin = app.admin().await;
        let (_, page) = admin.get_text(&format!("{ANALYSIS}?provision=p%3Aart-1")).await;
        let link = format!("{ANALYSIS}/campaigns?provision&#x3D;p%3Aart-1");
        assert!(page.contains(&link), "a chosen provision links to its campaigns");
        let (status, list) = admin.get_text(&format!("{ANALYSIS}/campaigns?provision=p%3Aart-1")).await;
        assert_eq!(status, 200);
        assert_eq!(list.matches("Sent 3 times").count(), 1, "{list}");
        assert!(list.contains("Civil society (2), Individual (1)") && !list.contains("A text of our own"));
        let first = position_id(&app, letter).await;
        let copies = search(&admin, &format!("campaign={first}")).await;
        assert_eq!(copies.len(), 3, "{copies:?}");
        assert!(copies.iter().all(|c| c.contains("We the undersigned")));

        assert_eq!(admin.submit(WORKSPACE, &format!("{WORKSPACE}/tags"), &[("label", "Music quotas")]).await.status(), 303);
        let tag: i64 = app.db.query(|c| polyphony::db::schema::analysis_tags::table.select(polyphony::db::schema::analysis_tags::id).first(c)).await.unwrap();
        let page = format!("{ANALYSIS}?campaign={first}");
        let res = admin.submit(&page, &format!("{ANALYSIS}/tag"), &[("campaign", &first.to_string()), ("apply_tag", &tag.to_string()), ("scope", "all")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&admin, &format!("tag={tag}")).await.len(), 3, "every copy and nothing else");
        assert_eq!(search(&admin, "campaign=999999").await.len(), 0, "a text in no campaign names none");
        assert_eq!(admin.get(&format!("{ANALYSIS}/campaigns?provision=p%3Anone")).await.status(), 404);
    }

    async fn progress_counts_coded_texts_per_provision_and_links_to_what_is_left(app) {
        three_texts(&app).await;
        let admin = app.admin().await;
        assert_eq!(admin.submit(WORKSPACE, &format!("{WORKSPACE}/tags"), &[("label", "Harm")]).await.status(), 303);
        let tag: i64 = app.db.query(|c| polyphony::db::schema::analysis_tags::table.select(polyphony::db::schema::analysis_tags::id).first(c)).await.unwrap();
        let res = admin.submit(ANALYSIS, &format!("{ANALYSIS}/tag"), &[("q", "creators"), ("apply_tag", &tag.to_string()), ("scope", "all")]).await;
        assert_eq!(res.status(), 303);
        let (status, page) = admin.get_text(&format!("{ANALYSIS}/progress")).await;
        assert_eq!(status, 200);
        assert!(page.contains("1 of 3 texts coded."), "{page}");
        let row = |key: &str| {
            let doc = scraper::Html::parse_document(&page);
            let rows = scraper::Selector::parse("tbody tr").unwrap();
            doc.select(&rows).map(|r| r.inner_html()).find(|r| r.contains(key)).unwrap_or_default()
        };
        let art2 = row("Article 2");
        assert!(art2.contains(">1</td><td class=\"num\">1</td>") && !art2.contains("<a "), "coded: no link: {art2}");
        let art1 = row("Article 1 ");
        assert!(art1.contains(">0</td><td class=\"num\">1</td>") && art1.contains("provision=p%3Aart-1&amp;coded=no"), "{art1}");
        let general = row("General comments");
        assert!(general.contains("provision=general&amp;coded=no"), "{general}");
        assert_eq!(search(&admin, "provision=p%3Aart-1&coded=no").await.len(), 1);
    }

    async fn highlighting_escapes_a_text_before_marking_its_words(app) {
        submits(&app, "x@example.org", "academia", "FR", false, &[
            ("comment[art-1]", "<script>alert(1)</script> platforms & <b>more</b>"),
            ("disclosure", "anonymous"),
        ]).await;
        let admin = app.admin().await;
        let (_, page) = admin.get_text(&format!("{ANALYSIS}?q=platform")).await;
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; <mark>platforms</mark> &amp; &lt;b&gt;more&lt;/b&gt;"), "{page}");
        assert!(!page.contains("<script>"));
    }

    async fn organizers_write_a_two_level_codebook_with_clear_errors(app) {
        let admin = app.admin().await;
        let save = |fields: Vec<(&'static str, String)>| {
            let admin = &admin;
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                admin.submit(WORKSPACE, &format!("{WORKSPACE}/tags"), &fields).await
            }
        };
        assert_eq!(save(vec![("label", "Funding".into()), ("translated_label", "Financement".into())]).await.status(), 303);
        let res = save(vec![("label", "Funding".into())]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Another tag already has this label."));
        let res = save(vec![("label", "".into())]).await;
        assert_eq!(res.status(), 422);
        let tags: Vec<(i64, String)> = app.db.query(|c| {
            use polyphony::db::schema::analysis_tags::dsl::*;
            analysis_tags.select((id, label)).load(c)
        }).await.unwrap();
        let funding = tags[0].0.to_string();
        assert_eq!(save(vec![("label", "Public funds".into()), ("parent", funding.clone())]).await.status(), 303);
        let child: i64 = app.db.query(|c| {
            use polyphony::db::schema::analysis_tags::dsl::*;
            analysis_tags.filter(label.eq("Public funds")).select(id).first(c)
        }).await.unwrap();
        let res = save(vec![("label", "Deeper".into()), ("parent", child.to_string())]).await;
        assert_eq!(res.status(), 422, "one level of nesting only");
        assert_eq!(save(vec![("tag", funding.clone()), ("label", "Cultural funding".into()), ("translated_label", "Financement".into())]).await.status(), 303);
        let (_, page) = admin.get_text(&format!("{WORKSPACE}?lang=fr")).await;
        assert!(page.contains("Cultural funding") && page.contains("Financement") && page.contains("Public funds"));
        let res = admin.post_form(&format!("{WORKSPACE}/tags/{funding}/delete"), &[("csrf_token", &csrf_in(&page))]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = admin.get_text(WORKSPACE).await;
        assert!(!page.contains("Cultural funding") && !page.contains("Public funds"), "its children go with it");
        let actions: Vec<String> = app.db.query(|c| audit_log::table.select(audit_log::action).load(c)).await.unwrap();
        assert!(actions.contains(&"tag.create".into()) && actions.contains(&"tag.update".into()) && actions.contains(&"tag.delete".into()));
    }

    async fn bulk_tagging_and_undoing_one_tagging_and_a_whole_batch(app) {
        three_texts(&app).await;
        let admin = app.admin().await;
        assert_eq!(admin.submit(WORKSPACE, &format!("{WORKSPACE}/tags"), &[("label", "Regulation")]).await.status(), 303);
        let tag: i64 = app.db.query(|c| polyphony::db::schema::analysis_tags::table.select(polyphony::db::schema::analysis_tags::id).first(c)).await.unwrap();
        let tag = tag.to_string();
        let b = analyst(&app, &admin, "analyst@example.org").await;
        // All results of a search, by the analyst.
        let res = b.submit(ANALYSIS, &format!("{ANALYSIS}/tag"), &[("verified", "no"), ("apply_tag", &tag), ("scope", "all")]).await;
        assert_eq!(res.status(), 303);
        let batch_page = res.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = b.get_text(&batch_page).await;
        assert!(page.contains("2 texts tagged in this batch."), "{}", page.split("<main").nth(1).unwrap_or(&page));
        assert_eq!(search(&b, &format!("tag={tag}")).await.len(), 2);
        assert_eq!(search(&b, "coded=no").await.len(), 1);
        let (_, facets) = b.get_text(ANALYSIS).await;
        assert!(facets.contains("Regulation (2)"));
        // Tagging again adds nothing twice.
        let res = b.submit(ANALYSIS, &format!("{ANALYSIS}/tag"), &[("apply_tag", &tag), ("scope", "all")]).await;
        let (_, again) = b.get_text(res.headers()["location"].to_str().unwrap()).await;
        assert!(again.contains("1 text tagged in this batch."));
        // Undo one tagging on the text's page.
        let id = position_id(&app, "Platform regulations harm small creators.").await;
        let text = format!("{ANALYSIS}/texts/position/{id}");
        let (status, text_page) = b.get_text(&text).await;
        assert_eq!(status, 200);
        let tagging: i64 = app.db.query(move |c| text_tags::table.filter(text_tags::text_id.eq(id)).filter(text_tags::removed_at.is_null()).select(text_tags::id).first(c)).await.unwrap();
        let res = b.post_form(&format!("{ANALYSIS}/taggings/{tagging}/undo"), &[("csrf_token", &csrf_in(&text_page)), ("back", &format!("position-{id}"))]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&b, &format!("tag={tag}")).await.len(), 2, "the first batch's other text and the second batch's");
        let (_, text_page) = b.get_text(&text).await;
        assert!(text_page.contains("undone"), "the history keeps the undone tagging");
        // Undo the first batch as a whole.
        let res = b.post_form(&format!("{batch_page}/undo"), &[("csrf_token", &csrf_in(&text_page))]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&b, &format!("tag={tag}")).await.len(), 1);
        let kept: i64 = app.db.query(|c| text_tags::table.count().get_result(c)).await.unwrap();
        assert_eq!(kept, 3, "undoing keeps the history");
        // Selected rows only.
        let res = b.submit(ANALYSIS, &format!("{ANALYSIS}/tag"), &[("apply_tag", &tag), ("scope", "selected"), ("text", &format!("position-{id}"))]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&b, &format!("tag={tag}")).await.len(), 2);
        // Another consultation's tag is not found.
        let res = b.submit(ANALYSIS, &format!("{ANALYSIS}/tag"), &[("apply_tag", "999999"), ("scope", "all")]).await;
        assert_eq!(res.status(), 404);
    }

    async fn the_queue_gives_each_analyst_their_oldest_undone_text_and_never_anothers(app) {
        three_texts(&app).await;
        let admin = app.admin().await;
        let one = analyst(&app, &admin, "one@example.org").await;
        let two = analyst(&app, &admin, "two@example.org").await;
        let ids: Vec<i64> = app.db.query(|c| polyphony::db::schema::users::table
            .filter(polyphony::db::schema::users::email.eq_any(["one@example.org", "two@example.org"]))
            .order(polyphony::db::schema::users::email)
            .select(polyphony::db::schema::users::id).load(c)).await.unwrap();
        let (first, second) = (ids[0].to_string(), ids[1].to_string());
        let res = one.submit(ANALYSIS, &format!("{ANALYSIS}/assign"), &[("analysts", first.as_str())]).await;
        assert_eq!(res.status(), 403, "analysts do not split the work");
        let res = admin.submit(ANALYSIS, &format!("{ANALYSIS}/assign"), &[("analysts", first.as_str()), ("analysts", second.as_str())]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&admin, &format!("analyst={first}")).await.len(), 2, "dealt in turn: 1st and 3rd");
        assert_eq!(search(&admin, &format!("analyst={second}")).await.len(), 1);
        let (_, queue) = one.get_text(&format!("{ANALYSIS}/queue")).await;
        assert!(queue.contains("2 texts to code, 0 done."), "{queue}");
        let first_text = position_id(&app, "La réglementation des plateformes protège la diversité.").await;
        assert!(queue.contains(&format!("texts/position/{first_text}")), "the oldest first");
        let general: i64 = app.db.query(|c| submissions::table.filter(submissions::general_comment.ne("")).select(submissions::id).first(c)).await.unwrap();
        // Save and next: done, then the analyst's next text, never the other's.
        let here = format!("{ANALYSIS}/texts/position/{first_text}");
        let res = one.submit(&here, &here, &[("action", "next")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("{ANALYSIS}/texts/general/{general}"));
        let here = format!("{ANALYSIS}/texts/general/{general}");
        let res = one.submit(&here, &here, &[("action", "next")]).await;
        assert_eq!(res.headers()["location"].to_str().unwrap(), format!("{ANALYSIS}/queue"));
        let (_, queue) = one.get_text(&format!("{ANALYSIS}/queue")).await;
        assert!(queue.contains("0 texts to code, 2 done.") && queue.contains("Nothing left in your queue."));
        let (_, other) = two.get_text(&format!("{ANALYSIS}/queue")).await;
        assert!(other.contains("1 texts to code"));
        // A second split finds nothing left to assign.
        let res = admin.submit(ANALYSIS, &format!("{ANALYSIS}/assign"), &[("analysts", second.as_str())]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(search(&admin, &format!("analyst={second}")).await.len(), 1);
        let _ = SLUG;
    }
}

both_backends! {
    async fn fifty_long_texts_make_a_page_under_60_kb_each_cut_with_a_link_to_the_whole(app) {
        let (round_id, provisions) = app.db.query(|c| {
            let round: polyphony::rounds::Round = polyphony::db::schema::rounds::table
                .select(polyphony::rounds::Round::as_select())
                .first(c)?;
            let provisions = polyphony::reports::provisions_of(c, &round)?;
            Ok((round.id, provisions))
        }).await.unwrap();
        let now = app.clock.now();
        app.db.query(move |c| polyphony::synthetic::seed(c, round_id, &provisions, 300, now)).await.unwrap();
        let long = "Les <b>plateformes</b> numériques & la réglementation des contenus culturels locaux. ".repeat(110);
        app.db.query(move |c| {
            diesel::update(positions::table.filter(positions::comment.ne("")))
                .set((positions::comment.eq(&long), positions::proposed_text.eq(&long)))
                .execute(c)
        }).await.unwrap();
        let admin = app.admin().await;
        let (status, page) = admin.get_text(&format!("{ANALYSIS}?q=plateforme")).await;
        assert_eq!(status, 200);
        assert_eq!(results(&page).len(), 50);
        // With the stylesheet (12 KB), within the browser tests' 60 KB budget
        // even in this worst case: every text long, full of escaped markup and
        // marked words.
        assert!(page.len() <= 48 * 1024, "{} bytes of HTML", page.len());
        assert!(page.contains("&lt;b&gt;<mark>plateformes</mark>&lt;/b&gt;") && page.contains("Read the whole text and tag it"));
    }
}

both_backends! {
    async fn tagging_and_undoing_make_a_stored_draft_report_stale(app) {
        three_texts(&app).await;
        let position = position_id(&app, "La réglementation des plateformes protège la diversité.").await;
        let now = app.clock.now();
        let changes = |c: &mut polyphony::db::DbConnection| -> diesel::QueryResult<i64> {
            use polyphony::db::schema::round_changes;
            Ok(round_changes::table
                .select(round_changes::changes)
                .first::<i64>(c)
                .optional()?
                .unwrap_or(0))
        };
        let (before, tagged, undone) = app
            .db
            .query(move |c| {
                use polyphony::analysis::{TextRef, tags};
                let round: polyphony::rounds::Round = polyphony::db::schema::rounds::table
                    .select(polyphony::rounds::Round::as_select())
                    .first(c)?;
                let admin: polyphony::db::UserId = polyphony::db::schema::users::table
                    .filter(polyphony::db::schema::users::role.eq("admin"))
                    .select(polyphony::db::schema::users::id)
                    .first(c)?;
                let input = tags::TagInput {
                    label: "Diversity".into(),
                    translated_label: "Diversité".into(),
                    description: String::new(),
                    parent: None,
                };
                let tag = tags::save(c, round.consultation_id, None, &input, admin, now)?.unwrap();
                let before = changes(c)?;
                let text = TextRef::position(polyphony::db::PositionId(position));
                tags::set_for_text(c, round.id, text, &[tag], admin, now)?;
                let tagged = changes(c)?;
                tags::set_for_text(c, round.id, text, &[], admin, now)?;
                Ok((before, tagged, changes(c)?))
            })
            .await
            .unwrap();
        assert!(tagged > before, "a tagging moves the round's data stamp");
        assert!(undone > tagged, "so does undoing it");
    }
}

/// How many changes wait in the search queue, and how many texts are indexed.
async fn queued_and_indexed(app: &TestApp) -> (i64, i64) {
    use polyphony::db::schema::{analysis_queue, analysis_texts};
    app.db
        .query(|c| {
            Ok((
                analysis_queue::table.count().get_result(c)?,
                analysis_texts::table.count().get_result(c)?,
            ))
        })
        .await
        .unwrap()
}

/// Without a background worker, a submit only queues its texts; the
/// workspace indexes them before it reads, so it never shows a text as it
/// was before its last submit, nor a withdrawn one.
async fn a_submit_only_queues_its_texts_and_the_workspace_indexes_them_before_reading(
    backend: Backend,
) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.reports.worker = false;
    let app = spawn_with(database, settings, backend).await;
    let admin = app.admin().await;
    // The round's earlier texts are indexed on this first visit.
    let (_, indexed) = {
        search(&admin, "").await;
        queued_and_indexed(&app).await
    };
    let b = app
        .participant("q@example.org", "academia", "FR", false)
        .await;
    answer(
        &b,
        &[
            ("comment[art-1]", "Quotas for local music."),
            ("disclosure", "anonymous"),
        ],
    )
    .await;
    assert_eq!(
        queued_and_indexed(&app).await,
        (1, indexed),
        "the submit indexed nothing itself"
    );
    assert_eq!(search(&admin, "q=quotas").await.len(), 1);
    assert_eq!(queued_and_indexed(&app).await, (0, indexed + 1));

    answer(
        &b,
        &[
            ("comment[art-1]", "Subsidies for local music."),
            ("disclosure", "anonymous"),
        ],
    )
    .await;
    assert_eq!(queued_and_indexed(&app).await.0, 1);
    assert_eq!(
        search(&admin, "q=quotas").await.len(),
        0,
        "the text as it was is gone"
    );
    assert_eq!(search(&admin, "q=subsidies").await.len(), 1);

    let res = b
        .submit(
            "/consultations/additional-protocol/rounds/1",
            "/consultations/additional-protocol/rounds/1/submission",
            &[("action", "withdraw")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(search(&admin, "q=subsidies").await.len(), 0);
    assert_eq!(queued_and_indexed(&app).await, (0, indexed));
}

/// With the worker on, a submission is indexed without anyone visiting the
/// workspace.
async fn the_background_worker_indexes_a_submit_without_a_visit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let b = app
        .participant("w@example.org", "academia", "FR", false)
        .await;
    answer(
        &b,
        &[
            ("comment[art-1]", "Indexed in the background."),
            ("disclosure", "anonymous"),
        ],
    )
    .await;
    let document = || {
        app.db.query(|c| {
            use polyphony::db::schema::analysis_texts;
            analysis_texts::table
                .inner_join(positions::table.on(positions::id.eq(analysis_texts::text_id)))
                .filter(positions::comment.eq("Indexed in the background."))
                .select(analysis_texts::document)
                .first::<String>(c)
                .optional()
        })
    };
    let mut found = None;
    for _ in 0..100 {
        found = document().await.unwrap();
        if found.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let found = found.expect("indexed within 10 s by the worker (it polls every second)");
    assert!(found.contains("background"), "{found}");
    assert_eq!(queued_and_indexed(&app).await.0, 0);
}

/// Several indexers at once (two "instances" draining every round, skipping
/// each other's batches, and a workspace draining its round, waiting for
/// them) over the same submissions queued many times: none fails, and each
/// text is indexed exactly once.
async fn concurrent_indexers_index_each_text_once(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.reports.worker = false;
    let app = spawn_with(database, settings, backend).await;
    let (round_id, provisions) = app
        .db
        .query(|c| {
            let round: polyphony::rounds::Round = polyphony::db::schema::rounds::table
                .select(polyphony::rounds::Round::as_select())
                .first(c)?;
            Ok((round.id, polyphony::reports::provisions_of(c, &round)?))
        })
        .await
        .unwrap();
    let now = app.clock.now();
    app.db
        .query(move |c| polyphony::synthetic::seed(c, round_id, &provisions, 300, now))
        .await
        .unwrap();
    let queue_all_three_times = move |c: &mut polyphony::db::DbConnection| {
        let submitted = submissions::table
            .filter(submissions::round_id.eq(round_id))
            .filter(submissions::status.eq("submitted"));
        let ids: Vec<polyphony::db::SubmissionId> = submitted.select(submissions::id).load(c)?;
        for _ in 0..3 {
            for id in &ids {
                polyphony::analysis::index::queue(c, round_id, *id, now)?;
            }
        }
        let texts: i64 = positions::table
            .filter(positions::submission_id.eq_any(&ids))
            .filter(
                positions::comment
                    .ne("")
                    .or(positions::proposed_text.ne("")),
            )
            .count()
            .get_result(c)?;
        let general: i64 = submitted
            .filter(submissions::general_comment.ne(""))
            .count()
            .get_result(c)?;
        Ok(texts + general)
    };
    let worker = || {
        app.db.query(|c| {
            while polyphony::analysis::index::drain(c, None)? > 0 {}
            Ok(())
        })
    };
    let mut expected = 0;
    for _ in 0..4 {
        expected = app.db.query(queue_all_three_times).await.unwrap();
        let page = app
            .db
            .query(move |c| polyphony::analysis::index::drain_round(c, round_id));
        let (a, b, c) = tokio::join!(worker(), worker(), page);
        a.unwrap();
        b.unwrap();
        c.unwrap();
    }
    assert!(expected > 300, "{expected}");
    assert_eq!(queued_and_indexed(&app).await, (0, expected));
}

on_both_backends! {
    a_submit_only_queues_its_texts_and_the_workspace_indexes_them_before_reading => a_submit_only_queues_its_texts_and_the_workspace_indexes_them_before_reading;
    the_background_worker_indexes_a_submit_without_a_visit => the_background_worker_indexes_a_submit_without_a_visit;
    concurrent_indexers_index_each_text_once => concurrent_indexers_index_each_text_once;
}
