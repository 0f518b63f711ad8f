//! Timestamps as bounces print them, turned into UTC.

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
    if let Ok(dt) = DateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S%.f %z") {
        return Some(dt.with_timezone(&Utc));
    }
    // No zone printed: exim logs in the server's zone, which cannot be known here; UTC is
    // the usual setting on hosting servers, so read it as UTC.
    NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// Whichever of the two readings works.
pub fn parse_any(value: &str) -> Option<DateTime<Utc>> {
    parse_rfc5322(value).or_else(|| parse_log_time(value))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn exim_time_with_zone() {
        let t = parse_log_time("2024-03-01 10:22:33 +0100");
        assert_eq!(
            t.map(|t| t.to_rfc3339()),
            Some("2024-03-01T09:22:33+00:00".to_string())
        );
    }
}
