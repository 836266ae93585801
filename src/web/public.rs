//! The pages anyone can read without an account.

use super::page::Ctx;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, Consultation};
use crate::db::{ConsultationId, DbConnection};
use crate::drafts;
use crate::error::AppError;
use crate::markdown;
use crate::rounds::{self, Round, RoundState};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use std::collections::HashMap;
use time::PrimitiveDateTime;
use time::format_description::well_known::Rfc3339;

/// A text in the reader's language when a translation exists, marked with its
/// language so screen readers pronounce it right.
#[derive(Serialize)]
pub struct Text {
    pub text: String,
    pub lang: &'static str,
}

pub fn localized(
    original: &str,
    original_locale: &str,
    translation: Option<&str>,
    reader: Locale,
) -> Text {
    let original_locale = Locale::parse(original_locale).unwrap_or_default();
    match translation {
        Some(t) if reader != original_locale && !t.trim().is_empty() => Text {
            text: t.to_string(),
            lang: reader.as_str(),
        },
        _ => Text {
            text: original.to_string(),
            lang: original_locale.as_str(),
        },
    }
}

pub fn rfc3339(t: PrimitiveDateTime) -> String {
    t.assume_utc().format(&Rfc3339).unwrap_or_default()
}

pub fn group_keys(groups: &[StakeholderGroup]) -> Vec<String> {
    groups.iter().map(|g| g.label_key()).collect()
}

pub fn title_of(c: &Consultation, reader: Locale) -> Text {
    localized(&c.title, &c.locale, c.translated_title.as_deref(), reader)
}

#[derive(Serialize)]
struct RoundLink {
    slug: String,
    title: Text,
    number: i32,
    state: &'static str,
    opens_at: String,
    closes_at: String,
    days_left: i64,
    groups: Vec<String>,
}

#[derive(Serialize)]
struct ConsultationLink {
    slug: String,
    title: Text,
}

#[derive(Serialize)]
struct Home {
    open: Vec<RoundLink>,
    reports: Vec<RoundLink>,
    others: Vec<ConsultationLink>,
}

type Listing = (
    Vec<Consultation>,
    Vec<(Round, bool)>,
    HashMap<ConsultationId, Vec<StakeholderGroup>>,
);

fn load_listing(conn: &mut DbConnection) -> Result<Listing, AppError> {
    let all = consultations::all(conn)?;
    let ids: Vec<ConsultationId> = all.iter().map(|c| c.id).collect();
    let rounds = rounds::with_publication(conn, &ids)?;
    let groups = consultations::eligible_groups_for(conn, &ids)?;
    Ok((all, rounds, groups))
}

pub async fn home(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let (state, locale) = (&ctx.state, ctx.locale);
    let (all, rounds, groups) = state.db.run(load_listing).await?;
    let now = state.clock.now();
    let mut home = Home {
        open: vec![],
        reports: vec![],
        others: vec![],
    };
    for c in &all {
        let mut listed = false;
        for (round, published) in rounds.iter().filter(|(r, _)| r.consultation_id == c.id) {
            let st = round.state_at(now, *published);
            let link = RoundLink {
                slug: c.slug.clone(),
                title: title_of(c, locale),
                number: round.number,
                state: st.as_str(),
                opens_at: rfc3339(round.opens_at),
                closes_at: rfc3339(round.effective_close()),
                days_left: days_left(now, round.effective_close()),
                groups: group_keys(groups.get(&c.id).map(Vec::as_slice).unwrap_or_default()),
            };
            match st {
                RoundState::Open => home.open.push(link),
                RoundState::Published => home.reports.push(link),
                _ => continue,
            }
            listed = true;
        }
        if !listed {
            home.others.push(ConsultationLink {
                slug: c.slug.clone(),
                title: title_of(c, locale),
            });
        }
    }
    // The rounds closing soonest come first: they need answers now.
    home.open.sort_by(|a, b| a.closes_at.cmp(&b.closes_at));
    let title = crate::i18n::t(locale, "home-title");
    ctx.render(StatusCode::OK, "home", &title, &home)
}

/// Whole days left, counting a part of a day as a day.
pub fn days_left(now: PrimitiveDateTime, close: PrimitiveDateTime) -> i64 {
    let seconds = (close - now).whole_seconds();
    if seconds <= 0 {
        0
    } else {
        (seconds + 86_399) / 86_400
    }
}

#[derive(Serialize)]
struct VersionView {
    version: i32,
    title: String,
    created_at: String,
}

#[derive(Serialize)]
struct ConsultationPage {
    slug: String,
    title: Text,
    summary_html: String,
    summary_lang: &'static str,
    groups: Vec<String>,
    versions: Vec<VersionView>,
    rounds: Vec<RoundLink>,
}

pub async fn consultation(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (state, locale) = (&ctx.state, ctx.locale);
    let slug = slug.into_inner();
    let (c, versions, rounds, groups) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let c = consultations::find_by_slug(conn, &slug)?;
            let versions = drafts::versions_of(conn, c.id)?;
            let rounds = rounds::with_publication(conn, &[c.id])?;
            let groups = consultations::eligible_groups(conn, c.id)?;
            Ok((c, versions, rounds, groups))
        })
        .await?;
    let now = state.clock.now();
    let summary = localized(
        &c.summary,
        &c.locale,
        c.translated_summary.as_deref(),
        locale,
    );
    let group_labels = group_keys(&groups);
    let page = ConsultationPage {
        slug: c.slug.clone(),
        title: title_of(&c, locale),
        summary_html: markdown::to_html(&summary.text),
        summary_lang: summary.lang,
        versions: versions
            .iter()
            .map(|v| VersionView {
                version: v.version,
                title: v.title.clone(),
                created_at: rfc3339(v.created_at),
            })
            .collect(),
        rounds: rounds
            .iter()
            .filter(|(r, _)| r.announced_at.is_some())
            .map(|(r, published)| RoundLink {
                slug: c.slug.clone(),
                title: title_of(&c, locale),
                number: r.number,
                state: r.state_at(now, *published).as_str(),
                opens_at: rfc3339(r.opens_at),
                closes_at: rfc3339(r.effective_close()),
                days_left: days_left(now, r.effective_close()),
                groups: group_labels.clone(),
            })
            .collect(),
        groups: group_labels,
    };
    let title = page.title.text.clone();
    ctx.render(StatusCode::OK, "consultation", &title, &page)
}
