//! What a participant of a round that follows another sees of the earlier
//! round, once (and only once) its report is published: what that report
//! says of each provision, their own submitted answers with the disposition
//! published for each of their comments, and "start from my previous
//! answers", which carries their stances over to the provisions that have
//! not changed.

use super::{Input, Stance, Status};
use crate::analysis::Disposition;
use crate::db::schema::{positions, provisions, report_texts, rounds, submissions};
use crate::db::{DbConnection, PositionId, ReportId, UserId};
use crate::drafts::{self, Provision};
use crate::reports::{ProvisionReport, ReportError};
use crate::rounds::Round;
use crate::rounds::lineage::Lineage;
use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

/// The earlier round as its published report tells it: the same for every
/// reader of the later round.
#[derive(Debug, Clone)]
pub struct EarlierRound {
    pub round: Round,
    /// The latest published version of its report.
    pub report: ReportId,
    pub lineage: Lineage,
    /// By provision key, as published (figures and the organizers' response).
    pub published: HashMap<String, ProvisionReport>,
}

/// The round `round` follows, if it has one and its report is published.
pub fn earlier_round(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[Provision],
) -> Result<Option<EarlierRound>, ReportError> {
    let Some(id) = round.follows_round_id else {
        return Ok(None);
    };
    let earlier: Round = rounds::table
        .find(id)
        .select(Round::as_select())
        .first(conn)?;
    let Some(stored) = crate::reports::stored(conn, earlier.id, None)? else {
        return Ok(None);
    };
    let snapshot: crate::reports::Snapshot = serde_json::from_str(&stored.snapshot)?;
    let before = drafts::provisions_of(conn, earlier.draft_version_id)?;
    Ok(Some(EarlierRound {
        lineage: Lineage::between(&before, provisions),
        published: snapshot
            .provisions
            .into_iter()
            .map(|p| (p.key.clone(), p))
            .collect(),
        report: stored.id,
        round: earlier,
    }))
}

/// A participant's own submitted answer to a provision of the earlier round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EarlierAnswer {
    pub stance: Option<Stance>,
    pub comment: String,
    /// What the organizers decided about the comment, as published with the
    /// report (none for a confidential or hidden comment).
    pub disposition: Option<Disposition>,
    pub disposition_reason: Option<String>,
}

/// The participant's submitted answers in the earlier round, by provision
/// key; empty when they submitted nothing (or withdrew). Nobody else's.
pub fn own_answers(
    conn: &mut DbConnection,
    earlier: &EarlierRound,
    participant: UserId,
) -> QueryResult<BTreeMap<String, EarlierAnswer>> {
    let rows: Vec<(PositionId, String, Option<String>, String)> = positions::table
        .inner_join(submissions::table)
        .inner_join(provisions::table)
        .filter(submissions::round_id.eq(earlier.round.id))
        .filter(submissions::participant_id.eq(participant))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .select((
            positions::id,
            provisions::provision_key,
            positions::stance,
            positions::comment,
        ))
        .load(conn)?;
    // Most readers of a later round answered nothing in the earlier one:
    // their pages skip the second query.
    if rows.is_empty() {
        return Ok(BTreeMap::new());
    }
    let ids: Vec<PositionId> = rows.iter().map(|r| r.0).collect();
    let decided: Vec<(Option<PositionId>, Option<String>, Option<String>)> = report_texts::table
        .filter(report_texts::report_id.eq(earlier.report))
        .filter(report_texts::position_id.eq_any(&ids))
        .filter(report_texts::disposition.is_not_null())
        .select((
            report_texts::position_id,
            report_texts::disposition,
            report_texts::disposition_reason,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, key, stance, comment)| {
            let decision = decided.iter().find(|d| d.0 == Some(id));
            let answer = EarlierAnswer {
                stance: stance.as_deref().and_then(Stance::parse),
                comment,
                disposition: decision
                    .and_then(|d| d.1.as_deref())
                    .and_then(Disposition::parse),
                disposition_reason: decision.and_then(|d| d.2.clone()).filter(|r| !r.is_empty()),
            };
            (key, answer)
        })
        .collect())
}

/// `current` with the earlier stances laid over the provisions that read as
/// they did and that have no stance yet, and how many were carried over.
/// Answers already given in this round, and every changed provision, are
/// left alone: doing it twice carries nothing more.
pub fn start_from_previous(
    current: Option<&Input>,
    answers: &BTreeMap<String, EarlierAnswer>,
    lineage: &Lineage,
) -> (Input, usize) {
    let mut input = current.cloned().unwrap_or_default();
    let mut carried = 0;
    for (key, answer) in answers {
        let Some(stance) = answer.stance else {
            continue;
        };
        if !lineage.is_unchanged(key) {
            continue;
        }
        let position = input.positions.entry(key.clone()).or_default();
        if position.stance.is_none() {
            position.stance = Some(stance);
            carried += 1;
        }
    }
    (input, carried)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submissions::PositionInput;

    use crate::drafts::test_provision as p;

    fn said(stance: Stance) -> EarlierAnswer {
        EarlierAnswer {
            stance: Some(stance),
            comment: "Then".into(),
            ..Default::default()
        }
    }

    #[test]
    fn only_unchanged_unanswered_provisions_take_the_earlier_stance() {
        let lineage = Lineage::between(
            &[
                p("a", "same"),
                p("b", "old"),
                p("c", "same"),
                p("gone", "x"),
            ],
            &[
                p("a", "same"),
                p("b", "new"),
                p("c", "same"),
                p("d", "added"),
            ],
        );
        let answers: BTreeMap<String, EarlierAnswer> = [
            ("a", said(Stance::Support)),
            ("b", said(Stance::Oppose)),
            ("c", said(Stance::Oppose)),
            ("gone", said(Stance::Oppose)),
        ]
        .into_iter()
        .map(|(k, a)| (k.to_string(), a))
        .collect();
        let mut now = Input::default();
        now.positions.insert(
            "c".into(),
            PositionInput {
                stance: Some(Stance::Support),
                ..Default::default()
            },
        );
        let (input, carried) = start_from_previous(Some(&now), &answers, &lineage);
        assert_eq!(carried, 1);
        assert_eq!(input.positions["a"].stance, Some(Stance::Support));
        assert_eq!(input.positions["a"].comment, "", "comments are not copied");
        assert!(
            !input.positions.contains_key("b"),
            "changed: left to review"
        );
        assert_eq!(input.positions["c"].stance, Some(Stance::Support), "kept");
        assert!(!input.positions.contains_key("gone"));
        let (again, carried) = start_from_previous(Some(&input), &answers, &lineage);
        assert_eq!((again, carried), (input, 0), "idempotent");
    }
}
