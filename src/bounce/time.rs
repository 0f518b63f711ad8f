//! Timestamps as bounces print them, turned into UTC.

use chrono::{DateTime, NaiveDateTime, Utc};

/// An RFC 5322 date (`Fri, 01 Oct 2010 19:15:19 +0900 (JST)`), lenient about comments and
/// missing weekdays.
pub fn parse_rfc5322(value: &str) -> Option<DateTime<Utc>> {
    let dt = mail_parser::DateTime::parse_rfc822(value.trim())?;
    if !dt.is_valid() {
        return None;
    }
    DateTime::from_timestamp(dt.to_timestamp(), 0)
}

/// A log timestamp: exim's `2024-03-01 10:22:33 [+0100]`, or ISO 8601 / RFC 3339.
/// Syslog's `Mar  1 10:22:33` has no year and no zone: left as printed (None).
pub fn parse_log_time(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
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
    fn exim_time_with_zone() {
        let t = parse_log_time("2024-03-01 10:22:33 +0100");
        assert_eq!(
            t.map(|t| t.to_rfc3339()),
            Some("2024-03-01T09:22:33+00:00".to_string())
        );
    }
}
