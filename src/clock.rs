//! The time as the app sees it. Production reads the system clock; tests move
//! an offset to cross a round's boundaries without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
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
