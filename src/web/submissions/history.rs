//! The participant's own submission with its revisions, and receipts.

use super::form_page::*;
use crate::clock::rfc3339;
use crate::consultations::Slug;
use crate::db::OrganizationId;
use crate::forms::FieldErrors;
use crate::i18n::reading::{Text, title_of};
use crate::rounds::RoundNumber;
use crate::rounds::RoundState;
use crate::submissions::{self, Input};
use crate::web::cache::rounds::{Reader, RoundData, load, load_official};
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
    /// Who saved it, on an organization's official submission.
    author: Option<String>,
}

#[derive(Serialize)]
struct MinePage {
    base: String,
    /// The organization an official submission speaks for.
    organization: Option<String>,
    /// Who signed the counted version, on an official submission.
    signatory: Option<String>,
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
    history(ctx, data, query.into_inner()).await
}

/// An organization's official submission and its history, each revision
/// with its author, for its members.
pub async fn official_mine(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId)>,
    query: web::Query<ReceiptQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, organization) = path.into_inner();
    let data = load_official(&ctx, slug, number, organization, Reader::Member).await?;
    history(ctx, data, query.into_inner()).await
}

async fn history(ctx: Ctx, data: RoundData, query: ReceiptQuery) -> Result<HttpResponse, AppError> {
    let stored = data.stored.as_ref().ok_or(AppError::not_found())?;
    let id = stored.id;
    let revisions = ctx
        .state
        .db
        .query(move |c| submissions::revisions(c, id))
        .await?;
    let official = data.official.is_some();
    let signatory = revisions
        .iter()
        .find(|r| stored.receipt_code.is_some() && r.receipt_code == stored.receipt_code)
        .and_then(|r| r.author.clone())
        .filter(|_| official);
    let view = MinePage {
        base: base_path(&data),
        organization: data.official.as_ref().map(|(o, _)| o.name.clone()),
        signatory,
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
                author: r.author.filter(|_| official),
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
    let data = load(&ctx, slug, number).await?;
    show_revision(ctx, data, &rev).await
}

/// One earlier revision of an organization's official submission.
pub async fn official_revision(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, organization, rev) = path.into_inner();
    let data = load_official(&ctx, slug, number, organization, Reader::Member).await?;
    show_revision(ctx, data, &rev).await
}

async fn show_revision(ctx: Ctx, data: RoundData, rev: &str) -> Result<HttpResponse, AppError> {
    let rev: i32 = rev.parse().map_err(|_| AppError::not_found())?;
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
