//! Telling a paste of text from binary data (an image, an archive, a NUL-filled file).

/// Why `input` is not text, or None when it reads as text. Looks at the first 8 KiB only:
/// a bounce is text from its first line, and binary data shows itself at once.
pub fn why_binary(input: &[u8]) -> Option<String> {
    let head = &input[..input.len().min(8 * 1024)];
    if head.contains(&0) {
        return Some("it contains NUL bytes".to_string());
    }
    let (mut high, mut control) = (0usize, 0usize);
    // Byte-wide counters over chunks of 255 (they cannot overflow): vectorises well.
    for chunk in head.chunks(255) {
        let (mut h, mut c) = (0u8, 0u8);
        for &b in chunk {
            h += u8::from(b >= 0x80);
            c += u8::from(
                (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) & (b != 0x1b),
            );
        }
        high += usize::from(h);
        control += usize::from(c);
    }
    // Non-UTF-8 bytes are fine (ISO-8859-1, Shift_JIS pastes); only a text-free mix is not.
    // The window may end inside a multi-byte character: only an error before that counts.
    let invalid_utf8 =
        high > 0 && std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if control * 20 > head.len() || (invalid_utf8 && high * 10 > head.len() * 6) {
        return Some("most of it is not text".to_string());
    }
    None
}
