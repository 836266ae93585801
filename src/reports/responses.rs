//! The organizers' answers to the provisions, shown in the report.

use crate::audit;
use crate::db::schema::provision_responses;
use crate::db::{DbConnection, RoundId, UserId};
use crate::rounds::Round;
use diesel::prelude::*;
use std::collections::BTreeMap;
use time::PrimitiveDateTime;

/// The organizers' answer to a provision as they wrote it (Markdown).
pub fn response_of(
    conn: &mut DbConnection,
    round: &Round,
    key: &str,
) -> QueryResult<Option<String>> {
    provision_responses::table
        .filter(provision_responses::round_id.eq(round.id))
        .filter(provision_responses::provision_key.eq(key))
        .select(provision_responses::response)
        .first(conn)
        .optional()
}

/// The organizers' answer to a provision, shown in the report.
pub fn set_response(
    conn: &mut DbConnection,
    round: &Round,
    key: &str,
    response: &str,
    actor: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        let updated = diesel::update(
            provision_responses::table
                .filter(provision_responses::round_id.eq(round.id))
                .filter(provision_responses::provision_key.eq(key)),
        )
        .set((
            provision_responses::response.eq(response),
            provision_responses::updated_by.eq(actor),
            provision_responses::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(provision_responses::table)
                .values((
                    provision_responses::round_id.eq(round.id),
                    provision_responses::provision_key.eq(key),
                    provision_responses::response.eq(response),
                    provision_responses::updated_by.eq(actor),
                    provision_responses::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(actor),
                action: audit::Action::ResponseUpdate,
                consultation: Some(round.consultation_id),
                round: Some(round.id),
                subject: key,
                details: "",
            },
            now,
        )
    })
}

/// Every answer of the round by provision key, as written (Markdown).
pub(super) fn responses_of_round(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<BTreeMap<String, String>> {
    Ok(provision_responses::table
        .filter(provision_responses::round_id.eq(round))
        .select((
            provision_responses::provision_key,
            provision_responses::response,
        ))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}
