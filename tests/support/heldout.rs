//! The harness of the held-out sets (`tests/data/heldout-*/`), shared by their tests
//! (`#[path = "support/heldout.rs"] mod heldout;` beside `mod support;`): the manifest
//! (`file format cause recipient sender timestamp notes`, checked against the folder),
//! one `triage --json` run over every paste, and the figures per format, per tag of the
//! notes (`[crlf]`, `[cr]`, `[ctrl]`, `[lang:xx]`) and overall.

// Each set's test uses the part of the harness its manifest needs.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Timelike, Utc};
use serde_json::Value;

use super::support::{BIN, SPECIFIC_CAUSES as SPECIFIC};

/// One held-out set.
pub struct Set {
    /// Its folder, from the crate root.
    pub folder: &'static str,
    /// Its paste formats, in the order the figures are printed.
    pub formats: &'static [&'static str],
    /// The set must stay big enough to say something per format.
    pub min_rows: usize,
    /// Whether `generic-553` may be an expected cause (set B's writer used only the
    /// specific ones).
    pub generic_cause: bool,
}

/// The eleven formats issue 11 names, in the order the figures are printed.
pub const ISSUE_FORMATS: [&str; 11] = [
    "postfix-dsn",
    "exim",
    "qmail",
    "sendmail",
    "gmail",
    "o365",
    "eximlog",
    "maillog",
    "client",
    "webmail",
    "session",
];

/// The issue's formats and `other` (shapes no issue names), as sets D and E are written.
pub const ISSUE_FORMATS_AND_OTHER: [&str; 12] = {
    let mut all = [""; 12];
    let mut i = 0;
    while i < ISSUE_FORMATS.len() {
        all[i] = ISSUE_FORMATS[i];
        i += 1;
    }
    all[11] = "other";
    all
};

/// Properties that cut across the formats, tagged in the manifest's notes, so the figures
/// also say how the parser copes with them: (tag, what is printed).
const TAGS: [(&str, &str); 3] = [
    ("[crlf]", "CRLF"),
    ("[cr]", "CR only"),
    ("[ctrl]", "ctrl bytes"),
];

/// A note's `[lang:xx]` tag: the paste's text is not English.
fn non_english(notes: &str) -> bool {
    notes.contains("[lang:")
}

/// Files in the folder that are not pastes.
const NOT_PASTES: [&str; 2] = ["manifest.tsv", "README.md"];

pub struct Row {
    pub file: String,
    pub format: String,
    /// A variation id (a specific one or `generic-553`), or `none` (must come out
    /// `unclassified`).
    pub cause: String,
    /// `None` where the manifest says `-` (the paste names none).
    pub recipient: Option<String>,
    pub sender: Option<String>,
    pub timestamp: Option<DateTime<Utc>>,
    pub notes: String,
}

impl Set {
    pub fn dir(&self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(self.folder)
    }
}

/// What a set written in the issue's formats must hold to say something about each one
/// and about the byte-level shapes of a paste.
pub struct Spread {
    pub per_format: usize,
    pub per_cause: usize,
    pub crlf: usize,
    pub cr: usize,
    pub ctrl: usize,
    pub non_english: usize,
    pub none_of_ours: usize,
}

/// The manifest agrees with the files: the byte-level tags (`[crlf]`, `[cr]`, `[ctrl]`) are
/// exactly true of each file (or their figures measure nothing), every paste is UTF-8, and
/// the set holds `spread` of each kind.
pub fn check_tags_and_spread(set: &Set, spread: &Spread) {
    let rows = manifest(set);
    for format in set.formats {
        let n = rows.iter().filter(|r| r.format == *format).count();
        assert!(
            n >= spread.per_format,
            "format {format}: {n} pastes, want at least {}",
            spread.per_format
        );
    }
    for row in &rows {
        let bytes = std::fs::read(set.dir().join(&row.file)).expect("a listed paste is readable");
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        let cr = bytes.iter().filter(|&&b| b == b'\r').count();
        let lf = bytes.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(
            row.notes.contains("[crlf]"),
            crlf > 0 && crlf == lf && cr == crlf,
            "{}: the [crlf] tag and the file's line ends disagree",
            row.file
        );
        assert_eq!(
            row.notes.contains("[cr]"),
            cr > 0 && lf == 0,
            "{}: the [cr] tag and the file's line ends disagree",
            row.file
        );
        let ctrl = bytes
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
        assert_eq!(
            row.notes.contains("[ctrl]"),
            ctrl,
            "{}: the [ctrl] tag and the file's control bytes disagree",
            row.file
        );
        assert!(
            std::str::from_utf8(&bytes).is_ok(),
            "{}: not UTF-8",
            row.file
        );
    }
    let tagged = |tag: &str| rows.iter().filter(|r| r.notes.contains(tag)).count();
    for (tag, want) in [
        ("[crlf]", spread.crlf),
        ("[cr]", spread.cr),
        ("[ctrl]", spread.ctrl),
        ("[lang:", spread.non_english),
    ] {
        assert!(tagged(tag) >= want, "fewer than {want} pastes tagged {tag}");
    }
    assert!(
        rows.iter().filter(|r| r.cause == "none").count() >= spread.none_of_ours,
        "fewer than {} none-of-ours pastes",
        spread.none_of_ours
    );
    for cause in SPECIFIC.iter().chain(&["generic-553"]) {
        let n = rows.iter().filter(|r| r.cause == *cause).count();
        assert!(
            n >= spread.per_cause,
            "{cause}: {n} pastes, want at least {}",
            spread.per_cause
        );
    }
}

fn dash(s: &str) -> Option<String> {
    (s != "-").then(|| s.to_string())
}

/// The manifest, checked against the folder: panics on anything that would make the
/// figures measure less than the whole set.
pub fn manifest(set: &Set) -> Vec<Row> {
    let dir = set.dir();
    let text = std::fs::read_to_string(dir.join("manifest.tsv"))
        .unwrap_or_else(|e| panic!("{}/manifest.tsv: {e}", dir.display()));
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("manifest.tsv:{}", i + 1);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            f.len(),
            7,
            "{at}: {} columns, want 7 (file format cause recipient sender timestamp notes): {line:?}",
            f.len()
        );
        let [file, format, cause, recipient, sender, timestamp, notes] =
            [f[0], f[1], f[2], f[3], f[4], f[5], f[6]];
        assert!(seen.insert(file.to_string()), "{at}: {file} listed twice");
        assert!(
            dir.join(file).is_file(),
            "{at}: {file} is not in {}",
            dir.display()
        );
        assert!(
            set.formats.contains(&format),
            "{at}: unknown format {format:?}"
        );
        assert!(
            file.ends_with(&format!("-{format}.txt")),
            "{at}: {file} is not named NN-{format}.txt"
        );
        assert!(
            cause == "none"
                || (set.generic_cause && cause == "generic-553")
                || SPECIFIC.contains(&cause),
            "{at}: unknown cause {cause:?}"
        );
        for (what, v) in [("recipient", recipient), ("sender", sender)] {
            assert!(
                !v.is_empty() && !v.contains(char::is_whitespace),
                "{at}: empty or spaced {what} {v:?} (write - for none)"
            );
        }
        let timestamp = dash(timestamp).map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .unwrap_or_else(|e| panic!("{at}: timestamp {t:?} is not RFC 3339 ({e})"))
                .with_timezone(&Utc)
        });
        rows.push(Row {
            file: file.to_string(),
            format: format.to_string(),
            cause: cause.to_string(),
            recipient: dash(recipient),
            sender: dash(sender),
            timestamp,
            notes: notes.to_string(),
        });
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.expect("a readable folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| !NOT_PASTES.contains(&n.as_str()))
        .collect();
    let unlisted: Vec<&String> = on_disk.difference(&seen).collect();
    assert!(
        unlisted.is_empty(),
        "pastes with no manifest row: {unlisted:?}"
    );
    assert!(
        rows.len() >= set.min_rows,
        "{} rows, want at least {}",
        rows.len(),
        set.min_rows
    );
    for format in set.formats {
        assert!(
            rows.iter().any(|r| r.format == *format),
            "no paste in format {format}"
        );
    }
    rows
}

/// `triage --json` on every paste in one run, keyed by the path it was given.
fn triage(set: &Set, rows: &[Row]) -> BTreeMap<String, Value> {
    let home = tempfile::tempdir().expect("temp dir");
    let paths: Vec<String> = rows
        .iter()
        .map(|r| set.dir().join(&r.file).to_string_lossy().into_owned())
        .collect();
    let out = Command::new(BIN)
        .arg("triage")
        .arg("--json")
        .args(&paths)
        .env("BOUNCEBOOK_CONFIG_DIR", home.path().join("config"))
        .env("BOUNCEBOOK_DATA_DIR", home.path().join("data"))
        .stdin(Stdio::null())
        .output()
        .expect("the release binary runs");
    let mut by_source = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let source = v["source"]
            .as_str()
            .unwrap_or_else(|| panic!("no source: {line}"))
            .to_string();
        by_source.insert(source, v);
    }
    for p in &paths {
        assert!(
            by_source.contains_key(p),
            "triage printed no line for {p} (exit {:?}, stderr: {})",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    by_source
}

fn lower(v: &Value) -> Option<String> {
    v.as_str()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
}

/// The program's timestamp to the second; fractions are not part of what the pastes are
/// expected to carry.
fn second(v: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v.as_str()?)
        .ok()?
        .with_timezone(&Utc)
        .with_nanosecond(0)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    cause: usize,
    recipient: usize,
    sender: usize,
    timestamp: usize,
    none: usize,
    specific_on_none: usize,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.n += o.n;
        self.cause += o.cause;
        self.recipient += o.recipient;
        self.sender += o.sender;
        self.timestamp += o.timestamp;
        self.none += o.none;
        self.specific_on_none += o.specific_on_none;
    }
}

fn pct(k: usize, n: usize) -> String {
    if n == 0 {
        "-".to_string()
    } else {
        format!("{:5.1}% ({k}/{n})", 100.0 * k as f64 / n as f64)
    }
}

fn show(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// Print the set's figures (see the including test's doc); fails only when it could not
/// measure.
pub fn figures(set: &Set) {
    let rows = manifest(set);
    let out = triage(set, &rows);
    let mut per_format: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut per_tag: BTreeMap<&str, Tally> = BTreeMap::new();
    for row in &rows {
        let path = set.dir().join(&row.file).to_string_lossy().into_owned();
        let v = &out[&path];
        let mut misses = Vec::new();
        if let Some(e) = v["error"].as_str() {
            misses.push(format!("error {e:?}"));
        }
        let first = v["records"].as_array().and_then(|r| r.first());
        // No record names no cause: for a none-of-ours paste that is as good as
        // `unclassified`; for one of ours it is a miss.
        let variation = first
            .and_then(|r| r["variation"].as_str())
            .unwrap_or("(no record)");
        let cause_ok = if row.cause == "none" {
            variation == "unclassified" || first.is_none()
        } else {
            variation == row.cause
        };
        if !cause_ok {
            let evidence = first.and_then(|r| r["evidence"].as_str()).unwrap_or("");
            misses.push(format!(
                "cause {variation} (want {}; evidence {evidence:?})",
                row.cause
            ));
        }
        let got_recipient = first.and_then(|r| lower(&r["recipient"]));
        let recipient_ok = got_recipient == row.recipient.as_ref().map(|s| s.to_lowercase());
        if !recipient_ok {
            misses.push(format!(
                "recipient {} (want {})",
                show(&got_recipient),
                show(&row.recipient)
            ));
        }
        let got_sender = lower(&v["sender"]);
        let sender_ok = got_sender == row.sender.as_ref().map(|s| s.to_lowercase());
        if !sender_ok {
            misses.push(format!(
                "sender {} (want {})",
                show(&got_sender),
                show(&row.sender)
            ));
        }
        let got_time = second(&v["timestamp"]);
        let time_ok = got_time == row.timestamp;
        if !time_ok {
            misses.push(format!(
                "timestamp {} (want {})",
                v["timestamp"].as_str().unwrap_or("-"),
                row.timestamp
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_else(|| "-".to_string())
            ));
        }
        let none = row.cause == "none";
        let t = Tally {
            n: 1,
            cause: usize::from(cause_ok),
            recipient: usize::from(recipient_ok),
            sender: usize::from(sender_ok),
            timestamp: usize::from(time_ok),
            none: usize::from(none),
            specific_on_none: usize::from(none && SPECIFIC.contains(&variation)),
        };
        per_format
            .entry(
                set.formats
                    .iter()
                    .find(|f| **f == row.format)
                    .expect("a format"),
            )
            .or_default()
            .add(t);
        for (tag, name) in TAGS {
            if row.notes.contains(tag) {
                per_tag.entry(name).or_default().add(t);
            }
        }
        if non_english(&row.notes) {
            per_tag.entry("non-English").or_default().add(t);
        }
        if misses.is_empty() {
            println!("  ok   {}: {variation}", row.file);
        } else {
            println!("  MISS {}: {}", row.file, misses.join("; "));
        }
    }
    println!();
    println!(
        "{:<12} {:>4}  {:<18} {:<18} {:<18} {:<18} specific cause on none-of-ours",
        "format", "n", "cause", "recipient", "sender", "timestamp"
    );
    let mut all = Tally::default();
    for format in set.formats {
        let t = per_format.get(format).copied().unwrap_or_default();
        all.add(t);
        print_row(format, t);
    }
    print_row("overall", all);
    println!();
    for (name, t) in &per_tag {
        print_row(name, *t);
    }
    assert_eq!(all.n, rows.len(), "every row was measured");
}

fn print_row(name: &str, t: Tally) {
    println!(
        "{name:<12} {:>4}  {:<18} {:<18} {:<18} {:<18} {}",
        t.n,
        pct(t.cause, t.n),
        pct(t.recipient, t.n),
        pct(t.sender, t.n),
        pct(t.timestamp, t.n),
        pct(t.specific_on_none, t.none)
    );
}
