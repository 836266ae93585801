//! Hidden command-line helpers for `scripts/bench.sh`: pre-made writers with
//! sessions and CSRF tokens, publishing a report without the web flow, and
//! checking that every acknowledged receipt was stored.

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{submission_revisions, users};
use crate::rounds::{self, Attribution, NewRound, Round};
use crate::{accounts, consultations, drafts, synthetic};
use actix_web::cookie::{Cookie, CookieJar};
use anyhow::{Context, bail};
use diesel::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;

fn any_admin(conn: &mut DbConnection) -> anyhow::Result<crate::db::UserId> {
    users::table
        .filter(users::role.eq("admin"))
        .select(users::id)
        .first(conn)
        .optional()?
        .context("no admin yet: run `polyphony create-admin --email E` first")
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
/// body a complete submission to round `number` including its CSRF token.
pub fn writers(
    settings: &Settings,
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
    count: usize,
    out: &Path,
) -> anyhow::Result<()> {
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
        writeln!(file, "polyphony={cookie}\tcsrf_token={csrf}&{body}")?;
    }
    file.flush()?;
    Ok(())
}

/// Closes round `number` if it is open, then publishes its report.
pub fn publish(
    settings: &Settings,
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
    note: &str,
) -> anyhow::Result<()> {
    let clock = Clock::default();
    let actor = any_admin(conn)?;
    let c = consultations::find_by_slug(conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    let (round, published) =
        rounds::find(conn, c.id, number).with_context(|| format!("no round {number}"))?;
    if round.state_at(clock.now(), published) == rounds::RoundState::Open {
        rounds::close_now(conn, &round, published, actor, clock.now())?
            .map_err(|e| anyhow::anyhow!("closing: {e:?}"))?;
    }
    let (round, published) = rounds::find(conn, c.id, number)?;
    let templates = std::sync::Arc::new(crate::templates::Templates::load()?);
    let notifier = crate::notifications::Notifier::new(templates, &settings.app.base_url);
    crate::reports::publish(conn, &notifier, &round, published, note, actor, clock.now())
        .map_err(|e| anyhow::anyhow!("publishing: {e}"))?
        .map_err(|e| anyhow::anyhow!("publishing refused: {e:?}"))?;
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
    let (figures, _) = crate::reports::aggregate(conn, &round, &provisions)?;
    let seconds = started.elapsed().as_secs_f64();
    let counted = figures
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
