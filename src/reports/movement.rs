//! How stances moved between a round and the round it follows (Delphi
//! rounds): who answered both, per provision present in both drafts (matched
//! by key) and per stakeholder group, the transition table of stances, the
//! share who moved towards support, the change in the consensus score and in
//! the lowest group's support, and whether the provision converges.
//!
//! Every figure is computed over the **panel**: participants (one account)
//! who submitted in both rounds and took a stance on the provision in both.
//! Comparing the panel with itself measures people changing their minds, not
//! a different crowd turning up; it is also what makes the figures
//! recomputable from movement.csv.
//!
//! Privacy: movement.csv has one row per participant-provision pair, under a
//! pseudonym, only for participants whose disclosure was `attributed` or
//! `organization` in both rounds and when neither round was held under the
//! Chatham House Rule; everyone else is counted in aggregated rows (group,
//! region, from, to, count), where a cell under [`MIN_CELL`] loses its region
//! (merged with the group's other small cells of the same transition). No
//! row carries a text, so nothing links a quote to a person across rounds.

use super::figures::{self, CountRow};
use super::live::region_of;
use super::privacy::{Privacy, Source};
use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, provisions, rounds, submissions};
use crate::db::{DbConnection, RoundId};
use crate::drafts::Provision;
use crate::rounds::{Attribution, Round};
use crate::submissions::{Disclosure, Stance};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A change of the lowest group's support share of at least this much (10
/// percentage points) makes a provision converging or diverging.
pub const CONVERGENCE_THRESHOLD: f64 = 0.10;
/// Shares are ratios of small integers: 0.1 must not fall short through
/// rounding.
const EPSILON: f64 = 1e-9;
/// An aggregated movement.csv cell smaller than this loses its region.
pub const MIN_CELL: i64 = 5;

/// Where a stance stands on the way to support, by the aggregation rules:
/// both kinds of support count as support, "no position" counts neither way,
/// opposition is furthest. Moving to a higher rank is moving towards support.
pub fn support_rank(stance: Stance) -> u8 {
    match stance {
        Stance::Oppose => 0,
        Stance::NoPosition => 1,
        Stance::SupportWithChanges | Stance::Support => 2,
    }
}

/// One participant's stance on one provision in both rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub participant: i64,
    pub provision_key: String,
    pub group: StakeholderGroup,
    pub region: &'static str,
    /// May stand in movement.csv under a pseudonym (see the module's notes).
    pub named: bool,
    pub from: Stance,
    pub to: Stance,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Transition {
    pub from: Stance,
    pub to: Stance,
    pub count: i64,
}

/// A transition table and what it says about support.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Transitions {
    /// `None` for every group together.
    pub group: Option<StakeholderGroup>,
    /// Participants who answered the provision in both rounds.
    pub answered_both: i64,
    /// Every (from, to) pair, in stance order, zeros included.
    pub table: Vec<Transition>,
    pub towards_support: i64,
    pub away_from_support: i64,
    /// towards_support / answered_both.
    pub towards_support_share: Option<f64>,
}

impl Transitions {
    fn new(group: Option<StakeholderGroup>) -> Self {
        let table = Stance::ALL
            .iter()
            .flat_map(|&from| {
                Stance::ALL
                    .iter()
                    .map(move |&to| Transition { from, to, count: 0 })
            })
            .collect();
        Self {
            group,
            answered_both: 0,
            table,
            towards_support: 0,
            away_from_support: 0,
            towards_support_share: None,
        }
    }

    fn add(&mut self, from: Stance, to: Stance, n: i64) {
        let index = |s: Stance| Stance::ALL.iter().position(|&x| x == s).unwrap_or(0);
        self.table[index(from) * Stance::ALL.len() + index(to)].count += n;
        self.answered_both += n;
        match support_rank(to).cmp(&support_rank(from)) {
            std::cmp::Ordering::Greater => self.towards_support += n,
            std::cmp::Ordering::Less => self.away_from_support += n,
            std::cmp::Ordering::Equal => {}
        }
        self.towards_support_share = Some(self.towards_support as f64 / self.answered_both as f64);
    }

    pub fn count(&self, from: Stance, to: Stance) -> i64 {
        self.table
            .iter()
            .find(|t| t.from == from && t.to == to)
            .map_or(0, |t| t.count)
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Convergence {
    Converging,
    Diverging,
    Stable,
    /// No group reached the minimum group size in the panel in both rounds.
    NotEnoughResponses,
}

impl Convergence {
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Converging => "convergence-converging",
            Self::Diverging => "convergence-diverging",
            Self::Stable => "convergence-stable",
            Self::NotEnoughResponses => "convergence-not-enough",
        }
    }

    /// From the change in the lowest group's support share.
    pub fn of(lowest_change: Option<f64>) -> Self {
        match lowest_change {
            None => Self::NotEnoughResponses,
            Some(d) if d >= CONVERGENCE_THRESHOLD - EPSILON => Self::Converging,
            Some(d) if d <= -CONVERGENCE_THRESHOLD + EPSILON => Self::Diverging,
            Some(_) => Self::Stable,
        }
    }
}

/// The panel's figures on one provision in one round.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PanelFigures {
    /// The consensus score out of 100, as the report shows it.
    pub consensus_score: Option<f64>,
    pub lowest_group_support: Option<f64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ProvisionMovement {
    pub key: String,
    pub overall: Transitions,
    /// Groups with at least one participant in both rounds, in group order.
    pub groups: Vec<Transitions>,
    pub before: PanelFigures,
    pub after: PanelFigures,
    pub consensus_score_change: Option<f64>,
    pub lowest_group_support_change: Option<f64>,
    pub convergence: Convergence,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Movement {
    /// The number of the round this one follows.
    pub follows_round: i32,
    /// Participants who submitted in both rounds.
    pub participants: i64,
    /// Provisions present in both drafts, in this round's order.
    pub provisions: Vec<ProvisionMovement>,
}

impl Movement {
    pub fn provision(&self, key: &str) -> Option<&ProvisionMovement> {
        self.provisions.iter().find(|p| p.key == key)
    }
}

/// The movement figures of `pairs` for the provisions `keys_in_order`.
pub fn compute(
    follows_round: i32,
    keys_in_order: &[String],
    pairs: &[Pair],
    min_group_size: i64,
) -> Movement {
    let mut participants: Vec<i64> = pairs.iter().map(|p| p.participant).collect();
    participants.sort_unstable();
    participants.dedup();
    let provisions = keys_in_order
        .iter()
        .filter_map(|key| {
            let on: Vec<&Pair> = pairs.iter().filter(|p| &p.provision_key == key).collect();
            (!on.is_empty()).then(|| provision_movement(key, &on, min_group_size))
        })
        .collect();
    Movement {
        follows_round,
        participants: participants.len() as i64,
        provisions,
    }
}

fn provision_movement(key: &str, pairs: &[&Pair], min_group_size: i64) -> ProvisionMovement {
    let mut overall = Transitions::new(None);
    let mut by_group: BTreeMap<StakeholderGroup, Transitions> = BTreeMap::new();
    let (mut before, mut after) = (vec![], vec![]);
    for p in pairs {
        overall.add(p.from, p.to, 1);
        by_group
            .entry(p.group)
            .or_insert_with(|| Transitions::new(Some(p.group)))
            .add(p.from, p.to, 1);
        for (rows, stance) in [(&mut before, p.from), (&mut after, p.to)] {
            rows.push(CountRow {
                provision_key: key.to_string(),
                group: p.group,
                verified: false,
                stance,
                count: 1,
            });
        }
    }
    let keys = [key.to_string()];
    let panel = |rows: &[CountRow]| {
        let f = figures::compute(&keys, rows, min_group_size).remove(0);
        PanelFigures {
            consensus_score: f.score_out_of_100(),
            lowest_group_support: f.lowest_group_support(),
        }
    };
    let (before, after) = (panel(&before), panel(&after));
    let change = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
    let lowest_change = change(before.lowest_group_support, after.lowest_group_support);
    ProvisionMovement {
        key: key.to_string(),
        overall,
        groups: by_group.into_values().collect(),
        consensus_score_change: change(before.consensus_score, after.consensus_score),
        lowest_group_support_change: lowest_change,
        convergence: Convergence::of(lowest_change),
        before,
        after,
    }
}

/// Columns are only ever added at the end.
pub const CSV_HEADER: [&str; 8] = [
    "row_kind",
    "participant",
    "provision_key",
    "stakeholder_group",
    "region",
    "from_stance",
    "to_stance",
    "count",
];

/// movement.csv: per provision in order, the named participants' rows (by
/// pseudonym), then the aggregated rows of everyone else.
pub fn csv(
    keys_in_order: &[String],
    pairs: &[Pair],
    pseudonym: impl Fn(i64) -> String,
) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_HEADER)?;
    for key in keys_in_order {
        let on = pairs.iter().filter(|p| &p.provision_key == key);
        let mut named: Vec<(String, &Pair)> = vec![];
        let mut cells: BTreeMap<(StakeholderGroup, &str, Stance, Stance), i64> = BTreeMap::new();
        for p in on {
            if p.named {
                named.push((pseudonym(p.participant), p));
            } else {
                *cells.entry((p.group, p.region, p.from, p.to)).or_default() += 1;
            }
        }
        named.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, p) in named {
            out.write_record([
                "participant",
                &id,
                key,
                p.group.as_str(),
                p.region,
                p.from.as_str(),
                p.to.as_str(),
                "1",
            ])?;
        }
        let mut merged: BTreeMap<(StakeholderGroup, &str, Stance, Stance), i64> = BTreeMap::new();
        for ((group, region, from, to), n) in cells {
            let region = if n < MIN_CELL { "" } else { region };
            *merged.entry((group, region, from, to)).or_default() += n;
        }
        for ((group, region, from, to), n) in merged {
            out.write_record([
                "aggregate",
                "",
                key,
                group.as_str(),
                region,
                from.as_str(),
                to.as_str(),
                &n.to_string(),
            ])?;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One submitted stance, as read for the pairing.
#[derive(Queryable)]
struct StanceRow {
    participant: i64,
    key: String,
    stance: Option<String>,
    group: String,
    country: String,
    disclosure: String,
}

fn stances(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<StanceRow>> {
    positions::table
        .inner_join(submissions::table)
        .inner_join(provisions::table)
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(positions::stance.is_not_null())
        .select((
            submissions::participant_id,
            provisions::provision_key,
            positions::stance,
            submissions::stakeholder_group,
            submissions::country,
            submissions::disclosure,
        ))
        .load(conn)
}

fn named_disclosure(code: &str) -> bool {
    matches!(
        Disclosure::parse(code),
        Some(Disclosure::Attributed | Disclosure::Organization)
    )
}

/// The pairs of `round` and the round it follows; group and region are those
/// given in the later round. None when the round follows none.
fn pairs(conn: &mut DbConnection, round: &Round) -> QueryResult<Option<(Round, Vec<Pair>)>> {
    let Some(earlier) = round.follows_round_id else {
        return Ok(None);
    };
    let earlier: Round = rounds::table
        .find(earlier)
        .select(Round::as_select())
        .first(conn)?;
    let chatham = round.attribution() == Attribution::ChathamHouse
        || earlier.attribution() == Attribution::ChathamHouse;
    let mut before: HashMap<(i64, String), (Stance, bool)> = HashMap::new();
    for row in stances(conn, earlier.id)? {
        if let Some(stance) = row.stance.as_deref().and_then(Stance::parse) {
            before.insert(
                (row.participant, row.key),
                (stance, named_disclosure(&row.disclosure)),
            );
        }
    }
    let mut pairs = vec![];
    for row in stances(conn, round.id)? {
        let (Some(to), Some(group)) = (
            row.stance.as_deref().and_then(Stance::parse),
            StakeholderGroup::parse(&row.group),
        ) else {
            continue;
        };
        let Some(&(from, named_before)) = before.get(&(row.participant, row.key.clone())) else {
            continue;
        };
        pairs.push(Pair {
            participant: row.participant,
            provision_key: row.key,
            group,
            region: region_of(&row.country),
            named: !chatham && named_before && named_disclosure(&row.disclosure),
            from,
            to,
        });
    }
    Ok(Some((earlier, pairs)))
}

/// The round's movement figures and its movement.csv, or None when it
/// follows no round.
pub(super) fn of_round(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[Provision],
    privacy: &Privacy,
) -> Result<Option<(Movement, String)>, super::ReportError> {
    let Some((earlier, pairs)) = pairs(conn, round)? else {
        return Ok(None);
    };
    let keys: Vec<String> = provisions.iter().map(|p| p.provision_key.clone()).collect();
    let movement = compute(
        earlier.number,
        &keys,
        &pairs,
        i64::from(round.min_group_size),
    );
    let csv = csv(&keys, &pairs, |id| {
        privacy.public_id(Source::Participant(id))
    })?;
    Ok(Some((movement, csv)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use StakeholderGroup::*;
    use Stance::*;

    fn pair(participant: i64, group: StakeholderGroup, from: Stance, to: Stance) -> Pair {
        Pair {
            participant,
            provision_key: "art-1".into(),
            group,
            region: "Europe",
            named: participant % 2 == 0,
            from,
            to,
        }
    }

    #[test]
    fn moving_to_either_kind_of_support_is_towards_support_and_between_them_is_not() {
        let mut t = Transitions::new(None);
        t.add(Oppose, SupportWithChanges, 1);
        t.add(NoPosition, Support, 1);
        t.add(Support, SupportWithChanges, 1);
        t.add(Support, Oppose, 1);
        assert_eq!((t.towards_support, t.away_from_support), (2, 1));
        assert_eq!(t.towards_support_share, Some(0.5));
        assert_eq!(t.count(Support, SupportWithChanges), 1);
        assert_eq!(t.table.len(), 16);
    }

    #[test]
    fn a_group_rising_by_ten_points_converges() {
        assert_eq!(Convergence::of(Some(0.1)), Convergence::Converging);
        assert_eq!(Convergence::of(Some(-0.1)), Convergence::Diverging);
        assert_eq!(Convergence::of(Some(0.09)), Convergence::Stable);
        assert_eq!(Convergence::of(None), Convergence::NotEnoughResponses);
    }

    #[test]
    fn the_lowest_group_change_is_computed_over_the_panel() {
        let pairs = vec![
            pair(1, Government, Oppose, Support),
            pair(2, Government, Oppose, Oppose),
            pair(3, Government, Support, Support),
            pair(4, CivilSociety, Support, Support),
            pair(5, CivilSociety, Support, Support),
            pair(6, CivilSociety, Oppose, Support),
        ];
        let m = compute(1, &["art-1".into(), "art-2".into()], &pairs, 3);
        assert_eq!(m.participants, 6);
        assert_eq!(m.provisions.len(), 1, "art-2 has no pair");
        let p = &m.provisions[0];
        // Government 1/3 → 2/3; civil society 2/3 → 3/3.
        assert_eq!(p.before.lowest_group_support, Some(1.0 / 3.0));
        assert_eq!(p.after.lowest_group_support, Some(2.0 / 3.0));
        assert_eq!(p.convergence, Convergence::Converging);
        assert_eq!(p.groups.len(), 2);
        assert_eq!(p.groups[0].count(Oppose, Support), 1);
        assert_eq!(p.overall.towards_support, 2);
    }

    #[test]
    fn small_aggregated_cells_lose_their_region_and_named_rows_keep_a_pseudonym() {
        let mut pairs: Vec<Pair> = (0..6)
            .map(|i| {
                let mut p = pair(2 * i + 1, Academia, Oppose, Support);
                p.region = if i < 5 { "Europe" } else { "Africa" };
                p
            })
            .collect();
        pairs.push(pair(2, Academia, Oppose, Oppose));
        let csv = csv(&["art-1".into()], &pairs, |id| format!("p{id}")).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "row_kind,participant,provision_key,stakeholder_group,region,from_stance,to_stance,count",
                "participant,p2,art-1,academia,Europe,oppose,oppose,1",
                "aggregate,,art-1,academia,,oppose,support,1",
                "aggregate,,art-1,academia,Europe,oppose,support,5",
            ]
        );
    }
}
