//! Playbooks: one YAML file per variation, embedded at build time and overridable from the
//! user's config dir and `--playbooks` dirs.
//!
//! - [`schema`]: the types a playbook file deserialises into (strict: unknown keys are errors);
//! - [`embedded`]: the ten playbooks compiled into the binary;
//! - [`check`]: validation of one file, with every problem as `FILE:LINE:COL: message`;
//! - `locate`: finds where a node sits in the YAML text, so semantic problems get positions;
//! - [`load`]: the playbooks in force (embedded, then config dir, then `--playbooks` dirs);
//! - [`placeholders`]: `{placeholders}` in step commands, filled safely from a parsed bounce.

pub mod check;
pub mod embedded;
pub mod load;
mod locate;
pub mod placeholders;
mod schema;
pub mod situation;

pub use check::{Limits, check_source};
pub use embedded::{EMBEDDED_IDS, EMBEDDED_SOURCES, VOCABULARY_SOURCE, embedded, shared_words};
pub use load::{CheckReport, check_installed, check_paths, load};
pub use placeholders::{PLACEHOLDERS, Placeholder, fill_placeholders, missing_placeholders};
pub use schema::{Example, MatchRules, OneOrMany, Playbook, Step, Vocabulary, When};
pub use situation::{Applicability, Filled, Situation};

use std::fmt;
use std::path::PathBuf;

/// Where a loaded playbook came from (shown by `playbooks list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("embedded"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A problem in a playbook file, reported as `FILE:LINE:COL: message` (1-based line and
/// column; `1:1` when the problem concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The playbooks in force, with where each came from and what was wrong with skipped files.
#[derive(Debug, Clone, Default)]
pub struct PlaybookSet {
    pub playbooks: Vec<(Playbook, Origin)>,
    /// Problems in files that were skipped; the playbook they would have replaced stays.
    pub problems: Vec<Problem>,
}

impl PlaybookSet {
    pub fn get(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().map(|(p, _)| p).find(|p| p.id == id)
    }

    /// Where the playbook with this id came from.
    pub fn origin(&self, id: &str) -> Option<&Origin> {
        self.playbooks
            .iter()
            .find(|(p, _)| p.id == id)
            .map(|(_, o)| o)
    }

    /// Put a playbook in force: the same id replaces (keeping its place in the order), a new
    /// id is added at the end.
    pub fn insert(&mut self, playbook: Playbook, origin: Origin) {
        match self.playbooks.iter_mut().find(|(p, _)| p.id == playbook.id) {
            Some(slot) => *slot = (playbook, origin),
            None => self.playbooks.push((playbook, origin)),
        }
    }
}
