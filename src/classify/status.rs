//! Enhanced status codes (RFC 3463): the patterns playbooks list, and the code a record's
//! response actually carries.

/// `5.1.1`, `5.7.*`, `5.7.6??`: three dot-separated parts of digits, `?` (one digit) and `*`
/// (any digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatusPattern {
    parts: [Part; 3],
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

impl StatusPattern {
    pub fn parse(s: &str) -> Option<StatusPattern> {
        let pieces: Vec<&str> = s.trim().split('.').collect();
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
