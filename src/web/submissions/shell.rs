//! The round page around the form, as a skeleton too. Once the form comes
//! from its skeleton, drawing the rest of the page through Handlebars (the
//! round's facts, the draft's introduction, the layout) was most of a
//! signed-in page's CPU, and it is the same for every participant but for a
//! few values: their CSRF token, how many provisions they answered, their
//! general comment. It is drawn once per view of the round (`FormKey`) and
//! shape of the participant's standing (`Shape`), with marks where those
//! values go.

use super::form_page::{Answered, RoundPage};
use super::skeleton::{Marks, Pieces, answered_count};
use crate::accounts::tokens;
use crate::submissions::Disclosure;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, LayoutMarks};
use handlebars::html_escape;

/// What of a participant's standing changes the page's structure, not just
/// a value in it: each shape has a shell of its own.
#[derive(Clone, Hash, PartialEq, Eq)]
pub struct Shape {
    title: String,
    organizer: bool,
    analyst: bool,
    state: &'static str,
    days_left: i64,
    status: Option<&'static str>,
    pending: bool,
    receipt: bool,
    /// The organization whose official submission the form edits, and
    /// whether the member signs it.
    official: Option<(String, bool)>,
    /// In a round that follows another: whether "start from my previous
    /// answers" has anything to carry over, and whether answers then went
    /// to provisions since removed.
    earlier: Option<(bool, bool)>,
}

enum Slot {
    Csrf,
    FormToken,
    SwitchHref,
    Answered,
    Receipt,
    GeneralComment,
    Disclosure(Disclosure),
    StartHint,
    Removed,
    Toc,
    Provisions,
}

pub struct Shell {
    pieces: Pieces,
    slots: Vec<Slot>,
}

/// The shape of `view` for this reader; `None` when the page is not one a
/// shell draws: no form, errors beside fields, or a message to show once.
pub(super) fn shape(ctx: &Ctx, view: &RoundPage, title: &str) -> Option<Shape> {
    let (signed_in, organizer, analyst, flash) = ctx.layout_shape();
    let form = view.form.as_ref()?;
    if !signed_in || flash || !view.errors.is_empty() {
        return None;
    }
    Some(Shape {
        title: title.to_string(),
        organizer,
        analyst,
        state: view.state,
        days_left: view.days_left,
        status: form.status,
        pending: form.pending,
        receipt: form.receipt_code.is_some(),
        official: view
            .official
            .as_ref()
            .map(|o| (o.name.clone(), o.signatory)),
        earlier: view
            .earlier
            .as_ref()
            .map(|e| (e.carriable > 0, !e.removed.is_empty())),
    })
}

/// The shell of `view` (drawn for the reader whose shape it has), with a
/// mark wherever a participant's own value goes; `None` if the contents or
/// the provisions would not go in once each.
pub(super) fn make(ctx: &Ctx, mut view: RoundPage, title: &str) -> Result<Option<Shell>, AppError> {
    // Marks no text of the round can quote.
    let mut marks = Marks::with_nonce(&tokens::generate());
    let csrf = marks.mark(Slot::Csrf);
    let switch_href = marks.mark(Slot::SwitchHref);
    let form_token = marks.mark(Slot::FormToken);
    if let Some(form) = &mut view.form {
        form.csrf.clone_from(&csrf);
        form.answered = Answered::Mark(marks.mark(Slot::Answered));
        if form.receipt_code.is_some() {
            form.receipt_code = Some(marks.mark(Slot::Receipt));
        }
        form.general_comment = marks.mark(Slot::GeneralComment);
        for choice in &mut form.disclosures {
            if let Some(d) = Disclosure::ALL.iter().find(|d| d.as_str() == choice.value) {
                choice.checked = marks.mark(Slot::Disclosure(*d)).into();
            }
        }
    }
    if let Some(earlier) = &mut view.earlier {
        earlier.start_hint = marks.mark(Slot::StartHint);
        if !earlier.removed.is_empty() {
            earlier.removed = vec![marks.mark(Slot::Removed)];
        }
    }
    view.toc_html = marks.mark(Slot::Toc);
    view.provisions_html = marks.mark(Slot::Provisions);
    let layout = LayoutMarks {
        csrf: &csrf,
        switch_href: &switch_href,
        form_token: &form_token,
    };
    let html = ctx.render_marked("submissions/round", title, &view, &layout)?;
    let mut parts = 0;
    let pieces = marks.split(&html, |n| {
        parts += usize::from(matches!(marks.slot(n), Some(Slot::Toc | Slot::Provisions)));
        marks.slot(n).is_some()
    });
    Ok(pieces.filter(|_| parts == 2).map(|pieces| Shell {
        pieces,
        slots: marks.into_slots(),
    }))
}

impl Shell {
    /// The page for the reader `view` was drawn for, with its contents and
    /// provisions.
    pub(super) fn fill(&self, ctx: &Ctx, view: &RoundPage, toc: &str, provisions: &str) -> String {
        let form = view.form.as_ref();
        let earlier = view.earlier.as_ref();
        self.pieces.fill(|out, n| match &self.slots[n] {
            Slot::Csrf => out.push_str(&html_escape(form.map_or("", |f| &f.csrf))),
            Slot::FormToken => out.push_str(&tokens::generate()),
            Slot::SwitchHref => out.push_str(&html_escape(&ctx.switch_href())),
            Slot::Answered => {
                if let Some(Answered::Count(n)) = form.map(|f| &f.answered) {
                    out.push_str(&answered_count(ctx.locale, *n));
                }
            }
            Slot::Receipt => {
                if let Some(code) = form.and_then(|f| f.receipt_code.as_deref()) {
                    out.push_str(&html_escape(code));
                }
            }
            Slot::GeneralComment => {
                out.push_str(&html_escape(form.map_or("", |f| &f.general_comment)));
            }
            Slot::Disclosure(d) => {
                let choices = form.iter().flat_map(|f| &f.disclosures);
                if let Some(choice) = choices.into_iter().find(|c| c.value == d.as_str()) {
                    out.push_str(&choice.checked);
                }
            }
            Slot::StartHint => out.push_str(&html_escape(earlier.map_or("", |e| &e.start_hint))),
            Slot::Removed => {
                let removed = earlier.iter().flat_map(|e| &e.removed);
                let escaped: Vec<String> = removed.map(|r| html_escape(r)).collect();
                out.push_str(&escaped.join(", "));
            }
            Slot::Toc => out.push_str(toc),
            Slot::Provisions => out.push_str(provisions),
        })
    }
}
