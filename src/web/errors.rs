//! Every error response becomes a readable page in the reader's language, with
//! nothing of the cause shown.

use super::AppState;
use super::locale;
use super::page::{bare_page, html};
use crate::codes::Locale;
use crate::error::AppError;
use crate::templates::Templates;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    title_key: String,
    message_key: String,
}

fn keys(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("error-400-title", "error-400-message"),
        403 => ("error-403-title", "error-403-message"),
        404 => ("error-404-title", "error-404-message"),
        405 => ("error-405-title", "error-405-message"),
        409 => ("error-409-title", "error-409-message"),
        413 => ("error-413-title", "error-413-message"),
        422 => ("error-422-title", "error-422-message"),
        429 => ("error-429-title", "error-429-message"),
        503 => ("error-503-title", "error-503-message"),
        s if s < 500 => ("error-400-title", "error-400-message"),
        _ => ("error-500-title", "error-500-message"),
    }
}

/// The error page for `status` in `locale`; its language switch leads to
/// `path?query`.
pub fn page(
    templates: &Templates,
    locale: Locale,
    status: StatusCode,
    (path, query): (&str, &str),
) -> Result<String, AppError> {
    let (title_key, message_key) = keys(status.as_u16());
    let page = ErrorPage {
        status: status.as_u16(),
        title_key: title_key.into(),
        message_key: message_key.into(),
    };
    let title = crate::i18n::t(locale, title_key);
    bare_page(templates, (path, query), locale, "error", &title, &page)
}

pub fn render<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Responses a handler built on purpose (a form shown again with its errors)
    // carry no error and pass through; only failures are replaced.
    if res.response().error().is_none() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (req, old) = res.into_parts();
    let status = old.status();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, old).map_into_left_body(),
        ));
    };
    let locale = locale::negotiate(&req);
    let rendered = page(
        &state.templates,
        locale,
        status,
        (req.path(), req.query_string()),
    );
    let mut new: HttpResponse = match rendered.and_then(|body| html(status, body)) {
        Ok(r) => r,
        Err(_) => HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(crate::i18n::t(locale, keys(status.as_u16()).0)),
    };
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(v) = old.headers().get(&name) {
            new.headers_mut().insert(name, v.clone());
        }
    }
    let res: ServiceResponse<EitherBody<B>> = ServiceResponse::new(req, new).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

/// Routes nobody registered answer with the 404 page.
pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
