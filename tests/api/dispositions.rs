//! Dispositions on texts (analysts propose, organizers confirm) and what the
//! report publishes of them and of the themes the texts were tagged with.

use crate::helpers::*;
use crate::reports::{answer, close_and_publish};
use diesel::prelude::*;
use polyphony::analysis::{TextRef, fixtures};
use polyphony::db::schema::{
    audit_log, consultation_analysts, consultations, positions, rounds, text_dispositions, users,
};
use polyphony::db::{ConsultationId, PositionId, RoundId};
use polyphony::reports::Snapshot;

const SLUG: &str = "additional-protocol";
const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";

/// The demo consultation's id and its first round's.
async fn demo_round(app: &TestApp) -> (ConsultationId, RoundId) {
    app.db
        .query(|c| {
            rounds::table
                .inner_join(consultations::table)
                .filter(consultations::slug.eq(SLUG))
                .filter(rounds::number.eq(1))
                .select((rounds::consultation_id, rounds::id))
                .first(c)
        })
        .await
        .unwrap()
}

/// The position holding `comment`.
pub(crate) async fn position_with(app: &TestApp, comment: &'static str) -> PositionId {
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

/// The public id a position's permalink names.
async fn public_id_of(app: &TestApp, position: PositionId) -> String {
    app.db
        .query(move |c| {
            let round: polyphony::rounds::Round = polyphony::db::schema::rounds::table
                .select(polyphony::rounds::Round::as_select())
                .first(c)?;
            polyphony::reports::position_public_ids(c, round.id, &[position.0])
        })
        .await
        .unwrap()
        .remove(0)
}

fn disposition_path(position: PositionId) -> String {
    format!("{ADMIN_ROUND}/texts/position/{position}/disposition")
}

/// A participant named analyst of `consultation`, signed in.
async fn analyst(app: &TestApp, email: &'static str, consultation: ConsultationId) -> Browser {
    let b = app.participant(email, "academia", "FR", false).await;
    let now = app.clock.now();
    app.db
        .query(move |c| {
            let user: i64 = users::table
                .filter(users::email.eq(email))
                .select(users::id)
                .first(c)?;
            diesel::insert_into(consultation_analysts::table)
                .values((
                    consultation_analysts::consultation_id.eq(consultation),
                    consultation_analysts::user_id.eq(user),
                    consultation_analysts::assigned_at.eq(now),
                ))
                .execute(c)
        })
        .await
        .unwrap();
    b
}

/// Posts the disposition form of the text's own page.
async fn post_disposition(
    b: &Browser,
    position: PositionId,
    disposition: &str,
    reason: &str,
) -> reqwest::Response {
    let path = disposition_path(position);
    b.submit(
        &path,
        &path,
        &[("disposition", disposition), ("reason", reason)],
    )
    .await
}

async fn stored(app: &TestApp, position: PositionId) -> Option<(String, String, String)> {
    app.db
        .query(move |c| {
            text_dispositions::table
                .filter(text_dispositions::text_kind.eq("position"))
                .filter(text_dispositions::text_id.eq(position.0))
                .select((
                    text_dispositions::disposition,
                    text_dispositions::reason,
                    text_dispositions::state,
                ))
                .first(c)
                .optional()
        })
        .await
        .unwrap()
}

async fn snapshot(app: &TestApp) -> (Snapshot, serde_json::Value) {
    let (status, json) = app.get_text(&format!("{ROUND}/report.json")).await;
    assert_eq!(status, 200);
    (
        serde_json::from_str(&json).unwrap(),
        serde_json::from_str(&json).unwrap(),
    )
}

both_backends! {
    async fn an_analyst_proposes_and_an_organizer_confirms_each_audit_logged(app) {
        let (consultation, _) = demo_round(&app).await;
        let g = app.participant("g@example.org", "government", "CA", true).await;
        answer(&g, &[("stance[art-1]", "oppose"), ("comment[art-1]", "Too vague."), ("disclosure", "attributed")]).await;
        let text = position_with(&app, "Too vague.").await;
        let analyst = analyst(&app, "an@example.org", consultation).await;

        let (status, page) = analyst.get_text(&disposition_path(text)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Too vague.") && page.contains(">Propose</button>"), "{page}");
        let res = post_disposition(&analyst, text, "partly_accepted", "Article 2 now says *which* data.").await;
        assert_eq!(res.status(), 303);
        assert_eq!(stored(&app, text).await, Some(("partly_accepted".into(), "Article 2 now says *which* data.".into(), "proposed".into())));

        let admin = app.admin().await;
        let (_, preview) = admin.get_text(&format!("{ADMIN_ROUND}/report/provisions/art-1")).await;
        assert!(preview.contains("Partly accepted (proposed by an analyst)"), "the draft report shows the proposal under the text");
        assert!(preview.contains(&format!("action=\"{}\"", disposition_path(text))), "a form under the text");
        let res = admin.post_form(&disposition_path(text), &[
            ("csrf_token", &csrf_in(&preview)),
            ("disposition", "accepted"),
            ("reason", "Article 2 now says which data."),
            ("return_to", &format!("{ADMIN_ROUND}/report/provisions/art-1?page=1#text-{text}")),
        ]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("{ADMIN_ROUND}/report/provisions/art-1?page=1#text-{text}"));
        assert_eq!(stored(&app, text).await.map(|s| (s.0, s.2)), Some(("accepted".into(), "confirmed".into())));

        let actions: Vec<(String, String)> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.like("disposition.%"))
            .order(audit_log::id.asc())
            .select((audit_log::action, audit_log::details))
            .load(c)).await.unwrap();
        assert_eq!(actions.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), ["disposition.propose", "disposition.confirm"]);
        assert!(actions[0].1.starts_with("partly_accepted:"), "the audit keeps what was proposed");
        let (_, audit) = app.get_text("/audit").await;
        assert!(!audit.contains("Article 2 now says"), "the public audit log never shows a reason before publication");

        // An analyst cannot overturn what an organizer confirmed.
        let res = post_disposition(&analyst, text, "not_accepted", "No.").await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("only an organizer can change it"));
        assert_eq!(stored(&app, text).await.map(|s| s.0), Some("accepted".into()));
    }

    async fn texts_of_other_consultations_drafts_and_strangers_are_not_found(app) {
        let g = app.participant("g@example.org", "government", "CA", true).await;
        answer(&g, &[("stance[art-1]", "oppose"), ("comment[art-1]", "Too vague."), ("disclosure", "attributed")]).await;
        let text = position_with(&app, "Too vague.").await;
        let d = app.participant("d@example.org", "government", "CA", true).await;
        let res = d.submit(ROUND, &format!("{ROUND}/submission"), &[("action", "save"), ("stance[art-1]", "support"), ("comment[art-1]", "Not sent yet.")]).await;
        assert_eq!(res.status(), 303);
        let draft = position_with(&app, "Not sent yet.").await;

        let admin = app.admin().await;
        new_consultation(&admin, "other").await;
        let elsewhere = app.db.query(|c| consultations::table.filter(consultations::slug.eq("other")).select(consultations::id).first::<ConsultationId>(c)).await.unwrap();
        let outsider = analyst(&app, "out@example.org", elsewhere).await;
        let stranger = app.participant("s@example.org", "academia", "FR", false).await;
        assert_eq!(outsider.get(&disposition_path(text)).await.status(), 404, "an analyst of another consultation");
        assert_eq!(stranger.get(&disposition_path(text)).await.status(), 404, "a participant");
        let (_, form) = stranger.get_text("/account").await;
        let res = stranger.post_form(&disposition_path(text), &[("csrf_token", &csrf_in(&form)), ("disposition", "accepted"), ("reason", "")]).await;
        assert_eq!(res.status(), 404);
        assert_eq!(admin.get(&disposition_path(draft)).await.status(), 404, "a text not submitted");
        let local = format!("/admin/consultations/{}/rounds/1/texts/position/{text}/disposition", polyphony::demo::LONG_SLUG);
        assert_eq!(admin.get(&local).await.status(), 404, "the text under another consultation's address");
        assert_eq!(admin.get(&format!("{ADMIN_ROUND}/texts/sentence/{text}/disposition")).await.status(), 404);
        assert_eq!(admin.get(&format!("{ADMIN_ROUND}/texts/general/{text}/disposition")).await.status(), 404, "no general comment by that id");
        assert_eq!(stored(&app, text).await, None);
    }

    async fn bad_input_comes_back_with_a_translated_error_next_to_the_field(app) {
        let g = app.participant("g@example.org", "government", "CA", true).await;
        answer(&g, &[("stance[art-1]", "oppose"), ("comment[art-1]", "Too vague."), ("disclosure", "attributed")]).await;
        let text = position_with(&app, "Too vague.").await;
        let admin = app.admin().await;
        let res = post_disposition(&admin, text, "maybe", "Kept as typed.").await;
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        let doc = scraper::Html::parse_document(&page);
        let error = doc.select(&scraper::Selector::parse(".field-error .error-message").unwrap()).next().map(|e| e.text().collect::<String>()).unwrap_or_default();
        assert!(error.contains("Choose accepted, partly accepted"), "{error}");
        assert!(page.contains("href=\"#disposition\""), "the error summary links to the field");
        assert!(page.contains(">Kept as typed.</textarea>"), "the reason is kept");

        let long = "x".repeat(5_001);
        let path = format!("{}?lang=fr", disposition_path(text));
        let res = admin.submit(&path, &path, &[("disposition", "accepted"), ("reason", &long)]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Le motif ne doit pas dépasser 5 000 caractères."));
        assert_eq!(stored(&app, text).await, None, "nothing is recorded");
    }

    async fn confirmed_dispositions_are_published_with_their_texts_and_counted_by_group(app) {
        let (consultation, _) = demo_round(&app).await;
        let admin = app.admin().await;
        for (email, group, comment, disclosure) in [
            ("g1@example.org", "government", "Too vague.", "attributed"),
            ("g2@example.org", "government", "Far too vague.", "anonymous"),
            ("c1@example.org", "civil_society", "An insult.", "anonymous"),
            ("c2@example.org", "civil_society", "Our secret view.", "confidential"),
            ("c3@example.org", "civil_society", "Merely proposed.", "anonymous"),
        ] {
            let b = app.participant(email, group, "CA", false).await;
            answer(&b, &[("stance[art-1]", "oppose"), ("comment[art-1]", comment), ("disclosure", disclosure)]).await;
        }
        for (comment, disposition, reason) in [
            ("Too vague.", "accepted", "We *narrowed* it. <script>alert(1)</script>"),
            ("Far too vague.", "accepted", ""),
            ("An insult.", "not_accepted", "HIDDEN-REASON"),
            ("Our secret view.", "accepted", "CONFIDENTIAL-REASON"),
        ] {
            let text = position_with(&app, comment).await;
            assert_eq!(post_disposition(&admin, text, disposition, reason).await.status(), 303);
        }
        let proposed = position_with(&app, "Merely proposed.").await;
        let analyst = analyst(&app, "an@example.org", consultation).await;
        assert_eq!(post_disposition(&analyst, proposed, "out_of_scope", "PROPOSED-REASON").await.status(), 303);
        let insult = position_with(&app, "An insult.").await;
        let (_, preview) = admin.get_text(&format!("{ADMIN_ROUND}/report/provisions/art-1")).await;
        assert!(preview.contains("Dispositions to cite"), "the response form lists what can be cited");
        let vague_id = public_id_of(&app, position_with(&app, "Too vague.").await).await;
        assert!(preview.contains(&format!("{ROUND}/report/texts/{vague_id}")), "with permalinks");
        let res = admin.post_form(&format!("/admin/moderation/{insult}/hide"), &[("csrf_token", &csrf_in(&preview)), ("reason", "personal attack")]).await;
        assert_eq!(res.status(), 303);
        close_and_publish(&app).await;

        let (s, json) = snapshot(&app).await;
        let art1 = s.provision("art-1").unwrap();
        let counts: Vec<(String, String, i64)> = art1.dispositions.iter().map(|d| (d.disposition.as_str().into(), d.group.unwrap().as_str().into(), d.count)).collect();
        assert_eq!(counts, [("accepted".to_string(), "government".to_string(), 2)], "published texts only: not hidden, confidential or merely proposed");
        let texts = json["texts"].as_array().unwrap();
        let vague = texts.iter().find(|t| t["comment"] == "Too vague.").unwrap();
        assert_eq!(vague["disposition"], "accepted");
        assert_eq!(vague["disposition_reason"], "We *narrowed* it. <script>alert(1)</script>");
        let insult_id = public_id_of(&app, insult).await;
        let insult_json = texts.iter().find(|t| t["id"] == insult_id.as_str()).unwrap();
        assert!(insult_json["disposition"].is_null() && insult_json["disposition_reason"].is_null());
        let merely = texts.iter().find(|t| t["comment"] == "Merely proposed.").unwrap();
        assert!(merely["disposition"].is_null(), "a proposal is not published");

        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        let (_, overview) = app.get_text(&format!("{ROUND}/report")).await;
        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let (_, raw_json) = app.get_text(&format!("{ROUND}/report.json")).await;
        for (what, body) in [("page", &page), ("overview", &overview), ("csv", &csv), ("json", &raw_json)] {
            for secret in ["HIDDEN-REASON", "CONFIDENTIAL-REASON", "PROPOSED-REASON", "Our secret view."] {
                assert!(!body.contains(secret), "{what} leaks {secret}");
            }
        }
        let doc = scraper::Html::parse_document(&page);
        let decisions: Vec<String> = doc.select(&scraper::Selector::parse(".decision").unwrap())
            .map(|d| d.text().collect::<String>()).collect();
        assert_eq!(decisions.len(), 2, "the two published texts with a confirmed disposition: {decisions:?}");
        assert!(decisions.iter().any(|d| d.contains("The organizers' decision: Accepted") && d.contains("We narrowed it.")), "{decisions:?}");
        assert!(page.contains("<em>narrowed</em>"), "the reason as sanitized Markdown");
        assert!(!page.contains("<script>alert"), "never a script");
        let row: Vec<String> = doc.select(&scraper::Selector::parse("table.dispositions tbody tr").unwrap())
            .map(|r| r.text().collect::<Vec<_>>().join("|")).collect();
        assert_eq!(row, ["Accepted|2|2"], "accepted × government, and all groups");
        assert!(overview.contains("What the organizers decided"), "the overview has the counts per provision");
        let (_, permalink) = app.get_text(&format!("{ROUND}/report/texts/{vague_id}")).await;
        assert!(permalink.contains("<em>narrowed</em>"), "the permalink a response cites shows the decision");

        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let d = header.iter().position(|h| h == "disposition").unwrap();
        assert_eq!(header.iter().skip(d).take(3).collect::<Vec<_>>(), ["disposition", "disposition_reason", "tags"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let vague_row = rows.iter().find(|r| &r[8] == "Too vague.").unwrap();
        assert_eq!((&vague_row[d], &vague_row[d + 1]), ("accepted", "We *narrowed* it. <script>alert(1)</script>"));
    }

    async fn the_themes_by_groups_matrix_withholds_groups_below_the_minimum(app) {
        let (consultation, round) = demo_round(&app).await;
        let texts = [
            ("g1@example.org", "government", "oppose", "Data is kept forever."),
            ("g2@example.org", "government", "oppose", "Retention is unbounded."),
            ("g3@example.org", "government", "support", "Privacy is fine here."),
            ("a1@example.org", "academia", "oppose", "Which data exactly?"),
        ];
        for (email, group, stance, comment) in texts {
            let b = app.participant(email, group, "FR", false).await;
            let disclosure = if email == "g3@example.org" { "confidential" } else { "anonymous" };
            answer(&b, &[("stance[art-1]", stance), ("comment[art-1]", comment), ("disclosure", disclosure)]).await;
        }
        let mut ids = vec![];
        for (.., comment) in texts {
            ids.push(position_with(&app, comment).await);
        }
        let now = app.clock.now();
        let second = ids[1];
        let retention = app.db.query(move |c| {
            let privacy = fixtures::tag(c, consultation, "Privacy", Some("Vie privée"), None, now)?;
            let retention = fixtures::tag(c, consultation, "Retention", Some("Conservation"), Some(privacy), now)?;
            let gone = fixtures::tag(c, consultation, "Withdrawn theme", None, None, now)?;
            for id in &ids {
                fixtures::tag_text(c, round, TextRef::position(*id), privacy, now)?;
            }
            fixtures::tag_text(c, round, TextRef::position(ids[0]), retention, now)?;
            fixtures::tag_text(c, round, TextRef::position(ids[0]), gone, now)?;
            fixtures::delete_tag(c, gone, now)?;
            Ok(retention)
        }).await.unwrap();

        let admin = app.admin().await;
        let (_, preview) = admin.get_text(&format!("{ADMIN_ROUND}/report/provisions/art-1")).await;
        assert!(preview.contains("What we heard"), "the draft report has the matrix");
        close_and_publish(&app).await;
        // Taggings made after publication do not change the published matrix.
        app.db.query(move |c| fixtures::tag_text(c, round, TextRef::position(second), retention, now)).await.unwrap();

        let (s, json) = snapshot(&app).await;
        let themes = &s.provision("art-1").unwrap().themes;
        let labels: Vec<&str> = themes.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Privacy", "Retention"], "most texts first; a deleted tag is left out");
        let privacy = &themes[0];
        let gov = privacy.cells.iter().find(|c| c.group.as_str() == "government").unwrap();
        assert_eq!(gov.texts, Some(3), "the confidential text is counted");
        let stances = gov.stances.unwrap();
        assert_eq!((stances.oppose, stances.support), (2, 1));
        let academia = privacy.cells.iter().find(|c| c.group.as_str() == "academia").unwrap();
        assert!(academia.too_few && academia.texts.is_none() && academia.stances.is_none(), "one academic text is withheld");
        assert!(themes[1].cells.iter().all(|c| c.too_few), "one government text on retention is withheld");
        assert_eq!(themes[1].parent_label.as_deref(), Some("Privacy"));
        let academia_json = &json["provisions"][0]["themes"][0]["cells"][1];
        assert!(academia_json["texts"].is_null() && academia_json["stances"].is_null(), "report.json withholds it too: {academia_json}");

        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        let doc = scraper::Html::parse_document(&page);
        let rows: Vec<String> = doc.select(&scraper::Selector::parse("table.themes tbody tr").unwrap())
            .map(|r| r.text().collect::<Vec<_>>().join("|")).collect();
        assert_eq!(rows, ["Privacy|3 (Support 1, Oppose 2)|fewer than 3", "Privacy › Retention|fewer than 3|—"]);
        let (_, fr) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=fr")).await;
        assert!(fr.contains("Vie privée › Conservation") && fr.contains("moins de 3"), "labels in the reader's language");

        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let tags = reader.headers().unwrap().iter().position(|h| h == "tags").unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let first = rows.iter().find(|r| &r[8] == "Data is kept forever.").unwrap();
        assert_eq!(&first[tags], "Privacy; Retention", "a published text's live tags");
        assert!(rows.iter().all(|r| !r[tags].contains("Withdrawn theme")));
        assert!(!csv.contains("Privacy is fine here."), "the confidential text stays out");
        let confidential_tags: Vec<&str> = rows.iter().filter(|r| r[8].is_empty() && &r[0] == "art-1" && &r[1] == "government").map(|r| &r[tags]).collect();
        assert_eq!(confidential_tags, [""], "a confidential row carries no tags");
    }
}

both_backends! {
    async fn the_draft_report_page_with_a_form_under_each_text_stays_within_60_kb(app) {
        let (_, round_id) = demo_round(&app).await;
        let provisions = app.db.query(move |c| {
            let round: polyphony::rounds::Round = rounds::table.find(round_id).select(polyphony::rounds::Round::as_select()).first(c)?;
            polyphony::reports::provisions_of(c, &round)
        }).await.unwrap();
        let now = app.clock.now();
        app.db.query(move |c| polyphony::synthetic::seed(c, round_id, &provisions, 2_000, now)).await.unwrap();
        let admin = app.admin().await;
        let (status, overview) = admin.get_text(&format!("{ADMIN_ROUND}/report")).await;
        assert_eq!(status, 200);
        let busiest = scraper::Html::parse_document(&overview)
            .select(&scraper::Selector::parse("table.provisions a").unwrap())
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .next()
            .unwrap();
        let (status, page) = admin.get_text(&busiest).await;
        assert_eq!(status, 200);
        let forms = page.matches("class=\"disposition\"").count();
        assert_eq!(forms, 20, "a form under each of the page's 20 texts");
        println!("draft report provision page with 20 disposition forms: {} bytes", page.len());
        assert!(page.len() <= 60 * 1024, "{} bytes", page.len());
    }
}

both_backends! {
    async fn under_the_chatham_house_rule_neither_counts_nor_tags_give_a_text_its_group_back(app) {
        let (consultation, round) = demo_round(&app).await;
        app.db.query(|c| diesel::update(rounds::table).set(rounds::attribution.eq("chatham_house")).execute(c)).await.unwrap();
        let b = app.participant("p@example.org", "platform", "US", false).await;
        answer(&b, &[("stance[art-1]", "oppose"), ("comment[art-1]", "Unworkable for us."), ("disclosure", "anonymous")]).await;
        let text = position_with(&app, "Unworkable for us.").await;
        let now = app.clock.now();
        app.db.query(move |c| {
            let cost = fixtures::tag(c, consultation, "Cost", None, None, now)?;
            fixtures::tag_text(c, round, TextRef::position(text), cost, now)
        }).await.unwrap();
        let admin = app.admin().await;
        assert_eq!(post_disposition(&admin, text, "not_accepted", "Proportionate.").await.status(), 303);
        close_and_publish(&app).await;
        let (s, json) = snapshot(&app).await;
        let counts = &s.provision("art-1").unwrap().dispositions;
        assert_eq!(counts.len(), 1);
        assert_eq!((counts[0].group, counts[0].count), (None, 1), "every group together");
        let published = json["texts"].as_array().unwrap().iter().find(|t| t["comment"] == "Unworkable for us.").unwrap().clone();
        assert_eq!(published["disposition"], "not_accepted", "the decision is still published");
        assert_eq!(published["tags"], serde_json::json!([]), "no tags to match with the themes' groups");
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        let doc = scraper::Html::parse_document(&page);
        let header: Vec<String> = doc.select(&scraper::Selector::parse("table.dispositions thead th").unwrap())
            .map(|h| h.text().collect::<String>()).collect();
        assert_eq!(header, ["Disposition", "All groups"]);
    }
}
