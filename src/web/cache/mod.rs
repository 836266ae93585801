//! What this instance keeps in memory to answer readers without the database:
//! rounds, their anonymous pages and public report pages.

mod freshness;
pub mod report_pages;
pub mod rounds;

use super::AppState;
use actix_web::web;

pub use report_pages::ReportPages;
pub use rounds::RoundCache;

/// Organizers' changes (a round closed, a report published, a translation
/// added…) must show at once: after any write under /admin this instance
/// forgets the pages and rounds it cached. Other instances see the change when
/// their entries expire (rounds 1 s, report pages 5 s).
pub async fn forget_after_admin_writes(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::Method;
    let admin_write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && req.path().starts_with("/admin");
    let state = admin_write
        .then(|| req.app_data::<web::Data<AppState>>().cloned())
        .flatten();
    let res = next.call(req).await?;
    if let Some(state) = state {
        state.report_pages.invalidate_all();
        state.rounds.invalidate_all();
    }
    Ok(res)
}
