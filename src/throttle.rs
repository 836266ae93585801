//! Fixed-window rate limits counted in the database, so that every instance
//! behind a load balancer enforces the same limit.

use crate::db::DbConnection;
use crate::db::schema::throttle;
use diesel::prelude::*;
use time::{Duration, PrimitiveDateTime};

/// Counts one hit on `bucket`; returns how long to wait when over `limit`.
pub fn hit(
    conn: &mut DbConnection,
    bucket: &str,
    limit: u32,
    window: Duration,
    now: PrimitiveDateTime,
) -> QueryResult<Option<Duration>> {
    // Each statement is atomic on its own, so concurrent hits are all counted
    // without a read-modify-write transaction (which SQLite would refuse to
    // upgrade under contention).
    diesel::delete(
        throttle::table
            .filter(throttle::bucket.eq(bucket))
            .filter(throttle::window_start.le(now - window)),
    )
    .execute(conn)?;
    for _ in 0..2 {
        let counted: Option<(i32, PrimitiveDateTime)> =
            diesel::update(throttle::table.filter(throttle::bucket.eq(bucket)))
                .set(throttle::hits.eq(throttle::hits + 1))
                .returning((throttle::hits, throttle::window_start))
                .get_result(conn)
                .optional()?;
        if let Some((hits, start)) = counted {
            return Ok((hits as u32 > limit).then(|| start + window - now));
        }
        let inserted = crate::per_backend!(conn, |c| diesel::insert_into(throttle::table)
            .values((
                throttle::bucket.eq(bucket),
                throttle::window_start.eq(now),
                throttle::hits.eq(1),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if inserted == 1 {
            return Ok((1 > limit).then_some(window));
        }
    }
    Ok(None)
}

/// Forgets a bucket, e.g. an account's failed logins after a success.
pub fn clear(conn: &mut DbConnection, bucket: &str) -> QueryResult<()> {
    diesel::delete(throttle::table.filter(throttle::bucket.eq(bucket)))
        .execute(conn)
        .map(|_| ())
}
