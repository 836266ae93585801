//! Detection of mass-comment campaigns: comments whose texts are identical or
//! nearly so are reported once, with how many there were and from which groups.
//!
//! Two comments are similar when the Jaccard similarity of their word
//! 3-shingles reaches the threshold; campaigns are the connected components of
//! that relation. Comparing every pair is out of the question for a million
//! comments, so exact duplicates are collapsed first and near-duplicates are
//! found with MinHash and locality-sensitive hashing over the distinct texts.
//! Every candidate pair is then checked with the exact Jaccard similarity, so
//! a campaign never contains a pair joined by an estimate alone.

use crate::codes::StakeholderGroup;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

pub struct CommentRef {
    pub id: i64,
    pub text: String,
    pub group: StakeholderGroup,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Campaign {
    /// The original text of the member with the lowest id.
    pub text: String,
    /// Comment ids, ascending. Internal only, like every database id of a
    /// text (see reports/privacy.rs).
    #[serde(skip)]
    pub members: Vec<i64>,
    pub count: usize,
    /// In `StakeholderGroup::ALL` order, only groups with members.
    pub groups: Vec<(StakeholderGroup, usize)>,
}

/// MinHash values per text. 16 bands of 4 rows make a pair at Jaccard 0.8 a
/// candidate with probability 1 - (1 - 0.8^4)^16 ≈ 0.9998, and a pair at 0.5
/// one with probability ≈ 0.64, which the exact check then turns away.
const HASHES: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;

/// Fixed so that the same comments always give the same campaigns.
const SEED: u64 = 0x7052_4f4c_5950_484f;

/// With 64 hashes the estimate's standard deviation is at most 0.0625, so a
/// pair whose estimate is this far below the threshold is, in practice, never
/// a true match; skipping its exact check keeps buckets full of
/// boilerplate-sharing comments cheap.
const PREFILTER_MARGIN: f64 = 0.25;

/// Bounds on the work per LSH bucket. A bucket can hold thousands of texts
/// that share boilerplate without being similar; comparing each newcomer with
/// a few members of at most this many components keeps the whole run linear,
/// at the price of rare misses that the other bands usually make up for.
const COMPONENTS_PER_BUCKET: usize = 16;
const MEMBERS_PER_COMPONENT: usize = 2;

/// Shares are ratios of integers; 4 of 5 must count as 0.8.
const EPSILON: f64 = 1e-9;

/// Marks a comment whose normalized text is empty.
const NO_TEXT: u32 = u32::MAX;

/// Lower-cases, turns every character that is not alphanumeric into a space
/// and collapses runs of spaces, so that copies differing only in case,
/// punctuation or spacing become the same string.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        // Tested before lower-casing: some lower-case forms carry combining
        // marks that are not alphanumeric and would split the word.
        let word_char = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if !word_char {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

pub fn detect(comments: &[CommentRef], threshold: f64, min_size: usize) -> Vec<Campaign> {
    let distinct = Distinct::collect(comments);
    let n = distinct.representative.len();
    let family = hash_family();
    let mut signatures = vec![0u32; n * HASHES];
    let mut words = Vec::new();
    for (&i, signature) in distinct
        .representative
        .iter()
        .zip(signatures.chunks_exact_mut(HASHES))
    {
        minhash(
            &normalize(&comments[i].text),
            &family,
            &mut words,
            signature,
        );
    }

    let mut matcher = Matcher {
        comments,
        representative: &distinct.representative,
        signatures: &signatures,
        threshold,
        components: Components::new(n),
    };
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(n);
    for band in 0..BANDS {
        keys.clear();
        keys.extend(
            signatures
                .chunks_exact(HASHES)
                .enumerate()
                .map(|(t, signature)| {
                    (
                        band_key(&signature[band * ROWS..(band + 1) * ROWS]),
                        t as u32,
                    )
                }),
        );
        keys.sort_unstable();
        for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
            if bucket.len() > 1 {
                matcher.join_bucket(bucket.iter().map(|&(_, t)| t));
            }
        }
    }

    let roots: Vec<u32> = (0..n as u32).map(|t| matcher.components.find(t)).collect();
    campaigns(comments, &distinct.of_comment, &roots, min_size)
}

/// The distinct normalized texts, numbered by their lowest comment id so that
/// the outcome does not depend on the order the comments come in.
///
/// A text is kept as the index of its comment with the lowest id and
/// normalized again when needed: holding a normalized copy of every distinct
/// text would double the memory the comments already take.
struct Distinct {
    /// For each distinct text, the index of its comment with the lowest id.
    representative: Vec<usize>,
    /// For each comment, its text's number, or `NO_TEXT`.
    of_comment: Vec<u32>,
}

impl Distinct {
    fn collect(comments: &[CommentRef]) -> Self {
        Self::collect_keyed(comments, |text| hash_bytes(text.as_bytes()))
    }

    /// The key is a parameter so that the tests can force collisions.
    fn collect_keyed(comments: &[CommentRef], key: impl Fn(&str) -> u64) -> Self {
        let mut by_hash: HashMap<u64, u32> = HashMap::new();
        // Texts whose hash is taken by another text: with 64-bit hashes there
        // are practically none, but they must still stay apart.
        let mut collided: HashMap<String, u32> = HashMap::new();
        let mut representative: Vec<usize> = Vec::new();
        let mut of_comment = Vec::with_capacity(comments.len());
        for (i, comment) in comments.iter().enumerate() {
            let text = normalize(&comment.text);
            if text.is_empty() {
                of_comment.push(NO_TEXT);
                continue;
            }
            let next = representative.len() as u32;
            let t = match by_hash.entry(key(&text)) {
                Entry::Vacant(slot) => *slot.insert(next),
                Entry::Occupied(slot) => {
                    let t = *slot.get();
                    if normalize(&comments[representative[t as usize]].text) == text {
                        t
                    } else {
                        *collided.entry(text).or_insert(next)
                    }
                }
            };
            if t == next {
                representative.push(i);
            } else if comment.id < comments[representative[t as usize]].id {
                representative[t as usize] = i;
            }
            of_comment.push(t);
        }

        let mut order: Vec<u32> = (0..representative.len() as u32).collect();
        order.sort_unstable_by_key(|&t| (comments[representative[t as usize]].id, t));
        let mut renumber = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        for t in of_comment.iter_mut().filter(|t| **t != NO_TEXT) {
            *t = renumber[*t as usize];
        }
        Distinct {
            representative: order.iter().map(|&t| representative[t as usize]).collect(),
            of_comment,
        }
    }
}

struct Matcher<'a> {
    comments: &'a [CommentRef],
    representative: &'a [usize],
    signatures: &'a [u32],
    threshold: f64,
    components: Components,
}

/// A component met in the current bucket, with the first few of its members
/// met there.
struct Seen {
    members: [u32; MEMBERS_PER_COMPONENT],
    len: usize,
}

impl Seen {
    fn keep(&mut self, t: u32) {
        if self.len < MEMBERS_PER_COMPONENT {
            self.members[self.len] = t;
            self.len += 1;
        }
    }
}

impl Matcher<'_> {
    fn join_bucket(&mut self, bucket: impl Iterator<Item = u32>) {
        let mut seen: Vec<Seen> = Vec::new();
        for t in bucket {
            let mut placed = false;
            for component in &mut seen {
                let members = &component.members[..component.len];
                let joined = self.components.find(members[0]) == self.components.find(t)
                    || members.iter().any(|&m| self.similar(t, m));
                if joined {
                    self.components.union(t, members[0]);
                    component.keep(t);
                    placed = true;
                }
            }
            if !placed && seen.len() < COMPONENTS_PER_BUCKET {
                seen.push(Seen {
                    members: [t; MEMBERS_PER_COMPONENT],
                    len: 1,
                });
            }
        }
    }

    fn similar(&self, a: u32, b: u32) -> bool {
        let (a, b) = (a as usize, b as usize);
        let sa = &self.signatures[a * HASHES..(a + 1) * HASHES];
        let sb = &self.signatures[b * HASHES..(b + 1) * HASHES];
        let agreeing = sa.iter().zip(sb).filter(|(x, y)| x == y).count();
        if (agreeing as f64 / HASHES as f64) < self.threshold - PREFILTER_MARGIN {
            return false;
        }
        let text = |t: usize| normalize(&self.comments[self.representative[t]].text);
        let (ta, tb) = (text(a), text(b));
        jaccard(&shingles(&ta), &shingles(&tb)) >= self.threshold - EPSILON
    }
}

/// Union-find with union by size and path halving.
struct Components {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Components {
    fn new(n: usize) -> Self {
        Components {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut t: u32) -> u32 {
        while self.parent[t as usize] != t {
            let grandparent = self.parent[self.parent[t as usize] as usize];
            self.parent[t as usize] = grandparent;
            t = grandparent;
        }
        t
    }

    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}

fn campaigns(
    comments: &[CommentRef],
    of_comment: &[u32],
    roots: &[u32],
    min_size: usize,
) -> Vec<Campaign> {
    let mut sizes = vec![0usize; roots.len()];
    for &t in of_comment.iter().filter(|&&t| t != NO_TEXT) {
        sizes[roots[t as usize] as usize] += 1;
    }

    struct Building {
        earliest: usize,
        members: Vec<i64>,
        groups: [usize; StakeholderGroup::ALL.len()],
    }
    let mut building: Vec<Building> = Vec::new();
    let mut slot_of_root: HashMap<u32, usize> = HashMap::new();
    for (i, (comment, &t)) in comments.iter().zip(of_comment).enumerate() {
        if t == NO_TEXT {
            continue;
        }
        let root = roots[t as usize];
        if sizes[root as usize] < min_size {
            continue;
        }
        let slot = *slot_of_root.entry(root).or_insert_with(|| {
            building.push(Building {
                earliest: i,
                members: Vec::with_capacity(sizes[root as usize]),
                groups: [0; StakeholderGroup::ALL.len()],
            });
            building.len() - 1
        });
        let campaign = &mut building[slot];
        if comment.id < comments[campaign.earliest].id {
            campaign.earliest = i;
        }
        campaign.members.push(comment.id);
        // `text_enum!` lists `ALL` in declaration order.
        campaign.groups[comment.group as usize] += 1;
    }

    let mut found: Vec<Campaign> = building
        .into_iter()
        .map(|mut b| {
            b.members.sort_unstable();
            Campaign {
                text: comments[b.earliest].text.clone(),
                count: b.members.len(),
                members: b.members,
                groups: StakeholderGroup::ALL
                    .iter()
                    .zip(b.groups)
                    .filter(|(_, n)| *n > 0)
                    .map(|(&g, n)| (g, n))
                    .collect(),
            }
        })
        .collect();
    found.sort_by_key(|c| (std::cmp::Reverse(c.count), c.members.first().copied()));
    found
}

/// The word 3-shingles of a normalized text, sorted and without repeats. A
/// text of fewer than three words is one shingle, so that short comments
/// ("I agree") still match their copies.
fn shingles(text: &str) -> Vec<&str> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    if starts.len() < 3 {
        return vec![text];
    }
    let mut shingles: Vec<&str> = (0..starts.len() - 2)
        .map(|i| {
            let end = starts.get(i + 3).map_or(text.len(), |next| next - 1);
            &text[starts[i]..end]
        })
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    shingles
}

fn jaccard(a: &[&str], b: &[&str]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// The SplitMix64 finalizer: a cheap, well-mixing bijection on 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = SEED ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    let mut tail = [0u8; 8];
    tail[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    mix(h)
}

fn combine(a: u64, b: u64) -> u64 {
    mix(a.rotate_left(23) ^ b)
}

/// Multiply-add-shift hash functions. Their inputs are already well-mixed
/// 64-bit shingle hashes, so two multiplications per function are enough and
/// far cheaper than a full hash per function.
fn hash_family() -> [(u64, u64); HASHES] {
    let mut state = SEED;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(state)
    };
    std::array::from_fn(|_| (next() | 1, next()))
}

fn minhash(text: &str, family: &[(u64, u64); HASHES], words: &mut Vec<u64>, signature: &mut [u32]) {
    signature.fill(u32::MAX);
    let mut fold = |shingle: u64| {
        for (value, &(a, b)) in signature.iter_mut().zip(family) {
            let h = (a.wrapping_mul(shingle).wrapping_add(b) >> 32) as u32;
            *value = (*value).min(h);
        }
    };
    words.clear();
    words.extend(text.split(' ').map(|w| hash_bytes(w.as_bytes())));
    if words.len() < 3 {
        fold(hash_bytes(text.as_bytes()));
    } else {
        for w in words.windows(3) {
            fold(combine(combine(w[0], w[1]), w[2]));
        }
    }
}

fn band_key(rows: &[u32]) -> u64 {
    rows.iter().fold(SEED, |h, &r| combine(h, u64::from(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use StakeholderGroup::{Academia, CivilSociety, Government, Individual, Platform};

    fn comment(id: i64, text: &str, group: StakeholderGroup) -> CommentRef {
        CommentRef {
            id,
            text: text.to_owned(),
            group,
        }
    }

    fn comments(texts: &[&str]) -> Vec<CommentRef> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| comment(i as i64 + 1, t, Individual))
            .collect()
    }

    /// A small deterministic generator, so synthetic inputs are the same on
    /// every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            (mix(self.0) % n as u64) as usize
        }
    }

    fn vocabulary(size: usize) -> Vec<String> {
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pu"];
        (0..size)
            .map(|i| {
                let mut word = String::new();
                let mut n = i + 10;
                while n > 0 {
                    word.push_str(syllables[n % syllables.len()]);
                    n /= syllables.len();
                }
                word
            })
            .collect()
    }

    fn random_text(rng: &mut Rng, vocabulary: &[String], words: usize) -> Vec<String> {
        (0..words)
            .map(|_| vocabulary[rng.below(vocabulary.len())].clone())
            .collect()
    }

    const FORTY_WORDS: &str = "the draft should require every platform to publish a yearly report \
        on how it moderates content in each language it serves and to give researchers access \
        to the data behind that report under clear privacy safeguards and regular independent audit";

    fn replace_word(text: &str, index: usize, by: &str) -> String {
        let mut words: Vec<&str> = text.split_whitespace().collect();
        words[index] = by;
        words.join(" ")
    }

    fn similarity(a: &str, b: &str) -> f64 {
        let (a, b) = (normalize(a), normalize(b));
        jaccard(&shingles(&a), &shingles(&b))
    }

    #[test]
    fn normalize_lowercases_and_turns_punctuation_and_runs_of_space_into_one_space() {
        assert_eq!(
            normalize("  Hello,   WORLD!! It's  2026\n\t"),
            "hello world it s 2026"
        );
        assert_eq!(normalize("ÉCOLE Straße—Ωmega"), "école straße ωmega");
        assert_eq!(normalize("?!… "), "");
    }

    #[test]
    fn shingles_are_word_triples_and_short_texts_are_one_shingle() {
        assert_eq!(shingles("a b c d"), ["a b c", "b c d"]);
        assert_eq!(shingles("i agree"), ["i agree"]);
        assert_eq!(shingles("x y z x y z"), ["x y z", "y z x", "z x y"]);
    }

    #[test]
    fn jaccard_of_four_in_five_reaches_a_threshold_of_point_eight() {
        let a = ["1", "2", "3", "4", "5"];
        let b = ["1", "2", "3", "4"];
        assert!(jaccard(&a, &b) >= 0.8 - EPSILON);
        assert_eq!(jaccard(&a, &["6"]), 0.0);
    }

    #[test]
    fn copies_differing_in_case_punctuation_and_spacing_form_one_campaign() {
        let input = vec![
            comment(7, "Stop the  filter! Protect free speech.", Platform),
            comment(3, "stop the filter, protect FREE speech", CivilSociety),
            comment(5, "STOP THE FILTER -- protect free speech!!!", CivilSociety),
            comment(
                9,
                "Something else entirely about data retention rules",
                Academia,
            ),
        ];
        let found = detect(&input, 0.8, 2);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members, [3, 5, 7]);
        assert_eq!(found[0].count, 3);
        assert_eq!(found[0].text, "stop the filter, protect FREE speech");
        assert_eq!(found[0].groups, [(Platform, 1), (CivilSociety, 2)]);
    }

    #[test]
    fn a_forty_word_text_with_two_adjacent_words_changed_joins_its_original() {
        let changed = replace_word(&replace_word(FORTY_WORDS, 20, "whenever"), 21, "possible");
        assert!(similarity(FORTY_WORDS, &changed) >= 0.8);
        let found = detect(&comments(&[FORTY_WORDS, &changed]), 0.8, 2);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members, [1, 2]);
    }

    #[test]
    fn a_forty_word_text_with_its_first_and_last_words_changed_joins_its_original() {
        let changed = replace_word(&replace_word(FORTY_WORDS, 0, "this"), 39, "review");
        let found = detect(&comments(&[FORTY_WORDS, &changed]), 0.8, 2);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn two_scattered_changes_in_forty_words_fall_below_point_eight() {
        assert_eq!(FORTY_WORDS.split_whitespace().count(), 40);
        // Each changed word inside the text breaks three shingles, so two
        // leave 32 shared of 44: this is what the threshold means in words.
        let changed = replace_word(&replace_word(FORTY_WORDS, 10, "whenever"), 30, "possible");
        assert!((similarity(FORTY_WORDS, &changed) - 32.0 / 44.0).abs() < 1e-12);
        assert!(detect(&comments(&[FORTY_WORDS, &changed]), 0.8, 2).is_empty());
        assert_eq!(detect(&comments(&[FORTY_WORDS, &changed]), 0.7, 2).len(), 1);
    }

    #[test]
    fn unrelated_texts_are_not_grouped() {
        let input = comments(&[
            FORTY_WORDS,
            "article four should be deleted because it duplicates existing national law",
            "we welcome the transparency obligations but ask for a longer transition period",
            "i agree",
            "i agree strongly",
        ]);
        assert!(detect(&input, 0.8, 2).is_empty());
        assert_eq!(detect(&input, 0.8, 1).len(), 5);
    }

    #[test]
    fn short_texts_match_their_exact_copies() {
        let found = detect(
            &comments(&["I agree.", "i AGREE", "I agree strongly"]),
            0.8,
            2,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members, [1, 2]);
    }

    #[test]
    fn a_component_is_reached_through_a_text_similar_to_both_ends() {
        let a = FORTY_WORDS.to_owned();
        let b = replace_word(&a, 20, "whenever");
        let c = replace_word(&b, 6, "monthly");
        assert!(similarity(&a, &b) >= 0.8);
        assert!(similarity(&b, &c) >= 0.8);
        assert!(similarity(&a, &c) < 0.8);
        let found = detect(&comments(&[&a, &c, &b]), 0.8, 2);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members, [1, 2, 3]);
    }

    #[test]
    fn texts_with_colliding_hashes_stay_distinct() {
        let input = vec![
            comment(4, "second text", Individual),
            comment(2, "first text", Individual),
            comment(3, "Second text!", Individual),
            comment(1, "", Individual),
            comment(5, "third text", Individual),
            comment(6, "FIRST text", Individual),
        ];
        let distinct = Distinct::collect_keyed(&input, |_| 0);
        assert_eq!(distinct.representative, [1, 2, 4]);
        assert_eq!(distinct.of_comment, [1, 0, 1, NO_TEXT, 2, 0]);
    }

    #[test]
    fn empty_texts_are_ignored() {
        let input = comments(&["", "!!!", "   ", "…"]);
        assert!(detect(&input, 0.8, 1).is_empty());
    }

    #[test]
    fn campaigns_come_largest_first_then_by_lowest_member() {
        let input = vec![
            comment(10, "alpha beta gamma delta", Government),
            comment(2, "one two three four", Government),
            comment(11, "alpha beta gamma delta", Government),
            comment(1, "red green blue yellow", Government),
            comment(3, "one two three four", Government),
            comment(12, "red green blue yellow", Government),
            comment(4, "one two three four", Government),
        ];
        let found = detect(&input, 0.8, 2);
        let firsts: Vec<i64> = found.iter().map(|c| c.members[0]).collect();
        assert_eq!(firsts, [2, 1, 10]);
        assert_eq!(found[0].count, 3);
        assert_eq!(detect(&input, 0.8, 3).len(), 1);
    }

    #[test]
    fn the_outcome_does_not_depend_on_run_or_input_order() {
        let mut rng = Rng(1);
        let vocabulary = vocabulary(300);
        let template = random_text(&mut rng, &vocabulary, 30);
        let mut input = Vec::new();
        for id in 0..400 {
            let mut words = template.clone();
            if id % 2 == 0 {
                let at = 1 + rng.below(28);
                words[at] = vocabulary[rng.below(vocabulary.len())].clone();
            } else {
                words = random_text(&mut rng, &vocabulary, 30);
            }
            input.push(comment(id, &words.join(" "), Individual));
        }
        let first = detect(&input, 0.8, 2);
        assert!(!first.is_empty());
        assert_eq!(detect(&input, 0.8, 2), first);
        input.reverse();
        assert_eq!(detect(&input, 0.8, 2), first);
    }

    /// Exact copies of one text with varied case and punctuation, variants of
    /// a second text with one word replaced (each similar to that text, which
    /// is among them), and unrelated texts.
    fn synthetic(size: usize) -> (Vec<CommentRef>, usize, usize) {
        let mut rng = Rng(42);
        let vocabulary = vocabulary(5000);
        let copied = random_text(&mut rng, &vocabulary, 25).join(" ");
        let template = random_text(&mut rng, &vocabulary, 40);
        let (copies, variants) = (size * 15 / 100, size / 10);
        let mut input = Vec::with_capacity(size);
        for id in 0..size as i64 {
            let text = if (id as usize) < copies {
                match id % 3 {
                    0 => copied.to_uppercase(),
                    1 => format!("{copied}!!"),
                    _ => copied.replace(' ', ",  "),
                }
            } else if (id as usize) < copies + variants {
                let mut words = template.clone();
                if id as usize > copies {
                    let at = 1 + rng.below(38);
                    words[at] = vocabulary[rng.below(vocabulary.len())].clone();
                }
                words.join(" ")
            } else {
                let words = 20 + rng.below(60);
                random_text(&mut rng, &vocabulary, words).join(" ")
            };
            input.push(comment(id, &text, StakeholderGroup::ALL[id as usize % 7]));
        }
        // Shuffle so that campaign members are not contiguous.
        for i in (1..input.len()).rev() {
            input.swap(i, rng.below(i + 1));
        }
        (input, copies, variants)
    }

    #[test]
    fn twenty_thousand_comments_give_exactly_the_planted_campaigns() {
        let (input, copies, variants) = synthetic(20_000);
        let found = detect(&input, 0.8, 20);
        let counts: Vec<usize> = found.iter().map(|c| c.count).collect();
        assert_eq!(counts, [copies, variants]);
        assert_eq!(found[0].members, (0..copies as i64).collect::<Vec<_>>());
        let group_total: usize = found[1].groups.iter().map(|(_, n)| n).sum();
        assert_eq!(group_total, variants);
    }

    #[test]
    #[ignore = "timing; run with --release -- --ignored --nocapture"]
    fn two_hundred_thousand_comments_in_a_few_seconds() {
        let (input, copies, variants) = synthetic(200_000);
        let started = std::time::Instant::now();
        let found = detect(&input, 0.8, 20);
        let elapsed = started.elapsed();
        println!("detect on {} comments: {elapsed:?}", input.len());
        let counts: Vec<usize> = found.iter().map(|c| c.count).collect();
        assert_eq!(counts, [copies, variants]);
    }
}
