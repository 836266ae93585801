//! The public report, rendered from its stored snapshot (never recomputed),
//! its open data, and the organizers' preview, responses and moderation.
//!
//! A report is an overview page (participation, every provision's verdict,
//! the general comments, the methodology) and one page per provision (its
//! text, chart, table, response, campaigns and published texts, fifty at a
//! time), so every page stays light whatever the round's size.

mod exports;
mod heard;
mod load;
mod movement;
mod preview;
mod public;
mod search;
pub(super) mod views;

pub use exports::{movement_csv, report_csv, report_json};
pub use preview::{hide, preview, preview_provision, respond, retry};
pub use public::{general_texts, provision, report};
pub use search::{search, text};
