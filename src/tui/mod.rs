//! The terminal UI. Keys map to intents, intents change state, drawing is a pure function
//! of state. Only this module (and main.rs) touches ratatui and crossterm.

use std::path::PathBuf;

/// What `bouncebook [--ticket ID] [--playbooks DIR]... [FILE|-]` asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub ticket: Option<String>,
    pub playbook_dirs: Vec<PathBuf>,
    /// A bounce to preload (from FILE or stdin).
    pub preload: Option<Vec<u8>>,
}

pub fn run(_opts: Options) -> std::io::Result<()> {
    Ok(())
}
