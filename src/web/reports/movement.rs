//! How stances moved since the round this one follows, and what commenters
//! answered to the response, as the report pages show them.

use super::views::{group_label, pct};
use crate::codes::Locale;
use crate::reports::movement::{Movement, Panel, ProvisionMovement, Transitions};
use crate::reports::{ProvisionReport, Snapshot};
use crate::submissions::Stance;
use crate::web::page::Ctx;
use serde::Serialize;

/// A change in points, signed ("+12", "−5", "0").
fn points(change: Option<f64>) -> String {
    match change.map(|d| (d * 100.0).round() as i64) {
        None => "—".into(),
        Some(0) => "0".into(),
        Some(n) if n > 0 => format!("+{n}"),
        Some(n) => format!("−{}", -n),
    }
}

fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{}", v.round() as i64))
}

/// A provision's convergence line: the verdict and the figures behind it.
#[derive(Serialize)]
pub(super) struct ConvergenceLine {
    label_key: &'static str,
    answered_both: i64,
    lowest_before: String,
    lowest_after: String,
    lowest_change: String,
    score_before: String,
    score_after: String,
    score_change: String,
    towards: String,
}

fn line(locale: Locale, m: &ProvisionMovement) -> ConvergenceLine {
    ConvergenceLine {
        label_key: m.convergence.label_key(),
        answered_both: m.overall.answered_both,
        lowest_before: pct(locale, m.before.lowest_group_support),
        lowest_after: pct(locale, m.after.lowest_group_support),
        lowest_change: points(m.lowest_group_support_change),
        score_before: score(m.before.consensus_score),
        score_after: score(m.after.consensus_score),
        score_change: points(m.consensus_score_change.map(|d| d / 100.0)),
        towards: pct(locale, m.overall.towards_support_share),
    }
}

pub(super) fn convergence_line(ctx: &Ctx, s: &Snapshot, key: &str) -> Option<ConvergenceLine> {
    Some(line(ctx.locale, s.movement.as_ref()?.provision(key)?))
}

#[derive(Serialize)]
struct TransitionRow {
    from_key: String,
    cells: Vec<i64>,
}

#[derive(Serialize)]
struct TransitionTable {
    id: String,
    caption: String,
    answered_both: i64,
    towards: String,
    away: i64,
    rows: Vec<TransitionRow>,
}

fn table(ctx: &Ctx, id_prefix: &str, key: &str, t: &Transitions) -> TransitionTable {
    let name = match t.group {
        Some(g) => group_label(ctx.locale, g),
        None => ctx.t("report-all-groups"),
    };
    TransitionTable {
        id: format!(
            "{id_prefix}-{key}-{}",
            t.group.map_or("all", |g| g.as_str())
        ),
        caption: name,
        answered_both: t.answered_both,
        towards: pct(ctx.locale, t.towards_support_share),
        away: t.away_from_support,
        rows: Stance::ALL
            .iter()
            .map(|&from| TransitionRow {
                from_key: from.label_key(),
                cells: Stance::ALL.iter().map(|&to| t.count(from, to)).collect(),
            })
            .collect(),
    }
}

/// One panel's movement on a provision.
#[derive(Serialize)]
struct PanelView {
    /// The heading of a second panel (per organization, under `both`).
    heading_key: Option<&'static str>,
    /// Says who answered in both rounds: participants, or organizations and
    /// people in no organization.
    line_key: &'static str,
    line: ConvergenceLine,
    tables: Vec<TransitionTable>,
}

#[derive(Serialize)]
pub(super) struct MovementView {
    follows_round: i32,
    stance_keys: Vec<String>,
    panels: Vec<PanelView>,
}

/// The report's panels, in the order of the round's counting policy.
fn panels(s: &Snapshot) -> impl Iterator<Item = (&Movement, Panel)> {
    [&s.movement, &s.organization_movement]
        .into_iter()
        .flatten()
        .zip(Panel::of(s.counting).iter().copied())
}

pub(super) fn movement_view(ctx: &Ctx, s: &Snapshot, key: &str) -> Option<MovementView> {
    let panels: Vec<PanelView> = panels(s)
        .enumerate()
        .filter_map(|(i, (movement, panel))| {
            let m = movement.provision(key)?;
            let id_prefix = match panel {
                Panel::PerPerson => "movement",
                Panel::PerOrganization => "movement-org",
            };
            Some(PanelView {
                heading_key: (i > 0).then_some("movement-organization-heading"),
                line_key: match panel {
                    Panel::PerPerson => "movement-line",
                    Panel::PerOrganization => "movement-line-organizations",
                },
                line: line(ctx.locale, m),
                tables: std::iter::once(&m.overall)
                    .chain(&m.groups)
                    .map(|t| table(ctx, id_prefix, key, t))
                    .collect(),
            })
        })
        .collect();
    (!panels.is_empty()).then(|| MovementView {
        follows_round: s.movement.as_ref().map_or(0, |m| m.follows_round),
        stance_keys: Stance::ALL.iter().map(|s| s.label_key()).collect(),
        panels,
    })
}

#[derive(Serialize)]
pub(super) struct AnswerRow {
    label: String,
    satisfied: i64,
    not_satisfied: i64,
    formal_objection: i64,
}

pub(super) fn answer_rows(ctx: &Ctx, p: &ProvisionReport) -> Vec<AnswerRow> {
    p.answers
        .iter()
        .map(|a| AnswerRow {
            label: a.group.map_or_else(
                || ctx.t("report-all-groups"),
                |g| group_label(ctx.locale, g),
            ),
            satisfied: a.satisfied,
            not_satisfied: a.not_satisfied,
            formal_objection: a.formal_objection,
        })
        .collect()
}

/// The groups objecting as a whole, named in the reader's language.
pub(super) fn objecting(ctx: &Ctx, p: &ProvisionReport) -> Option<String> {
    (!p.objecting_groups.is_empty()).then(|| {
        p.objecting_groups
            .iter()
            .map(|&g| group_label(ctx.locale, g))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::points;

    #[test]
    fn changes_are_signed_points() {
        assert_eq!(points(Some(0.334)), "+33");
        assert_eq!(points(Some(-0.05)), "−5");
        assert_eq!(points(Some(0.001)), "0");
        assert_eq!(points(None), "—");
    }
}
