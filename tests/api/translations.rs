//! Bilingual content: organizers add translations (checked provision key by
//! provision key), readers see their language marked with `lang` and a link to
//! the original.

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, consultations, draft_versions, provisions, users};

const FRENCH: &str = "# Protocole\n\nPréambule.\n\n## Article 1 — Portée\nLes Parties encouragent les plateformes.\n\n## Article 2 — Données\nMême texte.\n";
const DEMO_ROUND: &str = "/consultations/additional-protocol/rounds/1";

async fn consultation_with_a_draft(admin: &Browser, slug: &str) {
    new_consultation(admin, slug).await;
    assert_eq!(import(admin, slug, DRAFT, "save").await.status(), 303);
}

async fn translate(
    admin: &Browser,
    slug: &str,
    version: i32,
    markdown: &str,
    action: &str,
) -> (u16, String) {
    let page = format!("/admin/consultations/{slug}/drafts/{version}/translation");
    let res = admin
        .submit(&page, &page, &[("markdown", markdown), ("action", action)])
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// The file field, as a browser sends it: multipart, the token in the form's address.
async fn upload(admin: &Browser, page: &str, file: &str, action: &str) -> reqwest::Response {
    let (_, form) = admin.get_text(page).await;
    let marker = "?csrf_token=";
    let start = form.find(marker).expect("the token in the form's address") + marker.len();
    let token: String = form[start..].chars().take_while(|c| *c != '"').collect();
    let parts = reqwest::multipart::Form::new()
        .text("markdown", "")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("fr.md"),
        )
        .text("action", action.to_string());
    admin
        .client
        .post(format!("{}{page}?csrf_token={token}", admin.address))
        .multipart(parts)
        .send()
        .await
        .unwrap()
}

async fn translated_headings(app: &TestApp, slug: &'static str) -> Vec<Option<String>> {
    let stored = stored_provisions(app, slug).await;
    stored
        .into_iter()
        .map(|(_, _, _, translated)| translated)
        .collect()
}

both_backends! {
    async fn a_translation_must_have_exactly_the_originals_provision_keys(app) {
        let admin = app.admin().await;
        consultation_with_a_draft(&admin, "transparency").await;
        let (status, page) = admin.get_text("/admin/consultations/transparency/drafts/1/translation").await;
        assert_eq!(status, 200);
        assert!(page.contains("Translation of version 1 into French"), "{page}");
        assert!(page.contains("<code>art-1</code>, <code>art-2</code>"));

        // One provision missing, one the original does not have: both named, nothing saved.
        let wrong = "# Protocole\n\n## Article 1 — Portée\nTexte.\n\n## Article 3 — Autre\nTexte.\n";
        let (status, page) = translate(&admin, "transparency", 1, wrong, "preview").await;
        assert_eq!(status, 422);
        assert!(page.contains("These provisions of the original are missing from the translation: <span class=\"detail\">art-2</span>"), "{page}");
        assert!(page.contains("The translation has provisions the original does not have: <span class=\"detail\">art-3</span>"));
        assert!(page.contains("aria-invalid=\"true\"") && page.contains("<a href=\"#markdown\">"));
        assert!(page.contains("## Article 3 — Autre"), "what was pasted is kept");
        let (status, _) = translate(&admin, "transparency", 1, wrong, "save").await;
        assert_eq!(status, 422);
        assert_eq!(translated_headings(&app, "transparency").await, vec![None, None]);

        let (status, page) = translate(&admin, "transparency", 1, "  ", "save").await;
        assert_eq!(status, 422);
        assert!(page.contains("The document is empty."));
        let (status, page) = translate(&admin, "transparency", 1, "## Portée\nTexte.\n", "save").await;
        assert_eq!(status, 422);
        assert!(page.contains("A provision heading has no number and no {#key}: add one."), "{page}");

        // A preview shows each translated provision against its original, and saves nothing.
        let (status, page) = translate(&admin, "transparency", 1, FRENCH, "preview").await;
        assert_eq!(status, 200);
        assert!(page.contains("Check the translation"));
        assert!(page.contains("Original: Article 1 — Scope"));
        assert!(page.contains("<h2 lang=\"fr\">Article 1 — Portée</h2>"), "{page}");
        assert!(page.contains("Save the translation"));
        assert_eq!(translated_headings(&app, "transparency").await, vec![None, None]);

        let page_path = "/admin/consultations/transparency/drafts/1/translation";
        let res = upload(&admin, page_path, &FRENCH.replace("## Article 2", "## Article 9"), "save").await;
        assert_eq!(res.status(), 422, "an uploaded file is checked the same way");
        let res = upload(&admin, page_path, FRENCH, "save").await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            translated_headings(&app, "transparency").await,
            vec![Some("Portée".to_string()), Some("Données".to_string())]
        );
        let logged: Vec<String> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.eq("draft.translate"))
            .select(audit_log::details).load(c)).await.unwrap();
        assert_eq!(logged, vec!["version 1 in fr (2 provisions)".to_string()]);
        let (_, audit) = app.get_text("/audit").await;
        assert!(audit.contains("Translation of a draft version saved"));

        // The organizer comes back to replace it: the stored text is in the form.
        let (_, manage) = admin.get_text("/admin/consultations/transparency").await;
        assert!(manage.contains("Replace the French translation"));
        let (_, page) = admin.get_text("/admin/consultations/transparency/drafts/1/translation").await;
        assert!(page.contains("## Article 2 — Données"));

        // Nobody else may.
        let someone = app.participant("p@example.org", "academia", "FR", true).await;
        let (status, _) = someone.get_text("/admin/consultations/transparency/drafts/1/translation").await;
        assert_eq!(status, 403);
        let (status, _) = admin.get_text("/admin/consultations/transparency/drafts/9/translation").await;
        assert_eq!(status, 404);
    }

    async fn the_consultation_title_and_summary_are_translated_on_its_edit_page(app) {
        let admin = app.admin().await;
        consultation_with_a_draft(&admin, "transparency").await;
        let fields = |title: &'static str| {
            [
                ("title", "Platform transparency"),
                ("summary", "What platforms must *explain*."),
                ("eligible_groups", "academia"),
                ("translated_title", title),
                ("translated_summary", "Ce que les plateformes doivent *expliquer*."),
            ]
        };
        let too_long: &'static str = Box::leak("x".repeat(301).into_boxed_str());
        let res = admin.submit("/admin/consultations/transparency", "/admin/consultations/transparency", &fields(too_long)).await;
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(page.contains("id=\"translated_title-error\""), "the error is next to the field");
        let res = admin.submit("/admin/consultations/transparency", "/admin/consultations/transparency", &fields("Transparence des plateformes")).await;
        assert_eq!(res.status(), 303);

        let (_, fr) = app.new_browser().get_text("/consultations/transparency?lang=fr").await;
        assert!(fr.contains("<h1 lang=\"fr\">Transparence des plateformes</h1>"), "{fr}");
        assert!(fr.contains("<div class=\"prose\" lang=\"fr\"><p>Ce que les plateformes doivent <em>expliquer</em>.</p>"));
        assert!(fr.contains("href=\"/consultations/transparency?original&#x3D;1\" hreflang=\"en\">Lire l’original en anglais</a>"));
        let (_, original) = app.new_browser().get_text("/consultations/transparency?lang=fr&original=1").await;
        assert!(original.contains("<h1 lang=\"en\">Platform transparency</h1>"));
        assert!(original.contains("Vous lisez les textes originaux, en anglais."));
        let (_, audit) = app.new_browser().get_text("/audit?lang=fr").await;
        assert!(audit.contains("<a href=\"/consultations/transparency\" lang=\"fr\">Transparence des plateformes</a>"), "{audit}");
        let (_, en) = app.new_browser().get_text("/consultations/transparency?lang=en").await;
        assert!(en.contains("<h1 lang=\"en\">Platform transparency</h1>"));
        assert!(!en.contains("Transparence") && !en.contains("translation-note"));

        // Emptying the fields takes the translation away.
        let res = admin.submit("/admin/consultations/transparency", "/admin/consultations/transparency", &fields("")).await;
        assert_eq!(res.status(), 303);
        let title: Option<String> = app.db.query(|c| consultations::table
            .filter(consultations::slug.eq("transparency"))
            .select(consultations::translated_title).first(c)).await.unwrap();
        assert_eq!(title, None);
    }

    async fn a_french_reader_sees_french_provisions_marked_and_a_link_to_the_english_original(app) {
        let reader = app.new_browser();
        let (status, page) = reader.get_text(&format!("{DEMO_ROUND}?lang=fr")).await;
        assert_eq!(status, 200);
        assert!(page.contains("<h3 id=\"art-1-heading\"><span lang=\"fr\">Article 1 — Objet</span>"), "{page}");
        assert!(page.contains("<div class=\"prose\" lang=\"fr\"><p>Le présent Protocole renforce"));
        assert!(page.contains("<a href=\"#art-2\" lang=\"fr\">Article 2 — Champ d’application</a>"));
        assert!(page.contains("<span lang=\"fr\">Protocole additionnel à la Convention de 2005"));
        assert!(page.contains("Vous lisez une traduction. <a href=\"/consultations/additional-protocol/rounds/1?original&#x3D;1\" hreflang=\"en\">Lire l’original en anglais</a>"));
        assert!(!page.contains("Article 1 — Purpose"));

        // The link shows the English original, marked as English, with the way back.
        let (_, original) = reader.get_text(&format!("{DEMO_ROUND}?original=1")).await;
        assert!(original.contains("<html lang=\"fr\""), "the interface stays French");
        assert!(original.contains("<h3 id=\"art-1-heading\"><span lang=\"en\">Article 1 — Purpose</span>"));
        assert!(original.contains("<div class=\"prose\" lang=\"en\"><p>This Protocol strengthens"));
        assert!(original.contains("<a href=\"/consultations/additional-protocol/rounds/1\">Lire la traduction</a>"));

        let (_, home) = reader.get_text("/").await;
        assert!(home.contains("lang=\"fr\">Protocole additionnel sur la diversité des expressions culturelles"));

        let english = app.new_browser();
        let (_, page) = english.get_text(&format!("{DEMO_ROUND}?lang=en")).await;
        assert!(page.contains("<h3 id=\"art-1-heading\"><span lang=\"en\">Article 1 — Purpose</span>"));
        assert!(!page.contains("Objet") && !page.contains("translation-note"), "no translation to offer in English");
    }

    async fn a_french_participant_reviews_and_gets_a_receipt_in_french(app) {
        let b = app.participant("amelie@example.org", "civil_society", "FR", true).await;
        app.db.query(|c| diesel::update(users::table.filter(users::email.eq("amelie@example.org")))
            .set(users::locale.eq("fr")).execute(c)).await.unwrap();
        let post = format!("{DEMO_ROUND}/submission");
        let res = b.submit(DEMO_ROUND, &post, &[("action", "review"), ("stance[art-1]", "support"), ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 200);
        let review = res.text().await.unwrap();
        assert!(review.contains("<dt lang=\"fr\">Article 1 — Objet</dt>"), "{review}");
        // The review answers a POST: its link goes to the round page itself.
        assert!(review.contains("href=\"/consultations/additional-protocol/rounds/1?original&#x3D;1\""));
        let res = b.submit(DEMO_ROUND, &post, &[("action", "submit"), ("stance[art-1]", "support"), ("disclosure", "anonymous")]).await;
        assert_eq!(res.status(), 303);
        let mail = app.wait_for_mail("amelie@example.org", "Article 12").await;
        // The decoded e-mail is read byte by byte: only its ASCII is compared.
        let body = &mail.subject_and_body;
        assert!(body.contains("margin-bottom: 4px;\" lang=\"fr\">Article 1 ") && body.contains(" Objet</h3>"), "{body}");
        assert!(body.contains("Protocole additionnel sur la diversit"));
    }

    async fn the_changes_view_compares_the_originals(app) {
        let admin = app.admin().await;
        let v2 = std::fs::read_to_string("src/demo/additional-protocol.en.md").unwrap()
            .replace("Parties shall encourage, and where appropriate require,", "Parties shall require");
        let res = admin.submit("/admin/consultations/additional-protocol/drafts/new", "/admin/consultations/additional-protocol/drafts",
            &[("markdown", v2.as_str()), ("level", "2"), ("action", "save")]).await;
        assert_eq!(res.status(), 303);
        let (_, form) = admin.get_text("/admin/consultations/additional-protocol/drafts/2/translation").await;
        assert!(form.contains("The form starts from the translation of version 1"), "{form}");
        assert!(form.contains("## Article 1 — Objet"));
        let fr = std::fs::read_to_string("src/demo/additional-protocol.fr.md").unwrap();
        assert_eq!(translate(&admin, "additional-protocol", 2, &fr, "save").await.0, 303);
        let now = app.clock.now();
        let at = |t: time::PrimitiveDateTime| format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute());
        let res = admin.submit("/admin/consultations/additional-protocol", "/admin/consultations/additional-protocol/rounds",
            &[("draft_version", "2"), ("opens_at", &at(now + time::Duration::days(1))), ("closes_at", &at(now + time::Duration::days(9))), ("attribution", "open")]).await;
        assert_eq!(res.status(), 303);

        let reader = app.new_browser();
        let (_, text) = reader.get_text("/consultations/additional-protocol/rounds/2?lang=fr").await;
        assert!(text.contains("Les Parties encouragent et, s’il y a lieu, obligent"));
        let (_, changes) = reader.get_text("/consultations/additional-protocol/rounds/2?view=changes").await;
        assert!(changes.contains("<del>encourage,</del>") || changes.contains("<del>encourage"), "{changes}");
        assert!(changes.contains("<ins>require</ins>"));
        assert!(changes.contains("Les changements sont montrés entre les textes originaux, en anglais."));
        assert!(changes.contains("<span lang=\"en\">Article 4 — Transparency of recommendation systems</span>"));
    }
}

#[test]
fn import_draft_translation_on_the_command_line() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let run = |args: &[&str]| crate::cli::polyphony(&db).args(args).output().unwrap();
    let import_fr = |version: &[&str], file: &std::path::Path| {
        let head = [
            "import-draft",
            "--consultation",
            "additional-protocol",
            "--translation",
        ];
        run(&[&head[..], version, &[file.to_str().unwrap()]].concat())
    };
    assert!(run(&["load-demo"]).status.success());
    let wrong = db.dir().join("wrong.fr.md");
    std::fs::write(
        &wrong,
        "## Article 1 — Objet\nTexte.\n\n## Article 13 — Autre\nTexte.\n",
    )
    .unwrap();
    let out = import_fr(&[], &wrong);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing from the translation: art-2, art-3"),
        "{stderr}"
    );
    assert!(stderr.contains("not in the original: art-13"), "{stderr}");

    let good = db.dir().join("good.fr.md");
    let french = std::fs::read_to_string("src/demo/additional-protocol.fr.md")
        .unwrap()
        .replace("## Article 1 — Objet", "## Article 1 — But");
    std::fs::write(&good, french).unwrap();
    let out = import_fr(&["--version", "1"], &good);
    assert_eq!(
        crate::cli::succeeded(&out),
        "stored the fr translation of version 1 (12 provisions)"
    );
    let mut conn =
        diesel::SqliteConnection::establish(db.url.trim_start_matches("sqlite://")).unwrap();
    let heading: Option<String> = provisions::table
        .filter(provisions::provision_key.eq("art-1"))
        .select(provisions::translated_heading)
        .first(&mut conn)
        .unwrap();
    assert_eq!(heading.as_deref(), Some("But"));
    let out = import_fr(&["--version", "7"], &good);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no version 7"));
}

#[test]
fn a_demo_loaded_before_translations_gets_the_french_at_the_next_start() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let load = || {
        let out = crate::cli::polyphony(&db)
            .arg("load-demo")
            .output()
            .unwrap();
        crate::cli::succeeded(&out);
    };
    load();
    let mut conn =
        diesel::SqliteConnection::establish(db.url.trim_start_matches("sqlite://")).unwrap();
    let heading = |conn: &mut diesel::SqliteConnection| -> Option<String> {
        provisions::table
            .filter(provisions::provision_key.eq("art-1"))
            .select(provisions::translated_heading)
            .first(conn)
            .unwrap()
    };
    assert_eq!(heading(&mut conn).as_deref(), Some("Objet"));
    // As a database from before translations existed.
    diesel::update(provisions::table)
        .set((
            provisions::translated_heading.eq(None::<String>),
            provisions::translated_body.eq(None::<String>),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::update(draft_versions::table)
        .set(draft_versions::translated_source_markdown.eq(None::<String>))
        .execute(&mut conn)
        .unwrap();
    diesel::update(consultations::table)
        .set(consultations::translated_title.eq(None::<String>))
        .execute(&mut conn)
        .unwrap();
    load();
    assert_eq!(heading(&mut conn).as_deref(), Some("Objet"));
    let title: Option<String> = consultations::table
        .select(consultations::translated_title)
        .first(&mut conn)
        .unwrap();
    assert!(title.unwrap().starts_with("Protocole additionnel"));

    // A translation an organizer made is never replaced.
    diesel::update(provisions::table.filter(provisions::provision_key.eq("art-1")))
        .set(provisions::translated_heading.eq("But"))
        .execute(&mut conn)
        .unwrap();
    load();
    assert_eq!(heading(&mut conn).as_deref(), Some("But"));
}
