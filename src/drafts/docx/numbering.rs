//! Word's automatic numbering (numbering.xml), worked out as it displays.

use super::*;

#[derive(Debug, Default, Clone)]
pub(super) struct Level {
    pub(super) start: u32,
    pub(super) format: String,
    pub(super) text: String,
    pub(super) style: Option<String>,
    pub(super) legal: bool,
}

#[derive(Debug, Default)]
pub(super) struct Numbering {
    pub(super) abstracts: HashMap<u32, HashMap<u8, Level>>,
    pub(super) nums: HashMap<u32, Num>,
}

/// A list instance: its abstract definition, and the levels it restarts.
#[derive(Debug, Default)]
pub(super) struct Num {
    pub(super) abstract_id: u32,
    pub(super) restarts: Vec<(u8, u32)>,
}

impl Numbering {
    pub(super) fn parse(xml: &str) -> Result<Self, DocxError> {
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

    pub(super) fn level_for_style(&self, num_id: u32, style: &str) -> Option<u8> {
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
pub(super) enum Item {
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
pub(super) struct Counters {
    pub(super) values: HashMap<(u32, u8), u32>,
    pub(super) restarts: HashMap<(u32, u8), u32>,
    pub(super) used: HashSet<u32>,
}

impl Counters {
    pub(super) fn advance(&mut self, numbering: &Numbering, num_id: u32, ilvl: u8) -> Option<Item> {
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

pub(super) fn format_number(n: u32, format: &str) -> String {
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
pub(super) fn letters(n: u32) -> String {
    let Some(k) = n.checked_sub(1) else {
        return n.to_string();
    };
    let letter = char::from(b'a' + (k % 26) as u8);
    std::iter::repeat_n(letter, (k / 26 + 1).min(100) as usize).collect()
}

pub(super) fn roman(mut n: u32) -> String {
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
