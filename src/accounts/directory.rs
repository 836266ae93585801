//! The participants list organizers page through: every live account,
//! searched, filtered and sorted in the database, one page at a time, and
//! the counts the dashboard shows instead of lists.

use super::{Role, User};
use crate::codes::StakeholderGroup;
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::search::contains;
use diesel::dsl::count_star;
use diesel::prelude::*;

pub const PER_PAGE: i64 = 50;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

crate::text_enum! {
    /// The columns the list may be sorted by; each has an index in that
    /// order with the id as tie-breaker, so a page is always the same rows.
    pub enum Sort {
        Name => "name",
        Email => "email",
        SignedUp => "signed_up",
        Group => "group",
        Country => "country",
    }
}

/// Which people to list; every part is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Part of the name, e-mail address or organization, in any case; `%`
    /// and `_` are the characters themselves.
    pub search: Option<String>,
    pub group: Option<StakeholderGroup>,
    pub country: Option<String>,
    pub verified: Option<bool>,
    pub confirmed: Option<bool>,
    pub role: Option<Role>,
}

pub struct Listing {
    pub total: i64,
    pub people: Vec<User>,
}

/// One page of the people `filter` selects, sorted by `sort`, and how many
/// it selects in all.
pub fn page(
    conn: &mut DbConnection,
    filter: &Filter,
    sort: Sort,
    descending: bool,
    offset: i64,
) -> QueryResult<Listing> {
    let pattern = filter.search.as_deref().map(contains);
    // The same conditions for the count and the page, built per backend.
    macro_rules! matching {
        () => {{
            let mut query = users::table
                .filter(users::deleted_at.is_null())
                .into_boxed();
            if let Some(p) = &pattern {
                query = query.filter(
                    lower(users::display_name)
                        .like(p.clone())
                        .escape('\\')
                        .or(users::email.like(p.clone()).escape('\\'))
                        .or(lower(users::organization).like(p.clone()).escape('\\')),
                );
            }
            if let Some(group) = filter.group {
                query = query.filter(users::stakeholder_group.eq(group.as_str()));
            }
            if let Some(country) = &filter.country {
                query = query.filter(users::country.eq(country.clone()));
            }
            match filter.verified {
                Some(true) => query = query.filter(users::affiliation_verified_at.is_not_null()),
                Some(false) => query = query.filter(users::affiliation_verified_at.is_null()),
                None => {}
            }
            match filter.confirmed {
                Some(true) => query = query.filter(users::email_verified_at.is_not_null()),
                Some(false) => query = query.filter(users::email_verified_at.is_null()),
                None => {}
            }
            if let Some(role) = filter.role {
                query = query.filter(users::role.eq(role.as_str()));
            }
            query
        }};
    }
    crate::per_backend!(conn, |c| {
        let total: i64 = matching!().count().get_result(c)?;
        let query = matching!();
        let query = match (sort, descending) {
            (Sort::Name, false) => query.order((lower(users::display_name).asc(), users::id.asc())),
            (Sort::Name, true) => {
                query.order((lower(users::display_name).desc(), users::id.desc()))
            }
            // Addresses are unique: no tie to break.
            (Sort::Email, false) => query.order(users::email.asc()),
            (Sort::Email, true) => query.order(users::email.desc()),
            (Sort::SignedUp, false) => query.order((users::created_at.asc(), users::id.asc())),
            (Sort::SignedUp, true) => query.order((users::created_at.desc(), users::id.desc())),
            (Sort::Group, false) => query.order((users::stakeholder_group.asc(), users::id.asc())),
            (Sort::Group, true) => query.order((users::stakeholder_group.desc(), users::id.desc())),
            (Sort::Country, false) => query.order((users::country.asc(), users::id.asc())),
            (Sort::Country, true) => query.order((users::country.desc(), users::id.desc())),
        };
        let people = query
            .offset(offset.max(0))
            .limit(PER_PAGE)
            .select(User::as_select())
            .load(c)?;
        Ok(Listing { total, people })
    })
}

/// The countries people declared, for the list's filter (at most the 250
/// or so of ISO 3166, whatever the number of people). Read from the country
/// index alone: a deleted account's country may be offered, and finds nobody.
pub fn countries(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    users::table
        .select(users::country)
        .distinct()
        .order(users::country.asc())
        .load(conn)
}

/// What the dashboard says about participants, in numbers.
#[derive(Debug, Default)]
pub struct Counts {
    pub participants: i64,
    /// Address confirmed, affiliation not yet verified.
    pub awaiting: i64,
    pub unconfirmed: i64,
    pub by_group: Vec<(String, i64)>,
}

pub fn counts(conn: &mut DbConnection) -> QueryResult<Counts> {
    let participants = || {
        users::table
            .filter(users::deleted_at.is_null())
            .filter(users::role.eq(Role::Participant.as_str()))
    };
    Ok(Counts {
        participants: participants().count().get_result(conn)?,
        awaiting: participants()
            .filter(users::email_verified_at.is_not_null())
            .filter(users::affiliation_verified_at.is_null())
            .count()
            .get_result(conn)?,
        unconfirmed: participants()
            .filter(users::email_verified_at.is_null())
            .count()
            .get_result(conn)?,
        by_group: participants()
            .group_by(users::stakeholder_group)
            .select((users::stakeholder_group, count_star()))
            .order(users::stakeholder_group.asc())
            .load(conn)?,
    })
}
