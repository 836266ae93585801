//! Position papers: files attached to a submission, checked by content (see
//! `check`), kept with their SHA-256 in the database (rows of at most
//! [`CHUNK_BYTES`]) or in a directory, and published with the report only
//! where the submission's general comment would be.

pub mod check;
#[cfg(test)]
mod fixtures;

use crate::config::{AttachmentStorage, StorageSettings};
use crate::db::schema::{attachment_chunks, attachments, submissions};
use crate::db::{AttachmentId, DbConnection, RoundId, SubmissionId, UserId};
use crate::submissions::{Disclosure, Status};
use check::Kind;
use diesel::dsl::{Eq, Filter, IsNull, NotEq};
use diesel::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use time::PrimitiveDateTime;

/// The size of a stored row, and of what is read or sent at once.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// An attachment as the pages list it and downloads serve it.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: AttachmentId,
    pub submission_id: SubmissionId,
    pub public_id: String,
    pub file_name: String,
    pub kind: Kind,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage: AttachmentStorage,
    pub created_at: PrimitiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attachments)]
struct Row {
    id: AttachmentId,
    submission_id: SubmissionId,
    public_id: String,
    file_name: String,
    kind: String,
    size_bytes: i64,
    sha256: String,
    storage: String,
    created_at: PrimitiveDateTime,
}

impl From<Row> for Attachment {
    fn from(r: Row) -> Self {
        Attachment {
            id: r.id,
            submission_id: r.submission_id,
            public_id: r.public_id,
            file_name: r.file_name,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Pdf),
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            storage: match r.storage.as_str() {
                "dir" => AttachmentStorage::Dir,
                _ => AttachmentStorage::Db,
            },
            created_at: r.created_at,
        }
    }
}

fn storage_code(storage: AttachmentStorage) -> &'static str {
    match storage {
        AttachmentStorage::Db => "db",
        AttachmentStorage::Dir => "dir",
    }
}

/// A submission's attachments, oldest first.
pub fn list(conn: &mut DbConnection, submission: SubmissionId) -> QueryResult<Vec<Attachment>> {
    let rows: Vec<Row> = attachments::table
        .filter(attachments::submission_id.eq(submission))
        .order(attachments::id)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Attachment::from).collect())
}

/// One attachment of a submission of `round`; `None` for one of another
/// round (the caller answers 404, as for one that does not exist).
pub fn find_in_round(
    conn: &mut DbConnection,
    round: RoundId,
    id: AttachmentId,
) -> QueryResult<Option<Attachment>> {
    let row: Option<Row> = attachments::table
        .inner_join(submissions::table)
        .filter(attachments::id.eq(id))
        .filter(submissions::round_id.eq(round))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Attachment::from))
}

type OfRound = Filter<submissions::table, Eq<submissions::round_id, RoundId>>;
type Submitted = Filter<OfRound, Eq<submissions::status, &'static str>>;
type Disclosed = Filter<Submitted, NotEq<submissions::disclosure, &'static str>>;
type Publishable = Filter<Disclosed, IsNull<submissions::general_comment_hidden_reason>>;

/// The submissions whose attachments a published report shows: those whose
/// general comment it would publish (submitted, not confidential, not
/// hidden by the organizers).
fn publishable(round: RoundId) -> Publishable {
    submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .filter(submissions::disclosure.ne(Disclosure::Confidential.as_str()))
        .filter(submissions::general_comment_hidden_reason.is_null())
}

/// A published attachment by its public id, if its submission allows.
pub fn find_published(
    conn: &mut DbConnection,
    round: RoundId,
    public_id: &str,
) -> QueryResult<Option<Attachment>> {
    let row: Option<Row> = attachments::table
        .filter(attachments::public_id.eq(public_id))
        .filter(attachments::submission_id.eq_any(publishable(round).select(submissions::id)))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Attachment::from))
}

/// Who sent a published attachment, as their submission records it.
#[derive(Debug, Clone, Queryable)]
pub struct Sender {
    pub disclosure: String,
    pub name: String,
    pub organization: String,
    pub group: String,
    pub country: String,
}

/// Every attachment a published report of `round` shows, with its sender,
/// in the order of their random public ids (so that one person's papers are
/// not listed together by the order they were sent in).
pub fn published(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<Vec<(Attachment, Sender)>> {
    let ids: Vec<SubmissionId> = publishable(round).select(submissions::id).load(conn)?;
    let rows: Vec<(Row, Sender)> = attachments::table
        .inner_join(submissions::table)
        .filter(attachments::submission_id.eq_any(ids))
        .order(attachments::public_id)
        .select((
            Row::as_select(),
            (
                submissions::disclosure,
                submissions::display_name,
                submissions::organization,
                submissions::stakeholder_group,
                submissions::country,
            ),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(r, s)| (r.into(), s)).collect())
}

/// The extracted texts of the attachments of each of `list`, for search.
pub fn texts_of(
    conn: &mut DbConnection,
    list: &[SubmissionId],
) -> QueryResult<std::collections::HashMap<SubmissionId, Vec<String>>> {
    let rows: Vec<(SubmissionId, String)> = attachments::table
        .filter(attachments::submission_id.eq_any(list))
        .order(attachments::id)
        .select((attachments::submission_id, attachments::extracted_text))
        .load(conn)?;
    let mut papers = std::collections::HashMap::<_, Vec<String>>::new();
    for (submission, text) in rows {
        papers.entry(submission).or_default().push(text);
    }
    Ok(papers)
}

/// An uploaded file waiting to be stored: checked, hashed, on disk.
pub struct Upload<'a> {
    pub path: &'a Path,
    pub file_name: String,
    pub checked: check::Checked,
    pub size_bytes: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("the submission already has {0} attachments")]
    TooMany(u32),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("storing the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Where a file of `dir` storage lives.
pub fn file_path(settings: &StorageSettings, public_id: &str) -> PathBuf {
    settings.attachments_dir.join(public_id)
}

/// Stores `upload` as an attachment of `submission`, unless it already has
/// as many as allowed. Call it inside `db::write_transaction`: the count and
/// the insert stand together. The file is copied in rows of [`CHUNK_BYTES`]
/// (or into the directory), never read whole.
pub fn add(
    conn: &mut DbConnection,
    settings: &StorageSettings,
    submission: SubmissionId,
    upload: &Upload,
    now: PrimitiveDateTime,
) -> Result<Attachment, AddError> {
    let held: i64 = attachments::table
        .filter(attachments::submission_id.eq(submission))
        .count()
        .get_result(conn)?;
    if held >= i64::from(settings.attachments_per_submission) {
        return Err(AddError::TooMany(settings.attachments_per_submission));
    }
    let public_id = hex::encode(rand::random::<[u8; 16]>());
    let size = i64::try_from(upload.size_bytes).unwrap_or(i64::MAX);
    let id: AttachmentId = diesel::insert_into(attachments::table)
        .values((
            attachments::submission_id.eq(submission),
            attachments::public_id.eq(&public_id),
            attachments::file_name.eq(&upload.file_name),
            attachments::kind.eq(upload.checked.kind.as_str()),
            attachments::size_bytes.eq(size),
            attachments::sha256.eq(&upload.sha256),
            attachments::storage.eq(storage_code(settings.attachments)),
            attachments::extracted_text.eq(&upload.checked.text),
            attachments::created_at.eq(now),
        ))
        .returning(attachments::id)
        .get_result(conn)?;
    match settings.attachments {
        AttachmentStorage::Db => {
            let mut file = std::fs::File::open(upload.path)?;
            let mut buffer = vec![0u8; CHUNK_BYTES];
            let mut seq = 0;
            loop {
                let filled = fill(&mut file, &mut buffer)?;
                if filled == 0 {
                    break;
                }
                diesel::insert_into(attachment_chunks::table)
                    .values((
                        attachment_chunks::attachment_id.eq(id),
                        attachment_chunks::seq.eq(seq),
                        attachment_chunks::data.eq(&buffer[..filled]),
                    ))
                    .execute(conn)?;
                seq += 1;
            }
        }
        AttachmentStorage::Dir => {
            std::fs::create_dir_all(&settings.attachments_dir)?;
            std::fs::copy(upload.path, file_path(settings, &public_id))?;
        }
    }
    Ok(Attachment {
        id,
        submission_id: submission,
        public_id,
        file_name: upload.file_name.clone(),
        kind: upload.checked.kind,
        size_bytes: size,
        sha256: upload.sha256.clone(),
        storage: settings.attachments,
        created_at: now,
    })
}

/// Reads until `buffer` is full or the file ends; how much it holds.
fn fill(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Removes one of a submission's attachments; what was removed, so that a
/// file of `dir` storage can be deleted once the transaction commits.
pub fn remove(
    conn: &mut DbConnection,
    submission: SubmissionId,
    id: AttachmentId,
) -> QueryResult<Option<Attachment>> {
    let row: Option<Row> = attachments::table
        .filter(attachments::id.eq(id))
        .filter(attachments::submission_id.eq(submission))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    diesel::delete(attachment_chunks::table.filter(attachment_chunks::attachment_id.eq(id)))
        .execute(conn)?;
    diesel::delete(attachments::table.find(id)).execute(conn)?;
    Ok(Some(row.into()))
}

/// Removes every file `participant` attached to their own submissions (their
/// account is being deleted; it queues the submissions for the search index);
/// what was removed, so that files of `dir` storage can be deleted
/// once the transaction commits.
pub fn remove_all_of(conn: &mut DbConnection, participant: UserId) -> QueryResult<Vec<Attachment>> {
    let rows: Vec<Row> = attachments::table
        .inner_join(submissions::table)
        .filter(submissions::participant_id.eq(participant))
        .filter(submissions::organization_id.is_null())
        .select(Row::as_select())
        .load(conn)?;
    let ids: Vec<AttachmentId> = rows.iter().map(|r| r.id).collect();
    diesel::delete(attachment_chunks::table.filter(attachment_chunks::attachment_id.eq_any(&ids)))
        .execute(conn)?;
    diesel::delete(attachments::table.filter(attachments::id.eq_any(&ids))).execute(conn)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Deletes the files of `dir` storage among `removed`, after the rows went:
/// one that cannot be deleted is logged and left.
pub fn delete_files(settings: &StorageSettings, removed: &[Attachment]) {
    for a in removed
        .iter()
        .filter(|a| a.storage == AttachmentStorage::Dir)
    {
        let file = file_path(settings, &a.public_id);
        if let Err(e) = std::fs::remove_file(&file) {
            tracing::warn!(error = %e, file = %file.display(), "removed attachment's file stays");
        }
    }
}

/// Row `seq` of a file stored in the database; `None` past its end.
pub fn chunk(conn: &mut DbConnection, id: AttachmentId, seq: i32) -> QueryResult<Option<Vec<u8>>> {
    attachment_chunks::table
        .filter(attachment_chunks::attachment_id.eq(id))
        .filter(attachment_chunks::seq.eq(seq))
        .select(attachment_chunks::data)
        .first(conn)
        .optional()
}

/// A name safe to send back in `Content-Disposition`: no path, no control
/// characters, at most 120 characters, ending with the kind's extension.
pub fn clean_name(uploaded: &str, kind: Kind) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or_default();
    let base: String = crate::forms::without_bidi_controls(base)
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    let base = base.trim().trim_start_matches('.');
    let extension = format!(".{}", kind.as_str());
    let stem = if base.to_ascii_lowercase().ends_with(&extension) {
        &base[..base.len() - extension.len()]
    } else {
        base
    };
    let stem = if stem.trim().is_empty() {
        "position-paper"
    } else {
        stem.trim()
    };
    format!("{stem}{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_loses_its_path_and_gets_the_extension_of_its_content() {
        assert_eq!(clean_name("C:\\docs\\Paper.PDF", Kind::Pdf), "Paper.pdf");
        assert_eq!(clean_name("../../etc/passwd", Kind::Odt), "passwd.odt");
        assert_eq!(clean_name("\"quoted\"\n.docx", Kind::Docx), "quoted.docx");
        assert_eq!(clean_name("", Kind::Pdf), "position-paper.pdf");
    }
}
