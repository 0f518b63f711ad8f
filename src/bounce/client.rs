//! A mail client's or a script's error text (a dialog, PHPMailer's `SMTP ERROR: ...`) or a
//! bare response line: no session, no report, just the server's refusal as the client
//! was told it.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{Action, Bounce, Record, Stage};
use super::pattern::re;
use super::response;
use super::scan;

/// Whether `text` is a mail client's error dialog (vocabulary `[client-dialogs]`: Apple
/// Mail's "Cannot send message using the server", Outlook's "The server responded:",
/// Thunderbird's "Sending of the message failed"): the refusal it quotes is what the
/// customer's own outgoing server told their client, whatever other reader found it.
pub fn is_dialog(text: &str) -> bool {
    let head = response::clip(text, 8 * 1024).to_ascii_lowercase();
    super::vocabulary::words("client-dialogs")
        .iter()
        .any(|w| head.contains(w))
}

/// A client's error text or a bare response line: the first line holding a failure reply
/// (`SMTP ERROR: MAIL FROM command failed: 553 ...`, `The server responded: 553 ...`).
pub fn read(lines: &[&str], bounce: &mut Bounce) {
    let Some((n, line)) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| scan::find_failure_code(l).is_some())
    else {
        return;
    };
    // A multi-line reply pasted as is: join its lines.
    let mut parts = vec![response::clip(line, response::MAX_RESPONSE_BYTES).trim()];
    let code = scan::find_failure_code(line).map(|(_, c)| c);
    for next in lines.iter().skip(n + 1).take(64) {
        let t = response::clip(next, response::MAX_RESPONSE_BYTES).trim();
        let next_code = scan::find_reply_code(t);
        if t.is_empty() || next_code.is_none_or(|(at, c)| at != 0 || Some(c) != code) {
            break;
        }
        parts.push(t);
    }
    let joined = response::unfold(parts);
    let r = response::extract(&joined);
    let stage = scan::find_stage(&joined);
    // At MAIL FROM the address in the reply is the sender's, not a recipient.
    let recipient = address_in(&r.text).filter(|_| stage != Some(Stage::MailFrom));
    bounce.records.push(Record {
        recipient,
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text),
        stage,
        action: Action::Failed,
        source_line: Some(n),
        ..Record::default()
    });
}

fn address_in(text: &str) -> Option<String> {
    static ADDR: LazyLock<Regex> = LazyLock::new(|| re(r"<([^<>\s@]+@[^<>\s@]+)>"));
    ADDR.captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first failing line and its continuation lines make the record; at MAIL FROM the
    /// address in the reply is the sender's.
    #[test]
    fn a_dialog_text_is_one_record() {
        let mut b = Bounce::default();
        read(
            &[
                "Message not sent.",
                "SMTP ERROR: MAIL FROM command failed: 553 5.7.1 <ann@shop.example>: not owned",
            ],
            &mut b,
        );
        let r = &b.records[0];
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        assert_eq!(r.stage, Some(Stage::MailFrom));
        assert_eq!(r.recipient, None);
        assert_eq!(r.source_line, Some(1));
        // A multi-line reply pasted as is is one response.
        let mut b = Bounce::default();
        read(
            &[
                "554-5.7.1 first part",
                "554 5.7.1 second part",
                "",
                "554 other",
            ],
            &mut b,
        );
        assert_eq!(b.records.len(), 1);
        assert_eq!(
            b.records[0].diagnostic.as_deref(),
            Some("554-5.7.1 first part second part")
        );
        let mut b = Bounce::default();
        read(&["550 5.1.1 <bob@far.example>: no such user"], &mut b);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        let mut b = Bounce::default();
        read(&["all went well", "250 ok"], &mut b);
        assert!(b.records.is_empty());
    }

    #[test]
    fn a_client_dialog_is_told_from_a_report() {
        assert!(is_dialog(
            "Cannot send message using the server smtp.near.example.\n\nThe sender address ann@near.example was rejected by the server smtp.near.example.\n\nThe server response was: 554 5.7.1 Service unavailable\n"
        ));
        assert!(is_dialog(
            "Sending of the message failed.\nAn error occurred while sending mail. The mail server responded: 553 sorry."
        ));
        assert!(!is_dialog(
            "This is the mail system at host relay.near.example.\n\n<bob@far.example>: host mx.far.example said: 550 5.1.1 unknown\n"
        ));
    }
}
