//! Enhanced status codes (RFC 3463): the patterns playbooks list, and the code a record's
//! response actually carries.

/// `5.1.1`, `5.7.*`, `5.7.6??`: three dot-separated parts of digits, `?` (one digit) and `*`
/// (any digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatusPattern {
    parts: [String; 3],
    /// Literal digits in the pattern: the more, the more specific the evidence.
    pub specificity: usize,
}

impl StatusPattern {
    pub fn parse(s: &str) -> Option<StatusPattern> {
        let pieces: Vec<&str> = s.trim().split('.').collect();
        let [a, b, c] = pieces.as_slice() else {
            return None;
        };
        let parts = [*a, *b, *c].map(str::to_string);
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
        Some(StatusPattern { parts, specificity })
    }

    pub fn matches(&self, status: &str) -> bool {
        let mut got = status.split('.');
        let ok = self
            .parts
            .iter()
            .all(|p| got.next().is_some_and(|g| glob(p.as_bytes(), g.as_bytes())));
        ok && got.next().is_none()
    }
}

/// Digits-only glob; both sides are a few bytes long, so the plain recursion is cheap.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    if text.len() > 4 || !text.iter().all(u8::is_ascii_digit) {
        return false;
    }
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
pub(super) fn effective(recorded: Option<&str>, text: &str) -> Option<String> {
    let recorded = recorded.map(str::trim).filter(|s| looks_like_status(s));
    let generic = recorded.is_none_or(|s| s.ends_with(".0.0"));
    if !generic {
        return recorded.map(str::to_string);
    }
    let class = recorded.and_then(|s| s.chars().next());
    let inner = first_in_text(text).filter(|s| class.is_none_or(|c| s.starts_with(c)));
    inner.or_else(|| recorded.map(str::to_string))
}

/// The first `D.DDD.DDD` in `text` that stands alone (not part of an IP address or version).
fn first_in_text(text: &str) -> Option<String> {
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
            return Some(token.to_string());
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
        assert!(exact.matches("5.1.1") && !exact.matches("5.1.10"));
        assert!(class.matches("5.7.1") && class.matches("5.7.606") && !class.matches("4.7.1"));
        assert!(ranged.matches("5.7.606") && !ranged.matches("5.7.60"));
        assert!(exact.specificity > class.specificity);
        assert!(StatusPattern::parse("5.1").is_none());
        assert!(StatusPattern::parse("5.x.1").is_none());
    }

    #[test]
    fn effective_status_prefers_the_code_inside_a_generic_dsn_status() {
        assert_eq!(
            effective(Some("5.0.0"), "550 5.1.1 no").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(
            effective(Some("5.7.1"), "550 5.1.1 no").as_deref(),
            Some("5.7.1")
        );
        assert_eq!(
            effective(None, "no such user (#5.1.1).").as_deref(),
            Some("5.1.1")
        );
        // An IP address is not a status.
        assert_eq!(effective(None, "host 10.5.1.0 said no"), None);
        assert_eq!(
            effective(Some("4.0.0"), "550 5.1.1 x").as_deref(),
            Some("4.0.0")
        );
    }
}
