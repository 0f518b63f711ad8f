//! The catalogue (`tests/data/catalogue.tsv`): refusal lines that mail software emits, each
//! with its source and the cause it must get. Every line must pass; a failing one is
//! reported as `tests/data/catalogue.tsv:LINE`.
//!
//! `cargo test --release --test classify_catalogue -- --ignored --nocapture` prints the
//! counts by cause and language and the split-half figures (see `split_half_figures`). With
//! `BOUNCEBOOK_RULES_DIR=DIR` the playbooks in DIR replace the embedded ones of the same
//! id, to measure another set of rules (an older version of the `match:` sections) with the
//! same engine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use bouncebook::bounce::{Record, Stage};
use bouncebook::classify::Classifier;

const PATH: &str = "tests/data/catalogue.tsv";
mod support;
use support::SPECIFIC_CAUSES as SPECIFIC;
const LANGUAGES: [&str; 10] = ["en", "es", "pt", "fr", "de", "it", "pl", "ru", "ja", "zh"];

/// Software whose source is open (MTAs, their patches and filters, RFC texts): half A of the
/// split. Everything else (providers' and vendors' documentation, the other languages'
/// help pages, misspellings) is half B.
const HALF_A: [&str; 21] = [
    "postfix",
    "exim",
    "sendmail",
    "qmail",
    "chkuser",
    "courier",
    "haraka",
    "opensmtpd",
    "rfc4954",
    "rfc5321",
    "smtputf8",
    "landscape",
    "fml",
    "domino",
    "postgrey",
    "amavis",
    "spamassassin",
    "rspamd",
    "zimbra",
    "hmailserver",
    "xmail",
];

struct Entry {
    line_no: usize,
    cause: String,
    language: String,
    stage: Option<Stage>,
    software: String,
    source: String,
    text: String,
}

fn catalogue() -> Vec<Entry> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(PATH);
    let text = std::fs::read_to_string(&path).expect("the catalogue is readable");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 6, "{PATH}:{}: 6 tab-separated columns", i + 1);
        let stage = match cols[2] {
            "MAIL FROM" => Some(Stage::MailFrom),
            "RCPT TO" => Some(Stage::RcptTo),
            "DATA" => Some(Stage::Data),
            "-" => None,
            other => panic!("{PATH}:{}: unknown stage {other:?}", i + 1),
        };
        out.push(Entry {
            line_no: i + 1,
            cause: cols[0].to_string(),
            language: cols[1].to_string(),
            stage,
            software: cols[3].to_string(),
            source: cols[4].to_string(),
            text: cols[5].to_string(),
        });
    }
    out
}

/// The record a bounce with this response would give: the reply code and status are left
/// for the classifier to read from the text, as it does for a bare pasted line.
fn record(e: &Entry) -> Record {
    Record {
        diagnostic: Some(e.text.clone()),
        stage: e.stage,
        ..Record::default()
    }
}

fn passes(e: &Entry, variation: &str) -> bool {
    if e.cause == "none" {
        !SPECIFIC.contains(&variation)
    } else {
        variation == e.cause
    }
}

fn classifier() -> Classifier {
    let extra: Vec<PathBuf> = std::env::var_os("BOUNCEBOOK_RULES_DIR")
        .map(|d| vec![PathBuf::from(d)])
        .unwrap_or_default();
    let set = bouncebook::playbook::load(None, &extra);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    Classifier::new(&set)
}

#[test]
fn every_catalogue_line_gets_its_cause() {
    if std::env::var_os("BOUNCEBOOK_RULES_DIR").is_some() {
        // Measuring other rules (see the module docs): the figures test reports them.
        return;
    }
    let c = classifier();
    let mut wrong = Vec::new();
    for e in catalogue() {
        let d = c.classify(&record(&e));
        if !passes(&e, &d.variation) {
            wrong.push(format!(
                "{PATH}:{}: expected {}, got {} ({:?}: {}) for {:?}",
                e.line_no, e.cause, d.variation, d.basis, d.evidence, e.text
            ));
        }
        assert!(!d.evidence.is_empty(), "{PATH}:{}: no evidence", e.line_no);
    }
    assert!(
        wrong.is_empty(),
        "{} of the catalogue's lines wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_catalogue_is_large_sourced_and_covers_every_cause_and_language() {
    let entries = catalogue();
    assert!(entries.len() >= 400, "{} lines", entries.len());
    let mut by_cause: BTreeMap<&str, usize> = BTreeMap::new();
    let mut languages = BTreeSet::new();
    for e in &entries {
        *by_cause.entry(e.cause.as_str()).or_default() += 1;
        languages.insert(e.language.as_str());
        assert!(
            !e.source.trim().is_empty() && !e.software.trim().is_empty(),
            "{PATH}:{}: no source",
            e.line_no
        );
        assert!(
            e.cause == "none" || SPECIFIC.contains(&e.cause.as_str()),
            "{PATH}:{}: unknown cause {}",
            e.line_no,
            e.cause
        );
    }
    for cause in SPECIFIC {
        let n = by_cause.get(cause).copied().unwrap_or(0);
        assert!(n >= 30, "{cause}: only {n} lines");
    }
    let none = by_cause.get("none").copied().unwrap_or(0);
    assert!(none >= 60, "none of ours: only {none} lines");
    for lang in LANGUAGES {
        assert!(languages.contains(lang), "no line in {lang}");
    }
}

/// Counts by cause and language, and the split-half figures: accuracy on half A (open
/// MTA sources) and half B (providers' documentation, other languages, misspellings).
#[test]
#[ignore = "prints figures; run with --ignored --nocapture"]
fn split_half_figures() {
    let c = classifier();
    let entries = catalogue();
    let mut table: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut right = [0usize; 2];
    let mut total = [0usize; 2];
    let mut specific_on_none = [0usize; 2];
    let mut none_total = [0usize; 2];
    let mut misses = Vec::new();
    for e in &entries {
        *table
            .entry((e.cause.clone(), e.language.clone()))
            .or_default() += 1;
        let half = usize::from(!HALF_A.contains(&e.software.as_str()));
        let d = c.classify(&record(e));
        total[half] += 1;
        if passes(e, &d.variation) {
            right[half] += 1;
        } else {
            misses.push(format!(
                "  [{}] {PATH}:{} expected {} got {} ({})",
                if half == 0 { "A" } else { "B" },
                e.line_no,
                e.cause,
                d.variation,
                d.evidence
            ));
        }
        if e.cause == "none" {
            none_total[half] += 1;
            if SPECIFIC.contains(&d.variation.as_str()) {
                specific_on_none[half] += 1;
            }
        }
    }
    println!("catalogue: {} lines", entries.len());
    let mut causes: Vec<String> = table.keys().map(|(c, _)| c.clone()).collect();
    causes.dedup();
    for cause in causes {
        let row: Vec<String> = LANGUAGES
            .iter()
            .map(|l| {
                let n = table
                    .get(&(cause.clone(), l.to_string()))
                    .copied()
                    .unwrap_or(0);
                format!("{l}={n}")
            })
            .collect();
        let sum: usize = table
            .iter()
            .filter(|((c, _), _)| *c == cause)
            .map(|(_, n)| n)
            .sum();
        println!("  {cause:<26} {sum:>3}  {}", row.join(" "));
    }
    for (half, name) in [(0, "A (open MTA sources)"), (1, "B (providers, languages)")] {
        println!(
            "half {name}: {}/{} right ({:.1}%); specific cause on none-of-ours {}/{}",
            right[half],
            total[half],
            100.0 * right[half] as f64 / total[half].max(1) as f64,
            specific_on_none[half],
            none_total[half]
        );
    }
    for m in misses {
        println!("{m}");
    }
}

#[test]
#[ignore = "debugging aid"]
fn debug_lines() {
    let c = classifier();
    for text in std::env::var("LINES").unwrap_or_default().split('|') {
        let d = c.classify(&Record {
            diagnostic: Some(text.to_string()),
            stage: Some(Stage::MailFrom),
            ..Record::default()
        });
        println!("{text:?} -> {} ({})", d.variation, d.evidence);
    }
}

/// `playbooks check` runs a playbook's `match.examples` and reports a failing one at the
/// line of its text.
#[test]
fn playbooks_check_reports_a_failing_example_at_its_line() {
    let (_, source) = bouncebook::playbook::EMBEDDED_SOURCES
        .iter()
        .find(|(id, _)| *id == "relay-denied")
        .expect("embedded relay-denied");
    let mut text = source.trim_end().to_string();
    let line = text.lines().count() + 1;
    text.push_str(
        "\n    - line: '553 sorry, that domain isn''t in my list of allowed rcpthosts (#5.7.1)'\n      cause: recipient-unknown\n      source: 'a wrong expectation, on purpose'\n",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("relay-denied.yaml");
    std::fs::write(&file, text).expect("write");
    let report = bouncebook::playbook::check_paths(std::slice::from_ref(&file));
    let want = format!("{}:{line}:", file.display());
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let got = report.problems[0].to_string();
    assert!(
        got.starts_with(&want)
            && got.contains("gets relay-denied")
            && got.contains("not recipient-unknown"),
        "{got}"
    );
}
