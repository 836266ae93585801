//! Forms that count once: the first request carrying a form's one-time token
//! claims it and records its answer; a repeat (a double click, a reload, a
//! retry after a lost connection) waits for that answer and gets it again
//! instead of acting a second time.

use crate::db::DbConnection;
use crate::db::schema::form_replies;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use time::{Duration, PrimitiveDateTime};

/// How long an answer is kept for a repeat of its form.
pub const KEPT: Duration = Duration::days(1);

/// The stored key: the form's token within the session that sent it, so
/// tokens never meet across sessions.
pub fn key(session_token: &str, form_token: &str) -> String {
    hex::encode(Sha256::digest(format!("{session_token}\n{form_token}")))
}

/// An answer as it is sent again.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Reply {
    pub status: i32,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<Vec<u8>>,
}

pub enum Claim {
    /// This request is the first: serve it, then `record` or `release`.
    First,
    /// Another request holds the token; its answer once it has one.
    Taken(Option<Reply>),
}

/// Without an error for a token already claimed, so that a claim can share
/// a transaction with other writes (`Db::write`).
pub fn claim(conn: &mut DbConnection, key: &str, now: PrimitiveDateTime) -> QueryResult<Claim> {
    let values = (form_replies::key.eq(key), form_replies::created_at.eq(now));
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(form_replies::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c))?;
    match inserted {
        0 => Ok(Claim::Taken(answer(conn, key)?)),
        _ => Ok(Claim::First),
    }
}

/// A claim made in the transaction of the write it guards, so that the
/// write and its claim commit (or vanish) together, with the form's answer
/// when it is known before the write (a redirect): a form that stores then
/// costs one commit instead of three.
#[derive(Debug, Clone)]
pub struct Guard {
    pub key: String,
    pub reply: Option<Reply>,
}

/// Claims `guard`'s key with its answer, if any; `false` when another
/// request holds it already (its transaction committed first).
pub fn claim_guarding(
    conn: &mut DbConnection,
    guard: &Guard,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let reply = guard.reply.as_ref();
    let values = (
        form_replies::key.eq(&guard.key),
        form_replies::created_at.eq(now),
        form_replies::status.eq(reply.map(|r| r.status)),
        form_replies::location.eq(reply.and_then(|r| r.location.as_deref())),
        form_replies::content_type.eq(reply.and_then(|r| r.content_type.as_deref())),
        form_replies::body.eq(reply.and_then(|r| r.body.as_deref())),
    );
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(form_replies::table)
        .values(values)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// The recorded answer for `key`, if the first request has finished.
pub fn answer(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Reply>> {
    form_replies::table
        .find(key)
        .filter(form_replies::status.is_not_null())
        .select((
            form_replies::status.assume_not_null(),
            form_replies::location,
            form_replies::content_type,
            form_replies::body,
        ))
        .first(conn)
        .optional()
}

pub fn record(conn: &mut DbConnection, key: &str, reply: &Reply) -> QueryResult<()> {
    diesel::update(form_replies::table.find(key))
        .set((
            form_replies::status.eq(reply.status),
            form_replies::location.eq(&reply.location),
            form_replies::content_type.eq(&reply.content_type),
            form_replies::body.eq(&reply.body),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Gives the token back: the first request failed without an effect worth
/// repeating (a refusal, an outage), so a retry is served afresh.
pub fn release(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(form_replies::table.find(key))
        .execute(conn)
        .map(|_| ())
}

/// Forgets answers older than `KEPT`.
pub fn prune(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(form_replies::table.filter(form_replies::created_at.lt(now - KEPT)))
        .execute(conn)
}
