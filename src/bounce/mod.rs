//! Parsing pasted text into a [`Bounce`]: one [`Record`] per failed recipient plus the
//! per-message facts (sender, timestamp, ids). No I/O and no UI here: text in, values out.

pub mod address;
mod binary;
mod decode;
mod dsn;
pub mod facts;
mod lines;
mod log;
mod mime;
mod model;
mod normalise;
mod report;
mod response;
mod rfc5322;
mod ses;
#[cfg(test)]
mod test_rng;
mod text;
mod time;
mod transcript;
mod vocabulary;

use std::borrow::Cow;

pub use model::{Action, Bounce, Format, Record, Stage};
use report::Report;

/// Inputs beyond this many bytes are parsed only up to the limit (with a warning): a bounce's
/// useful parts sit at the top, and the parser must stay fast on a 50 MB paste.
pub const MAX_PARSE_BYTES: usize = 8 * 1024 * 1024;

/// The mail-parser configuration every message goes through (see `mime.rs`): public so
/// that the parse bench can measure mail-parser's share of a message's time.
pub fn message_parser() -> &'static mail_parser::MessageParser {
    &rfc5322::PARSER
}

/// `text` with every line-break form (LF, CRLF, CR, CR CR from a CRLF text pasted through a
/// terminal, mixed) turned into LF, as [`parse`] reads it (parse also drops stray control
/// bytes; this keeps them, for a display's sanitizer to show or hide). For callers that keep or show the
/// pasted text, so that what they keep is what was parsed.
pub fn normalise_line_breaks(text: &str) -> Cow<'_, str> {
    match normalise::line_breaks(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only ASCII bytes were replaced or removed, so this is still UTF-8.
        Cow::Owned(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

/// [`normalise_line_breaks`] for a caller that owns the text (a paste): rewritten in place.
pub fn normalise_line_breaks_owned(text: String) -> String {
    // Only CR bytes were replaced or removed, so this is still UTF-8.
    String::from_utf8(normalise::line_breaks_owned(text.into_bytes()))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Why a paste could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the input is empty")]
    Empty,
    #[error("the input looks like binary data, not a bounce ({0})")]
    Binary(String),
}

/// Parse pasted text (any of the formats the README lists). Never panics; linear in the input.
/// Every caller's bytes go through [`normalise_line_breaks`]'s rules first, so a paste, a
/// file and stdin read alike.
pub fn parse(input: &[u8]) -> Result<Bounce, ParseError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let mut warnings = Vec::new();
    let input = if input.len() > MAX_PARSE_BYTES {
        warnings.push(format!(
            "the input is {} bytes; only the first {} were read",
            input.len(),
            MAX_PARSE_BYTES
        ));
        &input[..MAX_PARSE_BYTES]
    } else {
        input
    };
    if let Some(why) = binary::why_binary(input) {
        return Err(ParseError::Binary(why));
    }
    let (normalised, dropped) = normalise::normalise(input);
    let input: &[u8] = &normalised;
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    warnings.extend(dropped);
    // Valid UTF-8 (most pastes) is checked at full speed; only other input pays for repair.
    let text = match std::str::from_utf8(input) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(input),
    };
    let is_message = looks_like_message(&text);
    if matches!(text, Cow::Owned(_)) && !is_message {
        warnings.push("the input is not valid UTF-8; undecodable bytes were replaced".to_string());
    }
    let mut bounce = Bounce::default();
    let mut human = String::new();
    if is_message && mime::parse(input, &mut bounce, &mut human) {
        if bounce.records.is_empty() {
            // A message whose body is a log excerpt or a transcript pasted by a person.
            let (body_start, body) = body_of(&text);
            let mut inner = Bounce::default();
            parse_plain(body, &mut inner);
            for r in &mut inner.records {
                r.source_line = r.source_line.map(|n| n + body_start);
            }
            bounce.records = inner.records;
        } else {
            locate_lines(&text, &mut bounce.records);
        }
    } else {
        // A body pasted without its message headers keeps its quoted-printable encoding.
        let decoded = decode::plain_paste(&text);
        let plain: &str = decoded.as_deref().unwrap_or(&text);
        let report = parse_plain(plain, &mut bounce);
        // A bounce's body copied without its headers may still carry the original inline.
        if bounce.format == Format::Body
            || (bounce.sender.is_none()
                && matches!(bounce.format, Format::Transcript)
                && !bounce.records.is_empty())
        {
            let report = report.unwrap_or_else(|| Report::new(plain));
            report::complete(&report, &mut bounce, &report::Own::default());
        }
        if bounce.format == Format::Body {
            webmail_header_lines(plain, &mut bounce);
        }
        if decoded.is_some() {
            // Decoding joined lines: the deciding line is looked for again in the paste.
            for r in &mut bounce.records {
                r.source_line = None;
            }
            locate_lines(&text, &mut bounce.records);
        }
    }
    if matches!(bounce.format, Format::Transcript | Format::ErrorText) && bounce.timestamp.is_none()
    {
        stamp_of_failure(&text, &mut bounce);
    }
    if matches!(
        bounce.format,
        Format::Transcript | Format::ErrorText | Format::Body
    ) {
        sender_not_recipient(&mut bounce);
    }
    merge_same_recipient(&mut bounce.records);
    for r in &mut bounce.records {
        clean_recipient(r);
        if let Some(rcpt) = r.recipient.as_deref() {
            r.address_problems = address::check(rcpt);
        }
    }
    bounce.facts = facts::derive(&text, (!human.is_empty()).then_some(&*human), &bounce);
    if bounce.records.is_empty() {
        warnings.push(
            "no bounce found in the text: no failed recipient or server response".to_string(),
        );
    }
    bounce.warnings.extend(warnings);
    Ok(bounce)
}

/// The line where a message's body starts (its first blank line, or 0 when it has none),
/// and the text from that line on.
fn body_of(text: &str) -> (usize, &str) {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if line.trim().is_empty() {
            return (n, &text[offset..]);
        }
        offset += line.len();
    }
    (0, text)
}

/// Text that is not a whole message: logs, transcripts, a webmail body, an error dialog.
/// Returns the text's report when one of the readers needed it split as a report (the
/// caller reads the returned original's headers from the same split).
fn parse_plain<'a>(text: &'a str, bounce: &mut Bounce) -> Option<Report<'a>> {
    let lines: Vec<&str> = text.lines().collect();
    let lines = &lines[..];
    if log::detect(lines) {
        log::parse(lines, bounce);
        if !bounce.records.is_empty() {
            bounce.format = if bounce.reporting_mta.is_some() {
                Format::PostfixLog
            } else {
                Format::EximLog
            };
            return None;
        }
    }
    // An Amazon SES notification pasted from a mailbox or an application's log.
    if let Some(n) = ses::read(text).filter(|n| !n.records.is_empty()) {
        bounce.format = Format::Body;
        bounce.records = n.records;
        bounce.sender = n.sender;
        bounce.reporting_mta = n.reporting_mta;
        bounce.message_id = n.message_id;
        if let Some(when) = n.timestamp {
            bounce.timestamp = time::parse_any(&when);
            bounce.timestamp_raw = Some(when);
        }
        return None;
    }
    let report = Report::new(text);
    let records = text::extract_from(&report, &[], Some(0), None);
    let has_response = records
        .iter()
        .any(|r| r.reply_code.is_some() || r.status.is_some());
    let named = records.iter().any(|r| r.recipient.is_some());
    // Postfix's transcript to the postmaster wraps its lines: read it joined.
    let chat = transcript::postfix_chat(lines);
    let chat_lines: Vec<&str>;
    let session: &[&str] = match &chat {
        Some(c) => {
            chat_lines = c.iter().map(String::as_str).collect();
            &chat_lines
        }
        None => lines,
    };
    let is_session = transcript::detect(session);
    if has_response && named && !is_session {
        bounce.format = Format::Body;
        bounce.records = records;
        return Some(report);
    }
    if is_session {
        let mut t = Bounce::default();
        transcript::parse(session, &mut t);
        if chat.is_some() {
            for r in &mut t.records {
                r.source_line = None;
            }
        }
        // Commands quoted in a report ("RCPT TO: x" under "Message details", after the
        // reply) are no session: a reply that answers no command loses to the report.
        // (A reply before any command, read as the greeting's, answers none either.)
        let answers_a_command = t
            .records
            .iter()
            .any(|r| r.stage.is_some_and(|s| s != Stage::Connect));
        if !t.records.is_empty() && (answers_a_command || !(has_response && named)) {
            bounce.format = Format::Transcript;
            bounce.sender = t.sender;
            bounce.records = t.records;
            return Some(report);
        }
    }
    if has_response && named {
        bounce.format = Format::Body;
        bounce.records = records;
        return Some(report);
    }
    // DSN fields copied as text (a webmail view of a report's parts).
    if !has_response
        && text.contains("inal-Recipient:")
        && let Some(ds) = Some(dsn::parse(text)).filter(|d| !d.recipients.is_empty())
    {
        bounce.format = Format::Body;
        bounce.records = ds.recipients.iter().map(dsn::record_of).collect();
        bounce.reporting_mta = ds
            .message
            .get("reporting-mta")
            .map(|m| dsn::strip_diagnostic_type(m).to_string());
        bounce.queue_id = ds.message.get("x-postfix-queue-id").map(str::to_string);
        bounce.sender = ds
            .message
            .get("x-postfix-sender")
            .map(dsn::strip_address_type)
            .filter(|s| !s.is_empty());
        return Some(report);
    }
    // No recipient named: a dialog's error text or a bare reply line.
    transcript::error_text(lines, bounce);
    if !bounce.records.is_empty() {
        bounce.format = Format::ErrorText;
    } else if has_response {
        bounce.format = Format::Body;
        bounce.records = records;
    } else {
        // Postfix's own verdicts carry no reply code (`<x@y>: mail for y loops back to
        // myself`, a null MX, a DNS failure): its `<recipient>: reason` line is the record.
        let verdicts: Vec<Record> = records
            .into_iter()
            .filter(|r| {
                r.diagnostic.is_some()
                    && r.recipient
                        .as_deref()
                        .is_some_and(|a| postfix_verdict_line(lines, a))
            })
            .collect();
        if !verdicts.is_empty() {
            bounce.format = Format::Body;
            bounce.records = verdicts;
        }
    }
    Some(report)
}

/// Whether a line opens with `<address>:` and words after it, as Postfix's bounce writes
/// each recipient's verdict (`bounce_notify_util`: `<%s>: %s`).
fn postfix_verdict_line(lines: &[&str], address: &str) -> bool {
    lines.iter().take(2000).any(|l| {
        l.trim_start()
            .strip_prefix('<')
            .and_then(|r| {
                r.get(..address.len())
                    .filter(|a| a.eq_ignore_ascii_case(address))
                    .map(|_| &r[address.len()..])
            })
            .and_then(|r| r.strip_prefix(">:"))
            .is_some_and(|reason| reason.trim().len() >= 4)
    })
}

/// One record per failed recipient: a report that names a recipient twice (Sendmail's
/// reason line and its own summary line of the transcript) keeps the first, completed by
/// the later ones.
fn merge_same_recipient(records: &mut Vec<Record>) {
    if records.len() < 2 || records.len() > 256 {
        return;
    }
    let mut kept: Vec<Record> = Vec::with_capacity(records.len());
    for r in records.drain(..) {
        let same = r.recipient.as_deref().and_then(|a| {
            kept.iter_mut().find(|k| {
                k.action == r.action
                    && k.recipient
                        .as_deref()
                        .is_some_and(|b| b.eq_ignore_ascii_case(a))
            })
        });
        match same {
            Some(k) => {
                k.reply_code = k.reply_code.or(r.reply_code);
                k.status = k.status.take().or(r.status);
                k.diagnostic = k.diagnostic.take().or(r.diagnostic);
                k.stage = k.stage.or(r.stage);
                k.remote_host = k.remote_host.take().or(r.remote_host);
                k.remote_ip = k.remote_ip.take().or(r.remote_ip);
                k.source_line = k.source_line.or(r.source_line);
            }
            None => kept.push(r),
        }
    }
    *records = kept;
}

/// A webmail view shows the bounce's own header lines as text above its body (`To: Olga
/// <olga@...>`, or `To: olga@...` under the sender's name and time): that address is the
/// customer's, the original's sender, never a failed recipient.
fn webmail_header_lines(text: &str, bounce: &mut Bounce) {
    let mut own = None;
    for line in text.lines().take(8) {
        let t = line.trim();
        let Some(rest) = t.strip_prefix("To:").or_else(|| t.strip_prefix("to:")) else {
            continue;
        };
        let rest = rest.trim();
        let addr = match (rest.rfind('<'), rest.rfind('>')) {
            (Some(a), Some(b)) if a < b => &rest[a + 1..b],
            _ => rest,
        };
        if addr.contains('@') && !addr.contains(' ') {
            own = Some(addr.to_string());
            break;
        }
    }
    let Some(own) = own else { return };
    let before = bounce.records.len();
    bounce.records.retain(|r| {
        !(r.recipient
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(&own))
            && r.reply_code.is_none()
            && r.status.is_none())
    });
    if bounce.records.is_empty() && before > 0 {
        return;
    }
    if bounce.sender.is_none() {
        bounce.sender = Some(own);
    }
}

/// A client log stamps each line (PHPMailer: `2025-11-30 16:20:02\t...`): the bounce's time
/// is the stamp of the first line that reports a refusal (a 4xx/5xx reply or an error).
fn stamp_of_failure(text: &str, bounce: &mut Bounce) {
    for line in text.lines().take(5000) {
        let Some(stamp) = line.get(..19) else {
            continue;
        };
        let Some(when) = time::parse_log_time(stamp) else {
            continue;
        };
        let rest = line[19..].trim_start();
        let rest = rest
            .strip_prefix("SERVER -> CLIENT:")
            .unwrap_or(rest)
            .trim_start();
        let refusal = rest.starts_with("SMTP ERROR")
            || (rest.len() > 3
                && matches!(rest.as_bytes()[0], b'4' | b'5')
                && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit));
        if refusal {
            bounce.timestamp_raw = Some(stamp.to_string());
            bounce.timestamp = Some(when);
            return;
        }
    }
}

/// `553 5.7.1 <a@b>: Sender address rejected` names the sender, not a recipient: a record
/// whose only address is the one its refusal calls the sender's becomes the bounce's sender.
fn sender_not_recipient(bounce: &mut Bounce) {
    for r in &mut bounce.records {
        let (Some(rcpt), Some(diag)) = (r.recipient.as_deref(), r.diagnostic.as_deref()) else {
            continue;
        };
        let lower = diag.to_ascii_lowercase();
        let names_sender = vocabulary::words("sender-refusals")
            .iter()
            .any(|w| lower.contains(w));
        let at_recipient = r.stage == Some(Stage::RcptTo);
        if names_sender && !at_recipient && lower.contains(&rcpt.to_ascii_lowercase()) {
            if bounce.sender.is_none() {
                bounce.sender = r.recipient.take();
            } else {
                r.recipient = None;
            }
        }
    }
}

/// The recipient as an address: stray quotes and brackets, an address type (`rfc822;`) and
/// Exchange's X.400 `SMTP=`/`SMTP:` forms taken off; a Final-Recipient that is a local
/// daemon or alias (a domain without a dot: `user@sims-ms-daemon`) gives way to the
/// Original-Recipient the sender wrote.
fn clean_recipient(r: &mut Record) {
    for addr in [&mut r.recipient, &mut r.original_recipient] {
        if let Some(a) = addr.as_mut() {
            let cleaned = clean_address(a);
            if cleaned != *a {
                *a = cleaned;
            }
        }
    }
    let local_target = |a: &str| {
        a.rsplit_once('@')
            .is_none_or(|(_, domain)| !domain.contains('.') || domain.ends_with(".localdomain"))
    };
    if let (Some(rcpt), Some(orig)) = (&r.recipient, &r.original_recipient)
        && local_target(rcpt)
        && !local_target(orig)
    {
        let rcpt = rcpt.clone();
        r.recipient = Some(orig.clone());
        r.original_recipient = Some(rcpt);
    }
}

fn clean_address(a: &str) -> String {
    let mut t = a.trim();
    // An address type, as a DSN field writes it.
    if let Some((kind, rest)) = t.split_once(';')
        && kind.trim().eq_ignore_ascii_case("rfc822")
    {
        t = rest.trim();
    }
    let stray = |c: char| {
        matches!(
            c,
            '"' | '\'' | '`' | '<' | '>' | ' ' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}'
        )
    };
    t = t.trim_matches(|c: char| c != '"' && stray(c));
    // A quoted local part (RFC 5321 4.1.2: `"john..doe"@host`) keeps its quotes: they are
    // part of the address. Other quotes around or in front of it are stray.
    if !is_quoted_local_part(t) {
        t = t.trim_matches(stray);
    }
    // X.400 forms: `dda:SMTP=user@host`, `SMTP:user@host`.
    let lower = t.to_ascii_lowercase();
    for tag in ["smtp=", "smtp:"] {
        if let Some(at) = lower.rfind(tag)
            && t[at + tag.len()..].contains('@')
        {
            t = t[at + tag.len()..].trim_end_matches(';');
        }
    }
    t.to_string()
}

/// `"local part"@domain`: a quoted string, closed right before the `@`, and a domain.
fn is_quoted_local_part(a: &str) -> bool {
    let Some(rest) = a.strip_prefix('"') else {
        return false;
    };
    match rest.rsplit_once("\"@") {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains('"')
                && !domain.is_empty()
                && !domain.contains(['"', '@', ' '])
        }
        None => false,
    }
}

/// Whether the text starts with an RFC 5322 header block (an mbox `From ` line allowed).
fn looks_like_message(text: &str) -> bool {
    let mut headers = 0;
    for (i, line) in text.lines().take(60).enumerate() {
        if i == 0 && line.starts_with("From ") {
            continue;
        }
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if headers == 0 {
                return false;
            }
            continue;
        }
        match line.split_once(':') {
            // A field name starts with a letter: an RFC 3339 log stamp (`2025-11-28T12:00`)
            // is no header.
            Some((name, _))
                if name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && name.len() <= 76
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                headers += 1;
            }
            _ => return false,
        }
    }
    headers >= 2
}

/// Find each record's response in the input text for `source_line` (only when it appears
/// verbatim; a base64 or quoted-printable part does not). Bounded: at most 64 searches.
fn locate_lines(text: &str, records: &mut [Record]) {
    for r in records.iter_mut().take(64) {
        if r.source_line.is_some() {
            continue;
        }
        let Some(diag) = r.diagnostic.as_deref() else {
            continue;
        };
        let candidates = [prefix_chars(diag, 40), prefix_chars(diag, 16)];
        for needle in candidates {
            if needle.len() < 8 {
                continue;
            }
            // A response decoded from base64 or quoted-printable is not in the text, so the
            // search often runs to the end: the vectorised searches keep that cheap.
            if let Some(at) = memchr::memmem::find(text.as_bytes(), needle.as_bytes()) {
                r.source_line = Some(memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count());
                break;
            }
        }
    }
}

/// The first `n` characters of `s` (whole characters).
fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_local_parts_keep_their_quotes() {
        assert_eq!(
            clean_address("\"john..doe\"@far.example"),
            "\"john..doe\"@far.example"
        );
        assert_eq!(
            clean_address("<\"a b\"@far.example>"),
            "\"a b\"@far.example"
        );
        assert_eq!(clean_address("\"ann@far.example\""), "ann@far.example");
        assert_eq!(clean_address("'ann@far.example'"), "ann@far.example");
        assert_eq!(clean_address("\"ann@far.example"), "ann@far.example");
    }

    /// Every built-in pattern is compiled on first use; a bad one would panic at run time.
    /// Parsing one input of each kind touches them all.
    #[test]
    fn all_patterns_compile() {
        let inputs: [&[u8]; 5] = [
            b"From: a@b.example\nTo: c@d.example\nSubject: x\n\n<e@f.example>: host mx.f.example[192.0.2.1] said: 553 5.7.1 no (in reply to RCPT TO command)\n\nInvalid user: g@h.example\n",
            b"2024-01-01 10:00:00 1abcde-000001-AB ** x@y.example R=dnslookup T=remote_smtp H=mx.y.example [192.0.2.2]: SMTP error from remote mail server after RCPT TO:<x@y.example>: 553 no\n",
            b"Jan  1 10:00:00 mx postfix/smtp[1]: ABC123: to=<x@y.example>, orig_to=<o@y.example>, relay=mx.y.example[192.0.2.3]:25, dsn=5.1.1, status=bounced (host mx.y.example[192.0.2.3] said: 550 5.1.1 unknown (in reply to RCPT TO command))\n",
            b"EHLO me\n250 ok\nMAIL FROM:<a@b.example>\n553-5.7.1 one\n553 5.7.1 two\n",
            b"554 <x@y.example>... 550 Host unknown\n",
        ];
        for input in inputs {
            let parsed = parse(input);
            assert!(parsed.is_ok_and(|b| !b.records.is_empty()));
        }
    }
}

/// The facts step over whole parses: the facts are derived from what the readers found,
/// so these go through [`parse`] (facts.rs itself never calls back into the pipeline).
#[cfg(test)]
mod facts_of_a_parse {
    use super::facts::{Facts, RefusedBy, ReportingSystem};
    use super::parse;

    fn facts(text: &str) -> Facts {
        parse(text.as_bytes()).unwrap().facts
    }

    #[test]
    fn a_remote_refusal_in_an_exim_bounce_of_an_authenticated_customer() {
        let f = facts(
            "From: Mail Delivery System <Mailer-Daemon@server1.host.example>\nTo: ana@shop.example\nSubject: Mail delivery failed: returning message to sender\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@partner.example\n    host mx.partner.example [198.51.100.7]\n    SMTP error from remote mail server after RCPT TO:<bob@partner.example>:\n    553 5.7.1 <bob@partner.example>: Relay access denied\n\n------ This is a copy of the message, including all the headers. ------\n\nReturn-path: <ana@shop.example>\nReceived: from [203.0.113.9] (port=51234 helo=[192.168.1.20])\n\tby server1.host.example with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t(Exim 4.96.2)\n\t(envelope-from <ana@shop.example>)\n\tid 1tABCD-0001xY-2z;\n\tMon, 03 Mar 2025 10:00:00 +0100\nFrom: ana@shop.example\nTo: bob@partner.example\nSubject: hi\n\nhello\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Remote));
        assert_eq!(f.authenticated, Some(true));
        assert_eq!(f.reporting_system, Some(ReportingSystem::Exim));
        assert_eq!(f.sending_ip, "203.0.113.9".parse().ok());
    }

    #[test]
    fn a_transcript_without_auth_is_a_local_refusal_of_an_unauthenticated_client() {
        let f = facts(
            "220 mail.host.example ESMTP Postfix\nEHLO me\n250-mail.host.example\n250 AUTH PLAIN LOGIN\nMAIL FROM:<ana@shop.example>\n250 2.1.0 Ok\nRCPT TO:<bob@partner.example>\n554 5.7.1 <bob@partner.example>: Relay access denied\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Local));
        assert_eq!(f.authenticated, Some(false));
        assert_eq!(f.reporting_system, Some(ReportingSystem::Postfix));
        assert_eq!(f.sending_ip, None);
    }

    #[test]
    fn phpmailer_auth_accepted_is_authenticated() {
        let f = facts(
            "2025-03-01 10:00:00\tSERVER -> CLIENT: 220 smtp.host.example ESMTP Exim 4.96\n2025-03-01 10:00:00\tCLIENT -> SERVER: EHLO site.example\n2025-03-01 10:00:00\tCLIENT -> SERVER: AUTH LOGIN\n2025-03-01 10:00:00\tSERVER -> CLIENT: 334 VXNlcm5hbWU6\n2025-03-01 10:00:00\tCLIENT -> SERVER: [credentials hidden]\n2025-03-01 10:00:01\tSERVER -> CLIENT: 235 Authentication succeeded\n2025-03-01 10:00:01\tCLIENT -> SERVER: MAIL FROM:<form@site.example>\n2025-03-01 10:00:01\tSERVER -> CLIENT: 550 Your FROM address form@site.example is not owned by you\n2025-03-01 10:00:01\tSMTP ERROR: MAIL FROM command failed: 550 Your FROM address form@site.example is not owned by you\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Local));
        assert_eq!(f.authenticated, Some(true));
        assert_eq!(f.reporting_system, Some(ReportingSystem::Exim));
    }

    #[test]
    fn a_blocklist_refusal_names_the_sending_ip_not_the_mx() {
        let f = facts(
            "<bob@partner.example>: host mx.partner.example[198.51.100.7] said: 554 5.7.1\n    Service unavailable; Client host [203.0.113.44] blocked using\n    zen.spamhaus.org (in reply to RCPT TO command)\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Remote));
        assert_eq!(f.sending_ip, "203.0.113.44".parse().ok());
        assert_eq!(f.reporting_system, Some(ReportingSystem::Postfix));
        assert_eq!(f.authenticated, None);
    }

    #[test]
    fn exim_log_arrival_without_an_authenticator_is_unauthenticated() {
        let f = facts(
            "2025-03-14 09:00:01 1tt0aa-0001Ab-3c <= ana@shop.example H=(pc) [203.0.113.9] P=esmtps S=4211\n2025-03-14 09:00:02 1tt0aa-0001Ab-3c ** bob@partner.example R=dnslookup T=remote_smtp H=mx.partner.example [198.51.100.7]: SMTP error from remote mail server after RCPT TO:<bob@partner.example>: 553 5.7.1 relay denied\n",
        );
        assert_eq!(f.authenticated, Some(false));
        assert_eq!(f.reporting_system, Some(ReportingSystem::Exim));
        assert_eq!(f.refused_by, Some(RefusedBy::Remote));
        assert_eq!(f.sending_ip, "203.0.113.9".parse().ok());
    }

    #[test]
    fn postfix_log_reject_of_a_client_is_local() {
        let f = facts(
            "Mar  1 10:00:00 mail postfix/smtpd[123]: NOQUEUE: reject: RCPT from pc.example[203.0.113.9]: 554 5.7.1 <bob@partner.example>: Relay access denied; from=<ana@shop.example> to=<bob@partner.example> proto=ESMTP helo=<pc>\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Local));
        assert_eq!(f.reporting_system, Some(ReportingSystem::Postfix));
        assert_eq!(f.sending_ip, "203.0.113.9".parse().ok());
        assert_eq!(f.authenticated, None);
    }
}
