//! Signed-in sessions. The cookie carries a random token; the database keeps its
//! hash, so logging out or changing a password really ends a session, on every
//! instance.

use super::{User, tokens};
use crate::db::schema::{sessions, users};
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

pub fn user_for(
    conn: &mut DbConnection,
    token: &str,
    now: PrimitiveDateTime,
) -> QueryResult<Option<User>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(tokens::hash(token)))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .one_row(conn)
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
