//! Enhanced status codes (RFC 3463): the first `class.subject.detail` in a text.

use super::code::next_code_digit;

/// Find the first RFC 3463 enhanced status (`5.1.1`, `4.7.0`, `#5.7.1`) in `text`.
///
/// Parts of IP addresses and version numbers (`192.0.2.1`, `10.5.1.2`) are skipped: a status
/// must not be preceded by a digit, a letter or a dot, nor followed by `.digit`.
pub fn find_status(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut i = next_code_digit(b, 0);
    while i < b.len() {
        let c = b[i];
        if matches!(c, b'2' | b'4' | b'5')
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'))
            && let Some(end) = status_end(b, i)
        {
            return text.get(i..end);
        }
        i = next_code_digit(b, i + 1);
    }
    None
}

/// Whether the whole of `w` is an enhanced status (`5.1.3`): a word of a reply, not a part
/// of an address or a version number.
pub fn is_status_word(w: &str) -> bool {
    matches!(w.as_bytes().first(), Some(b'2' | b'4' | b'5'))
        && status_end(w.as_bytes(), 0) == Some(w.len())
}

/// When a status starts at `start`, where it ends.
fn status_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    for _ in 0..2 {
        if b.get(i) != Some(&b'.') {
            return None;
        }
        i += 1;
        let digits = b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 || digits > 3 {
            return None;
        }
        i += digits;
    }
    // `5.1.1.` followed by a digit is an IP or a version, not a status.
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_skips_ip_addresses() {
        assert_eq!(find_status("host [192.0.2.5]: 553 5.7.1 no"), Some("5.7.1"));
        assert_eq!(find_status("(#5.1.1)"), Some("5.1.1"));
        assert_eq!(find_status("10.5.1.2 only"), None);
    }

    #[test]
    fn a_status_word_is_the_whole_word() {
        for w in ["5.1.3", "4.7.0", "2.0.0", "5.7.26", "5.1.100"] {
            assert!(is_status_word(w), "{w}");
        }
        for w in [
            "5.1", "5.1.3.", "5.1.3x", "6.1.1", "5.1.1234", "x5.1.1", "", "553", "5..1",
        ] {
            assert!(!is_status_word(w), "{w}");
        }
    }
}
