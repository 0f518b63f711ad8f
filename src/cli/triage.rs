//! `bouncebook triage`: parse and classify bounces without the TUI, as JSON Lines for
//! scripts or as text for people. One line (or block) per input; a bad input is reported
//! and the run goes on.

use std::io::{self, BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use serde::Serialize;

use bouncebook::bounce::{self, Bounce};
use bouncebook::classify::{Classifier, Diagnosis};
use bouncebook::sanitize;

use crate::TriageArgs;
use crate::cli::input;

/// One input named on the command line (or found under a directory).
enum Input {
    Stdin,
    File(PathBuf),
    /// A directory that could not be listed: reported like an unreadable file.
    Unlistable(PathBuf, String),
}

impl Input {
    fn source(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) | Input::Unlistable(p, _) => p.display().to_string(),
        }
    }
}

/// The JSON contract's line, field for field (design.md, "CLI contract").
#[derive(Serialize)]
struct JsonLine<'a> {
    source: String,
    error: Option<String>,
    sender: Option<&'a str>,
    timestamp: Option<String>,
    subject: Option<&'a str>,
    message_id: Option<&'a str>,
    reporting_mta: Option<&'a str>,
    records: Vec<JsonRecord<'a>>,
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    recipient: Option<&'a str>,
    reply_code: Option<u16>,
    status: Option<&'a str>,
    diagnostic: Option<&'a str>,
    stage: Option<&'static str>,
    remote_mta: Option<String>,
    action: &'static str,
    variation: String,
    confidence: f32,
    evidence: String,
}

pub fn run(args: &TriageArgs) -> Result<ExitCode> {
    let playbooks =
        bouncebook::playbook::load(bouncebook::paths::config_dir().as_deref(), &args.playbooks);
    // A broken user playbook is skipped, not fatal: say so where scripts do not read.
    for problem in &playbooks.problems {
        eprintln!("bouncebook: playbook skipped: {problem}");
    }
    let classifier = Classifier::new(&playbooks);
    let inputs = expand(&args.paths);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all_read = true;
    // Inputs are independent: parse a batch on every core, then print it in input order.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    for batch in inputs.chunks(BATCH) {
        let done = render_batch(batch, args.json, &classifier, threads);
        for (text, ok) in done {
            all_read &= ok;
            if let Err(e) = out.write_all(&text) {
                // A closed pipe (`| head`) ends the run quietly; other write errors are real.
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return Ok(exit_code(all_read));
                }
                return Err(e.into());
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(exit_code(all_read))
}

/// Inputs handed to the worker threads at a time (bounds memory on huge directories).
const BATCH: usize = 256;

/// Each input's printed form and whether it could be read and parsed, in input order.
fn render_batch(
    batch: &[Input],
    json: bool,
    classifier: &Classifier,
    threads: usize,
) -> Vec<(Vec<u8>, bool)> {
    let render = |item: &Input| {
        let outcome = read_and_parse(item);
        let mut text = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = if json {
            write_json(&mut text, item, &outcome, classifier)
        } else {
            write_text(&mut text, item, &outcome, classifier)
        };
        (text, outcome.is_ok())
    };
    // Stdin is read once and in order: keep a batch holding it on this thread.
    if threads <= 1 || batch.len() < 4 || batch.iter().any(|i| matches!(i, Input::Stdin)) {
        return batch.iter().map(render).collect();
    }
    // Workers take the next input from a shared counter rather than a fixed share: bounce
    // sizes vary a lot, and fixed halves left one core idle at the end of every batch.
    let next = AtomicUsize::new(0);
    let slots: Vec<OnceLock<(Vec<u8>, bool)>> = batch.iter().map(|_| OnceLock::new()).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(batch.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let (Some(item), Some(slot)) = (batch.get(i), slots.get(i)) else {
                        break;
                    };
                    // A panic loses only its own input, reported as an error below.
                    if let Ok(done) = panic::catch_unwind(AssertUnwindSafe(|| render(item))) {
                        let _ = slot.set(done);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(batch)
        .map(|(slot, item)| {
            slot.into_inner().unwrap_or_else(|| {
                let mut text = Vec::new();
                let failed = Err("internal error while parsing this input".to_string());
                let _ = if json {
                    write_json(&mut text, item, &failed, classifier)
                } else {
                    write_text(&mut text, item, &failed, classifier)
                };
                (text, false)
            })
        })
        .collect()
}

fn exit_code(all_read: bool) -> ExitCode {
    if all_read {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Files as given, directories walked recursively in sorted order, `-` as stdin.
fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(Input::File(p.clone()));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Input::Unlistable(
                dir.to_path_buf(),
                format!("cannot list {}: {e}", dir.display()),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        // `is_dir` follows symlinks; a dangling link is kept as a file and reported unreadable.
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(Input::File(p));
        }
    }
}

fn read_and_parse(item: &Input) -> Result<Bounce, String> {
    let bytes = match item {
        Input::Stdin => input::read_path(Path::new("-")),
        Input::File(p) => input::read_path(p),
        Input::Unlistable(_, why) => return Err(why.clone()),
    }
    .map_err(|e| format!("{e:#}"))?;
    bounce::parse(&bytes).map_err(|e| e.to_string())
}

fn write_json(
    out: &mut impl Write,
    item: &Input,
    outcome: &Result<Bounce, String>,
    classifier: &Classifier,
) -> io::Result<()> {
    let line = match outcome {
        Ok(b) => JsonLine {
            source: item.source(),
            error: None,
            sender: b.sender.as_deref(),
            timestamp: b
                .timestamp
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            subject: b.subject.as_deref(),
            message_id: b.message_id.as_deref(),
            reporting_mta: b.reporting_mta.as_deref(),
            records: b
                .records
                .iter()
                .map(|r| {
                    let Diagnosis {
                        variation,
                        confidence,
                        evidence,
                        ..
                    } = classifier.classify(r);
                    JsonRecord {
                        recipient: r.recipient.as_deref(),
                        reply_code: r.reply_code,
                        status: r.status.as_deref(),
                        diagnostic: r.diagnostic.as_deref(),
                        stage: r.stage.map(|s| s.as_str()),
                        remote_mta: r.remote_mta(),
                        action: r.action.as_str(),
                        variation,
                        confidence,
                        evidence,
                    }
                })
                .collect(),
        },
        Err(e) => JsonLine {
            source: item.source(),
            error: Some(e.clone()),
            sender: None,
            timestamp: None,
            subject: None,
            message_id: None,
            reporting_mta: None,
            records: Vec::new(),
        },
    };
    serde_json::to_writer(&mut *out, &line).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// The human form. Everything taken from the input goes through the sanitizer: a paste may
/// hold terminal escape sequences.
fn write_text(
    out: &mut impl Write,
    item: &Input,
    outcome: &Result<Bounce, String>,
    classifier: &Classifier,
) -> io::Result<()> {
    let clean = |s: &str| sanitize::for_display(s);
    let opt = |s: Option<&str>| s.map_or_else(|| "-".to_string(), clean);
    writeln!(out, "== {}", clean(&item.source()))?;
    let b = match outcome {
        Ok(b) => b,
        Err(e) => return writeln!(out, "   error: {}\n", clean(e)),
    };
    writeln!(out, "   sender:    {}", opt(b.sender.as_deref()))?;
    if let Some(from) = b
        .header_from
        .as_deref()
        .filter(|f| Some(*f) != b.sender.as_deref())
    {
        writeln!(out, "   from:      {}", clean(from))?;
    }
    let when = match (&b.timestamp, &b.timestamp_raw) {
        (Some(t), Some(raw)) => format!("{} (UTC; printed as {})", t.to_rfc3339(), clean(raw)),
        (None, Some(raw)) => clean(raw),
        (Some(t), None) => t.to_rfc3339(),
        (None, None) => "-".to_string(),
    };
    writeln!(out, "   time:      {when}")?;
    writeln!(out, "   subject:   {}", opt(b.subject.as_deref()))?;
    writeln!(out, "   reporting: {}", opt(b.reporting_mta.as_deref()))?;
    if b.message_id.is_some() || b.queue_id.is_some() {
        writeln!(
            out,
            "   ids:       message-id {}  queue {}",
            opt(b.message_id.as_deref()),
            opt(b.queue_id.as_deref())
        )?;
    }
    for w in &b.warnings {
        writeln!(out, "   warning:   {}", clean(w))?;
    }
    for (i, r) in b.records.iter().enumerate() {
        let d = classifier.classify(r);
        let code = r
            .reply_code
            .map_or_else(|| "---".to_string(), |c| c.to_string());
        writeln!(
            out,
            "   [{}] {}  {}  {} {}  at {}  via {}",
            i + 1,
            opt(r.recipient.as_deref()),
            r.action.as_str(),
            code,
            opt(r.status.as_deref()),
            r.stage.map_or("-", |s| s.as_str()),
            opt(r.remote_mta().as_deref()),
        )?;
        if let Some(diag) = r.diagnostic.as_deref() {
            writeln!(out, "       said: {}", clean(diag))?;
        }
        writeln!(
            out,
            "       cause: {} ({:.0}%) because {}",
            d.variation,
            d.confidence * 100.0,
            clean(&d.evidence)
        )?;
        for p in &r.address_problems {
            writeln!(out, "       address: {}", clean(&p.message))?;
        }
    }
    writeln!(out)
}
