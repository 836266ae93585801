//! What changed between two versions of a draft, provision by provision
//! (matched by key) and word by word inside a provision, and which parts,
//! chapters and sections were added, removed, moved or renamed.

use super::{Division, Provision};
use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffTag, TextDiff};
use std::collections::HashSet;

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
    /// The division it was in, when it now sits in another one.
    pub moved_from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionChangeKind {
    Added,
    /// Under another parent, or out of order among the divisions both
    /// versions have.
    Moved,
    /// Same place, another label, heading or text.
    Changed,
    Unchanged,
    Removed,
}

#[derive(Debug, Clone, Serialize)]
pub struct DivisionChange {
    pub key: String,
    pub kind: DivisionChangeKind,
    pub label: String,
    pub heading: String,
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
            // A draft that gains divisions has not moved its provisions.
            let moved_from = before
                .and_then(|q| q.division_key.clone())
                .filter(|from| p.division_key.as_ref() != Some(from));
            ProvisionChange {
                key: p.provision_key.clone(),
                kind,
                diff_html,
                moved_from,
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
                moved_from: None,
            }),
    );
    changes
}

/// Every division of `current` in order, then those `previous` had and
/// `current` dropped. Order is judged on the divisions both versions have, so
/// inserting a chapter does not make every later one "moved".
pub fn compare_divisions(previous: &[Division], current: &[Division]) -> Vec<DivisionChange> {
    let in_previous: HashSet<&str> = previous.iter().map(|d| d.key.as_str()).collect();
    let in_current: HashSet<&str> = current.iter().map(|d| d.key.as_str()).collect();
    let old_order: Vec<&str> = previous
        .iter()
        .map(|d| d.key.as_str())
        .filter(|k| in_current.contains(k))
        .collect();
    let new_order: Vec<&str> = current
        .iter()
        .map(|d| d.key.as_str())
        .filter(|k| in_previous.contains(k))
        .collect();
    let mut out_of_order: HashSet<&str> = HashSet::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &old_order, &new_order) {
        if op.tag() != DiffTag::Equal {
            out_of_order.extend(op.new_range().map(|i| new_order[i]));
        }
    }
    let change = |d: &Division, kind| DivisionChange {
        key: d.key.clone(),
        kind,
        label: d.label.clone(),
        heading: d.heading.clone(),
    };
    let mut changes: Vec<DivisionChange> = current
        .iter()
        .map(|d| {
            let kind = match previous.iter().find(|q| q.key == d.key) {
                None => DivisionChangeKind::Added,
                Some(q)
                    if q.parent_key != d.parent_key || out_of_order.contains(d.key.as_str()) =>
                {
                    DivisionChangeKind::Moved
                }
                Some(q) if (&q.label, &q.heading, &q.body) != (&d.label, &d.heading, &d.body) => {
                    DivisionChangeKind::Changed
                }
                Some(_) => DivisionChangeKind::Unchanged,
            };
            change(d, kind)
        })
        .collect();
    changes.extend(
        previous
            .iter()
            .filter(|q| !in_current.contains(q.key.as_str()))
            .map(|q| change(q, DivisionChangeKind::Removed)),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::drafts::test_provision as p;

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

    fn d(key: &str, parent: Option<&str>) -> Division {
        Division {
            key: key.into(),
            parent_key: parent.map(Into::into),
            depth: 1 + i32::from(parent.is_some()),
            label: key.to_uppercase(),
            heading: "H".into(),
            body: String::new(),
            translated_label: None,
            translated_heading: None,
            translated_body: None,
        }
    }

    #[test]
    fn added_removed_moved_and_renamed_divisions_are_told_apart() {
        let old = [
            d("part-1", None),
            d("ch-1", Some("part-1")),
            d("ch-2", Some("part-1")),
            d("ch-3", Some("part-1")),
            d("ch-4", Some("part-1")),
            d("annex-i", None),
        ];
        let mut renamed = d("ch-2", Some("part-1"));
        renamed.heading = "Other".into();
        let new = [
            d("part-1", None),
            d("ch-1", Some("part-1")),
            d("ch-new", Some("part-1")),
            renamed,
            d("ch-4", Some("part-1")),
            d("ch-3", Some("part-1")),
            d("part-2", None),
        ];
        let kinds: Vec<_> = compare_divisions(&old, &new)
            .into_iter()
            .map(|c| (c.key, c.kind))
            .collect();
        use DivisionChangeKind::*;
        let expected = [
            ("part-1", Unchanged),
            ("ch-1", Unchanged),
            ("ch-new", Added),
            ("ch-2", Changed),
            ("ch-4", Moved),
            ("ch-3", Unchanged),
            ("part-2", Added),
            ("annex-i", Removed),
        ];
        let expected: Vec<_> = expected.iter().map(|(k, c)| (k.to_string(), *c)).collect();
        assert_eq!(kinds, expected);
    }

    #[test]
    fn a_provision_in_another_division_is_reported_as_moved() {
        let mut before = p("art-5", "Same");
        before.division_key = Some("ch-1".into());
        let mut after = p("art-5", "Same");
        after.division_key = Some("ch-2".into());
        let c = compare(std::slice::from_ref(&before), std::slice::from_ref(&after));
        assert_eq!(c[0].kind, ChangeKind::Unchanged);
        assert_eq!(c[0].moved_from.as_deref(), Some("ch-1"));
        let flat = p("art-5", "Same");
        let c = compare(std::slice::from_ref(&flat), std::slice::from_ref(&after));
        assert_eq!(c[0].moved_from, None, "gaining divisions is not a move");
    }
}
