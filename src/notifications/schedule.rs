//! E-mails about rounds: opened, closing soon, extended, report published. Each
//! goes once per round, kind and recipient, whatever the number of instances
//! or restarts: its dedup key (`round:ID:KIND:USER`) is unique in the outbox.

use super::{Kind, Message, Notifier, NotifyError};
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations;
use crate::db::schema::{consultations as consultation_table, rounds, submissions, users};
use crate::db::{DbConnection, RoundId, UserId};
use crate::rounds::Round;
use diesel::prelude::*;
use serde::Serialize;
use time::{Duration, PrimitiveDateTime};

/// How long before the close the reminder goes out.
pub const REMINDER_BEFORE: Duration = Duration::hours(48);

#[derive(Serialize)]
struct RoundEmail<'a> {
    name: &'a str,
    title: &'a str,
    round: i32,
    link: String,
    closes: String,
}

struct Recipient {
    id: UserId,
    email: String,
    name: String,
    locale: Locale,
}

impl Recipient {
    /// From `(users::id, users::email, users::display_name, users::locale)`.
    fn from_row((id, email, name, locale): (UserId, String, String, String)) -> Self {
        Self {
            id,
            email,
            name,
            locale: Locale::parse(&locale).unwrap_or_default(),
        }
    }
}

/// Verified, opted-in people of the eligible groups; `only` narrows to the
/// participants with a submission in that round (any status) when given.
fn recipients(
    conn: &mut DbConnection,
    groups: &[StakeholderGroup],
    exclude_submitted_in: Option<RoundId>,
) -> QueryResult<Vec<Recipient>> {
    let codes: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    let mut query = users::table
        .filter(users::deleted_at.is_null())
        .filter(users::email_verified_at.is_not_null())
        .filter(users::notify_rounds.eq(true))
        .filter(users::stakeholder_group.eq_any(codes))
        .into_boxed();
    if let Some(round) = exclude_submitted_in {
        query = query.filter(diesel::dsl::not(diesel::dsl::exists(
            submissions::table
                .filter(submissions::round_id.eq(round))
                .filter(submissions::participant_id.eq(users::id))
                .filter(submissions::organization_id.is_null())
                .filter(submissions::status.eq("submitted")),
        )));
    }
    let rows: Vec<(UserId, String, String, String)> = query
        .select((users::id, users::email, users::display_name, users::locale))
        .load(conn)?;
    Ok(rows.into_iter().map(Recipient::from_row).collect())
}

fn send_all(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    kind: Kind,
    tag: &str,
    list: &[Recipient],
    now: PrimitiveDateTime,
) -> Result<usize, NotifyError> {
    let c = consultation_table::table
        .find(round.consultation_id)
        .select(consultations::Consultation::as_select())
        .first(conn)?;
    let mut queued = 0;
    // A batch of recipients at a time: their rendered e-mails never sit in
    // memory together.
    for recipients in list.chunks(super::OUTBOX_BATCH) {
        let messages: Vec<Message<RoundEmail>> = recipients
            .iter()
            .map(|r| {
                let closes =
                    crate::i18n::format_datetime(r.locale, round.effective_close().assume_utc());
                let link = match kind {
                    Kind::ReportPublished => format!(
                        "{}/consultations/{}/rounds/{}/report",
                        notifier.base_url(),
                        c.slug,
                        round.number
                    ),
                    _ => format!(
                        "{}/consultations/{}/rounds/{}",
                        notifier.base_url(),
                        c.slug,
                        round.number
                    ),
                };
                Message {
                    kind,
                    to: &r.email,
                    locale: r.locale,
                    dedup_key: Some(format!("round:{}:{tag}:{}", round.id, r.id)),
                    data: RoundEmail {
                        name: &r.name,
                        title: c.title_for(r.locale),
                        round: round.number,
                        link,
                        closes,
                    },
                }
            })
            .collect();
        queued += notifier.enqueue_all(conn, &messages, now)?;
    }
    Ok(queued)
}

/// The periodic pass: "round opened" for rounds that are open, "closing soon"
/// for those closing within 48 hours. Safe to run any number of times.
pub fn run(
    conn: &mut DbConnection,
    notifier: &Notifier,
    now: PrimitiveDateTime,
) -> Result<usize, NotifyError> {
    let due: Vec<Round> = rounds::table
        .filter(rounds::announced_at.is_not_null())
        .filter(rounds::opens_at.le(now))
        .filter(rounds::closes_at.gt(now))
        .filter(rounds::closed_early_at.is_null())
        .filter(
            rounds::opened_notice_at
                .is_null()
                .or(rounds::reminder_notice_at
                    .is_null()
                    .and(rounds::closes_at.le(now + REMINDER_BEFORE))),
        )
        .select(Round::as_select())
        .load(conn)?;
    let mut queued = 0;
    for round in due {
        let groups = consultations::eligible_groups(conn, round.consultation_id)?;
        queued += crate::db::write_transaction(conn, |conn| -> Result<usize, NotifyError> {
            let mut n = 0;
            if round.opened_notice_at.is_none() {
                let list = recipients(conn, &groups, None)?;
                n += send_all(
                    conn,
                    notifier,
                    &round,
                    Kind::RoundOpened,
                    "opened",
                    &list,
                    now,
                )?;
                diesel::update(rounds::table.find(round.id))
                    .set(rounds::opened_notice_at.eq(now))
                    .execute(conn)?;
            }
            if round.reminder_notice_at.is_none() && round.closes_at <= now + REMINDER_BEFORE {
                let list = recipients(conn, &groups, Some(round.id))?;
                let tag = format!("reminder-{}", round.closes_at.assume_utc().unix_timestamp());
                n += send_all(
                    conn,
                    notifier,
                    &round,
                    Kind::RoundReminder,
                    &tag,
                    &list,
                    now,
                )?;
                diesel::update(rounds::table.find(round.id))
                    .set(rounds::reminder_notice_at.eq(now))
                    .execute(conn)?;
            }
            Ok(n)
        })?;
    }
    Ok(queued)
}

/// After an extension: everyone eligible hears of the new deadline.
/// Moves a round's deadline later (`rounds::extend`) and tells its
/// participants, in one transaction: the new deadline and its e-mails stand
/// or fall together.
pub fn extend_round(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    published: bool,
    new_close: PrimitiveDateTime,
    actor: crate::db::UserId,
    now: PrimitiveDateTime,
) -> Result<Result<(), crate::rounds::ActionRefused>, NotifyError> {
    crate::db::write_transaction(conn, |conn| {
        let done = crate::rounds::extend(conn, round, published, new_close, actor, now)?;
        if done.is_ok() {
            let (updated, _) = crate::rounds::find(conn, round.consultation_id, round.number)?;
            extended(conn, notifier, &updated, now)?;
        }
        Ok(done)
    })
}

pub fn extended(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    now: PrimitiveDateTime,
) -> Result<usize, NotifyError> {
    let groups = consultations::eligible_groups(conn, round.consultation_id)?;
    let list = recipients(conn, &groups, None)?;
    let tag = format!("extended-{}", round.closes_at.assume_utc().unix_timestamp());
    send_all(conn, notifier, round, Kind::RoundExtended, &tag, &list, now)
}

/// After publication: those who submitted hear that the report is out.
pub fn report_published(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    version: i32,
    now: PrimitiveDateTime,
) -> Result<usize, NotifyError> {
    let rows: Vec<(UserId, String, String, String)> = users::table
        .inner_join(submissions::table)
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::status.eq("submitted"))
        .filter(users::deleted_at.is_null())
        .select((users::id, users::email, users::display_name, users::locale))
        .load(conn)?;
    let list: Vec<Recipient> = rows.into_iter().map(Recipient::from_row).collect();
    send_all(
        conn,
        notifier,
        round,
        Kind::ReportPublished,
        &format!("report-{version}"),
        &list,
        now,
    )
}

/// Runs the periodic pass once a minute for as long as the process lives.
pub async fn run_forever(
    db: crate::db::Db,
    notifier: Notifier,
    clock: crate::clock::Clock,
    metrics: std::sync::Arc<crate::metrics::Metrics>,
) {
    loop {
        let (notifier, now) = (notifier.clone(), clock.now());
        let pass = db.run(move |c| run(c, &notifier, now)).await;
        metrics.notification_pass(pass.is_ok());
        if let Err(e) = pass {
            tracing::warn!(error = %e, "round notifications: pass failed");
        }
        actix_web::rt::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}
