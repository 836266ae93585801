//! Load shedding: each class of request (writes, pages) has a fixed number of
//! slots and a short, bounded waiting line. A request that finds the line full,
//! or waits longer than `server.queue_timeout_ms`, gets 503 with Retry-After at
//! once, so a surge costs a little CPU per refused request instead of memory
//! and latency for everyone. Writes and reads are separate so a flood of
//! submissions never starves the public pages.

use super::encoded::Encoded;
use super::headers::SECURITY_HEADERS;
use super::{errors, locale};
use crate::codes::Locale;
use crate::config::ServerSettings;
use crate::templates::Templates;
use crate::web::errors::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

struct Lane {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Lane {
    fn new(slots: usize, max_waiting: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots)),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    async fn enter(&self, patience: Duration) -> Option<OwnedSemaphorePermit> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Some(permit);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        let permit = tokio::time::timeout(patience, self.slots.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        permit.ok().and_then(Result::ok)
    }
}

/// The answer to a refused request: the usual error page, rendered and
/// compressed once per language at start-up, so that refusing thousands of
/// requests a second copies bytes instead of rendering pages. Its language
/// switch leads to the home page, as the refused address may take no GET.
struct Refusal {
    /// In the order of `Locale::ALL`.
    pages: Vec<Encoded>,
}

impl Refusal {
    fn new(templates: &Templates) -> Result<Self, AppError> {
        let pages = Locale::ALL
            .iter()
            .map(|&l| {
                let html = errors::page(templates, l, StatusCode::SERVICE_UNAVAILABLE, ("/", ""))?;
                Ok(Encoded::smallest(html))
            })
            .collect::<Result<_, AppError>>()?;
        Ok(Self { pages })
    }

    /// Complete on its own, as it is sent from outside every other layer.
    fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let locale = locale::negotiate(req);
        let index = Locale::ALL.iter().position(|&l| l == locale).unwrap_or(0);
        let mut res = HttpResponse::ServiceUnavailable();
        res.content_type("text/html; charset=utf-8")
            .insert_header((header::RETRY_AFTER, "1"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::VARY, "Accept-Encoding, Accept-Language, Cookie"));
        for h in SECURITY_HEADERS {
            res.insert_header(h);
        }
        self.pages[index].send(req, &mut res)
    }
}

/// Shared by every worker of one instance.
pub struct LoadShedder {
    writes: Lane,
    reads: Lane,
    patience: Duration,
    refusal: Refusal,
}

impl LoadShedder {
    pub fn new(s: &ServerSettings, templates: &Templates) -> Result<Self, AppError> {
        Ok(Self {
            writes: Lane::new(s.max_inflight_writes, s.max_queued_writes),
            reads: Lane::new(s.max_inflight_reads, s.max_queued_reads),
            patience: Duration::from_millis(s.queue_timeout_ms),
            refusal: Refusal::new(templates)?,
        })
    }

    fn lane(&self, req: &ServiceRequest) -> Option<&Lane> {
        let path = req.path();
        // Cheap and database-free: never worth refusing.
        if path.starts_with("/assets/") || path == "/healthz" || path == "/metrics" {
            return None;
        }
        if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
            Some(&self.reads)
        } else {
            Some(&self.writes)
        }
    }
}

pub async fn refuse_when_overloaded(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(shedder) = req.app_data::<web::Data<LoadShedder>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let Some(lane) = shedder.lane(&req) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    match lane.enter(shedder.patience).await {
        Some(_slot) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        None => {
            if let Some(metrics) = req.app_data::<web::Data<Arc<crate::metrics::Metrics>>>() {
                let writes = std::ptr::eq(lane, &shedder.writes);
                metrics.shed(if writes { "write" } else { "read" });
            }
            drain_small_body(&mut req).await;
            let res = shedder.refusal.respond(req.request());
            Ok(req.into_response(res))
        }
    }
}

/// Bodies this small are read and dropped before refusing, so that the
/// connection stays open for the client's retry: with a body left unread the
/// server must close it, and every refusal would then cost the client and
/// the server a new connection.
const DRAINED_BODY_BYTES: u64 = 64 * 1024;
/// A body that has not arrived by then is not waited for.
const DRAIN_PATIENCE: Duration = Duration::from_millis(100);

async fn drain_small_body(req: &mut ServiceRequest) {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if !length.is_some_and(|n| n > 0 && n <= DRAINED_BODY_BYTES) {
        return;
    }
    let mut payload = req.take_payload();
    let drained = async {
        let mut read = 0;
        while let Some(Ok(chunk)) = payload.next().await {
            read += chunk.len() as u64;
            if read > DRAINED_BODY_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_PATIENCE, drained).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_full_lane_refuses_at_once_and_a_freed_slot_is_reused() {
        let lane = Lane::new(1, 0);
        let held = lane.enter(Duration::from_secs(5)).await.unwrap();
        let started = std::time::Instant::now();
        assert!(lane.enter(Duration::from_secs(5)).await.is_none());
        assert!(started.elapsed() < Duration::from_millis(100));
        drop(held);
        assert!(lane.enter(Duration::from_millis(10)).await.is_some());
    }

    #[actix_web::test]
    async fn a_waiter_gives_up_after_its_patience() {
        let lane = Lane::new(1, 4);
        let _held = lane.enter(Duration::from_secs(5)).await.unwrap();
        let started = std::time::Instant::now();
        assert!(lane.enter(Duration::from_millis(50)).await.is_none());
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert_eq!(lane.waiting.load(Ordering::Acquire), 0);
    }
}
