//! The receipt e-mail: the code and a copy of every answer, in the
//! participant's language.

use super::{Composed, Kind, Message, Notifier};
use crate::accounts::User;
use crate::consultations::Consultation;
use crate::drafts::Provision;
use crate::i18n::reading::{Reading, title_of};
use crate::rounds::Round;
use crate::submissions::{Input, Stance};
use crate::templates::TemplateError;
use serde::Serialize;
use time::PrimitiveDateTime;

#[derive(Serialize)]
struct ReceiptPosition {
    label: String,
    heading: String,
    lang: &'static str,
    stance_key: String,
    comment: String,
    proposed_text: String,
}

#[derive(Serialize)]
struct ReceiptEmail {
    name: String,
    title: String,
    round: i32,
    code: String,
    submitted_at: String,
    general_comment: String,
    positions: Vec<ReceiptPosition>,
}

/// What the receipt is about: the round, its draft's provisions and the
/// language that draft was written in.
pub struct Answered<'a> {
    pub consultation: &'a Consultation,
    pub round: &'a Round,
    pub provisions: &'a [Provision],
    pub draft_locale: &'a str,
}

/// The receipt for `code`, rendered (without touching the database) so that
/// it can be queued inside the write that stores the submission.
pub fn compose(
    notifier: &Notifier,
    to: &User,
    about: &Answered,
    input: &Input,
    code: &str,
    now: PrimitiveDateTime,
) -> Result<Composed, TemplateError> {
    let locale = to.locale();
    // The copy of the answers reads like the form the participant saw.
    let reading = Reading {
        locale,
        original: false,
    };
    notifier.compose(&Message {
        kind: Kind::Receipt,
        to: &to.email,
        locale,
        dedup_key: Some(format!("receipt:{code}")),
        data: ReceiptEmail {
            name: to.display_name.clone(),
            title: title_of(about.consultation, locale).text,
            round: about.round.number,
            code: code.to_string(),
            submitted_at: crate::i18n::format_datetime(locale, now.assume_utc()),
            general_comment: input.general_comment.clone(),
            positions: about
                .provisions
                .iter()
                .map(|p| {
                    let given = input
                        .positions
                        .get(&p.provision_key)
                        .cloned()
                        .unwrap_or_default();
                    let (label, heading, _) = reading.provision(p, about.draft_locale);
                    ReceiptPosition {
                        label,
                        heading: heading.text,
                        lang: heading.lang,
                        stance_key: given.stance.unwrap_or(Stance::NoPosition).label_key(),
                        comment: given.comment,
                        proposed_text: given.proposed_text,
                    }
                })
                .collect(),
        },
    })
}
