//! Records × playbooks → a diagnosis with evidence. Rules come from the playbooks' `match`
//! sections (see [`MatchRules`](crate::playbook::MatchRules) for the fields); they are
//! prepared once per [`Classifier`] and each regex is compiled at most once (see `rules`).
//!
//! The ladder, strongest evidence first; the first rung with a candidate decides:
//! 1. `text` / `stage_text` rules, ranked by whether the rule is the user's own, then
//!    priority, then stage, then agreement with the status, then the length of the matched
//!    words;
//! 2. the enhanced status (most specific pattern first): 5.7.1 and friends are ambiguous and
//!    listed by no playbook, so they never decide alone;
//! 3. `weak_text` rules (wordings too vague to overrule a status);
//! 4. problems found in the recipient's address, when the reply is a 5xx refusal;
//! 5. the reply code;
//! 6. the fallback: `generic-553` for a 553, `unclassified` otherwise.
//!
//! **The user's own rules.** A rule the user wrote in a playbook file (config dir or
//! `--playbooks`; see [`rules::Compiled::new`] for which rules count as their own) beats
//! every embedded playbook's rule *on the same rung*: their `text` beats a built-in `text`
//! whatever the priorities, their status pattern beats a built-in one of equal or lower
//! specificity, their `weak_text` a built-in `weak_text`. It never climbs a rung: a
//! built-in `text` match still beats the user's status pattern. Among the user's own rules
//! (and among the built-ins) the usual order holds. The reply-code rung is unchanged.
//!
//! Records that are not failures (delivered, relayed, auto-replies, feedback reports) are
//! `unclassified` at once. Temporary failures (4xx, delayed) only reach playbooks marked
//! `transient`.

mod fold;
mod rules;
pub mod ruleset;
mod status;
pub mod words;

use std::cmp::Reverse;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use rules::{RuleProblem, rule_problems};

use crate::bounce::{Action, Record, Stage};
use crate::playbook::PlaybookSet;
use rules::{Compiled, TextKind};
use ruleset::RuleMatch;

/// Responses longer than this are searched only up to here: the cause is stated at the
/// start, and a pathological paste must not slow every rule down.
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Address problem kinds that are not malformations: a typo'd domain is well formed.
const NOT_SYNTAX_KINDS: [&str; 1] = ["typo"];

/// What decided a diagnosis, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    Text,
    Status,
    /// The reply code, alone or with a problem found in the recipient's address.
    ReplyCode,
    /// Nothing matched: `generic-553` or `unclassified`.
    Fallback,
}

/// The cause named for one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub variation: String,
    pub confidence: f32,
    /// The text that decided it (the matched words, or the code).
    pub evidence: String,
    pub basis: Basis,
}

/// Compiled matching rules for a set of playbooks. Cheap to clone (the rules are shared),
/// and `Send + Sync`: one classifier can serve every thread.
#[derive(Debug, Clone)]
pub struct Classifier {
    compiled: Arc<Compiled>,
}

/// What one record looks like to the rules, computed once per record.
struct Facts<'a> {
    text: &'a str,
    status: Option<&'a str>,
    reply_code: Option<u16>,
    stage: Option<Stage>,
    /// Per rule: whether its anchor occurs in the text (see `ruleset`).
    candidates: ruleset::Candidates,
    /// Verified matches of the `text`, `stage_text` (at an agreeing stage) and `not_text`
    /// rules; `weak_text` rules are verified only if the ladder gets that far.
    matched: Vec<RuleMatch>,
    /// Per playbook: ruled out by a `not_text` match, or (on every rung but the words) by the
    /// record being a temporary failure while the playbook is not `transient`.
    excluded: Vec<bool>,
    /// Per playbook: ruled out by a `not_text` match only. A temporary reply whose words
    /// name a cause gets that cause (the record says it is temporary); only the weaker
    /// evidence (a status, a code) is not trusted on a 4xx for a permanent cause.
    words_excluded: Vec<bool>,
    /// Per playbook: the specificity of its best status pattern matching the record.
    status_hit: Vec<Option<StatusHit>>,
    /// The same for its stage-qualified patterns (`5.7.* at RCPT TO`) admitting the
    /// record's stage: a structural reading, weaker than any words.
    staged_hit: Vec<Option<StatusHit>>,
}

/// A playbook's best status pattern for a record: its specificity, then whether it is the
/// user's own (which outranks built-in patterns of equal or lower specificity).
type StatusHit = (usize, bool);

/// A winning playbook on some rung, before it becomes a [`Diagnosis`].
struct Pick {
    playbook: usize,
    basis: Basis,
    evidence: String,
    confidence: f32,
}

impl Classifier {
    pub fn new(playbooks: &PlaybookSet) -> Self {
        Classifier::with_problems(playbooks).0
    }

    /// Like [`Classifier::new`], also returning the rules that could not be used (bad
    /// regexes in user playbooks, unknown stages, malformed status patterns). Those rules
    /// are skipped; everything else applies.
    pub fn with_problems(playbooks: &PlaybookSet) -> (Self, Vec<RuleProblem>) {
        let (compiled, problems) = Compiled::new(playbooks);
        (
            Classifier {
                compiled: Arc::new(compiled),
            },
            problems,
        )
    }

    /// Name the cause of one record, with the evidence that decided it (see the module
    /// docs for the ladder). Never panics, whatever the record holds.
    pub fn classify(&self, record: &Record) -> Diagnosis {
        if let Some(d) = not_a_failure(record) {
            return d;
        }
        let facts = self.facts(record);
        let pick = self
            .by_text(&facts, &[TextKind::Text, TextKind::StageText])
            .or_else(|| self.by_status(&facts))
            .or_else(|| self.by_weak_text(&facts))
            .or_else(|| self.by_staged_status(&facts))
            .or_else(|| self.by_address(&facts, record))
            .or_else(|| self.by_reply_code(&facts));
        match pick {
            Some(p) => self.finish(p, &facts),
            None => fallback(&facts),
        }
    }

    fn facts<'a>(&self, record: &'a Record) -> Facts<'a> {
        let text = cap(record.diagnostic.as_deref().unwrap_or("").trim());
        let status = status::effective(record.status.as_deref(), text);
        let reply_code = record.reply_code.or_else(|| leading_reply_code(text));
        let transient = record.action == Action::Delayed
            || match reply_code {
                Some(code) => (400..500).contains(&code),
                None => status.is_some_and(|s| s.starts_with('4')),
            };
        let playbooks = &self.compiled.playbooks;
        let candidates = self.compiled.candidates(text);
        let matched = self
            .compiled
            .verify(text, &candidates, |rule| match rule.kind {
                TextKind::Text | TextKind::Not => true,
                TextKind::StageText => record
                    .stage
                    .is_some_and(|s| playbooks[rule.playbook].stages.contains(&s)),
                TextKind::Weak => false,
            });
        // The words of a server's temporary reply (4xx) name its cause; a temporary failure
        // with no such reply (a delayed notice, a 4.x.x status from the sender's own DNS
        // lookups) is the sending side's retry, and only `transient` causes read it.
        let replied_4xx = reply_code.is_some_and(|c| (400..500).contains(&c));
        let mut words_excluded: Vec<bool> = playbooks
            .iter()
            .map(|p| transient && !replied_4xx && !p.transient && !p.fallback)
            .collect();
        for m in &matched {
            let rule = &self.compiled.rules[m.rule];
            if rule.kind == TextKind::Not {
                words_excluded[rule.playbook] = true;
            }
        }
        let excluded: Vec<bool> = playbooks
            .iter()
            .zip(&words_excluded)
            .map(|(p, &not)| not || (transient && !p.transient && !p.fallback))
            .collect();
        let parsed = status.and_then(status::Status::parse);
        // Per playbook, the most specific status pattern that fits: plain patterns first;
        // stage-qualified ones (`5.7.* at RCPT TO`) only where the record's stage admits them.
        let best_status_hit =
            |admits: &dyn Fn(&status::StatusPattern) -> bool| -> Vec<Option<StatusHit>> {
                playbooks
                    .iter()
                    .zip(&excluded)
                    .map(|(p, &out)| {
                        let s = parsed.as_ref().filter(|_| !out)?;
                        p.status
                            .iter()
                            .zip(&p.status_own)
                            .filter(|(pat, _)| admits(pat) && pat.matches(s))
                            .map(|(pat, &own)| (pat.specificity, own))
                            .max()
                    })
                    .collect()
            };
        let status_hit = best_status_hit(&|pat| pat.stage.is_none());
        let staged_hit = best_status_hit(&|pat| pat.stage.is_some_and(|q| q.admits(record.stage)));
        Facts {
            text,
            status,
            reply_code,
            stage: record.stage,
            candidates,
            matched,
            excluded,
            words_excluded,
            status_hit,
            staged_hit,
        }
    }

    fn stage_agrees(&self, playbook: usize, facts: &Facts) -> bool {
        facts
            .stage
            .is_some_and(|s| self.compiled.playbooks[playbook].stages.contains(&s))
    }

    /// The playbook the status alone would name (most specific pattern, then stage, then
    /// priority), ignoring the fallback ids.
    fn status_choice(&self, facts: &Facts) -> Option<(usize, StatusHit)> {
        self.choice_among(facts, &facts.status_hit)
    }

    fn choice_among(
        &self,
        facts: &Facts,
        hits: &[Option<StatusHit>],
    ) -> Option<(usize, StatusHit)> {
        let playbooks = &self.compiled.playbooks;
        (0..playbooks.len())
            .filter_map(|i| hits[i].map(|spec| (i, spec)))
            .max_by_key(|&(i, spec)| {
                let code_agrees = facts
                    .reply_code
                    .is_some_and(|c| playbooks[i].reply_codes.contains(&c));
                (
                    spec,
                    self.stage_agrees(i, facts),
                    code_agrees,
                    playbooks[i].priority,
                    Reverse(i),
                )
            })
    }

    fn by_weak_text(&self, facts: &Facts) -> Option<Pick> {
        let weak = self.compiled.verify(facts.text, &facts.candidates, |rule| {
            rule.kind == TextKind::Weak && !facts.excluded[rule.playbook]
        });
        self.by_text_in(facts, &weak, &[TextKind::Weak])
    }

    fn by_text(&self, facts: &Facts, kinds: &[TextKind]) -> Option<Pick> {
        self.by_text_in(facts, &facts.matched, kinds)
    }

    fn by_text_in(&self, facts: &Facts, matched: &[RuleMatch], kinds: &[TextKind]) -> Option<Pick> {
        // Best match per playbook: the user's own rules first, then the longest words.
        let mut best: Vec<Option<(bool, usize, &str)>> = vec![None; self.compiled.playbooks.len()];
        for m in matched {
            let rule = &self.compiled.rules[m.rule];
            let p = rule.playbook;
            let excluded = if rule.kind == TextKind::Weak {
                facts.excluded[p]
            } else {
                facts.words_excluded[p]
            };
            if !kinds.contains(&rule.kind) || excluded {
                continue;
            }
            if rule.kind == TextKind::StageText && !self.stage_agrees(p, facts) {
                continue;
            }
            let len = m.end - m.start;
            if best[p].is_none_or(|(own, best_len, _)| (rule.own, len) > (own, best_len)) {
                best[p] = Some((
                    rule.own,
                    len,
                    facts.text.get(m.start..m.end).unwrap_or_default(),
                ));
            }
        }
        let status_choice = self.status_choice(facts).map(|(i, _)| i);
        let playbooks = &self.compiled.playbooks;
        let key = |i: usize, own: bool, len: usize| {
            (
                own,
                playbooks[i].priority,
                self.stage_agrees(i, facts),
                status_choice == Some(i),
                len,
                Reverse(i),
            )
        };
        let winner = (0..best.len())
            .filter_map(|i| best[i].map(|(own, len, _)| (i, own, len)))
            .max_by_key(|&(i, own, len)| key(i, own, len))?
            .0;
        let (own, _, words) = best[winner]?;
        let contested = (0..best.len()).any(|i| {
            i != winner
                && best[i].is_some_and(|(other_own, _, _)| other_own == own)
                && playbooks[i].priority == playbooks[winner].priority
        });
        let strong = kinds.contains(&TextKind::Text);
        let mut confidence = if strong { 0.85 } else { 0.55 };
        match status_choice {
            Some(s) if s == winner => confidence += 0.1,
            Some(_) => confidence -= 0.15,
            None => {}
        }
        if self.stage_agrees(winner, facts) {
            confidence += 0.03;
        }
        if contested {
            confidence -= 0.1;
        }
        Some(Pick {
            playbook: winner,
            basis: Basis::Text,
            evidence: one_line(words),
            confidence,
        })
    }

    fn by_status(&self, facts: &Facts) -> Option<Pick> {
        let (winner, (spec, _)) = self.status_choice(facts)?;
        let status = facts.status.unwrap_or_default();
        let p = &self.compiled.playbooks[winner];
        let mut confidence = if spec >= 3 { 0.6 } else { 0.5 };
        if facts.reply_code.is_some_and(|c| p.reply_codes.contains(&c)) {
            confidence += 0.05;
        }
        if self.stage_agrees(winner, facts) {
            confidence += 0.03;
        }
        Some(Pick {
            playbook: winner,
            basis: Basis::Status,
            evidence: format!("status {status} ({})", status::meaning(status)),
            confidence,
        })
    }

    /// A status that names only a class of causes (5.7.x: security or policy), read with
    /// the SMTP command it answered: RCPT TO points at the relay, MAIL FROM at the sender.
    fn by_staged_status(&self, facts: &Facts) -> Option<Pick> {
        // A 553 whose words name no cause and whose status says only "security or policy"
        // (`553 5.7.1 Message rejected`): the guide's general steps, not one cause.
        if facts.reply_code == Some(553) {
            return None;
        }
        let (winner, _) = self.choice_among(facts, &facts.staged_hit)?;
        let status = facts.status.unwrap_or_default();
        let meaning = status::meaning(status);
        let (evidence, confidence) = match facts.stage {
            Some(stage) => (
                format!("status {status} ({meaning}) in reply to {}", stage.as_str()),
                0.45,
            ),
            None => (
                format!("status {status} ({meaning}); the bounce does not say the stage"),
                0.35,
            ),
        };
        Some(Pick {
            playbook: winner,
            basis: Basis::Status,
            evidence,
            confidence,
        })
    }

    /// A vague 5xx refusal of a recipient whose address is itself malformed (or a typo of a
    /// popular domain) is most likely about that address.
    fn by_address(&self, facts: &Facts, record: &Record) -> Option<Pick> {
        let code = facts.reply_code.filter(|c| (500..600).contains(c))?;
        if facts.stage == Some(Stage::MailFrom) || facts.stage == Some(Stage::Data) {
            return None;
        }
        let computed;
        let problems = if record.address_problems.is_empty() {
            computed = crate::bounce::address::check(record.recipient.as_deref()?);
            &computed
        } else {
            &record.address_problems
        };
        let syntax = problems
            .iter()
            .find(|p| !NOT_SYNTAX_KINDS.contains(&p.kind.as_str()));
        let (id, problem) = match syntax {
            Some(p) => ("address-syntax", p),
            // A typo suggestion is a guess; a remote server that answered for the domain
            // shows that it exists, and then the guess says nothing about the refusal.
            None if record.remote_host.is_some() || record.remote_ip.is_some() => return None,
            None => ("recipient-domain-missing", problems.first()?),
        };
        let playbook = self.index_of(id).filter(|&i| !facts.excluded[i])?;
        Some(Pick {
            playbook,
            basis: Basis::ReplyCode,
            evidence: format!("{code} and the recipient address: {}", problem.message),
            confidence: 0.45,
        })
    }

    fn by_reply_code(&self, facts: &Facts) -> Option<Pick> {
        let code = facts.reply_code?;
        let playbooks = &self.compiled.playbooks;
        let winner = (0..playbooks.len())
            .filter(|&i| !facts.excluded[i] && playbooks[i].reply_codes.contains(&code))
            .filter(|&i| {
                // Code evidence only counts at a plausible stage.
                facts.stage.is_none()
                    || playbooks[i].stages.is_empty()
                    || self.stage_agrees(i, facts)
            })
            .max_by_key(|&i| {
                (
                    self.stage_agrees(i, facts),
                    playbooks[i].priority,
                    Reverse(i),
                )
            })?;
        let confidence = if self.stage_agrees(winner, facts) {
            0.4
        } else {
            0.35
        };
        Some(Pick {
            playbook: winner,
            basis: Basis::ReplyCode,
            evidence: format!("reply code {code}"),
            confidence,
        })
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        self.compiled.playbooks.iter().position(|p| p.id == id)
    }

    fn finish(&self, pick: Pick, facts: &Facts) -> Diagnosis {
        let p = &self.compiled.playbooks[pick.playbook];
        let variation = if p.fallback {
            fallback_id(facts).to_string()
        } else {
            p.id.clone()
        };
        Diagnosis {
            variation,
            confidence: pick.confidence.clamp(0.05, 0.99),
            evidence: pick.evidence,
            basis: pick.basis,
        }
    }
}

fn fallback_id(facts: &Facts) -> &'static str {
    if facts.reply_code == Some(553) {
        "generic-553"
    } else {
        "unclassified"
    }
}

fn fallback(facts: &Facts) -> Diagnosis {
    let id = fallback_id(facts);
    let evidence = match (facts.reply_code, facts.status) {
        (Some(c), Some(s)) => format!("{c} {s}: no known wording"),
        (Some(c), None) => format!("{c}: no known wording"),
        (None, Some(s)) => format!("status {s}: no known wording"),
        (None, None) if facts.text.is_empty() => "no server response".to_string(),
        (None, None) => "no known wording".to_string(),
    };
    Diagnosis {
        variation: id.to_string(),
        confidence: if id == "generic-553" { 0.3 } else { 0.2 },
        evidence,
        basis: Basis::Fallback,
    }
}

/// Records that report something other than a failure get no cause.
fn not_a_failure(record: &Record) -> Option<Diagnosis> {
    let why = match record.action {
        Action::Failed | Action::Delayed => match record.reply_code {
            Some(code @ 200..=399) => format!("reply code {code}: not a failure"),
            _ => return None,
        },
        other => format!("action {}: not a failure", other.as_str()),
    };
    Some(Diagnosis {
        variation: "unclassified".to_string(),
        confidence: 0.95,
        evidence: why,
        basis: Basis::Fallback,
    })
}

/// Rules of `set` that can never win (for `playbooks check`), found two ways:
/// - another playbook has the same pattern as a `text` rule that always outranks it;
/// - a `text` / `stage_text` rule matches some of the set's `match.examples` lines and
///   every one of them gets another playbook's cause.
///
/// A rule that matches no example and has no twin is not judged: only what can be shown is
/// reported. Each problem names the playbook, the list and the index of the rule.
pub fn shadowed_rules(set: &PlaybookSet) -> Vec<RuleProblem> {
    let classifier = Classifier::new(set);
    let compiled = &classifier.compiled;
    let not_text: Vec<bool> = set
        .playbooks
        .iter()
        .map(|(p, _)| !p.matcher.not_text.is_empty())
        .collect();
    let problem = |rule: &rules::TextRule, message: String| RuleProblem {
        playbook: compiled.playbooks[rule.playbook].id.clone(),
        field: compiled.field(rule),
        index: rule.index,
        message,
    };
    let mut out = Vec::new();
    let mut reported = vec![false; compiled.rules.len()];
    for (r, other) in compiled.same_pattern_shadows(&not_text) {
        let (rule, other) = (&compiled.rules[r], &compiled.rules[other]);
        reported[r] = true;
        out.push(problem(
            rule,
            format!(
                "can never win: playbook `{}` has the same rule (match.{}[{}]) and ranks higher",
                compiled.playbooks[other.playbook].id,
                compiled.field(other),
                other.index
            ),
        ));
    }
    // Per rule: the examples it matches, and whether any of them gets its cause.
    let mut matched: Vec<Option<(String, String)>> = vec![None; compiled.rules.len()];
    let mut won = vec![false; compiled.rules.len()];
    for (playbook, _) in &set.playbooks {
        for example in &playbook.matcher.examples {
            let stage = example.stage.as_deref().and_then(parse_stage);
            let record = Record {
                diagnostic: Some(example.line.clone()),
                stage,
                ..Record::default()
            };
            let got = classifier.classify(&record).variation;
            for m in compiled.matching(cap(example.line.trim())) {
                let rule = &compiled.rules[m.rule];
                let p = &compiled.playbooks[rule.playbook];
                // `weak_text` is vague by design and loses to any words: judged by twins only.
                let counts = match rule.kind {
                    TextKind::Not | TextKind::Weak => false,
                    TextKind::StageText => stage.is_some_and(|s| p.stages.contains(&s)),
                    TextKind::Text => true,
                };
                if !counts {
                    continue;
                }
                let fallback_won = p.fallback && rules::FALLBACK_IDS.contains(&got.as_str());
                if got == p.id || fallback_won {
                    won[m.rule] = true;
                } else if matched[m.rule].is_none() {
                    matched[m.rule] = Some((got.clone(), example.line.clone()));
                }
            }
        }
    }
    for (r, rule) in compiled.rules.iter().enumerate() {
        if let (Some((got, line)), false, false) = (&matched[r], won[r], reported[r]) {
            out.push(problem(
                rule,
                format!(
                    "never wins on the examples it matches: each gets another cause \
                     (`{line}` gets {got})"
                ),
            ));
        }
    }
    out
}

/// The stages a playbook may name, as `playbooks check` lists them.
pub const STAGE_NAMES: &str = "CONNECT, HELO, MAIL FROM, RCPT TO or DATA";

/// The stage a playbook names (`CONNECT`, `HELO`, `MAIL FROM`, `RCPT TO`, `DATA`, the
/// names `triage --json` prints, plus the commands' own short names; case and spacing
/// free).
pub fn parse_stage(s: &str) -> Option<Stage> {
    let norm: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    match norm.as_str() {
        // The greeting: the server refused the connection itself.
        "CONNECT" => Some(Stage::Connect),
        // The parser reads EHLO and LHLO as the HELO stage too.
        "HELO" | "EHLO" | "LHLO" => Some(Stage::Helo),
        "MAIL FROM" | "MAIL" => Some(Stage::MailFrom),
        "RCPT TO" | "RCPT" => Some(Stage::RcptTo),
        "DATA" | "END OF DATA" => Some(Stage::Data),
        _ => None,
    }
}

/// `pattern` (a `match` text rule of `m`) with its word classes expanded, as every reader
/// of rules expands it.
pub fn expand_rule(m: &crate::playbook::MatchRules, pattern: &str) -> Result<String, String> {
    rules::expand(m, pattern)
}

/// Why a `match.status` entry can never match, if it cannot (for `playbooks check`).
pub fn check_status_pattern(s: &str) -> Result<(), String> {
    status::check_pattern(s)
}

/// `553 ...` / `553-...` at the start of a bare response whose code the parser did not set.
fn leading_reply_code(text: &str) -> Option<u16> {
    let head = text.get(..3)?;
    let code: u16 = head.parse().ok()?;
    let next = text[3..].chars().next();
    ((400..600).contains(&code) && next.is_none_or(|c| c == ' ' || c == '-')).then_some(code)
}

fn cap(text: &str) -> &str {
    &text[..text.floor_char_boundary(MAX_TEXT_BYTES)]
}

/// Matched words as one readable line (a rule may span a folded response).
fn one_line(words: &str) -> String {
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}
