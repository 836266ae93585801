//! Finding what was said in a published version: its texts exactly as
//! published (the attribution the author's disclosure and the round's policy
//! allow; hidden texts are stored empty and never match), filtered and
//! matched by full text, in the report's order.

use super::PublishedComment;
use super::published::{TextRow, text_columns, text_of};
use crate::codes::StakeholderGroup;
use crate::db::schema::report_texts;
use crate::db::{DbConnection, ReportId};
use crate::search::{Index, Words, condition, contains};
use crate::submissions::Stance;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text};

/// The published texts' index (see the report_text_search migrations).
const PUBLISHED_TEXTS: Index = Index {
    sqlite: (
        "report_texts.id IN (SELECT rowid FROM report_texts_fts WHERE report_texts_fts MATCH ",
        ")",
    ),
    postgres: (
        "to_tsvector('simple', polyphony_search_text(report_texts.comment || ' ' || report_texts.proposed_text)) @@ plainto_tsquery('simple', polyphony_search_text(",
        "))",
    ),
};

diesel::define_sql_function!(fn lower(x: Nullable<Text>) -> Nullable<Text>);

/// What a reader looks for; every filter is optional.
#[derive(Debug, Default, Clone)]
pub struct TextQuery {
    pub words: Words,
    /// A provision's key, or '' for the general comments.
    pub provision: Option<String>,
    pub group: Option<StakeholderGroup>,
    /// A country, or every country of a region.
    pub countries: Option<Vec<String>>,
    /// The region of `countries`, when it is one: it also finds the texts
    /// whose country is withheld but whose region is published.
    pub region: Option<String>,
    pub stance: Option<Stance>,
    /// Part of the organization's name, in any case.
    pub organization: Option<String>,
}

pub struct Found {
    pub total: i64,
    /// The provision's key ('' for a general comment) and the text.
    pub texts: Vec<(String, PublishedComment)>,
}

/// One window of the texts of `report` that match `q`, and how many match.
pub fn search_texts(
    conn: &mut DbConnection,
    report: ReportId,
    q: &TextQuery,
    offset: i64,
    limit: i64,
) -> QueryResult<Found> {
    let (before, words, after) = condition(conn, &PUBLISHED_TEXTS, &q.words);
    let organization = q.organization.as_deref().map(contains);
    // The same filters for the count and the page, built per backend.
    macro_rules! matching {
        () => {{
            let mut query = report_texts::table
                .filter(report_texts::report_id.eq(report))
                .filter(report_texts::hidden_reason.is_null())
                .into_boxed();
            if let Some(key) = &q.provision {
                query = query.filter(report_texts::provision_key.eq(key.clone()));
            }
            if let Some(group) = q.group {
                query = query.filter(report_texts::stakeholder_group.eq(group.as_str()));
            }
            match (&q.region, &q.countries) {
                (Some(region), countries) => {
                    // Versions published before texts carried a region
                    // are found by their countries.
                    let countries = countries.clone().unwrap_or_default();
                    query = query.filter(
                        report_texts::region
                            .eq(region.clone())
                            .or(report_texts::region
                                .is_null()
                                .and(report_texts::country.eq_any(countries))),
                    );
                }
                (None, Some(countries)) => {
                    query = query.filter(report_texts::country.eq_any(countries.clone()));
                }
                (None, None) => {}
            }
            if let Some(stance) = q.stance {
                query = query.filter(report_texts::stance.eq(stance.as_str()));
            }
            if let Some(pattern) = &organization {
                query = query.filter(
                    lower(report_texts::organization)
                        .like(pattern.clone())
                        .escape('\\'),
                );
            }
            if !q.words.is_empty() {
                query = query.filter(
                    sql::<Bool>(before)
                        .bind::<Text, _>(words.clone())
                        .sql(after),
                );
            }
            query
        }};
    }
    crate::per_backend!(conn, |c| {
        let total: i64 = matching!().count().get_result(c)?;
        let rows: Vec<TextRow> = matching!()
            .order(report_texts::id.asc())
            .offset(offset)
            .limit(limit)
            .select(text_columns!())
            .load(c)?;
        Ok(Found {
            total,
            texts: rows.into_iter().map(text_of).collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organization_is_matched_literally_in_any_case() {
        assert_eq!(contains("Open_Culture 100%"), r"%open\_culture 100\%%");
    }
}
