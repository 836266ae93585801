//! What a report is computed into (`Output`), the preview's output, and the
//! open-data CSV's header and cell escaping.

use super::{PublishedComment, ReportError};
use crate::db::DbConnection;

/// A text cell a spreadsheet will not run as a formula: one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe
/// (OWASP's advice against CSV injection).
pub(super) fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Columns are only ever added at the end, so scripts reading them by
/// position keep working.
pub(super) const CSV_HEADER: [&str; CSV_COLUMNS] = [
    "provision_key",
    "stakeholder_group",
    "country",
    "region",
    "verified",
    "stance",
    "name",
    "organization",
    "comment",
    "proposed_text",
    "division_key",
    "disposition",
    "disposition_reason",
    "tags",
    "per_person",
    "per_organization",
    "joint_submission",
    "attachments",
];

pub(super) const CSV_COLUMNS: usize = 18;

/// Where a report's texts and CSV rows go while it is computed: the preview
/// keeps the first few texts of each provision in memory; a publication
/// stores them all with its version, a batch at a time, so memory stays
/// bounded by one provision's texts whatever the round's size.
pub trait Output {
    fn csv_row(
        &mut self,
        conn: &mut DbConnection,
        record: [&str; CSV_COLUMNS],
    ) -> Result<(), ReportError>;
    /// `key` is '' for general comments; `seq` counts from 0 per key.
    fn text(
        &mut self,
        conn: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), ReportError>;
    fn finish(&mut self, conn: &mut DbConnection) -> Result<(), ReportError>;
    /// movement.csv, whole (see reports/movement.rs); the preview keeps none.
    fn movement_csv(&mut self, _conn: &mut DbConnection, _csv: String) -> Result<(), ReportError> {
        Ok(())
    }
    /// Called once a provision's texts are written (`done` of `total`): a
    /// background job reports its progress here.
    fn progress(&mut self, _done: usize, _total: usize) -> Result<(), ReportError> {
        Ok(())
    }
    /// How many positions are read at a time: a publication keeps memory
    /// bounded; the preview reads each provision in one query so that its
    /// page runs as many queries for 10 submissions as for 100,000.
    fn rows_per_batch(&self) -> i64 {
        ROWS_PER_BATCH
    }
}

/// The preview's output: one window of one list of texts (a provision's, or
/// '' for the general comments).
pub struct Preview {
    key: String,
    offset: i32,
    limit: i32,
    pub texts: Vec<PublishedComment>,
}

impl Preview {
    pub fn new(key: &str, offset: i32, limit: i32) -> Self {
        Self {
            key: key.to_string(),
            offset,
            limit,
            texts: vec![],
        }
    }
}

impl Output for Preview {
    fn rows_per_batch(&self) -> i64 {
        i64::MAX
    }

    fn csv_row(&mut self, _: &mut DbConnection, _: [&str; CSV_COLUMNS]) -> Result<(), ReportError> {
        Ok(())
    }

    fn text(
        &mut self,
        _: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), ReportError> {
        if key == self.key && seq >= self.offset && seq - self.offset < self.limit {
            self.texts.push(text);
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut DbConnection) -> Result<(), ReportError> {
        Ok(())
    }
}

const ROWS_PER_BATCH: i64 = 2_000;

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn csv_text_cells_never_start_a_formula() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"https://evil.example\")"),
            "'=HYPERLINK(\"https://evil.example\")"
        );
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(spreadsheet_safe("We back it."), "We back it.");
    }
}
