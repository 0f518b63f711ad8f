//! Terminal hygiene after every way out, in a real terminal (tmux): a normal `q`, SIGTERM,
//! SIGHUP and a panic (injected in the release binary with `BOUNCEBOOK_TEST_PANIC`). After
//! each one the pane must be off the alternate screen, out of raw mode (`stty -a`), with
//! bracketed paste off (a bracketed paste into `cat` arrives bare) and the cursor shown;
//! and the ticks saved before the end must be in the ticket file.

mod support;

use support::{BIN, Tmux, expected, fixture, fixture_path, head, ticked_rows};

/// Paste the relay bounce (when `paste`) and tick the first two steps, waiting for the
/// screen to report both saved. Returns the variation id.
fn tick_two(t: &Tmux, paste: bool) -> String {
    let bounce = fixture("relay-exim.txt");
    let (_, title, _, variation) = expected(&bounce);
    if paste {
        t.wait_text("No bounce yet");
        t.paste(&bounce);
    }
    t.wait_text(&head(&title));
    assert_eq!(
        t.display("#{alternate_on}"),
        "1",
        "the app runs on the alternate screen"
    );
    t.keys(&["x", "j", "x"]);
    t.wait_for("two ticks saved", |s| {
        ticked_rows(s) == 2 && s.contains("(2/") && s.contains("· saved")
    });
    variation
}

#[test]
fn quitting_with_q_restores_the_terminal() {
    let Some(t) = Tmux::new("hyg-q") else {
        return;
    };
    t.start(&t.hygiene_script(&format!("'{BIN}' --ticket 5100")));
    let variation = tick_two(&t, true);
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    t.assert_terminal_restored("after q");
    assert_eq!(t.ticket("5100").done_count(&variation), 2);
}

fn signal_restores_terminal_and_keeps_ticks(signal: &str, code: u8) {
    let Some(t) = Tmux::new(&format!("sig{signal}")) else {
        return;
    };
    t.start(&t.hygiene_script(&format!("'{BIN}' --ticket 9001")));
    let variation = tick_two(&t, true);
    t.keys(&["Tab"]); // a position change that only the exit save records
    // Read before the signal comes, or it would stay in the terminal's input queue.
    t.wait_text("┌▸ Bounce");

    let pid = t.app_pid();
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status();
    assert!(status.unwrap().success());
    t.wait_text(&format!("EXITED {code}"));
    t.assert_terminal_restored(&format!("after SIG{signal}"));

    let saved = t.ticket("9001");
    assert_eq!(saved.done_count(&variation), 2, "the ticks survived");
    assert_eq!(saved.ui.focus, "bounce", "state saved on the signal");
}

#[test]
fn sigterm_saves_and_restores_the_terminal() {
    signal_restores_terminal_and_keeps_ticks("TERM", 143);
}

#[test]
fn sighup_saves_and_restores_the_terminal() {
    signal_restores_terminal_and_keeps_ticks("HUP", 129);
}

/// A panic in the real release binary (the test-only `BOUNCEBOOK_TEST_PANIC=after-paste`
/// hook makes it panic right after handling a paste): the panic hook gives the terminal
/// back before the message is printed, so the message is readable, the shell usable, and
/// nothing saved before the panic is lost.
#[test]
fn a_panic_restores_the_terminal_and_keeps_the_saved_ticks() {
    let Some(t) = Tmux::new("panic") else {
        return;
    };
    let first = fixture("relay-exim.txt");
    // The bounce is preloaded from a file (not pasted), so the hook does not fire yet.
    let app = format!(
        "'{BIN}' --ticket 6100 '{}'",
        fixture_path("relay-exim.txt").display()
    );
    t.start_with_env(
        &t.hygiene_script(&app),
        &[("BOUNCEBOOK_TEST_PANIC", "after-paste")],
    );
    let variation = tick_two(&t, false);

    // This paste is handled (a different bounce on a ticket with ticks: it waits for the
    // agent's keep/clear answer, unsaved), then the app panics.
    let second = fixture("unknown-postfix.txt");
    t.paste(&second);
    let screen = t.wait_text("EXITED 101");
    // Readable: each line of the message starts at the left margin (raw mode left on would
    // print a staircase, the alternate screen would hide it).
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("thread 'main'") && l.contains("panicked at")),
        "the panic message is not readable:\n{screen}"
    );
    assert!(
        lines.iter().any(|l| l
            .starts_with("BOUNCEBOOK_TEST_PANIC=after-paste: panic injected for the test suite")),
        "the panic message is not readable:\n{screen}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("EXITED 101")),
        "{screen}"
    );
    t.assert_terminal_restored("after a panic");

    let saved = t.ticket("6100");
    assert_eq!(
        saved.done_count(&variation),
        2,
        "the ticks saved before the panic"
    );
    assert_eq!(
        saved.bounce.as_deref(),
        Some(first.as_str()),
        "a crash never answers keep/clear: the saved bounce is the first"
    );
    assert!(
        saved.history.is_empty(),
        "nothing replaced, nothing in the history"
    );
}

/// The hook is inert without the variable: the same paste is just a paste.
#[test]
fn without_the_test_variable_a_paste_does_not_panic() {
    let Some(t) = Tmux::new("nopanic") else {
        return;
    };
    let app = format!(
        "'{BIN}' --ticket 6200 '{}'",
        fixture_path("relay-exim.txt").display()
    );
    t.start_with_env(
        &t.app_command_line(&app),
        &[("BOUNCEBOOK_TEST_PANIC", "something-else")],
    );
    tick_two(&t, false);
    t.paste(&fixture("unknown-postfix.txt"));
    t.wait_text("A different bounce");
    t.keys(&["Enter"]);
    t.wait_text("previous bounce kept");
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
}
