//! Moderation: organizers review the texts a report would publish, and hide
//! one (still counted) with a public reason.

use super::{ReportError, publish};
use crate::audit;
use crate::db::schema::{consultations, positions, provisions, reports, rounds, submissions};
use crate::db::{DbConnection, PositionId, RoundId, UserId};
use crate::notifications::Notifier;
use crate::rounds::Round;
use diesel::prelude::*;
use serde::Serialize;
use time::PrimitiveDateTime;

/// The report a hidden text was in, for the page to return to.
pub struct Hidden {
    pub consultation_slug: String,
    pub round_number: i32,
}

/// Hides a published text (still counted) and, when the round's report is
/// out, publishes a new version without it. None when there is no such text.
pub fn hide(
    conn: &mut DbConnection,
    notifier: &Notifier,
    position: PositionId,
    reason: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> Result<Option<Hidden>, ReportError> {
    crate::db::write_transaction(conn, |conn| {
        let Some(round_id) = positions::table
            .inner_join(submissions::table)
            .filter(positions::id.eq(position))
            .select(submissions::round_id)
            .first::<RoundId>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        diesel::update(positions::table.find(position))
            .set((
                positions::hidden_at.eq(now),
                positions::hidden_reason.eq(reason),
                positions::hidden_by.eq(actor),
            ))
            .execute(conn)?;
        super::jobs::round_changed(conn, round_id, now)?;
        let (round, consultation_slug): (Round, String) = rounds::table
            .inner_join(consultations::table)
            .filter(rounds::id.eq(round_id))
            .select((Round::as_select(), consultations::slug))
            .first(conn)?;
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::ModerationHide,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: &format!("position {position}"),
                details: reason,
            },
            now,
        )?;
        let published = diesel::select(diesel::dsl::exists(
            reports::table.filter(reports::round_id.eq(round.id)),
        ))
        .get_result::<bool>(conn)?;
        if published {
            let note = format!("A text was hidden by the organizers: {reason}");
            let _ = publish(conn, notifier, &round, true, &note, actor, now)?;
        }
        Ok(Some(Hidden {
            consultation_slug,
            round_number: round.number,
        }))
    })
}

#[derive(Debug, Clone, Serialize, Queryable)]
pub struct QueueItem {
    pub position_id: PositionId,
    pub consultation_slug: String,
    pub round: i32,
    pub provision_key: String,
    pub comment: String,
    pub proposed_text: String,
}

/// Texts that would be published (submitted, not confidential, not hidden) in
/// rounds whose report is not out yet, newest first: what organizers review.
pub fn moderation_queue(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<QueueItem>> {
    positions::table
        .inner_join(submissions::table.inner_join(rounds::table.inner_join(consultations::table)))
        .inner_join(provisions::table)
        .filter(submissions::status.eq("submitted"))
        .filter(submissions::disclosure.ne("confidential"))
        .filter(positions::hidden_at.is_null())
        .filter(
            positions::comment
                .ne("")
                .or(positions::proposed_text.ne("")),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(
            reports::table.filter(reports::round_id.eq(rounds::id)),
        )))
        .order(positions::id.desc())
        .limit(limit)
        .select((
            positions::id,
            consultations::slug,
            rounds::number,
            provisions::provision_key,
            positions::comment,
            positions::proposed_text,
        ))
        .load(conn)
}
