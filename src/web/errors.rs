//! Errors as the web layer answers them: `AppError` carries what kind of
//! failure it is (which decides the status), its cause for the log (never
//! shown to the reader) and where in our code it was raised. Every domain
//! error is mapped to a kind here, and every error response becomes a
//! readable page in the reader's language.

use super::AppState;
use super::locale;
use super::page::{bare_page, html};
use crate::codes::Locale;
use crate::db::{self, DbError, Failure, QueryError};
use crate::templates::Templates;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError, web};
use serde::Serialize;
use std::fmt;
use std::panic::Location;

/// What went wrong, as far as the reader is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    BadRequest,
    /// Well-formed but meaningless for this resource (an unknown provision key).
    Unprocessable,
    PayloadTooLarge,
    /// Another request changed the same thing at the same moment (a unique
    /// constraint refused the loser of the race): the data is safe, the
    /// reader is asked to reload.
    Conflict,
    Unavailable,
    /// Sign in first, then come back to this path.
    LoginRequired(String),
    TooManyRequests(time::Duration),
    Internal,
}

pub struct AppError {
    pub kind: ErrorKind,
    cause: Option<anyhow::Error>,
    location: &'static Location<'static>,
}

impl AppError {
    #[track_caller]
    fn new(kind: ErrorKind, cause: Option<anyhow::Error>) -> Self {
        AppError {
            kind,
            cause,
            location: Location::caller(),
        }
    }

    #[track_caller]
    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound, None)
    }

    #[track_caller]
    pub fn forbidden() -> Self {
        Self::new(ErrorKind::Forbidden, None)
    }

    #[track_caller]
    pub fn bad_request(why: impl fmt::Display) -> Self {
        Self::new(ErrorKind::BadRequest, Some(anyhow::anyhow!("{why}")))
    }

    #[track_caller]
    pub fn unprocessable(why: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Unprocessable, Some(anyhow::anyhow!("{why}")))
    }

    #[track_caller]
    pub fn payload_too_large() -> Self {
        Self::new(ErrorKind::PayloadTooLarge, None)
    }

    #[track_caller]
    pub fn conflict(why: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Conflict, Some(anyhow::anyhow!("{why}")))
    }

    #[track_caller]
    pub fn unavailable(why: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Unavailable, Some(anyhow::anyhow!("{why}")))
    }

    #[track_caller]
    pub fn login_required(next: String) -> Self {
        Self::new(ErrorKind::LoginRequired(next), None)
    }

    #[track_caller]
    pub fn too_many_requests(wait: time::Duration) -> Self {
        Self::new(ErrorKind::TooManyRequests(wait), None)
    }

    #[track_caller]
    pub fn internal(cause: anyhow::Error) -> Self {
        Self::new(ErrorKind::Internal, Some(cause))
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} at {}", self.kind, self.location)?;
        match &self.cause {
            Some(cause) => write!(f, ": {cause:#}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for AppError {}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self.kind {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::LoginRequired(_) => StatusCode::SEE_OTHER,
            ErrorKind::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        match &self.kind {
            ErrorKind::Unavailable => {
                res.insert_header(("Retry-After", "5"));
            }
            ErrorKind::TooManyRequests(wait) => {
                res.insert_header(("Retry-After", wait.whole_seconds().max(1).to_string()));
            }
            ErrorKind::LoginRequired(next) => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                res.insert_header(("Location", format!("/login?next={next}")));
            }
            _ => {}
        }
        // The body is replaced by a full page in `render`.
        res.finish()
    }
}

// ---- domain errors ----------------------------------------------------------
//
// Each domain returns its own error; these map every variant to its kind. A
// database error inside one maps as the database error itself does (a unique
// violation is a 409, a busy SQLite a 503). `#[track_caller]` on `from` makes
// the location the `?` that converted it.

impl From<DbError> for AppError {
    #[track_caller]
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(m) => AppError::unavailable(m),
            DbError::Query(q) => q.into(),
            DbError::Migration(m) => AppError::internal(anyhow::anyhow!(m)),
        }
    }
}

impl From<crate::accounts::sign_in::SignInError> for AppError {
    #[track_caller]
    fn from(e: crate::accounts::sign_in::SignInError) -> Self {
        use crate::accounts::sign_in::SignInError;
        match e {
            SignInError::TooManyAttempts(wait) => AppError::too_many_requests(wait),
            SignInError::Refused => AppError::forbidden(),
            SignInError::Hashing => AppError::internal(anyhow::anyhow!("password hashing failed")),
            SignInError::Db(e) => e.into(),
        }
    }
}

impl From<crate::organizations::OrganizationError> for AppError {
    #[track_caller]
    fn from(e: crate::organizations::OrganizationError) -> Self {
        use crate::organizations::OrganizationError;
        match e {
            OrganizationError::NotFound => AppError::not_found(),
            OrganizationError::Forbidden(_) => AppError::forbidden(),
            OrganizationError::Refused(why) => AppError::conflict(why),
            OrganizationError::Notify(why) => AppError::internal(anyhow::anyhow!(why)),
            OrganizationError::Query(e) => e.into(),
            OrganizationError::Db(e) => e.into(),
        }
    }
}

impl From<crate::submissions::SubmitError> for AppError {
    #[track_caller]
    fn from(e: crate::submissions::SubmitError) -> Self {
        use crate::submissions::SubmitError;
        match e {
            SubmitError::RoundClosed | SubmitError::Repeat => AppError::conflict(e.to_string()),
            SubmitError::NotAllowed(_) => AppError::forbidden(),
            SubmitError::Query(e) => e.into(),
            SubmitError::Db(e) => e.into(),
        }
    }
}

impl From<QueryError> for AppError {
    #[track_caller]
    fn from(e: QueryError) -> Self {
        match db::classify(&e) {
            Failure::NotFound => AppError::not_found(),
            Failure::Conflict(why) => AppError::conflict(why),
            Failure::Unavailable(why) => AppError::unavailable(why),
            Failure::Other => AppError::internal(e.into()),
        }
    }
}

impl From<crate::templates::TemplateError> for AppError {
    #[track_caller]
    fn from(e: crate::templates::TemplateError) -> Self {
        AppError::internal(e.into())
    }
}

impl From<crate::notifications::NotifyError> for AppError {
    #[track_caller]
    fn from(e: crate::notifications::NotifyError) -> Self {
        use crate::notifications::NotifyError;
        match e {
            NotifyError::Template(e) => e.into(),
            NotifyError::Db(e) => e.into(),
            NotifyError::Query(e) => e.into(),
        }
    }
}

impl From<crate::reports::ReportError> for AppError {
    #[track_caller]
    fn from(e: crate::reports::ReportError) -> Self {
        use crate::reports::ReportError;
        match e {
            ReportError::Db(e) => e.into(),
            ReportError::Query(e) => e.into(),
            ReportError::Notify(e) => e.into(),
            e @ (ReportError::Csv(_)
            | ReportError::CsvEncoding(_)
            | ReportError::Snapshot(_)
            | ReportError::ClaimLost
            | ReportError::Worker(_)) => AppError::internal(e.into()),
        }
    }
}

// ---- error pages -------------------------------------------------------------

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
    bare_page(
        templates,
        (path, query),
        locale,
        "errors/error",
        &title,
        &page,
    )
}

/// How loud an error response is in the log: failures of ours are errors,
/// refusals that may need an operator's eye (conflicts, rate limits) are
/// warnings, other refusals of a request are information, and a redirect to
/// sign in is routine.
pub fn log_level(status: StatusCode) -> tracing::Level {
    match status.as_u16() {
        500.. => tracing::Level::ERROR,
        409 | 429 => tracing::Level::WARN,
        400..=499 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    }
}

fn log(status: StatusCode, error: &actix_web::Error, path: &str) {
    let level = log_level(status);
    let status = status.as_u16();
    match level {
        tracing::Level::ERROR => tracing::error!(status, path, %error, "request failed"),
        tracing::Level::WARN => tracing::warn!(status, path, %error, "request refused"),
        tracing::Level::INFO => tracing::info!(status, path, %error, "request refused"),
        _ => tracing::debug!(status, path, %error, "request redirected"),
    }
}

pub fn render<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Responses a handler built on purpose (a form shown again with its errors)
    // carry no error and pass through; only failures are replaced.
    let Some(error) = res.response().error() else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    log(res.status(), error, res.request().path());
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
    Err(AppError::not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_errors_refusals_are_information_and_redirects_are_routine() {
        let level = |code| log_level(StatusCode::from_u16(code).unwrap());
        assert_eq!(level(500), tracing::Level::ERROR);
        assert_eq!(level(503), tracing::Level::ERROR);
        assert_eq!(level(429), tracing::Level::WARN);
        assert_eq!(level(409), tracing::Level::WARN);
        for refusal in [400, 403, 404, 413, 422] {
            assert_eq!(level(refusal), tracing::Level::INFO, "{refusal}");
        }
        assert_eq!(level(303), tracing::Level::DEBUG);
    }
}
