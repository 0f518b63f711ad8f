//! What a sending service's JSON says, whichever reader found it (`ses.rs` for Amazon SES
//! notifications, `events.rs` for other services' delivery events), and how such JSON is
//! read when a mail system or a terminal folded its long lines.

use serde_json::Value;

use super::model::Record;

/// The records of one paste of a service's JSON, and what it says of the message.
#[derive(Debug, Default)]
pub struct ServiceReport {
    pub records: Vec<Record>,
    pub sender: Option<String>,
    /// When the service reported the outcome (not when the message was sent), as written.
    pub timestamp: Option<String>,
    pub reporting_mta: Option<String>,
    pub message_id: Option<String>,
}

/// A JSON text, also when its long lines were folded (a line break, perhaps CRLF, and a
/// space inside a string, which JSON does not allow).
pub fn parse_json(json: &str) -> Option<Value> {
    serde_json::from_str(json).ok().or_else(|| {
        let unfolded = json
            .replace("\r\n", "\n")
            .replace("\n ", "")
            .replace('\n', "");
        serde_json::from_str(&unfolded).ok()
    })
}
