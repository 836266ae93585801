//! Storing a participant's save, submit or withdrawal, with its receipt.

use super::{Input, NewRevision, Owner, RevisionAction, Saved, save};
use crate::accounts::User;
use crate::db::{Db, DbConnection, DbError};
use crate::drafts::Provision;
use crate::notifications::Composed;
use crate::organizations::{Organization, joint, membership, official};
use crate::replies::{self, Guard};
use crate::rounds::{self, Round, RoundState};
use std::sync::Arc;

/// A round as a submission needs it; the web layer keeps one per round in
/// memory and shares it between requests.
pub trait SubmittedTo: Send + Sync + 'static {
    fn round(&self) -> &Round;
    fn provisions(&self) -> &[Provision];
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The round was closed (through another instance, the command line, or
    /// by its deadline) after the form was checked.
    #[error("the round closed meanwhile")]
    RoundClosed,
    /// The person may not do this for the organization (any more): the
    /// Fluent message that says why.
    #[error("not allowed: {0}")]
    NotAllowed(&'static str),
    /// The same form was sent before, and its write committed first:
    /// nothing is stored again.
    #[error("the same form was sent before")]
    Repeat,
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// In whose name a submission is made.
pub enum Speaking {
    Personally,
    For(Organization),
}

/// Stores a revision of `user`'s submission and queues its `receipt` e-mail
/// (rendered beforehand, so that the write lock covers the inserts alone),
/// if the stored round is still open when the write begins: a cache that
/// still says open cannot let a late submission in. On SQLite, submissions
/// arriving together are committed in one transaction. `guard` claims the
/// form's one-time token in the same transaction.
#[allow(clippy::too_many_arguments)]
pub fn submit<R: SubmittedTo>(
    db: &Db,
    conn: &mut DbConnection,
    to: Arc<R>,
    user: User,
    speaking: Speaking,
    input: Input,
    change: NewRevision,
    receipt: Option<Composed>,
    guard: Option<Guard>,
) -> Result<Saved, SubmitError> {
    db.commit_together(conn, move |conn| {
        let now = change.at;
        if let Some(guard) = &guard
            && !replies::claim_guarding(conn, guard, now)?
        {
            return Err(SubmitError::Repeat);
        }
        if rounds::state_now(conn, to.round().id, now)? != RoundState::Open {
            return Err(SubmitError::RoundClosed);
        }
        let owner = match &speaking {
            Speaking::Personally => Owner::Person {
                member: membership::active_of(conn, to.round().consultation_id, user.id)?.is_some(),
            },
            Speaking::For(organization) => {
                official::check_rights(conn, organization, user.id, change.action)?
                    .map_err(SubmitError::NotAllowed)?;
                // A co-signer speaks through the joint text: a submission of
                // its own would make it speak twice.
                if change.action == RevisionAction::Submit
                    && joint::cosigned(conn, to.round().id, organization.id)?.is_some()
                {
                    return Err(SubmitError::NotAllowed("joint-replaces-official"));
                }
                Owner::Organization(organization)
            }
        };
        let saved = save(
            conn,
            to.round(),
            to.provisions(),
            owner,
            &user,
            &input,
            &change,
        )?;
        if let Some(email) = &receipt {
            email.queue(conn, now)?;
        }
        Ok(saved)
    })
}
