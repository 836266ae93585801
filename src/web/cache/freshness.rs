//! Cached values that stay in use a while past their freshness, while one
//! caller makes their replacement. When a busy entry simply expired, every
//! request arriving during its reload reloaded it too: report pages on
//! PostgreSQL reached a p99 of 136 ms at 64 connections, round pages stalled
//! every second under readers.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A caller that took on the replacement and never finished (its request
/// failed) is replaced after this long.
const CLAIM: Duration = Duration::from_secs(2);

/// When a cached value was made, and whether someone is replacing it.
pub struct Freshness {
    made: Instant,
    claimed: Mutex<Option<Instant>>,
}

impl Freshness {
    pub fn new() -> Self {
        Self::at(Instant::now())
    }

    fn at(made: Instant) -> Self {
        Self {
            made,
            claimed: Mutex::new(None),
        }
    }

    /// Whether the value may be used at `now`: while fresh, and then while
    /// another caller replaces it. False makes the caller the one to replace
    /// it. How long a stale value may live at most is the cache's own time to
    /// live.
    pub fn usable(&self, now: Instant, fresh: Duration) -> bool {
        if now < self.made + fresh {
            return true;
        }
        let mut claimed = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        match *claimed {
            Some(at) if now < at + CLAIM => true,
            _ => {
                *claimed = Some(now);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_caller_replaces_an_expired_value_while_the_others_use_it() {
        let made = Instant::now();
        let fresh = Duration::from_secs(5);
        let value = Freshness::at(made);
        assert!(value.usable(made + fresh / 2, fresh));
        let expired = made + fresh;
        assert!(
            !value.usable(expired, fresh),
            "the first caller replaces it"
        );
        assert!(value.usable(expired, fresh), "the next ones use it");
        assert!(value.usable(expired + CLAIM / 2, fresh));
        assert!(
            !value.usable(expired + CLAIM, fresh),
            "a caller that never finished is replaced"
        );
    }
}
