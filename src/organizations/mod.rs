//! Organizations: records of their own within a consultation (group,
//! country, website, e-mail domains), verified by an organizer or by a
//! verification rule, with members who hold roles. An organization speaks
//! once, through its official submission (`official`).

mod fields;
pub mod joint;
pub mod membership;
pub mod official;

use crate::accounts::{User, rules};
use crate::audit;
use crate::codes::StakeholderGroup;
use crate::db::schema::{organization_members, organizations, users};
use crate::db::{ConsultationId, DbConnection, OrganizationId, UserId};
use diesel::prelude::*;
use serde::Serialize;
use time::PrimitiveDateTime;

pub use fields::{NewOrganization, OrganizationForm};
pub use membership::{Member, MemberState, Roles};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: OrganizationId,
    pub consultation_id: ConsultationId,
    pub name: String,
    pub translated_name: Option<String>,
    pub stakeholder_group: String,
    pub country: String,
    pub website: String,
    pub domains: String,
    pub verified_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
}

impl Organization {
    pub fn group(&self) -> StakeholderGroup {
        StakeholderGroup::parse(&self.stakeholder_group).unwrap_or(StakeholderGroup::Individual)
    }

    pub fn is_verified(&self) -> bool {
        self.verified_at.is_some()
    }

    pub fn domain_list(&self) -> impl Iterator<Item = &str> {
        self.domains.split_whitespace()
    }
}

/// Why an action on an organization was refused: each names the Fluent
/// message shown next to the field (or at the top of the page).
#[derive(Debug, thiserror::Error)]
pub enum OrganizationError {
    #[error("no such organization or membership")]
    NotFound,
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// The request contradicts what is stored (already a member, name taken…).
    #[error("refused: {0}")]
    Refused(&'static str),
    #[error("e-mail: {0}")]
    Notify(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

/// The organization `id` if it belongs to `consultation`: an id from another
/// consultation is as unknown as one that does not exist.
pub fn find(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    id: OrganizationId,
) -> Result<Organization, OrganizationError> {
    organizations::table
        .find(id)
        .filter(organizations::consultation_id.eq(consultation))
        .select(Organization::as_select())
        .first(conn)
        .optional()?
        .ok_or(OrganizationError::NotFound)
}

/// The consultation's organizations, verified first, by name.
pub fn list(
    conn: &mut DbConnection,
    consultation: ConsultationId,
) -> QueryResult<Vec<Organization>> {
    organizations::table
        .filter(organizations::consultation_id.eq(consultation))
        .order((
            organizations::verified_at.is_null(),
            organizations::name.asc(),
        ))
        .select(Organization::as_select())
        .load(conn)
}

/// Records a new organization. An organizer's is verified at once; a
/// participant's is pending unless a verification rule for its group and
/// country covers both one of its domains and the creator's confirmed
/// address. A participant who creates one becomes its first member with
/// every role.
pub fn create(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    new: &NewOrganization,
    creator: &User,
    now: PrimitiveDateTime,
) -> Result<OrganizationId, OrganizationError> {
    let by_organizer = creator.is_organizer();
    let created = crate::db::write_transaction(conn, |conn| {
        if !by_organizer && membership::active_of(conn, consultation, creator.id)?.is_some() {
            return Err(OrganizationError::Refused("organization-already-member"));
        }
        let rule = if by_organizer {
            None
        } else {
            rule_for(conn, new, creator)?
        };
        let verified = by_organizer || rule.is_some();
        let id: OrganizationId = diesel::insert_into(organizations::table)
            .values((
                organizations::consultation_id.eq(consultation),
                organizations::name.eq(&new.name),
                organizations::translated_name.eq(new.translated_name.as_deref()),
                organizations::stakeholder_group.eq(new.group.as_str()),
                organizations::country.eq(new.country),
                organizations::website.eq(&new.website),
                organizations::domains.eq(new
                    .domains
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")),
                organizations::verified_at.eq(verified.then_some(now)),
                organizations::verified_by.eq(by_organizer.then_some(creator.id)),
                organizations::created_by.eq(creator.id),
                organizations::created_at.eq(now),
            ))
            .returning(organizations::id)
            .get_result(conn)?;
        let subject = format!("organization {id}");
        let details = format!("{} ({}, {})", new.name, new.group.as_str(), new.country);
        let mut entry = audit::Entry {
            actor: Some(creator.id),
            action: audit::Action::OrganizationCreate,
            consultation: Some(consultation),
            round: None,
            subject: &subject,
            details: &details,
        };
        audit::record(conn, &entry, now)?;
        if let Some(rule) = &rule {
            // No one acted: the rule did, on the creator's confirmed address.
            let how = format!("{details}: rule {}: @{}", rule.id, rule.domain);
            entry.actor = None;
            entry.action = audit::Action::OrganizationVerify;
            entry.details = &how;
            audit::record(conn, &entry, now)?;
        }
        if !by_organizer {
            membership::insert(
                conn,
                id,
                consultation,
                creator.id,
                MemberState::Active,
                Roles::all(),
                None,
                now,
            )?;
        }
        Ok(id)
    });
    match created {
        Err(OrganizationError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(OrganizationError::Refused("organization-name-taken")),
        other => other,
    }
}

/// The verification rule that vouches for a participant's new organization.
fn rule_for(
    conn: &mut DbConnection,
    new: &NewOrganization,
    creator: &User,
) -> QueryResult<Option<rules::Rule>> {
    if creator.email_verified_at.is_none() || !new.domains.iter().any(|d| d.covers(&creator.email))
    {
        return Ok(None);
    }
    let found = rules::matching(conn, &creator.email, new.group.as_str(), new.country)?;
    Ok(found
        .map(|(rule, _)| rule)
        .filter(|rule| new.domains.iter().any(|d| d.as_str() == rule.domain)))
}

/// An organizer confirms a pending organization; false when it was verified
/// already.
pub fn verify(
    conn: &mut DbConnection,
    organization: &Organization,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let changed = diesel::update(
            organizations::table
                .find(organization.id)
                .filter(organizations::verified_at.is_null()),
        )
        .set((
            organizations::verified_at.eq(now),
            organizations::verified_by.eq(by),
        ))
        .execute(conn)?;
        if changed == 1 {
            audit::record(
                conn,
                &audit::Entry {
                    actor: Some(by),
                    action: audit::Action::OrganizationVerify,
                    consultation: Some(organization.consultation_id),
                    round: None,
                    subject: &format!("organization {}", organization.id),
                    details: &organization.name,
                },
                now,
            )?;
        }
        Ok(changed == 1)
    })
}

/// How many people are active members of each organization of the
/// consultation.
pub fn member_counts(
    conn: &mut DbConnection,
    consultation: ConsultationId,
) -> QueryResult<Vec<(OrganizationId, i64)>> {
    organization_members::table
        .filter(organization_members::consultation_id.eq(consultation))
        .filter(organization_members::state.eq(MemberState::Active.as_str()))
        .group_by(organization_members::organization_id)
        .select((
            organization_members::organization_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// Pending organizations a new rule vouches for, as it would have at their
/// creation: of its group and country, listing its domain, with an active
/// member whose confirmed address is at that domain (the proof that the
/// organization's people really write from it).
fn pending_for_rule(
    conn: &mut DbConnection,
    rule: &rules::NewRule,
) -> QueryResult<Vec<Organization>> {
    let domain = rule.domain.as_str();
    let candidates: Vec<Organization> = organizations::table
        .filter(organizations::verified_at.is_null())
        .filter(organizations::stakeholder_group.eq(rule.group.as_str()))
        .filter(organizations::country.eq(&rule.country))
        // Domains hold no LIKE wildcard; the exact match is checked below.
        .filter(organizations::domains.like(format!("%{domain}%")))
        .select(Organization::as_select())
        .load(conn)?
        .into_iter()
        .filter(|o| o.domain_list().any(|d| d == domain))
        .collect();
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let ids: Vec<OrganizationId> = candidates.iter().map(|o| o.id).collect();
    let addresses: Vec<(OrganizationId, String)> = organization_members::table
        .inner_join(users::table)
        .filter(organization_members::organization_id.eq_any(&ids))
        .filter(organization_members::state.eq(MemberState::Active.as_str()))
        .filter(users::deleted_at.is_null())
        .filter(users::email_verified_at.is_not_null())
        .select((organization_members::organization_id, users::email))
        .load(conn)?;
    Ok(candidates
        .into_iter()
        .filter(|o| {
            addresses
                .iter()
                .any(|(id, email)| *id == o.id && rule.domain.covers(email))
        })
        .collect())
}

/// How many pending organizations confirming `rule` would verify now.
pub fn count_for_rule(conn: &mut DbConnection, rule: &rules::NewRule) -> QueryResult<i64> {
    Ok(pending_for_rule(conn, rule)?.len() as i64)
}

/// Verifies the pending organizations `rule` vouches for, in the
/// transaction that records the rule (`named` as the audit log names it),
/// one audit entry each; returns how many.
pub fn verify_by_rule(
    conn: &mut DbConnection,
    rule: &rules::NewRule,
    named: &str,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    let found = pending_for_rule(conn, rule)?;
    let ids: Vec<OrganizationId> = found.iter().map(|o| o.id).collect();
    diesel::update(organizations::table.filter(organizations::id.eq_any(&ids)))
        .set((
            organizations::verified_at.eq(now),
            organizations::verified_by.eq(by),
        ))
        .execute(conn)?;
    let texts: Vec<(String, String)> = found
        .iter()
        .map(|o| {
            (
                format!("organization {}", o.id),
                format!("{}: {named}", o.name),
            )
        })
        .collect();
    let entries: Vec<audit::Entry> = found
        .iter()
        .zip(&texts)
        .map(|(o, (subject, details))| audit::Entry {
            actor: Some(by),
            action: audit::Action::OrganizationVerify,
            consultation: Some(o.consultation_id),
            round: None,
            subject,
            details,
        })
        .collect();
    audit::record_many(conn, &entries, now)?;
    Ok(found.len())
}
