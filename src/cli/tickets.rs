//! `bouncebook tickets [--json]`: saved tickets, newest first, with the variation (from the
//! stored bounce, parsed and classified again) and the checklist progress.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use bouncebook::classify::Classifier;
use bouncebook::playbook::{self, PlaybookSet};
use bouncebook::ticket::{self, Ticket};
use bouncebook::{bounce, paths};
use serde::Serialize;

use crate::TicketsArgs;

#[derive(Serialize)]
struct Row {
    id: String,
    updated: Option<String>,
    variation: Option<String>,
    done: usize,
    total: Option<usize>,
    records: usize,
    error: Option<String>,
}

pub fn run(args: &TicketsArgs) -> Result<ExitCode> {
    let data_dir =
        paths::data_dir().context("cannot find a data directory; set BOUNCEBOOK_DATA_DIR")?;
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
            writeln!(
                out,
                "{:<24} {:<20} {:<26} {progress}",
                r.id,
                r.updated.as_deref().unwrap_or("-"),
                r.variation.as_deref().unwrap_or("-"),
            )?;
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
    let variation = parsed
        .as_ref()
        .and_then(|b| b.records.get(t.selected_record).or(b.records.first()))
        .map(|r| classifier.classify(r).variation);
    let total = variation
        .as_deref()
        .and_then(|v| playbooks.get(v))
        .map(|p| p.steps.len());
    let done = variation.as_deref().map_or(0, |v| t.done_count(v));
    Row {
        id: t.id.clone(),
        updated: Some(t.updated.format("%Y-%m-%d %H:%M:%S").to_string()),
        variation,
        done,
        total,
        records,
        error: None,
    }
}
