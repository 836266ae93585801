//! Organizations: recording and verifying them, membership by invitation or
//! request, and the official submission their members draft together.

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, rounds, submission_revisions, submissions, users};
use polyphony::reports::Snapshot;
use polyphony::reports::figures::{self, CountRow, ProvisionFigures, StanceCounts};
use polyphony::rounds::Counting;

pub(crate) const ORGS: &str = "/consultations/additional-protocol/organizations";
pub(crate) const ROUND: &str = "/consultations/additional-protocol/rounds/1";

/// Records an organization as `b`; returns its page.
pub(crate) async fn record(b: &Browser, name: &str, group: &str, country: &str) -> String {
    record_with_domains(b, name, group, country, "").await
}

pub(crate) async fn record_with_domains(
    b: &Browser,
    name: &str,
    group: &str,
    country: &str,
    domains: &str,
) -> String {
    record_in(b, "additional-protocol", name, group, country, domains).await
}

/// Records an organization of the consultation `slug` as `b`; returns its page.
pub(crate) async fn record_in(
    b: &Browser,
    slug: &str,
    name: &str,
    group: &str,
    country: &str,
    domains: &str,
) -> String {
    let orgs = format!("/consultations/{slug}/organizations");
    let res = b
        .submit(
            &orgs,
            &orgs,
            &[
                ("name", name),
                ("stakeholder_group", group),
                ("country", country),
                ("domains", domains),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    res.headers()["location"].to_str().unwrap().to_string()
}

/// `admin` invites `email` with `roles`; the invited person accepts.
pub(crate) async fn join(
    admin: &Browser,
    org: &str,
    member: &Browser,
    email: &str,
    roles: &[&str],
) {
    let mut fields = vec![("email", email)];
    fields.extend(roles.iter().map(|r| ("role", *r)));
    let res = admin.submit(org, &format!("{org}/invite"), &fields).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let res = member.submit(org, &format!("{org}/accept"), &[]).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

/// The official form of `org` (its page) for round 1.
pub(crate) fn official(org: &str) -> String {
    let id = org.rsplit('/').next().unwrap();
    format!("{ROUND}/organizations/{id}")
}

/// Saves (or submits) the official draft of `org` as `b`.
pub(crate) async fn draft(
    b: &Browser,
    org: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let form = official(org);
    let mut all = vec![("action", action)];
    all.extend_from_slice(fields);
    b.submit(&form, &format!("{form}/submission"), &all).await
}

both_backends! {
    async fn a_participant_records_an_organization_and_an_invited_colleague_joins_it(app) {
        let founder = app.participant("ana@mincult.example", "government", "FR", true).await;
        let org = record(&founder, "Ministère de la Culture", "government", "FR").await;
        let (status, page) = founder.get_text(&org).await;
        assert_eq!(status, 200);
        assert!(page.contains("Awaiting verification"), "a participant's organization is pending");
        assert!(page.contains("Invite a member"), "its founder is its admin");

        let res = founder.submit(&org, &format!("{org}/invite"), &[("email", "nobody@mincult.example")]).await;
        assert_eq!(res.status(), 409);
        let page = res.text().await.unwrap();
        assert!(page.contains("No confirmed account has this address"), "an unknown address is refused clearly");
        assert!(page.contains("nobody@mincult.example"), "the address typed is kept");

        let colleague = app.participant("ben@mincult.example", "government", "FR", true).await;
        let res = founder.submit(&org, &format!("{org}/invite"), &[("email", "ben@mincult.example"), ("role", "drafter")]).await;
        assert_eq!(res.status(), 303);
        let mail = app.wait_for_mail("ben@mincult.example", "de la Culture on Polyphony").await;
        assert!(TestApp::link_in(&mail, "/consultations/").ends_with(&org), "the e-mail links to the organization");
        let res = colleague.submit(&org, &format!("{org}/accept"), &[]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = colleague.get_text(&org).await;
        assert!(page.contains("You are a member of this organization"));
        assert!(page.contains("Draft the official position for round 1"));

        // One organization per person and consultation.
        let res = colleague.submit(ORGS, ORGS, &[("name", "Another"), ("stakeholder_group", "government"), ("country", "FR")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("already belongs to an organization"));
    }

    async fn a_request_to_join_reaches_the_admins_and_is_approved(app) {
        let founder = app.participant("admin@ngo.example", "civil_society", "KE", false).await;
        let org = record(&founder, "Kenya Culture Network", "civil_society", "KE").await;
        let asker = app.participant("wanjiru@ngo.example", "civil_society", "KE", false).await;
        let res = asker.submit(&org, &format!("{org}/request"), &[]).await;
        assert_eq!(res.status(), 303);
        app.wait_for_mail("admin@ngo.example", "asks to join Kenya Culture Network").await;
        let again = asker.submit(&org, &format!("{org}/request"), &[]).await;
        assert_eq!(again.status(), 409, "one waiting request at a time");

        let (_, page) = founder.get_text(&org).await;
        let at = page.find("/approve\"").expect("an approve form");
        let action = &page[page[..at].rfind("action=\"").unwrap() + 8..at + 8];
        let res = founder.submit(&org, action, &[("role", "drafter"), ("role", "signatory")]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = asker.get_text(&org).await;
        assert!(page.contains("You are a member of this organization"));
        assert!(page.contains("Signatory (submits the official position)"));
    }

    async fn an_organizer_verifies_an_organization_and_the_audit_log_records_it(app) {
        let founder = app.participant("x@platform.example", "platform", "US", false).await;
        let org = record(&founder, "StreamCo", "platform", "US").await;
        let res = founder.submit(&org, &format!("{org}/verify"), &[]).await;
        assert_eq!(res.status(), 403, "participants cannot verify");
        let admin = app.admin().await;
        let res = admin.submit(&org, &format!("{org}/verify"), &[]).await;
        assert_eq!(res.status(), 303);
        let (_, page) = app.get_text(&org).await;
        assert!(page.contains("Verified"));
        let actions: Vec<(String, bool)> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.like("organization.%"))
            .order(audit_log::id.asc())
            .select((audit_log::action, audit_log::public))
            .load(c)).await.unwrap();
        assert_eq!(actions, [("organization.create".to_string(), false), ("organization.verify".to_string(), true)]);
        let (_, audit) = app.get_text("/audit").await;
        assert!(audit.contains("Organization verified"));
    }

    async fn an_organization_of_another_consultation_is_not_found(app) {
        let founder = app.participant("y@ngo.example", "civil_society", "KE", false).await;
        let org = record(&founder, "Network", "civil_society", "KE").await;
        let id = org.rsplit('/').next().unwrap();
        let admin = app.admin().await;
        new_consultation(&admin, "other-consultation").await;
        let (status, _) = founder.get_text(&format!("/consultations/other-consultation/organizations/{id}")).await;
        assert_eq!(status, 404);
        let (status, _) = app.get_text(&format!("{ORGS}/999999")).await;
        assert_eq!(status, 404);
    }

    async fn two_drafters_edit_one_official_draft_and_each_revision_names_its_author(app) {
        let ana = app.participant("ana@mincult.example", "government", "FR", true).await;
        let org = record(&ana, "Ministère de la Culture", "government", "FR").await;
        let ben = app.participant("ben@mincult.example", "government", "FR", true).await;
        join(&ana, &org, &ben, "ben@mincult.example", &["drafter"]).await;

        let res = ana.submit(&official(&org), &format!("{}/submission", official(&org)), &[("action", "save"), ("stance[art-1]", "support"), ("comment[art-1]", "Ana's first words."), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());
        let (_, page) = ben.get_text(&official(&org)).await;
        assert!(page.contains("Ana&#x27;s first words.") || page.contains("Ana's first words."), "every drafter edits the same draft");
        assert!(page.contains("Official position of Ministère de la Culture"));
        let res = draft(&ben, &org, "save", &[("stance[art-1]", "support_with_changes"), ("comment[art-1]", "Ben's revision."), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 303);

        let res = draft(&ben, &org, "submit", &[("stance[art-1]", "support_with_changes"), ("comment[art-1]", "Ben's revision."), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 403, "a drafter cannot submit");
        let page = res.text().await.unwrap();
        assert!(page.contains("Only a signatory of the organization can submit"));

        let res = draft(&ana, &org, "submit", &[("stance[art-1]", "support_with_changes"), ("comment[art-1]", "Ben's revision."), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 303);
        let receipt = res.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = ana.get_text(&receipt).await;
        assert!(page.contains("Submitted for Ministère de la Culture by Name of ana@mincult.example"), "{page}");
        let (_, history) = ben.get_text(&format!("{}/submission", official(&org))).await;
        assert!(history.contains("Name of ben@mincult.example") && history.contains("Name of ana@mincult.example"));

        let authors: Vec<(i32, String)> = app.db.query(|c| submission_revisions::table
            .inner_join(users::table.on(users::id.nullable().eq(submission_revisions::author_id)))
            .order(submission_revisions::revision.asc())
            .select((submission_revisions::revision, users::email))
            .load(c)).await.unwrap();
        assert_eq!(authors, [(1, "ana@mincult.example".into()), (2, "ben@mincult.example".into()), (3, "ana@mincult.example".into())]);
        let official: Vec<(String, String, String)> = app.db.query(|c| submissions::table
            .filter(submissions::organization_id.is_not_null())
            .select((submissions::organization, submissions::stakeholder_group, submissions::counts_for))
            .load(c)).await.unwrap();
        assert_eq!(official, [("Ministère de la Culture".into(), "government".into(), "organization".into())]);

        // A personal submission stays possible beside the official one.
        crate::reports::answer(&ben, &[("stance[art-1]", "oppose"), ("disclosure", "anonymous")]).await;
        let counts: Vec<String> = app.db.query(|c| submissions::table
            .filter(submissions::organization_id.is_null())
            .select(submissions::counts_for)
            .load(c)).await.unwrap();
        assert_eq!(counts, ["member"]);
    }

    async fn a_signatory_who_leaves_mid_draft_cannot_submit_and_the_draft_stays(app) {
        let ana = app.participant("ana@mincult.example", "government", "FR", true).await;
        let org = record(&ana, "Ministère de la Culture", "government", "FR").await;
        let ben = app.participant("ben@mincult.example", "government", "FR", true).await;
        join(&ana, &org, &ben, "ben@mincult.example", &["drafter", "signatory"]).await;
        let res = draft(&ben, &org, "save", &[("stance[art-1]", "oppose"), ("comment[art-1]", "Kept after Ben leaves."), ("disclosure", "organization")]).await;
        assert_eq!(res.status(), 303);
        // Ben opens the form, then leaves in another tab.
        let (_, form) = ben.get_text(&official(&org)).await;
        let token = csrf_in(&form);
        let res = ben.submit(&org, &format!("{org}/leave"), &[]).await;
        assert_eq!(res.status(), 303);
        let res = ben.post_form(&format!("{}/submission", official(&org)), &[("csrf_token", &token), ("action", "submit"), ("stance[art-1]", "oppose"), ("comment[art-1]", "Ben's last words."), ("disclosure", "organization")]).await;
        assert_eq!(res.status(), 403);
        let page = res.text().await.unwrap();
        assert!(page.contains("Only active members of the organization"), "the reason is given");
        assert!(page.contains("Ben&#x27;s last words.") || page.contains("Ben's last words."), "what they typed comes back");
        let (_, page) = ana.get_text(&official(&org)).await;
        assert!(page.contains("Kept after Ben leaves."), "what the member drafted stays with the organization");
        let submitted: i64 = app.db.query(|c| submissions::table.filter(submissions::status.eq("submitted")).count().get_result(c)).await.unwrap();
        assert_eq!(submitted, 0);
        let (status, _) = ben.get_text(&official(&org)).await;
        assert_eq!(status, 403, "a former member no longer opens the draft");
    }
}

/// A ministry of five members who each answer personally (support), and
/// whose official position opposes; one person in no organization supports.
/// The round counts as `counting` says, and its report is published.
async fn ministry_round(app: &TestApp, counting: &'static str) {
    ministry_answers(app, counting).await;
    crate::reports::close_and_publish(app).await;
}

async fn ministry_answers(app: &TestApp, counting: &'static str) {
    app.db
        .query(move |c| {
            diesel::update(rounds::table)
                .set(rounds::counting.eq(counting))
                .execute(c)
        })
        .await
        .unwrap();
    let founder = app
        .participant("m0@gouv.example", "government", "FR", true)
        .await;
    let org = record(&founder, "Ministère de la Culture", "government", "FR").await;
    let mut members = vec![founder];
    for i in 1..5 {
        let email = format!("m{i}@gouv.example");
        let b = app.participant(&email, "government", "FR", true).await;
        join(&members[0], &org, &b, &email, &["drafter"]).await;
        members.push(b);
    }
    for (i, b) in members.iter().enumerate() {
        let comment = format!("Personal view number {i}.");
        crate::reports::answer(
            b,
            &[
                ("stance[art-1]", "support"),
                ("comment[art-1]", &comment),
                ("disclosure", "anonymous"),
            ],
        )
        .await;
    }
    let res = draft(
        &members[0],
        &org,
        "submit",
        &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "The ministry's official view."),
            ("disclosure", "attributed"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let outsider = app
        .participant("solo@ngo.example", "civil_society", "KE", false)
        .await;
    crate::reports::answer(
        &outsider,
        &[("stance[art-1]", "support"), ("disclosure", "anonymous")],
    )
    .await;
}

pub(crate) async fn published(app: &TestApp) -> Snapshot {
    let (status, json) = app.get_text(&format!("{ROUND}/report.json")).await;
    assert_eq!(status, 200);
    serde_json::from_str(&json).unwrap()
}

/// The figures recomputed from report.csv's rows that count in `column`.
pub(crate) async fn recomputed(app: &TestApp, s: &Snapshot, column: &str) -> Vec<ProvisionFigures> {
    let (_, csv_text) = app.get_text(&format!("{ROUND}/report.csv")).await;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut counts: std::collections::BTreeMap<(String, String, bool, String), i64> =
        Default::default();
    for record in reader.records() {
        let r = record.unwrap();
        if &r[at(column)] == "true" {
            *counts
                .entry((
                    r[at("provision_key")].to_string(),
                    r[at("stakeholder_group")].to_string(),
                    &r[at("verified")] == "true",
                    r[at("stance")].to_string(),
                ))
                .or_default() += 1;
        }
    }
    let rows: Vec<CountRow> = counts
        .into_iter()
        .map(|((key, group, verified, stance), count)| CountRow {
            provision_key: key,
            group: polyphony::codes::StakeholderGroup::parse(&group).unwrap(),
            verified,
            stance: polyphony::submissions::Stance::parse(&stance).unwrap(),
            count,
        })
        .collect();
    let keys: Vec<String> = s.provisions.iter().map(|p| p.key.clone()).collect();
    figures::compute(&keys, &rows, s.min_group_size)
}

fn government(f: &ProvisionFigures) -> StanceCounts {
    f.groups
        .iter()
        .find(|g| g.group.as_str() == "government")
        .map(|g| g.counts)
        .unwrap_or_default()
}

both_backends! {
    async fn per_person_counts_each_of_the_five_officials(app) {
        ministry_round(&app, "per_person").await;
        let s = published(&app).await;
        assert_eq!(s.counting, Counting::PerPerson);
        let art1 = &s.provisions[0];
        assert_eq!((government(&art1.figures).support, government(&art1.figures).oppose), (5, 0), "five officials, the official position not counted");
        assert!(art1.organization_figures.is_none());
        assert_eq!(s.participation.submissions, 6);
        let from_csv = recomputed(&app, &s, "per_person").await;
        assert_eq!(from_csv, s.provisions.iter().map(|p| p.figures.clone()).collect::<Vec<_>>());
    }

    async fn per_organization_counts_the_ministry_once(app) {
        ministry_round(&app, "per_organization").await;
        let s = published(&app).await;
        assert_eq!(s.counting, Counting::PerOrganization);
        let art1 = &s.provisions[0];
        assert_eq!((government(&art1.figures).support, government(&art1.figures).oppose), (0, 1), "the ministry counts once, by its official position");
        assert_eq!(art1.figures.overall.support, 1, "the person in no organization still counts");
        assert_eq!(s.participation.submissions, 2);
        let from_csv = recomputed(&app, &s, "per_organization").await;
        assert_eq!(from_csv, s.provisions.iter().map(|p| p.figures.clone()).collect::<Vec<_>>());
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(page.contains("Personal view number 3."), "members' personal texts are still readable");
        assert!(page.contains("The ministry&#x27;s official view.") || page.contains("The ministry's official view."));
        let (_, overview) = app.get_text(&format!("{ROUND}/report")).await;
        assert!(overview.contains("Per organization: an organization's official position counts once") || overview.contains("Per organization: an organization&#x27;s official position counts once"));
    }

    async fn both_publishes_the_two_sets_of_figures_side_by_side(app) {
        ministry_round(&app, "both").await;
        let s = published(&app).await;
        assert_eq!(s.counting, Counting::Both);
        let art1 = &s.provisions[0];
        assert_eq!(government(&art1.figures).support, 5);
        let by_organization = art1.organization_figures.as_ref().expect("the second set");
        assert_eq!((government(by_organization).support, government(by_organization).oppose), (0, 1));
        assert_eq!(recomputed(&app, &s, "per_person").await, s.provisions.iter().map(|p| p.figures.clone()).collect::<Vec<_>>());
        assert_eq!(recomputed(&app, &s, "per_organization").await, s.provisions.iter().map(|p| p.organization_figures.clone().unwrap()).collect::<Vec<_>>());
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(page.contains("The same figures per organization"));
    }
}

both_backends! {
    async fn the_counting_changes_until_the_round_opens_and_not_after(app) {
        let admin = app.admin().await;
        let path = "/admin/consultations/additional-protocol/rounds/1/counting";
        let res = admin.submit(path, path, &[("counting", "both")]).await;
        assert_eq!(res.status(), 303);
        let counting = |app: &TestApp| {
            let db = app.db.clone();
            async move { db.query(|c| rounds::table.select(rounds::counting).first::<String>(c)).await.unwrap() }
        };
        assert_eq!(counting(&app).await, "per_person", "an open round keeps its counting");
        let later = app.clock.now() + time::Duration::days(3);
        app.db.query(move |c| diesel::update(rounds::table).set(rounds::opens_at.eq(later)).execute(c)).await.unwrap();
        let res = admin.submit(path, path, &[("counting", "per_organization")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(counting(&app).await, "per_organization");
        let logged: i64 = app.db.query(|c| audit_log::table.filter(audit_log::action.eq("round.counting")).count().get_result(c)).await.unwrap();
        assert_eq!(logged, 1);
    }
}

/// Restricts the demo consultation to `groups`.
async fn restrict_to(app: &TestApp, groups: &'static [&'static str]) {
    use polyphony::db::schema::consultation_groups;
    app.db
        .query(move |c| {
            diesel::delete(consultation_groups::table).execute(c)?;
            for group in groups {
                diesel::insert_into(consultation_groups::table)
                    .values((
                        consultation_groups::consultation_id.eq(polyphony::db::ConsultationId(1)),
                        consultation_groups::stakeholder_group.eq(*group),
                    ))
                    .execute(c)?;
            }
            Ok(())
        })
        .await
        .unwrap();
}

both_backends! {
    async fn an_official_submission_is_eligible_by_its_organizations_group_not_its_signatorys(app) {
        restrict_to(&app, &["government"]).await;
        let fields = [("stance[art-1]", "support"), ("disclosure", "attributed")];
        // An academic advising a ministry signs for it: the ministry's group counts.
        let adviser = app.participant("adviser@univ.example", "academia", "FR", true).await;
        let ministry = record(&adviser, "Ministère de la Culture", "government", "FR").await;
        let (_, page) = adviser.get_text(ROUND).await;
        assert!(page.contains("open to other stakeholder groups than yours"), "personally, the adviser is not eligible");
        let res = draft(&adviser, &ministry, "submit", &fields).await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap_or_default());

        // A civil servant who founded an association may not submit in its name.
        let official_person = app.participant("clerk@gouv.example", "government", "KE", true).await;
        let association = record(&official_person, "Friends of Culture", "civil_society", "KE").await;
        let (status, page) = official_person.get_text(&official(&association)).await;
        assert_eq!(status, 200);
        assert!(page.contains("than your organization&#x27;s") || page.contains("than your organization's"), "the official page says why");
        let res = draft(&official_person, &association, "submit", &fields).await;
        assert_eq!(res.status(), 403);
        assert!(res.text().await.unwrap().contains("cannot submit an official position here"));
        let res = draft(&official_person, &association, "save", &fields).await;
        assert_eq!(res.status(), 403, "not even a draft");
        crate::reports::answer(&official_person, &fields).await;

        let stored: Vec<(String, String, String)> = app.db.query(|c| submissions::table
            .inner_join(users::table.on(users::id.eq(submissions::participant_id)))
            .filter(users::email.eq_any(["adviser@univ.example", "clerk@gouv.example"]))
            .order(submissions::id.asc())
            .select((users::email, submissions::organization, submissions::stakeholder_group))
            .load(c)).await.unwrap();
        assert_eq!(stored, [
            ("adviser@univ.example".into(), "Ministère de la Culture".into(), "government".into()),
            ("clerk@gouv.example".into(), "Org".into(), "government".into()),
        ], "the official one in the ministry's group, the civil servant's own in theirs");
    }
}

both_backends! {
    async fn a_new_rule_verifies_the_pending_organizations_at_its_domain_after_a_preview(app) {
        let pending = [
            // (founder, name, group, listed domain): only the first matches.
            ("ana@culture.gouv.fr", "Ministère de la Culture", "government", "culture.gouv.fr"),
            ("bo@agriculture.gouv.fr", "Ministère de l'Agriculture", "government", "agriculture.gouv.fr"),
            ("cy@other.example", "Claims the domain", "government", "culture.gouv.fr"),
            ("di@culture.gouv.fr", "Culture staff union", "civil_society", "culture.gouv.fr"),
        ];
        let mut pages = vec![];
        for (email, name, group, domains) in pending {
            let founder = app.participant(email, group, "FR", false).await;
            pages.push(record_with_domains(&founder, name, group, "FR", domains).await);
        }
        let admin = app.admin().await;
        let res = crate::participants::rule(&admin, "culture.gouv.fr", "government", "FR", "preview").await;
        assert_eq!(res.status(), 200);
        let page = res.text().await.unwrap();
        assert!(page.contains("One organization awaiting verification would be verified now"), "{page}");
        let verified = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                db.query(|c| polyphony::db::schema::organizations::table
                    .filter(polyphony::db::schema::organizations::verified_at.is_not_null())
                    .select(polyphony::db::schema::organizations::name)
                    .load::<String>(c)).await.unwrap()
            }
        };
        assert!(verified(&app).await.is_empty(), "a preview changes nothing");

        let res = crate::participants::rule(&admin, "culture.gouv.fr", "government", "FR", "confirm").await;
        assert_eq!(res.status(), 303);
        assert_eq!(verified(&app).await, ["Ministère de la Culture"]);
        let (_, page) = app.get_text(&pages[0]).await;
        assert!(page.contains("Verified"));
        let rule_id: i64 = app.db.query(|c| polyphony::db::schema::verification_rules::table
            .select(polyphony::db::schema::verification_rules::id).first(c)).await.unwrap();
        let entries: Vec<(String, String, bool, bool)> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.eq("organization.verify"))
            .select((audit_log::subject, audit_log::details, audit_log::actor_id.is_not_null(), audit_log::public))
            .load(c)).await.unwrap();
        let id = pages[0].rsplit('/').next().unwrap();
        assert_eq!(entries, [(
            format!("organization {id}"),
            format!("Ministère de la Culture: rule {rule_id}: @culture.gouv.fr → government, FR"),
            true,
            true,
        )], "one entry, naming the rule and the organizer who confirmed it");
    }
}

both_backends! {
    async fn under_both_the_overview_participation_and_themes_give_each_set_side_by_side(app) {
        ministry_answers(&app, "both").await;
        // Every text on article 1 carries one theme.
        let admin = app.admin().await;
        let workspace = "/organize/additional-protocol/analysis";
        assert_eq!(admin.submit(workspace, &format!("{workspace}/tags"), &[("label", "Sovereignty")]).await.status(), 303);
        let tag: i64 = app.db.query(|c| polyphony::db::schema::analysis_tags::table.select(polyphony::db::schema::analysis_tags::id).first(c)).await.unwrap();
        let analysis = "/organize/additional-protocol/rounds/1/analysis";
        let res = admin.submit(analysis, &format!("{analysis}/tag"), &[("q", "view"), ("apply_tag", &tag.to_string()), ("scope", "all")]).await;
        assert_eq!(res.status(), 303);
        crate::reports::close_and_publish(&app).await;

        let s = published(&app).await;
        let people = &s.participation;
        assert_eq!((people.submissions, people.organizations), (6, 0), "per person: five officials and the outsider");
        let units = people.by_organization.as_ref().expect("participation per organization");
        assert_eq!((units.submissions, units.organizations), (2, 1), "per organization: the ministry and the outsider");
        let art1 = &s.provisions[0];
        let cell = |rows: &[polyphony::reports::themes::ThemeRow]| {
            let row = rows.iter().find(|r| r.label == "Sovereignty").expect("the theme");
            row.cells.iter().find(|c| c.group.as_str() == "government").cloned().expect("a government cell")
        };
        let personal = cell(&art1.themes);
        assert_eq!((personal.texts, personal.stances.map(|s| (s.support, s.oppose))), (Some(5), Some((5, 0))), "the official text is not counted per person");
        let official = cell(art1.organization_themes.as_ref().expect("themes per organization"));
        assert!(official.too_few && official.texts.is_none(), "one official text: fewer than the minimum group size");

        let (_, overview) = app.get_text(&format!("{ROUND}/report")).await;
        assert!(overview.contains("Counted per organization: 2 submissions, of which one organization"), "{overview}");
        assert!(overview.contains("Verdict per organization") && overview.contains("Group-balanced support per organization"));
        assert!(overview.contains(">Per organization</th>"), "the groups table has the second count");
        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert!(page.contains("The same themes per organization"));
        let (_, french) = app.get_text(&format!("{ROUND}/report?lang=fr")).await;
        assert!(french.contains("Comptées par organisation : 2 soumissions"));
    }
}
