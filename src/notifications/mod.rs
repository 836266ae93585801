//! E-mail through an outbox: every message is first a row, written in the same
//! transaction as what caused it; `worker` delivers it with retries, so a mail
//! server outage loses nothing and never fails a web request.

pub mod receipts;
pub mod schedule;
pub mod worker;

use crate::codes::Locale;
use crate::db::schema::outbox;
use crate::db::{DbConnection, DbError, OutboxId};
use crate::i18n;
use crate::templates::{TemplateError, Templates};
use diesel::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum Kind {
        VerifyEmail => "verify_email",
        PasswordReset => "password_reset",
        AccountExists => "account_exists",
        PasswordChanged => "password_changed",
        RoundOpened => "round_opened",
        RoundReminder => "round_reminder",
        RoundExtended => "round_extended",
        ReportPublished => "report_published",
        Receipt => "receipt",
        AnswersOpen => "answers_open",
        FormalObjection => "formal_objection",
        OrganizationInvitation => "organization_invitation",
        OrganizationRequest => "organization_request",
        JointInvitation => "joint_invitation",
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

pub struct Message<'a, T: Serialize> {
    pub kind: Kind,
    pub to: &'a str,
    pub locale: Locale,
    /// At most one message per key is ever queued (e.g. `round:7:reminder:42`).
    pub dedup_key: Option<String>,
    pub data: T,
}

#[derive(Serialize)]
struct EmailContext<'a, T: Serialize> {
    lang: &'static str,
    base_url: &'a str,
    data: &'a T,
}

/// Composes messages from the e-mail templates and queues them.
#[derive(Clone)]
pub struct Notifier {
    templates: Arc<Templates>,
    base_url: String,
}

/// Rows per insert: 9 parameters each, far under SQLite's 32,766.
pub const OUTBOX_BATCH: usize = 1_000;

#[derive(Insertable)]
#[diesel(table_name = outbox)]
#[diesel(treat_none_as_default_value = false)]
struct NewOutbox<'a> {
    dedup_key: Option<&'a str>,
    kind: &'a str,
    recipient: &'a str,
    subject: &'a str,
    body_text: &'a str,
    body_html: &'a str,
    status: &'a str,
    next_attempt_at: PrimitiveDateTime,
    created_at: PrimitiveDateTime,
}

impl Notifier {
    pub fn new(templates: Arc<Templates>, base_url: &str) -> Self {
        Self {
            templates,
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Queues `message`; returns false when its dedup key was already used.
    pub fn enqueue<T: Serialize>(
        &self,
        conn: &mut DbConnection,
        message: &Message<T>,
        now: PrimitiveDateTime,
    ) -> Result<bool, NotifyError> {
        Ok(self.compose(message)?.queue(conn, now)?)
    }

    /// Queues `messages` a batch per statement (one statement per message
    /// made the e-mails to 100,000 participants cost 100,000 round trips to
    /// PostgreSQL); returns how many were queued, those whose dedup key was
    /// already used being skipped.
    pub fn enqueue_all<T: Serialize>(
        &self,
        conn: &mut DbConnection,
        messages: &[Message<T>],
        now: PrimitiveDateTime,
    ) -> Result<usize, NotifyError> {
        let mut queued = 0;
        for batch in messages.chunks(OUTBOX_BATCH) {
            let composed = batch
                .iter()
                .map(|m| self.compose(m))
                .collect::<Result<Vec<_>, _>>()?;
            queued += insert(conn, &composed, now)?;
        }
        Ok(queued)
    }

    /// Renders a message without touching the database, so a caller holding a
    /// write lock can render first and keep the lock only for the insert.
    pub fn compose<T: Serialize>(&self, message: &Message<T>) -> Result<Composed, TemplateError> {
        let kind = message.kind.as_str();
        let ctx = EmailContext {
            lang: message.locale.as_str(),
            base_url: &self.base_url,
            data: &message.data,
        };
        Ok(Composed {
            kind,
            recipient: message.to.to_string(),
            dedup_key: message.dedup_key.clone(),
            subject: i18n::t(
                message.locale,
                &format!("email-{}-subject", kind.replace('_', "-")),
            ),
            body_html: self.templates.render(&format!("email/{kind}.html"), &ctx)?,
            body_text: self
                .templates
                .render_text(&format!("email/{kind}.txt"), &ctx)?,
        })
    }
}

/// A rendered message, ready to be queued.
pub struct Composed {
    kind: &'static str,
    recipient: String,
    dedup_key: Option<String>,
    subject: String,
    body_text: String,
    body_html: String,
}

impl Composed {
    /// Queues the message; false when one with the same key was queued before.
    pub fn queue(&self, conn: &mut DbConnection, now: PrimitiveDateTime) -> QueryResult<bool> {
        Ok(insert(conn, std::slice::from_ref(self), now)? == 1)
    }
}

fn insert(
    conn: &mut DbConnection,
    messages: &[Composed],
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    let rows: Vec<NewOutbox> = messages
        .iter()
        .map(|m| NewOutbox {
            dedup_key: m.dedup_key.as_deref(),
            kind: m.kind,
            recipient: &m.recipient,
            subject: &m.subject,
            body_text: &m.body_text,
            body_html: &m.body_html,
            status: "pending",
            next_attempt_at: now,
            created_at: now,
        })
        .collect();
    // ON CONFLICT DO NOTHING: a duplicate must not abort the surrounding
    // transaction (PostgreSQL would), and MultiConnection cannot compile it.
    crate::per_backend!(conn, |c| diesel::insert_into(outbox::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(c))
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = outbox)]
pub struct FailedEmail {
    pub id: OutboxId,
    pub kind: String,
    pub recipient: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// Messages the worker gave up on, for the admin dashboard.
pub fn failed(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<FailedEmail>> {
    outbox::table
        .filter(outbox::status.eq("failed"))
        .order(outbox::id.desc())
        .limit(limit)
        .select(FailedEmail::as_select())
        .load(conn)
}

/// (pending, failed) messages in the outbox, for `/metrics`.
pub fn outbox_counts(conn: &mut DbConnection) -> QueryResult<(i64, i64)> {
    let rows: Vec<(String, i64)> = outbox::table
        .filter(outbox::status.eq_any(["pending", "failed"]))
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    let count = |status: &str| {
        rows.iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    };
    Ok((count("pending"), count("failed")))
}
