//! The first step of the pipeline: every caller's bytes (a TUI paste, stdin, a file, the
//! clipboard) become LF-terminated text here, so that a bounce reads the same however it
//! arrived.
//!
//! Line breaks come in five forms. Files use LF or CRLF (Outlook, webmail on Windows, most
//! `.eml` files); old Mac text uses CR. A terminal turns each line break of a paste into CR,
//! so an LF file arrives as CR per line and a CRLF file as CR CR per line; a mixed file gives
//! a mix. CR CR is ambiguous on its own (one CRLF break, or a blank line of an LF file), so
//! the whole text decides: when the CR runs are mostly of even length the text came from
//! CRLF and each pair is one break; otherwise each CR is one.
//!
//! Stray control bytes (a NUL from a broken copy, a bell) are dropped with one warning,
//! a backspace with the character before it on its line (what a terminal showed); ESC, SO and SI stay (ISO-2022 charsets use them) and so do tab and form feed.

use std::borrow::Cow;

/// `input` with its line breaks as LF and stray control bytes removed, plus a warning when
/// bytes were removed. Borrows when nothing needs to change (the common LF paste).
pub fn normalise(input: &[u8]) -> (Cow<'_, [u8]>, Option<String>) {
    rewrite(input, true)
}

/// `input` with its line breaks as LF, every other byte kept (for a caller that shows the
/// text: its sanitizer needs the escape sequences whole to hide them).
pub fn line_breaks(input: &[u8]) -> Cow<'_, [u8]> {
    rewrite(input, false).0
}

/// [`line_breaks`] for a caller that owns the text: rewritten in place (the text never
/// grows), so a 5 MB paste is not held twice while it is normalised.
pub fn line_breaks_owned(mut text: Vec<u8>) -> Vec<u8> {
    if needs_rewrite(&text, false) {
        rewrite_in_place(&mut text, false);
    }
    text
}

fn rewrite(input: &[u8], drop_stray: bool) -> (Cow<'_, [u8]>, Option<String>) {
    if !needs_rewrite(input, drop_stray) {
        return (Cow::Borrowed(input), None);
    }
    let mut out = input.to_vec();
    let dropped = rewrite_in_place(&mut out, drop_stray);
    let warning = (dropped > 0).then(|| {
        format!(
            "{dropped} stray control byte{} (NUL and the like) {} dropped from the text",
            if dropped == 1 { "" } else { "s" },
            if dropped == 1 { "was" } else { "were" }
        )
    });
    (Cow::Owned(out), warning)
}

fn needs_rewrite(input: &[u8], drop_stray: bool) -> bool {
    memchr::memchr(b'\r', input).is_some() || (drop_stray && (has_stray(input) || has_csi(input)))
}

/// Whether `bytes` holds a terminal control sequence (`ESC [`): colours from `grep
/// --color`, a log viewer's highlighting, an arrow key typed into a session. ISO-2022
/// charsets never use `ESC [`. ESC itself is rare: each one memchr finds is looked at,
/// rather than setting up a substring searcher for every text.
fn has_csi(bytes: &[u8]) -> bool {
    memchr::memchr_iter(0x1b, bytes).any(|at| bytes.get(at + 1) == Some(&b'['))
}

/// The length of the control sequence at the start of `b` (`ESC [`, parameter bytes,
/// intermediate bytes, one final byte: ECMA-48 5.4), if one is there.
fn csi_len(b: &[u8]) -> Option<usize> {
    if !b.starts_with(b"\x1b[") {
        return None;
    }
    let mut i = 2;
    while b.get(i).is_some_and(|c| (0x30..=0x3f).contains(c)) {
        i += 1;
    }
    while b.get(i).is_some_and(|c| (0x20..=0x2f).contains(c)) {
        i += 1;
    }
    b.get(i)
        .is_some_and(|c| (0x40..=0x7e).contains(c))
        .then_some(i + 1)
}

/// Rewrite `buf` in place; returns how many stray bytes were dropped. Every step writes
/// no more bytes than it read, so the writer never overtakes the reader.
fn rewrite_in_place(buf: &mut Vec<u8>, drop_stray: bool) -> usize {
    let pairs = memchr::memchr(b'\r', buf).is_some() && cr_runs_are_pairs(buf);
    let strays = drop_stray && (has_stray(buf) || has_csi(buf));
    let mut dropped = 0usize;
    let (mut read, mut write) = (0, 0);
    while read < buf.len() {
        if !strays {
            // Only line breaks to rewrite: move everything up to the next CR in one go
            // (most of a CRLF message is text between breaks).
            let next = memchr::memchr(b'\r', &buf[read..]).map_or(buf.len(), |i| read + i);
            buf.copy_within(read..next, write);
            write += next - read;
            read = next;
            if read == buf.len() {
                break;
            }
        }
        let b = buf[read];
        if b == b'\r' {
            let start = read;
            while read < buf.len() && buf[read] == b'\r' {
                read += 1;
            }
            let run = read - start;
            let breaks = if buf.get(read) == Some(&b'\n') {
                // CRLF, and CR CR LF (a CRLF file saved again through a CRLF-adding tool),
                // are one break; a longer run before the LF also holds breaks of its own.
                read += 1;
                let extra = run.saturating_sub(2);
                1 + if pairs { extra.div_ceil(2) } else { extra }
            } else if pairs {
                run.div_ceil(2)
            } else {
                run
            };
            buf[write..write + breaks].fill(b'\n');
            write += breaks;
            continue;
        }
        if drop_stray
            && b == 0x1b
            && let Some(len) = csi_len(&buf[read..])
        {
            // Colour and cursor codes are how the screen looked, not the text.
            dropped += len;
            read += len;
            continue;
        }
        if drop_stray && b == 0x0b {
            // A vertical tab is Word's manual line break (Shift+Enter): a text copied
            // through Word keeps its lines that way.
            buf[write] = b'\n';
            write += 1;
        } else if drop_stray && b == 0x08 {
            // A backspace typed into a session erased the character before it on the
            // screen the agent copied from: the text is what that screen showed.
            dropped += 1;
            if write > 0 && buf[write - 1] != b'\n' {
                write -= 1;
                while write > 0 && buf[write] & 0xC0 == 0x80 {
                    write -= 1;
                }
            }
        } else if drop_stray && is_stray(b) {
            dropped += 1;
        } else {
            buf[write] = b;
            write += 1;
        }
        read += 1;
    }
    buf.truncate(write);
    dropped
}

/// A control byte that no bounce carries: below 0x20 except tab, LF, CR, form feed, ESC and
/// the ISO-2022 shifts (SO, SI).
/// Whether `bytes` holds a stray control byte. Checked 64 bytes at a time without an early
/// exit inside a block, which the compiler turns into vector code: this scan runs over every
/// input, most of which have none.
fn has_stray(bytes: &[u8]) -> bool {
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |seen, &b| seen | is_stray(b)))
}

fn is_stray(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x0e | 0x0f | 0x1b)
}

/// Whether the text's bare CR runs (not followed by LF) come in pairs: a CRLF text pasted
/// through a terminal. Decided by the runs themselves: most are of even length, and runs
/// of one CR (a single break) are rare. A text with no bare CR at all is not paired.
fn cr_runs_are_pairs(input: &[u8]) -> bool {
    let (mut even, mut odd, mut single) = (0usize, 0usize, 0usize);
    // Runs longer than a pair (a blank line of a CRLF text), and the run that ends the text.
    let (mut long, mut last) = (false, 0usize);
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\r', &input[i..]) {
        let start = i + at;
        let mut end = start;
        while end < input.len() && input[end] == b'\r' {
            end += 1;
        }
        i = end;
        if input.get(end) == Some(&b'\n') {
            continue;
        }
        let run = end - start;
        long |= run > 2;
        if end == input.len() {
            last = run;
        }
        if run == 1 {
            single += 1;
        }
        if run % 2 == 0 {
            even += 1;
        } else {
            odd += 1;
        }
    }
    // Every break a pair and the last one single: a double-spaced LF text (a dialog's
    // sentences with a blank line between them), whose last line's break the terminal sent
    // as one CR. A CRLF text would have ended in a pair.
    if last == 1 && !long {
        return false;
    }
    even > 0 && even >= odd * 3 && single * 4 <= even + odd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_csi_as_a_substring_search() {
        let pieces: [&[u8]; 7] = [b"\x1b", b"[", b"a", b"\x1b[", b"\n", b"\x1b\x1b", b"[["];
        let mut g = crate::bounce::test_rng::Rng::new(0x00c5_1e5c_0de5_0001);
        let mut found = 0;
        for _ in 0..20_000 {
            let len = g.below(6);
            let text: Vec<u8> = (0..len).flat_map(|_| g.pick(&pieces).to_vec()).collect();
            let expected = memchr::memmem::find(&text, b"\x1b[").is_some();
            found += usize::from(expected);
            assert_eq!(has_csi(&text), expected, "{text:?}");
        }
        assert!(found > 1000, "{found}");
    }

    fn norm(s: &str) -> String {
        String::from_utf8(normalise(s.as_bytes()).0.into_owned()).unwrap()
    }

    /// How a terminal delivers a paste: each LF becomes CR.
    fn through_terminal(s: &str) -> String {
        s.replace('\n', "\r")
    }

    const TEXT: &str = "From: a@b.example\nTo: c@d.example\n\nline one\n\n\nline two\nlast\n";

    #[test]
    fn every_line_break_form_gives_the_lf_text() {
        let crlf = TEXT.replace('\n', "\r\n");
        for (name, form) in [
            ("LF", TEXT.to_string()),
            ("CRLF", crlf.clone()),
            ("CR", TEXT.replace('\n', "\r")),
            ("LF via terminal", through_terminal(TEXT)),
            ("CRLF via terminal", through_terminal(&crlf)),
            ("CR CR LF", TEXT.replace('\n', "\r\r\n")),
        ] {
            assert_eq!(norm(&form), TEXT, "{name}");
        }
    }

    #[test]
    fn a_double_spaced_lf_paste_keeps_its_blank_lines() {
        let lf = "Cannot Send Mail\n\nThe server response was: 553 5.7.1 log in\n\nOK\n";
        assert_eq!(norm(&through_terminal(lf)), lf);
        // The same lines from a CRLF text end in a pair: one break each.
        let crlf = "Cannot Send Mail\r\nThe server response was: 553 5.7.1 log in\r\nOK\r\n";
        assert_eq!(
            norm(&through_terminal(crlf)),
            "Cannot Send Mail\nThe server response was: 553 5.7.1 log in\nOK\n"
        );
    }

    #[test]
    fn terminal_control_sequences_are_dropped() {
        let coloured =
            "2026-12-03 11:27:40 1tQ <= \x1b[01;31m\x1b[Ksales@near.example\x1b[m\x1b[K H=x\n";
        assert_eq!(
            norm(coloured),
            "2026-12-03 11:27:40 1tQ <= sales@near.example H=x\n"
        );
        // ISO-2022-JP's escapes stay.
        let jp = "\x1b$B%f!<%6!<\x1b(B\n";
        assert_eq!(norm(jp), jp);
    }

    #[test]
    fn mixed_breaks_each_count_once() {
        assert_eq!(norm("a\r\nb\nc\rd\r\n"), "a\nb\nc\nd\n");
        // A CRLF text with a few LF-only lines, pasted through a terminal.
        let mixed = "h1: x\r\nh2: y\r\n\r\nbody\nmore\r\nend\r\n";
        assert_eq!(
            norm(&through_terminal(mixed)),
            "h1: x\nh2: y\n\nbody\nmore\nend\n"
        );
    }

    #[test]
    fn lf_text_is_borrowed_untouched() {
        assert!(matches!(normalise(TEXT.as_bytes()).0, Cow::Borrowed(_)));
        assert!(matches!(
            normalise("é\x1b$B\x0e\t".as_bytes()).0,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn stray_controls_are_dropped_with_a_warning() {
        let (out, warning) = normalise(b"a\0b\x07c\x08\nd\x1b$B\n");
        assert_eq!(&*out, b"ab\nd\x1b$B\n");
        assert!(warning.is_some_and(|w| w.starts_with("3 stray")));
        // A backspace takes a whole character, never the line break before it.
        assert_eq!(
            &*normalise("phto\x08\x08\x08hoto é\x08e\n\x08x".as_bytes()).0,
            "photo e\nx".as_bytes()
        );
        // Word's manual line breaks are line breaks, not dropped bytes.
        let (out, warning) = normalise(b"From\tMail Delivery System\x0bDate\t2026-12-01 11:02\n");
        assert_eq!(
            &*out,
            b"From\tMail Delivery System\nDate\t2026-12-01 11:02\n"
        );
        assert!(warning.is_none());
    }

    #[test]
    fn line_breaks_alone_keep_control_bytes() {
        assert_eq!(&*line_breaks(b"a\0\x07\r\rb\r\r"), b"a\0\x07\nb\n");
    }

    #[test]
    fn in_place_gives_what_the_copy_gives() {
        for form in [
            TEXT.to_string(),
            TEXT.replace('\n', "\r\n"),
            through_terminal(TEXT),
            through_terminal(&TEXT.replace('\n', "\r\n")),
            "a\r\r\r\nb\r\r\r\rc\r".to_string(),
            "a\0\x07\r\rb\r\r".to_string(),
            "é\r\r€\r\r😀\r\r".to_string(),
            String::new(),
        ] {
            assert_eq!(
                line_breaks_owned(form.clone().into_bytes()),
                &*line_breaks(form.as_bytes()),
                "{form:?}"
            );
        }
    }

    #[test]
    fn utf8_survives() {
        assert_eq!(norm("é\r\r€\r\r😀\r\r"), "é\n€\n😀\n");
    }
}
