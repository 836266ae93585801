//! The workspace's first page: the consultation's rounds, and its codebook
//! (edited by organizers).

use super::{Workspace, workspace_of};
use crate::analysis::tags::{self, Tag, TagError, TagInput};
use crate::consultations::Slug;
use crate::db::TagId;
use crate::forms::FieldErrors;
use crate::rounds;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct TagRow {
    id: i64,
    label: String,
    translated_label: String,
    description: String,
    child: bool,
    selected: bool,
}

#[derive(Serialize, Default)]
struct TagForm {
    label: String,
    translated_label: String,
    description: String,
    parent: String,
}

#[derive(Serialize)]
struct WorkspacePage {
    csrf: String,
    slug: String,
    title: String,
    organizer: bool,
    rounds: Vec<i32>,
    tags: Vec<TagRow>,
    parents: Vec<TagRow>,
    form: TagForm,
    errors: FieldErrors,
}

fn rows(codebook: &[Tag]) -> Vec<TagRow> {
    codebook
        .iter()
        .map(|t| TagRow {
            id: t.id.0,
            label: t.label.clone(),
            translated_label: t.translated_label.clone().unwrap_or_default(),
            description: t.description.clone(),
            child: t.parent_id.is_some(),
            selected: false,
        })
        .collect()
}

async fn render(
    ctx: &Ctx,
    w: &Workspace,
    status: StatusCode,
    form: TagForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let id = w.consultation.id;
    let (rounds, codebook) = ctx
        .state
        .db
        .query(move |c| Ok((rounds::with_publication(c, &[id])?, tags::codebook(c, id)?)))
        .await?;
    let tags = rows(&codebook);
    let page = WorkspacePage {
        csrf: ctx.csrf(),
        slug: w.consultation.slug.clone(),
        title: w.consultation.title.clone(),
        organizer: w.organizer().is_ok(),
        rounds: rounds.iter().map(|(r, _)| r.number).collect(),
        parents: tags
            .iter()
            .filter(|t| !t.child)
            .map(|t| TagRow {
                selected: form.parent == t.id.to_string(),
                ..clone_row(t)
            })
            .collect(),
        tags,
        form,
        errors,
    };
    let title = format!("{} – {}", ctx.t("analysis-title"), w.consultation.title);
    ctx.render(status, "analysis/workspace", &title, &page)
}

fn clone_row(t: &TagRow) -> TagRow {
    TagRow {
        id: t.id,
        label: t.label.clone(),
        translated_label: t.translated_label.clone(),
        description: t.description.clone(),
        child: t.child,
        selected: t.selected,
    }
}

pub async fn workspace(ctx: Ctx, slug: web::Path<Slug>) -> Result<HttpResponse, AppError> {
    let w = workspace_of(&ctx, slug.into_inner()).await?;
    render(
        &ctx,
        &w,
        StatusCode::OK,
        TagForm::default(),
        FieldErrors::default(),
    )
    .await
}

/// Creates a tag, or changes the one named by the `tag` field.
pub async fn save_tag(
    ctx: Ctx,
    slug: web::Path<Slug>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let w = workspace_of(&ctx, slug.into_inner()).await?;
    w.organizer()?;
    let get = |name: &str| {
        body.iter()
            .find(|(k, _)| k == name)
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    let form = TagForm {
        label: get("label"),
        translated_label: get("translated_label"),
        description: get("description"),
        parent: get("parent"),
    };
    let id: Option<TagId> = get("tag").parse().ok();
    let input = TagInput {
        label: form.label.clone(),
        translated_label: form.translated_label.clone(),
        description: form.description.clone(),
        parent: form.parent.parse().ok(),
    };
    let (consultation, by, now) = (w.consultation.id, w.user.id, ctx.state.clock.now());
    let saved = ctx
        .state
        .db
        .query(move |c| tags::save(c, consultation, id, &input, by, now))
        .await?;
    let error = match saved {
        Ok(_) => {
            ctx.flash("tag-saved");
            return Ok(see_other(&format!(
                "/organize/{}/analysis#codebook",
                w.consultation.slug
            )));
        }
        Err(TagError::Label) => ("label", "tag-label-invalid"),
        Err(TagError::Taken) => ("label", "tag-label-taken"),
        Err(TagError::Parent) => ("parent", "tag-parent-invalid"),
    };
    let errors = FieldErrors::single(error.0, error.1);
    render(&ctx, &w, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await
}

pub async fn delete_tag(
    ctx: Ctx,
    path: web::Path<(Slug, TagId)>,
    // The body holds only the form's tokens; a body that is not a form is
    // refused as malformed, as on every other form.
    _tokens: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, tag) = path.into_inner();
    let w = workspace_of(&ctx, slug).await?;
    w.organizer()?;
    let (consultation, by, now) = (w.consultation.id, w.user.id, ctx.state.clock.now());
    let deleted = ctx
        .state
        .db
        .query(move |c| tags::delete(c, consultation, tag, by, now))
        .await?;
    if !deleted {
        return Err(AppError::not_found());
    }
    ctx.flash("tag-deleted");
    Ok(see_other(&format!(
        "/organize/{}/analysis#codebook",
        w.consultation.slug
    )))
}

#[derive(Serialize)]
struct MinePage {
    consultations: Vec<(String, String)>,
}

/// The consultations the signed-in person analyses.
pub async fn mine(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.clone();
    let list = ctx
        .state
        .db
        .query(move |c| crate::analysis::analysts::consultations_of(c, &user))
        .await?;
    if list.is_empty() {
        return Err(AppError::not_found());
    }
    let page = MinePage {
        consultations: list.into_iter().map(|c| (c.slug, c.title)).collect(),
    };
    ctx.render(
        StatusCode::OK,
        "analysis/mine",
        &ctx.t("analysis-mine-title"),
        &page,
    )
}
