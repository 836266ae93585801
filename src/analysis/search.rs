//! Finding a round's submitted texts: full text over their search documents
//! (see `words`), the workspace's filters, counts per facet, and one page of
//! results with everything a reader of the list needs.

use super::words::Query;
use super::{Disposition, TextKind};
use crate::codes::StakeholderGroup;
use crate::db::schema::{analysis_texts, positions, submissions, text_assignments, text_tags};
use crate::db::{DbConnection, ProvisionId, RoundId, SubmissionId, TagId, UserId};
use crate::search::{Index, condition_any};
use crate::submissions::{Disclosure, Stance};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use std::collections::{BTreeMap, HashMap};

/// The analysis texts' index (see the analysis_search migrations).
const ANALYSIS_TEXTS: Index = Index {
    sqlite: (
        "analysis_texts.id IN (SELECT rowid FROM analysis_texts_fts WHERE analysis_texts_fts MATCH ",
        ")",
    ),
    postgres: ("analysis_texts.words @@ to_tsquery('simple', ", ")"),
};

/// A text's live taggings, by the outer query's text: written once, in SQL
/// both backends read alike.
const TAGGED: &str = "EXISTS (SELECT 1 FROM text_tags t WHERE t.text_kind = analysis_texts.text_kind \
     AND t.text_id = analysis_texts.text_id AND t.removed_at IS NULL";

/// Texts with the disposition whose code follows.
const DISPOSED: &str = "EXISTS (SELECT 1 FROM text_dispositions d WHERE d.text_kind = analysis_texts.text_kind \
     AND d.text_id = analysis_texts.text_id";

/// Texts assigned to the analyst whose id follows.
const ASSIGNED: &str = "EXISTS (SELECT 1 FROM text_assignments a WHERE a.text_kind = analysis_texts.text_kind \
     AND a.text_id = analysis_texts.text_id AND a.analyst_id = ";

/// What the workspace looks for; every filter is optional.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub query: Query,
    /// The provisions of the chosen provision or division.
    pub provisions: Option<Vec<ProvisionId>>,
    /// The general comments only.
    pub general: bool,
    pub group: Option<StakeholderGroup>,
    /// A country, or every country of a region.
    pub countries: Option<Vec<String>>,
    pub stance: Option<Stance>,
    pub disclosure: Option<Disclosure>,
    pub verified: Option<bool>,
    pub tag: Option<TagId>,
    /// `Some(None)`: texts without a disposition.
    pub disposition: Option<Option<Disposition>>,
    pub analyst: Option<UserId>,
    /// Coded: carries at least one live tag.
    pub coded: Option<bool>,
    /// Only these texts (of one kind): the rows chosen in a list.
    pub only: Option<(TextKind, Vec<i64>)>,
}

/// Applies `f` to the boxed query `$base` (analysis_texts), per backend: the
/// same filters for the page, the counts and bulk actions.
macro_rules! filtered {
    ($m:expr, $c:expr, $base:expr) => {{
        let (f, round, before, words, after): (&Filters, RoundId, &str, &String, &str) = $m;
        {
            let mut q = boxed_for($base.filter(analysis_texts::round_id.eq(round)), $c);
            if let Some(ids) = &f.provisions {
                q = q.filter(analysis_texts::provision_id.eq_any(ids.clone()));
            }
            if let Some((kind, ids)) = &f.only {
                q = q
                    .filter(analysis_texts::text_kind.eq(kind.as_str()))
                    .filter(analysis_texts::text_id.eq_any(ids.clone()));
            }
            if f.general {
                q = q.filter(analysis_texts::text_kind.eq(TextKind::General.as_str()));
            }
            if let Some(group) = f.group {
                q = q.filter(analysis_texts::stakeholder_group.eq(group.as_str()));
            }
            if let Some(countries) = &f.countries {
                q = q.filter(analysis_texts::country.eq_any(countries.clone()));
            }
            if let Some(stance) = f.stance {
                q = q.filter(analysis_texts::stance.eq(stance.as_str()));
            }
            if let Some(disclosure) = f.disclosure {
                q = q.filter(analysis_texts::disclosure.eq(disclosure.as_str()));
            }
            if let Some(verified) = f.verified {
                q = q.filter(analysis_texts::verified.eq(verified));
            }
            if let Some(tag) = f.tag {
                q = q.filter(
                    sql::<Bool>(TAGGED)
                        .sql(" AND t.tag_id = ")
                        .bind::<BigInt, _>(tag.0)
                        .sql(")"),
                );
            }
            match f.disposition {
                Some(Some(d)) => {
                    q = q.filter(
                        sql::<Bool>(DISPOSED)
                            .sql(" AND d.disposition = ")
                            .bind::<Text, _>(d.as_str())
                            .sql(")"),
                    )
                }
                Some(None) => q = q.filter(sql::<Bool>("NOT ").sql(DISPOSED).sql(")")),
                None => {}
            }
            match f.coded {
                Some(true) => q = q.filter(sql::<Bool>(TAGGED).sql(")")),
                Some(false) => q = q.filter(sql::<Bool>("NOT ").sql(TAGGED).sql(")")),
                None => {}
            }
            if let Some(analyst) = f.analyst {
                q = q.filter(sql::<Bool>(ASSIGNED).bind::<BigInt, _>(analyst.0).sql(")"));
            }
            if !f.query.is_empty() {
                q = q.filter(
                    sql::<Bool>(before)
                        .bind::<Text, _>(words.clone())
                        .sql(after),
                );
            }
            q
        }
    }};
}

/// Boxes `query` for the backend of `_conn`, which the grouping of a boxed
/// query needs to know before the query is run.
fn boxed_for<'a, Q, C>(query: Q, _conn: &C) -> diesel::dsl::IntoBoxed<'a, Q, C::Backend>
where
    C: Connection,
    Q: diesel::query_dsl::methods::BoxedDsl<'a, C::Backend>,
{
    diesel::query_dsl::methods::BoxedDsl::internal_into_boxed(query)
}

/// What `filtered!` needs besides the base: the filters, the round, and the
/// full-text condition as this backend reads it.
fn matching_in<'a>(
    conn: &DbConnection,
    f: &'a Filters,
    round: RoundId,
    words: &'a mut String,
) -> (&'a Filters, RoundId, &'static str, &'a String, &'static str) {
    let (before, w, after) = condition_any(conn, &ANALYSIS_TEXTS, f.query.alternatives());
    *words = w;
    (f, round, before, words, after)
}

/// One text in a page of results, with its author's details as submitted.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: TextKind,
    pub id: i64,
    pub provision: Option<ProvisionId>,
    pub stance: Option<Stance>,
    pub group: Option<StakeholderGroup>,
    pub country: String,
    pub organization: String,
    pub display_name: String,
    pub disclosure: Option<Disclosure>,
    pub verified: bool,
    pub comment: String,
    pub proposed_text: String,
    /// Its live taggings: (tagging id, tag).
    pub tags: Vec<(i64, TagId)>,
}

type HitRow = (
    String,
    i64,
    Option<ProvisionId>,
    Option<String>,
    String,
    String,
    SubmissionId,
    String,
    bool,
);

/// A page of results, with the counts per facet of everything that matches.
pub struct Found {
    pub total: i64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// One window of the texts of `round` that match `f`, and the counts per
/// facet. How many match in all is the sum of the group counts, so the
/// matching texts are read once for both rather than counted again (on
/// PostgreSQL at a million submissions, that count cost more than the
/// facets).
pub fn search(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
    offset: i64,
    limit: i64,
) -> QueryResult<Found> {
    let facets = facets(conn, round, f)?;
    Ok(Found {
        total: facets.groups.iter().map(|(_, n)| n).sum(),
        hits: hits(conn, round, f, offset, limit)?,
        facets,
    })
}

/// One window of the texts of `round` that match `f`, in order.
pub fn hits(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Hit>> {
    let mut words = String::new();
    let m = matching_in(conn, f, round, &mut words);
    let rows: Vec<HitRow> = crate::per_backend!(conn, |c| {
        filtered!(m, c, analysis_texts::table)
            .order(analysis_texts::id.asc())
            .offset(offset)
            .limit(limit)
            .select((
                analysis_texts::text_kind,
                analysis_texts::text_id,
                analysis_texts::provision_id,
                analysis_texts::stance,
                analysis_texts::stakeholder_group,
                analysis_texts::country,
                analysis_texts::submission_id,
                analysis_texts::disclosure,
                analysis_texts::verified,
            ))
            .load(c)?
    });
    with_texts(conn, rows)
}

fn with_texts(conn: &mut DbConnection, rows: Vec<HitRow>) -> QueryResult<Vec<Hit>> {
    let ids_of = |kind: TextKind| -> Vec<i64> {
        rows.iter()
            .filter(|r| r.0 == kind.as_str())
            .map(|r| r.1)
            .collect()
    };
    let submission_ids: Vec<SubmissionId> = rows.iter().map(|r| r.6).collect();
    let authors: HashMap<SubmissionId, (String, String)> = submissions::table
        .filter(submissions::id.eq_any(&submission_ids))
        .select((
            submissions::id,
            (submissions::organization, submissions::display_name),
        ))
        .load(conn)?
        .into_iter()
        .collect();
    let (position_ids, general_ids) = (ids_of(TextKind::Position), ids_of(TextKind::General));
    let position_texts: HashMap<i64, (String, String)> = positions::table
        .filter(positions::id.eq_any(&position_ids))
        .select((positions::id, positions::comment, positions::proposed_text))
        .load::<(crate::db::PositionId, String, String)>(conn)?
        .into_iter()
        .map(|(id, c, p)| (id.0, (c, p)))
        .collect();
    let general_texts: HashMap<i64, String> = submissions::table
        .filter(submissions::id.eq_any(&general_ids))
        .select((submissions::id, submissions::general_comment))
        .load::<(crate::db::SubmissionId, String)>(conn)?
        .into_iter()
        .map(|(id, c)| (id.0, c))
        .collect();
    let mut tags: HashMap<(String, i64), Vec<(i64, TagId)>> = HashMap::new();
    let all_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let kinds: Vec<&str> = [TextKind::Position, TextKind::General]
        .into_iter()
        .map(TextKind::as_str)
        .filter(|k| rows.iter().any(|r| r.0 == *k))
        .collect();
    // The kind first, as the live taggings' index reads them: by the id
    // alone, PostgreSQL walked the whole index (82 ms with 200,000 taggings).
    let live: Vec<(i64, String, i64, TagId)> = text_tags::table
        .filter(text_tags::text_kind.eq_any(&kinds))
        .filter(text_tags::text_id.eq_any(&all_ids))
        .filter(text_tags::removed_at.is_null())
        .order(text_tags::id)
        .select((
            text_tags::id,
            text_tags::text_kind,
            text_tags::text_id,
            text_tags::tag_id,
        ))
        .load(conn)?;
    for (tagging, kind, id, tag) in live {
        tags.entry((kind, id)).or_default().push((tagging, tag));
    }
    Ok(rows
        .into_iter()
        .map(
            |(kind, id, provision, stance, group, country, submission, disclosure, verified)| {
                let (organization, display_name) =
                    authors.get(&submission).cloned().unwrap_or_default();
                let kind = TextKind::parse(&kind).unwrap_or(TextKind::Position);
                let (comment, proposed_text) = match kind {
                    TextKind::Position => position_texts.get(&id).cloned().unwrap_or_default(),
                    TextKind::General => (
                        general_texts.get(&id).cloned().unwrap_or_default(),
                        String::new(),
                    ),
                };
                Hit {
                    tags: tags
                        .remove(&(kind.as_str().to_string(), id))
                        .unwrap_or_default(),
                    kind,
                    id,
                    provision,
                    stance: stance.as_deref().and_then(Stance::parse),
                    group: StakeholderGroup::parse(&group),
                    country,
                    organization,
                    display_name,
                    disclosure: Disclosure::parse(&disclosure),
                    verified,
                    comment,
                    proposed_text,
                }
            },
        )
        .collect())
}

/// How many matching texts fall under each value of each facet.
#[derive(Debug, Default, Clone)]
pub struct Facets {
    pub groups: Vec<(String, i64)>,
    pub stances: Vec<(Option<String>, i64)>,
    pub provisions: Vec<(Option<ProvisionId>, i64)>,
    pub tags: Vec<(TagId, i64)>,
}

pub fn facets(conn: &mut DbConnection, round: RoundId, f: &Filters) -> QueryResult<Facets> {
    let id_of = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<i64>().ok());
    // One pass over the matching texts for the three columns of the text,
    // summed up here, and one for the tags, which a text has several of.
    let mut groups = BTreeMap::<String, i64>::new();
    let mut stances = BTreeMap::<Option<String>, i64>::new();
    let mut provisions = BTreeMap::<Option<i64>, i64>::new();
    for row in count_by(
        conn,
        round,
        f,
        &[
            "analysis_texts.stakeholder_group",
            "analysis_texts.stance",
            "analysis_texts.provision_id",
        ],
    )? {
        *groups.entry(row.a.clone().unwrap_or_default()).or_default() += row.n;
        *provisions.entry(id_of(&row.c)).or_default() += row.n;
        *stances.entry(row.b).or_default() += row.n;
    }
    Ok(Facets {
        groups: groups.into_iter().collect(),
        stances: stances.into_iter().collect(),
        provisions: provisions
            .into_iter()
            .map(|(p, n)| (p.map(ProvisionId), n))
            .collect(),
        tags: count_by(conn, round, f, &["tt.tag_id"])?
            .into_iter()
            .filter_map(|row| Some((TagId(id_of(&row.a)?), row.n)))
            .collect(),
    })
}

/// Per provision (None: the general comments): (texts, coded texts).
pub fn progress(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<HashMap<Option<ProvisionId>, (i64, i64)>> {
    let id_of = |v: Option<String>| v.and_then(|v| v.parse::<i64>().ok()).map(ProvisionId);
    let mut out: HashMap<Option<ProvisionId>, (i64, i64)> = HashMap::new();
    let by_provision = ["analysis_texts.provision_id"];
    for row in count_by(conn, round, &Filters::default(), &by_provision)? {
        out.entry(id_of(row.a)).or_default().0 = row.n;
    }
    let coded = Filters {
        coded: Some(true),
        ..Filters::default()
    };
    for row in count_by(conn, round, &coded, &by_provision)? {
        out.entry(id_of(row.a)).or_default().1 = row.n;
    }
    Ok(out)
}

/// How many matching texts have each combination of `values` (one to three
/// columns; `tt.` one of their live taggings').
fn count_by(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
    values: &[&str],
) -> QueryResult<Vec<CountRow>> {
    let (before, words, after) = condition_any(conn, &ANALYSIS_TEXTS, f.query.alternatives());
    let condition = where_sql(f, round, before, after);
    let mut from = String::from("analysis_texts");
    if values.iter().any(|v| v.starts_with("tt.")) {
        from.push_str(
            " JOIN text_tags tt ON tt.text_kind = analysis_texts.text_kind \
             AND tt.text_id = analysis_texts.text_id AND tt.removed_at IS NULL",
        );
    }
    let selected: Vec<String> = ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(i, name)| match values.get(i) {
            Some(v) => format!("CAST({v} AS TEXT) AS {name}"),
            None => format!("CAST(NULL AS TEXT) AS {name}"),
        })
        .collect();
    let statement = format!(
        "SELECT {}, COUNT(*) AS n FROM {from} WHERE {condition} GROUP BY {}",
        selected.join(", "),
        values.join(", ")
    );
    crate::per_backend!(conn, |c| {
        let mut q = diesel::sql_query(statement).into_boxed();
        if !f.query.is_empty() {
            q = q.bind::<Text, _>(words);
        }
        q.load(c)
    })
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    a: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    b: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    c: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The filters as SQL for the facets' GROUP BY queries (which diesel cannot
/// build on a boxed query). Only parsed values are written into it: ids,
/// the codes of closed lists and two-letter country codes; the words are
/// bound, as the one `?`/`$1` at `before … after`.
fn where_sql(f: &Filters, round: RoundId, before: &str, after: &str) -> String {
    let mut parts = vec![format!("analysis_texts.round_id = {}", round.0)];
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "NULL".to_string()
        } else {
            items.join(", ")
        }
    };
    if let Some(ids) = &f.provisions {
        parts.push(format!(
            "analysis_texts.provision_id IN ({})",
            list(ids.iter().map(|p| p.0.to_string()).collect())
        ));
    }
    if let Some((kind, ids)) = &f.only {
        parts.push(format!(
            "analysis_texts.text_kind = '{}' AND analysis_texts.text_id IN ({})",
            kind.as_str(),
            list(ids.iter().map(i64::to_string).collect())
        ));
    }
    if f.general {
        parts.push(format!(
            "analysis_texts.text_kind = '{}'",
            TextKind::General.as_str()
        ));
    }
    if let Some(group) = f.group {
        parts.push(format!(
            "analysis_texts.stakeholder_group = '{}'",
            group.as_str()
        ));
    }
    if let Some(countries) = &f.countries {
        let codes = countries
            .iter()
            .filter(|c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()))
            .map(|c| format!("'{c}'"))
            .collect();
        parts.push(format!("analysis_texts.country IN ({})", list(codes)));
    }
    if let Some(stance) = f.stance {
        parts.push(format!("analysis_texts.stance = '{}'", stance.as_str()));
    }
    if let Some(disclosure) = f.disclosure {
        parts.push(format!(
            "analysis_texts.disclosure = '{}'",
            disclosure.as_str()
        ));
    }
    if let Some(verified) = f.verified {
        parts.push(format!("analysis_texts.verified = {verified}"));
    }
    if let Some(tag) = f.tag {
        parts.push(format!("{TAGGED} AND t.tag_id = {})", tag.0));
    }
    match f.disposition {
        Some(Some(d)) => parts.push(format!("{DISPOSED} AND d.disposition = '{}')", d.as_str())),
        Some(None) => parts.push(format!("NOT {DISPOSED})")),
        None => {}
    }
    match f.coded {
        Some(true) => parts.push(format!("{TAGGED})")),
        Some(false) => parts.push(format!("NOT {TAGGED})")),
        None => {}
    }
    if let Some(analyst) = f.analyst {
        parts.push(format!("{ASSIGNED}{})", analyst.0));
    }
    if !f.query.is_empty() {
        let placeholder = if before.contains("to_tsquery") {
            "$1"
        } else {
            "?"
        };
        parts.push(format!("{before}{placeholder}{after}"));
    }
    parts.join(" AND ")
}

/// Every matching text, for bulk actions: (kind, id), in order.
pub fn all_matching(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
) -> QueryResult<Vec<(String, i64)>> {
    let mut words = String::new();
    let m = matching_in(conn, f, round, &mut words);
    crate::per_backend!(conn, |c| filtered!(m, c, analysis_texts::table)
        .order(analysis_texts::id.asc())
        .select((analysis_texts::text_kind, analysis_texts::text_id))
        .load(c))
}

/// Tags every text matching `f` that does not carry `tag` yet, in one
/// INSERT … SELECT; returns how many were tagged.
pub fn tag_matching(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
    tag: TagId,
    batch: &str,
    by: UserId,
    now: time::PrimitiveDateTime,
) -> QueryResult<usize> {
    use diesel::sql_types::{Nullable, Timestamp};
    let mut words = String::new();
    let m = matching_in(conn, f, round, &mut words);
    let batch = batch.to_string();
    crate::per_backend!(conn, |c| {
        let rows = filtered!(m, c, analysis_texts::table)
            .filter(
                sql::<Bool>("NOT ")
                    .sql(TAGGED)
                    .sql(" AND t.tag_id = ")
                    .bind::<BigInt, _>(tag.0)
                    .sql(")"),
            )
            .select((
                analysis_texts::round_id,
                analysis_texts::text_kind,
                analysis_texts::text_id,
                tag.0.into_sql::<BigInt>(),
                Some(batch.clone()).into_sql::<Nullable<Text>>(),
                Some(by.0).into_sql::<Nullable<BigInt>>(),
                now.into_sql::<Timestamp>(),
            ));
        diesel::insert_into(text_tags::table)
            .values(rows)
            .into_columns((
                text_tags::round_id,
                text_tags::text_kind,
                text_tags::text_id,
                text_tags::tag_id,
                text_tags::batch,
                text_tags::tagged_by,
                text_tags::tagged_at,
            ))
            .execute(c)
    })
}

/// Texts of `f` that nobody codes yet: uncoded and unassigned, in order.
pub fn unassigned_uncoded(
    conn: &mut DbConnection,
    round: RoundId,
    f: &Filters,
) -> QueryResult<Vec<(String, i64)>> {
    let mut f = f.clone();
    f.coded = Some(false);
    let mut words = String::new();
    let m = matching_in(conn, &f, round, &mut words);
    crate::per_backend!(conn, |c| filtered!(m, c, analysis_texts::table)
        .filter(diesel::dsl::not(diesel::dsl::exists(
            text_assignments::table
                .filter(text_assignments::text_kind.eq(analysis_texts::text_kind))
                .filter(text_assignments::text_id.eq(analysis_texts::text_id)),
        )))
        .order(analysis_texts::id.asc())
        .select((analysis_texts::text_kind, analysis_texts::text_id))
        .load(c))
}
