//! `bouncebook triage` through the real binary: the JSON Lines contract field by field, the
//! text form, bad inputs and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_bouncebook");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounces")
}

/// Run with empty config and data dirs so a developer's own playbooks do not leak in.
fn triage(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(BIN);
    cmd.arg("triage")
        .args(args)
        .env("BOUNCEBOOK_CONFIG_DIR", home.path().join("config"))
        .env("BOUNCEBOOK_DATA_DIR", home.path().join("data"))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(data).expect("write stdin");
    }
    child.wait_with_output().expect("binary finishes")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    k
}

#[test]
fn json_contract_field_by_field() {
    let path = fixtures().join("dsn-postfix-two-recipients.eml");
    let path = path.to_str().expect("utf-8 path");
    let out = triage(&["--json", path], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let o = &lines[0];
    assert_eq!(
        keys(o),
        [
            "error",
            "facts",
            "message_id",
            "records",
            "reporting_mta",
            "sender",
            "source",
            "subject",
            "timestamp"
        ]
    );
    assert_eq!(o["source"], path);
    assert_eq!(o["error"], Value::Null);
    assert_eq!(o["sender"], "webshop@bakery.example");
    // When the failure was reported: the bounce's Date, not the Arrival-Date.
    assert_eq!(o["timestamp"], "2025-03-04T08:15:02Z");
    assert_eq!(o["subject"], "Weekly flour order #118");
    assert_eq!(o["message_id"], "order-118@bakery.example");
    assert_eq!(o["reporting_mta"], "relay.hostingco.example");

    let records = o["records"].as_array().expect("records array");
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(
        keys(r),
        [
            "action",
            "confidence",
            "diagnostic",
            "evidence",
            "recipient",
            "remote_mta",
            "reply_code",
            "stage",
            "status",
            "temporary",
            "variation"
        ]
    );
    assert_eq!(r["temporary"], false);
    assert_eq!(
        keys(&o["facts"]),
        [
            "authenticated",
            "refused_by",
            "reporting_system",
            "sending_ip"
        ]
    );
    assert_eq!(r["recipient"], "orders@flour-mill.example");
    assert_eq!(r["reply_code"], 553);
    assert_eq!(r["status"], "5.7.1");
    assert_eq!(
        r["diagnostic"],
        "553 5.7.1 <orders@flour-mill.example>: Recipient address rejected: we do not relay for this domain"
    );
    assert_eq!(r["stage"], "RCPT TO");
    assert_eq!(r["remote_mta"], "mx1.flour-mill.example [198.51.100.25]");
    assert_eq!(r["action"], "failed");
    // The cause comes from the classifier: a known id, a confidence in 0..=1, evidence text.
    let known = [
        "relay-denied",
        "sender-not-owned",
        "recipient-unknown",
        "sender-domain-missing",
        "recipient-domain-missing",
        "address-syntax",
        "policy-blocked",
        "mail-loop",
        "generic-553",
        "unclassified",
    ];
    for rec in records {
        let v = rec["variation"].as_str().expect("variation string");
        assert!(known.contains(&v), "unknown variation {v}");
        let c = rec["confidence"].as_f64().expect("confidence number");
        assert!((0.0..=1.0).contains(&c));
        assert!(rec["evidence"].is_string());
    }
    assert_eq!(records[1]["recipient"], "ann.baker@rye.example");
    assert_eq!(records[1]["reply_code"], 550);
}

#[test]
fn nulls_where_the_bounce_says_nothing() {
    let out = triage(&["--json", "-"], Some(b"553 mailbox name not allowed\n"));
    assert_eq!(out.status.code(), Some(0));
    let o = &json_lines(&out)[0];
    assert_eq!(o["source"], "-");
    assert_eq!(o["sender"], Value::Null);
    assert_eq!(o["timestamp"], Value::Null);
    let r = &o["records"][0];
    assert_eq!(r["reply_code"], 553);
    assert_eq!(
        r["status"],
        Value::Null,
        "no enhanced status in the text: none invented"
    );
    assert_eq!(r["stage"], Value::Null);
    assert_eq!(r["remote_mta"], Value::Null);
}

#[test]
fn directory_is_walked_sorted_and_recursively() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("b-sub");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::copy(fixtures().join("yahoo.eml"), dir.path().join("c.eml")).expect("copy");
    std::fs::copy(fixtures().join("gmail.eml"), sub.join("z.eml")).expect("copy");
    std::fs::copy(fixtures().join("exim-cpanel.eml"), dir.path().join("a.eml")).expect("copy");
    let out = triage(&["--json", dir.path().to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(0));
    let sources: Vec<String> = json_lines(&out)
        .iter()
        .map(|o| {
            Path::new(o["source"].as_str().expect("source"))
                .strip_prefix(dir.path())
                .expect("under the dir")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(sources, ["a.eml", "b-sub/z.eml", "c.eml"]);
}

#[test]
fn bad_inputs_get_an_error_line_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("1-empty.txt"), b"").expect("write");
    std::fs::write(
        dir.path().join("2-binary.bin"),
        b"\0\x01\x02\x03PK\x03\x04\0\0",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("3-latin1.txt"),
        b"Remote host said: 553 Adresse ung\xfcltig\n",
    )
    .expect("write");
    // Tests run as root, so permissions cannot make a file unreadable: a dangling symlink can.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("4-dangling.eml"))
        .expect("symlink");
    std::fs::copy(fixtures().join("gmail.eml"), dir.path().join("5-good.eml")).expect("copy");

    let out = triage(&["--json", dir.path().to_str().expect("path")], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unreadable input makes the exit code 1"
    );
    let lines = json_lines(&out);
    let by_name = |name: &str| {
        lines
            .iter()
            .find(|o| o["source"].as_str().is_some_and(|s| s.ends_with(name)))
            .unwrap_or_else(|| panic!("no line for {name}"))
    };
    let empty = by_name("1-empty.txt");
    assert_eq!(empty["error"], "the input is empty");
    assert_eq!(empty["records"], Value::Array(vec![]));
    let binary = by_name("2-binary.bin");
    assert!(
        binary["error"]
            .as_str()
            .is_some_and(|e| e.contains("binary"))
    );
    assert_eq!(binary["records"], Value::Array(vec![]));
    let latin1 = by_name("3-latin1.txt");
    assert_eq!(latin1["error"], Value::Null);
    assert_eq!(latin1["records"][0]["reply_code"], 553);
    #[cfg(unix)]
    {
        let dangling = by_name("4-dangling.eml");
        assert!(
            dangling["error"]
                .as_str()
                .is_some_and(|e| e.contains("cannot read"))
        );
        assert_eq!(dangling["records"], Value::Array(vec![]));
    }
    let good = by_name("5-good.eml");
    assert_eq!(good["error"], Value::Null);
    assert_eq!(good["records"][0]["recipient"], "wax@bees.example");
}

#[test]
fn missing_file_is_reported_and_exit_code_is_one() {
    let out = triage(&["--json", "/nonexistent/bounce.eml"], None);
    assert_eq!(out.status.code(), Some(1));
    let o = &json_lines(&out)[0];
    assert_eq!(o["source"], "/nonexistent/bounce.eml");
    assert!(
        o["error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot read"))
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = triage(&["--no-such-flag"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn text_form_for_people() {
    let path = fixtures().join("exim-cpanel.eml");
    let out = triage(&[path.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("letters@inkwell.example"), "{text}");
    assert!(text.contains("553 5.7.1"), "{text}");
    assert!(text.contains("at RCPT TO"), "{text}");
    assert!(
        text.contains("mx.inkwell.example [198.51.100.80]"),
        "{text}"
    );
    assert!(text.contains("cause: "), "{text}");
}

#[test]
fn escape_sequences_in_a_paste_do_not_reach_the_terminal() {
    let paste = b"553 5.7.1 \x1b]52;c;ZXZpbA==\x07 evil \x1b[2J text\n";
    let out = triage(&["-"], Some(paste));
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.contains(&0x1b), "ESC reached stdout");
}

/// Output follows the input order whatever order the worker threads finish in, and stdin
/// named twice is read once, by the first `-`.
#[test]
fn output_keeps_input_order_across_threads_and_stdin_is_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml") || n.ends_with(".txt") || n.ends_with(".log"))
        .collect();
    assert!(names.len() >= 20, "{names:?}");
    // Many inputs of very different sizes, so that threads finish out of order.
    let mut expected = Vec::new();
    for copy in 0..30 {
        for n in &names {
            let to = dir.path().join(format!("{copy:02}-{n}"));
            std::fs::copy(fixtures().join(n), &to).expect("copy");
            expected.push(to.display().to_string());
        }
    }
    expected.sort();
    let path = dir.path().to_str().expect("path");
    let out = triage(
        &["--json", "-", path, "-"],
        Some(b"553 sorry, no mailbox here by that name\n"),
    );
    let lines = json_lines(&out);
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(sources.len(), expected.len() + 2);
    assert_eq!(sources[0], "-");
    assert_eq!(
        sources[1..=expected.len()],
        expected.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );
    assert_eq!(lines[0]["records"][0]["reply_code"], 553);
    assert_eq!(lines[0]["error"], Value::Null);
    assert_eq!(lines[expected.len() + 1]["source"], "-");
    assert_eq!(lines[expected.len() + 1]["error"], "the input is empty");
}

/// `bouncebook triage --json DIR | head -1`: the reader goes away after one line; the run
/// ends quietly (no panic, no error message, exit 0) instead of working on or hanging with
/// its worker threads waiting.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let home = tempfile::tempdir().expect("temp dir");
    let source = fixtures().join("exim-cpanel.eml");
    for i in 0..3_000 {
        std::fs::copy(&source, dir.path().join(format!("{i:04}.eml"))).expect("copy");
    }
    let mut child = Command::new(BIN)
        .args(["triage", "--json"])
        .arg(dir.path())
        .env("BOUNCEBOOK_CONFIG_DIR", home.path().join("config"))
        .env("BOUNCEBOOK_DATA_DIR", home.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    assert!(first.contains("\"source\""), "{first}");
    // The reader is gone now. A hang shows as this loop running out (generous: not a speed
    // check, the run takes well under a second).
    let mut status = None;
    for _ in 0..600 {
        if let Some(s) = child.try_wait().expect("wait") {
            status = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("triage still running 60 s after its reader went away");
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.trim().is_empty(), "{stderr}");
}

#[test]
fn global_options_may_stand_before_triage() {
    let home = tempfile::tempdir().expect("temp dir");
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/playbooks/broken");
    let bounce = fixtures().join("bare-response.txt");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env("BOUNCEBOOK_CONFIG_DIR", home.path().join("config"))
            .env("BOUNCEBOOK_DATA_DIR", home.path().join("data"))
            .stdin(Stdio::null())
            .output()
            .expect("binary runs")
    };
    let broken_arg = broken.to_str().expect("utf-8 path");
    let bounce_arg = bounce.to_str().expect("utf-8 path");
    // The folder before `triage` is loaded: its broken playbook is reported as skipped.
    let out = run(&["--playbooks", broken_arg, "triage", "--json", bounce_arg]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["source"], bounce_arg);
    let skipped = broken.join("relay-denied.yaml").display().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("playbook skipped") && stderr.contains(&skipped),
        "{stderr}"
    );
    // The same after the subcommand, as before.
    let out = run(&["triage", "--playbooks", broken_arg, "--json", bounce_arg]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&skipped));
    // --ticket means nothing to triage: a usage error, not silently ignored.
    let out = run(&["--ticket", "t1", "triage", bounce_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ticket does not apply to `triage`"));
}
