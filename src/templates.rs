//! Handlebars templates embedded in the binary and registered once, in strict
//! mode, for pages and e-mails alike.

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "*.hbs"]
struct TemplateFiles;

/// The stylesheet, one file for every page.
pub const CSS: &str = include_str!("../templates/assets/app.css");

/// A template that failed to render: a bug (strict mode refuses a missing
/// field), never the reader's doing.
#[derive(Debug, thiserror::Error)]
#[error("template {name}: {cause}")]
pub struct TemplateError {
    name: String,
    cause: handlebars::RenderError,
}

pub struct Templates {
    hb: Handlebars<'static>,
    /// The same templates without HTML escaping, for the text part of e-mails.
    text: Handlebars<'static>,
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
        // The message key of the first error on `field`, or null.
        handlebars::handlebars_helper!(error_for: |errors: Json, field: str| errors
            .as_array()
            .and_then(|all| all.iter().find(|e| e["field"] == field))
            .map(|e| e["message"].clone())
            .unwrap_or(serde_json::Value::Null));
        hb.register_helper("error_for", Box::new(error_for));
        // A new one-time token in every form rendered (see `replies`), or
        // the mark a page drawn once for many readers has in its place.
        hb.register_helper(
            "form_token",
            Box::new(
                |_: &handlebars::Helper,
                 _: &Handlebars,
                 ctx: &handlebars::Context,
                 _: &mut handlebars::RenderContext,
                 out: &mut dyn handlebars::Output|
                 -> handlebars::HelperResult {
                    match ctx.data().get("form_token_mark").and_then(|m| m.as_str()) {
                        Some(mark) => out.write(mark)?,
                        None => out.write(&crate::accounts::tokens::generate())?,
                    }
                    Ok(())
                },
            ),
        );
        // A content hash in the name lets browsers cache the file for a year.
        let hash = hex::encode(&Sha256::digest(CSS.as_bytes())[..6]);
        let mut text = hb.clone();
        text.register_escape_fn(handlebars::no_escape);
        Ok(Self {
            hb,
            text,
            css_path: format!("/assets/app.{hash}.css"),
        })
    }

    pub fn css_path(&self) -> &str {
        &self.css_path
    }

    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, TemplateError> {
        render(&self.hb, name, data)
    }

    /// Renders without HTML escaping, for the text part of e-mails.
    pub fn render_text<T: Serialize>(&self, name: &str, data: &T) -> Result<String, TemplateError> {
        render(&self.text, name, data)
    }
}

fn render<T: Serialize>(
    hb: &Handlebars<'static>,
    name: &str,
    data: &T,
) -> Result<String, TemplateError> {
    hb.render(name, data).map_err(|cause| TemplateError {
        name: name.to_string(),
        cause,
    })
}
