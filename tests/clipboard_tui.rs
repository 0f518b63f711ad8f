//! The escalation summary copied from the running TUI with `y`, read back from a real
//! clipboard: X11 (Xvfb + xclip), while the app runs and after it quits; and OSC 52 through
//! tmux when there is no display.

mod support;

use bouncebook::bounce;
use support::{Tmux, Xvfb, expected, fixture, head};

/// Values an escalation must carry, taken from the parsed fixture (not typed in here), plus a
/// line of the bounce itself.
fn must_hold(text: &str) -> Vec<String> {
    let parsed = bounce::parse(text.as_bytes()).unwrap();
    let record = &parsed.records[0];
    let mut values = vec![
        parsed.sender.clone().expect("the fixture names its sender"),
        record
            .recipient
            .clone()
            .expect("the fixture names its recipient"),
        parsed.timestamp_raw.clone().expect("the fixture is dated"),
    ];
    let deciding = record
        .source_line
        .expect("the deciding line is in the text");
    values.push(text.lines().nth(deciding).unwrap().trim().to_string());
    values
}

fn paste_and_copy(t: &Tmux, bounce: &str, status: &str) {
    let (_, title, _, _) = expected(bounce);
    t.wait_text("No bounce yet");
    t.paste(bounce);
    t.wait_text(&head(&title));
    t.keys(&["y"]);
    t.wait_text(status);
}

#[test]
fn y_copies_the_summary_to_the_x11_clipboard_and_it_survives_quit() {
    let Some(xvfb) = Xvfb::start(340..440) else {
        return;
    };
    let Some(t) = Tmux::new("clipx") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    t.start_with_env(&t.app_command("c1"), &[("DISPLAY", &xvfb.display)]);
    paste_and_copy(&t, &bounce, "copied to the clipboard (X11)");

    let live = xvfb.clipboard();
    for value in must_hold(&bounce) {
        assert!(live.contains(&value), "clipboard lacks {value:?}:\n{live}");
    }

    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let after = xvfb.clipboard();
    assert_eq!(after, live, "the copy did not outlive the app");
}

#[test]
fn y_without_a_display_sends_osc52_through_tmux() {
    let Some(t) = Tmux::new("clipo") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    t.start_with_env(
        &t.app_command("c2"),
        &[("DISPLAY", ""), ("WAYLAND_DISPLAY", ""), ("SSH_TTY", "")],
    );
    let set = t.tmux(&["set", "-s", "set-clipboard", "on"]);
    assert!(set.status.success());
    paste_and_copy(&t, &bounce, "OSC 52");

    let saved = t.tmux(&["save-buffer", "-"]);
    assert!(saved.status.success(), "tmux holds no buffer");
    let buffer = String::from_utf8_lossy(&saved.stdout).into_owned();
    assert!(
        buffer.contains("Escalation summary"),
        "tmux buffer is not the summary:\n{buffer}"
    );
    for value in must_hold(&bounce) {
        assert!(buffer.contains(&value), "buffer lacks {value:?}:\n{buffer}");
    }
}
