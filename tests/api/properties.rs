//! Property tests of what parses outside input and of the arithmetic of
//! reports: the Markdown draft importer, the submission form, the
//! registration fields and the figures. Arbitrary input must give a value
//! or a named error, never a panic; honest input must come back intact.

use polyphony::accounts::fields::{Email, ProfileForm, RegistrationForm, check_password};
use polyphony::codes::{Locale, StakeholderGroup};
use polyphony::db::{DraftVersionId, ProvisionId};
use polyphony::drafts::Provision;
use polyphony::drafts::import::{self, ImportError};
use polyphony::reports::figures::{self, ConsensusLabel, CountRow};
use polyphony::rounds::Attribution;
use polyphony::submissions::form::{self, Action};
use polyphony::submissions::{Disclosure, MAX_COMMENT, Stance};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

fn both_catalogs_have(key: &str) -> bool {
    [Locale::En, Locale::Fr]
        .iter()
        .all(|&l| polyphony::i18n::has_key(l, key))
}

// ---- the Markdown draft importer -------------------------------------------

/// Text made mostly of what the importer looks at: headings of every level,
/// anchors, numbers, fences, blank lines, and some arbitrary characters.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("### ".to_string()),
        Just("####### ".to_string()),
        Just("##".to_string()),
        Just("#\t".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("```".to_string()),
        Just("~~~".to_string()),
        Just("{#".to_string()),
        Just("}".to_string()),
        Just("{#art-1}".to_string()),
        Just("{#Bad Key}".to_string()),
        Just("Article ".to_string()),
        Just("Art. ".to_string()),
        Just("Recommandation ".to_string()),
        Just("Préambule ".to_string()),
        Just("1.2".to_string()),
        Just("3.".to_string()),
        Just("IV ".to_string()),
        Just(" — ".to_string()),
        Just("text ".to_string()),
        "[a-z0-9 .:)—-]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ];
    let pieces = prop::collection::vec(piece, 0..60).prop_map(|parts| parts.concat());
    let line = (
        prop::sample::select(vec![
            "", "", "", "", "# ", "## ", "## ", "## ", "### ", "##", "```", "~~~ ",
        ]),
        prop::sample::select(vec![
            "",
            "Article 1",
            "Article 2 —",
            "Art. 3",
            "Recommandation 1.2:",
            "Préambule",
            "4.",
            "IV",
            "Section x",
            "Chapter 10)",
        ]),
        prop_oneof![
            "[a-zé ]{0,12}",
            any::<String>().prop_map(|s| s.chars().take(4).collect())
        ],
        prop::sample::select(vec![
            "",
            "",
            "",
            "",
            " {#a}",
            " {#b-1}",
            " {#Bad Key}",
            " {#}",
            "{#x",
            " ##",
        ]),
    )
        .prop_map(|(prefix, label, text, anchor)| format!("{prefix}{label} {text}{anchor}"));
    let lines = (
        prop::collection::vec(line, 0..30),
        prop::sample::select(vec!["\n", "\r\n", "\n\n"]),
    )
        .prop_map(|(lines, end)| lines.join(end));
    prop_oneof![pieces, lines]
}

fn check_parsed(markdown: &str, level: u8) {
    match import::parse(markdown, level) {
        Ok(draft) => {
            assert!(!draft.provisions.is_empty());
            let keys: BTreeSet<&str> = draft.provisions.iter().map(|p| p.key.as_str()).collect();
            assert_eq!(keys.len(), draft.provisions.len(), "keys are unique");
            for p in &draft.provisions {
                assert!(import::valid_key(&p.key), "{:?}", p.key);
                assert!(
                    !p.body.is_empty() && p.body == p.body.trim(),
                    "{:?}",
                    p.body
                );
            }
        }
        Err(e) => {
            assert!(
                both_catalogs_have(e.message_key()),
                "{e:?} has no translated message"
            );
            assert!(!e.to_string().is_empty());
        }
    }
}

#[derive(Debug, Clone)]
struct GeneratedProvision {
    key: String,
    heading: String,
    body: String,
}

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-zÀ-ÿ0-9’',;()]{1,10}", 1..max).prop_map(|w| w.join(" "))
}

/// Body lines that are not headings or fences; sometimes a sub-heading or a
/// fenced block holding what would otherwise start a provision.
fn body() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => words(12),
        1 => words(4).prop_map(|w| format!("### {w}")),
        1 => words(4).prop_map(|w| format!("```\n## {w}\n```")),
        1 => words(6).prop_map(|w| format!("- {w}")),
        1 => Just(String::new()),
    ];
    (words(10), prop::collection::vec(line, 0..6)).prop_map(|(first, rest)| {
        let mut lines = vec![first];
        lines.extend(rest);
        lines.join("\n").trim().to_string()
    })
}

fn provisions() -> impl Strategy<Value = Vec<GeneratedProvision>> {
    prop::collection::btree_set("[a-z][a-z0-9.-]{0,10}", 1..8).prop_flat_map(|keys| {
        let keys: Vec<String> = keys.into_iter().collect();
        let n = keys.len();
        (
            Just(keys),
            prop::collection::vec(words(6).prop_map(|w| format!("Heading {w}")), n),
            prop::collection::vec(body(), n),
        )
            .prop_map(|(keys, headings, bodies)| {
                keys.into_iter()
                    .zip(headings)
                    .zip(bodies)
                    .map(|((key, heading), body)| GeneratedProvision { key, heading, body })
                    .collect()
            })
    })
}

fn render(title: &str, preamble: &str, provisions: &[GeneratedProvision]) -> String {
    let mut out = format!("# {title}\n\n{preamble}\n\n");
    for p in provisions {
        out.push_str(&format!(
            "## {} {{#{}}}\n\n{}\n\n",
            p.heading, p.key, p.body
        ));
    }
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_importer_never_panics_and_its_keys_are_unique_and_valid(markdown in markdownish(), level in prop_oneof![Just(2u8), 0u8..8]) {
        check_parsed(&markdown, level);
    }

    #[test]
    fn the_importer_takes_any_text_and_any_bytes(text in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..200), level in 1u8..=6) {
        check_parsed(&text, level);
        match import::decode(&bytes) {
            Ok(text) => {
                prop_assert!(!text.contains('\0'));
                check_parsed(text, level);
            }
            Err(e) => prop_assert_eq!(e, ImportError::NotUtf8),
        }
    }

    #[test]
    fn provisions_round_trip_through_markdown(title in words(6), preamble in words(20), provisions in provisions()) {
        let markdown = render(&title, &preamble, &provisions);
        let draft = import::parse(&markdown, 2).unwrap();
        prop_assert_eq!(&draft.title, &title);
        prop_assert_eq!(&draft.preamble, &preamble);
        prop_assert_eq!(draft.provisions.len(), provisions.len());
        for (parsed, made) in draft.provisions.iter().zip(&provisions) {
            prop_assert_eq!(&parsed.key, &made.key);
            prop_assert_eq!(&parsed.heading, &made.heading);
            prop_assert_eq!(&parsed.body, &made.body);
        }
        // Parsing what was parsed, written out again, changes nothing.
        let again: Vec<GeneratedProvision> = draft.provisions.iter().map(|p| GeneratedProvision {
            key: p.key.clone(), heading: p.heading.clone(), body: p.body.clone() }).collect();
        let twice = import::parse(&render(&draft.title, &draft.preamble, &again), 2).unwrap();
        prop_assert_eq!(twice, draft);
    }

    #[test]
    fn numbered_headings_give_their_keys(numbers in prop::collection::btree_set(1u32..500, 1..10), heading in words(5)) {
        let markdown: String = numbers.iter().map(|n| format!("## Article {n} — {heading}\nText of {n}.\n")).collect();
        let draft = import::parse(&markdown, 2).unwrap();
        let keys: Vec<String> = draft.provisions.iter().map(|p| p.key.clone()).collect();
        let expected: Vec<String> = numbers.iter().map(|n| format!("art-{n}")).collect();
        prop_assert_eq!(keys, expected);
        for p in &draft.provisions {
            prop_assert!(p.label.starts_with("Article "));
            prop_assert_eq!(&p.heading, &heading);
        }
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_line(provisions in provisions(), pick in any::<prop::sample::Index>()) {
        let mut with_twin = provisions.clone();
        with_twin.push(provisions[pick.index(provisions.len())].clone());
        let markdown = render("T", "P", &with_twin);
        let twin_line = markdown.lines().enumerate().filter(|(_, l)| l.starts_with("## Heading ")).last().unwrap().0 + 1;
        match import::parse(&markdown, 2) {
            Err(ImportError::DuplicateKey { line, key }) => {
                prop_assert_eq!(line, twin_line);
                prop_assert_eq!(&key, &with_twin.last().unwrap().key);
            }
            other => prop_assert!(false, "a duplicate key must be refused: {other:?}"),
        }
    }
}

// ---- the submission form ---------------------------------------------------

const KEYS: [&str; 3] = ["art-1", "art-2", "rec-1.2"];

fn round_provisions() -> Vec<Provision> {
    KEYS.iter()
        .enumerate()
        .map(|(i, k)| Provision {
            id: ProvisionId(i as i64 + 1),
            draft_version_id: DraftVersionId(1),
            ordinal: i as i32 + 1,
            provision_key: k.to_string(),
            label: String::new(),
            heading: String::new(),
            body: "x".into(),
            translated_label: None,
            division_key: None,
            translated_heading: None,
            translated_body: None,
        })
        .collect()
}

/// Field names a browser could send, honest or not.
fn field_name() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(KEYS.to_vec()).prop_map(str::to_string),
        Just("art-99".to_string()),
        Just(String::new()),
        any::<String>(),
    ];
    prop_oneof![
        Just("action".to_string()),
        Just("disclosure".to_string()),
        Just("general_comment".to_string()),
        Just("csrf_token".to_string()),
        (
            prop::sample::select(vec!["stance", "comment", "proposed_text"]),
            key
        )
            .prop_map(|(f, k)| format!("{f}[{k}]")),
        any::<String>(),
    ]
}

fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(Stance::ALL.to_vec()).prop_map(|s| s.as_str().to_string()),
        prop::sample::select(Disclosure::ALL.to_vec()).prop_map(|d| d.as_str().to_string()),
        prop::sample::select(Action::ALL.to_vec()).prop_map(|a| a.as_str().to_string()),
        Just(String::new()),
        any::<String>(),
        Just("x".repeat(MAX_COMMENT + 1)),
    ]
}

#[derive(Debug, Clone)]
struct Answer {
    stance: Option<Stance>,
    comment: String,
    proposed: String,
}

fn answer() -> impl Strategy<Value = Answer> {
    (
        prop::option::of(prop::sample::select(Stance::ALL.to_vec())),
        "[a-zé \r\n.<>&\"']{0,30}",
        "[a-z \n]{0,20}",
    )
        .prop_map(|(stance, comment, proposed)| Answer {
            stance,
            comment,
            proposed,
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_posted_fields_give_a_form_or_a_refusal_never_a_panic(
        pairs in prop::collection::vec((field_name(), field_value()), 0..20),
        chatham in any::<bool>(),
    ) {
        let attribution = if chatham { Attribution::ChathamHouse } else { Attribution::Open };
        match form::parse(&pairs, &round_provisions(), attribution) {
            Ok(parsed) => {
                for key in parsed.input.positions.keys() {
                    prop_assert!(KEYS.contains(&key.as_str()), "unknown provision {key} accepted");
                }
                let fields: BTreeSet<String> = ["general_comment", "disclosure"].iter().map(|s| s.to_string())
                    .chain(KEYS.iter().flat_map(|k| [format!("comment-{k}"), format!("proposed_text-{k}")]))
                    .collect();
                for e in &parsed.errors.0 {
                    prop_assert!(fields.contains(e.field.as_ref()), "error on unknown field {}", e.field);
                    prop_assert!(both_catalogs_have(e.message), "{} untranslated", e.message);
                }
            }
            Err(form::Malformed(why)) => prop_assert!(!why.is_empty()),
        }
    }

    #[test]
    fn an_honest_form_comes_back_as_it_was_typed_in_any_field_order(
        answers in prop::collection::vec(answer(), KEYS.len()),
        general in "[a-z \r\n]{0,40}",
        disclosure in prop::option::of(prop::sample::select(Disclosure::ALL.to_vec())),
        action in prop::sample::select(Action::ALL.to_vec()),
        order in Just((0..3 + 3 * KEYS.len()).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let mut pairs = vec![("action".to_string(), action.as_str().to_string()),
            ("general_comment".to_string(), general.clone()),
            ("disclosure".to_string(), disclosure.map(|d| d.as_str().to_string()).unwrap_or_default())];
        for (key, a) in KEYS.iter().zip(&answers) {
            pairs.push((format!("stance[{key}]"), a.stance.map(|s| s.as_str().to_string()).unwrap_or_default()));
            pairs.push((format!("comment[{key}]"), a.comment.clone()));
            pairs.push((format!("proposed_text[{key}]"), a.proposed.clone()));
        }
        // Browsers send fields in document order, but nothing may depend on it.
        let shuffled: Vec<(String, String)> = order.iter().map(|&i| pairs[i].clone()).collect();
        let parsed = form::parse(&pairs, &round_provisions(), Attribution::Open).unwrap();
        let reparsed = form::parse(&shuffled, &round_provisions(), Attribution::Open).unwrap();
        prop_assert_eq!(&parsed.input, &reparsed.input);
        prop_assert_eq!(parsed.action, action);
        prop_assert_eq!(parsed.input.disclosure, disclosure);
        prop_assert_eq!(&parsed.input.general_comment, &general.replace("\r\n", "\n"));
        for (key, a) in KEYS.iter().zip(&answers) {
            let written = a.stance.is_some() || !a.comment.trim().is_empty() || !a.proposed.trim().is_empty();
            match parsed.input.positions.get(*key) {
                Some(p) => {
                    prop_assert!(written);
                    prop_assert_eq!(p.stance, a.stance);
                    prop_assert_eq!(&p.comment, &a.comment.replace("\r\n", "\n"));
                    prop_assert_eq!(&p.proposed_text, &a.proposed);
                }
                None => prop_assert!(!written, "{key} was written but dropped"),
            }
        }
        let needs_disclosure = matches!(action, Action::Review | Action::Submit) && disclosure.is_none();
        prop_assert_eq!(parsed.errors.is_empty(), !needs_disclosure);
    }
}

// ---- registration fields -----------------------------------------------------

fn text_field() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        Just("   ".to_string()),
        "[a-zA-Z0-9@._+ -]{0,40}",
        Just("x".repeat(81)),
        Just("é".repeat(201)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_registration_form_gives_an_account_or_named_errors(
        email in prop_oneof![text_field(), "[a-z]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}"],
        password in prop_oneof![text_field(), "[a-z ]{12,40}"],
        display_name in text_field(),
        organization in text_field(),
        group in prop_oneof![text_field(), prop::sample::select(StakeholderGroup::ALL.to_vec()).prop_map(|g| g.as_str().to_string())],
        country in prop_oneof![text_field(), prop::sample::select(vec!["FR", "KE", "CA", " fr ", "XX", "fr"]).prop_map(str::to_string)],
        locale in prop_oneof![text_field(), Just("en".to_string()), Just("fr".to_string())],
    ) {
        let form = RegistrationForm {
            email: email.clone(),
            password: password.clone(),
            profile: ProfileForm { display_name: display_name.clone(), organization, stakeholder_group: group, country, locale },
        };
        let known = ["email", "password", "display_name", "organization", "stakeholder_group", "country", "locale"];
        match form.parse() {
            Ok(r) => {
                prop_assert_eq!(r.email.as_str(), email.trim().to_lowercase());
                prop_assert_eq!(&r.password, &password);
                prop_assert_eq!(&r.profile.display_name, display_name.trim());
                let n = r.profile.display_name.chars().count();
                prop_assert!((1..=80).contains(&n));
                prop_assert!(r.profile.organization.chars().count() <= 200);
                prop_assert!(polyphony::accounts::countries::find(r.profile.country).is_some());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors.0 {
                    prop_assert!(known.contains(&e.field.as_ref()), "error on unknown field {}", e.field);
                    prop_assert!(both_catalogs_have(e.message), "{} untranslated", e.message);
                }
            }
        }
    }

    #[test]
    fn an_email_address_parses_to_a_normal_form_or_a_named_error(raw in prop_oneof![any::<String>(), "[ A-Za-z0-9@.+_-]{0,30}"]) {
        match Email::parse(&raw) {
            Ok(email) => {
                let s = email.as_str();
                prop_assert_eq!(s, s.trim().to_lowercase());
                prop_assert!(s.len() <= 254 && s.contains('@'));
                prop_assert_eq!(Email::parse(s).unwrap(), email.clone(), "parsing is idempotent");
            }
            Err(key) => prop_assert!(both_catalogs_have(key), "{key}"),
        }
    }

    #[test]
    fn password_rules_follow_the_length_in_characters(password in any::<String>(), email in "[a-z]{1,5}@x\\.org") {
        let n = password.chars().count();
        match check_password(&password, &email) {
            Ok(()) => prop_assert!((12..=128).contains(&n)),
            Err("field-password-short") => prop_assert!(n < 12),
            Err("field-password-long") => prop_assert!(n > 128),
            Err(other) => {
                prop_assert_eq!(other, "field-password-common");
                prop_assert!((12..=128).contains(&n));
            }
        }
    }
}

// ---- the figures of a report --------------------------------------------------

const FIGURE_KEYS: [&str; 3] = ["art-1", "art-2", "art-3"];

/// One counted submission: its snapshot of group and verification, and a
/// stance on every provision (unanswered ones count as "no position").
#[derive(Debug, Clone)]
struct Submission {
    group: StakeholderGroup,
    verified: bool,
    stances: Vec<Stance>,
}

fn submissions() -> impl Strategy<Value = Vec<Submission>> {
    let one = (
        prop::sample::select(StakeholderGroup::ALL.to_vec()),
        any::<bool>(),
        prop::collection::vec(
            prop::sample::select(Stance::ALL.to_vec()),
            FIGURE_KEYS.len(),
        ),
    )
        .prop_map(|(group, verified, stances)| Submission {
            group,
            verified,
            stances,
        });
    prop::collection::vec(one, 0..60)
}

/// What the GROUP BY query returns for these submissions, its rows in the
/// order the submissions first produced them.
fn grouped(subs: &[Submission]) -> Vec<CountRow> {
    let mut order: Vec<(String, StakeholderGroup, bool, Stance)> = vec![];
    let mut counts: BTreeMap<(String, StakeholderGroup, bool, Stance), i64> = BTreeMap::new();
    for s in subs {
        for (key, stance) in FIGURE_KEYS.iter().zip(&s.stances) {
            let k = (key.to_string(), s.group, s.verified, *stance);
            if !counts.contains_key(&k) {
                order.push(k.clone());
            }
            *counts.entry(k).or_default() += 1;
        }
    }
    order
        .into_iter()
        .map(|k| CountRow {
            count: counts[&k],
            provision_key: k.0,
            group: k.1,
            verified: k.2,
            stance: k.3,
        })
        .collect()
}

fn keys() -> Vec<String> {
    FIGURE_KEYS.iter().map(|k| k.to_string()).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn figures_do_not_depend_on_the_order_of_submissions(
        (subs, shuffled) in submissions().prop_flat_map(|s| (Just(s.clone()), Just(s).prop_shuffle())),
        min in 0i64..6,
    ) {
        let first = figures::compute(&keys(), &grouped(&subs), min);
        prop_assert_eq!(&first, &figures::compute(&keys(), &grouped(&shuffled), min));
        // Nor on how the rows are cut: one row per submission gives the same.
        let single: Vec<CountRow> = subs.iter().flat_map(|s| FIGURE_KEYS.iter().zip(&s.stances).map(|(k, st)| CountRow {
            provision_key: k.to_string(), group: s.group, verified: s.verified, stance: *st, count: 1 })).collect();
        prop_assert_eq!(&first, &figures::compute(&keys(), &single, min));
    }

    #[test]
    fn counts_add_up_and_every_figure_follows_the_methodology(subs in submissions(), min in 0i64..6) {
        let all = figures::compute(&keys(), &grouped(&subs), min);
        prop_assert_eq!(all.len(), FIGURE_KEYS.len());
        for (i, f) in all.iter().enumerate() {
            prop_assert_eq!(&f.key, FIGURE_KEYS[i]);
            prop_assert_eq!(f.overall.total(), subs.len() as i64, "every counted submission counts once");
            prop_assert_eq!(f.overall_verified.total(), subs.iter().filter(|s| s.verified).count() as i64);
            for stance in Stance::ALL {
                let by_hand = subs.iter().filter(|s| s.stances[i] == *stance).count() as i64;
                prop_assert_eq!(f.overall.get(*stance), by_hand);
                prop_assert_eq!(f.groups.iter().map(|g| g.counts.get(*stance)).sum::<i64>(), by_hand);
                prop_assert_eq!(f.groups.iter().map(|g| g.verified.get(*stance)).sum::<i64>(), f.overall_verified.get(*stance));
            }
            let present: Vec<StakeholderGroup> = StakeholderGroup::ALL.iter().copied()
                .filter(|g| subs.iter().any(|s| s.group == *g)).collect();
            let listed: Vec<StakeholderGroup> = f.groups.iter().map(|g| g.group).collect();
            prop_assert_eq!(listed, present, "each group that answered, once, in the declared order");
            for g in &f.groups {
                for stance in Stance::ALL {
                    prop_assert!(g.verified.get(*stance) <= g.counts.get(*stance));
                }
                prop_assert_eq!(g.counted_in_balance, g.counts.responses() >= min.max(1));
                match (g.support_share, g.oppose_share) {
                    (Some(s), Some(o)) => {
                        prop_assert!((0.0..=1.0).contains(&s) && (s + o - 1.0).abs() < 1e-9);
                        prop_assert!((s - g.counts.supports() as f64 / g.counts.responses() as f64).abs() < 1e-12);
                    }
                    (None, None) => prop_assert_eq!(g.counts.responses(), 0),
                    other => prop_assert!(false, "one share without the other: {other:?}"),
                }
            }
            let counted: Vec<_> = f.groups.iter().filter(|g| g.counted_in_balance).collect();
            if counted.is_empty() {
                prop_assert_eq!(&f.label, &ConsensusLabel::NotEnoughResponses);
                prop_assert!(f.balanced_support.is_none() && f.consensus_score.is_none());
                continue;
            }
            let mean = counted.iter().map(|g| g.support_share.unwrap()).sum::<f64>() / counted.len() as f64;
            let support = f.balanced_support.unwrap();
            prop_assert!((support - mean).abs() < 1e-9);
            prop_assert!((support + f.balanced_oppose.unwrap() - 1.0).abs() < 1e-9);
            let score = f.consensus_score.unwrap();
            prop_assert!(score > 0.0 && score < 1.0);
            let two_thirds = 2.0 / 3.0 - 1e-9;
            let expected = if counted.iter().all(|g| g.support_share.unwrap() >= two_thirds) {
                ConsensusLabel::Consensus
            } else if support >= two_thirds {
                ConsensusLabel::BroadSupport
            } else if f.balanced_oppose.unwrap() >= two_thirds {
                ConsensusLabel::Opposed
            } else {
                ConsensusLabel::Divided
            };
            prop_assert_eq!(&f.label, &expected);
        }
    }

    #[test]
    fn one_more_support_never_lowers_a_groups_share_or_the_score(subs in submissions(), pick in any::<prop::sample::Index>(), min in 0i64..6) {
        prop_assume!(!subs.is_empty());
        let who = subs[pick.index(subs.len())].clone();
        let mut more = subs.clone();
        more.push(Submission { stances: vec![Stance::Support; FIGURE_KEYS.len()], ..who.clone() });
        let before = figures::compute(&keys(), &grouped(&subs), min);
        let after = figures::compute(&keys(), &grouped(&more), min);
        for (b, a) in before.iter().zip(&after) {
            let share = |f: &figures::ProvisionFigures| f.groups.iter().find(|g| g.group == who.group).and_then(|g| g.support_share);
            prop_assert!(share(a).unwrap() >= share(b).unwrap_or(0.0) - 1e-12);
            let was_counted = b.groups.iter().any(|g| g.group == who.group && g.counted_in_balance);
            if let (Some(sb), Some(sa), true) = (b.consensus_score, a.consensus_score, was_counted) {
                prop_assert!(sa >= sb - 1e-12, "{sb} then {sa}");
            }
        }
    }
}

// ---- the same submissions in another order, through the database ------------

mod through_the_database {
    use crate::helpers::*;
    use serde_json::Value;

    const ROUND: &str = "/consultations/additional-protocol/rounds/1";
    const POST: &str = "/consultations/additional-protocol/rounds/1/submission";
    const CAMPAIGN: &str = "We ask the parties to require every platform to publish how its \
        recommendation systems rank local music films and books in each country every year";

    /// One participant and what they answer.
    struct Answer {
        email: String,
        group: &'static str,
        country: &'static str,
        verified: bool,
        fields: Vec<(&'static str, String)>,
    }

    fn answers() -> Vec<Answer> {
        let groups = [
            ("government", "CA", true),
            ("government", "FR", false),
            ("government", "KE", true),
            ("civil_society", "KE", false),
            ("civil_society", "BR", false),
            ("civil_society", "IN", true),
            ("platform", "US", false),
            ("academia", "FR", false),
        ];
        let stances = ["support", "oppose", "support_with_changes", "no_position"];
        groups
            .iter()
            .enumerate()
            .map(|(i, (group, country, verified))| {
                let mut fields = vec![("disclosure", "anonymous".to_string())];
                for (k, field) in ["stance[art-1]", "stance[art-2]", "stance[art-3]"]
                    .into_iter()
                    .enumerate()
                {
                    fields.push((field, stances[(i * 3 + k * 5) % stances.len()].to_string()));
                }
                if i % 3 == 0 {
                    fields.push(("comment[art-2]", format!("{CAMPAIGN}.")));
                } else {
                    fields.push(("comment[art-1]", format!("Comment number {i}")));
                }
                Answer {
                    email: format!("p{i}@example.org"),
                    group,
                    country,
                    verified: *verified,
                    fields,
                }
            })
            .collect()
    }

    /// The parts of a published report that must not depend on the order in
    /// which the same submissions arrived.
    async fn published_figures(app: &TestApp, reverse: bool) -> Value {
        let mut all = answers();
        if reverse {
            all.reverse();
        }
        for a in &all {
            let b = app
                .participant(&a.email, a.group, a.country, a.verified)
                .await;
            let mut form: Vec<(&str, &str)> = vec![("action", "submit")];
            form.extend(a.fields.iter().map(|(k, v)| (*k, v.as_str())));
            let res = b.submit(ROUND, POST, &form).await;
            assert_eq!(
                res.status(),
                303,
                "{}",
                res.text().await.unwrap_or_default()
            );
        }
        let admin = app.admin().await;
        for (action, fields) in [("close", vec![]), ("publish", vec![("note", "")])] {
            let path = format!("/admin/consultations/additional-protocol/rounds/1/{action}");
            assert_eq!(admin.submit(&path, &path, &fields).await.status(), 303);
        }
        let (status, json) = app.get_text(&format!("{ROUND}/report.json")).await;
        assert_eq!(status, 200);
        let snapshot: Value = serde_json::from_str(&json).unwrap();
        let provisions: Vec<Value> = snapshot["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let mut comments: Vec<String> = snapshot["texts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|t| t["provision_key"] == p["key"])
                    .map(|c| c["comment"].as_str().unwrap().to_string())
                    .collect();
                comments.sort();
                let campaigns: Vec<Value> = p["campaigns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| serde_json::json!([c["count"], c["groups"]]))
                    .collect();
                serde_json::json!({"key": p["key"], "figures": p["figures"], "campaigns": campaigns, "comments": comments})
            })
            .collect();
        serde_json::json!({"participation": snapshot["participation"], "provisions": provisions})
    }

    both_backends! {
        async fn the_report_is_the_same_whatever_order_the_submissions_came_in(app) {
            let other = spawn_app(app.backend).await.expect("a second app");
            let forward = published_figures(&app, false).await;
            let backward = published_figures(&other, true).await;
            assert_eq!(forward, backward);
            // The figures are not trivially empty: the campaign and the counts are there.
            assert_eq!(forward["participation"]["submissions"], 8);
            assert_eq!(forward["participation"]["in_campaigns"], 3);
            assert_eq!(forward["provisions"][1]["campaigns"][0][0], 3);
        }
    }
}
