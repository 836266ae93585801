//! Organizer pages: consultations, draft import with preview, rounds and the
//! actions on them. Every action is a POST that redirects back (303) with a
//! flash message, after a page that says what will happen.

use super::page::{Ctx, see_other};
use crate::accounts::fields::FieldErrors;
use crate::audit;
use crate::clock::rfc3339;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, Consultation, ConsultationChange, NewConsultation};
use crate::drafts::{self, DraftVersion, ImportError, import};
use crate::error::AppError;
use crate::markdown;
use crate::notifications::schedule;
use crate::rounds::{self, Attribution, NewRound, Round};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::Serialize;

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn groups_from(pairs: &[(String, String)]) -> Vec<StakeholderGroup> {
    pairs
        .iter()
        .filter(|(k, _)| k == "eligible_groups")
        .filter_map(|(_, v)| StakeholderGroup::parse(v))
        .collect()
}

#[derive(Serialize)]
struct GroupChoice {
    value: &'static str,
    label_key: String,
    checked: bool,
}

fn group_choices(selected: &[StakeholderGroup]) -> Vec<GroupChoice> {
    StakeholderGroup::ALL
        .iter()
        .map(|g| GroupChoice {
            value: g.as_str(),
            label_key: g.label_key(),
            checked: selected.contains(g),
        })
        .collect()
}

#[derive(Serialize, Default)]
struct ConsultationForm {
    slug: String,
    title: String,
    summary: String,
    /// The same in the other language; empty shows every reader the original.
    translated_title: String,
    translated_summary: String,
}

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
    if creating && !consultations::valid_slug(&form.slug) {
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

#[derive(Serialize)]
struct RoundRow {
    number: i32,
    state: &'static str,
    opens_at: String,
    closes_at: String,
    draft_version: i32,
    chatham_house: bool,
    actions: Vec<&'static str>,
}

#[derive(Serialize, Default)]
struct RoundForm {
    draft_version: String,
    opens_at: String,
    closes_at: String,
    attribution: String,
}

#[derive(Serialize)]
struct ManagePage {
    csrf: String,
    slug: String,
    title: String,
    /// The language translations are written in, named in the reader's.
    other_language: String,
    other_lang: &'static str,
    form: ConsultationForm,
    groups: Vec<GroupChoice>,
    versions: Vec<VersionRow>,
    rounds: Vec<RoundRow>,
    round_form: RoundForm,
    errors: FieldErrors,
}

#[derive(Serialize)]
struct VersionRow {
    version: i32,
    title: String,
    created_at: String,
    translated: bool,
}

struct Loaded {
    consultation: Consultation,
    groups: Vec<StakeholderGroup>,
    versions: Vec<DraftVersion>,
    rounds: Vec<(Round, bool)>,
}

fn render_manage(
    ctx: &Ctx,
    loaded: &Loaded,
    status: StatusCode,
    page: &ManagePage,
) -> Result<HttpResponse, AppError> {
    ctx.render(status, "organize/manage", &loaded.consultation.title, page)
}

async fn load(ctx: &Ctx, slug: String) -> Result<Loaded, AppError> {
    ctx.state
        .db
        .run(move |c| -> Result<Loaded, AppError> {
            let consultation = consultations::find_by_slug(c, &slug)?;
            Ok(Loaded {
                groups: consultations::eligible_groups(c, consultation.id)?,
                versions: drafts::versions_of(c, consultation.id)?,
                rounds: rounds::with_publication(c, &[consultation.id])?,
                consultation,
            })
        })
        .await
}

fn actions_for(state: rounds::RoundState) -> Vec<&'static str> {
    use rounds::RoundState::*;
    match state {
        Draft | Scheduled => vec!["open", "extend"],
        Open => vec!["close", "extend"],
        Closed => vec!["extend", "publish"],
        Published => vec!["publish"],
    }
}

fn manage_page(
    ctx: &Ctx,
    loaded: &Loaded,
    round_form: RoundForm,
    errors: FieldErrors,
) -> ManagePage {
    let c = &loaded.consultation;
    let now = ctx.state.clock.now();
    let version_of = |id| {
        loaded
            .versions
            .iter()
            .find(|v| v.id == id)
            .map_or(0, |v| v.version)
    };
    let other = Locale::parse(&c.locale).unwrap_or_default().other();
    ManagePage {
        csrf: ctx.csrf(),
        slug: c.slug.clone(),
        title: c.title.clone(),
        other_language: ctx.t(other.name_key()),
        other_lang: other.as_str(),
        form: ConsultationForm {
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            translated_title: c.translated_title.clone().unwrap_or_default(),
            translated_summary: c.translated_summary.clone().unwrap_or_default(),
        },
        groups: group_choices(&loaded.groups),
        versions: loaded
            .versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                title: v.title.clone(),
                created_at: rfc3339(v.created_at),
                translated: v.translated_title.is_some() || v.translated_preamble.is_some(),
            })
            .collect(),
        rounds: loaded
            .rounds
            .iter()
            .map(|(r, published)| {
                let state = r.state_at(now, *published);
                RoundRow {
                    number: r.number,
                    state: state.as_str(),
                    opens_at: rfc3339(r.opens_at),
                    closes_at: rfc3339(r.effective_close()),
                    draft_version: version_of(r.draft_version_id),
                    chatham_house: r.attribution() == Attribution::ChathamHouse,
                    actions: actions_for(state),
                }
            })
            .collect(),
        round_form,
        errors,
    }
}

pub async fn manage(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
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
    slug: web::Path<String>,
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

// ---- draft import -----------------------------------------------------------

#[derive(Serialize)]
struct ImportPage {
    csrf: String,
    slug: String,
    markdown: String,
    level: u8,
    preview: Option<import::ParsedDraft>,
    preview_html: Vec<String>,
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
        error_key: None,
        error_detail: String::new(),
        next_version: loaded.versions.last().map_or(1, |v| v.version + 1),
    }
}

pub async fn new_draft(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
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

/// The posted draft: `markdown` (or an uploaded file), `level`, `action`.
struct DraftUpload {
    markdown: Result<String, ImportError>,
    level: u8,
    save: bool,
}

async fn read_upload(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<DraftUpload, AppError> {
    let mut fields: Vec<(String, Vec<u8>)> = vec![];
    if req.content_type() == "multipart/form-data" {
        let mut multipart = actix_multipart::Multipart::new(req.headers(), payload);
        // Counted over all parts: a chunked body declares no length, and many
        // parts each under the limit would otherwise all be kept in memory.
        let mut total = 0;
        while let Some(item) = multipart.next().await {
            let mut part = item.map_err(|e| AppError::BadRequest(e.to_string()))?;
            let name = part.name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
                total += chunk.len();
                if total > limit {
                    return Err(AppError::PayloadTooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            fields.push((name, bytes));
        }
    } else {
        let mut body = Vec::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
            if body.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        fields = form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), v.into_owned().into_bytes()))
            .collect();
    }
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_slice())
    };
    let markdown = match get("file").or(get("markdown")) {
        Some(bytes) => import::decode(bytes).map(str::to_string),
        None => Err(ImportError::Empty),
    };
    let level = get("level")
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse().ok())
        .filter(|l| (1..=6).contains(l))
        .unwrap_or(2);
    Ok(DraftUpload {
        markdown,
        level,
        save: get("action") == Some(b"save"),
    })
}

pub async fn import_draft(
    ctx: Ctx,
    slug: web::Path<String>,
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

// ---- draft translation --------------------------------------------------------

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
}

struct TranslationTarget {
    consultation: Consultation,
    version: DraftVersion,
    provisions: Vec<drafts::Provision>,
    level: u8,
    existing: Option<String>,
    /// The previous version and its translation, a starting point for a
    /// revised draft whose provisions mostly did not change.
    previous: Option<(i32, String)>,
}

async fn load_translation_target(
    ctx: &Ctx,
    path: web::Path<(String, String)>,
) -> Result<TranslationTarget, AppError> {
    let (slug, version) = path.into_inner();
    let number: i32 = version.parse().map_err(|_| AppError::NotFound)?;
    ctx.state
        .db
        .run(move |c| -> Result<TranslationTarget, AppError> {
            let consultation = consultations::find_by_slug(c, &slug)?;
            let version = drafts::versions_of(c, consultation.id)?
                .into_iter()
                .find(|v| v.version == number)
                .ok_or(AppError::NotFound)?;
            let provisions = drafts::provisions_of(c, version.id)?;
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
            .provisions
            .iter()
            .map(|p| p.provision_key.clone())
            .collect(),
        markdown,
        replacing: target.existing.is_some(),
        prefilled_from: None,
        problems: vec![],
        preview_title: String::new(),
        preview: None,
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
    path: web::Path<(String, String)>,
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
    path: web::Path<(String, String)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let target = load_translation_target(&ctx, path).await?;
    let upload = read_upload(&req, payload, ctx.state.settings.server.max_body_bytes).await?;
    let source = upload.markdown.as_ref().cloned().unwrap_or_default();
    let mut page = translation_page(&ctx, &target, source.clone());
    let title = translation_title(&ctx, &page);
    let parsed = upload
        .markdown
        .map_err(Into::into)
        .and_then(|md| drafts::translation::parse(&md, target.level, &target.provisions));
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

// ---- rounds -----------------------------------------------------------------

pub async fn create_round(
    ctx: Ctx,
    slug: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let loaded = load(&ctx, slug.into_inner()).await?;
    let form = RoundForm {
        draft_version: field(&body, "draft_version").to_string(),
        opens_at: field(&body, "opens_at").to_string(),
        closes_at: field(&body, "closes_at").to_string(),
        attribution: field(&body, "attribution").to_string(),
    };
    let mut errors = FieldErrors::default();
    let version = form
        .draft_version
        .parse::<i32>()
        .ok()
        .and_then(|n| loaded.versions.iter().find(|v| v.version == n));
    if version.is_none() {
        errors.add("draft_version", "field-draft-version-missing");
    }
    let opens = rounds::parse_time(&form.opens_at);
    let closes = rounds::parse_time(&form.closes_at);
    if opens.is_none() {
        errors.add("opens_at", "field-time-invalid");
    }
    match (opens, closes) {
        (_, None) => errors.add("closes_at", "field-time-invalid"),
        (Some(o), Some(c)) if c <= o => errors.add("closes_at", "field-closes-before-opens"),
        _ => {}
    }
    let attribution = Attribution::parse(&form.attribution);
    if attribution.is_none() {
        errors.add("attribution", "field-attribution-missing");
    }
    let (Some(version), Some(opens), Some(closes), Some(attribution), true) =
        (version, opens, closes, attribution, errors.is_empty())
    else {
        let page = manage_page(&ctx, &loaded, form, errors);
        return render_manage(&ctx, &loaded, StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let new = NewRound {
        consultation: loaded.consultation.id,
        draft_version: version.id,
        opens_at: opens,
        closes_at: closes,
        attribution,
        announce: true,
    };
    let (slug, now) = (loaded.consultation.slug.clone(), ctx.state.clock.now());
    ctx.state
        .db
        .query(move |c| rounds::create(c, &new, Some(actor), now))
        .await?;
    ctx.flash("round-created");
    Ok(see_other(&format!("/admin/consultations/{slug}")))
}

#[derive(Serialize)]
struct ConfirmPage {
    csrf: String,
    errors: FieldErrors,
    slug: String,
    title: String,
    number: i32,
    action: String,
    closes_at: String,
}

/// The consultation and round an action's address names; an unknown action,
/// consultation or round is a 404.
async fn load_round(
    ctx: &Ctx,
    slug: String,
    number: &str,
    action: &str,
) -> Result<(Loaded, Round, bool), AppError> {
    if !matches!(action, "open" | "close" | "extend" | "publish") {
        return Err(AppError::NotFound);
    }
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let loaded = load(ctx, slug).await?;
    let (round, published) = loaded
        .rounds
        .iter()
        .find(|(r, _)| r.number == number)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((loaded, round, published))
}

/// The page that says what an action will do and who will be told.
pub async fn confirm(
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let (slug, number, action) = path.into_inner();
    let (loaded, round, _) = load_round(&ctx, slug, &number, &action).await?;
    let page = ConfirmPage {
        csrf: ctx.csrf(),
        errors: FieldErrors::default(),
        slug: loaded.consultation.slug.clone(),
        title: loaded.consultation.title.clone(),
        number: round.number,
        action,
        closes_at: rfc3339(round.effective_close()),
    };
    ctx.render(
        StatusCode::OK,
        "organize/confirm",
        &ctx.t("confirm-title"),
        &page,
    )
}

pub async fn round_action(
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let (slug, number, action) = path.into_inner();
    let (_, round, published) = load_round(&ctx, slug.clone(), &number, &action).await?;
    let back = format!("/admin/consultations/{slug}");
    let now = ctx.state.clock.now();
    let notifier = ctx.state.notifier.clone();
    let outcome = match action.as_str() {
        "open" => {
            ctx.state
                .db
                .query(move |c| rounds::open_now(c, &round, published, actor, now))
                .await?
        }
        "close" => {
            ctx.state
                .db
                .query(move |c| rounds::close_now(c, &round, published, actor, now))
                .await?
        }
        "extend" => {
            let Some(new_close) = rounds::parse_time(field(&body, "closes_at")) else {
                ctx.flash_error("field-time-invalid");
                return Ok(see_other(&format!("{back}/rounds/{}/extend", round.number)));
            };
            ctx.state
                .db
                .run(move |c| -> Result<_, AppError> {
                    crate::db::write_transaction(c, |c| {
                        let done = rounds::extend(c, &round, published, new_close, actor, now)?;
                        if done.is_ok() {
                            let (updated, _) =
                                rounds::find(c, round.consultation_id, round.number)?;
                            schedule::extended(c, &notifier, &updated, now)?;
                        }
                        Ok(done)
                    })
                })
                .await?
        }
        _ => {
            let note = field(&body, "note").trim().to_string();
            ctx.state
                .db
                .run_within(super::reports::REPORT_WORK, move |c| {
                    crate::reports::publish(c, &notifier, &round, published, &note, actor, now)
                })
                .await?
        }
    };
    match outcome {
        Ok(()) => {
            ctx.flash(&format!("round-{action}-done"));
        }
        Err(refused) => ctx.flash_error(refused.message_key()),
    }
    Ok(see_other(&back))
}

// ---- the public audit log and feed -------------------------------------------

#[derive(serde::Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

#[derive(Serialize)]
struct AuditRow {
    action_key: String,
    actor: Option<String>,
    consultation_slug: Option<String>,
    consultation_title: Option<crate::i18n::reading::Text>,
    subject: String,
    details: String,
    created_at: String,
}

#[derive(Serialize)]
struct AuditPage {
    entries: Vec<AuditRow>,
    page: i64,
    previous: Option<i64>,
    next: Option<i64>,
}

pub async fn audit_log(ctx: Ctx, query: web::Query<PageQuery>) -> Result<HttpResponse, AppError> {
    let page = query.page.unwrap_or(0).max(0);
    let (entries, more) = ctx
        .state
        .db
        .query(move |c| audit::public_page(c, page, 50))
        .await?;
    let reading = ctx.reading();
    let view = AuditPage {
        entries: entries
            .into_iter()
            .map(|e| AuditRow {
                action_key: format!("audit-{}", e.action.replace('.', "-")),
                actor: e.actor,
                consultation_slug: e.consultation_slug,
                consultation_title: e.consultation_title.map(|title| {
                    reading.text(
                        &title,
                        e.consultation_locale.as_deref().unwrap_or_default(),
                        e.consultation_translated_title.as_deref(),
                    )
                }),
                subject: e.subject,
                details: e.details,
                created_at: rfc3339(e.created_at),
            })
            .collect(),
        page,
        previous: (page > 0).then(|| page - 1),
        next: more.then_some(page + 1),
    };
    ctx.render(StatusCode::OK, "audit", &ctx.t("audit-title"), &view)
}

fn xml(text: &str) -> String {
    handlebars::html_escape(text)
}

/// Opened rounds and published reports, newest first.
pub async fn feed(state: web::Data<super::AppState>) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let base = state
        .settings
        .app
        .base_url
        .trim_end_matches('/')
        .to_string();
    let items = state
        .db
        .run(
            move |c| -> Result<Vec<(String, String, String, time::PrimitiveDateTime)>, AppError> {
                let all = consultations::all(c)?;
                let ids: Vec<_> = all.iter().map(|c| c.id).collect();
                let rounds = rounds::with_publication(c, &ids)?;
                let published = crate::reports::published_times(c)?;
                let mut items = vec![];
                for (r, _) in rounds
                    .iter()
                    .filter(|(r, _)| r.announced_at.is_some() && r.opens_at <= now)
                {
                    let Some(cons) = all.iter().find(|c| c.id == r.consultation_id) else {
                        continue;
                    };
                    items.push((
                        format!("{} — round {} is open", cons.title, r.number),
                        format!("/consultations/{}/rounds/{}", cons.slug, r.number),
                        format!("round-{}-opened", r.id),
                        r.opens_at,
                    ));
                    if let Some((_, at)) = published.iter().find(|(id, _)| *id == r.id) {
                        items.push((
                            format!("{} — report of round {} published", cons.title, r.number),
                            format!("/consultations/{}/rounds/{}/report", cons.slug, r.number),
                            format!("round-{}-report", r.id),
                            *at,
                        ));
                    }
                }
                items.sort_by_key(|i| std::cmp::Reverse(i.3));
                Ok(items)
            },
        )
        .await?;
    let updated = items.first().map_or_else(|| rfc3339(now), |i| rfc3339(i.3));
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Polyphony</title>\n<id>{base}/</id>\n<link href=\"{base}/feed.atom\" rel=\"self\"/>\n<updated>{updated}</updated>\n"
    );
    for (title, path, id, at) in items {
        body.push_str(&format!(
            "<entry><title>{}</title><link href=\"{base}{}\"/><id>{base}/#{}</id><updated>{}</updated><author><name>Polyphony</name></author></entry>\n",
            xml(&title), xml(&path), id, rfc3339(at)
        ));
    }
    body.push_str("</feed>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(body))
}
