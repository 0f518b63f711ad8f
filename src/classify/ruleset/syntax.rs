//! The syntax side of compiling one rule: the one parse every user of a rule agrees on, the
//! anchors the prefilter looks for, and the rule cut down to what it can match in ASCII
//! text.
//!
//! Shared by the [`RuleSet`](super::RuleSet) and by `build.rs`, which prepares the embedded
//! rules once at build time (parsing ~2,000 composed patterns was most of start-up, and
//! their case-folded Unicode parse most of a first triage's regex cost). Both must compute
//! exactly the same thing, so this module depends on nothing but `std` and `regex-syntax`,
//! and a test compares the build-time table with these functions.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Literal, Look, Repetition,
    literal::{ExtractKind, Extractor},
};

/// Literals shorter than this would make their rule a candidate for nearly every response;
/// such rules simply always run.
const MIN_ANCHOR_CHARS: usize = 2;

/// Most literals one rule may be anchored by. Rules composed of word classes (`{recipient}
/// ... {missing}`) start with any of a few hundred words in ten languages; the extractor's
/// default (250) gave them no anchors, so they ran, unanchored, on every response, which
/// was most of the classifier's time. Keys are cut to their first characters and shared
/// between rules (see the rule set's prefilter), so the automaton grows far less than the
/// count.
const MAX_ANCHORS: usize = 4096;

/// Why an empty pattern is refused.
pub const EMPTY_PATTERN: &str = "empty pattern (it would match every response)";

/// A rule as the matcher reads it: case-insensitive, Unicode, the `regex` crate's syntax
/// and defaults otherwise. Every compilation of a rule (the fast path, the ASCII cut-down,
/// the size check and the plain reference `Regex`) starts from this reading.
pub fn parse_folded(pattern: &str) -> Result<Hir, String> {
    if pattern.trim().is_empty() {
        return Err(EMPTY_PATTERN.to_string());
    }
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(|e| first_line_of_regex_error(&e.to_string()))
}

/// The anchors of `pattern`: `Ok(None)` when there is no short list of them (the rule then
/// always runs), an error for an empty or unparsable pattern.
///
/// Parsed case-sensitively and lower-cased, to be looked for in the lower-cased response: a
/// case-insensitive match implies the lower-cased literal is there (the case-folded parse
/// would spell every case of every literal out).
pub fn anchors(pattern: &str) -> Result<Option<Anchors>, String> {
    if pattern.trim().is_empty() {
        return Err(EMPTY_PATTERN.to_string());
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| first_line_of_regex_error(&e.to_string()))?;
    Ok(anchors_of(&hir))
}

/// Lower-cased literals one of which occurs in every match of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchors {
    pub literals: Vec<String>,
    /// Every match starts with one (a prefix); otherwise every match ends with one (then
    /// the rule is searched unanchored, only when one occurs).
    pub at_start: bool,
    /// Lower-cased literals one of which also occurs, somewhere, in every match: the
    /// prefixes of a later part of the rule (`{missing}` in `{recipient} ... {missing}`).
    /// A rule composed of word classes starts with everyday words (`user`, `address`)
    /// found in most responses; its rarer half decides whether it is worth running.
    /// Empty when no later part has a short list of long enough prefixes.
    pub inner: Vec<String>,
}

/// Inner literals shorter than this would rule out too little to pay for their keys.
const MIN_INNER_CHARS: usize = 3;

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
            inner: inner_literals(hir),
        });
    }
    literals_of(ExtractKind::Suffix).map(|literals| Anchors {
        literals,
        at_start: false,
        inner: inner_literals(hir),
    })
}

/// The [`Anchors::inner`] of a rule: of the parts of its top-level concatenation after
/// the first, the one whose prefix literals are longest at their shortest (the rarest in
/// text, as a rule of thumb; the later one on a tie). A match of the rule holds a match
/// of each part, and each match of a part starts with one of its prefix literals.
fn inner_literals(hir: &Hir) -> Vec<String> {
    let mut hir = hir;
    while let HirKind::Capture(cap) = hir.kind() {
        hir = &cap.sub;
    }
    let HirKind::Concat(parts) = hir.kind() else {
        return Vec::new();
    };
    let mut best: Option<(usize, Vec<String>)> = None;
    for part in parts.iter().skip(1) {
        let seq = Extractor::new()
            .kind(ExtractKind::Prefix)
            .limit_total(MAX_ANCHORS)
            .extract(part);
        let Some(found) = seq.literals() else {
            continue;
        };
        let literals: Option<Vec<String>> = found
            .iter()
            .map(|l| Some(std::str::from_utf8(l.as_bytes()).ok()?.to_lowercase()))
            .collect();
        let Some(literals) = literals else { continue };
        let shortest = literals.iter().map(|l| l.chars().count()).min();
        let Some(shortest) = shortest.filter(|&n| n >= MIN_INNER_CHARS) else {
            continue;
        };
        if best.as_ref().is_none_or(|(n, _)| shortest >= *n) {
            best = Some((shortest, literals));
        }
    }
    best.map(|(_, literals)| literals).unwrap_or_default()
}

/// `pattern` cut down to ASCII haystacks ([`for_ascii_haystack`]), [`encode`]d. Rebuilding
/// it ([`decode`]) costs a fraction of parsing the composed, case-folded Unicode rule (and
/// of parsing it printed back as a pattern, which spells every letter as a class), which
/// is why the build stores it for the embedded rules.
pub fn ascii_form(pattern: &str) -> Result<String, String> {
    Ok(encode(&for_ascii_haystack(parse_folded(pattern)?)))
}

/// `hir` in a compact text form that [`decode`] reads back without a regex parser: a
/// prefix notation of the HIR's nodes. Capture groups are left out (only a match's overall
/// span is ever read).
pub fn encode(hir: &Hir) -> String {
    let mut out = String::new();
    encode_into(hir, &mut out);
    out
}

fn encode_into(hir: &Hir, out: &mut String) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    match hir.kind() {
        HirKind::Empty => out.push('e'),
        HirKind::Literal(Literal(bytes)) => {
            let _ = write!(out, "l{}:", bytes.len());
            out.extend(bytes.iter().map(|&b| char::from(b)));
        }
        HirKind::Class(Class::Unicode(class)) => {
            let _ = write!(out, "u{}:", class.ranges().len());
            for r in class.ranges() {
                out.push(r.start());
                out.push(r.end());
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let _ = write!(out, "b{}:", class.ranges().len());
            for r in class.ranges() {
                out.push(char::from(r.start()));
                out.push(char::from(r.end()));
            }
        }
        HirKind::Look(look) => {
            let _ = write!(out, "k{};", look.as_repr());
        }
        HirKind::Repetition(rep) => {
            let _ = write!(out, "r{},", rep.min);
            if let Some(max) = rep.max {
                let _ = write!(out, "{max}");
            }
            out.push(if rep.greedy { 'g' } else { 'n' });
            encode_into(&rep.sub, out);
        }
        HirKind::Capture(cap) => encode_into(&cap.sub, out),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            let tag = if matches!(hir.kind(), HirKind::Concat(_)) {
                'c'
            } else {
                'a'
            };
            let _ = write!(out, "{tag}{}:", subs.len());
            for sub in subs {
                encode_into(sub, out);
            }
        }
    }
}

/// The HIR [`encode`] wrote; an error for a text it did not write.
pub fn decode(text: &str) -> Result<Hir, String> {
    let mut chars = text.chars();
    let hir = decode_from(&mut chars)?;
    match chars.next() {
        None => Ok(hir),
        Some(_) => Err("trailing text after an encoded rule".to_string()),
    }
}

fn decode_from(chars: &mut std::str::Chars<'_>) -> Result<Hir, String> {
    let bad = || "not an encoded rule".to_string();
    let number = |chars: &mut std::str::Chars<'_>, end: char| -> Result<Option<u32>, String> {
        let mut n: Option<u32> = None;
        loop {
            match chars.next().ok_or_else(bad)? {
                c if c == end => return Ok(n),
                c => {
                    let digit = c.to_digit(10).ok_or_else(bad)?;
                    let next = n
                        .unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(digit));
                    n = Some(next.ok_or_else(bad)?);
                }
            }
        }
    };
    let count = |chars: &mut std::str::Chars<'_>| -> Result<usize, String> {
        let n = number(chars, ':')?.ok_or_else(bad)?;
        usize::try_from(n).map_err(|_| bad())
    };
    let byte = |c: char| u8::try_from(u32::from(c)).map_err(|_| bad());
    Ok(match chars.next().ok_or_else(bad)? {
        'e' => Hir::empty(),
        'l' => {
            let n = count(chars)?;
            let bytes = (0..n)
                .map(|_| chars.next().ok_or_else(bad).and_then(byte))
                .collect::<Result<Vec<u8>, String>>()?;
            Hir::literal(bytes)
        }
        'u' => {
            let n = count(chars)?;
            let mut ranges = Vec::with_capacity(n);
            for _ in 0..n {
                let (a, b) = (chars.next().ok_or_else(bad)?, chars.next().ok_or_else(bad)?);
                ranges.push(ClassUnicodeRange::new(a, b));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        'b' => {
            let n = count(chars)?;
            let mut ranges = Vec::with_capacity(n);
            for _ in 0..n {
                let a = byte(chars.next().ok_or_else(bad)?)?;
                let b = byte(chars.next().ok_or_else(bad)?)?;
                ranges.push(ClassBytesRange::new(a, b));
            }
            Hir::class(Class::Bytes(ClassBytes::new(ranges)))
        }
        'k' => {
            let repr = number(chars, ';')?.ok_or_else(bad)?;
            Hir::look(Look::from_repr(repr).ok_or_else(bad)?)
        }
        'r' => {
            let min = number(chars, ',')?.ok_or_else(bad)?;
            let mut max: Option<u32> = None;
            let greedy = loop {
                match chars.next().ok_or_else(bad)? {
                    'g' => break true,
                    'n' => break false,
                    c => {
                        let digit = c.to_digit(10).ok_or_else(bad)?;
                        let next = max
                            .unwrap_or(0)
                            .checked_mul(10)
                            .and_then(|v| v.checked_add(digit));
                        max = Some(next.ok_or_else(bad)?);
                    }
                }
            };
            Hir::repetition(Repetition {
                min,
                max,
                greedy,
                sub: Box::new(decode_from(chars)?),
            })
        }
        tag @ ('c' | 'a') => {
            let n = count(chars)?;
            let subs = (0..n)
                .map(|_| decode_from(chars))
                .collect::<Result<Vec<Hir>, String>>()?;
            if tag == 'c' {
                Hir::concat(subs)
            } else {
                Hir::alternation(subs)
            }
        }
        _ => return Err(bad()),
    })
}

/// `hir` (a Unicode, case-folded pattern) cut down to what it can match in ASCII text.
/// On an ASCII haystack a match consumes ASCII characters only, so every class may lose
/// its non-ASCII ranges and a non-ASCII literal may become a branch that never matches
/// (and is dropped); Unicode word boundaries agree with ASCII ones between ASCII
/// characters. The result matches exactly where the full pattern does, in ASCII text, and
/// its automaton is a fraction of the size: the word classes hold words of many languages
/// and the gaps between words are negated classes, which in Unicode span hundreds of
/// ranges. Folding happened before the cut, so `ſ` (which folds to `s`) still matches `s`.
pub fn for_ascii_haystack(hir: Hir) -> Hir {
    let never = |h: &Hir| h.properties().minimum_len().is_none();
    match hir.into_kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(Literal(bytes)) if bytes.is_ascii() => Hir::literal(bytes),
        HirKind::Literal(_) => Hir::fail(),
        HirKind::Class(Class::Unicode(mut class)) => {
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(mut class)) => {
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) => Hir::look(ascii_look(look)),
        HirKind::Repetition(rep) => {
            let sub = for_ascii_haystack(*rep.sub);
            match (never(&sub), rep.min) {
                (true, 0) => Hir::empty(),
                (true, _) => Hir::fail(),
                (false, _) => Hir::repetition(Repetition {
                    sub: Box::new(sub),
                    ..rep
                }),
            }
        }
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(for_ascii_haystack(*cap.sub)),
            ..cap
        }),
        HirKind::Concat(subs) => {
            let subs: Vec<Hir> = subs.into_iter().map(for_ascii_haystack).collect();
            if subs.iter().any(never) {
                Hir::fail()
            } else {
                Hir::concat(subs)
            }
        }
        HirKind::Alternation(subs) => {
            let subs: Vec<Hir> = subs
                .into_iter()
                .map(for_ascii_haystack)
                .filter(|h| !never(h))
                .collect();
            if subs.is_empty() {
                Hir::fail()
            } else {
                Hir::alternation(subs)
            }
        }
    }
}

fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// regex's syntax errors draw the pattern and a caret over several lines; keep the reason.
pub fn first_line_of_regex_error(message: &str) -> String {
    message
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or(message.lines().next().unwrap_or("invalid pattern"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is encoded is rebuilt as it was (capture groups aside), whatever the node kinds.
    #[test]
    fn encoded_rules_decode_to_the_same_hir() {
        for pattern in [
            r"user unknown",
            r"\bno such (?:user|mailbox)\b|ÉCHEC",
            r"(?-u:\xFF)|[^a-z]{2,5}?x*y+\B(?m:^$)\s",
            r"(?:a|b){3}c{2,}d?",
            "",
        ] {
            let hir = if pattern.is_empty() {
                Hir::empty()
            } else {
                regex_syntax::ParserBuilder::new()
                    .utf8(false)
                    .case_insensitive(true)
                    .build()
                    .parse(pattern)
                    .unwrap()
            };
            assert_eq!(decode(&encode(&hir)), Ok(hir), "{pattern:?}");
        }
        // A group is left out, its content kept.
        let group = parse_folded("(user)").unwrap();
        assert_eq!(
            decode(&encode(&group)),
            Ok(parse_folded("(?:user)").unwrap())
        );
    }

    #[test]
    fn text_that_is_not_an_encoded_rule_is_an_error() {
        for text in [
            "",
            "x",
            "l5:ab",
            "c2:e",
            "k3;",
            "r1,x",
            "l1:ab",
            "u1:a",
            "l99999999999:",
        ] {
            assert!(decode(text).is_err(), "{text:?}");
        }
    }
}
