//! Counts the SQL statements one HTTP request issues, so a test can prove
//! that no page runs a query per row (its count must not grow with the data).
//!
//! The count follows the request across `spawn_blocking`: `Db::run` reads the
//! request's counter from a task-local and lends it to the blocking thread for
//! the duration of the closure; every connection's instrumentation adds to
//! whatever counter its thread holds. Outside a counted request (background
//! workers, the command line) nothing is counted.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static REQUEST: Arc<AtomicU64>;
}

thread_local! {
    static LENT: RefCell<Option<Arc<AtomicU64>>> = const { RefCell::new(None) };
}

/// Runs `fut` with a fresh counter; returns its output and the statements counted.
pub async fn count<F: Future>(fut: F) -> (F::Output, u64) {
    let counter = Arc::new(AtomicU64::new(0));
    let out = REQUEST.scope(counter.clone(), fut).await;
    (out, counter.load(Ordering::Relaxed))
}

/// The counter of the request being served on this task, if it is counted.
pub(super) fn current() -> Option<Arc<AtomicU64>> {
    REQUEST.try_with(Arc::clone).ok()
}

/// Lends `counter` to this thread until the guard is dropped.
pub(super) fn lend(counter: Option<Arc<AtomicU64>>) -> Lent {
    LENT.with(|l| *l.borrow_mut() = counter);
    Lent
}

pub(super) struct Lent;

impl Drop for Lent {
    fn drop(&mut self) {
        LENT.with(|l| *l.borrow_mut() = None);
    }
}

/// Installed on every pooled connection; costs one thread-local read per query.
pub(super) struct StatementCounter;

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            LENT.with(|l| {
                if let Some(c) = &*l.borrow() {
                    c.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    }
}
