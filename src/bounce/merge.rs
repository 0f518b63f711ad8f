//! The merge step: what the readers found, made one record per failed recipient, with the
//! sender a refusal names taken out of the recipients, a client log's failure time, and
//! each record's deciding line found in the input.

use super::model::{Bounce, Format, Record, Stage};
use chrono::{DateTime, Utc};

use super::{address, scan, time, vocabulary};

/// The merge step on a read `bounce` (`text` is the whole input, normalised).
pub(super) fn records(text: &str, bounce: &mut Bounce) {
    // A pasted body may be an application's log too (a debug log whose last line quotes
    // the failed recipients); a script's log that reached no server (`Unknown`: no reader
    // found a record) still says when sending failed.
    if matches!(
        bounce.format,
        Format::Transcript | Format::ErrorText | Format::Body | Format::Unknown
    ) && bounce.timestamp.is_none()
    {
        stamp_of_failure(text, bounce);
    }
    // Any paste still without a time of its own (a client's copy of a message whose Date
    // mail-parser cannot read, a reading pane's header lines) gets the stand-in time. A
    // pasted body was given it by its reader, from the report it had already split.
    if bounce.timestamp.is_none() && !bounce.records.is_empty() && bounce.format != Format::Body {
        super::when::settle(text, None, bounce);
    }
    if matches!(
        bounce.format,
        Format::Transcript | Format::ErrorText | Format::Body | Format::Email | Format::Dsn
    ) {
        super::sender::refused_as_sender(bounce);
    }
    // A refusal of the sender names no recipient (once the refused sender is taken out of
    // the recipients): the sending command or the script's own line may.
    if bounce.format != Format::Email {
        super::recipient_from_command(text, bounce);
    }
    if bounce.format == Format::Body {
        recipient_of_a_refused_sender(text, bounce);
    }
    if matches!(
        bounce.format,
        Format::ErrorText | Format::Body | Format::Unknown
    ) {
        addressee_of_a_refused_draft(text, bounce);
    }
    merge_same_recipient(&mut bounce.records);
    merge_unnamed_into_named(&mut bounce.records);
    merge_reply_into_sentence(&mut bounce.records);
    // A log copied with a deferral of another message above the failure the customer asks
    // about: the permanent failure is the one to answer first (a stable sort keeps the
    // order within each kind).
    if matches!(bounce.format, Format::EximLog | Format::PostfixLog) {
        bounce
            .records
            .sort_by_key(|r| r.action == super::model::Action::Delayed);
    }
    if bounce.format == Format::Transcript {
        fold_sequence_errors(&mut bounce.records);
    }
    // A session retried after a refused connection (`421 too many connections`, then a
    // session that reached RCPT TO): the failure that names its recipient comes first.
    if bounce.format == Format::Transcript {
        bounce.records.sort_by_key(|r| r.recipient.is_none());
    }
    if bounce.format == Format::Transcript {
        super::when::session_greeting_over_zoneless(text, bounce);
    }
    // A forwarder's SRS address stands for the customer's own.
    if let Some(original) = bounce.sender.as_deref().and_then(address::srs_original) {
        bounce.sender = Some(original);
    }
}

/// A report that names only the refused sender (Gmail's "Send mail as" notice: `553 5.7.1
/// <me@x>: Sender address rejected: not owned by user`) failed the message for everyone it
/// was sent to: the returned original's first addressee is the failed recipient.
fn recipient_of_a_refused_sender(text: &str, bounce: &mut Bounce) {
    let [only] = bounce.records.as_mut_slice() else {
        return;
    };
    if only.recipient.is_some() || bounce.sender.is_none() {
        return;
    }
    let report = super::report::Report::new(text);
    let returned = report.lines.get(report.original_start..).unwrap_or(&[]);
    only.recipient = super::ndr::original_addressees(returned)
        .into_iter()
        .find(|a| {
            bounce
                .sender
                .as_deref()
                .is_none_or(|s| !s.eq_ignore_ascii_case(a))
        });
}

/// A client's error refusing the sender under a draft's header rows (FairEmail's `An: x`
/// over `Von: y`, in the client's language: vocabulary `[to-labels]`), or naming the
/// account it sent from: the message failed for the draft's addressee, whom no other line
/// names.
fn addressee_of_a_refused_draft(text: &str, bounce: &mut Bounce) {
    let [only] = bounce.records.as_mut_slice() else {
        return;
    };
    let Some(sender) = bounce.sender.as_deref() else {
        return;
    };
    let refused = only
        .diagnostic
        .as_deref()
        .is_some_and(super::sender::refuses_the_sender);
    // Or a client's send error that names the account it sent from (Foxmail's `账户：x`
    // over `收件人：y`): its To row is the message's addressee, not the customer.
    let from_the_account = || {
        let lines: Vec<&str> = text.lines().take(60).collect();
        super::client::dialog_account(&lines).is_some_and(|a| a.eq_ignore_ascii_case(sender))
    };
    if only.recipient.is_some() || !(refused || from_the_account()) {
        return;
    }
    // A webmail's compose screen (vocabulary `[compose-errors]`) is left as it is: the
    // issue's rule for webmail copies makes no record of a To line.
    let lower = super::response::clip(text, 64 * 1024).to_ascii_lowercase();
    if vocabulary::words("compose-errors")
        .iter()
        .any(|w| lower.contains(w))
    {
        return;
    }
    let labels = vocabulary::words("to-labels");
    only.recipient = text.lines().take(60).find_map(|line| {
        let (label, value) = super::plain::view_row(line)?;
        if !labels.contains(&label.as_str()) {
            return None;
        }
        let found = address::first_in(value)?;
        (!found.eq_ignore_ascii_case(sender)).then(|| found.to_string())
    });
}

/// A record with no recipient whose words name another record's recipient (Sendmail's own
/// `550 5.1.1 <x>... User unknown` under the transcript's `<<< 553 ...` for `RCPT To:<x>`)
/// is that recipient's: it completes that record instead of standing as a second failure.
fn merge_unnamed_into_named(records: &mut Vec<Record>) {
    if records.len() < 2 || records.len() > 256 {
        return;
    }
    let mut i = 0;
    while i < records.len() {
        let words = (records[i].recipient.is_none())
            .then(|| records[i].diagnostic.as_deref())
            .flatten()
            .map(str::to_ascii_lowercase);
        let owner = words.and_then(|d| {
            records.iter().position(|r| {
                r.recipient
                    .as_deref()
                    .is_some_and(|a| d.contains(&format!("<{}>", a.to_ascii_lowercase())))
            })
        });
        let Some(k) = owner else {
            i += 1;
            continue;
        };
        let r = records.remove(i);
        let named = &mut records[if k > i { k - 1 } else { k }];
        named.reply_code = named.reply_code.or(r.reply_code);
        named.status = named.status.take().or(r.status);
        named.diagnostic = named.diagnostic.take().or(r.diagnostic);
        named.stage = named.stage.or(r.stage);
    }
}

/// A report's sentence naming the recipient without a reply (Gmail's "There was a problem
/// delivering your message to x", in any language) and the reply it quotes, whose only
/// address was the refused sender's (taken out as the sender): one failure, the
/// sentence's recipient with the reply's code and words.
fn merge_reply_into_sentence(records: &mut Vec<Record>) {
    let [a, b] = records.as_slice() else {
        return;
    };
    let sentence_only =
        |r: &Record| r.recipient.is_some() && r.reply_code.is_none() && r.status.is_none();
    let reply_only = |r: &Record| r.recipient.is_none() && r.reply_code.is_some();
    let (named, reply) = if sentence_only(a) && reply_only(b) {
        (0, 1)
    } else if sentence_only(b) && reply_only(a) {
        (1, 0)
    } else {
        return;
    };
    let mut merged = records[reply].clone();
    merged.recipient = records[named].recipient.take();
    merged.original_recipient = records[named].original_recipient.take();
    *records = vec![merged];
}

/// One record per failed recipient: a report that names a recipient twice (Sendmail's
/// reason line and its own summary line of the transcript) keeps the first, completed by
/// the later ones.
fn merge_same_recipient(records: &mut Vec<Record>) {
    if records.len() < 2 || records.len() > 256 {
        return;
    }
    let mut kept: Vec<Record> = Vec::with_capacity(records.len());
    for r in records.drain(..) {
        let same = r.recipient.as_deref().and_then(|a| {
            kept.iter_mut().find(|k| {
                k.action == r.action
                    && k.recipient
                        .as_deref()
                        .is_some_and(|b| b.eq_ignore_ascii_case(a))
            })
        });
        match same {
            Some(k) => {
                k.reply_code = k.reply_code.or(r.reply_code);
                k.status = k.status.take().or(r.status);
                k.diagnostic = k.diagnostic.take().or(r.diagnostic);
                k.stage = k.stage.or(r.stage);
                k.remote_host = k.remote_host.take().or(r.remote_host);
                k.remote_ip = k.remote_ip.take().or(r.remote_ip);
                k.source_line = k.source_line.or(r.source_line);
            }
            None => kept.push(r),
        }
    }
    *records = kept;
}

/// A client log stamps each line (PHPMailer: `2025-11-30 16:20:02\t...`, PHP's error_log:
/// `[05-Dec-2026 14:20:31 UTC] ...`): the bounce's time is the stamp of the first line that
/// reports a refusal (a 4xx/5xx reply or an error). When no stamped line does (a traceback
/// under its log record, a session after `date`'s output), the nearest stamp above the
/// first refusal is when it happened.
fn stamp_of_failure(text: &str, bounce: &mut Bounce) {
    let mut above: Option<(DateTime<Utc>, String)> = None;
    // The first stamped line quoting a refusal's code after other words (Go's `notifier:
    // smtp rcpt x: 554 5.7.1 ...`), when no line opens with one.
    let mut quoting_a_code: Option<(DateTime<Utc>, String)> = None;
    // The line before ran `date` in a shell: this one is its output, in any locale.
    let mut after_date_command = false;
    // The output of the first `date` run in the shell.
    let mut date_shown: Option<(DateTime<Utc>, String)> = None;
    let lines: Vec<&str> = text.lines().take(5000).collect();
    for (i, line) in lines.iter().enumerate() {
        let line = in_json_field(after_process_label(line));
        let tabbed = tabbed_record(line);
        let stamped = match &tabbed {
            Some((when, raw, _)) => Some((*when, raw.to_string(), 0)),
            None => time::leading_stamp(line)
                .map(|(when, raw, end)| (when, raw.to_string(), end))
                .or_else(|| json_log_stamp(line).map(|(when, raw)| (when, raw, 0))),
        };
        let rest = match &tabbed {
            Some((_, _, text)) => text,
            None => stamped
                .as_ref()
                .map_or(line, |(_, _, end)| &line[*end..])
                .trim_start(),
        };
        let ran_date = after_date_command;
        // PowerShell prints a blank line before Get-Date's output.
        after_date_command = runs_date(line) || (ran_date && line.trim().is_empty());
        if let Some((when, raw, _)) = stamped {
            if refuses(rest) || reports_a_send_failure(rest) || logs_a_refusal(rest) {
                bounce.timestamp_raw = Some(raw);
                bounce.timestamp = Some(when);
                return;
            }
            if quoting_a_code.is_none() && scan::find_failure_code(rest).is_some() {
                quoting_a_code = Some((when, raw.clone()));
            }
            above = Some((when, raw));
        } else if let Some(when) = shown_date(line, ran_date) {
            above = Some((when, line.trim().to_string()));
            if ran_date {
                date_shown = date_shown.or_else(|| above.clone());
            }
        } else if scan::find_failure_code(rest).is_none()
            && scan::find_status(rest).is_some_and(|s| s.starts_with(['4', '5']))
        {
            // A client's error quoting only the reply's status and text (.NET's `The
            // server response was: 5.7.60 SMTP; ...`): Microsoft's stamp inside it, else
            // the log record's above it.
            if let Some((when, raw)) = stamp_inside(rest).or_else(|| above.take()) {
                bounce.timestamp_raw = Some(raw);
                bounce.timestamp = Some(when);
                return;
            }
        } else if refuses(rest) || scan::find_failure_code(rest).is_some() {
            // The refusal may carry the server's own stamp (Microsoft's `[HOST
            // 2026-12-03T08:15:42.917Z 08DE...]`); else `date` run right after the session.
            if let Some((when, raw)) = above
                .take()
                .or_else(|| stamp_inside(rest))
                .or_else(|| same_process_stamp_below(rest, &lines[i + 1..]))
                .or_else(|| date_run_after(&lines[i + 1..]))
            {
                bounce.timestamp_raw = Some(raw);
                bounce.timestamp = Some(when);
                return;
            }
            // An unstamped summary of the refusal above the stamped log that reports it
            // (WP Mail SMTP's `ErrorInfo:` over its `SMTP Debug:` lines): read on.
        }
    }
    // No line quoting a code (Sendmail's `-v` prints `x... Host unknown` without one): the
    // `date` an agent ran in the shell before the session says when it ran.
    if let Some((when, raw)) = quoting_a_code.or(date_shown) {
        bounce.timestamp_raw = Some(raw);
        bounce.timestamp = Some(when);
    }
}

/// A syslog line whose stamp was cut off the copy (`3.418231+01:00 mx2 postfix/smtpd[9912]:
/// NOQUEUE: reject: ...`): the stamp of the next line the same process wrote (its
/// `disconnect`), within the three lines below, the moment to the second.
fn same_process_stamp_below(line: &str, below: &[&str]) -> Option<(DateTime<Utc>, String)> {
    // The process tag, `name[pid]:`.
    let tag = line.split_whitespace().find(|w| {
        w.strip_suffix("]:")
            .and_then(|w| w.split_once('['))
            .is_some_and(|(name, pid)| {
                !name.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
            })
    })?;
    below.iter().take(3).find_map(|l| {
        let (when, raw, end) = time::leading_stamp(l)?;
        l[end..]
            .split_whitespace()
            .any(|w| w == tag)
            .then(|| (when, raw.to_string()))
    })
}

/// The output of a `date` run in the shell within the lines after a session (an agent who
/// checks the time once the refusal came back).
fn date_run_after(lines: &[&str]) -> Option<(DateTime<Utc>, String)> {
    let at = lines.iter().take(40).position(|l| runs_date(l))?;
    let output = lines[at + 1..].iter().find(|l| !l.trim().is_empty())?;
    let when = shown_date(output, true)?;
    Some((when, output.trim().to_string()))
}

/// The date a line shows: `date`'s output in its usual forms, or any written date when the
/// line above ran `date` (its output in another locale).
fn shown_date(line: &str, after_date_command: bool) -> Option<DateTime<Utc>> {
    date_command_output(line).or_else(|| {
        after_date_command
            .then(|| time::parse_written(line).map(|(t, _)| t))
            .flatten()
    })
}

/// A log line a log service exports as a JSON field of its own on one line (Grafana Loki's
/// `"line": "ts=... level=error ..."`, CloudWatch's `"message": "..."`): the field's value,
/// so the line's own stamp opens it.
fn in_json_field(line: &str) -> &str {
    let t = line.trim_start();
    let Some(key_end) = t
        .get(1..32)
        .filter(|_| t.starts_with('"'))
        .and_then(|k| k.find("\": \""))
    else {
        return line;
    };
    let key = &t[1..1 + key_end];
    if matches!(
        key,
        "line" | "message" | "msg" | "log" | "@message" | "_raw" | "textPayload"
    ) {
        &t[1 + key_end + 4..]
    } else {
        line
    }
}

/// A log line after the label a process manager puts before each line of its processes:
/// pm2's `0|booking-api  | `, `docker compose logs`' `web-1  | `.
fn after_process_label(line: &str) -> &str {
    if let Some(rest) = after_event_word(line) {
        return rest;
    }
    let head = line
        .get(..line.floor_char_boundary(line.len().min(64)))
        .unwrap_or(line);
    match head.find(" | ").or_else(|| head.find("| ")) {
        Some(at) if !line[..at].trim().is_empty() && !line[..at].trim().contains(' ') => {
            line[at..].trim_start_matches([' ', '|']).trim_start()
        }
        _ => line,
    }
}

/// A log record written as tab-separated, quoted cells (hMailServer's `"SMTPC"\t4312\t27\t
/// "2026-12-06 08:44:19.512"\t"203.0.113.130"\t"RECEIVED: 554 ..."`): the first cell that is
/// a stamp, as written, and the last cell, the record's text.
fn tabbed_record(line: &str) -> Option<(DateTime<Utc>, &str, &str)> {
    if line.bytes().filter(|&b| b == b'\t').count() < 2 {
        return None;
    }
    let mut cells = line.split('\t');
    let (when, raw) = cells.by_ref().find_map(|c| {
        let c = unquoted_cell(c);
        (c.len() >= 15 && c.as_bytes()[0].is_ascii_digit())
            .then(|| time::parse_log_time(c).map(|t| (t, c)))
            .flatten()
    })?;
    let text = unquoted_cell(cells.next_back()?);
    Some((when, raw, text))
}

fn unquoted_cell(cell: &str) -> &str {
    cell.trim().trim_matches('"')
}

/// The rest of a line that opens with an event in capitals before its stamp (Apple
/// Mail's Connection Doctor: `READ Nov 30 10:12:45.977 [kCFStream...] -- host:...`,
/// `WROTE ...`, `INITIATING CONNECTION ...`), when a stamp follows.
fn after_event_word(line: &str) -> Option<&str> {
    let mut rest = line;
    for _ in 0..3 {
        let word_end = rest.find(' ')?;
        let word = &rest[..word_end];
        if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        rest = rest[word_end..].trim_start();
        if time::leading_stamp(rest).is_some() {
            return Some(rest);
        }
    }
    None
}

/// A UTC stamp written into a reply (`2026-12-03T08:15:42.917Z`), as Microsoft's servers
/// close their refusals with the host, the time and an id.
fn stamp_inside(reply: &str) -> Option<(DateTime<Utc>, String)> {
    reply.split([' ', '[', ']']).find_map(|w| {
        let looks = w.len() >= 20 && w.ends_with('Z') && w.as_bytes().get(10) == Some(&b'T');
        let when = looks.then(|| time::parse_log_time(w)).flatten()?;
        Some((when, w.to_string()))
    })
}

/// Whether a log line's text reports a refusal: an error, or a 4xx/5xx reply at its start
/// (after a debug output's direction marker, `SERVER -> CLIENT:`).
fn refuses(rest: &str) -> bool {
    let rest = match rest.find("SERVER -> CLIENT:") {
        Some(at) => rest[at + "SERVER -> CLIENT:".len()..].trim_start(),
        // A session's speaker marks (swaks' `<-`, `<**`, `S:`).
        None => super::transcript::strip_prefix(rest),
    };
    rest.contains("SMTP ERROR")
        || (rest.len() > 3
            && matches!(rest.as_bytes()[0], b'4' | b'5')
            && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit))
}

/// Whether a stamped log line is an error that quotes a refusal (Magento's `main.CRITICAL:
/// ...Exception: 5.7.1 <x>: Sender address rejected`): an error's words and a 4xx/5xx code
/// or status.
fn logs_a_refusal(rest: &str) -> bool {
    let lower = rest
        .get(..rest.floor_char_boundary(400))
        .unwrap_or(rest)
        .to_ascii_lowercase();
    let an_error = ["error", "exception", "critical", "fail"]
        .iter()
        .any(|w| lower.contains(w));
    an_error
        && (scan::find_failure_code(rest).is_some()
            || scan::find_status(rest).is_some_and(|s| s.starts_with(['4', '5'])))
}

/// A structured (JSON) log line's time: `"time"`, `"timestamp"`, `"@timestamp"` or
/// `"datetime"` (Nextcloud, Monolog, Logstash), with its value as written.
fn json_log_stamp(line: &str) -> Option<(DateTime<Utc>, String)> {
    let t = line.trim_start();
    if !t.starts_with('{') {
        return None;
    }
    [
        "\"time\":\"",
        "\"timestamp\":\"",
        "\"@timestamp\":\"",
        "\"datetime\":\"",
    ]
    .iter()
    .find_map(|key| {
        let at = t.find(key)? + key.len();
        let value = t.get(at..)?.split('"').next()?;
        Some((time::parse_log_time(value)?, value.to_string()))
    })
    .or_else(|| {
        // pino's and most Node loggers' epoch in milliseconds (`"time":1796243585118`), or
        // seconds.
        ["\"time\":", "\"timestamp\":", "\"ts\":"]
            .iter()
            .find_map(|key| {
                let at = t.find(key)? + key.len();
                let rest = t.get(at..)?.trim_start();
                let digits = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
                let n: i64 = digits.parse().ok()?;
                let when = match digits.len() {
                    13 => DateTime::from_timestamp_millis(n)?,
                    10 => DateTime::from_timestamp(n, 0)?,
                    _ => return None,
                };
                Some((when, digits.to_string()))
            })
    })
}

/// Whether a shell line runs `date` (`$ date`, `# date -R`, `C:\> date /t`).
fn runs_date(line: &str) -> bool {
    let t = line.trim();
    ["$ date", "# date", "> date", "% date"].iter().any(|p| {
        t.match_indices(p)
            .any(|(at, _)| matches!(t.as_bytes().get(at + p.len()), None | Some(b' ')))
    }) || runs_get_date(t)
        || runs_cmd_date(t)
}

/// Whether a Windows command prompt's line printed the date (`C:\Users\x>echo %date%
/// %time%`, `date /t`): cmd prints it in the system's locale.
fn runs_cmd_date(t: &str) -> bool {
    let Some((prompt, command)) = t.split_once('>') else {
        return false;
    };
    let command = command.trim().to_ascii_lowercase();
    prompt.len() >= 2
        && prompt.as_bytes()[1] == b':'
        && (command.starts_with("echo %date%") || command == "date /t")
}

/// Whether a PowerShell prompt's line ran `Get-Date` (`PS C:\Users\x> Get-Date`): PowerShell
/// prints its date in the system's language, after a blank line.
fn runs_get_date(t: &str) -> bool {
    t.starts_with("PS ")
        && t.rsplit_once("> ")
            .is_some_and(|(_, command)| command.trim().eq_ignore_ascii_case("get-date"))
}

/// Whether a stamped log line's text says sending failed without quoting a reply (a
/// script that could not reach any server; vocabulary `[client-failure-lines]`).
fn reports_a_send_failure(rest: &str) -> bool {
    let lower = rest.to_ascii_lowercase();
    vocabulary::words("client-failure-lines")
        .iter()
        .any(|w| lower.contains(w))
}

/// A line that is date(1)'s output (`Sat Dec  5 16:20:11 CET 2026`), as a shell session
/// shows it when the agent ran `date` before the test.
fn date_command_output(line: &str) -> Option<DateTime<Utc>> {
    let t = line.trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    let weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    // `Sat Dec  5 16:20:11 CET 2026`, or `date -R`'s `Sat, 05 Dec 2026 16:20:11 +0100`.
    let opens = words
        .first()
        .is_some_and(|w| weekday.contains(&w.trim_end_matches(',').to_ascii_lowercase().as_str()));
    if opens && (5..=6).contains(&words.len()) && t.len() <= 40 {
        return time::parse_written(t).map(|(when, _)| when);
    }
    // PuTTY's session log opens with `=~=~=~= PuTTY log 2026.12.02 09:41:27 =~=~=~=`.
    if let Some(at) = t.find("PuTTY log ") {
        let stamp = t[at + "PuTTY log ".len()..].trim_end_matches(['=', '~', ' ']);
        return time::parse_written(stamp).map(|(when, _)| when);
    }
    // Windows' `echo %date% %time%`: `04.12.2026 16:02:11,38` (the numeric date as the
    // locale writes it, hundredths after the seconds), alone on its line.
    let numeric_date_first = words.first().is_some_and(|w| {
        w.len() == 10 && w.bytes().all(|b| b.is_ascii_digit() || b"./-".contains(&b))
    });
    if numeric_date_first && words.len() == 2 {
        return time::parse_written(t).map(|(when, _)| when);
    }
    // The US locale's `%date%` (and `date /t`) names the weekday first, then month, day and
    // year: `Thu 12/03/2026 10:22:41.57`. Other locales print the date alone. Only cmd's
    // own forms: the date alone, or `%time%`'s hundredths after it (an Outlook view's `Fri
    // 04/12/2026 08:15` in the UK is day first).
    let cmd_time = |w: &str| {
        w.rsplit_once(['.', ','])
            .is_some_and(|(clock, cs)| clock.matches(':').count() == 2 && cs.len() == 2)
    };
    if opens && (words.len() == 2 || (words.len() == 3 && cmd_time(words[2]))) {
        let [month, day, year] = words[1].split('/').collect::<Vec<_>>()[..] else {
            return None;
        };
        let fits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if fits(month, 2) && fits(day, 2) && fits(year, 4) {
            let clock = words.get(2).copied().unwrap_or("00:00:00");
            return time::parse_written(&format!("{year}-{month}-{day} {clock}"))
                .map(|(when, _)| when);
        }
    }
    None
}

/// Find each record's response in the input text for `source_line` (only when it appears
/// verbatim; a base64 or quoted-printable part does not). Bounded: at most 64 searches.
pub(super) fn locate_lines(text: &str, records: &mut [Record]) {
    for r in records.iter_mut().take(64) {
        if r.source_line.is_some() {
            continue;
        }
        let Some(diag) = r.diagnostic.as_deref() else {
            continue;
        };
        let candidates = [prefix_chars(diag, 40), prefix_chars(diag, 16)];
        for needle in candidates {
            if needle.len() < 8 {
                continue;
            }
            // A response decoded from base64 or quoted-printable is not in the text, so the
            // search often runs to the end: the vectorised searches keep that cheap.
            if let Some(at) = memchr::memmem::find(text.as_bytes(), needle.as_bytes()) {
                r.source_line = Some(memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count());
                break;
            }
        }
    }
}

/// The first `n` characters of `s` (whole characters).
fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// The recipient as an address: stray quotes and brackets, an address type (`rfc822;`) and
/// Exchange's X.400 `SMTP=`/`SMTP:` forms taken off. When the record names both the
/// address the sender wrote and another one, which to report is decided by
/// [`names_the_written_address`].
/// The recipient with the lone double quote it was written with, where the reply faults
/// exactly that (Sendmail's `553 5.1.0 Unbalanced '"'` for `"x@y` pasted into a To field):
/// the quote is the error the agent must see, not a copy's stray punctuation.
fn with_its_unbalanced_quote(rcpt: &str, diagnostic: &str, text: &str) -> Option<String> {
    if !diagnostic.to_ascii_lowercase().contains("unbalanced") {
        return None;
    }
    let leading = format!("\"{rcpt}");
    let trailing = format!("{rcpt}\"");
    let closes = |at: usize, len: usize| text[at + len..].starts_with('"');
    if let Some(at) = text.find(&leading)
        && !closes(at, leading.len())
    {
        return Some(leading);
    }
    let at = text.find(&trailing)?;
    (at == 0 || text.as_bytes()[at - 1] != b'"').then_some(trailing)
}

pub(super) fn clean_recipient(r: &mut Record, text: &str) {
    // A reply that faults an address with no domain (`553 5.1.3 <orders@>... Hostname
    // required`) names the recipient as it was written, which no address reader takes.
    if r.recipient.is_none()
        && r.stage != Some(Stage::MailFrom)
        && faults_the_form(r.status.as_deref(), r.reply_code, r.diagnostic.as_deref())
    {
        r.recipient = r.diagnostic.as_deref().and_then(domainless_address);
    }
    for addr in [&mut r.recipient, &mut r.original_recipient] {
        if let Some(a) = addr.as_mut() {
            let cleaned = address::clean_address(a);
            if cleaned != *a {
                *a = cleaned;
            }
        }
    }
    // A trailing dot, comma or quote is taken off an address read from prose (the
    // sentence's punctuation), but the server's `<x@y.example.>`, `<x@y.example,>` or
    // `<’x@y.example>` shows the address itself holds it: a syntax error the agent must see.
    // The report's own heading may be where it stands so (qmail's `<x@y.example.>:` over
    // a reply that does not repeat it).
    if let Some(rcpt) = r.recipient.as_mut()
        && let Some(written) = r
            .diagnostic
            .as_deref()
            .and_then(|diag| bracketed_as_written(rcpt, diag))
            .or_else(|| {
                faults_the_form(r.status.as_deref(), r.reply_code, r.diagnostic.as_deref())
                    .then(|| {
                        r.diagnostic
                            .as_deref()
                            .and_then(|d| named_as_written(rcpt, d))
                    })
                    .flatten()
            })
            .or_else(|| {
                // Only where the reply faults the address's form: the search reads the
                // whole paste.
                faults_the_form(r.status.as_deref(), r.reply_code, r.diagnostic.as_deref())
                    .then(|| {
                        bracketed_with_a_trailing_stray(rcpt, text)
                            .or_else(|| bracketed_with_mailto(rcpt, text))
                    })
                    .flatten()
            })
            .or_else(|| with_its_unbalanced_quote(rcpt, r.diagnostic.as_deref()?, text))
    {
        *rcpt = written;
    }
    if let (Some(rcpt), Some(orig)) = (&r.recipient, &r.original_recipient)
        && names_the_written_address(rcpt, orig)
    {
        r.final_recipient = Some(rcpt.clone());
        r.recipient = r.original_recipient.take();
    }
}

/// The address as the server quoted it in `<...>`, when that is `rcpt` with a stray
/// character or two the address itself holds: a dot, comma, semicolon or colon after it,
/// a typographic or plain quote before or after it.
fn bracketed_as_written(rcpt: &str, diag: &str) -> Option<String> {
    const STRAY: &[char] = &[
        '.', ',', ';', ':', '\'', '"', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}',
    ];
    // ASCII lowercasing keeps every byte's place, so offsets in the copy are the diag's.
    let lower_diag = diag.to_ascii_lowercase();
    let lower_rcpt = rcpt.to_ascii_lowercase();
    lower_diag.match_indices('<').find_map(|(open, _)| {
        let inner = &lower_diag[open + 1..];
        let close = inner.find('>')?;
        let inner = &inner[..close];
        let at = inner.find(&lower_rcpt)?;
        let (before, after) = (&inner[..at], &inner[at + lower_rcpt.len()..]);
        let original = &diag[open + 1..open + 1 + close];
        (!(before.is_empty() && after.is_empty())
            && is_a_stray_run(before, STRAY)
            && is_a_stray_run(after, STRAY))
        .then(|| original.to_string())
    })
}

/// A session whose MAIL FROM was refused, then went on: each RCPT TO is answered `503
/// bad sequence of commands` (`503 MAIL first (#5.5.1)`), which only repeats that the
/// sender was refused. The refusal is the one failure, for the first recipient tried.
fn fold_sequence_errors(records: &mut Vec<Record>) {
    let Some(refused) = records
        .iter()
        .position(|r| r.stage == Some(Stage::MailFrom) && r.recipient.is_none())
    else {
        return;
    };
    let is_sequence_error = |r: &Record| {
        r.reply_code == Some(503)
            && r.stage == Some(Stage::RcptTo)
            && r.status.as_deref().is_none_or(|s| s.ends_with(".5.1"))
    };
    let Some(first) = records
        .iter()
        .find(|r| is_sequence_error(r))
        .and_then(|r| r.recipient.clone())
    else {
        return;
    };
    records[refused].recipient = Some(first);
    records.retain(|r| !is_sequence_error(r));
}

/// The address as Sendmail's reply names it before its `...` (`553 5.0.0
/// x@y.example>... Unbalanced '>'`), when that is `rcpt` with a stray bracket or
/// punctuation or two the address itself holds.
fn named_as_written(rcpt: &str, diag: &str) -> Option<String> {
    // A `<` before it opened the address's angle brackets (`<x@y>... User unknown` is
    // Sendmail's own form, `<x@y... Unbalanced '<'` misses its `>`): never the address's.
    // A `>` alone after it is a character typed into the address.
    const BEFORE: &[char] = &['.', ',', ';', ':', '\'', '"'];
    const AFTER: &[char] = &['>', '.', ',', ';', ':', '\'', '"'];
    diag.match_indices("... ").find_map(|(end, _)| {
        let start = diag[..end].rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let token = &diag[start..end];
        let at = token
            .to_ascii_lowercase()
            .find(&rcpt.to_ascii_lowercase())?;
        let (before, after) = (&token[..at], &token[at + rcpt.len()..]);
        let holds_a_stray = !before.is_empty() || !after.is_empty();
        (holds_a_stray && is_a_stray_run(before, BEFORE) && is_a_stray_run(after, AFTER))
            .then(|| token.to_string())
    })
}

/// Whether `s` is at most two characters, each one of `stray` (the characters an
/// address as written may hold next to itself).
fn is_a_stray_run(s: &str, stray: &[char]) -> bool {
    s.chars().count() <= 2 && s.chars().all(|c| stray.contains(&c))
}

/// Whether a reply says an address is malformed: status 5.1.3 (or 5.1.2's bad domain
/// syntax), reply 501 or 553, or the word "syntax".
fn faults_the_form(status: Option<&str>, code: Option<u16>, diag: Option<&str>) -> bool {
    status.is_some_and(|s| s.ends_with(".1.3") || s.ends_with(".1.2"))
        || matches!(code, Some(501 | 553))
        || diag.is_some_and(|d| d.to_ascii_lowercase().contains("syntax"))
}

/// The first `<local@>` a reply names: an address whose domain is missing.
fn domainless_address(diag: &str) -> Option<String> {
    diag.match_indices("@>").find_map(|(at, _)| {
        let open = diag[..at].rfind('<')?;
        let local = &diag[open + 1..at];
        let plain = !local.is_empty()
            && local.len() <= 64
            && !local.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '@'));
        plain.then(|| format!("{local}@"))
    })
}

/// `rcpt` as `text` writes it in `<mailto:...>`: a link's address pasted whole, which the
/// server refused as written.
fn bracketed_with_mailto(rcpt: &str, text: &str) -> Option<String> {
    let written = format!("mailto:{rcpt}");
    let lower = text.to_ascii_lowercase();
    lower
        .contains(&format!("<{}>", written.to_ascii_lowercase()))
        .then_some(written)
}

/// `rcpt` as `text` writes it in `<...>` with a stray character or two after it (a dot,
/// comma, semicolon or colon): the address itself holds them. Case as written; one pass
/// over the text for the address.
fn bracketed_with_a_trailing_stray(rcpt: &str, text: &str) -> Option<String> {
    const STRAY: &[u8] = b".,;:";
    text.match_indices(rcpt).find_map(|(at, _)| {
        if at == 0 || text.as_bytes()[at - 1] != b'<' {
            return None;
        }
        let after = &text.as_bytes()[at + rcpt.len()..];
        let strays = after.iter().take_while(|b| STRAY.contains(b)).count();
        ((1..=2).contains(&strays) && after.get(strays) == Some(&b'>'))
            .then(|| text[at..at + rcpt.len() + strays].to_string())
    })
}

/// Whether a failure at `reached` is better reported under `written`, the address the
/// sender wrote. It is when `reached` is only the recipient site's own name for that
/// mailbox: a local daemon or delivery agent (a domain without a dot:
/// `user@sims-ms-daemon`), or an alias the site expanded `written` to (another mailbox
/// name in the same organisation: `ann@far.example` → `abaker@mail.far.example`). The
/// sender and the agent know the written address; the site's internal name is shown
/// beside it. A message forwarded to another organisation, or the same mailbox under a
/// rewritten host name, is reported at the address that refused it.
fn names_the_written_address(reached: &str, written: &str) -> bool {
    let local_target = |a: &str| {
        a.rsplit_once('@')
            .is_none_or(|(_, domain)| !domain.contains('.') || domain.ends_with(".localdomain"))
    };
    if local_target(written) {
        return false;
    }
    if local_target(reached) {
        return true;
    }
    let (Some((reached_local, reached_domain)), Some((written_local, written_domain))) =
        (reached.rsplit_once('@'), written.rsplit_once('@'))
    else {
        return false;
    };
    // `"john..doe"@x` and `john..doe@x` are one mailbox written two ways.
    let unquoted = |l: &str| l.trim_matches('"').to_ascii_lowercase();
    unquoted(reached_local) != unquoted(written_local)
        && address::organisational_domain(reached_domain)
            == address::organisational_domain(written_domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_run_after_the_session_dates_its_refusal() {
        let session = "$ swaks --to a@b.example --server mx.b.example\n -> RCPT TO:<a@b.example>\n<** 554 5.7.1 <a@b.example>: Relay access denied\n -> QUIT\n$ date -u\nMon Nov 30 14:02:11 UTC 2026\n";
        let mut b = Bounce::default();
        stamp_of_failure(session, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-30T14:02:11+00:00")
        );
    }

    #[test]
    fn a_date_run_before_a_session_without_codes_dates_it() {
        let session = "[root@erp01 ~]# date\nMon Nov 30 10:04:12 CET 2026\n[root@erp01 ~]# sendmail -v -f a@near.example b@far.example.cmo\nb@far.example.cmo... Connecting to far.example.cmo via esmtp...\nb@far.example.cmo... Host unknown (Name server: far.example.cmo: host not found)\n";
        let mut b = Bounce::default();
        stamp_of_failure(session, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-30T09:04:12+00:00")
        );
    }

    #[test]
    fn a_stamped_line_quoting_a_code_after_other_words_dates_the_failure() {
        let log = "2026/12/04 09:12:43 notifier: sending mail\n2026/12/04 09:12:44 notifier: smtp rcpt bob@far.example: 554 5.7.1 Service unavailable\n2026/12/04 09:12:45 notifier: giving up\n";
        let mut b = Bounce::default();
        stamp_of_failure(log, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-04T09:12:44+00:00")
        );
    }

    #[test]
    fn a_log_line_exported_as_a_json_field_keeps_its_stamp() {
        assert_eq!(
            in_json_field(r#"    "line": "ts=2026-11-30T23:12:08.441Z level=error err=\"452\""#),
            r#"ts=2026-11-30T23:12:08.441Z level=error err=\"452\""#
        );
        assert_eq!(
            in_json_field(r#"  "pod": "mailer-7c9f""#),
            r#"  "pod": "mailer-7c9f""#
        );
        let export = "[\n  {\n    \"line\": \"ts=2026-11-30T23:12:08.441Z level=error msg=\\\"send failed\\\" err=\\\"452 4.2.2 over quota\\\"\",\n    \"fields\": {}\n  }\n]\n";
        let mut b = Bounce::default();
        stamp_of_failure(export, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-30T23:12:08+00:00")
        );
    }

    /// A plugin's report puts its settings (a version `4.2.0`, a summary of the error)
    /// above the stamped log of the session: the log's refusal dates it.
    #[test]
    fn a_report_s_preamble_does_not_hide_its_stamped_log() {
        let report = "Versions:\nWP Mail SMTP: 4.2.0\n\nParams:\nErrorInfo: SMTP Error: The following recipients failed: bob@far.example: Recipient address rejected\n\nSMTP Debug:\n2026-12-04 16:02:11\tCLIENT -> SERVER: RCPT TO:<bob@far.example>\n2026-12-04 16:02:12\tSERVER -> CLIENT: 550 5.1.2 <bob@far.example>: Recipient address rejected: Domain not found\n";
        let mut b = Bounce::default();
        stamp_of_failure(report, &mut b);
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-04T16:02:12+00:00")
        );
    }

    #[test]
    fn a_sentence_s_recipient_takes_the_reply_it_quotes() {
        let named = Record {
            recipient: Some("bob@far.example".into()),
            diagnostic: Some("Er is een probleem opgetreden bij het bezorgen van je bericht aan bob@far.example.".into()),
            ..Record::default()
        };
        let reply = Record {
            reply_code: Some(553),
            status: Some("5.1.8".into()),
            diagnostic: Some("553 5.1.8 <ann@near.example>... Domain of sender address ann@near.example does not exist".into()),
            ..Record::default()
        };
        let mut records = vec![named.clone(), reply.clone()];
        merge_reply_into_sentence(&mut records);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(records[0].reply_code, Some(553));
        // Two named failures, or two replies, stay two.
        let mut two = vec![named.clone(), named];
        merge_reply_into_sentence(&mut two);
        assert_eq!(two.len(), 2);
        let mut replies = vec![reply.clone(), reply];
        merge_reply_into_sentence(&mut replies);
        assert_eq!(replies.len(), 2);
    }

    #[test]
    fn a_json_log_line_s_epoch_time() {
        let (when, raw) =
            json_log_stamp(r#"{"level":50,"time":1796243585118,"msg":"mail failed"}"#)
                .expect("epoch ms");
        assert_eq!(when.to_rfc3339(), "2026-12-02T20:33:05.118+00:00");
        assert_eq!(raw, "1796243585118");
        assert!(json_log_stamp(r#"{"time":12345,"msg":"x"}"#).is_none());
    }

    /// The server's brackets show what the address itself holds.
    #[test]
    fn a_stray_character_inside_the_server_s_brackets_is_the_address_s() {
        let at = |rcpt: &str, diag: &str| bracketed_as_written(rcpt, diag);
        assert_eq!(
            at(
                "bob@far.example",
                "501 5.1.3 <bob@far.example,>: Bad recipient address syntax"
            )
            .as_deref(),
            Some("bob@far.example,")
        );
        assert_eq!(
            at("bob@far.example", "553 5.1.3 <Bob@far.example;>: invalid").as_deref(),
            Some("Bob@far.example;")
        );
        assert_eq!(
            at(
                "bob@far.example",
                "501 5.1.3 <\u{2019}bob@far.example>... Invalid address"
            )
            .as_deref(),
            Some("\u{2019}bob@far.example")
        );
        assert_eq!(
            at(
                "bob@far.example",
                "550 5.1.1 <bob@far.example>: no such user"
            ),
            None
        );
        assert_eq!(at("bob@far.example", "550 <xbob@far.example>: no"), None);
    }

    fn stamped(text: &str) -> Option<String> {
        let mut b = Bounce::default();
        stamp_of_failure(text, &mut b);
        b.timestamp.map(|t| t.to_rfc3339())
    }

    /// A report naming only the refused sender failed the message for its addressees.
    #[test]
    fn a_refused_sender_s_message_failed_for_its_addressee() {
        let text = "** Message not delivered **\n\nThe response was:\n553 5.7.1 <me@near.example>: Sender address rejected: not owned by user\n\n----- Original message -----\n\nFrom: Me <me@near.example>\nTo: ann@far.example\nSubject: hi\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("me@near.example"));
        let recipients: Vec<_> = b.records.iter().map(|r| r.recipient.as_deref()).collect();
        assert_eq!(recipients, [Some("ann@far.example")]);
    }

    /// A client's error refusing the sender under a draft's rows (in German): the draft's
    /// addressee failed; a webmail compose screen's To stays no record.
    #[test]
    fn a_refused_draft_failed_for_its_addressee() {
        let text = "Entwurf: \"Rechnung\"\nAn: ann@far.example\nVon: Me <me@near.example>\n\nSenden fehlgeschlagen\ncom.sun.mail.smtp.SMTPSendFailedException: 553 5.7.1 <me@near.example>: Sender address rejected: not owned by user x@near.example\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("me@near.example"));
        let recipients: Vec<_> = b.records.iter().map(|r| r.recipient.as_deref()).collect();
        assert_eq!(recipients, [Some("ann@far.example")]);
        let webmail = "Can't send message: 553 5.7.1 <me@near.example>: Sender address rejected: not owned by user x@near.example\n\nFrom:    Me <me@near.example>\nTo:      ann@far.example\n";
        let b = super::super::parse(webmail.as_bytes()).expect("parsed");
        assert!(b.records.iter().all(|r| r.recipient.is_none()));
    }

    /// The refusal's own stamp; else the nearest stamp above it: a traceback under its
    /// log record, a session under `date`'s output. A stamp below the refusal is not its.
    #[test]
    fn the_stamp_of_a_client_log_s_refusal() {
        let wp = "[05-Dec-2026 14:20:30 UTC] WP Mail SMTP: CLIENT -> SERVER: RCPT TO:<a@b.example>\n[05-Dec-2026 14:20:31 UTC] WP Mail SMTP: SERVER -> CLIENT: 450 4.1.2 <a@b.example>: Domain not found\n";
        assert_eq!(stamped(wp).as_deref(), Some("2026-12-05T14:20:31+00:00"));
        let python = "2026-12-05 03:00:07,512 ERROR notify: could not mail\nTraceback (most recent call last):\nsmtplib.SMTPRecipientsRefused: {'a@b.example': (553, b'Requested action not taken')}\n2026-12-05 03:05:00,000 INFO next\n";
        assert_eq!(
            stamped(python).as_deref(),
            Some("2026-12-05T03:00:07+00:00")
        );
        let session = "# date; telnet mx.b.example 25\nSat Dec  5 16:20:11 CET 2026\n220 mx.b.example ESMTP\nRCPT TO:<a@b.example>\n450 4.7.1 rate limit exceeded\n";
        assert_eq!(
            stamped(session).as_deref(),
            Some("2026-12-05T15:20:11+00:00")
        );
        let rfc = "$ date -R; telnet mx.b.example 25\nSat, 05 Dec 2026 16:20:11 +0100\n220 mx.b.example ESMTP\nRCPT TO:<a@b.example>\n553 5.7.1 no\n";
        assert_eq!(stamped(rfc).as_deref(), Some("2026-12-05T15:20:11+00:00"));
        let microsoft = "RCPT TO:<a@b.example>\n550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM0PR10CA0001.PROD.OUTLOOK.COM 2026-12-03T08:15:42.917Z 08DE12F0A1B2C3D4]\n";
        assert_eq!(
            stamped(microsoft).as_deref(),
            Some("2026-12-03T08:15:42.917+00:00")
        );
        // A script that reached no server: the stamp of the line that says sending failed,
        // not of an earlier notice.
        let php = "[04-Dec-2026 22:10:01 Europe/Berlin] PHP Notice:  Undefined index: phone in send.php on line 18\n[04-Dec-2026 22:10:03 Europe/Berlin] PHP Warning:  mail(): Failed to connect to mailserver at \"localhost\" port 25\n";
        assert_eq!(stamped(php).as_deref(), Some("2026-12-04T21:10:03+00:00"));
        let putty = "=~=~=~=~= PuTTY log 2026.12.02 09:41:27 =~=~=~=~=\nRCPT TO:<a@b.example>\n451 4.7.1 Try again later\n";
        assert_eq!(stamped(putty).as_deref(), Some("2026-12-02T09:41:27+00:00"));
        let windows = "C:\\> echo %date% %time%\n04.12.2026 16:02:11,38\nRCPT TO:<a@b.example>\n553 5.1.3 bad\n";
        assert_eq!(
            stamped(windows).as_deref(),
            Some("2026-12-04T16:02:11+00:00")
        );
        // The US locale's cmd names the weekday, then the month: 3 December, not 12 March.
        let us = "C:\\Users\\x>echo %date% %time%\nThu 12/03/2026 10:22:41.57\n\nC:\\Users\\x>telnet mx.b.example 25\nRCPT TO:<a@b.example>\n501 5.1.3 Bad address syntax\n";
        assert_eq!(stamped(us).as_deref(), Some("2026-12-03T10:22:41+00:00"));
        let ts =
            "Dec 05 19:20:10  -> RCPT TO:<a@b.example>\nDec 05 19:20:11 <** 550 5.7.1 blocked\n";
        assert!(stamped(ts).is_some_and(|t| t.ends_with("-12-05T19:20:11+00:00")));
        let symfony = "[2026-11-29 10:41:06] production.INFO: Sending\n[2026-11-29 10:41:07] production.ERROR: Expected response code \"250\" but got code \"550\", with message \"550 5.7.64 Relay Access Denied\".\n";
        assert_eq!(
            stamped(symfony).as_deref(),
            Some("2026-11-29T10:41:07+00:00")
        );
        let dotnet = "Send-MailMessage : Mailbox unavailable. The server response was: 5.7.60 SMTP; Client does not have permissions to send as this sender [AM6P194CA0042.PROD.OUTLOOK.COM 2026-12-04T06:00:12.118Z 08DE30A1B2C3D4E5]\n";
        assert_eq!(
            stamped(dotnet).as_deref(),
            Some("2026-12-04T06:00:12.118+00:00")
        );
        let japanese = "$ date\n2026年 12月  2日 水曜日 14:31:07 JST\n$ telnet mx.b.example 25\nRCPT TO:<a@b.example>\n553 5.1.8 no\n";
        assert_eq!(
            stamped(japanese).as_deref(),
            Some("2026-12-02T05:31:07+00:00")
        );
        let magento = "[2026-12-04T09:15:33.118422+00:00] main.CRITICAL: RuntimeException: 5.7.1 <a@b.example>: Sender address rejected: not owned by us\n";
        assert_eq!(
            stamped(magento).as_deref(),
            Some("2026-12-04T09:15:33.118422+00:00")
        );
        let nextcloud = "{\"reqId\":\"Zk\",\"level\":3,\"time\":\"2026-12-05T07:41:09+00:00\",\"message\":\"Failed to send mail: Expected response code \\\"250\\\" but got code \\\"553\\\"\"}\n";
        assert_eq!(
            stamped(nextcloud).as_deref(),
            Some("2026-12-05T07:41:09+00:00")
        );
        let after = "550 5.1.1 no such user\n2026-12-05 03:05:00 later\n";
        assert_eq!(stamped(after), None);
    }

    #[test]
    fn an_unnamed_verdict_naming_a_recipient_joins_its_record() {
        let mut records = vec![
            Record {
                recipient: Some("clerk@far.example".into()),
                reply_code: Some(553),
                diagnostic: Some("553 5.3.0 <clerk@far.example>... No such user here".into()),
                ..Record::default()
            },
            Record {
                reply_code: Some(550),
                diagnostic: Some("550 5.1.1 <clerk@far.example>... User unknown".into()),
                ..Record::default()
            },
            Record {
                reply_code: Some(554),
                diagnostic: Some("554 something else entirely".into()),
                ..Record::default()
            },
        ];
        merge_unnamed_into_named(&mut records);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].reply_code, Some(553));
        assert_eq!(records[1].reply_code, Some(554));
    }

    fn cleaned(recipient: &str, original: &str) -> Record {
        let mut r = Record {
            recipient: Some(recipient.into()),
            original_recipient: Some(original.into()),
            ..Record::default()
        };
        clean_recipient(&mut r, "");
        r
    }

    /// qmail's heading writes the address with its trailing dot in brackets: kept where the
    /// reply faults the address's form, and only when the brackets close right after.
    #[test]
    fn a_trailing_dot_in_the_report_s_brackets_stays() {
        let text = "<bob@far.example.>:\n192.0.2.7 does not like recipient.\n";
        assert_eq!(
            bracketed_with_a_trailing_stray("bob@far.example", text).as_deref(),
            Some("bob@far.example.")
        );
        assert_eq!(
            bracketed_with_a_trailing_stray("bob@far.example", "<bob@far.example>.\n"),
            None
        );
        assert_eq!(
            bracketed_with_a_trailing_stray("bob@far.example", "bob@far.example.>\n"),
            None
        );
        assert!(faults_the_form(Some("5.1.3"), Some(501), None));
        assert!(!faults_the_form(
            Some("5.1.1"),
            Some(550),
            Some("user unknown")
        ));
    }

    /// A log's permanent failure is answered before another message's deferral above it.
    #[test]
    fn a_log_s_failure_comes_before_a_deferral() {
        let text = "2026-12-05 16:20:49 1vTk0a-0002Fb-5q == ann@far.example R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host\n2026-12-05 16:20:51 1vTk0b-0002Fe-8Z ** bob@far.example R=dnslookup T=remote_smtp H=mx.far.example [198.51.100.2]: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 550 5.1.1 no such user\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(
            b.records.first().and_then(|r| r.recipient.as_deref()),
            Some("bob@far.example")
        );
    }

    /// An alias the recipient's own site expanded (another mailbox name, same
    /// organisation) or a local delivery agent is reported under the address the sender
    /// wrote, with the site's name beside it.
    #[test]
    fn a_site_s_own_expansion_gives_way_to_the_written_address() {
        for (reached, written) in [
            ("abaker@mail.far.example", "ann@far.example"),
            ("HAASM@vax.uni.example.ch", "ann@example.ch"),
            ("ann.b@far.example", "ann@far.example"),
            ("ann@sims-ms-daemon", "ann@far.example"),
        ] {
            let r = cleaned(reached, written);
            assert_eq!(r.recipient.as_deref(), Some(written), "{reached}");
            assert_eq!(r.final_recipient.as_deref(), Some(reached));
            assert_eq!(r.original_recipient, None);
            assert_eq!(r.also_named(), Some(reached));
        }
    }

    /// A message forwarded to another organisation failed there: that address is the
    /// record's. So is the same mailbox under another host name or written with quotes.
    #[test]
    fn a_forward_or_a_rewritten_host_keeps_the_address_that_refused() {
        for (reached, written) in [
            ("ann@mail.other.example", "ann@far.example"),
            ("postmaster@other.example", "ann@far.example"),
            ("ann@far.example", "ann@dept.far.example"),
            ("Ann@Far.example", "ann@far.example"),
            ("\"a..b\"@far.example", "a..b@far.example"),
            ("ann@far.example", "ann@localhost"),
        ] {
            let r = cleaned(reached, written);
            assert_eq!(r.recipient.as_deref(), Some(reached), "{reached}");
            assert_eq!(r.original_recipient.as_deref(), Some(written));
            assert_eq!(r.final_recipient, None);
        }
    }
}
