//! The submission form as posted: `disclosure`, `general_comment`, and per
//! provision `stance[KEY]`, `comment[KEY]`, `proposed_text[KEY]`, parsed into
//! an `Input` or a list of errors naming each field. In a round that follows
//! another, `changed_mind[KEY]` says what changed the participant's mind.

use super::{Disclosure, MAX_COMMENT, MAX_GENERAL_COMMENT, Stance};
use crate::drafts::Provision;
use crate::forms::FieldErrors;
use crate::rounds::Attribution;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct PositionInput {
    pub stance: Option<Stance>,
    pub comment: String,
    pub proposed_text: String,
    /// What changed the participant's mind since the round this one follows.
    #[serde(default)]
    pub changed_mind: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Input {
    pub disclosure: Option<Disclosure>,
    pub general_comment: String,
    pub positions: BTreeMap<String, PositionInput>,
}

impl Input {
    /// The same answers, a provision left blank counting as one not given.
    pub fn same_answers(&self, other: &Input) -> bool {
        let blank = PositionInput::default();
        self.disclosure == other.disclosure
            && self.general_comment == other.general_comment
            && self
                .positions
                .keys()
                .chain(other.positions.keys())
                .all(|key| {
                    self.positions.get(key).unwrap_or(&blank)
                        == other.positions.get(key).unwrap_or(&blank)
                })
    }
}

crate::text_enum! {
    pub enum Action {
        Save => "save",
        Review => "review",
        Edit => "edit",
        Submit => "submit",
        Withdraw => "withdraw",
        Attachments => "attachments",
    }
}

/// A form that names provisions or codes this round does not have: refused
/// outright (422), since no honest browser sends it.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

pub struct Parsed {
    pub action: Action,
    pub input: Input,
    /// The page of a long draft the form was on (`page`); `None` when it
    /// held every provision.
    pub page: Option<String>,
    /// The page to show next, from a "save and continue" button (`go`).
    pub go: Option<String>,
    /// Problems the participant can fix; the form comes back with them.
    pub errors: FieldErrors,
}

fn bracketed<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    name.strip_prefix(prefix)?
        .strip_prefix('[')?
        .strip_suffix(']')
}

/// Carriage returns from browsers are normalized so lengths count characters
/// the participant sees.
fn text(value: &str) -> String {
    crate::forms::without_bidi_controls(value).replace("\r\n", "\n")
}

pub fn parse(
    pairs: &[(String, String)],
    provisions: &[Provision],
    attribution: Attribution,
) -> Result<Parsed, Malformed> {
    let known = |key: &str| provisions.iter().any(|p| p.provision_key == key);
    let mut input = Input::default();
    let mut action = None;
    let (mut page, mut go) = (None, None);
    for (name, value) in pairs {
        match name.as_str() {
            "csrf_token" | "form_token" => {}
            "page" => page = Some(value.clone()),
            "go" => go = Some(value.clone()),
            "action" => {
                action = Some(
                    Action::parse(value)
                        .ok_or_else(|| Malformed(format!("unknown action `{value}`")))?,
                )
            }
            "disclosure" if value.is_empty() => {}
            "disclosure" => {
                input.disclosure = Some(
                    Disclosure::parse(value)
                        .ok_or_else(|| Malformed(format!("unknown disclosure `{value}`")))?,
                )
            }
            "general_comment" => input.general_comment = text(value),
            other => {
                let (field, key) = ["stance", "comment", "proposed_text", "changed_mind"]
                    .iter()
                    .find_map(|f| bracketed(other, f).map(|k| (*f, k)))
                    .ok_or_else(|| Malformed(format!("unknown field `{other}`")))?;
                if !known(key) {
                    return Err(Malformed(format!("unknown provision `{key}`")));
                }
                let position = input.positions.entry(key.to_string()).or_default();
                match field {
                    "stance" if value.is_empty() => {}
                    "stance" => {
                        position.stance = Some(
                            Stance::parse(value)
                                .ok_or_else(|| Malformed(format!("unknown stance `{value}`")))?,
                        )
                    }
                    "comment" => position.comment = text(value),
                    "changed_mind" => position.changed_mind = text(value),
                    _ => position.proposed_text = text(value),
                }
            }
        }
    }
    let action = action.unwrap_or(Action::Save);
    // Only what was actually written is kept, so an untouched provision stays
    // unanswered rather than becoming an empty row.
    input.positions.retain(|_, p| {
        p.stance.is_some()
            || [&p.comment, &p.proposed_text, &p.changed_mind]
                .iter()
                .any(|t| !t.trim().is_empty())
    });
    let errors = check(&input, provisions, attribution, action);
    Ok(Parsed {
        action,
        input,
        page,
        go,
        errors,
    })
}

/// Where a posted page lands in the stored submission.
pub enum Part<'a> {
    /// These provisions, and the general comment and disclosure when `last`.
    Page { keys: &'a [String], last: bool },
    /// Nothing posted: the stored submission as it is (the review step).
    Stored,
}

impl Parsed {
    /// What a page of a long draft posted, laid over the stored submission:
    /// the page's provisions are replaced (one left blank is cleared), every
    /// other provision keeps what was stored, and the general comment and
    /// disclosure change only from the page that holds them. Errors are
    /// checked again on the whole.
    pub fn over(
        mut self,
        stored: Option<&Input>,
        part: Part,
        provisions: &[Provision],
        attribution: Attribution,
    ) -> Parsed {
        let mut whole = stored.cloned().unwrap_or_default();
        match part {
            Part::Stored => {}
            Part::Page { keys, last } => {
                whole.positions.retain(|k, _| !keys.contains(k));
                whole.positions.append(&mut self.input.positions);
                if last {
                    whole.general_comment = std::mem::take(&mut self.input.general_comment);
                    whole.disclosure = self.input.disclosure;
                }
            }
        }
        self.errors = check(&whole, provisions, attribution, self.action);
        self.input = whole;
        self
    }
}

fn check(
    input: &Input,
    provisions: &[Provision],
    attribution: Attribution,
    action: Action,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if input.general_comment.chars().count() > MAX_GENERAL_COMMENT {
        errors.add("general_comment", "submission-general-comment-long");
    }
    for p in provisions {
        let Some(position) = input.positions.get(&p.provision_key) else {
            continue;
        };
        if position.comment.chars().count() > MAX_COMMENT {
            errors.add_for(
                format!("comment-{}", p.provision_key),
                "submission-comment-long",
            );
        }
        if position.proposed_text.chars().count() > MAX_COMMENT {
            errors.add_for(
                format!("proposed_text-{}", p.provision_key),
                "submission-proposed-long",
            );
        }
        if position.changed_mind.chars().count() > MAX_COMMENT {
            errors.add_for(
                format!("changed_mind-{}", p.provision_key),
                "submission-changed-mind-long",
            );
        }
    }
    if let Some(d) = input.disclosure
        && attribution == Attribution::ChathamHouse
        && matches!(d, Disclosure::Attributed | Disclosure::Organization)
    {
        errors.add("disclosure", "submission-disclosure-chatham");
    }
    if matches!(action, Action::Review | Action::Submit) && input.disclosure.is_none() {
        errors.add("disclosure", "submission-disclosure-missing");
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DraftVersionId, ProvisionId};

    fn provisions() -> Vec<Provision> {
        ["art-1", "art-2"]
            .iter()
            .enumerate()
            .map(|(i, k)| Provision {
                id: ProvisionId(i as i64 + 1),
                draft_version_id: DraftVersionId(1),
                ordinal: i as i32 + 1,
                provision_key: k.to_string(),
                label: String::new(),
                heading: String::new(),
                body: "x".into(),
                translated_heading: None,
                translated_body: None,
                translated_label: None,
                division_key: None,
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_full_form_parses() {
        let parsed = parse(
            &pairs(&[
                ("action", "submit"),
                ("disclosure", "anonymous"),
                ("general_comment", "Overall fine.\r\nThanks"),
                ("stance[art-1]", "support"),
                ("comment[art-1]", "Good"),
                ("proposed_text[art-2]", "Better words"),
                ("stance[art-2]", "support_with_changes"),
            ]),
            &provisions(),
            Attribution::Open,
        )
        .unwrap();
        assert_eq!(parsed.action, Action::Submit);
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.input.general_comment, "Overall fine.\nThanks");
        assert_eq!(
            parsed.input.positions["art-1"].stance,
            Some(Stance::Support)
        );
        assert_eq!(
            parsed.input.positions["art-2"].proposed_text,
            "Better words"
        );
    }

    #[test]
    fn unknown_keys_and_codes_are_malformed() {
        for bad in [
            ("stance[art-9]", "support"),
            ("stance[art-1]", "maybe"),
            ("disclosure", "public"),
            ("action", "delete"),
            ("mystery", "x"),
        ] {
            assert!(
                parse(&pairs(&[bad]), &provisions(), Attribution::Open).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn fixable_problems_are_named_by_field() {
        let long = "x".repeat(MAX_COMMENT + 1);
        let parsed = parse(
            &pairs(&[
                ("action", "submit"),
                ("comment[art-2]", &long),
                ("disclosure", "attributed"),
            ]),
            &provisions(),
            Attribution::ChathamHouse,
        )
        .unwrap();
        assert!(parsed.errors.has("comment-art-2"));
        assert!(parsed.errors.has("disclosure"));
        let parsed = parse(
            &pairs(&[("action", "review")]),
            &provisions(),
            Attribution::Open,
        )
        .unwrap();
        assert!(parsed.errors.has("disclosure"));
        let parsed = parse(
            &pairs(&[("action", "save")]),
            &provisions(),
            Attribution::Open,
        )
        .unwrap();
        assert!(parsed.errors.is_empty(), "a draft may be saved unfinished");
    }

    #[test]
    fn a_page_replaces_its_own_provisions_and_keeps_the_others() {
        let stored = parse(
            &pairs(&[
                ("stance[art-1]", "oppose"),
                ("comment[art-1]", "Keep"),
                ("stance[art-2]", "support"),
                ("general_comment", "Overall"),
                ("disclosure", "anonymous"),
            ]),
            &provisions(),
            Attribution::Open,
        )
        .unwrap()
        .input;
        let keys = ["art-2".to_string()];
        let posted = parse(
            &pairs(&[("page", "p-2"), ("comment[art-2]", "Now a comment only")]),
            &provisions(),
            Attribution::Open,
        )
        .unwrap();
        assert_eq!(posted.page.as_deref(), Some("p-2"));
        let merged = posted.over(
            Some(&stored),
            Part::Page {
                keys: &keys,
                last: false,
            },
            &provisions(),
            Attribution::Open,
        );
        let input = merged.input;
        assert_eq!(input.positions["art-1"], stored.positions["art-1"]);
        assert_eq!(input.positions["art-2"].stance, None, "cleared on its page");
        assert_eq!(input.positions["art-2"].comment, "Now a comment only");
        assert_eq!(input.general_comment, "Overall", "not on this page");
        assert_eq!(input.disclosure, Some(Disclosure::Anonymous));
    }
}
