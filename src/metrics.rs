//! What an operator watches, in Prometheus' text format (`/metrics` when
//! `server.metrics` is on). One registry per application, not a global one,
//! so that tests running several apps in one process each count their own.

use crate::db::Db;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// `page`, `form`, `report`, `asset`, `admin`, `health`, `metrics`.
    pub route: &'static str,
    /// `2xx`, `3xx`, `4xx`, `5xx`.
    pub status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LaneLabels {
    /// `read` or `write`.
    pub lane: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    /// `round` or `report_page`.
    pub cache: &'static str,
    /// `hit` or `miss`.
    pub result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: &'static str,
}

type Latencies = Family<RequestLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latencies,
    shed: Family<LaneLabels, Counter>,
    cache: Family<CacheLabels, Counter>,
    notification_passes: Family<OutcomeLabels, Counter>,
    outbox_attempts: Family<OutcomeLabels, Counter>,
    pool_in_use: Gauge,
    pool_idle: Gauge,
    outbox_pending: Gauge,
    outbox_failed: Gauge,
}

impl Metrics {
    /// Also registers what `db` counts itself (pool waits, commit batches).
    pub fn new(db: &Db) -> Self {
        let mut metrics = Self {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            shed: Family::default(),
            cache: Family::default(),
            notification_passes: Family::default(),
            outbox_attempts: Family::default(),
            pool_in_use: Gauge::default(),
            pool_idle: Gauge::default(),
            outbox_pending: Gauge::default(),
            outbox_failed: Gauge::default(),
            registry: Registry::with_prefix("polyphony"),
        };
        metrics.registry.register(
            "http_requests",
            "Requests answered, by route class and status class",
            metrics.requests.clone(),
        );
        metrics.registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route class and status class",
            metrics.latency.clone(),
        );
        metrics.registry.register(
            "shed_requests",
            "Requests refused with 503 by load shedding, by lane",
            metrics.shed.clone(),
        );
        metrics.registry.register(
            "cache_lookups",
            "Lookups in this instance's caches, by cache and result",
            metrics.cache.clone(),
        );
        metrics.registry.register(
            "notification_passes",
            "Passes of the round e-mail scheduler, by outcome",
            metrics.notification_passes.clone(),
        );
        metrics.registry.register(
            "outbox_attempts",
            "E-mail delivery attempts by this instance: sent, retry (will be tried again), failed (given up)",
            metrics.outbox_attempts.clone(),
        );
        metrics.registry.register(
            "outbox_pending",
            "E-mails waiting in the outbox (all instances), at the last scrape",
            metrics.outbox_pending.clone(),
        );
        metrics.registry.register(
            "outbox_failed",
            "E-mails given up on (all instances; listed on /admin), at the last scrape",
            metrics.outbox_failed.clone(),
        );
        metrics.registry.register(
            "db_pool_in_use",
            "Pooled database connections in use",
            metrics.pool_in_use.clone(),
        );
        metrics.registry.register(
            "db_pool_idle",
            "Pooled database connections idle",
            metrics.pool_idle.clone(),
        );
        let stats = db.stats();
        metrics.registry.register(
            "db_pool_wait_seconds",
            "Time a database call waited for a pooled connection",
            stats.pool_wait.clone(),
        );
        metrics.registry.register(
            "db_commit_batch_size",
            "Writes committed per SQLite transaction (group commit)",
            stats.commit_batch.clone(),
        );
        // Series that exist before their first event, so that an alert on
        // their rate has a baseline.
        for lane in ["read", "write"] {
            let _ = metrics.shed.get_or_create(&LaneLabels { lane });
        }
        for outcome in ["sent", "retry", "failed"] {
            let _ = metrics
                .outbox_attempts
                .get_or_create(&OutcomeLabels { outcome });
        }
        for outcome in ["ok", "failed"] {
            let _ = metrics
                .notification_passes
                .get_or_create(&OutcomeLabels { outcome });
        }
        metrics
    }

    pub fn shed(&self, lane: &'static str) {
        self.shed.get_or_create(&LaneLabels { lane }).inc();
    }

    pub fn cache(&self, cache: &'static str, hit: bool) {
        let result = if hit { "hit" } else { "miss" };
        self.cache
            .get_or_create(&CacheLabels { cache, result })
            .inc();
    }

    pub fn notification_pass(&self, ok: bool) {
        let outcome = if ok { "ok" } else { "failed" };
        self.notification_passes
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    pub fn outbox_attempt(&self, outcome: &'static str) {
        self.outbox_attempts
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    fn observe(&self, route: &'static str, status: u16, seconds: f64) {
        let labels = RequestLabels {
            route,
            status: match status {
                200..=299 => "2xx",
                300..=399 => "3xx",
                400..=499 => "4xx",
                500..=599 => "5xx",
                _ => "other",
            },
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// The text a scrape gets; gauges of shared state are read now.
    pub async fn render(&self, db: &Db) -> String {
        let (connections, idle) = db.pool_state();
        self.pool_in_use
            .set(i64::from(connections.saturating_sub(idle)));
        self.pool_idle.set(i64::from(idle));
        match db.query(crate::notifications::outbox_counts).await {
            Ok((pending, failed)) => {
                self.outbox_pending.set(pending);
                self.outbox_failed.set(failed);
            }
            Err(error) => tracing::warn!(%error, "metrics: cannot count the outbox"),
        }
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            tracing::error!("metrics: encoding failed");
        }
        text
    }
}

/// The class of a request, for the labels: few values, so that the series
/// stay few whatever the addresses.
fn route_class(method: &Method, path: &str) -> &'static str {
    if path == "/healthz" {
        "health"
    } else if path == "/metrics" {
        "metrics"
    } else if path.starts_with("/assets/") {
        "asset"
    } else if path.starts_with("/admin") {
        "admin"
    } else if !matches!(*method, Method::GET | Method::HEAD) {
        "form"
    } else if path.contains("/report") {
        "report"
    } else {
        "page"
    }
}

/// Counts and times every request, refused ones included (outermost layer).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let metrics = req.app_data::<web::Data<Arc<Metrics>>>().cloned();
    let route = route_class(req.method(), req.path());
    let started = Instant::now();
    let res = next.call(req).await;
    if let Some(metrics) = metrics {
        let status = match &res {
            Ok(res) => res.status().as_u16(),
            Err(e) => e.as_response_error().status_code().as_u16(),
        };
        metrics.observe(route, status, started.elapsed().as_secs_f64());
    }
    res
}

/// Carries the request id that tracing-actix-web gives each request (and puts
/// in every log line of its span) into an `X-Request-Id` response header, so
/// that a participant's report of a failure leads to its log lines.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(id) = id
        && let Ok(value) = actix_web::http::header::HeaderValue::from_str(&id)
    {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            value,
        );
    }
    Ok(res)
}

/// `GET /metrics`; 404 unless `server.metrics` is on (it is then registered).
pub async fn scrape(
    metrics: web::Data<Arc<Metrics>>,
    state: web::Data<crate::web::AppState>,
) -> actix_web::HttpResponse {
    let text = metrics.render(&state.db).await;
    actix_web::HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_fall_in_few_classes() {
        let get = Method::GET;
        assert_eq!(route_class(&get, "/healthz"), "health");
        assert_eq!(route_class(&get, "/assets/site.css"), "asset");
        assert_eq!(route_class(&Method::POST, "/admin/x"), "admin");
        assert_eq!(route_class(&Method::POST, "/login"), "form");
        assert_eq!(
            route_class(&get, "/consultations/c/rounds/1/report.csv"),
            "report"
        );
        assert_eq!(route_class(&get, "/consultations/c"), "page");
    }
}
