//! Word files (.docx) become the Markdown the importer reads, so that a Word
//! draft gets the same preview, keys and translation matching as a Markdown one,
//! and the organizer can correct the converted text before saving it.
//!
//! The structure comes from paragraph styles resolved through `word/styles.xml`:
//! a style's outline level, else its built-in name (`heading 2`, stored in
//! English whatever Word's language), else its id (`Heading2`, `Titre2`,
//! `berschrift2`…), following `basedOn`. The display name is never used: it is
//! translated. Numbering comes from `word/numbering.xml`, so an auto-numbered
//! heading keeps the "Article 3" that gives its key.
//!
//! Kept: the title, headings, paragraphs, lists, bold and italic; a field keeps
//! its displayed result as plain text, a link its text. Left out, and counted so
//! the preview can say so: tables, images and text boxes, equations, footnotes,
//! comments, the table of contents. Hidden text is left out silently. Tracked
//! changes are refused: which version is meant is the organizer's decision.

use super::import::{self, ImportError, MAX_DRAFT_BYTES};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Compound files: Word 97–2003 documents, and any password-protected Word file.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The uncompressed size allowed per XML part. A 1 MB upload must not expand
/// into gigabytes (a zip bomb); Word's XML runs about ten times the text it
/// holds, and the text may be at most [`MAX_DRAFT_BYTES`].
pub const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error("the file is not a Word document (.docx)")]
    NotWord,
    #[error("the file is an old Word document (.doc) or a password-protected one")]
    Legacy,
    #[error("the Word document cannot be read: {0}")]
    Damaged(String),
    #[error("{0} in the Word document takes more than 16 MB once uncompressed")]
    TooLarge(&'static str),
    #[error("the Word document has tracked changes")]
    TrackedChanges,
}

impl DocxError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::NotWord => "import-error-docx-not-word",
            Self::Legacy => "import-error-docx-legacy",
            Self::Damaged(_) => "import-error-docx-damaged",
            Self::TooLarge(_) => "import-error-docx-too-large",
            Self::TrackedChanges => "import-error-docx-tracked-changes",
        }
    }
}

/// What a Word file held that its Markdown does not.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub tables: usize,
    pub images: usize,
    pub equations: usize,
    pub footnotes: usize,
    pub comments: usize,
    pub contents: usize,
}

impl LeftOut {
    /// Each kind left out, as its Fluent message (which takes `$count`) and count.
    pub fn messages(&self) -> Vec<(&'static str, usize)> {
        [
            ("import-docx-left-out-tables", self.tables),
            ("import-docx-left-out-images", self.images),
            ("import-docx-left-out-equations", self.equations),
            ("import-docx-left-out-footnotes", self.footnotes),
            ("import-docx-left-out-comments", self.comments),
            ("import-docx-left-out-contents", self.contents),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

/// An uploaded draft as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub markdown: String,
    pub left_out: LeftOut,
}

/// Reads an uploaded draft, Markdown or Word, told apart by content. The file
/// name only sharpens the message for a file called `.docx` that is not one.
pub fn read_upload(bytes: &[u8], file_name: &str) -> Result<Converted, ImportError> {
    if bytes.len() > MAX_DRAFT_BYTES {
        return Err(ImportError::TooLarge);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(to_markdown(bytes)?);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(DocxError::Legacy.into());
    }
    if file_name.to_ascii_lowercase().ends_with(".docx") {
        return Err(DocxError::NotWord.into());
    }
    Ok(Converted {
        markdown: import::decode(bytes)?.to_string(),
        left_out: LeftOut::default(),
    })
}

pub fn to_markdown(bytes: &[u8]) -> Result<Converted, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Damaged(e.to_string()))?;
    let document = read_part(&mut archive, "word/document.xml")?.ok_or(DocxError::NotWord)?;
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    let numbering = match read_part(&mut archive, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    Converter {
        styles: &styles,
        numbering: &numbering,
        counters: Counters::default(),
        out: Markdown::default(),
        left_out: LeftOut::default(),
    }
    .run(&document)
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &'static str,
) -> Result<Option<String>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Damaged(e.to_string())),
    };
    // Counted while inflating: the size the archive declares can lie.
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DocxError::Damaged(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge(name));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| DocxError::Damaged(format!("{name} is not UTF-8")))
}

fn damaged(e: impl std::fmt::Display) -> DocxError {
    DocxError::Damaged(e.to_string())
}

fn local_name<'a>(e: &'a BytesStart<'_>) -> &'a str {
    e.local_name().into_inner()
}

/// The `w:val` (or any prefix's `val`) attribute.
fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// An on/off property such as `<w:b/>` or `<w:b w:val="0"/>`.
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off" | "none"))
}

fn number<T: std::str::FromStr>(e: &BytesStart<'_>) -> Option<T> {
    val(e).and_then(|v| v.parse().ok())
}

/// A numbering reference: which list (`numId`) and which of its levels.
#[derive(Debug, Default, Clone, Copy)]
struct NumRef {
    id: Option<u32>,
    level: Option<u8>,
}

#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: NumRef,
    bold: Option<bool>,
    italic: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Heading(u8),
    Contents,
    Body,
}

/// Style ids Word gives its heading styles in various languages, the digit
/// following: it strips letters outside ASCII, so "Überschrift 1" is
/// `berschrift1` and "Título 1" is `Ttulo1`. The same word alone is the title.
const HEADING_IDS: &[&str] = &[
    "Heading",
    "Titre",
    "berschrift",
    "Ttulo",
    "Titolo",
    "Kop",
    "Nagwek",
    "Rubrik",
    "Overskrift",
];
const TITLE_IDS: &[&str] = &["Title", "Titre", "Titel", "Ttulo", "Titolo"];

#[derive(Debug, Default)]
struct Styles(HashMap<String, Style>);

impl Styles {
    fn parse(xml: &str) -> Result<Self, DocxError> {
        let mut styles = HashMap::new();
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut current: Option<(String, Style)> = None;
        let mut skip = 0usize;
        loop {
            let event = reader.read_event().map_err(damaged)?;
            let (e, empty) = match &event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    if skip > 0 {
                        skip -= 1;
                    } else if e.local_name().into_inner() == "style"
                        && let Some((id, style)) = current.take()
                    {
                        styles.insert(id, style);
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if skip > 0 {
                skip += usize::from(!empty);
                continue;
            }
            let name = local_name(e);
            // A table style's conditional formats are not the paragraph's.
            if name == "tblStylePr" {
                skip = usize::from(!empty);
                continue;
            }
            if name == "style" {
                current = attr(e, "styleId").map(|id| (id, Style::default()));
                continue;
            }
            let Some((_, style)) = current.as_mut() else {
                continue;
            };
            match name {
                "name" => style.name = val(e).unwrap_or_default(),
                "basedOn" => style.based_on = val(e),
                "outlineLvl" => style.outline = number(e),
                "numId" => style.num.id = number(e),
                "ilvl" => style.num.level = number(e),
                "b" => style.bold = Some(on(e)),
                "i" => style.italic = Some(on(e)),
                _ => {}
            }
        }
        Ok(Self(styles))
    }

    /// The style and those it is based on, nearest first; a cycle ends it.
    fn chain<'a>(&'a self, id: Option<&'a str>) -> impl Iterator<Item = (&'a str, &'a Style)> {
        let mut next = id;
        let mut seen = 0;
        std::iter::from_fn(move || {
            let id = next?;
            seen += 1;
            let style = self.0.get(id).filter(|_| seen <= 16)?;
            next = style.based_on.as_deref();
            Some((id, style))
        })
    }

    fn role(&self, id: Option<&str>) -> Role {
        let Some(id) = id else {
            return Role::Body;
        };
        for (id, style) in self.chain(Some(id)) {
            if let Some(role) = role_of(id, Some(style)) {
                return role;
            }
        }
        // A style the document uses but does not define: its id still tells.
        role_of(id, None).unwrap_or(Role::Body)
    }

    fn num(&self, id: Option<&str>) -> NumRef {
        let mut num = NumRef::default();
        for (_, style) in self.chain(id) {
            num.id = num.id.or(style.num.id);
            num.level = num.level.or(style.num.level);
        }
        num
    }

    fn emphasis(&self, id: Option<&str>) -> (Option<bool>, Option<bool>) {
        let (mut bold, mut italic) = (None, None);
        for (_, style) in self.chain(id) {
            bold = bold.or(style.bold);
            italic = italic.or(style.italic);
        }
        (bold, italic)
    }
}

fn role_of(id: &str, style: Option<&Style>) -> Option<Role> {
    let name = style.map(|s| s.name.to_lowercase()).unwrap_or_default();
    if name.starts_with("toc ") || name == "toc heading" || id.starts_with("TOC") {
        return Some(Role::Contents);
    }
    if name == "title" || TITLE_IDS.contains(&id) {
        return Some(Role::Title);
    }
    if let Some(outline) = style.and_then(|s| s.outline) {
        // Level 9 is Word's "body text".
        return Some(if outline < 9 {
            Role::Heading(outline + 1)
        } else {
            Role::Body
        });
    }
    let level_after = |prefix: &str, text: &str| {
        text.strip_prefix(prefix)
            .and_then(|n| n.trim().parse::<u8>().ok())
            .filter(|n| (1..=9).contains(n))
    };
    level_after("heading", &name)
        .or_else(|| HEADING_IDS.iter().find_map(|p| level_after(p, id)))
        .map(Role::Heading)
}

#[derive(Debug, Default, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
    style: Option<String>,
    legal: bool,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<u32, HashMap<u8, Level>>,
    nums: HashMap<u32, Num>,
}

/// A list instance: its abstract definition, and the levels it restarts.
#[derive(Debug, Default)]
struct Num {
    abstract_id: u32,
    restarts: Vec<(u8, u32)>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Self, DocxError> {
        let mut numbering = Numbering::default();
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut abstract_id: Option<u32> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut num: Option<(u32, Num)> = None;
        let mut override_level: Option<u8> = None;
        loop {
            let event = reader.read_event().map_err(damaged)?;
            let e = match &event {
                Event::Start(e) | Event::Empty(e) => e,
                Event::End(e) => {
                    match e.local_name().into_inner() {
                        "abstractNum" => abstract_id = None,
                        "lvl" => {
                            if let (Some(a), Some((l, lvl))) = (abstract_id, level.take()) {
                                numbering.abstracts.entry(a).or_default().insert(l, lvl);
                            }
                        }
                        "num" => {
                            if let Some((id, n)) = num.take() {
                                numbering.nums.insert(id, n);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            match local_name(e) {
                "abstractNum" => {
                    abstract_id = attr(e, "abstractNumId").and_then(|v| v.parse().ok())
                }
                // A level redefined inside a num's override is not the abstract's.
                "lvl" if num.is_none() => {
                    level = attr(e, "ilvl")
                        .and_then(|v| v.parse().ok())
                        .map(|l| (l, Level::default()));
                }
                "start" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.start = number(e).unwrap_or(0);
                    }
                }
                "numFmt" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.format = val(e).unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.text = val(e).unwrap_or_default();
                    }
                }
                "pStyle" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.style = val(e);
                    }
                }
                "isLgl" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.legal = on(e);
                    }
                }
                "num" => {
                    num = attr(e, "numId")
                        .and_then(|v| v.parse().ok())
                        .map(|id| (id, Num::default()));
                }
                "abstractNumId" => {
                    if let Some((_, n)) = num.as_mut() {
                        n.abstract_id = number(e).unwrap_or(0);
                    }
                }
                "lvlOverride" => override_level = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                "startOverride" => {
                    if let (Some((_, n)), Some(l), Some(start)) =
                        (num.as_mut(), override_level, number(e))
                    {
                        n.restarts.push((l, start));
                    }
                }
                _ => {}
            }
        }
        Ok(numbering)
    }

    fn level_for_style(&self, num_id: u32, style: &str) -> Option<u8> {
        let num = self.nums.get(&num_id)?;
        self.abstracts
            .get(&num.abstract_id)?
            .iter()
            .find(|(_, l)| l.style.as_deref() == Some(style))
            .map(|(n, _)| *n)
    }
}

/// How a numbered paragraph shows its number.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Bullet,
    /// `label` as Word shows it; `plain` when it is "N." alone at its level,
    /// which a Markdown ordered list shows the same.
    Numbered {
        label: String,
        plain: Option<u32>,
    },
}

/// Word numbers lists sharing an abstract definition as one sequence.
#[derive(Debug, Default)]
struct Counters {
    values: HashMap<(u32, u8), u32>,
    restarts: HashMap<(u32, u8), u32>,
    used: HashSet<u32>,
}

impl Counters {
    fn advance(&mut self, numbering: &Numbering, num_id: u32, ilvl: u8) -> Option<Item> {
        let num = numbering.nums.get(&num_id)?;
        let abs = &num.abstract_id;
        let levels = numbering.abstracts.get(abs)?;
        let level = levels.get(&ilvl)?;
        if self.used.insert(num_id) {
            for (l, start) in &num.restarts {
                self.restarts.insert((*abs, *l), *start);
            }
        }
        let value = match self.restarts.remove(&(*abs, ilvl)) {
            Some(start) => start,
            None => self
                .values
                .get(&(*abs, ilvl))
                .map_or(level.start, |v| v.saturating_add(1)),
        };
        self.values.insert((*abs, ilvl), value);
        self.values.retain(|(a, l), _| *a != *abs || *l <= ilvl);
        if level.format == "bullet" {
            return Some(Item::Bullet);
        }
        let mut label = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = chars
                .peek()
                .and_then(|d| d.to_digit(10))
                .filter(|d| c == '%' && (1..=9).contains(d));
            match placeholder {
                Some(d) => {
                    chars.next();
                    let l = (d - 1) as u8;
                    let of = levels.get(&l);
                    let n = self
                        .values
                        .get(&(*abs, l))
                        .copied()
                        .unwrap_or_else(|| of.map_or(1, |o| o.start));
                    let format = match of {
                        _ if level.legal => "decimal",
                        Some(o) => o.format.as_str(),
                        None => "decimal",
                    };
                    label.push_str(&format_number(n, format));
                }
                None => label.push(c),
            }
        }
        let label = label.trim().to_string();
        if label.is_empty() {
            return None;
        }
        let plain =
            (level.format == "decimal" && level.text == format!("%{}.", ilvl + 1)).then_some(value);
        Some(Item::Numbered { label, plain })
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "none" => String::new(),
        "decimalZero" => format!("{n:02}"),
        "lowerLetter" => letters(n),
        "upperLetter" => letters(n).to_uppercase(),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

/// 1 → a, 26 → z, 27 → aa, as Word counts.
fn letters(n: u32) -> String {
    let Some(k) = n.checked_sub(1) else {
        return n.to_string();
    };
    let letter = char::from(b'a' + (k % 26) as u8);
    std::iter::repeat_n(letter, (k / 26 + 1).min(100) as usize).collect()
}

fn roman(mut n: u32) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let mut out = String::new();
    for (value, digits) in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[derive(Debug, Default)]
struct Run {
    text: String,
    style: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    hidden: bool,
}

#[derive(Debug, Default)]
struct Paragraph {
    style: Option<String>,
    num: NumRef,
    outline: Option<u8>,
    /// Visible text with its emphasis; `\n` is a line break.
    spans: Vec<(String, bool, bool)>,
}

impl Paragraph {
    fn plain_text(&self) -> String {
        let text: String = self.spans.iter().map(|(t, _, _)| t.as_str()).collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn markdown(&self) -> String {
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
fn escape(text: &str) -> String {
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
fn escape_line_start(line: &str) -> String {
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
struct Markdown {
    text: String,
    /// The nesting of the last line when it was a list item.
    list_depth: Option<usize>,
}

impl Markdown {
    fn block(&mut self, line: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.text.push('\n');
        self.list_depth = None;
    }

    fn item(&mut self, level: u8, marker: &str, line: &str) {
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
type Counter = fn(&mut LeftOut) -> &mut usize;

fn left_out_kind(name: &str) -> Option<Option<Counter>> {
    Some(match name {
        "tbl" => Some(|l| &mut l.tables),
        "drawing" | "pict" | "object" | "AlternateContent" => Some(|l| &mut l.images),
        "oMath" | "oMathPara" => Some(|l| &mut l.equations),
        // Earlier formatting kept by revisions, and section layout.
        "pPrChange" | "rPrChange" | "sectPr" | "tblPrChange" | "numberingChange" => None,
        _ => return None,
    })
}

const TRACKED: &[&str] = &["ins", "del", "moveFrom", "moveTo"];

struct Converter<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    counters: Counters,
    out: Markdown,
    left_out: LeftOut,
}

impl Converter<'_> {
    fn run(mut self, xml: &str) -> Result<Converted, DocxError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut skip = 0usize;
        let mut paragraph: Option<Paragraph> = None;
        let mut run: Option<Run> = None;
        let (mut in_ppr, mut in_rpr, mut in_text) = (false, false, false);
        let mut contents_follow = false;
        loop {
            let event = reader.read_event().map_err(damaged)?;
            let (e, empty) = match &event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    match e.local_name().into_inner() {
                        "p" => {
                            if let Some(p) = paragraph.take() {
                                self.paragraph(p);
                            }
                        }
                        "pPr" => in_ppr = false,
                        "rPr" => in_rpr = false,
                        "t" => in_text = false,
                        "r" => {
                            if let (Some(r), Some(p)) = (run.take(), paragraph.as_mut()) {
                                self.add_run(p, r);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                Event::Text(t) if skip == 0 && in_text => {
                    if let Some(r) = run.as_mut() {
                        r.text.push_str(&t.xml10_content());
                    }
                    continue;
                }
                Event::CData(t) if skip == 0 && in_text => {
                    if let Some(r) = run.as_mut() {
                        r.text.push_str(t);
                    }
                    continue;
                }
                Event::GeneralRef(r) if skip == 0 && in_text => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten().map(String::from)
                    } else {
                        quick_xml::escape::resolve_predefined_entity(r).map(String::from)
                    };
                    if let (Some(run), Some(c)) = (run.as_mut(), c) {
                        run.text.push_str(&c);
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let name = local_name(e);
            // Checked even inside what is left out: an accepted table would
            // bring its changes back.
            if TRACKED.contains(&name) {
                return Err(DocxError::TrackedChanges);
            }
            if skip > 0 {
                skip += usize::from(!empty);
                continue;
            }
            if let Some(kind) = left_out_kind(name) {
                if let Some(count) = kind {
                    *count(&mut self.left_out) += 1;
                }
                skip = usize::from(!empty);
                continue;
            }
            let in_run = run.is_some() && !in_rpr;
            match name {
                "p" if !empty => paragraph = Some(Paragraph::default()),
                "pPr" => in_ppr = !empty,
                "rPr" => in_rpr = !empty,
                "r" if !empty => run = Some(Run::default()),
                "t" => in_text = !empty && run.is_some(),
                "docPartGallery" => {
                    contents_follow = val(e).is_some_and(|v| v.contains("Table of Contents"));
                }
                "sdtContent" if contents_follow => {
                    contents_follow = false;
                    self.left_out.contents += 1;
                    skip = usize::from(!empty);
                }
                "footnoteReference" | "endnoteReference" => self.left_out.footnotes += 1,
                "commentReference" => self.left_out.comments += 1,
                _ => {}
            }
            if let Some(p) = paragraph.as_mut().filter(|_| in_ppr && !in_rpr) {
                match name {
                    "pStyle" => p.style = val(e),
                    "numId" => p.num.id = number(e),
                    "ilvl" => p.num.level = number(e),
                    "outlineLvl" => p.outline = number(e),
                    _ => {}
                }
            }
            if let Some(r) = run.as_mut().filter(|_| in_rpr) {
                match name {
                    "rStyle" => r.style = val(e),
                    "b" => r.bold = Some(on(e)),
                    "i" => r.italic = Some(on(e)),
                    "vanish" => r.hidden = on(e),
                    _ => {}
                }
            }
            if let Some(r) = run.as_mut().filter(|_| in_run) {
                match name {
                    "tab" => r.text.push('\t'),
                    "br" if matches!(attr(e, "type").as_deref(), Some("page" | "column")) => {
                        r.text.push(' ');
                    }
                    "br" | "cr" => r.text.push('\n'),
                    "noBreakHyphen" => r.text.push('-'),
                    _ => {}
                }
            }
        }
        Ok(Converted {
            markdown: self.out.text,
            left_out: self.left_out,
        })
    }

    fn add_run(&self, p: &mut Paragraph, r: Run) {
        if r.hidden || r.text.is_empty() {
            return;
        }
        let (style_bold, style_italic) = self.styles.emphasis(r.style.as_deref());
        let bold = r.bold.or(style_bold).unwrap_or(false);
        let italic = r.italic.or(style_italic).unwrap_or(false);
        p.spans.push((r.text, bold, italic));
    }

    fn paragraph(&mut self, p: Paragraph) {
        let style = p.style.as_deref();
        let role = match (p.outline, self.styles.role(style)) {
            (_, Role::Contents) => Role::Contents,
            (Some(l), _) if l < 9 => Role::Heading(l + 1),
            (_, role) => role,
        };
        if role == Role::Contents {
            self.left_out.contents = 1;
            return;
        }
        let item = self.item(&p);
        let label = match &item {
            Some(Item::Numbered { label, .. }) => format!("{label} "),
            _ => String::new(),
        };
        match role {
            Role::Title | Role::Heading(1..=6) => {
                let text = p.plain_text();
                if text.is_empty() {
                    return;
                }
                let hashes = match role {
                    Role::Heading(n) => "#".repeat(usize::from(n)),
                    _ => "#".to_string(),
                };
                self.out.block(&format!("{hashes} {label}{text}"));
            }
            // Below what Markdown can express: kept as a line of bold text.
            Role::Heading(_) => {
                let text = p.plain_text();
                if !text.is_empty() {
                    self.out
                        .block(&format!("**{}**", escape_line_start(&escape(&text))));
                }
            }
            Role::Body | Role::Contents => {
                let text = p.markdown();
                if text.is_empty() {
                    return;
                }
                let level = p.num.level.unwrap_or(0);
                match item {
                    Some(Item::Bullet) => self.out.item(level, "- ", &text),
                    Some(Item::Numbered { plain: Some(n), .. }) => {
                        self.out.item(level, &format!("{n}. "), &text)
                    }
                    Some(Item::Numbered { label, .. }) => self
                        .out
                        .block(&format!("{} {text}", escape_line_start(&escape(&label)))),
                    None => self.out.block(&text),
                }
            }
        }
    }

    /// The paragraph's list item, advancing its list's counters.
    fn item(&mut self, p: &Paragraph) -> Option<Item> {
        let style = self.styles.num(p.style.as_deref());
        let id = p.num.id.or(style.id).filter(|id| *id != 0)?;
        let level = p
            .num
            .level
            .or(style.level)
            .or_else(|| {
                p.style
                    .as_deref()
                    .and_then(|s| self.numbering.level_for_style(id, s))
            })
            .unwrap_or(0);
        self.counters.advance(self.numbering, id, level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::docx_fixture::*;

    fn convert(body: &str) -> String {
        to_markdown(&docx(body, &english_styles(), Some(NUMBERING)))
            .unwrap()
            .markdown
    }

    #[test]
    fn english_heading_styles_give_the_structure_and_the_title() {
        let md = convert(
            &[
                para("Title", "Protocol on platforms"),
                para("", "Preamble text."),
                para("Heading1", "Chapter I General"),
                para("Heading2", "Article 1 Scope"),
                para("", "Parties shall act."),
            ]
            .concat(),
        );
        assert_eq!(
            md,
            "# Protocol on platforms\n\nPreamble text.\n\n# Chapter I General\n\n\
             ## Article 1 Scope\n\nParties shall act.\n"
        );
        let draft = import::parse(&md, 2).unwrap();
        assert_eq!(draft.title, "Protocol on platforms");
        assert_eq!(draft.provisions[0].key, "art-1");
    }

    #[test]
    fn french_and_german_heading_style_ids_are_headings_without_their_english_names() {
        // Word in French writes id "Titre2" with the built-in name; a file
        // written by other tools may carry only the id, or only an outline level.
        let styles = styles(&[
            ("Titre", "Title", None),
            ("Titre2", "heading 2", None),
            ("berschrift3", "Überschrift 3", None),
            ("Article", "Article du protocole", Some(1)),
        ]);
        let body = [
            para("Titre", "Protocole"),
            para("Titre2", "Article premier — Portée"),
            para("berschrift3", "Absatz"),
            para("Article", "Article 2 Données"),
            para("Undefined", "Texte"),
        ]
        .concat();
        let md = to_markdown(&docx(&body, &styles, None)).unwrap().markdown;
        assert_eq!(
            md,
            "# Protocole\n\n## Article premier — Portée\n\n### Absatz\n\n\
             ## Article 2 Données\n\nTexte\n"
        );
    }

    #[test]
    fn a_style_based_on_a_heading_is_a_heading_and_outline_level_nine_is_body_text() {
        let styles = styles(&[
            ("Heading2", "heading 2", None),
            ("ArticleHeading", "Article heading", None),
            ("Plain", "Plain", Some(9)),
        ])
        .replace(
            "<w:name w:val=\"Article heading\"/>",
            "<w:name w:val=\"Article heading\"/><w:basedOn w:val=\"Heading2\"/>",
        );
        let body = [para("ArticleHeading", "Article 4"), para("Plain", "Text")].concat();
        let md = to_markdown(&docx(&body, &styles, None)).unwrap().markdown;
        assert_eq!(md, "## Article 4\n\nText\n");
    }

    #[test]
    fn bold_and_italic_runs_are_kept_and_markup_characters_are_escaped() {
        let body = format!(
            "<w:p>{}{}{}{}</w:p><w:p>{}</w:p>",
            run("Parties ", ""),
            run("shall", "<w:b/>"),
            run(" act ", ""),
            run("promptly", "<w:i/>"),
            run("# 1. *not* <b>markup</b>", ""),
        );
        let md = convert(&body);
        assert_eq!(
            md,
            "Parties **shall** act *promptly*\n\n\\# 1. \\*not\\* \\<b\\>markup\\</b\\>\n"
        );
        let html = crate::markdown::to_html(&md);
        assert!(html.contains("<strong>shall</strong>") && html.contains("<em>promptly</em>"));
        assert!(
            html.contains("# 1. *not* &lt;b&gt;markup&lt;/b&gt;"),
            "{html}"
        );
    }

    #[test]
    fn bullets_and_numbered_lists_become_markdown_lists_and_letters_stay_letters() {
        let body = [
            para("", "Parties shall:"),
            list_para(2, 0, "publish reports;"),
            list_para(2, 1, "in plain words;"),
            list_para(2, 0, "keep records."),
            para("", "Bullets:"),
            list_para(1, 0, "one"),
            list_para(1, 0, "two"),
            list_para(3, 0, "first lettered"),
            list_para(3, 0, "second lettered"),
        ]
        .concat();
        assert_eq!(
            convert(&body),
            "Parties shall:\n\n1. publish reports;\n    1. in plain words;\n2. keep records.\n\n\
             Bullets:\n\n- one\n- two\n\n(a) first lettered\n\n(b) second lettered\n"
        );
    }

    #[test]
    fn auto_numbered_headings_keep_the_number_that_gives_their_key() {
        let styles = styles(&[("Heading2", "heading 2", None)]).replace(
            "<w:name w:val=\"heading 2\"/>",
            "<w:name w:val=\"heading 2\"/><w:pPr><w:numPr><w:numId w:val=\"4\"/></w:numPr></w:pPr>",
        );
        let body = [
            para("Heading2", "Scope"),
            para("", "a"),
            para("Heading2", "Data"),
            para("", "b"),
        ]
        .concat();
        let md = to_markdown(&docx(&body, &styles, Some(NUMBERING)))
            .unwrap()
            .markdown;
        let draft = import::parse(&md, 2).unwrap();
        let keys: Vec<_> = draft.provisions.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["art-1", "art-2"]);
        assert_eq!(draft.provisions[1].heading, "Data");
    }

    #[test]
    fn tables_images_footnotes_comments_and_hidden_text_are_left_out_and_counted() {
        let body = format!(
            "<w:p>{}<w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:commentReference w:id=\"0\"/></w:r>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r>\
             <w:r><w:drawing><wp:inline><a:t>picture text</a:t></wp:inline></w:drawing></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>REF x</w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>\
             <w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            run("See ", ""),
            run("Article 2", ""),
            para("", "cell text"),
        );
        let converted = to_markdown(&docx(&body, &english_styles(), None)).unwrap();
        assert_eq!(converted.markdown, "See Article 2\n");
        assert_eq!(
            converted.left_out,
            LeftOut {
                tables: 1,
                images: 1,
                footnotes: 1,
                comments: 1,
                ..LeftOut::default()
            }
        );
    }

    #[test]
    fn tracked_changes_are_refused() {
        for change in [
            "<w:ins w:id=\"1\" w:author=\"A\"><w:r><w:t>new</w:t></w:r></w:ins>",
            "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>old</w:delText></w:r></w:del>",
            "<w:moveTo w:id=\"1\" w:author=\"A\"><w:r><w:t>moved</w:t></w:r></w:moveTo>",
            "<w:pPr><w:rPr><w:ins w:id=\"1\" w:author=\"A\"/></w:rPr></w:pPr>",
        ] {
            let body = format!("<w:p>{change}</w:p>");
            assert_eq!(
                to_markdown(&docx(&body, &english_styles(), None)),
                Err(DocxError::TrackedChanges),
                "{change}"
            );
        }
    }

    #[test]
    fn a_zip_that_is_not_a_word_document_is_refused() {
        let odt = zip_of(&[("content.xml", "<office:document/>")]);
        assert_eq!(
            read_upload(&odt, "draft.docx"),
            Err(ImportError::Docx(DocxError::NotWord))
        );
        let truncated = &docx(&para("", "x"), &english_styles(), None)[..60];
        assert!(matches!(
            read_upload(truncated, "draft.docx"),
            Err(ImportError::Docx(DocxError::Damaged(_)))
        ));
        assert_eq!(
            read_upload(b"<html><body>hi</body></html>", "draft.docx"),
            Err(ImportError::Docx(DocxError::NotWord))
        );
        assert_eq!(
            read_upload(OLE_MAGIC, "draft.doc"),
            Err(ImportError::Docx(DocxError::Legacy))
        );
        assert_eq!(
            read_upload(b"## Article 1\ntext\n", "draft.md").map(|c| c.markdown),
            Ok("## Article 1\ntext\n".to_string())
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_without_inflating_it_all() {
        let padding = " ".repeat(MAX_PART_BYTES as usize + 1);
        let body = format!("<w:p>{}</w:p>{padding}", run("x", ""));
        let bomb = docx(&body, &english_styles(), None);
        assert!(bomb.len() < MAX_DRAFT_BYTES, "{}", bomb.len());
        assert_eq!(
            read_upload(&bomb, "bomb.docx"),
            Err(ImportError::Docx(DocxError::TooLarge("word/document.xml")))
        );
    }

    #[test]
    fn numbers_are_written_as_word_writes_them() {
        assert_eq!(letters(1), "a");
        assert_eq!(letters(27), "aa");
        assert_eq!(roman(14), "XIV");
        assert_eq!(format_number(3, "lowerRoman"), "iii");
    }
}
