//! Parsing pasted text into a [`Bounce`]: one [`Record`] per failed recipient plus the
//! per-message facts (sender, timestamp, ids). No I/O and no UI here: text in, values out.

pub mod address;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Inputs beyond this many bytes are parsed only up to the limit (with a warning): a bounce's
/// useful parts sit at the top, and the parser must stay fast on a 50 MB paste.
pub const MAX_PARSE_BYTES: usize = 8 * 1024 * 1024;

/// The SMTP command the remote server was answering when it refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    #[serde(rename = "MAIL FROM")]
    MailFrom,
    #[serde(rename = "RCPT TO")]
    RcptTo,
    #[serde(rename = "DATA")]
    Data,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::MailFrom => "MAIL FROM",
            Stage::RcptTo => "RCPT TO",
            Stage::Data => "DATA",
        }
    }
}

/// What happened to the message for one recipient (RFC 3464 `Action`, plus the
/// non-failure kinds an agent may paste by mistake).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    #[default]
    Failed,
    Delayed,
    Delivered,
    Relayed,
    Expanded,
    /// A vacation / out-of-office reply, not a failure.
    AutoReplied,
    /// An ARF abuse / feedback report, not a failure.
    Feedback,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Failed => "failed",
            Action::Delayed => "delayed",
            Action::Delivered => "delivered",
            Action::Relayed => "relayed",
            Action::Expanded => "expanded",
            Action::AutoReplied => "auto-replied",
            Action::Feedback => "feedback",
        }
    }
}

/// Which kind of text was recognised; shown to the agent and used in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// RFC 3464 multipart/report with message/delivery-status.
    Dsn,
    /// An RFC 5322 message whose body is a plain-text bounce (Exim, Postfix, qmail, ...).
    Email,
    /// A body without headers (copied from a webmail view).
    Body,
    /// exim_mainlog lines.
    EximLog,
    /// Postfix maillog lines.
    PostfixLog,
    /// An SMTP session transcript (telnet, openssl s_client).
    Transcript,
    /// A mail client's or PHPMailer's error text, or a bare response line.
    ErrorText,
    #[default]
    Unknown,
}

/// One failed (or otherwise reported) recipient.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Record {
    pub recipient: Option<String>,
    /// RFC 3464 Original-Recipient, when it differs from the final one.
    pub original_recipient: Option<String>,
    pub reply_code: Option<u16>,
    /// The most specific enhanced status: the one inside the remote response when present,
    /// else the DSN `Status:` field. Never invented.
    pub status: Option<String>,
    /// The server's response, unfolded, as the server said it.
    pub diagnostic: Option<String>,
    pub stage: Option<Stage>,
    pub remote_host: Option<String>,
    pub remote_ip: Option<String>,
    pub action: Action,
    /// 0-based line in the input text where the deciding response starts, when it appears
    /// there verbatim (not inside a base64 or quoted-printable part). For highlighting.
    pub source_line: Option<usize>,
    /// Problems found in the recipient's address (and typo suggestions).
    pub address_problems: Vec<address::Problem>,
}

impl Record {
    /// `host [ip]`, `host` or `[ip]`, as the JSON contract's `remote_mta`.
    pub fn remote_mta(&self) -> Option<String> {
        match (&self.remote_host, &self.remote_ip) {
            (Some(h), Some(ip)) => Some(format!("{h} [{ip}]")),
            (Some(h), None) => Some(h.clone()),
            (None, Some(ip)) => Some(format!("[{ip}]")),
            (None, None) => None,
        }
    }
}

/// Everything parsed from one pasted bounce.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Bounce {
    pub format: Format,
    /// Envelope sender of the original message (Return-Path, X-Postfix-Sender, log `<=`).
    pub sender: Option<String>,
    /// `From:` of the returned original, when it is attached.
    pub header_from: Option<String>,
    /// The timestamp as printed in the bounce.
    pub timestamp_raw: Option<String>,
    pub timestamp: Option<DateTime<Utc>>,
    pub subject: Option<String>,
    /// Message-ID of the original message when known, else of the bounce.
    pub message_id: Option<String>,
    pub queue_id: Option<String>,
    pub reporting_mta: Option<String>,
    pub records: Vec<Record>,
    /// Things the agent should know about the parse (truncated input, odd charset, ...).
    pub warnings: Vec<String>,
}

/// Why a paste could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the input is empty")]
    Empty,
    #[error("the input looks like binary data, not a bounce ({0})")]
    Binary(String),
}

/// Parse pasted text (any of the formats the README lists). Never panics.
pub fn parse(input: &[u8]) -> Result<Bounce, ParseError> {
    // Placeholder until the engine lands: the first line carrying a 4xx/5xx reply.
    let text = String::from_utf8_lossy(input);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut bounce = Bounce::default();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        let code: Option<u16> = t.get(..3).and_then(|c| c.parse().ok());
        if let Some(code @ 400..=599) = code {
            bounce.records.push(Record {
                reply_code: Some(code),
                diagnostic: Some(t.to_string()),
                source_line: Some(n),
                ..Record::default()
            });
            break;
        }
    }
    Ok(bounce)
}
