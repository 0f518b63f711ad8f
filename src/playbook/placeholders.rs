//! `{placeholders}` in step commands, filled from the parsed bounce.
//!
//! Commands are shown and copied, never executed, but the agent pastes them into a root
//! shell on a mail server, and the values come from an untrusted bounce. So a value is used
//! only when every character of it is inert in a shell (letters, digits and `. @ _ + - = % :`,
//! not starting with `-` or `=`, which a command would read as an option or zsh would
//! expand); otherwise, and when the bounce does not have the value, the placeholder becomes
//! its name in capitals (`RECIPIENT_DOMAIN`). A value is never trimmed of its odd characters
//! instead: `a;rm -rf /@x` stripped would be a different address, and grepping logs for it
//! would mislead. The capitalised marker is also shell-inert, unlike `<recipient>`, which a
//! shell reads as two redirections and which would truncate the log file it was meant to
//! search.
//!
//! Syntax: `{name}` with `name` in lower-case letters and `_`; `{{` and `}}` stand for literal
//! braces (`awk '{{print $1}}'`). Any other brace is literal text.

use crate::bounce::{Bounce, Record};

/// One placeholder a command may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub description: &'static str,
}

/// Every placeholder a step command may use, in the order the README lists them.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        name: "sender",
        description: "envelope sender of the bounced message (header From when the envelope sender is unknown)",
    },
    Placeholder {
        name: "sender_domain",
        description: "domain part of {sender}",
    },
    Placeholder {
        name: "header_from",
        description: "address in the From: header of the returned original",
    },
    Placeholder {
        name: "recipient",
        description: "the failed recipient of the record being worked",
    },
    Placeholder {
        name: "recipient_domain",
        description: "domain part of {recipient}",
    },
    Placeholder {
        name: "remote_host",
        description: "host name of the server that refused the message",
    },
    Placeholder {
        name: "remote_ip",
        description: "IP address of the server that refused the message",
    },
    Placeholder {
        name: "reporting_mta",
        description: "the server that wrote the bounce (usually the hosting server)",
    },
    Placeholder {
        name: "queue_id",
        description: "queue id of the message on the reporting server (Exim or Postfix)",
    },
    Placeholder {
        name: "message_id",
        description: "Message-ID of the original message, without angle brackets",
    },
    Placeholder {
        name: "reply_code",
        description: "the SMTP reply code, e.g. 553",
    },
    Placeholder {
        name: "status",
        description: "the enhanced status code, e.g. 5.7.1",
    },
    Placeholder {
        name: "sending_ip",
        description: "the IP address the message left from, when the bounce shows it",
    },
    Placeholder {
        name: "submission_host",
        description: "the customer's own outgoing (submission) server, from the account's mail settings; never taken from the bounce (saved in the ticket's values)",
    },
];

/// Placeholders naming a server that may not be the customer's: the one that refused, the
/// recipient's domain, the server that wrote the report (a remote provider's, when the
/// customer sent through it). A command that logs in (SMTP AUTH) must never carry one of
/// these: the customer's credentials would go to a server that is not theirs. An AUTH test
/// targets `{submission_host}`. `playbooks check` enforces it.
pub const NOT_THEIR_SERVER: &[&str] = &[
    "remote_host",
    "remote_ip",
    "recipient_domain",
    "reporting_mta",
];

/// Whether a command sends credentials: swaks `--auth`/`-a`/`--auth-user`/`-au`, curl's
/// `--user`/`-u` with smtp, an `AUTH` command, `openssl s_client` (used for manual AUTH).
pub fn sends_credentials(command: &str) -> bool {
    let lower = command.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ';' || c == '|' || c == '&')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "--auth"
                | "-a"
                | "--auth-user"
                | "-au"
                | "--auth-password"
                | "-ap"
                | "auth"
                | "s_client"
        ) || w.starts_with("--auth")
            || w.starts_with("--login")
    }) || (lower.contains("smtp") && words.iter().any(|w| matches!(*w, "-u" | "--user")))
}

/// Longest value used; anything longer (no address is over 254 octets) becomes the marker.
const MAX_VALUE_CHARS: usize = 255;

/// One piece of a command template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    Text(&'t str),
    /// `{name}` with the byte offset of its `{` in the template.
    Placeholder {
        name: &'t str,
        offset: usize,
    },
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_lowercase() || c == b'_'
}

/// Split a template into literal text and placeholders (`{{` / `}}` are literal braces).
pub(crate) fn pieces(template: &str) -> Vec<Piece<'_>> {
    let bytes = template.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let doubled = |b: u8| bytes.get(i + 1) == Some(&b);
        match bytes[i] {
            b'{' if doubled(b'{') => {
                out.push(Piece::Text(&template[text_start..=i]));
                i += 2;
                text_start = i;
            }
            b'}' if doubled(b'}') => {
                out.push(Piece::Text(&template[text_start..=i]));
                i += 2;
                text_start = i;
            }
            b'{' => {
                let name_len = bytes[i + 1..]
                    .iter()
                    .take_while(|&&c| is_name_char(c))
                    .count();
                let close = i + 1 + name_len;
                if name_len > 0 && bytes.get(close) == Some(&b'}') {
                    out.push(Piece::Text(&template[text_start..i]));
                    out.push(Piece::Placeholder {
                        name: &template[i + 1..close],
                        offset: i,
                    });
                    i = close + 1;
                    text_start = i;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.push(Piece::Text(&template[text_start..]));
    out.retain(|p| !matches!(p, Piece::Text("")));
    out
}

/// Whether `name` is a placeholder this version knows.
pub fn is_known(name: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| p.name == name)
}

/// The visible, shell-inert stand-in for a value the bounce does not (safely) provide.
fn marker(name: &str) -> String {
    name.to_ascii_uppercase()
}

/// `Name <a@b>` → `a@b`; `rfc822; a@b` → `a@b`; `<id@host>` → `id@host`.
fn bare_address(raw: &str) -> &str {
    let mut s = raw.trim();
    if let Some((kind, rest)) = s.split_once(';')
        && kind.trim().eq_ignore_ascii_case("rfc822")
    {
        s = rest.trim();
    }
    if let (Some(open), Some(close)) = (s.rfind('<'), s.rfind('>'))
        && open < close
    {
        s = s[open + 1..close].trim();
    }
    s
}

/// `dns; mx.example.com` → `mx.example.com`; `[192.0.2.1]` → `192.0.2.1`.
fn bare_host(raw: &str) -> &str {
    let mut s = raw.trim();
    if let Some((kind, rest)) = s.split_once(';')
        && kind.trim().eq_ignore_ascii_case("dns")
    {
        s = rest.trim();
    }
    let s = s.split_whitespace().next().unwrap_or("");
    s.strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(s)
}

fn domain_of(address: &str) -> Option<&str> {
    address.rsplit_once('@').map(|(_, domain)| domain)
}

/// The value as it may go into a command, or `None` when it is missing or not shell-inert.
fn shell_inert(value: &str) -> Option<&str> {
    let inert_char = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '.' | '@' | '_' | '+' | '-' | '=' | '%' | ':')
            || (!c.is_ascii() && c.is_alphanumeric())
    };
    let ok = !value.is_empty()
        && value.chars().count() <= MAX_VALUE_CHARS
        && !value.starts_with(['-', '='])
        && value.chars().all(inert_char);
    ok.then_some(value)
}

/// The raw value of a placeholder for this bounce and record, before the safety check.
pub(crate) fn raw_value(name: &str, bounce: &Bounce, record: &Record) -> Option<String> {
    let sender = || {
        bounce
            .sender
            .as_deref()
            .map(bare_address)
            .filter(|s| !s.is_empty())
            .or_else(|| bounce.header_from.as_deref().map(bare_address))
    };
    let recipient = || record.recipient.as_deref().map(bare_address);
    let value = match name {
        "sender" => sender()?.to_string(),
        "sender_domain" => domain_of(sender()?)?.to_string(),
        "header_from" => bare_address(bounce.header_from.as_deref()?).to_string(),
        "recipient" => recipient()?.to_string(),
        "recipient_domain" => domain_of(recipient()?)?.to_string(),
        "remote_host" => bare_host(record.remote_host.as_deref()?).to_string(),
        "remote_ip" => bare_host(record.remote_ip.as_deref()?).to_string(),
        "reporting_mta" => bare_host(bounce.reporting_mta.as_deref()?).to_string(),
        "queue_id" => bounce.queue_id.as_deref()?.trim().to_string(),
        "message_id" => bare_address(bounce.message_id.as_deref()?).to_string(),
        "reply_code" => record.reply_code?.to_string(),
        "status" => record.status.as_deref()?.trim().to_string(),
        "sending_ip" => bounce.facts.sending_ip?.to_string(),
        // Only ever what the agent typed: a guess here could send credentials elsewhere.
        "submission_host" => return None,
        _ => return None,
    };
    Some(value)
}

/// The value as it may go into a command, when it is shell-inert.
pub(crate) fn shell_value(raw: &str) -> Option<String> {
    shell_inert(raw).map(str::to_string)
}

/// The visible stand-in for a missing value, as [`fill_placeholders`] writes it.
pub(crate) fn missing_marker(name: &str) -> String {
    marker(name)
}

/// The value to put in a command, if the bounce has a shell-inert one.
pub fn value(name: &str, bounce: &Bounce, record: &Record) -> Option<String> {
    let raw = raw_value(name, bounce, record)?;
    shell_inert(&raw).map(str::to_string)
}

/// Fill `{placeholders}` in a step command from the parsed bounce. A value that is missing or
/// not safe to paste into a shell becomes the placeholder's name in capitals
/// (`RECIPIENT_DOMAIN`); unknown names (which `playbooks check` rejects) stay as written.
pub fn fill_placeholders(template: &str, bounce: &Bounce, record: &Record) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder { name, .. } if is_known(name) => {
                match value(name, bounce, record) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&marker(name)),
                }
            }
            Piece::Placeholder { name, .. } => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
    }
    out
}

/// The known placeholders in `template` that [`fill_placeholders`] would leave as markers,
/// so the UI can say "fill in RECIPIENT_DOMAIN before running this". Each name once.
pub fn missing_placeholders(template: &str, bounce: &Bounce, record: &Record) -> Vec<&'static str> {
    let mut missing: Vec<&'static str> = Vec::new();
    for piece in pieces(template) {
        if let Piece::Placeholder { name, .. } = piece
            && let Some(known) = PLACEHOLDERS.iter().find(|p| p.name == name)
            && value(name, bounce, record).is_none()
            && !missing.contains(&known.name)
        {
            missing.push(known.name);
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_split_placeholders_and_keep_doubled_braces_literal() {
        let got = pieces("awk '{{print $1}}' {sender} {Not} {x-y}");
        assert_eq!(
            got,
            vec![
                Piece::Text("awk '{"),
                Piece::Text("print $1}"),
                Piece::Text("' "),
                Piece::Placeholder {
                    name: "sender",
                    offset: 19
                },
                Piece::Text(" {Not} {x-y}"),
            ]
        );
    }

    #[test]
    fn shell_metacharacters_make_the_value_a_marker() {
        for bad in [
            "a;rm -rf /@x.example",
            "`id`@x.example",
            "$(id)@x.example",
            "a\nb@x.example",
            "a|b@x.example",
            "-rf@x.example",
            "a'b@x.example",
            "a b@x.example",
            "a>b@x.example",
            "a\u{1b}[31m@x.example",
        ] {
            assert_eq!(shell_inert(bad), None, "{bad:?}");
        }
        assert_eq!(
            shell_inert("o.k+tag@xn--bcher-kva.example"),
            Some("o.k+tag@xn--bcher-kva.example")
        );
        assert_eq!(shell_inert("2001:db8::1"), Some("2001:db8::1"));
    }

    #[test]
    fn addresses_and_hosts_lose_their_wrapping() {
        assert_eq!(bare_address("Jo <jo@x.example>"), "jo@x.example");
        assert_eq!(bare_address("rfc822; jo@x.example"), "jo@x.example");
        assert_eq!(bare_host("dns; mx.x.example"), "mx.x.example");
        assert_eq!(bare_host("[192.0.2.7]"), "192.0.2.7");
    }
}
