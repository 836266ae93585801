//! The search documents of a round's submitted texts (see `words`), kept in
//! `analysis_texts` with what the filters need.

use super::TextKind;
use super::words::document;
use crate::db::schema::{analysis_indexed_rounds, analysis_texts, positions, submissions};
use crate::db::{DbConnection, PositionId, ProvisionId, RoundId, SubmissionId};
use crate::submissions::Status;
use diesel::prelude::*;
use time::PrimitiveDateTime;

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

type PositionRow = (
    PositionId,
    SubmissionId,
    ProvisionId,
    Option<String>,
    String,
    String,
    Author,
);

fn position_text(
    (id, submission, provision, stance, comment, proposed, author): PositionRow,
    round: RoundId,
) -> NewText {
    NewText {
        round_id: round,
        submission_id: submission,
        text_kind: TextKind::Position.as_str(),
        text_id: id.0,
        provision_id: Some(provision),
        stance,
        document: document([comment.as_str(), proposed.as_str()]),
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

/// Rewrites the search rows of `submission` from what it holds now. Called
/// in the transaction of each submit, so search never shows a text as it
/// was before its last submit; empty texts get no row.
pub fn index_submission(
    conn: &mut DbConnection,
    round: RoundId,
    submission: SubmissionId,
) -> QueryResult<()> {
    remove_submission(conn, submission)?;
    let (general, author): (String, Author) = submissions::table
        .find(submission)
        .select((submissions::general_comment, AUTHOR))
        .first(conn)?;
    // The author's columns are the submission's, read once above.
    let list: Vec<(PositionId, ProvisionId, Option<String>, String, String)> = positions::table
        .filter(positions::submission_id.eq(submission))
        .filter(
            positions::comment
                .ne("")
                .or(positions::proposed_text.ne("")),
        )
        .select((
            positions::id,
            positions::provision_id,
            positions::stance,
            positions::comment,
            positions::proposed_text,
        ))
        .load(conn)?;
    let mut rows: Vec<NewText> = list
        .into_iter()
        .map(|(id, provision, stance, comment, proposed)| {
            position_text(
                (
                    id,
                    submission,
                    provision,
                    stance,
                    comment,
                    proposed,
                    author.clone(),
                ),
                round,
            )
        })
        .collect();
    let papers = crate::attachments::texts(conn, submission)?;
    if !general.trim().is_empty() || papers.iter().any(|p| !p.trim().is_empty()) {
        rows.push(general_text(round, submission, &general, &papers, author));
    }
    insert(conn, &rows)
}

/// Takes a withdrawn submission's texts out of the search.
pub fn remove_submission(conn: &mut DbConnection, submission: SubmissionId) -> QueryResult<()> {
    diesel::delete(analysis_texts::table.filter(analysis_texts::submission_id.eq(submission)))
        .execute(conn)?;
    Ok(())
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
            let list: Vec<PositionRow> = positions::table
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
                .select((
                    positions::id,
                    positions::submission_id,
                    positions::provision_id,
                    positions::stance,
                    positions::comment,
                    positions::proposed_text,
                    AUTHOR,
                ))
                .load(conn)?;
            let Some(last) = list.last() else { break };
            after = last.0;
            let rows: Vec<NewText> = list.into_iter().map(|p| position_text(p, round)).collect();
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
