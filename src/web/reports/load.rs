//! Finding the report an address names, and serving its pages.

use super::views::*;
use crate::consultations::{self, Consultation, Slug};
use crate::db::DbConnection;
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

/// The draft report from live data, computed for one window of one list of
/// texts ('' for the general comments).
pub(super) async fn live(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    key: &str,
    offset: i32,
    limit: i32,
) -> Result<(Snapshot, Vec<PublishedComment>, Option<String>), AppError> {
    ctx.organizer()?;
    let (consultation, round, _) = find_round(ctx, slug, number).await?;
    let now = ctx.state.clock.now();
    let key = key.to_string();
    ctx.state
        .db
        .run_within(crate::web::state::REPORT_WORK, move |c| {
            let mut out = reports::Preview::new(&key, offset, limit);
            let snapshot = reports::build(c, &consultation, &round, 0, "", now, &mut out)?;
            let response = reports::response_of(c, &round, &key)?;
            Ok::<_, AppError>((snapshot, out.texts, response))
        })
        .await
}
