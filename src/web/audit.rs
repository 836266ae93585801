//! The public audit log and the Atom feed.

use crate::audit;
use crate::clock::rfc3339;
use crate::consultations::{self};
use crate::rounds::{self};
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

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
    ctx.render(StatusCode::OK, "audit/log", &ctx.t("audit-title"), &view)
}

fn xml(text: &str) -> String {
    handlebars::html_escape(text)
}

/// Opened rounds and published reports, newest first.
pub async fn feed(state: web::Data<crate::web::AppState>) -> Result<HttpResponse, AppError> {
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
