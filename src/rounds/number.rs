use serde::{Deserialize, Serialize};
use std::fmt;

/// A round's number within its consultation (1, 2, …), as addresses carry
/// it; anything else in an address finds nothing (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "i32")]
pub struct RoundNumber(i32);

impl RoundNumber {
    pub fn new(n: i32) -> Option<Self> {
        (n >= 1).then_some(RoundNumber(n))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        raw.parse().ok().and_then(Self::new)
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl TryFrom<String> for RoundNumber {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        RoundNumber::parse(&raw).ok_or("not a round number")
    }
}

impl From<RoundNumber> for i32 {
    fn from(n: RoundNumber) -> i32 {
        n.0
    }
}

impl fmt::Display for RoundNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
