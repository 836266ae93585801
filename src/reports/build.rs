//! The whole report computed from live data: for the preview, and for the
//! snapshot frozen at publication.

use super::attribution::{AUTHOR_COLUMNS, Author, published_text};
use super::campaigns::{self, Campaign, CommentRef};
use super::figures::{ConsensusLabel, ProvisionFigures};
use super::joint::Joints;
use super::live::{aggregate, region_of};
use super::output::{CSV_COLUMNS, Output, spreadsheet_safe};
use super::privacy::{Privacy, Source};
use super::published::TAG_SEPARATOR;
use super::responses::responses_of_round;
use super::themes::{self, TagLabel, Tally};
use super::{
    CAMPAIGN_MIN_SIZE, CAMPAIGN_THRESHOLD, DivisionRef, DivisionReport, ProvisionReport,
    PublishedAttachment, PublishedComment, ReportError, Snapshot,
};
use crate::analysis::{Disposition, dispositions};
use crate::answers::{self, AnswerCount};
use crate::clock::rfc3339;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::Consultation;
use crate::db::schema::{positions, submissions};
use crate::db::{DbConnection, PositionId, ProvisionId, RoundId, SubmissionId, TagId};
use crate::drafts::{self, Provision};
use crate::markdown;
use crate::organizations::joint::Signature;
use crate::rounds::{Attribution, Counting, Round};
use crate::submissions::{CountsFor, Disclosure, Stance};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};
use time::PrimitiveDateTime;

/// Computes the whole report from live data (the preview, and the snapshot at
/// publication): the figures in a few GROUP BY queries, then the texts one
/// provision at a time into `out`.
pub fn build(
    conn: &mut DbConnection,
    consultation: &Consultation,
    round: &Round,
    version: i32,
    note: &str,
    now: PrimitiveDateTime,
    out: &mut dyn Output,
) -> Result<Snapshot, ReportError> {
    let provisions = drafts::provisions_of(conn, round.draft_version_id)?;
    let divisions: Vec<DivisionReport> = drafts::divisions_of(conn, round.draft_version_id)?
        .into_iter()
        .map(|d| DivisionReport {
            key: d.key,
            label: d.label,
            heading: d.heading,
            depth: d.depth,
            parent: d.parent_key,
            translated_label: d.translated_label,
            translated_heading: d.translated_heading,
        })
        .collect();
    let (counted, mut participation) = aggregate(conn, round, &provisions)?;
    let responses = responses_of_round(conn, round.id)?;
    let attribution = round.attribution();
    let privacy = Privacy::load(conn, round)?;
    let joints = Joints::load(conn, round.id, attribution, &privacy)?;
    let mut movements = vec![];
    if let Some(m) = super::movement::of_round(conn, round, &provisions, &privacy)? {
        out.movement_csv(conn, m.csv)?;
        movements = m.movements;
    }
    let mut movements = movements.into_iter();
    let (movement, organization_movement) = (movements.next(), movements.next());
    let (attachments, attachment_urls) = published_attachments(conn, consultation, round)?;
    let mut answers = answers::counts(conn, round.id)?;
    let codebook = themes::live_tags(conn, consultation.id)?;
    let mut texts = Texts {
        conn,
        round,
        counting: round.counting(),
        attribution,
        privacy,
        joints,
        out,
        in_campaigns: HashSet::new(),
        codebook,
        decided: HashMap::new(),
        tagged: HashMap::new(),
        heard: Tally::default(),
        heard_by_organization: (round.counting() == Counting::Both).then(Tally::default),
        attachment_urls,
    };
    let mut reports = Vec::with_capacity(provisions.len());
    let total = provisions.len();
    let mut by_organization = counted.by_organization.map(Vec::into_iter);
    for ((p, figures), readable) in provisions.iter().zip(counted.figures).zip(counted.readable) {
        let organization_figures = by_organization.as_mut().and_then(Iterator::next);
        texts.out.progress(reports.len(), total)?;
        let response = responses
            .get(&p.provision_key)
            .map(|r| markdown::to_html(r));
        let division = p.division_key.as_ref().and_then(|key| {
            divisions
                .iter()
                .find(|d| &d.key == key)
                .map(|d| DivisionRef {
                    key: d.key.clone(),
                    label: d.label.clone(),
                    heading: d.heading.clone(),
                })
        });
        let counts = Counts {
            figures,
            organization_figures,
            readable,
        };
        let mut report = texts.provision(p, counts, response, division)?;
        with_answers(
            &mut report,
            answers.remove(&p.provision_key).unwrap_or_default(),
        );
        reports.push(report);
    }
    participation.in_campaigns = texts.in_campaigns.len() as i64;
    let general_texts = texts.general_comments()?;
    texts.out.finish(texts.conn)?;
    let joint_submissions = std::mem::take(&mut texts.joints.published);

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
        counting: round.counting(),
        min_group_size: i64::from(round.min_group_size),
        campaign_threshold: CAMPAIGN_THRESHOLD,
        participation,
        divisions,
        provisions: reports,
        general_texts,
        attachments,
        movement,
        joint_submissions,
        organization_movement,
    })
}

/// The position papers a report publishes, attributed as the texts of their
/// submissions are; and their download paths by submission for report.csv.
fn published_attachments(
    conn: &mut DbConnection,
    consultation: &Consultation,
    round: &Round,
) -> QueryResult<(Vec<PublishedAttachment>, HashMap<SubmissionId, String>)> {
    let mut urls: HashMap<SubmissionId, String> = HashMap::new();
    let list = crate::attachments::published(conn, round.id)?
        .into_iter()
        .map(|(a, sender)| {
            let url = format!(
                "/consultations/{}/rounds/{}/report/attachments/{}",
                consultation.slug, round.number, a.public_id
            );
            let joined = urls.entry(a.submission_id).or_default();
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(&url);
            let author = Author {
                disclosure: sender.disclosure,
                name: sender.name,
                organization: sender.organization,
                group: sender.group,
                country: sender.country,
            };
            let disclosure = Disclosure::parse(&author.disclosure).unwrap_or(Disclosure::Anonymous);
            let mut shown = author.attributed(round.attribution(), disclosure);
            // Without a name or an organization, a country can single a
            // person out in a small group.
            if shown.name.is_none() && shown.organization.is_none() {
                shown.country = None;
            }
            PublishedAttachment {
                file_name: a.file_name,
                media_type: a.kind.content_type().to_string(),
                size_bytes: a.size_bytes,
                sha256: a.sha256,
                url,
                name: shown.name,
                organization: shown.organization,
                group: shown.group,
                country: shown.country,
            }
        })
        .collect();
    Ok((list, urls))
}

/// The commenters' answers on a provision, and the label they qualify: a
/// group objecting as a whole (see `answers::objecting_groups`) turns
/// "consensus" into "consensus with objections".
fn with_answers(report: &mut ProvisionReport, answers: Vec<AnswerCount>) {
    let groups = &report.figures.groups;
    report.objecting_groups = answers::objecting_groups(&answers, |g| {
        groups
            .iter()
            .find(|f| f.group == g && f.counted_in_balance)
            .map(|f| f.counts.total())
    });
    if !report.objecting_groups.is_empty() && report.figures.label == ConsensusLabel::Consensus {
        report.figures.label = ConsensusLabel::ConsensusWithObjections;
    }
    report.answers = answers;
}

/// A counted position with what its submission allows to be published.
#[derive(Queryable)]
struct PositionRow {
    id: PositionId,
    stance: Option<String>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
    submission: SubmissionId,
    verified: bool,
    counts_for: String,
    author: Author,
}

/// A provision's figures, and how many of its positions are read.
struct Counts {
    figures: ProvisionFigures,
    organization_figures: Option<ProvisionFigures>,
    readable: i64,
}

#[derive(Queryable)]
struct GeneralRow {
    submission: SubmissionId,
    comment: String,
    hidden_reason: Option<String>,
    author: Author,
}

/// A text that will be published, with the submission it came from.
type Text = (SubmissionId, PublishedComment);

/// A report.csv row waiting for its provision's rows to be put in order:
/// small, since a provision of a million-submission round holds a million.
struct CsvRow {
    order: u64,
    group: Option<StakeholderGroup>,
    country: [u8; 2],
    region: &'static str,
    verified: bool,
    stance: Option<Stance>,
    counts_for: CountsFor,
    /// Its joint submission's place among the published ones.
    joint: Option<usize>,
    /// Name, organization, comment, proposed wording, disposition, its
    /// reason, tags and the submission's papers, when shown.
    text: Option<Box<[String; 8]>>,
}

/// A country code as two bytes ("" when the country is withheld).
fn country_bytes(code: &str) -> [u8; 2] {
    match code.as_bytes() {
        &[a, b] => [a, b],
        _ => [0, 0],
    }
}

/// Writes a report's texts and CSV rows to `out` as they are read.
struct Texts<'a> {
    conn: &'a mut DbConnection,
    round: &'a Round,
    counting: Counting,
    attribution: Attribution,
    privacy: Privacy,
    joints: Joints,
    out: &'a mut dyn Output,
    /// Submissions with a text in a campaign: participation counts each once.
    in_campaigns: HashSet<SubmissionId>,
    /// The consultation's live tags.
    codebook: HashMap<TagId, TagLabel>,
    /// The provision being read: confirmed dispositions and live tags of its
    /// positions, by position id, and what we heard so far.
    decided: HashMap<i64, (Disposition, String)>,
    tagged: HashMap<i64, Vec<TagId>>,
    heard: Tally,
    /// Under `both`, the themes of the texts counted per organization.
    heard_by_organization: Option<Tally>,
    /// The published papers' download paths, by submission (space-separated).
    attachment_urls: HashMap<SubmissionId, String>,
}

impl Texts<'_> {
    /// A provision's part of the report, once its texts are written.
    fn provision(
        &mut self,
        p: &Provision,
        counts: Counts,
        response: Option<String>,
        division: Option<DivisionRef>,
    ) -> Result<ProvisionReport, ReportError> {
        self.decided = dispositions::confirmed_on_provision(self.conn, self.round.id, p.id)?;
        self.tagged = themes::tags_on_provision(self.conn, self.round.id, p.id)?;
        let Counts {
            figures,
            organization_figures,
            readable,
        } = counts;
        let mut texts = self.read_positions(p, readable)?;
        texts.sort_by_cached_key(|(_, t)| t.id.clone());
        let (campaigns, members) = campaigns_among(&texts, self.attribution);
        let (written, proposals) = self.write_texts(&p.provision_key, texts, &members)?;
        let min = i64::from(self.round.min_group_size);
        let (dispositions, themes) = std::mem::take(&mut self.heard).finish(&self.codebook, min);
        let organization_themes = self
            .heard_by_organization
            .as_mut()
            .map(|tally| std::mem::take(tally).finish(&self.codebook, min).1);
        Ok(ProvisionReport {
            key: p.provision_key.clone(),
            label: p.label.clone(),
            heading: p.heading.clone(),
            body: p.body.clone(),
            translated_label: p.translated_label.clone(),
            translated_heading: p.translated_heading.clone(),
            translated_body: p.translated_body.clone(),
            division,
            figures,
            organization_figures,
            response,
            campaigns,
            texts: i64::from(written),
            proposals,
            dispositions,
            themes,
            organization_themes,
            answers: vec![],
            objecting_groups: vec![],
        })
    }

    /// Reads the `counted` positions of a provision a batch at a time, writes
    /// the CSV row of each one the round counts and keeps the texts to
    /// publish: only they wait for campaign detection, so a large round's CSV
    /// rows never sit in memory together.
    fn read_positions(&mut self, p: &Provision, counted: i64) -> Result<Vec<Text>, ReportError> {
        let mut texts = vec![];
        let mut rows_out = Vec::with_capacity(usize::try_from(counted).unwrap_or(0));
        let mut after = PositionId(0);
        // The figures counted exactly the rows read here, so the reading stops
        // at the last one: the query that would find none after it scans every
        // later position in the table (other rounds on the same draft)
        // before it can say so.
        let mut unread = counted;
        while unread > 0 {
            let batch = self.out.rows_per_batch().min(unread);
            let rows = positions_after(self.conn, self.round.id, p.id, after, batch)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let full = rows.len() as i64 == batch;
            unread -= rows.len() as i64;
            for row in rows {
                texts.extend(self.position(row, &mut rows_out));
            }
            if !full {
                break;
            }
        }
        rows_out.sort_unstable_by_key(|r| r.order);
        for row in rows_out {
            self.csv_row(p, row)?;
        }
        Ok(texts)
    }

    fn csv_row(&mut self, p: &Provision, row: CsvRow) -> Result<(), ReportError> {
        let country = std::str::from_utf8(&row.country)
            .unwrap_or("")
            .trim_matches('\0');
        let [
            name,
            organization,
            comment,
            proposed,
            disposition,
            reason,
            tags,
            papers,
        ] = match row.text {
            Some(text) => *text,
            None => Default::default(),
        };
        let record: [&str; CSV_COLUMNS] = [
            &p.provision_key,
            row.group.map_or("", |g| g.as_str()),
            country,
            row.region,
            if row.verified { "true" } else { "false" },
            row.stance.map_or("", |s| s.as_str()),
            &name,
            &organization,
            &comment,
            &proposed,
            p.division_key.as_deref().unwrap_or(""),
            &disposition,
            &reason,
            &tags,
            if row.counts_for.per_person() {
                "true"
            } else {
                "false"
            },
            if row.counts_for.per_organization() {
                "true"
            } else {
                "false"
            },
            row.joint.map_or("", |place| self.joints.id(place)),
            &papers,
        ];
        self.out.csv_row(self.conn, record)
    }

    /// Adds a position's CSV rows that the round counts to `rows_out` (a
    /// joint text's position has one more per co-signer), and returns its
    /// text when it is published.
    fn position(&mut self, row: PositionRow, rows_out: &mut Vec<CsvRow>) -> Option<Text> {
        let author = &row.author;
        let disclosure = Disclosure::parse(&author.disclosure).unwrap_or(Disclosure::Confidential);
        let publishable = disclosure != Disclosure::Confidential;
        // Under the Chatham House Rule a row's group must not sit next to
        // its words, so texts stay out of the CSV there; the report shows
        // them bare.
        let text_in_csv = publishable
            && self.attribution != Attribution::ChathamHouse
            && row.hidden_reason.is_none();
        let mut attributed = author.attributed(self.attribution, disclosure);
        let country_shown = attributed.name.is_some()
            || attributed.organization.is_some()
            || self.privacy.country_shown(&author.group, &author.country);
        if !country_shown {
            attributed.country = None;
        }
        let group = StakeholderGroup::parse(&author.group);
        let stance = row.stance.as_deref().and_then(Stance::parse);
        let tags = self.tagged.remove(&row.id.0).unwrap_or_default();
        let counts_for = CountsFor::parse(&row.counts_for).unwrap_or(CountsFor::Person);
        if let (Some(group), Some(stance)) = (group, stance) {
            // Themes count the texts their set of figures counts.
            if self.counting.counts_first(counts_for) {
                self.heard.text(group, stance, &tags);
            }
            if let Some(tally) = &mut self.heard_by_organization
                && counts_for.per_organization()
            {
                tally.text(group, stance, &tags);
            }
        }
        let tag_labels = themes::labels(&tags, &self.codebook);
        let decided = self.decided.remove(&row.id.0);
        let source = Source::Position(row.id.0);
        let joint = self.joints.of(row.submission);
        let csv = CsvRow {
            order: self.privacy.order(source),
            group,
            country: if country_shown {
                country_bytes(&author.country)
            } else {
                [0, 0]
            },
            region: region_of(&author.country),
            verified: row.verified,
            stance,
            counts_for,
            joint: joint.and_then(|(_, place)| place),
            text: text_in_csv.then(|| {
                Box::new([
                    spreadsheet_safe(attributed.name.as_deref().unwrap_or("")),
                    spreadsheet_safe(attributed.organization.as_deref().unwrap_or("")),
                    spreadsheet_safe(&row.comment),
                    spreadsheet_safe(&row.proposed_text),
                    decided
                        .as_ref()
                        .map_or(String::new(), |(d, _)| d.as_str().to_string()),
                    decided
                        .as_ref()
                        .map_or(String::new(), |(_, reason)| spreadsheet_safe(reason)),
                    spreadsheet_safe(&tag_labels.join(TAG_SEPARATOR)),
                    self.attachment_urls
                        .get(&row.submission)
                        .cloned()
                        .unwrap_or_default(),
                ])
            }),
        };
        let counting = self.counting;
        let mut emit = |csv: CsvRow| {
            if counting.counts(csv.counts_for) {
                rows_out.push(csv);
            }
        };
        emit(csv);
        if let Some((cosigners, place)) = joint {
            for signature in cosigners {
                emit(self.cosigned_row(signature, row.id, stance, place));
            }
        }
        if !publishable || (row.comment.trim().is_empty() && row.proposed_text.trim().is_empty()) {
            return None;
        }
        let mut text = published_text(
            attributed,
            Some(row.id),
            stance,
            row.comment,
            row.proposed_text,
            row.hidden_reason,
        );
        if text.hidden_reason.is_none() {
            if let (Some(group), Some((disposition, _))) = (group, &decided) {
                // Under the Chatham House Rule the texts carry no group: counts
                // by group, or tags a group's theme counts could be matched
                // with, would give it back.
                let chatham = self.attribution == Attribution::ChathamHouse;
                self.heard
                    .disposition((!chatham).then_some(group), *disposition);
            }
            let tag_labels = if self.attribution == Attribution::ChathamHouse {
                vec![]
            } else {
                tag_labels
            };
            with_decision(&mut text, decided, tag_labels);
        }
        let id = self.privacy.public_id(source);
        self.joints.published_text(row.submission, &id);
        text.id = Some(id);
        Some((row.submission, text))
    }

    /// A co-signer's report.csv row for a position of the joint text it
    /// signed: counted per organization, in its own group, without the text
    /// (published once, on the lead's row).
    fn cosigned_row(
        &self,
        signature: &Signature,
        position: PositionId,
        stance: Option<Stance>,
        place: Option<usize>,
    ) -> CsvRow {
        let named = place.is_some();
        let country_shown = named
            || self
                .privacy
                .country_shown(&signature.stakeholder_group, &signature.country);
        CsvRow {
            order: self.privacy.order(Source::Cosigned {
                signature: signature.id.0,
                position: position.0,
            }),
            group: StakeholderGroup::parse(&signature.stakeholder_group),
            country: if country_shown {
                country_bytes(&signature.country)
            } else {
                [0, 0]
            },
            region: region_of(&signature.country),
            verified: signature.verified,
            stance,
            counts_for: CountsFor::Organization,
            joint: place,
            text: named.then(|| {
                let mut text: [String; 8] = Default::default();
                text[1] = spreadsheet_safe(&signature.name);
                Box::new(text)
            }),
        }
    }

    /// Writes a provision's texts in order; returns how many, and how many of
    /// them propose wording.
    fn write_texts(
        &mut self,
        key: &str,
        texts: Vec<Text>,
        in_campaign: &HashSet<i64>,
    ) -> Result<(i32, i64), ReportError> {
        let (mut seq, mut proposals) = (0, 0);
        for (submission, mut text) in texts {
            if text
                .position_id
                .is_some_and(|id| in_campaign.contains(&id.0))
            {
                self.in_campaigns.insert(submission);
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
            self.out.text(self.conn, key, seq, text)?;
            seq += 1;
        }
        Ok((seq, proposals))
    }

    /// Writes the general comments, after every provision's texts; returns
    /// how many there are.
    fn general_comments(&mut self) -> Result<i64, ReportError> {
        let mut general = general_comments(self.conn, self.round.id)?;
        general.sort_by_cached_key(|row| self.privacy.order(Source::General(row.submission.0)));
        let mut decided = dispositions::confirmed_general(self.conn, self.round.id)?;
        let mut tagged = themes::tags_on_general(self.conn, self.round.id)?;
        let count = general.len() as i64;
        for (seq, row) in general.into_iter().enumerate() {
            let disclosure =
                Disclosure::parse(&row.author.disclosure).unwrap_or(Disclosure::Anonymous);
            let mut attributed = row.author.attributed(self.attribution, disclosure);
            if attributed.name.is_none()
                && attributed.organization.is_none()
                && !self
                    .privacy
                    .country_shown(&row.author.group, &row.author.country)
            {
                attributed.country = None;
            }
            let mut text = published_text(
                attributed,
                None,
                None,
                row.comment,
                String::new(),
                row.hidden_reason,
            );
            let id = self.privacy.public_id(Source::General(row.submission.0));
            self.joints.published_text(row.submission, &id);
            text.id = Some(id);
            if text.hidden_reason.is_none() {
                let tags = tagged.remove(&row.submission.0).unwrap_or_default();
                let tags = if self.attribution == Attribution::ChathamHouse {
                    vec![]
                } else {
                    tags
                };
                with_decision(
                    &mut text,
                    decided.remove(&row.submission.0),
                    themes::labels(&tags, &self.codebook),
                );
            }
            self.out
                .text(self.conn, "", i32::try_from(seq).unwrap_or(i32::MAX), text)?;
        }
        Ok(count)
    }
}

/// A published (not hidden) text with its confirmed disposition and tags.
fn with_decision(
    text: &mut PublishedComment,
    decided: Option<(Disposition, String)>,
    tags: Vec<String>,
) {
    if let Some((disposition, reason)) = decided {
        text.disposition = Some(disposition);
        text.disposition_reason = Some(reason).filter(|r| !r.is_empty());
    }
    text.tags = tags;
}

/// The campaigns among a provision's visible comments, and the positions in
/// them. Under the Chatham House Rule a campaign does not say which groups
/// took part.
fn campaigns_among(texts: &[Text], attribution: Attribution) -> (Vec<Campaign>, HashSet<i64>) {
    let refs: Vec<CommentRef> = texts
        .iter()
        .filter(|(_, c)| c.hidden_reason.is_none() && !c.comment.trim().is_empty())
        .filter_map(|(_, c)| {
            Some(CommentRef {
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
    (found, members)
}

/// Up to `limit` counted positions of a provision after `after`, in order.
fn positions_after(
    conn: &mut DbConnection,
    round: RoundId,
    provision: ProvisionId,
    after: PositionId,
    limit: i64,
) -> QueryResult<Vec<PositionRow>> {
    positions::table
        .inner_join(submissions::table)
        .filter(positions::provision_id.eq(provision))
        .filter(positions::id.gt(after))
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::counts_for.ne(CountsFor::Replaced.as_str()))
        .filter(positions::stance.is_not_null())
        .order(positions::id.asc())
        .limit(limit)
        .select((
            positions::id,
            positions::stance,
            positions::comment,
            positions::proposed_text,
            positions::hidden_reason,
            submissions::id,
            submissions::affiliation_verified,
            submissions::counts_for,
            AUTHOR_COLUMNS,
        ))
        .load(conn)
}

/// The round's published general comments.
fn general_comments(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<GeneralRow>> {
    submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::disclosure.ne("confidential"))
        .filter(submissions::general_comment.ne(""))
        .select((
            submissions::id,
            submissions::general_comment,
            submissions::general_comment_hidden_reason,
            AUTHOR_COLUMNS,
        ))
        .load(conn)
}
