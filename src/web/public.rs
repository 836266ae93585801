//! The pages anyone can read without an account.

use super::page::Ctx;
use crate::codes::StakeholderGroup;
use crate::consultations::{self, Consultation, Slug};
use crate::db::{ConsultationId, DbConnection};
use crate::drafts;
use crate::i18n::reading::{Text, TranslationNote};
use crate::markdown;
use crate::rounds::{self, Round, RoundState};
use crate::web::errors::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use std::collections::HashMap;

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
    translation: Option<TranslationNote>,
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
    let reading = ctx.reading();
    let mut home = Home {
        open: vec![],
        reports: vec![],
        others: vec![],
        translation: None,
    };
    let mut translated = None;
    for c in &all {
        if reading.has_translation(&c.locale, c.translated_title.as_deref()) {
            translated.get_or_insert(c.locale.as_str());
        }
        let mut listed = false;
        for (round, published) in rounds.iter().filter(|(r, _)| r.consultation_id == c.id) {
            let st = round.state_at(now, *published);
            let link = RoundLink {
                slug: c.slug.clone(),
                title: reading.title_of(c),
                number: round.number,
                state: st.as_str(),
                opens_at: crate::clock::rfc3339(round.opens_at),
                closes_at: crate::clock::rfc3339(round.effective_close()),
                days_left: crate::clock::days_left(now, round.effective_close()),
                groups: StakeholderGroup::label_keys(
                    groups.get(&c.id).map(Vec::as_slice).unwrap_or_default(),
                ),
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
                title: reading.title_of(c),
            });
        }
    }
    // The rounds closing soonest come first: they need answers now.
    home.open.sort_by(|a, b| a.closes_at.cmp(&b.closes_at));
    if let Some(originals) = translated {
        home.translation = ctx.translation_note(reading, true, originals);
    }
    let title = crate::i18n::t(locale, "home-title");
    ctx.render(StatusCode::OK, "public/home", &title, &home)
}

#[derive(Serialize)]
struct VersionView {
    version: i32,
    title: Text,
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
    translation: Option<TranslationNote>,
}

pub async fn consultation(ctx: Ctx, slug: web::Path<Slug>) -> Result<HttpResponse, AppError> {
    let state = &ctx.state;
    let slug = slug.into_inner();
    let (c, versions, rounds, groups) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let c = consultations::find_by_slug(conn, slug.as_str())?;
            let versions = drafts::versions_of(conn, c.id)?;
            let rounds = rounds::with_publication(conn, &[c.id])?;
            let groups = consultations::eligible_groups(conn, c.id)?;
            Ok((c, versions, rounds, groups))
        })
        .await?;
    let now = state.clock.now();
    let reading = ctx.reading();
    let summary = reading.text(&c.summary, &c.locale, c.translated_summary.as_deref());
    let translated = reading.has_translation(&c.locale, c.translated_title.as_deref())
        || reading.has_translation(&c.locale, c.translated_summary.as_deref())
        || versions
            .iter()
            .any(|v| reading.has_translation(&v.locale, v.translated_title.as_deref()));
    let group_labels = StakeholderGroup::label_keys(&groups);
    let page = ConsultationPage {
        slug: c.slug.clone(),
        title: reading.title_of(&c),
        translation: ctx.translation_note(reading, translated, &c.locale),
        summary_html: markdown::to_html(&summary.text),
        summary_lang: summary.lang,
        versions: versions
            .iter()
            .map(|v| VersionView {
                version: v.version,
                title: reading.text(&v.title, &v.locale, v.translated_title.as_deref()),
                created_at: crate::clock::rfc3339(v.created_at),
            })
            .collect(),
        rounds: rounds
            .iter()
            .filter(|(r, _)| r.announced_at.is_some())
            .map(|(r, published)| RoundLink {
                slug: c.slug.clone(),
                title: reading.title_of(&c),
                number: r.number,
                state: r.state_at(now, *published).as_str(),
                opens_at: crate::clock::rfc3339(r.opens_at),
                closes_at: crate::clock::rfc3339(r.effective_close()),
                days_left: crate::clock::days_left(now, r.effective_close()),
                groups: group_labels.clone(),
            })
            .collect(),
        groups: group_labels,
    };
    let title = page.title.text.clone();
    ctx.render(StatusCode::OK, "public/consultation", &title, &page)
}
