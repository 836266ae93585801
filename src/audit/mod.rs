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
        DraftTranslate => "draft.translate",
        RoundCreate => "round.create",
        RoundOpen => "round.open",
        RoundClose => "round.close",
        RoundExtend => "round.extend",
        RoundPublish => "round.publish",
        ResponseUpdate => "response.update",
        ModerationHide => "moderation.hide",
        RuleCreate => "rule.create",
        RuleDelete => "rule.delete",
        AnalystAdd => "analyst.add",
        AnalystRemove => "analyst.remove",
        TagCreate => "tag.create",
        TagUpdate => "tag.update",
        TagDelete => "tag.delete",
        AnalysisAssign => "analysis.assign",
        DispositionPropose => "disposition.propose",
        DispositionConfirm => "disposition.confirm",
        RoundAnswers => "round.answers",
        OrganizationCreate => "organization.create",
        OrganizationVerify => "organization.verify",
        RoundCounting => "round.counting",
        RoundLink => "round.link",
        JointInvite => "joint.invite",
        JointConfirm => "joint.confirm",
        JointDecline => "joint.decline",
        JointWithdraw => "joint.withdraw",
    }
}

impl Action {
    /// Actions about a consultation are public; actions about a person are not.
    pub fn is_public(self) -> bool {
        !matches!(
            self,
            Action::AdminCreate
                | Action::UserPromote
                | Action::ParticipantVerify
                | Action::RuleCreate
                | Action::RuleDelete
                | Action::AnalystAdd
                | Action::AnalystRemove
                | Action::AnalysisAssign
                // About texts not yet published (some never will be).
                | Action::DispositionPropose
                | Action::DispositionConfirm
                // A participant's pending organization names its creator.
                | Action::OrganizationCreate
                // Asked and refused in private: only a signature given or
                // taken back is the consultation's business.
                | Action::JointInvite
                | Action::JointDecline
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

#[derive(Debug, Clone, serde::Serialize, Queryable)]
pub struct PublicEntry {
    pub id: crate::db::AuditId,
    pub action: String,
    pub actor: Option<String>,
    pub consultation_slug: Option<String>,
    pub consultation_title: Option<String>,
    pub consultation_locale: Option<String>,
    pub consultation_translated_title: Option<String>,
    pub subject: String,
    pub details: String,
    pub created_at: PrimitiveDateTime,
}

/// Consultation-level entries, newest first, `per_page` at a time.
pub fn public_page(
    conn: &mut DbConnection,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<PublicEntry>, bool)> {
    use crate::db::schema::{consultations, users};
    let rows: Vec<PublicEntry> = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
        .left_join(
            consultations::table.on(consultations::id.nullable().eq(audit_log::consultation_id)),
        )
        .filter(audit_log::public.eq(true))
        .order(audit_log::id.desc())
        .offset(page.max(0) * per_page)
        .limit(per_page + 1)
        .select((
            audit_log::id,
            audit_log::action,
            users::display_name.nullable(),
            consultations::slug.nullable(),
            consultations::title.nullable(),
            consultations::locale.nullable(),
            consultations::translated_title.nullable(),
            audit_log::subject,
            audit_log::details,
            audit_log::created_at,
        ))
        .load(conn)?;
    let more = rows.len() as i64 > per_page;
    Ok((rows.into_iter().take(per_page as usize).collect(), more))
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
#[diesel(treat_none_as_default_value = false)]
struct Row<'a> {
    actor_id: Option<UserId>,
    action: &'static str,
    consultation_id: Option<ConsultationId>,
    round_id: Option<RoundId>,
    subject: &'a str,
    details: &'a str,
    public: bool,
    created_at: PrimitiveDateTime,
}

/// Many entries at once (a bulk verification writes one per person), as
/// multi-row inserts small enough for either backend's parameter limit.
pub fn record_many(
    conn: &mut DbConnection,
    entries: &[Entry],
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    for chunk in entries.chunks(500) {
        let rows: Vec<Row> = chunk
            .iter()
            .map(|e| Row {
                actor_id: e.actor,
                action: e.action.as_str(),
                consultation_id: e.consultation,
                round_id: e.round,
                subject: e.subject,
                details: e.details,
                public: e.action.is_public(),
                created_at: now,
            })
            .collect();
        crate::per_backend!(conn, |c| diesel::insert_into(audit_log::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}
