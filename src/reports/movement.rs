//! How stances moved between a round and the round it follows (Delphi
//! rounds): who answered both, per provision present in both drafts (matched
//! by key) and per stakeholder group, the transition table of stances, the
//! share who moved towards support, the change in the consensus score and in
//! the lowest group's support, and whether the provision converges.
//!
//! Every figure is computed over the **panel**: the members who submitted in
//! both rounds and took a stance on the provision in both. Comparing the
//! panel with itself measures minds changing, not a different crowd turning
//! up; it is also what makes the figures recomputable from movement.csv.
//! Who a member is follows the round's counting policy: per person, a person
//! (one account, by their personal submissions); per organization, an
//! organization (by its official submissions) or a person in no
//! organization, members' personal submissions being left out as they are
//! from the figures; under `both`, the report carries both panels.
//!
//! Privacy: movement.csv has one row per member-provision pair, under a
//! pseudonym, only for members whose disclosure was `attributed` or
//! `organization` in both rounds (an organization's official position
//! normally is) and when neither round was held under the Chatham House
//! Rule; everyone else is counted in aggregated rows (group, region, from,
//! to, count), where a cell under [`MIN_CELL`] loses its region (merged with
//! the group's other small cells of the same transition). No row carries a
//! text, so nothing links a quote to a person across rounds.

use super::figures::{self, CountRow};
use super::live::region_of;
use super::privacy::{Privacy, Source};
use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, rounds, submissions};
use crate::db::{DbConnection, ProvisionId, RoundId};
use crate::drafts::Provision;
use crate::rounds::{Attribution, Counting, Round};
use crate::submissions::{CountsFor, Disclosure, Stance};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// A member of the panel: a person, or an organization by its official
/// submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Member {
    Person(i64),
    Organization(i64),
}

/// Who makes up a panel, after the round's counting policy: every person
/// (personal submissions, members' included), or every organization by its
/// official submission and every person in no organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    PerPerson,
    PerOrganization,
}

impl Panel {
    /// The panels a round's report shows, the first one in `movement`.
    pub fn of(counting: Counting) -> &'static [Panel] {
        match counting {
            Counting::PerPerson => &[Panel::PerPerson],
            Counting::PerOrganization => &[Panel::PerOrganization],
            Counting::Both => &[Panel::PerPerson, Panel::PerOrganization],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Panel::PerPerson => "per_person",
            Panel::PerOrganization => "per_organization",
        }
    }

    fn counts(self, counts_for: CountsFor) -> bool {
        match self {
            Panel::PerPerson => counts_for.per_person(),
            Panel::PerOrganization => counts_for.per_organization(),
        }
    }
}

/// One panel member's stance on one provision in both rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub member: Member,
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
    /// Members of the panel who answered the provision in both rounds.
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
    /// Members of the panel: who submitted in both rounds (see `Member`).
    pub participants: i64,
    /// Provisions present in both drafts, in this round's order.
    pub provisions: Vec<ProvisionMovement>,
}

impl Movement {
    pub fn provision(&self, key: &str) -> Option<&ProvisionMovement> {
        self.provisions.iter().find(|p| p.key == key)
    }
}

/// Gathers a panel's movement one provision at a time, so that a large
/// round's pairs never sit in memory all at once.
pub struct Builder {
    follows_round: i32,
    min_group_size: i64,
    members: HashSet<Member>,
    provisions: Vec<ProvisionMovement>,
}

impl Builder {
    pub fn new(follows_round: i32, min_group_size: i64) -> Self {
        Self {
            follows_round,
            min_group_size,
            members: HashSet::new(),
            provisions: vec![],
        }
    }

    /// The next provision (in the round's order) and its pairs; a provision
    /// without any is left out.
    pub fn provision(&mut self, key: &str, pairs: &[Pair]) {
        if pairs.is_empty() {
            return;
        }
        self.members.extend(pairs.iter().map(|p| p.member));
        self.provisions
            .push(provision_movement(key, pairs, self.min_group_size));
    }

    pub fn finish(self) -> Movement {
        Movement {
            follows_round: self.follows_round,
            participants: self.members.len() as i64,
            provisions: self.provisions,
        }
    }
}

fn provision_movement(key: &str, pairs: &[Pair], min_group_size: i64) -> ProvisionMovement {
    let mut overall = Transitions::new(None);
    let mut by_group: BTreeMap<StakeholderGroup, Transitions> = BTreeMap::new();
    // Count rows per (group, stance) in each round: the panel's figures.
    let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
    for p in pairs {
        overall.add(p.from, p.to, 1);
        by_group
            .entry(p.group)
            .or_insert_with(|| Transitions::new(Some(p.group)))
            .add(p.from, p.to, 1);
        *before.entry((p.group, p.from)).or_insert(0) += 1;
        *after.entry((p.group, p.to)).or_insert(0) += 1;
    }
    let keys = [key.to_string()];
    let panel = |counts: BTreeMap<(StakeholderGroup, Stance), i64>| {
        let rows: Vec<CountRow> = counts
            .into_iter()
            .map(|((group, stance), count)| CountRow {
                provision_key: key.to_string(),
                group,
                verified: false,
                stance,
                count,
            })
            .collect();
        let f = figures::compute(&keys, &rows, min_group_size).remove(0);
        PanelFigures {
            consensus_score: f.score_out_of_100(),
            lowest_group_support: f.lowest_group_support(),
        }
    };
    let (before, after) = (panel(before), panel(after));
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
pub const CSV_HEADER: [&str; 9] = [
    "row_kind",
    "participant",
    "provision_key",
    "stakeholder_group",
    "region",
    "from_stance",
    "to_stance",
    "count",
    "counting",
];

/// movement.csv, written a provision at a time: the named members' rows (by
/// pseudonym; `row_kind` says whether a person or an organization), then the
/// aggregated rows of everyone else; the `counting` column says which panel
/// a row belongs to.
pub struct CsvWriter {
    out: csv::Writer<Vec<u8>>,
}

impl CsvWriter {
    pub fn new() -> Result<Self, csv::Error> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(CSV_HEADER)?;
        Ok(Self { out })
    }

    pub fn provision(
        &mut self,
        panel: Panel,
        key: &str,
        pairs: &[Pair],
        pseudonym: impl Fn(Member) -> String,
    ) -> Result<(), csv::Error> {
        let counting = panel.as_str();
        let mut named: Vec<(String, &Pair)> = vec![];
        let mut cells: BTreeMap<(StakeholderGroup, &str, Stance, Stance), i64> = BTreeMap::new();
        for p in pairs {
            if p.named {
                named.push((pseudonym(p.member), p));
            } else {
                *cells.entry((p.group, p.region, p.from, p.to)).or_default() += 1;
            }
        }
        named.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, p) in named {
            let kind = match p.member {
                Member::Person(_) => "participant",
                Member::Organization(_) => "organization",
            };
            self.out.write_record([
                kind,
                &id,
                key,
                p.group.as_str(),
                p.region,
                p.from.as_str(),
                p.to.as_str(),
                "1",
                counting,
            ])?;
        }
        let mut merged: BTreeMap<(StakeholderGroup, &str, Stance, Stance), i64> = BTreeMap::new();
        for ((group, region, from, to), n) in cells {
            let region = if n < MIN_CELL { "" } else { region };
            *merged.entry((group, region, from, to)).or_default() += n;
        }
        for ((group, region, from, to), n) in merged {
            self.out.write_record([
                "aggregate",
                "",
                key,
                group.as_str(),
                region,
                from.as_str(),
                to.as_str(),
                &n.to_string(),
                counting,
            ])?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<String, csv::Error> {
        let bytes = self
            .out
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// One submitted stance on a provision, as read for the pairing.
#[derive(Queryable)]
struct StanceRow {
    id: i64,
    participant: i64,
    organization: Option<i64>,
    counts_for: String,
    stance: Option<String>,
    group: String,
    country: String,
    disclosure: String,
}

/// What a stance row means for the pairing.
struct Read {
    member: Member,
    counts_for: CountsFor,
    stance: Stance,
    group: Option<StakeholderGroup>,
    region: &'static str,
    named: bool,
}

impl StanceRow {
    fn read(self) -> Option<Read> {
        let counts_for = CountsFor::parse(&self.counts_for)?;
        // An official submission speaks for its organization; a personal
        // one (in an organization or not) for its author.
        let member = match (counts_for, self.organization) {
            (CountsFor::Organization, Some(org)) => Member::Organization(org),
            (CountsFor::Person | CountsFor::Member, _) => Member::Person(self.participant),
            _ => return None,
        };
        Some(Read {
            member,
            counts_for,
            stance: Stance::parse(self.stance.as_deref()?)?,
            group: StakeholderGroup::parse(&self.group),
            region: region_of(&self.country),
            named: matches!(
                Disclosure::parse(&self.disclosure),
                Some(Disclosure::Attributed | Disclosure::Organization)
            ),
        })
    }
}

/// Rows read per query: a provision of a large round is read in pieces.
const BATCH: i64 = 10_000;

/// Calls `each` with every stance submitted to `round` on `provision`.
fn each_stance(
    conn: &mut DbConnection,
    round: RoundId,
    provision: ProvisionId,
    mut each: impl FnMut(Read),
) -> QueryResult<()> {
    let mut after = 0;
    loop {
        let rows: Vec<StanceRow> = positions::table
            .inner_join(submissions::table)
            .filter(positions::provision_id.eq(provision))
            .filter(positions::id.gt(after))
            .filter(submissions::round_id.eq(round))
            .filter(submissions::status.eq("submitted"))
            .filter(positions::stance.is_not_null())
            .order(positions::id.asc())
            .limit(BATCH)
            .select((
                positions::id,
                submissions::participant_id,
                submissions::organization_id,
                submissions::counts_for,
                positions::stance,
                submissions::stakeholder_group,
                submissions::country,
                submissions::disclosure,
            ))
            .load(conn)?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.id;
        let full = rows.len() as i64 == BATCH;
        rows.into_iter()
            .filter_map(StanceRow::read)
            .for_each(&mut each);
        if !full {
            return Ok(());
        }
    }
}

/// The pairs of each panel on one provision: its stances in the earlier
/// round (`before`, on that round's draft) and in `round`. Group and region
/// are those given in the later round; a member counts in a panel when both
/// submissions count in it.
fn pairs_on(
    conn: &mut DbConnection,
    (earlier, before): (RoundId, ProvisionId),
    (round, now): (RoundId, ProvisionId),
    panels: &[Panel],
    chatham: bool,
) -> QueryResult<Vec<Vec<Pair>>> {
    let mut earlier_stances: HashMap<Member, (Stance, CountsFor, bool)> = HashMap::new();
    each_stance(conn, earlier, before, |r| {
        earlier_stances.insert(r.member, (r.stance, r.counts_for, r.named));
    })?;
    let mut pairs = vec![vec![]; panels.len()];
    each_stance(conn, round, now, |r| {
        let (Some(&(from, counted_before, named_before)), Some(group)) =
            (earlier_stances.get(&r.member), r.group)
        else {
            return;
        };
        for (panel, pairs) in panels.iter().zip(&mut pairs) {
            if panel.counts(counted_before) && panel.counts(r.counts_for) {
                pairs.push(Pair {
                    member: r.member,
                    group,
                    region: r.region,
                    named: !chatham && named_before && r.named,
                    from,
                    to: r.stance,
                });
            }
        }
    })?;
    Ok(pairs)
}

/// What a round's report says about movement: one `Movement` per panel of
/// its counting policy (per person first under `both`), and movement.csv.
pub(super) struct RoundMovement {
    pub movements: Vec<Movement>,
    pub csv: String,
}

/// The round's movement, or None when it follows no round. Provisions are
/// read one at a time (see `Builder`).
pub(super) fn of_round(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[Provision],
    privacy: &Privacy,
) -> Result<Option<RoundMovement>, super::ReportError> {
    let Some(earlier) = round.follows_round_id else {
        return Ok(None);
    };
    let earlier: Round = rounds::table
        .find(earlier)
        .select(Round::as_select())
        .first(conn)?;
    let chatham = round.attribution() == Attribution::ChathamHouse
        || earlier.attribution() == Attribution::ChathamHouse;
    let earlier_provisions: HashMap<String, ProvisionId> =
        crate::drafts::provisions_of(conn, earlier.draft_version_id)?
            .into_iter()
            .map(|p| (p.provision_key, p.id))
            .collect();
    let panels = Panel::of(round.counting());
    let min = i64::from(round.min_group_size);
    let mut builders: Vec<Builder> = panels
        .iter()
        .map(|_| Builder::new(earlier.number, min))
        .collect();
    let mut csv = CsvWriter::new()?;
    let pseudonym = |m: Member| {
        privacy.public_id(match m {
            Member::Person(id) => Source::Participant(id),
            Member::Organization(id) => Source::Organization(id),
        })
    };
    for p in provisions {
        let Some(&before) = earlier_provisions.get(&p.provision_key) else {
            continue;
        };
        let pairs = pairs_on(
            conn,
            (earlier.id, before),
            (round.id, p.id),
            panels,
            chatham,
        )?;
        for ((panel, builder), pairs) in panels.iter().zip(&mut builders).zip(pairs) {
            builder.provision(&p.provision_key, &pairs);
            csv.provision(*panel, &p.provision_key, &pairs, pseudonym)?;
        }
    }
    Ok(Some(RoundMovement {
        movements: builders.into_iter().map(Builder::finish).collect(),
        csv: csv.finish()?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use StakeholderGroup::*;
    use Stance::*;

    fn pair(participant: i64, group: StakeholderGroup, from: Stance, to: Stance) -> Pair {
        Pair {
            member: Member::Person(participant),
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
        let mut b = Builder::new(1, 3);
        b.provision("art-1", &pairs);
        b.provision("art-2", &[]);
        let m = b.finish();
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
    fn a_person_and_an_organization_with_the_same_id_are_two_members() {
        let mut org = pair(1, Government, Oppose, Support);
        org.member = Member::Organization(1);
        let mut b = Builder::new(1, 3);
        b.provision("art-1", &[pair(1, Government, Oppose, Oppose), org]);
        assert_eq!(b.finish().participants, 2);
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
        let mut org = pair(4, Academia, Support, Support);
        org.member = Member::Organization(9);
        pairs.push(org);
        let mut csv = CsvWriter::new().unwrap();
        let name = |m: Member| match m {
            Member::Person(id) => format!("p{id}"),
            Member::Organization(id) => format!("o{id}"),
        };
        csv.provision(Panel::PerOrganization, "art-1", &pairs, name)
            .unwrap();
        let csv = csv.finish().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "row_kind,participant,provision_key,stakeholder_group,region,from_stance,to_stance,count,counting",
                "organization,o9,art-1,academia,Europe,support,support,1,per_organization",
                "participant,p2,art-1,academia,Europe,oppose,oppose,1,per_organization",
                "aggregate,,art-1,academia,,oppose,support,1,per_organization",
                "aggregate,,art-1,academia,Europe,oppose,support,5,per_organization",
            ]
        );
    }
}
