//! Mail server log lines: exim_mainlog and Postfix maillog (syslog or ISO timestamps).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::model::{Action, Bounce, Record, Stage};
use super::pattern::re;
use super::response;
use super::scan;

/// Syslog's stamp (`Mar  1 10:22:33`, with microseconds as `journalctl -o short-precise`
/// prints it) or an RFC 3339 one, as the syslog lines of every MTA open; the readers'
/// patterns share it.
macro_rules! syslog_stamp {
    () => {
        r"[A-Za-z]{3} +[0-9]{1,2} [0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:\.[0-9]{1,6})?|[0-9]{4}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:\.[0-9]+)?(?:Z|[+-][0-9][0-9]:?[0-9][0-9])?"
    };
}

/// Exim's own stamp (`2024-03-01 10:22:33`, with `+millisec` and `+tod_log_zone` forms).
macro_rules! exim_stamp {
    () => {
        r"[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:\.[0-9]+)?(?: [+-][0-9]{4})?"
    };
}

/// `2024-03-01 10:22:33 [pid] 1rABCD-000123-XY ** rcpt <orig> R=... T=...: text`
static EXIM: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        exim_stamp!(),
        r") (?:\[[0-9]+\] )?([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (\*\*|==|=>|->|<=|\*>) (\S+)(.*)$"
    ))
});

/// Exim's ACL refusal during the SMTP session, logged without a queue id: `2024-03-01
/// 10:22:33 H=(helo) [ip]:port F=<sender> [temporarily ]rejected RCPT <rcpt>: message`, or
/// `... rejected MAIL <sender>: message`.
static EXIM_REJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        exim_stamp!(),
        r") (?:\[[0-9]+\] )?(.*?)\b(temporarily )?rejected (RCPT|MAIL) <([^>]*)>:?\s*(.*)$"
    ))
});
static EXIM_FROM: LazyLock<Regex> = LazyLock::new(|| re(r"\bF=<([^>]*)>"));

/// A line of Exim's message log (`exim -Mvl`, `/var/spool/exim/msglog/<id>`, which panels
/// show beside a queued message): the main log's delivery line without the queue id and
/// its flag (deliver.c writes `<stamp> x@y R=router T=transport defer (-44) H=...: text` for
/// a deferral, `<stamp> x@y R=... T=...: text` or `<stamp> routing failed for x@y: text` for
/// a failure), and receive.c's `<stamp> Received from x@y H=... P=...` for the arrival. A
/// copy that kept the main log's flag (`<stamp> ** x@y ...`) is read by it.
static EXIM_MSGLOG: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        exim_stamp!(),
        r") (?:\[[0-9]+\] )?(?:(Received from|(?:routing|transport) failed for|\*\*|==|=>|->|\*>) )?([^\s@<>]+@[^\s<>:]+|<>)(:?)( .*)?$"
    ))
});

/// `Mar  1 10:22:33 host postfix/smtp[123]: QUEUEID: rest` (or an ISO timestamp).
static POSTFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        syslog_stamp!(),
        r") (\S+) (?:postfix|postfix-[A-Za-z0-9_]+)(?:/[A-Za-z0-9_/-]+)?\[[0-9]+\]: ([0-9A-Za-z]+): (.*)$"
    ))
});

/// OpenSMTPD's delivery line (mta.c): `Dec  3 10:00:02 host smtpd[812]: SESSIONID mta
/// delivery evpid=X from=<a> to=<b> rcpt=<-> source="ip" relay="ip (host)" delay=1s
/// result="PermFail" stat="554 5.4.6 ..."`.
static OPENSMTPD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        syslog_stamp!(),
        r#") (\S+) smtpd\[[0-9]+\]: [0-9a-f]+ mta delivery evpid=([0-9a-f]+) from=<([^>]*)> to=<([^>]*)> .*?\bresult="([A-Za-z]+)" stat="(.*)"$"#
    ))
});
/// Courier's delivery lines (courier/libs/comctlfile.c): `Dec  3 14:10:02 host
/// courieresmtp: id=ID,from=<a>,addr=<b>: 554 5.7.1 ...` for each line of the reply, then
/// `id=ID,from=<a>,addr=<b>,status: failure` (or `deferred`, or `,size=N,status: success`).
static COURIER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        syslog_stamp!(),
        r") (\S+) courier[a-z]*(?:\[[0-9]+\])?: id=([^,\s]+),from=<([^>]*)>,addr=<([^>]*)>(?:,size=[0-9]+)?(?:,status: ([a-z]+)|,success)?(?:: (.*))?$"
    ))
});

/// Sendmail's syslog line: `Dec  5 10:12:02 host sendmail[2213]: QUEUEID: rest` (also
/// `sm-mta`, the Debian name, and the submission queue `sm-msp-queue`).
static SENDMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(",
        syslog_stamp!(),
        r") (\S+) (?:sendmail|sm-mta|sm-msp-queue)\[[0-9]+\]: ([0-9A-Za-z]+): (.*)$"
    ))
});

/// msmtp's log line (its `logfile`, or syslog's): `Dec 04 02:30:07 host=smtp.x tls=on
/// auth=on user=u from=a@b recipients=c@d,e@f smtpstatus=550 smtpmsg='550 5.1.2 ...'
/// errormsg='...' exitcode=EX_...`.
static MSMTP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([A-Za-z]{3} +[0-9]{1,2} [0-9][0-9]:[0-9][0-9]:[0-9][0-9])(?: \S+ msmtp(?:\[[0-9]+\])?:)? host=(\S+) .*?\bfrom=(\S*) recipients=(\S+).*? smtpstatus=([0-9]{3}) smtpmsg='(.*?)'(?: (?:errormsg|exitcode)=|$)",
    )
});

static KV_RELAY_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\brelay="([^" ]+)(?: \(([^)]+)\))?""#));

static KV_TO: LazyLock<Regex> = LazyLock::new(|| re(r"\bto=<([^>]*)>"));
static KV_ORIG_TO: LazyLock<Regex> = LazyLock::new(|| re(r"\borig_to=<([^>]*)>"));
static KV_FROM: LazyLock<Regex> = LazyLock::new(|| re(r"\bfrom=<([^>]*)>"));
static KV_RELAY: LazyLock<Regex> = LazyLock::new(|| re(r"\brelay=([^\[\s,]+)(?:\[([^\]]+)\])?"));
static KV_DSN: LazyLock<Regex> = LazyLock::new(|| re(r"\bdsn=([0-9]\.[0-9]{1,3}\.[0-9]{1,3})"));
static KV_STATUS: LazyLock<Regex> = LazyLock::new(|| re(r"\bstatus=([a-z]+)(?: \((.*)\))?"));
static EXIM_HOST: LazyLock<Regex> = LazyLock::new(|| re(r"\bH=(\S+)(?: \([^)]*\))? \[([^\]]+)\]"));

/// A syslog program's line without syslog's stamp: `[host ]postfix/smtpd[401]: `, as a log
/// browser shows its message column (the host is the word before the program: the line's
/// own, or the browser's source column).
static STAMPLESS_PROGRAM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|\s)([A-Za-z0-9][A-Za-z0-9._-]*)\s+((?:postfix|postfix-[A-Za-z0-9_]+)(?:/[A-Za-z0-9_/-]+)?|sendmail|sm-mta|sm-msp-queue|smtpd)\[[0-9]+\]: ",
    )
});

/// Whether `text` may hold a log line we read: the name of one of the programs whose
/// lines the readers know, or Exim's arrow and failure marks. One pass of a few literal
/// searches spares the line-by-line [`detect`] most texts (a bounce's own body).
pub fn may_hold_log_lines(text: &str) -> bool {
    LOG_MARKS.is_match(text)
}

/// [`may_hold_log_lines`]'s marks. Every paste is looked at (the wrapped-lines check runs
/// first), often whole and without any of them: one pass for all, not one per mark.
const LOG_MARK_WORDS: [&str; 14] = [
    "postfix",
    "exim",
    // Exim's message log names its router on each delivery line, and no program name.
    " R=",
    " ** ",
    " <= ",
    " == ",
    "rejected RCPT",
    "rejected MAIL",
    "smtpd[",
    "sendmail[",
    "sm-mta[",
    "sm-msp-queue[",
    "smtpstatus=",
    "courier",
];

static LOG_MARKS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    // Leftmost-first: the kind of search the automaton's SIMD prefilter (Teddy) serves;
    // whether any mark occurs does not depend on which match a search reports.
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(LOG_MARK_WORDS)
        .expect("a dozen fixed words always build")
});

/// Log lines wrapped at a terminal's width (`less`, a narrow terminal, a copy from `tmux`):
/// every piece but a line's last is (about) as wide as the widest line. The text with such
/// lines joined again, when that shows more log lines than the text did; `None` otherwise.
pub fn unwrapped(text: &str) -> Option<String> {
    // A phone's SSH app wraps at 40 to 50 columns.
    const MIN_WIDTH: usize = 40;
    // Below this width, more than one line must have been cut at exactly the widest width.
    const TERMINAL_WIDTH: usize = 60;
    if !may_hold_log_lines(text) {
        return None;
    }
    let lines: Vec<&str> = text.lines().take(2000).collect();
    // First by bytes, which bound the width: most texts (a bounce's base64 part has many
    // full lines) stop here, at a full line that opens with no stamp.
    let widest_bytes = lines.iter().map(|l| l.len()).max()?;
    if widest_bytes < MIN_WIDTH
        || !lines
            .iter()
            .any(|l| l.len() + 2 >= widest_bytes && opens_with_stamp(l))
    {
        return None;
    }
    let width = |l: &str| l.chars().count();
    let widest = lines.iter().map(|l| width(l)).max()?;
    // A piece may be a column or two short: a terminal's copy drops the spaces that ended
    // it, and a hand-wrapped paste is not exact.
    let full = |l: &str| width(l) + 2 >= widest;
    if widest < MIN_WIDTH || lines.iter().filter(|l| full(l)).count() < 2 {
        return None;
    }
    // Only a line that opens with a log stamp is continued, by the lines under it that
    // open with none, while each piece above is exactly as wide as the widest.
    let mut joined: Vec<String> = Vec::with_capacity(lines.len());
    let mut open = false;
    let mut joins = 0;
    for line in &lines {
        let opens_entry = opens_with_stamp(&unprefixed(line));
        let continues = open && !line.trim().is_empty() && !opens_entry;
        match joined.last_mut() {
            Some(last) if continues => {
                last.push_str(line);
                joins += 1;
            }
            _ => {
                joined.push((*line).to_string());
                open = opens_entry;
            }
        }
        open = open && full(line);
    }
    if joins == 0 || (widest < TERMINAL_WIDTH && joins < 2) {
        return None;
    }
    let count = |ls: &mut dyn Iterator<Item = &str>| ls.filter(|l| is_log_line(l)).count();
    let before = count(&mut lines.iter().copied());
    let after = count(&mut joined.iter().map(String::as_str));
    (after >= before && after > 0).then(|| joined.join("\n"))
}

/// Whether any of the first lines is a log line we read.
pub fn detect(lines: &[&str]) -> bool {
    lines
        .iter()
        .take(200)
        .map(|l| response::clip(l, 4 * response::MAX_RESPONSE_BYTES))
        .any(is_log_line)
}

/// Whether `line`, past a tool's prefix, is a line one of the readers reads.
fn is_log_line(line: &str) -> bool {
    let l = unprefixed(line);
    opens_a_reader_s_line(&l) || MSMTP.is_match(&l)
}

/// Whether `l` is a line of a reader whose lines open with the log's own stamp (msmtp's
/// line is found by its own prefix and is not looked for behind another).
fn opens_a_reader_s_line(l: &str) -> bool {
    EXIM.is_match(l)
        || exim_msglog_line(l).is_some()
        || POSTFIX.is_match(l)
        || EXIM_REJECT.is_match(l)
        || OPENSMTPD.is_match(l)
        || SENDMAIL.is_match(l)
        || COURIER.is_match(l)
}

/// A log line as a tool around it showed it: after `docker compose logs`' `service  | `, a
/// JSON document's `"message": "`, an alert's `Label: `, syslog's own stamp and program
/// (`Nov 30 15:40:06 host exim[18822]: 2026-11-30 ...`), a log browser's columns (Loki's
/// stamp and labels, Datadog's date, host and service). The line from where a log line
/// the readers know starts; a browser's row whose message lost syslog's stamp, with the
/// row's stamp put back (see [`restamped`]); the line itself otherwise.
fn unprefixed(line: &str) -> Cow<'_, str> {
    let known = opens_a_reader_s_line;
    if starts_stamp(line) && known(line) {
        return Cow::Borrowed(line);
    }
    let head = line.get(..80).unwrap_or(line);
    let after_separator = ["| ", ": \"", ": "]
        .iter()
        .filter_map(|sep| head.find(sep).map(|at| &line[at + sep.len()..]))
        .map(str::trim_start)
        .find(|rest| starts_stamp(rest));
    if let Some(rest) = after_separator {
        return Cow::Borrowed(rest);
    }
    // `grep -H` / `zgrep -H` (and `-n`): the file's name and a colon, the line number and
    // another colon, then the line (`/var/log/mail.log.2.gz:Nov 29 14:20:15 mx ...`).
    if let Some(rest) = after_file_name(line).filter(|rest| starts_stamp(rest)) {
        return Cow::Borrowed(rest);
    }
    // A stamp further in, after a space or a tab, that opens a line a reader knows.
    let reach = line.floor_char_boundary(line.len().min(240));
    if let Some(rest) = line[..reach]
        .match_indices([' ', '\t'])
        .map(|(at, _)| &line[at + 1..])
        .find(|rest| starts_stamp(rest) && known(rest))
    {
        return Cow::Borrowed(rest);
    }
    restamped(line).map_or(Cow::Borrowed(line), Cow::Owned)
}

/// What follows `grep -H`'s `file:` (and `-n`'s `line:`), when the line opens with a path.
fn after_file_name(line: &str) -> Option<&str> {
    let head = line.get(..line.floor_char_boundary(line.len().min(200)))?;
    let colon = head.find(':')?;
    let name = &head[..colon];
    let rest = &line[colon + 1..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && rest.as_bytes().get(digits) == Some(&b':');
    // A bare name (`mainlog:`) only with a line number after it.
    let is_path = !name.is_empty()
        && !name.contains(char::is_whitespace)
        && (name.contains('/') || name.contains('.') || numbered);
    if !is_path {
        return None;
    }
    Some(if numbered { &rest[digits + 1..] } else { rest })
}

/// A log browser's row (Graylog, Kibana, Datadog, CloudWatch) keeps the time in a column of
/// its own and shows the syslog line without syslog's stamp: `2026-12-04 17:22:09.431<TAB>
/// mx1<TAB>mx1 postfix/smtpd[401]: NOQUEUE: reject: ...`. The syslog line with the row's
/// stamp put back as RFC 3339 (a zoneless column is read as UTC, as log stamps are), when
/// the row opens with a stamp and holds such a line.
///
/// A hosting panel's log page shows the program in a column of its own too, without the
/// host or the process id (`24.11. 07:55:02   postfix/smtpd   NOQUEUE: reject: ...`): the
/// line is put back with [`NO_HOST`] for the host.
fn restamped(line: &str) -> Option<String> {
    let (when, _, rest_at) = super::time::leading_stamp(line)?;
    let rest = line.get(rest_at..)?;
    let reach = rest.floor_char_boundary(rest.len().min(240));
    let when = when.format("%Y-%m-%dT%H:%M:%S%.fZ");
    if let Some(c) = STAMPLESS_PROGRAM.captures(&rest[..reach]) {
        let (host, program) = (c.get(1)?, c.get(2)?);
        return Some(format!(
            "{when} {} {}",
            host.as_str(),
            &rest[program.start()..]
        ));
    }
    let c = PROGRAM_COLUMN.captures(&rest[..reach])?;
    let (program, message) = (c.get(1)?, c.get(2)?);
    Some(format!(
        "{when} {NO_HOST} {}[0]: {}",
        program.as_str(),
        &rest[message.start()..]
    ))
}

/// The host of a line whose log view did not show one (see [`restamped`]): not a
/// reporting MTA.
const NO_HOST: &str = "-";

/// A log view's program column after its stamp column: the program (no host, the process
/// id optional) and the message after a tab or a run of spaces.
static PROGRAM_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*((?:postfix|postfix-[A-Za-z0-9_]+)(?:/[A-Za-z0-9_/-]+)?|sendmail|sm-mta|sm-msp-queue)(?:\[[0-9]+\])?:?(?:\t|\s{2,})\s*(\S)",
    )
});

/// [`starts_stamp`], with syslog's month checked: a wrapped line's piece may open with any
/// capitalised word.
fn opens_with_stamp(t: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    starts_stamp(t)
        && (t.as_bytes()[0].is_ascii_digit()
            || (MONTHS.iter().any(|m| t.starts_with(m))
                && t[4..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit())))
}

/// Whether `t` opens with a log stamp: `2026-12-01 ...` (Exim, RFC 3339) or `Dec  1 ...`
/// (syslog).
fn starts_stamp(t: &str) -> bool {
    let b = t.as_bytes();
    (b.len() > 16 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-')
        || (b.len() > 15
            && b[..3].iter().all(u8::is_ascii_alphabetic)
            && b[3] == b' '
            && b[0].is_ascii_uppercase())
}

/// What the lines say about each message, by queue id: the first failure line (its time
/// and queue id decide the bounce's) and the envelope senders.
#[derive(Default)]
struct Seen {
    /// (time as printed, queue id) of the first failure line (or delay line, while no
    /// failure is logged).
    failure: Option<(String, String)>,
    /// Whether `failure` is a permanent failure's.
    permanent: bool,
    /// queue id → envelope sender (qmgr `from=<x>`, Exim `<=` line).
    senders: HashMap<String, String>,
    /// The first `sasl_username=` a submission line names.
    login: Option<String>,
    /// Whether qmgr returned a message as expired: its deferrals are its failure.
    expired: bool,
    /// Postfix: a notice's queue id → the queue id of the message it reports on.
    notices: HashMap<String, String>,
}

/// Records from log lines; per-message facts (sender, queue id, time) go into `bounce`:
/// those of the first failure line's message, when a failure is logged.
pub fn parse(lines: &[&str], bounce: &mut Bounce) {
    let mut seen = Seen::default();
    for (n, line) in lines.iter().enumerate() {
        // A log line longer than this is not one the MTA wrote.
        let line = unprefixed(response::clip(line, 4 * response::MAX_RESPONSE_BYTES));
        let line = line.as_ref();
        if let Some(c) = EXIM.captures(line) {
            let (time, id, flag, addr, rest) =
                (cap(&c, 1), cap(&c, 2), cap(&c, 3), cap(&c, 4), cap(&c, 5));
            exim_line(
                EximLine {
                    time,
                    id,
                    flag,
                    addr,
                    rest,
                },
                n,
                bounce,
                &mut seen,
            );
        } else if let Some(line) = exim_msglog_line(line) {
            exim_line(line, n, bounce, &mut seen);
        } else if let Some(c) = POSTFIX.captures(line) {
            postfix_line(&c, n, bounce, &mut seen);
        } else if let Some(c) = EXIM_REJECT.captures(line) {
            exim_reject_line(&c, n, bounce, &mut seen);
        } else if let Some(c) = OPENSMTPD.captures(line) {
            opensmtpd_line(&c, n, bounce, &mut seen);
        } else if let Some(c) = SENDMAIL.captures(line) {
            sendmail_line(&c, n, bounce, &mut seen);
        } else if let Some(c) = MSMTP.captures(line) {
            msmtp_line(&c, n, bounce, &mut seen);
        } else if let Some(c) = COURIER.captures(line) {
            courier_line(&c, n, bounce, &mut seen);
        } else if let Some((sender, queue)) = amavis_passed(line) {
            seen.senders
                .entry(queue.to_string())
                .or_insert_with(|| sender.to_string());
        }
    }
    if seen.expired {
        for r in &mut bounce.records {
            if r.action == Action::Delayed {
                r.action = Action::Failed;
            }
        }
    }
    // A log excerpt shows deliveries around the failure: they are not the bounce's records.
    if bounce.records.iter().any(|r| r.action != Action::Delivered) {
        bounce.records.retain(|r| r.action != Action::Delivered);
    }
    if let Some((time, queue)) = seen.failure {
        bounce.timestamp = super::time::parse_log_time(&time);
        bounce.timestamp_raw = Some(time);
        if let Some(sender) = seen.senders.get(&queue) {
            bounce.sender = Some(sender.clone());
        }
        if queue != "NOQUEUE" && !queue.is_empty() && !queue.starts_with("msmtp:") {
            bounce.queue_id = Some(queue);
        }
    }
    if bounce.sender.is_none() && !bounce.records.is_empty() {
        bounce.sender = seen.login;
    }
}

/// Whether `reached` is `written` with another host name of the same organisation (the same
/// local part: `sales@mail.x.example` for `sales@x.example`).
fn rewritten_host(reached: &str, written: &str) -> bool {
    let (Some((reached_local, reached_domain)), Some((written_local, written_domain))) =
        (reached.rsplit_once('@'), written.rsplit_once('@'))
    else {
        return false;
    };
    reached_local.eq_ignore_ascii_case(written_local)
        && !reached_domain.eq_ignore_ascii_case(written_domain)
        && super::address::organisational_domain(reached_domain)
            == super::address::organisational_domain(written_domain)
}

/// Note the first failure line's time and queue id: a delay (`==`, `status=deferred`)
/// only until a line says delivery failed for good, which is when the bounce was made.
fn note_failure(seen: &mut Seen, time: &str, queue: &str, permanent: bool) {
    if seen.failure.is_none() || (permanent && !seen.permanent) {
        seen.failure = Some((time.to_string(), queue.to_string()));
        seen.permanent |= permanent;
    }
}

/// A queued message's later try that the remote server answered again (Exim's next `==`
/// line with the reply): while no line says it failed for good, the last answer is where
/// the message stands. (Exim's `retry time not reached` is no try.)
fn note_retry(seen: &mut Seen, time: &str, queue: &str) {
    if !seen.permanent
        && !queue.is_empty()
        && seen.failure.as_ref().is_some_and(|(_, q)| q == queue)
    {
        seen.failure = Some((time.to_string(), queue.to_string()));
    }
}

/// Of an Exim `<= <>` arrival, the message it bounces (`R=<id>`) and the address it goes
/// to (`for x`, the line's end).
fn exim_bounce_of(rest: &str) -> Option<(&str, &str)> {
    let bounced = rest
        .split_whitespace()
        .find_map(|w| w.strip_prefix("R="))
        .filter(|id| id.len() >= 16 && id.bytes().filter(|&b| b == b'-').count() == 2)?;
    let (_, to) = rest.rsplit_once(" for ")?;
    let to = to.trim();
    (!to.contains(' ') && to.contains('@')).then_some((bounced, to))
}

/// amavis' verdict on a message it passed back to Postfix (`Passed CLEAN ... <sender> ->
/// <rcpt>, ... queued_as: QID`): the sender of the message Postfix queued as `QID`.
fn amavis_passed(line: &str) -> Option<(&str, &str)> {
    let at = line.find(" amavis[")?;
    let rest = &line[at..];
    if !rest.contains(" Passed ") {
        return None;
    }
    let arrow = rest.find("> -> <")?;
    let open = rest[..arrow].rfind('<')?;
    let sender = &rest[open + 1..arrow];
    let queue = rest
        .split_once("queued_as: ")?
        .1
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .filter(|q| q.len() >= 5)?;
    sender.contains('@').then_some((sender, queue))
}

fn cap<'a>(c: &regex::Captures<'a>, i: usize) -> &'a str {
    c.get(i).map_or("", |m| m.as_str())
}

/// An Exim log line's parts: the stamp, the queue id (none in a message log), the flag
/// (`<=`, `**`, `==`, `=>`, ...), the address after it and the rest of the line.
struct EximLine<'a> {
    time: &'a str,
    id: &'a str,
    flag: &'a str,
    addr: &'a str,
    rest: &'a str,
}

/// A message log line ([`EXIM_MSGLOG`]) as the main log's line it stands for: a deferral
/// (`defer (errno)`) as `==`, a failure (a routing or transport failure, or a permanent
/// reply) as `**`, the arrival as `<=`, any other line about an address as a delivery.
fn exim_msglog_line(line: &str) -> Option<EximLine<'_>> {
    let c = EXIM_MSGLOG.captures(line)?;
    let (time, lead, addr, colon, rest) =
        (cap(&c, 1), cap(&c, 2), cap(&c, 3), cap(&c, 4), cap(&c, 5));
    let flag = if lead == "Received from" {
        "<="
    } else if lead.ends_with(" for") {
        "**"
    } else if !lead.is_empty() {
        // A copy that kept the main log's flag.
        lead
    } else {
        // Only lines of a delivery attempt: a router, a transport or the words after `x@y:`.
        if colon.is_empty() && !rest.starts_with(" R=") && !rest.starts_with(" T=") {
            return None;
        }
        // The reply is read only where the words decide (detection passes here too).
        if rest.contains(" defer (") {
            "=="
        } else if !colon.is_empty()
            || response::extract(rest)
                .reply_code
                .is_some_and(|code| code >= 500)
        {
            "**"
        } else {
            "=>"
        }
    };
    // A routing failure keeps the colon after its address, as the main log's does.
    let addr = line.get(c.get(3)?.start()..c.get(4)?.end()).unwrap_or(addr);
    Some(EximLine {
        time,
        id: "",
        flag,
        addr,
        rest,
    })
}

fn exim_line(line: EximLine<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let EximLine {
        time,
        id,
        flag,
        addr,
        rest,
    } = line;
    if !id.is_empty() {
        bounce.queue_id.get_or_insert_with(|| id.to_string());
    }
    if bounce.timestamp_raw.is_none() {
        bounce.timestamp_raw = Some(time.to_string());
        bounce.timestamp = super::time::parse_log_time(time);
    }
    let action = match flag {
        "<=" => {
            if addr != "<>" {
                bounce.sender.get_or_insert_with(|| addr.to_string());
                seen.senders.insert(id.to_string(), addr.to_string());
            } else if let Some((bounced, to)) = exim_bounce_of(rest) {
                // Exim's own bounce (`<= <> R=<id of the failed message> ... for x`) goes
                // to the failed message's envelope sender.
                seen.senders
                    .entry(bounced.to_string())
                    .or_insert_with(|| to.to_string());
            }
            return;
        }
        "**" => Action::Failed,
        "==" => Action::Delayed,
        _ => Action::Delivered,
    };
    if action != Action::Delivered {
        note_failure(seen, time, id, action == Action::Failed);
    }
    // `log_selector = +sender_on_delivery` puts the envelope sender on the line: `F=<x>`.
    if let Some(from) = EXIM_FROM.captures(rest).map(|f| cap(&f, 1))
        && !from.is_empty()
    {
        seen.senders
            .entry(id.to_string())
            .or_insert_with(|| from.to_string());
    }
    // Exim writes a routing failure with the words right after the address: `** x@y:
    // Unrouteable address` (no router, no transport, no reply).
    let (addr, said) = match addr.strip_suffix(':') {
        Some(a) => (a, rest.trim_start()),
        None => {
            let response_at = rest.find(": ").map_or(rest.len(), |p| p + 2);
            (addr, rest.get(response_at..).unwrap_or(""))
        }
    };
    let r = response::extract(said);
    if action == Action::Delayed && r.reply_code.is_some() {
        note_retry(seen, time, id);
    }
    let (host, ip) = EXIM_HOST
        .captures(rest)
        .map(|h| (Some(cap(&h, 1).to_string()), Some(cap(&h, 2).to_string())))
        .unwrap_or_default();
    let original = rest
        .trim_start()
        .strip_prefix('<')
        .and_then(|o| o.split_once('>'))
        .map(|(o, _)| o.to_string());
    bounce.records.push(Record {
        recipient: Some(addr.to_string()),
        original_recipient: original,
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text).filter(|t| !t.is_empty()),
        stage: scan::find_stage(rest),
        remote_host: host,
        remote_ip: ip,
        action,
        source_line: Some(n),
        ..Record::default()
    });
}

/// A refusal Exim logged in the session: the record of the refused recipient (or of the
/// refused sender, with no recipient), at RCPT TO or MAIL FROM; the line's `F=<x>` is the
/// envelope sender.
fn exim_reject_line(c: &regex::Captures<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let (time, who, temporary, command, addr, message) = (
        cap(c, 1),
        cap(c, 2),
        cap(c, 3),
        cap(c, 4),
        cap(c, 5),
        cap(c, 6),
    );
    let rcpt = command == "RCPT";
    let sender = if rcpt {
        EXIM_FROM.captures(who).map(|f| cap(&f, 1))
    } else {
        Some(addr)
    };
    if let Some(sender) = sender.filter(|s| !s.is_empty()) {
        bounce.sender.get_or_insert_with(|| sender.to_string());
        // The refused session's own sender, over another message's `<=` line around it.
        seen.senders
            .entry(String::new())
            .or_insert_with(|| sender.to_string());
    }
    note_failure(seen, time, "", temporary.is_empty());
    let r = response::extract(message);
    bounce.records.push(Record {
        recipient: rcpt.then(|| addr.to_string()),
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text).filter(|t| !t.is_empty()),
        stage: Some(if rcpt { Stage::RcptTo } else { Stage::MailFrom }),
        // No remote host: this server refused, and H= names the client it refused.
        action: Action::of_failure(temporary.is_empty()),
        source_line: Some(n),
        ..Record::default()
    });
}

/// A Sendmail syslog line: the envelope sender (`from=`), a delivery's outcome (`to=...,
/// dsn=5.1.1, stat=User unknown`), or a refusal during the session (`ruleset=check_rcpt,
/// arg1=<x>, relay=..., reject=550 5.7.1 <x>... Relaying denied`).
fn sendmail_line(c: &regex::Captures<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let (time, host, queue, rest) = (cap(c, 1), cap(c, 2), cap(c, 3), cap(c, 4));
    let field = |name: &str| {
        rest.split(", ")
            .find_map(|f| f.strip_prefix(name))
            .map(|v| v.trim())
    };
    note_reporting_host(bounce, host);
    if let Some(from) = rest.strip_prefix("from=") {
        let from = from
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['<', '>']);
        if from.contains('@') {
            seen.senders.insert(queue.to_string(), from.to_string());
        }
        return;
    }
    if let Some(reject) = field("reject=") {
        let arg = field("arg1=").unwrap_or("").trim_matches(['<', '>']);
        let at_mail = rest.starts_with("ruleset=check_mail");
        if at_mail && arg.contains('@') {
            seen.senders.insert(queue.to_string(), arg.to_string());
        }
        note_failure(seen, time, queue, true);
        let r = response::extract(reject);
        bounce.records.push(Record {
            recipient: (!at_mail && arg.contains('@')).then(|| arg.to_string()),
            reply_code: r.reply_code,
            status: r.status,
            diagnostic: Some(r.text).filter(|t| !t.is_empty()),
            stage: Some(if at_mail {
                Stage::MailFrom
            } else {
                Stage::RcptTo
            }),
            action: Action::Failed,
            source_line: Some(n),
            ..Record::default()
        });
        return;
    }
    let Some(to) = rest.strip_prefix("to=") else {
        return;
    };
    // The recipients run to the first field after them (`, delay=`, `, ctladdr=`).
    let list = to
        .split(", ")
        .take_while(|f| !f.contains('='))
        .collect::<Vec<_>>();
    let stat = rest.split_once("stat=").map_or("", |(_, s)| s.trim());
    let dsn = field("dsn=");
    let action = if stat.starts_with("Sent") {
        Action::Delivered
    } else if stat.starts_with("Deferred") || dsn.is_some_and(|d| d.starts_with('4')) {
        Action::Delayed
    } else {
        Action::Failed
    };
    if action != Action::Delivered {
        note_failure(seen, time, queue, action == Action::Failed);
    }
    let said = stat.strip_prefix("Deferred:").unwrap_or(stat).trim();
    let r = response::extract(said);
    // `relay=mx.far.example. [192.0.2.5]`
    let (remote_host, remote_ip) = field("relay=")
        .map(|v| {
            let (h, ip) = v.split_once(' ').unwrap_or((v, ""));
            let h = h.trim_end_matches('.');
            let ip = ip.trim().trim_matches(['[', ']']);
            (
                Some(h.to_string()).filter(|h| h.contains('.')),
                Some(ip.to_string()).filter(|i| !i.is_empty()),
            )
        })
        .unwrap_or_default();
    for rcpt in list {
        let rcpt = rcpt.trim().trim_matches(['<', '>']);
        if !rcpt.contains('@') {
            continue;
        }
        bounce.records.push(Record {
            recipient: Some(rcpt.to_string()),
            reply_code: r.reply_code,
            status: r.status.clone().or_else(|| dsn.map(str::to_string)),
            diagnostic: Some(r.text.clone()).filter(|t| !t.is_empty()),
            stage: scan::find_stage(said),
            remote_host: remote_host.clone(),
            remote_ip: remote_ip.clone(),
            action,
            source_line: Some(n),
            ..Record::default()
        });
    }
}

/// An msmtp log line: each recipient it names failed with the server's reply.
fn msmtp_line(c: &regex::Captures<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let (time, host, from, recipients, status, said) = (
        cap(c, 1),
        cap(c, 2),
        cap(c, 3),
        cap(c, 4),
        cap(c, 5),
        cap(c, 6),
    );
    // msmtp keeps no queue: the line is its own message.
    let key = format!("msmtp:{n}");
    if from.contains('@') {
        seen.senders.insert(key.clone(), from.to_string());
    }
    // A message the server took (`smtpstatus=250`, a `tail` of the log shows them around
    // the failure) is a delivery, not the failure.
    let delivered = status.starts_with('2');
    if !delivered {
        note_failure(seen, time, &key, true);
    }
    let r = response::extract(said);
    for rcpt in recipients.split(',').filter(|r| r.contains('@')) {
        bounce.records.push(Record {
            recipient: Some(rcpt.to_string()),
            reply_code: r.reply_code,
            status: r.status.clone(),
            diagnostic: Some(r.text.clone()).filter(|t| !t.is_empty()),
            stage: scan::find_stage(said),
            remote_host: Some(host.to_string()),
            action: if delivered {
                Action::Delivered
            } else {
                Action::of_failure(r.reply_code.is_none_or(|c| c >= 500))
            },
            source_line: Some(n),
            ..Record::default()
        });
    }
}

fn opensmtpd_line(c: &regex::Captures<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let (time, host, evpid, from, to, result, stat) = (
        cap(c, 1),
        cap(c, 2),
        cap(c, 3),
        cap(c, 4),
        cap(c, 5),
        cap(c, 6),
        cap(c, 7),
    );
    let action = match result {
        "Ok" => Action::Delivered,
        "TempFail" => Action::Delayed,
        // `PermFail`, and `Loop` (the message came back to this server).
        _ => Action::Failed,
    };
    note_reporting_host(bounce, host);
    if !from.is_empty() {
        seen.senders.insert(evpid.to_string(), from.to_string());
    }
    if action != Action::Delivered {
        note_failure(seen, time, evpid, action == Action::Failed);
    }
    let r = response::extract(stat);
    // `relay="198.51.100.39 (mx.far.example)"`: the address, then the name.
    let (remote_ip, remote_host) = KV_RELAY_QUOTED
        .captures(c.get(0).map_or("", |m| m.as_str()))
        .map(|m| {
            (
                Some(cap(&m, 1).to_string()),
                m.get(2).map(|h| h.as_str().to_string()),
            )
        })
        .unwrap_or_default();
    bounce.records.push(Record {
        recipient: Some(to.to_string()),
        reply_code: r.reply_code,
        status: r.status,
        diagnostic: Some(r.text).filter(|t| !t.is_empty()),
        stage: scan::find_stage(stat),
        remote_host,
        remote_ip,
        action,
        source_line: Some(n),
        ..Record::default()
    });
}

fn courier_line(c: &regex::Captures<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let (time, host, id, from, to) = (cap(c, 1), cap(c, 2), cap(c, 3), cap(c, 4), cap(c, 5));
    let (status, said) = (c.get(6).map(|m| m.as_str()), c.get(7).map(|m| m.as_str()));
    note_reporting_host(bounce, host);
    if !from.is_empty() {
        seen.senders.insert(id.to_string(), from.to_string());
    }
    let recorded = |bounce: &Bounce| {
        bounce
            .records
            .iter()
            .any(|r| r.recipient.as_deref() == Some(to) && r.action != Action::Delivered)
    };
    match (status, said) {
        (Some(outcome @ ("failure" | "deferred")), _) => {
            let permanent = outcome == "failure";
            note_failure(seen, time, id, permanent);
            if !recorded(bounce) {
                bounce.records.push(Record {
                    recipient: Some(to.to_string()),
                    action: Action::of_failure(permanent),
                    source_line: Some(n),
                    ..Record::default()
                });
            }
        }
        // A line of the remote's reply: a refusal is the record's words (the status line
        // that follows says whether it was final).
        (None, Some(said)) if scan::find_failure_code(said).is_some() && !recorded(bounce) => {
            let r = response::extract(said);
            let permanent = r.reply_code.is_some_and(|code| code >= 500);
            note_failure(seen, time, id, permanent);
            bounce.records.push(Record {
                recipient: Some(to.to_string()),
                reply_code: r.reply_code,
                status: r.status,
                diagnostic: Some(r.text).filter(|t| !t.is_empty()),
                stage: scan::find_stage(said),
                action: Action::of_failure(permanent),
                source_line: Some(n),
                ..Record::default()
            });
        }
        _ => {}
    }
}

/// smtpd's warning when a client's address is no address (smtpd.c `extract_addr`:
/// `Illegal address syntax from HOST in RCPT command: <x>`); the client was answered
/// `501 5.1.3 Bad recipient address syntax` (`501 5.1.7 Bad sender address syntax` for MAIL),
/// which the log does not repeat.
fn illegal_address(rest: &str, n: usize) -> Option<Record> {
    let said = rest.strip_prefix("Illegal address syntax from ")?;
    let (_, command_and_address) = said.split_once(" in ")?;
    let (command, address) = command_and_address.split_once(" command: ")?;
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (stage, code, status) = match command {
        "RCPT" => (Stage::RcptTo, 501, "5.1.3"),
        "MAIL" => (Stage::MailFrom, 501, "5.1.7"),
        _ => return None,
    };
    Some(Record {
        recipient: (stage == Stage::RcptTo && !address.is_empty()).then(|| address.to_string()),
        reply_code: Some(code),
        status: Some(status.to_string()),
        diagnostic: Some(rest.to_string()),
        stage: Some(stage),
        action: Action::Failed,
        source_line: Some(n),
        ..Record::default()
    })
}

/// The host a log line names is the reporting MTA (the first one named), unless the line's
/// view showed none.
fn note_reporting_host(bounce: &mut Bounce, host: &str) {
    if host != NO_HOST {
        bounce.reporting_mta.get_or_insert_with(|| host.to_string());
    }
}

fn postfix_line(c: &regex::Captures<'_>, n: usize, bounce: &mut Bounce, seen: &mut Seen) {
    let (time, host, queue, rest) = (cap(c, 1), cap(c, 2), cap(c, 3), cap(c, 4));
    let is_reject = rest.starts_with("reject:") || queue == "NOQUEUE";
    if !is_reject {
        bounce.queue_id.get_or_insert_with(|| queue.to_string());
    }
    note_reporting_host(bounce, host);
    if queue == "warning" {
        if let Some(record) = illegal_address(rest, n) {
            note_failure(seen, time, "NOQUEUE", true);
            bounce.records.push(record);
        }
        return;
    }
    // The account a submission client logged in with: the sender's, when the excerpt shows
    // no `from=` (a message refused before it was queued).
    if let Some(login) = rest.split_once("sasl_username=").map(|(_, l)| l) {
        let login = login.split([',', ' ']).next().unwrap_or_default();
        if login.contains('@') && seen.login.is_none() {
            seen.login = Some(login.to_string());
        }
    }
    if let Some(f) = KV_FROM.captures(rest) {
        let from = cap(&f, 1);
        if !from.is_empty() {
            bounce.sender.get_or_insert_with(|| from.to_string());
            if !is_reject {
                seen.senders.insert(queue.to_string(), from.to_string());
            }
        }
    }
    // bounce(8): `QID: sender non-delivery notification: NEWQID`. The notice goes to the
    // message's envelope sender, so its delivery names the sender when the excerpt lacks
    // (or cut) qmgr's `from=<x>` line.
    if let Some(notice) = [
        "sender non-delivery notification: ",
        "sender delay notification: ",
    ]
    .iter()
    .find_map(|lead| rest.strip_prefix(lead))
    {
        seen.notices
            .insert(notice.trim().to_string(), queue.to_string());
        return;
    }
    // qmgr gives up on a message kept past its queue lifetime (`from=<x>, status=expired,
    // returned to sender`): that is when its delivery failed for good.
    if rest.contains("status=expired") {
        note_failure(seen, time, queue, true);
        seen.expired = true;
    }
    let Some(to) = KV_TO.captures(rest).map(|t| cap(&t, 1).to_string()) else {
        return;
    };
    if let Some(reported) = seen.notices.get(queue) {
        if !to.is_empty() {
            seen.senders.entry(reported.clone()).or_insert(to);
        }
        return;
    }
    if bounce.timestamp_raw.is_none() {
        bounce.timestamp_raw = Some(time.to_string());
        bounce.timestamp = super::time::parse_log_time(time);
    }
    if is_reject {
        note_failure(seen, time, queue, true);
        // smtpd: `reject: RCPT from host[ip]: 553 5.7.1 <x>: ...; from=<a> to=<b> proto=...`
        let said = rest.split_once("]: ").map_or(rest, |(_, s)| s);
        let said = said.split("; from=<").next().unwrap_or(said);
        let r = response::extract(said);
        let stage = if rest.contains("RCPT from") {
            Some(Stage::RcptTo)
        } else if rest.contains("MAIL from") {
            Some(Stage::MailFrom)
        } else {
            scan::find_stage(rest)
        };
        bounce.records.push(Record {
            recipient: Some(to),
            reply_code: r.reply_code,
            status: r.status,
            diagnostic: Some(r.text).filter(|t| !t.is_empty()),
            stage,
            action: Action::Failed,
            source_line: Some(n),
            ..Record::default()
        });
        return;
    }
    let status_word = KV_STATUS.captures(rest);
    let action = match status_word.as_ref().map(|s| cap(s, 1)) {
        Some("bounced") => Action::Failed,
        Some("deferred") => Action::Delayed,
        Some("sent") => Action::Delivered,
        Some("expired") => Action::Failed,
        _ => return,
    };
    if action != Action::Delivered {
        note_failure(seen, time, queue, action == Action::Failed);
    }
    let said = status_word.as_ref().map_or("", |s| cap(s, 2));
    let r = response::extract(said.split_once(" said: ").map_or(said, |(_, s)| s));
    let (relay_host, relay_ip) = KV_RELAY
        .captures(rest)
        .map(|m| {
            (
                Some(cap(&m, 1).to_string()),
                m.get(2).map(|i| i.as_str().to_string()),
            )
        })
        .unwrap_or_default();
    let mut record = Record {
        recipient: Some(to),
        original_recipient: KV_ORIG_TO.captures(rest).map(|o| cap(&o, 1).to_string()),
        reply_code: r.reply_code,
        status: r
            .status
            .or_else(|| KV_DSN.captures(rest).map(|d| cap(&d, 1).to_string())),
        diagnostic: Some(r.text).filter(|t| !t.is_empty()),
        stage: scan::find_stage(said),
        remote_host: relay_host.filter(|h| h != "none"),
        remote_ip: relay_ip,
        action,
        source_line: Some(n),
        ..Record::default()
    };
    // `to=<x@mail.y>, orig_to=<x@y>`: the site's own host name for the address the sender
    // wrote (a canonical or virtual rewrite). The log says which address that was: the
    // record names it, with the rewritten one beside it.
    if let (Some(reached), Some(written)) = (&record.recipient, &record.original_recipient)
        && rewritten_host(reached, written)
    {
        record.final_recipient = record.recipient.take();
        record.recipient = record.original_recipient.take();
    }
    bounce.records.push(record);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines as the log reader reads them, after checking it takes them for a log.
    fn read_log(lines: &[&str]) -> Bounce {
        assert!(detect(lines), "{lines:?}");
        let mut b = Bounce::default();
        parse(lines, &mut b);
        b
    }

    /// qmgr's `status=expired` is when a deferred message failed for good; Exim's refused
    /// session names its own sender, whatever message the lines around it logged.
    /// A message Exim is still retrying stands where the server's last answer left it; a
    /// later line that is no try (`retry time not reached`) changes nothing.
    #[test]
    fn a_retried_message_s_last_answer() {
        let tries = [
            "2026-12-05 09:14:01 1vRP1a-000Gx1-0B <= ann@near.example H=localhost [127.0.0.1] P=esmtpa S=1530",
            "2026-12-05 09:14:02 1vRP1a-000Gx1-0B == bob@far.example R=dnslookup T=remote_smtp defer (-44) H=mx.far.example [198.51.100.57]: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 451 4.7.1 Greylisting in action",
            "2026-12-05 09:29:10 1vRP1a-000Gx1-0B == bob@far.example R=dnslookup T=remote_smtp defer (-44) H=mx.far.example [198.51.100.57]: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 451 4.7.1 Greylisting in action",
        ];
        let b = read_log(&tries);
        assert_eq!(b.timestamp_raw.as_deref(), Some("2026-12-05 09:29:10"));
        let not_a_try = [
            tries[1],
            "2026-12-05 09:29:10 1vRP1a-000Gx1-0B == bob@far.example R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for 'far.example'",
        ];
        let b = read_log(&not_a_try);
        assert_eq!(b.timestamp_raw.as_deref(), Some("2026-12-05 09:14:02"));
    }

    #[test]
    fn an_expired_message_and_a_refused_session_s_own_sender() {
        let b = read_log(&[
            "Dec  5 07:10:12 mail postfix/smtp[61220]: 8E3F41B02C: to=<bob@far.example>, relay=none, delay=424800, delays=424800/0.01/0.2/0, dsn=4.4.1, status=deferred (connect to mx.far.example[203.0.113.35]:25: Connection refused)",
            "Dec  5 08:00:12 mail postfix/qmgr[1388]: 8E3F41B02C: from=<ann@near.example>, status=expired, returned to sender",
        ]);
        assert_eq!(b.records[0].action, Action::Failed);
        assert_eq!(b.timestamp_raw.as_deref(), Some("Dec  5 08:00:12"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        let b = read_log(&[
            "2026-11-28 09:02:11 1wPv0x-000Lm2-3A <= shop@near.example H=app1.near.example [10.0.3.11]:41226 P=esmtpsa",
            "2026-11-28 09:02:12 H=(PC7) [203.0.113.140]:62281 F=<ann@near.example> rejected RCPT <bob@far.example>: relay not permitted",
        ]);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    }

    /// smtpd's warning about an address that is no address, with the login as the sender.
    #[test]
    fn smtpd_s_illegal_address_warning_is_the_refusal() {
        let b = read_log(&[
            "2026-12-05T12:40:02.140388-06:00 fx1 postfix/submission/smtpd[30877]: 4R4BvZ2mPtz4wKd: client=unknown[198.51.100.215], sasl_method=LOGIN, sasl_username=ann@near.example",
            "2026-12-05T12:40:02.201795-06:00 fx1 postfix/submission/smtpd[30877]: warning: Illegal address syntax from unknown[198.51.100.215] in RCPT command: <bob@far@example.com>",
        ]);
        assert_eq!(b.records.len(), 1);
        assert_eq!(
            b.records[0].recipient.as_deref(),
            Some("bob@far@example.com")
        );
        assert_eq!(b.records[0].status.as_deref(), Some("5.1.3"));
        assert_eq!(b.records[0].stage, Some(Stage::RcptTo));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-05T18:40:02.201795+00:00")
        );
        // Other warnings are no refusal.
        assert!(illegal_address("hostname x does not resolve to address 1.2.3.4", 0).is_none());
    }

    /// Log lines as a tool showed them: behind `docker compose logs`' service name, inside a
    /// JSON document's message, after an alert's label.
    #[test]
    fn log_lines_behind_a_tool_s_prefix() {
        let docker = "mailserver  | Dec  2 21:05:48 mail postfix/submission/smtpd[3310]: NOQUEUE: reject: RCPT from unknown[172.18.0.5]: 553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user x@near.example; from=<ann@near.example> to=<bob@far.example> proto=ESMTP helo=<x>";
        let json = "      \"message\": \"Dec  1 07:15:22 mail01 postfix/smtp[1023]: 8C1D2E3F40: to=<bob@far.example>, relay=none, delay=0.1, dsn=5.1.3, status=bounced (bad address syntax)\"";
        for line in [docker, json] {
            assert!(detect(&[line]), "{line}");
            let mut b = Bounce::default();
            parse(&[line], &mut b);
            assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
            assert!(b.timestamp.is_some());
        }
        // Exim's line under syslog's own stamp, a Loki row's labels, Datadog's columns;
        // `F=<x>` on the failure line names the sender.
        for line in [
            "Nov 30 15:40:06 mx2 exim[18824]: 2026-11-30 15:40:06 1vPfaa-0000004uR-3Lx1 ** bob@far.example F=<ann@near.example>: Unrouteable address",
            "2026-12-05T11:02:44.318Z {filename=\"/var/log/exim/mainlog\", host=\"web-07\"} 2026-11-30 15:40:06 1vPfaa-0000004uR-3Lx1 ** bob@far.example F=<ann@near.example>: Unrouteable address",
            "Dec 3 09:27:51.198\tcp-fra-3\texim\t2026-11-30 15:40:06 1vPfaa-0000004uR-3Lx1 ** bob@far.example F=<ann@near.example>: Unrouteable address",
        ] {
            assert!(detect(&[line]), "{line}");
            let mut b = Bounce::default();
            parse(&[line], &mut b);
            assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
            assert_eq!(b.sender.as_deref(), Some("ann@near.example"), "{line}");
            assert_eq!(b.timestamp_raw.as_deref(), Some("2026-11-30 15:40:06"));
        }
        // `zgrep -H` and `grep -Hn` name the file (and the line) before each line.
        for line in [
            "/var/log/mail.log.2.gz:Nov 29 14:20:18 mx postfix/smtp[4419]: 9A3F21C0E7: to=<bob@far.example>, relay=none, delay=3.1, dsn=5.4.4, status=bounced (Host or domain name not found)",
            "/var/log/exim_mainlog-20261201.gz:2026-11-30 23:58:14 1tGrX2-0008Kq-1M ** bob@far.example R=r T=t: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 550 no such user",
            "mainlog:1207:2026-11-30 23:58:14 1tGrX2-0008Kq-1M ** bob@far.example R=r T=t: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 550 no such user",
        ] {
            let b = read_log(&[line]);
            assert_eq!(
                b.records[0].recipient.as_deref(),
                Some("bob@far.example"),
                "{line}"
            );
            assert!(b.timestamp.is_some(), "{line}");
        }
        // Prose with a colon is no log line.
        assert!(!detect(&[
            "Note: Dec is when we moved the server to a new host"
        ]));
    }

    /// A log browser's rows: the time in a column, the syslog line without its stamp, with
    /// the host in the message or only in the browser's source column.
    #[test]
    fn log_browser_rows_without_syslog_s_stamp() {
        for (row, host) in [
            (
                "2026-12-04 17:22:09.431\tsub01\tsub01 postfix/submission/smtpd[40112]: NOQUEUE: reject: RCPT from x[198.51.100.23]: 553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user z@near.example; from=<ann@near.example> to=<bob@far.example> proto=ESMTP helo=<x>",
                "sub01",
            ),
            (
                "2026-12-04T17:22:09.431Z  mx-out  postfix/smtp[811]: 4F1A2B3C4D: to=<bob@far.example>, relay=far.example[203.0.113.9]:25, delay=1, dsn=5.1.1, status=bounced (host far.example[203.0.113.9] said: 550 5.1.1 no such user (in reply to RCPT TO command))",
                "mx-out",
            ),
        ] {
            let b = read_log(&[row]);
            assert_eq!(
                b.records[0].recipient.as_deref(),
                Some("bob@far.example"),
                "{row}"
            );
            assert_eq!(
                b.timestamp.map(|t| t.format("%FT%T%:z").to_string()),
                Some("2026-12-04T17:22:09+00:00".to_string()),
                "{row}"
            );
            assert_eq!(b.reporting_mta.as_deref(), Some(host), "{row}");
        }
        // A stamp and a program's name in prose are no row.
        assert!(!detect(&[
            "2026-12-04 17:22:09 the postfix[1] service restarted fine"
        ]));
    }

    /// Lines `less` wrapped at 60 columns are joined again; a text whose widest lines are
    /// no log lines is left alone.
    #[test]
    fn log_lines_wrapped_at_a_terminal_s_width() {
        let line = "Dec  1 19:55:12 mail postfix/smtpd[8812]: NOQUEUE: reject: RCPT from mx.near.example[198.51.100.188]: 450 4.1.8 <ann@near.example>: Sender address rejected: Domain not found; from=<ann@near.example> to=<bob@far.example> proto=ESMTP helo=<mx.near.example>";
        let chars: Vec<char> = line.chars().collect();
        let wrapped: Vec<String> = chars.chunks(60).map(|c| c.iter().collect()).collect();
        let text = format!("{}\n/var/log/mail.log (END)\n", wrapped.join("\n"));
        let joined = unwrapped(&text).expect("wrapped log lines");
        assert_eq!(joined.lines().next(), Some(line));
        let mut b = Bounce::default();
        parse(&joined.lines().collect::<Vec<_>>(), &mut b);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        let prose = format!("{}\n{}\npostfix said no\n", "a".repeat(70), "b".repeat(70));
        assert_eq!(unwrapped(&prose), None);
    }

    /// Courier's lines: the reply's words, then the status that says it was final.
    #[test]
    fn courier_delivery_lines() {
        let lines = [
            "Dec  3 14:09:59 mail courieresmtpd: id=0006A3F2.6928C1B9.00003D0F,from=<ann@near.example>,addr=<bob@far.example>: queued",
            "Dec  3 14:10:01 mail courieresmtp: id=0006A3F2.6928C1B9.00003D0F,from=<ann@near.example>,addr=<bob@far.example>: Connected to mx.far.example [198.51.100.9]",
            "Dec  3 14:10:02 mail courieresmtp: id=0006A3F2.6928C1B9.00003D0F,from=<ann@near.example>,addr=<bob@far.example>: 554 5.7.1 Client host blocked using zen.spamhaus.org",
            "Dec  3 14:10:02 mail courieresmtp: id=0006A3F2.6928C1B9.00003D0F,from=<ann@near.example>,addr=<bob@far.example>,status: failure",
        ];
        let b = read_log(&lines);
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.records[0].reply_code, Some(554));
        assert_eq!(b.records[0].action, Action::Failed);
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.timestamp_raw.as_deref(), Some("Dec  3 14:10:02"));
    }

    /// Sendmail's syslog lines: a delivery's failure with its message's sender, and a
    /// refusal of the sender during the session.
    #[test]
    fn sendmail_syslog_lines() {
        let lines = [
            "Dec  5 10:12:01 web1 sendmail[2211]: 4B5AC1Fq002211: from=<shop@near.example>, size=2410, class=0, nrcpts=1, proto=ESMTP, daemon=MTA, relay=localhost [127.0.0.1]",
            "Dec  5 10:12:02 web1 sendmail[2213]: 4B5AC1Fq002211: to=<bob@far.example>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=122410, relay=mx.far.example. [192.0.2.5], dsn=5.1.1, stat=User unknown",
        ];
        assert!(detect(&lines));
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records.len(), 1);
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            (r.status.as_deref(), r.action),
            (Some("5.1.1"), Action::Failed)
        );
        assert_eq!(r.diagnostic.as_deref(), Some("User unknown"));
        assert_eq!(r.remote_host.as_deref(), Some("mx.far.example"));
        assert_eq!(r.remote_ip.as_deref(), Some("192.0.2.5"));
        assert_eq!(b.sender.as_deref(), Some("shop@near.example"));
        assert_eq!(b.queue_id.as_deref(), Some("4B5AC1Fq002211"));
        assert!(b.timestamp_raw.as_deref() == Some("Dec  5 10:12:02"));

        let reject = [
            "Dec  5 10:20:00 mx sm-mta[31]: 5B5AC1Fq0: ruleset=check_mail, arg1=<ann@nowhere.example>, relay=client.example [192.0.2.9], reject=553 5.1.8 <ann@nowhere.example>... Domain of sender address ann@nowhere.example does not exist",
        ];
        let mut b = Bounce::default();
        parse(&reject, &mut b);
        assert_eq!(b.records[0].recipient, None);
        assert_eq!(b.records[0].reply_code, Some(553));
        assert_eq!(b.records[0].stage, Some(Stage::MailFrom));
        assert_eq!(b.sender.as_deref(), Some("ann@nowhere.example"));
    }

    /// The literal gate lets through a line of every reader: a reader added without its
    /// marker in `may_hold_log_lines` would never run.
    #[test]
    fn the_gate_lets_every_reader_s_lines_through() {
        for line in [
            "Dec  5 10:44:29 web5 postfix/smtp[17702]: 1A2B3C4D5E: to=<b@far.example>, relay=none, dsn=5.4.4, status=bounced (Host or domain name not found)",
            "2026-12-01 06:30:14 1vQe1a-0002Xy-0F ** b@far.example: Unrouteable address",
            "2026-12-01 06:30:14 H=(x) [192.0.2.1]:1234 F=<a@near.example> rejected RCPT <b@far.example>: relay not permitted",
            "2026-12-03T10:00:02+01:00 gw smtpd[812]: 0a9c42b7c1e0f3a9 mta delivery evpid=5e3f0c7a1b2d3e4f from=<a@near.example> to=<b@far.example> rcpt=<-> source=\"192.0.2.50\" relay=\"198.51.100.39 (mx.far.example)\" delay=1s result=\"PermFail\" stat=\"554 5.4.6 Too many hops\"",
            "Dec  5 10:12:02 web1 sm-mta[2213]: 4B5AC1Fq002211: to=<b@far.example>, delay=00:00:01, mailer=esmtp, dsn=5.1.1, stat=User unknown",
            "Dec 04 02:30:07 host=smtp.near.example tls=on auth=on user=a from=a@near.example recipients=b@far.example smtpstatus=550 smtpmsg='550 5.1.2 no' exitcode=EX_DATAERR",
            "Dec  3 14:10:02 mail courieresmtp: id=0006A3F2.6928C1B9.00003D0F,from=<a@near.example>,addr=<b@far.example>,status: failure",
        ] {
            assert!(may_hold_log_lines(line), "{line}");
            assert!(detect(&[line]), "{line}");
        }
        assert!(!may_hold_log_lines(
            "550 5.1.1 <b@far.example>: User unknown"
        ));
    }

    /// The one-pass gate finds what a search per mark found, marks overlapping or cut.
    #[test]
    fn the_gate_agrees_with_a_search_per_mark() {
        let mut pieces: Vec<String> = LOG_MARK_WORDS.iter().map(|w| w.to_string()).collect();
        pieces.extend(LOG_MARK_WORDS.iter().map(|w| w[1..].to_string()));
        pieces.extend(LOG_MARK_WORDS.iter().map(|w| w[..w.len() - 1].to_string()));
        pieces.extend([
            "x".into(),
            " ".into(),
            "\n".into(),
            "é".into(),
            "POSTFIX".into(),
        ]);
        let mut g = crate::bounce::test_rng::Rng::new(0x10c_ad0e_5106_0001);
        let mut held = 0;
        for _ in 0..20_000 {
            let len = g.below(4);
            let text: String = (0..len)
                .map(|_| pieces[g.below(pieces.len())].as_str())
                .collect();
            let expected = LOG_MARK_WORDS
                .iter()
                .any(|w| memchr::memmem::find(text.as_bytes(), w.as_bytes()).is_some());
            held += usize::from(expected);
            assert_eq!(may_hold_log_lines(&text), expected, "{text:?}");
        }
        assert!(held > 1000 && held < 19_000, "{held}");
    }

    /// msmtp's log line: its recipients, reply, sender and time.
    #[test]
    fn msmtp_log_lines() {
        let line = "Dec 04 02:30:07 host=smtp.near.example tls=on auth=on user=ann@near.example from=ann@near.example recipients=bob@far.example smtpstatus=550 smtpmsg='550 5.1.2 <bob@far.example>: Recipient address rejected: Domain not found' errormsg='recipient address bob@far.example not accepted by the server' exitcode=EX_DATAERR";
        assert!(detect(&[line]));
        let mut b = Bounce::default();
        parse(&[line], &mut b);
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.reply_code, Some(550));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.timestamp_raw.as_deref(), Some("Dec 04 02:30:07"));
        assert_eq!(b.queue_id, None);
        // A `tail` of the log: the message the server took above the failed one is no
        // failure, and does not give the time.
        let ok = "Dec 04 02:29:12 host=smtp.near.example tls=on auth=on user=ann@near.example from=ann@near.example recipients=cy@near.example mailsize=2214 smtpstatus=250 smtpmsg='250 2.0.0 Ok: queued as 4RFx1m0Qk2z1' exitcode=EX_OK";
        let mut b = Bounce::default();
        parse(&[ok, line], &mut b);
        assert_eq!(b.records.len(), 1, "{:?}", b.records);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.timestamp_raw.as_deref(), Some("Dec 04 02:30:07"));
    }

    /// OpenSMTPD's delivery lines: the failure, its sender, time and relay.
    #[test]
    fn opensmtpd_delivery_lines() {
        let lines = [
            "2026-12-03T10:00:01+01:00 gw smtpd[812]: 0a9c41f2d4b7e6c1 smtp envelope evpid=5e3f0c7a1b2d3e4f from=<ann@near.example> to=<bob@far.example>",
            "2026-12-03T10:00:02+01:00 gw smtpd[812]: 0a9c42b7c1e0f3a9 mta delivery evpid=5e3f0c7a1b2d3e4f from=<ann@near.example> to=<bob@far.example> rcpt=<-> source=\"192.0.2.50\" relay=\"198.51.100.39 (mx.far.example)\" delay=1s result=\"PermFail\" stat=\"554 5.4.6 Too many hops 26 (25 max)\"",
        ];
        assert!(detect(&lines));
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.records.len(), 1);
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!((r.reply_code, r.action), (Some(554), Action::Failed));
        assert_eq!(r.remote_ip.as_deref(), Some("198.51.100.39"));
        assert_eq!(r.remote_host.as_deref(), Some("mx.far.example"));
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-03T09:00:02+00:00")
        );
    }

    /// bounce(8)'s notice goes to the envelope sender: its delivery names the sender when
    /// qmgr's `from=<x>` line of the failed message is not in the excerpt.
    #[test]
    fn postfix_notice_delivery_names_the_sender() {
        let lines = [
            "Dec  5 10:44:29 web5 postfix/smtp[17702]: 1A2B3C4D5E: to=<bob@far.example>, relay=mx.far.example[192.0.2.9]:25, delay=1.3, dsn=5.0.0, status=bounced (host mx.far.example[192.0.2.9] said: 553 Rejected (in reply to MAIL FROM command))",
            "Dec  5 10:44:29 web5 postfix/bounce[17703]: 1A2B3C4D5E: sender non-delivery notification: 2B3C4D5E6F",
            "Dec  5 10:44:29 web5 postfix/qmgr[640]: 2B3C4D5E6F: from=<>, size=5301, nrcpt=1 (queue active)",
            "Dec  5 10:44:29 web5 postfix/local[17706]: 2B3C4D5E6F: to=<ann@near.example>, relay=local, delay=0.02, status=sent (delivered to mailbox)",
        ];
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.queue_id.as_deref(), Some("1A2B3C4D5E"));
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        // qmgr's line, when there, is the sender.
        let mut with_qmgr = vec![
            "Dec  5 10:44:28 web5 postfix/qmgr[640]: 1A2B3C4D5E: from=<shop@near.example>, size=3120, nrcpt=1 (queue active)",
        ];
        with_qmgr.extend(lines);
        let mut b = Bounce::default();
        parse(&with_qmgr, &mut b);
        assert_eq!(b.sender.as_deref(), Some("shop@near.example"));
    }

    /// A routing failure's words follow the address; a failure's time beats an earlier
    /// delay's.
    #[test]
    fn an_exim_routing_failure_after_a_delay() {
        let lines = [
            "2026-12-01 06:31:12 1vQe1a-0002Xy-0F == bob@far.example R=dnslookup T=remote_smtp defer (-44): SMTP error from remote mail server after RCPT TO:<bob@far.example>: 451 4.7.1 greylisted",
            "2026-12-05 06:30:14 1vQe1a-0002Xy-0F ** ann@far.example: Unrouteable address",
        ];
        let mut b = Bounce::default();
        parse(&lines, &mut b);
        let failed = b
            .records
            .iter()
            .find(|r| r.action == Action::Failed)
            .expect("a failure");
        assert_eq!(failed.recipient.as_deref(), Some("ann@far.example"));
        assert_eq!(failed.diagnostic.as_deref(), Some("Unrouteable address"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-05T06:30:14+00:00")
        );
    }

    /// Exim's session refusals: the refused recipient with the line's sender and time; a
    /// refused sender is the sender, with no recipient; a temporary one is a delay.
    #[test]
    fn exim_session_refusals_without_a_queue_id() {
        let line = "2026-12-02 09:01:44 H=([192.168.1.20]) [203.0.113.88]:52311 I=[198.51.100.5]:25 F=<ann@near.example> rejected RCPT <bob@far.example>: relay not permitted";
        assert!(detect(&[line]));
        let mut b = Bounce::default();
        parse(&[line], &mut b);
        let r = &b.records[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.diagnostic.as_deref(), Some("relay not permitted"));
        assert_eq!(r.stage, Some(Stage::RcptTo));
        assert_eq!(r.action, Action::Failed);
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(
            b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-02T09:01:44+00:00")
        );
        assert_eq!(b.queue_id, None);

        let mut b = Bounce::default();
        parse(
            &[
                "2026-12-02 09:01:44 H=mx.near.example [203.0.113.9] rejected MAIL <root@box>: Sender verify failed",
            ],
            &mut b,
        );
        assert_eq!(b.records[0].recipient, None);
        assert_eq!(b.records[0].stage, Some(Stage::MailFrom));
        assert_eq!(b.sender.as_deref(), Some("root@box"));

        let mut b = Bounce::default();
        parse(
            &[
                "2026-12-02 09:01:44 H=(x) [203.0.113.9] F=<a@near.example> temporarily rejected RCPT <c@far.example>: greylisted",
            ],
            &mut b,
        );
        assert_eq!(b.records[0].action, Action::Delayed);
    }
}
