//! The public report at a glance: numbers for people, the overview's matrix,
//! and finding what was said.

use crate::helpers::*;
use crate::reports::close_and_publish;
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
