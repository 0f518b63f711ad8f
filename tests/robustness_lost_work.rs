//! Lost work, part two (part one, the SIGKILLs, is `robustness_kills.rs`), in a real
//! terminal (tmux) against the release binary:
//! - a corrupt, truncated or empty ticket file is moved aside with its bytes intact, the
//!   agent is told on screen (at 80×24) and again on stderr at exit, a fresh ticket starts;
//! - a full or read-only data dir (a small tmpfs: needs root, skipped without it unless
//!   CI=true) gives a visible
//!   "NOT SAVED" and keeps ticking in memory, never claims "saved", saves everything once
//!   space is back, and a quit with unsaved state says so on stderr and exits non-zero;
//! - a second instance on the same ticket is refused with a clear message, without touching
//!   the terminal, and the first one keeps working.

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{BIN, Tmux, expected, fixture, head, ticked_rows, wait_for_file};

// ----- corrupt ticket files -------------------------------------------------------------

/// Puts `bytes` at the ticket's place, opens it in the app at 80×24, and checks it is
/// moved aside, reported and replaced by a fresh ticket.
fn corrupt_file_is_moved_aside(name: &str, id: &str, bytes: &[u8]) {
    let Some(mut t) = Tmux::new(name) else {
        return;
    };
    t.size = (80, 24);
    fs::create_dir_all(t.tickets_dir()).unwrap();
    fs::write(t.ticket_path(id), bytes).unwrap();

    t.start(&t.app_command(id));
    let screen = t.wait_for("the new ticket and the notice", |s| {
        s.contains("No bounce yet") && s.contains("moved aside")
    });
    // Exactly one file aside, named `<id>.json.corrupt-<time>`, holding the original bytes.
    let aside: Vec<PathBuf> = fs::read_dir(t.tickets_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{id}.json.corrupt-"))
        })
        .collect();
    assert_eq!(aside.len(), 1, "one file moved aside: {aside:?}");
    let aside = &aside[0];
    assert_eq!(
        fs::read(aside).unwrap(),
        bytes,
        "the aside file holds the original bytes"
    );
    assert!(
        !t.ticket_path(id).exists(),
        "nothing written in its place yet"
    );
    // The agent can see where it went, at 80 columns.
    let aside_name = aside.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        screen.contains(&aside_name),
        "the aside file's name ({aside_name}) is not visible on screen:\n{screen}"
    );
    assert!(screen.contains("(new)"), "a fresh ticket:\n{screen}");

    // The fresh ticket works and saves, without any of the old state.
    let bounce = fixture("relay-exim.txt");
    let (_, title, _, variation) = expected(&bounce);
    t.paste(&bounce);
    t.wait_text(&head(&title));
    t.keys(&["x"]);
    t.wait_for("the tick saved", |s| {
        ticked_rows(s) == 1 && s.contains("(1/") && s.contains("· saved")
    });
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    // Told again where the old file is, in the terminal's scrollback after the exit.
    let screen = t.joined_screen();
    assert!(
        screen.contains(&aside_name),
        "the exit message names the aside file:\n{screen}"
    );
    let saved = t.ticket(id);
    assert_eq!(saved.done_count(&variation), 1);
    assert!(
        saved.history.is_empty(),
        "a fresh ticket: {:?}",
        saved.history
    );
    assert_eq!(
        fs::read(aside).unwrap(),
        bytes,
        "the aside file is left alone"
    );
}

#[test]
fn a_garbage_ticket_file_is_moved_aside_and_reported() {
    corrupt_file_is_moved_aside(
        "garbage",
        "c1",
        b"\x00\xff\xfe{\"version\": 1, \x00garbage\x1b[2J not json at all",
    );
}

#[test]
fn an_empty_ticket_file_is_moved_aside_and_reported() {
    corrupt_file_is_moved_aside("empty", "c2", b"");
}

#[test]
fn a_truncated_ticket_file_is_moved_aside_and_reported() {
    // A real ticket file, saved by the app, then cut in half.
    let Some(t) = Tmux::new("real") else {
        return;
    };
    t.start(&t.app_command("c3"));
    t.wait_text("No bounce yet");
    let bounce = fixture("relay-exim.txt");
    let (_, title, _, _) = expected(&bounce);
    t.paste(&bounce);
    t.wait_text(&head(&title));
    t.keys(&["x", "j", "x"]);
    t.wait_for("two ticks saved", |s| {
        ticked_rows(s) == 2 && s.contains("(2/") && s.contains("· saved")
    });
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let whole = fs::read(t.ticket_path("c3")).unwrap();
    assert!(whole.len() > 1000, "a real ticket: {} bytes", whole.len());
    corrupt_file_is_moved_aside("truncated", "c3", &whole[..whole.len() / 2]);
}

// ----- full and read-only data dirs -----------------------------------------------------

/// A tmpfs mounted on a directory for one test; unmounted when dropped (lazily if the
/// app still has it open).
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// None (the test skips) when not root, except under `CI=true`.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        if !support::needs_root("mount a small tmpfs as the data dir") {
            return None;
        }
        fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755")])
            .arg("bouncebook-test")
            .arg(dir)
            .output();
        match out {
            Ok(out) if out.status.success() => Some(Tmpfs {
                dir: dir.to_path_buf(),
            }),
            Ok(out) => panic!(
                "this test mounts a small tmpfs as the data dir and could not, as root: `mount` said {:?}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(e) => panic!("this test needs the `mount` command: {e}"),
        }
    }

    fn remount(&self, option: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{option}")])
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "remount,{option}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Fill the filesystem to the last byte with a file; returns its path.
    fn fill(&self) -> PathBuf {
        let path = self.dir.join("filler");
        let mut file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap();
        let chunk = vec![0u8; 64 * 1024];
        loop {
            match file.write(&chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    assert_eq!(e.raw_os_error(), Some(libc::ENOSPC), "filling: {e}");
                    break;
                }
            }
        }
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Busy while the app (still running in tmux) holds its lock file there; then the
        // lazy unmount detaches it now and frees it when the app is gone.
        let plain = Command::new("umount")
            .arg(&self.dir)
            .stderr(std::process::Stdio::null())
            .status();
        if !plain.is_ok_and(|s| s.success()) {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

fn claims_saved(screen: &str) -> bool {
    screen.contains("✓ saved") || screen.contains("· saved")
}

/// The k-th tick (of step k, the tests tick in order) is on screen and reported not saved
/// (and kept) by the status line, and the header says NOT SAVED too.
fn not_saved(screen: &str, k: usize, steps: &[String]) -> bool {
    let change = format!(
        "; kept in memory, retried on the next change · ticked “{}",
        head(&steps[k - 1])
    );
    ticked_rows(screen) == k
        && screen.contains(&format!("Checklist · {k}/{}", steps.len()))
        && screen.contains("✗ NOT SAVED")
        && screen
            .lines()
            .any(|l| l.starts_with(" NOT SAVED: ") && l.contains(&change))
}

/// The header's "✗ NOT SAVED" is drawn in red (and bold, reversed): the styled capture
/// sets foreground 31 in the escape sequences just before it.
fn assert_not_saved_in_red(t: &Tmux) {
    let styled = t.styled_screen();
    let at = styled
        .find("✗ NOT SAVED")
        .unwrap_or_else(|| panic!("no ✗ NOT SAVED in the header:\n{styled}"));
    let before = &styled[..at];
    let sgr_start = before.rfind("\u{1b}[").expect("a style before the header");
    let sgr = &before[sgr_start..];
    let params: Vec<&str> = sgr
        .trim_start_matches("\u{1b}[")
        .trim_end_matches('m')
        .split(';')
        .collect();
    // Red as tmux writes it back: 31, or 38;5;1 (palette colour 1).
    let red = params.contains(&"31") || params.windows(3).any(|w| w == ["38", "5", "1"]);
    assert!(red, "NOT SAVED is not red: {sgr:?} in\n{styled}");
}

/// The promise on a full disk: the agent sees that nothing is saved, keeps working in
/// memory, and everything is saved once space is back; a SIGTERM while saves fail says so
/// on stderr and exits non-zero.
#[test]
fn a_full_data_dir_shows_not_saved_keeps_ticks_and_saves_once_space_is_back() {
    let Some(t) = Tmux::new("full") else {
        return;
    };
    let Some(tmpfs) = Tmpfs::mount(&t.data_dir(), "512k") else {
        return;
    };
    let filler = tmpfs.fill();
    let bounce = fixture("relay-exim.txt");
    let (_, title, steps, variation) = expected(&bounce);
    let n = steps.len();

    t.start(&t.hygiene_script(&format!("'{BIN}' --ticket f1")));
    t.wait_text("No bounce yet");
    t.paste(&bounce);
    let screen = t.wait_for("the paste, not saved", |s| {
        s.contains(&head(&title)) && s.contains("✗ NOT SAVED") && s.contains("No space left")
    });
    assert!(!claims_saved(&screen), "{screen}");
    assert_not_saved_in_red(&t);

    t.keys(&["x", "j", "x"]);
    let screen = t.wait_for("two ticks in memory, not saved", |s| {
        not_saved(s, 2, &steps)
    });
    assert!(!claims_saved(&screen), "{screen}");
    assert!(
        !t.ticket_path("f1").exists(),
        "nothing could be written, and nothing half-written is left"
    );

    // Space is back: the next change saves everything that was in memory.
    fs::remove_file(&filler).unwrap();
    t.keys(&["j", "x"]);
    t.wait_for("the third tick and everything before it saved", |s| {
        ticked_rows(s) == 3 && s.contains(&format!("(3/{n}) · saved")) && s.contains("✓ saved")
    });
    let saved = t.ticket("f1");
    assert_eq!(saved.done_count(&variation), 3);
    assert_eq!(saved.bounce.as_deref(), Some(bounce.as_str()));

    // Full again; a change that cannot be saved, then SIGTERM.
    let _filler = tmpfs.fill();
    t.keys(&["j", "x"]);
    let screen = t.wait_for("the fourth tick, not saved", |s| not_saved(s, 4, &steps));
    assert!(!claims_saved(&screen), "{screen}");
    let pid = t.app_pid();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    let screen = t.wait_text("EXITED 1");
    assert!(
        screen.contains("bouncebook: ticket f1 was NOT saved: No space left on device"),
        "the exit says the state was not saved:\n{screen}"
    );
    assert!(!screen.contains("saved in"), "{screen}");
    t.assert_terminal_restored("after SIGTERM on a full disk");
    let saved = t.ticket("f1");
    assert_eq!(
        saved.done_count(&variation),
        3,
        "the last good save is intact"
    );
}

/// The same promise when the data dir goes read-only under the app: the ticket exists and
/// holds a tick, the filesystem is remounted read-only, the app keeps ticking in memory
/// with a visible error, saves everything once it is writable again, and a quit while it
/// is read-only says so on stderr and exits non-zero.
#[test]
fn a_read_only_data_dir_shows_not_saved_keeps_ticks_and_saves_once_writable() {
    let Some(t) = Tmux::new("ro") else {
        return;
    };
    let Some(tmpfs) = Tmpfs::mount(&t.data_dir(), "1m") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    let (_, title, steps, variation) = expected(&bounce);
    let n = steps.len();

    t.start(&t.hygiene_script(&format!("'{BIN}' --ticket r1")));
    t.wait_text("No bounce yet");
    t.paste(&bounce);
    t.wait_text(&head(&title));
    t.keys(&["x"]);
    t.wait_for("the first tick saved", |s| {
        ticked_rows(s) == 1 && s.contains(&format!("(1/{n}) · saved"))
    });
    let good = fs::read(t.ticket_path("r1")).unwrap();

    tmpfs.remount("ro");
    t.keys(&["j", "x"]);
    let screen = t.wait_for("the second tick, not saved", |s| {
        not_saved(s, 2, &steps) && s.contains("Read-only file system")
    });
    assert!(!claims_saved(&screen), "{screen}");
    assert_not_saved_in_red(&t);
    t.keys(&["j", "x"]);
    let screen = t.wait_for("the third tick, not saved", |s| not_saved(s, 3, &steps));
    assert!(!claims_saved(&screen), "{screen}");
    assert_eq!(
        fs::read(t.ticket_path("r1")).unwrap(),
        good,
        "the file is untouched"
    );

    tmpfs.remount("rw");
    t.keys(&["j", "x"]);
    t.wait_for("the fourth tick and everything before it saved", |s| {
        ticked_rows(s) == 4 && s.contains(&format!("(4/{n}) · saved")) && s.contains("✓ saved")
    });
    assert_eq!(t.ticket("r1").done_count(&variation), 4);

    tmpfs.remount("ro");
    t.keys(&["j", "x"]);
    t.wait_for("the fifth tick, not saved", |s| not_saved(s, 5, &steps));
    t.keys(&["q"]);
    let screen = t.wait_text("EXITED 1");
    assert!(
        screen.contains("bouncebook: ticket r1 was NOT saved: Read-only file system"),
        "the exit says the state was not saved:\n{screen}"
    );
    assert!(!screen.contains("saved in"), "{screen}");
    t.assert_terminal_restored("after q on a read-only disk");
    assert_eq!(
        t.ticket("r1").done_count(&variation),
        4,
        "the last good save is intact"
    );
}

// ----- a second instance ------------------------------------------------------------------

#[test]
fn a_second_instance_on_the_same_ticket_is_refused() {
    let Some(t) = Tmux::new("lock") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    let (_, title, steps, variation) = expected(&bounce);
    let n = steps.len();
    t.start(&t.app_command("777"));
    t.wait_text("No bounce yet");
    t.paste(&bounce);
    t.wait_text(&head(&title));
    t.keys(&["x"]);
    t.wait_for("the first tick saved", |s| {
        s.contains(&format!("(1/{n}) · saved"))
    });
    let before = fs::read(t.ticket_path("777")).unwrap();

    // The second instance runs in a real terminal of its own (a second tmux window): the
    // terminal's modes are the same before and after, and it wrote nothing to stdout (no
    // alternate screen, no bracketed paste, no raw mode).
    let out = t.path("second.out");
    let modes_before = t.path("second.stty-before");
    let modes_after = t.path("second.stty-after");
    let window = t.open_window(
        "second",
        &format!(
            "stty -g > '{}'; '{BIN}' --ticket 777 > '{}'; echo EXITED $?; stty -g > '{}'; sleep 600",
            modes_before.display(),
            out.display(),
            modes_after.display()
        ),
    );
    let screen = t.wait_for_in(&window, "the refusal", |s| s.contains("EXITED"));
    let message = "bouncebook: ticket 777 is already open in another bouncebook";
    assert!(
        screen.contains(message) && screen.contains("close that one first"),
        "a clear refusal on stderr:\n{screen}"
    );
    assert!(screen.contains("EXITED 1"), "{screen}");
    let after = wait_for_file(&modes_after, |b| b.ends_with(b"\n"), "stty -g");
    assert_eq!(
        fs::read(&modes_before).unwrap(),
        after,
        "the terminal's modes changed"
    );
    assert_eq!(
        fs::read(&out).unwrap(),
        b"",
        "the refused instance wrote to the terminal"
    );
    assert_eq!(t.display_of(&window, "#{alternate_on}"), "0");
    assert_eq!(
        fs::read(t.ticket_path("777")).unwrap(),
        before,
        "the refused instance did not touch the ticket"
    );

    // The first instance keeps working and saving.
    t.keys(&["j", "x"]);
    t.wait_for("the second tick saved by the first instance", |s| {
        ticked_rows(s) == 2 && s.contains(&format!("(2/{n}) · saved"))
    });
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    assert_eq!(t.ticket("777").done_count(&variation), 2);
}
