//! Issue 17 from the command line: a cause the agent set (`v`) is marked in `tickets` and
//! `summary --ticket` (text and Markdown), the work on the earlier cause is listed, and
//! `tickets corrections` lists every agent-set cause as text, JSON Lines and YAML examples.

use std::path::Path;
use std::process::Command;

use bouncebook::bounce;
use bouncebook::cause::record_ref;
use bouncebook::classify::Classifier;
use bouncebook::ticket::{self, StepState};
use chrono::{TimeZone, Utc};

const BIN: &str = env!("CARGO_BIN_EXE_bouncebook");

fn run(data: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("BOUNCEBOOK_DATA_DIR", data)
        .env("BOUNCEBOOK_CONFIG_DIR", data.join("config"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tui")
            .join(name),
    )
    .unwrap()
}

/// A saved ticket with `bounce`, one tick on the classifier's cause, then the agent's cause
/// `chosen` for its first record. Returns what the classifier said.
fn ticket_with_agent_cause(data: &Path, id: &str, bounce_text: &str, chosen: &str) -> String {
    let when = Utc.with_ymd_and_hms(2026, 12, 6, 0, 30, 0).unwrap();
    let opened = ticket::open(data, id, when).unwrap();
    let mut t = opened.ticket.clone();
    t.bounce = Some(bounce_text.to_string());
    let set = bouncebook::playbook::load(None, &[]);
    let parsed = bounce::parse(bounce_text.as_bytes()).unwrap();
    let record = &parsed.records[0];
    let d = Classifier::new(&set).classify(record);
    assert_ne!(d.variation, chosen, "the test needs a correction");
    let step = set.get(&d.variation).unwrap().steps[0].id.clone();
    t.progress.entry(d.variation.clone()).or_default().insert(
        step,
        StepState {
            done: true,
            done_at: Some(when),
            note: Some("tried port 587".into()),
        },
    );
    assert!(t.set_cause_at_stage(
        &record_ref(0, record),
        record.stage.map(|s| s.as_str()),
        &d.variation,
        d.confidence,
        chosen,
        when,
    ));
    opened.handle.save(&t).unwrap();
    d.variation
}

#[test]
fn an_agent_set_cause_is_marked_in_tickets_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let said = ticket_with_agent_cause(
        dir.path(),
        "48213",
        &fixture("relay-exim.txt"),
        "sender-not-owned",
    );

    let (ok, out, err) = run(dir.path(), &["tickets", "--json"]);
    assert!(ok, "{err}");
    let row: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(row["variation"], "sender-not-owned");
    assert_eq!(row["agent_set"], true);
    let mark = row["mark"].as_str().unwrap().to_string();
    assert!(
        mark.starts_with(&format!(
            "cause set by the agent; bouncebook said {said} at "
        )),
        "{mark}"
    );
    let (_, out, _) = run(dir.path(), &["tickets"]);
    assert!(out.contains(&mark), "{out}");

    for format in ["text", "markdown", "jira"] {
        let (ok, out, err) = run(
            dir.path(),
            &["summary", "--ticket", "48213", "--format", format],
        );
        assert!(ok, "{err}");
        assert!(out.contains("sender-not-owned"), "{format}: {out}");
        assert!(out.contains(&mark), "{format}: {out}");
        assert!(out.contains("Work on earlier causes"), "{format}: {out}");
        assert!(
            out.contains(&format!("earlier cause {said}")),
            "{format}: {out}"
        );
        assert!(out.contains("tried port 587"), "{format}: {out}");
    }
}

#[test]
fn corrections_in_all_three_forms() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, _) = run(dir.path(), &["tickets", "corrections"]);
    assert!(ok);
    assert_eq!(out, "no causes set by hand in 0 tickets\n");

    let said = ticket_with_agent_cause(
        dir.path(),
        "48213",
        &fixture("relay-exim.txt"),
        "sender-not-owned",
    );
    // A ticket without corrections is not listed.
    let opened = ticket::open(dir.path(), "500", Utc::now()).unwrap();
    opened.handle.save(&opened.ticket).unwrap();
    drop(opened);

    let (ok, text, err) = run(dir.path(), &["tickets", "corrections"]);
    assert!(ok, "{err}");
    assert!(
        text.starts_with(
            "ticket 48213 record 1  orders@supplier-example.org  2026-12-06 00:30:00 UTC\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  server said:     553 sorry, that domain isn't in my list of allowed rcpthosts"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("  bouncebook said: {said} (")),
        "{text}"
    );
    assert!(
        text.contains("  agent set:       sender-not-owned\n"),
        "{text}"
    );

    let (ok, json, err) = run(dir.path(), &["tickets", "corrections", "--json"]);
    assert!(ok, "{err}");
    let rows: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["ticket"], "48213");
    assert_eq!(r["record"], 1);
    assert_eq!(r["recipient"], "orders@supplier-example.org");
    assert_eq!(r["bouncebook_said"], said.as_str());
    assert_eq!(r["agent_set"], "sender-not-owned");
    assert_eq!(r["stage"], "RCPT TO");
    assert_eq!(r["when"], "2026-12-06T00:30:00Z");
    assert!(
        r["server_words"]
            .as_str()
            .unwrap()
            .contains("allowed rcpthosts")
    );

    let (ok, yaml, err) = run(dir.path(), &["tickets", "corrections", "--yaml"]);
    assert!(ok, "{err}");
    #[derive(serde::Deserialize)]
    struct Doc {
        examples: Vec<Example>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Example {
        line: String,
        cause: Option<String>,
        stage: Option<String>,
        source: String,
    }
    let doc: Doc = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(doc.examples.len(), 1, "{yaml}");
    let e = &doc.examples[0];
    assert_eq!(e.line, r["server_words"].as_str().unwrap());
    assert_eq!(e.cause.as_deref(), Some("sender-not-owned"));
    assert_eq!(e.stage.as_deref(), Some("RCPT TO"));
    assert!(e.source.contains("ticket 48213 record 1"), "{}", e.source);
    assert!(
        e.source.contains(&format!("bouncebook said {said}")),
        "{}",
        e.source
    );
}
