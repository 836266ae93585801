//! Publication: the report frozen as the round's next version.

use super::store::Store;
use super::{ReportError, build, jobs};
use crate::audit;
use crate::consultations::Consultation;
use crate::db::schema::{consultations, reports};
use crate::db::{DbConnection, ReportId, RoundId, UserId};
use crate::notifications::{Notifier, schedule};
use crate::rounds::{ActionRefused, Round, RoundState};
use diesel::prelude::*;
use time::PrimitiveDateTime;

/// Freezes the report as the round's next version, audit-logged, and tells
/// those who submitted. Only a closed (or already published) round.
pub fn publish(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    published: bool,
    note: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> Result<Result<(), ActionRefused>, ReportError> {
    match round.state_at(now, published) {
        RoundState::Closed | RoundState::Published => {}
        RoundState::Open => return Ok(Err(ActionRefused::StillOpen)),
        RoundState::Draft | RoundState::Scheduled => return Ok(Err(ActionRefused::NotOpen)),
    }
    crate::db::write_transaction(conn, |conn| {
        let version = freeze(conn, round, note, actor, now)?;
        schedule::report_published(conn, notifier, round, version, now)?;
        Ok(Ok(()))
    })
}

/// Stores the report as the round's next version, audit-logged, and returns
/// its number; telling the participants is the caller's. Call it inside a
/// write transaction, on a round that is closed.
pub fn freeze(
    conn: &mut DbConnection,
    round: &Round,
    note: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> Result<i32, ReportError> {
    let consultation = consultations::table
        .find(round.consultation_id)
        .select(Consultation::as_select())
        .first(conn)?;
    let version = next_version(conn, round.id)?;
    // The row comes first so the texts can refer to it; its snapshot is
    // written once they are all stored, in the same transaction.
    let report: ReportId = diesel::insert_into(reports::table)
        .values((
            reports::round_id.eq(round.id),
            reports::version.eq(version),
            reports::note.eq(note),
            reports::snapshot.eq(""),
            reports::published_by.eq(actor),
            reports::published_at.eq(now),
        ))
        .returning(reports::id)
        .get_result(conn)?;
    // The draft report computed in the background, when the data has not
    // changed since: the same report, copied instead of computed again.
    let snapshot = match jobs::current(conn, round, now)? {
        Some(stored) => jobs::publish_stored(conn, &stored, report, version, note, now)?,
        None => {
            let snapshot = build(
                conn,
                &consultation,
                round,
                version,
                note,
                now,
                &mut Store::new(report),
            )?;
            serde_json::to_string(&snapshot)?
        }
    };
    diesel::update(reports::table.find(report))
        .set(reports::snapshot.eq(snapshot))
        .execute(conn)?;
    audit::record(
        conn,
        &audit::Entry {
            actor: Some(actor),
            action: audit::Action::RoundPublish,
            consultation: Some(round.consultation_id),
            round: Some(round.id),
            subject: &format!("round {}", round.number),
            details: &format!(
                "report version {version}{}{}",
                if note.is_empty() { "" } else { ": " },
                note
            ),
        },
        now,
    )?;
    Ok(version)
}

fn next_version(conn: &mut DbConnection, round: RoundId) -> QueryResult<i32> {
    let latest: Option<i32> = reports::table
        .filter(reports::round_id.eq(round))
        .select(diesel::dsl::max(reports::version))
        .first(conn)?;
    Ok(latest.unwrap_or(0) + 1)
}
