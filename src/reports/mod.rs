//! Public reports: figures by stakeholder group, campaigns, the organizers'
//! responses and the published comments, frozen in an immutable snapshot at
//! publication. The pure parts (figures, campaigns, charts) take plain rows so
//! the methodology can be tested without a database.

mod attribution;
mod build;
pub mod campaigns;
pub mod chart;
pub mod figures;
pub mod jobs;
mod joint;
mod live;
pub mod matrix;
pub mod moderation;
pub mod movement;
mod output;
mod privacy;
mod publish;
mod published;
mod responses;
mod search;
mod snapshot;
mod store;
pub mod themes;

pub use build::build;
pub use jobs::round_changed;
pub use joint::{JointSubmission, Signatory};
pub use live::{Counted, aggregate};
pub use moderation::{QueueItem, moderation_queue};
pub use output::{Output, Preview};
pub use privacy::{new_salt, position_public_ids};
pub use publish::{freeze, publish};
pub use published::{
    Published, csv_chunk, movement_csv, published_times, stored, text_by_public_id, texts_batch,
    texts_page,
};
pub use responses::{response_of, set_response};
pub use search::{Found, TextQuery, search_texts};
pub use snapshot::{
    DivisionRef, DivisionReport, GroupCount, Participation, PlaceCount, ProvisionReport,
    PublishedAttachment, PublishedComment, Snapshot,
};

use crate::db::{DbConnection, DbError};
use crate::drafts::{self, Provision};
use crate::notifications::NotifyError;
use crate::rounds::Round;
use diesel::QueryResult;

/// Near-duplicate comments at or above this word-shingle Jaccard similarity
/// are one campaign.
pub const CAMPAIGN_THRESHOLD: f64 = 0.8;
pub const CAMPAIGN_MIN_SIZE: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Notify(#[from] NotifyError),
    /// The CSV is written to memory: a failure is a bug, not the data's.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("csv: {0}")]
    CsvEncoding(#[from] std::string::FromUtf8Error),
    #[error("snapshot: {0}")]
    Snapshot(#[from] serde_json::Error),
    /// Another worker took the job over (this one's claim lapsed).
    #[error("the job was taken over by another worker")]
    ClaimLost,
    #[error("worker: {0}")]
    Worker(String),
}

/// A round's movement (one set per panel) and movement.csv, computed as
/// publication computes them; None when the round follows none. For the
/// benchmarks, which time it alone.
pub fn movement_of(
    conn: &mut DbConnection,
    round: &Round,
) -> Result<Option<(Vec<movement::Movement>, String)>, ReportError> {
    let provisions = provisions_of(conn, round)?;
    let privacy = privacy::Privacy::load(conn, round)?;
    Ok(movement::of_round(conn, round, &provisions, &privacy)?.map(|m| (m.movements, m.csv)))
}

/// The provisions of the round's draft, for pages that list them.
pub fn provisions_of(conn: &mut DbConnection, round: &Round) -> QueryResult<Vec<Provision>> {
    drafts::provisions_of(conn, round.draft_version_id)
}
