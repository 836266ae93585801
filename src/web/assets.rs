use super::AppState;
use super::encoded::Encoded;
use crate::web::errors::AppError;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::LazyLock;

/// Compressed once for the life of the process: every page links to it.
static STYLESHEET: LazyLock<Encoded> = LazyLock::new(|| Encoded::smallest(crate::templates::CSS));

/// The stylesheet, under a name that changes with its content, cached for a year.
pub async fn asset(
    state: web::Data<AppState>,
    req: HttpRequest,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let expected = state.templates.css_path().trim_start_matches("/assets/");
    if name.as_str() != expected {
        return Err(AppError::not_found());
    }
    let mut res = HttpResponse::Ok();
    res.content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::VARY, "Accept-Encoding"));
    Ok(STYLESHEET.send(&req, &mut res))
}
