//! Keeping a copy alive after bouncebook exits. On X11 and Wayland the copying process serves
//! the clipboard; when it exits the copy is gone. So on quit the text is handed to a helper
//! that stays behind (`wl-copy`, `xclip`, `xsel`: each forks into the background once it owns
//! the selection, and exits by itself when something else is copied).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::Backend;

/// How long a helper may take to read the text and take the selection.
const HELPER_TIMEOUT: Duration = Duration::from_secs(2);

/// The helpers that can hold a selection for `backend`, most fitting first.
fn helpers(backend: Backend) -> &'static [(&'static str, &'static [&'static str])] {
    match backend {
        Backend::Wayland => &[
            ("wl-copy", &[]),
            ("xclip", &["-selection", "clipboard", "-in"]),
        ],
        Backend::X11 => &[
            ("xclip", &["-selection", "clipboard", "-in"]),
            ("xsel", &["--clipboard", "--input"]),
        ],
        // macOS and Windows keep the clipboard in the system; nothing to hand over.
        Backend::MacOs | Backend::Windows => &[],
    }
}

/// Hand `text` to the first helper found on PATH. Returns the helper's name.
pub fn hand_over(text: &str, backend: Backend) -> Result<&'static str, String> {
    let mut tried = Vec::new();
    for (name, args) in helpers(backend) {
        let Some(program) = find_on_path(name) else {
            continue;
        };
        match run_helper(&program, args, text) {
            Ok(()) => return Ok(name),
            Err(e) => tried.push(format!("{name}: {e}")),
        }
    }
    if tried.is_empty() {
        Err("no clipboard helper (wl-copy, xclip, xsel) installed".into())
    } else {
        Err(tried.join("; "))
    }
}

/// Start the helper detached (its own process group, no terminal output, not our pipes: a
/// caller waiting for our stdout to close must not wait for the helper), feed it the text on
/// stdin, and wait for its foreground part to exit: by then it owns the selection.
fn run_helper(program: &Path, args: &[&str], text: &str) -> Result<(), String> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .current_dir("/");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|e| e.to_string())?;
    let Some(mut stdin) = child.stdin.take() else {
        return Err("no stdin pipe".into());
    };
    let owned = text.to_string();
    // A helper that stops reading must not block us: write from a thread.
    let writer = thread::spawn(move || stdin.write_all(owned.as_bytes()));
    let deadline = Instant::now() + HELPER_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(status)) => return Err(format!("exited with {status}")),
            Ok(None) if Instant::now() >= deadline => {
                return Err(format!(
                    "did not take the selection within {} s",
                    HELPER_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e.to_string()),
        }
    }
    match writer.join() {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("could not pass the text: {e}")),
        Err(_) => Err("the writer thread failed".into()),
    }
}

/// The first executable file called `name` in PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}
