//! What report pages show, built from a stored snapshot.

use super::heard;
use super::movement;
use crate::accounts::countries;
use crate::analysis::Disposition;
use crate::codes::{Locale, StakeholderGroup};
use crate::db::PositionId;
use crate::drafts::structure;
use crate::i18n::reading::{Text, TranslationNote};
use crate::markdown;
use crate::reports::chart::{self, Bar, Labels};
use crate::reports::figures::{ConsensusLabel, ProvisionFigures, StanceCounts};
use crate::reports::matrix;
use crate::reports::{self, ProvisionReport, PublishedComment, Snapshot};
use crate::rounds::Attribution;
use crate::web::analysis_dispositions::DispositionForm;
use crate::web::page::Ctx;
use serde::Serialize;

/// Texts per page of a provision; the overview shows the first few general
/// comments.
pub(super) const TEXTS_PER_PAGE: i32 = 50;
/// The draft report has a disposition form and a moderation form under each
/// text, so fewer texts fit its pages' weight budget.
pub(super) const DRAFT_TEXTS_PER_PAGE: i32 = 20;
pub(super) const GENERAL_ON_OVERVIEW: i32 = 5;

pub(super) fn pct(locale: Locale, share: Option<f64>) -> String {
    share.map_or_else(|| "—".into(), |s| crate::i18n::format_percent(locale, s))
}

pub(super) fn group_label(locale: Locale, g: StakeholderGroup) -> String {
    crate::i18n::t(locale, &g.label_key())
}

pub(super) fn country_name(locale: Locale, code: &str) -> String {
    countries::find(code).map_or_else(|| code.to_string(), |c| c.name(locale).to_string())
}

/// "Ada Lovelace, Analytical Society — Academia, France", or as little of it
/// as the author allowed.
pub(super) fn who(locale: Locale, c: &PublishedComment) -> String {
    let mut parts = vec![];
    let names: Vec<&str> = [c.name.as_deref(), c.organization.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !names.is_empty() {
        parts.push(names.join(", "));
    }
    let place: Vec<String> = [
        c.group.map(|g| group_label(locale, g)),
        c.country.as_deref().map(|code| country_name(locale, code)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !place.is_empty() {
        parts.push(place.join(", "));
    }
    parts.join(" — ")
}

#[derive(Serialize)]
pub(super) struct CommentView {
    pub(super) who: String,
    pub(super) stance_key: Option<String>,
    pub(super) comment: String,
    pub(super) proposed_text: String,
    pub(super) hidden_reason: Option<String>,
    pub(super) position_id: Option<PositionId>,
    pub(super) disposition_key: Option<&'static str>,
    /// The reason as sanitized HTML.
    pub(super) disposition_reason: Option<String>,
    /// The draft report's form under the text.
    pub(super) disposition_form: Option<DispositionForm>,
    /// Its signatories, when it is a joint submission's.
    pub(super) joint: Option<String>,
}

pub(super) fn comment_view(locale: Locale, c: &PublishedComment) -> CommentView {
    CommentView {
        who: who(locale, c),
        stance_key: c
            .stance
            .map(|s| format!("stance-{}", s.as_str().replace('_', "-"))),
        comment: c.comment.clone(),
        proposed_text: c.proposed_text.clone(),
        hidden_reason: c.hidden_reason.clone(),
        position_id: c.position_id,
        disposition_key: c.disposition.map(Disposition::label_key),
        disposition_reason: c.disposition_reason.as_deref().map(markdown::to_html),
        disposition_form: None,
        joint: None,
    }
}

pub(super) fn comment_views(
    locale: Locale,
    s: &Snapshot,
    texts: &[PublishedComment],
) -> Vec<CommentView> {
    texts
        .iter()
        .map(|c| CommentView {
            joint: joint_line(locale, s, c),
            ..comment_view(locale, c)
        })
        .collect()
}

/// "Joint submission signed by A (Civil society); B (Academia)": the text
/// is published once, with every organization that signed it.
fn joint_line(locale: Locale, s: &Snapshot, c: &PublishedComment) -> Option<String> {
    let id = c.id.as_deref()?;
    let joint = s
        .joint_submissions
        .iter()
        .find(|j| j.texts.iter().any(|t| t == id))?;
    let names = joint
        .signatories
        .iter()
        .map(|g| format!("{} ({})", g.organization, group_label(locale, g.group)))
        .collect::<Vec<_>>()
        .join("; ");
    Some(crate::i18n::t_args(
        locale,
        "report-joint-signed",
        &[("names".into(), names.into())].into_iter().collect(),
    ))
}

#[derive(Serialize)]
pub(super) struct GroupRow {
    pub(super) label: String,
    pub(super) counts: StanceCounts,
    pub(super) verified: StanceCounts,
    pub(super) share: String,
    pub(super) counted: bool,
}

#[derive(Serialize)]
pub(super) struct CampaignView {
    pub(super) text: String,
    pub(super) count: usize,
    pub(super) groups: String,
}

pub(in crate::web) fn label_key(l: &ConsensusLabel) -> &'static str {
    match l {
        ConsensusLabel::Consensus => "label-consensus",
        ConsensusLabel::ConsensusWithObjections => "label-consensus-with-objections",
        ConsensusLabel::BroadSupport => "label-broad-support",
        ConsensusLabel::Divided => "label-divided",
        ConsensusLabel::Opposed => "label-opposed",
        ConsensusLabel::NotEnoughResponses => "label-not-enough",
    }
}

/// What every report page says about where it is: the consultation, the
/// round, the version, and where its links lead (public or preview).
#[derive(Serialize)]
pub(super) struct Frame {
    pub(super) slug: String,
    pub(super) title: Text,
    pub(super) round: i32,
    pub(super) version: i32,
    pub(super) versions: Vec<i32>,
    pub(super) latest: bool,
    pub(super) published_at: String,
    pub(super) note: String,
    pub(super) preview: bool,
    pub(super) csrf: String,
    /// The overview's address, and the `?version=` suffix for links when an
    /// earlier version is read.
    pub(super) base: String,
    pub(super) version_query: String,
    pub(super) translation: Option<TranslationNote>,
    /// The draft report's figures are an earlier result (newer ones are
    /// being computed).
    pub(super) as_of: Option<super::load::AsOf>,
}

/// `translated`: whether the page holds a text that has a translation.
pub(super) fn frame(
    ctx: &Ctx,
    s: &Snapshot,
    versions: Vec<i32>,
    preview: bool,
    translated: bool,
) -> Frame {
    let latest = preview || versions.last() == Some(&s.version);
    let reading = ctx.reading();
    let written_in = s.locale.as_str();
    let translated =
        translated || reading.has_translation(written_in, s.translated_title.as_deref());
    Frame {
        slug: s.consultation_slug.clone(),
        title: reading.text(
            &s.consultation_title,
            written_in,
            s.translated_title.as_deref(),
        ),
        translation: ctx.translation_note(reading, translated, written_in),
        round: s.round,
        version: s.version,
        versions,
        latest,
        published_at: s.published_at.clone(),
        note: s.note.clone(),
        preview,
        csrf: if preview { ctx.csrf() } else { String::new() },
        base: if preview {
            format!(
                "/admin/consultations/{}/rounds/{}/report",
                s.consultation_slug, s.round
            )
        } else {
            format!(
                "/consultations/{}/rounds/{}/report",
                s.consultation_slug, s.round
            )
        },
        version_query: if latest {
            String::new()
        } else {
            format!("version={}", s.version)
        },
        as_of: None,
    }
}

/// A provision's label, heading and body in the reader's language where a
/// translation exists (the label follows the heading).
pub(super) fn texts_of(ctx: &Ctx, s: &Snapshot, p: &ProvisionReport) -> (String, Text, Text) {
    let reading = ctx.reading();
    let written_in = s.locale.as_str();
    let heading = reading.text(&p.heading, written_in, p.translated_heading.as_deref());
    let body = reading.text(&p.body, written_in, p.translated_body.as_deref());
    let label = match &p.translated_label {
        Some(l) if heading.lang != written_in => l.clone(),
        _ => p.label.clone(),
    };
    (label, heading, body)
}

pub(super) fn is_translated(ctx: &Ctx, s: &Snapshot, p: &ProvisionReport) -> bool {
    let reading = ctx.reading();
    let written_in = s.locale.as_str();
    reading.has_translation(written_in, p.translated_heading.as_deref())
        || reading.has_translation(written_in, p.translated_body.as_deref())
}

/// The consensus score out of 100, as a whole number.
fn score(locale: Locale, f: &ProvisionFigures) -> String {
    f.score_out_of_100().map_or_else(
        || "—".into(),
        |v| crate::i18n::format_count(locale, v.round() as i64),
    )
}

/// The overview's picture and, as its text alternative, the same figures
/// as a table.
#[derive(Serialize)]
pub(super) struct Matrix {
    pub(super) svg: String,
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
pub(super) struct MatrixRow {
    pub(super) label: String,
    pub(super) cells: Vec<String>,
}

/// Support by group for `provisions`, one row each in the order given (so
/// rows can be grouped, by division for instance); a column for each group
/// that answered any of them.
pub(super) fn support_matrix(ctx: &Ctx, s: &Snapshot, provisions: &[&ProvisionReport]) -> Matrix {
    let locale = ctx.locale;
    let groups: Vec<StakeholderGroup> = StakeholderGroup::ALL
        .iter()
        .copied()
        .filter(|g| {
            provisions
                .iter()
                .any(|p| p.figures.groups.iter().any(|f| f.group == *g))
        })
        .collect();
    let columns: Vec<String> = groups.iter().map(|g| group_label(locale, *g)).collect();
    let short: Vec<String> = groups
        .iter()
        .map(|g| ctx.t(&format!("{}-short", g.label_key())))
        .collect();
    let mut previous: Option<&str> = None;
    let rows: Vec<matrix::Row> = provisions
        .iter()
        .map(|p| matrix::Row {
            // Rows come in the draft's order, so a division opens where its
            // key first differs from the row above.
            opens: p.division.as_ref().and_then(|d| {
                let opens = previous != Some(d.key.as_str());
                previous = Some(d.key.as_str());
                opens.then(|| match (d.label.as_str(), d.heading.as_str()) {
                    (label, "") => label.to_string(),
                    ("", heading) => heading.to_string(),
                    (label, heading) => format!("{label} — {heading}"),
                })
            }),
            label: texts_of(ctx, s, p).0,
            cells: groups
                .iter()
                .map(|g| {
                    let f = p.figures.groups.iter().find(|f| f.group == *g)?;
                    Some(matrix::Cell {
                        share: f.support_share,
                        responses: f.counts.responses(),
                        counted: f.counted_in_balance,
                    })
                })
                .collect(),
        })
        .collect();
    let mut min = crate::i18n::Args::new();
    min.insert("min".into(), s.min_group_size.into());
    let labels = matrix::Labels {
        locale,
        title: ctx.t("report-matrix-heading"),
        description: ctx.t("report-matrix-description"),
        columns: short,
        how_to_read: ctx.t("report-matrix-how"),
        high: ctx.t("report-matrix-high"),
        middle: ctx.t("report-matrix-middle"),
        low: ctx.t("report-matrix-low"),
        too_few: crate::i18n::t_args(locale, "report-matrix-too-few", &min),
    };
    let svg = matrix::support_matrix("support-matrix", &rows, &labels);
    Matrix {
        svg,
        columns,
        rows: rows
            .into_iter()
            .map(|r| MatrixRow {
                label: r.label,
                cells: r
                    .cells
                    .iter()
                    .map(|c| match c {
                        None => "—".to_string(),
                        Some(c) => format!(
                            "{} ({})",
                            pct(locale, c.share),
                            crate::i18n::format_count(locale, c.responses)
                        ),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A provision's line in the overview.
#[derive(Serialize)]
pub(super) struct ProvisionRow {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) heading: Text,
    pub(super) label_key: String,
    pub(super) balanced: String,
    pub(super) lowest: Option<String>,
    pub(super) score: String,
    pub(super) responses: i64,
    pub(super) texts: i64,
    pub(super) answered: bool,
    /// Groups objecting as a whole to the response, named.
    pub(super) objecting: Option<String>,
    pub(super) convergence: Option<movement::ConvergenceLine>,
    /// The divisions that open just before this provision, outermost first.
    pub(super) divisions: Vec<DivisionRow>,
    /// Under `both`, the verdict and group-balanced support per organization.
    pub(super) by_organization: Option<OrganizationVerdict>,
}

#[derive(Serialize)]
pub(super) struct OrganizationVerdict {
    label_key: String,
    balanced: String,
}

/// A division's heading line in the overview, with its subtotal.
#[derive(Serialize)]
pub(super) struct DivisionRow {
    pub(super) label: String,
    pub(super) heading: Text,
    pub(super) depth: i32,
    pub(super) responses: i64,
    /// The mean of its provisions' group-balanced support.
    pub(super) balanced: String,
}

/// Each division's heading row, placed before the first provision inside it,
/// with the responses and mean group-balanced support of every provision it
/// holds (its subdivisions' included).
fn division_rows(ctx: &Ctx, s: &Snapshot) -> Vec<Vec<DivisionRow>> {
    use std::collections::HashMap;
    fn innermost(p: &ProvisionReport) -> Option<&str> {
        p.division.as_ref().map(|d| d.key.as_str())
    }
    let mut totals: HashMap<&str, (i64, f64, u32)> = HashMap::new();
    for p in &s.provisions {
        for d in structure::ancestors(&s.divisions, innermost(p)) {
            let t = totals.entry(d.key.as_str()).or_default();
            t.0 += p.figures.overall.total();
            if let Some(b) = p.figures.balanced_support {
                t.1 += b;
                t.2 += 1;
            }
        }
    }
    let reading = ctx.reading();
    let written_in = s.locale.as_str();
    structure::openings(&s.divisions, s.provisions.iter().map(innermost))
        .into_iter()
        .map(|opened| {
            opened
                .iter()
                .map(|d| {
                    let heading =
                        reading.text(&d.heading, written_in, d.translated_heading.as_deref());
                    let label = match &d.translated_label {
                        Some(l) if heading.lang != written_in => l.clone(),
                        _ => d.label.clone(),
                    };
                    let (responses, sum, n) =
                        totals.get(d.key.as_str()).copied().unwrap_or_default();
                    DivisionRow {
                        label,
                        heading,
                        depth: d.depth,
                        responses,
                        balanced: pct(ctx.locale, (n > 0).then(|| sum / f64::from(n))),
                    }
                })
                .collect()
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct Count {
    pub(super) label: String,
    pub(super) count: i64,
    pub(super) extra: i64,
    /// Under `both`, the group's submissions counted per organization.
    pub(super) per_organization: Option<i64>,
}

/// Under `both`, participation counted per organization: how many
/// submissions, of which official ones and people in no organization.
#[derive(Serialize)]
pub(super) struct OrganizationParticipation {
    total: i64,
    organizations: i64,
    people: i64,
}

#[derive(Serialize)]
pub(super) struct ReportView {
    #[serde(flatten)]
    pub(super) frame: Frame,
    pub(super) closes_at: String,
    pub(super) chatham: bool,
    pub(super) counting_key: String,
    pub(super) counted_both: bool,
    pub(super) min_group_size: i64,
    pub(super) total: i64,
    pub(super) verified: i64,
    pub(super) by_organization: Option<OrganizationParticipation>,
    pub(super) in_campaigns: i64,
    pub(super) groups: Vec<Count>,
    pub(super) countries: Vec<Count>,
    pub(super) regions: Vec<Count>,
    pub(super) provisions: Vec<ProvisionRow>,
    pub(super) matrix: Matrix,
    pub(super) general_comments: Vec<CommentView>,
    pub(super) general_texts: i64,
    pub(super) general_more: bool,
    pub(super) has_divisions: bool,
    /// A long draft's overview is shown a part at a time (the parts of the
    /// round's form); empty when it fits on one page.
    pub(super) parts: Vec<PartLink>,
    pub(super) decisions: Vec<heard::DecisionRow>,
    pub(super) disposition_columns: Vec<&'static str>,
    /// The round this one follows, when the report shows movement.
    pub(super) follows_round: Option<i32>,
    /// Whether movement is also (or only) counted per organization.
    pub(super) movement_by_organization: bool,
}

#[derive(Serialize)]
pub(super) struct PartLink {
    label: String,
    heading: Text,
    depth: i32,
    href: String,
    current: bool,
    provisions: usize,
}

/// The parts of a long draft's overview, and which one `wanted` names (the
/// first when None); `None` when it names none.
fn parts_of(
    ctx: &Ctx,
    s: &Snapshot,
    frame: &Frame,
    wanted: Option<&str>,
) -> Option<(Vec<PartLink>, std::ops::Range<usize>)> {
    let pages = structure::pages(
        &s.divisions,
        s.provisions
            .iter()
            .map(|p| p.division.as_ref().map(|d| d.key.as_str())),
    );
    let current = match wanted {
        None => 0,
        Some(key) => pages.iter().position(|p| p.key == key)?,
    };
    let range = pages[current].provisions.clone();
    if pages.len() == 1 {
        return Some((vec![], range));
    }
    let reading = ctx.reading();
    let written_in = s.locale.as_str();
    let links = pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let division = s
                .divisions
                .iter()
                .find(|d| page.division && d.key == page.key);
            let (label, heading, depth) = match division {
                Some(d) => {
                    let heading =
                        reading.text(&d.heading, written_in, d.translated_heading.as_deref());
                    let label = match &d.translated_label {
                        Some(l) if heading.lang != written_in => l.clone(),
                        _ => d.label.clone(),
                    };
                    (label, heading, d.depth)
                }
                // A block of a division too long for one page: its first and
                // last provisions name it.
                None => {
                    let first = &s.provisions[page.provisions.start];
                    let last = &s.provisions[page.provisions.end - 1];
                    let label = format!("{} – {}", first.label, last.label);
                    (label, reading.text("", written_in, None), 1)
                }
            };
            let sep = if frame.version_query.is_empty() {
                ""
            } else {
                "&"
            };
            PartLink {
                label,
                heading,
                depth,
                href: format!(
                    "{}?{}{sep}part={}",
                    frame.base, frame.version_query, page.key
                ),
                current: i == current,
                provisions: page.provisions.len(),
            }
        })
        .collect();
    Some((links, range))
}

/// `None` when `part` names no part of the draft (a 404).
pub(super) fn overview(
    ctx: &Ctx,
    s: &Snapshot,
    general: &[PublishedComment],
    versions: Vec<i32>,
    preview: bool,
    part: Option<&str>,
) -> Option<ReportView> {
    let locale = ctx.locale;
    let people = &s.participation;
    let units = people.by_organization.as_deref();
    let places = |list: &[reports::PlaceCount], name: &dyn Fn(&str) -> String| {
        list.iter()
            .map(|c| Count {
                label: name(&c.code),
                count: c.count,
                extra: 0,
                per_organization: None,
            })
            .collect()
    };
    let translated = s.provisions.iter().any(|p| is_translated(ctx, s, p));
    let frame = frame(ctx, s, versions, preview, translated);
    let (parts, shown) = parts_of(ctx, s, &frame, part)?;
    let divisions = division_rows(ctx, s);
    Some(ReportView {
        frame,
        closes_at: s.closes_at.clone(),
        chatham: s.attribution == Attribution::ChathamHouse,
        counting_key: s.counting.label_key(),
        counted_both: s.counting == crate::rounds::Counting::Both,
        min_group_size: s.min_group_size,
        total: people.submissions,
        verified: people.verified,
        by_organization: units.map(|u| OrganizationParticipation {
            total: u.submissions,
            organizations: u.organizations,
            people: u.submissions - u.organizations,
        }),
        in_campaigns: people.in_campaigns,
        groups: groups_counted(locale, people, units),
        countries: places(&people.by_country, &|code| country_name(locale, code)),
        regions: places(&people.by_region, &|code| ctx.t(&format!("region-{code}"))),
        provisions: s.provisions[shown.clone()]
            .iter()
            .zip(divisions.into_iter().skip(shown.start))
            .map(|(p, divisions)| {
                let f = &p.figures;
                let (label, heading, _) = texts_of(ctx, s, p);
                ProvisionRow {
                    key: p.key.clone(),
                    label,
                    heading,
                    label_key: label_key(&f.label).into(),
                    balanced: pct(locale, f.balanced_support),
                    lowest: f
                        .lowest_group_support()
                        .map(|v| crate::i18n::format_percent(locale, v)),
                    score: score(locale, f),
                    responses: f.overall.total(),
                    texts: p.texts,
                    answered: p.response.is_some(),
                    objecting: movement::objecting(ctx, p),
                    convergence: movement::convergence_line(ctx, s, &p.key),
                    divisions,
                    by_organization: p
                        .organization_figures
                        .as_ref()
                        .map(|f| OrganizationVerdict {
                            label_key: label_key(&f.label).into(),
                            balanced: pct(locale, f.balanced_support),
                        }),
                }
            })
            .collect(),
        matrix: support_matrix(ctx, s, &s.provisions[shown].iter().collect::<Vec<_>>()),
        general_comments: comment_views(locale, s, general),
        general_more: s.general_texts > general.len() as i64,
        general_texts: s.general_texts,
        has_divisions: !s.divisions.is_empty(),
        decisions: heard::decisions(ctx, s),
        disposition_columns: heard::disposition_columns(),
        follows_round: s.movement.as_ref().map(|m| m.follows_round),
        movement_by_organization: s.counting != crate::rounds::Counting::PerPerson,
        parts,
    })
}

/// Submissions by group; under `both`, each group's count per organization
/// beside it (a group may appear in one set only).
fn groups_counted(
    locale: Locale,
    people: &reports::Participation,
    units: Option<&reports::Participation>,
) -> Vec<Count> {
    let find = |p: &reports::Participation, g| p.by_group.iter().find(|c| c.group == g).cloned();
    StakeholderGroup::ALL
        .iter()
        .filter_map(|g| {
            let person = find(people, *g);
            let unit = units.and_then(|u| find(u, *g));
            if person.is_none() && unit.is_none() {
                return None;
            }
            Some(Count {
                label: group_label(locale, *g),
                count: person.as_ref().map_or(0, |c| c.count),
                extra: person.as_ref().map_or(0, |c| c.verified),
                per_organization: units.map(|_| unit.map_or(0, |c| c.count)),
            })
        })
        .collect()
}

/// Page numbers and their links for a list of `total` texts.
#[derive(Serialize)]
pub(super) struct Pages {
    pub(super) page: i32,
    pub(super) pages: i32,
    pub(super) previous: Option<String>,
    pub(super) next: Option<String>,
}

impl Pages {
    /// `None` when `page` is outside the list (a 404).
    pub(super) fn new(
        total: i64,
        page: Option<i32>,
        address: &str,
        version_query: &str,
    ) -> Option<Self> {
        Self::of(TEXTS_PER_PAGE, total, page, address, version_query)
    }

    /// Pages of `per` texts.
    pub(super) fn of(
        per: i32,
        total: i64,
        page: Option<i32>,
        address: &str,
        version_query: &str,
    ) -> Option<Self> {
        let per = i64::from(per);
        let pages = i32::try_from((total + per - 1) / per).ok()?.max(1);
        let page = page.unwrap_or(1);
        if !(1..=pages).contains(&page) {
            return None;
        }
        let link = |n: i32| {
            let sep = if version_query.is_empty() { "" } else { "&" };
            format!("{address}?{version_query}{sep}page={n}")
        };
        Some(Pages {
            page,
            pages,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        })
    }

    pub(super) fn offset(&self) -> i32 {
        (self.page - 1) * TEXTS_PER_PAGE
    }
}

#[derive(Serialize)]
pub(super) struct ProvisionView {
    #[serde(flatten)]
    pub(super) frame: Frame,
    pub(super) key: String,
    pub(super) label: String,
    pub(super) heading: Text,
    pub(super) body_html: Text,
    pub(super) label_key: String,
    pub(super) balanced: String,
    pub(super) lowest: Option<String>,
    pub(super) score: String,
    pub(super) chart: String,
    pub(super) table: FiguresTable,
    /// Under the `both` counting policy, the per-organization figures.
    pub(super) organization_table: Option<FiguresTable>,
    pub(super) response_html: Option<String>,
    pub(super) response_text: String,
    pub(super) campaigns: Vec<CampaignView>,
    pub(super) comments: Vec<CommentView>,
    pub(super) texts: i64,
    pub(super) proposals: i64,
    pub(super) pages: Pages,
    pub(super) heard: heard::Heard,
    /// The draft report's confirmed dispositions, for the response to cite.
    pub(super) citations: Vec<Citation>,
    pub(super) objecting: Option<String>,
    pub(super) movement: Option<movement::MovementView>,
    pub(super) answers: Vec<movement::AnswerRow>,
}

/// One set of a provision's figures by group, with the total.
#[derive(Serialize)]
pub(super) struct FiguresTable {
    id: &'static str,
    caption_key: &'static str,
    rows: Vec<GroupRow>,
    overall: GroupRow,
}

fn figures_table(
    ctx: &Ctx,
    f: &ProvisionFigures,
    id: &'static str,
    caption_key: &'static str,
) -> FiguresTable {
    let locale = ctx.locale;
    FiguresTable {
        id,
        caption_key,
        rows: f
            .groups
            .iter()
            .map(|g| GroupRow {
                label: group_label(locale, g.group),
                counts: g.counts,
                verified: g.verified,
                share: pct(locale, g.support_share),
                counted: g.counted_in_balance,
            })
            .collect(),
        overall: GroupRow {
            label: ctx.t("report-all-groups"),
            counts: f.overall,
            verified: f.overall_verified,
            share: pct(locale, f.overall.support_share()),
            counted: true,
        },
    }
}

/// A disposition and the texts that got it, linked to their permalinks.
#[derive(Serialize)]
pub(super) struct Citation {
    pub(super) label_key: &'static str,
    pub(super) count: usize,
    pub(super) links: Vec<String>,
}

/// A provision's page: everything the report says about it, and one page of
/// its texts.
pub(super) fn provision_view(
    ctx: &Ctx,
    s: &Snapshot,
    p: &ProvisionReport,
    texts: &[PublishedComment],
    frame: Frame,
    pages: Pages,
    response_text: String,
) -> ProvisionView {
    let locale = ctx.locale;
    let t = |k: &str| ctx.t(k);
    let f = &p.figures;
    let (label, heading, body) = texts_of(ctx, s, p);
    let chart_title = format!("{label} {}", heading.text);
    let labels = Labels {
        locale,
        description: format!("{} {}", t("chart-description"), chart_title.trim()),
        title: chart_title.trim().to_string(),
        support: t("stance-support"),
        support_with_changes: t("stance-support-with-changes"),
        oppose: t("stance-oppose"),
        no_position: t("stance-no-position"),
        responses: t("chart-responses"),
    };
    let bars: Vec<Bar> = f
        .groups
        .iter()
        .map(|g| Bar {
            label: group_label(locale, g.group),
            counts: g.counts,
        })
        .collect();
    ProvisionView {
        frame,
        key: p.key.clone(),
        label,
        body_html: Text {
            text: markdown::to_html(&body.text),
            lang: body.lang,
        },
        heading,
        label_key: label_key(&f.label).into(),
        balanced: pct(locale, f.balanced_support),
        lowest: f
            .lowest_group_support()
            .map(|v| crate::i18n::format_percent(locale, v)),
        score: score(locale, f),
        chart: chart::stacked_bars_sharing(
            &format!("chart-{}", p.key),
            "stance",
            true,
            &bars,
            &labels,
        ),
        table: figures_table(ctx, f, "figures-table", "report-table-caption"),
        organization_table: p.organization_figures.as_ref().map(|f| {
            figures_table(
                ctx,
                f,
                "organization-figures-table",
                "report-organization-table-caption",
            )
        }),
        response_html: p.response.clone(),
        response_text,
        campaigns: p
            .campaigns
            .iter()
            .map(|c| CampaignView {
                text: c.text.clone(),
                count: c.count,
                groups: c
                    .groups
                    .iter()
                    .map(|(g, n)| format!("{} {n}", group_label(locale, *g)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        comments: comment_views(locale, s, texts),
        texts: p.texts,
        proposals: p.proposals,
        pages,
        heard: heard::heard(ctx, s, p),
        citations: vec![],
        objecting: movement::objecting(ctx, p),
        movement: movement::movement_view(ctx, s, &p.key),
        answers: movement::answer_rows(ctx, p),
    }
}

#[derive(Serialize)]
pub(super) struct GeneralView {
    #[serde(flatten)]
    pub(super) frame: Frame,
    pub(super) comments: Vec<CommentView>,
    pub(super) total: i64,
    pub(super) pages: Pages,
}
