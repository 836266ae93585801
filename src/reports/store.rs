//! A publication's output: its texts and open-data CSV, stored with its
//! version a batch at a time.

use super::output::{CSV_COLUMNS, CSV_HEADER, Output};
use super::published::TAG_SEPARATOR;
use super::{PublishedComment, ReportError};
use crate::db::schema::{report_csv_chunks, report_texts, reports};
use crate::db::{DbConnection, PositionId, ReportId};
use diesel::prelude::*;

#[derive(Insertable)]
#[diesel(table_name = report_texts)]
#[diesel(treat_none_as_default_value = false)]
struct NewText {
    report_id: ReportId,
    provision_key: String,
    seq: i32,
    position_id: Option<PositionId>,
    name: Option<String>,
    organization: Option<String>,
    stakeholder_group: Option<String>,
    country: Option<String>,
    stance: Option<String>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
    public_id: Option<String>,
    disposition: Option<String>,
    disposition_reason: Option<String>,
    tags: String,
    region: Option<String>,
}

const CSV_CHUNK_BYTES: usize = 1 << 20;
const INSERT_BATCH: usize = 500;

/// A publication's output: texts and CSV chunks stored with its version.
pub(super) struct Store {
    report: ReportId,
    csv: csv::Writer<Vec<u8>>,
    chunk: i32,
    texts: Vec<NewText>,
}

impl Store {
    pub(super) fn new(report: ReportId) -> Self {
        let mut csv = csv::Writer::from_writer(Vec::new());
        let _ = csv.write_record(CSV_HEADER);
        Self {
            report,
            csv,
            chunk: 0,
            texts: Vec::with_capacity(INSERT_BATCH),
        }
    }

    fn flush_csv(&mut self, conn: &mut DbConnection) -> Result<(), ReportError> {
        let full = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        let bytes = full
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        if bytes.is_empty() {
            return Ok(());
        }
        let data = String::from_utf8(bytes)?;
        diesel::insert_into(report_csv_chunks::table)
            .values((
                report_csv_chunks::report_id.eq(self.report),
                report_csv_chunks::seq.eq(self.chunk),
                report_csv_chunks::data.eq(data),
            ))
            .execute(conn)?;
        self.chunk += 1;
        Ok(())
    }

    fn flush_texts(&mut self, conn: &mut DbConnection) -> Result<(), ReportError> {
        if !self.texts.is_empty() {
            let texts = &self.texts;
            crate::per_backend!(conn, |c| diesel::insert_into(report_texts::table)
                .values(texts)
                .execute(c))?;
            self.texts.clear();
        }
        Ok(())
    }
}

impl Output for Store {
    fn csv_row(
        &mut self,
        conn: &mut DbConnection,
        record: [&str; CSV_COLUMNS],
    ) -> Result<(), ReportError> {
        self.csv.write_record(record)?;
        if self.csv.get_ref().len() >= CSV_CHUNK_BYTES {
            self.flush_csv(conn)?;
        }
        Ok(())
    }

    fn text(
        &mut self,
        conn: &mut DbConnection,
        key: &str,
        seq: i32,
        text: PublishedComment,
    ) -> Result<(), ReportError> {
        self.texts.push(NewText {
            report_id: self.report,
            provision_key: key.to_string(),
            seq,
            position_id: text.position_id,
            name: text.name,
            organization: text.organization,
            stakeholder_group: text.group.map(|g| g.as_str().to_string()),
            country: text.country,
            stance: text.stance.map(|s| s.as_str().to_string()),
            comment: text.comment,
            proposed_text: text.proposed_text,
            hidden_reason: text.hidden_reason,
            public_id: text.id,
            disposition: text.disposition.map(|d| d.as_str().to_string()),
            disposition_reason: text.disposition_reason,
            tags: text.tags.join(TAG_SEPARATOR),
            region: text.region,
        });
        if self.texts.len() >= INSERT_BATCH {
            self.flush_texts(conn)?;
        }
        Ok(())
    }

    fn finish(&mut self, conn: &mut DbConnection) -> Result<(), ReportError> {
        self.flush_csv(conn)?;
        self.flush_texts(conn)
    }

    fn movement_csv(&mut self, conn: &mut DbConnection, csv: String) -> Result<(), ReportError> {
        diesel::update(reports::table.find(self.report))
            .set(reports::movement_csv.eq(csv))
            .execute(conn)?;
        Ok(())
    }
}
