//! Plain-text bounces (Exim/cPanel, Postfix, qmail, Sendmail, Gmail, Exchange, Yahoo, ...)
//! and bodies copied from a webmail view.
//!
//! Rather than one module per vendor, this reads the shape all of them share: a list of
//! recipients, each followed by the remote server's response, then a copy of the original
//! message. Only the text before that copy is read, so a response quoted inside the returned
//! original (a bounce of a bounce) is never taken for this bounce's own.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use super::model::{Action, Record};
use super::pattern::re;
use super::report::{Report, original_start};
use super::response;
use super::scan;
use super::vocabulary;

/// An address as it appears in bounce text; quoted local parts are rare enough to skip.
/// Letters and digits beyond ASCII belong to it (RFC 6531: an SMTPUTF8 local part, an
/// internationalised domain in U-labels), so such an address is kept whole; other
/// non-ASCII characters (typographic quotes, bullets) are not, nor are Han, kana and
/// full-width forms: Chinese and Japanese text runs on around an address without a space
/// (`kijitora@example.jp您好`), and such an address is far rarer than such a sentence.
///
/// `wide: false` leaves the non-ASCII alternatives out. They match no byte of an ASCII
/// text, so on such a text both forms find the same; the ASCII form compiles and searches
/// without the large Unicode classes (see [`AddrRegex`]).
fn addr(wide: bool) -> String {
    const LOCAL: &str = r"[A-Za-z0-9._%+!#$&'*/=?^`{|}~-]";
    // An underscore is no hostname's, but a typed one is kept: the refusal is about that
    // very address (`x@stavebniny_brno.example.cz`, 553 5.1.3 syntax error).
    const LABEL: &str = r"[A-Za-z0-9_&-]";
    // Letters and digits beyond ASCII, not CJK ideographs, kana or their punctuation (a
    // Japanese sentence runs into an address without a space), but the full-width forms of
    // ASCII letters and digits: a local part typed with a Japanese input method left in
    // full-width mode (`ｔａｎａｋａ@x`), refused as written.
    const WIDE: &str = r"(?u:[\p{L}\p{M}\p{N}&&[^\x00-\x7F\p{Han}\p{Hiragana}\p{Katakana}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]]|[\x{FF10}-\x{FF19}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}])";
    let (local, label) = if wide {
        (format!("(?:{LOCAL}|{WIDE})"), format!("(?:{LABEL}|{WIDE})"))
    } else {
        (LOCAL.to_string(), LABEL.to_string())
    };
    // A doubled `@` is a typo kept as written: the refusal is about that very address. So
    // is a comma typed for the domain's first dot (`a@example,co.uk`, `a@gmail,com`):
    // a first label with no dot before the comma is no domain of a list's earlier address.
    // A phone's smart punctuation turns a typed apostrophe into `’` (`d.o’brien@x`): kept
    // between the local part's characters, where the refusal is about that very address.
    let local = if wide {
        format!(r"{local}+(?:\x{{2019}}{local}+)*")
    } else {
        format!("{local}+")
    };
    format!(r"{local}@@?{label}+(?:,{label}+(?:\.\.?{label}+)*|(?:\.\.?{label}+)+)")
}

/// Whether the full form of an address pattern may find something in `text` that the ASCII
/// form does not. The two differ only where the address itself holds a non-ASCII letter,
/// and an address's local part and domain lie within the run of local-part bytes before an
/// `@` and the run of label bytes and dots after it (no `@` inside either). So where every
/// `@` has ASCII bytes (or the text's ends) just past both runs, no address can hold a
/// non-ASCII character and the forms agree; the rest of each pattern is the same in both.
/// A non-ASCII character next to an address (a letter, or a Han character that is none)
/// takes the full form, which tells them apart.
fn needs_wide(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_ascii() {
        return false;
    }
    memchr::memchr_iter(b'@', b).any(|at| {
        // Both runs are ASCII bytes, so where they stop is a character boundary.
        let start = b[..at]
            .iter()
            .rposition(|&c| !is_local_byte(c))
            .map_or(0, |i| i + 1);
        let end = b[at + 1..]
            .iter()
            .position(|&c| !(is_label_byte(c) || c == b'.' || c == b','))
            .map_or(b.len(), |i| at + 1 + i);
        let before = text.get(..start).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        // A typographic apostrophe inside the local part (`d.o’brien@x`).
        let apostrophe_inside =
            before == Some('\u{2019}') && start >= 4 && is_local_byte(b[start - 4]);
        if apostrophe_inside {
            return true;
        }
        [before, after]
            .into_iter()
            .flatten()
            .any(|c| !c.is_ascii() && !never_in_address(c))
    })
}

/// Non-ASCII characters that are surely none of the address pattern's letters: Han, kana,
/// CJK and full-width punctuation (left out of the pattern), general punctuation (spaces,
/// dashes, quotes, bullets) and the Arabic comma, semicolon and question mark. The
/// characters that run on around an address in Chinese, Japanese and Arabic text.
fn never_in_address(c: char) -> bool {
    // The full-width forms of ASCII letters and digits are in the pattern (see [`addr`]).
    let full_width_alphanumeric = matches!(
        c,
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
    );
    !full_width_alphanumeric
        && matches!(
            c,
            '\u{2000}'..='\u{206F}'
                | '\u{3000}'..='\u{303F}'
                | '\u{3041}'..='\u{3096}'
                | '\u{30A1}'..='\u{30FA}'
                | '\u{3400}'..='\u{4DBF}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{FF00}'..='\u{FFEF}'
                | '\u{060C}'
                | '\u{061B}'
                | '\u{061F}'
        )
}

/// A pattern holding an address ([`addr`]), compiled on first use in the form a text needs:
/// the ASCII form unless a non-ASCII character touches an address ([`needs_wide`]), the
/// full form otherwise. Most bounces name their addresses in ASCII, and the Unicode classes
/// were a good part of the parse time (their compilation, and lazy DFA states built over
/// them).
struct AddrRegex {
    build: fn(&str) -> Regex,
    ascii: OnceLock<Regex>,
    wide: OnceLock<Regex>,
}

impl AddrRegex {
    /// `build` makes the regex from the address pattern it is given.
    const fn new(build: fn(&str) -> Regex) -> Self {
        AddrRegex {
            build,
            ascii: OnceLock::new(),
            wide: OnceLock::new(),
        }
    }

    /// The full form, whatever the text.
    fn wide(&self) -> &Regex {
        self.wide.get_or_init(|| (self.build)(&addr(true)))
    }

    /// The ASCII form, whatever the text.
    fn ascii(&self) -> &Regex {
        self.ascii.get_or_init(|| (self.build)(&addr(false)))
    }

    /// The form that finds in `text` what the full form finds.
    fn for_text(&self, text: &str) -> &Regex {
        if needs_wide(text) {
            self.wide()
        } else {
            self.ascii()
        }
    }

    fn is_match(&self, text: &str) -> bool {
        self.for_text(text).is_match(text)
    }

    fn find<'t>(&self, text: &'t str) -> Option<regex::Match<'t>> {
        self.for_text(text).find(text)
    }

    fn captures<'t>(&self, text: &'t str) -> Option<regex::Captures<'t>> {
        self.for_text(text).captures(text)
    }

    fn captures_iter<'r, 't>(&'r self, text: &'t str) -> regex::CaptureMatches<'r, 't> {
        self.for_text(text).captures_iter(text)
    }
}

/// A recipient named at the start of a line: a bullet, a label (vocabulary
/// `[recipient-labels]` and `[recipient-reason-labels]`) and its separator, the address (in
/// `<>`, double quotes, or single quotes as Outlook lists `'x@y' on 12/4/2026 9:41 AM`), and
/// what may follow it (a list entry whose address ends in a dot, `x@y.example.`, too).
static MENTION: AddrRegex = AddrRegex::new(|addr| {
    re(&format!(
        r#"(?i-u)^(?:(?:[*>-]|•)\s*)?(?:(?:{}|{})(?:\(s\))?(?:\s*[:=]\s*|\s+)(?:rfc822;\s*)?)?["'<]?({addr})\.?[">']?(?:\s*:|\.\.\.|\.?\s*$|\s*\(|\s+(?u:\S)|\s*,|\s*\[)"#,
        label_alternation("recipient-labels"),
        label_alternation("recipient-reason-labels"),
    ))
});

/// A vocabulary section of labels as a regex alternation: each entry literal, a space in
/// it standing for any run of white space (labels wrap and get aligned).
fn label_alternation(section: &str) -> String {
    vocabulary::words(section)
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// Sendmail's per-recipient line: `550 5.1.1 <x@y>... User unknown`.
static CODE_MENTION: AddrRegex = AddrRegex::new(|addr| {
    re(&format!(
        r"^[245][0-9][0-9][ -](?:[0-9]\.[0-9]{{1,3}}\.[0-9]{{1,3}}\s+)?<?({addr})>?\.\.\.\s"
    ))
});

/// A cheap necessary condition of [`CODE_MENTION`]: the line opens with a reply code's
/// first digit.
fn may_be_code_mention(line: &str) -> bool {
    line.as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'2' | b'4' | b'5'))
}

/// `Some words: x@y` at the end of a line: the address after the last colon.
fn tail_mention(line: &str) -> Option<&str> {
    let (words, rest) = line.trim().rsplit_once(':')?;
    if words.len() < 3 || words.len() > 80 || words.contains(['<', '>', '@']) {
        return None;
    }
    // A message's identifiers look like addresses and never are one.
    if [
        "message-id",
        "in-reply-to",
        "references",
        "x-message-id",
        "x-queue-id",
    ]
    .iter()
    .any(|field| words.trim().eq_ignore_ascii_case(field))
    {
        return None;
    }
    let addr = rest.trim().trim_end_matches('.');
    let addr = addr
        .strip_prefix('<')
        .and_then(|a| a.strip_suffix('>'))
        .unwrap_or(addr);
    if !BARE.is_match(addr) {
        return None;
    }
    // A log's line about a message sent (a mail merge's `Sent 1/38: x@y`) names no failure.
    let said = super::time::leading_stamp(words).map_or(words, |(_, _, end)| &words[end..]);
    let first = said.split_whitespace().next().unwrap_or("").to_lowercase();
    let sent = vocabulary::words("outcome-delivered")
        .iter()
        .any(|w| first.starts_with(w));
    (!sent).then_some(addr)
}

static ANY_ADDR: AddrRegex = AddrRegex::new(|addr| re(&format!(r"<?({addr})>?")));

/// An address in an SMTP command of a transcript.
static RCPT: AddrRegex = AddrRegex::new(|addr| re(&format!(r"(?i-u)rcpt to:\s*<?({addr})")));

/// The `for <x>` of a Received field.
static FOR: AddrRegex = AddrRegex::new(|addr| re(&format!(r"(?i-u)\bfor\s+<?({addr})>?")));

/// A recipient named at the start of a line, with the line where it was named.
#[derive(Debug, Clone)]
struct Mention {
    line: usize,
    address: String,
    /// The reason a bare-name list entry gives (its column, else its heading), which the
    /// lines below it do not.
    reason: Option<String>,
}

/// A line holding nothing but an address: always a recipient list entry.
static BARE: AddrRegex = AddrRegex::new(|addr| re(&format!(r"^<?{addr}>?:?$")));

fn mention_of(line: &str) -> Option<String> {
    let t = line.trim();
    let at = memchr::memchr(b'@', t.as_bytes())?;
    // Whether MENTION matches is a DFA question; its capture group needs a backtracking
    // pass over the line, several times dearer. `mention_address` reads the group off the
    // line where the pattern leaves only one place for it.
    let addr = if MENTION.is_match(t) {
        match mention_address(t, at) {
            Some(a) => a,
            None => MENTION.captures(t)?.get(1)?.as_str(),
        }
    } else if may_be_code_mention(t) {
        CODE_MENTION.captures(t)?.get(1)?.as_str()
    } else {
        x400_smtp_address(t)?
    };
    Some(addr.trim_end_matches('.').to_string())
}

/// Whether `addr`'s domain ends in a number: a package's name and version (npm's `> shop@2.4.1
/// send`, `pkg@1.0.0`), no address, as a domain ends in a name.
fn ends_in_a_number(addr: &str) -> bool {
    addr.rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
}

/// The address a report's sentence says the message was not delivered to (vocabulary
/// `[recipient-sentences]`, or `[recipient-sentence-ends]` after "to"), written plain, in
/// `<>`, quotes or Gmail's `*bold*`; and whether the sentence goes on to say why (Gmail's
/// "... because the address couldn't be found"), so that it is the record's words.
fn sentence_mention(line: &str) -> Option<(String, bool)> {
    // Most lines with an address hold none of the phrases: one pass says so, instead of
    // lowercasing the line and searching it once per phrase.
    if !RECIPIENT_SENTENCES.is_match(line) {
        return None;
    }
    read_sentence(line)
}

/// [`sentence_mention`] without its one-pass gate: the phrase searches.
fn read_sentence(line: &str) -> Option<(String, bool)> {
    let lower = line.to_ascii_lowercase();
    let after_a_lead = vocabulary::words("recipient-sentences")
        .iter()
        .find_map(|phrase| {
            let at = lower.find(phrase)? + phrase.len();
            let rest = line.get(at..)?.trim_start();
            sentence_address(rest.split_whitespace().next()?)
        });
    if let Some(address) = after_a_lead {
        return Some((address, true));
    }
    // `... to x@y could not be sent`: the address closes the words before the phrase.
    vocabulary::words("recipient-sentence-ends")
        .iter()
        .find_map(|phrase| {
            let at = lower.find(phrase)?;
            let mut words = line.get(..at)?.split_whitespace().rev();
            let addr = sentence_address(words.next()?)?;
            // Words after the phrase say why (`cannot be delivered. This account is
            // over quota.`); else the reason stands on the lines below (`Reason: ...`,
            // `SMTP response: ...`).
            let says_why = line
                .get(at + phrase.len()..)
                .is_some_and(|rest| rest.chars().any(char::is_alphanumeric));
            words
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("to"))
                .then_some((addr, says_why))
        })
}

/// `word` as an address of a report's sentence: plain, in `<>`, quotes or Gmail's `*bold*`.
fn sentence_address(word: &str) -> Option<String> {
    let addr = word
        .trim_start_matches(['<', '"', '*', '\'', '\u{201c}'])
        .trim_end_matches(['>', '"', '*', '\'', '\u{201d}', '.', ',', ';', ':']);
    BARE.is_match(addr).then(|| addr.to_string())
}

/// Vocabularies `[recipient-sentences]` and `[recipient-sentence-ends]` in one automaton,
/// ASCII case ignored: it finds a phrase in a line wherever [`sentence_mention`]'s search
/// of the ASCII-lowercased line finds it (and maybe more, which that search then rules
/// out).
static RECIPIENT_SENTENCES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(
            vocabulary::words("recipient-sentences")
                .iter()
                .chain(vocabulary::words("recipient-sentence-ends")),
        )
        .expect("the vocabulary's words build")
});

/// Exchange's X.400 form of a recipient, listed on a line of its own under "did not reach
/// the following recipient(s)": `c=US;a= ;p=Org;o=Site;dda:SMTP=user@host; on DATE`. The
/// Internet address is the `SMTP=` domain-defined attribute's value.
fn x400_smtp_address(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    // An O/R address opens with its country attribute.
    if !(b.len() > 2 && b[..2].eq_ignore_ascii_case(b"c=")) {
        return None;
    }
    let at = memchr::memmem::find(&t.to_ascii_lowercase().into_bytes(), b"smtp=")?;
    let rest = t.get(at + 5..)?;
    let end = rest
        .find(|c: char| c == ';' || c == '/' || c.is_whitespace())
        .unwrap_or(rest.len());
    let addr = rest.get(..end)?;
    BARE.is_match(addr).then_some(addr)
}

/// A byte of an address's local part in [`addr`].
fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+!#$&'*/=?^`{|}~-".contains(&b)
}

/// A byte of a domain label in [`addr`].
fn is_label_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// [`MENTION`]'s address (group 1) in `t`, a line MENTION is known to match, whose first `@`
/// is at `at`; `None` where only the regex can tell.
///
/// Nothing before the address in the pattern (bullet, label, separator, `rfc822;`, quote)
/// holds an `@`, so the address's `@` is the line's first. Its domain is the longest run of
/// labels (joined by one or two dots) after it: the pattern's endings all start with a byte
/// that is no label byte, and the only one starting with `.` is `...`, which ends the
/// domain in both readings unless a label follows it. Its local part is the run of local-part
/// bytes before the `@`, unless the prefix ends inside that run: the only prefix endings
/// that are local-part bytes are a leading bullet (`*`, `-`) and a label's `=`, and those
/// lines are left to the regex.
fn mention_address(t: &str, at: usize) -> Option<&str> {
    let b = t.as_bytes();
    let before = b.get(..at)?;
    let start = before
        .iter()
        .rposition(|&c| !is_local_byte(c))
        .map_or(0, |i| i + 1);
    let local = before.get(start..)?;
    if local.is_empty() || local.contains(&b'=') || matches!(local[0], b'*' | b'-') {
        return None;
    }
    // Non-ASCII letters may belong to the address: only the regex's classes can tell.
    if !before.is_ascii() || !b.get(at..)?.is_ascii() {
        return None;
    }
    let label_len = |from: usize| {
        b.get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| is_label_byte(c))
            .count()
    };
    let mut end = at + 1 + label_len(at + 1);
    if end == at + 1 {
        return None;
    }
    let mut labels = 1;
    // A comma typed for the first dot ([`addr`]).
    if b.get(end) == Some(&b',') {
        let n = label_len(end + 1);
        if n > 0 {
            end += 1 + n;
            labels += 1;
        }
    }
    // Two dots between labels are kept: a malformed domain (`example..net`) is what an
    // address-syntax bounce is about.
    while b.get(end) == Some(&b'.') {
        let dots = b[end..].iter().take_while(|&&c| c == b'.').count();
        // Three dots are Sendmail's `addr... reason`, never inside a domain.
        let n = if dots > 2 { 0 } else { label_len(end + dots) };
        if n == 0 {
            break;
        }
        end += dots + n;
        labels += 1;
    }
    if labels < 2 {
        return None;
    }
    t.get(start..end)
}

/// Records from a plain-text bounce. `exclude` holds addresses known not to be failed
/// recipients (the bounce's own To:, the original's sender). `line_base` is the 0-based line
/// of `text`'s first line in the input when `text` is verbatim input, for `source_line`.
#[cfg(test)]
pub fn extract(text: &str, exclude: &[String], line_base: Option<usize>) -> Vec<Record> {
    extract_from(&Report::new(text), exclude, line_base, None)
}

/// [`extract`] from a report already split. `own_domain` is the domain of the mail system
/// that wrote the report (its MAILER-DAEMON's), when known: a report that lists its own
/// mailboxes by bare name means mailboxes of that organisation.
pub fn extract_from(
    report: &Report<'_>,
    exclude: &[String],
    line_base: Option<usize>,
    own_domain: Option<&str>,
) -> Vec<Record> {
    // Responses are read from lines clipped to MAX_RESPONSE_BYTES, and the original is
    // found among the clipped lines: a marker line's ending may be cut. Only a text with
    // such a long line needs the clipped copy.
    let long = |l: &&str| l.len() > response::MAX_RESPONSE_BYTES;
    let clipped: Vec<&str>;
    let (lines, end) = if report.lines.iter().any(long) {
        clipped = report
            .lines
            .iter()
            .map(|l| response::clip(l, response::MAX_RESPONSE_BYTES))
            .collect();
        let end = original_start(report.text, &clipped);
        (&clipped[..], end)
    } else {
        (&report.lines[..], report.original_start)
    };
    let section = &lines[..end];
    let is_excluded = |a: &str| exclude.iter().any(|e| e.eq_ignore_ascii_case(a));

    let mut mentions: Vec<Mention> = Vec::new();
    for (i, line) in section.iter().enumerate() {
        if let Some(address) = mention_of(line).filter(|a| !ends_in_a_number(a)) {
            // The same address named again right away (`<x>:` then `<x>... User unknown`)
            // belongs to the same block.
            if mentions
                .last()
                .is_some_and(|m| m.address.eq_ignore_ascii_case(&address) && i - m.line <= 3)
            {
                continue;
            }
            if (is_excluded(&address) || is_daemon(&address))
                && !looks_like_failure(section, i)
                && !(is_excluded(&address)
                    && (opens_a_verdict(line, &address)
                        || qmail_verdict(line, section.get(i + 1), &address)
                        || listed_under_heading(section, &address)))
            {
                continue;
            }
            // A client's `Sender: x` row under the error it shows names the sender.
            if super::table::is_sender_row(line) {
                continue;
            }
            // The postmaster's address alone on a line over a view's header lines (Outlook
            // on the web shows Exchange's postmaster sender that way): a failed postmaster
            // would come with a code, its reason or an indented reason.
            if is_postmaster_copy_address(&address)
                && line.trim().trim_matches(['<', '>']) == address
                && !looks_like_failure(section, i)
                && !section
                    .get(i + 1)
                    .is_some_and(|next| next.starts_with([' ', '\t']))
            {
                continue;
            }
            mentions.push(Mention {
                line: i,
                address,
                reason: None,
            });
        }
    }

    // An address inside a sentence that runs on from the line above (a wrapped response
    // naming the sender, a wrapped explanation) is no list entry.
    mentions.retain(|m| !inside_a_sentence(section, m.line));
    drop_echoed_to(section, &mut mentions);
    // A recipient named in the report's own sentence (Gmail's `Your message wasn't
    // delivered to x@y because ...`, vocabulary `[recipient-sentences]`).
    for (i, line) in section.iter().enumerate().take(400) {
        if line.contains('@')
            && !mentions.iter().any(|m| m.line == i)
            && let Some((address, says_why)) = sentence_mention(line)
            && !is_excluded(&address)
            && !is_daemon(&address)
        {
            mentions.push(Mention {
                line: i,
                address,
                reason: says_why.then(|| line.trim().to_string()),
            });
        }
    }
    mentions.sort_by_key(|m| m.line);

    let listed = bare_list_entries(section, lines.get(end..).unwrap_or(&[]), own_domain);
    if !listed.is_empty() {
        // The report's own list names its failed mailboxes: an address further down that
        // runs on from a sentence is an example in its explanation, not a failure.
        mentions.retain(|m| !continues_prose(section, m.line));
        mentions.extend(listed);
        mentions.sort_by_key(|m| m.line);
    }

    if mentions.is_empty() && !a_reply_names_its_recipient(section) {
        // Second chance: an address closing a line of its own (`Invalid user: x@y`).
        for (i, line) in section.iter().enumerate() {
            if line.contains('@')
                && let Some(addr) = tail_mention(line)
                && !is_excluded(addr)
                && !super::table::is_sender_row(line)
                && !is_role_address(addr)
            {
                mentions.push(Mention {
                    line: i,
                    address: addr.to_string(),
                    reason: None,
                });
            }
        }
    }

    let mut records: Vec<Record> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Whether every block read all its lines and found no response line in them.
    let mut blocks_silent = true;
    // Bounces pasted one after another: a block ends where the next bounce's sender line
    // stands, so a recipient's verdict never takes the next bounce's reply.
    let next_bounces: Vec<usize> = if mentions.is_empty() {
        Vec::new()
    } else {
        section
            .iter()
            .enumerate()
            .skip(mentions[0].line + 1)
            .filter(|(_, l)| l.contains('@') && names_a_bounce_sender(l))
            .map(|(i, _)| i)
            .collect()
    };
    for (k, m) in mentions.iter().enumerate() {
        let next_mention = mentions.get(k + 1).map_or(section.len(), |n| n.line);
        let block_end = next_bounces
            .iter()
            .find(|&&b| b > m.line)
            .map_or(next_mention, |&b| b.min(next_mention));
        let block = block_record(section, m.line, block_end, line_base);
        blocks_silent &= block.silent;
        let mut rec = block.rec;
        if rec.reply_code.is_none()
            && let Some(reason) = &m.reason
        {
            rec.diagnostic = Some(reason.clone());
        }
        rec.recipient = Some(m.address.clone());
        rec.original_recipient = expanded_from(section, m.line, block_end);
        merge_or_push(&mut records, &mut seen, rec);
    }

    if records.is_empty() {
        // No recipient listed the usual way: take the response of the whole section and the
        // address the response or the text names.
        let mut rec = reading(section, 0, section.len(), line_base, Reply::WithStatus).rec;
        if rec.diagnostic.is_none() && rec.reply_code.is_none() {
            return records;
        }
        let returned = lines.get(end..).unwrap_or(&[]);
        rec.recipient = fallback_recipient(section, returned, &rec, &is_excluded);
        if rec.reply_code.is_none() && rec.status.is_none() {
            // No code anywhere: the explanation is prose. The sentence about the recipient
            // says why; with no recipient named, the whole notice does (the caller puts the
            // original's To on it when the message is a bounce, and drops it otherwise).
            let prose = match rec.recipient.as_deref() {
                Some(r) => paragraph_with(section, r),
                None => Some(report_prose(section)),
            };
            if let Some(p) = prose.filter(|p| !p.is_empty()) {
                rec.diagnostic = Some(p);
            }
        }
        records.push(rec);
    } else if records
        .iter()
        .all(|r| r.reply_code.is_none() && r.status.is_none())
        && !silent_section(section, &mentions, blocks_silent)
    {
        // Responses printed apart from the recipient list (before it, or in a summary).
        let whole = block_record(section, 0, section.len(), line_base).rec;
        if whole.reply_code.is_some() || whole.status.is_some() {
            for r in &mut records {
                r.reply_code = whole.reply_code;
                r.status.clone_from(&whole.status);
                r.diagnostic.clone_from(&whole.diagnostic);
                r.stage = r.stage.or(whole.stage);
                r.source_line = whole.source_line;
            }
        }
    }
    records
}

/// Mailboxes a report lists by bare name under its recipients heading (`Message not
/// delivered to the following:` then `  jdoe    No matches to nameserver query`; AOL's
/// `... could not be delivered ...:` then `\tscreenname`; Exim's list when the address was
/// submitted unqualified). A name is completed from the address the returned original was
/// sent to with that local part, else with `own_domain`'s organisational domain: a mail
/// system names its own users without a domain. Names it cannot complete are left out.
fn bare_list_entries(
    section: &[&str],
    returned: &[&str],
    own_domain: Option<&str>,
) -> Vec<Mention> {
    let mut names: Vec<(usize, &str, String)> = Vec::new();
    let mut i = 0;
    while i < section.len() {
        if !is_recipients_heading(section, i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        // The list may stand one blank line below its heading.
        if section.get(j).is_some_and(|l| l.trim().is_empty()) {
            j += 1;
        }
        while let Some((name, column)) = section.get(j).and_then(|l| bare_entry(l)) {
            let reason = if column.is_empty() {
                heading_paragraph(section, i)
            } else {
                column.to_string()
            };
            names.push((j, name, reason));
            j += 1;
        }
        i = j.max(i + 1);
    }
    if names.is_empty() {
        return Vec::new();
    }
    let addressed = original_addressees(returned);
    let domain = own_domain
        .map(super::address::organisational_domain)
        .filter(|d| d.contains('.'));
    names
        .into_iter()
        .filter_map(|(line, name, reason)| {
            let sent_to = addressed.iter().find(|a| {
                a.rsplit_once('@')
                    .is_some_and(|(local, _)| local.eq_ignore_ascii_case(name))
            });
            let address = match (sent_to, &domain) {
                (Some(a), _) => a.clone(),
                (None, Some(d)) => format!("{name}@{d}"),
                (None, None) => return None,
            };
            Some(Mention {
                line,
                address,
                reason: Some(reason).filter(|r| !r.is_empty()),
            })
        })
        .collect()
}

/// Whether the line at `i` introduces the list of failed recipients: it ends with a colon,
/// and it or the line above it (a heading wrapped in two) speaks of recipients or "the
/// following", in the languages templates are translated to (vocabulary
/// `[recipients-heading-words]`).
fn is_recipients_heading(section: &[&str], i: usize) -> bool {
    // The colon first: most lines fail there, before any trimming of their start.
    let t = section[i].trim_end();
    if !t.ends_with(':') {
        return false;
    }
    let t = t.trim_start();
    if t.len() > 200 {
        return false;
    }
    let above = i
        .checked_sub(1)
        .and_then(|k| section.get(k))
        .map_or("", |l| l.trim());
    [t, above].iter().any(|l| {
        let lower = if l.is_ascii() {
            l.to_ascii_lowercase()
        } else {
            l.to_lowercase()
        };
        RECIPIENTS_HEADING_WORDS.is_match(&lower)
    })
}

/// Vocabulary `[recipients-heading-words]` in one automaton: whether a lowercased line
/// holds any of them in one pass, not one substring search per word.
static RECIPIENTS_HEADING_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(vocabulary::words("recipients-heading-words"))
        .expect("the vocabulary's words build")
});

/// Whether `address` stands alone on its line in a list under a recipients heading, each
/// entry followed by its indented reason (Exim's `The following address(es) failed:` then
/// `  x@y` / `    Unrouteable address`): the list itself says the address failed, even
/// with no reply code.
pub(super) fn listed_under_heading(lines: &[&str], address: &str) -> bool {
    let entry = |l: &str| {
        let t = l
            .trim()
            .trim_start_matches('<')
            .trim_end_matches([':', '>']);
        t.eq_ignore_ascii_case(address)
    };
    let Some(at) = lines.iter().take(2000).position(|l| entry(l)) else {
        return false;
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own_indent = indent(lines[at]);
    // The reason stands indented under the entry.
    if !lines
        .get(at + 1)
        .is_some_and(|l| !l.trim().is_empty() && indent(l) > own_indent)
    {
        return false;
    }
    for k in (at.saturating_sub(30)..at).rev() {
        let l = lines[k];
        if is_recipients_heading(lines, k) {
            return true;
        }
        // Blank lines, other entries and their reasons stand between; text at the
        // heading's margin does not.
        if !l.trim().is_empty() && indent(l) < own_indent.max(1) {
            return false;
        }
    }
    false
}

/// A list entry that is a bare mailbox name: the name alone on its line, or followed by
/// its reason in a column (two spaces or a tab apart). Returns the name and the column.
fn bare_entry(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    let end = t.find([' ', '\t']).unwrap_or(t.len());
    let (name, rest) = t.split_at(end);
    let columned = rest.is_empty() || rest.starts_with('\t') || rest.starts_with("  ");
    let plausible = (1..=64).contains(&name.len())
        && name.bytes().all(|b| is_local_byte(b) && b != b'@')
        && name.bytes().any(|b| b.is_ascii_alphabetic())
        && !name.ends_with([':', '.']);
    (columned && plausible && !is_daemon(name)).then(|| (name, rest.trim()))
}

/// The heading at `i` with the lines of its paragraph above it, decoration dropped: the
/// reason of a list whose entries give none.
fn heading_paragraph(section: &[&str], i: usize) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for line in section.get(..=i).unwrap_or(&[]).iter().rev() {
        let t = line.trim().trim_matches(['-', '=', '*', ' ']);
        if t.is_empty() || parts.len() >= 4 {
            break;
        }
        parts.push(t);
    }
    parts.reverse();
    response::unfold(parts)
}

/// Whether the line at `i` runs on from the sentence above it (same paragraph, the line
/// above ends inside a sentence): a wrapped explanation, not a list entry.
fn continues_prose(section: &[&str], i: usize) -> bool {
    let Some(above) = i.checked_sub(1).and_then(|k| section.get(k)) else {
        return false;
    };
    let above = above.trim_end();
    let words = above.split_whitespace().count();
    words >= 5 && above.ends_with(|c: char| c.is_ascii_alphanumeric() || c == ',')
}

/// Whether the mention at line `i` belongs to the sentence above it rather than starting
/// an entry: the line above opens a response and breaks off after its code (`... said: 550
/// 5.1.8` then `<x@y>: Sender address rejected`), or the line opens with the address and
/// runs on in words (`    x@y does not exist (in reply to MAIL FROM command)`) where the
/// line above, no less indented, breaks off inside a sentence.
fn inside_a_sentence(section: &[&str], i: usize) -> bool {
    let Some(above) = i.checked_sub(1).and_then(|k| section.get(k)) else {
        return false;
    };
    let line = section.get(i).copied().unwrap_or("");
    let last_word = above.split_whitespace().last().unwrap_or("");
    // Exim's lead-in names the command the reply answers and ends in a colon (`SMTP error
    // from remote mail server after MAIL FROM:<x> SIZE=12230:`): the reply below it, and the
    // sender's address it names, belong to the recipient above.
    let leads_in = above.trim_end().ends_with(':') && scan::find_stage(above).is_some();
    let opens_response = last_word.eq_ignore_ascii_case("said:")
        || leads_in
        || is_reply_token(last_word) && above.split_whitespace().count() > 2;
    if opens_response {
        return true;
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let t = line.trim_start().trim_start_matches('<');
    let runs_on = t
        .split_once(|c: char| c.is_whitespace())
        .is_some_and(|(first, rest)| {
            first.contains('@')
                && !first.ends_with([':', '>', ','])
                && rest.trim_start().starts_with(|c: char| c.is_lowercase())
        });
    runs_on && indent(line) >= indent(above) && continues_prose(section, i)
}

/// A raw header's `From:` field naming a mail system: `Name <daemon@host>`, or the
/// daemon's address first (`MAILER-DAEMON@host (Mail Delivery System)`).
pub(super) fn is_a_system_s_from_field(line: &str) -> bool {
    let Some(value) = line
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("from:"))
        .and_then(|_| line.get(5..))
    else {
        return false;
    };
    let senders = vocabulary::words("bounce-senders");
    names_a_bounce_sender(line)
        || super::address::first_in(value)
            .and_then(|a| a.split_once('@'))
            .is_some_and(|(local, _)| senders.iter().any(|s| local.eq_ignore_ascii_case(s)))
}

/// A line naming a bounce's sender, a mail system's mailbox (vocabulary
/// `[bounce-senders]`), on a short line of its own or after `From:` (`Mail Delivery
/// Subsystem <mailer-daemon@host>`, `MAILER-DAEMON@host`): below a report it opens another
/// bounce pasted after the first; above one it marks the bounce's own header block.
pub(super) fn names_a_bounce_sender(line: &str) -> bool {
    let t = line.trim();
    if memchr::memchr(b'@', t.as_bytes()).is_none() {
        return false;
    }
    let english = t.get(..5).is_some_and(|l| l.eq_ignore_ascii_case("from:"));
    // A mobile app's row without the colon (Thunderbird for Android: `From x@y`), one
    // address after it.
    let bare = t
        .strip_prefix("From ")
        .is_some_and(|rest| !rest.trim().contains(char::is_whitespace));
    // The From label in the view's language (`Από:`, `Von:`; vocabulary `[from-labels]`).
    let label_end = if english || bare {
        Some(5)
    } else {
        t.find([':', '：']).filter(|&at| at <= 24).filter(|&at| {
            vocabulary::words("from-labels").contains(&t[..at].trim().to_lowercase().as_str())
        })
    };
    let labelled = label_end.is_some();
    let t = match label_end {
        Some(end) => t[end..].trim_start_matches(['：', ':']).trim(),
        None => t,
    };
    // A printed or listed view puts the date in a column after the sender (`Mail Delivery
    // Subsystem <mailer-daemon@...>      Fri, Dec 4, 2026 at 3:12 PM`).
    let t = match t.split_once(">  ") {
        Some((sender, date))
            if date.contains(':') && date.contains(|c: char| c.is_ascii_digit()) =>
        {
            &t[..sender.len() + 1]
        }
        _ => t,
    };
    // `Name <mailbox>`, or the mailbox alone: words before a bare address are a sentence
    // (`Please reply to Postmaster@host`).
    let bracketed = t.ends_with('>') && t.contains('<');
    if t.is_empty()
        || t.split_whitespace().count() > 6
        || !(labelled || bracketed || !t.contains(char::is_whitespace))
    {
        return false;
    }
    let senders = vocabulary::words("bounce-senders");
    let Some(addr) = t
        .split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .rfind(|w| w.contains('@'))
    else {
        return false;
    };
    let lower = addr.to_ascii_lowercase();
    // The address closes the line: a sentence naming the mailbox is no sender line.
    t.trim_end_matches('>')
        .to_ascii_lowercase()
        .ends_with(&lower)
        && (senders.iter().any(|s| lower.starts_with(&format!("{s}@")))
            || lower
                .split_once('@')
                .is_some_and(|(local, _)| exchange_system_mailbox(local)))
}

/// A mobile webmail's summary line naming a mail system and the date (Roundcube's elastic
/// skin on a phone: `From Mail Delivery System on 2026-12-04 13:45`): the date as written.
pub(super) fn system_from_on_date(line: &str) -> Option<&str> {
    let (name, date) = line.trim().strip_prefix("From ")?.split_once(" on ")?;
    let lower = name.trim().to_ascii_lowercase();
    let a_system = vocabulary::words("bounce-sender-names").contains(&lower.as_str())
        || names_a_bounce_sender(&format!("From: {name}"));
    (a_system && date.contains(|c: char| c.is_ascii_digit())).then(|| date.trim())
}

/// A reply code (`550`) or an enhanced status (`5.1.8`) standing as a word.
fn is_reply_token(w: &str) -> bool {
    let b = w.as_bytes();
    let code = b.len() == 3 && matches!(b[0], b'4' | b'5') && b.iter().all(u8::is_ascii_digit);
    code || (matches!(b.first(), Some(b'4' | b'5')) && super::scan::is_status_word(w))
}

/// The address the sender wrote when the listed one is its expansion: Sendmail prints an
/// alias's target with `    (expanded from: <alias>)` under it (savemail.c's error body).
fn expanded_from(section: &[&str], start: usize, end: usize) -> Option<String> {
    section
        .get(start..end.min(start + 4))?
        .iter()
        .find_map(|l| {
            let t = l.trim();
            let rest = t.strip_prefix("(expanded from:")?;
            let addr = rest.trim().trim_end_matches(')').trim();
            let addr = addr.trim_start_matches('<').trim_end_matches('>');
            (addr.contains('@') && !addr.contains(char::is_whitespace)).then(|| addr.to_string())
        })
}

/// Whether `section` holds no code line and no status line, given that its blocks (one per
/// mention, covering the section from the first mention on) are all `blocks_silent`. The
/// whole section's record then carries neither a code nor a status, so it need not be
/// built: only the lines above the first mention are left to read, not every block's again.
fn silent_section(section: &[&str], mentions: &[Mention], blocks_silent: bool) -> bool {
    let head = mentions.first().map_or(section.len(), |m| m.line);
    blocks_silent
        && !section
            .get(..head)
            .unwrap_or(section)
            .iter()
            .any(|l| is_code_line(l) || is_status_line(l))
}

/// Whether `line` is Postfix's verdict on `address` (`bounce_notify_util`: `<%s>: %s`, the
/// address in brackets opening the line, its reason after the colon): a failure of that
/// address even when it is the customer's own (`<own>: mail forwarding loop for own`).
fn opens_a_verdict(line: &str, address: &str) -> bool {
    line.trim_start()
        .strip_prefix('<')
        .and_then(|r| {
            r.get(..address.len())
                .filter(|a| a.eq_ignore_ascii_case(address))
                .map(|_| &r[address.len()..])
        })
        .and_then(|r| r.strip_prefix(">:"))
        .is_some_and(|reason| reason.trim().len() >= 4)
}

/// Whether `line` is qmail's verdict on `address`: `<x>:` alone, its reason on the next
/// line (qmail-send's bounce: `<x>:` then `This message is looping: ...`).
fn qmail_verdict(line: &str, next: Option<&&str>, address: &str) -> bool {
    let t = line.trim();
    t.len() == address.len() + 3
        && t.starts_with('<')
        && t.ends_with(">:")
        && t[1..t.len() - 2].eq_ignore_ascii_case(address)
        && next.is_some_and(|n| n.trim().len() >= 4 && !n.contains('@'))
}

/// Whether the text right after line `i` reads like a failure (for an address that is
/// otherwise known to be the sender: people do bounce mail to themselves).
fn looks_like_failure(section: &[&str], i: usize) -> bool {
    section
        .iter()
        .skip(i)
        .take(3)
        .any(|l| scan::find_failure_code(l).is_some())
}

/// Put `rec` in `records`, or complete the earlier record for the same recipient. `seen`
/// maps a lowercased recipient to its record, so a long list stays linear.
fn merge_or_push(records: &mut Vec<Record>, seen: &mut HashMap<String, usize>, rec: Record) {
    let key = rec.recipient.as_deref().map(str::to_ascii_lowercase);
    let same = key
        .as_ref()
        .and_then(|k| seen.get(k).copied())
        .and_then(|i| records.get_mut(i));
    match same {
        Some(r) => {
            if r.reply_code.is_none() && rec.reply_code.is_some() {
                r.reply_code = rec.reply_code;
                r.diagnostic = rec.diagnostic;
                r.source_line = rec.source_line;
                r.status = rec.status.or(r.status.take());
            } else {
                r.status = r.status.take().or(rec.status);
                // The address named twice without codes (echoed under "To:", then listed
                // with its reason): the first reason found counts.
                if r.reply_code.is_none() && r.diagnostic.is_none() {
                    r.diagnostic = rec.diagnostic;
                    r.source_line = rec.source_line;
                }
            }
            r.stage = r.stage.or(rec.stage);
            r.remote_host = r.remote_host.take().or(rec.remote_host);
            r.remote_ip = r.remote_ip.take().or(rec.remote_ip);
        }
        None => {
            if let Some(k) = key {
                seen.insert(k, records.len());
            }
            records.push(rec);
        }
    }
}

/// A line holding a failure reply code: where a block's response starts.
fn is_code_line(line: &str) -> bool {
    scan::find_failure_code(line).is_some_and(|(_, c)| c >= 400)
}

/// A line holding a failing enhanced status (not a DSN `Status:` field): where a block's
/// response starts when no line has a code.
fn is_status_line(line: &str) -> bool {
    !line.trim_start().starts_with("Status:")
        && scan::find_status(line).is_some_and(|s| !s.starts_with('2'))
}

/// [`block_record`]'s result.
struct Block {
    rec: Record,
    /// Every line of the block was read, and none is a code line or a status line.
    silent: bool,
}

/// The response, stage and remote host found in `section[start..end]`.
fn block_record(section: &[&str], start: usize, end: usize, line_base: Option<usize>) -> Block {
    reading(section, start, end, line_base, Reply::First)
}

/// Which response a block's record takes.
#[derive(Clone, Copy, PartialEq)]
enum Reply {
    /// The first line holding a failure code.
    First,
    /// The same, or a later line with its code and an enhanced status when the first has
    /// none (see [`fuller_reply_below`]): for a paste that lists no recipient, where the
    /// first code may be a customer's note quoting a client's words.
    WithStatus,
}

/// [`block_record`], taking the response `reply` says.
fn reading(
    section: &[&str],
    start: usize,
    end: usize,
    line_base: Option<usize>,
    reply: Reply,
) -> Block {
    let block = section.get(start..end).unwrap_or(&[]);
    let mut rec = Record {
        action: Action::Failed,
        ..Record::default()
    };
    if let Some(reply) = sendmail_remote_reply(section, start) {
        // The remote's own reply, quoted just above Sendmail's per-recipient verdict.
        let r = response::extract(&reply.text);
        rec.reply_code = r.reply_code;
        rec.status = r.status;
        rec.diagnostic = Some(r.text).filter(|t| !t.is_empty());
        rec.source_line = line_base.map(|b| b + reply.line);
        rec.stage = reply.stage;
        return Block { rec, silent: false };
    }
    // The response: the first line holding a failure code, continued to the paragraph end.
    let code_line = block.iter().position(|l| is_code_line(l));
    // Only looked for when no line has a code.
    let status_line = || block.iter().position(|l| is_status_line(l));
    let (first, joined) = match code_line.or_else(status_line) {
        Some(line) if reply == Reply::WithStatus => fuller_reply_below(block, line),
        Some(line) => (line, paragraph(block, line)),
        None => {
            // No code at all: the words after the address are the reason ("User unknown").
            let words = reason_words(section, start, end);
            if !words.is_empty() {
                rec.diagnostic = Some(words);
                rec.source_line = line_base.map(|b| b + start);
            }
            rec.stage = scan::find_stage(&response::unfold(block.iter().copied()));
            return Block { rec, silent: true };
        }
    };
    let mut r = response::extract(&joined.text);
    // Exchange 2000/2003 write the reason's sentence between the address and the
    // `<host #5.4.0>` line that carries the status: the sentence is the diagnostic.
    if code_line.is_none() && first > 0 && is_host_and_status(&joined.text) {
        let above = paragraph_below(&block[..first]);
        if !above.is_empty() {
            r.text = format!("{above} {}", r.text);
        }
    }
    rec.reply_code = r.reply_code;
    rec.status = r.status;
    rec.diagnostic = Some(r.text).filter(|t| !t.is_empty());
    rec.source_line = line_base.map(|b| b + start + first);
    // The stage is named near the response (`after RCPT TO:` just above it): a few lines do.
    let before = response::unfold(block[first.saturating_sub(4)..first].iter().copied());
    rec.stage = scan::find_stage_around(&before, &joined.text);
    // The remote host is named with the response or in the lines just above it.
    let (host, ip) = match scan::find_remote_host(&joined.text) {
        (None, None) => scan::find_remote_host(&before),
        found => found,
    };
    rec.remote_host = host;
    rec.remote_ip = ip;
    if rec.stage.is_some() && rec.status.is_some() {
        return Block { rec, silent: false };
    }
    let whole = response::unfold(block.iter().copied());
    if rec.stage.is_none() {
        // Sendmail puts the transcript (`>>> MAIL From:`) after the reason.
        rec.stage = scan::find_stage(&whole);
    }
    if rec.status.is_none() {
        rec.status = scan::find_status(&whole)
            .filter(|s| !s.starts_with('2'))
            .map(str::to_string);
    }
    Block { rec, silent: false }
}

/// The response starting at `block[line]`, or a later one with the same code that carries
/// an enhanced status when this one carries none: a customer's note quoting a client's
/// translated message (`SMTP Error (553): Gagal mengatur pengirim`) above the log line that
/// holds the server's own reply (`553: 5.7.1 <x>: Sender address rejected: ...`).
fn fuller_reply_below(block: &[&str], line: usize) -> (usize, Paragraph) {
    let first = paragraph(block, line);
    let reply = response::extract(&first.text);
    if reply.status.is_some() || reply.reply_code.is_none() {
        return (line, first);
    }
    let fuller = block
        .iter()
        .enumerate()
        .skip(line + 1)
        .take(200)
        .filter(|(_, l)| is_code_line(l))
        .find_map(|(i, l)| {
            // The status on the code's own line: a paragraph may run on into another reply
            // (Sendmail's `<<< 553 ...` over its own `554 5.0.0 Service unavailable`).
            let r = response::extract(l);
            (r.reply_code == reply.reply_code && r.status.is_some())
                .then(|| (i, paragraph(block, i)))
        });
    fuller.unwrap_or((line, first))
}

/// Exchange's `<mail.example.local #5.4.0>`: the reporting host and the status alone.
fn is_host_and_status(text: &str) -> bool {
    let t = text.trim();
    let mut words = t.split_whitespace();
    t.starts_with('<')
        && t.ends_with('>')
        && words.next().is_some()
        && words.next().is_some_and(|w| w.starts_with('#'))
        && words.next().is_none()
}

/// A remote reply quoted in a Sendmail transcript (`<<< 550 ...`).
struct QuotedReply {
    text: String,
    line: usize,
    stage: Option<super::model::Stage>,
}

/// Sendmail (V5 and later) writes its own verdict per recipient (`554 <x>... Remote protocol
/// error`) under the transcript of the session; when that verdict carries no reply of the
/// remote, the remote's words are the `<<<` reply just above it (past Sendmail's own
/// `421 host (smtp)... Deferred` status lines), and the `>>>` command before that is the
/// stage.
fn sendmail_remote_reply(section: &[&str], start: usize) -> Option<QuotedReply> {
    let verdict = section.get(start)?.trim();
    if !may_be_code_mention(verdict) || !CODE_MENTION.is_match(verdict) {
        return None;
    }
    let (_, after) = verdict.split_once("...")?;
    if scan::find_failure_code(after).is_some() {
        return None;
    }
    // Only Sendmail's host status lines may stand between the reply and the verdict.
    static HOST_STATUS: LazyLock<Regex> =
        LazyLock::new(|| re(r"^[245][0-9][0-9] [^\s<>@]+ \([a-z0-9-]+\)\.\.\."));
    let mut i = start;
    let mut skipped = 0;
    let reply_end = loop {
        i = i.checked_sub(1)?;
        let t = section.get(i)?.trim();
        if t.starts_with("<<<") {
            break i;
        }
        if skipped >= 2 || !HOST_STATUS.is_match(t) {
            return None;
        }
        skipped += 1;
    };
    let mut reply_start = reply_end;
    while reply_start > 0
        && reply_end - reply_start < 8
        && section
            .get(reply_start - 1)
            .is_some_and(|l| l.trim().starts_with("<<<"))
    {
        reply_start -= 1;
    }
    let text = response::unfold(
        section[reply_start..=reply_end]
            .iter()
            .map(|l| l.trim().trim_start_matches('<').trim_start()),
    );
    if scan::find_failure_code(&text).is_none_or(|(at, code)| at != 0 || code < 400) {
        return None;
    }
    let stage = reply_start
        .checked_sub(1)
        .and_then(|c| section.get(c))
        .filter(|l| l.trim().starts_with(">>>"))
        .and_then(|l| scan::find_stage(l));
    Some(QuotedReply {
        text,
        line: reply_start,
        stage,
    })
}

struct Paragraph {
    text: String,
}

/// The logical response starting at `block[i]`: later lines until a blank line, a transcript
/// line or a rule; a wrapped `said: 553` / `5.1.8 ...` stays together.
fn paragraph(block: &[&str], i: usize) -> Paragraph {
    // A reply on a labelled row (an app's `Error:     452 ...`) ends where the next row of
    // the same block starts, its value in the same column (`Attempts:  3`).
    let column = block.get(i).and_then(|l| value_column(l));
    let mut parts: Vec<&str> = Vec::new();
    for (n, line) in block.iter().enumerate().skip(i) {
        let t = line.trim();
        // A line opening with a log stamp is the log's next record, not the reply's end.
        if t.is_empty()
            || (n > i
                && (t.starts_with(">>>")
                    || t.starts_with("<<<")
                    || t.starts_with("---")
                    // A client's `Sender: x` under the reply it quotes is a field of its
                    // own: joined, its address would be read as the reply's.
                    || super::table::is_address_row(t)
                    || column.is_some_and(|c| value_column(line) == Some(c))
                    || (t.starts_with(|c: char| c.is_ascii_digit() || c == '[')
                        && super::time::leading_stamp(t).is_some())))
        {
            break;
        }
        parts.push(t);
        if parts.len() >= 12
            || parts.iter().map(|p| p.len()).sum::<usize>() > response::MAX_RESPONSE_BYTES
        {
            break;
        }
    }
    Paragraph {
        text: response::unfold(parts),
    }
}

/// Labels that only introduce an address (`Recipient address: x`), never a reason
/// (vocabulary `[recipient-labels]`; `Unknown recipient:` is a reason).
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:[*>-]|•)?\s*(?:(?:{})(?:\(s\))?)?\s*(?:rfc822;)?\s*[:=]?\s*$",
        label_alternation("recipient-labels"),
    ))
});

/// Whether a line carries words rather than decoration (`*****`, `-----`).
fn has_words(line: &str) -> bool {
    line.chars()
        .filter(|c| c.is_alphanumeric())
        .nth(2)
        .is_some()
}

/// Whether a line opens with a short label of one to three words and a colon (`Next step:
/// ...`, `Attempts:  3`).
fn opens_with_a_label(t: &str) -> bool {
    t.split_once(':').is_some_and(|(label, value)| {
        (1..=24).contains(&label.len())
            && label.split_whitespace().count() <= 3
            && label
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
            && value.starts_with(' ')
    })
}

/// Where the value of a labelled row starts (`  Error:     452 ...` → 13), in chars.
fn value_column(line: &str) -> Option<usize> {
    let t = line.trim_start();
    if !opens_with_a_label(t) {
        return None;
    }
    let (label, value) = t.split_once(':')?;
    let indent = line.len() - t.len();
    let gap = value.len() - value.trim_start().len();
    Some(indent + label.chars().count() + 1 + gap)
}

/// A rule line that sets sections apart (`------- Failure Reasons --------`).
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    ["---", "***", "===", "___"]
        .iter()
        .any(|r| t.starts_with(r))
}

/// Exchange 2003 follows the address with the attempt time (`x@y on Thu, 29 Apr 2010 ...`):
/// that is no reason.
fn is_date_tail(words: &str) -> bool {
    // The time may be wrapped onto the next line (`on Mon, 8 Dec 2025` / `09:14:02 -0500`).
    words.len() >= 6
        && words.as_bytes()[..3].eq_ignore_ascii_case(b"on ")
        && words.bytes().any(|b| b.is_ascii_digit())
        && (words.contains(':') || words.contains(','))
}

/// How much reason text is gathered from the lines around an address.
const MAX_REASON_LINES: usize = 6;
const MAX_REASON_BYTES: usize = 600;

/// The reason given next to an address when there is no code. Servers without reply codes
/// (Exchange 2003, Lotus Notes/Domino, IMail, ...) put it in one of four places, tried in
/// this order: after the address on its line (`<x>... User unknown`), before it on its line
/// (`Unknown user: x`), in the lines below it (`x on DATE` / indented reason, or `because:`
/// and a paragraph), or in the line right above it (Notes: reason, then the address).
fn reason_words(section: &[&str], start: usize, end: usize) -> String {
    let block = section.get(start..end).unwrap_or(&[]);
    let Some(first) = block.first() else {
        return String::new();
    };
    let (before, rest) = match ANY_ADDR.find(first) {
        Some(m) => (
            first.get(..m.start()).unwrap_or(""),
            first.get(m.end()..).unwrap_or(""),
        ),
        None => ("", *first),
    };
    let rest = rest
        .trim_start_matches([':', '.', ' ', '>', ',', ';'])
        .trim();
    if rest.len() >= 4 && has_words(rest) && !is_date_tail(rest) {
        // A long reason wrapped onto indented lines (Postfix indents its continuation),
        // unless a labelled row no further in than the address's own line follows (an
        // app's `Attempts:` and `Next step:` rows below its `Error:` row).
        let indent = |l: &str| l.len() - l.trim_start().len();
        let mut parts = vec![rest];
        for line in block.iter().skip(1).take(MAX_REASON_LINES) {
            let t = line.trim();
            if !line.starts_with([' ', '\t'])
                || (indent(line) <= indent(first) && opens_with_a_label(t))
                || t.is_empty()
                || t.contains('@')
                || t.starts_with(">>>")
                || t.starts_with("<<<")
                || is_rule(t)
            {
                break;
            }
            parts.push(t);
        }
        return response::unfold(parts);
    }
    let before = before.trim().trim_end_matches(['<', '"', ' ']).trim();
    if has_words(before) && !LABEL.is_match(before) && rest.is_empty() {
        return before.trim_end_matches([':', '=']).trim().to_string();
    }
    let below = paragraph_below(block);
    if !below.is_empty() {
        return below;
    }
    paragraph_above(section, start)
}

/// The lines below an address up to the next blank line (blank lines right after the
/// address, lead-ins such as `because:` and decoration are passed over).
fn paragraph_below(block: &[&str]) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for line in block.iter().skip(1) {
        let t = line.trim();
        if t.is_empty() {
            if parts.is_empty() {
                continue;
            }
            break;
        }
        if t.starts_with(">>>") || t.starts_with("<<<") || is_rule(t) {
            if parts.is_empty() {
                continue;
            }
            break;
        }
        // Passed over: decoration, lead-ins (`because:`) and the echoed fields of the
        // original (`Subject: ...`, `Sent: ...` under "Your message").
        // A date's time wrapped under the address (`09:14:02 -0500`) has no letters.
        let wrapped_time = parts.is_empty() && !t.contains(|c: char| c.is_alphabetic());
        if !has_words(t)
            || wrapped_time
            || (parts.is_empty() && t.ends_with(':') && t.len() < 60)
            || is_echo(t)
        {
            continue;
        }
        parts.push(t);
        if parts.len() >= MAX_REASON_LINES
            || parts.iter().map(|p| p.len()).sum::<usize>() > MAX_REASON_BYTES
        {
            break;
        }
    }
    response::unfold(parts)
}

/// Exchange and others echo the original's header fields above the list of failures
/// (`Your message\n  To: list@x\n  Subject: ...\n  Sent: ...\ndid not reach the following
/// recipient(s):`). The echoed `To:` is who the message was addressed to, not who failed:
/// when the report lists any other address, the echoed one is dropped.
fn drop_echoed_to(section: &[&str], mentions: &mut Vec<Mention>) {
    if mentions.len() < 2 {
        return;
    }
    let echoed = |m: &Mention| {
        let t = section.get(m.line).map_or("", |l| l.trim());
        let is_to = t
            .split_once(':')
            .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("to"));
        let neighbour_echo = [m.line.wrapping_sub(1), m.line + 1]
            .iter()
            .filter_map(|&n| section.get(n))
            .any(|l| is_echo(l.trim()) && !l.contains('@'));
        is_to && neighbour_echo
    };
    let mut flags: Vec<bool> = mentions.iter().map(echoed).collect();
    // An echoed address that is listed too stays (the records merge by address).
    for (i, m) in mentions.iter().enumerate() {
        if flags[i]
            && mentions
                .iter()
                .zip(&flags)
                .any(|(o, &e)| !e && o.address.eq_ignore_ascii_case(&m.address))
        {
            flags[i] = false;
        }
    }
    if flags.iter().any(|&e| e) && flags.iter().any(|&e| !e) {
        let mut i = 0;
        mentions.retain(|_| {
            let keep = !flags[i];
            i += 1;
            keep
        });
    }
}

/// A header field of the original echoed in the report (`Subject: Hello`).
fn is_echo(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        ["to", "cc", "subject", "sent", "date", "from"]
            .iter()
            .any(|f| name.trim().eq_ignore_ascii_case(f))
    })
}

/// The lines right above an address (no blank line between), for reports that print the
/// reason first. Lead-ins (`... the following recipients:`), rules and lines naming other
/// addresses stop it.
fn paragraph_above(section: &[&str], start: usize) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for line in section.get(..start).unwrap_or(&[]).iter().rev() {
        let t = line.trim();
        if t.is_empty() || is_rule(t) || t.ends_with(':') || t.contains('@') || !has_words(t) {
            break;
        }
        parts.push(t);
        if parts.len() >= 3 {
            break;
        }
    }
    parts.reverse();
    response::unfold(parts)
}

/// The paragraph of `section` holding `needle` (an address), for reports that say what
/// went wrong in a sentence about the recipient (`Your message wasn't delivered to x
/// because ...`).
fn paragraph_with(section: &[&str], needle: &str) -> Option<String> {
    let at = section.iter().position(|l| l.contains(needle))?;
    let from = section[..at]
        .iter()
        .rposition(|l| l.trim().is_empty() || is_rule(l))
        .map_or(0, |i| i + 1);
    let parts: Vec<&str> = section[from..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !l.is_empty() && !is_rule(l))
        .take(MAX_REASON_LINES)
        .collect();
    let text = response::unfold(parts);
    (!text.is_empty()).then(|| response::clip(&text, MAX_REASON_BYTES * 2).to_string())
}

/// The whole report as one line (decoration dropped), for notices that explain the failure
/// in prose and name no recipient (Google Groups: the group may not exist or the sender
/// may not post to it).
fn report_prose(section: &[&str]) -> String {
    let parts = section
        .iter()
        .map(|l| l.trim())
        .filter(|l| has_words(l) && !is_rule(l));
    let text = response::unfold(parts);
    response::clip(&text, MAX_REASON_BYTES * 3).to_string()
}

/// Whether a reply in `section` names the recipient it refuses in its own words (Postfix's
/// `452 4.2.2 <x@y>: Recipient address rejected: ...`, vocabulary `[recipient-refusals]`):
/// then an address closing another line (an app's `Reply-To:` row, a note) is not the
/// failed one; the reply's is.
fn a_reply_names_its_recipient(section: &[&str]) -> bool {
    section.iter().take(2000).any(|l| {
        l.contains('@') && is_code_line(l) && {
            let lower = l.to_ascii_lowercase();
            vocabulary::words("recipient-refusals")
                .iter()
                .any(|w| lower.contains(w))
        }
    })
}

/// When no line names a recipient: an address in a RCPT command, else one the returned
/// original was addressed to (its `To:`, or a `Received: ... for <x>`) that the report
/// names too, else an address inside the response, else the first address of the report
/// that is not excluded.
fn fallback_recipient(
    section: &[&str],
    returned: &[&str],
    rec: &Record,
    is_excluded: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let pick = |text: &str| {
        ANY_ADDR
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .filter(|m| !labelled_sender(&text[..m.start()]))
            .filter(|m| !is_login_target(&text[..m.start()]))
            .filter_map(|m| logfmt_value(m.as_str()))
            .map(|a| a.trim_end_matches('.').to_string())
            .find(|a| !is_excluded(a) && !is_role_address(a) && !is_a_message_id(a))
    };
    for line in section {
        if let Some(c) = RCPT.captures(line)
            && let Some(m) = c.get(1)
        {
            return Some(m.as_str().to_string());
        }
    }
    // A report that explains in prose (a directory's "did not match" notice) may name
    // other addresses first (a suggestion, a contact): the one the original was for is the
    // failed one.
    let addressed = original_addressees(returned);
    if !addressed.is_empty() {
        let named = rec
            .diagnostic
            .iter()
            .map(String::as_str)
            .chain(section.iter().copied())
            .flat_map(|l| ANY_ADDR.captures_iter(l).filter_map(|c| c.get(1)))
            .map(|m| m.as_str().trim_end_matches('.'))
            .find(|a| {
                !is_excluded(a)
                    && !is_role_address(a)
                    && addressed.iter().any(|o| o.eq_ignore_ascii_case(a))
            });
        if let Some(a) = named {
            return Some(a.to_string());
        }
    }
    if let Some(d) = rec.diagnostic.as_deref()
        && let Some(a) = pick(d)
    {
        return Some(a);
    }
    section.iter().find_map(|l| pick(l))
}

/// Whether the first line of `lines` naming `address` labels it as the sender
/// ([`labelled_sender`] of the words before it).
pub(super) fn labelled_as_sender(lines: &[&str], address: &str) -> bool {
    lines
        .iter()
        .take(2000)
        .find_map(|l| l.find(address).map(|at| &l[..at]))
        .is_some_and(labelled_sender)
}

/// Whether the address ends `before` as a remote login's target (`ssh admin@mail.x`,
/// `scp f root@host:/tmp`, an agent grepping the server's log over ssh): a user at a host,
/// never a mail address.
fn is_login_target(before: &str) -> bool {
    // The command, then perhaps options and their values (`ssh -p 2222 -i key x@y`).
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.split_whitespace().rev().take(5).any(|w| {
        let name = w.rsplit(['/', '\\']).next().unwrap_or(w);
        matches!(
            name,
            "ssh" | "scp" | "sftp" | "rsync" | "mosh" | "ssh-copy-id"
        )
    })
}

/// Whether the text before an address labels it as the message's sender: its last word
/// (its `=`, `:`, quotes and brackets aside) is a key of vocabulary `[sender-keys]` (an
/// application's `sending mail from=x to=y`, `MAIL FROM:<x>`, PowerShell's `-From x`), and
/// the two words are no expansion note of vocabulary `[expansion-notes]` (Exim's
/// `(generated from x)` names a recipient); or it is a message id's key (vocabulary
/// `[message-id-keys]`). Such an address is never the failed recipient a last-resort
/// search picks.
fn labelled_sender(before: &str) -> bool {
    let tail = before.get(before.floor_char_boundary(before.len().saturating_sub(24))..);
    let tail = tail.unwrap_or_default().to_lowercase();
    let tail = tail
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '<' | '"' | '\'' | '=' | ':'));
    let mut words = tail.rsplit(char::is_whitespace);
    let Some(last) = words.next() else {
        return false;
    };
    // The key after whatever the word glues before it (a JSON context's `...)","mailFrom`).
    let key = last
        .rsplit(['(', '[', '{', ',', ';', '"', '\''])
        .next()
        .unwrap_or(last);
    // A message id shaped like an address is no recipient either.
    if vocabulary::words("message-id-keys").contains(&key) {
        return true;
    }
    if !vocabulary::words("sender-keys").contains(&key) {
        return false;
    }
    let note = words
        .next()
        .map(|w| format!("{} {key}", w.trim_start_matches(['(', '[', '{', ',', ';'])));
    !note.is_some_and(|n| vocabulary::words("expansion-notes").contains(&n.as_str()))
}

/// An address-shaped token under the `.mail` name, which is no domain on the Internet (it
/// was never delegated): Rails' Action Mailer makes its message ids so (`Delivered mail
/// 6756d2f5a1b2c_2817@app01.example.mail`). Never the failed recipient.
fn is_a_message_id(address: &str) -> bool {
    address
        .rsplit_once('.')
        .is_some_and(|(_, tld)| tld.eq_ignore_ascii_case("mail"))
}

/// An address as a logfmt line writes it, its key glued on (`to=x@y`, `from=x@y`): the
/// address without the key, or none when the key is a sender's (vocabulary
/// `[sender-keys]`). An address without such a key is returned as it is.
fn logfmt_value(found: &str) -> Option<&str> {
    let Some((key, value)) = found.split_once('=') else {
        return Some(found);
    };
    let is_key = (2..=14).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
        && value.contains('@');
    if !is_key {
        return Some(found);
    }
    let key = key.to_ascii_lowercase();
    let no_recipient_key = vocabulary::words("sender-keys").contains(&key.as_str())
        || vocabulary::words("message-id-keys").contains(&key.as_str());
    (!no_recipient_key).then_some(value)
}

/// Who the returned original was addressed to, from its first header lines (quoted with
/// `>` or not): `To:` and `Cc:` fields, and the `for <x>` of its Received fields.
pub(super) fn original_addressees(returned: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for line in returned.iter().take(80) {
        let t = line.trim_start_matches(['>', ' ', '\t']);
        let field = t.split_once(':').map(|(n, v)| (n.trim(), v));
        match field {
            Some((name, value))
                if name.eq_ignore_ascii_case("to") || name.eq_ignore_ascii_case("cc") =>
            {
                out.extend(
                    ANY_ADDR
                        .captures_iter(value)
                        .filter_map(|c| c.get(1))
                        .map(|m| m.as_str().to_string()),
                );
            }
            _ if t.contains("for ") || t.contains("for\t") => {
                out.extend(
                    FOR.captures_iter(t)
                        .filter_map(|c| c.get(1))
                        .map(|m| m.as_str().to_string()),
                );
            }
            _ => {}
        }
        if out.len() > 64 {
            break;
        }
    }
    out
}

/// The bounce's own sender address, never a failed recipient (vocabulary
/// `[daemon-mailboxes]`).
pub(super) fn is_daemon(addr: &str) -> bool {
    let local = addr.split('@').next().unwrap_or("");
    vocabulary::words("daemon-mailboxes")
        .iter()
        .any(|d| local.eq_ignore_ascii_case(d))
        || exchange_system_mailbox(local)
}

/// Exchange's own sender of its NDRs: `MicrosoftExchange` and 32 hex digits (the system
/// mailbox `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e`).
fn exchange_system_mailbox(local: &str) -> bool {
    local.len() == 17 + 32
        && local.as_bytes()[..17].eq_ignore_ascii_case(b"microsoftexchange")
        && local.as_bytes()[17..].iter().all(u8::is_ascii_hexdigit)
}

/// A mailbox a bounce goes to without being the message's sender: a daemon's, or the
/// postmaster's (the copy of a bounce an MTA sends its postmaster). Any other address a
/// bounce is sent to, `root@` and `noreply@` included, is the envelope sender it returns to.
pub fn is_postmaster_copy_address(addr: &str) -> bool {
    let local = addr.split('@').next().unwrap_or("");
    is_daemon(addr) || local.eq_ignore_ascii_case("postmaster")
}

/// Addresses of mail systems rather than people (vocabulary `[daemon-mailboxes]` and
/// `[role-mailboxes]`).
pub fn is_role_address(addr: &str) -> bool {
    let local = addr.split('@').next().unwrap_or("");
    is_daemon(addr)
        || vocabulary::words("role-mailboxes")
            .iter()
            .any(|d| local.eq_ignore_ascii_case(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_recipients_heading` as it was first written (trim, then a substring search per
    /// vocabulary word), which the one-automaton form must agree with.
    fn is_recipients_heading_reference(section: &[&str], i: usize) -> bool {
        let t = section[i].trim();
        if !t.ends_with(':') || t.len() > 200 {
            return false;
        }
        let above = i
            .checked_sub(1)
            .and_then(|k| section.get(k))
            .map_or("", |l| l.trim());
        [t, above].iter().any(|l| {
            let lower = if l.is_ascii() {
                l.to_ascii_lowercase()
            } else {
                l.to_lowercase()
            };
            vocabulary::words("recipients-heading-words")
                .iter()
                .any(|w| lower.contains(w))
        })
    }

    /// A booking app's details block: the reply names the recipient it refuses; the
    /// `Reply-To:` row above it is the message's, not a failed recipient.
    #[test]
    fn the_reply_s_own_recipient_over_an_address_closing_a_row() {
        let text = "Details\n  From:      ann@near.example\n  Reply-To:  hello@near.example\n  Error:     452 4.2.2 <bob@far.example>: Recipient address rejected: Mailbox is over quota\n";
        let b = crate::bounce::parse(text.as_bytes()).expect("parses");
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
        // A line that names the failed address by itself, over a reply that does not.
        let listed = "Invalid user: bob@far.example\n550 5.1.1 mailbox unavailable\n";
        let b = crate::bounce::parse(listed.as_bytes()).expect("parses");
        assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    #[test]
    fn a_last_resort_recipient_is_never_the_labelled_sender() {
        assert!(labelled_sender(
            "2026/12/04 09:12:43 notifier: sending mail from "
        ));
        assert!(labelled_sender("MAIL FROM:<"));
        assert!(labelled_sender("envelope sender "));
        assert!(!labelled_sender("    (generated from "));
        assert!(labelled_sender("Send-MailMessage -SmtpServer x -From "));
        assert!(labelled_sender("no me deja enviar nada desde\n"));
        assert!(labelled_sender("Error sending invoice (from="));
        assert!(!labelled_sender("RCPT TO:<"));
        assert!(labelled_sender("{\"size\": 48211, \"message-id\": \"<"));
        assert_eq!(logfmt_value("id=8c1d0f@near.example"), None);
        assert_eq!(logfmt_value("to=bob@far.example"), Some("bob@far.example"));
        assert_eq!(logfmt_value("from=ann@shop.example"), None);
        assert_eq!(logfmt_value("a=b@far.example"), Some("a=b@far.example"));
        assert_eq!(logfmt_value("bob@far.example"), Some("bob@far.example"));
        let records = extract(
            "2026/12/04 09:12:43 app: mail from=ann@shop.example to=bob@far.example\n2026/12/04 09:12:44 app: smtp: 554 5.7.1 Service unavailable\n",
            &[],
            None,
        );
        assert_eq!(records[0].recipient.as_deref(), Some("bob@far.example"));
    }

    #[test]
    fn postfix_s_verdict_names_even_the_customer_s_own_address() {
        assert!(opens_a_verdict(
            "<ann@shop.example>: mail forwarding loop for",
            "ann@shop.example"
        ));
        assert!(opens_a_verdict(
            "  <Ann@Shop.example>: Host not found",
            "ann@shop.example"
        ));
        assert!(!opens_a_verdict(
            "To: <ann@shop.example>",
            "ann@shop.example"
        ));
        assert!(!opens_a_verdict("<ann@shop.example>:", "ann@shop.example"));
        assert!(!opens_a_verdict(
            "<ann@shop.example.net>: x y z",
            "ann@shop.example"
        ));
        let reason = "This message is looping: it already has my Delivered-To line. (#5.4.6)";
        assert!(qmail_verdict(
            "<ann@shop.example>:",
            Some(&reason),
            "ann@shop.example"
        ));
        assert!(!qmail_verdict(
            "<ann@shop.example>:",
            Some(&""),
            "ann@shop.example"
        ));
        assert!(!qmail_verdict(
            "To: <ann@shop.example>",
            Some(&reason),
            "ann@shop.example"
        ));
        // Exim's list names the customer's own address with its reason under it.
        let records = extract(
            "The following address(es) failed:\n\n  ann@shop.example\n    lowest numbered MX record points to local host\n",
            &["ann@shop.example".to_string()],
            None,
        );
        assert_eq!(records[0].recipient.as_deref(), Some("ann@shop.example"));
        let records = extract(
            "À : ann@shop.example\n\n<ann@shop.example>: mail forwarding loop for\n    ann@shop.example\n",
            &["ann@shop.example".to_string()],
            None,
        );
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].recipient.as_deref(), Some("ann@shop.example"));
    }

    #[test]
    fn recipients_heading_agrees_with_its_first_form() {
        let mut lines: Vec<String> = vec![
            String::new(),
            ":".into(),
            "  : ".into(),
            "The following address(es) failed:".into(),
            "  The following address(es) failed:  \t".into(),
            "Delivery to the following recipients failed.".into(),
            "Subject: hello".into(),
            "Diagnostic-Code: smtp;".into(),
            "Os seguintes destinatários:".into(),
            "DIE FOLGENDEN EMPFÄNGER:".into(),
            "Следующим адресатам:".into(),
            "Następujących adresów:\u{3000}".into(),
            format!("{}recipient:", "x".repeat(199)),
            format!("{}recipient:", "x".repeat(191)),
            format!(" {}following:  ", "y".repeat(189)),
        ];
        for w in vocabulary::words("recipients-heading-words") {
            lines.push(format!("{w}:"));
            lines.push(format!("  {}:", w.to_uppercase()));
            lines.push(format!("{w} words"));
        }
        let section: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut headings = 0;
        for i in 0..section.len() {
            let expected = is_recipients_heading_reference(&section, i);
            headings += usize::from(expected);
            assert_eq!(
                is_recipients_heading(&section, i),
                expected,
                "{:?}",
                section[i]
            );
        }
        assert!(headings > 10, "{headings}");
    }

    /// `mention_of` as it was, running the regexes' capture search on every line.
    fn mention_by_captures(line: &str) -> Option<String> {
        let t = line.trim();
        if !t.contains('@') {
            return None;
        }
        let caps = MENTION
            .captures(t)
            .or_else(|| may_be_code_mention(t).then(|| CODE_MENTION.captures(t))?)?;
        Some(caps.get(1)?.as_str().trim_end_matches('.').to_string())
    }

    /// Lines to compare the address patterns' two forms on: the repository's bounce fixtures
    /// and held-out sets, and both shared dev corpora.
    fn corpus_lines() -> Vec<String> {
        use std::path::{Path, PathBuf};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let shared = root.join("../../shared/corpus");
        let shared = if shared.is_dir() {
            shared
        } else {
            PathBuf::from("/work/shared/corpus")
        };
        assert!(
            shared.is_dir(),
            "the dev corpora are needed: {}",
            shared.display()
        );
        let dirs = [
            root.join("tests/fixtures/bounces"),
            root.join("tests/fixtures/formats"),
            root.join("tests/data/heldout-553"),
            root.join("tests/data/heldout-b"),
            shared.join("sisimai-dev/eml"),
            shared.join("flufl-dev/eml"),
        ];
        let mut lines = Vec::new();
        for dir in dirs {
            let entries = std::fs::read_dir(&dir).expect("a corpus folder");
            for entry in entries.flatten() {
                let Ok(bytes) = std::fs::read(entry.path()) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                lines.extend(text.lines().map(str::to_string));
            }
        }
        lines
    }

    /// Where `a` and `b` first disagree on `line`: every match's every group, in order.
    fn disagreement(a: &Regex, b: &Regex, line: &str) -> Option<String> {
        let spans = |r: &Regex| -> Vec<Vec<Option<(usize, usize)>>> {
            r.captures_iter(line)
                .map(|c| c.iter().map(|g| g.map(|g| (g.start(), g.end()))).collect())
                .collect()
        };
        let (x, y) = (spans(a), spans(b));
        (x != y).then(|| format!("{line:?}: {x:?} vs {y:?}"))
    }

    /// Where [`needs_wide`] says so, the ASCII form of each address pattern finds exactly
    /// what the full form finds (every match, every group), over the corpora's lines (their
    /// non-ASCII lines included) and lines made to hold every byte the local part and labels
    /// allow; a text with a non-ASCII character touching an address gets the full form.
    /// An entry whose address ends in a dot is listed as written, and keeps its dot where
    /// the server quotes it so: that dot is the syntax error.
    #[test]
    fn an_entry_ending_in_a_dot_keeps_its_block() {
        let text = "The following address(es) failed:\n\n  ann@far.example.\n    SMTP error from remote mail server after RCPT TO:<ann@far.example.>:\n    553 5.1.3 The recipient address <ann@far.example.> is not a valid RFC 5321 address.\n  bob@far.example\n    SMTP error from remote mail server after RCPT TO:<bob@far.example>:\n    550 5.1.1 User unknown\n";
        let b = super::super::parse(text.as_bytes()).expect("parsed");
        let got: Vec<(Option<&str>, Option<u16>)> = b
            .records
            .iter()
            .map(|r| (r.recipient.as_deref(), r.reply_code))
            .collect();
        assert_eq!(
            got,
            [
                (Some("ann@far.example."), Some(553)),
                (Some("bob@far.example"), Some(550))
            ]
        );
    }

    #[test]
    fn ascii_address_patterns_find_what_the_full_ones_find() {
        let mut lines = corpus_lines();
        let specials = "._%+!#$&'*/=?^`{|}~-";
        for (i, c) in specials.chars().enumerate() {
            lines.push(format!("To: a{c}b@x-{i}.example.org ok"));
            lines.push(format!("550 5.1.1 <{c}u{c}@h{c}.example>... User unknown"));
            lines.push(format!("RCPT TO:<z{c}@a..b.example> for <y{c}@q.example>"));
        }
        for line in [
            "Γεια σας kijitora@example.jp,",
            "宛先 <kijitora@example.jp> に届きませんでした",
            "• bob@far.example… User unknown",
            "To: “bob@far.example” é",
        ] {
            lines.push(line.to_string());
        }
        let ascii: Vec<&str> = lines
            .iter()
            .map(String::as_str)
            .filter(|l| !needs_wide(l))
            .collect();
        assert!(ascii.len() > 10_000, "only {} ASCII lines", ascii.len());
        let non_ascii = ascii.iter().filter(|l| !l.is_ascii()).count();
        assert!(non_ascii > 100, "only {non_ascii} non-ASCII lines compared");
        let patterns = [
            ("MENTION", &MENTION),
            ("CODE_MENTION", &CODE_MENTION),
            ("ANY_ADDR", &ANY_ADDR),
            ("BARE", &BARE),
            ("RCPT", &RCPT),
            ("FOR", &FOR),
        ];
        for (name, p) in patterns {
            let wide = p.wide();
            let narrow = p.ascii();
            assert!(!std::ptr::eq(wide, narrow), "{name}: one form only");
            let mut matched = 0;
            for line in &ascii {
                if let Some(d) = disagreement(narrow, wide, line) {
                    panic!("{name} differs on {d}");
                }
                matched += usize::from(wide.is_match(line));
            }
            assert!(matched > 0, "{name} matched no line: nothing compared");
            for touching in [
                "ü@x.example",
                "a@bü.example",
                "a@b.exampleü",
                "éa@b.example",
                "a@b.exampleー",
            ] {
                assert!(
                    std::ptr::eq(p.for_text(touching), wide),
                    "{name}: {touching}"
                );
            }
            for apart in [
                "ü a@b.example ü",
                "a@b.example您好",
                "،a@b.example، “a@b.example”",
            ] {
                assert!(std::ptr::eq(p.for_text(apart), narrow), "{name}: {apart}");
            }
        }
        // Addresses with non-ASCII letters are found whole, and only by the full form.
        for (line, found) in [
            ("To: üser@bücher.example", "üser@bücher.example"),
            ("Γεια σας kijitora@example.jp,", "kijitora@example.jp"),
            ("kijitora@example.jp您好", "kijitora@example.jp"),
        ] {
            let m = ANY_ADDR.captures(line).and_then(|c| c.get(1));
            assert_eq!(m.map(|m| m.as_str()), Some(found), "{line}");
        }
        assert!(
            disagreement(ANY_ADDR.ascii(), ANY_ADDR.wide(), "To: üser@bücher.example").is_some()
        );
        // The comparison sees a form that drops one byte of the local part.
        let short = re(&format!("<?({})>?", addr(false).replacen("'", "", 1)));
        assert!(
            ascii
                .iter()
                .any(|l| disagreement(&short, ANY_ADDR.wide(), l).is_some()),
            "a narrower form went unnoticed"
        );
    }

    /// No character [`never_in_address`] names is one the full address pattern takes.
    #[test]
    fn characters_never_in_an_address_are_none_of_the_patterns_letters() {
        let full = re(&format!("^(?:{})$", addr(true)));
        let mut checked = 0;
        for c in ('\u{80}'..=char::MAX).filter(|&c| never_in_address(c)) {
            let probe = format!("{c}@{c}.{c}");
            assert!(!full.is_match(&probe), "{c:?} is a letter of the pattern");
            checked += 1;
        }
        assert!(checked > 20_000, "only {checked} characters checked");
        // The check sees a letter of the pattern.
        assert!(full.is_match("ü@ü.ü"));
    }

    use crate::bounce::test_rng::Rng;

    /// The address read off the line agrees with the regex's capture group on lines built
    /// from the pattern's own pieces (bullets, labels, separators, quotes, tricky local
    /// parts and domains, endings) and on random strings of its special characters.
    #[test]
    fn mention_address_agrees_with_captures() {
        let bullets = [
            "", "* ", "*", "-", "- ", "> ", ">", "• ", "•", "--", "**", "*-",
        ];
        let labels = [
            "",
            "To",
            "to",
            "RCPT TO",
            "Final-Recipient",
            "original-recipient",
            "Failed recipient address(s)",
            "unknown recipient",
            "the recipient",
            "recipients",
            "address",
            "Mailbox",
            "your message to",
            "Message for",
            "Delivery to",
            "mail to",
            "envoi à",
            "Destinataire",
            "Recipient",
            "Diagnostic-Code",
        ];
        let seps = [
            ":", " : ", "=", " = ", " ", "\t", "", ":=", "  ", "==", "\u{b}",
        ];
        let rfcs = ["", "rfc822;", "RFC822; ", "rfc822", ";"];
        let quotes = ["", "<", "\"", "<<", "\"<"];
        let locals = [
            "x",
            "a-b",
            "-x",
            "*x",
            "=x",
            "x=y",
            "to=x",
            "a.b",
            "x+y",
            "",
            "x-",
            "*",
            "-",
            "=",
            "TO",
            "rfc822;x",
            "réservations",
            "用户",
            "x’",
            "’x",
        ];
        let domains = [
            "y.example",
            "hôtel.example",
            "例え.jp",
            "y",
            "a.b.c",
            "a-b.c",
            "y.example.",
            "a..b",
            "-.-",
            "",
            ".y.z",
            "y.z@w.v",
            "y,example.com",
            "y,com",
            "y,",
            "y.com,z",
        ];
        let closes = ["", ">", "\"", ">>", "\">"];
        let ends = [
            "", ":", "...", " (", "(", " x", " ", ",", " [", ".", ".:", "....", "x", " \u{a0}",
            "\u{a0}", "@z.com", " é", "-", " :", "\t,",
        ];
        let mut g = Rng::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let line = [
                g.pick(&bullets),
                g.pick(&labels),
                g.pick(&seps),
                g.pick(&rfcs),
                g.pick(&quotes),
                g.pick(&locals),
                "@",
                g.pick(&domains),
                g.pick(&closes),
                g.pick(&ends),
            ]
            .concat();
            assert_eq!(mention_of(&line), mention_by_captures(&line), "{line:?}");
        }
        let alphabet: Vec<char> = "ab-*=@.:<>\" \t;()•rT0o5_\u{b}éô’".chars().collect();
        for _ in 0..200_000 {
            let len = g.below(16);
            let line: String = (0..len)
                .map(|_| alphabet[g.below(alphabet.len())])
                .collect();
            assert_eq!(mention_of(&line), mention_by_captures(&line), "{line:?}");
        }
    }

    /// Whenever `silent_section` lets the whole-section record go unbuilt, that record would
    /// have carried neither a code nor a status: on sections of mentions, code lines, status
    /// lines (failing, succeeding, DSN fields), Sendmail transcripts and prose.
    #[test]
    fn silent_section_implies_no_whole_response() {
        let pieces = [
            "bob@far.example",
            "<ann@near.example>: host mx.near.example said:",
            "550 5.1.1 <bob@far.example>... User unknown",
            "554 <bob@far.example>... Remote protocol error",
            "<<< 550 5.7.1 denied",
            ">>> RCPT To:<bob@far.example>",
            "421 mx.far.example (smtp)... Deferred",
            "    SMTP error from remote mail server after RCPT TO:",
            "Status: 5.1.1",
            "Status: 2.0.0",
            "#5.1.1 no such user",
            "2.1.5 ok",
            "the mailbox is full (size: 450)",
            "port 587 closed",
            "250 ok",
            "599 odd",
            "",
            "Delivery to the following recipients failed.",
            "-----",
            "To: x@y.example",
        ];
        let mut g = Rng::new(0x0dd_ba11_cafe_f00d);
        // Sections of both kinds are met: the test is not vacuous.
        let (mut silent, mut not_silent) = (0, 0);
        for _ in 0..20_000 {
            let len = 1 + g.below(10);
            let section: Vec<&str> = (0..len).map(|_| g.pick(&pieces)).collect();
            let mentions: Vec<Mention> = section
                .iter()
                .enumerate()
                .filter_map(|(line, l)| {
                    mention_of(l).map(|address| Mention {
                        line,
                        address,
                        reason: None,
                    })
                })
                .collect();
            if mentions.is_empty() {
                continue;
            }
            let mut blocks_silent = true;
            for (k, m) in mentions.iter().enumerate() {
                let end = mentions.get(k + 1).map_or(section.len(), |n| n.line);
                blocks_silent &= block_record(&section, m.line, end, None).silent;
            }
            if silent_section(&section, &mentions, blocks_silent) {
                silent += 1;
                let whole = block_record(&section, 0, section.len(), None).rec;
                assert!(
                    whole.reply_code.is_none() && whole.status.is_none(),
                    "{section:?}"
                );
            } else {
                not_silent += 1;
            }
        }
        assert!(silent > 500 && not_silent > 500, "{silent} {not_silent}");
    }

    /// Exchange 5.5's report: the echoed `To:` of the original is not the failed
    /// recipient; the X.400 line's `SMTP=` address is.
    #[test]
    fn exchange_x400_recipient_beats_the_echoed_to() {
        let text = "Your message\n\n  To:      team@list.example\n  Subject: Minutes\n  Sent:    Fri, 4 Oct 2002 17:10:56 -0400\n\ndid not reach the following recipient(s):\n\nc=US;a= ;p=Org;o=Site;dda:SMTP=ann@far.example; on Fri, 4 Oct 2002\n17:12:28 -0400\n    The recipient name is not recognized\n";
        let recs = extract(text, &[], Some(0));
        let got: Vec<_> = recs.iter().filter_map(|r| r.recipient.as_deref()).collect();
        assert_eq!(got, ["ann@far.example"]);
        // The date's time wrapped under the address is no reason.
        let d = recs[0].diagnostic.as_deref().unwrap_or("");
        assert!(d.starts_with("The recipient name is not recognized"), "{d}");
        // The echoed To alone still names the recipient.
        let text = "Your message\n\n  To:      ann@far.example\n  Subject: Minutes\n\ndid not reach the recipient: user unknown\n";
        let recs = extract(text, &[], Some(0));
        let got: Vec<_> = recs.iter().filter_map(|r| r.recipient.as_deref()).collect();
        assert_eq!(got, ["ann@far.example"]);
    }

    /// A directory's prose notice names a suggested address and a contact before the one
    /// that failed: the address the returned original was for is the recipient.
    #[test]
    fn prose_notice_takes_the_address_the_original_was_for() {
        let text = "The standard form of address here is first.last@dept.example, although\nsome choose another. The address to which your message was addressed, jo@dept.example,\ndid not match any address.\n\nWho may help:\n\n  Desk Person     +1 925 555 0100     desk@dept.example\n\nOriginal message as received is as follows:\n====\n>Received: from mx.dept.example by in.dept.example with ESMTP id 1 for <jo@dept.example>; Sun, 27 May 2001 14:21:25 -0700\n>From: ann@near.example\n";
        let recs = extract(text, &[], Some(0));
        let got: Vec<_> = recs.iter().filter_map(|r| r.recipient.as_deref()).collect();
        assert_eq!(got, ["jo@dept.example"]);
    }

    fn recipients_with(text: &str, own_domain: Option<&str>) -> Vec<(String, String)> {
        extract_from(&Report::new(text), &[], Some(0), own_domain)
            .into_iter()
            .map(|r| {
                (
                    r.recipient.unwrap_or_default(),
                    r.diagnostic.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn a_bare_name_under_the_recipients_heading_is_a_mailbox_of_the_reporting_organisation() {
        let text = "Your mail to the following recipients could not be delivered because
they do not accept mail from news@letters.example.org:
	jdoe42
";
        assert_eq!(
            recipients_with(text, Some("Mail.Example.COM")),
            [(
                "jdoe42@example.com".to_string(),
                "Your mail to the following recipients could not be delivered because they do not accept mail from news@letters.example.org:".to_string()
            )]
        );
        // Without the reporting system's domain the name cannot be completed: no guess.
        assert!(
            recipients_with(text, None)
                .iter()
                .all(|(r, _)| r != "jdoe42" && !r.starts_with("jdoe42@"))
        );
    }

    #[test]
    fn a_mail_system_s_from_row_in_the_view_s_language() {
        assert!(names_a_bounce_sender("From: MAILER-DAEMON@mx.near.example"));
        assert!(names_a_bounce_sender(
            "Από: MAILER-DAEMON@mail.near.example"
        ));
        assert!(names_a_bounce_sender(
            "Von: Mail Delivery System <MAILER-DAEMON@mx.near.example>"
        ));
        assert!(!names_a_bounce_sender("Από: Ελένη <eleni@near.example>"));
        assert!(!names_a_bounce_sender(
            "Note: write to mailer-daemon@mx.near.example"
        ));
    }

    #[test]
    fn a_comma_typed_for_a_dot_stays_in_the_refused_address() {
        for (line, want) in [
            (
                "553 5.1.3 <ana@gmail,com>: Recipient address rejected: bad syntax",
                "ana@gmail,com",
            ),
            (
                "RCPT TO:<b@shop-sur,example.com> 501 5.1.3 Bad recipient address syntax",
                "b@shop-sur,example.com",
            ),
            ("To: a@x.example,b@y.example", "a@x.example"),
            ("failed: a@localhost, b@y.example", "b@y.example"),
        ] {
            let found = ANY_ADDR
                .captures(line)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str());
            assert_eq!(found, Some(want), "{line}");
        }
        let records = extract(
            "<ana@gmail,com>: 553 5.1.3 invalid address syntax\n",
            &[],
            None,
        );
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].recipient.as_deref(), Some("ana@gmail,com"));
        // A package and its version is no address.
        assert!(ends_in_a_number("shop@2.4.1"));
        assert!(!ends_in_a_number("ana@gmail,com"));
        let records = extract(
            "> shop@2.4.1 send\n550 5.1.1 <b@far.example>: unknown\n",
            &[],
            None,
        );
        assert!(
            records
                .iter()
                .all(|r| r.recipient.as_deref() != Some("shop@2.4.1"))
        );
    }

    /// Exchange 2003: the reason's sentence stands between the address and `<host #5.x.x>`.
    #[test]
    fn exchange_2003_s_sentence_above_the_host_and_status() {
        let text = "Your message did not reach some or all of the intended recipients.\n\n      Subject:\tMinutes\n      Sent:\t12/3/2026 9:14 AM\n\nThe following recipient(s) could not be reached:\n\n      bob@far.example on 12/3/2026 9:14 AM\n            The destination server for this recipient could not be found in Domain Name Service (DNS).\n            <mail.near.local #5.4.0>\n";
        let records = extract(text, &[], None);
        assert_eq!(records[0].recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(records[0].status.as_deref(), Some("5.4.0"));
        let diagnostic = records[0].diagnostic.as_deref().unwrap_or("");
        assert!(
            diagnostic.starts_with("The destination server"),
            "{diagnostic}"
        );
        assert!(
            diagnostic.ends_with("<mail.near.local #5.4.0>"),
            "{diagnostic}"
        );
    }

    #[test]
    fn an_entry_listed_under_the_recipients_heading_with_its_reason() {
        let text = "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  ann@far.example\n    Unrouteable address\n  bob@far.example\n    all relevant MX records point to non-existent hosts\n\nPlease check the address. A copy is kept for\nann2@far.example\n  said no\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(listed_under_heading(&lines, "ann@far.example"));
        assert!(listed_under_heading(&lines, "bob@far.example"));
        // After a paragraph at the heading's margin: not in the list.
        assert!(!listed_under_heading(&lines, "ann2@far.example"));
        // No reason under the entry.
        let lines = [
            "The following address(es) failed:",
            "",
            "  ann@far.example",
            "",
        ];
        assert!(!listed_under_heading(&lines, "ann@far.example"));
        // No heading above.
        let lines = ["Hello,", "  ann@far.example", "    is my new address"];
        assert!(!listed_under_heading(&lines, "ann@far.example"));
    }

    #[test]
    fn an_example_address_in_the_explanation_is_not_a_failed_recipient() {
        let text = " ----Message not delivered to the following:\n\n jdoe    No matches to directory query\n\n ----Error Detail:\n\n The lookup failed to find a name that matches.  If no tools are available to\n you, try the most explicit form of the name, e.g., if\n ann.lee@uni.example.ac.uk fails, try ann.b.lee@uni.example.ac.uk.\n";
        assert_eq!(
            recipients_with(text, Some("mx3.cs.uni.example.ac.uk")),
            [(
                "jdoe@example.ac.uk".to_string(),
                "No matches to directory query".to_string()
            )]
        );
    }

    #[test]
    fn an_unqualified_entry_takes_the_address_the_original_was_sent_to() {
        let text = "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  kim\n    host mx.far.example [198.51.100.7]: 550 5.1.1 no such user\n\n------ This is a copy of the message, including all the headers. ------\n\nReceived: from localhost by relay.near.example with smtp\n\tfor kim@far.example; Fri, 01 Oct 2010 19:15:19 +0900\nFrom: ann@near.example\n";
        let got = recipients_with(text, Some("relay.near.example"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "kim@far.example");
        assert!(got[0].1.contains("no such user"), "{got:?}");
    }

    #[test]
    fn two_dots_stay_in_a_domain_and_three_end_it() {
        assert_eq!(
            mention_of("pedidos@example..net").as_deref(),
            Some("pedidos@example..net")
        );
        assert_eq!(
            mention_of("sub@mail.example...User account is overquota").as_deref(),
            Some("sub@mail.example")
        );
        assert_eq!(
            mention_of("<bob@far.example>... User unknown").as_deref(),
            Some("bob@far.example")
        );
    }

    #[test]
    fn sendmail_names_the_alias_an_address_was_expanded_from() {
        let text = "   ----- The following addresses had permanent fatal errors -----\nann@mail.far.example\n    (expanded from: <ann@far.example>)\n\n   ----- Transcript of session follows -----\n554 Too many hops 26 (25 max): from me@near.example via localhost, to ann@far.example\n";
        let recs = extract(text, &[], Some(0));
        assert_eq!(recs[0].recipient.as_deref(), Some("ann@mail.far.example"));
        assert_eq!(
            recs[0].original_recipient.as_deref(),
            Some("ann@far.example")
        );
    }

    #[test]
    fn exim_block() {
        let text = "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@far.example\n    SMTP error from remote mail server after RCPT TO:<bob@far.example>:\n    host mx.far.example [198.51.100.7]: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n\n------ This is a copy of the message, including all the headers. ------\n\nReturn-path: <me@here.example>\n\n550 5.1.1 quoted response\n";
        let recs = extract(text, &[], Some(0));
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(r.reply_code, Some(553));
        assert_eq!(r.status.as_deref(), Some("5.7.1"));
        assert_eq!(r.stage, Some(super::super::model::Stage::RcptTo));
        assert_eq!(r.remote_ip.as_deref(), Some("198.51.100.7"));
        assert_eq!(r.source_line, Some(7));
    }

    /// The records are read from lines clipped to MAX_RESPONSE_BYTES, and the original is
    /// found among those clipped lines, as before the split was shared: a marker line whose
    /// decoration lies past the clip does not start the original for them, though it does
    /// for the whole-line readers (the DSN fields, the inline headers).
    #[test]
    fn records_find_the_original_among_clipped_lines() {
        let marker = format!(
            "Original message{}-----",
            " ".repeat(response::MAX_RESPONSE_BYTES)
        );
        let text = format!(
            "Delivery failed.\n\n<x@y.example>: 550 5.1.1 no such user\n\n{marker}\n<z@w.example>: 550 5.1.1 quoted\n"
        );
        let report = Report::new(&text);
        assert_eq!(
            report.original_start, 4,
            "the whole marker line is decorated"
        );
        let recipients: Vec<_> = extract(&text, &[], Some(0))
            .into_iter()
            .filter_map(|r| r.recipient)
            .collect();
        assert_eq!(recipients, ["x@y.example", "z@w.example"]);
    }

    /// The gate in front of the phrase searches never turns away a line they read an
    /// address from: phrases in any ASCII case, cut, run together, beside non-ASCII text.
    #[test]
    fn sentence_mention_gate_finds_what_the_phrase_searches_find() {
        let mut g = crate::bounce::test_rng::Rng::new(0x5e47_e4ce_0a7e_d0e5);
        let phrases: Vec<&str> = vocabulary::words("recipient-sentences")
            .iter()
            .chain(vocabulary::words("recipient-sentence-ends"))
            .copied()
            .collect();
        let pieces = [
            "to",
            "To",
            " ",
            "x@y.example",
            "<a.b@c.example>",
            "*q@r.example*",
            "\"s@t.example\".",
            "because",
            "É",
            "à",
            "\u{201c}u@v.example\u{201d}",
            "user",
            "@",
            "",
            "\t",
        ];
        let mut found = 0;
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..g.below(6) {
                if g.below(2) == 0 {
                    let phrase = g.pick(&phrases);
                    // A phrase whole or cut short, each ASCII letter in either case.
                    let cut = phrase
                        .char_indices()
                        .map(|(i, _)| i)
                        .nth(g.below(phrase.chars().count()) + 1)
                        .filter(|_| g.below(4) == 0)
                        .unwrap_or(phrase.len());
                    for c in phrase[..cut].chars() {
                        line.push(if g.below(3) == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        });
                    }
                } else {
                    line.push_str(g.pick(&pieces));
                }
                line.push_str(g.pick(&[" ", "", " ", "\u{a0}"]));
            }
            let expected = read_sentence(&line);
            found += usize::from(expected.is_some());
            assert_eq!(sentence_mention(&line), expected, "{line:?}");
        }
        assert!(found > 1_000, "too few lines name an address: {found}");
    }
}
