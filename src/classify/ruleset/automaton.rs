//! The automata of a rule anchored at its start, searched on ASCII text (its ASCII form,
//! see [`syntax::for_ascii_haystack`](super::syntax::for_ascii_haystack)): its Thompson
//! NFA, and the full forward DFA made from it.
//!
//! Shared by the [`RuleSet`](super::RuleSet), which builds the NFA of a rule on its first
//! need (the lazy DFA runs on it), and by `build.rs`, which determinises the embedded rules
//! whose DFA is small once at build time (compiling and lazily determinising them was most
//! of a triage run's once-per-process cost). Both must build exactly the same automata, so
//! both call these functions, and a test compares the build's DFAs with ones made now.

use regex_automata::dfa::{StartKind, dense};
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures};
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::Hir;

/// Largest DFA the build keeps for one rule. Most rules determinise into a few KiB; rules
/// composed of word classes with a gap between them (`{recipient} ... {missing}`) would
/// take megabytes and seconds (a state per place in the gap and partial word), and stay
/// with the lazy DFA, which only builds the states texts need.
#[cfg_attr(not(test), allow(dead_code))] // the build's and the tests'
pub const MAX_DFA_BYTES: usize = 256 * 1024;

/// The Thompson NFA of `hir` (a rule's ASCII form) as both of its searchers use it: byte
/// oriented (the ASCII form matches bytes), only the overall span, and within the rule size
/// limit.
pub fn nfa(hir: &Hir, max_regex_bytes: usize) -> Result<NFA, String> {
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(max_regex_bytes))
                .which_captures(WhichCaptures::Implicit),
        )
        .build_from_hir(hir)
        .map_err(|e| e.to_string())
}

/// The full DFA of `nfa` for anchored searches (the only ones a rule anchored at its start
/// makes), with the lazy DFA's match semantics (leftmost-first); `None` when it would be
/// larger than [`MAX_DFA_BYTES`].
#[cfg_attr(not(test), allow(dead_code))] // the build's and the tests'
pub fn dense_dfa(nfa: &NFA) -> Option<dense::DFA<Vec<u32>>> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .start_kind(StartKind::Anchored)
                .minimize(false)
                .dfa_size_limit(Some(MAX_DFA_BYTES))
                .determinize_size_limit(Some(4 * MAX_DFA_BYTES)),
        )
        .build_from_nfa(nfa)
        .ok()
}

/// The end of the leftmost-first match of `dfa` starting exactly at `input`'s start
/// (`input` must be anchored); an error only if the DFA cannot search it, which a DFA made
/// by [`dense_dfa`] never reports (no quit bytes, no Unicode word boundary).
pub fn find_end<T: AsRef<[u32]>>(
    dfa: &dense::DFA<T>,
    input: &Input<'_>,
) -> Result<Option<usize>, regex_automata::MatchError> {
    use regex_automata::dfa::Automaton as _;
    debug_assert_eq!(input.get_anchored(), Anchored::Yes);
    Ok(dfa.try_search_fwd(input)?.map(|m| m.offset()))
}

/// Tags of [`encode_nfa`]'s state records.
const BYTE_RANGE: u32 = 0;
const SPARSE: u32 = 1;
const LOOK: u32 = 2;
const UNION: u32 = 3;
const CAPTURE_START: u32 = 4;
const CAPTURE_END: u32 = 5;
const FAIL: u32 = 6;
const MATCH: u32 = 7;

/// `nfa` (one pattern, as [`nfa`] builds it) as words that [`decode_nfa`] rebuilds it from
/// without a regex compiler: the starts, then each state in order with its transitions.
/// Rebuilding is a fraction of compiling the rule's HIR (and of reading the HIR back),
/// which for a rule composed of word classes is most of its first use. `None` for an NFA
/// this form does not cover (several patterns, dense states).
#[cfg_attr(not(test), allow(dead_code))] // the build's and the tests'
pub fn encode_nfa(nfa: &NFA) -> Option<Vec<u32>> {
    use regex_automata::nfa::thompson::State;
    if nfa.pattern_len() != 1 {
        return None;
    }
    let id = |sid: regex_automata::util::primitives::StateID| sid.as_u32();
    let range = |t: &thompson::Transition| u32::from(t.start) | (u32::from(t.end) << 8);
    let start = nfa.start_pattern(regex_automata::PatternID::ZERO)?;
    let mut out = vec![
        u32::try_from(nfa.states().len()).ok()?,
        id(nfa.start_anchored()),
        id(nfa.start_unanchored()),
        id(start),
    ];
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => out.extend([BYTE_RANGE, range(trans), id(trans.next)]),
            State::Sparse(sparse) => {
                out.extend([SPARSE, u32::try_from(sparse.transitions.len()).ok()?]);
                for t in &sparse.transitions {
                    out.extend([range(t), id(t.next)]);
                }
            }
            State::Look { look, next } => out.extend([LOOK, look.as_repr(), id(*next)]),
            State::BinaryUnion { alt1, alt2 } => out.extend([UNION, 2, id(*alt1), id(*alt2)]),
            State::Union { alternates } => {
                out.extend([UNION, u32::try_from(alternates.len()).ok()?]);
                out.extend(alternates.iter().map(|&sid| id(sid)));
            }
            State::Capture {
                next,
                group_index,
                slot,
                ..
            } => {
                // A group's two slots: its start, then its end.
                let tag = if slot.as_usize() % 2 == 0 {
                    CAPTURE_START
                } else {
                    CAPTURE_END
                };
                out.extend([tag, group_index.as_u32(), id(*next)]);
            }
            State::Fail => out.push(FAIL),
            State::Match { .. } => out.push(MATCH),
            State::Dense(_) => return None,
        }
    }
    Some(out)
}

/// The NFA [`encode_nfa`] wrote, state for state; `None` for words it did not write.
pub fn decode_nfa(words: &[u32]) -> Option<NFA> {
    use regex_automata::util::primitives::StateID;
    // No list in the words is longer than the words: a bound for each list's capacity.
    let most = words.len();
    let mut words = words.iter().copied();
    let mut next = || words.next();
    let sid = |n: u32| StateID::new(usize::try_from(n).ok()?).ok();
    let transition = |range: u32, to: u32| {
        Some(thompson::Transition {
            start: u8::try_from(range & 0xFF).ok()?,
            end: u8::try_from(range >> 8).ok()?,
            next: sid(to)?,
        })
    };
    let len = next()?;
    let (anchored, unanchored, start) = (sid(next()?)?, sid(next()?)?, sid(next()?)?);
    // As `nfa` configures the compiler's builder.
    let mut builder = thompson::Builder::new();
    builder.set_utf8(false);
    builder.start_pattern().ok()?;
    for _ in 0..len {
        let added = match next()? {
            BYTE_RANGE => builder.add_range(transition(next()?, next()?)?),
            SPARSE => {
                let n = next()?;
                let mut transitions = Vec::with_capacity(usize::try_from(n).ok()?.min(most));
                for _ in 0..n {
                    transitions.push(transition(next()?, next()?)?);
                }
                builder.add_sparse(transitions)
            }
            LOOK => {
                let look = regex_automata::util::look::Look::from_repr(next()?)?;
                builder.add_look(sid(next()?)?, look)
            }
            UNION => {
                let n = next()?;
                let mut alternates = Vec::with_capacity(usize::try_from(n).ok()?.min(most));
                for _ in 0..n {
                    alternates.push(sid(next()?)?);
                }
                builder.add_union(alternates)
            }
            CAPTURE_START => {
                let group = next()?;
                builder.add_capture_start(sid(next()?)?, group, None)
            }
            CAPTURE_END => {
                let group = next()?;
                builder.add_capture_end(sid(next()?)?, group)
            }
            FAIL => builder.add_fail(),
            MATCH => builder.add_match(),
            _ => return None,
        };
        added.ok()?;
    }
    if next().is_some() {
        return None;
    }
    builder.finish_pattern(start).ok()?;
    builder.build(anchored, unanchored).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(pattern: &str) -> NFA {
        let hir = super::super::syntax::for_ascii_haystack(
            super::super::syntax::parse_folded(pattern).expect("parses"),
        );
        nfa(&hir, 1 << 20).expect("compiles")
    }

    /// Every kind of state the compiler makes (ranges, sparse states, look-around, binary
    /// and wider unions, the match's capture slots, a branch that cannot match) comes back
    /// as it was, state for state and in its derived tables.
    #[test]
    fn encoded_nfas_decode_to_the_same_nfa() {
        for pattern in [
            "user unknown",
            r"\bno such (?:user|mailbox|recipient|address)\b",
            r"(?m:^)550[ -]5\.1\.\d .{0,20}?(?:quota|full)$",
            r"[a-z.]+ does not exist|ÉCHEC",
            r"x*y+\B[^a-f0-9]{2,5}",
        ] {
            let nfa = compiled(pattern);
            let words = encode_nfa(&nfa).expect("encodable");
            let back = decode_nfa(&words).expect("decodable");
            assert_eq!(format!("{back:?}"), format!("{nfa:?}"), "{pattern:?}");
            assert_eq!(
                format!("{:?}", back.byte_classes()),
                format!("{:?}", nfa.byte_classes()),
                "{pattern:?}"
            );
            assert_eq!(back.look_set_any(), nfa.look_set_any(), "{pattern:?}");
            assert_eq!(back.is_utf8(), nfa.is_utf8(), "{pattern:?}");
            assert_eq!(back.group_info().slot_len(), nfa.group_info().slot_len());
        }
    }

    #[test]
    fn words_encode_nfa_did_not_write_are_refused() {
        let words = encode_nfa(&compiled(r"\bno such (?:user|mailbox)\b")).expect("encodable");
        assert!(decode_nfa(&words[..words.len() - 1]).is_none(), "cut short");
        let mut longer = words.clone();
        longer.push(super::MATCH);
        assert!(decode_nfa(&longer).is_none(), "trailing words");
        let mut bad_tag = words.clone();
        bad_tag[4] = 99;
        assert!(decode_nfa(&bad_tag).is_none(), "unknown state");
        assert!(decode_nfa(&[]).is_none());
    }
}
