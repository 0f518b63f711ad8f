//! The recipient a pasted sending command or script names, for a refusal that names none
//! (the server refused the sender, so no RCPT TO was sent): PowerShell's
//! `Send-MailMessage -To "x"`, swaks' `--to x`, curl's `--mail-rcpt x`, the address
//! arguments of `msmtp`, `sendmail`, `mail`, `mailx` and `s-nail`; else a script's or a
//! client log's own line announcing the send (`notify: sending nightly report to x via
//! host`, nodemailer's `Sending message <id> to <x>`).

use super::{address, vocabulary};

/// Options whose value is the recipient.
const RECIPIENT_OPTIONS: [&str; 3] = ["-to", "--to", "--mail-rcpt"];
/// Commands that take their recipients as plain arguments.
const SENDING_COMMANDS: [&str; 5] = ["msmtp", "sendmail", "mail", "mailx", "s-nail"];
/// Their options whose value is an address other than a recipient (the sender, the
/// account, a reply address).
const OTHER_ADDRESS_OPTIONS: [&str; 7] = ["-f", "-r", "-a", "--from", "--account", "-c", "-b"];

/// The one recipient the sending commands in `lines` name, else the one the lines
/// announcing a send name, when exactly one address is.
pub(super) fn recipient(lines: &[&str]) -> Option<String> {
    only_one(lines, recipients_of).or_else(|| only_one(lines, announced_recipient))
}

/// The address `read` finds in `lines`, when all it finds is one address.
fn only_one<I: IntoIterator<Item = String>>(
    lines: &[&str],
    read: impl Fn(&str) -> I,
) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    for line in lines.iter().take(400) {
        for address in read(line) {
            if !found.iter().any(|f| f.eq_ignore_ascii_case(&address)) {
                found.push(address);
            }
        }
    }
    match found.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// The address after the preposition on a line that says it is sending, in the app's
/// language (vocabulary `[send-announcements]`: `sending nightly report to x@y via host`,
/// `Sending message <id> to <x@y>`, `Falha ao enviar e-mail para x@y`).
fn announced_recipient(line: &str) -> Option<String> {
    // Lowercasing may change byte lengths: offsets in the copy hold only when both agree.
    let lower = line.to_lowercase();
    if lower.len() != line.len() {
        return None;
    }
    vocabulary::words("send-announcements")
        .iter()
        .find_map(|pair| {
            let (verb, preposition) = pair.split_once(" … ")?;
            let sending = lower.find(&format!("{verb} "))?;
            let after = sending + verb.len();
            // The preposition as a word, a colon allowed after it (Zammad's `Send email
            // to: 'x@y'`).
            let spaced = format!(" {preposition}");
            let to = lower[after..]
                .match_indices(&spaced)
                .map(|(at, _)| at + after)
                .find(|&at| matches!(lower.as_bytes().get(at + spaced.len()), Some(b' ' | b':')))?;
            // A mail system sending its bounce (Haraka's `Sending bounce to <x>`) sends it
            // to the sender.
            let between = &lower[sending..to];
            if between.contains("bounce") || between.contains(" dsn ") {
                return None;
            }
            let next = line[to + spaced.len() + 1..].split_whitespace().next()?;
            address::first_in(next).map(str::to_string)
        })
}

/// The recipients one command line names.
fn recipients_of(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    // The command: opening the line, or after a prompt (`$`, `#`, `>`, `%`), a pipe or
    // `sudo`. Unix commands are written in lower case; PowerShell's in any.
    let Some((start, name)) = words.iter().enumerate().find_map(|(i, w)| {
        let after_prompt = i > 0
            && (words[i - 1].ends_with(['$', '#', '>', '%'])
                || matches!(words[i - 1], "|" | "sudo" | "&&" | ";"));
        // Opening a line, a command shows an option next (`mail -s ...`): a sentence
        // opening with "mail" is no command.
        let opens_a_command = i == 0 && words.get(1).is_some_and(|next| next.starts_with('-'));
        let name = w.rsplit('/').next().unwrap_or(w);
        let sends = name.eq_ignore_ascii_case("send-mailmessage")
            || name == "swaks"
            || name == "curl"
            || SENDING_COMMANDS.contains(&name);
        ((after_prompt || opens_a_command) && sends).then_some((i, name))
    }) else {
        return Vec::new();
    };
    let takes_plain_arguments = SENDING_COMMANDS.contains(&name);
    let mut out = Vec::new();
    let mut i = start + 1;
    while i < words.len() {
        let word = words[i];
        if word == "|" || word == ";" || word == "&&" {
            break;
        }
        let lower = word.to_ascii_lowercase();
        let (option, glued) = match lower.split_once('=') {
            Some((o, _)) if o.starts_with('-') => {
                (o.to_string(), word.split_once('=').map(|(_, v)| v))
            }
            _ => (lower.clone(), None),
        };
        if RECIPIENT_OPTIONS.contains(&option.as_str()) {
            let value = glued.or_else(|| words.get(i + 1).copied()).unwrap_or("");
            out.extend(address::first_in(value).map(str::to_string));
            i += if glued.is_some() { 1 } else { 2 };
            continue;
        }
        if option.starts_with('-') {
            // An option with its value: the value is no recipient.
            let skips_value = OTHER_ADDRESS_OPTIONS.contains(&option.as_str()) && glued.is_none();
            i += if skips_value { 2 } else { 1 };
            continue;
        }
        if takes_plain_arguments && let Some(a) = address::first_in(word) {
            out.push(a.to_string());
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipient_a_sending_command_names() {
        let ps = r#"PS C:\> Send-MailMessage -SmtpServer mx.example -From "scan@near.example" -To "buy@far.example" -Subject "T""#;
        assert_eq!(recipient(&[ps]).as_deref(), Some("buy@far.example"));
        let msmtp = "admin@nas:~$ printf 'x' | msmtp --debug -f me@near.example ops@far.example";
        assert_eq!(recipient(&[msmtp]).as_deref(), Some("ops@far.example"));
        let swaks = "$ swaks --to=ann@far.example --from bob@near.example --server mx";
        assert_eq!(recipient(&[swaks]).as_deref(), Some("ann@far.example"));
        let curl = "$ curl smtp://mx --mail-from a@near.example --mail-rcpt b@far.example -T m.txt";
        assert_eq!(recipient(&[curl]).as_deref(), Some("b@far.example"));
    }

    #[test]
    fn no_command_or_two_recipients_name_none() {
        assert_eq!(recipient(&["Mail to ann@far.example failed"]), None);
        assert_eq!(
            recipient(&["mail delivery to ann@far.example failed"]),
            None
        );
        let two = "$ sendmail -v ann@far.example bob@far.example < m.txt";
        assert_eq!(recipient(&[two]), None);
    }

    #[test]
    fn a_script_s_line_announcing_the_send() {
        let line = "notify: sending nightly report to ops@far.example via mx.far.example:587";
        assert_eq!(recipient(&[line]).as_deref(), Some("ops@far.example"));
        let node =
            "[2026-11-27 16:03:12] INFO  Sending message <1@near.example> to <b@far.example>";
        assert_eq!(recipient(&[node]).as_deref(), Some("b@far.example"));
        assert_eq!(
            recipient(&["Sending to the server failed: a@near.example"]),
            None
        );
        // In the app's language; a mail system's bounce goes to the sender.
        let pt = "ERROR EmailService : Falha ao enviar e-mail para b@far.example (aviso 8)";
        assert_eq!(recipient(&[pt]).as_deref(), Some("b@far.example"));
        assert_eq!(
            recipient(&["[outbound] Sending bounce to <a@near.example>"]),
            None
        );
    }
}
