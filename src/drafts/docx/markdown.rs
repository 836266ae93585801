//! Runs and paragraphs written out as the Markdown the importer reads.

use super::*;

#[derive(Debug, Default)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) style: Option<String>,
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) hidden: bool,
}

#[derive(Debug, Default)]
pub(super) struct Paragraph {
    pub(super) style: Option<String>,
    pub(super) num: NumRef,
    pub(super) outline: Option<u8>,
    /// Visible text with its emphasis; `\n` is a line break.
    pub(super) spans: Vec<(String, bool, bool)>,
}

impl Paragraph {
    pub(super) fn plain_text(&self) -> String {
        let text: String = self.spans.iter().map(|(t, _, _)| t.as_str()).collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub(super) fn markdown(&self) -> String {
        let mut spans: Vec<(String, bool, bool)> = vec![];
        for (text, bold, italic) in &self.spans {
            let text = text.replace('\t', " ");
            match spans.last_mut() {
                Some(last) if (last.1, last.2) == (*bold, *italic) => last.0.push_str(&text),
                _ => spans.push((text, *bold, *italic)),
            }
        }
        let mut out = String::new();
        for (text, bold, italic) in spans {
            let core = text.trim();
            if core.is_empty() {
                out.push_str(&text);
                continue;
            }
            let marker = match (bold, italic) {
                (true, true) => "***",
                (true, false) => "**",
                (false, true) => "*",
                (false, false) => "",
            };
            let start = text.len() - text.trim_start().len();
            out.push_str(&text[..start]);
            out.push_str(marker);
            out.push_str(&escape(core));
            out.push_str(marker);
            out.push_str(&text[start + core.len()..]);
        }
        out.lines()
            .map(|line| escape_line_start(line.trim()))
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\\\n")
    }
}

/// Characters that would otherwise be read as Markdown (or HTML) markup.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What would start a heading, a list, a quote or a rule at the start of a line.
pub(super) fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..10).contains(&digits) && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// The Markdown being written: blocks apart, list items together.
#[derive(Debug, Default)]
pub(super) struct Markdown {
    pub(super) text: String,
    /// The nesting of the last line when it was a list item.
    pub(super) list_depth: Option<usize>,
}

impl Markdown {
    pub(super) fn block(&mut self, line: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.text.push('\n');
        self.list_depth = None;
    }

    pub(super) fn item(&mut self, level: u8, marker: &str, line: &str) {
        let depth = match self.list_depth {
            Some(d) => usize::from(level).min(d + 1),
            None => {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                0
            }
        };
        // Four spaces nest under both "- " and "1. ".
        self.text.push_str(&"    ".repeat(depth));
        self.text.push_str(marker);
        self.text.push_str(line);
        self.text.push('\n');
        self.list_depth = Some(depth);
    }
}

/// Elements whose content is left out, and what they count as.
pub(super) type Counter = fn(&mut LeftOut) -> &mut usize;
