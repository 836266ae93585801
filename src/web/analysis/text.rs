//! One text at a time: read it whole, set its tags, undo a tagging, go on
//! to the next text of one's queue.

use super::round::{ResultView, result_view, tag_label};
use super::round_of;
use crate::analysis::search::{self, Filters};
use crate::analysis::words::Query;
use crate::analysis::{TextKind, TextRef, assignments, tags};
use crate::consultations::Slug;
use crate::db::{SubmissionId, TagId};
use crate::rounds::RoundNumber;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct TagChoice {
    id: i64,
    label: String,
    description: String,
    child: bool,
    checked: bool,
}

#[derive(Serialize)]
struct HistoryRow {
    id: i64,
    label: String,
    by: String,
    at: String,
    live: bool,
}

#[derive(Serialize)]
struct TextPage {
    csrf: String,
    slug: String,
    number: i32,
    base: String,
    action: String,
    text: ResultView,
    tags: Vec<TagChoice>,
    history: Vec<HistoryRow>,
    assigned: bool,
    /// The submission's position papers, next to its general comment.
    papers: Vec<PaperLink>,
}

#[derive(Serialize)]
struct PaperLink {
    href: String,
    name: String,
}

fn parse_kind(kind: &str) -> Result<TextKind, AppError> {
    TextKind::parse(kind).ok_or(AppError::not_found())
}

pub async fn text(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, kind, id) = path.into_inner();
    let kind = parse_kind(&kind)?;
    let (w, round) = round_of(&ctx, slug, number).await?;
    let (consultation, me, r) = (w.consultation.id, w.user.id, round.clone());
    let text_ref = TextRef { kind, id };
    let (provisions, codebook, found, history, assigned, papers) = ctx
        .state
        .db
        .query(move |c| {
            let papers = match kind {
                TextKind::General => crate::attachments::list(c, SubmissionId(id))?,
                TextKind::Position => vec![],
            };
            let only = Filters {
                only: Some((kind, vec![id])),
                ..Filters::default()
            };
            let found = search::hits(c, r.id, &only, 0, 1)?;
            let mine = assignments::next_includes(c, r.id, me, text_ref)?;
            Ok((
                crate::reports::provisions_of(c, &r)?,
                tags::codebook(c, consultation)?,
                found,
                tags::history(c, text_ref)?,
                mine,
                papers,
            ))
        })
        .await?;
    let hit = found.first().ok_or(AppError::not_found())?;
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let labels: HashMap<TagId, String> = codebook
        .iter()
        .map(|t| (t.id, tag_label(&ctx, t, &w.consultation.locale)))
        .collect();
    let live: Vec<TagId> = hit.tags.iter().map(|(_, t)| *t).collect();
    let page = TextPage {
        csrf: ctx.csrf(),
        slug: w.consultation.slug.clone(),
        number: round.number,
        action: format!("{base}/texts/{}/{}", kind.as_str(), id),
        text: result_view(
            &ctx,
            &base,
            &provisions,
            &labels,
            hit,
            &Query::default(),
            usize::MAX,
        ),
        tags: codebook
            .iter()
            .map(|t| TagChoice {
                id: t.id.0,
                label: labels.get(&t.id).cloned().unwrap_or_default(),
                description: t.description.clone(),
                child: t.parent_id.is_some(),
                checked: live.contains(&t.id),
            })
            .collect(),
        history: history
            .into_iter()
            .map(|(id, label, by, at, removed)| HistoryRow {
                id,
                label,
                by: by.unwrap_or_default(),
                at: crate::clock::rfc3339(at),
                live: removed.is_none(),
            })
            .collect(),
        assigned,
        papers: papers
            .into_iter()
            .map(|p| PaperLink {
                href: format!(
                    "/organize/{}/rounds/{}/attachments/{}",
                    w.consultation.slug, round.number, p.id
                ),
                name: p.file_name,
            })
            .collect(),
        base,
    };
    let title = format!("{} – {}", page.text.provision, ctx.t("analysis-title"));
    ctx.render(StatusCode::OK, "analysis/text", &title, &page)
}

/// Sets the text's tags to the boxes ticked (`tags`, repeated); with
/// `action=next` the text is done and the next of the queue follows.
pub async fn save_text(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String, i64)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, kind, id) = path.into_inner();
    let kind = parse_kind(&kind)?;
    let (w, round) = round_of(&ctx, slug, number).await?;
    let chosen: Vec<TagId> = body
        .iter()
        .filter(|(k, _)| k == "tags")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let next = body.iter().any(|(k, v)| k == "action" && v == "next");
    let (consultation, me, now, round_id) = (
        w.consultation.id,
        w.user.id,
        ctx.state.clock.now(),
        round.id,
    );
    let text = TextRef { kind, id };
    let following = ctx
        .state
        .db
        .run(move |c| -> Result<Option<TextRef>, AppError> {
            let only = Filters {
                only: Some((kind, vec![id])),
                ..Filters::default()
            };
            if search::hits(c, round_id, &only, 0, 1)?.is_empty() {
                return Err(AppError::not_found());
            }
            let codebook: Vec<TagId> = tags::codebook(c, consultation)?
                .iter()
                .map(|t| t.id)
                .collect();
            if chosen.iter().any(|t| !codebook.contains(t)) {
                return Err(AppError::not_found());
            }
            tags::set_for_text(c, round_id, text, &chosen, me, now)?;
            if !next {
                return Ok(None);
            }
            assignments::done(c, round_id, text, me, now)?;
            Ok(assignments::next(c, round_id, me)?)
        })
        .await?;
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    ctx.flash("analysis-text-saved");
    Ok(see_other(&match (next, following) {
        (true, Some(t)) => format!("{base}/texts/{}/{}", t.kind.as_str(), t.id),
        (true, None) => format!("{base}/queue"),
        (false, _) => format!("{base}/texts/{}/{}", kind.as_str(), id),
    }))
}

pub async fn undo_tagging(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, i64)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, tagging) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let (by, now, id) = (w.user.id, ctx.state.clock.now(), round.id);
    let undone = ctx
        .state
        .db
        .query(move |c| tags::undo(c, id, tagging, by, now))
        .await?;
    if !undone {
        return Err(AppError::not_found());
    }
    ctx.flash("analysis-tagging-undone");
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let back = body
        .iter()
        .find(|(k, _)| k == "back")
        .and_then(|(_, v)| super::round::text_ref(v))
        .map_or(base.clone(), |t| {
            format!("{base}/texts/{}/{}", t.kind.as_str(), t.id)
        });
    Ok(see_other(&back))
}

#[derive(Serialize)]
struct QueuePage {
    csrf: String,
    base: String,
    undone: i64,
    done: i64,
    next: Option<String>,
}

pub async fn queue(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let (me, id) = (w.user.id, round.id);
    let ((undone, done), next) = ctx
        .state
        .db
        .query(move |c| {
            Ok((
                assignments::queue_size(c, id, me)?,
                assignments::next(c, id, me)?,
            ))
        })
        .await?;
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let page = QueuePage {
        csrf: ctx.csrf(),
        next: next.map(|t| format!("{base}/texts/{}/{}", t.kind.as_str(), t.id)),
        base,
        undone,
        done,
    };
    ctx.render(
        StatusCode::OK,
        "analysis/queue",
        &ctx.t("analysis-queue-title"),
        &page,
    )
}

#[derive(Serialize)]
struct BatchPage {
    csrf: String,
    base: String,
    batch: String,
    count: i64,
}

pub async fn batch(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, batch) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let (id, b) = (round.id, batch.clone());
    let count = ctx
        .state
        .db
        .query(move |c| tags::batch_size(c, id, &b))
        .await?;
    let page = BatchPage {
        csrf: ctx.csrf(),
        base: format!(
            "/organize/{}/rounds/{}/analysis",
            w.consultation.slug, round.number
        ),
        batch,
        count,
    };
    ctx.render(
        StatusCode::OK,
        "analysis/batch",
        &ctx.t("analysis-batch-title"),
        &page,
    )
}
