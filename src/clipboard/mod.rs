//! The copy chain: system clipboard (arboard: X11, Wayland) → OSC 52 (SSH, no display,
//! through tmux) → a file in the data dir. Every attempt is time-bound; every outcome is a
//! message for the status line, never a panic or a hang.
//!
//! Small parts, one job each: [`system`] owns arboard on a worker thread, [`osc52`] frames
//! the terminal sequence, [`handover`] keeps a copy alive after exit, [`file`] is the last
//! resort.

mod detach;
mod file;
mod handover;
pub mod osc52;
mod system;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::sanitize::for_display;

use system::SystemClipboard;

/// Which link of the chain took the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyVia {
    /// arboard; the string names the backend ("X11", "Wayland", "macOS", ...).
    System(String),
    /// An OSC 52 sequence written to the terminal; `tmux` when wrapped for tmux.
    Osc52 { tmux: bool },
    /// Nothing reachable: saved to this file.
    File(PathBuf),
}

/// The outcome of a copy, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// None when every link failed (the message says why).
    pub via: Option<CopyVia>,
    pub message: String,
}

/// The kind of system clipboard the session has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    X11,
    Wayland,
    MacOs,
    Windows,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::X11 => "X11",
            Backend::Wayland => "Wayland",
            Backend::MacOs => "macOS",
            Backend::Windows => "Windows",
        }
    }
}

/// What the session offers, read once from the environment (and injectable for tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The system clipboard, when a display (or a desktop OS) is there.
    pub backend: Option<Backend>,
    /// Running over SSH: the agent's clipboard is on the far side, so OSC 52 goes first.
    pub ssh: bool,
    /// Inside tmux: OSC 52 is also wrapped for tmux's passthrough.
    pub tmux: bool,
}

impl Environment {
    pub fn from_process() -> Self {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let backend = if cfg!(target_os = "macos") {
            Some(Backend::MacOs)
        } else if cfg!(windows) {
            Some(Backend::Windows)
        } else if set("WAYLAND_DISPLAY") {
            Some(Backend::Wayland)
        } else if set("DISPLAY") {
            Some(Backend::X11)
        } else {
            None
        };
        Environment {
            backend,
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            tmux: set("TMUX"),
        }
    }

    /// The links to try, in order.
    fn plan(&self) -> Vec<Link> {
        let mut links = Vec::with_capacity(3);
        if self.ssh {
            links.push(Link::Osc52);
        }
        if let Some(backend) = self.backend {
            links.push(Link::System(backend));
        }
        if !self.ssh {
            links.push(Link::Osc52);
        }
        links.push(Link::File);
        links
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    System(Backend),
    Osc52,
    File,
}

/// Opens the terminal that OSC 52 is written to.
pub type TerminalOpener = fn() -> io::Result<Box<dyn Write + Send>>;

/// The controlling terminal, not stdout: the TUI owns stdout, and under `summary --copy`
/// stdout may be a pipe. Without a controlling terminal this fails and the chain moves on.
fn open_controlling_terminal() -> io::Result<Box<dyn Write + Send>> {
    let tty = std::fs::OpenOptions::new().write(true).open("/dev/tty")?;
    Ok(Box::new(tty))
}

/// How long writing the OSC 52 sequence may take (a terminal stopped with Ctrl-S blocks).
const TERMINAL_TIMEOUT: Duration = Duration::from_secs(2);

/// How long quitting may wait for the clipboard to be released.
const CLOSE_TIMEOUT: Duration = Duration::from_millis(500);

/// How long quitting may wait on the clipboard to check that the last copy is still ours.
const FINISH_CHECK_TIMEOUT: Duration = Duration::from_millis(1000);

/// Owns the system clipboard for the app's lifetime (on Linux a copy dies with its owner).
pub struct Clipboard {
    data_dir: Option<PathBuf>,
    environment: Environment,
    open_terminal: TerminalOpener,
    /// Started on the first copy or paste.
    system: Option<SystemClipboard>,
    /// The last text this process put on the system clipboard, to hand over on quit.
    last_system_copy: Option<(String, Backend)>,
}

impl Clipboard {
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        Self::with_environment(
            data_dir,
            Environment::from_process(),
            open_controlling_terminal,
        )
    }

    /// A clipboard for a given environment and terminal (tests, or a caller that knows better).
    pub fn with_environment(
        data_dir: Option<PathBuf>,
        environment: Environment,
        open_terminal: TerminalOpener,
    ) -> Self {
        Clipboard {
            data_dir,
            environment,
            open_terminal,
            system: None,
            last_system_copy: None,
        }
    }

    /// Copy `text` through the chain. Escape sequences are stripped first: whatever the
    /// caller passes, nothing copied can drive a terminal when pasted.
    pub fn copy(&mut self, text: &str) -> CopyReport {
        let clean = for_display(text);
        let mut skipped: Vec<String> = Vec::new();
        let mut too_large: Option<String> = None;
        for link in self.environment.plan() {
            match link {
                Link::System(backend) => match self.copy_system(&clean, backend) {
                    Ok(()) => {
                        return CopyReport {
                            via: Some(CopyVia::System(backend.name().to_string())),
                            message: format!("copied to the clipboard ({})", backend.name()),
                        };
                    }
                    Err(e) => skipped.push(format!("{}: {e}", backend.name())),
                },
                Link::Osc52 => match self.copy_osc52(&clean) {
                    Ok(()) => {
                        let tmux = self.environment.tmux;
                        let message = if tmux {
                            "sent via OSC 52 through tmux"
                        } else {
                            "sent via OSC 52 to the terminal"
                        };
                        return CopyReport {
                            via: Some(CopyVia::Osc52 { tmux }),
                            message: message.to_string(),
                        };
                    }
                    Err(e @ osc52::Osc52Error::TooLarge { .. }) => too_large = Some(e.to_string()),
                    Err(e) => skipped.push(format!("OSC 52: {e}")),
                },
                Link::File => return self.copy_file(&clean, too_large, &skipped),
            }
        }
        // plan() always ends with the file link; this is only reached if that changes.
        CopyReport {
            via: None,
            message: "could not copy: no clipboard reachable".to_string(),
        }
    }

    /// Read text from the system clipboard (the `p` key).
    pub fn paste(&mut self) -> Result<String, String> {
        let Some(backend) = self.environment.backend else {
            return Err(
                "no system clipboard reachable (no DISPLAY or WAYLAND_DISPLAY): paste with the terminal instead"
                    .to_string(),
            );
        };
        let system = self.system()?;
        system
            .get(system::TIMEOUT)
            .map_err(|e| format!("cannot read the {} clipboard: {e}", backend.name()))
    }

    /// Called on quit: keep the last copy reachable after the app exits.
    pub fn finish(self) {
        let _ = self.finish_report();
    }

    /// [`finish`](Self::finish), saying what was done (for a CLI's stderr or a log).
    /// `None` when there was nothing to keep.
    pub fn finish_report(mut self) -> Option<String> {
        let mut system = self.system.take()?;
        let Some((text, backend)) = self.last_system_copy.take() else {
            system.close(CLOSE_TIMEOUT);
            return None;
        };
        // Only our own copy is handed over: if the agent copied something else since,
        // putting ours back on quit would overwrite their newer clipboard.
        let report = match system.get(FINISH_CHECK_TIMEOUT) {
            Ok(current) if current == text => keep_after_exit(system, &text, backend),
            Ok(_) => {
                system.close(CLOSE_TIMEOUT);
                "the clipboard has changed since bouncebook's copy: left as it is".into()
            }
            Err(e) => {
                system.close(CLOSE_TIMEOUT);
                format!("the clipboard could not be checked on exit: {e}")
            }
        };
        Some(report)
    }

    fn system(&mut self) -> Result<&mut SystemClipboard, String> {
        if self.system.is_none() {
            self.system = Some(SystemClipboard::start()?);
        }
        self.system
            .as_mut()
            .ok_or_else(|| "the clipboard could not be started".to_string())
    }

    fn copy_system(&mut self, text: &str, backend: Backend) -> Result<(), String> {
        self.system()?.set(text)?;
        self.last_system_copy = Some((text.to_string(), backend));
        Ok(())
    }

    fn copy_osc52(&mut self, text: &str) -> Result<(), osc52::Osc52Error> {
        // Size first: a refusal must not depend on whether a terminal is there.
        osc52::sequence(text, self.environment.tmux)?;
        let open = self.open_terminal;
        let tmux = self.environment.tmux;
        let owned = text.to_string();
        let (reply, answer) = mpsc::channel();
        thread::spawn(move || {
            let result = open()
                .map_err(|e| osc52::Osc52Error::Write(format!("no terminal ({e})")))
                .and_then(|mut terminal| osc52::send(terminal.as_mut(), &owned, tmux));
            let _ = reply.send(result);
        });
        match answer.recv_timeout(TERMINAL_TIMEOUT) {
            Ok(result) => result.map(|_| ()),
            Err(_) => Err(osc52::Osc52Error::Write(
                "the terminal did not accept the sequence in time".into(),
            )),
        }
    }

    fn copy_file(&self, text: &str, too_large: Option<String>, skipped: &[String]) -> CopyReport {
        let Some(dir) = self.data_dir.as_ref().map(|d| d.join("clipboard")) else {
            return CopyReport {
                via: None,
                message: "could not copy: no clipboard reachable and no data directory".into(),
            };
        };
        match file::save(&dir, text, chrono::Utc::now()) {
            Ok((path, warning)) => {
                let mut message = match &too_large {
                    Some(why) => format!("saved to {}: {why}", path.display()),
                    None if skipped.is_empty() => {
                        format!("saved to {}: no clipboard reachable", path.display())
                    }
                    None => format!(
                        "saved to {}: no clipboard reachable ({})",
                        path.display(),
                        skipped.join("; ")
                    ),
                };
                if let Some(w) = warning {
                    message.push_str(&format!(" (warning: {w})"));
                }
                CopyReport {
                    via: Some(CopyVia::File(path)),
                    message,
                }
            }
            Err(e) => CopyReport {
                via: None,
                message: format!(
                    "could not copy: no clipboard reachable and {} could not be written: {e}",
                    dir.display()
                ),
            },
        }
    }
}

/// Hand the copy to something that outlives bouncebook: a helper program when one is
/// installed, else a detached child of our own.
fn keep_after_exit(system: SystemClipboard, text: &str, backend: Backend) -> String {
    let helper = handover::hand_over(text, backend);
    // Release our ownership only now: the helper already holds the selection.
    let closed = system.close(CLOSE_TIMEOUT);
    match helper {
        Ok(name) => format!("the clipboard stays available after exit (held by {name})"),
        Err(_) if matches!(backend, Backend::MacOs | Backend::Windows) => {
            "the clipboard stays available after exit".to_string()
        }
        Err(why) if closed => match detach::hold_in_background(text) {
            Ok(()) => {
                "the clipboard stays available after exit (held by a background bouncebook process)"
                    .to_string()
            }
            Err(e) => format!("the clipboard will be emptied when bouncebook exits ({why}; {e})"),
        },
        Err(why) => format!("the clipboard will be emptied when bouncebook exits ({why})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Mutex, OnceLock};

    /// What the fake terminal received; one test at a time writes to it.
    fn captured() -> &'static Mutex<Vec<u8>> {
        static BUF: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
        BUF.get_or_init(|| Mutex::new(Vec::new()))
    }

    struct FakeTerminal;
    impl Write for FakeTerminal {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            captured()
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn fake_terminal() -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(FakeTerminal))
    }

    fn no_terminal() -> io::Result<Box<dyn Write + Send>> {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no controlling terminal",
        ))
    }

    fn env(backend: Option<Backend>, ssh: bool, tmux: bool) -> Environment {
        Environment { backend, ssh, tmux }
    }

    #[test]
    fn plan_orders_links_by_session() {
        use Link::*;
        assert_eq!(
            env(Some(Backend::X11), false, false).plan(),
            [System(Backend::X11), Osc52, File]
        );
        assert_eq!(
            env(Some(Backend::X11), true, false).plan(),
            [Osc52, System(Backend::X11), File]
        );
        assert_eq!(env(None, false, true).plan(), [Osc52, File]);
    }

    #[test]
    fn osc52_through_tmux_writes_to_the_injected_terminal_without_escapes_from_the_text() {
        let mut clipboard = Clipboard::with_environment(None, env(None, true, true), fake_terminal);
        let report = clipboard.copy("sum\u{1b}[31mmary");
        assert_eq!(report.via, Some(CopyVia::Osc52 { tmux: true }));
        assert_eq!(report.message, "sent via OSC 52 through tmux");
        let bytes = captured().lock().unwrap().clone();
        let b64 = "c3VtbWFyeQ=="; // "summary": the CSI was stripped before encoding
        let plain = format!("\u{1b}]52;c;{b64}\u{7}");
        let wrapped = format!("\u{1b}Ptmux;\u{1b}\u{1b}]52;c;{b64}\u{7}\u{1b}\\");
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("{plain}{wrapped}")
        );
    }

    #[test]
    fn no_display_no_terminal_saves_a_file_and_says_where() {
        let tmp = tempfile::tempdir().unwrap();
        let mut clipboard = Clipboard::with_environment(
            Some(tmp.path().to_path_buf()),
            env(None, false, false),
            no_terminal,
        );
        let report = clipboard.copy("the summary");
        let Some(CopyVia::File(path)) = &report.via else {
            panic!("{report:?}");
        };
        assert!(path.starts_with(tmp.path().join("clipboard")));
        assert!(report.message.starts_with(&format!(
            "saved to {}: no clipboard reachable",
            path.display()
        )));
        assert_eq!(std::fs::read_to_string(path).unwrap(), "the summary");
        assert_eq!(clipboard.finish_report(), None);
    }

    #[test]
    fn oversized_text_goes_to_the_file_with_a_warning() {
        let tmp = tempfile::tempdir().unwrap();
        let mut clipboard = Clipboard::with_environment(
            Some(tmp.path().to_path_buf()),
            env(None, true, false),
            fake_terminal,
        );
        let report = clipboard.copy(&"y".repeat(200_000));
        assert!(matches!(report.via, Some(CopyVia::File(_))), "{report:?}");
        assert!(
            report.message.contains("too large for OSC 52"),
            "{}",
            report.message
        );
        assert!(report.message.contains("use the saved file instead"));
    }

    #[test]
    fn no_data_dir_is_a_message_not_a_panic() {
        let mut clipboard = Clipboard::with_environment(None, env(None, false, false), no_terminal);
        let report = clipboard.copy("x");
        assert_eq!(report.via, None);
        assert!(report.message.starts_with("could not copy"));
    }

    #[test]
    fn paste_without_a_display_says_so() {
        let mut clipboard = Clipboard::with_environment(None, env(None, false, false), no_terminal);
        let err = clipboard.paste().unwrap_err();
        assert!(err.contains("no system clipboard reachable"));
    }
}
