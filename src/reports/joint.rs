//! Joint submissions in a report. The lead's official submission is read and
//! published once, as any other; each confirmed co-signer counts once more,
//! per organization only, in its own group and holding the joint text's
//! stances: a coalition of forty organizations is forty organizations of
//! their groups taking one position, not forty copies of one text (which
//! campaign detection would otherwise flag).

use super::figures::CountRow;
use super::privacy::{Privacy, Source};
use crate::codes::StakeholderGroup;
use crate::db::schema::{joint_signatures, positions, submissions};
use crate::db::{DbConnection, ProvisionId, RoundId, SubmissionId};
use crate::organizations::joint::{Signature, SignatureState};
use crate::rounds::Attribution;
use crate::submissions::{CountsFor, Disclosure, Status};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A joint submission as report.json publishes it, when its lead's
/// disclosure names the organization (and the round is not under the
/// Chatham House Rule).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct JointSubmission {
    /// Also in report.csv's `joint_submission` column, on the lead's rows
    /// and on each co-signer's.
    pub id: String,
    /// The lead first, then the co-signers in the order they were asked.
    pub signatories: Vec<Signatory>,
    /// The public ids of its published texts.
    pub texts: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Signatory {
    pub organization: String,
    pub group: StakeholderGroup,
    pub country: String,
    pub verified: bool,
}

impl Signatory {
    pub(super) fn of(signature: &Signature) -> Option<Self> {
        Some(Self {
            organization: signature.name.clone(),
            group: StakeholderGroup::parse(&signature.stakeholder_group)?,
            country: signature.country.clone(),
            verified: signature.verified,
        })
    }
}

/// Confirmed signatures of `round` whose joint text counts: the lead's
/// official submission is submitted and counted as the organization's.
macro_rules! counted {
    ($round:expr) => {
        joint_signatures::table
            .inner_join(submissions::table)
            .filter(joint_signatures::round_id.eq($round))
            .filter(joint_signatures::state.eq(SignatureState::Confirmed.as_str()))
            .filter(submissions::status.eq(Status::Submitted.as_str()))
            .filter(submissions::counts_for.eq(CountsFor::Organization.as_str()))
    };
}

/// The co-signers of each counted joint submission of the round, by the
/// lead's submission.
fn cosigners(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<HashMap<SubmissionId, Vec<Signature>>> {
    let list: Vec<Signature> = counted!(round)
        .order(joint_signatures::id.asc())
        .select(Signature::as_select())
        .load(conn)?;
    let mut by_lead: HashMap<SubmissionId, Vec<Signature>> = HashMap::new();
    for s in list {
        by_lead.entry(s.submission_id).or_default().push(s);
    }
    Ok(by_lead)
}

/// The co-signers' counts per (provision, group, verified, stance): one
/// GROUP BY query, counted per organization only.
pub(super) fn count_rows(
    conn: &mut DbConnection,
    round: RoundId,
    keys: &BTreeMap<ProvisionId, &str>,
) -> QueryResult<Vec<(CountsFor, CountRow)>> {
    let rows: Vec<(ProvisionId, String, bool, Option<String>, i64)> = positions::table
        .inner_join(submissions::table.inner_join(joint_signatures::table))
        // On the signatures' round, so that the query starts from the few
        // signatures rather than from every submission of the round.
        .filter(joint_signatures::round_id.eq(round))
        .filter(joint_signatures::state.eq(SignatureState::Confirmed.as_str()))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .filter(submissions::counts_for.eq(CountsFor::Organization.as_str()))
        .filter(positions::stance.is_not_null())
        .group_by((
            positions::provision_id,
            joint_signatures::stakeholder_group,
            joint_signatures::verified,
            positions::stance,
        ))
        .select((
            positions::provision_id,
            joint_signatures::stakeholder_group,
            joint_signatures::verified,
            positions::stance,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(provision, group, verified, stance, count)| {
            let row = super::live::count_row(keys, provision, &group, verified, stance, count)?;
            Some((CountsFor::Organization, row))
        })
        .collect())
}

/// The co-signers as participants per (group, verified, country), for a
/// round counted per organization.
pub(super) fn participation_rows(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<Vec<(String, bool, String, i64)>> {
    counted!(round)
        .group_by((
            joint_signatures::stakeholder_group,
            joint_signatures::verified,
            joint_signatures::country,
        ))
        .select((
            joint_signatures::stakeholder_group,
            joint_signatures::verified,
            joint_signatures::country,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// The round's counted joint submissions while a report is built: who
/// co-signs each, and what report.json and report.csv say of it.
pub(super) struct Joints {
    /// By the lead's submission: its co-signers, and its place in
    /// `published` when the lead's disclosure names it.
    by_lead: HashMap<SubmissionId, (Vec<Signature>, Option<usize>)>,
    pub published: Vec<JointSubmission>,
}

/// The lead as its submission records it.
#[derive(Queryable)]
struct Lead {
    id: SubmissionId,
    disclosure: String,
    organization: String,
    group: String,
    country: String,
    verified: bool,
}

impl Joints {
    pub(super) fn load(
        conn: &mut DbConnection,
        round: RoundId,
        attribution: Attribution,
        privacy: &Privacy,
    ) -> QueryResult<Self> {
        let mut joints = Self {
            by_lead: HashMap::new(),
            published: vec![],
        };
        let cosigners = cosigners(conn, round)?;
        if cosigners.is_empty() {
            return Ok(joints);
        }
        let leads: Vec<Lead> = submissions::table
            .filter(submissions::id.eq_any(cosigners.keys().copied().collect::<Vec<_>>()))
            .order(submissions::id.asc())
            .select((
                submissions::id,
                submissions::disclosure,
                submissions::organization,
                submissions::stakeholder_group,
                submissions::country,
                submissions::affiliation_verified,
            ))
            .load(conn)?;
        let mut cosigners = cosigners;
        for lead in leads {
            let Some(signatures) = cosigners.remove(&lead.id) else {
                continue;
            };
            // A coalition names its members only as far as its lead's
            // disclosure names the lead.
            let named = attribution != Attribution::ChathamHouse
                && matches!(
                    Disclosure::parse(&lead.disclosure),
                    Some(Disclosure::Attributed | Disclosure::Organization)
                );
            let place = match (named, StakeholderGroup::parse(&lead.group)) {
                (true, Some(group)) => {
                    let first = Signatory {
                        organization: lead.organization,
                        group,
                        country: lead.country,
                        verified: lead.verified,
                    };
                    joints.published.push(JointSubmission {
                        id: privacy.public_id(Source::Joint(lead.id.0)),
                        signatories: std::iter::once(first)
                            .chain(signatures.iter().filter_map(Signatory::of))
                            .collect(),
                        texts: vec![],
                    });
                    Some(joints.published.len() - 1)
                }
                _ => None,
            };
            joints.by_lead.insert(lead.id, (signatures, place));
        }
        Ok(joints)
    }

    /// The co-signers of `submission` when it is a joint one, with its place
    /// among the published joint submissions.
    pub(super) fn of(&self, submission: SubmissionId) -> Option<(&[Signature], Option<usize>)> {
        self.by_lead
            .get(&submission)
            .map(|(signatures, place)| (signatures.as_slice(), *place))
    }

    /// The public id of the published joint submission at `place`.
    pub(super) fn id(&self, place: usize) -> &str {
        self.published.get(place).map_or("", |j| j.id.as_str())
    }

    /// Notes that a text of the submission is published under `id`.
    pub(super) fn published_text(&mut self, submission: SubmissionId, id: &str) {
        if let Some((_, Some(place))) = self.by_lead.get(&submission)
            && let Some(joint) = self.published.get_mut(*place)
        {
            joint.texts.push(id.to_string());
        }
    }
}
