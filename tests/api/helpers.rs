use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use polyphony::clock::Clock;
use polyphony::config::Settings;
use polyphony::db::Db;
use polyphony::startup::Application;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One browser: an HTTP client with its own cookie jar.
pub struct Browser {
    pub address: String,
    pub client: reqwest::Client,
}

pub struct TestApp {
    pub browser: Browser,
    pub db: Db,
    pub clock: Clock,
    pub settings: Settings,
    pub first_admin: Option<(String, String)>,
    pub backend: Backend,
    pub database: TestDatabase,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub url: String,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub fn create(backend: Backend) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temporary directory");
        match backend {
            Backend::Sqlite => Some(Self {
                url: format!("sqlite://{}", dir.path().join("test.sqlite3").display()),
                _dir: dir,
                postgres: None,
            }),
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var("POLYPHONY_TEST_POSTGRES_URL") else {
                    assert!(
                        std::env::var("POLYPHONY_TEST_REQUIRE_POSTGRES").is_err(),
                        "POLYPHONY_TEST_REQUIRE_POSTGRES is set but POLYPHONY_TEST_POSTGRES_URL is not"
                    );
                    crate::skips::record("POLYPHONY_TEST_POSTGRES_URL is not set");
                    return None;
                };
                let name = format!("polyphony_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&admin_url)
                    .expect("connect to POLYPHONY_TEST_POSTGRES_URL");
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                Some(Self {
                    url: with_database(&admin_url, &name),
                    _dir: dir,
                    postgres: Some((admin_url, name)),
                })
            }
        }
    }

    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// Removes the PostgreSQL database now, connections and all.
    pub fn drop_postgres(&self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.drop_postgres();
    }
}

/// Replaces the database name in a PostgreSQL URL, keeping any parameters.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub fn test_settings(db: &TestDatabase) -> Settings {
    let mut settings = Settings::load_from(Path::new("config")).expect("settings");
    settings.server.port = 0;
    settings.server.workers = 2;
    settings.database.url = db.url.clone();
    settings.database.pool_size = 4;
    settings.database.connect_timeout_secs = 2;
    settings.app.data_dir = db.dir().join("data");
    settings.email.file_dir = db.dir().join("outbox");
    settings.email.retry_base_secs = 1;
    // Tests change rounds behind the app's back, as another instance would;
    // the cache has tests of its own.
    settings.server.round_cache_ms = 0;
    // The demo of rounds that follow one another has tests of its own; the
    // others count users and submissions from the first demo alone.
    settings.app.demo_rounds = false;
    // The password hashing threads are one pool per process (the first app's
    // setting wins): a small pool would make every parallel test's sign-ins
    // queue behind every other's.
    settings.server.max_concurrent_hashes = 64;
    // Requests wait their turn rather than being shed while every other test
    // loads the machine; the load-shedding tests set their own limits.
    settings.server.queue_timeout_ms = 30_000;
    settings
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let database = TestDatabase::create(backend)?;
    let settings = test_settings(&database);
    Some(spawn_with(database, settings, backend).await)
}

pub async fn spawn_with(database: TestDatabase, settings: Settings, backend: Backend) -> TestApp {
    if std::env::var_os("POLYPHONY_TEST_LOG").is_some() {
        polyphony::telemetry::init(&settings.telemetry);
    }
    let clock = Clock::default();
    let app = Application::build_with_clock(settings.clone(), clock.clone())
        .await
        .expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db.clone();
    let first_admin = app.first_admin.clone();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        browser: Browser::new(&address),
        db,
        clock,
        settings,
        first_admin,
        backend,
        database,
    }
}

impl std::ops::Deref for TestApp {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl TestApp {
    /// Another browser on the same app, signed in as nobody.
    pub fn new_browser(&self) -> Browser {
        Browser::new(&self.browser.address)
    }
}

impl Browser {
    pub fn new(address: &str) -> Self {
        Self {
            address: address.to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("http client"),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }
}

/// Declares each test once and runs it on SQLite and, when configured, on
/// PostgreSQL: `name::sqlite` and `name::postgres`.
macro_rules! both_backends {
    ($(async fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                let $app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("sqlite test app");
                $body
            }

            #[actix_web::test]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await
                else {
                    return;
                };
                $body
            }
        }
    )*};
}

/// `name::sqlite` and `name::postgres` for a test written as
/// `async fn test(backend: Backend)` that needs more than `both_backends!`
/// gives (the binary as a process, custom settings).
macro_rules! on_both_backends {
    ($($name:ident => $test:ident;)*) => {$(
        mod $name {
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                $test(Backend::Sqlite).await;
            }

            #[actix_web::test]
            async fn postgres() {
                $test(Backend::Postgres).await;
            }
        }
    )*};
}

pub fn gunzip(compressed: &[u8]) -> Vec<u8> {
    let mut plain = vec![];
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(compressed), &mut plain).unwrap();
    plain
}

pub fn unbrotli(compressed: &[u8]) -> Vec<u8> {
    let mut plain = vec![];
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(compressed, 4096), &mut plain)
        .unwrap();
    plain
}

/// The value of the first `csrf_token` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a csrf_token field") + marker.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

/// Reverses quoted-printable soft breaks and escapes enough to read links.
pub fn decode_qp(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let mut out = String::with_capacity(joined.len());
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b as char);
            i += 3;
            continue;
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

pub struct Mail {
    pub to: String,
    pub subject_and_body: String,
}

impl Browser {
    /// GETs `form_path`, then POSTs `fields` (with the page's CSRF token) to `action`.
    pub async fn submit(
        &self,
        form_path: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let (_, page) = self.get_text(form_path).await;
        let token = csrf_in(&page);
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn post_form(&self, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{}", self.address, action))
            .form(fields)
            .send()
            .await
            .expect("request")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.submit(
            "/login",
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("next", "/account"),
            ],
        )
        .await
    }

    pub async fn register(&self, email: &str, name: &str, group: &str) -> String {
        let password = "correct horse battery staple";
        let res = self
            .submit(
                "/register",
                "/register",
                &[
                    ("email", email),
                    ("password", password),
                    ("display_name", name),
                    ("organization", "Coalition for Cultural Diversity"),
                    ("stakeholder_group", group),
                    ("country", "CA"),
                    ("locale", "en"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "{}",
            res.text().await.unwrap_or_default()
        );
        password.to_string()
    }
}

impl TestApp {
    /// E-mails written by the file transport so far.
    pub fn mails(&self) -> Vec<Mail> {
        let Ok(dir) = std::fs::read_dir(&self.settings.email.file_dir) else {
            return vec![];
        };
        dir.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|raw| {
                let to = raw
                    .lines()
                    .find_map(|l| l.strip_prefix("To: "))
                    .unwrap_or_default()
                    .to_string();
                Mail {
                    to,
                    subject_and_body: decode_qp(&raw),
                }
            })
            .collect()
    }

    /// Waits for the outbox worker to deliver an e-mail to `to` that contains `needle`.
    pub async fn wait_for_mail(&self, to: &str, needle: &str) -> Mail {
        for _ in 0..100 {
            if let Some(m) = self
                .mails()
                .into_iter()
                .find(|m| m.to.contains(to) && m.subject_and_body.contains(needle))
            {
                return m;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no e-mail to {to} containing {needle}");
    }

    pub fn link_in(mail: &Mail, path: &str) -> String {
        let text = &mail.subject_and_body;
        let start = text
            .find(path)
            .unwrap_or_else(|| panic!("no {path} link in {text}"));
        let end = start
            + text[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
                .unwrap_or(text.len() - start);
        text[start..end].to_string()
    }

    pub async fn register_verified(&self, email: &str, name: &str, group: &str) -> String {
        let password = self.register(email, name, group).await;
        let mail = self.wait_for_mail(email, "/verify/").await;
        let link = Self::link_in(&mail, "/verify/");
        let (status, _) = self.get_text(&link).await;
        assert_eq!(status, 200);
        password
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

static PASSWORD_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

impl TestApp {
    /// A verified participant made directly in the database (registration has
    /// its own tests), signed in in a browser of its own.
    pub async fn participant(
        &self,
        email: &str,
        group: &str,
        country: &'static str,
        affiliation_verified: bool,
    ) -> Browser {
        let hash = PASSWORD_HASH
            .get_or_init(|| polyphony::accounts::passwords::hash(PASSWORD).unwrap())
            .clone();
        let (email_owned, group) = (
            email.to_string(),
            polyphony::codes::StakeholderGroup::parse(group).unwrap(),
        );
        let now = self.clock.now();
        self.db
            .run(move |c| -> Result<(), polyphony::web::errors::AppError> {
                use diesel::prelude::*;
                let profile = polyphony::accounts::fields::Profile {
                    display_name: format!("Name of {email_owned}"),
                    organization: "Org".into(),
                    group,
                    country,
                    locale: polyphony::codes::Locale::En,
                };
                let id = polyphony::accounts::insert(
                    c,
                    &polyphony::accounts::NewUser {
                        email: &email_owned,
                        password_hash: &hash,
                        profile: &profile,
                        role: polyphony::accounts::Role::Participant,
                        email_verified: true,
                    },
                    now,
                )?;
                if affiliation_verified {
                    diesel::update(polyphony::db::schema::users::table.find(id))
                        .set(polyphony::db::schema::users::affiliation_verified_at.eq(now))
                        .execute(c)?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let b = self.new_browser();
        assert_eq!(b.login(email, PASSWORD).await.status(), 303);
        b
    }

    pub async fn admin(&self) -> Browser {
        let (email, password) = self.first_admin.clone().expect("first admin");
        let b = self.new_browser();
        assert_eq!(b.login(&email, &password).await.status(), 303);
        b
    }
}

/// A time as the organizers' forms take it (UTC, to the minute).
pub fn form_time(t: time::PrimitiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// A two-article draft, short enough to read in a failing assertion.
pub const DRAFT: &str = "# Protocol\n\nPreamble.\n\n## Article 1 — Scope\nParties shall encourage platforms.\n\n## Article 2 — Data\nSame text.\n";

/// A consultation made through the organizer's form, open to three groups.
pub async fn new_consultation(admin: &Browser, slug: &str) {
    let res = admin
        .submit(
            "/admin/consultations/new",
            "/admin/consultations",
            &[
                ("slug", slug),
                ("title", "Platform transparency"),
                ("summary", "What platforms must *explain*."),
                ("eligible_groups", "government"),
                ("eligible_groups", "civil_society"),
                ("eligible_groups", "academia"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

/// Posts `markdown` to the draft import form; `action` is `preview` or `save`.
pub async fn import(
    admin: &Browser,
    slug: &str,
    markdown: &str,
    action: &str,
) -> reqwest::Response {
    admin
        .submit(
            &format!("/admin/consultations/{slug}/drafts/new"),
            &format!("/admin/consultations/{slug}/drafts"),
            &[("markdown", markdown), ("level", "2"), ("action", action)],
        )
        .await
}

/// (key, heading, body, translated heading) of each provision, in order.
pub async fn stored_provisions(
    app: &TestApp,
    slug: &'static str,
) -> Vec<(String, String, String, Option<String>)> {
    use diesel::prelude::*;
    use polyphony::db::schema::{consultations, draft_versions, provisions};
    app.db
        .query(move |c| {
            provisions::table
                .inner_join(draft_versions::table)
                .inner_join(
                    consultations::table.on(consultations::id.eq(draft_versions::consultation_id)),
                )
                .filter(consultations::slug.eq(slug))
                .order(provisions::ordinal)
                .select((
                    provisions::provision_key,
                    provisions::heading,
                    provisions::body,
                    provisions::translated_heading,
                ))
                .load(c)
        })
        .await
        .unwrap()
}
