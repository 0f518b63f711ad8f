//! Enhanced status codes (RFC 3463): the patterns playbooks list, and the code a record's
//! response actually carries.

use crate::bounce::Stage;

/// `5.1.1`, `5.7.*`, `5.7.6??`: three dot-separated parts of digits, `?` (one digit) and `*`
/// (any digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatusPattern {
    parts: [Part; 3],
    /// `5.7.* at RCPT TO`: the pattern counts only at that stage (`at unknown`: only when
    /// the bounce does not say which command was answered). RFC 3463's 5.7.x (security or
    /// policy) means a refused relay at RCPT TO, a refused sender at MAIL FROM and
    /// refused content after DATA, so it is read with the stage.
    pub stage: Option<StageQualifier>,
    /// Literal digits in the pattern: the more, the more specific the evidence.
    pub specificity: usize,
}

/// One part of a [`StatusPattern`], sorted by the work it needs: every record is matched
/// against every playbook's patterns, and nearly all parts are plain digits or `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// `*`: any digits, none included.
    Any,
    /// Digits only: the same digits.
    Exact(Box<[u8]>),
    /// Digits mixed with `?` or `*`.
    Glob(Box<[u8]>),
}

impl Part {
    fn new(p: &str) -> Part {
        if p == "*" {
            Part::Any
        } else if p.bytes().all(|b| b.is_ascii_digit()) {
            Part::Exact(p.as_bytes().into())
        } else {
            Part::Glob(p.as_bytes().into())
        }
    }

    /// `got` is one part of a [`Status`]: at most four digits.
    fn matches(&self, got: &[u8]) -> bool {
        match self {
            Part::Any => true,
            Part::Exact(digits) => **digits == *got,
            Part::Glob(pattern) => glob(pattern, got),
        }
    }
}

/// The stage a [`StatusPattern`] is qualified with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StageQualifier {
    At(Stage),
    Unknown,
}

impl StageQualifier {
    pub fn admits(self, stage: Option<Stage>) -> bool {
        match self {
            StageQualifier::At(s) => stage == Some(s),
            StageQualifier::Unknown => stage.is_none(),
        }
    }
}

/// Why `s` is not a status pattern that can match, if it is not.
pub fn check_pattern(s: &str) -> Result<(), String> {
    let (code, stage) = split_stage(s);
    if let Some(stage) = stage
        && !stage.eq_ignore_ascii_case("unknown")
        && super::parse_stage(stage).is_none()
    {
        return Err(format!(
            "status `{s}` can never match: the stage after `at` must be {} or unknown",
            super::STAGE_NAMES.replace(" or ", ", ")
        ));
    }
    let pieces: Vec<&str> = code.split('.').collect();
    let shape_ok = StatusPattern::parse(s).is_some();
    if !shape_ok {
        return Err(format!(
            "`{s}` is not an enhanced status pattern (like 5.1.1, 5.7.*, 5.7.6??, 5.7.* at RCPT TO)"
        ));
    }
    let class = pieces[0];
    if !["2", "4", "5", "*", "?"].contains(&class) {
        return Err(format!(
            "status `{s}` can never match: the class (first part) of an enhanced status is 2, 4 or 5"
        ));
    }
    for part in &pieces[1..] {
        let min_len = part.chars().filter(|&c| c != '*').count();
        if min_len > 3 {
            return Err(format!(
                "status `{s}` can never match: subject and detail have at most 3 digits"
            ));
        }
    }
    Ok(())
}

/// `5.7.* at RCPT TO` → (`5.7.*`, Some(`RCPT TO`)).
fn split_stage(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    match s.split_once(" at ") {
        Some((code, stage)) => (code.trim(), Some(stage.trim())),
        None => (s, None),
    }
}

impl StatusPattern {
    pub fn parse(s: &str) -> Option<StatusPattern> {
        let (code, stage_text) = split_stage(s);
        let stage = match stage_text {
            None => None,
            Some(t) if t.eq_ignore_ascii_case("unknown") => Some(StageQualifier::Unknown),
            Some(t) => Some(StageQualifier::At(super::parse_stage(t)?)),
        };
        let pieces: Vec<&str> = code.split('.').collect();
        let [a, b, c] = pieces.as_slice() else {
            return None;
        };
        let parts = [*a, *b, *c];
        let valid = parts.iter().all(|p| {
            (1..=4).contains(&p.len())
                && p.chars()
                    .all(|c| c.is_ascii_digit() || c == '?' || c == '*')
        });
        if !valid {
            return None;
        }
        let specificity = parts
            .iter()
            .map(|p| p.chars().filter(char::is_ascii_digit).count())
            .sum();
        Some(StatusPattern {
            parts: parts.map(Part::new),
            specificity,
            stage,
        })
    }

    pub fn matches(&self, status: &Status) -> bool {
        self.parts
            .iter()
            .zip(&status.parts)
            .all(|(p, got)| p.matches(got))
    }
}

/// A record's enhanced status split into its three parts, each at most four digits. Split
/// and checked once per record rather than once per pattern it is matched against.
pub(super) struct Status<'a> {
    parts: [&'a [u8]; 3],
}

impl<'a> Status<'a> {
    /// `None` when `status` is not three dot-separated runs of at most four digits: no
    /// pattern matches such a status.
    pub fn parse(status: &'a str) -> Option<Status<'a>> {
        let mut got = status.split('.');
        let mut part = || {
            got.next()
                .map(str::as_bytes)
                .filter(|g| g.len() <= 4 && g.iter().all(u8::is_ascii_digit))
        };
        let parts = [part()?, part()?, part()?];
        got.next().is_none().then_some(Status { parts })
    }
}

/// What RFC 3463 (and the registry's later additions) says a status means, in a few words,
/// for the evidence line.
pub(super) fn meaning(status: &str) -> &'static str {
    let mut parts = status.split('.').skip(1);
    let subject = parts.next().unwrap_or_default();
    let detail = parts.next().unwrap_or_default();
    match (subject, detail) {
        ("1", "1") => "RFC 3463: bad destination mailbox address",
        ("1", "2") => "RFC 3463: bad destination system address",
        ("1", "3") => "RFC 3463: bad destination mailbox address syntax",
        ("1", "6") => "RFC 3463: destination mailbox has moved",
        ("1", "7") => "RFC 3463: bad sender's mailbox address syntax",
        ("1", "8") => "RFC 3463: bad sender's system address",
        ("1", "10") => "recipient address not found (Microsoft; RFC 7505: null MX)",
        ("3", "5") => "RFC 3463: system incorrectly configured",
        ("4", "4") => "RFC 3463: unable to route",
        ("4", "6") => "RFC 3463: routing loop detected",
        ("4", "14") => "hop count exceeded",
        ("7", "0") => "RFC 3463: other security or policy status",
        ("7", "1") => "RFC 3463: delivery not authorized, message refused",
        ("7", "8") => "RFC 4954: authentication credentials invalid",
        ("7", "23") => "RFC 7372: SPF validation failed",
        ("7", "25") => "RFC 7372: reverse DNS validation failed",
        ("7", "26") => "RFC 7372: multiple authentication checks failed",
        ("7", "27") => "RFC 7505: sender address has null MX",
        ("7", _) => "RFC 3463: security or policy status",
        ("1", _) => "RFC 3463: addressing status",
        ("4", _) => "RFC 3463: network and routing status",
        _ => "enhanced status",
    }
}

/// Digits-only glob; both sides are a few bytes long, so the plain recursion is cheap.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|k| glob(rest, &text[k..])),
        Some((b'?', rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

/// The enhanced status to judge a record by: the parser's, unless it is missing or only a
/// class-level `X.0.0` (Exim writes `5.0.0` when the remote gave none) while the response
/// itself carries a specific code of the same class.
pub(super) fn effective<'a>(recorded: Option<&'a str>, text: &'a str) -> Option<&'a str> {
    let recorded = recorded.map(str::trim).filter(|s| looks_like_status(s));
    let generic = recorded.is_none_or(|s| s.ends_with(".0.0"));
    if !generic {
        return recorded;
    }
    let class = recorded.and_then(|s| s.chars().next());
    let inner = first_in_text(text).filter(|s| class.is_none_or(|c| s.starts_with(c)));
    inner.or(recorded)
}

/// The first `D.DDD.DDD` in `text` that stands alone (not part of an IP address or version).
fn first_in_text(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        // A maximal run of digits and dots; a trailing dot ends a sentence.
        let token = text[start..i].trim_end_matches('.');
        if looks_like_status(token) {
            return Some(token);
        }
    }
    None
}

fn looks_like_status(s: &str) -> bool {
    let mut parts = s.split('.');
    let class = parts.next().unwrap_or_default();
    let subject = parts.next().unwrap_or_default();
    let detail = parts.next().unwrap_or_default();
    matches!(class, "2" | "4" | "5")
        && (1..=3).contains(&subject.len())
        && (1..=3).contains(&detail.len())
        && subject
            .bytes()
            .chain(detail.bytes())
            .all(|b| b.is_ascii_digit())
        && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_by_glob_and_rank_by_literal_digits() {
        let exact = StatusPattern::parse("5.1.1").unwrap();
        let class = StatusPattern::parse("5.7.*").unwrap();
        let ranged = StatusPattern::parse("5.7.6??").unwrap();
        let m = |p: &StatusPattern, s: &str| Status::parse(s).is_some_and(|s| p.matches(&s));
        assert!(m(&exact, "5.1.1") && !m(&exact, "5.1.10"));
        assert!(m(&class, "5.7.1") && m(&class, "5.7.606") && !m(&class, "4.7.1"));
        assert!(m(&ranged, "5.7.606") && !m(&ranged, "5.7.60"));
        // No pattern matches a status that is not three runs of at most four digits.
        assert!(!m(&class, "5.7.12345") && !m(&class, "5.7.x") && !m(&class, "5.7.1.1"));
        assert!(exact.specificity > class.specificity);
        assert!(StatusPattern::parse("5.1").is_none());
        assert!(StatusPattern::parse("5.x.1").is_none());
    }

    #[test]
    fn effective_status_prefers_the_code_inside_a_generic_dsn_status() {
        assert_eq!(effective(Some("5.0.0"), "550 5.1.1 no"), Some("5.1.1"));
        assert_eq!(effective(Some("5.7.1"), "550 5.1.1 no"), Some("5.7.1"));
        assert_eq!(effective(None, "no such user (#5.1.1)."), Some("5.1.1"));
        // An IP address is not a status.
        assert_eq!(effective(None, "host 10.5.1.0 said no"), None);
        assert_eq!(effective(Some("4.0.0"), "550 5.1.1 x"), Some("4.0.0"));
    }
}
