//! `bouncebook tickets [--json]` against a data dir prepared with the store.

use std::process::Command;

use bouncebook::ticket::{self, StepState};
use chrono::{TimeZone, Utc};

const BIN: &str = env!("CARGO_BIN_EXE_bouncebook");

fn run(data: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("BOUNCEBOOK_DATA_DIR", data)
        .env("BOUNCEBOOK_CONFIG_DIR", data.join("config"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn tickets_are_listed_newest_first_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, _) = run(dir.path(), &["tickets"]);
    assert!(ok);
    assert!(out.starts_with("no saved tickets"), "{out}");

    for (id, minute) in [("100", 1), ("300", 30), ("200", 10)] {
        let when = Utc.with_ymd_and_hms(2026, 11, 29, 7, minute, 0).unwrap();
        let opened = ticket::open(dir.path(), id, when).unwrap();
        let mut t = opened.ticket.clone();
        t.bounce = Some("553 sorry, that domain isn't in my list of allowed rcpthosts\n".into());
        opened.handle.save(&t).unwrap();
    }
    // Tick one step of whatever variation the stored bounce is classified as.
    let opened = ticket::open(dir.path(), "300", Utc::now()).unwrap();
    let mut t = opened.ticket.clone();
    let set = bouncebook::playbook::load(None, &[]);
    let parsed = bouncebook::bounce::parse(t.bounce.as_deref().unwrap().as_bytes()).unwrap();
    let variation = bouncebook::classify::Classifier::new(&set)
        .classify(&parsed.records[0])
        .variation;
    let step = set.get(&variation).unwrap().steps[0].id.clone();
    t.progress.entry(variation.clone()).or_default().insert(
        step,
        StepState {
            done: true,
            ..StepState::default()
        },
    );
    opened.handle.save(&t).unwrap();
    drop(opened);

    let (ok, out, err) = run(dir.path(), &["tickets", "--json"]);
    assert!(ok, "{err}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["300", "200", "100"]);
    assert_eq!(rows[0]["variation"], variation.as_str());
    assert_eq!(rows[0]["done"], 1);
    assert_eq!(rows[1]["done"], 0);

    let (ok, out, _) = run(dir.path(), &["tickets"]);
    assert!(ok);
    let first = out.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("300 "), "{out}");
    assert!(first.contains(&variation), "{out}");
}
