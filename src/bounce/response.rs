//! SMTP reply text: the reply code, the enhanced status, the SMTP stage, and unfolding.
//!
//! Everything here works on one already-isolated piece of text (a Diagnostic-Code, a block of
//! a plain-text bounce, a transcript reply) and scans bytes, so it stays linear in the input.

use std::sync::LazyLock;

use regex::Regex;

use super::model::Stage;

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

/// The first index from `from` on whose byte is `2` to `5` (what every reply code and
/// status starts with), or `b.len()`.
fn next_code_digit(b: &[u8], from: usize) -> usize {
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

/// Where the first SMTP reply code (2xx-5xx) of a response starts in `text`, and its value.
///
/// A code is three digits standing alone: at the start or after a space, `:`, `(`, `'`, `"`,
/// `>`, `[` or `=`, and followed by a space, `-`, end of text or punctuation that ends a word.
/// `192.0.2.1`, `2013`, `#5.1.1` do not qualify.
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
                ))
            && (i + 3 == b.len()
                || matches!(
                    b[i + 3],
                    b' ' | b'-' | b'\t' | b',' | b')' | b';' | b'\'' | b'"' | b']' | b':'
                ))
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
    ["bytes", "byte", "size", "lines", "port", "length", "count"]
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

/// An SMTP reply line is at most 512 bytes (RFC 5321); a multi-line reply a few of them.
/// Anything longer is not a reply, and reading no further keeps huge pastes cheap.
pub const MAX_RESPONSE_BYTES: usize = 4096;

/// The first `max` bytes of `text`, cut at a character boundary.
pub fn clip(text: &str, max: usize) -> &str {
    &text[..text.floor_char_boundary(max)]
}

/// One response isolated from surrounding text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Response {
    pub reply_code: Option<u16>,
    pub status: Option<String>,
    /// The response from its reply code on (or the whole text when there is no code).
    pub text: String,
}

/// Pull the server's response out of a piece of bounce text (already unfolded).
///
/// Exchange re-codes remote errors as `550 5.1.351 Remote server returned ... -> 553 ...`:
/// the part after the last `->` with a code is the remote's own response and wins.
pub fn extract(text: &str) -> Response {
    let text = clip(text, MAX_RESPONSE_BYTES).trim();
    let mut start = 0;
    let mut search_from = 0;
    while let Some(pos) = text.get(search_from..).and_then(|t| t.find("->")) {
        let after = search_from + pos + 2;
        let rest = text.get(after..).unwrap_or("").trim_start();
        if find_reply_code(rest).is_some_and(|(at, c)| at == 0 && c >= 400) {
            start = text.len() - rest.len();
        }
        search_from = after;
    }
    let body = text.get(start..).unwrap_or(text);
    // Sendmail: `554 <x@y>... 550 Host unknown`: the code after the address is the remote's.
    static SENDMAIL_INNER: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^[245][0-9][0-9][ -](?:[0-9]\.[0-9]{1,3}\.[0-9]{1,3}\s+)?<?[A-Za-z0-9._%+!#$&'*/=?^`{|}~-]+@[A-Za-z0-9.-]+>?\.\.\.\s+([45][0-9][0-9]\s.*)$",
        )
    });
    let failure = find_failure_code(body);
    if let Some(inner) = failure
        .and_then(|(at, _)| body.get(at..))
        // `...` is a literal of the pattern: without it, no need to run it.
        .filter(|from| from.contains("..."))
        .and_then(|from| SENDMAIL_INNER.captures(from))
        .and_then(|c| c.get(1))
    {
        return extract(inner.as_str());
    }
    match failure {
        Some((at, code)) => {
            let from_code = body.get(at..).unwrap_or(body);
            let response_text = trim_trailing_noise(from_code);
            Response {
                reply_code: Some(code),
                status: find_status(response_text)
                    .or_else(|| find_status(body))
                    .map(str::to_string),
                text: response_text.to_string(),
            }
        }
        None => Response {
            reply_code: None,
            status: find_status(body).map(str::to_string),
            text: trim_trailing_noise(body).to_string(),
        },
    }
}

/// Drop a trailing `'` or `"` left over from `Remote Server returned '...'`.
fn trim_trailing_noise(text: &str) -> &str {
    let t = text.trim().trim_end_matches(['\'', '"']).trim_end();
    // `(reason: 553 ...)`: the closing parenthesis belongs to the wrapper, not the reply.
    // Counting is only needed when there is a parenthesis to drop.
    if !t.ends_with(')') {
        return t;
    }
    let opens = t.bytes().filter(|&b| b == b'(').count();
    let closes = t.bytes().filter(|&b| b == b')').count();
    if closes > opens {
        t.strip_suffix(')').unwrap_or(t).trim_end()
    } else {
        t
    }
}

/// Phrases naming the SMTP command a reply answered, matched against lowercased text:
/// plain literals search much faster than case-insensitive ones.
static STAGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u)(?:in reply to|after|during|>>>|responding to)\s+(?:the\s+)?(end of data|end of message|mail from|mail-from|rcpt to|rcpt-to|rcpt|data|ehlo|helo|lhlo|initial connection|connection greeting|greeting|banner)\b|\b(mail from|rcpt to|data|rcpt|ehlo|helo|lhlo)\s+(?:command\s+(?:failed|rejected|error)|response|command|failed|rejected)|(sender (?:was |address )?rejected)|(does not like recipient|recipient address rejected)|(refused to talk to me)",
    )
});

/// The stage a [`STAGE`] match names, read from its (lowercased) text, and whether it names
/// the command (groups 1 and 2) rather than implies it (3 and 4).
///
/// The alternatives start with words none of the others starts with, so a match's first word
/// tells which one matched; the capture pass that would say the same costs a backtracking
/// search per match. The command word of the first alternative ends the match (`\b` takes no
/// bytes); that of the second starts it.
fn stage_of_match(m: &str) -> (Stage, bool) {
    if m.starts_with("sender") {
        return (Stage::MailFrom, false);
    }
    if m.starts_with("does not like") || m.starts_with("recipient address rejected") {
        return (Stage::RcptTo, false);
    }
    // Postfix: `host X[ip] refused to talk to me: 554 ...`, the server's greeting.
    if m.starts_with("refused to talk") {
        return (Stage::Connect, true);
    }
    let helo = |w: &str| w.ends_with("ehlo") || w.ends_with("helo") || w.ends_with("lhlo");
    let leads = ["in reply to", "after", "during", ">>>", "responding to"];
    let stage = if leads.iter().any(|l| m.starts_with(l)) {
        if helo(m) {
            Stage::Helo
        } else if m.ends_with("connection") || m.ends_with("greeting") || m.ends_with("banner") {
            Stage::Connect
        } else if m.ends_with("from") {
            Stage::MailFrom
        } else if m.ends_with("rcpt") || m.ends_with("rcpt to") || m.ends_with("rcpt-to") {
            Stage::RcptTo
        } else {
            Stage::Data
        }
    } else if m.starts_with("ehlo") || m.starts_with("helo") || m.starts_with("lhlo") {
        Stage::Helo
    } else if m.starts_with("mail") {
        Stage::MailFrom
    } else if m.starts_with("rcpt") {
        Stage::RcptTo
    } else {
        Stage::Data
    };
    (stage, true)
}

/// Which SMTP command the text says the refusal answered. A phrase naming the command
/// (`in reply to RCPT TO command`) outranks one that only implies it (`Sender address
/// rejected`).
pub fn find_stage(text: &str) -> Option<Stage> {
    // Most text holds no stage word at all: rule that out before the regex pass.
    if !mentions_stage_word(text) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut implied = None;
    for m in STAGE.find_iter(&lower) {
        let (stage, named) = stage_of_match(m.as_str());
        if named {
            return Some(stage);
        }
        implied = implied.or(Some(stage));
    }
    implied
}

/// Whether `text` holds `mail`, `rcpt`, `data`, `send`(er), (re)`cipi`(ent), `end `
/// (`after end of message`), `ehlo`/`helo`/`lhlo`, `conn`(ection), `gree`(ting), `bann`(er) or
/// (refused to) `talk` in any case: every stage phrase does.
fn mentions_stage_word(text: &str) -> bool {
    // Four bytes compared as one word, each folded with `| 0x20`: for a target made of
    // lowercase letters only, a byte folds onto a target letter exactly when it is that
    // letter in either case, so this is the case-insensitive test without a copy. (A space
    // folds onto itself, and so does a NUL byte: a false hit only costs the regex search.)
    const fn word(w: &[u8; 4]) -> u32 {
        u32::from_le_bytes(*w)
    }
    const WORDS: [u32; 13] = [
        word(b"mail"),
        word(b"rcpt"),
        word(b"data"),
        word(b"send"),
        word(b"cipi"),
        word(b"end "),
        word(b"ehlo"),
        word(b"helo"),
        word(b"lhlo"),
        word(b"conn"),
        word(b"gree"),
        word(b"talk"),
        word(b"bann"),
    ];
    text.as_bytes().windows(4).any(|w| {
        let folded = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) | 0x2020_2020;
        WORDS.contains(&folded)
    })
}

/// The stage for a response found in a larger text: a phrase inside the response itself
/// (`(in reply to RCPT TO command)`) wins; else the last one before it (`after RCPT TO:`,
/// or the last `>>> RCPT To:` of a transcript, not an earlier `>>> MAIL From:`).
pub fn find_stage_around(before: &str, response: &str) -> Option<Stage> {
    if let Some(s) = find_stage(response) {
        return Some(s);
    }
    if !mentions_stage_word(before) {
        return None;
    }
    STAGE
        .find_iter(&before.to_ascii_lowercase())
        .last()
        .map(|m| stage_of_match(m.as_str()).0)
}

/// Compile one of our own literal patterns (never input): a failure is a bug caught by tests.
pub(crate) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// Join folded lines into one: trim each, single spaces between. Multi-line replies
/// (`553-first`, `553 last`) lose the repeated code of their continuation lines.
pub fn unfold<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut multi_code: Option<&str> = None;
    for line in lines {
        let mut t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(code) = multiline_code(t) {
            match multi_code {
                Some(prev) if prev == code => {
                    t = t.get(4..).unwrap_or("").trim_start();
                }
                _ => multi_code = Some(code),
            }
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// `553-` or `553 ` at the start of a line: the code of a (possibly multi-line) reply.
fn multiline_code(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    if b.len() >= 4
        && matches!(b[0], b'2'..=b'5')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && matches!(b[3], b'-' | b' ')
    {
        line.get(..3)
    } else {
        None
    }
}

/// Find `[ip]` or `(ip)` or `ip` after "host" in a response: the remote server's address.
///
/// `host mx.example.net[192.0.2.1]` (also after `server` or `mx`) gives the name and the
/// address; failing that, `host 192.0.2.1` or `remote host [192.0.2.1]` the address alone.
/// Read by hand rather than by two capture searches over a lowercased copy: each of the
/// patterns (kept as the oracle in the tests) parses only one way from where its keyword
/// starts, so the first keyword that parses gives the regex's leftmost match.
pub fn find_remote_host(text: &str) -> (Option<String>, Option<String>) {
    let b = text.as_bytes();
    let cut = |r: std::ops::Range<usize>| text.get(r).map(str::to_string);
    // One pass for both patterns: a named host anywhere wins over an address after `host`,
    // so the first address is only kept until the end.
    let mut address = None;
    for at in 0..b.len() {
        if !matches!(b[at] | 0x20, b'h' | b's' | b'm') {
            continue;
        }
        if let Some((host, ip)) = named_host_at(b, at) {
            return (cut(host), cut(ip));
        }
        if address.is_none() {
            address = host_ipv4_at(b, at);
        }
    }
    (None, address.and_then(cut))
}

/// ASCII whitespace as `\s` means without Unicode: tab, newline, vertical tab, form feed,
/// carriage return and space.
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' ')
}

/// How many bytes from `at` on satisfy `f`.
fn run(b: &[u8], at: usize, f: impl Fn(u8) -> bool) -> usize {
    b.get(at..)
        .map_or(0, |r| r.iter().take_while(|&&c| f(c)).count())
}

/// Whether `word` (lowercase letters) is at `at`, in any case.
fn word_at(b: &[u8], at: usize, word: &[u8]) -> bool {
    b.get(at..at + word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
}

/// `(?i-u)\b(?:host|server|mx)\s+([a-z0-9][a-z0-9.-]*[a-z0-9])\s*[\[(]([0-9a-f.:]{3,45})[\])]`
/// starting at `at`: the ranges of the name and the address.
///
/// No backtracking can change a match: the name's class holds neither whitespace nor a
/// bracket, so the name is the whole run of name bytes; the address's class holds neither
/// `]` nor `)`, so it is the whole run of address bytes, and a run over 45 fails.
fn named_host_at(b: &[u8], at: usize) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    // The first letter picks the only keyword that can start here.
    let keyword: &[u8] = match b.get(at)? | 0x20 {
        b'h' => b"host",
        b's' => b"server",
        b'm' => b"mx",
        _ => return None,
    };
    if !word_at(b, at, keyword) || (at > 0 && is_word_byte(b[at - 1])) {
        return None;
    }
    let mut i = at + keyword.len();
    let spaces = run(b, i, is_space);
    if spaces == 0 {
        return None;
    }
    i += spaces;
    let name = i..i + run(b, i, |c| {
        c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
    });
    let (first, last) = (b.get(name.start)?, b.get(name.end.checked_sub(1)?)?);
    if name.len() < 2 || !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return None;
    }
    i = name.end + run(b, name.end, is_space);
    if !matches!(b.get(i), Some(b'[' | b'(')) {
        return None;
    }
    i += 1;
    let ip = i..i + run(b, i, |c| c.is_ascii_hexdigit() || c == b'.' || c == b':');
    if !(3..=45).contains(&ip.len()) || !matches!(b.get(ip.end), Some(b']' | b')')) {
        return None;
    }
    Some((name, ip))
}

/// `\w` without Unicode: what `\b` tells apart from everything else.
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `(?i-u)(?:remote host|host)\s+\[?([0-9]{1,3}(?:\.[0-9]{1,3}){3})\]?` with its `host`
/// at `at`: the range of the address. `remote ` only moves the match's start, and the first
/// `host` that parses is the leftmost match.
///
/// Parses one way only: the first three numbers must each be followed by `.`, so each is its
/// whole run of digits (1 to 3 of them); the last takes at most three digits of its run.
fn host_ipv4_at(b: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    if b.get(at).is_none_or(|c| c | 0x20 != b'h') || !word_at(b, at, b"host") {
        return None;
    }
    let mut i = at + 4;
    let spaces = run(b, i, is_space);
    if spaces == 0 {
        return None;
    }
    i += spaces;
    if b.get(i) == Some(&b'[') {
        i += 1;
    }
    let start = i;
    for _ in 0..3 {
        let digits = run(b, i, |c| c.is_ascii_digit());
        if !(1..=3).contains(&digits) || b.get(i + digits) != Some(&b'.') {
            return None;
        }
        i += digits + 1;
    }
    let digits = run(b, i, |c| c.is_ascii_digit()).min(3);
    if digits == 0 {
        return None;
    }
    Some(start..i + digits)
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
    fn reply_code_is_a_standalone_number() {
        assert_eq!(find_reply_code("said: 553 sorry"), Some((6, 553)));
        assert_eq!(find_reply_code("192.0.2.1 2013"), None);
    }

    #[test]
    fn exchange_recoding_keeps_the_inner_response() {
        let r =
            extract("550 5.1.351 Remote server returned an error -> 553 5.7.1 not owned by user x");
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        assert!(r.text.starts_with("553 5.7.1"));
    }

    #[test]
    fn multiline_reply_unfolds_once() {
        let s = unfold(["553-5.7.1 first part", "553 5.7.1 second part"]);
        assert_eq!(s, "553-5.7.1 first part 5.7.1 second part");
    }

    #[test]
    fn stage_word_check_folds_case_only() {
        for yes in ["MAIL FROM", "Rcpt", "end of DaTa", "SENDER", "recipient"] {
            assert!(mentions_stage_word(yes), "{yes}");
        }
        // Bytes one bit (not the case bit) away from a letter, or folding onto a non-letter.
        for no in ["", "mai", "m@il", "MA\u{9}L", "rcp4", "dat!", "SEN\u{4}"] {
            assert!(!mentions_stage_word(no), "{no:?}");
        }
    }

    /// Deterministic numbers for generated inputs (see `bounce::test_rng`).
    fn numbers(seed: u64) -> impl FnMut() -> usize {
        let mut rng = crate::bounce::test_rng::Rng::new(seed);
        move || rng.below(usize::MAX)
    }

    /// `find_remote_host` as it was: the two capture searches on a lowercased copy.
    fn remote_host_by_regex(text: &str) -> (Option<String>, Option<String>) {
        static HOST: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"(?-u)\b(?:host|server|mx)\s+([a-z0-9][a-z0-9.-]*[a-z0-9])\s*[\[(]([0-9a-f.:]{3,45})[\])]",
            )
        });
        static IP: LazyLock<Regex> = LazyLock::new(|| {
            re(r"(?-u)(?:remote host|host)\s+\[?([0-9]{1,3}(?:\.[0-9]{1,3}){3})\]?")
        });
        let lower = text.to_ascii_lowercase();
        let cut = |m: regex::Match<'_>| text.get(m.range()).map(str::to_string);
        if let Some(c) = HOST.captures(&lower) {
            return (c.get(1).and_then(cut), c.get(2).and_then(cut));
        }
        if let Some(c) = IP.captures(&lower) {
            return (None, c.get(1).and_then(cut));
        }
        (None, None)
    }

    /// The hand-read host and address equal the regexes' captures, on texts built from the
    /// patterns' pieces and near misses (case, word boundaries, runs too long or too short).
    #[test]
    fn remote_host_agrees_with_captures() {
        let pieces = [
            "host",
            "HOST",
            "Host",
            "server",
            "SERVER",
            "mx",
            "MX",
            "Mx",
            "remote host",
            "ghost",
            "_host",
            "hosts",
            "localhost",
            "mxs",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{b}",
            "\u{c}",
            "\r",
            "[",
            "]",
            "(",
            ")",
            ".",
            "-",
            ":",
            "mx1.example.net",
            "A.B",
            "a",
            "-x",
            "x-",
            "x.",
            "192.0.2.1",
            "1.2.3.4567",
            "1234.5.6.7",
            "10.0.0",
            "2001:db8::1",
            "::1",
            "fe80::",
            "ABCDEF",
            "0123456789abcdef0123456789abcdef0123456789",
            "1",
            "12",
            "é",
            "said:",
            "_",
            "5",
        ];
        let keywords = [
            "host",
            "Server",
            "MX",
            "remote host",
            "ghost",
            "mxx",
            "a host",
        ];
        let spaces = ["", " ", "\t", " \r\n", "\u{b}\u{c}", "_"];
        let names = [
            "mx.example.net",
            "MX-1.Example",
            "a",
            "ab",
            "a-",
            ".a",
            "-",
            "a_b",
            "é",
        ];
        let opens = ["[", "(", "", "<", "[["];
        let ips = [
            "192.0.2.1",
            "2001:DB8::1",
            "ab",
            "abc",
            "1.2.3.4567",
            "0123456789abcdef0123456789abcdef0123456789abcd",
            "0123456789abcdef0123456789abcdef0123456789abc",
            "g.1.2",
        ];
        let closes = ["]", ")", "", ">", "]]"];
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        let (mut named, mut bare) = (0, 0);
        for _ in 0..200_000 {
            let n = 1 + next() % 10;
            let mut text: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
            // Half the time, a whole phrase in the patterns' shape, each part possibly off.
            if next().is_multiple_of(2) {
                for part in [
                    &keywords[..],
                    &spaces,
                    &names,
                    &spaces,
                    &opens,
                    &ips,
                    &closes,
                ] {
                    text.push_str(part[next() % part.len()]);
                }
                text.push_str(pieces[next() % pieces.len()]);
            }
            let found = find_remote_host(&text);
            assert_eq!(found, remote_host_by_regex(&text), "{text:?}");
            match found {
                (Some(_), _) => named += 1,
                (None, Some(_)) => bare += 1,
                _ => {}
            }
        }
        // Both patterns were exercised, not only the misses.
        assert!(named > 500 && bare > 500, "{named} {bare}");
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

    /// The stage as read from the capture groups, before `stage_of_match`.
    fn stage_of_captures(caps: &regex::Captures<'_>) -> (Stage, bool) {
        if caps.get(3).is_some() {
            return (Stage::MailFrom, false);
        }
        if caps.get(4).is_some() {
            return (Stage::RcptTo, false);
        }
        if caps.get(5).is_some() {
            return (Stage::Connect, true);
        }
        let word = caps
            .get(1)
            .or_else(|| caps.get(2))
            .map_or("", |m| m.as_str());
        let stage = match word {
            "mail from" | "mail-from" => Stage::MailFrom,
            "rcpt to" | "rcpt-to" | "rcpt" => Stage::RcptTo,
            "ehlo" | "helo" | "lhlo" => Stage::Helo,
            "initial connection" | "connection greeting" | "greeting" | "banner" => Stage::Connect,
            _ => Stage::Data,
        };
        (stage, true)
    }

    /// The commands STAGE names after a lead-in (`in reply to`, `after`, ...).
    const STAGE_COMMANDS: [&str; 15] = [
        "end of data",
        "end of message",
        "mail from",
        "mail-from",
        "rcpt to",
        "rcpt-to",
        "rcpt",
        "data",
        "ehlo",
        "helo",
        "lhlo",
        "initial connection",
        "connection greeting",
        "greeting",
        "banner",
    ];

    /// Every match's stage read from its text equals the one its capture groups give, on
    /// texts built from the pattern's pieces.
    /// The greeting and EHLO/HELO are stages too, as Exim, Postfix and a client word them.
    #[test]
    fn connection_and_helo_stages() {
        let cases = [
            (
                "SMTP error from remote mail server after initial connection: 554 5.7.1 go away",
                Stage::Connect,
            ),
            (
                "host mx.far.example[192.0.2.1] refused to talk to me: 554 5.7.1 blocked",
                Stage::Connect,
            ),
            (
                "host mx.far.example[192.0.2.1] said: 550 5.7.1 bad HELO (in reply to EHLO command)",
                Stage::Helo,
            ),
            (
                "SMTP error from remote mail server after EHLO web01.example: 501 5.5.4 invalid",
                Stage::Helo,
            ),
            (
                "SMTP ERROR: EHLO command failed: 550 not allowed",
                Stage::Helo,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(find_stage(text), Some(want), "{text}");
        }
    }

    #[test]
    fn stage_of_match_agrees_with_captures() {
        let leads = [
            "in reply to",
            "after",
            "during",
            ">>>",
            "responding to",
            "the",
        ];
        let others = [
            "command",
            "failed",
            "rejected",
            "error",
            "response",
            "sender",
            "was",
            "address",
            "does not like recipient",
            "recipient address rejected",
            "refused to talk to me",
            "connection",
            "x",
            ":",
            "  ",
            "\t",
            "datax",
            "rcpts",
            "from",
            "end",
            "of",
        ];
        let pieces: Vec<&str> = leads
            .into_iter()
            .chain(STAGE_COMMANDS)
            .chain(others)
            .collect();
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let n = 1 + next() % 8;
            let text = (0..n)
                .map(|_| pieces[next() % pieces.len()])
                .collect::<Vec<_>>()
                .join(if next().is_multiple_of(4) { "" } else { " " });
            let by_text: Vec<_> = STAGE
                .find_iter(&text)
                .map(|m| stage_of_match(m.as_str()))
                .collect();
            let by_captures: Vec<_> = STAGE
                .captures_iter(&text)
                .map(|c| stage_of_captures(&c))
                .collect();
            assert_eq!(by_text, by_captures, "{text:?}");
        }
    }

    #[test]
    fn stage_words() {
        assert_eq!(
            find_stage("(in reply to MAIL FROM command)"),
            Some(Stage::MailFrom)
        );
        assert_eq!(
            find_stage("after RCPT TO:<a@b.example>"),
            Some(Stage::RcptTo)
        );
        assert_eq!(
            find_stage("in reply to end of DATA command"),
            Some(Stage::Data)
        );
        assert_eq!(
            find_stage("SMTP ERROR: MAIL FROM command failed: 553"),
            Some(Stage::MailFrom)
        );
        // No command word at all: the stage pre-check must still let it through.
        assert_eq!(
            find_stage("550 rejected after End Of Message"),
            Some(Stage::Data)
        );
    }

    /// Every phrase the stage pattern can match passes the cheap word check first: the
    /// check is only worth having if it is a necessary condition.
    #[test]
    fn stage_word_check_passes_every_stage_phrase() {
        let leads = [
            "in reply to ",
            "after ",
            "during ",
            ">>> ",
            "responding to ",
        ];
        for lead in leads {
            for the in ["", "the "] {
                for command in STAGE_COMMANDS {
                    let phrase = format!("{lead}{the}{command}").to_ascii_uppercase();
                    assert!(STAGE.is_match(&phrase.to_ascii_lowercase()), "{phrase}");
                    assert!(mentions_stage_word(&phrase), "{phrase}");
                }
            }
        }
        for phrase in [
            "sender rejected",
            "Does not like recipient",
            "MAIL FROM response",
            "refused to talk to me",
            "EHLO command failed",
        ] {
            assert!(mentions_stage_word(phrase), "{phrase}");
        }
    }
}
