//! When a pasted bounce was reported, for pastes that carry no header or log stamp the
//! readers took it from: a webmail view's or a forward's header lines above the report, an
//! SMTP session's greeting, else when the returned message was sent (or reached the
//! reporting host).

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Utc};
use regex::Regex;

use super::model::{Bounce, TimestampBasis};
use super::pattern::re;
use super::report::Report;
use super::time;
use super::vocabulary;

/// Labels of the date line in a webmail view's or a forwarded message's header block, in
/// the languages mail clients are used in (lowercased; a French label has a space before
/// its colon, which the reader drops).
const DATE_LABELS: &[&str] = &[
    "date",
    "sent",
    "fecha",
    "enviado",
    "enviada",
    "data",
    "datum",
    "gesendet",
    "envoyé",
    "inviato",
    "verzonden",
    "wysłano",
    "дата",
    "отправлено",
    "日付",
    "日期",
    "发送时间",
    "送信日時",
    // Outlook's Sent in the Nordic languages, Finnish, Czech, Hungarian, Turkish; Korean
    // webmail's date.
    "sendt",
    "päivämäärä",
    "skickat",
    "lähetetty",
    "odesláno",
    "elküldve",
    "gönderildi",
    "dato",
    "날짜",
    "보낸 날짜",
    // Greek, Indonesian, Romanian, Hungarian, Ukrainian, Vietnamese and Hebrew views.
    "ημερομηνία",
    "στάλθηκε",
    "tanggal",
    "terkirim",
    "dată",
    "trimis",
    "dátum",
    "надіслано",
    "ngày",
    "ngày gửi",
    // Arabic, Turkish, Thai, Chinese (`时间`, `時間`) and Japanese (`日時`) views.
    "التاريخ",
    "تاريخ",
    "تاريخ الإرسال",
    "tarih",
    "วันที่",
    "时间",
    "時間",
    "日時",
    "送信日",
    "תאריך",
    "נשלח",
];

/// How far down a paste its header lines may stand.
const HEADER_SCAN_LINES: usize = 40;

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
    let header = header_date(text, bounce).or_else(|| {
        bounce_header_block(text).map(|block| (block.date, block.zoned, block.raw_date))
    });
    let found = match header {
        Some((t, zoned, raw)) => {
            let basis = if zoned {
                TimestampBasis::Report
            } else {
                TimestampBasis::ClientLocal
            };
            Some((t, raw, basis))
        }
        None => failure_row_date(text)
            .or_else(|| last_attempt_date(text))
            .map(|(t, raw)| (t, raw, TimestampBasis::Report))
            .or_else(|| greeting_date(text).map(|(t, raw)| (t, raw, TimestampBasis::Greeting)))
            .or_else(|| arrival_date(text).map(|(t, raw)| (t, raw, TimestampBasis::Arrived)))
            .or_else(|| {
                original_date(text, report, bounce)
                    .or_else(|| sent_label_date(text))
                    .map(|(t, raw)| (t, raw, TimestampBasis::OriginalSent))
            }),
    };
    if let Some((t, raw, basis)) = found {
        bounce.timestamp = Some(t);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = basis;
    }
}

/// The time's last steps, after every reader: a paste that is no whole message and shows
/// no time of its failure takes the stamp a client or an app wrote beside it
/// ([`stamped_client_line`]), else the time its logged error object holds
/// ([`keyed_stamp`]), else when the customer posted it ([`posted_date`]); a time read
/// without its zone takes the zone of the same moment written with one
/// ([`zone_of_the_same_moment`]).
pub(super) fn complete(text: &str, is_message: bool, bounce: &mut Bounce) {
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, zoned, raw)) = stamped_client_line(text)
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = if zoned {
            TimestampBasis::Report
        } else {
            TimestampBasis::ClientLocal
        };
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
    if bounce.timestamp.is_none()
        && !is_message
        && !bounce.records.is_empty()
        && let Some((at, raw)) = posted_date(text)
    {
        bounce.timestamp = Some(at);
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp_basis = TimestampBasis::Posted;
    }
    if let (Some(at), Some(raw)) = (bounce.timestamp, bounce.timestamp_raw.as_deref())
        && !shows_a_zone(raw)
        && time::parse_written(raw).is_some_and(|(t, zoned)| !zoned && t == at)
        && let Some((zoned_at, zoned_raw)) = zone_of_the_same_moment(text, at)
    {
        bounce.timestamp = Some(zoned_at);
        bounce.timestamp_raw = Some(zoned_raw);
    }
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

/// [`header_date`] when it gives its zone: the bounce's own date as a view printed it.
pub(super) fn zoned_view_date(text: &str, bounce: &Bounce) -> Option<(DateTime<Utc>, String)> {
    header_date(text, bounce)
        .filter(|(_, zoned, _)| *zoned)
        .map(|(t, _, raw)| (t, raw))
}

/// The date line of the header block above the report: the lines before the first that
/// names a failed recipient (a webmail view prints the bounce's own From, Date and To
/// there; a forward, the forwarded bounce's).
fn header_date(text: &str, bounce: &Bounce) -> Option<(DateTime<Utc>, bool, String)> {
    let lines: Vec<&str> = text.lines().take(HEADER_SCAN_LINES).collect();
    let above = first_naming_a_recipient(&lines, bounce).unwrap_or(lines.len());
    let dated = lines[..above].iter().enumerate().filter_map(|(i, line)| {
        // The chat's lead first: its time's colon would end a label (`[Name] [오후 2`).
        let (label, value) = after_chat_prefix(line)
            .and_then(super::plain::view_row)
            .or_else(|| super::plain::view_row(line))?;
        if !DATE_LABELS.contains(&label.as_str()) {
            return None;
        }
        let (t, zoned) = time::parse_written(value)?;
        Some((i, (t, zoned, value.trim().to_string())))
    });
    // A bounce forwarded twice shows two header blocks: the bounce's own is the one from a
    // mail system; else the first.
    let mut first = None;
    for (i, found) in dated {
        let block = &lines[i.saturating_sub(3)..(i + 4).min(above)];
        if block.iter().any(|l| super::ndr::names_a_bounce_sender(l)) {
            return Some(found);
        }
        first = first.or(Some(found));
    }
    if first.is_some() {
        return first;
    }
    if let Some(found) = attribution_date(&lines[..above]) {
        return Some(found);
    }
    // A list view's line without labels (`Mail Delivery System <MAILER-DAEMON@host> Sat, 5
    // Dec 2026 03:12:40 +0100`): a full date with its zone, on a line naming a mail system.
    let senders = super::vocabulary::words("bounce-senders");
    let names = super::vocabulary::words("bounce-sender-names");
    let names_a_system = |line: &str| {
        let lower = line.to_ascii_lowercase();
        // A From row naming the daemon without its domain (Zimbra's reading pane: `From:
        // MAILER-DAEMON (Mail Delivery System)`).
        let from_value = lower
            .trim()
            .strip_prefix("from:")
            .map(|v| v.trim_start().split([' ', '(']).next().unwrap_or(""));
        senders.iter().any(|s| lower.contains(&format!("{s}@")))
            || from_value.is_some_and(|v| senders.contains(&v))
            || names.contains(&lower.trim())
            // Exchange's own sender (`MicrosoftExchange` and 32 hex digits).
            || (lower.contains("microsoftexchange") && super::ndr::names_a_bounce_sender(line))
    };
    let on_the_line = lines[..above].iter().find_map(|line| {
        if let Some(m) = ZONED_STAMP.find(line).filter(|_| names_a_system(line)) {
            let when = time::parse_rfc5322(m.as_str())?;
            return Some((when, true, m.as_str().to_string()));
        }
        list_row_date(line, names)
    });
    on_the_line
        .or_else(|| view_date_line(&lines[..above], &names_a_system, text, bounce))
        .or_else(|| date_over_a_to_row(&lines[..above]))
}

/// A view whose sender line was cut off the copy: its date alone on one of the paste's
/// first lines, right over the view's To row (`Tue, Dec 1, 2026 at 3:04 PM` then `To:
/// ann@near.example`). Only a full date with its year and clock.
fn date_over_a_to_row(lines: &[&str]) -> Option<(DateTime<Utc>, bool, String)> {
    let to_labels = super::vocabulary::words("to-labels");
    let is_to_row = |l: &str| {
        super::plain::view_row(l).is_some_and(|(label, value)| {
            to_labels.contains(&label.as_str()) && value.contains('@')
        })
    };
    let head: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .collect();
    head.windows(2).find_map(|pair| {
        let t = pair[0].trim();
        if t.len() > 60 || t.contains('@') || !t.contains(':') || !is_to_row(pair[1]) {
            return None;
        }
        let has_year = t.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 4);
        let (when, zoned) = time::parse_written(t).filter(|_| has_year)?;
        Some((when, zoned, t.to_string()))
    })
}

/// A line of a chat copy after its author and time in brackets (KakaoTalk's `[Name]
/// [오후 2:14] Date: ...`): what the customer pasted. `None` when the line has no such lead.
fn after_chat_prefix(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    let mut groups = 0;
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']').filter(|&c| c <= 40)?;
        rest = inner[close + 1..].strip_prefix(' ')?;
        groups += 1;
        if groups == 2 {
            return Some(rest);
        }
    }
    None
}

/// A client's or an app's line stamped with a date and time, year included, at its start
/// or its end, on the failing reply's line or within the three lines above it (eM Client's
/// Operations panel: `23.11.2026 10:42:17   Sending "x" ... Failed`; FairEmail's `Senden
/// fehlgeschlagen · 04.12.2026 08:15:42` over the exception): when the client saw sending
/// fail. Returns the instant, whether the stamp gave its zone, and the stamp as written.
fn stamped_client_line(text: &str) -> Option<(DateTime<Utc>, bool, String)> {
    let lines: Vec<&str> = text.lines().take(400).collect();
    let fails = |l: &&str| super::scan::find_failure_code(l).is_some();
    // The failing line's own stamp first, then one of the lines above it.
    let own = lines
        .iter()
        .filter(|l| fails(l))
        .find_map(|line| edge_stamp(line));
    own.or_else(|| {
        lines.iter().enumerate().find_map(|(i, line)| {
            let (at, zoned, raw) = edge_stamp(line)?;
            let fails_near = lines[i..]
                .iter()
                .filter(|l| !l.trim().is_empty())
                .take(4)
                .any(fails);
            fails_near.then_some((at, zoned, raw))
        })
    })
}

/// A date with its year and a clock as the first or the last words of `line` (two to
/// seven of them, the longest that reads), separators such as `·` or `|` aside.
fn edge_stamp(line: &str) -> Option<(DateTime<Utc>, bool, String)> {
    let has_clock = |s: &str| {
        let b = s.as_bytes();
        b.windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
    };
    let has_year = |s: &str| {
        s.split(|c: char| !c.is_ascii_digit())
            .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
    };
    if !has_clock(line) || !has_year(line) {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    // Not brackets: a zone's name stands in them (`7:58 AM (CET)`).
    let separator = |c: char| matches!(c, '·' | '•' | '|' | '-' | '—' | ',');
    let read = |part: &[&str]| {
        let joined = part.join(" ");
        let raw = joined.trim_matches(separator).trim();
        if !has_clock(raw) || !has_year(raw) {
            return None;
        }
        let (at, zoned) = time::parse_written(raw)?;
        Some((at, zoned, raw.to_string()))
    };
    // The longest run of words at an edge that reads as a time (a zone's name may follow
    // the clock), then without the words at either end that change nothing (the line's own
    // words: `Senden fehlgeschlagen · 04.12.2026 08:15:42`).
    let same = |a: &(DateTime<Utc>, bool, String), b: &(DateTime<Utc>, bool, String)| {
        a.0 == b.0 && a.1 == b.1
    };
    (2..=7.min(words.len())).rev().find_map(|n| {
        let (head, tail) = (&words[..n], &words[words.len() - n..]);
        // A head that stops just before the clock's AM/PM is no whole stamp.
        let cuts_a_meridiem = words.get(n).is_some_and(|w| {
            let w = w.trim_end_matches(['.', ',']).to_ascii_lowercase();
            matches!(w.as_str(), "am" | "pm" | "a.m" | "p.m")
        });
        let (mut part, found) = match read(head).filter(|_| !cuts_a_meridiem) {
            Some(found) => (head, found),
            None => (tail, read(tail)?),
        };
        while part.len() > 2 && read(&part[1..]).is_some_and(|f| same(&f, &found)) {
            part = &part[1..];
        }
        while part.len() > 2 && read(&part[..part.len() - 1]).is_some_and(|f| same(&f, &found)) {
            part = &part[..part.len() - 1];
        }
        read(part)
    })
}

/// A bounce's own header block standing anywhere in a paste (copied after the body, `(the
/// headers of the NDR:)` then `From: postmaster@...`, `To: ...`, `Date: ...`): its date and
/// the address it was sent to.
pub(super) struct HeaderBlock {
    pub date: DateTime<Utc>,
    pub zoned: bool,
    pub raw_date: String,
    pub to: Option<String>,
}

/// The first run of `Field: value` lines (three or more, header fields' names) whose
/// From names a mail system and that has a readable Date: the bounce's own header block.
/// The returned original's block has a person's From, and is passed by.
pub(super) fn bounce_header_block(text: &str) -> Option<HeaderBlock> {
    let lines: Vec<&str> = text.lines().take(600).collect();
    let field = |l: &str| -> Option<(String, String)> {
        let name = super::rfc5322::field_name(l).filter(|n| n.len() <= 40)?;
        let value = l[name.len() + 1..].trim().to_string();
        Some((name.to_ascii_lowercase(), value))
    };
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && (field(lines[i]).is_some() || lines[i].starts_with([' ', '\t'])) {
            i += 1;
        }
        let block = &lines[start..i];
        i += 1;
        let fields: Vec<(String, String)> = block.iter().filter_map(|l| field(l)).collect();
        if fields.len() < 3 {
            continue;
        }
        let senders = super::vocabulary::words("bounce-senders");
        let from_a_system = block.iter().any(|l| {
            let Some(value) = l
                .get(..5)
                .filter(|p| p.eq_ignore_ascii_case("from:"))
                .and_then(|_| l.get(5..))
            else {
                return false;
            };
            // `Name <daemon@host>`, or the daemon's address first (`MAILER-DAEMON@host
            // (Mail Delivery System)`).
            super::ndr::names_a_bounce_sender(l)
                || super::address::first_in(value)
                    .and_then(|a| a.split_once('@'))
                    .is_some_and(|(local, _)| senders.iter().any(|s| local.eq_ignore_ascii_case(s)))
        });
        let date = fields.iter().find(|(n, _)| n == "date");
        let Some((_, raw)) = date.filter(|_| from_a_system) else {
            continue;
        };
        let Some((date, zoned)) = time::parse_written(raw) else {
            continue;
        };
        let to = fields
            .iter()
            .find(|(n, _)| n == "to")
            .and_then(|(_, v)| super::address::first_in(v))
            .map(str::to_string);
        return Some(HeaderBlock {
            date,
            zoned,
            raw_date: raw.clone(),
            to,
        });
    }
    None
}

/// An application's logged error object with its time under a key of its own (nodemailer's
/// envelope as pino-pretty prints it: `date: "2026-12-04T08:33:17.412Z"`; JSON's `"time":
/// "..."`, a webhook's epoch seconds; logfmt's `t=...`): when the failure was logged. Only
/// an RFC 3339 value with its zone, or epoch seconds, counts.
fn keyed_stamp(text: &str) -> Option<(DateTime<Utc>, String)> {
    const KEYS: [&str; 7] = [
        "date",
        "time",
        "timestamp",
        "@timestamp",
        "datetime",
        "t",
        "ts",
    ];
    let keyed = |key: &str| KEYS.iter().any(|k| key.eq_ignore_ascii_case(k));
    text.lines().take(400).find_map(|line| {
        // `key: "value"` (JSON, a pretty-printed object) opening the line.
        let t = line.trim_start().trim_start_matches(['"', '\'']);
        let object = t.split_once(':').and_then(|(key, value)| {
            let key = key.trim_end_matches(['"', '\'']).trim();
            let value = value.trim().trim_end_matches(',').trim_matches(['"', '\'']);
            keyed(key).then(|| stamp_value(value)).flatten()
        });
        // logfmt's `t=2026-12-05T03:00:12.488+01:00` anywhere in the line (Grafana, Go).
        object.or_else(|| {
            line.split_whitespace().find_map(|token| {
                let (key, value) = token.split_once('=')?;
                keyed(key)
                    .then(|| stamp_value(value.trim_matches('"')))
                    .flatten()
            })
        })
    })
}

/// An RFC 3339 stamp with its zone, or seconds since the epoch as webhooks write them
/// (`1795524291.22`: ten digits, a fraction allowed).
fn stamp_value(value: &str) -> Option<(DateTime<Utc>, String)> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some((at.with_timezone(&Utc), value.to_string()));
    }
    let whole = value.split_once('.').map_or(value, |(w, _)| w);
    if whole.len() != 10 || !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let secs: i64 = whole.parse().ok()?;
    DateTime::from_timestamp(secs, 0).map(|at| (at, value.to_string()))
}

/// When the customer posted what the paste holds, where it shows no time of the failure
/// itself: the date line under a helpdesk ticket's message author (`Name <x@y>` then
/// `Dec 3, 2026, 7:58 AM (CET)`), or a chat message's stamp (Telegram Desktop's `Name,
/// [04.12.2026 14:26]`, WhatsApp's `[05.12.26, 16:52] Name: ...`), else the stamp ending a
/// helpdesk's title line that opens the paste. The first such, near the top: the
/// customer's message opens the paste.
fn posted_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    let lines: Vec<&str> = text.lines().take(60).collect();
    let is_author = |line: &str| {
        let t = line.trim();
        t.ends_with('>')
            && t.contains('@')
            && t.split_once('<')
                .is_some_and(|(name, _)| !name.trim().is_empty() && !name.contains(':'))
    };
    let authored = view_date_line(&lines, &is_author, text, &Bounce::default())
        .map(|(when, _, raw)| (when, raw));
    authored
        .or_else(|| lines.iter().find_map(|l| chat_stamp(l)))
        .or_else(|| {
            // A helpdesk's title line, stamped at its end (Zoho Desk's `#11872 · Hostal
            // Marina · Recibido: 03 dic 2026 02:10 PM`).
            lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .take(1)
                .find_map(|l| edge_stamp(l).map(|(when, _, raw)| (when, raw)))
        })
}

/// The same moment written with its zone elsewhere in the paste, for a time read without
/// one (a converter's `Client submit time: 02/12/2026 09:31:47` over the message's `Date:
/// Wed, 02 Dec 2026 09:31:47 +0100`): an RFC 5322 date whose wall-clock time is `local`'s to the second. A time shown
/// only to the minute (most views) is left as shown.
fn zone_of_the_same_moment(text: &str, local: DateTime<Utc>) -> Option<(DateTime<Utc>, String)> {
    use chrono::Timelike;
    ZONED_STAMP.find_iter(text).take(50).find_map(|m| {
        let dt = mail_parser::DateTime::parse_rfc822(m.as_str())?;
        let same_minute = i32::from(dt.year) == local.year()
            && u32::from(dt.month) == local.month()
            && u32::from(dt.day) == local.day()
            && u32::from(dt.hour) == local.hour()
            && u32::from(dt.minute) == local.minute();
        // A time shown to the minute is the view's own reading, kept as shown.
        let same_second = local.second() != 0 && u32::from(dt.second) == local.second();
        (same_minute && same_second)
            .then(|| time::parse_rfc5322(m.as_str()).map(|t| (t, m.as_str().to_string())))
            .flatten()
    })
}

/// A chat message's stamp in brackets, with its year: at the end of the author's line
/// (Telegram Desktop) or at the start of the message (WhatsApp).
fn chat_stamp(line: &str) -> Option<(DateTime<Utc>, String)> {
    let t = line.trim();
    let inner = if let Some(rest) = t.strip_prefix('[') {
        let (stamp, after) = rest.split_once(']')?;
        // WhatsApp: the author and a colon follow.
        after.contains(':').then_some(stamp)?
    } else {
        let open = t.rfind(", [")?;
        t.strip_suffix(']')?.get(open + 3..)?
    };
    if inner.len() > 40 || !inner.contains(':') {
        return None;
    }
    let (when, _) = time::parse_written(inner).or_else(|| {
        // WhatsApp's two-digit year (`05.12.26, 16:52`).
        let (date, clock) = inner.split_once(", ")?;
        let mut parts = date.split(['.', '/']);
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 2 || parts.next().is_some() {
            return None;
        }
        time::parse_written(&format!("{d}.{m}.20{y} {clock}"))
    })?;
    Some((when, inner.to_string()))
}

/// A webmail list's row: the mail system's name, then in a column of its own the date as
/// the webmail writes it in its language (`Mail Delivery Subsystem      Do., 03.12.2026,
/// 12:48`).
fn list_row_date(line: &str, names: &[&str]) -> Option<(DateTime<Utc>, bool, String)> {
    let t = line.trim();
    let (name, rest) = t.split_once("  ").or_else(|| t.split_once('\t'))?;
    let a_system = names.contains(&name.trim().to_ascii_lowercase().as_str())
        || (name.ends_with('>') && super::ndr::names_a_bounce_sender(name));
    if !a_system {
        return None;
    }
    let rest = rest.trim();
    let has_year = rest
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4);
    if !has_year || !rest.contains(':') || rest.len() > 60 {
        return None;
    }
    let (when, zoned) = time::parse_written(rest)?;
    Some((when, zoned, rest.to_string()))
}

/// A webmail view's date on a line of its own under the bounce's sender line (Gmail's
/// `Fri, Dec 4, 4:17 PM (2 days ago)`, Yahoo's `Fri, Dec 4, 2026 at 9:02 PM`). A date
/// written without its year is given the returned message's.
fn view_date_line(
    lines: &[&str],
    names_a_system: &dyn Fn(&str) -> bool,
    text: &str,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, bool, String)> {
    let system_at = lines.iter().position(|l| names_a_system(l))?;
    let end = (system_at + 5).min(lines.len());
    lines[system_at + 1..end].iter().find_map(|line| {
        let t = line.trim();
        // Gmail adds how long ago, in brackets; its app, the zone (`21:14 (GMT+1)`), and
        // Zoho its zone's name (`10:27 am (IST)`).
        // Korean webmail puts the weekday in brackets before the time (`2026. 12. 2. (수)
        // 오후 3:05`): the words after the brackets stay.
        let unbracketed: String;
        let t = match t.split_once(" (") {
            Some((date, after))
                if !after.to_ascii_lowercase().starts_with(['g', 'u'])
                    && !time::names_a_zone(after.trim_end_matches(')')) =>
            {
                match after.split_once(')') {
                    Some((_, rest)) if !rest.trim().is_empty() => {
                        unbracketed = format!("{date} {}", rest.trim());
                        unbracketed.as_str()
                    }
                    _ => date,
                }
            }
            _ => t,
        }
        .trim();
        // A time has its colon, or Finnish's `klo` before it (`1.12.2026 klo 14.09`).
        if t.is_empty()
            || t.len() > 60
            || t.contains('@')
            || !(t.contains(':') || t.contains(" klo "))
        {
            return None;
        }
        let written = time::parse_written(t).or_else(|| {
            let has_year = t.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 4);
            if has_year {
                return None;
            }
            if let Some((sent, _)) = original_date(text, None, bounce) {
                return time::parse_written(&format!("{t} {}", sent.format("%Y")));
            }
            // No returned message's date either: the latest year that does not put the
            // view's date in the future (a pasted bounce is recent), as for syslog's stamps.
            let now = Utc::now();
            [now.year(), now.year() - 1].into_iter().find_map(|year| {
                time::parse_written(&format!("{t} {year}"))
                    .filter(|(when, _)| *when <= now + chrono::Duration::days(1))
            })
        });
        written.map(|(when, zoned)| (when, zoned, t.to_string()))
    })
}

/// The date of a reply's attribution line that names a mail system (`On Fri, Dec 4, 2026
/// at 4:02 PM Mail Delivery Subsystem <mailer-daemon@...> wrote:`): the quoted bounce's
/// date, as the client showed it. Clients wrap a long one, so the address may stand on the
/// next line; the date stands before the name.
fn attribution_date(lines: &[&str]) -> Option<(DateTime<Utc>, bool, String)> {
    let verbs = super::vocabulary::words("reply-attributions");
    let senders = super::vocabulary::words("bounce-senders");
    let unquoted = |l: &str| {
        l.trim_start_matches(['>', ' ', '\t'])
            .trim_end()
            .to_string()
    };
    let names_a_sender = |lower: &str| {
        senders
            .iter()
            .filter_map(|s| lower.find(&format!("{s}@")))
            .min()
    };
    for (i, line) in lines.iter().enumerate() {
        let mut text = unquoted(line);
        let mut lower = text.to_ascii_lowercase();
        if names_a_sender(&lower).is_none()
            && !lower.contains('@')
            && let Some(next) = lines.get(i + 1).map(|l| unquoted(l))
            && names_a_sender(&next.to_ascii_lowercase())
                .is_some_and(|at| at <= 1 && next[..at].chars().all(|c| c == '<'))
        {
            text = format!("{text} {next}");
            lower = text.to_ascii_lowercase();
        }
        let Some(at) = names_a_sender(&lower) else {
            continue;
        };
        // Yandex's and Mail.ru's forward has no verb: `02.12.2026, 10:15, "Mail Delivery
        // System" <mailer-daemon@...>:`, the name after the date.
        let ends_at_the_address = text.starts_with(|c: char| c.is_ascii_digit())
            && text
                .strip_suffix(':')
                .is_some_and(|t| t.trim_end().ends_with('>'));
        if !ends_at_the_address && !verbs.iter().any(|v| has_word(&text.to_lowercase(), v)) {
            continue;
        }
        let head = text[..at].trim_end_matches(['<', ' ']);
        let before_the_name = head
            .rfind(", \"")
            .or_else(|| head.rfind(" \""))
            .map(|cut| &head[..cut]);
        let dated = std::iter::once(head)
            .chain(before_the_name.filter(|_| ends_at_the_address))
            .find_map(|h| time::parse_written(h).map(|found| (found, h)));
        if let Some(((t, zoned), written)) = dated {
            return Some((t, zoned, written.trim().to_string()));
        }
    }
    None
}

/// Whether `word` stands in `text` as a word of its own.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// An RFC 5322 date-time with its zone, as servers stamp a greeting or a mail list shows a
/// message's date.
static ZONED_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}:\d{2}\s*(?:[+-]\d{4}|utc|gmt)",
    )
});

/// A failure line that carries its own time (Exchange's diagnostic line: `12/1/2026 4:02:31
/// PM - Remote Server at smtp.x (198.51.100.3) returned '554 5.7.1 ...'`): a written date,
/// ` - `, and words holding a failure reply.
fn dated_failure_line(text: &str) -> Option<(DateTime<Utc>, String)> {
    text.lines().take(4000).find_map(|line| {
        let (when, rest) = line.trim().split_once(" - ")?;
        if when.len() > 40 || !when.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        super::scan::find_failure_code(rest)?;
        let (t, _) = time::parse_written(when)?;
        Some((t, when.to_string()))
    })
}

/// A report's status row saying when delivery failed: an outcome word (vocabulary
/// `[failure-rows]`), a gap, and nothing but a date (GroupWise's `Undeliverable
/// 11/23/2026 3:45 PM`).
fn failure_row_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    let outcomes = super::vocabulary::words("failure-rows");
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

/// A labelled date of when the returned message was sent, anywhere in the report
/// (vocabulary `[sent-date-labels]`; Domino's `Date sent:  11/24/2026 06:00:02 AM`).
fn sent_label_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    let labels = super::vocabulary::words("sent-date-labels");
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

/// A delivery-status part's `Last-Attempt-Date:` copied as text (a body pasted without the
/// bounce's own headers): when the reporting server last tried, and so when it gave up.
fn last_attempt_date(text: &str) -> Option<(DateTime<Utc>, String)> {
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
fn arrival_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    labelled_date(text, super::vocabulary::words("arrival-labels"))
}

/// The RFC 5322 date after the first line opening with one of `labels` (ASCII case aside).
fn labelled_date(text: &str, labels: &[&str]) -> Option<(DateTime<Utc>, String)> {
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
fn greeting_date(text: &str) -> Option<(DateTime<Utc>, String)> {
    text.lines().take(4000).find_map(|line| {
        let t = line.trim_start_matches(|c: char| !c.is_ascii_digit());
        // smtp-cli prints it `[220] 'host ESMTP ...; date'`.
        if !(t.starts_with("220 ") || t.starts_with("220-") || t.starts_with("220] '")) {
            return None;
        }
        if let Some(m) = ZONED_STAMP.find(t)
            && let Some(when) = time::parse_rfc5322(m.as_str())
        {
            return Some((when, m.as_str().to_string()));
        }
        // MailEnable's `ready at 12/05/26 14:22:31`: the server's clock without a zone.
        let (_, tail) = t.rsplit_once(" at ")?;
        let (when, _) = time::parse_written(tail)?;
        Some((when, tail.trim().to_string()))
    })
}

/// The returned message's `Date:` (when it was sent, minutes before it bounced), else the
/// date of its topmost Received field (when the reporting host took it in). The returned
/// message is the one the report marks, or a header block that a webmail view introduces
/// as a forwarded message below the failed recipient (Gmail shows an attached original
/// that way).
fn original_date(
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

/// The `Date:` of a header block under a "Forwarded message" rule that stands below the
/// first line naming a failed recipient.
fn forwarded_block_date(text: &str, bounce: &Bounce) -> Option<String> {
    forwarded_block_field(text, bounce, "date")
}

/// The address in the `From:` of that forwarded header block: the returned message's
/// sender, when a webmail view shows the original that way.
pub(super) fn forwarded_block_sender(text: &str, bounce: &Bounce) -> Option<String> {
    let from = forwarded_block_field(text, bounce, "from")?;
    super::address::first_in(&from).map(str::to_string)
}

/// Field `name` of the header block under a "Forwarded message" rule below the first line
/// naming a failed recipient.
fn forwarded_block_field(text: &str, bounce: &Bounce, name: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(4000).collect();
    let first_named = first_naming_a_recipient(&lines, bounce)?;
    let rule = lines[first_named..].iter().position(|l| {
        let t = l.trim();
        t.starts_with(['-', '=']) && is_forward_rule(t)
    })? + first_named;
    lines[rule + 1..].iter().take(12).find_map(|l| {
        let (field, value) = l.split_once(':')?;
        field
            .trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// Whether `rule` (a line starting with `-` or `=`) names a forwarded message, in one of
/// the languages of [`vocabulary`]'s `[forwarded-markers]`.
fn is_forward_rule(rule: &str) -> bool {
    let lower = rule.to_lowercase();
    vocabulary::words("forwarded-markers")
        .iter()
        .any(|w| lower.contains(w))
}

/// The bounce's own header block inside a person's forward of it (an Outlook `-----Original
/// Message-----` over a Thunderbird `-------- Forwarded Message --------`, a Gmail
/// `---------- Forwarded message ---------`): the rows around a From row naming a mail
/// system. Its To is the customer the bounce went to, its Date when the failure was
/// reported.
pub(super) struct BounceBlock {
    pub to: Option<String>,
    pub date: Option<(DateTime<Utc>, String)>,
    /// The addresses on the From and To rows of the forwards above it: the people who
    /// passed the bounce on, never its failed recipients.
    pub forwarders: Vec<String>,
}

/// The [`BounceBlock`] of `text`, the first From row naming a mail system within its first
/// lines, when there is one.
pub(super) fn bounce_block(text: &str) -> Option<BounceBlock> {
    let lines: Vec<&str> = text.lines().take(HEADER_SCAN_LINES).collect();
    let at = lines.iter().position(|l| {
        super::plain::view_row(l).is_some_and(|(label, _)| {
            super::vocabulary::words("from-labels").contains(&label.as_str())
        }) && super::ndr::names_a_bounce_sender(&from_value(l))
    })?;
    let block = &lines[at.saturating_sub(4)..(at + 6).min(lines.len())];
    let forwarders = lines[..at.saturating_sub(4)]
        .iter()
        .filter_map(|l| {
            let (label, value) = super::plain::view_row(l)?;
            let row = super::vocabulary::words("from-labels").contains(&label.as_str())
                || super::vocabulary::words("to-labels").contains(&label.as_str());
            row.then(|| super::address::first_in(value).map(str::to_string))
                .flatten()
        })
        .collect();
    let mut found = BounceBlock {
        to: None,
        date: None,
        forwarders,
    };
    for line in block {
        let Some((label, value)) = super::plain::view_row(line) else {
            continue;
        };
        if found.to.is_none() && super::vocabulary::words("to-labels").contains(&label.as_str()) {
            found.to = super::address::first_in(value).map(str::to_string);
        } else if found.date.is_none() && DATE_LABELS.contains(&label.as_str()) {
            found.date = time::parse_written(value).map(|(t, _)| (t, value.trim().to_string()));
        }
    }
    Some(found)
}

/// A From row's value as a line of its own (`Name <x@y>`), for the mail-system test.
fn from_value(line: &str) -> String {
    super::plain::view_row(line).map_or(String::new(), |(_, v)| v.trim().to_string())
}

/// The index of the first of `lines` that names one of the bounce's failed recipients.
fn first_naming_a_recipient(lines: &[&str], bounce: &Bounce) -> Option<usize> {
    let recipients: Vec<String> = bounce
        .records
        .iter()
        .filter_map(|r| r.recipient.as_deref().map(str::to_ascii_lowercase))
        .collect();
    lines.iter().position(|l| {
        let lower = l.to_ascii_lowercase();
        // A raw header block's own field (Exim's `X-Failed-Recipients:` above the bounce's
        // Date, as Gmail's "Show original" page shows it) is no report line.
        !lower.starts_with("x-failed-recipients:")
            && recipients.iter().any(|r| lower.contains(r.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::Record;

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
        let (when, zoned, raw) = list_row_date(
            "Mail Delivery Subsystem          Do., 03.12.2026, 12:48",
            &names,
        )
        .unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-03T12:48:00+00:00");
        assert!(!zoned);
        assert_eq!(raw, "Do., 03.12.2026, 12:48");
        // Another sender's row, or no year: not the bounce's date.
        assert!(list_row_date("Anna Becker          Do., 03.12.2026, 12:48", &names).is_none());
        assert!(list_row_date("Mail Delivery Subsystem   12:48", &names).is_none());
        // Gmail's printed view: the sender's name and address, then the date.
        let (when, _, _) = list_row_date(
            "Mail Delivery Subsystem <mailer-daemon@googlemail.com>      Fri, Dec 4, 2026 at 3:12 PM",
            &names,
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
