//! Keys from the labels of legal texts, in English and French conventions, so
//! that `Article 1` and `Article premier`, `Chapter II` and `Chapitre II`,
//! `Annex 1` and `Annexe I` give the same key whichever language the draft or
//! its translation is written in.

/// What a numbered heading gives: `Article 12 bis — Scope` is key
/// `art-12-bis`, label `Article 12 bis`, heading `Scope`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub key: String,
    pub label: String,
    pub heading: String,
}

/// The words that open a numbered label, with the key prefix they give.
const PREFIXES: &[(&str, &str)] = &[
    ("article", "art"),
    ("art.", "art"),
    ("art", "art"),
    ("recommendation", "rec"),
    ("recommandation", "rec"),
    ("section", "sec"),
    ("chapter", "ch"),
    ("chapitre", "ch"),
    ("part", "part"),
    ("partie", "part"),
    ("title", "title"),
    ("titre", "title"),
    ("book", "book"),
    ("livre", "book"),
    ("paragraph", "para"),
    ("paragraphe", "para"),
    ("principle", "prin"),
    ("principe", "prin"),
    ("annex", "annex"),
    ("annexe", "annex"),
    ("appendix", "app"),
    ("appendice", "app"),
    ("preamble", "preamble"),
    ("préambule", "preamble"),
];

/// Latin ordinals inserted between two articles (`Article 12 bis`).
const INSERTED: &[&str] = &[
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "nonies",
    "decies",
];

/// Prefixes whose numbers are conventionally Roman on both sides (`Annex I`,
/// `Annexe I`): their keys keep the Roman numeral, others use Arabic digits.
const ROMAN_KEYED: &[&str] = &["annex", "app"];

const PUNCTUATION: &[char] = &['.', ':', ')', ',', ';'];
const DASHES: &[char] = &['—', '–', '-', ':', '.'];

pub fn numbered(text: &str) -> Option<Numbered> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = *words.first()?;
    let lower = first.to_lowercase();
    let prefix = PREFIXES
        .iter()
        .find(|(w, _)| *w == lower.trim_end_matches([':', ',']))
        .map(|(_, p)| *p);
    let (prefix, number_at) = match prefix {
        Some(p) => (p, 1),
        // "3. Scope" or "1.2 Definitions"
        None => ("p", 0),
    };
    let Some(raw) = words.get(number_at) else {
        // A lone "Annex" (a draft's only annex) is still an annex.
        return (prefix == "annex" && first.chars().all(char::is_alphabetic)).then(|| Numbered {
            key: "annex".into(),
            label: first.to_string(),
            heading: String::new(),
        });
    };
    let number = number(raw, ROMAN_KEYED.contains(&prefix))?;
    if prefix == "p" && !raw.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut key = format!("{prefix}-{number}");
    let mut used = number_at + 1;
    if let Some(next) = words.get(used) {
        let word = next.trim_end_matches(PUNCTUATION).to_lowercase();
        if INSERTED.contains(&word.as_str()) {
            key = format!("{key}-{word}");
            used += 1;
        }
    }
    Some(Numbered {
        key,
        label: words[..used]
            .join(" ")
            .trim_end_matches(PUNCTUATION)
            .to_string(),
        heading: words[used..]
            .join(" ")
            .trim_start_matches(DASHES)
            .trim()
            .to_string(),
    })
}

/// The key form of a number as written: `premier`, `1er` and `I` are `1`
/// (or `i` under a Roman-keyed prefix), `12bis` is `12-bis`, `3.2` stays.
fn number(raw: &str, roman_keyed: bool) -> Option<String> {
    let word = raw.trim_end_matches(PUNCTUATION);
    let lower = word.to_lowercase();
    if matches!(
        lower.as_str(),
        "premier" | "première" | "premiere" | "first"
    ) {
        return Some(integer_key(1, roman_keyed));
    }
    // "1er", "1re", "1st", and the French "Ier" of "Chapitre Ier".
    let ordinal = ["er", "re", "st"]
        .iter()
        .find_map(|end| word.strip_suffix(end))
        .filter(|n| !n.is_empty());
    if let Some(value) = ordinal.and_then(|n| n.parse::<u32>().ok().or_else(|| roman(n))) {
        return (value == 1).then(|| integer_key(1, roman_keyed));
    }
    if let Some(value) = roman(word) {
        return Some(integer_key(value, roman_keyed));
    }
    if let Ok(value) = word.parse::<u32>() {
        return Some(integer_key(value, roman_keyed));
    }
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let letters = &word[digits.len()..];
    if !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && INSERTED.contains(&letters.to_lowercase().as_str())
    {
        return Some(format!("{digits}-{}", letters.to_lowercase()));
    }
    let valid = word
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    valid.then(|| lower.trim_end_matches('.').to_string())
}

fn integer_key(value: u32, roman_keyed: bool) -> String {
    if roman_keyed && (1..40).contains(&value) {
        to_roman(value)
    } else {
        value.to_string()
    }
}

/// Upper-case numerals of I, V and X only: `C`, `D`, `L` and `M` alone are
/// more often letters (`Annex C`) than numbers.
fn roman(word: &str) -> Option<u32> {
    if word.is_empty() || !word.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        _ => 10,
    };
    let digits: Vec<u32> = word.chars().map(value).collect();
    let total = digits.iter().enumerate().fold(0i64, |sum, (i, &d)| {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            sum - i64::from(d)
        } else {
            sum + i64::from(d)
        }
    });
    let total = u32::try_from(total).ok()?;
    // Only the canonical spelling: "IIII" or "VX" are not numbers.
    (total > 0 && to_roman(total) == word.to_lowercase()).then_some(total)
}

fn to_roman(mut value: u32) -> String {
    let mut out = String::new();
    for (n, s) in [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")] {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Option<String> {
        numbered(text).map(|n| n.key)
    }

    #[test]
    fn english_and_french_article_labels_give_the_same_keys() {
        assert_eq!(key("Article 1 — Purpose").as_deref(), Some("art-1"));
        assert_eq!(key("Art. 1 Purpose").as_deref(), Some("art-1"));
        assert_eq!(key("Article premier — Objet").as_deref(), Some("art-1"));
        assert_eq!(key("ARTICLE PREMIER").as_deref(), Some("art-1"));
        assert_eq!(key("Article 1er — Objet").as_deref(), Some("art-1"));
        assert_eq!(
            key("Article 12 bis — Audits").as_deref(),
            Some("art-12-bis")
        );
        assert_eq!(key("Article 12bis").as_deref(), Some("art-12-bis"));
        assert_eq!(key("Article 4 ter.").as_deref(), Some("art-4-ter"));
        assert_eq!(key("Article 3a").as_deref(), Some("art-3a"));
        assert_eq!(key("Article 2er"), None, "only the first is 1er");
    }

    #[test]
    fn divisions_annexes_and_numbered_headings_have_keys() {
        assert_eq!(key("CHAPTER II — Principles").as_deref(), Some("ch-2"));
        assert_eq!(key("Chapitre II — Principes").as_deref(), Some("ch-2"));
        assert_eq!(key("Chapitre Ier").as_deref(), Some("ch-1"));
        assert_eq!(key("Chapitre premier").as_deref(), Some("ch-1"));
        assert_eq!(key("Part 1 — General").as_deref(), Some("part-1"));
        assert_eq!(key("Partie I").as_deref(), Some("part-1"));
        assert_eq!(key("Section 3").as_deref(), Some("sec-3"));
        assert_eq!(key("Annex I — List").as_deref(), Some("annex-i"));
        assert_eq!(key("Annexe I — Liste").as_deref(), Some("annex-i"));
        assert_eq!(key("Annex 2").as_deref(), Some("annex-ii"));
        assert_eq!(key("Annex C").as_deref(), Some("annex-c"));
        assert_eq!(key("Annex").as_deref(), Some("annex"));
        assert_eq!(
            key("Recommendation 3.2: Fair pay").as_deref(),
            Some("rec-3.2")
        );
        assert_eq!(key("Recommandation 3.2").as_deref(), Some("rec-3.2"));
        assert_eq!(key("1. Scope").as_deref(), Some("p-1"));
        assert_eq!(key("1.2 Definitions").as_deref(), Some("p-1.2"));
        assert_eq!(key("1.2. Definitions").as_deref(), Some("p-1.2"));
        assert_eq!(key("Scope"), None);
        assert_eq!(key("Part of the text"), None);
    }

    #[test]
    fn labels_and_headings_are_split_where_the_number_ends() {
        let n = numbered("Article 12 bis — Independent audits").unwrap();
        assert_eq!(n.label, "Article 12 bis");
        assert_eq!(n.heading, "Independent audits");
        let n = numbered("Article premier. Objet").unwrap();
        assert_eq!(
            (n.label.as_str(), n.heading.as_str()),
            ("Article premier", "Objet")
        );
        let n = numbered("Recommendation 1.2: Fair pay").unwrap();
        assert_eq!(
            (n.label.as_str(), n.heading.as_str()),
            ("Recommendation 1.2", "Fair pay")
        );
    }

    #[test]
    fn roman_numerals_are_read_only_when_canonical() {
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("IX"), Some(9));
        assert_eq!(roman("XXXIX"), Some(39));
        assert_eq!(roman("VX"), None);
        assert_eq!(roman("iv"), None);
        assert_eq!(to_roman(14), "xiv");
    }
}
