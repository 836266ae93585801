//! The round page (the participant's main page), the submission form with its
//! review step, the participant's own history, and receipts.

use super::cache::rounds::{AnonymousPage, RoundData, load, round_number};
use super::page::{Ctx, see_other};
use crate::accounts::fields::FieldErrors;
use crate::clock::{days_left, rfc3339};
use crate::codes::StakeholderGroup;
use crate::drafts::{self};
use crate::error::AppError;
use crate::i18n::reading::{Reading, Text, TranslationNote, title_of};
use crate::markdown;
use crate::notifications::{Kind, Message};
use crate::rounds::{self, Attribution, RoundState};
use crate::submissions::form::{self, Action};
use crate::submissions::{self, Disclosure, Input, Refusal, RevisionAction, Stance, Status};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label_key: String,
    hint_key: String,
    checked: bool,
}

#[derive(Serialize)]
struct ProvisionView {
    key: String,
    label: String,
    heading: Text,
    body_html: String,
    body_lang: &'static str,
    answered: bool,
    change: Option<drafts::diff::ChangeKind>,
    diff_html: Option<String>,
    stances: Vec<Choice>,
    stance_label_key: Option<String>,
    stance_value: Option<&'static str>,
    comment: String,
    proposed_text: String,
    has_proposal: bool,
}

#[derive(Serialize)]
struct FormView {
    csrf: String,
    general_comment: String,
    disclosures: Vec<Choice>,
    disclosure_label_key: Option<String>,
    disclosure_value: Option<&'static str>,
    status: Option<&'static str>,
    submitted: bool,
    receipt_code: Option<String>,
    answered: usize,
    total: usize,
}

#[derive(Serialize)]
struct RefusalView {
    message_key: &'static str,
    closed_at: String,
    opens_at: String,
}

#[derive(Serialize)]
struct RoundPage {
    slug: String,
    consultation_title: Text,
    summary_html: String,
    summary_lang: &'static str,
    number: i32,
    state: &'static str,
    opens_at: String,
    closes_at: String,
    days_left: i64,
    chatham_house: bool,
    draft_version: i32,
    draft_title: Text,
    preamble_html: String,
    preamble_lang: &'static str,
    translation: Option<TranslationNote>,
    groups: Vec<String>,
    provisions: Vec<ProvisionView>,
    form: Option<FormView>,
    refusal: Option<RefusalView>,
    errors: FieldErrors,
    review: bool,
    signed_in: bool,
    has_previous: bool,
    show_changes: bool,
    removed: Vec<drafts::diff::ProvisionChange>,
}

fn stance_key(s: Stance) -> String {
    format!("stance-{}", s.as_str().replace('_', "-"))
}

fn disclosure_key(d: Disclosure) -> String {
    format!("disclosure-{}", d.as_str())
}

fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::NotSignedIn => "refusal-not-signed-in",
        Refusal::EmailUnverified => "refusal-email-unverified",
        Refusal::GroupNotEligible => "refusal-group",
        Refusal::NotOpenYet => "refusal-not-open",
        Refusal::Closed => "refusal-closed",
    }
}

fn refusal_status(r: Refusal) -> StatusCode {
    match r {
        Refusal::NotSignedIn | Refusal::EmailUnverified | Refusal::GroupNotEligible => {
            StatusCode::FORBIDDEN
        }
        Refusal::NotOpenYet | Refusal::Closed => StatusCode::CONFLICT,
    }
}

/// Draws the round page; `input` is what the form shows (the stored
/// submission, or what was just posted when it came back with errors).
fn page(
    ctx: &Ctx,
    data: &RoundData,
    input: Option<&Input>,
    errors: FieldErrors,
    review: bool,
) -> RoundPage {
    let show_changes = data.previous.is_some() && ctx.query_has("view=changes");
    let reading = Reading {
        original: ctx.reading().original || show_changes,
        ..ctx.reading()
    };
    let changes = data
        .previous
        .as_ref()
        .map(|prev| drafts::diff::compare(prev, &data.provisions))
        .unwrap_or_default();
    let c = &data.consultation;
    let locale = ctx.locale;
    let refusal = submissions::may_submit(ctx.user.as_ref(), &data.groups, data.state).err();
    let input = input.or(data.stored.as_ref().map(|s| &s.input));
    let blank = Input::default();
    let shown = input.unwrap_or(&blank);
    let chatham = data.round.attribution() == Attribution::ChathamHouse;
    let draft_locale = data.draft.locale.as_str();
    let provisions: Vec<ProvisionView> = data
        .provisions
        .iter()
        .map(|p| {
            let (label, heading, body) = reading.provision(p, draft_locale);
            let given = shown
                .positions
                .get(&p.provision_key)
                .cloned()
                .unwrap_or_default();
            ProvisionView {
                key: p.provision_key.clone(),
                label,
                heading,
                body_html: markdown::to_html(&body.text),
                body_lang: body.lang,
                answered: given.stance.is_some(),
                change: changes
                    .iter()
                    .find(|c| c.key == p.provision_key)
                    .map(|c| c.kind),
                diff_html: show_changes
                    .then(|| {
                        changes
                            .iter()
                            .find(|c| c.key == p.provision_key)
                            .map(|c| c.diff_html.clone())
                    })
                    .flatten(),
                stances: Stance::ALL
                    .iter()
                    .map(|s| Choice {
                        value: s.as_str(),
                        label_key: stance_key(*s),
                        hint_key: String::new(),
                        checked: given.stance == Some(*s),
                    })
                    .collect(),
                stance_label_key: given.stance.map(stance_key),
                stance_value: given.stance.map(Stance::as_str),
                has_proposal: !given.proposed_text.is_empty(),
                comment: given.comment,
                proposed_text: given.proposed_text,
            }
        })
        .collect();
    let form = refusal.is_none().then(|| FormView {
        csrf: ctx.csrf(),
        general_comment: shown.general_comment.clone(),
        disclosures: Disclosure::ALL
            .iter()
            .filter(|d| !chatham || matches!(d, Disclosure::Anonymous | Disclosure::Confidential))
            .map(|d| Choice {
                value: d.as_str(),
                label_key: disclosure_key(*d),
                hint_key: format!("{}-hint", disclosure_key(*d)),
                checked: shown.disclosure == Some(*d),
            })
            .collect(),
        disclosure_label_key: shown.disclosure.map(disclosure_key),
        disclosure_value: shown.disclosure.map(Disclosure::as_str),
        status: data.stored.as_ref().map(|s| s.status.as_str()),
        submitted: data
            .stored
            .as_ref()
            .is_some_and(|s| s.status == Status::Submitted),
        receipt_code: data.stored.as_ref().and_then(|s| s.receipt_code.clone()),
        answered: provisions.iter().filter(|p| p.answered).count(),
        total: provisions.len(),
    });
    let summary = reading.text(&c.summary, &c.locale, c.translated_summary.as_deref());
    let preamble = reading.text(
        &data.draft.preamble,
        draft_locale,
        data.draft.translated_preamble.as_deref(),
    );
    let translated = reading.has_translation(&c.locale, c.translated_title.as_deref())
        || reading.has_translation(&c.locale, c.translated_summary.as_deref())
        || reading.has_translation(draft_locale, data.draft.translated_title.as_deref())
        || reading.has_translation(draft_locale, data.draft.translated_preamble.as_deref())
        || data
            .provisions
            .iter()
            .any(|p| reading.provision_translated(p, draft_locale));
    // The link goes to the round page itself, also from the review step and
    // from a form sent back with errors (both answers to a POST).
    let translation = ctx
        .translation_note(reading, translated, draft_locale)
        .map(|mut note| {
            note.changes = show_changes;
            note.href = format!(
                "/consultations/{}/rounds/{}{}",
                c.slug,
                data.round.number,
                if reading.original { "" } else { "?original=1" }
            );
            note
        });
    RoundPage {
        slug: c.slug.clone(),
        consultation_title: reading.text(&c.title, &c.locale, c.translated_title.as_deref()),
        summary_html: markdown::to_html(&summary.text),
        summary_lang: summary.lang,
        number: data.round.number,
        state: data.state.as_str(),
        opens_at: rfc3339(data.round.opens_at),
        closes_at: rfc3339(data.round.effective_close()),
        days_left: days_left(ctx.state.clock.now(), data.round.effective_close()),
        chatham_house: chatham,
        draft_version: data.draft.version,
        draft_title: reading.text(
            &data.draft.title,
            draft_locale,
            data.draft.translated_title.as_deref(),
        ),
        preamble_html: markdown::to_html(&preamble.text),
        preamble_lang: preamble.lang,
        translation,
        groups: StakeholderGroup::label_keys(&data.groups),
        provisions,
        form,
        refusal: refusal.map(|r| RefusalView {
            message_key: refusal_key(r),
            closed_at: crate::i18n::format_datetime(
                locale,
                data.round.effective_close().assume_utc(),
            ),
            opens_at: crate::i18n::format_datetime(locale, data.round.opens_at.assume_utc()),
        }),
        errors,
        review,
        signed_in: ctx.user.is_some(),
        has_previous: data.previous.is_some(),
        show_changes,
        removed: changes
            .into_iter()
            .filter(|c| c.kind == drafts::diff::ChangeKind::Removed)
            .collect(),
    }
}

fn title(ctx: &Ctx, data: &RoundData, prefix_error: bool) -> String {
    let round = crate::i18n::t_args(
        ctx.locale,
        "round-number",
        &[("number".into(), data.round.number.into())]
            .into_iter()
            .collect(),
    );
    let title = format!(
        "{} – {}",
        round,
        title_of(&data.consultation, ctx.locale).text
    );
    if prefix_error {
        format!("{} {title}", ctx.t("error-prefix"))
    } else {
        title
    }
}

pub async fn round(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let data = load(&ctx, slug, round_number(&number)?).await?;
    let render = || {
        let view = page(&ctx, &data, None, FieldErrors::default(), false);
        ctx.render_html("round", &title(&ctx, &data, false), &view)
    };
    if !ctx.is_anonymous() {
        return super::page::html(StatusCode::OK, render()?);
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
    path: web::Path<(String, String)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let data = load(&ctx, slug.clone(), round_number(&number)?).await?;
    if let Err(refusal) = submissions::may_submit(ctx.user.as_ref(), &data.groups, data.state) {
        if refusal == Refusal::NotSignedIn {
            return Err(AppError::LoginRequired(format!(
                "/consultations/{slug}/rounds/{number}"
            )));
        }
        let view = page(&ctx, &data, None, FieldErrors::default(), false);
        return ctx.render(
            refusal_status(refusal),
            "round",
            &title(&ctx, &data, false),
            &view,
        );
    }
    let parsed = match form::parse(&body, &data.provisions, data.round.attribution()) {
        Ok(p) => p,
        Err(form::Malformed(why)) => return Err(AppError::Unprocessable(why)),
    };
    if !parsed.errors.is_empty() {
        let view = page(&ctx, &data, Some(&parsed.input), parsed.errors, false);
        return ctx.render(
            StatusCode::UNPROCESSABLE_ENTITY,
            "round",
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
        Action::Withdraw => return Err(AppError::Unprocessable("nothing to withdraw".into())),
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
            ctx.render(StatusCode::OK, "review", &ctx.t("review-title"), &view)
        }
        Action::Edit => {
            let view = page(
                &ctx,
                &data,
                Some(&parsed.input),
                FieldErrors::default(),
                false,
            );
            ctx.render(StatusCode::OK, "round", &title(&ctx, &data, false), &view)
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

#[derive(Serialize)]
struct ReceiptPosition {
    label: String,
    heading: String,
    lang: &'static str,
    stance_key: String,
    comment: String,
    proposed_text: String,
}

#[derive(Serialize)]
struct ReceiptEmail {
    name: String,
    title: String,
    round: i32,
    code: String,
    submitted_at: String,
    general_comment: String,
    positions: Vec<ReceiptPosition>,
}

async fn store_submission(
    ctx: &Ctx,
    data: &RoundData,
    input: Input,
    action: RevisionAction,
) -> Result<submissions::Saved, AppError> {
    let user = ctx.user()?.clone();
    let common = data.common.clone();
    let (notifier, now, locale) = (
        ctx.state.notifier.clone(),
        ctx.state.clock.now(),
        user.locale(),
    );
    let title = title_of(&data.consultation, locale).text;
    // The copy of the answers reads like the form the participant saw.
    let reading = Reading {
        locale,
        original: false,
    };
    let draft_locale = data.draft.locale.clone();
    let change = submissions::NewRevision::new(action, now);
    let db = ctx.state.db.clone();
    ctx.state
        .db
        .run(move |conn| -> Result<_, AppError> {
            // Rendered before the write lock is taken, which is held for
            // the inserts alone.
            let receipt = match &change.receipt {
                Some(code) => Some(
                    notifier.compose(&Message {
                        kind: Kind::Receipt,
                        to: &user.email,
                        locale,
                        dedup_key: Some(format!("receipt:{code}")),
                        data: ReceiptEmail {
                            name: user.display_name.clone(),
                            title,
                            round: common.round.number,
                            code: code.clone(),
                            submitted_at: crate::i18n::format_datetime(locale, now.assume_utc()),
                            general_comment: input.general_comment.clone(),
                            positions: common
                                .provisions
                                .iter()
                                .map(|p| {
                                    let given = input
                                        .positions
                                        .get(&p.provision_key)
                                        .cloned()
                                        .unwrap_or_default();
                                    let (label, heading, _) = reading.provision(p, &draft_locale);
                                    ReceiptPosition {
                                        label,
                                        heading: heading.text,
                                        lang: heading.lang,
                                        stance_key: stance_key(
                                            given.stance.unwrap_or(Stance::NoPosition),
                                        ),
                                        comment: given.comment,
                                        proposed_text: given.proposed_text,
                                    }
                                })
                                .collect(),
                        },
                    })?,
                ),
                None => None,
            };
            db.commit_together(conn, move |conn| {
                if rounds::state_now(conn, common.round.id, now)? != RoundState::Open {
                    return Err(AppError::Conflict("the round closed meanwhile".into()));
                }
                let saved = submissions::save(
                    conn,
                    &common.round,
                    &common.provisions,
                    &user,
                    &input,
                    &change,
                )?;
                if let Some(email) = &receipt {
                    email.queue(conn, now)?;
                }
                Ok(saved)
            })
        })
        .await
}

#[derive(Serialize)]
struct RevisionRow {
    revision: i32,
    action_key: String,
    receipt_code: Option<String>,
    created_at: String,
}

#[derive(Serialize)]
struct MinePage {
    slug: String,
    number: i32,
    consultation_title: Text,
    status_key: String,
    receipt_code: Option<String>,
    just_submitted: bool,
    open: bool,
    csrf: String,
    revisions: Vec<RevisionRow>,
}

#[derive(serde::Deserialize)]
pub struct ReceiptQuery {
    receipt: Option<String>,
}

/// The participant's own submission and its history; nobody else's.
pub async fn mine(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    query: web::Query<ReceiptQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    ctx.user()?;
    let data = load(&ctx, slug, round_number(&number)?).await?;
    let stored = data.stored.as_ref().ok_or(AppError::NotFound)?;
    let id = stored.id;
    let revisions = ctx
        .state
        .db
        .query(move |c| submissions::revisions(c, id))
        .await?;
    let view = MinePage {
        slug: data.consultation.slug.clone(),
        number: data.round.number,
        consultation_title: title_of(&data.consultation, ctx.locale),
        status_key: format!("status-{}", stored.status.as_str()),
        receipt_code: stored.receipt_code.clone(),
        just_submitted: query.receipt.is_some() && query.receipt == stored.receipt_code,
        open: data.state == RoundState::Open,
        csrf: ctx.csrf(),
        revisions: revisions
            .into_iter()
            .map(|r| RevisionRow {
                revision: r.revision,
                action_key: format!("revision-{}", r.action),
                receipt_code: r.receipt_code,
                created_at: rfc3339(r.created_at),
            })
            .collect(),
    };
    ctx.render(
        StatusCode::OK,
        "submissions/mine",
        &ctx.t("mine-title"),
        &view,
    )
}

/// One earlier revision of the participant's own submission.
pub async fn revision(
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, rev) = path.into_inner();
    ctx.user()?;
    let rev: i32 = rev.parse().map_err(|_| AppError::NotFound)?;
    let data = load(&ctx, slug, round_number(&number)?).await?;
    let id = data.stored.as_ref().ok_or(AppError::NotFound)?.id;
    let (summary, content) = ctx
        .state
        .db
        .query(move |c| submissions::revision(c, id, rev))
        .await?
        .ok_or(AppError::NotFound)?;
    let input = Input {
        disclosure: content.disclosure,
        general_comment: content.general_comment.clone(),
        positions: content.positions.clone(),
    };
    let mut view = page(&ctx, &data, Some(&input), FieldErrors::default(), true);
    view.form = view.form.map(|mut f| {
        f.status = Some(content.status.as_str());
        f
    });
    let title = format!("{} {}", ctx.t("revision-heading"), summary.revision);
    #[derive(Serialize)]
    struct RevisionPage {
        #[serde(flatten)]
        round: RoundPage,
        revision: i32,
        action_key: String,
        created_at: String,
        status_key: String,
    }
    let page = RevisionPage {
        round: view,
        revision: summary.revision,
        action_key: format!("revision-{}", summary.action),
        created_at: rfc3339(summary.created_at),
        status_key: format!("status-{}", content.status.as_str()),
    };
    ctx.render(StatusCode::OK, "submissions/revision", &title, &page)
}

#[derive(Serialize)]
struct ReceiptPage {
    code: String,
    found: bool,
    submitted_at: String,
    current: bool,
}

/// Confirms that a receipt exists and when it was given; nothing else.
pub async fn receipt(ctx: Ctx, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let lookup = code.clone();
    let found = ctx
        .state
        .db
        .query(move |c| submissions::check_receipt(c, &lookup))
        .await?;
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = ReceiptPage {
        code,
        found: found.is_some(),
        submitted_at: found
            .as_ref()
            .map(|f| rfc3339(f.submitted_at))
            .unwrap_or_default(),
        current: found.is_some_and(|f| f.current),
    };
    ctx.render(
        status,
        "submissions/receipt",
        &ctx.t("receipt-title"),
        &page,
    )
}
