//! Headers every response carries, and HEAD answered like GET.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// Served on every response; no inline script or style is ever needed.
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
];

/// Sent when the application is reached over HTTPS (`app.base_url`): browsers
/// then refuse plain HTTP to it for a year.
pub const HSTS: (&str, &str) = ("Strict-Transport-Security", "max-age=31536000");

/// Monitors and link checkers ask with HEAD: every GET route answers it, with
/// the same status and headers and no body (the server leaves the body out of
/// the answer to a HEAD request).
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
