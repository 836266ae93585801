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

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
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
                    eprintln!("skipped: POLYPHONY_TEST_POSTGRES_URL is not set");
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
    settings
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let database = TestDatabase::create(backend)?;
    let settings = test_settings(&database);
    Some(spawn_with(database, settings, backend).await)
}

pub async fn spawn_with(database: TestDatabase, settings: Settings, backend: Backend) -> TestApp {
    let clock = Clock::default();
    let app = Application::build_with_clock(settings.clone(), clock.clone())
        .await
        .expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db.clone();
    let first_admin = app.first_admin.clone();
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client");
    TestApp {
        address,
        client,
        db,
        clock,
        settings,
        first_admin,
        backend,
        database,
    }
}

impl TestApp {
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
