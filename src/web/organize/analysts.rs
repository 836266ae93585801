//! Naming and removing a consultation's analysts, on its management page.

use super::common::*;
use crate::analysis::analysts::{self, Named};
use crate::consultations::Slug;
use crate::db::UserId;
use crate::forms::FieldErrors;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub async fn add_analyst(
    ctx: Ctx,
    slug: web::Path<Slug>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let email = field(&body, "analyst_email").trim().to_string();
    let (consultation, now) = (loaded.consultation.id, ctx.state.clock.now());
    let named = if email.is_empty() {
        Named::NoAccount
    } else {
        let email = email.clone();
        ctx.state
            .db
            .query(move |c| analysts::add(c, consultation, &email, actor, now))
            .await?
    };
    let message = match named {
        Named::Added => {
            ctx.flash("analyst-added");
            return Ok(see_other(&format!(
                "/admin/consultations/{}#analysts",
                loaded.consultation.slug
            )));
        }
        Named::AlreadyAnalyst => "analyst-already",
        Named::NoAccount if email.is_empty() => "analyst-email-missing",
        Named::NoAccount => "analyst-no-account",
    };
    let mut page = manage_page(
        &ctx,
        &loaded,
        RoundForm::default(),
        FieldErrors::single("analyst_email", message),
    );
    page.analyst_email = email;
    render_manage(&ctx, &loaded, StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn remove_analyst(
    ctx: Ctx,
    path: web::Path<(Slug, UserId)>,
    // The body holds only the form's tokens; a body that is not a form is
    // refused as malformed, as on every other form.
    _tokens: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let (slug, who) = path.into_inner();
    let loaded = load(&ctx, slug).await?;
    let (consultation, now) = (loaded.consultation.id, ctx.state.clock.now());
    let removed = ctx
        .state
        .db
        .query(move |c| analysts::remove(c, consultation, who, actor, now))
        .await?;
    if !removed {
        return Err(AppError::not_found());
    }
    ctx.flash("analyst-removed");
    Ok(see_other(&format!(
        "/admin/consultations/{}#analysts",
        loaded.consultation.slug
    )))
}
