//! How far the coding of a round has got: coded and total texts per
//! provision, each row leading to what is left to code there.

use super::round_of;
use crate::analysis::search;
use crate::consultations::Slug;
use crate::rounds::RoundNumber;
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    label: String,
    coded: i64,
    total: i64,
    uncoded_href: String,
}

#[derive(Serialize)]
struct ProgressPage {
    slug: String,
    title: String,
    number: i32,
    base: String,
    rows: Vec<Row>,
    coded: i64,
    total: i64,
}

pub async fn progress(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let r = round.clone();
    let (provisions, counts) = ctx
        .state
        .db
        .query(move |c| {
            Ok((
                crate::reports::provisions_of(c, &r)?,
                search::progress(c, r.id)?,
            ))
        })
        .await?;
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let row = |label: String, filter: String, id| {
        let (total, coded) = counts.get(&id).copied().unwrap_or_default();
        Row {
            label,
            coded,
            total,
            uncoded_href: format!("{base}?provision={filter}&coded=no"),
        }
    };
    let mut rows: Vec<Row> = provisions
        .iter()
        .map(|p| {
            row(
                format!("{} {}", p.label, p.heading),
                format!("p%3A{}", p.provision_key),
                Some(p.id),
            )
        })
        .collect();
    rows.push(row(
        ctx.t("report-general-comments"),
        "general".into(),
        None,
    ));
    let title = ctx.t("analysis-progress");
    ctx.render(
        StatusCode::OK,
        "analysis/progress",
        &title,
        &ProgressPage {
            slug: w.consultation.slug.clone(),
            title: w.consultation.title.clone(),
            number: round.number,
            coded: rows.iter().map(|r| r.coded).sum(),
            total: rows.iter().map(|r| r.total).sum(),
            base,
            rows,
        },
    )
}
