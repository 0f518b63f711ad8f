//! The playbooks in force: embedded ones, then `<config dir>/playbooks/`, then each
//! `--playbooks` dir. The same id replaces, a new id adds; a broken file is reported and
//! skipped, so whatever it would have replaced stays in force. Nothing here is fatal.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::check::{Limits, check_source};
use super::embedded::{EMBEDDED_SOURCES, embedded, embedded_label};
use super::locate::{Locator, Seg};
use super::{Origin, Playbook, PlaybookSet, Problem};

/// File extensions read as playbooks.
const EXTENSIONS: [&str; 2] = ["yaml", "yml"];

/// Load the playbooks in force: the embedded ones, then `<config_dir>/playbooks/` (absent is
/// fine), then each of `extra_dirs` (files are accepted too). Broken files are reported in
/// [`PlaybookSet::problems`] and skipped. Never fails.
pub fn load(config_dir: Option<&Path>, extra_dirs: &[PathBuf]) -> PlaybookSet {
    let mut set = embedded();
    if let Some(dir) = config_dir {
        let dir = dir.join("playbooks");
        if dir.exists() {
            apply(&mut set, &dir);
        }
    }
    for dir in extra_dirs {
        apply(&mut set, dir);
    }
    set
}

/// What `playbooks check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Playbook sources looked at (files, plus embedded ones when checked).
    pub checked: usize,
    pub problems: Vec<Problem>,
}

impl CheckReport {
    fn absorb(&mut self, (checked, problems): (usize, Vec<Problem>)) {
        self.checked += checked;
        self.problems.extend(problems);
    }
}

/// Check the given files and directories (each directory's `*.yaml` / `*.yml`, not recursive).
pub fn check_paths(paths: &[PathBuf]) -> CheckReport {
    let mut report = CheckReport::default();
    for path in paths {
        report.absorb(read_valid_with_examples(path));
    }
    report
}

/// Check what `bouncebook` would load with no `--playbooks`: the embedded playbooks and
/// `<config_dir>/playbooks/` when it exists.
pub fn check_installed(config_dir: Option<&Path>) -> CheckReport {
    let mut report = CheckReport::default();
    for (id, text) in EMBEDDED_SOURCES {
        report.checked += 1;
        let label = embedded_label(id);
        match check_source(&label, Some(id), text.as_bytes()) {
            Ok(playbook) => report.problems.extend(example_problems(
                &label,
                text,
                playbook,
                Origin::Embedded,
                None,
            )),
            Err(problems) => report.problems.extend(problems),
        }
    }
    if let Some(dir) = config_dir {
        let dir = dir.join("playbooks");
        if dir.exists() {
            report.absorb(read_valid_with_examples(&dir));
        }
    }
    report
}

/// [`read_valid`] for `playbooks check`: a valid file's `match.examples` are run too.
fn read_valid_with_examples(path: &Path) -> (usize, Vec<Problem>) {
    let mut valid = Vec::new();
    let (checked, mut problems) = read_valid(path, |playbook, file| valid.push((playbook, file)));
    // The files checked together are in force together: a rule of one can be shadowed by
    // another's.
    let mut together = embedded();
    for (playbook, file) in &valid {
        together.insert(playbook.clone(), Origin::File(file.clone()));
    }
    for (playbook, file) in valid {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let label = file.display().to_string();
        problems.extend(example_problems(
            &label,
            &text,
            playbook,
            Origin::File(file),
            Some(&together),
        ));
    }
    (checked, problems)
}

/// Classify each of `playbook`'s `match.examples` with the embedded playbooks and this one
/// in force (it replaces the embedded one of its id), and report each that does not get
/// its cause, at its line. Only `playbooks check` runs them: start-up does not pay for it.
///
/// Also reports this playbook's rules that can never win against the other playbooks in
/// force (`shadow_set`, else the embedded ones and this one; see
/// [`crate::classify::shadowed_rules`]), at the rule's line.
fn example_problems(
    label: &str,
    text: &str,
    playbook: Playbook,
    origin: Origin,
    shadow_set: Option<&PlaybookSet>,
) -> Vec<Problem> {
    let id = playbook.id.clone();
    let examples = playbook.matcher.examples.clone();
    let mut set = embedded();
    set.insert(playbook, origin);
    let locator = Locator::new(text);
    let mut problems: Vec<Problem> = crate::classify::shadowed_rules(shadow_set.unwrap_or(&set))
        .into_iter()
        .filter(|p| p.playbook == id)
        .map(|p| {
            let pos =
                locator.value_pos(&[Seg::Key("match"), Seg::Key(p.field), Seg::Index(p.index)]);
            Problem {
                file: label.to_string(),
                line: pos.line,
                column: pos.column,
                message: format!("match.{}[{}] {}", p.field, p.index, p.message),
            }
        })
        .collect();
    if examples.is_empty() {
        return problems;
    }
    let classifier = crate::classify::Classifier::new(&set);
    let fallback = ["generic-553", "unclassified"];
    for (i, example) in examples.iter().enumerate() {
        let want = example.cause.as_deref().unwrap_or(&id);
        let record = crate::bounce::Record {
            diagnostic: Some(example.line.clone()),
            stage: example
                .stage
                .as_deref()
                .and_then(crate::classify::parse_stage),
            ..crate::bounce::Record::default()
        };
        let got = classifier.classify(&record);
        let ok = if fallback.contains(&want) {
            fallback.contains(&got.variation.as_str())
        } else {
            got.variation == want
        };
        if !ok {
            let pos = locator.value_pos(&[
                Seg::Key("match"),
                Seg::Key("examples"),
                Seg::Index(i),
                Seg::Key("line"),
            ]);
            problems.push(Problem {
                file: label.to_string(),
                line: pos.line,
                column: pos.column,
                message: format!(
                    "example {} gets {} ({}), not {want}",
                    i + 1,
                    got.variation,
                    got.evidence
                ),
            });
        }
    }
    problems
}

/// Put every valid playbook under `path` in force; record the problems of the rest.
fn apply(set: &mut PlaybookSet, path: &Path) {
    let mut valid = Vec::new();
    let (_, problems) = read_valid(path, |playbook, file| valid.push((playbook, file)));
    set.problems.extend(problems);
    for (playbook, file) in valid {
        set.insert(playbook, Origin::File(file));
    }
}

/// Read and check every playbook file under `path` (a file or a directory), handing each valid
/// one to `accept`. Returns the number of files looked at and the problems found. Two files
/// of one directory with the same id (`x.yaml` and `x.yml`) are a problem: which one wins
/// would depend on spelling.
fn read_valid(path: &Path, mut accept: impl FnMut(Playbook, PathBuf)) -> (usize, Vec<Problem>) {
    let mut problems = Vec::new();
    let files = match playbook_files(path) {
        Ok(files) => files,
        Err(problem) => return (0, vec![problem]),
    };
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for file in &files {
        let label = file.display().to_string();
        let bytes = match read_limited(file, Limits::DEFAULT.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        match check_source(&label, Some(stem), &bytes) {
            Ok(playbook) => {
                if let Some(first) = seen.get(&playbook.id) {
                    let text = String::from_utf8_lossy(&bytes);
                    let pos = Locator::new(&text).value_pos(&[Seg::Key("id")]);
                    problems.push(Problem {
                        file: label,
                        line: pos.line,
                        column: pos.column,
                        message: format!(
                            "duplicate id `{}`: also defined in {}",
                            playbook.id,
                            first.display()
                        ),
                    });
                    continue;
                }
                seen.insert(playbook.id.clone(), file.clone());
                accept(playbook, file.clone());
            }
            Err(found) => problems.extend(found),
        }
    }
    (files.len(), problems)
}

fn whole_file_problem(path: &Path, message: String) -> Problem {
    Problem {
        file: path.display().to_string(),
        line: 1,
        column: 1,
        message,
    }
}

/// The playbook files a path stands for: itself, or a directory's YAML files sorted by name.
fn playbook_files(path: &Path) -> Result<Vec<PathBuf>, Problem> {
    let meta = std::fs::metadata(path)
        .map_err(|e| whole_file_problem(path, format!("cannot read: {e}")))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !meta.is_dir() {
        // A FIFO or device would block or never end; only regular files are read.
        return Err(whole_file_problem(
            path,
            "not a regular file or directory".into(),
        ));
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| whole_file_problem(path, format!("cannot list directory: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e))
                && p.is_file()
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Read at most `limit` bytes; a larger file is a problem without reading it all.
fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| whole_file_problem(path, format!("cannot read: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let too_big = |size: u64| {
        whole_file_problem(
            path,
            format!(
                "file is {size} bytes; a playbook may be at most {} KiB",
                limit / 1024
            ),
        )
    };
    if size > limit as u64 {
        return Err(too_big(size));
    }
    let mut bytes = Vec::new();
    // The size can change between stat and read (a file being written): bound the read too.
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}
