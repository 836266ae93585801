//! Timestamps as both backends store them.

/// The current time as stored: UTC, without zone, truncated to microseconds
/// (what PostgreSQL keeps), so a value read back equals the value written.
pub fn to_db_time(t: time::OffsetDateTime) -> time::PrimitiveDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    let micros = t.microsecond();
    let t = t.replace_nanosecond(micros * 1000).unwrap_or(t);
    time::PrimitiveDateTime::new(t.date(), t.time())
}
