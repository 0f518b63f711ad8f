//! Facts about the situation a bounce shows, beyond its records: who refused, whether the
//! customer authenticated, which mail system wrote the report, the IP the message left from.
//! Playbook steps depend on them (`when:`) and live checks read them; the JSON contract
//! prints them as `facts`.

use std::net::IpAddr;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::model::{Action, Bounce, Format};
pub use super::model::{Facts, RefusedBy, ReportingSystem};

/// How much of the text the mark searches look at: a report's own words sit at its top.
pub(super) const SCAN_BYTES: usize = 256 * 1024;

/// The facts step of the pipeline: what the parsed `bounce`, its normalised `text` and (for
/// a message) its decoded human-readable part `human` show about the situation.
pub fn derive(text: &str, human: Option<&str>, bounce: &Bounce) -> Facts {
    let text = super::response::clip(text, SCAN_BYTES);
    // A human-readable part that is a slice of the text (a part sent as it is, neither
    // encoded nor re-coded) holds no wording the text's own search misses: searched once.
    let human = human
        .map(|h| super::response::clip(h, SCAN_BYTES))
        .filter(|h| !lies_within(h, text));
    let received = ReceivedFields::of(text, bounce.format);
    let reporting_system = reporting_system(text, human, bounce);
    let refused_by = refused_by(text, human, bounce, reporting_system);
    // Our server refused the customer's session and named the user it had logged in as:
    // logged in, when nothing else says (a session shown without its AUTH says otherwise,
    // and is believed). A remote server naming a login names our relay's, not the
    // customer's.
    let logged_in = refused_by == Some(RefusedBy::Local) && refusal_names_the_login(bounce);
    Facts {
        refused_by,
        authenticated: authenticated(text, bounce, &received).or(logged_in.then_some(true)),
        reporting_system,
        sending_ip: sending_ip(text, bounce, &received),
    }
}

/// Whether a refusal names the user the client had logged in as: Postfix's
/// `reject_sender_login_mismatch` (`553 5.7.1 <a@b>: Sender address rejected: not owned by
/// user LOGIN`; a client that had not logged in is told `not logged in` instead). The
/// session that was refused had authenticated, whoever's client it was.
fn refusal_names_the_login(bounce: &Bounce) -> bool {
    const MARK: &[u8] = b"not owned by user";
    bounce.records.iter().any(|r| {
        r.diagnostic.as_deref().is_some_and(|d| {
            d.as_bytes()
                .windows(MARK.len())
                .any(|w| w.eq_ignore_ascii_case(MARK))
        })
    })
}

/// Whether `part` is a slice of `whole`'s bytes.
fn lies_within(part: &str, whole: &str) -> bool {
    let (start, end) = (part.as_ptr() as usize, part.as_ptr() as usize + part.len());
    let (w_start, w_end) = (
        whole.as_ptr() as usize,
        whole.as_ptr() as usize + whole.len(),
    );
    w_start <= start && end <= w_end
}

/// Fixed wordings in groups (one group per mail system, or a single group), found in one
/// pass over each text. The texts may be up to [`SCAN_BYTES`] long and there are dozens of
/// wordings, so one substring search per wording was a good part of the parse time.
struct Marks {
    automaton: AhoCorasick,
    group_of: Vec<usize>,
}

impl Marks {
    fn new(groups: &[&[&str]]) -> Self {
        Marks::build(groups, false)
    }

    /// Marks that programs write in either case: the reference `login_mark` is tested
    /// against.
    #[cfg(test)]
    fn ignoring_case(groups: &[&[&str]]) -> Self {
        Marks::build(groups, true)
    }

    fn build(groups: &[&[&str]], ignore_case: bool) -> Self {
        let group_of = groups
            .iter()
            .enumerate()
            .flat_map(|(g, marks)| marks.iter().map(move |_| g))
            .collect();
        // Leftmost-first, non-overlapping: the searches that may skip ahead with the
        // automaton's SIMD prefilter. The marks are whole sentences of different programs;
        // one starting inside another's match is not a case worth a slower scan.
        // A contiguous NFA: the SIMD prefilter finds the candidates either way, and the DFA
        // the builder would pick for this few wordings costs more to build than a run's
        // searches save.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .ascii_case_insensitive(ignore_case)
            .build(groups.iter().flat_map(|marks| marks.iter()))
            .expect("a few dozen fixed wordings always build");
        Marks {
            automaton,
            group_of,
        }
    }

    /// The first group (in the order given: strongest first) with a wording in any of
    /// `texts` (case-sensitive: the marks are the programs' own fixed wordings).
    fn first_group(&self, texts: &[&str]) -> Option<usize> {
        let mut best: Option<usize> = None;
        for text in texts {
            for m in self.automaton.find_iter(*text) {
                let group = self.group_of[m.pattern().as_usize()];
                if group == 0 {
                    return Some(0);
                }
                best = Some(best.map_or(group, |b| b.min(group)));
            }
        }
        best
    }

    /// Whether any of `texts` holds any of the wordings.
    fn any(&self, texts: &[&str]) -> bool {
        texts.iter().any(|t| self.automaton.is_match(*t))
    }
}

/// The marks of `SYSTEM_MARKS`-like tables, in one automaton, with the system of each group.
fn system_marks(table: &[(ReportingSystem, &[&str])]) -> (Marks, Vec<ReportingSystem>) {
    let groups: Vec<&[&str]> = table.iter().map(|(_, marks)| *marks).collect();
    (
        Marks::new(&groups),
        table.iter().map(|(system, _)| *system).collect(),
    )
}

static SYSTEMS: LazyLock<(Marks, Vec<ReportingSystem>)> =
    LazyLock::new(|| system_marks(SYSTEM_MARKS));
static GREETINGS: LazyLock<(Marks, Vec<ReportingSystem>)> =
    LazyLock::new(|| system_marks(GREETING_MARKS));
static REMOTE: LazyLock<Marks> = LazyLock::new(|| Marks::new(&[REMOTE_MARKS]));
static LOG_REMOTE: LazyLock<Marks> = LazyLock::new(|| Marks::new(&[LOG_REMOTE_MARKS]));
static LOG_LOCAL: LazyLock<Marks> = LazyLock::new(|| Marks::new(&[LOG_LOCAL_MARKS]));
/// Postfix's `sasl_username=` (its log) and, with `dovecot`, Exim's ` A=dovecot_...` (its
/// log lines quoted in a report): the client authenticated. Either case, as programs write
/// these keys both ways. Both keys hold `=`, a byte most of a text lacks: each `=` is looked
/// at, rather than running a case-folding automaton (which has no fast prefilter) over
/// every byte of a message and its attachments.
fn login_mark(text: &str, dovecot: bool) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'=', b).any(|at| {
        let before = |word: &[u8]| {
            at.checked_sub(word.len())
                .and_then(|from| b.get(from..at))
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        };
        before(b"sasl_username")
            || (dovecot
                && before(b" a")
                && b.get(at + 1..at + 9)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"dovecot_")))
    })
}

/// The report's marks per mail system, strongest first: the sentences each program writes
/// at the top of its bounce (from their sources and docs), then weaker shared habits.
const SYSTEM_MARKS: &[(ReportingSystem, &[&str])] = &[
    // qmail-send.c: "Hi. This is the qmail-send program at ...".
    (ReportingSystem::Qmail, &["This is the qmail-send program"]),
    // Google's NDR headings and the sentence before the remote's words.
    (
        ReportingSystem::Gmail,
        &[
            "** Address not found **",
            "** Message not delivered **",
            "** Message blocked **",
            "** Delivery incomplete **",
            "The response from the remote server was:",
            "Google tried to deliver your message",
            "mailer-daemon@googlemail.com",
        ],
    ),
    // Exchange / Microsoft 365 NDR templates.
    (
        ReportingSystem::Exchange,
        &[
            "Diagnostic information for administrators",
            "Generating server:",
            "Remote Server returned '",
            "Delivery has failed to these recipients or groups",
            "Microsoft Exchange Server",
            ".prod.outlook.com",
            "Your message couldn't be delivered",
            // Exchange 2003's template and its X.400 diagnostic.
            "did not reach the following recipient(s)",
            "The MTS-ID of the original message is",
            "MSEXCH:",
        ],
    ),
    // Courier's DSN text (module.dsn) and its Message-ID form.
    (
        ReportingSystem::Courier,
        &[
            "running the Courier mail server",
            "Courier mail server at",
            "<courier.",
        ],
    ),
    // OpenSMTPD's bounce.c.
    (
        ReportingSystem::Opensmtpd,
        &[
            "This is the MAILER-DAEMON, please DO NOT REPLY",
            "An error has occurred while attempting to deliver a message for the",
        ],
    ),
    // Exim's default bounce text, its failure line and the copy marker.
    (
        ReportingSystem::Exim,
        &[
            "This message was created automatically by mail delivery software",
            "SMTP error from remote mail server after",
            "X-Failed-Recipients:",
            "------ This is a copy of the message, including all the headers",
            "retry timeout exceeded",
        ],
    ),
    // Postfix's bounce templates (bounce_template.c) and its DSN's own fields.
    (
        ReportingSystem::Postfix,
        &[
            "This is the mail system at host",
            "X-Postfix-Queue-ID:",
            "X-Postfix-Sender:",
            "The mail system\n",
            "(in reply to RCPT TO command)",
            "(in reply to MAIL FROM command)",
            "(in reply to end of DATA command)",
            "(in reply to DATA command)",
        ],
    ),
    // Sendmail's DSN text (deliver.c / savemail.c).
    (
        ReportingSystem::Sendmail,
        &[
            "----- Transcript of session follows -----",
            "----- The following addresses had permanent fatal errors -----",
            "----- The following addresses had transient non-fatal errors -----",
            "Mail Delivery Subsystem <MAILER-DAEMON@",
            "... while talking to ",
        ],
    ),
];

/// Server greetings and log shapes: what a transcript or client log shows of our server.
const GREETING_MARKS: &[(ReportingSystem, &[&str])] = &[
    (ReportingSystem::Exim, &["ESMTP Exim", " Exim 4."]),
    (ReportingSystem::Postfix, &["ESMTP Postfix", " postfix/"]),
    (
        ReportingSystem::Exchange,
        &["Microsoft ESMTP MAIL Service", "outlook.com Microsoft"],
    ),
    (ReportingSystem::Sendmail, &["ESMTP Sendmail", "Sendmail "]),
    (ReportingSystem::Qmail, &["ESMTP qmail", "qmail-smtpd"]),
    (ReportingSystem::Opensmtpd, &["ESMTP OpenSMTPD"]),
    (ReportingSystem::Courier, &["Courier mail server"]),
];

fn reporting_system(text: &str, human: Option<&str>, bounce: &Bounce) -> Option<ReportingSystem> {
    match bounce.format {
        Format::EximLog => return Some(ReportingSystem::Exim),
        Format::PostfixLog => return Some(ReportingSystem::Postfix),
        _ => {}
    }
    let mut texts = vec![text];
    texts.extend(human);
    let (marks, systems) = &*SYSTEMS;
    if let Some(group) = marks.first_group(&texts) {
        return Some(systems[group]);
    }
    let reporting = bounce
        .reporting_mta
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if reporting.ends_with("outlook.com") || reporting.contains("exchange") {
        return Some(ReportingSystem::Exchange);
    }
    if reporting.ends_with("google.com") || reporting.ends_with("googlemail.com") {
        return Some(ReportingSystem::Gmail);
    }
    let (marks, systems) = &*GREETINGS;
    if let Some(group) = marks.first_group(&texts) {
        return Some(systems[group]);
    }
    // A report from a mail system whose marks we do not know.
    let is_report = matches!(bounce.format, Format::Dsn | Format::Email | Format::Body);
    let failure = bounce
        .records
        .iter()
        .any(|r| matches!(r.action, Action::Failed | Action::Delayed));
    (is_report && failure).then_some(ReportingSystem::Other)
}

/// Wordings that put a remote MX's reply inside our server's report.
const REMOTE_MARKS: &[&str] = &[
    " said: ",
    " said:\n",
    "SMTP error from remote mail server",
    "Remote host said:",
    "Remote-MTA:",
    "Remote-Mta:",
    "remote-mta:",
    "The response from the remote server was",
    "Remote Server returned",
    "... while talking to ",
    "While talking to ",
    "\n<<< ",
    "does not like recipient",
    "but sender was rejected",
    "Connected to ",
];

fn refused_by(
    text: &str,
    human: Option<&str>,
    bounce: &Bounce,
    reporting_system: Option<ReportingSystem>,
) -> Option<RefusedBy> {
    match bounce.format {
        // A session to a server in the recipient's own domain (an agent's `telnet` to
        // their MX) that did not log in: that server refused. (A logged-in session's
        // server is the customer's own: a site's contact form sending to its own address.)
        Format::Transcript
            if spoke_to_the_recipient_s_server(bounce) && session_auth(text) != Some(true) =>
        {
            return Some(RefusedBy::Remote);
        }
        // The customer's client or script spoke to our server: its words are our server's.
        Format::Transcript | Format::ErrorText => return Some(RefusedBy::Local),
        Format::PostfixLog | Format::EximLog => return log_refused_by(text),
        _ => {}
    }
    // Gmail sending as the customer ("Send mail as" another address) logs in to the
    // customer's own SMTP server with the customer's login: a refusal naming that login is
    // that server's, our own, though Gmail calls it "the remote server".
    if reporting_system == Some(ReportingSystem::Gmail) && refusal_names_the_login(bounce) {
        return Some(RefusedBy::Local);
    }
    if bounce
        .records
        .iter()
        .any(|r| r.remote_host.is_some() || r.remote_ip.is_some())
    {
        return Some(RefusedBy::Remote);
    }
    let mut texts = vec![text];
    texts.extend(human);
    if REMOTE.any(&texts) || quotes_a_remote_reply_in_its_language(&texts) {
        return Some(RefusedBy::Remote);
    }
    // A bare response line with nothing around it: what the customer's client was told.
    if bounce.format == Format::Body && text.lines().filter(|l| !l.trim().is_empty()).count() <= 3 {
        return Some(RefusedBy::Local);
    }
    None
}

/// Gmail's lead before the remote server's reply in its interface's other languages
/// (vocabulary `[remote-reply-leads]`), found in one pass, ASCII letters in either case (a
/// lead that opens a sentence in a cased script other than Latin is written from its second
/// word).
static REMOTE_LEADS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .ascii_case_insensitive(true)
        .build(super::vocabulary::words("remote-reply-leads"))
        .expect("a few dozen fixed wordings always build")
});

/// Whether a report introduces the remote server's reply in its reader's language (Gmail's
/// "The response from the remote server was:" translated). Only text with letters outside
/// ASCII is searched: the English lead is among [`REMOTE_MARKS`].
fn quotes_a_remote_reply_in_its_language(texts: &[&str]) -> bool {
    texts.iter().any(|t| {
        let head = super::response::clip(t, 32 * 1024);
        !head.is_ascii() && REMOTE_LEADS.is_match(head)
    })
}

/// Whether a session's server (the name it gave itself) lies in a failed recipient's domain
/// and not in the sender's (a domain hosting both is the customer's own), or is a mail
/// provider's inbound MX (vocabulary `[inbound-mx-hosts]`: it takes mail for its customers'
/// domains, whatever their names, and submits none).
fn spoke_to_the_recipient_s_server(bounce: &Bounce) -> bool {
    let domain_of = |a: &str| a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
    let within = |host: &str, domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    let sender_domain = bounce.sender.as_deref().and_then(domain_of);
    bounce.records.iter().any(|r| {
        // A refusal to relay, or a demand to log in, speaks to a would-be user of that
        // server: the advice is a submitting client's, whoever's the server is.
        let to_its_user = r.diagnostic.as_deref().is_some_and(|d| {
            let d = d.to_ascii_lowercase();
            d.contains("relay") || d.contains("authenticat")
        });
        if to_its_user {
            return false;
        }
        let (Some(host), Some(domain)) = (
            r.remote_host.as_deref().map(str::to_ascii_lowercase),
            r.recipient.as_deref().and_then(domain_of),
        ) else {
            return false;
        };
        let provider_mx = super::vocabulary::words("inbound-mx-hosts")
            .iter()
            .any(|mx| within(&host, mx));
        (within(&host, &domain) || provider_mx)
            && !sender_domain.as_deref().is_some_and(|s| within(&host, s))
    })
}

/// A log shows our server refusing a client (Postfix `NOQUEUE: reject:`, Exim `rejected
/// RCPT`/`rejected MAIL`) or a remote MX refusing our server (a `said:` reply, Exim's
/// `SMTP error from remote mail server`).
fn log_refused_by(text: &str) -> Option<RefusedBy> {
    if LOG_REMOTE.any(&[text]) {
        return Some(RefusedBy::Remote);
    }
    if LOG_LOCAL.any(&[text]) {
        return Some(RefusedBy::Local);
    }
    None
}

/// A remote MX's reply in a log line.
const LOG_REMOTE_MARKS: &[&str] = &[" said: ", "SMTP error from remote mail server", "relay="];
/// Our server refusing a client, in its log.
const LOG_LOCAL_MARKS: &[&str] = &[
    ": reject: ",
    "NOQUEUE: reject",
    " rejected RCPT ",
    " rejected MAIL ",
    " rejected after DATA",
];

/// The `Received:` fields of the returned original (the bounce's own header block left out),
/// unfolded onto one line each.
struct ReceivedFields {
    fields: Vec<String>,
}

impl ReceivedFields {
    fn of(text: &str, format: Format) -> Self {
        let mut fields: Vec<String> = Vec::new();
        let mut lines = super::lines::lines(text);
        // A message's own header block: its Received lines are the bounce's own trip.
        if matches!(format, Format::Dsn | Format::Email) {
            for line in lines.by_ref() {
                if super::lines::is_blank(line) {
                    break;
                }
            }
        }
        // The rest is searched for the field name rather than read line by line: a
        // returned original with an attachment is thousands of lines, a handful of them
        // Received fields.
        let rest = lines.next().map_or("", |first| {
            let at = (first.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            text.get(at..).unwrap_or("")
        });
        let mut lines = super::lines::lines(rest).peekable();
        // Where the next line starts in `rest`, to jump to a hit's line.
        let mut next_line_at = 0;
        'hits: for hit in memchr::memmem::find_iter(rest.as_bytes(), b"eceived:") {
            if hit < next_line_at {
                continue;
            }
            // Skip to the line holding the hit; lines passed over hold no field start.
            let line = loop {
                let Some(line) = lines.next() else {
                    break 'hits;
                };
                let start = line.as_ptr() as usize - rest.as_ptr() as usize;
                next_line_at = start + line.len() + 1;
                if hit < next_line_at {
                    break line;
                }
            };
            let t = line.trim_start_matches(['>', ' ', '\t']);
            let Some(value) = t
                .strip_prefix("Received:")
                .or_else(|| t.strip_prefix("received:"))
            else {
                continue;
            };
            let mut field = value.trim().to_string();
            while let Some(next) = lines.peek() {
                let n = next.trim_start_matches('>');
                if n.starts_with([' ', '\t']) && !n.trim().is_empty() {
                    field.push(' ');
                    field.push_str(n.trim());
                    let start = next.as_ptr() as usize - rest.as_ptr() as usize;
                    next_line_at = start + next.len() + 1;
                    lines.next();
                } else {
                    break;
                }
            }
            fields.push(field);
            if fields.len() >= 64 {
                break;
            }
        }
        ReceivedFields { fields }
    }

    /// [`ReceivedFields::of`] as it was first written, line by line: the reference the
    /// search above is tested against.
    #[cfg(test)]
    fn by_lines(text: &str, format: Format) -> Self {
        let mut fields: Vec<String> = Vec::new();
        let mut lines = text.lines().peekable();
        if matches!(format, Format::Dsn | Format::Email) {
            for line in lines.by_ref() {
                if line.trim().is_empty() {
                    break;
                }
            }
        }
        while let Some(line) = lines.next() {
            let t = line.trim_start_matches(['>', ' ', '\t']);
            let Some(rest) = t
                .strip_prefix("Received:")
                .or_else(|| t.strip_prefix("received:"))
            else {
                continue;
            };
            let mut field = rest.trim().to_string();
            while let Some(next) = lines.peek() {
                let n = next.trim_start_matches('>');
                if n.starts_with([' ', '\t']) && !n.trim().is_empty() {
                    field.push(' ');
                    field.push_str(n.trim());
                    lines.next();
                } else {
                    break;
                }
            }
            fields.push(field);
            if fields.len() >= 64 {
                break;
            }
        }
        ReceivedFields { fields }
    }
}

/// RFC 3848's `with` keywords for an authenticated session.
fn received_with_auth(field: &str) -> bool {
    let lower = field.to_ascii_lowercase();
    let mut words = lower.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "with"
            && let Some(proto) = words.peek()
        {
            let proto = proto.trim_end_matches([';', ',', ')']);
            if matches!(
                proto,
                "esmtpa" | "esmtpsa" | "lmtpa" | "lmtpsa" | "utf8smtpa" | "utf8smtpsa"
            ) {
                return true;
            }
        }
    }
    false
}

fn authenticated(text: &str, bounce: &Bounce, received: &ReceivedFields) -> Option<bool> {
    if received.fields.iter().any(|f| received_with_auth(f)) {
        return Some(true);
    }
    match bounce.format {
        Format::EximLog => exim_log_auth(text),
        Format::PostfixLog => login_mark(text, false).then_some(true),
        Format::Transcript | Format::ErrorText => session_auth(text),
        _ => {
            // A transcript or a log excerpt quoted inside a report.
            if login_mark(text, true) {
                Some(true)
            } else {
                None
            }
        }
    }
}

/// Exim's arrival line (`<=`) names the authenticator (`A=dovecot_login:user`) and the
/// protocol (`P=esmtpsa`); an arrival over SMTP with neither shows a session without auth.
fn exim_log_auth(text: &str) -> Option<bool> {
    let mut saw_smtp_arrival = false;
    for line in text.lines() {
        if !line.contains(" <= ") {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.iter().any(|w| w.starts_with("A=") && w.len() > 2) {
            return Some(true);
        }
        if let Some(p) = words.iter().find_map(|w| w.strip_prefix("P=")) {
            let p = p.to_ascii_lowercase();
            if p.ends_with("smtpa") || p.ends_with("smtpsa") {
                return Some(true);
            }
            if p.contains("smtp") && words.iter().any(|w| w.starts_with("H=")) {
                saw_smtp_arrival = true;
            }
        }
    }
    saw_smtp_arrival.then_some(false)
}

/// A transcript or client log: AUTH accepted (235) is authenticated; a session that reached
/// MAIL FROM without an accepted AUTH is not; a bare error text says nothing.
fn session_auth(text: &str) -> Option<bool> {
    let mut auth_sent = false;
    for line in text.lines() {
        // The transcript reader's own reading of a line: its stamp and speaker off.
        let t = super::transcript::strip_prefix(line);
        let upper = t.get(..t.len().min(10)).unwrap_or("").to_ascii_uppercase();
        if upper.starts_with("AUTH ") || upper == "AUTH" {
            auth_sent = true;
        } else if auth_sent && t.starts_with("235") {
            return Some(true);
        } else if upper.starts_with("MAIL FROM") {
            return Some(false);
        }
    }
    None
}

/// Whether a rejection text holds one of [`IP_CONTEXT_WORDS`], in any ASCII case: one pass
/// over the text, where a search per word (each with its own searcher set up) and a
/// lowercased copy cost more than the rest of the step on every record.
static IP_CONTEXT: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(IP_CONTEXT_WORDS)
        .expect("a few lowercase words always build")
});

/// Words that name the refused sender's own IP in a rejection text (lowercase).
const IP_CONTEXT_WORDS: &[&str] = &[
    "client host",
    "client ip",
    "your ip",
    "ip address",
    "sending ip",
    "connecting ip",
    "blocked",
    "listed",
    "?ip=",
    "ip=",
    "rbl",
    "dnsbl",
    "reputation",
    "spamhaus",
    "spamcop",
    "barracuda",
];

fn sending_ip(text: &str, bounce: &Bounce, received: &ReceivedFields) -> Option<IpAddr> {
    // An IP named in the refusal, next to words that say it is the sender's.
    for r in &bounce.records {
        let Some(diag) = r.diagnostic.as_deref() else {
            continue;
        };
        if !IP_CONTEXT.is_match(diag) {
            continue;
        }
        let remote: Option<IpAddr> = r.remote_ip.as_deref().and_then(|i| i.parse().ok());
        if let Some(ip) = ips_in(diag).find(|ip| Some(*ip) != remote && is_public(ip)) {
            return Some(ip);
        }
    }
    // The outermost external hop of the returned original: the most recent Received field
    // whose `from` part names a public IP (the client that handed the message to our server).
    for field in &received.fields {
        let from_part = field.split(" by ").next().unwrap_or(field);
        if let Some(ip) = ips_in(from_part).find(is_public) {
            return Some(ip);
        }
    }
    // Logs: Exim's arrival `H=... [ip]`, Postfix's `client=host[ip]`.
    if matches!(bounce.format, Format::EximLog | Format::PostfixLog) {
        for line in text.lines() {
            let part = if let Some(at) = line.find(" <= ") {
                line.get(at..).and_then(|l| l.find(" H=").map(|h| &l[h..]))
            } else {
                // `client=host[ip]` of an accepted message, `reject: RCPT from host[ip]:`.
                line.find("client=")
                    .or_else(|| line.find("reject: "))
                    .map(|at| &line[at..])
            };
            if let Some(ip) = part.and_then(|p| ips_in(p).find(is_public)) {
                return Some(ip);
            }
        }
    }
    None
}

/// IP literals in `text`: bracketed (`[192.0.2.1]`, `[IPv6:2001:db8::1]`) or bare dotted quads.
fn ips_in(text: &str) -> impl Iterator<Item = IpAddr> + '_ {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .filter(|w| w.len() >= 7)
        .filter_map(|w| {
            let w = w.trim_matches(['.', ':']);
            if w.contains(':') {
                // Only a real IPv6 literal: at least two colons. `[IPv6:...]` leaves a `6:`.
                let w = w.strip_prefix("6:").unwrap_or(w);
                (w.matches(':').count() >= 2)
                    .then(|| w.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6))
                    .flatten()
            } else {
                w.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
            }
        })
}

/// Not private, loopback, link-local or unspecified: an address other servers can see.
/// The documentation ranges count as public (examples and tests use them).
fn is_public(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]))
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The IP-context check as a lowercased copy searched for each word, as it was first
    /// written.
    #[test]
    fn ip_context_agrees_with_lowercased_word_searches() {
        let mut texts: Vec<String> = vec![
            String::new(),
            "550 5.7.1 Service unavailable; Client host [203.0.113.4] blocked using zen.spamhaus.org".into(),
            "554 Your IP 203.0.113.9 is LISTED".into(),
            "550 see https://example.net/?IP=203.0.113.9".into(),
            "550 5.1.1 user unknown".into(),
            "550 İP ADDRESS ıs blocked".into(),
            "553 sorry, that domain isn't in my list of allowed rcpthosts".into(),
            "421 RBL".into(),
            "ip-address".into(),
        ];
        for w in IP_CONTEXT_WORDS {
            texts.push(format!("x {} y", w.to_uppercase()));
            texts.push(format!("{w}é"));
            texts.push(w[1..].to_string());
        }
        for text in &texts {
            let lower = text.to_ascii_lowercase();
            let expected = IP_CONTEXT_WORDS.iter().any(|w| lower.contains(w));
            assert_eq!(IP_CONTEXT.is_match(text.as_str()), expected, "{text:?}");
        }
    }

    /// The searched Received fields are the ones the line-by-line reading finds, on texts
    /// made of header blocks, quoted and folded Received fields, near misses and blank lines.
    #[test]
    fn received_fields_search_agrees_with_lines() {
        let pieces = [
            "Received: from a by b.example with esmtpsa id 1\n",
            "received: from c\n",
            "RECEIVED: no\n",
            "> Received: from quoted\n",
            "\tby folded.example\n",
            "  with ESMTPA\n",
            ">\tfolded quoted\n",
            "   \n",
            "\n",
            "Subject: x\n",
            "X-Received: not a field\n",
            "Received:\n",
            "eceived: half\n",
            " Received: indented\n",
            "Received: no newline",
            "\r\n",
            "é Received: after a letter\n",
        ];
        let mut g = crate::bounce::test_rng::Rng::new(0x5eed_0fac_75ee_d0fa);
        for _ in 0..20_000 {
            let n = g.below(12);
            let text: String = (0..n).map(|_| g.pick(&pieces)).collect();
            for format in [Format::Email, Format::Body] {
                assert_eq!(
                    ReceivedFields::of(&text, format).fields,
                    ReceivedFields::by_lines(&text, format).fields,
                    "{text:?}"
                );
            }
        }
    }

    /// The `=` scan finds what the case-folding automata it replaced found, on texts made of
    /// the keys' pieces in any case.
    #[test]
    fn login_marks_agree_with_automata() {
        let sasl = Marks::ignoring_case(&[&["sasl_username="]]);
        let login = Marks::ignoring_case(&[&[" a=dovecot_", "sasl_username="]]);
        let pieces = [
            "sasl_username",
            "SASL_",
            "Username",
            "=",
            " a",
            " A",
            "a",
            "dovecot_",
            "DoveCot_",
            "dovecot",
            " ",
            "x",
            "==",
            "_",
            "é",
        ];
        let mut g = crate::bounce::test_rng::Rng::new(0x0123_4567_89ab_cdef);
        for _ in 0..50_000 {
            let n = g.below(8);
            let text: String = (0..n).map(|_| g.pick(&pieces)).collect();
            assert_eq!(login_mark(&text, false), sasl.any(&[&text]), "{text:?}");
            assert_eq!(login_mark(&text, true), login.any(&[&text]), "{text:?}");
        }
    }

    #[test]
    fn marks_and_ips() {
        assert!(received_with_auth("from x by y with ESMTPSA id 1"));
        assert!(received_with_auth("from x by y with esmtpa (Exim 4.9)"));
        assert!(!received_with_auth("from x by y with ESMTPS id 1"));
        let ips: Vec<IpAddr> =
            ips_in("a [IPv6:2001:db8::5] b 192.0.2.1. c 10.0.0.1 v1.2.3").collect();
        assert_eq!(ips.len(), 3, "{ips:?}");
        assert!(!is_public(&"10.1.2.3".parse().unwrap()));
        assert!(!is_public(&"fe80::1".parse().unwrap()));
        assert!(is_public(&"192.0.2.1".parse().unwrap()));
        assert!(login_mark("xx SASL_Username=y", false));
        assert!(login_mark("x A=Dovecot_login:u", true) && !login_mark("A=dovecot", true));
        assert!(!login_mark("x A=Dovecot_login:u", false));
    }
}
