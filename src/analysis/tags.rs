//! A consultation's codebook (two levels of tags at most) and the taggings
//! of its texts: who applied which tag when, in which batch, and undoing.

use super::TextRef;
use super::search::{self, Filters};
use crate::audit;
use crate::db::schema::{analysis_tags, text_tags};
use crate::db::{ConsultationId, DbConnection, RoundId, TagId, UserId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = analysis_tags)]
pub struct Tag {
    pub id: TagId,
    pub parent_id: Option<TagId>,
    pub label: String,
    pub translated_label: Option<String>,
    pub description: String,
}

/// A tag as an organizer writes it.
#[derive(Debug, Clone, Default)]
pub struct TagInput {
    pub label: String,
    pub translated_label: String,
    pub description: String,
    pub parent: Option<TagId>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TagError {
    /// The label is empty or longer than 80 characters.
    Label,
    /// Another live tag has this label.
    Taken,
    /// The parent is not a top-level tag of this codebook (or is itself).
    Parent,
}

pub const MAX_LABEL: usize = 80;

impl TagInput {
    fn check(&self) -> Result<(), TagError> {
        let n = self.label.trim().chars().count();
        if n == 0 || n > MAX_LABEL || self.translated_label.trim().chars().count() > MAX_LABEL {
            return Err(TagError::Label);
        }
        Ok(())
    }
}

/// The live tags of a consultation, parents before their children.
pub fn codebook(conn: &mut DbConnection, consultation: ConsultationId) -> QueryResult<Vec<Tag>> {
    let all: Vec<Tag> = analysis_tags::table
        .filter(analysis_tags::consultation_id.eq(consultation))
        .filter(analysis_tags::deleted_at.is_null())
        .order(analysis_tags::label)
        .select(Tag::as_select())
        .load(conn)?;
    let mut ordered = Vec::with_capacity(all.len());
    for parent in all.iter().filter(|t| t.parent_id.is_none()) {
        ordered.push(parent.clone());
        ordered.extend(
            all.iter()
                .filter(|t| t.parent_id == Some(parent.id))
                .cloned(),
        );
    }
    Ok(ordered)
}

/// Whether `tag` is a live tag of `consultation`.
pub fn belongs(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    tag: TagId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        analysis_tags::table
            .find(tag)
            .filter(analysis_tags::consultation_id.eq(consultation))
            .filter(analysis_tags::deleted_at.is_null()),
    ))
    .get_result(conn)
}

fn check_parent(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    parent: Option<TagId>,
    itself: Option<TagId>,
) -> QueryResult<Result<(), TagError>> {
    let Some(parent) = parent else {
        return Ok(Ok(()));
    };
    if Some(parent) == itself {
        return Ok(Err(TagError::Parent));
    }
    let top: i64 = analysis_tags::table
        .find(parent)
        .filter(analysis_tags::consultation_id.eq(consultation))
        .filter(analysis_tags::deleted_at.is_null())
        .filter(analysis_tags::parent_id.is_null())
        .count()
        .get_result(conn)?;
    // A tag with children stays at the top: one level of nesting only.
    let has_children = match itself {
        Some(id) => {
            analysis_tags::table
                .filter(analysis_tags::parent_id.eq(id))
                .filter(analysis_tags::deleted_at.is_null())
                .count()
                .get_result::<i64>(conn)?
                > 0
        }
        None => false,
    };
    Ok(if top == 1 && !has_children {
        Ok(())
    } else {
        Err(TagError::Parent)
    })
}

fn label_taken(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    label: &str,
    except: Option<TagId>,
) -> QueryResult<bool> {
    let mut q = analysis_tags::table
        .filter(analysis_tags::consultation_id.eq(consultation))
        .filter(analysis_tags::deleted_at.is_null())
        .filter(analysis_tags::label.eq(label))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(analysis_tags::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

fn record(
    conn: &mut DbConnection,
    by: UserId,
    action: audit::Action,
    consultation: ConsultationId,
    label: &str,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Entry {
            actor: Some(by),
            action,
            consultation: Some(consultation),
            round: None,
            subject: label,
            details: "",
        },
        now,
    )
}

/// Creates a tag, or (`id` given) changes one.
pub fn save(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    id: Option<TagId>,
    input: &TagInput,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<TagId, TagError>> {
    if let Err(e) = input.check() {
        return Ok(Err(e));
    }
    crate::db::write_transaction(conn, |conn| {
        let label = input.label.trim();
        if label_taken(conn, consultation, label, id)? {
            return Ok(Err(TagError::Taken));
        }
        if let Err(e) = check_parent(conn, consultation, input.parent, id)? {
            return Ok(Err(e));
        }
        let translated = Some(input.translated_label.trim()).filter(|t| !t.is_empty());
        let description = input.description.trim();
        let saved = match id {
            Some(id) => {
                let changed = diesel::update(
                    analysis_tags::table
                        .find(id)
                        .filter(analysis_tags::consultation_id.eq(consultation))
                        .filter(analysis_tags::deleted_at.is_null()),
                )
                .set((
                    analysis_tags::label.eq(label),
                    analysis_tags::translated_label.eq(translated),
                    analysis_tags::description.eq(description),
                    analysis_tags::parent_id.eq(input.parent),
                ))
                .execute(conn)?;
                if changed == 0 {
                    return Err(diesel::result::Error::NotFound);
                }
                record(conn, by, audit::Action::TagUpdate, consultation, label, now)?;
                id
            }
            None => {
                let id = diesel::insert_into(analysis_tags::table)
                    .values((
                        analysis_tags::consultation_id.eq(consultation),
                        analysis_tags::parent_id.eq(input.parent),
                        analysis_tags::label.eq(label),
                        analysis_tags::translated_label.eq(translated),
                        analysis_tags::description.eq(description),
                        analysis_tags::created_by.eq(by),
                        analysis_tags::created_at.eq(now),
                    ))
                    .returning(analysis_tags::id)
                    .get_result(conn)?;
                record(conn, by, audit::Action::TagCreate, consultation, label, now)?;
                id
            }
        };
        Ok(Ok(saved))
    })
}

/// Deletes a tag and its children from the codebook; their taggings stay
/// in the history but no longer count.
pub fn delete(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    id: TagId,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let label: Option<String> = analysis_tags::table
            .find(id)
            .filter(analysis_tags::consultation_id.eq(consultation))
            .filter(analysis_tags::deleted_at.is_null())
            .select(analysis_tags::label)
            .first(conn)
            .optional()?;
        let Some(label) = label else { return Ok(false) };
        let gone: Vec<TagId> = analysis_tags::table
            .filter(analysis_tags::id.eq(id).or(analysis_tags::parent_id.eq(id)))
            .filter(analysis_tags::deleted_at.is_null())
            .select(analysis_tags::id)
            .load(conn)?;
        diesel::update(analysis_tags::table.filter(analysis_tags::id.eq_any(&gone)))
            .set(analysis_tags::deleted_at.eq(now))
            .execute(conn)?;
        diesel::update(
            text_tags::table
                .filter(text_tags::tag_id.eq_any(&gone))
                .filter(text_tags::removed_at.is_null()),
        )
        .set((text_tags::removed_at.eq(now), text_tags::removed_by.eq(by)))
        .execute(conn)?;
        record(
            conn,
            by,
            audit::Action::TagDelete,
            consultation,
            &label,
            now,
        )?;
        Ok(true)
    })
}

/// Sets the tags of one text to exactly `tags`: new ones are applied, the
/// others' live taggings undone. Returns (applied, undone).
pub fn set_for_text(
    conn: &mut DbConnection,
    round: RoundId,
    text: TextRef,
    tags: &[TagId],
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<(usize, usize)> {
    crate::db::write_transaction(conn, |conn| {
        let live: Vec<TagId> = text_tags::table
            .filter(text_tags::text_kind.eq(text.kind.as_str()))
            .filter(text_tags::text_id.eq(text.id))
            .filter(text_tags::removed_at.is_null())
            .select(text_tags::tag_id)
            .load(conn)?;
        let undone = diesel::update(
            text_tags::table
                .filter(text_tags::text_kind.eq(text.kind.as_str()))
                .filter(text_tags::text_id.eq(text.id))
                .filter(text_tags::removed_at.is_null())
                .filter(text_tags::tag_id.ne_all(tags)),
        )
        .set((text_tags::removed_at.eq(now), text_tags::removed_by.eq(by)))
        .execute(conn)?;
        let mut applied = 0;
        for tag in tags.iter().filter(|t| !live.contains(t)) {
            applied += diesel::insert_into(text_tags::table)
                .values((
                    text_tags::round_id.eq(round),
                    text_tags::text_kind.eq(text.kind.as_str()),
                    text_tags::text_id.eq(text.id),
                    text_tags::tag_id.eq(*tag),
                    text_tags::tagged_by.eq(by),
                    text_tags::tagged_at.eq(now),
                ))
                .execute(conn)?;
        }
        // The draft report shows the themes: a stored one is stale.
        crate::reports::round_changed(conn, round, now)?;
        Ok((applied, undone))
    })
}

/// Tags the chosen texts (those of `round` only) in one batch; returns how
/// many taggings were made.
pub fn tag_texts(
    conn: &mut DbConnection,
    round: RoundId,
    texts: &[TextRef],
    tag: TagId,
    batch: &str,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        let mut made = 0;
        for kind in [super::TextKind::Position, super::TextKind::General] {
            let ids: Vec<i64> = texts
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| t.id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let filters = Filters {
                only: Some((kind, ids)),
                ..Filters::default()
            };
            made += search::tag_matching(conn, round, &filters, tag, batch, by, now)?;
        }
        crate::reports::round_changed(conn, round, now)?;
        Ok(made)
    })
}

/// Tags every text of the search `f` in one batch (one INSERT … SELECT).
pub fn tag_search(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
    tag: TagId,
    batch: &str,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        crate::reports::round_changed(conn, round, now)?;
        search::tag_matching(conn, round, f, tag, batch, by, now)
    })
}

/// Undoes one live tagging of `round`; false when there is none.
pub fn undo(
    conn: &mut DbConnection,
    round: RoundId,
    tagging: i64,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let n = diesel::update(
            text_tags::table
                .find(tagging)
                .filter(text_tags::round_id.eq(round))
                .filter(text_tags::removed_at.is_null()),
        )
        .set((text_tags::removed_at.eq(now), text_tags::removed_by.eq(by)))
        .execute(conn)?;
        crate::reports::round_changed(conn, round, now)?;
        Ok(n == 1)
    })
}

/// Undoes every live tagging of a batch in `round`; returns how many.
pub fn undo_batch(
    conn: &mut DbConnection,
    round: RoundId,
    batch: &str,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        let n = diesel::update(
            text_tags::table
                .filter(text_tags::batch.eq(batch))
                .filter(text_tags::round_id.eq(round))
                .filter(text_tags::removed_at.is_null()),
        )
        .set((text_tags::removed_at.eq(now), text_tags::removed_by.eq(by)))
        .execute(conn)?;
        crate::reports::round_changed(conn, round, now)?;
        Ok(n)
    })
}

/// One tagging of a text: (tagging id, tag label, who, when, removed when).
pub type Tagging = (
    i64,
    String,
    Option<String>,
    PrimitiveDateTime,
    Option<PrimitiveDateTime>,
);

/// The taggings of one text, live and undone, newest first.
pub fn history(conn: &mut DbConnection, text: TextRef) -> QueryResult<Vec<Tagging>> {
    use crate::db::schema::users;
    text_tags::table
        .inner_join(analysis_tags::table)
        .left_join(users::table.on(users::id.nullable().eq(text_tags::tagged_by)))
        .filter(text_tags::text_kind.eq(text.kind.as_str()))
        .filter(text_tags::text_id.eq(text.id))
        .order(text_tags::id.desc())
        .select((
            text_tags::id,
            analysis_tags::label,
            users::display_name.nullable(),
            text_tags::tagged_at,
            text_tags::removed_at,
        ))
        .load(conn)
}

/// How many taggings of a batch are still live.
pub fn batch_size(conn: &mut DbConnection, round: RoundId, batch: &str) -> QueryResult<i64> {
    text_tags::table
        .filter(text_tags::batch.eq(batch))
        .filter(text_tags::round_id.eq(round))
        .filter(text_tags::removed_at.is_null())
        .count()
        .get_result(conn)
}
