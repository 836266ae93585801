//! Naming the analysts of a consultation, and what each one analyses.

use crate::accounts::{self, User};
use crate::audit;
use crate::consultations::Consultation;
use crate::db::schema::{consultation_analysts, consultations, users};
use crate::db::{ConsultationId, DbConnection, UserId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

#[derive(Debug, PartialEq, Eq)]
pub enum Named {
    Added,
    AlreadyAnalyst,
    /// No live account has this address.
    NoAccount,
}

fn record(
    conn: &mut DbConnection,
    by: UserId,
    action: audit::Action,
    consultation: ConsultationId,
    who: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Entry {
            actor: Some(by),
            action,
            consultation: Some(consultation),
            round: None,
            subject: &format!("user {who}"),
            details: "",
        },
        now,
    )
}

/// Names the account of `email` an analyst of `consultation`.
pub fn add(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    email: &str,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<Named> {
    crate::db::write_transaction(conn, |conn| {
        let Some(user) = accounts::find_by_email(conn, email.trim())? else {
            return Ok(Named::NoAccount);
        };
        let already: i64 = consultation_analysts::table
            .find((consultation, user.id))
            .count()
            .get_result(conn)?;
        if already > 0 {
            return Ok(Named::AlreadyAnalyst);
        }
        diesel::insert_into(consultation_analysts::table)
            .values((
                consultation_analysts::consultation_id.eq(consultation),
                consultation_analysts::user_id.eq(user.id),
                consultation_analysts::assigned_by.eq(by),
                consultation_analysts::assigned_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            by,
            audit::Action::AnalystAdd,
            consultation,
            user.id,
            now,
        )?;
        Ok(Named::Added)
    })
}

/// Removes an analyst; false when they were not one. Their taggings stay.
pub fn remove(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    who: UserId,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let removed = diesel::delete(consultation_analysts::table.find((consultation, who)))
            .execute(conn)?
            == 1;
        if removed {
            record(
                conn,
                by,
                audit::Action::AnalystRemove,
                consultation,
                who,
                now,
            )?;
        }
        Ok(removed)
    })
}

/// The analysts of a consultation: (id, name, e-mail), by name.
pub fn of(
    conn: &mut DbConnection,
    consultation: ConsultationId,
) -> QueryResult<Vec<(UserId, String, String)>> {
    consultation_analysts::table
        .inner_join(users::table.on(users::id.eq(consultation_analysts::user_id)))
        .filter(consultation_analysts::consultation_id.eq(consultation))
        .order(users::display_name)
        .select((users::id, users::display_name, users::email))
        .load(conn)
}

/// The consultations `user` may analyse: every one for organizers.
pub fn consultations_of(conn: &mut DbConnection, user: &User) -> QueryResult<Vec<Consultation>> {
    if user.is_organizer() {
        return crate::consultations::all(conn);
    }
    consultations::table
        .inner_join(
            consultation_analysts::table
                .on(consultation_analysts::consultation_id.eq(consultations::id)),
        )
        .filter(consultation_analysts::user_id.eq(user.id))
        .order(consultations::title)
        .select(Consultation::as_select())
        .load(conn)
}
