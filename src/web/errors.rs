//! Every error response becomes a readable page in the reader's language, with
//! nothing of the cause shown.

use super::AppState;
use super::locale;
use super::page::bare_page;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::web;
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
    let (title_key, message_key) = keys(status.as_u16());
    let locale = locale::negotiate(&req);
    let title = crate::i18n::t(locale, title_key);
    let page = ErrorPage {
        status: status.as_u16(),
        title_key: title_key.into(),
        message_key: message_key.into(),
    };
    let mut new: actix_web::HttpResponse<BoxBody> = match bare_page(
        &state.templates,
        &req,
        locale,
        status,
        "error",
        &title,
        &page,
    ) {
        Ok(r) => r,
        Err(_) => actix_web::HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(title),
    };
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(v) = old.headers().get(&name) {
            new.headers_mut().insert(name, v.clone());
        }
    }
    let res: ServiceResponse<EitherBody<B>> = ServiceResponse::new(req, new).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
