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
    // Full lowercasing: the dialogs' wordings in Cyrillic and Greek open with capitals too.
    let head = response::clip(text, 8 * 1024).to_lowercase();
    super::vocabulary::words("client-dialogs")
        .iter()
        .any(|w| head.contains(w))
}

/// A client's error text or a bare response line: the first line holding a failure reply
/// (`SMTP ERROR: MAIL FROM command failed: 553 ...`, `The server responded: 553 ...`).
pub fn read(lines: &[&str], bounce: &mut Bounce) {
    if let Some(record) = phpmailer_recipients_failed(lines) {
        bounce.records.push(record);
        return;
    }
    // A failure reply; or, where the client quotes only the enhanced status (Apple Mail:
    // `The server response was: 5.1.8 <x>: Sender address rejected: Domain not found`),
    // that status opening the quoted words.
    let Some((n, line)) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| scan::find_failure_code(l).is_some())
        .or_else(|| {
            lines
                .iter()
                .enumerate()
                .find(|(_, l)| opens_with_failure_status(l))
        })
    else {
        read_words_only(lines, bounce);
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
    // The dialog's own sentence names the refused recipient as typed; else the address in
    // the reply, unless at MAIL FROM, where it is the sender's.
    let recipient = dialog_recipient(lines)
        .or_else(|| address_in(&r.text).filter(|_| stage != Some(Stage::MailFrom)));
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

/// A webmail's error after Send (Roundcube, Horde), copied with the compose screen's
/// header lines: the error names the refused recipient or the refused sender itself, and
/// the compose screen's `From:` is the sender; its `To:` is no sender (a bounce view's
/// would be). Corrects what the readers took from those lines.
pub(super) fn compose_error(text: &str, bounce: &mut Bounce) {
    let head = response::clip(text, 16 * 1024);
    // Every paste passes here: most are no compose error, and need no lowercased copy.
    if memchr::memmem::find(head.as_bytes(), b"ailed to ").is_none()
        && memchr::memmem::find(head.as_bytes(), b"send message").is_none()
        && memchr::memmem::find(head.as_bytes(), b"session failed").is_none()
    {
        return;
    }
    let lower = head.to_lowercase();
    if lower.len() != head.len() {
        return;
    }
    let named_after = |section: &str| {
        super::vocabulary::words(section).iter().find_map(|w| {
            let at = lower.find(w)? + w.len();
            let rest = head[at..].trim_start_matches([':', ' ']);
            let word = rest.split_whitespace().next()?;
            let addr = word.trim_matches(['"', '\'', '\u{201c}', '\u{201d}', '<', '>', ',', '.']);
            addr.contains('@').then(|| addr.to_string())
        })
    };
    let recipient = named_after("compose-recipient-errors");
    let refused_sender = named_after("compose-sender-errors");
    // An error bar that quotes the reply (SnappyMail's `Can't send message: 553 ...`): a
    // line that opens with the words, the reply's code after them.
    let quotes_the_reply = lower.lines().take(40).any(|l| {
        let l = l.trim_start();
        super::vocabulary::words("compose-errors").iter().any(|w| {
            l.strip_prefix(w)
                .is_some_and(|rest| rest.trim_start_matches([':', ' ']).starts_with(['4', '5']))
        })
    });
    if recipient.is_none() && refused_sender.is_none() && !quotes_the_reply {
        return;
    }
    let from_line = head.lines().take(40).find_map(|l| {
        let (label, value) = l.split_once(':')?;
        label
            .trim()
            .eq_ignore_ascii_case("from")
            .then(|| super::address::first_in(value).map(str::to_string))
            .flatten()
    });
    bounce.sender = refused_sender
        .clone()
        .or(from_line)
        .or(bounce.sender.take());
    let [only] = bounce.records.as_mut_slice() else {
        return;
    };
    if recipient.is_none() && refused_sender.is_none() {
        // The reply says whether the sender was refused; the compose screen's To is no
        // failed recipient then.
        let refuses_sender = only.diagnostic.as_deref().is_some_and(|d| {
            let d = d.to_ascii_lowercase();
            super::vocabulary::words("sender-refusals")
                .iter()
                .any(|w| d.contains(w))
        });
        if refuses_sender {
            only.recipient = None;
            only.stage = Some(Stage::MailFrom);
        }
        return;
    }
    if let Some(r) = recipient {
        only.recipient = Some(r);
        only.stage = only.stage.or(Some(Stage::RcptTo));
    } else {
        only.recipient = None;
        only.stage = Some(Stage::MailFrom);
    }
}

/// PHPMailer's `SMTP Error: The following recipients failed: x@y: <x@y>: Relay access
/// denied` (its `recipients_failed` message, each refused address with the server's
/// words, the reply code left out): the first refused recipient and its words.
fn phpmailer_recipients_failed(lines: &[&str]) -> Option<Record> {
    const LEAD: &str = "the following recipients failed: ";
    lines.iter().take(2000).enumerate().find_map(|(n, l)| {
        // Only a line that says "failed" (in any case) is lowercased and searched.
        let says_failed = memchr::memmem::find(l.as_bytes(), b"ailed").is_some()
            || memchr::memmem::find(l.as_bytes(), b"AILED").is_some();
        if !says_failed {
            return None;
        }
        let lower = l.to_ascii_lowercase();
        let at = lower.find(LEAD)? + LEAD.len();
        let rest = l.get(at..)?;
        // The words may start on the next line, where a log or a page wrapped the message
        // after the address (`... recipients failed: x@y:` then the reply).
        let (address, words) = match rest.split_once(": ") {
            Some(split) => (split.0, split.1.to_string()),
            None => {
                let address = rest.trim_end().strip_suffix(':')?;
                let next = lines[n + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .take_while(|l| !l.is_empty())
                    .take(4);
                (address, response::unfold(next))
            }
        };
        let address = address.trim().trim_matches(['<', '>']);
        if !address.contains('@') || address.contains(char::is_whitespace) || words.is_empty() {
            return None;
        }
        // A logger's context after the message (WooCommerce's ` CONTEXT: {...}`).
        let words = words.split(" CONTEXT: ").next().unwrap_or(&words).trim();
        Some(refused_at_rcpt(address, words, n))
    })
}

/// Records read from a reply code and status with no words around them (a logged context's
/// `"smtp_code":553`) take the words PHPMailer's list of refused recipients gives for the
/// same recipient; records that quote the server's words keep them. True when a record took
/// them.
pub fn words_for_wordless(lines: &[&str], records: &mut [Record]) -> bool {
    let wordless = |r: &Record| {
        r.diagnostic.as_deref().is_none_or(|d| {
            !d.split_whitespace()
                .any(|w| w.len() > 1 && w.chars().all(char::is_alphabetic))
        })
    };
    if !records.iter().any(wordless) {
        return false;
    }
    let Some(listed) = phpmailer_recipients_failed(lines) else {
        return false;
    };
    let same = |r: &Record| {
        r.recipient
            .as_deref()
            .zip(listed.recipient.as_deref())
            .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
    };
    let mut took = false;
    for r in records.iter_mut().filter(|r| same(r) && wordless(r)) {
        r.diagnostic.clone_from(&listed.diagnostic);
        r.reply_code = listed.reply_code.or(r.reply_code);
        r.status = listed.status.clone().or(r.status.take());
        r.stage = listed.stage;
        r.source_line = listed.source_line;
        took = true;
    }
    took
}

/// The record of a recipient a client says the server refused at RCPT TO with `words` (the
/// reply, its code perhaps left out), on line `n`.
fn refused_at_rcpt(address: &str, words: &str, n: usize) -> Record {
    let r = response::extract(words);
    Record {
        recipient: Some(address.to_string()),
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text).filter(|t| !t.is_empty()),
        stage: Some(Stage::RcptTo),
        action: Action::Failed,
        source_line: Some(n),
        ..Record::default()
    }
}

/// Python's smtplib refusing every recipient at RCPT TO (`sendmail` raises
/// `SMTPRecipientsRefused` with a dict of each refused address and the server's reply:
/// `{'x@y': (550, b'5.1.1 ... User unknown')}`): one record per address, at RCPT TO
/// whatever the reply's words say (smtplib raises `SMTPSenderRefused` for MAIL FROM).
pub fn python_recipients_refused(lines: &[&str]) -> Vec<Record> {
    const LEAD: &str = "SMTPRecipientsRefused: {";
    let Some((n, line)) = lines
        .iter()
        .take(5000)
        .enumerate()
        .find(|(_, l)| l.contains(LEAD))
    else {
        return Vec::new();
    };
    let mut rest = line.split_once(LEAD).map_or("", |(_, r)| r);
    let mut records = Vec::new();
    while let Some((address, code, words, after)) = python_refusal_entry(rest) {
        records.push(refused_at_rcpt(address, &format!("{code} {words}"), n));
        rest = after;
        if records.len() >= 256 {
            break;
        }
    }
    records
}

/// Python's smtplib refusing the sender at MAIL FROM (`SMTPSenderRefused: (550, b'5.4.6
/// ...', 'x@y')`, the exception's code, reply and the refused sender): the record, with no
/// recipient of its own, and the sender.
pub fn python_sender_refused(lines: &[&str]) -> Option<(Record, String)> {
    const LEAD: &str = "SMTPSenderRefused: (";
    let (n, line) = lines
        .iter()
        .take(5000)
        .enumerate()
        .find(|(_, l)| l.contains(LEAD))?;
    let rest = line.split_once(LEAD).map_or("", |(_, r)| r);
    let (code, words, after) = python_reply(rest)?;
    let after = after.strip_prefix(", ")?;
    let quote = after.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let (sender, _) = after[1..].split_once(quote)?;
    if !sender.contains('@') || sender.contains(char::is_whitespace) {
        return None;
    }
    let r = response::extract(&format!("{code} {words}"));
    let record = Record {
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text).filter(|t| !t.is_empty()),
        stage: Some(Stage::MailFrom),
        action: Action::Failed,
        source_line: Some(n),
        ..Record::default()
    };
    Some((record, sender.to_string()))
}

/// One `'x@y': (550, b'words')` entry of a Python dict's repr opening `s` (after commas and
/// spaces): the address, the code, the words (escapes undone) and what follows the entry.
fn python_refusal_entry(s: &str) -> Option<(&str, u16, String, &str)> {
    let s = s.trim_start_matches([',', ' ']);
    let quote = s.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let (address, s) = s[1..].split_once(quote)?;
    if !address.contains('@') || address.contains(char::is_whitespace) {
        return None;
    }
    let (code, words, after) = python_reply(s.strip_prefix(": (")?)?;
    let after = after.strip_prefix(')').unwrap_or(after);
    Some((address, code, words, after))
}

/// A reply as smtplib's exceptions hold it, `550, b'words'` opening `s`: the code, the
/// words (escapes undone) and what follows the closing quote.
fn python_reply(s: &str) -> Option<(u16, String, &str)> {
    let (code, s) = s.split_once(", b")?;
    let code: u16 = code
        .trim()
        .parse()
        .ok()
        .filter(|c| (400..600).contains(c))?;
    let quote = s.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let mut words = String::new();
    let mut chars = s[1..].char_indices();
    let end = loop {
        let (i, c) = chars.next()?;
        match c {
            '\\' => match chars.next()?.1 {
                'n' | 'r' | 't' => words.push(' '),
                other => words.push(other),
            },
            c if c == quote => break i + 1,
            c => words.push(c),
        }
    };
    Some((code, words, &s[1 + end..]))
}

/// Whether the words after the line's last colon-and-space (a dialog's `The server response
/// was: `) open with a 4.x.x / 5.x.x status.
fn opens_with_failure_status(line: &str) -> bool {
    let words = line.split_once(": ").map_or(line, |(_, w)| w).trim_start();
    let first = words.split_whitespace().next().unwrap_or("");
    scan::is_status_word(first) && first.starts_with(['4', '5'])
}

/// A client's dialog that quotes no reply, only its own sentence (iOS and Apple Mail: `The
/// recipient "x@y" was rejected by the server because it does not allow relaying.`): that
/// sentence is the record, for the address it names; an address the sentence calls the
/// sender's is the sender.
fn read_words_only(lines: &[&str], bounce: &mut Bounce) {
    let wordings = super::vocabulary::words("client-dialogs");
    let Some(n) = lines.iter().take(200).position(|l| {
        let lower = l.to_lowercase();
        wordings.iter().any(|w| lower.contains(w))
    }) else {
        return;
    };
    let sentence = response::unfold(
        lines[n..]
            .iter()
            .map(|l| response::clip(l, response::MAX_RESPONSE_BYTES).trim())
            .take_while(|l| !l.is_empty())
            .take(4),
    );
    let named = super::address::first_in(&sentence).map(str::to_string);
    let lower = sentence.to_ascii_lowercase();
    let about_sender = super::vocabulary::words("sender-labels")
        .iter()
        .any(|w| lower.contains(w));
    let mut stage = scan::find_stage(&sentence);
    if about_sender {
        bounce.sender = bounce.sender.take().or(named.clone());
        stage = stage.or(Some(Stage::MailFrom));
    } else if named.is_some() && lower.contains("recipient") {
        stage = stage.or(Some(Stage::RcptTo));
    }
    bounce.records.push(Record {
        recipient: named.filter(|_| !about_sender),
        diagnostic: Some(sentence),
        stage,
        action: Action::Failed,
        source_line: Some(n),
        ..Record::default()
    });
}

/// The address a client's dialog quotes after a word for "recipient" in the same sentence
/// (vocabulary `[dialog-recipient-words]`): `Die zurückgewiesene E-Mail-Adresse lautet
/// "x@y"`, `ha rechazado el destinatario “x@y”`. Taken as quoted, malformed or not: it is
/// what the customer typed.
pub(super) fn dialog_recipient(lines: &[&str]) -> Option<String> {
    quoted_after(lines, "dialog-recipient-words")
}

/// The account a client's dialog names (Outlook: `Account: 'x@y'`, vocabulary
/// `[dialog-account-labels]`): the address the customer sends from.
pub(super) fn dialog_account(lines: &[&str]) -> Option<String> {
    quoted_after(lines, "dialog-account-labels")
        .or_else(|| outlook_task_account(lines))
        .or_else(|| unquoted_account(lines))
        .or_else(|| lines.iter().take(60).find_map(|l| outbox_account(l)))
}

/// The account of an Outbox's title (`Outbox - x@y - Outlook`, `Caixa de Saída – x@y`;
/// vocabulary `[outbox-folders]`): the folder's name, a dash, the address.
pub(super) fn outbox_account(line: &str) -> Option<String> {
    let t = line.trim();
    let (folder, rest) = t
        .split_once(" - ")
        .or_else(|| t.split_once(" \u{2013} "))
        .or_else(|| t.split_once(" \u{2014} "))?;
    let folder = folder.trim().to_lowercase();
    if !super::vocabulary::words("outbox-folders").contains(&folder.as_str()) {
        return None;
    }
    let value = rest.split([' ', '\t']).next()?;
    let address = value.trim_matches(['<', '>', '(', ')', '"', '\'']);
    (address.matches('@').count() == 1).then(|| address.to_string())
}

/// The account unquoted: the address in a label's value at the start of a line (Mailbird's
/// `Account: x@y (smtp.host)`, KMail's `Account: Office (x@y)`), or after a customer's
/// phrase anywhere in a line ("My identity is x", "akun saya x"; a label with its colon
/// only opens a line).
fn unquoted_account(lines: &[&str]) -> Option<String> {
    let labels = super::vocabulary::words("dialog-account-labels");
    lines.iter().take(60).find_map(|l| {
        let t = l.trim();
        if let Some(value) = account_row_value(t) {
            return super::address::first_in(value).map(str::to_string);
        }
        let lower = t.to_lowercase();
        // Offsets in the lowercased line hold for the line only when both agree.
        if lower.len() != t.len() {
            return None;
        }
        let end = labels
            .iter()
            .filter(|w| !w.ends_with(':'))
            .find_map(|w| lower.find(*w).map(|at| at + w.len()))
            .or_else(|| {
                ACCOUNT_IS
                    .captures(t)
                    .and_then(|c| c.get(1))
                    .map(|m| m.start())
            })?;
        super::address::first_in(&t[end..]).map(str::to_string)
    })
}

/// A customer's "my account on the iPad is x@y" (a few words between the phrase and its
/// verb), the address right after it.
static ACCOUNT_IS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bmy (?:e-?mail )?(?:account|address|identity)(?: [^\s@]+){1,4}? is (<?[^\s@<>]+@)")
});

/// The value of a line opening with an account label (vocabulary `[dialog-account-labels]`,
/// its colon also full-width as Chinese and Japanese clients write it: `账号：x@y`): a
/// client's dialog or compose screen naming the account it sends from.
pub(super) fn account_row_value(line: &str) -> Option<&str> {
    let t = line.trim();
    let lower = t.to_lowercase();
    let opens_line = |w: &str| {
        lower.starts_with(w)
            || w.strip_suffix(':').is_some_and(|stem| {
                lower
                    .strip_prefix(stem)
                    .is_some_and(|rest| rest.starts_with('：'))
            })
    };
    let label = super::vocabulary::words("dialog-account-labels")
        .iter()
        .filter(|w| w.ends_with(':'))
        .find(|w| opens_line(w))?;
    // The label's characters, whichever colon (lowercasing may change byte lengths).
    let n = label.chars().count();
    t.char_indices().nth(n).map(|(at, _)| &t[at..])
}

/// The account in Outlook's Send/Receive error, which names its task after it in every
/// language (`Task 'x@y - Sending' reported error (0x800CCC78)`, `Aufgabe "x@y - Senden"
/// meldete Fehler (0x800CCC79)`): the address opening a quoted task name, on the line with
/// the error's hex code.
fn outlook_task_account(lines: &[&str]) -> Option<String> {
    lines.iter().take(60).find_map(|l| {
        if !l.contains("(0x800") {
            return None;
        }
        l.match_indices(" - ").find_map(|(at, _)| {
            let before = &l[..at];
            // Romanian, Polish, Czech and German open with a low quote (`„x - Trimitere”`).
            let open = before.rfind([
                '\'', '"', '\u{2018}', '\u{201c}', '\u{201e}', '\u{201a}', '\u{ab}',
            ])?;
            let quote_len = before[open..].chars().next()?.len_utf8();
            let inside = before[open + quote_len..].trim();
            super::address::first_in(inside)
                .filter(|a| *a == inside)
                .map(str::to_string)
        })
    })
}

/// The first quoted address after one of `section`'s words in the same sentence. The
/// dialog's lines are read joined: a screenshot's text or a narrow window wraps them.
fn quoted_after(lines: &[&str], section: &str) -> Option<String> {
    let words = super::vocabulary::words(section);
    let text = lines
        .iter()
        .take(60)
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths: the offsets found in the lowercased text hold
    // for the text only when both agree.
    if lower.len() != text.len() {
        return None;
    }
    let mut ends: Vec<usize> = words
        .iter()
        .flat_map(|w| lower.match_indices(w).map(move |(i, _)| i + w.len()))
        .collect();
    ends.sort_unstable();
    ends.into_iter().find_map(|at| {
        let after = &text[at..];
        let sentence_end = after.find(". ").unwrap_or(after.len()).min(160);
        quoted_address(after.get(..sentence_end).unwrap_or(after))
    })
}

/// The first quoted token holding an `@` and no white space (`"x"`, `“x”`, `'x'`, `«x»`).
fn quoted_address(text: &str) -> Option<String> {
    const PAIRS: [(char, char); 4] = [
        ('"', '"'),
        ('\u{201c}', '\u{201d}'),
        ('\'', '\''),
        ('«', '»'),
    ];
    let mut best: Option<(usize, String)> = None;
    for (open, close) in PAIRS {
        let Some(start) = text.find(open) else {
            continue;
        };
        let inner_from = start + open.len_utf8();
        let Some(len) = text[inner_from..].find(close) else {
            continue;
        };
        let inner = &text[inner_from..inner_from + len];
        let plausible = inner.contains('@')
            && !inner.contains(char::is_whitespace)
            && (3..=254).contains(&inner.len());
        if plausible && best.as_ref().is_none_or(|(at, _)| start < *at) {
            best = Some((start, inner.to_string()));
        }
    }
    best.map(|(_, a)| a)
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

    /// A client's error naming its account unquoted (Mailbird): the sender.
    #[test]
    fn python_s_recipients_refused_names_each_address_at_rcpt_to() {
        let line = r#"smtplib.SMTPRecipientsRefused: {'bob@far.example': (553, b'5.7.1 <ann@near.example>: Sender address rejected: not owned by user'), "cy@far.example": (550, b"5.1.1 it\'s unknown\r\n")}"#;
        let records = python_recipients_refused(&["Traceback", line]);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(records[0].reply_code, Some(553));
        assert_eq!(records[0].stage, Some(Stage::RcptTo));
        assert_eq!(records[0].source_line, Some(1));
        assert_eq!(records[1].recipient.as_deref(), Some("cy@far.example"));
        assert_eq!(records[1].status.as_deref(), Some("5.1.1"));
        assert!(
            records[1]
                .diagnostic
                .as_deref()
                .is_some_and(|d| d.contains("it's unknown"))
        );
        // Cut short or not a dict: what was read stays, nothing is made up.
        assert!(python_recipients_refused(&["SMTPRecipientsRefused: {'bob@far"]).is_empty());
        assert!(python_recipients_refused(&["SMTPRecipientsRefused: {}"]).is_empty());
    }

    #[test]
    fn an_outbox_title_names_the_account() {
        assert_eq!(
            outbox_account("Outbox - ann@near.example - Outlook").as_deref(),
            Some("ann@near.example")
        );
        assert_eq!(
            outbox_account("Caixa de Sa\u{ed}da \u{2013} ann@near.example").as_deref(),
            Some("ann@near.example")
        );
        // Another folder, or a sentence with a dash: no account.
        assert_eq!(outbox_account("Inbox - ann@near.example - Outlook"), None);
        assert_eq!(outbox_account("Outbox - stuck since Monday"), None);
    }

    #[test]
    fn python_s_refused_sender_is_the_sender() {
        let line = r#"smtplib.SMTPSenderRefused: (550, b'5.4.6 Unusual sending activity detected.', 'ann@near.example')"#;
        let (record, sender) = python_sender_refused(&["Traceback", line]).expect("read");
        assert_eq!(sender, "ann@near.example");
        assert_eq!(record.recipient, None);
        assert_eq!(record.reply_code, Some(550));
        assert_eq!(record.status.as_deref(), Some("5.4.6"));
        assert_eq!(record.stage, Some(Stage::MailFrom));
        assert_eq!(record.source_line, Some(1));
        // No sender after the reply (another exception's shape): nothing read.
        assert!(python_sender_refused(&["SMTPSenderRefused: (550, b'no')"]).is_none());
    }

    #[test]
    fn an_unquoted_account_names_the_sender() {
        let text = "  Sending failed\n  Your message couldnt be sent to bob@far.example\n  Account: ann@near.example (smtp.near.example)\n  Server responce: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    /// KMail's error in Bulgarian, its account's name before the address: the sender, not a
    /// refused recipient.
    #[test]
    fn an_account_named_by_its_name_and_address_is_the_sender() {
        let text = "KMail\nГрешка при изпращане на писмото.\nСметка: Офис (ann@near.example)\nСървърът отговори: \"553 Message rejected\"\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient, None);
        assert_eq!(b.records[0].reply_code, Some(553));
    }

    /// PHPMailer's list of refused recipients, in a WordPress shop's log.
    #[test]
    fn phpmailer_s_failed_recipients() {
        let text = "2026-12-03T10:22:11+00:00 ERROR wp_mail_failed: SMTP Error: The following recipients failed: bob@far.example: <bob@far.example>: Relay access denied CONTEXT: {\"to\":[\"bob@far.example\"]}\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("<bob@far.example>: Relay access denied")
        );
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-03T10:22:11+00:00")
        );
        // A shop's order note that wrapped the message after the address.
        let wrapped = "Order notes\n---\nSMTP Error: The following recipients failed: bob@far.example,ca:\nThe recipient address <bob@far.example,ca> is not a valid RFC 5321\naddress. 5a478bee46e88 - gsmtp\n\nOrder status changed.\n";
        let b = super::super::parse(wrapped.as_bytes()).expect("parsed");
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example,ca"));
        assert_eq!(
            r.diagnostic.as_deref(),
            Some(
                "The recipient address <bob@far.example,ca> is not a valid RFC 5321 address. 5a478bee46e88 - gsmtp"
            )
        );
    }

    /// The logger's context on the line below PHPMailer's message holds the reply's code and
    /// status as JSON values: they complete the record, PHPMailer's words stay its words.
    #[test]
    fn a_logged_context_s_code_completes_phpmailer_s_words() {
        let text = "2026-12-02T07:15:42+00:00 ERROR SMTP Error: The following recipients failed: bob@far.example: <ann@near.example>: Sender address rejected: not owned by user o@near.example\n2026-12-02T07:15:42+00:00 ERROR CONTEXT: {\"to\":\"bob@far.example\",\"from\":\"ann@near.example\",\"smtp_code\":553,\"smtp_code_ex\":\"5.7.1\"}\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("<ann@near.example>: Sender address rejected: not owned by user o@near.example")
        );
        assert_eq!(
            (r.reply_code, r.status.as_deref()),
            (Some(553), Some("5.7.1"))
        );
        assert_eq!(b.format, super::super::Format::ErrorText);
    }

    /// An error bar that quotes the reply: the compose screen's From is the sender; a
    /// refusal of the sender refuses no recipient.
    #[test]
    fn a_webmail_s_error_bar_quoting_the_reply() {
        let text = "Can't send message: 553 5.7.1 <me@near.example>: Sender address rejected: not owned by user o@near.example\n\nFrom:    Me <me@near.example>\nTo:      bob@far.example\nSubject: hi\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("me@near.example"));
        assert!(b.records.iter().all(|r| r.recipient.is_none()));
        assert_eq!(b.records[0].reply_code, Some(553));
        // Outlook's task name is its account.
        let outlook = "Task 'info@near.example - Sending' reported error (0x800CCC78) : 'Cannot send the message. Verify the e-mail address in your account properties.  The server responded: 554 5.7.1 <bob@far.example>: Relay access denied'.\n";
        let b = super::super::parse(outlook.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("info@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        // A customer's sentence names the account; the reply names no recipient.
        let pegasus = "Hello support,\n\nPegasus Mail will not send. My identity is ann@near.example. The error box says:\n\n   SMTP: Error from server during message transmission:\n   552 5.3.4 Message size exceeds fixed limit\n";
        let b = super::super::parse(pegasus.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert!(b.records.iter().all(|r| r.recipient.is_none()));
        // A ticket mail quoting a refusal of the sender: the address is the sender's.
        let ticket = "Subject: cant send from newsletter address\nRequester: Hanna\n\nI get this:\n\n  Sending failed\n  Server error: 553 5.7.1 <news@near.example>: Sender address rejected: not owned by user hanna@near.example\n";
        let b = super::super::parse(ticket.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("news@near.example"));
        assert!(b.records.iter().all(|r| r.recipient.is_none()));
        // mutt's compose screen: right-aligned labels, the status line under them.
        let mutt = "y:Send  q:Abort  t:To\n    From: Me <me@near.example>\n      To: bob@far.example\n Subject: photos\n\n-- Mutt: Compose  [Approx. msg size: 108M]---\nSMTP session failed: 552 5.3.4 Message size exceeds fixed limit\n";
        let b = super::super::parse(mutt.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("me@near.example"));
        assert_eq!(b.records[0].reply_code, Some(552));
    }

    /// Roundcube's and Horde's errors after Send name who was refused; the compose
    /// screen's From is the sender, its To no sender.
    #[test]
    fn a_webmail_s_error_after_send() {
        let mut b = Bounce {
            sender: Some("kids@list.example".into()),
            records: vec![Record {
                recipient: Some("me@near.example".into()),
                reply_code: Some(553),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        let roundcube = "From: Me <me@near.example>\nTo: kids@list.example\n\nSMTP Error (553): Failed to set sender \"me@near.example\" (5.7.1 <me@near.example>: Sender address rejected: not owned by user office@near.example).\n";
        compose_error(roundcube, &mut b);
        assert_eq!(b.sender.as_deref(), Some("me@near.example"));
        assert_eq!(b.records[0].recipient, None);
        assert_eq!(b.records[0].stage, Some(Stage::MailFrom));
        let mut b = Bounce {
            sender: Some("office@buero".into()),
            records: vec![Record {
                recipient: Some("k@near.example".into()),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        let horde = "There was an error sending your message: Failed to add recipient: office@buero [SMTP: Invalid response code received from server (code: 504, response: 5.5.2 <office@buero>: Recipient address rejected: need fully-qualified address)]\n\nFrom: Klaus <k@near.example>\nTo: office@buero\n";
        compose_error(horde, &mut b);
        assert_eq!(b.records[0].recipient.as_deref(), Some("office@buero"));
        assert_eq!(b.sender.as_deref(), Some("k@near.example"));
    }

    /// A dialog that quotes the enhanced status and the words, without the reply code.
    #[test]
    fn a_dialog_quoting_only_the_status() {
        let mut b = Bounce::default();
        read(
            &[
                "Cannot send message using the server smtp.near.example",
                "",
                "The server response was: 5.1.8 <me@near.example>: Sender address rejected: Domain not found",
            ],
            &mut b,
        );
        let r = &b.records[0];
        assert_eq!(r.status.as_deref(), Some("5.1.8"));
        assert!(
            r.diagnostic
                .as_deref()
                .is_some_and(|d| d.contains("Domain not found"))
        );
    }

    /// The dialog's sentence names the refused recipient as typed, before the address the
    /// reply names (here the sender's).
    #[test]
    fn the_recipient_a_dialog_quotes() {
        let mut b = Bounce::default();
        read(
            &[
                "Die Nachricht kann nicht gesendet werden. Einer der Empfänger wurde vom Server zurückgewiesen. Die zurückgewiesene E-Mail-Adresse lautet \"bob@far.example\". Betreff \"Hi\", Konto: \"ann@near.example\", Serverantwort: \"553 5.7.1 <ann@near.example>: Sender address rejected: not logged in\"",
            ],
            &mut b,
        );
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        let mut b = Bounce::default();
        read(
            &[
                "El servidor “smtp.near.example” ha rechazado el destinatario “maria@@far.example”.",
                "",
                "La respuesta del servidor fue: 501 5.1.3 Bad recipient address syntax",
            ],
            &mut b,
        );
        assert_eq!(
            b.records[0].recipient.as_deref(),
            Some("maria@@far.example")
        );
        // No recipient word before the quoted address: the reply's own.
        let mut b = Bounce::default();
        read(
            &["Account \"ann@near.example\": 550 5.1.1 <bob@far.example>: unknown"],
            &mut b,
        );
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

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

    /// iOS and Apple Mail say why without a reply code: the sentence is the record, for
    /// the recipient it names; a sentence about the sender address names the sender.
    #[test]
    fn a_dialog_without_a_reply_is_its_own_sentence() {
        let mut b = Bounce::default();
        read(
            &[
                "Cannot Send Mail",
                "A copy has been placed in your Outbox. The recipient \u{201c}jo@gmial.com\u{201d} was rejected by the server because it does not allow relaying.",
            ],
            &mut b,
        );
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("jo@gmial.com"));
        assert_eq!(r.stage, Some(Stage::RcptTo));
        assert_eq!(r.reply_code, None);
        assert!(
            r.diagnostic
                .as_deref()
                .is_some_and(|d| d.ends_with("does not allow relaying."))
        );
        let mut b = Bounce::default();
        read(
            &["The sender address \"ann@near.example\" was rejected by the server."],
            &mut b,
        );
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient, None);
        assert_eq!(b.records[0].stage, Some(Stage::MailFrom));
        let mut b = Bounce::default();
        read(&["Hello, can you check my mail?"], &mut b);
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
