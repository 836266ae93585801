//! The time as the app sees it. Production reads the system clock; tests move
//! an offset to cross a round's boundaries without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

#[derive(Clone, Default)]
pub struct Clock {
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    pub fn now_utc(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
            + Duration::microseconds(self.offset_micros.load(Ordering::Relaxed))
    }

    /// Now, as stored in the database.
    pub fn now(&self) -> PrimitiveDateTime {
        crate::db::to_db_time(self.now_utc())
    }

    pub fn advance(&self, by: Duration) {
        self.offset_micros
            .fetch_add(by.whole_microseconds() as i64, Ordering::Relaxed);
    }
}
/// A stored (UTC) time as RFC 3339, the one form machines and `<time>` read.
pub fn rfc3339(t: PrimitiveDateTime) -> String {
    t.assume_utc().format(&Rfc3339).unwrap_or_default()
}

/// Whole days left, counting a part of a day as a day.
pub fn days_left(now: PrimitiveDateTime, close: PrimitiveDateTime) -> i64 {
    let seconds = (close - now).whole_seconds();
    if seconds <= 0 {
        0
    } else {
        (seconds + 86_399) / 86_400
    }
}
