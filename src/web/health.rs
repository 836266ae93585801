use super::AppState;
use crate::db::DbError;
use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;

/// `ok` when the database answers, 503 otherwise (for load balancers).
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let answer = state
        .db
        .run(|conn| conn.batch_execute("SELECT 1").map_err(DbError::from))
        .await;
    match answer {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body("ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .insert_header(("Cache-Control", "no-store"))
                .insert_header(("Retry-After", "5"))
                .body("unavailable")
        }
    }
}
