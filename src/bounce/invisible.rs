//! Characters a copy carries that nobody sees: zero-width spaces from chat and web pages,
//! the direction marks right-to-left text is written with, a byte-order mark in the middle
//! of a paste, soft hyphens from a PDF, and no-break spaces in place of spaces. The readers
//! match labels, addresses and dates by their visible characters, so the text they read
//! has the invisible ones dropped and the no-break spaces made plain spaces. Line breaks
//! are untouched, so every line keeps its number.

/// `text` without its invisible characters and with plain spaces for no-break ones, or
/// `None` when it holds none (most pastes: one byte scan, no copy).
pub fn stripped(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let any = memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes).any(|at| starts_one(&bytes[at..]));
    if !any {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match kind(c) {
            Kind::Drop => {}
            Kind::Space => out.push(' '),
            Kind::Keep => out.push(c),
        }
    }
    Some(out)
}

enum Kind {
    Drop,
    Space,
    Keep,
}

fn kind(c: char) -> Kind {
    match c {
        // Zero-width space, non-joiner, joiner; left-to-right and right-to-left marks;
        // embeddings and overrides; word joiner and invisible operators; isolates; BOM;
        // soft hyphen.
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}' => Kind::Drop,
        // No-break, narrow no-break and figure spaces.
        '\u{00A0}' | '\u{202F}' | '\u{2007}' => Kind::Space,
        _ => Kind::Keep,
    }
}

/// Whether the UTF-8 sequence opening `b` is one of the characters [`kind`] changes.
fn starts_one(b: &[u8]) -> bool {
    matches!(
        b,
        [0xC2, 0xA0 | 0xAD, ..]
            | [0xE2, 0x80, 0x87 | 0x8B..=0x8F | 0xAA..=0xAF, ..]
            | [0xE2, 0x81, 0xA0..=0xA4 | 0xA6..=0xA9, ..]
            | [0xEF, 0xBB, 0xBF, ..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_go_and_no_break_spaces_become_spaces() {
        assert_eq!(stripped("plain text, “quoted” — é 日本"), None);
        assert_eq!(
            stripped("\u{200f}إلى:\u{200f} a@b.example\u{200b}\n\u{feff}x\u{a0}y").as_deref(),
            Some("إلى: a@b.example\nx y")
        );
        assert_eq!(
            stripped("a\u{202f}b\u{2066}c\u{2069}").as_deref(),
            Some("a bc")
        );
    }

    /// The byte test finds exactly the characters the char test changes.
    #[test]
    fn the_byte_test_agrees_with_the_char_test() {
        for cp in 0x80u32..0x1_0000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            let changed = !matches!(kind(c), Kind::Keep);
            assert_eq!(starts_one(s.as_bytes()), changed, "U+{cp:04X}");
        }
    }
}
