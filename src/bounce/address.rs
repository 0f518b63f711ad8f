//! RFC 5321 address checks and typo suggestions for popular mail domains.
//!
//! [`check`] names each problem plainly with a stable `kind` an agent (and the classifier)
//! can rely on. It never panics and runs in time linear in the input: one pass per check,
//! and the edit distances are computed only against domains of nearly the same length.

use serde::{Deserialize, Serialize};

/// One problem found in an address, in words an agent can read to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable machine name, e.g. `double-dot`, `missing-domain`, `typo`.
    pub kind: String,
    /// Plain-words explanation, e.g. "the domain `gmial.com` looks like a typo of `gmail.com`".
    pub message: String,
    /// A corrected address when one can be suggested.
    pub suggestion: Option<String>,
}

/// RFC 5321 §4.5.3.1 limits, in octets.
const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 255;
const MAX_LABEL: usize = 63;
/// The longest address that fits a `MAIL FROM:<...>` / `RCPT TO:<...>` path (RFC 5321 errata).
const MAX_ADDRESS: usize = 254;

/// Popular mail domains, most used first (the first wins a tie in distance).
const POPULAR_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "live.com",
    "msn.com",
    "me.com",
    "mac.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "bellsouth.net",
    "charter.net",
    "cox.net",
    "earthlink.net",
    "protonmail.com",
    "proton.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "mail.ru",
    "yandex.ru",
    "zoho.com",
    "ymail.com",
    "rocketmail.com",
    "googlemail.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.co.jp",
    "btinternet.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "qq.com",
    "163.com",
    "naver.com",
    "t-online.de",
    "libero.it",
    "shaw.ca",
    "rogers.com",
    "bigpond.com",
    "optusnet.com.au",
];

/// Top-level domains typed wrong often enough to correct without a distance check.
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("vom", "com"),
    ("xom", "com"),
    ("comm", "com"),
    ("coom", "com"),
    ("cpm", "com"),
    ("co,", "com"),
    ("nte", "net"),
    ("nett", "net"),
    ("ner", "net"),
    ("ogr", "org"),
    ("orgg", "org"),
    ("rog", "org"),
];

/// Check one address. An empty list means no problem was found.
pub fn check(address: &str) -> Vec<Problem> {
    let mut out = Problems::default();
    let cleaned = strip_wrapping(address, &mut out);
    if cleaned.is_empty() {
        out.add("empty", "the address is empty", None);
        return out.0;
    }
    invisible_characters(&cleaned, &mut out);
    let Some((local, domain)) = split_at_sign(&cleaned, &mut out) else {
        return out.0;
    };
    lengths(&cleaned, local, domain, &mut out);
    check_local(local, &mut out);
    let domain_ok = check_domain(domain, &mut out);
    if domain_ok {
        suggest_typo(local, domain, &mut out);
    }
    out.0
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, kind: &str, message: impl Into<String>, suggestion: Option<String>) {
        // One problem of each kind is enough to tell the customer what to fix.
        if self.0.iter().any(|p| p.kind == kind) {
            return;
        }
        self.0.push(Problem {
            kind: kind.to_string(),
            message: message.into(),
            suggestion,
        });
    }
}

/// Remove what agents and customers paste around an address: spaces, `mailto:`, `<...>`.
fn strip_wrapping(address: &str, out: &mut Problems) -> String {
    let mut s = address.trim();
    if s.len() != address.len() {
        out.add(
            "space",
            "the address has spaces before or after it",
            Some(s.to_string()),
        );
    }
    if s.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        s = s[7..].trim_start();
        let clean = s.split('?').next().unwrap_or(s);
        out.add(
            "mailto",
            "a `mailto:` link prefix was pasted with the address",
            Some(clean.to_string()),
        );
        s = clean;
    }
    if s.starts_with('<') || s.ends_with('>') {
        let inner = s.trim_start_matches('<').trim_end_matches('>').trim();
        out.add(
            "angle-brackets",
            "the address is wrapped in `<` `>`, which belong to the SMTP command, not the address",
            Some(inner.to_string()),
        );
        s = inner;
    }
    s.to_string()
}

fn invisible_characters(s: &str, out: &mut Problems) {
    for c in s.chars() {
        if is_bidi_control(c) {
            out.add(
                "bidi-control",
                format!(
                    "the address holds an invisible text-direction character (U+{:04X}) that can disguise what it says",
                    c as u32
                ),
                Some(s.chars().filter(|&c| !is_invisible(c)).collect()),
            );
        } else if is_invisible(c) {
            out.add(
                "invisible-character",
                format!(
                    "the address holds an invisible character (U+{:04X}), often copied from a web page or document",
                    c as u32
                ),
                Some(s.chars().filter(|&c| !is_invisible(c)).collect()),
            );
        }
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// Split at the `@` that separates local part and domain (the last one outside a quoted
/// local part), reporting missing or extra `@`s.
fn split_at_sign<'a>(s: &'a str, out: &mut Problems) -> Option<(&'a str, &'a str)> {
    let local_end = quoted_local_end(s, out);
    let rest = &s[local_end..];
    let ats = rest.matches('@').count();
    let Some(at) = rest.rfind('@').map(|i| i + local_end) else {
        out.add(
            "missing-at",
            "the address has no `@` between the name and the domain",
            None,
        );
        return None;
    };
    if ats > 1 {
        out.add(
            "several-at",
            format!("the address has {ats} `@` signs; it needs exactly one"),
            None,
        );
    }
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() {
        out.add(
            "missing-local-part",
            "nothing comes before the `@`: the mailbox name is missing",
            None,
        );
    }
    if domain.is_empty() {
        out.add(
            "missing-domain",
            "nothing comes after the `@`: the domain is missing",
            None,
        );
    }
    Some((local, domain))
}

/// Byte offset just past a leading quoted string (`"john smith"@...`), or 0.
fn quoted_local_end(s: &str, out: &mut Problems) -> usize {
    if !s.starts_with('"') {
        return 0;
    }
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i + 1,
            _ => {}
        }
    }
    out.add(
        "unbalanced-quote",
        "the quoted mailbox name has no closing `\"`",
        None,
    );
    0
}

fn lengths(address: &str, local: &str, domain: &str, out: &mut Problems) {
    if local.len() > MAX_LOCAL {
        out.add(
            "local-part-too-long",
            format!(
                "the part before the `@` is {} bytes long; the limit is {MAX_LOCAL}",
                local.len()
            ),
            None,
        );
    }
    if domain.len() > MAX_DOMAIN {
        out.add(
            "domain-too-long",
            format!(
                "the domain is {} bytes long; the limit is {MAX_DOMAIN}",
                domain.len()
            ),
            None,
        );
    }
    if address.len() > MAX_ADDRESS {
        out.add(
            "address-too-long",
            format!(
                "the address is {} bytes long; the limit is {MAX_ADDRESS}",
                address.len()
            ),
            None,
        );
    }
}

/// RFC 5322 atext, plus the dot of a dot-atom.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

fn is_smart_quote(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{00AB}'
            | '\u{00BB}'
    )
}

fn check_local(local: &str, out: &mut Problems) {
    if local.is_empty() {
        return;
    }
    if local.starts_with('"') && local.ends_with('"') && local.len() >= 2 {
        // A quoted string may hold dots, spaces and @ freely; only non-ASCII needs care.
        if !local.is_ascii() {
            non_ascii(out, "mailbox name");
        }
        return;
    }
    if local.starts_with('.') {
        out.add("leading-dot", "the mailbox name starts with a dot", None);
    }
    if local.ends_with('.') {
        out.add("trailing-dot", "the mailbox name ends with a dot", None);
    }
    if local.contains("..") {
        out.add("double-dot", "the mailbox name has two dots in a row", None);
    }
    characters(local, "mailbox name", out);
}

/// Report characters that are not allowed unquoted; `part` names where they are.
fn characters(s: &str, part: &str, out: &mut Problems) {
    let mut non_ascii_seen = false;
    for c in s.chars() {
        if c == '.' || is_atext(c) || is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            out.add("space", format!("the {part} contains a space"), None);
        } else if is_smart_quote(c) {
            out.add(
                "smart-quote",
                format!(
                    "the {part} contains a typographic quote `{c}` (word processors add these)"
                ),
                None,
            );
        } else if c.is_ascii() {
            let shown = describe_ascii(c);
            out.add(
                "bad-character",
                format!("the {part} contains {shown}, which is not allowed in an address"),
                None,
            );
        } else if !non_ascii_seen {
            non_ascii_seen = true;
            non_ascii(out, part);
        }
    }
}

fn non_ascii(out: &mut Problems, part: &str) {
    let message = if part == "domain" {
        "the domain has non-ASCII letters: it must be sent in its `xn--` (punycode) form, or every server on the way must support SMTPUTF8".to_string()
    } else {
        format!(
            "the {part} has non-ASCII letters: only servers that support SMTPUTF8 (RFC 6531) accept it"
        )
    };
    out.add("non-ascii", message, None);
}

/// Returns whether the domain is well formed enough to look for typos in it.
fn check_domain(domain: &str, out: &mut Problems) -> bool {
    if domain.is_empty() {
        return false;
    }
    if let Some(inner) = domain.strip_prefix('[') {
        return address_literal(inner, out);
    }
    let before = out.0.len();
    if domain.starts_with('.') {
        out.add("leading-dot", "the domain starts with a dot", None);
    }
    if domain.ends_with('.') {
        out.add("trailing-dot", "the domain ends with a dot", None);
    }
    if domain.contains("..") {
        out.add("double-dot", "the domain has two dots in a row", None);
    }
    let mut labels = 0;
    for label in domain.split('.').filter(|l| !l.is_empty()) {
        labels += 1;
        if label.len() > MAX_LABEL {
            out.add(
                "label-too-long",
                format!(
                    "a part of the domain is {} characters long; the limit is {MAX_LABEL}",
                    label.len()
                ),
                None,
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            out.add(
                "label-hyphen",
                format!(
                    "the domain part `{}` starts or ends with a hyphen",
                    short(label)
                ),
                None,
            );
        }
    }
    for c in domain.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' || is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            out.add("space", "the domain contains a space", None);
        } else if is_smart_quote(c) {
            out.add(
                "smart-quote",
                format!("the domain contains a typographic quote `{c}`"),
                None,
            );
        } else if c.is_ascii() {
            let shown = describe_ascii(c);
            out.add(
                "bad-character",
                format!("the domain contains {shown}; domains hold only letters, digits, hyphens and dots"),
                None,
            );
        } else {
            non_ascii(out, "domain");
        }
    }
    if labels == 1 {
        let suggestion = POPULAR_DOMAINS
            .iter()
            .find(|d| d.split('.').next() == Some(&*domain.to_ascii_lowercase()))
            .map(|d| d.to_string());
        out.add(
            "missing-tld",
            format!(
                "the domain `{}` has no ending such as `.com`",
                short(domain)
            ),
            suggestion,
        );
    }
    out.0.len() == before
}

fn address_literal(inner: &str, out: &mut Problems) -> bool {
    let Some(body) = inner.strip_suffix(']') else {
        out.add(
            "bad-address-literal",
            "the `[` of an IP address literal is never closed",
            None,
        );
        return false;
    };
    let is_v6 = body
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("IPv6:"));
    let ok = if is_v6 {
        body[5..].parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        body.parse::<std::net::Ipv4Addr>().is_ok()
    };
    if !ok {
        out.add(
            "bad-address-literal",
            format!("`[{}]` is not an IP address", short(body)),
            None,
        );
    }
    false
}

/// Suggest a popular domain (mailcheck.js style) or a corrected top-level domain.
fn suggest_typo(local: &str, domain: &str, out: &mut Problems) {
    let lower = domain.to_ascii_lowercase();
    if POPULAR_DOMAINS.contains(&lower.as_str()) {
        return;
    }
    let threshold = if lower.len() >= 8 { 2 } else { 1 };
    // Counted once, on the first candidate of nearly the same length (so never for a long
    // domain), and shared by the rest: zeroing and refilling a table per candidate was most
    // of the cost of checking an address.
    let mut counts: Option<LetterCounts> = None;
    let best = POPULAR_DOMAINS
        .iter()
        .filter(|d| d.len().abs_diff(lower.len()) <= threshold)
        .filter(|d| {
            counts
                .get_or_insert_with(|| LetterCounts::new(lower.as_bytes()))
                .differ_by_at_most(d.as_bytes(), 2 * threshold)
        })
        .filter_map(|d| {
            let dist = osa_distance(lower.as_bytes(), d.as_bytes(), threshold);
            (dist <= threshold).then_some((dist, *d))
        })
        .min_by_key(|&(dist, _)| dist);
    let corrected = match best {
        Some((_, d)) => Some(d.to_string()),
        None => lower.rsplit_once('.').and_then(|(head, tld)| {
            TLD_TYPOS
                .iter()
                .find(|(typo, _)| *typo == tld)
                .map(|(_, right)| format!("{head}.{right}"))
        }),
    };
    if let Some(right) = corrected.filter(|c| *c != lower) {
        out.add(
            "typo",
            format!("the domain `{domain}` looks like a typo of `{right}`"),
            Some(format!("{local}@{right}")),
        );
    }
}

/// The character counts of one string, to compare with many others: whether two strings'
/// counts differ by at most `max` in total is a cheap necessary condition for an edit
/// distance of at most `max / 2` (a substitution changes two counts by one, an insertion or
/// deletion one, a transposition none). It rules out nearly every popular domain before the
/// quadratic distance runs.
struct LetterCounts {
    counts: [i16; 256],
    len: usize,
}

impl LetterCounts {
    /// `a` is at most a few bytes longer than the longest popular domain (the length filter
    /// runs first), so no count comes near the `i16` limit.
    fn new(a: &[u8]) -> Self {
        let mut counts = [0i16; 256];
        for &c in a {
            counts[usize::from(c)] += 1;
        }
        LetterCounts {
            counts,
            len: a.len(),
        }
    }

    /// Whether the sum over all characters of |count in `a` - count in `b`| is at most
    /// `max`. Leaves the table as it found it, ready for the next candidate.
    fn differ_by_at_most(&mut self, b: &[u8], max: usize) -> bool {
        // The sum starts at |a| (every count of `a` against zero) and each character of `b`
        // moves one count down by one: towards zero while it is positive, away otherwise.
        // The sum is never negative, so it never drops below zero mid-way.
        let mut differ = self.len;
        for &c in b {
            let n = &mut self.counts[usize::from(c)];
            if *n > 0 {
                differ -= 1;
            } else {
                differ += 1;
            }
            *n -= 1;
        }
        for &c in b {
            self.counts[usize::from(c)] += 1;
        }
        differ <= max
    }
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so `gmial`
/// is one edit from `gmail`). Only called on short, nearly equal-length strings. Any
/// answer above `max` may be returned as just "more than `max`" (see the early exit).
fn osa_distance(a: &[u8], b: &[u8], max: usize) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
        // A cell comes from the previous two rows plus at least zero (or one, from two rows
        // up): once two rows in a row exceed `max`, every later row does too. Comparing
        // each recipient domain with every popular one was a sixth of a triage run.
        let above = |r: usize| d[r * w..(r + 1) * w].iter().all(|&c| c > max);
        if i > 1 && above(i) && above(i - 1) {
            return max + 1;
        }
    }
    d[a.len() * w + b.len()]
}

/// At most 40 characters of a label or literal, for messages.
fn short(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

/// How a disallowed ASCII character is named in a problem message: control characters by
/// code (they would not show), the rest quoted.
fn describe_ascii(c: char) -> String {
    if c.is_ascii_control() {
        format!("control character 0x{:02X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

/// An address as written in a bounce, without stray quotes and brackets, an address type
/// The registered domain a host name belongs to (`mr2.its.example.edu` → `example.edu`,
/// `mx.example.co.uk` → `example.co.uk`): the last two labels, three under a
/// country's common second-level labels.
pub fn organisational_domain(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n <= 2 {
        return host;
    }
    let second_level = [
        "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gr", "ad", "lg", "ed",
        "mil", "ltd", "plc", "sch", "gob", "nom",
    ];
    let keep = if labels[n - 1].len() == 2 && second_level.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n - keep..].join(".")
}

/// The first address written in a piece of text as people and tools write one: alone,
/// in `<>`, quotes (straight, curly, guillemets) or braces, or ending a sentence
/// (`Name <ann@far.example>`, `The recipient "ann@far.example" was rejected.`,
/// `{ann@far.example}`). It needs a local part and a dot in its domain.
pub(super) fn first_in(text: &str) -> Option<&str> {
    text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '{' | '}' | '"' | '\'' | ',' | ';' | '“' | '”' | '«' | '»'
            )
    })
    .map(|w| w.trim_end_matches(['.', ':', ')']).trim_start_matches('('))
    .find(|w| {
        w.len() <= 320
            && w.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
    })
}

/// (`rfc822;`) or Exchange's X.400 `SMTP=`/`SMTP:` forms.
pub(super) fn clean_address(a: &str) -> String {
    let mut t = a.trim();
    // An address type, as a DSN field writes it.
    if let Some((kind, rest)) = t.split_once(';')
        && kind.trim().eq_ignore_ascii_case("rfc822")
    {
        t = rest.trim();
    }
    // Quotes and brackets a message or a program printed around the address (a Python
    // dict's `{'x@y': (553, ...)}`); a domain literal's `[...]` is the address's own.
    let stray = |c: char| {
        matches!(
            c,
            '"' | '\''
                | '`'
                | '<'
                | '>'
                | ' '
                | '{'
                | '}'
                | '('
                | ')'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201c}'
                | '\u{201d}'
        )
    };
    t = t.trim_matches(|c: char| c != '"' && stray(c));
    // A quoted local part (RFC 5321 4.1.2: `"john..doe"@host`) keeps its quotes: they are
    // part of the address. Other quotes around or in front of it are stray.
    if !is_quoted_local_part(t) {
        t = t.trim_matches(stray);
    }
    // X.400 forms: `dda:SMTP=user@host`, `SMTP:user@host`.
    let lower = t.to_ascii_lowercase();
    for tag in ["smtp=", "smtp:"] {
        if let Some(at) = lower.rfind(tag)
            && t[at + tag.len()..].contains('@')
        {
            t = t[at + tag.len()..].trim_end_matches(';');
        }
    }
    t.to_string()
}

/// `"local part"@domain`: a quoted string, closed right before the `@`, and a domain.
fn is_quoted_local_part(a: &str) -> bool {
    let Some(rest) = a.strip_prefix('"') else {
        return false;
    };
    match rest.rsplit_once("\"@") {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains('"')
                && !domain.is_empty()
                && !domain.contains(['"', '@', ' '])
        }
        None => false,
    }
}

/// The address an SRS-rewritten sender stands for (the Sender Rewriting Scheme a
/// forwarding server applies so SPF passes: `SRS0=HHH=TT=orig.example=user@forwarder`,
/// `SRS1=HHH=first.example==HHH=TT=orig.example=user@forwarder`), when `addr` is one.
pub fn srs_original(addr: &str) -> Option<String> {
    let (local, _) = addr.rsplit_once('@')?;
    let upper = local.get(..5)?.to_ascii_uppercase();
    let rest = match upper.as_str() {
        "SRS0=" | "SRS0+" | "SRS0-" => &local[5..],
        // SRS1: the first forwarder's SRS0 fields follow its `==`.
        "SRS1=" | "SRS1+" | "SRS1-" => local.split_once("==")?.1,
        _ => return None,
    };
    // hash, timestamp, domain, then the local part (which may itself hold `=`).
    let mut fields = rest.splitn(4, '=');
    let (_hash, _stamp) = (fields.next()?, fields.next()?);
    let domain = fields.next().filter(|d| d.contains('.'))?;
    let user = fields.next().filter(|u| !u.is_empty())?;
    Some(format!("{user}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srs_senders_stand_for_the_original_address() {
        assert_eq!(
            srs_original("SRS0=qx4r=6B=garten.example.net=lena@verein.example.com").as_deref(),
            Some("lena@garten.example.net")
        );
        assert_eq!(
            srs_original("srs1=ab12=fwd1.example==qx4r=6b=orig.example=a=b@fwd2.example")
                .as_deref(),
            Some("a=b@orig.example")
        );
        assert_eq!(srs_original("lena@garten.example.net"), None);
        assert_eq!(srs_original("SRS0=broken@x.example"), None);
    }

    #[test]
    fn the_first_address_as_written() {
        for (text, want) in [
            ("Ann Baker <ann@far.example>", Some("ann@far.example")),
            (
                "The recipient \u{201c}jo@gmial.com\u{201d} was rejected.",
                Some("jo@gmial.com"),
            ),
            ("{site@far.example}", Some("site@far.example")),
            ("mail to (ann@far.example).", Some("ann@far.example")),
            (
                "root@localhost then ann@far.example",
                Some("ann@far.example"),
            ),
            ("no address here", None),
            ("@far.example a@b@c.example", None),
        ] {
            assert_eq!(first_in(text), want, "{text}");
        }
    }

    #[test]
    fn organisational_domains() {
        assert_eq!(
            organisational_domain("mr2.its.uni.example.edu"),
            "example.edu"
        );
        assert_eq!(organisational_domain("mx.example.co.uk"), "example.co.uk");
        assert_eq!(organisational_domain("Example.COM."), "example.com");
        assert_eq!(organisational_domain("localhost"), "localhost");
    }

    #[test]
    fn quoted_local_parts_keep_their_quotes() {
        assert_eq!(
            clean_address("\"john..doe\"@far.example"),
            "\"john..doe\"@far.example"
        );
        assert_eq!(
            clean_address("<\"a b\"@far.example>"),
            "\"a b\"@far.example"
        );
        assert_eq!(clean_address("\"ann@far.example\""), "ann@far.example");
        assert_eq!(clean_address("'ann@far.example'"), "ann@far.example");
        assert_eq!(clean_address("{'ann@far.example'"), "ann@far.example");
        assert_eq!(clean_address("(ann@far.example)"), "ann@far.example");
        assert_eq!(clean_address("ann@[192.0.2.1]"), "ann@[192.0.2.1]");
        assert_eq!(clean_address("\"ann@far.example"), "ann@far.example");
    }

    /// The filter as it was before [`LetterCounts`]: a fresh table per pair. The reference
    /// the shared table must agree with.
    fn letters_differ_by_at_most(a: &[u8], b: &[u8], max: usize) -> bool {
        let mut counts = [0i16; 256];
        for &c in a {
            counts[usize::from(c)] += 1;
        }
        for &c in b {
            counts[usize::from(c)] -= 1;
        }
        let differ: usize = a
            .iter()
            .chain(b)
            .map(|&c| {
                // Each character is counted once, however often it occurs.
                let n = std::mem::take(&mut counts[usize::from(c)]);
                usize::from(n.unsigned_abs())
            })
            .sum();
        differ <= max
    }

    /// Every one- and two-edit variant of every popular domain (substitutions, insertions,
    /// deletions, transpositions over the domain alphabet): the cheap count filter must
    /// never rule out a pair the distance accepts.
    #[test]
    fn count_filter_never_rejects_a_near_domain() {
        let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789.-";
        let one_edit = |s: &[u8]| -> Vec<Vec<u8>> {
            let mut out = Vec::new();
            for i in 0..=s.len() {
                for &c in alphabet {
                    let mut ins = s.to_vec();
                    ins.insert(i, c);
                    out.push(ins);
                    if i < s.len() {
                        let mut sub = s.to_vec();
                        sub[i] = c;
                        out.push(sub);
                    }
                }
                if i < s.len() {
                    let mut del = s.to_vec();
                    del.remove(i);
                    out.push(del);
                }
                if i + 1 < s.len() {
                    let mut swap = s.to_vec();
                    swap.swap(i, i + 1);
                    out.push(swap);
                }
            }
            out
        };
        let mut checked = 0;
        for d in POPULAR_DOMAINS.iter().take(8) {
            for near in one_edit(d.as_bytes()) {
                for far in one_edit(&near).into_iter().step_by(7) {
                    for (s, max) in [(&near, 1), (&far, 2)] {
                        if osa_distance(s, d.as_bytes(), max) <= max {
                            assert!(
                                LetterCounts::new(s).differ_by_at_most(d.as_bytes(), 2 * max),
                                "{} vs {d}",
                                String::from_utf8_lossy(s)
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// The shared table, reused across candidates as `suggest_typo` does, answers exactly as
    /// a fresh table per pair: over random short strings (mostly from a domain's alphabet,
    /// some with bytes from anywhere), the popular domains and each other, and every `max`.
    #[test]
    fn shared_count_table_matches_a_fresh_one() {
        let mut rng = crate::bounce::test_rng::Rng::new(0x9E37_79B9_7F4A_7C15);
        let mut next = move || rng.next_u64();
        let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789.-";
        let mut words: Vec<Vec<u8>> = POPULAR_DOMAINS
            .iter()
            .map(|d| d.as_bytes().to_vec())
            .collect();
        for _ in 0..3000 {
            let len = (next() % 20) as usize;
            let narrow = next() % 4;
            let word = (0..len)
                .map(|_| match narrow {
                    // Few distinct letters: many repeats, counts above one.
                    0 => b"aeo."[(next() % 4) as usize],
                    1 => next().to_le_bytes()[0],
                    _ => alphabet[(next() % alphabet.len() as u64) as usize],
                })
                .collect();
            words.push(word);
        }
        // Variants of popular domains, where the answer is close to the limit.
        for d in POPULAR_DOMAINS {
            for _ in 0..40 {
                let mut w = d.as_bytes().to_vec();
                for _ in 0..=(next() % 3) {
                    let i = (next() % (w.len() as u64 + 1)) as usize;
                    let c = alphabet[(next() % alphabet.len() as u64) as usize];
                    match next() % 3 {
                        0 if i < w.len() => w[i] = c,
                        1 if i < w.len() => {
                            w.remove(i);
                        }
                        _ => w.insert(i, c),
                    }
                }
                words.push(w);
            }
        }
        let (mut yes, mut no) = (0, 0);
        for a in &words {
            let mut counts = LetterCounts::new(a);
            for b in POPULAR_DOMAINS
                .iter()
                .map(|d| d.as_bytes())
                .chain(words.iter().step_by(97).map(|w| w.as_slice()))
            {
                for max in 0..=5 {
                    let want = letters_differ_by_at_most(a, b, max);
                    assert_eq!(
                        counts.differ_by_at_most(b, max),
                        want,
                        "{} vs {} max {max}",
                        String::from_utf8_lossy(a),
                        String::from_utf8_lossy(b)
                    );
                    if want { yes += 1 } else { no += 1 }
                }
            }
        }
        assert!(yes > 10_000 && no > 10_000, "{yes} {no}");
    }
}
