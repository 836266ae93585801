//! The demo consultation loaded into an empty database, so a newcomer can
//! register and submit at once.

use crate::clock::Clock;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, NewConsultation};
use crate::db::DbConnection;
use crate::drafts::{self, import};
use crate::rounds::{self, Attribution, NewRound};
use time::Duration;

pub const SLUG: &str = "additional-protocol";
const DRAFT: &str = include_str!("additional-protocol.en.md");

/// Loads the demo unless it is there already; returns whether it did.
pub fn load(conn: &mut DbConnection, clock: &Clock) -> anyhow::Result<bool> {
    let now = clock.now();
    crate::db::write_transaction(conn, |conn| {
        if consultations::exists(conn, SLUG)? {
            return Ok(false);
        }
        let draft = import::parse(DRAFT, 2)?;
        let id = consultations::create(
            conn,
            &NewConsultation {
                slug: SLUG,
                title: "Additional Protocol on the diversity of cultural expressions in the digital environment",
                summary: "Governments, digital platforms, civil society and experts are invited to comment, \
                          article by article, on a discussion draft of an Additional Protocol to the 2005 \
                          UNESCO Convention. The positions received, grouped by stakeholder group, will be \
                          published in a public report together with the organizers' response.",
                locale: Locale::En,
                eligible_groups: StakeholderGroup::ALL,
            },
            None,
            now,
        )?;
        let version = drafts::store(conn, id, &draft, DRAFT, Locale::En, None, now)?;
        rounds::create(
            conn,
            &NewRound {
                consultation: id,
                draft_version: version.id,
                opens_at: now,
                closes_at: now + Duration::days(30),
                attribution: Attribution::Open,
                announce: true,
            },
            None,
            now,
        )?;
        Ok(true)
    })
}
