//! What this instance keeps in memory to answer readers without the database:
//! rounds, their anonymous pages and public report pages.

mod freshness;
pub mod report_pages;
pub mod rounds;

use super::AppState;
use crate::db::changes::{self, Change};
use actix_web::web;

pub use report_pages::ReportPages;
pub use rounds::RoundCache;

/// Organizers' changes (a round closed, a report published, a translation
/// added…) must show at once: after any write under /admin this instance
/// forgets what the change makes stale and, on PostgreSQL, tells every other
/// instance to do the same (`db::changes`) before answering, so that the
/// organizer's next page, through whichever instance, shows it.
pub async fn forget_after_admin_writes(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::Method;
    let admin_write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && req.path().starts_with("/admin");
    let change = admin_write.then(|| change_of(req.path()));
    let state = admin_write
        .then(|| req.app_data::<web::Data<AppState>>().cloned())
        .flatten();
    let res = next.call(req).await?;
    if let (Some(state), Some(change)) = (state, change) {
        forget(&state, change);
        let announced = state.db.query(move |c| changes::announce(c, change)).await;
        if let Err(error) = announced {
            // The other instances' entries expire on their own (twice
            // server.round_cache_ms, ten seconds for report pages).
            tracing::warn!(%error, "could not announce an organizer's change to other instances");
        }
    }
    Ok(res)
}

/// Which caches an organizer's write under `path` makes stale.
fn change_of(path: &str) -> Change {
    let rounds_only = path.starts_with("/admin/consultations/")
        && path.contains("/rounds/")
        && ["/open", "/close", "/extend"]
            .iter()
            .any(|action| path.ends_with(action));
    if rounds_only {
        Change::Rounds
    } else {
        Change::All
    }
}

/// Drops what `change` makes stale from this instance's caches.
pub fn forget(state: &AppState, change: Change) {
    state.rounds.invalidate_all();
    if change == Change::All {
        state.report_pages.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_round_s_dates_spare_the_report_pages() {
        assert_eq!(
            change_of("/admin/consultations/c/rounds/2/close"),
            Change::Rounds
        );
        assert_eq!(
            change_of("/admin/consultations/c/rounds/2/publish"),
            Change::All
        );
        assert_eq!(change_of("/admin/moderation/7/hide"), Change::All);
        assert_eq!(change_of("/admin/consultations/c/drafts"), Change::All);
    }
}
