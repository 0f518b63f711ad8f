//! The terminal UI. Keys map to intents, intents change state, drawing is a pure function
//! of state. Only this module (and main.rs) touches ratatui and crossterm.
//!
//! - [`intent`]: what can happen; [`keys`]: terminal events → intents
//! - [`app`]: state (`app/mod.rs`), `update(intent) -> effects` (`app/update.rs`) and what
//!   each intent does (`app/actions.rs`); [`analysis`]: the cached parse
//! - [`view`]: drawing; [`theme`]: styles (NO_COLOR aware)
//! - [`event_loop`]: runs effects (save, copy) and draws; [`terminal`]: setup/restore guard;
//!   [`signals`]: SIGTERM/SIGHUP become a clean exit

pub mod analysis;
pub mod app;
pub mod editor;
pub mod event_loop;
pub mod intent;
pub mod keys;
pub mod signals;
pub mod terminal;
pub mod theme;
pub mod tty;
pub mod view;

use std::path::PathBuf;

pub use app::App;
pub use event_loop::run;
pub use intent::{Effect, Intent};
pub use view::view;

/// What `bouncebook [--ticket ID] [--playbooks DIR]... [FILE|-]` asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub ticket: Option<String>,
    pub playbook_dirs: Vec<PathBuf>,
    /// A bounce to preload (from FILE or stdin).
    pub preload: Option<Vec<u8>>,
}
