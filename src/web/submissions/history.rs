//! The participant's own submission with its revisions, and receipts.

use super::form_page::*;
use crate::clock::rfc3339;
use crate::consultations::Slug;
use crate::forms::FieldErrors;
use crate::i18n::reading::{Text, title_of};
use crate::rounds::RoundNumber;
use crate::rounds::RoundState;
use crate::submissions::{self, Input};
use crate::web::cache::rounds::load;
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct RevisionRow {
    revision: i32,
    action_key: String,
    receipt_code: Option<String>,
    created_at: String,
}

#[derive(Serialize)]
struct MinePage {
    slug: String,
    number: i32,
    consultation_title: Text,
    status_key: String,
    receipt_code: Option<String>,
    just_submitted: bool,
    open: bool,
    /// The report is out: the participant may have the response to answer.
    published: bool,
    csrf: String,
    revisions: Vec<RevisionRow>,
}

#[derive(serde::Deserialize)]
pub struct ReceiptQuery {
    receipt: Option<String>,
}

/// The participant's own submission and its history; nobody else's.
pub async fn mine(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<ReceiptQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    ctx.user()?;
    let data = load(&ctx, slug, number).await?;
    let stored = data.stored.as_ref().ok_or(AppError::not_found())?;
    let id = stored.id;
    let revisions = ctx
        .state
        .db
        .query(move |c| submissions::revisions(c, id))
        .await?;
    let view = MinePage {
        slug: data.consultation.slug.clone(),
        number: data.round.number,
        consultation_title: title_of(&data.consultation, ctx.locale),
        status_key: format!("status-{}", stored.status.as_str()),
        receipt_code: stored.receipt_code.clone(),
        just_submitted: query.receipt.is_some() && query.receipt == stored.receipt_code,
        open: data.state == RoundState::Open,
        published: data.state == RoundState::Published,
        csrf: ctx.csrf(),
        revisions: revisions
            .into_iter()
            .map(|r| RevisionRow {
                revision: r.revision,
                action_key: format!("revision-{}", r.action),
                receipt_code: r.receipt_code,
                created_at: rfc3339(r.created_at),
            })
            .collect(),
    };
    ctx.render(
        StatusCode::OK,
        "submissions/mine",
        &ctx.t("mine-title"),
        &view,
    )
}

/// One earlier revision of the participant's own submission.
pub async fn revision(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, rev) = path.into_inner();
    ctx.user()?;
    let rev: i32 = rev.parse().map_err(|_| AppError::not_found())?;
    let data = load(&ctx, slug, number).await?;
    let id = data.stored.as_ref().ok_or(AppError::not_found())?.id;
    let (summary, content) = ctx
        .state
        .db
        .query(move |c| submissions::revision(c, id, rev))
        .await?
        .ok_or(AppError::not_found())?;
    let input = Input {
        disclosure: content.disclosure,
        general_comment: content.general_comment.clone(),
        positions: content.positions.clone(),
    };
    let mut view = page(
        &ctx,
        &data,
        Some(&input),
        FieldErrors::default(),
        View::Revision,
    );
    view.form = view.form.map(|mut f| {
        f.status = Some(content.status.as_str());
        f
    });
    let title = format!("{} {}", ctx.t("revision-heading"), summary.revision);
    #[derive(Serialize)]
    struct RevisionPage {
        #[serde(flatten)]
        round: RoundPage,
        revision: i32,
        action_key: String,
        created_at: String,
        status_key: String,
    }
    let page = RevisionPage {
        round: view,
        revision: summary.revision,
        action_key: format!("revision-{}", summary.action),
        created_at: rfc3339(summary.created_at),
        status_key: format!("status-{}", content.status.as_str()),
    };
    ctx.render(StatusCode::OK, "submissions/revision", &title, &page)
}

#[derive(Serialize)]
struct ReceiptPage {
    code: String,
    found: bool,
    submitted_at: String,
    current: bool,
}

/// Confirms that a receipt exists and when it was given; nothing else.
pub async fn receipt(ctx: Ctx, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let lookup = code.clone();
    let found = ctx
        .state
        .db
        .query(move |c| submissions::check_receipt(c, &lookup))
        .await?;
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = ReceiptPage {
        code,
        found: found.is_some(),
        submitted_at: found
            .as_ref()
            .map(|f| rfc3339(f.submitted_at))
            .unwrap_or_default(),
        current: found.is_some_and(|f| f.current),
    };
    ctx.render(
        status,
        "submissions/receipt",
        &ctx.t("receipt-title"),
        &page,
    )
}
