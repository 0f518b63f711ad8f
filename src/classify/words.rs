//! Word classes in rule patterns: `{recipient} ... {missing}`.
//!
//! A rule names a class by `{name}` (lower-case letters, digits and `_`, starting with a
//! letter) and the class's alternatives (regex fragments, which may name other classes)
//! stand in its place as one group. ` ... ` (three dots with a space each side) joins two
//! words of a sentence: at most [`GAP_CHARS`] characters between them, not across the end
//! of a sentence; `...` without spaces (for languages written without spaces) is at most
//! [`CJK_GAP_CHARS`] characters. Everything else is the `regex` crate's syntax, untouched;
//! `{` is only a class when what follows is a name and `}` (`\w{3}` and `a{2,5}` stay
//! repetitions, `\{` a brace).
//!
//! Shared by the classifier, `playbooks check` and `build.rs` (which expands the embedded
//! rules to compute their anchors), so it depends on `std` alone.

use std::collections::BTreeMap;

/// Most characters between two words joined by ` ... `.
pub const GAP_CHARS: usize = 48;
/// Most characters between two words joined by `...` (no spaces).
pub const CJK_GAP_CHARS: usize = 12;
/// Deepest nesting of classes naming classes; deeper is surely a cycle.
const MAX_DEPTH: usize = 8;

/// Named word classes: name → alternatives.
pub type Classes = BTreeMap<String, Vec<String>>;

/// What ` ... ` becomes: a non-word character, then up to [`GAP_CHARS`] characters that do
/// not end a sentence (a dot inside an address or a host name is not an end), then a
/// non-word character; or just non-word characters (`user: unknown`).
///
/// "Non-word" is spelt out as spaces and punctuation (ASCII and the common typographic
/// ones) rather than `\W`: Unicode's `\W` is a class of hundreds of ranges, and a rule
/// holds several gaps, which made rules compile beyond the size limit.
fn spaced_gap() -> String {
    // Not `. ; ! ?`: those end a sentence (a dot inside an address is taken by the middle).
    let sep = r#"[\s"-\-/:<->@\[-`{-~«»‘’“”、，：（）]"#;
    format!(r"(?:{sep}*|{sep}(?:[^.;!?\n。]|\.[^\s.]){{1,{GAP_CHARS}}}?{sep})")
}

fn tight_gap() -> String {
    format!(r"(?:[^.;!?\n。．]){{0,{CJK_GAP_CHARS}}}?")
}

/// Whether `name` is a valid class name.
pub fn is_class_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `pattern` uses a class or a gap (so it needs expanding).
#[allow(dead_code)] // build.rs includes this file and does not call it
pub fn uses_words(pattern: &str) -> bool {
    pattern.contains("...") || next_class(pattern, 0).is_some()
}

/// The class names `pattern` refers to directly, in order.
#[allow(dead_code)] // build.rs includes this file and does not call it
pub fn referenced(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((start, end)) = next_class(pattern, at) {
        out.push(&pattern[start + 1..end - 1]);
        at = end;
    }
    out
}

/// The next `{name}` at or after byte `from` that is not escaped, as the byte range of the
/// whole reference (braces included).
fn next_class(pattern: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = pattern.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' => {
                let close = pattern[i + 1..].find('}').map(|c| i + 1 + c)?;
                if is_class_name(&pattern[i + 1..close]) {
                    return Some((i, close + 1));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// `pattern` with every class and gap replaced, looking classes up in `local` first, then
/// in `shared`. An error names an unknown class or a cycle.
pub fn expand(pattern: &str, local: &Classes, shared: &Classes) -> Result<String, String> {
    expand_at(pattern, local, shared, 0)
}

fn expand_at(
    pattern: &str,
    local: &Classes,
    shared: &Classes,
    depth: usize,
) -> Result<String, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "word classes nest more than {MAX_DEPTH} deep (a class that names itself?)"
        ));
    }
    let with_gaps = if pattern.contains("...") {
        pattern
            .replace(" ... ", &spaced_gap())
            .replace("...", &tight_gap())
    } else {
        pattern.to_string()
    };
    let mut out = String::with_capacity(with_gaps.len() * 4);
    let mut at = 0;
    while let Some((start, end)) = next_class(&with_gaps, at) {
        out.push_str(&with_gaps[at..start]);
        let name = &with_gaps[start + 1..end - 1];
        let alternatives = local
            .get(name)
            .or_else(|| shared.get(name))
            .ok_or_else(|| {
                let known: Vec<&str> = shared
                    .keys()
                    .chain(local.keys())
                    .map(String::as_str)
                    .collect();
                format!(
                    "unknown word class `{{{name}}}`; known: {}",
                    known.join(", ")
                )
            })?;
        if alternatives.is_empty() {
            return Err(format!("word class `{{{name}}}` is empty"));
        }
        out.push_str("(?:");
        for (i, alt) in alternatives.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            out.push_str(&expand_at(alt, local, shared, depth + 1)?);
        }
        out.push(')');
        at = end;
    }
    out.push_str(&with_gaps[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(pairs: &[(&str, &[&str])]) -> Classes {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn classes_become_groups_and_repetitions_stay() {
        let shared = classes(&[("who", &["user", "mailbox"]), ("gone", &["unknown"])]);
        let local = classes(&[("gone", &["not found", "{who}less"])]);
        assert_eq!(
            expand(r"\w{3}{who}a{2,5}\{who\}", &Classes::new(), &shared).unwrap(),
            r"\w{3}(?:user|mailbox)a{2,5}\{who\}"
        );
        // A playbook's own class wins over the shared one of the same name, and classes
        // may name classes.
        assert_eq!(
            expand("{gone}", &local, &shared).unwrap(),
            "(?:not found|(?:user|mailbox)less)"
        );
        assert!(
            expand("{nope}", &local, &shared)
                .unwrap_err()
                .contains("unknown word class `{nope}`")
        );
        let cyclic = classes(&[("a", &["{b}"]), ("b", &["{a}"])]);
        assert!(
            expand("{a}", &cyclic, &shared)
                .unwrap_err()
                .contains("nest")
        );
        assert_eq!(referenced("x {who} y {gone} \\{no}"), vec!["who", "gone"]);
        assert!(uses_words("a ... b") && !uses_words(r"\d{3}"));
    }

    #[test]
    fn gaps_join_words_of_one_sentence() {
        let shared = classes(&[("who", &["user"]), ("gone", &["unknown"])]);
        let re = regex::RegexBuilder::new(
            &expand("{who} ... {gone}", &Classes::new(), &shared).unwrap(),
        )
        .case_insensitive(true)
        .build()
        .unwrap();
        for yes in [
            "user unknown",
            "User <a@b.example> unknown",
            "user: unknown",
            "user is sadly unknown",
            // Run together, as in Exchange's `RecipientNotFound`.
            "userunknown",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in [
            "user. Other sentence unknown",
            "user; unknown",
            "user and then a great many more words than fit in one gap before we get to unknown",
        ] {
            assert!(!re.is_match(no), "{no}");
        }
    }
}
