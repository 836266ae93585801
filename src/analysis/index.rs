//! The search documents of a round's submitted texts (see `words`), kept in
//! `analysis_texts` with what the filters need. A change to a submission
//! only queues it (`queue`); its texts are indexed after the change commits,
//! in batches (`drain`).

use super::TextKind;
use super::words::document;
use crate::db::schema::{
    analysis_indexed_rounds, analysis_queue, analysis_texts, positions, submissions,
};
use crate::db::{DbConnection, PositionId, ProvisionId, RoundId, SubmissionId};
use crate::submissions::Status;
use diesel::prelude::*;
use std::time::Duration;
use time::PrimitiveDateTime;
use tokio::sync::watch;

#[derive(Insertable)]
#[diesel(table_name = analysis_texts, treat_none_as_default_value = false)]
struct NewText {
    round_id: RoundId,
    submission_id: SubmissionId,
    text_kind: &'static str,
    text_id: i64,
    provision_id: Option<ProvisionId>,
    stance: Option<String>,
    document: String,
    #[diesel(embed)]
    author: Author,
}

/// What the filters read of a text's submission, as it was submitted.
#[derive(Insertable, Queryable, Clone)]
#[diesel(table_name = analysis_texts)]
struct Author {
    stakeholder_group: String,
    country: String,
    disclosure: String,
    verified: bool,
}

/// The submission's columns that make an `Author`.
type AuthorColumns = (
    submissions::stakeholder_group,
    submissions::country,
    submissions::disclosure,
    submissions::affiliation_verified,
);

const AUTHOR: AuthorColumns = (
    submissions::stakeholder_group,
    submissions::country,
    submissions::disclosure,
    submissions::affiliation_verified,
);

/// What a position's search row is made of, besides its author.
#[derive(Queryable, Selectable)]
#[diesel(table_name = positions)]
struct Position {
    id: PositionId,
    submission_id: SubmissionId,
    provision_id: ProvisionId,
    stance: Option<String>,
    comment: String,
    proposed_text: String,
}

fn position_text(p: Position, author: Author, round: RoundId) -> NewText {
    NewText {
        round_id: round,
        submission_id: p.submission_id,
        text_kind: TextKind::Position.as_str(),
        text_id: p.id.0,
        provision_id: Some(p.provision_id),
        stance: p.stance,
        document: document([p.comment.as_str(), p.proposed_text.as_str()]),
        author,
    }
}

/// A submission's general comment, searched together with the text of its
/// position papers (which belong to no provision).
fn general_text(
    round: RoundId,
    submission: SubmissionId,
    comment: &str,
    papers: &[String],
    author: Author,
) -> NewText {
    NewText {
        round_id: round,
        submission_id: submission,
        text_kind: TextKind::General.as_str(),
        text_id: submission.0,
        provision_id: None,
        stance: None,
        document: document(std::iter::once(comment).chain(papers.iter().map(String::as_str))),
        author,
    }
}

fn insert(conn: &mut DbConnection, rows: &[NewText]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    crate::per_backend!(conn, |c| diesel::insert_into(analysis_texts::table)
        .values(rows)
        .execute(c))?;
    Ok(())
}

/// Marks the search rows of `submission` out of date, in the transaction of
/// the change (a submit, a withdrawal, a changed paper): one small row, so a
/// submit never pays for indexing its texts. `drain` indexes it later.
pub fn queue(
    conn: &mut DbConnection,
    round: RoundId,
    submission: SubmissionId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(analysis_queue::table)
        .values((
            analysis_queue::round_id.eq(round),
            analysis_queue::submission_id.eq(submission),
            analysis_queue::queued_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many queued changes one `drain` takes, in one transaction.
pub const DRAIN_BATCH: i64 = 200;

/// Indexes the oldest queued changes (of `round` only, when given), up to
/// `DRAIN_BATCH`, and returns how many it took. The background worker drains
/// every round and skips changes another instance is indexing; a workspace
/// page drains its round and waits for them, so that it never reads a text
/// as it was before its last submit.
pub fn drain(conn: &mut DbConnection, round: Option<RoundId>) -> QueryResult<usize> {
    let pending = analysis_queue::table
        .order(analysis_queue::id)
        .limit(DRAIN_BATCH)
        .select((analysis_queue::id, analysis_queue::submission_id));
    // An idle worker polls: a read first, so that it takes SQLite's write
    // lock only when there is something to index.
    let any = match round {
        Some(r) => diesel::select(diesel::dsl::exists(
            analysis_queue::table.filter(analysis_queue::round_id.eq(r)),
        ))
        .get_result::<bool>(conn)?,
        None => diesel::select(diesel::dsl::exists(
            analysis_queue::table.select(analysis_queue::id),
        ))
        .get_result(conn)?,
    };
    if !any {
        return Ok(0);
    }
    crate::db::write_transaction(conn, |conn| {
        let taken: Vec<(i64, SubmissionId)> = match (&mut *conn, round) {
            (DbConnection::Postgresql(c), Some(r)) => pending
                .filter(analysis_queue::round_id.eq(r))
                .for_update()
                .load(c)?,
            (DbConnection::Postgresql(c), None) => pending.for_update().skip_locked().load(c)?,
            (DbConnection::Sqlite(c), Some(r)) => {
                pending.filter(analysis_queue::round_id.eq(r)).load(c)?
            }
            (DbConnection::Sqlite(c), None) => pending.load(c)?,
        };
        let (ids, mut changed): (Vec<i64>, Vec<SubmissionId>) = taken.into_iter().unzip();
        changed.sort_unstable();
        changed.dedup();
        reindex(conn, &changed)?;
        diesel::delete(analysis_queue::table.filter(analysis_queue::id.eq_any(&ids)))
            .execute(conn)?;
        Ok(ids.len())
    })
}

/// Drains everything queued for `round`.
pub fn drain_round(conn: &mut DbConnection, round: RoundId) -> QueryResult<()> {
    while drain(conn, Some(round))? as i64 == DRAIN_BATCH {}
    Ok(())
}

/// How many rows one INSERT writes (SQLite binds at most 32,766 values).
const INSERT_ROWS: usize = 1_000;

/// Rewrites the search rows of `list` (sorted) from what the submissions
/// hold now: a submitted one gets a row per non-empty text, any other none.
fn reindex(conn: &mut DbConnection, list: &[SubmissionId]) -> QueryResult<()> {
    if list.is_empty() {
        return Ok(());
    }
    if let DbConnection::Postgresql(c) = conn {
        // Two indexers of one submission (the worker and a workspace page)
        // take turns, in id order; what they read after this is the latest
        // committed submit.
        submissions::table
            .filter(submissions::id.eq_any(list))
            .order(submissions::id)
            .select(submissions::id)
            .for_update()
            .load::<SubmissionId>(c)?;
    }
    diesel::delete(analysis_texts::table.filter(analysis_texts::submission_id.eq_any(list)))
        .execute(conn)?;
    let submitted: Vec<(SubmissionId, RoundId, String, Author)> = submissions::table
        .filter(submissions::id.eq_any(list))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .select((
            submissions::id,
            submissions::round_id,
            submissions::general_comment,
            AUTHOR,
        ))
        .order(submissions::id)
        .load(conn)?;
    let of = |id: SubmissionId| submitted.binary_search_by_key(&id, |s| s.0).ok();
    let ids: Vec<SubmissionId> = submitted.iter().map(|s| s.0).collect();
    let list: Vec<Position> = positions::table
        .filter(positions::submission_id.eq_any(&ids))
        .filter(
            positions::comment
                .ne("")
                .or(positions::proposed_text.ne("")),
        )
        .select(Position::as_select())
        .load(conn)?;
    let mut rows: Vec<NewText> = Vec::with_capacity(list.len() + submitted.len());
    for p in list {
        let Some(i) = of(p.submission_id) else {
            continue;
        };
        let (_, round, _, author) = &submitted[i];
        rows.push(position_text(p, author.clone(), *round));
    }
    let papers = crate::attachments::texts_of(conn, &ids)?;
    for (id, round, general, author) in &submitted {
        let papers = papers.get(id).map(Vec::as_slice).unwrap_or_default();
        if !general.trim().is_empty() || papers.iter().any(|p| !p.trim().is_empty()) {
            rows.push(general_text(*round, *id, general, papers, author.clone()));
        }
    }
    rows.chunks(INSERT_ROWS)
        .try_for_each(|chunk| insert(conn, chunk))
}

/// How many texts are indexed per statement when catching up.
const BATCH: i64 = 2_000;

/// Indexes the texts of `round` submitted before the search existed (or
/// loaded without a submit, as synthetic data is), once per round: every
/// later submit indexes its own texts. Returns how many it indexed.
pub fn catch_up(
    conn: &mut DbConnection,
    round: RoundId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    let done: i64 = analysis_indexed_rounds::table
        .find(round)
        .count()
        .get_result(conn)?;
    if done > 0 {
        return Ok(0);
    }
    crate::db::write_transaction(conn, |conn| {
        let mut indexed = 0;
        let submitted = submissions::table
            .filter(submissions::round_id.eq(round))
            .filter(submissions::status.eq(Status::Submitted.as_str()));
        let mut after = PositionId(0);
        loop {
            let list: Vec<(Position, Author)> = positions::table
                .inner_join(submissions::table)
                .filter(submissions::round_id.eq(round))
                .filter(submissions::status.eq(Status::Submitted.as_str()))
                .filter(positions::id.gt(after))
                .filter(
                    positions::comment
                        .ne("")
                        .or(positions::proposed_text.ne("")),
                )
                .filter(diesel::dsl::not(diesel::dsl::exists(
                    analysis_texts::table
                        .filter(analysis_texts::text_kind.eq(TextKind::Position.as_str()))
                        .filter(analysis_texts::text_id.eq(positions::id)),
                )))
                .order(positions::id)
                .limit(BATCH)
                .select((Position::as_select(), AUTHOR))
                .load(conn)?;
            let Some((last, _)) = list.last() else { break };
            after = last.id;
            let rows: Vec<NewText> = list
                .into_iter()
                .map(|(p, author)| position_text(p, author, round))
                .collect();
            indexed += rows.len();
            insert(conn, &rows)?;
        }
        let mut after = SubmissionId(0);
        loop {
            let list: Vec<(SubmissionId, String, Author)> = submitted
                .filter(submissions::id.gt(after))
                .filter(submissions::general_comment.ne(""))
                .filter(diesel::dsl::not(diesel::dsl::exists(
                    analysis_texts::table
                        .filter(analysis_texts::text_kind.eq(TextKind::General.as_str()))
                        .filter(analysis_texts::text_id.eq(submissions::id)),
                )))
                .order(submissions::id)
                .limit(BATCH)
                .select((submissions::id, submissions::general_comment, AUTHOR))
                .load(conn)?;
            let Some(last) = list.last() else { break };
            after = last.0;
            let rows: Vec<NewText> = list
                .into_iter()
                .filter(|(_, text, _)| !text.trim().is_empty())
                .map(|(id, text, author)| general_text(round, id, &text, &[], author))
                .collect();
            indexed += rows.len();
            insert(conn, &rows)?;
        }
        diesel::insert_into(analysis_indexed_rounds::table)
            .values((
                analysis_indexed_rounds::round_id.eq(round),
                analysis_indexed_rounds::indexed_at.eq(now),
            ))
            .execute(conn)?;
        Ok(indexed)
    })
}

/// Drains the queue until `stop` turns true, polling every `poll` when it is
/// empty. Every instance with a worker runs one; they skip each other's
/// batches.
pub async fn run(db: crate::db::Db, poll: Duration, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        let db = db.clone();
        let drained = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<usize> {
            Ok(drain(&mut *db.get()?, None)?)
        })
        .await;
        match drained {
            Ok(Ok(n)) if n as i64 == DRAIN_BATCH => continue,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "analysis index: cannot drain the queue"),
            Err(e) => tracing::warn!(error = %e, "analysis index: the worker stopped"),
        }
        tokio::select! {
            _ = actix_web::rt::time::sleep(poll) => {}
            _ = stop.changed() => {}
        }
    }
}
