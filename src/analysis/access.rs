//! Who may work on a consultation's texts.

use crate::accounts::User;
use crate::db::schema::consultation_analysts;
use crate::db::{ConsultationId, DbConnection};
use diesel::prelude::*;

/// How a person works on one consultation's analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    /// Organizers and admins: everything, including publishing.
    Organizer,
    /// Named for this consultation: reads every text (confidential ones
    /// included, never to be quoted), tags, annotates and proposes
    /// dispositions; cannot publish, hide or change rounds.
    Analyst,
}

/// `None` when `user` may not see this consultation's submitted texts:
/// callers answer 404, as for a consultation that does not exist.
pub fn analysis_role(
    conn: &mut DbConnection,
    user: &User,
    consultation: ConsultationId,
) -> QueryResult<Option<Analysis>> {
    if user.is_organizer() {
        return Ok(Some(Analysis::Organizer));
    }
    let named: i64 = consultation_analysts::table
        .filter(consultation_analysts::consultation_id.eq(consultation))
        .filter(consultation_analysts::user_id.eq(user.id))
        .count()
        .get_result(conn)?;
    Ok((named > 0).then_some(Analysis::Analyst))
}
