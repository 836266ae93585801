//! Forms that count once (see `replies`): a repeat of a form already sent in
//! this session gets the first request's answer, whether it arrives while
//! the first is being served (a double click) or later (a reload).

use super::AppState;
use crate::replies::{self, Claim, Reply};
use crate::web::errors::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use std::time::{Duration, Instant};

/// The hidden field every state-changing form carries.
pub const FIELD: &str = "form_token";

/// The stored key of the form this request sends, set by the CSRF check
/// once the request is known to come from its session.
#[derive(Clone)]
pub struct FormToken(pub String);

/// How long a repeat waits for the first request's answer (publishing a
/// large report takes a while) before being told to try again.
const PATIENCE: Duration = Duration::from_secs(60);

pub async fn reply_once(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = req.extensions().get::<FormToken>().map(|t| t.0.clone());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), Some(state)) = (key, state) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    match claim_or_wait(&state, &key).await {
        // The database will refuse the handler too; let it say so.
        Turn::NoDatabase => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Turn::Repeat(reply) => Ok(req.into_response(replayed(reply))),
        Turn::StillServing => {
            Ok(req.error_response(AppError::conflict("the same form is still being served")))
        }
        Turn::First => {
            let res = next.call(req).await?;
            // Refusals (their page is drawn later) and failures have no
            // effect worth repeating: the token is given back for a retry.
            if res.response().error().is_some() || res.status().is_server_error() {
                let _ = state.db.write(move |c| replies::release(c, &key)).await;
                return Ok(res.map_into_boxed_body());
            }
            let (req, res) = res.into_parts();
            let (head, body) = res.into_parts();
            let bytes = actix_web::body::to_bytes(body)
                .await
                .map_err(|_| AppError::internal(anyhow::anyhow!("unreadable response body")))?;
            let header = |name| {
                head.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let reply = Reply {
                status: i32::from(head.status().as_u16()),
                location: header(header::LOCATION),
                content_type: header(header::CONTENT_TYPE),
                body: Some(bytes.to_vec()),
            };
            if state
                .db
                .write(move |c| replies::record(c, &key, &reply))
                .await
                .is_err()
            {
                tracing::warn!("a form's answer could not be kept for a repeat");
            }
            Ok(ServiceResponse::new(
                req,
                head.set_body(BoxBody::new(bytes)),
            ))
        }
    }
}

enum Turn {
    /// This request is the first to send its form: it is served, then its
    /// answer recorded.
    First,
    /// Another request sent it first and has answered.
    Repeat(Reply),
    /// Another request sent it first and is still being served.
    StillServing,
    NoDatabase,
}

/// Waits for the first request of this form to answer. A first request that
/// gave its token back (it was refused) leaves the next one to be served.
async fn claim_or_wait(state: &AppState, key: &str) -> Turn {
    let started = Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        let (key, now) = (key.to_string(), state.clock.now());
        let claimed = state
            .db
            .write(move |c| {
                // Now and then, forget old answers.
                if rand::random::<u8>() == 0 {
                    replies::prune(c, now)?;
                }
                replies::claim(c, &key, now)
            })
            .await;
        match claimed {
            Err(_) => return Turn::NoDatabase,
            Ok(Claim::First) => return Turn::First,
            Ok(Claim::Taken(Some(reply))) => return Turn::Repeat(reply),
            Ok(Claim::Taken(None)) if started.elapsed() < PATIENCE => {
                actix_web::rt::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(250));
            }
            Ok(Claim::Taken(None)) => return Turn::StillServing,
        }
    }
}

fn replayed(reply: Reply) -> HttpResponse {
    let status = u16::try_from(reply.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(location) = reply.location {
        res.insert_header((header::LOCATION, location));
    }
    if let Some(content_type) = reply.content_type {
        res.insert_header((header::CONTENT_TYPE, content_type));
    }
    res.body(reply.body.unwrap_or_default())
}
