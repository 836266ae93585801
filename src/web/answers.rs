//! The commenter's answers to the organizers' response: one page listing
//! their positions that received a response or a disposition, each with its
//! own small form.

use crate::answers::{self, Answer, AnswerInput, Answerable, Refused};
use crate::clock::rfc3339;
use crate::consultations::Slug;
use crate::forms::FieldErrors;
use crate::i18n::reading::{Text, title_of};
use crate::rounds::RoundNumber;
use crate::web::cache::rounds::load;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label_key: String,
    checked: bool,
}

#[derive(Serialize)]
struct Item {
    key: String,
    label: String,
    heading: String,
    stance_key: Option<String>,
    comment: String,
    disposition_key: Option<String>,
    disposition_reason: Option<String>,
    response: Option<String>,
    answer_key: Option<String>,
    reason: String,
    choices: Vec<Choice>,
}

#[derive(Serialize)]
struct AnswersPage {
    slug: String,
    number: i32,
    consultation_title: Text,
    csrf: String,
    errors: FieldErrors,
    /// Why answers are not taken now, if they are not.
    refused_key: Option<&'static str>,
    closes_at: Option<String>,
    reason_max: usize,
    items: Vec<Item>,
}

/// What the participant posted for one provision, kept on a refused form.
struct Posted<'a> {
    key: &'a str,
    answer: &'a str,
    reason: &'a str,
}

fn item(a: Answerable, posted: Option<&Posted>) -> Item {
    let (answer, reason) = match posted {
        Some(p) if p.key == a.provision_key => (Answer::parse(p.answer), p.reason.to_string()),
        _ => (a.answer, a.reason.clone()),
    };
    Item {
        stance_key: a.stance.map(|s| s.label_key()),
        disposition_key: a.disposition.map(|d| d.label_key().to_string()),
        disposition_reason: a
            .disposition_reason
            .as_deref()
            .map(crate::markdown::to_html),
        response: a.response.as_deref().map(crate::markdown::to_html),
        answer_key: a.answer.map(Answer::label_key),
        choices: Answer::ALL
            .iter()
            .map(|&c| Choice {
                value: c.as_str(),
                label_key: c.label_key(),
                checked: answer == Some(c),
            })
            .collect(),
        key: a.provision_key,
        label: a.label,
        heading: a.heading,
        comment: a.comment,
        reason,
    }
}

async fn render(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    status: StatusCode,
    errors: FieldErrors,
    posted: Option<Posted<'_>>,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.id;
    let data = load(ctx, slug, number).await?;
    let (round, now) = (data.round.clone(), ctx.state.clock.now());
    let (window, list) = ctx
        .state
        .db
        .query(move |c| {
            Ok::<_, diesel::result::Error>((
                answers::window(c, round.id)?,
                answers::answerable(c, &round, user)?,
            ))
        })
        .await?;
    if !window.published {
        return Err(AppError::not_found());
    }
    let refused = refused.or(window.check(now).err());
    let page = AnswersPage {
        slug: data.consultation.slug.clone(),
        number: data.round.number,
        consultation_title: title_of(&data.consultation, ctx.locale),
        csrf: ctx.csrf(),
        errors,
        refused_key: refused.map(Refused::message_key),
        closes_at: window.closes_at.map(rfc3339),
        reason_max: answers::REASON_MAX_CHARS,
        items: list.into_iter().map(|a| item(a, posted.as_ref())).collect(),
    };
    ctx.render(
        status,
        "submissions/answers",
        &ctx.t("answers-title"),
        &page,
    )
}

/// The participant's answerable positions on a published round.
pub async fn answers_page(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    render(
        &ctx,
        slug,
        number,
        StatusCode::OK,
        FieldErrors::default(),
        None,
        None,
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
}

/// Records the answer on the participant's position on provision `key`.
pub async fn answer(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, key) = path.into_inner();
    let user = ctx.user()?.id;
    let posted = Posted {
        key: &key,
        answer: &form.answer,
        reason: &form.reason,
    };
    let input = match AnswerInput::parse(&form.answer, &form.reason) {
        Ok(input) => input,
        Err(errors) => {
            let errors = FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|mut e| {
                        e.field = format!("{}-{key}", e.field).into();
                        e
                    })
                    .collect(),
            );
            return render(
                &ctx,
                slug,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                Some(posted),
                None,
            )
            .await;
        }
    };
    let data = load(&ctx, slug.clone(), number).await?;
    let (round, notifier, now) = (
        data.round.clone(),
        ctx.state.notifier.clone(),
        ctx.state.clock.now(),
    );
    let target = key.clone();
    let outcome = ctx
        .state
        .db
        .run(move |c| -> Result<_, AppError> {
            Ok(answers::record(
                c, &notifier, &round, user, &target, &input, now,
            )?)
        })
        .await?;
    match outcome {
        Ok(()) => {
            ctx.flash("answers-saved");
            Ok(see_other(&format!(
                "/consultations/{slug}/rounds/{}/answers#answer-{key}",
                number.get()
            )))
        }
        Err(Refused::NotAnswerable) => Err(AppError::not_found()),
        Err(refused) => {
            render(
                &ctx,
                slug,
                number,
                StatusCode::CONFLICT,
                FieldErrors::default(),
                Some(posted),
                Some(refused),
            )
            .await
        }
    }
}
