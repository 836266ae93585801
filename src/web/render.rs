//! Templates embedded in the binary, registered once in strict mode, and the
//! layout every page shares.

use crate::codes::Locale;
use crate::error::AppError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "*.hbs"]
struct TemplateFiles;

const CSS: &str = include_str!("../../templates/assets/app.css");

pub struct Templates {
    hb: Handlebars<'static>,
    css_path: String,
}

impl Templates {
    pub fn load() -> anyhow::Result<Self> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
        crate::i18n::register_helpers(&mut hb);
        handlebars::handlebars_helper!(concat: |a: str, b: str| format!("{a}{b}"));
        hb.register_helper("concat", Box::new(concat));
        // A content hash in the name lets browsers cache the file for a year.
        let hash = hex::encode(&Sha256::digest(CSS.as_bytes())[..6]);
        Ok(Self {
            hb,
            css_path: format!("/assets/app.{hash}.css"),
        })
    }

    pub fn css_path(&self) -> &str {
        &self.css_path
    }

    pub fn css(&self) -> &'static str {
        CSS
    }

    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, AppError> {
        self.hb
            .render(name, data)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("template {name}: {e}")))
    }
}

/// What the layout needs besides the page's own data.
#[derive(Serialize)]
struct Layout<'a> {
    title: &'a str,
    css: &'a str,
    other_lang: &'static str,
    switch_href: String,
}

#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    lang: &'static str,
    layout: Layout<'a>,
    page: &'a T,
}

/// The request facts a page needs to draw its layout.
pub struct PageRequest<'a> {
    pub locale: Locale,
    pub path: &'a str,
    pub query: &'a str,
}

impl PageRequest<'_> {
    /// The same page in the other language, keeping the other query parameters.
    fn switch_href(&self, other: Locale) -> String {
        let mut params: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let lang = format!("lang={}", other.as_str());
        params.push(&lang);
        format!("{}?{}", self.path, params.join("&"))
    }
}

pub fn html_page<T: Serialize>(
    templates: &Templates,
    req: &PageRequest,
    status: StatusCode,
    template: &str,
    title: &str,
    page: &T,
) -> Result<HttpResponse, AppError> {
    let other = match req.locale {
        Locale::En => Locale::Fr,
        Locale::Fr => Locale::En,
    };
    let ctx = PageContext {
        lang: req.locale.as_str(),
        layout: Layout {
            title,
            css: templates.css_path(),
            other_lang: other.as_str(),
            switch_href: req.switch_href(other),
        },
        page,
    };
    let body = templates.render(template, &ctx)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}
