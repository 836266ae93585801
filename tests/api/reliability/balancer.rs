//! Two instances of the binary on one PostgreSQL behind a real HAProxy,
//! configured by `config/haproxy.cfg.example` (the sample of
//! docs/operators.md) with its ports replaced.

use super::support::*;
use crate::helpers::{Backend, Browser, PASSWORD, TestDatabase, csrf_in};
use base64::Engine;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SAMPLE: &str = "config/haproxy.cfg.example";
const ADMIN: &str = "chair@example.org";
const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";

struct Haproxy {
    child: Child,
    address: String,
}

impl Haproxy {
    fn start(dir: &std::path::Path, a: u16, b: u16) -> Haproxy {
        let port = free_port();
        let mut config = std::fs::read_to_string(SAMPLE).unwrap();
        for (from, to) in [("8000", port), ("8081", a), ("8082", b)] {
            let from = format!("127.0.0.1:{from}");
            assert_eq!(config.matches(&from).count(), 1, "{from} in {SAMPLE}");
            config = config.replace(&from, &format!("127.0.0.1:{to}"));
        }
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, config).unwrap();
        let log = std::fs::File::create(dir.join("haproxy.log")).unwrap();
        let child = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        Haproxy {
            child,
            address: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The instances behind the balancer, and what restarts one.
struct Cluster {
    database: TestDatabase,
    a: Server,
    b: Server,
    ports: (u16, u16),
    env: Vec<(&'static str, String)>,
    lb: Haproxy,
}

impl Cluster {
    async fn start() -> Option<Cluster> {
        let database = TestDatabase::create(Backend::Postgres)?;
        if !crate::skips::haproxy_available() {
            return None;
        }
        let key: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
        let env = vec![
            (
                "POLYPHONY__APP__SECRET_KEY",
                base64::engine::general_purpose::STANDARD.encode(key),
            ),
            // Only a cleared cache can show another instance's change.
            ("POLYPHONY__SERVER__ROUND_CACHE_MS", "600000".to_string()),
        ];
        let ports = (free_port(), free_port());
        let mut a = Server::start_on(&database, ports.0, &env);
        a.ready().await;
        let mut b = Server::start_on(&database, ports.1, &env);
        b.ready().await;
        let lb = Haproxy::start(database.dir(), ports.0, ports.1);
        let cluster = Cluster {
            database,
            a,
            b,
            ports,
            env,
            lb,
        };
        cluster.both_in_rotation().await;
        Some(cluster)
    }

    fn browser(&self) -> Browser {
        Browser::new(&self.lb.address)
    }

    /// Waits until the balancer has sent requests to both instances and both
    /// answered, as its health checks (every 500 ms) let it.
    async fn both_in_rotation(&self) {
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let b = self.browser();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let answers = futures_util::future::join_all(
                (0..4).map(|_| b.client.get(format!("{}/healthz", b.address)).send()),
            )
            .await;
            if answers
                .iter()
                .all(|r| r.as_ref().is_ok_and(|r| r.status() == 200))
            {
                return;
            }
            assert!(Instant::now() < deadline, "the balancer is not ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn admin_on(&self, server: &Server) -> Browser {
        let db = open_db(&self.database);
        let hash = polyphony::accounts::passwords::hash(PASSWORD).unwrap();
        db.run(move |c| {
            polyphony::accounts::upsert_admin(
                c,
                ADMIN,
                &hash,
                polyphony::db::to_db_time(time::OffsetDateTime::now_utc()),
            )
            .map_err(polyphony::db::DbError::from)
        })
        .await
        .unwrap();
        let admin = server.browser();
        assert_eq!(admin.login(ADMIN, PASSWORD).await.status(), 303);
        admin
    }

    /// SIGTERM to one instance, then a new one on its port.
    async fn restart(&mut self, first: bool) {
        let port = if first { self.ports.0 } else { self.ports.1 };
        let server = if first { &mut self.a } else { &mut self.b };
        server.terminate();
        let status = server.exit_status(Duration::from_secs(40)).await;
        assert!(status.success(), "{status}");
        *server = Server::start_on(&self.database, port, &self.env);
        server.ready().await;
        self.both_in_rotation().await;
    }
}

/// The same browser (cookie jar) talking to one instance directly.
fn on(browser: &Browser, server: &Server) -> Browser {
    Browser {
        address: server.address.clone(),
        client: browser.client.clone(),
    }
}

async fn submit(b: &Browser, token: &str, text: &str) -> Result<reqwest::Response, reqwest::Error> {
    b.client
        .post(format!("{}{SUBMISSION}", b.address))
        .form(&[
            ("csrf_token", token),
            ("action", "submit"),
            ("stance[art-1]", "support"),
            ("general_comment", text),
            ("disclosure", "anonymous"),
        ])
        .timeout(Duration::from_secs(30))
        .send()
        .await
}

fn receipt_of(res: &reqwest::Response) -> Option<String> {
    let location = res.headers().get("location")?.to_str().ok()?;
    Some(location.split("receipt=").nth(1)?.to_string())
}

async fn post_admin(admin: &Browser, action: &str, fields: &[(&str, &str)]) {
    let path = format!("{ADMIN_ROUND}/{action}");
    let res = admin.submit(&path, &path, fields).await;
    assert_eq!(res.status(), 303, "{action}");
}

#[actix_web::test]
async fn behind_haproxy_a_session_works_on_both_instances_and_a_change_through_one_holds_on_the_other()
 {
    let Some(cluster) = Cluster::start().await else {
        return;
    };
    let email = participants(&open_db(&cluster.database), "lb", 1)
        .await
        .remove(0);
    let participant = cluster.browser();
    assert_eq!(participant.login(&email, PASSWORD).await.status(), 303);
    for server in [&cluster.a, &cluster.b] {
        let (status, page) = on(&participant, server).get_text(ROUND).await;
        assert_eq!(status, 200);
        assert!(page.contains("Sign out"), "signed in on {}", server.address);
    }
    assert_eq!(
        cluster.browser().get("/metrics").await.status(),
        403,
        "the sample keeps /metrics from the public"
    );

    // B has the round cached as open; A closes it.
    let on_b = on(&participant, &cluster.b);
    let (_, page) = on_b.get_text(ROUND).await;
    let token = csrf_in(&page);
    let report = format!("{ROUND}/report");
    assert_eq!(on_b.get(&report).await.status(), 404);
    let admin = cluster.admin_on(&cluster.a).await;
    post_admin(&admin, "close", &[]).await;
    // Under a loaded test machine B may shed the request (503 with
    // Retry-After); a client tries again, and B must then refuse it too.
    let mut res = submit(&on_b, &token, "too late").await.unwrap();
    for _ in 0..60 {
        if res.status() != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        res = submit(&on_b, &token, "too late").await.unwrap();
    }
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    assert_eq!(
        status,
        409,
        "a submit to B right after the close: {}",
        &body[..body.len().min(2000)]
    );
    let (_, page) = on_b.get_text(ROUND).await;
    assert!(page.contains("This round closed on"), "{page}");

    post_admin(&admin, "publish", &[("note", "Published through A.")]).await;
    let (status, page) = cluster.b.browser().get_text(&report).await;
    assert_eq!(status, 200, "B serves the report A published at once");
    assert!(page.contains("Published through A."));
}

#[actix_web::test]
async fn behind_haproxy_killing_one_instance_in_a_burst_loses_no_receipt_and_the_other_serves_every_later_request()
 {
    const PARTICIPANTS: usize = 16;
    const ATTEMPTS: usize = 5;
    let Some(mut cluster) = Cluster::start().await else {
        return;
    };
    let emails = participants(&open_db(&cluster.database), "burst", PARTICIPANTS).await;
    let mut signed_in = Vec::new();
    for email in emails {
        let b = cluster.browser();
        assert_eq!(b.login(&email, PASSWORD).await.status(), 303);
        let (_, page) = b.get_text(ROUND).await;
        signed_in.push((email, b, csrf_in(&page)));
    }
    let receipts: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for (email, b, token) in signed_in {
        let receipts = receipts.clone();
        tasks.push(tokio::spawn(async move {
            for attempt in 1..=ATTEMPTS {
                let text = format!("{email}, attempt {attempt}");
                // A request in flight on the killed instance may fail; the
                // participant sends it again, as a person would.
                if let Ok(res) = submit(&b, &token, &text).await
                    && let Some(code) = receipt_of(&res)
                {
                    receipts.lock().unwrap().push(code);
                }
            }
        }));
    }
    let total = PARTICIPANTS * ATTEMPTS;
    let deadline = Instant::now() + Duration::from_secs(60);
    while receipts.lock().unwrap().len() < total / 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before_kill = receipts.lock().unwrap().len();
    cluster.a.kill();
    assert!(
        before_kill < total,
        "the kill came in the middle of the burst"
    );
    for task in tasks {
        task.await.unwrap();
    }
    let receipts = std::mem::take(&mut *receipts.lock().unwrap());
    eprintln!(
        "A killed after {before_kill} of {total} receipts; {} acknowledged in all",
        receipts.len()
    );
    assert!(receipts.len() >= total / 3);

    let anyone = cluster.browser();
    for code in &receipts {
        let (status, page) = anyone.get_text(&format!("/receipts/{code}")).await;
        assert_eq!(status, 200, "receipt {code} is lost");
        assert!(page.contains("is genuine"));
    }
    for _ in 0..40 {
        assert_eq!(anyone.get(ROUND).await.status(), 200);
    }
}

#[actix_web::test]
async fn behind_haproxy_a_rolling_restart_fails_no_request_of_a_steady_load() {
    let Some(mut cluster) = Cluster::start().await else {
        return;
    };
    let email = participants(&open_db(&cluster.database), "steady", 1)
        .await
        .remove(0);
    let signed_in = cluster.browser();
    assert_eq!(signed_in.login(&email, PASSWORD).await.status(), 303);

    let stop = Arc::new(AtomicBool::new(false));
    let (served, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut load = Vec::new();
    for worker in 0..4 {
        // One of them signed in: sessions hold across the restarts too.
        let b = if worker == 0 {
            Browser {
                address: cluster.lb.address.clone(),
                client: signed_in.client.clone(),
            }
        } else {
            cluster.browser()
        };
        let (stop, served, failed, failures) = (
            stop.clone(),
            served.clone(),
            failed.clone(),
            failures.clone(),
        );
        load.push(tokio::spawn(async move {
            let paths = [ROUND, "/", "/healthz", "/consultations/additional-protocol"];
            let mut i = worker;
            while !stop.load(Ordering::SeqCst) {
                let path = paths[i % paths.len()];
                i += 1;
                let res = b
                    .client
                    .get(format!("{}{path}", b.address))
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await;
                match res {
                    Ok(res) if res.status() == 200 => {
                        served.fetch_add(1, Ordering::SeqCst);
                    }
                    other => {
                        failed.fetch_add(1, Ordering::SeqCst);
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{path}: {:?}", other.map(|r| r.status())));
                    }
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.restart(true).await;
    cluster.restart(false).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    let (served, failed) = (served.load(Ordering::SeqCst), failed.load(Ordering::SeqCst));
    eprintln!("rolling restart: {served} requests served, {failed} failed");
    assert_eq!(failed, 0, "{:?}", failures.lock().unwrap());
    assert!(served > 100, "a steady load: {served} requests");
}
