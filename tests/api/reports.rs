use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{positions, rounds};
use polyphony::reports::Snapshot;
use polyphony::reports::figures::{self, ConsensusLabel, CountRow};

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const POST: &str = "/consultations/additional-protocol/rounds/1/submission";
const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";

const CAMPAIGN: &str = "We the undersigned urge the parties to protect the diversity of cultural expressions online \
    by requiring every platform to publish how its recommendation systems rank local music films books and news, \
    and to report each year on the share of local content shown to users in every country";

pub(crate) async fn answer(b: &Browser, fields: &[(&str, &str)]) {
    let mut all = vec![("action", "submit")];
    all.extend_from_slice(fields);
    let res = b.submit(ROUND, POST, &all).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

pub(crate) async fn close_and_publish(app: &TestApp) -> Browser {
    let admin = app.admin().await;
    for (action, fields) in [("close", vec![]), ("publish", vec![("note", "")])] {
        let path = format!("{ADMIN_ROUND}/{action}");
        let res = admin.submit(&path, &path, &fields).await;
        assert_eq!(res.status(), 303);
    }
    admin
}

async fn snapshot(app: &TestApp) -> Snapshot {
    let (status, json) = app.get_text(&format!("{ROUND}/report.json")).await;
    assert_eq!(status, 200);
    serde_json::from_str(&json).unwrap()
}

/// The hand-built round of the tests below.
pub(crate) async fn hand_built_round(app: &TestApp) {
    let g1 = app
        .participant("g1@example.org", "government", "CA", true)
        .await;
    let g2 = app
        .participant("g2@example.org", "government", "FR", true)
        .await;
    let g3 = app
        .participant("g3@example.org", "government", "KE", false)
        .await;
    answer(
        &g1,
        &[
            ("stance[art-1]", "support"),
            ("comment[art-1]", "We back it."),
            ("disclosure", "attributed"),
        ],
    )
    .await;
    answer(
        &g2,
        &[("stance[art-1]", "oppose"), ("disclosure", "organization")],
    )
    .await;
    answer(
        &g3,
        &[("stance[art-1]", "support"), ("disclosure", "anonymous")],
    )
    .await;
    let campaign_variants = [
        CAMPAIGN.to_string(),
        CAMPAIGN.replace("music", "songs"),
        CAMPAIGN.replace("every country", "each country"),
    ];
    for (i, stance) in ["support_with_changes", "support", "support", "no_position"]
        .iter()
        .enumerate()
    {
        let b = app
            .participant(&format!("cs{i}@example.org"), "civil_society", "KE", false)
            .await;
        let comment = campaign_variants.get(i).cloned().unwrap_or_default();
        answer(
            &b,
            &[
                ("stance[art-1]", stance),
                ("comment[art-2]", &comment),
                ("stance[art-2]", "support"),
                ("disclosure", "anonymous"),
            ],
        )
        .await;
    }
    for i in 0..2 {
        let b = app
            .participant(&format!("pl{i}@example.org"), "platform", "US", false)
            .await;
        answer(
            &b,
            &[("stance[art-1]", "oppose"), ("disclosure", "attributed")],
        )
        .await;
    }
    let withdrawn = app
        .participant("w@example.org", "academia", "FR", false)
        .await;
    answer(
        &withdrawn,
        &[("stance[art-1]", "support"), ("disclosure", "anonymous")],
    )
    .await;
    let res = withdrawn
        .submit(ROUND, POST, &[("action", "withdraw")])
        .await;
    assert_eq!(res.status(), 303);
    let secret = app
        .participant("conf@example.org", "academia", "FR", false)
        .await;
    answer(
        &secret,
        &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "Secret reasons"),
            ("disclosure", "confidential"),
        ],
    )
    .await;
}

both_backends! {
    async fn the_report_figures_match_values_computed_by_hand(app) {
        assert_eq!(app.get(&format!("{ROUND}/report")).await.status(), 404, "no report before publication");
        hand_built_round(&app).await;
        close_and_publish(&app).await;
        let s = snapshot(&app).await;
        assert_eq!(s.participation.submissions, 10, "the withdrawn submission is not counted");
        assert_eq!(s.participation.verified, 2);
        let art1 = &s.provisions[0].figures;
        assert_eq!(art1.key, "art-1");
        assert_eq!((art1.overall.support, art1.overall.support_with_changes, art1.overall.oppose, art1.overall.no_position), (4, 1, 4, 1));
        assert_eq!((art1.overall_verified.support, art1.overall_verified.oppose), (1, 1));
        let group = |code: &str| art1.groups.iter().find(|g| g.group.as_str() == code).unwrap();
        assert!((group("government").support_share.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(group("civil_society").support_share, Some(1.0));
        assert!(!group("platform").counted_in_balance, "2 responses are below min_group_size 3");
        assert!(!group("academia").counted_in_balance);
        assert_eq!(group("academia").counts.oppose, 1, "the confidential position is counted");
        assert!((art1.balanced_support.unwrap() - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-9);
        assert!((art1.consensus_score.unwrap() - 0.6 * 0.8).abs() < 1e-9);
        assert_eq!(art1.label, ConsensusLabel::Consensus);

        // The near-identical comments are one campaign of three.
        let art2 = &s.provisions[1];
        assert_eq!(art2.campaigns.len(), 1);
        assert_eq!(art2.campaigns[0].count, 3);
        assert_eq!(s.participation.in_campaigns, 3);

        let (status, page) = app.get_text(&format!("{ROUND}/report")).await;
        assert_eq!(status, 200);
        assert!(page.contains("How the figures are made"));
        assert!(page.contains(&format!("{ROUND}/report/provisions/art-1")), "the overview links to each provision");
        let (status, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert_eq!(status, 200);
        assert!(page.contains("We back it.") && page.contains("Name of g1@example.org"), "attributed comment with its author");
        assert!(!page.contains("Secret reasons"), "a confidential text is never published");
        assert!(page.contains("<svg") && page.contains("role=\"img\""));
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-2")).await;
        assert!(page.contains("Sent 3 times"));
        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        assert!(!csv.contains("Secret reasons"));
    }

    async fn every_figure_can_be_recomputed_from_the_csv(app) {
        hand_built_round(&app).await;
        close_and_publish(&app).await;
        let s = snapshot(&app).await;
        let (_, csv_text) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let mut counts: std::collections::BTreeMap<(String, String, bool, String), i64> = Default::default();
        for record in reader.records() {
            let r = record.unwrap();
            *counts.entry((r[0].to_string(), r[1].to_string(), &r[4] == "true", r[5].to_string())).or_default() += 1;
        }
        let rows: Vec<CountRow> = counts.into_iter().map(|((key, group, verified, stance), count)| CountRow {
            provision_key: key,
            group: polyphony::codes::StakeholderGroup::parse(&group).unwrap(),
            verified,
            stance: polyphony::submissions::Stance::parse(&stance).unwrap(),
            count,
        }).collect();
        let keys: Vec<String> = s.provisions.iter().map(|p| p.key.clone()).collect();
        let recomputed = figures::compute(&keys, &rows, s.min_group_size);
        for (from_csv, published) in recomputed.iter().zip(s.provisions.iter().map(|p| &p.figures)) {
            assert_eq!(from_csv, published, "{}", published.key);
        }
        assert_eq!(recomputed.len(), 12);
    }

    async fn chatham_house_quotes_carry_no_affiliation(app) {
        app.db.query(|c| diesel::update(rounds::table).set(rounds::attribution.eq("chatham_house")).execute(c)).await.unwrap();
        let b = app.participant("ch@example.org", "platform", "US", false).await;
        answer(&b, &[("stance[art-1]", "oppose"), ("comment[art-1]", "Unworkable for us."), ("disclosure", "anonymous")]).await;
        close_and_publish(&app).await;
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        let at = page.find("Unworkable for us.").expect("the comment is published");
        let before = &page[at.saturating_sub(400)..at];
        assert!(!before.contains("Digital platform") && !before.contains("United States"), "{before}");
        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        assert!(!csv.contains("Unworkable"), "no text next to a group in the CSV under the Chatham House Rule");
    }

    async fn republishing_and_moderation_make_new_versions_and_keep_old_ones(app) {
        let b = app.participant("m@example.org", "academia", "FR", false).await;
        answer(&b, &[("stance[art-1]", "oppose"), ("comment[art-1]", "An insult to someone"), ("disclosure", "anonymous")]).await;
        let admin = close_and_publish(&app).await;
        let (_, preview) = admin.get_text(ADMIN_ROUND.to_string().as_str()).await;
        let _ = preview;
        let (_, preview) = admin.get_text(&format!("{ADMIN_ROUND}/report/provisions/art-1")).await;
        assert!(preview.contains("An insult to someone") && preview.contains("/hide"), "the preview lists texts to moderate");
        let token = csrf_in(&preview);
        let id: i64 = app.db.query(|c| positions::table.filter(positions::comment.eq("An insult to someone"))
            .select(positions::id).first(c)).await.unwrap();
        let res = admin.post_form(&format!("/admin/moderation/{id}/hide"), &[("csrf_token", &token), ("reason", "personal attack")]).await;
        assert_eq!(res.status(), 303);
        let (_, latest) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(latest.contains("Version 2"));
        assert!(latest.contains("Hidden by the organizers: personal attack"));
        assert!(!latest.contains("An insult to someone"));
        let s = snapshot(&app).await;
        assert_eq!(s.provisions[0].figures.overall.oppose, 1, "a hidden text is still counted");
        let (status, v1) = app.get_text(&format!("{ROUND}/report?version=1")).await;
        assert_eq!(status, 200);
        assert!(v1.contains("Version 1") && v1.contains("This is not the latest version."));

        let res = admin.post_form(&format!("{ADMIN_ROUND}/responses/art-1"), &[("csrf_token", &token), ("response", "We *heard* you.")]).await;
        assert_eq!(res.status(), 303);
        let path = format!("{ADMIN_ROUND}/publish");
        admin.submit(&path, &path, &[("note", "Responses added")]).await;
        let (_, v3) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(v3.contains("Version 3") && v3.contains("<em>heard</em>") && v3.contains("Responses added"));
        let (_, v1) = app.get_text(&format!("{ROUND}/report/provisions/art-1?version=1")).await;
        assert!(v1.contains("An insult to someone"), "version 1 stays as it was published");
        let (_, form) = admin.get_text(&format!("{ADMIN_ROUND}/report/provisions/art-1")).await;
        assert!(form.contains("We *heard* you.</textarea>"), "the response form shows the response as written");
        app.wait_for_mail("m@example.org", "The report is published").await;
    }

    async fn a_report_cannot_be_published_while_the_round_is_open(app) {
        let admin = app.admin().await;
        let path = format!("{ADMIN_ROUND}/publish");
        let res = admin.submit(&path, &path, &[("note", "")]).await;
        assert_eq!(res.status(), 303);
        let (_, manage) = admin.get_text("/admin/consultations/additional-protocol").await;
        assert!(manage.contains("Close the round before publishing its report."));
        assert_eq!(app.get(&format!("{ROUND}/report")).await.status(), 404);
    }

    async fn bidirectional_controls_cannot_turn_a_published_line_around(app) {
        const SPOOF: &str = "Mallory \u{202E}esoppO";
        // Typed into the profile form: refused at the edge.
        let b = app.participant("rlo@example.org", "civil_society", "FR", false).await;
        let (_, account) = b.get_text("/account").await;
        let res = b.post_form("/account", &[("csrf_token", &csrf_in(&account)), ("display_name", SPOOF),
            ("organization", "Org \u{2067}x"), ("stakeholder_group", "civil_society"), ("country", "FR"), ("locale", "en")]).await;
        assert_eq!(res.status(), 303);
        let stored: (String, String) = app.db.query(|c| polyphony::db::schema::users::table
            .filter(polyphony::db::schema::users::email.eq("rlo@example.org"))
            .select((polyphony::db::schema::users::display_name, polyphony::db::schema::users::organization))
            .first(c)).await.unwrap();
        assert_eq!(stored, ("Mallory esoppO".to_string(), "Org x".to_string()));
        // Stored before that rule (or by another way in): published without them.
        let old = app.participant("old@example.org", "civil_society", "FR", false).await;
        answer(&old, &[("stance[art-1]", "support"), ("comment[art-1]", "Fine \u{202E}by us"), ("disclosure", "attributed")]).await;
        app.db.query(|c| diesel::update(polyphony::db::schema::submissions::table)
            .set(polyphony::db::schema::submissions::display_name.eq(SPOOF)).execute(c)).await.unwrap();
        close_and_publish(&app).await;
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(page.contains("Mallory esoppO") && page.contains("<bdi>"), "the name is published, isolated");
        assert!(page.contains("Fine by us"), "the comment was cleaned when it was posted");
        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let (_, json) = app.get_text(&format!("{ROUND}/report.json")).await;
        for (what, text) in [("page", &page), ("csv", &csv), ("json", &json)] {
            assert!(!text.contains('\u{202E}') && !text.contains('\u{2067}') && !text.contains("\\u202e"),
                "{what} carries a bidirectional control");
        }
    }
}

both_backends! {
    async fn a_large_round_reads_a_page_of_texts_at_a_time(app) {
        let (round_id, provisions) = app.db.query(|c| {
            let round: polyphony::rounds::Round = rounds::table.select(polyphony::rounds::Round::as_select()).first(c)?;
            let provisions = polyphony::reports::provisions_of(c, &round)?;
            Ok((round.id, provisions))
        }).await.unwrap();
        let now = app.clock.now();
        let made = app.db.query(move |c| polyphony::synthetic::seed(c, round_id, &provisions, 2_500, now)).await.unwrap();
        assert_eq!(made, 2_500);
        close_and_publish(&app).await;
        let s = snapshot(&app).await;

        let (status, page) = app.get_text(&format!("{ROUND}/report")).await;
        assert_eq!(status, 200);
        assert!(page.len() <= 60 * 1024, "the report page stays within the budget: {} bytes", page.len());
        let busiest = s.provisions.iter().max_by_key(|p| p.texts).unwrap();
        assert!(busiest.texts > 50, "the synthetic round has more texts than one page: {}", busiest.texts);
        let link = format!("{ROUND}/report/provisions/{}", busiest.key);
        assert!(page.contains(&link), "the report links to the full list");
        let (_, first) = app.get_text(&link).await;
        assert!(first.len() <= 60 * 1024, "a provision page stays within the budget: {} bytes", first.len());

        // Every text appears on exactly one page, in order, and no page is empty.
        let pages = (busiest.texts + 49) / 50;
        let mut seen = 0;
        for n in 1..=pages {
            let (status, body) = app.get_text(&format!("{link}?page={n}")).await;
            assert_eq!(status, 200);
            let items = scraper::Html::parse_document(&body)
                .select(&scraper::Selector::parse("ul.comments > li").unwrap())
                .count() as i64;
            assert_eq!(items, if n < pages { 50 } else { busiest.texts - 50 * (pages - 1) });
            assert_eq!(body.contains("rel=\"next\""), n < pages);
            assert!(body.contains(&format!("page {n} of {pages}")));
            seen += items;
        }
        assert_eq!(seen, busiest.texts);
        assert_eq!(app.get(&format!("{link}?page={}", pages + 1)).await.status(), 404);
        assert_eq!(app.get(&format!("{link}?page=0")).await.status(), 404);
        assert_eq!(app.get(&format!("{ROUND}/report/provisions/no-such-provision")).await.status(), 404);
        assert!(page.contains(&format!("Read all {} published texts", s.general_texts)));
        let (status, general) = app.get_text(&format!("{ROUND}/report/general")).await;
        assert_eq!(status, 200);
        assert!(general.contains("General comments"));

        // The open data carries every text, and the CSV every counted position.
        let (_, json) = app.get_text(&format!("{ROUND}/report.json")).await;
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let texts = json["texts"].as_array().unwrap();
        let per_key = |key: &str| texts.iter().filter(|t| t["provision_key"] == key).count() as i64;
        for p in &s.provisions {
            assert_eq!(per_key(&p.key), p.texts, "{}", p.key);
        }
        let general_in_json = texts.iter().filter(|t| t["provision_key"].is_null()).count() as i64;
        assert_eq!(general_in_json, s.general_texts);
        assert!(s.general_texts > 0);
        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let rows = csv::Reader::from_reader(csv.as_bytes()).records().count() as i64;
        let counted: i64 = s.provisions.iter().map(|p| {
            let o = p.figures.overall;
            o.support + o.support_with_changes + o.oppose + o.no_position
        }).sum();
        assert_eq!(rows, counted);
    }
}

both_backends! {
    async fn anonymous_readers_get_validators_and_a_new_version_at_once(app) {
        let b = app.participant("e@example.org", "academia", "FR", false).await;
        answer(&b, &[("stance[art-1]", "support"), ("comment[art-1]", "Fine by us."), ("disclosure", "anonymous")]).await;
        let admin = close_and_publish(&app).await;
        for path in [format!("{ROUND}/report"), format!("{ROUND}/report/provisions/art-1")] {
            let first = app.get(&path).await;
            assert_eq!(first.status(), 200);
            let etag = first.headers()["etag"].to_str().unwrap().to_string();
            assert_eq!(first.headers()["cache-control"], "public, max-age=60");
            let again = app.browser.client.get(format!("{}{path}", app.browser.address)).header("If-None-Match", &etag).send().await.unwrap();
            assert_eq!(again.status(), 304, "{path}");
            let other = app.browser.client.get(format!("{}{path}", app.browser.address)).header("If-None-Match", "\"something-else\"").send().await.unwrap();
            assert_eq!(other.status(), 200);
            let plain = other.text().await.unwrap();
            // The shared page is kept gzipped and sent as it is to readers who take gzip.
            let zipped = app.browser.client.get(format!("{}{path}", app.browser.address)).header("Accept-Encoding", "gzip, br").send().await.unwrap();
            assert_eq!(zipped.headers()["content-encoding"], "gzip", "{path}");
            let mut unzipped = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&zipped.bytes().await.unwrap()[..]), &mut unzipped).unwrap();
            assert_eq!(unzipped, plain, "{path}");
        }
        let (_, page) = admin.get_text(&format!("{ROUND}/report")).await;
        assert!(page.contains("Version 1"));
        let path = format!("{ADMIN_ROUND}/publish");
        admin.submit(&path, &path, &[("note", "Second look")]).await;
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(page.contains("Version 2") && page.contains("Second look"), "a new version is served at once, not a cached page");
    }
}

both_backends! {
    async fn a_french_reader_reads_the_report_in_french_with_a_link_to_the_original(app) {
        let b = app.participant("fr@example.org", "academia", "FR", false).await;
        answer(&b, &[("stance[art-1]", "support"), ("disclosure", "anonymous")]).await;
        close_and_publish(&app).await;
        let (_, fr) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=fr")).await;
        assert!(fr.contains("lang=\"fr\""), "the translated heading is marked as French");
        let link = scraper::Html::parse_document(&fr)
            .select(&scraper::Selector::parse("p.translation-note a[hreflang=en]").unwrap())
            .next()
            .and_then(|a| a.value().attr("href").map(str::to_string));
        assert_eq!(link.as_deref(), Some("/consultations/additional-protocol/rounds/1/report/provisions/art-1?original=1"), "a link to the original");
        let (_, original) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=fr&original=1")).await;
        let h1 = |page: &str| {
            let doc = scraper::Html::parse_document(page);
            doc.select(&scraper::Selector::parse("h1 span").unwrap()).next().map(|e| (e.value().attr("lang").unwrap_or("").to_string(), e.text().collect::<String>())).unwrap()
        };
        let (fr_lang, fr_heading) = h1(&fr);
        let (en_lang, en_heading) = h1(&original);
        assert_eq!((fr_lang.as_str(), en_lang.as_str()), ("fr", "en"));
        assert_ne!(fr_heading, en_heading);
        let (_, en) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=en")).await;
        assert_eq!(h1(&en), (en_lang, en_heading), "an English reader reads the original");
        let (_, overview) = app.get_text(&format!("{ROUND}/report?lang=fr")).await;
        assert!(overview.contains(&fr_heading), "the overview lists the French headings");
    }
}
