//! `bouncebook playbooks list|check`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::PlaybooksCommand;
use bouncebook::paths;
use bouncebook::playbook::{self, Origin};

pub fn run(cmd: &PlaybooksCommand) -> Result<ExitCode> {
    match cmd {
        PlaybooksCommand::List { json, playbooks } => list(*json, playbooks),
        PlaybooksCommand::Check { dirs } => check(dirs),
    }
}

fn list(json: bool, extra_dirs: &[std::path::PathBuf]) -> Result<ExitCode> {
    let config_dir = paths::config_dir();
    let set = playbook::load(config_dir.as_deref(), extra_dirs);
    for problem in &set.problems {
        eprintln!("warning: {problem} (file skipped)");
    }
    let mut out = std::io::stdout().lock();
    if json {
        // JSON Lines like every other `--json`: one object per playbook, one per line.
        for (p, origin) in &set.playbooks {
            let row = serde_json::json!({
                "id": p.id,
                "title": p.title,
                "steps": p.steps.len(),
                "origin": match origin {
                    Origin::Embedded => serde_json::Value::from("embedded"),
                    Origin::File(path) => serde_json::Value::from(path.display().to_string()),
                },
            });
            serde_json::to_writer(&mut out, &row).context("writing the list")?;
            writeln!(out).context("writing the list")?;
        }
    } else {
        // Title last: titles are long and origins are paths, so only the short columns align.
        let id_width = set
            .playbooks
            .iter()
            .map(|(p, _)| p.id.len())
            .max()
            .unwrap_or(2)
            .max(2);
        let origins: Vec<String> = set.playbooks.iter().map(|(_, o)| o.to_string()).collect();
        let origin_width = origins.iter().map(String::len).max().unwrap_or(6).max(6);
        writeln!(
            out,
            "{:<id_width$}  STEPS  {:<origin_width$}  TITLE",
            "ID", "ORIGIN"
        )?;
        for ((p, _), origin) in set.playbooks.iter().zip(&origins) {
            writeln!(
                out,
                "{:<id_width$}  {:>5}  {origin:<origin_width$}  {}",
                p.id,
                p.steps.len(),
                p.title
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(dirs: &[std::path::PathBuf]) -> Result<ExitCode> {
    // A folder that is not there is a mistyped argument, not a broken playbook: say so
    // plainly (rather than as a FILE:1:1 read error) and check the rest.
    let (present, missing): (Vec<_>, Vec<_>) = dirs
        .iter()
        .cloned()
        .partition(|dir| std::fs::symlink_metadata(dir).is_ok());
    for dir in &missing {
        eprintln!(
            "bouncebook: {}: the folder does not exist (no such file either); nothing checked there",
            dir.display()
        );
    }
    if !missing.is_empty() && present.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    let report = if dirs.is_empty() {
        playbook::check_installed(paths::config_dir().as_deref())
    } else {
        playbook::check_paths(&present)
    };
    let mut out = std::io::stdout().lock();
    for problem in &report.problems {
        writeln!(out, "{problem}")?;
    }
    if report.problems.is_empty() && missing.is_empty() {
        writeln!(
            out,
            "OK: {} playbook(s) checked, no problems",
            report.checked
        )?;
        Ok(ExitCode::SUCCESS)
    } else if report.problems.is_empty() {
        eprintln!(
            "{} playbook(s) checked, no problems; {} path(s) not found",
            report.checked,
            missing.len()
        );
        Ok(ExitCode::FAILURE)
    } else {
        let files: std::collections::BTreeSet<&str> =
            report.problems.iter().map(|p| p.file.as_str()).collect();
        eprintln!(
            "{} problem(s) in {} of {} playbook file(s)",
            report.problems.len(),
            files.len(),
            report.checked
        );
        Ok(ExitCode::FAILURE)
    }
}
