//! qmail-send's log (qmail's `log` file under multilog, or syslog through splogger as
//! Plesk writes it to maillog):
//!
//! ```text
//! @400000006752f0a1123457 info msg 12345: bytes 2410 from <ann@near.example> qp 5511 uid 89
//! @400000006752f0a1123458 starting delivery 77: msg 12345 to remote bob@far.example
//! @400000006752f0a2000001 delivery 77: failure: 192.0.2.5_does_not_like_recipient./Remote_host_said:_553_sorry,.../Giving_up_on_192.0.2.5./
//! Dec  5 10:12:02 web1 qmail: 1764929522.123456 delivery 77: failure: ...
//! ```
//!
//! A delivery's report writes spaces as `_` and line breaks as `/`. The stamp is multilog's
//! TAI64N label, tai64nlocal's date, or splogger's seconds since the epoch.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::model::{Action, Bounce, Format, Record};
use super::{response, scan, time};

/// Lines read at most.
const MAX_LINES: usize = 20_000;

/// Whether `lines` hold qmail-send's delivery lines.
pub fn detect(lines: &[&str]) -> bool {
    lines
        .iter()
        .take(500)
        .any(|l| entry(l).is_some_and(|(_, e)| e.starts_with("delivery ")))
}

/// The failed and deferred deliveries; the first failure's message decides the sender,
/// the time and the queue id (the message number).
pub fn parse(lines: &[&str], bounce: &mut Bounce) {
    // message number → sender; delivery number → (message number, recipient).
    let mut senders: HashMap<&str, &str> = HashMap::new();
    let mut deliveries: HashMap<&str, (&str, &str)> = HashMap::new();
    // The first failure's (message, time, stamp), else the first deferral's.
    let mut decides: Option<(&str, Option<DateTime<Utc>>, String, bool)> = None;
    for (n, line) in lines.iter().enumerate().take(MAX_LINES) {
        let Some((when, e)) = entry(line) else {
            continue;
        };
        let words: Vec<&str> = e.split_whitespace().collect();
        match words.as_slice() {
            // `info msg 12345: bytes 2410 from <a@b> qp 5511 uid 89`
            ["info", "msg", msg, "bytes", _, "from", from, ..] => {
                let from = from.trim_matches(['<', '>']);
                if !from.is_empty() {
                    senders.insert(msg.trim_end_matches(':'), from);
                }
            }
            // `starting delivery 77: msg 12345 to remote bob@far.example`
            ["starting", "delivery", d, "msg", msg, "to", _, rcpt] => {
                deliveries.insert(d.trim_end_matches(':'), (msg, rcpt));
            }
            ["delivery", d, verdict, ..] => {
                let action = match *verdict {
                    "failure:" => Action::Failed,
                    "deferral:" => Action::Delayed,
                    _ => continue,
                };
                let Some(&(msg, rcpt)) = deliveries.get(d.trim_end_matches(':')) else {
                    continue;
                };
                let report = e
                    .split_once(verdict)
                    .map_or("", |(_, r)| r)
                    .trim()
                    .replace(['_', '/'], " ");
                let said = report
                    .split_once("Remote host said: ")
                    .map_or(report.as_str(), |(_, s)| s);
                let r = response::extract(said);
                let (remote_host, found_ip) = scan::find_remote_host(&report);
                // qmail-remote names the host by its address: `192.0.2.5 does not like
                // recipient.`, `Connected to 192.0.2.5 but ...`, `Giving up on 192.0.2.5.`
                let remote_ip = found_ip.or_else(|| {
                    report
                        .split_whitespace()
                        .map(|w| w.trim_end_matches('.'))
                        .find(|w| super::dsn::looks_like_ip(w))
                        .map(str::to_string)
                });
                bounce.records.push(Record {
                    recipient: Some(rcpt.to_string()),
                    reply_code: r.reply_code,
                    status: r.status,
                    diagnostic: Some(report.trim().to_string()).filter(|t| !t.is_empty()),
                    stage: scan::find_stage(&report),
                    remote_host,
                    remote_ip,
                    action,
                    source_line: Some(n),
                    ..Record::default()
                });
                let failed = action == Action::Failed;
                if decides.as_ref().is_none_or(|d| failed && !d.3) {
                    decides = Some((msg, when, stamp_text(line), failed));
                }
            }
            _ => {}
        }
    }
    let Some((msg, when, raw, _)) = decides else {
        return;
    };
    bounce.format = Format::PostfixLog;
    bounce.queue_id = Some(msg.to_string());
    bounce.sender = senders.get(msg).map(|s| s.to_string());
    if when.is_some() {
        bounce.timestamp = when;
        bounce.timestamp_raw = Some(raw);
    }
}

/// A qmail-send log line: its time (when its stamp can be read) and what follows the stamp.
fn entry(line: &str) -> Option<(Option<DateTime<Utc>>, &str)> {
    let t = response::clip(line, 4 * response::MAX_RESPONSE_BYTES).trim();
    // multilog's `@4000000067...` TAI64N label.
    if let Some(label) = t.strip_prefix('@') {
        let (hex, rest) = label.split_once(' ')?;
        return Some((tai64n(hex), rest.trim_start())).filter(|(_, r)| is_qmail_send(r));
    }
    // splogger through syslog: `Dec  5 10:12:02 host qmail: 1764929522.123456 delivery ...`.
    if let Some((_, after)) = t.split_once(" qmail: ") {
        let (epoch, rest) = after.split_once(' ')?;
        let seconds: i64 = epoch.split('.').next()?.parse().ok()?;
        return Some((DateTime::from_timestamp(seconds, 0), rest))
            .filter(|(_, r)| is_qmail_send(r));
    }
    // tai64nlocal's `2026-12-05 10:12:02.123456500 delivery ...`.
    let (when, _, end) = time::leading_stamp(t)?;
    let rest = t.get(end..)?.trim_start();
    Some((Some(when), rest)).filter(|(_, r)| is_qmail_send(r))
}

fn is_qmail_send(rest: &str) -> bool {
    [
        "delivery ",
        "starting delivery ",
        "info msg ",
        "new msg ",
        "end msg ",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
}

/// The stamp as the line prints it.
fn stamp_text(line: &str) -> String {
    let t = line.trim();
    if let Some((_, after)) = t.split_once(" qmail: ") {
        return after.split(' ').next().unwrap_or_default().to_string();
    }
    t.split(' ').next().unwrap_or_default().to_string()
}

/// A TAI64N label (`4000000067...`: 16 hex digits of seconds, 8 of nanoseconds) as UTC.
/// multilog's labels run 10 seconds ahead of UTC (daemontools' convention).
fn tai64n(hex: &str) -> Option<DateTime<Utc>> {
    let seconds = u64::from_str_radix(hex.get(..16)?, 16).ok()?;
    let unix = seconds.checked_sub((1u64 << 62) + 10)?;
    DateTime::from_timestamp(i64::try_from(unix).ok()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "@4000000069329e8a00000000 new msg 12345
@4000000069329e8a00000001 info msg 12345: bytes 2410 from <ann@near.example> qp 5511 uid 89
@4000000069329e8a00000002 starting delivery 77: msg 12345 to remote bob@far.example
@4000000069329e8b00000000 delivery 77: failure: 192.0.2.5_does_not_like_recipient./Remote_host_said:_553_sorry,_that_domain_isn't_in_my_list_of_allowed_rcpthosts_(#5.7.1)/Giving_up_on_192.0.2.5./
@4000000069329e8b00000001 end msg 12345";

    #[test]
    fn a_failed_delivery_with_its_message_s_sender_and_time() {
        let lines: Vec<&str> = LOG.lines().collect();
        assert!(detect(&lines));
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records.len(), 1);
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            (r.reply_code, r.status.as_deref()),
            (Some(553), Some("5.7.1"))
        );
        assert_eq!(r.action, Action::Failed);
        assert_eq!(r.remote_ip.as_deref(), Some("192.0.2.5"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.queue_id.as_deref(), Some("12345"));
        // 0x69329e8b - 2^62 - 10 seconds after the epoch.
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-12-05T08:57:37+00:00")
        );
    }

    #[test]
    fn splogger_lines_in_maillog() {
        let log = "Dec  5 10:12:01 web1 qmail: 1764929521.100000 info msg 9: bytes 10 from <ann@near.example> qp 1 uid 2\nDec  5 10:12:01 web1 qmail: 1764929521.200000 starting delivery 3: msg 9 to remote bob@far.example\nDec  5 10:12:02 web1 qmail: 1764929522.300000 delivery 3: deferral: Connected_to_192.0.2.5_but_greeting_failed./Remote_host_said:_421_try_later/";
        let lines: Vec<&str> = log.lines().collect();
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records[0].action, Action::Delayed);
        assert_eq!(b.records[0].reply_code, Some(421));
        // Only a deferral: it decides the message.
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-12-05T10:12:02+00:00")
        );
    }
}
