//! Who belongs to an organization and may do what: one active membership
//! per person and consultation, reached by an admin's invitation or by a
//! request an admin approves. Rows are never deleted.

use super::{Organization, OrganizationError};
use crate::accounts::{self, User};
use crate::consultations::Slug;
use crate::db::schema::{organization_members, organizations, users};
use crate::db::{ConsultationId, DbConnection, MembershipId, OneRow, OrganizationId, UserId};
use crate::notifications::{Kind, Message, Notifier};
use diesel::prelude::*;
use serde::Serialize;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum MemberState {
        Invited => "invited",
        Requested => "requested",
        Active => "active",
        Declined => "declined",
        Left => "left",
    }
}

/// What a member may do: admins manage the members, drafters edit the
/// official draft, signatories submit it in the organization's name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Roles {
    pub admin: bool,
    pub drafter: bool,
    pub signatory: bool,
}

impl Roles {
    pub fn all() -> Self {
        Self {
            admin: true,
            drafter: true,
            signatory: true,
        }
    }

    /// Roles ticked on a form (`role` repeated); none means drafter, the
    /// least a member is there for.
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        let ticked = |name: &str| pairs.iter().any(|(k, v)| k == "role" && v == name);
        let roles = Self {
            admin: ticked("admin"),
            drafter: ticked("drafter"),
            signatory: ticked("signatory"),
        };
        if roles == Self::default() {
            Self {
                drafter: true,
                ..roles
            }
        } else {
            roles
        }
    }
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Member {
    pub id: MembershipId,
    pub organization_id: OrganizationId,
    pub user_id: UserId,
    pub state: String,
    pub admin: bool,
    pub drafter: bool,
    pub signatory: bool,
    pub name: String,
    pub email: String,
}

impl Member {
    pub fn state(&self) -> MemberState {
        MemberState::parse(&self.state).unwrap_or(MemberState::Left)
    }

    pub fn roles(&self) -> Roles {
        Roles {
            admin: self.admin,
            drafter: self.drafter,
            signatory: self.signatory,
        }
    }
}

macro_rules! member_columns {
    () => {
        (
            organization_members::id,
            organization_members::organization_id,
            organization_members::user_id,
            organization_members::state,
            organization_members::is_admin,
            organization_members::is_drafter,
            organization_members::is_signatory,
            users::display_name,
            users::email,
        )
    };
}

#[allow(clippy::too_many_arguments)]
pub(super) fn insert(
    conn: &mut DbConnection,
    organization: OrganizationId,
    consultation: ConsultationId,
    user: UserId,
    state: MemberState,
    roles: Roles,
    invited_by: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<MembershipId> {
    diesel::insert_into(organization_members::table)
        .values((
            organization_members::organization_id.eq(organization),
            organization_members::consultation_id.eq(consultation),
            organization_members::user_id.eq(user),
            organization_members::state.eq(state.as_str()),
            organization_members::is_admin.eq(roles.admin),
            organization_members::is_drafter.eq(roles.drafter),
            organization_members::is_signatory.eq(roles.signatory),
            organization_members::invited_by.eq(invited_by),
            organization_members::created_at.eq(now),
            organization_members::updated_at.eq(now),
        ))
        .returning(organization_members::id)
        .get_result(conn)
}

/// The organization `user` is an active member of in `consultation`, with
/// the membership.
pub fn active_of(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    user: UserId,
) -> QueryResult<Option<(Organization, Member)>> {
    organization_members::table
        .inner_join(organizations::table)
        .inner_join(users::table)
        .filter(organization_members::consultation_id.eq(consultation))
        .filter(organization_members::user_id.eq(user))
        .filter(organization_members::state.eq(MemberState::Active.as_str()))
        .select((Organization::as_select(), member_columns!()))
        .one_row(conn)
}

/// `user`'s membership of `organization` in `state`, if any. The latest row
/// is the one that holds: a new invitation or request is refused while the
/// person is active anywhere in the consultation.
pub fn of(
    conn: &mut DbConnection,
    organization: OrganizationId,
    user: UserId,
    state: MemberState,
) -> QueryResult<Option<Member>> {
    Ok(latest(conn, organization, user)?.filter(|m| m.state() == state))
}

/// `user`'s latest membership of `organization`, in whatever state.
pub fn latest(
    conn: &mut DbConnection,
    organization: OrganizationId,
    user: UserId,
) -> QueryResult<Option<Member>> {
    organization_members::table
        .inner_join(users::table)
        .filter(organization_members::organization_id.eq(organization))
        .filter(organization_members::user_id.eq(user))
        .order(organization_members::id.desc())
        .select(member_columns!())
        .first(conn)
        .optional()
}

/// Active members, invitations and requests, by name.
pub fn list(conn: &mut DbConnection, organization: OrganizationId) -> QueryResult<Vec<Member>> {
    organization_members::table
        .inner_join(users::table)
        .filter(organization_members::organization_id.eq(organization))
        .filter(organization_members::state.eq_any([
            MemberState::Active.as_str(),
            MemberState::Invited.as_str(),
            MemberState::Requested.as_str(),
        ]))
        .order((users::display_name.asc(), organization_members::id.asc()))
        .select(member_columns!())
        .load(conn)
}

/// The active admins, to whom requests and joint invitations are sent.
pub fn admins(conn: &mut DbConnection, organization: OrganizationId) -> QueryResult<Vec<User>> {
    organization_members::table
        .inner_join(users::table)
        .filter(organization_members::organization_id.eq(organization))
        .filter(organization_members::state.eq(MemberState::Active.as_str()))
        .filter(organization_members::is_admin.eq(true))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .load(conn)
}

/// Refuses unless `user` is an active admin of `organization`.
pub fn require_admin(
    conn: &mut DbConnection,
    organization: OrganizationId,
    user: UserId,
) -> Result<Member, OrganizationError> {
    of(conn, organization, user, MemberState::Active)?
        .filter(|m| m.admin)
        .ok_or(OrganizationError::Forbidden("organization-admins-only"))
}

/// Refuses when `user` already belongs to an organization of the
/// consultation, or already has an open invitation or request here.
fn check_free(
    conn: &mut DbConnection,
    organization: &Organization,
    user: UserId,
) -> Result<(), OrganizationError> {
    if active_of(conn, organization.consultation_id, user)?.is_some() {
        return Err(OrganizationError::Refused("organization-already-member"));
    }
    let open: i64 = organization_members::table
        .filter(organization_members::organization_id.eq(organization.id))
        .filter(organization_members::user_id.eq(user))
        .filter(organization_members::state.eq_any([
            MemberState::Invited.as_str(),
            MemberState::Requested.as_str(),
        ]))
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Err(OrganizationError::Refused("organization-already-pending"));
    }
    Ok(())
}

/// What the organizations' e-mails say: who, which organization, and the
/// page where they answer.
#[derive(Serialize)]
struct OrganizationEmail<'a> {
    name: &'a str,
    organization: &'a str,
    requester: &'a str,
    link: String,
}

fn link_to(notifier: &Notifier, slug: &Slug, organization: &Organization) -> String {
    format!(
        "{}/consultations/{slug}/organizations/{}",
        notifier.base_url(),
        organization.id
    )
}

/// An admin invites the person with address `email`; they must have an
/// account (the invitation is accepted signed in), and get an e-mail with
/// the link to accept it, queued with the invitation.
#[allow(clippy::too_many_arguments)]
pub fn invite(
    conn: &mut DbConnection,
    notifier: &Notifier,
    slug: &Slug,
    organization: &Organization,
    admin: UserId,
    email: &str,
    roles: Roles,
    now: PrimitiveDateTime,
) -> Result<User, OrganizationError> {
    crate::db::write_transaction(conn, |conn| {
        require_admin(conn, organization.id, admin)?;
        let invited = accounts::find_by_email(conn, email)?
            .filter(|u| u.email_verified_at.is_some())
            .ok_or(OrganizationError::Refused("organization-invite-unknown"))?;
        check_free(conn, organization, invited.id)?;
        insert(
            conn,
            organization.id,
            organization.consultation_id,
            invited.id,
            MemberState::Invited,
            roles,
            Some(admin),
            now,
        )?;
        let message = Message {
            kind: Kind::OrganizationInvitation,
            to: &invited.email,
            locale: invited.locale(),
            dedup_key: None,
            data: OrganizationEmail {
                name: &invited.display_name,
                organization: &organization.name,
                requester: "",
                link: link_to(notifier, slug, organization),
            },
        };
        notifier
            .enqueue(conn, &message, now)
            .map_err(notify_failed)?;
        Ok(invited)
    })
}

/// An e-mail that cannot be rendered is a bug: it fails the action, which
/// is then not recorded.
fn notify_failed(e: crate::notifications::NotifyError) -> OrganizationError {
    match e {
        crate::notifications::NotifyError::Query(e) => OrganizationError::Query(e),
        other => OrganizationError::Notify(other.to_string()),
    }
}

/// A participant asks to join; the admins get an e-mail.
pub fn request(
    conn: &mut DbConnection,
    notifier: &Notifier,
    slug: &Slug,
    organization: &Organization,
    user: &User,
    now: PrimitiveDateTime,
) -> Result<(), OrganizationError> {
    crate::db::write_transaction(conn, |conn| {
        check_free(conn, organization, user.id)?;
        insert(
            conn,
            organization.id,
            organization.consultation_id,
            user.id,
            MemberState::Requested,
            Roles {
                drafter: true,
                ..Roles::default()
            },
            None,
            now,
        )?;
        let admins = admins(conn, organization.id)?;
        let messages: Vec<Message<OrganizationEmail>> = admins
            .iter()
            .map(|admin| Message {
                kind: Kind::OrganizationRequest,
                to: &admin.email,
                locale: admin.locale(),
                dedup_key: None,
                data: OrganizationEmail {
                    name: &admin.display_name,
                    organization: &organization.name,
                    requester: &user.display_name,
                    link: link_to(notifier, slug, organization),
                },
            })
            .collect();
        notifier
            .enqueue_all(conn, &messages, now)
            .map_err(notify_failed)?;
        Ok(())
    })
}

/// Moves `membership` of `organization` from `from` to `to`, with `roles`
/// when given; NotFound when it is not in `from`. Becoming active fails
/// when the person joined another organization of the consultation since.
fn transition(
    conn: &mut DbConnection,
    organization: &Organization,
    membership: MembershipId,
    from: MemberState,
    to: MemberState,
    roles: Option<Roles>,
    now: PrimitiveDateTime,
) -> Result<(), OrganizationError> {
    let target = organization_members::table
        .find(membership)
        .filter(organization_members::organization_id.eq(organization.id))
        .filter(organization_members::state.eq(from.as_str()));
    let user: UserId = target
        .select(organization_members::user_id)
        .first(conn)
        .optional()?
        .ok_or(OrganizationError::NotFound)?;
    if to == MemberState::Active && active_of(conn, organization.consultation_id, user)?.is_some() {
        return Err(OrganizationError::Refused("organization-already-member"));
    }
    diesel::update(target)
        .set((
            organization_members::state.eq(to.as_str()),
            organization_members::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(roles) = roles {
        set_roles_of(conn, membership, roles, now)?;
    }
    Ok(())
}

fn set_roles_of(
    conn: &mut DbConnection,
    membership: MembershipId,
    roles: Roles,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(organization_members::table.find(membership))
        .set((
            organization_members::is_admin.eq(roles.admin),
            organization_members::is_drafter.eq(roles.drafter),
            organization_members::is_signatory.eq(roles.signatory),
            organization_members::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The invited person accepts (`accept`) or declines their invitation.
pub fn answer_invitation(
    conn: &mut DbConnection,
    organization: &Organization,
    user: UserId,
    accept: bool,
    now: PrimitiveDateTime,
) -> Result<(), OrganizationError> {
    crate::db::write_transaction(conn, |conn| {
        let invitation = of(conn, organization.id, user, MemberState::Invited)?
            .ok_or(OrganizationError::NotFound)?;
        let to = if accept {
            MemberState::Active
        } else {
            MemberState::Declined
        };
        transition(
            conn,
            organization,
            invitation.id,
            MemberState::Invited,
            to,
            None,
            now,
        )
    })
}

/// An admin approves (with `roles`) or refuses a request to join.
pub fn answer_request(
    conn: &mut DbConnection,
    organization: &Organization,
    admin: UserId,
    membership: MembershipId,
    approve: Option<Roles>,
    now: PrimitiveDateTime,
) -> Result<(), OrganizationError> {
    crate::db::write_transaction(conn, |conn| {
        require_admin(conn, organization.id, admin)?;
        let to = if approve.is_some() {
            MemberState::Active
        } else {
            MemberState::Declined
        };
        transition(
            conn,
            organization,
            membership,
            MemberState::Requested,
            to,
            approve,
            now,
        )
    })
}

/// An admin changes an active member's roles. An organization keeps at
/// least one admin, so no one is locked out of it.
pub fn set_roles(
    conn: &mut DbConnection,
    organization: &Organization,
    admin: UserId,
    membership: MembershipId,
    roles: Roles,
    now: PrimitiveDateTime,
) -> Result<(), OrganizationError> {
    crate::db::write_transaction(conn, |conn| {
        require_admin(conn, organization.id, admin)?;
        let member = list(conn, organization.id)?
            .into_iter()
            .find(|m| m.id == membership && m.state() == MemberState::Active)
            .ok_or(OrganizationError::NotFound)?;
        if member.admin && !roles.admin && admins(conn, organization.id)?.len() <= 1 {
            return Err(OrganizationError::Refused("organization-last-admin"));
        }
        set_roles_of(conn, membership, roles, now)?;
        Ok(())
    })
}

/// A member leaves. What they drafted stays with the organization; their
/// roles go with them. The last admin cannot leave while others remain.
pub fn leave(
    conn: &mut DbConnection,
    organization: &Organization,
    user: UserId,
    now: PrimitiveDateTime,
) -> Result<(), OrganizationError> {
    crate::db::write_transaction(conn, |conn| {
        let member = of(conn, organization.id, user, MemberState::Active)?
            .ok_or(OrganizationError::NotFound)?;
        let others = list(conn, organization.id)?
            .iter()
            .filter(|m| m.state() == MemberState::Active && m.id != member.id)
            .count();
        if member.admin && others > 0 && admins(conn, organization.id)?.len() <= 1 {
            return Err(OrganizationError::Refused("organization-last-admin"));
        }
        transition(
            conn,
            organization,
            member.id,
            MemberState::Active,
            MemberState::Left,
            None,
            now,
        )
    })
}
