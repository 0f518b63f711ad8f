//! The real terminal, everyday paths: the binary runs in tmux, a bounce is pasted with
//! `paste-buffer -p` (bracketed), keys are typed with `send-keys`, the screen is read with
//! `capture-pane`. Each test has its own tmux server (`-L`) and its own data/config dirs.
//! The harness is in `support/`; kills, signals, panics, corrupt files and full or
//! read-only disks are in `robustness_*.rs`.
//!
//! Nothing here sleeps to assert: every wait polls the screen (or a file) until a
//! condition holds, and fails with the last screen after a timeout.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{Tmux, expected, fixture, head, ticked_rows};

#[test]
fn paste_tick_quit_and_resume_keeps_the_ticks() {
    let Some(t) = Tmux::new("resume") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    let (_, title, steps, variation) = expected(&bounce);
    // Two ticks when the playbook has two steps or more (the real ones do).
    let ticks = steps.len().min(2);

    t.start(&t.app_command("48213"));
    t.wait_text("No bounce yet");
    t.paste(&bounce);
    // One condition: a capture can land between the chunks of one frame.
    t.wait_for("the title and the first step", |s| {
        s.contains(&head(&title)) && s.contains(&head(&steps[0]))
    });

    for _ in 0..ticks {
        t.keys(&["x", "j"]);
    }
    t.wait_for("the ticks and their save", |s| {
        ticked_rows(s) == ticks && s.contains("✓ saved")
    });
    t.keys(&["q"]);
    t.wait_text("EXITED 0");

    let saved = t.ticket("48213");
    assert_eq!(saved.done_count(&variation), ticks);
    assert_eq!(saved.bounce.as_deref(), Some(bounce.as_str()));

    t.respawn(&t.app_command("48213"));
    let progress = format!("{ticks}/{}", steps.len());
    t.wait_for("the resumed ticks, title and progress", |s| {
        ticked_rows(s) == ticks && s.contains(&head(&title)) && s.contains(&progress)
    });
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
}

/// A dropped SSH session or a killed tmux server: the terminal hangs up under the app. It
/// must save and exit at once, not spin on a dead terminal (crossterm alone would loop on
/// `read() == 0` forever, holding the ticket lock at full CPU).
#[test]
fn a_terminal_that_hangs_up_ends_the_app_with_state_saved() {
    let Some(t) = Tmux::new("hangup") else {
        return;
    };
    t.start(&t.app_command("77"));
    t.wait_text("No bounce yet");
    let bounce = fixture("relay-exim.txt");
    let (_, title, _, variation) = expected(&bounce);
    t.paste(&bounce);
    t.wait_text(&head(&title));
    t.keys(&["x"]);
    t.wait_for("the tick saved", |s| {
        ticked_rows(s) == 1 && s.contains("✓ saved")
    });
    t.keys(&["Tab"]); // a position change that only the exit save records
    // Read before the signal comes, or it would stay in the terminal's input queue.
    t.wait_text("┌▸ Bounce");
    let pid = t.app_pid();
    let _ = t.tmux(&["kill-server"]);
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z")
    {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "bouncebook still running {:?} after its terminal hung up",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let saved = t.ticket("77");
    assert_eq!(saved.done_count(&variation), 1, "the tick survived");
    assert_eq!(
        saved.ui.focus, "bounce",
        "the exit path saved the position (not only the watchdog)"
    );
}

#[test]
fn a_bounce_on_stdin_is_preloaded_and_keys_come_from_the_terminal() {
    let Some(t) = Tmux::new("stdin") else {
        return;
    };
    let file = support::fixture_path("relay-exim.txt");
    let bounce = fixture("relay-exim.txt");
    let (_, title, _, variation) = expected(&bounce);
    t.start(&format!(
        "cat '{}' | '{}' --ticket 31 -; echo EXITED $?; sleep 600",
        file.display(),
        support::BIN
    ));
    t.wait_text(&head(&title));
    t.keys(&["x"]);
    t.wait_for("the tick", |s| ticked_rows(s) == 1 && s.contains("✓ saved"));
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    assert_eq!(t.ticket("31").done_count(&variation), 1);
}

/// Captures the README's screenshot from a real session (run after playbook or layout
/// changes, then paste the file into README.md):
/// `cargo test --release --test tmux_session -- --ignored readme_screenshot --nocapture`.
#[test]
#[ignore = "writes target/tmp/screenshot.txt for the README; run on demand"]
fn readme_screenshot() {
    let Some(t) = Tmux::new("shot") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    let (_, title, steps, _) = expected(&bounce);
    t.start(&t.app_command("48213"));
    t.wait_text("No bounce yet");
    t.paste(&bounce);
    t.wait_text(&head(&title));
    let ticks = steps.len().min(2);
    for _ in 0..ticks {
        t.keys(&["x", "j"]);
    }
    t.keys(&["n"]);
    t.keys(&["-l", "customer confirmed: Outlook, port 25, no auth"]);
    t.keys(&["Enter"]);
    let screen = t.wait_for("the note saved", |s| {
        s.contains("note saved") && s.contains("✓ saved")
    });
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshot.txt");
    let trimmed: Vec<&str> = screen.lines().map(str::trim_end).collect();
    std::fs::write(&out, trimmed.join("\n") + "\n").unwrap();
    println!("screenshot written to {}", out.display());
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
}
