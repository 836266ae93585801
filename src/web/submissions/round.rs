//! The round page, and what its form posts: save, review, submit, withdraw.

use super::form_page::*;
use crate::consultations::Slug;
use crate::db::OrganizationId;
use crate::forms::FieldErrors;
use crate::notifications::receipts;
use crate::replies::Reply;
use crate::rounds::RoundNumber;
use crate::submissions::form::{self, Action, Part};
use crate::submissions::{
    self, Input, NewRevision, Refusal, RevisionAction, Speaking, Status, SubmitError,
};
use crate::web::cache::rounds::{AnonymousPage, Reader, RoundData, load, load_official};
use crate::web::errors::AppError;
use crate::web::page::{Ctx, html, see_other};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

#[derive(serde::Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

pub async fn round(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let data = load(&ctx, slug, number).await?;
    let at = page_named(&data, query.page.as_deref()).ok_or_else(AppError::not_found)?;
    let render = || {
        let title = title(&ctx, &data, false);
        form_html(&ctx, &data, None, FieldErrors::default(), at, &title)
    };
    if !ctx.is_anonymous() {
        return html(StatusCode::OK, render()?);
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

/// An organization's official submission to the round, for its members.
pub async fn official_round(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, organization) = path.into_inner();
    let data = load_official(&ctx, slug, number, organization, Reader::Member).await?;
    let at = page_named(&data, query.page.as_deref()).ok_or_else(AppError::not_found)?;
    let title = title(&ctx, &data, false);
    html(
        StatusCode::OK,
        form_html(&ctx, &data, None, FieldErrors::default(), at, &title)?,
    )
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
    submit_to(ctx, slug, number, data, body).await
}

/// The same for an organization's official submission: its drafters save,
/// its signatories submit.
pub async fn official_submit(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, organization) = path.into_inner();
    let data = load_official(
        &ctx,
        slug.clone(),
        number,
        organization,
        Reader::FormerMember,
    )
    .await?;
    submit_to(ctx, slug, number, data, body).await
}

async fn submit_to(
    ctx: Ctx,
    slug: Slug,
    number: RoundNumber,
    data: RoundData,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if let Err(refusal) = data.may_submit(ctx.user.as_ref()) {
        return refused(&ctx, &data, refusal);
    }
    let parsed = match form::parse(&body, &data.provisions, data.round.attribution()) {
        Ok(p) => p,
        Err(form::Malformed(why)) => return Err(AppError::unprocessable(why)),
    };
    let posted = match parsed.page.as_deref() {
        None => Posted::Whole,
        Some(REVIEWED) => Posted::Stored,
        Some(name) => Posted::Page(
            page_named(&data, Some(name))
                .ok_or_else(|| AppError::unprocessable(format!("unknown page `{name}`")))?,
        ),
    };
    if let Some(go) = &parsed.go
        && page_named(&data, Some(go)).is_none()
    {
        return Err(AppError::unprocessable(format!("unknown page `{go}`")));
    }
    let last = data.pages.len().saturating_sub(1);
    let stored = data.stored.as_ref().map(|s| &s.input);
    let attribution = data.round.attribution();
    let (parsed, at) = match posted {
        Posted::Whole => (parsed, 0),
        Posted::Stored => (
            parsed.over(stored, Part::Stored, &data.provisions, attribution),
            last,
        ),
        Posted::Page(at) => {
            let keys: Vec<String> = data.provisions[data.pages[at].provisions.clone()]
                .iter()
                .map(|p| p.provision_key.clone())
                .collect();
            let part = Part::Page {
                keys: &keys,
                last: at == last,
            };
            (parsed.over(stored, part, &data.provisions, attribution), at)
        }
    };
    if !parsed.errors.is_empty() {
        let title = title(&ctx, &data, true);
        let page = form_html(&ctx, &data, Some(&parsed.input), parsed.errors, at, &title)?;
        return html(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    let already_submitted = data
        .stored
        .as_ref()
        .is_some_and(|s| s.status == Status::Submitted);
    // A review of one's own draft as it is stored (the form was just saved)
    // has nothing to store again; an official one's store checks the
    // member's rights, so it goes through.
    let unchanged_draft = data.official.is_none()
        && data
            .stored
            .as_ref()
            .is_some_and(|s| s.status == Status::Draft && s.input.same_answers(&parsed.input));
    let store = match parsed.action {
        Action::Edit => None,
        Action::Review if unchanged_draft => None,
        // Saved over a submission, it waits in a revision of its own: the
        // submitted answers count as they were until submitted again.
        Action::Review | Action::Save | Action::Attachments => Some(RevisionAction::Save),
        Action::Submit => Some(RevisionAction::Submit),
        Action::Withdraw if data.stored.is_some() => Some(RevisionAction::Withdraw),
        Action::Withdraw => return Err(AppError::unprocessable("nothing to withdraw")),
    };
    let here = base_path(&data);
    let change = store.map(|action| NewRevision::new(action, ctx.state.clock.now()));
    // Where a save or a submit leads is known before it is stored, so the
    // form's answer for a repeat is recorded in the same transaction.
    let redirect = match (parsed.action, &change) {
        (Action::Submit, Some(change)) => Some(format!(
            "{here}/submission?receipt={}",
            change.receipt.as_deref().unwrap_or_default()
        )),
        (Action::Save, _) => {
            let next = parsed
                .go
                .as_deref()
                .and_then(|go| page_named(&data, Some(go)))
                .unwrap_or(at);
            Some(format!("{here}{}#submission", page_query(&data, next)))
        }
        _ => None,
    };
    let saved = match change {
        Some(change) => {
            let reply = redirect.as_deref().map(|location| Reply {
                status: i32::from(StatusCode::SEE_OTHER.as_u16()),
                location: Some(location.to_string()),
                content_type: None,
                body: Some(vec![]),
            });
            let stored = store_submission(
                &ctx,
                (slug.clone(), number),
                &data,
                parsed.input.clone(),
                change,
                reply,
            )
            .await?;
            match stored {
                Ok(saved) => Some(saved),
                // A member whose rights went (they left, or lost the role)
                // gets the form back with what they wrote and why.
                Err(why) => {
                    let errors = FieldErrors::single("submission", why);
                    let title = title(&ctx, &data, true);
                    let page = form_html(&ctx, &data, Some(&parsed.input), errors, at, &title)?;
                    return html(StatusCode::FORBIDDEN, page);
                }
            }
        }
        None => None,
    };
    match parsed.action {
        Action::Review => {
            let mut view = page(
                &ctx,
                &data,
                Some(&parsed.input),
                FieldErrors::default(),
                View::Review,
            );
            let stored = data.stored.as_ref().map(|s| s.id);
            if let Some(id) = saved.as_ref().map(|s| s.id).or(stored) {
                let files = ctx
                    .state
                    .db
                    .query(move |c| crate::attachments::list(c, id))
                    .await?;
                view.attachments = files.into_iter().map(|f| f.file_name).collect();
            }
            html(
                StatusCode::OK,
                review_html(&ctx, view, &ctx.t("review-title"))?,
            )
        }
        // Back from the review, whose answers are stored: to the form's last page.
        Action::Edit if matches!(posted, Posted::Stored) => Ok(see_other(&format!(
            "{here}{}#submission",
            page_query(&data, last)
        ))),
        Action::Edit => {
            let title = title(&ctx, &data, false);
            let errors = FieldErrors::default();
            let page = form_html(&ctx, &data, Some(&parsed.input), errors, at, &title)?;
            html(StatusCode::OK, page)
        }
        Action::Submit | Action::Save => {
            if parsed.action == Action::Save {
                ctx.flash(if already_submitted {
                    "submission-unchanged"
                } else {
                    "submission-saved"
                });
            }
            Ok(see_other(&redirect.unwrap_or_default()))
        }
        Action::Attachments => Ok(see_other(&format!("{here}/submission/attachments"))),
        Action::Withdraw => {
            ctx.flash("submission-withdrawn");
            Ok(see_other(&format!("{here}/submission")))
        }
    }
}

/// The round page saying why the participant may not submit now (or the
/// sign-in page, for someone not signed in).
fn refused(ctx: &Ctx, data: &RoundData, refusal: Refusal) -> Result<HttpResponse, AppError> {
    if refusal == Refusal::NotSignedIn {
        return Err(AppError::login_required(format!(
            "/consultations/{}/rounds/{}",
            data.consultation.slug, data.round.number
        )));
    }
    let title = title(ctx, data, false);
    let page = form_html(ctx, data, None, FieldErrors::default(), 0, &title)?;
    html(refusal_status(refusal), page)
}

/// "Start from my previous answers": the participant's stances in the round
/// this one follows, on each provision that reads as it did then and has no
/// stance yet, saved as a draft. Changed provisions are left to review; a
/// repeat finds nothing more to carry over.
pub async fn start_from_previous(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let data = load(&ctx, slug.clone(), number).await?;
    if let Err(refusal) = data.may_submit(ctx.user.as_ref()) {
        return refused(&ctx, &data, refusal);
    }
    // Nothing of the earlier round before its report is published.
    let earlier = data.earlier.as_ref().ok_or_else(AppError::not_found)?;
    let (input, carried) = submissions::earlier::start_from_previous(
        data.stored.as_ref().map(|s| &s.input),
        &data.earlier_answers,
        &earlier.lineage,
    );
    if carried == 0 {
        ctx.flash("earlier-nothing-to-carry");
    } else {
        let change = NewRevision::new(RevisionAction::Save, ctx.state.clock.now());
        match store_submission(&ctx, (slug.clone(), number), &data, input, change, None).await? {
            Ok(_) => ctx.flash("earlier-carried"),
            Err(why) => ctx.flash_error(why),
        }
    }
    Ok(see_other(&format!(
        "/consultations/{slug}/rounds/{number}#earlier"
    )))
}

/// What the form marks as `page` when it posts from the review step: every
/// answer is the stored one.
const REVIEWED: &str = "review";

/// What a post covers: every provision (a draft that is one page, or a
/// client that sends everything), one page of a long draft, or nothing but
/// the action (the review step, whose answers were stored when reviewed).
#[derive(Clone, Copy)]
enum Posted {
    Whole,
    Page(usize),
    Stored,
}

/// The query that shows page `at`; none for a draft that is one page.
fn page_query(data: &RoundData, at: usize) -> String {
    match data.pages.get(at) {
        Some(p) if data.pages.len() > 1 => format!("?page={}", p.key),
        _ => String::new(),
    }
}

/// Stores `change`; `reply` is the form's answer, when it is known before,
/// kept with the write for a repeat of the form.
async fn store_submission(
    ctx: &Ctx,
    key: (Slug, RoundNumber),
    data: &RoundData,
    input: Input,
    change: NewRevision,
    reply: Option<Reply>,
) -> Result<Result<submissions::Saved, &'static str>, AppError> {
    let user = ctx.user()?.clone();
    let speaking = match &data.official {
        Some((organization, _)) => Speaking::For(organization.clone()),
        None => Speaking::Personally,
    };
    let common = data.common.clone();
    let (notifier, db) = (ctx.state.notifier.clone(), ctx.state.db.clone());
    let guard = ctx.once.as_ref().map(|once| once.guard(reply));
    let claimed = guard.clone();
    let outcome = ctx
        .state
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
                &db, conn, common, user, speaking, input, change, receipt, guard,
            ))
        })
        .await?;
    if let Some(once) = &ctx.once {
        match (&outcome, claimed) {
            (Ok(_), Some(guard)) => once.claimed(guard),
            (Err(SubmitError::Repeat), _) => once.repeated(),
            _ => {}
        }
    }
    if let Err(SubmitError::RoundClosed) = &outcome {
        // Closed through another instance, whose notice has not reached this
        // one yet: the next page must not show the round open.
        ctx.state.rounds.invalidate(&key);
    }
    match outcome {
        Err(SubmitError::NotAllowed(why)) => Ok(Err(why)),
        other => Ok(Ok(other?)),
    }
}
