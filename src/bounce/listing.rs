//! A paste copied out of a tool that lists a file: every line carries the tool's prefix.
//! `less -N` and vim's `:set nu` right-align the line number and put one space after it
//! (less 590 and later repeats the number on the rows of a wrapped line, older less and
//! vim leave it blank); `cat -n` and `nl` right-align it and put a TAB after it; `grep -n`
//! writes `12:` before a matching line, `12-` before a context line and `--` between
//! groups; grep over several files (`-H`, `-r`, `zgrep`) writes the file's name first
//! (`main.log.gz:` or `main.log:12:`); `tail` and `head` over several files put a `==> file
//! <==` header before each file's lines.
//!
//! A prefix hides what a line starts with: the headers of a message under `less -N` are
//! no headers, and a log line does not start with its stamp. So a text whose lines nearly
//! all carry one such prefix, with the numbers rising as the tool counts them, is read with
//! the prefixes taken off. A few lines around the listing (the shell prompt and command
//! above it, a pager's status line or vim's `~` rows below it) are the terminal's, not the
//! listing's: they stay, except around a listed whole message, whose headers the lines
//! above would hide and whose last line the lines below would run on from.
//!
//! A number the line itself starts with is never taken for a prefix: a stamp (`12:34:56`,
//! `2026-12-01`), a multi-line SMTP reply (`550-5.1.1`), a numbered list (`1. `, `2) `, or
//! numbers without the padding a pager gives them).

use super::frame::Unframed;

/// Lines looked at before the whole text is: a listing shows its prefix from its first
/// rows on (under a prompt or two).
const GATE_LINES: usize = 16;
/// Digits of a line number: grep over a year of maillog reaches seven; more is an epoch
/// stamp or an id, not a line.
const MAX_DIGITS: usize = 8;
/// Non-empty lines above the first numbered row that may be the terminal's (a prompt, the
/// command, a `date` run before it).
const MAX_LEADING: usize = 3;
/// Non-empty lines below the last numbered row that may be the terminal's (a pager's
/// status line, the next prompt), besides vim's `~` rows.
const MAX_TRAILING: usize = 4;
/// Numbered rows per unnumbered, non-empty row in the middle of a listing, at least.
const ROWS_PER_STRAY: usize = 10;
/// Files a grep over several files may name before its lines.
const MAX_FILES: usize = 4;

/// How a listing prefixes each of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// `less -N`, vim `:set nu`: the number ends at this column, then one space.
    Spaced(usize),
    /// `cat -n`, `nl`: the number ends at this column, then a TAB.
    Tabbed(usize),
    /// `grep -n`: `12:` or `12-`, no padding.
    Grep,
    /// grep over several files: one of these names, then `:` or `-`, then perhaps grep's
    /// number (`numbered`).
    Named { names: Vec<String>, numbered: bool },
}

/// One line of the paste as a listing of some [`Form`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading<'a> {
    /// A listed line: its number (when the form has one; per file for [`Form::Named`]) and
    /// its text.
    Row {
        number: Option<u32>,
        file: usize,
        body: &'a str,
        /// Not one of grep's context lines (`12-`), which stand only around a match.
        matched: bool,
    },
    Blank,
    /// grep's `--` between groups of lines that were not next to each other in the file.
    Gap,
    /// `==> file <==` from tail or head.
    Header,
    /// vim's `~` after the end of the file.
    Tilde,
    /// The further row of a line the viewer wrapped, with the number column blank.
    Wrap(&'a str),
    Other,
}

/// The text without its listing's prefixes, when it is a listing; `None` for any other text
/// (one look at its first lines).
pub fn unframed(text: &str) -> Option<Unframed> {
    if let Some(form) = form_of(text) {
        let lines: Vec<&str> = text.split('\n').collect();
        let readings: Vec<Reading> = lines.iter().map(|l| read(l, &form)).collect();
        if let Some(out) = listed(&lines, &readings, &form) {
            return Some(out);
        }
    }
    without_headers(text)
}

/// The form the first lines of `text` are listed in, when two or more of them carry one
/// prefix with numbers rising.
fn form_of(text: &str) -> Option<Form> {
    let head: Vec<&str> = text.split('\n').take(GATE_LINES).collect();
    // Padded numbers: the column where most of them end, and whether a TAB follows.
    let mut padded: Vec<(usize, bool)> = head
        .iter()
        .filter_map(|l| padded(l))
        .filter_map(|(edge, _, tab, _)| tab.map(|t| (edge, t)))
        .collect();
    padded.sort_unstable();
    let mut candidates: Vec<Form> = Vec::with_capacity(4);
    if let Some(&(edge, tab)) = padded
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())
        .and_then(|run| run.first())
    {
        candidates.push(if tab {
            Form::Tabbed(edge)
        } else {
            Form::Spaced(edge)
        });
    }
    if head.iter().filter(|l| grep(l).is_some()).take(2).count() == 2
        && head
            .iter()
            .any(|l| grep(l).is_some_and(|(_, sep, _)| sep == b':'))
    {
        candidates.push(Form::Grep);
    }
    if let Some(named) = named_form(&head) {
        candidates.push(named);
    }
    candidates.into_iter().find(|form| {
        let readings: Vec<Reading> = head.iter().map(|l| read(l, form)).collect();
        let rows = readings
            .iter()
            .filter(|r| matches!(r, Reading::Row { .. }))
            .count();
        rows >= 2 && rising(&readings, form)
    })
}

/// The file names grep put before the first lines: path-like words before a `:` that start
/// two lines or more, at most [`MAX_FILES`] of them.
fn named_form(head: &[&str]) -> Option<Form> {
    let mut names: Vec<(&str, usize)> = Vec::new();
    for line in head {
        let Some(name) = file_name(line) else {
            continue;
        };
        match names.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => names.push((name, 1)),
        }
    }
    if names.is_empty()
        || names.len() > MAX_FILES
        || names.iter().map(|(_, c)| c).sum::<usize>() < 2
    {
        return None;
    }
    let names: Vec<String> = names.into_iter().map(|(n, _)| n.to_string()).collect();
    // With `-n` every line has grep's own number after the name.
    let form = Form::Named {
        names,
        numbered: true,
    };
    let rows: Vec<Reading> = head.iter().map(|l| read(l, &form)).collect();
    let numbered = rows
        .iter()
        .filter(|r| {
            matches!(
                r,
                Reading::Row {
                    number: Some(_),
                    ..
                }
            )
        })
        .count();
    let named = head.iter().filter(|l| file_name(l).is_some()).count();
    let Form::Named { names, .. } = form else {
        return None;
    };
    Some(Form::Named {
        names,
        numbered: numbered * 10 >= named * 8,
    })
}

/// A path-like word before the line's first `:` (`/var/log/maillog`, `main.log-2026.gz`):
/// no spaces or address characters, a `.` or a `/` in it, and a letter.
fn file_name(line: &str) -> Option<&str> {
    let end = memchr::memchr(b':', line.as_bytes().get(..256).unwrap_or(line.as_bytes()))?;
    let name = &line[..end];
    let b = name.as_bytes();
    let path_like = b.len() >= 3
        && b.iter().any(|&c| c == b'.' || c == b'/')
        && b.iter().any(u8::is_ascii_alphabetic)
        && !b.starts_with(b"-")
        && !b.ends_with(b".")
        && b.iter().all(|&c| {
            c.is_ascii_alphanumeric() || matches!(c, b'.' | b'/' | b'_' | b'-' | b'~' | b'+')
        });
    path_like.then_some(name)
}

/// How `line` reads as a line of a listing in `form`.
fn read<'a>(line: &'a str, form: &Form) -> Reading<'a> {
    if line.trim().is_empty() {
        return Reading::Blank;
    }
    if is_header(line) {
        return Reading::Header;
    }
    let row = |number: Option<u32>, file: usize, body: &'a str, matched: bool| Reading::Row {
        number,
        file,
        body,
        matched,
    };
    match form {
        Form::Spaced(edge) | Form::Tabbed(edge) => {
            let tabbed = matches!(form, Form::Tabbed(_));
            if let Some((at, n, tab, body)) = padded(line)
                && at == *edge
                && tab.is_none_or(|t| t == tabbed)
            {
                return row(Some(n), 0, body, true);
            }
            if line.trim_end() == "~" && !tabbed {
                return Reading::Tilde;
            }
            // A wrapped line's further rows: the number column left blank.
            if !tabbed && line.len() > edge + 1 && line.bytes().take(edge + 1).all(|b| b == b' ') {
                return Reading::Wrap(&line[edge + 1..]);
            }
            Reading::Other
        }
        Form::Grep => {
            if line == "--" {
                return Reading::Gap;
            }
            match grep(line) {
                Some((n, sep, body)) => row(Some(n), 0, body, sep == b':'),
                None => Reading::Other,
            }
        }
        Form::Named { names, numbered } => {
            if line == "--" {
                return Reading::Gap;
            }
            for (file, name) in names.iter().enumerate() {
                // `name:` before a matching line, `name-` before a context line.
                let Some(after) = line.strip_prefix(name.as_str()) else {
                    continue;
                };
                let Some(rest) = after.strip_prefix([':', '-']) else {
                    continue;
                };
                if !numbered {
                    return row(None, file, rest, after.starts_with(':'));
                }
                return match grep(rest) {
                    Some((n, sep, body)) => row(Some(n), file, body, sep == b':'),
                    None => Reading::Other,
                };
            }
            Reading::Other
        }
    }
}

/// `==> /var/log/maillog <==`, the header tail and head put before each file's lines.
fn is_header(line: &str) -> bool {
    line.strip_prefix("==> ")
        .and_then(|r| r.strip_suffix(" <=="))
        .is_some_and(|name| !name.trim().is_empty())
}

/// A right-aligned line number (`   12 text`, `   12\ttext`, or the number alone when the
/// copy dropped the blanks after it): the column where the number ends, the number,
/// whether a TAB (`Some(true)`) or a space follows (`None`: nothing follows), the text.
fn padded(line: &str) -> Option<(usize, u32, Option<bool>, &str)> {
    let b = line.as_bytes();
    let spaces = b.iter().take_while(|&&c| c == b' ').count();
    let digits = b[spaces..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    // Pagers count from 1 and pad with spaces, never zeros.
    if digits == 0 || digits > MAX_DIGITS || b[spaces] == b'0' {
        return None;
    }
    let edge = spaces + digits;
    let n: u32 = line[spaces..edge].parse().ok()?;
    let (tab, body) = match b.get(edge) {
        None => (None, ""),
        Some(b'\t') => (Some(true), &line[edge + 1..]),
        Some(b' ') => (Some(false), &line[edge + 1..]),
        Some(_) => return None,
    };
    // A pager pads its numbers to a column (less to 7, vim to 3); numbers a line starts
    // with unpadded (`1 apple`, `220 mx ESMTP`) are the line's own.
    if tab != Some(true) && edge < 3 {
        return None;
    }
    Some((edge, n, tab, body))
}

/// grep's `12:text` or `12-text`: the number and the text, unless the line's own start is
/// what looks like a number: a time (`12:34:56`), a date (`2026-12-01`, `01-12-2026`), a
/// multi-line SMTP reply with its status (`550-5.1.1`).
fn grep(line: &str) -> Option<(u32, u8, &str)> {
    let b = line.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    // grep counts from 1 and pads nothing: `07-` is a name's own number.
    if digits == 0 || digits > MAX_DIGITS || b[0] == b'0' {
        return None;
    }
    let sep = *b.get(digits)?;
    if sep != b':' && sep != b'-' {
        return None;
    }
    let body = &line[digits + 1..];
    let n: u32 = line[..digits].parse().ok()?;
    // grep over a log whose lines start with a time keeps the whole time after its number.
    if starts_time(line) && !starts_full_time(body) {
        return None;
    }
    if sep == b'-' && starts_date_rest(body) {
        return None;
    }
    if sep == b'-' && digits == 3 && (b'2'..=b'5').contains(&b[0]) && starts_status(body) {
        return None;
    }
    Some((n, sep, body))
}

/// `H:MM` or `HH:MM` (then no digit): a clock time, perhaps with seconds after it.
fn starts_time(s: &str) -> bool {
    let b = s.as_bytes();
    let h = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&h)
        && b.get(h) == Some(&b':')
        && b.get(h + 1..h + 3)
            .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        && !b.get(h + 3).is_some_and(u8::is_ascii_digit)
}

/// `H:MM:SS` or `HH:MM:SS`.
fn starts_full_time(s: &str) -> bool {
    let b = s.as_bytes();
    let h = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&h)
        && b.get(h) == Some(&b':')
        && b.get(h + 1..h + 3)
            .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        && b.get(h + 3) == Some(&b':')
        && b.get(h + 4..h + 6)
            .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
}

/// What follows the first number of a date: `12-01` of `2026-12-01`, `12-2026` of
/// `01-12-2026`.
fn starts_date_rest(s: &str) -> bool {
    let b = s.as_bytes();
    let d = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&d) && b.get(d) == Some(&b'-') && b.get(d + 1).is_some_and(u8::is_ascii_digit)
}

/// An enhanced status code (`5.1.1`) at the start.
fn starts_status(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b, [c, b'.', d, ..] if c.is_ascii_digit() && d.is_ascii_digit())
}

/// Whether the rows' numbers rise as the form's tool counts: by one from row to row for a
/// pager or `cat -n` (a pager's wrapped line repeats its number), upward for grep, per file
/// when grep named files.
fn rising(readings: &[Reading], form: &Form) -> bool {
    let mut last: Vec<Option<u32>> = vec![None; MAX_FILES];
    for r in readings {
        let Reading::Row {
            number: Some(n),
            file,
            ..
        } = *r
        else {
            continue;
        };
        let Some(prev) = last.get_mut(file) else {
            return false;
        };
        if let Some(p) = *prev {
            let ok = match form {
                Form::Spaced(_) => n == p || n == p.saturating_add(1),
                Form::Tabbed(_) => n == p.saturating_add(1),
                Form::Grep | Form::Named { .. } => n > p,
            };
            if !ok {
                return false;
            }
        }
        *prev = Some(n);
    }
    true
}

/// The listing's text, when `readings` (one per line) make the whole text a listing in
/// `form`: two numbered rows or more, rising, a few lines of the terminal's around them,
/// nearly nothing else between them.
fn listed(lines: &[&str], readings: &[Reading], form: &Form) -> Option<Unframed> {
    let is_row = |r: &Reading| matches!(r, Reading::Row { .. });
    // grep prints context lines only around a match.
    if !readings
        .iter()
        .any(|r| matches!(r, Reading::Row { matched: true, .. }))
    {
        return None;
    }
    let first = readings.iter().position(is_row)?;
    let last = readings.iter().rposition(is_row)?;
    let rows = readings.iter().filter(|r| is_row(r)).count();
    let words = |r: &&Reading| !matches!(r, Reading::Blank | Reading::Header);
    let leading = readings[..first].iter().filter(words).count();
    let trailing = readings[last + 1..]
        .iter()
        .filter(words)
        .filter(|r| !matches!(r, Reading::Tilde))
        .count();
    let strays = readings[first..=last]
        .iter()
        .filter(|r| matches!(r, Reading::Other | Reading::Tilde))
        .count();
    if rows < 2
        || leading > MAX_LEADING
        || trailing > MAX_TRAILING
        || strays * ROWS_PER_STRAY > rows
        || !rising(readings, form)
    {
        return None;
    }
    let mut out = Unframed::default();
    let mut previous: Option<(usize, u32)> = None;
    for (i, (&line, reading)) in lines
        .iter()
        .zip(readings)
        .enumerate()
        .take(last + 1)
        .skip(first)
    {
        match *reading {
            Reading::Row {
                number, file, body, ..
            } => {
                // less repeats the number on a wrapped line's further rows.
                let repeated = matches!(form, Form::Spaced(_))
                    && number.is_some_and(|n| previous == Some((file, n)));
                if repeated {
                    out.append(body);
                } else {
                    out.push(body, i);
                }
                previous = number.map(|n| (file, n));
            }
            Reading::Wrap(rest) => out.append(rest),
            // Lines grep left out stood between the groups.
            Reading::Gap | Reading::Blank => out.push("", i),
            Reading::Header => {}
            _ => out.push(line, i),
        }
    }
    // The terminal's lines around a listed message are not its headers nor its body (a
    // pager's status line would run on from the last line); around anything else they stay
    // (a `date` run before the command says when), but for vim's `~` rows.
    let message = super::looks_like_message(&out.text);
    if message {
        // The text still ends where the paste did.
        if lines.len() > last + 1 && lines.last().is_some_and(|l| l.is_empty()) {
            out.push("", lines.len() - 1);
        }
    } else {
        for (i, (&line, reading)) in lines.iter().zip(readings).enumerate().skip(last + 1) {
            match reading {
                Reading::Tilde | Reading::Header => {}
                _ => out.push(line, i),
            }
        }
        let mut above = Unframed::default();
        for (i, (&line, reading)) in lines.iter().zip(readings).enumerate().take(first) {
            if *reading != Reading::Header {
                above.push(line, i);
            }
        }
        above.extend(out);
        out = above;
    }
    out.why = Some(match form {
        Form::Named {
            numbered: false, ..
        } => "the file names grep put before each line were taken off to read it",
        _ => "line numbers from a listing were taken off to read it",
    });
    Some(out)
}

/// The text without tail's and head's `==> file <==` headers, when it has any.
fn without_headers(text: &str) -> Option<Unframed> {
    memchr::memmem::find(text.as_bytes(), b"==> ")?;
    let lines: Vec<&str> = text.split('\n').collect();
    if !lines.iter().any(|l| is_header(l)) {
        return None;
    }
    let mut out = Unframed::default();
    for (i, line) in lines.iter().enumerate() {
        if !is_header(line) {
            out.push(line, i);
        }
    }
    out.why = Some("the file headers tail or head put between files were taken off to read it");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(u: &Unframed) -> &str {
        &u.text
    }

    #[test]
    fn less_n_of_a_message_gives_the_message() {
        let paste = "root@vps1:~# less -N /var/mail/shop\n      1 From: MAILER-DAEMON@mx.example.com\n      2 To: shop@example.com\n      3 Subject: Undelivered\n      4 \n      5 <ann@far.example>: host mx.far.example said: 550 5.1.1\n      6     User unknown (in reply to RCPT TO command)\n/var/mail/shop lines 1-6/6 (END)\n";
        let u = unframed(paste).expect("a listing");
        assert_eq!(
            text(&u),
            "From: MAILER-DAEMON@mx.example.com\nTo: shop@example.com\nSubject: Undelivered\n\n<ann@far.example>: host mx.far.example said: 550 5.1.1\n    User unknown (in reply to RCPT TO command)\n"
        );
        // Each line of the text is the paste's line it came from.
        assert_eq!(u.lines, vec![1, 2, 3, 4, 5, 6, 8]);
        assert!(u.why.is_some());
    }

    #[test]
    fn less_s_wrapped_rows_are_joined() {
        // less 590 repeats the number; older less and vim leave the column blank.
        let new = "      1 short\n      2 xxxxLONG\n      2 yyyy\n      3 after\n";
        assert_eq!(
            text(&unframed(new).expect("listing")),
            "short\nxxxxLONGyyyy\nafter\n"
        );
        let old = "  1 short\n  2 xxxxLONG\n    yyyy\n  3 after\n~\n~\n\"x.txt\" 3L, 30B\n";
        let u = unframed(old).expect("listing");
        assert_eq!(text(&u), "short\nxxxxLONGyyyy\nafter\n\"x.txt\" 3L, 30B\n");
        assert_eq!(u.lines, vec![0, 1, 3, 6, 7]);
    }

    #[test]
    fn cat_n_and_nl_with_the_prompt_above_a_log() {
        let paste = "$ cat -n maillog\n     1\tDec  1 07:57:02 mail postfix/smtpd[1]: connect\n     2\t\n     3\tDec  1 07:57:03 mail postfix/smtpd[1]: NOQUEUE: reject\n";
        let u = unframed(paste).expect("listing");
        // Not a message: the prompt stays.
        assert_eq!(
            text(&u),
            "$ cat -n maillog\nDec  1 07:57:02 mail postfix/smtpd[1]: connect\n\nDec  1 07:57:03 mail postfix/smtpd[1]: NOQUEUE: reject\n"
        );
        assert_eq!(u.lines, vec![0, 1, 2, 3, 4]);
        // nl without -ba leaves blank lines unnumbered (and the count goes on).
        let nl = "     1\tline one\n       \n     2\tline two\n";
        assert_eq!(
            text(&unframed(nl).expect("listing")),
            "line one\n\nline two\n"
        );
    }

    #[test]
    fn grep_n_with_context_and_gaps() {
        let paste = "3:Date: 1 Dec 2026 12:30:09 -0000\n4-From: MAILER-DAEMON@mx.example.com\n5:To: kurse@example.com\n--\n13:<info@far.example>:\n14-198.51.100.33 does not like recipient.\n18---- Below this line is a copy of the message.\n";
        let u = unframed(paste).expect("listing");
        assert_eq!(
            text(&u),
            "Date: 1 Dec 2026 12:30:09 -0000\nFrom: MAILER-DAEMON@mx.example.com\nTo: kurse@example.com\n\n<info@far.example>:\n198.51.100.33 does not like recipient.\n--- Below this line is a copy of the message.\n"
        );
        // Big line numbers, gaps between them, prompts around.
        let log = "[root@mail ~]# grep -n NOQUEUE /var/log/maillog\n41877:Dec  1 07:57:02 mail postfix/smtpd[3]: NOQUEUE: reject: RCPT\n41912:Dec  1 07:58:14 mail postfix/smtpd[3]: NOQUEUE: reject: RCPT\n[root@mail ~]#";
        assert_eq!(
            text(&unframed(log).expect("listing")),
            "[root@mail ~]# grep -n NOQUEUE /var/log/maillog\nDec  1 07:57:02 mail postfix/smtpd[3]: NOQUEUE: reject: RCPT\nDec  1 07:58:14 mail postfix/smtpd[3]: NOQUEUE: reject: RCPT\n[root@mail ~]#"
        );
    }

    #[test]
    fn grep_over_files_names_each_line() {
        let paste = "$ zgrep 1wL /var/log/exim/main.log-2026*.gz\n/var/log/exim/main.log-20261202.gz:2026-12-01 14:55:36 1wL <= a@b.example\n/var/log/exim/main.log-20261202.gz:2026-12-01 14:55:38 1wL ** c@d.example\n/var/log/exim/main.log-20261203.gz:2026-12-02 10:00:00 1wL Completed\n";
        let u = unframed(paste).expect("listing");
        assert_eq!(
            text(&u),
            "$ zgrep 1wL /var/log/exim/main.log-2026*.gz\n2026-12-01 14:55:36 1wL <= a@b.example\n2026-12-01 14:55:38 1wL ** c@d.example\n2026-12-02 10:00:00 1wL Completed\n"
        );
        // With -n the numbers count per file.
        let numbered = "a/x.log:1:first\na/x.log-2-second\na/x.log:3:third\nb.log:1:other\n";
        assert_eq!(
            text(&unframed(numbered).expect("listing")),
            "first\nsecond\nthird\nother\n"
        );
    }

    #[test]
    fn tail_s_headers_go() {
        let paste = "# tail -f /var/log/a.log /var/log/b.log\n==> /var/log/a.log <==\nline a\n\n==> /var/log/b.log <==\nline b\n";
        let u = unframed(paste).expect("headers");
        assert_eq!(
            text(&u),
            "# tail -f /var/log/a.log /var/log/b.log\nline a\n\nline b\n"
        );
        assert_eq!(u.lines, vec![0, 2, 3, 5, 6]);
    }

    #[test]
    fn a_line_s_own_numbers_are_no_prefix() {
        for text in [
            // Times at the start of each line, even rising by the hour.
            "07:57:02 connect from x\n08:12:03 NOQUEUE: reject: RCPT\n09:01:44 disconnect\n",
            "7:57 connect\n8:12 reject\n9:01 gone\n",
            // Exim's dated lines.
            "2026-11-30 08:12:03 1wJ <= a@b.example\n2026-11-30 08:12:04 1wJ ** c@d.example\n2026-12-01 08:12:04 1wJ Completed\n",
            "01-12-2026 10:00 first\n02-12-2026 10:00 second\n03-12-2026 10:00 third\n",
            // A multi-line reply.
            "250-mx.example.com\n250-PIPELINING\n250 8BITMIME\n",
            "421-4.7.0 Try again later\n550-5.1.1 The email account does not exist\n",
            // Replies one a line, rising.
            "220 mx.example.com ESMTP\n250 2.1.0 Ok\n354 End data\n550 5.1.1 User unknown\n",
            // Numbered lists in prose.
            "Steps:\n1. Open the settings\n2. Click Accounts\n3. Remove the old one\n",
            "1) first\n2) second\n3) third\n",
            "1 apple\n2 pear\n3 plum\n",
            // Epoch stamps, a process list.
            "1764576847 connect\n1764576848 reject\n1764576849 gone\n",
            "  PID TTY          TIME CMD\n 1204 pts/0    00:00:00 bash\n 1377 pts/0    00:00:00 ps\n 1380 pts/0    00:00:00 less\n",
            // A few numbered lines inside prose.
            "Hi,\nthe bounce is below.\nThanks\nAnn\nP.S.\n   12 apples\n   13 pears\nbye\nmore prose here\nand here\nand more\nand even more\n",
            // Names that start with a number (a manifest's first column).
            "07-exim.txt\texim\n08-exim.txt\texim\n09-exim.txt\texim\n",
            "10-exim.txt\texim\n11-exim.txt\texim\n12-exim.txt\texim\n",
            // Headers and addresses before colons.
            "Received: from x\nTo: a@b.example\nmx.example.com: host not found\n<a@b.example>: User unknown\n",
        ] {
            assert!(unframed(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn numbers_must_rise_as_the_tool_counts() {
        // Padded but not counting by one.
        assert!(unframed("   12 a\n   15 b\n   19 c\n").is_none());
        // grep's numbers going down.
        assert!(unframed("30:a\n20:b\n10:c\n").is_none());
    }

    #[test]
    fn grep_over_a_log_of_times_keeps_the_time() {
        let paste = "3:10:26:07 first\n9:10:26:09 second\n";
        assert_eq!(
            text(&unframed(paste).expect("listing")),
            "10:26:07 first\n10:26:09 second\n"
        );
    }
}
