//! The public report at a glance: numbers for people, the overview's matrix,
//! and finding what was said.

use crate::helpers::*;
use crate::reports::{answer, close_and_publish, hand_built_round};
use diesel::prelude::*;
use polyphony::db::schema::{positions, rounds, users};

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const NNBSP: char = '\u{202f}';

async fn seed(app: &TestApp, submissions: usize) {
    let (round_id, provisions) = app
        .db
        .query(|c| {
            let round: polyphony::rounds::Round = rounds::table
                .select(polyphony::rounds::Round::as_select())
                .first(c)?;
            let provisions = polyphony::reports::provisions_of(c, &round)?;
            Ok((round.id, provisions))
        })
        .await
        .unwrap();
    let now = app.clock.now();
    let made = app
        .db
        .query(move |c| polyphony::synthetic::seed(c, round_id, &provisions, submissions, now))
        .await
        .unwrap();
    assert_eq!(made, submissions);
}

both_backends! {
    async fn numbers_are_written_as_each_language_writes_them(app) {
        seed(&app, 1_234).await;
        close_and_publish(&app).await;
        let (_, en) = app.get_text(&format!("{ROUND}/report?lang=en")).await;
        let lead = en.split("class=\"lead\">").nth(1).unwrap_or("").split("</p>").next().unwrap_or("").to_string();
        assert!(lead.starts_with("1,") && lead.contains(" submissions"), "English groups thousands with a comma: {lead}");
        let (_, fr) = app.get_text(&format!("{ROUND}/report?lang=fr")).await;
        assert!(fr.contains(&format!("class=\"lead\">1{NNBSP}")), "French groups thousands with a narrow no-break space");
        let percents = |page: &str| -> (usize, usize) {
            let spaced = page.matches(&format!("{NNBSP}%")).count();
            let plain = page.matches("% ").count() + page.matches("%<").count();
            (spaced, plain)
        };
        let (_, en_art) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=en")).await;
        let (_, fr_art) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=fr")).await;
        assert!(!en_art.contains(" %<") && !en_art.contains(&format!("{NNBSP}%")), "English writes 65%, not 65 %");
        assert!(percents(&en_art).1 > 0);
        assert!(percents(&fr_art).0 > 0, "French writes 65 % with a narrow no-break space");
        assert!(!fr_art.contains(" %<"), "never an ordinary space that could break before %");
        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        assert!(!csv.contains(NNBSP) && !csv.contains("1,234"), "open data keeps plain digits");
    }
}

fn texts_of(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

both_backends! {
    async fn the_account_page_names_each_fact_once(app) {
        let b = app.participant("facts@example.org", "academia", "FR", false).await;
        for lang in ["en", "fr"] {
            let (status, page) = b.get_text(&format!("/account?lang={lang}")).await;
            assert_eq!(status, 200);
            let terms = texts_of(&page, "dl.facts dt");
            let mut unique = terms.clone();
            unique.dedup();
            assert_eq!(terms.len(), 3);
            assert_eq!(terms, unique, "{lang}: {terms:?}");
        }
    }

    async fn the_participants_list_heads_people_by_name_not_your_name(app) {
        app.participant("waiting@example.org", "academia", "FR", false).await;
        let admin = app.admin().await;
        let (_, page) = admin.get_text("/admin/participants?lang=en").await;
        let headers = texts_of(&page, "thead th");
        assert!(!headers.iter().any(|h| h == "Your name"), "{headers:?}");
        assert!(headers.iter().any(|h| h == "Name"), "{headers:?}");
    }
}

both_backends! {
    async fn the_overview_shows_support_by_provision_and_group_with_the_figures_computed_by_hand(app) {
        hand_built_round(&app).await;
        close_and_publish(&app).await;
        let (status, page) = app.get_text(&format!("{ROUND}/report?lang=en")).await;
        assert_eq!(status, 200);
        let doc = scraper::Html::parse_document(&page);
        let select = |s: &str| scraper::Selector::parse(s).unwrap();
        let svg = doc.select(&select("figure.matrix svg[role=img]")).next().expect("the matrix is drawn");
        let svg_texts: Vec<String> = svg.select(&select("text")).map(|e| e.text().collect::<String>()).collect();
        let columns = texts_of(&page, "table.matrix-table thead th");
        assert_eq!(columns, ["Provision", "Government", "Digital platform or private sector", "Civil society", "Academia and research"],
            "a column per group that answered, in the groups' order");
        let rows: Vec<Vec<String>> = doc.select(&select("table.matrix-table tbody tr")).map(|tr| {
            tr.select(&select("th, td")).map(|c| c.text().collect::<String>()).collect()
        }).collect();
        assert_eq!(rows.len(), 12, "a row per provision");
        assert_eq!(rows[0], ["Article 1", "67% (3)", "0% (2)", "100% (3)", "0% (1)"],
            "government 2 of 3, platforms 0 of 2, civil society 3 of 3 (no position is not an answer), academia the confidential oppose");
        // The picture prints the same figures in its cells, in the rows' order.
        let first = svg_texts.iter().position(|t| t == "Article 1").unwrap();
        let second = svg_texts.iter().position(|t| t == "Article 2").unwrap();
        assert!(first < second);
        assert_eq!(&svg_texts[first + 1..first + 9], ["67%", "(3)", "0%", "(2)", "100%", "(3)", "0%", "(1)"]);
        assert!(svg.html().contains("stroke-dasharray"), "groups below the minimum are marked");
        // Next to the group-balanced support: the lowest group, and the score out of 100.
        let verdicts: Vec<Vec<String>> = doc.select(&select("table.provisions tbody tr")).map(|tr| {
            tr.select(&select("td")).map(|c| c.text().collect::<String>()).collect()
        }).collect();
        assert_eq!(&verdicts[0][..4], ["Consensus", "83%", "67%", "69"], "balanced (2/3 + 1) / 2, lowest 2/3, score √(0.6 × 0.8) × 100");
        assert!(page.contains("geometric mean"), "the methodology states how the score is made");
        assert!(page.contains("The consensus score is out of 100"), "explained where it is shown");
        let (_, art1) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(art1.contains("(every group ≥ 67%)"), "the provision page gives the lowest group too");
        let (_, fr) = app.get_text(&format!("{ROUND}/report?lang=fr")).await;
        assert!(fr.contains(&format!(">67{NNBSP}%</text>")), "the picture's labels in French typography");
    }
}

const SEARCH: &str = "/consultations/additional-protocol/rounds/1/report/search";

/// A signed-in participant of `organization`.
async fn member(
    app: &TestApp,
    email: &'static str,
    group: &str,
    country: &'static str,
    organization: &'static str,
) -> Browser {
    let b = app.participant(email, group, country, false).await;
    app.db
        .query(move |c| {
            diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::organization.eq(organization))
                .execute(c)
        })
        .await
        .unwrap();
    b
}

async fn position_of(app: &TestApp, comment: &'static str) -> i64 {
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

/// The search results: each one's text.
fn results(page: &str) -> Vec<String> {
    texts_of(page, "ul.comments > li")
}

/// Five participants who said different things about platforms; returns
/// the admin after publication.
async fn said_about_platforms(app: &TestApp) -> Browser {
    let a = member(
        app,
        "a@example.org",
        "government",
        "CA",
        "Ministry of Culture",
    )
    .await;
    answer(
        &a,
        &[
            ("stance[art-1]", "support"),
            (
                "comment[art-1]",
                "La réglementation des plateformes protège la diversité.",
            ),
            ("general_comment", "A general remark on platforms."),
            ("disclosure", "attributed"),
        ],
    )
    .await;
    let b = member(
        app,
        "b@example.org",
        "civil_society",
        "KE",
        "Kenya Creators Union",
    )
    .await;
    answer(
        &b,
        &[
            ("stance[art-1]", "oppose"),
            (
                "comment[art-1]",
                "Platforms regulation harms small creators.",
            ),
            ("disclosure", "anonymous"),
        ],
    )
    .await;
    let c = member(app, "c@example.org", "academia", "FR", "Secret Institute").await;
    answer(
        &c,
        &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "Secret platforms memo."),
            ("disclosure", "confidential"),
        ],
    )
    .await;
    let d = member(app, "d@example.org", "platform", "US", "StreamCo").await;
    answer(
        &d,
        &[
            ("stance[art-2]", "support_with_changes"),
            ("comment[art-2]", "Platforms need clear rules."),
            (
                "proposed_text[art-2]",
                "Parties may require platforms to explain rankings.",
            ),
            ("disclosure", "organization"),
        ],
    )
    .await;
    let e = member(app, "e@example.org", "academia", "FR", "Rude Lab").await;
    answer(
        &e,
        &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "An insult about platforms."),
            ("disclosure", "anonymous"),
        ],
    )
    .await;
    // These tests are about finding texts, so every country is shown: with a
    // minimum group size of 1 no cell is too small (privacy.rs tests the rule).
    app.db
        .query(|c| {
            diesel::update(rounds::table)
                .set(rounds::min_group_size.eq(1))
                .execute(c)
        })
        .await
        .unwrap();
    close_and_publish(app).await
}

/// A published text's public id, from report.json.
async fn public_id_of(app: &TestApp, comment: &str) -> String {
    let (_, json) = app.get_text(&format!("{ROUND}/report.json")).await;
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    report["texts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["comment"] == comment)
        .map(|t| t["id"].as_str().unwrap().to_string())
        .unwrap()
}

async fn hide(app: &TestApp, admin: &Browser, comment: &'static str) {
    let (_, preview) = admin
        .get_text(&format!("{ADMIN_ROUND}/report/provisions/art-1"))
        .await;
    let id = position_of(app, comment).await;
    let res = admin
        .post_form(
            &format!("/admin/moderation/{id}/hide"),
            &[
                ("csrf_token", &csrf_in(&preview)),
                ("reason", "personal attack"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";

both_backends! {
    async fn the_search_finds_only_published_texts_as_they_were_published(app) {
        let admin = said_about_platforms(&app).await;
        hide(&app, &admin, "An insult about platforms.").await;
        let (status, page) = app.get_text(&format!("{SEARCH}?q=platforms")).await;
        assert_eq!(status, 200);
        let found = results(&page);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(page.contains("3 published texts found"));
        assert!(!page.contains("Secret platforms memo"), "a confidential text is never published");
        assert!(!page.contains("An insult about platforms"), "a hidden text stays hidden");
        let b = found.iter().find(|r| r.contains("Platforms regulation harms")).unwrap();
        assert!(b.contains("Civil society, Kenya") && !b.contains("Name of b") && !b.contains("Kenya Creators Union"), "anonymous: group and country only: {b}");
        let d = found.iter().find(|r| r.contains("Platforms need clear rules")).unwrap();
        assert!(d.contains("StreamCo") && !d.contains("Name of d"), "organization only: {d}");
        assert!(d.contains("Parties may require platforms to explain rankings."), "the proposed wording is shown");
        assert!(d.contains("Article 2"), "with its provision: {d}");
        let general = found.iter().find(|r| r.contains("A general remark")).unwrap();
        assert!(general.contains("Name of a@example.org, Ministry of Culture"), "attributed: {general}");
        // Accents and capitals do not matter, and every word must occur.
        let (_, accented) = app.get_text(&format!("{SEARCH}?q=REGLEMENTATION+plateformes")).await;
        assert_eq!(results(&accented).len(), 1);
        let (_, both) = app.get_text(&format!("{SEARCH}?q=platforms+creators")).await;
        assert_eq!(results(&both).len(), 1);
        // Words the engine would read as syntax are only words.
        let (status, odd) = app.get_text(&format!("{SEARCH}?q=%22platforms%22+OR+NEAR%28x%29+*")).await;
        assert_eq!(status, 200);
        assert!(odd.contains("No published text matches"));
        assert_eq!(app.get(&format!("{SEARCH}?q=platforms&page=2")).await.status(), 404);
    }

    async fn the_search_filters_by_provision_group_place_stance_and_organization(app) {
        said_about_platforms(&app).await;
        let only = |query: &'static str, needle: &'static str| {
            let app = &app;
            async move {
                let (status, page) = app.get_text(&format!("{SEARCH}?{query}")).await;
                assert_eq!(status, 200, "{query}");
                let found = results(&page);
                assert_eq!(found.len(), 1, "{query}: {found:#?}");
                assert!(found[0].contains(needle), "{query}: {found:#?}");
            }
        };
        only("provision=art-2", "Platforms need clear rules").await;
        only("provision=general", "A general remark").await;
        only("group=platform", "Platforms need clear rules").await;
        only("country=KE", "Platforms regulation harms").await;
        only("region=africa", "Platforms regulation harms").await;
        only("q=platforms&stance=support_with_changes", "Platforms need clear rules").await;
        only("organization=streamco", "Platforms need clear rules").await;
        only("organization=culture&provision=art-1", "La réglementation").await;
        let (_, none) = app.get_text(&format!("{SEARCH}?organization=Kenya+Creators")).await;
        assert!(results(&none).is_empty(), "an anonymous author's organization is not searchable");
        let (_, oppose) = app.get_text(&format!("{SEARCH}?stance=oppose")).await;
        assert_eq!(results(&oppose).len(), 2, "the anonymous and the (not yet hidden) texts, never the confidential one");
        let (_, fr) = app.get_text(&format!("{SEARCH}?group=platform&lang=fr")).await;
        assert!(fr.contains("1 texte publié trouvé"));
    }

    async fn under_the_chatham_house_rule_search_shows_no_affiliation_and_offers_none(app) {
        app.db.query(|c| diesel::update(rounds::table).set(rounds::attribution.eq("chatham_house")).execute(c)).await.unwrap();
        let b = member(&app, "ch@example.org", "platform", "US", "StreamCo").await;
        answer(&b, &[("stance[art-1]", "oppose"), ("comment[art-1]", "Unworkable for platforms."), ("disclosure", "anonymous")]).await;
        close_and_publish(&app).await;
        let (_, page) = app.get_text(&format!("{SEARCH}?q=unworkable")).await;
        let found = results(&page);
        assert_eq!(found.len(), 1);
        assert!(!found[0].contains("Digital platform") && !found[0].contains("United States") && !found[0].contains("StreamCo"), "{found:?}");
        assert!(!page.contains("name=\"group\"") && !page.contains("name=\"organization\""), "no affiliation filters to offer");
        for query in ["group=platform", "country=US", "organization=streamco"] {
            let (_, none) = app.get_text(&format!("{SEARCH}?q=unworkable&{query}")).await;
            assert!(results(&none).is_empty(), "{query}");
        }
    }

    async fn a_texts_permalink_survives_republishing(app) {
        let admin = said_about_platforms(&app).await;
        let (_, page) = app.get_text(&format!("{SEARCH}?q=creators")).await;
        let id = public_id_of(&app, "Platforms regulation harms small creators.").await;
        let link = format!("{ROUND}/report/texts/{id}");
        assert!(page.contains(&format!("href=\"{link}\"")), "each result links to its permalink");
        let (status, first) = app.get_text(&link).await;
        assert_eq!(status, 200);
        assert!(first.contains("Platforms regulation harms small creators.") && first.contains("Version 1"));
        let path = format!("{ADMIN_ROUND}/publish");
        admin.submit(&path, &path, &[("note", "Second look")]).await;
        let (status, second) = app.get_text(&link).await;
        assert_eq!(status, 200);
        assert!(second.contains("Platforms regulation harms small creators.") && second.contains("Version 2"), "the same address, the latest version");
        let hidden = public_id_of(&app, "An insult about platforms.").await;
        hide(&app, &admin, "An insult about platforms.").await;
        let (status, page) = app.get_text(&format!("{ROUND}/report/texts/{hidden}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Hidden by the organizers: personal attack") && !page.contains("An insult"));
        let secret = position_of(&app, "Secret platforms memo.").await;
        assert_eq!(app.get(&format!("{ROUND}/report/texts/{secret}")).await.status(), 404, "a database id names no text");
        assert_eq!(app.get(&format!("{ROUND}/report/texts/not-a-number")).await.status(), 404);
    }
}
