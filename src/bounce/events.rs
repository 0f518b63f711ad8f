//! Delivery events of an email sending service (JSON), as agents copy them from the
//! service's dashboard, its webhook log or an application's log: Mailgun (`event`,
//! `recipient`, `envelope.sender`, `delivery-status.code`/`message`/`mx-host`, `timestamp`
//! in epoch seconds), SendGrid (an array of `email`, `event`, `reason`, `status`,
//! `timestamp`), Postmark (`RecordType`, `Email`, `From`, `Details`, `BouncedAt`), Mandrill
//! (`event`, `ts` and a `msg` with `email`, `sender`, `diag`), SparkPost (`msys.
//! message_event` with `rcpt_to`, `raw_reason`, `error_code`) and Brevo (`event`, `email`,
//! `reason`, `date`). The field names are the services' documented ones; no service is
//! named in code: an event is any JSON object that names a recipient address, read with
//! the field names these services share. Amazon SES notifications have their own reader
//! (`ses.rs`).

use serde_json::{Map, Value};

use super::model::{Action, Record};
use super::service::{ServiceReport, parse_json};
use super::{response, scan, time};

/// A dashboard copy or a webhook body is a few KB; larger JSON is not an event list.
const MAX_JSON_BYTES: usize = 1024 * 1024;
/// ServiceReport read from one paste (a webhook batch holds up to a thousand).
const MAX_EVENTS: usize = 256;
/// How deep an event's own fields are looked for (`delivery-status.code`,
/// `message.headers.message-id`).
const FIELD_DEPTH: usize = 3;

/// Field names, in order of preference, lower-cased (`-` and `_` are kept: the services
/// use both, and `message-id`/`message_id` are listed as each writes it).
/// (SMTP2GO's webhook names it `rcpt`, with the message's `recipients` list.)
const RECIPIENT: &[&str] = &[
    "recipient",
    "email",
    "rcpt_to",
    "rcpt",
    "emailaddress",
    "recipients",
    // A logger's dotted context keys (`"mail.to"`; the Elastic Common Schema's
    // `email.to.address`).
    "mail.to",
    "email.to.address",
];
/// `to` names a recipient of any message (an application's log context: `{"to":
/// ["x@y"]}`): an event only beside the event's kind.
const WEAK_RECIPIENT: &str = "to";
const SENDER: &[&str] = &[
    "sender",
    "mail_from",
    // SparkPost's envelope sender (its `friendly_from` is the header From, below).
    "mailfrom",
    "msg_from",
    "envelope_from",
    "return_path",
    "from",
    "friendly_from",
    "mail.from",
    "email.from.address",
    // Amazon SES's `mail.source`, inside another tool's record of the bounce.
    "source",
];
const KIND: &[&str] = &["event", "type", "recordtype", "eventtype", "state"];
const SEVERITY: &[&str] = &["severity", "bounce_type", "bouncetype"];
const WORDS: &[&str] = &[
    "diagnosticcode",
    "diag",
    "raw_reason",
    "details",
    "reason",
    "message",
    "response",
    "smtpresponse",
    "smtp_response",
    "bounce_description",
    "description",
    "error",
];
const CODE: &[&str] = &["code", "error_code", "status_code", "smtp_code"];
const STATUS: &[&str] = &[
    "enhanced-code",
    "enhanced_code",
    "status",
    "enhanced_status",
];
const WHEN: &[&str] = &[
    // When the delivery failed, named so (a booking system's `notification.failed` webhook
    // has `created_at` and `failed_at`), before any other time of the event.
    "failed_at",
    "bounced_at",
    "timestamp",
    "bouncedat",
    "ts",
    "@timestamp",
    "date",
    "time",
    "event_time",
    "created_at",
];
const MX: &[&str] = &["mx-host", "mx_host", "remote_mta", "remotemta"];
const MESSAGE_ID: &[&str] = &["message-id", "messageid", "message_id", "smtp-id"];

/// The events in `text`, when it is (or holds, after a label such as `mandrill_events=`)
/// JSON naming at least one recipient.
pub fn read(text: &str) -> Option<ServiceReport> {
    // An object's first key, or a list's first object, must follow: an NDR's
    // `[198.51.100.7]` or `{#5.1.1}` is not parsed (twice, with the unfolding retry). A
    // bracket before the JSON (the command that fetched it: `curl -u 'admin:[redacted]'`)
    // is passed by.
    let opens_json = |at: usize| match text[at..].split_at(1) {
        ("{", rest) => rest.trim_start().starts_with('"'),
        (_, rest) => rest.trim_start().starts_with('{'),
    };
    let start = text
        .match_indices(['{', '['])
        .take(8)
        .map(|(at, _)| at)
        .find(|&at| opens_json(at))?;
    let end = text.rfind(['}', ']'])?;
    let json = text.get(start..=end)?;
    if json.len() > MAX_JSON_BYTES {
        return None;
    }
    let value = parse_json(json)?;
    let mut found = Vec::new();
    collect_events(&value, &[], &mut found);
    if found.is_empty() {
        return None;
    }
    let events: Vec<Event> = found.iter().filter_map(|e| Event::read(e)).collect();
    // A batch of a message's events (processed, delivered, opened, bounced) is about the
    // failures in it; a paste of only other events is reported as they are.
    let any_failure = events.iter().any(|e| e.record.action != Action::Delivered);
    let mut out = ServiceReport::default();
    for e in events {
        if any_failure && e.record.action == Action::Delivered {
            continue;
        }
        out.sender = out.sender.or(e.sender);
        out.timestamp = out.timestamp.or(e.timestamp);
        out.message_id = out.message_id.or(e.message_id);
        // A record of the bounce that wraps the service's own (a list manager's `email`
        // around SES's `bouncedRecipients`) names the same recipient without the words:
        // the inner event's words complete it.
        if let Some(wordless) = out.records.iter_mut().find(|r| {
            r.diagnostic.is_none()
                && r.reply_code.is_none()
                && r.recipient
                    .as_deref()
                    .zip(e.record.recipient.as_deref())
                    .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        }) {
            *wordless = e.record;
            continue;
        }
        out.records.push(e.record);
    }
    Some(out)
}

/// An object and the objects it sits in (innermost first), whose plain fields count too:
/// Mandrill puts `event` and `ts` beside the `msg` that names the recipient.
type Found<'a> = (&'a Map<String, Value>, Vec<&'a Map<String, Value>>);

/// Every object that names a recipient address, outermost first, in document order.
fn collect_events<'a>(v: &'a Value, outer: &[&'a Map<String, Value>], out: &mut Vec<Found<'a>>) {
    if out.len() >= MAX_EVENTS || outer.len() > 8 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                collect_events(item, outer, out);
            }
        }
        Value::Object(map) => {
            let names_kind = || {
                std::iter::once(map)
                    .chain(outer.iter().copied())
                    .any(|m| field(m, KIND, 1).is_some())
            };
            let recipient = field(map, RECIPIENT, 1)
                .or_else(|| field(map, &[WEAK_RECIPIENT], 1).filter(|_| names_kind()));
            if recipient.is_some_and(|r| address_in(r).is_some()) {
                let mut ancestors = outer.to_vec();
                ancestors.reverse();
                out.push((map, ancestors));
                // A record with no words of its own may wrap the service's event (a list
                // manager's bounce record around SES's notification): looked into too.
                if field(map, WORDS, 1).is_some() || field(map, CODE, 1).is_some() {
                    return;
                }
            }
            let mut inner = outer.to_vec();
            inner.push(map);
            for child in map.values() {
                collect_events(child, &inner, out);
            }
        }
        _ => {}
    }
}

/// The first plain value (a string or a number) of `names` found in `map` or, up to
/// `depth` levels, in the objects inside it (nearest first); names compared ignoring case.
/// A list's first item stands for the list (an event's `"to": ["x@y"]`).
fn field<'a>(map: &'a Map<String, Value>, names: &[&str], depth: usize) -> Option<&'a Value> {
    let plain = |v: &'a Value| match v {
        Value::Array(items) => items.first().filter(|i| i.is_string()),
        v => Some(v).filter(|v| v.is_string() || v.is_number()),
    };
    for name in names {
        if let Some(v) = map
            .iter()
            .find_map(|(k, v)| k.eq_ignore_ascii_case(name).then(|| plain(v)).flatten())
        {
            return Some(v);
        }
    }
    if depth <= 1 {
        return None;
    }
    map.values()
        .filter_map(Value::as_object)
        .find_map(|child| field(child, names, depth - 1))
}

/// Every plain value of `name` in `map` and, up to `depth` levels, in the objects inside it,
/// nearest first (see [`field`]).
fn every_field<'a>(
    map: &'a Map<String, Value>,
    name: &str,
    depth: usize,
    out: &mut Vec<&'a Value>,
) {
    let mut level = vec![map];
    for _ in 0..depth {
        let mut next = Vec::new();
        for m in level {
            if let Some(v) = field(m, &[name], 1) {
                out.push(v);
            }
            next.extend(m.values().filter_map(Value::as_object));
        }
        level = next;
    }
}

/// Every plain value of `name` in the event (up to [`FIELD_DEPTH`] levels down), then in
/// each object it sits in (up to `outer_depth` levels down), nearest first.
fn fields_of_event<'a>(found: &Found<'a>, name: &str, outer_depth: usize) -> Vec<&'a Value> {
    let mut all = Vec::new();
    every_field(found.0, name, FIELD_DEPTH, &mut all);
    for outer in &found.1 {
        every_field(outer, name, outer_depth, &mut all);
    }
    all
}

/// A field of the event or, failing that, a plain field of an object it sits in.
fn event_field<'a>(found: &Found<'a>, names: &[&str]) -> Option<&'a Value> {
    field(found.0, names, FIELD_DEPTH)
        .or_else(|| found.1.iter().find_map(|outer| field(outer, names, 1)))
}

/// When the event happened: the time beside the event's kind (a webhook's `type` and
/// `created_at` wrap the message's data, whose own `created_at` is when it was sent), else
/// the event's nearest time field.
fn event_time<'a>(found: &Found<'a>) -> Option<&'a Value> {
    std::iter::once(found.0)
        .chain(found.1.iter().copied())
        .find(|map| field(map, KIND, 1).is_some())
        .and_then(|map| field(map, WHEN, 1))
        .or_else(|| event_field(found, WHEN))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The address in a field's value: `ann@far.example`, `Ann <ann@far.example>`.
fn address_in(v: &Value) -> Option<String> {
    super::address::first_in(v.as_str()?).map(str::to_string)
}

struct Event {
    record: Record,
    sender: Option<String>,
    timestamp: Option<String>,
    message_id: Option<String>,
}

impl Event {
    fn read(found: &Found<'_>) -> Option<Event> {
        let recipient = field(found.0, RECIPIENT, 1)
            .or_else(|| field(found.0, &[WEAK_RECIPIENT], 1))
            .and_then(address_in)?;
        let text = |names: &[&str]| event_field(found, names).and_then(text_of);
        let kind = text(KIND).unwrap_or_default().to_ascii_lowercase();
        let severity = text(SEVERITY).unwrap_or_default().to_ascii_lowercase();
        let action = action_of(&kind, &severity);

        // The server's words: the first field that holds a reply code, else the first
        // with an enhanced status, else the longest (a one-word `reason: bounce` is a
        // label, not the server's words). A separate numeric code (`delivery-status.code`)
        // goes in front of words that lack one.
        // Every field of each name, nearest first: a log entry's own `message` ("Mail
        // delivery failed") sits above its exception's, which quotes the reply.
        let words: Vec<String> = WORDS
            .iter()
            // The event's own, then those of the objects it sits in (a logger's entry around
            // its `data`: the entry's exception, one level down).
            .flat_map(|n| fields_of_event(found, n, 2))
            .filter_map(Value::as_str)
            .map(|s| super::dsn::strip_diagnostic_type(s.trim()).to_string())
            .filter(|s| !s.is_empty())
            .collect();
        // A code field may hold the whole reply (amavis' `"smtp_code": "554 5.7.0 Reject,
        // id=... - spam"`): its words when no words field has the code.
        let code_reply = event_field(found, CODE)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| s.len() > 3)
            .map(str::to_string);
        let with_code = words
            .iter()
            .chain(code_reply.iter())
            .find(|w| scan::find_reply_code(w).is_some_and(|(_, c)| c >= 400));
        let code = event_field(found, CODE)
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (400..600).contains(c));
        let best_words = || {
            words
                .iter()
                .find(|w| scan::find_status(w).is_some())
                .or_else(|| words.iter().max_by_key(|w| w.len()))
        };
        let diagnostic = match (with_code, code) {
            (Some(w), _) => Some(w.clone()),
            (None, Some(c)) => best_words().map(|w| format!("{c} {w}")),
            (None, None) => best_words().cloned(),
        };
        let said = diagnostic
            .as_deref()
            .map(response::extract)
            .unwrap_or_default();
        let field_status = text(STATUS).and_then(|s| scan::find_status(&s).map(str::to_string));
        let record = Record {
            recipient: Some(recipient),
            reply_code: said.reply_code.or(code),
            status: said.status.or(field_status),
            stage: diagnostic.as_deref().and_then(scan::find_stage),
            diagnostic: if said.text.is_empty() {
                diagnostic
            } else {
                Some(said.text)
            },
            remote_host: text(MX),
            action,
            ..Record::default()
        };
        Some(Event {
            record,
            // The first field of a sender's name that holds an address: SES's `source` (its
            // mail's envelope sender) beside a wrapper's `"source": "ses"`.
            sender: SENDER.iter().find_map(|n| {
                fields_of_event(found, n, FIELD_DEPTH)
                    .into_iter()
                    .find_map(address_in)
            }),
            timestamp: event_time(found).and_then(timestamp_of),
            message_id: text(MESSAGE_ID)
                .map(|m| m.trim_matches(['<', '>']).to_string())
                .filter(|m| !m.is_empty()),
        })
    }
}

/// The event's outcome from its kind (`failed`, `bounce`, `hard_bounce`, `HardBounce`,
/// `deferred`, `delivered`, `spamreport`, ...) and severity (`temporary`, `transient`).
fn action_of(kind: &str, severity: &str) -> Action {
    let temporary = ["temporary", "transient", "soft"]
        .iter()
        .any(|t| severity.contains(t) || kind.contains(t));
    if kind.contains("complain") || kind.contains("spamreport") || kind.contains("spam_report") {
        Action::Feedback
    } else if kind.contains("defer") || kind.contains("delay") || temporary {
        Action::Delayed
    } else if [
        "delivered",
        "delivery",
        "processed",
        "sent",
        "open",
        "click",
        "accepted",
    ]
    .contains(&kind)
    {
        Action::Delivered
    } else {
        Action::Failed
    }
}

/// A time as the services write it: epoch seconds (a number, or digits in a string; a
/// millisecond count when it is that large), or a date text. Returned as RFC 3339 when it
/// was a count, so the rest of the parser reads it like any written date.
fn timestamp_of(v: &Value) -> Option<String> {
    let epoch = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s)
            if !s.is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit() || b == b'.') =>
        {
            s.trim().parse::<f64>().ok()
        }
        Value::String(s) => return time::parse_any(s.trim()).map(|_| s.trim().to_string()),
        _ => None,
    }?;
    let seconds = if epoch > 1e12 { epoch / 1000.0 } else { epoch };
    if !(1e8..1e11).contains(&seconds) {
        return None;
    }
    // Whole seconds: the stamps the other readers give are to the second too.
    chrono::DateTime::from_timestamp(seconds as i64, 0).map(|t| t.to_rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_event_with_its_code_apart_from_its_words() {
        let e = read(r#"{"event": "failed", "severity": "permanent", "timestamp": 1764937512.123,
            "recipient": "bob@client.example.org",
            "envelope": {"sender": "noreply@shop.example.com", "sending-ip": "203.0.113.9"},
            "delivery-status": {"code": 553, "message": "5.1.1 <bob@client.example.org>: Recipient address rejected: User unknown", "mx-host": "mx.client.example.org"},
            "message": {"headers": {"message-id": "2025.1.ABC@shop.example.com", "from": "Shop <info@shop.example.com>"}}}"#)
            .expect("events");
        assert_eq!(e.sender.as_deref(), Some("noreply@shop.example.com"));
        assert_eq!(e.timestamp.as_deref(), Some("2025-12-05T12:25:12+00:00"));
        assert_eq!(e.message_id.as_deref(), Some("2025.1.ABC@shop.example.com"));
        let r = &e.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@client.example.org"));
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("553 5.1.1 <bob@client.example.org>: Recipient address rejected: User unknown")
        );
        assert_eq!(r.remote_host.as_deref(), Some("mx.client.example.org"));
        assert_eq!(r.action, Action::Failed);
    }

    /// An app's webhook that names when the sending failed beside when it was made: the
    /// failure's time.
    #[test]
    fn a_webhook_s_failed_at_beats_its_created_at() {
        let e = read(
            r#"{"event": "notification.failed", "data": {"from": "ann@near.example",
            "to": "bob@far.example", "smtp_response": "553 Not accepted",
            "created_at": "2026-12-03T17:20:01+00:00", "failed_at": "2026-12-03T17:20:05+00:00"}}"#,
        )
        .expect("an event");
        assert_eq!(e.timestamp.as_deref(), Some("2026-12-03T17:20:05+00:00"));
        assert_eq!(e.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    #[test]
    fn a_batch_reports_its_failures_with_fields_of_the_enclosing_object() {
        // SendGrid-like batch: the delivered event is left out.
        let e = read(r#"[{"email": "a@far.example", "event": "delivered", "timestamp": 1764937000},
            {"email": "b@far.example", "event": "bounce", "type": "blocked", "status": "5.7.1",
             "reason": "553 5.7.1 Service unavailable; client host blocked using a DNSBL", "timestamp": 1764937512}]"#)
            .expect("events");
        assert_eq!(e.records.len(), 1);
        assert_eq!(e.records[0].recipient.as_deref(), Some("b@far.example"));
        assert_eq!(e.records[0].reply_code, Some(553));
        assert_eq!(e.timestamp.as_deref(), Some("2025-12-05T12:25:12+00:00"));
        // Mandrill-like: kind and time beside the message object, after a form label.
        let e = read(r#"mandrill_events=[{"event": "soft_bounce", "ts": 1764937512,
            "msg": {"email": "c@far.example", "sender": "shop@near.example", "diag": "smtp;452 4.2.2 Mailbox full"}}]"#)
            .expect("events");
        let r = &e.records[0];
        assert_eq!(r.action, Action::Delayed);
        assert_eq!(r.reply_code, Some(452));
        assert_eq!(r.diagnostic.as_deref(), Some("452 4.2.2 Mailbox full"));
        assert_eq!(e.sender.as_deref(), Some("shop@near.example"));
        assert!(e.timestamp.is_some());
    }

    #[test]
    fn a_written_time_and_text_that_is_no_event() {
        let e = read(
            r#"{"RecordType": "Bounce", "Type": "HardBounce", "Email": "d@far.example",
            "From": "shop@near.example", "BouncedAt": "2026-12-05T10:00:02Z",
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist"}"#,
        )
        .expect("events");
        assert_eq!(e.timestamp.as_deref(), Some("2026-12-05T10:00:02Z"));
        assert_eq!(e.records[0].status.as_deref(), Some("5.1.1"));
        assert_eq!(e.sender.as_deref(), Some("shop@near.example"));
        assert!(read("{\"level\": \"info\", \"msg\": \"started\"}").is_none());
        assert!(read("553 5.7.1 <a@b.example>: Relay access denied").is_none());
        assert!(read("{ not json").is_none());
        assert!(read("<ann@far.example>: host mx[192.0.2.1] said: 550 {\"x\": 1}").is_none());
    }

    /// A webhook whose event wraps the message's data: `to` names the recipient beside the
    /// event's kind, and the event's own time beats the message's.
    #[test]
    fn a_wrapped_event_s_recipient_and_time() {
        let e = read(r#"{"type": "email.bounced", "created_at": "2026-12-02T11:04:22.531Z",
            "data": {"created_at": "2026-12-02T11:04:20.118Z", "from": "Shop <s@near.example>",
            "to": ["d@far.example"], "bounce": {"message": "550 5.1.1 <d@far.example>: User unknown"}}}"#)
        .expect("events");
        assert_eq!(e.records[0].recipient.as_deref(), Some("d@far.example"));
        assert_eq!(e.sender.as_deref(), Some("s@near.example"));
        assert!(
            e.timestamp
                .as_deref()
                .is_some_and(|t| t.contains("11:04:22")),
            "{:?}",
            e.timestamp
        );
        // `to` without an event's kind is a log's context, not an event.
        assert!(read(r#"{"to": ["d@far.example"], "subject": "x"}"#).is_none());
    }
}
