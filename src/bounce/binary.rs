//! Telling a paste of text from binary data (an image, an archive, a NUL-filled file).

/// Why `input` is not text, or None when it reads as text. Looks at the first 8 KiB only:
/// a bounce is text from its first line, and binary data shows itself at once.
pub fn why_binary(input: &[u8]) -> Option<String> {
    // A log file truncated under a writer (logrotate's `copytruncate`) or a disk-full copy
    // opens with a hole of NULs before its text: the text is judged, not the hole.
    let start = input.iter().position(|&b| b != 0).unwrap_or(input.len());
    if start == input.len() {
        return Some("it holds nothing but NUL bytes".to_string());
    }
    let head = &input[start..input.len().min(start + 8 * 1024)];
    // A stray NUL is no proof of binary data (a broken copy leaves some, and `normalise`
    // drops them); a NUL-filled or UTF-16 input is mostly control bytes and is caught below.
    let (high, below_space) = count_high_and_below_space(head);
    // Every control byte is below 0x20 and not a newline, so `below_space` bounds the control
    // count from above. Text has few such bytes besides `\r` and `\t`: the exact count (five
    // exclusions per byte, most of this check's cost) runs only when the bound is not enough.
    let mostly_control = below_space * 20 > head.len()
        && count_control(head) * 20 > head.len()
        && !nul_holes_in_text(head);
    // Non-UTF-8 bytes are fine (ISO-8859-1, Shift_JIS pastes); only a text-free mix is not.
    // The window may end inside a multi-byte character: only an error before that counts.
    let invalid_utf8 =
        high > 0 && std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if mostly_control || (invalid_utf8 && high * 10 > head.len() * 6) {
        return Some("most of it is not text".to_string());
    }
    None
}

/// Whether `head`'s control bytes are NUL holes in text: NULs in long runs (not UTF-16's
/// every other byte), and the bytes besides them text with few control bytes.
fn nul_holes_in_text(head: &[u8]) -> bool {
    let nuls = memchr::memchr_iter(0, head).count();
    let runs = head.windows(2).filter(|w| w[0] != 0 && w[1] == 0).count()
        + usize::from(head.first() == Some(&0));
    let rest = head.len() - nuls;
    nuls > 0 && runs * 16 <= nuls && rest >= 64 && (count_control(head) - nuls) * 20 <= rest
}

/// Bytes >= 0x80, and bytes below 0x20 other than `\n`.
fn count_high_and_below_space(head: &[u8]) -> (usize, usize) {
    // Byte-wide counters over fixed blocks of 128 (they cannot overflow, and a fixed length
    // a multiple of the vector width vectorises with no scalar tail); the rest byte by byte.
    fn count(block: &[u8]) -> (usize, usize) {
        let (mut h, mut c) = (0u8, 0u8);
        for &b in block {
            h += u8::from(b >= 0x80);
            c += u8::from((b < 0x20) & (b != b'\n'));
        }
        (usize::from(h), usize::from(c))
    }
    let mut blocks = head.chunks_exact(128);
    let (mut high, mut below_space) = (0usize, 0usize);
    for block in &mut blocks {
        let (h, c) = count(block);
        high += h;
        below_space += c;
    }
    let (h, c) = count(blocks.remainder());
    (high + h, below_space + c)
}

/// Control bytes: below 0x20 except `\n` `\r` `\t` `\x0c` `\x1b`.
fn count_control(head: &[u8]) -> usize {
    let mut control = 0usize;
    // Byte-wide counters over chunks of 255 (they cannot overflow): vectorises well.
    for chunk in head.chunks(255) {
        let mut c = 0u8;
        for &b in chunk {
            c += u8::from(
                (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) & (b != 0x1b),
            );
        }
        control += usize::from(c);
    }
    control
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check written plainly, one byte at a time, without the cheap bound: the
    /// reference the fast one must match.
    fn why_binary_reference(input: &[u8]) -> Option<String> {
        let mut start = 0;
        while start < input.len() && input[start] == 0 {
            start += 1;
        }
        if start == input.len() {
            return Some("it holds nothing but NUL bytes".to_string());
        }
        let head = &input[start..input.len().min(start + 8 * 1024)];
        let (mut high, mut control, mut nuls, mut runs) = (0usize, 0usize, 0usize, 0usize);
        for (i, &b) in head.iter().enumerate() {
            high += usize::from(b >= 0x80);
            control += usize::from(
                (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) & (b != 0x1b),
            );
            if b == 0 {
                nuls += 1;
                if i == 0 || head[i - 1] != 0 {
                    runs += 1;
                }
            }
        }
        let rest = head.len() - nuls;
        let holes = nuls > 0 && runs * 16 <= nuls && rest >= 64 && (control - nuls) * 20 <= rest;
        let invalid_utf8 =
            high > 0 && std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
        if (control * 20 > head.len() && !holes) || (invalid_utf8 && high * 10 > head.len() * 6) {
            return Some("most of it is not text".to_string());
        }
        None
    }

    use crate::bounce::test_rng::Rng;

    /// One generated input of `len` bytes: printable text with a share of other bytes drawn
    /// from `kinds`, at a density of `per_mille` per thousand.
    fn generate(rng: &mut Rng, len: usize, per_mille: usize, kinds: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 4);
        while out.len() < len {
            if rng.below(1000) < per_mille {
                let kind = kinds[rng.below(kinds.len())];
                out.extend_from_slice(kind);
                if kind.is_empty() {
                    out.push(rng.next_u64().to_le_bytes()[0]);
                }
            } else if rng.below(70) == 0 {
                out.push(b'\n');
            } else {
                out.push(b' ' + rng.below(95) as u8);
            }
        }
        out.truncate(len);
        out
    }

    #[test]
    fn matches_the_reference_on_generated_inputs() {
        let controls: &[u8] = &[1, 2, 7, 8, 0x0b, 0x0e, 0x1a, 0x1c, 0x1f];
        let whitespace: &[u8] = b"\n\r\t\x0c\x1b";
        let latin1: &[u8] = &[0xe9, 0xa0, 0xfc, 0x80, 0xff];
        let kinds: &[&[&[u8]]] = &[
            // Empty: a byte from anywhere.
            &[b""],
            &[b"\r\n"],
            &[b"\r\n", b"\t", b"\x0c", b"\x1b"],
            &[&controls[..1], &controls[3..4], &controls[8..]],
            &[&controls[..2], &whitespace[..2], &whitespace[2..]],
            &[&latin1[..1], &latin1[1..2], &latin1[4..]],
            &[
                "é".as_bytes(),
                "日本".as_bytes(),
                "€".as_bytes(),
                "🙂".as_bytes(),
            ],
            &["é".as_bytes(), &latin1[..1], b"\x01"],
            &[b"\x00"],
            &[b"\x00", "é".as_bytes(), b"\x01"],
        ];
        let lengths = [
            0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 127, 128, 129, 255, 256, 257, 1000, 8191,
            8192, 8193, 20000,
        ];
        let densities = [0, 1, 10, 49, 50, 51, 100, 300, 600, 900, 1000];
        let mut rng = Rng::new(0x2545_F491_4F6C_DD1D);
        let (mut text, mut binary) = (0, 0);
        for &len in &lengths {
            for &per_mille in &densities {
                for kind in kinds {
                    for _ in 0..3 {
                        let input = generate(&mut rng, len, per_mille, kind);
                        let want = why_binary_reference(&input);
                        assert_eq!(why_binary(&input), want, "len {len} density {per_mille}");
                        if want.is_some() {
                            binary += 1;
                        } else {
                            text += 1;
                        }
                    }
                }
            }
        }
        // Both answers, and both messages, are reached often.
        assert!(text > 1000 && binary > 1000, "{text} {binary}");
    }

    /// Inputs right at the limits: control bytes at exactly one in twenty and one more, high
    /// bytes at exactly six in ten around an invalid sequence, a NUL just past the window.
    #[test]
    fn matches_the_reference_at_the_thresholds() {
        for len in [20, 40, 100, 128, 255, 256, 1000, 8192, 9000] {
            let window = len.min(8192);
            for control in [window / 20, window / 20 + 1] {
                for filler in [b'a', b'\n', b'\r'] {
                    let mut input = vec![filler; len];
                    for i in 0..control {
                        input[i * 19 % window] = 0x01;
                    }
                    assert_eq!(why_binary(&input), why_binary_reference(&input), "{len}");
                }
            }
            for high in [window * 6 / 10, window * 6 / 10 + 1] {
                let mut input = vec![b'a'; len];
                for byte in input.iter_mut().take(high.min(len)) {
                    *byte = 0xe9;
                }
                assert_eq!(why_binary(&input), why_binary_reference(&input), "{len}");
            }
            let mut input = vec![b'a'; len];
            if let Some(last) = input.last_mut() {
                *last = 0;
            }
            assert_eq!(why_binary(&input), why_binary_reference(&input), "{len}");
        }
    }

    /// A log whose file opens with a hole of NULs (truncated under its writer) and one with
    /// a hole inside is text; a NUL-only or UTF-16 input is not.
    #[test]
    fn nul_holes_in_a_log_are_no_binary() {
        let line = b"2026-12-04 05:30:19 1vQx-000A-00 ** a@b.example: Unrouteable address\n";
        let mut log = vec![0u8; 48];
        for _ in 0..9 {
            log.extend_from_slice(line);
        }
        assert_eq!(why_binary(&log), None);
        let mut holed = line.repeat(3);
        holed.extend(std::iter::repeat_n(0u8, 4096));
        holed.extend(line.repeat(3));
        assert_eq!(why_binary(&holed), None);
        assert!(why_binary(&[0u8; 300]).is_some());
        let utf16: Vec<u8> = "Delivery failed for a@b.example\n"
            .repeat(20)
            .bytes()
            .flat_map(|b| [b, 0])
            .collect();
        assert!(why_binary(&utf16).is_some());
        // Generated inputs with NUL runs agree with the reference too.
        let mut rng = Rng::new(7);
        for len in [70, 200, 1000, 9000] {
            for hole in [1, 15, 16, 64, 500] {
                let mut input = generate(&mut rng, len, 10, &[b"\x01"]);
                let at = rng.below(len.max(1));
                input.splice(at..at, std::iter::repeat_n(0u8, hole));
                assert_eq!(
                    why_binary(&input),
                    why_binary_reference(&input),
                    "{len} {hole}"
                );
            }
        }
    }
}
