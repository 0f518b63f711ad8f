//! Validation of one playbook source: the limits against hostile files, YAML syntax and the
//! schema (through serde, with its positions), then the rules serde cannot express (ids,
//! duplicates, empty titles, regexes, placeholders), each located in the text. `load` (for
//! user files) and `playbooks check` both go through [`check_source`], so start-up and the
//! linter agree; the embedded playbooks go through it in the test suite.

use std::collections::HashMap;

use super::Problem;
use super::locate::{Locator, Pos, Seg};
use super::placeholders::{self, Piece};
use super::schema::{OneOrMany, Playbook, When};
use super::situation;
use crate::classify::ruleset::{self, RuleSet, Trust};
use crate::classify::words;

/// Bounds that keep a hostile or mistaken file from costing time or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest playbook file read; real ones are a few KiB.
    pub max_file_bytes: usize,
    /// Most steps in one playbook; a checklist longer than this is not a checklist.
    pub max_steps: usize,
    /// Most entries in `escalate`.
    pub max_escalate: usize,
    /// Compiled size limit of one `match` regex (regex's `size_limit`, also applied to its
    /// lazy DFA), so `(a{1000}){1000}` fails at once instead of eating memory.
    pub max_regex_bytes: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 256 * 1024,
        max_steps: 100,
        max_escalate: 50,
        max_regex_bytes: 1024 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Longest id (playbook or step) accepted.
pub const MAX_ID_CHARS: usize = 64;

/// Whether `id` is lower-case kebab-case (`relay-denied`, `check-mx`), the form of file
/// names and of the keys that ticket files store ticks under.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Parse and validate one playbook. `label` names the file in problems; `expected_id` is the
/// file name without its extension, which the `id` must equal.
pub fn check_source(
    label: &str,
    expected_id: Option<&str>,
    bytes: &[u8],
) -> Result<Playbook, Vec<Problem>> {
    check_source_with(label, expected_id, bytes, &Limits::DEFAULT)
}

/// [`check_source`] with explicit limits.
pub fn check_source_with(
    label: &str,
    expected_id: Option<&str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Playbook, Vec<Problem>> {
    let whole_file = |message: String| {
        vec![Problem {
            file: label.to_string(),
            line: 1,
            column: 1,
            message,
        }]
    };
    if bytes.len() > limits.max_file_bytes {
        return Err(whole_file(format!(
            "file is {} bytes; a playbook may be at most {} KiB",
            bytes.len(),
            limits.max_file_bytes / 1024
        )));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return Err(vec![not_utf8(label, bytes, err)]),
    };
    if text.trim().is_empty() {
        return Err(whole_file(
            "file is empty; a playbook needs id, title, summary and steps".into(),
        ));
    }
    let playbook: Playbook = serde_yaml::from_str(text).map_err(|err| {
        let first = yaml_problem(label, text, &err);
        let mut all = vec![first.clone()];
        all.extend(more_yaml_problems(label, text, &first));
        all.sort_by_key(|p| (p.line, p.column));
        all
    })?;
    let problems = Semantics {
        label,
        locator: Locator::new(text),
        text,
        limits,
        problems: Vec::new(),
    }
    .run(&playbook, expected_id);
    if problems.is_empty() {
        Ok(playbook)
    } else {
        Err(problems)
    }
}

/// The top-level keys of a playbook, and those it must have.
const TOP_KEYS: [&str; 7] = [
    "id", "title", "summary", "match", "steps", "escalate", "reply",
];
const REQUIRED_KEYS: [&str; 4] = ["id", "title", "summary", "steps"];

/// serde_yaml stops at the first problem in a file. To list every one, the file (which did
/// parse as YAML) is checked again node by node: each top-level key, `match`, each step and
/// each step's `when` deserialised on its own. Problems already reported as `first` are
/// not repeated; the rest are placed at the node they name.
fn more_yaml_problems(label: &str, text: &str, first: &Problem) -> Vec<Problem> {
    use serde_yaml::Value;
    let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(text) else {
        return Vec::new();
    };
    // (path, message without the path, where to point)
    let mut found: Vec<(String, String, Vec<String>)> = Vec::new();
    let text_of = |e: serde_yaml::Error| strip_position(&e.to_string());
    let field_path = |path: &str, what: &str| -> Vec<String> {
        // An unknown field is pointed at itself, anything else at the node.
        let mut at: Vec<String> = if path.is_empty() {
            Vec::new()
        } else {
            vec![path.to_string()]
        };
        if let Some(name) = what
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
        {
            at.push(name.to_string());
        }
        at
    };
    for (key, value) in &map {
        let Some(key) = key.as_str() else {
            continue;
        };
        let err = match key {
            "id" | "title" | "summary" => serde_yaml::from_value::<String>(value.clone()).err(),
            "escalate" => serde_yaml::from_value::<Vec<String>>(value.clone()).err(),
            "reply" => serde_yaml::from_value::<Option<String>>(value.clone()).err(),
            "match" => serde_yaml::from_value::<super::schema::MatchRules>(value.clone()).err(),
            "steps" => match value {
                Value::Sequence(steps) => {
                    for (i, step) in steps.iter().enumerate() {
                        let path = format!("steps[{i}]");
                        let mut step = step.clone();
                        if let Value::Mapping(m) = &mut step
                            && let Some(when) = m.remove("when")
                            && let Err(e) = serde_yaml::from_value::<When>(when)
                        {
                            let what = text_of(e);
                            let wpath = format!("{path}.when");
                            let at = field_path(&wpath, &what);
                            found.push((wpath, what, at));
                        }
                        if let Err(e) = serde_yaml::from_value::<super::schema::Step>(step) {
                            let what = text_of(e);
                            let at = field_path(&path, &what);
                            found.push((path, what, at));
                        }
                    }
                    None
                }
                _ => serde_yaml::from_value::<Vec<super::schema::Step>>(value.clone()).err(),
            },
            other => {
                found.push((
                    String::new(),
                    format!(
                        "unknown field `{other}`, expected one of {}",
                        TOP_KEYS.map(|k| format!("`{k}`")).join(", ")
                    ),
                    vec![other.to_string()],
                ));
                None
            }
        };
        if let Some(e) = err {
            found.push((key.to_string(), text_of(e), vec![key.to_string()]));
        }
    }
    for key in REQUIRED_KEYS {
        if !map.contains_key(key) {
            found.push((String::new(), format!("missing field `{key}`"), Vec::new()));
        }
    }
    let locator = Locator::new(text);
    let (first_path, first_what) = first
        .message
        .split_once(": ")
        .filter(|(p, _)| !p.contains(' '))
        .unwrap_or(("", first.message.as_str()));
    let mut out: Vec<Problem> = Vec::new();
    for (path, what, at) in found {
        let message = if path.is_empty() {
            what.clone()
        } else {
            format!("{path}: {what}")
        };
        let joined = at.join(".");
        let pos = locator.value_pos(&parse_path(&joined));
        // The same problem, seen from a node above the one serde_yaml named (a value's
        // deserialiser does not know the path below it).
        let repeated = message == first.message
            || (what == first_what && (first_path.starts_with(&path) || pos.line == first.line));
        if repeated
            || out
                .iter()
                .any(|p| p.message == message && p.line == pos.line)
        {
            continue;
        }
        out.push(Problem {
            file: label.to_string(),
            line: pos.line,
            column: pos.column,
            message,
        });
    }
    out
}

fn not_utf8(label: &str, bytes: &[u8], err: std::str::Utf8Error) -> Problem {
    let valid = &bytes[..err.valid_up_to()];
    // The valid prefix is UTF-8 by definition, so positions can be counted in characters.
    let prefix = std::str::from_utf8(valid).unwrap_or_default();
    let pos = Locator::new(prefix).pos_of(prefix.len());
    let byte = bytes.get(err.valid_up_to()).copied().unwrap_or(0);
    Problem {
        file: label.to_string(),
        line: pos.line,
        column: pos.column,
        message: format!("file is not valid UTF-8 (byte 0x{byte:02X}); save it as UTF-8"),
    }
}

/// A serde_yaml error as a problem: its own position when it has one, else the position of
/// the path it names (`steps[2].title: ...`), and the message without serde_yaml's
/// " at line N column M" (the position is already in front).
fn yaml_problem(label: &str, text: &str, err: &serde_yaml::Error) -> Problem {
    let raw = err.to_string();
    let mut message = strip_position(&raw);
    if message.contains("repetition limit exceeded") {
        message = "YAML aliases expand too far (repetition limit exceeded); playbooks need no anchors or aliases".into();
    } else if message.contains("recursion limit exceeded") {
        message = "YAML nested too deeply (recursion limit exceeded)".into();
    }
    let (path, what) = match message.split_once(": ") {
        Some((path, what)) if !path.contains(' ') => (path, what),
        _ => ("", message.as_str()),
    };
    let locator = Locator::new(text);
    let duplicate = what
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.strip_suffix('`'))
        .and_then(|key| locator.duplicate_key_offset(&parse_path(path), key));
    let pos = match (duplicate, err.location()) {
        (Some(offset), _) => locator.pos_of(offset),
        (None, Some(loc)) => Pos {
            line: loc.line(),
            column: loc.column(),
        },
        (None, None) => locator.value_pos(&parse_path(path)),
    };
    Problem {
        file: label.to_string(),
        line: pos.line,
        column: pos.column,
        message,
    }
}

/// Remove the first " at line N column M", the position the problem is already reported at.
/// A second one (libyaml's "while scanning a quoted scalar at ...") says where the construct
/// began, which helps, so it stays.
fn strip_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut stripped = false;
    while let Some(at) = rest.find(" at line ").filter(|_| !stripped) {
        out.push_str(&rest[..at]);
        let tail = &rest[at + " at line ".len()..];
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let after_line = &tail[digits..];
        match after_line.strip_prefix(" column ") {
            Some(col) if digits > 0 => {
                let col_digits = col.bytes().take_while(u8::is_ascii_digit).count();
                rest = &col[col_digits..];
                stripped = true;
            }
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `steps[2].title` → [Key("steps"), Index(2), Key("title")]; anything unparsable stops.
fn parse_path(path: &str) -> Vec<Seg<'_>> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, mut indexes) = match part.find('[') {
            Some(b) => (&part[..b], &part[b..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segs.push(Seg::Key(key));
        }
        while let Some(close) = indexes.find(']') {
            match indexes.get(1..close).and_then(|n| n.parse().ok()) {
                Some(n) => segs.push(Seg::Index(n)),
                None => return segs,
            }
            indexes = &indexes[close + 1..];
        }
    }
    segs
}

/// The rules checked after a successful parse.
struct Semantics<'a> {
    label: &'a str,
    locator: Locator<'a>,
    text: &'a str,
    limits: &'a Limits,
    problems: Vec<Problem>,
}

impl Semantics<'_> {
    fn report_at(&mut self, pos: Pos, message: String) {
        self.problems.push(Problem {
            file: self.label.to_string(),
            line: pos.line,
            column: pos.column,
            message,
        });
    }

    fn report(&mut self, path: &[Seg<'_>], message: String) {
        let pos = self.locator.value_pos(path);
        self.report_at(pos, message);
    }

    fn run(mut self, playbook: &Playbook, expected_id: Option<&str>) -> Vec<Problem> {
        use Seg::Key;
        if !is_valid_id(&playbook.id) {
            self.report(
                &[Key("id")],
                format!(
                    "id `{}` must be lower-case letters, digits and single hyphens (at most {MAX_ID_CHARS})",
                    playbook.id
                ),
            );
        }
        if let Some(expected) = expected_id
            && playbook.id != expected
        {
            self.report(
                &[Key("id")],
                format!(
                    "id `{}` does not match the file name; expected `{expected}`",
                    playbook.id
                ),
            );
        }
        if playbook.title.trim().is_empty() {
            self.report(&[Key("title")], "title is empty".into());
        }
        if playbook.summary.trim().is_empty() {
            self.report(&[Key("summary")], "summary is empty".into());
        }
        self.steps(playbook);
        if let Some(reply) = &playbook.reply {
            self.reply(reply);
        }
        if playbook.escalate.len() > self.limits.max_escalate {
            self.report(
                &[Key("escalate")],
                format!(
                    "escalate has {} entries; at most {} are allowed",
                    playbook.escalate.len(),
                    self.limits.max_escalate
                ),
            );
        }
        self.validate_patterns(playbook);
        self.problems
    }

    fn steps(&mut self, playbook: &Playbook) {
        use Seg::{Index, Key};
        if playbook.steps.is_empty() {
            self.report(
                &[Key("steps")],
                "steps is empty; a playbook needs at least one step".into(),
            );
            return;
        }
        if playbook.steps.len() > self.limits.max_steps {
            self.report(
                &[Key("steps")],
                format!(
                    "{} steps; a playbook may have at most {}",
                    playbook.steps.len(),
                    self.limits.max_steps
                ),
            );
            return;
        }
        let mut first_seen: HashMap<&str, usize> = HashMap::new();
        for (i, step) in playbook.steps.iter().enumerate() {
            let id_path = [Key("steps"), Index(i), Key("id")];
            if !is_valid_id(&step.id) {
                self.report(
                    &id_path,
                    format!(
                        "step id `{}` must be lower-case letters, digits and single hyphens (at most {MAX_ID_CHARS})",
                        step.id
                    ),
                );
            }
            if let Some(&earlier) = first_seen.get(step.id.as_str()) {
                let first = self
                    .locator
                    .value_pos(&[Key("steps"), Index(earlier), Key("id")]);
                self.report(
                    &id_path,
                    format!(
                        "duplicate step id `{}` (first used on line {})",
                        step.id, first.line
                    ),
                );
            } else {
                first_seen.insert(&step.id, i);
            }
            if step.title.trim().is_empty() {
                self.report(
                    &[Key("steps"), Index(i), Key("title")],
                    format!("step `{}` has an empty title", step.id),
                );
            }
            if let Some(command) = &step.command {
                self.command(i, &step.id, command);
            }
            if let Some(when) = &step.when {
                self.when(i, &step.id, when);
            }
            if let Some(check) = &step.check
                && !crate::checks::plan::CHECK_IDS.contains(&check.as_str())
            {
                self.report(
                    &[Key("steps"), Index(i), Key("check")],
                    format!(
                        "unknown check `{check}` in step `{}`; known: {}",
                        step.id,
                        crate::checks::plan::CHECK_IDS.join(", ")
                    ),
                );
            }
        }
    }

    /// Each `when:` value must be one the fact can take (the keys are checked by serde).
    fn when(&mut self, step: usize, step_id: &str, when: &When) {
        use Seg::{Index, Key};
        let lists = [
            ("refused_by", when.refused_by.as_ref()),
            ("reporting_system", when.reporting_system.as_ref()),
        ];
        for (fact, list) in lists {
            let Some(list) = list else { continue };
            let Some(def) = situation::fact_def(fact) else {
                continue;
            };
            let many = matches!(list, OneOrMany::Many(_));
            for (n, value) in list.values().iter().enumerate() {
                if def.values.contains(&value.as_str()) {
                    continue;
                }
                let mut path = vec![Key("steps"), Index(step), Key("when"), Key(fact)];
                if many {
                    path.push(Index(n));
                }
                // The locator stops at a flow mapping (`when: {refused_by: x}`); the value
                // itself is then found after where it stopped.
                let start = self.locator.value_offset(&path);
                let at = self
                    .text
                    .get(start..)
                    .and_then(|t| t.find(value.as_str()))
                    .map_or(start, |o| start + o);
                self.report_at(
                    self.locator.pos_of(at),
                    format!(
                        "unknown value `{value}` for when.{fact} in step `{step_id}`; known: {}",
                        def.values.join(", ")
                    ),
                );
            }
            if list.values().is_empty() {
                self.report(
                    &[Key("steps"), Index(step), Key("when"), Key(fact)],
                    format!(
                        "when.{fact} in step `{step_id}` is an empty list; leave it out instead"
                    ),
                );
            }
        }
    }

    /// A customer reply: not empty, and only known placeholders.
    fn reply(&mut self, reply: &str) {
        use Seg::Key;
        if reply.trim().is_empty() {
            self.report(
                &[Key("reply")],
                "reply is empty; leave `reply` out instead".into(),
            );
            return;
        }
        let start = self.locator.value_offset(&[Key("reply")]);
        let mut reported: Vec<&str> = Vec::new();
        for piece in placeholders::pieces(reply) {
            let Piece::Placeholder { name, .. } = piece else {
                continue;
            };
            let reply_only = situation::REPLY_ONLY_PLACEHOLDERS
                .iter()
                .any(|(n, _)| *n == name);
            if placeholders::is_known(name) || reply_only || reported.contains(&name) {
                continue;
            }
            reported.push(name);
            let needle = format!("{{{name}}}");
            let offset = self
                .text
                .get(start..)
                .and_then(|t| t.find(&needle))
                .map_or(start, |o| start + o);
            let mut known: Vec<&str> = placeholders::PLACEHOLDERS.iter().map(|p| p.name).collect();
            known.extend(situation::REPLY_ONLY_PLACEHOLDERS.iter().map(|(n, _)| *n));
            self.report_at(
                self.locator.pos_of(offset),
                format!(
                    "unknown placeholder `{{{name}}}` in reply; known: {}",
                    known.join(", ")
                ),
            );
        }
    }

    /// Unknown placeholders, each reported at its own `{` when the text shows it.
    fn command(&mut self, step: usize, step_id: &str, command: &str) {
        use Seg::{Index, Key};
        if command.trim().is_empty() {
            self.report(
                &[Key("steps"), Index(step), Key("command")],
                format!("step `{step_id}` has an empty command; leave `command` out instead"),
            );
            return;
        }
        let start = self
            .locator
            .value_offset(&[Key("steps"), Index(step), Key("command")]);
        let logs_in = placeholders::sends_credentials(command);
        let mut reported: Vec<&str> = Vec::new();
        for piece in placeholders::pieces(command) {
            let Piece::Placeholder { name, .. } = piece else {
                continue;
            };
            if logs_in
                && placeholders::NOT_THEIR_SERVER.contains(&name)
                && !reported.contains(&name)
            {
                reported.push(name);
                let pos = self.locator.pos_of(self.offset_in(start, name));
                self.report_at(
                    pos,
                    format!(
                        "step `{step_id}` logs in (SMTP AUTH) and uses `{{{name}}}`: that would send the customer's credentials to a server that may not be theirs; aim AUTH tests at `{{submission_host}}`"
                    ),
                );
                continue;
            }
            if placeholders::is_known(name) || reported.contains(&name) {
                continue;
            }
            reported.push(name);
            let needle = format!("{{{name}}}");
            let offset = self
                .text
                .get(start..)
                .and_then(|t| t.find(&needle))
                .map_or(start, |o| start + o);
            let known: Vec<&str> = placeholders::PLACEHOLDERS.iter().map(|p| p.name).collect();
            self.report_at(
                self.locator.pos_of(offset),
                format!(
                    "unknown placeholder `{{{name}}}` in step `{step_id}`; known: {}",
                    known.join(", ")
                ),
            );
        }
    }

    /// Where `{name}` first appears in the text from `start` (or `start` itself).
    fn offset_in(&self, start: usize, name: &str) -> usize {
        let needle = format!("{{{name}}}");
        self.text
            .get(start..)
            .and_then(|t| t.find(&needle))
            .map_or(start, |o| start + o)
    }

    /// Every regex list in `match`, with its word classes expanded (the classifier's own
    /// expansion), the classes themselves, and the stage and status values. The recognition
    /// rules belong to the classifier, which may add lists (`not_text`, ...); any list whose
    /// key is `text` or ends in `_text` is a list of regexes, so new ones are checked
    /// without a change here.
    fn validate_patterns(&mut self, playbook: &Playbook) {
        use Seg::{Index, Key};
        let m = &playbook.matcher;
        let shared = super::shared_words();
        for (name, alternatives) in &m.words {
            if !words::is_class_name(name) {
                self.report(
                    &[Key("match"), Key("words")],
                    format!(
                        "word class name `{name}` must be lower-case letters, digits and `_`, starting with a letter"
                    ),
                );
                continue;
            }
            if alternatives.is_empty() {
                self.report(
                    &[Key("match"), Key("words"), Key(name)],
                    format!("word class `{name}` is empty"),
                );
            }
            for (i, alt) in alternatives.iter().enumerate() {
                let checked = words::expand(alt, &m.words, shared)
                    .and_then(|p| ruleset::check_pattern(&p, self.limits));
                if let Err(why) = checked {
                    self.report(
                        &[Key("match"), Key("words"), Key(name), Index(i)],
                        format!("word class `{name}`: {why}"),
                    );
                }
            }
        }
        let Ok(serde_json::Value::Object(rules)) = serde_json::to_value(m) else {
            return;
        };
        // Every rule expanded, then read by a rule set under this check's limits: the
        // classifier's own reading, so what passes here is what it can use.
        let mut expanded: Vec<(&str, usize, String)> = Vec::new();
        for (key, value) in &rules {
            if !(key == "text" || key.ends_with("_text")) {
                continue;
            }
            let Some(list) = value.as_array() else {
                continue;
            };
            for (i, pattern) in list.iter().enumerate() {
                let Some(pattern) = pattern.as_str() else {
                    continue;
                };
                match words::expand(pattern, &m.words, shared) {
                    Ok(p) => expanded.push((key, i, p)),
                    Err(why) => self.report(
                        &[Key("match"), Key(key), Index(i)],
                        format!("invalid regex in match.{key}: {why}"),
                    ),
                }
            }
        }
        let (_, unusable) = RuleSet::new(
            expanded
                .iter()
                .map(|(_, _, p)| (p.as_str(), Trust::Checked)),
            self.limits,
        );
        for u in unusable {
            let (key, i, _) = &expanded[u.rule];
            self.report(
                &[Key("match"), Key(key), Index(*i)],
                format!("invalid regex in match.{key}: {}", u.message),
            );
        }
        for (i, stage) in m.stage.iter().enumerate() {
            if crate::classify::parse_stage(stage).is_none() {
                self.report(
                    &[Key("match"), Key("stage"), Index(i)],
                    format!(
                        "stage `{stage}` can never match: use {}",
                        crate::classify::STAGE_NAMES
                    ),
                );
            }
        }
        for (i, status) in m.status.iter().enumerate() {
            if let Err(why) = crate::classify::check_status_pattern(status) {
                self.report(&[Key("match"), Key("status"), Index(i)], why);
            }
        }
        for (i, example) in m.examples.iter().enumerate() {
            if let Some(stage) = &example.stage
                && crate::classify::parse_stage(stage).is_none()
            {
                self.report(
                    &[Key("match"), Key("examples"), Index(i), Key("stage")],
                    format!("stage `{stage}`: use {}", crate::classify::STAGE_NAMES),
                );
            }
            if example.line.trim().is_empty() {
                self.report(
                    &[Key("match"), Key("examples"), Index(i), Key("line")],
                    "example line is empty".into(),
                );
            }
            if example.source.trim().is_empty() {
                self.report(
                    &[Key("match"), Key("examples"), Index(i), Key("source")],
                    "example source is empty: name the software and file, or the page".into(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kebab_case() {
        for ok in ["relay-denied", "a", "check-mx-2"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            "Relay",
            "a--b",
            "-a",
            "a-",
            "a_b",
            "a b",
            &"x".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn the_reported_position_is_stripped_from_messages() {
        assert_eq!(
            strip_position(
                "did not find expected key at line 3 column 5, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping at line 1 column 1"
        );
        assert_eq!(
            strip_position("title at line of text"),
            "title at line of text"
        );
    }

    #[test]
    fn paths_from_serde_messages() {
        use Seg::*;
        assert_eq!(
            parse_path("steps[2].title"),
            vec![Key("steps"), Index(2), Key("title")]
        );
        assert_eq!(
            parse_path("match.text[0]"),
            vec![Key("match"), Key("text"), Index(0)]
        );
    }
}
