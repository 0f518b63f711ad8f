//! `bouncebook summary` end to end: from a saved ticket, from stdin, and its errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use support::BIN;

fn command(data: &Path) -> Command {
    support::isolated(Command::new(BIN), data)
}

/// Run with `input` on stdin, within a deadline.
fn run(mut cmd: Command, input: &[u8]) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("cannot run bouncebook");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !matches!(child.try_wait(), Ok(Some(_))) {
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("bouncebook summary did not finish within 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = writer.join();
    child.wait_with_output().expect("cannot collect output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write_ticket(data: &Path, id: &str, bounce: &str) -> PathBuf {
    let dir = data.join("data").join("tickets");
    std::fs::create_dir_all(&dir).unwrap();
    let ticket = serde_json::json!({
        "version": 1,
        "id": id,
        "created": "2024-06-04T08:00:00Z",
        "updated": "2024-06-04T09:00:00Z",
        "bounce": bounce,
        "selected_record": 0,
        "progress": {},
    });
    let path = dir.join(format!("{id}.json"));
    std::fs::write(&path, ticket.to_string()).unwrap();
    path
}

#[test]
fn summary_of_a_saved_ticket_in_markdown_never_shows_its_credentials() {
    let tmp = tempfile::tempdir().unwrap();
    let user = B64.encode("agent-login-5521");
    let pass = B64.encode("p4ss-w0rd-9930");
    // An older ticket file that still holds a raw transcript: redaction happens on output too.
    let bounce = format!(
        "AUTH LOGIN\n334 VXNlcm5hbWU6\n{user}\n334 UGFzc3dvcmQ6\n{pass}\n235 ok\nMAIL FROM:<a@shop-example.com>\n553 5.7.1 <a@shop-example.com>: Sender address rejected: not owned by user x\n"
    );
    write_ticket(tmp.path(), "48213", &bounce);
    let mut cmd = command(tmp.path());
    cmd.args(["summary", "--ticket", "48213", "--format", "markdown"]);
    let out = run(cmd, b"");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.starts_with("# Escalation summary: ticket 48213\n"),
        "{stdout}"
    );
    assert!(stdout.contains("2 credentials redacted"), "{stdout}");
    for secret in [&user, &pass, "agent-login-5521", "p4ss-w0rd-9930"] {
        assert!(!stdout.contains(secret), "{secret} leaked:\n{stdout}");
    }
    assert!(stdout.contains("```text\nAUTH LOGIN\n"), "{stdout}");
}

#[test]
fn summary_from_stdin_is_plain_text_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = command(tmp.path());
    cmd.args(["summary", "-"]);
    let out = run(
        cmd,
        b"553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n",
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.starts_with("Escalation summary: ticket unsaved (standard input)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("allowed rcpthosts"));
}

#[test]
fn bad_inputs_are_errors_with_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &[u8], &str); 3] = [
        (
            &["summary", "--ticket", "../../etc/passwd"],
            b"",
            "invalid ticket id",
        ),
        (
            &["summary", "--ticket", "404"],
            b"",
            "cannot read ticket 404",
        ),
        (&["summary", "-"], b"  \n\t\n", "the input is empty"),
    ];
    for (args, input, expected) in cases {
        let mut cmd = command(tmp.path());
        cmd.args(args);
        let out = run(cmd, input);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(
            text(&out.stderr).contains(expected),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}
