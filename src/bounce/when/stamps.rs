//! Stamps that stand beside a pasted failure rather than in a report: a client's or an
//! app's stamped line, a logged error object's time key, when a ticket or chat message was
//! posted, and the zone of the same moment written elsewhere.

use chrono::{DateTime, Datelike, Utc};

use crate::bounce::model::Bounce;
use crate::bounce::{scan, time};

use super::landmarks::ZONED_STAMP;
use super::view::view_date_line;

/// A client's or an app's line stamped with a date and time, year included, at its start
/// or its end, on the failing reply's line or within the three lines above it (eM Client's
/// Operations panel: `23.11.2026 10:42:17   Sending "x" ... Failed`; FairEmail's `Senden
/// fehlgeschlagen · 04.12.2026 08:15:42` over the exception): when the client saw sending
/// fail. Returns the instant, whether the stamp gave its zone, and the stamp as written.
pub(super) fn stamped_client_line(text: &str) -> Option<(DateTime<Utc>, bool, String)> {
    let lines: Vec<&str> = text.lines().take(400).collect();
    let fails = |l: &&str| scan::find_failure_code(l).is_some();
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
pub(super) fn edge_stamp(line: &str) -> Option<(DateTime<Utc>, bool, String)> {
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
    // Japanese and Chinese set a stamp in full-width brackets, glued to the words before it
    // (`貼ります（2026/12/02 15:31）`): read as spaces.
    let spaced;
    let line = if line.contains(['（', '）']) {
        spaced = line.replace(['（', '）'], " ");
        spaced.as_str()
    } else {
        line
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    // Not brackets: a zone's name stands in them (`7:58 AM (CET)`).
    let separator = |c: char| matches!(c, '·' | '•' | '|' | '-' | '—' | ',' | ':');
    let read = |part: &[&str]| {
        let joined = part.join(" ");
        let raw = joined.trim_matches(separator).trim();
        if !has_clock(raw) || !has_year(raw) {
            return None;
        }
        // The clock before the date, as a sentence gives it (`18:40 UTC on 25 Nov 2026`).
        let (at, zoned) = time::parse_written(raw).or_else(|| {
            let (clock, date) = raw.split_once(" on ")?;
            time::parse_written(&format!("{date} {clock}"))
        })?;
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

/// An application's logged error object with its time under a key of its own (nodemailer's
/// envelope as pino-pretty prints it: `date: "2026-12-04T08:33:17.412Z"`; JSON's `"time":
/// "..."`, a webhook's epoch seconds; logfmt's `t=...`): when the failure was logged. Only
/// an RFC 3339 value with its zone, or epoch seconds, counts.
pub(super) fn keyed_stamp(text: &str) -> Option<(DateTime<Utc>, String)> {
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
pub(super) fn stamp_value(value: &str) -> Option<(DateTime<Utc>, String)> {
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
pub(super) fn posted_date(text: &str) -> Option<(DateTime<Utc>, String)> {
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

/// A chat message's stamp in brackets, with its year: at the end of the author's line
/// (Telegram Desktop) or at the start of the message (WhatsApp).
pub(super) fn chat_stamp(line: &str) -> Option<(DateTime<Utc>, String)> {
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

/// The same moment written with its zone elsewhere in the paste, for a time read without
/// one (a converter's `Client submit time: 02/12/2026 09:31:47` over the message's `Date:
/// Wed, 02 Dec 2026 09:31:47 +0100`): an RFC 5322 date whose wall-clock time is `local`'s to the second. A time shown
/// only to the minute (most views) is left as shown.
pub(super) fn zone_of_the_same_moment(
    text: &str,
    local: DateTime<Utc>,
) -> Option<(DateTime<Utc>, String)> {
    use chrono::Timelike;
    ZONED_STAMP
        .find_iter(text)
        .take(50)
        .find_map(|m| {
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
        .or_else(|| same_moment_in_a_region(text, local))
        .or_else(|| same_moment_in_iso(text, local))
}

/// The same moment as an ISO 8601 stamp with its zone (`2026-12-03T19:46:22.4137Z`, the
/// `SystemTime` of a Windows event's XML under its General view's local `4/12/2026
/// 9:31:22 a.m.`): a stamp whose seconds are `local`'s and whose distance from it is a
/// whole number of quarter hours, as zones' offsets are, within a day.
fn same_moment_in_iso(text: &str, local: DateTime<Utc>) -> Option<(DateTime<Utc>, String)> {
    use chrono::Timelike;
    if local.second() == 0 || !text.contains('T') {
        return None;
    }
    text.lines().take(400).find_map(|line| {
        let at = line.find(|c: char| c.is_ascii_digit())?;
        line[at..]
            .split(['"', '\'', ' ', '<', '>'])
            .find_map(|word| {
                if word.len() < 20 || word.as_bytes().get(10) != Some(&b'T') {
                    return None;
                }
                let stamp = DateTime::parse_from_rfc3339(word).ok()?.with_timezone(&Utc);
                // To the second, as the local time is written.
                let apart = (local - stamp.with_nanosecond(0)?).num_seconds();
                (stamp.second() == local.second()
                    && apart != 0
                    && apart % 900 == 0
                    && apart.abs() <= 14 * 3600)
                    .then(|| (stamp, word.to_string()))
            })
    })
}

/// The same moment written with a region's zone name (a ticket system's log header:
/// `Zakończono: 27.11.2026 08:14:20 (Europe/Warsaw)` over its entries' bare stamps): a line
/// whose time, read without that name, is `local` to the second.
fn same_moment_in_a_region(text: &str, local: DateTime<Utc>) -> Option<(DateTime<Utc>, String)> {
    use chrono::Timelike;
    if local.second() == 0 {
        return None;
    }
    let is_region = |w: &str| {
        let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ','));
        w.contains('/') && w.starts_with(|c: char| c.is_ascii_uppercase())
    };
    text.lines().take(400).find_map(|line| {
        if !line.contains('/') || line.len() > 200 {
            return None;
        }
        let value = match line.split_once(':') {
            Some((label, value)) if !label.contains(|c: char| c.is_ascii_digit()) => value,
            _ => line,
        };
        if !value.split_whitespace().any(is_region) {
            return None;
        }
        let (at, zoned) = time::parse_written(value)?;
        let bare: Vec<&str> = value.split_whitespace().filter(|w| !is_region(w)).collect();
        let (wall, _) = time::parse_written(&bare.join(" "))?;
        (zoned && wall == local && at != local).then(|| (at, value.trim().to_string()))
    })
}
