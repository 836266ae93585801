//! People: participants, organizers and admins; registration, e-mail
//! verification, sign-in sessions, password reset, affiliation.

pub mod countries;
pub mod directory;
pub mod fields;
pub mod passwords;
pub mod rules;
pub mod sessions;
pub mod sign_in;
pub mod tokens;

use crate::audit;
use crate::codes::{Locale, StakeholderGroup};
use crate::db::schema::{email_tokens, submissions, users};
use crate::db::{DbConnection, RoundId, SubmissionId, UserId};
use crate::notifications::{Kind, Message, Notifier, NotifyError};
use crate::submissions::Status;
use diesel::prelude::*;
use fields::{Profile, Registration};
use serde::Serialize;
use time::{Duration, PrimitiveDateTime};

pub const VERIFY_TTL: Duration = Duration::hours(24);
pub const RESET_TTL: Duration = Duration::hours(1);

crate::text_enum! {
    pub enum Role {
        Participant => "participant",
        Organizer => "organizer",
        Admin => "admin",
    }
}

crate::text_enum! {
    pub enum TokenPurpose {
        VerifyEmail => "verify_email",
        ResetPassword => "reset_password",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub organization: String,
    pub stakeholder_group: String,
    pub country: String,
    pub locale: String,
    pub role: String,
    pub notify_rounds: bool,
    pub email_verified_at: Option<PrimitiveDateTime>,
    pub affiliation_verified_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Participant)
    }

    pub fn is_organizer(&self) -> bool {
        matches!(self.role(), Role::Organizer | Role::Admin)
    }

    pub fn locale(&self) -> Locale {
        Locale::parse(&self.locale).unwrap_or_default()
    }

    pub fn group(&self) -> StakeholderGroup {
        StakeholderGroup::parse(&self.stakeholder_group).unwrap_or(StakeholderGroup::Individual)
    }
}

impl From<&User> for fields::ProfileForm {
    fn from(user: &User) -> Self {
        Self {
            display_name: user.display_name.clone(),
            organization: user.organization.clone(),
            stakeholder_group: user.stakeholder_group.clone(),
            country: user.country.clone(),
            locale: user.locale.clone(),
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub profile: &'a Profile,
    pub role: Role,
    pub email_verified: bool,
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewUser,
    now: PrimitiveDateTime,
) -> QueryResult<UserId> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(new.email.to_lowercase()),
            users::password_hash.eq(new.password_hash),
            users::display_name.eq(&new.profile.display_name),
            users::organization.eq(&new.profile.organization),
            users::stakeholder_group.eq(new.profile.group.as_str()),
            users::country.eq(new.profile.country),
            users::locale.eq(new.profile.locale.as_str()),
            users::role.eq(new.role.as_str()),
            users::email_verified_at.eq(new.email_verified.then_some(now)),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<User> {
    users::table
        .find(id)
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .first(conn)
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.to_lowercase()))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn password_hash(conn: &mut DbConnection, id: UserId) -> QueryResult<String> {
    users::table
        .find(id)
        .select(users::password_hash)
        .first(conn)
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    id: UserId,
    hash: &str,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn any_admin(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::role.eq(Role::Admin.as_str())),
    ))
    .get_result(conn)
}

/// Makes an existing account an admin or creates one, with `password_hash`.
pub fn upsert_admin(
    conn: &mut DbConnection,
    email: &str,
    password_hash: &str,
    now: PrimitiveDateTime,
) -> QueryResult<UserId> {
    crate::db::write_transaction(conn, |conn| match find_by_email(conn, email)? {
        Some(user) => {
            diesel::update(users::table.find(user.id))
                .set((
                    users::role.eq(Role::Admin.as_str()),
                    users::password_hash.eq(password_hash),
                    users::updated_at.eq(now),
                ))
                .execute(conn)?;
            sessions::revoke_all(conn, user.id, None, now)?;
            Ok(user.id)
        }
        None => insert(
            conn,
            &NewUser {
                email,
                password_hash,
                profile: &Profile {
                    display_name: "Administrator".into(),
                    organization: String::new(),
                    group: StakeholderGroup::Individual,
                    country: "ZZ",
                    locale: Locale::En,
                },
                role: Role::Admin,
                email_verified: true,
            },
            now,
        ),
    })
}

fn issue_token(
    conn: &mut DbConnection,
    user: UserId,
    purpose: TokenPurpose,
    now: PrimitiveDateTime,
) -> QueryResult<String> {
    let token = tokens::generate();
    diesel::insert_into(email_tokens::table)
        .values((
            email_tokens::user_id.eq(user),
            email_tokens::purpose.eq(purpose.as_str()),
            email_tokens::token_hash.eq(tokens::hash(&token)),
            email_tokens::created_at.eq(now),
            email_tokens::expires_at.eq(now
                + match purpose {
                    TokenPurpose::VerifyEmail => VERIFY_TTL,
                    TokenPurpose::ResetPassword => RESET_TTL,
                }),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Marks a valid token used and returns its user; a token works once.
fn consume_token(
    conn: &mut DbConnection,
    token: &str,
    purpose: TokenPurpose,
    now: PrimitiveDateTime,
) -> QueryResult<Option<UserId>> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::token_hash.eq(tokens::hash(token)))
            .filter(email_tokens::purpose.eq(purpose.as_str()))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now)),
    )
    .set(email_tokens::used_at.eq(now))
    .returning(email_tokens::user_id)
    .get_result(conn)
    .optional()
}

/// Whether a token would be accepted, without using it (to show the form).
pub fn token_is_valid(
    conn: &mut DbConnection,
    token: &str,
    purpose: TokenPurpose,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        email_tokens::table
            .filter(email_tokens::token_hash.eq(tokens::hash(token)))
            .filter(email_tokens::purpose.eq(purpose.as_str()))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now)),
    ))
    .get_result(conn)
}

#[derive(Serialize)]
struct LinkEmail<'a> {
    name: &'a str,
    link: String,
}

fn send_verification(
    conn: &mut DbConnection,
    notifier: &Notifier,
    user: UserId,
    email: &str,
    name: &str,
    locale: Locale,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    let token = issue_token(conn, user, TokenPurpose::VerifyEmail, now)?;
    notifier.enqueue(
        conn,
        &Message {
            kind: Kind::VerifyEmail,
            to: email,
            locale,
            dedup_key: None,
            data: LinkEmail {
                name,
                link: format!("{}/verify/{token}", notifier.base_url()),
            },
        },
        now,
    )?;
    Ok(())
}

/// Creates the account and queues its verification e-mail in one transaction.
/// An address already registered gets a warning e-mail instead, and the caller
/// answers exactly as for a new one, so registration reveals no account.
pub fn register(
    conn: &mut DbConnection,
    notifier: &Notifier,
    reg: &Registration,
    password_hash: &str,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    match register_once(conn, notifier, reg, password_hash, now) {
        // Two registrations of one address at once on PostgreSQL: the one that
        // lost the race on the unique address finds the other's account when
        // it tries again, and so answers as for any existing address.
        Err(NotifyError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => register_once(conn, notifier, reg, password_hash, now),
        other => other,
    }
}

fn register_once(
    conn: &mut DbConnection,
    notifier: &Notifier,
    reg: &Registration,
    password_hash: &str,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    crate::db::write_transaction(conn, |conn| {
        if let Some(existing) = find_by_email(conn, reg.email.as_str())? {
            // Never confirmed: perhaps someone else registered the address.
            // Its owner gets a link to set their own password, which also
            // confirms the address and ends every session of the account.
            if existing.email_verified_at.is_none() {
                return send_reset_link(conn, notifier, &existing, now);
            }
            notifier.enqueue(
                conn,
                &Message {
                    kind: Kind::AccountExists,
                    to: &existing.email,
                    locale: existing.locale(),
                    dedup_key: None,
                    data: LinkEmail {
                        name: &existing.display_name,
                        link: format!("{}/password/forgot", notifier.base_url()),
                    },
                },
                now,
            )?;
            return Ok(());
        }
        let id = insert(
            conn,
            &NewUser {
                email: reg.email.as_str(),
                password_hash,
                profile: &reg.profile,
                role: Role::Participant,
                email_verified: false,
            },
            now,
        )?;
        send_verification(
            conn,
            notifier,
            id,
            reg.email.as_str(),
            &reg.profile.display_name,
            reg.profile.locale,
            now,
        )
    })
}

/// A new verification link for a signed-in participant who lost the first.
pub fn resend_verification(
    conn: &mut DbConnection,
    notifier: &Notifier,
    user: &User,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    if user.email_verified_at.is_some() {
        return Ok(());
    }
    crate::db::write_transaction(conn, |conn| {
        send_verification(
            conn,
            notifier,
            user.id,
            &user.email,
            &user.display_name,
            user.locale(),
            now,
        )
    })
}

/// Uses a verification token; returns whether it was valid. Every session
/// of the account opened before ends, except `keep` (the session of the
/// browser that followed the link): whoever registered someone else's
/// address and stayed signed in is signed out when its owner confirms it.
pub fn verify_email(
    conn: &mut DbConnection,
    token: &str,
    keep: Option<&str>,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let Some(user) = consume_token(conn, token, TokenPurpose::VerifyEmail, now)? else {
            return Ok(false);
        };
        sessions::revoke_all(conn, user, keep, now)?;
        diesel::update(
            users::table
                .find(user)
                .filter(users::email_verified_at.is_null()),
        )
        .set(users::email_verified_at.eq(now))
        .execute(conn)?;
        rules::verify_on_confirmation(conn, user, now)?;
        Ok(true)
    })
}

/// Queues a reset link when the address belongs to an account; silent otherwise.
pub fn request_reset(
    conn: &mut DbConnection,
    notifier: &Notifier,
    email: &str,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    crate::db::write_transaction(conn, |conn| {
        let Some(user) = find_by_email(conn, email)? else {
            return Ok(());
        };
        send_reset_link(conn, notifier, &user, now)
    })
}

fn send_reset_link(
    conn: &mut DbConnection,
    notifier: &Notifier,
    user: &User,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    let token = issue_token(conn, user.id, TokenPurpose::ResetPassword, now)?;
    notifier.enqueue(
        conn,
        &Message {
            kind: Kind::PasswordReset,
            to: &user.email,
            locale: user.locale(),
            dedup_key: None,
            data: LinkEmail {
                name: &user.display_name,
                link: format!("{}/password/reset/{token}", notifier.base_url()),
            },
        },
        now,
    )?;
    Ok(())
}

/// Sets a new password with a reset token and ends every session of the
/// account; returns false when the token is unknown, used or expired.
pub fn reset_password(
    conn: &mut DbConnection,
    notifier: &Notifier,
    token: &str,
    password_hash: &str,
    now: PrimitiveDateTime,
) -> Result<bool, NotifyError> {
    crate::db::write_transaction(conn, |conn| {
        let Some(id) = consume_token(conn, token, TokenPurpose::ResetPassword, now)? else {
            return Ok(false);
        };
        set_password_hash(conn, id, password_hash, now)?;
        sessions::revoke_all(conn, id, None, now)?;
        // Following the link proves the address works.
        diesel::update(
            users::table
                .find(id)
                .filter(users::email_verified_at.is_null()),
        )
        .set(users::email_verified_at.eq(now))
        .execute(conn)?;
        rules::verify_on_confirmation(conn, id, now)?;
        let user = find(conn, id)?;
        password_changed_notice(conn, notifier, &user, now)?;
        Ok(true)
    })
}

pub fn password_changed_notice(
    conn: &mut DbConnection,
    notifier: &Notifier,
    user: &User,
    now: PrimitiveDateTime,
) -> Result<(), NotifyError> {
    notifier.enqueue(
        conn,
        &Message {
            kind: Kind::PasswordChanged,
            to: &user.email,
            locale: user.locale(),
            dedup_key: None,
            data: LinkEmail {
                name: &user.display_name,
                link: format!("{}/password/forgot", notifier.base_url()),
            },
        },
        now,
    )?;
    Ok(())
}

/// Changes the profile; past submissions keep the snapshot taken when they
/// were submitted.
pub fn update_profile(
    conn: &mut DbConnection,
    id: UserId,
    profile: &Profile,
    notify_rounds: bool,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::display_name.eq(&profile.display_name),
            users::organization.eq(&profile.organization),
            users::stakeholder_group.eq(profile.group.as_str()),
            users::country.eq(profile.country),
            users::locale.eq(profile.locale.as_str()),
            users::notify_rounds.eq(notify_rounds),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Erases the person: e-mail, name, organization, password and the files
/// they attached go; their submissions stay counted (with group and country)
/// but lose any attribution. Returns the files removed, whose copies in a
/// directory the caller deletes once this has committed.
pub fn delete(
    conn: &mut DbConnection,
    id: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Vec<crate::attachments::Attachment>> {
    crate::db::write_transaction(conn, |conn| {
        diesel::update(users::table.find(id))
            .set((
                users::email.eq(format!("deleted-{id}@invalid")),
                users::display_name.eq("—"),
                users::organization.eq(""),
                users::password_hash.eq("!"),
                users::notify_rounds.eq(false),
                users::deleted_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        let theirs = submissions::table.filter(submissions::participant_id.eq(id));
        diesel::update(theirs.filter(submissions::organization_id.is_null()))
            .set((
                submissions::display_name.eq(""),
                submissions::organization.eq(""),
                submissions::disclosure.eq("anonymous"),
            ))
            .filter(submissions::disclosure.ne("confidential"))
            .execute(conn)?;
        // An organization's official submission stays the organization's;
        // only the person's name leaves it.
        diesel::update(theirs.filter(submissions::organization_id.is_not_null()))
            .set(submissions::display_name.eq(""))
            .execute(conn)?;
        diesel::delete(email_tokens::table.filter(email_tokens::user_id.eq(id))).execute(conn)?;
        sessions::revoke_all(conn, id, None, now)?;
        // The search shows their texts without name, papers or disclosure.
        let changed: Vec<(SubmissionId, RoundId)> = theirs
            .filter(submissions::status.eq(Status::Submitted.as_str()))
            .select((submissions::id, submissions::round_id))
            .load(conn)?;
        for (submission, round) in changed {
            crate::analysis::index::queue(conn, round, submission, now)?;
        }
        crate::attachments::remove_all_of(conn, id)
    })
}

/// Confirms a participant's stakeholder affiliation, recorded in the audit
/// log; false when it was confirmed already. An unknown account is NotFound.
pub fn verify_affiliation(
    conn: &mut DbConnection,
    id: UserId,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        find(conn, id)?;
        let verified = diesel::update(
            users::table
                .find(id)
                .filter(users::deleted_at.is_null())
                .filter(users::affiliation_verified_at.is_null()),
        )
        .set((
            users::affiliation_verified_at.eq(now),
            users::affiliation_verified_by.eq(by),
        ))
        .execute(conn)?
            == 1;
        if verified {
            record_about(conn, by, audit::Action::ParticipantVerify, id, "", now)?;
        }
        Ok(verified)
    })
}

/// Gives an account a role, recorded in the audit log; false when there is
/// no such live account.
pub fn set_role(
    conn: &mut DbConnection,
    id: UserId,
    role: Role,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let changed = diesel::update(users::table.find(id).filter(users::deleted_at.is_null()))
            .set((users::role.eq(role.as_str()), users::updated_at.eq(now)))
            .execute(conn)?
            == 1;
        if changed {
            record_about(conn, by, audit::Action::UserPromote, id, role.as_str(), now)?;
        }
        Ok(changed)
    })
}

/// An audit entry about a person (never public).
fn record_about(
    conn: &mut DbConnection,
    by: UserId,
    action: audit::Action,
    about: UserId,
    details: &str,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Entry {
            actor: Some(by),
            action,
            consultation: None,
            round: None,
            subject: &format!("user {about}"),
            details,
        },
        now,
    )
}
