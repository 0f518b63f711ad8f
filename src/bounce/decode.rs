//! Transfer and charset decoding outside mail-parser's reach: a body pasted without its
//! message headers still carries its quoted-printable soft breaks (`=\n`) and escapes
//! (`=E9`), and a delivery-status part may hold a 7-bit charset raw inside its fields
//! (ISO-2022-JP's escape sequences in a Diagnostic-Code).

use std::borrow::Cow;

use mail_parser::decoders::charsets::map::charset_decoder;

/// The text of a plain-text paste, quoted-printable decoded and read in its declared
/// charset, when it reads as quoted-printable: the paste declares it
/// (`Content-Transfer-Encoding: quoted-printable`), or carries soft line breaks or escaped
/// 8-bit bytes. `None` when there is nothing to decode.
pub fn plain_paste(text: &str) -> Option<String> {
    let declared = declared_qp(text);
    if !declared && !looks_qp(text) {
        return None;
    }
    let bytes = qp_decode(text.as_bytes());
    Some(in_charset(&bytes, declared_charset(text).as_deref()))
}

/// Whether the text says its body is quoted-printable (MIME part headers pasted with it).
fn declared_qp(text: &str) -> bool {
    text.lines().take(400).any(|l| {
        let t = l.trim();
        t.len() > 26
            && t.as_bytes()[..26].eq_ignore_ascii_case(b"content-transfer-encoding:")
            && t[26..].trim().eq_ignore_ascii_case("quoted-printable")
    })
}

/// Quoted-printable without a declaration: two soft breaks (a line ending in a lone `=`),
/// or one and an escape, or two escapes of 8-bit bytes (`=E9`, `=C3=A9`). RFC 2047 encoded
/// words in pasted headers (`=?iso-8859-1?Q?caf=E9?=`) are not counted: they are
/// encoded on their own, and a header line may well end in one.
fn looks_qp(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut soft, mut escapes) = (0, 0);
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'=', &b[i..]) {
        let at = i + at;
        if let Some(end) = encoded_word_end(b, at) {
            i = end;
            continue;
        }
        let line_start = b[..at]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        let ends_line = matches!(b.get(at + 1), None | Some(b'\n'));
        if ends_line && at > line_start && b[at - 1] != b'=' {
            soft += 1;
        } else if matches!(b.get(at + 1), Some(b'8'..=b'9' | b'A'..=b'F'))
            && b.get(at + 2)
                .is_some_and(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        {
            escapes += 1;
        }
        if soft >= 2 || escapes >= 2 || (soft == 1 && escapes >= 1) {
            return true;
        }
        i = at + 1;
    }
    false
}

/// Where an RFC 2047 encoded word starting at `at` ends (`=?charset?Q?text?=`, no white
/// space inside), if one does.
fn encoded_word_end(b: &[u8], at: usize) -> Option<usize> {
    if b.get(at + 1) != Some(&b'?') {
        return None;
    }
    let word = |from: usize| {
        b[from..]
            .iter()
            .take(200)
            .position(|&c| c == b'?' || c.is_ascii_whitespace())
            .map(|n| from + n)
            .filter(|&end| b.get(end) == Some(&b'?'))
    };
    let charset_end = word(at + 2).filter(|&e| e > at + 2)?;
    if !matches!(b.get(charset_end + 1), Some(b'Q' | b'q' | b'B' | b'b'))
        || b.get(charset_end + 2) != Some(&b'?')
    {
        return None;
    }
    let text_end = word(charset_end + 3)?;
    (b.get(text_end + 1) == Some(&b'=')).then_some(text_end + 2)
}

/// RFC 2045 6.7, read leniently: `=` at a line's end joins the next line, `=XX` is a byte,
/// any other `=` stays as it is (a paste is often only partly encoded).
fn qp_decode(b: &[u8]) -> Vec<u8> {
    let hex = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'=' {
            out.push(c);
            i += 1;
            continue;
        }
        // A header's encoded word stays whole for the message parser to decode.
        if let Some(end) = encoded_word_end(b, i) {
            out.extend_from_slice(&b[i..end]);
            i = end;
            continue;
        }
        // A soft break: `=`, optional trailing white space, the line's end.
        let mut j = i + 1;
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if b.get(j) == Some(&b'\n') {
            i = j + 1;
            continue;
        }
        if j == b.len() {
            break;
        }
        match (
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

/// The `charset=` a pasted MIME part header declares (the first one).
fn declared_charset(text: &str) -> Option<String> {
    let lower_at = text.lines().take(400).find_map(|l| {
        let low = l.to_ascii_lowercase();
        let at = low.find("charset=")?;
        Some(l[at + 8..].to_string())
    })?;
    let v = lower_at.trim_start_matches(['"', '\'']);
    let end = v
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        .unwrap_or(v.len());
    Some(v[..end].to_string()).filter(|c| !c.is_empty())
}

/// Bytes as text: UTF-8 when they are (whatever was declared: a paste is what the
/// terminal gave), else the declared charset, else Windows-1252 (what Latin-1 mail is in
/// practice).
fn in_charset(bytes: &[u8], charset: Option<&str>) -> String {
    if let Ok(t) = std::str::from_utf8(bytes) {
        return t.to_string();
    }
    let decoder = charset
        .and_then(|c| charset_decoder(c.as_bytes()))
        .or_else(|| charset_decoder(b"windows-1252"));
    match decoder {
        Some(decode) => decode(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A delivery-status part's text. Its fields are 7-bit, but a server may copy a remote's
/// words into them in the charset they came in: ISO-2022-JP (escape sequences), or the
/// part's declared charset. UTF-8 and plain ASCII stay as they are.
pub fn delivery_status<'a>(bytes: &'a [u8], declared: Option<&str>) -> Cow<'a, str> {
    let has_escape = memchr::memchr(0x1b, bytes)
        .is_some_and(|i| matches!(bytes.get(i + 1), Some(b'$' | b'(')) && bytes.len() > i + 2);
    if has_escape && let Some(decode) = charset_decoder(b"iso-2022-jp") {
        return Cow::Owned(decode(bytes));
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(t);
    }
    Cow::Owned(in_charset(bytes, declared))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks_and_escapes_in_a_pasted_body() {
        let text = "Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n\n<cl=E9ment@caf=E9.example>: host mx.caf=E9.example said: 550 5.1.1 us=\ner unknown\n";
        let out = plain_paste(text).expect("decoded");
        assert!(out.contains("<clément@café.example>"), "{out}");
        assert!(out.contains("550 5.1.1 user unknown"), "{out}");
        // Undeclared: soft breaks alone are enough, UTF-8 escapes decode as UTF-8.
        let out = plain_paste("a long line broken by the encoder at seventy-six cha=\nracters, and caf=C3=A9 again=\n here\n").expect("decoded");
        assert_eq!(
            out,
            "a long line broken by the encoder at seventy-six characters, and café again here\n"
        );
        // A pasted header's encoded word is neither an escape nor a soft break, even
        // at a line's end, and stays whole when the body is decoded.
        let headers = "Subject: =?iso-8859-1?Q?Devis_r=E9novation?=\nDate: Thu, 26 Nov 2026 17:04:57 +0100\n\n550 5.1.1 x@y.example\n";
        assert!(plain_paste(headers).is_none());
        let out = plain_paste(&format!("{headers}caf=E9 and th=\nen=E9\n")).expect("decoded");
        assert!(
            out.starts_with("Subject: =?iso-8859-1?Q?Devis_r=E9novation?=\nDate:"),
            "{out}"
        );
        assert!(out.ends_with("café and thené\n"), "{out}");
        // Text with `=` of its own is left alone.
        assert!(plain_paste("a=b, c = d\n===== rule =====\n550 5.1.1 x@y.example\n").is_none());
    }

    #[test]
    fn iso_2022_jp_in_a_delivery_status_field() {
        let field = b"Diagnostic-Code: smtp; 550 \x1b$B%f!<%6!<$,$$$^$;$s\x1b(B\n";
        let out = delivery_status(field, None);
        assert!(out.contains("550 ユーザーがいません"), "{out}");
        assert!(matches!(
            delivery_status(b"Status: 5.1.1\n", None),
            Cow::Borrowed(_)
        ));
    }
}
