//! The playbooks compiled into the binary, so bouncebook needs no files to work.

use super::{Origin, PlaybookSet, check};

/// Defines [`EMBEDDED_IDS`] and [`EMBEDDED_SOURCES`] from one list, so the two cannot drift.
/// `include_str!` makes cargo rebuild when a playbook file changes.
macro_rules! embedded_playbooks {
    ($($id:literal),* $(,)?) => {
        /// The ids of the playbooks shipped inside the binary, in display order.
        pub const EMBEDDED_IDS: [&str; 10] = [$($id),*];

        /// The YAML sources shipped inside the binary, as (id, text), in [`EMBEDDED_IDS`] order.
        pub const EMBEDDED_SOURCES: [(&str, &str); 10] = [$(
            ($id, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/", $id, ".yaml")))
        ),*];
    };
}

embedded_playbooks!(
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

/// The label an embedded playbook carries in problems.
pub fn embedded_label(id: &str) -> String {
    format!("<embedded>/{id}.yaml")
}

/// The embedded playbooks, parsed and validated with the same checks as user files except the
/// regex validation, which the test suite has done (see [`check::Patterns`]). A broken
/// embedded file is a build defect caught by the test suite; here it is reported in
/// `problems` like any other and left out, never a panic.
pub fn embedded() -> PlaybookSet {
    let mut set = PlaybookSet::default();
    for (id, text) in EMBEDDED_SOURCES {
        let checked = check::check_source_inner(
            &embedded_label(id),
            Some(id),
            text.as_bytes(),
            &check::Limits::DEFAULT,
            check::Patterns::AlreadyValidated,
        );
        match checked {
            Ok(playbook) => set.insert(playbook, Origin::Embedded),
            Err(problems) => set.problems.extend(problems),
        }
    }
    set
}
