//! When a pasted bounce was reported, for pastes that carry no header or log stamp the
//! readers took it from: a webmail view's or a forward's header lines above the report, an
//! SMTP session's greeting, else when the returned message was sent (or reached the
//! reporting host).
//!
//! The order of the sources is decided here ([`settle`], then [`complete`] after every
//! reader); each kind of source has its module: [`view`] (what a mail client shows above
//! the report), [`blocks`] (header blocks inside the paste), [`labelled`] (a report's own
//! dated lines) and [`stamps`] (stamps beside a pasted failure, and when it was posted);
//! [`landmarks`] holds what they look for in common.

use chrono::{DateTime, Utc};

use super::model::{Bounce, TimestampBasis};
use super::report::Report;
use super::time;

mod blocks;
mod labelled;
mod landmarks;
mod order;
mod stamps;
mod view;

pub(super) use blocks::{bounce_block, bounce_header_block, forwarded_block_sender};
use labelled::{
    alert_date, arrival_date, dated_failure_line, failure_row_date, greeting_date,
    last_attempt_date, original_date, sent_label_date,
};
use landmarks::HEADER_SCAN_LINES;
use stamps::{keyed_stamp, posted_date, stamped_client_line, zone_of_the_same_moment};
use view::{draft_date, header_date};

/// Fill `bounce.timestamp` when the readers found none: the bounce's own date as the paste
/// shows it above the report (a view's or a forward's header lines, a reply's attribution
/// line naming a mail system), else the SMTP greeting's date, else when the reporting
/// server received the message (nearer the failure than when it was written), else the
/// returned message's `Date:`. The bounce's own date wins even when the client wrote it without a zone (it
/// is then read as UTC and says so): the failure was reported then, and the returned
/// message's Date is another event. `report` is `text` already split as a report, when
/// the reader split it.
pub fn settle(text: &str, report: Option<&Report<'_>>, bounce: &mut Bounce) {
    if bounce.timestamp.is_some() {
        return;
    }
    if let Some((t, raw)) = dated_failure_line(text) {
        bounce.timestamp = Some(t);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = TimestampBasis::Report;
        return;
    }
    let found = view_date(text, bounce)
        .or_else(|| {
            bounce_header_block(text)
                .map(|block| (block.date, block.raw_date, basis_of(block.zoned)))
        })
        .or_else(|| {
            failure_row_date(text)
                .or_else(|| last_attempt_date(text))
                .or_else(|| alert_date(text))
                .map(|(t, raw)| (t, raw, TimestampBasis::Report))
        })
        .or_else(|| greeting_date(text).map(|(t, raw)| (t, raw, TimestampBasis::Greeting)))
        .or_else(|| arrival_date(text).map(|(t, raw)| (t, raw, TimestampBasis::Arrived)))
        .or_else(|| {
            original_date(text, report, bounce)
                .or_else(|| sent_label_date(text))
                .map(|(t, raw)| (t, raw, TimestampBasis::OriginalSent))
        });
    if let Some((t, raw, basis)) = found {
        bounce.timestamp = Some(t);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = basis;
    }
}

/// A session's greeting stamped with the server's time and zone (`220 mx.x ESMTP Sendmail
/// 8.15.2; Tue, 24 Nov 2026 13:02:44 -0500`), for a session dated only by a stamp without a
/// zone (PuTTY's log header, cmd's `%date% %time%`): the client wrote those in a zone it does
/// not name; the server's own stamp says when the session ran.
pub(super) fn session_greeting_over_zoneless(text: &str, bounce: &mut Bounce) {
    let Some(raw) = bounce.timestamp_raw.as_deref() else {
        return;
    };
    if shows_a_zone(raw) || time::parse_written(raw).is_some_and(|(_, zoned)| zoned) {
        return;
    }
    if let Some((at, greeting)) = greeting_date(text).filter(|(_, g)| shows_a_zone(g)) {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(greeting);
        bounce.timestamp_basis = TimestampBasis::Greeting;
    }
}

/// The time's last steps, after every reader: a paste that is no whole message and shows
/// no time of its failure takes the stamp a client or an app wrote beside it
/// ([`stamped_client_line`]), else the time its logged error object holds
/// ([`keyed_stamp`]), else when the customer posted it ([`posted_date`]); a slashed date
/// whose day-and-month order is open is read in the order the paste settles
/// ([`order`]); a time read without its zone takes the zone of the same moment written
/// with one ([`zone_of_the_same_moment`]), else the zone the page declares.
pub(super) fn complete(text: &str, is_message: bool, bounce: &mut Bounce) {
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, zoned, raw)) = stamped_client_line(text)
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = basis_of(zoned);
    }
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, raw)) = keyed_stamp(text)
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = TimestampBasis::Report;
    }
    // A log page's row (a shop's or a panel's log copied as a table): its time column.
    if bounce.timestamp.is_none()
        && !is_message
        && let Some(rcpt) = bounce.records.iter().find_map(|r| r.recipient.as_deref())
        && let Some((at, zoned, raw)) = {
            let lines: Vec<&str> = text.lines().collect();
            super::table::row_time(&lines, rcpt).and_then(|raw| {
                time::parse_written(raw).map(|(at, zoned)| (at, zoned, raw.to_string()))
            })
        }
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = basis_of(zoned);
    }
    // A client's error over the draft it failed to send: the draft's Date row, from the
    // rows above any returned original.
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, zoned, raw)) = {
            let split = Report::new(text);
            let lines = split.before_original();
            draft_date(&lines[..lines.len().min(HEADER_SCAN_LINES)], text, bounce)
        }
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = basis_of(zoned);
    }
    // A session recorded with `script`: its typescript opens with when it started.
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, zoned, raw)) = script_started(text)
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = basis_of(zoned);
    }
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, raw)) = posted_date(text)
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = TimestampBasis::Posted;
    }
    // A time read from a stamp written without its zone (read as UTC so far).
    let zoneless = match (bounce.timestamp, bounce.timestamp_raw.as_deref()) {
        (Some(at), Some(raw)) => {
            !shows_a_zone(raw)
                && time::parse_written(raw).is_some_and(|(t, zoned)| !zoned && t == at)
        }
        _ => false,
    };
    // A page that says which zone its times are shown in (Microsoft 365's message trace:
    // `Time zone: (UTC+01:00) Amsterdam, ...`, vocabulary `[zone-labels]`).
    let zone = if zoneless { declared_zone(text) } else { None };
    // The day-and-month order first (the page's region may say it): the moment and the
    // zone below are the date's as it is meant.
    order::settle_day_month_order(text, zone.as_ref().and_then(|z| z.region), bounce);
    let Some(local) = bounce.timestamp.filter(|_| zoneless) else {
        return;
    };
    // The same moment written with its zone elsewhere in the paste.
    if let Some((zoned_at, zoned_raw)) = zone_of_the_same_moment(text, local) {
        bounce.timestamp = Some(zoned_at);
        bounce.timestamp_raw = Some(zoned_raw);
        return;
    }
    // Else the page's declared zone: the time is in that one.
    if let Some(zone) = zone {
        let offset = zone.offset_at(local.naive_utc());
        bounce.timestamp = Some(local - chrono::Duration::seconds(i64::from(offset)));
    }
}

/// The start of a typescript (util-linux `script`: `Script started on 2026-12-01
/// 18:22:07-03:00 [COMMAND="telnet ..."]`, older ones `Script started on Tue 01 Dec 2026
/// 06:22:07 PM -03`), within a session's first lines.
fn script_started(text: &str) -> Option<(DateTime<Utc>, bool, String)> {
    text.lines().take(20).find_map(|line| {
        let rest = line.trim().strip_prefix("Script started on ")?;
        let date = rest.split(" [").next().unwrap_or(rest).trim();
        // util-linux writes ISO 8601 with the offset joined to the seconds.
        let (at, zoned) = chrono::DateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S%:z")
            .map(|t| (t.with_timezone(&Utc), true))
            .ok()
            .or_else(|| time::parse_written(date))?;
        Some((at, zoned, date.to_string()))
    })
}

/// The zone a page declares for the times it shows.
struct DeclaredZone {
    /// The offset written (`UTC+10:00`), in seconds east of UTC.
    offset: i32,
    /// The region its cities name, when they name one with summer time.
    region: Option<chrono_tz::Tz>,
}

impl DeclaredZone {
    /// The offset of a local time `local` in this zone: the region's on that day (summer
    /// time included), else the one written.
    fn offset_at(&self, local: chrono::NaiveDateTime) -> i32 {
        use chrono::{Offset, TimeZone};
        self.region
            .and_then(|r| r.from_local_datetime(&local).earliest())
            .map_or(self.offset, |t| t.offset().fix().local_minus_utc())
    }
}

/// The zone a page declares for the times it shows: a row labelled as the time zone
/// (vocabulary `[zone-labels]`) whose value names an offset (and perhaps, by its cities, a
/// region).
fn declared_zone(text: &str) -> Option<DeclaredZone> {
    let labels = super::vocabulary::words("zone-labels");
    text.lines().take(200).find_map(|line| {
        let (label, value) = line.split_once(':')?;
        let label = label.trim().to_lowercase();
        if !labels.contains(&label.as_str()) {
            return None;
        }
        Some(DeclaredZone {
            offset: time::offset_named_in(value)?,
            region: time::windows_zone_region(value),
        })
    })
}

/// Whether a written time plainly carries its zone (`+0100`, ` -0500`, `Z`, `UTC`, `GMT`):
/// most bounces' do, and need no closer reading.
fn shows_a_zone(raw: &str) -> bool {
    let last = raw.trim_end().rsplit(' ').next().unwrap_or("");
    let signed_offset = last.len() >= 3
        && last.starts_with('-')
        && last[1..].bytes().all(|b| b.is_ascii_digit() || b == b':');
    raw.contains('+')
        || signed_offset
        || raw.ends_with('Z')
        || raw.contains("UTC")
        || raw.contains("GMT")
}

/// [`header_date`]: the bounce's own date as a view printed it, with its basis (as in
/// [`settle`], a date the client wrote without a zone is still the bounce's, read as UTC).
pub(super) fn view_date(
    text: &str,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, String, TimestampBasis)> {
    header_date(text, bounce).map(|(t, zoned, raw)| (t, raw, basis_of(zoned)))
}

/// A date a view or a client printed: with its zone it is the report's, without it the
/// client's local time (read as UTC, and the summary says so).
fn basis_of(zoned: bool) -> TimestampBasis {
    if zoned {
        TimestampBasis::Report
    } else {
        TimestampBasis::ClientLocal
    }
}

#[cfg(test)]
mod tests {
    use super::blocks::*;
    use super::stamps::*;
    use super::view::*;
    use super::*;
    use crate::bounce::Record;
    use chrono::Timelike;

    fn settled(text: &str, recipient: &str) -> Option<String> {
        let mut b = Bounce {
            records: vec![Record {
                recipient: Some(recipient.to_string()),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        settle(text, None, &mut b);
        b.timestamp.map(|t| t.to_rfc3339())
    }

    /// An app's logged error object keeps its time under a key; a value with no zone or
    /// under another key is no stamp.
    #[test]
    fn a_logged_error_object_s_time() {
        let text = "    err: {\n      \"message\": \"Can't send mail\"\n    }\n    from: \"a@near.example\"\n    date: \"2026-12-04T08:33:17.412Z\"\n";
        assert_eq!(
            keyed_stamp(text).map(|(t, _)| t.to_rfc3339()).as_deref(),
            Some("2026-12-04T08:33:17.412+00:00")
        );
        assert_eq!(keyed_stamp("  \"sent\": \"2026-12-04T08:33:17Z\"\n"), None);
        assert_eq!(keyed_stamp("date: \"2026-12-04 08:33:17\"\n"), None);
        // logfmt's `t=` inside a line, and a webhook's epoch seconds.
        assert_eq!(
            keyed_stamp("logger=x t=2026-12-05T03:00:12.488+01:00 level=error msg=\"failed\"\n")
                .map(|(t, _)| t.to_rfc3339())
                .as_deref(),
            Some("2026-12-05T02:00:12.488+00:00")
        );
        assert_eq!(
            keyed_stamp("  \"timestamp\": 1795524291.22,\n")
                .map(|(t, _)| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-24T12:44:51+00:00")
        );
        assert_eq!(keyed_stamp("  \"id\": 1795524291,\n"), None);
    }

    /// `4/12/2026 4:03 PM` is read month first (the US writes AM/PM), unless the paste's
    /// other dates all lie near the 4th of December (Outlook in en-AU); a US paste keeps it.
    #[test]
    fn an_open_slashed_date_read_in_the_order_the_paste_s_other_dates_agree_with() {
        let complete_of = |text: &str| {
            let mut b = Bounce {
                records: vec![Record {
                    recipient: Some("orders@far.example".into()),
                    ..Record::default()
                }],
                ..Bounce::default()
            };
            settle(text, None, &mut b);
            complete(text, false, &mut b);
            b.timestamp.map(|t| t.to_rfc3339())
        };
        let view = "Mail Delivery System <MAILER-DAEMON@smtp.near.example>\nTo: bookings@near.example\nFri 4/12/2026 4:03 PM\n\nDelivery failed for: orders@far.example\n";
        assert_eq!(
            complete_of(view).as_deref(),
            Some("2026-04-12T16:03:00+00:00")
        );
        let perth = format!("{view}Reported at: Fri, 4 Dec 2026 16:03:37 +0800\n");
        assert_eq!(
            complete_of(&perth).as_deref(),
            Some("2026-12-04T16:03:00+00:00")
        );
        let us = format!("{view}Original sent: 2026-04-12 15:59\n");
        assert_eq!(
            complete_of(&us).as_deref(),
            Some("2026-04-12T16:03:00+00:00")
        );
        // A message trace that declares Sydney's zone: day first, and summer time's offset
        // (+11:00 in December) rather than the +10:00 the label writes.
        let trace = "Time zone: (UTC+10:00) Canberra, Melbourne, Sydney\n\nRecipient address    orders@far.example\nStatus               Failed\n\nDate                      Event     Detail\n3/12/2026, 2:14:08 pm     Fail      Reason: [{LED=550 5.1.1 <orders@far.example>: User unknown}]\n";
        assert_eq!(
            complete_of(trace).as_deref(),
            Some("2026-12-03T03:14:08+00:00")
        );
        let eastern = trace.replace(
            "(UTC+10:00) Canberra, Melbourne, Sydney",
            "(UTC-05:00) Eastern Time (US & Canada)",
        );
        assert_eq!(
            complete_of(&eastern).as_deref(),
            Some("2026-03-12T18:14:08+00:00")
        );
    }

    /// A view copied without its sender line: the date over the To row is the bounce's; a
    /// date that is no full stamp, or not over a To row, is not.
    #[test]
    fn a_view_s_date_over_its_to_row_when_the_sender_line_was_cut() {
        let text = "ivery Failure Notice\nTue, Dec 1, 2026 at 3:04 PM\nTo: ann@near.example\n\nSorry, we were unable to deliver your message to the following address.\n\n<bob@far.example>:\n554: 5.4.6 Hop count exceeded - possible mail loop\n";
        assert_eq!(
            settled(text, "bob@far.example").as_deref(),
            Some("2026-12-01T15:04:00+00:00")
        );
        let no_to_row = "Tue, Dec 1, 2026 at 3:04 PM\nSubject: failure\n\n<bob@far.example>:\n554 5.4.6 Hop count exceeded\n";
        assert_eq!(
            date_over_a_to_row(&no_to_row.lines().collect::<Vec<_>>()),
            None
        );
    }

    /// Yandex's forward names the bounce's sender after its date, with no verb.
    #[test]
    fn a_forward_line_with_the_date_before_the_mail_system() {
        let text = "Пересылаю.\n\n-------- Пересылаемое сообщение --------\n03.12.2026, 16:40, \"Mail Delivery System\" <Mailer-Daemon@mx.near.example>:\n\nA message that you sent could not be delivered.\n\n  ivan@far.example\n    550 5.1.1 no such user\n";
        assert_eq!(
            settled(text, "ivan@far.example").as_deref(),
            Some("2026-12-03T16:40:00+00:00")
        );
    }

    /// Zimbra's reading pane: the date unlabelled under From and To rows, its From naming
    /// the daemon without a domain.
    #[test]
    fn a_reading_pane_s_unlabelled_date_under_the_daemon_s_from_row() {
        let text = "Undelivered Mail Returned to Sender\nFrom: \tMAILER-DAEMON (Mail Delivery System)\nTo: \tann@near.example\nTuesday, December 1, 2026 5:12 PM\n\n<bob@far.example>: host mx said: 550 5.1.1 unknown\n";
        assert_eq!(
            settled(text, "bob@far.example").as_deref(),
            Some("2026-12-01T17:12:00+00:00")
        );
    }

    /// A converter's zoneless time takes the zone of the message's own Date for the same
    /// second; a time shown to the minute keeps its reading.
    #[test]
    fn a_zoneless_time_takes_the_zone_of_the_same_moment() {
        let local = |s: &str| time::parse_written(s).map(|(t, _)| t).expect("a date");
        let text = "Client submit time   : 02/12/2026 09:31:47\n\n  Date: Wed, 02 Dec 2026 09:31:47 +0100\n";
        let found = zone_of_the_same_moment(text, local("02/12/2026 09:31:47"));
        assert_eq!(
            found.map(|(t, _)| t.to_rfc3339()).as_deref(),
            Some("2026-12-02T08:31:47+00:00")
        );
        // Another second, or a time shown to the minute, keeps its reading.
        assert!(zone_of_the_same_moment(text, local("02/12/2026 09:31:48")).is_none());
        let minute = "Sent: 2 Dec 2026 09:31\nDate: Wed, 02 Dec 2026 09:31:00 +0100\n";
        assert!(zone_of_the_same_moment(minute, local("2 Dec 2026 09:31")).is_none());
        // Or with a region's zone name, as a ticket system's log header writes it.
        let znuny = "  Zakończono:      27.11.2026 08:14:20 (Europe/Warsaw)\n  27.11.2026 08:14:20   Error   Could not send\n";
        let found = zone_of_the_same_moment(znuny, local("27.11.2026 08:14:20"));
        assert_eq!(
            found.map(|(t, _)| t.to_rfc3339()).as_deref(),
            Some("2026-11-27T07:14:20+00:00")
        );
        assert!(zone_of_the_same_moment(znuny, local("27.11.2026 08:14:21")).is_none());
        // Or as an ISO stamp in another zone, whole quarter hours away (a Windows event's
        // XML `SystemTime` in UTC under its General view's local time in the Chathams).
        let event = "Date:          4/12/2026 9:31:22 a.m.\n    <TimeCreated SystemTime=\"2026-12-03T19:46:22.5318042Z\" />\n";
        let found = zone_of_the_same_moment(event, local("04.12.2026 09:31:22"));
        assert_eq!(
            found.map(|(t, _)| t.with_nanosecond(0).map(|t| t.to_rfc3339())),
            Some(Some("2026-12-03T19:46:22+00:00".to_string()))
        );
        // Another second, or a distance no zone has, is another moment.
        assert!(zone_of_the_same_moment(event, local("04.12.2026 09:31:23")).is_none());
        assert!(zone_of_the_same_moment(event, local("04.12.2026 09:38:22")).is_none());
    }

    /// A client's stamp at a line's start or end, near the failing reply, is when sending
    /// failed; a stamp far from any reply, or a line without a year, is not.
    #[test]
    fn a_client_s_stamp_beside_the_failing_reply() {
        let at = |text: &str| stamped_client_line(text).map(|(t, z, _)| (t.to_rfc3339(), z));
        let panel = "Account: a@near.example\n  23.11.2026 10:42:17   Sending \"Offer\" ... Failed\n\n  Sending of message failed.\n  The server responded: 554 5.7.1 <b@far.example>: Relay access denied\n";
        assert_eq!(
            at(panel),
            Some(("2026-11-23T10:42:17+00:00".to_string(), false))
        );
        let trailing = "Senden fehlgeschlagen · 04.12.2026 08:15:42\ncom.sun.mail.smtp.SMTPSendFailedException: 553 5.7.1 <a@b.example>: not owned\n";
        assert_eq!(
            at(trailing),
            Some(("2026-12-04T08:15:42+00:00".to_string(), false))
        );
        let raw = stamped_client_line(trailing).map(|(_, _, raw)| raw);
        assert_eq!(raw.as_deref(), Some("04.12.2026 08:15:42"));
        let far =
            "Posted 01.12.2026 09:00\n\nHello,\nplease help,\nmy mail\ndoes not go\n553 5.7.1 no\n";
        assert_eq!(at(far), None);
        assert_eq!(at("10:42:17 Sending failed\n553 5.7.1 no\n"), None);
    }

    #[test]
    fn when_a_ticket_or_chat_message_was_posted() {
        let at = |text: &str| posted_date(text).map(|(t, _)| t.to_rfc3339());
        let ticket = "Ticket #4411 | mail fails\n\nAnn Lee <ann@near.example>\nDec 3, 2026, 7:58 AM (CET)\n\nHi, I get 553 5.7.1 when I send\n";
        assert_eq!(at(ticket).as_deref(), Some("2026-12-03T06:58:00+00:00"));
        let telegram = "Dewi | Villa, [04.12.2026 14:26]\nError: 501 <a@b..example>\n";
        assert_eq!(at(telegram).as_deref(), Some("2026-12-04T14:26:00+00:00"));
        let whatsapp = "[05.12.26, 16:52] Ann: 553 sorry, no\n";
        assert_eq!(at(whatsapp).as_deref(), Some("2026-12-05T16:52:00+00:00"));
        // A header row's label is no author line; a bracket that is no stamp is none.
        assert_eq!(at("From: Ann <ann@near.example>\nsee [note: 1]\n"), None);
    }

    #[test]
    fn forward_rules_in_other_languages() {
        for rule in [
            "---------- Forwarded message ---------",
            "-------- Weitergeleitete Nachricht --------",
            "---------- הודעה שהועברה ----------",
            "---------- Προωθημένο μήνυμα ----------",
        ] {
            assert!(is_forward_rule(rule), "{rule}");
        }
        assert!(!is_forward_rule("-------- Original Message --------"));
    }

    /// A bounce forwarded twice: the header block from the mail system says who it went
    /// to and when, not the colleagues' forwards above it.
    #[test]
    fn the_bounce_s_own_header_block_inside_forwards() {
        let text = "Please help\n\n-------- Original message --------\nFrom: Ann <ann@shop.example>\nDate: 06/12/2026 08:40\nTo: Dev <dev@shop.example>\nSubject: Fwd: failure\n\nsee below\n\n---------- Forwarded message ---------\nFrom: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nDate: Sat, Dec 5, 2026 at 6:17 PM\nSubject: Delivery Status Notification (Failure)\nTo: <ann@shop.example>\n\nMessage not delivered\n";
        let b = bounce_block(text).expect("the bounce's block");
        assert_eq!(b.to.as_deref(), Some("ann@shop.example"));
        assert_eq!(
            b.date.map(|(t, _)| t.to_rfc3339()).as_deref(),
            Some("2026-12-05T18:17:00+00:00")
        );
        assert_eq!(b.forwarders, ["ann@shop.example", "dev@shop.example"]);
        // No mail system's From row: no bounce block.
        assert!(bounce_block("From: Ann <ann@shop.example>\nTo: bob@far.example\n").is_none());
    }

    #[test]
    fn a_list_row_s_date_beside_the_mail_system_s_name() {
        let names = ["mail delivery subsystem"];
        let none = Bounce::default();
        let (when, zoned, raw) = list_row_date(
            "Mail Delivery Subsystem          Do., 03.12.2026, 12:48",
            &names,
            "",
            &none,
        )
        .unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-03T12:48:00+00:00");
        assert!(!zoned);
        assert_eq!(raw, "Do., 03.12.2026, 12:48");
        // Another sender's row, or a time without its date: not the bounce's date.
        assert!(
            list_row_date(
                "Anna Becker          Do., 03.12.2026, 12:48",
                &names,
                "",
                &none
            )
            .is_none()
        );
        assert!(list_row_date("Mail Delivery Subsystem   12:48", &names, "", &none).is_none());
        // Without its year (Gmail's list row in Portuguese), the year is the latest that
        // does not put the date in the future.
        let (when, _, _) = list_row_date(
            "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\t\tqua., 2 de dez., 10:03",
            &names,
            "",
            &none,
        )
        .unwrap();
        assert_eq!(when.format("%m-%d %H:%M").to_string(), "12-02 10:03");
        // Gmail's printed view: the sender's name and address, then the date.
        let (when, _, _) = list_row_date(
            "Mail Delivery Subsystem <mailer-daemon@googlemail.com>      Fri, Dec 4, 2026 at 3:12 PM",
            &names,
            "",
            &none,
        )
        .unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-04T15:12:00+00:00");
    }

    #[test]
    fn a_gmail_app_date_line_keeps_its_zone() {
        let text = "Mail Delivery Subsystem\npara mí\n29 nov 2026, 21:14 (GMT+1)\n\nTu mensaje a bob@far.example se ha bloqueado.\n\n550 5.7.1 blocked\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-29T20:14:00+00:00")
        );
    }

    #[test]
    fn the_mail_system_s_block_dates_a_bounce_forwarded_twice() {
        let text = "---------- Forwarded message ---------\nFrom: Marco <marco@near.example>\nDate: Sun, Dec 6, 2026 at 8:55 AM\nTo: <support@host.example>\n\n---------- Forwarded message ---------\nFrom: Mail Delivery System <MAILER-DAEMON@vps.near.example>\nDate: Fri, Dec 4, 2026 at 9:12 PM\nTo: <shop@near.example>\n\n<bob@far.example>: host mx.far.example[192.0.2.1] said: 550 5.1.8 Sender address rejected: Domain not found (in reply to RCPT TO command)\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-04T21:12:00+00:00")
        );
    }

    #[test]
    fn a_list_view_line_naming_a_mail_system() {
        let text = "Mail Delivery System <MAILER-DAEMON@mx.near.example> Sat, 5 Dec 2026 03:12:40 +0100 (CET)\nUndelivered Mail\n\n<ann@far.example>: Host not found\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-12-05T02:12:40+00:00")
        );
        let text = "Kim <kim@near.example> Sat, 5 Dec 2026 03:12:40 +0100\n\n<ann@far.example>: Host not found\n";
        assert_eq!(settled(text, "ann@far.example"), None);
    }

    #[test]
    fn a_forward_header_date_above_the_report() {
        let text = "-------- Mensaje reenviado --------\nAsunto: failure notice\nFecha: 3 Dec 2026 10:05:01 -0000\nDe: MAILER-DAEMON@mx.example\n\n<ann@far.example>:\n554 refused\n\n--- Below this line is a copy of the message.\n\nDate: Thu, 3 Dec 2026 10:04:00 +0000\nFrom: me@near.example\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-12-03T10:05:01+00:00")
        );
    }

    #[test]
    fn a_zoneless_view_date_is_the_bounces_own_time() {
        let text = "De : Microsoft Outlook <postmaster@near.example>\nEnvoyé : mardi 1 décembre 2026 10:44\n\nann@far.example\nRemote Server returned '550 5.3.4 too big'\n\nEn-têtes du message d'origine :\n\nFrom: Me <me@near.example>\nDate: Tue, 1 Dec 2026 09:44:10 +0000\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-12-01T10:44:00+00:00")
        );
        let no_original = "Кому: me@near.example\nДата: 18 ноября 2026, 15:40\n\nann@far.example\n550 5.1.1 no such user\n";
        assert_eq!(
            settled(no_original, "ann@far.example").as_deref(),
            Some("2026-11-18T15:40:00+00:00")
        );
    }

    /// A reply's attribution line dates the quoted bounce when it names a mail system,
    /// also wrapped before the address; a person's attribution (the forward) does not.
    #[test]
    fn a_reply_attribution_naming_a_mail_system() {
        let report = "> ann@far.example\n> 550 5.1.1 no such user\n";
        let gmail = format!(
            "On Fri, Dec 4, 2026 at 5:08 PM Kim <kim@near.example> wrote:\n\n> On Fri, Dec 4, 2026 at 4:02 PM Mail Delivery Subsystem <\n> mailer-daemon@googlemail.com> wrote:\n{report}"
        );
        assert_eq!(
            settled(&gmail, "ann@far.example").as_deref(),
            Some("2026-12-04T16:02:00+00:00")
        );
        let dutch = format!(
            "Op vr 4 dec 2026 om 10:02 schreef Mail Delivery System <Mailer-Daemon@mx.near.example>:\n{report}"
        );
        assert_eq!(
            settled(&dutch, "ann@far.example").as_deref(),
            Some("2026-12-04T10:02:00+00:00")
        );
        let person =
            format!("On Fri, Dec 4, 2026 at 5:08 PM Kim <kim@near.example> wrote:\n{report}");
        assert_eq!(settled(&person, "ann@far.example"), None);
        // Not a reply's attribution: a mail system's address beside a date, no verb.
        let no_verb = format!(
            "Fri, Dec 4, 2026 at 4:02 PM Mail Delivery System <mailer-daemon@mx.near.example>\n{report}"
        );
        assert_eq!(settled(&no_verb, "ann@far.example"), None);
    }

    /// A status row's failure time beats the returned message's sent date; a labelled sent
    /// date stands in when nothing else dates the report.
    #[test]
    fn a_status_row_and_a_labelled_sent_date() {
        let text = "Undeliverable to: ann@far.example\nReason: 553 no such user\n\nStatus of the message:\n  Created           11/23/2026 3:44 PM\n  Undeliverable     11/23/2026 3:45 PM\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-11-23T15:45:00+00:00")
        );
        let text = "was not delivered to:\tann@far.example\nbecause:\t553 no such user\nDate sent:\t11/24/2026 06:00:02 AM\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-11-24T06:00:02+00:00")
        );
        // A row that goes on with words is a sentence, not a status row.
        let text = "ann@far.example\n553 no such user\nRejected  by the server on 11/23/2026 3:45 PM because of policy\n";
        assert_eq!(settled(text, "ann@far.example"), None);
    }

    /// A webmail view's rows: `Date<TAB>value` (Roundcube), a date line of its own under
    /// the mail system's line (Yahoo), one without its year (Gmail) given the returned
    /// message's year.
    #[test]
    fn a_view_s_date_rows_and_lines() {
        let report = "\n<ann@far.example>:\nNo MX or A records for far.example\n\n--- Below this line is a copy of the message.\n\nDate: Fri, 4 Dec 2026 08:17:02 -0800\nFrom: me@near.example\n";
        let roundcube = format!(
            "From\tMail Delivery System <Mailer-Daemon@near.example>\nDate\t2026-12-03 14:05\n{report}"
        );
        assert_eq!(
            settled(&roundcube, "ann@far.example").as_deref(),
            Some("2026-12-03T14:05:00+00:00")
        );
        let yahoo = format!(
            "MAILER-DAEMON@yahoo.com\nTo: me@near.example\nFri, Dec 4, 2026 at 9:02 PM\n{report}"
        );
        assert_eq!(
            settled(&yahoo, "ann@far.example").as_deref(),
            Some("2026-12-04T21:02:00+00:00")
        );
        let gmail = format!(
            "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n\t\nFri, Dec 4, 4:17 PM (2 days ago)\n\t\nto me\n{report}"
        );
        assert_eq!(
            settled(&gmail, "ann@far.example").as_deref(),
            Some("2026-12-04T16:17:00+00:00")
        );
        let icloud = format!(
            "Mail Delivery System\nTo: me@near.example\nUndelivered Mail Returned to Sender\nDecember 2, 2026 at 1:52 PM EST\n{report}"
        );
        assert_eq!(
            settled(&icloud, "ann@far.example").as_deref(),
            Some("2026-12-02T18:52:00+00:00")
        );
        // A date line under a person's line is not the bounce's.
        let person = format!("Kim <kim@near.example>\nFri, Dec 4, 2026 at 9:02 PM\n{report}");
        assert_eq!(
            settled(&person, "ann@far.example").as_deref(),
            Some("2026-12-04T16:17:02+00:00")
        );
    }

    /// Exchange's diagnostic line dates the failure itself, before any view or original.
    #[test]
    fn a_failure_line_with_its_own_time() {
        let text = "Sent: Tuesday, December 1, 2026 5:03 PM\n\nann@far.example\n12/1/2026 4:02:31 PM - Remote Server at mx.far.example (198.51.100.3) returned '554 5.7.1 <ann@far.example>: Relay access denied'\n\nOriginal message headers:\n\nDate: Tue, 1 Dec 2026 16:02:26 +0000\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-12-01T16:02:31+00:00")
        );
        // A dash in prose is no dated line.
        let prose = "ann@far.example\n2 attempts - the server said 550 no\n";
        assert_eq!(settled(prose, "ann@far.example"), None);
    }

    /// A status part's Last-Attempt-Date copied as text is when the server gave up: the
    /// report's own time, before the arrival time.
    #[test]
    fn the_last_attempt_is_the_failure_s_time() {
        let text = "<ann@far.example>: host mx said: 550 5.1.1 unknown\n\nReporting-MTA: dns; mx.near.example\nArrival-Date: Mon, 30 Nov 2026 06:12:50 +0100\n\nFinal-Recipient: rfc822; ann@far.example\nAction: failed\nLast-Attempt-Date: Sat, 5 Dec 2026 06:12:54 +0100\n";
        let mut b = Bounce {
            records: vec![Record {
                recipient: Some("ann@far.example".into()),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        settle(text, None, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-05T05:12:54+00:00")
        );
        assert_eq!(b.timestamp_basis, TimestampBasis::Report);
    }

    /// The report's arrival time stands in when nothing of the report's own dates it, before
    /// the returned message's Date, and says so.
    #[test]
    fn an_arrival_time_stands_in_before_the_original_s_date() {
        let text = "<ann@far.example>: host mx said: 550 5.1.1 unknown\n\nReporting-MTA: dns; mx.near.example\nArrival-Date: Tue,  1 Dec 2026 09:05:44 -0500 (EST)\n";
        let mut b = Bounce {
            records: vec![Record {
                recipient: Some("ann@far.example".into()),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        settle(text, None, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-01T14:05:44+00:00")
        );
        assert_eq!(b.timestamp_basis, TimestampBasis::Arrived);
        let sendmail = "The original message was received at Tue, 1 Dec 2026 11:19:48 -0800\nfrom c-203-0-113-41.home.example.net [203.0.113.41]\n\n<ann@far.example>\n    (reason: 550 5.1.1 User unknown)\n";
        assert_eq!(
            settled(sendmail, "ann@far.example").as_deref(),
            Some("2026-12-01T19:19:48+00:00")
        );
        // It is nearer the failure than the returned message's Date.
        let both = format!(
            "{text}\n--- Below this line is a copy of the message.\n\nDate: Tue, 1 Dec 2026 14:05:00 +0000\nFrom: me@near.example\n"
        );
        assert_eq!(
            settled(&both, "ann@far.example").as_deref(),
            Some("2026-12-01T14:05:44+00:00")
        );
    }

    #[test]
    fn a_session_greeting_dates_the_session() {
        let text = "$ telnet mx.far.example 25\nTrying 198.51.100.9...\n220 mx.far.example ESMTP Sendmail 8.18.1/8.18.1; Thu, 3 Dec 2026 08:30:00 -0500\nMAIL FROM:<root@server1>\n553 5.1.8 <root@server1>... Domain of sender address root@server1 does not exist\n";
        assert_eq!(
            settled(text, "nobody@nowhere.example").as_deref(),
            Some("2026-12-03T13:30:00+00:00")
        );
        let mailenable = "220 mx.far.example ESMTP MailEnable Service, Version: 10.46-- ready at 12/05/26 14:22:31\nRCPT TO:<ann@far.example>\n503 This mail server requires authentication\n";
        assert_eq!(
            settled(mailenable, "ann@far.example").as_deref(),
            Some("2026-12-05T14:22:31+00:00")
        );
    }

    /// Gmail's Android app in Finnish: the view's date line, its time after `klo`.
    #[test]
    fn a_finnish_app_view_s_date_line() {
        let text = "Mail Delivery Subsystem\nmailer-daemon@googlemail.com\nvastaanottaja: minä\n1.12.2026 klo 14.09\n\nViestiäsi ei toimitettu osoitteeseen ann@far.example, koska verkkotunnusta ei löytynyt.\n";
        assert_eq!(
            settled(text, "ann@far.example").as_deref(),
            Some("2026-12-01T14:09:00+00:00")
        );
    }

    /// Views in Indonesian (a dot between hour and minute after the year), Hindi (`नव॰`,
    /// `पूर्वाह्न`) and Arabic (Outlook's Sent row, `ص`).
    #[test]
    fn view_dates_in_indonesian_hindi_and_arabic() {
        let id = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSel, 24 Nov 2026, 09.51\nkepada saya\n\nPesan untuk ann@far.example tidak terkirim.\n";
        assert_eq!(
            settled(id, "ann@far.example").as_deref(),
            Some("2026-11-24T09:51:00+00:00")
        );
        let hi = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nसोम, 23 नव॰ 2026, 3:08 pm\nमुझको\n\nआपका संदेश ann@far.example पर डिलीवर नहीं हुआ\n";
        assert_eq!(
            settled(hi, "ann@far.example").as_deref(),
            Some("2026-11-23T15:08:00+00:00")
        );
        let zoho = "प्रेषक: mailer-daemon@mail.zoho.in\nदिनांक: 04 दिस॰ 2026 10:40 पूर्वाह्न\n\nann@far.example, ERROR CODE :550 - 5.1.2 Domain does not exist\n";
        assert_eq!(
            settled(zoho, "ann@far.example").as_deref(),
            Some("2026-12-04T10:40:00+00:00")
        );
        let ar = "من:\tMicrosoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@near.example>\nتم الإرسال:\tالخميس، 3 ديسمبر 2026 11:52 ص\n\nتعذر تسليم رسالتك إلى ann@far.example.\n";
        assert_eq!(
            settled(ar, "ann@far.example").as_deref(),
            Some("2026-12-03T11:52:00+00:00")
        );
    }

    #[test]
    fn a_date_below_the_failed_recipient_is_not_the_reports() {
        // No original block, no greeting: a date written under the recipient line is
        // part of the explanation, and no time is better than a guessed one.
        let text = "ann@far.example\n550 no such user\nDate: 3 Dec 2026 10:05:01 -0000\n";
        assert_eq!(settled(text, "ann@far.example"), None);
    }

    #[test]
    fn a_stand_in_time_says_what_it_is_the_time_of() {
        let mut b = Bounce {
            records: vec![Record {
                recipient: Some("ann@far.example".into()),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        let text = "ann@far.example\n550 no such user\n\n----- Original message -----\n\nFrom: me@near.example\nDate: Tue, 1 Dec 2026 09:44:10 +0000\n";
        // The reader's split is used when it has one.
        let report = Report::new(text);
        settle(text, Some(&report), &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-01T09:44:10+00:00")
        );
        assert_eq!(b.timestamp_basis, TimestampBasis::OriginalSent);
        assert!(
            b.timestamp_basis
                .caveat()
                .is_some_and(|c| c.contains("sent"))
        );
    }
}
