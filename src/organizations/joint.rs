//! Joint submissions: an organization's official submission co-signed by
//! other organizations of the consultation. The lead invites co-signers (by
//! organization, or by the address of one of its admins); each co-signer's
//! admin or signatory confirms or declines while the round is open. A
//! confirmed co-signer speaks through the joint text: its own official
//! submission, if it has one, is replaced (kept, not counted), and the
//! report counts the co-signer once in its own group, per organization.

use super::membership::{self, MemberState};
use super::{Organization, OrganizationError};
use crate::accounts;
use crate::audit;
use crate::consultations::Slug;
use crate::db::schema::{joint_signatures, organizations, submissions};
use crate::db::{DbConnection, OrganizationId, RoundId, SignatureId, SubmissionId, UserId};
use crate::notifications::{Kind, Message, Notifier, NotifyError};
use crate::rounds::{self, Round, RoundState};
use crate::submissions::{CountsFor, Status};
use diesel::prelude::*;
use serde::Serialize;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum SignatureState {
        Invited => "invited",
        Confirmed => "confirmed",
        Declined => "declined",
        Withdrawn => "withdrawn",
    }
}

impl SignatureState {
    pub fn label_key(self) -> &'static str {
        match self {
            SignatureState::Invited => "joint-state-invited",
            SignatureState::Confirmed => "joint-state-confirmed",
            SignatureState::Declined => "joint-state-declined",
            SignatureState::Withdrawn => "joint-state-withdrawn",
        }
    }
}

/// One co-signer's signature of a joint submission, with the co-signer as
/// it was when it last answered.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = joint_signatures)]
pub struct Signature {
    pub id: SignatureId,
    pub submission_id: SubmissionId,
    pub lead_organization_id: OrganizationId,
    pub organization_id: OrganizationId,
    pub state: String,
    pub name: String,
    pub stakeholder_group: String,
    pub country: String,
    pub verified: bool,
}

impl Signature {
    pub fn state(&self) -> SignatureState {
        SignatureState::parse(&self.state).unwrap_or(SignatureState::Withdrawn)
    }
}

/// Why a joint-submission action was refused: each names the Fluent message
/// shown next to the field (or at the top of the page).
#[derive(Debug, thiserror::Error)]
pub enum JointError {
    /// The input names no one who can co-sign (422).
    #[error("invalid: {0}")]
    Invalid(&'static str),
    /// The request contradicts what is stored or the round's state (409).
    #[error("refused: {0}")]
    Refused(&'static str),
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    #[error("no such signature")]
    NotFound,
    /// Confirming would replace the co-signer's own official submission,
    /// and the person confirming was not told so yet.
    #[error("confirming replaces the organization's own submission")]
    ReplacesOwn,
    #[error("e-mail: {0}")]
    Notify(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

impl From<OrganizationError> for JointError {
    fn from(e: OrganizationError) -> Self {
        match e {
            OrganizationError::NotFound => JointError::NotFound,
            OrganizationError::Forbidden(m) => JointError::Forbidden(m),
            OrganizationError::Refused(m) => JointError::Refused(m),
            OrganizationError::Notify(m) => JointError::Notify(m),
            OrganizationError::Query(e) => JointError::Query(e),
            OrganizationError::Db(e) => JointError::Db(e),
        }
    }
}

/// Whom the lead invites: an organization of the consultation, or the one
/// whose admin has this address.
#[derive(Debug, Clone)]
pub enum Invitee {
    Organization(OrganizationId),
    Email(String),
}

/// What a co-signer answers. `replace` says the person confirming saw that
/// the organization's own official submission will be replaced.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    Confirm { replace: bool },
    Decline,
}

/// The round's stored state decides, not a cached one: an early close a
/// moment ago through another instance holds.
fn require_open(
    conn: &mut DbConnection,
    round: &Round,
    now: PrimitiveDateTime,
) -> Result<(), JointError> {
    if rounds::state_now(conn, round.id, now)? != RoundState::Open {
        return Err(JointError::Refused("joint-round-closed"));
    }
    Ok(())
}

/// Only those who may submit in the organization's name (its signatories)
/// or manage it (its admins) commit it to a joint text.
pub fn speaks_for(
    conn: &mut DbConnection,
    organization: OrganizationId,
    user: UserId,
) -> Result<(), JointError> {
    membership::of(conn, organization, user, MemberState::Active)?
        .filter(|m| m.admin || m.signatory)
        .map(|_| ())
        .ok_or(JointError::Forbidden("joint-signatories-only"))
}

/// The organization's official submission to `round` if it is submitted and
/// counted as the organization's (not replaced).
pub fn counted_official(
    conn: &mut DbConnection,
    round: RoundId,
    organization: OrganizationId,
) -> QueryResult<Option<SubmissionId>> {
    submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::organization_id.eq(organization))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .filter(submissions::counts_for.eq(CountsFor::Organization.as_str()))
        .select(submissions::id)
        .first(conn)
        .optional()
}

/// The joint submission the organization co-signs in `round`, if any.
pub fn cosigned(
    conn: &mut DbConnection,
    round: RoundId,
    organization: OrganizationId,
) -> QueryResult<Option<Signature>> {
    joint_signatures::table
        .filter(joint_signatures::round_id.eq(round))
        .filter(joint_signatures::organization_id.eq(organization))
        .filter(joint_signatures::state.eq(SignatureState::Confirmed.as_str()))
        .select(Signature::as_select())
        .first(conn)
        .optional()
}

/// Every signature asked for the lead's joint submission in `round`, in the
/// order they were asked.
pub fn of_lead(
    conn: &mut DbConnection,
    round: RoundId,
    lead: OrganizationId,
) -> QueryResult<Vec<Signature>> {
    joint_signatures::table
        .filter(joint_signatures::round_id.eq(round))
        .filter(joint_signatures::lead_organization_id.eq(lead))
        .order(joint_signatures::id.asc())
        .select(Signature::as_select())
        .load(conn)
}

/// The signatures the organization was asked for in `round`, with the lead
/// organization of each.
pub fn received(
    conn: &mut DbConnection,
    round: RoundId,
    organization: OrganizationId,
) -> QueryResult<Vec<(Signature, Organization)>> {
    joint_signatures::table
        .inner_join(
            organizations::table.on(organizations::id.eq(joint_signatures::lead_organization_id)),
        )
        .filter(joint_signatures::round_id.eq(round))
        .filter(joint_signatures::organization_id.eq(organization))
        .order(joint_signatures::id.asc())
        .select((Signature::as_select(), Organization::as_select()))
        .load(conn)
}

fn resolve(
    conn: &mut DbConnection,
    lead: &Organization,
    invitee: &Invitee,
) -> Result<Organization, JointError> {
    match invitee {
        Invitee::Organization(id) => super::find(conn, lead.consultation_id, *id)
            .map_err(|_| JointError::Invalid("joint-unknown-organization")),
        Invitee::Email(email) => {
            let user = accounts::find_by_email(conn, email)?
                .ok_or(JointError::Invalid("joint-invite-unknown"))?;
            membership::active_of(conn, lead.consultation_id, user.id)?
                .filter(|(_, member)| member.admin)
                .map(|(organization, _)| organization)
                .ok_or(JointError::Invalid("joint-invite-unknown"))
        }
    }
}

/// What the invitation e-mail says.
#[derive(Serialize)]
struct InvitationEmail<'a> {
    name: &'a str,
    organization: &'a str,
    lead: &'a str,
    round: i32,
    link: String,
}

fn notify_failed(e: NotifyError) -> JointError {
    match e {
        NotifyError::Query(e) => JointError::Query(e),
        other => JointError::Notify(other.to_string()),
    }
}

/// The lead's admin or signatory asks `invitee` to co-sign its submitted
/// official submission; the co-signer's admins get one e-mail each, queued
/// with the signature. Asking again after a refusal is a new invitation.
#[allow(clippy::too_many_arguments)]
pub fn invite(
    conn: &mut DbConnection,
    notifier: &Notifier,
    slug: &Slug,
    round: &Round,
    lead: &Organization,
    user: UserId,
    invitee: &Invitee,
    now: PrimitiveDateTime,
) -> Result<Organization, JointError> {
    crate::db::write_transaction(conn, |conn| {
        require_open(conn, round, now)?;
        speaks_for(conn, lead.id, user)?;
        let submission = counted_official(conn, round.id, lead.id)?
            .ok_or(JointError::Refused("joint-submit-first"))?;
        if cosigned(conn, round.id, lead.id)?.is_some() {
            return Err(JointError::Refused("joint-cosigner-cannot-lead"));
        }
        let target = resolve(conn, lead, invitee)?;
        if target.id == lead.id {
            return Err(JointError::Invalid("joint-invite-self"));
        }
        let admins = membership::admins(conn, target.id)?;
        if admins.is_empty() {
            return Err(JointError::Invalid("joint-no-admin"));
        }
        let existing: Option<Signature> = joint_signatures::table
            .filter(joint_signatures::submission_id.eq(submission))
            .filter(joint_signatures::organization_id.eq(target.id))
            .select(Signature::as_select())
            .first(conn)
            .optional()?;
        let snapshot = (
            joint_signatures::name.eq(&target.name),
            joint_signatures::stakeholder_group.eq(&target.stakeholder_group),
            joint_signatures::country.eq(&target.country),
            joint_signatures::verified.eq(target.is_verified()),
        );
        match existing {
            Some(s)
                if matches!(
                    s.state(),
                    SignatureState::Invited | SignatureState::Confirmed
                ) =>
            {
                return Err(JointError::Refused("joint-already-invited"));
            }
            Some(s) => {
                diesel::update(joint_signatures::table.find(s.id))
                    .set((
                        joint_signatures::state.eq(SignatureState::Invited.as_str()),
                        snapshot,
                        joint_signatures::invited_by.eq(user),
                        joint_signatures::answered_by.eq(None::<UserId>),
                        joint_signatures::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(joint_signatures::table)
                    .values((
                        joint_signatures::submission_id.eq(submission),
                        joint_signatures::round_id.eq(round.id),
                        joint_signatures::lead_organization_id.eq(lead.id),
                        joint_signatures::organization_id.eq(target.id),
                        joint_signatures::state.eq(SignatureState::Invited.as_str()),
                        snapshot,
                        joint_signatures::invited_by.eq(user),
                        joint_signatures::created_at.eq(now),
                        joint_signatures::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        record(
            conn,
            round,
            audit::Action::JointInvite,
            user,
            lead,
            &target,
            now,
        )?;
        let link = format!(
            "{}/consultations/{slug}/rounds/{}/organizations/{}/joint",
            notifier.base_url(),
            round.number,
            target.id
        );
        let messages: Vec<Message<InvitationEmail>> = admins
            .iter()
            .map(|admin| Message {
                kind: Kind::JointInvitation,
                to: &admin.email,
                locale: admin.locale(),
                dedup_key: None,
                data: InvitationEmail {
                    name: &admin.display_name,
                    organization: &target.name,
                    lead: &lead.name,
                    round: round.number,
                    link: link.clone(),
                },
            })
            .collect();
        notifier
            .enqueue_all(conn, &messages, now)
            .map_err(notify_failed)?;
        Ok(target)
    })
}

fn record(
    conn: &mut DbConnection,
    round: &Round,
    action: audit::Action,
    actor: UserId,
    lead: &Organization,
    cosigner: &Organization,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Entry {
            actor: Some(actor),
            action,
            consultation: Some(round.consultation_id),
            round: Some(round.id),
            subject: &format!("organization {}", cosigner.id),
            details: &format!("{} — {}", cosigner.name, lead.name),
        },
        now,
    )
}

/// A co-signer's admin or signatory answers signature `id`: confirming
/// commits the organization to the joint text (replacing its own official
/// submission, once the person was told); declining refuses an invitation
/// or withdraws a confirmed signature. A withdrawal restores nothing: a
/// replaced submission counts again only once it is submitted again.
pub fn answer(
    conn: &mut DbConnection,
    round: &Round,
    cosigner: &Organization,
    user: UserId,
    id: SignatureId,
    answer: Answer,
    now: PrimitiveDateTime,
) -> Result<SignatureState, JointError> {
    crate::db::write_transaction(conn, |conn| {
        require_open(conn, round, now)?;
        speaks_for(conn, cosigner.id, user)?;
        let signature: Signature = joint_signatures::table
            .find(id)
            .filter(joint_signatures::round_id.eq(round.id))
            .filter(joint_signatures::organization_id.eq(cosigner.id))
            .select(Signature::as_select())
            .first(conn)
            .optional()?
            .ok_or(JointError::NotFound)?;
        let lead = super::find(
            conn,
            cosigner.consultation_id,
            signature.lead_organization_id,
        )?;
        let (to, action) = match (answer, signature.state()) {
            (Answer::Confirm { .. }, SignatureState::Confirmed) => {
                return Err(JointError::Refused("joint-already-confirmed"));
            }
            (Answer::Confirm { replace }, _) => {
                confirmable(conn, round.id, &signature, cosigner.id)?;
                if let Some(own) = counted_official(conn, round.id, cosigner.id)? {
                    if !replace {
                        return Err(JointError::ReplacesOwn);
                    }
                    diesel::update(submissions::table.find(own))
                        .set(submissions::counts_for.eq(CountsFor::Replaced.as_str()))
                        .execute(conn)?;
                }
                (SignatureState::Confirmed, audit::Action::JointConfirm)
            }
            (Answer::Decline, SignatureState::Invited) => {
                (SignatureState::Declined, audit::Action::JointDecline)
            }
            (Answer::Decline, SignatureState::Confirmed) => {
                (SignatureState::Withdrawn, audit::Action::JointWithdraw)
            }
            (Answer::Decline, _) => return Err(JointError::Refused("joint-nothing-to-answer")),
        };
        diesel::update(joint_signatures::table.find(id))
            .set((
                joint_signatures::state.eq(to.as_str()),
                joint_signatures::name.eq(&cosigner.name),
                joint_signatures::stakeholder_group.eq(&cosigner.stakeholder_group),
                joint_signatures::country.eq(&cosigner.country),
                joint_signatures::verified.eq(cosigner.is_verified()),
                joint_signatures::answered_by.eq(user),
                joint_signatures::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(conn, round, action, user, &lead, cosigner, now)?;
        Ok(to)
    })
}

/// Refuses a confirmation the organization cannot give: the lead withdrew
/// its text, the co-signer leads a joint submission of its own, or it
/// already co-signs another (an organization speaks once per round).
fn confirmable(
    conn: &mut DbConnection,
    round: RoundId,
    signature: &Signature,
    cosigner: OrganizationId,
) -> Result<(), JointError> {
    let lead_counted = counted_official(conn, round, signature.lead_organization_id)?
        == Some(signature.submission_id);
    if !lead_counted {
        return Err(JointError::Refused("joint-lead-withdrawn"));
    }
    let leads = of_lead(conn, round, cosigner)?
        .iter()
        .any(|s| s.state() == SignatureState::Confirmed);
    if leads {
        return Err(JointError::Refused("joint-lead-cannot-cosign"));
    }
    if cosigned(conn, round, cosigner)?.is_some() {
        return Err(JointError::Refused("joint-already-cosigning"));
    }
    Ok(())
}
