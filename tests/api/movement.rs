//! Rounds that converge: how stances moved between a round and the round it
//! follows (report.json, movement.csv), and commenters answering the
//! organizers' response (the window, the label, the e-mails).

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::codes::StakeholderGroup;
use polyphony::db::schema::{consultations, outbox, rounds};
use polyphony::reports::Snapshot;
use polyphony::reports::figures::{self, ConsensusLabel, CountRow};
use polyphony::reports::movement::{Convergence, Movement, support_rank};
use polyphony::submissions::Stance;
use std::collections::BTreeMap;

const SLUG: &str = "delphi";
const V1: &str = "# Protocol\n\n## Article 1 — Scope\nParties shall encourage platforms.\n\n## Article 2 — Data\nPlatforms shall share data.\n\n## Article 3 — Review\nA review every year.\n";
const V2: &str = "# Protocol\n\n## Article 1 — Scope\nParties shall encourage platforms.\n\n## Article 2 — Data\nPlatforms shall share anonymised data.\n\n## Article 4 — Funding\nA fund for creators.\n";
const SECRET: &str = "Confidential reasoning never to be published";

fn round_path(n: i32) -> String {
    format!("/consultations/{SLUG}/rounds/{n}")
}

async fn act(admin: &Browser, n: i32, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = format!("/admin/consultations/{SLUG}/rounds/{n}/{action}");
    admin.submit(&page, &page, fields).await
}

/// Imports `markdown` as the next draft version and opens a round on it now.
async fn open_round(
    app: &TestApp,
    admin: &Browser,
    markdown: &str,
    version: &str,
    attribution: &str,
) {
    let res = import(admin, SLUG, markdown, "save").await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let now = app.clock.now();
    let res = admin
        .submit(
            &format!("/admin/consultations/{SLUG}"),
            &format!("/admin/consultations/{SLUG}/rounds"),
            &[
                ("draft_version", version),
                ("opens_at", &form_time(now)),
                ("closes_at", &form_time(now + time::Duration::days(5))),
                ("attribution", attribution),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

/// Closes round `n` and publishes it; where draft reports are computed in
/// the background, once its job is done (what is published is then the
/// stored result).
async fn close_and_publish(app: &TestApp, admin: &Browser, n: i32) {
    assert_eq!(act(admin, n, "close", &[]).await.status(), 303);
    let (status, _) = admin
        .get_text(&format!("/admin/consultations/{SLUG}/rounds/{n}/report"))
        .await;
    assert_eq!(status, 200);
    while polyphony::reports::jobs::work_once(&app.db, &app.clock)
        .await
        .unwrap()
    {}
    assert_eq!(
        act(admin, n, "publish", &[("note", "")]).await.status(),
        303
    );
}

async fn submit(b: &Browser, n: i32, disclosure: &str, fields: &[(&str, &str)]) {
    let mut all = vec![("action", "submit"), ("disclosure", disclosure)];
    all.extend_from_slice(fields);
    let path = round_path(n);
    let res = b.submit(&path, &format!("{path}/submission"), &all).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

/// Round 2 follows round 1 (the link is set by the round settings).
async fn link_rounds(app: &TestApp) {
    app.db
        .query(|c| {
            let ids: Vec<(i32, i64)> = rounds::table
                .inner_join(consultations::table)
                .filter(consultations::slug.eq(SLUG))
                .select((rounds::number, rounds::id))
                .load(c)?;
            let id = |n: i32| ids.iter().find(|(m, _)| *m == n).map(|(_, id)| *id);
            diesel::update(rounds::table.filter(rounds::id.eq(id(2).unwrap())))
                .set(rounds::follows_round_id.eq(id(1)))
                .execute(c)
        })
        .await
        .unwrap();
}

/// Who answered what, by round: (email, group, disclosure in round 1,
/// disclosure in round 2, art-1 in round 1, art-1 in round 2).
const PANEL: [(&str, &str, &str, &str, &str, &str); 6] = [
    (
        "g1@example.org",
        "government",
        "attributed",
        "attributed",
        "oppose",
        "support",
    ),
    (
        "g2@example.org",
        "government",
        "organization",
        "organization",
        "oppose",
        "oppose",
    ),
    (
        "g3@example.org",
        "government",
        "anonymous",
        "anonymous",
        "support",
        "support",
    ),
    (
        "c1@example.org",
        "civil_society",
        "confidential",
        "confidential",
        "support",
        "support",
    ),
    (
        "c2@example.org",
        "civil_society",
        "anonymous",
        "anonymous",
        "no_position",
        "support_with_changes",
    ),
    (
        "c3@example.org",
        "civil_society",
        "attributed",
        "anonymous",
        "oppose",
        "no_position",
    ),
];

/// A panel member's answers: art-1 as given, art-2 supported by the
/// governments, a comment only from the confidential participant.
fn fields(
    group: &str,
    disclosure: &str,
    art1: &'static str,
    extra: (&'static str, &'static str),
) -> Vec<(&'static str, &'static str)> {
    let mut fields = vec![("stance[art-1]", art1), extra];
    if group == "government" {
        fields.push(("stance[art-2]", "support"));
    }
    if disclosure == "confidential" {
        fields.push(("comment[art-1]", SECRET));
    }
    fields
}

/// Two rounds on two drafts (art-1 unchanged, art-2 changed, art-3 removed,
/// art-4 new), both published, round 2 following round 1.
async fn two_rounds(app: &TestApp, attribution_2: &str) {
    let admin = app.admin().await;
    new_consultation(&admin, SLUG).await;
    open_round(app, &admin, V1, "1", "open").await;
    let mut people = vec![];
    for (email, group, ..) in PANEL {
        people.push(app.participant(email, group, "KE", false).await);
    }
    let only_first = app
        .participant("a1@example.org", "academia", "FR", false)
        .await;
    submit(&only_first, 1, "attributed", &[("stance[art-1]", "oppose")]).await;
    for (b, (_, group, disclosure, _, art1, _)) in people.iter().zip(PANEL) {
        submit(
            b,
            1,
            disclosure,
            &fields(group, disclosure, art1, ("stance[art-3]", "oppose")),
        )
        .await;
    }
    close_and_publish(app, &admin, 1).await;
    open_round(app, &admin, V2, "2", attribution_2).await;
    link_rounds(app).await;
    let only_second = app
        .participant("a2@example.org", "academia", "FR", false)
        .await;
    submit(
        &only_second,
        2,
        "anonymous",
        &[("stance[art-1]", "support")],
    )
    .await;
    for (b, (_, group, _, disclosure, _, art1)) in people.iter().zip(PANEL) {
        // Under the Chatham House Rule nobody may be named.
        let disclosure = match disclosure {
            "attributed" | "organization" if attribution_2 == "chatham_house" => "anonymous",
            other => other,
        };
        submit(
            b,
            2,
            disclosure,
            &fields(group, disclosure, art1, ("stance[art-4]", "support")),
        )
        .await;
    }
    close_and_publish(app, &admin, 2).await;
}

async fn snapshot(app: &TestApp, n: i32) -> Snapshot {
    let (status, json) = app
        .get_text(&format!("{}/report.json", round_path(n)))
        .await;
    assert_eq!(status, 200);
    serde_json::from_str(&json).unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

/// movement.csv read back for one panel (`counting` column): counts by
/// (provision, group, from, to), and the rows of each kind.
struct MovementCsv {
    counts: BTreeMap<(String, String, String, String), i64>,
    participant_rows: Vec<csv::StringRecord>,
    organization_rows: Vec<csv::StringRecord>,
    aggregate_rows: Vec<csv::StringRecord>,
}

fn read_panel(text: &str, counting: &str) -> MovementCsv {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        polyphony::reports::movement::CSV_HEADER
    );
    let mut out = MovementCsv {
        counts: BTreeMap::new(),
        participant_rows: vec![],
        organization_rows: vec![],
        aggregate_rows: vec![],
    };
    for record in reader.records() {
        let r = record.unwrap();
        if &r[8] != counting {
            continue;
        }
        let n: i64 = r[7].parse().unwrap();
        *out.counts
            .entry((r[2].into(), r[3].into(), r[5].into(), r[6].into()))
            .or_default() += n;
        match &r[0] {
            "participant" => out.participant_rows.push(r),
            "organization" => out.organization_rows.push(r),
            "aggregate" => out.aggregate_rows.push(r),
            other => panic!("row kind {other}"),
        }
    }
    out
}

fn read_movement(text: &str) -> MovementCsv {
    read_panel(text, "per_person")
}

/// Every transition table of `m`, the share moving towards support and the
/// panel's figures in each round, recomputed from the CSV's rows.
fn assert_recomputable(m: &Movement, csv: &MovementCsv, min_group_size: i64) {
    assert_eq!(
        csv.counts.values().sum::<i64>(),
        m.provisions
            .iter()
            .map(|p| p.overall.answered_both)
            .sum::<i64>(),
        "no row of the panel is missing or extra"
    );
    for p in &m.provisions {
        let mut rows = vec![];
        for t in std::iter::once(&p.overall).chain(&p.groups) {
            let mut towards = 0;
            for cell in &t.table {
                let from_csv: i64 = csv
                    .counts
                    .iter()
                    .filter(|((key, group, from, to), _)| {
                        key == &p.key
                            && from == cell.from.as_str()
                            && to == cell.to.as_str()
                            && t.group.is_none_or(|g| g.as_str() == group)
                    })
                    .map(|(_, n)| n)
                    .sum();
                assert_eq!(
                    from_csv, cell.count,
                    "{} {:?} {:?}→{:?}",
                    p.key, t.group, cell.from, cell.to
                );
                if support_rank(cell.to) > support_rank(cell.from) {
                    towards += cell.count;
                }
                if let Some(group) = t.group {
                    rows.push((group, cell.from, cell.to, cell.count));
                }
            }
            assert_eq!(towards, t.towards_support);
        }
        // The panel's figures in each round, from the CSV's stances.
        let keys = [p.key.clone()];
        let counted = |stance: fn(&(StakeholderGroup, Stance, Stance, i64)) -> Stance| {
            let rows: Vec<CountRow> = rows
                .iter()
                .map(|row| CountRow {
                    provision_key: p.key.clone(),
                    group: row.0,
                    verified: false,
                    stance: stance(row),
                    count: row.3,
                })
                .collect();
            figures::compute(&keys, &rows, min_group_size).remove(0)
        };
        let (before, after) = (counted(|r| r.1), counted(|r| r.2));
        assert_eq!(before.lowest_group_support(), p.before.lowest_group_support);
        assert_eq!(after.lowest_group_support(), p.after.lowest_group_support);
        assert_eq!(before.score_out_of_100(), p.before.consensus_score);
        assert_eq!(after.score_out_of_100(), p.after.consensus_score);
    }
}

both_backends! {
    async fn movement_tables_match_values_computed_by_hand(app) {
        two_rounds(&app, "open").await;
        assert!(snapshot(&app, 1).await.movement.is_none(), "round 1 follows no round");
        let (status, _) = app.get_text(&format!("{}/report/movement.csv", round_path(1))).await;
        assert_eq!(status, 404);

        let s = snapshot(&app, 2).await;
        let m = s.movement.expect("round 2 shows movement");
        assert_eq!(m.follows_round, 1);
        assert_eq!(m.participants, 6, "only those who submitted in both rounds");
        let keys: Vec<&str> = m.provisions.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["art-1", "art-2"], "removed and new provisions have no movement");

        let art1 = m.provision("art-1").unwrap();
        assert_eq!(art1.overall.answered_both, 6);
        assert_eq!((art1.overall.towards_support, art1.overall.away_from_support), (3, 0));
        let gov = art1.groups.iter().find(|g| g.group == Some(StakeholderGroup::Government)).unwrap();
        assert_eq!(gov.count(Stance::Oppose, Stance::Support), 1);
        assert_eq!(gov.count(Stance::Oppose, Stance::Oppose), 1);
        assert_eq!(gov.count(Stance::Support, Stance::Support), 1);
        assert_eq!(gov.table.iter().map(|t| t.count).sum::<i64>(), 3);
        assert!(close(gov.towards_support_share, 1.0 / 3.0));
        let cs = art1.groups.iter().find(|g| g.group == Some(StakeholderGroup::CivilSociety)).unwrap();
        assert_eq!(cs.count(Stance::NoPosition, Stance::SupportWithChanges), 1);
        assert_eq!(cs.count(Stance::Oppose, Stance::NoPosition), 1);
        assert_eq!(cs.count(Stance::Support, Stance::Support), 1);
        assert!(close(cs.towards_support_share, 2.0 / 3.0));
        // Civil society has 2 responses other than "no position" in each
        // round, under the minimum of 3: government alone counts, 1/3 → 2/3.
        assert!(close(art1.before.lowest_group_support, 1.0 / 3.0));
        assert!(close(art1.after.lowest_group_support, 2.0 / 3.0));
        assert!(close(art1.before.consensus_score, 40.0), "(1+1)/(3+2)");
        assert!(close(art1.after.consensus_score, 60.0), "(2+1)/(3+2)");
        assert!(close(art1.lowest_group_support_change, 1.0 / 3.0));
        assert_eq!(art1.convergence, Convergence::Converging);
        assert_eq!(m.provision("art-2").unwrap().convergence, Convergence::Stable);

        let (status, page) = app.get_text(&format!("{}/report", round_path(2))).await;
        assert_eq!(status, 200);
        assert!(page.contains("Converging") && page.contains("33% → 67% (+33 points)"), "the convergence line");
        assert!(page.len() < 60 * 1024);
        let (status, page) = app.get_text(&format!("{}/report/provisions/art-1", round_path(2))).await;
        assert_eq!(status, 200);
        assert!(page.contains("Movement since round 1") && page.contains("6 participants answered in both rounds"));
        assert!(page.len() < 60 * 1024);
        let (_, fr) = app.get_text(&format!("{}/report?lang=fr", round_path(2))).await;
        assert!(fr.contains("Convergence"));
    }

    async fn movement_figures_can_be_recomputed_from_movement_csv(app) {
        two_rounds(&app, "open").await;
        let s = snapshot(&app, 2).await;
        let m = s.movement.as_ref().unwrap();
        let (status, text) = app.get_text(&format!("{}/report/movement.csv", round_path(2))).await;
        assert_eq!(status, 200);
        let csv = read_movement(&text);
        // g1 and g2 were attributed or organization in both rounds: a row
        // each per provision; everyone else is aggregated.
        assert_eq!(csv.participant_rows.len(), 4);
        assert!(!csv.aggregate_rows.is_empty());
        let ids: std::collections::BTreeSet<&str> = csv.participant_rows.iter().map(|r| r.get(1).unwrap()).collect();
        assert_eq!(ids.len(), 2, "one pseudonym per participant, the same on every provision");
        assert!(csv.aggregate_rows.iter().all(|r| r[4].is_empty()), "cells under 5 lose their region");
        assert_recomputable(m, &csv, s.min_group_size);
    }

    async fn chatham_house_and_confidential_rules_hold_across_rounds(app) {
        two_rounds(&app, "chatham_house").await;
        let (_, text) = app.get_text(&format!("{}/report/movement.csv", round_path(2))).await;
        let csv = read_movement(&text);
        assert!(csv.participant_rows.is_empty(), "under the Chatham House Rule nobody has a row of their own");
        assert_eq!(csv.counts.values().sum::<i64>(), 12, "everyone still counts, 6 on each provision in both drafts: {text}");
        assert!(!text.contains(SECRET) && !text.contains("Name of") && !text.contains("@example.org"));
        let (_, json) = app.get_text(&format!("{}/report.json", round_path(2))).await;
        assert!(!json.contains(SECRET), "a confidential text is never published");
    }

    async fn a_confidential_participant_never_has_a_row_of_their_own(app) {
        two_rounds(&app, "open").await;
        let (_, text) = app.get_text(&format!("{}/report/movement.csv", round_path(2))).await;
        let csv = read_movement(&text);
        // c1 (confidential) and c3 (attributed, then anonymous) are counted
        // only in aggregated rows.
        assert!(csv.participant_rows.iter().all(|r| &r[3] == "government"));
        assert!(!text.contains(SECRET));
        let (_, json) = app.get_text(&format!("{}/report.json", round_path(2))).await;
        let s: Snapshot = serde_json::from_str(&json).unwrap();
        let pseudonyms: Vec<&str> = csv.participant_rows.iter().map(|r| r.get(1).unwrap()).collect();
        for id in pseudonyms {
            assert!(!json.contains(id), "a pseudonym is unrelated to any text's public id");
        }
        assert!(s.movement.is_some());
    }
}

/// Every round of the consultation counts as `counting` says, and a group
/// of one is enough for its figures (the panels here are small).
async fn count_rounds(app: &TestApp, counting: &'static str) {
    app.db
        .query(move |c| {
            let ids: Vec<i64> = rounds::table
                .inner_join(consultations::table)
                .filter(consultations::slug.eq(SLUG))
                .select(rounds::id)
                .load(c)?;
            diesel::update(rounds::table.filter(rounds::id.eq_any(ids)))
                .set((rounds::counting.eq(counting), rounds::min_group_size.eq(1)))
                .execute(c)
        })
        .await
        .unwrap();
}

/// Submits the official position of `org` in round `n` as its founder.
async fn submit_official(founder: &Browser, org: &str, n: i32, disclosure: &str, art1: &str) {
    let id = org.rsplit('/').next().unwrap();
    let form = format!("{}/organizations/{id}", round_path(n));
    let res = founder
        .submit(
            &form,
            &format!("{form}/submission"),
            &[
                ("action", "submit"),
                ("disclosure", disclosure),
                ("stance[art-1]", art1),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

/// Two rounds counted `counting`, with art-1 answered as follows.
/// Official positions: the Ministry (government) oppose → support, the
/// Network (civil society) support → support with changes, the Institute
/// (academia) oppose in round 1 only. Personal positions: Ministry members
/// m1 support → support and m2 oppose → oppose, Network member n1 oppose →
/// no position, and solo (academia, in no organization, anonymous) no
/// position → support.
async fn organizations_in_two_rounds(app: &TestApp, counting: &'static str) {
    let admin = app.admin().await;
    new_consultation(&admin, SLUG).await;
    open_round(app, &admin, V1, "1", "open").await;
    count_rounds(app, counting).await;
    let founder =
        |email: &'static str, group: &'static str| app.participant(email, group, "FR", true);
    let (ministry_admin, network_admin, institute_admin) = (
        founder("a0@gouv.example", "government").await,
        founder("b0@network.example", "civil_society").await,
        founder("i0@institute.example", "academia").await,
    );
    let ministry =
        crate::organizations::record_in(&ministry_admin, SLUG, "Ministry", "government", "FR", "")
            .await;
    let network =
        crate::organizations::record_in(&network_admin, SLUG, "Network", "civil_society", "FR", "")
            .await;
    let institute =
        crate::organizations::record_in(&institute_admin, SLUG, "Institute", "academia", "FR", "")
            .await;
    let mut members = vec![];
    for (email, group, org, admin) in [
        ("m1@gouv.example", "government", &ministry, &ministry_admin),
        ("m2@gouv.example", "government", &ministry, &ministry_admin),
        (
            "n1@network.example",
            "civil_society",
            &network,
            &network_admin,
        ),
    ] {
        let b = app.participant(email, group, "FR", true).await;
        crate::organizations::join(admin, org, &b, email, &["drafter"]).await;
        members.push(b);
    }
    let solo = app
        .participant("solo@example.org", "academia", "KE", false)
        .await;
    let personal = [
        ("support", "support"),
        ("oppose", "oppose"),
        ("oppose", "no_position"),
    ];
    for (n, first) in [(1, true), (2, false)] {
        if n == 2 {
            close_and_publish(app, &admin, 1).await;
            open_round(app, &admin, V2, "2", "open").await;
            link_rounds(app).await;
            count_rounds(app, counting).await;
        }
        let pick = |pair: (&'static str, &'static str)| if first { pair.0 } else { pair.1 };
        submit_official(
            &ministry_admin,
            &ministry,
            n,
            "attributed",
            pick(("oppose", "support")),
        )
        .await;
        submit_official(
            &network_admin,
            &network,
            n,
            "organization",
            pick(("support", "support_with_changes")),
        )
        .await;
        if first {
            submit_official(&institute_admin, &institute, n, "attributed", "oppose").await;
        }
        for (b, stances) in members.iter().zip(personal) {
            submit(b, n, "anonymous", &[("stance[art-1]", pick(stances))]).await;
        }
        submit(
            &solo,
            n,
            "anonymous",
            &[("stance[art-1]", pick(("no_position", "support")))],
        )
        .await;
    }
    close_and_publish(app, &admin, 2).await;
}

fn group_table(
    p: &polyphony::reports::movement::ProvisionMovement,
    group: StakeholderGroup,
) -> &polyphony::reports::movement::Transitions {
    p.groups.iter().find(|t| t.group == Some(group)).unwrap()
}

/// The per-organization panel of art-1, as computed by hand: the Ministry,
/// the Network and solo; not the Institute (round 1 only), not the members.
fn assert_organization_panel(m: &Movement) {
    assert_eq!(m.participants, 3);
    let art1 = m.provision("art-1").unwrap();
    assert_eq!(art1.overall.answered_both, 3);
    assert_eq!(
        (art1.overall.towards_support, art1.overall.away_from_support),
        (2, 0)
    );
    assert_eq!(
        group_table(art1, StakeholderGroup::Government).count(Stance::Oppose, Stance::Support),
        1
    );
    assert_eq!(
        group_table(art1, StakeholderGroup::CivilSociety)
            .count(Stance::Support, Stance::SupportWithChanges),
        1
    );
    assert_eq!(
        group_table(art1, StakeholderGroup::Academia).count(Stance::NoPosition, Stance::Support),
        1
    );
    assert_eq!(art1.overall.table.iter().filter(|t| t.count > 0).count(), 3);
    // Government 0 → 1 is the lowest group before; every group supports after.
    assert!(close(art1.before.lowest_group_support, 0.0));
    assert!(close(art1.after.lowest_group_support, 1.0));
    assert_eq!(art1.convergence, Convergence::Converging);
}

/// The per-person panel of art-1: m1, m2, n1 and solo.
fn assert_person_panel(m: &Movement) {
    assert_eq!(m.participants, 4);
    let art1 = m.provision("art-1").unwrap();
    assert_eq!(art1.overall.answered_both, 4);
    assert_eq!(
        (art1.overall.towards_support, art1.overall.away_from_support),
        (2, 0)
    );
    let gov = group_table(art1, StakeholderGroup::Government);
    assert_eq!(
        (
            gov.count(Stance::Support, Stance::Support),
            gov.count(Stance::Oppose, Stance::Oppose)
        ),
        (1, 1)
    );
    assert_eq!(
        group_table(art1, StakeholderGroup::CivilSociety).count(Stance::Oppose, Stance::NoPosition),
        1
    );
    // Civil society 0 before; after, its only answer is "no position" and
    // government's 1/2 is the lowest.
    assert!(close(art1.before.lowest_group_support, 0.0));
    assert!(close(art1.after.lowest_group_support, 0.5));
}

both_backends! {
    async fn per_organization_movement_pairs_official_positions_across_rounds(app) {
        organizations_in_two_rounds(&app, "per_organization").await;
        let s = snapshot(&app, 2).await;
        assert!(s.organization_movement.is_none(), "one panel under one policy");
        let m = s.movement.as_ref().expect("round 2 shows movement");
        assert_organization_panel(m);

        let (status, text) = app.get_text(&format!("{}/report/movement.csv", round_path(2))).await;
        assert_eq!(status, 200);
        assert!(read_panel(&text, "per_person").counts.is_empty(), "no per-person panel: {text}");
        let csv = read_panel(&text, "per_organization");
        assert_recomputable(m, &csv, s.min_group_size);
        // Unanswered provisions are submitted as "no position": art-2 has
        // the same panel.
        assert_eq!(csv.organization_rows.len(), 4, "the Ministry and the Network on art-1 and art-2, by pseudonym: {text}");
        assert!(csv.participant_rows.is_empty(), "solo is anonymous");
        let ids: std::collections::BTreeSet<&str> = csv.organization_rows.iter().map(|r| r.get(1).unwrap()).collect();
        assert_eq!(ids.len(), 2);
        assert!(!text.contains("Ministry") && !text.contains("Network"), "pseudonyms, not names");
        let (_, again) = app.get_text(&format!("{}/report/movement.csv", round_path(2))).await;
        assert_eq!(again, text, "stable within the report");

        let (_, page) = app.get_text(&format!("{}/report/provisions/art-1", round_path(2))).await;
        assert!(page.contains("3 organizations and people in no organization answered in both rounds"), "{page}");
        let (_, overview) = app.get_text(&format!("{}/report", round_path(2))).await;
        assert!(overview.contains("members&#x27; personal positions are left out") || overview.contains("members' personal positions are left out"));
    }

    async fn both_policies_report_each_panel_and_the_csv_carries_both(app) {
        organizations_in_two_rounds(&app, "both").await;
        let s = snapshot(&app, 2).await;
        let person = s.movement.as_ref().unwrap();
        let organization = s.organization_movement.as_ref().expect("the second panel");
        assert_person_panel(person);
        assert_organization_panel(organization);
        let (_, text) = app.get_text(&format!("{}/report/movement.csv", round_path(2))).await;
        assert_recomputable(person, &read_panel(&text, "per_person"), s.min_group_size);
        assert_recomputable(organization, &read_panel(&text, "per_organization"), s.min_group_size);
        let (_, page) = app.get_text(&format!("{}/report/provisions/art-1", round_path(2))).await;
        assert!(page.contains("4 participants answered in both rounds") && page.contains("The same movement per organization"));
        assert!(page.len() < 60 * 1024);
    }

    async fn per_person_movement_leaves_official_positions_out(app) {
        organizations_in_two_rounds(&app, "per_person").await;
        let s = snapshot(&app, 2).await;
        assert_person_panel(s.movement.as_ref().unwrap());
        assert!(s.organization_movement.is_none());
    }
}

/// One round on V1 where three governments and three civil-society
/// participants support art-1 (consensus), published, with a response.
async fn answered_round(app: &TestApp) -> (Browser, Vec<Browser>) {
    let admin = app.admin().await;
    new_consultation(&admin, SLUG).await;
    open_round(app, &admin, V1, "1", "open").await;
    let mut people = vec![];
    for (i, group) in [
        "government",
        "government",
        "government",
        "civil_society",
        "civil_society",
        "civil_society",
    ]
    .iter()
    .enumerate()
    {
        let b = app
            .participant(&format!("p{i}@example.org"), group, "CA", false)
            .await;
        submit(
            &b,
            1,
            "anonymous",
            &[("stance[art-1]", "support"), ("comment[art-1]", "Fine.")],
        )
        .await;
        people.push(b);
    }
    close_and_publish(app, &admin, 1).await;
    let page = format!("/admin/consultations/{SLUG}/rounds/1/report/provisions/art-1");
    let res = admin
        .submit(
            &page,
            &format!("/admin/consultations/{SLUG}/rounds/1/responses/art-1"),
            &[("response", "We kept it.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    (admin, people)
}

async fn answer(b: &Browser, answer: &str, reason: &str) -> reqwest::Response {
    let page = format!("{}/answers", round_path(1));
    b.submit(
        &page,
        &format!("{page}/art-1"),
        &[("answer", answer), ("reason", reason)],
    )
    .await
}

async fn open_answers(app: &TestApp, admin: &Browser) {
    let until = form_time(app.clock.now() + time::Duration::days(7));
    let res = act(admin, 1, "answers", &[("answers_close_at", &until)]).await;
    assert_eq!(res.status(), 303);
}

async fn outbox_kind(app: &TestApp, kind: &'static str) -> Vec<String> {
    app.db
        .query(move |c| {
            outbox::table
                .filter(outbox::kind.eq(kind))
                .select(outbox::recipient)
                .load(c)
        })
        .await
        .unwrap()
}

both_backends! {
    async fn a_formal_objection_from_a_whole_group_changes_the_label(app) {
        let (admin, people) = answered_round(&app).await;
        assert_eq!(snapshot(&app, 1).await.provisions[0].figures.label, ConsensusLabel::Consensus);
        open_answers(&app, &admin).await;
        for b in &people[..2] {
            assert_eq!(answer(b, "formal_objection", "The response ignores us.").await.status(), 303);
        }
        assert_eq!(answer(&people[3], "satisfied", "").await.status(), 303);
        assert_eq!(act(&admin, 1, "publish", &[("note", "answers")]).await.status(), 303);
        let p = &snapshot(&app, 1).await.provisions[0];
        assert_eq!(p.figures.label, ConsensusLabel::Consensus, "two of three governments are not the whole group");
        assert_eq!(p.answers.iter().map(|a| a.formal_objection).sum::<i64>(), 2);

        assert_eq!(answer(&people[2], "formal_objection", "").await.status(), 303);
        assert_eq!(act(&admin, 1, "publish", &[("note", "answers")]).await.status(), 303);
        let s = snapshot(&app, 1).await;
        let p = &s.provisions[0];
        assert_eq!(p.figures.label, ConsensusLabel::ConsensusWithObjections);
        assert_eq!(p.objecting_groups, [StakeholderGroup::Government]);
        let (_, page) = app.get_text(&format!("{}/report", round_path(1))).await;
        assert!(page.contains("Consensus with objections") && page.contains("Government"));
        let (_, page) = app.get_text(&format!("{}/report/provisions/art-1", round_path(1))).await;
        assert!(page.contains("Commenters&#x27; answers to the response") || page.contains("Commenters' answers to the response"));
        assert!(!page.contains("The response ignores us."), "reasons are for the organizers");
    }

    async fn answers_are_refused_before_the_window_opens_and_after_it_closes(app) {
        let (admin, people) = answered_round(&app).await;
        let res = answer(&people[0], "satisfied", "").await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("Answers to the response are not open for this round."));
        open_answers(&app, &admin).await;
        let res = answer(&people[0], "perhaps", &"x".repeat(501)).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("Choose satisfied, not satisfied or formal objection.") && body.contains("Keep the reason to 500 characters or fewer."));
        assert!(body.contains(&"x".repeat(501)), "what was typed is kept");
        assert_eq!(answer(&people[0], "not_satisfied", "Too vague.").await.status(), 303);
        let (_, page) = people[0].get_text(&format!("{}/answers", round_path(1))).await;
        assert!(page.contains("Too vague.") && page.contains("We kept it."));
        let (_, mine) = people[0].get_text(&format!("{}/submission", round_path(1))).await;
        assert!(mine.contains(&format!("{}/answers", round_path(1))), "the participant's page leads to the answers");
        let stranger = app.participant("x@example.org", "academia", "FR", false).await;
        let (status, page) = stranger.get_text(&format!("{}/answers", round_path(1))).await;
        assert_eq!(status, 200);
        assert!(page.contains("None of your positions received a response or a decision.") && !page.contains("Fine."));
        assert_eq!(answer(&stranger, "satisfied", "").await.status(), 404, "nothing of theirs to answer");

        app.clock.advance(time::Duration::days(8));
        let res = answer(&people[0], "satisfied", "").await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("Answers to the response are closed."));
        let (_, page) = people[0].get_text(&format!("{}/answers", round_path(1))).await;
        assert!(page.contains("Not satisfied"), "the last answer stands");
    }

    async fn each_notification_goes_exactly_once(app) {
        let (admin, people) = answered_round(&app).await;
        open_answers(&app, &admin).await;
        open_answers(&app, &admin).await;
        let mut told = outbox_kind(&app, "answers_open").await;
        told.sort();
        assert_eq!(told.len(), 6, "each commenter once, though the date was set twice");
        told.dedup();
        assert_eq!(told.len(), 6);
        for a in ["formal_objection", "satisfied", "formal_objection"] {
            assert_eq!(answer(&people[0], a, "").await.status(), 303);
        }
        let organizers = outbox_kind(&app, "formal_objection").await;
        assert_eq!(organizers.len(), 1, "the organizers hear of an objection once: {organizers:?}");
        assert_eq!(answer(&people[1], "formal_objection", "").await.status(), 303);
        assert_eq!(outbox_kind(&app, "formal_objection").await.len(), 2);
        let mail = app.wait_for_mail(&organizers[0], "formal objection").await;
        assert!(mail.subject_and_body.contains("/admin/consultations/delphi/rounds/1/report/provisions/art-1"));
    }
}

/// Every round counts as large: its draft report is computed by a job, and
/// publishing copies the stored result.
async fn movement_survives_the_background_computation(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.reports.inline_below = 0;
    settings.reports.worker = false;
    let app = spawn_with(database, settings, backend).await;
    two_rounds(&app, "open").await;
    let (status, text) = app
        .get_text(&format!("{}/report/movement.csv", round_path(2)))
        .await;
    assert_eq!(status, 200);
    let csv = read_movement(&text);
    assert_eq!(csv.participant_rows.len(), 4);
    let s = snapshot(&app, 2).await;
    let art1 = s.movement.unwrap();
    assert_eq!(
        art1.provision("art-1").unwrap().convergence,
        Convergence::Converging
    );
}

on_both_backends! {
    movement_survives_the_background_computation_case => movement_survives_the_background_computation;
}
