//! The reader's language for this request.

use crate::codes::Locale;
use crate::i18n;
use actix_web::HttpRequest;

pub const COOKIE: &str = "lang";

pub fn query_lang(req: &HttpRequest) -> Option<Locale> {
    req.query_string()
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .and_then(Locale::parse)
}

pub fn negotiate(req: &HttpRequest) -> Locale {
    let cookie = req.cookie(COOKIE);
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    i18n::negotiate(
        query_lang(req).map(|l| l.as_str()),
        None,
        cookie.as_ref().map(|c| c.value()),
        accept,
    )
}

/// Remembers a language chosen with `?lang=` in a cookie for later visits.
pub async fn remember(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let chosen = query_lang(req.request());
    let mut res = next.call(req).await?;
    if let Some(locale) = chosen {
        let cookie = actix_web::cookie::Cookie::build(COOKIE, locale.as_str())
            .path("/")
            .max_age(actix_web::cookie::time::Duration::days(365))
            .same_site(actix_web::cookie::SameSite::Lax)
            .http_only(true)
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}
