//! Drafts and translations uploaded as Word files: converted to the Markdown
//! the importer reads, previewed, saved; what cannot be trusted is refused.

use crate::docx_fixture::*;
use crate::helpers::*;

/// The file field as a browser sends it: multipart, the token in the form's address.
async fn upload(
    admin: &Browser,
    form: &str,
    action: &str,
    file: (&str, Vec<u8>),
    button: &str,
) -> (u16, String) {
    let (_, page) = admin.get_text(form).await;
    let token = csrf_in(&page);
    let parts = reqwest::multipart::Form::new()
        .text("markdown", "")
        .text("level", "2")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string()),
        )
        .text("action", button.to_string());
    let res = admin
        .client
        .post(format!(
            "{}{action}{}csrf_token={token}",
            admin.address,
            if action.contains('?') { '&' } else { '?' }
        ))
        .multipart(parts)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn upload_draft(
    admin: &Browser,
    slug: &str,
    file: (&str, Vec<u8>),
    button: &str,
) -> (u16, String) {
    let form = format!("/admin/consultations/{slug}/drafts/new");
    upload(
        admin,
        &form,
        &format!("/admin/consultations/{slug}/drafts"),
        file,
        button,
    )
    .await
}

fn english_draft() -> Vec<u8> {
    let body = [
        para("Title", "Protocol on platforms"),
        para("", "Preamble."),
        para("Heading2", "Article 1 — Scope"),
        format!(
            "<w:p>{}{}{}</w:p>",
            run("Parties shall ", ""),
            run("encourage", "<w:b/>"),
            run(" platforms to:", "")
        ),
        list_para(1, 0, "publish reports;"),
        list_para(1, 0, "keep records."),
        para("Heading2", "Article 2 — Data"),
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            para("", "a table cell")
        ),
        para("", "Same text."),
    ]
    .concat();
    docx(&body, &english_styles(), Some(NUMBERING))
}

both_backends! {
    async fn a_word_draft_is_previewed_then_saved_with_the_keys_of_its_headings(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "word").await;

        let (status, preview) = upload_draft(&admin, "word", ("Protocol.docx", english_draft()), "preview").await;
        assert_eq!(status, 200, "{preview}");
        assert!(preview.contains("<code>art-1</code>") && preview.contains("<code>art-2</code>"));
        assert!(preview.contains("<strong>encourage</strong>") && preview.contains("<li>publish reports;</li>"));
        assert!(preview.contains("one table"), "the preview says what was left out");
        assert!(!preview.contains("a table cell"));
        // The converted Markdown is in the form, to be corrected and saved.
        assert!(preview.contains("## Article 1 — Scope\n\nParties shall **encourage** platforms to:"));

        let (status, _) = upload_draft(&admin, "word", ("Protocol.docx", english_draft()), "save").await;
        assert_eq!(status, 303);
        let stored = stored_provisions(&app, "word").await;
        let keys: Vec<_> = stored.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(keys, ["art-1", "art-2"]);
        assert_eq!(stored[0].1, "Scope");
        assert_eq!(stored[0].2, "Parties shall **encourage** platforms to:\n\n- publish reports;\n- keep records.");
        assert_eq!(stored[1].2, "Same text.");
    }

    async fn a_translation_uploaded_from_a_french_word_matches_the_originals_provisions(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "word-fr").await;
        assert_eq!(import(&admin, "word-fr", DRAFT, "save").await.status(), 303);
        // French Word names its styles Titre and Titre 2.
        let styles = styles(&[("Titre", "Title", None), ("Titre2", "heading 2", None)]);
        let body = [
            para("Titre", "Protocole"),
            para("", "Préambule."),
            para("Titre2", "Article 1 — Portée"),
            para("", "Les Parties encouragent les plateformes."),
            para("Titre2", "Article 2 — Données"),
            para("", "Même texte."),
        ]
        .concat();
        let file = ("Protocole.docx", docx(&body, &styles, None));
        let page = "/admin/consultations/word-fr/drafts/1/translation";

        let (status, preview) = upload(&admin, page, page, file.clone(), "preview").await;
        assert_eq!(status, 200, "{preview}");
        assert!(preview.contains("Portée") && preview.contains("Les Parties encouragent les plateformes."));
        let (status, _) = upload(&admin, page, page, file, "save").await;
        assert_eq!(status, 303);
        let translated: Vec<_> = stored_provisions(&app, "word-fr").await.into_iter().map(|p| p.3).collect();
        assert_eq!(translated, [Some("Portée".to_string()), Some("Données".to_string())]);
    }

    async fn a_word_draft_with_tracked_changes_is_refused_saying_what_to_do(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "tracked").await;
        let body = [
            para("Heading2", "Article 1"),
            "<w:p><w:ins w:id=\"1\" w:author=\"Drafter\"><w:r><w:t>Added text.</w:t></w:r></w:ins></w:p>".to_string(),
        ]
        .concat();
        let file = ("Tracked.docx", docx(&body, &english_styles(), None));

        let (status, page) = upload_draft(&admin, "tracked", file.clone(), "preview").await;
        assert_eq!(status, 422);
        assert!(page.contains("Accept or reject all tracked changes in Word, then upload again."), "{page}");
        let form = "/admin/consultations/tracked/drafts/new";
        let (status, page) = upload(&admin, form, "/admin/consultations/tracked/drafts?lang=fr", file, "save").await;
        assert_eq!(status, 422);
        assert!(page.contains("Acceptez ou refusez toutes les modifications suivies dans Word"), "{page}");
        assert!(stored_provisions(&app, "tracked").await.is_empty());
    }

    async fn a_file_named_docx_that_is_not_word_is_refused(app) {
        let admin = app.admin().await;
        new_consultation(&admin, "not-word").await;
        let html = b"<html><body><h2>Article 1</h2><p>Text</p></body></html>".to_vec();
        let (status, page) = upload_draft(&admin, "not-word", ("draft.docx", html), "preview").await;
        assert_eq!(status, 422);
        assert!(page.contains("The file is not a Word document (.docx)."), "{page}");
        let odt = zip_of(&[("content.xml", "<office:document/>")]);
        let (status, page) = upload_draft(&admin, "not-word", ("draft.odt", odt), "preview").await;
        assert_eq!(status, 422);
        assert!(page.contains("The file is not a Word document (.docx)."), "{page}");
    }
}

/// A hundred articles in ten chapters and an annex, as Word files in English
/// and in French (chapters in Heading 1, articles in Heading 2).
fn hundred_articles(french: bool) -> Vec<u8> {
    let (title, chapter, article, annex) = if french {
        (
            "Protocole additionnel",
            "Chapitre",
            "Article",
            "Annexe I — Définitions",
        )
    } else {
        (
            "Additional Protocol",
            "Chapter",
            "Article",
            "Annex I — Definitions",
        )
    };
    let roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    let mut body = vec![
        para("Title", title),
        para("", if french { "Préambule." } else { "Preamble." }),
    ];
    for (c, numeral) in roman.iter().enumerate() {
        body.push(para(
            "Heading1",
            &format!("{chapter} {numeral} — {}", c + 1),
        ));
        for a in c * 10 + 1..=c * 10 + 10 {
            let label = if french && a == 1 {
                "Article premier".to_string()
            } else {
                format!("{article} {a}")
            };
            body.push(para("Heading2", &format!("{label} — {}", a)));
            body.push(para(
                "",
                &format!(
                    "{} {a}.",
                    if french {
                        "Texte de l'article"
                    } else {
                        "Text of article"
                    }
                ),
            ));
        }
    }
    body.push(para("Heading1", annex));
    body.push(para("", if french { "Les termes." } else { "The terms." }));
    let styles = styles(&[
        ("Title", "Title", None),
        ("Heading1", "heading 1", Some(0)),
        ("Heading2", "heading 2", Some(1)),
    ]);
    docx(&body.concat(), &styles, None)
}

both_backends! {
    async fn a_hundred_article_bilingual_draft_in_ten_chapters_is_imported_from_word(app) {
        use diesel::prelude::*;
        use polyphony::db::schema::{consultations, draft_divisions, draft_versions};
        let admin = app.admin().await;
        new_consultation(&admin, "word-long").await;
        let (status, page) = upload_draft(&admin, "word-long", ("Protocol.docx", hundred_articles(false)), "save").await;
        assert_eq!(status, 303, "{page}");
        let page = "/admin/consultations/word-long/drafts/1/translation";
        let (status, preview) = upload(&admin, page, page, ("Protocole.docx", hundred_articles(true)), "save").await;
        assert_eq!(status, 303, "{preview}");
        let provisions = stored_provisions(&app, "word-long").await;
        assert_eq!(provisions.len(), 100);
        let keys: Vec<String> = provisions.iter().map(|p| p.0.clone()).collect();
        assert_eq!(keys, (1..=100).map(|a| format!("art-{a}")).collect::<Vec<_>>());
        assert!(provisions.iter().all(|p| p.3.is_some()), "every article has its French heading");
        assert!(provisions.iter().all(|p| !p.2.contains("Chapter") && !p.2.contains("Annex")), "no division inside a body");
        let divisions: Vec<String> = app.db.query(|c| {
            let version: i64 = draft_versions::table
                .inner_join(consultations::table.on(consultations::id.eq(draft_versions::consultation_id)))
                .filter(consultations::slug.eq("word-long"))
                .select(draft_versions::id)
                .first(c)?;
            draft_divisions::table
                .filter(draft_divisions::draft_version_id.eq(version))
                .order(draft_divisions::ordinal)
                .select(draft_divisions::division_key)
                .load(c)
        }).await.unwrap();
        assert_eq!(divisions.len(), 11, "{divisions:?}");
        assert_eq!(divisions.first().map(String::as_str), Some("ch-1"));
        assert_eq!(divisions.last().map(String::as_str), Some("annex-i"));
    }
}
