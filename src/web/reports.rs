//! The public report, rendered from its stored snapshot (never recomputed),
//! its open data, and the organizers' preview, responses and moderation.

use super::page::{Ctx, see_other};
use crate::accounts::countries;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, Consultation};
use crate::db::PositionId;
use crate::error::AppError;
use crate::markdown;
use crate::reports::chart::{self, Bar, Labels};
use crate::reports::figures::{ConsensusLabel, StanceCounts};
use crate::reports::{self, PublishedComment, Snapshot};
use crate::rounds::{self, Attribution, Round};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

fn pct(share: Option<f64>) -> String {
    share.map_or_else(|| "—".into(), |s| format!("{:.0} %", s * 100.0))
}

fn group_label(locale: Locale, g: StakeholderGroup) -> String {
    crate::i18n::t(locale, &g.label_key())
}

fn country_name(locale: Locale, code: &str) -> String {
    countries::find(code).map_or_else(|| code.to_string(), |c| c.name(locale).to_string())
}

/// "Ada Lovelace, Analytical Society — Academia, France", or as little of it
/// as the author allowed.
fn who(locale: Locale, c: &PublishedComment) -> String {
    let mut parts = vec![];
    let names: Vec<&str> = [c.name.as_deref(), c.organization.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !names.is_empty() {
        parts.push(names.join(", "));
    }
    let place: Vec<String> = [
        c.group.map(|g| group_label(locale, g)),
        c.country.as_deref().map(|code| country_name(locale, code)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !place.is_empty() {
        parts.push(place.join(", "));
    }
    parts.join(" — ")
}

#[derive(Serialize)]
struct CommentView {
    who: String,
    stance_key: Option<String>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
    position_id: Option<PositionId>,
}

#[derive(Serialize)]
struct GroupRow {
    label: String,
    counts: StanceCounts,
    verified: StanceCounts,
    share: String,
    counted: bool,
}

#[derive(Serialize)]
struct CampaignView {
    text: String,
    count: usize,
    groups: String,
}

#[derive(Serialize)]
struct ProvisionView {
    key: String,
    label: String,
    heading: String,
    body_html: String,
    label_key: String,
    balanced: String,
    score: String,
    chart: String,
    rows: Vec<GroupRow>,
    overall: GroupRow,
    response_html: Option<String>,
    campaigns: Vec<CampaignView>,
    comments: Vec<CommentView>,
    proposals: usize,
}

#[derive(Serialize)]
struct Count {
    label: String,
    count: i64,
    extra: i64,
}

#[derive(Serialize)]
struct ReportView {
    slug: String,
    title: String,
    round: i32,
    version: i32,
    versions: Vec<i32>,
    latest: bool,
    published_at: String,
    closes_at: String,
    note: String,
    chatham: bool,
    min_group_size: i64,
    total: i64,
    verified: i64,
    in_campaigns: i64,
    groups: Vec<Count>,
    countries: Vec<Count>,
    regions: Vec<Count>,
    provisions: Vec<ProvisionView>,
    general_comments: Vec<CommentView>,
    preview: bool,
    csrf: String,
}

fn label_key(l: &ConsensusLabel) -> &'static str {
    match l {
        ConsensusLabel::Consensus => "label-consensus",
        ConsensusLabel::BroadSupport => "label-broad-support",
        ConsensusLabel::Divided => "label-divided",
        ConsensusLabel::Opposed => "label-opposed",
        ConsensusLabel::NotEnoughResponses => "label-not-enough",
    }
}

fn comment_view(locale: Locale, c: &PublishedComment) -> CommentView {
    CommentView {
        who: who(locale, c),
        stance_key: c
            .stance
            .map(|s| format!("stance-{}", s.as_str().replace('_', "-"))),
        comment: c.comment.clone(),
        proposed_text: c.proposed_text.clone(),
        hidden_reason: c.hidden_reason.clone(),
        position_id: c.position_id,
    }
}

fn view(ctx: &Ctx, s: &Snapshot, versions: Vec<i32>, preview: bool) -> ReportView {
    let locale = ctx.locale;
    let t = |k: &str| ctx.t(k);
    let labels = |title: String| Labels {
        description: format!("{} {}", t("chart-description"), title),
        title,
        support: t("stance-support"),
        support_with_changes: t("stance-support-with-changes"),
        oppose: t("stance-oppose"),
        no_position: t("stance-no-position"),
        responses: t("chart-responses"),
    };
    let provisions = s
        .provisions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let f = &p.figures;
            let rows: Vec<GroupRow> = f
                .groups
                .iter()
                .map(|g| GroupRow {
                    label: group_label(locale, g.group),
                    counts: g.counts,
                    verified: g.verified,
                    share: pct(g.support_share),
                    counted: g.counted_in_balance,
                })
                .collect();
            let bars: Vec<Bar> = f
                .groups
                .iter()
                .map(|g| Bar {
                    label: group_label(locale, g.group),
                    counts: g.counts,
                })
                .collect();
            let heading = format!("{} {}", p.label, p.heading);
            ProvisionView {
                key: p.key.clone(),
                label: p.label.clone(),
                heading: p.heading.clone(),
                body_html: markdown::to_html(&p.body),
                label_key: label_key(&f.label).into(),
                balanced: pct(f.balanced_support),
                score: f
                    .consensus_score
                    .map_or_else(|| "—".into(), |v| format!("{v:.2}")),
                chart: chart::stacked_bars_sharing(
                    &format!("chart-{}", p.key),
                    "stance",
                    i == 0,
                    &bars,
                    &labels(heading.trim().to_string()),
                ),
                overall: GroupRow {
                    label: t("report-all-groups"),
                    counts: f.overall,
                    verified: f.overall_verified,
                    share: pct(f.overall.support_share()),
                    counted: true,
                },
                rows,
                response_html: p.response.clone(),
                campaigns: p
                    .campaigns
                    .iter()
                    .map(|c| CampaignView {
                        text: c.text.clone(),
                        count: c.count,
                        groups: c
                            .groups
                            .iter()
                            .map(|(g, n)| format!("{} {n}", group_label(locale, *g)))
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                    .collect(),
                proposals: p
                    .comments
                    .iter()
                    .filter(|c| !c.proposed_text.is_empty())
                    .count(),
                comments: p.comments.iter().map(|c| comment_view(locale, c)).collect(),
            }
        })
        .collect();
    let part = &s.participation;
    ReportView {
        slug: s.consultation_slug.clone(),
        title: s.consultation_title.clone(),
        round: s.round,
        version: s.version,
        latest: versions.last() == Some(&s.version),
        versions,
        published_at: s.published_at.clone(),
        closes_at: s.closes_at.clone(),
        note: s.note.clone(),
        chatham: s.attribution == Attribution::ChathamHouse,
        min_group_size: s.min_group_size,
        total: part.submissions,
        verified: part.verified,
        in_campaigns: part.in_campaigns,
        groups: part
            .by_group
            .iter()
            .map(|g| Count {
                label: group_label(locale, g.group),
                count: g.count,
                extra: g.verified,
            })
            .collect(),
        countries: part
            .by_country
            .iter()
            .map(|c| Count {
                label: country_name(locale, &c.code),
                count: c.count,
                extra: 0,
            })
            .collect(),
        regions: part
            .by_region
            .iter()
            .map(|r| Count {
                label: t(&format!("region-{}", r.code)),
                count: r.count,
                extra: 0,
            })
            .collect(),
        provisions,
        general_comments: s
            .general_comments
            .iter()
            .map(|c| comment_view(locale, c))
            .collect(),
        preview,
        csrf: if preview { ctx.csrf() } else { String::new() },
    }
}

async fn find_round(
    ctx: &Ctx,
    slug: String,
    number: &str,
) -> Result<(Consultation, Round, bool), AppError> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    ctx.state
        .db
        .run(move |c| -> Result<_, AppError> {
            let consultation = consultations::find_by_slug(c, &slug)?;
            let (round, published) = rounds::find(c, consultation.id, number)?;
            Ok((consultation, round, published))
        })
        .await
}

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<i32>,
}

async fn stored(
    ctx: &Ctx,
    path: (String, String),
    version: Option<i32>,
    csv: bool,
) -> Result<reports::Published, AppError> {
    let (_, round, _) = find_round(ctx, path.0, &path.1).await?;
    ctx.state
        .db
        .query(move |c| reports::stored(c, round.id, version, csv))
        .await?
        .ok_or(AppError::NotFound)
}

fn snapshot_of(p: &reports::Published) -> Result<Snapshot, AppError> {
    serde_json::from_str(&p.snapshot).map_err(|e| AppError::Internal(e.into()))
}

/// Published versions never change, so a page can be cached by its version
/// and language; anonymous readers share it.
fn cacheable(req: &HttpRequest, ctx: &Ctx, etag: &str) -> Option<HttpResponse> {
    if ctx.user.is_some() {
        return None;
    }
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag);
    matches.then(|| {
        HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish()
    })
}

pub async fn report(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version, false).await?;
    let etag = format!(
        "\"report-{}-{}-v{}-{}\"",
        published.version,
        published.snapshot.len(),
        published.versions.len(),
        ctx.locale.as_str()
    );
    if let Some(not_modified) = cacheable(&req, &ctx, &etag) {
        return Ok(not_modified);
    }
    let snapshot = snapshot_of(&published)?;
    let page = view(&ctx, &snapshot, published.versions.clone(), false);
    let title = format!(
        "{} – {}",
        ctx.t("report-title"),
        snapshot.consultation_title
    );
    let mut res = ctx.render(StatusCode::OK, "report", &title, &page)?;
    if ctx.user.is_none() {
        let h = res.headers_mut();
        h.insert(
            header::ETAG,
            header::HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.into()))?,
        );
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("public, max-age=60"),
        );
        h.insert(
            header::VARY,
            header::HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    Ok(res)
}

pub async fn report_json(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version, false).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(published.snapshot))
}

pub async fn report_csv(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version, true).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"report-v{}.csv\"", published.version),
        ))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(published.csv.unwrap_or_default()))
}

/// The draft report from live data, with the forms organizers need.
pub async fn preview(
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let (slug, number) = path.into_inner();
    let (consultation, round, _) = find_round(&ctx, slug, &number).await?;
    let now = ctx.state.clock.now();
    let (snapshot, _) = ctx
        .state
        .db
        .run(move |c| reports::build(c, &consultation, &round, 0, "", now))
        .await?;
    let page = view(&ctx, &snapshot, vec![], true);
    ctx.render(
        StatusCode::OK,
        "report",
        &ctx.t("report-preview-title"),
        &page,
    )
}

#[derive(Deserialize)]
pub struct ResponseForm {
    response: String,
}

pub async fn respond(
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
    form: web::Form<ResponseForm>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let (slug, number, key) = path.into_inner();
    let (_, round, _) = find_round(&ctx, slug.clone(), &number).await?;
    let provisions = {
        let r = round.clone();
        ctx.state
            .db
            .query(move |c| reports::provisions_of(c, &r))
            .await?
    };
    if !provisions.iter().any(|p| p.provision_key == key) {
        return Err(AppError::NotFound);
    }
    if form.response.chars().count() > 20_000 {
        return Err(AppError::Unprocessable("response too long".into()));
    }
    let (text, now) = (form.response.trim().to_string(), ctx.state.clock.now());
    let k = key.clone();
    ctx.state
        .db
        .query(move |c| reports::set_response(c, &round, &k, &text, actor, now))
        .await?;
    ctx.flash("response-saved");
    Ok(see_other(&format!(
        "/admin/consultations/{slug}/rounds/{number}/report#{key}"
    )))
}

#[derive(Deserialize)]
pub struct HideForm {
    reason: String,
}

pub async fn hide(
    ctx: Ctx,
    id: web::Path<String>,
    form: web::Form<HideForm>,
) -> Result<HttpResponse, AppError> {
    let actor = ctx.organizer()?.id;
    let id = PositionId(id.parse().map_err(|_| AppError::NotFound)?);
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::Unprocessable(
            "a reason of 1 to 500 characters is required".into(),
        ));
    }
    let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
    let round = ctx
        .state
        .db
        .run(move |c| reports::hide(c, &notifier, id, &reason, actor, now))
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = {
        let cid = round.consultation_id;
        ctx.state
            .db
            .query(move |c| {
                use diesel::prelude::*;
                crate::db::schema::consultations::table
                    .find(cid)
                    .select(crate::db::schema::consultations::slug)
                    .first::<String>(c)
            })
            .await?
    };
    ctx.flash("text-hidden");
    Ok(see_other(&format!(
        "/admin/consultations/{slug}/rounds/{}/report",
        round.number
    )))
}
