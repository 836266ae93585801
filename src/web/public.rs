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

/// What a reader is shown of texts that may carry a translation: their own
/// language where one exists, unless they asked for the originals
/// (`?original=1`, which the changes view implies: it compares originals).
#[derive(Clone, Copy)]
pub struct Reading {
    pub locale: Locale,
    pub original: bool,
}

impl Reading {
    pub fn of(ctx: &Ctx) -> Self {
        Reading {
            locale: ctx.locale,
            original: ctx.query_has("original=1"),
        }
    }

    pub fn text(self, original: &str, original_locale: &str, translation: Option<&str>) -> Text {
        localized(
            original,
            original_locale,
            translation.filter(|_| !self.original),
            self.locale,
        )
    }

    /// Whether a translation into the reader's language exists, so that one of
    /// the two texts is worth a link to the other.
    pub fn has_translation(self, original_locale: &str, translation: Option<&str>) -> bool {
        Locale::parse(original_locale).unwrap_or_default() != self.locale
            && translation.is_some_and(|t| !t.trim().is_empty())
    }

    /// A provision's label, heading and body, the label following the heading
    /// ("Recommandation 1.2" goes with the French heading).
    pub fn provision(self, p: &drafts::Provision, draft_locale: &str) -> (String, Text, Text) {
        let heading = self.text(&p.heading, draft_locale, p.translated_heading.as_deref());
        let body = self.text(&p.body, draft_locale, p.translated_body.as_deref());
        let translated = Locale::parse(draft_locale).unwrap_or_default().as_str() != heading.lang;
        let label = match &p.translated_label {
            Some(l) if translated => l.clone(),
            _ => p.label.clone(),
        };
        (label, heading, body)
    }

    pub fn provision_translated(self, p: &drafts::Provision, draft_locale: &str) -> bool {
        self.has_translation(draft_locale, p.translated_heading.as_deref())
            || self.has_translation(draft_locale, p.translated_body.as_deref())
    }

    /// The line that says whether a translation or the original is shown and
    /// links to the other; `None` when the page has nothing translated.
    /// `originals` is the language the texts were written in.
    pub fn note(self, ctx: &Ctx, translated: bool, originals: &str) -> Option<TranslationNote> {
        translated.then(|| TranslationNote {
            original: self.original,
            changes: false,
            language: ctx.t(Locale::parse(originals).unwrap_or_default().name_key()),
            language_code: Locale::parse(originals).unwrap_or_default().as_str(),
            href: ctx.toggle_original_href(),
        })
    }
}

/// "You are reading a translation — read the original in English" (or the
/// reverse), without JavaScript: a link to the same page with or without
/// `?original=1`.
#[derive(Serialize)]
pub struct TranslationNote {
    pub original: bool,
    /// The originals are shown because the page compares versions.
    pub changes: bool,
    /// The originals' language, named in the reader's.
    pub language: String,
    pub language_code: &'static str,
    pub href: String,
}

pub fn rfc3339(t: PrimitiveDateTime) -> String {
    t.assume_utc().format(&Rfc3339).unwrap_or_default()
}

pub fn group_keys(groups: &[StakeholderGroup]) -> Vec<String> {
    groups.iter().map(|g| g.label_key()).collect()
}

impl Reading {
    pub fn title_of(self, c: &Consultation) -> Text {
        self.text(&c.title, &c.locale, c.translated_title.as_deref())
    }
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
    let reading = Reading::of(&ctx);
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
                title: reading.title_of(c),
            });
        }
    }
    // The rounds closing soonest come first: they need answers now.
    home.open.sort_by(|a, b| a.closes_at.cmp(&b.closes_at));
    if let Some(originals) = translated {
        home.translation = reading.note(&ctx, true, originals);
    }
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

pub async fn consultation(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let state = &ctx.state;
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
    let reading = Reading::of(&ctx);
    let summary = reading.text(&c.summary, &c.locale, c.translated_summary.as_deref());
    let translated = reading.has_translation(&c.locale, c.translated_title.as_deref())
        || reading.has_translation(&c.locale, c.translated_summary.as_deref())
        || versions
            .iter()
            .any(|v| reading.has_translation(&v.locale, v.translated_title.as_deref()));
    let group_labels = group_keys(&groups);
    let page = ConsultationPage {
        slug: c.slug.clone(),
        title: reading.title_of(&c),
        translation: reading.note(&ctx, translated, &c.locale),
        summary_html: markdown::to_html(&summary.text),
        summary_lang: summary.lang,
        versions: versions
            .iter()
            .map(|v| VersionView {
                version: v.version,
                title: reading.text(&v.title, &v.locale, v.translated_title.as_deref()),
                created_at: rfc3339(v.created_at),
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
