//! Public reports: figures by stakeholder group, campaigns, the organizers'
//! responses and the published comments, frozen in an immutable snapshot at
//! publication. The pure parts (figures, campaigns, charts) take plain rows so
//! the methodology can be tested without a database.

pub mod campaigns;
pub mod chart;
pub mod figures;

use crate::accounts::countries;
use crate::audit;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::Consultation;
use crate::db::schema::{
    positions, provision_responses, provisions, report_csv_chunks, report_texts, reports,
    rounds as round_table, submissions,
};
use crate::db::{DbConnection, PositionId, ProvisionId, ReportId, RoundId, SubmissionId, UserId};
use crate::drafts::{self, Provision};
use crate::error::AppError;
use crate::markdown;
use crate::notifications::{Notifier, schedule};
use crate::rounds::{ActionRefused, Attribution, Round, RoundState};
use crate::submissions::{Disclosure, Stance};
use diesel::connection::SimpleConnection;
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
    #[serde(default)]
    pub translated_label: Option<String>,
    #[serde(default)]
    pub translated_heading: Option<String>,
    #[serde(default)]
    pub translated_body: Option<String>,
    pub figures: ProvisionFigures,
    pub response: Option<String>,
    pub campaigns: Vec<campaigns::Campaign>,
    /// How many texts are published (stored beside the snapshot, in pages).
    pub texts: i64,
    /// Of which with proposed wording.
    pub proposals: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Snapshot {
    pub version: i32,
    pub note: String,
    pub published_at: String,
    pub consultation_slug: String,
    pub consultation_title: String,
    #[serde(default)]
    pub translated_title: Option<String>,
    /// The language of the texts as written (translations are the other).
    #[serde(default)]
    pub locale: Locale,
    pub round: i32,
    pub opens_at: String,
    pub closes_at: String,
    pub attribution: Attribution,
    pub min_group_size: i64,
    pub campaign_threshold: f64,
    pub participation: Participation,
    pub provisions: Vec<ProvisionReport>,
    /// How many general comments are published.
    pub general_texts: i64,
}

fn rfc3339(t: PrimitiveDateTime) -> String {
    t.assume_utc().format(&Rfc3339).unwrap_or_default()
}

fn region_of(country: &str) -> &'static str {
    countries::find(country).map_or("unknown", |c| c.region)
}

/// Counts per (provision, group, verified, stance): one GROUP BY query, on
/// provision ids so that the rows are grouped before any key is looked up.
fn count_rows(
    conn: &mut DbConnection,
    round: RoundId,
    provisions_list: &[Provision],
) -> QueryResult<Vec<CountRow>> {
    let keys: BTreeMap<ProvisionId, &str> = provisions_list
        .iter()
        .map(|p| (p.id, p.provision_key.as_str()))
        .collect();
    let rows: Vec<(ProvisionId, String, bool, Option<String>, i64)> = positions::table
        .inner_join(submissions::table)
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(positions::stance.is_not_null())
        .group_by((
            positions::provision_id,
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            positions::stance,
        ))
        .select((
            positions::provision_id,
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            positions::stance,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(provision, group, verified, stance, count)| {
            Some(CountRow {
                provision_key: (*keys.get(&provision)?).to_string(),
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
        *by_region
            .entry(region_of(&country).to_string())
            .or_default() += count;
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

/// A counted position with what its submission allows to be published.
type PositionRow = (
    PositionId,
    Option<String>,
    String,
    String,
    Option<String>,
    SubmissionId,
    bool,
    String,
    String,
    String,
    String,
    String,
);

type GeneralRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
);

/// Name, organization, group and country, as far as they may be shown.
type Attributed = (
    Option<String>,
    Option<String>,
    Option<StakeholderGroup>,
    Option<String>,
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
) -> Attributed {
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

/// The published form of a text, with the attribution `attribute` allowed,
/// or reduced to the reason when the organizers hid it.
fn published_text(
    attributed: Attributed,
    position_id: Option<PositionId>,
    stance: Option<Stance>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
) -> PublishedComment {
    if let Some(reason) = hidden_reason {
        return PublishedComment {
            position_id,
            name: None,
            organization: None,
            group: None,
            country: None,
            stance: None,
            comment: String::new(),
            proposed_text: String::new(),
            hidden_reason: Some(reason),
        };
    }
    let (name, organization, group, country) = attributed;
    PublishedComment {
        position_id,
        name,
        organization,
        group,
        country,
        stance,
        comment,
        proposed_text,
        hidden_reason: None,
    }
}

/// A text cell a spreadsheet will not run as a formula: one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe
/// (OWASP's advice against CSV injection).
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

const CSV_HEADER: [&str; 10] = [
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
];

/// Where a report's texts and CSV rows go while it is computed: the preview
/// keeps the first few texts of each provision in memory; a publication
/// stores them all with its version, a batch at a time, so memory stays
/// bounded by one provision's texts whatever the round's size.
pub trait Output {
    fn csv_row(&mut self, conn: &mut DbConnection, record: [&str; 10]) -> Result<(), AppError>;
    /// `key` is '' for general comments; `seq` counts from 0 per key.
    fn text(
        &mut self,
        conn: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), AppError>;
    fn finish(&mut self, conn: &mut DbConnection) -> Result<(), AppError>;
    /// How many positions are read at a time: a publication keeps memory
    /// bounded; the preview reads each provision in one query so that its
    /// page runs as many queries for 10 submissions as for 100,000.
    fn rows_per_batch(&self) -> i64 {
        ROWS_PER_BATCH
    }
}

/// The preview's output: one window of one list of texts (a provision's, or
/// '' for the general comments).
pub struct Preview {
    key: String,
    offset: i32,
    limit: i32,
    pub texts: Vec<PublishedComment>,
}

impl Preview {
    pub fn new(key: &str, offset: i32, limit: i32) -> Self {
        Self {
            key: key.to_string(),
            offset,
            limit,
            texts: vec![],
        }
    }
}

impl Output for Preview {
    fn rows_per_batch(&self) -> i64 {
        i64::MAX
    }

    fn csv_row(&mut self, _: &mut DbConnection, _: [&str; 10]) -> Result<(), AppError> {
        Ok(())
    }

    fn text(
        &mut self,
        _: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), AppError> {
        if key == self.key && seq >= self.offset && seq - self.offset < self.limit {
            self.texts.push(text);
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut DbConnection) -> Result<(), AppError> {
        Ok(())
    }
}

#[derive(Insertable)]
#[diesel(table_name = report_texts)]
#[diesel(treat_none_as_default_value = false)]
struct NewText {
    report_id: ReportId,
    provision_key: String,
    seq: i32,
    position_id: Option<PositionId>,
    name: Option<String>,
    organization: Option<String>,
    stakeholder_group: Option<String>,
    country: Option<String>,
    stance: Option<String>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
}

const CSV_CHUNK_BYTES: usize = 1 << 20;
const ROWS_PER_BATCH: i64 = 2_000;
const INSERT_BATCH: usize = 500;

/// A publication's output: texts and CSV chunks stored with its version.
struct Store {
    report: ReportId,
    csv: csv::Writer<Vec<u8>>,
    chunk: i32,
    texts: Vec<NewText>,
}

impl Store {
    fn new(report: ReportId) -> Self {
        let mut csv = csv::Writer::from_writer(Vec::new());
        let _ = csv.write_record(CSV_HEADER);
        Self {
            report,
            csv,
            chunk: 0,
            texts: Vec::with_capacity(INSERT_BATCH),
        }
    }

    fn flush_csv(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let full = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        let bytes = full
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
        if bytes.is_empty() {
            return Ok(());
        }
        let data = String::from_utf8(bytes).map_err(|e| AppError::Internal(e.into()))?;
        diesel::insert_into(report_csv_chunks::table)
            .values((
                report_csv_chunks::report_id.eq(self.report),
                report_csv_chunks::seq.eq(self.chunk),
                report_csv_chunks::data.eq(data),
            ))
            .execute(conn)?;
        self.chunk += 1;
        Ok(())
    }

    fn flush_texts(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        if !self.texts.is_empty() {
            let texts = &self.texts;
            crate::per_backend!(conn, |c| diesel::insert_into(report_texts::table)
                .values(texts)
                .execute(c))?;
            self.texts.clear();
        }
        Ok(())
    }
}

impl Output for Store {
    fn csv_row(&mut self, conn: &mut DbConnection, record: [&str; 10]) -> Result<(), AppError> {
        self.csv
            .write_record(record)
            .map_err(|e| AppError::Internal(e.into()))?;
        if self.csv.get_ref().len() >= CSV_CHUNK_BYTES {
            self.flush_csv(conn)?;
        }
        Ok(())
    }

    fn text(
        &mut self,
        conn: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), AppError> {
        self.texts.push(NewText {
            report_id: self.report,
            provision_key: key.to_string(),
            seq,
            position_id: text.position_id,
            name: text.name,
            organization: text.organization,
            stakeholder_group: text.group.map(|g| g.as_str().to_string()),
            country: text.country,
            stance: text.stance.map(|s| s.as_str().to_string()),
            comment: text.comment,
            proposed_text: text.proposed_text,
            hidden_reason: text.hidden_reason,
        });
        if self.texts.len() >= INSERT_BATCH {
            self.flush_texts(conn)?;
        }
        Ok(())
    }

    fn finish(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        self.flush_csv(conn)?;
        self.flush_texts(conn)
    }
}

/// PostgreSQL joins the round's positions to its submissions through a hash
/// table of the submissions; with the default `work_mem` (4 MB) a round of
/// 1,000,000 does not fit, and the join is split into batches written to
/// disk and read back (measured: 620 MB of temporary files, twice the time).
/// 64 MB holds a million submissions; the setting lasts for this transaction.
const AGGREGATE_WORK_MEM: &str = "SET LOCAL work_mem = '64MB'";

/// The figures of every provision and the participation summary: two
/// GROUP BY queries whatever the round's size (what the aggregation benchmark
/// times).
pub fn aggregate(
    conn: &mut DbConnection,
    round: &Round,
    provisions_list: &[Provision],
) -> QueryResult<(Vec<ProvisionFigures>, Participation)> {
    conn.transaction(|conn| {
        if let DbConnection::Postgresql(c) = conn {
            c.batch_execute(AGGREGATE_WORK_MEM)?;
        }
        let rows = count_rows(conn, round.id, provisions_list)?;
        let keys: Vec<String> = provisions_list
            .iter()
            .map(|p| p.provision_key.clone())
            .collect();
        let figures = figures::compute(&keys, &rows, i64::from(round.min_group_size));
        Ok((figures, participation(conn, round.id)?))
    })
}

/// Computes the whole report from live data (the preview, and the snapshot at
/// publication): the figures in two GROUP BY queries, then the texts one
/// provision at a time into `out`.
pub fn build(
    conn: &mut DbConnection,
    consultation: &Consultation,
    round: &Round,
    version: i32,
    note: &str,
    now: PrimitiveDateTime,
    out: &mut dyn Output,
) -> Result<Snapshot, AppError> {
    let provisions_list = drafts::provisions_of(conn, round.draft_version_id)?;
    let (figures, mut participation) = aggregate(conn, round, &provisions_list)?;
    let responses: BTreeMap<String, String> = provision_responses::table
        .filter(provision_responses::round_id.eq(round.id))
        .select((
            provision_responses::provision_key,
            provision_responses::response,
        ))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let attribution = round.attribution();

    let mut in_campaigns: HashSet<SubmissionId> = HashSet::new();
    let mut provisions_out = Vec::with_capacity(provisions_list.len());
    for (p, figures) in provisions_list.iter().zip(figures) {
        let mut texts: Vec<(SubmissionId, PublishedComment)> = vec![];
        let mut after = PositionId(0);
        // The figures counted exactly the rows read here, so the reading stops
        // at the last one: the query that would find none after it scans every
        // later position in the table (other rounds on the same draft)
        // before it can say so.
        let mut unread = figures.overall.total();
        while unread > 0 {
            let batch = out.rows_per_batch().min(unread);
            // A batch at a time, so the CSV rows of a large round never sit in
            // memory together; only the texts wait for campaign detection.
            let rows: Vec<PositionRow> = positions::table
                .inner_join(submissions::table)
                .filter(positions::provision_id.eq(p.id))
                .filter(positions::id.gt(after))
                .filter(submissions::round_id.eq(round.id))
                .filter(submissions::status.eq("submitted"))
                .filter(positions::stance.is_not_null())
                .order(positions::id.asc())
                .limit(batch)
                .select((
                    positions::id,
                    positions::stance,
                    positions::comment,
                    positions::proposed_text,
                    positions::hidden_reason,
                    submissions::id,
                    submissions::affiliation_verified,
                    submissions::disclosure,
                    submissions::display_name,
                    submissions::organization,
                    submissions::stakeholder_group,
                    submissions::country,
                ))
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            let full = rows.len() as i64 == batch;
            unread -= rows.len() as i64;
            for (
                id,
                stance,
                comment,
                proposed,
                hidden,
                submission,
                verified,
                disclosure,
                name,
                org,
                group,
                country,
            ) in rows
            {
                let disclosure = Disclosure::parse(&disclosure).unwrap_or(Disclosure::Confidential);
                let publishable = disclosure != Disclosure::Confidential;
                // Under the Chatham House Rule a row's group must not sit next to
                // its words, so texts stay out of the CSV there; the report shows
                // them bare.
                let text_in_csv =
                    publishable && attribution != Attribution::ChathamHouse && hidden.is_none();
                let attributed = attribute(attribution, disclosure, &name, &org, &group, &country);
                let shown = |v: &str| {
                    if text_in_csv {
                        spreadsheet_safe(v)
                    } else {
                        String::new()
                    }
                };
                out.csv_row(
                    conn,
                    [
                        &p.provision_key,
                        &group,
                        &country,
                        region_of(&country),
                        if verified { "true" } else { "false" },
                        stance.as_deref().unwrap_or(""),
                        &shown(attributed.0.as_deref().unwrap_or("")),
                        &shown(attributed.1.as_deref().unwrap_or("")),
                        &shown(&comment),
                        &shown(&proposed),
                    ],
                )?;
                if !publishable || (comment.trim().is_empty() && proposed.trim().is_empty()) {
                    continue;
                }
                let text = published_text(
                    attributed,
                    Some(id),
                    stance.as_deref().and_then(Stance::parse),
                    comment,
                    proposed,
                    hidden,
                );
                texts.push((submission, text));
            }
            if !full {
                break;
            }
        }

        let refs: Vec<campaigns::CommentRef> = texts
            .iter()
            .filter(|(_, c)| c.hidden_reason.is_none() && !c.comment.trim().is_empty())
            .filter_map(|(_, c)| {
                Some(campaigns::CommentRef {
                    id: c.position_id?.0,
                    text: c.comment.clone(),
                    group: c.group.unwrap_or(StakeholderGroup::Individual),
                })
            })
            .collect();
        let mut found = campaigns::detect(&refs, CAMPAIGN_THRESHOLD, CAMPAIGN_MIN_SIZE);
        drop(refs);
        let members: HashSet<i64> = found
            .iter()
            .flat_map(|c| c.members.iter().copied())
            .collect();
        if attribution == Attribution::ChathamHouse {
            for c in &mut found {
                c.groups.clear();
            }
        }
        let (mut seq, mut proposals) = (0, 0);
        for (submission, mut text) in texts {
            if text.position_id.is_some_and(|id| members.contains(&id.0)) {
                in_campaigns.insert(submission);
                // The campaign shows the text once; the copy keeps only its
                // proposed wording, if any.
                if text.proposed_text.trim().is_empty() {
                    continue;
                }
                text.comment.clear();
            }
            if !text.proposed_text.is_empty() {
                proposals += 1;
            }
            out.text(conn, &p.provision_key, seq, text)?;
            seq += 1;
        }
        provisions_out.push(ProvisionReport {
            key: p.provision_key.clone(),
            label: p.label.clone(),
            heading: p.heading.clone(),
            body: p.body.clone(),
            translated_label: p.translated_label.clone(),
            translated_heading: p.translated_heading.clone(),
            translated_body: p.translated_body.clone(),
            figures,
            response: responses
                .get(&p.provision_key)
                .map(|r| markdown::to_html(r)),
            campaigns: found,
            texts: i64::from(seq),
            proposals,
        });
    }
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
    let general_texts = general.len() as i64;
    for (seq, (text, hidden, disclosure, name, org, group, country)) in
        general.into_iter().enumerate()
    {
        let disclosure = Disclosure::parse(&disclosure).unwrap_or(Disclosure::Anonymous);
        let text = published_text(
            attribute(attribution, disclosure, &name, &org, &group, &country),
            None,
            None,
            text,
            String::new(),
            hidden,
        );
        out.text(conn, "", i32::try_from(seq).unwrap_or(i32::MAX), text)?;
    }
    out.finish(conn)?;

    Ok(Snapshot {
        version,
        note: note.to_string(),
        published_at: rfc3339(now),
        consultation_slug: consultation.slug.clone(),
        consultation_title: consultation.title.clone(),
        translated_title: consultation.translated_title.clone(),
        locale: Locale::parse(&consultation.locale).unwrap_or_default(),
        round: round.number,
        opens_at: rfc3339(round.opens_at),
        closes_at: rfc3339(round.effective_close()),
        attribution,
        min_group_size: i64::from(round.min_group_size),
        campaign_threshold: CAMPAIGN_THRESHOLD,
        participation,
        provisions: provisions_out,
        general_texts,
    })
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
        // The row comes first so the texts can refer to it; its snapshot is
        // written once they are all stored, in the same transaction.
        let report: ReportId = diesel::insert_into(reports::table)
            .values((
                reports::round_id.eq(round.id),
                reports::version.eq(version),
                reports::note.eq(note),
                reports::snapshot.eq(""),
                reports::published_by.eq(actor),
                reports::published_at.eq(now),
            ))
            .returning(reports::id)
            .get_result(conn)?;
        let snapshot = build(
            conn,
            &consultation,
            round,
            version,
            note,
            now,
            &mut Store::new(report),
        )?;
        diesel::update(reports::table.find(report))
            .set(
                reports::snapshot
                    .eq(serde_json::to_string(&snapshot)
                        .map_err(|e| AppError::Internal(e.into()))?),
            )
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
    pub id: ReportId,
    pub version: i32,
    pub versions: Vec<i32>,
    pub snapshot: String,
}

/// A stored version (the latest when `version` is None), as stored.
pub fn stored(
    conn: &mut DbConnection,
    round: RoundId,
    version: Option<i32>,
) -> QueryResult<Option<Published>> {
    let versions: Vec<i32> = reports::table
        .filter(reports::round_id.eq(round))
        .order(reports::version.asc())
        .select(reports::version)
        .load(conn)?;
    let Some(wanted) = version.or(versions.last().copied()) else {
        return Ok(None);
    };
    let row: Option<(ReportId, String)> = reports::table
        .filter(reports::round_id.eq(round))
        .filter(reports::version.eq(wanted))
        .select((reports::id, reports::snapshot))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, snapshot)| Published {
        id,
        version: wanted,
        versions,
        snapshot,
    }))
}

type TextRow = (
    String,
    Option<PositionId>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn text_of(row: TextRow) -> (String, PublishedComment) {
    let (key, position_id, name, organization, group, country, stance, comment, proposed, hidden) =
        row;
    (
        key,
        PublishedComment {
            position_id,
            name,
            organization,
            group: group.as_deref().and_then(StakeholderGroup::parse),
            country,
            stance: stance.as_deref().and_then(Stance::parse),
            comment,
            proposed_text: proposed,
            hidden_reason: hidden,
        },
    )
}

macro_rules! text_columns {
    () => {
        (
            report_texts::provision_key,
            report_texts::position_id,
            report_texts::name,
            report_texts::organization,
            report_texts::stakeholder_group,
            report_texts::country,
            report_texts::stance,
            report_texts::comment,
            report_texts::proposed_text,
            report_texts::hidden_reason,
        )
    };
}

/// One page of a provision's texts ('' for the general comments).
pub fn texts_page(
    conn: &mut DbConnection,
    report: ReportId,
    key: &str,
    offset: i32,
    limit: i32,
) -> QueryResult<Vec<PublishedComment>> {
    let rows: Vec<TextRow> = report_texts::table
        .filter(report_texts::report_id.eq(report))
        .filter(report_texts::provision_key.eq(key))
        .filter(report_texts::seq.ge(offset))
        .filter(report_texts::seq.lt(offset.saturating_add(limit)))
        .order(report_texts::seq.asc())
        .select(text_columns!())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| text_of(r).1).collect())
}

/// The next CSV chunk of a stored version (`None` after the last one): the
/// open data is served a chunk at a time.
pub fn csv_chunk(
    conn: &mut DbConnection,
    report: ReportId,
    seq: i32,
) -> QueryResult<Option<String>> {
    report_csv_chunks::table
        .filter(report_csv_chunks::report_id.eq(report))
        .filter(report_csv_chunks::seq.eq(seq))
        .select(report_csv_chunks::data)
        .first(conn)
        .optional()
}

/// A batch of texts in storage order (every provision, then the general
/// comments), after the text `after` (its row id): report.json streams them.
pub fn texts_batch(
    conn: &mut DbConnection,
    report: ReportId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, String, PublishedComment)>> {
    let rows: Vec<(i64, TextRow)> = report_texts::table
        .filter(report_texts::report_id.eq(report))
        .filter(report_texts::id.gt(after))
        .order(report_texts::id.asc())
        .limit(limit)
        .select((report_texts::id, text_columns!()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, row)| {
            let (key, text) = text_of(row);
            (id, key, text)
        })
        .collect())
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

/// The organizers' answer to a provision as they wrote it (Markdown).
pub fn response_of(
    conn: &mut DbConnection,
    round: &Round,
    key: &str,
) -> QueryResult<Option<String>> {
    provision_responses::table
        .filter(provision_responses::round_id.eq(round.id))
        .filter(provision_responses::provision_key.eq(key))
        .select(provision_responses::response)
        .first(conn)
        .optional()
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

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn csv_text_cells_never_start_a_formula() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"https://evil.example\")"),
            "'=HYPERLINK(\"https://evil.example\")"
        );
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(spreadsheet_safe("We back it."), "We back it.");
    }
}
