//! The lower-cased response the prefilter searches, and the way back from its offsets to
//! the response's own.
//!
//! A rule anchored at its start is searched only where one of its anchors' keys occurs
//! (see `rules`). That needs, for every place a case-insensitive match can start in the
//! response, the key to occur at the corresponding place of the lower-cased copy. It does
//! when the pattern's and the response's characters that match each other lower-case
//! alike. Almost all do; the exceptions are the few characters in [`ODD`], whose simple
//! case folding pairs them with characters that lower-case differently (`ſ` matches `s`
//! but stays `ſ`). A response holding one of them, or a rule whose anchors hold one, is
//! searched unanchored: slower, never wrong. So that the prefilter still finds the anchor
//! (`user` in `uſer`), both the response and the anchors spell an odd character as the
//! [`canonical`] member of its case-fold class.

/// Characters that case-fold together with characters that lower-case differently, by
/// code point. For every other pair of characters that a case-insensitive regex treats as
/// equal, `char::to_lowercase` gives the same string (a test checks this over all of
/// Unicode). `Σ` is here too: `str::to_lowercase` lowers it by its context (final `ς`).
const ODD: [char; 29] = [
    '\u{B5}', '\u{17F}', '\u{345}', '\u{390}', '\u{3A3}', '\u{3B0}', '\u{3C2}', '\u{3D0}',
    '\u{3D1}', '\u{3D5}', '\u{3D6}', '\u{3F0}', '\u{3F1}', '\u{3F5}', '\u{1C80}', '\u{1C81}',
    '\u{1C82}', '\u{1C83}', '\u{1C84}', '\u{1C85}', '\u{1C86}', '\u{1C87}', '\u{1C88}', '\u{1E9B}',
    '\u{1FBE}', '\u{1FD3}', '\u{1FE3}', '\u{FB05}', '\u{FB06}',
];

fn is_odd(c: char) -> bool {
    c >= ODD[0] && ODD.binary_search(&c).is_ok()
}

/// Whether an anchor (lower-cased literal) holds no [`ODD`] character.
pub(super) fn is_plain(anchor: &str) -> bool {
    anchor.is_ascii() || !anchor.chars().any(is_odd)
}

/// How an [`ODD`] character is spelt in the prefilter's text and keys: lower-cased, the
/// first member of its simple case-fold class that is not odd (`ſ` → `s`, `ς` → `σ`), or
/// the first member when all are odd (`ΐ` and its compatibility twin), so
/// that every character it matches case-insensitively is spelt alike. Any other character
/// lower-cases as usual.
fn canonical(c: char) -> String {
    if !is_odd(c) {
        return c.to_lowercase().collect();
    }
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    let mut members = class.iter().flat_map(|r| r.start()..=r.end());
    let first = class.ranges().first().map_or(c, |r| r.start());
    members
        .find(|&d| !is_odd(d))
        .unwrap_or(first)
        .to_lowercase()
        .collect()
}

/// `anchor` (lower-cased) as the prefilter looks for it: odd characters spelt
/// [`canonical`]ly.
pub(super) fn prefilter_spelling(anchor: &str) -> std::borrow::Cow<'_, str> {
    if is_plain(anchor) {
        return anchor.into();
    }
    anchor.chars().map(canonical).collect::<String>().into()
}

/// The prefilter looks for the anchors' first this many characters only. Every match still
/// starts with one of these shortened keys, so the answers are the same, and the literals
/// collapse into far fewer keys whose trie is much smaller and quicker to build. The price
/// is a few more candidate rules per response, so a little more regex compiling on a first
/// triage (rules compile on first need). Longer keys build slower for few fewer
/// candidates; shorter ones let through many more (`benches/playbooks` measures the build).
pub(super) const PREFILTER_CHARS: usize = 12;

/// What the prefilter looks for to find `anchor` (lower-cased): its
/// [`prefilter_spelling`], cut to its first [`PREFILTER_CHARS`] characters.
pub(super) fn prefilter_key(anchor: &str) -> String {
    let spelt = prefilter_spelling(anchor);
    match spelt.char_indices().nth(PREFILTER_CHARS) {
        Some((end, _)) => spelt[..end].to_string(),
        None => spelt.into_owned(),
    }
}

/// The distinct [`prefilter_key`]s of a rule's anchors (or inner literals), in the order
/// of their first literal. Two literals of one rule often share a key (`considered as
/// spam`, `considered as junk`).
pub(super) fn prefilter_keys<S: AsRef<str>>(literals: &[S]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut keys = Vec::new();
    for literal in literals {
        let key = prefilter_key(literal.as_ref());
        if seen.insert(key.clone()) {
            keys.push(key);
        }
    }
    keys
}

/// Whether a rule may be searched only where its anchors' keys occur: the anchors start
/// every match (`at_start`) and hold no odd character, whose places in the lower-cased
/// text are not trusted.
pub(super) fn keys_mark_starts<S: AsRef<str>>(at_start: bool, literals: &[S]) -> bool {
    at_start && literals.iter().all(|l| is_plain(l.as_ref()))
}

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

/// A response lower-cased, and where each of its bytes comes from in the response.
pub(super) struct Lowered {
    pub text: String,
    origin: Origin,
}

enum Origin {
    /// ASCII: every offset is the response's own.
    Same,
    /// Per byte of the lower-cased text, the offset of the response's character it was
    /// lowered from (a character may lower to more bytes, or to several characters).
    Mapped(Vec<usize>),
    /// The response holds an [`ODD`] character: no offset is trusted.
    None,
}

impl Lowered {
    pub fn new(text: &str) -> Lowered {
        if text.is_ascii() {
            return Lowered {
                text: text.to_ascii_lowercase(),
                origin: Origin::Same,
            };
        }
        // `str::to_lowercase`, not a per-character loop: the prefilter must see exactly
        // the text it always saw (they differ only for `Σ`, which is odd anyway).
        let lowered = text.to_lowercase();
        match origins(text).filter(|o| o.len() == lowered.len()) {
            Some(origin) => Lowered {
                text: lowered,
                origin: Origin::Mapped(origin),
            },
            // An odd character: spelt canonically so that the anchors it can match are
            // found (see the module docs); offsets are not trusted.
            None => Lowered {
                text: text.chars().map(canonical).collect(),
                origin: Origin::None,
            },
        }
    }

    /// The response's offset of the character the lower-cased byte at `at` comes from;
    /// `None` when offsets cannot be trusted (see the module docs).
    pub fn origin(&self, at: usize) -> Option<usize> {
        match &self.origin {
            Origin::Same => Some(at),
            Origin::Mapped(origin) => origin.get(at).copied(),
            Origin::None => None,
        }
    }
}

/// Per byte of the lower-cased `text`, the offset of its character; `None` if `text` holds
/// an [`ODD`] character.
fn origins(text: &str) -> Option<Vec<usize>> {
    let mut origin = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        // Mostly ASCII still (the non-ASCII text is often one quoted name).
        let len = if c.is_ascii() {
            1
        } else if is_odd(c) {
            return None;
        } else {
            c.to_lowercase().map(char::len_utf8).sum()
        };
        origin.resize(origin.len() + len, at);
    }
    Some(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claim the anchored search rests on, over all of Unicode: two characters that a
    /// case-insensitive regex treats as equal and that are not odd lower-case alike.
    #[test]
    fn every_case_fold_class_lowers_alike_but_for_the_odd_characters() {
        assert!(ODD.windows(2).all(|w| w[0] < w[1]), "sorted for the search");
        let lower = |c: char| c.to_lowercase().collect::<String>();
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| !is_odd(c))
        {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            for d in class.iter().flat_map(|r| r.start()..=r.end()) {
                assert!(
                    is_odd(d) || lower(d) == lower(c),
                    "{c:?} and {d:?} fold together but lower differently: add one to ODD"
                );
            }
        }
    }

    #[test]
    fn offsets_lead_back_to_the_characters_lowered() {
        // `İ` lowers to two characters (3 bytes), `É` to one of the same length.
        let text = "İx ÉCHEC";
        let lowered = Lowered::new(text);
        assert_eq!(lowered.text, "i\u{307}x échec");
        let at = |needle: &str| lowered.text.find(needle).and_then(|p| lowered.origin(p));
        assert_eq!(at("x"), text.find('x'));
        assert_eq!(at("échec"), text.find("ÉCHEC"));
        assert_eq!(at("\u{307}"), Some(0));
        assert_eq!(Lowered::new("ABC").origin(2), Some(2));
        // An odd character: offsets are not trusted.
        assert_eq!(Lowered::new("ſorry, É").origin(0), None);
        assert!(is_plain("user unknown") && is_plain("échec") && !is_plain("ſorry"));
        // The anchor is still found.
        assert_eq!(Lowered::new("Uſer ÚNKNOWN").text, "user únknown");
        assert_eq!(prefilter_spelling("uſer"), "user");
    }

    /// Every character an odd one matches case-insensitively is spelt as it is.
    #[test]
    fn odd_characters_are_spelt_like_their_whole_fold_class() {
        for &c in &ODD {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            for d in class.iter().flat_map(|r| r.start()..=r.end()) {
                assert_eq!(canonical(d), canonical(c), "{c:?} and {d:?}");
            }
        }
    }
}
