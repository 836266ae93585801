//! What the report pages show of "what we heard": the themes × groups
//! matrix and the dispositions by group of a provision, and the overview's
//! dispositions by provision.

use super::views::{group_label, texts_of};
use crate::analysis::Disposition;
use crate::codes::StakeholderGroup;
use crate::i18n::{Args, format_count, t_args};
use crate::reports::figures::StanceCounts;
use crate::reports::themes::{ThemeCell, ThemeRow};
use crate::reports::{ProvisionReport, Snapshot};
use crate::submissions::Stance;
use crate::web::page::Ctx;
use serde::Serialize;

/// A table of counts: a label per row, a string per cell.
#[derive(Serialize)]
pub(super) struct Table {
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<Row>,
}

#[derive(Serialize)]
pub(super) struct Row {
    pub(super) label: String,
    pub(super) lang: String,
    pub(super) cells: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct Heard {
    pub(super) dispositions: Option<Table>,
    pub(super) themes: Option<Table>,
    /// Under `both`, the themes of the texts counted per organization.
    pub(super) organization_themes: Option<Table>,
    /// The round's minimum group size, below which a theme's cell is withheld.
    pub(super) min: i64,
}

pub(super) fn heard(ctx: &Ctx, s: &Snapshot, p: &ProvisionReport) -> Heard {
    Heard {
        dispositions: dispositions(ctx, p),
        themes: themes(ctx, s, &p.themes),
        organization_themes: p
            .organization_themes
            .as_deref()
            .and_then(|rows| themes(ctx, s, rows)),
        min: s.min_group_size.max(1),
    }
}

fn groups_in(present: impl Iterator<Item = StakeholderGroup> + Clone) -> Vec<StakeholderGroup> {
    StakeholderGroup::ALL
        .iter()
        .copied()
        .filter(|g| present.clone().any(|p| p == *g))
        .collect()
}

/// Published texts by disposition (rows) and group (columns), with a total.
fn dispositions(ctx: &Ctx, p: &ProvisionReport) -> Option<Table> {
    if p.dispositions.is_empty() {
        return None;
    }
    let locale = ctx.locale;
    let groups = groups_in(p.dispositions.iter().filter_map(|d| d.group));
    let mut columns: Vec<String> = groups.iter().map(|g| group_label(locale, *g)).collect();
    columns.push(ctx.t("report-all-groups"));
    let rows = Disposition::ALL
        .iter()
        .filter(|d| p.dispositions.iter().any(|c| c.disposition == **d))
        .map(|d| {
            let count = |g: StakeholderGroup| {
                p.dispositions
                    .iter()
                    .find(|c| c.disposition == *d && c.group == Some(g))
                    .map_or(0, |c| c.count)
            };
            let mut cells: Vec<String> = groups
                .iter()
                .map(|g| format_count(locale, count(*g)))
                .collect();
            let total = p
                .dispositions
                .iter()
                .filter(|c| c.disposition == *d)
                .map(|c| c.count)
                .sum();
            cells.push(format_count(locale, total));
            Row {
                label: ctx.t(d.label_key()),
                lang: locale.as_str().to_string(),
                cells,
            }
        })
        .collect();
    Some(Table { columns, rows })
}

/// "12 (Oppose 8, Support 4)", or "fewer than 3" for a withheld cell.
fn theme_cell(ctx: &Ctx, min: i64, cell: Option<&ThemeCell>) -> String {
    let locale = ctx.locale;
    let Some(cell) = cell else {
        return "—".into();
    };
    let (Some(texts), Some(stances)) = (cell.texts, cell.stances) else {
        let mut args = Args::new();
        args.insert("min".into(), min.into());
        return t_args(locale, "themes-too-few", &args);
    };
    let detail: Vec<String> = Stance::ALL
        .iter()
        .filter(|s| StanceCounts::get(&stances, **s) > 0)
        .map(|s| {
            format!(
                "{} {}",
                ctx.t(&format!("stance-{}", s.as_str().replace('_', "-"))),
                format_count(locale, stances.get(*s))
            )
        })
        .collect();
    format!("{} ({})", format_count(locale, texts), detail.join(", "))
}

/// The themes × groups matrix, tag labels in the reader's language.
fn themes(ctx: &Ctx, s: &Snapshot, themes: &[ThemeRow]) -> Option<Table> {
    if themes.is_empty() {
        return None;
    }
    let reading = ctx.reading();
    let written_in = s.locale.as_str();
    let groups = groups_in(themes.iter().flat_map(|t| t.cells.iter().map(|c| c.group)));
    let min = s.min_group_size.max(1);
    let rows = themes
        .iter()
        .map(|t| {
            let label = reading.text(&t.label, written_in, t.translated_label.as_deref());
            let parent = t.parent_label.as_ref().map(|parent| {
                reading
                    .text(parent, written_in, t.parent_translated_label.as_deref())
                    .text
            });
            Row {
                label: match parent {
                    Some(parent) => format!("{parent} › {}", label.text),
                    None => label.text,
                },
                lang: label.lang.to_string(),
                cells: groups
                    .iter()
                    .map(|g| theme_cell(ctx, min, t.cells.iter().find(|c| c.group == *g)))
                    .collect(),
            }
        })
        .collect();
    Some(Table {
        columns: groups.iter().map(|g| group_label(ctx.locale, *g)).collect(),
        rows,
    })
}

/// The overview's line for a provision whose published texts have
/// dispositions: how many of each.
#[derive(Serialize)]
pub(super) struct DecisionRow {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) cells: Vec<String>,
}

pub(super) fn decisions(ctx: &Ctx, s: &Snapshot) -> Vec<DecisionRow> {
    s.provisions
        .iter()
        .filter(|p| !p.dispositions.is_empty())
        .map(|p| {
            let (label, heading, _) = texts_of(ctx, s, p);
            DecisionRow {
                key: p.key.clone(),
                label: format!("{label} {}", heading.text).trim().to_string(),
                cells: Disposition::ALL
                    .iter()
                    .map(|d| {
                        let n = p
                            .dispositions
                            .iter()
                            .filter(|c| c.disposition == *d)
                            .map(|c| c.count)
                            .sum();
                        format_count(ctx.locale, n)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The dispositions' names, in the overview table's column order.
pub(super) fn disposition_columns() -> Vec<&'static str> {
    Disposition::ALL.iter().map(|d| d.label_key()).collect()
}
