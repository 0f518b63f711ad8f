//! Issue 13 in a real terminal (tmux, the release binary, the real engine and playbooks):
//! `e` fills what a command lacks and `c` then copies it; every recipient with its cause and
//! a summary holding each record's work; a re-paste asks keep/clear and `h` switches back;
//! text that is not a bounce becomes a note, never the bounce; a paste into a too-small
//! window is announced once it is big enough. Copies are read back from tmux's buffer
//! (OSC 52 with `set-clipboard on`), so no display is needed.

mod support;

use std::process::Command;

use support::{BIN, Tmux, expected, fixture, head};

/// The app on `ticket` with no display (copies go out as OSC 52 into tmux's buffer).
fn start(t: &Tmux, ticket: &str) {
    t.start_with_env(
        &t.app_command(ticket),
        &[("DISPLAY", ""), ("WAYLAND_DISPLAY", ""), ("SSH_TTY", "")],
    );
    let set = t.tmux(&["set", "-s", "set-clipboard", "on"]);
    assert!(set.status.success());
    t.wait_text("No bounce yet");
}

fn buffer(t: &Tmux) -> String {
    let saved = t.tmux(&["save-buffer", "-"]);
    assert!(saved.status.success(), "tmux holds no buffer");
    String::from_utf8_lossy(&saved.stdout).into_owned()
}

fn cli(t: &Tmux, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("BOUNCEBOOK_DATA_DIR", t.data_dir())
        .env("BOUNCEBOOK_CONFIG_DIR", t.config_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `g` then `j` until step `id` of the playbook in force is selected.
fn select_step(t: &Tmux, steps: &[String], index: usize) {
    t.keys(&["g"]);
    for _ in 0..index {
        t.keys(&["j"]);
    }
    t.wait_text(&format!("Step {} of {}", index + 1, steps.len()));
}

#[test]
fn e_types_the_submission_host_c_then_copies_the_auth_test_and_the_summary_keeps_it() {
    let Some(t) = Tmux::new("advice-e") else {
        return;
    };
    let bounce = fixture("relay-local-telnet.txt");
    let (set, title, steps, variation) = expected(&bounce);
    assert_eq!(variation, "relay-denied");
    let playbook = set.get("relay-denied").unwrap();
    let index = playbook
        .steps
        .iter()
        .position(|s| s.id == "test-smtp-auth")
        .unwrap();
    start(&t, "e1");
    t.paste(&bounce);
    t.wait_text(&head(&title));
    select_step(&t, &steps, index);
    t.wait_text("swaks --server SUBMISSION_HOST");
    t.keys(&["c"]);
    t.wait_text("not copied: the command needs SUBMISSION_HOST");

    t.keys(&["e"]);
    t.wait_text("Values for this ticket");
    t.wait_text("a command here needs it");
    t.keys(&["Enter"]);
    t.wait_text("submission_host = ");
    t.keys(&["-l", "mail.ferry.example"]);
    t.keys(&["Enter"]);
    t.wait_text("submission_host set to mail.ferry.example");
    t.wait_for("the typed value marked as the agent's", |s| {
        s.lines().any(|l| {
            l.contains("submission_host  ")
                && l.contains("mail.ferry.example")
                && l.contains("yours")
        })
    });
    t.keys(&["Escape"]);
    t.wait_for("the values closed", |s| {
        !s.contains("Values for this ticket")
    });
    t.wait_text("swaks --server mail.ferry.example --port 587");
    t.keys(&["c"]);
    t.wait_text("command: ");
    let copied = buffer(&t);
    assert!(
        copied.starts_with("swaks --server mail.ferry.example --port 587"),
        "{copied}"
    );
    assert!(
        !copied.contains("--server mx.harbour"),
        "never the recipient's MX: {copied}"
    );
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let saved = t.ticket("e1");
    assert_eq!(
        saved.values.get("submission_host").map(String::as_str),
        Some("mail.ferry.example")
    );
    let summary = cli(&t, &["summary", "--ticket", "e1"]);
    assert!(
        summary.contains("mail.ferry.example (set by the agent)"),
        "{summary}"
    );
}

#[test]
fn two_recipients_two_causes_listed_worked_one_by_one_and_summarised_together() {
    let Some(t) = Tmux::new("advice-r") else {
        return;
    };
    let bounce = fixture("two-causes-postfix.eml");
    let parsed = bouncebook::bounce::parse(bounce.as_bytes()).unwrap();
    assert_eq!(parsed.records.len(), 2);
    start(&t, "r1");
    t.paste(&bounce);
    let screen = t.wait_text("CAUSES DIFFER");
    for r in &parsed.records {
        let who = r.recipient.as_deref().unwrap();
        assert!(screen.contains(who), "{who} listed:\n{screen}");
    }
    assert!(screen.contains("relay-denied") && screen.contains("recipient-unknown"));
    // Record 1: a tick and a note.
    t.keys(&["x"]);
    t.wait_text("✓ saved");
    t.keys(&["n"]);
    t.keys(&["-l", "asked the customer for the partner's MX"]);
    t.keys(&["Enter"]);
    t.wait_text("note saved on");
    // Record 2: its own checklist, a tick there.
    t.keys(&["r"]);
    t.wait_text("Which recipient?");
    t.keys(&["j", "Enter"]);
    t.wait_text("record 2/2");
    t.wait_for("no tick carried over", |s| support::ticked_rows(s) == 0);
    t.keys(&["x"]);
    t.wait_for("record 2's tick", |s| {
        support::ticked_rows(s) == 1 && s.contains("✓ saved")
    });
    t.keys(&["y"]);
    t.wait_text("summary: ");
    let summary = buffer(&t);
    for r in &parsed.records {
        assert!(
            summary.contains(r.recipient.as_deref().unwrap()),
            "{summary}"
        );
    }
    assert!(
        summary.contains("asked the customer for the partner's MX"),
        "{summary}"
    );
    assert!(
        summary.matches("[x]").count() >= 2,
        "both records' ticks:\n{summary}"
    );
    t.keys(&["q"]);
    t.wait_text("EXITED 0");

    let listed = cli(&t, &["tickets"]);
    assert!(listed.contains("causes differ"), "{listed}");
    for r in &parsed.records {
        let who = r.recipient.as_deref().unwrap();
        let line = listed.lines().find(|l| l.contains(who)).unwrap_or_default();
        assert!(
            line.contains("relay-denied") || line.contains("recipient-unknown"),
            "{listed}"
        );
    }
}

#[test]
fn re_paste_asks_keep_or_clear_h_switches_back_and_chat_text_becomes_a_note() {
    let Some(t) = Tmux::new("advice-h") else {
        return;
    };
    let first = fixture("relay-exim.txt");
    let second = fixture("unknown-postfix.txt");
    let (_, first_title, _, _) = expected(&first);
    let (_, second_title, _, _) = expected(&second);
    start(&t, "h1");
    t.paste(&first);
    t.wait_text(&head(&first_title));
    t.keys(&["x"]);
    t.wait_text("✓ saved");

    t.paste(&second);
    t.wait_text("A different bounce");
    t.keys(&["c"]);
    t.wait_text(&head(&second_title));
    t.wait_text("ticks and notes cleared");
    t.keys(&["h"]);
    t.wait_text("Earlier bounces of this ticket");
    t.wait_text("1 tick(s)/note(s) kept with it");
    t.keys(&["Enter"]);
    t.wait_for("the first bounce and its tick back", |s| {
        s.contains(&head(&first_title)) && support::ticked_rows(s) == 1
    });

    t.paste("Hi, the customer says it worked yesterday.\nCan you check?");
    t.wait_text("Not a bounce");
    t.keys(&["n"]);
    t.wait_text("the paste kept as a note");
    let screen = t.wait_text("✓ saved");
    assert!(
        screen.contains(&head(&first_title)),
        "the bounce stayed:\n{screen}"
    );
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let saved = t.ticket("h1");
    assert!(
        saved
            .bounce
            .as_deref()
            .unwrap()
            .contains("allowed rcpthosts")
    );
    assert_eq!(saved.history.len(), 1);
    let notes: Vec<String> = saved
        .records
        .values()
        .flat_map(|v| v.values())
        .flat_map(|s| s.values())
        .filter_map(|s| s.note.clone())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("it worked yesterday")),
        "{notes:?}"
    );
}

#[test]
fn a_paste_into_a_too_small_window_is_announced_once_it_is_big_enough() {
    let Some(mut t) = Tmux::new("advice-s") else {
        return;
    };
    t.size = (40, 10);
    t.start(&t.app_command("s1"));
    t.wait_text("terminal too small");
    let bounce = fixture("relay-exim.txt");
    t.paste(&bounce);
    t.wait_text("a paste was taken");
    let resized = t.tmux(&[
        "resize-window",
        "-t",
        support::PANE,
        "-x",
        "120",
        "-y",
        "40",
    ]);
    assert!(resized.status.success());
    t.wait_text("pasted while the window was too small");
}
