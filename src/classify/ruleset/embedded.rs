//! The embedded playbooks' rules as `build.rs` prepared them with [`syntax`](super::syntax)
//! and `fold`: the prefilter's keys of their anchors and their ASCII form, so that start-up
//! parses none of ~2,000 patterns nor makes a key of any of their literals, and a first
//! search of an ASCII text does not parse the composed Unicode rule.

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
}

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

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
}
