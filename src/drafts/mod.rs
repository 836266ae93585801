//! Draft versions of a consultation's text and their provisions.

mod key;
pub use key::ProvisionKey;

pub mod diff;
pub mod docx;
#[cfg(test)]
mod docx_fixture;
pub mod import;
pub mod numbering;
pub mod structure;
pub mod translation;

use crate::codes::Locale;
use crate::db::schema::{draft_divisions, draft_versions, provisions};
use crate::db::{ConsultationId, DbConnection, DraftVersionId, ProvisionId, UserId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

pub use import::{ImportError, ParsedDraft};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = draft_versions)]
pub struct DraftVersion {
    pub id: DraftVersionId,
    pub consultation_id: ConsultationId,
    pub version: i32,
    pub locale: String,
    pub title: String,
    pub preamble: String,
    pub translated_title: Option<String>,
    pub translated_preamble: Option<String>,
    pub created_at: PrimitiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = provisions)]
pub struct Provision {
    pub id: ProvisionId,
    pub draft_version_id: DraftVersionId,
    pub ordinal: i32,
    pub provision_key: String,
    pub label: String,
    pub heading: String,
    pub body: String,
    pub translated_heading: Option<String>,
    pub translated_body: Option<String>,
    pub translated_label: Option<String>,
    /// The innermost division it sits in; `None` in a draft without any.
    pub division_key: Option<String>,
}

/// A provision with a key and a body and nothing else, for unit tests.
#[cfg(test)]
pub fn test_provision(key: &str, body: &str) -> Provision {
    Provision {
        id: ProvisionId(1),
        draft_version_id: DraftVersionId(1),
        ordinal: 1,
        provision_key: key.into(),
        label: String::new(),
        heading: "H".into(),
        body: body.into(),
        translated_heading: None,
        translated_body: None,
        translated_label: None,
        division_key: None,
    }
}

/// A part, chapter, section or annex of a draft version.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = draft_divisions)]
pub struct Division {
    #[diesel(column_name = division_key)]
    pub key: String,
    pub parent_key: Option<String>,
    pub depth: i32,
    pub label: String,
    pub heading: String,
    pub body: String,
    pub translated_label: Option<String>,
    pub translated_heading: Option<String>,
    pub translated_body: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = draft_versions)]
struct NewDraftVersion<'a> {
    consultation_id: ConsultationId,
    version: i32,
    locale: &'a str,
    title: &'a str,
    preamble: &'a str,
    source_markdown: &'a str,
    created_by: Option<UserId>,
    created_at: PrimitiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = provisions)]
struct NewProvision<'a> {
    draft_version_id: DraftVersionId,
    ordinal: i32,
    provision_key: &'a str,
    label: &'a str,
    heading: &'a str,
    body: &'a str,
    division_key: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = draft_divisions)]
struct NewDivision<'a> {
    draft_version_id: DraftVersionId,
    ordinal: i32,
    division_key: &'a str,
    parent_key: Option<&'a str>,
    depth: i32,
    label: &'a str,
    heading: &'a str,
    body: &'a str,
}

/// Stores `draft` as the consultation's next version, in one transaction.
pub fn store(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    draft: &ParsedDraft,
    source_markdown: &str,
    locale: Locale,
    author: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<DraftVersion> {
    crate::db::write_transaction(conn, |conn| {
        let latest: Option<i32> = draft_versions::table
            .filter(draft_versions::consultation_id.eq(consultation))
            .select(diesel::dsl::max(draft_versions::version))
            .first(conn)?;
        let id: DraftVersionId = diesel::insert_into(draft_versions::table)
            .values(NewDraftVersion {
                consultation_id: consultation,
                version: latest.unwrap_or(0) + 1,
                locale: locale.as_str(),
                title: &draft.title,
                preamble: &draft.preamble,
                source_markdown,
                created_by: author,
                created_at: now,
            })
            .returning(draft_versions::id)
            .get_result(conn)?;
        for (i, d) in draft.divisions.iter().enumerate() {
            diesel::insert_into(draft_divisions::table)
                .values(NewDivision {
                    draft_version_id: id,
                    ordinal: i as i32 + 1,
                    division_key: &d.key,
                    parent_key: d.parent.as_deref(),
                    depth: d.depth,
                    label: &d.label,
                    heading: &d.heading,
                    body: &d.body,
                })
                .execute(conn)?;
        }
        for (i, p) in draft.provisions.iter().enumerate() {
            diesel::insert_into(provisions::table)
                .values(NewProvision {
                    draft_version_id: id,
                    ordinal: i as i32 + 1,
                    provision_key: &p.key,
                    label: &p.label,
                    heading: &p.heading,
                    body: &p.body,
                    division_key: p.division.as_deref(),
                })
                .execute(conn)?;
        }
        draft_versions::table
            .find(id)
            .select(DraftVersion::as_select())
            .first(conn)
    })
}

pub fn versions_of(
    conn: &mut DbConnection,
    consultation: ConsultationId,
) -> QueryResult<Vec<DraftVersion>> {
    draft_versions::table
        .filter(draft_versions::consultation_id.eq(consultation))
        .order(draft_versions::version.asc())
        .select(DraftVersion::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: DraftVersionId) -> QueryResult<DraftVersion> {
    draft_versions::table
        .find(id)
        .select(DraftVersion::as_select())
        .first(conn)
}

pub fn provisions_of(conn: &mut DbConnection, id: DraftVersionId) -> QueryResult<Vec<Provision>> {
    provisions::table
        .filter(provisions::draft_version_id.eq(id))
        .order(provisions::ordinal.asc())
        .select(Provision::as_select())
        .load(conn)
}

/// The version's divisions in document order (empty for a flat draft).
pub fn divisions_of(conn: &mut DbConnection, id: DraftVersionId) -> QueryResult<Vec<Division>> {
    draft_divisions::table
        .filter(draft_divisions::draft_version_id.eq(id))
        .order(draft_divisions::ordinal.asc())
        .select(Division::as_select())
        .load(conn)
}

/// The version just before `draft` in its consultation, if any.
pub fn previous_version(
    conn: &mut DbConnection,
    draft: &DraftVersion,
) -> QueryResult<Option<DraftVersion>> {
    draft_versions::table
        .filter(draft_versions::consultation_id.eq(draft.consultation_id))
        .filter(draft_versions::version.lt(draft.version))
        .order(draft_versions::version.desc())
        .select(DraftVersion::as_select())
        .first(conn)
        .optional()
}

/// Stores an imported draft as the next version and logs who did it.
pub fn import_version(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    slug: &str,
    draft: &ParsedDraft,
    source: &str,
    actor: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        let v = store(conn, consultation, draft, source, Locale::En, actor, now)?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor,
                action: crate::audit::Action::DraftImport,
                consultation: Some(consultation),
                round: None,
                subject: slug,
                details: &format!(
                    "version {} ({} provisions)",
                    v.version,
                    draft.provisions.len()
                ),
            },
            now,
        )?;
        Ok(v.version)
    })
}
