//! People: participants, organizers and admins.

pub mod passwords;

use crate::codes::{Locale, StakeholderGroup};
use crate::db::schema::users;
use crate::db::{DbConnection, UserId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum Role {
        Participant => "participant",
        Organizer => "organizer",
        Admin => "admin",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
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
    pub email_verified_at: Option<PrimitiveDateTime>,
    pub affiliation_verified_at: Option<PrimitiveDateTime>,
    pub session_epoch: i32,
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Participant)
    }

    pub fn locale(&self) -> Locale {
        Locale::parse(&self.locale).unwrap_or_default()
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub organization: &'a str,
    pub group: StakeholderGroup,
    /// ISO 3166-1 alpha-2; `ZZ` when not stated (the first admin).
    pub country: &'a str,
    pub locale: Locale,
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
            users::display_name.eq(new.display_name),
            users::organization.eq(new.organization),
            users::stakeholder_group.eq(new.group.as_str()),
            users::country.eq(new.country),
            users::locale.eq(new.locale.as_str()),
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
    conn.transaction(|conn| match find_by_email(conn, email)? {
        Some(user) => {
            diesel::update(users::table.find(user.id))
                .set((
                    users::role.eq(Role::Admin.as_str()),
                    users::password_hash.eq(password_hash),
                    users::session_epoch.eq(users::session_epoch + 1),
                    users::updated_at.eq(now),
                ))
                .execute(conn)?;
            Ok(user.id)
        }
        None => insert(
            conn,
            &NewUser {
                email,
                password_hash,
                display_name: "Administrator",
                organization: "",
                group: StakeholderGroup::Individual,
                country: "ZZ",
                locale: Locale::En,
                role: Role::Admin,
                email_verified: true,
            },
            now,
        ),
    })
}
