//! The playbooks' `match` sections, prepared once for fast matching, plus the per-playbook
//! codes, stages and flags the ladder in `classify` needs.
//!
//! Why not one `RegexSet` of all rules: a set of a few hundred case-insensitive rules is
//! slow to build, and slow on every response it has not seen (its lazy DFA builds states
//! for every new text), which alone would eat the triage time budget. Instead every rule's required prefix literals
//! (its anchors, see `anchors`; for the embedded playbooks computed at build time) go, cut
//! to their first characters, into one Aho-Corasick automaton over the lower-cased response;
//! only rules whose literal occurs (a handful) run their own regex, compiled once on first
//! need. A rule with no literal prefix (`[a-z.]+ does not exist`) is anchored by the
//! literals that end every match instead, and searched unanchored only when one occurs.
//! Rules with neither always run. The answer is the same as the set's: the literal is
//! necessary for a match, never sufficient.

use std::sync::OnceLock;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, meta};
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Literal, Look, Repetition,
};

use super::anchors::{self, Anchors, EMPTY_PATTERN};
use super::embedded_anchors;
use super::fold::{self, Lowered};
use super::parse_stage;
use super::status::StatusPattern;
use super::words;
use crate::bounce::Stage;
use crate::playbook::{MatchRules, Origin, Playbook, PlaybookSet};

/// Compiled size limit for one rule: the playbook checker's, so that a rule `playbooks
/// check` accepts is one the classifier can use. Generous for hand-written wordings and
/// composed word classes, small enough that a runaway user regex (`(a{1000}){1000}`) is
/// refused instead of eating memory.
const RULE_SIZE_LIMIT: usize = crate::playbook::Limits::DEFAULT.max_regex_bytes;
/// The automaton looks for the anchors' first this many characters only. Every match still
/// starts with one of these shortened keys, so the answers are the same, and the literals
/// collapse into far fewer keys whose trie is much smaller and quicker to build (most of
/// `Compiled::new`). The price is a few more candidate rules per response, so a little more
/// regex compiling on a first triage (rules compile on first need). Longer keys build
/// slower for few fewer candidates; shorter ones let through many more (`benches/playbooks`
/// measures the build).
const PREFILTER_CHARS: usize = 12;

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

#[derive(Debug)]
pub(super) struct TextRule {
    pub playbook: usize,
    pub kind: TextKind,
    /// A rule of the user's own (see [`Compiled::new`]): it outranks the embedded playbooks'
    /// rules on its rung of the ladder.
    pub own: bool,
    /// Its place in its list (`match.text[index]`), for reports.
    pub index: usize,
    pattern: String,
    /// Whether its anchors start every match (then it is searched only at them) and hold
    /// no character that would make their places in the lower-cased text unreliable (see
    /// `fold`).
    anchored_at_start: bool,
    /// Compiled on first need; `None` if it cannot be (reported up front for user files).
    regex: OnceLock<Option<Matcher>>,
    /// The same rule cut down to what it can match in ASCII responses (most of them).
    ascii: OnceLock<Option<Matcher>>,
}

/// One rule's compiled regex and the longest text it can match.
#[derive(Debug)]
struct Matcher {
    regex: meta::Regex,
    /// In bytes; `None` when unbounded (`\S+`, `.*`). Nearly every rule is a bounded
    /// wording, and an anchored search then only needs the next `max_len` bytes: the
    /// backtracker clears a visited set as large as the span times the NFA, which was most
    /// of the classifier's time on long responses.
    max_len: Option<usize>,
}

impl Matcher {
    /// The leftmost match starting exactly at `at`. Look-around (`\b`, `$`) still sees the
    /// whole text: a span only limits where the match may lie.
    fn find_at(&self, text: &str, at: usize) -> Option<regex_automata::Match> {
        let end = self
            .max_len
            .map_or(text.len(), |max| at.saturating_add(max).min(text.len()));
        self.regex
            .find(Input::new(text).span(at..end).anchored(Anchored::Yes))
    }
}

impl TextRule {
    fn regex(&self) -> Option<&Matcher> {
        self.regex
            .get_or_init(|| compile_matcher(&self.pattern, false))
            .as_ref()
    }

    /// The regex to search `text` with. On ASCII text the compilation cut down to ASCII
    /// ([`for_ascii_haystack`]) finds exactly what the full one finds; its NFA is many
    /// times smaller, so it is cheaper both to build and to run. Every rule here is known to compile
    /// with Unicode (user rules are compiled up front, embedded ones by the test suite).
    fn regex_for(&self, text_is_ascii: bool) -> Option<&Matcher> {
        if text_is_ascii
            && let Some(re) = self
                .ascii
                .get_or_init(|| compile_matcher(&self.pattern, true))
                .as_ref()
        {
            return Some(re);
        }
        self.regex()
    }
}

/// One rule that matched a response, with the matched span.
#[derive(Debug, Clone, Copy)]
pub(super) struct RuleMatch {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
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

/// Which rules can match a response: the Aho-Corasick automaton of the keys of all anchors
/// (see [`PREFILTER_CHARS`]), which rules each key belongs to, and the rules with no anchor.
#[derive(Debug)]
struct Prefilter {
    automaton: Option<AhoCorasick>,
    rules_of_key: Vec<Vec<usize>>,
    always: Vec<usize>,
}

/// Collects the rules' anchors into the keys of the [`Prefilter`].
#[derive(Default)]
struct PrefilterBuilder {
    keys: Vec<String>,
    /// Key text -> its index in `keys`: ~2,000 anchors share ~850 keys, and a linear
    /// search per anchor was a visible part of start-up.
    key_index: HashMap<String, usize>,
    rules_of_key: Vec<Vec<usize>>,
    always: Vec<usize>,
}

impl PrefilterBuilder {
    /// Add `rule` (rules come in ascending order) with its anchors, `None` if it has none.
    fn add<S: AsRef<str>>(&mut self, rule: usize, anchors: Option<&[S]>) {
        let Some(anchors) = anchors else {
            self.always.push(rule);
            return;
        };
        for anchor in anchors {
            let key = prefilter_key(anchor.as_ref());
            match self.key_index.get(key) {
                Some(&k) => {
                    // Two anchors of one rule can share a key.
                    if self.rules_of_key[k].last() != Some(&rule) {
                        self.rules_of_key[k].push(rule);
                    }
                }
                None => {
                    self.key_index.insert(key.to_string(), self.keys.len());
                    self.keys.push(key.to_string());
                    self.rules_of_key.push(vec![rule]);
                }
            }
        }
    }

    fn build(self, rule_count: usize) -> Prefilter {
        // A contiguous NFA searches faster than the noncontiguous one it is made from, for
        // a little more build time; a full DFA searches faster still but costs far more to
        // build.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&self.keys);
        match automaton {
            Ok(ac) => Prefilter {
                automaton: Some(ac),
                rules_of_key: self.rules_of_key,
                always: self.always,
            },
            // Cannot happen with a few thousand short literals; if it does, run every rule.
            Err(_) => Prefilter {
                automaton: None,
                rules_of_key: Vec::new(),
                always: (0..rule_count).collect(),
            },
        }
    }
}

/// Add a rule with the anchors parsed now (not from the build-time table); whether they
/// start every match.
fn add_parsed(prefilter: &mut PrefilterBuilder, rule: usize, found: Option<Anchors>) -> bool {
    prefilter.add(rule, found.as_ref().map(|a| a.literals.as_slice()));
    found.is_some_and(|a| a.at_start && a.literals.iter().all(|l| fold::is_plain(l)))
}

/// What the automaton looks for: the anchor's first [`PREFILTER_CHARS`] characters.
fn prefilter_key(anchor: &str) -> &str {
    match anchor.char_indices().nth(PREFILTER_CHARS) {
        Some((end, _)) => &anchor[..end],
        None => anchor,
    }
}

#[derive(Debug)]
pub(super) struct Compiled {
    pub playbooks: Vec<PlaybookRules>,
    pub rules: Vec<TextRule>,
    prefilter: Prefilter,
}

impl Compiled {
    /// The rules of `set`. A rule (text of any kind, or status pattern) is the user's
    /// *own* when it comes from a playbook file and the embedded playbook of the same id
    /// (if any) does not have the same entry in the same list: a user who copies a
    /// built-in playbook to change its steps keeps its rules' built-in rank, and only what
    /// they wrote themselves outranks the built-ins.
    pub fn new(set: &PlaybookSet) -> (Compiled, Vec<RuleProblem>) {
        let mut problems = Vec::new();
        let mut playbooks = Vec::new();
        let mut rules = Vec::new();
        let mut prefilter = PrefilterBuilder::default();
        let builtin = set
            .playbooks
            .iter()
            .any(|(_, origin)| matches!(origin, Origin::File(_)))
            .then(crate::playbook::embedded);
        for (index, (playbook, origin)) in set.playbooks.iter().enumerate() {
            let same_id = match origin {
                Origin::Embedded => None,
                Origin::File(_) => Some(
                    builtin
                        .as_ref()
                        .and_then(|b| b.get(&playbook.id))
                        .map(|b| &b.matcher),
                ),
            };
            // `None`: embedded; `Some(None)`: a new id; `Some(Some(m))`: replaces `m`.
            let own = |entry: &str, list: fn(&MatchRules) -> &Vec<String>| match same_id {
                None => false,
                Some(None) => true,
                Some(Some(m)) => !list(m).iter().any(|e| e == entry),
            };
            let mut resolved = resolve(playbook, &mut problems);
            resolved.status_own = resolved
                .status_src
                .iter()
                .map(|s| own(s, |m| &m.status))
                .collect();
            playbooks.push(resolved);
            for (kind, patterns) in text_lists(&playbook.matcher) {
                for (i, raw) in patterns.iter().enumerate() {
                    let is_own = own(raw, list_of(kind));
                    // User files are compiled now so that every broken rule is reported.
                    // The embedded ones are checked by the build (which computed their
                    // anchors) and the test suite, and compiled lazily; parsing them here
                    // was most of start-up.
                    let rule = rules.len();
                    let prepared = expand(&playbook.matcher, raw).and_then(|pattern| {
                        let at_start = match origin {
                            Origin::Embedded => match embedded_anchors::lookup(&pattern) {
                                Some(found) => {
                                    prefilter.add(rule, found.map(|e| e.literals));
                                    found.is_some_and(|e| {
                                        e.at_start && e.literals.iter().all(|l| fold::is_plain(l))
                                    })
                                }
                                // Not in the build-time table (the test suite says it
                                // cannot happen): parse it now.
                                None => add_parsed(&mut prefilter, rule, anchors::of(&pattern)?),
                            },
                            Origin::File(_) => {
                                compile_one(&pattern)?;
                                let found = anchors::of(&pattern).ok().flatten();
                                add_parsed(&mut prefilter, rule, found)
                            }
                        };
                        Ok((pattern, at_start))
                    });
                    let (pattern, anchored_at_start) = match prepared {
                        Ok(prepared) => prepared,
                        Err(message) => {
                            problems.push(RuleProblem {
                                playbook: playbook.id.clone(),
                                field: kind.field(),
                                index: i,
                                message,
                            });
                            continue;
                        }
                    };
                    rules.push(TextRule {
                        playbook: index,
                        kind,
                        own: is_own,
                        index: i,
                        pattern: pattern.clone(),
                        anchored_at_start,
                        regex: OnceLock::new(),
                        ascii: OnceLock::new(),
                    });
                }
            }
        }
        let prefilter = prefilter.build(rules.len());
        (
            Compiled {
                playbooks,
                rules,
                prefilter,
            },
            problems,
        )
    }

    /// The rules that match `text`, with where (all kinds; the classifier verifies kinds
    /// lazily through [`Compiled::candidates`] and [`Compiled::verify`]).
    pub fn matching(&self, text: &str) -> Vec<RuleMatch> {
        self.verify(text, &self.candidates(text), |_| true)
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
            if rule.kind == TextKind::Not {
                continue;
            }
            let shadow = self.rules.iter().position(|other| {
                let (mine, theirs) = (
                    &self.playbooks[rule.playbook],
                    &self.playbooks[other.playbook],
                );
                other.playbook != rule.playbook
                    && other.pattern == rule.pattern
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

    /// The rules whose anchor occurs in `text` (or that have none), i.e. that can match
    /// at all, and where the anchors occur. Cheap: one Aho-Corasick pass over the
    /// lower-cased text.
    pub fn candidates(&self, text: &str) -> Candidates {
        let mut out = Candidates {
            rules: Vec::new(),
            starts: Vec::new(),
            ascii: text.is_ascii(),
        };
        if text.is_empty() {
            return out;
        }
        out.rules.extend_from_slice(&self.prefilter.always);
        if let Some(ac) = &self.prefilter.automaton {
            let lower = Lowered::new(text);
            for m in ac.find_overlapping_iter(&lower.text) {
                for &rule in &self.prefilter.rules_of_key[m.pattern().as_usize()] {
                    out.rules.push(rule);
                    if self.rules[rule].anchored_at_start
                        && let Some(at) = lower.origin(m.start())
                    {
                        out.starts.push((rule, at));
                    }
                }
            }
        }
        out.rules.sort_unstable();
        out.rules.dedup();
        out.starts.sort_unstable();
        out.starts.dedup();
        out
    }

    /// Run the regexes of the candidate rules that `wanted` selects; the matches, with where.
    pub fn verify(
        &self,
        text: &str,
        candidates: &Candidates,
        wanted: impl Fn(&TextRule) -> bool,
    ) -> Vec<RuleMatch> {
        candidates
            .rules
            .iter()
            .copied()
            .filter(|&rule| wanted(&self.rules[rule]))
            .filter_map(|rule| {
                let re = self.rules[rule].regex_for(candidates.ascii)?;
                let m = match candidates.anchor_starts(rule) {
                    // Every match starts with one of the rule's anchors, hence with the
                    // shortened key of one, so the leftmost match is the anchored match at
                    // the first key position that has one. Much cheaper than an unanchored
                    // search, which tries every position: on non-ASCII text (Unicode
                    // regex, Unicode `\b`) that was half the time spent in regexes.
                    Some(starts) => starts.iter().find_map(|&(_, at)| re.find_at(text, at))?,
                    None => re.regex.find(text)?,
                };
                Some(RuleMatch {
                    rule,
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect()
    }
}

/// Which rules can match one text (see [`Compiled::candidates`]).
pub(super) struct Candidates {
    /// Ascending, so that matches come in rule order (the ladder's tie-breaks rely on it).
    /// A list, not a flag per rule: a response has a handful among ~200 rules, and the
    /// list is walked once per rung that verifies rules.
    rules: Vec<usize>,
    /// (rule, where one of its anchors' keys starts, as an offset of the text), sorted;
    /// none for a rule searched unanchored.
    starts: Vec<(usize, usize)>,
    ascii: bool,
}

impl Candidates {
    /// Where the keys of `rule`'s anchors start (where its match may start), ascending, as
    /// (rule, position) pairs; `None` for a rule not anchored at its start.
    fn anchor_starts(&self, rule: usize) -> Option<&[(usize, usize)]> {
        let from = self.starts.partition_point(|&(r, _)| r < rule);
        let to = self.starts.partition_point(|&(r, _)| r <= rule);
        let starts = &self.starts[from..to];
        (!starts.is_empty()).then_some(starts)
    }
}

/// The anchors of `pattern` as the classifier uses them.
#[cfg(test)]
fn anchors_for(pattern: &str) -> Option<Anchors> {
    anchors::of(pattern).ok().flatten()
}

/// The regex a rule is matched with: the same language as [`compile_one`]'s (same syntax,
/// case-insensitive, same size limit), built with less machinery. The Aho-Corasick pass
/// already is the prefilter, so the regex's own literal prefilter (a third of the build
/// time on case-insensitive Unicode patterns) is off; only the overall span is read, so no
/// capture groups; and searches are anchored (at the anchors' places, see
/// [`Compiled::verify`]), so no reverse NFA is needed. On ASCII responses (most of them) the
/// lazy DFA runs the search: the cut-down automaton is small, ASCII word boundaries are
/// within its reach, and its states, built as texts need them, are kept for the next
/// response. On other text the bounded backtracker / PikeVM run over the full NFA (a lazy
/// DFA gives up at the first non-ASCII byte when a pattern has Unicode `\b`).
///
/// With `ascii_haystack` the pattern is compiled for ASCII haystacks only (see
/// [`TextRule::regex_for`] and [`for_ascii_haystack`]); UTF-8 mode is off then so that
/// ASCII `\b` and byte classes are allowed.
fn compile_matcher(pattern: &str, ascii_haystack: bool) -> Option<Matcher> {
    if pattern.trim().is_empty() {
        return None;
    }
    let mut hir = syntax::parse_with(
        pattern,
        &syntax::Config::new().case_insensitive(true).unicode(true),
    )
    .ok()?;
    if ascii_haystack {
        hir = for_ascii_haystack(hir);
    }
    let regex = meta::Builder::new()
        .syntax(syntax::Config::new().utf8(!ascii_haystack))
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(RULE_SIZE_LIMIT))
                .onepass_size_limit(Some(RULE_SIZE_LIMIT))
                .auto_prefilter(false)
                .which_captures(WhichCaptures::Implicit)
                .onepass(false)
                .hybrid(ascii_haystack)
                .dfa(false),
        )
        .build_from_hir(&hir)
        .ok()?;
    Some(Matcher {
        regex,
        max_len: hir.properties().maximum_len(),
    })
}

/// `hir` (a Unicode, case-folded pattern) cut down to what it can match in ASCII text.
/// On an ASCII haystack a match consumes ASCII characters only, so every class may lose
/// its non-ASCII ranges and a non-ASCII literal may become a branch that never matches;
/// Unicode word boundaries agree with ASCII ones between ASCII characters. The result
/// matches exactly where the full pattern does, in ASCII text, and its automaton is a
/// fraction of the size: the word classes hold words of many languages and the gaps
/// between words are negated classes, which in Unicode span hundreds of ranges, so the
/// full NFA made every search (and the Unicode `\b` checks) several times slower.
/// Folding happened before the cut, so `ſ` (which folds to `s`) still matches `s`.
fn for_ascii_haystack(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(Literal(bytes)) if bytes.is_ascii() => Hir::literal(bytes),
        HirKind::Literal(_) => Hir::fail(),
        HirKind::Class(Class::Unicode(mut class)) => {
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(mut class)) => {
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) => Hir::look(ascii_look(look)),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(for_ascii_haystack(*rep.sub)),
            ..rep
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(for_ascii_haystack(*cap.sub)),
            ..cap
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(for_ascii_haystack).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(for_ascii_haystack).collect())
        }
    }
}

fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// Every problem in one playbook's `match` section (bad regexes, status patterns, stages),
/// for `playbooks check` and the loader.
pub fn rule_problems(playbook: &Playbook) -> Vec<RuleProblem> {
    let mut problems = Vec::new();
    resolve(playbook, &mut problems);
    for (kind, patterns) in text_lists(&playbook.matcher) {
        for (index, pattern) in patterns.iter().enumerate() {
            if let Err(message) = expand(&playbook.matcher, pattern).and_then(|p| compile_one(&p)) {
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

fn compile_one(pattern: &str) -> Result<Regex, String> {
    if pattern.trim().is_empty() {
        // An empty regex matches everything: surely a mistake in a playbook.
        return Err(EMPTY_PATTERN.to_string());
    }
    crate::playbook::check::compile_pattern(pattern, &crate::playbook::Limits::DEFAULT)
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
                message: format!("stage `{s}` can never match (use MAIL FROM, RCPT TO or DATA)"),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Responses in mixed case, with typographic apostrophes and non-ASCII text.
    const SAMPLES: &[&str] = &[
        "553 SORRY, THAT DOMAIN ISN’T IN MY LIST OF ALLOWED RCPTHOSTS (#5.7.1)",
        "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in local recipient table",
        "553 5.1.8 <root@web01>... Domain of sender address root@web01 does not exist",
        "550 Unrouteable address; mx.example.NET does not exist",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.SPAMHAUS.org",
        "452 4.2.2 Mailbox full, over quota; try again later",
        "553 5.3.5 system config error: mail loops back to me (MX problem?)",
        "550 ÉMETTEUR INVALIDE. Invalid Sender. Ü ß İ K",
        "İİ 550 Requested action not taken: mailbox unavailable; user unknown",
        "550 ſorry, mailbox unavailable ÉÉ: user unknown",
        "ディレクトリのリストにありません",
        "550 Host unknown (Name server: host not found)",
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints",
        "553 Invalid/inactive user. Address syntax error. Unbalanced '<'",
        "550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy",
        "",
    ];

    #[test]
    fn prefilter_finds_exactly_what_every_rule_alone_finds() {
        let (compiled, problems) = Compiled::new(&crate::playbook::embedded());
        assert!(problems.is_empty(), "{problems:?}");
        let alone: Vec<Option<Regex>> = compiled
            .rules
            .iter()
            .map(|r| compile_one(&r.pattern).ok())
            .collect();
        for text in SAMPLES {
            // Where, too: the anchored search must find the leftmost match, on non-ASCII
            // text as well (offsets mapped back from the lower-cased copy).
            let mut fast: Vec<(usize, usize, usize)> = compiled
                .matching(text)
                .iter()
                .map(|m| (m.rule, m.start, m.end))
                .collect();
            fast.sort_unstable();
            let slow: Vec<(usize, usize, usize)> = (0..alone.len())
                .filter_map(|i| {
                    let m = alone[i].as_ref()?.find(text)?;
                    Some((i, m.start(), m.end()))
                })
                .collect();
            assert_eq!(fast, slow, "{text}");
        }
        // The samples do exercise the rules.
        assert!(
            SAMPLES
                .iter()
                .all(|t| t.is_empty() || !compiled.matching(t).is_empty())
        );
    }

    /// The cut-down compilation used on ASCII responses finds what the full one finds, for
    /// every embedded rule on every ASCII line of the catalogue of real refusals (which
    /// exercises the word classes and gaps) and the ASCII samples, at every offset.
    #[test]
    fn ascii_compilation_matches_like_the_unicode_one_on_ascii_text() {
        let (compiled, _) = Compiled::new(&crate::playbook::embedded());
        let catalogue = include_str!("../../tests/data/catalogue.tsv");
        let texts: Vec<&str> = catalogue
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.rsplit('\t').next())
            .chain(SAMPLES.iter().copied())
            .filter(|t| t.is_ascii())
            .collect();
        assert!(texts.len() > 300, "{}", texts.len());
        let mut matched = 0;
        for rule in &compiled.rules {
            let full = compile_matcher(&rule.pattern, false).expect("embedded rule compiles");
            let ascii = compile_matcher(&rule.pattern, true).expect("cut-down rule compiles");
            for text in &texts {
                let span = |m: &Matcher| m.regex.find(*text).map(|m| (m.start(), m.end()));
                assert_eq!(span(&ascii), span(&full), "{} on {text}", rule.pattern);
                matched += usize::from(span(&full).is_some());
                for at in [1, text.len() / 2] {
                    let at = text.floor_char_boundary(at);
                    let anchored = |m: &Matcher| m.find_at(text, at).map(|m| m.end());
                    assert_eq!(
                        anchored(&ascii),
                        anchored(&full),
                        "{} at {at}",
                        rule.pattern
                    );
                }
            }
        }
        assert!(matched > 300, "the texts exercise the rules: {matched}");
    }

    #[test]
    fn prefilter_keys_are_whole_character_prefixes() {
        assert_eq!(prefilter_key("user unknown"), "user unknown");
        assert_eq!(prefilter_key("mailbox unknown"), "mailbox unkn");
        // Cut after the 12th character, never inside one.
        assert_eq!(
            prefilter_key("ディレクトリのリストにありません"),
            "ディレクトリのリストにあ"
        );
    }

    #[test]
    fn anchors_are_lower_cased_prefixes_or_none() {
        assert_eq!(
            anchors_for("(?:User|Mailbox) Unknown"),
            Some(Anchors {
                literals: vec!["user unknown".to_string(), "mailbox unknown".to_string()],
                at_start: true
            })
        );
        // A leading class of letters has no short literal list: the words that end every
        // match stand in, and the rule is searched unanchored when one occurs.
        assert_eq!(
            anchors_for("[a-z]+ (?:does not|doesn't) Exist"),
            Some(Anchors {
                literals: vec![" does not exist".to_string(), " doesn't exist".to_string()],
                at_start: false
            })
        );
        // Neither a prefix nor a suffix of two characters or more: the rule always runs.
        assert_eq!(anchors_for("x?y"), None);
        assert_eq!(anchors_for("[a-z]+ does not exist|[0-9]+"), None);
    }
}
