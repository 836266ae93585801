//! The reader's language for this request.

use crate::codes::Locale;
use crate::i18n;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};

pub const COOKIE: &str = "lang";

/// The negotiated locale, usable as a handler argument.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Locale);

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

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang(negotiate(req))))
    }
}
