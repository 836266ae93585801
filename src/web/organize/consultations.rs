//! Creating and editing consultations, and the page that manages one.

use super::common::*;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, ConsultationChange, NewConsultation, Slug};
use crate::forms::FieldErrors;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct ConsultationFormPage {
    csrf: String,
    form: ConsultationForm,
    groups: Vec<GroupChoice>,
    errors: FieldErrors,
    editing: bool,
}

fn check_consultation(
    form: &ConsultationForm,
    groups: &[StakeholderGroup],
    creating: bool,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if creating && Slug::parse(&form.slug).is_none() {
        errors.add("slug", "field-slug-invalid");
    }
    if form.title.trim().is_empty() || form.title.chars().count() > 300 {
        errors.add("title", "field-title-invalid");
    }
    if form.summary.trim().is_empty() {
        errors.add("summary", "field-summary-missing");
    }
    if form.translated_title.chars().count() > 300 {
        errors.add("translated_title", "field-title-invalid");
    }
    if groups.is_empty() {
        errors.add("eligible_groups", "field-groups-missing");
    }
    errors
}

pub async fn new_consultation(ctx: Ctx) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let page = ConsultationFormPage {
        csrf: ctx.csrf(),
        form: ConsultationForm::default(),
        groups: group_choices(StakeholderGroup::ALL),
        errors: FieldErrors::default(),
        editing: false,
    };
    ctx.render(
        StatusCode::OK,
        "organize/consultation_form",
        &ctx.t("new-consultation-title"),
        &page,
    )
}

pub async fn create_consultation(
    ctx: Ctx,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let form = ConsultationForm {
        slug: field(&body, "slug").trim().to_lowercase(),
        title: field(&body, "title").trim().to_string(),
        summary: field(&body, "summary").trim().to_string(),
        ..Default::default()
    };
    let groups = groups_from(&body);
    let mut errors = check_consultation(&form, &groups, true);
    if errors.is_empty() {
        let (slug, title, summary, gs, now) = (
            form.slug.clone(),
            form.title.clone(),
            form.summary.clone(),
            groups.clone(),
            ctx.state.clock.now(),
        );
        let created = ctx
            .state
            .db
            .query(move |c| {
                let new = NewConsultation {
                    slug: &slug,
                    title: &title,
                    summary: &summary,
                    locale: Locale::En,
                    eligible_groups: &gs,
                };
                consultations::create(c, &new, Some(actor), now)
            })
            .await?
            .is_some();
        if created {
            ctx.flash("consultation-created");
            return Ok(see_other(&format!("/admin/consultations/{}", form.slug)));
        }
        errors.add("slug", "field-slug-taken");
    }
    let page = ConsultationFormPage {
        csrf: ctx.csrf(),
        form,
        groups: group_choices(&groups),
        errors,
        editing: false,
    };
    ctx.render(
        StatusCode::UNPROCESSABLE_ENTITY,
        "organize/consultation_form",
        &ctx.t("new-consultation-title"),
        &page,
    )
}

pub async fn manage(ctx: Ctx, slug: web::Path<Slug>) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let latest = loaded
        .versions
        .last()
        .map(|v| v.version.to_string())
        .unwrap_or_default();
    let form = RoundForm {
        draft_version: latest,
        attribution: "open".into(),
        ..Default::default()
    };
    let page = manage_page(&ctx, &loaded, form, FieldErrors::default());
    render_manage(&ctx, &loaded, StatusCode::OK, &page)
}

pub async fn update_consultation(
    ctx: Ctx,
    slug: web::Path<Slug>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let form = ConsultationForm {
        slug: loaded.consultation.slug.clone(),
        title: field(&body, "title").trim().to_string(),
        summary: field(&body, "summary").trim().to_string(),
        translated_title: field(&body, "translated_title").trim().to_string(),
        translated_summary: field(&body, "translated_summary").trim().to_string(),
    };
    let groups = groups_from(&body);
    let errors = check_consultation(&form, &groups, false);
    if !errors.is_empty() {
        let mut page = manage_page(&ctx, &loaded, RoundForm::default(), errors);
        page.form = form;
        page.groups = group_choices(&groups);
        return render_manage(&ctx, &loaded, StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (consultation, now) = (loaded.consultation, ctx.state.clock.now());
    let slug = consultation.slug.clone();
    ctx.state
        .db
        .query(move |c| {
            let change = ConsultationChange {
                title: &form.title,
                summary: &form.summary,
                translated_title: &form.translated_title,
                translated_summary: &form.translated_summary,
                eligible_groups: &groups,
            };
            consultations::update(c, &consultation, &change, actor, now)
        })
        .await?;
    ctx.flash("consultation-saved");
    Ok(see_other(&format!("/admin/consultations/{slug}")))
}
