//! The embedded playbooks' rules as `build.rs` prepared them with [`syntax`](super::syntax):
//! their anchors and their ASCII form, so that start-up parses none of ~2,000 patterns and
//! a first search of an ASCII text does not parse the composed Unicode rule.

/// One rule's anchors as the build computed them (see [`Anchors`](super::syntax::Anchors)).
#[derive(Debug, Clone, Copy)]
pub(super) struct AnchorEntry {
    pub at_start: bool,
    pub literals: &'static [&'static str],
    pub inner: &'static [&'static str],
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
    use super::super::syntax;
    use super::*;

    /// The table cannot drift from what the rule set would compute: every embedded rule is
    /// in it, and every entry is exactly what [`syntax`] gives at run time.
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
        for (pattern, entry) in EMBEDDED_RULES {
            let table = entry.anchors.map(|a| syntax::Anchors {
                literals: a.literals.iter().map(|l| l.to_string()).collect(),
                at_start: a.at_start,
                inner: a.inner.iter().map(|l| l.to_string()).collect(),
            });
            assert_eq!(syntax::anchors(pattern), Ok(table), "{pattern:?}");
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
    }
}
