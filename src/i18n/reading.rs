//! Texts that may carry a translation, shown in the reader's language.

use crate::codes::Locale;
use crate::consultations::Consultation;
use crate::drafts;
use serde::Serialize;

/// A text in the reader's language when a translation exists, marked with its
/// language so screen readers pronounce it right.
#[derive(Serialize)]
pub struct Text {
    pub text: String,
    pub lang: &'static str,
}

pub fn localized(
    original: &str,
    original_locale: &str,
    translation: Option<&str>,
    reader: Locale,
) -> Text {
    let original_locale = Locale::parse(original_locale).unwrap_or_default();
    match translation {
        Some(t) if reader != original_locale && !t.trim().is_empty() => Text {
            text: t.to_string(),
            lang: reader.as_str(),
        },
        _ => Text {
            text: original.to_string(),
            lang: original_locale.as_str(),
        },
    }
}

pub fn title_of(c: &Consultation, reader: Locale) -> Text {
    localized(&c.title, &c.locale, c.translated_title.as_deref(), reader)
}

/// What a reader is shown of texts that may carry a translation: their own
/// language where one exists, unless they asked for the originals
/// (`?original=1`, which the changes view implies: it compares originals).
#[derive(Clone, Copy)]
pub struct Reading {
    pub locale: Locale,
    pub original: bool,
}

impl Reading {
    pub fn text(self, original: &str, original_locale: &str, translation: Option<&str>) -> Text {
        localized(
            original,
            original_locale,
            translation.filter(|_| !self.original),
            self.locale,
        )
    }

    pub fn title_of(self, c: &Consultation) -> Text {
        self.text(&c.title, &c.locale, c.translated_title.as_deref())
    }

    /// Whether a translation into the reader's language exists, so that one of
    /// the two texts is worth a link to the other.
    pub fn has_translation(self, original_locale: &str, translation: Option<&str>) -> bool {
        Locale::parse(original_locale).unwrap_or_default() != self.locale
            && translation.is_some_and(|t| !t.trim().is_empty())
    }

    /// A provision's label, heading and body, the label following the heading
    /// ("Recommandation 1.2" goes with the French heading).
    pub fn provision(self, p: &drafts::Provision, draft_locale: &str) -> (String, Text, Text) {
        let heading = self.text(&p.heading, draft_locale, p.translated_heading.as_deref());
        let body = self.text(&p.body, draft_locale, p.translated_body.as_deref());
        let translated = Locale::parse(draft_locale).unwrap_or_default().as_str() != heading.lang;
        let label = match &p.translated_label {
            Some(l) if translated => l.clone(),
            _ => p.label.clone(),
        };
        (label, heading, body)
    }

    /// A division's label, heading and introductory text, as for a provision.
    pub fn division(self, d: &drafts::Division, draft_locale: &str) -> (String, Text, Text) {
        let heading = self.text(&d.heading, draft_locale, d.translated_heading.as_deref());
        let body = self.text(&d.body, draft_locale, d.translated_body.as_deref());
        let translated = Locale::parse(draft_locale).unwrap_or_default().as_str() != heading.lang;
        let label = match &d.translated_label {
            Some(l) if translated => l.clone(),
            _ => d.label.clone(),
        };
        (label, heading, body)
    }

    pub fn provision_translated(self, p: &drafts::Provision, draft_locale: &str) -> bool {
        self.has_translation(draft_locale, p.translated_heading.as_deref())
            || self.has_translation(draft_locale, p.translated_body.as_deref())
    }

    /// The line that says whether a translation or the original is shown and
    /// links (`href`, the same page with `original=1` toggled) to the other;
    /// `None` when the page has nothing translated. `originals` is the
    /// language the texts were written in.
    pub fn note(self, translated: bool, originals: &str, href: String) -> Option<TranslationNote> {
        let originals = Locale::parse(originals).unwrap_or_default();
        translated.then(|| TranslationNote {
            original: self.original,
            changes: false,
            language: super::t(self.locale, originals.name_key()),
            language_code: originals.as_str(),
            href,
        })
    }
}

/// "You are reading a translation — read the original in English" (or the
/// reverse), without JavaScript: a link to the same page with or without
/// `?original=1`.
#[derive(Serialize)]
pub struct TranslationNote {
    pub original: bool,
    /// The originals are shown because the page compares versions.
    pub changes: bool,
    /// The originals' language, named in the reader's.
    pub language: String,
    pub language_code: &'static str,
    pub href: String,
}
