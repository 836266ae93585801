//! Load shedding: each class of request (writes, pages) has a fixed number of
//! slots and a short, bounded waiting line. A request that finds the line full,
//! or waits longer than `server.queue_timeout_ms`, gets 503 with Retry-After at
//! once, so a surge costs a little CPU per refused request instead of memory
//! and latency for everyone. Writes and reads are separate so a flood of
//! submissions never starves the public pages.

use crate::config::ServerSettings;
use crate::error::AppError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
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

/// Shared by every worker of one instance.
pub struct Shedder {
    writes: Lane,
    reads: Lane,
    patience: Duration,
}

impl Shedder {
    pub fn new(s: &ServerSettings) -> Self {
        Self {
            writes: Lane::new(s.max_inflight_writes, s.max_queued_writes),
            reads: Lane::new(s.max_inflight_reads, s.max_queued_reads),
            patience: Duration::from_millis(s.queue_timeout_ms),
        }
    }

    fn lane(&self, req: &ServiceRequest) -> Option<&Lane> {
        let path = req.path();
        // Cheap and database-free: never worth refusing.
        if path.starts_with("/assets/") || path == "/healthz" {
            return None;
        }
        if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
            Some(&self.reads)
        } else {
            Some(&self.writes)
        }
    }
}

pub async fn shed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(shedder) = req.app_data::<web::Data<Shedder>>().cloned() else {
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
        None => Ok(req.error_response(AppError::Overloaded)),
    }
}

/// Wraps each request in a statement counter and reports the count in
/// `X-Query-Count` (enabled by `server.query_count_header`).
pub async fn count_queries(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (res, count) = crate::db::counting::count(next.call(req)).await;
    let mut res = res?.map_into_boxed_body();
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-query-count"),
        actix_web::http::header::HeaderValue::from(count),
    );
    Ok(res)
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
