//! Which paragraphs are headings: Word's styles, in any UI language.

use super::*;

/// A numbering reference: which list (`numId`) and which of its levels.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct NumRef {
    pub(super) id: Option<u32>,
    pub(super) level: Option<u8>,
}

#[derive(Debug, Default)]
pub(super) struct Style {
    pub(super) name: String,
    pub(super) based_on: Option<String>,
    pub(super) outline: Option<u8>,
    pub(super) num: NumRef,
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Title,
    Heading(u8),
    Contents,
    Body,
}

/// Style ids Word gives its heading styles in various languages, the digit
/// following: it strips letters outside ASCII, so "Überschrift 1" is
/// `berschrift1` and "Título 1" is `Ttulo1`. The same word alone is the title.
pub(super) const HEADING_IDS: &[&str] = &[
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
pub(super) const TITLE_IDS: &[&str] = &["Title", "Titre", "Titel", "Ttulo", "Titolo"];

#[derive(Debug, Default)]
pub(super) struct Styles(HashMap<String, Style>);

impl Styles {
    pub(super) fn parse(xml: &str) -> Result<Self, DocxError> {
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
    pub(super) fn chain<'a>(
        &'a self,
        id: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a str, &'a Style)> {
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

    pub(super) fn role(&self, id: Option<&str>) -> Role {
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

    pub(super) fn num(&self, id: Option<&str>) -> NumRef {
        let mut num = NumRef::default();
        for (_, style) in self.chain(id) {
            num.id = num.id.or(style.num.id);
            num.level = num.level.or(style.num.level);
        }
        num
    }

    pub(super) fn emphasis(&self, id: Option<&str>) -> (Option<bool>, Option<bool>) {
        let (mut bold, mut italic) = (None, None);
        for (_, style) in self.chain(id) {
            bold = bold.or(style.bold);
            italic = italic.or(style.italic);
        }
        (bold, italic)
    }
}

pub(super) fn role_of(id: &str, style: Option<&Style>) -> Option<Role> {
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
