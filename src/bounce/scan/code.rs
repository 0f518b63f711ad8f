//! SMTP reply codes (RFC 5321 4.2): where a response's code stands in a text, and the
//! first failure code.

/// Where the first SMTP reply code (2xx-5xx) of a response starts in `text`, and its value.
///
/// A code is three digits standing alone: at the start or after a space, `:`, `(`, `'`, `"`,
/// `>`, `[`, `=` or a typographic opening quote, and followed by a space, `-`, end of text or punctuation that ends a word.
/// `192.0.2.1`, `2013`, `#5.1.1` do not qualify; Exchange 2010's `#554 5.2.0` does.
pub fn find_reply_code(text: &str) -> Option<(usize, u16)> {
    let b = text.as_bytes();
    let mut i = next_code_digit(b, 0);
    while i + 3 <= b.len() {
        if matches!(b[i], b'2'..=b'5')
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && (i == 0
                || matches!(
                    b[i - 1],
                    b' ' | b'\t' | b':' | b'(' | b'\'' | b'"' | b'>' | b'[' | b'='
                )
                || (b[i - 1] == b'#' && hashed_reply(b, i))
                || after_typographic_quote(b, i)
                || after_full_width_opening(b, i))
            && (i + 3 == b.len()
                || matches!(
                    b[i + 3],
                    b' ' | b'-' | b'\t' | b',' | b')' | b';' | b'\'' | b'"' | b']' | b':'
                )
                || full_width_closing_at(b, i + 3))
        {
            let code = u16::from(b[i] - b'0') * 100
                + u16::from(b[i + 1] - b'0') * 10
                + u16::from(b[i + 2] - b'0');
            // `553-5.7.1 ...` opens a multi-line reply; `250-300` is a range, not a reply.
            if b.get(i + 3) == Some(&b'-')
                && b.get(i + 4).is_some_and(u8::is_ascii_digit)
                && b.get(i + 5) != Some(&b'.')
            {
                i += 3;
                continue;
            }
            if (200..=599).contains(&code) && code % 100 < 60 && !follows_a_count_label(b, i) {
                return Some((i, code));
            }
        }
        i = next_code_digit(b, i + 1);
    }
    None
}

/// Whether a typographic opening quote ends just before `i` (`„553 5.1.8 ...”`, as
/// Exchange's NDR quotes the remote's reply in Polish, German and Czech; `“`, `‘`, `«`).
fn after_typographic_quote(b: &[u8], i: usize) -> bool {
    let three =
        i >= 3 && b[i - 3] == 0xE2 && b[i - 2] == 0x80 && matches!(b[i - 1], 0x9E | 0x9C | 0x98);
    let guillemet = i >= 2 && b[i - 2] == 0xC2 && b[i - 1] == 0xAB;
    three || guillemet
}

/// Whether a full-width colon or opening bracket, or an ideographic space, ends just before
/// `i`: Chinese and Japanese clients write `服务器返回：553 ...`, `（553）`.
fn after_full_width_opening(b: &[u8], i: usize) -> bool {
    i >= 3
        && matches!(
            (b[i - 3], b[i - 2], b[i - 1]),
            (0xEF, 0xBC, 0x9A | 0x88) | (0xE3, 0x80, 0x80 | 0x8C | 0x8E | 0x90)
        )
}

/// Whether a full-width closing bracket, comma, colon or semicolon, or an ideographic
/// comma or full stop, starts at `i` (`（553）`, `553，`).
fn full_width_closing_at(b: &[u8], i: usize) -> bool {
    matches!(
        b.get(i..i + 3),
        Some(
            [0xEF, 0xBC, 0x89 | 0x8C | 0x9A | 0x9B]
                | [0xE3, 0x80, 0x81 | 0x82 | 0x8D | 0x8F | 0x91]
        )
    )
}

/// Exchange 2010 writes its NDR's reply as `#554 5.2.0 STOREDRV...##`: a `#` before the
/// code, and an enhanced status after it. (qmail's `(#5.1.1)` is a status, not a code.)
fn hashed_reply(b: &[u8], at: usize) -> bool {
    b.get(at + 3) == Some(&b' ')
        && b.get(at + 4)
            .is_some_and(|c| matches!(c, b'2' | b'4' | b'5'))
        && b.get(at + 5) == Some(&b'.')
}

/// Whether the number at `at` is the value of a measure (`Size (in bytes): 512`,
/// `port 587`, `Number of lines: 450`) rather than a reply code.
fn follows_a_count_label(b: &[u8], at: usize) -> bool {
    let before = &b[at.saturating_sub(32)..at];
    let trimmed_len = before.len()
        - before
            .iter()
            .rev()
            .take_while(|c| matches!(c, b' ' | b'\t' | b':' | b'=' | b'(' | b')'))
            .count();
    let before = &before[..trimmed_len];
    let word_len = before
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let word = before[before.len() - word_len..].to_ascii_lowercase();
    // `line 453`: a source line in a traceback or a PHP warning (`on line 418`).
    [
        "bytes", "byte", "size", "line", "lines", "port", "length", "count",
    ]
    .iter()
    .any(|w| word == w.as_bytes())
}

/// The first failure reply code (4xx/5xx) that begins a response in `text`, and where.
pub fn find_failure_code(text: &str) -> Option<(usize, u16)> {
    let mut offset = 0;
    let mut first = None;
    while let Some((at, code)) = text.get(offset..).and_then(find_reply_code) {
        let at = offset + at;
        if code >= 400 {
            first = Some((at, code));
            break;
        }
        offset = at + 3;
    }
    first
}

/// The first index from `from` on whose byte is `2` to `5` (what every reply code and
/// status starts with), or `b.len()`.
pub(super) fn next_code_digit(b: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // The high bit of each byte that is zero, exact up to the first one (a borrow can only
    // mark bytes after it), so the lowest bit set is the first zero byte.
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut i = from;
    // Most bytes of a reply are letters: eight at a time as one word. With the low bit
    // cleared, `2`-`5` are exactly the bytes equal to `2` or `4`.
    while let Some(chunk) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let even = u64::from_le_bytes(*chunk) & !ONES;
        let hits = zero_bytes(even ^ (ONES * u64::from(b'2')))
            | zero_bytes(even ^ (ONES * u64::from(b'4')));
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let tail = b.get(i..).unwrap_or_default();
    i + tail
        .iter()
        .position(|c| matches!(c, b'2'..=b'5'))
        .unwrap_or(tail.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_code_is_a_standalone_number() {
        assert_eq!(find_reply_code("said: 553 sorry"), Some((6, 553)));
        assert_eq!(find_reply_code("192.0.2.1 2013"), None);
        assert_eq!(
            find_reply_code("#554 5.2.0 STOREDRV.Submission.Exception ##"),
            Some((1, 554))
        );
        assert_eq!(find_reply_code("(#5.1.1) ticket #550 done"), None);
        // A traceback's or a PHP warning's source line.
        assert_eq!(
            find_reply_code("File \"/app/celery/trace.py\", line 453, in trace_task"),
            None
        );
        assert_eq!(find_reply_code("in send.php on line 418"), None);
    }

    /// Deterministic numbers for generated inputs (see `bounce::test_rng`).
    fn numbers(seed: u64) -> impl FnMut() -> usize {
        let mut rng = crate::bounce::test_rng::Rng::new(seed);
        move || rng.below(usize::MAX)
    }

    /// The word-at-a-time scan stops where a byte-by-byte one does, on every offset.
    #[test]
    fn next_code_digit_agrees_with_bytewise() {
        let alphabet = b"0123456789 .-aZ\x00\x01\x80\xff\x31\x36\xb2\xb4";
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let len = next() % 40;
            // Mostly letters, so the scan crosses whole words before a hit.
            let b: Vec<u8> = (0..len)
                .map(|_| {
                    if next().is_multiple_of(8) {
                        alphabet[next() % alphabet.len()]
                    } else {
                        b'a' + (next() % 26) as u8
                    }
                })
                .collect();
            for from in 0..=len + 1 {
                let bytewise = (from..b.len())
                    .find(|&i| matches!(b[i], b'2'..=b'5'))
                    .unwrap_or(b.len().max(from));
                assert_eq!(next_code_digit(&b, from), bytewise, "{b:?} from {from}");
            }
        }
    }

    /// Exchange's Polish NDR quotes the remote's reply in typographic quotes.
    #[test]
    fn a_reply_after_a_typographic_quote() {
        assert_eq!(
            find_failure_code("zwrócił komunikat „553 5.1.8 <a@b.example>”"),
            Some((23, 553))
        );
        assert_eq!(find_failure_code("«550 x"), Some((2, 550)));
        assert_eq!(find_failure_code("x„5531"), None);
    }

    /// Chinese and Japanese clients put a full-width colon or bracket before the code.
    #[test]
    fn a_reply_after_full_width_punctuation() {
        assert_eq!(
            find_failure_code("服务器返回：553 Message refused"),
            Some((18, 553))
        );
        assert_eq!(find_failure_code("エラー（550）"), Some((12, 550)));
        assert_eq!(find_failure_code("번호：5531"), None);
        assert_eq!(find_failure_code("电话：5530000"), None);
    }
}
