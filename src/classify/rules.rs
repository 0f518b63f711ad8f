//! The playbooks' `match` sections, prepared once for fast matching: the text rules go into
//! one [`RuleSet`] (the one way a rule is compiled; see `ruleset`), next to the
//! per-playbook codes, stages and flags the ladder in `classify` needs.

use super::parse_stage;
use super::ruleset::{Candidates, RuleMatch, RuleSet, Trust};
use super::status::StatusPattern;
use super::words;
use crate::bounce::Stage;
use crate::playbook::{Limits, MatchRules, Origin, Playbook, PlaybookSet};

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

/// Where a text rule of the [`RuleSet`] comes from (same index).
#[derive(Debug)]
pub(super) struct TextRule {
    pub playbook: usize,
    pub kind: TextKind,
    /// A rule of the user's own (see [`Compiled::new`]): it outranks the embedded playbooks'
    /// rules on its rung of the ladder.
    pub own: bool,
    /// Its place in its list (`match.text[index]`), for reports.
    pub index: usize,
}

/// One playbook's non-text rules, resolved.
#[derive(Debug, Clone)]
pub(super) struct PlaybookRules {
    pub id: String,
    pub priority: i32,
    pub stages: Vec<Stage>,
    pub transient: bool,
    pub status: Vec<StatusPattern>,
    /// Per entry of `status`: one of the user's own (see [`Compiled::new`]).
    pub status_own: Vec<bool>,
    /// Per entry of `status`: as written.
    status_src: Vec<String>,
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

#[derive(Debug)]
pub(super) struct Compiled {
    pub playbooks: Vec<PlaybookRules>,
    /// Per rule of `set`: where it comes from.
    pub rules: Vec<TextRule>,
    set: RuleSet,
}

/// One playbook going into [`Compiled::build`]: whether its rules are the embedded ones
/// (prepared by the build) and, per rule, whether it is the user's own.
struct Input<'a> {
    playbook: &'a Playbook,
    trust: Trust,
    /// `None`: embedded; `Some(None)`: a new id; `Some(Some(m))`: replaces the embedded
    /// playbook whose rules are `m`.
    same_id: Option<Option<&'a MatchRules>>,
}

impl Input<'_> {
    fn own(&self, entry: &str, list: fn(&MatchRules) -> &Vec<String>) -> bool {
        match self.same_id {
            None => false,
            Some(None) => true,
            Some(Some(m)) => !list(m).iter().any(|e| e == entry),
        }
    }
}

impl Compiled {
    /// The rules of `set`. A rule (text of any kind, or status pattern) is the user's
    /// *own* when it comes from a playbook file and the embedded playbook of the same id
    /// (if any) does not have the same entry in the same list: a user who copies a
    /// built-in playbook to change its steps keeps its rules' built-in rank, and only what
    /// they wrote themselves outranks the built-ins.
    pub fn new(set: &PlaybookSet) -> (Compiled, Vec<RuleProblem>) {
        let builtin = set
            .playbooks
            .iter()
            .any(|(_, origin)| matches!(origin, Origin::File(_)))
            .then(crate::playbook::embedded);
        let inputs = set.playbooks.iter().map(|(playbook, origin)| match origin {
            Origin::Embedded => Input {
                playbook,
                trust: Trust::Embedded,
                same_id: None,
            },
            Origin::File(_) => Input {
                playbook,
                trust: Trust::Checked,
                same_id: Some(
                    builtin
                        .as_ref()
                        .and_then(|b| b.get(&playbook.id))
                        .map(|b| &b.matcher),
                ),
            },
        });
        Compiled::build(inputs)
    }

    /// Problems come per playbook, in its order: stages and status patterns, then text
    /// rules in list order.
    fn build<'a>(inputs: impl IntoIterator<Item = Input<'a>>) -> (Compiled, Vec<RuleProblem>) {
        let mut problems: Vec<Vec<RuleProblem>> = Vec::new();
        let mut playbooks = Vec::new();
        let mut rules = Vec::new();
        let mut patterns: Vec<(String, Trust)> = Vec::new();
        for (index, input) in inputs.into_iter().enumerate() {
            let playbook = input.playbook;
            let mut mine = Vec::new();
            let mut resolved = resolve(playbook, &mut mine);
            resolved.status_own = resolved
                .status_src
                .iter()
                .map(|s| input.own(s, |m| &m.status))
                .collect();
            playbooks.push(resolved);
            for (kind, list) in text_lists(&playbook.matcher) {
                for (i, raw) in list.iter().enumerate() {
                    match expand(&playbook.matcher, raw) {
                        Ok(pattern) => {
                            rules.push(TextRule {
                                playbook: index,
                                kind,
                                own: input.own(raw, list_of(kind)),
                                index: i,
                            });
                            patterns.push((pattern, input.trust));
                        }
                        Err(message) => mine.push(RuleProblem {
                            playbook: playbook.id.clone(),
                            field: kind.field(),
                            index: i,
                            message,
                        }),
                    }
                }
            }
            problems.push(mine);
        }
        let (set, unusable) = RuleSet::new(
            patterns.iter().map(|(p, trust)| (p.as_str(), *trust)),
            &Limits::DEFAULT,
        );
        for u in unusable {
            let rule = &rules[u.rule];
            problems[rule.playbook].push(RuleProblem {
                playbook: playbooks[rule.playbook].id.clone(),
                field: rule.kind.field(),
                index: rule.index,
                message: u.message,
            });
        }
        for list in &mut problems {
            // Stages and statuses first, then text rules by list and place.
            list.sort_by_key(|p| (field_order(p.field), p.index));
        }
        (
            Compiled {
                playbooks,
                rules,
                set,
            },
            problems.into_iter().flatten().collect(),
        )
    }

    /// The rules that match `text`, with where (all kinds; the classifier verifies kinds
    /// lazily through [`Compiled::candidates`] and [`Compiled::verify`]).
    pub fn matching(&self, text: &str) -> Vec<RuleMatch> {
        self.set.matching(text)
    }

    /// The rules whose anchor occurs in `text` (or that have none).
    pub fn candidates(&self, text: &str) -> Candidates {
        self.set.candidates(text)
    }

    /// Run the regexes of the candidate rules that `wanted` selects; the matches, with where.
    pub fn verify(
        &self,
        text: &str,
        candidates: &Candidates,
        wanted: impl Fn(&TextRule) -> bool,
    ) -> Vec<RuleMatch> {
        self.set
            .verify(text, candidates, |rule| wanted(&self.rules[rule]))
    }

    /// How the text rungs rank a playbook's rule: the user's own first, then priority
    /// (see `classify`). Every later tie-break only applies between equal ranks.
    pub fn rank(&self, rule: &TextRule) -> (bool, i32) {
        (rule.own, self.playbooks[rule.playbook].priority)
    }

    /// Rules that can never win because another playbook has the very same (expanded)
    /// pattern as a `text` rule that always outranks it: a strictly higher rank on the same
    /// rung, or any `text` over a `weak_text`. Conservative: the other playbook must have no
    /// `not_text` (which could rule it out) and be `transient` whenever this one is.
    pub fn same_pattern_shadows(&self, not_text: &[bool]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            let Some(pattern) = self.set.pattern(r) else {
                continue;
            };
            if rule.kind == TextKind::Not {
                continue;
            }
            let shadow = self.rules.iter().enumerate().position(|(o, other)| {
                let (mine, theirs) = (
                    &self.playbooks[rule.playbook],
                    &self.playbooks[other.playbook],
                );
                other.playbook != rule.playbook
                    && self.set.pattern(o) == Some(pattern)
                    && !not_text[other.playbook]
                    && (theirs.transient || !mine.transient)
                    && match (other.kind, rule.kind) {
                        (TextKind::Text, TextKind::Weak) => true,
                        (TextKind::Text, TextKind::Text | TextKind::StageText)
                        | (TextKind::Weak, TextKind::Weak) => self.rank(other) > self.rank(rule),
                        _ => false,
                    }
            });
            if let Some(other) = shadow {
                out.push((r, other));
            }
        }
        out
    }

    /// `match.text` and the like, for reports.
    pub fn field(&self, rule: &TextRule) -> &'static str {
        rule.kind.field()
    }
}

/// Report order of a problem's field within one playbook.
fn field_order(field: &str) -> usize {
    [
        "stage",
        "status",
        "text",
        "stage_text",
        "weak_text",
        "not_text",
    ]
    .iter()
    .position(|f| *f == field)
    .unwrap_or(usize::MAX)
}

/// Every problem in one playbook's `match` section (bad regexes, status patterns, stages),
/// found exactly as the classifier finds them for a playbook file.
pub fn rule_problems(playbook: &Playbook) -> Vec<RuleProblem> {
    Compiled::build([Input {
        playbook,
        trust: Trust::Checked,
        same_id: Some(None),
    }])
    .1
}

/// `pattern` with its word classes expanded: the playbook's own, then the shared ones.
pub(super) fn expand(m: &MatchRules, pattern: &str) -> Result<String, String> {
    if !words::uses_words(pattern) {
        return Ok(pattern.to_string());
    }
    words::expand(pattern, &m.words, crate::playbook::shared_words())
}

/// The list of a `match` section a kind of text rule comes from.
fn list_of(kind: TextKind) -> fn(&MatchRules) -> &Vec<String> {
    match kind {
        TextKind::Text => |m| &m.text,
        TextKind::StageText => |m| &m.stage_text,
        TextKind::Weak => |m| &m.weak_text,
        TextKind::Not => |m| &m.not_text,
    }
}

fn text_lists(m: &MatchRules) -> [(TextKind, &Vec<String>); 4] {
    [
        (TextKind::Text, &m.text),
        (TextKind::StageText, &m.stage_text),
        (TextKind::Weak, &m.weak_text),
        (TextKind::Not, &m.not_text),
    ]
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
                message: format!("stage `{s}` can never match (use {})", super::STAGE_NAMES),
            }),
        }
    }
    let mut status = Vec::new();
    let mut status_src = Vec::new();
    for (index, s) in m.status.iter().enumerate() {
        match super::status::check_pattern(s).map(|()| StatusPattern::parse(s)) {
            Ok(Some(p)) => {
                status.push(p);
                status_src.push(s.clone());
            }
            Ok(None) => {}
            Err(message) => problems.push(RuleProblem {
                playbook: playbook.id.clone(),
                field: "status",
                index,
                message,
            }),
        }
    }
    PlaybookRules {
        id: playbook.id.clone(),
        priority: m.priority,
        stages,
        transient: m.transient,
        status,
        status_own: vec![false; status_src.len()],
        status_src,
        reply_codes: m.reply_code.clone(),
        fallback: FALLBACK_IDS.contains(&playbook.id.as_str()),
    }
}
