//! `bouncebook check [--json] [--resolver ADDR[:PORT]] [--smtp-port PORT] [--no-smtp]
//! (FILE | - | --ticket ID)`: the live checks for every record of a bounce, printed as they
//! land. Exit 0 when checks ran (whatever they found), 1 when none could, 2 for usage.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use bouncebook::bounce;
use bouncebook::cause;
use bouncebook::checks::CheckRun;
use bouncebook::checks::{self, Check, CheckResult, Config, ResolverChoice, Status};
use bouncebook::classify::Classifier;
use bouncebook::paths;
use bouncebook::playbook;
use bouncebook::redact::redact;
use bouncebook::ticket::{self, OpenError, OpenTicket, Ticket};
use chrono::Utc;

use super::input::read_path;
use crate::CheckArgs;

/// Exit code for "none of the checks could run".
const NONE_RAN: u8 = 1;
/// Exit code for usage errors (clap uses it too).
const USAGE: u8 = 2;

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let resolver = match args.resolver.as_deref() {
        None => None,
        Some(text) => match checks::parse_resolver(text) {
            Some(addr) => Some(ResolverChoice::Addr(addr)),
            None => {
                eprintln!(
                    "bouncebook: --resolver {text:?}: give an IP address, optionally with :PORT (127.0.0.1:5353, [::1]:53)"
                );
                return Ok(ExitCode::from(USAGE));
            }
        },
    };
    // With --ticket the ticket is opened as the TUI opens it (lock first), so the results
    // can be saved into it; a ticket open in a TUI is checked but left alone.
    let mut opened: Option<OpenTicket> = None;
    let text = match (&args.ticket, &args.file) {
        (Some(id), _) => {
            let (text, ticket) = open_ticket(id)?;
            opened = ticket;
            text
        }
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

    // Flags over the environment over config.yaml over the defaults.
    let (mut config, problems) = Config::configured(paths::config_dir().as_deref());
    for p in problems {
        eprintln!("bouncebook: {p}");
    }
    if let Some(r) = resolver {
        config.resolver = r;
    }
    if args.smtp_port.is_some() {
        config.smtp_port = args.smtp_port;
    }
    config.no_smtp = args.no_smtp;

    let set = playbook::load(paths::config_dir().as_deref(), &[]);
    let classifier = Classifier::new(&set);
    // Each record's own plan (kept for saving), and the run's: every check once.
    let mut per_record: Vec<Vec<Check>> = Vec::new();
    let mut plan: Vec<Check> = Vec::new();
    for (index, record) in bounce.records.iter().enumerate() {
        let diagnosis = classifier.classify(record);
        // The cause in force: the agent's when one was set on the ticket, as in the TUI.
        let variation = match &opened {
            Some(o) => cause::cause_of(&o.ticket, index, record, &diagnosis)
                .variation
                .to_string(),
            None => diagnosis.variation.clone(),
        };
        let mine = checks::plan(&bounce, record, Some(&variation), &config);
        for c in &mine {
            if !plan.contains(c) {
                plan.push(c.clone());
            }
        }
        per_record.push(mine);
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
    let (started, host, resolver) = (handle.started, handle.host.clone(), handle.resolver.clone());
    drop(handle);
    if let Some(mut o) = opened {
        for (record, mine) in per_record.iter().enumerate() {
            if mine.is_empty() {
                continue;
            }
            let kept: Vec<CheckResult> = results
                .iter()
                .filter(|r| mine.iter().any(|c| c.produced(r)))
                .cloned()
                .collect();
            o.ticket.checks.retain(|run| run.record != record);
            o.ticket.checks.push(CheckRun {
                record,
                started,
                host: host.clone(),
                resolver: resolver.clone(),
                results: kept,
                planned: mine.len(),
            });
        }
        o.ticket.updated = Utc::now();
        if let Err(e) = o.handle.save(&o.ticket) {
            eprintln!(
                "bouncebook: results not saved into ticket {}: {e}",
                o.ticket.id
            );
        } else {
            eprintln!("bouncebook: results saved into ticket {}", o.ticket.id);
        }
    }
    if results.iter().all(|r| r.status == Status::Error) {
        eprintln!("bouncebook: no check could run (see each check's detail)");
        return Ok(ExitCode::from(NONE_RAN));
    }
    Ok(ExitCode::SUCCESS)
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

/// The bounce of a saved ticket, and the ticket opened for writing (its lock held) so the
/// results can be saved into it. A ticket open in a TUI is read without the lock and not
/// written (the TUI would overwrite the results with its own state, and `d` there runs the
/// same checks): the agent is told so.
fn open_ticket(id: &str) -> Result<(String, Option<OpenTicket>)> {
    if !ticket::is_valid_id(id) {
        bail!("invalid ticket id {id:?}: use letters, digits, '-', '_' and '.'");
    }
    let dir = paths::data_dir().context("no data directory (set BOUNCEBOOK_DATA_DIR)")?;
    let path = ticket::tickets_dir(&dir).join(format!("{id}.json"));
    if !path.exists() {
        bail!("no ticket {id} ({} does not exist)", path.display());
    }
    match ticket::open(&dir, id, Utc::now()) {
        Ok(o) => {
            for notice in &o.notices {
                eprintln!("bouncebook: {notice}");
            }
            let Some(text) = o.ticket.bounce.clone() else {
                bail!("ticket {id} holds no bounce yet");
            };
            Ok((text, Some(o)))
        }
        Err(OpenError::Locked { .. }) => {
            eprintln!(
                "bouncebook: ticket {id} is open in another bouncebook: checking it, but the results are only printed (press d there to keep them)"
            );
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read ticket {id} ({})", path.display()))?;
            let t: Ticket = serde_json::from_str(&text).with_context(|| {
                format!(
                    "ticket {id} ({}) is not a valid ticket file",
                    path.display()
                )
            })?;
            let text = t
                .bounce
                .with_context(|| format!("ticket {id} holds no bounce yet"))?;
            Ok((text, None))
        }
        Err(e) => Err(e.into()),
    }
}
