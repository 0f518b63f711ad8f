//! The parser's results: a [`Bounce`] with one [`Record`] per failed recipient, and the
//! [`Facts`] it shows. Every step of the pipeline reads and writes these; they depend on
//! nothing else of the parser but the address checks' findings.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::address;

/// The SMTP command the remote server was answering when it refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// The server's greeting: it refused the connection itself (`554` banner, Exim's
    /// `after initial connection`, Postfix's `refused to talk to me`).
    #[serde(rename = "CONNECT")]
    Connect,
    /// EHLO, HELO or LHLO.
    #[serde(rename = "HELO")]
    Helo,
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
            Stage::Connect => "CONNECT",
            Stage::Helo => "HELO",
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
    /// A failure's action by whether it is permanent: failed, or delayed (to be retried).
    pub fn of_failure(permanent: bool) -> Action {
        if permanent {
            Action::Failed
        } else {
            Action::Delayed
        }
    }

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
    /// The address the sender wrote (RFC 3464 Original-Recipient, Sendmail's `expanded
    /// from:`), when the record names another one: the address the message was forwarded to.
    pub original_recipient: Option<String>,
    /// The mailbox the recipient's own site expanded `recipient` to (an alias's target,
    /// a local delivery agent's name), when the record names the address the sender wrote
    /// instead. At most one of this and `original_recipient` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_recipient: Option<String>,
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
    /// The other address the bounce gives this record: the one the sender wrote, or the
    /// one the recipient's site expanded it to.
    pub fn also_named(&self) -> Option<&str> {
        self.original_recipient
            .as_deref()
            .or(self.final_recipient.as_deref())
    }

    /// A temporary failure: the server will retry (4xx reply, 4.x.x status, or a delayed
    /// action).
    pub fn is_temporary(&self) -> bool {
        self.action == Action::Delayed
            || self.reply_code.is_some_and(|c| (400..500).contains(&c))
            || self.status.as_deref().is_some_and(|s| s.starts_with('4'))
    }

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

/// What a bounce's timestamp is the time of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum TimestampBasis {
    /// The report's own: its Date, the failure's log line, the refusal in a client log.
    #[default]
    Report,
    /// An SMTP session's greeting: the session, and its refusal, happened then.
    Greeting,
    /// When the returned message was sent: the paste shows no time of the failure itself.
    OriginalSent,
    /// When the reporting server received the message (a DSN's `Arrival-Date`, Sendmail's
    /// "The original message was received at"): the paste shows no time of the failure.
    Arrived,
    /// The bounce's date as a mail client showed it (a reading pane's `Sent:`, a reply's
    /// "On ... wrote:"), in the client's own zone, which the paste does not give.
    ClientLocal,
    /// When the customer posted the error (a helpdesk ticket's message, a chat's message):
    /// the paste shows no time of the failure itself.
    Posted,
}

impl TimestampBasis {
    /// How a screen or a summary qualifies the time, when it is not the report's own.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            TimestampBasis::Report => None,
            TimestampBasis::Greeting => Some("the SMTP greeting's time"),
            TimestampBasis::OriginalSent => {
                Some("when the message was sent: the bounce shows no time of its own")
            }
            TimestampBasis::Arrived => {
                Some("received by the reporting server: the bounce shows no time of its own")
            }
            TimestampBasis::ClientLocal => {
                Some("as the mail client showed it, in a zone it does not give; read as UTC")
            }
            TimestampBasis::Posted => {
                Some("when the customer posted it: the paste shows no time of the failure")
            }
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
    /// Where the timestamp was read: the report's own time, or a stand-in for a paste that
    /// shows none.
    #[serde(default)]
    pub timestamp_basis: TimestampBasis,
    pub subject: Option<String>,
    /// Message-ID of the original message when known, else of the bounce.
    pub message_id: Option<String>,
    pub queue_id: Option<String>,
    pub reporting_mta: Option<String>,
    pub records: Vec<Record>,
    /// Things the agent should know about the parse (truncated input, odd charset, ...).
    pub warnings: Vec<String>,
    /// The situation the bounce shows (who refused, authentication, reporting system).
    #[serde(default)]
    pub facts: Facts,
}

/// Which server refused the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefusedBy {
    /// Our own server: the customer's client or script talked to it and was refused.
    Local,
    /// A remote MX (the recipient's server): in our server's bounce, or the server a
    /// pasted session spoke to.
    Remote,
}

/// The mail software that wrote the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportingSystem {
    Exim,
    Postfix,
    Qmail,
    Sendmail,
    Exchange,
    Gmail,
    Courier,
    Opensmtpd,
    Other,
}

/// What the bounce shows about the situation. Every field is `None` when the bounce does not
/// say: a fact is never guessed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    pub refused_by: Option<RefusedBy>,
    pub authenticated: Option<bool>,
    pub reporting_system: Option<ReportingSystem>,
    pub sending_ip: Option<IpAddr>,
}
