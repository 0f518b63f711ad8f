//! `Clipboard::paste` and the quit-time check against a real X server (Xvfb): a copy reads
//! back, a newer copy by another program is read too, and quitting then leaves that newer
//! copy alone instead of putting ours back.
//!
//! The only test in this binary: it points this process's DISPLAY at its own Xvfb.

mod support;

use support::Xvfb;

use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use bouncebook::clipboard::{Clipboard, CopyVia};

/// Set the clipboard from another program, as the agent's browser would.
fn xclip_set(display: &str, text: &str) {
    use std::io::Write;
    let mut child = Command::new("xclip")
        .env("DISPLAY", display)
        .args(["-selection", "clipboard", "-in"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run xclip");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(text.as_bytes()).unwrap();
    drop(stdin);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            assert!(status.success());
            return;
        }
        assert!(
            Instant::now() < deadline,
            "xclip did not take the selection"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// Read the clipboard with xclip, within a deadline.
fn xclip_get(display: &str) -> String {
    use std::io::Read;
    let mut child = Command::new("xclip")
        .env("DISPLAY", display)
        .args(["-o", "-selection", "clipboard"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run xclip -o");
    let mut stdout = child.stdout.take().unwrap();
    let reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while !matches!(child.try_wait(), Ok(Some(_))) {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("xclip -o did not finish within 10 s");
        }
        thread::sleep(Duration::from_millis(20));
    }
    reader.join().unwrap()
}

#[test]
fn paste_reads_the_x11_clipboard_and_quit_leaves_a_newer_copy_alone() {
    let Some(xvfb) = Xvfb::start(240..340) else {
        return;
    };
    // SAFETY: this binary has this single test; no other thread reads the environment yet.
    unsafe {
        std::env::set_var("DISPLAY", &xvfb.display);
        std::env::remove_var("WAYLAND_DISPLAY");
        std::env::remove_var("SSH_TTY");
        std::env::remove_var("SSH_CONNECTION");
    }
    let mut clipboard = Clipboard::new(None);
    let report = clipboard.copy("summary for ticket 48213");
    assert_eq!(
        report.via,
        Some(CopyVia::System("X11".into())),
        "{}",
        report.message
    );
    assert_eq!(clipboard.paste().as_deref(), Ok("summary for ticket 48213"));

    xclip_set(&xvfb.display, "something the agent copied later");
    assert_eq!(
        clipboard.paste().as_deref(),
        Ok("something the agent copied later")
    );

    let note = clipboard.finish_report();
    assert_eq!(
        note.as_deref(),
        Some("the clipboard has changed since bouncebook's copy: left as it is")
    );
    assert_eq!(xclip_get(&xvfb.display), "something the agent copied later");
}
