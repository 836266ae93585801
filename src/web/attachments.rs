//! Position papers: the participant's page that lists, uploads and removes
//! the files of their submission; downloads for the participant, for the
//! consultation's organizers and analysts, and for everyone once the report
//! is out and the submission's disclosure allows. Every download is sent as
//! an attachment that the browser neither sniffs nor renders.

use crate::attachments::check::{self, Kind};
use crate::attachments::{self, AddError, Attachment, CHUNK_BYTES, Upload};
use crate::codes::{Locale, StakeholderGroup};
use crate::config::{AttachmentStorage, StorageSettings};
use crate::consultations::{self, Slug};
use crate::db::AttachmentId;
use crate::forms::FieldErrors;
use crate::i18n::numbers::format_decimal;
use crate::i18n::reading::{Text, title_of};
use crate::rounds::{self, Attribution, RoundNumber};
use crate::submissions::{self, Disclosure, FileChange, Refusal, Status};
use crate::web::cache::rounds::{RoundData, load};
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::body::SizedStream;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Serialize)]
struct FileRow {
    id: i64,
    name: String,
    kind_key: &'static str,
    size: String,
    sha256: String,
}

fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Pdf => "attachment-kind-pdf",
        Kind::Docx => "attachment-kind-docx",
        Kind::Odt => "attachment-kind-odt",
    }
}

#[derive(Serialize)]
struct AttachmentsPage {
    slug: String,
    number: i32,
    consultation_title: Text,
    csrf: String,
    files: Vec<FileRow>,
    /// The round is open to this participant and their submission exists.
    can_change: bool,
    /// Room for one more file.
    room: bool,
    /// No submission yet: answers must be saved first.
    unsaved: bool,
    refusal_key: Option<&'static str>,
    confidential: bool,
    max_files: u32,
    max_size: String,
    errors: FieldErrors,
}

/// "2.5 MB", "120 KB", in the reader's decimal notation.
fn size_label(locale: Locale, bytes: i64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let bytes = bytes as f64;
    if bytes >= MB {
        format!(
            "{} MB",
            format_decimal(locale, &format!("{:.1}", bytes / MB))
        )
    } else {
        format!("{} KB", (bytes / 1024.0).ceil() as i64)
    }
}

fn file_rows(locale: Locale, files: &[Attachment]) -> Vec<FileRow> {
    files
        .iter()
        .map(|a| FileRow {
            id: a.id.0,
            name: a.file_name.clone(),
            kind_key: kind_key(a.kind),
            size: size_label(locale, a.size_bytes),
            sha256: a.sha256.clone(),
        })
        .collect()
}

fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::NotSignedIn => "refusal-not-signed-in",
        Refusal::EmailUnverified => "refusal-email-unverified",
        Refusal::GroupNotEligible => "refusal-group",
        Refusal::OrganizationGroupNotEligible => "refusal-organization-group",
        Refusal::NotOpenYet | Refusal::Closed => "attachments-closed",
    }
}

async fn render_page(
    ctx: &Ctx,
    data: &RoundData,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let files = match data.stored.as_ref().map(|s| s.id) {
        Some(id) => {
            ctx.state
                .db
                .query(move |c| attachments::list(c, id))
                .await?
        }
        None => vec![],
    };
    let storage = &ctx.state.settings.storage;
    let refusal = data.may_submit(ctx.user.as_ref()).err();
    let can_change = refusal.is_none() && data.stored.is_some();
    let page = AttachmentsPage {
        slug: data.consultation.slug.clone(),
        number: data.round.number,
        consultation_title: title_of(&data.consultation, ctx.locale),
        csrf: ctx.csrf(),
        room: can_change && files.len() < storage.attachments_per_submission as usize,
        files: file_rows(ctx.locale, &files),
        can_change,
        unsaved: refusal.is_none() && data.stored.is_none(),
        refusal_key: refusal.map(refusal_key),
        confidential: data
            .stored
            .as_ref()
            .is_some_and(|s| s.input.disclosure == Some(Disclosure::Confidential)),
        max_files: storage.attachments_per_submission,
        max_size: size_label(
            ctx.locale,
            i64::try_from(storage.attachment_max_bytes).unwrap_or(i64::MAX),
        ),
        errors,
    };
    ctx.render(
        status,
        "submissions/attachments",
        &ctx.t("attachments-title"),
        &page,
    )
}

/// The participant's position papers for a round.
pub async fn page(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    ctx.user()?;
    let data = load(&ctx, slug, number).await?;
    render_page(&ctx, &data, FieldErrors::default(), StatusCode::OK).await
}

/// The submission whose files may change now: the round is open to this
/// participant and they have saved their answers at least once.
fn changeable(ctx: &Ctx, data: &RoundData) -> Result<crate::db::SubmissionId, AppError> {
    if let Err(refusal) = data.may_submit(ctx.user.as_ref()) {
        return Err(match refusal {
            Refusal::NotSignedIn => AppError::login_required(format!(
                "/consultations/{}/rounds/{}/submission/attachments",
                data.consultation.slug, data.round.number
            )),
            Refusal::EmailUnverified
            | Refusal::GroupNotEligible
            | Refusal::OrganizationGroupNotEligible => AppError::forbidden(),
            Refusal::NotOpenYet | Refusal::Closed => AppError::conflict("the round is not open"),
        });
    }
    data.stored
        .as_ref()
        .map(|s| s.id)
        .ok_or_else(|| AppError::conflict("no submission to attach to"))
}

/// An upload on its way to disk, deleted when dropped (stored or refused).
struct Spooled {
    path: PathBuf,
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What the upload form sent, or what is wrong with it.
enum Received {
    File {
        spooled: Spooled,
        name: String,
        size: u64,
        sha256: String,
    },
    Missing,
    TooLarge,
}

/// Streams the `file` part to a temporary file, hashing it on the way;
/// never more than `max` bytes are kept.
async fn receive(
    req: &HttpRequest,
    payload: web::Payload,
    max: u64,
    spool_dir: PathBuf,
) -> Result<Received, AppError> {
    let body = SharedBody(Rc::new(RefCell::new(payload)));
    let mut multipart = actix_multipart::Multipart::new(req.headers(), body.clone());
    let mut received = Received::Missing;
    let unreadable = |e: actix_multipart::MultipartError| AppError::bad_request(e.to_string());
    let io = |e: std::io::Error| AppError::internal(e.into());
    while let Some(part) = multipart.next().await {
        let mut part = part.map_err(unreadable)?;
        let name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let is_file = part.name() == Some("file") && matches!(received, Received::Missing);
        let Some(name) = name.filter(|n| is_file && !n.is_empty()) else {
            // Other fields carry nothing this form needs; read past them.
            while let Some(chunk) = part.next().await {
                chunk.map_err(unreadable)?;
            }
            continue;
        };
        tokio::fs::create_dir_all(&spool_dir).await.map_err(io)?;
        let spooled = Spooled {
            path: spool_dir.join(hex::encode(rand::random::<[u8; 16]>())),
        };
        let mut file = tokio::fs::File::create(&spooled.path).await.map_err(io)?;
        let (mut size, mut hash, mut too_large) = (0u64, Sha256::new(), false);
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(unreadable)?;
            size += chunk.len() as u64;
            // The rest is read and dropped, so that the refusal reaches a
            // browser still sending.
            too_large |= size > max;
            if !too_large {
                hash.update(&chunk);
                file.write_all(&chunk).await.map_err(io)?;
            }
        }
        file.flush().await.map_err(io)?;
        received = if too_large {
            Received::TooLarge
        } else if size == 0 {
            Received::Missing
        } else {
            Received::File {
                spooled,
                name,
                size,
                sha256: hex::encode(hash.finalize()),
            }
        };
    }
    drop(multipart);
    let mut rest = body;
    while let Some(chunk) = rest.next().await {
        chunk.map_err(|e| AppError::bad_request(e.to_string()))?;
    }
    Ok(received)
}

/// Reads and drops the body of a request refused before it was read, up to
/// about `max` bytes (what an upload may be), so that the connection can
/// carry the browser's next request: one left with unread bytes is closed.
/// Past that, or when the body breaks off, the connection is given up.
async fn drain(payload: &mut web::Payload, max: u64) {
    let mut read = 0u64;
    while let Some(Ok(chunk)) = payload.next().await {
        read += chunk.len() as u64;
        if read > max + 64 * 1024 {
            break;
        }
    }
}

/// The request body, shared with the multipart parser so that what it
/// leaves after the closing boundary is read too: a connection whose
/// request was not read to its end cannot carry the next request.
#[derive(Clone)]
struct SharedBody(Rc<RefCell<web::Payload>>);

impl Stream for SharedBody {
    type Item = Result<Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.borrow_mut().poll_next_unpin(cx)
    }
}

/// Attaches the uploaded `file`. A refusal comes back on the page, next to
/// the field, with its status; the files already attached stay.
pub async fn upload(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(Slug, RoundNumber)>,
    mut payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let settings: StorageSettings = ctx.state.settings.storage.clone();
    let checked = async {
        let user = ctx.user()?.id;
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            return Err(AppError::bad_request("an upload is multipart/form-data"));
        }
        let data = load(&ctx, slug.clone(), number).await?;
        let submission = changeable(&ctx, &data)?;
        Ok((user, data, submission))
    }
    .await;
    let (user, data, submission) = match checked {
        Ok(checked) => checked,
        Err(refused) => {
            drain(&mut payload, settings.attachment_max_bytes).await;
            return Err(refused);
        }
    };
    let spool = ctx.state.settings.app.data_dir.join("uploads");
    let refuse = |status, key| render_page(&ctx, &data, FieldErrors::single("file", key), status);
    let (spooled, name, size, sha256) =
        match receive(&req, payload, settings.attachment_max_bytes, spool).await? {
            Received::File {
                spooled,
                name,
                size,
                sha256,
            } => (spooled, name, size, sha256),
            Received::Missing => {
                return refuse(StatusCode::UNPROCESSABLE_ENTITY, "attachment-error-missing").await;
            }
            Received::TooLarge => {
                return refuse(StatusCode::PAYLOAD_TOO_LARGE, "attachment-error-too-large").await;
            }
        };
    let at = spooled.path.clone();
    let claimed = name.clone();
    let checked = web::block(move || check::check(&at, &claimed))
        .await
        .map_err(|e| AppError::internal(e.into()))?;
    let checked = match checked {
        Ok(c) => c,
        Err(refused) => {
            tracing::info!(%refused, "attachment refused");
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, refused.message_key()).await;
        }
    };
    let (round, submitted) = (
        data.round.id,
        data.stored
            .as_ref()
            .is_some_and(|s| s.status == Status::Submitted),
    );
    let now = ctx.state.clock.now();
    let added = ctx
        .state
        .db
        .run(
            move |conn| -> Result<Result<Attachment, AddError>, AppError> {
                let upload = Upload {
                    path: &spooled.path,
                    file_name: attachments::clean_name(&name, checked.kind),
                    checked,
                    size_bytes: size,
                    sha256,
                };
                let result = crate::db::write_transaction(conn, |c| {
                    let added = attachments::add(c, &settings, submission, &upload, now)?;
                    submissions::record_file_change(c, submission, FileChange::Attach, user, now)?;
                    if submitted {
                        crate::analysis::index::queue(c, round, submission, now)?;
                    }
                    Ok::<_, AddError>(added)
                });
                match result {
                    Err(AddError::Query(e)) => Err(e.into()),
                    Err(AddError::Io(e)) => Err(AppError::internal(e.into())),
                    other => Ok(other),
                }
            },
        )
        .await?;
    match added {
        Ok(_) => {
            ctx.flash("attachment-added");
            Ok(see_other(&format!(
                "/consultations/{slug}/rounds/{number}/submission/attachments"
            )))
        }
        Err(_) => refuse(StatusCode::CONFLICT, "attachment-error-too-many").await,
    }
}

/// Removes one of the participant's files while the round is open.
pub async fn remove(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, AttachmentId)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, id) = path.into_inner();
    let user = ctx.user()?.id;
    let now = ctx.state.clock.now();
    let data = load(&ctx, slug.clone(), number).await?;
    let submission = changeable(&ctx, &data)?;
    let (round, submitted) = (
        data.round.id,
        data.stored
            .as_ref()
            .is_some_and(|s| s.status == Status::Submitted),
    );
    let storage = ctx.state.settings.storage.clone();
    ctx.state
        .db
        .run(move |conn| {
            let removed = crate::db::write_transaction(conn, |c| {
                let Some(removed) = attachments::remove(c, submission, id)? else {
                    return Err(AppError::not_found());
                };
                submissions::record_file_change(c, submission, FileChange::Detach, user, now)?;
                if submitted {
                    crate::analysis::index::queue(c, round, submission, now)?;
                }
                Ok(removed)
            })?;
            attachments::delete_files(&storage, &[removed]);
            Ok::<_, AppError>(())
        })
        .await?;
    ctx.flash("attachment-removed");
    Ok(see_other(&format!(
        "/consultations/{slug}/rounds/{number}/submission/attachments"
    )))
}

/// One of the participant's own files.
pub async fn download_own(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, AttachmentId)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, id) = path.into_inner();
    ctx.user()?;
    let data = load(&ctx, slug, number).await?;
    let submission = data.stored.as_ref().ok_or_else(AppError::not_found)?.id;
    let round = data.round.id;
    let found = ctx
        .state
        .db
        .query(move |c| attachments::find_in_round(c, round, id))
        .await?
        .filter(|a| a.submission_id == submission)
        .ok_or_else(AppError::not_found)?;
    Ok(send(&ctx, found, true))
}

/// Any file of the round, for the consultation's organizers and analysts;
/// 404 for anyone else and for a file of another consultation or round.
pub async fn download_for_analysis(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, AttachmentId)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, id) = path.into_inner();
    let workspace = super::analysis::workspace_of(&ctx, slug).await?;
    let consultation = workspace.consultation.id;
    let found = ctx
        .state
        .db
        .query(move |c| {
            let (round, _) = rounds::find(c, consultation, number.get())?;
            attachments::find_in_round(c, round.id, id)
        })
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(send(&ctx, found, true))
}

#[derive(Serialize)]
struct PublishedRow {
    public_id: String,
    name: String,
    kind_key: &'static str,
    size: String,
    sha256: String,
    sender_name: Option<String>,
    organization: Option<String>,
    group: Option<String>,
    country: Option<String>,
}

#[derive(Serialize)]
struct PublishedPage {
    slug: String,
    number: i32,
    consultation_title: Text,
    files: Vec<PublishedRow>,
}

/// A round whose report is out; 404 before.
fn published_round(
    c: &mut crate::db::DbConnection,
    slug: &Slug,
    number: RoundNumber,
) -> Result<(consultations::Consultation, rounds::Round), AppError> {
    let consultation = consultations::find_by_slug(c, slug.as_str())?;
    let (round, published) = rounds::find(c, consultation.id, number.get())?;
    if !published {
        return Err(AppError::not_found());
    }
    Ok((consultation, round))
}

/// The position papers a published report shows: those of submissions whose
/// general comment it publishes, each with what its disclosure allows.
pub async fn published_list(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (consultation, round, files) = ctx
        .state
        .db
        .run(move |c| -> Result<_, AppError> {
            let (consultation, round) = published_round(c, &slug, number)?;
            let files = attachments::published(c, round.id)?;
            Ok((consultation, round, files))
        })
        .await?;
    let chatham = round.attribution() == Attribution::ChathamHouse;
    let locale = ctx.locale;
    let rows = files
        .into_iter()
        .map(|(a, sender)| {
            let disclosure = Disclosure::parse(&sender.disclosure).unwrap_or(Disclosure::Anonymous);
            let named = !chatham && disclosure == Disclosure::Attributed;
            let organization = !chatham
                && matches!(
                    disclosure,
                    Disclosure::Attributed | Disclosure::Organization
                );
            let shown = |yes: bool, text: String| Some(text).filter(|t| yes && !t.is_empty());
            PublishedRow {
                size: size_label(locale, a.size_bytes),
                public_id: a.public_id,
                name: a.file_name,
                kind_key: kind_key(a.kind),
                sha256: a.sha256,
                sender_name: shown(named, sender.name),
                // Without a name or an organization, a country can single a
                // person out in a small group: it is left out.
                country: shown(named || organization, sender.country)
                    .filter(|c| c != "ZZ")
                    .map(|c| {
                        crate::accounts::countries::find(&c)
                            .map_or(c.clone(), |k| k.name(locale).to_string())
                    }),
                organization: shown(organization, sender.organization),
                group: (!chatham)
                    .then(|| StakeholderGroup::parse(&sender.group))
                    .flatten()
                    .map(StakeholderGroup::label_key),
            }
        })
        .collect();
    let page = PublishedPage {
        slug: consultation.slug.clone(),
        number: round.number,
        consultation_title: title_of(&consultation, ctx.locale),
        files: rows,
    };
    ctx.render(
        StatusCode::OK,
        "reports/attachments",
        &ctx.t("attachments-published-title"),
        &page,
    )
}

/// A published file, by its public id; 404 until the report is out, and
/// for a file whose submission's disclosure keeps it private.
pub async fn download_published(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, public_id) = path.into_inner();
    let found = ctx
        .state
        .db
        .run(move |c| -> Result<_, AppError> {
            let (_, round) = published_round(c, &slug, number)?;
            Ok(attachments::find_published(c, round.id, &public_id)?)
        })
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(send(&ctx, found, false))
}

/// `Content-Disposition: attachment` with a plain ASCII name and the exact
/// UTF-8 one (RFC 6266).
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exact = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{exact}")
}

/// The file's bytes, read a row (or 256 KB of the file) at a time.
fn body(
    ctx: &Ctx,
    file: &Attachment,
) -> std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, actix_web::Error>>>> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "reading an attachment");
        actix_web::error::ErrorInternalServerError("attachment unreadable")
    };
    match file.storage {
        AttachmentStorage::Db => {
            let (db, id) = (ctx.state.db.clone(), file.id);
            Box::pin(futures_util::stream::unfold(Some(0), move |seq| {
                let db = db.clone();
                async move {
                    let seq = seq?;
                    match db.query(move |c| attachments::chunk(c, id, seq)).await {
                        Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), Some(seq + 1))),
                        Ok(None) => None,
                        Err(e) => Some((Err(failed(&e)), None)),
                    }
                }
            }))
        }
        AttachmentStorage::Dir => {
            let path = attachments::file_path(&ctx.state.settings.storage, &file.public_id);
            Box::pin(futures_util::stream::unfold(
                (Some(path), None::<tokio::fs::File>),
                move |(path, open)| async move {
                    let mut file = match (open, path) {
                        (Some(f), _) => f,
                        (None, Some(p)) => match tokio::fs::File::open(&p).await {
                            Ok(f) => f,
                            Err(e) => return Some((Err(failed(&e)), (None, None))),
                        },
                        (None, None) => return None,
                    };
                    let mut buffer = bytes::BytesMut::with_capacity(CHUNK_BYTES);
                    match file.read_buf(&mut buffer).await {
                        Ok(0) => None,
                        Ok(_) => Some((Ok(buffer.freeze()), (None, Some(file)))),
                        Err(e) => Some((Err(failed(&e)), (None, None))),
                    }
                },
            ))
        }
    }
}

/// Sends a file so that no browser shows it as a page of this site: as a
/// download, of the type its content was checked to be, sandboxed.
fn send(ctx: &Ctx, file: Attachment, private: bool) -> HttpResponse {
    let size = u64::try_from(file.size_bytes).unwrap_or(0);
    let digest = hex::decode(&file.sha256).unwrap_or_default();
    let stream = body(ctx, &file);
    HttpResponse::Ok()
        .content_type(file.kind.content_type())
        .insert_header((header::CONTENT_DISPOSITION, disposition(&file.file_name)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        // Already compressed (PDF, ZIP): sent as they are, with their length.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((
            "Repr-Digest",
            format!(
                "sha-256=:{}:",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest)
            ),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            if private {
                "private, no-store"
            } else {
                "public, max-age=300"
            },
        ))
        .body(SizedStream::new(size, stream))
}
