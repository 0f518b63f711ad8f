//! Start-up cost of the playbooks. What start-up pays is "start-up: load + Classifier::new"
//! (target: under 5 ms): the embedded playbooks come from the JSON and the prefilter's keys
//! of the rules' anchors from the table that build.rs prepared, so no YAML or regex is
//! parsed and no literal made into a key. The full `check` of the YAML sources, which
//! `playbooks check` runs, is measured alongside. Run with `cargo bench --bench playbooks`;
//! the medians are the middle figure of criterion's `time:`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use bouncebook::playbook;

fn embedded_playbooks(c: &mut Criterion) {
    c.bench_function(
        "load+validate embedded playbooks (full check incl. regexes)",
        |b| {
            b.iter(|| {
                let report = playbook::check_installed(None);
                assert!(report.problems.is_empty());
                black_box(report)
            })
        },
    );
    c.bench_function("embedded() as at start-up", |b| {
        b.iter(|| {
            let set = playbook::embedded();
            assert!(set.problems.is_empty());
            black_box(set)
        })
    });
    c.bench_function("parse only (serde_yaml, no checks)", |b| {
        b.iter(|| {
            for (_, text) in playbook::EMBEDDED_SOURCES {
                black_box(serde_yaml::from_str::<playbook::Playbook>(text).ok());
            }
        })
    });
    c.bench_function("load (embedded, no user dirs)", |b| {
        b.iter(|| black_box(playbook::load(None, &[])))
    });
    // What start-up really pays: load the playbooks and build the classifier from their
    // `match` rules (regexes are compiled on first use, see classify/ruleset/). Most of it is
    // building the Aho-Corasick automaton of the rules' keys (the keys come from the build).
    c.bench_function("start-up: load + Classifier::new", |b| {
        b.iter(|| {
            let set = playbook::load(None, &[]);
            black_box(bouncebook::classify::Classifier::new(&set))
        })
    });
}

/// Wordings from docs/553-landscape.md, as the classifier's rules might write them: what
/// regex compilation adds once the `match.text` lists are filled in.
const SAMPLE_PATTERNS: &[&str] = &[
    r"isn't in my list of allowed rcpthosts",
    r"we don't relay",
    r"not an open relay",
    r"authentication (is )?required",
    r"relay(ing)? (access )?(denied|not permitted)",
    r"unable to relay",
    r"sender address rejected: not logged in",
    r"not owned by user",
    r"does not match a verified sender identity",
    r"email address is not verified",
    r"from and auth not the same",
    r"no mailbox here by that name",
    r"badrcptto",
    r"invalid(/inactive)? (user|recipient)",
    r"user unknown",
    r"address does not exist",
    r"no such user",
    r"unknown or illegal user",
    r"recipientnotfound",
    r"email account that you tried to reach does not exist",
    r"domain of sender address \S+ does not exist",
    r"envelope sender domain must exist",
    r"domain name required for sender address",
    r"sender verify failed",
    r"sender address rejected: domain not found",
    r"\bdoes not exist E2110",
    r"host or domain name not found",
    r"address syntax error",
    r"mailbox name not allowed",
    r"is not a valid RFC[ -]?5321 address",
    r"(user|host)name required",
    r"local part must not (begin|end) with a dot",
    r"too long \(\d+ bytes max\)",
    r"unbalanced '<'",
    r"illegal character",
    r"bad (recipient|sender) address syntax",
    r"need fully-qualified address",
    r"DNSBL|RBL",
    r"spamhaus\.org",
    r"badmailfrom",
    r"envelope sender has been denied",
    r"blocked using [a-z0-9.-]+",
    r"system config error",
    r"mail loops back to me",
];

/// The embedded playbooks with the sample patterns spread over their `match.text` lists,
/// as they will look once the classifier's rules are written.
fn with_sample_patterns() -> Vec<(&'static str, String)> {
    playbook::EMBEDDED_SOURCES
        .iter()
        .enumerate()
        .map(|(n, (id, text))| {
            let mine: Vec<String> = SAMPLE_PATTERNS
                .iter()
                .skip(n)
                .step_by(playbook::EMBEDDED_SOURCES.len())
                .map(|p| format!("    - '{}'\n", p.replace('\'', "''")))
                .collect();
            let body = text.split("\nmatch:").next().unwrap_or(text);
            (*id, format!("{body}\nmatch:\n  text:\n{}", mine.concat()))
        })
        .collect()
}

fn pattern_compilation(c: &mut Criterion) {
    let limits = playbook::Limits::DEFAULT;
    let sources = with_sample_patterns();
    c.bench_function("load+validate embedded + 44 sample patterns", |b| {
        b.iter(|| {
            for (id, text) in &sources {
                let checked = playbook::check_source(id, Some(id), text.as_bytes());
                assert!(checked.is_ok(), "{checked:?}");
                black_box(checked.ok());
            }
        })
    });
    c.bench_function(
        "full Regex compile of 44 sample patterns (classifier's cost)",
        |b| {
            b.iter(|| {
                for p in SAMPLE_PATTERNS {
                    black_box(bouncebook::classify::ruleset::reference_regex(p, &limits).ok());
                }
            })
        },
    );
}

criterion_group!(benches, embedded_playbooks, pattern_compilation);
criterion_main!(benches);
