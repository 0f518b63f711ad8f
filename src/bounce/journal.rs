//! Log exports that are not the classic syslog lines, written back as those lines (an RFC
//! 3339 stamp, the host, `program[pid]: message`) for the mail log readers: systemd's journal
//! exported as JSON (`journalctl -o json`: the line in `MESSAGE`, its time in
//! `__REALTIME_TIMESTAMP`, microseconds since the epoch, the program in
//! `SYSLOG_IDENTIFIER`), and RFC 5424 syslog lines.

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

/// RFC 5424 syslog lines (`<22>1 2026-12-05T08:44:10.221Z host postfix/smtpd 3321 - -
/// NOQUEUE: reject: ...`, as rsyslog and syslog-ng forward them), written as the classic
/// `stamp host program[pid]: message` lines the mail log readers know; `None` when there
/// are none.
pub fn rfc5424_lines(lines: &[&str]) -> Option<Vec<String>> {
    // Most pastes hold none: only a line opening with `<` can be one.
    let any = lines
        .iter()
        .take(200)
        .any(|l| l.trim_start().starts_with('<') && rfc5424_line(l).is_some());
    any.then(|| {
        lines
            .iter()
            .take(MAX_ENTRIES)
            .map(|l| rfc5424_line(l).unwrap_or_else(|| (*l).to_string()))
            .collect()
    })
}

/// Log lines a log store's API or JSON view gives as JSON strings of their own (Grafana
/// Loki's `"values": [["<ns>", "<line>"], ...]`, an array of lines), written back as the
/// lines they are; `None` when no such string holds a mail log's line (a stamp opening it and
/// `postfix/`, `exim` or `sendmail` in it).
pub fn quoted_lines(lines: &[&str]) -> Option<Vec<String>> {
    let unquoted = |l: &str| -> Option<String> {
        let t = l.trim().trim_end_matches(',');
        if !(t.len() >= 2 && t.starts_with('"') && t.ends_with('"')) {
            return None;
        }
        serde_json::from_str::<String>(t).ok()
    };
    let any = lines.iter().take(400).any(|l| {
        unquoted(l).is_some_and(|u| {
            super::time::leading_stamp(&u).is_some()
                && ["postfix/", "exim", "sendmail"]
                    .iter()
                    .any(|m| u.contains(m))
        })
    });
    any.then(|| {
        lines
            .iter()
            .take(MAX_ENTRIES)
            .map(|l| unquoted(l).unwrap_or_else(|| (*l).to_string()))
            .collect()
    })
}

/// `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG` as `TIMESTAMP HOST APP[PROCID]: MSG`.
fn rfc5424_line(line: &str) -> Option<String> {
    let t = line.trim_start();
    let after_pri = t.strip_prefix('<')?.split_once('>')?;
    if !after_pri.0.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = after_pri.1.strip_prefix("1 ")?;
    let mut fields = rest.splitn(6, ' ');
    let (stamp, host, app, procid, _msgid) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let rest = fields.next()?;
    // Structured data: `-`, or `[id k="v" ...]` elements.
    let message = match rest.strip_prefix("- ") {
        Some(m) => m,
        None if rest.starts_with('[') => rest.rsplit_once("] ").map(|(_, m)| m)?,
        None => rest.strip_prefix('-').unwrap_or(rest),
    };
    let pid = if procid == "-" { "0" } else { procid };
    Some(format!("{stamp} {host} {app}[{pid}]: {message}"))
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

    #[test]
    fn rfc5424_lines_as_classic_syslog() {
        let line = "<22>1 2026-12-05T08:44:10.221Z mx2 postfix/smtpd 3321 - - NOQUEUE: reject: RCPT from x[192.0.2.1]: 550 5.1.8 <a@b.example>: Sender address rejected: Domain not found; from=<a@b.example> to=<c@d.example> proto=ESMTP helo=<x>";
        let got = rfc5424_lines(&[line, "other"]).expect("RFC 5424");
        assert!(
            got[0]
                .starts_with("2026-12-05T08:44:10.221Z mx2 postfix/smtpd[3321]: NOQUEUE: reject:")
        );
        assert_eq!(got[1], "other");
        let b = super::super::parse(line.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("c@d.example"));
        assert_eq!(b.records[0].reply_code, Some(550));
        assert!(rfc5424_lines(&["<22> not it"]).is_none());
    }
}
