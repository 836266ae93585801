//! The figures of a round from live data: a few GROUP BY queries whatever
//! its size.

use super::figures::{self, CountRow, ProvisionFigures};
use super::{GroupCount, Participation, PlaceCount};
use crate::accounts::countries;
use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, submissions};
use crate::db::{DbConnection, ProvisionId, RoundId};
use crate::drafts::Provision;
use crate::rounds::{Counting, Round};
use crate::submissions::{CountsFor, Stance};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::collections::BTreeMap;

/// PostgreSQL joins the round's positions to its submissions through a hash
/// table of the submissions; with the default `work_mem` (4 MB) a round of
/// 1,000,000 does not fit, and the join is split into batches written to
/// disk and read back (measured: 620 MB of temporary files, twice the time).
/// 64 MB holds a million submissions; the setting lasts for this transaction.
const AGGREGATE_WORK_MEM: &str = "SET LOCAL work_mem = '64MB'";

/// A round's figures under its counting policy.
#[derive(Debug, Clone)]
pub struct Counted {
    /// Per person, or per organization when the round counts that way
    /// alone; under `both`, per person.
    pub figures: Vec<ProvisionFigures>,
    /// Under `both`, the per-organization figures beside them.
    pub by_organization: Option<Vec<ProvisionFigures>>,
    /// For each provision, the positions whose texts are read for the
    /// report: counted ones, and members' personal ones that are published
    /// but not counted per organization.
    pub readable: Vec<i64>,
}

/// The figures of every provision and the participation summary: a few
/// GROUP BY queries whatever the round's size (what the aggregation benchmark
/// times). The counting unit is a filter over the same grouped rows, so each
/// set of figures is computed the same way.
pub fn aggregate(
    conn: &mut DbConnection,
    round: &Round,
    provisions_list: &[Provision],
) -> QueryResult<(Counted, Participation)> {
    conn.transaction(|conn| {
        if let DbConnection::Postgresql(c) = conn {
            c.batch_execute(AGGREGATE_WORK_MEM)?;
        }
        let rows = count_rows(conn, round.id, provisions_list)?;
        let cosigned = super::joint::count_rows(conn, round.id, &provision_keys(provisions_list))?;
        let keys: Vec<String> = provisions_list
            .iter()
            .map(|p| p.provision_key.clone())
            .collect();
        let min = i64::from(round.min_group_size);
        let counted_by = |unit: &dyn Fn(CountsFor) -> bool| -> Vec<ProvisionFigures> {
            let kept: Vec<CountRow> = rows
                .iter()
                .chain(&cosigned)
                .filter(|(counts_for, _)| unit(*counts_for))
                .map(|(_, row)| row.clone())
                .collect();
            figures::compute(&keys, &kept, min)
        };
        let counting = round.counting();
        let counted = Counted {
            figures: counted_by(&|c| counting.counts_first(c)),
            by_organization: (counting == Counting::Both)
                .then(|| counted_by(&CountsFor::per_organization)),
            // Co-signers have no positions of their own: the joint text's are read.
            readable: keys
                .iter()
                .map(|key| {
                    rows.iter()
                        .filter(|(_, row)| &row.provision_key == key)
                        .map(|(_, row)| row.count)
                        .sum()
                })
                .collect(),
        };
        let mut people = participation(conn, round.id, |c| counting.counts_first(c))?;
        if counting == Counting::Both {
            people.by_organization = Some(Box::new(participation(
                conn,
                round.id,
                CountsFor::per_organization,
            )?));
        }
        Ok((counted, people))
    })
}

pub(super) fn region_of(country: &str) -> &'static str {
    countries::find(country).map_or("unknown", |c| c.region)
}

fn provision_keys(provisions_list: &[Provision]) -> BTreeMap<ProvisionId, &str> {
    provisions_list
        .iter()
        .map(|p| (p.id, p.provision_key.as_str()))
        .collect()
}

/// Counts per (provision, group, verified, stance) and what each submission
/// counts for: one GROUP BY query, on provision ids so that the rows are
/// grouped before any key is looked up. Official submissions replaced by a
/// joint one are left out: their texts are the joint one's.
fn count_rows(
    conn: &mut DbConnection,
    round: RoundId,
    provisions_list: &[Provision],
) -> QueryResult<Vec<(CountsFor, CountRow)>> {
    let keys = provision_keys(provisions_list);
    let rows: Vec<(ProvisionId, String, bool, Option<String>, String, i64)> = positions::table
        .inner_join(submissions::table)
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::counts_for.ne(CountsFor::Replaced.as_str()))
        .filter(positions::stance.is_not_null())
        .group_by((
            positions::provision_id,
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            positions::stance,
            submissions::counts_for,
        ))
        .select((
            positions::provision_id,
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            positions::stance,
            submissions::counts_for,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(provision, group, verified, stance, counts_for, count)| {
            Some((
                CountsFor::parse(&counts_for)?,
                count_row(&keys, provision, &group, verified, stance, count)?,
            ))
        })
        .collect())
}

/// A grouped row as the figures read it; none for a provision, group or
/// stance that is not (or no longer) one.
pub(super) fn count_row(
    keys: &BTreeMap<ProvisionId, &str>,
    provision: ProvisionId,
    group: &str,
    verified: bool,
    stance: Option<String>,
    count: i64,
) -> Option<CountRow> {
    Some(CountRow {
        provision_key: (*keys.get(&provision)?).to_string(),
        group: StakeholderGroup::parse(group)?,
        verified,
        stance: Stance::parse(stance.as_deref()?)?,
        count,
    })
}

/// Participation by group, verification and country of the submissions
/// `counted` in one set of figures: one GROUP BY query.
fn participation(
    conn: &mut DbConnection,
    round: RoundId,
    counted: impl Fn(CountsFor) -> bool,
) -> QueryResult<Participation> {
    // Co-signers of joint submissions count as organizations, in their own
    // groups.
    let cosigners = counted(CountsFor::Organization);
    let counted: Vec<&str> = CountsFor::ALL
        .iter()
        .filter(|c| counted(**c))
        .map(|c| c.as_str())
        .collect();
    let mut rows: Vec<(String, bool, String, String, i64)> = submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::counts_for.eq_any(counted))
        .group_by((
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            submissions::country,
            submissions::counts_for,
        ))
        .select((
            submissions::stakeholder_group,
            submissions::affiliation_verified,
            submissions::country,
            submissions::counts_for,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    if cosigners {
        let organization = CountsFor::Organization.as_str();
        rows.extend(
            super::joint::participation_rows(conn, round)?
                .into_iter()
                .map(|(group, verified, country, n)| {
                    (group, verified, country, organization.to_string(), n)
                }),
        );
    }
    let mut p = Participation::default();
    let mut by_group: BTreeMap<StakeholderGroup, (i64, i64)> = BTreeMap::new();
    let mut by_country: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_region: BTreeMap<String, i64> = BTreeMap::new();
    for (group, verified, country, counts_for, count) in rows {
        p.submissions += count;
        if counts_for == CountsFor::Organization.as_str() {
            p.organizations += count;
        }
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
