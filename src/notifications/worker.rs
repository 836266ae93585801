//! Delivers queued e-mails. Several instances may run it at once: a message is
//! claimed by a conditional UPDATE that only one of them can win, and a claim
//! left by a crashed instance expires.

use crate::clock::Clock;
use crate::config::{EmailSettings, EmailTransport};
use crate::db::schema::outbox;
use crate::db::{Db, DbConnection, DbError, OutboxId};
use crate::metrics::Metrics;
use diesel::prelude::*;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use time::PrimitiveDateTime;
use tokio::sync::watch;

const BATCH: i64 = 50;
const CLAIM: time::Duration = time::Duration::minutes(2);
/// No message of a batch is started after this long, so that with the SMTP
/// timeout (`email.timeout_secs`, under a minute) it all ends within `CLAIM`.
const SEND_WITHIN: Duration = Duration::from_secs(60);

enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

pub struct Worker {
    db: Db,
    clock: Clock,
    transport: Transport,
    from: Mailbox,
    retry_base: time::Duration,
    max_attempts: i32,
    /// The longest one SMTP conversation may take.
    timeout: Duration,
    metrics: Option<Arc<Metrics>>,
}

#[derive(Queryable)]
struct Due {
    id: OutboxId,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i32,
}

impl Worker {
    pub fn new(db: Db, clock: Clock, settings: &EmailSettings) -> anyhow::Result<Self> {
        let transport = match settings.transport {
            EmailTransport::File => {
                std::fs::create_dir_all(&settings.file_dir)?;
                Transport::File(AsyncFileTransport::new(&settings.file_dir))
            }
            EmailTransport::Smtp => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)?
                    .timeout(Some(Duration::from_secs(settings.timeout_secs)))
                    .build(),
            ),
        };
        Ok(Self {
            db,
            clock,
            transport,
            from: settings.from.parse()?,
            retry_base: time::Duration::seconds(settings.retry_base_secs as i64),
            max_attempts: settings.max_attempts as i32,
            timeout: Duration::from_secs(settings.timeout_secs),
            metrics: None,
        })
    }

    pub fn with_metrics(self, metrics: Arc<Metrics>) -> Self {
        Self {
            metrics: Some(metrics),
            ..self
        }
    }

    /// Runs until `stop` turns true, polling once a second when idle. A message
    /// being sent when it does is finished (lettre's timeout bounds that) and
    /// the rest of the batch is handed back, so a stopped instance leaves no
    /// claim behind for the others to wait out.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            match self.deliver_due(&stop).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox: cannot read due messages"),
            }
            tokio::select! {
                _ = actix_web::rt::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
        tracing::info!("outbox worker stopped");
    }

    /// Delivers what is due now; returns how many messages it attempted.
    ///
    /// One transaction claims the batch and one records how it went: under a
    /// surge of submissions, three writes per message (claim, read, record)
    /// competed with the submissions for SQLite's one writer.
    pub async fn deliver_due(&self, stop: &watch::Receiver<bool>) -> Result<usize, DbError> {
        let now = self.clock.now();
        let claimed = self
            .db
            .query(move |conn| crate::db::write_transaction(conn, |c| claim(c, now)))
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let started = std::time::Instant::now();
        let mut outcomes = Vec::with_capacity(claimed.len());
        let mut released = Vec::new();
        for due in claimed {
            // Outcomes are recorded when the batch ends: a slow SMTP server
            // must not keep the batch past its claim, or another instance
            // would claim and send the same messages again.
            if *stop.borrow() || started.elapsed() > SEND_WITHIN {
                released.push(due.id);
                continue;
            }
            let outcome = self.send(&due).await;
            outcomes.push((due.id, due.attempts, outcome));
        }
        let attempted = outcomes.len();
        if let Some(metrics) = &self.metrics {
            for (_, attempts, outcome) in &outcomes {
                metrics.outbox_attempt(match outcome {
                    Ok(()) => "sent",
                    Err(_) if *attempts >= self.max_attempts => "failed",
                    Err(_) => "retry",
                });
            }
        }
        let now = self.clock.now();
        let (retry_base, max_attempts) = (self.retry_base, self.max_attempts);
        self.db
            .query(move |conn| {
                crate::db::write_transaction(conn, |c| {
                    record(c, now, &outcomes, retry_base, max_attempts)?;
                    release(c, &released)
                })
            })
            .await?;
        Ok(attempted)
    }

    async fn send(&self, due: &Due) -> Result<(), String> {
        let to: Mailbox = due
            .recipient
            .parse()
            .map_err(|e| format!("recipient: {e}"))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&due.subject)
            .multipart(MultiPart::alternative_plain_html(
                due.body_text.clone(),
                due.body_html.clone(),
            ))
            .map_err(|e| format!("message: {e}"))?;
        match &self.transport {
            Transport::File(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            // lettre's own timeout bounds only the TCP connect: a server that
            // accepts and then says nothing would hold the worker forever.
            Transport::Smtp(t) => {
                match actix_web::rt::time::timeout(self.timeout, t.send(message)).await {
                    Ok(sent) => sent.map(|_| ()).map_err(|e| e.to_string()),
                    Err(_) => Err(format!(
                        "the SMTP server did not answer within {} s (timed out)",
                        self.timeout.as_secs()
                    )),
                }
            }
        }
    }
}

/// Claims up to `BATCH` due messages for this worker. On PostgreSQL, rows
/// another instance is claiming at the same moment are skipped rather than
/// waited for; on SQLite the write transaction already excludes the others.
fn claim(conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<Vec<Due>> {
    let due = || {
        outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::next_attempt_at.le(now))
            .filter(
                outbox::locked_until
                    .is_null()
                    .or(outbox::locked_until.lt(now)),
            )
            .order(outbox::id.asc())
            .limit(BATCH)
            .select((
                outbox::id,
                outbox::recipient,
                outbox::subject,
                outbox::body_text,
                outbox::body_html,
                outbox::attempts,
            ))
    };
    let mut claimed: Vec<Due> = match conn {
        DbConnection::Postgresql(c) => due().for_update().skip_locked().load(c)?,
        DbConnection::Sqlite(c) => due().load(c)?,
    };
    if claimed.is_empty() {
        return Ok(claimed);
    }
    let ids: Vec<OutboxId> = claimed.iter().map(|d| d.id).collect();
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((
            outbox::locked_until.eq(now + CLAIM),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)?;
    for due in &mut claimed {
        due.attempts += 1;
    }
    Ok(claimed)
}

/// Records each attempt: sent, to be retried after a backoff, or given up.
fn record(
    conn: &mut DbConnection,
    now: PrimitiveDateTime,
    outcomes: &[(OutboxId, i32, Result<(), String>)],
    retry_base: time::Duration,
    max_attempts: i32,
) -> QueryResult<()> {
    let sent: Vec<OutboxId> = outcomes
        .iter()
        .filter(|(_, _, outcome)| outcome.is_ok())
        .map(|(id, _, _)| *id)
        .collect();
    if !sent.is_empty() {
        diesel::update(outbox::table.filter(outbox::id.eq_any(&sent)))
            .set((
                outbox::status.eq("sent"),
                outbox::sent_at.eq(now),
                outbox::locked_until.eq(None::<PrimitiveDateTime>),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
    }
    for (id, attempts, outcome) in outcomes {
        let Err(error) = outcome else { continue };
        let row = outbox::table.find(*id);
        if *attempts >= max_attempts {
            tracing::error!(%id, %error, "outbox: giving up");
            diesel::update(row)
                .set((
                    outbox::status.eq("failed"),
                    outbox::locked_until.eq(None::<PrimitiveDateTime>),
                    outbox::last_error.eq(error),
                ))
                .execute(conn)?;
        } else {
            tracing::warn!(%id, %error, attempts, "outbox: will retry");
            diesel::update(row)
                .set((
                    outbox::next_attempt_at.eq(now + backoff(retry_base, *attempts)),
                    outbox::locked_until.eq(None::<PrimitiveDateTime>),
                    outbox::last_error.eq(error),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Hands back claimed messages that were not attempted.
fn release(conn: &mut DbConnection, ids: &[OutboxId]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set((
            outbox::locked_until.eq(None::<PrimitiveDateTime>),
            outbox::attempts.eq(outbox::attempts - 1),
        ))
        .execute(conn)
        .map(|_| ())
}

/// base, 2×base, 4×base… capped at one hour.
fn backoff(base: time::Duration, attempts: i32) -> time::Duration {
    let factor = 1i64 << (attempts - 1).clamp(0, 16);
    (base * factor as i32).min(time::Duration::hours(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = time::Duration::seconds(30);
        assert_eq!(backoff(base, 1), time::Duration::seconds(30));
        assert_eq!(backoff(base, 2), time::Duration::seconds(60));
        assert_eq!(backoff(base, 4), time::Duration::seconds(240));
        assert_eq!(backoff(base, 30), time::Duration::hours(1));
    }
}
