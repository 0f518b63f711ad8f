//! The playbooks' `match` sections compiled once: every text rule of every playbook in one
//! case-insensitive [`RegexSet`] (one pass over a response finds all matching rules), plus
//! the per-playbook codes, stages and flags the ladder in `classify` needs.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::status::StatusPattern;
use crate::bounce::Stage;
use crate::playbook::{MatchRules, Playbook, PlaybookSet};

/// Compiled size limit for one rule. Generous for hand-written wordings, small enough that a
/// runaway user regex (`(a{1000}){1000}`) is refused instead of eating memory.
const RULE_SIZE_LIMIT: usize = 1 << 20;
/// Compiled size limit for all rules together.
const SET_SIZE_LIMIT: usize = 64 << 20;

/// Ids whose rules name wordings outside every cause; their matches end as the fallback.
pub(super) const FALLBACK_IDS: [&str; 2] = ["generic-553", "unclassified"];

/// Which list of a `match` section a text rule came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    Text,
    StageText,
    Weak,
    Not,
}

impl TextKind {
    fn field(self) -> &'static str {
        match self {
            TextKind::Text => "text",
            TextKind::StageText => "stage_text",
            TextKind::Weak => "weak_text",
            TextKind::Not => "not_text",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct TextRule {
    pub playbook: usize,
    pub kind: TextKind,
    pub regex: Regex,
}

/// One playbook's non-text rules, resolved.
#[derive(Debug, Clone)]
pub(super) struct PlaybookRules {
    pub id: String,
    pub priority: i32,
    pub stages: Vec<Stage>,
    pub transient: bool,
    pub status: Vec<StatusPattern>,
    pub reply_codes: Vec<u16>,
    /// `generic-553` or `unclassified`: a match here means "none of the causes".
    pub fallback: bool,
}

/// A rule that could not be used; the rest of the playbook still applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("playbook `{playbook}`, match.{field}[{index}]: {message}")]
pub struct RuleProblem {
    pub playbook: String,
    /// `text`, `stage_text`, `weak_text`, `not_text`, `status` or `stage`.
    pub field: &'static str,
    pub index: usize,
    pub message: String,
}

/// How the text rules are searched: one set normally; one by one if the set as a whole
/// exceeds its size limit (each rule alone compiled fine).
#[derive(Debug, Clone)]
enum Searcher {
    Set(RegexSet),
    OneByOne,
}

#[derive(Debug, Clone)]
pub(super) struct Compiled {
    pub playbooks: Vec<PlaybookRules>,
    pub rules: Vec<TextRule>,
    searcher: Searcher,
}

impl Compiled {
    pub fn new(set: &PlaybookSet) -> (Compiled, Vec<RuleProblem>) {
        let mut problems = Vec::new();
        let mut playbooks = Vec::new();
        let mut rules = Vec::new();
        for (index, (playbook, _origin)) in set.playbooks.iter().enumerate() {
            playbooks.push(resolve(playbook, &mut problems));
            for (kind, patterns) in text_lists(&playbook.matcher) {
                for (i, pattern) in patterns.iter().enumerate() {
                    match compile_one(pattern) {
                        Ok(regex) => rules.push(TextRule {
                            playbook: index,
                            kind,
                            regex,
                        }),
                        Err(message) => problems.push(RuleProblem {
                            playbook: playbook.id.clone(),
                            field: kind.field(),
                            index: i,
                            message,
                        }),
                    }
                }
            }
        }
        let searcher = match RegexSetBuilder::new(rules.iter().map(|r| r.regex.as_str()))
            .case_insensitive(true)
            .size_limit(SET_SIZE_LIMIT)
            .dfa_size_limit(SET_SIZE_LIMIT)
            .build()
        {
            Ok(set) => Searcher::Set(set),
            Err(e) => {
                problems.push(RuleProblem {
                    playbook: "*".to_string(),
                    field: "text",
                    index: 0,
                    message: format!("the rules together are too large ({e}); matching one by one"),
                });
                Searcher::OneByOne
            }
        };
        (
            Compiled {
                playbooks,
                rules,
                searcher,
            },
            problems,
        )
    }

    /// Indices (into `rules`) of the rules that match `text`.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        if text.is_empty() {
            return Vec::new();
        }
        match &self.searcher {
            Searcher::Set(set) => set.matches(text).into_iter().collect(),
            Searcher::OneByOne => (0..self.rules.len())
                .filter(|&i| self.rules[i].regex.is_match(text))
                .collect(),
        }
    }
}

/// Every problem in one playbook's `match` section (bad regexes, status patterns, stages),
/// for `playbooks check` and the loader.
pub fn rule_problems(playbook: &Playbook) -> Vec<RuleProblem> {
    let mut problems = Vec::new();
    resolve(playbook, &mut problems);
    for (kind, patterns) in text_lists(&playbook.matcher) {
        for (index, pattern) in patterns.iter().enumerate() {
            if let Err(message) = compile_one(pattern) {
                problems.push(RuleProblem {
                    playbook: playbook.id.clone(),
                    field: kind.field(),
                    index,
                    message,
                });
            }
        }
    }
    problems
}

fn text_lists(m: &MatchRules) -> [(TextKind, &Vec<String>); 4] {
    [
        (TextKind::Text, &m.text),
        (TextKind::StageText, &m.stage_text),
        (TextKind::Weak, &m.weak_text),
        (TextKind::Not, &m.not_text),
    ]
}

fn compile_one(pattern: &str) -> Result<Regex, String> {
    if pattern.trim().is_empty() {
        // An empty regex matches everything: surely a mistake in a playbook.
        return Err("empty pattern (it would match every response)".to_string());
    }
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(RULE_SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

fn resolve(playbook: &Playbook, problems: &mut Vec<RuleProblem>) -> PlaybookRules {
    let m = &playbook.matcher;
    let mut stages = Vec::new();
    for (index, s) in m.stage.iter().enumerate() {
        match parse_stage(s) {
            Some(stage) => stages.push(stage),
            None => problems.push(RuleProblem {
                playbook: playbook.id.clone(),
                field: "stage",
                index,
                message: format!("unknown stage `{s}` (use MAIL FROM, RCPT TO or DATA)"),
            }),
        }
    }
    let mut status = Vec::new();
    for (index, s) in m.status.iter().enumerate() {
        match StatusPattern::parse(s) {
            Some(p) => status.push(p),
            None => problems.push(RuleProblem {
                playbook: playbook.id.clone(),
                field: "status",
                index,
                message: format!(
                    "`{s}` is not an enhanced status pattern (like 5.1.1, 5.7.*, 5.7.6??)"
                ),
            }),
        }
    }
    PlaybookRules {
        id: playbook.id.clone(),
        priority: m.priority,
        stages,
        transient: m.transient,
        status,
        reply_codes: m.reply_code.clone(),
        fallback: FALLBACK_IDS.contains(&playbook.id.as_str()),
    }
}

fn parse_stage(s: &str) -> Option<Stage> {
    let norm: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    match norm.as_str() {
        "MAIL FROM" | "MAIL" => Some(Stage::MailFrom),
        "RCPT TO" | "RCPT" => Some(Stage::RcptTo),
        "DATA" | "END OF DATA" => Some(Stage::Data),
        _ => None,
    }
}
