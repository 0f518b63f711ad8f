//! `str::lines`, found with memchr. `lines` looks for each `\n` with a general char search,
//! several times the cost on a bounce's short lines; memchr finds them with SIMD. The
//! report (`report::Report`) and the delivery-status parser both split this way.

/// `text`'s lines exactly as `str::lines` gives them: split at `\n`, one `\r` before it
/// dropped, no empty last line after a final `\n`.
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let t = rest?;
        let Some(at) = memchr::memchr(b'\n', t.as_bytes()) else {
            rest = None;
            return Some(t);
        };
        // `\n` is ASCII: `at` and `at + 1` are char boundaries.
        let line = t.get(..at)?;
        rest = t.get(at + 1..).filter(|r| !r.is_empty());
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// Whether `line` is blank, exactly as `line.trim().is_empty()`: a line whose first byte is
/// visible ASCII is not (most lines), and only the others pay for the Unicode trim. The
/// header-block scans ask this of every line until the first blank one.
pub(super) fn is_blank(line: &str) -> bool {
    match line.as_bytes().first() {
        None => true,
        // Rust's (Unicode's) whitespace in ASCII is `\t`..=`\r` and the space.
        Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => false,
        Some(_) => line.trim().is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::test_rng::Rng;

    #[test]
    fn edge_cases_as_str_lines() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\r\n",
            "a\r",
            "a\r\r\nb\r",
            "\r\n\r\nx\n\ny",
            "é\nü\r\n",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    /// Every ASCII byte and a few Unicode spaces and letters, alone and in pairs.
    #[test]
    fn is_blank_as_trim_is_empty() {
        let mut chars: Vec<char> = (0u8..=0x7f).map(char::from).collect();
        chars.extend([
            '\u{85}', '\u{a0}', '\u{2003}', '\u{3000}', 'é', '\u{200b}', '日',
        ]);
        assert!(is_blank(""));
        for &a in &chars {
            for text in [
                a.to_string(),
                format!("{a} "),
                format!(" {a}"),
                format!("{a}\u{3000}"),
            ] {
                assert_eq!(is_blank(&text), text.trim().is_empty(), "{text:?}");
            }
            for &b in &chars {
                let text: String = [a, b].iter().collect();
                assert_eq!(is_blank(&text), text.trim().is_empty(), "{text:?}");
            }
        }
    }

    /// Texts made of line endings, bare `\r`s, blanks, words and non-ASCII characters in
    /// any order.
    #[test]
    fn generated_texts_as_str_lines() {
        let pieces = [
            "\n", "\r\n", "\r", "\r\r\n", "", " ", "ab", "é", "\n\n", "\u{85}",
        ];
        let mut g = Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let len = g.below(8);
            let text: String = (0..len).map(|_| g.pick(&pieces)).collect();
            let expected: Vec<&str> = text.lines().collect();
            assert_eq!(lines(&text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }
}
