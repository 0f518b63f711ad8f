//! DNS blocklists: which zones to ask (configurable), and how to read their answers as
//! RFC 5782 says. A zone is trusted only when it lists its test address 127.0.0.2 and does
//! not list 127.0.0.1; Spamhaus-style `127.255.255.x` answers are errors (the query was
//! refused, typically because it came through a public resolver), not listings; an answer
//! outside 127/8 means a resolver that rewrites NXDOMAIN, so nothing it says counts.

use std::net::Ipv4Addr;
use std::path::Path;

/// One blocklist zone and where a listed sender asks to be removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsblZone {
    pub zone: String,
    pub removal: Option<String>,
}

/// The lists asked when the agent configured none: widely used, free for low-volume
/// lookups, each with its own removal page.
pub fn default_zones() -> Vec<DnsblZone> {
    [
        ("zen.spamhaus.org", "https://check.spamhaus.org/"),
        ("bl.spamcop.net", "https://www.spamcop.net/bl.shtml"),
        (
            "b.barracudacentral.org",
            "https://www.barracudacentral.org/rbl/removal-request",
        ),
        ("psbl.surriel.com", "https://psbl.org/remove"),
    ]
    .into_iter()
    .map(|(zone, removal)| DnsblZone {
        zone: zone.to_string(),
        removal: Some(removal.to_string()),
    })
    .collect()
}

/// The file that replaces the default list: `<config dir>/dnsbl.txt`, one zone per line,
/// optionally followed by its removal page; `#` starts a comment.
pub const ZONES_FILE: &str = "dnsbl.txt";

/// Read the zone list from `config_dir/dnsbl.txt` when it exists; the defaults otherwise.
/// A line that is not a zone name is reported and skipped.
pub fn load_zones(config_dir: Option<&Path>) -> (Vec<DnsblZone>, Vec<String>) {
    let Some(path) = config_dir.map(|d| d.join(ZONES_FILE)) else {
        return (default_zones(), Vec::new());
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (default_zones(), Vec::new());
    };
    parse_zones(&text, &path.display().to_string())
}

/// Parse a zones file's text; problems name `source:line`.
pub fn parse_zones(text: &str, source: &str) -> (Vec<DnsblZone>, Vec<String>) {
    let mut zones = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let zone = parts
            .next()
            .unwrap_or("")
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let valid = !zone.is_empty()
            && zone.len() <= 200
            && zone.contains('.')
            && zone
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !valid {
            problems.push(format!("{source}:{}: not a zone name: {zone:?}", n + 1));
            continue;
        }
        zones.push(DnsblZone {
            zone,
            removal: parts.next().map(str::to_string),
        });
    }
    (zones, problems)
}

/// What one A answer from a zone means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// NXDOMAIN (or no A record): not listed.
    NotListed,
    /// Listed, with the return codes (all in 127/8).
    Listed(Vec<Ipv4Addr>),
    /// `127.255.255.x`: the list refused the query; the code says why.
    QueryRefused(Ipv4Addr),
    /// An address outside 127/8: the resolver rewrites answers.
    Rewritten(Ipv4Addr),
}

/// Read the addresses a zone answered for one query.
pub fn read_answer(addrs: &[Ipv4Addr]) -> Reading {
    if addrs.is_empty() {
        return Reading::NotListed;
    }
    if let Some(a) = addrs.iter().find(|a| a.octets()[0] != 127) {
        return Reading::Rewritten(*a);
    }
    if let Some(a) = addrs
        .iter()
        .find(|a| a.octets()[1] == 255 && a.octets()[2] == 255)
    {
        return Reading::QueryRefused(*a);
    }
    Reading::Listed(addrs.to_vec())
}

/// Why a `127.255.255.x` answer came back (Spamhaus's documented codes).
pub fn refusal_reason(code: Ipv4Addr) -> &'static str {
    match code.octets()[3] {
        252 => "the query was malformed (typing error in the DNSBL name)",
        254 => "queries through a public/open resolver are refused; use your own resolver",
        255 => "too many queries from this resolver",
        _ => "the list refused to answer this query",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
    }

    #[test]
    fn answers_read_as_rfc_5782_says() {
        assert_eq!(read_answer(&[]), Reading::NotListed);
        assert_eq!(
            read_answer(&[ip("127.0.0.2")]),
            Reading::Listed(vec![ip("127.0.0.2")])
        );
        assert_eq!(
            read_answer(&[ip("127.255.255.254")]),
            Reading::QueryRefused(ip("127.255.255.254"))
        );
        assert_eq!(
            read_answer(&[ip("127.0.0.4"), ip("198.51.100.7")]),
            Reading::Rewritten(ip("198.51.100.7"))
        );
    }

    #[test]
    fn zones_file_parses_and_reports_bad_lines() {
        let (zones, problems) = parse_zones(
            "# mine\nbl.test.example https://remove.example/  # comment\n\nnot_a zone\nZEN.Example.\n",
            "dnsbl.txt",
        );
        assert_eq!(
            zones,
            vec![
                DnsblZone {
                    zone: "bl.test.example".into(),
                    removal: Some("https://remove.example/".into())
                },
                DnsblZone {
                    zone: "zen.example".into(),
                    removal: None
                }
            ]
        );
        assert_eq!(problems, vec!["dnsbl.txt:4: not a zone name: \"not_a\""]);
    }
}
