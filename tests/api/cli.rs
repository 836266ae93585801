//! The binary's command line, run as a separate process.

use crate::helpers::{Backend, TestDatabase, spawn_app};
use std::io::Write;
use std::process::{Command, Stdio};

pub fn polyphony(db: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_polyphony"));
    cmd.env("POLYPHONY__DATABASE__URL", &db.url)
        .env("POLYPHONY__APP__DATA_DIR", db.dir().join("data"))
        .env("RUST_LOG", "warn");
    cmd
}

/// The trimmed standard output of a run that must have succeeded; a failure
/// shows its standard error.
pub fn succeeded(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_bad_configuration_value_stops_start_up_naming_the_key() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let out = polyphony(&db)
        .env("POLYPHONY__SERVER__PORT", "eighty")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("server.port"), "{stderr}");

    let out = polyphony(&db)
        .env("POLYPHONY__DATABASE__URL", "mysql://localhost/x")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("database.url"));
}

#[test]
fn migrate_applies_the_migrations_once() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let first = polyphony(&db).arg("migrate").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).trim(),
        format!("{folders} migration(s) applied")
    );
    let second = polyphony(&db).arg("migrate").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&second.stdout).trim(),
        "0 migration(s) applied"
    );
}

#[test]
fn create_admin_reads_the_password_from_standard_input_and_stores_argon2id() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let mut child = polyphony(&db)
        .args(["create-admin", "--email", "Chair@Example.org"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough passphrase\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("admin chair@example.org ready"));

    let path = db.url.trim_start_matches("sqlite://");
    use diesel::prelude::*;
    let mut conn = diesel::SqliteConnection::establish(path).unwrap();
    let (hash, role): (String, String) = polyphony::db::schema::users::table
        .filter(polyphony::db::schema::users::email.eq("chair@example.org"))
        .select((
            polyphony::db::schema::users::password_hash,
            polyphony::db::schema::users::role,
        ))
        .first(&mut conn)
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(polyphony::accounts::passwords::verify(
        "a long enough passphrase",
        &hash
    ));
    assert_eq!(role, "admin");
}

#[test]
fn create_admin_refuses_a_short_password() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let mut child = polyphony(&db)
        .args(["create-admin", "--email", "chair@example.org"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("12 to 128"));
}

/// `load-demo` loads both demos once, and the printed passphrase signs the
/// demo participant in to a round 2 that follows a published round 1.
async fn load_demo_loads_both_demos_once(backend: Backend) {
    let Some(db) = TestDatabase::create(backend) else {
        return;
    };
    let first = succeeded(&polyphony(&db).arg("load-demo").output().unwrap());
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(
        lines[..2],
        ["demo consultation loaded", "demo of two rounds loaded"],
        "{first}"
    );
    assert_eq!(
        lines[2].trim(),
        "e-mail:    participant@polyphony.localhost"
    );
    let passphrase = lines[3]
        .trim()
        .strip_prefix("passphrase: ")
        .unwrap()
        .to_string();
    let second = succeeded(&polyphony(&db).arg("load-demo").output().unwrap());
    assert_eq!(
        second,
        "the demo consultation is already there\nthe demo of two rounds is already there"
    );

    let settings = crate::helpers::test_settings(&db);
    let app = crate::helpers::spawn_with(db, settings, backend).await;
    let (status, _) = app
        .get_text("/consultations/expert-rounds/rounds/1/report")
        .await;
    assert_eq!(status, 200, "round 1 is published");
    let participant = app.new_browser();
    let res = participant
        .login("participant@polyphony.localhost", &passphrase)
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = participant
        .get_text("/consultations/expert-rounds/rounds/2")
        .await;
    assert!(
        page.contains("Start from my previous answers"),
        "round 2 follows round 1"
    );
    let (_, answers) = participant
        .get_text("/consultations/expert-rounds/rounds/1/answers")
        .await;
    assert!(
        answers.contains("Partly accepted"),
        "answers are open on round 1"
    );
}

on_both_backends! {
    load_demo_loads_both_demos_once_case => load_demo_loads_both_demos_once;
}

#[test]
fn seed_synthetic_adds_realistic_submissions() {
    let db = TestDatabase::create(Backend::Sqlite).unwrap();
    let out = polyphony(&db)
        .args(["seed-synthetic", "--participants", "600"])
        .output()
        .unwrap();
    assert!(succeeded(&out).starts_with("seeded 600 participants"));
    use diesel::prelude::*;
    use polyphony::db::schema::{positions, submissions};
    let mut conn =
        diesel::SqliteConnection::establish(db.url.trim_start_matches("sqlite://")).unwrap();
    let groups: Vec<(String, i64)> = submissions::table
        .group_by(submissions::stakeholder_group)
        .select((submissions::stakeholder_group, diesel::dsl::count_star()))
        .load(&mut conn)
        .unwrap();
    assert!(groups.len() >= 6, "several groups: {groups:?}");
    let largest = groups.iter().map(|g| g.1).max().unwrap();
    let smallest = groups.iter().map(|g| g.1).min().unwrap();
    assert!(
        largest > 5 * smallest,
        "groups of very different sizes: {groups:?}"
    );
    let withdrawn: i64 = submissions::table
        .filter(submissions::status.eq("withdrawn"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(withdrawn > 0);
    let positions: i64 = positions::table.count().get_result(&mut conn).unwrap();
    assert_eq!(positions, 600 * 12);
}

/// The container health check: `polyphony healthcheck` asks the configured
/// port for /healthz, so it passes only while the application answers there.
#[actix_web::test]
async fn healthcheck_passes_while_the_server_answers_and_fails_when_nothing_listens() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let port = app.address.rsplit(':').next().unwrap().to_string();
    let mut answering = polyphony(&app.database);
    answering
        .env("POLYPHONY__SERVER__PORT", &port)
        .arg("healthcheck");
    let out = actix_web::rt::task::spawn_blocking(move || answering.output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(succeeded(&out), "ok");

    let unused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = polyphony(&app.database)
        .env("POLYPHONY__SERVER__PORT", unused.to_string())
        .arg("healthcheck")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("connecting to 127.0.0.1"), "{stderr}");
}

/// Every message exists in both languages, and every message is used: by a
/// literal key in a template or in the code, or through one of the prefixes
/// the code completes at run time.
#[test]
fn the_english_and_french_catalogs_are_complete_and_used() {
    fn keys(path: &str) -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
            .filter_map(|l| {
                l.split_once(" = ")
                    .or_else(|| l.split_once(" ="))
                    .map(|(k, _)| k.trim().to_string())
            })
            .filter(|k| !k.is_empty() && !k.starts_with('*') && !k.starts_with('['))
            .collect()
    }
    let en = keys("src/i18n/locales/en/main.ftl");
    let fr = keys("src/i18n/locales/fr/main.ftl");
    let missing_fr: Vec<_> = en.difference(&fr).collect();
    let missing_en: Vec<_> = fr.difference(&en).collect();
    assert!(missing_fr.is_empty(), "missing in French: {missing_fr:?}");
    assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");

    let mut sources = String::new();
    for dir in ["templates", "src"] {
        for entry in walk(std::path::Path::new(dir)) {
            if entry.extension().is_some_and(|e| e == "hbs" || e == "rs") {
                sources.push_str(&std::fs::read_to_string(&entry).unwrap());
            }
        }
    }
    const DYNAMIC: &[&str] = &[
        "state-",
        "stance-",
        "group-",
        "month-",
        "error-4",
        "error-5",
        "region-",
        "audit-",
        "action-",
        "confirm-",
        "change-",
        "status-",
        "revision-",
        "role-",
        "label-",
        "locale-",
        "disclosure-",
        "email-",
        "round-",
        "import-error-",
        "refusal-",
        "field-",
        "submission-",
        "membership-",
    ];
    let unused: Vec<_> = en
        .iter()
        .filter(|k| !sources.contains(&format!("\"{k}\"")))
        .filter(|k| !DYNAMIC.iter().any(|p| k.starts_with(p)))
        .collect();
    assert!(
        unused.is_empty(),
        "messages no template or code uses: {unused:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
