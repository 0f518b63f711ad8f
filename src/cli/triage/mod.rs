//! `bouncebook triage`: parse and classify bounces without the TUI, as JSON Lines for
//! scripts or as text for people. One line (or block) per input; a bad input is reported
//! and the run goes on.

use std::io::{self, BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::Result;
use serde::Serialize;

use bouncebook::bounce::{self, Bounce};
use bouncebook::classify::{Classifier, Diagnosis};
use bouncebook::sanitize;

use crate::TriageArgs;
use crate::cli::input;

mod queue;
use queue::Queue;

/// One input named on the command line (or found under a directory).
enum Input {
    /// Standard input, already read (see [`expand`]), or why it could not be.
    Stdin(std::result::Result<Vec<u8>, String>),
    File(PathBuf),
    /// A directory that could not be listed: reported like an unreadable file.
    Unlistable(PathBuf, String),
}

impl Input {
    fn source(&self) -> String {
        match self {
            Input::Stdin(_) => "-".to_string(),
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
    facts: Option<&'a bounce::facts::Facts>,
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
    temporary: bool,
}

pub fn run(args: &TriageArgs) -> Result<ExitCode> {
    let inputs = expand(&args.paths);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let queue = Queue::new(inputs.len());
    let classifier: OnceLock<Classifier> = OnceLock::new();
    let outcome = std::thread::scope(|scope| {
        // This thread is a worker too (see `print_in_order`).
        for _ in 1..threads.min(inputs.len()) {
            scope.spawn(|| work(&inputs, &queue, &classifier, args.json));
        }
        // Start-up (playbooks, classifier) overlaps the workers' first reads and parses:
        // they need the classifier only to name causes.
        let built = panic::catch_unwind(|| {
            let playbooks = bouncebook::playbook::load(
                bouncebook::paths::config_dir().as_deref(),
                &args.playbooks,
            );
            // A broken user playbook is skipped, not fatal: say so where scripts do not read.
            for problem in &playbooks.problems {
                eprintln!("bouncebook: playbook skipped: {problem}");
            }
            Classifier::new(&playbooks)
        });
        let Ok(built) = built else {
            queue.cancel();
            return Err(anyhow::anyhow!(
                "internal error while loading the playbooks"
            ));
        };
        let ready = classifier.get_or_init(|| built);
        queue.open();
        let printed = print_in_order(&queue, &inputs, ready, args.json);
        // Whatever ended the printing, no worker may wait for it any more.
        queue.cancel();
        printed
    });
    // The process ends after this: taking apart hundreds of compiled rules and a
    // thousand-entry input list is work nobody waits for.
    std::mem::forget(classifier);
    std::mem::forget(inputs);
    outcome
}

/// Print each input's result as soon as it and all before it are done. While the next one
/// is not done, this thread works on the next unclaimed input rather than wait: it is one
/// of the workers, and it sleeps only when nothing is left to claim.
fn print_in_order(
    queue: &Queue,
    inputs: &[Input],
    classifier: &Classifier,
    json: bool,
) -> Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all_read = true;
    for i in 0..inputs.len() {
        let (text, ok) = loop {
            if let Some(done) = queue.try_take(i) {
                break done;
            }
            match queue.try_claim().and_then(|j| Some((j, inputs.get(j)?))) {
                Some((j, item)) => queue.deliver(j, process(item, classifier, json)),
                None => break queue.take(i),
            }
        };
        all_read &= ok;
        if let Err(e) = out.write_all(&text) {
            // A closed pipe (`| head`) ends the run quietly; other write errors are real.
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Ok(exit_code(all_read));
            }
            return Err(e.into());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(exit_code(all_read))
}

/// One worker: claim inputs until none are left, read, parse and render each.
///
/// Parsing needs no classifier, so inputs claimed while start-up is still building it are
/// parsed and kept, and classified as soon as it is ready: the start-up overlaps parsing
/// instead of holding this thread. The kept ones are classified before this thread could
/// block (a full window, nothing left to claim), since the printer may be waiting for one.
fn work(inputs: &[Input], queue: &Queue, classifier: &OnceLock<Classifier>, json: bool) {
    let mut parsed_early: Vec<(usize, Result<Bounce, String>)> = Vec::new();
    loop {
        let claimed = if parsed_early.is_empty() {
            queue.claim()
        } else {
            queue.try_claim()
        };
        let Some(i) = claimed else {
            if parsed_early.is_empty() || !queue.wait_open() {
                return;
            }
            let Some(ready) = classifier.get() else {
                return;
            };
            deliver_parsed(inputs, queue, &mut parsed_early, ready, json);
            continue;
        };
        let Some(item) = inputs.get(i) else { return };
        let outcome = parse_guarded(item);
        match classifier.get() {
            Some(ready) => {
                deliver_parsed(inputs, queue, &mut parsed_early, ready, json);
                queue.deliver(i, finish(item, outcome, ready, json));
            }
            None => parsed_early.push((i, outcome)),
        }
    }
}

/// Classify, render and hand in the inputs parsed before the classifier was ready.
fn deliver_parsed(
    inputs: &[Input],
    queue: &Queue,
    parsed: &mut Vec<(usize, Result<Bounce, String>)>,
    classifier: &Classifier,
    json: bool,
) {
    for (i, outcome) in parsed.drain(..) {
        if let Some(item) = inputs.get(i) {
            queue.deliver(i, finish(item, outcome, classifier, json));
        }
    }
}

/// Read, parse and render one input.
fn process(item: &Input, classifier: &Classifier, json: bool) -> queue::Done {
    finish(item, parse_guarded(item), classifier, json)
}

/// A panic loses only its own input, reported as an error.
fn parse_guarded(item: &Input) -> Result<Bounce, String> {
    panic::catch_unwind(AssertUnwindSafe(|| read_and_parse(item)))
        .unwrap_or_else(|_| Err("internal error while parsing this input".to_string()))
}

/// Render a parsed input (classifying its records) and say whether it was read.
fn finish(
    item: &Input,
    outcome: Result<Bounce, String>,
    classifier: &Classifier,
    json: bool,
) -> queue::Done {
    let rendered = panic::catch_unwind(AssertUnwindSafe(|| {
        render(item, &outcome, classifier, json)
    }))
    .unwrap_or_else(|_| {
        let failed = Err("internal error while classifying this input".to_string());
        render(item, &failed, classifier, json)
    });
    (rendered, outcome.is_ok())
}

fn render(
    item: &Input,
    outcome: &Result<Bounce, String>,
    classifier: &Classifier,
    json: bool,
) -> Vec<u8> {
    // Most results (a JSON line, a text block) are 0.5 to 1 KB: growing an empty Vec to
    // that took a reallocation per doubling, for every input.
    let mut text = Vec::with_capacity(1024);
    // Writing into a Vec cannot fail.
    let _ = if json {
        write_json(&mut text, item, outcome, classifier)
    } else {
        write_text(&mut text, item, outcome, classifier)
    };
    text
}

fn exit_code(all_read: bool) -> ExitCode {
    if all_read {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Files as given, directories walked recursively in sorted order, `-` as stdin. Stdin is
/// read here, on this thread, before any worker starts: the first `-` gets what was piped
/// in, a repeated `-` nothing (as reading it twice would).
fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    let mut stdin_read = false;
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin(if stdin_read {
                Ok(Vec::new())
            } else {
                input::read_path(p).map_err(|e| format!("{e:#}"))
            }));
            stdin_read = true;
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
    // The entry's type comes with the listing on most file systems: no `stat` per file,
    // which was a visible share of a run over thousands of bounces.
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let path = e.path();
            let is_dir = match e.file_type() {
                // `is_dir` follows symlinks; a dangling link is kept as a file and reported
                // unreadable.
                Ok(t) if t.is_symlink() => path.is_dir(),
                Ok(t) => t.is_dir(),
                Err(_) => path.is_dir(),
            };
            Some((path, is_dir))
        })
        .collect();
    // Entries of one directory share everything up to their name, which holds no
    // separator: comparing the raw bytes orders them as comparing whole paths would,
    // without parsing each path into components at every comparison (that parsing was
    // most of the listing's cost over thousands of files).
    paths.sort_unstable_by(|(a, _), (b, _)| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    for (p, is_dir) in paths {
        if is_dir {
            walk(&p, out);
        } else {
            out.push(Input::File(p));
        }
    }
}

fn read_and_parse(item: &Input) -> Result<Bounce, String> {
    let read;
    let bytes: &[u8] = match item {
        Input::Stdin(Ok(bytes)) => bytes,
        Input::File(p) => {
            read = input::read_path(p).map_err(|e| format!("{e:#}"))?;
            &read
        }
        Input::Stdin(Err(why)) | Input::Unlistable(_, why) => return Err(why.clone()),
    };
    bounce::parse(bytes).map_err(|e| e.to_string())
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
                        temporary: r.is_temporary(),
                    }
                })
                .collect(),
            facts: Some(&b.facts),
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
            facts: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// More inputs than the window, and a classifier that is ready only after the worker
    /// has parsed all it may: the worker must classify what it kept rather than wait for
    /// room (the printer is waiting for those very inputs), and every input comes back
    /// in order. A deadlock shows as the printer getting nothing for a minute.
    #[test]
    fn inputs_parsed_before_the_classifier_is_ready_are_delivered_in_order() {
        let bounce = b"553 5.7.1 <ann@far.example>: Relay access denied".to_vec();
        let n = queue::WINDOW + 88;
        let inputs: Vec<Input> = (0..n).map(|_| Input::Stdin(Ok(bounce.clone()))).collect();
        let queue = Queue::new(n);
        let classifier: OnceLock<Classifier> = OnceLock::new();
        let printed = std::thread::scope(|scope| {
            scope.spawn(|| work(&inputs, &queue, &classifier, true));
            // Gives the worker time to fill the window (it needs far less); no figure is
            // read from it.
            std::thread::sleep(Duration::from_millis(300));
            let set = bouncebook::playbook::embedded();
            classifier.get_or_init(|| Classifier::new(&set));
            queue.open();
            let mut printed = Vec::new();
            for i in 0..n {
                let deadline = Instant::now() + Duration::from_secs(60);
                let done = loop {
                    if let Some(done) = queue.try_take(i) {
                        break Some(done);
                    }
                    if Instant::now() > deadline {
                        break None;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                };
                let Some(done) = done else {
                    // Releases the worker, so the scope can end and the test fail.
                    queue.cancel();
                    return Err(format!("input {i} never came back: the worker is stuck"));
                };
                printed.push(done);
            }
            Ok(printed)
        });
        let printed = printed.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(printed.len(), n);
        for (text, ok) in printed {
            assert!(ok);
            let line = String::from_utf8_lossy(&text);
            assert!(line.contains("\"variation\":\"relay-denied\""), "{line}");
        }
    }
}
