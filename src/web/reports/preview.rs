//! The organizers' draft report from live data, their responses and
//! moderation.

use super::load::*;
use super::views::*;
use crate::consultations::Slug;
use crate::db::PositionId;
use crate::drafts::ProvisionKey;
use crate::reports::{self};
use crate::rounds::RoundNumber;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// The organizers' overview of the draft report.
pub async fn preview(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<OverviewQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (snapshot, general, _) = live(&ctx, slug, number, "", 0, GENERAL_ON_OVERVIEW).await?;
    let page = overview(
        &ctx,
        &snapshot,
        &general,
        vec![],
        true,
        query.part.as_deref(),
    )
    .ok_or(AppError::not_found())?;
    ctx.render(
        StatusCode::OK,
        "reports/overview",
        &ctx.t("report-preview-title"),
        &page,
    )
}

/// A provision of the draft report, with the response form and the
/// moderation buttons.
pub async fn preview_provision(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, ProvisionKey)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, key) = path.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(TEXTS_PER_PAGE);
    let (snapshot, texts, response) =
        live(&ctx, slug, number, key.as_str(), offset, TEXTS_PER_PAGE).await?;
    let p = snapshot
        .provision(key.as_str())
        .ok_or(AppError::not_found())?;
    let frame = frame(
        &ctx,
        &snapshot,
        vec![],
        true,
        is_translated(&ctx, &snapshot, p),
    );
    let address = format!("{}/provisions/{key}", frame.base);
    let pages = Pages::new(p.texts, Some(page), &address, "").ok_or(AppError::not_found())?;
    let view = provision_view(
        &ctx,
        &snapshot,
        p,
        &texts,
        frame,
        pages,
        response.unwrap_or_default(),
    );
    let title = format!(
        "{} {} – {}",
        view.label,
        view.heading.text,
        ctx.t("report-preview-title")
    );
    ctx.render(StatusCode::OK, "reports/provision", &title, &view)
}

#[derive(Deserialize)]
pub struct ResponseForm {
    response: String,
}

pub async fn respond(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, ProvisionKey)>,
    form: web::Form<ResponseForm>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let (slug, number, key) = path.into_inner();
    let (_, round, _) = find_round(&ctx, slug.clone(), number).await?;
    let provisions = {
        let r = round.clone();
        ctx.state
            .db
            .query(move |c| reports::provisions_of(c, &r))
            .await?
    };
    if !provisions.iter().any(|p| p.provision_key == key.as_str()) {
        return Err(AppError::not_found());
    }
    if form.response.chars().count() > 20_000 {
        return Err(AppError::unprocessable("response too long"));
    }
    let (text, now) = (form.response.trim().to_string(), ctx.state.clock.now());
    let k = key.clone();
    ctx.state
        .db
        .query(move |c| reports::set_response(c, &round, k.as_str(), &text, actor, now))
        .await?;
    ctx.flash("response-saved");
    Ok(see_other(&format!(
        "/admin/consultations/{slug}/rounds/{number}/report/provisions/{key}#response"
    )))
}

#[derive(Deserialize)]
pub struct HideForm {
    reason: String,
}

pub async fn hide(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<HideForm>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let id = PositionId(id.parse().map_err(|_| AppError::not_found())?);
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::unprocessable(
            "a reason of 1 to 500 characters is required",
        ));
    }
    let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
    let hidden = ctx
        .state
        .db
        .run_within(crate::web::state::REPORT_WORK, move |c| {
            reports::moderation::hide(c, &notifier, id, &reason, actor, now)
        })
        .await?
        .ok_or(AppError::not_found())?;
    ctx.flash("text-hidden");
    Ok(see_other(&format!(
        "/admin/consultations/{}/rounds/{}/report",
        hidden.consultation_slug, hidden.round_number
    )))
}
