//! Submissions: one per participant per round, a position on each provision,
//! every save kept as a revision, a receipt on submit.

pub mod form;

use crate::accounts::User;
use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, provisions, submission_revisions, submissions};
use crate::db::{DbConnection, ProvisionId, RoundId, SubmissionId};
use crate::drafts::Provision;
use crate::rounds::{Round, RoundState};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::PrimitiveDateTime;

pub use form::{Input, PositionInput};

crate::text_enum! {
    /// A participant's position on one provision.
    pub enum Stance {
        Support => "support",
        SupportWithChanges => "support_with_changes",
        Oppose => "oppose",
        NoPosition => "no_position",
    }
}

crate::text_enum! {
    /// What of a submission may be published with its text.
    pub enum Disclosure {
        Attributed => "attributed",
        Organization => "organization",
        Anonymous => "anonymous",
        Confidential => "confidential",
    }
}

crate::text_enum! {
    pub enum Status {
        Draft => "draft",
        Submitted => "submitted",
        Withdrawn => "withdrawn",
    }
}

crate::text_enum! {
    pub enum RevisionAction {
        Save => "save",
        Submit => "submit",
        Withdraw => "withdraw",
    }
}

pub const MAX_COMMENT: usize = 10_000;
pub const MAX_GENERAL_COMMENT: usize = 20_000;

/// Why a person may not submit to a round now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotSignedIn,
    EmailUnverified,
    GroupNotEligible,
    NotOpenYet,
    Closed,
}

pub fn may_submit(
    user: Option<&User>,
    eligible: &[StakeholderGroup],
    state: RoundState,
) -> Result<(), Refusal> {
    match state {
        RoundState::Open => {}
        RoundState::Draft | RoundState::Scheduled => return Err(Refusal::NotOpenYet),
        RoundState::Closed | RoundState::Published => return Err(Refusal::Closed),
    }
    let user = user.ok_or(Refusal::NotSignedIn)?;
    if user.email_verified_at.is_none() {
        return Err(Refusal::EmailUnverified);
    }
    if !eligible.contains(&user.group()) {
        return Err(Refusal::GroupNotEligible);
    }
    Ok(())
}

/// A participant's submission as stored now.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub id: SubmissionId,
    pub status: Status,
    pub revision: i32,
    pub receipt_code: Option<String>,
    pub submitted_at: Option<PrimitiveDateTime>,
    pub input: Input,
}

#[derive(Queryable)]
struct Row {
    id: SubmissionId,
    status: String,
    disclosure: String,
    general_comment: String,
    revision: i32,
    receipt_code: Option<String>,
    submitted_at: Option<PrimitiveDateTime>,
}

pub fn load(
    conn: &mut DbConnection,
    round: RoundId,
    participant: crate::db::UserId,
) -> QueryResult<Option<Stored>> {
    let Some(row) = submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::participant_id.eq(participant))
        .select((
            submissions::id,
            submissions::status,
            submissions::disclosure,
            submissions::general_comment,
            submissions::revision,
            submissions::receipt_code,
            submissions::submitted_at,
        ))
        .first::<Row>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let list: Vec<(String, Option<String>, String, String)> = positions::table
        .inner_join(provisions::table)
        .filter(positions::submission_id.eq(row.id))
        .select((
            provisions::provision_key,
            positions::stance,
            positions::comment,
            positions::proposed_text,
        ))
        .load(conn)?;
    let positions = list
        .into_iter()
        .map(|(key, stance, comment, proposed_text)| {
            (
                key,
                PositionInput {
                    stance: stance.as_deref().and_then(Stance::parse),
                    comment,
                    proposed_text,
                },
            )
        })
        .collect();
    Ok(Some(Stored {
        id: row.id,
        status: Status::parse(&row.status).unwrap_or(Status::Draft),
        revision: row.revision,
        receipt_code: row.receipt_code,
        submitted_at: row.submitted_at,
        input: Input {
            disclosure: Disclosure::parse(&row.disclosure),
            general_comment: row.general_comment,
            positions,
        },
    }))
}

/// What a revision records: everything the participant wrote, and who they
/// were when they wrote it.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct RevisionContent {
    pub status: Status,
    pub disclosure: Option<Disclosure>,
    pub general_comment: String,
    pub positions: BTreeMap<String, PositionInput>,
    pub display_name: String,
    pub organization: String,
    pub stakeholder_group: StakeholderGroup,
    pub country: String,
    pub affiliation_verified: bool,
}

pub struct Saved {
    pub id: SubmissionId,
    pub revision: i32,
    pub receipt_code: Option<String>,
}

/// A receipt: 80 random bits, in groups of four that are easy to read aloud.
pub fn new_receipt_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford's base 32
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..16)
        .map(|_| ALPHABET[rng.random_range(0..32)] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Stores `input` for `user` in `round` with a new revision. Two requests at
/// the same instant leave one submission: the first statement takes the row's
/// write lock, and a lost race to create the row is retried as an update.
pub fn save(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[Provision],
    user: &User,
    input: &Input,
    action: RevisionAction,
    now: PrimitiveDateTime,
) -> QueryResult<Saved> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match crate::db::write_transaction(conn, |c| {
            save_once(c, round, provisions, user, input, action, now)
        }) {
            Err(e) if attempt < 3 && is_unique_violation(&e) => continue,
            other => return other,
        }
    }
}

/// What every revision writes over the submission: the answer and the
/// participant's details as they are now (later account edits leave it alone).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = submissions)]
struct Snapshot<'a> {
    status: &'a str,
    disclosure: &'a str,
    general_comment: &'a str,
    display_name: &'a str,
    organization: &'a str,
    stakeholder_group: &'a str,
    country: &'a str,
    affiliation_verified: bool,
    revision: i32,
}

fn save_once(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[Provision],
    user: &User,
    input: &Input,
    action: RevisionAction,
    now: PrimitiveDateTime,
) -> QueryResult<Saved> {
    let mine = submissions::table
        .filter(submissions::round_id.eq(round.id))
        .filter(submissions::participant_id.eq(user.id));
    // A write first: SQLite takes its write lock, PostgreSQL locks the row.
    let existing: Option<(SubmissionId, String, i32)> = diesel::update(mine)
        .set(submissions::updated_at.eq(now))
        .returning((submissions::id, submissions::status, submissions::revision))
        .get_result(conn)
        .optional()?;
    let previous_status = existing
        .as_ref()
        .and_then(|(_, s, _)| Status::parse(s))
        .unwrap_or(Status::Draft);
    let status = match action {
        RevisionAction::Save => previous_status.min_draft(),
        RevisionAction::Submit => Status::Submitted,
        RevisionAction::Withdraw => Status::Withdrawn,
    };
    let disclosure = input.disclosure.unwrap_or(Disclosure::Anonymous);
    let receipt = (action == RevisionAction::Submit).then(new_receipt_code);
    let group = user.group();
    let verified = user.affiliation_verified_at.is_some();
    let snapshot = Snapshot {
        status: status.as_str(),
        disclosure: disclosure.as_str(),
        general_comment: &input.general_comment,
        display_name: &user.display_name,
        organization: &user.organization,
        stakeholder_group: group.as_str(),
        country: &user.country,
        affiliation_verified: verified,
        revision: existing.as_ref().map_or(1, |(_, _, revision)| revision + 1),
    };
    let id = match existing {
        Some((id, _, _)) => {
            diesel::update(submissions::table.find(id))
                .set(&snapshot)
                .execute(conn)?;
            if let Some(code) = &receipt {
                diesel::update(submissions::table.find(id))
                    .set((
                        submissions::receipt_code.eq(code),
                        submissions::submitted_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            id
        }
        None => diesel::insert_into(submissions::table)
            .values((
                &snapshot,
                submissions::round_id.eq(round.id),
                submissions::participant_id.eq(user.id),
                submissions::receipt_code.eq(&receipt),
                submissions::submitted_at.eq(receipt.as_ref().map(|_| now)),
                submissions::created_at.eq(now),
                submissions::updated_at.eq(now),
            ))
            .returning(submissions::id)
            .get_result::<SubmissionId>(conn)?,
    };
    let revision = snapshot.revision;
    if action != RevisionAction::Withdraw {
        write_positions(
            conn,
            id,
            provisions,
            input,
            action == RevisionAction::Submit,
        )?;
    }
    let stored_positions = if action == RevisionAction::Withdraw {
        load(conn, round.id, user.id)?
            .map(|s| s.input.positions)
            .unwrap_or_default()
    } else {
        input.positions.clone()
    };
    let content = RevisionContent {
        status,
        disclosure: input.disclosure,
        general_comment: input.general_comment.clone(),
        positions: stored_positions,
        display_name: user.display_name.clone(),
        organization: user.organization.clone(),
        stakeholder_group: group,
        country: user.country.clone(),
        affiliation_verified: verified,
    };
    diesel::insert_into(submission_revisions::table)
        .values((
            submission_revisions::submission_id.eq(id),
            submission_revisions::revision.eq(revision),
            submission_revisions::action.eq(action.as_str()),
            submission_revisions::content.eq(serde_json::to_string(&content).unwrap_or_default()),
            submission_revisions::receipt_code.eq(&receipt),
            submission_revisions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Saved {
        id,
        revision,
        receipt_code: receipt,
    })
}

impl Status {
    /// Saving a draft never takes back a submission: it stays counted until
    /// the participant submits again or withdraws.
    fn min_draft(self) -> Status {
        match self {
            Status::Submitted => Status::Submitted,
            _ => Status::Draft,
        }
    }
}

/// Updates each provision's position in place (position ids stay stable for
/// moderation); on submit an unanswered provision counts as "no position".
fn write_positions(
    conn: &mut DbConnection,
    submission: SubmissionId,
    provisions: &[Provision],
    input: &Input,
    submitting: bool,
) -> QueryResult<()> {
    let existing: Vec<(ProvisionId, crate::db::PositionId)> = positions::table
        .filter(positions::submission_id.eq(submission))
        .select((positions::provision_id, positions::id))
        .load(conn)?;
    let blank = PositionInput::default();
    for p in provisions {
        let given = input.positions.get(&p.provision_key).unwrap_or(&blank);
        let stance = given
            .stance
            .or(submitting.then_some(Stance::NoPosition))
            .map(Stance::as_str);
        match existing.iter().find(|(pid, _)| *pid == p.id) {
            Some((_, id)) => {
                diesel::update(positions::table.find(*id))
                    .set((
                        positions::stance.eq(stance),
                        positions::comment.eq(&given.comment),
                        positions::proposed_text.eq(&given.proposed_text),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(positions::table)
                    .values((
                        positions::submission_id.eq(submission),
                        positions::provision_id.eq(p.id),
                        positions::stance.eq(stance),
                        positions::comment.eq(&given.comment),
                        positions::proposed_text.eq(&given.proposed_text),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct RevisionSummary {
    pub revision: i32,
    pub action: String,
    pub receipt_code: Option<String>,
    pub created_at: PrimitiveDateTime,
}

pub fn revisions(conn: &mut DbConnection, id: SubmissionId) -> QueryResult<Vec<RevisionSummary>> {
    submission_revisions::table
        .filter(submission_revisions::submission_id.eq(id))
        .order(submission_revisions::revision.desc())
        .select((
            submission_revisions::revision,
            submission_revisions::action,
            submission_revisions::receipt_code,
            submission_revisions::created_at,
        ))
        .load(conn)
}

pub fn revision(
    conn: &mut DbConnection,
    id: SubmissionId,
    number: i32,
) -> QueryResult<Option<(RevisionSummary, RevisionContent)>> {
    let row: Option<(i32, String, Option<String>, PrimitiveDateTime, String)> =
        submission_revisions::table
            .filter(submission_revisions::submission_id.eq(id))
            .filter(submission_revisions::revision.eq(number))
            .select((
                submission_revisions::revision,
                submission_revisions::action,
                submission_revisions::receipt_code,
                submission_revisions::created_at,
                submission_revisions::content,
            ))
            .first(conn)
            .optional()?;
    Ok(
        row.and_then(|(revision, action, receipt_code, created_at, content)| {
            let content = serde_json::from_str(&content).ok()?;
            Some((
                RevisionSummary {
                    revision,
                    action,
                    receipt_code,
                    created_at,
                },
                content,
            ))
        }),
    )
}

/// What a receipt confirms, and nothing more.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptCheck {
    pub submitted_at: PrimitiveDateTime,
    /// Later changed, withdrawn, or still the counted version.
    pub current: bool,
}

pub fn check_receipt(conn: &mut DbConnection, code: &str) -> QueryResult<Option<ReceiptCheck>> {
    let code = code.trim().to_uppercase();
    let found: Option<(SubmissionId, PrimitiveDateTime)> = submission_revisions::table
        .filter(submission_revisions::receipt_code.eq(&code))
        .select((
            submission_revisions::submission_id,
            submission_revisions::created_at,
        ))
        .first(conn)
        .optional()?;
    let Some((submission, submitted_at)) = found else {
        return Ok(None);
    };
    let current = submissions::table
        .find(submission)
        .filter(submissions::receipt_code.eq(&code))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .count()
        .get_result::<i64>(conn)?
        == 1;
    Ok(Some(ReceiptCheck {
        submitted_at,
        current,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_codes_are_long_random_and_readable() {
        let a = new_receipt_code();
        let b = new_receipt_code();
        assert_eq!(a.len(), 19);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit())
        );
    }
}
