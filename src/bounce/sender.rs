//! The envelope sender of a paste that carries no envelope: the report's own words name it
//! (a refusal of the sender, a bounce's account of the session, a mail client's error), and
//! a record whose only address is the one its refusal calls the sender's is no recipient.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{Bounce, Format, Record, Stage};
use super::pattern::re;
use super::vocabulary;

/// How much of a paste is searched for the sender's name: the report sits at the top.
const SCAN_BYTES: usize = 64 * 1024;

/// Fill `bounce.sender` from the words of `text` when nothing else gave it, and take that
/// address off any record that holds it as a failed recipient: a refusal of the sender
/// (`<x@y>: Sender address rejected`, `The sender address x@y was rejected`) lists no
/// recipient. A session's own `RCPT TO` stays a recipient even when it is the sender's
/// address too.
pub fn from_words(text: &str, bounce: &mut Bounce) {
    let Some(named) = named_in_words(text)
        .or_else(|| named_by_dialog(text, bounce))
        .or_else(|| named_by_sending_line(text, bounce))
    else {
        return;
    };
    // A sender known otherwise stays; the records lose the named address only when the
    // two agree.
    let sender = bounce.sender.get_or_insert_with(|| named.clone()).clone();
    if !sender.eq_ignore_ascii_case(&named) {
        return;
    }
    let transcript = bounce.format == Format::Transcript;
    for r in &mut bounce.records {
        let is_sender = r
            .recipient
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(&sender));
        if is_sender && !fails_own_address(r) && !(transcript && r.stage == Some(Stage::RcptTo)) {
            r.recipient = None;
        }
    }
}

/// Whether `r` is a mail loop's failure, which fails the sender's own address as a
/// recipient (a forward back to itself): the address stays the record's recipient even where
/// it is known as the sender, unless the words refuse it as the sender.
pub(super) fn fails_own_address(r: &Record) -> bool {
    r.diagnostic
        .as_deref()
        .is_some_and(|d| names_a_loop(d) && !refuses_the_sender(d))
}

/// Whether a reply's words tell of a mail loop (too many hops, a loop detected).
fn names_a_loop(diagnostic: &str) -> bool {
    let lower = diagnostic.to_ascii_lowercase();
    ["loop", "too many hops", "hop count"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Whether a reply's words refuse the sender's address (vocabulary `[sender-refusals]`).
pub(super) fn refuses_the_sender(diagnostic: &str) -> bool {
    let lower = diagnostic.to_ascii_lowercase();
    vocabulary::words("sender-refusals")
        .iter()
        .any(|w| lower.contains(w))
}

/// `553 5.7.1 <a@b>: Sender address rejected` names the sender, not a recipient: a record
/// whose only address is the one its refusal calls the sender's becomes the bounce's sender.
///
/// A DSN's Final-Recipient is a recipient whatever the words say: there only the second
/// rule applies.
pub fn refused_as_sender(bounce: &mut Bounce) {
    let dsn = bounce.format == Format::Dsn;
    for r in bounce.records.iter_mut().filter(|_| !dsn) {
        let (Some(rcpt), Some(diag)) = (r.recipient.as_deref(), r.diagnostic.as_deref()) else {
            continue;
        };
        if !refuses_the_sender(diag) || r.stage == Some(Stage::RcptTo) {
            continue;
        }
        // The address the words refuse as the sender, when they say which: another one they
        // name (`not owned by user x`, the login) is not it.
        let refused_is_rcpt = match named_in_words(diag) {
            Some(named) => super::address::clean_address(&named)
                .eq_ignore_ascii_case(&super::address::clean_address(rcpt)),
            None => diag
                .to_ascii_lowercase()
                .contains(&rcpt.to_ascii_lowercase()),
        };
        if refused_is_rcpt {
            // The server saw this address at MAIL FROM: it is the envelope sender, whoever
            // the notice was then addressed to (an ESP writes to the account's contact).
            bounce.sender = r
                .recipient
                .take()
                .map(|a| super::address::clean_address(&a));
        } else if r.stage == Some(Stage::MailFrom)
            && diag
                .to_ascii_lowercase()
                .contains(&rcpt.to_ascii_lowercase())
        {
            // A refusal at MAIL FROM fails no recipient of its own: the login it names
            // (`not owned by user x`) is none.
            r.recipient = None;
        }
    }
    // A refusal of another record's message that names the sender's address (`Sender
    // address x@y is not validated`) says what the envelope sender was, whoever the notice
    // was addressed to (an ESP writes to the account's contact).
    let named = bounce
        .records
        .iter()
        .filter_map(|r| r.diagnostic.as_deref())
        .filter(|d| refuses_the_sender(d))
        .find_map(named_in_words);
    if let Some(named) = named
        && !bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(&named))
        })
    {
        bounce.sender = Some(super::address::clean_address(&named));
    }
}

/// The returned original's `Return-Path: <x@y>` standing in a paste that kept nothing else of
/// its headers (a customer cut them, `[...]`): its envelope sender. The bounce's own
/// `Return-Path: <>` and a failed recipient's address are passed by.
pub(super) fn from_return_path(text: &str, bounce: &Bounce) -> Option<String> {
    text.lines().take(2000).find_map(|line| {
        let value = line
            .get(..12)
            .filter(|l| l.eq_ignore_ascii_case("return-path:"))
            .and_then(|_| line.get(12..))?;
        let addr = super::address::first_in(value)?;
        let failed = bounce.records.iter().any(|r| {
            r.recipient
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(addr))
        });
        (!failed && !super::ndr::is_daemon(addr)).then(|| addr.to_string())
    })
}

/// The first address the text names as the sender: after a label of vocabulary
/// `[sender-labels]`, or before Postfix's `: Sender address rejected`.
fn named_in_words(text: &str) -> Option<String> {
    let text = super::response::clip(text, SCAN_BYTES);
    // Same byte offsets as `text`: ASCII lowercasing keeps every byte's place.
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<(usize, &str)> = Vec::new();
    for label in vocabulary::words("sender-labels") {
        for (at, _) in lower.match_indices(label) {
            // A label starts a word: `-f` inside `contact-form@x` is no flag.
            if at > 0 && lower.as_bytes()[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let after = text.get(at + label.len()..).unwrap_or("");
            // A mail system's own address is never the sender a label names (a view's
            // From row over a bounce).
            found.extend(
                address_at_start(after)
                    .or_else(|| address_after_name(after))
                    .filter(|a| !super::ndr::is_daemon(a))
                    .map(|a| (at, a)),
            );
        }
    }
    for (at, _) in lower.match_indices(": sender address rejected") {
        let before = text.get(..at).unwrap_or("");
        found.extend(address_at_end(before).map(|a| (at, a)));
    }
    let best = found.into_iter().min_by_key(|(at, _)| *at);
    best.map(|(_, a)| a.to_string())
}

/// A client's error about the account's own address (vocabulary `[sender-dialogs]`): the
/// one address its records hold is the sender's.
fn named_by_dialog(text: &str, bounce: &Bounce) -> Option<String> {
    if !matches!(bounce.format, Format::ErrorText | Format::Body) {
        return None;
    }
    let lower = super::response::clip(text, SCAN_BYTES).to_ascii_lowercase();
    if !vocabulary::words("sender-dialogs")
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    // A reply that refuses a recipient names that recipient, whatever the dialog says.
    let refuses_a_recipient = bounce.records.iter().any(|r| {
        r.diagnostic.as_deref().is_some_and(|d| {
            let d = d.to_ascii_lowercase();
            vocabulary::words("recipient-refusals")
                .iter()
                .any(|w| d.contains(w))
        })
    });
    if refuses_a_recipient {
        return None;
    }
    let mut addresses = bounce.records.iter().filter_map(|r| r.recipient.as_deref());
    let first = addresses.next()?;
    addresses
        .all(|a| a.eq_ignore_ascii_case(first))
        .then(|| first.to_string())
}

/// An application's own log line about the mail it sends: `sending order confirmation from
/// x@y to z@w`, `Sending report to z@w from x@y via smtp...`, `msg="sending" from=x@y
/// to=z@w`, `Notification to z@w failed (from x@y)`; a customer's own sentence about it,
/// in their language (`no me deja enviar nada desde x@y`). Its `from` address is the
/// envelope sender, in a script's or an app's log (a client text) that names no sender
/// otherwise.
fn named_by_sending_line(text: &str, bounce: &Bounce) -> Option<String> {
    static SENDING: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)\b(?:send|sending|sent|deliver|delivering|dispatch|dispatching|mailing|queued?|queuing|notification|notifying)\b[^\n]{0,160}?\bfrom(?:=|: ?| )\s*[<"']?([A-Za-z0-9._%+!#$&'*/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"#,
        )
    });
    if !matches!(bounce.format, Format::ErrorText | Format::Body) {
        return None;
    }
    // The same in the customer's language (`no me deja enviar nada desde\nx@y`), looked
    // for only where one of its prepositions stands: its pattern is dear to build.
    static SENDING_ABROAD: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)\b(?:enviar|enviando|envío|envio|mandar|envoyer|envoi|senden|versenden|verzenden|inviare|invio)\b[^\n]*?\b(?:desde|depuis|von|vanaf)\s+[<"']?([A-Za-z0-9._%+!#$&'*/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"#,
        )
    });
    let text = super::response::clip(text, SCAN_BYTES);
    let named = match SENDING.captures(text) {
        Some(c) => c.get(1)?.as_str(),
        None => match from_before_the_recipient(text, bounce) {
            Some(named) => named,
            None => {
                let abroad = [" desde", " depuis", " von", " vanaf"]
                    .iter()
                    .any(|p| memchr::memmem::find(text.as_bytes(), p.as_bytes()).is_some());
                if !abroad {
                    return None;
                }
                SENDING_ABROAD.captures(text)?.get(1)?.as_str()
            }
        },
    };
    // A failed recipient is not the sender, whatever a line says.
    let refused = bounce.records.iter().any(|r| {
        r.recipient
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(named))
    });
    (!refused).then(|| named.to_string())
}

/// The address after `from` on a line that goes on `to` a failed recipient (OpenCart's
/// `Mail: order #1182 confirmation from x@y to z@w`): an app's line about the mail it sent,
/// whatever its verb.
fn from_before_the_recipient<'t>(text: &'t str, bounce: &Bounce) -> Option<&'t str> {
    let recipients: Vec<String> = bounce
        .records
        .iter()
        .filter_map(|r| r.recipient.as_deref())
        .map(str::to_ascii_lowercase)
        .collect();
    if recipients.is_empty() {
        return None;
    }
    text.lines().find_map(|line| {
        // Same byte offsets: ASCII lowercasing keeps every byte's place.
        let lower = line.to_ascii_lowercase();
        let (from_at, _) = lower
            .match_indices("from ")
            .find(|&(at, _)| at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric())?;
        let after = &line[from_at + 5..];
        let named = address_at_start(after)?;
        let rest = lower[from_at + 5..].get(after.find(named)? + named.len()..)?;
        let rest = rest.trim_start_matches(['>', '"', '\'']).trim_start();
        let to = rest
            .strip_prefix("to ")?
            .trim_start()
            .trim_start_matches(['<', '"', '\'']);
        recipients
            .iter()
            .any(|r| to.starts_with(r.as_str()))
            .then_some(named)
    })
}

/// A byte of an address as a server or client quotes it.
fn is_address_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-!#$&'*/=?^`{|}~@".contains(&b)
}

/// The address that opens `s` (after spaces, a `:` and a `<` or an opening quote, as
/// Apple Mail writes `The sender address "x@y" was rejected`), if one does.
fn address_at_start(s: &str) -> Option<&str> {
    let t = s
        .trim_start_matches([' ', '\t', '\r', '\n', ':', '='])
        // Spamhaus-style refusals bracket it (`Sender address [x@y] blocked using ...`).
        .trim_start_matches(['<', '[', '(', '"', '\'', '\u{201c}', '\u{ab}']);
    let end = t
        .bytes()
        .position(|b| !is_address_byte(b))
        .unwrap_or(t.len());
    plausible(t.get(..end)?.trim_end_matches(['.', ',', '\'']))
}

/// The address of a display name and an address in brackets opening `s` (`"Club" <x@y>`,
/// `Club <x@y>`), on the same line.
fn address_after_name(s: &str) -> Option<&str> {
    let line = s.lines().next()?;
    let open = line
        .get(..line.floor_char_boundary(line.len().min(80)))?
        .find('<')?;
    if line[..open].contains('@') || line[..open].trim().is_empty() {
        return None;
    }
    let rest = &line[open + 1..];
    address_at_start(&rest[..rest.find('>')?])
}

/// The address that closes `s` (before a `>`), if one does.
fn address_at_end(s: &str) -> Option<&str> {
    let t = s.trim_end().trim_end_matches('>');
    let start = t
        .bytes()
        .rposition(|b| !is_address_byte(b))
        .map_or(0, |i| i + 1);
    plausible(t.get(start..)?)
}

/// One `@`, with a local part and a domain label around it.
fn plausible(a: &str) -> Option<&str> {
    let (local, domain) = a.split_once('@')?;
    (!local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.bytes().any(|b| b.is_ascii_alphabetic()))
    .then_some(a)
}

#[cfg(test)]
mod tests {
    /// A loop fails the sender's own address: it stays the record's recipient.
    #[test]
    fn a_loop_to_the_sender_s_own_address_keeps_it() {
        let mut b = bounce_with(Format::Body, &["ann@near.example"]);
        b.records[0].diagnostic = Some("554 5.4.14 Hop count exceeded - possible mail loop".into());
        from_words("\"from\": \"ann@near.example\"", &mut b);
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("ann@near.example"));
    }

    /// An app's own log line names the sender; a failed recipient never is one.
    #[test]
    fn an_app_s_sending_line_names_the_sender() {
        for text in [
            "2026-12-03 INFO sending order confirmation #A-1 from noreply@near.example to bob@far.example\nERROR 554 5.7.1 <bob@far.example>: Relay access denied",
            "[INF] Sending monthly report to bob@far.example from noreply@near.example via smtp.near.example:587\n5.1.1 <bob@far.example>: User unknown",
            "time=x level=INFO msg=\"sending order mail\" from=noreply@near.example to=bob@far.example\nerr=\"553 5.1.3 <bob@far.example>: Bad recipient address syntax\"",
        ] {
            let mut b = bounce_with(Format::ErrorText, &["bob@far.example"]);
            from_words(text, &mut b);
            assert_eq!(b.sender.as_deref(), Some("noreply@near.example"), "{text}");
            assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        }
        // sendmail's envelope-sender flag.
        let mut b = bounce_with(Format::ErrorText, &["bob@far.example.cmo"]);
        from_words(
            "# sendmail -v -f ann@near.example bob@far.example.cmo\nbob@far.example.cmo... Host unknown",
            &mut b,
        );
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        let mut b = bounce_with(Format::ErrorText, &["bob@far.example"]);
        from_words(
            "sending mail from bob@far.example failed: 550 no such user",
            &mut b,
        );
        assert_eq!(b.sender, None);
    }

    use super::*;
    use crate::bounce::Record;

    #[test]
    fn a_customer_s_sentence_about_sending_names_the_sender() {
        let b = bounce_with(Format::Body, &["bob@far.example"]);
        let text = "Desde ayer no me deja enviar nada desde\nann@near.example. Me sale un cartel";
        assert_eq!(
            named_by_sending_line(text, &b).as_deref(),
            Some("ann@near.example")
        );
        let text = "Ich kann nichts senden von ann@near.example aus";
        assert_eq!(
            named_by_sending_line(text, &b).as_deref(),
            Some("ann@near.example")
        );
        // A failed recipient is never the sender; no sending verb, no sender.
        let text = "no puedo enviar desde bob@far.example";
        assert_eq!(named_by_sending_line(text, &b), None);
        assert_eq!(
            named_by_sending_line("mail desde ann@near.example", &b),
            None
        );
    }

    fn bounce_with(format: Format, recipients: &[&str]) -> Bounce {
        Bounce {
            format,
            records: recipients
                .iter()
                .map(|r| Record {
                    recipient: Some((*r).to_string()),
                    ..Record::default()
                })
                .collect(),
            ..Bounce::default()
        }
    }

    #[test]
    fn the_remotes_words_name_the_sender() {
        let text = "<ops@far.example>: host mx.far.example[203.0.113.4]\n    said: 553 5.1.8 <www@web1.localdomain>... Domain of sender address\n    www@web1.localdomain does not exist (in reply to MAIL FROM command)\n";
        let mut b = bounce_with(Format::Body, &["ops@far.example"]);
        from_words(text, &mut b);
        assert_eq!(b.sender.as_deref(), Some("www@web1.localdomain"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("ops@far.example"));
    }

    /// Scripts and structured logs name the sender in their own syntax.
    #[test]
    fn a_script_s_or_a_json_log_s_sender_field() {
        for text in [
            "$params = @{ From = 'ann@near.example'; To = 'bob@far.example' }",
            "Send-MailMessage -From \"ann@near.example\" -To bob@far.example",
            "{\"mail\":{\"from\":\"ann@near.example\",\"to\":[\"bob@far.example\"]}}",
        ] {
            assert_eq!(
                named_in_words(text).as_deref(),
                Some("ann@near.example"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_client_dialog_about_the_sender_lists_no_recipient() {
        let text = "Cannot send message using the server smtp.near.example.\n\nThe sender address ann@near.example was rejected by the server smtp.near.example.\n\nThe server response was: 554 5.7.1 Service unavailable\n";
        let mut b = bounce_with(Format::ErrorText, &["ann@near.example"]);
        from_words(text, &mut b);
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient, None);

        let outlook = "Task 'smtp.near.example - Sending' reported error (0x800CCC78) : 'Cannot send the message. Verify the email address in your account properties.  The server responded: 501 <ann@near..example>: domain missing or malformed'";
        let mut b = bounce_with(Format::ErrorText, &["ann@near..example"]);
        from_words(outlook, &mut b);
        assert_eq!(b.sender.as_deref(), Some("ann@near..example"));
        assert_eq!(b.records[0].recipient, None);
    }

    #[test]
    fn postfix_names_the_sender_before_its_refusal() {
        let text = "<bob@far.example>: host mx.far.example said: 550 5.1.8\n<shop@gone.example>: Sender address rejected: Domain not found (in reply to RCPT TO command)\n";
        let mut b = bounce_with(Format::Body, &["bob@far.example", "shop@gone.example"]);
        from_words(text, &mut b);
        assert_eq!(b.sender.as_deref(), Some("shop@gone.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.records[1].recipient, None);
    }

    #[test]
    fn a_known_sender_is_kept_and_a_sessions_rcpt_stays() {
        let text = "MAIL FROM:<me@near.example>\n250 ok\nRCPT TO:<me@near.example>\n550 5.1.1 no such user\n";
        let mut b = bounce_with(Format::Transcript, &["me@near.example"]);
        b.records[0].stage = Some(Stage::RcptTo);
        from_words(text, &mut b);
        assert_eq!(b.sender.as_deref(), Some("me@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("me@near.example"));

        let mut b = bounce_with(Format::Body, &["bob@far.example"]);
        b.sender = Some("ann@near.example".into());
        from_words(
            "Domain of sender address x@other.example does not exist",
            &mut b,
        );
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }
}
