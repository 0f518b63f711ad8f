//! The copy chain against real clipboards: X11 (Xvfb + xclip), OSC 52 through tmux, and no
//! clipboard at all (the file). Each runs the real binary: `bouncebook summary FILE --copy`.
//!
//! CI installs xvfb, xclip and tmux. A missing tool FAILS the test with a message saying so:
//! a clipboard test that silently passes proves nothing. Every wait has a deadline.

mod support;

use support::{BIN, Xvfb, isolated, needs};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Values that must reach the clipboard: sender, recipient, timestamp and bounce text.
const MUST_HOLD: [&str; 4] = [
    "sales@acme-example.com",
    "jane.doe@gmial.com",
    "Mon, 03 Jun 2024 10:15:02 +0200",
    "553 sorry, no mailbox here by that name. (#5.1.1)",
];

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/summary/recipient-unknown-exim.txt")
}

/// `bouncebook`, with the session's clipboard variables removed so each test decides them.
fn bouncebook(data: &Path) -> Command {
    isolated(Command::new(BIN), data)
}

/// Run to completion within `limit`, killing it otherwise (and failing).
fn run(mut cmd: Command, limit: Duration) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let status = wait_for(&mut child, limit)
        .unwrap_or_else(|| panic!("{cmd:?} did not finish within {limit:?}"));
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

fn wait_for(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Poll `probe` until it returns Some, or fail after `limit`.
fn eventually<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn x11_copy_survives_the_process_exit() {
    let Some(xvfb) = Xvfb::start(140..240) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();

    let mut cmd = bouncebook(tmp.path());
    cmd.env("DISPLAY", &xvfb.display)
        .arg("summary")
        .arg(fixture())
        .arg("--copy");
    let out = run(cmd, Duration::from_secs(30));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bouncebook failed: {stderr}");
    assert!(stderr.contains("copied to the clipboard (X11)"), "{stderr}");
    assert!(stderr.contains("held by xclip"), "{stderr}");

    // bouncebook has exited: what is on the clipboard now is served by the handover.
    let clipboard = xvfb.clipboard();
    for value in MUST_HOLD {
        assert!(
            clipboard.contains(value),
            "clipboard lacks {value:?}:\n{clipboard}"
        );
    }
    assert_eq!(
        clipboard, stdout,
        "the clipboard differs from the printed summary"
    );
}

/// Without xclip, xsel or wl-copy on PATH, a detached child of bouncebook keeps the copy.
#[test]
fn x11_copy_survives_exit_without_any_helper_installed() {
    let Some(xvfb) = Xvfb::start(140..240) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let empty_path = tmp.path().join("empty-bin");
    std::fs::create_dir_all(&empty_path).unwrap();

    let mut cmd = bouncebook(tmp.path());
    cmd.env("DISPLAY", &xvfb.display)
        .env("PATH", &empty_path)
        .arg("summary")
        .arg(fixture())
        .arg("--copy");
    let out = run(cmd, Duration::from_secs(30));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bouncebook failed: {stderr}");
    assert!(stderr.contains("copied to the clipboard (X11)"), "{stderr}");
    assert!(
        stderr.contains("held by a background bouncebook process"),
        "{stderr}"
    );

    assert_eq!(
        xvfb.clipboard(),
        stdout,
        "the clipboard differs from the printed summary"
    );
    // The holder exits on its own when the X server goes away (Xvfb is killed on drop).
}

/// A tmux server on its own socket, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.env_remove("TMUX").args(["-L", &self.socket]);
        cmd
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let mut kill = self.command();
        kill.arg("kill-server");
        let _ = run(kill, Duration::from_secs(5));
    }
}

#[test]
fn osc52_through_tmux_lands_in_a_tmux_buffer() {
    if !needs(&[("tmux", "tmux")]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("tmux.conf"), "set -s set-clipboard on\n").unwrap();
    // stdout goes to a file: OSC 52 must reach the pane through /dev/tty, not stdout.
    let script = format!(
        "unset DISPLAY WAYLAND_DISPLAY SSH_TTY SSH_CONNECTION\n\
         export BOUNCEBOOK_DATA_DIR='{data}' BOUNCEBOOK_CONFIG_DIR='{config}'\n\
         '{BIN}' summary '{fixture}' --copy > '{out}' 2> '{err}'\n\
         echo $? > '{rc}.tmp' && mv '{rc}.tmp' '{rc}'\n\
         sleep 60\n",
        data = dir.join("data").display(),
        config = dir.join("config").display(),
        fixture = fixture().display(),
        out = dir.join("out.txt").display(),
        err = dir.join("err.txt").display(),
        rc = dir.join("rc").display(),
    );
    std::fs::write(dir.join("run.sh"), script).unwrap();

    let tmux = Tmux {
        socket: format!("bouncebook-test-{}", std::process::id()),
    };
    let mut start = tmux.command();
    start
        .arg("-f")
        .arg(dir.join("tmux.conf"))
        .args(["new-session", "-d", "-x", "150", "-y", "50", "sh"])
        .arg(dir.join("run.sh"));
    let started = run(start, Duration::from_secs(10));
    assert!(
        started.status.success(),
        "tmux did not start: {}",
        text(&started.stderr)
    );

    let rc = eventually(
        "bouncebook to finish in the tmux pane",
        Duration::from_secs(30),
        || std::fs::read_to_string(dir.join("rc")).ok(),
    );
    let stderr = std::fs::read_to_string(dir.join("err.txt")).unwrap_or_default();
    assert_eq!(rc.trim(), "0", "bouncebook failed in tmux: {stderr}");
    assert!(stderr.contains("sent via OSC 52 through tmux"), "{stderr}");
    let summary = std::fs::read_to_string(dir.join("out.txt")).unwrap();

    let buffer = eventually("a tmux buffer", Duration::from_secs(10), || {
        let mut save = tmux.command();
        save.args(["save-buffer", "-"]);
        let out = run(save, Duration::from_secs(5));
        (out.status.success() && !out.stdout.is_empty()).then(|| text(&out.stdout))
    });
    for value in MUST_HOLD {
        assert!(
            buffer.contains(value),
            "tmux buffer lacks {value:?}:\n{buffer}"
        );
    }
    assert_eq!(
        buffer, summary,
        "the tmux buffer differs from the printed summary"
    );
}

#[test]
fn no_clipboard_at_all_saves_a_private_file_and_prints_its_path() {
    if !needs(&[("setsid", "util-linux")]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // A new session has no controlling terminal: /dev/tty cannot be opened, and there is
    // no display and no tmux.
    let mut setsid = isolated(Command::new("setsid"), tmp.path());
    setsid
        .arg("-w")
        .arg(BIN)
        .arg("summary")
        .arg(fixture())
        .arg("--copy");
    let out = run(setsid, Duration::from_secs(30));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bouncebook failed: {stderr}");

    let line = stderr
        .lines()
        .find(|l| l.contains("saved to "))
        .unwrap_or_else(|| panic!("no 'saved to' message: {stderr}"));
    let after = &line[line.find("saved to ").unwrap() + "saved to ".len()..];
    let (path, rest) = after.split_once(": ").unwrap_or((after, ""));
    assert!(rest.starts_with("no clipboard reachable"), "{line}");
    let path = PathBuf::from(path);
    assert!(
        path.starts_with(tmp.path().join("data").join("clipboard")),
        "{}",
        path.display()
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved, stdout,
        "the saved file differs from the printed summary"
    );
    for value in MUST_HOLD {
        assert!(saved.contains(value), "file lacks {value:?}");
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the saved summary must be private");
}
