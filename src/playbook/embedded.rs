//! The playbooks compiled into the binary, so bouncebook needs no files to work.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::schema::Vocabulary;
use super::{Origin, PlaybookSet, Problem, schema::Playbook};

/// The shared word classes (`playbooks/vocabulary/words.yaml`) as YAML, for tools and tests.
pub const VOCABULARY_SOURCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/playbooks/vocabulary/words.yaml"
));

/// The same as JSON, written by `build.rs`, which read it with the same schema.
const VOCABULARY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/vocabulary.json"));

/// The shared word classes every playbook's rules may name (`{recipient}`, `{missing}`, ...).
/// Parsed once per process. Empty only if the build's own JSON does not read back, which a
/// test rules out.
pub fn shared_words() -> &'static BTreeMap<String, Vec<String>> {
    static WORDS: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    WORDS.get_or_init(|| {
        serde_json::from_str::<Vocabulary>(VOCABULARY_JSON)
            .map(|v| v.words)
            .unwrap_or_default()
    })
}

/// Defines [`EMBEDDED_IDS`], [`EMBEDDED_SOURCES`] and `EMBEDDED_JSON` from one list, so they
/// cannot drift. `include_str!` makes cargo rebuild when a playbook file changes.
macro_rules! embedded_playbooks {
    ($($id:literal),* $(,)?) => {
        /// The ids of the playbooks shipped inside the binary, in display order.
        pub const EMBEDDED_IDS: [&str; 10] = [$($id),*];

        /// The YAML sources shipped inside the binary, as (id, text), in [`EMBEDDED_IDS`] order.
        pub const EMBEDDED_SOURCES: [(&str, &str); 10] = [$(
            ($id, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/", $id, ".yaml")))
        ),*];

        /// The same playbooks as JSON, written by `build.rs` from the YAML sources: what
        /// start-up reads, as (id, text), in [`EMBEDDED_IDS`] order.
        const EMBEDDED_JSON: [(&str, &str); 10] = [$(
            ($id, include_str!(concat!(env!("OUT_DIR"), "/playbooks/", $id, ".json")))
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

/// The embedded playbooks, as start-up loads them: from the JSON `build.rs` wrote, without
/// the checks user files get. Parsing the YAML and checking it was most of loading (serde_json
/// is many times faster than serde_yaml here), and it cannot find anything new: the build has read
/// every file with the same schema, and the test suite runs the full check on the YAML
/// sources (`embedded_sources_pass_check`) and holds the JSON equal to them. Should the JSON
/// not parse all the same, that playbook is reported in `problems` and left out, never a
/// panic.
pub fn embedded() -> PlaybookSet {
    let mut set = PlaybookSet::default();
    for (id, json) in EMBEDDED_JSON {
        match serde_json::from_str::<Playbook>(json) {
            Ok(playbook) => set.insert(playbook, Origin::Embedded),
            Err(err) => set.problems.push(Problem {
                file: embedded_label(id),
                line: 1,
                column: 1,
                message: format!("the embedded playbook does not load: {err}"),
            }),
        }
    }
    set
}
