//! Commenters answer the organizers' response (W3C's "commenter satisfied /
//! formal objection"): once a round's report is published and the organizers
//! have set a closing date for answers, the author of each position that
//! received a confirmed disposition, or whose provision received a response,
//! may mark it satisfied, not satisfied or a formal objection, with a short
//! reason, until that date. The latest answer stands; the counts appear in
//! the round's next report version, and a provision a whole group objects to
//! is never labelled "consensus".
//!
//! Notifications go through the outbox once each: commenters when the window
//! opens (`round:ID:answers:USER`), organizers when a position first becomes a
//! formal objection (`answer:ID:objection:USER`).

use crate::analysis::{Disposition, DispositionState, TextKind};
use crate::audit;
use crate::clock::rfc3339;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::Consultation;
use crate::db::schema::{
    consultations, positions, provision_responses, provisions, reports, response_answers, rounds,
    submissions, text_dispositions, users,
};
use crate::db::{DbConnection, PositionId, RoundId, UserId};
use crate::forms::FieldErrors;
use crate::notifications::{Kind, Message, Notifier, NotifyError};
use crate::rounds::{ActionRefused, Round};
use crate::submissions::Stance;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use time::PrimitiveDateTime;

crate::text_enum! {
    /// What a commenter says of the response to their position.
    pub enum Answer {
        Satisfied => "satisfied",
        NotSatisfied => "not_satisfied",
        FormalObjection => "formal_objection",
    }
}

impl Answer {
    pub fn label_key(self) -> String {
        format!("answer-{}", self.as_str().replace('_', "-"))
    }
}

/// A reason is a sentence or two, not a new comment.
pub const REASON_MAX_CHARS: usize = 500;

/// The answer form's fields, as posted.
pub struct AnswerInput {
    pub answer: Answer,
    pub reason: String,
}

impl AnswerInput {
    /// Errors name the form's fields (`answer`, `reason`).
    pub fn parse(answer: &str, reason: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let parsed = Answer::parse(answer);
        if parsed.is_none() {
            errors.add("answer", "answer-error-missing");
        }
        let reason = crate::forms::without_bidi_controls(reason.trim()).into_owned();
        if reason.chars().count() > REASON_MAX_CHARS {
            errors.add("reason", "answer-error-too-long");
        }
        match parsed {
            Some(answer) if errors.is_empty() => Ok(Self { answer, reason }),
            _ => Err(errors),
        }
    }
}

/// Why an answer is not taken now; each is a Fluent key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No report yet, or no closing date set.
    NotOpen,
    Closed,
    /// The position is not the participant's, or nothing answered it.
    NotAnswerable,
}

impl Refused {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::NotOpen => "answers-refused-not-open",
            Self::Closed => "answers-refused-closed",
            Self::NotAnswerable => "answers-refused-not-answerable",
        }
    }
}

/// Whether answers are taken on the round at `now`, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub published: bool,
    pub closes_at: Option<PrimitiveDateTime>,
}

impl Window {
    pub fn check(&self, now: PrimitiveDateTime) -> Result<PrimitiveDateTime, Refused> {
        match self.closes_at {
            Some(close) if self.published && now < close => Ok(close),
            Some(_) if self.published => Err(Refused::Closed),
            _ => Err(Refused::NotOpen),
        }
    }
}

pub fn window(conn: &mut DbConnection, round: RoundId) -> QueryResult<Window> {
    let closes_at: Option<PrimitiveDateTime> = rounds::table
        .find(round)
        .select(rounds::answers_close_at)
        .first(conn)?;
    let published = diesel::select(diesel::dsl::exists(
        reports::table.filter(reports::round_id.eq(round)),
    ))
    .get_result(conn)?;
    Ok(Window {
        published,
        closes_at,
    })
}

/// A position of a participant that may be answered, with what it answers.
#[derive(Debug, Clone, Serialize)]
pub struct Answerable {
    pub position: PositionId,
    pub provision_key: String,
    pub label: String,
    pub heading: String,
    pub stance: Option<Stance>,
    pub comment: String,
    pub disposition: Option<Disposition>,
    /// Markdown, as the organizers wrote it.
    pub disposition_reason: Option<String>,
    pub response: Option<String>,
    pub answer: Option<Answer>,
    pub reason: String,
}

/// The participant's submitted positions on `round` that received a
/// confirmed disposition or whose provision received a response, in the
/// draft's order.
pub fn answerable(
    conn: &mut DbConnection,
    round: &Round,
    participant: UserId,
) -> QueryResult<Vec<Answerable>> {
    type Row = (PositionId, String, String, String, Option<String>, String);
    let rows: Vec<Row> = positions::table
        .inner_join(submissions::table)
        .inner_join(provisions::table)
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::participant_id.eq(participant))
        .filter(submissions::status.eq("submitted"))
        .filter(positions::stance.is_not_null())
        .order(provisions::ordinal.asc())
        .select((
            positions::id,
            provisions::provision_key,
            provisions::label,
            provisions::heading,
            positions::stance,
            positions::comment,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0.0).collect();
    let decided: HashMap<i64, (String, String)> = text_dispositions::table
        .filter(text_dispositions::round_id.eq(round.id))
        .filter(text_dispositions::text_kind.eq(TextKind::Position.as_str()))
        .filter(text_dispositions::state.eq(DispositionState::Confirmed.as_str()))
        .filter(text_dispositions::text_id.eq_any(&ids))
        .select((
            text_dispositions::text_id,
            (text_dispositions::disposition, text_dispositions::reason),
        ))
        .load::<(i64, (String, String))>(conn)?
        .into_iter()
        .collect();
    let responses: HashMap<String, String> = provision_responses::table
        .filter(provision_responses::round_id.eq(round.id))
        .select((
            provision_responses::provision_key,
            provision_responses::response,
        ))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|(_, r)| !r.trim().is_empty())
        .collect();
    let mut answered: HashMap<i64, (String, String)> = response_answers::table
        .filter(response_answers::position_id.eq_any(&ids))
        .select((
            response_answers::position_id,
            (response_answers::answer, response_answers::reason),
        ))
        .load::<(i64, (String, String))>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(id, key, label, heading, stance, comment)| {
            let decided = decided.get(&id.0);
            let response = responses.get(&key).cloned();
            if decided.is_none() && response.is_none() {
                return None;
            }
            let (answer, reason) = answered.remove(&id.0).unzip();
            Some(Answerable {
                position: id,
                provision_key: key,
                label,
                heading,
                stance: stance.as_deref().and_then(Stance::parse),
                comment,
                disposition: decided.and_then(|(d, _)| Disposition::parse(d)),
                disposition_reason: decided.map(|(_, r)| r.clone()).filter(|r| !r.is_empty()),
                response,
                answer: answer.as_deref().and_then(Answer::parse),
                reason: reason.unwrap_or_default(),
            })
        })
        .collect())
}

#[derive(Serialize)]
struct ObjectionEmail<'a> {
    name: &'a str,
    title: &'a str,
    round: i32,
    provision: &'a str,
    group: String,
    reason: &'a str,
    link: String,
}

/// Records the participant's answer on their position on provision `key`,
/// and tells the organizers of a new formal objection, in one transaction.
pub fn record(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    participant: UserId,
    key: &str,
    input: &AnswerInput,
    now: PrimitiveDateTime,
) -> Result<Result<(), Refused>, NotifyError> {
    crate::db::write_transaction(conn, |conn| {
        if let Err(refused) = window(conn, round.id)?.check(now) {
            return Ok(Err(refused));
        }
        let Some(position) = answerable(conn, round, participant)?
            .into_iter()
            .find(|a| a.provision_key == key)
        else {
            return Ok(Err(Refused::NotAnswerable));
        };
        let existing: Option<(i64, Option<PrimitiveDateTime>)> = response_answers::table
            .filter(response_answers::position_id.eq(position.position))
            .select((response_answers::id, response_answers::objection_notice_at))
            .first(conn)
            .optional()?;
        let answer_id = match existing {
            Some((id, _)) => {
                diesel::update(response_answers::table.find(id))
                    .set((
                        response_answers::answer.eq(input.answer.as_str()),
                        response_answers::reason.eq(&input.reason),
                        response_answers::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                id
            }
            None => diesel::insert_into(response_answers::table)
                .values((
                    response_answers::round_id.eq(round.id),
                    response_answers::position_id.eq(position.position),
                    response_answers::participant_id.eq(participant),
                    response_answers::answer.eq(input.answer.as_str()),
                    response_answers::reason.eq(&input.reason),
                    response_answers::created_at.eq(now),
                    response_answers::updated_at.eq(now),
                ))
                .returning(response_answers::id)
                .get_result(conn)?,
        };
        let notified = existing.is_some_and(|(_, at)| at.is_some());
        if input.answer == Answer::FormalObjection && !notified {
            tell_organizers(
                conn,
                notifier,
                round,
                participant,
                answer_id,
                key,
                input,
                now,
            )?;
            diesel::update(response_answers::table.find(answer_id))
                .set(response_answers::objection_notice_at.eq(now))
                .execute(conn)?;
        }
        crate::reports::round_changed(conn, round.id, now)?;
        Ok(Ok(()))
    })
}

#[allow(clippy::too_many_arguments)]
fn tell_organizers(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    participant: UserId,
    answer: i64,
    key: &str,
    input: &AnswerInput,
    now: PrimitiveDateTime,
) -> Result<usize, NotifyError> {
    let consultation = consultations::table
        .find(round.consultation_id)
        .select(Consultation::as_select())
        .first(conn)?;
    let group: String = submissions::table
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::participant_id.eq(participant))
        .select(submissions::stakeholder_group)
        .first(conn)?;
    let group = StakeholderGroup::parse(&group).unwrap_or(StakeholderGroup::Individual);
    let organizers: Vec<(UserId, String, String, String)> = users::table
        .filter(users::role.eq_any(["organizer", "admin"]))
        .filter(users::deleted_at.is_null())
        .select((users::id, users::email, users::display_name, users::locale))
        .load(conn)?;
    let link = format!(
        "{}/admin/consultations/{}/rounds/{}/report/provisions/{key}",
        notifier.base_url(),
        consultation.slug,
        round.number
    );
    let messages: Vec<Message<ObjectionEmail>> = organizers
        .iter()
        .map(|(id, email, name, locale)| {
            let locale = Locale::parse(locale).unwrap_or_default();
            Message {
                kind: Kind::FormalObjection,
                to: email,
                locale,
                dedup_key: Some(format!("answer:{answer}:objection:{id}")),
                data: ObjectionEmail {
                    name,
                    title: consultation.title_for(locale),
                    round: round.number,
                    provision: key,
                    group: crate::i18n::t(locale, &group.label_key()),
                    reason: &input.reason,
                    link: link.clone(),
                },
            }
        })
        .collect();
    notifier.enqueue_all(conn, &messages, now)
}

#[derive(Serialize)]
struct WindowEmail<'a> {
    name: &'a str,
    title: &'a str,
    round: i32,
    closes: String,
    link: String,
}

/// Takes answers on a published round until `closes_at` without telling
/// anyone, as if they had been told already (the demo, whose accounts are
/// synthetic).
pub fn open_quietly(
    conn: &mut DbConnection,
    round: RoundId,
    closes_at: PrimitiveDateTime,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(rounds::table.find(round))
        .set((
            rounds::answers_close_at.eq(closes_at),
            rounds::answers_notice_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Sets until when answers are taken on a published round and, the first
/// time, tells every participant who has something to answer.
pub fn set_window(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    published: bool,
    closes_at: PrimitiveDateTime,
    actor: UserId,
    now: PrimitiveDateTime,
) -> Result<Result<(), ActionRefused>, NotifyError> {
    if !published {
        return Ok(Err(ActionRefused::NotPublished));
    }
    if closes_at <= now {
        return Ok(Err(ActionRefused::BadClosingTime));
    }
    crate::db::write_transaction(conn, |conn| {
        diesel::update(rounds::table.find(round.id))
            .set(rounds::answers_close_at.eq(closes_at))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::RoundAnswers,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: &format!("round {}", round.number),
                details: &format!("answers until {}", rfc3339(closes_at)),
            },
            now,
        )?;
        // Claimed with a conditional update, so that two organizers saving
        // at once send the e-mails once.
        let first = diesel::update(
            rounds::table
                .find(round.id)
                .filter(rounds::answers_notice_at.is_null()),
        )
        .set(rounds::answers_notice_at.eq(now))
        .execute(conn)?
            == 1;
        if first {
            tell_commenters(conn, notifier, round, closes_at, now)?;
        }
        Ok(Ok(()))
    })
}

fn tell_commenters(
    conn: &mut DbConnection,
    notifier: &Notifier,
    round: &Round,
    closes_at: PrimitiveDateTime,
    now: PrimitiveDateTime,
) -> Result<usize, NotifyError> {
    let consultation = consultations::table
        .find(round.consultation_id)
        .select(Consultation::as_select())
        .first(conn)?;
    let people: Vec<(UserId, String, String, String)> = users::table
        .inner_join(submissions::table)
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::status.eq("submitted"))
        .filter(users::deleted_at.is_null())
        .select((users::id, users::email, users::display_name, users::locale))
        .load(conn)?;
    let link = format!(
        "{}/consultations/{}/rounds/{}/answers",
        notifier.base_url(),
        consultation.slug,
        round.number
    );
    let mut messages = vec![];
    for (id, email, name, locale) in &people {
        if answerable(conn, round, *id)?.is_empty() {
            continue;
        }
        let locale = Locale::parse(locale).unwrap_or_default();
        messages.push(Message {
            kind: Kind::AnswersOpen,
            to: email.as_str(),
            locale,
            dedup_key: Some(format!("round:{}:answers:{id}", round.id)),
            data: WindowEmail {
                name,
                title: consultation.title_for(locale),
                round: round.number,
                closes: crate::i18n::format_datetime(locale, closes_at.assume_utc()),
                link: link.clone(),
            },
        });
    }
    notifier.enqueue_all(conn, &messages, now)
}

/// A provision's answers from one group, as the report counts them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct AnswerCount {
    pub group: Option<StakeholderGroup>,
    pub satisfied: i64,
    pub not_satisfied: i64,
    pub formal_objection: i64,
}

/// The round's answers per provision key and group. One row per answer: at
/// most one per counted position, and only where something was answered.
pub fn counts(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<BTreeMap<String, Vec<AnswerCount>>> {
    let rows: Vec<(String, String, String)> = response_answers::table
        .inner_join(
            positions::table
                .inner_join(submissions::table)
                .inner_join(provisions::table),
        )
        .filter(response_answers::round_id.eq(round))
        .filter(submissions::status.eq("submitted"))
        .select((
            provisions::provision_key,
            submissions::stakeholder_group,
            response_answers::answer,
        ))
        .load(conn)?;
    let mut out: BTreeMap<String, BTreeMap<StakeholderGroup, AnswerCount>> = BTreeMap::new();
    for (key, group, answer) in rows {
        let n = 1;
        let (Some(group), Some(answer)) = (StakeholderGroup::parse(&group), Answer::parse(&answer))
        else {
            continue;
        };
        let count = out
            .entry(key)
            .or_default()
            .entry(group)
            .or_insert(AnswerCount {
                group: Some(group),
                ..AnswerCount::default()
            });
        match answer {
            Answer::Satisfied => count.satisfied += n,
            Answer::NotSatisfied => count.not_satisfied += n,
            Answer::FormalObjection => count.formal_objection += n,
        }
    }
    Ok(out
        .into_iter()
        .map(|(key, groups)| (key, groups.into_values().collect()))
        .collect())
}

/// The groups that object as a whole: every one of the group's participants
/// counted on the provision (`counted`, stance given) filed a formal
/// objection, and the group counts in the consensus label.
pub fn objecting_groups(
    answers: &[AnswerCount],
    counted: impl Fn(StakeholderGroup) -> Option<i64>,
) -> Vec<StakeholderGroup> {
    answers
        .iter()
        .filter_map(|a| {
            let group = a.group?;
            let counted = counted(group)?;
            (counted > 0 && a.formal_objection >= counted).then_some(group)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_reason_over_the_limit_and_an_unknown_answer_are_refused_by_field() {
        let long = "x".repeat(REASON_MAX_CHARS + 1);
        let errors = AnswerInput::parse("maybe", &long).err().unwrap();
        assert!(errors.has("answer") && errors.has("reason"));
        let ok = AnswerInput::parse("formal_objection", "  Not addressed. ").unwrap();
        assert_eq!(ok.answer, Answer::FormalObjection);
        assert_eq!(ok.reason, "Not addressed.");
    }

    #[test]
    fn answers_are_taken_only_after_publication_and_before_the_date() {
        let close = datetime!(2026-03-01 00:00);
        let open = Window {
            published: true,
            closes_at: Some(close),
        };
        assert_eq!(open.check(datetime!(2026-02-28 23:59)), Ok(close));
        assert_eq!(open.check(close), Err(Refused::Closed));
        let unset = Window {
            published: true,
            closes_at: None,
        };
        assert_eq!(
            unset.check(datetime!(2026-02-01 00:00)),
            Err(Refused::NotOpen)
        );
        let unpublished = Window {
            published: false,
            ..open
        };
        assert_eq!(
            unpublished.check(datetime!(2026-02-01 00:00)),
            Err(Refused::NotOpen)
        );
    }

    #[test]
    fn a_group_objects_as_a_whole_only_when_all_its_counted_participants_do() {
        let answers = [
            AnswerCount {
                group: Some(StakeholderGroup::Government),
                formal_objection: 3,
                ..AnswerCount::default()
            },
            AnswerCount {
                group: Some(StakeholderGroup::Academia),
                formal_objection: 2,
                satisfied: 1,
                ..AnswerCount::default()
            },
        ];
        let counted = |g| {
            Some(if g == StakeholderGroup::Government {
                3
            } else {
                4
            })
        };
        assert_eq!(
            objecting_groups(&answers, counted),
            vec![StakeholderGroup::Government]
        );
        assert!(objecting_groups(&answers, |_| None).is_empty());
    }
}
