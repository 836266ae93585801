//! Turns one Markdown document into a draft: each heading of the chosen level
//! starts a provision whose key comes from `{#key}` or from its number, and
//! headings above that level start divisions keyed the same way.

use super::numbering;
use serde::Serialize;

pub const MAX_DRAFT_BYTES: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedProvision {
    pub key: String,
    pub label: String,
    pub heading: String,
    pub body: String,
    /// The key of the innermost division it sits in.
    pub division: Option<String>,
}

/// A part, chapter, section or annex: a heading above the provision level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedDivision {
    pub key: String,
    pub label: String,
    pub heading: String,
    /// 1 for a top-level division, 2 inside it, and so on.
    pub depth: i32,
    pub parent: Option<String>,
    /// Text between its heading and its first provision or subdivision.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedDraft {
    pub title: String,
    /// The introduction: what comes before the first division or provision
    /// (preamble, recitals), the title aside.
    pub preamble: String,
    pub divisions: Vec<ParsedDivision>,
    pub provisions: Vec<ParsedProvision>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the document is empty")]
    Empty,
    #[error("the document is larger than 1 MB")]
    TooLarge,
    #[error("the document is not UTF-8 text")]
    NotUtf8,
    #[error("no heading of level {0} starts a provision")]
    NoProvisions(u8),
    #[error("line {line}: cannot derive a key from “{heading}”; add {{#key}} to the heading")]
    NoKey { line: usize, heading: String },
    #[error("line {line}: “{key}” is not a valid key (lower-case letters, digits, '.' and '-')")]
    InvalidKey { line: usize, key: String },
    #[error("line {line}: the key “{key}” is used twice")]
    DuplicateKey { line: usize, key: String },
    #[error("line {line}: provision “{key}” has no text")]
    EmptyProvision { line: usize, key: String },
    #[error(transparent)]
    Docx(#[from] super::docx::DocxError),
}

impl ImportError {
    /// The Fluent message naming this error for the organizer.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "import-error-empty",
            Self::TooLarge => "import-error-too-large",
            Self::NotUtf8 => "import-error-not-utf8",
            Self::NoProvisions(_) => "import-error-no-provisions",
            Self::NoKey { .. } => "import-error-no-key",
            Self::InvalidKey { .. } => "import-error-invalid-key",
            Self::DuplicateKey { .. } => "import-error-duplicate-key",
            Self::EmptyProvision { .. } => "import-error-empty-provision",
            Self::Docx(e) => e.message_key(),
        }
    }
}

/// Decodes an uploaded file, refusing what is too large or not UTF-8 text (a
/// NUL byte means a binary file, and PostgreSQL cannot store it in TEXT).
pub fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    if bytes.len() > MAX_DRAFT_BYTES {
        return Err(ImportError::TooLarge);
    }
    std::str::from_utf8(bytes)
        .ok()
        .filter(|text| !text.contains('\0'))
        .ok_or(ImportError::NotUtf8)
}

/// Where the text of the line being read belongs.
enum Target {
    Introduction,
    Division(usize),
    Provision(usize),
}

/// Divides `markdown` at headings of `level`: those start provisions, the
/// first heading above them is the title, later ones above them start
/// divisions (parts, chapters, sections, annexes), and the text before the
/// first division or provision is the introduction.
pub fn parse(markdown: &str, level: u8) -> Result<ParsedDraft, ImportError> {
    if markdown.len() > MAX_DRAFT_BYTES {
        return Err(ImportError::TooLarge);
    }
    if markdown.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut title = String::new();
    let mut preamble = String::new();
    let mut divisions: Vec<(usize, ParsedDivision)> = Vec::new();
    let mut provisions: Vec<(usize, ParsedProvision)> = Vec::new();
    // The divisions the next line is inside: (heading level, index).
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut target = Target::Introduction;
    let mut in_fence = false;

    for (index, line) in markdown.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let heading = if in_fence { None } else { atx_heading(line) };
        let started = !divisions.is_empty() || !provisions.is_empty();
        match heading {
            Some((l, text)) if l == level => {
                let (key, label, heading) = identity(text, number)?;
                check_unique(&key, number, &divisions, &provisions)?;
                provisions.push((
                    number,
                    ParsedProvision {
                        key,
                        label,
                        heading,
                        body: String::new(),
                        division: open.last().map(|&(_, i)| divisions[i].1.key.clone()),
                    },
                ));
                target = Target::Provision(provisions.len() - 1);
            }
            Some((l, text)) if l < level && !started && title.is_empty() => {
                title = text.to_string();
            }
            // Unnumbered headings before any division or provision
            // ("Preamble", "Recitals") belong to the introduction.
            Some((l, text)) if l < level && (started || has_identity(text)) => {
                let (key, label, heading) = identity(text, number)?;
                check_unique(&key, number, &divisions, &provisions)?;
                while open.last().is_some_and(|&(open_level, _)| open_level >= l) {
                    open.pop();
                }
                let parent = open.last().map(|&(_, i)| divisions[i].1.key.clone());
                divisions.push((
                    number,
                    ParsedDivision {
                        key,
                        label,
                        heading,
                        depth: open.len() as i32 + 1,
                        parent,
                        body: String::new(),
                    },
                ));
                open.push((l, divisions.len() - 1));
                target = Target::Division(divisions.len() - 1);
            }
            _ => {
                let text = match target {
                    Target::Introduction => &mut preamble,
                    Target::Division(i) => &mut divisions[i].1.body,
                    Target::Provision(i) => &mut provisions[i].1.body,
                };
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    if provisions.is_empty() {
        return Err(ImportError::NoProvisions(level));
    }
    let provisions = provisions
        .into_iter()
        .map(|(line, mut p)| {
            p.body = p.body.trim().to_string();
            if p.body.is_empty() {
                Err(ImportError::EmptyProvision { line, key: p.key })
            } else {
                Ok(p)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ParsedDraft {
        title,
        preamble: preamble.trim().to_string(),
        divisions: divisions
            .into_iter()
            .map(|(_, mut d)| {
                d.body = d.body.trim().to_string();
                d
            })
            .collect(),
        provisions,
    })
}

/// Keys name anchors on the round page and lines in reports: a division and a
/// provision cannot share one either.
fn check_unique(
    key: &str,
    line: usize,
    divisions: &[(usize, ParsedDivision)],
    provisions: &[(usize, ParsedProvision)],
) -> Result<(), ImportError> {
    let taken =
        divisions.iter().any(|(_, d)| d.key == key) || provisions.iter().any(|(_, p)| p.key == key);
    if taken {
        Err(ImportError::DuplicateKey {
            line,
            key: key.to_string(),
        })
    } else {
        Ok(())
    }
}

fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some((hashes as u8, text))
}

fn explicit_key(text: &str) -> (&str, Option<String>) {
    match text.rfind("{#") {
        Some(at) if text.ends_with('}') => (
            text[..at].trim_end(),
            Some(text[at + 2..text.len() - 1].trim().to_string()),
        ),
        _ => (text, None),
    }
}

fn has_identity(text: &str) -> bool {
    let (text, explicit) = explicit_key(text);
    explicit.is_some() || numbering::numbered(text).is_some()
}

/// Splits "Article 3 — Scope {#art-3}" into key `art-3`, label "Article 3" and
/// heading "Scope"; `{#key}` wins over the number.
fn identity(text: &str, line: usize) -> Result<(String, String, String), ImportError> {
    let (text, explicit) = explicit_key(text);
    let numbered = numbering::numbered(text);
    let key = match (explicit, &numbered) {
        (Some(key), _) => key,
        (None, Some(n)) => n.key.clone(),
        (None, None) => {
            return Err(ImportError::NoKey {
                line,
                heading: text.to_string(),
            });
        }
    };
    if !valid_key(&key) {
        return Err(ImportError::InvalidKey { line, key });
    }
    let (label, heading) = match numbered {
        Some(n) => (n.label, n.heading),
        None => (String::new(), text.to_string()),
    };
    Ok((key, label, heading))
}

pub fn valid_key(key: &str) -> bool {
    super::ProvisionKey::parse(key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_numbers_and_from_explicit_anchors() {
        let draft = parse(
            "# A protocol\n\nIntro.\n\n## Article 3 — Scope\nText.\n\n\
             ## Recommendation 1.2: Fair pay\nMore.\n\n## Final words {#closing}\nEnd.\n",
            2,
        )
        .unwrap();
        assert_eq!(draft.title, "A protocol");
        assert_eq!(draft.preamble, "Intro.");
        let keys: Vec<_> = draft.provisions.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["art-3", "rec-1.2", "closing"]);
        assert_eq!(draft.provisions[0].label, "Article 3");
        assert_eq!(draft.provisions[0].heading, "Scope");
        assert_eq!(draft.provisions[1].heading, "Fair pay");
        assert_eq!(draft.provisions[2].heading, "Final words");
    }

    #[test]
    fn import_errors_are_precise() {
        assert_eq!(parse("  \n", 2), Err(ImportError::Empty));
        assert_eq!(parse("# Title\ntext", 2), Err(ImportError::NoProvisions(2)));
        assert_eq!(
            parse("## Article 1\na\n## Article 1\nb", 2),
            Err(ImportError::DuplicateKey {
                line: 3,
                key: "art-1".into()
            })
        );
        assert_eq!(
            parse("## Article 1\n\n## Article 2\nb", 2),
            Err(ImportError::EmptyProvision {
                line: 1,
                key: "art-1".into()
            })
        );
        assert!(matches!(
            parse("## Scope\ntext", 2),
            Err(ImportError::NoKey { line: 1, .. })
        ));
        assert!(matches!(
            parse("## Scope {#Bad Key}\ntext", 2),
            Err(ImportError::InvalidKey { .. })
        ));
        assert_eq!(decode(&[0xff, 0xfe]), Err(ImportError::NotUtf8));
        assert_eq!(
            decode(&vec![b'a'; MAX_DRAFT_BYTES + 1]),
            Err(ImportError::TooLarge)
        );
    }

    #[test]
    fn headings_inside_code_fences_do_not_start_provisions() {
        let draft = parse("## Article 1\n```\n## Article 2\n```\n", 2).unwrap();
        assert_eq!(draft.provisions.len(), 1);
    }

    #[test]
    fn headings_above_provisions_become_divisions_not_body_text() {
        let draft = parse(
            "# Regulation\n\nHaving regard to the Treaty.\n\n## Recitals\n(1) Whereas.\n\n\
             ## PART I — General {#part-1}\n\n### CHAPTER I — Scope\n\n#### Article 1 — Subject\nA.\n\n\
             ### CHAPTER II — Principles\nThis chapter sets principles.\n\n\
             #### Article 2 — Fairness\nB.\n\n#### Article 2 bis — Audits\nC.\n\n\
             ## Annex I — List\n\n#### 1. Item\nD.\n",
            4,
        )
        .unwrap();
        assert_eq!(draft.title, "Regulation");
        assert!(draft.preamble.contains("Having regard") && draft.preamble.contains("## Recitals"));
        let divisions: Vec<_> = draft
            .divisions
            .iter()
            .map(|d| (d.key.as_str(), d.depth, d.parent.as_deref()))
            .collect();
        assert_eq!(
            divisions,
            [
                ("part-1", 1, None),
                ("ch-1", 2, Some("part-1")),
                ("ch-2", 2, Some("part-1")),
                ("annex-i", 1, None),
            ]
        );
        assert_eq!(draft.divisions[2].heading, "Principles");
        assert_eq!(draft.divisions[2].body, "This chapter sets principles.");
        let provisions: Vec<_> = draft
            .provisions
            .iter()
            .map(|p| (p.key.as_str(), p.division.as_deref(), p.body.as_str()))
            .collect();
        assert_eq!(
            provisions,
            [
                ("art-1", Some("ch-1"), "A."),
                ("art-2", Some("ch-2"), "B."),
                ("art-2-bis", Some("ch-2"), "C."),
                ("p-1", Some("annex-i"), "D."),
            ]
        );
    }

    #[test]
    fn a_division_needs_a_key_of_its_own() {
        assert!(matches!(
            parse("## Article 1\na\n# Final words\n## Article 2\nb", 2),
            Err(ImportError::NoKey { line: 3, .. })
        ));
        assert_eq!(
            parse(
                "# T\n# Chapter 1\n## Article 1\na\n# Chapter 1\n## Article 2\nb",
                2
            ),
            Err(ImportError::DuplicateKey {
                line: 5,
                key: "ch-1".into()
            })
        );
    }
}
