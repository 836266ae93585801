//! Walking a draft's divisions: which ones enclose a provision, and which
//! headings open before each provision when the text is read in order.

use super::Division;

/// A division as the round page (a stored [`Division`]) or a report (its
/// snapshot copy) holds it.
pub trait Node {
    fn key(&self) -> &str;
    fn parent(&self) -> Option<&str>;
}

impl Node for Division {
    fn key(&self) -> &str {
        &self.key
    }
    fn parent(&self) -> Option<&str> {
        self.parent_key.as_deref()
    }
}

/// The divisions enclosing the one keyed `innermost`, outermost first.
pub fn ancestors<'a, D: Node>(divisions: &'a [D], innermost: Option<&str>) -> Vec<&'a D> {
    let mut chain: Vec<&D> = vec![];
    let mut next = innermost;
    while let Some(key) = next {
        // Stored parents could loop only through bad data; stop rather than spin.
        let Some(d) = divisions.iter().find(|d| d.key() == key) else {
            break;
        };
        if chain.iter().any(|c| c.key() == key) {
            break;
        }
        chain.push(d);
        next = d.parent();
    }
    chain.reverse();
    chain
}

/// For each provision (given by its innermost division's key), the divisions
/// whose headings come just before it: those it is in and the provision
/// before it was not.
pub fn openings<'a, 'k, D: Node>(
    divisions: &'a [D],
    provisions: impl IntoIterator<Item = Option<&'k str>>,
) -> Vec<Vec<&'a D>> {
    let mut previous: Vec<&D> = vec![];
    provisions
        .into_iter()
        .map(|innermost| {
            let chain = ancestors(divisions, innermost);
            let shared = chain
                .iter()
                .zip(&previous)
                .take_while(|(a, b)| a.key() == b.key())
                .count();
            let opened = chain[shared..].to_vec();
            previous = chain;
            opened
        })
        .collect()
}

/// A draft this long or shorter is one page: paging would only add clicks.
pub const MOST_ON_A_PAGE: usize = 15;
/// How many provisions a page holds where no division says where to cut.
const BLOCK: usize = 10;

/// One page of a long draft's round page and form: a division, or a block of
/// provisions where the divisions are too large or missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// What the address names (`?page=ch-2`): the division's key, or the
    /// key of what it is a block of with its number (`p-3`, `ch-4-2`).
    pub key: String,
    /// Whether `key` is a division's.
    pub division: bool,
    /// The provisions it holds, by their position in the draft.
    pub provisions: std::ops::Range<usize>,
}

/// Cuts a draft (each provision given by its innermost division's key) into
/// pages of at most about [`MOST_ON_A_PAGE`] provisions: the outermost
/// divisions that are small enough, going down a level only inside those that
/// are not, and blocks of about ten where there is no level left. A draft of
/// [`MOST_ON_A_PAGE`] provisions or fewer is one page, divisions or not.
pub fn pages<'k, D: Node>(
    divisions: &[D],
    provisions: impl IntoIterator<Item = Option<&'k str>>,
) -> Vec<Page> {
    let chains: Vec<Vec<&str>> = provisions
        .into_iter()
        .map(|innermost| {
            ancestors(divisions, innermost)
                .into_iter()
                .map(Node::key)
                .collect()
        })
        .collect();
    let mut out = vec![];
    if chains.len() <= MOST_ON_A_PAGE {
        out.push(Page {
            key: "all".into(),
            division: false,
            provisions: 0..chains.len(),
        });
    } else {
        split(&chains, 0..chains.len(), 0, None, &mut out);
    }
    out
}

fn split(
    chains: &[Vec<&str>],
    range: std::ops::Range<usize>,
    depth: usize,
    parent: Option<&str>,
    out: &mut Vec<Page>,
) {
    let mut start = range.start;
    while start < range.end {
        let key = chains[start].get(depth).copied();
        let end = (start..range.end)
            .find(|&i| chains[i].get(depth).copied() != key)
            .unwrap_or(range.end);
        match key {
            Some(k) if end - start > MOST_ON_A_PAGE => {
                split(chains, start..end, depth + 1, Some(k), out)
            }
            Some(k) => push(out, k.to_string(), true, start..end),
            None => blocks(out, parent, start..end),
        }
        start = end;
    }
}

/// Provisions with no smaller division to cut them by: one page when they
/// fit, otherwise blocks of about [`BLOCK`], evenly sized.
fn blocks(out: &mut Vec<Page>, parent: Option<&str>, range: std::ops::Range<usize>) {
    let len = range.len();
    if len <= MOST_ON_A_PAGE
        && let Some(parent) = parent
    {
        return push(out, parent.to_string(), true, range);
    }
    let count = len.div_ceil(BLOCK);
    let base = parent.unwrap_or("p");
    for i in 0..count {
        let from = range.start + len * i / count;
        let to = range.start + len * (i + 1) / count;
        push(out, format!("{base}-{}", i + 1), false, from..to);
    }
}

fn push(out: &mut Vec<Page>, key: String, division: bool, provisions: std::ops::Range<usize>) {
    // A division interrupted by its subdivisions comes back as a second
    // run; it gets an address of its own.
    let mut unique = key.clone();
    let mut n = 1;
    while out.iter().any(|p| p.key == unique) {
        n += 1;
        unique = format!("{key}-{n}");
    }
    out.push(Page {
        division: division && unique == key,
        key: unique,
        provisions,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    struct D(&'static str, Option<&'static str>);
    impl Node for D {
        fn key(&self) -> &str {
            self.0
        }
        fn parent(&self) -> Option<&str> {
            self.1
        }
    }

    #[test]
    fn headings_open_once_before_the_first_provision_inside_them() {
        let divisions = [
            D("part-1", None),
            D("ch-1", Some("part-1")),
            D("ch-2", Some("part-1")),
            D("annex-i", None),
        ];
        let opened: Vec<Vec<&str>> = openings(
            &divisions,
            [
                None,
                Some("ch-1"),
                Some("ch-1"),
                Some("ch-2"),
                Some("annex-i"),
            ],
        )
        .into_iter()
        .map(|o| o.into_iter().map(|d| d.0).collect())
        .collect();
        assert_eq!(
            opened,
            [
                vec![],
                vec!["part-1", "ch-1"],
                vec![],
                vec!["ch-2"],
                vec!["annex-i"]
            ]
        );
    }
    fn keys(divisions: &[D], provisions: &[Option<&str>]) -> Vec<(String, usize)> {
        pages(divisions, provisions.iter().copied())
            .into_iter()
            .map(|p| (p.key, p.provisions.len()))
            .collect()
    }

    #[test]
    fn a_short_draft_is_one_page_divisions_or_not() {
        let divisions = [D("ch-1", None), D("ch-2", None)];
        let flat = [None; 15];
        assert_eq!(keys(&divisions, &flat), [("all".to_string(), 15)]);
        let divided = [Some("ch-1"), Some("ch-1"), Some("ch-2")];
        assert_eq!(keys(&divisions, &divided), [("all".to_string(), 3)]);
    }

    #[test]
    fn a_long_flat_draft_is_cut_in_even_blocks_of_about_ten() {
        let got = keys(&[], &[None; 42]);
        assert_eq!(
            got,
            [("p-1", 8), ("p-2", 8), ("p-3", 9), ("p-4", 8), ("p-5", 9)]
                .map(|(k, n)| (k.to_string(), n))
        );
    }

    #[test]
    fn large_divisions_are_cut_by_their_subdivisions_or_in_blocks() {
        let divisions = [
            D("part-1", None),
            D("ch-1", Some("part-1")),
            D("ch-2", Some("part-1")),
            D("ch-3", None),
            D("annex-i", None),
        ];
        let mut provisions = vec![None, None];
        provisions.extend([Some("ch-1"); 12]);
        provisions.extend([Some("part-1"); 2]);
        provisions.extend([Some("ch-2"); 9]);
        provisions.extend([Some("ch-3"); 30]);
        provisions.push(Some("annex-i"));
        let got = keys(&divisions, &provisions);
        assert_eq!(
            got,
            [
                ("p-1", 2),
                ("ch-1", 12),
                ("part-1", 2),
                ("ch-2", 9),
                ("ch-3-1", 10),
                ("ch-3-2", 10),
                ("ch-3-3", 10),
                ("annex-i", 1)
            ]
            .map(|(k, n)| (k.to_string(), n))
        );
    }
}
