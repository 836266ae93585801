//! Comment rounds. A round's state is derived from its times and the recorded
//! organizer actions, never stored as a flag a job must flip, so every instance
//! of the app agrees on it at every instant.

use crate::db::schema::{reports, rounds};
use crate::db::{ConsultationId, DbConnection, DraftVersionId, RoundId, UserId};
use diesel::prelude::*;
use serde::Serialize;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum Attribution {
        Open => "open",
        ChathamHouse => "chatham_house",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundState {
    Draft,
    Scheduled,
    Open,
    Closed,
    Published,
}

impl RoundState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Published => "published",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rounds)]
pub struct Round {
    pub id: RoundId,
    pub consultation_id: ConsultationId,
    pub number: i32,
    pub draft_version_id: DraftVersionId,
    pub opens_at: PrimitiveDateTime,
    pub closes_at: PrimitiveDateTime,
    pub attribution: String,
    pub announced_at: Option<PrimitiveDateTime>,
    pub closed_early_at: Option<PrimitiveDateTime>,
    pub min_group_size: i32,
}

impl Round {
    /// Open on [opens_at, closes_at), unless closed early.
    pub fn state_at(&self, now: PrimitiveDateTime, published: bool) -> RoundState {
        if self.announced_at.is_none() {
            RoundState::Draft
        } else if published {
            RoundState::Published
        } else if self.closed_early_at.is_some_and(|c| c <= now) || now >= self.closes_at {
            RoundState::Closed
        } else if now >= self.opens_at {
            RoundState::Open
        } else {
            RoundState::Scheduled
        }
    }

    /// When the round stopped (or will stop) taking submissions.
    pub fn effective_close(&self) -> PrimitiveDateTime {
        match self.closed_early_at {
            Some(c) if c < self.closes_at => c,
            _ => self.closes_at,
        }
    }

    pub fn attribution(&self) -> Attribution {
        Attribution::parse(&self.attribution).unwrap_or(Attribution::Open)
    }
}

pub struct NewRound {
    pub consultation: ConsultationId,
    pub draft_version: DraftVersionId,
    pub opens_at: PrimitiveDateTime,
    pub closes_at: PrimitiveDateTime,
    pub attribution: Attribution,
    pub announce: bool,
}

pub fn create(
    conn: &mut DbConnection,
    new: &NewRound,
    author: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<Round> {
    conn.transaction(|conn| {
        let latest: Option<i32> = rounds::table
            .filter(rounds::consultation_id.eq(new.consultation))
            .select(diesel::dsl::max(rounds::number))
            .first(conn)?;
        let id: RoundId = diesel::insert_into(rounds::table)
            .values((
                rounds::consultation_id.eq(new.consultation),
                rounds::number.eq(latest.unwrap_or(0) + 1),
                rounds::draft_version_id.eq(new.draft_version),
                rounds::opens_at.eq(new.opens_at),
                rounds::closes_at.eq(new.closes_at),
                rounds::attribution.eq(new.attribution.as_str()),
                rounds::announced_at.eq(new.announce.then_some(now)),
                rounds::created_by.eq(author),
                rounds::created_at.eq(now),
            ))
            .returning(rounds::id)
            .get_result(conn)?;
        rounds::table
            .find(id)
            .select(Round::as_select())
            .first(conn)
    })
}

/// Every round of the given consultations, in order, with whether a report
/// has been published for it (two queries whatever the number of rounds).
pub fn with_publication(
    conn: &mut DbConnection,
    consultations: &[ConsultationId],
) -> QueryResult<Vec<(Round, bool)>> {
    let list: Vec<Round> = rounds::table
        .filter(rounds::consultation_id.eq_any(consultations))
        .order((rounds::consultation_id.asc(), rounds::number.asc()))
        .select(Round::as_select())
        .load(conn)?;
    let ids: Vec<RoundId> = list.iter().map(|r| r.id).collect();
    let published: Vec<RoundId> = reports::table
        .filter(reports::round_id.eq_any(&ids))
        .select(reports::round_id)
        .distinct()
        .load(conn)?;
    Ok(list
        .into_iter()
        .map(|r| {
            let p = published.contains(&r.id);
            (r, p)
        })
        .collect())
}

pub fn find(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    number: i32,
) -> QueryResult<(Round, bool)> {
    let round: Round = rounds::table
        .filter(rounds::consultation_id.eq(consultation))
        .filter(rounds::number.eq(number))
        .select(Round::as_select())
        .first(conn)?;
    let published = diesel::select(diesel::dsl::exists(
        reports::table.filter(reports::round_id.eq(round.id)),
    ))
    .get_result(conn)?;
    Ok((round, published))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn round() -> Round {
        Round {
            id: RoundId(1),
            consultation_id: ConsultationId(1),
            number: 1,
            draft_version_id: DraftVersionId(1),
            opens_at: datetime!(2026-01-10 12:00),
            closes_at: datetime!(2026-01-20 12:00),
            attribution: "open".into(),
            announced_at: Some(datetime!(2026-01-01 00:00)),
            closed_early_at: None,
            min_group_size: 3,
        }
    }

    #[test]
    fn state_changes_exactly_at_each_boundary() {
        let r = round();
        assert_eq!(
            r.state_at(datetime!(2026-01-10 11:59:59.999999), false),
            RoundState::Scheduled
        );
        assert_eq!(
            r.state_at(datetime!(2026-01-10 12:00), false),
            RoundState::Open
        );
        assert_eq!(
            r.state_at(datetime!(2026-01-20 11:59:59.999999), false),
            RoundState::Open
        );
        assert_eq!(
            r.state_at(datetime!(2026-01-20 12:00), false),
            RoundState::Closed
        );
        assert_eq!(
            r.state_at(datetime!(2026-01-21 00:00), true),
            RoundState::Published
        );
    }

    #[test]
    fn unannounced_rounds_are_drafts_and_early_closes_count() {
        let mut r = round();
        r.announced_at = None;
        assert_eq!(
            r.state_at(datetime!(2026-01-15 00:00), false),
            RoundState::Draft
        );
        let mut r = round();
        r.closed_early_at = Some(datetime!(2026-01-15 00:00));
        assert_eq!(
            r.state_at(datetime!(2026-01-14 23:59), false),
            RoundState::Open
        );
        assert_eq!(
            r.state_at(datetime!(2026-01-15 00:00), false),
            RoundState::Closed
        );
        assert_eq!(r.effective_close(), datetime!(2026-01-15 00:00));
    }
}
