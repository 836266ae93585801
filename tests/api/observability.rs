//! What operators see: `/metrics` in Prometheus' text format, JSON log lines
//! that carry each request's id, and that id in `X-Request-Id`.

use crate::helpers::*;
use crate::reliability::support::Server;

const ROUND: &str = "/consultations/additional-protocol/rounds/1";

/// The value of the series `name{labels}` in a scrape, 0 when absent.
fn sample(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

async fn scrape(app: &TestApp) -> String {
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
    );
    res.text().await.unwrap()
}

async fn metrics_move_with_the_traffic(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut settings = test_settings(&database);
    settings.server.metrics = true;
    settings.server.round_cache_ms = 60_000;
    let app = spawn_with(database, settings, backend).await;
    let before = scrape(&app).await;
    for _ in 0..3 {
        assert_eq!(app.get(ROUND).await.status(), 200);
    }
    assert_eq!(app.get("/no-such-page").await.status(), 404);
    let after = scrape(&app).await;

    let pages = r#"polyphony_http_requests_total{route="page",status="2xx"}"#;
    assert_eq!(
        sample(&after, pages) - sample(&before, pages),
        3.0,
        "{after}"
    );
    let missing = r#"polyphony_http_requests_total{route="page",status="4xx"}"#;
    assert_eq!(sample(&after, missing) - sample(&before, missing), 1.0);
    let timed = r#"polyphony_http_request_duration_seconds_count{route="page",status="2xx"}"#;
    assert_eq!(sample(&after, timed) - sample(&before, timed), 3.0);
    let scrapes = r#"polyphony_http_requests_total{route="metrics",status="2xx"}"#;
    assert_eq!(sample(&after, scrapes), 1.0, "the first scrape is counted");
    assert!(
        sample(
            &after,
            r#"polyphony_cache_lookups_total{cache="round",result="hit"}"#
        ) >= 2.0,
        "{after}"
    );
    assert!(sample(&after, "polyphony_db_pool_wait_seconds_count") > 0.0);
    for series in [
        "polyphony_db_pool_in_use",
        "polyphony_db_pool_idle",
        "polyphony_outbox_pending",
        "polyphony_outbox_failed",
        "# TYPE polyphony_shed_requests counter",
        "# TYPE polyphony_db_commit_batch_size histogram",
    ] {
        assert!(after.contains(series), "{series} in {after}");
    }
}

async fn metrics_are_not_served_unless_turned_on(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    assert_eq!(app.get("/metrics").await.status(), 404);
}

/// Each line of a request's log carries its id, which the response names.
async fn json_logs_carry_the_request_id_of_the_x_request_id_header(backend: Backend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let mut server = Server::start(
        &database,
        &[
            ("POLYPHONY__TELEMETRY__FORMAT", "json".to_string()),
            // No first admin, whose one-time password is printed (not logged).
            ("POLYPHONY__APP__DEMO", "false".to_string()),
        ],
    );
    server.ready().await;
    let res = server.browser().get("/no-such-page").await;
    assert_eq!(res.status(), 404);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let other = server.browser().get("/healthz").await;
    let other_id = other.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(id, other_id, "one id per request");

    // The line that ends the request is written as its response goes.
    let mut ours = Vec::new();
    for _ in 0..100 {
        let log = server.log_text();
        let lines: Vec<serde_json::Value> = log
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
            .collect();
        ours = lines
            .into_iter()
            .filter(|line| line["span"]["request_id"] == id.as_str())
            .collect();
        if ours.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        ours.len() >= 2,
        "the refusal and the request's end: {ours:?}"
    );
    assert!(
        ours.iter()
            .any(|line| line["level"] == "INFO" && line["status"] == 404),
        "{ours:?}"
    );
    assert!(ours.iter().all(|line| line["timestamp"].is_string()));
}

on_both_backends! {
    metrics_count_requests_latencies_and_cache_lookups_as_traffic_comes => metrics_move_with_the_traffic;
    metrics_answer_404_unless_server_metrics_is_on => metrics_are_not_served_unless_turned_on;
    json_logs_carry_the_request_id_of_the_x_request_id_header => json_logs_carry_the_request_id_of_the_x_request_id_header;
}
