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
