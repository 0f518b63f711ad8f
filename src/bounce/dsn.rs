//! RFC 3464 delivery-status fields: the per-message block and one block per recipient.
//!
//! Works on the text of a message/delivery-status part, or on DSN-style fields that some
//! servers (and webmail copies) put in a plain-text body.

use super::model::{Action, Record};
use super::response::{self, Response};
use super::scan;

/// Field names (lowercase) and unfolded values, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
}

/// The parsed delivery-status: per-message fields, then each recipient's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryStatus {
    pub message: Fields,
    pub recipients: Vec<Fields>,
}

/// Fields that describe the whole message; they never start a recipient block.
const PER_MESSAGE: [&str; 8] = [
    "reporting-mta",
    "arrival-date",
    "received-from-mta",
    "dsn-gateway",
    "original-envelope-id",
    "x-postfix-queue-id",
    "x-postfix-sender",
    "x-original-message-id",
];

/// Parse delivery-status text. Folded values are unfolded; a new recipient starts at a blank
/// line or when a recipient field repeats (some servers omit the blank line).
pub fn parse(text: &str) -> DeliveryStatus {
    let mut out = DeliveryStatus::default();
    let mut current: Option<Fields> = None;
    let mut last: Option<(bool, usize)> = None; // (in recipient, index) of the field to fold into
    for line in super::lines::lines(text) {
        // A line opening with a letter (nearly every field) is not blank: the trim is
        // needed only for the rest.
        let opens_alnum = line
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric);
        if !opens_alnum && line.trim().is_empty() {
            if let Some(rec) = current.take() {
                out.recipients.push(rec);
            }
            last = None;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let target = match last {
                Some((true, i)) => current.as_mut().and_then(|c| c.0.get_mut(i)),
                Some((false, i)) => out.message.0.get_mut(i),
                None => None,
            };
            if let Some((_, v)) = target {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        // `:` is ASCII: its byte offset splits the line at a char boundary.
        let Some((name, value)) = memchr::memchr(b':', line.as_bytes())
            .and_then(|at| Some((line.get(..at)?, line.get(at + 1..)?)))
        else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.as_bytes().contains(&b' ') {
            continue;
        }
        let name = name.to_ascii_lowercase();
        let value = value.trim().to_string();
        let is_recipient_field = name == "final-recipient" || name == "original-recipient";
        if PER_MESSAGE.contains(&name.as_str()) && current.is_none() {
            out.message.0.push((name, value));
            last = Some((false, out.message.0.len() - 1));
            continue;
        }
        // Only a recipient field can start the next recipient: the block is searched
        // for no other.
        if let Some(rec) = current.as_mut().filter(|_| is_recipient_field) {
            // A recipient field seen again, or one after the block already had its outcome,
            // starts the next recipient.
            let has_recipient = rec.has("final-recipient") || rec.has("original-recipient");
            let has_outcome = rec.has("action") || rec.has("status") || rec.has("diagnostic-code");
            let after_recipient_field = rec
                .0
                .last()
                .is_some_and(|(n, _)| n == "final-recipient" || n == "original-recipient");
            let repeats =
                rec.has(&name) || (has_recipient && has_outcome && !after_recipient_field);
            if repeats && let Some(done) = current.take() {
                out.recipients.push(done);
            }
        }
        let rec = current.get_or_insert_with(Fields::default);
        rec.0.push((name, value));
        last = Some((true, rec.0.len() - 1));
    }
    if let Some(rec) = current.take() {
        out.recipients.push(rec);
    }
    // A block with neither recipient nor action nor status is stray per-message text.
    out.recipients.retain(|r| {
        r.has("final-recipient")
            || r.has("original-recipient")
            || r.has("action")
            || r.has("status")
    });
    out
}

/// `rfc822; <a@b.example>` → `a@b.example`.
pub fn strip_address_type(value: &str) -> String {
    let v = value.trim();
    let v = match v.split_once(';') {
        Some((kind, rest)) if !kind.contains('@') => rest,
        _ => v,
    };
    v.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// Whether a recipient field's value names an address type other than `rfc822` (`x400;`,
/// `x-local;`, ...) and holds no Internet address: a gateway's own address form.
fn is_foreign_address_type(value: &str) -> bool {
    match value.split_once(';') {
        Some((kind, rest)) => {
            let kind = kind.trim();
            !kind.contains('@')
                && !kind.eq_ignore_ascii_case("rfc822")
                && !kind.eq_ignore_ascii_case("utf-8")
                && !rest.contains('@')
        }
        None => false,
    }
}

/// `smtp; 553 ...` → `553 ...` (the diagnostic type is not part of the server's words).
pub fn strip_diagnostic_type(value: &str) -> &str {
    let v = value.trim();
    match v.split_once(';') {
        Some((kind, rest))
            if kind.len() <= 16 && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            rest.trim()
        }
        _ => v,
    }
}

/// The RFC 3464 Action word as ours; unknown words count as failed.
pub fn action_of(value: &str) -> Action {
    match value.trim().to_ascii_lowercase().as_str() {
        "delayed" => Action::Delayed,
        "delivered" => Action::Delivered,
        "relayed" => Action::Relayed,
        "expanded" => Action::Expanded,
        _ => Action::Failed,
    }
}

/// One record from one recipient block.
pub fn record_of(fields: &Fields) -> Record {
    // A source route (`@relay:user@host`) or a bare `@host` is no mailbox: prefer the
    // Original-Recipient then. So is an address of another type than `rfc822` (RFC 3464
    // 2.3.2: an X.400 gateway writes `x400; /S=user/OU=.../`): the Internet address the
    // sender wrote is the Original-Recipient's, when that one is of type rfc822.
    let usable = |r: &String| !r.is_empty() && !r.starts_with('@');
    let internet = |v: &&str| !is_foreign_address_type(v);
    let recipient = fields
        .get("final-recipient")
        .filter(internet)
        .map(strip_address_type)
        .filter(usable)
        .or_else(|| {
            fields
                .get("original-recipient")
                .map(strip_address_type)
                .filter(usable)
        })
        .or_else(|| fields.get("final-recipient").map(strip_address_type))
        .filter(|r| !r.is_empty());
    let original_recipient = fields
        .get("original-recipient")
        .map(strip_address_type)
        .filter(|o| !o.is_empty() && Some(o) != recipient.as_ref());
    let diagnostic = fields
        .get("diagnostic-code")
        .map(strip_diagnostic_type)
        .map(str::to_string)
        .filter(|d| !d.is_empty());
    let Response {
        reply_code,
        status: response_status,
        text,
    } = diagnostic
        .as_deref()
        .map(response::extract)
        .unwrap_or_default();
    let field_status = fields
        .get("status")
        .and_then(scan::find_status)
        .map(str::to_string);
    let mut remote_host = fields
        .get("remote-mta")
        .map(strip_diagnostic_type)
        .map(|h| h.trim_matches(['[', ']']).to_string())
        .filter(|h| !h.is_empty());
    let (found_host, mut remote_ip) = diagnostic
        .as_deref()
        .map(scan::find_remote_host)
        .unwrap_or_default();
    if remote_host.as_deref().is_some_and(looks_like_ip) {
        remote_ip = remote_host.take();
    }
    if remote_host.is_none() {
        remote_host = found_host;
    }
    let stage = diagnostic.as_deref().and_then(scan::find_stage);
    Record {
        recipient,
        original_recipient,
        reply_code,
        status: response_status.or(field_status),
        diagnostic: if text.is_empty() {
            diagnostic
        } else {
            Some(text)
        },
        stage,
        remote_host,
        remote_ip,
        action: fields.get("action").map(action_of).unwrap_or_default(),
        ..Record::default()
    }
}

pub fn looks_like_ip(s: &str) -> bool {
    !s.is_empty()
        && (s.chars().all(|c| c.is_ascii_digit() || c == '.') && s.contains('.')
            || s.contains(':')
                && s.chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_folding() {
        let ds = parse(
            "Reporting-MTA: dns; mx.example.org\nArrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\n\nFinal-Recipient: rfc822; a@one.example\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 553 sorry, that domain isn't\n    in my list of allowed rcpthosts (#5.7.1)\n\nFinal-Recipient: rfc822; b@two.example\nAction: delayed\nStatus: 4.4.1\n",
        );
        assert_eq!(ds.message.get("reporting-mta"), Some("dns; mx.example.org"));
        assert_eq!(ds.recipients.len(), 2);
        let r = record_of(&ds.recipients[0]);
        assert_eq!(r.recipient.as_deref(), Some("a@one.example"));
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)")
        );
        let r2 = record_of(&ds.recipients[1]);
        assert_eq!(r2.action, Action::Delayed);
        assert_eq!(r2.status.as_deref(), Some("4.4.1"));
    }

    /// An X.400 gateway's Final-Recipient (`x400; /S=user/...`) is no Internet address:
    /// the rfc822 Original-Recipient is the recipient.
    #[test]
    fn x400_final_recipient_gives_way_to_the_rfc822_original() {
        let ds = parse(
            "Reporting-MTA: x400; mta gw.example\n\nOriginal-Recipient: rfc822; ann@far.example\nFinal-Recipient: x400; /S=ann/OU=far/PRMD=EX/ADMD= /C=GB/\nAction: failed\nStatus: 4.4.7\n",
        );
        let r = record_of(&ds.recipients[0]);
        assert_eq!(r.recipient.as_deref(), Some("ann@far.example"));
        // The block's own reading keeps an rfc822 Final-Recipient; whether the record is
        // reported under the Original-Recipient instead is merge's choice.
        let ds = parse(
            "Original-Recipient: rfc822; ann@far.example\nFinal-Recipient: rfc822; ann.b@mbox.far.example\nAction: failed\nStatus: 5.1.1\n",
        );
        let r = record_of(&ds.recipients[0]);
        assert_eq!(r.recipient.as_deref(), Some("ann.b@mbox.far.example"));
    }

    #[test]
    fn recipient_without_blank_line_separation() {
        let ds = parse(
            "Final-Recipient: rfc822; a@x.example\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@x.example\nStatus: 5.1.1\n",
        );
        assert_eq!(ds.recipients.len(), 2);
    }
}
