//! Tests that cannot run on this machine (no PostgreSQL configured, no
//! aiosmtpd, no pg_dump) return early, and libtest counts them as passed. Each
//! records why here, and one line printed after libtest's own summary says how
//! many were skipped and why.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, PoisonError};

struct Skips {
    /// The reason each skipped test gave first, by test name.
    reasons: BTreeMap<String, String>,
    reporter: Option<ChildStdin>,
}

static SKIPS: Mutex<Skips> = Mutex::new(Skips {
    reasons: BTreeMap::new(),
    reporter: None,
});

/// Records that the running test stops here without checking what it is for.
pub fn record(reason: &str) {
    // libtest runs each test on a thread named after it.
    let current = std::thread::current();
    let test = match current.name() {
        Some(name) => name.to_string(),
        None => format!("{:?}", current.id()),
    };
    let mut skips = SKIPS.lock().unwrap_or_else(PoisonError::into_inner);
    skips
        .reasons
        .entry(test)
        .or_insert_with(|| reason.to_string());
    let line = summary(&skips.reasons);
    if skips.reporter.is_none() {
        skips.reporter = reporter();
    }
    let sent = match &mut skips.reporter {
        Some(pipe) => writeln!(pipe, "{line}").is_ok(),
        None => false,
    };
    if !sent {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// libtest has no hook at the end of a run, and statics are never dropped: a
/// child process reads every summary line and prints the last one when its
/// pipe closes, which is when this process exits. It writes to the inherited
/// standard error, which libtest's capture of test output does not reach.
fn reporter() -> Option<ChildStdin> {
    Command::new("sh")
        .args(["-c", "tail -n 1 >&2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .ok()?
        .stdin
        .take()
}

fn summary(reasons: &BTreeMap<String, String>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in reasons.values() {
        *counts.entry(reason).or_default() += 1;
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let why: Vec<String> = by_count
        .iter()
        .map(|(reason, n)| format!("{n} because {reason}"))
        .collect();
    let total = reasons.len();
    format!(
        "skipped {total} test{} (libtest counts them as passed): {}",
        if total == 1 { "" } else { "s" },
        why.join("; ")
    )
}

/// Whether the machine can run the SMTP tests; CI insists that it can.
pub fn aiosmtpd_available() -> bool {
    available(
        Command::new("python3").args(["-c", "import aiosmtpd"]),
        "POLYPHONY_TEST_REQUIRE_SMTP",
        "python3 cannot import aiosmtpd (pip install aiosmtpd)",
    )
}

/// Whether the load-balancer tests can run; CI insists that they can.
pub fn haproxy_available() -> bool {
    available(
        Command::new("haproxy").arg("-v"),
        "POLYPHONY_TEST_REQUIRE_HAPROXY",
        "haproxy is not installed (apt-get install haproxy)",
    )
}

/// Whether `probe` succeeds; when it does not, the test is recorded as
/// skipped for `reason`, unless the environment variable `required` says the
/// tool must be there.
fn available(probe: &mut Command, required: &str, reason: &str) -> bool {
    // Quiet: a missing module would print Python's traceback into the output.
    let ok = probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(std::env::var(required).is_err(), "{required}: {reason}");
        record(reason);
    }
    ok
}

#[test]
fn the_summary_counts_each_test_once_most_frequent_reason_first() {
    let reasons = BTreeMap::from([
        ("a::postgres".to_string(), "no PostgreSQL".to_string()),
        ("b::postgres".to_string(), "no PostgreSQL".to_string()),
        ("c::sqlite".to_string(), "no aiosmtpd".to_string()),
    ]);
    assert_eq!(
        summary(&reasons),
        "skipped 3 tests (libtest counts them as passed): 2 because no PostgreSQL; 1 because no aiosmtpd"
    );
}
