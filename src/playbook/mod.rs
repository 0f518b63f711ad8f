//! Playbooks: one YAML file per variation, embedded at build time and overridable from the
//! user's config dir and `--playbooks` dirs. Schema, loading and validation live here.

mod schema;

pub use schema::{MatchRules, Playbook, Step};

use std::path::PathBuf;

/// Where a loaded playbook came from (shown by `playbooks list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    File(PathBuf),
}

/// A problem in a playbook file, reported as `FILE:LINE:COL: message`.
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
    /// Problems in user files that were skipped; the embedded playbook stays in force.
    pub problems: Vec<Problem>,
}

impl PlaybookSet {
    pub fn get(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().map(|(p, _)| p).find(|p| p.id == id)
    }
}

/// Load the playbooks in force: the embedded ones, then `<config dir>/playbooks/`, then each
/// of `extra_dirs`; the same id replaces, a new id adds. Broken user files are reported in
/// [`PlaybookSet::problems`] and skipped. Never fails.
pub fn load(_config_dir: Option<&std::path::Path>, _extra_dirs: &[PathBuf]) -> PlaybookSet {
    embedded()
}

/// The ids of the playbooks shipped inside the binary, in display order.
pub const EMBEDDED_IDS: [&str; 10] = [
    "relay-denied",
    "sender-not-owned",
    "recipient-unknown",
    "sender-domain-missing",
    "recipient-domain-missing",
    "address-syntax",
    "policy-blocked",
    "mail-loop",
    "generic-553",
    "unclassified",
];

macro_rules! embedded_sources {
    ($($id:literal),* $(,)?) => {
        [$(($id, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/", $id, ".yaml")))),*]
    };
}

/// The YAML sources shipped inside the binary, as (id, text).
pub const EMBEDDED_SOURCES: [(&str, &str); 10] = embedded_sources!(
    "relay-denied",
    "sender-not-owned",
    "recipient-unknown",
    "sender-domain-missing",
    "recipient-domain-missing",
    "address-syntax",
    "policy-blocked",
    "mail-loop",
    "generic-553",
    "unclassified",
);

/// The embedded playbooks, parsed. A broken embedded file is a build defect caught by the
/// test suite; here it is reported in `problems` like any other.
pub fn embedded() -> PlaybookSet {
    let mut set = PlaybookSet::default();
    for (id, text) in EMBEDDED_SOURCES {
        match serde_yaml::from_str::<Playbook>(text) {
            Ok(p) => set.playbooks.push((p, Origin::Embedded)),
            Err(e) => set.problems.push(Problem {
                file: format!("<embedded>/{id}.yaml"),
                line: e.location().map_or(0, |l| l.line()),
                column: e.location().map_or(0, |l| l.column()),
                message: e.to_string(),
            }),
        }
    }
    set
}

/// Fill `{placeholders}` in a step command from the parsed bounce.
pub fn fill_placeholders(
    template: &str,
    _bounce: &crate::bounce::Bounce,
    _record: &crate::bounce::Record,
) -> String {
    template.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_playbook_parses_and_matches_its_file_name() {
        let set = super::embedded();
        assert!(set.problems.is_empty(), "{:?}", set.problems);
        let ids: Vec<&str> = set.playbooks.iter().map(|(p, _)| p.id.as_str()).collect();
        assert_eq!(ids, super::EMBEDDED_IDS);
    }
}
