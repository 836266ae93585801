//! Public report pages, rendered once and shared by anonymous readers.

use super::freshness::Freshness;
use crate::web::encoded::Encoded;
use crate::web::page::Ctx;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Rendered public report pages shared by anonymous readers, by language
/// and address: a published version never changes, and an address without
/// `?version=` follows a new version within `FRESH`. Each is kept gzipped
/// too, compressed once rather than for every reader. This is what lets a
/// report take a flash crowd without touching the database.
pub type ReportPages = moka::sync::Cache<String, CachedPage>;

/// How long a page is served as it is; for as long again it is served while
/// one reader renders its replacement, and a page idle that long is dropped.
const FRESH: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct CachedPage {
    etag: String,
    html: Encoded,
    freshness: Arc<Freshness>,
}

pub fn new() -> ReportPages {
    moka::sync::Cache::builder()
        .weigher(|_, page: &CachedPage| u32::try_from(page.html.weight()).unwrap_or(u32::MAX))
        .max_capacity(64 * 1024 * 1024)
        .time_to_live(2 * FRESH)
        .build()
}

pub fn key(ctx: &Ctx, req: &HttpRequest) -> Option<String> {
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
pub fn cached(ctx: &Ctx, req: &HttpRequest) -> Option<HttpResponse> {
    let page = ctx.state.report_pages.get(&key(ctx, req)?);
    let answer = page.and_then(|page| {
        page.freshness
            .usable(Instant::now(), FRESH)
            .then(|| shared_response(req, &page))
    });
    ctx.state.metrics.cache("report_page", answer.is_some());
    answer
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

/// Keeps `html` for the next anonymous readers of this address and answers
/// this one with it.
pub fn share(
    ctx: &Ctx,
    req: &HttpRequest,
    key: String,
    etag: String,
    html: String,
) -> HttpResponse {
    let page = CachedPage {
        etag,
        html: Encoded::gzip(html),
        freshness: Arc::new(Freshness::new()),
    };
    let res = shared_response(req, &page);
    ctx.state.report_pages.insert(key, page);
    res
}
