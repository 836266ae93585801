//! Backup and restore: SQLite with `polyphony backup` while the application
//! serves, PostgreSQL with pg_dump and psql; the restored database serves the
//! same published report.

use super::support::*;
use crate::helpers::{
    Backend, Browser, TestApp, TestDatabase, spawn_app, spawn_with, test_settings,
};
use std::process::Command;

const ADMIN_ROUND: &str = "/admin/consultations/additional-protocol/rounds/1";
const REPORT: &str = "/consultations/additional-protocol/rounds/1/report.json";

async fn answer(b: &Browser, stance: &str, comment: &str) {
    let res = b
        .submit(
            ROUND,
            SUBMISSION,
            &[
                ("action", "submit"),
                ("stance[art-1]", stance),
                ("comment[art-1]", comment),
                ("disclosure", "attributed"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

/// Three answers, then the organizer closes the round and publishes.
async fn publish_a_report(app: &TestApp) -> String {
    for (i, stance) in ["support", "support", "oppose"].iter().enumerate() {
        let b = app
            .participant(&format!("b{i}@example.org"), "civil_society", "FR", true)
            .await;
        answer(&b, stance, &format!("Comment number {i}")).await;
    }
    let admin = app.admin().await;
    for (action, fields) in [("close", vec![]), ("publish", vec![("note", "First")])] {
        let path = format!("{ADMIN_ROUND}/{action}");
        assert_eq!(admin.submit(&path, &path, &fields).await.status(), 303);
    }
    let (status, json) = app.get_text(REPORT).await;
    assert_eq!(status, 200);
    assert!(json.contains("Comment number 2"));
    json
}

fn polyphony(url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_polyphony"));
    cmd.env("POLYPHONY__DATABASE__URL", url)
        .env("RUST_LOG", "warn");
    cmd
}

fn tool_missing(tool: &str) -> bool {
    let missing = Command::new(tool).arg("--version").output().is_err();
    if missing {
        crate::skips::record("pg_dump or psql is not installed");
    }
    missing
}

async fn a_restored_backup_serves_the_same_published_report(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let before = publish_a_report(&app).await;
    let restored = TestDatabase::create(backend).unwrap();
    match backend {
        Backend::Sqlite => {
            // Taken while the application serves.
            let file = app.database.dir().join("backup.sqlite3");
            let out = polyphony(&app.database.url)
                .arg("backup")
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("backup written to"));
            let again = polyphony(&app.database.url)
                .arg("backup")
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                !again.status.success(),
                "an existing file is never overwritten"
            );
            assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
            std::fs::copy(&file, restored.url.trim_start_matches("sqlite://")).unwrap();
        }
        Backend::Postgres => {
            let out = polyphony(&app.database.url)
                .arg("backup")
                .arg(app.database.dir().join("nope"))
                .output()
                .unwrap();
            assert!(!out.status.success());
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("pg_dump"),
                "the refusal points at pg_dump"
            );
            if tool_missing("pg_dump") || tool_missing("psql") {
                return;
            }
            let dump = app.database.dir().join("polyphony.sql");
            let out = Command::new("pg_dump")
                .arg("--no-owner")
                .arg(format!("--file={}", dump.display()))
                .arg(&app.database.url)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let out = Command::new("psql")
                .args([
                    "--quiet",
                    "--set",
                    "ON_ERROR_STOP=1",
                    "--single-transaction",
                ])
                .arg(format!("--file={}", dump.display()))
                .arg(&restored.url)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let settings = test_settings(&restored);
    let copy = spawn_with(restored, settings, backend).await;
    assert!(
        copy.first_admin.is_none(),
        "the restored database has its admin"
    );
    let (status, after) = copy.get_text(REPORT).await;
    assert_eq!(status, 200);
    assert_eq!(after, before, "the same report, byte for byte");
}

on_both_backends! {
    a_backup_restored_into_a_new_database_serves_the_same_published_report => a_restored_backup_serves_the_same_published_report;
}
