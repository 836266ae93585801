//! The public report, rendered from its stored snapshot (never recomputed),
//! its open data, and the organizers' preview, responses and moderation.
//!
//! A report is an overview page (participation, every provision's verdict,
//! the general comments, the methodology) and one page per provision (its
//! text, chart, table, response, campaigns and published texts, fifty at a
//! time), so every page stays light whatever the round's size.

use super::encoded::Encoded;
use super::fresh::Freshness;
use super::page::{Ctx, see_other};
use super::public::{Reading, Text, TranslationNote};
use crate::accounts::countries;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, Consultation};
use crate::db::{DbConnection, PositionId};
use crate::error::AppError;
use crate::markdown;
use crate::reports::chart::{self, Bar, Labels};
use crate::reports::figures::{ConsensusLabel, StanceCounts};
use crate::reports::{self, ProvisionReport, PublishedComment, Snapshot};
use crate::rounds::{self, Attribution, Round};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Texts per page of a provision; the overview shows the first few general
/// comments.
const TEXTS_PER_PAGE: i32 = 50;
const GENERAL_ON_OVERVIEW: i32 = 5;
/// Computing a report reads the whole round: minutes for the largest ones.
pub const REPORT_WORK: std::time::Duration = std::time::Duration::from_secs(600);

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

fn comment_views(locale: Locale, texts: &[PublishedComment]) -> Vec<CommentView> {
    texts
        .iter()
        .map(|c| CommentView {
            who: who(locale, c),
            stance_key: c
                .stance
                .map(|s| format!("stance-{}", s.as_str().replace('_', "-"))),
            comment: c.comment.clone(),
            proposed_text: c.proposed_text.clone(),
            hidden_reason: c.hidden_reason.clone(),
            position_id: c.position_id,
        })
        .collect()
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

fn label_key(l: &ConsensusLabel) -> &'static str {
    match l {
        ConsensusLabel::Consensus => "label-consensus",
        ConsensusLabel::BroadSupport => "label-broad-support",
        ConsensusLabel::Divided => "label-divided",
        ConsensusLabel::Opposed => "label-opposed",
        ConsensusLabel::NotEnoughResponses => "label-not-enough",
    }
}

/// What every report page says about where it is: the consultation, the
/// round, the version, and where its links lead (public or preview).
#[derive(Serialize)]
struct Frame {
    slug: String,
    title: Text,
    round: i32,
    version: i32,
    versions: Vec<i32>,
    latest: bool,
    published_at: String,
    note: String,
    preview: bool,
    csrf: String,
    /// The overview's address, and the `?version=` suffix for links when an
    /// earlier version is read.
    base: String,
    version_query: String,
    translation: Option<TranslationNote>,
}

/// `translated`: whether the page holds a text that has a translation.
fn frame(ctx: &Ctx, s: &Snapshot, versions: Vec<i32>, preview: bool, translated: bool) -> Frame {
    let latest = preview || versions.last() == Some(&s.version);
    let reading = Reading::of(ctx);
    let written_in = s.locale.as_str();
    let translated =
        translated || reading.has_translation(written_in, s.translated_title.as_deref());
    Frame {
        slug: s.consultation_slug.clone(),
        title: reading.text(
            &s.consultation_title,
            written_in,
            s.translated_title.as_deref(),
        ),
        translation: reading.note(ctx, translated, written_in),
        round: s.round,
        version: s.version,
        versions,
        latest,
        published_at: s.published_at.clone(),
        note: s.note.clone(),
        preview,
        csrf: if preview { ctx.csrf() } else { String::new() },
        base: if preview {
            format!(
                "/admin/consultations/{}/rounds/{}/report",
                s.consultation_slug, s.round
            )
        } else {
            format!(
                "/consultations/{}/rounds/{}/report",
                s.consultation_slug, s.round
            )
        },
        version_query: if latest {
            String::new()
        } else {
            format!("version={}", s.version)
        },
    }
}

/// A provision's label, heading and body in the reader's language where a
/// translation exists (the label follows the heading).
fn texts_of(ctx: &Ctx, s: &Snapshot, p: &ProvisionReport) -> (String, Text, Text) {
    let reading = Reading::of(ctx);
    let written_in = s.locale.as_str();
    let heading = reading.text(&p.heading, written_in, p.translated_heading.as_deref());
    let body = reading.text(&p.body, written_in, p.translated_body.as_deref());
    let label = match &p.translated_label {
        Some(l) if heading.lang != written_in => l.clone(),
        _ => p.label.clone(),
    };
    (label, heading, body)
}

fn is_translated(ctx: &Ctx, s: &Snapshot, p: &ProvisionReport) -> bool {
    let reading = Reading::of(ctx);
    let written_in = s.locale.as_str();
    reading.has_translation(written_in, p.translated_heading.as_deref())
        || reading.has_translation(written_in, p.translated_body.as_deref())
}

/// A provision's line in the overview.
#[derive(Serialize)]
struct ProvisionRow {
    key: String,
    label: String,
    heading: Text,
    label_key: String,
    balanced: String,
    score: String,
    responses: i64,
    texts: i64,
    answered: bool,
}

#[derive(Serialize)]
struct Count {
    label: String,
    count: i64,
    extra: i64,
}

#[derive(Serialize)]
struct ReportView {
    #[serde(flatten)]
    frame: Frame,
    closes_at: String,
    chatham: bool,
    min_group_size: i64,
    total: i64,
    verified: i64,
    in_campaigns: i64,
    groups: Vec<Count>,
    countries: Vec<Count>,
    regions: Vec<Count>,
    provisions: Vec<ProvisionRow>,
    general_comments: Vec<CommentView>,
    general_texts: i64,
    general_more: bool,
}

fn overview(
    ctx: &Ctx,
    s: &Snapshot,
    general: &[PublishedComment],
    versions: Vec<i32>,
    preview: bool,
) -> ReportView {
    let locale = ctx.locale;
    let part = &s.participation;
    let places = |list: &[reports::PlaceCount], name: &dyn Fn(&str) -> String| {
        list.iter()
            .map(|c| Count {
                label: name(&c.code),
                count: c.count,
                extra: 0,
            })
            .collect()
    };
    let translated = s.provisions.iter().any(|p| is_translated(ctx, s, p));
    ReportView {
        frame: frame(ctx, s, versions, preview, translated),
        closes_at: s.closes_at.clone(),
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
        countries: places(&part.by_country, &|code| country_name(locale, code)),
        regions: places(&part.by_region, &|code| ctx.t(&format!("region-{code}"))),
        provisions: s
            .provisions
            .iter()
            .map(|p| {
                let f = &p.figures;
                let (label, heading, _) = texts_of(ctx, s, p);
                ProvisionRow {
                    key: p.key.clone(),
                    label,
                    heading,
                    label_key: label_key(&f.label).into(),
                    balanced: pct(f.balanced_support),
                    score: f
                        .consensus_score
                        .map_or_else(|| "—".into(), |v| format!("{v:.2}")),
                    responses: f.overall.total(),
                    texts: p.texts,
                    answered: p.response.is_some(),
                }
            })
            .collect(),
        general_comments: comment_views(locale, general),
        general_more: s.general_texts > general.len() as i64,
        general_texts: s.general_texts,
    }
}

/// Page numbers and their links for a list of `total` texts.
#[derive(Serialize)]
struct Pages {
    page: i32,
    pages: i32,
    previous: Option<String>,
    next: Option<String>,
}

impl Pages {
    /// `None` when `page` is outside the list (a 404).
    fn new(total: i64, page: Option<i32>, address: &str, version_query: &str) -> Option<Self> {
        let per = i64::from(TEXTS_PER_PAGE);
        let pages = i32::try_from((total + per - 1) / per).ok()?.max(1);
        let page = page.unwrap_or(1);
        if !(1..=pages).contains(&page) {
            return None;
        }
        let link = |n: i32| {
            let sep = if version_query.is_empty() { "" } else { "&" };
            format!("{address}?{version_query}{sep}page={n}")
        };
        Some(Pages {
            page,
            pages,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        })
    }

    fn offset(&self) -> i32 {
        (self.page - 1) * TEXTS_PER_PAGE
    }
}

#[derive(Serialize)]
struct ProvisionView {
    #[serde(flatten)]
    frame: Frame,
    key: String,
    label: String,
    heading: Text,
    body_html: Text,
    label_key: String,
    balanced: String,
    score: String,
    chart: String,
    rows: Vec<GroupRow>,
    overall: GroupRow,
    response_html: Option<String>,
    response_text: String,
    campaigns: Vec<CampaignView>,
    comments: Vec<CommentView>,
    texts: i64,
    proposals: i64,
    pages: Pages,
}

/// A provision's page: everything the report says about it, and one page of
/// its texts.
fn provision_view(
    ctx: &Ctx,
    s: &Snapshot,
    p: &ProvisionReport,
    texts: &[PublishedComment],
    frame: Frame,
    pages: Pages,
    response_text: String,
) -> ProvisionView {
    let locale = ctx.locale;
    let t = |k: &str| ctx.t(k);
    let f = &p.figures;
    let (label, heading, body) = texts_of(ctx, s, p);
    let chart_title = format!("{label} {}", heading.text);
    let labels = Labels {
        description: format!("{} {}", t("chart-description"), chart_title.trim()),
        title: chart_title.trim().to_string(),
        support: t("stance-support"),
        support_with_changes: t("stance-support-with-changes"),
        oppose: t("stance-oppose"),
        no_position: t("stance-no-position"),
        responses: t("chart-responses"),
    };
    let bars: Vec<Bar> = f
        .groups
        .iter()
        .map(|g| Bar {
            label: group_label(locale, g.group),
            counts: g.counts,
        })
        .collect();
    ProvisionView {
        frame,
        key: p.key.clone(),
        label,
        body_html: Text {
            text: markdown::to_html(&body.text),
            lang: body.lang,
        },
        heading,
        label_key: label_key(&f.label).into(),
        balanced: pct(f.balanced_support),
        score: f
            .consensus_score
            .map_or_else(|| "—".into(), |v| format!("{v:.2}")),
        chart: chart::stacked_bars_sharing(
            &format!("chart-{}", p.key),
            "stance",
            true,
            &bars,
            &labels,
        ),
        rows: f
            .groups
            .iter()
            .map(|g| GroupRow {
                label: group_label(locale, g.group),
                counts: g.counts,
                verified: g.verified,
                share: pct(g.support_share),
                counted: g.counted_in_balance,
            })
            .collect(),
        overall: GroupRow {
            label: t("report-all-groups"),
            counts: f.overall,
            verified: f.overall_verified,
            share: pct(f.overall.support_share()),
            counted: true,
        },
        response_html: p.response.clone(),
        response_text,
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
        comments: comment_views(locale, texts),
        texts: p.texts,
        proposals: p.proposals,
        pages,
    }
}

#[derive(Serialize)]
struct GeneralView {
    #[serde(flatten)]
    frame: Frame,
    comments: Vec<CommentView>,
    total: i64,
    pages: Pages,
}

/// The round an address names, and whether its report is out.
fn round_named(
    c: &mut DbConnection,
    slug: &str,
    number: &str,
) -> Result<(Consultation, Round, bool), AppError> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let consultation = consultations::find_by_slug(c, slug)?;
    let (round, published) = rounds::find(c, consultation.id, number)?;
    Ok((consultation, round, published))
}

async fn find_round(
    ctx: &Ctx,
    slug: String,
    number: &str,
) -> Result<(Consultation, Round, bool), AppError> {
    let number = number.to_string();
    ctx.state
        .db
        .run(move |c| round_named(c, &slug, &number))
        .await
}

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<i32>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    version: Option<i32>,
    page: Option<i32>,
}

/// A published version of the round an address names, in one database call.
async fn stored(
    ctx: &Ctx,
    (slug, number): (String, String),
    version: Option<i32>,
) -> Result<reports::Published, AppError> {
    ctx.state
        .db
        .run(move |c| {
            let (_, round, _) = round_named(c, &slug, &number)?;
            reports::stored(c, round.id, version)?.ok_or(AppError::NotFound)
        })
        .await
}

fn snapshot_of(p: &reports::Published) -> Result<Snapshot, AppError> {
    serde_json::from_str(&p.snapshot).map_err(|e| AppError::Internal(e.into()))
}

fn etag_of(published: &reports::Published, ctx: &Ctx, page: &str) -> String {
    format!(
        "\"report-{}-v{}-of-{}-{}-{page}\"",
        published.id,
        published.version,
        published.versions.len(),
        ctx.locale.as_str()
    )
}

/// Rendered public report pages shared by anonymous readers, by language
/// and address: a published version never changes, and an address without
/// `?version=` follows a new version within `FRESH`. Each is kept gzipped
/// too, compressed once rather than for every reader. This is what lets a
/// report take a flash crowd without touching the database.
pub type PageCache = moka::sync::Cache<String, CachedPage>;

/// How long a page is served as it is; for as long again it is served while
/// one reader renders its replacement, and a page idle that long is dropped.
const FRESH: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct CachedPage {
    etag: String,
    html: Encoded,
    freshness: Arc<Freshness>,
}

pub fn page_cache() -> PageCache {
    moka::sync::Cache::builder()
        .weigher(|_, page: &CachedPage| u32::try_from(page.html.weight()).unwrap_or(u32::MAX))
        .max_capacity(64 * 1024 * 1024)
        .time_to_live(2 * FRESH)
        .build()
}

fn cache_key(ctx: &Ctx, req: &HttpRequest) -> Option<String> {
    ctx.is_anonymous().then(|| {
        format!(
            "{} {}?{}",
            ctx.locale.as_str(),
            req.path(),
            req.query_string()
        )
    })
}

/// A page from the cache: 304 when the reader has it already. None when the
/// caller is to render it.
fn cached(ctx: &Ctx, req: &HttpRequest) -> Option<HttpResponse> {
    let page = ctx.state.report_pages.get(&cache_key(ctx, req)?)?;
    page.freshness
        .usable(Instant::now(), FRESH)
        .then(|| shared_response(req, &page))
}

/// A shared page with its validator, gzipped when the reader takes it.
fn shared_response(req: &HttpRequest, page: &CachedPage) -> HttpResponse {
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == page.etag);
    let mut res = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, page.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .insert_header((header::VARY, "Accept-Encoding, Accept-Language, Cookie"));
    if fresh {
        return res.finish();
    }
    res.content_type("text/html; charset=utf-8");
    page.html.send(req, &mut res)
}

/// Renders a report page, shares it with the next anonymous readers, and
/// answers with its validator (signed-in readers get it uncached: their
/// page carries their name and forms).
fn serve<T: Serialize>(
    ctx: &Ctx,
    req: &HttpRequest,
    etag: String,
    template: &str,
    title: &str,
    view: &T,
) -> Result<HttpResponse, AppError> {
    let html = ctx.render_html(template, title, view)?;
    let Some(key) = cache_key(ctx, req) else {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html));
    };
    let page = CachedPage {
        etag,
        html: Encoded::gzip(html),
        freshness: Arc::new(Freshness::new()),
    };
    let res = shared_response(req, &page);
    ctx.state.report_pages.insert(key, page);
    Ok(res)
}

pub async fn report(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(res) = cached(&ctx, &req) {
        return Ok(res);
    }
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let etag = etag_of(&published, &ctx, "overview");
    let id = published.id;
    let general = ctx
        .state
        .db
        .query(move |c| reports::texts_page(c, id, "", 0, GENERAL_ON_OVERVIEW))
        .await?;
    let snapshot = snapshot_of(&published)?;
    let page = overview(&ctx, &snapshot, &general, published.versions.clone(), false);
    let title = format!("{} – {}", ctx.t("report-title"), page.frame.title.text);
    serve(&ctx, &req, etag, "report", &title, &page)
}

/// One page of a published list of texts (a provision's, or '' for the
/// general comments) of `total`, with its validator; 404 past the end.
async fn stored_page(
    ctx: &Ctx,
    published: &reports::Published,
    frame: &Frame,
    key: &str,
    total: i64,
    page: Option<i32>,
    address: &str,
) -> Result<(Pages, Vec<PublishedComment>, String), AppError> {
    let pages = Pages::new(total, page, address, &frame.version_query).ok_or(AppError::NotFound)?;
    let etag = etag_of(published, ctx, &format!("{key}-{}", pages.page));
    let (id, offset, key) = (published.id, pages.offset(), key.to_string());
    let texts = ctx
        .state
        .db
        .query(move |c| reports::texts_page(c, id, &key, offset, TEXTS_PER_PAGE))
        .await?;
    Ok((pages, texts, etag))
}

pub async fn provision(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(res) = cached(&ctx, &req) {
        return Ok(res);
    }
    let (slug, number, key) = path.into_inner();
    let published = stored(&ctx, (slug, number), query.version).await?;
    let snapshot = snapshot_of(&published)?;
    let p = snapshot
        .provisions
        .iter()
        .find(|p| p.key == key)
        .ok_or(AppError::NotFound)?;
    let frame = frame(
        &ctx,
        &snapshot,
        published.versions.clone(),
        false,
        is_translated(&ctx, &snapshot, p),
    );
    let address = format!("{}/provisions/{key}", frame.base);
    let (pages, texts, etag) = stored_page(
        &ctx, &published, &frame, &key, p.texts, query.page, &address,
    )
    .await?;
    let view = provision_view(&ctx, &snapshot, p, &texts, frame, pages, String::new());
    let title = format!(
        "{} {} – {}",
        view.label,
        view.heading.text,
        ctx.t("report-title")
    );
    serve(&ctx, &req, etag, "report_provision", &title, &view)
}

pub async fn general_texts(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(res) = cached(&ctx, &req) {
        return Ok(res);
    }
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let snapshot = snapshot_of(&published)?;
    let frame = frame(&ctx, &snapshot, published.versions.clone(), false, false);
    let address = format!("{}/general", frame.base);
    let (pages, texts, etag) = stored_page(
        &ctx,
        &published,
        &frame,
        "",
        snapshot.general_texts,
        query.page,
        &address,
    )
    .await?;
    let view = GeneralView {
        frame,
        comments: comment_views(ctx.locale, &texts),
        total: snapshot.general_texts,
        pages,
    };
    serve(
        &ctx,
        &req,
        etag,
        "report_general",
        &ctx.t("report-general-comments"),
        &view,
    )
}

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
    path: web::Path<(String, String)>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), query.version).await?;
    let head = published
        .snapshot
        .trim_end()
        .strip_suffix('}')
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a snapshot is not a JSON object")))?
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
                    Err(e) => return Some((Err(AppError::Internal(e.into())), None)),
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
    path: web::Path<(String, String)>,
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

/// The draft report from live data, computed for one window of one list of
/// texts ('' for the general comments).
async fn live(
    ctx: &Ctx,
    slug: String,
    number: &str,
    key: &str,
    offset: i32,
    limit: i32,
) -> Result<(Snapshot, Vec<PublishedComment>, Option<String>), AppError> {
    ctx.organizer()?;
    let (consultation, round, _) = find_round(ctx, slug, number).await?;
    let now = ctx.state.clock.now();
    let key = key.to_string();
    ctx.state
        .db
        .run_within(REPORT_WORK, move |c| {
            let mut out = reports::Preview::new(&key, offset, limit);
            let snapshot = reports::build(c, &consultation, &round, 0, "", now, &mut out)?;
            let response = reports::response_of(c, &round, &key)?;
            Ok::<_, AppError>((snapshot, out.texts, response))
        })
        .await
}

/// The organizers' overview of the draft report.
pub async fn preview(
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (snapshot, general, _) = live(&ctx, slug, &number, "", 0, GENERAL_ON_OVERVIEW).await?;
    let page = overview(&ctx, &snapshot, &general, vec![], true);
    ctx.render(
        StatusCode::OK,
        "report",
        &ctx.t("report-preview-title"),
        &page,
    )
}

/// A provision of the draft report, with the response form and the
/// moderation buttons.
pub async fn preview_provision(
    ctx: Ctx,
    path: web::Path<(String, String, String)>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, key) = path.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(TEXTS_PER_PAGE);
    let (snapshot, texts, response) =
        live(&ctx, slug, &number, &key, offset, TEXTS_PER_PAGE).await?;
    let p = snapshot
        .provisions
        .iter()
        .find(|p| p.key == key)
        .ok_or(AppError::NotFound)?;
    let frame = frame(
        &ctx,
        &snapshot,
        vec![],
        true,
        is_translated(&ctx, &snapshot, p),
    );
    let address = format!("{}/provisions/{key}", frame.base);
    let pages = Pages::new(p.texts, Some(page), &address, "").ok_or(AppError::NotFound)?;
    let view = provision_view(
        &ctx,
        &snapshot,
        p,
        &texts,
        frame,
        pages,
        response.unwrap_or_default(),
    );
    let title = format!(
        "{} {} – {}",
        view.label,
        view.heading.text,
        ctx.t("report-preview-title")
    );
    ctx.render(StatusCode::OK, "report_provision", &title, &view)
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
        "/admin/consultations/{slug}/rounds/{number}/report/provisions/{key}#response"
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
    let hidden = ctx
        .state
        .db
        .run_within(REPORT_WORK, move |c| {
            reports::moderation::hide(c, &notifier, id, &reason, actor, now)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.flash("text-hidden");
    Ok(see_other(&format!(
        "/admin/consultations/{}/rounds/{}/report",
        hidden.consultation_slug, hidden.round_number
    )))
}
