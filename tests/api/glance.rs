//! The public report at a glance: numbers for people, the overview's matrix,
//! and finding what was said.

use crate::helpers::*;
use crate::reports::{close_and_publish, hand_built_round};
use diesel::prelude::*;
use polyphony::db::schema::rounds;

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

    async fn the_dashboard_heads_people_by_name_and_address_not_your_name(app) {
        app.participant("waiting@example.org", "academia", "FR", false).await;
        let admin = app.admin().await;
        let (_, page) = admin.get_text("/admin?lang=en").await;
        let headers = texts_of(&page, "thead th");
        assert!(!headers.iter().any(|h| h == "Your name"), "{headers:?}");
        assert_eq!(headers.iter().filter(|h| *h == "Name and e-mail address").count(), 2, "{headers:?}");
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
