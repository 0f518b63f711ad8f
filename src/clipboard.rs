//! The copy chain: system clipboard (arboard: X11, Wayland) → OSC 52 (SSH, no display,
//! through tmux) → a file in the data dir. Every attempt is time-bound; every outcome is a
//! message for the status line, never a panic or a hang.

use std::path::PathBuf;

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

/// Owns the system clipboard for the app's lifetime (on Linux a copy dies with its owner).
pub struct Clipboard {
    data_dir: Option<PathBuf>,
}

impl Clipboard {
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        Clipboard { data_dir }
    }

    pub fn copy(&mut self, _text: &str) -> CopyReport {
        CopyReport {
            via: None,
            message: format!("clipboard not wired yet (data dir {:?})", self.data_dir),
        }
    }

    /// Read text from the system clipboard (the `p` key).
    pub fn paste(&mut self) -> Result<String, String> {
        Err("clipboard not wired yet".to_string())
    }

    /// Called on quit: keep the last copy reachable after the app exits.
    pub fn finish(self) {}
}
