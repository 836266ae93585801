//! What the organizers decided about each text: analysts propose a
//! disposition, organizers record or confirm it; every decision is
//! audit-logged, so changing one later keeps its history.

use super::access::Analysis;
use super::{Disposition, DispositionState, TextKind, TextRef};
use crate::audit;
use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, submissions, text_dispositions};
use crate::db::{DbConnection, PositionId, ProvisionId, RoundId, SubmissionId, UserId};
use crate::forms::FieldErrors;
use crate::rounds::Round;
use crate::submissions::{Disclosure, Stance};
use diesel::prelude::*;
use std::collections::HashMap;
use time::PrimitiveDateTime;

/// A reason longer than this is refused (about two pages of Markdown).
pub const REASON_MAX_CHARS: usize = 5_000;

/// The form's fields, as posted.
pub struct Proposal {
    pub disposition: Disposition,
    /// Markdown, shown through the sanitizing `markdown` module.
    pub reason: String,
}

impl Proposal {
    /// Errors name the form's fields (`disposition`, `reason`).
    pub fn parse(disposition: &str, reason: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let parsed = Disposition::parse(disposition);
        if parsed.is_none() {
            errors.add("disposition", "disposition-error-unknown");
        }
        let reason = reason.trim();
        if reason.chars().count() > REASON_MAX_CHARS {
            errors.add("reason", "disposition-error-too-long");
        }
        match parsed {
            Some(disposition) if errors.is_empty() => Ok(Proposal {
                disposition,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// A text of a round with what the analysis workspace may see of it: every
/// submitted text, confidential ones included (never to be quoted).
#[derive(Debug, Clone)]
pub struct AnalysedText {
    pub text: TextRef,
    /// '' for a general comment.
    pub provision_key: String,
    pub group: Option<StakeholderGroup>,
    pub stance: Option<Stance>,
    pub disclosure: Option<Disclosure>,
    pub comment: String,
    pub proposed_text: String,
    /// What changed the participant's mind since the round this one follows.
    pub changed_mind: String,
    pub hidden: bool,
}

#[derive(Queryable)]
struct PositionText {
    stance: Option<String>,
    comment: String,
    proposed_text: String,
    changed_mind: String,
    hidden: bool,
    group: String,
    disclosure: String,
    provision_key: String,
}

/// A disposition as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub disposition: Disposition,
    pub reason: String,
    pub state: DispositionState,
}

/// Why a disposition was not recorded.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// An analyst may not replace what an organizer confirmed.
    AlreadyConfirmed,
}

/// The submitted text `text` names in `round`, or None (a text of another
/// round or consultation, a draft, a withdrawn submission, an empty text):
/// callers answer 404.
pub fn find_text(
    conn: &mut DbConnection,
    round: &Round,
    text: TextRef,
) -> QueryResult<Option<AnalysedText>> {
    use crate::db::schema::provisions;
    match text.kind {
        TextKind::Position => {
            let row: Option<PositionText> = positions::table
                .inner_join(submissions::table)
                .inner_join(provisions::table)
                .filter(positions::id.eq(PositionId(text.id)))
                .filter(submissions::round_id.eq(round.id))
                .filter(submissions::status.eq("submitted"))
                .select((
                    positions::stance,
                    positions::comment,
                    positions::proposed_text,
                    positions::changed_mind,
                    positions::hidden_at.is_not_null(),
                    submissions::stakeholder_group,
                    submissions::disclosure,
                    provisions::provision_key,
                ))
                .first(conn)
                .optional()?;
            Ok(row
                .filter(|r| !r.comment.trim().is_empty() || !r.proposed_text.trim().is_empty())
                .map(|r| AnalysedText {
                    text,
                    provision_key: r.provision_key,
                    group: StakeholderGroup::parse(&r.group),
                    stance: r.stance.as_deref().and_then(Stance::parse),
                    disclosure: Disclosure::parse(&r.disclosure),
                    comment: r.comment,
                    proposed_text: r.proposed_text,
                    changed_mind: r.changed_mind,
                    hidden: r.hidden,
                }))
        }
        TextKind::General => {
            let row: Option<(String, bool, String, String)> = submissions::table
                .filter(submissions::id.eq(SubmissionId(text.id)))
                .filter(submissions::round_id.eq(round.id))
                .filter(submissions::status.eq("submitted"))
                .filter(submissions::general_comment.ne(""))
                .select((
                    submissions::general_comment,
                    submissions::general_comment_hidden_reason.is_not_null(),
                    submissions::stakeholder_group,
                    submissions::disclosure,
                ))
                .first(conn)
                .optional()?;
            Ok(
                row.map(|(comment, hidden, group, disclosure)| AnalysedText {
                    text,
                    provision_key: String::new(),
                    group: StakeholderGroup::parse(&group),
                    stance: None,
                    disclosure: Disclosure::parse(&disclosure),
                    comment,
                    proposed_text: String::new(),
                    changed_mind: String::new(),
                    hidden,
                }),
            )
        }
    }
}

/// Records `proposal` for a text already found in `round` (see
/// `find_text`): proposed when an analyst sends it, confirmed when an
/// organizer does. Audit-logged in the same transaction.
pub fn record(
    conn: &mut DbConnection,
    round: &Round,
    text: TextRef,
    role: Analysis,
    proposal: &Proposal,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<Recorded, Refused>> {
    let state = match role {
        Analysis::Organizer => DispositionState::Confirmed,
        Analysis::Analyst => DispositionState::Proposed,
    };
    crate::db::write_transaction(conn, |conn| {
        let current = of_texts(conn, &[text])?.remove(&text);
        if role == Analysis::Analyst
            && current
                .as_ref()
                .is_some_and(|c| c.state == DispositionState::Confirmed)
        {
            return Ok(Err(Refused::AlreadyConfirmed));
        }
        let values = (
            text_dispositions::disposition.eq(proposal.disposition.as_str()),
            text_dispositions::reason.eq(&proposal.reason),
            text_dispositions::state.eq(state.as_str()),
            text_dispositions::decided_by.eq(actor),
            text_dispositions::decided_at.eq(now),
        );
        if current.is_some() {
            diesel::update(
                text_dispositions::table
                    .filter(text_dispositions::text_kind.eq(text.kind.as_str()))
                    .filter(text_dispositions::text_id.eq(text.id)),
            )
            .set(values)
            .execute(conn)?;
        } else {
            diesel::insert_into(text_dispositions::table)
                .values((
                    text_dispositions::round_id.eq(round.id),
                    text_dispositions::text_kind.eq(text.kind.as_str()),
                    text_dispositions::text_id.eq(text.id),
                    values,
                ))
                .execute(conn)?;
        }
        // The draft report shows confirmed dispositions: a stored one is stale.
        crate::reports::round_changed(conn, round.id, now)?;
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: match state {
                    DispositionState::Proposed => audit::Action::DispositionPropose,
                    DispositionState::Confirmed => audit::Action::DispositionConfirm,
                },
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: &format!("{} {}", text.kind.as_str(), text.id),
                details: &format!("{}: {}", proposal.disposition.as_str(), proposal.reason),
            },
            now,
        )?;
        Ok(Ok(Recorded {
            disposition: proposal.disposition,
            reason: proposal.reason.clone(),
            state,
        }))
    })
}

/// The dispositions recorded for `texts`, proposed or confirmed.
pub fn of_texts(
    conn: &mut DbConnection,
    texts: &[TextRef],
) -> QueryResult<HashMap<TextRef, Recorded>> {
    let mut found = HashMap::new();
    for kind in TextKind::ALL {
        let ids: Vec<i64> = texts
            .iter()
            .filter(|t| t.kind == *kind)
            .map(|t| t.id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let rows: Vec<(i64, String, String, String)> = text_dispositions::table
            .filter(text_dispositions::text_kind.eq(kind.as_str()))
            .filter(text_dispositions::text_id.eq_any(ids))
            .select((
                text_dispositions::text_id,
                text_dispositions::disposition,
                text_dispositions::reason,
                text_dispositions::state,
            ))
            .load(conn)?;
        for (id, disposition, reason, state) in rows {
            let (Some(disposition), Some(state)) = (
                Disposition::parse(&disposition),
                DispositionState::parse(&state),
            ) else {
                continue;
            };
            found.insert(
                TextRef { kind: *kind, id },
                Recorded {
                    disposition,
                    reason,
                    state,
                },
            );
        }
    }
    Ok(found)
}

/// The confirmed dispositions of a provision's positions in `round`, by
/// position id: what a report publishes next to them.
pub fn confirmed_on_provision(
    conn: &mut DbConnection,
    round: RoundId,
    provision: ProvisionId,
) -> QueryResult<HashMap<i64, (Disposition, String)>> {
    let rows: Vec<(i64, String, String)> = text_dispositions::table
        .inner_join(positions::table.on(positions::id.eq(text_dispositions::text_id)))
        .filter(text_dispositions::round_id.eq(round))
        .filter(text_dispositions::text_kind.eq(TextKind::Position.as_str()))
        .filter(text_dispositions::state.eq(DispositionState::Confirmed.as_str()))
        .filter(positions::provision_id.eq(provision))
        .select((
            text_dispositions::text_id,
            text_dispositions::disposition,
            text_dispositions::reason,
        ))
        .load(conn)?;
    Ok(confirmed(rows))
}

/// The confirmed dispositions of a round's general comments, by submission id.
pub fn confirmed_general(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<HashMap<i64, (Disposition, String)>> {
    let rows: Vec<(i64, String, String)> = text_dispositions::table
        .filter(text_dispositions::round_id.eq(round))
        .filter(text_dispositions::text_kind.eq(TextKind::General.as_str()))
        .filter(text_dispositions::state.eq(DispositionState::Confirmed.as_str()))
        .select((
            text_dispositions::text_id,
            text_dispositions::disposition,
            text_dispositions::reason,
        ))
        .load(conn)?;
    Ok(confirmed(rows))
}

fn confirmed(rows: Vec<(i64, String, String)>) -> HashMap<i64, (Disposition, String)> {
    rows.into_iter()
        .filter_map(|(id, d, reason)| Some((id, (Disposition::parse(&d)?, reason))))
        .collect()
}

impl Disposition {
    /// The Fluent message naming it.
    pub fn label_key(self) -> &'static str {
        match self {
            Disposition::Accepted => "disposition-accepted",
            Disposition::PartlyAccepted => "disposition-partly-accepted",
            Disposition::NotAccepted => "disposition-not-accepted",
            Disposition::OutOfScope => "disposition-out-of-scope",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_disposition_and_a_long_reason_are_refused_by_field() {
        let long = "x".repeat(REASON_MAX_CHARS + 1);
        let errors = Proposal::parse("maybe", &long).err().unwrap();
        assert!(errors.has("disposition") && errors.has("reason"));
        let ok = Proposal::parse("partly_accepted", "  See *article 2*.  ").unwrap();
        assert_eq!(ok.disposition, Disposition::PartlyAccepted);
        assert_eq!(ok.reason, "See *article 2*.");
    }
}
