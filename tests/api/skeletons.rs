//! The round form drawn from its skeleton (once per round, language and
//! page, filled with each participant's answers) is the form drawn whole:
//! two instances on one database, one with `server.form_skeletons` off,
//! serve the same participants the same pages.

use crate::helpers::*;
use polyphony::startup::Application;

const DEMO: &str = "/consultations/additional-protocol/rounds/1";
const LONG: &str = "/consultations/regulation/rounds/1";
/// Every character the templates escape, and Markdown that must stay text.
const TRICKY: &str = "<script>alert(\"x\")</script> & 'quoted' `tick` a=b **not bold**\n2nd line";

/// The app (skeletons on, rounds cached so that one participant's skeleton
/// serves the next) and the address of a second instance on the same
/// database that draws every form whole.
async fn with_whole_forms(backend: Backend) -> Option<(TestApp, String)> {
    let database = TestDatabase::create(backend)?;
    let mut settings = test_settings(&database);
    settings.server.round_cache_ms = 600_000;
    let app = spawn_with(database, settings.clone(), backend).await;
    settings.server.form_skeletons = false;
    let whole = Application::build(settings).await.unwrap();
    let address = format!("http://127.0.0.1:{}", whole.port());
    actix_web::rt::spawn(whole.run_until_stopped());
    Some((app, address))
}

/// The same browser (its cookies) on the other instance.
fn on(address: &str, b: &Browser) -> Browser {
    Browser {
        address: address.to_string(),
        client: b.client.clone(),
    }
}

/// A page with its one-time form tokens (new in every form drawn) blanked.
fn comparable(page: &str) -> String {
    let marker = "name=\"form_token\" value=\"";
    let mut out = String::new();
    let mut rest = page;
    while let Some(at) = rest.find(marker) {
        let start = at + marker.len();
        out.push_str(&rest[..start]);
        rest = &rest[start + rest[start..].find('"').unwrap()..];
    }
    out.push_str(rest);
    out
}

/// `path` for `b` from both instances: the same page, and it is returned.
async fn same_page(b: &Browser, whole: &str, path: &str) -> String {
    let (status, fast) = b.get_text(path).await;
    assert_eq!(status, 200, "{path}");
    let (status, slow) = on(whole, b).get_text(path).await;
    assert_eq!(status, 200, "{path} drawn whole");
    let (fast, slow) = (comparable(&fast), comparable(&slow));
    if fast != slow {
        let at = fast
            .bytes()
            .zip(slow.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(fast.len().min(slow.len()));
        let from = at.saturating_sub(100);
        panic!(
            "{path} differs at byte {at}:\nskeleton: {:?}\nwhole:    {:?}",
            &fast[from..(at + 200).min(fast.len())],
            &slow[from..(at + 200).min(slow.len())]
        );
    }
    fast
}

async fn skeleton_forms_are_whole_forms(backend: Backend) {
    let Some((app, whole)) = with_whole_forms(backend).await else {
        return;
    };
    let first = app
        .participant("first@example.org", "civil_society", "KE", true)
        .await;
    // Drawn for nobody yet: the skeleton must carry nothing of this one's.
    let blank = same_page(&first, &whole, DEMO).await;
    assert!(
        blank.contains("name=\"stance[art-2]\""),
        "the form is shown"
    );
    let res = first
        .submit(
            DEMO,
            &format!("{DEMO}/submission"),
            &[
                ("action", "save"),
                ("stance[art-1]", "support_with_changes"),
                ("comment[art-1]", TRICKY),
                ("proposed_text[art-1]", TRICKY),
                ("stance[art-2]", "oppose"),
                ("comment[art-3]", "A comment without a stance."),
                ("general_comment", TRICKY),
                ("disclosure", "organization"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    first.get_text(DEMO).await; // its "saved" message, shown once
    for path in [DEMO.to_string(), format!("{DEMO}?lang=fr")] {
        let page = same_page(&first, &whole, &path).await;
        assert!(
            page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;")
                || page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
            "the comment is escaped in the form"
        );
        assert!(page.contains("value=\"oppose\" checked"), "{path}");
        assert!(page.contains("<details class=\"propose\" open>"), "{path}");
    }
    // Submitted (a receipt), changed again (pending), withdrawn: each
    // standing draws the page around the form otherwise. Another query
    // changes only the language switch's address.
    let mut seen = vec![];
    for action in ["submit", "save", "withdraw"] {
        let res = first
            .submit(
                DEMO,
                &format!("{DEMO}/submission"),
                &[
                    ("action", action),
                    ("stance[art-1]", "support_with_changes"),
                    ("stance[art-2]", "support"),
                    ("general_comment", TRICKY),
                    ("disclosure", "organization"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{action}");
        first.get_text(DEMO).await; // its message, shown once
        for path in [DEMO.to_string(), format!("{DEMO}?utm=a&lang=fr")] {
            let page = same_page(&first, &whole, &path).await;
            assert!(page.contains("name=\"csrf_token\""), "{action}: {path}");
            seen.push(page);
        }
    }
    assert!(
        seen[0].contains("class=\"receipt\""),
        "a receipt once submitted"
    );
    assert!(
        seen[3].contains("?utm&#x3D;a&amp;lang&#x3D;en\""),
        "the switch keeps the query"
    );
    assert!(
        seen.windows(2).all(|w| w[0] != w[1]),
        "each standing and language is a page of its own"
    );
    let second = app
        .participant("second@example.org", "academia", "FR", true)
        .await;
    let page = same_page(&second, &whole, DEMO).await;
    assert!(!page.contains("alert"), "nothing of another participant's");
    assert!(!page.contains(" checked"), "no stance chosen yet");
    assert!(
        !page.contains("class=\"receipt\""),
        "no receipt of another's"
    );
}

async fn skeleton_pages_of_a_long_draft_are_whole_pages(backend: Backend) {
    let Some((app, whole)) = with_whole_forms(backend).await else {
        return;
    };
    crate::paging::long_round(&app).await;
    let b = app
        .participant("long@example.org", "civil_society", "FR", true)
        .await;
    let res = b
        .submit(
            &format!("{LONG}?page=ch-2"),
            &format!("{LONG}/submission"),
            &[
                ("action", "save"),
                ("page", "ch-2"),
                ("stance[art-14]", "support"),
                ("comment[art-14]", TRICKY),
                ("stance[art-20]", "no_position"),
                ("proposed_text[art-26]", TRICKY),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    b.get_text(LONG).await; // its "saved" message, shown once
    for path in [
        format!("{LONG}?page=ch-2"),
        format!("{LONG}?page=ch-2&lang=fr"),
        format!("{LONG}?page=ch-2&original=1"),
        format!("{LONG}?page=annex-i&lang=fr"),
        LONG.to_string(),
    ] {
        let page = same_page(&b, &whole, &path).await;
        assert!(
            page.contains("2 of 13 answered") || page.contains("2 sur 13 répondues"),
            "{path}"
        );
    }
}

/// A participant's own answers in round 1 (a comment full of characters
/// HTML escapes, dispositions with and without a reason) beside each
/// provision of round 2, which follows it, and their notes on what changed
/// their mind.
async fn skeleton_forms_of_a_round_that_follows_another_are_whole_forms(backend: Backend) {
    use crate::dispositions::position_with;
    use crate::lineage::{V1, V2, act, answer, open_round};
    let Some((app, whole)) = with_whole_forms(backend).await else {
        return;
    };
    let admin = app.admin().await;
    new_consultation(&admin, "delphi").await;
    assert_eq!(import(&admin, "delphi", V1, "save").await.status(), 303);
    open_round(&app, &admin, "1").await;
    let first = app
        .participant("first@example.org", "government", "CA", true)
        .await;
    let res = answer(
        &first,
        1,
        "submit",
        &[
            ("disclosure", "attributed"),
            ("stance[art-1]", "support_with_changes"),
            ("comment[art-1]", TRICKY),
            ("stance[art-2]", "oppose"),
            ("comment[art-2]", "Too vague."),
            // Removed in round 2: listed beside the form.
            ("stance[art-3]", "oppose"),
            // Unchanged in round 2: "start from my previous answers" carries it.
            ("stance[art-4]", "support"),
            ("comment[art-4]", "A stance and a comment."),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    act(&admin, 1, "close", &[]).await;
    for (comment, disposition, reason) in [
        (
            TRICKY,
            "partly_accepted",
            "Article 2 now says *which* data <b>x</b>.",
        ),
        ("Too vague.", "not_accepted", ""),
    ] {
        let position = position_with(&app, comment).await;
        let path =
            format!("/admin/consultations/delphi/rounds/1/texts/position/{position}/disposition");
        let res = admin
            .submit(
                &path,
                &path,
                &[("disposition", disposition), ("reason", reason)],
            )
            .await;
        assert_eq!(res.status(), 303, "{disposition}");
    }
    assert_eq!(import(&admin, "delphi", V2, "save").await.status(), 303);
    open_round(&app, &admin, "2").await;
    act(&admin, 1, "publish", &[("note", "")]).await;
    let res = answer(
        &first,
        2,
        "save",
        &[
            ("stance[art-1]", "support"),
            ("changed_mind[art-1]", TRICKY),
            ("changed_mind[art-2]", "The impact study."),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    const ROUND_2: &str = "/consultations/delphi/rounds/2";
    first.get_text(ROUND_2).await; // its "saved" message, shown once
    for path in [
        ROUND_2.to_string(),
        format!("{ROUND_2}?lang=fr"),
        format!("{ROUND_2}?view=changes"),
    ] {
        let page = same_page(&first, &whole, &path).await;
        assert!(page.contains("value=\"support\" checked"), "{path}");
        assert!(
            page.contains("Partly accepted") || page.contains("Retenu en partie"),
            "{path}: the decision on their earlier comment"
        );
        assert!(
            page.contains("<em>which</em>"),
            "{path}: its reason as Markdown"
        );
        assert!(
            page.contains("The impact study."),
            "{path}: what changed their mind"
        );
        assert!(
            page.contains("Copies your round 1 position to the one provision")
                || page.contains("Reporte votre position du cycle 1"),
            "{path}: what starting from their earlier answers would carry"
        );
        assert!(
            page.contains("Article 3</p>"),
            "{path}: the provision they answered then, since removed"
        );
        assert!(
            page.matches("alert(&quot;x&quot;)").count() >= 2,
            "{path}: their earlier comment and their note, escaped"
        );
    }
    let second = app
        .participant("second@example.org", "academia", "FR", true)
        .await;
    for path in [ROUND_2.to_string(), format!("{ROUND_2}?lang=fr")] {
        let page = same_page(&second, &whole, &path).await;
        assert!(!page.contains("alert"), "nothing of another participant's");
        assert!(
            !page.contains("Too vague."),
            "nothing of another participant's"
        );
        assert!(
            page.contains("class=\"earlier\""),
            "the earlier round is shown"
        );
    }
}

on_both_backends! {
    the_demo_form_from_its_skeleton_is_the_form_drawn_whole => skeleton_forms_are_whole_forms;
    each_page_of_a_long_form_from_its_skeleton_is_the_page_drawn_whole => skeleton_pages_of_a_long_draft_are_whole_pages;
    a_follow_up_round_s_form_from_its_skeleton_is_the_form_drawn_whole => skeleton_forms_of_a_round_that_follows_another_are_whole_forms;
}
