//! Full-text search: what a reader typed, made safe for each backend's
//! full-text engine (SQLite FTS5, PostgreSQL text search), and the SQL that
//! matches it against one indexed corpus. The published report's search uses
//! it; a search over every text for organizers can name its own index.

use crate::db::DbConnection;

/// At most this many words are looked for: enough for a phrase, not a
/// paragraph pasted to make the database work.
const MAX_WORDS: usize = 12;
const MAX_WORD_CHARS: usize = 64;

/// The words of a query, letters and digits only, so nothing typed can be
/// read as the engine's query syntax.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words(Vec<String>);

impl Words {
    pub fn parse(typed: &str) -> Self {
        Words(
            typed
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
                .take(MAX_WORDS)
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// FTS5: every word, quoted, must occur (`"data" "platforms"`).
    fn fts5(&self) -> String {
        self.0
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// PostgreSQL: `plainto_tsquery` ANDs the words of plain text.
    fn plain(&self) -> String {
        self.0.join(" ")
    }
}

/// How one corpus is matched on each backend: the SQL before and after the
/// bound words, as a condition on the corpus's rows.
pub struct Index {
    pub sqlite: (&'static str, &'static str),
    pub postgres: (&'static str, &'static str),
}

/// The condition's SQL around the words, and the words as that backend's
/// engine reads them.
pub fn condition(
    conn: &DbConnection,
    index: &Index,
    words: &Words,
) -> (&'static str, String, &'static str) {
    match conn {
        DbConnection::Sqlite(_) => (index.sqlite.0, words.fts5(), index.sqlite.1),
        DbConnection::Postgresql(_) => (index.postgres.0, words.plain(), index.postgres.1),
    }
}

/// `%part%` for LIKE, with the reader's `%`, `_` and `\` taken literally
/// (the statement says `ESCAPE '\'`).
pub fn contains(part: &str) -> String {
    let mut pattern = String::from("%");
    for c in part.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The same for a query whose words each have alternatives (their stems,
/// see `analysis::words`): one of each word's alternatives must occur. The
/// alternatives hold letters and digits only.
pub fn condition_any(
    conn: &DbConnection,
    index: &Index,
    alternatives: &[Vec<String>],
) -> (&'static str, String, &'static str) {
    let (quote, or, and) = match conn {
        DbConnection::Sqlite(_) => ('"', " OR ", " AND "),
        DbConnection::Postgresql(_) => ('\'', " | ", " & "),
    };
    let matched = alternatives
        .iter()
        .map(|alts| {
            let any = alts
                .iter()
                .map(|a| format!("{quote}{a}{quote}"))
                .collect::<Vec<_>>()
                .join(or);
            format!("({any})")
        })
        .collect::<Vec<_>>()
        .join(and);
    match conn {
        DbConnection::Sqlite(_) => (index.sqlite.0, matched, index.sqlite.1),
        DbConnection::Postgresql(_) => (index.postgres.0, matched, index.postgres.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_letters_and_digits_reach_the_engine() {
        let w = Words::parse(r#"  "data" OR platforms* NEAR(x) -- ; réglementation 2026 "#);
        assert_eq!(
            w.fts5(),
            r#""data" "OR" "platforms" "NEAR" "x" "réglementation" "2026""#
        );
        assert_eq!(w.plain(), "data OR platforms NEAR x réglementation 2026");
        assert!(Words::parse(" -- \"\" ").is_empty());
    }

    #[test]
    fn a_pasted_essay_is_cut_to_a_few_words() {
        let essay = "word ".repeat(1000);
        assert_eq!(Words::parse(&essay).0.len(), MAX_WORDS);
        let long = "x".repeat(1000);
        assert_eq!(Words::parse(&long).0[0].len(), MAX_WORD_CHARS);
    }
}
