//! What every page shares: the reader's language, the signed-in person, the
//! CSRF token and flash message, and the layout they are drawn in.

use super::AppState;
use super::locale;
use crate::accounts::{User, sessions, tokens};
use crate::codes::Locale;
use crate::i18n;
use crate::i18n::reading::{Reading, TranslationNote};
use crate::templates::Templates;
use crate::web::errors::AppError;
use actix_session::{Session, SessionExt};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;

pub const SESSION_TOKEN: &str = "sid";
pub const CSRF: &str = "csrf";
const FLASH: &str = "flash";

#[derive(Serialize, Deserialize, Clone)]
pub struct Flash {
    /// A Fluent message key.
    pub message: String,
    pub kind: String,
}

#[derive(Serialize)]
struct LayoutUser<'a> {
    display_name: &'a str,
    organizer: bool,
    /// Names some consultation's analyst: the navigation leads to them.
    analyst: bool,
}

#[derive(Serialize)]
struct Layout<'a> {
    title: &'a str,
    css: &'a str,
    other_lang: &'static str,
    switch_href: String,
    user: Option<LayoutUser<'a>>,
    csrf: String,
    flash: Option<Flash>,
}

#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    lang: &'static str,
    layout: Layout<'a>,
    page: &'a T,
    /// What the `form_token` helper writes instead of a new token.
    #[serde(skip_serializing_if = "Option::is_none")]
    form_token_mark: Option<&'a str>,
}

/// What a page drawn once for many readers (a skeleton) has in place of
/// each reader's own values in its layout.
pub struct LayoutMarks<'a> {
    pub csrf: &'a str,
    pub switch_href: &'a str,
    pub form_token: &'a str,
}

/// The same page in the other language, keeping the other query parameters.
/// A request for `//evil.example` (or `/\\evil.example`) must not become a
/// protocol-relative link off the site, so leading slashes are folded.
fn switch_href(path: &str, query: &str, other: Locale) -> String {
    let path = format!("/{}", path.trim_start_matches(['/', '\\']));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let lang = format!("lang={}", other.as_str());
    params.push(&lang);
    format!("{}?{}", path, params.join("&"))
}

fn other(locale: Locale) -> Locale {
    match locale {
        Locale::En => Locale::Fr,
        Locale::Fr => Locale::En,
    }
}

/// Renders a page without a request context (error pages), its language
/// switch leading to `path?query` in the other language.
pub fn bare_page<T: Serialize>(
    templates: &Templates,
    (path, query): (&str, &str),
    locale: Locale,
    template: &str,
    title: &str,
    page: &T,
) -> Result<String, AppError> {
    let ctx = PageContext {
        lang: locale.as_str(),
        layout: Layout {
            title,
            css: templates.css_path(),
            other_lang: other(locale).as_str(),
            switch_href: switch_href(path, query, other(locale)),
            user: None,
            csrf: String::new(),
            flash: None,
        },
        page,
        form_token_mark: None,
    };
    Ok(templates.render(template, &ctx)?)
}

pub fn html(status: StatusCode, body: String) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// The request context every HTML handler takes.
pub struct Ctx {
    pub locale: Locale,
    pub user: Option<User>,
    analyst: bool,
    pub session: Session,
    pub state: web::Data<AppState>,
    path: String,
    query: String,
    flash: Option<Flash>,
    /// The form's one-time token, when this handler claims it with its own
    /// write (`web::once::CLAIMED_BY_HANDLER`).
    pub once: Option<std::sync::Arc<super::once::Deferred>>,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.locale, key)
    }

    /// The form token, created on first use so that pages without forms set no
    /// cookie (and stay cacheable).
    pub fn csrf(&self) -> String {
        if let Ok(Some(token)) = self.session.get::<String>(CSRF) {
            return token;
        }
        let token = tokens::generate();
        let _ = self.session.insert(CSRF, &token);
        token
    }

    pub fn flash(&self, message: &str) {
        let _ = self.session.insert(
            FLASH,
            Flash {
                message: message.into(),
                kind: "success".into(),
            },
        );
    }

    pub fn flash_error(&self, message: &str) {
        let _ = self.session.insert(
            FLASH,
            Flash {
                message: message.into(),
                kind: "error".into(),
            },
        );
    }

    pub fn user(&self) -> Result<&User, AppError> {
        self.user
            .as_ref()
            .ok_or_else(|| AppError::login_required(self.here()))
    }

    /// Organizers and admins; anyone else is refused (never redirected to data).
    pub fn organizer(&self) -> Result<&User, AppError> {
        match &self.user {
            Some(u) if u.is_organizer() => Ok(u),
            _ => Err(AppError::forbidden()),
        }
    }

    /// Translations in the reader's language unless they asked for the
    /// originals (`?original=1`).
    pub fn reading(&self) -> Reading {
        Reading {
            locale: self.locale,
            original: self.query_has("original=1"),
        }
    }

    /// The note linking this page's translation and original, if it has any.
    pub fn translation_note(
        &self,
        reading: Reading,
        translated: bool,
        originals: &str,
    ) -> Option<TranslationNote> {
        reading.note(translated, originals, self.toggle_original_href())
    }

    pub fn query_has(&self, pair: &str) -> bool {
        self.query.split('&').any(|p| p == pair)
    }

    /// This page with `original=1` added or removed, its other parameters
    /// kept (except `lang`, which the cookie remembers).
    pub fn toggle_original_href(&self) -> String {
        let showing_original = self.query_has("original=1");
        let mut params: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| !p.is_empty() && *p != "original=1" && !p.starts_with("lang="))
            .collect();
        if !showing_original {
            params.push("original=1");
        }
        if params.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, params.join("&"))
        }
    }

    pub fn here(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    pub fn session_token(&self) -> Option<String> {
        self.session.get::<String>(SESSION_TOKEN).ok().flatten()
    }

    pub fn render<T: Serialize>(
        &self,
        status: StatusCode,
        template: &str,
        title: &str,
        page: &T,
    ) -> Result<HttpResponse, AppError> {
        html(status, self.render_html(template, title, page)?)
    }

    /// A reader who sees exactly what every other anonymous reader sees (no
    /// account, no pending message), so a rendered page can be shared.
    pub fn is_anonymous(&self) -> bool {
        self.user.is_none() && self.flash.is_none()
    }

    pub fn render_html<T: Serialize>(
        &self,
        template: &str,
        title: &str,
        page: &T,
    ) -> Result<String, AppError> {
        self.render_with(template, title, page, None)
    }

    /// The page with `marks` in its layout where this reader's values go.
    pub fn render_marked<T: Serialize>(
        &self,
        template: &str,
        title: &str,
        page: &T,
        marks: &LayoutMarks,
    ) -> Result<String, AppError> {
        self.render_with(template, title, page, Some(marks))
    }

    fn render_with<T: Serialize>(
        &self,
        template: &str,
        title: &str,
        page: &T,
        marks: Option<&LayoutMarks>,
    ) -> Result<String, AppError> {
        let templates = &self.state.templates;
        let ctx = PageContext {
            lang: self.locale.as_str(),
            layout: Layout {
                title,
                css: templates.css_path(),
                other_lang: other(self.locale).as_str(),
                switch_href: match marks {
                    Some(m) => m.switch_href.to_string(),
                    None => self.switch_href(),
                },
                user: self.user.as_ref().map(|u| LayoutUser {
                    display_name: &u.display_name,
                    organizer: u.is_organizer(),
                    analyst: self.analyst,
                }),
                csrf: match (marks, &self.user) {
                    (Some(m), Some(_)) => m.csrf.to_string(),
                    (None, Some(_)) => self.csrf(),
                    (_, None) => String::new(),
                },
                flash: self.flash.clone(),
            },
            page,
            form_token_mark: marks.map(|m| m.form_token),
        };
        Ok(templates.render(template, &ctx)?)
    }

    /// This page in the other language.
    pub fn switch_href(&self) -> String {
        switch_href(&self.path, &self.query, other(self.locale))
    }

    /// What the layout shows of the reader besides their values: whether
    /// they are signed in, an organizer, an analyst, and have a message.
    pub fn layout_shape(&self) -> (bool, bool, bool, bool) {
        (
            self.user.is_some(),
            self.user.as_ref().is_some_and(User::is_organizer),
            self.analyst,
            self.flash.is_some(),
        )
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no application state")))?;
            let session = req.get_session();
            let token = session.get::<String>(SESSION_TOKEN).ok().flatten();
            let (user, analyst) = match token {
                Some(token) => {
                    let now = state.clock.now();
                    let found = state
                        .db
                        .query(move |c| sessions::user_for(c, &token, now))
                        .await?;
                    // Organizers reach every analysis from their own pages.
                    let (user, analyst) = match found {
                        Some((user, analyses)) => {
                            let analyst = analyses && !user.is_organizer();
                            (Some(user), analyst)
                        }
                        None => (None, false),
                    };
                    if user.is_none() {
                        session.remove(SESSION_TOKEN);
                    }
                    (user, analyst)
                }
                None => (None, false),
            };
            // Removing marks the session changed, which costs every page a
            // new encrypted cookie: only a message actually shown is removed.
            let flash = match session.get::<Flash>(FLASH) {
                Ok(None) => None,
                _ => session.remove_as::<Flash>(FLASH).and_then(Result::ok),
            };
            let cookie = req.cookie(locale::COOKIE);
            let accept = req
                .headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok());
            let locale = i18n::negotiate(
                locale::query_lang(&req).map(|l| l.as_str()),
                user.as_ref().map(User::locale),
                cookie.as_ref().map(|c| c.value()),
                accept,
            );
            Ok(Ctx {
                locale,
                user,
                analyst,
                session,
                state,
                path: req.path().to_string(),
                query: req.query_string().to_string(),
                flash,
                once: req
                    .extensions()
                    .get::<std::sync::Arc<super::once::Deferred>>()
                    .cloned(),
            })
        })
    }
}

/// A redirect after a POST (303 See Other).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// Only a path on this site may follow a sign-in (no open redirect).
pub fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok { next } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/account"), "/account");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }

    #[test]
    fn the_language_switch_never_links_off_the_site() {
        use crate::codes::Locale;
        assert_eq!(
            super::switch_href("/round", "view=changes&lang=en", Locale::Fr),
            "/round?view=changes&lang=fr"
        );
        for path in ["//evil.example", "/\\evil.example", "///evil.example"] {
            assert_eq!(
                super::switch_href(path, "", Locale::Fr),
                "/evil.example?lang=fr"
            );
        }
    }
}

/// One option of a select list in a filter form.
#[derive(Serialize)]
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// The options of a select list, (value, label) each, `chosen` selected.
pub fn choices(chosen: &str, list: impl IntoIterator<Item = (String, String)>) -> Vec<Choice> {
    list.into_iter()
        .map(|(value, label)| Choice {
            selected: value == chosen,
            value,
            label,
        })
        .collect()
}

/// At most `chars` characters of `text`, cut at a word's end with "…" when
/// it is longer: a quotation in a list of many.
pub fn excerpt(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let head = head
                .rsplit_once(char::is_whitespace)
                .map_or(head, |(h, _)| h);
            format!("{}…", head.trim_end())
        }
    }
}
