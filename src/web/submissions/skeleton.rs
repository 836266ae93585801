//! The round form as a skeleton: its contents and provisions drawn once per
//! round, language, page and view, with marks where a participant's own
//! answers go, then filled for each participant. Only the answers differ
//! from one participant's form to the next, and drawing everything else
//! through Handlebars again for every signed-in page view was most of its
//! CPU.

use crate::analysis::Disposition;
use crate::codes::Locale;
use crate::submissions::earlier::EarlierAnswer;
use crate::submissions::{Input, Stance};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A value the participant's answers decide: drawn as it is, or, in a
/// skeleton, the mark of the slot it fills.
pub(super) type Own = Cow<'static, str>;

/// An attribute (` checked`, ` open`) that is there or not.
pub(super) fn attribute(present: bool, attribute: &'static str) -> Own {
    Cow::Borrowed(if present { attribute } else { "" })
}

/// Where a participant's own value goes; provisions by their key.
pub(super) enum Slot {
    /// ` checked` on the radio of this stance.
    Checked(String, Stance),
    /// ` open` on the proposal's disclosure when there is a proposal.
    ProposalOpen(String),
    Comment(String),
    ProposedText(String),
    /// The contents' "answered" beside an answered provision.
    AnsweredMark(String),
    /// How many of these provisions are answered (a line of a long draft's
    /// contents).
    AnsweredOf(Vec<String>),
    /// "What changed my mind" in a round that follows another.
    ChangedMind(String),
    /// The participant's own answer in the round this one follows.
    EarlierAnswer(String),
}

/// Private-use characters, which the templates' escaping leaves as they are:
/// `OPEN` slot number `CLOSE`.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Where the contents and the provisions go in the page drawn around them.
pub(super) const TOC_PART: &str = "\u{E000}toc\u{E001}";
pub(super) const PROVISIONS_PART: &str = "\u{E000}provisions\u{E001}";

/// `page` with each part in place of its mark; `None` unless each mark is
/// there once, in this order.
pub(super) fn set_in(page: &str, parts: [(&str, &str); 2]) -> Option<String> {
    if parts
        .iter()
        .any(|(mark, _)| page.matches(mark).count() != 1)
    {
        return None;
    }
    let mut out =
        String::with_capacity(page.len() + parts.iter().map(|(_, p)| p.len()).sum::<usize>());
    let mut rest = page;
    for (mark, part) in parts {
        let (before, after) = rest.split_once(mark)?;
        out.push_str(before);
        out.push_str(part);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

/// Marks handed out while a skeleton's view is made, one per slot.
pub(super) struct Marks<S = Slot> {
    /// What every mark starts with.
    open: String,
    slots: Vec<S>,
}

impl Default for Marks {
    fn default() -> Self {
        Self {
            open: OPEN.to_string(),
            slots: vec![],
        }
    }
}

impl<S> Marks<S> {
    /// Marks that no text can quote: each starts with `nonce`.
    pub(super) fn with_nonce(nonce: &str) -> Self {
        Self {
            open: format!("{OPEN}{nonce}"),
            slots: vec![],
        }
    }

    pub(super) fn mark(&mut self, slot: S) -> String {
        self.slots.push(slot);
        format!("{}{}{CLOSE}", self.open, self.slots.len() - 1)
    }

    pub(super) fn slot(&self, n: usize) -> Option<&S> {
        self.slots.get(n)
    }

    pub(super) fn into_slots(self) -> Vec<S> {
        self.slots
    }

    /// `html` split at these marks; `None` for a malformed mark or one
    /// `take` refuses (by slot number).
    pub(super) fn split(&self, html: &str, take: impl FnMut(usize) -> bool) -> Option<Pieces> {
        Pieces::parse(html, &self.open, take)
    }
}

/// Static HTML, each piece followed by the slot (by number) that comes next.
pub(super) struct Pieces(Vec<(String, Option<usize>)>);

pub struct FormSkeleton {
    toc: Pieces,
    provisions: Pieces,
    slots: Vec<Slot>,
    /// What `Slot::AnsweredMark` holds for an answered provision.
    answered_mark: String,
    /// What `Slot::EarlierAnswer` is made of, in a round that follows another.
    earlier: Option<EarlierPieces>,
    locale: Locale,
}

/// Where a value goes in a piece drawn around it: the participant's text
/// in the earlier round, drawn by `EarlierPieces::around`.
pub(super) const VALUE: &str = "\u{E002}";

/// A participant's answer in the earlier round, in every variant the
/// templates draw it (`partials/earlier_stance`, `_comment`, `_decision`),
/// drawn once per skeleton: it differs by participant, and drawing it
/// through Handlebars for each provision of each page view would cost more
/// than the rest of the form.
pub(super) struct EarlierPieces {
    /// The stance line for no stance and for each stance.
    pub(super) stances: Vec<(Option<Stance>, String)>,
    /// Before and after the comment, when there is one.
    pub(super) comment: (String, String),
    /// For each disposition: the decision with no reason, and before and
    /// after its reason.
    pub(super) decisions: Vec<(Disposition, String, (String, String))>,
}

impl EarlierPieces {
    /// What comes before and after `VALUE` in `html`; `None` when it is not
    /// there once.
    pub(super) fn around(html: &str) -> Option<(String, String)> {
        let (before, after) = html.split_once(VALUE)?;
        (!after.contains(VALUE)).then(|| (before.to_string(), after.to_string()))
    }

    fn draw(&self, out: &mut String, answer: Option<&EarlierAnswer>) {
        let stance = answer.and_then(|a| a.stance);
        if let Some((_, html)) = self.stances.iter().find(|(s, _)| *s == stance) {
            out.push_str(html);
        }
        let Some(answer) = answer else { return };
        if !answer.comment.is_empty() {
            let (before, after) = &self.comment;
            out.push_str(before);
            out.push_str(&handlebars::html_escape(&answer.comment));
            out.push_str(after);
        }
        let decision = self
            .decisions
            .iter()
            .find(|(d, _, _)| Some(*d) == answer.disposition);
        if let Some((_, plain, (before, after))) = decision {
            let reason = answer
                .disposition_reason
                .as_deref()
                .map(crate::markdown::to_html)
                .unwrap_or_default();
            if reason.is_empty() {
                out.push_str(plain);
            } else {
                out.push_str(before);
                out.push_str(&reason);
                out.push_str(after);
            }
        }
    }
}

/// The contents and the provisions of one participant's form.
pub(super) struct Filled {
    pub(super) toc: String,
    pub(super) provisions: String,
}

impl FormSkeleton {
    /// The skeleton of the two parts drawn with `marks`; `None` when their
    /// marks cannot be told apart from the text (a draft quoting one), so
    /// that the form is drawn whole instead.
    pub(super) fn parse(
        marks: Marks,
        toc: &str,
        provisions: &str,
        answered_mark: String,
        earlier: Option<EarlierPieces>,
        locale: Locale,
    ) -> Option<Self> {
        let mut seen = vec![false; marks.slots.len()];
        let mut once = |n: usize| seen.get_mut(n).is_some_and(|s| !std::mem::replace(s, true));
        let toc = marks.split(toc, &mut once)?;
        let provisions = marks.split(provisions, &mut once)?;
        seen.iter().all(|s| *s).then_some(Self {
            toc,
            provisions,
            slots: marks.slots,
            answered_mark,
            earlier,
            locale,
        })
    }

    /// The parts with `shown`'s answers, and `earlier`'s beside them in a
    /// round that follows another, as the templates would draw them.
    pub(super) fn fill(&self, shown: &Input, earlier: &BTreeMap<String, EarlierAnswer>) -> Filled {
        Filled {
            toc: self.fill_part(&self.toc, shown, earlier),
            provisions: self.fill_part(&self.provisions, shown, earlier),
        }
    }

    fn fill_part(
        &self,
        part: &Pieces,
        shown: &Input,
        earlier: &BTreeMap<String, EarlierAnswer>,
    ) -> String {
        let given = |key: &String| shown.positions.get(key);
        let stance = |key: &String| given(key).and_then(|g| g.stance);
        part.fill(|out, n| match &self.slots[n] {
            Slot::Checked(key, s) => {
                out.push_str(&attribute(stance(key) == Some(*s), " checked"));
            }
            Slot::ProposalOpen(key) => out.push_str(&attribute(
                given(key).is_some_and(|g| !g.proposed_text.is_empty()),
                " open",
            )),
            Slot::Comment(key) => {
                if let Some(g) = given(key) {
                    out.push_str(&handlebars::html_escape(&g.comment));
                }
            }
            Slot::ProposedText(key) => {
                if let Some(g) = given(key) {
                    out.push_str(&handlebars::html_escape(&g.proposed_text));
                }
            }
            Slot::AnsweredMark(key) => {
                if stance(key).is_some() {
                    out.push_str(&self.answered_mark);
                }
            }
            Slot::AnsweredOf(members) => {
                let answered = members.iter().filter(|key| stance(key).is_some()).count();
                out.push_str(&answered_count(self.locale, answered));
            }
            Slot::ChangedMind(key) => {
                if let Some(g) = given(key) {
                    out.push_str(&handlebars::html_escape(&g.changed_mind));
                }
            }
            Slot::EarlierAnswer(key) => {
                if let Some(pieces) = &self.earlier {
                    pieces.draw(out, earlier.get(key));
                }
            }
        })
    }
}

/// A count as the `t` helper writes a number into a message.
pub(super) fn answered_count(locale: Locale, n: usize) -> String {
    crate::i18n::numbers::format_decimal(locale, &n.to_string())
}

impl Pieces {
    /// Splits `html` at the marks that start with `open`, each slot number
    /// passed to `take`; `None` for a malformed mark or one it refuses.
    fn parse(html: &str, open: &str, mut take: impl FnMut(usize) -> bool) -> Option<Self> {
        let mut pieces = vec![];
        let mut rest = html;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            let end = after.find(CLOSE)?;
            let n: usize = after[..end].parse().ok()?;
            if !take(n) {
                return None;
            }
            pieces.push((rest[..start].to_string(), Some(n)));
            rest = &after[end + CLOSE.len_utf8()..];
        }
        pieces.push((rest.to_string(), None));
        Some(Self(pieces))
    }

    /// The HTML with each slot as `slot` writes it (by number).
    pub(super) fn fill(&self, mut slot: impl FnMut(&mut String, usize)) -> String {
        let mut out = String::with_capacity(self.0.iter().map(|(html, _)| html.len()).sum());
        for (html, n) in &self.0 {
            out.push_str(html);
            if let Some(n) = n {
                slot(&mut out, *n);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submissions::form::PositionInput;

    #[test]
    fn a_skeleton_is_filled_with_each_participants_escaped_answers() {
        let mut marks = Marks::default();
        let html = format!(
            "<input{}><textarea>{}</textarea><details{}>",
            marks.mark(Slot::Checked("art-1".into(), Stance::Oppose)),
            marks.mark(Slot::Comment("art-1".into())),
            marks.mark(Slot::ProposalOpen("art-1".into())),
        );
        let toc = format!(
            "<p>{} of 1</p>",
            marks.mark(Slot::AnsweredOf(vec!["art-1".into()]))
        );
        let skeleton = FormSkeleton::parse(marks, &toc, &html, String::new(), None, Locale::En);
        let skeleton = skeleton.expect("a skeleton");
        let mut input = Input::default();
        input.positions.insert(
            "art-1".into(),
            PositionInput {
                stance: Some(Stance::Oppose),
                comment: "<b>\"&'".into(),
                ..PositionInput::default()
            },
        );
        let filled = skeleton.fill(&input, &BTreeMap::new());
        assert_eq!(
            filled.provisions,
            "<input checked><textarea>&lt;b&gt;&quot;&amp;&#x27;</textarea><details>"
        );
        assert_eq!(filled.toc, "<p>1 of 1</p>");
        let blank = skeleton.fill(&Input::default(), &BTreeMap::new());
        assert_eq!(blank.provisions, "<input><textarea></textarea><details>");
    }

    #[test]
    fn parts_are_set_in_once_each_in_order() {
        let page = format!("<nav>{TOC_PART}</nav><form>{PROVISIONS_PART}</form>");
        let parts = [(TOC_PART, "<ol></ol>"), (PROVISIONS_PART, "<p>a</p>")];
        let set = set_in(&page, parts);
        assert_eq!(
            set.as_deref(),
            Some("<nav><ol></ol></nav><form><p>a</p></form>")
        );
        let quoted = format!("<b>{TOC_PART}</b>{page}");
        assert_eq!(set_in(&quoted, parts), None);
    }

    #[test]
    fn a_text_quoting_a_mark_leaves_no_skeleton() {
        let mut marks = Marks::default();
        let mark = marks.mark(Slot::Comment("art-1".into()));
        let html = format!("{mark}<p>{mark}</p>");
        assert!(FormSkeleton::parse(marks, "", &html, String::new(), None, Locale::En).is_none());
        let mut marks = Marks::default();
        let _unused = marks.mark(Slot::Comment("art-1".into()));
        assert!(
            FormSkeleton::parse(marks, "", "<p></p>", String::new(), None, Locale::En).is_none()
        );
    }
}
