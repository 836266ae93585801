//! Per-provision figures computed from grouped counts.
//!
//! The database does the GROUP BY (provision, group, verified, stance); this
//! module turns its rows into the figures a report shows, so the arithmetic is
//! the same whichever backend produced the rows and can be tested without one.

use crate::codes::StakeholderGroup;
use crate::submissions::Stance;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The threshold the methodology states as "two thirds".
const TWO_THIRDS: f64 = 2.0 / 3.0;
/// Shares are ratios of small integers, so 2 of 3 must not fall just short of
/// two thirds through rounding.
const EPSILON: f64 = 1e-9;

/// One row of the grouped count query.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    pub provision_key: String,
    pub group: StakeholderGroup,
    pub verified: bool,
    pub stance: Stance,
    pub count: i64,
}

#[derive(Default, Clone, Copy, Serialize, Deserialize, PartialEq, Debug)]
pub struct StanceCounts {
    pub support: i64,
    pub support_with_changes: i64,
    pub oppose: i64,
    pub no_position: i64,
}

impl StanceCounts {
    pub fn add(&mut self, stance: Stance, n: i64) {
        match stance {
            Stance::Support => self.support += n,
            Stance::SupportWithChanges => self.support_with_changes += n,
            Stance::Oppose => self.oppose += n,
            Stance::NoPosition => self.no_position += n,
        }
    }

    pub fn get(&self, stance: Stance) -> i64 {
        match stance {
            Stance::Support => self.support,
            Stance::SupportWithChanges => self.support_with_changes,
            Stance::Oppose => self.oppose,
            Stance::NoPosition => self.no_position,
        }
    }

    pub fn total(&self) -> i64 {
        self.support + self.support_with_changes + self.oppose + self.no_position
    }

    /// Participants who took a position; "no position" is not a response to
    /// the question of support.
    pub fn responses(&self) -> i64 {
        self.total() - self.no_position
    }

    pub fn supports(&self) -> i64 {
        self.support + self.support_with_changes
    }

    pub fn support_share(&self) -> Option<f64> {
        share(self.supports(), self.responses())
    }

    pub fn oppose_share(&self) -> Option<f64> {
        share(self.oppose, self.responses())
    }

    pub fn merge(&mut self, other: &StanceCounts) {
        self.support += other.support;
        self.support_with_changes += other.support_with_changes;
        self.oppose += other.oppose;
        self.no_position += other.no_position;
    }
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn at_least_two_thirds(share: f64) -> bool {
    share >= TWO_THIRDS - EPSILON
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct GroupFigures {
    pub group: StakeholderGroup,
    pub counts: StanceCounts,
    /// Of `counts`, those from participants whose affiliation was verified.
    pub verified: StanceCounts,
    pub support_share: Option<f64>,
    pub oppose_share: Option<f64>,
    pub counted_in_balance: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum ConsensusLabel {
    Consensus,
    /// Consensus by the figures, but a whole group filed a formal objection
    /// to the response (see answers/).
    ConsensusWithObjections,
    BroadSupport,
    Divided,
    Opposed,
    NotEnoughResponses,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ProvisionFigures {
    pub key: String,
    pub overall: StanceCounts,
    pub overall_verified: StanceCounts,
    /// In `StakeholderGroup::ALL` order; only groups with at least one row.
    pub groups: Vec<GroupFigures>,
    pub balanced_support: Option<f64>,
    pub balanced_oppose: Option<f64>,
    pub consensus_score: Option<f64>,
    pub label: ConsensusLabel,
}

impl ProvisionFigures {
    fn counted(&self) -> impl Iterator<Item = &GroupFigures> {
        self.groups.iter().filter(|g| g.counted_in_balance)
    }

    /// The lowest support share among the groups in the balance: a reader
    /// takes "every group ≥ 58%" in at once.
    pub fn lowest_group_support(&self) -> Option<f64> {
        self.counted()
            .filter_map(|g| g.support_share)
            .min_by(f64::total_cmp)
    }

    /// The consensus score on a scale a reader knows: the geometric mean
    /// over the groups in the balance of (supports + 1) / (responses + 2),
    /// times 100. A product over seven groups (0.04) means nothing to a
    /// reader; its seventh root (63) reads as a typical group's support and
    /// stays low when any group is low.
    pub fn score_out_of_100(&self) -> Option<f64> {
        let groups = self.counted().count();
        let score = self.consensus_score?;
        (groups > 0).then(|| score.powf(1.0 / groups as f64) * 100.0)
    }
}

/// Accumulates one group's rows for one provision.
#[derive(Default, Clone, Copy)]
struct GroupTally {
    seen: bool,
    counts: StanceCounts,
    verified: StanceCounts,
}

fn group_index(group: StakeholderGroup) -> usize {
    // `text_enum!` lists `ALL` in declaration order, so the discriminant is
    // the position in `ALL`.
    group as usize
}

/// Figures for each key of `keys_in_order`, in that order.
///
/// A group counts in the balance with at least `min_group_size` responses,
/// and never with none: a group without responses has no share to average.
pub fn compute(
    keys_in_order: &[String],
    rows: &[CountRow],
    min_group_size: i64,
) -> Vec<ProvisionFigures> {
    let index: HashMap<&str, usize> = keys_in_order
        .iter()
        .enumerate()
        .map(|(i, key)| (key.as_str(), i))
        .collect();
    let mut tallies =
        vec![[GroupTally::default(); StakeholderGroup::ALL.len()]; keys_in_order.len()];
    for row in rows {
        let Some(&i) = index.get(row.provision_key.as_str()) else {
            continue;
        };
        let tally = &mut tallies[i][group_index(row.group)];
        tally.seen = true;
        tally.counts.add(row.stance, row.count);
        if row.verified {
            tally.verified.add(row.stance, row.count);
        }
    }
    let min_responses = min_group_size.max(1);
    keys_in_order
        .iter()
        .zip(tallies)
        .map(|(key, tallies)| provision_figures(key, &tallies, min_responses))
        .collect()
}

fn provision_figures(key: &str, tallies: &[GroupTally], min_responses: i64) -> ProvisionFigures {
    let mut overall = StanceCounts::default();
    let mut overall_verified = StanceCounts::default();
    let mut groups = Vec::new();
    for (&group, tally) in StakeholderGroup::ALL.iter().zip(tallies) {
        if !tally.seen {
            continue;
        }
        overall.merge(&tally.counts);
        overall_verified.merge(&tally.verified);
        groups.push(GroupFigures {
            group,
            counts: tally.counts,
            verified: tally.verified,
            support_share: tally.counts.support_share(),
            oppose_share: tally.counts.oppose_share(),
            counted_in_balance: tally.counts.responses() >= min_responses,
        });
    }

    let counted: Vec<&GroupFigures> = groups.iter().filter(|g| g.counted_in_balance).collect();
    let mean = |share: fn(&GroupFigures) -> Option<f64>| -> Option<f64> {
        let shares: Vec<f64> = counted.iter().filter_map(|g| share(g)).collect();
        (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64)
    };
    let balanced_support = mean(|g| g.support_share);
    let balanced_oppose = mean(|g| g.oppose_share);
    let consensus_score = (!counted.is_empty()).then(|| {
        counted
            .iter()
            .map(|g| (g.counts.supports() + 1) as f64 / (g.counts.responses() + 2) as f64)
            .product()
    });

    let label = if counted.is_empty() {
        ConsensusLabel::NotEnoughResponses
    } else if counted
        .iter()
        .all(|g| g.support_share.is_some_and(at_least_two_thirds))
    {
        ConsensusLabel::Consensus
    } else if balanced_support.is_some_and(at_least_two_thirds) {
        ConsensusLabel::BroadSupport
    } else if balanced_oppose.is_some_and(at_least_two_thirds) {
        ConsensusLabel::Opposed
    } else {
        ConsensusLabel::Divided
    };

    ProvisionFigures {
        key: key.to_owned(),
        overall,
        overall_verified,
        groups,
        balanced_support,
        balanced_oppose,
        consensus_score,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StakeholderGroup::{Academia, CivilSociety, Government, Individual, Platform};
    use Stance::{NoPosition, Oppose, Support, SupportWithChanges};
    use proptest::prelude::*;

    fn row(
        key: &str,
        group: StakeholderGroup,
        verified: bool,
        stance: Stance,
        count: i64,
    ) -> CountRow {
        CountRow {
            provision_key: key.to_owned(),
            group,
            verified,
            stance,
            count,
        }
    }

    fn keys(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    /// Rows for one provision "p" giving `group` the stated supports and opposes.
    fn group_rows(group: StakeholderGroup, supports: i64, opposes: i64) -> Vec<CountRow> {
        vec![
            row("p", group, false, Support, supports),
            row("p", group, false, Oppose, opposes),
        ]
    }

    fn single(rows: &[CountRow], min_group_size: i64) -> ProvisionFigures {
        let mut figures = compute(&keys(&["p"]), rows, min_group_size);
        assert_eq!(figures.len(), 1);
        figures.remove(0)
    }

    fn approx(actual: Option<f64>, expected: f64) {
        let actual = actual.unwrap_or(f64::NAN);
        assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
    }

    #[test]
    fn support_share_counts_support_with_changes_and_leaves_out_no_position() {
        let counts = StanceCounts {
            support: 2,
            support_with_changes: 1,
            oppose: 1,
            no_position: 6,
        };
        assert_eq!(counts.total(), 10);
        assert_eq!(counts.responses(), 4);
        assert_eq!(counts.supports(), 3);
        approx(counts.support_share(), 0.75);
        approx(counts.oppose_share(), 0.25);
    }

    #[test]
    fn shares_are_absent_when_everyone_took_no_position() {
        let counts = StanceCounts {
            no_position: 5,
            ..Default::default()
        };
        assert_eq!(counts.support_share(), None);
        assert_eq!(counts.oppose_share(), None);
    }

    #[test]
    fn add_and_merge_put_each_stance_in_its_own_field() {
        let mut a = StanceCounts::default();
        a.add(Support, 1);
        a.add(SupportWithChanges, 2);
        a.add(Oppose, 3);
        a.add(NoPosition, 4);
        a.add(Oppose, 10);
        assert_eq!(
            a,
            StanceCounts {
                support: 1,
                support_with_changes: 2,
                oppose: 13,
                no_position: 4
            }
        );
        let mut b = a;
        b.merge(&a);
        assert_eq!(b.support, 2);
        assert_eq!(b.support_with_changes, 4);
        assert_eq!(b.oppose, 26);
        assert_eq!(b.no_position, 8);
        for &stance in Stance::ALL {
            assert_eq!(b.get(stance), 2 * a.get(stance));
        }
    }

    #[test]
    fn balanced_support_is_the_mean_of_group_shares_whatever_their_volume() {
        let mut rows = group_rows(Platform, 900, 100);
        rows.extend(group_rows(CivilSociety, 1, 3));
        let f = single(&rows, 3);
        approx(f.balanced_support, (0.9 + 0.25) / 2.0);
        approx(f.balanced_oppose, (0.1 + 0.75) / 2.0);
        approx(f.overall.support_share(), 901.0 / 1004.0);
    }

    #[test]
    fn a_group_below_the_minimum_is_listed_but_left_out_of_the_balance() {
        let mut rows = group_rows(Government, 3, 0);
        rows.extend(group_rows(Academia, 0, 2));
        let f = single(&rows, 3);
        assert_eq!(f.groups.len(), 2);
        assert!(f.groups[0].counted_in_balance);
        assert!(!f.groups[1].counted_in_balance);
        approx(f.groups[1].oppose_share, 1.0);
        approx(f.balanced_support, 1.0);
        approx(f.consensus_score, 4.0 / 5.0);
        assert_eq!(f.label, ConsensusLabel::Consensus);
    }

    #[test]
    fn no_position_does_not_count_towards_the_minimum_group_size() {
        let rows = vec![
            row("p", Government, false, Support, 2),
            row("p", Government, false, NoPosition, 5),
        ];
        let f = single(&rows, 3);
        assert!(!f.groups[0].counted_in_balance);
        assert_eq!(f.label, ConsensusLabel::NotEnoughResponses);
        assert_eq!(f.balanced_support, None);
        assert_eq!(f.balanced_oppose, None);
        assert_eq!(f.consensus_score, None);
    }

    #[test]
    fn a_group_with_only_no_position_never_counts_even_with_a_minimum_of_zero() {
        let rows = vec![row("p", Government, false, NoPosition, 5)];
        let f = single(&rows, 0);
        assert!(!f.groups[0].counted_in_balance);
        assert_eq!(f.label, ConsensusLabel::NotEnoughResponses);
    }

    #[test]
    fn consensus_score_is_the_product_of_smoothed_group_support() {
        let mut rows = group_rows(Government, 3, 1);
        rows.extend(group_rows(Platform, 1, 3));
        let f = single(&rows, 3);
        approx(f.consensus_score, (4.0 / 6.0) * (2.0 / 6.0));
    }

    #[test]
    fn exactly_two_of_three_in_every_group_is_consensus() {
        let mut rows = group_rows(Government, 2, 1);
        rows.extend(group_rows(Individual, 4, 2));
        let f = single(&rows, 3);
        assert_eq!(f.label, ConsensusLabel::Consensus);
    }

    #[test]
    fn one_group_below_two_thirds_with_high_balanced_support_is_broad_support() {
        let mut rows = group_rows(Government, 10, 0);
        rows.extend(group_rows(Platform, 10, 0));
        rows.extend(group_rows(CivilSociety, 1, 2));
        let f = single(&rows, 3);
        approx(f.balanced_support, (1.0 + 1.0 + 1.0 / 3.0) / 3.0);
        assert_eq!(f.label, ConsensusLabel::BroadSupport);
    }

    #[test]
    fn balanced_oppose_of_two_thirds_is_opposed() {
        let mut rows = group_rows(Government, 1, 2);
        rows.extend(group_rows(Platform, 1, 2));
        let f = single(&rows, 3);
        assert_eq!(f.label, ConsensusLabel::Opposed);
    }

    #[test]
    fn split_groups_are_divided() {
        let mut rows = group_rows(Government, 5, 0);
        rows.extend(group_rows(Platform, 0, 5));
        let f = single(&rows, 3);
        approx(f.balanced_support, 0.5);
        assert_eq!(f.label, ConsensusLabel::Divided);
    }

    #[test]
    fn every_requested_key_appears_in_order_even_without_rows() {
        let rows = vec![row("b", Government, false, Support, 1)];
        let figures = compute(&keys(&["c", "b", "a"]), &rows, 3);
        let order: Vec<&str> = figures.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
        assert!(figures[0].groups.is_empty());
        assert_eq!(figures[0].overall, StanceCounts::default());
        assert_eq!(figures[0].label, ConsensusLabel::NotEnoughResponses);
        assert_eq!(figures[1].overall.support, 1);
    }

    #[test]
    fn rows_for_unknown_keys_are_ignored() {
        let rows = vec![
            row("p", Government, false, Support, 1),
            row("gone", Government, false, Support, 50),
        ];
        let f = single(&rows, 3);
        assert_eq!(f.overall.total(), 1);
    }

    #[test]
    fn verified_counts_take_only_verified_rows() {
        let rows = vec![
            row("p", Academia, true, Support, 2),
            row("p", Academia, false, Support, 5),
            row("p", Academia, true, Oppose, 1),
        ];
        let f = single(&rows, 3);
        assert_eq!(f.groups[0].counts.support, 7);
        assert_eq!(f.groups[0].verified.support, 2);
        assert_eq!(f.groups[0].verified.oppose, 1);
        assert_eq!(f.overall_verified.total(), 3);
        assert_eq!(f.overall.total(), 8);
    }

    #[test]
    fn groups_are_listed_in_declared_order_whatever_the_row_order() {
        let rows = vec![
            row("p", Individual, false, Support, 1),
            row("p", Government, false, Support, 1),
            row("p", CivilSociety, false, Oppose, 0),
        ];
        let f = single(&rows, 3);
        let order: Vec<StakeholderGroup> = f.groups.iter().map(|g| g.group).collect();
        assert_eq!(order, [Government, CivilSociety, Individual]);
    }

    #[test]
    fn figures_serialize_with_codes_and_snake_case_labels() {
        let f = single(&group_rows(CivilSociety, 1, 1), 3);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["label"], "not_enough_responses");
        assert_eq!(json["groups"][0]["group"], "civil_society");
        assert_eq!(json["overall"]["support"], 1);
        let back: ProvisionFigures = serde_json::from_value(json).unwrap();
        assert_eq!(back, f);
        let broad = serde_json::to_value(ConsensusLabel::BroadSupport).unwrap();
        assert_eq!(broad, "broad_support");
    }

    const KEYS: [&str; 3] = ["a", "b", "c"];

    fn arb_row() -> impl Strategy<Value = CountRow> {
        (
            0..KEYS.len() + 1,
            prop::sample::select(StakeholderGroup::ALL),
            any::<bool>(),
            prop::sample::select(Stance::ALL),
            0i64..40,
        )
            .prop_map(|(k, group, verified, stance, count)| CountRow {
                // The extra index stands for a key that is not requested.
                provision_key: KEYS.get(k).copied().unwrap_or("other").to_owned(),
                group,
                verified,
                stance,
                count,
            })
    }

    fn arb_rows() -> impl Strategy<Value = Vec<CountRow>> {
        prop::collection::vec(arb_row(), 0..40)
    }

    proptest! {
        #[test]
        fn figures_do_not_depend_on_row_order(
            (rows, shuffled) in arb_rows().prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle())),
            min in 0i64..6,
        ) {
            let keys = keys(&KEYS);
            prop_assert_eq!(compute(&keys, &rows, min), compute(&keys, &shuffled, min));
        }

        #[test]
        fn splitting_a_row_in_two_changes_no_figure(
            rows in prop::collection::vec(arb_row(), 1..40),
            pick in any::<prop::sample::Index>(),
            cut in 0.0f64..=1.0,
            min in 0i64..6,
        ) {
            let keys = keys(&KEYS);
            let i = pick.index(rows.len());
            let mut split = rows.clone();
            let first = (rows[i].count as f64 * cut).floor() as i64;
            split[i].count = first;
            split.push(CountRow { count: rows[i].count - first, ..rows[i].clone() });
            prop_assert_eq!(compute(&keys, &rows, min), compute(&keys, &split, min));
        }

        #[test]
        fn overall_total_is_the_sum_of_rows_and_of_groups(rows in arb_rows(), min in 0i64..6) {
            let keys = keys(&KEYS);
            let figures = compute(&keys, &rows, min);
            prop_assert_eq!(figures.len(), KEYS.len());
            for f in &figures {
                let from_rows: i64 = rows.iter().filter(|r| r.provision_key == f.key).map(|r| r.count).sum();
                let from_groups: i64 = f.groups.iter().map(|g| g.counts.total()).sum();
                prop_assert_eq!(f.overall.total(), from_rows);
                prop_assert_eq!(f.overall.total(), from_groups);
                let verified_rows: i64 = rows
                    .iter()
                    .filter(|r| r.provision_key == f.key && r.verified)
                    .map(|r| r.count)
                    .sum();
                prop_assert_eq!(f.overall_verified.total(), verified_rows);
            }
        }
    }

    #[test]
    fn the_lowest_group_and_the_score_out_of_100_read_from_the_groups_in_the_balance() {
        let rows = vec![
            row("a", Government, false, Support, 2),
            row("a", Government, false, Oppose, 1),
            row("a", CivilSociety, false, Support, 4),
            row("a", Platform, false, Oppose, 1),
        ];
        let f = &compute(&keys(&["a"]), &rows, 3)[0];
        assert!(
            (f.lowest_group_support().unwrap() - 2.0 / 3.0).abs() < 1e-9,
            "the platform's one answer is not in the balance"
        );
        // (3/5 × 5/6)^(1/2) × 100 = 70.71…
        assert!((f.score_out_of_100().unwrap() - (0.6f64 * 5.0 / 6.0).sqrt() * 100.0).abs() < 1e-9);
        let none = &compute(&keys(&["b"]), &rows, 3)[0];
        assert_eq!(
            (none.lowest_group_support(), none.score_out_of_100()),
            (None, None)
        );
    }
}
