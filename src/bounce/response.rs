//! SMTP reply text: one response isolated from the text around it (its code, status and
//! words), and unfolding. The scanners it uses live in `scan/`.

use std::sync::LazyLock;

use regex::Regex;

use super::pattern::re;
use super::scan::{find_failure_code, find_reply_code, find_status};

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

/// PHPMailer's error names the reply's parts out of order: `SMTP server error: MAIL FROM
/// command failed Detail: <words> SMTP code: 553 Additional SMTP info: 5.7.1`. The reply
/// put back together (`553 5.7.1 <words>`), when `text` is such an error.
fn phpmailer_error(text: &str) -> Option<String> {
    let (_, after_detail) = text.split_once("Detail: ")?;
    let (words, after_code) = after_detail.split_once(" SMTP code: ")?;
    let code = after_code
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))?;
    let status = after_code
        .split_once("Additional SMTP info: ")
        .and_then(|(_, info)| info.split_whitespace().next())
        .filter(|s| find_status(s).is_some());
    Some(match status {
        Some(status) => format!("{code} {status} {}", words.trim()),
        None => format!("{code} {}", words.trim()),
    })
}

/// Net::SMTP's callers (Znuny's and OTRS's communication log) give the reply as `Code: 550,
/// Message: 5.1.1 <words>`. The reply put back together (`550 5.1.1 <words>`).
fn code_and_message(text: &str) -> Option<String> {
    let (_, after) = text.split_once("Code: ")?;
    let (code, words) = after.split_once(", Message: ")?;
    let code = code.trim();
    (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) && code.starts_with(['4', '5']))
        .then(|| format!("{code} {}", words.trim()))
}

/// Symfony Mailer's and Swift Mailer's transport error quotes the code it expected, the code
/// it got, then the reply: `Expected response code "250" but got code "550", with message
/// "550 5.7.64 Relay Access Denied".`. The reply, when it opens with a code.
fn mailer_s_quoted_reply(text: &str) -> Option<&str> {
    // In a JSON log the quotes are escaped (`with message \"553 ...\".`).
    let (_, after) = text
        .split_once(", with message \"")
        .or_else(|| text.split_once(", with message \\\""))?;
    // The closing quote ends the sentence (`".`); a JSON log escapes it (`\".`).
    let end = after
        .match_indices('"')
        .map(|(at, _)| at)
        .find(|&at| {
            matches!(
                after.as_bytes().get(at + 1),
                None | Some(b'.' | b',' | b' ')
            )
        })
        .unwrap_or(after.len());
    let reply = after[..end].trim_end_matches('\\').trim();
    find_reply_code(reply)
        .is_some_and(|(at, _)| at == 0)
        .then_some(reply)
}

/// Pull the server's response out of a piece of bounce text (already unfolded).
///
/// Exchange re-codes remote errors as `550 5.1.351 Remote server returned ... -> 553 ...`:
/// the part after the last `->` with a code is the remote's own response and wins.
pub fn extract(text: &str) -> Response {
    let text = clip(text, MAX_RESPONSE_BYTES).trim();
    if let Some(reply) = phpmailer_error(text) {
        return extract(&reply);
    }
    if let Some(reply) = mailer_s_quoted_reply(text) {
        return extract(reply);
    }
    if let Some(reply) = code_and_message(text) {
        return extract(&reply);
    }
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

/// Drop a trailing `'` or `"` left over from `Remote Server returned '...'`: one that closes
/// no quote the reply itself opened (Sendmail's `Unbalanced '"'`, Exim's `for 'host'` and
/// `responded with: "421 ..."` keep theirs).
fn trim_trailing_noise(text: &str) -> &str {
    let mut t = text.trim();
    while let Some(quote) = t.chars().next_back().filter(|c| matches!(c, '\'' | '"')) {
        let body = &t[..t.len() - 1];
        // The quote before it opens a quoted part when it follows a space, `(` or `=` (or
        // starts the text) and comes before a character: a closing quote or an apostrophe
        // (`Recipient's`) follows a letter.
        let opened = body.rfind(quote).is_some_and(|at| {
            let before = body[..at].chars().next_back();
            let after = body[at + 1..].chars().next();
            before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '=' | ':'))
                && after.is_some_and(|c| !c.is_whitespace())
        });
        if opened {
            break;
        }
        t = body.trim_end();
    }
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

/// Join folded lines into one: trim each, single spaces between. Multi-line replies
/// (`553-first`, `553 last`) lose the repeated code of their continuation lines.
pub fn unfold<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut multi_code: Option<&str> = None;
    // The enhanced status the reply's first line gives: Gmail and others repeat it on
    // every continuation line (`550-5.1.1 ... Please try` / `550-5.1.1 double-checking`).
    let mut multi_status: Option<&str> = None;
    for line in lines {
        let mut t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(code) = multiline_code(t) {
            let rest = t.get(4..).unwrap_or("").trim_start();
            let status = rest
                .split_whitespace()
                .next()
                .filter(|s| super::scan::is_status_word(s));
            match multi_code {
                Some(prev) if prev == code => {
                    t = match (status, multi_status) {
                        (Some(s), Some(first)) if s == first => {
                            rest.get(s.len()..).unwrap_or("").trim_start()
                        }
                        _ => rest,
                    };
                }
                _ => {
                    multi_code = Some(code);
                    multi_status = status;
                }
            }
        } else if multi_code.is_none()
            && let Some((at, _)) = find_failure_code(t)
            && t.as_bytes().get(at + 3) == Some(&b'-')
        {
            // The reply's first line after a client's words (`...Exception: 553-5.1.3 The
            // recipient`): its continuation lines repeat its code and status.
            let rest = t.get(at + 4..).unwrap_or("").trim_start();
            multi_code = t.get(at..at + 3);
            multi_status = rest
                .split_whitespace()
                .next()
                .filter(|s| super::scan::is_status_word(s));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_recoding_keeps_the_inner_response() {
        let r =
            extract("550 5.1.351 Remote server returned an error -> 553 5.7.1 not owned by user x");
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        assert!(r.text.starts_with("553 5.7.1"));
    }

    #[test]
    fn phpmailer_s_error_puts_the_reply_back_together() {
        let r = extract(
            "ErrorInfo: SMTP Error: Could not send message. SMTP server error: MAIL FROM command failed Detail: <a@b.example>: Sender address rejected: not owned by user c@b.example SMTP code: 553 Additional SMTP info: 5.7.1",
        );
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        assert_eq!(
            r.text,
            "553 5.7.1 <a@b.example>: Sender address rejected: not owned by user c@b.example"
        );
        let r = extract("SMTP server error: DATA END command failed Detail: Spam SMTP code: 554");
        assert_eq!((r.reply_code, r.text.as_str()), (Some(554), "554 Spam"));
    }

    #[test]
    fn a_code_and_message_pair_is_one_reply() {
        let r = extract(
            "Could not send envelope to (rcpt to: bob@far.example) to server. Code: 550, Message: 5.1.1 <bob@far.example>: Recipient address rejected: User unknown",
        );
        assert_eq!(r.reply_code, Some(550));
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert_eq!(
            r.text,
            "550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown"
        );
    }

    #[test]
    fn multiline_reply_unfolds_once() {
        let s = unfold(["553-5.7.1 first part", "553 5.7.1 second part"]);
        assert_eq!(s, "553-5.7.1 first part second part");
        // The first line's code after a client's words.
        let s = unfold([
            "SMTPAddressFailedException: 553-5.1.3 The address is not a valid",
            "553-5.1.3 RFC 5321 address.",
            "553 5.1.3 https://support.example/",
        ]);
        assert_eq!(
            s,
            "SMTPAddressFailedException: 553-5.1.3 The address is not a valid RFC 5321 address. https://support.example/"
        );
        // A status that differs from the first line's is the server's text: kept.
        let s = unfold(["550-5.1.1 first", "550-5.7.1 other", "550 last"]);
        assert_eq!(s, "550-5.1.1 first 5.7.1 other last");
    }
}
