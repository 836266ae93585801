//! Creating rounds, their settings (the earlier round each follows), and the
//! actions on them (open, close, extend, publish) after a page that says what
//! will happen.

use super::common::*;
use crate::clock::rfc3339;
use crate::consultations::Slug;
use crate::forms::FieldErrors;
use crate::notifications::schedule;
use crate::rounds::RoundNumber;
use crate::rounds::{self, Attribution, Counting, NewRound, Round, lineage};
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

pub async fn create_round(
    ctx: Ctx,
    slug: web::Path<Slug>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let form = RoundForm {
        draft_version: field(&body, "draft_version").to_string(),
        opens_at: field(&body, "opens_at").to_string(),
        closes_at: field(&body, "closes_at").to_string(),
        attribution: field(&body, "attribution").to_string(),
        counting: field(&body, "counting").to_string(),
    };
    let mut errors = FieldErrors::default();
    let version = form
        .draft_version
        .parse::<i32>()
        .ok()
        .and_then(|n| loaded.versions.iter().find(|v| v.version == n));
    if version.is_none() {
        errors.add("draft_version", "field-draft-version-missing");
    }
    let opens = rounds::parse_time(&form.opens_at);
    let closes = rounds::parse_time(&form.closes_at);
    if opens.is_none() {
        errors.add("opens_at", "field-time-invalid");
    }
    match (opens, closes) {
        (_, None) => errors.add("closes_at", "field-time-invalid"),
        (Some(o), Some(c)) if c <= o => errors.add("closes_at", "field-closes-before-opens"),
        _ => {}
    }
    let attribution = Attribution::parse(&form.attribution);
    if attribution.is_none() {
        errors.add("attribution", "field-attribution-missing");
    }
    // Rounds created before organizations existed counted per person.
    let counting = match form.counting.as_str() {
        "" => Some(Counting::PerPerson),
        code => Counting::parse(code),
    };
    if counting.is_none() {
        errors.add("counting", "field-counting-missing");
    }
    let (Some(version), Some(opens), Some(closes), Some(attribution), Some(counting), true) = (
        version,
        opens,
        closes,
        attribution,
        counting,
        errors.is_empty(),
    ) else {
        let page = manage_page(&ctx, &loaded, form, errors);
        return render_manage(&ctx, &loaded, StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let new = NewRound {
        consultation: loaded.consultation.id,
        draft_version: version.id,
        opens_at: opens,
        closes_at: closes,
        attribution,
        counting,
        announce: true,
    };
    let (slug, now) = (loaded.consultation.slug.clone(), ctx.state.clock.now());
    ctx.state
        .db
        .query(move |c| rounds::create(c, &new, Some(actor), now))
        .await?;
    ctx.flash("round-created");
    Ok(see_other(&format!("/admin/consultations/{slug}")))
}

#[derive(Serialize)]
struct ConfirmPage {
    csrf: String,
    errors: FieldErrors,
    slug: String,
    title: String,
    number: i32,
    action: String,
    closes_at: String,
    counting: String,
}

/// The consultation and round an action's address names; an unknown action,
/// consultation or round is a 404.
async fn load_round(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    action: &str,
) -> Result<(Loaded, Round, bool), AppError> {
    if !matches!(
        action,
        "open" | "close" | "extend" | "publish" | "answers" | "counting"
    ) {
        return Err(AppError::not_found());
    }
    load_numbered(ctx, slug, number).await
}

/// The page that says what an action will do and who will be told.
pub async fn confirm(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let (slug, number, action) = path.into_inner();
    let (loaded, round, _) = load_round(&ctx, slug, number, &action).await?;
    let page = ConfirmPage {
        csrf: ctx.csrf(),
        errors: FieldErrors::default(),
        slug: loaded.consultation.slug.clone(),
        title: loaded.consultation.title.clone(),
        number: round.number,
        action,
        closes_at: rfc3339(round.effective_close()),
        counting: round.counting.clone(),
    };
    ctx.render(
        StatusCode::OK,
        "organize/confirm",
        &ctx.t("confirm-title"),
        &page,
    )
}

pub async fn round_action(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let (slug, number, action) = path.into_inner();
    let (_, round, published) = load_round(&ctx, slug.clone(), number, &action).await?;
    let back = format!("/admin/consultations/{slug}");
    let now = ctx.state.clock.now();
    let notifier = ctx.state.notifier.clone();
    let outcome = match action.as_str() {
        "open" => {
            ctx.state
                .db
                .query(move |c| rounds::open_now(c, &round, published, actor, now))
                .await?
        }
        "close" => {
            ctx.state
                .db
                .query(move |c| rounds::close_now(c, &round, published, actor, now))
                .await?
        }
        "answers" => {
            let Some(until) = rounds::parse_time(field(&body, "answers_close_at")) else {
                ctx.flash_error("field-time-invalid");
                return Ok(see_other(&format!(
                    "{back}/rounds/{}/answers",
                    round.number
                )));
            };
            ctx.state
                .db
                .run(move |c| -> Result<_, AppError> {
                    Ok(crate::answers::set_window(
                        c, &notifier, &round, published, until, actor, now,
                    )?)
                })
                .await?
        }
        "counting" => {
            let Some(counting) = Counting::parse(field(&body, "counting")) else {
                ctx.flash_error("field-counting-missing");
                return Ok(see_other(&format!(
                    "{back}/rounds/{}/counting",
                    round.number
                )));
            };
            ctx.state
                .db
                .query(move |c| rounds::set_counting(c, &round, published, counting, actor, now))
                .await?
        }
        "extend" => {
            let Some(new_close) = rounds::parse_time(field(&body, "closes_at")) else {
                ctx.flash_error("field-time-invalid");
                return Ok(see_other(&format!("{back}/rounds/{}/extend", round.number)));
            };
            ctx.state
                .db
                .run(move |c| -> Result<_, AppError> {
                    let outcome = schedule::extend_round(
                        c, &notifier, &round, published, new_close, actor, now,
                    )?;
                    Ok(outcome)
                })
                .await?
        }
        _ => {
            let closed = matches!(
                round.state_at(now, published),
                rounds::RoundState::Closed | rounds::RoundState::Published
            );
            let inline_below = ctx.state.settings.reports.inline_below;
            let r = round.clone();
            if closed
                && !ctx
                    .state
                    .db
                    .query(move |c| {
                        crate::reports::jobs::ready_to_publish(c, &r, inline_below, now)
                    })
                    .await?
            {
                ctx.flash("report-job-publish-wait");
                return Ok(see_other(&format!("{back}/rounds/{}/report", round.number)));
            }
            let note = field(&body, "note").trim().to_string();
            ctx.state
                .db
                .run_within(crate::web::state::REPORT_WORK, move |c| {
                    crate::reports::publish(c, &notifier, &round, published, &note, actor, now)
                })
                .await?
        }
    };
    match outcome {
        Ok(()) => {
            ctx.flash(&format!("round-{action}-done"));
        }
        Err(refused) => ctx.flash_error(refused.message_key()),
    }
    Ok(see_other(&back))
}

#[derive(Serialize)]
struct FollowsOption {
    number: i32,
    selected: bool,
}

#[derive(Serialize)]
struct SettingsPage {
    csrf: String,
    errors: FieldErrors,
    slug: String,
    title: String,
    number: i32,
    /// The earlier rounds it may follow.
    earlier: Vec<FollowsOption>,
    follows_none: bool,
}

/// The round's settings: which earlier round it follows.
fn settings_page(
    ctx: &Ctx,
    loaded: &Loaded,
    round: &Round,
    follows: Option<i32>,
    errors: FieldErrors,
) -> SettingsPage {
    SettingsPage {
        csrf: ctx.csrf(),
        errors,
        slug: loaded.consultation.slug.clone(),
        title: loaded.consultation.title.clone(),
        number: round.number,
        earlier: loaded
            .rounds
            .iter()
            .map(|(r, _)| r.number)
            .filter(|n| *n < round.number)
            .map(|number| FollowsOption {
                number,
                selected: follows == Some(number),
            })
            .collect(),
        follows_none: follows.is_none(),
    }
}

/// The consultation and the round an address names, with whether its report
/// is published (404 for an unknown consultation or round).
async fn load_numbered(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
) -> Result<(Loaded, Round, bool), AppError> {
    let loaded = load(ctx, slug).await?;
    let (round, published) = loaded
        .rounds
        .iter()
        .find(|(r, _)| r.number == number.get())
        .cloned()
        .ok_or_else(AppError::not_found)?;
    Ok((loaded, round, published))
}

pub async fn round_settings(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let (slug, number) = path.into_inner();
    let (loaded, round, _) = load_numbered(&ctx, slug, number).await?;
    let follows = followed_number(&loaded.rounds, &round);
    let page = settings_page(&ctx, &loaded, &round, follows, FieldErrors::default());
    render_settings(&ctx, StatusCode::OK, &page)
}

fn render_settings(
    ctx: &Ctx,
    status: StatusCode,
    page: &SettingsPage,
) -> Result<HttpResponse, AppError> {
    let title = crate::i18n::t_args(
        ctx.locale,
        "round-settings-title",
        &[("number".into(), page.number.into())]
            .into_iter()
            .collect(),
    );
    ctx.render(status, "organize/round_settings", &title, page)
}

/// Saves which earlier round the round follows (`follows_round`: a round
/// number, or empty for none); anything but an earlier round of the same
/// consultation comes back with the error next to the field.
pub async fn save_round_settings(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let (slug, number) = path.into_inner();
    let (loaded, round, _) = load_numbered(&ctx, slug, number).await?;
    let raw = field(&body, "follows_round").trim();
    let follows = match raw {
        "" => Ok(None),
        n => n
            .parse::<i32>()
            .map(Some)
            .map_err(|_| lineage::LinkRefused::NotEarlier),
    };
    let rounds: Vec<Round> = loaded.rounds.iter().map(|(r, _)| r.clone()).collect();
    let outcome = match follows {
        Ok(follows) => {
            let (r, now) = (round.clone(), ctx.state.clock.now());
            ctx.state
                .db
                .query(move |c| lineage::set_follows(c, &r, &rounds, follows, actor, now))
                .await?
        }
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(()) => {
            ctx.flash("round-settings-saved");
            Ok(see_other(&format!(
                "/admin/consultations/{}",
                loaded.consultation.slug
            )))
        }
        Err(refused) => {
            let mut errors = FieldErrors::default();
            errors.add("follows_round", refused.message_key());
            let current = followed_number(&loaded.rounds, &round);
            let page = settings_page(&ctx, &loaded, &round, current, errors);
            render_settings(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
