//! What a report must not let a reader work out: which texts one anonymous
//! person wrote, or who the only member of a small group from one country
//! is.
//!
//! - **Public ids.** A published text is named by a keyed hash of what it is
//!   (a position, or a submission's general comment) under the round's secret
//!   salt: stable across republished versions, so permalinks survive, but
//!   unrelated to the database ids, which are consecutive for one person's
//!   positions and would link their anonymous texts together.
//! - **Order.** Texts and report.csv rows are listed in the order of the same
//!   hash. Listed by id, the k-th row under every provision tends to be the
//!   same person's, so their stances could be joined across provisions.
//! - **Small cells.** Next to a text or row whose author is named neither by
//!   name nor organization, the country is left out when fewer than the
//!   round's minimum group size of submissions share that stakeholder group
//!   and country (the only government of a country would otherwise be named
//!   by it); the region stays. A minimum group size of 1 shows every
//!   country.

use crate::db::schema::{rounds, submissions};
use crate::db::{DbConnection, RoundId};
use crate::rounds::Round;
use crate::submissions::Status;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

fn digest(salt: &str, source: Source) -> [u8; 32] {
    let (kind, id, and) = match source {
        Source::Position(id) => ("position", id, None),
        Source::General(id) => ("general", id, None),
        Source::Participant(id) => ("participant", id, None),
        Source::Organization(id) => ("organization", id, None),
        Source::Joint(id) => ("joint", id, None),
        Source::Cosigned {
            signature,
            position,
        } => ("cosigned", signature, Some(position)),
    };
    let mut hash = Sha256::new()
        .chain_update(salt.as_bytes())
        .chain_update([0])
        .chain_update(kind.as_bytes())
        .chain_update(id.to_be_bytes());
    if let Some(and) = and {
        hash.update(and.to_be_bytes());
    }
    hash.finalize().into()
}

fn public_id(salt: &str, source: Source) -> String {
    digest(salt, source)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The public ids of positions of `round`, for links to their permalinks.
pub fn position_public_ids(
    conn: &mut DbConnection,
    round: RoundId,
    positions: &[i64],
) -> QueryResult<Vec<String>> {
    let salt: String = rounds::table
        .find(round)
        .select(rounds::report_salt)
        .first(conn)?;
    Ok(positions
        .iter()
        .map(|&id| public_id(&salt, Source::Position(id)))
        .collect())
}

/// A new round's salt: 128 random bits, hex.
pub fn new_salt() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a text of a round is, for its public id.
#[derive(Debug, Clone, Copy)]
pub(super) enum Source {
    Position(i64),
    General(i64),
    /// A participant's pseudonym in movement.csv: unrelated to their texts'
    /// ids, so their stances there cannot be joined to a quote.
    Participant(i64),
    /// A joint submission (by the lead's submission id), in report.json and
    /// report.csv.
    Joint(i64),
    /// A co-signer's report.csv row for one of the joint text's positions.
    Cosigned {
        signature: i64,
        position: i64,
    },
    /// An organization's pseudonym in movement.csv.
    Organization(i64),
}

pub(super) struct Privacy {
    salt: String,
    /// Submitted submissions per (stakeholder group, country).
    cells: HashMap<(String, String), i64>,
    min_cell: i64,
}

impl Privacy {
    pub(super) fn load(conn: &mut DbConnection, round: &Round) -> QueryResult<Self> {
        let salt: String = rounds::table
            .find(round.id)
            .select(rounds::report_salt)
            .first(conn)?;
        let rows: Vec<(String, String, i64)> = submissions::table
            .filter(submissions::round_id.eq(round.id))
            .filter(submissions::status.eq(Status::Submitted.as_str()))
            .group_by((submissions::stakeholder_group, submissions::country))
            .select((
                submissions::stakeholder_group,
                submissions::country,
                diesel::dsl::count_star(),
            ))
            .load(conn)?;
        Ok(Self::new(
            salt,
            rows.into_iter().map(|(g, c, n)| ((g, c), n)).collect(),
            i64::from(round.min_group_size),
        ))
    }

    fn new(salt: String, cells: HashMap<(String, String), i64>, min_cell: i64) -> Self {
        Self {
            salt,
            cells,
            min_cell,
        }
    }

    /// A text's public id: 16 hex digits (64 bits: a collision among a
    /// million texts has odds of about one in 36 million).
    pub(super) fn public_id(&self, source: Source) -> String {
        public_id(&self.salt, source)
    }

    /// Where a text or CSV row is listed: the public id's order.
    pub(super) fn order(&self, source: Source) -> u64 {
        let d = digest(&self.salt, source);
        u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
    }

    /// Whether the country may stand next to an author named by neither name
    /// nor organization.
    pub(super) fn country_shown(&self, group: &str, country: &str) -> bool {
        self.cells
            .get(&(group.to_string(), country.to_string()))
            .is_some_and(|&n| n >= self.min_cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privacy(salt: &str) -> Privacy {
        let cells = HashMap::from([
            (("government".to_string(), "CA".to_string()), 1),
            (("civil_society".to_string(), "FR".to_string()), 7),
        ]);
        Privacy::new(salt.to_string(), cells, 3)
    }

    #[test]
    fn public_ids_are_stable_under_one_salt_and_unrelated_across_salts() {
        let (a, b) = (privacy("a"), privacy("b"));
        let id = a.public_id(Source::Position(41));
        assert_eq!(id.len(), 16);
        assert_eq!(id, a.public_id(Source::Position(41)));
        assert_ne!(id, b.public_id(Source::Position(41)));
        assert_ne!(id, a.public_id(Source::General(41)));
        assert_eq!(
            &id[..16],
            &format!("{:016x}", a.order(Source::Position(41)))
        );
    }

    #[test]
    fn consecutive_ids_are_not_listed_in_order() {
        let p = privacy("salt");
        let orders: Vec<u64> = (1..=20).map(|id| p.order(Source::Position(id))).collect();
        let mut sorted = orders.clone();
        sorted.sort_unstable();
        assert_ne!(orders, sorted);
    }

    #[test]
    fn a_country_is_shown_only_for_a_cell_of_the_minimum_size() {
        let p = privacy("s");
        assert!(!p.country_shown("government", "CA"));
        assert!(p.country_shown("civil_society", "FR"));
        assert!(!p.country_shown("academia", "FR"));
    }
}
