//! The documentation follows the product: every configuration key is in the
//! operators' table with its default, and every link leads somewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `section.key` → the default, as `config/default.toml` gives it.
fn configuration_defaults() -> BTreeMap<String, String> {
    use config::Source;
    let text = std::fs::read_to_string("config/default.toml").unwrap();
    let parsed = config::Config::builder()
        .add_source(config::File::from_str(&text, config::FileFormat::Toml))
        .build()
        .unwrap();
    let mut keys = BTreeMap::new();
    for (section, value) in parsed.collect().unwrap() {
        for (key, value) in value.into_table().unwrap() {
            let shown = match value.clone().into_array() {
                Ok(items) => {
                    let items: Vec<String> = items
                        .into_iter()
                        .map(|v| format!("\"{}\"", v.into_string().unwrap()))
                        .collect();
                    format!("[{}]", items.join(", "))
                }
                Err(_) => value.into_string().unwrap(),
            };
            keys.insert(format!("{section}.{key}"), shown);
        }
    }
    keys
}

/// The cells of a Markdown table row; `\|` stays inside its cell.
fn cells(row: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cell = String::new();
    let mut chars = row.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => cell.push(chars.next().unwrap()),
            '|' => out.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    out
}

fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading `{heading}`"));
    let rest = &markdown[start + heading.len() + 2..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

#[test]
fn the_operators_configuration_table_lists_every_key_of_default_toml_with_its_default() {
    let defaults = configuration_defaults();
    let operators = std::fs::read_to_string("docs/operators.md").unwrap();
    let mut documented = BTreeMap::new();
    for row in section(&operators, "## Configuration").lines() {
        let row = cells(row);
        let Some(key) = row
            .first()
            .and_then(|c| c.strip_prefix('`')?.strip_suffix('`'))
            .filter(|k| k.contains('.'))
        else {
            continue;
        };
        assert_eq!(row.len(), 4, "key | variable | default | meaning: {row:?}");
        let variable = format!("`POLYPHONY__{}`", key.replace('.', "__").to_uppercase());
        assert_eq!(row[1], variable, "the environment variable of {key}");
        documented.insert(key.to_string(), row[2].clone());
    }
    let missing: Vec<_> = defaults
        .keys()
        .filter(|k| !documented.contains_key(*k))
        .collect();
    let stale: Vec<_> = documented
        .keys()
        .filter(|k| !defaults.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/operators.md, Configuration: missing keys {missing:?}, keys no longer in config/default.toml {stale:?}"
    );
    for (key, value) in &defaults {
        let shown = if value.is_empty() { "\"\"" } else { value };
        assert_eq!(
            documented[key],
            format!("`{shown}`"),
            "the default of {key} in docs/operators.md"
        );
    }
}

/// The anchor GitHub gives a heading.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut found = BTreeSet::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.insert(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

/// The targets of `[text](target)` links outside code.
fn links(markdown: &str) -> Vec<String> {
    let mut in_code = false;
    let mut found = vec![];
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn every_relative_link_in_the_documentation_leads_to_a_file_and_heading() {
    let mut pages: Vec<PathBuf> = vec![PathBuf::from("README.md")];
    for entry in std::fs::read_dir("docs").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut broken = vec![];
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap_or(Path::new("")).join(file)
            };
            let Ok(target_text) = std::fs::read_to_string(&target) else {
                broken.push(format!("{}: {link} (no file)", page.display()));
                continue;
            };
            if !fragment.is_empty() && !anchors(&target_text).contains(fragment) {
                broken.push(format!("{}: {link} (no such heading)", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn the_readme_stays_a_front_door_of_at_most_200_lines() {
    let lines = std::fs::read_to_string("README.md")
        .unwrap()
        .lines()
        .count();
    assert!(
        lines <= 200,
        "README.md has {lines} lines; move detail to docs/"
    );
}

#[test]
fn the_haproxy_sample_in_the_operators_guide_is_the_file_the_load_balancer_test_runs() {
    let sample = std::fs::read_to_string("config/haproxy.cfg.example").unwrap();
    let operators = std::fs::read_to_string("docs/operators.md").unwrap();
    assert!(
        operators.contains(&format!("```\n{sample}```")),
        "docs/operators.md, Behind HAProxy, shows config/haproxy.cfg.example as it is"
    );
}
