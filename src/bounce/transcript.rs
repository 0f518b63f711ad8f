//! SMTP session transcripts (telnet, `openssl s_client`, Sendmail's `>>>`/`<<<`, PHPMailer's
//! `CLIENT -> SERVER:` debug output) and a client's error text.

use std::sync::LazyLock;

use regex::Regex;

use super::response::{self, re};
use super::{Action, Bounce, Record, Stage};

/// A client command, after any transcript prefix.
static COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i-u)^(MAIL FROM|RCPT TO|DATA|EHLO|HELO|AUTH|STARTTLS|QUIT|RSET)\b\s*:?\s*<?((?u:[^>\s])*)>?",
    )
});

/// Prefixes that mark who spoke: stripped before reading the line.
const PREFIXES: [&str; 14] = [
    "CLIENT -> SERVER:",
    "SERVER -> CLIENT:",
    // swaks: `<**` an error reply, `<~`/`~>` inside TLS.
    "<**",
    "<~*",
    "<~",
    "~>",
    "C:",
    "S:",
    ">>>",
    "<<<",
    "->",
    "<-",
    "> ",
    "< ",
];

/// Strip a leading timestamp (`2024-01-01 12:00:00`) and a speaker prefix.
fn strip_prefix(line: &str) -> &str {
    let mut t = response::clip(line, response::MAX_RESPONSE_BYTES).trim();
    let b = t.as_bytes();
    if b.len() > 19 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
        t = t.get(19..).unwrap_or("").trim_start_matches(|c: char| {
            c.is_ascii_digit() || c == '.' || c == ':' || c.is_whitespace() || c == '\t'
        });
    }
    for p in PREFIXES {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim();
        }
    }
    t
}

/// Whether the text reads like a session: a client command followed by a server reply.
pub fn detect(lines: &[&str]) -> bool {
    lines.iter().take(500).any(|l| {
        let t = strip_prefix(l);
        COMMAND.captures(t).and_then(|c| c.get(1)).is_some_and(|m| {
            matches!(
                m.as_str().to_ascii_uppercase().as_str(),
                "MAIL FROM" | "RCPT TO"
            )
        })
    })
}

/// Records from a transcript: each 4xx/5xx reply (multi-line ones joined) answers the last
/// command sent.
pub fn parse(lines: &[&str], bounce: &mut Bounce) {
    let mut stage: Option<Stage> = None;
    let mut last_rcpt: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let t = strip_prefix(lines[i]);
        if let Some(c) = COMMAND.captures(t) {
            let verb = c.get(1).map_or("", |m| m.as_str()).to_ascii_uppercase();
            let arg = c.get(2).map_or("", |m| m.as_str()).to_string();
            match verb.as_str() {
                "MAIL FROM" => {
                    stage = Some(Stage::MailFrom);
                    if !arg.is_empty() {
                        bounce.sender.get_or_insert(arg);
                    }
                }
                "RCPT TO" => {
                    stage = Some(Stage::RcptTo);
                    last_rcpt = Some(arg).filter(|a| !a.is_empty());
                }
                "DATA" => stage = Some(Stage::Data),
                _ => stage = None,
            }
            i += 1;
            continue;
        }
        match response::find_reply_code(t) {
            Some((0, code)) if code >= 400 => {
                let start = i;
                let code_text = t.get(..3).unwrap_or("");
                let mut parts = vec![t];
                // `553-...` continues until the line with `553 `.
                let mut current = t;
                while current.as_bytes().get(3) == Some(&b'-') {
                    let Some(next) = lines.get(i + 1).map(|l| strip_prefix(l)) else {
                        break;
                    };
                    if next.get(..3) != Some(code_text) {
                        break;
                    }
                    i += 1;
                    parts.push(next);
                    current = next;
                }
                let r = response::extract(&response::unfold(parts));
                bounce.records.push(Record {
                    recipient: if stage == Some(Stage::RcptTo) {
                        last_rcpt.clone()
                    } else {
                        None
                    },
                    reply_code: r.reply_code,
                    status: r.status,
                    diagnostic: Some(r.text),
                    stage,
                    action: Action::Failed,
                    source_line: Some(start),
                    ..Record::default()
                });
            }
            _ => {}
        }
        i += 1;
    }
}

/// A client's error text or a bare response line: the first line holding a failure reply
/// (`SMTP ERROR: MAIL FROM command failed: 553 ...`, `The server responded: 553 ...`).
pub fn error_text(lines: &[&str], bounce: &mut Bounce) {
    let Some((n, line)) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| response::find_failure_code(l).is_some())
    else {
        return;
    };
    // A multi-line reply pasted as is: join its lines.
    let mut parts = vec![response::clip(line, response::MAX_RESPONSE_BYTES).trim()];
    let code = response::find_failure_code(line).map(|(_, c)| c);
    for next in lines.iter().skip(n + 1).take(64) {
        let t = response::clip(next, response::MAX_RESPONSE_BYTES).trim();
        let next_code = response::find_reply_code(t);
        if t.is_empty() || next_code.is_none_or(|(at, c)| at != 0 || Some(c) != code) {
            break;
        }
        parts.push(t);
    }
    let joined = response::unfold(parts);
    let r = response::extract(&joined);
    let stage = response::find_stage(&joined);
    // At MAIL FROM the address in the reply is the sender's, not a recipient.
    let recipient = address_in(&r.text).filter(|_| stage != Some(Stage::MailFrom));
    bounce.records.push(Record {
        recipient,
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text),
        stage,
        action: Action::Failed,
        source_line: Some(n),
        ..Record::default()
    });
}

fn address_in(text: &str) -> Option<String> {
    static ADDR: LazyLock<Regex> = LazyLock::new(|| re(r"<([^<>\s@]+@[^<>\s@]+)>"));
    ADDR.captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}
