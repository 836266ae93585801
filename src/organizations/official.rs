//! An organization's official submission: one per round, drafted together
//! (every drafter edits the same draft, each save a revision with its
//! author) and submitted by a signatory.

use super::Organization;
use super::membership::{self, MemberState};
use crate::db::{DbConnection, RoundId, UserId};
use crate::submissions::{self, RevisionAction, Stored};
use diesel::prelude::*;

/// Refuses `action` unless `user` is an active member with the right to it
/// now: a drafter (or signatory) saves, a signatory submits or withdraws.
/// Checked inside the write, so a member who left a moment ago is refused
/// and the draft they left stays as it was.
pub fn check_rights(
    conn: &mut DbConnection,
    organization: &Organization,
    user: UserId,
    action: RevisionAction,
) -> QueryResult<Result<(), &'static str>> {
    let Some(member) = membership::of(conn, organization.id, user, MemberState::Active)? else {
        return Ok(Err("official-members-only"));
    };
    let allowed = match action {
        RevisionAction::Save => member.drafter || member.signatory,
        RevisionAction::Submit | RevisionAction::Withdraw => member.signatory,
    };
    Ok(if allowed {
        Ok(())
    } else if action == RevisionAction::Save {
        Err("official-drafters-only")
    } else {
        Err("official-signatories-only")
    })
}

/// The organization's official submission to `round`, with the changes its
/// drafters saved since it was submitted.
pub fn load(
    conn: &mut DbConnection,
    round: RoundId,
    organization: &Organization,
) -> QueryResult<Option<Stored>> {
    let Some(id) = submissions::official_id(conn, round, organization.id)? else {
        return Ok(None);
    };
    match submissions::load_by_id(conn, id)? {
        Some(stored) => submissions::with_pending(conn, stored).map(Some),
        None => Ok(None),
    }
}
