//! Rounds that follow one another: the link, the provisions matched across
//! the two drafts, and what a participant of the later round sees of the
//! earlier one (only once its report is published, and only their own texts).

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{
    audit_log, consultations, positions, provisions, rounds, submission_revisions, submissions,
    users,
};

const SLUG: &str = "delphi";
const ROUND_2: &str = "/consultations/delphi/rounds/2";
const POST_2: &str = "/consultations/delphi/rounds/2/submission";
const PREVIOUS: &str = "/consultations/delphi/rounds/2/submission/previous";
const SETTINGS_2: &str = "/admin/consultations/delphi/rounds/2/settings";

/// Article 1 and 4 stay, 2 changes, 3 is removed, 5 is new.
pub(crate) const V1: &str = "# Protocol\n\nPreamble.\n\n## Article 1 — Scope\nParties shall encourage platforms.\n\n\
## Article 2 — Data\nPlatforms shall publish data.\n\n## Article 3 — Review\nA review after five years.\n\n\
## Article 4 — Entry\nEntry into force.\n";
pub(crate) const V2: &str = "# Protocol\n\nPreamble.\n\n## Article 1 — Scope\nParties shall encourage platforms.\n\n\
## Article 2 — Data\nPlatforms shall publish open data every year.\n\n## Article 4 — Entry\nEntry into force.\n\n\
## Article 5 — Cooperation\nParties shall cooperate.\n";

const MINE: &str = "Round one words of the government participant";
const THEIRS: &str = "Round one words of the academic participant";
const RESPONSE: &str = "We kept the scope as it was";

pub(crate) async fn open_round(app: &TestApp, admin: &Browser, version: &str) {
    let now = app.clock.now();
    let res = admin
        .submit(
            &format!("/admin/consultations/{SLUG}"),
            &format!("/admin/consultations/{SLUG}/rounds"),
            &[
                ("draft_version", version),
                ("opens_at", &form_time(now - time::Duration::minutes(1))),
                ("closes_at", &form_time(now + time::Duration::days(10))),
                ("attribution", "open"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

pub(crate) async fn act(admin: &Browser, n: i32, action: &str, fields: &[(&str, &str)]) {
    let page = format!("/admin/consultations/{SLUG}/rounds/{n}/{action}");
    let res = admin.submit(&page, &page, fields).await;
    assert_eq!(res.status(), 303, "{action}");
}

pub(crate) async fn answer(
    b: &Browser,
    n: i32,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let round = format!("/consultations/{SLUG}/rounds/{n}");
    let mut all = vec![("action", action)];
    all.extend_from_slice(fields);
    b.submit(&round, &format!("{round}/submission"), &all).await
}

/// Round 1 answered by a government and an academic participant and closed,
/// round 2 open on the revised draft; round 1's report is not published yet.
struct TwoRounds {
    admin: Browser,
    government: Browser,
    academic: Browser,
}

async fn two_rounds(app: &TestApp) -> TwoRounds {
    let admin = app.admin().await;
    new_consultation(&admin, SLUG).await;
    assert_eq!(import(&admin, SLUG, V1, "save").await.status(), 303);
    open_round(app, &admin, "1").await;
    let government = app
        .participant("gov@example.org", "government", "CA", true)
        .await;
    let academic = app
        .participant("acad@example.org", "academia", "FR", false)
        .await;
    let res = answer(
        &government,
        1,
        "submit",
        &[
            ("disclosure", "attributed"),
            ("stance[art-1]", "support"),
            ("comment[art-1]", MINE),
            ("stance[art-2]", "oppose"),
            ("stance[art-3]", "support"),
            ("stance[art-4]", "oppose"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = answer(
        &academic,
        1,
        "submit",
        &[
            ("disclosure", "attributed"),
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", THEIRS),
            ("stance[art-4]", "support"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    act(&admin, 1, "close", &[]).await;
    let path = format!("/admin/consultations/{SLUG}/rounds/1/responses/art-1");
    let manage = format!("/admin/consultations/{SLUG}");
    let res = admin
        .submit(&manage, &path, &[("response", RESPONSE)])
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(import(&admin, SLUG, V2, "save").await.status(), 303);
    open_round(app, &admin, "2").await;
    TwoRounds {
        admin,
        government,
        academic,
    }
}

async fn publish_round_1(admin: &Browser) {
    act(admin, 1, "publish", &[("note", "")]).await;
}

/// The participant's stored round-2 positions: (key, stance, changed_mind).
async fn round_2_positions(
    app: &TestApp,
    email: &'static str,
) -> Vec<(String, Option<String>, String)> {
    app.db
        .query(move |c| {
            positions::table
                .inner_join(submissions::table.inner_join(rounds::table))
                .inner_join(provisions::table)
                .inner_join(users::table.on(users::id.eq(submissions::participant_id)))
                .filter(users::email.eq(email))
                .filter(rounds::number.eq(2))
                .order(provisions::ordinal)
                .select((
                    provisions::provision_key,
                    positions::stance,
                    positions::changed_mind,
                ))
                .load(c)
        })
        .await
        .unwrap()
}

both_backends! {
    async fn a_new_round_follows_the_previous_one_and_an_organizer_may_change_that(app) {
        let TwoRounds { admin, .. } = two_rounds(&app).await;
        let follows = || app.db.query(|c| rounds::table
            .inner_join(consultations::table)
            .filter(consultations::slug.eq(SLUG))
            .order(rounds::number)
            .select((rounds::id, rounds::follows_round_id))
            .load::<(i64, Option<i64>)>(c));
        let linked = follows().await.unwrap();
        assert_eq!(linked[0].1, None);
        assert_eq!(linked[1].1, Some(linked[0].0), "round 2 follows round 1 by default");

        let (status, page) = admin.get_text(SETTINGS_2).await;
        assert_eq!(status, 200);
        assert!(page.contains("<option value=\"1\" selected>Round 1</option>"), "{page}");
        for bad in ["2", "3", "0", "one"] {
            let res = admin.submit(SETTINGS_2, SETTINGS_2, &[("follows_round", bad)]).await;
            assert_eq!(res.status(), 422, "{bad}");
            let body = res.text().await.unwrap();
            assert!(body.contains("Choose an earlier round of this consultation, or none."), "{bad}");
            assert!(body.contains("aria-invalid=\"true\""));
        }
        assert_eq!(follows().await.unwrap()[1].1, Some(linked[0].0), "nothing saved from a refusal");
        let res = admin.submit(SETTINGS_2, SETTINGS_2, &[("follows_round", "")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(follows().await.unwrap()[1].1, None);
        let res = admin.submit(SETTINGS_2, SETTINGS_2, &[("follows_round", "1")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(follows().await.unwrap()[1].1, Some(linked[0].0));
        let logged: Vec<String> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.eq("round.link"))
            .order(audit_log::id)
            .select(audit_log::details)
            .load(c)).await.unwrap();
        assert_eq!(logged, ["follows no round", "follows round 1"]);
        let (_, audit) = app.get_text("/audit").await;
        assert!(audit.contains("Round it follows changed"), "the link is public");

        assert_eq!(admin.get("/admin/consultations/delphi/rounds/9/settings").await.status(), 404);
        let participant = app.participant("p@example.org", "academia", "FR", false).await;
        assert_eq!(participant.get(SETTINGS_2).await.status(), 403);
    }

    async fn the_earlier_round_shows_only_once_its_report_is_published(app) {
        let TwoRounds { admin, government, .. } = two_rounds(&app).await;
        let (status, page) = government.get_text(ROUND_2).await;
        assert_eq!(status, 200);
        for unseen in [MINE, RESPONSE, "Start from my previous answers", "In round 1", "changed_mind["] {
            assert!(!page.contains(unseen), "{unseen} before publication");
        }
        let res = government.submit(ROUND_2, PREVIOUS, &[]).await;
        assert_eq!(res.status(), 404, "nothing to start from before publication");

        publish_round_1(&admin).await;
        let (status, page) = government.get_text(ROUND_2).await;
        assert_eq!(status, 200);
        assert!(page.contains("Start from my previous answers"));
        assert!(page.contains(MINE), "their own earlier comment");
        assert!(page.contains(RESPONSE), "the organizers' response");
        assert!(page.contains("Your position: <strong>Support</strong>"));
        // The matching: 2 changed (with its changes), 3 removed, 5 new.
        assert_eq!(page.matches("Changed since round 1").count(), 1);
        assert!(page.contains("href=\"?view&#x3D;changes#art-2\""), "the changes: {page}");
        assert!(page.contains("Removed since round 1: Article 3"), "{page}");
        let art_5 = &page[page.find("id=\"art-5\"").unwrap()..];
        let art_5 = &art_5[..art_5.find("</section>").unwrap()];
        assert!(!art_5.contains("In round 1"), "a new provision has no earlier round");
        // The published figures by group: the government supported art-1, the academic did not.
        assert!(page.contains("Governments 100% (1)"), "{page}");
        assert!(page.contains("Academia, research 0% (1)"));
        assert!(page.contains("name=\"changed_mind[art-1]\""));
        assert!(!page.contains("name=\"changed_mind[art-5]\""));
    }

    async fn a_participant_never_sees_another_participant_s_earlier_texts(app) {
        let TwoRounds { admin, academic, .. } = two_rounds(&app).await;
        publish_round_1(&admin).await;
        let (_, page) = academic.get_text(ROUND_2).await;
        assert!(page.contains(THEIRS));
        assert!(!page.contains(MINE), "another participant's text");
        assert!(page.contains("Your position: <strong>Oppose</strong>"));
        let newcomer = app.participant("new@example.org", "civil_society", "KE", false).await;
        let (_, page) = newcomer.get_text(ROUND_2).await;
        assert!(!page.contains(MINE) && !page.contains(THEIRS));
        assert!(page.contains("You did not answer this provision then."));
        assert!(!page.contains("Start from my previous answers"), "nothing to carry over");
        assert!(page.contains(RESPONSE), "the published response is for everyone answering");
    }

    async fn starting_from_previous_answers_copies_unchanged_stances_only_and_never_overwrites(app) {
        let TwoRounds { admin, government, .. } = two_rounds(&app).await;
        publish_round_1(&admin).await;
        // Already answered in round 2 (and changed their mind) before copying.
        let res = answer(&government, 2, "save", &[
            ("stance[art-4]", "support"),
            ("changed_mind[art-4]", "The impact study convinced me"),
        ]).await;
        assert_eq!(res.status(), 303);
        let res = government.submit(ROUND_2, PREVIOUS, &[]).await;
        assert_eq!(res.status(), 303);
        let stored = round_2_positions(&app, "gov@example.org").await;
        let stance = |key: &str| stored.iter().find(|p| p.0 == key).and_then(|p| p.1.clone());
        assert_eq!(stance("art-1").as_deref(), Some("support"), "unchanged: copied");
        assert_eq!(stance("art-2"), None, "changed: left to review");
        assert_eq!(stance("art-4").as_deref(), Some("support"), "the round-2 answer stays");
        assert_eq!(stance("art-5"), None, "new: nothing to copy");
        let note = stored.iter().find(|p| p.0 == "art-4").map(|p| p.2.clone());
        assert_eq!(note.as_deref(), Some("The impact study convinced me"), "the note is stored");
        let (_, page) = government.get_text(ROUND_2).await;
        assert!(page.contains("Your earlier positions were copied"));
        assert!(page.contains("The impact study convinced me"));
        assert!(!page.contains("Start from my previous answers"), "nothing left to copy");

        let revisions = || app.db.query(|c| submission_revisions::table.count().get_result::<i64>(c));
        let before = revisions().await.unwrap();
        let res = government.submit(ROUND_2, PREVIOUS, &[]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(revisions().await.unwrap(), before, "a repeat changes nothing");
        let (_, page) = government.get_text(ROUND_2).await;
        assert!(page.contains("There was nothing to copy"));
        assert_eq!(round_2_positions(&app, "gov@example.org").await, stored);

        // Submitted, the note is read with the answer by the organizers.
        let res = answer(&government, 2, "submit", &[
            ("disclosure", "attributed"),
            ("stance[art-4]", "support"),
            ("comment[art-4]", "Now I agree"),
            ("changed_mind[art-4]", "The impact study convinced me"),
        ]).await;
        assert_eq!(res.status(), 303);
        let position: i64 = app.db.query(|c| positions::table
            .filter(positions::comment.eq("Now I agree"))
            .select(positions::id)
            .first(c)).await.unwrap();
        let (status, page) = admin
            .get_text(&format!("/admin/consultations/delphi/rounds/2/texts/position/{position}/disposition"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("What changed their mind since the round this one follows:"));
        assert!(page.contains("The impact study convinced me"));
    }

    async fn a_long_note_comes_back_with_its_error_and_nothing_is_lost(app) {
        let TwoRounds { admin, government, .. } = two_rounds(&app).await;
        publish_round_1(&admin).await;
        let long = "x".repeat(10_001);
        let res = answer(&government, 2, "save", &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "Kept in the form"),
            ("changed_mind[art-1]", &long),
        ]).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("What changed your mind must be at most 10,000 characters long."));
        assert!(body.contains("Kept in the form"));
        assert!(round_2_positions(&app, "gov@example.org").await.is_empty(), "nothing saved");
        let res = government.post_form(POST_2, &[("csrf_token", "x")]).await;
        assert_eq!(res.status(), 403);
    }
}

/// The demo of two rounds, loaded as at a first start.
async fn demo_app(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.app.demo_rounds = true;
    let clock = polyphony::clock::Clock::default();
    let app = polyphony::startup::Application::build_with_clock(settings, clock)
        .await
        .expect("build application");
    let (email, password) = app.demo_participant.clone().expect("a demo participant");
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    let reader = Browser::new(&address);
    let (status, report) = reader
        .get_text("/consultations/expert-rounds/rounds/1/report")
        .await;
    assert_eq!(status, 200, "round 1's report is published");
    assert!(
        report.contains("Broad support") && report.contains("Consensus"),
        "{report}"
    );
    let (status, page) = reader
        .get_text("/consultations/expert-rounds/rounds/2")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("tag-open"));
    assert!(
        !page.contains("Start from my previous answers"),
        "not for a visitor"
    );

    let participant = Browser::new(&address);
    assert_eq!(participant.login(&email, &password).await.status(), 303);
    let (_, page) = participant
        .get_text("/consultations/expert-rounds/rounds/2")
        .await;
    assert!(page.contains("Start from my previous answers"));
    assert!(page.contains("Voluntary explanations have not worked"));
    assert!(
        page.contains("Partly accepted"),
        "the disposition of their comment"
    );
    assert!(page.contains("Changed since round 1"));
    assert!(page.contains("Removed since round 1: Article 9"));
    assert!(page.contains("Platforms and the technical community feared"));
    assert!(page.len() < 60_000, "{} bytes", page.len());
    let res = participant
        .submit(
            "/consultations/expert-rounds/rounds/2",
            "/consultations/expert-rounds/rounds/2/submission/previous",
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = participant
        .get_text("/consultations/expert-rounds/rounds/2?lang=fr")
        .await;
    assert!(page.contains("Vos positions précédentes ont été reportées"));
    assert!(page.contains("Au cycle 1"));
    // With the stylesheet (13 KB), the heavier French page stays under 60 KB.
    assert!(page.len() < 47 * 1024, "{} bytes of HTML", page.len());
}

on_both_backends! {
    the_demo_has_a_published_round_and_a_round_that_follows_it => demo_app;
}
