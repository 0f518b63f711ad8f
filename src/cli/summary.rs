//! `bouncebook summary (--ticket ID | FILE|-) [--format text|markdown] [--copy]`: print the
//! escalation summary of a saved ticket or of a bounce file, and optionally copy it.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use bouncebook::bounce::{self, Bounce, ParseError};
use bouncebook::cause;
use bouncebook::classify::Classifier;
use bouncebook::clipboard::Clipboard;
use bouncebook::paths;
use bouncebook::playbook;
use bouncebook::redact::redact;
use bouncebook::summary::{self, SummaryContext, SummaryFormat};
use bouncebook::ticket::Ticket;
use chrono::Utc;

use crate::{FormatArg, SummaryArgs};

use super::input::read_path;

pub fn run(args: &SummaryArgs) -> Result<ExitCode> {
    let now = Utc::now();
    let ticket = match (&args.ticket, &args.file) {
        (Some(id), _) => load_ticket(id)?,
        (None, Some(path)) => ticket_from_file(path, now)?,
        (None, None) => bail!("give a bounce FILE (or - for stdin) or --ticket ID"),
    };
    let bounce = parse_ticket_bounce(&ticket);

    let set = playbook::load(paths::config_dir().as_deref(), &args.playbooks);
    for problem in &set.problems {
        eprintln!("bouncebook: playbook skipped: {problem}");
    }
    let record_index = ticket.selected_record;
    let record = bounce
        .as_ref()
        .and_then(|b| b.records.get(record_index).or_else(|| b.records.last()));
    let classifier = Classifier::new(&set);
    let diagnoses: Vec<_> = bounce
        .as_ref()
        .map(|b| b.records.iter().map(|r| classifier.classify(r)).collect())
        .unwrap_or_default();
    let diagnosis = record.map(|r| classifier.classify(r));
    // The checklist of the cause in force: the agent's when one was set with `v`.
    let record_at = bounce.as_ref().and_then(|b| {
        let index = record_index.min(b.records.len().checked_sub(1)?);
        Some((index, &b.records[index]))
    });
    let variation = record_at
        .zip(diagnosis.as_ref())
        .map(|((i, r), d)| cause::cause_of(&ticket, i, r, d).variation.to_string());
    let playbook = variation.as_deref().and_then(|v| set.get(v));

    let format = match args.format {
        FormatArg::Text => SummaryFormat::Text,
        FormatArg::Markdown => SummaryFormat::Markdown,
        FormatArg::Jira => SummaryFormat::Jira,
    };
    let ctx = SummaryContext {
        ticket: &ticket,
        bounce: bounce.as_ref(),
        record: record_index,
        diagnosis: diagnosis.as_ref(),
        playbook,
        now,
        diagnoses: &diagnoses,
        playbooks: Some(&set),
        include_reply: args.reply,
    };
    let text = summary::render(&ctx, format);
    print_stdout(&text)?;

    if !args.copy {
        return Ok(ExitCode::SUCCESS);
    }
    let mut clipboard = Clipboard::new(paths::data_dir());
    let report = clipboard.copy(&text);
    eprintln!("bouncebook: {}", report.message);
    if let Some(note) = clipboard.finish_report() {
        eprintln!("bouncebook: {note}");
    }
    Ok(if report.via.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A bounce file summarised without a saved ticket: redacted at once, so no secret is held
/// longer than the read.
fn ticket_from_file(path: &Path, now: chrono::DateTime<Utc>) -> Result<Ticket> {
    let bytes = read_path(path)?;
    let text = String::from_utf8_lossy(&bytes);
    if text.trim().is_empty() {
        bail!("{}: {}", source_name(path), ParseError::Empty);
    }
    let (redacted, _) = redact(&text);
    let mut ticket = Ticket::new(format!("unsaved ({})", source_name(path)), now);
    ticket.bounce = Some(redacted);
    Ok(ticket)
}

fn source_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Parse the ticket's (already redacted) bounce; a bounce that cannot be parsed still gets a
/// summary, with the fields it could not give marked unknown.
fn parse_ticket_bounce(ticket: &Ticket) -> Option<Bounce> {
    let text = ticket.bounce.as_deref()?;
    let (redacted, _) = redact(text);
    match bounce::parse(redacted.as_bytes()) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!(
                "bouncebook: the bounce could not be parsed ({e}); summarising what there is"
            );
            None
        }
    }
}

/// Read `<data dir>/tickets/<id>.json`. A plain read for now; the ticket store in
/// src/ticket/ (locking, migration) will replace it.
fn load_ticket(id: &str) -> Result<Ticket> {
    let path = ticket_path(id)?;
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read ticket {id} ({})", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "ticket {id} ({}) is not a valid ticket file",
            path.display()
        )
    })
}

fn ticket_path(id: &str) -> Result<PathBuf> {
    let valid = !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        bail!("invalid ticket id {id:?}: use letters, digits, '-', '_' and '.'");
    }
    let dir = paths::data_dir().context("no data directory (set BOUNCEBOOK_DATA_DIR)")?;
    Ok(dir.join("tickets").join(format!("{id}.json")))
}

/// Print to stdout; a closed pipe (`| head`) is not an error worth a message.
fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
