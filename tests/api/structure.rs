//! Real drafts: parts, chapters, sections and annexes above the provisions,
//! an introduction before them, French legal numbering mapped to the English
//! keys, divisions in diffs and in reports.

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{consultations, draft_divisions, draft_versions, provisions};
use polyphony::reports::Snapshot;

pub(crate) use polyphony::synthetic::regulation;

pub(crate) async fn import_at(
    admin: &Browser,
    slug: &str,
    markdown: &str,
    level: &str,
) -> reqwest::Response {
    admin
        .submit(
            &format!("/admin/consultations/{slug}/drafts/new"),
            &format!("/admin/consultations/{slug}/drafts"),
            &[("markdown", markdown), ("level", level), ("action", "save")],
        )
        .await
}

pub(crate) async fn translate(
    admin: &Browser,
    slug: &str,
    markdown: &str,
    action: &str,
) -> (u16, String) {
    let page = format!("/admin/consultations/{slug}/drafts/1/translation");
    let res = admin
        .submit(&page, &page, &[("markdown", markdown), ("action", action)])
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

pub(crate) async fn open_round(app: &TestApp, admin: &Browser, slug: &str, version: &str) {
    let now = app.clock.now();
    let res = admin
        .submit(
            &format!("/admin/consultations/{slug}"),
            &format!("/admin/consultations/{slug}/rounds"),
            &[
                ("draft_version", version),
                ("opens_at", &form_time(now)),
                ("closes_at", &form_time(now + time::Duration::days(5))),
                ("attribution", "open"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

type ProvisionRow = (String, String, Option<String>, Option<String>);

async fn stored(
    app: &TestApp,
    slug: &'static str,
) -> (
    Vec<(String, Option<String>, i32)>,
    Vec<ProvisionRow>,
    String,
) {
    app.db
        .query(move |c| {
            let version: (i64, String) = draft_versions::table
                .inner_join(consultations::table)
                .filter(consultations::slug.eq(slug))
                .select((draft_versions::id, draft_versions::preamble))
                .first(c)?;
            let divisions = draft_divisions::table
                .filter(draft_divisions::draft_version_id.eq(version.0))
                .order(draft_divisions::ordinal)
                .select((
                    draft_divisions::division_key,
                    draft_divisions::parent_key,
                    draft_divisions::depth,
                ))
                .load(c)?;
            let provisions = provisions::table
                .filter(provisions::draft_version_id.eq(version.0))
                .order(provisions::ordinal)
                .select((
                    provisions::provision_key,
                    provisions::body,
                    provisions::division_key,
                    provisions::translated_label,
                ))
                .load(c)?;
            Ok::<_, diesel::result::Error>((divisions, provisions, version.1))
        })
        .await
        .unwrap()
}

both_backends! {
    async fn a_hundred_article_bilingual_draft_keeps_its_divisions_and_its_introduction(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "regulation").await;
        let res = import_at(&admin, "regulation", &regulation(false, "1", 100), "5").await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());

        let (divisions, provisions, preamble) = stored(&app, "regulation").await;
        assert_eq!(provisions.len(), 101, "100 articles and the annex's list");
        let keys: Vec<&str> = divisions.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(keys, ["part-1", "ch-1", "ch-2", "sec-1", "sec-2", "ch-3", "ch-4", "part-2", "ch-5", "ch-6", "ch-7", "ch-8", "annex-i"]);
        assert_eq!(divisions[3], ("sec-1".to_string(), Some("ch-2".to_string()), 3));
        assert_eq!(divisions[8], ("ch-5".to_string(), Some("part-2".to_string()), 2));
        for (key, body, _, _) in &provisions {
            assert!(!body.contains('#') && !body.contains("CHAPTER") && !body.contains("PART"), "{key}: {body}");
        }
        let division_of = |key: &str| provisions.iter().find(|p| p.0 == key).unwrap().2.clone();
        assert_eq!(division_of("art-1").as_deref(), Some("ch-1"));
        assert_eq!(division_of("art-14").as_deref(), Some("sec-1"));
        assert_eq!(division_of("art-20").as_deref(), Some("sec-2"));
        assert_eq!(division_of("art-100").as_deref(), Some("ch-8"));
        assert_eq!(division_of("annex-i-list").as_deref(), Some("annex-i"));
        assert!(preamble.contains("The Parties,") && preamble.contains("(1) Whereas diversity matters."), "{preamble}");

        // French numbering: "Article 1er" and "Article premier" are art-1.
        let (status, page) = translate(&admin, "regulation", &regulation(true, "1er", 100), "preview").await;
        assert_eq!(status, 200, "{page}");
        let (status, _) = translate(&admin, "regulation", &regulation(true, "premier", 100), "save").await;
        assert_eq!(status, 303);
        let (_, provisions, _) = stored(&app, "regulation").await;
        assert_eq!(provisions[0].3.as_deref(), Some("Article premier"));

        // A French text that numbers its last article 101 is refused, naming both keys.
        let (status, page) = translate(&admin, "regulation", &regulation(true, "premier", 101), "save").await;
        assert_eq!(status, 422);
        assert!(page.contains("<span class=\"detail\">art-100</span>"), "{page}");
        assert!(page.contains("<span class=\"detail\">art-101</span>"));

        open_round(&app, &admin, "regulation", "1").await;
        let (status, page) = app.get_text("/consultations/regulation/rounds/1").await;
        assert_eq!(status, 200);
        assert!(page.contains("<a href=\"/consultations/regulation/rounds/1?page&#x3D;ch-5#part-2\"><span lang=\"en\">PART II — Part II</span></a>"), "{page}");
        assert!(page.contains("The Parties,"), "the introduction is shown");
        let (_, page) = app.get_text("/consultations/regulation/rounds/1?page=ch-2").await;
        assert!(page.contains("id=\"ch-2\"><span lang=\"en\">CHAPTER II — Chapter II</span></h2>"), "{page}");
        let (_, french) = app.get_text("/consultations/regulation/rounds/1?lang=fr&page=ch-2").await;
        assert!(french.contains("<span lang=\"fr\">CHAPITRE II — Chapitre II</span>"), "{french}");
        let (_, french) = app.get_text("/consultations/regulation/rounds/1?lang=fr").await;
        assert!(french.contains("<span lang=\"fr\">Article premier — Heading 1</span>"));
    }

    async fn a_revised_draft_shows_added_removed_and_moved_chapters(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "moves").await;
        let v1 = "# T\n\n# Chapter 1 — One\n## Article 1\nA.\n## Article 2\nB.\n\
                  # Chapter 2 — Two\n## Article 3\nC.\n# Chapter 3 — Three\n## Article 4\nD.\n";
        let v2 = "# T\n\n# Chapter 1 — One\n## Article 1\nA.\n# Chapter 4 — Four\n## Article 2\nB.\n\
                  # Chapter 3 — Three\n## Article 4\nD.\n";
        assert_eq!(import_at(&admin, "moves", v1, "2").await.status(), 303);
        assert_eq!(import_at(&admin, "moves", v2, "2").await.status(), 303);
        open_round(&app, &admin, "moves", "2").await;
        let (_, page) = app.get_text("/consultations/moves/rounds/1?view=changes").await;
        assert!(page.contains("Chapter 4 — Four</span> <span class=\"sub change-added\">New</span></h2>"), "{page}");
        assert!(page.contains("<span class=\"sub change-moved\">Moved from Chapter 1</span>"));
        assert!(page.contains("Chapter 2 — Two <span class=\"sub change-removed\">Removed, with what it held</span>"));
        assert!(page.contains("change-removed"), "art-3 is removed");
        assert!(!page.contains("Chapter 3 — Three</span> <span class=\"sub"), "an unmoved chapter has no mark");
    }

    async fn reports_carry_division_keys_and_subtotals(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "divided").await;
        let draft = "# T\n\n# Chapter 1 — One\n## Article 1\nA.\n## Article 2\nB.\n# Chapter 2 — Two\n## Article 3\nC.\n";
        assert_eq!(import_at(&admin, "divided", draft, "2").await.status(), 303);
        open_round(&app, &admin, "divided", "1").await;
        let round = "/consultations/divided/rounds/1";
        // Three of one group: enough for its share to count.
        for i in 0..3 {
            let b = app.participant(&format!("p{i}@example.org"), "civil_society", "FR", true).await;
            let res = b.submit(round, &format!("{round}/submission"), &[
                ("action", "submit"), ("disclosure", "anonymous"),
                ("stance[art-1]", "support"), ("stance[art-2]", "oppose"), ("stance[art-3]", "support"),
            ]).await;
            assert_eq!(res.status(), 303);
        }
        for action in ["close", "publish"] {
            let path = format!("/admin/consultations/divided/rounds/1/{action}");
            assert_eq!(admin.submit(&path, &path, &[("note", "")]).await.status(), 303);
        }
        let (_, json) = app.get_text(&format!("{round}/report.json")).await;
        let s: Snapshot = serde_json::from_str(&json).unwrap();
        let keys: Vec<_> = s.divisions.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["ch-1", "ch-2"]);
        let of: Vec<_> = s.provisions.iter().map(|p| p.division.as_ref().map(|d| d.key.as_str())).collect();
        assert_eq!(of, [Some("ch-1"), Some("ch-1"), Some("ch-2")]);
        assert_eq!(s.provisions[2].division.as_ref().unwrap().heading, "Two");

        let (_, csv) = app.get_text(&format!("{round}/report.csv")).await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "provision_key");
        // Columns are only added at the end: division_key stays the 11th,
        // before the dispositions' and tags' columns.
        assert_eq!(&header[10], "division_key", "added at the end");
        let pairs: std::collections::BTreeSet<(String, String)> = reader
            .records()
            .map(|r| { let r = r.unwrap(); (r[0].to_string(), r[10].to_string()) })
            .collect();
        assert_eq!(pairs.into_iter().collect::<Vec<_>>(), [
            ("art-1".to_string(), "ch-1".to_string()),
            ("art-2".to_string(), "ch-1".to_string()),
            ("art-3".to_string(), "ch-2".to_string()),
        ]);

        // Chapter 1: six responses, support 100% and 0%: a mean of 50%.
        let (_, page) = app.get_text(&format!("{round}/report")).await;
        assert!(page.contains("<tr class=\"division depth-1\"><th scope=\"row\" lang=\"en\">Chapter 1 — One</th><td>Subtotal</td><td class=\"num\">50%</td><td></td><td></td><td class=\"num\">6</td>"), "{page}");
        assert!(page.contains("Chapter 2 — Two</th><td>Subtotal</td><td class=\"num\">100%</td><td></td><td></td><td class=\"num\">3</td>"));
        assert!(page.contains("the mean of its provisions"));
        // The picture of the round groups its rows by division too.
        let svg = &page[page.find("<svg").unwrap()..];
        let (one, two) = (svg.find(">Chapter 1 — One</text>").expect("chapter 1 named in the picture"),
                          svg.find(">Chapter 2 — Two</text>").expect("chapter 2 named in the picture"));
        assert!(one < svg.find(">Article 1<").unwrap() && two > svg.find(">Article 2<").unwrap() && two < svg.find(">Article 3<").unwrap());
    }
}

/// Snapshots published before drafts had divisions still read.
#[test]
fn an_old_snapshot_without_divisions_still_reads() {
    let old = r#"{"version":1,"note":"","published_at":"2026-01-01T00:00:00Z","consultation_slug":"s",
        "consultation_title":"T","round":1,"opens_at":"x","closes_at":"y","attribution":"open",
        "min_group_size":3,"campaign_threshold":0.8,"participation":{"submissions":0,"verified":0,
        "in_campaigns":0,"by_group":[],"by_country":[],"by_region":[]},"provisions":[],"general_texts":0}"#;
    let s: Snapshot = serde_json::from_str(old).unwrap();
    assert!(s.divisions.is_empty());
}
