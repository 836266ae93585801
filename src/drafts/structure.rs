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
}
