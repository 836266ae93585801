//! The organizers' draft report, computed by a background job and kept until
//! the round's data changes.
//!
//! A large round's report takes tens of seconds to compute, so no organizer
//! request computes it: a page asks for a job (one row, one per round while
//! it waits or runs), a worker on any instance claims it with a conditional
//! UPDATE, computes the report in a read transaction and stores it with its
//! texts and CSV, as a publication would. Whether a stored result is still
//! current is told by the round's **data stamp**, read in a few index lookups
//! on every page request.
//!
//! Anything that changes what a round's report says and is not a submission
//! calls [`round_changed`] in its transaction (responses, moderation; tags and
//! dispositions), so the stamp moves without a write to the `rounds` row on
//! every submit.

use super::output::{CSV_COLUMNS, CSV_HEADER, Output};
use super::{PublishedComment, ReportError, Snapshot, build};
use crate::clock::{Clock, rfc3339};
use crate::consultations::Consultation;
use crate::db::schema::{
    consultations, draft_versions, provision_responses, report_job_csv_chunks, report_job_texts,
    report_jobs, round_changes, rounds, submissions, users,
};
use crate::db::{Db, DbConnection, DbPooled, PositionId, ReportId, ReportJobId, RoundId};
use crate::rounds::Round;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::Duration;
use time::PrimitiveDateTime;
use tokio::sync::watch;

/// How long a claim lasts; a running job renews it after every provision, so
/// only a worker that died (or lost the database) lets it lapse.
const LEASE: time::Duration = time::Duration::minutes(2);
/// Failed attempts before a job is given up and shown as failed.
pub const MAX_ATTEMPTS: i32 = 4;
const RETRY_BASE: time::Duration = time::Duration::seconds(15);
/// Submissions may still be committing for a moment after a round closes
/// (a submit checked the clock just before); a result computed before then is
/// recomputed once afterwards, so the report that gets published has them.
const SETTLE: time::Duration = time::Duration::minutes(1);
const INSERT_BATCH: usize = 500;
const CSV_CHUNK_BYTES: usize = 1 << 20;

/// Where a stamp's part for the organizers' responses starts: the pages show
/// the responses as they are over a stored result (writing one must not send
/// the organizer to a progress page), a publication needs all of it equal.
const RESPONSES: char = '#';

/// The part of a stamp the figures and texts depend on.
fn data_part(key: &str) -> &str {
    key.split(RESPONSES).next().unwrap_or(key)
}

/// What a round's data looked like, in a few index lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub key: String,
    /// The latest change to the round's submissions.
    pub submissions_as_of: Option<PrimitiveDateTime>,
}

/// 64-bit FNV-1a: a stable digest across instances and builds (the standard
/// library's hasher promises neither).
fn digest(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The round's data stamp at `now`: equal stamps mean the same report.
///
/// Submissions: every save sets `updated_at` (a withdrawal too), read from
/// the index `(round_id, updated_at)`; an erased account changes published
/// names, hence the latest erasure anywhere (rare). The round's dates,
/// policy and minimum group size, the consultation's titles, the draft's
/// translation and the application's version are read whole; organizer
/// changes count in `round_changes`.
pub fn stamp(conn: &mut DbConnection, round: &Round, now: PrimitiveDateTime) -> QueryResult<Stamp> {
    let submissions_as_of: Option<PrimitiveDateTime> = submissions::table
        .filter(submissions::round_id.eq(round.id))
        .select(diesel::dsl::max(submissions::updated_at))
        .first(conn)?;
    let erased: Option<PrimitiveDateTime> = users::table
        .filter(users::deleted_at.is_not_null())
        .select(diesel::dsl::max(users::deleted_at))
        .first(conn)?;
    let changes: i64 = round_changes::table
        .find(round.id)
        .select(round_changes::changes)
        .first(conn)
        .optional()?
        .unwrap_or(0);
    let (slug, locale, title, translated_title, updated_at): (
        String,
        String,
        String,
        Option<String>,
        PrimitiveDateTime,
    ) = consultations::table
        .find(round.consultation_id)
        .select((
            consultations::slug,
            consultations::locale,
            consultations::title,
            consultations::translated_title,
            consultations::updated_at,
        ))
        .first(conn)?;
    let (draft_title, translation): (Option<String>, Option<String>) = draft_versions::table
        .find(round.draft_version_id)
        .select((
            draft_versions::translated_title,
            draft_versions::translated_source_markdown,
        ))
        .first(conn)?;
    let settled = now >= round.effective_close() + SETTLE;
    let texts = digest(&[
        &slug,
        &locale,
        &title,
        translated_title.as_deref().unwrap_or("\u{0}"),
        draft_title.as_deref().unwrap_or("\u{0}"),
        translation.as_deref().unwrap_or("\u{0}"),
    ]);
    let (responses, responded): (i64, Option<PrimitiveDateTime>) = provision_responses::table
        .filter(provision_responses::round_id.eq(round.id))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(provision_responses::updated_at),
        ))
        .first(conn)?;
    let time = |t: Option<PrimitiveDateTime>| t.map(rfc3339).unwrap_or_default();
    let key = format!(
        "{version}|{number}:{opens}:{close}:{attribution}:{min}:{draft}:{settled}:f{follows}|{updated}:{texts:016x}|s{subs}|e{erased}|c{changes}{RESPONSES}{responses}:{responded}",
        responded = time(responded),
        version = env!("CARGO_PKG_VERSION"),
        number = round.number,
        opens = rfc3339(round.opens_at),
        close = rfc3339(round.effective_close()),
        attribution = round.attribution,
        min = round.min_group_size,
        draft = round.draft_version_id,
        follows = round.follows_round_id.map_or(0, |r| r.0),
        updated = rfc3339(updated_at),
        subs = time(submissions_as_of),
        erased = time(erased),
    );
    Ok(Stamp {
        key,
        submissions_as_of,
    })
}

/// Makes the round's data stamp move: call it in the transaction of any
/// organizer change that alters what the round's report says (a response, a
/// hidden text, a tag or a disposition). Never on a submit: submissions have
/// their own part of the stamp, and a write to one row per round would make
/// every submit of the round wait for the others.
pub fn round_changed(
    conn: &mut DbConnection,
    round: RoundId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(round_changes::table.find(round))
        .set((
            round_changes::changes.eq(round_changes::changes + 1),
            round_changes::changed_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(round_changes::table)
            .values((
                round_changes::round_id.eq(round),
                round_changes::changes.eq(1i64),
                round_changes::changed_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A job as the organizer's pages show it.
#[derive(Debug, Clone, Queryable)]
pub struct Job {
    pub id: ReportJobId,
    pub state: String,
    pub stamp: String,
    pub progress: i32,
    pub submissions_as_of: Option<PrimitiveDateTime>,
    pub attempts: i32,
    pub next_attempt_at: PrimitiveDateTime,
    pub error: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub finished_at: Option<PrimitiveDateTime>,
}

macro_rules! job_columns {
    () => {
        (
            report_jobs::id,
            report_jobs::state,
            report_jobs::stamp,
            report_jobs::progress,
            report_jobs::submissions_as_of,
            report_jobs::attempts,
            report_jobs::next_attempt_at,
            report_jobs::error,
            report_jobs::created_at,
            report_jobs::finished_at,
        )
    };
}

macro_rules! job_text_columns {
    () => {
        (
            (
                report_job_texts::provision_key,
                report_job_texts::position_id,
                report_job_texts::name,
                report_job_texts::organization,
                report_job_texts::stakeholder_group,
                report_job_texts::country,
                report_job_texts::stance,
                report_job_texts::comment,
                report_job_texts::proposed_text,
                report_job_texts::hidden_reason,
            ),
            (
                report_job_texts::disposition,
                report_job_texts::disposition_reason,
                report_job_texts::tags,
                report_job_texts::public_id,
                report_job_texts::region,
            ),
        )
    };
}

/// A computed report, stored: its snapshot and where its texts are.
#[derive(Debug, Clone)]
pub struct Stored {
    pub job: Job,
    pub snapshot: String,
}

impl Stored {
    /// The stored report with the organizers' responses as they are now.
    pub fn snapshot(
        &self,
        conn: &mut DbConnection,
        round: RoundId,
    ) -> Result<Snapshot, ReportError> {
        let mut snapshot: Snapshot = serde_json::from_str(&self.snapshot)?;
        let responses = super::responses::responses_of_round(conn, round)?;
        for p in &mut snapshot.provisions {
            p.response = responses.get(&p.key).map(|r| crate::markdown::to_html(r));
        }
        Ok(snapshot)
    }

    /// One window of one list of its texts ('' for the general comments).
    pub fn texts(
        &self,
        conn: &mut DbConnection,
        key: &str,
        offset: i32,
        limit: i32,
    ) -> QueryResult<Vec<PublishedComment>> {
        let rows: Vec<super::published::TextRow> = report_job_texts::table
            .filter(report_job_texts::job_id.eq(self.job.id))
            .filter(report_job_texts::attempt.eq(self.job.attempts))
            .filter(report_job_texts::provision_key.eq(key))
            .filter(report_job_texts::seq.ge(offset))
            .filter(report_job_texts::seq.lt(offset.saturating_add(limit)))
            .order(report_job_texts::seq.asc())
            .select(job_text_columns!())
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|r| super::published::text_of(r).1)
            .collect())
    }

    /// How many of the round's submissions were submitted or changed since
    /// this result: a range of the index `(round_id, updated_at)`.
    pub fn changed_since(&self, conn: &mut DbConnection, round: RoundId) -> QueryResult<i64> {
        let mut query = submissions::table
            .filter(submissions::round_id.eq(round))
            .filter(submissions::status.eq("submitted"))
            .into_boxed();
        if let Some(as_of) = self.job.submissions_as_of {
            query = query.filter(submissions::updated_at.gt(as_of));
        }
        query.count().get_result(conn)
    }
}

/// The latest finished result of a round, current or not.
pub fn latest_done(conn: &mut DbConnection, round: RoundId) -> QueryResult<Option<Stored>> {
    let row: Option<(Job, Option<String>)> = report_jobs::table
        .filter(report_jobs::round_id.eq(round))
        .filter(report_jobs::state.eq("done"))
        .order(report_jobs::id.desc())
        .select((job_columns!(), report_jobs::snapshot))
        .first(conn)
        .optional()?;
    Ok(row.map(|(job, snapshot)| Stored {
        job,
        snapshot: snapshot.unwrap_or_default(),
    }))
}

/// The round's stored result when it is current at `now`.
pub fn current(
    conn: &mut DbConnection,
    round: &Round,
    now: PrimitiveDateTime,
) -> QueryResult<Option<Stored>> {
    let stamp = stamp(conn, round, now)?;
    Ok(latest_done(conn, round.id)?.filter(|s| s.job.stamp == stamp.key))
}

/// The job waiting or running for the round, if any.
fn pending(conn: &mut DbConnection, round: RoundId) -> QueryResult<Option<Job>> {
    report_jobs::table
        .filter(report_jobs::round_id.eq(round))
        .filter(report_jobs::state.eq_any(["queued", "running"]))
        .select(job_columns!())
        .first(conn)
        .optional()
}

/// Asks for the round's report to be computed, unless a job already waits or
/// runs: a unique index on the waiting and running jobs of a round turns any
/// concurrent second request into nothing.
pub fn enqueue(
    conn: &mut DbConnection,
    round: RoundId,
    stamp: &str,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    crate::per_backend!(conn, |c| diesel::insert_into(report_jobs::table)
        .values((
            report_jobs::round_id.eq(round),
            report_jobs::state.eq("queued"),
            report_jobs::stamp.eq(stamp),
            report_jobs::next_attempt_at.eq(now),
            report_jobs::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// Where the organizer's draft report stands.
pub enum Draft {
    /// A small round: computed on the request, as fast as reading it back.
    Inline,
    Current(Stored),
    /// Being computed (or waiting to be, after a failed attempt); the last
    /// result, if any, can be read meanwhile.
    Computing {
        job: Job,
        previous: Option<Stored>,
    },
    /// Given up after `MAX_ATTEMPTS`; the organizer may try again.
    Failed {
        job: Job,
        previous: Option<Stored>,
    },
}

/// The draft report of `round`: the stored result when current; a small round
/// (fewer than `inline_below` submitted submissions) computed inline;
/// otherwise the job computing it, asked for here when none is.
pub fn draft(
    conn: &mut DbConnection,
    round: &Round,
    inline_below: i64,
    now: PrimitiveDateTime,
) -> QueryResult<Draft> {
    // No transaction: the unique index makes a concurrent enqueue a no-op,
    // and a page view must not take SQLite's write lock.
    {
        let stamp = stamp(conn, round, now)?;
        let latest = latest_done(conn, round.id)?;
        if let Some(stored) = latest
            .as_ref()
            .filter(|s| data_part(&s.job.stamp) == data_part(&stamp.key))
        {
            return Ok(Draft::Current(stored.clone()));
        }
        if !is_large(conn, round.id, inline_below)? {
            return Ok(Draft::Inline);
        }
        if let Some(job) = pending(conn, round.id)? {
            return Ok(Draft::Computing {
                job,
                previous: latest,
            });
        }
        let failed: Option<Job> = report_jobs::table
            .filter(report_jobs::round_id.eq(round.id))
            .order(report_jobs::id.desc())
            .select(job_columns!())
            .first(conn)
            .optional()?
            .filter(|j: &Job| j.state == "failed" && data_part(&j.stamp) == data_part(&stamp.key));
        if let Some(job) = failed {
            return Ok(Draft::Failed {
                job,
                previous: latest,
            });
        }
        enqueue(conn, round.id, &stamp.key, now)?;
        let job = pending(conn, round.id)?.ok_or(diesel::result::Error::NotFound)?;
        Ok(Draft::Computing {
            job,
            previous: latest,
        })
    }
}

/// Whether the round's report can be published now without computing it on
/// the request: its stored result is current (responses included), or the
/// round is small. Otherwise the job is asked for, and the organizer
/// publishes once it is done, so the report published is never older than
/// the figures they last saw.
pub fn ready_to_publish(
    conn: &mut DbConnection,
    round: &Round,
    inline_below: i64,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    let stamp = stamp(conn, round, now)?;
    if latest_done(conn, round.id)?.is_some_and(|s| s.job.stamp == stamp.key)
        || !is_large(conn, round.id, inline_below)?
    {
        return Ok(true);
    }
    enqueue(conn, round.id, &stamp.key, now)?;
    Ok(false)
}

/// Whether the round has at least `limit` submitted submissions: reads at
/// most `limit` index entries, however large the round.
fn is_large(conn: &mut DbConnection, round: RoundId, limit: i64) -> QueryResult<bool> {
    if limit <= 0 {
        return Ok(true);
    }
    submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .select(submissions::id)
        .offset(limit - 1)
        .first::<crate::db::SubmissionId>(conn)
        .optional()
        .map(|found| found.is_some())
}

/// The organizer's "try again" after a job was given up: the same job waits
/// again with a fresh count of attempts. False when there is no such job.
pub fn retry(
    conn: &mut DbConnection,
    round: RoundId,
    job: ReportJobId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        if pending(conn, round)?.is_some() {
            return Ok(true);
        }
        let reset = diesel::update(
            report_jobs::table
                .filter(report_jobs::id.eq(job))
                .filter(report_jobs::round_id.eq(round))
                .filter(report_jobs::state.eq("failed")),
        )
        .set((
            report_jobs::state.eq("queued"),
            report_jobs::attempts.eq(0),
            report_jobs::progress.eq(0),
            report_jobs::next_attempt_at.eq(now),
            report_jobs::locked_until.eq(None::<PrimitiveDateTime>),
        ))
        .execute(conn)?;
        Ok(reset == 1)
    })
}

/// A job a worker holds: `attempt` is its claim (a later claim of the same
/// job has a higher one).
#[derive(Debug, Clone, Copy)]
pub struct Claimed {
    pub id: ReportJobId,
    pub round: RoundId,
    pub attempt: i32,
}

/// Jobs a worker may claim at `now`: waiting and due, or running with a
/// lapsed lease.
macro_rules! due_jobs {
    ($now:expr) => {
        report_jobs::table.filter(
            report_jobs::state
                .eq("queued")
                .and(report_jobs::next_attempt_at.le($now))
                .or(report_jobs::state
                    .eq("running")
                    .and(report_jobs::locked_until.lt($now))),
        )
    };
}

/// Claims the oldest due job: queued and due, or running with a lapsed lease
/// (its worker died). One conditional UPDATE on the attempt read decides who
/// wins, so two workers never both hold one job; on PostgreSQL rows another
/// worker is claiming are skipped rather than waited for.
pub fn claim(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<Option<Claimed>> {
    // Idle workers poll: a read first, so that they take SQLite's write lock
    // only when there is a job to claim.
    if !diesel::select(diesel::dsl::exists(due_jobs!(now))).get_result::<bool>(conn)? {
        return Ok(None);
    }
    crate::db::write_transaction(conn, |conn| {
        let due = || {
            due_jobs!(now).order(report_jobs::id.asc()).select((
                report_jobs::id,
                report_jobs::round_id,
                report_jobs::attempts,
            ))
        };
        let found: Option<(ReportJobId, RoundId, i32)> = match conn {
            DbConnection::Postgresql(c) => due().for_update().skip_locked().first(c).optional()?,
            DbConnection::Sqlite(c) => due().first(c).optional()?,
        };
        let Some((id, round, attempts)) = found else {
            return Ok(None);
        };
        if attempts >= MAX_ATTEMPTS {
            // Its workers kept dying (out of memory, killed): given up.
            diesel::update(report_jobs::table.find(id))
                .set((
                    report_jobs::state.eq("failed"),
                    report_jobs::locked_until.eq(None::<PrimitiveDateTime>),
                    report_jobs::error.eq("the computation stopped before its end several times"),
                    report_jobs::finished_at.eq(now),
                ))
                .execute(conn)?;
            return Ok(None);
        }
        let won = diesel::update(
            report_jobs::table
                .filter(report_jobs::id.eq(id))
                .filter(report_jobs::attempts.eq(attempts)),
        )
        .set((
            report_jobs::state.eq("running"),
            report_jobs::attempts.eq(attempts + 1),
            report_jobs::progress.eq(0),
            report_jobs::locked_until.eq(now + LEASE),
            report_jobs::started_at.eq(now),
        ))
        .execute(conn)?;
        Ok((won == 1).then_some(Claimed {
            id,
            round,
            attempt: attempts + 1,
        }))
    })
}

/// Computes a claimed job and stores its result, or records why it failed
/// (to be tried again after a backoff, until `MAX_ATTEMPTS`).
pub fn compute(db: &Db, clock: &Clock, job: Claimed) -> Result<(), ReportError> {
    let outcome = compute_and_store(db, clock, job);
    if let Err(e) = &outcome {
        if matches!(e, ReportError::ClaimLost) {
            tracing::warn!(job = %job.id, "report job: claim lost, another worker has it");
        } else {
            tracing::error!(job = %job.id, error = %e, "report job failed");
        }
        let mut conn = db.get()?;
        let (now, message) = (clock.now(), e.to_string());
        crate::db::write_transaction(&mut conn, |c| {
            discard_attempt(c, job)?;
            if matches!(e, ReportError::ClaimLost) {
                return Ok::<_, ReportError>(());
            }
            let given_up = job.attempt >= MAX_ATTEMPTS;
            diesel::update(
                report_jobs::table
                    .filter(report_jobs::id.eq(job.id))
                    .filter(report_jobs::attempts.eq(job.attempt))
                    .filter(report_jobs::state.eq("running")),
            )
            .set((
                report_jobs::state.eq(if given_up { "failed" } else { "queued" }),
                report_jobs::next_attempt_at.eq(now + backoff(job.attempt)),
                report_jobs::locked_until.eq(None::<PrimitiveDateTime>),
                report_jobs::error.eq(&message),
                report_jobs::finished_at.eq(given_up.then_some(now)),
            ))
            .execute(c)?;
            Ok(())
        })?;
    }
    outcome
}

fn compute_and_store(db: &Db, clock: &Clock, job: Claimed) -> Result<(), ReportError> {
    let mut reader = db.get()?;
    let mut out = JobOutput::new(db.get()?, clock.clone(), job);
    // One snapshot of the data for the stamp and every figure and text: a
    // read transaction, which on SQLite (WAL) never holds up a writer.
    let (snapshot, stamp) = (*reader).transaction(|c| {
        if let DbConnection::Postgresql(pg) = c {
            pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        }
        let (consultation, round): (Consultation, Round) = rounds::table
            .inner_join(consultations::table)
            .filter(rounds::id.eq(job.round))
            .select((Consultation::as_select(), Round::as_select()))
            .first(c)?;
        let now = clock.now();
        let stamp = stamp(c, &round, now)?;
        let snapshot = build(c, &consultation, &round, 0, "", now, &mut out)?;
        Ok::<_, ReportError>((snapshot, stamp))
    })?;
    let json = serde_json::to_string(&snapshot)?;
    let movement = out.movement.take();
    let now = clock.now();
    crate::db::write_transaction(&mut out.conn, |c| {
        let done = diesel::update(
            report_jobs::table
                .filter(report_jobs::id.eq(job.id))
                .filter(report_jobs::attempts.eq(job.attempt))
                .filter(report_jobs::state.eq("running")),
        )
        .set((
            report_jobs::state.eq("done"),
            report_jobs::stamp.eq(&stamp.key),
            report_jobs::submissions_as_of.eq(stamp.submissions_as_of),
            report_jobs::snapshot.eq(&json),
            report_jobs::movement_csv.eq(&movement),
            report_jobs::progress.eq(100),
            report_jobs::locked_until.eq(None::<PrimitiveDateTime>),
            report_jobs::error.eq(None::<String>),
            report_jobs::finished_at.eq(now),
        ))
        .execute(c)?;
        if done == 0 {
            return Err(ReportError::ClaimLost);
        }
        prune(c, job)?;
        Ok(())
    })
}

/// Removes the rows of an attempt that will not be used.
fn discard_attempt(conn: &mut DbConnection, job: Claimed) -> QueryResult<()> {
    diesel::delete(
        report_job_texts::table
            .filter(report_job_texts::job_id.eq(job.id))
            .filter(report_job_texts::attempt.eq(job.attempt)),
    )
    .execute(conn)?;
    diesel::delete(
        report_job_csv_chunks::table
            .filter(report_job_csv_chunks::job_id.eq(job.id))
            .filter(report_job_csv_chunks::attempt.eq(job.attempt)),
    )
    .execute(conn)?;
    Ok(())
}

/// Once a job is done, the round's older results (and this job's abandoned
/// attempts) are of no use: the pages offer only the latest.
fn prune(conn: &mut DbConnection, job: Claimed) -> QueryResult<()> {
    let older = report_jobs::table
        .filter(report_jobs::round_id.eq(job.round))
        .filter(report_jobs::id.lt(job.id))
        .filter(report_jobs::state.eq_any(["done", "failed"]))
        .select(report_jobs::id);
    let older: Vec<ReportJobId> = older.load(conn)?;
    diesel::delete(
        report_job_texts::table.filter(
            report_job_texts::job_id
                .eq_any(&older)
                .or(report_job_texts::job_id
                    .eq(job.id)
                    .and(report_job_texts::attempt.ne(job.attempt))),
        ),
    )
    .execute(conn)?;
    diesel::delete(
        report_job_csv_chunks::table.filter(
            report_job_csv_chunks::job_id
                .eq_any(&older)
                .or(report_job_csv_chunks::job_id
                    .eq(job.id)
                    .and(report_job_csv_chunks::attempt.ne(job.attempt))),
        ),
    )
    .execute(conn)?;
    diesel::delete(report_jobs::table.filter(report_jobs::id.eq_any(&older))).execute(conn)?;
    Ok(())
}

/// base, 2×base, 4×base…
fn backoff(attempt: i32) -> time::Duration {
    RETRY_BASE * (1i32 << (attempt - 1).clamp(0, 10))
}

#[derive(Insertable)]
#[diesel(table_name = report_job_texts)]
#[diesel(treat_none_as_default_value = false)]
struct NewText {
    job_id: ReportJobId,
    attempt: i32,
    provision_key: String,
    seq: i32,
    position_id: Option<PositionId>,
    name: Option<String>,
    organization: Option<String>,
    stakeholder_group: Option<String>,
    country: Option<String>,
    stance: Option<String>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
    public_id: Option<String>,
    disposition: Option<String>,
    disposition_reason: Option<String>,
    tags: String,
    region: Option<String>,
}

/// Where a job's texts and CSV go: a connection of its own that writes a
/// batch at a time, each in a short transaction, while the report is read in
/// one long read transaction on another.
struct JobOutput {
    conn: DbPooled,
    clock: Clock,
    job: Claimed,
    csv: csv::Writer<Vec<u8>>,
    chunk: i32,
    texts: Vec<NewText>,
    /// Stored with the result, in the same statement as its snapshot.
    movement: Option<String>,
}

impl JobOutput {
    fn new(conn: DbPooled, clock: Clock, job: Claimed) -> Self {
        let mut csv = csv::Writer::from_writer(Vec::new());
        let _ = csv.write_record(CSV_HEADER);
        Self {
            conn,
            clock,
            job,
            csv,
            chunk: 0,
            texts: Vec::with_capacity(INSERT_BATCH),
            movement: None,
        }
    }

    fn flush_csv(&mut self) -> Result<(), ReportError> {
        let full = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        let bytes = full
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        if bytes.is_empty() {
            return Ok(());
        }
        let data = String::from_utf8(bytes)?;
        let (job, chunk) = (self.job, self.chunk);
        crate::db::write_transaction(&mut self.conn, |c| {
            diesel::insert_into(report_job_csv_chunks::table)
                .values((
                    report_job_csv_chunks::job_id.eq(job.id),
                    report_job_csv_chunks::attempt.eq(job.attempt),
                    report_job_csv_chunks::seq.eq(chunk),
                    report_job_csv_chunks::data.eq(data),
                ))
                .execute(c)
        })?;
        self.chunk += 1;
        Ok(())
    }

    fn flush_texts(&mut self) -> Result<(), ReportError> {
        if self.texts.is_empty() {
            return Ok(());
        }
        let texts = &self.texts;
        crate::db::write_transaction(&mut self.conn, |c| {
            crate::per_backend!(c, |c| diesel::insert_into(report_job_texts::table)
                .values(texts)
                .execute(c))
        })?;
        self.texts.clear();
        Ok(())
    }
}

impl Output for JobOutput {
    /// Fewer, larger reads than a publication's (which keeps memory low
    /// inside a write transaction): a job's reads hold up nobody.
    fn rows_per_batch(&self) -> i64 {
        20_000
    }

    fn csv_row(
        &mut self,
        _: &mut DbConnection,
        record: [&str; CSV_COLUMNS],
    ) -> Result<(), ReportError> {
        self.csv.write_record(record)?;
        if self.csv.get_ref().len() >= CSV_CHUNK_BYTES {
            self.flush_csv()?;
        }
        Ok(())
    }

    fn text(
        &mut self,
        _: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), ReportError> {
        self.texts.push(NewText {
            job_id: self.job.id,
            attempt: self.job.attempt,
            provision_key: key.to_string(),
            seq,
            position_id: text.position_id,
            name: text.name,
            organization: text.organization,
            stakeholder_group: text.group.map(|g| g.as_str().to_string()),
            country: text.country,
            stance: text.stance.map(|s| s.as_str().to_string()),
            comment: text.comment,
            proposed_text: text.proposed_text,
            hidden_reason: text.hidden_reason,
            public_id: text.id,
            disposition: text.disposition.map(|d| d.as_str().to_string()),
            disposition_reason: text.disposition_reason,
            tags: text.tags.join(super::published::TAG_SEPARATOR),
            region: text.region,
        });
        if self.texts.len() >= INSERT_BATCH {
            self.flush_texts()?;
        }
        Ok(())
    }

    /// Stores what is written so far, reports the progress and renews the
    /// claim; a claim taken over by another worker ends this attempt.
    fn progress(&mut self, done: usize, total: usize) -> Result<(), ReportError> {
        self.flush_texts()?;
        let percent = (done * 99).checked_div(total).unwrap_or(99);
        let (job, now) = (self.job, self.clock.now());
        let renewed = crate::db::write_transaction(&mut self.conn, |c| {
            diesel::update(
                report_jobs::table
                    .filter(report_jobs::id.eq(job.id))
                    .filter(report_jobs::attempts.eq(job.attempt))
                    .filter(report_jobs::state.eq("running")),
            )
            .set((
                report_jobs::progress.eq(i32::try_from(percent).unwrap_or(99)),
                report_jobs::locked_until.eq(now + LEASE),
            ))
            .execute(c)
        })?;
        if renewed == 0 {
            return Err(ReportError::ClaimLost);
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut DbConnection) -> Result<(), ReportError> {
        self.flush_csv()?;
        self.flush_texts()
    }

    fn movement_csv(&mut self, _: &mut DbConnection, csv: String) -> Result<(), ReportError> {
        self.movement = Some(csv);
        Ok(())
    }
}

/// Stores a current result as the publication `report`: its texts and CSV
/// copied in the database, and its snapshot with the publication's version,
/// note and time. The JSON is spliced rather than parsed and written again,
/// so every figure is the very text that was computed.
pub(super) fn publish_stored(
    conn: &mut DbConnection,
    stored: &Stored,
    report: ReportId,
    version: i32,
    note: &str,
    now: PrimitiveDateTime,
) -> Result<String, ReportError> {
    let (job, attempt) = (stored.job.id, stored.job.attempts);
    // Integers only: nothing a user wrote goes into this statement.
    conn.batch_execute(&format!(
        "INSERT INTO report_texts (report_id, provision_key, seq, position_id, name, \
         organization, stakeholder_group, country, stance, comment, proposed_text, hidden_reason, \
         public_id, disposition, disposition_reason, tags, region) \
         SELECT {report}, provision_key, seq, position_id, name, organization, stakeholder_group, \
         country, stance, comment, proposed_text, hidden_reason, public_id, disposition, \
         disposition_reason, tags, region FROM report_job_texts \
         WHERE job_id = {job} AND attempt = {attempt} ORDER BY id;
         INSERT INTO report_csv_chunks (report_id, seq, data) \
         SELECT {report}, seq, data FROM report_job_csv_chunks \
         WHERE job_id = {job} AND attempt = {attempt};
         UPDATE reports SET movement_csv = (SELECT movement_csv FROM report_jobs WHERE id = {job}) \
         WHERE id = {report};"
    ))?;
    publication_json(&stored.snapshot, version, note, &rfc3339(now))
}

/// The stored snapshot (version 0, no note) as publication `version`.
fn publication_json(
    stored: &str,
    version: i32,
    note: &str,
    published_at: &str,
) -> Result<String, ReportError> {
    const HEAD: &str = r#"{"version":0,"note":"","published_at":""#;
    let spliced = stored.strip_prefix(HEAD).and_then(|rest| {
        let end = rest.find('"')?;
        Some(format!(
            r#"{{"version":{version},"note":{},"published_at":{}{}"#,
            serde_json::to_string(note).ok()?,
            serde_json::to_string(published_at).ok()?,
            &rest[end + 1..]
        ))
    });
    match spliced {
        Some(json) => Ok(json),
        None => {
            let mut snapshot: Snapshot = serde_json::from_str(stored)?;
            snapshot.version = version;
            snapshot.note = note.to_string();
            snapshot.published_at = published_at.to_string();
            Ok(serde_json::to_string(&snapshot)?)
        }
    }
}

/// Computes due jobs until `stop` turns true, polling every `poll` when idle.
/// Every instance runs one; a job is computed by the one that claims it.
pub async fn run(db: Db, clock: Clock, poll: Duration, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match work_once(&db, &clock).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "report jobs: cannot claim"),
        }
        tokio::select! {
            _ = actix_web::rt::time::sleep(poll) => {}
            _ = stop.changed() => {}
        }
    }
    tracing::info!("report worker stopped");
}

/// Claims one due job and computes it; false when none was due. A job that
/// failed is recorded as such: only a failure to claim is an error here.
pub async fn work_once(db: &Db, clock: &Clock) -> Result<bool, ReportError> {
    let (db, clock) = (db.clone(), clock.clone());
    actix_web::rt::task::spawn_blocking(move || {
        let claimed = claim(&mut *db.get()?, clock.now())?;
        let Some(job) = claimed else {
            return Ok(false);
        };
        let _ = compute(&db, &clock, job);
        Ok(true)
    })
    .await
    .map_err(|e| ReportError::Worker(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_snapshot_becomes_a_publication_with_its_figures_untouched() {
        let stored = r#"{"version":0,"note":"","published_at":"2026-01-01T00:00:00Z","share":0.6666666666666666}"#;
        let json =
            publication_json(stored, 3, "A \"quoted\" note", "2026-02-02T10:00:00Z").unwrap();
        assert_eq!(
            json,
            r#"{"version":3,"note":"A \"quoted\" note","published_at":"2026-02-02T10:00:00Z","share":0.6666666666666666}"#
        );
    }

    #[test]
    fn the_stamp_digest_is_stable_and_separates_its_parts() {
        assert_eq!(digest(&["a", "bc"]), digest(&["a", "bc"]));
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
    }

    #[test]
    fn retries_wait_longer_each_time() {
        assert_eq!(backoff(1), time::Duration::seconds(15));
        assert_eq!(backoff(3), time::Duration::seconds(60));
    }
}
