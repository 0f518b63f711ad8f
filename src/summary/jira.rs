//! Jira wiki markup for untrusted text: escape what Jira's renderer reads as markup, and keep
//! a verbatim block from being closed from inside.

/// Characters that start Jira inline markup anywhere in a line (strong, emphasis, citation,
/// superscript, subscript, monospace and macros, links, tables, images, escapes).
const ALWAYS: &[char] = &['\\', '*', '_', '^', '~', '{', '}', '[', ']', '|', '!', '+'];

/// Escape one line of text for a Jira paragraph, list item or heading.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let word_start = prev.is_none_or(char::is_whitespace);
        let escape = ALWAYS.contains(&c)
            // `-deleted-` and `??citation??` only open after a space or at the start.
            || (c == '-' && word_start)
            || (c == '?' && chars.peek() == Some(&'?'))
            // `#` and `h1.` matter at the start of a line only, which list items never are,
            // but a heading or paragraph may be.
            || (c == '#' && prev.is_none());
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A `{noformat}` body: the only thing that ends the block is the literal `{noformat}`, so
/// any inside is broken with a zero-width space (visible to a reader as the same text).
pub fn noformat_body(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    if !lower.contains("{noformat") {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len() + 16);
    let mut i = 0;
    while let Some(off) = lower[i..].find("{noformat") {
        let at = i + off;
        out.push_str(&body[i..=at]);
        out.push('\u{200b}');
        i = at + 1;
    }
    out.push_str(&body[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_keeps_addresses_readable() {
        assert_eq!(
            escape("*bold* _it_ [link|x] {code}"),
            "\\*bold\\* \\_it\\_ \\[link\\|x\\] \\{code\\}"
        );
        assert_eq!(
            escape("jo-smith@x.example -gone-"),
            "jo-smith@x.example \\-gone-"
        );
        assert_eq!(escape("what?? yes?"), "what\\?? yes?");
    }

    #[test]
    fn a_noformat_inside_cannot_close_the_block() {
        let body = noformat_body("a {noformat} b {NOFORMAT}");
        assert!(!body.contains("{noformat}"));
        assert!(!body.to_ascii_lowercase().contains("{noformat}"));
    }
}
