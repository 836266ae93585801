//! What changed between two versions of a draft, provision by provision
//! (matched by key) and word by word inside a provision.

use super::Provision;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Changed,
    Unchanged,
    Removed,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvisionChange {
    pub key: String,
    pub kind: ChangeKind,
    /// The body with `<ins>`/`<del>` marks, every piece of text HTML-escaped.
    pub diff_html: String,
}

fn escape(text: &str) -> String {
    handlebars::html_escape(text)
}

/// Word-level marks from `old` to `new`.
pub fn words(old: &str, new: &str) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut html = String::with_capacity(new.len() + 64);
    for change in diff.iter_all_changes() {
        let text = escape(change.value());
        match change.tag() {
            ChangeTag::Equal => html.push_str(&text),
            ChangeTag::Insert => {
                html.push_str("<ins>");
                html.push_str(&text);
                html.push_str("</ins>");
            }
            ChangeTag::Delete => {
                html.push_str("<del>");
                html.push_str(&text);
                html.push_str("</del>");
            }
        }
    }
    html
}

/// Every provision of `current` in order, then those `previous` had and
/// `current` dropped.
pub fn compare(previous: &[Provision], current: &[Provision]) -> Vec<ProvisionChange> {
    let mut changes: Vec<ProvisionChange> = current
        .iter()
        .map(|p| {
            let before = previous.iter().find(|q| q.provision_key == p.provision_key);
            let old_text = before.map(|q| format!("{}\n\n{}", q.heading, q.body));
            let new_text = format!("{}\n\n{}", p.heading, p.body);
            let (kind, diff_html) = match old_text {
                None => (
                    ChangeKind::Added,
                    format!("<ins>{}</ins>", escape(&new_text)),
                ),
                Some(old) if old == new_text => (ChangeKind::Unchanged, escape(&new_text)),
                Some(old) => (ChangeKind::Changed, words(&old, &new_text)),
            };
            ProvisionChange {
                key: p.provision_key.clone(),
                kind,
                diff_html,
            }
        })
        .collect();
    changes.extend(
        previous
            .iter()
            .filter(|q| !current.iter().any(|p| p.provision_key == q.provision_key))
            .map(|q| ProvisionChange {
                key: q.provision_key.clone(),
                kind: ChangeKind::Removed,
                diff_html: format!(
                    "<del>{}</del>",
                    escape(&format!("{}\n\n{}", q.heading, q.body))
                ),
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DraftVersionId, ProvisionId};

    fn p(key: &str, body: &str) -> Provision {
        Provision {
            id: ProvisionId(1),
            draft_version_id: DraftVersionId(1),
            ordinal: 1,
            provision_key: key.into(),
            label: String::new(),
            heading: "H".into(),
            body: body.into(),
            translated_heading: None,
            translated_body: None,
            translated_label: None,
        }
    }

    #[test]
    fn changed_words_are_marked_and_provisions_classified() {
        let old = [
            p("art-1", "Parties shall encourage platforms"),
            p("art-2", "Same"),
            p("art-3", "Gone"),
        ];
        let new = [
            p("art-1", "Parties shall require platforms"),
            p("art-2", "Same"),
            p("art-4", "New <b>"),
        ];
        let c = compare(&old, &new);
        assert_eq!(c[0].kind, ChangeKind::Changed);
        assert!(c[0].diff_html.contains("<del>encourage</del>"));
        assert!(c[0].diff_html.contains("<ins>require</ins>"));
        assert_eq!(c[1].kind, ChangeKind::Unchanged);
        assert_eq!(c[2].kind, ChangeKind::Added);
        assert!(c[2].diff_html.contains("New &lt;b&gt;"), "text is escaped");
        assert_eq!(
            (c[3].key.as_str(), c[3].kind),
            ("art-3", ChangeKind::Removed)
        );
    }
}
