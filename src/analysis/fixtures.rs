//! Codebook tags and taggings written straight to the database, for tests and
//! benchmarks that need coded texts without going through the workspace's
//! forms. Built only with the `bench` feature.

use super::TextRef;
use crate::db::schema::{analysis_tags, text_tags};
use crate::db::{ConsultationId, DbConnection, RoundId, TagId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

/// A live tag of `consultation`'s codebook.
pub fn tag(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    label: &str,
    translated_label: Option<&str>,
    parent: Option<TagId>,
    now: PrimitiveDateTime,
) -> QueryResult<TagId> {
    diesel::insert_into(analysis_tags::table)
        .values((
            analysis_tags::consultation_id.eq(consultation),
            analysis_tags::parent_id.eq(parent.map(|p| p.0)),
            analysis_tags::label.eq(label),
            analysis_tags::translated_label.eq(translated_label),
            analysis_tags::created_at.eq(now),
        ))
        .returning(analysis_tags::id)
        .get_result::<i64>(conn)
        .map(TagId)
}

/// Tags `text` of `round` with `tag` (a live tagging).
pub fn tag_text(
    conn: &mut DbConnection,
    round: RoundId,
    text: TextRef,
    tag: TagId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(text_tags::table)
        .values((
            text_tags::round_id.eq(round),
            text_tags::text_kind.eq(text.kind.as_str()),
            text_tags::text_id.eq(text.id),
            text_tags::tag_id.eq(tag.0),
            text_tags::tagged_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes `tag` from the codebook: its taggings stay, but it is no longer live.
pub fn delete_tag(conn: &mut DbConnection, tag: TagId, now: PrimitiveDateTime) -> QueryResult<()> {
    diesel::update(analysis_tags::table.find(tag.0))
        .set(analysis_tags::deleted_at.eq(now))
        .execute(conn)
        .map(|_| ())
}
