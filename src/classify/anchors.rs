//! The anchors of a rule regex: the lower-cased literals one of which starts every match
//! or, for a rule with no such prefix, ends every match.
//!
//! Shared by the classifier and by `build.rs`, which computes the embedded rules' anchors
//! once at build time (parsing ~2,000 patterns was most of start-up). Both must compute
//! exactly the same thing, so this module depends on nothing but `std` and `regex-syntax`,
//! and a test compares the build-time table with this function.

use regex_syntax::hir::{
    Hir,
    literal::{ExtractKind, Extractor},
};

/// Literals shorter than this would make their rule a candidate for nearly every response;
/// such rules simply always run.
const MIN_ANCHOR_CHARS: usize = 2;

/// Most literals one rule may be anchored by. Rules composed of word classes (`{recipient}
/// ... {missing}`) start with any of a few hundred words in ten languages; the extractor's
/// default (250) gave them no anchors, so they ran, unanchored, on every response, which
/// was most of the classifier's time. Keys are cut to their first characters and shared
/// between rules (see `rules`), so the automaton grows far less than the count.
const MAX_ANCHORS: usize = 4096;

/// Why an empty pattern is refused.
pub const EMPTY_PATTERN: &str = "empty pattern (it would match every response)";

/// The anchors of `pattern`: `Ok(None)` when there is no short list of them (the rule then
/// always runs), an error for an empty or unparsable pattern.
///
/// Parsed case-sensitively and lower-cased, to be looked for in the lower-cased response: a
/// case-insensitive match implies the lower-cased literal is there. The parse is also the
/// embedded rules' syntax check, so it is the only one they get at start-up.
pub fn of(pattern: &str) -> Result<Option<Anchors>, String> {
    Ok(anchors_of(&parse(pattern)?))
}

fn parse(pattern: &str) -> Result<Hir, String> {
    if pattern.trim().is_empty() {
        return Err(EMPTY_PATTERN.to_string());
    }
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// Lower-cased literals one of which occurs in every match of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchors {
    pub literals: Vec<String>,
    /// Every match starts with one (a prefix); otherwise every match ends with one (then
    /// the rule is searched unanchored, only when one occurs).
    pub at_start: bool,
}

/// The rule's prefix literals, or failing those its suffix literals.
fn anchors_of(hir: &Hir) -> Option<Anchors> {
    let literals_of = |kind| {
        let seq = Extractor::new()
            .kind(kind)
            .limit_total(MAX_ANCHORS)
            .extract(hir);
        let mut anchors = Vec::new();
        for literal in seq.literals()? {
            let text = std::str::from_utf8(literal.as_bytes()).ok()?.to_lowercase();
            if text.chars().count() < MIN_ANCHOR_CHARS {
                return None;
            }
            anchors.push(text);
        }
        Some(anchors)
    };
    if let Some(literals) = literals_of(ExtractKind::Prefix) {
        return Some(Anchors {
            literals,
            at_start: true,
        });
    }
    literals_of(ExtractKind::Suffix).map(|literals| Anchors {
        literals,
        at_start: false,
    })
}
