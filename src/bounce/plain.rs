//! Which reader reads text that is not a whole message: a log, an SES notification, a
//! plain-text NDR (a webmail body), a session transcript, DSN fields copied as text, a
//! client's error text; each is tried in that order and the first that finds a failure
//! wins (a transcript only over a report that names no command it answered).

use super::model::{Bounce, Format, Record, Stage};
use super::report::Report;
use super::service::ServiceReport;
use super::{
    client, dsn, events, journal, log, mailq, ndr, qmail_log, ses, table, time, transcript, w3c,
    when,
};

/// The line where a message's body starts (its first blank line, or 0 when it has none),
/// and the text from that line on.
pub(super) fn body_of(text: &str) -> (usize, &str) {
    // `text.split_inclusive('\n')`, each break found with the vectorised memchr.
    let mut offset = 0;
    let mut n = 0;
    while offset < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[offset..])
            .map_or(text.len(), |i| offset + i + 1);
        // `\n` is ASCII: `offset` and `end` are char boundaries.
        if text.get(offset..end).is_some_and(super::lines::is_blank) {
            return (n, &text[offset..]);
        }
        offset = end;
        n += 1;
    }
    (0, text)
}

/// The sender a delivery report's table or labelled rows name (a tracking view's table
/// over log lines, Office 365's "Original Message Details" under a client's copy of the
/// NDR) when the table fails a recipient `bounce` already holds: the same message.
pub(super) fn table_sender(lines: &[&str], bounce: &Bounce) -> Option<String> {
    let t = table::read(lines)?;
    let same_message = t.records.iter().any(|tr| {
        bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .zip(tr.recipient.as_deref())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        })
    });
    if same_message { t.sender } else { None }
}

/// Text that is not a whole message: logs, transcripts, a webmail body, an error dialog.
/// Returns the text's report when one of the readers needed it split as a report (the
/// caller reads the returned original's headers from the same split).
pub(super) fn read<'a>(text: &'a str, bounce: &mut Bounce) -> Option<Report<'a>> {
    let lines: Vec<&str> = text.lines().collect();
    let lines = &lines[..];
    if memchr::memmem::find(text.as_bytes(), b"delivery ").is_some() && qmail_log::detect(lines) {
        qmail_log::parse(lines, bounce);
        if !bounce.records.is_empty() {
            return None;
        }
    }
    if memchr::memmem::find(text.as_bytes(), b"\"queue_name\"").is_some()
        && mailq::parse_json(lines, bounce)
        && !bounce.records.is_empty()
    {
        return None;
    }
    if mailq::detect(lines) {
        mailq::parse(lines, bounce);
        if !bounce.records.is_empty() {
            return None;
        }
    }
    // A journal exported as JSON holds its log lines in its entries.
    let journal = journal::syslog_lines(text, lines)
        .or_else(|| journal::rfc5424_lines(lines))
        .or_else(|| journal::quoted_lines(lines));
    let journal_lines: Vec<&str>;
    let log_lines: &[&str] = match &journal {
        Some(j) => {
            journal_lines = j.iter().map(String::as_str).collect();
            &journal_lines
        }
        None => lines,
    };
    if (journal.is_some() || log::may_hold_log_lines(text)) && log::detect(log_lines) {
        log::parse(log_lines, bounce);
        if journal.is_some() {
            for r in &mut bounce.records {
                r.source_line = None;
            }
        }
        if !bounce.records.is_empty() {
            bounce.format = if bounce.reporting_mta.is_some() {
                Format::PostfixLog
            } else {
                Format::EximLog
            };
            // Lines whose message's sender they do not show, under a tracking view's table
            // (Proxmox Mail Gateway, a log search) that does, for the same recipient.
            if bounce.sender.is_none() {
                bounce.sender = table_sender(lines, bounce);
            }
            // A log line quoted in an alert, a chat or a panel that names the sender on a
            // labelled row of its own.
            if bounce.sender.is_none() {
                bounce.sender = table::labelled_sender(lines);
            }
            return None;
        }
    }
    // An Amazon SES notification pasted from a mailbox or an application's log, or
    // another sending service's delivery events copied from its dashboard or a log.
    if let Some(report) = ses::read(text)
        .filter(|n| !n.records.is_empty())
        .or_else(|| events::read(text).filter(|e| !e.records.is_empty()))
    {
        adopt_service_report(bounce, report);
        return None;
    }
    // An admin tool's delivery report: a table row under its column names, or labelled
    // fields (Track Delivery, a message trace, a mail log browser).
    if let Some(t) = table::read(lines) {
        bounce.format = Format::Body;
        bounce.records = t.records;
        // A report's own labelled sender row above its table (`From email: x@y`).
        bounce.sender = t.sender.or_else(|| table::labelled_sender(lines));
        // The NDR's own date, as the view above it printed it, is when the failure was
        // reported; the returned message's creation came before.
        let view_date = t
            .timestamp_is_creation
            .then(|| when::view_date(text, bounce))
            .flatten();
        if let Some((at, raw, basis)) = view_date {
            bounce.timestamp = Some(at);
            bounce.timestamp_raw = Some(raw);
            bounce.timestamp_basis = basis;
        } else if let Some(when) = t.timestamp {
            bounce.timestamp = time::parse_written(&when)
                .map(|(at, _)| at)
                .or_else(|| time::parse_any(&when));
            bounce.timestamp_raw = Some(when);
        }
        // Delivery-status fields copied as text read as labelled rows too: their
        // per-message fields name the sender and the reporting MTA.
        inline_message_fields(text, bounce);
        return None;
    }
    // Python's smtplib lists each refused recipient with its reply.
    if memchr::memmem::find(text.as_bytes(), b"SMTPRecipientsRefused").is_some() {
        let records = super::client::python_recipients_refused(lines);
        if !records.is_empty() {
            bounce.format = Format::ErrorText;
            bounce.records = records;
            return None;
        }
    }
    // Or the sender, at MAIL FROM: the exception names it after the reply.
    if memchr::memmem::find(text.as_bytes(), b"SMTPSenderRefused").is_some()
        && let Some((record, sender)) = super::client::python_sender_refused(lines)
    {
        bounce.format = Format::ErrorText;
        bounce.records = vec![record];
        bounce.sender = Some(sender);
        return None;
    }
    let report = Report::new(text);
    // A view's To line names the customer: not a failed recipient unless a failure follows.
    let own: Vec<String> = view_own_address(text).into_iter().collect();
    let mut records = ndr::extract_from(&report, &own, Some(0), None);
    // Unless the failure is a loop, which fails the customer's own address (a forward
    // back to itself): read again with that address as a recipient.
    if !own.is_empty()
        && records
            .iter()
            .all(|r| r.recipient.is_none() && super::sender::fails_own_address(r))
        && !records.is_empty()
    {
        let again = ndr::extract_from(&report, &[], Some(0), None);
        if again.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(&own[0]))
        }) {
            records = again;
        }
    }
    let has_response = records
        .iter()
        .any(|r| r.reply_code.is_some() || r.status.is_some());
    let named = records.iter().any(|r| r.recipient.is_some());
    // Postfix's transcript to the postmaster wraps its lines: read it joined.
    let chat = transcript::postfix_chat(lines);
    // IIS's SMTP log records a session a row per command or reply: read it as the session.
    let iis = if chat.is_none() {
        w3c::session(lines)
    } else {
        None
    };
    let chat_lines: Vec<&str>;
    let session: &[&str] = match chat.as_ref().or(iis.as_ref().map(|s| &s.lines)) {
        Some(c) => {
            chat_lines = c.iter().map(String::as_str).collect();
            &chat_lines
        }
        None => lines,
    };
    // A report's own account of the session (Sendmail's "Transcript of session follows",
    // its `>>>` / `<<<` lines) explains the failures its list names: the list decides.
    let seen_session = transcript::detect(session);
    let report_decides = seen_session && has_response && named && quotes_its_session(text);
    let is_session = seen_session && !report_decides;
    // A code and status read from an application's logged context (WooCommerce's
    // `CONTEXT: {..."smtp_code":553,"smtp_code_ex":"5.7.1"}` on the line under PHPMailer's
    // message) carry no words: PHPMailer's own list of refused recipients has them.
    let client_words = client::words_for_wordless(lines, &mut records);
    if has_response && named && !is_session {
        if report_decides {
            // The transcript says which command the refusal answered.
            let mut t = Bounce::default();
            let _ = transcript::parse(session, &mut t);
            for r in &mut records {
                if let Some(stage) = t
                    .records
                    .iter()
                    .find(|s| s.reply_code.is_some() && s.reply_code == r.reply_code)
                    .and_then(|s| s.stage)
                {
                    r.stage = Some(stage);
                }
            }
        }
        // Words from the client's error make it the client's error text.
        bounce.format = if client_words {
            Format::ErrorText
        } else {
            Format::Body
        };
        bounce.records = records;
        inline_message_fields(text, bounce);
        return Some(report);
    }
    if is_session {
        let mut t = Bounce::default();
        let server = transcript::parse(session, &mut t);
        if chat.is_some() || iis.is_some() {
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
            // The server the session spoke to refused: name it.
            if let Some(server) = server {
                for r in &mut t.records {
                    r.remote_host.get_or_insert_with(|| server.clone());
                }
            }
            bounce.format = Format::Transcript;
            bounce.sender = t.sender;
            bounce.records = t.records;
            bounce.timestamp = t.timestamp;
            bounce.timestamp_raw = t.timestamp_raw;
            if let Some((at, raw)) = iis.and_then(|s| s.failure) {
                bounce.timestamp = Some(at);
                bounce.timestamp_raw = Some(raw);
            }
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
        adopt_message_fields(&ds.message, bounce);
        return Some(report);
    }
    // Postfix's own verdicts carry no reply code (`<x@y>: mail for y loops back to
    // myself`, a null MX, a DNS failure): its `<recipient>: reason` line is the record,
    // before any reply line further down (another bounce pasted below it). So do Exim's
    // (`Unrouteable address`, `all hosts ... have been failing`), each under its entry in
    // the list of failed addresses.
    let verdicts: Vec<Record> = records
        .iter()
        .filter(|r| {
            r.diagnostic.is_some()
                && r.recipient
                    .as_deref()
                    .is_some_and(|a| verdict_line(lines, a) || ndr::listed_under_heading(lines, a))
        })
        .cloned()
        .collect();
    if !verdicts.is_empty() {
        bounce.format = Format::Body;
        bounce.records = verdicts;
        return Some(report);
    }
    // No recipient named: a dialog's error text or a bare reply line.
    client::read(lines, bounce);
    if !bounce.records.is_empty() {
        bounce.format = Format::ErrorText;
    } else if has_response {
        bounce.format = Format::Body;
        bounce.records = records;
    } else {
        // An address its line labels as the sender (`From: x`) is none a verdict fails.
        let named = records
            .iter()
            .find(|r| {
                r.recipient
                    .as_deref()
                    .is_some_and(|a| !ndr::labelled_as_sender(lines, a))
            })
            .cloned();
        if let Some(verdict) = codeless_verdict(lines) {
            // A DNS failure or an unreachable server is reported without a reply code too
            // (Gmail's `DNS Error:` or `[mx...: timed out]` under the sentence that names
            // the recipient): the recipient the report names failed for that reason.
            if let Some(mut r) = named {
                r.diagnostic = Some(verdict);
                bounce.format = Format::Body;
                bounce.records = vec![r];
            }
        }
    }
    Some(report)
}

/// A body pasted with its delivery-status part inline (a mail client shows the part as
/// text under the notice): the per-message fields name the reporting MTA, the queue id and
/// the sender (`X-Postfix-Sender`), which the notice's text does not.
fn inline_message_fields(text: &str, bounce: &mut Bounce) {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"Reporting-MTA:").is_none()
        && memchr::memmem::find(bytes, b"X-Postfix-Sender:").is_none()
    {
        return;
    }
    adopt_message_fields(&dsn::parse(text).message, bounce);
}

/// The per-message fields of a delivery-status part, where the bounce has none yet.
fn adopt_message_fields(message: &dsn::Fields, bounce: &mut Bounce) {
    if bounce.reporting_mta.is_none() {
        bounce.reporting_mta = message
            .get("reporting-mta")
            .map(|m| dsn::strip_diagnostic_type(m).to_string());
    }
    if bounce.queue_id.is_none() {
        bounce.queue_id = message.get("x-postfix-queue-id").map(str::to_string);
    }
    if bounce.sender.is_none() {
        bounce.sender = message
            .get("x-postfix-sender")
            .map(dsn::strip_address_type)
            .filter(|s| !s.is_empty());
    }
}

/// What a sending service's JSON says becomes the bounce's.
fn adopt_service_report(bounce: &mut Bounce, report: ServiceReport) {
    bounce.format = Format::Body;
    bounce.records = report.records;
    bounce.sender = report.sender;
    bounce.reporting_mta = report.reporting_mta;
    bounce.message_id = report.message_id;
    if let Some(when) = report.timestamp {
        bounce.timestamp = time::parse_any(&when);
        bounce.timestamp_raw = Some(when);
    }
}

/// The line (and the lines that continue it) stating that a DNS lookup failed or the
/// recipient's servers could not be reached, in a report that gives no reply code
/// (vocabulary `[dns-verdicts]`, `[connection-verdicts]`).
fn codeless_verdict(lines: &[&str]) -> Option<String> {
    let dns = super::vocabulary::words("dns-verdicts");
    let connection = super::vocabulary::words("connection-verdicts");
    let form = super::vocabulary::words("address-verdicts");
    let at = lines.iter().take(2000).position(|l| {
        let lower = l.to_ascii_lowercase();
        dns.iter()
            .chain(connection)
            .chain(form)
            .any(|w| lower.contains(w))
    })?;
    let parts = lines[at..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.is_empty())
        .take(4);
    Some(super::response::unfold(parts)).filter(|v| !v.is_empty())
}

/// Whether a line opens with `<address>:` and words after it, as Postfix's bounce writes
/// each recipient's verdict (`bounce_notify_util`: `<%s>: %s`), or holds `<address>:` alone
/// with the verdict on the next line (qmail's layout, which Yahoo's notice follows: `No MX
/// or A records for ...`).
fn verdict_line(lines: &[&str], address: &str) -> bool {
    let after_address = |l: &str| -> Option<usize> {
        let t = l.trim_start();
        let r = t.strip_prefix('<')?;
        r.get(..address.len())
            .filter(|a| a.eq_ignore_ascii_case(address))?;
        r[address.len()..].strip_prefix(">:")?;
        Some(l.len() - t.len() + 1 + address.len() + 2)
    };
    let lines = &lines[..lines.len().min(2000)];
    lines.iter().enumerate().any(|(i, l)| {
        let Some(at) = after_address(l) else {
            return false;
        };
        let reason = l[at..].trim();
        if !reason.is_empty() {
            return reason.len() >= 4;
        }
        lines
            .get(i + 1)
            .is_some_and(|next| next.trim().len() >= 4 && !next.contains('@'))
    })
}

/// The value of a webmail view's "To" line, in the view's language (vocabulary
/// `[to-labels]`), written `Label: value` or, as Roundcube lays it out, `Label<TAB>value`.
fn to_field(line: &str) -> Option<&str> {
    let labelled = view_row(line)
        .filter(|(label, _)| super::vocabulary::words("to-labels").contains(&label.as_str()));
    match labelled {
        Some((_, value)) => Some(value),
        None => spaced_cjk_label(line, "to-labels"),
    }
}

/// A customer's note beside a dialog saying whom the message was for, in brackets and with
/// words after the address (`(кому: x@y — лист з рахунком)`): the one address after the To
/// label.
fn noted_to_field(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix(['(', '['])?;
    let (label, value) = inner.split_once([':', '：'])?;
    let label = label.trim().to_lowercase();
    if !super::vocabulary::words("to-labels").contains(&label.as_str()) {
        return None;
    }
    let first = value.split_whitespace().next()?;
    let first = first.trim_end_matches([')', ']', ',', ';']);
    (first.contains('@') && value.matches('@').count() == 1).then_some(first)
}

/// The value of a Korean or Chinese view's row written `Label value` with one space (`받는사람
/// 김민지 <x@y>`), for a label of vocabulary `section` in those scripts only (an English
/// `To x` is a sentence as often as a row).
fn spaced_cjk_label<'a>(line: &'a str, section: &str) -> Option<&'a str> {
    let t = line.trim();
    let (label, value) = t.split_once(' ')?;
    let cjk = label.chars().all(|c| {
        matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{4E00}'..='\u{9FFF}' | '\u{3040}'..='\u{30FF}')
    });
    (cjk && value.contains('@') && super::vocabulary::words(section).contains(&label))
        .then_some(value)
}

/// The one address on a client dialog's To row (Foxmail's failure dialog: `收件人：x@y`
/// under `账号：`), when it is not the account's: the recipient of the message that failed.
///
/// The row's one address is taken as typed (a comma for a dot, `x@example,cn`, is what the
/// server refused), with or without a name before it in brackets.
pub(super) fn dialog_to_row(lines: &[&str], account: Option<&str>) -> Option<String> {
    let value = lines
        .iter()
        .find_map(|l| to_field(l).or_else(|| noted_to_field(l)))?
        .trim();
    let address = match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value,
    }
    .trim();
    let one = address.matches('@').count() == 1 && !address.contains(char::is_whitespace);
    (one && !account.is_some_and(|a| a.eq_ignore_ascii_case(address))).then(|| address.to_string())
}

/// A message the customer wrote or forwarded, its header rows above the error (a compose
/// screen copied with its send error, a forward to the support desk): its From is the
/// sender, and no failed recipient unless the server's words name it.
pub(super) fn customer_s_own_header_rows(text: &str, bounce: &mut Bounce) {
    let lines: Vec<&str> = text.lines().take(40).collect();
    let from = lines.iter().enumerate().find_map(|(i, l)| {
        let block = &lines[i.saturating_sub(4)..(i + 5).min(lines.len())];
        (from_row_names_a_person(l) && block.iter().any(|b| to_field(b).is_some()))
            .then(|| view_row(l).and_then(|(_, v)| super::address::first_in(v)))
            .flatten()
    });
    let Some(from) = from else {
        return;
    };
    for r in &mut bounce.records {
        let is_from = r
            .recipient
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(from));
        let named_by_server = r
            .diagnostic
            .as_deref()
            .is_some_and(|d| d.to_ascii_lowercase().contains(&from.to_ascii_lowercase()));
        if is_from && !named_by_server && !super::sender::fails_own_address(r) {
            r.recipient = None;
        }
    }
    if bounce.sender.is_none() {
        bounce.sender = Some(from.to_string());
    }
}

/// The last sign of the sender in a view of a bounce that names none elsewhere: a
/// From-labelled row naming a person (Gmail's app shows `Lähettäjä: x` in the bounce's
/// details; a ticket's copy keeps the customer's `From:` line). Only when the paste shows
/// a mail system's From as well, or a heading only a mail system's report writes (Exchange's
/// "Diagnostic information for administrators", over its `From:` row), so the person's
/// address is not the bounce's author, and never a failed recipient.
pub(super) fn person_from_row(text: &str, bounce: &Bounce) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(60).collect();
    if !shows_a_system_s_report(&lines) {
        return None;
    }
    lines.iter().find_map(|l| {
        if !from_row_names_a_person(l) {
            return None;
        }
        let address = view_row(l).and_then(|(_, v)| super::address::first_in(v))?;
        let a_recipient = bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(address))
        });
        (!a_recipient).then(|| address.to_string())
    })
}

/// Whether `lines` show a mail system's report: a line naming a bounce's sender (a
/// daemon's From) or a heading only such a report writes (vocabulary `[admin-headings]`).
pub(super) fn shows_a_system_s_report(lines: &[&str]) -> bool {
    let headings = super::vocabulary::words("admin-headings");
    lines.iter().any(|l| {
        ndr::names_a_bounce_sender(l) || {
            let lower = l.trim().to_lowercase();
            headings.iter().any(|h| lower.starts_with(h))
        }
    })
}

/// Whether `line` is a header row's From (vocabulary `[from-labels]`) naming a person's
/// address, not a mail system's.
fn from_row_names_a_person(line: &str) -> bool {
    let Some((label, value)) = view_row(line) else {
        return false;
    };
    super::vocabulary::words("from-labels").contains(&label.as_str())
        && super::address::first_in(value).is_some_and(|a| !ndr::is_role_address(a))
        && !ndr::names_a_bounce_sender(value)
}

/// A view's header row: its label, lowercased, and its value. Written `Label: value`,
/// `Label<TAB>value` as Roundcube lays its rows out, or `Label   value` aligned with spaces
/// (Korean and Japanese webmail views copied as text: `날짜      2026년 11월 24일 ...`).
pub(super) fn view_row(line: &str) -> Option<(String, &str)> {
    let t = line.trim();
    let aligned = t
        .find("  ")
        .filter(|&at| at <= 24 && !t[..at].contains([':', '：', '\t']))
        .map(|at| (&t[..at], &t[at..]));
    let (label, value) = match aligned {
        Some(row) => row,
        // Chinese and Japanese views write a full-width colon (`收件人：x`).
        None => t
            .split_once([':', '：'])
            .filter(|(l, _)| !l.contains('\t'))
            .or_else(|| t.split_once('\t'))?,
    };
    let label = label.trim().to_lowercase();
    // Chinese views pad two-character labels to the width of four (`时　间`).
    let label = if label.contains('\u{3000}') {
        label.replace('\u{3000}', "")
    } else {
        label
    };
    Some((label, value))
}

/// The address on a webmail view's "To" line above the bounce (`To: Olga <olga@...>`, or
/// `To: olga@...` under the sender's name and time): the customer's own, the original's
/// sender, never a failed recipient.
fn view_own_address(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(40).collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = to_field(line).or_else(|| gmail_style_to(&lines, i)) else {
            continue;
        };
        // Below the view's own first lines, a header block is the bounce's (a forward
        // of it in a ticket) only when its From is a mail system's: another block's To is
        // a person's.
        let block = &lines[i.saturating_sub(4)..(i + 4).min(lines.len())];
        if i >= 8 && !block.iter().any(|l| ndr::names_a_bounce_sender(l)) {
            continue;
        }
        // A person's From beside it: a message the customer wrote (a compose screen) or
        // forwarded, whose To is someone else. So is a client's account row beside it
        // (Foxmail's failure dialog: `账号：x@y` over `收件人：z@w`), or an Outbox's title.
        if block.iter().any(|l| {
            from_row_names_a_person(l)
                || client::account_row_value(l).is_some()
                || client::outbox_account(l).is_some()
        }) {
            continue;
        }
        let rest = rest.trim();
        let addr = match (rest.rfind('<'), rest.rfind('>')) {
            (Some(a), Some(b)) if a < b => &rest[a + 1..b],
            _ => rest,
        };
        if addr.contains('@') && !addr.contains(' ') {
            return Some(addr.to_string());
        }
    }
    None
}

/// The addressee line of a view laid out as Gmail's web view lays it out (and Zoho's after
/// it): no label, a lowercase `to` and one address (`to me` when the reader is the
/// addressee), right under the mail system's From line. The address after it. Mobile apps
/// (Thunderbird for Android) write both labels capitalised without a colon: `From x`, `To y`.
fn gmail_style_to<'a>(lines: &[&'a str], i: usize) -> Option<&'a str> {
    let t = lines[i].trim();
    let value = t
        .strip_prefix("to ")
        .or_else(|| t.strip_prefix("To "))?
        .trim();
    let one_address = value.contains('@') && !value.contains([' ', ',', ';']);
    let under_a_mail_system = lines[i.saturating_sub(3)..i]
        .iter()
        .any(|l| ndr::names_a_bounce_sender(l) || ndr::system_from_on_date(l).is_some());
    (one_address && under_a_mail_system).then_some(value)
}

/// A webmail view shows the bounce's own header lines as text above its body: the address
/// on its "To" line is the customer's (see [`view_own_address`]), the sender.
pub(super) fn webmail_header_lines(text: &str, bounce: &mut Bounce) {
    let Some(own) = view_own_address(text) else {
        return;
    };
    let before = bounce.records.len();
    // Postfix's verdict line naming the customer's own address (`<own>: mail forwarding
    // loop for own`) is a failure of that address, not the view's To.
    let lines: Vec<&str> = text.lines().take(2000).collect();
    let own_verdict = verdict_line(&lines, &own);
    bounce.records.retain(|r| {
        own_verdict
            || !(r
                .recipient
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

/// The sender named in a report's summary of the returned message, a `Subject:` /
/// `From:` block above the failed recipient (GroupWise's "The message that you sent was
/// returned as undeliverable", then the message's subject, date and author). Only a
/// person's address counts: a mail system's From line is the bounce's own header, and a
/// failed recipient is never the sender.
pub(super) fn summary_sender(text: &str, bounce: &Bounce) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(40).collect();
    let first_named = lines.iter().position(|l| {
        let lower = l.to_ascii_lowercase();
        bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|a| lower.contains(&a.to_ascii_lowercase()))
        })
    })?;
    fn label_of(l: &str) -> Option<(String, &str)> {
        l.split_once(':')
            .map(|(label, value)| (label.trim().to_ascii_lowercase(), value))
    }
    lines[..first_named].iter().enumerate().find_map(|(i, l)| {
        let (label, value) = label_of(l)?;
        if label != "from" {
            return None;
        }
        let block = &lines[i.saturating_sub(3)..(i + 4).min(first_named)];
        if !block
            .iter()
            .any(|b| label_of(b).is_some_and(|(lb, _)| lb == "subject"))
        {
            return None;
        }
        let addr = super::address::first_in(value)?;
        let local = addr
            .split('@')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let a_system = ndr::names_a_bounce_sender(l)
            || super::vocabulary::words("daemon-mailboxes").contains(&local.as_str())
            || local.starts_with("microsoftexchange");
        let a_recipient = bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(addr))
        });
        (!a_system && !a_recipient).then(|| addr.to_string())
    })
}

/// Whether a report introduces its own transcript of the session (Sendmail's heading).
fn quotes_its_session(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(text.len().min(64 * 1024))];
    head.to_ascii_lowercase()
        .contains("transcript of session follows")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `body_of` as it was first written, over `split_inclusive` and `trim`.
    fn body_of_reference(text: &str) -> (usize, &str) {
        let mut offset = 0;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            if line.trim().is_empty() {
                return (n, &text[offset..]);
            }
            offset += line.len();
        }
        (0, text)
    }

    #[test]
    fn an_unreachable_server_fails_the_recipient_the_report_names_not_the_sender() {
        let view = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n\n** Message not delivered **\n\nYour message wasn't delivered to bob@far.example because the remote server isn't responding.\n\nThe response from the remote server was:\n[mx.far.example. 192.0.2.7: timed out]\n";
        let mut b = Bounce::default();
        read(view, &mut b);
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        let log = "12/04/2026 10:10:03 PM - Email send attempt\nFrom: shop@near.example\nSMTP ERROR: Failed to connect to server: Connection timed out (110)\n";
        let mut b = Bounce::default();
        read(log, &mut b);
        assert!(
            b.records
                .iter()
                .all(|r| r.recipient.as_deref() != Some("shop@near.example"))
        );
    }

    #[test]
    fn body_of_agrees_with_its_first_form() {
        let pieces = [
            "\n",
            "\r\n",
            "\r",
            " ",
            "\t",
            "From: a@b",
            "x",
            "é",
            "\u{3000}",
            "\u{85}",
            "\n\n",
            "\x0b",
            "\x1c",
        ];
        let mut g = crate::bounce::test_rng::Rng::new(0x0b0d_1e5f_00d5_eed5);
        for _ in 0..50_000 {
            let len = g.below(10);
            let text: String = (0..len).map(|_| g.pick(&pieces)).collect();
            assert_eq!(body_of(&text), body_of_reference(&text), "{text:?}");
        }
    }

    #[test]
    fn gmail_s_unlabelled_to_line_names_the_customer() {
        let view = "Mail Delivery Subsystem <mailer-daemon@mail.example>\nto ann@shop.example\n06 Dec 2026, 10:27 am (IST)\n\nAddress(es) failed:\nbob@far.example, Host not found\n";
        assert_eq!(view_own_address(view).as_deref(), Some("ann@shop.example"));
        // Not under a mail system's line, or more than one address: a sentence, not the view.
        let prose = "Your message could not be sent\nto ann@shop.example\n";
        assert_eq!(view_own_address(prose), None);
        let two = "Mail Delivery Subsystem <mailer-daemon@mail.example>\nto ann@shop.example, cy@shop.example\n";
        assert_eq!(view_own_address(two), None);
    }

    #[test]
    fn a_korean_row_s_label_and_value_one_space_apart() {
        assert_eq!(
            to_field("받는사람 김민지 <kim@near.example>"),
            Some("김민지 <kim@near.example>")
        );
        assert_eq!(
            to_field("Alıcı: <satis@near.example>"),
            Some(" <satis@near.example>")
        );
        // An English `To x` with one space is as often a sentence: not a row.
        assert_eq!(to_field("To kim@near.example we wrote"), None);
        assert_eq!(to_field("받는사람 김민지"), None);
    }

    #[test]
    fn a_person_s_from_row_beside_a_mail_system_s_is_the_sender() {
        let bounce = with_recipient("bob@far.example");
        let view = "Mail Delivery Subsystem\nmailer-daemon@googlemail.com\n\nAddress not found\nbob@far.example\n\nLähettäjä: ann@shop.example\n";
        assert_eq!(
            person_from_row(view, &bounce).as_deref(),
            Some("ann@shop.example")
        );
        // No mail system in sight: the From may be anyone's.
        let mail = "From: ann@shop.example\nbob@far.example failed\n";
        assert_eq!(person_from_row(mail, &bounce), None);
        // A failed recipient is never the sender.
        let odd = "Mail Delivery Subsystem <mailer-daemon@mail.example>\nFrom: bob@far.example\n";
        assert_eq!(person_from_row(odd, &bounce), None);
    }

    fn with_recipient(addr: &str) -> Bounce {
        Bounce {
            records: vec![Record {
                recipient: Some(addr.to_string()),
                ..Record::default()
            }],
            ..Bounce::default()
        }
    }

    /// The returned message's summary names its author; a mail system's From line, a
    /// From without a Subject beside it, or one below the failed recipient does not.
    /// A view's rows as webmail lays them out: `Label: value`, `Label<TAB>value`, and
    /// labels aligned with spaces (Korean webmail copied as text).
    /// A compose screen copied with its send error (German Thunderbird): its From is the
    /// sender, its To no sender, and the From is no failed recipient.
    #[test]
    fn a_compose_screen_s_from_is_the_sender() {
        let text = "Verfassen: Pläne\nVon: Jana <jana@near.example>\nAn: bau@far.example\n\nSenden der Nachricht fehlgeschlagen\nAntwort des Mail-Servers:\n552 5.3.4 Message size exceeds fixed limit.\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("jana@near.example"));
        assert!(
            b.records
                .iter()
                .all(|r| r.recipient.as_deref() != Some("jana@near.example"))
        );
        assert_eq!(b.records[0].reply_code, Some(552));
    }

    /// A Sendmail report's body with its transcript: the recipient its list names failed,
    /// though the remote refused the sender at MAIL FROM.
    #[test]
    fn a_report_s_own_transcript_does_not_replace_its_list() {
        let text = "   ----- The following addresses had permanent fatal errors -----\n<bob@far.example>\n    (reason: 553 5.1.8 <ann@near.example>... Domain of sender address ann@near.example does not exist)\n\n   ----- Transcript of session follows -----\n... while talking to mx.far.example.:\n>>> MAIL From:<ann@near.example> SIZE=1882\n<<< 553 5.1.8 <ann@near.example>... Domain of sender address ann@near.example does not exist\n501 5.6.0 Data format error\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.records[0].reply_code, Some(553));
        assert_eq!(b.records[0].stage, Some(Stage::MailFrom));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        // The command the refusal answered, not the transcript's first.
        let rcpt = text
            .replace("501 5.6.0 Data format error", "")
            .replace(
                "<<< 553 5.1.8",
                "<<< 250 2.1.0 <ann@near.example>... Sender ok\n>>> RCPT To:<bob@far.example>\n<<< 553 5.1.8",
            );
        let b = super::super::parse(rcpt.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].stage, Some(Stage::RcptTo));
    }

    /// Outlook on the web's card copied as text: the postmaster's address under the
    /// sender's display name is no failed recipient.
    #[test]
    fn a_view_s_postmaster_sender_is_no_recipient() {
        let text = "Microsoft Outlook\npostmaster@near.example\nTo:\nann@near.example\n\nDelivery has failed to these recipients or groups:\n\nbob@far.example\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@far.example not found by SMTP address lookup'\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        let recipients: Vec<_> = b.records.iter().map(|r| r.recipient.as_deref()).collect();
        assert_eq!(recipients, [Some("bob@far.example")]);
    }

    #[test]
    fn view_rows_in_their_layouts() {
        let row = |l: &str| view_row(l).map(|(label, value)| (label, value.trim().to_string()));
        assert_eq!(
            row("Til: Ola <ola@near.example>"),
            Some(("til".into(), "Ola <ola@near.example>".into()))
        );
        assert_eq!(
            row("Date\tMon, 30 Nov 2026 10:02"),
            Some(("date".into(), "Mon, 30 Nov 2026 10:02".into()))
        );
        assert_eq!(
            row("날짜      2026년 11월 24일 (화) 오전 10:31:07"),
            Some(("날짜".into(), "2026년 11월 24일 (화) 오전 10:31:07".into()))
        );
        let text = "보낸사람  Mail Delivery System <MAILER-DAEMON@mail.near.example>\n받는사람  kim@near.example\n날짜      2026년 11월 24일 (화) 오전 10:31:07\n\n<bob@far.example>: host mx.far.example[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("kim@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-24T10:31:07+00:00")
        );
    }

    #[test]
    fn the_author_in_a_summary_of_the_returned_message() {
        let b = with_recipient("mark@far.example");
        let text = "The message that you sent was returned as undeliverable.\n\n  Subject:       Notes\n  Creation Date: 11/23/2026 3:44 PM\n  From:          Anne <anne@near.example>\n\n  Undeliverable to:  mark@far.example\n";
        assert_eq!(
            summary_sender(text, &b).as_deref(),
            Some("anne@near.example")
        );
        let system = "Subject: Undelivered Mail\nFrom: Mail Delivery System <MAILER-DAEMON@near.example>\n\nmark@far.example\n";
        assert_eq!(summary_sender(system, &b), None);
        let no_subject = "From: Anne <anne@near.example>\n\nmark@far.example\n";
        assert_eq!(summary_sender(no_subject, &b), None);
        let below = "mark@far.example\n553 no\nSubject: Notes\nFrom: anne@near.example\n";
        assert_eq!(summary_sender(below, &b), None);
        let recipient = "Subject: Re: Notes\nFrom: Mark <mark@far.example>\n\nmark@far.example\n";
        assert_eq!(summary_sender(recipient, &b), None);
    }
}
