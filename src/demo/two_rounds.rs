//! The demo of rounds that build on one another: round 1 on the discussion
//! draft, closed, answered by synthetic participants of every group and by
//! the demo participant, with the organizers' responses and its report
//! published; round 2 on a revised draft (articles unchanged, changed, one
//! removed, one new), open for 30 days and following round 1. Signed in as
//! the demo participant, a newcomer sees their round-1 answers beside the
//! revised draft and may start from them.

use super::{DRAFT, DRAFT_FR, TITLE_FR};
use crate::accounts::{self, NewUser, Role, fields::Profile};
use crate::analysis::dispositions::{self, Proposal};
use crate::analysis::{Disposition, TextKind, TextRef, access::Analysis};
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, NewConsultation};
use crate::db::schema::{positions, provisions};
use crate::db::{ConsultationId, DbConnection, UserId};
use crate::drafts::{self, import};
use crate::rounds::{self, Attribution, NewRound, Round};
use crate::submissions::{self, Disclosure, Input, NewRevision, PositionInput, RevisionAction};
use crate::submissions::{Stance, Stance::*};
use anyhow::Context;
use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

pub const SLUG: &str = "expert-rounds";
/// Signs in with the password printed once at the first start.
pub const PARTICIPANT_EMAIL: &str = "participant@polyphony.localhost";
const REVISED: &str = include_str!("additional-protocol.v2.en.md");
const REVISED_FR: &str = include_str!("additional-protocol.v2.fr.md");
/// Synthetic accounts nobody can sign in to.
const NO_PASSWORD: &str = "!";
/// Participants per stakeholder group: enough for every group to count in
/// the group-balanced figures (the minimum group size is 3).
const PER_GROUP: usize = 3;
const COUNTRIES: &[&str] = &["KE", "FR", "CA", "BR", "IN", "SN", "MX", "JP", "DE"];

/// What the demo participant said in round 1, beyond "support".
const OWN_ANSWERS: &[(&str, Stance, &str)] = &[
    (
        "art-4",
        SupportWithChanges,
        "Voluntary explanations have not worked: transparency must be required, and researchers need real access to the data.",
    ),
    (
        "art-6",
        SupportWithChanges,
        "Artists must be able to refuse the use of their works to train AI systems, not only be informed of it.",
    ),
    ("art-7", Support, ""),
    ("art-9", Support, ""),
];

const RESPONSES: &[(&str, &str)] = &[
    (
        "art-4",
        "Every group but the platforms asked for binding transparency; the platforms asked for safeguards. \
         The revised Article 4 requires plain-language explanations from platforms with a significant audience \
         and opens data to vetted researchers under safeguards for personal data and trade secrets.",
    ),
    (
        "art-6",
        "Artists' organizations asked for consent, not information. The revised Article 6 gives artists the \
         right to consent to, and be paid for, the training of AI systems on their works.",
    ),
    (
        "art-7",
        "Platforms and the technical community feared that small services would be caught. The revised \
         Article 7 sets thresholds that spare small and emerging services.",
    ),
    (
        "art-9",
        "Several participants found Article 9 redundant with Articles 8 and 11: it is removed.",
    ),
];

/// Whether the demo of two rounds is there already.
pub fn loaded(conn: &mut DbConnection) -> QueryResult<bool> {
    consultations::exists(conn, SLUG)
}

/// Loads the demo of two rounds; the demo participant gets
/// `participant_hash` (their account is made only if the address is free).
/// Returns whether the demo participant was made.
pub fn load(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
    participant_hash: &str,
) -> anyhow::Result<bool> {
    crate::db::write_transaction(conn, |conn| {
        let id = consultations::create(
            conn,
            &NewConsultation {
                slug: SLUG,
                title: "Additional Protocol: expert rounds",
                summary: "Two rounds on the same Protocol: the report of round 1 is published, and \
                          round 2 comments on a draft revised in its light. Participants of round 2 see \
                          their own round-1 answers, the result by stakeholder group and the organizers' \
                          response beside each article.",
                locale: Locale::En,
                eligible_groups: StakeholderGroup::ALL,
            },
            None,
            now,
        )?
        .context("the demo of two rounds has its slug taken")?;
        consultations::set_translation(
            conn,
            id,
            &format!("{TITLE_FR} : cycles d’experts"),
            "Deux cycles sur le même Protocole : le rapport du cycle 1 est publié, et le cycle 2 \
             porte sur un projet révisé à sa lumière. Les participants au cycle 2 voient, à côté de \
             chaque article, leurs propres réponses au cycle 1, le résultat par groupe de parties \
             prenantes et la réponse des organisateurs.",
        )?;
        let organizer = user(
            conn,
            "secretariat@demo.invalid",
            NO_PASSWORD,
            (
                "Demo secretariat",
                "Polyphony demo",
                StakeholderGroup::Intergovernmental,
                "FR",
            ),
            Role::Organizer,
            now,
        )?
        .context("the demo secretariat's address is taken")?;
        let first = version(conn, id, DRAFT, DRAFT_FR, now - Duration::days(50))?;
        let round_1 = round(
            conn,
            id,
            &first,
            now - Duration::days(45),
            now - Duration::days(15),
        )?;
        let own = answer_round_1(conn, &round_1, participant_hash, now - Duration::days(30))?;
        let made = own.is_some();
        publish_round_1(conn, &round_1, organizer, own, now - Duration::days(14))?;
        let revised = version(conn, id, REVISED, REVISED_FR, now - Duration::days(2))?;
        let round_2 = round(conn, id, &revised, now, now + Duration::days(30))?;
        // Answers to round 1's responses are taken while round 2 is open;
        // nobody is e-mailed (the demo participant reads it on their page).
        crate::answers::open_quietly(conn, round_1.id, now + Duration::days(30), now)?;
        answer_round_2(conn, &round_2, now)?;
        Ok(made)
    })
}

/// What the demo of two rounds did: nothing when it was there already.
pub enum Loaded {
    AlreadyThere,
    /// With the demo participant's e-mail and one-time passphrase, unless an
    /// account had that address already.
    Now(Option<(String, String)>),
}

/// Loads the demo of two rounds unless it is there already, giving the demo
/// participant a passphrase of their own.
pub fn load_once(conn: &mut DbConnection, now: PrimitiveDateTime) -> anyhow::Result<Loaded> {
    if loaded(conn)? {
        return Ok(Loaded::AlreadyThere);
    }
    let password = accounts::passwords::generate();
    let hash = accounts::passwords::hash(&password).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let made = load(conn, now, &hash)?;
    Ok(Loaded::Now(
        made.then(|| (PARTICIPANT_EMAIL.to_string(), password)),
    ))
}

fn version(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    english: &str,
    french: &str,
    at: PrimitiveDateTime,
) -> anyhow::Result<drafts::DraftVersion> {
    let draft = import::parse(english, 2)?;
    let version = drafts::store(conn, consultation, &draft, english, Locale::En, None, at)?;
    let provisions = drafts::provisions_of(conn, version.id)?;
    let divisions = drafts::divisions_of(conn, version.id)?;
    let translation = drafts::translation::parse(french, 2, &provisions, &divisions)?;
    drafts::translation::store(conn, &version, &translation, french)?;
    Ok(version)
}

fn round(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    version: &drafts::DraftVersion,
    opens_at: PrimitiveDateTime,
    closes_at: PrimitiveDateTime,
) -> QueryResult<Round> {
    let new = NewRound {
        consultation,
        draft_version: version.id,
        opens_at,
        closes_at,
        attribution: Attribution::Open,
        announce: true,
        counting: rounds::Counting::PerPerson,
    };
    rounds::create(conn, &new, None, opens_at)
}

/// An account, unless its address is taken.
fn user(
    conn: &mut DbConnection,
    email: &str,
    password_hash: &str,
    (name, organization, group, country): (&str, &str, StakeholderGroup, &'static str),
    role: Role,
    now: PrimitiveDateTime,
) -> QueryResult<Option<UserId>> {
    if accounts::find_by_email(conn, email)?.is_some() {
        return Ok(None);
    }
    let profile = Profile {
        display_name: name.into(),
        organization: organization.into(),
        group,
        country,
        locale: Locale::En,
    };
    let id = accounts::insert(
        conn,
        &NewUser {
            email,
            password_hash,
            profile: &profile,
            role,
            email_verified: true,
        },
        now,
    )?;
    Ok(Some(id))
}

/// How a synthetic participant of `group` stands on article `n`: platforms
/// resist the binding articles, the others mostly support with a few asking
/// for changes, so that the figures differ by group.
fn stance(group: StakeholderGroup, participant: usize, n: usize) -> Stance {
    use StakeholderGroup::*;
    let resists = match group {
        Platform => [4, 5, 7].contains(&n),
        Technical => n == 7,
        _ => false,
    };
    let asks_changes = match group {
        Platform => n == 6,
        CivilSociety | Academia | Technical => n == 4,
        Individual => n == 5,
        Government => n == 7,
        Intergovernmental => false,
    };
    match (resists, asks_changes, (participant + n) % 3) {
        (true, _, 0) => SupportWithChanges,
        (true, _, _) => Oppose,
        (_, true, _) => SupportWithChanges,
        (_, _, 0) if n == 9 => NoPosition,
        _ => Support,
    }
}

fn submit(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[drafts::Provision],
    participant: UserId,
    input: &Input,
    at: PrimitiveDateTime,
) -> QueryResult<submissions::Saved> {
    let user = accounts::find(conn, participant)?;
    let change = NewRevision::new(RevisionAction::Submit, at);
    submissions::save(
        conn,
        round,
        provisions,
        submissions::Owner::Person { member: false },
        &user,
        input,
        &change,
    )
}

/// Round 2: the revised Article 7 spares small services, and the platforms
/// and the technical community who resisted it move towards it; elsewhere
/// everyone stands where they stood (a new article is mostly supported).
fn stance_2(group: StakeholderGroup, participant: usize, n: usize) -> Stance {
    match (group, n, participant) {
        (StakeholderGroup::Platform | StakeholderGroup::Technical, 7, 0) => Oppose,
        (StakeholderGroup::Platform | StakeholderGroup::Technical, 7, _) => SupportWithChanges,
        _ => stance(group, participant, n),
    }
}

/// A synthetic participant's anonymous answer: `stance` of each article's
/// number, nothing else.
fn anonymous_stances(provisions: &[drafts::Provision], stance: impl Fn(usize) -> Stance) -> Input {
    Input {
        disclosure: Some(Disclosure::Anonymous),
        general_comment: String::new(),
        positions: provisions
            .iter()
            .map(|p| {
                let position = PositionInput {
                    stance: Some(stance(article(p))),
                    ..Default::default()
                };
                (p.provision_key.clone(), position)
            })
            .collect(),
    }
}

fn article(p: &drafts::Provision) -> usize {
    p.provision_key
        .trim_start_matches("art-")
        .parse::<usize>()
        .unwrap_or(0)
}

/// Every synthetic participant of round 1 has answered round 2 already, so
/// that its report, once published, shows how stances moved.
fn answer_round_2(
    conn: &mut DbConnection,
    round: &Round,
    at: PrimitiveDateTime,
) -> anyhow::Result<()> {
    let provisions = drafts::provisions_of(conn, round.draft_version_id)?;
    for (g, group) in StakeholderGroup::ALL.iter().enumerate() {
        for i in 0..PER_GROUP {
            let email = format!("demo-{}@demo.invalid", g * PER_GROUP + i);
            let Some(user) = accounts::find_by_email(conn, &email)? else {
                continue;
            };
            let input = anonymous_stances(&provisions, |n| stance_2(*group, i, n));
            submit(conn, round, &provisions, user.id, &input, at)?;
        }
    }
    Ok(())
}

/// Round 1's answers; the demo participant's submission when they were made.
fn answer_round_1(
    conn: &mut DbConnection,
    round: &Round,
    participant_hash: &str,
    at: PrimitiveDateTime,
) -> anyhow::Result<Option<submissions::Saved>> {
    let provisions = drafts::provisions_of(conn, round.draft_version_id)?;
    for (g, group) in StakeholderGroup::ALL.iter().enumerate() {
        for i in 0..PER_GROUP {
            let n = g * PER_GROUP + i;
            let email = format!("demo-{n}@demo.invalid");
            let name = format!("Demo participant {}", n + 1);
            let organization = format!("Demo organization {}", n + 1);
            let country = COUNTRIES[n % COUNTRIES.len()];
            let details = (name.as_str(), organization.as_str(), *group, country);
            let Some(id) = user(conn, &email, NO_PASSWORD, details, Role::Participant, at)? else {
                continue;
            };
            let input = anonymous_stances(&provisions, |n| stance(*group, i, n));
            submit(conn, round, &provisions, id, &input, at)?;
        }
    }
    let details = (
        "Amina Demo",
        "Kenya Arts Coalition (demo)",
        StakeholderGroup::CivilSociety,
        "KE",
    );
    let own = user(
        conn,
        PARTICIPANT_EMAIL,
        participant_hash,
        details,
        Role::Participant,
        at,
    )?;
    let Some(own) = own else {
        return Ok(None);
    };
    let input = Input {
        disclosure: Some(Disclosure::Attributed),
        general_comment: String::new(),
        positions: provisions
            .iter()
            .map(|p| {
                let given = OWN_ANSWERS
                    .iter()
                    .find(|(key, _, _)| *key == p.provision_key);
                let position = PositionInput {
                    stance: Some(given.map_or(Support, |g| g.1)),
                    comment: given.map_or("", |g| g.2).to_string(),
                    ..Default::default()
                };
                (p.provision_key.clone(), position)
            })
            .collect(),
    };
    Ok(Some(submit(conn, round, &provisions, own, &input, at)?))
}

/// The organizers' responses, a disposition of the demo participant's
/// comment on Article 4, and the report.
fn publish_round_1(
    conn: &mut DbConnection,
    round: &Round,
    organizer: UserId,
    own: Option<submissions::Saved>,
    at: PrimitiveDateTime,
) -> anyhow::Result<()> {
    for (key, response) in RESPONSES {
        crate::reports::set_response(conn, round, key, response, organizer, at)?;
    }
    if let Some(own) = own {
        let position: i64 = positions::table
            .inner_join(provisions::table)
            .filter(positions::submission_id.eq(own.id))
            .filter(provisions::provision_key.eq("art-4"))
            .select(positions::id)
            .first(conn)?;
        let proposal = Proposal {
            disposition: Disposition::PartlyAccepted,
            reason:
                "The revised Article 4 requires explanations from platforms with a significant \
                     audience; access to data comes with safeguards."
                    .into(),
        };
        let text = TextRef {
            kind: TextKind::Position,
            id: position,
        };
        let _ = dispositions::record(
            conn,
            round,
            text,
            Analysis::Organizer,
            &proposal,
            organizer,
            at,
        )?;
    }
    crate::reports::freeze(conn, round, "", organizer, at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_revised_draft_keeps_changes_removes_and_adds_articles() {
        let before = import::parse(DRAFT, 2).unwrap();
        let after = import::parse(REVISED, 2).unwrap();
        let fr = import::parse(REVISED_FR, 2).unwrap();
        let keys = |d: &import::ParsedDraft| -> Vec<String> {
            d.provisions.iter().map(|p| p.key.clone()).collect()
        };
        assert_eq!(keys(&after), keys(&fr));
        assert!(keys(&before).contains(&"art-9".to_string()));
        assert!(!keys(&after).contains(&"art-9".to_string()));
        assert!(keys(&after).contains(&"art-13".to_string()));
        let body = |d: &import::ParsedDraft, k: &str| {
            d.provisions
                .iter()
                .find(|p| p.key == k)
                .map(|p| p.body.clone())
        };
        assert_eq!(body(&before, "art-1"), body(&after, "art-1"));
        assert_ne!(body(&before, "art-4"), body(&after, "art-4"));
    }

    #[test]
    fn platforms_resist_the_binding_articles_and_the_others_mostly_support() {
        use StakeholderGroup::*;
        let oppose = |g| {
            (0..PER_GROUP)
                .filter(|i| stance(g, *i, 7) == Oppose)
                .count()
        };
        assert!(oppose(Platform) >= 2);
        assert_eq!(oppose(CivilSociety), 0);
        assert_eq!(stance(Government, 0, 1), Support);
    }
}
