//! Organizer pages: consultations, draft import with preview, rounds and the
//! actions on them. Every action is a POST that redirects back (303) with a
//! flash message, after a page that says what will happen.

mod analysts;
mod common;
mod consultations;
mod drafts;
mod rounds;
mod translations;

pub use analysts::{add_analyst, remove_analyst};
pub use consultations::{create_consultation, manage, new_consultation, update_consultation};
pub use drafts::{import_draft, new_draft};
pub use rounds::{confirm, create_round, round_action, round_settings, save_round_settings};
pub use translations::{import_translation, new_translation};
