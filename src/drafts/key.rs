use serde::{Deserialize, Serialize};
use std::fmt;

/// A provision's stable key (`art-3`, `rec-1.2`): the same across versions
/// and languages, so a provision's history can be followed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProvisionKey(String);

impl ProvisionKey {
    /// 1–64 lower-case letters, digits, hyphens and dots, starting with a
    /// letter or a digit.
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = (1..=64).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        valid.then(|| ProvisionKey(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProvisionKey {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        ProvisionKey::parse(&raw).ok_or("not a provision key")
    }
}

impl From<ProvisionKey> for String {
    fn from(key: ProvisionKey) -> String {
        key.0
    }
}

impl fmt::Display for ProvisionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
