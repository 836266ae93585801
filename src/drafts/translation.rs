//! A draft version's translation into the other language: the same Markdown
//! importer, then a check that it divides into exactly the original's
//! provision and division keys, so every position, report line and diff stays
//! keyed to one provision whichever language it was read in.

use super::import::{self, ImportError, ParsedDraft};
use super::{Division, DraftVersion, Provision};
use crate::codes::Locale;
use crate::db::schema::{draft_divisions, draft_versions, provisions};
use crate::db::{ConsultationId, DbConnection, DraftVersionId, UserId};
use diesel::prelude::*;
use std::collections::BTreeSet;
use time::PrimitiveDateTime;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslationError {
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Keys are listed in the original's order, then the translation's.
    #[error("{}", describe_keys(missing, extra))]
    Keys {
        missing: Vec<String>,
        extra: Vec<String>,
    },
}

fn describe_keys(missing: &[String], extra: &[String]) -> String {
    let mut parts = vec![];
    if !missing.is_empty() {
        parts.push(format!(
            "missing from the translation: {}",
            missing.join(", ")
        ));
    }
    if !extra.is_empty() {
        parts.push(format!("not in the original: {}", extra.join(", ")));
    }
    parts.join("; ")
}

impl TranslationError {
    pub fn is_too_large(&self) -> bool {
        matches!(self, Self::Import(ImportError::TooLarge))
    }
}

/// The translation's language: the one the original is not in.
pub fn language_of(version: &DraftVersion) -> Locale {
    Locale::parse(&version.locale).unwrap_or_default().other()
}

/// The heading level the original was divided at: the one at which its stored
/// Markdown gives back its provision keys (2 when none does, e.g. an empty
/// source).
pub fn original_level(source: &str, original: &[Provision]) -> u8 {
    let keys: Vec<&str> = original.iter().map(|p| p.provision_key.as_str()).collect();
    (1..=6)
        .find(|&level| {
            import::parse(source, level).is_ok_and(|d| {
                d.provisions
                    .iter()
                    .map(|p| p.key.as_str())
                    .eq(keys.iter().copied())
            })
        })
        .unwrap_or(2)
}

/// Divides `markdown` like the original and checks that the provision and
/// division keys are exactly the original's (order aside): `Article premier`
/// and `Article 1` are both `art-1`, so each language keeps its conventions.
pub fn parse(
    markdown: &str,
    level: u8,
    original: &[Provision],
    divisions: &[Division],
) -> Result<ParsedDraft, TranslationError> {
    let draft = import::parse(markdown, level)?;
    let theirs = original
        .iter()
        .map(|p| p.provision_key.as_str())
        .chain(divisions.iter().map(|d| d.key.as_str()));
    let ours = draft
        .provisions
        .iter()
        .map(|p| p.key.as_str())
        .chain(draft.divisions.iter().map(|d| d.key.as_str()));
    let (missing, extra) = difference(theirs, ours);
    if missing.is_empty() && extra.is_empty() {
        Ok(draft)
    } else {
        Err(TranslationError::Keys { missing, extra })
    }
}

/// The keys only in `theirs` and those only in `ours`, each in its order.
fn difference<'a>(
    theirs: impl Iterator<Item = &'a str> + Clone,
    ours: impl Iterator<Item = &'a str> + Clone,
) -> (Vec<String>, Vec<String>) {
    let in_ours: BTreeSet<&str> = ours.clone().collect();
    let in_theirs: BTreeSet<&str> = theirs.clone().collect();
    (
        theirs
            .filter(|k| !in_ours.contains(k))
            .map(String::from)
            .collect(),
        ours.filter(|k| !in_theirs.contains(k))
            .map(String::from)
            .collect(),
    )
}

/// The Markdown the version was imported from, and its translation's if any.
pub fn sources(
    conn: &mut DbConnection,
    id: DraftVersionId,
) -> QueryResult<(String, Option<String>)> {
    draft_versions::table
        .find(id)
        .select((
            draft_versions::source_markdown,
            draft_versions::translated_source_markdown,
        ))
        .first(conn)
}

fn non_empty(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Replaces the version's translation with `draft` (checked by `parse`).
pub fn store(
    conn: &mut DbConnection,
    version: &DraftVersion,
    draft: &ParsedDraft,
    source: &str,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        diesel::update(draft_versions::table.find(version.id))
            .set((
                draft_versions::translated_title.eq(non_empty(&draft.title)),
                draft_versions::translated_preamble.eq(non_empty(&draft.preamble)),
                draft_versions::translated_source_markdown.eq(Some(source)),
            ))
            .execute(conn)?;
        for p in &draft.provisions {
            diesel::update(
                provisions::table
                    .filter(provisions::draft_version_id.eq(version.id))
                    .filter(provisions::provision_key.eq(&p.key)),
            )
            .set((
                provisions::translated_label.eq(Some(&p.label)),
                provisions::translated_heading.eq(Some(&p.heading)),
                provisions::translated_body.eq(Some(&p.body)),
            ))
            .execute(conn)?;
        }
        for d in &draft.divisions {
            diesel::update(
                draft_divisions::table
                    .filter(draft_divisions::draft_version_id.eq(version.id))
                    .filter(draft_divisions::division_key.eq(&d.key)),
            )
            .set((
                draft_divisions::translated_label.eq(Some(&d.label)),
                draft_divisions::translated_heading.eq(Some(&d.heading)),
                draft_divisions::translated_body.eq(non_empty(&d.body)),
            ))
            .execute(conn)?;
        }
        Ok(())
    })
}

/// `store`, and the audit entry saying who did it, in one transaction.
#[allow(clippy::too_many_arguments)]
pub fn import(
    conn: &mut DbConnection,
    consultation: ConsultationId,
    slug: &str,
    version: &DraftVersion,
    draft: &ParsedDraft,
    source: &str,
    actor: Option<UserId>,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        store(conn, version, draft, source)?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor,
                action: crate::audit::Action::DraftTranslate,
                consultation: Some(consultation),
                round: None,
                subject: slug,
                details: &format!(
                    "version {} in {} ({} provisions)",
                    version.version,
                    language_of(version),
                    draft.provisions.len()
                ),
            },
            now,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ProvisionId;

    fn original(keys: &[&str]) -> Vec<Provision> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| Provision {
                id: ProvisionId(i as i64 + 1),
                draft_version_id: DraftVersionId(1),
                ordinal: i as i32 + 1,
                provision_key: (*k).into(),
                label: String::new(),
                heading: "H".into(),
                body: "B".into(),
                translated_heading: None,
                translated_body: None,
                translated_label: None,
                division_key: None,
            })
            .collect()
    }

    #[test]
    fn a_translation_with_the_same_keys_is_accepted_in_any_order() {
        let fr = "# Protocole\n\n## Article 2 — Champ\nTexte.\n\n## Article 1 — Objet\nTexte.\n";
        let draft = parse(fr, 2, &original(&["art-1", "art-2"]), &[]).unwrap();
        assert_eq!(draft.title, "Protocole");
        assert_eq!(draft.provisions[1].heading, "Objet");
    }

    #[test]
    fn missing_and_extra_keys_are_named() {
        let fr = "## Article 1 — Objet\nTexte.\n\n## Article 4 — Autre\nTexte.\n";
        let err = parse(fr, 2, &original(&["art-1", "art-2", "art-3"]), &[]).unwrap_err();
        assert_eq!(
            err,
            TranslationError::Keys {
                missing: vec!["art-2".into(), "art-3".into()],
                extra: vec!["art-4".into()],
            }
        );
        assert_eq!(
            err.to_string(),
            "missing from the translation: art-2, art-3; not in the original: art-4"
        );
        assert_eq!(
            parse("  ", 2, &original(&["art-1"]), &[]),
            Err(TranslationError::Import(ImportError::Empty))
        );
    }

    #[test]
    fn the_original_level_is_found_from_its_source() {
        let source = "# T\n\n### Article 1\nA.\n\n### Article 2\nB.\n";
        assert_eq!(original_level(source, &original(&["art-1", "art-2"])), 3);
        assert_eq!(original_level("", &original(&["art-1"])), 2);
    }

    fn division(key: &str) -> Division {
        Division {
            key: key.into(),
            parent_key: None,
            depth: 1,
            label: String::new(),
            heading: "H".into(),
            body: String::new(),
            translated_label: None,
            translated_heading: None,
            translated_body: None,
        }
    }

    #[test]
    fn french_numbering_maps_to_the_english_keys_and_divisions_are_checked() {
        let fr = "# Règlement\n\n# Chapitre premier — Généralités\n\n## Article premier — Objet\nTexte.\n\n\
                  ## Article 1er bis — Champ\nTexte.\n\n# Annexe I — Liste\n\n## Article 2\nTexte.\n";
        let keys = original(&["art-1", "art-1-bis", "art-2"]);
        let draft = parse(fr, 2, &keys, &[division("ch-1"), division("annex-i")]).unwrap();
        assert_eq!(draft.provisions[0].label, "Article premier");
        assert_eq!(draft.divisions[1].label, "Annexe I");
        let err = parse(fr, 2, &keys, &[division("ch-1"), division("ch-2")]).unwrap_err();
        assert_eq!(
            err,
            TranslationError::Keys {
                missing: vec!["ch-2".into()],
                extra: vec!["annex-i".into()],
            }
        );
    }
}
