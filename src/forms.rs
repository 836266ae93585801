//! What a form shows next to each field that was refused: the field's id and
//! the Fluent message that explains the problem. Accounts, submissions and
//! the organizers' forms all report their errors this way.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the control the error belongs to.
    pub field: std::borrow::Cow<'static, str>,
    pub message: &'static str,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError {
            field: field.into(),
            message,
        });
    }

    pub fn add_for(&mut self, field: String, message: &'static str) {
        self.0.push(FieldError {
            field: field.into(),
            message,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn single(field: &'static str, message: &'static str) -> Self {
        let mut e = Self::default();
        e.add(field, message);
        e
    }
}

/// Unicode's bidirectional embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069). Typed into a name they can make the rest
/// of a published line read backwards ("… France · Support" shown ending in
/// "Oppose"); text in any script reads right without them, since every page
/// marks user text `dir="auto"`.
pub fn without_bidi_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if text.contains(control) {
        text.replace(control, "").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::without_bidi_controls;

    #[test]
    fn bidirectional_controls_are_removed_and_other_text_is_kept() {
        assert_eq!(
            without_bidi_controls("Mallory \u{202E}esoppO"),
            "Mallory esoppO"
        );
        assert_eq!(
            without_bidi_controls(
                "\u{2066}a\u{2067}b\u{2068}c\u{2069}\u{202A}\u{202B}\u{202C}\u{202D}"
            ),
            "abc"
        );
        // Arabic and Hebrew need no control characters; the marks LRM/RLM stay.
        assert_eq!(
            without_bidi_controls("مرحبا שלום \u{200F}"),
            "مرحبا שלום \u{200F}"
        );
    }
}
