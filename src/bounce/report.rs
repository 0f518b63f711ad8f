//! A bounce's human-readable report, split into lines once, and the returned original it
//! carries: where the original starts (Exim/cPanel's "This is a copy of the message", qmail's
//! "Below this line is a copy of the message", Sendmail's "Original message follows", a
//! pasted header block, ...), the original's header block, and the per-message facts the
//! report states in words (reporting MTA, queue id).
//!
//! Every reader of a report's text (the plain-text NDR reader, DSN fields written as text,
//! the inline original's headers) takes it from here, so the text is split and the original
//! found once per report.
//!
//! Only the original's HEADER block is read (the lines after the cut marker up to the first
//! blank line): its body may quote another bounce, which must never be taken for this one.

use std::cell::OnceCell;
use std::sync::LazyLock;

use regex::Regex;

use super::model::Bounce;
use super::pattern::re;
use super::response;
use super::vocabulary;

/// How much of a text is read as the bounce's report.
pub const MAX_REPORT_BYTES: usize = 256 * 1024;

/// A bounce's text split into lines once, with where its returned original starts. The
/// records, the DSN fields written as text and the inline original's headers are all read
/// from the same human-readable part; splitting it and finding the original once for all
/// three was a tenth of a message's parse.
pub struct Report<'a> {
    /// The text, clipped to [`MAX_REPORT_BYTES`]: a bounce's own report sits at the top;
    /// past this much there is no report left to read, only a returned original or noise.
    pub text: &'a str,
    /// `text`'s lines, whole.
    pub lines: Vec<&'a str>,
    /// The index of the original's first line in `lines`, or `lines.len()`.
    pub original_start: usize,
    /// The original's header block, read on first need: the records' completion and the
    /// timestamp both want it, and reading it was a good part of a message's parse.
    original: OnceCell<Option<Headers>>,
}

impl<'a> Report<'a> {
    pub fn new(text: &'a str) -> Self {
        let text = response::clip(text, MAX_REPORT_BYTES);
        let lines: Vec<&str> = super::lines::lines(text).collect();
        let original_start = original_start(text, &lines);
        Report {
            text,
            lines,
            original_start,
            original: OnceCell::new(),
        }
    }

    /// The lines before the original.
    pub fn before_original(&self) -> &[&'a str] {
        &self.lines[..self.original_start]
    }

    /// The text before the original, as it stands (the lines of [`Report::before_original`]
    /// with their line breaks), for readers that take text rather than lines.
    pub fn text_before_original(&self) -> &'a str {
        match self.lines.get(self.original_start) {
            // Every line is a slice of `text`: where the original's first line starts in it.
            Some(line) => {
                let at = (line.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
                self.text.get(..at).unwrap_or(self.text)
            }
            None => self.text,
        }
    }

    /// The header block of the returned original, when the text carries one.
    pub fn original_headers(&self) -> Option<&Headers> {
        self.original
            .get_or_init(|| headers_from(&self.lines, self.original_start))
            .as_ref()
    }
}

/// Phrases that start the returned original wherever they stand (vocabulary
/// `[original-phrases]`), searched in a lowercased copy of the text.
static ORIGINAL_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        "(?-u){}",
        vocabulary::alternation("original-phrases")
    ))
});

/// Words that start the returned original when set apart as a rule (`----- x -----`) or
/// as a MIME header written into the text (vocabulary `[original-markers]`).
static ORIGINAL_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        "(?-u){}",
        vocabulary::alternation("original-markers")
    ))
});

/// Where the returned original starts in `text` (split into `lines`): the index of its
/// first line, or `lines.len()`. The phrase searches run once over the whole text.
/// Whether the header block under a marker line at `n` is from a mail system: a reply's
/// `-----Original Message-----` over the bounce it quotes (the bounce is what follows, not
/// a returned original).
fn quotes_a_bounce_below(lines: &[&str], n: usize) -> bool {
    let labels = vocabulary::words("from-labels");
    let block: Vec<(String, &str)> = lines
        .iter()
        .skip(n + 1)
        .take(6)
        .filter_map(|l| l.split_once(':'))
        .map(|(label, value)| (label.trim().to_lowercase(), value))
        .collect();
    // A postmaster sends messages of its own: its block is a bounce only under a bounce's
    // Subject (Exchange's `Microsoft Outlook <postmaster@x>`, `Undeliverable: ...`).
    let bounce_subject = || {
        block.iter().any(|(label, value)| {
            let value = value.to_ascii_lowercase();
            vocabulary::words("subject-labels").contains(&label.as_str())
                && vocabulary::words("bounce-subjects")
                    .iter()
                    .any(|w| value.contains(w))
        })
    };
    // A person's forward of a bounce (`Subject: FW: Undeliverable: ...`), itself quoted in
    // a reply: the bounce is further down, not a returned original.
    let forwards_a_bounce = block.iter().any(|(label, value)| {
        let value = value.trim_start().to_ascii_lowercase();
        vocabulary::words("subject-labels").contains(&label.as_str())
            && vocabulary::words("forward-prefixes")
                .iter()
                .any(|p| value.starts_with(p))
    }) && bounce_subject();
    forwards_a_bounce
        || block.iter().any(|(label, value)| {
            labels.contains(&label.as_str())
                && super::address::first_in(value).is_some_and(|a| {
                    super::ndr::is_daemon(a)
                        || (super::ndr::is_postmaster_copy_address(a) && bounce_subject())
                })
        })
}

pub fn original_start(text: &str, lines: &[&str]) -> usize {
    // One lowercased copy (same byte offsets) turns the phrase searches into plain literal
    // searches, much faster than case-insensitive ones.
    let lower = text.to_ascii_lowercase();
    let phrase = ORIGINAL_PHRASE.find(&lower);
    let mut limit = phrase.map_or(lines.len(), |m| LineCounter::new(text).line_of(m.start()));
    // A marker counts only on a line before the phrase's, and neither pattern spans a line
    // break, so the text from the phrase on cannot change the outcome.
    let markers_end = phrase.map_or(lower.len(), |m| m.start());
    let mut line_of = LineCounter::new(text);
    for m in ORIGINAL_MARKER.find_iter(lower.get(..markers_end).unwrap_or(&lower)) {
        let n = line_of.line_of(m.start());
        if n >= limit {
            break;
        }
        let t = lines.get(n).map_or("", |l| l.trim());
        let decorated =
            t.starts_with(['-', '=', '*', '_', '[', '<']) || t.ends_with(['-', '=', ':']);
        let mime_header = t.len() > 12 && t.as_bytes()[..12].eq_ignore_ascii_case(b"content-type");
        if (decorated || mime_header) && !quotes_a_bounce_below(lines, n) {
            limit = n;
            break;
        }
    }
    let mut seen_text = false;
    let mut prev_blank = true;
    for (i, line) in lines.iter().enumerate().take(limit) {
        // Only a blank test for most lines: the full trim is needed for header candidates.
        let t = trim_start_ascii_first(line);
        if t.is_empty() {
            prev_blank = true;
            continue;
        }
        // A header block of the original pasted straight after the report.
        if seen_text
            && prev_blank
            && t.starts_with('R')
            && opens_header_block(t.trim_end(), lines.get(i + 1).copied())
        {
            return i;
        }
        seen_text = true;
        prev_blank = false;
    }
    limit.min(lines.len())
}

/// `line.trim_start()`. Most lines open with a visible ASCII byte or with spaces and tabs
/// before one: those are trimmed byte by byte, and the Unicode-aware trim (a call and a
/// character decode per line, a large share of `original_start`) is left for the rest.
fn trim_start_ascii_first(line: &str) -> &str {
    let b = line.as_bytes();
    let lead = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    let rest = line.get(lead..).unwrap_or("");
    match b.get(lead) {
        None => rest,
        Some(c) if c.is_ascii_graphic() => rest,
        Some(_) => rest.trim_start(),
    }
}

/// Whether the trimmed line `t` (followed by `next`) starts the header block of a pasted
/// original.
fn opens_header_block(t: &str, next: Option<&str>) -> bool {
    t.starts_with("Return-Path:")
        || t.starts_with("Return-path:")
        || t.starts_with("Received: ")
        || t.starts_with("Received:") && next.is_some_and(|n| n.starts_with([' ', '\t']))
}

/// The line number of byte offsets asked for in increasing order, counting each newline
/// once (asking from the start every time is quadratic in the number of hits).
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            pos: 0,
            line: 0,
        }
    }

    /// The 0-based line holding byte `at`; `at` must not be below the previous one.
    fn line_of(&mut self, at: usize) -> usize {
        debug_assert!(at >= self.pos, "offsets asked for in increasing order");
        if let Some(between) = self.bytes.get(self.pos..at) {
            self.line += memchr_count(between);
            self.pos = at;
        }
        self.line
    }
}

/// Newlines in `bytes`, counted with SIMD.
fn memchr_count(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// At most this many header lines of the original are read: a header block is short, and
/// a paste with no blank line after the marker must not be read to its end.
const MAX_HEADER_LINES: usize = 200;

/// What the original's header block says.
#[derive(Debug, Default, PartialEq)]
pub struct Headers {
    pub return_path: Option<String>,
    pub from: Option<String>,
    /// The first address of its `To:`.
    pub to: Option<String>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    /// The original's `Date:` as written: when it was sent, the closest time a bounce that
    /// states none of its own has.
    pub date: Option<String>,
    /// Each Received field, unfolded, topmost first. Read by [`Headers::queue_id_from`]
    /// only when the queue id is wanted: most bounces state it or need no Received at all.
    received_fields: Vec<String>,
}

impl Headers {
    /// The `id` of the topmost Received field added by `host` (its `by` host, compared
    /// case-insensitively): the queue id the reporting host gave the original.
    /// The date of the topmost Received field (after its `;`): when the last host on the
    /// way, usually the one that reports the failure, took the message in.
    pub fn last_received_date(&self) -> Option<&str> {
        self.received_fields
            .first()
            .and_then(|f| f.rsplit_once(';'))
            .map(|(_, date)| date.trim())
            .filter(|d| !d.is_empty())
    }

    pub fn queue_id_from(&self, host: &str) -> Option<String> {
        // The id is read only from the field whose host matches: each regex run over a
        // Received field costs about as much as the rest of the header block's reading.
        let field = self
            .received_fields
            .iter()
            .map(|f| before_date(f))
            .find(|f| {
                RECEIVED_BY
                    .captures(f)
                    .and_then(|c| c.get(1))
                    .is_some_and(|m| m.as_str().trim_end_matches('.').eq_ignore_ascii_case(host))
            })?;
        let id = RECEIVED_ID.captures(field)?.get(1)?;
        Some(id.as_str().to_string())
    }
}

/// The part of a Received field before `;` (the date): an id never follows the date.
fn before_date(field: &str) -> &str {
    field.split(';').next().unwrap_or("")
}

/// The bounce's own headers that name the reporting host, when the bounce is a message.
#[derive(Debug, Default)]
pub struct Own<'a> {
    pub from: Option<&'a str>,
    pub message_id: Option<&'a str>,
}

/// Whether a line is an RFC 5322 header field (`Name: value`).
fn is_field(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.len() <= 76
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// The header block of the original starting at line `start` of `lines`, or None when the
/// text carries no copy of the original or the copy has no headers (body only).
fn headers_from(lines: &[&str], start: usize) -> Option<Headers> {
    if start >= lines.len() {
        return None;
    }
    // The marker line itself, blank lines and a short note may stand before the headers;
    // a MIME part header written as text (`Content-Type: message/rfc822`) is its own block
    // and is passed over for the one after it.
    let mut i = start;
    let mut blocks = 0;
    while i < lines.len() && i < start + 12 {
        let t = lines[i].trim_end();
        if is_field(t) && !t.starts_with(' ') {
            let end = lines[i..]
                .iter()
                .take(MAX_HEADER_LINES)
                .position(|l| l.trim().is_empty())
                .map_or((i + MAX_HEADER_LINES).min(lines.len()), |n| i + n);
            let block = &lines[i..end];
            let only_mime = block.iter().all(|l| {
                l.starts_with([' ', '\t'])
                    || l.get(..8)
                        .is_some_and(|p| p.eq_ignore_ascii_case("content-"))
            });
            if only_mime && blocks == 0 {
                blocks += 1;
                i = end + 1;
                continue;
            }
            return Some(read_block(block));
        }
        i += 1;
    }
    None
}

/// `by host` and `id X` of a Received field (unfolded).
static RECEIVED_BY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bby\s+([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})"));
static RECEIVED_ID: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bid\s+<?([A-Za-z0-9][A-Za-z0-9._-]{4,}[A-Za-z0-9])>?\s*(?:;|$|\s)"));

fn read_block(block: &[&str]) -> Headers {
    let mut raw = block.join("\n");
    raw.push_str("\n\n");
    let mut out = Headers::default();
    // mail-parser decodes encoded words and addresses the same way as for MIME originals.
    if let Some(m) = super::rfc5322::PARSER.parse_headers(raw.as_bytes()) {
        out.from = m
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_string);
        out.to = m
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_string);
        out.message_id = m.message_id().map(str::to_string);
        out.subject = m.subject().map(str::to_string);
        out.date = m.header_raw("Date").map(|d| d.trim().to_string());
        out.return_path = m
            .header_raw("Return-Path")
            .map(|r| r.trim().trim_matches(['<', '>']).trim().to_string())
            .filter(|r| r.contains('@'));
    }
    // Received fields by hand: unfolded here, they stay raw in mail-parser's minimal mode.
    let mut fields: Vec<String> = Vec::new();
    for line in block {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            fields.push(line.trim().to_string());
        }
    }
    out.received_fields = fields
        .into_iter()
        .filter_map(|f| {
            f.get(..9)
                .filter(|p| p.eq_ignore_ascii_case("received:"))
                .map(|_| f[9..].to_string())
        })
        .collect();
    out
}

// The report's statements are read by hand, not by regex: a regex's capture pass costs
// many times what these byte readers do, on every line. The readers match exactly what these regexes (kept as the tests' oracle) match,
// Unicode case folding included.
//
// Statements in the report that name the host writing it, strongest first:
// (?i)(?:this is the mail system at host|this is the qmail-send program at|^reporting-mta:\s*dns;)\s*([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])
//
// Postfix's text bounce (`The Postfix queue ID is X`, `X-Postfix-Queue-ID: X`):
// (?i)(?:postfix queue id(?: is|:)|^x-postfix-queue-id:)\s*([A-Za-z0-9]{6,})

/// The host a statement in `line` names as writing the report (the first group of the
/// reporting statement above, run on the trimmed line).
fn reporting_statement(line: &str) -> Option<&str> {
    // Trailing white space never changes a match: no match ends in white space.
    let t = line.trim_start();
    // Leftmost match first: the anchored phrase can only start at 0, where the others,
    // starting with `t`, cannot.
    if let Some(host) = strip_folded(t, "reporting-mta:")
        .and_then(|rest| strip_folded(rest.trim_start(), "dns;"))
        .and_then(leading_host)
    {
        return Some(host);
    }
    memchr::memchr2_iter(b't', b'T', t.as_bytes()).find_map(|at| {
        // `at` holds an ASCII byte, so it is a char boundary.
        let from = t.get(at..)?;
        [
            "this is the mail system at host",
            "this is the qmail-send program at",
        ]
        .iter()
        .find_map(|phrase| strip_folded(from, phrase).and_then(leading_host))
    })
}

/// The queue id Postfix's statement in `line` gives (the first group of the queue
/// statement above, run on the trimmed line).
fn queue_statement(line: &str) -> Option<&str> {
    let t = line.trim_start();
    // The anchored phrase starts with `x`, the other with `p`: at 0 at most one applies.
    if let Some(id) = strip_folded(t, "x-postfix-queue-id:").and_then(leading_id) {
        return Some(id);
    }
    memchr::memchr2_iter(b'p', b'P', t.as_bytes()).find_map(|at| {
        let rest = strip_folded(t.get(at..)?, "postfix queue id")?;
        // ` is` and `:` cannot both match: a failed ` is` leaves nothing for `:`.
        strip_folded(rest, " is")
            .or_else(|| strip_folded(rest, ":"))
            .and_then(leading_id)
    })
}

/// `hay` after `phrase` (lowercase ASCII), matched as the regex crate's Unicode `(?i)`
/// does: an ASCII letter also matches its other case, `s` also `ſ` (U+017F) and `k` also
/// the Kelvin sign (U+212A); no other character folds to an ASCII one (see the tests).
fn strip_folded<'a>(hay: &'a str, phrase: &str) -> Option<&'a str> {
    let mut chars = hay.chars();
    for p in phrase.bytes() {
        let c = chars.next()?;
        let folds = match c {
            '\u{17F}' => p == b's',
            '\u{212A}' => p == b'k',
            _ => u8::try_from(c).is_ok_and(|b| b.to_ascii_lowercase() == p),
        };
        if !folds {
            return None;
        }
    }
    Some(chars.as_str())
}

/// Whether `c` is in `(?i)[A-Za-z0-9]`.
fn is_folded_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '\u{17F}' || c == '\u{212A}'
}

/// `\s*([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])` under `(?i)` at the start of `rest`: the
/// longest such host. (`\s` is Unicode White_Space, as `trim_start`'s.)
fn leading_host(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !is_folded_alnum(first) {
        return None;
    }
    let mut end = None;
    for (i, c) in chars {
        if is_folded_alnum(c) {
            end = Some(i + c.len_utf8());
        } else if c != '.' && c != '-' {
            break;
        }
    }
    rest.get(..end?)
}

/// `\s*([A-Za-z0-9]{6,})` under `(?i)` at the start of `rest`.
fn leading_id(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let end = rest
        .char_indices()
        .find(|&(_, c)| !is_folded_alnum(c))
        .map_or(rest.len(), |(i, _)| i);
    let id = rest.get(..end)?;
    (id.chars().count() >= 6).then_some(id)
}

/// Fill the per-message facts a plain-text bounce states. `report` is the bounce's text
/// (the body, decoded), split; `own` its own headers when it is a message.
///
/// - header_from, message_id, subject: the inline original's, preferred over the bounce's
///   (`message_id` is documented as the original's when known).
/// - sender: only when still unknown, the original's Return-path, else its From.
/// - reporting_mta, when unknown: a statement in the report ("This is the mail system at
///   host X", "This is the qmail-send program at X", a `Reporting-MTA:` field), else the
///   host of a `Mailer-Daemon@host` / `Postmaster@host` From, else the domain of the
///   bounce's own Message-Id (Exim and Postfix put their host name there).
/// - queue_id, when unknown: Postfix's stated queue id, else the `id` of the original's
///   Received field added by the reporting host (Exim's `id 1tqZ39-...`, Sendmail's and
///   Postfix's `with ESMTP id X`). qmail states none. Never guessed from anything else.
pub fn complete(report: &Report<'_>, bounce: &mut Bounce, own: &Own<'_>) {
    let original = report.original_headers();
    let before = report.before_original();

    if let Some(o) = &original {
        if o.from.is_some() {
            bounce.header_from.clone_from(&o.from);
        }
        if o.message_id.is_some() {
            bounce.message_id.clone_from(&o.message_id);
        }
        if o.subject.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            bounce.subject.clone_from(&o.subject);
        }
        if bounce.sender.is_none() {
            // A block from a mail system is the bounce's own header, quoted under a
            // reply's `----- Original Message -----`: it went to the sender.
            let from_a_mail_system = o.from.as_deref().is_some_and(super::ndr::is_daemon);
            bounce.sender = if from_a_mail_system {
                o.to.clone()
                    .filter(|t| !super::ndr::is_postmaster_copy_address(t))
            } else {
                o.return_path.clone().or_else(|| o.from.clone())
            };
        }
    }

    if bounce.reporting_mta.is_none() {
        bounce.reporting_mta = before
            .iter()
            .find_map(|l| reporting_statement(l).map(str::to_ascii_lowercase))
            .filter(|h| h.contains('.'))
            .or_else(|| own.from.and_then(daemon_host))
            .or_else(|| {
                // A Message-Id names the host that wrote the message: the reporting MTA only
                // when the message is a failure report (not a vacation reply or a letter).
                let reports_failure = bounce.records.iter().any(|r| {
                    r.action == super::model::Action::Failed
                        && (r.reply_code.is_some() || r.status.is_some())
                });
                own.message_id.filter(|_| reports_failure).and_then(id_host)
            });
    }

    if bounce.queue_id.is_none() {
        let stated = before
            .iter()
            .find_map(|l| queue_statement(l).map(str::to_string));
        bounce.queue_id = stated.or_else(|| {
            let reporter = bounce.reporting_mta.as_deref()?;
            original.as_ref()?.queue_id_from(reporter)
        });
    }
}

/// The host of a mail system's own address (`Mailer-Daemon@host`).
fn daemon_host(from: &str) -> Option<String> {
    let (local, host) = from.rsplit_once('@')?;
    let local = local.to_ascii_lowercase();
    let system = ["mailer-daemon", "mail-daemon", "postmaster", "maildaemon"];
    (system.contains(&local.as_str()) && host.contains('.'))
        .then(|| host.trim_end_matches('>').to_ascii_lowercase())
}

/// The domain of a Message-Id (`<E1tqZ3A-...@server7.example>`).
fn id_host(id: &str) -> Option<String> {
    let (_, host) = id.trim().trim_matches(['<', '>']).rsplit_once('@')?;
    (host.contains('.') && !host.contains(['[', ' ']))
        .then(|| host.trim_end_matches('>').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::test_rng::Rng;

    /// `trim_start_ascii_first` is `str::trim_start` on lines opening with any mix of ASCII
    /// and Unicode whitespace, control bytes and visible characters.
    /// A customer's mail quoting a bounce under a localised `-----Original Message-----`:
    /// the bounce under the marker is read, not taken for a returned original.
    #[test]
    fn a_bounce_quoted_under_a_reply_marker_is_read() {
        let text = "Dzień dobry,\nnie mogę wysłać faktur:\n\n-----Wiadomość oryginalna-----\nOd: MAILER-DAEMON@qmail.near.example\nWysłano: czwartek, 3 grudnia 2026 08:55:21 +0100\nDo: shop@near.example\nTemat: failure notice\n\nHi. This is the qmail-send program at qmail.near.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<bob@far.example>:\n198.51.100.25 does not like recipient.\nRemote host said: 553 5.7.1 <shop@near.example>: Sender address rejected: not owned by user x@near.example\nGiving up on 198.51.100.25.\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.sender.as_deref(), Some("shop@near.example"));
    }

    /// A reply quoting a bounce under Outlook's `----- Original Message -----`: the quoted
    /// header block is the bounce's own, from a daemon, and names the sender in its To.
    #[test]
    fn a_quoted_bounce_s_header_block_names_the_sender_in_its_to() {
        let text = "----- Original Message -----\nFrom: \"Mail Delivery Subsystem\" <MAILER-DAEMON@mx.near.example>\nTo: <ann@near.example>\nSent: Tuesday, December 01, 2026 10:17 AM\nSubject: Returned mail: see transcript for details\n\n> ----- The following addresses had permanent fatal errors -----\n> <bob@far.example>\n>    (reason: 550 5.1.1 <bob@far.example>... User unknown)\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    /// Exchange's NDR from its postmaster, forwarded by the customer and quoted again in
    /// their reply: the bounce is read under both markers; its To names the sender.
    #[test]
    fn a_forwarded_postmaster_ndr_under_two_markers_is_read() {
        let text = "Why does this happen?\n\n-----Original Message-----\nFrom: Tom <tom@near.example>\nSent: 30 November 2026 09:20\nTo: support@host.example\nSubject: FW: Undeliverable: CVs\n\nSee below\n\n-----Original Message-----\nFrom: Microsoft Outlook <postmaster@near.example>\nSent: 30 November 2026 09:12\nTo: info@near.example\nSubject: Undeliverable: CVs\n\nDelivery has failed to these recipients or groups:\n\nbob@far.example\nYour message wasn't delivered.\n\nDiagnostic information for administrators:\n\nbob@far.example\nRemote Server returned '550 5.7.60 SMTP; Client does not have permissions to send as this sender'\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(b.sender.as_deref(), Some("info@near.example"));
        // A postmaster's own message (no bounce's Subject) is a returned original.
        let own = "-----Original Message-----\nFrom: postmaster@near.example\nTo: ann@near.example\nSubject: Your mailbox quota\n\nhi\n";
        assert!(!quotes_a_bounce_below(&own.lines().collect::<Vec<_>>(), 0));
    }

    #[test]
    fn trim_start_agrees_with_std() {
        let pieces = [
            " ", "\t", "\u{b}", "\u{c}", "\r", "\u{a0}", "\u{2003}", "\u{85}", "x", "R", "é",
            "\u{1}", "\u{7f}", "-", "",
        ];
        let mut g = Rng::new(0x1234_5678_9abc_def1);
        for _ in 0..100_000 {
            let len = g.below(6);
            let line: String = (0..len).map(|_| g.pick(&pieces)).collect();
            assert_eq!(trim_start_ascii_first(&line), line.trim_start(), "{line:?}");
        }
    }

    #[test]
    fn headers_after_a_marker_body_not_read() {
        let text = "The following address failed:\n\n  x@y.example\n    550 no\n\n------ This is a copy of the message, including all the headers. ------\n\nReturn-path: <me@here.example>\nReceived: from a by mx.here.example with esmtp\n\tid 1abc-0001-XY\n\tfor x@y.example; Sat, 1 Mar 2025 10:00:00 +0000\nFrom: Me <me@here.example>\nSubject: =?utf-8?q?caf=C3=A9?=\nMessage-ID: <m1@here.example>\n\nMessage-ID: <body@elsewhere.example>\n";
        let report = Report::new(text);
        let h = report.original_headers().expect("headers");
        assert_eq!(h.from.as_deref(), Some("me@here.example"));
        assert_eq!(h.return_path.as_deref(), Some("me@here.example"));
        assert_eq!(h.message_id.as_deref(), Some("m1@here.example"));
        assert_eq!(h.subject.as_deref(), Some("café"));
        assert_eq!(
            h.queue_id_from("MX.here.example").as_deref(),
            Some("1abc-0001-XY")
        );
        assert_eq!(h.queue_id_from("here.example"), None);
    }

    use proptest::prelude::*;

    /// The statement readers' specification.
    static REPORTING_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)(?:this is the mail system at host|this is the qmail-send program at|^reporting-mta:\s*dns;)\s*([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])",
        )
    });
    static QUEUE_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)(?:postfix queue id(?: is|:)|^x-postfix-queue-id:)\s*([A-Za-z0-9]{6,})")
    });

    fn oracle(re: &Regex, line: &str) -> Option<String> {
        re.captures(line.trim())
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string())
    }

    fn check_statements(line: &str) {
        assert_eq!(
            reporting_statement(line).map(str::to_string),
            oracle(&REPORTING_STATEMENT, line),
            "reporting: {line:?}"
        );
        assert_eq!(
            queue_statement(line).map(str::to_string),
            oracle(&QUEUE_STATEMENT, line),
            "queue: {line:?}"
        );
    }

    #[test]
    fn folding_is_what_the_readers_assume() {
        // Every character, against the regex crate's Unicode tables: which fold to an
        // ASCII letter, which are `\s`, which are in `(?i)[A-Za-z0-9]`.
        let letter = Regex::new(r"(?i)^[a-z]$").expect("compiles");
        let space = Regex::new(r"^\s$").expect("compiles");
        let alnum = Regex::new(r"(?i)^[A-Za-z0-9]$").expect("compiles");
        let mut buf = [0u8; 4];
        let mut folding = Vec::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            if !c.is_ascii() && letter.is_match(s) {
                folding.push(c);
            }
            assert_eq!(space.is_match(s), c.is_whitespace(), "{c:?}");
            assert_eq!(alnum.is_match(s), is_folded_alnum(c), "{c:?}");
        }
        assert_eq!(folding, ['\u{17F}', '\u{212A}']);
        assert!(Regex::new("(?i)^s$").expect("compiles").is_match("\u{17F}"));
        assert!(
            Regex::new("(?i)^k$")
                .expect("compiles")
                .is_match("\u{212A}")
        );
    }

    #[test]
    fn statements_read_as_the_regexes_do() {
        for line in [
            "This is the mail system at host mx.example.org.",
            "  THIS IS THE QMAIL-SEND PROGRAM AT mx.example.org.",
            "Reporting-MTA: dns; mx.example.org",
            "Reporting-MTA:dns;mx.example.org ",
            " reporting-mta: dns; mx.example.org",
            "x Reporting-MTA: dns; mx.example.org",
            "Reporting-MTA: dns; a",
            "Reporting-MTA: dns; a.- this is the mail system at host b.c",
            "this is the mail system at host\u{A0}\u{2003}m\u{17F}.\u{212A}--.",
            "this is the mail \u{17F}ystem at hostx-y..z.",
            "this is the mail system at host .x this is the mail system at host yy",
            "The Postfix queue ID is 4Xyz12AbC",
            "The Postfix queue ID: 4Xyz12AbC",
            "The Postfix queue ID  is 4Xyz12AbC",
            "The Postfix queue ID is 12345 postfix queue id: 123456",
            "X-Postfix-Queue-ID: 4Xyz12AbC",
            "X-Postfix-Queue-ID:\t\u{17F}\u{17F}\u{17F}\u{212A}\u{212A}\u{212A};",
            "x-postfix-queue-id: 12345",
            "the postfix queue id i\u{17F}abcdef",
        ] {
            check_statements(line);
        }
    }

    /// Lines made of the statements' pieces, in any case, with the characters that fold
    /// or count as white space or host characters in the regexes.
    fn statementy() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "this is the mail system at host",
            "this is the qmail-send program at",
            "reporting-mta:",
            "dns;",
            "postfix queue id",
            "x-postfix-queue-id:",
            " is",
            ":",
            ";",
            " ",
            "\t",
            "\u{A0}",
            "\u{2003}",
            "\u{85}",
            "\u{180E}",
            ".",
            "-",
            "..",
            "mx",
            "example",
            "a",
            "1",
            "12345",
            "\u{17F}",
            "\u{212A}",
            "é",
            "t",
            "p",
            "x",
        ]);
        (prop::collection::vec((piece, any::<u32>()), 0..10)).prop_map(|pieces| {
            let mut line = String::new();
            for (piece, case) in pieces {
                for (i, c) in piece.chars().enumerate() {
                    let upper = case.rotate_right(i as u32 % 32) & 1 == 1;
                    match c {
                        's' if case % 7 == 0 => line.push('\u{17F}'),
                        c if upper => line.push(c.to_ascii_uppercase()),
                        c => line.push(c),
                    }
                }
            }
            line
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn statements_match_the_regexes(line in statementy()) {
            check_statements(&line);
        }
    }

    #[test]
    fn no_marker_no_headers() {
        assert_eq!(
            Report::new("550 5.1.1 <x@y.example>: no\n").original_headers(),
            None
        );
    }
}
