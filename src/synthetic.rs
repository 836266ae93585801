//! Large, realistic data for benchmarks: participants in groups of very
//! different sizes, positions that differ by group, a few mass campaigns,
//! some confidential and some withdrawn submissions.

use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, submissions, users};
use crate::db::{DbConnection, RoundId, SubmissionId, UserId};
use crate::drafts::Provision;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::PrimitiveDateTime;

/// Participants per transaction. A multi-row insert binds one parameter per
/// column and row: 2,000 users (13 columns) or submissions (15) stay under
/// SQLite's 32,766 parameters, and so do `POSITION_ROWS` positions (5).
const BATCH: usize = 2_000;
const POSITION_ROWS: usize = 6_000;

/// Share of participants per group, in per mille: civil society and
/// individuals dominate by volume, governments are few.
const GROUPS: &[(StakeholderGroup, u32)] = &[
    (StakeholderGroup::CivilSociety, 400),
    (StakeholderGroup::Individual, 250),
    (StakeholderGroup::Academia, 120),
    (StakeholderGroup::Platform, 80),
    (StakeholderGroup::Technical, 70),
    (StakeholderGroup::Government, 60),
    (StakeholderGroup::Intergovernmental, 20),
];

const COUNTRIES: &[&str] = &[
    "CA", "FR", "KE", "BR", "IN", "DE", "SN", "MX", "JP", "AU", "ZA", "US", "CI", "BE", "CH",
];

const CAMPAIGNS: &[&str] = &[
    "Protect local creators: every platform must show how it ranks local music, films and books, and pay artists fairly for every stream.",
    "Keep the internet open. This protocol must not let governments decide what we can watch or read online.",
];

#[derive(Insertable)]
#[diesel(table_name = users)]
#[diesel(treat_none_as_default_value = false)]
struct NewUser {
    email: String,
    password_hash: &'static str,
    display_name: String,
    organization: String,
    stakeholder_group: &'static str,
    country: &'static str,
    locale: &'static str,
    role: &'static str,
    notify_rounds: bool,
    email_verified_at: Option<PrimitiveDateTime>,
    affiliation_verified_at: Option<PrimitiveDateTime>,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = submissions)]
#[diesel(treat_none_as_default_value = false)]
struct NewSubmission {
    round_id: RoundId,
    participant_id: UserId,
    status: &'static str,
    disclosure: &'static str,
    general_comment: String,
    display_name: String,
    organization: String,
    stakeholder_group: &'static str,
    country: &'static str,
    affiliation_verified: bool,
    receipt_code: Option<String>,
    revision: i32,
    submitted_at: Option<PrimitiveDateTime>,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = positions)]
#[diesel(treat_none_as_default_value = false)]
struct NewPosition {
    submission_id: SubmissionId,
    provision_id: crate::db::ProvisionId,
    stance: Option<&'static str>,
    comment: String,
    proposed_text: String,
}

fn pick_group(rng: &mut StdRng) -> StakeholderGroup {
    let mut n = rng.random_range(0..1000);
    for (g, w) in GROUPS {
        if n < *w {
            return *g;
        }
        n -= w;
    }
    StakeholderGroup::Individual
}

/// Each group leans its own way on each provision, so figures differ by group.
fn pick_stance(rng: &mut StdRng, group: StakeholderGroup, provision: usize) -> &'static str {
    let lean = (group as usize * 7 + provision * 3) % 10;
    let r = rng.random_range(0..10);
    match (r + lean) % 10 {
        0..=3 => "support",
        4..=5 => "support_with_changes",
        6..=8 => "oppose",
        _ => "no_position",
    }
}

/// Adds `count` synthetic participants, each with a submission to `round`;
/// returns how many submissions were made.
pub fn seed(
    conn: &mut DbConnection,
    round: RoundId,
    provisions: &[Provision],
    count: usize,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    let mut rng = StdRng::seed_from_u64(7);
    let start: i64 = users::table.count().get_result(conn)?;
    let mut made = 0;
    while made < count {
        let n = BATCH.min(count - made);
        let profiles: Vec<(StakeholderGroup, &'static str, bool)> = (0..n)
            .map(|_| {
                (
                    pick_group(&mut rng),
                    COUNTRIES[rng.random_range(0..COUNTRIES.len())],
                    rng.random_range(0..10) < 2,
                )
            })
            .collect();
        let new_users: Vec<NewUser> = profiles
            .iter()
            .enumerate()
            .map(|(i, (g, country, verified))| NewUser {
                email: format!("synthetic-{}@example.invalid", start + (made + i) as i64),
                password_hash: "!",
                display_name: format!("Participant {}", made + i),
                organization: format!("Organization {}", (made + i) % 997),
                stakeholder_group: g.as_str(),
                country,
                locale: if i % 3 == 0 { "fr" } else { "en" },
                role: "participant",
                notify_rounds: false,
                email_verified_at: Some(now),
                affiliation_verified_at: verified.then_some(now),
                created_at: now,
                updated_at: now,
            })
            .collect();
        crate::db::write_transaction(conn, |conn| -> QueryResult<()> {
            let ids: Vec<UserId> =
                crate::per_backend!(conn, |c| diesel::insert_into(users::table)
                    .values(&new_users)
                    .returning(users::id)
                    .get_results(c))?;
            let subs: Vec<NewSubmission> = ids
                .iter()
                .zip(&profiles)
                .enumerate()
                .map(|(i, (id, (g, country, verified)))| {
                    let r = rng.random_range(0..100);
                    let status = if r < 2 { "withdrawn" } else { "submitted" };
                    let disclosure = match rng.random_range(0..20) {
                        0 => "confidential",
                        1..=6 => "attributed",
                        7..=9 => "organization",
                        _ => "anonymous",
                    };
                    NewSubmission {
                        round_id: round,
                        participant_id: *id,
                        status,
                        disclosure,
                        general_comment: if i % 10 == 0 {
                            "Thank you for consulting us.".into()
                        } else {
                            String::new()
                        },
                        display_name: new_users[i].display_name.clone(),
                        organization: new_users[i].organization.clone(),
                        stakeholder_group: g.as_str(),
                        country,
                        affiliation_verified: *verified,
                        receipt_code: Some(crate::submissions::new_receipt_code()),
                        revision: 1,
                        submitted_at: Some(now),
                        created_at: now,
                        updated_at: now,
                    }
                })
                .collect();
            let sub_ids: Vec<SubmissionId> =
                crate::per_backend!(conn, |c| diesel::insert_into(submissions::table)
                    .values(&subs)
                    .returning(submissions::id)
                    .get_results(c))?;
            let mut rows = Vec::with_capacity(sub_ids.len() * provisions.len());
            for (sub, (g, _, _)) in sub_ids.iter().zip(&profiles) {
                for (k, p) in provisions.iter().enumerate() {
                    let campaign = *g == StakeholderGroup::CivilSociety
                        && k == 1
                        && rng.random_range(0..100) < 15;
                    let comment = if campaign {
                        CAMPAIGNS[rng.random_range(0..CAMPAIGNS.len())].to_string()
                    } else if rng.random_range(0..100) < 8 {
                        format!(
                            "Comment {} on {}: the wording should be clearer about obligations.",
                            sub.0, p.provision_key
                        )
                    } else {
                        String::new()
                    };
                    rows.push(NewPosition {
                        submission_id: *sub,
                        provision_id: p.id,
                        stance: Some(pick_stance(&mut rng, *g, k)),
                        comment,
                        proposed_text: String::new(),
                    });
                }
            }
            insert_positions(conn, &rows)
        })?;
        made += n;
    }
    // PostgreSQL plans from statistics that only ANALYZE (or autovacuum, which
    // may be off) gathers: a bulk load leaves them saying the new round is
    // empty, and the report's joins would then be planned for one row.
    if let DbConnection::Postgresql(c) = conn {
        c.batch_execute("ANALYZE users, submissions, positions")?;
    }
    Ok(made)
}

/// A stance one step nearer support for some, further for a few: how a
/// panel moves between rounds.
fn moved(rng: &mut StdRng, stance: &str) -> &'static str {
    let r = rng.random_range(0..100);
    match stance {
        "oppose" if r < 25 => "support_with_changes",
        "no_position" if r < 25 => "support",
        "support_with_changes" if r < 10 => "support",
        "support" if r < 5 => "oppose",
        "support" => "support",
        "support_with_changes" => "support_with_changes",
        "no_position" => "no_position",
        _ => "oppose",
    }
}

/// Submissions to `round` (which follows `earlier`) from `percent` of the
/// participants who submitted to `earlier`, with the profile and disclosure
/// they gave there and their stances moved (see `moved`) on the provisions
/// both drafts share; returns how many.
pub fn seed_follow_up(
    conn: &mut DbConnection,
    earlier: RoundId,
    round: RoundId,
    provisions: &[Provision],
    percent: u32,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    type Earlier = (
        SubmissionId,
        UserId,
        String,
        String,
        String,
        String,
        String,
        bool,
    );
    let mut rng = StdRng::seed_from_u64(11);
    let by_key: std::collections::HashMap<&str, &Provision> = provisions
        .iter()
        .map(|p| (p.provision_key.as_str(), p))
        .collect();
    let (mut after, mut made) = (SubmissionId(0), 0);
    loop {
        let page: Vec<Earlier> = submissions::table
            .filter(submissions::round_id.eq(earlier))
            .filter(submissions::status.eq("submitted"))
            .filter(submissions::id.gt(after))
            .order(submissions::id.asc())
            .limit(BATCH as i64)
            .select((
                submissions::id,
                submissions::participant_id,
                submissions::display_name,
                submissions::organization,
                submissions::stakeholder_group,
                submissions::country,
                submissions::disclosure,
                submissions::affiliation_verified,
            ))
            .load(conn)?;
        let Some(last) = page.last() else { break };
        after = last.0;
        let page: Vec<Earlier> = page
            .into_iter()
            .filter(|_| rng.random_range(0..100) < percent)
            .collect();
        let ids: Vec<SubmissionId> = page.iter().map(|e| e.0).collect();
        let stances: Vec<(SubmissionId, String, Option<String>)> = positions::table
            .inner_join(crate::db::schema::provisions::table)
            .filter(positions::submission_id.eq_any(&ids))
            .select((
                positions::submission_id,
                crate::db::schema::provisions::provision_key,
                positions::stance,
            ))
            .load(conn)?;
        let subs: Vec<NewSubmission> = page
            .iter()
            .map(
                |(_, participant, name, organization, group, country, disclosure, verified)| {
                    NewSubmission {
                        round_id: round,
                        participant_id: *participant,
                        status: "submitted",
                        disclosure: match disclosure.as_str() {
                            "confidential" => "confidential",
                            "attributed" => "attributed",
                            "organization" => "organization",
                            _ => "anonymous",
                        },
                        general_comment: String::new(),
                        display_name: name.clone(),
                        organization: organization.clone(),
                        stakeholder_group: StakeholderGroup::parse(group)
                            .unwrap_or(StakeholderGroup::Individual)
                            .as_str(),
                        country: COUNTRIES
                            .iter()
                            .find(|c| **c == country.as_str())
                            .unwrap_or(&"FR"),
                        affiliation_verified: *verified,
                        receipt_code: Some(crate::submissions::new_receipt_code()),
                        revision: 1,
                        submitted_at: Some(now),
                        created_at: now,
                        updated_at: now,
                    }
                },
            )
            .collect();
        crate::db::write_transaction(conn, |conn| -> QueryResult<()> {
            let new_ids: Vec<SubmissionId> =
                crate::per_backend!(conn, |c| diesel::insert_into(submissions::table)
                    .values(&subs)
                    .returning(submissions::id)
                    .get_results(c))?;
            let new_id: std::collections::HashMap<SubmissionId, SubmissionId> =
                ids.iter().copied().zip(new_ids).collect();
            let rows: Vec<NewPosition> = stances
                .iter()
                .filter_map(|(sub, key, stance)| {
                    Some(NewPosition {
                        submission_id: *new_id.get(sub)?,
                        provision_id: by_key.get(key.as_str())?.id,
                        stance: Some(moved(&mut rng, stance.as_deref()?)),
                        comment: String::new(),
                        proposed_text: String::new(),
                    })
                })
                .collect();
            insert_positions(conn, &rows)
        })?;
        made += subs.len();
    }
    if let DbConnection::Postgresql(c) = conn {
        c.batch_execute("ANALYZE submissions, positions")?;
    }
    Ok(made)
}

fn insert_positions(conn: &mut DbConnection, rows: &[NewPosition]) -> QueryResult<()> {
    match conn {
        // COPY: a million submissions' 12 million positions took
        // most of the benchmark's seven minutes of seeding as INSERTs.
        DbConnection::Postgresql(c) => {
            diesel::copy_from(positions::table)
                .from_insertable(rows)
                .execute(c)?;
        }
        DbConnection::Sqlite(c) => {
            for chunk in rows.chunks(POSITION_ROWS) {
                diesel::insert_into(positions::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// One pre-made writer for the write benchmark: a verified participant with
/// an open session, so load generators can submit without signing in.
pub struct Writer {
    pub user: UserId,
    pub session_token: String,
}

/// Adds `count` verified participants who have not answered yet, each with a
/// session (stored hashed, as a sign-in would).
pub fn writers(
    conn: &mut DbConnection,
    count: usize,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<Writer>> {
    use crate::accounts::tokens;
    use crate::db::schema::sessions;
    let mut rng = StdRng::seed_from_u64(11);
    let start: i64 = users::table.count().get_result(conn)?;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let n = BATCH.min(count - out.len());
        let base = start + out.len() as i64;
        let new_users: Vec<NewUser> = (0..n)
            .map(|i| {
                let g = pick_group(&mut rng);
                NewUser {
                    email: format!("writer-{}@example.invalid", base + i as i64),
                    password_hash: "!",
                    display_name: format!("Writer {}", base + i as i64),
                    organization: format!("Organization {}", i % 97),
                    stakeholder_group: g.as_str(),
                    country: COUNTRIES[rng.random_range(0..COUNTRIES.len())],
                    locale: "en",
                    role: "participant",
                    notify_rounds: false,
                    email_verified_at: Some(now),
                    affiliation_verified_at: None,
                    created_at: now,
                    updated_at: now,
                }
            })
            .collect();
        let tokens: Vec<String> = (0..n).map(|_| tokens::generate()).collect();
        let ids = crate::db::write_transaction(conn, |conn| -> QueryResult<Vec<UserId>> {
            let ids: Vec<UserId> =
                crate::per_backend!(conn, |c| diesel::insert_into(users::table)
                    .values(&new_users)
                    .returning(users::id)
                    .get_results(c))?;
            let rows: Vec<_> = ids
                .iter()
                .zip(&tokens)
                .map(|(id, token)| {
                    (
                        sessions::token_hash.eq(tokens::hash(token)),
                        sessions::user_id.eq(*id),
                        sessions::created_at.eq(now),
                        sessions::expires_at.eq(now + crate::accounts::sessions::LIFETIME),
                    )
                })
                .collect();
            crate::per_backend!(conn, |c| diesel::insert_into(sessions::table)
                .values(&rows)
                .execute(c))?;
            Ok(ids)
        })?;
        out.extend(
            ids.into_iter()
                .zip(tokens)
                .map(|(user, session_token)| Writer {
                    user,
                    session_token,
                }),
        );
    }
    Ok(out)
}

/// A complete "submit" form for `provisions`, varied by `seed`, without the
/// CSRF token.
pub fn submit_form(provisions: &[Provision], seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let group = pick_group(&mut rng);
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("action", "submit");
    form.append_pair("disclosure", "anonymous");
    for (k, p) in provisions.iter().enumerate() {
        form.append_pair(
            &format!("stance[{}]", p.provision_key),
            pick_stance(&mut rng, group, k),
        );
        let comment = if rng.random_range(0..100) < 8 {
            "The wording should be clearer about obligations."
        } else {
            ""
        };
        form.append_pair(&format!("comment[{}]", p.provision_key), comment);
        form.append_pair(&format!("proposed_text[{}]", p.provision_key), "");
    }
    form.append_pair("general_comment", "");
    form.finish()
}

const ROMAN: [&str; 8] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"];

/// The tests' and benchmarks' long draft: a regulation of 100 articles in two
/// parts, eight chapters (the second chapter with two sections), an annex and
/// a preamble; articles as `#####`. In French, `first` is how Article 1 is
/// written and `last` replaces Article 100.
pub fn regulation(french: bool, first: &str, last: u32) -> String {
    let mut md = if french {
        "# Règlement sur les plateformes\n\nLes Parties,\n\n## Considérants\n\n(1) Considérant que la diversité importe.\n\n"
            .to_string()
    } else {
        "# Regulation on platforms\n\nThe Parties,\n\n## Recitals\n\n(1) Whereas diversity matters.\n\n".to_string()
    };
    let mut article = 0;
    for (c, roman) in ROMAN.iter().enumerate() {
        if c % 4 == 0 {
            let part = ROMAN[c / 4];
            md += &if french {
                format!("## PARTIE {part} — Partie {part}\n\n")
            } else {
                format!("## PART {part} — Part {part}\n\n")
            };
        }
        md += &if french {
            format!("### CHAPITRE {roman} — Chapitre {roman}\n\n")
        } else {
            format!("### CHAPTER {roman} — Chapter {roman}\n\n")
        };
        for i in 0..12 + usize::from(c < 4) {
            if c == 1 && (i == 0 || i == 6) {
                let n = i / 6 + 1;
                md += &format!("#### Section {n} — S{n}\n\nSection text.\n\n");
            }
            article += 1;
            let label = match (french, article) {
                (true, 1) => format!("Article {first}"),
                (true, 100) => format!("Article {last}"),
                (true, n) => format!("Article {n}"),
                (false, n) => format!("Article {n}"),
            };
            md += &format!("##### {label} — Heading {article}\n\nBody of article {article}.\n\n");
        }
    }
    md += if french {
        "## Annexe I — Liste\n\n##### Annexe I — Liste des mesures {#annex-i-list}\n\n1. Une mesure.\n"
    } else {
        "## Annex I — List\n\n##### Annex I — List of measures {#annex-i-list}\n\n1. A measure.\n"
    };
    md
}
