//! The organizers' draft report from live data, their responses and
//! moderation.

use super::load::*;
use super::views::*;
use crate::analysis::access::Analysis;
use crate::analysis::dispositions;
use crate::analysis::{Disposition, TextRef};
use crate::consultations::Slug;
use crate::db::{PositionId, ReportJobId};
use crate::drafts::ProvisionKey;
use crate::reports::{self};
use crate::rounds::RoundNumber;
use crate::web::analysis_dispositions::form_for;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// The organizers' overview of the draft report, or the progress of the job
/// computing it.
pub async fn preview(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (snapshot, general, _, as_of) = match draft(
        &ctx,
        slug,
        number,
        "",
        0,
        GENERAL_ON_OVERVIEW,
        query.previous(),
    )
    .await?
    {
        Shown::Report(report) => {
            let r = *report;
            (r.snapshot, r.texts, r.response, r.as_of)
        }
        Shown::Progress(progress) => return render_progress(&ctx, &progress, "", query.reload()),
    };
    let mut page = overview(
        &ctx,
        &snapshot,
        &general,
        vec![],
        true,
        query.part.as_deref(),
    )
    .ok_or(AppError::not_found())?;
    if as_of.is_some() {
        // The provisions' links lead to the same earlier figures.
        page.frame.version_query = "previous=1".into();
    }
    page.frame.as_of = as_of;
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
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, key) = path.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(DRAFT_TEXTS_PER_PAGE);
    let shown = draft(
        &ctx,
        slug,
        number,
        key.as_str(),
        offset,
        DRAFT_TEXTS_PER_PAGE,
        query.previous(),
    )
    .await?;
    let (snapshot, texts, response, as_of) = match shown {
        Shown::Report(report) => {
            let r = *report;
            (r.snapshot, r.texts, r.response, r.as_of)
        }
        Shown::Progress(progress) => {
            return render_progress(
                &ctx,
                &progress,
                &format!("/provisions/{key}"),
                query.reload(),
            );
        }
    };
    let p = snapshot
        .provision(key.as_str())
        .ok_or(AppError::not_found())?;
    let mut frame = frame(
        &ctx,
        &snapshot,
        vec![],
        true,
        is_translated(&ctx, &snapshot, p),
    );
    let address = format!("{}/provisions/{key}", frame.base);
    let suffix = if as_of.is_some() { "previous=1" } else { "" };
    frame.as_of = as_of;
    let pages = Pages::of(DRAFT_TEXTS_PER_PAGE, p.texts, Some(page), &address, suffix)
        .ok_or(AppError::not_found())?;
    let mut view = provision_view(
        &ctx,
        &snapshot,
        p,
        &texts,
        frame,
        pages,
        response.unwrap_or_default(),
    );
    with_dispositions(&ctx, &mut view, number, page).await?;
    let title = format!(
        "{} {} – {}",
        view.label,
        view.heading.text,
        ctx.t("report-preview-title")
    );
    ctx.render(StatusCode::OK, "reports/provision", &title, &view)
}

/// The form under each text, and the provision's confirmed dispositions
/// for its response to cite.
async fn with_dispositions(
    ctx: &Ctx,
    view: &mut ProvisionView,
    number: RoundNumber,
    page: i32,
) -> Result<(), AppError> {
    let slug = Slug::parse(&view.frame.slug).ok_or(AppError::not_found())?;
    let texts: Vec<TextRef> = view
        .comments
        .iter()
        .filter_map(|c| c.position_id.map(TextRef::position))
        .collect();
    let key = view.key.clone();
    let (round, current, confirmed) = ctx
        .state
        .db
        .run(move |c| {
            let (_, round, _) = round_named(c, &slug, number)?;
            let current = dispositions::of_texts(c, &texts)?;
            let provision = reports::provisions_of(c, &round)?
                .into_iter()
                .find(|p| p.provision_key == key)
                .ok_or(AppError::not_found())?;
            let confirmed = dispositions::confirmed_on_provision(c, round.id, provision.id)?;
            let ids: Vec<i64> = confirmed.keys().copied().collect();
            let public: std::collections::HashMap<i64, String> = ids
                .iter()
                .copied()
                .zip(reports::position_public_ids(c, round.id, &ids)?)
                .collect();
            Ok::<_, AppError>((round, current, (confirmed, public)))
        })
        .await?;
    let slug = view.frame.slug.clone();
    for comment in &mut view.comments {
        let Some(id) = comment.position_id else {
            continue;
        };
        let text = TextRef::position(id);
        let mut form = form_for(
            ctx,
            (&slug, round.number),
            text,
            Analysis::Organizer,
            current.get(&text),
            String::new(),
        );
        form.page = page;
        comment.disposition_form = Some(form);
    }
    let (confirmed, public) = confirmed;
    let mut by_disposition: Vec<(Disposition, Vec<String>)> =
        Disposition::ALL.iter().map(|d| (*d, vec![])).collect();
    for (id, (disposition, _)) in confirmed {
        if let (Some((_, ids)), Some(public)) = (
            by_disposition.iter_mut().find(|(d, _)| *d == disposition),
            public.get(&id),
        ) {
            ids.push(public.clone());
        }
    }
    view.citations = by_disposition
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(d, mut ids)| {
            ids.sort_unstable();
            Citation {
                label_key: d.label_key(),
                count: ids.len(),
                links: ids
                    .iter()
                    .take(CITED_PER_DISPOSITION)
                    .map(|id| {
                        format!(
                            "/consultations/{slug}/rounds/{}/report/texts/{id}",
                            round.number
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(())
}

/// Links listed per disposition next to the response form: enough to cite,
/// few enough to keep the page light.
const CITED_PER_DISPOSITION: usize = 20;

#[derive(Deserialize)]
pub struct DraftQuery {
    page: Option<i32>,
    /// The part of a long draft's overview.
    part: Option<String>,
    /// Read the last computed figures while newer ones are computed.
    previous: Option<String>,
    /// "off": the progress page stops reloading itself (WCAG 2.2.1: a
    /// person who needs longer to read it can turn the reloading off).
    reload: Option<String>,
}

impl DraftQuery {
    fn previous(&self) -> bool {
        self.previous.is_some()
    }

    fn reload(&self) -> bool {
        self.reload.as_deref() != Some("off")
    }
}

/// The organizer's "try again" for a draft report whose job was given up.
pub async fn retry(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let (slug, number) = path.into_inner();
    let (_, round, _) = find_round(&ctx, slug.clone(), number).await?;
    let job = form
        .iter()
        .find(|(k, _)| k == "job")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .map(ReportJobId)
        .ok_or(AppError::not_found())?;
    let now = ctx.state.clock.now();
    let retried = ctx
        .state
        .db
        .query(move |c| reports::jobs::retry(c, round.id, job, now))
        .await?;
    if !retried {
        return Err(AppError::not_found());
    }
    ctx.flash("report-job-retried");
    Ok(see_other(&format!(
        "/admin/consultations/{slug}/rounds/{number}/report"
    )))
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
