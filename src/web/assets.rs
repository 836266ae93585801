use super::AppState;
use crate::error::AppError;
use actix_web::{HttpResponse, web};

/// The stylesheet, under a name that changes with its content, cached for a year.
pub async fn asset(
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let expected = state.templates.css_path().trim_start_matches("/assets/");
    if name.as_str() != expected {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
        .body(state.templates.css()))
}
