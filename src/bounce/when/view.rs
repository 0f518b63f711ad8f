//! The bounce's own date as a mail client shows it above the report: a webmail view's or a
//! forward's Date row, a reply's attribution line naming a mail system, a list row beside
//! the mail system's name, a reading pane's date line under the daemon's From.

use chrono::{DateTime, Datelike, Utc};

use crate::bounce::model::Bounce;
use crate::bounce::{ndr, plain, time, vocabulary};

use super::labelled::original_date;
use super::landmarks::{DATE_LABELS, HEADER_SCAN_LINES, ZONED_STAMP, first_naming_a_recipient};

/// The date line of the header block above the report: the lines before the first that
/// names a failed recipient (a webmail view prints the bounce's own From, Date and To
/// there; a forward, the forwarded bounce's).
pub(super) fn header_date(text: &str, bounce: &Bounce) -> Option<(DateTime<Utc>, bool, String)> {
    let lines: Vec<&str> = text.lines().take(HEADER_SCAN_LINES).collect();
    let above = first_naming_a_recipient(&lines, bounce).unwrap_or(lines.len());
    let dated = lines[..above].iter().enumerate().filter_map(|(i, line)| {
        // The chat's lead first: its time's colon would end a label (`[Name] [오후 2`).
        let (label, value) = after_chat_prefix(line)
            .and_then(plain::view_row)
            .or_else(|| plain::view_row(line))?;
        if !DATE_LABELS.contains(&label.as_str()) {
            return None;
        }
        let (t, zoned) = time::parse_written(value)?;
        Some((i, (t, zoned, value.trim().to_string())))
    });
    // A bounce forwarded twice shows two header blocks: the bounce's own is the one from a
    // mail system; else the first.
    let mut first = None;
    for (i, found) in dated {
        let block = &lines[i.saturating_sub(3)..(i + 4).min(above)];
        if block.iter().any(|l| ndr::names_a_bounce_sender(l)) {
            return Some(found);
        }
        first = first.or(Some(found));
    }
    if first.is_some() {
        return first;
    }
    if let Some(found) = attribution_date(&lines[..above]) {
        return Some(found);
    }
    // A list view's line without labels (`Mail Delivery System <MAILER-DAEMON@host> Sat, 5
    // Dec 2026 03:12:40 +0100`): a full date with its zone, on a line naming a mail system.
    let senders = vocabulary::words("bounce-senders");
    let names = vocabulary::words("bounce-sender-names");
    let names_a_system = |line: &str| {
        let lower = line.to_ascii_lowercase();
        // A From row naming the daemon without its domain (Zimbra's reading pane: `From:
        // MAILER-DAEMON (Mail Delivery System)`).
        let from_value = lower
            .trim()
            .strip_prefix("from:")
            .map(|v| v.trim_start().split([' ', '(']).next().unwrap_or(""));
        senders.iter().any(|s| lower.contains(&format!("{s}@")))
            || from_value.is_some_and(|v| senders.contains(&v))
            || names.contains(&lower.trim())
            // Exchange's own sender (`MicrosoftExchange` and 32 hex digits).
            || (lower.contains("microsoftexchange") && ndr::names_a_bounce_sender(line))
    };
    let on_the_line = lines[..above].iter().find_map(|line| {
        if let Some(m) = ZONED_STAMP.find(line).filter(|_| names_a_system(line)) {
            let when = time::parse_rfc5322(m.as_str())?;
            return Some((when, true, m.as_str().to_string()));
        }
        if let Some(date) = ndr::system_from_on_date(line) {
            let (when, zoned) = written_with_a_year(date, text, bounce)?;
            return Some((when, zoned, date.to_string()));
        }
        list_row_date(line, names, text, bounce)
    });
    on_the_line
        .or_else(|| view_date_line(&lines[..above], &names_a_system, text, bounce))
        .or_else(|| date_over_a_to_row(&lines[..above]))
}

/// The date of a reply's attribution line that names a mail system (`On Fri, Dec 4, 2026
/// at 4:02 PM Mail Delivery Subsystem <mailer-daemon@...> wrote:`): the quoted bounce's
/// date, as the client showed it. Clients wrap a long one, so the address may stand on the
/// next line; the date stands before the name.
pub(super) fn attribution_date(lines: &[&str]) -> Option<(DateTime<Utc>, bool, String)> {
    let verbs = vocabulary::words("reply-attributions");
    let senders = vocabulary::words("bounce-senders");
    let unquoted = |l: &str| {
        l.trim_start_matches(['>', ' ', '\t'])
            .trim_end()
            .to_string()
    };
    let names_a_sender = |lower: &str| {
        senders
            .iter()
            .filter_map(|s| lower.find(&format!("{s}@")))
            .min()
    };
    for (i, line) in lines.iter().enumerate() {
        let mut text = unquoted(line);
        let mut lower = text.to_ascii_lowercase();
        if names_a_sender(&lower).is_none()
            && !lower.contains('@')
            && let Some(next) = lines.get(i + 1).map(|l| unquoted(l))
            && names_a_sender(&next.to_ascii_lowercase())
                .is_some_and(|at| at <= 1 && next[..at].chars().all(|c| c == '<'))
        {
            text = format!("{text} {next}");
            lower = text.to_ascii_lowercase();
        }
        let Some(at) = names_a_sender(&lower) else {
            continue;
        };
        // Yandex's and Mail.ru's forward has no verb: `02.12.2026, 10:15, "Mail Delivery
        // System" <mailer-daemon@...>:`, the name after the date.
        let ends_at_the_address = text.starts_with(|c: char| c.is_ascii_digit())
            && text
                .strip_suffix(':')
                .is_some_and(|t| t.trim_end().ends_with('>'));
        if !ends_at_the_address && !verbs.iter().any(|v| has_word(&text.to_lowercase(), v)) {
            continue;
        }
        let head = text[..at].trim_end_matches(['<', ' ']);
        let before_the_name = head
            .rfind(", \"")
            .or_else(|| head.rfind(" \""))
            .map(|cut| &head[..cut]);
        let dated = std::iter::once(head)
            .chain(before_the_name.filter(|_| ends_at_the_address))
            .find_map(|h| time::parse_written(h).map(|found| (found, h)));
        if let Some(((t, zoned), written)) = dated {
            return Some((t, zoned, written.trim().to_string()));
        }
    }
    None
}

/// Whether a written date shows its year: a run of four digits.
fn shows_a_year(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4)
}

/// Whether `word` stands in `text` as a word of its own.
pub(super) fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A webmail list's row: the mail system's name, then in a column of its own the date as
/// the webmail writes it in its language (`Mail Delivery Subsystem      Do., 03.12.2026,
/// 12:48`).
/// Gmail's list row may leave the year out, as its view line does (`Mail Delivery Subsystem
/// <mailer-daemon@googlemail.com>\t\tqua., 2 de dez., 10:03`): it is given one as there.
pub(super) fn list_row_date(
    line: &str,
    names: &[&str],
    text: &str,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, bool, String)> {
    let t = line.trim();
    let (name, rest) = t.split_once("  ").or_else(|| t.split_once('\t'))?;
    let a_system = names.contains(&name.trim().to_ascii_lowercase().as_str())
        || (name.ends_with('>') && ndr::names_a_bounce_sender(name));
    if !a_system {
        return None;
    }
    let rest = rest.trim();
    if !rest.contains(':') || rest.len() > 60 {
        return None;
    }
    let (when, zoned) = written_with_a_year(rest, text, bounce)?;
    Some((when, zoned, rest.to_string()))
}

/// A view's written date, read with the year it shows, else with the returned message's,
/// else with the latest year that does not put it in the future (a pasted bounce is
/// recent), as for syslog's stamps.
fn written_with_a_year(t: &str, text: &str, bounce: &Bounce) -> Option<(DateTime<Utc>, bool)> {
    time::parse_written(t).or_else(|| {
        if shows_a_year(t) {
            return None;
        }
        if let Some((sent, _)) = original_date(text, None, bounce) {
            return time::parse_written(&format!("{t} {}", sent.format("%Y")));
        }
        let now = Utc::now();
        [now.year(), now.year() - 1].into_iter().find_map(|year| {
            time::parse_written(&format!("{t} {year}"))
                .filter(|(when, _)| *when <= now + chrono::Duration::days(1))
        })
    })
}

/// A webmail view's date on a line of its own under the bounce's sender line (Gmail's
/// `Fri, Dec 4, 4:17 PM (2 days ago)`, Yahoo's `Fri, Dec 4, 2026 at 9:02 PM`). A date
/// written without its year is given the returned message's.
pub(super) fn view_date_line(
    lines: &[&str],
    names_a_system: &dyn Fn(&str) -> bool,
    text: &str,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, bool, String)> {
    let system_at = lines.iter().position(|l| names_a_system(l))?;
    let end = (system_at + 5).min(lines.len());
    lines[system_at + 1..end].iter().find_map(|line| {
        let t = line.trim();
        // Gmail adds how long ago, in brackets; its app, the zone (`21:14 (GMT+1)`), and
        // Zoho its zone's name (`10:27 am (IST)`).
        // Korean webmail puts the weekday in brackets before the time (`2026. 12. 2. (수)
        // 오후 3:05`): the words after the brackets stay.
        let unbracketed: String;
        let t = match t.split_once(" (") {
            Some((date, after))
                if !after.to_ascii_lowercase().starts_with(['g', 'u'])
                    && !time::names_a_zone(after.trim_end_matches(')')) =>
            {
                match after.split_once(')') {
                    Some((_, rest)) if !rest.trim().is_empty() => {
                        unbracketed = format!("{date} {}", rest.trim());
                        unbracketed.as_str()
                    }
                    _ => date,
                }
            }
            _ => t,
        }
        .trim();
        // A time has its colon, or Finnish's `klo` before it (`1.12.2026 klo 14.09`), or a
        // dot after the year (Gmail in Indonesian: `Sel, 24 Nov 2026, 09.51`).
        let has_year = shows_a_year(t);
        let dotted_after_year = has_year
            && t.rsplit([' ', ','])
                .next()
                .is_some_and(time::is_dotted_clock);
        if t.is_empty()
            || t.len() > 60
            || t.contains('@')
            || !(t.contains(':') || t.contains(" klo ") || dotted_after_year)
        {
            return None;
        }
        written_with_a_year(t, text, bounce).map(|(when, zoned)| (when, zoned, t.to_string()))
    })
}

/// A view whose sender line was cut off the copy: its date alone on one of the paste's
/// first lines, right over the view's To row (`Tue, Dec 1, 2026 at 3:04 PM` then `To:
/// ann@near.example`). Only a full date with its year and clock.
pub(super) fn date_over_a_to_row(lines: &[&str]) -> Option<(DateTime<Utc>, bool, String)> {
    let to_labels = vocabulary::words("to-labels");
    let is_to_row = |l: &str| {
        plain::view_row(l).is_some_and(|(label, value)| {
            to_labels.contains(&label.as_str()) && value.contains('@')
        })
    };
    let head: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .collect();
    head.windows(2).find_map(|pair| {
        let t = pair[0].trim();
        if t.len() > 60 || t.contains('@') || !t.contains(':') || !is_to_row(pair[1]) {
            return None;
        }
        let has_year = shows_a_year(t);
        let (when, zoned) = time::parse_written(t).filter(|_| has_year)?;
        Some((when, zoned, t.to_string()))
    })
}

/// The Date row of the draft a client's error shows below it (Horde's, SquirrelMail's,
/// Kerio's compose rows: `From: Ann <ann@near.example>`, `To: ...`, `Date: 28/11/2026
/// 15:10`): when the customer sent. Only a date row within a few rows of a From row that
/// names a person's address (or of a client's account row), in a paste that shows no mail
/// system's report (a report's rows of the returned message are when it was written). Else
/// a mobile outbox's date line under the draft's rows ([`bare_draft_date`]).
pub(super) fn draft_date(
    lines: &[&str],
    text: &str,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, bool, String)> {
    if plain::shows_a_system_s_report(lines) {
        return None;
    }
    let from_labels = vocabulary::words("from-labels");
    // (Or the account row of a client's send error: Foxmail's `账户：x@y`.)
    let person_s_from = |l: &str| {
        plain::view_row(l).is_some_and(|(label, value)| {
            from_labels.contains(&label.as_str())
                && value.contains('@')
                && !ndr::names_a_bounce_sender(value)
        }) || crate::bounce::client::account_row_value(l).is_some_and(|v| v.contains('@'))
    };
    lines
        .iter()
        .enumerate()
        .find_map(|(i, line)| {
            let (label, value) = plain::view_row(line)?;
            if !DATE_LABELS.contains(&label.as_str()) {
                return None;
            }
            let near = lines[i.saturating_sub(4)..(i + 5).min(lines.len())]
                .iter()
                .any(|l| person_s_from(l));
            if !near {
                return None;
            }
            let value = value.trim();
            let (when, zoned) = time::parse_written(value).filter(|_| shows_a_year(value))?;
            Some((when, zoned, value.to_string()))
        })
        .or_else(|| bare_draft_date(lines, text, bounce))
}

/// A mobile client's outbox row: the draft's rows (`To: x@y`, `Subject: ...`) and its date
/// on the next line, with no label (Samsung Email's `3 Dec 16:32`, Thunderbird for
/// Android's `5 Dec 2026, 11:02 am`). A date without its year is given one as a view's is.
fn bare_draft_date(
    lines: &[&str],
    text: &str,
    bounce: &Bounce,
) -> Option<(DateTime<Utc>, bool, String)> {
    let to_labels = vocabulary::words("to-labels");
    let row_labels: Vec<&str> = [
        vocabulary::words("to-labels"),
        vocabulary::words("subject-labels"),
        vocabulary::words("from-labels"),
    ]
    .concat();
    let is_to_row = |l: &str| {
        plain::view_row(l).is_some_and(|(label, value)| {
            to_labels.contains(&label.as_str()) && value.contains('@')
        })
    };
    let is_draft_row = |l: &str| {
        plain::view_row(l).is_some_and(|(label, _)| {
            row_labels.contains(&label.as_str()) || label == "bcc" || label == "cc"
        })
    };
    lines.iter().enumerate().skip(1).find_map(|(i, line)| {
        let t = line.trim();
        if t.is_empty()
            || t.len() > 40
            || t.contains('@')
            || !t.contains(':')
            || !is_draft_row(lines[i - 1])
            || !lines[i.saturating_sub(5)..i].iter().any(|l| is_to_row(l))
        {
            return None;
        }
        // A row of its own is no date (`Subject: Saturday 12:30 tee time`).
        if is_draft_row(line) {
            return None;
        }
        written_with_a_year(t, text, bounce).map(|(when, zoned)| (when, zoned, t.to_string()))
    })
}

/// A line of a chat copy after its author and time in brackets (KakaoTalk's `[Name]
/// [오후 2:14] Date: ...`): what the customer pasted. `None` when the line has no such lead.
pub(super) fn after_chat_prefix(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    let mut groups = 0;
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']').filter(|&c| c <= 40)?;
        rest = inner[close + 1..].strip_prefix(' ')?;
        groups += 1;
        if groups == 2 {
            return Some(rest);
        }
    }
    None
}
