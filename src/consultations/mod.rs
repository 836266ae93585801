//! Consultations and the stakeholder groups eligible to take part.

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

pub fn create(
    conn: &mut DbConnection,
    new: &NewConsultation,
    author: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<ConsultationId> {
    crate::db::write_transaction(conn, |conn| {
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
        for group in new.eligible_groups {
            diesel::insert_into(consultation_groups::table)
                .values((
                    consultation_groups::consultation_id.eq(id),
                    consultation_groups::stakeholder_group.eq(group.as_str()),
                ))
                .execute(conn)?;
        }
        Ok(id)
    })
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

pub fn update(
    conn: &mut DbConnection,
    id: ConsultationId,
    title: &str,
    summary: &str,
    groups: &[StakeholderGroup],
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        diesel::update(consultations::table.find(id))
            .set((
                consultations::title.eq(title),
                consultations::summary.eq(summary),
                consultations::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::delete(
            consultation_groups::table.filter(consultation_groups::consultation_id.eq(id)),
        )
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
    let given = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
    diesel::update(consultations::table.find(id))
        .set((
            consultations::translated_title.eq(given(title)),
            consultations::translated_summary.eq(given(summary)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A slug is lower-case letters, digits and single hyphens, 1–80 characters;
/// `new` is taken by the page that creates consultations.
pub fn valid_slug(slug: &str) -> bool {
    slug != "new"
        && (1..=80).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}
