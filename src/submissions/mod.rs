//! Submissions: one per participant per round, a position on each provision,
//! every save kept as a revision, a receipt on submit.

pub mod earlier;
pub mod form;
mod submit;

use crate::accounts::User;
use crate::codes::StakeholderGroup;
use crate::db::schema::{positions, provisions, submission_revisions, submissions, users};
use crate::db::{DbConnection, OneRow, OrganizationId, ProvisionId, RoundId, SubmissionId};
use crate::drafts::Provision;
use crate::organizations::Organization;
use crate::rounds::{Round, RoundState};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::PrimitiveDateTime;

pub use form::{Input, PositionInput};
pub use submit::{Speaking, SubmitError, SubmittedTo, submit};

crate::text_enum! {
    /// A participant's position on one provision.
    pub enum Stance {
        Support => "support",
        SupportWithChanges => "support_with_changes",
        Oppose => "oppose",
        NoPosition => "no_position",
    }
}

impl Stance {
    /// The catalog key of its name ("stance-support-with-changes").
    pub fn label_key(self) -> String {
        format!("stance-{}", self.as_str().replace('_', "-"))
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

crate::text_enum! {
    /// A revision that changed the submission's files alone: a position
    /// paper added or removed.
    pub enum FileChange {
        Attach => "attach",
        Detach => "detach",
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
    /// The organization's group, in whose name an official submission
    /// speaks, is not among the round's.
    OrganizationGroupNotEligible,
    NotOpenYet,
    Closed,
}

/// Whether `user` may submit now; `organization` is the group of the
/// organization an official submission speaks for: eligibility is its, not
/// the signing person's.
pub fn may_submit(
    user: Option<&User>,
    organization: Option<StakeholderGroup>,
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
    match organization {
        Some(group) if !eligible.contains(&group) => Err(Refusal::OrganizationGroupNotEligible),
        None if !eligible.contains(&user.group()) => Err(Refusal::GroupNotEligible),
        _ => Ok(()),
    }
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
    /// `input` holds changes saved since the submission, not yet submitted:
    /// the submitted answers still count as they were.
    #[serde(default)]
    pub pending: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = submissions)]
struct Row {
    id: SubmissionId,
    status: String,
    disclosure: String,
    general_comment: String,
    revision: i32,
    receipt_code: Option<String>,
    submitted_at: Option<PrimitiveDateTime>,
}

/// Whose submission it is: a person's own, or an organization's official one
/// (edited by its drafters, submitted by a signatory).
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// `member` when the person belongs to an organization of the
    /// consultation: their personal submission counts per person only.
    Person {
        member: bool,
    },
    Organization(&'a Organization),
}

impl Owner<'_> {
    fn counts_for(self) -> CountsFor {
        match self {
            Owner::Person { member: false } => CountsFor::Person,
            Owner::Person { member: true } => CountsFor::Member,
            Owner::Organization(_) => CountsFor::Organization,
        }
    }
}

crate::text_enum! {
    /// Which sets of figures a submission enters (see the counting policy):
    /// `person` someone in no organization (both sets), `member` a member's
    /// personal submission (per person only), `organization` an official
    /// submission (per organization only), `replaced` an official submission
    /// replaced by a joint one (neither).
    pub enum CountsFor {
        Person => "person",
        Member => "member",
        Organization => "organization",
        Replaced => "replaced",
    }
}

impl CountsFor {
    /// Counted when every person counts once.
    pub fn per_person(self) -> bool {
        matches!(self, CountsFor::Person | CountsFor::Member)
    }

    /// Counted when every organization (and every person in none) counts once.
    pub fn per_organization(self) -> bool {
        matches!(self, CountsFor::Person | CountsFor::Organization)
    }
}

/// `participant`'s own submission to `round` (not an organization's).
#[diesel::dsl::auto_type]
fn personal(round: RoundId, participant: crate::db::UserId) -> _ {
    submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::participant_id.eq(participant))
        .filter(submissions::organization_id.is_null())
}

/// The id of `participant`'s own submission to `round`, if there is one.
fn personal_id(
    conn: &mut DbConnection,
    round: RoundId,
    participant: crate::db::UserId,
) -> QueryResult<Option<SubmissionId>> {
    personal(round, participant)
        .select(submissions::id)
        .one_row(conn)
}

/// The id of `organization`'s official submission to `round`, if there is one.
pub fn official_id(
    conn: &mut DbConnection,
    round: RoundId,
    organization: OrganizationId,
) -> QueryResult<Option<SubmissionId>> {
    submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::organization_id.eq(organization))
        .select(submissions::id)
        .one_row(conn)
}

fn owned_id(
    conn: &mut DbConnection,
    round: RoundId,
    owner: Owner,
    user: crate::db::UserId,
) -> QueryResult<Option<SubmissionId>> {
    match owner {
        Owner::Person { .. } => personal_id(conn, round, user),
        Owner::Organization(o) => official_id(conn, round, o.id),
    }
}

/// `participant`'s own submission to `round`.
pub fn load(
    conn: &mut DbConnection,
    round: RoundId,
    participant: crate::db::UserId,
) -> QueryResult<Option<Stored>> {
    // One statement rather than the id, then the row: every signed-in round
    // page and every save reads it.
    let row: Option<Row> = personal(round, participant)
        .select(Row::as_select())
        .one_row(conn)?;
    row.map(|row| with_positions(conn, row)).transpose()
}

pub fn load_by_id(conn: &mut DbConnection, id: SubmissionId) -> QueryResult<Option<Stored>> {
    let row: Option<Row> = submissions::table
        .find(id)
        .select(Row::as_select())
        .one_row(conn)?;
    row.map(|row| with_positions(conn, row)).transpose()
}

/// A submission's positions as the form holds them, by provision key.
fn positions_of(
    conn: &mut DbConnection,
    submission: SubmissionId,
) -> QueryResult<BTreeMap<String, PositionInput>> {
    let list: Vec<(String, Option<String>, String, String, String)> = positions::table
        .inner_join(provisions::table)
        .filter(positions::submission_id.eq(submission))
        .select((
            provisions::provision_key,
            positions::stance,
            positions::comment,
            positions::proposed_text,
            positions::changed_mind,
        ))
        .load(conn)?;
    Ok(list
        .into_iter()
        .map(|(key, stance, comment, proposed_text, changed_mind)| {
            (
                key,
                PositionInput {
                    stance: stance.as_deref().and_then(Stance::parse),
                    comment,
                    proposed_text,
                    changed_mind,
                },
            )
        })
        .collect())
}

fn with_positions(conn: &mut DbConnection, row: Row) -> QueryResult<Stored> {
    let positions = positions_of(conn, row.id)?;
    Ok(Stored {
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
        pending: false,
    })
}

/// A submitted submission with the changes saved since, if there are any:
/// the form shows those, the counted answers stay as they were.
pub fn with_pending(conn: &mut DbConnection, mut stored: Stored) -> QueryResult<Stored> {
    if stored.status != Status::Submitted {
        return Ok(stored);
    }
    let latest: Option<(String, String)> = submission_revisions::table
        .filter(submission_revisions::submission_id.eq(stored.id))
        // A file added or removed since changes nothing of the answers.
        .filter(
            submission_revisions::action.ne_all(
                FileChange::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>(),
            ),
        )
        .order(submission_revisions::revision.desc())
        .select((submission_revisions::action, submission_revisions::content))
        .first(conn)
        .optional()?;
    if let Some((action, content)) = latest
        && action == RevisionAction::Save.as_str()
        && let Ok(content) = serde_json::from_str::<RevisionContent>(&content)
    {
        stored.input = Input {
            disclosure: content.disclosure,
            general_comment: content.general_comment,
            positions: content.positions,
        };
        stored.pending = true;
    }
    Ok(stored)
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
    /// The files held after a file change; absent from other revisions,
    /// which leave the files as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachedFile>>,
}

/// A file as a revision records it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AttachedFile {
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
}

/// Records a file added to or removed from `submission` by `author` as a
/// revision of its own: the latest revision's answers with the files held
/// now. Call it in the transaction that changes the files.
pub fn record_file_change(
    conn: &mut DbConnection,
    submission: SubmissionId,
    change: FileChange,
    author: crate::db::UserId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let latest: String = submission_revisions::table
        .filter(submission_revisions::submission_id.eq(submission))
        .order(submission_revisions::revision.desc())
        .select(submission_revisions::content)
        .first(conn)?;
    let mut content: RevisionContent = serde_json::from_str(&latest)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    content.attachments = Some(
        crate::attachments::list(conn, submission)?
            .into_iter()
            .map(|a| AttachedFile {
                file_name: a.file_name,
                sha256: a.sha256,
                size_bytes: a.size_bytes,
            })
            .collect(),
    );
    let revision: i32 = diesel::update(submissions::table.find(submission))
        .set(submissions::revision.eq(submissions::revision + 1))
        .returning(submissions::revision)
        .get_result(conn)?;
    diesel::insert_into(submission_revisions::table)
        .values((
            submission_revisions::submission_id.eq(submission),
            submission_revisions::revision.eq(revision),
            submission_revisions::action.eq(change.as_str()),
            submission_revisions::content.eq(serde_json::to_string(&content).unwrap_or_default()),
            submission_revisions::created_at.eq(now),
            submission_revisions::author_id.eq(author),
        ))
        .execute(conn)
        .map(|_| ())
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

/// One change to a submission: what the participant did, and when. A submit
/// brings its receipt code, made before the write so the receipt e-mail can be
/// rendered before the write lock is taken.
pub struct NewRevision {
    pub action: RevisionAction,
    pub receipt: Option<String>,
    pub at: PrimitiveDateTime,
}

impl NewRevision {
    pub fn new(action: RevisionAction, at: PrimitiveDateTime) -> Self {
        Self {
            action,
            receipt: (action == RevisionAction::Submit).then(new_receipt_code),
            at,
        }
    }
}

/// What every revision writes over the submission: the answer and the
/// participant's details as they are now (later account edits leave it alone).
/// A submit also sets the receipt; otherwise the last receipt stays.
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
    updated_at: PrimitiveDateTime,
    receipt_code: Option<&'a str>,
    submitted_at: Option<PrimitiveDateTime>,
    counts_for: &'a str,
}

/// Stores `input` for `user` in `round` as a new revision. Call it inside
/// `db::write_transaction`: it writes several rows that stand or fall
/// together. A first change is one insert; when the participant already has a
/// submission (or another request creates it at the same instant) the insert
/// does nothing and an update takes the row's write lock, so revisions are
/// numbered in turn.
#[allow(clippy::too_many_arguments)]
pub fn save(
    conn: &mut DbConnection,
    round: &Round,
    provisions: &[Provision],
    owner: Owner,
    user: &User,
    input: &Input,
    change: &NewRevision,
) -> QueryResult<Saved> {
    let (action, now) = (change.action, change.at);
    // An official submission speaks as the organization: its group,
    // country and verification, with the author's name beside it.
    let (group, organization, country, verified, organization_id) = match owner {
        Owner::Person { .. } => (
            user.group(),
            user.organization.as_str(),
            user.country.as_str(),
            user.affiliation_verified_at.is_some(),
            None,
        ),
        Owner::Organization(o) => (
            o.group(),
            o.name.as_str(),
            o.country.as_str(),
            o.is_verified(),
            Some(o.id),
        ),
    };
    let disclosure = input.disclosure.unwrap_or(Disclosure::Anonymous);
    let receipt = change.receipt.as_deref();
    let status_after = |previous: Status| match action {
        RevisionAction::Save => previous.min_draft(),
        RevisionAction::Submit => Status::Submitted,
        RevisionAction::Withdraw => Status::Withdrawn,
    };
    let snapshot = |status: Status, revision: i32| Snapshot {
        status: status.as_str(),
        disclosure: disclosure.as_str(),
        general_comment: &input.general_comment,
        display_name: &user.display_name,
        organization,
        stakeholder_group: group.as_str(),
        country,
        affiliation_verified: verified,
        revision,
        updated_at: now,
        receipt_code: receipt,
        submitted_at: receipt.map(|_| now),
        counts_for: owner.counts_for().as_str(),
    };
    let first = snapshot(status_after(Status::Draft), 1);
    let mut save_pending = false;
    let values = (
        &first,
        submissions::round_id.eq(round.id),
        submissions::participant_id.eq(user.id),
        submissions::organization_id.eq(organization_id),
        submissions::created_at.eq(now),
    );
    // Whichever unique index it meets (the person's, or the organization's
    // for the round), an existing submission makes the insert do nothing.
    let created: Option<SubmissionId> =
        crate::per_backend!(conn, |c| diesel::insert_into(submissions::table)
            .values(values)
            .on_conflict_do_nothing()
            .returning(submissions::id)
            .get_result(c)
            .optional())?;
    let (id, status, revision) = match created {
        Some(id) => (id, status_after(Status::Draft), 1),
        None => {
            let mine = owned_id(conn, round.id, owner, user.id)?.ok_or(diesel::NotFound)?;
            // A write first: it takes the row's lock before the status is read.
            let (id, previous, revision): (SubmissionId, String, i32) =
                diesel::update(submissions::table.find(mine))
                    .set(submissions::updated_at.eq(now))
                    .returning((submissions::id, submissions::status, submissions::revision))
                    .get_result(conn)?;
            let previous = Status::parse(&previous).unwrap_or(Status::Draft);
            let status = status_after(previous);
            if action == RevisionAction::Save && previous == Status::Submitted {
                // Saved changes to a submission wait in the revision alone:
                // the submitted answers count until the changes are submitted.
                diesel::update(submissions::table.find(id))
                    .set(submissions::revision.eq(revision + 1))
                    .execute(conn)?;
                save_pending = true;
            } else {
                diesel::update(submissions::table.find(id))
                    .set(&snapshot(status, revision + 1))
                    .execute(conn)?;
            }
            (id, status, revision + 1)
        }
    };
    let stored_positions = if save_pending {
        input.positions.clone()
    } else if action == RevisionAction::Withdraw {
        crate::analysis::index::queue(conn, round.id, id, now)?;
        positions_of(conn, id)?
    } else {
        write_positions(
            conn,
            id,
            provisions,
            input,
            action == RevisionAction::Submit,
            created.is_some(),
        )?;
        if action == RevisionAction::Submit {
            crate::analysis::index::queue(conn, round.id, id, now)?;
        }
        input.positions.clone()
    };
    let content = RevisionContent {
        status,
        disclosure: input.disclosure,
        general_comment: input.general_comment.clone(),
        positions: stored_positions,
        display_name: user.display_name.clone(),
        organization: organization.to_string(),
        stakeholder_group: group,
        country: country.to_string(),
        affiliation_verified: verified,
        attachments: None,
    };
    diesel::insert_into(submission_revisions::table)
        .values((
            submission_revisions::submission_id.eq(id),
            submission_revisions::revision.eq(revision),
            submission_revisions::action.eq(action.as_str()),
            submission_revisions::content.eq(serde_json::to_string(&content).unwrap_or_default()),
            submission_revisions::receipt_code.eq(receipt),
            submission_revisions::created_at.eq(now),
            submission_revisions::author_id.eq(user.id),
        ))
        .execute(conn)?;
    Ok(Saved {
        id,
        revision,
        receipt_code: change.receipt.clone(),
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

#[derive(Insertable)]
#[diesel(table_name = positions, treat_none_as_default_value = false)]
struct NewPosition<'a> {
    submission_id: SubmissionId,
    provision_id: ProvisionId,
    stance: Option<&'a str>,
    comment: &'a str,
    proposed_text: &'a str,
    changed_mind: &'a str,
}

/// Writes every provision's position in one statement, updating existing rows
/// in place (position ids stay stable for moderation); on submit an unanswered
/// provision counts as "no position". A submission that already has positions
/// (`fresh` false) gets only those that changed: saving one page of a long
/// draft, or submitting what was just saved, rewrites a few rows or none, not
/// every provision's. The submission's row is locked by then, so what is read
/// here is what the upsert would overwrite.
fn write_positions(
    conn: &mut DbConnection,
    submission: SubmissionId,
    provisions: &[Provision],
    input: &Input,
    submitting: bool,
    fresh: bool,
) -> QueryResult<()> {
    use diesel::upsert::excluded;
    let stored = if fresh {
        BTreeMap::new()
    } else {
        positions_of(conn, submission)?
    };
    let blank = PositionInput::default();
    let rows: Vec<NewPosition> = provisions
        .iter()
        .filter_map(|p| {
            let given = input.positions.get(&p.provision_key).unwrap_or(&blank);
            let stance = given.stance.or(submitting.then_some(Stance::NoPosition));
            let unchanged = stored.get(&p.provision_key).is_some_and(|s| {
                s.stance == stance
                    && s.comment == given.comment
                    && s.proposed_text == given.proposed_text
                    && s.changed_mind == given.changed_mind
            });
            (!unchanged).then(|| NewPosition {
                submission_id: submission,
                provision_id: p.id,
                stance: stance.map(Stance::as_str),
                comment: &given.comment,
                proposed_text: &given.proposed_text,
                changed_mind: &given.changed_mind,
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    crate::per_backend!(conn, |c| diesel::insert_into(positions::table)
        .values(&rows)
        .on_conflict((positions::submission_id, positions::provision_id))
        .do_update()
        .set((
            positions::stance.eq(excluded(positions::stance)),
            positions::comment.eq(excluded(positions::comment)),
            positions::proposed_text.eq(excluded(positions::proposed_text)),
            positions::changed_mind.eq(excluded(positions::changed_mind)),
        ))
        .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct RevisionSummary {
    pub revision: i32,
    pub action: String,
    pub receipt_code: Option<String>,
    pub created_at: PrimitiveDateTime,
    /// Who saved it (kept since organizations draft together).
    pub author: Option<String>,
}

/// Every revision, newest first, with its author's name.
pub fn revisions(conn: &mut DbConnection, id: SubmissionId) -> QueryResult<Vec<RevisionSummary>> {
    submission_revisions::table
        .left_join(users::table.on(users::id.nullable().eq(submission_revisions::author_id)))
        .filter(submission_revisions::submission_id.eq(id))
        .order(submission_revisions::revision.desc())
        .select((
            submission_revisions::revision,
            submission_revisions::action,
            submission_revisions::receipt_code,
            submission_revisions::created_at,
            users::display_name.nullable(),
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
                    author: None,
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
