use serde::{Deserialize, Serialize};
use std::fmt;

/// A consultation's address: lower-case letters, digits and single hyphens,
/// 1–80 characters; `new` is taken by the page that creates consultations.
/// An address naming anything else finds nothing (404).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = raw != "new"
            && (1..=80).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        valid.then(|| Slug(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Slug::parse(&raw).ok_or("not a consultation slug")
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        for good in ["additional-protocol", "a", "round-2026"] {
            assert!(Slug::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "new",
            "Upper",
            "two--hyphens",
            "-lead",
            "trail-",
            "sp ace",
            &"a".repeat(81),
        ] {
            assert!(Slug::parse(bad).is_none(), "{bad}");
        }
    }
}
