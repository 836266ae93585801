//! The walk through document.xml.

use super::*;

pub(super) fn left_out_kind(name: &str) -> Option<Option<Counter>> {
    Some(match name {
        "tbl" => Some(|l| &mut l.tables),
        "drawing" | "pict" | "object" | "AlternateContent" => Some(|l| &mut l.images),
        "oMath" | "oMathPara" => Some(|l| &mut l.equations),
        // Earlier formatting kept by revisions, and section layout.
        "pPrChange" | "rPrChange" | "sectPr" | "tblPrChange" | "numberingChange" => None,
        _ => return None,
    })
}

pub(super) const TRACKED: &[&str] = &["ins", "del", "moveFrom", "moveTo"];

pub(super) struct Converter<'a> {
    pub(super) styles: &'a Styles,
    pub(super) numbering: &'a Numbering,
    pub(super) counters: Counters,
    pub(super) out: Markdown,
    pub(super) left_out: LeftOut,
}

impl Converter<'_> {
    pub(super) fn run(mut self, xml: &str) -> Result<Converted, DocxError> {
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

    pub(super) fn add_run(&self, p: &mut Paragraph, r: Run) {
        if r.hidden || r.text.is_empty() {
            return;
        }
        let (style_bold, style_italic) = self.styles.emphasis(r.style.as_deref());
        let bold = r.bold.or(style_bold).unwrap_or(false);
        let italic = r.italic.or(style_italic).unwrap_or(false);
        p.spans.push((r.text, bold, italic));
    }

    pub(super) fn paragraph(&mut self, p: Paragraph) {
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
    pub(super) fn item(&mut self, p: &Paragraph) -> Option<Item> {
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
