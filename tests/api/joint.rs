//! Joint submissions: an organization's official position co-signed by
//! other organizations, each counted once in its own group.

use crate::helpers::*;
use crate::organizations::{ROUND, draft, published, recomputed, record};
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, joint_signatures, outbox, rounds, submissions};
use polyphony::reports::Snapshot;
use polyphony::reports::figures::{ProvisionFigures, StanceCounts};

const JOINT_TEXT: &str =
    "Cultural diversity online needs discoverability duties on every platform.";

/// The joint page of `org` (its page address) for round 1.
fn joint(org: &str) -> String {
    let id = org.rsplit('/').next().unwrap();
    format!("{ROUND}/organizations/{id}/joint")
}

fn id_of(org: &str) -> &str {
    org.rsplit('/').next().unwrap()
}

async fn set_counting(app: &TestApp, counting: &'static str) {
    app.db
        .query(move |c| {
            diesel::update(rounds::table)
                .set(rounds::counting.eq(counting))
                .execute(c)
        })
        .await
        .unwrap();
}

/// Three organizations of two groups, each with its founder as admin and
/// signatory: the lead (civil society) has submitted its official position.
struct Coalition {
    lead: Browser,
    lead_org: String,
    ngo: Browser,
    ngo_org: String,
    institute: Browser,
    institute_org: String,
}

async fn coalition(app: &TestApp) -> Coalition {
    let lead = app
        .participant("amina@kcn.example", "civil_society", "KE", true)
        .await;
    let lead_org = record(&lead, "Kenya Culture Network", "civil_society", "KE").await;
    let ngo = app
        .participant("luc@arw.example", "civil_society", "FR", true)
        .await;
    let ngo_org = record(&ngo, "Arts Rights Watch", "civil_society", "FR").await;
    let institute = app
        .participant("dana@ims.example", "academia", "CA", true)
        .await;
    let institute_org = record(&institute, "Institute of Media Studies", "academia", "CA").await;
    let res = draft(
        &lead,
        &lead_org,
        "submit",
        &[
            ("stance[art-1]", "support"),
            ("comment[art-1]", JOINT_TEXT),
            ("disclosure", "attributed"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    Coalition {
        lead,
        lead_org,
        ngo,
        ngo_org,
        institute,
        institute_org,
    }
}

/// `b` invites a co-signer from the joint page of `org`.
async fn invite(b: &Browser, org: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = joint(org);
    b.submit(&page, &format!("{page}/invite"), fields).await
}

/// The address of the signature `b` was asked for, on the joint page of `org`.
async fn invitation(b: &Browser, org: &str) -> String {
    let (status, page) = b.get_text(&joint(org)).await;
    assert_eq!(status, 200);
    let prefix = format!("{}/", joint(org));
    let at = page
        .find(&format!("href=\"{prefix}"))
        .expect("an invitation")
        + 6;
    let end = at + page[at..].find('"').unwrap();
    page[at..end].to_string()
}

async fn answer(
    b: &Browser,
    signature: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    b.submit(signature, &format!("{signature}/{action}"), fields)
        .await
}

/// The coalition of three, the institute's own (opposing) official position
/// replaced by the joint one it confirms.
async fn signed_coalition(app: &TestApp) -> Coalition {
    let c = coalition(app).await;
    let res = draft(
        &c.institute,
        &c.institute_org,
        "submit",
        &[
            ("stance[art-1]", "oppose"),
            ("comment[art-1]", "The institute's own view."),
            ("disclosure", "attributed"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = invite(&c.lead, &c.lead_org, &[("organization", id_of(&c.ngo_org))]).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let res = invite(&c.lead, &c.lead_org, &[("email", "dana@ims.example")]).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );

    let signature = invitation(&c.ngo, &c.ngo_org).await;
    let (_, page) = c.ngo.get_text(&signature).await;
    assert!(
        page.contains(JOINT_TEXT),
        "the co-signer reads the joint text"
    );
    assert_eq!(
        answer(&c.ngo, &signature, "confirm", &[]).await.status(),
        303
    );

    let signature = invitation(&c.institute, &c.institute_org).await;
    let (_, page) = c.institute.get_text(&signature).await;
    assert!(
        page.contains("already submitted its own official position"),
        "a warning before confirming"
    );
    let res = answer(&c.institute, &signature, "confirm", &[]).await;
    assert_eq!(res.status(), 409, "not confirmed without the warning");
    let res = answer(&c.institute, &signature, "confirm", &[("replace", "yes")]).await;
    assert_eq!(res.status(), 303);
    c
}

fn group(f: &ProvisionFigures, name: &str) -> StanceCounts {
    f.groups
        .iter()
        .find(|g| g.group.as_str() == name)
        .map(|g| g.counts)
        .unwrap_or_default()
}

fn figures(s: &Snapshot) -> Vec<ProvisionFigures> {
    s.provisions.iter().map(|p| p.figures.clone()).collect()
}

both_backends! {
    async fn three_organizations_from_two_groups_count_once_each_in_their_own_group(app) {
        set_counting(&app, "per_organization").await;
        let _c = signed_coalition(&app).await;
        let admin = crate::reports::close_and_publish(&app).await;
        let s = published(&app).await;
        let art1 = &s.provisions[0].figures;
        assert_eq!(group(art1, "civil_society").support, 2, "the lead and the NGO");
        assert_eq!(group(art1, "academia").support, 1, "the institute, in its own group");
        assert_eq!(group(art1, "academia").oppose, 0, "its replaced position is not counted");
        assert_eq!(s.participation.submissions, 3);
        assert!(s.provisions[0].campaigns.is_empty(), "one joint text is not a campaign");
        assert_eq!(recomputed(&app, &s, "per_organization").await, figures(&s));

        let [joint] = s.joint_submissions.as_slice() else { panic!("one joint submission") };
        let signatories: Vec<(&str, &str)> = joint.signatories.iter().map(|g| (g.organization.as_str(), g.group.as_str())).collect();
        assert_eq!(signatories, [("Kenya Culture Network", "civil_society"), ("Arts Rights Watch", "civil_society"), ("Institute of Media Studies", "academia")]);
        assert_eq!(joint.texts.len(), 1, "the text is published once");

        let (_, csv_text) = app.get_text(&format!("{ROUND}/report.csv")).await;
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).filter(|r| r[at("joint_submission")] == joint.id && &r[at("provision_key")] == "art-1").collect();
        assert_eq!(rows.len(), 3, "the lead's row and one per co-signer");
        assert_eq!(rows.iter().filter(|r| r[at("comment")] == *JOINT_TEXT).count(), 1, "the text once");

        let (_, page) = app.get_text(&format!("{ROUND}/report/provisions/art-1")).await;
        assert_eq!(page.matches(JOINT_TEXT).count(), 1);
        assert!(page.contains("Joint submission signed by"), "{page}");
        assert!(page.contains("Institute of Media Studies (Academia"));

        let replaced: Vec<(String, String)> = app.db.query(|c| submissions::table
            .filter(submissions::organization.eq("Institute of Media Studies"))
            .select((submissions::counts_for, submissions::status))
            .load(c)).await.unwrap();
        assert_eq!(replaced, [("replaced".to_string(), "submitted".to_string())], "kept, not counted");
        let (_, analysis) = admin.get_text("/organize/additional-protocol/rounds/1/analysis?q=institute").await;
        assert!(analysis.contains("own view."), "organizers still read the replaced position");
    }

    async fn per_person_and_both_still_recompute_from_report_csv(app) {
        set_counting(&app, "both").await;
        let _c = signed_coalition(&app).await;
        let person = app.participant("solo@example.org", "academia", "FR", false).await;
        crate::reports::answer(&person, &[("stance[art-1]", "oppose"), ("disclosure", "anonymous")]).await;
        crate::reports::close_and_publish(&app).await;
        let s = published(&app).await;
        let art1 = &s.provisions[0];
        assert_eq!((group(&art1.figures, "academia").oppose, group(&art1.figures, "civil_society").support), (1, 0), "per person: the person only, as before");
        let by_organization = art1.organization_figures.as_ref().unwrap();
        assert_eq!((group(by_organization, "academia").support, group(by_organization, "academia").oppose), (1, 1));
        assert_eq!(group(by_organization, "civil_society").support, 2);
        assert_eq!(recomputed(&app, &s, "per_person").await, figures(&s));
        assert_eq!(recomputed(&app, &s, "per_organization").await, s.provisions.iter().map(|p| p.organization_figures.clone().unwrap()).collect::<Vec<_>>());
    }

    async fn a_cosigner_who_declines_is_not_counted_and_keeps_its_own_position(app) {
        set_counting(&app, "per_organization").await;
        let c = coalition(&app).await;
        let res = draft(&c.institute, &c.institute_org, "submit", &[("stance[art-1]", "oppose"), ("disclosure", "organization")]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(invite(&c.lead, &c.lead_org, &[("organization", id_of(&c.institute_org))]).await.status(), 303);
        let signature = invitation(&c.institute, &c.institute_org).await;
        assert_eq!(answer(&c.institute, &signature, "decline", &[]).await.status(), 303);
        let (_, page) = c.lead.get_text(&joint(&c.lead_org)).await;
        assert!(page.contains("Declined"), "the lead sees the answer");
        crate::reports::close_and_publish(&app).await;
        let s = published(&app).await;
        let art1 = &s.provisions[0].figures;
        assert_eq!((group(art1, "academia").support, group(art1, "academia").oppose), (0, 1), "its own position counts");
        assert!(s.joint_submissions.is_empty());
        assert_eq!(recomputed(&app, &s, "per_organization").await, figures(&s));
        let actions: Vec<(String, bool)> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.like("joint.%"))
            .order(audit_log::id.asc())
            .select((audit_log::action, audit_log::public))
            .load(c)).await.unwrap();
        assert_eq!(actions, [("joint.invite".to_string(), false), ("joint.decline".to_string(), false)]);
    }

    async fn confirming_after_the_close_is_refused_and_changes_nothing(app) {
        let c = coalition(&app).await;
        assert_eq!(invite(&c.lead, &c.lead_org, &[("organization", id_of(&c.ngo_org))]).await.status(), 303);
        let signature = invitation(&c.ngo, &c.ngo_org).await;
        let (_, form) = c.ngo.get_text(&signature).await;
        let token = csrf_in(&form);
        let admin = app.admin().await;
        let close = "/admin/consultations/additional-protocol/rounds/1/close";
        assert_eq!(admin.submit(close, close, &[]).await.status(), 303);
        let res = c.ngo.post_form(&format!("{signature}/confirm"), &[("csrf_token", &token)]).await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("The round is closed: co-signatures can no longer change."));
        let states: Vec<String> = app.db.query(|c| joint_signatures::table.select(joint_signatures::state).load(c)).await.unwrap();
        assert_eq!(states, ["invited"]);
        let res = invite(&c.lead, &c.lead_org, &[("organization", id_of(&c.institute_org))]).await;
        assert_eq!(res.status(), 409, "nor can the lead invite");
    }

    async fn an_unknown_address_is_refused_next_to_the_field_and_nothing_is_sent(app) {
        let c = coalition(&app).await;
        // A registered person who is no organization's admin is as unknown.
        let _member = app.participant("nobody@ims.example", "academia", "CA", true).await;
        for address in ["ghost@nowhere.example", "nobody@ims.example"] {
            let res = invite(&c.lead, &c.lead_org, &[("email", address)]).await;
            assert_eq!(res.status(), 422);
            let page = res.text().await.unwrap();
            assert!(page.contains("No admin of an organization in this consultation has this address"), "{page}");
            assert!(page.contains(&format!("value=\"{address}\"")), "the address typed is kept");
            assert!(page.contains("id=\"email-error\""), "the error sits next to the field");
        }
        let res = invite(&c.lead, &c.lead_org, &[("organization", id_of(&c.lead_org))]).await;
        assert_eq!(res.status(), 422, "not itself");
        let res = invite(&c.lead, &c.lead_org, &[]).await;
        assert_eq!(res.status(), 422);
        let signatures: i64 = app.db.query(|c| joint_signatures::table.count().get_result(c)).await.unwrap();
        let sent: i64 = app.db.query(|c| outbox::table.filter(outbox::kind.eq("joint_invitation")).count().get_result(c)).await.unwrap();
        assert_eq!((signatures, sent), (0, 0));
        let (status, _) = c.ngo.get_text(&joint(&c.lead_org)).await;
        assert_eq!(status, 403, "another organization's joint page is its members' alone");
    }

    async fn the_invitation_reaches_each_admin_once_and_every_answer_is_audited(app) {
        let c = coalition(&app).await;
        let second = app.participant("eve@arw.example", "civil_society", "FR", true).await;
        crate::organizations::join(&c.ngo, &c.ngo_org, &second, "eve@arw.example", &["admin"]).await;
        assert_eq!(invite(&c.lead, &c.lead_org, &[("email", "luc@arw.example")]).await.status(), 303);
        let again = invite(&c.lead, &c.lead_org, &[("organization", id_of(&c.ngo_org))]).await;
        assert_eq!(again.status(), 409, "already invited");
        let mut recipients: Vec<String> = app.db.query(|c| outbox::table
            .filter(outbox::kind.eq("joint_invitation"))
            .select(outbox::recipient)
            .load(c)).await.unwrap();
        recipients.sort();
        assert_eq!(recipients, ["eve@arw.example", "luc@arw.example"]);
        let mail = app.wait_for_mail("eve@arw.example", "Kenya Culture Network invites Arts Rights Watch").await;
        let link = TestApp::link_in(&mail, "/consultations/");
        assert_eq!(link, joint(&c.ngo_org));

        let signature = invitation(&second, &c.ngo_org).await;
        assert_eq!(answer(&second, &signature, "confirm", &[]).await.status(), 303);
        let res = draft(&c.ngo, &c.ngo_org, "submit", &[("stance[art-1]", "oppose"), ("disclosure", "attributed")]).await;
        assert_eq!(res.status(), 403, "a co-signer speaks through the joint text only");
        assert!(res.text().await.unwrap().contains("withdraw that signature before submitting"));
        assert_eq!(answer(&c.ngo, &signature, "decline", &[]).await.status(), 303);
        let actions: Vec<(String, bool)> = app.db.query(|c| audit_log::table
            .filter(audit_log::action.like("joint.%"))
            .order(audit_log::id.asc())
            .select((audit_log::action, audit_log::public))
            .load(c)).await.unwrap();
        assert_eq!(actions, [("joint.invite".to_string(), false), ("joint.confirm".to_string(), true), ("joint.withdraw".to_string(), true)]);
        let (_, audit) = app.get_text("/audit").await;
        assert!(audit.contains("Joint submission co-signed") && audit.contains("Co-signature withdrawn"));
    }
}
