//! Long drafts, one page at a time: the round page and its form cut by
//! division, a table of contents counting answers, saves that keep the other
//! pages' answers, and one review and submission of everything.

use crate::helpers::*;
use crate::structure::{import_at, open_round, regulation, translate};

const ROUND: &str = "/consultations/regulation/rounds/1";
const POST: &str = "/consultations/regulation/rounds/1/submission";
const BUDGET: usize = 60 * 1024;
/// ch-1 … ch-8 hold articles 1–13, 14–26, 27–39, 40–52, 53–64, 65–76,
/// 77–88, 89–100; the annex is a page of its own.
const PAGES: [&str; 9] = [
    "ch-1", "ch-2", "ch-3", "ch-4", "ch-5", "ch-6", "ch-7", "ch-8", "annex-i",
];

/// The 100-article regulation in English with its French translation, in a
/// round open now.
pub(crate) async fn long_round(app: &TestApp) {
    let admin = app.admin().await;
    new_consultation(&admin, "regulation").await;
    let res = import_at(&admin, "regulation", &regulation(false, "1", 100), "5").await;
    assert_eq!(res.status(), 303);
    let (status, _) = translate(
        &admin,
        "regulation",
        &regulation(true, "premier", 100),
        "save",
    )
    .await;
    assert_eq!(status, 303);
    open_round(app, &admin, "regulation", "1").await;
}

fn page_keys(html: &str) -> Vec<String> {
    let mut keys: Vec<String> = html
        .split("?page&#x3D;")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .collect();
    keys.dedup();
    keys.sort();
    keys.dedup();
    keys
}

fn articles(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| format!("art-{n}")).collect()
}

/// Saves `fields` from page `key`, as its form posts them.
async fn save_page(b: &Browser, key: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = vec![("action", "save"), ("page", key)];
    all.extend_from_slice(fields);
    b.submit(&format!("{ROUND}?page={key}"), POST, &all).await
}

both_backends! {
    async fn every_page_of_a_hundred_article_bilingual_draft_and_its_review_stay_under_60_kb(app) {
        long_round(&app).await;
        let b = app.participant("long@example.org", "civil_society", "FR", true).await;
        let (_, first) = app.get_text(ROUND).await;
        let mut found = page_keys(&first);
        found.push("ch-1".into());
        found.sort();
        found.dedup();
        let mut expected: Vec<&str> = PAGES.to_vec();
        expected.sort();
        assert_eq!(found, expected, "every page is in the contents");

        // Long answers everywhere, so that signed-in pages carry them.
        let comment = "A long considered comment on this provision. ".repeat(14);
        let proposal = "Parties shall take appropriate measures. ".repeat(15);
        for (key, range) in PAGES[..8].iter().zip([1..=13, 14..=26, 27..=39, 40..=52, 53..=64, 65..=76, 77..=88, 89..=100]) {
            let keys = articles(range);
            let names: Vec<(String, String, String)> = keys.iter()
                .map(|k| (format!("stance[{k}]"), format!("comment[{k}]"), format!("proposed_text[{k}]")))
                .collect();
            let mut fields: Vec<(&str, &str)> = vec![];
            for (stance, c, p) in &names {
                fields.extend([(stance.as_str(), "support_with_changes"), (c.as_str(), comment.as_str()), (p.as_str(), proposal.as_str())]);
            }
            assert_eq!(save_page(&b, key, &fields).await.status(), 303, "{key}");
        }
        let general = "An overall view. ".repeat(1000);
        let res = b.submit(&format!("{ROUND}?page=annex-i"), POST, &[("action", "review"), ("page", "annex-i"),
            ("stance[annex-i-list]", "oppose"), ("general_comment", &general), ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 200);
        let review = res.text().await.unwrap();
        assert!(review.len() <= BUDGET, "review: {} bytes", review.len());
        assert!(review.contains("Article 100 — Heading 100"), "every answer is reviewed");
        let res = b.submit(&format!("{ROUND}?page=annex-i&lang=fr"), &format!("{POST}?lang=fr"), &[("action", "review"),
            ("page", "annex-i"), ("stance[annex-i-list]", "oppose"), ("general_comment", &general), ("disclosure", "anonymous")]).await;
        let review = res.text().await.unwrap();
        assert!(review.contains("Article premier"), "in French");
        assert!(review.len() <= BUDGET, "French review: {} bytes", review.len());

        let mut sizes = vec![];
        for key in PAGES {
            for lang in ["en", "fr"] {
                let path = format!("{ROUND}?page={key}&lang={lang}");
                for (who, browser) in [("anonymous", &app.browser), ("signed in", &b)] {
                    let (status, page) = browser.get_text(&path).await;
                    assert_eq!(status, 200, "{path}");
                    sizes.push((page.len(), format!("{who} {path}")));
                }
            }
        }
        sizes.sort();
        let (largest, at) = sizes.last().unwrap();
        assert!(*largest <= BUDGET, "{at}: {largest} bytes");
        eprintln!("largest page: {at}: {largest} bytes");
        assert_eq!(app.get_text(&format!("{ROUND}?page=ch-99")).await.0, 404);
    }

    async fn answers_are_kept_across_pages_and_counted_in_the_contents(app) {
        long_round(&app).await;
        let b = app.participant("pages@example.org", "civil_society", "FR", true).await;
        let res = save_page(&b, "ch-1", &[("stance[art-1]", "support"), ("comment[art-1]", "First page thoughts"),
            ("stance[art-2]", "oppose")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("{ROUND}?page=ch-1#submission"));
        let res = b.submit(&format!("{ROUND}?page=ch-3"), POST, &[("page", "ch-3"), ("go", "ch-4"),
            ("stance[art-27]", "no_position"), ("comment[art-28]", "A comment without a stance")]).await;
        assert_eq!(res.headers()["location"], format!("{ROUND}?page=ch-4#submission"), "save and go on");

        let (_, page) = b.get_text(&format!("{ROUND}?page=ch-1")).await;
        assert!(page.contains("First page thoughts"), "page 1 keeps its answers");
        assert!(page.contains("id=\"stance-art-1-support\" name=\"stance[art-1]\" value=\"support\" checked"));
        assert!(page.contains("id=\"stance-art-2-oppose\" name=\"stance[art-2]\" value=\"oppose\" checked"));
        assert!(!page.contains("name=\"stance[art-27]\""), "only its own provisions");
        assert!(page.contains("<input type=\"hidden\" name=\"page\" value=\"ch-1\">"));
        assert!(page.contains("You have answered 3 of 101 provisions."), "{page}");
        assert!(page.contains("CHAPTER I — Chapter I</span></a> · 2 of 13 answered"), "{page}");
        assert!(page.contains("CHAPTER III — Chapter III</span></a> · 1 of 13 answered"));
        assert!(page.contains("PART I — Part I</span></a> · 3 of 52 answered"));
        assert!(page.contains("CHAPTER V — Chapter V</span></a> · 0 of 12 answered"));
        assert!(!page.contains("name=\"general_comment\""), "on the last page");
        let (_, page) = b.get_text(&format!("{ROUND}?page=ch-3")).await;
        assert!(page.contains("A comment without a stance"));

        // Clearing a provision on its page clears it; the others stay.
        assert_eq!(save_page(&b, "ch-1", &[("stance[art-1]", "support")]).await.status(), 303);
        let (_, page) = b.get_text(&format!("{ROUND}?page=ch-3")).await;
        assert!(page.contains("A comment without a stance"));
        assert!(page.contains("You have answered 2 of 101 provisions."));
        let (_, fr) = b.get_text(&format!("{ROUND}?page=ch-1&lang=fr")).await;
        assert!(fr.contains("CHAPITRE I — Chapitre I</span></a> · 1 sur 13 répondues"), "{fr}");

        let anonymous = app.get_text(&format!("{ROUND}?page=ch-2")).await.1;
        assert!(anonymous.contains("CHAPTER II — Chapter II</span></a> · 13 provisions"));
        assert!(anonymous.contains("Page 2 of 9"));
        assert_eq!(b.submit(ROUND, POST, &[("page", "ch-42"), ("action", "save")]).await.status(), 422);
    }

    async fn a_submission_covering_provisions_on_several_pages_is_received_and_counted(app) {
        long_round(&app).await;
        let b = app.participant("several@example.org", "civil_society", "FR", true).await;
        assert_eq!(save_page(&b, "ch-1", &[("stance[art-1]", "support"), ("comment[art-1]", "Yes")]).await.status(), 303);
        assert_eq!(save_page(&b, "ch-5", &[("stance[art-60]", "oppose"), ("proposed_text[art-60]", "Delete")]).await.status(), 303);
        let res = b.submit(&format!("{ROUND}?page=annex-i"), POST, &[("action", "review"), ("page", "annex-i"),
            ("stance[annex-i-list]", "support"), ("general_comment", "Overall"), ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 200);
        let review = res.text().await.unwrap();
        assert!(review.contains("<input type=\"hidden\" name=\"page\" value=\"review\">"));
        assert!(!review.contains("name=\"stance["), "the review posts nothing but the action");
        assert!(review.contains("Article 60 — Heading 60</dt>"));
        // The review step's form: everything comes from what was stored.
        let res = b.post_form(POST, &[("csrf_token", &csrf_in(&review)), ("form_token", "review-1"),
            ("page", "review"), ("action", "submit")]).await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let code = location.split("receipt=").nth(1).unwrap().to_string();
        let mail = app.wait_for_mail("several@example.org", &code).await;
        assert!(mail.subject_and_body.contains("Article 60"), "the receipt lists answers from every page");

        // Changes saved after submitting wait; the submitted answers count.
        assert_eq!(save_page(&b, "ch-1", &[("stance[art-1]", "oppose")]).await.status(), 303);
        let (_, page) = b.get_text(&format!("{ROUND}?page=ch-1")).await;
        assert!(page.contains("value=\"oppose\" checked"), "the saved change is shown");
        assert!(page.contains("not submitted yet"));

        let admin = app.admin().await;
        for action in ["close", "publish"] {
            let path = format!("/admin/consultations/regulation/rounds/1/{action}");
            assert_eq!(admin.submit(&path, &path, &[("note", "")]).await.status(), 303);
        }
        // The report's overview is shown a part at a time, the form's parts.
        let (_, overview) = app.get_text(&format!("{ROUND}/report")).await;
        let css = {
            let start = overview.find("/assets/app.").expect("the stylesheet link");
            let href: String = overview[start..].chars().take_while(|c| *c != '"').collect();
            app.get_text(&href).await.1.len()
        };
        for key in PAGES {
            let (status, part) = app.get_text(&format!("{ROUND}/report?part={key}")).await;
            assert_eq!(status, 200, "{key}");
            assert!(part.len() + css <= BUDGET, "the {key} part of the overview weighs {} B", part.len() + css);
            assert_eq!(part.matches("class=\"toc-pages\"").count(), 1);
            assert!(part.contains(&format!("part&#x3D;{key}\" aria-current=\"page\"")), "{key} is marked as shown");
        }
        assert!(overview.contains("part&#x3D;ch-1\" aria-current=\"page\""), "the first part is shown first");
        let (_, second) = app.get_text(&format!("{ROUND}/report?part=ch-2")).await;
        assert!(second.contains("/provisions/art-14\"") && !second.contains("/provisions/art-13\""), "articles 14–26 only");
        let (_, fr) = app.get_text(&format!("{ROUND}/report?part=ch-2&lang=fr")).await;
        assert!(fr.contains("CHAPITRE II"), "the parts are named in the reader's language");
        assert_eq!(app.get(&format!("{ROUND}/report?part=ch-42")).await.status(), 404);
        let (_, short) = app.get_text("/consultations/additional-protocol/rounds/1/report").await;
        assert!(!short.contains("toc-pages"), "a short draft's overview is one page");

        let (_, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let stance = reader.headers().unwrap().iter().position(|h| h == "stance").unwrap();
        let rows: Vec<(String, String)> = reader.records()
            .map(|r| { let r = r.unwrap(); (r[0].to_string(), r[stance].to_string()) })
            .collect();
        assert_eq!(rows.len(), 101, "every provision is counted");
        let of = |key: &str| rows.iter().find(|r| r.0 == key).unwrap().1.clone();
        assert_eq!(of("art-1"), "support", "as submitted, not as saved later");
        assert_eq!(of("art-60"), "oppose");
        assert_eq!(of("annex-i-list"), "support");
        assert_eq!(of("art-2"), "no_position");
    }

    async fn a_short_draft_stays_one_page(app) {
        let b = app.participant("short@example.org", "civil_society", "FR", true).await;
        let (_, page) = b.get_text("/consultations/additional-protocol/rounds/1").await;
        assert!(!page.contains("name=\"page\""));
        assert!(page.contains("name=\"general_comment\"") && page.contains("name=\"stance[art-12]\""));
        assert!(!page.contains("class=\"pager\""));
    }
}
