//! SMTP session transcripts (telnet, `openssl s_client`, Sendmail's `>>>`/`<<<`, PHPMailer's
//! `CLIENT -> SERVER:` debug output), and Postfix's transcript to the postmaster.

use std::collections::VecDeque;
use std::sync::LazyLock;

use regex::Regex;

use super::model::{Action, Bounce, Record, Stage};
use super::pattern::re;
use super::response;
use super::scan;

/// A client command, after any transcript prefix.
static COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i-u)^(MAIL FROM|RCPT TO|DATA|EHLO|HELO|AUTH|STARTTLS|QUIT|RSET)\b\s*:?\s*<?((?u:[^>\s])*)>?",
    )
});

/// Prefixes that mark who spoke: stripped before reading the line.
const PREFIXES: [&str; 16] = [
    "CLIENT -> SERVER:",
    "SERVER -> CLIENT:",
    // swaks: `<**` an error reply, `<~`/`~>` inside TLS.
    "<**",
    "<~*",
    "<~",
    "~>",
    // MDaemon's session log.
    "-->",
    "<--",
    "C:",
    "S:",
    ">>>",
    "<<<",
    "->",
    "<-",
    "> ",
    "< ",
];

/// Strip a leading timestamp (`2024-01-01 12:00:00`) and a speaker prefix.
pub(super) fn strip_prefix(line: &str) -> &str {
    let mut t = logger_lead_off(response::clip(line, response::MAX_RESPONSE_BYTES).trim());
    // A weekday before the date (MDaemon's `Wed 2026-11-25 14:08:51.530: <-- 553 ...`).
    if let Some(dated) = t
        .get(..4)
        .filter(|w| w.ends_with(' ') && w.as_bytes()[..3].iter().all(u8::is_ascii_alphabetic))
        .and_then(|_| t.get(4..))
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'))
    {
        t = dated;
    }
    let b = t.as_bytes();
    if b.len() > 19 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
        // Its fraction of a second and zone (`.2441876Z`, a CI log's), then the space or
        // colon before the line: a reply's code after the stamp stays (`2026-12-02
        // 14:03:11 553 5.1.8 ...`).
        let rest = t.get(19..).unwrap_or("");
        let rest = rest
            .strip_prefix(['.', ','])
            .map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
        let rest = rest.strip_prefix('Z').unwrap_or(rest);
        t = rest.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    }
    let t = strip_perl_handle(t);
    for p in PREFIXES {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim();
        }
    }
    t
}

/// Log levels a client library's logger writes after its stamp.
const LOG_LEVELS: [&str; 7] = [
    "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL",
];

/// A line of a Node.js client's logger without its lead, when a speaker's prefix follows
/// it: nodemailer's default logger prints `[2026-11-27 16:03:11] DEBUG [#cid] [sid] S:
/// 220 ...` (its shared logger: the stamp in brackets, the level, then the connection's
/// and the session's ids in brackets). Any other line is returned as it is.
fn logger_lead_off(t: &str) -> &str {
    let Some(inner) = t.strip_prefix('[') else {
        return t;
    };
    let Some(close) = inner.find(']').filter(|&c| c <= 40) else {
        return t;
    };
    let stamp = inner.as_bytes();
    if close < 10 || !stamp[..4].iter().all(u8::is_ascii_digit) || stamp[4] != b'-' {
        return t;
    }
    let mut rest = inner[close + 1..].trim_start();
    if let Some((word, after)) = rest.split_once(' ')
        && LOG_LEVELS.contains(&word)
    {
        rest = after.trim_start();
    }
    while let Some(id) = rest.strip_prefix('[') {
        match id
            .find(']')
            .filter(|&c| c > 0 && c <= 32 && !id[..c].contains(' '))
        {
            Some(c) => rest = id[c + 1..].trim_start(),
            None => break,
        }
    }
    if PREFIXES.iter().any(|p| rest.starts_with(p)) {
        rest
    } else {
        t
    }
}

/// Where `t` first holds `c` three times in a row: `t.find(">>>")` for `b'>'`, without
/// setting up a substring searcher for each of a message's lines (`strip_prefix` runs on
/// every line `detect` reads).
fn find_triple(t: &str, c: u8) -> Option<usize> {
    let b = t.as_bytes();
    memchr::memchr_iter(c, b).find(|&i| b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c))
}

/// Perl's Net::Cmd debug output (`Net::SMTP->new(..., Debug => 1)`) opens each line with
/// the object (`Net::SMTP=GLOB(0x55d1c2a3b4e8)`, or the package alone on its version
/// lines) glued to `>>>` or `<<<`: the object is taken off, the arrow stays.
fn strip_perl_handle(t: &str) -> &str {
    let Some(arrow) = find_triple(t, b'>').or_else(|| find_triple(t, b'<')) else {
        return t;
    };
    let handle = &t[..arrow];
    let (package, object) = match handle.split_once("=GLOB(0x") {
        Some((package, rest)) => (package, Some(rest)),
        None => (handle, None),
    };
    let is_package = package.contains("::")
        && package
            .split("::")
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    let is_object = object.is_none_or(|o| {
        o.strip_suffix(')')
            .is_some_and(|hex| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if is_package && is_object {
        &t[arrow..]
    } else {
        t
    }
}

/// smtp-cli's `--verbose` replies (its source prints each as `[%d] '%s'`: `[250] '2.1.0
/// Ok'`) written as the server sent them (`250 2.1.0 Ok`), so its session reads as any
/// other; `None` when the text holds none.
pub(super) fn smtp_cli_replies(text: &str) -> Option<String> {
    if !text.contains("] '") {
        return None;
    }
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match smtp_cli_reply(line) {
            Some((code, words)) => {
                changed = true;
                out.push_str(code);
                out.push(' ');
                out.push_str(words);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    changed.then_some(out)
}

/// One smtp-cli reply line's code and words.
fn smtp_cli_reply(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_end().strip_prefix('[')?;
    let code = rest
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))?;
    let words = rest.get(3..)?.strip_prefix("] '")?.strip_suffix('\'')?;
    Some((code, words))
}

/// Whether the text reads like a session: a client command followed by a server reply.
pub fn detect(lines: &[&str]) -> bool {
    lines.iter().take(500).any(|l| {
        let t = strip_prefix(l);
        // `COMMAND` reads its command at the start of `t`, and only these two count: a line
        // opening with neither is no command line, told without running the regex (most
        // lines of a message are none, and this runs over a person's mail too).
        opens_with_mail_or_rcpt(t)
            && COMMAND.captures(t).and_then(|c| c.get(1)).is_some_and(|m| {
                matches!(
                    m.as_str().to_ascii_uppercase().as_str(),
                    "MAIL FROM" | "RCPT TO"
                )
            })
    })
}

/// Whether `t` opens with `MAIL FROM` or `RCPT TO` in any case (ASCII), as `COMMAND`'s
/// case-insensitive ASCII literals match them.
fn opens_with_mail_or_rcpt(t: &str) -> bool {
    let b = t.as_bytes();
    b.get(..9)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"MAIL FROM"))
        || b.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"RCPT TO"))
}

/// Postfix's session transcript, mailed to the postmaster (`smtpd_chat_notify`,
/// `smtp_chat_notify`): each command or reply on a line of its own as ` In:  ...` or
/// ` Out: ...`, wrapped at 78 columns with the continuation indented four more spaces.
/// The logical lines, prefixes taken off and continuations joined; `None` when `lines`
/// holds no such transcript.
pub fn postfix_chat(lines: &[&str]) -> Option<Vec<String>> {
    fn speaker(l: &str) -> Option<&str> {
        let t = l.strip_prefix(' ').unwrap_or(l);
        t.strip_prefix("In:")
            .or_else(|| t.strip_prefix("Out:"))
            .map(str::trim)
    }
    let first = lines.iter().take(500).position(|l| speaker(l).is_some())?;
    let mut out: Vec<String> = Vec::new();
    for line in &lines[first..] {
        if let Some(said) = speaker(line) {
            out.push(said.to_string());
        } else if line.starts_with("     ") && !line.trim().is_empty() {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            break;
        }
        if out.len() >= 2000 {
            break;
        }
    }
    (out.len() >= 2).then_some(out)
}

/// Records from a transcript: each 4xx/5xx reply (multi-line ones joined) answers its
/// command: the last sent, or the oldest unanswered when the client pipelined. A refusal
/// after DATA concerns every recipient the server had accepted. Returns the name the server
/// gives itself, when it gives one: the caller knows whether that server is the customer's.
pub fn parse(lines: &[&str], bounce: &mut Bounce) -> Option<String> {
    let mut stage: Option<Stage> = None;
    let mut last_rcpt: Option<String> = None;
    let mut accepted: Vec<String> = Vec::new();
    // Commands sent and not yet answered, oldest first: a client that pipelines (RFC 2920;
    // msmtp sends MAIL, RCPT and DATA at once) reads their replies in the order it sent
    // them, so each final reply line answers the oldest. Empty in a plain session between
    // a command and its reply's reading.
    let mut unanswered: VecDeque<(Option<Stage>, Option<String>)> = VecDeque::new();
    let mut replied = false;
    // No command sent yet: a refusal is the server's greeting.
    let mut commanded = false;
    // The name the server gives itself (its greeting, its answer to EHLO): the host that
    // refused whatever it refuses.
    let mut server: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let t = strip_prefix(lines[i]);
        if let Some(c) = COMMAND.captures(t) {
            let verb = c.get(1).map_or("", |m| m.as_str()).to_ascii_uppercase();
            let arg = c.get(2).map_or("", |m| m.as_str()).to_string();
            match verb.as_str() {
                "MAIL FROM" => {
                    stage = Some(Stage::MailFrom);
                    accepted.clear();
                    if !arg.is_empty() {
                        bounce.sender.get_or_insert(arg);
                    }
                }
                "RCPT TO" => {
                    stage = Some(Stage::RcptTo);
                    last_rcpt = Some(arg).filter(|a| !a.is_empty());
                }
                // A new transaction: the recipients accepted so far are no longer its.
                "RSET" => {
                    stage = None;
                    accepted.clear();
                }
                "EHLO" | "HELO" => {
                    stage = Some(Stage::Helo);
                    accepted.clear();
                }
                "DATA" => stage = Some(Stage::Data),
                _ => stage = None,
            }
            // A reply read since the last command: the client waited for it, so the
            // commands before were answered (a log may keep only a reply's first line).
            // Else only RCPT TO and DATA join a group of MAIL FROM and RCPT TO sent
            // together (RFC 2920: the commands a client may send without waiting).
            let joins_group = matches!(stage, Some(Stage::RcptTo | Stage::Data))
                && unanswered
                    .iter()
                    .all(|(s, _)| matches!(s, Some(Stage::MailFrom | Stage::RcptTo)));
            if replied || !joins_group {
                unanswered.clear();
            }
            replied = false;
            if unanswered.len() < 64 {
                let rcpt = last_rcpt.clone().filter(|_| stage == Some(Stage::RcptTo));
                unanswered.push_back((stage, rcpt));
            }
            commanded = true;
            i += 1;
            continue;
        }
        // The message's own Date header, as the client sends it after DATA (swaks prints
        // it): the session ran then. A log that stamps its lines says when each reply came.
        if stage == Some(Stage::Data)
            && bounce.timestamp.is_none()
            && super::time::leading_stamp(lines[i]).is_none()
            && let Some(value) = t.strip_prefix("Date:")
            && let Some(when) = super::time::parse_rfc5322(value.trim())
        {
            bounce.timestamp = Some(when);
            bounce.timestamp_raw = Some(value.trim().to_string());
        }
        let reply = scan::find_reply_code(t).filter(|(at, _)| *at == 0);
        replied |= reply.is_some();
        // The command a final reply line answers: the oldest unanswered when the client
        // pipelined, else the last sent (its rcpt as `last_rcpt` holds it). A reply's
        // continuation lines (`250-...`) answer nothing yet.
        // A refusal's continuation lines are read with its first.
        let is_final = |code: u16| code >= 400 || t.as_bytes().get(3) != Some(&b'-');
        let (answers, rcpt) = match reply {
            Some((_, code)) if is_final(code) && unanswered.len() > 1 => {
                unanswered.pop_front().unwrap_or((stage, None))
            }
            Some((_, code)) if is_final(code) => {
                unanswered.clear();
                let rcpt = if stage == Some(Stage::RcptTo) {
                    last_rcpt.take()
                } else {
                    None
                };
                (stage, rcpt)
            }
            _ => (stage, None),
        };
        if server.is_none()
            && let Some((_, code)) = reply
            && (code == 220 && !commanded || code == 250 && answers == Some(Stage::Helo))
        {
            server = own_name(t);
        }
        match reply {
            Some((_, code)) if (200..300).contains(&code) => {
                // A greeting retried and accepted (`EHLO tesstt` refused, then `EHLO
                // test`): the earlier refusal is no failure of the mail.
                if answers == Some(Stage::Helo) {
                    bounce.records.retain(|r| r.stage != Some(Stage::Helo));
                }
                if answers == Some(Stage::RcptTo)
                    && let Some(r) = rcpt
                    && accepted.len() < 256
                {
                    accepted.push(r);
                }
            }
            Some((_, code)) if code >= 400 => {
                let mut stage = answers;
                if !commanded {
                    stage = Some(Stage::Connect);
                }
                let start = i;
                let code_text = t.get(..3).unwrap_or("");
                let mut parts = vec![t];
                // `553-...` continues until the line with `553 `.
                let mut current = t;
                while current.as_bytes().get(3) == Some(&b'-') {
                    let Some(next) = lines.get(i + 1).map(|l| strip_prefix(l)) else {
                        break;
                    };
                    if next.get(..3) != Some(code_text) {
                        break;
                    }
                    i += 1;
                    parts.push(next);
                    current = next;
                }
                let r = response::extract(&response::unfold(parts));
                let recipients: Vec<Option<String>> = match stage {
                    Some(Stage::RcptTo) => vec![rcpt],
                    Some(Stage::Data) if !accepted.is_empty() => std::mem::take(&mut accepted)
                        .into_iter()
                        .map(Some)
                        .collect(),
                    _ => vec![None],
                };
                for recipient in recipients {
                    bounce.records.push(Record {
                        recipient,
                        reply_code: r.reply_code,
                        status: r.status.clone(),
                        diagnostic: Some(r.text.clone()),
                        stage,
                        action: Action::Failed,
                        source_line: Some(start),
                        ..Record::default()
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    // 500 and 502 (RFC 5321: command unrecognised, not implemented) answer a typing
    // mistake (a stray arrow key, a misspelt verb): beside a refusal of the mail itself they
    // are not the failure.
    let typo = |r: &Record| matches!(r.reply_code, Some(500 | 502));
    if bounce.records.iter().any(|r| !typo(r)) {
        bounce.records.retain(|r| !typo(r));
    }
    server.map(str::to_string)
}

/// The host name a greeting or an EHLO answer opens with (`220 mx.far.example ESMTP`,
/// `250-EDGE01.corp.example Hello [192.0.2.7]`); `None` for a banner that gives none
/// (`220 Welcome`, a masked `220 ****`).
fn own_name(reply: &str) -> Option<&str> {
    let rest = reply.get(4..)?.trim_start();
    let name = &rest[..rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(rest.len())];
    let labels_ok = name.split('.').count() >= 2
        && name
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    (labels_ok && name.bytes().any(|c| c.is_ascii_alphabetic())).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `detect` as it was before the opening check: the regex on every line.
    fn detect_reference(lines: &[&str]) -> bool {
        lines.iter().take(500).any(|l| {
            let t = strip_prefix(l);
            COMMAND.captures(t).and_then(|c| c.get(1)).is_some_and(|m| {
                matches!(
                    m.as_str().to_ascii_uppercase().as_str(),
                    "MAIL FROM" | "RCPT TO"
                )
            })
        })
    }

    /// `find_triple` finds what `str::find` of the three bytes finds, on lines holding
    /// runs of every length of both bytes among other text.
    /// smtp-cli's verbose replies read as the server's own lines.
    #[test]
    fn smtp_cli_replies_are_the_server_s_lines() {
        let text = "> MAIL FROM:<a@near.example>\n[250] '2.1.0 Ok'\n[554] '5.4.6 Too many hops'\nplain [x] 'y'\n";
        assert_eq!(
            smtp_cli_replies(text).as_deref(),
            Some(
                "> MAIL FROM:<a@near.example>\n250 2.1.0 Ok\n554 5.4.6 Too many hops\nplain [x] 'y'\n"
            )
        );
        assert_eq!(smtp_cli_replies("[25] 'x'\n[abc] 'y'\n"), None);
    }

    #[test]
    fn find_triple_agrees_with_str_find() {
        let mut rng = crate::bounce::test_rng::Rng::new(12);
        let pieces = [
            ">",
            "<",
            ">>",
            "<<",
            ">>>",
            "<<<<",
            "a",
            " ",
            "x>y",
            "é",
            "=GLOB(0x1)",
            "->",
        ];
        for _ in 0..20_000 {
            let n = rng.below(8);
            let line: String = (0..n).map(|_| rng.pick(&pieces)).collect();
            assert_eq!(find_triple(&line, b'>'), line.find(">>>"), "{line:?}");
            assert_eq!(find_triple(&line, b'<'), line.find("<<<"), "{line:?}");
        }
    }

    /// The opening check changes no answer: lines built from the transcripts' prefixes,
    /// every command in mixed case, near misses and plain prose agree with the reference,
    /// one line at a time and in whole lists.
    #[test]
    fn detect_agrees_with_the_regex_on_every_line() {
        let mut rng = crate::bounce::test_rng::Rng::new(11);
        let leads = [
            "",
            "  ",
            "\t",
            ">>> ",
            "<<< ",
            "Net::SMTP=GLOB(0x55d1)>>> ",
            "Wed 2026-11-25 14:08:51.530: ",
            "2026-12-02 14:03:11 ",
            "2026-12-02T14:03:11.2441876Z ",
            "x ",
            "Received: ",
            "> ",
        ];
        let commands = [
            "MAIL FROM",
            "mail from",
            "Mail From",
            "mAiL fRoM",
            "RCPT TO",
            "rcpt to",
            "Rcpt To",
            "rCpT tO",
            "MAIL  FROM",
            "MAILFROM",
            "MAIL FROMX",
            "RCPT TOO",
            "RCPT",
            "MAIL",
            "DATA",
            "EHLO",
            "QUIT",
            "MAİL FROM",
            "the mail from",
            "mail fromage",
            "rcpt to:",
            "ＭAIL FROM",
        ];
        let tails = [
            "",
            ":",
            ": ",
            ":<a@b.example>",
            " <a@b.example>",
            "<>",
            " x",
            "\u{a0}<a@b>",
            "é",
        ];
        let mut lists: Vec<String> = Vec::new();
        for _ in 0..4000 {
            let mut line = String::new();
            if rng.below(3) == 0 {
                line.push_str(rng.pick(&PREFIXES));
                line.push(' ');
            }
            line.push_str(rng.pick(&leads));
            line.push_str(rng.pick(&commands));
            line.push_str(rng.pick(&tails));
            let one = [line.as_str()];
            assert_eq!(detect(&one), detect_reference(&one), "{line:?}");
            lists.push(line);
        }
        for chunk in lists.chunks(7) {
            let lines: Vec<&str> = chunk.iter().map(String::as_str).collect();
            assert_eq!(detect(&lines), detect_reference(&lines), "{lines:?}");
        }
    }

    /// A refusal before any command is the greeting's; one answering EHLO is at HELO.
    #[test]
    fn a_typing_mistake_s_reply_is_not_the_failure() {
        let mut b = Bounce::default();
        parse(
            &[
                "220 mx.far.example ESMTP",
                "HELO near.example",
                "250 mx.far.example",
                "\u{1b}[A",
                "502 5.5.2 Error: command not recognized",
                "MAIL FROM:<me@near.example>",
                "250 2.1.0 Ok",
                "RCPT TO:<ann@far.example>",
                "553 5.0.0 <ann@far.example>... Requested action not taken",
            ],
            &mut b,
        );
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("ann@far.example"));
        // Alone, it is what the session shows.
        let mut b = Bounce::default();
        parse(
            &[
                "EHLO near.example",
                "502 5.5.2 Error: command not recognized",
            ],
            &mut b,
        );
        assert_eq!(b.records.len(), 1);
    }

    #[test]
    fn perl_net_smtp_debug_lines_are_a_session() {
        let text = "Net::SMTP>>> Net::SMTP(3.15)\n\
                    Net::SMTP=GLOB(0x5581b2c3d4e8)<<< 220 mx.example.com ESMTP\n\
                    Net::SMTP=GLOB(0x5581b2c3d4e8)>>> MAIL FROM:<app@example.org>\n\
                    Net::SMTP=GLOB(0x5581b2c3d4e8)<<< 250 2.1.0 Ok\n\
                    Net::SMTP=GLOB(0x5581b2c3d4e8)>>> RCPT TO:<sales@example,com.example>\n\
                    Net::SMTP=GLOB(0x5581b2c3d4e8)<<< 501 5.1.3 Bad recipient address syntax\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(detect(&lines));
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.sender.as_deref(), Some("app@example.org"));
        assert_eq!(b.records.len(), 1);
        assert_eq!(
            b.records[0].recipient.as_deref(),
            Some("sales@example,com.example")
        );
        assert_eq!(b.records[0].reply_code, Some(501));
        // A line that only looks like one keeps its words.
        assert_eq!(
            strip_prefix("see a=GLOB(0x12)>>> x"),
            "see a=GLOB(0x12)>>> x"
        );
    }

    #[test]
    fn the_date_a_client_sends_after_data_dates_the_session() {
        let text = "<-  220 mx.far.example ESMTP\n -> MAIL FROM:<ann@near.example>\n<-  250 Ok\n -> RCPT TO:<bob@far.example>\n<-  250 Ok\n -> DATA\n<-  354 go ahead\n -> Date: Sat, 05 Dec 2026 14:20:11 +0100\n -> Subject: test\n -> .\n<** 552 5.3.4 Error: message file too big\n";
        let lines: Vec<&str> = text.lines().collect();
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-05T13:20:11+00:00")
        );
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    #[test]
    fn a_greeting_retried_and_accepted_is_no_failure() {
        let text = "220 mx.far.example ESMTP Exim 4.97\nEHLO tesstt\n501 Syntactically invalid EHLO argument(s)\nEHLO test\n250 HELP\nMAIL FROM:<ann@near.example>\n250 OK\nRCPT TO:<info@>\n501 <info@>: domain missing or malformed\n";
        let lines: Vec<&str> = text.lines().collect();
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("info@"));
        assert_eq!(b.records[0].stage, Some(Stage::RcptTo));
    }

    #[test]
    fn greeting_and_helo_refusals() {
        let mut b = Bounce::default();
        parse(
            &["554 5.7.1 mx.far.example: your address is listed"],
            &mut b,
        );
        assert_eq!(b.records[0].stage, Some(Stage::Connect));
        let mut b = Bounce::default();
        parse(
            &[
                "220 mx.far.example ESMTP",
                "EHLO localhost",
                "550 5.7.1 bad HELO name",
            ],
            &mut b,
        );
        assert_eq!(b.records[0].stage, Some(Stage::Helo));
    }

    /// The server names itself in its greeting or its answer to EHLO; a banner with no
    /// name leaves the host unknown.
    #[test]
    fn the_server_names_itself_in_its_greeting_or_ehlo_answer() {
        let refused = |lines: &[&str]| parse(lines, &mut Bounce::default());
        let tail = [
            "MAIL FROM:<ann@near.example>",
            "250 OK",
            "RCPT TO:<bob@far.example>",
            "550 5.7.54 Unable to relay",
        ];
        let with = |head: &[&'static str]| [head, &tail[..]].concat();
        assert_eq!(
            refused(&with(&[
                "220 Welcome to our mail service",
                "EHLO pc",
                "250-EDGE01.corp.example Hello [192.0.2.7]",
                "250 SIZE 3000000",
            ])),
            Some("EDGE01.corp.example".into())
        );
        assert_eq!(
            refused(&with(&[
                "220 ************************",
                "EHLO pc",
                "250 OK"
            ])),
            None
        );
        assert_eq!(
            refused(&with(&[
                "220 mx1.far.example ESMTP Postfix",
                "EHLO pc",
                "250-mx2.other.example"
            ])),
            Some("mx1.far.example".into())
        );
        // An address, not a name.
        assert_eq!(refused(&with(&["220 192.0.2.1 ESMTP"])), None);
    }

    /// msmtp pipelines MAIL, RCPT and DATA: the replies answer them in order, so a refusal
    /// after the message concerns the recipient the second reply accepted.
    #[test]
    fn pipelined_replies_answer_their_commands_in_order() {
        let text = "--> MAIL FROM:<a@near.example>\n--> RCPT TO:<b@far.example>\n--> DATA\n<-- 250 2.1.0 Ok\n<-- 250 2.1.5 Ok\n<-- 354 go ahead\n--> hello\n--> .\n<-- 553 5.0.0 Message refused\n";
        let lines: Vec<&str> = text.lines().collect();
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("b@far.example"));
        assert_eq!(b.records[0].stage, Some(Stage::Data));
        // A log that keeps only a reply's first line (`250-host`) is no pipelining.
        let text = "C: EHLO me\nS: 250-mx.far.example\nC: MAIL FROM:<a@near.example>\nS: 250 Ok\nC: RCPT TO:<b@far.example>\nS: 554 5.7.1 blocked\n";
        let lines: Vec<&str> = text.lines().collect();
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records[0].recipient.as_deref(), Some("b@far.example"));
        assert_eq!(b.records[0].stage, Some(Stage::RcptTo));
    }

    /// nodemailer's default logger: stamp, level and connection id before the speaker.
    #[test]
    fn nodemailer_s_logger_lead_is_taken_off() {
        assert_eq!(
            strip_prefix("[2026-11-27 16:03:12] DEBUG [bX9k2Lq0Ts] C: RCPT TO:<b@far.example>"),
            "RCPT TO:<b@far.example>"
        );
        assert_eq!(
            strip_prefix("[2026-11-27 16:03:12] DEBUG [#12] [a1] S: 250 Ok"),
            "250 Ok"
        );
        let other = "[2026-11-27 16:03:12] INFO  [bX9k2Lq0Ts] User \"x\" authenticated";
        assert_eq!(strip_prefix(other), other);
    }

    /// Postfix's transcript to the postmaster: wrapped commands are joined, and a refusal
    /// after DATA names the recipient the server had accepted.
    #[test]
    fn postfix_chat_refusal_after_data() {
        let text = "Transcript of session follows.\n\n Out: 220 mx.near.example ESMTP\n In:  EHLO client.far.example\n Out: 250 mx.near.example\n In:  MAIL\n     FROM:<list-bounces@far.example>\n     SIZE=2048\n Out: 250 2.1.0 Ok\n In:  RCPT TO:<ann@near.example>\n Out: 250 2.1.5 Ok\n In:  RCPT TO:<bob@near.example>\n Out: 550 5.1.1 <bob@near.example>: Recipient address rejected\n In:  DATA\n Out: 354 End data with <CR><LF>.<CR><LF>\n Out: 451 4.3.0 Error: queue file write error\n In:  QUIT\n Out: 221 2.0.0 Bye\n\nFor other details, see the local mail logfile\n";
        let lines: Vec<&str> = text.lines().collect();
        let chat = postfix_chat(&lines).expect("a Postfix transcript");
        assert_eq!(chat[3], "MAIL FROM:<list-bounces@far.example> SIZE=2048");
        let chat: Vec<&str> = chat.iter().map(String::as_str).collect();
        let mut b = Bounce::default();
        parse(&chat, &mut b);
        let got: Vec<_> = b
            .records
            .iter()
            .map(|r| (r.recipient.as_deref(), r.reply_code, r.stage))
            .collect();
        assert_eq!(
            got,
            [
                (Some("bob@near.example"), Some(550), Some(Stage::RcptTo)),
                (Some("ann@near.example"), Some(451), Some(Stage::Data)),
            ]
        );
        assert_eq!(b.sender.as_deref(), Some("list-bounces@far.example"));
        assert!(postfix_chat(&["Out of office", "In: the morning"]).is_none());
    }
}
