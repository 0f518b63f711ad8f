//! The parser's vocabulary (`vocabulary.txt`, embedded): fixed wordings in named sections,
//! read once. See the file's head for its format.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

const FILE: &str = include_str!("vocabulary.txt");

/// The sections the parser reads; a section in the file that is not here is an error the
/// test below reports.
pub const SECTIONS: [&str; 60] = [
    "original-phrases",
    "original-markers",
    "daemon-mailboxes",
    "role-mailboxes",
    "bounce-senders",
    "bounce-subjects",
    "auto-reply-subjects",
    "complaint-subjects",
    "recipients-heading-words",
    "sender-refusals",
    "sender-labels",
    "sender-dialogs",
    "client-failure-lines",
    "dns-verdicts",
    "to-labels",
    "from-labels",
    "client-dialogs",
    "stage-leads",
    "stage-phrases-mail-from",
    "stage-phrases-rcpt-to",
    "stage-phrases-connect",
    "recipient-labels",
    "recipient-reason-labels",
    "table-recipient",
    "table-sender",
    "table-time",
    "table-created",
    "table-words",
    "table-outcome",
    "table-host",
    "admin-headings",
    "send-announcements",
    "outcome-failed",
    "outcome-delayed",
    "outcome-delivered",
    "recipient-sentences",
    "recipient-sentence-ends",
    "reply-attributions",
    "failure-rows",
    "sent-date-labels",
    "dialog-recipient-words",
    "arrival-labels",
    "dialog-account-labels",
    "outbox-folders",
    "bounce-sender-names",
    "compose-recipient-errors",
    "compose-sender-errors",
    "compose-errors",
    "subject-labels",
    "forward-prefixes",
    "sender-keys",
    "expansion-notes",
    "forwarded-markers",
    "connection-verdicts",
    "address-verdicts",
    "recipient-refusals",
    "message-id-keys",
    "inbound-mx-hosts",
    "remote-reply-leads",
    "zone-labels",
];

/// The sections by name. Readers look a section up by its name every time they need it
/// (tens of thousands of times in a large triage run), so the names are hashed with FNV-1a,
/// a few instructions per byte, rather than the default SipHash: the keys are this file's
/// own section names, nothing an input chooses.
type Sections = HashMap<&'static str, Vec<&'static str>, BuildHasherDefault<Fnv>>;

static WORDS: LazyLock<Sections> = LazyLock::new(|| parse(FILE));

/// FNV-1a (64 bits).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

fn parse(file: &'static str) -> Sections {
    let mut out = Sections::default();
    let mut section = "";
    for line in file.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            section = name;
            out.entry(section).or_default();
            continue;
        }
        out.entry(section).or_default().push(t);
    }
    out
}

/// The entries of one section (lowercase, as written in the file).
pub fn words(section: &str) -> &'static [&'static str] {
    debug_assert!(SECTIONS.contains(&section), "no section [{section}]");
    WORDS.get(section).map_or(&[], Vec::as_slice)
}

/// A regex alternation of a section's entries, each matched literally.
pub fn alternation(section: &str) -> String {
    words(section)
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_well_formed() {
        let parsed = parse(FILE);
        assert!(
            !parsed.contains_key(""),
            "entries before the first [section]"
        );
        for (name, entries) in &parsed {
            assert!(SECTIONS.contains(name), "unknown section [{name}]");
            assert!(!entries.is_empty(), "[{name}] is empty");
            for (i, e) in entries.iter().enumerate() {
                assert_eq!(
                    *e,
                    e.to_lowercase(),
                    "[{name}] {e:?}: write entries in lowercase"
                );
                assert!(!entries[..i].contains(e), "[{name}] {e:?} repeated");
            }
        }
        for name in SECTIONS {
            assert!(parsed.contains_key(name), "[{name}] missing");
        }
    }
}
