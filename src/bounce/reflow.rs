//! A bounce whose line breaks were lost on the way to the agent (a web form or a chat that
//! joins lines): the whole report on one long line. The readers work on lines, so the
//! breaks are put back where a report's fields and header lines start (RFC 3464 and
//! RFC 5322 field names, written as the programs write them) and before a Postfix-style
//! `<address>:` verdict.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::pattern::re;

/// A line at least this long, in a text of at most [`MAX_LINES`] lines, may be a flattened
/// report.
const LONG_LINE: usize = 600;
const MAX_LINES: usize = 3;
/// Field starts needed before the text is taken for a flattened report.
const MIN_FIELDS: usize = 3;

/// Field names at whose start a flattened report had a line break.
const FIELDS: &[&str] = &[
    "Reporting-MTA:",
    "Received-From-MTA:",
    "Arrival-Date:",
    "Original-Envelope-Id:",
    "Final-Recipient:",
    "Original-Recipient:",
    "Action:",
    "Status:",
    "Remote-MTA:",
    "Diagnostic-Code:",
    "Last-Attempt-Date:",
    "X-Postfix-Queue-ID:",
    "X-Postfix-Sender:",
    "Return-Path:",
    "Received:",
    "DKIM-Signature:",
    "Message-ID:",
    "Message-Id:",
    "Date:",
    "From:",
    "To:",
    "Subject:",
    "MIME-Version:",
    "Content-Type:",
    "Content-Transfer-Encoding:",
    "Content-Description:",
];

/// The text with its line breaks put back, when it is a flattened report; `None` when it
/// is not (nothing to change).
pub fn unflatten(text: &str) -> Option<String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let long = lines
        .by_ref()
        .take(MAX_LINES + 1)
        .filter(|l| l.len() >= LONG_LINE)
        .count();
    if long == 0
        || text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .nth(MAX_LINES)
            .is_some()
    {
        return None;
    }
    // Field names first, with a literal search: a long line of anything else (a 5 MB
    // address) is not scanned by the regex below, whose address branch would run its length.
    static NAMES: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new(FIELDS.iter().map(|f| format!(" {f}")))
            .expect("a few dozen field names always build")
    });
    if NAMES.find_iter(text).take(MIN_FIELDS - 1).count() < MIN_FIELDS - 1 {
        return None;
    }
    static START: LazyLock<Regex> = LazyLock::new(|| {
        let names: Vec<String> = FIELDS.iter().map(|f| regex::escape(f)).collect();
        // A field name after a space (where its line began), or a `<address>:` verdict.
        re(&format!(
            r" (?:(?:{})|<[^<>\s@]+@[^<>\s]+>: )",
            names.join("|")
        ))
    });
    let starts: Vec<usize> = START.find_iter(text).map(|m| m.start()).collect();
    if starts.len() < MIN_FIELDS {
        return None;
    }
    static ADDRESS_VALUE: LazyLock<Regex> =
        LazyLock::new(|| re(r"^ (?:From|To): (?:[^<>\s]*\s)*?<?[^<>\s@]+@[^<>\s]+>?"));
    let mut out = String::with_capacity(text.len() + starts.len());
    let mut from = 0;
    for at in starts {
        if at < from {
            continue;
        }
        out.push_str(&text[from..at]);
        out.push('\n');
        from = at + 1;
        // A header's address value ends the line: the report's prose ran on after it.
        if let Some(m) = ADDRESS_VALUE.find(&text[at..]) {
            out.push_str(&text[at + 1..at + m.end()]);
            out.push('\n');
            from = at + m.end();
            if text[from..].starts_with(' ') {
                from += 1;
            }
        }
    }
    out.push_str(&text[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_report_gets_its_lines_back() {
        let pad = "x".repeat(LONG_LINE);
        let text = format!(
            "Mail Delivery System To: kim@near.example This is the mail system. The mail system <ann@far.example>: Host or domain name not found Reporting-MTA: dns; mx.near.example Final-Recipient: rfc822; ann@far.example Action: failed Status: 5.4.4 {pad}"
        );
        let got = unflatten(&text).expect("flattened");
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines[0], "Mail Delivery System");
        assert_eq!(lines[1], "To: kim@near.example");
        assert_eq!(lines[2], "This is the mail system. The mail system");
        assert_eq!(lines[3], "<ann@far.example>: Host or domain name not found");
        assert_eq!(lines[4], "Reporting-MTA: dns; mx.near.example");
        assert!(lines[7].starts_with("Status: 5.4.4"));
    }

    #[test]
    fn text_with_its_lines_or_without_fields_is_left_alone() {
        assert_eq!(unflatten("a\nb\nc\nd\n"), None);
        assert_eq!(unflatten(&"word ".repeat(400)), None);
        let short = "Reporting-MTA: x Final-Recipient: y Action: failed Status: 5.0.0";
        assert_eq!(unflatten(short), None);
    }
}
