//! Words as the analysis search compares them: lower case, accents removed,
//! and reduced by both the English and the French Snowball stemmers, so that
//! "réglementations", "reglementation" and "regulations" each find their
//! family whatever language a text or a query is written in.

use crate::search::Words;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::LazyLock;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static FRENCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

/// Lower case without accents. Stemming comes after folding so that a word
/// typed without its accents reduces to the same stem as the accented one.
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' => out.push('i'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ś' | 'š' => out.push('s'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'ř' => out.push('r'),
            'ł' => out.push('l'),
            'đ' | 'ď' => out.push('d'),
            'ť' => out.push('t'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// A word's English stem, and its French stem when that differs.
fn stems(word: &str) -> (String, Option<String>) {
    let folded = fold(word);
    let english = ENGLISH.stem(&folded).into_owned();
    let french = FRENCH.stem(&folded).into_owned();
    let french = (french != english).then_some(french);
    (english, french)
}

fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The search document of a text: every word's stems, in order.
pub fn document<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for text in texts {
        for word in words_of(text) {
            let (english, french) = stems(word);
            for stem in std::iter::once(english).chain(french) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&stem);
            }
        }
    }
    out
}

/// What was typed, as alternatives per word: a text matches when, for each
/// word, it holds one of that word's stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<Vec<String>>);

impl Query {
    pub fn parse(typed: &str) -> Self {
        Query(
            Words::parse(typed)
                .as_slice()
                .iter()
                .map(|w| {
                    let (english, french) = stems(w);
                    std::iter::once(english).chain(french).collect()
                })
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn alternatives(&self) -> &[Vec<String>] {
        &self.0
    }

    /// Every stem looked for, to mark the words that matched.
    pub fn stems(&self) -> HashSet<&str> {
        self.0.iter().flatten().map(String::as_str).collect()
    }
}

/// `text` escaped for HTML, at most `limit` characters of it (with "…" when
/// cut), the words that match `query` in `<mark>`. Escaping comes first, per
/// piece, so nothing a participant wrote can become markup. The result stays
/// under `limit` × 4 bytes, however much escaping and marking lengthen it, so
/// that a list of texts full of markup keeps to the page budget.
pub fn highlight(text: &str, query: &Query, limit: usize) -> (String, bool) {
    let budget = limit.saturating_mul(4);
    let mut cut = text.chars().count() > limit;
    let shown: String = if cut {
        text.chars().take(limit).collect()
    } else {
        text.to_string()
    };
    let wanted = query.stems();
    let mut out = String::with_capacity(shown.len() + 16);
    let mut rest = shown.as_str();
    while !rest.is_empty() {
        let is_word = rest.chars().next().is_some_and(char::is_alphanumeric);
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric() != is_word)
            .map_or(rest.len(), |(i, _)| i);
        let (piece, after) = rest.split_at(end);
        let escaped = handlebars::html_escape(piece);
        let matches = is_word && !wanted.is_empty() && {
            let (english, french) = stems(piece);
            wanted.contains(english.as_str()) || french.is_some_and(|f| wanted.contains(f.as_str()))
        };
        if out.len() + escaped.len() + if matches { 13 } else { 0 } > budget {
            cut = true;
            break;
        }
        if matches {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
        rest = after;
    }
    if cut {
        out.push('…');
    }
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(typed: &str, text: &str) -> bool {
        let doc: HashSet<String> = document([text]).split(' ').map(str::to_string).collect();
        Query::parse(typed)
            .alternatives()
            .iter()
            .all(|alts| alts.iter().any(|a| doc.contains(a)))
    }

    #[test]
    fn markup_that_escaping_lengthens_is_cut_to_the_byte_budget() {
        let text = "<b>plateformes</b> ".repeat(40);
        let (shown, cut) = highlight(&text, &Query::parse("plateforme"), 100);
        assert!(
            cut && shown.len() <= 100 * 4 + '…'.len_utf8(),
            "{}",
            shown.len()
        );
        assert!(
            shown.starts_with("&lt;b&gt;<mark>plateformes</mark>&lt;/b&gt;")
                && shown.ends_with('…'),
            "{shown}"
        );
        let (short, cut) = highlight("Short & sweet.", &Query::default(), 100);
        assert_eq!((short.as_str(), cut), ("Short &amp; sweet.", false));
    }

    #[test]
    fn french_words_find_their_family_with_or_without_accents() {
        assert!(finds(
            "réglementations",
            "La réglementation des plateformes"
        ));
        assert!(finds("reglementation", "La réglementation des plateformes"));
        assert!(finds("plateforme", "Les plateformes numériques"));
        assert!(finds("Évaluation", "une evaluation"));
    }

    #[test]
    fn english_words_find_their_family() {
        assert!(finds("regulations", "platform regulation matters"));
        assert!(finds("platform", "Platforms must explain"));
        assert!(!finds("platform", "broadcasters must explain"));
    }

    #[test]
    fn highlighting_escapes_before_marking() {
        let q = Query::parse("platforms");
        let (html, cut) = highlight("<script>platform</script> & Platforms", &q, 1000);
        assert_eq!(
            html,
            "&lt;script&gt;<mark>platform</mark>&lt;/script&gt; &amp; <mark>Platforms</mark>"
        );
        assert!(!cut);
    }

    #[test]
    fn long_texts_are_cut() {
        let (html, cut) = highlight(&"word ".repeat(100), &Query::default(), 20);
        assert!(cut && html.ends_with('…') && html.chars().count() == 21);
    }
}
