//! The organizer dashboard (what needs attention, in numbers and links) and
//! the actions on one person: confirming a stated affiliation, and (admins
//! only) changing roles.

use super::page::{Ctx, see_other};
use crate::accounts::{self, Role};
use crate::db::UserId;
use crate::notifications;
use crate::web::errors::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

/// A number on the dashboard and the page of the participants list it counts.
#[derive(Serialize)]
struct Count {
    label_key: String,
    count: i64,
    href: String,
}

#[derive(Serialize)]
struct RoundBadge {
    number: i32,
    state: &'static str,
}

#[derive(Serialize)]
struct ConsultationRow {
    slug: String,
    title: String,
    rounds: Vec<RoundBadge>,
}

#[derive(Serialize)]
struct Dashboard {
    consultations: Vec<ConsultationRow>,
    csrf: String,
    participants: i64,
    awaiting: Count,
    unconfirmed: Count,
    by_group: Vec<Count>,
    failed_emails: Vec<notifications::FailedEmail>,
    queue: Vec<crate::reports::QueueItem>,
}

pub async fn dashboard(ctx: Ctx) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let now = ctx.state.clock.now();
    let (consultations, counts, failed_emails, queue) = ctx
        .state
        .db
        .run(move |c| -> Result<_, AppError> {
            let all = crate::consultations::all(c)?;
            let ids: Vec<_> = all.iter().map(|c| c.id).collect();
            let rounds = crate::rounds::with_publication(c, &ids)?;
            let consultations = all
                .into_iter()
                .map(|k| ConsultationRow {
                    rounds: rounds
                        .iter()
                        .filter(|(r, _)| r.consultation_id == k.id)
                        .map(|(r, p)| RoundBadge {
                            number: r.number,
                            state: r.state_at(now, *p).as_str(),
                        })
                        .collect(),
                    slug: k.slug,
                    title: k.title,
                })
                .collect();
            let counts = accounts::directory::counts(c)?;
            let queue = crate::reports::moderation_queue(c, 50)?;
            Ok((consultations, counts, notifications::failed(c, 100)?, queue))
        })
        .await?;
    let page = Dashboard {
        consultations,
        csrf: ctx.csrf(),
        participants: counts.participants,
        awaiting: Count {
            label_key: "admin-count-awaiting".into(),
            count: counts.awaiting,
            href: format!("{PARTICIPANTS}?{PARTICIPANT_ROLE}&confirmed=yes&verified=no"),
        },
        unconfirmed: Count {
            label_key: "admin-count-unconfirmed".into(),
            count: counts.unconfirmed,
            href: format!("{PARTICIPANTS}?{PARTICIPANT_ROLE}&confirmed=no"),
        },
        by_group: counts
            .by_group
            .into_iter()
            .filter_map(|(code, count)| {
                let group = crate::codes::StakeholderGroup::parse(&code)?;
                Some(Count {
                    label_key: group.label_key(),
                    count,
                    href: format!("{PARTICIPANTS}?{PARTICIPANT_ROLE}&group={code}"),
                })
            })
            .collect(),
        failed_emails,
        queue,
    };
    ctx.render(
        StatusCode::OK,
        "admin/dashboard",
        &ctx.t("admin-title"),
        &page,
    )
}

const PARTICIPANTS: &str = "/admin/participants";
const PARTICIPANT_ROLE: &str = "role=participant";

fn parse_user_id(raw: &str) -> Result<UserId, AppError> {
    raw.parse().map_err(|_| AppError::not_found())
}

pub async fn verify_participant(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let by = ctx.organizer()?.id;
    let id = parse_user_id(&id)?;
    let now = ctx.state.clock.now();
    ctx.state
        .db
        .query(move |c| accounts::verify_affiliation(c, id, by, now))
        .await?;
    ctx.flash("participant-verified");
    Ok(see_other(&format!("{PARTICIPANTS}/{id}")))
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.organizer()?;
    if me.role() != Role::Admin {
        return Err(AppError::forbidden());
    }
    let by = me.id;
    let id = parse_user_id(&id)?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::bad_request("unknown role"))?;
    if id == by {
        // An admin cannot demote themselves and leave nobody in charge.
        return Err(AppError::forbidden());
    }
    let now = ctx.state.clock.now();
    let changed = ctx
        .state
        .db
        .query(move |c| accounts::set_role(c, id, role, by, now))
        .await?;
    if !changed {
        return Err(AppError::not_found());
    }
    ctx.flash("role-changed");
    Ok(see_other(&format!("{PARTICIPANTS}/{id}")))
}
