//! Numbers as each language writes them: `2,957` and `65%` in English,
//! `2 957` and `65 %` in French, where the space is a narrow no-break space
//! (U+202F) so a figure never breaks across lines. Open data (CSV, JSON)
//! keeps plain digits for machines.

use crate::codes::Locale;

/// U+202F, the French thousands separator and the space before `%`.
pub const NARROW_NBSP: char = '\u{202f}';

/// `2,957` / `2 957`.
pub fn format_count(locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(locale, &digits))
}

/// A share in [0, 1] as a whole percentage: `65%` / `65 %`.
pub fn format_percent(locale: Locale, share: f64) -> String {
    let whole = (share * 100.0).round() as i64;
    match locale {
        Locale::En => format!("{}%", format_count(locale, whole)),
        Locale::Fr => format!("{}{NARROW_NBSP}%", format_count(locale, whole)),
    }
}

/// A decimal number as Fluent prints it (`1234.5`), in the reader's
/// notation (`1,234.5` / `1 234,5`).
pub fn format_decimal(locale: Locale, plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return plain.to_string();
    }
    let point = match locale {
        Locale::En => ".",
        Locale::Fr => ",",
    };
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!("{point}{frac}")
    };
    format!("{sign}{}{frac}", group(locale, int))
}

fn group(locale: Locale, digits: &str) -> String {
    let separator = match locale {
        Locale::En => ',',
        Locale::Fr => NARROW_NBSP,
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands_in_each_language() {
        assert_eq!(format_count(Locale::En, 2957), "2,957");
        assert_eq!(format_count(Locale::Fr, 2957), "2\u{202f}957");
        assert_eq!(format_count(Locale::En, 999), "999");
        assert_eq!(format_count(Locale::En, 0), "0");
        assert_eq!(format_count(Locale::En, 123_456_789_012), "123,456,789,012");
        assert_eq!(
            format_count(Locale::Fr, -1_000_000),
            "-1\u{202f}000\u{202f}000"
        );
    }

    #[test]
    fn percentages_follow_each_languages_typography() {
        assert_eq!(format_percent(Locale::En, 0.654), "65%");
        assert_eq!(format_percent(Locale::Fr, 0.654), "65\u{202f}%");
        assert_eq!(format_percent(Locale::En, 1.0), "100%");
        assert_eq!(format_percent(Locale::Fr, 0.0), "0\u{202f}%");
    }

    #[test]
    fn decimals_take_the_readers_decimal_mark() {
        assert_eq!(format_decimal(Locale::En, "1234.5"), "1,234.5");
        assert_eq!(format_decimal(Locale::Fr, "1234.5"), "1\u{202f}234,5");
        assert_eq!(format_decimal(Locale::Fr, "12"), "12");
        assert_eq!(format_decimal(Locale::En, "NaN"), "NaN");
    }
}
