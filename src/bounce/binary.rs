//! Telling a paste of text from binary data (an image, an archive, a NUL-filled file).

/// Why `input` is not text, or None when it reads as text. Looks at the first 8 KiB only:
/// a bounce is text from its first line, and binary data shows itself at once.
pub fn why_binary(input: &[u8]) -> Option<String> {
    let head = &input[..input.len().min(8 * 1024)];
    if head.contains(&0) {
        return Some("it contains NUL bytes".to_string());
    }
    // Two plain counting passes: the compiler vectorises them.
    let high = head.iter().filter(|&&b| b >= 0x80).count();
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    // Non-UTF-8 bytes are fine (ISO-8859-1, Shift_JIS pastes); only a text-free mix is not.
    // The window may end inside a multi-byte character: only an error before that counts.
    let invalid_utf8 =
        high > 0 && std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if control * 20 > head.len() || (invalid_utf8 && high * 10 > head.len() * 6) {
        return Some("most of it is not text".to_string());
    }
    None
}
