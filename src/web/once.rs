//! Forms that count once (see `replies`): a repeat of a form already sent in
//! this session gets the first request's answer, whether it arrives while
//! the first is being served (a double click) or later (a reload).

use super::AppState;
use crate::replies::{self, Claim, Guard, Reply};
use crate::web::errors::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The hidden field every state-changing form carries.
pub const FIELD: &str = "form_token";

/// The stored key of the form this request sends, set by the CSRF check
/// once the request is known to come from its session.
#[derive(Clone)]
pub struct FormToken(pub String);

/// The forms whose handler claims their token itself, in the transaction of
/// what it stores (see `Deferred`): the submission form, a participant's own
/// and an organization's, posted by every participant's journey several
/// times, where a claim and a recorded answer of their own would be two more
/// commits per post. As `web::configure` spells them (a route missing here
/// is claimed before it is served, as every other form is).
pub const CLAIMED_BY_HANDLER: [&str; 2] = [
    "/consultations/{slug}/rounds/{n}/submission",
    "/consultations/{slug}/rounds/{n}/organizations/{id}/submission",
];

/// A form's token left for its handler to claim with the write it makes
/// (`guard`); a handler that writes nothing leaves it to be claimed with its
/// answer once served. Handlers find it in the request (`Ctx::once`).
pub struct Deferred {
    key: String,
    claimed: Mutex<Claimed>,
}

#[derive(Clone, Default)]
enum Claimed {
    /// Not by the handler: claimed with the answer once served.
    #[default]
    No,
    /// With the handler's write, and this answer with it when it was known.
    With(Option<Reply>),
    /// Another request's write claimed it first: this one answers as that
    /// one did.
    Repeat,
}

impl Deferred {
    /// What the handler's write claims, with `reply` recorded as the form's
    /// answer when it is known before the write.
    pub fn guard(&self, reply: Option<Reply>) -> Guard {
        Guard {
            key: self.key.clone(),
            reply,
        }
    }

    /// The write carrying `guard` committed.
    pub fn claimed(&self, guard: Guard) {
        self.set(Claimed::With(guard.reply));
    }

    /// The write carrying the guard found the token claimed already.
    pub fn repeated(&self) {
        self.set(Claimed::Repeat);
    }

    fn set(&self, claimed: Claimed) {
        *self.claimed.lock().unwrap_or_else(|e| e.into_inner()) = claimed;
    }

    fn take(&self) -> Claimed {
        std::mem::take(&mut *self.claimed.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

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
    let claimed_by_handler = req.method() == Method::POST
        && req
            .match_pattern()
            .is_some_and(|p| CLAIMED_BY_HANDLER.contains(&p.as_str()));
    if claimed_by_handler {
        return served_then_claimed(req, next, state, key).await;
    }
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
            if failed(&res) {
                let _ = state.db.write(move |c| replies::release(c, &key)).await;
                return Ok(res.map_into_boxed_body());
            }
            let (req, head, reply) = answer_of(res).await?;
            record(&state, key, reply.clone()).await;
            Ok(sent(req, head, reply))
        }
    }
}

/// A form of `CLAIMED_BY_HANDLER`: served first, its token claimed by the
/// handler's write or, when it wrote nothing, with its answer afterwards;
/// either way a repeat is answered as the first request was. Handlers that
/// write nothing may run twice for a double click, which changes nothing.
async fn served_then_claimed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    state: web::Data<AppState>,
    key: String,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let deferred = Arc::new(Deferred {
        key: key.clone(),
        claimed: Mutex::default(),
    });
    req.extensions_mut().insert(deferred.clone());
    let res = next.call(req).await?;
    let claimed = deferred.take();
    if let Claimed::Repeat = claimed {
        let (req, _) = res.into_parts();
        return Ok(repeat(&state, req, &key).await);
    }
    if failed(&res) {
        if let Claimed::With(_) = claimed {
            let _ = state.db.write(move |c| replies::release(c, &key)).await;
        }
        return Ok(res.map_into_boxed_body());
    }
    let (req, head, reply) = answer_of(res).await?;
    match claimed {
        // Recorded with the write, as it was sent.
        Claimed::With(Some(recorded)) if recorded == reply => {}
        Claimed::With(_) => record(&state, key, reply.clone()).await,
        Claimed::No | Claimed::Repeat => {
            let guard = deferred.guard(Some(reply.clone()));
            let now = state.clock.now();
            let first = state
                .db
                .write(move |c| replies::claim_guarding(c, &guard, now))
                .await;
            match first {
                Ok(true) => {}
                Ok(false) => return Ok(repeat(&state, req, &key).await),
                Err(_) => tracing::warn!("a form's answer could not be kept for a repeat"),
            }
        }
    }
    Ok(sent(req, head, reply))
}

/// The answer of the request that sent this form first, once it has one.
async fn repeat(state: &AppState, req: HttpRequest, key: &str) -> ServiceResponse<BoxBody> {
    let refused = |why| ServiceResponse::from_err(AppError::conflict(why), req.clone());
    match claim_or_wait(state, key).await {
        Turn::Repeat(reply) => ServiceResponse::new(req, replayed(reply)),
        // The first one gave the token back meanwhile, after this one was
        // served without its effect: a retry is served afresh.
        Turn::First => {
            let key = key.to_string();
            let _ = state.db.write(move |c| replies::release(c, &key)).await;
            refused("the same form was being served; send it again")
        }
        Turn::StillServing => refused("the same form is still being served"),
        Turn::NoDatabase => {
            ServiceResponse::from_err(AppError::unavailable("the database is unavailable"), req)
        }
    }
}

/// Refusals (their page is drawn later) and failures: no effect worth
/// repeating.
fn failed(res: &ServiceResponse<impl MessageBody>) -> bool {
    res.response().error().is_some() || res.status().is_server_error()
}

/// The response as it is kept for a repeat.
async fn answer_of(
    res: ServiceResponse<impl MessageBody>,
) -> Result<(HttpRequest, HttpResponse<()>, Reply), actix_web::Error> {
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
    Ok((req, head, reply))
}

/// The response again, with its body as kept.
fn sent(req: HttpRequest, head: HttpResponse<()>, reply: Reply) -> ServiceResponse<BoxBody> {
    let body = BoxBody::new(reply.body.unwrap_or_default());
    ServiceResponse::new(req, head.set_body(body))
}

async fn record(state: &AppState, key: String, reply: Reply) {
    if state
        .db
        .write(move |c| replies::record(c, &key, &reply))
        .await
        .is_err()
    {
        tracing::warn!("a form's answer could not be kept for a repeat");
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
