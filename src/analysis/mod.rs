//! The analysis workspace: organizers and the analysts they name read every
//! submitted text of a consultation's rounds, code them with the
//! consultation's tags, split them among themselves and record a disposition
//! for each. Nothing here is public until a report publishes it.

pub mod access;
pub mod analysts;
pub mod assignments;
pub mod campaigns;
pub mod dispositions;
#[cfg(feature = "bench")]
pub mod fixtures;
pub mod index;
pub mod search;
pub mod tags;
pub mod words;

use crate::db::{PositionId, SubmissionId};

crate::text_enum! {
    /// What a text of a round is: a position's comment and proposed wording,
    /// or a submission's general comment.
    pub enum TextKind {
        Position => "position",
        General => "general",
    }
}

/// One text of a round, as the analysis tables name it (`text_kind`,
/// `text_id`): the id is a position's for `Position`, a submission's for
/// `General`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRef {
    pub kind: TextKind,
    pub id: i64,
}

impl TextRef {
    pub fn position(id: PositionId) -> Self {
        TextRef {
            kind: TextKind::Position,
            id: id.0,
        }
    }

    pub fn general(id: SubmissionId) -> Self {
        TextRef {
            kind: TextKind::General,
            id: id.0,
        }
    }
}

crate::text_enum! {
    /// What the organizers decided about a text.
    pub enum Disposition {
        Accepted => "accepted",
        PartlyAccepted => "partly_accepted",
        NotAccepted => "not_accepted",
        OutOfScope => "out_of_scope",
    }
}

crate::text_enum! {
    /// Analysts propose a disposition; an organizer confirms it, and only
    /// confirmed ones are published.
    pub enum DispositionState {
        Proposed => "proposed",
        Confirmed => "confirmed",
    }
}
