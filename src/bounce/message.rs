//! Full RFC 5322 messages, through mail-parser: the bounce's own parts (human text,
//! message/delivery-status, feedback report) and the returned original's headers.

use std::borrow::Cow;

use mail_parser::{Message, MimeHeaders, PartType};

use super::dsn::{self, DeliveryStatus};
use super::model::{Action, Bounce, Format, Record};
use super::report::{self, Report};
use super::rfc5322::PARSER;
use super::{ndr, time};

/// Facts about the returned original message.
#[derive(Debug, Default)]
struct Original {
    return_path: Option<String>,
    from: Option<String>,
    to: Option<String>,
    message_id: Option<String>,
    subject: Option<String>,
}

/// What the bounce's own parts hold, before deciding on records.
#[derive(Default)]
struct Parts<'m> {
    /// Borrowed from the parsed message where mail-parser could (a 5 MB body is not copied).
    human: Vec<Cow<'m, str>>,
    delivery_status: Option<DeliveryStatus>,
    feedback: Option<String>,
    original: Option<Original>,
    has_delivery_status: bool,
}

/// Parse a whole message into `bounce`. False when mail-parser cannot read it at all.
/// `human_out` receives the decoded human-readable part (for the facts step).
pub fn parse<'a>(raw: &'a [u8], bounce: &mut Bounce, human_out: &mut Cow<'a, str>) -> bool {
    let Some(msg) = PARSER.parse(raw) else {
        return false;
    };
    let mut parts = collect_parts(&msg);
    // A bounce forwarded or wrapped as an attachment (a scanner's notice, an agent's
    // forward): the report is the attached message, when the outer one has none of its own.
    if parts.delivery_status.is_none()
        && parts.feedback.is_none()
        && let Some(inner) = wrapped_report(&msg)
        && inner.len() < raw.len()
    {
        let mut human = Cow::Borrowed("");
        let parsed = parse(inner, bounce, &mut human);
        *human_out = match slice_of(raw, &human) {
            Some(in_raw) => Cow::Borrowed(in_raw),
            None => Cow::Owned(human.into_owned()),
        };
        return parsed;
    }
    let bounce_to = msg
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_string);
    let bounce_from = msg
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_string);
    let original = parts.original.unwrap_or_default();
    // A person's forward of a bounce (the customer's to the support desk, a colleague's
    // to the customer): the bounce's own header block in the body names the customer and
    // the time, not the forward's headers.
    let forwarded_bounce = bounce_from
        .as_deref()
        .filter(|f| !ndr::is_role_address(f))
        .and_then(|_| parts.human.first())
        .and_then(|h| super::when::bounce_block(h));

    let mut exclude: Vec<String> = Vec::new();
    exclude.extend(bounce_to.iter().cloned());
    if let Some(b) = &forwarded_bounce {
        exclude.extend(b.to.iter().cloned());
        exclude.extend(b.forwarders.iter().cloned());
    }
    exclude.extend(original.from.iter().cloned());
    exclude.extend(original.return_path.iter().cloned());
    // One part (the usual case) is used as it is; several are joined.
    let human: Cow<'_, str> = match parts.human.len() {
        0 | 1 => parts.human.pop().unwrap_or_default(),
        _ => Cow::Owned(parts.human.join("\n")),
    };
    // Split once, on first need: a delivery report that says everything needs none of it.
    let human_report = std::cell::LazyCell::new(|| Report::new(&human));

    let mut records: Vec<Record>;
    let mut per_message = dsn::Fields::default();
    let mut last_attempt: Option<String> = None;
    // The envelope sender a session transcript or a provider's notification names.
    let mut chat_sender: Option<String> = None;
    let mut ses_reporting_mta: Option<String> = None;
    // The reporting system's own domain, from its daemon's address: a person's address in
    // From (a forwarded copy) says nothing about whose mailboxes the report lists.
    let own_domain = bounce_from
        .as_deref()
        .filter(|f| ndr::is_role_address(f))
        .and_then(|f| f.rsplit_once('@'))
        .map(|(_, d)| d);
    let text_records = || ndr::extract_from(&human_report, &exclude, None, own_domain);
    if let Some(mut ds) = parts.delivery_status.filter(|d| !d.recipients.is_empty()) {
        // Moved, not cloned: nothing reads `ds.message` again.
        per_message = std::mem::take(&mut ds.message);
        records = ds.recipients.iter().map(dsn::record_of).collect();
        // The human-readable part is read only when the report leaves something out.
        if records.iter().any(needs_text) {
            complete_from_text(&mut records, &text_records());
        }
        bounce.format = Format::Dsn;
        last_attempt = ds
            .recipients
            .iter()
            .find_map(|r| r.get("last-attempt-date"))
            .map(str::to_string);
    } else {
        bounce.format = Format::Email;
        // Some servers write DSN fields into a plain-text body.
        let before = human_report.text_before_original();
        let has_fields = ["Final-Recipient", "final-recipient", "FINAL-RECIPIENT"]
            .iter()
            .any(|f| before.contains(f));
        let embedded = if has_fields {
            dsn::parse(before)
        } else {
            dsn::DeliveryStatus::default()
        };
        if embedded
            .recipients
            .iter()
            .any(|r| r.get("final-recipient").is_some())
        {
            per_message = embedded.message.clone();
            records = embedded.recipients.iter().map(dsn::record_of).collect();
            if records.iter().any(needs_text) {
                complete_from_text(&mut records, &text_records());
            }
        } else if let Some(n) = super::ses::read(&human).filter(|n| !n.records.is_empty()) {
            // An Amazon SES notification mailed by SNS: JSON, not prose.
            records = n.records;
            chat_sender = n.sender;
            ses_reporting_mta = n.reporting_mta;
        } else if let Some((chat_records, sender)) = chat_records(human_report.before_original()) {
            records = chat_records;
            chat_sender = sender;
        } else {
            records = text_records();
        }
    }

    let has_response = records
        .iter()
        .any(|r| r.reply_code.is_some() || r.status.is_some());
    if let Some(report) = parts.feedback.as_deref() {
        records = feedback_records(report, &original);
    } else if is_complaint(&msg) && original.to.is_some() && !has_response {
        // A provider's complaint that forwards the reported message without an ARF part.
        records = vec![Record {
            recipient: original.to.clone(),
            diagnostic: msg.subject().map(str::to_string),
            action: Action::Feedback,
            ..Record::default()
        }];
    } else if !has_response
        && !is_bounce_like(&msg, parts.has_delivery_status)
        && is_auto_reply(&msg)
    {
        records.clear();
        records.push(Record {
            recipient: bounce_from.clone(),
            diagnostic: msg.subject().map(str::to_string),
            action: Action::AutoReplied,
            ..Record::default()
        });
    }
    // Exim and Google list the failed addresses in a header: better than no recipient.
    if let Some(failed) = msg.header_raw("X-Failed-Recipients") {
        let addrs: Vec<String> = failed
            .split(',')
            .map(|a| a.trim().trim_matches(['<', '>']).to_string())
            .filter(|a| a.contains('@'))
            .collect();
        if records.is_empty() {
            records = addrs
                .into_iter()
                .map(|a| Record {
                    recipient: Some(a),
                    ..Record::default()
                })
                .collect();
        } else {
            for (r, a) in records.iter_mut().zip(&addrs) {
                if r.recipient.is_none() {
                    r.recipient = Some(a.clone());
                }
            }
        }
    }
    // A bounce that names no recipient at all (an empty delivery report, a body that only
    // says "user unknown"): the returned original's To is who the message was for.
    if records.iter().all(|r| r.recipient.is_none())
        && is_bounce_like(&msg, parts.has_delivery_status)
        && let Some(to) = original.to.clone()
    {
        if records.is_empty() {
            records.push(Record::default());
        }
        records[0].recipient = Some(to);
    }
    // The text part returns a notice's prose even when it names no recipient and gives no
    // code (Google Groups); outside a bounce that is just a message's text, not a record.
    if !is_bounce_like(&msg, parts.has_delivery_status) {
        records.retain(|r| {
            r.recipient.is_some()
                || r.reply_code.is_some()
                || r.status.is_some()
                || r.action != Action::Failed
        });
    }
    bounce.records = records;

    // Per-message facts.
    // A delivery-status part pasted on its own reads as a message whose headers are its
    // per-message fields.
    let own_field = |name: &'static str| msg.header_raw(name).map(str::trim);
    bounce.reporting_mta = per_message
        .get("reporting-mta")
        .or_else(|| own_field("Reporting-MTA"))
        .map(dsn::strip_diagnostic_type)
        .map(str::to_string)
        .or(ses_reporting_mta);
    bounce.queue_id = per_message.get("x-postfix-queue-id").map(str::to_string);
    bounce.sender = per_message
        .get("x-postfix-sender")
        .or_else(|| own_field("X-Postfix-Sender"))
        .map(dsn::strip_address_type)
        .filter(|s| !s.is_empty())
        .or_else(|| original.return_path.clone())
        .or(chat_sender)
        .or_else(|| forwarded_bounce.as_ref().and_then(|b| b.to.clone()))
        .or_else(|| bounce_to.clone().filter(|t| !ndr::is_role_address(t)))
        .or_else(|| original.from.clone());
    bounce.header_from.clone_from(&original.from);
    bounce.subject = original
        .subject
        .clone()
        .or_else(|| msg.subject().map(str::to_string));
    bounce.message_id = original
        .message_id
        .clone()
        .or_else(|| msg.message_id().map(str::to_string));
    // No message/rfc822 part: the original may be inline in the text (Exim, qmail, ...).
    if original.from.is_none() && original.message_id.is_none() {
        let own = report::Own {
            from: bounce_from.as_deref(),
            message_id: msg.message_id(),
        };
        report::complete(&human_report, bounce, &own);
    }
    // A bounce returns to the envelope sender: with no returned original to say who sent
    // it, the mailbox the bounce went to is the sender (`root@` of a server's cron mail, an
    // application's `noreply@`), unless it is a copy for the postmaster or a complaint
    // for the abuse desk.
    if bounce.sender.is_none() {
        bounce.sender = bounce_to.filter(|t| {
            !ndr::is_postmaster_copy_address(t)
                && !t
                    .split('@')
                    .next()
                    .is_some_and(|l| l.eq_ignore_ascii_case("abuse"))
        });
    }
    // When the failure was reported: the bounce's own Date, else the report's last attempt,
    // else when the message arrived, else Exim's Delivery-date (stamped when the bounce
    // lands in the mailbox; webmail "show original" copies often lose Date but keep it).
    // Never the returned original's Date.
    let candidates = [
        msg.header_raw("Date"),
        last_attempt.as_deref(),
        per_message.get("arrival-date"),
        msg.header_raw("Delivery-date"),
    ];
    if let Some((when, raw)) = forwarded_bounce.and_then(|b| b.date) {
        bounce.timestamp = Some(when);
        bounce.timestamp_raw = Some(raw);
    } else if let Some((raw, when)) = candidates
        .iter()
        .flatten()
        .find_map(|c| time::parse_header_date(c).map(|t| (*c, Some(t))))
        .or_else(|| candidates.iter().flatten().next().map(|c| (*c, None)))
    {
        bounce.timestamp_raw = Some(raw.trim().to_string());
        bounce.timestamp = when;
    }
    drop(human_report);
    // The facts step reads no more than this; a 5 MB body is not copied for it.
    let human = super::response::clip(&human, super::facts::SCAN_BYTES);
    // A part sent as it is lies in `raw`: borrowed from there, not copied.
    *human_out = match slice_of(raw, human) {
        Some(in_raw) => Cow::Borrowed(in_raw),
        None => Cow::Owned(human.to_owned()),
    };
    true
}

/// `part` as a slice of `raw`, when its bytes are `raw`'s own.
fn slice_of<'a>(raw: &'a [u8], part: &str) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(raw.as_ptr() as usize)?;
    let bytes = raw.get(start..start.checked_add(part.len())?)?;
    // The same bytes as `part`, so valid UTF-8: the check only turns them back into text.
    std::str::from_utf8(bytes).ok()
}

/// A Postfix session transcript mailed to the postmaster: its refusals, each answering the
/// command before it, and the session's envelope sender. `None` when the text holds no
/// such transcript or it shows no refusal.
fn chat_records(lines: &[&str]) -> Option<(Vec<Record>, Option<String>)> {
    let chat = super::transcript::postfix_chat(lines)?;
    let chat: Vec<&str> = chat.iter().map(String::as_str).collect();
    let mut session = Bounce::default();
    // Its server is the one that mailed it, refusing a client: no remote host.
    let _ = super::transcript::parse(&chat, &mut session);
    if session.records.is_empty() {
        return None;
    }
    // The transcript's lines were joined: the line is found again in the input later.
    for r in &mut session.records {
        r.source_line = None;
    }
    Some((session.records, session.sender))
}

/// Whether a delivery-status record lacks what the human-readable part may give.
fn needs_text(r: &Record) -> bool {
    r.reply_code.is_none()
        || r.diagnostic.is_none()
        || r.stage.is_none()
        || r.recipient
            .as_deref()
            .is_none_or(|x| x.starts_with('@') || !x.contains('@'))
}

/// Fill what the delivery-status left out (no Diagnostic-Code, no recipient) from the
/// human-readable part: same recipient first, else the same position.
fn complete_from_text(records: &mut [Record], from_text: &[Record]) {
    let single = records.len() == 1 && from_text.len() == 1;
    let by_recipient: std::collections::HashMap<String, &Record> = from_text
        .iter()
        .rev()
        .filter_map(|t| t.recipient.as_deref().map(|r| (r.to_ascii_lowercase(), t)))
        .collect();
    for (i, rec) in records.iter_mut().enumerate() {
        let twin = rec
            .recipient
            .as_deref()
            .and_then(|r| by_recipient.get(&r.to_ascii_lowercase()).copied())
            .or_else(|| {
                let unusable = rec
                    .recipient
                    .as_deref()
                    .is_none_or(|r| r.starts_with('@') || !r.contains('@'));
                if single || unusable {
                    from_text.get(i)
                } else {
                    None
                }
            });
        let Some(t) = twin else { continue };
        // `Final-Recipient: rfc822; @host` (no local part) is no address: the text's wins.
        let unusable = rec
            .recipient
            .as_deref()
            .is_none_or(|r| r.starts_with('@') || !r.contains('@'));
        if unusable && t.recipient.is_some() {
            rec.recipient.clone_from(&t.recipient);
        }
        if rec.reply_code.is_none() && t.reply_code.is_some() {
            rec.reply_code = t.reply_code;
            // The text's status replaces the report's unless it says less: `4.0.0` (other
            // or undefined) from a transcript is no news next to a `Status: 4.5.0`.
            let says_less = |s: &str| s.get(1..) == Some(".0.0");
            if t.status
                .as_deref()
                .is_some_and(|s| rec.status.is_none() || !says_less(s))
            {
                rec.status.clone_from(&t.status);
            }
            rec.diagnostic.clone_from(&t.diagnostic);
        }
        if rec.diagnostic.is_none() {
            rec.diagnostic.clone_from(&t.diagnostic);
        }
        rec.stage = rec.stage.or(t.stage);
        if rec.remote_host.is_none() {
            rec.remote_host.clone_from(&t.remote_host);
        }
        if rec.remote_ip.is_none() {
            rec.remote_ip.clone_from(&t.remote_ip);
        }
    }
}

/// Walk the bounce's own parts in order. Parts of the returned original are not walked:
/// mail-parser keeps them inside the nested message.
fn collect_parts<'m>(msg: &'m Message<'_>) -> Parts<'m> {
    let mut out = Parts::default();
    let mut seen_original = false;
    for part in &msg.parts {
        let (ctype, subtype) = part
            .content_type()
            .map(|c| {
                (
                    c.ctype().to_ascii_lowercase(),
                    c.subtype().unwrap_or("").to_ascii_lowercase(),
                )
            })
            .unwrap_or_default();
        match (&part.body, ctype.as_str(), subtype.as_str()) {
            (PartType::Multipart(_), _, _) => {}
            (PartType::Message(inner), _, _) => {
                if out.original.is_none() {
                    out.original = Some(original_of(inner));
                }
                seen_original = true;
            }
            (_, "message", "delivery-status" | "global-delivery-status") => {
                let charset = part.content_type().and_then(|c| c.attribute("charset"));
                let text = super::decode::delivery_status(part.contents(), charset);
                let ds = dsn::parse(&text);
                out.has_delivery_status = true;
                if out.delivery_status.is_none() {
                    out.delivery_status = Some(ds);
                }
            }
            (_, "message", "feedback-report") => {
                out.feedback = Some(String::from_utf8_lossy(part.contents()).into_owned());
            }
            (_, "text", "rfc822-headers") | (_, "message", "rfc822" | "global") => {
                let bytes = part.contents();
                if out.original.is_none()
                    && let Some(inner) = PARSER.parse_headers(bytes)
                {
                    out.original = Some(original_of(&inner));
                }
                seen_original = true;
            }
            (PartType::Text(t), _, _) if !seen_original => out.human.push(Cow::Borrowed(t)),
            (PartType::Html(h), _, _) if !seen_original && out.human.is_empty() => {
                out.human.push(Cow::Owned(html_to_text(h)));
            }
            _ => {}
        }
    }
    out
}

/// The raw bytes of an attached message that is itself a delivery report (multipart/report
/// or holding a message/delivery-status part) or a plain-text bounce.
fn wrapped_report<'a>(msg: &'a Message<'_>) -> Option<&'a [u8]> {
    let is_report = |m: &Message<'_>| {
        m.parts.iter().any(|p| {
            p.content_type().is_some_and(|c| {
                let (t, sub) = (c.ctype(), c.subtype().unwrap_or(""));
                (t.eq_ignore_ascii_case("multipart") && sub.eq_ignore_ascii_case("report"))
                    || (t.eq_ignore_ascii_case("message")
                        && (sub.eq_ignore_ascii_case("delivery-status")
                            || sub.eq_ignore_ascii_case("global-delivery-status")))
            })
        })
    };
    // A plain-text bounce attached whole (Mailman's "Uncaught bounce notification" to a
    // list's owner): sent with the null sender, or from a mail system's mailbox.
    let is_plain_bounce = |m: &Message<'_>| {
        m.header_raw("Return-Path")
            .is_some_and(|r| r.trim().trim_matches(['<', '>']).trim().is_empty())
            || m.from()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(super::ndr::is_daemon)
    };
    msg.parts.iter().find_map(|p| match &p.body {
        PartType::Message(inner) if is_report(inner) || is_plain_bounce(inner) => {
            Some(inner.raw_message())
        }
        _ => None,
    })
}

fn original_of(m: &Message<'_>) -> Original {
    let addr = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_string)
    };
    Original {
        return_path: m
            .header_raw("Return-Path")
            .map(|r| r.trim().trim_matches(['<', '>']).trim().to_string())
            .filter(|r| !r.is_empty()),
        from: addr(m.from()),
        to: addr(m.to()),
        message_id: m.message_id().map(str::to_string),
        subject: m.subject().map(str::to_string),
    }
}

/// Vacation / out-of-office replies (RFC 3834 and the usual vendor headers).
fn is_auto_reply(msg: &Message<'_>) -> bool {
    let header = |n: &str| msg.header_raw(n).map(|v| v.trim().to_ascii_lowercase());
    if header("Auto-Submitted").is_some_and(|v| v.starts_with("auto-replied"))
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("Precedence").is_some_and(|v| v.contains("auto_reply"))
    {
        return true;
    }
    let subject = msg.subject().unwrap_or("").to_lowercase();
    super::vocabulary::words("auto-reply-subjects")
        .iter()
        .any(|w| subject.contains(w))
}

/// Complaint forwards (Hotmail JMRP and the like) that carry no ARF part.
fn is_complaint(msg: &Message<'_>) -> bool {
    let subject = msg.subject().unwrap_or("").to_lowercase();
    super::vocabulary::words("complaint-subjects")
        .iter()
        .any(|w| subject.contains(w))
}

/// Whether a message is a delivery failure notice by its envelope (sender, subject).
fn is_bounce_like(msg: &Message<'_>, has_delivery_status: bool) -> bool {
    if has_delivery_status {
        return true;
    }
    let from = msg
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_ascii_lowercase();
    let subject = msg.subject().unwrap_or("").to_lowercase();
    super::vocabulary::words("bounce-senders")
        .iter()
        .any(|w| from.starts_with(w))
        || super::vocabulary::words("bounce-subjects")
            .iter()
            .any(|w| subject.contains(w))
}

/// ARF (RFC 5965): one record per reported recipient, action `feedback`.
fn feedback_records(report: &str, original: &Original) -> Vec<Record> {
    let all: Vec<(String, String)> = report
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut rcpts: Vec<String> = all
        .iter()
        .filter(|(n, _)| n == "original-rcpt-to" || n == "removal-recipient")
        .map(|(_, v)| dsn::strip_address_type(v))
        .filter(|v| !v.is_empty())
        .collect();
    if rcpts.is_empty()
        && let Some(to) = &original.to
    {
        rcpts.push(to.clone());
    }
    if rcpts.is_empty() {
        rcpts.push(String::new());
    }
    let kind = all
        .iter()
        .find(|(n, _)| n == "feedback-type")
        .map(|(_, v)| format!("feedback report: {v}"));
    rcpts
        .into_iter()
        .map(|r| Record {
            recipient: Some(r).filter(|r| !r.is_empty()),
            diagnostic: kind.clone(),
            action: Action::Feedback,
            ..Record::default()
        })
        .collect()
}

/// Crude HTML to text: tags dropped, block tags become line breaks, common entities decoded.
/// Enough to find addresses and responses in an HTML-only bounce.
///
/// The text between tags is copied a run at a time (found with memchr): a bounce's HTML part
/// can be as long as its text, and a character at a time was a good part of reading it.
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // A tag runs to the next `>`; one never closed hides the rest of the text.
        let Some(close) = memchr::memchr(b'>', after.as_bytes()) else {
            rest = "";
            break;
        };
        if is_break_tag(&after[..close]) {
            out.push('\n');
        } else if is_cell_tag(&after[..close]) {
            // A table's cells (`<td>Recipient</td><td>x@y</td>`) stay apart as words.
            out.push('\t');
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// Whether a tag (what stands between `<` and `>`) starts a new line of text. Only its
/// first characters count (up to the first to reach 16 bytes), as tag names are short.
fn is_break_tag(tag: &str) -> bool {
    tag_is_one_of(
        tag,
        &["br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"],
    )
}

/// Whether a tag opens or closes a table cell.
fn is_cell_tag(tag: &str) -> bool {
    tag_is_one_of(tag, &["td", "th"])
}

fn tag_is_one_of(tag: &str, names: &[&str]) -> bool {
    let end = tag
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .find(|&e| e >= 16)
        .unwrap_or(tag.len());
    let name = tag[..end].trim_start_matches('/').as_bytes();
    names.iter().any(|t| {
        name.get(..t.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(t.as_bytes()))
            && matches!(name.get(t.len()), None | Some(b' '))
    })
}

/// The few HTML entities a bounce's HTML part uses, decoded in one pass. `&amp;` yields a
/// plain `&`, never the start of another entity (`&amp;lt;` reads `&lt;`).
fn decode_entities(text: &str) -> String {
    const ENTITIES: [(&str, char); 6] = [
        ("&nbsp;", ' '),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, c)) => {
                out.push(*c);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `html_to_text` as it was first written, a character at a time: the reference the
    /// run-at-a-time version is tested against.
    fn html_to_text_by_chars(html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut in_tag = false;
        let mut tag = String::new();
        for c in html.chars() {
            match (in_tag, c) {
                (false, '<') => {
                    in_tag = true;
                    tag.clear();
                }
                (true, '>') => {
                    in_tag = false;
                    let name = tag.trim_start_matches('/').to_ascii_lowercase();
                    if ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"]
                        .iter()
                        .any(|t| {
                            name.strip_prefix(t)
                                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
                        })
                    {
                        out.push('\n');
                    } else if ["td", "th"].iter().any(|t| {
                        name.strip_prefix(t)
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
                    }) {
                        out.push('\t');
                    }
                }
                (true, c) => {
                    if tag.len() < 16 {
                        tag.push(c);
                    }
                }
                (false, c) => out.push(c),
            }
        }
        decode_entities(&out)
    }

    /// Mailman's "Uncaught bounce notification" carries the member server's plain bounce as
    /// message/rfc822: that bounce is the report; a returned original that is no bounce is
    /// not.
    #[test]
    fn a_plain_bounce_attached_whole_is_the_report() {
        let inner = "Return-Path: <>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.far.example>\nTo: list-bounces@lists.near.example\nDate: Sat, 28 Nov 2026 19:14:06 +0000\nSubject: Undeliverable\n\n<bob@far.example>: 550 5.1.1 no such user\n";
        let outer = format!(
            "From: list-owner@lists.near.example\nTo: list-owner@lists.near.example\nDate: Sat, 28 Nov 2026 20:14:09 +0100\nSubject: Uncaught bounce notification\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThe attached message was received as a bounce.\n\n--b\nContent-Type: message/rfc822\n\n{inner}\n--b--\n"
        );
        let msg = PARSER.parse(outer.as_bytes()).expect("a message");
        assert!(wrapped_report(&msg).is_some_and(|raw| raw.starts_with(b"Return-Path: <>")));
        let person = outer.replace("Return-Path: <>\n", "").replace(
            "Mail Delivery Subsystem <MAILER-DAEMON@mx.far.example>",
            "Ann <ann@far.example>",
        );
        let msg = PARSER.parse(person.as_bytes()).expect("a message");
        assert!(wrapped_report(&msg).is_none());
    }

    #[test]
    fn table_cells_stay_apart() {
        let text = html_to_text("<tr><td><b>Recipient</b></td><td>events@hall.example</td></tr>");
        assert!(text.contains("Recipient\t"), "{text:?}");
        assert!(!text.contains("Recipientevents"), "{text:?}");
    }

    /// The run-at-a-time HTML reader gives what the character-at-a-time one gave, on texts
    /// built from tag pieces (names in either case, slashes, attributes, names near the
    /// 16-byte cut with multi-byte characters, unclosed and stray brackets) and on every
    /// fixture and corpus file read as HTML.
    #[test]
    fn html_to_text_reads_as_the_char_loop_did() {
        let pieces = [
            "<",
            ">",
            "br",
            "BR",
            "/",
            "p",
            "P",
            "div",
            "Table",
            "tr",
            "li",
            "h1",
            "h3",
            " ",
            "x",
            "é",
            "日本",
            "&amp;",
            "&lt;",
            "&nbsp;",
            "<br>",
            "</p>",
            "<div class=a>",
            "<tablexxxxxxxxxxxxxxxxxxx>",
            "<ppppppppppppppé >",
            "<ppppppppppppppp é>",
            "<//br>",
            "<br/>",
            "td",
            "<td>",
            "</th>",
            "\n",
            "text",
            "@",
        ];
        let mut rng = crate::bounce::test_rng::Rng::new(11);
        let mut breaks = 0;
        for _ in 0..20_000 {
            let n = rng.below(12);
            let html: String = (0..n).map(|_| rng.pick(&pieces)).collect();
            let want = html_to_text_by_chars(&html);
            breaks += usize::from(want.contains('\n') && !html.contains('\n'));
            assert_eq!(html_to_text(&html), want, "{html:?}");
        }
        assert!(breaks > 1000, "only {breaks} texts with a tag break");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for dir in [
            "tests/fixtures/bounces",
            "tests/fixtures/formats",
            "tests/data/heldout-b",
        ] {
            for entry in std::fs::read_dir(root.join(dir))
                .expect("a fixture folder")
                .flatten()
            {
                let Ok(bytes) = std::fs::read(entry.path()) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                assert_eq!(
                    html_to_text(&text),
                    html_to_text_by_chars(&text),
                    "{entry:?}"
                );
                files += 1;
            }
        }
        assert!(files > 100, "only {files} files compared");
    }

    /// The one-pass decoder gives what the six `str::replace` calls in a row gave (the
    /// ampersand last), on texts built from entity pieces.
    #[test]
    fn entities_decode_as_the_replace_chain_did() {
        let by_replace = |s: &str| {
            s.replace("&nbsp;", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        };
        let pieces = [
            "&", "&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;", "&#39;", "amp;", "lt;", "nbsp", ";",
            "a", " ", "é", "&&", "&#3", "9;",
        ];
        let mut rng = crate::bounce::test_rng::Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..rng.below(9) {
                text.push_str(rng.pick(&pieces));
            }
            assert_eq!(decode_entities(&text), by_replace(&text), "{text:?}");
        }
    }

    /// Sendmail's own "451 4.0.0" in the transcript fills the reply code a local mailer's
    /// `X-Unix` diagnostic lacks, but does not replace the report's more specific status.
    #[test]
    fn an_undefined_status_from_the_text_does_not_replace_the_reports() {
        let raw = "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>\r\nTo: ann@example.org\r\nSubject: Warning: could not send message for past 4 hours\r\nDate: Fri, 15 Jun 2018 12:46:30 +0900\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n   ----- Transcript of session follows -----\r\n451 4.0.0 Operating system error\r\nWarning: message still undelivered after 4 hours\r\n\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.example.net\r\n\r\nFinal-Recipient: RFC822; bob@example.com\r\nAction: delayed\r\nStatus: 4.5.0\r\nDiagnostic-Code: X-Unix; 71\r\n\r\n--b1--\r\n";
        let bounce = crate::bounce::parse(raw.as_bytes()).expect("a bounce");
        let rec = &bounce.records[0];
        assert_eq!(rec.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(rec.reply_code, Some(451));
        assert_eq!(rec.status.as_deref(), Some("4.5.0"));
    }
}
