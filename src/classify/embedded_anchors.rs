//! The anchors of the embedded playbooks' rules, computed by `build.rs` with
//! [`anchors::of`](super::anchors::of), so that start-up does not parse ~2,000 regexes.

/// One rule's anchors as the build computed them (see [`Anchors`](super::anchors::Anchors)).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub at_start: bool,
    pub literals: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/embedded_anchors.rs"));

/// The build-time anchors of `pattern`: `None` when the table does not have it (the caller
/// then parses it), `Some(None)` when the rule has no anchors and always runs.
pub(super) fn lookup(pattern: &str) -> Option<Option<Entry>> {
    EMBEDDED_ANCHORS
        .binary_search_by(|(p, _)| (*p).cmp(pattern))
        .ok()
        .map(|i| EMBEDDED_ANCHORS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::anchors;

    /// The table cannot drift from what the classifier would compute: every embedded rule is
    /// in it, and every entry is exactly what [`anchors::of`] gives at run time.
    #[test]
    fn table_equals_the_runtime_parse_of_every_embedded_pattern() {
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
                let pattern = super::super::rules::expand(m, pattern).unwrap();
                assert!(lookup(&pattern).is_some(), "not in the table: {pattern:?}");
            }
        }
        assert!(embedded > 100, "only {embedded} embedded patterns");
        for (pattern, table) in EMBEDDED_ANCHORS {
            let runtime = anchors::of(pattern);
            let table = table.map(|entry| anchors::Anchors {
                literals: entry.literals.iter().map(|a| a.to_string()).collect(),
                at_start: entry.at_start,
            });
            assert_eq!(runtime, Ok(table), "{pattern:?}");
        }
        assert!(
            EMBEDDED_ANCHORS.windows(2).all(|w| w[0].0 < w[1].0),
            "the table must be sorted for the binary search"
        );
    }
}
