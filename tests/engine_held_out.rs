//! Held-out pastes in the eleven formats agents paste (tests/fixtures/formats/<format>/),
//! written from what each MTA's source and documentation say it emits, not from the dev
//! corpora. `expected.tsv` gives each paste's sender, failure time and failed recipient
//! (`-`: the paste does not show one; `@text`: the time as printed, read without a year).
//! A paste that shows no time of the report's own is dated by its SMTP greeting, else by
//! the returned message's `Date:` (sent minutes before it bounced), else by the report's
//! `Arrival-Date` (when the reporting server took the message in).
//! Sender and timestamp must be right on at least 95% of the pastes of every format.

use std::collections::BTreeMap;
use std::path::Path;

use bouncebook::bounce::{Bounce, parse};

struct Expected {
    file: String,
    sender: Option<String>,
    timestamp: String,
    recipient: Option<String>,
}

fn expected() -> Vec<Expected> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let tsv = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let dash = |s: &str| (s != "-").then(|| s.to_string());
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "bad line in expected.tsv: {l}");
            Expected {
                file: f[0].to_string(),
                sender: dash(f[1]),
                timestamp: f[2].to_string(),
                recipient: dash(f[3]),
            }
        })
        .collect()
}

fn read(e: &Expected) -> Bounce {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(&e.file);
    parse(&std::fs::read(&path).unwrap()).unwrap()
}

fn timestamp_right(e: &Expected, b: &Bounce) -> bool {
    match e.timestamp.as_str() {
        "-" => b.timestamp.is_none(),
        t if t.starts_with('@') => {
            b.timestamp.is_some() && b.timestamp_raw.as_deref() == Some(&t[1..])
        }
        t => {
            b.timestamp
                .map(|x| x.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                == Some(t.to_string())
        }
    }
}

fn recipient_right(e: &Expected, b: &Bounce) -> bool {
    let got: Vec<&str> = b
        .records
        .iter()
        .filter_map(|r| r.recipient.as_deref())
        .collect();
    match &e.recipient {
        Some(want) => got.len() == 1 && got[0].eq_ignore_ascii_case(want),
        None => got.is_empty() && !b.records.is_empty(),
    }
}

#[test]
fn sender_and_timestamp_are_right_per_format() {
    // format → (pastes, sender right, timestamp right, recipient right)
    let mut table: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for e in expected() {
        let b = read(&e);
        let format = e.file.split('/').next().unwrap_or("").to_string();
        let row = table.entry(format).or_default();
        row.0 += 1;
        let sender = b.sender.as_deref().map(str::to_ascii_lowercase) == e.sender;
        let time = timestamp_right(&e, &b);
        let rcpt = recipient_right(&e, &b);
        row.1 += usize::from(sender);
        row.2 += usize::from(time);
        row.3 += usize::from(rcpt);
        if !(sender && time && rcpt) {
            misses.push(format!(
                "{}: sender {:?} (want {:?}), time {:?}/{:?} (want {}), recipients {:?} (want {:?})",
                e.file,
                b.sender,
                e.sender,
                b.timestamp_raw,
                b.timestamp.map(|t| t.to_rfc3339()),
                e.timestamp,
                b.records.iter().map(|r| r.recipient.clone()).collect::<Vec<_>>(),
                e.recipient
            ));
        }
    }
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d as f64;
    println!("format         pastes  sender  timestamp  recipient");
    for (format, (n, s, t, r)) in &table {
        println!(
            "{format:<14} {n:>6}  {:>5.1}%  {:>8.1}%  {:>8.1}%",
            pct(*s, *n),
            pct(*t, *n),
            pct(*r, *n)
        );
    }
    for m in &misses {
        println!("miss: {m}");
    }
    assert_eq!(table.len(), 11, "one folder per format");
    for (format, (n, s, t, _)) in &table {
        assert!(*n >= 3, "{format}: at least three pastes");
        assert!(
            pct(*s, *n) >= 95.0 && pct(*t, *n) >= 95.0,
            "{format}: sender {s}/{n}, timestamp {t}/{n}\n{}",
            misses.join("\n")
        );
    }
}
