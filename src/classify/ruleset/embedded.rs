//! The embedded playbooks' rules as `build.rs` prepared them with [`syntax`](super::syntax)
//! and `fold`: the prefilter's keys of their anchors and their ASCII form, so that start-up
//! parses none of ~2,000 patterns nor makes a key of any of their literals, and a first
//! search of an ASCII text does not parse the composed Unicode rule; and the DFAs of the
//! rules small enough to determinise (see [`automaton`](super::automaton)), so that most
//! rules are neither compiled nor determinised at run time.

use regex_automata::dfa::dense;
use regex_automata::nfa::thompson::NFA;

/// One rule's anchors as the build computed them (see [`Anchors`](super::syntax::Anchors)),
/// as the prefilter looks for them: distinct keys, each a place in [`KEYS`].
#[derive(Debug, Clone, Copy)]
pub(super) struct AnchorEntry {
    /// The keys start every match and their places are trusted (`fold::keys_mark_starts`).
    pub at_start: bool,
    /// The [`fold::prefilter_keys`](super::super::fold::prefilter_keys) of the anchors.
    pub keys: &'static [usize],
    /// The same of the inner literals (none: the rule needs none).
    pub inner: &'static [usize],
}

/// One rule as the build prepared it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// `None` when the rule has no anchors and always runs.
    pub anchors: Option<AnchorEntry>,
    /// [`syntax::ascii_form`](super::syntax::ascii_form) of the rule.
    pub ascii: &'static str,
    /// The rule as the matcher reads it ([`syntax::parse_folded`](super::syntax::parse_folded)),
    /// [`syntax::encode`](super::syntax::encode)d: a text with non-ASCII characters where a
    /// rule may match (a Japanese bounce) needs the Unicode rule, and reading this back is
    /// a fraction of parsing the composed, case-folded pattern.
    pub unicode: &'static str,
    /// The longest text the rule matches, in bytes, as the rule reads (Unicode, case
    /// folded); `None`: unbounded.
    pub max_len: Option<usize>,
    /// The [`automaton::dense_dfa`](super::automaton::dense_dfa) of the ASCII form, for a
    /// rule anchored at its start whose DFA is small.
    pub dfa: Option<Prebuilt>,
    /// For a rule anchored at its start without a DFA: its
    /// [`automaton::encode_nfa`](super::automaton::encode_nfa) (offset and length in words
    /// of [`NFAS`]).
    pub nfa: Option<Prebuilt>,
}

/// Where a rule's DFA lies in [`DFAS`] (in bytes) or its NFA in [`NFAS`] (in words), and
/// the longest text the rule matches (bytes; `None`: unbounded).
#[derive(Debug, Clone, Copy)]
pub(super) struct Prebuilt {
    pub offset: usize,
    pub len: usize,
    pub max_len: Option<usize>,
}

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Bytes aligned as a DFA's table of `u32`s needs them to be read in place.
#[repr(C, align(8))]
struct Aligned<B: ?Sized> {
    bytes: B,
}

/// The DFAs of the table's entries, in the target's byte order, each at a multiple of 8.
static DFAS: &Aligned<[u8]> = &Aligned {
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/rule_dfas.bin")),
};

/// The encoded NFAs of the table's entries, as little-endian words.
static NFAS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rule_nfas.bin"));

/// A prebuilt NFA, rebuilt; `None` if it cannot be, which the test suite says does not
/// happen (the caller then compiles the rule).
pub(super) fn nfa(at: Prebuilt) -> Option<NFA> {
    let end = at.offset.checked_add(at.len)?.checked_mul(4)?;
    let bytes = NFAS.get(at.offset.checked_mul(4)?..end)?;
    let words: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    super::automaton::decode_nfa(&words)
}

/// A prebuilt DFA, read in place: not copied, and its transitions not validated again (see
/// the safety note); `None` if its header cannot be read, which the test suite says does
/// not happen (the caller then compiles the rule).
pub(super) fn dfa(at: Prebuilt) -> Option<dense::DFA<&'static [u32]>> {
    let bytes = DFAS.bytes.get(at.offset..at.offset.checked_add(at.len)?)?;
    // SAFETY: `from_bytes_unchecked` wants bytes that this regex-automata's own
    // serialisation wrote for the target's byte order. `build.rs` wrote every DFA in
    // `DFAS` with `write_to_little_endian` / `write_to_big_endian` as the target's
    // endianness asks, with the same regex-automata (Cargo.lock holds one version for the
    // build script and the library), and `prebuilt_automata_equal_the_ones_built_now`
    // checks each of them with the validating `DFA::from_bytes` and byte for byte against
    // a DFA built now. The header, alignment and byte order are still checked here. The
    // validation walked every transition of every DFA a run uses: a tenth of the rule
    // set's cost in a run of a few hundred files.
    unsafe { dense::DFA::from_bytes_unchecked(bytes) }
        .ok()
        .map(|(dfa, _)| dfa)
}

/// The place of `key` (a [`fold::prefilter_key`](super::super::fold::prefilter_key)) in
/// [`KEYS`], if a rule of the table has it.
pub(super) fn key_number(key: &str) -> Option<usize> {
    KEYS.binary_search(&key).ok()
}

/// The build-time preparation of `pattern` (expanded); `None` when the table does not have
/// it (the caller then parses it).
pub(super) fn lookup(pattern: &str) -> Option<Entry> {
    EMBEDDED_RULES
        .binary_search_by(|(p, _)| (*p).cmp(pattern))
        .ok()
        .map(|i| EMBEDDED_RULES[i].1)
}

#[cfg(test)]
mod tests {
    use super::super::super::fold;
    use super::super::syntax;
    use super::*;

    /// The table cannot drift from what the rule set would compute: every embedded rule is
    /// in it, and every entry is exactly what [`syntax`] and `fold` give at run time.
    #[test]
    fn table_equals_the_runtime_preparation_of_every_embedded_pattern() {
        let set = crate::playbook::embedded();
        assert!(set.problems.is_empty(), "{:?}", set.problems);
        let mut embedded = 0;
        for (playbook, _) in &set.playbooks {
            let m = &playbook.matcher;
            for pattern in [&m.text, &m.stage_text, &m.weak_text, &m.not_text]
                .into_iter()
                .flatten()
            {
                embedded += 1;
                let pattern = crate::classify::rules::expand(m, pattern).unwrap();
                assert!(lookup(&pattern).is_some(), "not in the table: {pattern:?}");
            }
        }
        assert!(embedded > 100, "only {embedded} embedded patterns");
        let spelt =
            |keys: &[usize]| -> Vec<String> { keys.iter().map(|&k| KEYS[k].to_string()).collect() };
        for (pattern, entry) in EMBEDDED_RULES {
            let table = entry
                .anchors
                .map(|a| (a.at_start, spelt(a.keys), spelt(a.inner)));
            let runtime = syntax::anchors(pattern).map(|found| {
                found.map(|a| {
                    (
                        fold::keys_mark_starts(a.at_start, &a.literals),
                        fold::prefilter_keys(&a.literals),
                        fold::prefilter_keys(&a.inner),
                    )
                })
            });
            assert_eq!(runtime, Ok(table), "{pattern:?}");
            assert_eq!(
                syntax::ascii_form(pattern).as_deref(),
                Ok(entry.ascii),
                "{pattern:?}"
            );
            assert_eq!(
                syntax::parse_folded(pattern).map(|h| h.properties().maximum_len()),
                Ok(entry.max_len),
                "{pattern:?}"
            );
            assert_eq!(
                syntax::parse_folded(pattern)
                    .map(|h| syntax::encode(&h))
                    .as_deref(),
                Ok(entry.unicode),
                "{pattern:?}"
            );
        }
        assert!(
            EMBEDDED_RULES.windows(2).all(|w| w[0].0 < w[1].0),
            "the table must be sorted for the binary search"
        );
        assert!(
            KEYS.windows(2).all(|w| w[0] < w[1]),
            "the keys must be distinct and sorted for the binary search"
        );
    }

    /// The build's automata are the ones the rule set would build now: every rule anchored
    /// at its start has its DFA when that is small, byte for byte, and its NFA otherwise,
    /// state for state; the others have neither. And they are built under the size limit
    /// the classifier uses.
    #[test]
    fn prebuilt_automata_equal_the_ones_built_now() {
        use super::super::automaton;
        assert_eq!(
            DFA_REGEX_LIMIT,
            crate::playbook::Limits::DEFAULT.max_regex_bytes
        );
        let (mut dfas, mut nfas) = (0, 0);
        for (pattern, entry) in EMBEDDED_RULES {
            if !entry.anchors.is_some_and(|a| a.at_start) {
                assert!(entry.dfa.is_none() && entry.nfa.is_none(), "{pattern:?}");
                continue;
            }
            let hir = syntax::decode(entry.ascii).unwrap();
            let max_len = hir.properties().maximum_len();
            let nfa = automaton::nfa(&hir, DFA_REGEX_LIMIT).unwrap();
            match automaton::dense_dfa(&nfa) {
                Some(built) => {
                    dfas += 1;
                    let at = entry.dfa.expect("a DFA in the table");
                    assert!(entry.nfa.is_none(), "{pattern:?}");
                    assert_eq!(at.max_len, max_len, "{pattern:?}");
                    let (bytes, pad) = built.to_bytes_native_endian();
                    assert_eq!(
                        &DFAS.bytes[at.offset..at.offset + at.len],
                        &bytes[pad..],
                        "{pattern:?}"
                    );
                    // What `dfa` skips at run time: the full validation.
                    assert!(
                        dense::DFA::from_bytes(&DFAS.bytes[at.offset..at.offset + at.len]).is_ok(),
                        "{pattern:?}"
                    );
                    assert!(dfa(at).is_some(), "{pattern:?}");
                }
                None => {
                    nfas += 1;
                    let at = entry.nfa.expect("an NFA in the table");
                    assert!(entry.dfa.is_none(), "{pattern:?}");
                    assert_eq!(at.max_len, max_len, "{pattern:?}");
                    let rebuilt = super::nfa(at).expect("rebuilds");
                    assert_eq!(format!("{rebuilt:?}"), format!("{nfa:?}"), "{pattern:?}");
                }
            }
        }
        // Most rules are small; the composed ones are not.
        assert!(dfas > 100 && nfas > 0, "{dfas} DFAs, {nfas} NFAs");
    }
}
