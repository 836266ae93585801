//! The published report's open data: report.json, report.csv and movement.csv.

use super::load::*;
use crate::consultations::Slug;
use crate::reports::{self, PublishedComment};
use crate::rounds::RoundNumber;
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use serde::Serialize;

/// One published text in report.json: where it belongs, then the text.
#[derive(Serialize)]
struct JsonText<'a> {
    provision_key: Option<&'a str>,
    #[serde(flatten)]
    text: &'a PublishedComment,
}

const JSON_BATCH: i64 = 2_000;

/// The snapshot with every published text appended, streamed a batch at a
/// time so a large round's open data never sits whole in memory.
pub async fn report_json(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let head = published
        .snapshot
        .trim_end()
        .strip_suffix('}')
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a snapshot is not a JSON object")))?
        .to_string();
    let (db, report) = (ctx.state.db.clone(), published.id);
    // State: Some(last text id sent, None before the first batch), or None
    // once the closing bracket is out.
    let batches = futures_util::stream::unfold(Some(None::<i64>), move |state| {
        let db = db.clone();
        async move {
            let after = state?;
            let rows = match db
                .query(move |c| reports::texts_batch(c, report, after.unwrap_or(0), JSON_BATCH))
                .await
            {
                Ok(rows) => rows,
                Err(e) => return Some((Err(AppError::from(e)), None)),
            };
            let mut out = String::new();
            for (i, (_, key, text)) in rows.iter().enumerate() {
                if after.is_some() || i > 0 {
                    out.push(',');
                }
                let item = JsonText {
                    provision_key: Some(key.as_str()).filter(|k| !k.is_empty()),
                    text,
                };
                match serde_json::to_string(&item) {
                    Ok(json) => out.push_str(&json),
                    Err(e) => return Some((Err(AppError::internal(e.into())), None)),
                }
            }
            let next = match rows.last() {
                Some((id, _, _)) if rows.len() as i64 == JSON_BATCH => Some(Some(*id)),
                _ => {
                    out.push_str("]}");
                    None
                }
            };
            Some((Ok(web::Bytes::from(out)), next))
        }
    });
    let start = futures_util::stream::once(std::future::ready(Ok::<_, AppError>(
        web::Bytes::from(format!("{head},\"texts\":[")),
    )));
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .streaming(start.chain(batches)))
}

/// The frozen CSV, a stored chunk at a time.
pub async fn report_csv(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let (db, report) = (ctx.state.db.clone(), published.id);
    let chunks = futures_util::stream::unfold(Some(0), move |seq| {
        let db = db.clone();
        async move {
            let seq = seq?;
            match db.query(move |c| reports::csv_chunk(c, report, seq)).await {
                Ok(Some(data)) => Some((Ok(web::Bytes::from(data)), Some(seq + 1))),
                Ok(None) => None,
                Err(e) => Some((Err(AppError::from(e)), None)),
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"report-v{}.csv\"", published.version),
        ))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .streaming(chunks))
}

/// The frozen movement.csv; 404 for a round that follows none.
pub async fn movement_csv(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let report = published.id;
    let csv = ctx
        .state
        .db
        .query(move |c| reports::movement_csv(c, report))
        .await?
        .ok_or(AppError::not_found())?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"movement-v{}.csv\"",
                published.version
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(csv))
}
