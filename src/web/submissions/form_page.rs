//! The round page and its submission form, drawn from the cached round, the
//! participant's stored answers or what they just posted.

use crate::clock::{days_left, rfc3339};
use crate::codes::StakeholderGroup;
use crate::drafts::{self};
use crate::forms::FieldErrors;
use crate::i18n::reading::{Reading, Text, TranslationNote, title_of};
use crate::markdown;
use crate::rounds::Attribution;
use crate::submissions::{self, Disclosure, Input, Refusal, Stance, Status};
use crate::web::cache::rounds::RoundData;
use crate::web::page::Ctx;
use actix_web::http::StatusCode;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Choice {
    pub(super) value: &'static str,
    pub(super) label_key: String,
    pub(super) hint_key: String,
    pub(super) checked: bool,
}

#[derive(Serialize)]
pub(super) struct ProvisionView {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) heading: Text,
    pub(super) body_html: String,
    pub(super) body_lang: &'static str,
    pub(super) answered: bool,
    pub(super) change: Option<drafts::diff::ChangeKind>,
    pub(super) diff_html: Option<String>,
    pub(super) stances: Vec<Choice>,
    pub(super) stance_label_key: Option<String>,
    pub(super) stance_value: Option<&'static str>,
    pub(super) comment: String,
    pub(super) proposed_text: String,
    pub(super) has_proposal: bool,
    /// The division headings that come just before it, outermost first.
    pub(super) divisions: Vec<DivisionView>,
    /// The label of the division it sat in in the previous version, when it
    /// has moved to another.
    pub(super) moved_from: Option<String>,
}

#[derive(Serialize)]
pub(super) struct DivisionView {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) heading: Text,
    pub(super) depth: i32,
    pub(super) body_html: String,
    pub(super) body_lang: &'static str,
    /// What changed since the previous version; `None` when nothing did.
    pub(super) change: Option<drafts::diff::DivisionChangeKind>,
}

#[derive(Serialize)]
pub(super) struct FormView {
    pub(super) csrf: String,
    pub(super) general_comment: String,
    pub(super) disclosures: Vec<Choice>,
    pub(super) disclosure_label_key: Option<String>,
    pub(super) disclosure_value: Option<&'static str>,
    pub(super) status: Option<&'static str>,
    pub(super) submitted: bool,
    pub(super) receipt_code: Option<String>,
    pub(super) answered: usize,
    pub(super) total: usize,
}

#[derive(Serialize)]
pub(super) struct RefusalView {
    pub(super) message_key: &'static str,
    pub(super) closed_at: String,
    pub(super) opens_at: String,
}

#[derive(Serialize)]
pub(super) struct RoundPage {
    pub(super) slug: String,
    pub(super) consultation_title: Text,
    pub(super) summary_html: String,
    pub(super) summary_lang: &'static str,
    pub(super) number: i32,
    pub(super) state: &'static str,
    pub(super) opens_at: String,
    pub(super) closes_at: String,
    pub(super) days_left: i64,
    pub(super) chatham_house: bool,
    pub(super) draft_version: i32,
    pub(super) draft_title: Text,
    pub(super) preamble_html: String,
    pub(super) preamble_lang: &'static str,
    pub(super) translation: Option<TranslationNote>,
    pub(super) groups: Vec<String>,
    pub(super) provisions: Vec<ProvisionView>,
    pub(super) form: Option<FormView>,
    pub(super) refusal: Option<RefusalView>,
    pub(super) errors: FieldErrors,
    pub(super) review: bool,
    pub(super) signed_in: bool,
    pub(super) has_previous: bool,
    pub(super) show_changes: bool,
    pub(super) removed: Vec<drafts::diff::ProvisionChange>,
    pub(super) removed_divisions: Vec<drafts::diff::DivisionChange>,
}

pub(super) fn disclosure_key(d: Disclosure) -> String {
    format!("disclosure-{}", d.as_str())
}

pub(super) fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::NotSignedIn => "refusal-not-signed-in",
        Refusal::EmailUnverified => "refusal-email-unverified",
        Refusal::GroupNotEligible => "refusal-group",
        Refusal::NotOpenYet => "refusal-not-open",
        Refusal::Closed => "refusal-closed",
    }
}

pub(super) fn refusal_status(r: Refusal) -> StatusCode {
    match r {
        Refusal::NotSignedIn | Refusal::EmailUnverified | Refusal::GroupNotEligible => {
            StatusCode::FORBIDDEN
        }
        Refusal::NotOpenYet | Refusal::Closed => StatusCode::CONFLICT,
    }
}

/// Draws the round page; `input` is what the form shows (the stored
/// submission, or what was just posted when it came back with errors).
pub(super) fn page(
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
    let division_changes = data
        .previous
        .as_ref()
        .map(|_| drafts::diff::compare_divisions(&data.previous_divisions, &data.divisions))
        .unwrap_or_default();
    let c = &data.consultation;
    let locale = ctx.locale;
    let refusal = submissions::may_submit(ctx.user.as_ref(), &data.groups, data.state).err();
    let input = input.or(data.stored.as_ref().map(|s| &s.input));
    let blank = Input::default();
    let shown = input.unwrap_or(&blank);
    let chatham = data.round.attribution() == Attribution::ChathamHouse;
    let draft_locale = data.draft.locale.as_str();
    let openings = drafts::structure::openings(
        &data.divisions,
        data.provisions.iter().map(|p| p.division_key.as_deref()),
    );
    let division_view = |d: &drafts::Division| {
        let (label, heading, body) = reading.division(d, draft_locale);
        DivisionView {
            key: d.key.clone(),
            label,
            heading,
            depth: d.depth,
            body_html: markdown::to_html(&body.text),
            body_lang: body.lang,
            change: division_changes
                .iter()
                .find(|c| c.key == d.key)
                .map(|c| c.kind)
                .filter(|k| *k != drafts::diff::DivisionChangeKind::Unchanged),
        }
    };
    let provisions: Vec<ProvisionView> = data
        .provisions
        .iter()
        .zip(openings)
        .map(|(p, opened)| {
            let change = changes.iter().find(|c| c.key == p.provision_key);
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
                change: change.map(|c| c.kind),
                diff_html: change.filter(|_| show_changes).map(|c| c.diff_html.clone()),
                moved_from: change.and_then(|c| c.moved_from.as_ref()).map(|key| {
                    data.previous_divisions
                        .iter()
                        .find(|d| &d.key == key)
                        .map_or_else(|| key.clone(), |d| d.label.clone())
                }),
                divisions: opened.into_iter().map(division_view).collect(),
                stances: Stance::ALL
                    .iter()
                    .map(|s| Choice {
                        value: s.as_str(),
                        label_key: s.label_key(),
                        hint_key: String::new(),
                        checked: given.stance == Some(*s),
                    })
                    .collect(),
                stance_label_key: given.stance.map(Stance::label_key),
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
        removed_divisions: division_changes
            .into_iter()
            .filter(|c| c.kind == drafts::diff::DivisionChangeKind::Removed)
            .collect(),
    }
}

pub(super) fn title(ctx: &Ctx, data: &RoundData, prefix_error: bool) -> String {
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
