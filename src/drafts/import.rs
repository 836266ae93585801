//! Turns one Markdown document into a draft: each heading of the chosen level
//! starts a provision whose key comes from `{#key}` or from its number.

use serde::Serialize;

pub const MAX_DRAFT_BYTES: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedProvision {
    pub key: String,
    pub label: String,
    pub heading: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedDraft {
    pub title: String,
    pub preamble: String,
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

/// Prefixes for numbered headings, in English and French.
const PREFIXES: &[(&str, &str)] = &[
    ("article", "art"),
    ("art.", "art"),
    ("recommendation", "rec"),
    ("recommandation", "rec"),
    ("section", "sec"),
    ("chapter", "ch"),
    ("chapitre", "ch"),
    ("paragraph", "para"),
    ("paragraphe", "para"),
    ("principle", "prin"),
    ("principe", "prin"),
    ("annex", "annex"),
    ("annexe", "annex"),
    ("preamble", "preamble"),
    ("préambule", "preamble"),
];

pub fn parse(markdown: &str, level: u8) -> Result<ParsedDraft, ImportError> {
    if markdown.len() > MAX_DRAFT_BYTES {
        return Err(ImportError::TooLarge);
    }
    if markdown.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut title = String::new();
    let mut preamble = String::new();
    // (line, key, label, heading, body)
    let mut open: Vec<(usize, String, String, String, String)> = Vec::new();
    let mut in_fence = false;

    for (index, line) in markdown.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let heading = if in_fence { None } else { atx_heading(line) };
        match heading {
            Some((l, text)) if l == level => {
                let (key, label, heading) = provision_identity(text, number)?;
                if open.iter().any(|p| p.1 == key) {
                    return Err(ImportError::DuplicateKey { line: number, key });
                }
                open.push((number, key, label, heading, String::new()));
            }
            Some((l, text)) if l < level && open.is_empty() && title.is_empty() => {
                title = text.to_string();
            }
            _ => match open.last_mut() {
                Some(p) => {
                    p.4.push_str(line);
                    p.4.push('\n');
                }
                None => {
                    preamble.push_str(line);
                    preamble.push('\n');
                }
            },
        }
    }
    if open.is_empty() {
        return Err(ImportError::NoProvisions(level));
    }
    let provisions = open
        .into_iter()
        .map(|(line, key, label, heading, body)| {
            let body = body.trim().to_string();
            if body.is_empty() {
                Err(ImportError::EmptyProvision { line, key })
            } else {
                Ok(ParsedProvision {
                    key,
                    label,
                    heading,
                    body,
                })
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ParsedDraft {
        title,
        preamble: preamble.trim().to_string(),
        provisions,
    })
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

/// Splits "Article 3 — Scope {#art-3}" into key `art-3`, label "Article 3" and
/// heading "Scope".
fn provision_identity(text: &str, line: usize) -> Result<(String, String, String), ImportError> {
    let (text, explicit) = match text.rfind("{#") {
        Some(at) if text.ends_with('}') => (
            text[..at].trim_end(),
            Some(text[at + 2..text.len() - 1].trim().to_string()),
        ),
        _ => (text, None),
    };
    let numbered = numbered_label(text);
    let key = match (explicit, &numbered) {
        (Some(key), _) => key,
        (None, Some((key, _, _))) => key.clone(),
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
        Some((_, label, heading)) => (label, heading),
        None => (String::new(), text.to_string()),
    };
    Ok((key, label, heading))
}

/// "Recommendation 1.2: Fair pay" → ("rec-1.2", "Recommendation 1.2", "Fair pay").
fn numbered_label(text: &str) -> Option<(String, String, String)> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let second = words.next();
    let lower = first.to_lowercase();
    let (prefix, number_word, label_words) = match PREFIXES.iter().find(|(w, _)| *w == lower) {
        Some((_, prefix)) => (*prefix, second?, 2),
        // "3. Scope" → p-3
        None => ("p", first, 1),
    };
    let number = number_word.trim_end_matches(['.', ':', ')', ',']);
    let number_ok = !number.is_empty()
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.')
        && number
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    if !number_ok || (prefix == "p" && !number.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    let key = format!("{prefix}-{}", number.to_lowercase());
    let label = text
        .split_whitespace()
        .take(label_words)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ':', ','])
        .to_string();
    let heading = text
        .split_whitespace()
        .skip(label_words)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches(['—', '–', '-', ':', '.'])
        .trim()
        .to_string();
    Some((key, label, heading))
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
}
