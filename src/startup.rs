//! Builds the application: database, migrations, first-start data, HTTP server.

use crate::accounts::{self, passwords};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::demo;
use crate::notifications::{Notifier, worker::Worker};
use crate::templates::Templates;
use crate::web::errors::AppError;
use crate::web::{self, AppState};
use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{Compress, Condition, DefaultHeaders, ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web as aw};
use base64::Engine;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

pub const FIRST_ADMIN_EMAIL: &str = "admin@polyphony.localhost";

pub struct Application {
    port: u16,
    server: Server,
    /// The first admin's e-mail and one-time password, when this start made it.
    pub first_admin: Option<(String, String)>,
    /// The demo participant's e-mail and one-time password, likewise.
    pub demo_participant: Option<(String, String)>,
    pub db: Db,
    pub clock: Clock,
    /// Tells the background tasks to stop once the server has drained.
    stop: tokio::sync::watch::Sender<bool>,
    outbox_worker: tokio::task::JoinHandle<()>,
    /// How long the worker may take to finish the message it is sending.
    outbox_grace: Duration,
    /// SQLite: this process serves the file (see `db::single_instance`).
    _server_role: Option<crate::db::single_instance::ServerRole>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::default()).await
    }

    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let server_role = crate::db::single_instance::claim(&settings.database.url);
        let db = {
            let s = settings.database.clone();
            actix_web::rt::task::spawn_blocking(move || Db::open(&s)).await??
        };
        let (first_admin, demo_participant) = {
            let (db, clock, app) = (db.clone(), clock.clone(), settings.app.clone());
            actix_web::rt::task::spawn_blocking(move || prepare_database(&db, &clock, &app))
                .await??
        };
        if let Some((email, password)) = &first_admin {
            // Printed once: the hash is all that is kept.
            println!(
                "\nPolyphony created the first admin account.\n  e-mail:   {email}\n  password: {password}\n\
                 This password is shown only now; change it after signing in.\n"
            );
        }
        if let Some((email, password)) = &demo_participant {
            println!(
                "Polyphony created a demo participant, who answered round 1 of {}.\n  \
                 e-mail:    {email}\n  passphrase: {password}\nThis passphrase is shown only now.\n",
                demo::two_rounds::SLUG
            );
        }
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))?;
        let port = listener.local_addr()?.port();
        let workers = match settings.server.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let templates = Arc::new(Templates::load()?);
        let key = session_key(&settings)?;
        let metrics = Arc::new(crate::metrics::Metrics::new(&db));
        let state = aw::Data::new(AppState {
            db: db.clone(),
            notifier: Notifier::new(templates.clone(), &settings.app.base_url),
            templates,
            settings: settings.clone(),
            clock: clock.clone(),
            report_pages: crate::web::cache::report_pages::new(),
            rounds: crate::web::cache::RoundCache::new(settings.server.round_cache_ms),
            trusted_proxies: web::client::TrustedProxies::parse(&settings.server.trusted_proxies)
                .map_err(|why| anyhow::anyhow!("server.trusted_proxies: {why}"))?,
            cookie_key: key.clone(),
            metrics: metrics.clone(),
        });
        let worker =
            Worker::new(db.clone(), clock.clone(), &settings.email)?.with_metrics(metrics.clone());
        let (stop, stopping) = tokio::sync::watch::channel(false);
        listen_for_changes(&state, stopping.clone())?;
        if settings.reports.worker {
            let poll = Duration::from_millis(settings.reports.worker_poll_ms.max(10));
            actix_web::rt::spawn(crate::reports::jobs::run(
                db.clone(),
                clock.clone(),
                poll,
                stopping.clone(),
            ));
            actix_web::rt::spawn(crate::analysis::index::run(
                db.clone(),
                poll,
                stopping.clone(),
            ));
        }
        let outbox_worker = actix_web::rt::spawn(worker.run(stopping));
        actix_web::rt::spawn(crate::notifications::schedule::run_forever(
            db.clone(),
            state.notifier.clone(),
            clock.clone(),
            metrics.clone(),
        ));
        passwords::start_hashers(settings.server.max_concurrent_hashes);
        let shedder = aw::Data::new(web::load_shedding::LoadShedder::new(
            &settings.server,
            &state.templates,
        )?);
        let count_queries = settings.server.query_count_header;
        let secure = settings.cookies_secure();
        let max_body = settings.server.max_body_bytes;
        let https = settings.app.base_url.starts_with("https://");
        let serve_metrics = settings.server.metrics;
        let metrics = aw::Data::new(metrics);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(shedder.clone())
                .app_data(aw::FormConfig::default().limit(max_body).error_handler(
                    |err, _| match err {
                        actix_web::error::UrlencodedError::Overflow { .. } => {
                            AppError::payload_too_large().into()
                        }
                        other => AppError::bad_request(other.to_string()).into(),
                    },
                ))
                .app_data(aw::PayloadConfig::default().limit(max_body))
                .wrap(from_fn(web::cache::forget_after_admin_writes))
                .wrap(from_fn(web::once::reply_once))
                .wrap(from_fn(web::csrf::check))
                .wrap(from_fn(web::input::check))
                .wrap(from_fn(web::locale::remember))
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                        .cookie_name("polyphony".into())
                        .cookie_secure(secure)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_content_security(CookieContentSecurity::Private)
                        .build(),
                )
                .wrap(Condition::new(
                    count_queries,
                    from_fn(web::query_count::count_queries),
                ))
                .wrap(ErrorHandlers::new().default_handler(web::errors::render))
                .wrap(from_fn(web::encoded::compress_pages))
                .wrap(Compress::default())
                .wrap(
                    web::headers::SECURITY_HEADERS
                        .into_iter()
                        .chain(https.then_some(web::headers::HSTS))
                        .fold(DefaultHeaders::new(), DefaultHeaders::add),
                )
                .wrap(from_fn(crate::metrics::request_id_header))
                .wrap(tracing_actix_web::TracingLogger::default())
                // Outermost, so that a refusal costs no log span, cookie
                // decryption, body read, page render or compression: its
                // answer is complete and made in advance.
                .wrap(from_fn(web::load_shedding::refuse_when_overloaded))
                .wrap(from_fn(web::headers::head_as_get))
                .wrap(from_fn(crate::metrics::observe))
                .wrap(from_fn(web::client::find_client))
                .configure(|c| {
                    if serve_metrics {
                        c.route("/metrics", aw::get().to(crate::metrics::scrape));
                    }
                })
                .configure(web::configure)
                .default_service(aw::to(web::errors::not_found))
        })
        .workers(workers)
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            first_admin,
            demo_participant,
            db,
            clock,
            stop,
            outbox_worker,
            outbox_grace: Duration::from_secs(settings.email.timeout_secs + 5),
            _server_role: server_role,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT, lets requests in flight finish (up to
    /// 30 s), then stops the outbox worker cleanly before returning.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let _ = self.stop.send(true);
        if actix_web::rt::time::timeout(self.outbox_grace, self.outbox_worker)
            .await
            .is_err()
        {
            tracing::warn!("outbox worker did not stop in time; its claims expire on their own");
        }
        served
    }

    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}

/// Clears this instance's caches when another instance announces an
/// organizer's change (PostgreSQL). The listener ends with the server, or
/// when the app is dropped without being stopped (tests).
fn listen_for_changes(
    state: &aw::Data<AppState>,
    stopping: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    let app = Arc::downgrade(&state.clone().into_inner());
    let alive = app.clone();
    crate::db::changes::listen(
        &state.db,
        move || alive.strong_count() > 0 && !*stopping.borrow(),
        move |change| {
            if let Some(state) = app.upgrade() {
                web::cache::forget(&state, change);
            }
        },
    )
}

/// The key that signs and encrypts session cookies: from the configuration, or
/// generated once and kept under the data directory.
pub fn session_key(settings: &Settings) -> anyhow::Result<Key> {
    let engine = base64::engine::general_purpose::STANDARD;
    let configured = settings.app.secret_key.trim();
    let bytes = if !configured.is_empty() {
        engine
            .decode(configured)
            .map_err(|_| anyhow::anyhow!("configuration key `app.secret_key`: not valid base64"))?
    } else {
        let path = settings.app.data_dir.join("secret.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => engine.decode(text.trim())?,
            Err(_) => {
                let key = Key::generate();
                std::fs::create_dir_all(&settings.app.data_dir)?;
                std::fs::write(&path, engine.encode(key.master()))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
                }
                return Ok(key);
            }
        }
    };
    Key::try_from(bytes.as_slice())
        .map_err(|_| anyhow::anyhow!("configuration key `app.secret_key`: needs at least 64 bytes"))
}

/// A one-time password, printed once: (e-mail, password).
type Printed = Option<(String, String)>;

/// Migrates, and on a database with no admin yet loads the demo (when enabled)
/// and creates the first admin with a one-time password; with the demo of
/// two rounds, its participant gets one too.
fn prepare_database(
    db: &Db,
    clock: &Clock,
    app: &crate::config::AppSettings,
) -> anyhow::Result<(Printed, Printed)> {
    let applied = db.migrate()?;
    let risky = crate::db::unsafe_commit_settings(&mut *db.get()?)?;
    if !risky.is_empty() {
        tracing::warn!(
            settings = %risky.join(", "),
            "PostgreSQL may lose acknowledged commits if its server crashes; receipts promise \
             they are not lost (set fsync = on and synchronous_commit = on)"
        );
    }
    if !applied.is_empty() {
        tracing::info!(?applied, "migrations applied");
    }
    if !app.demo {
        return Ok((None, None));
    }
    let mut conn = db.get()?;
    if demo::load(&mut conn, clock)? {
        tracing::info!("demo consultation loaded");
    }
    let mut participant = None;
    if app.demo_rounds
        && let demo::two_rounds::Loaded::Now(made) =
            demo::two_rounds::load_once(&mut conn, clock.now())?
    {
        participant = made;
        tracing::info!("demo of two rounds loaded");
    }
    if accounts::any_admin(&mut conn)? {
        return Ok((None, participant));
    }
    let password = passwords::generate();
    let hash = passwords::hash(&password).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    accounts::upsert_admin(&mut conn, FIRST_ADMIN_EMAIL, &hash, clock.now())?;
    Ok((Some((FIRST_ADMIN_EMAIL.to_string(), password)), participant))
}
