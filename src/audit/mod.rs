//! The append-only record of every organizer and admin action. Consultation-level
//! entries are public (`/audit`).

use crate::db::schema::audit_log;
use crate::db::{ConsultationId, DbConnection, RoundId, UserId};
use diesel::prelude::*;
use time::PrimitiveDateTime;

crate::text_enum! {
    pub enum Action {
        AdminCreate => "admin.create",
        UserPromote => "user.promote",
        ParticipantVerify => "participant.verify",
        ConsultationCreate => "consultation.create",
        ConsultationUpdate => "consultation.update",
        DraftImport => "draft.import",
        RoundCreate => "round.create",
        RoundOpen => "round.open",
        RoundClose => "round.close",
        RoundExtend => "round.extend",
        RoundPublish => "round.publish",
        ResponseUpdate => "response.update",
        ModerationHide => "moderation.hide",
    }
}

impl Action {
    /// Actions about a consultation are public; actions about a person are not.
    pub fn is_public(self) -> bool {
        !matches!(
            self,
            Action::AdminCreate | Action::UserPromote | Action::ParticipantVerify
        )
    }
}

pub struct Entry<'a> {
    pub actor: Option<UserId>,
    pub action: Action,
    pub consultation: Option<ConsultationId>,
    pub round: Option<RoundId>,
    pub subject: &'a str,
    pub details: &'a str,
}

/// Call inside the transaction that performs the action, so the log and the
/// change are written together or not at all.
pub fn record(conn: &mut DbConnection, entry: &Entry, now: PrimitiveDateTime) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(entry.actor),
            audit_log::action.eq(entry.action.as_str()),
            audit_log::consultation_id.eq(entry.consultation),
            audit_log::round_id.eq(entry.round),
            audit_log::subject.eq(entry.subject),
            audit_log::details.eq(entry.details),
            audit_log::public.eq(entry.action.is_public()),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
