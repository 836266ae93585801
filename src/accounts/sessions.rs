//! Signed-in sessions. The cookie carries a random token; the database keeps its
//! hash, so logging out or changing a password really ends a session, on every
//! instance.

use super::{User, tokens};
use crate::db::schema::{consultation_analysts, sessions, users};
use crate::db::{DbConnection, OneRow, UserId};
use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

pub const LIFETIME: Duration = Duration::days(30);

pub fn create(
    conn: &mut DbConnection,
    user: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<String> {
    let token = tokens::generate();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(tokens::hash(&token)),
            sessions::user_id.eq(user),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(now + LIFETIME),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The account a session token signs in, and whether it analyses some
/// consultation (the navigation leads there). One statement: every signed-in
/// request makes it, and on PostgreSQL each statement is a round trip.
pub fn user_for(
    conn: &mut DbConnection,
    token: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Option<(User, bool)>> {
    let row: Option<(User, Option<UserId>)> = sessions::table
        .inner_join(users::table)
        .left_join(consultation_analysts::table.on(consultation_analysts::user_id.eq(users::id)))
        .filter(sessions::token_hash.eq(tokens::hash(token)))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(users::deleted_at.is_null())
        .select((User::as_select(), consultation_analysts::user_id.nullable()))
        .limit(1)
        .one_row(conn)?;
    Ok(row.map(|(user, analyses)| (user, analyses.is_some())))
}

pub fn revoke(conn: &mut DbConnection, token: &str, now: PrimitiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.filter(sessions::token_hash.eq(tokens::hash(token))))
        .set(sessions::revoked_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of `user` except, when given, the one in use.
pub fn revoke_all(
    conn: &mut DbConnection,
    user: UserId,
    keep: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let keep_hash = keep.map(tokens::hash).unwrap_or_default();
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::token_hash.ne(keep_hash)),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}
