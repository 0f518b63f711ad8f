//! Bad and hostile input: the parser answers with a clear error or an empty result, never a
//! panic, and stays linear on huge pastes.

use std::time::{Duration, Instant};

use bouncebook::bounce::{MAX_PARSE_BYTES, ParseError, parse};
use proptest::prelude::*;

#[test]
fn empty_and_blank_input_is_empty() {
    assert_eq!(parse(b""), Err(ParseError::Empty));
    assert_eq!(parse(b"  \n\t\r\n "), Err(ParseError::Empty));
}

#[test]
fn binary_input_is_refused() {
    let png_like: Vec<u8> = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
        .iter()
        .copied()
        .chain((0..4096u32).map(|i| (i % 251) as u8))
        .collect();
    assert!(matches!(parse(&png_like), Err(ParseError::Binary(_))));
    let random_high: Vec<u8> = (0..4096u32).map(|i| 0x80 | (i * 7 % 127) as u8).collect();
    assert!(matches!(parse(&random_high), Err(ParseError::Binary(_))));
}

#[test]
fn invalid_utf8_is_repaired_with_a_warning() {
    let mut input = b"Hi. This is the qmail-send program at mx.caf\xe9.example.\n\n<bob@caf\xe9-ok.example>:\nRemote host said: 553 sorry, no mailbox here by that name. (#5.1.1)\n".to_vec();
    input.extend_from_slice(b"\xff\xfe trailing junk\n");
    let b = parse(&input).expect("text with some bad bytes still parses");
    assert!(
        b.warnings.iter().any(|w| w.contains("UTF-8")),
        "{:?}",
        b.warnings
    );
    assert_eq!(b.records.len(), 1);
    assert_eq!(b.records[0].reply_code, Some(553));
    assert_eq!(b.records[0].status.as_deref(), Some("5.1.1"));
}

#[test]
fn text_without_a_bounce_gives_no_record_and_says_so() {
    let b = parse(b"Hello team,\nthe meeting moved to 3pm.\nThanks\n").expect("ok");
    assert!(b.records.is_empty());
    assert!(
        b.warnings.iter().any(|w| w.contains("no bounce")),
        "{:?}",
        b.warnings
    );
}

#[test]
fn a_5_mb_single_line_parses_quickly() {
    let mut line = b"553 5.7.1 ".to_vec();
    line.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    let started = Instant::now();
    let b = parse(&line).expect("parses");
    let took = started.elapsed();
    assert_eq!(b.records.first().and_then(|r| r.reply_code), Some(553));
    // Generous for a loaded CI machine; a quadratic scan would take minutes.
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn oversized_paste_is_cut_with_a_warning() {
    let head = b"<ann@mill.example>: host mx.mill.example[192.0.2.1] said: 553 5.7.1 no relay\n\n";
    let mut input = head.to_vec();
    let filler = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n";
    while input.len() <= MAX_PARSE_BYTES + 1024 {
        input.extend_from_slice(filler);
    }
    let started = Instant::now();
    let b = parse(&input).expect("parses");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        b.warnings.iter().any(|w| w.contains("only the first")),
        "{:?}",
        b.warnings
    );
    assert_eq!(b.records.len(), 1);
    assert_eq!(b.records[0].recipient.as_deref(), Some("ann@mill.example"));
}

#[test]
fn many_short_lines_stay_linear() {
    // 50k lines that each look a little like a recipient: no per-line rescans of the text.
    let mut input = String::new();
    for i in 0..50_000 {
        input.push_str(&format!("user{i}@host.example: 553 5.1.1 unknown\n"));
    }
    let started = Instant::now();
    let b = parse(input.as_bytes()).expect("parses");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(!b.records.is_empty());
}

#[test]
fn truncated_mime_does_not_panic() {
    let input = b"From: a@b.example\nTo: c@d.example\nContent-Type: multipart/report; boundary=\"x\"\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822;";
    let b = parse(input).expect("parses");
    assert!(b.records.iter().all(|r| r.reply_code.is_none()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&input);
    }

    #[test]
    fn arbitrary_bounce_like_text_never_panics(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("553-5.7.1 a".to_string()),
                Just("553 5.7.1 b".to_string()),
                Just("<x@y.example>:".to_string()),
                Just("Final-Recipient: rfc822; z@w.example".to_string()),
                Just("Diagnostic-Code: smtp; 550".to_string()),
                Just("Content-Type: multipart/report; boundary=q".to_string()),
                Just("--q".to_string()),
                Just(">>> RCPT To:<a@b.example>".to_string()),
                Just("<<< 553".to_string()),
                Just("".to_string()),
                "[ -~]{0,40}",
            ],
            0..40,
        )
    ) {
        let _ = parse(lines.join("\n").as_bytes());
    }
}

#[test]
fn stray_nul_and_control_bytes_are_dropped_with_a_warning() {
    let clean = b"Hi. This is the qmail-send program at mx.example.\n\n<bob@example.net>:\nRemote host said: 553 sorry, no mailbox here by that name. (#5.1.1)\n";
    let mut dirty = clean.to_vec();
    dirty.insert(10, 0);
    dirty.insert(40, 0x07);
    dirty.insert(3, 0x08);
    let want = parse(clean).unwrap();
    let got = parse(&dirty).expect("a text with a stray NUL is read, not refused");
    assert_eq!(got.records, want.records);
    assert!(
        got.warnings
            .iter()
            .any(|w| w.contains("3 stray control bytes")),
        "{:?}",
        got.warnings
    );
    // Text that is mostly NULs (UTF-16, a zeroed file) is still not text.
    let utf16: Vec<u8> = "Remote host said: 553 no"
        .bytes()
        .flat_map(|b| [b, 0])
        .collect();
    assert!(matches!(parse(&utf16), Err(ParseError::Binary(_))));
}

/// Every fixture under tests/fixtures/bounces reads the same in every line-break form a
/// paste or a file can carry (the library half of the paste-equals-file test; the tmux test
/// in `engine_paste.rs` runs the real terminal).
#[test]
fn every_line_break_form_reads_like_the_lf_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounces");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let lf: Vec<u8> = String::from_utf8_lossy(&bytes)
            .replace("\r\n", "\n")
            .into_bytes();
        let Ok(want) = parse(&lf) else { continue };
        let lf_text = String::from_utf8_lossy(&lf).into_owned();
        let crlf = lf_text.replace('\n', "\r\n");
        let forms = [
            ("CRLF", crlf.clone()),
            ("CR", lf_text.replace('\n', "\r")),
            ("CRLF through a terminal", crlf.replace('\n', "\r")),
        ];
        for (name, form) in forms {
            let got = parse(form.as_bytes()).unwrap();
            assert_eq!(got.records, want.records, "{} as {name}", path.display());
            assert_eq!(got.sender, want.sender, "{} as {name}", path.display());
            assert_eq!(
                got.timestamp,
                want.timestamp,
                "{} as {name}",
                path.display()
            );
            assert_eq!(got.facts, want.facts, "{} as {name}", path.display());
        }
        seen += 1;
    }
    assert!(seen >= 30, "only {seen} fixtures read");
}
