//! Server-rendered inline SVG charts.
//!
//! The Content-Security-Policy forbids inline styles and scripts, so charts
//! are plain markup with presentation attributes. They must read without
//! colour: every stance has its own fill pattern and segments carry their
//! percentage as text; the description is a full text alternative.

use super::figures::StanceCounts;
use crate::codes::Locale;
use crate::i18n::{format_count, format_percent};
use crate::submissions::Stance;
use std::fmt::Write;

pub struct Bar {
    pub label: String,
    pub counts: StanceCounts,
}

/// Localized wording of a chart.
pub struct Labels {
    /// How numbers are written.
    pub locale: Locale,
    pub title: String,
    pub description: String,
    pub support: String,
    pub support_with_changes: String,
    pub oppose: String,
    pub no_position: String,
    /// Follows the count after each bar, e.g. "responses".
    pub responses: String,
}

impl Labels {
    fn count(&self, n: i64) -> String {
        format_count(self.locale, n)
    }

    fn percent(&self, whole: i64) -> String {
        format_percent(self.locale, whole as f64 / 100.0)
    }

    fn stance(&self, stance: Stance) -> &str {
        match stance {
            Stance::Support => &self.support,
            Stance::SupportWithChanges => &self.support_with_changes,
            Stance::Oppose => &self.oppose,
            Stance::NoPosition => &self.no_position,
        }
    }
}

/// Segment order, left to right.
const STANCES: [Stance; 4] = [
    Stance::Support,
    Stance::SupportWithChanges,
    Stance::Oppose,
    Stance::NoPosition,
];

/// Dark on white: 17:1.
const TEXT: &str = "#1a1a1a";
const WIDTH: f64 = 720.0;
const BAR_WIDTH: f64 = 580.0;
const COUNT_X: f64 = 590.0;
const LEGEND_HEIGHT: f64 = 56.0;
const ROW_HEIGHT: f64 = 58.0;
const LABEL_BASELINE: f64 = 13.0;
const BAR_TOP: f64 = 19.0;
const BAR_HEIGHT: f64 = 26.0;
/// Narrower segments have no room for "100%" in its box.
const MIN_LABELLED_WIDTH: f64 = 40.0;

/// Base colour of each stance; each keeps at least 3:1 against white so the
/// bars stand out from the page (checked in the tests).
fn colour(stance: Stance) -> &'static str {
    match stance {
        Stance::Support => "#1b6e3c",
        Stance::SupportWithChanges => "#2a63a8",
        Stance::Oppose => "#b3261e",
        Stance::NoPosition => "#6b6b6b",
    }
}

/// White marks over the base colour, one kind per stance, so that stances
/// can be told apart in greyscale and by people who do not see colour.
fn marks(stance: Stance) -> &'static str {
    match stance {
        Stance::Support => "",
        Stance::SupportWithChanges => {
            r##"<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="1.5"/>"##
        }
        Stance::Oppose => {
            r##"<path d="M0,0 L8,8 M8,0 L0,8" stroke="#ffffff" stroke-width="1.2"/>"##
        }
        Stance::NoPosition => r##"<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>"##,
    }
}

fn pattern_id(id: &str, stance: Stance) -> String {
    format!("{id}-{}", stance.as_str().replace('_', "-"))
}

/// One horizontal 100%-stacked bar per entry, with a legend and a full text
/// alternative.
pub fn stacked_bars(id: &str, bars: &[Bar], labels: &Labels) -> String {
    stacked_bars_sharing(id, id, true, bars, labels)
}

/// The same, with the fill patterns named by `patterns`: several charts on one
/// page share the patterns and the legend the first one draws (`with_defs`),
/// which keeps a long report light.
pub fn stacked_bars_sharing(
    id: &str,
    patterns: &str,
    with_defs: bool,
    bars: &[Bar],
    labels: &Labels,
) -> String {
    // The first chart of a page carries the patterns and the legend for all.
    let legend_height = if with_defs { LEGEND_HEIGHT } else { 0.0 };
    let height = legend_height + ROW_HEIGHT * bars.len() as f64;
    let mut svg = String::new();
    // Writing to a String cannot fail, hence the ignored results below.
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" font-family="sans-serif" font-size="13">"#,
        id = escape(id),
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&labels.title),
        escape(&description(bars, labels)),
        id = escape(id),
    );
    if with_defs {
        svg.push_str("<defs>");
        for stance in STANCES {
            let _ = write!(
                svg,
                r#"<pattern id="{}" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="{}"/>{}</pattern>"#,
                escape(&pattern_id(patterns, stance)),
                colour(stance),
                marks(stance),
            );
        }
        svg.push_str("</defs>");
    }
    if with_defs {
        legend(&mut svg, patterns, labels);
    }
    for (row, bar) in bars.iter().enumerate() {
        draw_bar(
            &mut svg,
            patterns,
            legend_height + ROW_HEIGHT * row as f64,
            bar,
            labels,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn legend(svg: &mut String, id: &str, labels: &Labels) {
    for (i, stance) in STANCES.into_iter().enumerate() {
        let x = 360.0 * (i % 2) as f64;
        let y = 24.0 * (i / 2) as f64;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{y}" width="16" height="16" fill="url(#{})" stroke="{TEXT}"/><text x="{}" y="{}" fill="{TEXT}">{}</text>"#,
            escape(&pattern_id(id, stance)),
            x + 22.0,
            y + 13.0,
            escape(labels.stance(stance)),
        );
    }
}

fn draw_bar(svg: &mut String, id: &str, top: f64, bar: &Bar, labels: &Labels) {
    let total = bar.counts.total();
    let bar_top = top + BAR_TOP;
    let _ = write!(
        svg,
        r#"<text x="0" y="{}" fill="{TEXT}">{}</text>"#,
        top + LABEL_BASELINE,
        escape(&bar.label),
    );
    if total > 0 {
        let percents = whole_percents(&bar.counts);
        let mut x = 0.0;
        for (stance, percent) in STANCES.into_iter().zip(percents) {
            let count = bar.counts.get(stance);
            if count <= 0 {
                continue;
            }
            let width = BAR_WIDTH * count as f64 / total as f64;
            let _ = write!(
                svg,
                r##"<rect x="{}" y="{bar_top}" width="{}" height="{BAR_HEIGHT}" fill="url(#{})" stroke="#ffffff"><title>{}: {} ({})</title></rect>"##,
                fmt(x),
                fmt(width),
                escape(&pattern_id(id, stance)),
                escape(labels.stance(stance)),
                labels.count(count),
                labels.percent(percent),
            );
            if width >= MIN_LABELLED_WIDTH {
                // A white box under the text keeps it legible over any pattern.
                let centre = x + width / 2.0;
                let _ = write!(
                    svg,
                    r##"<rect x="{}" y="{}" width="38" height="16" rx="3" fill="#ffffff"/><text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{TEXT}">{}</text>"##,
                    fmt(centre - 19.0),
                    bar_top + 5.0,
                    fmt(centre),
                    bar_top + 17.0,
                    labels.percent(percent),
                );
            }
            x += width;
        }
    }
    let _ = write!(
        svg,
        r#"<rect x="0" y="{bar_top}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="none" stroke="{TEXT}"/><text x="{COUNT_X}" y="{}" fill="{TEXT}">{} {}</text>"#,
        bar_top + 18.0,
        labels.count(total),
        escape(&labels.responses),
    );
}

/// Every bar's counts in words, so the chart loses nothing without sight.
fn description(bars: &[Bar], labels: &Labels) -> String {
    let mut text = labels.description.clone();
    for bar in bars {
        let stances: Vec<String> = STANCES
            .into_iter()
            .map(|s| format!("{} {}", labels.stance(s), labels.count(bar.counts.get(s))))
            .collect();
        let _ = write!(
            text,
            " {}: {}; {} {}.",
            bar.label,
            stances.join(", "),
            labels.count(bar.counts.total()),
            labels.responses,
        );
    }
    text.trim_start().to_owned()
}

/// Percentages rounded by largest remainder, so the labels of a bar add up
/// to exactly 100.
fn whole_percents(counts: &StanceCounts) -> [i64; 4] {
    let total = counts.total();
    let mut percents = [0i64; 4];
    if total <= 0 {
        return percents;
    }
    let mut remainders = [(0i64, 0usize); 4];
    for (i, stance) in STANCES.into_iter().enumerate() {
        let scaled = counts.get(stance) * 100;
        percents[i] = scaled / total;
        remainders[i] = (scaled % total, i);
    }
    let missing = 100 - percents.iter().sum::<i64>();
    // Largest remainder first; ties go to the earlier stance.
    remainders.sort_by_key(|&(remainder, i)| (std::cmp::Reverse(remainder), i));
    for &(_, i) in remainders.iter().take(missing.max(0) as usize) {
        percents[i] += 1;
    }
    percents
}

fn fmt(n: f64) -> String {
    let s = format!("{n:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// WCAG relative luminance of `#rrggbb`, for the contrast tests.
#[cfg(test)]
pub(super) fn relative_luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Labels {
        Labels {
            locale: Locale::En,
            title: "Positions on article 3".into(),
            description: "Positions by stakeholder group.".into(),
            support: "Support".into(),
            support_with_changes: "Support with changes".into(),
            oppose: "Oppose".into(),
            no_position: "No position".into(),
            responses: "responses".into(),
        }
    }

    fn counts(
        support: i64,
        support_with_changes: i64,
        oppose: i64,
        no_position: i64,
    ) -> StanceCounts {
        StanceCounts {
            support,
            support_with_changes,
            oppose,
            no_position,
        }
    }

    fn bar(label: &str, counts: StanceCounts) -> Bar {
        Bar {
            label: label.into(),
            counts,
        }
    }

    fn contrast_with_white(hex: &str) -> f64 {
        1.05 / (relative_luminance(hex) + 0.05)
    }

    #[test]
    fn escape_neutralizes_markup_and_ampersands() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn every_piece_of_text_is_escaped() {
        let mut l = labels();
        l.title = "<script>t</script>".into();
        l.support = "Support & more".into();
        let svg = stacked_bars("c", &[bar("<b>Gov</b>", counts(1, 0, 0, 0))], &l);
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;t&lt;/script&gt;"));
        assert!(svg.contains("&lt;b&gt;Gov&lt;/b&gt;"));
        assert!(svg.contains("Support &amp; more"));
        assert!(!svg.contains("Support & more"));
    }

    #[test]
    fn a_parser_reads_back_exactly_the_text_that_went_in() {
        let mut l = labels();
        l.title = r#"<script>alert("t")</script> & co"#.into();
        let svg = stacked_bars("r", &[bar("Gov & <i>", counts(1, 0, 0, 0))], &l);
        let html = scraper::Html::parse_fragment(&svg);
        let text_of = |selector: &str| -> Vec<String> {
            let selector = scraper::Selector::parse(selector).unwrap();
            html.select(&selector).map(|e| e.text().collect()).collect()
        };
        assert_eq!(text_of("svg > title"), [l.title.clone()]);
        assert!(text_of("svg > text").contains(&"Gov & <i>".to_owned()));
        assert!(text_of("script").is_empty());
        assert_eq!(text_of("pattern").len(), 4);
    }

    #[test]
    fn each_stance_has_one_pattern_with_the_chart_id_as_prefix() {
        let svg = stacked_bars("art3", &[bar("Government", counts(1, 1, 1, 1))], &labels());
        assert_eq!(svg.matches("<pattern ").count(), 4);
        for stance in ["support", "support-with-changes", "oppose", "no-position"] {
            assert_eq!(
                svg.matches(&format!(r#"<pattern id="art3-{stance}""#))
                    .count(),
                1
            );
            assert!(svg.contains(&format!("url(#art3-{stance})")));
        }
        let other = stacked_bars("art4", &[bar("Government", counts(1, 1, 1, 1))], &labels());
        assert!(!other.contains("art3"));
    }

    #[test]
    fn patterns_differ_from_one_another() {
        let all: Vec<&str> = STANCES.into_iter().map(marks).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn the_svg_is_labelled_by_its_title_and_description() {
        let svg = stacked_bars("x1", &[], &labels());
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="x1-title x1-desc""#));
        assert!(svg.contains(r#"<title id="x1-title">Positions on article 3</title>"#));
        assert!(svg.contains(r#"<desc id="x1-desc">"#));
        assert!(svg.contains(r#"viewBox="0 0 720 56""#));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_description_gives_every_bars_counts() {
        let svg = stacked_bars(
            "d",
            &[
                bar("Government", counts(3, 2, 1, 0)),
                bar("Academia", counts(0, 0, 4, 1)),
            ],
            &labels(),
        );
        assert!(svg.contains(
            "Positions by stakeholder group. Government: Support 3, Support with changes 2, Oppose 1, \
             No position 0; 6 responses. Academia: Support 0, Support with changes 0, Oppose 4, \
             No position 1; 5 responses.</desc>"
        ));
    }

    #[test]
    fn wide_segments_show_their_percentage_and_the_count_follows_the_bar() {
        let svg = stacked_bars("p", &[bar("Platform", counts(1, 1, 1, 0))], &labels());
        assert_eq!(svg.matches(">34%</text>").count(), 1);
        assert_eq!(svg.matches(">33%</text>").count(), 2);
        assert!(svg.contains(">3 responses</text>"));
    }

    #[test]
    fn labels_write_numbers_as_the_readers_language_does() {
        let mut l = labels();
        l.locale = Locale::Fr;
        let svg = stacked_bars("f", &[bar("Plateformes", counts(1500, 1500, 0, 0))], &l);
        assert!(svg.contains(">50\u{202f}%</text>"));
        assert!(svg.contains(">3\u{202f}000 responses</text>"));
        let svg = stacked_bars(
            "e",
            &[bar("Platforms", counts(1500, 1500, 0, 0))],
            &labels(),
        );
        assert!(svg.contains(">50%</text>") && svg.contains(">3,000 responses</text>"));
    }

    #[test]
    fn narrow_segments_have_no_percentage_text() {
        let svg = stacked_bars("n", &[bar("Platform", counts(99, 0, 1, 0))], &labels());
        assert!(svg.contains(">99%</text>"));
        assert!(!svg.contains(">1%</text>"));
        assert!(svg.contains("<title>Oppose: 1 (1%)</title>"));
    }

    #[test]
    fn a_bar_without_responses_is_an_empty_outline_and_zero() {
        let svg = stacked_bars("z", &[bar("Technical", counts(0, 0, 0, 0))], &labels());
        assert!(!svg.contains("fill=\"url(#z-support)\" stroke=\"#ffffff\""));
        assert!(svg.contains(r#"width="580" height="26" fill="none""#));
        assert!(svg.contains(">0 responses</text>"));
        assert!(!svg.contains("%</text>"));
    }

    #[test]
    fn segments_come_in_stance_order_and_fill_the_bar() {
        let svg = stacked_bars("o", &[bar("Individual", counts(1, 1, 1, 1))], &labels());
        let at = |stance: &str| {
            svg.find(&format!(r##"fill="url(#o-{stance})" stroke="#ffffff""##))
                .unwrap()
        };
        assert!(at("support") < at("support-with-changes"));
        assert!(at("support-with-changes") < at("oppose"));
        assert!(at("oppose") < at("no-position"));
        assert!(svg.contains(r#"<rect x="435" y="75" width="145""#));
    }

    #[test]
    fn nothing_is_styled_inline() {
        let svg = stacked_bars(
            "s",
            &[
                bar("Government", counts(5, 3, 2, 1)),
                bar("Academia", counts(0, 0, 0, 0)),
            ],
            &labels(),
        );
        assert!(!svg.contains("style"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn fills_keep_three_to_one_against_white_and_text_four_and_a_half() {
        for stance in STANCES {
            let ratio = contrast_with_white(colour(stance));
            assert!(ratio >= 3.0, "{stance}: {ratio}");
        }
        assert!(contrast_with_white(TEXT) >= 4.5);
    }

    #[test]
    fn rounded_percentages_add_up_to_one_hundred() {
        assert_eq!(whole_percents(&counts(1, 1, 1, 0)), [34, 33, 33, 0]);
        assert_eq!(whole_percents(&counts(1, 2, 3, 1)), [14, 29, 43, 14]);
        assert_eq!(whole_percents(&counts(0, 0, 0, 0)), [0, 0, 0, 0]);
        for total in 1..60 {
            let p = whole_percents(&counts(
                total / 3,
                total / 5,
                total / 7,
                total - total / 3 - total / 5 - total / 7,
            ));
            assert_eq!(p.iter().sum::<i64>(), 100, "total {total}");
        }
    }
}
