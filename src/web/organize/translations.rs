//! A draft version's translation into the other language, with a preview.

use super::common::*;
use crate::consultations::Slug;
use crate::consultations::{self, Consultation};
use crate::drafts::{self, DraftVersion};
use crate::markdown;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

/// One problem with a translation, shown in the summary and next to the field.
#[derive(Serialize)]
struct TranslationProblem {
    message_key: &'static str,
    /// The provision keys concerned, or the importer's own words.
    detail: String,
}

#[derive(Serialize)]
struct TranslationPreview {
    key: String,
    original: String,
    label: String,
    heading: String,
    body_html: String,
}

#[derive(Serialize)]
struct TranslationPage {
    csrf: String,
    slug: String,
    title: String,
    version: i32,
    language: String,
    lang: &'static str,
    level: u8,
    keys: Vec<String>,
    markdown: String,
    replacing: bool,
    prefilled_from: Option<i32>,
    problems: Vec<TranslationProblem>,
    preview_title: String,
    preview: Option<Vec<TranslationPreview>>,
    left_out: Vec<LeftOutNote>,
}

struct TranslationTarget {
    consultation: Consultation,
    version: DraftVersion,
    provisions: Vec<drafts::Provision>,
    divisions: Vec<drafts::Division>,
    level: u8,
    existing: Option<String>,
    /// The previous version and its translation, a starting point for a
    /// revised draft whose provisions mostly did not change.
    previous: Option<(i32, String)>,
}

async fn load_translation_target(
    ctx: &Ctx,
    path: web::Path<(Slug, String)>,
) -> Result<TranslationTarget, AppError> {
    let (slug, version) = path.into_inner();
    let number: i32 = version.parse().map_err(|_| AppError::not_found())?;
    ctx.state
        .db
        .run(move |c| -> Result<TranslationTarget, AppError> {
            let consultation = consultations::find_by_slug(c, slug.as_str())?;
            let version = drafts::versions_of(c, consultation.id)?
                .into_iter()
                .find(|v| v.version == number)
                .ok_or(AppError::not_found())?;
            let provisions = drafts::provisions_of(c, version.id)?;
            let divisions = drafts::divisions_of(c, version.id)?;
            let (source, existing) = drafts::translation::sources(c, version.id)?;
            let previous = match drafts::previous_version(c, &version)? {
                Some(p) if existing.is_none() => drafts::translation::sources(c, p.id)?
                    .1
                    .map(|text| (p.version, text)),
                _ => None,
            };
            Ok(TranslationTarget {
                previous,
                level: drafts::translation::original_level(&source, &provisions),
                consultation,
                version,
                provisions,
                divisions,
                existing,
            })
        })
        .await
}

fn translation_page(ctx: &Ctx, target: &TranslationTarget, markdown: String) -> TranslationPage {
    let lang = drafts::translation::language_of(&target.version);
    TranslationPage {
        csrf: ctx.csrf(),
        slug: target.consultation.slug.clone(),
        title: target.consultation.title.clone(),
        version: target.version.version,
        language: ctx.t(lang.name_key()),
        lang: lang.as_str(),
        level: target.level,
        keys: target
            .divisions
            .iter()
            .map(|d| d.key.clone())
            .chain(target.provisions.iter().map(|p| p.provision_key.clone()))
            .collect(),
        markdown,
        replacing: target.existing.is_some(),
        prefilled_from: None,
        problems: vec![],
        preview_title: String::new(),
        preview: None,
        left_out: vec![],
    }
}

fn problems_of(e: &drafts::translation::TranslationError) -> Vec<TranslationProblem> {
    use drafts::translation::TranslationError;
    match e {
        TranslationError::Import(e) => vec![TranslationProblem {
            message_key: e.message_key(),
            detail: e.to_string(),
        }],
        TranslationError::Keys { missing, extra } => {
            let mut problems = vec![];
            if !missing.is_empty() {
                problems.push(TranslationProblem {
                    message_key: "translation-error-missing",
                    detail: missing.join(", "),
                });
            }
            if !extra.is_empty() {
                problems.push(TranslationProblem {
                    message_key: "translation-error-extra",
                    detail: extra.join(", "),
                });
            }
            problems
        }
    }
}

fn translation_title(ctx: &Ctx, page: &TranslationPage) -> String {
    crate::i18n::t_args(
        ctx.locale,
        "translation-title",
        &[
            ("version".into(), page.version.into()),
            ("language".into(), page.language.clone().into()),
        ]
        .into_iter()
        .collect(),
    )
}

pub async fn new_translation(
    ctx: Ctx,
    path: web::Path<(Slug, String)>,
) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let target = load_translation_target(&ctx, path).await?;
    let (markdown, prefilled_from) = match (&target.existing, &target.previous) {
        (Some(text), _) => (text.clone(), None),
        (None, Some((version, text))) => (text.clone(), Some(*version)),
        (None, None) => (String::new(), None),
    };
    let mut page = translation_page(&ctx, &target, markdown);
    page.prefilled_from = prefilled_from;
    let title = translation_title(&ctx, &page);
    ctx.render(StatusCode::OK, "organize/translation", &title, &page)
}

/// Preview (`action=preview`) or save (`action=save`) a translation pasted in
/// `markdown` or uploaded as `file`. Nothing is stored unless it divides into
/// exactly the original's provisions.
pub async fn import_translation(
    ctx: Ctx,
    path: web::Path<(Slug, String)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let target = load_translation_target(&ctx, path).await?;
    let upload = read_upload(&req, payload, ctx.state.settings.server.max_body_bytes).await?;
    let source = upload.markdown.as_ref().cloned().unwrap_or_default();
    let mut page = translation_page(&ctx, &target, source.clone());
    let title = translation_title(&ctx, &page);
    let parsed = upload.markdown.map_err(Into::into).and_then(|md| {
        drafts::translation::parse(&md, target.level, &target.provisions, &target.divisions)
    });
    let draft = match parsed {
        Ok(d) => d,
        Err(e) => {
            page.problems = problems_of(&e);
            let status = if e.is_too_large() {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let title = format!("{} {title}", ctx.t("error-prefix"));
            return ctx.render(status, "organize/translation", &title, &page);
        }
    };
    if !upload.save {
        page.left_out = upload.left_out;
        page.preview_title = draft.title.clone();
        page.preview = Some(
            target
                .provisions
                .iter()
                .filter_map(|o| {
                    let t = draft.provisions.iter().find(|t| t.key == o.provision_key)?;
                    Some(TranslationPreview {
                        key: o.provision_key.clone(),
                        original: [o.label.as_str(), o.heading.as_str()]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" — "),
                        label: t.label.clone(),
                        heading: t.heading.clone(),
                        body_html: markdown::to_html(&t.body),
                    })
                })
                .collect(),
        );
        return ctx.render(StatusCode::OK, "organize/translation", &title, &page);
    }
    let slug = target.consultation.slug.clone();
    let now = ctx.state.clock.now();
    ctx.state
        .db
        .query(move |c| {
            drafts::translation::import(
                c,
                target.consultation.id,
                &target.consultation.slug,
                &target.version,
                &draft,
                &source,
                Some(actor),
                now,
            )
        })
        .await?;
    ctx.flash("translation-saved");
    Ok(see_other(&format!("/admin/consultations/{slug}")))
}
