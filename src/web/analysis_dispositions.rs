//! Recording a disposition on a text: a page for one text (analysts and
//! organizers; where a refused form comes back with its errors) and the
//! small form under each text of the draft report.

use crate::analysis::access::{Analysis, analysis_role};
use crate::analysis::dispositions::{self, AnalysedText, Proposal, Recorded, Refused};
use crate::analysis::{Disposition, DispositionState, TextKind, TextRef};
use crate::consultations::{self, Slug};
use crate::forms::FieldErrors;
use crate::markdown;
use crate::rounds::{self, Round, RoundNumber};
use crate::web::errors::AppError;
use crate::web::page::{Ctx, safe_next, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

/// The partial `analysis/disposition`: one text's form.
#[derive(Serialize)]
pub(crate) struct DispositionForm {
    action: String,
    csrf: String,
    /// Makes the form's ids unique on a page listing many texts.
    prefix: String,
    /// Where to go once recorded ('' for the default).
    return_to: String,
    /// The draft report's page the form is on (0 elsewhere).
    pub(crate) page: i32,
    options: Vec<Choice>,
    reason: String,
    current_key: Option<&'static str>,
    state_key: Option<&'static str>,
    button_key: &'static str,
    disposition_error: Option<&'static str>,
    reason_error: Option<&'static str>,
    open: bool,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label_key: &'static str,
    selected: bool,
}

/// Where a text's disposition is posted.
fn action(slug: &str, round: i32, text: TextRef) -> String {
    format!(
        "/admin/consultations/{slug}/rounds/{round}/texts/{}/{}/disposition",
        text.kind.as_str(),
        text.id
    )
}

fn state_key(state: DispositionState) -> &'static str {
    match state {
        DispositionState::Proposed => "disposition-state-proposed",
        DispositionState::Confirmed => "disposition-state-confirmed",
    }
}

/// The form for `text`, showing what is recorded (or what was just sent).
pub(crate) fn form_for(
    ctx: &Ctx,
    (slug, round): (&str, i32),
    text: TextRef,
    role: Analysis,
    current: Option<&Recorded>,
    return_to: String,
) -> DispositionForm {
    let chosen = current.map(|c| c.disposition);
    DispositionForm {
        action: action(slug, round, text),
        csrf: ctx.csrf(),
        prefix: format!("{}{}-", &text.kind.as_str()[..1], text.id),
        return_to,
        page: 0,
        options: Disposition::ALL
            .iter()
            .map(|d| Choice {
                value: d.as_str(),
                label_key: d.label_key(),
                selected: chosen == Some(*d),
            })
            .collect(),
        reason: current.map(|c| c.reason.clone()).unwrap_or_default(),
        current_key: chosen.map(Disposition::label_key),
        state_key: current.map(|c| state_key(c.state)),
        button_key: match role {
            Analysis::Organizer => "disposition-confirm",
            Analysis::Analyst => "disposition-propose",
        },
        disposition_error: None,
        reason_error: None,
        open: false,
    }
}

/// The text an address names, with the reader's role: a reader who may not
/// analyse the consultation, and a text that is not a submitted text of the
/// round, are a 404.
async fn load(
    ctx: &Ctx,
    (slug, number, kind, id): (Slug, RoundNumber, String, String),
) -> Result<(Round, Analysis, AnalysedText, Option<Recorded>), AppError> {
    let user = ctx.user()?.clone();
    let kind = TextKind::parse(&kind).ok_or(AppError::not_found())?;
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let text = TextRef { kind, id };
    ctx.state
        .db
        .run(move |c| {
            let consultation = consultations::find_by_slug(c, slug.as_str())?;
            let role = analysis_role(c, &user, consultation.id)?.ok_or(AppError::not_found())?;
            let (round, _) = rounds::find(c, consultation.id, number.get())?;
            let found = dispositions::find_text(c, &round, text)?.ok_or(AppError::not_found())?;
            let current = dispositions::of_texts(c, &[text])?.remove(&text);
            Ok::<_, AppError>((round, role, found, current))
        })
        .await
}

#[derive(Serialize)]
struct TextPage {
    slug: String,
    round: i32,
    /// The draft report's page for the text's provision (organizers only).
    back: Option<String>,
    kind_key: &'static str,
    provision_key: String,
    group_key: Option<String>,
    stance_key: Option<String>,
    confidential: bool,
    hidden: bool,
    comment: String,
    proposed_text: String,
    changed_mind: String,
    reason_html: Option<String>,
    errors: FieldErrors,
    form: DispositionForm,
}

fn text_page(
    (slug, round): (&Slug, &Round),
    role: Analysis,
    found: &AnalysedText,
    form: DispositionForm,
    current: Option<&Recorded>,
    errors: FieldErrors,
) -> TextPage {
    let base = format!("/admin/consultations/{slug}/rounds/{}/report", round.number);
    TextPage {
        slug: slug.to_string(),
        round: round.number,
        back: (role == Analysis::Organizer).then(|| match found.text.kind {
            TextKind::Position => format!("{base}/provisions/{}", found.provision_key),
            TextKind::General => base.clone(),
        }),
        kind_key: match found.text.kind {
            TextKind::Position => "disposition-kind-position",
            TextKind::General => "disposition-kind-general",
        },
        provision_key: found.provision_key.clone(),
        group_key: found.group.map(|g| g.label_key()),
        stance_key: found
            .stance
            .map(|s| format!("stance-{}", s.as_str().replace('_', "-"))),
        confidential: found.disclosure == Some(crate::submissions::Disclosure::Confidential),
        hidden: found.hidden,
        comment: found.comment.clone(),
        proposed_text: found.proposed_text.clone(),
        changed_mind: found.changed_mind.clone(),
        reason_html: current
            .filter(|c| !c.reason.is_empty())
            .map(|c| markdown::to_html(&c.reason)),
        errors,
        form,
    }
}

fn page_address(slug: &Slug, round: &Round, text: TextRef) -> String {
    action(slug.as_str(), round.number, text)
}

/// One text and its disposition form.
pub async fn disposition_page(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String, String)>,
) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let slug = path.0.clone();
    let (round, role, found, current) = load(&ctx, path).await?;
    let here = page_address(&slug, &round, found.text);
    let mut form = form_for(
        &ctx,
        (slug.as_str(), round.number),
        found.text,
        role,
        current.as_ref(),
        here,
    );
    form.prefix = String::new();
    form.open = true;
    let page = text_page(
        (&slug, &round),
        role,
        &found,
        form,
        current.as_ref(),
        FieldErrors::default(),
    );
    ctx.render(
        StatusCode::OK,
        "analysis/disposition_page",
        &ctx.t("disposition-title"),
        &page,
    )
}

#[derive(Deserialize)]
pub struct DispositionFields {
    #[serde(default)]
    disposition: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    return_to: String,
    /// The draft report's page the form was on.
    #[serde(default)]
    page: Option<i32>,
}

/// Records a disposition: confirmed when an organizer sends it, proposed
/// when an analyst does. A refused form comes back on the text's own page,
/// as it was sent, with the error next to its field.
pub async fn record_disposition(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String, String)>,
    fields: web::Form<DispositionFields>,
) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let slug = path.0.clone();
    let (round, role, found, current) = load(&ctx, path).await?;
    let actor = ctx.user()?.id;
    let fields = fields.into_inner();
    let refused = |errors: FieldErrors, status: StatusCode| {
        let mut form = form_for(
            &ctx,
            (slug.as_str(), round.number),
            found.text,
            role,
            current.as_ref(),
            fields.return_to.clone(),
        );
        form.prefix = String::new();
        form.open = true;
        form.reason = fields.reason.clone();
        for option in &mut form.options {
            option.selected = option.value == fields.disposition;
        }
        form.disposition_error = errors
            .0
            .iter()
            .find(|e| e.field == "disposition")
            .map(|e| e.message);
        form.reason_error = errors
            .0
            .iter()
            .find(|e| e.field == "reason")
            .map(|e| e.message);
        let page = text_page(
            (&slug, &round),
            role,
            &found,
            form,
            current.as_ref(),
            errors,
        );
        ctx.render(
            status,
            "analysis/disposition_page",
            &ctx.t("disposition-title"),
            &page,
        )
    };
    let proposal = match Proposal::parse(&fields.disposition, &fields.reason) {
        Ok(p) => p,
        Err(errors) => return refused(errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let (text, now) = (found.text, ctx.state.clock.now());
    let r = round.clone();
    let recorded = ctx
        .state
        .db
        .query(move |c| dispositions::record(c, &r, text, role, &proposal, actor, now))
        .await?;
    if let Err(Refused::AlreadyConfirmed) = recorded {
        return refused(
            FieldErrors::single("disposition", "disposition-error-confirmed"),
            StatusCode::CONFLICT,
        );
    }
    ctx.flash(match role {
        Analysis::Organizer => "disposition-recorded",
        Analysis::Analyst => "disposition-proposed",
    });
    let back = match (fields.return_to.as_str(), fields.page) {
        ("", Some(page)) if role == Analysis::Organizer && text.kind == TextKind::Position => {
            format!(
                "/admin/consultations/{slug}/rounds/{}/report/provisions/{}?page={}#text-{}",
                round.number,
                found.provision_key,
                page.max(1),
                text.id
            )
        }
        ("", _) => page_address(&slug, &round, text),
        (to, _) => safe_next(to).to_string(),
    };
    Ok(see_other(&back))
}
