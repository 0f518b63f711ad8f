//! Held-out 553 pastes (`tests/data/heldout-553/`), written after the rules and never used
//! to change them: the file name's first part is the cause the paste must get (`none` =
//! none of ours). Eleven paste formats: Exim/cPanel bounces, exim_mainlog, Postfix DSN text,
//! maillog, Sendmail, qmail-send, Gmail, Office 365, mail client dialogs, PHPMailer logs,
//! an openssl/telnet transcript.
//!
//! `cargo test --release --test classify_heldout -- --ignored --nocapture` prints the
//! figure. It is a measurement, not a gate: a threshold tuned after seeing it would no
//! longer measure anything.

use std::path::PathBuf;

use bouncebook::classify::Classifier;

mod support;
use support::SPECIFIC_CAUSES as SPECIFIC;

fn pastes() -> Vec<(String, String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/heldout-553");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the held-out set is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let cause = name.split('.').next().unwrap_or_default().to_string();
            let bytes = std::fs::read(&p).expect("readable paste");
            (name, cause, bytes)
        })
        .collect()
}

#[test]
fn every_held_out_paste_parses_and_every_record_has_evidence() {
    let c = Classifier::new(&bouncebook::playbook::embedded());
    let all = pastes();
    assert!(all.len() >= 20, "{} pastes", all.len());
    for (name, cause, bytes) in &all {
        assert!(
            cause == "none" || SPECIFIC.contains(&cause.as_str()),
            "{name}: unknown cause"
        );
        // A paste the parser finds no record in counts as a miss in the figure below.
        let bounce = bouncebook::bounce::parse(bytes).expect("a paste parses");
        for r in &bounce.records {
            assert!(!c.classify(r).evidence.is_empty(), "{name}: no evidence");
        }
    }
}

#[test]
#[ignore = "prints the held-out figure; run with --ignored --nocapture"]
fn held_out_figure() {
    let c = Classifier::new(&bouncebook::playbook::embedded());
    let (mut right, mut total) = (0, 0);
    for (name, cause, bytes) in pastes() {
        let Ok(bounce) = bouncebook::bounce::parse(&bytes) else {
            println!("  {name}: does not parse");
            total += 1;
            continue;
        };
        let Some(r) = bounce.records.first() else {
            println!("  {name}: no record");
            total += 1;
            continue;
        };
        let d = c.classify(r);
        let ok = if cause == "none" {
            !SPECIFIC.contains(&d.variation.as_str())
        } else {
            d.variation == cause
        };
        total += 1;
        if ok {
            right += 1;
        }
        println!(
            "  {} {name}: {} ({:?}: {}) code={:?} status={:?} stage={:?}",
            if ok { "ok  " } else { "MISS" },
            d.variation,
            d.basis,
            d.evidence,
            r.reply_code,
            r.status,
            r.stage.map(|s| s.as_str())
        );
    }
    println!(
        "held-out 553 pastes: {right}/{total} right ({:.1}%)",
        100.0 * right as f64 / total.max(1) as f64
    );
}
