//! Importing a draft version from Markdown, with a preview.

use super::common::*;
use crate::consultations::Slug;
use crate::drafts::{self, ImportError, import};
use crate::markdown;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct ImportPage {
    csrf: String,
    slug: String,
    markdown: String,
    level: u8,
    preview: Option<import::ParsedDraft>,
    preview_html: Vec<String>,
    left_out: Vec<LeftOutNote>,
    error_key: Option<&'static str>,
    error_detail: String,
    next_version: i32,
}

fn import_page(ctx: &Ctx, loaded: &Loaded, markdown: String, level: u8) -> ImportPage {
    ImportPage {
        csrf: ctx.csrf(),
        slug: loaded.consultation.slug.clone(),
        markdown,
        level,
        preview: None,
        preview_html: vec![],
        left_out: vec![],
        error_key: None,
        error_detail: String::new(),
        next_version: loaded.versions.last().map_or(1, |v| v.version + 1),
    }
}

pub async fn new_draft(ctx: Ctx, slug: web::Path<Slug>) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let page = import_page(&ctx, &loaded, String::new(), 2);
    ctx.render(
        StatusCode::OK,
        "organize/import",
        &ctx.t("import-title"),
        &page,
    )
}

pub async fn import_draft(
    ctx: Ctx,
    slug: web::Path<Slug>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let upload = read_upload(&req, payload, ctx.state.settings.server.max_body_bytes).await?;
    let source = upload.markdown.as_ref().cloned().unwrap_or_default();
    let mut page = import_page(&ctx, &loaded, source.clone(), upload.level);
    let parsed = upload
        .markdown
        .and_then(|md| import::parse(&md, upload.level));
    let draft = match parsed {
        Ok(d) => d,
        Err(e) => {
            page.error_key = Some(e.message_key());
            page.error_detail = e.to_string();
            let status = if e == ImportError::TooLarge {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return ctx.render(status, "organize/import", &ctx.t("import-title"), &page);
        }
    };
    if !upload.save {
        page.preview_html = draft
            .provisions
            .iter()
            .map(|p| markdown::to_html(&p.body))
            .collect();
        page.preview = Some(draft);
        page.left_out = upload.left_out;
        return ctx.render(
            StatusCode::OK,
            "organize/import",
            &ctx.t("import-preview-title"),
            &page,
        );
    }
    let (id, slug, now) = (
        loaded.consultation.id,
        loaded.consultation.slug.clone(),
        ctx.state.clock.now(),
    );
    let version = ctx
        .state
        .db
        .run(move |c| -> Result<i32, AppError> {
            Ok(drafts::import_version(
                c,
                id,
                &slug,
                &draft,
                &source,
                Some(actor),
                now,
            )?)
        })
        .await?;
    ctx.flash("draft-imported");
    let _ = version;
    Ok(see_other(&format!(
        "/admin/consultations/{}",
        loaded.consultation.slug
    )))
}
