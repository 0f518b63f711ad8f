//! Live checks from a bounce: DNS (MX, null MX, A/AAAA, SPF, DMARC, PTR with forward
//! confirmation), DNS blocklists validated as RFC 5782 says, SPF evaluated for the sending IP,
//! and SMTP conversations with the recipient's MX and the customer's submission server.
//!
//! Everything that comes back from the network is untrusted: each result's text passes
//! through [`crate::sanitize::for_display`] when the result is made ([`CheckResult::new`]),
//! so no terminal, clipboard, ticket or summary ever sees a server's raw bytes. Every
//! conversation is bounded (line and reply caps, DNS answer caps, a deadline per check and
//! one for the whole run) and a limit that is hit ends the check as an `error` naming it.
//!
//! No ratatui or crossterm here: the TUI starts a run ([`run::spawn`]) and draws what lands.

pub mod dns;
pub mod dnsbl;
pub mod plan;
pub mod run;
pub mod smtp;
pub mod tls;

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sanitize;

pub use dnsbl::DnsblZone;
pub use plan::{Check, plan};
pub use run::{RunHandle, run_blocking, spawn, spawn_notifying};

/// What a check found. `error` means the check could not give an answer (no network, a
/// timeout, a limit hit), never that the thing checked is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

/// One check's outcome; serialises to exactly the `check --json` contract's keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The check's stable id (`recipient-mx`, `dnsbl`, ...); playbook steps name it.
    pub check: String,
    /// What was checked (a domain, an IP, `host:port`, `ip @ zone`).
    pub target: String,
    pub status: Status,
    /// One line for the agent: what was found and why it matters.
    pub detail: String,
    /// The answers behind the detail (records, reply lines), already made safe.
    #[serde(default)]
    pub answers: Vec<String>,
    /// Which resolver answered (`127.0.0.1:5353`, `system: 10.0.0.2`).
    pub resolver: String,
    pub elapsed_ms: u64,
}

/// Longest detail kept: a server's text is quoted in it, and a result is one line.
const MAX_DETAIL_CHARS: usize = 400;
/// Longest answer item kept (a 64 KB TXT record is not shown whole).
const MAX_ANSWER_CHARS: usize = 300;
/// Longest target kept (a domain is at most 253 characters).
const MAX_TARGET_CHARS: usize = 300;
/// Most answer items kept per result.
const MAX_ANSWERS: usize = 40;

impl CheckResult {
    /// The one way a result is made: every text field is sanitised and capped here, so no
    /// check can forget to.
    pub fn new(
        check: &str,
        target: &str,
        status: Status,
        detail: &str,
        answers: Vec<String>,
        resolver: &str,
        elapsed: Duration,
    ) -> CheckResult {
        let total = answers.len();
        let mut kept: Vec<String> = answers
            .iter()
            .take(MAX_ANSWERS)
            .map(|a| clean_line(a, MAX_ANSWER_CHARS))
            .collect();
        if total > MAX_ANSWERS {
            kept.push(format!("... {} more not shown", total - MAX_ANSWERS));
        }
        CheckResult {
            check: clean_line(check, 64),
            target: clean_line(target, MAX_TARGET_CHARS),
            status,
            detail: clean_line(detail, MAX_DETAIL_CHARS),
            answers: kept,
            resolver: clean_line(resolver, 120),
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// This result with every text field passed through the sanitiser again: for results
    /// read back from a ticket file someone may have edited.
    pub fn resanitised(&self) -> CheckResult {
        let mut r = CheckResult::new(
            &self.check,
            &self.target,
            self.status,
            &self.detail,
            self.answers.clone(),
            &self.resolver,
            Duration::ZERO,
        );
        r.elapsed_ms = self.elapsed_ms;
        r
    }
}

/// Sanitise untrusted text into one display line of at most `max` characters: escape
/// sequences removed and controls made visible by [`sanitize::for_display`] (the one
/// sanitiser), line breaks shown as ` | `.
pub fn clean_line(text: &str, max: usize) -> String {
    // Cap before sanitising too, so a megabyte answer costs no more than its shown part.
    let head = match text.char_indices().nth(max.saturating_mul(4)) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let shown = sanitize::for_display(head);
    let mut out = String::with_capacity(shown.len().min(max * 4));
    let mut n = 0;
    let mut cut = head.len() < text.len();
    for c in shown.trim_end_matches('\n').chars() {
        if n >= max {
            cut = true;
            break;
        }
        if c == '\n' {
            out.push_str(" | ");
            n += 3;
        } else {
            out.push(c);
            n += 1;
        }
    }
    if cut {
        out.push('…');
    }
    out
}

/// Limits on every conversation. The defaults suit a live ticket; tests shorten them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Deadline for one check, whatever it waits on.
    pub check: Duration,
    /// Deadline for the whole run: what has not landed then ends as an error.
    pub run: Duration,
    /// One DNS query (the resolver's own timeout).
    pub dns_query: Duration,
    /// Opening a TCP connection.
    pub connect: Duration,
    /// Waiting for one whole SMTP reply (all its lines).
    pub reply: Duration,
    /// One SMTP reply line, CRLF included (RFC 5321 §4.5.3.1.5: 512 octets).
    pub line_bytes: usize,
    /// Lines in one multi-line SMTP reply (an endless `220-` greeting is cut here).
    pub reply_lines: usize,
    /// Records kept from one DNS answer.
    pub dns_records: usize,
    /// Bytes of record data accepted in one DNS answer.
    pub dns_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            check: Duration::from_secs(20),
            run: Duration::from_secs(45),
            dns_query: Duration::from_secs(4),
            connect: Duration::from_secs(8),
            reply: Duration::from_secs(10),
            line_bytes: 512,
            reply_lines: 100,
            dns_records: 50,
            dns_bytes: 16 * 1024,
        }
    }
}

impl Limits {
    /// Deadlines scaled around a per-check deadline `check`.
    pub fn with_check_deadline(mut self, check: Duration) -> Limits {
        self.check = check;
        self.run = check * 2 + Duration::from_millis(500);
        self.dns_query = (check / 4).max(Duration::from_millis(100));
        self.connect = (check / 2).max(Duration::from_millis(100));
        self.reply = (check / 2).max(Duration::from_millis(100));
        self
    }
}

/// `127.0.0.1`, `127.0.0.1:5353`, `::1`, `[::1]:5353` (port 53 when none is given).
pub fn parse_resolver(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Some(addr);
    }
    text.trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, 53))
}

/// Which resolver the run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolverChoice {
    /// The machine's own configuration (`/etc/resolv.conf`).
    System,
    /// One server, `--resolver ADDR[:PORT]`.
    Addr(SocketAddr),
}

/// Everything a run needs besides the plan.
#[derive(Debug, Clone)]
pub struct Config {
    pub resolver: ResolverChoice,
    /// `--smtp-port`: replaces port 25 (MX) and 587 (submission); 465 is then not tried.
    pub smtp_port: Option<u16>,
    pub no_smtp: bool,
    pub limits: Limits,
    pub dnsbl: Vec<DnsblZone>,
    /// Extra trusted roots (DER) besides the Mozilla set, for test certificates.
    pub extra_roots: Vec<Vec<u8>>,
    /// The name given in EHLO and reported as "from which host".
    pub host: String,
}

/// Environment variables that override `config.yaml`'s `checks:` section (tests point the
/// checks at loopback servers with them).
pub const RESOLVER_VAR: &str = "BOUNCEBOOK_RESOLVER";
pub const SMTP_PORT_VAR: &str = "BOUNCEBOOK_SMTP_PORT";
pub const TIMEOUT_VAR: &str = "BOUNCEBOOK_CHECK_TIMEOUT_MS";

impl Config {
    /// The configuration the TUI and `bouncebook check` start from: the defaults, then
    /// `<config dir>/config.yaml`'s `checks:` section, then the environment variables
    /// ([`RESOLVER_VAR`], [`SMTP_PORT_VAR`], [`TIMEOUT_VAR`]), and the blocklists of
    /// `<config dir>/dnsbl.txt`. Returns what could not be used, for the caller to show; what
    /// is unusable falls back to the default, never stops the checks.
    pub fn configured(config_dir: Option<&std::path::Path>) -> (Config, Vec<String>) {
        let mut problems = Vec::new();
        let file = match crate::settings::load(config_dir) {
            Ok(s) => s.checks,
            Err(e) => {
                problems.push(format!("{e}; the checks use their defaults"));
                crate::settings::CheckSettings::default()
            }
        };
        let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut bad_env = |name: &str, value: &str| {
            problems.push(format!("{name}={value:?} is not usable; ignored"));
        };
        let mut resolver = file.resolver;
        if let Some(v) = from_env(RESOLVER_VAR) {
            match parse_resolver(&v) {
                Some(a) => resolver = Some(a),
                None => bad_env(RESOLVER_VAR, &v),
            }
        }
        let mut smtp_port = file.smtp_port;
        if let Some(v) = from_env(SMTP_PORT_VAR) {
            match v.trim().parse::<u16>() {
                Ok(p) if p > 0 => smtp_port = Some(p),
                _ => bad_env(SMTP_PORT_VAR, &v),
            }
        }
        let mut timeout = file.timeout;
        if let Some(v) = from_env(TIMEOUT_VAR) {
            match v.trim().parse::<u64>() {
                Ok(ms) if ms > 0 => timeout = Some(Duration::from_millis(ms)),
                _ => bad_env(TIMEOUT_VAR, &v),
            }
        }
        let mut config = Config::new(resolver.map_or(ResolverChoice::System, ResolverChoice::Addr));
        config.smtp_port = smtp_port;
        if let Some(t) = timeout {
            config.limits = config.limits.with_check_deadline(t);
        }
        let (zones, zone_problems) = dnsbl::load_zones(config_dir);
        config.dnsbl = zones;
        problems.extend(
            zone_problems
                .into_iter()
                .map(|p| format!("dnsbl zone skipped: {p}")),
        );
        (config, problems)
    }

    pub fn new(resolver: ResolverChoice) -> Config {
        Config {
            resolver,
            smtp_port: None,
            no_smtp: false,
            limits: Limits::default(),
            dnsbl: dnsbl::default_zones(),
            extra_roots: Vec::new(),
            host: local_host_name(),
        }
    }
}

/// A finished (or running) set of checks as the ticket keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRun {
    /// Which record (recipient) of the bounce the checks were for.
    #[serde(default)]
    pub record: usize,
    pub started: DateTime<Utc>,
    /// The host the checks ran from.
    pub host: String,
    pub resolver: String,
    #[serde(default)]
    pub results: Vec<CheckResult>,
    /// How many checks were planned (results may still be landing).
    #[serde(default)]
    pub planned: usize,
}

impl CheckRun {
    /// The result of check `id`, the worst one when several share the id (one per zone).
    pub fn result_for(&self, id: &str) -> Option<&CheckResult> {
        self.results
            .iter()
            .filter(|r| r.check == id)
            .max_by_key(|r| severity(r.status))
    }
}

/// Order of badness, for "the worst result".
pub fn severity(status: Status) -> u8 {
    match status {
        Status::Ok => 0,
        Status::Warn => 1,
        Status::Error => 2,
        Status::Fail => 3,
    }
}

/// This machine's host name (for EHLO and "from which host").
pub fn local_host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "localhost".to_string();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).into_owned();
    if name.is_empty() {
        "localhost".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_sanitised_and_capped() {
        let r = CheckResult::new(
            "recipient-smtp",
            "mx\u{1b}]52;c;aGk=\u{7}.example:25",
            Status::Error,
            "banner \u{1b}[31mred\u{1b}[0m\nsecond\u{202e}",
            vec!["x".repeat(10_000), "\u{9b}2Jok".into()],
            "127.0.0.1:53",
            Duration::from_millis(1500),
        );
        assert_eq!(r.target, "mx.example:25");
        assert_eq!(r.detail, "banner red | second<U+202E>");
        assert_eq!(r.answers[0].chars().count(), MAX_ANSWER_CHARS + 1);
        assert_eq!(r.answers[1], "ok");
        assert_eq!(r.elapsed_ms, 1500);
    }

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let r = CheckResult::new("a", "b", Status::Ok, "c", vec![], "r", Duration::ZERO);
        let v = serde_json::to_value(&r).unwrap_or_default();
        let mut keys: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "answers",
                "check",
                "detail",
                "elapsed_ms",
                "resolver",
                "status",
                "target"
            ]
        );
    }

    #[test]
    fn resolver_forms() {
        assert_eq!(
            parse_resolver("127.0.0.1:5353"),
            "127.0.0.1:5353".parse().ok()
        );
        assert_eq!(parse_resolver("127.0.0.1"), "127.0.0.1:53".parse().ok());
        assert_eq!(parse_resolver("[::1]:54"), "[::1]:54".parse().ok());
        assert_eq!(parse_resolver("::1"), "[::1]:53".parse().ok());
        assert_eq!(parse_resolver("dns.example"), None);
    }

    #[test]
    fn many_answers_are_counted_not_kept() {
        let answers: Vec<String> = (0..500).map(|i| i.to_string()).collect();
        let r = CheckResult::new("t", "t", Status::Ok, "", answers, "", Duration::ZERO);
        assert_eq!(r.answers.len(), MAX_ANSWERS + 1);
        assert_eq!(r.answers[MAX_ANSWERS], "... 460 more not shown");
    }
}
