//! The remote host (name and address) a response or the lines around it name.

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
        // Postfix's `Client host [ip] blocked using ...` names the sending client, not the
        // server that refused.
        if at >= 7 && b[at - 7..at].eq_ignore_ascii_case(b"client ") {
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
    fn a_client_host_is_not_the_remote() {
        assert_eq!(
            find_remote_host(
                "550 5.7.1 Service unavailable; Client host [192.0.2.41] blocked using bl.example"
            ),
            (None, None)
        );
        assert_eq!(
            find_remote_host(
                "host mx.far.example [198.51.100.9] said: 550 Client host [192.0.2.41] blocked"
            ),
            (
                Some("mx.far.example".to_string()),
                Some("198.51.100.9".to_string())
            )
        );
    }

    use std::sync::LazyLock;

    use regex::Regex;

    use crate::bounce::pattern::re;

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
}
