//! Link targets a copy wrote after an address: Outlook and other clients render a linked
//! address in plain text as `ann@far.example<mailto:ann@far.example>` (and `[mailto:...]`).
//! The target repeats the address, and joined to it would be read as one address; it is
//! dropped. Lines are kept as they are, so line numbers still name the paste's lines.

/// `text` without each `<mailto:x>` or `[mailto:x]` that follows the address `x` itself
/// (perhaps after a space); `None` when there is none.
pub fn unlinked(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let first = memchr::memmem::find_iter(bytes, b"mailto:")
        .chain(memchr::memmem::find_iter(bytes, b"MAILTO:"))
        .min()?;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut any = false;
    let mut from = first.saturating_sub(1);
    while let Some(rel) = text[from..].find(['<', '[']) {
        let open = from + rel;
        from = open + 1;
        let close = if bytes[open] == b'<' { '>' } else { ']' };
        let Some(head) = text.get(open + 1..open + 8) else {
            break;
        };
        if !head.eq_ignore_ascii_case("mailto:") {
            continue;
        }
        let Some(len) = text[open + 8..].find(|c: char| c == close || c.is_whitespace()) else {
            break;
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
        from = copied;
        any = true;
    }
    if !any {
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
