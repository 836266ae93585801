//! The overview's picture: one row per provision, one column per stakeholder
//! group, each cell the group's support share and how many of it answered.
//!
//! Like the bar charts it is plain SVG with presentation attributes (the CSP
//! forbids inline styles) and reads without colour: every cell prints its
//! figures, the three bands of the methodology have a pattern each, and
//! groups too small to count in the balance have a dashed outline. The rows
//! are drawn in the order given, so a caller can group them (by division).

use super::chart::escape;
use crate::codes::Locale;
use crate::i18n::{format_count, format_percent};
use std::fmt::Write;

/// One group's figures for one provision.
pub struct Cell {
    pub share: Option<f64>,
    /// Answers other than "no position": the share's denominator.
    pub responses: i64,
    pub counted: bool,
}

pub struct Row {
    /// The division (chapter, annex…) this row opens, named above it.
    pub opens: Option<String>,
    /// Short, e.g. "Article 3"; longer labels are cut and given whole in a tooltip.
    pub label: String,
    /// One per column; `None` when the group did not answer.
    pub cells: Vec<Option<Cell>>,
}

/// Localized wording of the matrix.
pub struct Labels {
    pub locale: Locale,
    pub title: String,
    pub description: String,
    /// The groups, one per column.
    pub columns: Vec<String>,
    /// The legend: what a cell holds, the three bands, the dashed outline.
    pub how_to_read: String,
    pub high: String,
    pub middle: String,
    pub low: String,
    pub too_few: String,
}

/// The methodology's bands: two thirds support and more, one third and
/// less (two thirds against, among those who took a position), between.
#[derive(Clone, Copy)]
enum Band {
    High,
    Middle,
    Low,
}

const BANDS: [Band; 3] = [Band::High, Band::Middle, Band::Low];

impl Band {
    fn of(share: f64) -> Self {
        // The same tolerance as the labels: 2 of 3 is two thirds.
        if share >= 2.0 / 3.0 - 1e-9 {
            Band::High
        } else if share <= 1.0 / 3.0 + 1e-9 {
            Band::Low
        } else {
            Band::Middle
        }
    }

    fn name(self) -> &'static str {
        match self {
            Band::High => "high",
            Band::Middle => "middle",
            Band::Low => "low",
        }
    }

    /// Light fills, so the dark figures printed on them keep at least
    /// 4.5:1 (checked in the tests).
    fn fill(self) -> &'static str {
        match self {
            Band::High => "#cfe8d6",
            Band::Middle => "#ececec",
            Band::Low => "#f6d3cf",
        }
    }

    /// Marks over the fill, so the bands differ in greyscale too.
    fn marks(self) -> &'static str {
        match self {
            Band::High => "",
            Band::Middle => r##"<circle cx="3" cy="3" r="0.9" fill="#8a8a8a"/>"##,
            Band::Low => r##"<path d="M0,6 L6,0" stroke="#b07a74" stroke-width="0.8"/>"##,
        }
    }

    fn label(self, labels: &Labels) -> &str {
        match self {
            Band::High => &labels.high,
            Band::Middle => &labels.middle,
            Band::Low => &labels.low,
        }
    }
}

const TEXT: &str = "#1a1a1a";
const LABEL_WIDTH: f64 = 140.0;
const COLUMN_WIDTH: f64 = 96.0;
const ROW_HEIGHT: f64 = 40.0;
/// The line naming a division above its first row.
const DIVISION_HEIGHT: f64 = 24.0;
const DIVISION_CHARS: usize = 60;
const LINE: f64 = 15.0;
/// The legend is one item a line and needs this much width, however few
/// the columns.
const LEGEND_WIDTH: f64 = 460.0;
const LEGEND_ITEM: f64 = 24.0;
/// Characters a line: of a column heading, of the legend's first line, of
/// a row label.
const HEADING_LINE: usize = 14;
const LEGEND_LINE: usize = 62;
const LABEL_CHARS: usize = 17;

/// The matrix as one inline SVG, labelled by its title and description.
pub fn support_matrix(id: &str, rows: &[Row], labels: &Labels) -> String {
    let id = escape(id);
    let headings: Vec<Vec<String>> = labels
        .columns
        .iter()
        .map(|c| wrap(c, HEADING_LINE))
        .collect();
    let heading_lines = headings.iter().map(Vec::len).max().unwrap_or(1);
    let how_to_read = wrap(&labels.how_to_read, LEGEND_LINE);
    let legend_height = LINE * how_to_read.len() as f64 + 8.0 + LEGEND_ITEM * 4.0 + 12.0;
    let top = legend_height + LINE * heading_lines as f64 + 8.0;
    let width = (LABEL_WIDTH + COLUMN_WIDTH * labels.columns.len().max(1) as f64).max(LEGEND_WIDTH);
    let divisions = rows.iter().filter(|r| r.opens.is_some()).count();
    let height = top + ROW_HEIGHT * rows.len() as f64 + DIVISION_HEIGHT * divisions as f64;
    let mut svg = String::new();
    // Writing to a String cannot fail, hence the ignored results below.
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="13" fill="{TEXT}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><defs>"#,
        escape(&labels.title),
        escape(&labels.description),
    );
    for band in BANDS {
        let _ = write!(
            svg,
            r#"<pattern id="{id}-{}" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="{}"/>{}</pattern>"#,
            band.name(),
            band.fill(),
            band.marks(),
        );
    }
    svg.push_str("</defs>");
    legend(&mut svg, &id, &how_to_read, labels);
    for (i, lines) in headings.iter().enumerate() {
        let x = LABEL_WIDTH + COLUMN_WIDTH * (i as f64 + 0.5);
        // Headings sit on the bottom line, so short ones line up with long.
        let first = top - 8.0 - LINE * (lines.len() as f64 - 1.0) - 4.0;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{first}" text-anchor="middle" font-size="11" font-weight="bold">"#
        );
        for (n, line) in lines.iter().enumerate() {
            let dy = if n == 0 { 0.0 } else { LINE };
            let _ = write!(svg, r#"<tspan x="{x}" dy="{dy}">{}</tspan>"#, escape(line));
        }
        svg.push_str("</text>");
    }
    let mut y = top;
    for row in rows {
        if let Some(division) = &row.opens {
            let _ = write!(
                svg,
                r#"<text x="0" y="{}" font-weight="bold" font-style="italic">{}</text>"#,
                y + DIVISION_HEIGHT - 6.0,
                escape(&cut(division, DIVISION_CHARS)),
            );
            y += DIVISION_HEIGHT;
        }
        draw_row(&mut svg, &id, y, row, labels.locale);
        y += ROW_HEIGHT;
    }
    svg.push_str("</svg>");
    svg
}

fn legend(svg: &mut String, id: &str, how_to_read: &[String], labels: &Labels) {
    for (n, line) in how_to_read.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text x="0" y="{}">{}</text>"#,
            14.0 + LINE * n as f64,
            escape(line)
        );
    }
    let first = LINE * how_to_read.len() as f64 + 8.0;
    let items = BANDS
        .into_iter()
        .map(|band| {
            (
                format!(r#"fill="url(#{id}-{})""#, band.name()),
                band.label(labels),
            )
        })
        .chain(std::iter::once((
            r##"fill="#ffffff" stroke-dasharray="3 2""##.to_string(),
            labels.too_few.as_str(),
        )));
    for (i, (fill, label)) in items.enumerate() {
        let y = first + LEGEND_ITEM * i as f64;
        let _ = write!(
            svg,
            r#"<rect x="0" y="{y}" width="18" height="18" {fill} stroke="{TEXT}"/><text x="26" y="{}">{}</text>"#,
            y + 14.0,
            escape(label),
        );
    }
}

fn draw_row(svg: &mut String, id: &str, y: f64, row: &Row, locale: Locale) {
    let label = cut(&row.label, LABEL_CHARS);
    let _ = write!(
        svg,
        r##"<line x1="0" y1="{y}" x2="{}" y2="{y}" stroke="#b1b4b6"/><text x="0" y="{}" font-weight="bold">"##,
        LABEL_WIDTH + COLUMN_WIDTH * row.cells.len() as f64,
        y + ROW_HEIGHT / 2.0 + 5.0,
    );
    if label == row.label {
        svg.push_str(&escape(&label));
    } else {
        let _ = write!(
            svg,
            "<title>{}</title>{}",
            escape(&row.label),
            escape(&label)
        );
    }
    svg.push_str("</text>");
    for (c, cell) in row.cells.iter().enumerate() {
        let x = LABEL_WIDTH + COLUMN_WIDTH * c as f64;
        let centre = x + COLUMN_WIDTH / 2.0;
        let Some(cell) = cell else {
            let _ = write!(
                svg,
                r#"<text x="{centre}" y="{}" text-anchor="middle">—</text>"#,
                y + ROW_HEIGHT / 2.0 + 5.0
            );
            continue;
        };
        let fill = cell.share.map_or_else(
            || "#ffffff".to_string(),
            |s| format!("url(#{id}-{})", Band::of(s).name()),
        );
        let dashes = if cell.counted {
            ""
        } else {
            r#" stroke-dasharray="3 2""#
        };
        let _ = write!(
            svg,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="{TEXT}"{dashes}/><text x="{centre}" y="{}" text-anchor="middle" font-weight="bold">{}</text><text x="{centre}" y="{}" text-anchor="middle" font-size="11">({})</text>"#,
            x + 3.0,
            y + 3.0,
            COLUMN_WIDTH - 6.0,
            ROW_HEIGHT - 6.0,
            y + 18.0,
            cell.share
                .map_or_else(|| "—".to_string(), |s| format_percent(locale, s)),
            y + 32.0,
            format_count(locale, cell.responses),
        );
    }
}

/// Words of `text` in lines of about `width` characters (a long word keeps
/// a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(chars - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::chart::relative_luminance;

    fn labels(columns: &[&str]) -> Labels {
        Labels {
            locale: Locale::En,
            title: "Support by provision and group".into(),
            description: "The same figures are in the table below.".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            how_to_read: "Each cell: support share, (answers)".into(),
            high: "Two thirds or more support".into(),
            middle: "Between".into(),
            low: "One third or less".into(),
            too_few: "Too few answers to count".into(),
        }
    }

    fn cell(share: f64, responses: i64) -> Option<Cell> {
        Some(Cell {
            share: Some(share),
            responses,
            counted: responses >= 3,
        })
    }

    fn text_of(svg: &str, selector: &str) -> Vec<String> {
        let html = scraper::Html::parse_fragment(svg);
        let selector = scraper::Selector::parse(selector).unwrap();
        html.select(&selector)
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    #[test]
    fn a_division_is_named_above_its_first_row() {
        let row = |opens: Option<&str>, label: &str| Row {
            opens: opens.map(str::to_string),
            label: label.into(),
            cells: vec![cell(0.5, 2)],
        };
        let rows = [
            row(Some("Chapter I — Scope"), "Article 1"),
            row(None, "Article 2"),
            row(Some("Annex I"), "Article 3"),
        ];
        let svg = support_matrix("m", &rows, &labels(&["Government"]));
        let texts = text_of(&svg, "svg > text");
        let at = |t: &str| texts.iter().position(|x| x == t).unwrap();
        assert!(at("Chapter I — Scope") < at("Article 1"));
        assert!(at("Article 2") < at("Annex I") && at("Annex I") < at("Article 3"));
        let plain = support_matrix(
            "m",
            &rows.map(|r| Row { opens: None, ..r }),
            &labels(&["Government"]),
        );
        let height = |svg: &str| {
            svg.split("height=\"")
                .nth(1)
                .and_then(|h| h.split('"').next())
                .map(str::to_string)
        };
        assert_ne!(
            height(&svg),
            height(&plain),
            "each division's line takes room"
        );
    }

    #[test]
    fn each_cell_prints_its_share_and_answers_in_the_rows_order() {
        let rows = [
            Row {
                opens: None,
                label: "Article 2".into(),
                cells: vec![cell(2.0 / 3.0, 3), None],
            },
            Row {
                opens: None,
                label: "Article 1".into(),
                cells: vec![cell(0.25, 1_234), cell(0.5, 2)],
            },
        ];
        let svg = support_matrix("m", &rows, &labels(&["Government", "Civil society"]));
        let texts = text_of(&svg, "svg > text");
        let at = |t: &str| texts.iter().position(|x| x == t).unwrap();
        assert!(at("Article 2") < at("Article 1"), "rows in the order given");
        for figure in ["67%", "(3)", "—", "25%", "(1,234)", "50%", "(2)"] {
            assert!(texts.iter().any(|t| t == figure), "{figure} in {texts:?}");
        }
        // Each band once in the legend and once in a cell.
        for band in ["high", "middle", "low"] {
            assert_eq!(svg.matches(&format!(r#"fill="url(#m-{band})""#)).count(), 2);
        }
        // The legend's swatch and the one group below the minimum.
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
    }

    #[test]
    fn long_headings_wrap_and_long_labels_are_cut_with_the_whole_in_a_tooltip() {
        let rows = [Row {
            opens: None,
            label: "Article 12 bis — A very long heading".into(),
            cells: vec![cell(1.0, 5)],
        }];
        let svg = support_matrix("w", &rows, &labels(&["Digital platform or private sector"]));
        assert_eq!(
            text_of(&svg, "tspan"),
            ["Digital", "platform or", "private sector"]
        );
        assert!(
            svg.contains("<title>Article 12 bis — A very long heading</title>Article 12 bis —…")
        );
    }

    #[test]
    fn french_figures_take_narrow_no_break_spaces() {
        let mut l = labels(&["Gouvernement"]);
        l.locale = Locale::Fr;
        let svg = support_matrix(
            "f",
            &[Row {
                opens: None,
                label: "Article premier".into(),
                cells: vec![cell(0.58, 2_957)],
            }],
            &l,
        );
        assert!(svg.contains(">58\u{202f}%</text>") && svg.contains(">(2\u{202f}957)</text>"));
    }

    #[test]
    fn it_is_labelled_escaped_and_never_styled_inline() {
        let mut l = labels(&["<b>Gov</b>"]);
        l.title = "<script>x</script>".into();
        let svg = support_matrix(
            "s",
            &[Row {
                opens: None,
                label: "A & B".into(),
                cells: vec![cell(1.0, 3)],
            }],
            &l,
        );
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img" aria-labelledby="s-title s-desc""#));
        assert!(!svg.contains("<script>") && !svg.contains("<b>") && svg.contains("A &amp; B"));
        assert!(!svg.contains("style"));
    }

    #[test]
    fn printed_figures_keep_four_and_a_half_to_one_on_every_fill() {
        for band in BANDS {
            let ratio =
                (relative_luminance(band.fill()) + 0.05) / (relative_luminance(TEXT) + 0.05);
            assert!(ratio >= 4.5, "{}: {ratio}", band.name());
        }
    }
}
