//! Postfix's queue listing (`mailq`, `postqueue -p`, and `postqueue -j`'s JSON), as showq
//! prints it:
//!
//! ```text
//! -Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------
//! 4XyZ12abC3*    23104 Thu Dec  3 09:01:44  ann@near.example
//! (host mx.far.example[192.0.2.3] said: 421 4.7.0 Too many messages (in reply to RCPT TO command))
//!                                          bob@far.example
//!
//! -- 23 Kbytes in 1 Request.
//! ```
//!
//! An entry line (queue id, `*` when active or `!` when held, size, arrival time without
//! its year, sender) is followed by each recipient, indented, under the reason its last
//! delivery attempt was deferred, in parentheses. A recipient under a reason is a delayed
//! record; one without (not tried yet) is none.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{Action, Bounce, Format, Record, TimestampBasis};
use super::pattern::re;
use super::{response, scan, time};

/// `QUEUEID[*!]  SIZE  Www Mmm dd hh:mm:ss  sender` (the sender may be empty, or
/// `MAILER-DAEMON` for a bounce).
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([0-9A-Za-z]{5,20})[*!]?\s+([0-9]+)\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2} +[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2})\s+(\S*)\s*$",
    )
});

/// Lines read at most: a paste of a long queue is read to here.
const MAX_LINES: usize = 5000;

/// Whether `lines` are a queue listing: its column header, or an entry line followed by a
/// reason or a recipient.
pub fn detect(lines: &[&str]) -> bool {
    lines.iter().take(200).any(|l| l.starts_with("-Queue ID-"))
        || lines
            .windows(2)
            .take(200)
            .any(|w| ENTRY.is_match(w[0]) && is_reason_or_recipient(w[1]))
}

fn is_reason_or_recipient(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with('(') && t.ends_with(')')) || (line.starts_with("    ") && t.contains('@'))
}

/// The deferred recipients of the listing; the sender, arrival time and queue id of the
/// first entry that has one become the bounce's.
pub fn parse(lines: &[&str], bounce: &mut Bounce) {
    // The current entry: (queue id, arrival as printed, sender).
    let mut entry: Option<(&str, &str, &str)> = None;
    let mut reason: Option<String> = None;
    for (n, line) in lines.iter().enumerate().take(MAX_LINES) {
        if let Some(c) = ENTRY.captures(line) {
            let cap = |i: usize| c.get(i).map_or("", |m| m.as_str());
            entry = Some((cap(1), cap(3), cap(4)));
            reason = None;
            continue;
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with("-- ") {
            entry = None;
            reason = None;
            continue;
        }
        let Some((queue, arrival, sender)) = entry else {
            continue;
        };
        if let Some(said) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            reason = Some(said.to_string());
            continue;
        }
        let Some(said) = reason.as_deref() else {
            continue;
        };
        if !t.contains('@') || t.contains(char::is_whitespace) {
            continue;
        }
        bounce.records.push(deferred(t, said, n));
        if bounce.queue_id.is_none() {
            bounce.queue_id = Some(queue.to_string());
            let sender = Some(sender).filter(|s| s.contains('@'));
            bounce.sender = sender.map(str::to_string);
            // Not when delivery failed (the listing does not say), but when the message
            // came in: the time the agent can look it up by.
            bounce.timestamp = time::parse_log_time(arrival);
            bounce.timestamp_raw = bounce.timestamp.map(|_| arrival.to_string());
            bounce.timestamp_basis = TimestampBasis::Arrived;
        }
    }
    if !bounce.records.is_empty() {
        bounce.format = Format::PostfixLog;
    }
}

/// A recipient the queue holds, deferred for `said` (Postfix's `host x[ip] said: 421 ...
/// (in reply to RCPT TO command)`), listed at line `n`.
fn deferred(recipient: &str, said: &str, n: usize) -> Record {
    let words = said.split_once(" said: ").map_or(said, |(_, s)| s);
    let r = response::extract(words);
    let (remote_host, remote_ip) = scan::find_remote_host(said);
    Record {
        recipient: Some(recipient.to_string()),
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text).filter(|d| !d.is_empty()),
        stage: scan::find_stage(said),
        remote_host,
        remote_ip,
        action: Action::Delayed,
        source_line: Some(n),
        ..Record::default()
    }
}

/// `postqueue -j`: one JSON object per queued message (`queue_name`, `queue_id`,
/// `arrival_time` in seconds since the epoch, `sender`, `recipients` with each one's
/// `address` and `delay_reason`). A recipient with a delay reason is a delayed record; the
/// first such message's sender, arrival and queue id become the bounce's. False when no
/// line is such an object.
pub fn parse_json(lines: &[&str], bounce: &mut Bounce) -> bool {
    let mut any = false;
    for (n, line) in lines.iter().enumerate().take(MAX_LINES) {
        let t = line.trim();
        if !(t.starts_with('{') && t.contains("\"queue_name\"")) {
            continue;
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(t) else {
            continue;
        };
        let field = |k: &str| v.get(k).and_then(serde_json::Value::as_str);
        let Some(recipients) = v.get("recipients").and_then(serde_json::Value::as_array) else {
            continue;
        };
        any = true;
        for rcpt in recipients {
            let address = rcpt.get("address").and_then(serde_json::Value::as_str);
            let reason = rcpt.get("delay_reason").and_then(serde_json::Value::as_str);
            let (Some(address), Some(said)) = (address, reason) else {
                continue;
            };
            bounce.records.push(deferred(address, said, n));
            if bounce.queue_id.is_none() {
                bounce.queue_id = field("queue_id").map(str::to_string);
                bounce.sender = field("sender")
                    .filter(|s| s.contains('@'))
                    .map(str::to_string);
                let arrival = v.get("arrival_time").and_then(serde_json::Value::as_i64);
                bounce.timestamp = arrival.and_then(|s| chrono::DateTime::from_timestamp(s, 0));
                bounce.timestamp_raw = arrival.map(|s| s.to_string());
                bounce.timestamp_basis = TimestampBasis::Arrived;
            }
        }
    }
    if !bounce.records.is_empty() {
        bounce.format = Format::PostfixLog;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------
4XyZ12abC3*    23104 Thu Dec  3 09:01:44  ann@near.example
(host mx.far.example[198.51.100.3] said: 421 4.7.0 Too many messages, slow down (in reply to RCPT TO command))
                                         bob@far.example

7Bc4Hh1Lm2     10233 Thu Dec  3 09:14:02  MAILER-DAEMON
(connect to mx.other.example[192.0.2.7]:25: Connection timed out)
                                         cy@other.example
                                         dee@near.example

A1B2C3D4E5!     900 Thu Dec  3 09:20:00  ann@near.example
                                         ed@far.example

-- 34 Kbytes in 3 Requests.";

    #[test]
    fn deferred_recipients_under_their_reasons() {
        let lines: Vec<&str> = LISTING.lines().collect();
        assert!(detect(&lines));
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        let got: Vec<(Option<&str>, Option<u16>)> = b
            .records
            .iter()
            .map(|r| (r.recipient.as_deref(), r.reply_code))
            .collect();
        // The held entry's recipient was not tried: no reason, no record.
        assert_eq!(
            got,
            [
                (Some("bob@far.example"), Some(421)),
                (Some("cy@other.example"), None),
                (Some("dee@near.example"), None),
            ]
        );
        let first = &b.records[0];
        assert_eq!(first.action, Action::Delayed);
        assert_eq!(first.remote_ip.as_deref(), Some("198.51.100.3"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.queue_id.as_deref(), Some("4XyZ12abC3"));
        assert_eq!(b.timestamp_raw.as_deref(), Some("Dec  3 09:01:44"));
        assert_eq!(b.timestamp_basis, TimestampBasis::Arrived);
    }

    #[test]
    fn postqueue_json() {
        let line = r#"{"queue_name": "deferred", "queue_id": "4fR0zq5X", "arrival_time": 1796368502, "message_size": 5120, "forced_expire": false, "sender": "ann@near.example", "recipients": [{"address": "bob@far.example", "delay_reason": "host relay.far.example[198.51.100.3] said: 554 5.7.1 <bob@far.example>: Relay access denied (in reply to RCPT TO command)"}]}"#;
        let mut b = Bounce::default();
        assert!(parse_json(&[line], &mut b));
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!((r.reply_code, r.action), (Some(554), Action::Delayed));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-04T07:15:02+00:00")
        );
        assert!(!parse_json(&["{\"a\": 1}"], &mut Bounce::default()));
    }

    #[test]
    fn other_text_is_no_listing() {
        let lines = ["Dec  3 09:01:44 mail postfix/smtp[1]: 4XyZ12abC3: to=<bob@far.example>"];
        assert!(!detect(&lines));
        assert!(!detect(&["bob@far.example", "    (no)"]));
    }
}
