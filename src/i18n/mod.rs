//! English and French: Fluent catalogs, locale negotiation and the template
//! helpers that translate, format dates and count days.

pub mod numbers;
pub mod reading;

pub use numbers::{format_count, format_percent};

use crate::codes::Locale;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    pub static CATALOGS = {
        locales: "./src/i18n/locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments would end up in e-mail
        // subjects and form values; our arguments are plain text.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            // Fluent prints numbers as Rust does (`2957`); counts in messages
            // (and so in e-mails) read as the rest of the page.
            let french = bundle.locales.first().is_some_and(|l| l.language.as_str() == "fr");
            bundle.set_formatter(Some(if french { fluent_number_fr } else { fluent_number_en }));
        },
    };
}

fn fluent_number(locale: Locale, value: &FluentValue) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(numbers::format_decimal(locale, &n.as_string())),
        _ => None,
    }
}

fn fluent_number_en<M>(value: &FluentValue, _: &M) -> Option<String> {
    fluent_number(Locale::En, value)
}

fn fluent_number_fr<M>(value: &FluentValue, _: &M) -> Option<String> {
    fluent_number(Locale::Fr, value)
}

static EN: LanguageIdentifier = langid!("en");
static FR: LanguageIdentifier = langid!("fr");

fn langid(locale: Locale) -> &'static LanguageIdentifier {
    match locale {
        Locale::En => &EN,
        Locale::Fr => &FR,
    }
}

pub type Args = HashMap<Cow<'static, str>, FluentValue<'static>>;

/// Translates `key`; a missing key shows itself, which the catalog test forbids.
pub fn t(locale: Locale, key: &str) -> String {
    CATALOGS.lookup(langid(locale), key)
}

pub fn t_args(locale: Locale, key: &str, args: &Args) -> String {
    CATALOGS.lookup_with_args(langid(locale), key, args)
}

pub fn has_key(locale: Locale, key: &str) -> bool {
    CATALOGS.try_lookup(langid(locale), key).is_some()
}

/// Picks the language: `?lang=`, then the account's preference, then the cookie,
/// then the browser's `Accept-Language`, then English.
pub fn negotiate(
    query: Option<&str>,
    account: Option<Locale>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
) -> Locale {
    query
        .and_then(Locale::parse)
        .or(account)
        .or_else(|| cookie.and_then(Locale::parse))
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or_default()
}

fn from_accept_language(header: &str) -> Option<Locale> {
    let mut best: Option<(f32, Locale)> = None;
    for item in header.split(',') {
        let mut parts = item.trim().split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(locale) = Locale::parse(primary)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, locale));
        }
    }
    best.map(|(_, l)| l)
}

/// "23 November 2026, 14:00 UTC" / "23 novembre 2026, 14 h 00 UTC".
pub fn format_datetime(locale: Locale, t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let month = self::t(locale, &format!("month-{}", u8::from(t.month())));
    match locale {
        Locale::En => format!(
            "{} {} {}, {:02}:{:02} UTC",
            t.day(),
            month,
            t.year(),
            t.hour(),
            t.minute()
        ),
        Locale::Fr => format!(
            "{} {} {}, {} h {:02} UTC",
            t.day(),
            month,
            t.year(),
            t.hour(),
            t.minute()
        ),
    }
}

pub fn format_date(locale: Locale, t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let month = self::t(locale, &format!("month-{}", u8::from(t.month())));
    format!("{} {} {}", t.day(), month, t.year())
}

fn context_locale(ctx: &Context) -> Locale {
    ctx.data()
        .get("lang")
        .and_then(|v| v.as_str())
        .and_then(Locale::parse)
        .unwrap_or_default()
}

/// A template helper whose first argument (a key, a timestamp, a number)
/// becomes text in the reader's language, escaped like any other value
/// (arguments often carry user-supplied text).
struct Localized {
    name: &'static str,
    text: fn(&Helper, Locale, &serde_json::Value) -> Option<String>,
}

impl HelperDef for Localized {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        registry: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let text = h
            .param(0)
            .and_then(|p| (self.text)(h, context_locale(ctx), p.value()))
            .ok_or(RenderErrorReason::ParamNotFoundForIndex(self.name, 0))?;
        out.write(&registry.get_escape_fn()(&text))?;
        Ok(())
    }
}

/// `{{t "key" name=value}}`: the translated message.
fn translate(h: &Helper, locale: Locale, key: &serde_json::Value) -> Option<String> {
    let key = key.as_str()?;
    let mut args = Args::new();
    for (name, value) in h.hash() {
        let v = match value.value() {
            serde_json::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => FluentValue::from(s.clone()),
            other => FluentValue::from(other.to_string()),
        };
        args.insert(Cow::Owned(name.to_string()), v);
    }
    Some(t_args(locale, key, &args))
}

/// `{{datetime value}}` formats an RFC 3339 timestamp in the reader's language.
fn datetime(h: &Helper, locale: Locale, raw: &serde_json::Value) -> Option<String> {
    let parsed = time::OffsetDateTime::parse(
        raw.as_str()?,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()?;
    Some(if h.hash_get("date_only").is_some() {
        format_date(locale, parsed)
    } else {
        format_datetime(locale, parsed)
    })
}

/// `{{num n}}`: a count as the reader's language writes it.
fn num(_: &Helper, locale: Locale, n: &serde_json::Value) -> Option<String> {
    Some(format_count(locale, n.as_f64()?.round() as i64))
}

/// `{{pct share}}`: a share in [0, 1] as a whole percentage.
fn pct(_: &Helper, locale: Locale, share: &serde_json::Value) -> Option<String> {
    Some(format_percent(locale, share.as_f64()?))
}

pub fn register_helpers(hb: &mut Handlebars) {
    for (name, text) in [
        (
            "num",
            num as fn(&Helper, Locale, &serde_json::Value) -> Option<String>,
        ),
        ("pct", pct),
    ] {
        hb.register_helper(name, Box::new(Localized { name, text }));
    }
    let t = Localized {
        name: "t",
        text: translate,
    };
    let datetime = Localized {
        name: "datetime",
        text: datetime,
    };
    hb.register_helper("t", Box::new(t));
    hb.register_helper("datetime", Box::new(datetime));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_beats_account_beats_cookie_beats_browser() {
        assert_eq!(
            negotiate(Some("fr"), Some(Locale::En), None, None),
            Locale::Fr
        );
        assert_eq!(
            negotiate(Some("xx"), Some(Locale::Fr), Some("en"), None),
            Locale::Fr
        );
        assert_eq!(negotiate(None, None, Some("fr"), Some("en")), Locale::Fr);
        assert_eq!(
            negotiate(None, None, None, Some("de-DE, fr-CA;q=0.8, en;q=0.5")),
            Locale::Fr
        );
        assert_eq!(negotiate(None, None, None, Some("de")), Locale::En);
    }

    #[test]
    fn numbers_in_messages_follow_the_readers_language() {
        let mut args = Args::new();
        args.insert("count".into(), FluentValue::from(2957));
        assert_eq!(
            t_args(Locale::En, "report-all-texts", &args),
            "Read all 2,957 published texts"
        );
        assert!(t_args(Locale::Fr, "report-all-texts", &args).contains("2\u{202f}957"));
    }

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let t = time::macros::datetime!(2026-11-23 14:05 UTC);
        assert_eq!(
            format_datetime(Locale::En, t),
            "23 November 2026, 14:05 UTC"
        );
        assert_eq!(
            format_datetime(Locale::Fr, t),
            "23 novembre 2026, 14 h 05 UTC"
        );
    }
}
