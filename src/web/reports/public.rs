//! The published report's pages.

use super::load::*;
use super::views::*;
use crate::consultations::Slug;
use crate::drafts::ProvisionKey;
use crate::reports::{self};
use crate::rounds::RoundNumber;
use crate::web::cache::report_pages;
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::{HttpRequest, HttpResponse, web};

pub async fn report(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<OverviewQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(res) = report_pages::cached(&ctx, &req) {
        return Ok(res);
    }
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let part = query.part.as_deref();
    let etag = etag_of(
        &published,
        &ctx,
        &format!("overview-{}", part.unwrap_or("")),
    );
    let id = published.id;
    let general = ctx
        .state
        .db
        .query(move |c| reports::texts_page(c, id, "", 0, GENERAL_ON_OVERVIEW))
        .await?;
    let snapshot = snapshot_of(&published)?;
    let page = overview(
        &ctx,
        &snapshot,
        &general,
        published.versions.clone(),
        false,
        part,
    )
    .ok_or(AppError::not_found())?;
    let title = format!("{} – {}", ctx.t("report-title"), page.frame.title.text);
    serve(&ctx, &req, etag, "reports/overview", &title, &page)
}

pub async fn provision(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(Slug, RoundNumber, ProvisionKey)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(res) = report_pages::cached(&ctx, &req) {
        return Ok(res);
    }
    let (slug, number, key) = path.into_inner();
    let published = stored(&ctx, (slug, number), query.version).await?;
    let snapshot = snapshot_of(&published)?;
    let p = snapshot
        .provision(key.as_str())
        .ok_or(AppError::not_found())?;
    let frame = frame(
        &ctx,
        &snapshot,
        published.versions.clone(),
        false,
        is_translated(&ctx, &snapshot, p),
    );
    let address = format!("{}/provisions/{key}", frame.base);
    let (pages, texts, etag) = stored_page(
        &ctx,
        &published,
        &frame,
        key.as_str(),
        p.texts,
        query.page,
        &address,
    )
    .await?;
    let view = provision_view(&ctx, &snapshot, p, &texts, frame, pages, String::new());
    let title = format!(
        "{} {} – {}",
        view.label,
        view.heading.text,
        ctx.t("report-title")
    );
    serve(&ctx, &req, etag, "reports/provision", &title, &view)
}

pub async fn general_texts(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(res) = report_pages::cached(&ctx, &req) {
        return Ok(res);
    }
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let snapshot = snapshot_of(&published)?;
    let frame = frame(&ctx, &snapshot, published.versions.clone(), false, false);
    let address = format!("{}/general", frame.base);
    let (pages, texts, etag) = stored_page(
        &ctx,
        &published,
        &frame,
        "",
        snapshot.general_texts,
        query.page,
        &address,
    )
    .await?;
    let view = GeneralView {
        frame,
        comments: comment_views(ctx.locale, &snapshot, &texts),
        total: snapshot.general_texts,
        pages,
    };
    serve(
        &ctx,
        &req,
        etag,
        "reports/general",
        &ctx.t("report-general-comments"),
        &view,
    )
}
