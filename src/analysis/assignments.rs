//! Splitting texts among analysts, and each analyst's queue.

use super::search::{self, Filters};
use super::{TextKind, TextRef};
use crate::audit;
use crate::db::schema::{analysis_texts, text_assignments};
use crate::db::{ConsultationId, DbConnection, RoundId, UserId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

#[derive(Insertable)]
#[diesel(table_name = text_assignments, treat_none_as_default_value = false)]
struct NewAssignment {
    round_id: RoundId,
    text_kind: String,
    text_id: i64,
    analyst_id: UserId,
    assigned_by: Option<UserId>,
    assigned_at: PrimitiveDateTime,
    done_at: Option<PrimitiveDateTime>,
}

/// Deals the uncoded, unassigned texts of the search `f` to `analysts` in
/// turn, in one transaction with its audit entry; returns how many.
pub fn split(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    round: RoundId,
    f: &Filters,
    analysts: &[UserId],
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    if analysts.is_empty() {
        return Ok(0);
    }
    crate::db::write_transaction(conn, |conn| {
        let texts = search::unassigned_uncoded(conn, round, f)?;
        let rows: Vec<NewAssignment> = texts
            .into_iter()
            .enumerate()
            .map(|(i, (kind, id))| NewAssignment {
                round_id: round,
                text_kind: kind,
                text_id: id,
                analyst_id: analysts[i % analysts.len()],
                assigned_by: Some(by),
                assigned_at: now,
                done_at: None,
            })
            .collect();
        for chunk in rows.chunks(1_000) {
            crate::per_backend!(&mut *conn, |c| diesel::insert_into(text_assignments::table)
                .values(chunk)
                .execute(c))?;
        }
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(by),
                action: audit::Action::AnalysisAssign,
                consultation: Some(consultation),
                round: Some(round),
                subject: &format!("{} texts", rows.len()),
                details: &analysts
                    .iter()
                    .map(|a| format!("user {a}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            now,
        )?;
        Ok(rows.len())
    })
}

/// The analyst's oldest undone text of `round` (by assignment, then by the
/// order texts were indexed in), never another analyst's.
pub fn next(
    conn: &mut DbConnection,
    round: RoundId,
    analyst: UserId,
) -> QueryResult<Option<TextRef>> {
    let found: Option<(String, i64)> = text_assignments::table
        .inner_join(
            analysis_texts::table.on(analysis_texts::text_kind
                .eq(text_assignments::text_kind)
                .and(analysis_texts::text_id.eq(text_assignments::text_id))),
        )
        .filter(text_assignments::round_id.eq(round))
        .filter(text_assignments::analyst_id.eq(analyst))
        .filter(text_assignments::done_at.is_null())
        .order((
            text_assignments::assigned_at.asc(),
            analysis_texts::id.asc(),
        ))
        .select((text_assignments::text_kind, text_assignments::text_id))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(kind, id)| {
        Some(TextRef {
            kind: TextKind::parse(&kind)?,
            id,
        })
    }))
}

/// Marks an analyst's text done; false when it is not theirs or done already.
pub fn done(
    conn: &mut DbConnection,
    round: RoundId,
    text: TextRef,
    analyst: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        text_assignments::table
            .find((text.kind.as_str(), text.id))
            .filter(text_assignments::round_id.eq(round))
            .filter(text_assignments::analyst_id.eq(analyst))
            .filter(text_assignments::done_at.is_null()),
    )
    .set(text_assignments::done_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// (undone, done) texts assigned to `analyst` in `round`.
pub fn queue_size(
    conn: &mut DbConnection,
    round: RoundId,
    analyst: UserId,
) -> QueryResult<(i64, i64)> {
    let mine = || {
        text_assignments::table
            .filter(text_assignments::round_id.eq(round))
            .filter(text_assignments::analyst_id.eq(analyst))
    };
    let undone = mine()
        .filter(text_assignments::done_at.is_null())
        .count()
        .get_result(conn)?;
    let done = mine()
        .filter(text_assignments::done_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((undone, done))
}

/// Whether `text` is in `analyst`'s queue, not done yet.
pub fn next_includes(
    conn: &mut DbConnection,
    round: RoundId,
    analyst: UserId,
    text: TextRef,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        text_assignments::table
            .find((text.kind.as_str(), text.id))
            .filter(text_assignments::round_id.eq(round))
            .filter(text_assignments::analyst_id.eq(analyst))
            .filter(text_assignments::done_at.is_null()),
    ))
    .get_result(conn)
}
