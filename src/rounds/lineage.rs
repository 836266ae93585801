//! Rounds that build on one another: the earlier round a round follows, and
//! how the provisions of the two drafts match by key (unchanged, changed,
//! new, removed), word by word where they differ.

use super::{Round, apply};
use crate::db::schema::rounds;
use crate::db::{DbConnection, RoundId, UserId};
use crate::drafts::Provision;
use crate::drafts::diff::{self, ChangeKind, ProvisionChange};
use diesel::prelude::*;
use time::PrimitiveDateTime;

/// The round a new round follows unless the organizer says otherwise: the
/// consultation's latest one.
pub(super) fn latest_round(
    conn: &mut DbConnection,
    consultation: crate::db::ConsultationId,
) -> QueryResult<Option<RoundId>> {
    rounds::table
        .filter(rounds::consultation_id.eq(consultation))
        .order(rounds::number.desc())
        .select(rounds::id)
        .first(conn)
        .optional()
}

/// Why a round cannot follow the one asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    /// Only an earlier round of the same consultation: a round never
    /// follows itself, a later round or another consultation's.
    #[error("not an earlier round of this consultation")]
    NotEarlier,
}

impl LinkRefused {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::NotEarlier => "round-follows-not-earlier",
        }
    }
}

/// Makes `round` follow the round numbered `follows` of its consultation
/// (none when `None`), audit-logged. `rounds` are the consultation's rounds.
pub fn set_follows(
    conn: &mut DbConnection,
    round: &Round,
    rounds: &[Round],
    follows: Option<i32>,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Result<(), LinkRefused>> {
    let earlier = match follows {
        None => None,
        Some(n) => match rounds
            .iter()
            .find(|r| r.number == n && r.number < round.number)
            .filter(|r| r.consultation_id == round.consultation_id)
        {
            Some(r) => Some(r.id),
            None => return Ok(Err(LinkRefused::NotEarlier)),
        },
    };
    let details = match follows {
        Some(n) => format!("follows round {n}"),
        None => "follows no round".to_string(),
    };
    // `apply` refuses nothing of its own: the check is above.
    let _ = apply(
        conn,
        round,
        actor,
        crate::audit::Action::RoundLink,
        &details,
        now,
        rounds::follows_round_id.eq(earlier),
    )?;
    Ok(Ok(()))
}

/// How the provisions of a round's draft stand against those of the round
/// it follows, matched by key.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    /// Every provision of the later draft in order, then those it dropped.
    pub changes: Vec<ProvisionChange>,
}

impl Lineage {
    pub fn between(earlier: &[Provision], later: &[Provision]) -> Self {
        Self {
            changes: diff::compare(earlier, later),
        }
    }

    pub fn change(&self, key: &str) -> Option<&ProvisionChange> {
        self.changes.iter().find(|c| c.key == key)
    }

    /// Whether a provision reads exactly as it did in the earlier round, so
    /// an answer given to it then still answers it.
    pub fn is_unchanged(&self, key: &str) -> bool {
        self.change(key)
            .is_some_and(|c| c.kind == ChangeKind::Unchanged)
    }

    pub fn removed(&self) -> impl Iterator<Item = &ProvisionChange> {
        self.changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::drafts::test_provision as p;

    #[test]
    fn provisions_are_matched_by_key_across_the_two_drafts() {
        let earlier = [p("art-1", "Same"), p("art-2", "Old"), p("art-3", "Gone")];
        let later = [p("art-1", "Same"), p("art-2", "New"), p("art-4", "Added")];
        let lineage = Lineage::between(&earlier, &later);
        let kind = |k: &str| lineage.change(k).map(|c| c.kind);
        assert_eq!(kind("art-1"), Some(ChangeKind::Unchanged));
        assert_eq!(kind("art-2"), Some(ChangeKind::Changed));
        assert_eq!(kind("art-4"), Some(ChangeKind::Added));
        assert_eq!(kind("art-3"), Some(ChangeKind::Removed));
        assert!(lineage.is_unchanged("art-1"));
        assert!(!lineage.is_unchanged("art-2"));
        assert!(!lineage.is_unchanged("art-4"), "nothing to carry over");
        let removed: Vec<&str> = lineage.removed().map(|c| c.key.as_str()).collect();
        assert_eq!(removed, ["art-3"]);
    }
}
