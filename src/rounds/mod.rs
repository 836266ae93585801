//! Comment rounds. A round's state is derived from its times and the recorded
//! organizer actions, never stored as a flag a job must flip, so every instance
//! of the app agrees on it at every instant.

pub mod lineage;
mod number;
pub use number::RoundNumber;

use crate::clock::rfc3339;
use crate::db::schema::{reports, rounds};
use crate::db::{ConsultationId, DbConnection, DraftVersionId, OneRow, RoundId, UserId};
use diesel::prelude::*;
use diesel::query_dsl::methods::ExecuteDsl;
use serde::Serialize;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum Attribution {
        Open => "open",
        ChathamHouse => "chatham_house",
    }
}

crate::text_enum! {
    /// What a round's figures count: each person's submission once, each
    /// organization's official submission once (and each person in no
    /// organization once), or both sets side by side.
    pub enum Counting {
        PerPerson => "per_person",
        PerOrganization => "per_organization",
        Both => "both",
    }
}

impl Counting {
    /// Whether a submission that `counts_for` so enters the round's figures
    /// (either set, under `both`).
    pub fn counts(self, counts_for: crate::submissions::CountsFor) -> bool {
        match self {
            Counting::PerPerson => counts_for.per_person(),
            Counting::PerOrganization => counts_for.per_organization(),
            Counting::Both => counts_for.per_person() || counts_for.per_organization(),
        }
    }

    /// Whether a submission that `counts_for` so enters the round's first
    /// set of figures (per person under `both`).
    pub fn counts_first(self, counts_for: crate::submissions::CountsFor) -> bool {
        match self {
            Counting::PerOrganization => counts_for.per_organization(),
            Counting::PerPerson | Counting::Both => counts_for.per_person(),
        }
    }

    /// The catalog key of its name ("counting-per-organization").
    pub fn label_key(self) -> String {
        format!("counting-{}", self.as_str().replace('_', "-"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    pub opened_notice_at: Option<PrimitiveDateTime>,
    pub reminder_notice_at: Option<PrimitiveDateTime>,
    pub follows_round_id: Option<RoundId>,
    pub counting: String,
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

    pub fn counting(&self) -> Counting {
        Counting::parse(&self.counting).unwrap_or(Counting::PerPerson)
    }

    /// Scheduled, or not even announced: nobody has answered yet.
    fn not_opened(&self, now: PrimitiveDateTime, published: bool) -> bool {
        matches!(
            self.state_at(now, published),
            RoundState::Scheduled | RoundState::Draft
        )
    }
}

pub struct NewRound {
    pub consultation: ConsultationId,
    pub draft_version: DraftVersionId,
    pub opens_at: PrimitiveDateTime,
    pub closes_at: PrimitiveDateTime,
    pub attribution: Attribution,
    pub counting: Counting,
    pub announce: bool,
}

pub fn create(
    conn: &mut DbConnection,
    new: &NewRound,
    author: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<Round> {
    crate::db::write_transaction(conn, |conn| {
        let latest: Option<i32> = rounds::table
            .filter(rounds::consultation_id.eq(new.consultation))
            .select(diesel::dsl::max(rounds::number))
            .first(conn)?;
        // A new round follows the latest one: the organizer may change that.
        let follows = lineage::latest_round(conn, new.consultation)?;
        let id: RoundId = diesel::insert_into(rounds::table)
            .values((
                rounds::consultation_id.eq(new.consultation),
                rounds::number.eq(latest.unwrap_or(0) + 1),
                rounds::draft_version_id.eq(new.draft_version),
                rounds::opens_at.eq(new.opens_at),
                rounds::closes_at.eq(new.closes_at),
                rounds::attribution.eq(new.attribution.as_str()),
                rounds::counting.eq(new.counting.as_str()),
                rounds::announced_at.eq(new.announce.then_some(now)),
                rounds::created_by.eq(author),
                rounds::created_at.eq(now),
                rounds::report_salt.eq(crate::reports::new_salt()),
                rounds::follows_round_id.eq(follows),
            ))
            .returning(rounds::id)
            .get_result(conn)?;
        let round: Round = rounds::table
            .find(id)
            .select(Round::as_select())
            .first(conn)?;
        if let Some(actor) = author {
            crate::audit::record(
                conn,
                &crate::audit::Entry {
                    actor: Some(actor),
                    action: crate::audit::Action::RoundCreate,
                    consultation: Some(round.consultation_id),
                    round: Some(round.id),
                    subject: &format!("round {}", round.number),
                    details: &format!(
                        "{} to {}, counting {}",
                        rfc3339(new.opens_at),
                        rfc3339(new.closes_at),
                        new.counting.as_str()
                    ),
                },
                now,
            )?;
        }
        Ok(round)
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

/// The round's state at `now` as stored, not as cached: the last word on
/// whether a submission is taken, read inside its write transaction so an
/// early close or a new deadline set a moment ago, through any instance,
/// holds. A published round is closed already.
pub fn state_now(
    conn: &mut DbConnection,
    id: RoundId,
    now: PrimitiveDateTime,
) -> QueryResult<RoundState> {
    let round: Round = rounds::table
        .find(id)
        .select(Round::as_select())
        .one_row(conn)?
        .ok_or(diesel::result::Error::NotFound)?;
    Ok(round.state_at(now, false))
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
            opened_notice_at: None,
            reminder_notice_at: None,
            follows_round_id: None,
            counting: "per_person".into(),
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

/// Why an organizer action cannot be done now; each is a Fluent key shown in
/// the flash message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ActionRefused {
    #[error("the round is not scheduled")]
    NotScheduled,
    #[error("the round is not open")]
    NotOpen,
    #[error("the report is published")]
    AlreadyPublished,
    #[error("the round is still open")]
    StillOpen,
    #[error("the new closing time is not later than now and the opening")]
    BadClosingTime,
    #[error("the report is not published")]
    NotPublished,
    #[error("the round has opened: its counting is fixed")]
    CountingFixed,
}

impl ActionRefused {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::NotScheduled => "action-refused-not-scheduled",
            Self::NotOpen => "action-refused-not-open",
            Self::AlreadyPublished => "action-refused-published",
            Self::StillOpen => "action-refused-still-open",
            Self::BadClosingTime => "action-refused-closing-time",
            Self::NotPublished => "action-refused-not-published",
            Self::CountingFixed => "action-refused-counting-fixed",
        }
    }
}

/// Changes the round and records who did it in one transaction, so the audit
/// log never tells of a change that did not happen (or misses one that did).
fn apply<C>(
    conn: &mut DbConnection,
    round: &Round,
    actor: UserId,
    action: crate::audit::Action,
    details: &str,
    now: PrimitiveDateTime,
    change: C,
) -> QueryResult<Result<(), ActionRefused>>
where
    C: AsChangeset<Target = rounds::table>,
    diesel::dsl::Update<diesel::dsl::Find<rounds::table, RoundId>, C>: ExecuteDsl<DbConnection>,
{
    crate::db::write_transaction(conn, |conn| {
        diesel::update(rounds::table.find(round.id))
            .set(change)
            .execute(conn)?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(actor),
                action,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: &format!("round {}", round.number),
                details,
            },
            now,
        )?;
        Ok(Ok(()))
    })
}

/// Opens a scheduled (or unannounced) round now.
pub fn open_now(
    conn: &mut DbConnection,
    round: &Round,
    published: bool,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<(), ActionRefused>> {
    if !round.not_opened(now, published) {
        return Ok(Err(ActionRefused::NotScheduled));
    }
    if round.closes_at <= now {
        return Ok(Err(ActionRefused::BadClosingTime));
    }
    apply(
        conn,
        round,
        actor,
        crate::audit::Action::RoundOpen,
        &format!("opened at {}", rfc3339(now)),
        now,
        (
            rounds::opens_at.eq(now),
            rounds::announced_at.eq(round.announced_at.unwrap_or(now)),
        ),
    )
}

/// Changes how the round counts, while it has not opened: once anyone has
/// answered, the rule they answered under stays.
pub fn set_counting(
    conn: &mut DbConnection,
    round: &Round,
    published: bool,
    counting: Counting,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<(), ActionRefused>> {
    if !round.not_opened(now, published) {
        return Ok(Err(ActionRefused::CountingFixed));
    }
    apply(
        conn,
        round,
        actor,
        crate::audit::Action::RoundCounting,
        &format!("counting {}", counting.as_str()),
        now,
        rounds::counting.eq(counting.as_str()),
    )
}

/// Closes an open round now; what was submitted stays, nothing more is accepted.
pub fn close_now(
    conn: &mut DbConnection,
    round: &Round,
    published: bool,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<(), ActionRefused>> {
    if round.state_at(now, published) != RoundState::Open {
        return Ok(Err(ActionRefused::NotOpen));
    }
    apply(
        conn,
        round,
        actor,
        crate::audit::Action::RoundClose,
        &format!("closed at {}", rfc3339(now)),
        now,
        rounds::closed_early_at.eq(now),
    )
}

/// Moves the deadline later; a round closed early opens again until then.
pub fn extend(
    conn: &mut DbConnection,
    round: &Round,
    published: bool,
    new_close: PrimitiveDateTime,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<(), ActionRefused>> {
    if published {
        return Ok(Err(ActionRefused::AlreadyPublished));
    }
    if new_close <= now || new_close <= round.opens_at || new_close <= round.effective_close() {
        return Ok(Err(ActionRefused::BadClosingTime));
    }
    let details = format!(
        "from {} to {}",
        rfc3339(round.effective_close()),
        rfc3339(new_close)
    );
    apply(
        conn,
        round,
        actor,
        crate::audit::Action::RoundExtend,
        &details,
        now,
        (
            rounds::closes_at.eq(new_close),
            rounds::closed_early_at.eq(None::<PrimitiveDateTime>),
            // A new deadline deserves a new reminder.
            rounds::reminder_notice_at.eq(None::<PrimitiveDateTime>),
        ),
    )
}

/// Accepts "2026-12-01T09:00", "2026-12-01T09:00:00", "2026-12-01 09:00" or a
/// full RFC 3339 time; a time without zone is UTC.
pub fn parse_time(raw: &str) -> Option<PrimitiveDateTime> {
    let raw = raw.trim();
    if let Ok(t) = time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)
    {
        return Some(crate::db::to_db_time(t));
    }
    let raw = raw.replace(' ', "T");
    let formats = [
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ];
    formats
        .iter()
        .find_map(|f| PrimitiveDateTime::parse(&raw, f).ok())
}

#[cfg(test)]
mod time_tests {
    use super::parse_time;
    use time::macros::datetime;

    #[test]
    fn times_are_read_as_utc_in_the_usual_forms() {
        assert_eq!(
            parse_time("2026-12-01T09:00"),
            Some(datetime!(2026-12-01 09:00))
        );
        assert_eq!(
            parse_time("2026-12-01 09:00:30"),
            Some(datetime!(2026-12-01 09:00:30))
        );
        assert_eq!(
            parse_time("2026-12-01T10:00:00+01:00"),
            Some(datetime!(2026-12-01 09:00))
        );
        assert_eq!(parse_time("tomorrow"), None);
    }
}
