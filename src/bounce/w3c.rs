//! The SMTP log of IIS (Windows' SMTP service, a web server's relay for its scripts) in
//! W3C extended format: a `#Fields:` line names the columns, each row is one command or
//! one reply, with every space in a value written as `+`. Read as the session it records,
//! so that the transcript reader finds the commands and the replies.
//!
//! An outbound row (`cs-username` `OutboundConnectionCommand` / `...Response`) holds the
//! command in `cs-method` and its argument, or the whole reply, in `cs-uri-query`. An inbound
//! row holds the client's command the same way and only the reply's code, in `sc-status`.

use chrono::{DateTime, Utc};

/// Rows read at most: a pasted excerpt is short, a whole day's log is not read to its end.
const MAX_ROWS: usize = 5000;

/// The session an IIS SMTP log records.
pub struct Session {
    /// One command or reply per line, each after its row's `date time`.
    pub lines: Vec<String>,
    /// The time of the first 4xx/5xx reply (W3C logs are written in UTC), as written.
    pub failure: Option<(DateTime<Utc>, String)>,
}

/// The session in `lines` when they are an IIS SMTP log in W3C extended format.
pub fn session(lines: &[&str]) -> Option<Session> {
    let fields_at = lines
        .iter()
        .take(200)
        .position(|l| l.trim_start().starts_with("#Fields:"))?;
    let names: Vec<&str> = lines[fields_at]
        .trim_start()
        .trim_start_matches("#Fields:")
        .split_whitespace()
        .collect();
    let column = |name: &str| names.iter().position(|n| *n == name);
    let (method, query) = (column("cs-method")?, column("cs-uri-query")?);
    let (date, time) = (column("date"), column("time"));
    let status = column("sc-status");
    // The columns read, up to the last of them: rows are not always as long as the
    // `#Fields:` line says (IIS pads some with `-`, a paste may cut the end), and no value
    // holds a space, so the columns before stay in place.
    let needed = [Some(method), Some(query), date, time, status]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(query)
        + 1;
    let mut session = Session {
        lines: Vec::new(),
        failure: None,
    };
    for row in lines[fields_at + 1..].iter().take(MAX_ROWS) {
        if row.trim_start().starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = row.split_whitespace().collect();
        if cells.len() < needed || cells.len() > names.len() + 4 {
            continue;
        }
        let value = |i: usize| {
            Some(cells[i])
                .filter(|v| *v != "-")
                .map(|v| v.replace('+', " ").trim().to_string())
        };
        let stamp = match (date, time) {
            (Some(d), Some(t)) => format!("{} {}", cells[d], cells[t]),
            _ => String::new(),
        };
        let mut said = Vec::new();
        match (value(method), value(query)) {
            (Some(command), argument) => {
                said.push(format!("{command} {}", argument.unwrap_or_default()));
                // Inbound: the reply is only its code.
                if let Some(code) = status.and_then(value).filter(|c| is_refusal(c)) {
                    said.push(code);
                }
            }
            (None, Some(reply)) => said.push(reply),
            (None, None) => {}
        }
        for line in said {
            if session.failure.is_none() && is_refusal(&line) {
                session.failure = super::time::parse_log_time(&stamp).map(|t| (t, stamp.clone()));
            }
            session.lines.push(format!("{stamp} {}", line.trim_end()));
        }
    }
    (!session.lines.is_empty()).then_some(session)
}

/// A 4xx or 5xx reply.
fn is_refusal(reply: &str) -> bool {
    let b = reply.as_bytes();
    b.len() >= 3 && matches!(b[0], b'4' | b'5') && b[1..3].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTBOUND: &str = "#Software: Microsoft Internet Information Services 10.0
#Version: 1.0
#Date: 2026-12-02 14:03:10
#Fields: date time c-ip cs-username s-sitename s-computername s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status sc-win32-status sc-bytes cs-bytes time-taken cs-version cs-host cs(User-Agent)
2026-12-02 14:03:10 198.51.100.25 OutboundConnectionResponse SMTPSVC1 WEB01 - 25 - - 220+relay.isp.example+ESMTP 0 0 95 0 31 SMTP - - -
2026-12-02 14:03:11 198.51.100.25 OutboundConnectionCommand SMTPSVC1 WEB01 - 25 MAIL - FROM:<app@corp.invalid>+SIZE=2210 0 0 4 0 62 SMTP - - -
2026-12-02 14:03:11 198.51.100.25 OutboundConnectionResponse SMTPSVC1 WEB01 - 25 - - 553+5.1.8+<app@corp.invalid>...+Domain+of+sender+address+app@corp.invalid+does+not+exist 0 0 96 0 78 SMTP - - -
2026-12-02 14:03:11 198.51.100.25 OutboundConnectionCommand SMTPSVC1 WEB01 - 25 QUIT - - 0 0 4 0 78 SMTP - - -";

    #[test]
    fn an_outbound_session_as_its_commands_and_replies() {
        let lines: Vec<&str> = OUTBOUND.lines().collect();
        let s = session(&lines).expect("an IIS SMTP log");
        assert_eq!(
            s.lines,
            [
                "2026-12-02 14:03:10 220 relay.isp.example ESMTP",
                "2026-12-02 14:03:11 MAIL FROM:<app@corp.invalid> SIZE=2210",
                "2026-12-02 14:03:11 553 5.1.8 <app@corp.invalid>... Domain of sender address app@corp.invalid does not exist",
                "2026-12-02 14:03:11 QUIT",
            ]
        );
        assert_eq!(
            s.failure.map(|(t, _)| t.to_rfc3339()).as_deref(),
            Some("2026-12-02T14:03:11+00:00")
        );
        // Read whole: the refused sender, no recipient, the reply's time.
        let b = super::super::parse(OUTBOUND.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("app@corp.invalid"));
        assert!(b.records.iter().all(|r| r.recipient.is_none()));
        assert_eq!(b.records[0].reply_code, Some(553));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-02T14:03:11+00:00")
        );
    }

    #[test]
    fn an_inbound_refusal_is_its_status_code() {
        let log = "#Fields: date time c-ip cs-username cs-method cs-uri-query sc-status
2026-12-02 09:00:01 203.0.113.5 client.example RCPT +TO:<bob@far.example> 550";
        let lines: Vec<&str> = log.lines().collect();
        let s = session(&lines).expect("an IIS SMTP log");
        assert_eq!(
            s.lines,
            [
                "2026-12-02 09:00:01 RCPT TO:<bob@far.example>",
                "2026-12-02 09:00:01 550"
            ]
        );
    }

    #[test]
    fn other_text_is_no_such_log() {
        assert!(session(&["#Fields: date time", "2026-12-02 09:00:01 x"]).is_none());
        assert!(session(&["RCPT TO:<a@b.example>", "550 no"]).is_none());
    }
}
