//! `bouncebook tickets [--json]`: saved tickets, newest first, with the variation (from the
//! stored bounce, parsed and classified again) and the checklist progress.
//! `tickets delete ID...` and `tickets prune --older-than DURATION [--dry-run]` forget them.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use bouncebook::classify::Classifier;
use bouncebook::playbook::{self, PlaybookSet};
use bouncebook::ticket::{self, Ticket};
use bouncebook::{bounce, cause, paths, sanitize};
use chrono::Utc;
use serde::Serialize;

use crate::{TicketsArgs, TicketsCommand};

#[derive(Serialize)]
struct Row {
    id: String,
    updated: Option<String>,
    variation: Option<String>,
    done: usize,
    total: Option<usize>,
    records: usize,
    /// True when the agent set the cause by hand (`v`); `mark` then says what bouncebook said.
    agent_set: bool,
    mark: Option<String>,
    /// Every failed recipient of the bounce with the cause in force for it.
    recipients: Vec<RecipientRow>,
    error: Option<String>,
}

#[derive(Serialize)]
struct RecipientRow {
    recipient: Option<String>,
    cause: String,
    agent_set: bool,
}

pub fn run(args: &TicketsArgs) -> Result<ExitCode> {
    let data_dir =
        paths::data_dir().context("cannot find a data directory; set BOUNCEBOOK_DATA_DIR")?;
    match &args.command {
        None => list(args, &data_dir),
        Some(TicketsCommand::Delete { ids }) => delete(&data_dir, ids),
        Some(TicketsCommand::Prune {
            older_than,
            dry_run,
        }) => prune(&data_dir, *older_than, *dry_run),
        Some(TicketsCommand::Corrections { json, yaml }) => corrections(&data_dir, *json, *yaml),
    }
}

fn corrections(data_dir: &Path, json: bool, yaml: bool) -> Result<ExitCode> {
    let listed = ticket::list(data_dir)
        .with_context(|| format!("cannot list {}", ticket::tickets_dir(data_dir).display()))?;
    for l in &listed {
        if let Err(e) = &l.ticket {
            eprintln!("bouncebook: ticket {} skipped (unreadable: {e})", l.id);
        }
    }
    let found = cause::corrections(listed.iter().filter_map(|l| l.ticket.as_ref().ok()));
    let mut out = std::io::stdout().lock();
    if json {
        for c in &found {
            writeln!(out, "{}", serde_json::to_string(c)?)?;
        }
    } else if yaml {
        write!(out, "{}", cause::examples_yaml(&found))?;
    } else if found.is_empty() {
        writeln!(out, "no causes set by hand in {} tickets", listed.len())?;
    } else {
        for c in &found {
            let show = |v: Option<&str>| v.map_or_else(|| "unknown".to_string(), safe_line);
            writeln!(
                out,
                "ticket {} record {}  {}  {}",
                safe_line(&c.ticket),
                c.record,
                show(c.recipient.as_deref()),
                c.when.format("%Y-%m-%d %H:%M:%S UTC")
            )?;
            writeln!(
                out,
                "  server said:     {}",
                show(c.server_words.as_deref())
            )?;
            writeln!(
                out,
                "  bouncebook said: {} ({})",
                safe_line(&c.bouncebook_said),
                cause::percent(c.confidence)
            )?;
            writeln!(out, "  agent set:       {}", safe_line(&c.agent_set))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Untrusted text (from a pasted bounce) made safe for one terminal line.
fn safe_line(text: &str) -> String {
    sanitize::for_display(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn delete(data_dir: &Path, ids: &[String]) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for id in ids {
        match ticket::delete(data_dir, id) {
            Ok(gone) => writeln!(
                out,
                "deleted ticket {id} ({} file{})",
                gone.files.len(),
                if gone.files.len() == 1 { "" } else { "s" }
            )?,
            Err(e) => {
                failed = true;
                eprintln!("bouncebook: {e}");
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn prune(data_dir: &Path, older_than: ticket::Duration, dry_run: bool) -> Result<ExitCode> {
    let report = ticket::prune(data_dir, older_than, Utc::now(), dry_run)
        .with_context(|| format!("cannot list {}", ticket::tickets_dir(data_dir).display()))?;
    let age = ticket::format_duration(older_than);
    let verb = if dry_run { "would remove" } else { "removed" };
    let mut out = std::io::stdout().lock();
    for gone in &report.removed {
        let changed = gone.changed.map_or_else(
            || "unknown".to_string(),
            |c| c.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        );
        writeln!(out, "{verb} ticket {} (last changed {changed})", gone.id)?;
    }
    for path in &report.clipboard {
        writeln!(out, "{verb} copied summary {}", path.display())?;
    }
    for skipped in &report.skipped {
        writeln!(out, "kept ticket {}: {}", skipped.id, skipped.why)?;
    }
    let n = report.removed.len();
    writeln!(
        out,
        "{}: {n} ticket{} not changed for {age}{}",
        if dry_run { "dry run" } else { "pruned" },
        if n == 1 { "" } else { "s" },
        if report.skipped.is_empty() {
            String::new()
        } else {
            format!(
                ", {} kept (open elsewhere or not removable)",
                report.skipped.len()
            )
        }
    )?;
    let errors = report.skipped.iter().any(|s| s.why != ticket::SKIPPED_OPEN);
    Ok(if errors {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn list(args: &TicketsArgs, data_dir: &Path) -> Result<ExitCode> {
    let data_dir = data_dir.to_path_buf();
    let listed = ticket::list(&data_dir)
        .with_context(|| format!("cannot list {}", ticket::tickets_dir(&data_dir).display()))?;
    let playbooks = playbook::load(paths::config_dir().as_deref(), &[]);
    let classifier = Classifier::new(&playbooks);
    let rows: Vec<Row> = listed
        .into_iter()
        .map(|l| match l.ticket {
            Ok(t) => row(&t, &playbooks, &classifier),
            Err(e) => Row {
                id: l.id,
                updated: None,
                variation: None,
                done: 0,
                total: None,
                records: 0,
                agent_set: false,
                mark: None,
                recipients: Vec::new(),
                error: Some(e),
            },
        })
        .collect();

    let mut out = std::io::stdout().lock();
    if args.json {
        for r in &rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
    } else if rows.is_empty() {
        writeln!(
            out,
            "no saved tickets in {}",
            ticket::tickets_dir(&data_dir).display()
        )?;
    } else {
        writeln!(
            out,
            "{:<24} {:<20} {:<26} PROGRESS",
            "TICKET", "UPDATED (UTC)", "VARIATION"
        )?;
        for r in &rows {
            let progress = match (&r.error, r.total) {
                (Some(e), _) => format!("unreadable: {e}"),
                (None, Some(total)) => format!("{}/{total}", r.done),
                (None, None) => "-".to_string(),
            };
            let progress = match &r.mark {
                Some(mark) => format!("{progress}  ({mark})"),
                None => progress,
            };
            writeln!(
                out,
                "{:<24} {:<20} {:<26} {progress}",
                r.id,
                r.updated.as_deref().unwrap_or("-"),
                r.variation.as_deref().unwrap_or("-"),
            )?;
            let mut causes: Vec<&str> = r.recipients.iter().map(|x| x.cause.as_str()).collect();
            causes.sort_unstable();
            causes.dedup();
            let differ = causes.len() > 1;
            for x in &r.recipients {
                let who = x
                    .recipient
                    .as_deref()
                    .map_or_else(|| "(no recipient)".to_string(), safe_line);
                let mark = if x.agent_set {
                    " (set by the agent)"
                } else {
                    ""
                };
                writeln!(out, "  {who:<44} {}{mark}", x.cause)?;
            }
            if differ {
                writeln!(
                    out,
                    "  causes differ: each recipient needs its own checklist"
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn row(t: &Ticket, playbooks: &PlaybookSet, classifier: &Classifier) -> Row {
    let parsed = t
        .bounce
        .as_deref()
        .and_then(|b| bounce::parse(b.as_bytes()).ok());
    let records = parsed.as_ref().map_or(0, |b| b.records.len());
    let worked = parsed.as_ref().and_then(|b| {
        let index = if t.selected_record < b.records.len() {
            t.selected_record
        } else {
            0
        };
        b.records.get(index).map(|r| (index, r))
    });
    let diagnosis = worked.map(|(_, r)| classifier.classify(r));
    let cause = worked
        .zip(diagnosis.as_ref())
        .map(|((index, r), d)| cause::cause_of(t, index, r, d));
    let variation = cause.map(|c| c.variation.to_string());
    let total = variation
        .as_deref()
        .and_then(|v| playbooks.get(v))
        .map(|p| p.steps.len());
    let done = variation.as_deref().map_or(0, |v| t.done_count(v));
    let recipients = parsed
        .as_ref()
        .map(|b| {
            b.records
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let d = classifier.classify(r);
                    let c = cause::cause_of(t, i, r, &d);
                    RecipientRow {
                        recipient: r.recipient.clone(),
                        cause: c.variation.to_string(),
                        agent_set: c.is_agents(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Row {
        id: t.id.clone(),
        updated: Some(t.updated.format("%Y-%m-%d %H:%M:%S").to_string()),
        variation,
        done,
        total,
        records,
        agent_set: cause.is_some_and(|c| c.is_agents()),
        mark: cause.and_then(|c| c.mark()),
        recipients,
        error: None,
    }
}
