//! Finding the report an address names, and serving its pages.

use super::views::*;
use crate::clock::rfc3339;
use crate::consultations::{self, Consultation, Slug};
use crate::db::DbConnection;
use crate::reports::jobs::{self, Draft, Stored};
use crate::reports::{self, PublishedComment, Snapshot};
use crate::rounds::{self, Round, RoundNumber};
use crate::web::cache::report_pages;
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// The round an address names, and whether its report is out.
pub(super) fn round_named(
    c: &mut DbConnection,
    slug: &Slug,
    number: RoundNumber,
) -> Result<(Consultation, Round, bool), AppError> {
    let consultation = consultations::find_by_slug(c, slug.as_str())?;
    let (round, published) = rounds::find(c, consultation.id, number.get())?;
    Ok((consultation, round, published))
}

pub(super) async fn find_round(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
) -> Result<(Consultation, Round, bool), AppError> {
    ctx.state
        .db
        .run(move |c| round_named(c, &slug, number))
        .await
}

#[derive(Deserialize)]
pub struct VersionQuery {
    pub(super) version: Option<i32>,
}

/// The overview's address: a version, and the part of a long draft.
#[derive(Deserialize)]
pub struct OverviewQuery {
    pub(super) version: Option<i32>,
    pub(super) part: Option<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    pub(super) version: Option<i32>,
    pub(super) page: Option<i32>,
}

/// A published version of the round an address names, in one database call.
pub(super) async fn stored(
    ctx: &Ctx,
    (slug, number): (Slug, RoundNumber),
    version: Option<i32>,
) -> Result<reports::Published, AppError> {
    ctx.state
        .db
        .run(move |c| {
            let (_, round, _) = round_named(c, &slug, number)?;
            reports::stored(c, round.id, version)?.ok_or(AppError::not_found())
        })
        .await
}

pub(super) fn snapshot_of(p: &reports::Published) -> Result<Snapshot, AppError> {
    serde_json::from_str(&p.snapshot).map_err(|e| AppError::internal(e.into()))
}

pub(super) fn etag_of(published: &reports::Published, ctx: &Ctx, page: &str) -> String {
    format!(
        "\"report-{}-v{}-of-{}-{}-{page}\"",
        published.id,
        published.version,
        published.versions.len(),
        ctx.locale.as_str()
    )
}

/// Renders a report page, shares it with the next anonymous readers, and
/// answers with its validator (signed-in readers get it uncached: their
/// page carries their name and forms).
pub(super) fn serve<T: Serialize>(
    ctx: &Ctx,
    req: &HttpRequest,
    etag: String,
    template: &str,
    title: &str,
    view: &T,
) -> Result<HttpResponse, AppError> {
    let html = ctx.render_html(template, title, view)?;
    let Some(key) = report_pages::key(ctx, req) else {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html));
    };
    Ok(report_pages::share(ctx, req, key, etag, html))
}

/// One page of a published list of texts (a provision's, or '' for the
/// general comments) of `total`, with its validator; 404 past the end.
pub(super) async fn stored_page(
    ctx: &Ctx,
    published: &reports::Published,
    frame: &Frame,
    key: &str,
    total: i64,
    page: Option<i32>,
    address: &str,
) -> Result<(Pages, Vec<PublishedComment>, String), AppError> {
    let pages =
        Pages::new(total, page, address, &frame.version_query).ok_or(AppError::not_found())?;
    let etag = etag_of(published, ctx, &format!("{key}-{}", pages.page));
    let (id, offset, key) = (published.id, pages.offset(), key.to_string());
    let texts = ctx
        .state
        .db
        .query(move |c| reports::texts_page(c, id, &key, offset, TEXTS_PER_PAGE))
        .await?;
    Ok((pages, texts, etag))
}

/// The last computed figures, shown while newer ones are computed.
#[derive(Serialize, Clone)]
pub(super) struct AsOf {
    pub(super) time: String,
    /// Submissions made or changed since.
    pub(super) changed: i64,
}

/// What a draft report page shows: the report (with one window of one list
/// of texts, the provision's response as written, and when it is an earlier
/// result, as of when), or the progress of the job computing it.
pub(super) enum Shown {
    Report(Box<DraftReport>),
    Progress(Progress),
}

pub(super) struct DraftReport {
    pub(super) snapshot: Snapshot,
    pub(super) texts: Vec<PublishedComment>,
    pub(super) response: Option<String>,
    pub(super) as_of: Option<AsOf>,
}

#[derive(Serialize)]
pub(super) struct Progress {
    pub(super) slug: String,
    pub(super) round: i32,
    pub(super) base: String,
    pub(super) csrf: String,
    pub(super) job: i64,
    pub(super) failed: bool,
    pub(super) progress: i32,
    pub(super) running: bool,
    /// Why the last attempt failed, and when the next one starts.
    pub(super) error: Option<String>,
    pub(super) next_attempt_at: Option<String>,
    pub(super) previous: Option<AsOf>,
    pub(super) previous_href: String,
}

/// The draft report of the round an address names: the stored result when
/// current, computed here for a small round, otherwise the job's progress
/// (`previous`: the last result instead, marked with its time).
pub(super) async fn draft(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    key: &str,
    offset: i32,
    limit: i32,
    previous: bool,
) -> Result<Shown, AppError> {
    ctx.organizer()?;
    let (consultation, round, _) = find_round(ctx, slug, number).await?;
    let now = ctx.state.clock.now();
    let key = key.to_string();
    let inline_below = ctx.state.settings.reports.inline_below;
    let csrf = ctx.csrf();
    ctx.state
        .db
        .run_within(crate::web::state::REPORT_WORK, move |c| {
            let response = reports::response_of(c, &round, &key)?;
            let stored = |c: &mut DbConnection, s: &Stored, as_of: Option<AsOf>| {
                let snapshot = s.snapshot(c, round.id)?;
                let texts = s.texts(c, &key, offset, limit)?;
                Ok::<_, AppError>(Shown::Report(Box::new(DraftReport {
                    snapshot,
                    texts,
                    response: response.clone(),
                    as_of,
                })))
            };
            let as_of = |c: &mut DbConnection, s: &Stored| -> Result<AsOf, AppError> {
                Ok(AsOf {
                    time: s.job.finished_at.map(rfc3339).unwrap_or_default(),
                    changed: s.changed_since(c, round.id)?,
                })
            };
            let (job, last, failed) = match jobs::draft(c, &round, inline_below, now)? {
                Draft::Inline => {
                    let mut out = reports::Preview::new(&key, offset, limit);
                    let snapshot = reports::build(c, &consultation, &round, 0, "", now, &mut out)?;
                    return Ok(Shown::Report(Box::new(DraftReport {
                        snapshot,
                        texts: out.texts,
                        response: response.clone(),
                        as_of: None,
                    })));
                }
                Draft::Current(s) => return stored(c, &s, None),
                Draft::Computing { job, previous } => (job, previous, false),
                Draft::Failed { job, previous } => (job, previous, true),
            };
            if let Some(last) = last.as_ref().filter(|_| previous) {
                let when = as_of(c, last)?;
                return stored(c, last, Some(when));
            }
            let base = format!(
                "/admin/consultations/{}/rounds/{}/report",
                consultation.slug, round.number
            );
            let previous = match &last {
                Some(last) => Some(as_of(c, last)?),
                None => None,
            };
            Ok(Shown::Progress(Progress {
                slug: consultation.slug.clone(),
                round: round.number,
                csrf,
                job: job.id.0,
                failed,
                progress: job.progress,
                running: job.state == "running",
                next_attempt_at: (job.error.is_some() && !failed)
                    .then(|| rfc3339(job.next_attempt_at)),
                error: job.error,
                previous,
                previous_href: base.clone(),
                base,
            }))
        })
        .await
}

/// The page that says the draft report is being computed (reloading itself
/// every `reports.progress_refresh_secs`, without JavaScript, unless `reload`
/// was turned off) or that computing it failed.
pub(super) fn render_progress(
    ctx: &Ctx,
    progress: &Progress,
    page: &str,
    reload: bool,
) -> Result<HttpResponse, AppError> {
    #[derive(Serialize)]
    struct View<'a> {
        #[serde(flatten)]
        progress: &'a Progress,
        previous_href: String,
        /// Seconds between reloads; none once computing has failed or when
        /// reloading was turned off.
        refresh: Option<u32>,
        /// This page without reloading.
        still_href: String,
    }
    let view = View {
        progress,
        previous_href: format!("{}{page}?previous=1", progress.previous_href),
        refresh: (reload && !progress.failed)
            .then_some(ctx.state.settings.reports.progress_refresh_secs),
        still_href: format!("{}{page}?reload=off", progress.previous_href),
    };
    let html = ctx.render_html("reports/progress", &ctx.t("report-preview-title"), &view)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}
