//! The commands `scripts/bench.sh` drives, built only with the `bench`
//! feature: synthetic rounds, pre-made writers with sessions and CSRF tokens,
//! direct commits, timed aggregation, and checking that every acknowledged
//! receipt was stored.

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::schema::submission_revisions;
use crate::db::{Db, DbConnection};
use crate::rounds::{self, Attribution, NewRound, Round};
use crate::{accounts, consultations, drafts, synthetic};
use actix_web::cookie::{Cookie, CookieJar};
use anyhow::{Context, bail};
use clap::Subcommand;
use diesel::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

/// The benchmarks publish a round's report the way `polyphony publish-report` does.
pub use crate::cli::publish_report as publish;

/// The round a benchmark command works on.
#[derive(clap::Args)]
pub struct RoundArg {
    #[arg(long, default_value = crate::demo::SLUG)]
    consultation: String,
    #[arg(long)]
    round: i32,
}

#[derive(Subcommand)]
pub enum Command {
    /// Add synthetic participants and their submissions to a round (benchmarks).
    SeedSynthetic {
        #[arg(long, default_value = crate::demo::SLUG)]
        consultation: String,
        #[arg(long, default_value_t = 1)]
        round: i32,
        #[arg(long, default_value_t = 10_000)]
        participants: usize,
        /// Instead of new participants: 85% of those who submitted to round
        /// FOLLOWS answer ROUND (made open when missing, following it) with
        /// their stances moved.
        #[arg(long)]
        follows: Option<i32>,
    },
    /// Benchmarks: make COUNT participants with sessions and write one line per
    /// participant (`cookie<TAB>form body with CSRF token`) to OUT; the round is
    /// created open when it does not exist. With `--saved`, each has already
    /// saved that form as a draft.
    #[command(hide = true)]
    BenchWriters {
        #[command(flatten)]
        target: RoundArg,
        #[arg(long)]
        count: usize,
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long)]
        saved: bool,
    },
    /// Benchmarks: a consultation SLUG whose draft is a bilingual regulation
    /// of 100 articles in parts, chapters and an annex (a form of nine
    /// pages), with round 1 open.
    #[command(hide = true)]
    BenchLongDraft {
        #[arg(long)]
        slug: String,
    },
    /// Benchmarks: commit COUNT submissions of new participants straight through
    /// diesel from THREADS threads and print the rate.
    #[command(hide = true)]
    BenchDirect {
        #[command(flatten)]
        target: RoundArg,
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 8)]
        threads: usize,
    },
    /// Benchmarks: time the report's aggregation of a round and print the
    /// seconds, the positions counted and the peak memory.
    #[command(hide = true)]
    BenchAggregate {
        #[command(flatten)]
        target: RoundArg,
    },
    /// Benchmarks: time a round's movement figures and movement.csv, as
    /// publication computes them, and print the seconds, the pairs, the
    /// CSV's size and the peak memory.
    #[command(hide = true)]
    BenchMovement {
        #[command(flatten)]
        target: RoundArg,
    },
    /// Benchmarks: time the organizers' draft report computed on the request
    /// (as the page did before it became a job), then the background job that
    /// computes and stores it, and the data stamp a page reads.
    #[command(hide = true)]
    BenchReportJob {
        #[command(flatten)]
        target: RoundArg,
    },
    /// Benchmarks: index a round for the analysis workspace, then time a
    /// search with two filters, its facet counts and bulk tagging.
    #[command(hide = true)]
    BenchAnalysis {
        #[command(flatten)]
        target: RoundArg,
    },
    /// Benchmarks: mark the e-mails queued for synthetic participants as sent.
    #[command(hide = true)]
    BenchSkipMail,
    /// Benchmarks: check that every receipt code in FILE (one a line) is stored.
    #[command(hide = true)]
    CheckReceipts { file: std::path::PathBuf },
}

pub fn run(settings: &Settings, command: Command) -> anyhow::Result<()> {
    let db = Db::open(&settings.database)?;
    match command {
        Command::SeedSynthetic {
            consultation,
            round,
            participants,
            follows: Some(earlier),
        } => {
            let mut conn = db.get()?;
            let clock = Clock::default();
            let c = consultations::find_by_slug(&mut conn, &consultation)
                .with_context(|| format!("no consultation `{consultation}`"))?;
            let (earlier, _) = rounds::find(&mut conn, c.id, earlier)
                .with_context(|| format!("no round {earlier}"))?;
            let r = open_round(&mut conn, &consultation, round, &clock)?;
            diesel::update(crate::db::schema::rounds::table.find(r.id))
                .set(crate::db::schema::rounds::follows_round_id.eq(earlier.id))
                .execute(&mut conn)?;
            let provisions = drafts::provisions_of(&mut conn, r.draft_version_id)?;
            let started = std::time::Instant::now();
            let made = synthetic::seed_follow_up(
                &mut conn,
                earlier.id,
                r.id,
                &provisions,
                85,
                clock.now(),
            )?;
            println!(
                "seeded {made} of round {}'s participants into round {round} in {:.1} s (asked for {participants})",
                earlier.number,
                started.elapsed().as_secs_f64()
            );
        }
        Command::SeedSynthetic {
            consultation,
            round,
            participants,
            follows: None,
        } => {
            db.migrate()?;
            let mut conn = db.get()?;
            let clock = Clock::default();
            crate::demo::load(&mut conn, &clock)?;
            let c = consultations::find_by_slug(&mut conn, &consultation)
                .with_context(|| format!("no consultation `{consultation}`"))?;
            let (r, _) = rounds::find(&mut conn, c.id, round)
                .with_context(|| format!("no round {round}"))?;
            let provisions = drafts::provisions_of(&mut conn, r.draft_version_id)?;
            let started = std::time::Instant::now();
            let made = synthetic::seed(&mut conn, r.id, &provisions, participants, clock.now())?;
            println!(
                "seeded {made} participants with submissions in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        Command::BenchWriters {
            target,
            count,
            out,
            saved,
        } => {
            db.migrate()?;
            let RoundArg {
                consultation,
                round,
            } = &target;
            let conn = &mut *db.get()?;
            writers(settings, conn, (consultation, *round), count, saved, &out)?;
            println!("{count} writers for round {round} in {}", out.display());
        }
        Command::BenchLongDraft { slug } => {
            db.migrate()?;
            long_draft(&mut *db.get()?, &slug)?;
            println!("consultation {slug}: 100 articles, round 1 open");
        }
        Command::BenchDirect {
            target,
            count,
            threads,
        } => {
            db.migrate()?;
            let rate = direct_submits(&db, &target.consultation, target.round, count, threads)?;
            println!("direct_submits_per_s {rate:.0}");
            let [queued, first, again] =
                index_ms(&mut *db.get()?, &target.consultation, target.round)?;
            // A submit's wall time is 1000 / rate ms: each share is of that.
            // Only the queueing is in the submit's transaction; indexing is
            // done after, by the background worker, in batches.
            for (name, ms) in [
                ("analysis_queue_ms_per_submit", queued),
                ("analysis_index_ms_per_first_submit", first),
                ("analysis_index_ms_per_resubmit", again),
            ] {
                println!("{name} {ms:.3} share_of_submit_pct {:.1}", ms * rate / 10.0);
            }
        }
        Command::BenchAnalysis { target } => {
            bench_analysis(&mut *db.get()?, &target.consultation, target.round)?;
        }
        Command::BenchAggregate { target } => {
            let (seconds, positions) =
                time_aggregate(&mut *db.get()?, &target.consultation, target.round)?;
            println!(
                "aggregate_seconds {seconds:.3} positions {positions} peak_rss_mb {:.0}",
                peak_rss_mb().unwrap_or(0.0)
            );
        }
        Command::BenchMovement { target } => {
            let (seconds, pairs, bytes) =
                time_movement(&mut *db.get()?, &target.consultation, target.round)?;
            println!(
                "movement_seconds {seconds:.3} pairs {pairs} csv_bytes {bytes} peak_rss_mb {:.0}",
                peak_rss_mb().unwrap_or(0.0)
            );
        }
        Command::BenchReportJob { target } => {
            let (live, job, stamp) = time_report_job(&db, &target.consultation, target.round)?;
            println!(
                "live_seconds {live:.2} job_seconds {job:.2} stamp_ms {:.3} peak_rss_mb {:.0}",
                stamp * 1000.0,
                peak_rss_mb().unwrap_or(0.0)
            );
        }
        Command::BenchSkipMail => {
            let n = skip_synthetic_mail(&mut *db.get()?)?;
            println!("{n} e-mails to synthetic participants marked sent");
        }
        Command::CheckReceipts { file } => {
            let (found, total) = check_receipts(&mut *db.get()?, &file)?;
            println!("{found} of {total} receipts are stored");
            if found != total {
                bail!("{} acknowledged receipts are missing", total - found);
            }
        }
    }
    Ok(())
}

/// Round `number`, made open now (with the consultation's latest draft) when
/// it does not exist yet.
pub fn open_round(
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
    clock: &Clock,
) -> anyhow::Result<Round> {
    let c = consultations::find_by_slug(conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    if let Ok((r, _)) = rounds::find(conn, c.id, number) {
        return Ok(r);
    }
    let draft = drafts::versions_of(conn, c.id)?
        .pop()
        .context("the consultation has no draft")?;
    let now = clock.now();
    let round = rounds::create(
        conn,
        &NewRound {
            consultation: c.id,
            draft_version: draft.id,
            opens_at: now - time::Duration::minutes(1),
            closes_at: now + time::Duration::days(30),
            attribution: Attribution::Open,
            counting: rounds::Counting::PerPerson,
            announce: true,
        },
        None,
        now,
    )?;
    if round.number != number {
        bail!(
            "round {number} does not exist and the next one would be {}",
            round.number
        );
    }
    Ok(round)
}

/// The encrypted session cookie the application would set for this session.
fn session_cookie(
    key: &actix_web::cookie::Key,
    session_token: &str,
    csrf: &str,
) -> anyhow::Result<String> {
    // actix-session's cookie store keeps a JSON map of JSON-encoded values.
    let state: HashMap<&str, String> = HashMap::from([
        (
            crate::web::page::SESSION_TOKEN,
            serde_json::to_string(session_token)?,
        ),
        (crate::web::page::CSRF, serde_json::to_string(csrf)?),
    ]);
    let mut jar = CookieJar::new();
    jar.private_mut(key)
        .add(Cookie::new("polyphony", serde_json::to_string(&state)?));
    Ok(jar
        .get("polyphony")
        .context("cookie just added")?
        .value()
        .to_string())
}

/// Writes `count` lines `cookie<TAB>body` for `count` new participants, each
/// body a complete submission to round `number` of `slug` including its CSRF
/// token; with `saved`, each participant's draft already holds those answers.
pub fn writers(
    settings: &Settings,
    conn: &mut DbConnection,
    (slug, number): (&str, i32),
    count: usize,
    saved: bool,
    out: &Path,
) -> anyhow::Result<()> {
    use crate::submissions::{self, NewRevision, RevisionAction, form};
    let clock = Clock::default();
    let round = open_round(conn, slug, number, &clock)?;
    let provisions = drafts::provisions_of(conn, round.draft_version_id)?;
    let key = crate::startup::session_key(settings)?;
    let made = synthetic::writers(conn, count, clock.now())?;
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?,
    );
    for (i, w) in made.iter().enumerate() {
        let csrf = accounts::tokens::generate();
        let cookie = session_cookie(&key, &w.session_token, &csrf)?;
        let body = synthetic::submit_form(&provisions, i as u64);
        if saved {
            let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            let input = form::parse(&pairs, &provisions, round.attribution())
                .map_err(|e| anyhow::anyhow!("synthetic form: {}", e.0))?
                .input;
            let user = accounts::find(conn, w.user)?;
            let change = NewRevision::new(RevisionAction::Save, clock.now());
            crate::db::write_transaction(conn, |c| {
                submissions::save(
                    c,
                    &round,
                    &provisions,
                    submissions::Owner::Person { member: false },
                    &user,
                    &input,
                    &change,
                )
            })?;
        }
        writeln!(file, "polyphony={cookie}\tcsrf_token={csrf}&{body}")?;
    }
    file.flush()?;
    Ok(())
}

/// The consultation `slug` with `synthetic::regulation` as its draft (English,
/// translated into French, articles at heading level 5) and round 1 open.
pub fn long_draft(conn: &mut DbConnection, slug: &str) -> anyhow::Result<()> {
    use crate::codes::{Locale, StakeholderGroup};
    use crate::drafts::{import, translation};
    let clock = Clock::default();
    let now = clock.now();
    let english = synthetic::regulation(false, "1", 100);
    let french = synthetic::regulation(true, "premier", 100);
    let parsed = import::parse(&english, 5)?;
    let id = consultations::create(
        conn,
        &consultations::NewConsultation {
            slug,
            title: "Regulation on platforms",
            summary: "A regulation of 100 articles in two parts, eight chapters and an annex.",
            locale: Locale::En,
            eligible_groups: StakeholderGroup::ALL,
        },
        None,
        now,
    )?
    .with_context(|| format!("the slug `{slug}` is taken"))?;
    let version = drafts::store(conn, id, &parsed, &english, Locale::En, None, now)?;
    let provisions = drafts::provisions_of(conn, version.id)?;
    let divisions = drafts::divisions_of(conn, version.id)?;
    let translated = translation::parse(&french, 5, &provisions, &divisions)?;
    translation::store(conn, &version, &translated, &french)?;
    open_round(conn, slug, 1, &clock)?;
    Ok(())
}

/// How many of the receipt codes in `file` (one a line) are stored.
pub fn check_receipts(conn: &mut DbConnection, file: &Path) -> anyhow::Result<(usize, usize)> {
    let reader = std::io::BufReader::new(
        std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?,
    );
    let mut codes = Vec::new();
    for line in reader.lines() {
        let line = line?;
        let code = line.trim();
        if !code.is_empty() {
            codes.push(code.to_string());
        }
    }
    let mut found = 0;
    for chunk in codes.chunks(500) {
        let n: i64 = submission_revisions::table
            .filter(submission_revisions::receipt_code.eq_any(chunk))
            .count()
            .get_result(conn)?;
        found += n as usize;
    }
    Ok((found, codes.len()))
}

/// The rate at which the rows of a submission (submission, positions,
/// revision) can be committed through diesel with no HTTP in between: `count`
/// new participants each submit once, from `threads` threads, one transaction
/// each, as the web handler does. Returns submissions per second.
pub fn direct_submits(
    db: &crate::db::Db,
    slug: &str,
    number: i32,
    count: usize,
    threads: usize,
) -> anyhow::Result<f64> {
    use crate::submissions::{self, NewRevision, RevisionAction, form};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let clock = Clock::default();
    let mut conn = db.get()?;
    let round = open_round(&mut conn, slug, number, &clock)?;
    let provisions = drafts::provisions_of(&mut conn, round.draft_version_id)?;
    let writers = synthetic::writers(&mut conn, count, clock.now())?;
    let mut users = Vec::with_capacity(count);
    for w in &writers {
        users.push(accounts::find(&mut conn, w.user)?);
    }
    drop(conn);
    let inputs: Vec<submissions::Input> = (0..count)
        .map(|i| {
            let body = synthetic::submit_form(&provisions, i as u64);
            let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            form::parse(&pairs, &provisions, round.attribution())
                .map(|p| p.input)
                .map_err(|e| anyhow::anyhow!("synthetic form: {}", e.0))
        })
        .collect::<anyhow::Result<_>>()?;
    let next = AtomicUsize::new(0);
    let started = std::time::Instant::now();
    std::thread::scope(|s| -> anyhow::Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> anyhow::Result<()> {
                    let mut conn = db.get()?;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            return Ok(());
                        }
                        let change = NewRevision::new(RevisionAction::Submit, clock.now());
                        crate::db::write_transaction(&mut conn, |c| {
                            submissions::save(
                                c,
                                &round,
                                &provisions,
                                submissions::Owner::Person { member: false },
                                &users[i],
                                &inputs[i],
                                &change,
                            )
                        })?;
                    }
                })
            })
            .collect();
        for w in workers {
            w.join()
                .map_err(|_| anyhow::anyhow!("a writer thread panicked"))??;
        }
        Ok(())
    })?;
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

/// What the analysis search costs per submission, in milliseconds, over the
/// round's submitted submissions: queueing it (all a submit's transaction
/// does), then indexing it as the background worker does, in its batches,
/// first with no rows yet and then replacing them.
fn index_ms(conn: &mut DbConnection, slug: &str, number: i32) -> anyhow::Result<[f64; 3]> {
    use crate::analysis::index::{drain_round, queue};
    use crate::db::schema::{analysis_texts, submissions};
    let c = consultations::find_by_slug(conn, slug)?;
    let (round, _) = rounds::find(conn, c.id, number)?;
    let now = Clock::default().now();
    let ids: Vec<crate::db::SubmissionId> = submissions::table
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::status.eq("submitted"))
        .select(submissions::id)
        .load(conn)?;
    // The direct submits queued their submissions: indexed once, then not.
    drain_round(conn, round.id)?;
    diesel::delete(analysis_texts::table.filter(analysis_texts::round_id.eq(round.id)))
        .execute(conn)?;
    let per_submission = |started: std::time::Instant| {
        started.elapsed().as_secs_f64() * 1000.0 / ids.len().max(1) as f64
    };
    let mut queued_and_indexed = || -> anyhow::Result<(f64, f64)> {
        let started = std::time::Instant::now();
        crate::db::write_transaction(conn, |c| {
            ids.iter().try_for_each(|id| queue(c, round.id, *id, now))
        })?;
        let queued = per_submission(started);
        let started = std::time::Instant::now();
        drain_round(conn, round.id)?;
        Ok((queued, per_submission(started)))
    };
    let (queued, first) = queued_and_indexed()?;
    let (_, again) = queued_and_indexed()?;
    Ok([queued, first, again])
}

/// Times `reports::aggregate` on round `number` (after one warm-up run);
/// returns seconds and the counted positions.
pub fn time_aggregate(
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
) -> anyhow::Result<(f64, i64)> {
    let c = consultations::find_by_slug(conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    let (round, _) =
        rounds::find(conn, c.id, number).with_context(|| format!("no round {number}"))?;
    let provisions = drafts::provisions_of(conn, round.draft_version_id)?;
    crate::reports::aggregate(conn, &round, &provisions)?;
    let started = std::time::Instant::now();
    let (counted, _) = crate::reports::aggregate(conn, &round, &provisions)?;
    let seconds = started.elapsed().as_secs_f64();
    let counted = counted
        .figures
        .iter()
        .map(|f| {
            f.overall.support
                + f.overall.support_with_changes
                + f.overall.oppose
                + f.overall.no_position
        })
        .sum();
    Ok((seconds, counted))
}

/// Times the movement of round `number` (after one warm-up run); returns
/// seconds, the pairs of its panels and movement.csv's bytes.
pub fn time_movement(
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
) -> anyhow::Result<(f64, i64, usize)> {
    let c = consultations::find_by_slug(conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    let (round, _) =
        rounds::find(conn, c.id, number).with_context(|| format!("no round {number}"))?;
    crate::reports::movement_of(conn, &round)?;
    let started = std::time::Instant::now();
    let (movements, csv) =
        crate::reports::movement_of(conn, &round)?.context("the round follows no round")?;
    let seconds = started.elapsed().as_secs_f64();
    let pairs = movements
        .iter()
        .flat_map(|m| &m.provisions)
        .map(|p| p.overall.answered_both)
        .sum();
    Ok((seconds, pairs, csv.len()))
}

/// Prints the analysis workspace's timings on round `number`: indexing the
/// texts loaded without a submit, a search with two filters (p50/p95 of 20),
/// its facet counts, and tagging 1,000 chosen texts and every result of a
/// search in one batch each.
pub fn bench_analysis(conn: &mut DbConnection, slug: &str, number: i32) -> anyhow::Result<()> {
    use crate::analysis::search::{self, Filters};
    use crate::analysis::words::Query;
    use crate::analysis::{TextKind, TextRef, index, tags};
    let clock = Clock::default();
    let c = consultations::find_by_slug(conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    let (round, _) =
        rounds::find(conn, c.id, number).with_context(|| format!("no round {number}"))?;
    let started = std::time::Instant::now();
    let indexed = index::catch_up(conn, round.id, clock.now())?;
    println!(
        "analysis_index texts {indexed} seconds {:.2}",
        started.elapsed().as_secs_f64()
    );
    let two = Filters {
        query: Query::parse("obligations"),
        group: Some(crate::codes::StakeholderGroup::CivilSociety),
        stance: Some(crate::submissions::Stance::Oppose),
        ..Filters::default()
    };
    // The window of 50 results alone, then the whole page's search: that
    // window and the counts per facet, whose sum is the total.
    let p50_p95 = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        (times[9], times[18])
    };
    let mut times = vec![];
    for _ in 0..20 {
        let started = std::time::Instant::now();
        search::hits(conn, round.id, &two, 0, 50)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p95) = p50_p95(&mut times);
    println!("analysis_search_two_filters_results p50_ms {p50:.1} p95_ms {p95:.1}");
    let mut times = vec![];
    let mut total = 0;
    for _ in 0..20 {
        let started = std::time::Instant::now();
        total = search::search(conn, round.id, &two, 0, 50)?.total;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p95) = p50_p95(&mut times);
    println!("analysis_search_two_filters_page total {total} p50_ms {p50:.1} p95_ms {p95:.1}");
    for (name, f) in [
        ("two_filters", two.clone()),
        ("everything", Filters::default()),
    ] {
        let started = std::time::Instant::now();
        search::facets(conn, round.id, &f)?;
        println!(
            "analysis_facets_{name} ms {:.1}",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    // Taggings name who made them: any account will do here.
    let by: crate::db::UserId = crate::db::schema::users::table
        .order(crate::db::schema::users::id)
        .select(crate::db::schema::users::id)
        .first(conn)?;
    let input = tags::TagInput {
        label: format!("Bench {}", uuid::Uuid::new_v4().simple()),
        ..Default::default()
    };
    let tag = tags::save(conn, c.id, None, &input, by, clock.now())?
        .map_err(|e| anyhow::anyhow!("tag: {e:?}"))?;
    let ids: Vec<i64> = search::all_matching(conn, round.id, &Filters::default())?
        .into_iter()
        .filter(|(k, _)| k == TextKind::Position.as_str())
        .take(1_000)
        .map(|(_, id)| id)
        .collect();
    let chosen: Vec<TextRef> = ids
        .iter()
        .map(|id| TextRef {
            kind: TextKind::Position,
            id: *id,
        })
        .collect();
    let started = std::time::Instant::now();
    let made = tags::tag_texts(
        conn,
        round.id,
        &chosen,
        tag,
        "bench-selected",
        by,
        clock.now(),
    )?;
    println!(
        "analysis_tag_selected texts {made} ms {:.1}",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let search_all = Filters {
        query: Query::parse("wording"),
        group: Some(crate::codes::StakeholderGroup::Government),
        ..Filters::default()
    };
    let started = std::time::Instant::now();
    let made = tags::tag_search(
        conn,
        round.id,
        &search_all,
        tag,
        "bench-all",
        by,
        clock.now(),
    )?;
    println!(
        "analysis_tag_search texts {made} ms {:.1}",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = std::time::Instant::now();
    let undone = tags::undo_batch(conn, round.id, "bench-all", by, clock.now())?;
    println!(
        "analysis_undo_batch texts {undone} ms {:.1}",
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// This process's peak resident memory in MB (Linux), for the aggregation figure.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Marks the e-mails queued for synthetic participants (`@example.invalid`,
/// e.g. the 100,000 "report published" notices) as sent, so their delivery
/// does not run during the measurements that follow. Returns how many.
pub fn skip_synthetic_mail(conn: &mut DbConnection) -> anyhow::Result<usize> {
    use crate::db::schema::outbox;
    Ok(diesel::update(
        outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::recipient.like("%@example.invalid")),
    )
    .set((
        outbox::status.eq("sent"),
        outbox::sent_at.eq(Clock::default().now()),
    ))
    .execute(conn)?)
}

/// Seconds of the draft report computed on the request, of the job computing
/// and storing it, and of one data stamp.
pub fn time_report_job(db: &Db, slug: &str, number: i32) -> anyhow::Result<(f64, f64, f64)> {
    use crate::reports::jobs;
    let clock = Clock::default();
    let mut conn = db.get()?;
    let c = consultations::find_by_slug(&mut conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    let (round, _) =
        rounds::find(&mut conn, c.id, number).with_context(|| format!("no round {number}"))?;
    let (started, cpu) = (std::time::Instant::now(), thread_cpu_seconds());
    let mut out = crate::reports::Preview::new("", 0, 5);
    crate::reports::build(&mut conn, &c, &round, 0, "", clock.now(), &mut out)?;
    let live = started.elapsed().as_secs_f64();
    let live_cpu = thread_cpu_seconds() - cpu;

    let started = std::time::Instant::now();
    let stamp = jobs::stamp(&mut conn, &round, clock.now())?;
    let stamp_time = started.elapsed().as_secs_f64();
    jobs::enqueue(&mut conn, round.id, &stamp.key, clock.now())?;
    drop(conn);
    let (started, cpu) = (std::time::Instant::now(), thread_cpu_seconds());
    let job = jobs::claim(&mut *db.get()?, clock.now())?.context("no job to claim")?;
    jobs::compute(db, &clock, job)?;
    let job_cpu = thread_cpu_seconds() - cpu;
    println!("live_cpu_seconds {live_cpu:.2} job_cpu_seconds {job_cpu:.2}");
    Ok((live, started.elapsed().as_secs_f64(), stamp_time))
}

/// CPU seconds this thread has used (Linux; 0 elsewhere): on a shared machine
/// a figure the other processes do not inflate, as they do wall time.
fn thread_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return 0.0;
    };
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, fields 14 and 15 of the line (11 and 12 after the name).
    (ticks(11) + ticks(12)) / 100.0
}
