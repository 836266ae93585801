//! Consultations and the stakeholder groups eligible to take part.

mod slug;
pub use slug::Slug;

use crate::audit;
use crate::codes::{Locale, StakeholderGroup};
use crate::db::schema::{consultation_groups, consultations};
use crate::db::{ConsultationId, DbConnection, UserId};
use diesel::prelude::*;
use std::collections::HashMap;
use time::PrimitiveDateTime;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consultations)]
pub struct Consultation {
    pub id: ConsultationId,
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub summary: String,
    pub translated_title: Option<String>,
    pub translated_summary: Option<String>,
    pub created_at: PrimitiveDateTime,
}

impl Consultation {
    /// The title in `reader`'s language when a translation into it exists,
    /// otherwise the original (e-mails, which carry no `lang` marks per phrase).
    pub fn title_for(&self, reader: Locale) -> &str {
        match &self.translated_title {
            Some(t) if Locale::parse(&self.locale) != Some(reader) && !t.trim().is_empty() => t,
            _ => &self.title,
        }
    }
}

pub struct NewConsultation<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub locale: Locale,
    pub eligible_groups: &'a [StakeholderGroup],
}

/// Creates a consultation unless its slug is taken (`None`); one created by
/// an organizer (`author`) is recorded in the audit log with it.
pub fn create(
    conn: &mut DbConnection,
    new: &NewConsultation,
    author: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<Option<ConsultationId>> {
    crate::db::write_transaction(conn, |conn| {
        if exists(conn, new.slug)? {
            return Ok(None);
        }
        let id: ConsultationId = diesel::insert_into(consultations::table)
            .values((
                consultations::slug.eq(new.slug),
                consultations::locale.eq(new.locale.as_str()),
                consultations::title.eq(new.title),
                consultations::summary.eq(new.summary),
                consultations::created_by.eq(author),
                consultations::created_at.eq(now),
                consultations::updated_at.eq(now),
            ))
            .returning(consultations::id)
            .get_result(conn)?;
        set_groups(conn, id, new.eligible_groups)?;
        if let Some(actor) = author {
            audit::record(
                conn,
                &audit::Entry {
                    actor: Some(actor),
                    action: audit::Action::ConsultationCreate,
                    consultation: Some(id),
                    round: None,
                    subject: new.slug,
                    details: new.title,
                },
                now,
            )?;
        }
        Ok(Some(id))
    })
}

fn set_groups(
    conn: &mut DbConnection,
    id: ConsultationId,
    groups: &[StakeholderGroup],
) -> QueryResult<()> {
    diesel::delete(consultation_groups::table.filter(consultation_groups::consultation_id.eq(id)))
        .execute(conn)?;
    for group in groups {
        diesel::insert_into(consultation_groups::table)
            .values((
                consultation_groups::consultation_id.eq(id),
                consultation_groups::stakeholder_group.eq(group.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Consultation>> {
    consultations::table
        .order(consultations::created_at.desc())
        .select(Consultation::as_select())
        .load(conn)
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Consultation> {
    consultations::table
        .filter(consultations::slug.eq(slug))
        .select(Consultation::as_select())
        .first(conn)
}

pub fn exists(conn: &mut DbConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        consultations::table.filter(consultations::slug.eq(slug)),
    ))
    .get_result(conn)
}

/// The groups that may take part, in the canonical order; every group when the
/// consultation names none.
pub fn eligible_groups(
    conn: &mut DbConnection,
    id: ConsultationId,
) -> QueryResult<Vec<StakeholderGroup>> {
    let mut all = eligible_groups_for(conn, &[id])?;
    Ok(all
        .remove(&id)
        .unwrap_or_else(|| StakeholderGroup::ALL.to_vec()))
}

/// `eligible_groups` for many consultations in one query.
pub fn eligible_groups_for(
    conn: &mut DbConnection,
    ids: &[ConsultationId],
) -> QueryResult<HashMap<ConsultationId, Vec<StakeholderGroup>>> {
    let rows: Vec<(ConsultationId, String)> = consultation_groups::table
        .filter(consultation_groups::consultation_id.eq_any(ids))
        .select((
            consultation_groups::consultation_id,
            consultation_groups::stakeholder_group,
        ))
        .load(conn)?;
    let mut map: HashMap<ConsultationId, Vec<StakeholderGroup>> =
        ids.iter().map(|id| (*id, Vec::new())).collect();
    for (id, code) in rows {
        if let Some(group) = StakeholderGroup::parse(&code) {
            map.entry(id).or_default().push(group);
        }
    }
    for groups in map.values_mut() {
        if groups.is_empty() {
            *groups = StakeholderGroup::ALL.to_vec();
        }
        groups.sort();
    }
    Ok(map)
}

/// What an organizer may change of a consultation. The translated texts
/// are in the other language; an empty one removes that translation, so
/// readers see the original.
pub struct ConsultationChange<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub translated_title: &'a str,
    pub translated_summary: &'a str,
    pub eligible_groups: &'a [StakeholderGroup],
}

/// Changes a consultation and records who did it, in one transaction.
pub fn update(
    conn: &mut DbConnection,
    consultation: &Consultation,
    change: &ConsultationChange,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let id = consultation.id;
    crate::db::write_transaction(conn, |conn| {
        diesel::update(consultations::table.find(id))
            .set((
                consultations::title.eq(change.title),
                consultations::summary.eq(change.summary),
                consultations::translated_title.eq(given(change.translated_title)),
                consultations::translated_summary.eq(given(change.translated_summary)),
                consultations::updated_at.eq(now),
            ))
            .execute(conn)?;
        set_groups(conn, id, change.eligible_groups)?;
        let codes: Vec<&str> = change.eligible_groups.iter().map(|g| g.as_str()).collect();
        let mut details = codes.join(", ");
        if !(change.translated_title.is_empty() && change.translated_summary.is_empty()) {
            let other = Locale::parse(&consultation.locale)
                .unwrap_or_default()
                .other();
            details.push_str(&format!(" (translated into {other})"));
        }
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::ConsultationUpdate,
                consultation: Some(id),
                round: None,
                subject: &consultation.slug,
                details: &details,
            },
            now,
        )
    })
}

/// The title and summary in the other language; an empty text removes that
/// translation, so readers see the original.
pub fn set_translation(
    conn: &mut DbConnection,
    id: ConsultationId,
    title: &str,
    summary: &str,
) -> QueryResult<()> {
    diesel::update(consultations::table.find(id))
        .set((
            consultations::translated_title.eq(given(title)),
            consultations::translated_summary.eq(given(summary)),
        ))
        .execute(conn)
        .map(|_| ())
}

fn given(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}
