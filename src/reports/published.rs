//! Reading a published version back: its snapshot, its texts a page at a
//! time, its CSV a chunk at a time.

use super::PublishedComment;
use crate::analysis::Disposition;
use crate::codes::StakeholderGroup;
use crate::db::schema::{report_csv_chunks, report_texts, reports};
use crate::db::{DbConnection, PositionId, ReportId, RoundId};
use crate::submissions::Stance;
use diesel::prelude::*;
use time::PrimitiveDateTime;

pub struct Published {
    pub id: ReportId,
    pub version: i32,
    pub versions: Vec<i32>,
    pub snapshot: String,
}

/// A stored version (the latest when `version` is None), as stored.
pub fn stored(
    conn: &mut DbConnection,
    round: RoundId,
    version: Option<i32>,
) -> QueryResult<Option<Published>> {
    let versions: Vec<i32> = reports::table
        .filter(reports::round_id.eq(round))
        .order(reports::version.asc())
        .select(reports::version)
        .load(conn)?;
    let Some(wanted) = version.or(versions.last().copied()) else {
        return Ok(None);
    };
    let row: Option<(ReportId, String)> = reports::table
        .filter(reports::round_id.eq(round))
        .filter(reports::version.eq(wanted))
        .select((reports::id, reports::snapshot))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, snapshot)| Published {
        id,
        version: wanted,
        versions,
        snapshot,
    }))
}

pub(super) type TextRow = (
    (
        String,
        Option<PositionId>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
    ),
    (
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    ),
);

/// How a published text's tag labels are joined in storage and in report.csv.
pub(super) const TAG_SEPARATOR: &str = "; ";

pub(super) fn text_of(row: TextRow) -> (String, PublishedComment) {
    let (
        (key, position_id, name, organization, group, country, stance, comment, proposed, hidden),
        (disposition, disposition_reason, tags, id, region),
    ) = row;
    (
        key,
        PublishedComment {
            id,
            position_id,
            name,
            organization,
            group: group.as_deref().and_then(StakeholderGroup::parse),
            country,
            region,
            stance: stance.as_deref().and_then(Stance::parse),
            comment,
            proposed_text: proposed,
            hidden_reason: hidden,
            disposition: disposition.as_deref().and_then(Disposition::parse),
            disposition_reason,
            tags: tags
                .split(TAG_SEPARATOR)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        },
    )
}

macro_rules! text_columns {
    () => {
        (
            (
                report_texts::provision_key,
                report_texts::position_id,
                report_texts::name,
                report_texts::organization,
                report_texts::stakeholder_group,
                report_texts::country,
                report_texts::stance,
                report_texts::comment,
                report_texts::proposed_text,
                report_texts::hidden_reason,
            ),
            (
                report_texts::disposition,
                report_texts::disposition_reason,
                report_texts::tags,
                report_texts::public_id,
                report_texts::region,
            ),
        )
    };
}

pub(super) use text_columns;

/// The text published in `report` under the public id `id`, with its
/// provision's key ('' for a general comment): public ids survive
/// republishing, so a permalink does too.
pub fn text_by_public_id(
    conn: &mut DbConnection,
    report: ReportId,
    id: &str,
) -> QueryResult<Option<(String, PublishedComment)>> {
    let row: Option<TextRow> = report_texts::table
        .filter(report_texts::report_id.eq(report))
        .filter(report_texts::public_id.eq(id))
        .select(text_columns!())
        .first(conn)
        .optional()?;
    Ok(row.map(text_of))
}

/// One page of a provision's texts ('' for the general comments).
pub fn texts_page(
    conn: &mut DbConnection,
    report: ReportId,
    key: &str,
    offset: i32,
    limit: i32,
) -> QueryResult<Vec<PublishedComment>> {
    let rows: Vec<TextRow> = report_texts::table
        .filter(report_texts::report_id.eq(report))
        .filter(report_texts::provision_key.eq(key))
        .filter(report_texts::seq.ge(offset))
        .filter(report_texts::seq.lt(offset.saturating_add(limit)))
        .order(report_texts::seq.asc())
        .select(text_columns!())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| text_of(r).1).collect())
}

/// The next CSV chunk of a stored version (`None` after the last one): the
/// open data is served a chunk at a time.
pub fn csv_chunk(
    conn: &mut DbConnection,
    report: ReportId,
    seq: i32,
) -> QueryResult<Option<String>> {
    report_csv_chunks::table
        .filter(report_csv_chunks::report_id.eq(report))
        .filter(report_csv_chunks::seq.eq(seq))
        .select(report_csv_chunks::data)
        .first(conn)
        .optional()
}

/// A stored version's movement.csv; None when its round follows none.
pub fn movement_csv(conn: &mut DbConnection, report: ReportId) -> QueryResult<Option<String>> {
    reports::table
        .find(report)
        .select(reports::movement_csv)
        .first(conn)
}

/// A batch of texts in storage order (every provision, then the general
/// comments), after the text `after` (its row id): report.json streams them.
pub fn texts_batch(
    conn: &mut DbConnection,
    report: ReportId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, String, PublishedComment)>> {
    let rows: Vec<(i64, TextRow)> = report_texts::table
        .filter(report_texts::report_id.eq(report))
        .filter(report_texts::id.gt(after))
        .order(report_texts::id.asc())
        .limit(limit)
        .select((report_texts::id, text_columns!()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, row)| {
            let (key, text) = text_of(row);
            (id, key, text)
        })
        .collect())
}

/// When each round's first report came out, for the feed.
pub fn published_times(conn: &mut DbConnection) -> QueryResult<Vec<(RoundId, PrimitiveDateTime)>> {
    reports::table
        .group_by(reports::round_id)
        .select((
            reports::round_id,
            diesel::dsl::min(reports::published_at).assume_not_null(),
        ))
        .load(conn)
}
