//! The round page, and what its form posts: save, review, submit, withdraw.

use super::form_page::*;
use crate::consultations::Slug;
use crate::forms::FieldErrors;
use crate::notifications::receipts;
use crate::rounds::RoundNumber;
use crate::submissions::form::{self, Action};
use crate::submissions::{self, Input, Refusal, RevisionAction, Status};
use crate::web::cache::rounds::{AnonymousPage, RoundData, load};
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

pub async fn round(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let data = load(&ctx, slug, number).await?;
    let render = || {
        let view = page(&ctx, &data, None, FieldErrors::default(), false);
        ctx.render_html("submissions/round", &title(&ctx, &data, false), &view)
    };
    if !ctx.is_anonymous() {
        return crate::web::page::html(StatusCode::OK, render()?);
    }
    let key = AnonymousPage {
        locale: ctx.locale,
        query: req.query_string().to_string(),
        state: data.state,
    };
    let page = data.anonymous_page(key, render)?;
    let mut res = HttpResponse::Ok();
    res.content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::VARY, "Accept-Encoding, Accept-Language, Cookie"));
    Ok(page.send(&req, &mut res))
}

/// Save, review, submit or withdraw. Bad input comes back in the form with
/// everything the participant typed; nothing stored is touched.
pub async fn submit(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let data = load(&ctx, slug.clone(), number).await?;
    if let Err(refusal) = submissions::may_submit(ctx.user.as_ref(), &data.groups, data.state) {
        if refusal == Refusal::NotSignedIn {
            return Err(AppError::login_required(format!(
                "/consultations/{slug}/rounds/{number}"
            )));
        }
        let view = page(&ctx, &data, None, FieldErrors::default(), false);
        return ctx.render(
            refusal_status(refusal),
            "submissions/round",
            &title(&ctx, &data, false),
            &view,
        );
    }
    let parsed = match form::parse(&body, &data.provisions, data.round.attribution()) {
        Ok(p) => p,
        Err(form::Malformed(why)) => return Err(AppError::unprocessable(why)),
    };
    if !parsed.errors.is_empty() {
        let view = page(&ctx, &data, Some(&parsed.input), parsed.errors, false);
        return ctx.render(
            StatusCode::UNPROCESSABLE_ENTITY,
            "submissions/round",
            &title(&ctx, &data, true),
            &view,
        );
    }
    let already_submitted = data
        .stored
        .as_ref()
        .is_some_and(|s| s.status == Status::Submitted);
    let store = match parsed.action {
        Action::Edit => None,
        // A submitted position stays as it was until it is submitted again.
        Action::Review | Action::Save if already_submitted => None,
        Action::Review | Action::Save => Some(RevisionAction::Save),
        Action::Submit => Some(RevisionAction::Submit),
        Action::Withdraw if data.stored.is_some() => Some(RevisionAction::Withdraw),
        Action::Withdraw => return Err(AppError::unprocessable("nothing to withdraw")),
    };
    let saved = match store {
        Some(action) => Some(store_submission(&ctx, &data, parsed.input.clone(), action).await?),
        None => None,
    };
    let here = format!("/consultations/{slug}/rounds/{number}");
    match parsed.action {
        Action::Review => {
            let view = page(
                &ctx,
                &data,
                Some(&parsed.input),
                FieldErrors::default(),
                true,
            );
            ctx.render(
                StatusCode::OK,
                "submissions/review",
                &ctx.t("review-title"),
                &view,
            )
        }
        Action::Edit => {
            let view = page(
                &ctx,
                &data,
                Some(&parsed.input),
                FieldErrors::default(),
                false,
            );
            ctx.render(
                StatusCode::OK,
                "submissions/round",
                &title(&ctx, &data, false),
                &view,
            )
        }
        Action::Submit => {
            let code = saved.and_then(|s| s.receipt_code).unwrap_or_default();
            Ok(see_other(&format!("{here}/submission?receipt={code}")))
        }
        Action::Save => {
            ctx.flash(if already_submitted {
                "submission-unchanged"
            } else {
                "submission-saved"
            });
            Ok(see_other(&format!("{here}#submission")))
        }
        Action::Withdraw => {
            ctx.flash("submission-withdrawn");
            Ok(see_other(&format!("{here}/submission")))
        }
    }
}

async fn store_submission(
    ctx: &Ctx,
    data: &RoundData,
    input: Input,
    action: RevisionAction,
) -> Result<submissions::Saved, AppError> {
    let user = ctx.user()?.clone();
    let common = data.common.clone();
    let (notifier, db) = (ctx.state.notifier.clone(), ctx.state.db.clone());
    let change = submissions::NewRevision::new(action, ctx.state.clock.now());
    ctx.state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let receipt = match &change.receipt {
                Some(code) => {
                    let about = receipts::Answered {
                        consultation: &common.consultation,
                        round: &common.round,
                        provisions: &common.provisions,
                        draft_locale: &common.draft.locale,
                    };
                    Some(receipts::compose(
                        &notifier, &user, &about, &input, code, change.at,
                    )?)
                }
                None => None,
            };
            Ok(submissions::submit(
                &db, conn, common, user, input, change, receipt,
            )?)
        })
        .await
}
