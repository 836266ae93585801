//! Finding what was said: the public report's search over its published
//! texts (the latest version), and each text's permalink.

use super::load::*;
use super::views::*;
use crate::accounts::countries;
use crate::codes::StakeholderGroup;
use crate::consultations::Slug;
use crate::reports::{self, PublishedComment, Snapshot, TextQuery};
use crate::rounds::RoundNumber;
use crate::search::Words;
use crate::submissions::Stance;
use crate::web::errors::AppError;
use crate::web::page::{Choice, Ctx, choices};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

/// The search form's fields; an unknown value is no filter.
#[derive(Deserialize, Default)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    provision: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    stance: String,
    #[serde(default)]
    organization: String,
    page: Option<i32>,
}

/// The general comments' value in the provision filter (no key is empty).
const GENERAL: &str = "general";

impl SearchForm {
    fn query(&self, s: &Snapshot) -> TextQuery {
        let chosen = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
        let provision = match self.provision.as_str() {
            GENERAL => Some(String::new()),
            key => s.provision(key).map(|p| p.key.clone()),
        };
        let country = chosen(&self.country);
        let region = chosen(&self.region).filter(|_| country.is_none());
        let countries = if let Some(code) = country {
            Some(vec![code.to_ascii_uppercase()])
        } else {
            region.as_ref().map(|region| {
                countries::sorted(crate::codes::Locale::En)
                    .into_iter()
                    .filter(|c| c.region == region)
                    .map(|c| c.code.to_string())
                    .collect()
            })
        };
        TextQuery {
            words: Words::parse(&self.q),
            provision,
            group: StakeholderGroup::parse(&self.group),
            countries,
            region,
            stance: Stance::parse(&self.stance),
            organization: chosen(&self.organization),
        }
    }

    /// The filters as a query string, for the pages' links.
    fn encoded(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("q", &self.q),
            ("provision", &self.provision),
            ("group", &self.group),
            ("country", &self.country),
            ("region", &self.region),
            ("stance", &self.stance),
            ("organization", &self.organization),
        ] {
            if !value.trim().is_empty() {
                out.append_pair(name, value);
            }
        }
        out.finish()
    }
}

/// A text as a search result or a permalink: where it was said, and what.
#[derive(Serialize)]
struct Found {
    provision: String,
    provision_link: String,
    permalink: Option<String>,
    #[serde(flatten)]
    text: CommentView,
}

fn found(ctx: &Ctx, s: &Snapshot, base: &str, key: &str, text: &PublishedComment) -> Found {
    let provision = s.provisions.iter().find(|p| p.key == key);
    let (label, link) = match provision {
        Some(p) => {
            let (label, heading, _) = texts_of(ctx, s, p);
            (
                format!("{label} {}", heading.text),
                format!("{base}/provisions/{}", p.key),
            )
        }
        None => (ctx.t("report-general-comments"), format!("{base}/general")),
    };
    Found {
        provision: label,
        provision_link: link,
        permalink: text.id.as_ref().map(|id| format!("{base}/texts/{id}")),
        text: comment_view(ctx.locale, text),
    }
}

#[derive(Serialize)]
struct SearchView {
    #[serde(flatten)]
    frame: Frame,
    chatham: bool,
    q: String,
    organization: String,
    provisions: Vec<Choice>,
    groups: Vec<Choice>,
    countries: Vec<Choice>,
    regions: Vec<Choice>,
    stances: Vec<Choice>,
    searched: bool,
    total: i64,
    results: Vec<Found>,
    pages: Pages,
}

pub async fn search(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    form: web::Query<SearchForm>,
) -> Result<HttpResponse, AppError> {
    let published = stored(&ctx, path.into_inner(), None).await?;
    let s = snapshot_of(&published)?;
    let frame = frame(&ctx, &s, published.versions.clone(), false, false);
    let query = form.query(&s);
    let searched = !form.encoded().is_empty();
    // The page is known only once the total is: count and page in one call.
    let page = form.page.unwrap_or(1);
    let per = i64::from(TEXTS_PER_PAGE);
    let offset = (i64::from(page.max(1)) - 1) * per;
    let id = published.id;
    let result = ctx
        .state
        .db
        .query(move |c| reports::search_texts(c, id, &query, offset, per))
        .await?;
    let address = format!("{}/search", frame.base);
    let pages = Pages::new(result.total, form.page, &address, &form.encoded())
        .ok_or(AppError::not_found())?;
    let locale = ctx.locale;
    let t = |k: &str| ctx.t(k);
    let mut provisions: Vec<(String, String)> = s
        .provisions
        .iter()
        .map(|p| {
            let (label, heading, _) = texts_of(&ctx, &s, p);
            (p.key.clone(), format!("{label} {}", heading.text))
        })
        .collect();
    provisions.push((GENERAL.to_string(), t("report-general-comments")));
    let view = SearchView {
        chatham: s.attribution == crate::rounds::Attribution::ChathamHouse,
        q: form.q.clone(),
        organization: form.organization.clone(),
        provisions: choices(&form.provision, provisions),
        groups: choices(
            &form.group,
            s.participation
                .by_group
                .iter()
                .map(|g| (g.group.as_str().to_string(), group_label(locale, g.group))),
        ),
        countries: choices(
            &form.country,
            s.participation
                .by_country
                .iter()
                .map(|c| (c.code.clone(), country_name(locale, &c.code))),
        ),
        regions: choices(
            &form.region,
            s.participation
                .by_region
                .iter()
                .map(|r| (r.code.clone(), t(&format!("region-{}", r.code)))),
        ),
        stances: choices(
            &form.stance,
            Stance::ALL
                .iter()
                .map(|st| (st.as_str().to_string(), t(&st.label_key()))),
        ),
        searched,
        total: result.total,
        results: result
            .texts
            .iter()
            .map(|(key, text)| found(&ctx, &s, &frame.base, key, text))
            .collect(),
        pages,
        frame,
    };
    let title = format!("{} – {}", t("search-title"), view.frame.title.text);
    ctx.render(
        actix_web::http::StatusCode::OK,
        "reports/search",
        &title,
        &view,
    )
}

#[derive(Serialize)]
struct TextView {
    #[serde(flatten)]
    frame: Frame,
    #[serde(flatten)]
    found: Found,
}

/// A published text by its public id, in the latest version: the address
/// stays the same when the report is republished.
pub async fn text(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, public_id) = path.into_inner();
    // Public ids are 16 hex digits; anything else names no text.
    if public_id.len() != 16 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::not_found());
    }
    let published = stored(&ctx, (slug, number), None).await?;
    let s = snapshot_of(&published)?;
    let id = published.id;
    let (key, text) = ctx
        .state
        .db
        .query(move |c| reports::text_by_public_id(c, id, &public_id))
        .await?
        .ok_or(AppError::not_found())?;
    let frame = frame(&ctx, &s, published.versions.clone(), false, false);
    let found = found(&ctx, &s, &frame.base, &key, &text);
    let title = format!("{} – {}", found.provision, ctx.t("report-title"));
    ctx.render(
        actix_web::http::StatusCode::OK,
        "reports/text",
        &title,
        &TextView { frame, found },
    )
}
