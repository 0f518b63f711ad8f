//! systemd's journal exported as JSON (`journalctl -o json`): one object per entry, the
//! log line in `MESSAGE`, its time in `__REALTIME_TIMESTAMP` (microseconds since the
//! epoch), the program in `SYSLOG_IDENTIFIER`. Written back as the syslog lines the mail
//! log readers know, with an RFC 3339 stamp in UTC.

use chrono::DateTime;
use serde_json::Value;

/// Entries read at most.
const MAX_ENTRIES: usize = 5000;

/// The syslog lines of the journal entries in `lines`, in order; `None` when there are none.
pub fn syslog_lines(text: &str, lines: &[&str]) -> Option<Vec<String>> {
    // Most pastes are no journal: one search of the text settles it.
    memchr::memmem::find(text.as_bytes(), b"\"__REALTIME_TIMESTAMP\"")?;
    let out: Vec<String> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.starts_with('{') && l.ends_with('}'))
        .take(MAX_ENTRIES)
        .filter_map(entry_line)
        .collect();
    (!out.is_empty()).then_some(out)
}

/// One entry as a syslog line: `2026-12-05T16:05:14.901557Z host ident[pid]: message`.
fn entry_line(json: &str) -> Option<String> {
    let v: Value = serde_json::from_str(json).ok()?;
    let field = |k: &str| v.get(k).and_then(Value::as_str);
    let message = field("MESSAGE")?;
    let micros: i64 = field("__REALTIME_TIMESTAMP")?.parse().ok()?;
    let when = DateTime::from_timestamp_micros(micros)?;
    let host = field("_HOSTNAME").unwrap_or("localhost");
    let ident = field("SYSLOG_IDENTIFIER").unwrap_or("journal");
    let pid = field("_PID").or_else(|| field("SYSLOG_PID")).unwrap_or("0");
    Some(format!(
        "{} {host} {ident}[{pid}]: {message}",
        when.format("%Y-%m-%dT%H:%M:%S%.6fZ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_entries_as_syslog_lines() {
        let text = r#"# journalctl -u postfix -o json
{"__REALTIME_TIMESTAMP":"1796486714901557","_HOSTNAME":"mx1","SYSLOG_IDENTIFIER":"postfix/smtp","_PID":"40211","MESSAGE":"9E21F60A33: to=<bob@far.example>, relay=mx.far.example[192.0.2.97]:25, dsn=5.3.4, status=bounced (host mx.far.example[192.0.2.97] said: 552 5.3.4 Message size exceeds fixed limit (in reply to end of DATA command))"}
{"MESSAGE":"no time"}"#;
        let lines: Vec<&str> = text.lines().collect();
        let got = syslog_lines(text, &lines).expect("a journal");
        assert_eq!(got.len(), 1);
        assert!(
            got[0].starts_with("2026-12-05T16:05:14.901557Z mx1 postfix/smtp[40211]: 9E21F60A33: to=<bob@far.example>"),
            "{}",
            got[0]
        );
        // Read whole: the log reader finds the failure and its time.
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.records[0].reply_code, Some(552));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-05T16:05:14.901557+00:00")
        );
        assert!(syslog_lines("{\"a\":1}", &["{\"a\":1}"]).is_none());
    }
}
