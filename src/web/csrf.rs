//! Every state-changing request must carry the session's CSRF token: in the
//! `csrf_token` form field, or in the query string for file uploads.

use super::{AppState, once};
use crate::accounts::tokens;
use crate::replies;
use crate::web::errors::AppError;
use actix_session::SessionExt;
use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use sha2::Digest;

pub const FIELD: &str = "csrf_token";

fn field(pairs: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(pairs)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn payload_from(bytes: Bytes) -> Payload {
    let (_, mut inner) = actix_http::h1::Payload::create(true);
    inner.unread_data(bytes);
    Payload::from(inner)
}

/// Refusals are returned as responses (not errors) so that the error-page
/// middleware outside this one renders them like any other.
pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    match verify(req).await {
        Ok(req) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Err((req, refusal)) => Ok(req.error_response(refusal)),
    }
}

/// The largest body let through: an upload may carry a position paper (its
/// handler counts the file itself while reading it), a form may not.
fn upload_limit(settings: &crate::config::Settings, multipart: bool) -> usize {
    let form = settings.server.max_body_bytes;
    if !multipart {
        return form;
    }
    // Room for the multipart framing and the form's other fields.
    let paper = usize::try_from(settings.storage.attachment_max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    form.max(paper)
}

async fn verify(mut req: ServiceRequest) -> Result<ServiceRequest, (ServiceRequest, AppError)> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map_or(1_000_000, |s| upload_limit(&s.settings, multipart));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err((req, AppError::payload_too_large()));
    }
    let (supplied, once) = if multipart {
        // The upload itself is not read here; its token says it all.
        let query = req.query_string().as_bytes();
        (field(query, FIELD), field(query, once::FIELD))
    } else {
        let mut body = BytesMut::new();
        let mut payload = req.take_payload();
        while let Some(chunk) = payload.next().await {
            let Ok(chunk) = chunk else {
                return Err((req, AppError::bad_request("unreadable body")));
            };
            if body.len() + chunk.len() > limit {
                return Err((req, AppError::payload_too_large()));
            }
            body.extend_from_slice(&chunk);
        }
        let body = body.freeze();
        if !super::input::well_formed_urlencoded(&body) {
            return Err((req, AppError::bad_request("form is not clean UTF-8")));
        }
        let token = field(&body, FIELD);
        // The same form sent again with other answers (after going back in
        // the browser) is a new request, not a repeat.
        let once = field(&body, once::FIELD)
            .map(|t| format!("{t}:{}", hex::encode(sha2::Sha256::digest(&body))));
        req.set_payload(payload_from(body));
        (token, once)
    };
    let expected = req
        .get_session()
        .get::<String>(super::page::CSRF)
        .ok()
        .flatten();
    match (expected, supplied) {
        (Some(e), Some(s)) if tokens::constant_time_eq(&e, &s) => {
            if let Some(once) = once {
                req.extensions_mut()
                    .insert(once::FormToken(replies::key(&e, &once)));
            }
            Ok(req)
        }
        _ => Err((req, AppError::forbidden())),
    }
}
