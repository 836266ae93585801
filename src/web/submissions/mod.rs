//! The round page (the participant's main page), the submission form with its
//! review step, the participant's own history, and receipts.

mod form_page;
mod history;
mod round;
mod shell;
mod skeleton;

pub(super) use shell::{Shape, Shell};
pub(super) use skeleton::FormSkeleton;

pub use history::{mine, official_mine, official_revision, receipt, revision};
pub use round::{official_round, official_submit, round, start_from_previous, submit};
