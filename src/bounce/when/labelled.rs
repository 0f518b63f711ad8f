//! Dates a report writes on labelled lines of its own: a failure line with its time, a
//! status row, `Last-Attempt-Date:`, the arrival line, an SMTP greeting, a labelled sent
//! date, and the returned message's `Date:`.

use chrono::{DateTime, Utc};

use crate::bounce::model::Bounce;
use crate::bounce::report::Report;
use crate::bounce::{scan, time, vocabulary};

use super::blocks::forwarded_block_date;
use super::landmarks::ZONED_STAMP;

/// A failure line that carries its own time (Exchange's diagnostic line: `12/1/2026 4:02:31
/// PM - Remote Server at smtp.x (198.51.100.3) returned '554 5.7.1 ...'`): a written date,
/// ` - `, and words holding a failure reply.
pub(super) fn dated_failure_line(text: &str) -> Option<(DateTime<Utc>, String)> {
    text.lines().take(4000).find_map(|line| {
        let (when, rest) = line.trim().split_once(" - ")?;
        if when.len() > 40 || !when.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        scan::find_failure_code(rest)?;
        let (t, _) = time::parse_written(when)?;
        Some((t, when.to_string()))
    })
}

/// A report's status row saying when delivery failed: an outcome word (vocabulary
/// `[failure-rows]`), a gap, and nothing but a date (GroupWise's `Undeliverable
/// 11/23/2026 3:45 PM`).
pub(super) fn failure_row_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    let outcomes = vocabulary::words("failure-rows");
    text.lines().take(4000).find_map(|line| {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        let word = outcomes.iter().find(|w| lower.starts_with(*w))?;
        let rest = &t[word.len()..];
        if !(rest.starts_with("  ") || rest.starts_with('\t')) || rest.trim().len() > 40 {
            return None;
        }
        let (when, _) = time::parse_written(rest)?;
        Some((when, rest.trim().to_string()))
    })
}

/// A monitoring alert's own time (Nagios' notification: `Date/Time: Fri Dec 4 11:20:04 UTC
/// 2026`), quoting the failure its probe met: when the failure was reported.
pub(super) fn alert_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    text.lines().take(200).find_map(|line| {
        let t = line.trim();
        let value = t
            .get(..10)
            .filter(|head| head.eq_ignore_ascii_case("date/time:"))
            .map(|_| t[10..].trim())?;
        let (when, _) = time::parse_written(value)?;
        Some((when, value.to_string()))
    })
}

/// A delivery-status part's `Last-Attempt-Date:` copied as text (a body pasted without the
/// bounce's own headers): when the reporting server last tried, and so when it gave up.
pub(super) fn last_attempt_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    if memchr::memmem::find(text.as_bytes(), b"ttempt-Date").is_none()
        && memchr::memmem::find(text.as_bytes(), b"ttempt-date").is_none()
    {
        return None;
    }
    labelled_date(text, &["last-attempt-date:"])
}

/// When the reporting server received the message, as its report says at a line's start
/// (vocabulary `[arrival-labels]`: `Arrival-Date: Tue,  1 Dec 2026 09:05:44 -0500`,
/// `The original message was received at Tue, 1 Dec 2026 11:19:48 -0800`).
pub(super) fn arrival_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    labelled_date(text, vocabulary::words("arrival-labels"))
}

/// The RFC 5322 date after the first line opening with one of `labels` (ASCII case aside).
pub(super) fn labelled_date(text: &str, labels: &[&str]) -> Option<(DateTime<Utc>, String)> {
    text.lines().take(4000).find_map(|line| {
        let t = line.trim_start();
        let label = labels.iter().find(|l| {
            t.get(..l.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(l))
        })?;
        let value = t[label.len()..].trim();
        Some((time::parse_rfc5322(value)?, value.to_string()))
    })
}

/// An SMTP greeting stamped with the server's time (`220 mx.example ESMTP Sendmail 8.18.1;
/// Thu, 3 Dec 2026 08:30:00 -0500`, Exim's `220-host ESMTP Exim 4.98 #2 Wed, 02 Dec 2026
/// 10:11:12 +0000`): the session, and its refusal, happened then.
pub(super) fn greeting_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    text.lines().take(4000).find_map(|line| {
        let t = line.trim_start_matches(|c: char| !c.is_ascii_digit());
        // smtp-cli prints it `[220] 'host ESMTP ...; date'`. Some servers stamp their answer
        // to EHLO instead (`250-mx.x Hello client [192.0.2.1], Thu, 3 Dec 2026 15:10:18 +0100`).
        let greets = t.starts_with("220 ") || t.starts_with("220-") || t.starts_with("220] '");
        let hello = (t.starts_with("250-") || t.starts_with("250 "))
            && t.to_ascii_lowercase().contains(" hello ");
        if !(greets || hello) {
            return None;
        }
        if let Some(m) = ZONED_STAMP.find(t)
            && let Some(when) = time::parse_rfc5322(m.as_str())
        {
            return Some((when, m.as_str().to_string()));
        }
        // MailEnable's `ready at 12/05/26 14:22:31`: the server's clock without a zone.
        if !greets {
            return None;
        }
        let (_, tail) = t.rsplit_once(" at ")?;
        let (when, _) = time::parse_written(tail)?;
        Some((when, tail.trim().to_string()))
    })
}

/// A labelled date of when the returned message was sent, anywhere in the report
/// (vocabulary `[sent-date-labels]`; Domino's `Date sent:  11/24/2026 06:00:02 AM`).
pub(super) fn sent_label_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    let labels = vocabulary::words("sent-date-labels");
    text.lines().take(4000).find_map(|line| {
        let (label, value) = line.split_once(':')?;
        let label = label.trim().to_ascii_lowercase();
        if !labels.contains(&label.as_str()) {
            return None;
        }
        let (when, _) = time::parse_written(value)?;
        Some((when, value.trim().to_string()))
    })
}

/// The returned message's `Date:` (when it was sent, minutes before it bounced), else the
/// date of its topmost Received field (when the reporting host took it in). The returned
/// message is the one the report marks, or a header block that a webmail view introduces
/// as a forwarded message below the failed recipient (Gmail shows an attached original
/// that way).
pub(super) fn original_date(
    text: &str,
    report: Option<&Report<'_>>,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, String)> {
    let split;
    let report = match report {
        Some(r) => r,
        None => {
            split = Report::new(text);
            &split
        }
    };
    let zoned = |raw: &str| {
        time::parse_written(raw)
            .filter(|(_, zoned)| *zoned)
            .map(|(t, _)| (t, raw.to_string()))
    };
    if let Some(h) = report.original_headers() {
        let found = h
            .date
            .as_deref()
            .and_then(zoned)
            .or_else(|| h.last_received_date().and_then(zoned));
        if found.is_some() {
            return found;
        }
    }
    forwarded_block_date(text, bounce).and_then(|raw| zoned(&raw))
}
