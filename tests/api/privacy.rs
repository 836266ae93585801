//! What a published report must not let a reader work out: who the lone
//! anonymous member of a small group is, or which anonymous texts one person
//! wrote.

use crate::helpers::*;
use crate::reports::{answer, close_and_publish};

const ROUND: &str = "/consultations/additional-protocol/rounds/1";
const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";

/// report.csv's rows as maps from column name to cell.
async fn csv_rows(app: &TestApp) -> Vec<std::collections::HashMap<String, String>> {
    let (status, csv) = app.get_text(&format!("{ROUND}/report.csv")).await;
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

async fn published_texts(app: &TestApp) -> Vec<serde_json::Value> {
    let (status, json) = app.get_text(&format!("{ROUND}/report.json")).await;
    assert_eq!(status, 200);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    report["texts"].as_array().unwrap().clone()
}

fn is_public_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

both_backends! {
    async fn a_lone_anonymous_author_of_a_country_is_shown_by_region_only(app) {
        let ca = app.participant("ca@example.org", "government", "CA", false).await;
        answer(&ca, &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "The only Canadian concern."),
            ("general_comment", "A Canadian general remark."),
            ("disclosure", "anonymous"),
        ]).await;
        for (i, email) in ["f1@example.org", "f2@example.org", "f3@example.org"].into_iter().enumerate() {
            let b = app.participant(email, "civil_society", "FR", false).await;
            let comment = format!("French view number {i}.");
            answer(&b, &[("stance[art-1]", "support"), ("comment[art-1]", &comment), ("disclosure", "anonymous")]).await;
        }
        let named = app.participant("named@example.org", "platform", "US", false).await;
        answer(&named, &[("stance[art-1]", "support"), ("comment[art-1]", "Named and proud."), ("disclosure", "attributed")]).await;
        close_and_publish(&app).await;

        let rows: Vec<_> = csv_rows(&app).await.into_iter().filter(|r| r["provision_key"] == "art-1").collect();
        let government: Vec<_> = rows.iter().filter(|r| r["stakeholder_group"] == "government").collect();
        assert_eq!(government.len(), 1);
        assert_eq!((government[0]["country"].as_str(), government[0]["region"].as_str()), ("", "americas"),
            "one government of Canada: its row names the region, not the country");
        let french: Vec<_> = rows.iter().filter(|r| r["stakeholder_group"] == "civil_society").collect();
        assert_eq!(french.len(), 3);
        assert!(french.iter().all(|r| r["country"] == "FR"), "three of a group and country: the minimum group size is met");
        let us = rows.iter().find(|r| r["stakeholder_group"] == "platform").unwrap();
        assert_eq!(us["country"], "US", "a named author's country is public anyway");

        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1?lang=en")).await;
        let canadian = page.split("The only Canadian concern.").next().unwrap();
        let attribution = canadian.rsplit("<li").next().unwrap();
        assert!(attribution.contains("Government") && !attribution.contains("Canada"), "{attribution}");
        assert!(page.contains("France"), "the French texts keep their country");

        let texts = published_texts(&app).await;
        assert!(texts.iter().all(|t| t.get("position_id").is_none()), "database ids are not published");
        let general = texts.iter().find(|t| t["comment"] == "A Canadian general remark.").unwrap();
        assert!(general["country"].is_null());
        assert_eq!(general["region"], "americas", "the region stays, as in report.csv");
        // The public search finds the text by the region it publishes, never
        // by the country it withholds.
        let (_, by_region) = app.get_text(&format!("{ROUND}/report/search?q=Canadian&region=americas")).await;
        assert!(by_region.contains("The only Canadian concern."), "{by_region}");
        let (_, by_country) = app.get_text(&format!("{ROUND}/report/search?q=Canadian&country=CA")).await;
        assert!(!by_country.contains("The only Canadian concern."), "{by_country}");
        let (_, elsewhere) = app.get_text(&format!("{ROUND}/report/search?q=Canadian&region=europe")).await;
        assert!(!elsewhere.contains("The only Canadian concern."), "{elsewhere}");
        let id = general["id"].as_str().unwrap();
        assert!(is_public_id(id), "{id}");
        let (status, permalink) = app.get_text(&format!("{ROUND}/report/texts/{id}")).await;
        assert_eq!(status, 200, "a general comment has a permalink too");
        assert!(permalink.contains("A Canadian general remark."));
        assert_eq!(app.get(&format!("{ROUND}/report/texts/1")).await.status(), 404, "a database id names nothing");
        assert_eq!(app.get(&format!("{ROUND}/report/texts/0123456789abcdeg")).await.status(), 404);
    }

    async fn texts_are_listed_in_an_order_that_does_not_follow_submission_and_keep_their_ids(app) {
        for i in 0..16 {
            let email: &'static str = Box::leak(format!("p{i:02}@example.org").into_boxed_str());
            let b = app.participant(email, "civil_society", "FR", false).await;
            let (one, two) = (format!("First #{i:02}"), format!("Second #{i:02}"));
            answer(&b, &[
                ("stance[art-1]", "support"), ("comment[art-1]", &one),
                ("stance[art-2]", "oppose"), ("comment[art-2]", &two),
                ("disclosure", "anonymous"),
            ]).await;
        }
        let admin = close_and_publish(&app).await;
        let numbers = |texts: &[serde_json::Value], key: &str| -> Vec<String> {
            texts.iter()
                .filter(|t| t["provision_key"] == key)
                .map(|t| t["comment"].as_str().unwrap().rsplit('#').next().unwrap().to_string())
                .collect()
        };
        let texts = published_texts(&app).await;
        let (first, second) = (numbers(&texts, "art-1"), numbers(&texts, "art-2"));
        assert_eq!(first.len(), 16);
        let mut submitted = first.clone();
        submitted.sort();
        assert_ne!(first, submitted, "not the order of submission");
        assert_ne!(first, second, "the k-th text under two provisions is not the same person's");
        let csv_first: Vec<String> = csv_rows(&app).await.into_iter()
            .filter(|r| r["provision_key"] == "art-1")
            .map(|r| r["comment"].rsplit('#').next().unwrap().to_string())
            .collect();
        assert_eq!(csv_first, first, "report.csv lists them as the report does");

        let ids: Vec<(String, String)> = texts.iter()
            .map(|t| (t["comment"].as_str().unwrap().to_string(), t["id"].as_str().unwrap().to_string()))
            .collect();
        let path = format!("{ADMIN_ROUND}/publish");
        assert_eq!(admin.submit(&path, &path, &[("note", "Again")]).await.status(), 303);
        let again = published_texts(&app).await;
        for (comment, id) in &ids {
            let same = again.iter().find(|t| t["comment"] == comment.as_str()).unwrap();
            assert_eq!(same["id"].as_str().unwrap(), id, "a text keeps its id in every version");
        }
    }
}
