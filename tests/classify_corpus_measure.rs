//! Dev-time measurement, not part of the normal run (and no corpus data in the repo): classify
//! the server responses Sisimai extracted from a corpus and score them the way
//! `score-corpus` does (its CAUSES / NOT_OURS tables).
//!
//! ```text
//! BOUNCEBOOK_SISIMAI_JSONL=/tmp/sisimai.jsonl \
//! BOUNCEBOOK_MANIFEST=../shared/corpus/sisimai-dev/manifest.tsv \
//!   cargo test --test classify_corpus_measure -- --ignored --nocapture
//! ```
//! Each JSON line needs `file`, `record`, `diagnosticcode`, `replycode`, `status`,
//! `smtpcommand` (and optionally `feedbacktype`). Sisimai's invented statuses (`X.0.9NN`)
//! are dropped: they never appear in a bounce.

use std::collections::HashMap;

use bouncebook::bounce::{Action, Record, Stage};
use bouncebook::classify::Classifier;

mod support;
use support::SPECIFIC_CAUSES as SPECIFIC;

fn causes(reason: &str) -> Option<&'static [&'static str]> {
    Some(match reason {
        "userunknown" => &["recipient-unknown"],
        "hostunknown" => &["recipient-domain-missing"],
        "norelaying" => &["relay-denied"],
        "securityerror" => &["relay-denied", "sender-not-owned"],
        "rejected" => &[
            "sender-domain-missing",
            "sender-not-owned",
            "policy-blocked",
        ],
        "blocked" | "badreputation" | "requireptr" => &["policy-blocked"],
        _ => return None,
    })
}

const NOT_OURS: [&str; 14] = [
    "mailboxfull",
    "expired",
    "mesgtoobig",
    "exceedlimit",
    "vacation",
    "delivered",
    "feedback",
    "toomanyconn",
    "speeding",
    "systemfull",
    "networkerror",
    "contenterror",
    "virusdetected",
    "spamdetected",
];

fn record_from(v: &serde_json::Value) -> Record {
    let s = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let status = s("status");
    let invented =
        status.len() == 7 && status.get(1..4) == Some(".0.") && status.get(4..5) == Some("9");
    let stage = match s("smtpcommand").as_str() {
        "MAIL" => Some(Stage::MailFrom),
        "RCPT" => Some(Stage::RcptTo),
        "DATA" => Some(Stage::Data),
        _ => None,
    };
    let diagnostic = s("diagnosticcode");
    Record {
        recipient: Some(s("recipient")).filter(|r| !r.is_empty()),
        reply_code: s("replycode").parse().ok(),
        status: Some(status).filter(|x| !x.is_empty() && !invented),
        diagnostic: Some(diagnostic).filter(|d| !d.is_empty()),
        stage,
        action: if s("feedbacktype").is_empty() {
            Action::Failed
        } else {
            Action::Feedback
        },
        ..Record::default()
    }
}

#[test]
#[ignore = "dev measurement: needs BOUNCEBOOK_SISIMAI_JSONL and BOUNCEBOOK_MANIFEST"]
fn measure_against_sisimai_responses() {
    let (Ok(jsonl), Ok(manifest)) = (
        std::env::var("BOUNCEBOOK_SISIMAI_JSONL"),
        std::env::var("BOUNCEBOOK_MANIFEST"),
    ) else {
        eprintln!("set BOUNCEBOOK_SISIMAI_JSONL and BOUNCEBOOK_MANIFEST");
        return;
    };
    let started = std::time::Instant::now();
    let playbooks = bouncebook::playbook::embedded();
    println!("loaded the embedded playbooks in {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let classifier = Classifier::new(&playbooks);
    println!("prepared the rules in {:?}", started.elapsed());
    // Keyed by (file, recipient) and by (file, record number): pairs like score-corpus,
    // by recipient first.
    let mut records: HashMap<(String, String), serde_json::Value> = HashMap::new();
    for line in std::fs::read_to_string(jsonl).expect("jsonl").lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let file = v["file"].as_str().unwrap_or_default().to_string();
        let rec = v["record"].to_string();
        if let Some(rcpt) = v["recipient"].as_str() {
            records.insert((file.clone(), rcpt.to_lowercase()), v.clone());
        }
        records.insert((file, rec), v);
    }
    for pass in ["first (compiles rules on first need)", "second"] {
        let started = std::time::Instant::now();
        for v in records.values() {
            std::hint::black_box(classifier.classify(&record_from(v)));
        }
        let spent = started.elapsed();
        println!("{pass} pass: {} records in {spent:?}", records.len());
    }
    let text = std::fs::read_to_string(manifest).expect("manifest");
    let (mut var_n, mut var_ok, mut fc_n, mut fc_bad) = (0, 0, 0, 0);
    for row in text.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (Some(file), Some(rec), Some(reason)) = (cols.first(), cols.get(3), cols.get(6)) else {
            continue;
        };
        let rcpt = cols
            .get(8)
            .map(|r| r.trim().to_lowercase())
            .unwrap_or_default();
        let found = records
            .get(&(file.to_string(), rcpt))
            .or_else(|| records.get(&(file.to_string(), rec.to_string())));
        if found.is_none_or(|v| v.get("error").is_some()) {
            // Sisimai could not parse it either: a parser matter, left out of these figures.
            println!("SKIP  {file}#{rec} {reason}: no server response to classify");
            continue;
        }
        let got = found.map(|v| {
            (
                classifier.classify(&record_from(v)),
                v["diagnosticcode"].to_string(),
            )
        });
        let (variation, evidence, diag) = match &got {
            Some((d, diag)) => (d.variation.as_str(), d.evidence.as_str(), diag.as_str()),
            None => ("(no record)", "", ""),
        };
        if std::env::var_os("BOUNCEBOOK_MEASURE_ALL").is_some() {
            println!(
                "ALL   {reason:14} -> {variation:24} [{evidence}] {:.120}",
                diag
            );
        }
        if let Some(ok) = causes(reason) {
            var_n += 1;
            if ok.contains(&variation) {
                var_ok += 1;
            } else {
                println!(
                    "MISS  {file}#{rec} {reason} -> {variation} [{evidence}] {:.150}",
                    diag
                );
            }
        } else if NOT_OURS.contains(reason) {
            fc_n += 1;
            if SPECIFIC.contains(&variation) {
                fc_bad += 1;
                println!(
                    "FALSE {file}#{rec} {reason} -> {variation} [{evidence}] {:.150}",
                    diag
                );
            }
        }
    }
    let pct = |a: i32, b: i32| {
        if b == 0 {
            0.0
        } else {
            100.0 * f64::from(a) / f64::from(b)
        }
    };
    println!(
        "variation {:.1}% ({var_ok}/{var_n})  false_cause {:.1}% ({fc_bad}/{fc_n})",
        pct(var_ok, var_n),
        pct(fc_bad, fc_n)
    );
}
