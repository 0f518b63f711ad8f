//! A paste reads exactly like the file. A terminal turns each line break of a paste into CR,
//! so a CRLF bounce arrives as CR CR per line. Each bounce is pasted for real (tmux
//! `load-buffer` + `paste-buffer -p`, bracketed) into the app, once as its LF text and once
//! as its CRLF text; the ticket the app saves must read (records, sender, timestamp, facts)
//! exactly like `triage --json` of the file on disk.
//!
//! One tmux server per test, one short-lived app per paste (a fresh ticket each time).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::{BIN, Tmux, isolated};

/// `triage --json` of `path`, the one JSON line.
fn triage(path: &Path, data: &Path) -> Value {
    let mut cmd = isolated(Command::new(BIN), data);
    let out = cmd.arg("triage").arg("--json").arg(path).output().unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(line.lines().next().unwrap_or("{}")).unwrap()
}

/// The parts of a triage line a paste must reproduce.
fn reading(v: &Value) -> Value {
    serde_json::json!({
        "sender": v["sender"],
        "timestamp": v["timestamp"],
        "records": v["records"],
        "facts": v["facts"],
    })
}

/// Paste `text` into a fresh app on ticket `id`, quit, and return `triage --json` of the
/// bounce text the ticket saved.
fn paste_and_read(t: &Tmux, id: &str, text: &str) -> Value {
    t.respawn(&t.app_command(id));
    t.wait_text("No bounce yet");
    t.paste(text);
    t.wait_for("the paste taken", |s| !s.contains("No bounce yet"));
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let saved = t.ticket(id);
    let kept = t.path(&format!("{id}.kept"));
    std::fs::write(&kept, saved.bounce.unwrap_or_default()).unwrap();
    triage(&kept, t.dir.path())
}

/// Paste each file's LF and CRLF text and compare with `triage --json` of the file.
/// Returns how many were compared; None when tmux is missing (the test skips).
fn paste_each(name: &str, files: &[PathBuf]) -> Option<usize> {
    let t = Tmux::new(name)?;
    t.start("sleep 600");
    let mut compared = 0;
    for (n, path) in files.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(path) else {
            // A terminal pastes text: a file that is not UTF-8 cannot arrive as a paste.
            continue;
        };
        let want = triage(path, t.dir.path());
        // Text that is not a bounce never becomes the ticket's bounce: nothing to compare.
        if want["records"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        for (form, pasted) in [("LF", &lf), ("CRLF", &crlf)] {
            let got = paste_and_read(&t, &format!("p{n}{form}"), pasted);
            assert_eq!(
                reading(&got),
                reading(&want),
                "{} pasted as {form} reads differently from the file",
                path.display()
            );
        }
        compared += 1;
    }
    Some(compared)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// `count` files spread evenly over the sorted folder (the same ones every run).
fn sample(dir: &Path, count: usize) -> Vec<PathBuf> {
    let files = files_in(dir);
    let step = (files.len() / count).max(1);
    files.into_iter().step_by(step).take(count).collect()
}

#[test]
fn paste_equals_file_for_every_fixture_lf_and_crlf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for dir in ["bounces", "tui", "summary", "formats"] {
        if root.join(dir).is_dir() {
            files.extend(files_in(&root.join(dir)));
        }
    }
    let Some(compared) = paste_each("paste-fixtures", &files) else {
        return;
    };
    assert!(compared >= 35, "only {compared} fixtures compared");
}

#[test]
fn paste_equals_file_for_a_sample_of_each_dev_corpus_lf_and_crlf() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let corpus = if corpus.is_dir() {
        corpus
    } else {
        PathBuf::from("/work/shared/corpus")
    };
    assert!(
        corpus.is_dir(),
        "the dev corpora are needed: {}",
        corpus.display()
    );
    let mut files = sample(&corpus.join("sisimai-dev/eml"), 15);
    files.extend(sample(&corpus.join("flufl-dev/eml"), 15));
    let Some(compared) = paste_each("paste-corpus", &files) else {
        return;
    };
    assert!(compared >= 20, "only {compared} corpus files compared");
}

/// The held-out sets hold the shapes agents copy that the fixtures do not (client views,
/// tickets, CR-only line ends and control bytes, other languages): every paste of sets C
/// and D, a sample of set B, and a spread of six files of every later set (the same files
/// every run), pasted for real.
#[test]
fn paste_equals_file_for_the_held_out_sets_lf_and_crlf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files = sample(&root.join("heldout-b"), 12);
    files.extend(files_in(&root.join("heldout-c")));
    files.extend(files_in(&root.join("heldout-d")));
    let mut later: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("heldout-")
                    && !["heldout-b", "heldout-c", "heldout-d", "heldout-553"].contains(&n)
            })
        })
        .collect();
    later.sort();
    assert!(later.len() >= 28, "only {} later sets", later.len());
    for dir in &later {
        files.extend(sample(dir, 6));
    }
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    let Some(compared) = paste_each("paste-held-out", &files) else {
        return;
    };
    assert!(compared >= 250, "only {compared} held-out pastes compared");
}
