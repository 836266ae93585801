//! The round page and its submission form, drawn from the cached round, the
//! participant's stored answers or what they just posted.

use super::shell;
use super::skeleton::{
    EarlierPieces, FormSkeleton, Marks, Own, PROVISIONS_PART, Slot, TOC_PART, VALUE, attribute,
    set_in,
};
use crate::analysis::Disposition;
use crate::clock::{days_left, rfc3339};
use crate::codes::StakeholderGroup;
use crate::drafts::{self};
use crate::forms::FieldErrors;
use crate::i18n::reading::{Reading, Text, TranslationNote, title_of};
use crate::markdown;
use crate::rounds::Attribution;
use crate::submissions::{self, Disclosure, Input, Refusal, Stance, Status};
use crate::web::cache::rounds::{FormKey, RoundData};
use crate::web::errors::AppError;
use crate::web::page::{Ctx, excerpt};
use actix_web::http::StatusCode;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Choice {
    pub(super) value: &'static str,
    pub(super) label_key: String,
    pub(super) hint_key: String,
    /// ` checked` or nothing.
    pub(super) checked: Own,
}

#[derive(Serialize)]
pub(super) struct ProvisionView {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) heading: Text,
    pub(super) body_html: String,
    pub(super) body_lang: &'static str,
    /// What the contents say beside it once answered.
    pub(super) answered_mark: Own,
    pub(super) change: Option<drafts::diff::ChangeKind>,
    pub(super) diff_html: Option<String>,
    pub(super) stances: Vec<Choice>,
    pub(super) stance_label_key: Option<String>,
    pub(super) stance_value: Option<&'static str>,
    pub(super) comment: String,
    pub(super) proposed_text: String,
    /// ` open` (the proposal is shown) or nothing.
    pub(super) proposal_open: Own,
    /// The division headings that come just before it, outermost first.
    pub(super) divisions: Vec<DivisionView>,
    /// The label of the division it sat in in the previous version, when it
    /// has moved to another.
    pub(super) moved_from: Option<String>,
    /// The round this one follows, as it concerns this provision.
    pub(super) earlier: Option<EarlierView>,
    pub(super) changed_mind: String,
}

/// What a participant sees of the earlier round beside one provision: its
/// published figures by group, the organizers' response, and their own
/// answer with the disposition of their comment.
#[derive(Serialize)]
pub(super) struct EarlierView {
    pub(super) number: i32,
    /// The provision reads otherwise than in the earlier round.
    pub(super) changed: bool,
    /// The page showing what changed, word by word (when changed).
    pub(super) changes_href: String,
    pub(super) label_key: Option<&'static str>,
    pub(super) groups: Vec<EarlierGroup>,
    pub(super) response_html: String,
    pub(super) stance_key: Option<String>,
    pub(super) comment: String,
    pub(super) disposition_key: Option<&'static str>,
    pub(super) disposition_reason_html: String,
    /// The participant's answer above, drawn already (in a skeleton, its
    /// mark); `None` to draw it from the four fields above.
    pub(super) answer: Option<String>,
}

#[derive(Serialize)]
pub(super) struct EarlierGroup {
    pub(super) label_key: String,
    pub(super) share: String,
    pub(super) responses: String,
}

/// The round this one follows, for the whole page.
#[derive(Serialize)]
pub(super) struct EarlierSummary {
    pub(super) number: i32,
    /// How many stances "start from my previous answers" would carry over.
    pub(super) carriable: usize,
    /// What that button does, with their number.
    pub(super) start_hint: String,
    /// Provisions the participant answered then that this draft dropped.
    pub(super) removed: Vec<String>,
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

/// One line of a long draft's table of contents: a division, or a block of
/// provisions that is a page of its own.
#[derive(Serialize)]
pub(super) struct TocEntry {
    href: String,
    label: String,
    heading: Text,
    depth: i32,
    answered: Answered,
    total: usize,
    current: bool,
    /// The provisions it counts, by key.
    #[serde(skip)]
    members: Vec<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Answered {
    Count(usize),
    /// In a skeleton.
    Mark(String),
}

#[derive(Serialize)]
pub(super) struct PageLink {
    key: String,
    href: String,
}

/// Where the page stands among the pages of a long draft.
#[derive(Serialize)]
pub(super) struct PagingView {
    key: String,
    number: usize,
    count: usize,
    last: bool,
    previous: Option<PageLink>,
    next: Option<PageLink>,
    toc: Vec<TocEntry>,
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
    /// Changes are saved over a submission and not submitted yet.
    pub(super) pending: bool,
    pub(super) answered: Answered,
    pub(super) total: usize,
}

#[derive(Serialize)]
pub(super) struct RefusalView {
    pub(super) message_key: &'static str,
    pub(super) closed_at: String,
    pub(super) opens_at: String,
}

/// Whose official submission the form edits, and whether the member may
/// submit it.
#[derive(Serialize)]
pub(super) struct OfficialView {
    pub(super) name: String,
    pub(super) signatory: bool,
}

#[derive(Serialize)]
pub(super) struct RoundPage {
    /// Where the form posts and its pages link: the round for a person's own
    /// submission, the organization's place in it for an official one.
    pub(super) base: String,
    pub(super) official: Option<OfficialView>,
    /// A member who drafts but may not sign: no submit button for them.
    pub(super) cannot_sign: bool,
    pub(super) counting_key: String,
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
    /// The contents and the provisions, drawn on their own (`round_html`,
    /// `form_html`).
    pub(super) toc_html: String,
    pub(super) provisions_html: String,
    /// `None` when the whole draft is one page.
    pub(super) paging: Option<PagingView>,
    /// The form holds the general comment, the disclosure and the review
    /// button: on the last page of a long draft.
    pub(super) last_page: bool,
    pub(super) form: Option<FormView>,
    pub(super) refusal: Option<RefusalView>,
    pub(super) errors: FieldErrors,
    pub(super) review: bool,
    pub(super) signed_in: bool,
    pub(super) has_previous: bool,
    pub(super) show_changes: bool,
    pub(super) removed: Vec<drafts::diff::ProvisionChange>,
    pub(super) removed_divisions: Vec<drafts::diff::DivisionChange>,
    /// The names of the position papers attached, on the review step.
    pub(super) attachments: Vec<String>,
    pub(super) earlier: Option<EarlierSummary>,
}

pub(super) fn disclosure_key(d: Disclosure) -> String {
    format!("disclosure-{}", d.as_str())
}

pub(super) fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::NotSignedIn => "refusal-not-signed-in",
        Refusal::EmailUnverified => "refusal-email-unverified",
        Refusal::GroupNotEligible => "refusal-group",
        Refusal::OrganizationGroupNotEligible => "refusal-organization-group",
        Refusal::NotOpenYet => "refusal-not-open",
        Refusal::Closed => "refusal-closed",
    }
}

pub(super) fn refusal_status(r: Refusal) -> StatusCode {
    match r {
        Refusal::NotSignedIn
        | Refusal::EmailUnverified
        | Refusal::GroupNotEligible
        | Refusal::OrganizationGroupNotEligible => StatusCode::FORBIDDEN,
        Refusal::NotOpenYet | Refusal::Closed => StatusCode::CONFLICT,
    }
}

/// What the round page is drawn as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum View {
    /// The draft and the form, one page of it (by its place in `data.pages`).
    Form(usize),
    /// Every provision's answer, compactly, before submitting.
    Review,
    /// Every provision's answer, in full, as an earlier revision had it.
    Revision,
}

/// Review rows quote this much of a comment or a proposal (and four times
/// as much of the general comment), so that the review of a hundred long
/// answers stays small.
const EXCERPT: usize = 100;

/// The round's path, or the organization's place in it when the page is its
/// official submission.
pub(super) fn base_path(data: &RoundData) -> String {
    let round = format!(
        "/consultations/{}/rounds/{}",
        data.consultation.slug, data.round.number
    );
    match &data.official {
        Some((o, _)) => format!("{round}/organizations/{}", o.id),
        None => round,
    }
}

/// The page (by its place in `data.pages`) a `?page=` names; the first one
/// when none is named, `None` for a name the round does not have.
pub(super) fn page_named(data: &RoundData, name: Option<&str>) -> Option<usize> {
    match name {
        None => Some(0),
        Some(name) => data.pages.iter().position(|p| p.key == name),
    }
}

/// Draws the round page; `input` is what the form shows (the stored
/// submission, or what was just posted when it came back with errors).
pub(super) fn page(
    ctx: &Ctx,
    data: &RoundData,
    input: Option<&Input>,
    errors: FieldErrors,
    view: View,
) -> RoundPage {
    draw(ctx, data, input, errors, view, Parts::All)
}

/// How much of the round page `draw` makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parts {
    All,
    /// All but the provisions and the contents, which a skeleton fills.
    Shell,
}

fn draw(
    ctx: &Ctx,
    data: &RoundData,
    input: Option<&Input>,
    errors: FieldErrors,
    view: View,
    parts: Parts,
) -> RoundPage {
    let review = !matches!(view, View::Form(_));
    let at = match view {
        View::Form(at) => at.min(data.pages.len().saturating_sub(1)),
        View::Review | View::Revision => 0,
    };
    let paged = data.pages.len() > 1 && !review;
    let range = if parts == Parts::Shell {
        0..0
    } else if paged {
        data.pages[at].provisions.clone()
    } else {
        0..data.provisions.len()
    };
    let last_page = !paged || at + 1 == data.pages.len();
    let show_changes = data.previous.is_some() && ctx.query_has("view=changes");
    let reading = Reading {
        original: ctx.reading().original || show_changes,
        ..ctx.reading()
    };
    let (changes, division_changes) = data.changes();
    let c = &data.consultation;
    let locale = ctx.locale;
    let refusal = data.may_submit(ctx.user.as_ref()).err();
    let input = input.or(data.stored.as_ref().map(|s| &s.input));
    let blank = Input::default();
    let shown = input.unwrap_or(&blank);
    let chatham = data.round.attribution() == Attribution::ChathamHouse;
    let draft_locale = data.draft.locale.as_str();
    let openings = drafts::structure::openings(
        &data.divisions,
        data.provisions.iter().map(|p| p.division_key.as_deref()),
    );
    let html = data.html(reading);
    let division_view = |d: &drafts::Division, with_body: bool| {
        let (label, heading, body) = reading.division(d, draft_locale);
        DivisionView {
            key: d.key.clone(),
            label,
            heading,
            depth: d.depth,
            body_html: match data.divisions.iter().position(|o| o.key == d.key) {
                Some(at) if with_body => html.divisions[at].clone(),
                _ => String::new(),
            },
            body_lang: body.lang,
            change: division_changes
                .iter()
                .find(|c| c.key == d.key)
                .map(|c| c.kind)
                .filter(|k| *k != drafts::diff::DivisionChangeKind::Unchanged),
        }
    };
    let answered = |p: &drafts::Provision| {
        shown
            .positions
            .get(&p.provision_key)
            .is_some_and(|g| g.stance.is_some())
    };
    let paging = paged.then(|| {
        let toc = parts == Parts::All;
        paging_view(ctx, data, &openings, at, &answered, show_changes, toc)
    });
    // The earlier round is context for answering, beside the form only.
    let form_shown = refusal.is_none() && !review;
    // Where "what changed" leads: this page of a long draft, with the changes.
    let page_query = if paged {
        format!("page={}&", data.pages[at].key)
    } else {
        String::new()
    };
    let provisions: Vec<ProvisionView> = data.provisions[range.clone()]
        .iter()
        .zip(range.clone())
        .map(|(p, i)| {
            // A page that starts inside a division repeats its headings.
            let opened: Vec<DivisionView> = if paged && i == range.start {
                drafts::structure::ancestors(&data.divisions, p.division_key.as_deref())
                    .into_iter()
                    .map(|d| division_view(d, openings[i].iter().any(|o| o.key == d.key)))
                    .collect()
            } else if review {
                vec![]
            } else {
                openings[i].iter().map(|d| division_view(d, true)).collect()
            };
            let change = changes.iter().find(|c| c.key == p.provision_key);
            let (label, heading, body) = reading.provision(p, draft_locale);
            let given = shown
                .positions
                .get(&p.provision_key)
                .cloned()
                .unwrap_or_default();
            let (comment, proposed_text) = if view == View::Review {
                (
                    excerpt(&given.comment, EXCERPT),
                    excerpt(&given.proposed_text, EXCERPT),
                )
            } else {
                (given.comment, given.proposed_text)
            };
            ProvisionView {
                key: p.provision_key.clone(),
                label,
                heading,
                // The review lists answers, not the text again.
                body_html: if review {
                    String::new()
                } else {
                    html.provisions[i].clone()
                },
                body_lang: body.lang,
                answered_mark: match given.stance {
                    Some(_) => Own::Owned(answered_mark(locale)),
                    None => Own::Borrowed(""),
                },
                change: change.map(|c| c.kind),
                diff_html: change.filter(|_| show_changes).map(|c| c.diff_html.clone()),
                moved_from: change.and_then(|c| c.moved_from.as_ref()).map(|key| {
                    data.previous_divisions
                        .iter()
                        .find(|d| &d.key == key)
                        .map_or_else(|| key.clone(), |d| d.label.clone())
                }),
                earlier: form_shown
                    .then(|| earlier_view(ctx, data, p, &page_query))
                    .flatten(),
                changed_mind: given.changed_mind.clone(),
                divisions: opened,
                stances: Stance::ALL
                    .iter()
                    .map(|s| Choice {
                        value: s.as_str(),
                        label_key: s.label_key(),
                        hint_key: String::new(),
                        checked: attribute(given.stance == Some(*s), " checked"),
                    })
                    .collect(),
                stance_label_key: given.stance.map(Stance::label_key),
                stance_value: given.stance.map(Stance::as_str),
                proposal_open: attribute(!proposed_text.is_empty(), " open"),
                comment,
                proposed_text,
            }
        })
        .collect();
    let form = refusal.is_none().then(|| FormView {
        csrf: ctx.csrf(),
        general_comment: if view == View::Review {
            excerpt(&shown.general_comment, 4 * EXCERPT)
        } else {
            shown.general_comment.clone()
        },
        disclosures: Disclosure::ALL
            .iter()
            .filter(|d| !chatham || matches!(d, Disclosure::Anonymous | Disclosure::Confidential))
            .map(|d| Choice {
                value: d.as_str(),
                label_key: disclosure_key(*d),
                hint_key: format!("{}-hint", disclosure_key(*d)),
                checked: attribute(shown.disclosure == Some(*d), " checked"),
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
        pending: data.stored.as_ref().is_some_and(|s| s.pending),
        answered: Answered::Count(data.provisions.iter().filter(|p| answered(p)).count()),
        total: data.provisions.len(),
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
        base: base_path(data),
        official: data.official.as_ref().map(|(o, m)| OfficialView {
            name: o.name.clone(),
            signatory: m.signatory,
        }),
        cannot_sign: data.official.as_ref().is_some_and(|(_, m)| !m.signatory),
        counting_key: data.round.counting().label_key(),
        slug: c.slug.clone(),
        consultation_title: reading.text(&c.title, &c.locale, c.translated_title.as_deref()),
        summary_html: html.summary.clone(),
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
        // The introduction opens the draft: on its first page only.
        preamble_html: if at == 0 {
            html.preamble.clone()
        } else {
            String::new()
        },
        preamble_lang: preamble.lang,
        translation,
        groups: StakeholderGroup::label_keys(&data.groups),
        provisions,
        toc_html: String::new(),
        provisions_html: String::new(),
        paging,
        last_page,
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
        // What was removed is listed once, after the last provision.
        removed: changes
            .iter()
            .filter(|c| last_page && c.kind == drafts::diff::ChangeKind::Removed)
            .cloned()
            .collect(),
        removed_divisions: division_changes
            .iter()
            .filter(|c| last_page && c.kind == drafts::diff::DivisionChangeKind::Removed)
            .cloned()
            .collect(),
        attachments: vec![],
        earlier: form_shown
            .then(|| earlier_summary(locale, data, input))
            .flatten(),
    }
}

fn earlier_summary(
    locale: crate::codes::Locale,
    data: &RoundData,
    input: Option<&Input>,
) -> Option<EarlierSummary> {
    let earlier = data.earlier.as_ref()?;
    let (_, carriable) =
        submissions::earlier::start_from_previous(input, &data.earlier_answers, &earlier.lineage);
    let start_hint = if carriable > 0 {
        // Numbers as the `t` helper passes them, for the same plural.
        let args = [
            ("count".into(), (carriable as f64).into()),
            ("number".into(), f64::from(earlier.round.number).into()),
        ];
        crate::i18n::t_args(locale, "earlier-start-hint", &args.into_iter().collect())
    } else {
        String::new()
    };
    Some(EarlierSummary {
        number: earlier.round.number,
        carriable,
        start_hint,
        removed: earlier
            .lineage
            .removed()
            .filter(|c| data.earlier_answers.contains_key(&c.key))
            .map(|c| match earlier.published.get(&c.key) {
                Some(p) if !p.label.is_empty() => p.label.clone(),
                Some(p) => p.heading.clone(),
                None => c.key.clone(),
            })
            .collect(),
    })
}

/// The earlier round beside provision `p`; `None` for a provision it did
/// not have.
fn earlier_view(
    ctx: &Ctx,
    data: &RoundData,
    p: &drafts::Provision,
    page_query: &str,
) -> Option<EarlierView> {
    let earlier = data.earlier.as_ref()?;
    let change = earlier.lineage.change(&p.provision_key)?;
    if change.kind == drafts::diff::ChangeKind::Added {
        return None;
    }
    let published = earlier.published.get(&p.provision_key);
    let mine = data.earlier_answers.get(&p.provision_key);
    Some(EarlierView {
        number: earlier.round.number,
        changed: change.kind == drafts::diff::ChangeKind::Changed,
        changes_href: format!("?{page_query}view=changes#{}", p.provision_key),
        label_key: published.map(|r| crate::web::reports::views::label_key(&r.figures.label)),
        groups: published.map_or_else(Vec::new, |r| {
            r.figures
                .groups
                .iter()
                .map(|g| EarlierGroup {
                    label_key: format!("{}-short", g.group.label_key()),
                    share: g.support_share.map_or_else(
                        || "—".into(),
                        |s| crate::i18n::format_percent(ctx.locale, s),
                    ),
                    responses: crate::i18n::format_count(ctx.locale, g.counts.responses()),
                })
                .collect()
        }),
        response_html: published
            .and_then(|r| r.response.as_deref())
            .map(markdown::to_html)
            .unwrap_or_default(),
        stance_key: mine.and_then(|m| m.stance).map(Stance::label_key),
        comment: mine.map(|m| m.comment.clone()).unwrap_or_default(),
        disposition_key: mine.and_then(|m| m.disposition).map(Disposition::label_key),
        disposition_reason_html: mine
            .and_then(|m| m.disposition_reason.as_deref())
            .map(markdown::to_html)
            .unwrap_or_default(),
        answer: None,
    })
}

/// The table of contents of every page, with the participant's answers
/// counted per division, and the links to the pages around this one.
fn paging_view(
    ctx: &Ctx,
    data: &RoundData,
    openings: &[Vec<&drafts::Division>],
    at: usize,
    answered: &dyn Fn(&drafts::Provision) -> bool,
    show_changes: bool,
    with_toc: bool,
) -> PagingView {
    let reading = ctx.reading();
    let draft_locale = data.draft.locale.as_str();
    let base = format!(
        "/consultations/{}/rounds/{}",
        data.consultation.slug, data.round.number
    );
    let view = match (show_changes, reading.original) {
        (true, _) => "&view=changes",
        (false, true) => "&original=1",
        (false, false) => "",
    };
    let href = |page: &str| format!("{base}?page={page}{view}");
    // The provisions within each division, nested ones included.
    let mut members: std::collections::HashMap<&str, Vec<&drafts::Provision>> = Default::default();
    for p in data.provisions.iter().filter(|_| with_toc) {
        for d in drafts::structure::ancestors(&data.divisions, p.division_key.as_deref()) {
            members.entry(d.key.as_str()).or_default().push(p);
        }
    }
    let entry_of = |inside: &[&drafts::Provision]| {
        (
            Answered::Count(inside.iter().filter(|p| answered(p)).count()),
            inside.len(),
            inside.iter().map(|p| p.provision_key.clone()).collect(),
        )
    };
    let mut toc = vec![];
    for (n, page) in data.pages.iter().enumerate().filter(|_| with_toc) {
        for i in page.provisions.clone() {
            for d in &openings[i] {
                let (label, heading, _) = reading.division(d, draft_locale);
                let inside = members.get(d.key.as_str()).map_or(&[][..], Vec::as_slice);
                let (answered, total, members) = entry_of(inside);
                toc.push(TocEntry {
                    href: format!("{}#{}", href(&page.key), d.key),
                    label,
                    heading,
                    depth: d.depth,
                    answered,
                    total,
                    current: page.division && page.key == d.key && n == at,
                    members,
                });
            }
        }
        if !page.division {
            let inside = &data.provisions[page.provisions.clone()];
            let (Some(first), Some(last)) = (inside.first(), inside.last()) else {
                continue;
            };
            let name = |p: &drafts::Provision| {
                let (label, heading, _) = reading.provision(p, draft_locale);
                if label.is_empty() {
                    heading.text
                } else {
                    label
                }
            };
            let (_, heading, _) = reading.provision(first, draft_locale);
            let (answered, total, members) = entry_of(&inside.iter().collect::<Vec<_>>());
            toc.push(TocEntry {
                href: href(&page.key),
                label: format!("{} – {}", name(first), name(last)),
                heading: Text {
                    text: String::new(),
                    ..heading
                },
                depth: drafts::structure::ancestors(&data.divisions, first.division_key.as_deref())
                    .last()
                    .map_or(1, |d| d.depth + 1),
                answered,
                total,
                current: n == at,
                members,
            });
        }
    }
    let link = |n: usize| {
        data.pages.get(n).map(|p| PageLink {
            key: p.key.clone(),
            href: href(&p.key),
        })
    };
    PagingView {
        key: data.pages[at].key.clone(),
        number: at + 1,
        count: data.pages.len(),
        last: at + 1 == data.pages.len(),
        previous: at.checked_sub(1).and_then(link),
        next: link(at + 1),
        toc,
    }
}

/// What `submissions/toc` and `submissions/provisions` draw from: the parts
/// of the round page they use, under the same names.
#[derive(Serialize)]
struct ProvisionsPart<'a> {
    lang: &'static str,
    page: ProvisionsPage<'a>,
}

#[derive(Serialize)]
struct ProvisionsPage<'a> {
    base: &'a str,
    slug: &'a str,
    number: i32,
    paging: &'a Option<PagingView>,
    /// Whether the form is shown (what it holds is drawn by the page).
    form: bool,
    provisions: &'a [ProvisionView],
    has_previous: bool,
    errors: &'a FieldErrors,
}

/// The contents and the provisions of `view`, drawn on their own: every
/// partial of a page, its layout among them, works on a copy of the whole
/// page's data, which the provisions would make several times larger.
fn parts_html(ctx: &Ctx, view: &RoundPage) -> Result<(String, String), AppError> {
    let part = part(ctx, view);
    let templates = &ctx.state.templates;
    Ok((
        templates.render("submissions/toc", &part)?,
        templates.render("submissions/provisions", &part)?,
    ))
}

fn part<'a>(ctx: &Ctx, view: &'a RoundPage) -> ProvisionsPart<'a> {
    ProvisionsPart {
        lang: ctx.locale.as_str(),
        page: ProvisionsPage {
            base: &view.base,
            slug: &view.slug,
            number: view.number,
            paging: &view.paging,
            form: view.form.is_some(),
            provisions: &view.provisions,
            has_previous: view.has_previous,
            errors: &view.errors,
        },
    }
}

/// The review step (`submissions/review`) as HTML, its rows drawn on their
/// own as the round page's provisions are.
pub(super) fn review_html(ctx: &Ctx, mut view: RoundPage, title: &str) -> Result<String, AppError> {
    let rows = ctx
        .state
        .templates
        .render("submissions/review_rows", &part(ctx, &view))?;
    view.provisions_html = rows;
    view.provisions = vec![];
    ctx.render_html("submissions/review", title, &view)
}

/// The round page (`submissions/round`) as HTML, drawn whole.
fn round_html(ctx: &Ctx, view: RoundPage, title: &str) -> Result<String, AppError> {
    let (toc, provisions) = parts_html(ctx, &view)?;
    with_parts(ctx, view, title, toc, provisions)
}

/// The round page with its contents and provisions set in. They are set into
/// the drawn page rather than handed to Handlebars, whose partials (the
/// layout among them) each work on a copy of the page's data, HTML and all.
fn with_parts(
    ctx: &Ctx,
    mut view: RoundPage,
    title: &str,
    toc: String,
    provisions: String,
) -> Result<String, AppError> {
    view.provisions = vec![];
    if let Some(paging) = &mut view.paging {
        paging.toc = vec![];
    }
    (view.toc_html, view.provisions_html) = (TOC_PART.into(), PROVISIONS_PART.into());
    let shell = ctx.render_html("submissions/round", title, &view)?;
    if let Some(page) = set_in(&shell, [(TOC_PART, &toc), (PROVISIONS_PART, &provisions)]) {
        return Ok(page);
    }
    // What the reader typed quotes a mark: the parts go through Handlebars.
    (view.toc_html, view.provisions_html) = (toc, provisions);
    ctx.render_html("submissions/round", title, &view)
}

/// Page `at` of the round form as HTML; `input` as for `page`. Its contents
/// and provisions come from the round's skeleton of that page, filled with
/// the participant's answers (and, in a round that follows another, their
/// answers then); a page with errors beside the fields, which the skeleton
/// has no slots for, is drawn whole.
pub(super) fn form_html(
    ctx: &Ctx,
    data: &RoundData,
    input: Option<&Input>,
    errors: FieldErrors,
    at: usize,
    title: &str,
) -> Result<String, AppError> {
    let drawn_whole = !ctx.state.settings.server.form_skeletons || !errors.is_empty();
    let key = form_key(ctx, data, at);
    let skeleton = if drawn_whole {
        None
    } else {
        skeleton(ctx, data, key.clone(), at)?
    };
    let Some(skeleton) = skeleton else {
        let view = page(ctx, data, input, errors, View::Form(at));
        return round_html(ctx, view, title);
    };
    let shell_view = || {
        draw(
            ctx,
            data,
            input,
            FieldErrors::default(),
            View::Form(at),
            Parts::Shell,
        )
    };
    let view = draw(ctx, data, input, errors, View::Form(at), Parts::Shell);
    let blank = Input::default();
    let shown = input
        .or(data.stored.as_ref().map(|s| &s.input))
        .unwrap_or(&blank);
    let filled = skeleton.fill(shown, &data.earlier_answers);
    let shell = match shell::shape(ctx, &view, title) {
        Some(shape) => data.form_shell((key, shape), || shell::make(ctx, shell_view(), title))?,
        None => None,
    };
    match shell {
        Some(shell) => Ok(shell.fill(ctx, &view, &filled.toc, &filled.provisions)),
        None => with_parts(ctx, view, title, filled.toc, filled.provisions),
    }
}

/// What the skeleton of the form's page `at` depends on, as this reader
/// sees it.
fn form_key(ctx: &Ctx, data: &RoundData, at: usize) -> FormKey {
    FormKey {
        locale: ctx.locale,
        original: ctx.reading().original,
        changes: data.previous.is_some() && ctx.query_has("view=changes"),
        page: at,
        base: base_path(data),
        form: data.may_submit(ctx.user.as_ref()).is_ok(),
    }
}

/// The skeleton of the form's page `at` under `key`, made once per cached
/// round.
fn skeleton(
    ctx: &Ctx,
    data: &RoundData,
    key: FormKey,
    at: usize,
) -> Result<Option<std::sync::Arc<FormSkeleton>>, AppError> {
    data.form_skeleton(key, || {
        // Drawn for nobody in particular: every answer is a mark.
        let mut view = page(
            ctx,
            data,
            Some(&Input::default()),
            FieldErrors::default(),
            View::Form(at),
        );
        let mut marks = Marks::default();
        if view.form.is_some() {
            mark_answers(&mut view, &mut marks);
        }
        let earlier = if view.provisions.iter().any(|p| p.earlier.is_some()) {
            match earlier_pieces(ctx)? {
                Some(pieces) => Some(pieces),
                None => return Ok(None),
            }
        } else {
            None
        };
        let (toc, provisions) = parts_html(ctx, &view)?;
        Ok(FormSkeleton::parse(
            marks,
            &toc,
            &provisions,
            answered_mark(ctx.locale),
            earlier,
            ctx.locale,
        ))
    })
}

/// Puts a mark wherever the form shows the participant's answers.
fn mark_answers(view: &mut RoundPage, marks: &mut Marks) {
    for p in &mut view.provisions {
        let key = &p.key;
        for (choice, stance) in p.stances.iter_mut().zip(Stance::ALL.iter().copied()) {
            choice.checked = marks.mark(Slot::Checked(key.clone(), stance)).into();
        }
        p.comment = marks.mark(Slot::Comment(key.clone()));
        p.proposed_text = marks.mark(Slot::ProposedText(key.clone()));
        p.proposal_open = marks.mark(Slot::ProposalOpen(key.clone())).into();
        // A long draft's contents count answers per line instead.
        if view.paging.is_none() {
            p.answered_mark = marks.mark(Slot::AnsweredMark(key.clone())).into();
        }
        if let Some(earlier) = &mut p.earlier {
            p.changed_mind = marks.mark(Slot::ChangedMind(key.clone()));
            earlier.answer = Some(marks.mark(Slot::EarlierAnswer(key.clone())));
        }
    }
    for entry in view.paging.iter_mut().flat_map(|p| &mut p.toc) {
        entry.answered = Answered::Mark(marks.mark(Slot::AnsweredOf(entry.members.clone())));
    }
}

/// Every variant of a participant's answer in the earlier round, in the
/// reader's language, drawn by the partials that draw it in a whole form;
/// `None` if a translation happens to hold the mark of a value.
fn earlier_pieces(ctx: &Ctx) -> Result<Option<EarlierPieces>, AppError> {
    #[derive(Serialize)]
    struct Part {
        lang: &'static str,
        earlier: Answer,
    }
    #[derive(Serialize, Default)]
    struct Answer {
        stance_key: Option<String>,
        comment: &'static str,
        disposition_key: Option<&'static str>,
        disposition_reason_html: &'static str,
    }
    let draw = |partial: &str, earlier: Answer| {
        let part = Part {
            lang: ctx.locale.as_str(),
            earlier,
        };
        ctx.state
            .templates
            .render(&format!("partials/earlier_{partial}"), &part)
    };
    let mut stances = vec![(None, draw("stance", Answer::default())?)];
    for stance in Stance::ALL {
        let answer = Answer {
            stance_key: Some(stance.label_key()),
            ..Answer::default()
        };
        stances.push((Some(*stance), draw("stance", answer)?));
    }
    let comment = draw(
        "comment",
        Answer {
            comment: VALUE,
            ..Answer::default()
        },
    )?;
    let Some(comment) = EarlierPieces::around(&comment) else {
        return Ok(None);
    };
    let mut decisions = vec![];
    for disposition in Disposition::ALL {
        let decided = |reason| Answer {
            disposition_key: Some(disposition.label_key()),
            disposition_reason_html: reason,
            ..Answer::default()
        };
        let plain = draw("decision", decided(""))?;
        let Some(around) = EarlierPieces::around(&draw("decision", decided(VALUE))?) else {
            return Ok(None);
        };
        decisions.push((*disposition, plain, around));
    }
    Ok(Some(EarlierPieces {
        stances,
        comment,
        decisions,
    }))
}

/// What the contents say beside an answered provision.
fn answered_mark(locale: crate::codes::Locale) -> String {
    let answered = handlebars::html_escape(&crate::i18n::t(locale, "toc-answered"));
    format!(" <span class=\"answered\">{answered}</span>")
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
