//! Public reports: figures by stakeholder group, campaigns, the organizers'
//! responses and the published comments, frozen in an immutable snapshot at
//! publication. The pure parts (figures, campaigns, charts) take plain rows so
//! the methodology can be tested without a database.

pub mod campaigns;
pub mod chart;
pub mod figures;

use crate::accounts::countries;
use crate::audit;
use crate::codes::StakeholderGroup;
use crate::consultations::Consultation;
use crate::db::schema::{
    positions, provision_responses, provisions, reports, rounds as round_table, submissions,
};
use crate::db::{DbConnection, PositionId, RoundId, UserId};
use crate::drafts::{self, Provision};
use crate::error::AppError;
use crate::markdown;
use crate::notifications::{Notifier, schedule};
use crate::rounds::{ActionRefused, Attribution, Round, RoundState};
use crate::submissions::{Disclosure, Stance};
use diesel::prelude::*;
use figures::{CountRow, ProvisionFigures};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use time::PrimitiveDateTime;
use time::format_description::well_known::Rfc3339;

/// Near-duplicate comments at or above this word-shingle Jaccard similarity
/// are one campaign.
pub const CAMPAIGN_THRESHOLD: f64 = 0.8;
pub const CAMPAIGN_MIN_SIZE: usize = 3;

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct GroupCount {
    pub group: StakeholderGroup,
    pub count: i64,
    pub verified: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct PlaceCount {
    pub code: String,
    pub count: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct Participation {
    pub submissions: i64,
    pub verified: i64,
    pub in_campaigns: i64,
    pub by_group: Vec<GroupCount>,
    pub by_country: Vec<PlaceCount>,
    pub by_region: Vec<PlaceCount>,
}

/// A published text with only the attribution its author's disclosure (and
/// the round's policy) allows.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct PublishedComment {
    pub position_id: Option<PositionId>,
    pub name: Option<String>,
    pub organization: Option<String>,
    pub group: Option<StakeholderGroup>,
    pub country: Option<String>,
    pub stance: Option<Stance>,
    pub comment: String,
    pub proposed_text: String,
    pub hidden_reason: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ProvisionReport {
    pub key: String,
    pub label: String,
    pub heading: String,
    pub body: String,
    pub figures: ProvisionFigures,
    pub response: Option<String>,
    pub campaigns: Vec<campaigns::Campaign>,
    pub comments: Vec<PublishedComment>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Snapshot {
    pub version: i32,
    pub note: String,
    pub published_at: String,
    pub consultation_slug: String,
    pub consultation_title: String,
    pub round: i32,
    pub opens_at: String,
    pub closes_at: String,
    pub attribution: Attribution,
    pub min_group_size: i64,
    pub campaign_threshold: f64,
    pub participation: Participation,
    pub provisions: Vec<ProvisionReport>,
    pub general_comments: Vec<PublishedComment>,
}

fn rfc3339(t: PrimitiveDateTime) -> String {
    t.assume_utc().format(&Rfc3339).unwrap_or_default()
}

fn region_of(country: &str) -> String {
    countries::find(country)
        .map_or("unknown", |c| c.region)
        .to_string()
}

/// Counts per (provision, group, verified, stance): one GROUP BY query.
fn count_rows(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<CountRow>> {
    let rows: Vec<(String, String, bool, Option<String>, i64)> = positions::table
        .inner_join(submissions::table)
        .inner_join(provisions::table)
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(positions::stance.is_not_null())
        .group_by((
            provisions::provision_key,
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            positions::stance,
        ))
        .select((
            provisions::provision_key,
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            positions::stance,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, group, verified, stance, count)| {
            Some(CountRow {
                provision_key: key,
                group: StakeholderGroup::parse(&group)?,
                verified,
                stance: Stance::parse(stance.as_deref()?)?,
                count,
            })
        })
        .collect())
}

/// Participation by group, verification and country: one GROUP BY query.
fn participation(conn: &mut DbConnection, round: RoundId) -> QueryResult<Participation> {
    let rows: Vec<(String, bool, String, i64)> = submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .group_by((
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            submissions::country,
        ))
        .select((
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            submissions::country,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut p = Participation::default();
    let mut by_group: BTreeMap<StakeholderGroup, (i64, i64)> = BTreeMap::new();
    let mut by_country: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_region: BTreeMap<String, i64> = BTreeMap::new();
    for (group, verified, country, count) in rows {
        p.submissions += count;
        if verified {
            p.verified += count;
        }
        if let Some(g) = StakeholderGroup::parse(&group) {
            let e = by_group.entry(g).or_default();
            e.0 += count;
            if verified {
                e.1 += count;
            }
        }
        *by_region.entry(region_of(&country)).or_default() += count;
        *by_country.entry(country).or_default() += count;
    }
    p.by_group = by_group
        .into_iter()
        .map(|(group, (count, verified))| GroupCount {
            group,
            count,
            verified,
        })
        .collect();
    let sorted = |m: BTreeMap<String, i64>| {
        let mut v: Vec<PlaceCount> = m
            .into_iter()
            .map(|(code, count)| PlaceCount { code, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        v
    };
    p.by_country = sorted(by_country);
    p.by_region = sorted(by_region);
    Ok(p)
}

type GeneralRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
);

type TextRow = (
    PositionId,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    crate::db::SubmissionId,
    String,
    String,
    String,
    String,
    String,
);

/// What may be shown next to a text: the author's disclosure choice, and
/// nothing at all under the Chatham House Rule.
fn attribute(
    attribution: Attribution,
    disclosure: Disclosure,
    name: &str,
    organization: &str,
    group: &str,
    country: &str,
) -> (
    Option<String>,
    Option<String>,
    Option<StakeholderGroup>,
    Option<String>,
) {
    if attribution == Attribution::ChathamHouse {
        return (None, None, None, None);
    }
    let group = StakeholderGroup::parse(group);
    let country = Some(country.to_string()).filter(|c| c != "ZZ");
    let org = Some(organization.to_string()).filter(|o| !o.is_empty());
    match disclosure {
        Disclosure::Attributed => (
            Some(name.to_string()).filter(|n| !n.is_empty()),
            org,
            group,
            country,
        ),
        Disclosure::Organization => (None, org, group, country),
        Disclosure::Anonymous | Disclosure::Confidential => (None, None, group, country),
    }
}

/// The figures of every provision and the participation summary: two
/// GROUP BY queries whatever the round's size (what the aggregation benchmark
/// times).
pub fn aggregate(
    conn: &mut DbConnection,
    round: &Round,
    keys_in_order: &[String],
) -> QueryResult<(Vec<ProvisionFigures>, Participation)> {
    let rows = count_rows(conn, round.id)?;
    let figures = figures::compute(keys_in_order, &rows, i64::from(round.min_group_size));
    Ok((figures, participation(conn, round.id)?))
}

/// Computes the whole report from live data (the preview, and the snapshot at
/// publication). A constant number of queries whatever the round's size.
pub fn build(
    conn: &mut DbConnection,
    consultation: &Consultation,
    round: &Round,
    version: i32,
    note: &str,
    now: PrimitiveDateTime,
) -> Result<(Snapshot, String), AppError> {
    let provisions_list = drafts::provisions_of(conn, round.draft_version_id)?;
    let keys: Vec<String> = provisions_list
        .iter()
        .map(|p| p.provision_key.clone())
        .collect();
    let min_group_size = i64::from(round.min_group_size);
    let (figures, mut participation) = aggregate(conn, round, &keys)?;
    let responses: Vec<(String, String)> = provision_responses::table
        .filter(provision_responses::round_id.eq(round.id))
        .select((
            provision_responses::provision_key,
            provision_responses::response,
        ))
        .load(conn)?;
    let attribution = round.attribution();

    // Every counted position, in provision order: the texts for the report and
    // the rows of the CSV come from this one query.
    let rows: Vec<TextRow> = positions::table
        .inner_join(submissions::table)
        .inner_join(provisions::table)
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::status.eq("submitted"))
        .filter(positions::stance.is_not_null())
        .order((provisions::ordinal.asc(), positions::id.asc()))
        .select((
            positions::id,
            provisions::provision_key,
            positions::stance,
            positions::comment,
            positions::proposed_text,
            positions::hidden_reason,
            submissions::id,
            submissions::disclosure,
            submissions::display_name,
            submissions::organization,
            submissions::stakeholder_group,
            submissions::country,
        ))
        .load(conn)?;
    let verified: HashSet<crate::db::SubmissionId> = submissions::table
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::affiliation_verified.eq(true))
        .select(submissions::id)
        .load::<crate::db::SubmissionId>(conn)?
        .into_iter()
        .collect();

    let mut csv_out = csv::Writer::from_writer(Vec::new());
    let _ = csv_out.write_record([
        "provision_key",
        "stakeholder_group",
        "country",
        "region",
        "verified",
        "stance",
        "name",
        "organization",
        "comment",
        "proposed_text",
    ]);
    let mut per_key: BTreeMap<
        String,
        Vec<(PositionId, crate::db::SubmissionId, PublishedComment)>,
    > = BTreeMap::new();
    for (
        id,
        key,
        stance,
        comment,
        proposed,
        hidden,
        submission,
        disclosure,
        name,
        org,
        group,
        country,
    ) in rows
    {
        let disclosure = Disclosure::parse(&disclosure).unwrap_or(Disclosure::Confidential);
        let publishable = disclosure != Disclosure::Confidential;
        let (a_name, a_org, _, _) =
            attribute(attribution, disclosure, &name, &org, &group, &country);
        // Under the Chatham House Rule a row's group must not sit next to its
        // words, so texts stay out of the CSV there; the report shows them bare.
        let text_in_csv =
            publishable && attribution != Attribution::ChathamHouse && hidden.is_none();
        let _ = csv_out.write_record([
            key.as_str(),
            group.as_str(),
            country.as_str(),
            region_of(&country).as_str(),
            if verified.contains(&submission) {
                "true"
            } else {
                "false"
            },
            stance.as_deref().unwrap_or(""),
            if text_in_csv {
                a_name.as_deref().unwrap_or("")
            } else {
                ""
            },
            if text_in_csv {
                a_org.as_deref().unwrap_or("")
            } else {
                ""
            },
            if text_in_csv { comment.as_str() } else { "" },
            if text_in_csv { proposed.as_str() } else { "" },
        ]);
        if !publishable || (comment.trim().is_empty() && proposed.trim().is_empty()) {
            continue;
        }
        let (name, organization, group, country) =
            attribute(attribution, disclosure, &name, &org, &group, &country);
        let published = match hidden {
            Some(reason) => PublishedComment {
                position_id: Some(id),
                name: None,
                organization: None,
                group: None,
                country: None,
                stance: None,
                comment: String::new(),
                proposed_text: String::new(),
                hidden_reason: Some(reason),
            },
            None => PublishedComment {
                position_id: Some(id),
                name,
                organization,
                group,
                country,
                stance: stance.as_deref().and_then(Stance::parse),
                comment,
                proposed_text: proposed,
                hidden_reason: None,
            },
        };
        per_key
            .entry(key)
            .or_default()
            .push((id, submission, published));
    }
    let csv_text = String::from_utf8(
        csv_out
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?,
    )
    .map_err(|e| AppError::Internal(e.into()))?;

    let mut in_campaigns: HashSet<crate::db::SubmissionId> = HashSet::new();
    let provisions_out = provisions_list
        .iter()
        .zip(figures)
        .map(|(p, figures)| {
            let list = per_key.remove(&p.provision_key).unwrap_or_default();
            let refs: Vec<campaigns::CommentRef> = list
                .iter()
                .filter(|(_, _, c)| c.hidden_reason.is_none() && !c.comment.trim().is_empty())
                .map(|(id, _, c)| campaigns::CommentRef {
                    id: id.0,
                    text: c.comment.clone(),
                    group: c.group.unwrap_or(StakeholderGroup::Individual),
                })
                .collect();
            let found = campaigns::detect(&refs, CAMPAIGN_THRESHOLD, CAMPAIGN_MIN_SIZE);
            let members: HashSet<i64> = found
                .iter()
                .flat_map(|c| c.members.iter().copied())
                .collect();
            let comments = list
                .into_iter()
                .filter_map(|(id, submission, c)| {
                    if members.contains(&id.0) {
                        in_campaigns.insert(submission);
                        // The campaign shows the text once; the copy keeps only
                        // its proposed wording, if any.
                        return (!c.proposed_text.trim().is_empty()).then(|| PublishedComment {
                            comment: String::new(),
                            ..c
                        });
                    }
                    Some(c)
                })
                .collect();
            let found = if attribution == Attribution::ChathamHouse {
                found
                    .into_iter()
                    .map(|c| campaigns::Campaign {
                        groups: vec![],
                        ..c
                    })
                    .collect()
            } else {
                found
            };
            ProvisionReport {
                key: p.provision_key.clone(),
                label: p.label.clone(),
                heading: p.heading.clone(),
                body: p.body.clone(),
                figures,
                response: responses
                    .iter()
                    .find(|(k, _)| *k == p.provision_key)
                    .map(|(_, r)| markdown::to_html(r)),
                campaigns: found,
                comments,
            }
        })
        .collect();
    participation.in_campaigns = in_campaigns.len() as i64;

    let general: Vec<GeneralRow> = submissions::table
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::disclosure.ne("confidential"))
        .filter(submissions::general_comment.ne(""))
        .order(submissions::id.asc())
        .select((
            submissions::general_comment,
            submissions::general_comment_hidden_reason,
            submissions::disclosure,
            submissions::display_name,
            submissions::organization,
            submissions::stakeholder_group,
            submissions::country,
        ))
        .load(conn)?;
    let general_comments = general
        .into_iter()
        .map(|(text, hidden, disclosure, name, org, group, country)| {
            let disclosure = Disclosure::parse(&disclosure).unwrap_or(Disclosure::Anonymous);
            let (name, organization, group, country) =
                attribute(attribution, disclosure, &name, &org, &group, &country);
            match hidden {
                Some(reason) => PublishedComment {
                    position_id: None,
                    name: None,
                    organization: None,
                    group: None,
                    country: None,
                    stance: None,
                    comment: String::new(),
                    proposed_text: String::new(),
                    hidden_reason: Some(reason),
                },
                None => PublishedComment {
                    position_id: None,
                    name,
                    organization,
                    group,
                    country,
                    stance: None,
                    comment: text,
                    proposed_text: String::new(),
                    hidden_reason: None,
                },
            }
        })
        .collect();

    Ok((
        Snapshot {
            version,
            note: note.to_string(),
            published_at: rfc3339(now),
            consultation_slug: consultation.slug.clone(),
            consultation_title: consultation.title.clone(),
            round: round.number,
            opens_at: rfc3339(round.opens_at),
            closes_at: rfc3339(round.effective_close()),
            attribution,
            min_group_size,
            campaign_threshold: CAMPAIGN_THRESHOLD,
            participation,
            provisions: provisions_out,
            general_comments,
        },
        csv_text,
    ))
}

/// Freezes the report as the round's next version, audit-logged, and tells
/// those who submitted. Only a closed (or already published) round.
pub fn publish(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    published: bool,
    note: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> Result<Result<(), ActionRefused>, AppError> {
    match round.state_at(now, published) {
        RoundState::Closed | RoundState::Published => {}
        RoundState::Open => return Ok(Err(ActionRefused::StillOpen)),
        RoundState::Draft | RoundState::Scheduled => return Ok(Err(ActionRefused::NotOpen)),
    }
    crate::db::write_transaction(conn, |conn| {
        let consultation = crate::db::schema::consultations::table
            .find(round.consultation_id)
            .select(Consultation::as_select())
            .first(conn)?;
        let latest: Option<i32> = reports::table
            .filter(reports::round_id.eq(round.id))
            .select(diesel::dsl::max(reports::version))
            .first(conn)?;
        let version = latest.unwrap_or(0) + 1;
        let (snapshot, csv_text) = build(conn, &consultation, round, version, note, now)?;
        diesel::insert_into(reports::table)
            .values((
                reports::round_id.eq(round.id),
                reports::version.eq(version),
                reports::note.eq(note),
                reports::snapshot
                    .eq(serde_json::to_string(&snapshot)
                        .map_err(|e| AppError::Internal(e.into()))?),
                reports::csv.eq(csv_text),
                reports::published_by.eq(actor),
                reports::published_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::RoundPublish,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: &format!("round {}", round.number),
                details: &format!(
                    "report version {version}{}{}",
                    if note.is_empty() { "" } else { ": " },
                    note
                ),
            },
            now,
        )?;
        schedule::report_published(conn, notifier, round, version, now)?;
        Ok(Ok(()))
    })
}

pub struct Published {
    pub version: i32,
    pub versions: Vec<i32>,
    pub snapshot: String,
    pub csv: Option<String>,
}

/// A stored version (the latest when `version` is None), as stored.
pub fn stored(
    conn: &mut DbConnection,
    round: RoundId,
    version: Option<i32>,
    with_csv: bool,
) -> QueryResult<Option<Published>> {
    let versions: Vec<i32> = reports::table
        .filter(reports::round_id.eq(round))
        .order(reports::version.asc())
        .select(reports::version)
        .load(conn)?;
    let Some(wanted) = version.or(versions.last().copied()) else {
        return Ok(None);
    };
    let row: Option<(String, Option<String>)> = if with_csv {
        reports::table
            .filter(reports::round_id.eq(round))
            .filter(reports::version.eq(wanted))
            .select((reports::snapshot, reports::csv.nullable()))
            .first(conn)
            .optional()?
    } else {
        reports::table
            .filter(reports::round_id.eq(round))
            .filter(reports::version.eq(wanted))
            .select((
                reports::snapshot,
                None::<String>.into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
            ))
            .first(conn)
            .optional()?
    };
    Ok(row.map(|(snapshot, csv)| Published {
        version: wanted,
        versions,
        snapshot,
        csv,
    }))
}

/// When each round's first report came out, for the feed.
pub fn published_times(conn: &mut DbConnection) -> QueryResult<Vec<(RoundId, PrimitiveDateTime)>> {
    reports::table
        .group_by(reports::round_id)
        .select((
            reports::round_id,
            diesel::dsl::min(reports::published_at).assume_not_null(),
        ))
        .load(conn)
}

/// The organizers' answer to a provision, shown in the report.
pub fn set_response(
    conn: &mut DbConnection,
    round: &Round,
    key: &str,
    response: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        let updated = diesel::update(
            provision_responses::table
                .filter(provision_responses::round_id.eq(round.id))
                .filter(provision_responses::provision_key.eq(key)),
        )
        .set((
            provision_responses::response.eq(response),
            provision_responses::updated_by.eq(actor),
            provision_responses::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(provision_responses::table)
                .values((
                    provision_responses::round_id.eq(round.id),
                    provision_responses::provision_key.eq(key),
                    provision_responses::response.eq(response),
                    provision_responses::updated_by.eq(actor),
                    provision_responses::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::ResponseUpdate,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: key,
                details: "",
            },
            now,
        )
    })
}

/// Hides a published text (still counted) and, when the round's report is
/// out, publishes a new version without it. Returns the round it was in.
pub fn hide(
    conn: &mut DbConnection,
    notifier: &Notifier,
    position: PositionId,
    reason: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> Result<Option<Round>, AppError> {
    crate::db::write_transaction(conn, |conn| {
        let Some(round_id) = positions::table
            .inner_join(submissions::table)
            .filter(positions::id.eq(position))
            .select(submissions::round_id)
            .first::<RoundId>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        diesel::update(positions::table.find(position))
            .set((
                positions::hidden_at.eq(now),
                positions::hidden_reason.eq(reason),
                positions::hidden_by.eq(actor),
            ))
            .execute(conn)?;
        let round: Round = round_table::table
            .find(round_id)
            .select(Round::as_select())
            .first(conn)?;
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::ModerationHide,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: &format!("position {position}"),
                details: reason,
            },
            now,
        )?;
        let published = diesel::select(diesel::dsl::exists(
            reports::table.filter(reports::round_id.eq(round.id)),
        ))
        .get_result::<bool>(conn)?;
        if published {
            let note = format!("A text was hidden by the organizers: {reason}");
            let _ = publish(conn, notifier, &round, true, &note, actor, now)?;
        }
        Ok(Some(round))
    })
}

/// The provisions of the round's draft, for pages that list them.
pub fn provisions_of(conn: &mut DbConnection, round: &Round) -> QueryResult<Vec<Provision>> {
    drafts::provisions_of(conn, round.draft_version_id)
}

#[derive(Debug, Clone, Serialize, Queryable)]
pub struct QueueItem {
    pub position_id: PositionId,
    pub consultation_slug: String,
    pub round: i32,
    pub provision_key: String,
    pub comment: String,
    pub proposed_text: String,
}

/// Texts that would be published (submitted, not confidential, not hidden) in
/// rounds whose report is not out yet, newest first: what organizers review.
pub fn moderation_queue(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<QueueItem>> {
    use crate::db::schema::consultations;
    positions::table
        .inner_join(
            submissions::table.inner_join(round_table::table.inner_join(consultations::table)),
        )
        .inner_join(provisions::table)
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::disclosure.ne("confidential"))
        .filter(positions::hidden_at.is_null())
        .filter(
            positions::comment
                .ne("")
                .or(positions::proposed_text.ne("")),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(
            reports::table.filter(reports::round_id.eq(round_table::id)),
        )))
        .order(positions::id.desc())
        .limit(limit)
        .select((
            positions::id,
            consultations::slug,
            round_table::number,
            provisions::provision_key,
            positions::comment,
            positions::proposed_text,
        ))
        .load(conn)
}
