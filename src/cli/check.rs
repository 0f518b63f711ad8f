//! `bouncebook check [--json] [--resolver ADDR[:PORT]] [--smtp-port PORT] [--no-smtp]
//! (FILE | - | --ticket ID)`: the live checks for every record of a bounce, printed as they
//! land. Exit 0 when checks ran (whatever they found), 1 when none could, 2 for usage.

use std::io::{ErrorKind, Write};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use bouncebook::bounce;
use bouncebook::checks::{self, Check, CheckResult, Config, ResolverChoice, Status, dnsbl};
use bouncebook::classify::Classifier;
use bouncebook::paths;
use bouncebook::playbook;
use bouncebook::redact::redact;
use bouncebook::ticket::Ticket;

use super::input::read_path;
use crate::CheckArgs;

/// Exit code for "none of the checks could run".
const NONE_RAN: u8 = 1;
/// Exit code for usage errors (clap uses it too).
const USAGE: u8 = 2;

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let resolver = match args.resolver.as_deref() {
        None => ResolverChoice::System,
        Some(text) => match parse_resolver(text) {
            Some(addr) => ResolverChoice::Addr(addr),
            None => {
                eprintln!(
                    "bouncebook: --resolver {text:?}: give an IP address, optionally with :PORT (127.0.0.1:5353, [::1]:53)"
                );
                return Ok(ExitCode::from(USAGE));
            }
        },
    };
    let text = match (&args.ticket, &args.file) {
        (Some(id), _) => load_ticket_bounce(id)?,
        (None, Some(path)) => {
            let bytes = read_path(path)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            redact(&text).0
        }
        (None, None) => {
            eprintln!("bouncebook: give a bounce FILE (or - for stdin) or --ticket ID");
            return Ok(ExitCode::from(USAGE));
        }
    };
    let bounce = match bounce::parse(text.as_bytes()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bouncebook: nothing to check: {e}");
            return Ok(ExitCode::from(NONE_RAN));
        }
    };

    let mut config = Config::new(resolver);
    config.smtp_port = args.smtp_port;
    config.no_smtp = args.no_smtp;
    config.limits = checks::Limits::from_env();
    let (zones, problems) = dnsbl::load_zones(paths::config_dir().as_deref());
    for p in problems {
        eprintln!("bouncebook: dnsbl zone skipped: {p}");
    }
    config.dnsbl = zones;

    let set = playbook::load(paths::config_dir().as_deref(), &[]);
    let classifier = Classifier::new(&set);
    let mut plan: Vec<Check> = Vec::new();
    for record in &bounce.records {
        let variation = classifier.classify(record).variation;
        for c in checks::plan(&bounce, record, Some(&variation), &config) {
            if !plan.contains(&c) {
                plan.push(c);
            }
        }
    }
    if plan.is_empty() {
        eprintln!(
            "bouncebook: nothing to check: the bounce names no recipient or sender domain and no sending IP"
        );
        return Ok(ExitCode::from(NONE_RAN));
    }

    let planned = plan.len();
    let handle = checks::spawn(plan, config, None);
    let mut out = std::io::stdout().lock();
    if !args.json {
        let header = format!(
            "Checks run at {} from {} (resolver {}): {planned} checks\n",
            handle.started.format("%Y-%m-%d %H:%M:%S UTC"),
            checks::clean_line(&handle.host, 100),
            checks::clean_line(&handle.resolver, 100),
        );
        write_out(&mut out, &header)?;
    }
    let mut results: Vec<CheckResult> = Vec::new();
    while let Ok(event) = handle.events.recv() {
        let checks::run::Event::Result(r) = event else {
            break;
        };
        let text = if args.json {
            let mut line = serde_json::to_string(&r).context("cannot encode a result")?;
            line.push('\n');
            line
        } else {
            text_block(&r)
        };
        write_out(&mut out, &text)?;
        results.push(r);
    }
    drop(handle);
    if results.iter().all(|r| r.status == Status::Error) {
        eprintln!("bouncebook: no check could run (see each check's detail)");
        return Ok(ExitCode::from(NONE_RAN));
    }
    Ok(ExitCode::SUCCESS)
}

/// `127.0.0.1`, `127.0.0.1:5353`, `::1`, `[::1]:5353`.
fn parse_resolver(text: &str) -> Option<SocketAddr> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Some(addr);
    }
    text.trim_matches(['[', ']'])
        .parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, 53))
}

fn text_block(r: &CheckResult) -> String {
    let mut s = format!(
        "[{:<5}] {:<15} {}: {} ({} ms)\n",
        r.status.as_str(),
        r.check,
        r.target,
        r.detail,
        r.elapsed_ms
    );
    for a in &r.answers {
        s.push_str("          ");
        s.push_str(a);
        s.push('\n');
    }
    s
}

fn write_out(out: &mut impl Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// The bounce of a saved ticket (read only: the check results of the CLI are printed, not
/// written into the ticket, so a ticket open in the TUI is never raced).
fn load_ticket_bounce(id: &str) -> Result<String> {
    if !bouncebook::ticket::is_valid_id(id) {
        bail!("invalid ticket id {id:?}: use letters, digits, '-', '_' and '.'");
    }
    let dir = paths::data_dir().context("no data directory (set BOUNCEBOOK_DATA_DIR)")?;
    let path = bouncebook::ticket::tickets_dir(&dir).join(format!("{id}.json"));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read ticket {id} ({})", path.display()))?;
    let ticket: Ticket = serde_json::from_str(&text).with_context(|| {
        format!(
            "ticket {id} ({}) is not a valid ticket file",
            path.display()
        )
    })?;
    ticket
        .bounce
        .with_context(|| format!("ticket {id} holds no bounce yet"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
