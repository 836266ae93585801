//! The application error, mapped to a response in one place. Pages for these
//! statuses are rendered by `web::errors`, which never shows internals.

use crate::db::DbError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Well-formed but meaningless for this resource (an unknown provision key).
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// Another request changed the same thing at the same moment (a unique
    /// constraint refused the loser of the race): the data is safe, the
    /// reader is asked to reload.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Sign in first, then come back to this path.
    #[error("sign-in required")]
    LoginRequired(String),
    #[error("too many requests")]
    TooManyRequests(time::Duration),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(m) => AppError::Unavailable(m),
            DbError::Query(q) => q.into(),
            DbError::Migration(m) => AppError::Internal(anyhow::anyhow!(m)),
        }
    }
}

impl From<crate::accounts::sign_in::SignInError> for AppError {
    fn from(e: crate::accounts::sign_in::SignInError) -> Self {
        use crate::accounts::sign_in::SignInError;
        match e {
            SignInError::TooManyAttempts(wait) => AppError::TooManyRequests(wait),
            SignInError::Refused => AppError::Forbidden,
            SignInError::Hashing => AppError::Internal(anyhow::anyhow!("password hashing failed")),
            SignInError::Db(e) => e.into(),
        }
    }
}

impl From<crate::submissions::SubmitError> for AppError {
    fn from(e: crate::submissions::SubmitError) -> Self {
        use crate::submissions::SubmitError;
        match e {
            SubmitError::RoundClosed => AppError::Conflict(e.to_string()),
            SubmitError::Query(e) => e.into(),
            SubmitError::Db(e) => e.into(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::Conflict(info.message().to_string())
            }
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => AppError::Unavailable(info.message().to_string()),
            // SQLite's SQLITE_BUSY after the busy timeout: another process (a
            // backup, a maintenance script) holds the write lock. It passes.
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message() == "database is locked" =>
            {
                AppError::Unavailable(info.message().to_string())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::LoginRequired(_) => StatusCode::SEE_OTHER,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "service unavailable"),
            AppError::Conflict(cause) => tracing::warn!(%cause, "concurrent change refused"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        match self {
            AppError::Unavailable(_) => {
                res.insert_header(("Retry-After", "5"));
            }
            AppError::TooManyRequests(wait) => {
                res.insert_header(("Retry-After", wait.whole_seconds().max(1).to_string()));
            }
            AppError::LoginRequired(next) => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                res.insert_header(("Location", format!("/login?next={next}")));
            }
            _ => {}
        }
        // The body is replaced by a full page in `web::errors`.
        res.finish()
    }
}

// ---------------------------------------------------------------------------
// Domain errors as the web layer answers them.
//
// Each domain returns its own error; these map every variant to the response
// it has always had. A database error inside one maps as the database error
// itself does (a unique violation is a 409, a busy SQLite a 503).
// ---------------------------------------------------------------------------

impl From<crate::templates::TemplateError> for AppError {
    fn from(e: crate::templates::TemplateError) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<crate::notifications::NotifyError> for AppError {
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
    fn from(e: crate::reports::ReportError) -> Self {
        use crate::reports::ReportError;
        match e {
            ReportError::Db(e) => e.into(),
            ReportError::Query(e) => e.into(),
            ReportError::Notify(e) => e.into(),
            e @ (ReportError::Csv(_) | ReportError::CsvEncoding(_) | ReportError::Snapshot(_)) => {
                AppError::Internal(e.into())
            }
        }
    }
}
