//! Markdown for untrusted text: escape what a renderer would read as markup, and fence a
//! verbatim block so that nothing inside can close it.

/// Characters CommonMark / GFM give an inline meaning (emphasis, code, links, autolinks,
/// HTML, entities, tables, strikethrough). Any ASCII punctuation may be backslash-escaped, so
/// escaping these is always safe.
const INLINE_SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '!'];

/// Escape a single line of text for use inside a Markdown paragraph or list item.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if INLINE_SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Also neutralise what would start a block at the beginning of a line: headings, lists,
/// quotes, setext underlines, thematic breaks and ordered-list numbers.
pub fn escape_line_start(line: &str) -> String {
    let first = line.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=' | '>' | '*' | '_')) {
        return format!("\\{line}");
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// A backtick fence longer than any backtick run in `body` (at least three), so the body
/// cannot close the block early.
pub fn fence_for(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_inline_markup() {
        assert_eq!(
            escape("<a@b.c> *x* [l](u) `c`"),
            "\\<a@b.c\\> \\*x\\* \\[l\\](u) \\`c\\`"
        );
    }

    #[test]
    fn escapes_block_starts() {
        assert_eq!(escape_line_start("# h"), "\\# h");
        assert_eq!(escape_line_start("12. x"), "12\\. x");
        assert_eq!(escape_line_start("plain"), "plain");
    }

    #[test]
    fn fence_is_longer_than_any_run_inside() {
        assert_eq!(fence_for("no ticks"), "```");
        assert_eq!(fence_for("a ```` b ``"), "`````");
    }
}
