//! Link targets a copy wrote after an address: Outlook and other clients render a linked
//! address in plain text as `ann@far.example<mailto:ann@far.example>` (and `[mailto:...]`).
//! The target repeats the address, and joined to it would be read as one address; it is
//! dropped. Lines are kept as they are, so line numbers still name the paste's lines.

/// `text` without each `<mailto:x>` or `[mailto:x]` (`Mailto:` too) that follows the address `x` itself
/// (perhaps after a space); `None` when there is none.
pub fn unlinked(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // Each `mailto:` (or `Mailto:`) right after a `<` or `[`, in order: one pass over the
    // text, which most often holds none.
    let opens: Vec<usize> = memchr::memmem::find_iter(bytes, b"ailto:")
        .filter(|&m| m >= 2 && matches!(bytes[m - 1], b'm' | b'M'))
        .filter(|&m| matches!(bytes[m - 2], b'<' | b'['))
        .map(|m| m - 2)
        .collect();
    if opens.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for open in opens {
        if open < copied {
            continue;
        }
        let close = if bytes[open] == b'<' { '>' } else { ']' };
        let Some(len) = text[open + 8..].find(|c: char| c == close || c.is_whitespace()) else {
            continue;
        };
        let target = &text[open + 8..open + 8 + len];
        if !text[open + 8 + len..].starts_with(close) || !target.contains('@') {
            continue;
        }
        let before = text[..open].strip_suffix(' ').unwrap_or(&text[..open]);
        if before.len() < copied
            || !before
                .get(before.len().saturating_sub(target.len())..)
                .is_some_and(|b| b.eq_ignore_ascii_case(target))
        {
            continue;
        }
        out.push_str(&text[copied..before.len()]);
        copied = open + 8 + len + 1;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::unlinked;

    #[test]
    fn a_link_target_after_its_address_is_dropped() {
        assert_eq!(
            unlinked("  bob@far.example<mailto:bob@far.example>\nReturn-path: <ann@near.example<mailto:ann@near.example>>\nTo: bob@far.example [mailto:bob@far.example]\n").as_deref(),
            Some("  bob@far.example\nReturn-path: <ann@near.example>\nTo: bob@far.example\n")
        );
    }

    #[test]
    fn a_link_to_another_address_or_none_is_kept() {
        assert_eq!(unlinked("Write to us<mailto:help@near.example>\n"), None);
        assert_eq!(unlinked("<mailto:bob@far.example>\n"), None);
        assert_eq!(unlinked("no links at all\n"), None);
        assert_eq!(unlinked("x@y<mailto:x@y"), None);
    }
}
