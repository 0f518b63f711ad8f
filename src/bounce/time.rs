//! Timestamps as bounces print them, turned into UTC.

use std::borrow::Cow;

use chrono::TimeZone as _;
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

/// An RFC 5322 date (`Fri, 01 Oct 2010 19:15:19 +0900 (JST)`), lenient about comments and
/// missing weekdays.
pub fn parse_rfc5322(value: &str) -> Option<DateTime<Utc>> {
    let dt = mail_parser::DateTime::parse_rfc822(value.trim())?;
    if !dt.is_valid() {
        return None;
    }
    DateTime::from_timestamp(dt.to_timestamp(), 0)
}

/// [`parse_rfc5322`], when the text really writes that time: mail-parser's reader is
/// lenient and makes a time of other numbers (`... om 10:02` reads as 00:10:02).
fn rfc5322_as_written(value: &str) -> Option<DateTime<Utc>> {
    let dt = mail_parser::DateTime::parse_rfc822(value.trim())?;
    let padded = format!("{:02}:{:02}", dt.hour, dt.minute);
    if !value.contains(&padded) && !value.contains(&padded[1..]) {
        return None;
    }
    // mail-parser knows the English month names only, and makes a month of another
    // language's (Turkish `Cum 04 Ara 2026`): its month must be written in the value.
    const ENGLISH: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = ENGLISH.get(usize::from(dt.month).checked_sub(1)?)?;
    let named = value
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.starts_with(name));
    if !named {
        return None;
    }
    parse_rfc5322(value)
}

/// A log timestamp: exim's `2024-03-01 10:22:33 [+0100]`, ISO 8601 / RFC 3339, or
/// syslog's `Mar  1 10:22:33`.
pub fn parse_log_time(value: &str) -> Option<DateTime<Utc>> {
    parse_log_time_at(value, Utc::now())
}

/// [`parse_log_time`] as of `now`. Syslog's `Mar  1 10:22:33` prints neither year nor zone:
/// the year is the latest that does not put the line more than a day after `now` (a pasted
/// log is recent), the zone UTC (the usual setting on hosting servers).
pub fn parse_log_time_at(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let v = value.trim();
    // journalctl's `short-precise` adds microseconds to syslog's stamp.
    let v = match v.split_once('.') {
        Some((stamp, fraction))
            if stamp.len() <= 15
                && v.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                && (1..=6).contains(&fraction.len())
                && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            stamp
        }
        _ => v,
    };
    if v.len() <= 15 && v.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        let squeezed = v.split_whitespace().collect::<Vec<_>>().join(" ");
        for year in [now.year(), now.year() - 1] {
            let dated = format!("{year} {squeezed}");
            if let Ok(n) = NaiveDateTime::parse_from_str(&dated, "%Y %b %d %H:%M:%S") {
                let t = n.and_utc();
                if t <= now + chrono::Duration::days(1) {
                    return Some(t);
                }
            }
        }
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(v) {
        return Some(dt.with_timezone(&Utc));
    }
    // Exim's `+tod_log_zone` stamp; journald's `short-iso`, whose zone has no colon.
    if let Ok(dt) = DateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S%.f %z")
        .or_else(|_| DateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f%z"))
    {
        return Some(dt.with_timezone(&Utc));
    }
    // No zone printed: exim logs in the server's zone, which cannot be known here; UTC is
    // the usual setting on hosting servers, so read it as UTC.
    NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
        .map(|n| n.and_utc())
}

/// A stamp at the start of a log line, as applications write their logs: `2026-12-05
/// 03:00:07,512 ERROR ...` (Python's logging), `2025-11-30 16:20:02\t...` (PHPMailer),
/// `[05-Dec-2026 14:20:31 UTC] ...` (PHP's error_log), `[2026-12-05 10:00:00] ...`.
/// Returns the instant, the stamp as printed, and where the rest of the line starts.
pub fn leading_stamp(line: &str) -> Option<(DateTime<Utc>, &str, usize)> {
    // Ruby's Logger: `E, [2026-12-03T08:15:33.221907 #2187] ERROR -- : ...`.
    if let Some(after) = line.get(..4).filter(|p| {
        let b = p.as_bytes();
        b"DIWEFAU".contains(&b[0]) && &b[1..] == b", ["
    }) {
        let (when, stamp, end) = leading_stamp(&line[after.len() - 1..])?;
        return Some((when, stamp, end + after.len() - 1));
    }
    // logfmt (Go's slog, Heroku, Grafana's tools): `time=2026-12-04T16:40:02.118+07:00 ...`.
    for key in ["time=", "ts=", "t=", "timestamp="] {
        if let Some(value) = line.strip_prefix(key) {
            let quoted = usize::from(value.starts_with('"'));
            let (when, len) = numeric_stamp(&value[quoted..])?;
            let stamp = &value[quoted..quoted + len];
            return Some((when, stamp, key.len() + 2 * quoted + len));
        }
    }
    if let Some(inner) = line.strip_prefix('[') {
        let close = inner.get(..80).unwrap_or(inner).find(']')?;
        let stamp = &inner[..close];
        if let Some(when) = parse_log_time(stamp) {
            return Some((when, stamp, close + 2));
        }
        // SmarterMail's logs: `[2026.12.02] 10:14:21.498 [61193] ...`, the date alone in
        // the brackets and the clock after them.
        if stamp.len() == 10
            && let Some(clock) = inner.get(close + 1..).and_then(|r| r.strip_prefix(' '))
        {
            let clock = clock.get(..clock.floor_char_boundary(40)).unwrap_or(clock);
            let joined = format!("{} {clock}", stamp.replace(['.', '/'], "-"));
            if let Some((when, len)) = numeric_stamp(&joined) {
                // `[` and `]` stand around the date in the line: two bytes more than joined.
                return Some((when, line.get(1..len + 2)?, len + 2));
            }
        }
        // `[2026-12-04 08:00:03,118: INFO/ForkPoolWorker-2]` (Celery), `[2026-12-02
        // 14:33:09.871 +01:00 INF]` (Serilog): the stamp opens the brackets, the level and
        // the process follow it.
        if let Some((when, _)) = numeric_stamp(stamp) {
            return Some((when, &stamp[..19], close + 2));
        }
        // Airflow's `[2026-11-30, 08:15:02 UTC]`: a comma after the date.
        if stamp.as_bytes().get(10) == Some(&b',')
            && let Some((when, _)) = numeric_stamp(&stamp.replacen(", ", " ", 1))
        {
            return Some((when, stamp, close + 2));
        }
        // `05-Dec-2026 14:20:31 UTC`: the date's dashes between its words.
        let spaced = stamp.replace('-', " ");
        let (when, _) = parse_written(&spaced)?;
        return Some((when, stamp, close + 2));
    }
    // An RFC 3339 stamp with its zone as the line's first word (`2026-12-03T10:22:11+00:00
    // ERROR ...`, WooCommerce's and most structured loggers' lines).
    if let Some(first) = line
        .split(' ')
        .next()
        .filter(|w| w.len() >= 20 && w.as_bytes().get(10) == Some(&b'T') && w.as_bytes()[4] == b'-')
        && let Some(when) = parse_log_time(first)
    {
        return Some((when, first, first.len()));
    }
    // `Dec 05 19:20:09 ...`: syslog's stamp, as moreutils' `ts` prefixes each line; with
    // milliseconds (`Nov 30 10:12:45.977 ...`, Apple Mail's Connection Doctor).
    if let Some(stamp) = line.get(..15)
        && stamp.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
    {
        let fraction = match line.as_bytes().get(15) {
            Some(b'.') => line.as_bytes()[16..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .filter(|&n| (1..=6).contains(&n))
                .map(|n| n + 1),
            _ => Some(0),
        };
        if let Some(fraction) = fraction
            && line.as_bytes().get(15 + fraction) == Some(&b' ')
            && let Some(when) = parse_log_time(stamp)
        {
            return Some((when, stamp, 16 + fraction));
        }
    }
    // A US date and a 12-hour clock (`12/04/2026 10:10:03 PM - Email send attempt`, as
    // WordPress mail plugins and Windows tools log).
    if let Some(m) = US_STAMP.find(line) {
        let (when, _) = parse_written(m.as_str())?;
        return Some((when, m.as_str(), m.end()));
    }
    if let Some(found) = java_stamp(line) {
        return Some(found);
    }
    // The level before the stamp (Django's default `%(levelname)s %(asctime)s`: `ERROR
    // 2026-12-02 09:41:18,532 log ...`).
    if let Some((level, rest)) = line.split_once(' ')
        && matches!(
            level,
            "ERROR" | "WARNING" | "WARN" | "INFO" | "DEBUG" | "CRITICAL" | "FATAL" | "NOTICE"
        )
        && let Some((when, len)) = numeric_stamp(rest)
    {
        return Some((when, &rest[..19], level.len() + 1 + len));
    }
    if let Some(found) = dotted_day_stamp(line) {
        return Some(found);
    }
    // A weekday before the date (MDaemon's `Wed 2026-11-25 14:08:51.530: ...`).
    let weekday = line
        .get(..4)
        .filter(|w| w.ends_with(' ') && w.as_bytes()[..3].iter().all(u8::is_ascii_alphabetic))
        .map_or(0, |_| 4);
    let body = line.get(weekday..)?;
    let (when, len) = numeric_stamp(body)?;
    // A colon after the stamp belongs to it.
    let colon = usize::from(body.as_bytes().get(len) == Some(&b':'));
    Some((when, &body[..19], weekday + len + colon))
}

/// A day-first dotted stamp opening a line (`03.12.2026, 10:15:04:`, `03.12.2026
/// 10:15:04`), as European mail clients log: The Bat! marks each line of its account log
/// with `>`, and an error with `!`, glued to the stamp.
fn dotted_day_stamp(line: &str) -> Option<(DateTime<Utc>, &str, usize)> {
    let marker = usize::from(line.starts_with(['!', '>']));
    let body = line.get(marker..)?;
    let b = body.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..2) && b.get(2) == Some(&b'.') && digits(3..5) && b.get(5) == Some(&b'.')) {
        return None;
    }
    // A log page that leaves the year out (`24.11. 07:55:02`, a hosting panel's mail log).
    if b.get(6) == Some(&b' ') {
        return yearless_dotted_day(body).map(|(when, len)| (when, &body[..len], marker + len));
    }
    if !digits(6..10) {
        return None;
    }
    let comma = usize::from(b.get(10) == Some(&b','));
    let clock_at = 11 + comma;
    if b.get(10 + comma) != Some(&b' ')
        || !(digits(clock_at..clock_at + 2)
            && b.get(clock_at + 2) == Some(&b':')
            && digits(clock_at + 3..clock_at + 5)
            && b.get(clock_at + 5) == Some(&b':')
            && digits(clock_at + 6..clock_at + 8))
    {
        return None;
    }
    let len = clock_at + 8;
    let stamp = &body[..len];
    let (when, _) = parse_written(&stamp.replacen(',', "", 1))?;
    let colon = usize::from(b.get(len) == Some(&b':'));
    Some((when, stamp, marker + len + colon))
}

/// `DD.MM. HH:MM:SS` opening `body`: the year is the latest that does not put the line more
/// than a day after now (as for syslog's stamp), the zone UTC. The instant and the stamp's
/// length.
fn yearless_dotted_day(body: &str) -> Option<(DateTime<Utc>, usize)> {
    let b = body.as_bytes();
    let clock = b.get(7..15)?;
    let shaped = clock[2] == b':'
        && clock[5] == b':'
        && [0, 1, 3, 4, 6, 7]
            .iter()
            .all(|&i| clock[i].is_ascii_digit());
    if !shaped || b.get(15).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let number = |r: std::ops::Range<usize>| body.get(r)?.parse::<u32>().ok();
    let (day, month) = (number(0..2)?, number(3..5)?);
    let time = chrono::NaiveTime::from_hms_opt(number(7..9)?, number(10..12)?, number(13..15)?)?;
    let now = Utc::now();
    [now.year(), now.year() - 1].into_iter().find_map(|year| {
        let t = chrono::NaiveDate::from_ymd_opt(year, month, day)?
            .and_time(time)
            .and_utc();
        (t <= now + chrono::Duration::days(1)).then_some((t, 15))
    })
}

/// The stamps Java's loggers open a line with: Tomcat's `03-Dec-2026 07:45:12.331`
/// (JULI's OneLineFormatter) and java.util.logging's `Dec 03, 2026 7:45:12 AM`
/// (SimpleFormatter's default). Neither prints a zone: read as UTC, as log stamps are.
fn java_stamp(line: &str) -> Option<(DateTime<Utc>, &str, usize)> {
    let b = line.as_bytes();
    let tomcat = b.get(2) == Some(&b'-') && b.get(6) == Some(&b'-') && b.get(11) == Some(&b' ');
    let m = if tomcat {
        JAVA_STAMP.find(line)?
    } else if b.get(3) == Some(&b' ') && b.first().is_some_and(u8::is_ascii_uppercase) {
        JUL_STAMP.find(line)?
    } else {
        return None;
    };
    let (when, _) = parse_written(&m.as_str().replace('-', " "))?;
    Some((when, m.as_str(), m.end()))
}

/// Tomcat's `dd-Mon-yyyy HH:MM:SS.mmm` opening a line.
static JAVA_STAMP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    super::pattern::re(r"^[0-9]{2}-[A-Za-z]{3}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?")
});

/// java.util.logging's `Mon dd, yyyy h:mm:ss AM` opening a line.
static JUL_STAMP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    super::pattern::re(r"^[A-Z][a-z]{2} [0-9]{1,2}, [0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2} [AP]M")
});

/// `MM/DD/YYYY hh:mm[:ss] [AM|PM]` opening a line.
static US_STAMP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    super::pattern::re(
        r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4},? [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[AaPp]\.?[Mm]\.?)?",
    )
});

/// A numeric stamp opening `s`: `2026-12-02 14:33:09`, with `T` or a space between date and
/// time, `/` for `-` (Go's log package), then milliseconds after a dot or a comma and a zone
/// right after or after one space (log4j's `,552+0100`, Serilog's `.871 +01:00`, `Z`,
/// `UTC`); without a zone the time is read as UTC, as log stamps are. The instant and the
/// stamp's length.
fn numeric_stamp(s: &str) -> Option<(DateTime<Utc>, usize)> {
    let b = s.as_bytes();
    let digits = |from: usize, to: usize| {
        b.get(from..to)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let sep = *b.get(4)?;
    let shaped = digits(0, 4)
        && (sep == b'-' || sep == b'/')
        && digits(5, 7)
        && b.get(7) == Some(&sep)
        && digits(8, 10)
        && matches!(b.get(10), Some(b' ' | b'T'))
        && digits(11, 13)
        && b.get(13) == Some(&b':')
        && digits(14, 16)
        && b.get(16) == Some(&b':')
        && digits(17, 19);
    if !shaped {
        return None;
    }
    let field = |from: usize, to: usize| s[from..to].parse::<u32>().ok();
    let date = chrono::NaiveDate::from_ymd_opt(s[..4].parse().ok()?, field(5, 7)?, field(8, 10)?)?;
    let naive = date.and_hms_opt(field(11, 13)?, field(14, 16)?, field(17, 19)?)?;
    let rest = &s[19..];
    let fraction = rest.strip_prefix(['.', ',']).map_or(0, |r| {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 { 1 + n } else { 0 }
    });
    let (offset, zone_len) = zone_at(&rest[fraction..]).unwrap_or((0, 0));
    let when = naive.and_utc() - chrono::Duration::seconds(offset);
    Some((when, 19 + fraction + zone_len))
}

/// A zone opening `s`, right away or after one space: `+01:00`, `+0100`, `Z`, `UTC`, a
/// zone's name ([`zone_offset`] reads the word). Its offset in seconds and its length.
fn zone_at(s: &str) -> Option<(i64, usize)> {
    let space = usize::from(s.starts_with(' '));
    let t = &s[space..];
    let len = t
        .find(|c: char| c.is_whitespace() || matches!(c, ']' | ')' | ','))
        .unwrap_or(t.len());
    // A colon closing the stamp (`+01:00: Error`, MDaemon's `.530:`) is not the zone's.
    let word = t[..len].strip_suffix(':').unwrap_or(&t[..len]);
    let offset = zone_offset(&word.to_ascii_lowercase())?;
    Some((i64::from(offset), space + word.len()))
}

/// Whichever of the two readings works.
pub fn parse_any(value: &str) -> Option<DateTime<Utc>> {
    parse_rfc5322(value).or_else(|| parse_log_time(value))
}

/// A message's `Date:` (or another date header), also as a client's view rewrote it when
/// the paste is a copy (Apple Mail's `4 December 2026 at 4:03:11 pm AEDT`): a date that
/// mail-parser would misread or cannot read, read as a view writes it when that gives its
/// zone; else as [`parse_any`] reads it.
pub fn parse_header_date(value: &str) -> Option<DateTime<Utc>> {
    // Nearly every `Date:` is a server's own (`Thu, 3 Dec 2026 10:05:01 +0900 (JST)`): its
    // numeric offset is read right whatever zone name follows in the comment, and the
    // view's reader (many times the cost) is not needed.
    let parsed = parse_any(value);
    let lower = value.to_ascii_lowercase();
    let numeric_offset = value.split_whitespace().any(|w| {
        w.len() == 5 && w.starts_with(['+', '-']) && w[1..].bytes().all(|b| b.is_ascii_digit())
    });
    let misread = names_a_half_day(&lower) || (!numeric_offset && names_a_zone_by_name(&lower));
    if (misread || parsed.is_none())
        && let Some((t, true)) = parse_written(value)
    {
        return Some(t);
    }
    parsed
}

/// Whether mail-parser's RFC 5322 reader would misread `lower` (lower-cased): `3 Dec 2026
/// 3:49:00 PM +0530` (Zoho's view) loses both the PM and the zone, and a zone's name it
/// does not know (`AEDT`, `MEZ`) is read as UTC.
fn mail_parser_misreads(lower: &str) -> bool {
    names_a_half_day(lower) || names_a_zone_by_name(lower)
}

/// The words of `lower` (lower-cased) as a written date splits them.
fn date_words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(|c: char| !c.is_ascii_alphabetic() && c != '.')
}

/// Whether `lower` writes AM or PM.
fn names_a_half_day(lower: &str) -> bool {
    date_words(lower).any(|w| matches!(w, "am" | "pm" | "a.m." | "p.m." | "a.m" | "p.m"))
}

/// Whether `lower` names a zone by a name other than UTC or GMT (`AEDT`, `MEZ`).
fn names_a_zone_by_name(lower: &str) -> bool {
    date_words(lower)
        .any(|w| w.len() >= 3 && !matches!(w, "utc" | "gmt") && zone_offset(w).is_some())
}

/// A date as a mail client or a webmail view writes it, in the reader's language:
/// `mardi 1 décembre 2026 10:44`, `18 ноября 2026, 15:40`, `3 Dec 2026 10:05:01 -0000`,
/// `Dec 3, 2026, 10:05 AM`, `2026年12月3日 10:05`. Returns the instant and whether the text
/// gave its zone; without one the time is read as UTC (the caller decides whether such a
/// reading beats another time).
pub fn parse_written(value: &str) -> Option<(DateTime<Utc>, bool)> {
    let value = ascii_digits(value);
    let v = value.trim();
    if v.is_empty() || v.len() > 120 {
        return None;
    }
    // mail-parser reads a date followed by a region's name as UTC.
    let region = region_zone(v);
    // `21:14 (GMT+1)`: mail-parser takes the parenthesised zone for a comment, UTC.
    let lower_v = v.to_ascii_lowercase();
    let offset_in_comment = ["(gmt+", "(gmt-", "(utc+", "(utc-"]
        .iter()
        .any(|z| lower_v.contains(z));
    // mail-parser makes a date of any numbers, CJK dates' too.
    let cjk = cjk_date(v);
    if region.is_none()
        && !offset_in_comment
        && !mail_parser_misreads(&lower_v)
        && cjk.is_none()
        && let Some(t) = rfc5322_as_written(v)
    {
        return Some((t, true));
    }
    let (mut day, mut month, mut year) = (None, None, None);
    let (mut hms, mut zone, mut pm) = (None, None, None);
    if let Some(cjk) = cjk {
        (year, month, day) = (Some(cjk.0), Some(cjk.1), Some(cjk.2));
    } else if let Some((y, m, d)) = numeric_date(v) {
        (year, month, day) = (Some(y), Some(m), Some(d));
    }
    let words = v.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '/' | '(' | ')' | '،' | '，' | '（' | '）')
    });
    let mut after_klo = false;
    // Vietnamese names the month by its number after `tháng` (`1 tháng 12, 2026`).
    let mut after_thang = false;
    let mut after_thu = false;
    // Whether a word so far was the year alone (a dotted time follows it).
    let mut year_word_seen = false;
    // Whether the month so far was the first word: Spanish and French weekdays share
    // their short names with months (`mar, 1 dic 2026`: martes, not marzo), so a month
    // named later wins over it.
    let mut month_was_first_word = false;
    for (index, w) in words.filter(|w| !w.is_empty()).enumerate() {
        // Hindi abbreviates with `॰` (`नव॰`), as other languages with a dot.
        let lower = w.trim_end_matches(['.', '॰']).to_lowercase();
        // Chinese and Korean views glue the half of the day to the time (`下午3:05`).
        let (lower, glued_half) = match ["下午", "上午", "오후", "오전"]
            .iter()
            .find_map(|half| lower.strip_prefix(half).map(|rest| (half, rest)))
        {
            Some((half, rest)) if clock(rest).is_some() => {
                (rest.to_string(), Some(matches!(*half, "下午" | "오후")))
            }
            _ => (lower, None),
        };
        pm = pm.or(glued_half);
        // Hebrew glues "at" to the time (`ב-10:17`).
        let lower = match lower.strip_prefix("ב-") {
            Some(rest) if clock(rest).is_some() => rest.to_string(),
            _ => lower,
        };
        if std::mem::take(&mut after_thang)
            && let Ok(n) = lower.parse::<u32>()
            && (1..=12).contains(&n)
        {
            month = month.or(Some(n));
            continue;
        }
        after_thang = lower == "tháng" || lower == "thg";
        // Vietnamese numbers the weekday (`Th 7`, `Thứ Bảy`): that number is no day.
        if std::mem::take(&mut after_thu)
            && lower.len() == 1
            && (2..=7).contains(&lower.parse::<u32>().unwrap_or(0))
        {
            continue;
        }
        after_thu = lower == "th" || lower == "thứ";
        // A whole numeric date (`3.12.2026`) holds the year: a dotted clock may follow it
        // (Finnish Outlook's `to 3.12.2026 13.27`).
        let parts: Vec<&str> = lower.split(['.', '/', '-']).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts.iter().any(|p| p.len() == 4)
        {
            year_word_seen = true;
        }
        // Finnish writes the time after `klo` with a dot: `25.11.2026 klo 10.03`; Outlook
        // in Indonesian and Danish, after the year (`04 Desember 2026 13.47`).
        let dotted_time = (after_klo
            || (year_word_seen && hms.is_none() && is_dotted_clock(&lower)))
        .then(|| clock(&lower.replace('.', ":")))
        .flatten();
        after_klo = lower == "klo";
        // A signed offset (`+02:00`, as Outlook on the web prints it in brackets) is a
        // zone, not a clock.
        let signed = lower.starts_with(['+', '-']);
        if signed && let Some(z) = zone_offset(&lower) {
            zone = zone.or(Some(z));
        } else if let Some(t) = clock(&lower).or(dotted_time).filter(|_| !signed) {
            hms = hms.or(Some(t));
        } else if [
            "pm",
            "p.m",
            "오후",
            "下午",
            "م",
            "अपराह्न",
            "μ.μ",
            "μμ",
            "ب.ظ",
            "ös",
            "nm",
        ]
        .contains(&lower.as_str())
        {
            // Arabic writes the half of the day after the time: `11:05 ص` (morning), `م`;
            // Hindi too (`10:40 पूर्वाह्न`, before noon), Greek (`6:22 μ.μ.`), Persian
            // (`ب.ظ`), Turkish (`ÖS`) and Afrikaans (`nm.`).
            pm = Some(true);
        } else if [
            "am",
            "a.m",
            "오전",
            "上午",
            "ص",
            "पूर्वाह्न",
            "π.μ",
            "πμ",
            "ق.ظ",
            "öö",
            "vm",
        ]
        .contains(&lower.as_str())
        {
            pm = Some(false);
        } else if let Some(z) = zone_offset(&lower) {
            zone = zone.or(Some(z));
        } else if let Some(m) = month_number(&lower) {
            if month.is_none() || std::mem::take(&mut month_was_first_word) {
                month_was_first_word = index == 0;
                month = Some(m);
            }
        } else if let Some(n) = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| lower.strip_suffix(suffix))
            .filter(|d| (1..=2).contains(&d.len()))
            .and_then(|d| d.parse::<u32>().ok())
        {
            // An English ordinal day (`December 4th, 2026`).
            day = day.or(Some(n).filter(|d| (1..=31).contains(d)));
        } else if let Ok(n) = lower.parse::<u32>() {
            if (1900..=2200).contains(&n) && lower.len() == 4 {
                year = year.or(Some(n as i32));
                year_word_seen = true;
            } else if (2443..=2743).contains(&n) && lower.len() == 4 {
                // A Thai date's Buddhist-era year (2569 is 2026).
                year = year.or(Some(n as i32 - 543));
            } else if (1..=31).contains(&n) && lower.len() <= 2 {
                day = day.or(Some(n));
            }
        }
    }
    let (h, m, sec) = hms?;
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    let date = chrono::NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let naive = date.and_hms_opt(h, m, sec)?;
    if zone.is_none()
        && let Some(region) = region
    {
        // The zone's offset on that day (summer time included). A time summer time skips
        // does not exist; one it repeats is read as its first occurrence.
        let local = region.from_local_datetime(&naive).earliest()?;
        return Some((local.with_timezone(&Utc), true));
    }
    let utc = naive.and_utc() - chrono::Duration::seconds(i64::from(zone.unwrap_or(0)));
    Some((utc, zone.is_some()))
}

/// A region's time zone as the tz database names it (`Europe/Berlin`,
/// `America/Sao_Paulo`): PHP's error_log writes its `date.timezone` setting after the
/// time, and servers' and clients' logs print it too.
fn region_zone(v: &str) -> Option<chrono_tz::Tz> {
    v.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',')))
        .filter(|w| w.contains('/') && w.starts_with(|c: char| c.is_ascii_uppercase()))
        .find_map(|w| w.parse::<chrono_tz::Tz>().ok())
}

/// `13.47` or `13.47.05`: a clock written with dots, each part two digits at most (a dotted
/// date's year makes it no clock).
pub(super) fn is_dotted_clock(w: &str) -> bool {
    let parts: Vec<&str> = w.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1..].iter().all(|p| p.len() == 2)
}

/// `10:44`, `10:44:07` (hours, minutes, seconds).
fn clock(w: &str) -> Option<(u32, u32, u32)> {
    let mut parts = w.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(s) => s.get(..2).unwrap_or(s).parse().ok()?,
        None => 0,
    };
    (parts.next().is_none() && h < 24 && m < 60 && s < 61).then_some((h, m, s))
}

/// A date written with numbers only, as admin tools print it (`11/27/2026`, `27.11.2026`,
/// `2026-11-27`): (year, month, day). With slashes the month comes first when the day can
/// only be the second number or the time is written with AM/PM (the US form Exchange and
/// cPanel print); otherwise, and with dots, the day comes first.
fn numeric_date(v: &str) -> Option<(i32, u32, u32)> {
    // Czech, Slovak and Korean views space their dotted dates (`3. 12. 2026`,
    // `2026. 12. 1.`): read as one word.
    let squeezed;
    let v = if v.contains(". ") {
        squeezed = squeeze_dotted(v);
        squeezed.as_str()
    } else {
        v
    };
    let lower = v.to_ascii_lowercase();
    let twelve_hour = lower.split_whitespace().any(|w| w == "am" || w == "pm");
    lower.split_whitespace().find_map(|w| {
        let w = w.trim_end_matches([',', 'T']);
        let w = w.strip_suffix('.').filter(|d| d.contains('.')).unwrap_or(w);
        let sep = ['/', '.', '-'].into_iter().find(|s| w.contains(*s))?;
        let parts: Vec<&str> = w.split(sep).collect();
        if parts.len() != 3
            || !parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        // A two-digit year (`12/2/26`, as WHM and Windows tools print) is this century's.
        let short_year = parts[2].len() == 2 && parts[0].len() <= 2;
        let (y, a, b) = if parts[0].len() == 4 {
            (n[0], n[1], n[2])
        } else if parts[2].len() == 4 {
            (n[2], n[0], n[1])
        } else if short_year {
            (2000 + n[2], n[0], n[1])
        } else {
            return None;
        };
        if parts[0].len() == 4 {
            return Some((y as i32, a, b)).filter(|_| sep != '/' || a <= 12);
        }
        // `/` with a two-digit year is the US order (month first) unless the first number
        // cannot be a month.
        let month_first =
            sep == '/' && (b > 12 || (twelve_hour && a <= 12) || (short_year && a <= 12));
        let (m, d) = if month_first { (a, b) } else { (b, a) };
        (m <= 12 && (1..=31).contains(&d) && (1900..=2200).contains(&y)).then_some((y as i32, m, d))
    })
}

/// `v` with the space after a dot between two numbers taken out (`3. 12. 2026` is
/// `3.12.2026`).
fn squeeze_dotted(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    let mut prev_digit = false;
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' && prev_digit {
            let mut ahead = chars.clone();
            let mut spaces = 0;
            while ahead.peek() == Some(&' ') {
                ahead.next();
                spaces += 1;
            }
            if spaces > 0 && ahead.peek().is_some_and(char::is_ascii_digit) {
                for _ in 0..spaces {
                    chars.next();
                }
            }
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

/// A numeric zone (`+0100`, `-0000`, `GMT+1`, `UTC-05:00`) or `UTC`/`GMT`, in seconds
/// east of UTC.
/// Whether `w` is a zone as [`zone_offset`] reads it (`IST`, `+0530`, `GMT+1`), in any case.
/// The offset (in seconds east of UTC) a zone setting's value names (`(UTC+01:00)
/// Amsterdam, Berlin, ...`, `GMT-05:00`), when it names one.
pub(super) fn offset_named_in(value: &str) -> Option<i32> {
    value
        .split_whitespace()
        .take(4)
        .map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',')))
        .find_map(|w| {
            let lower = w.to_ascii_lowercase();
            (lower.starts_with("utc") || lower.starts_with("gmt"))
                .then(|| zone_offset(&lower))
                .flatten()
        })
}

/// The region a Windows time-zone setting names by its cities (`(UTC+10:00) Canberra,
/// Melbourne, Sydney`, as Microsoft 365's message trace shows the zone it prints times in):
/// its offset changes with summer time, which the `UTC+10:00` (the standard offset) does
/// not say. Only when the region's standard offset is the one written.
pub(super) fn windows_zone_region(value: &str) -> Option<chrono_tz::Tz> {
    use chrono::Offset;
    // A distinctive name of each of Windows' zones with summer time that desks meet most,
    // and the tz database's zone for it.
    const REGIONS: [(&str, &str); 24] = [
        ("canberra", "Australia/Sydney"),
        ("hobart", "Australia/Hobart"),
        ("adelaide", "Australia/Adelaide"),
        ("auckland", "Pacific/Auckland"),
        ("chatham", "Pacific/Chatham"),
        ("london", "Europe/London"),
        ("amsterdam", "Europe/Berlin"),
        ("paris", "Europe/Paris"),
        ("prague", "Europe/Prague"),
        ("warsaw", "Europe/Warsaw"),
        ("helsinki", "Europe/Helsinki"),
        ("athens", "Europe/Athens"),
        ("chisinau", "Europe/Chisinau"),
        ("jerusalem", "Asia/Jerusalem"),
        ("cairo", "Africa/Cairo"),
        ("eastern time", "America/New_York"),
        ("central time", "America/Chicago"),
        ("mountain time", "America/Denver"),
        ("pacific time", "America/Los_Angeles"),
        ("alaska", "America/Anchorage"),
        ("atlantic time", "America/Halifax"),
        ("newfoundland", "America/St_Johns"),
        ("santiago", "America/Santiago"),
        ("asuncion", "America/Asuncion"),
    ];
    let written = offset_named_in(value)?;
    let lower = value.to_lowercase();
    let (_, name) = REGIONS.iter().find(|(city, _)| lower.contains(city))?;
    let region: chrono_tz::Tz = name.parse().ok()?;
    // The standard offset: the smaller of January's and July's.
    let offset_on = |month| {
        let day = chrono::NaiveDate::from_ymd_opt(2026, month, 15)?.and_hms_opt(12, 0, 0)?;
        Some(
            region
                .offset_from_utc_datetime(&day)
                .fix()
                .local_minus_utc(),
        )
    };
    let standard = offset_on(1)?.min(offset_on(7)?);
    (standard == written).then_some(region)
}

pub fn names_a_zone(w: &str) -> bool {
    zone_offset(&w.trim().to_ascii_lowercase()).is_some()
}

fn zone_offset(w: &str) -> Option<i32> {
    if w == "utc" || w == "gmt" || w == "z" {
        return Some(0);
    }
    // The abbreviations date(1), logs and webmail print for the zones hosting is run in,
    // with their offsets in minutes. CST names both US Central and China time, so it is
    // left out; IST is read as India's, the zone that prints it most on a hosting desk
    // (Ireland's summer IST and Israel's are rarer in mail software's displays). AST is the
    // Atlantic zone's (the Caribbean, Atlantic Canada): the tz database prints Arabia's
    // time as `+03`, not AST.
    const NAMED: [(&str, i32); 63] = [
        ("wet", 0),
        ("west", 60),
        ("bst", 60),
        ("ist", 330),
        ("cet", 60),
        ("cest", 120),
        // Czech and Slovak (SEČ/SELČ).
        ("seč", 60),
        ("selč", 120),
        // German (MEZ/MESZ), Dutch/Nordic spellings of CET/CEST.
        ("mez", 60),
        ("mesz", 120),
        ("hkt", 480),
        ("sgt", 480),
        ("pht", 480),
        ("myt", 480),
        ("awst", 480),
        ("wib", 420),
        ("wita", 480),
        ("wit", 540),
        ("ict", 420),
        ("pkt", 300),
        ("npt", 345),
        ("kst", 540),
        ("jst", 540),
        ("acst", 570),
        ("acdt", 630),
        ("aest", 600),
        ("aedt", 660),
        ("nzst", 720),
        ("nzdt", 780),
        ("brt", -180),
        ("msk", 180),
        ("art", -180),
        ("clt", -240),
        ("clst", -180),
        ("cot", -300),
        ("pet", -300),
        ("vet", -240),
        ("uyt", -180),
        ("sast", 120),
        ("cat", 120),
        ("eat", 180),
        ("wat", 60),
        ("eet", 120),
        ("eest", 180),
        ("msk", 180),
        ("trt", 180),
        ("gst", 240),
        ("est", -300),
        ("edt", -240),
        ("cdt", -300),
        ("mst", -420),
        ("mdt", -360),
        ("pst", -480),
        ("pdt", -420),
        ("akst", -540),
        ("akdt", -480),
        ("hst", -600),
        ("ast", -240),
        ("adt", -180),
        ("nst", -210),
        ("ndt", -150),
        ("chast", 765),
        ("chadt", 825),
    ];
    if let Some((_, minutes)) = NAMED.iter().find(|(name, _)| *name == w) {
        return Some(minutes * 60);
    }
    let named = w
        .strip_prefix("gmt")
        .or_else(|| w.strip_prefix("utc"))
        .filter(|rest| rest.starts_with(['+', '-']))
        .map(|rest| {
            // `GMT+1`, `UTC+5:30`: hours without their leading zero.
            let (sign, n) = rest.split_at(1);
            let (h, m) = n.split_once(':').unwrap_or((n, "00"));
            if h.len() == 1 {
                format!("{sign}0{h}{m:0>2}")
            } else {
                format!("{sign}{h}{m:0>2}")
            }
        });
    let w = named.as_deref().unwrap_or(w);
    let (sign, digits) = match w.as_bytes().first()? {
        b'+' => (1, &w[1..]),
        b'-' => (-1, &w[1..]),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    // The tz database's numeric abbreviation of a zone without a name (`-03` for Buenos
    // Aires, as date(1) prints it).
    let digits = if digits.len() == 2 {
        format!("{digits}00")
    } else {
        digits
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    (h < 15 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Month names and their usual abbreviations in the languages bounces and mail clients
/// are read in (English, Spanish, Portuguese, French, German, Italian, Dutch, Russian in
/// both cases, Polish in both cases), lowercased.
const MONTHS: [&[&str]; 12] = [
    &[
        "jan",
        "january",
        "enero",
        "ene",
        "janeiro",
        "janvier",
        "janv",
        "januar",
        "jänner",
        "gennaio",
        "gen",
        "januari",
        "январь",
        "января",
        "янв",
        "styczeń",
        "stycznia",
        "sty",
    ],
    &[
        "feb",
        "february",
        "febrero",
        "fevereiro",
        "fev",
        "février",
        "févr",
        "fevrier",
        "februar",
        "febbraio",
        "februari",
        "февраль",
        "февраля",
        "февр",
        "фев",
        "luty",
        "lutego",
        "lut",
    ],
    &[
        "mar",
        "march",
        "marzo",
        "março",
        "marco",
        "mars",
        "märz",
        "mär",
        "maart",
        "март",
        "марта",
        "мар",
        "marzec",
        "marca",
    ],
    &[
        "apr",
        "april",
        "abril",
        "abr",
        "avril",
        "avr",
        "aprile",
        "апрель",
        "апреля",
        "апр",
        "kwiecień",
        "kwietnia",
        "kwi",
    ],
    &[
        "may", "mayo", "maio", "mai", "maggio", "mag", "mei", "май", "мая", "maj", "maja",
    ],
    &[
        "jun", "june", "junio", "junho", "juin", "juni", "giugno", "giu", "июнь", "июня", "июн",
        "czerwiec", "czerwca", "cze",
    ],
    &[
        "jul", "july", "julio", "julho", "juillet", "juil", "juli", "luglio", "lug", "июль",
        "июля", "июл", "lipiec", "lipca", "lip",
    ],
    &[
        "aug",
        "august",
        "agosto",
        "ago",
        "août",
        "aout",
        "augustus",
        "август",
        "августа",
        "авг",
        "sierpień",
        "sierpnia",
        "sie",
    ],
    &[
        "sep",
        "sept",
        "september",
        "septiembre",
        "setiembre",
        "set",
        "setembro",
        "septembre",
        "settembre",
        "сентябрь",
        "сентября",
        "сент",
        "сен",
        "wrzesień",
        "września",
        "wrz",
    ],
    &[
        "oct",
        "october",
        "octubre",
        "outubro",
        "out",
        "octobre",
        "okt",
        "oktober",
        "ottobre",
        "ott",
        "октябрь",
        "октября",
        "окт",
        "październik",
        "października",
        "paź",
    ],
    &[
        "nov",
        "november",
        "noviembre",
        "novembro",
        "novembre",
        "ноябрь",
        "ноября",
        "нояб",
        "ноя",
        "listopad",
        "listopada",
        "lis",
    ],
    &[
        "dec",
        "december",
        "diciembre",
        "dic",
        "dezembro",
        "dez",
        "décembre",
        "déc",
        "decembre",
        "dezember",
        "dicembre",
        "декабрь",
        "декабря",
        "дек",
        "grudzień",
        "grudnia",
        "gru",
    ],
];

pub(super) fn month_number(w: &str) -> Option<u32> {
    // Every word of a written date is looked up here, most of them no month: one hashed
    // lookup instead of a scan of every list. The first list naming a word decides it.
    static BY_NAME: std::sync::LazyLock<std::collections::HashMap<&'static str, u32>> =
        std::sync::LazyLock::new(|| {
            let mut by_name = std::collections::HashMap::new();
            let lists = [
                &MONTHS,
                &NORDIC_MONTHS,
                &CZECH_TURKISH_MONTHS,
                &MORE_MONTHS,
                &FURTHER_MONTHS,
                &REGIONAL_MONTHS,
                &COMMONWEALTH_MONTHS,
            ];
            for list in lists {
                for (month, names) in (1u32..).zip(list.iter()) {
                    for name in names.iter() {
                        by_name.entry(*name).or_insert(month);
                    }
                }
            }
            by_name
        });
    BY_NAME
        .get(w)
        .copied()
        .or_else(|| hebrew_month(w).and_then(|i| u32::try_from(i + 1).ok()))
}

/// A Hebrew month as dates write it (Gmail's `2 בדצמ׳ 2026`): often after the preposition
/// `ב` ("in") glued to it, abbreviated with a geresh (`׳`, or an apostrophe typed for it).
/// The 0-based month.
fn hebrew_month(w: &str) -> Option<usize> {
    const NAMES: [[&str; 2]; 12] = [
        ["ינואר", "ינו"],
        ["פברואר", "פבר"],
        ["מרץ", "מרס"],
        ["אפריל", "אפר"],
        ["מאי", "מאי"],
        ["יוני", "יונ"],
        ["יולי", "יול"],
        ["אוגוסט", "אוג"],
        ["ספטמבר", "ספט"],
        ["אוקטובר", "אוק"],
        ["נובמבר", "נוב"],
        ["דצמבר", "דצמ"],
    ];
    let bare = w.trim_end_matches(['\u{5F3}', '\'', '’']);
    if !bare.starts_with(|c: char| ('\u{5D0}'..='\u{5EA}').contains(&c)) {
        return None;
    }
    let find = |word: &str| NAMES.iter().position(|names| names.contains(&word));
    find(bare).or_else(|| bare.strip_prefix('ב').and_then(find))
}

/// Month names and abbreviations, lowercased, in Arabic (the Egyptian and Gulf names, and
/// the one-word Levantine ones), Thai (full, and abbreviated without their last dot:
/// `ธ.ค`), Catalan and Hindi (full, and abbreviated without the abbreviation sign `॰`:
/// Gmail's `23 नव॰ 2026`), where the lists above do not already hold them.
const FURTHER_MONTHS: [&[&str]; 12] = [
    &["يناير", "มกราคม", "ม.ค", "gener", "जनवरी", "जन"],
    &[
        "فبراير",
        "شباط",
        "กุมภาพันธ์",
        "ก.พ",
        "febrer",
        "febr",
        "फ़रवरी",
        "फरवरी",
        "फ़र",
        "फर",
    ],
    &["مارس", "آذار", "มีนาคม", "มี.ค", "març", "मार्च"],
    &["أبريل", "إبريل", "نيسان", "เมษายน", "เม.ย", "अप्रैल"],
    &["مايو", "أيار", "พฤษภาคม", "พ.ค", "maig", "मई"],
    &["يونيو", "حزيران", "มิถุนายน", "มิ.ย", "juny", "जून"],
    &["يوليو", "تموز", "กรกฎาคม", "ก.ค", "juliol", "जुलाई", "जुल"],
    &["أغسطس", "آب", "สิงหาคม", "ส.ค", "agost", "अगस्त", "अग"],
    &[
        "سبتمبر",
        "أيلول",
        "กันยายน",
        "ก.ย",
        "setembre",
        "सितंबर",
        "सितम्बर",
        "सित",
    ],
    &["أكتوبر", "ตุลาคม", "ต.ค", "अक्तूबर", "अक्टूबर", "अक्तू", "अक्टू"],
    &["نوفمبر", "พฤศจิกายน", "พ.ย", "नवंबर", "नवम्बर", "नव"],
    &[
        "ديسمبر",
        "ธันวาคม",
        "ธ.ค",
        "desembre",
        "दिसंबर",
        "दिसम्बर",
        "दिस",
    ],
];

/// Month names and abbreviations, lowercased, in Greek, Indonesian, Romanian, Hungarian,
/// Ukrainian and Hebrew (webmail views' and mail clients' dates in those languages, e.g.
/// `Τετ, 2 Δεκ 2026, 10:17`, `3 Desember 2026`, `2026. december 3.`), where [`MONTHS`] does
/// not already hold them.
const MORE_MONTHS: [&[&str]; 12] = [
    &[
        "ιανουαρίου",
        "ιανουάριος",
        "ιαν",
        "ianuarie",
        "ian",
        "január",
        "січня",
        "січень",
        "ינואר",
    ],
    &[
        "φεβρουαρίου",
        "φεβρουάριος",
        "φεβ",
        "februari",
        "februarie",
        "február",
        "febr",
        "лютого",
        "лютий",
        "פברואר",
    ],
    &[
        "μαρτίου",
        "μάρτιος",
        "μαρ",
        "maret",
        "martie",
        "március",
        "márc",
        "березня",
        "березень",
        "מרץ",
    ],
    &[
        "απριλίου",
        "απρίλιος",
        "απρ",
        "aprilie",
        "április",
        "ápr",
        "квітня",
        "квітень",
        "אפריל",
    ],
    &[
        "μαΐου",
        "μαίου",
        "μάιος",
        "μαΐ",
        "μαϊ",
        "mei",
        "május",
        "máj",
        "травня",
        "травень",
        "מאי",
    ],
    &[
        "ιουνίου",
        "ιούνιος",
        "ιουν",
        "juni",
        "iunie",
        "iun",
        "június",
        "jún",
        "червня",
        "червень",
        "יוני",
    ],
    &[
        "ιουλίου",
        "ιούλιος",
        "ιουλ",
        "juli",
        "iulie",
        "iul",
        "július",
        "júl",
        "липня",
        "липень",
        "יולי",
    ],
    &[
        "αυγούστου",
        "αύγουστος",
        "αυγ",
        "agustus",
        "agu",
        "agt",
        "augusztus",
        "серпня",
        "серпень",
        "אוגוסט",
    ],
    &[
        "σεπτεμβρίου",
        "σεπτέμβριος",
        "σεπ",
        "septembrie",
        "szeptember",
        "szept",
        "вересня",
        "вересень",
        "ספטמבר",
    ],
    &[
        "οκτωβρίου",
        "οκτώβριος",
        "οκτ",
        "oktober",
        "okt",
        "octombrie",
        "október",
        "жовтня",
        "жовтень",
        "אוקטובר",
    ],
    &[
        "νοεμβρίου",
        "νοέμβριος",
        "νοε",
        "noiembrie",
        "листопада",
        "листопад",
        "נובמבר",
    ],
    &[
        "δεκεμβρίου",
        "δεκέμβριος",
        "δεκ",
        "desember",
        "des",
        "decembrie",
        "грудня",
        "грудень",
        "דצמבר",
    ],
];

/// The month names of Outlook's and webmail's dates in Norwegian, Danish, Swedish and
/// Finnish that [`MONTHS`] does not already hold (`onsdag 2. desember 2026 11:27`,
/// `keskiviikko 25. marraskuuta 2026 10.03`).
const NORDIC_MONTHS: [&[&str]; 12] = [
    &["tammikuuta", "tammikuu"],
    &["helmikuuta", "helmikuu"],
    &["maaliskuuta", "maaliskuu"],
    &["huhtikuuta", "huhtikuu"],
    &["toukokuuta", "toukokuu"],
    &["kesäkuuta", "kesäkuu"],
    &["heinäkuuta", "heinäkuu"],
    &["augusti", "elokuuta", "elokuu"],
    &["syyskuuta", "syyskuu"],
    &["lokakuuta", "lokakuu"],
    &["marraskuuta", "marraskuu"],
    &["desember", "des", "joulukuuta", "joulukuu"],
];

/// Czech (genitive, as dates write them) and Turkish month names and abbreviations
/// (Outlook's `čtvrtek 3. prosince 2026 13:02`, `4 Ara 2026 09:12`).
const CZECH_TURKISH_MONTHS: [&[&str]; 12] = [
    &["ledna", "leden", "ocak", "oca"],
    &["února", "únor", "şubat", "şub"],
    &["března", "březen", "mart"],
    &["dubna", "duben", "nisan", "nis"],
    &["května", "květen", "mayıs"],
    &["června", "červen", "haziran", "haz"],
    &["července", "červenec", "temmuz", "tem"],
    &["srpna", "srpen", "ağustos", "ağu"],
    &["září", "eylül", "eyl"],
    &["října", "říjen", "ekim", "eki"],
    &["listopadu", "listopad", "kasım", "kas"],
    &["prosince", "prosinec", "aralık", "ara"],
];

/// Months in the other languages of English-speaking desks' customers: Welsh (and its
/// abbreviations, `Gwe, 4 Rhag 2026`), Irish (the one-word names), Māori, isiZulu,
/// Kiswahili, Hausa, Malay and Tamil.
const COMMONWEALTH_MONTHS: [&[&str]; 12] = [
    &[
        "ionawr",
        "ion",
        "eanáir",
        "kohitātea",
        "januwari",
        "janairu",
        "ஜனவரி",
    ],
    &[
        "chwefror",
        "chwef",
        "feabhra",
        "huitanguru",
        "februwari",
        "faburairu",
        "பிப்ரவரி",
    ],
    &[
        "mawrth",
        "maw",
        "márta",
        "poutūterangi",
        "machi",
        "mashi",
        "maris",
        "mac",
        "மார்ச்",
    ],
    &[
        "ebrill",
        "ebr",
        "aibreán",
        "paengawhāwhā",
        "aprili",
        "ephreli",
        "afirilu",
        "ஏப்ரல்",
    ],
    &["mai", "bealtaine", "haratua", "meyi", "mayu", "மே"],
    &["mehefin", "meh", "meitheamh", "pipiri", "yuni", "ஜூன்"],
    &[
        "gorffennaf",
        "gorff",
        "iúil",
        "hōngongoi",
        "julayi",
        "yuli",
        "ஜூலை",
    ],
    &[
        "awst",
        "lúnasa",
        "here-turi-kōkā",
        "agosti",
        "agasti",
        "agusta",
        "ogos",
        "ஆகஸ்ட்",
    ],
    &["medi", "mahuru", "septhemba", "satumba", "செப்டம்பர்"],
    &["hydref", "hyd", "whiringa-ā-nuku", "okthoba", "அக்டோபர்"],
    &[
        "tachwedd",
        "tach",
        "samhain",
        "whiringa-ā-rangi",
        "nuwamba",
        "நவம்பர்",
    ],
    &[
        "rhagfyr",
        "rhag",
        "nollaig",
        "hakihea",
        "desemba",
        "disemba",
        "disamba",
        "disember",
        "டிசம்பர்",
    ],
];

/// Month names (nominative, and genitive where dates write it) in Bulgarian, Macedonian and
/// Serbian (Cyrillic and Latin), Slovak, Slovenian, Lithuanian, Latvian, Estonian, Persian
/// (the Gregorian months), Swahili and Afrikaans, where the lists above do not already
/// hold them (`събота, 28 ноември 2026 г.`, `3. decembra 2026`, `۲ دسامبر ۲۰۲۶`).
const REGIONAL_MONTHS: [&[&str]; 12] = [
    &[
        "януари",
        "јануари",
        "јануар",
        "januar",
        "januára",
        "sausio",
        "janvāris",
        "janvārī",
        "jaanuar",
        "ژانویه",
        "januarie",
    ],
    &[
        "февруари",
        "фебруар",
        "februára",
        "vasario",
        "februāris",
        "februārī",
        "veebruar",
        "فوریه",
    ],
    &["marec", "kovo", "marts", "martā", "märts", "machi"],
    &[
        "април",
        "apríla",
        "apríl",
        "balandžio",
        "aprīlis",
        "aprīlī",
        "aprill",
        "آوریل",
        "aprili",
    ],
    &["мај", "mája", "máj", "gegužės", "maijs", "maijā", "مه"],
    &[
        "юни",
        "јуни",
        "јун",
        "júna",
        "jún",
        "junij",
        "birželio",
        "jūnijs",
        "jūnijā",
        "juuni",
        "ژوئن",
        "junie",
    ],
    &[
        "юли",
        "јули",
        "јул",
        "júla",
        "júl",
        "julij",
        "liepos",
        "jūlijs",
        "jūlijā",
        "juuli",
        "ژوئیه",
        "julai",
        "julie",
    ],
    &[
        "augusta",
        "avgust",
        "rugpjūčio",
        "augusts",
        "augustā",
        "اوت",
        "آگوست",
        "agosti",
    ],
    &[
        "септември",
        "септембар",
        "septembra",
        "septembar",
        "rugsėjo",
        "septembris",
        "septembrī",
        "سپتامبر",
        "septemba",
    ],
    &[
        "октомври",
        "октобар",
        "októbra",
        "oktobar",
        "spalio",
        "oktobris",
        "oktobrī",
        "oktoober",
        "اکتبر",
        "oktoba",
    ],
    &[
        "ноември",
        "новембар",
        "novembra",
        "novembar",
        "lapkričio",
        "novembris",
        "novembrī",
        "نوامبر",
        "novemba",
    ],
    &[
        "декември",
        "децембар",
        "decembra",
        "decembar",
        "gruodžio",
        "decembris",
        "decembrī",
        "detsember",
        "دسامبر",
        "desemba",
    ],
];

/// `s` with Arabic-Indic (U+0660..) and Persian (U+06F0..) digits as the ASCII digits they
/// are: Arabic and Persian views write dates in them (`۵ دسامبر ۲۰۲۶، ۱۱:۴۸`). Borrowed when
/// there are none (the bytes 0xD9 and 0xDB open every such digit).
fn ascii_digits(s: &str) -> Cow<'_, str> {
    if memchr::memchr2(0xD9, 0xDB, s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let digit = |c: char| match c {
        '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10),
        _ => None,
    };
    if !s.chars().any(|c| digit(c).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| digit(c).unwrap_or(c)).collect())
}

/// `2026年12月3日` (Japanese and Chinese): year, month, day.
fn cjk_date(v: &str) -> Option<(i32, u32, u32)> {
    // Chinese and Japanese `2026年12月3日`, Korean `2026년 12월 3일`.
    let (y, rest) = v.split_once(['年', '년'])?;
    let (m, rest) = rest.split_once(['月', '월'])?;
    let d = rest.split(['日', '号', '일']).next()?;
    let digits = |s: &str| -> Option<u32> {
        let t: String = s.chars().rev().take_while(char::is_ascii_digit).collect();
        t.chars().rev().collect::<String>().parse().ok()
    };
    let year = i32::try_from(digits(y)?).ok()?;
    Some((year, digits(m)?, d.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numeric_dates_and_named_offsets() {
        let at = |s: &str| super::parse_written(s).map(|(t, zoned)| (t.to_rfc3339(), zoned));
        let utc = |s: &str| Some((s.to_string(), false));
        assert_eq!(at("11/27/2026 08:15:40"), utc("2026-11-27T08:15:40+00:00"));
        assert_eq!(at("12/4/2026 3:15:22 PM"), utc("2026-12-04T15:15:22+00:00"));
        assert_eq!(at("4/12/2026 15:15"), utc("2026-12-04T15:15:00+00:00"));
        assert_eq!(at("27.11.2026 08:15"), utc("2026-11-27T08:15:00+00:00"));
        assert_eq!(
            at("Dec 2, 2026, 4:18:07 PM GMT+1"),
            Some(("2026-12-02T15:18:07+00:00".to_string(), true))
        );
        assert_eq!(
            at("2026-12-02 10:00 UTC-05:00"),
            Some(("2026-12-02T15:00:00+00:00".to_string(), true))
        );
        assert_eq!(at("13/13/2026 10:00"), None);
    }

    use super::*;

    #[test]
    fn zone_names_with_half_hours_and_india_s_ist() {
        let at = |s: &str| parse_written(s).map(|(t, zoned)| (t.to_rfc3339(), zoned));
        let zoned = |s: &str| Some((s.to_string(), true));
        assert_eq!(
            at("06 Dec 2026, 10:27 am IST"),
            zoned("2026-12-06T04:57:00+00:00")
        );
        assert_eq!(
            at("6 Dec 2026 10:27 NPT"),
            zoned("2026-12-06T04:42:00+00:00")
        );
        assert_eq!(
            at("6 Dec 2026 10:27 ACDT"),
            zoned("2026-12-05T23:57:00+00:00")
        );
        assert_eq!(
            at("6 Dec 2026 10:27 WIB"),
            zoned("2026-12-06T03:27:00+00:00")
        );
        assert!(names_a_zone("IST") && names_a_zone("+0530") && names_a_zone(" gmt+1 "));
        // Two zones print CST: the time is read, its zone is not guessed.
        assert!(!names_a_zone("CST"));
        assert!(!names_a_zone("2 days ago"));
    }

    /// Dates in Bulgarian, Greek (with its `μ.μ.`), Slovak, Serbian, Lithuanian, Swahili,
    /// Afrikaans and Persian month names.
    #[test]
    fn dates_of_central_and_eastern_europe_and_africa() {
        let at = |s: &str| parse_written(s).map(|(t, _)| t.to_rfc3339());
        let cases = [
            (
                "събота, 28 ноември 2026 г., 10:33:12 +0200",
                "2026-11-28T08:33:12+00:00",
            ),
            (
                "Τρίτη, 24 Νοεμβρίου 2026 6:22:09 μ.μ. +0200",
                "2026-11-24T16:22:09+00:00",
            ),
            ("3. decembra 2026 14:05", "2026-12-03T14:05:00+00:00"),
            ("3. децембар 2026. 14:05", "2026-12-03T14:05:00+00:00"),
            ("2026 m. lapkričio 30 d. 09:12", "2026-11-30T09:12:00+00:00"),
            (
                "Jumatano, 2 Desemba 2026 10:14",
                "2026-12-02T10:14:00+00:00",
            ),
            (
                "Woensdag 2 Desember 2026 10:14 nm.",
                "2026-12-02T22:14:00+00:00",
            ),
            ("2 دسامبر 2026، 10:14 ق.ظ", "2026-12-02T10:14:00+00:00"),
            // Persian and Arabic-Indic digits, as Gmail's apps print them.
            ("۵ دسامبر ۲۰۲۶، ۱۱:۴۸", "2026-12-05T11:48:00+00:00"),
            ("٣ ديسمبر ٢٠٢٦، ١٠:١٤", "2026-12-03T10:14:00+00:00"),
        ];
        for (written, want) in cases {
            assert_eq!(at(written).as_deref(), Some(want), "{written}");
        }
    }

    /// Views' dates in Arabic, Czech, Korean, Chinese, Turkish, Thai (Buddhist era),
    /// Vietnamese and Catalan.
    #[test]
    fn view_dates_in_more_languages() {
        let at = |s: &str| parse_written(s).map(|(t, _)| t.to_rfc3339());
        let cases = [
            ("29 نوفمبر 2026، 19:14", "2026-11-29T19:14:00+00:00"),
            ("čt 3. 12. 2026 18:42", "2026-12-03T18:42:00+00:00"),
            ("2026. 12. 1. (화) 오후 1:23", "2026-12-01T13:23:00+00:00"),
            (
                "2026年12月2日(星期三) 下午3:05",
                "2026-12-02T15:05:00+00:00",
            ),
            ("2026年12月5日 周六 上午10:44", "2026-12-05T10:44:00+00:00"),
            ("Cum 4.12.2026 16:48", "2026-12-04T16:48:00+00:00"),
            ("4 ธ.ค. 2569 14:05", "2026-12-04T14:05:00+00:00"),
            (
                "Thứ Sáu, 4 tháng 12, 2026 09:15",
                "2026-12-04T09:15:00+00:00",
            ),
            (
                "Th 7, 5 thg 12, 2026 lúc 16:47",
                "2026-12-05T16:47:00+00:00",
            ),
            ("dj., 3 de des. 2026, 10:20", "2026-12-03T10:20:00+00:00"),
            ("Jumat, 04 Desember 2026 13.47", "2026-12-04T13:47:00+00:00"),
            (
                "3. prosince 2026 v 16:22:05 SEČ",
                "2026-12-03T15:22:05+00:00",
            ),
            ("Tue Dec  1 10:12:03 -03 2026", "2026-12-01T13:12:03+00:00"),
            ("2 בדצמ׳ 2026, 8:20", "2026-12-02T08:20:00+00:00"),
            ("to 3.12.2026 13.27 (+02:00)", "2026-12-03T11:27:00+00:00"),
            ("יום ד׳, 2 בדצמבר 2026 ב-10:17", "2026-12-02T10:17:00+00:00"),
        ];
        for (written, want) in cases {
            assert_eq!(at(written).as_deref(), Some(want), "{written}");
        }
        // A dot and a space that do not join numbers are left alone.
        assert_eq!(squeeze_dotted("Mon. 3. Dec. 2026"), "Mon. 3. Dec. 2026");
        assert_eq!(squeeze_dotted("3. 12. 2026"), "3.12.2026");
    }

    #[test]
    fn java_loggers_stamps_open_their_lines() {
        let (when, stamp, rest) =
            leading_stamp("03-Dec-2026 07:45:12.331 SEVERE [mail-sender-3] x.Mailer.send").unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-03T07:45:12+00:00");
        assert_eq!(stamp, "03-Dec-2026 07:45:12.331");
        assert_eq!(rest, stamp.len());
        let (when, _, rest) = leading_stamp("ERROR 2026-12-02 09:41:18,532 log 48211 x").unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-02T09:41:18+00:00");
        assert_eq!(rest, "ERROR 2026-12-02 09:41:18,532".len());
        let (when, _, _) = leading_stamp("[2026-11-30, 08:15:02 UTC] {email.py:272} INFO").unwrap();
        assert_eq!(when.to_rfc3339(), "2026-11-30T08:15:02+00:00");
        let (when, stamp, _) =
            leading_stamp("Dec 03, 2026 7:45:12 PM com.example.Mailer send").unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-03T19:45:12+00:00");
        assert_eq!(stamp, "Dec 03, 2026 7:45:12 PM");
        let (when, stamp, end) =
            leading_stamp("!03.12.2026, 10:15:04: SEND - Message not accepted").unwrap();
        assert_eq!(when.to_rfc3339(), "2026-12-03T10:15:04+00:00");
        assert_eq!((stamp, end), ("03.12.2026, 10:15:04", 22));
        // Shapes alike that are no stamp.
        assert!(leading_stamp("03-Dec-20 07:45:12 x").is_none());
        assert!(leading_stamp(">03.12.2026 whenever").is_none());
        assert!(leading_stamp("Dec 03, 2026 at noon").is_none());
    }

    /// The zones of the Atlantic (`date` in Barbados or Halifax prints AST), Newfoundland,
    /// Hawaii and the Chatham Islands.
    #[test]
    fn atlantic_newfoundland_hawaii_and_chatham_zone_names() {
        let at = |v: &str| parse_written(v).map(|(t, zoned)| (t.to_rfc3339(), zoned));
        for (v, want) in [
            ("Sat Dec  5 08:03:19 AST 2026", "2026-12-05T12:03:19+00:00"),
            ("Sat Dec  5 08:03:19 NST 2026", "2026-12-05T11:33:19+00:00"),
            ("Sat Dec  5 08:03:19 HST 2026", "2026-12-05T18:03:19+00:00"),
            (
                "Sat Dec  5 08:03:19 CHADT 2026",
                "2026-12-04T18:18:19+00:00",
            ),
        ] {
            assert_eq!(at(v), Some((want.to_string(), true)), "{v}");
        }
    }

    /// Months as customers of English-speaking desks write them in their other languages.
    #[test]
    fn months_in_welsh_irish_maori_and_african_and_indian_languages() {
        let date = |v: &str| parse_written(v).map(|(t, _)| t.date_naive().to_string());
        for v in [
            "Gwe, 4 Rhag 2026 am 19:22",
            "4 Nollaig 2026 19:22",
            "4 Hakihea 2026 19:22",
            "4 Disemba 2026 19:22",
            "4 Desemba 2026 19:22",
            "4 Disamba 2026 19:22",
            "4 Disember 2026 19:22",
            "4 டிசம்பர் 2026 19:22",
        ] {
            assert_eq!(date(v).as_deref(), Some("2026-12-04"), "{v}");
        }
    }

    /// A `Date:` header as a client's view rewrote it, or with a zone's name mail-parser
    /// does not know, keeps its zone; an ordinary one reads as before.
    #[test]
    fn date_headers_as_views_rewrite_them() {
        let at = |v: &str| parse_header_date(v).map(|t| t.to_rfc3339());
        assert_eq!(
            at("4 December 2026 at 4:03:11 pm AEDT").as_deref(),
            Some("2026-12-04T05:03:11+00:00")
        );
        assert_eq!(
            at("Fri, 4 Dec 2026 16:03:11 AEDT").as_deref(),
            Some("2026-12-04T05:03:11+00:00")
        );
        assert_eq!(
            at("Fri, 4 Dec 2026 16:03:11 +1100 (AEDT)").as_deref(),
            Some("2026-12-04T05:03:11+00:00")
        );
        // Without a zone it is left to the other dates of the message.
        assert_eq!(at("4 December 2026 at 4:03:11 pm"), None);
    }

    #[test]
    fn rfc5322_to_utc() {
        let t = parse_rfc5322("Fri, 01 Oct 2010 19:15:19 +0900 (JST)");
        assert_eq!(
            t.map(|t| t.to_rfc3339()),
            Some("2010-10-01T10:15:19+00:00".to_string())
        );
    }

    #[test]
    fn syslog_time_takes_the_latest_year_not_in_the_future() {
        let now = parse_log_time("2026-01-05T12:00:00Z").unwrap();
        let at = |v| parse_log_time_at(v, now).map(|t| t.to_rfc3339());
        assert_eq!(
            at("Jan  5 10:00:00").as_deref(),
            Some("2026-01-05T10:00:00+00:00")
        );
        assert_eq!(
            at("Dec 31 23:59:59").as_deref(),
            Some("2025-12-31T23:59:59+00:00")
        );
        assert_eq!(at("Foo 31 23:59:59"), None);
    }

    #[test]
    fn an_iso_stamp_whose_zone_has_no_colon() {
        assert_eq!(
            parse_log_time("2026-12-05T08:12:06+0100").map(|t| t.to_rfc3339()),
            Some("2026-12-05T07:12:06+00:00".to_string())
        );
    }

    #[test]
    fn exim_time_with_zone() {
        let t = parse_log_time("2024-03-01 10:22:33 +0100");
        assert_eq!(
            t.map(|t| t.to_rfc3339()),
            Some("2024-03-01T09:22:33+00:00".to_string())
        );
    }

    #[test]
    fn stamps_at_the_start_of_application_log_lines() {
        fn at(l: &str) -> Option<(String, &str, &str)> {
            leading_stamp(l).map(|(t, raw, end)| (t.to_rfc3339(), raw, &l[end..]))
        }
        assert_eq!(
            at("2026-12-05 03:00:07,512 ERROR notify"),
            Some((
                "2026-12-05T03:00:07+00:00".into(),
                "2026-12-05 03:00:07",
                " ERROR notify"
            ))
        );
        assert_eq!(
            at("[2026.12.02] 10:14:22.235 [61193] Delivery failed"),
            Some((
                "2026-12-02T10:14:22+00:00".into(),
                "2026.12.02] 10:14:22.235",
                " [61193] Delivery failed"
            ))
        );
        assert_eq!(
            at("[05-Dec-2026 14:20:31 UTC] WP Mail SMTP: x"),
            Some((
                "2026-12-05T14:20:31+00:00".into(),
                "05-Dec-2026 14:20:31 UTC",
                " WP Mail SMTP: x"
            ))
        );
        assert_eq!(
            at("[2026-12-04 08:00:03,402: ERROR/ForkPoolWorker-2] Task x raised"),
            Some((
                "2026-12-04T08:00:03+00:00".into(),
                "2026-12-04 08:00:03",
                " Task x raised"
            ))
        );
        // PHP's error_log with `date.timezone` set to a region: its offset on that day.
        assert_eq!(
            at("[04-Dec-2026 22:10:03 Europe/Berlin] PHP Warning:  mail(): x").map(|a| a.0),
            Some("2026-12-04T21:10:03+00:00".into())
        );
        assert_eq!(
            at("[04-Jul-2026 22:10:03 America/New_York] PHP Warning").map(|a| a.0),
            Some("2026-07-05T02:10:03+00:00".into())
        );
        // A name the tz database does not know is no zone: the time is read as UTC.
        assert_eq!(
            at("[04-Dec-2026 22:10:03 Mars/Olympus] x").map(|a| a.0),
            Some("2026-12-04T22:10:03+00:00".into())
        );
        assert_eq!(
            at("Dec 05 19:20:10 <-** 550 5.7.1 no").map(|a| (a.1, a.2)),
            Some(("Dec 05 19:20:10", "<-** 550 5.7.1 no"))
        );
        assert_eq!(
            at("Wed 2026-11-25 14:08:51.530: <-- 553 sorry").map(|a| (a.1, a.2)),
            Some(("2026-11-25 14:08:51", " <-- 553 sorry"))
        );
        assert_eq!(
            at("2026-12-02 11:30:14,552+0100 worker ERROR x").map(|a| (a.0, a.2)),
            Some(("2026-12-02T10:30:14+00:00".into(), " worker ERROR x"))
        );
        // Serilog's zone after a space, in brackets and out; Go's slashes; logfmt; Ruby.
        assert_eq!(
            at("[2026-12-02 14:33:09.871 +01:00 INF] Sending").map(|a| (a.0, a.2)),
            Some(("2026-12-02T13:33:09+00:00".into(), " Sending"))
        );
        assert_eq!(
            at("2026-12-02 14:02:11.530 +02:00 [ERR] Report").map(|a| (a.0, a.2)),
            Some(("2026-12-02T12:02:11+00:00".into(), " [ERR] Report"))
        );
        assert_eq!(
            at("2026/12/04 09:12:44 notifier: smtp").map(|a| (a.0, a.2)),
            Some(("2026-12-04T09:12:44+00:00".into(), " notifier: smtp"))
        );
        assert_eq!(
            at("time=2026-12-04T16:40:02.118+07:00 level=ERROR").map(|a| (a.0, a.2)),
            Some(("2026-12-04T09:40:02+00:00".into(), " level=ERROR"))
        );
        assert_eq!(
            at("E, [2026-12-03T08:15:33.221907 #2187] ERROR -- : x").map(|a| (a.0, a.2)),
            Some(("2026-12-03T08:15:33+00:00".into(), " ERROR -- : x"))
        );
        assert_eq!(
            at("12/04/2026 10:10:03 PM - Email send attempt").map(|a| (a.0, a.2)),
            Some(("2026-12-04T22:10:03+00:00".into(), " - Email send attempt"))
        );
        // A number after the time is no zone.
        assert_eq!(
            at("2026-12-02 14:02:11 -123456 x").map(|a| (a.0, a.2)),
            Some(("2026-12-02T14:02:11+00:00".into(), " -123456 x"))
        );
        assert_eq!(at("[notice] 2026-12-05 03:00:07"), None);
        assert_eq!(at("550 5.1.1 user unknown here ok"), None);
    }

    #[test]
    fn written_dates_in_several_languages() {
        let at = |v: &str| parse_written(v).map(|(t, zoned)| (t.to_rfc3339(), zoned));
        let utc = |s: &str, zoned| Some((s.to_string(), zoned));
        // A weekday sharing a month's short name gives way to the month named after it; a
        // month in another language is never mail-parser's guess.
        assert_eq!(
            at("mar, 1 dic 2026 09:58:12 -0300"),
            utc("2026-12-01T12:58:12+00:00", true)
        );
        assert_eq!(
            at("1 mar 2026 10:00"),
            utc("2026-03-01T10:00:00+00:00", false)
        );
        assert_eq!(
            at("Cum 04 Ara 2026 11:30:02 +03"),
            utc("2026-12-04T08:30:02+00:00", true)
        );
        assert_eq!(
            at("الأحد، 22 نوفمبر 2026 11:05 م"),
            utc("2026-11-22T23:05:00+00:00", false)
        );
        assert_eq!(
            at("25 нояб. 2026 г., 11:06:09 (MSK, UTC+3)"),
            utc("2026-11-25T08:06:09+00:00", true)
        );
        assert_eq!(
            at("3 Dec 2026 10:05:01 -0000"),
            utc("2026-12-03T10:05:01+00:00", true)
        );
        assert_eq!(
            at("mardi 1 décembre 2026 10:44"),
            utc("2026-12-01T10:44:00+00:00", false)
        );
        assert_eq!(
            at("Τετ, 2 Δεκ 2026, 10:17 (GMT+02:00)"),
            utc("2026-12-02T08:17:00+00:00", true)
        );
        assert_eq!(
            at("Kamis, 3 Desember 2026 10:05"),
            utc("2026-12-03T10:05:00+00:00", false)
        );
        assert_eq!(
            at("Friday, December 4th, 2026 at 3:47 PM"),
            utc("2026-12-04T15:47:00+00:00", false)
        );
        // Two-digit years, month first with `/` (WHM's Sent Time, MailEnable's banner).
        assert_eq!(
            at("12/2/26 11:07:45 AM"),
            utc("2026-12-02T11:07:45+00:00", false)
        );
        assert_eq!(
            at("12/05/26 14:22:31"),
            utc("2026-12-05T14:22:31+00:00", false)
        );
        // Zones by name (date(1) in Sydney, a German webmail's `(MEZ)`).
        assert_eq!(
            at("Tue 01 Dec 2026 11:18:40 AEDT"),
            utc("2026-12-01T00:18:40+00:00", true)
        );
        assert_eq!(
            at("01.12.2026 18:26 (MEZ)"),
            utc("2026-12-01T17:26:00+00:00", true)
        );
        // A 12-hour clock in an RFC 5322-like date (Zoho's view).
        assert_eq!(
            at("Thu, 3 Dec 2026 3:49:00 PM +0530"),
            utc("2026-12-03T10:19:00+00:00", true)
        );
        // date(1)'s output, with its zone's abbreviation.
        assert_eq!(
            at("Sat Dec  5 16:20:11 CET 2026"),
            utc("2026-12-05T15:20:11+00:00", true)
        );
        // mail-parser alone would read this one as 00:10:02.
        assert_eq!(
            at("Op vr 4 dec 2026 om 10:02"),
            utc("2026-12-04T10:02:00+00:00", false)
        );
        assert_eq!(
            at("29 nov 2026, 21:14 (GMT+1)"),
            utc("2026-11-29T20:14:00+00:00", true)
        );
        assert_eq!(
            at("čtvrtek 3. prosince 2026 13:02"),
            utc("2026-12-03T13:02:00+00:00", false)
        );
        assert_eq!(
            at("4 Ara 2026 09:12"),
            utc("2026-12-04T09:12:00+00:00", false)
        );
        assert_eq!(
            at("25.11.2026 klo 10.03"),
            utc("2026-11-25T10:03:00+00:00", false)
        );
        assert_eq!(
            at("onsdag 2. desember 2026 11:27"),
            utc("2026-12-02T11:27:00+00:00", false)
        );
        assert_eq!(
            at("2026년 11월 24일 (화) 오후 2:31:07"),
            utc("2026-11-24T14:31:07+00:00", false)
        );
        assert_eq!(
            at("18 ноября 2026, 15:40"),
            utc("2026-11-18T15:40:00+00:00", false)
        );
        assert_eq!(
            at("Dec 3, 2026, 10:05 PM"),
            utc("2026-12-03T22:05:00+00:00", false)
        );
        assert_eq!(
            at("jueves, 3 de diciembre de 2026 10:05 +0100"),
            utc("2026-12-03T09:05:00+00:00", true)
        );
        assert_eq!(
            at("Donnerstag, 3. Dezember 2026 um 10:05"),
            utc("2026-12-03T10:05:00+00:00", false)
        );
        assert_eq!(
            at("2026年12月3日 10:05"),
            utc("2026-12-03T10:05:00+00:00", false)
        );
        // "mardi" (Tuesday) is no month: whole words only.
        assert_eq!(at("mardi 10:44"), None);
        assert_eq!(at("Today 09:58"), None);
        assert_eq!(at("31 Feb 2026 10:00"), None);
    }
}
