//! In-process benchmarks: the report's aggregation over a seeded SQLite round
//! and campaign detection over many comments. `scripts/bench.sh` times the
//! same aggregation at 10k–1M submissions on both databases, one process each
//! so peak memory can be read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use polyphony::clock::Clock;
use polyphony::codes::StakeholderGroup;
use polyphony::db::Db;
use polyphony::reports::{self, campaigns};
use std::time::Duration;

fn seeded_round(
    submissions: usize,
) -> (
    tempfile::TempDir,
    Db,
    polyphony::rounds::Round,
    Vec<polyphony::drafts::Provision>,
) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.sqlite3").display());
    let db = Db::open(&polyphony::config::DatabaseSettings {
        url,
        pool_size: 2,
        connect_timeout_secs: 5,
        statement_timeout_secs: 60,
        sqlite_synchronous: polyphony::config::SqliteSynchronous::Normal,
    })
    .unwrap();
    db.migrate().unwrap();
    let mut conn = db.get().unwrap();
    let clock = Clock::default();
    polyphony::demo::load(&mut conn, &clock).unwrap();
    let c = polyphony::consultations::find_by_slug(&mut conn, polyphony::demo::SLUG).unwrap();
    let (round, _) = polyphony::rounds::find(&mut conn, c.id, 1).unwrap();
    let provisions = polyphony::drafts::provisions_of(&mut conn, round.draft_version_id).unwrap();
    polyphony::synthetic::seed(&mut conn, round.id, &provisions, submissions, clock.now()).unwrap();
    drop(conn);
    (dir, db, round, provisions)
}

fn aggregation(c: &mut Criterion) {
    let (_dir, db, round, provisions) = seeded_round(10_000);
    let mut conn = db.get().unwrap();
    c.bench_function("aggregate 10k submissions x 12 provisions (SQLite)", |b| {
        b.iter(|| reports::aggregate(&mut conn, &round, &provisions).unwrap())
    });
}

fn campaign_detection(c: &mut Criterion) {
    let texts = [
        "Protect local creators: every platform must show how it ranks local music, films and books.",
        "Keep the internet open. This protocol must not let governments decide what we can read online.",
    ];
    let comments: Vec<campaigns::CommentRef> = (0..10_000)
        .map(|i| campaigns::CommentRef {
            id: i,
            text: if i % 5 == 0 {
                texts[(i % 2) as usize].to_string()
            } else {
                format!(
                    "Comment {i}: the wording of article {} should be clearer about obligations.",
                    i % 12
                )
            },
            group: StakeholderGroup::CivilSociety,
        })
        .collect();
    c.bench_function("campaign detection over 10k comments", |b| {
        b.iter(|| {
            campaigns::detect(
                &comments,
                reports::CAMPAIGN_THRESHOLD,
                reports::CAMPAIGN_MIN_SIZE,
            )
        })
    });
}

/// Movement between two rounds of 10,000 participants on 12 provisions
/// (120,000 pairs): the figures, then movement.csv.
fn movement(c: &mut Criterion) {
    use polyphony::reports::movement::{Builder, CsvWriter, Member, Pair, Panel};
    use polyphony::submissions::Stance;
    let keys: Vec<String> = (1..=12).map(|i| format!("art-{i}")).collect();
    let pairs: Vec<Vec<Pair>> = (0..keys.len() as i64)
        .map(|k| {
            (0..10_000i64)
                .map(|p| Pair {
                    member: Member::Person(p),
                    group: StakeholderGroup::ALL[(p % 7) as usize],
                    region: ["africa", "americas", "asia", "europe", "oceania"][(p % 5) as usize],
                    named: p % 3 == 0,
                    from: Stance::ALL[((p + k) % 4) as usize],
                    to: Stance::ALL[((p * 7 + k) % 4) as usize],
                })
                .collect()
        })
        .collect();
    c.bench_function("movement figures, 10k participants x 12 provisions", |b| {
        b.iter(|| {
            let mut m = Builder::new(1, 3);
            for (key, pairs) in keys.iter().zip(&pairs) {
                m.provision(key, pairs);
            }
            m.finish()
        })
    });
    c.bench_function("movement.csv, 10k participants x 12 provisions", |b| {
        b.iter(|| {
            let mut csv = CsvWriter::new().unwrap();
            for (key, pairs) in keys.iter().zip(&pairs) {
                csv.provision(Panel::PerPerson, key, pairs, |m| match m {
                    Member::Person(id) | Member::Organization(id) => format!("{id:016x}"),
                })
                .unwrap();
            }
            csv.finish().unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = aggregation, campaign_detection, movement
}
criterion_main!(benches);
