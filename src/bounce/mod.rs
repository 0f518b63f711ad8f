//! Parsing pasted text into a [`Bounce`]: one [`Record`] per failed recipient plus the
//! per-message facts (sender, timestamp, ids). No I/O and no UI here: text in, values out.

pub mod address;
mod binary;
mod client;
mod command_line;
mod cut_lines;
mod decode;
mod dsn;
mod events;
pub mod facts;
mod folds;
mod frame;
mod invisible;
mod journal;
mod lines;
mod links;
mod listing;
mod log;
mod mailq;
mod markup;
mod merge;
mod message;
mod model;
mod ndr;
mod normalise;
mod pattern;
mod plain;
mod qmail_log;
mod quoting;
mod reflow;
mod report;
mod response;
mod rfc5322;
mod scan;
mod sender;
mod service;
mod ses;
mod stacked;
mod table;
#[cfg(test)]
mod test_rng;
mod time;
mod transcript;
mod vocabulary;
mod w3c;
mod when;

use std::borrow::Cow;

pub use model::{Action, Bounce, Format, Record, Stage, TimestampBasis};
use report::Report;

/// Inputs beyond this many bytes are parsed only up to the limit (with a warning): a bounce's
/// useful parts sit at the top, and the parser must stay fast on a 50 MB paste.
pub const MAX_PARSE_BYTES: usize = 8 * 1024 * 1024;

/// The mail-parser configuration every message goes through (see `message.rs`): public so
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
    let mut warnings = Vec::new();
    // 1. Detect: refuse what is no text, read every line-break form as LF, tell a whole
    //    message from other text.
    let input = within_limits(input, &mut warnings)?;
    let (normalised, dropped) = normalise::normalise(input);
    warnings.extend(dropped);
    let input: &[u8] = &normalised;
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    // Valid UTF-8 (most pastes) is checked at full speed; only other input pays for repair.
    let text = match std::str::from_utf8(input) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(input),
    };
    if matches!(text, Cow::Owned(_)) && !looks_like_message(&text) {
        warnings.push("the input is not valid UTF-8; undecodable bytes were replaced".to_string());
    }
    // A paste still in what it was copied from (a listing's line numbers and file names,
    // HTML or RTF source) is read as the text the tool or the page showed.
    let unframed = frame::unframed(&text);
    let (text, input) = match &unframed {
        Some((u, why)) => {
            warnings.extend(why.iter().map(|w| w.to_string()));
            (Cow::Borrowed(u.text.as_str()), u.text.as_bytes())
        }
        None => (text, input),
    };
    // A linked address as a client copies it (`x@y<mailto:x@y>`) is the address once.
    let unlinked = links::unlinked(&text);
    let (text, input) = match &unlinked {
        Some(u) => (Cow::Borrowed(u.as_str()), u.as_bytes()),
        None => (text, input),
    };
    // A header block whose folded lines lost their leading space is read with it back.
    let refolded = (!looks_like_message(&text))
        .then(|| folds::restored(&text))
        .flatten();
    let (text, input) = match &refolded {
        Some(r) => {
            warnings.push(
                "folded header lines had lost their leading space; it was put back to read them"
                    .to_string(),
            );
            (Cow::Borrowed(r.as_str()), r.as_bytes())
        }
        None => (text, input),
    };
    // Text whose lines a copy changed is read with them put back: a report flattened onto
    // one line, log lines a terminal wrapped, a web view copied one table cell per line.
    // A whole message is neither of the last two (mail-parser reads it): not looked for.
    let was_message = looks_like_message(&text);
    // Zero-width spaces, direction marks and no-break spaces from chats, web pages and
    // right-to-left views are read as nothing and as spaces (a message's are its parts').
    let text = match (!was_message).then(|| invisible::stripped(&text)).flatten() {
        Some(visible) => Cow::Owned(visible),
        None => text,
    };
    let reflowed = reflow::unflatten(&text)
        .map(|r| (r, "the text had lost its line breaks; they were put back to read it"))
        .or_else(|| {
            (!was_message).then(|| log::unwrapped(&text)).flatten().map(|r| {
                (r, "log lines had been wrapped at the terminal's width; they were joined to read them")
            })
        })
        .or_else(|| {
            (!was_message).then(|| cut_lines::joined(&text)).flatten().map(|r| {
                (r, "lines had been cut at the terminal's width; they were joined to read them")
            })
        })
        .or_else(|| {
            (!was_message).then(|| stacked::unstacked(&text)).flatten().map(|r| {
                (r, "labels and values stood on lines of their own; they were joined to read them")
            })
        });
    let (text, input) = match &reflowed {
        Some((r, _)) => (Cow::Borrowed(r.as_str()), r.as_bytes()),
        None => (text, input),
    };
    let is_message = if reflowed.is_some() {
        looks_like_message(&text)
    } else {
        was_message
    };
    // 2. Read: the reader of the input's shape (a message through mail-parser, anything else
    //    through the plain-text readers), then where each deciding line stands.
    let mut bounce = Bounce::default();
    let mut human = Cow::Borrowed("");
    // A whole message pasted under the customer's or a ticket's words ("I copied the
    // bounce with View Source:") is read as the message it is.
    let read = if is_message {
        read_message(input, &text, &mut bounce, &mut human)
    } else {
        embedded_message_start(&text).is_some_and(|at| {
            let message = &text[at..];
            let mut inner_human = Cow::Borrowed("");
            let read = read_message(message.as_bytes(), message, &mut bounce, &mut inner_human)
                && !bounce.records.is_empty();
            if read {
                let skipped = text[..at].lines().count();
                for r in &mut bounce.records {
                    r.source_line = r.source_line.map(|n| n + skipped);
                }
                human = Cow::Owned(inner_human.into_owned());
            } else {
                bounce = Bounce::default();
            }
            read
        })
    };
    if !read {
        read_plain(&text, &mut bounce);
    }
    // A webmail's error after Send, with its compose screen's lines, says who was refused.
    client::compose_error(&text, &mut bounce);
    // 3. Merge: one record per recipient, a sender named by its refusal taken out of them.
    merge::records(&text, &mut bounce);
    if !read {
        // The account a client's error names (its sender) is no refused recipient, however
        // the reader came to the address (Outlook's error pasted twice, one long line each).
        if let Some(sender) = bounce.sender.as_deref()
            && bounce.records.iter().any(|r| {
                r.recipient
                    .as_deref()
                    .is_some_and(|a| address::clean_address(a).eq_ignore_ascii_case(sender))
            })
        {
            let lines: Vec<&str> = text.lines().take(60).collect();
            if client::dialog_account(&lines).is_some_and(|a| a.eq_ignore_ascii_case(sender)) {
                no_account_as_recipient(&mut bounce);
            }
        }
    }
    // 4. Enrich: recipients as addresses with their problems, and the facts. The sender
    // loses the quotes a text printed around it as a recipient does (Outlook's task name
    // `'x@y - Sending'` read as an address by a reader that keeps a leading apostrophe).
    if let Some(sender) = bounce.sender.as_mut()
        && sender.contains('@')
    {
        let cleaned = address::clean_address(sender);
        if cleaned.contains('@') {
            *sender = cleaned;
        }
    }
    for r in &mut bounce.records {
        merge::clean_recipient(r, &text);
        if let Some(rcpt) = r.recipient.as_deref() {
            r.address_problems = address::check(rcpt);
        }
    }
    // The time's last resorts: when the customer posted it, a zone from the same moment.
    when::complete(&text, is_message, &mut bounce);
    bounce.facts = facts::derive(&text, (!human.is_empty()).then_some(&*human), &bounce);
    if let Some((_, why)) = reflowed {
        // The line numbers are the rebuilt text's, not the paste's.
        for r in &mut bounce.records {
            r.source_line = None;
        }
        warnings.push(why.to_string());
    }
    if let Some((u, _)) = &unframed {
        // The line numbers are the unframed text's: each is the paste's line it came from.
        for r in &mut bounce.records {
            r.source_line = r.source_line.and_then(|n| u.lines.get(n).copied());
        }
    }
    if bounce.records.is_empty() {
        warnings.push(
            "no bounce found in the text: no failed recipient or server response".to_string(),
        );
    }
    bounce.warnings.extend(warnings);
    Ok(bounce)
}

/// The input as the parser reads it: not empty, not binary, at most [`MAX_PARSE_BYTES`].
fn within_limits<'a>(input: &'a [u8], warnings: &mut Vec<String>) -> Result<&'a [u8], ParseError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
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
    Ok(input)
}

/// A whole message (`text` is `input` as text). False when mail-parser cannot read it: the
/// plain-text readers get it then.
fn read_message<'a>(
    input: &'a [u8],
    text: &str,
    bounce: &mut Bounce,
    human: &mut Cow<'a, str>,
) -> bool {
    if !message::parse(input, bounce, human) {
        return false;
    }
    // A person's or a monitoring system's mail (no mail system's report) whose body quotes
    // log lines or a session: read the body as what it quotes.
    let (body_start, body) = plain::body_of(text);
    let carries_a_paste = bounce.records.is_empty()
        || (bounce.format == Format::Email && !from_a_mail_system(text) && {
            let lines: Vec<&str> = body.lines().take(200).collect();
            (log::may_hold_log_lines(body) && log::detect(&lines)) || transcript::detect(&lines)
        });
    if carries_a_paste {
        let mut inner = Bounce::default();
        plain::read(body, &mut inner);
        for r in &mut inner.records {
            r.source_line = r.source_line.map(|n| n + body_start);
        }
        let from_a_log = matches!(inner.format, Format::PostfixLog | Format::EximLog)
            && !inner.records.is_empty();
        // A cron or monitoring mail quoting a session: its MAIL FROM was the sender, not
        // the daemon that mailed the output.
        let from_a_session = inner.format == Format::Transcript && !inner.records.is_empty();
        if from_a_session {
            recipient_from_command(body, &mut inner);
            // Whose server the quoted session spoke to, the mail around it does not say
            // (a script's own submission server, a remote MX in a report's transcript):
            // the host is left unknown rather than taken for a remote one.
            for r in &mut inner.records {
                r.remote_host = None;
            }
        }
        if from_a_log {
            // The lines say when delivery failed and whose message it was, not the mail
            // that carries them.
            bounce.timestamp = inner.timestamp;
            bounce.timestamp_raw = inner.timestamp_raw;
            bounce.timestamp_basis = inner.timestamp_basis;
            bounce.sender = inner.sender;
            bounce.queue_id = inner.queue_id.or(bounce.queue_id.take());
            bounce.reporting_mta = inner.reporting_mta.or(bounce.reporting_mta.take());
        } else if from_a_session && inner.sender.is_some() {
            bounce.sender = inner.sender;
        }
        if from_a_log || from_a_session || bounce.records.is_empty() {
            bounce.records = inner.records;
            return true;
        }
    }
    // A client's copy of a report (its view rows over the body) whose To row names only
    // a person: the report's own table may name the sender (Office 365's "Original
    // Message Details").
    if bounce.sender.is_none() && !bounce.records.is_empty() {
        let lines: Vec<&str> = body.lines().collect();
        bounce.sender = plain::table_sender(&lines, bounce);
    }
    merge::locate_lines(text, &mut bounce.records);
    true
}

/// A refusal of the sender names no recipient; the command or the script that sent the
/// mail may (`command_line`).
fn recipient_from_command(text: &str, bounce: &mut Bounce) {
    if let [only] = bounce.records.as_mut_slice()
        && only.recipient.is_none()
        && matches!(only.stage, None | Some(Stage::MailFrom))
    {
        let lines: Vec<&str> = text.lines().take(400).collect();
        only.recipient = command_line::recipient(&lines).filter(|r| {
            bounce
                .sender
                .as_ref()
                .is_none_or(|s| !s.eq_ignore_ascii_case(r))
        });
    }
}

/// Whether the message's own `From:` header is a mail system's (a bounce's).
fn from_a_mail_system(text: &str) -> bool {
    text.lines()
        .take_while(|l| !l.trim().is_empty())
        .take(200)
        .find(|l| l.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("from:")))
        .is_some_and(ndr::names_a_bounce_sender)
}

/// Text that is not a whole message: a pasted body (perhaps still quoted-printable), a log,
/// a transcript, a client's error text.
fn read_plain(text: &str, bounce: &mut Bounce) {
    read_plain_text(text, bounce, true);
}

/// [`read_plain`]; `whole` is false for a later bounce of a paste, read on its own.
fn read_plain_text(text: &str, bounce: &mut Bounce, whole: bool) {
    // A body pasted without its message headers keeps its quoted-printable encoding.
    let decoded = decode::plain_paste(text);
    let decoded_text: &str = decoded.as_deref().unwrap_or(text);
    let replies = transcript::smtp_cli_replies(decoded_text);
    let decoded_text: &str = replies.as_deref().unwrap_or(decoded_text);
    // A bounce forwarded inside a reply is read without its quoting (same lines).
    let unquoted = quoting::unquote(decoded_text);
    let plain: &str = unquoted.as_deref().unwrap_or(decoded_text);
    let mut report = plain::read(plain, bounce);
    // A bounce's body copied without its headers may still carry the original inline.
    if bounce.format == Format::Body
        || (bounce.sender.is_none()
            && matches!(bounce.format, Format::Transcript | Format::ErrorText)
            && !bounce.records.is_empty())
    {
        let split = report.get_or_insert_with(|| Report::new(plain));
        report::complete(split, bounce, &report::Own::default());
        if bounce.sender.is_none() {
            bounce.sender = when::forwarded_block_sender(plain, bounce);
        }
    }
    // A bounce's own header lines above its report name the sender in their To (a
    // Sendmail bounce whose transcript is read as the session).
    if bounce.format == Format::Body
        || (bounce.format == Format::Transcript && bounce.sender.is_none())
    {
        plain::webmail_header_lines(plain, bounce);
    }
    // The bounce's header block copied after its body: its To is the sender.
    if bounce.sender.is_none() && !bounce.records.is_empty() {
        bounce.sender = when::bounce_header_block(plain)
            .and_then(|block| block.to)
            .filter(|to| {
                !bounce.records.iter().any(|r| {
                    r.recipient
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(to))
                })
            });
    }
    // The returned original's Return-Path, all that a cut paste kept of its headers.
    if bounce.sender.is_none() && !bounce.records.is_empty() {
        bounce.sender = sender::from_return_path(plain, bounce);
    }
    if bounce.format == Format::Body {
        if bounce.sender.is_none() && !bounce.records.is_empty() {
            bounce.sender = plain::summary_sender(plain, bounce);
        }
        if !bounce.records.is_empty() {
            // A session's or a client log's own stamps are read in the merge step first.
            when::settle(plain, report.as_ref(), bounce);
        }
    }
    if !bounce.records.is_empty() {
        sender::from_words(plain, bounce);
        if bounce.format == Format::Body && client::is_dialog(plain) {
            bounce.format = Format::ErrorText;
            // The dialog's sentence names the refused recipient as typed; the address in
            // the reply it quotes may be the sender's.
            let lines: Vec<&str> = plain.lines().take(60).collect();
            if let [only] = bounce.records.as_mut_slice()
                && let Some(named) = client::dialog_recipient(&lines)
            {
                only.recipient = Some(named);
            }
            if bounce.sender.is_none() {
                bounce.sender = client::dialog_account(&lines);
                no_account_as_recipient(bounce);
            }
            // A dialog that lays the message out in rows (Foxmail's `账号：` over
            // `收件人：`) names the recipient on its To row when its words name none.
            if let [only] = bounce.records.as_mut_slice()
                && only.recipient.is_none()
            {
                only.recipient = plain::dialog_to_row(&lines, bounce.sender.as_deref());
            }
        }
        if matches!(bounce.format, Format::Body | Format::ErrorText) {
            plain::customer_s_own_header_rows(plain, bounce);
        }
        if matches!(bounce.format, Format::Body | Format::ErrorText) && bounce.sender.is_none() {
            // A client's error naming the account it sent from: the account's address is
            // the sender, not a refused recipient (the reply named no other).
            let lines: Vec<&str> = plain.lines().take(60).collect();
            bounce.sender = client::dialog_account(&lines);
            no_account_as_recipient(bounce);
        }
        if matches!(bounce.format, Format::Body | Format::ErrorText) && bounce.sender.is_none() {
            bounce.sender = plain::person_from_row(plain, bounce);
        }
        // A tool's row labelled as the sender's (an automation's `From Email:` parameter
        // over the error it logged).
        if matches!(bounce.format, Format::Body | Format::ErrorText) && bounce.sender.is_none() {
            let lines: Vec<&str> = plain.lines().take(400).collect();
            // (A view's sender row naming the mail system is the bounce's own From.)
            bounce.sender = table::labelled_sender(&lines).filter(|s| {
                !ndr::is_postmaster_copy_address(s)
                    && !bounce.records.iter().any(|r| {
                        r.recipient
                            .as_deref()
                            .is_some_and(|a| a.eq_ignore_ascii_case(s))
                    })
            });
        }
        if whole && bounce.format == Format::Body {
            read_later_bounces(plain, bounce);
        }
    }
    if bounce.records.is_empty() && bounce.sender.is_none() && bounce.timestamp.is_none() {
        // A mail system's notice that names no failed recipient (a hosting limit's
        // "Message discarded"): its header block still says whose mail it was and when.
        if let Some(block) = when::bounce_block(plain) {
            bounce.sender = block.to;
            if let Some((at, raw)) = block.date {
                bounce.timestamp = Some(at);
                bounce.timestamp_raw = Some(raw);
            }
        }
    }
    if decoded.is_some() {
        // Decoding joined lines: the deciding line is looked for again in the paste.
        for r in &mut bounce.records {
            r.source_line = None;
        }
        merge::locate_lines(text, &mut bounce.records);
    }
}

/// Bounces pasted one after another: the first one's records are read from the whole
/// text (a block ends where the next bounce starts); each later one, from the line that
/// names its sender on, is read on its own too, and its failed recipients join.
fn read_later_bounces(plain: &str, bounce: &mut Bounce) {
    let lines: Vec<&str> = plain.lines().take(4000).collect();
    let named = |l: &str| {
        let lower = l.to_ascii_lowercase();
        bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|a| lower.contains(&a.to_ascii_lowercase()))
        })
    };
    let Some(first_named) = lines.iter().position(|l| named(l)) else {
        return;
    };
    let starts: Vec<usize> = (first_named + 1..lines.len())
        .filter(|&i| lines[i].contains('@') && ndr::names_a_bounce_sender(lines[i]))
        .take(16)
        .collect();
    if starts.is_empty() {
        return;
    }
    let offsets: Vec<usize> = plain
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some(start)
        })
        .take(lines.len() + 1)
        .collect();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(plain.len(), |&e| offsets[e]);
        let Some(segment) = plain.get(offsets[start]..end) else {
            continue;
        };
        let mut later = Bounce::default();
        read_plain_text(segment, &mut later, false);
        let customer = bounce.sender.as_deref().or(later.sender.as_deref());
        for mut r in later.records {
            let same = |a: Option<&str>| {
                a.zip(r.recipient.as_deref())
                    .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
            };
            let known = bounce.records.iter().any(|b| same(b.recipient.as_deref()));
            if r.recipient.is_some() && !known && !same(customer) {
                r.source_line = r.source_line.map(|n| n + start);
                bounce.records.push(r);
            }
        }
    }
}

/// Where a whole message starts below a few lines of other words (a ticket's comment, the
/// customer's note, an admin page's summary row), when one does: a header block at a
/// line's start after a blank line, a line ending in `:` or a short label (`Headers`),
/// whose fields include one only a raw message has (`Received`, `Return-Path`,
/// `MIME-Version`, `Content-Type`, `Message-ID`), so that a webmail view's
/// From/To/Subject/Date lines are not taken for one. With an address above it, only a
/// block from a mail system counts: a bounce's returned original (a person's header block
/// under the report) is no message pasted under a note.
fn embedded_message_start(text: &str) -> Option<usize> {
    const RAW_FIELDS: [&str; 5] = [
        "received:",
        "return-path:",
        "mime-version:",
        "content-type:",
        "message-id:",
    ];
    let mut at = 0;
    let mut above_opens = false;
    let mut address_above = false;
    for (i, line) in text.split_inclusive('\n').take(80).enumerate() {
        let start = at;
        at += line.len();
        let trimmed = line.trim_end();
        let opens = above_opens;
        above_opens = trimmed.is_empty() || trimmed.ends_with(':') || is_short_label(trimmed);
        let address_before = address_above;
        address_above |= line.contains('@');
        if i == 0 || !opens || line.starts_with([' ', '\t']) || !trimmed.contains(':') {
            continue;
        }
        let rest = &text[start..];
        let block = || rest.lines().take_while(|l| !l.trim().is_empty()).take(60);
        let raw = block().any(|l| {
            let lower = l.get(..l.len().min(14)).unwrap_or(l).to_ascii_lowercase();
            RAW_FIELDS.iter().any(|f| lower.starts_with(f))
        });
        let from_a_system = || block().any(ndr::is_a_system_s_from_field);
        if raw && (!address_before || from_a_system()) && looks_like_message(rest) {
            return Some(start);
        }
    }
    None
}

/// A line that only labels what follows (`Headers`, `Raw message`): one to three words of
/// letters.
fn is_short_label(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.len() <= 30
        && t.split(' ').count() <= 3
        && t.chars().all(|c| c.is_alphabetic() || c == ' ')
}

/// A client's error naming the account it sent from (now the bounce's sender): the
/// account's address is no refused recipient, unless the reply fails that very address.
fn no_account_as_recipient(bounce: &mut Bounce) {
    let Some(account) = bounce.sender.as_deref() else {
        return;
    };
    for r in &mut bounce.records {
        if !sender::fails_own_address(r)
            && r.recipient
                .as_deref()
                .is_some_and(|a| address::clean_address(a).eq_ignore_ascii_case(account))
        {
            r.recipient = None;
        }
    }
}

/// Fields of a message's own origin and transport: a header block holds at least one (or an
/// `X-` field). `Subject` and `Content-Type` are not among them: an application's log entry
/// labels the mail it tried to send with them too (`ID:`, `Time:`, `Receiver:`, `Subject:`,
/// `Content-Type:`, `Error:`), and read as a message its time and sender would be lost.
const MESSAGE_FIELDS: [&str; 10] = [
    "from",
    "to",
    "date",
    "received",
    "return-path",
    "message-id",
    "mime-version",
    "delivered-to",
    "sender",
    "reply-to",
];

/// Whether the text starts with an RFC 5322 header block (an mbox `From ` line allowed). At
/// least one field must be one a message carries of its own (`MESSAGE_FIELDS`): a mail
/// client's view of a message in another language (`De:`, `Fecha:`, `Para:`, `Asunto:`) is
/// text with labels, read by the plain-text readers, which know those labels.
fn looks_like_message(text: &str) -> bool {
    let mut headers = 0;
    let mut standard = false;
    // `text.lines().take(60)`, split with the vectorised `memchr` (every input passes here).
    let mut rest = text;
    for i in 0..60 {
        if rest.is_empty() {
            break;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(n) => {
                let line = &rest[..n];
                rest = &rest[n + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
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
        // The field name: the line up to its first colon, all letters, digits, `-` and
        // `_`, starting with a letter (an RFC 3339 log stamp, `2025-11-28T12:00`, is no
        // header), 76 bytes at most. Read in one pass: the name's bytes, then the colon.
        let b = line.as_bytes();
        let len = b
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_'))
            .unwrap_or(b.len());
        if len > 76 || b.get(len) != Some(&b':') || !b[0].is_ascii_alphabetic() {
            return false;
        }
        let name = &line[..len];
        headers += 1;
        standard = standard
            || MESSAGE_FIELDS.iter().any(|f| name.eq_ignore_ascii_case(f))
            || name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-"));
    }
    headers >= 2 && standard
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mail system's notice that names no failed recipient still says whose mail it was
    /// and when, by its header block.
    #[test]
    fn a_notice_without_a_recipient_keeps_its_sender_and_time() {
        let text = "Please help\n\nDate: Sun, 06 Dec 2026 14:58:31 +0700\nFrom: Mail Delivery System <Mailer-Daemon@host.example>\nTo: ann@near.example\nSubject: Mail delivery failed\n\nDomain near.example has exceeded the max emails per hour (150/150 (100%)) allowed.  Message discarded.\n";
        let b = parse(text.as_bytes()).expect("parses");
        assert!(b.records.is_empty());
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-06T07:58:31+00:00")
        );
    }

    /// Gmail's "Message not delivered" names the recipient in its sentence even when the
    /// reply refuses the sender (a "Send mail as" address its server does not own), and
    /// its printed view dates it on the sender's row.
    #[test]
    fn gmail_s_sentence_names_the_recipient_of_a_refused_sender() {
        let text = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>      Mon, Nov 30, 2026, 1:58 PM\nto me\n\nMessage not delivered\nThere was a problem delivering your message to accounts@far.example. See the technical details below.\n\nThe response was:\n\n553 5.7.1 <bookings@near.example>: Sender address rejected: not owned by user info@near.example\n";
        let b = parse(text.as_bytes()).expect("parses");
        assert_eq!(b.records.len(), 1);
        assert_eq!(
            b.records[0].recipient.as_deref(),
            Some("accounts@far.example")
        );
        assert_eq!(b.sender.as_deref(), Some("bookings@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-30T13:58:00+00:00")
        );
    }

    /// A delivery-status part pasted on its own: its per-message fields (read as the
    /// headers of a message) name the sender and the reporting MTA.
    #[test]
    fn a_bare_delivery_status_part_names_its_sender() {
        let text = "Reporting-MTA: dns; smtp2.near.example\r\nX-Postfix-Queue-ID: 4fLk7Q3Dd1z4R\r\nX-Postfix-Sender: rfc822; ann@near.example\r\nArrival-Date: Fri, 27 Nov 2026 15:30:02 -0300 (-03)\r\n\r\nFinal-Recipient: rfc822; bob@far.example\r\nAction: failed\r\nStatus: 5.4.4\r\nDiagnostic-Code: X-Postfix; Host or domain name not found\r\n";
        let b = parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.reporting_mta.as_deref(), Some("smtp2.near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    /// A Sendmail bounce pasted with its header lines under a note: its transcript is read
    /// as the session, and the header block's To (the bounce went to the sender) names
    /// the sender.
    #[test]
    fn a_bounce_s_header_to_names_the_sender_of_its_session() {
        let text = "Note from the technician.\n\nDate: Fri, 27 Nov 2026 14:22:03 +0100\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@smtp.near.example>\nTo: <ann@near.example>\nSubject: Returned mail: see transcript for details\n\n   ----- Transcript of session follows -----\n... while talking to smtp.near.example.:\n>>> RCPT To:<bob@far.example>\n<<< 550 5.7.1 <bob@far.example>... Relaying denied. Proper authentication required.\n";
        let b = parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    #[test]
    fn an_alert_mail_quoting_a_log_line_is_read_as_the_line() {
        let text = "From: Zabbix <zabbix@monitor.near.example>\nTo: noc@near.example\nSubject: Problem: Bounced mail\nDate: Fri, 04 Dec 2026 09:41:10 +0000\n\nOperational data: Dec  4 09:41:05 web05 postfix/smtp[28119]: 3F9A21C04B2: to=<bob@far.example>, relay=none, delay=0.11, dsn=5.4.4, status=bounced (Host or domain name not found)\n";
        let b = parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender, None);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            b.timestamp
                .map(|t| t.format("%m-%d %H:%M:%S").to_string())
                .as_deref(),
            Some("12-04 09:41:05")
        );
    }

    #[test]
    fn a_cron_mail_quoting_a_session_names_its_mail_from_as_the_sender() {
        let text = "From: Cron Daemon <root@nas.near.example>\nTo: root@nas.near.example\nSubject: Cron <root@nas> report.pl\nDate: Tue, 01 Dec 2026 06:00:04 +0100\n\nNet::SMTP=GLOB(0x55d1)>>> MAIL FROM:<report@near.example>\nNet::SMTP=GLOB(0x55d1)<<< 250 2.1.0 Ok\nNet::SMTP=GLOB(0x55d1)>>> RCPT TO:<bob@far.example>\nNet::SMTP=GLOB(0x55d1)<<< 550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown\nNet::SMTP=GLOB(0x55d1)>>> QUIT\n";
        let b = parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("report@near.example"));
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.records[0].stage, Some(Stage::RcptTo));
    }

    #[test]
    fn outlook_s_send_error_names_the_refused_recipient() {
        let dialog = "Aufgabe \"ann@near.example - Senden\" meldete Fehler (0x800CCC79): \"Die Nachricht kann nicht gesendet werden. Einer der Empfänger wurde vom Server zurückgewiesen. Die zurückgewiesene E-Mail-Adresse lautet \"bob@far.example\". Konto: \"ann@near.example\", Serverantwort: \"553 5.7.1 <ann@near.example>: Sender address rejected: not logged in\", Port: 25\"\n";
        let b = parse(dialog.as_bytes()).expect("parsed");
        assert_eq!(b.format, Format::ErrorText);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        // Wrapped as a screenshot's text is, the account the only sign of the sender.
        let wrapped = "Task 'ann@near.example - Sending' reported error\n(0x800CCC79) : 'Unable to send the message. One of the recipients\nwas rejected by the server. The rejected e-mail address was\n'bob@far.example'. Subject 'Quote', Account:\n'ann@near.example', Server: 'mail.near.example',\nProtocol: SMTP, Server Response: '553 sorry, that domain isn't in\nmy list of allowed rcpthosts (#5.7.1)', Port: 25'\n";
        let b = parse(wrapped.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    }

    /// The header check as it was written first (`lines`, `split_once`), which the one-pass
    /// reading must agree with.
    fn looks_like_message_reference(text: &str) -> bool {
        let mut headers = 0;
        let mut standard = false;
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
                Some((name, _))
                    if name.starts_with(|c: char| c.is_ascii_alphabetic())
                        && name.len() <= 76
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
                {
                    headers += 1;
                    standard |= MESSAGE_FIELDS.iter().any(|f| name.eq_ignore_ascii_case(f))
                        || name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-"));
                }
                _ => return false,
            }
        }
        headers >= 2 && standard
    }

    #[test]
    fn header_check_agrees_with_its_first_form() {
        let pieces = [
            "From ",
            "From: a@b",
            "To",
            "x-",
            "X-Mailer",
            "Received",
            "subject",
            ":",
            ": v",
            "\n",
            "\r\n",
            "\r",
            "\n\n",
            " ",
            "\t",
            "a",
            "Z9",
            "-",
            "_",
            "é",
            "2025-11-28T12:00",
            "Para",
            "date",
            &"n".repeat(75),
            "\n From",
            "\n\r\n",
        ];
        let mut g = crate::bounce::test_rng::Rng::new(0x5eed_1e55_0bad_cafe);
        let mut accepted = 0;
        for _ in 0..100_000 {
            let n = g.below(24);
            let text: String = (0..n).map(|_| g.pick(&pieces)).collect();
            let expected = looks_like_message_reference(&text);
            accepted += usize::from(expected);
            assert_eq!(looks_like_message(&text), expected, "{text:?}");
        }
        // Both answers are common enough to compare (lines beyond the 60th included).
        assert!(accepted > 100, "{accepted}");
        let long: String = "X-A: 1\n".repeat(59) + "not a header\nTo: x\n";
        assert_eq!(
            looks_like_message(&long),
            looks_like_message_reference(&long)
        );
        let longer: String = "X-A: 1\n".repeat(60) + "not a header\n";
        assert!(looks_like_message(&longer));
    }

    /// A client's view with its labels in another language is read as text: the view's
    /// To names the customer (the sender), and the failed recipient is the one the reply
    /// names. (Taken for a message, its `Para:` was no To and became a failed recipient.)
    #[test]
    fn a_view_with_labels_in_another_language() {
        let view = "De: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nFecha: jueves, 26 de noviembre de 2026, 20:48\nPara: eventos@near.example\nAsunto: Delivery Status Notification (Failure)\n\nSe ha producido un problema al entregar el mensaje a marta@far.example. Consulta los detalles.\n\nLa respuesta del servidor remoto ha sido:\n552 5.2.2 <marta@far.example>: Mailbox full\n";
        assert!(!looks_like_message(view));
        assert!(looks_like_message(
            "From: a@b.example\nX-Thing: 1\n\nbody\n"
        ));
        let b = parse(view.as_bytes()).expect("parsed");
        let recipients: Vec<_> = b.records.iter().map(|r| r.recipient.as_deref()).collect();
        assert_eq!(recipients, [Some("marta@far.example")]);
        assert_eq!(b.sender.as_deref(), Some("eventos@near.example"));
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
mod pastes_around_a_bounce {
    use super::parse;

    /// An admin page's summary row above the bounce it received (a forum's "Bounced
    /// emails" detail): the bounce's own header block, from a mail system, is read as the
    /// message it is.
    #[test]
    fn a_bounce_under_an_admin_page_s_row() {
        let text = "Bounced Emails\n\nReceived At\tFrom\tTo\tError\nDec 3, 2026\tMAILER-DAEMON@mx.near.example\treply+1@near.example\tBouncedEmailError\n\nHeaders\nReturn-Path: <>\nDate: Thu,  3 Dec 2026 06:41:37 +0000\nFrom: MAILER-DAEMON@mx.near.example (Mail Delivery System)\nTo: reply+1@near.example\nSubject: Undelivered Mail Returned to Sender\nMessage-Id: <1@mx.near.example>\n\nBody\nThis is the mail system at host mx.near.example.\n\n<ann@far.example>: host mx.far.example[203.0.113.9] said: 554 5.7.1 Service\n    unavailable; client host blocked using bl.spamcop.net (in reply to RCPT TO\n    command)\n";
        let b = parse(text.as_bytes()).unwrap();
        assert_eq!(b.records[0].recipient.as_deref(), Some("ann@far.example"));
        assert_eq!(b.sender.as_deref(), Some("reply+1@near.example"));
    }

    /// PowerShell: `Get-Date`'s output (after its blank line) dates the session, and the
    /// command's `-To` names the recipient of a refused sender.
    #[test]
    fn a_powershell_session_s_date_and_recipient() {
        let text = "PS C:\\> Get-Date\n\nMonday, November 30, 2026 8:15:42 AM\n\nPS C:\\> Send-MailMessage -SmtpServer mx.far.example -From \"scan@near.local\" -To \"buy@far.example\" -Subject \"T\"\nSend-MailMessage : Mailbox name not allowed. The server response was: 5.1.8 <scan@near.local>: Sender address rejected: Domain not found\n";
        let b = parse(text.as_bytes()).unwrap();
        assert_eq!(b.records[0].recipient.as_deref(), Some("buy@far.example"));
        assert_eq!(b.sender.as_deref(), Some("scan@near.local"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-30T08:15:42+00:00")
        );
    }
}

#[cfg(test)]
mod facts_of_a_parse {
    use super::facts::{Facts, RefusedBy, ReportingSystem};
    use super::parse;

    fn facts(text: &str) -> Facts {
        parse(text.as_bytes()).unwrap().facts
    }

    /// msmtp's `--debug` arrows: the AUTH it sent and the 235 it got say the customer
    /// logged in, as for any other transcript's speakers.
    #[test]
    fn an_msmtp_session_s_login() {
        let text = "--> EHLO localhost\n<-- 250-mx.near.example\n<-- 250 AUTH PLAIN\n--> AUTH PLAIN [redacted]\n<-- 235 2.7.0 Authentication successful\n--> MAIL FROM:<a@near.example>\n--> RCPT TO:<b@far.example>\n--> DATA\n<-- 250 2.1.0 Ok\n<-- 250 2.1.5 Ok\n<-- 354 go ahead\n--> .\n<-- 553 5.0.0 Message refused\n";
        assert_eq!(facts(text).authenticated, Some(true));
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

    /// A session to the recipient's own server (its name in the recipient's domain, not the
    /// sender's): that server refused.
    #[test]
    fn a_session_to_the_recipient_s_server_is_a_remote_refusal() {
        let f = facts(
            "220 mx.partner.example ESMTP\nHELO me\n250 mx.partner.example\nMAIL FROM:<ana@shop.example>\n250 OK\nRCPT TO:<bob@partner.example>\n550 5.1.1 <bob@partner.example>: user unknown\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Remote));
        // A server in both domains is the customer's own.
        let f = facts(
            "220 mail.shop.example ESMTP\nHELO me\n250 mail.shop.example\nMAIL FROM:<ana@shop.example>\n250 OK\nRCPT TO:<bob@shop.example>\n550 5.1.1 <bob@shop.example>: user unknown\n",
        );
        assert_eq!(f.refused_by, Some(RefusedBy::Local));
    }

    /// A session to a mail provider's inbound MX (a Google Workspace domain's `mx.google.com`,
    /// a Microsoft 365 domain's `*.mail.protection.outlook.com`) is refused by the
    /// recipient's provider, though its name is not in the recipient's domain; its
    /// submission server (`smtp.gmail.com`) is a client's own server.
    #[test]
    fn a_session_to_a_provider_s_inbound_mx_is_a_remote_refusal() {
        let session = |host: &str| {
            format!(
                "220 {host} ESMTP ready\nEHLO me\n250-{host} at your service\n250 SIZE 157286400\nMAIL FROM:<ana@shop.example>\n250 2.1.0 OK\nRCPT TO:<bob@partner.example>\n550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\n"
            )
        };
        for host in [
            "mx.google.com",
            "partner-example.mail.protection.outlook.com",
        ] {
            assert_eq!(
                facts(&session(host)).refused_by,
                Some(RefusedBy::Remote),
                "{host}"
            );
        }
        assert_eq!(
            facts(&session("smtp.gmail.com")).refused_by,
            Some(RefusedBy::Local)
        );
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
