//! One way to compile a rule: a [`RuleSet`] is built from rule patterns (word classes
//! expanded) and one [`Limits`], says which rules cannot be used and why, and finds every
//! rule's leftmost match in a text. The classifier, `playbooks check` (through
//! [`check_pattern`]), the anchors and `build.rs` (through [`syntax`], the part it shares)
//! all read a rule the same way.
//!
//! A plain per-rule `regex::Regex` ([`reference_regex`]) defines what a rule means; the
//! fast path below must find exactly what it finds (the test suite holds them together on
//! the catalogue of real refusals, ASCII and not).
//!
//! Why not one `RegexSet` of all rules: a set of a few hundred case-insensitive rules is
//! slow to build, and slow on every response it has not seen (its lazy DFA builds states
//! for every new text). Instead every rule's required prefix literals (its anchors) go, cut
//! to their first characters (keys; for the embedded playbooks made at build time), into
//! one Aho-Corasick automaton over the lower-cased response; only rules whose literal
//! occurs (a handful) run their own regex, compiled once on first need. A rule with no
//! literal prefix (`[a-z.]+ does not exist`) is anchored by the literals that end every
//! match instead, and searched unanchored only when one occurs. Rules with neither always
//! run. The literal is necessary for a match, never sufficient, so the answer is the
//! per-rule regex's.

mod automaton;
mod embedded;
pub mod syntax;

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::dfa::dense;
use regex_automata::hybrid;
use regex_automata::nfa::thompson::{self, WhichCaptures, pikevm};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax as automata_syntax;
use regex_automata::{Anchored, Input, meta};
use regex_syntax::hir::Hir;

use super::fold::{self, Lowered};
pub use crate::playbook::Limits;
pub use syntax::EMPTY_PATTERN;

/// Where a rule comes from, which decides how much is checked up front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// A rule of the embedded playbooks: `build.rs` parsed it and prepared its anchors and
    /// ASCII form, the test suite compiles it; it is compiled on first need.
    Embedded,
    /// Anything else (a user's file): checked against the limits now, so that every broken
    /// rule is reported before it is needed.
    Checked,
}

/// A rule that cannot be used: which one (its place in the input) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub rule: usize,
    pub message: String,
}

/// One rule's leftmost match in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMatch {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
}

/// Rules prepared for matching (see the module docs). Indices are the input's: a rule that
/// cannot be used keeps its place and never matches. `Send + Sync`.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    prefilter: Prefilter,
    limits: Limits,
}

#[derive(Debug)]
struct Rule {
    /// Expanded (word classes replaced); empty for a rule that cannot be used.
    pattern: String,
    usable: bool,
    /// Whether its anchors start every match (then it is searched only at them) and hold
    /// no character that would make their places in the lower-cased text unreliable (see
    /// `fold`).
    anchored_at_start: bool,
    /// Its ASCII form as the build prepared it (see [`syntax::ascii_form`]).
    ascii_source: Option<&'static str>,
    /// The rule as the matcher reads it (Unicode, case folded) as the build encoded it.
    unicode_source: Option<&'static str>,
    /// The build's DFA of its ASCII form (see [`automaton`]), if it made one.
    prebuilt: Option<embedded::Prebuilt>,
    /// Else the build's NFA of its ASCII form, if it made one.
    prebuilt_nfa: Option<embedded::Prebuilt>,
    /// The longest text the rule matches (see [`Rule::find_at`]), when the build computed
    /// it: `Some(None)` for an unbounded rule.
    max_len: Option<Option<usize>>,
    /// That DFA, read on first need; `None` if it cannot be. Boxed: the DFA's header
    /// (byte classes, start map, quit set) is several times the rest of a rule, and the
    /// rule set holds every rule while most never get their DFA read.
    dense: OnceLock<Option<Box<dense::DFA<&'static [u32]>>>>,
    /// Compiled on first need; `None` if it cannot be.
    regex: OnceLock<Option<Matcher>>,
    /// The same rule cut down to what it can match in ASCII texts (most of them).
    ascii: OnceLock<Option<Matcher>>,
}

/// One rule's compiled regex and the longest text it can match.
#[derive(Debug)]
struct Matcher {
    engine: Engine,
    /// In bytes; `None` when unbounded (`\S+`, `.*`). Nearly every rule is a bounded
    /// wording, and an anchored search then only needs the next `max_len` bytes: the
    /// backtracker clears a visited set as large as the span times the NFA, which was most
    /// of the classifier's time on long responses.
    max_len: Option<usize>,
}

#[derive(Debug)]
enum Engine {
    Meta(meta::Regex),
    /// A rule anchored at its start, on ASCII texts: every search is anchored, so the
    /// match's start is known and a forward lazy DFA finds its end. Building only that
    /// (the meta regex also compiles a reverse NFA for its lazy DFA) halves the
    /// compilation, which is most of a first triage's regex cost.
    Forward(Box<Forward>),
}

struct Forward {
    dfa: Arc<hybrid::dfa::DFA>,
    /// The cache of whichever thread finds it free: the lazy DFA's states, built as texts
    /// need them, are most of a search's cost, and built once here they serve every
    /// thread (a cache per thread builds each state once per thread).
    shared: Mutex<hybrid::dfa::Cache>,
    /// Caches for a thread that finds the shared one busy.
    caches: Pool<hybrid::dfa::Cache, CacheFn>,
    /// For a search the lazy DFA gives up on, and for an unanchored one.
    pikevm: pikevm::PikeVM,
}

type CacheFn = Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forward").finish_non_exhaustive()
    }
}

impl Forward {
    fn find(&self, input: &Input<'_>) -> Option<regex_automata::Match> {
        if input.get_anchored() == Anchored::Yes {
            // Never waits: a busy (or poisoned) shared cache means a cache of its own.
            let found = match self.shared.try_lock() {
                Ok(mut cache) => self.dfa.try_search_fwd(&mut cache, input),
                Err(_) => self.dfa.try_search_fwd(&mut self.caches.get(), input),
            };
            if let Ok(found) = found {
                return found.map(|end| {
                    regex_automata::Match::new(end.pattern(), input.start()..end.offset())
                });
            }
        }
        self.pikevm
            .find(&mut self.pikevm.create_cache(), input.clone())
    }
}

impl Matcher {
    /// The leftmost match starting exactly at `at`. Look-around (`\b`, `$`) still sees the
    /// whole text: a span only limits where the match may lie.
    fn find_at(&self, text: &str, at: usize) -> Option<regex_automata::Match> {
        let end = self
            .max_len
            .map_or(text.len(), |max| at.saturating_add(max).min(text.len()));
        self.find(&Input::new(text).span(at..end).anchored(Anchored::Yes))
    }

    fn find(&self, input: &Input<'_>) -> Option<regex_automata::Match> {
        match &self.engine {
            Engine::Meta(regex) => regex.find(input.clone()),
            Engine::Forward(forward) => forward.find(input),
        }
    }
}

impl Rule {
    /// The leftmost match starting exactly at `at` (see [`Matcher::find_at`]); `None` also
    /// for a rule that cannot be compiled. On ASCII text the build's DFA answers when there
    /// is one: no compilation, and a search is a table walk.
    fn find_at(
        &self,
        text: &str,
        at: usize,
        text_is_ascii: bool,
        limits: &Limits,
    ) -> Option<regex_automata::Match> {
        // A search at `at` reads no byte outside the window from the one before `at` (for
        // look-behind) to the one after the longest match (for look-ahead). When all of
        // those are ASCII, the search finds what it finds in an ASCII text: the rule's ASCII
        // form answers (exactly, see `syntax::for_ascii_haystack`), so a non-ASCII text
        // (a Japanese bounce, a typographic apostrophe elsewhere) costs neither the
        // Unicode rule's compilation nor its slower search.
        let text_is_ascii = text_is_ascii
            || self.max_len.is_some_and(|max_len| {
                let from = at.saturating_sub(1);
                let to = max_len.map_or(text.len(), |max| {
                    at.saturating_add(max).saturating_add(1).min(text.len())
                });
                text.as_bytes().get(from..to).is_some_and(<[u8]>::is_ascii)
            });
        // Under a smaller size limit the rule's NFA might not fit: compile it to find out.
        if text_is_ascii
            && limits.max_regex_bytes >= embedded::DFA_REGEX_LIMIT
            && let Some(prebuilt) = self.prebuilt
            && let Some(dfa) = self
                .dense
                .get_or_init(|| embedded::dfa(prebuilt).map(Box::new))
        {
            let end = prebuilt
                .max_len
                .map_or(text.len(), |max| at.saturating_add(max).min(text.len()));
            let input = Input::new(text).span(at..end).anchored(Anchored::Yes);
            // An error cannot happen (see `automaton::find_end`); the compiled rule answers
            // if it does.
            if let Ok(found) = automaton::find_end(dfa, &input) {
                return found.map(|end| regex_automata::Match::must(0, at..end));
            }
        }
        self.regex_for(text_is_ascii, limits)?.find_at(text, at)
    }

    fn regex(&self, limits: &Limits) -> Option<&Matcher> {
        self.regex
            .get_or_init(|| {
                // The build's reading, or (for a rule the build did not prepare) the same
                // parse made now.
                let hir = match self.unicode_source.map(syntax::decode) {
                    Some(Ok(hir)) => hir,
                    _ => syntax::parse_folded(&self.pattern).ok()?,
                };
                compile_matcher(&hir, false, limits)
            })
            .as_ref()
    }

    /// The regex to search `text` with. On ASCII text the compilation cut down to ASCII
    /// finds exactly what the full one finds; its NFA is many times smaller, so it is
    /// cheaper both to build and to run, and for an embedded rule the build's form of it
    /// is rebuilt for a fraction of the Unicode rule's parse.
    fn regex_for(&self, text_is_ascii: bool, limits: &Limits) -> Option<&Matcher> {
        if text_is_ascii
            && let Some(re) = self
                .ascii
                .get_or_init(|| {
                    // The build's NFA (made under the default size limit, see `find_at`).
                    if self.anchored_at_start
                        && limits.max_regex_bytes >= embedded::DFA_REGEX_LIMIT
                        && let Some(at) = self.prebuilt_nfa
                        && let Some(nfa) = embedded::nfa(at)
                        && let Some(matcher) = forward_matcher(nfa, at.max_len)
                    {
                        return Some(matcher);
                    }
                    // The build's form, or (for a rule the build did not prepare) the same
                    // cut made now.
                    let hir = match self.ascii_source.map(syntax::decode) {
                        Some(Ok(hir)) => hir,
                        _ => syntax::for_ascii_haystack(syntax::parse_folded(&self.pattern).ok()?),
                    };
                    if self.anchored_at_start {
                        compile_forward(&hir, limits)
                            .or_else(|| compile_matcher(&hir, true, limits))
                    } else {
                        compile_matcher(&hir, true, limits)
                    }
                })
                .as_ref()
        {
            return Some(re);
        }
        self.regex(limits)
    }
}

impl RuleSet {
    /// The rules (patterns with their word classes expanded, each with where it comes
    /// from), read the one way; the ones that cannot be used, with why. A rule of
    /// [`Trust::Embedded`] missing from the build's table is parsed now (the test suite says
    /// that cannot happen).
    pub fn new<'a>(
        rules: impl IntoIterator<Item = (&'a str, Trust)>,
        limits: &Limits,
    ) -> (RuleSet, Vec<Unusable>) {
        let rules = rules.into_iter();
        // Sized up front: growing the rule list and the keys' lists by doubling copied
        // each into fresh memory several times over, at start-up.
        let mut prepared = Vec::with_capacity(rules.size_hint().0);
        let mut unusable = Vec::new();
        let mut prefilter = PrefilterBuilder::with_capacity(embedded::KEYS.len());
        for (index, (pattern, trust)) in rules.enumerate() {
            let mut prebuilt = (None, None);
            let mut max_len = None;
            let built = match (trust, embedded::lookup(pattern)) {
                (Trust::Embedded, Some(entry)) => {
                    match entry.anchors {
                        Some(a) => {
                            for &key in a.keys {
                                let k = prefilter.table_key(key);
                                prefilter.add_anchor(index, k);
                            }
                            for &key in a.inner {
                                let k = prefilter.table_key(key);
                                prefilter.add_inner(index, k);
                            }
                        }
                        None => prefilter.always.push(index),
                    }
                    prebuilt = (entry.dfa, entry.nfa);
                    max_len = Some(entry.max_len);
                    Ok((
                        entry.anchors.is_some_and(|a| a.at_start),
                        Some((entry.ascii, entry.unicode)),
                    ))
                }
                (Trust::Embedded, None) => syntax::anchors(pattern)
                    .map(|found| (add_parsed(&mut prefilter, index, found), None)),
                (Trust::Checked, _) => check_pattern(pattern, limits).and_then(|()| {
                    let found = syntax::anchors(pattern)?;
                    Ok((add_parsed(&mut prefilter, index, found), None))
                }),
            };
            let rule = match built {
                Ok((anchored_at_start, sources)) => Rule {
                    pattern: pattern.to_string(),
                    usable: true,
                    anchored_at_start,
                    ascii_source: sources.map(|(ascii, _)| ascii),
                    unicode_source: sources.map(|(_, unicode)| unicode),
                    prebuilt: prebuilt.0,
                    prebuilt_nfa: prebuilt.1,
                    max_len,
                    dense: OnceLock::new(),
                    regex: OnceLock::new(),
                    ascii: OnceLock::new(),
                },
                Err(message) => {
                    unusable.push(Unusable {
                        rule: index,
                        message,
                    });
                    Rule {
                        pattern: String::new(),
                        usable: false,
                        anchored_at_start: false,
                        ascii_source: None,
                        unicode_source: None,
                        prebuilt: None,
                        prebuilt_nfa: None,
                        max_len: None,
                        dense: OnceLock::new(),
                        regex: OnceLock::new(),
                        ascii: OnceLock::new(),
                    }
                }
            };
            prepared.push(rule);
        }
        let usable: Vec<usize> = (0..prepared.len())
            .filter(|&i| prepared[i].usable)
            .collect();
        (
            RuleSet {
                prefilter: prefilter.build(&usable),
                rules: prepared,
                limits: *limits,
            },
            unusable,
        )
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Rule `rule`'s pattern (expanded); `None` for one that cannot be used.
    pub fn pattern(&self, rule: usize) -> Option<&str> {
        self.rules
            .get(rule)
            .filter(|r| r.usable)
            .map(|r| r.pattern.as_str())
    }

    /// Every usable rule's leftmost match in `text`, in rule order.
    pub fn matching(&self, text: &str) -> Vec<RuleMatch> {
        self.verify(text, &self.candidates(text), |_| true)
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
        // Rules one of whose inner literals occurs.
        let mut inner_found: Vec<usize> = Vec::new();
        if let Some(ac) = &self.prefilter.automaton {
            let lower = Lowered::new(text);
            for m in ac.find_overlapping_iter(&lower.text) {
                let key = m.pattern().as_usize();
                inner_found.extend_from_slice(&self.prefilter.inner_rules_of_key[key]);
                for &rule in &self.prefilter.rules_of_key[key] {
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
        inner_found.sort_unstable();
        inner_found.dedup();
        let needs_inner = &self.prefilter.needs_inner;
        // A rule that needs an inner literal and has none in the text cannot match.
        let ruled_out = |rule: usize| {
            needs_inner.get(rule) == Some(&true) && inner_found.binary_search(&rule).is_err()
        };
        out.rules.retain(|&rule| !ruled_out(rule));
        out.starts.retain(|&(rule, _)| !ruled_out(rule));
        out.starts.sort_unstable();
        out.starts.dedup();
        out
    }

    /// Run the regexes of the candidate rules that `wanted` selects; their leftmost
    /// matches, in rule order.
    pub fn verify(
        &self,
        text: &str,
        candidates: &Candidates,
        wanted: impl Fn(usize) -> bool,
    ) -> Vec<RuleMatch> {
        candidates
            .rules
            .iter()
            .copied()
            .filter(|&rule| wanted(rule))
            .filter_map(|rule| {
                let r = &self.rules[rule];
                let ascii = candidates.ascii;
                let m = match candidates.anchor_starts(rule) {
                    // Every match starts with one of the rule's anchors, hence with the
                    // shortened key of one, so the leftmost match is the anchored match at
                    // the first key position that has one. Much cheaper than an unanchored
                    // search, which tries every position: on non-ASCII text (Unicode
                    // regex, Unicode `\b`) that was half the time spent in regexes.
                    Some(starts) => starts
                        .iter()
                        .find_map(|&(_, at)| r.find_at(text, at, ascii, &self.limits))?,
                    None => r.regex_for(ascii, &self.limits)?.find(&Input::new(text))?,
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

/// Which rules can match one text (see [`RuleSet::candidates`]).
#[derive(Debug)]
pub struct Candidates {
    /// Ascending, so that matches come in rule order (the classifier's tie-breaks rely on
    /// it). A list, not a flag per rule: a response has a handful among ~200 rules, and
    /// the list is walked once per rung that verifies rules.
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

/// Whether `pattern` (expanded) is a rule that can be used under `limits`, with the reason
/// when not: it parses as the matcher reads it, is not empty, and its compiled automaton
/// fits the size limit. Only the parse and the Thompson NFA (the part `size_limit` bounds)
/// are built: a full case-insensitive `Regex` also builds literal prefilters and costs
/// several times more, and every pattern of every user playbook is checked when it is
/// loaded. The verdict is the [`reference_regex`]'s (a test holds them together).
pub fn check_pattern(pattern: &str, limits: &Limits) -> Result<(), String> {
    let hir = syntax::parse_folded(pattern)?;
    thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(limits.max_regex_bytes)))
        .build_from_hir(&hir)
        .map(drop)
        .map_err(|e| match e.size_limit() {
            Some(limit) => format!("compiles to more than {} KiB", limit / 1024),
            None => e.to_string(),
        })
}

/// What a rule means: the plain `regex::Regex` of `pattern` (expanded), case-insensitive,
/// under `limits`. The reference the fast path is tested against, and the cost a naive
/// classifier would pay per rule (`benches/playbooks`).
pub fn reference_regex(pattern: &str, limits: &Limits) -> Result<regex::Regex, String> {
    if pattern.trim().is_empty() {
        return Err(EMPTY_PATTERN.to_string());
    }
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(limits.max_regex_bytes)
        .dfa_size_limit(limits.max_regex_bytes)
        .build()
        .map_err(|e| syntax::first_line_of_regex_error(&e.to_string()))
}

/// The regex a rule is matched with: the language of [`reference_regex`], built with less
/// machinery. The Aho-Corasick pass already is the prefilter, so the regex's own literal
/// prefilter (a third of the build time on case-insensitive Unicode patterns) is off; only
/// the overall span is read, so no capture groups; and searches are anchored (at the
/// anchors' places, see [`RuleSet::verify`]), so no reverse NFA is needed. On ASCII texts
/// (most of them) the lazy DFA runs the search: the cut-down automaton is small, ASCII word
/// boundaries are within its reach, and its states, built as texts need them, are kept for
/// the next text. On other text the PikeVM runs over the full NFA (a lazy DFA gives up at
/// the first non-ASCII byte when a pattern has Unicode `\b`); not the bounded backtracker,
/// which first clears a visited set of the NFA's size times the span: a rule that may run to
/// the end of the text (an unbounded gap) spans all of it though its search dies a few
/// dozen bytes on, and the composed Unicode rules' NFAs are large.
///
/// With `ascii_haystack`, `hir` is a rule cut down to ASCII haystacks; UTF-8 mode is off
/// then so that ASCII `\b` and byte classes are allowed.
fn compile_matcher(hir: &Hir, ascii_haystack: bool, limits: &Limits) -> Option<Matcher> {
    let regex = meta::Builder::new()
        .syntax(automata_syntax::Config::new().utf8(!ascii_haystack))
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(limits.max_regex_bytes))
                .onepass_size_limit(Some(limits.max_regex_bytes))
                .auto_prefilter(false)
                .which_captures(WhichCaptures::Implicit)
                .onepass(false)
                .hybrid(ascii_haystack)
                .backtrack(ascii_haystack)
                .dfa(false),
        )
        .build_from_hir(hir)
        .ok()?;
    Some(Matcher {
        engine: Engine::Meta(regex),
        max_len: hir.properties().maximum_len(),
    })
}

/// The [`Engine::Forward`] matcher of `hir` (a rule cut down to ASCII haystacks): the NFA
/// as [`compile_matcher`] builds it, without its reverse; `None` if it cannot be built (the
/// caller then builds the meta regex).
fn compile_forward(hir: &Hir, limits: &Limits) -> Option<Matcher> {
    let nfa = automaton::nfa(hir, limits.max_regex_bytes).ok()?;
    forward_matcher(nfa, hir.properties().maximum_len())
}

/// The [`Engine::Forward`] matcher of a rule's NFA ([`automaton::nfa`]) that matches at
/// most `max_len` bytes.
fn forward_matcher(nfa: thompson::NFA, max_len: Option<usize>) -> Option<Matcher> {
    let dfa = Arc::new(
        hybrid::dfa::Builder::new()
            .build_from_nfa(nfa.clone())
            .ok()?,
    );
    let pikevm = pikevm::PikeVM::new_from_nfa(nfa).ok()?;
    let for_caches = Arc::clone(&dfa);
    let create: CacheFn = Box::new(move || for_caches.create_cache());
    Some(Matcher {
        engine: Engine::Forward(Box::new(Forward {
            shared: Mutex::new(dfa.create_cache()),
            dfa,
            caches: Pool::new(create),
            pikevm,
        })),
        max_len,
    })
}

/// Which rules can match a text: the Aho-Corasick automaton of the keys of all anchors
/// (see [`fold::PREFILTER_CHARS`]), which rules each key belongs to, and the rules with no
/// anchor.
#[derive(Debug)]
struct Prefilter {
    automaton: Option<AhoCorasick>,
    rules_of_key: Vec<Vec<usize>>,
    /// Per key: the rules it is an inner literal of (see [`syntax::Anchors::inner`]).
    inner_rules_of_key: Vec<Vec<usize>>,
    /// Per rule: whether one of its inner literals must occur too.
    needs_inner: Vec<bool>,
    always: Vec<usize>,
}

/// Collects the rules' anchors into the keys of the [`Prefilter`].
#[derive(Default)]
struct PrefilterBuilder {
    keys: Vec<Cow<'static, str>>,
    /// Per key of the build's table ([`embedded::KEYS`]): its index in `keys`, once a rule
    /// has it. An embedded rule names its keys by number, so start-up neither spells, cuts
    /// nor hashes any of the thousands of literals the keys come from.
    table_index: Vec<Option<usize>>,
    /// Key text -> its index in `keys`, for the keys the table does not have (a user's
    /// rules).
    other_index: HashMap<String, usize>,
    rules_of_key: Vec<Vec<usize>>,
    inner_rules_of_key: Vec<Vec<usize>>,
    needs_inner: Vec<bool>,
    always: Vec<usize>,
}

impl PrefilterBuilder {
    /// Room for `keys` keys (the build's table has as many as the embedded rules use).
    fn with_capacity(keys: usize) -> Self {
        PrefilterBuilder {
            keys: Vec::with_capacity(keys),
            rules_of_key: Vec::with_capacity(keys),
            inner_rules_of_key: Vec::with_capacity(keys),
            ..PrefilterBuilder::default()
        }
    }

    /// Add key `k` (an index in `keys`) as an anchor of `rule` (rules come in ascending
    /// order).
    fn add_anchor(&mut self, rule: usize, k: usize) {
        // Two anchors of one rule can share a key.
        if self.rules_of_key[k].last() != Some(&rule) {
            self.rules_of_key[k].push(rule);
        }
    }

    /// Add key `k` as an inner literal of `rule`, which then needs one of them.
    fn add_inner(&mut self, rule: usize, k: usize) {
        if self.needs_inner.len() <= rule {
            self.needs_inner.resize(rule + 1, false);
        }
        self.needs_inner[rule] = true;
        if self.inner_rules_of_key[k].last() != Some(&rule) {
            self.inner_rules_of_key[k].push(rule);
        }
    }

    /// The index in `keys` of the table's key number `n`, made when new.
    fn table_key(&mut self, n: usize) -> usize {
        if self.table_index.is_empty() {
            self.table_index = vec![None; embedded::KEYS.len()];
        }
        if let Some(k) = self.table_index[n] {
            return k;
        }
        let k = self.new_key(Cow::Borrowed(embedded::KEYS[n]));
        self.table_index[n] = Some(k);
        k
    }

    /// The index in `keys` of `key` (a [`fold::prefilter_key`]), made when new; the
    /// table's own number for it when it has one, so that embedded and other rules share
    /// their keys.
    fn key(&mut self, key: String) -> usize {
        if let Some(n) = embedded::key_number(&key) {
            return self.table_key(n);
        }
        if let Some(&k) = self.other_index.get(&key) {
            return k;
        }
        let k = self.new_key(Cow::Owned(key.clone()));
        self.other_index.insert(key, k);
        k
    }

    fn new_key(&mut self, key: Cow<'static, str>) -> usize {
        self.keys.push(key);
        self.rules_of_key.push(Vec::new());
        self.inner_rules_of_key.push(Vec::new());
        self.keys.len() - 1
    }

    /// `usable`: every rule that may match, for the (never seen) case that the automaton
    /// cannot be built.
    fn build(self, usable: &[usize]) -> Prefilter {
        // The noncontiguous NFA: an overlapping search of the keys' short, common words is
        // mostly reporting their matches, as fast on it as on the contiguous NFA made from
        // it, which costs a seventh more to build; a full DFA costs ten times as much.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(self.keys.iter().map(|k| k.as_bytes()));
        match automaton {
            Ok(ac) => Prefilter {
                automaton: Some(ac),
                rules_of_key: self.rules_of_key,
                inner_rules_of_key: self.inner_rules_of_key,
                needs_inner: self.needs_inner,
                always: self.always,
            },
            // Cannot happen with a few thousand short literals; if it does, run every rule.
            Err(_) => Prefilter {
                automaton: None,
                rules_of_key: Vec::new(),
                inner_rules_of_key: Vec::new(),
                needs_inner: Vec::new(),
                always: usable.to_vec(),
            },
        }
    }
}

/// Add a rule with the anchors parsed now (not from the build-time table), made into keys
/// as the build makes them; whether its keys mark where its matches start.
fn add_parsed(
    prefilter: &mut PrefilterBuilder,
    rule: usize,
    found: Option<syntax::Anchors>,
) -> bool {
    let Some(anchors) = found else {
        prefilter.always.push(rule);
        return false;
    };
    for key in fold::prefilter_keys(&anchors.literals) {
        let k = prefilter.key(key);
        prefilter.add_anchor(rule, k);
    }
    for key in fold::prefilter_keys(&anchors.inner) {
        let k = prefilter.key(key);
        prefilter.add_inner(rule, k);
    }
    fold::keys_mark_starts(anchors.at_start, &anchors.literals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_keys_are_whole_character_prefixes() {
        use fold::prefilter_key;
        assert_eq!(prefilter_key("user unknown"), "user unknown");
        assert_eq!(prefilter_key("mailbox unknown"), "mailbox unkn");
        // Cut after the 12th character, never inside one.
        assert_eq!(
            prefilter_key("ディレクトリのリストにありません"),
            "ディレクトリのリストにあ"
        );
        // Odd characters spelt as the lower-cased text spells them.
        assert_eq!(prefilter_key("uſer unknown"), "user unknown");
        assert_eq!(
            fold::prefilter_keys(&["mailbox unknown", "mailbox unavailable", "user"]),
            ["mailbox unkn", "mailbox unav", "user"]
        );
        assert_eq!(
            fold::prefilter_keys(&["mailbox unknown", "mailbox unknown here"]),
            ["mailbox unkn"]
        );
    }

    fn anchors_for(pattern: &str) -> Option<syntax::Anchors> {
        syntax::anchors(pattern).ok().flatten()
    }

    #[test]
    fn anchors_are_lower_cased_prefixes_or_none() {
        assert_eq!(
            anchors_for("(?:User|Mailbox) Unknown"),
            Some(syntax::Anchors {
                literals: vec!["user unknown".to_string(), "mailbox unknown".to_string()],
                at_start: true,
                // The later part of the rule, which every match holds too.
                inner: vec![" unknown".to_string()],
            })
        );
        // A leading class of letters has no short literal list: the words that end every
        // match stand in, and the rule is searched unanchored when one occurs.
        assert_eq!(
            anchors_for("[a-z]+ (?:does not|doesn't) Exist"),
            Some(syntax::Anchors {
                literals: vec![" does not exist".to_string(), " doesn't exist".to_string()],
                at_start: false,
                inner: vec!["does not".to_string(), "doesn't".to_string()],
            })
        );
        // No later part with prefixes of three characters or more: no inner literals.
        assert_eq!(
            anchors_for("(?:user|mailbox)s? (?:x|yz)").map(|a| a.inner),
            Some(Vec::new())
        );
        // Neither a prefix nor a suffix of two characters or more: the rule always runs.
        assert_eq!(anchors_for("x?y"), None);
        assert_eq!(anchors_for("[a-z]+ does not exist|[0-9]+"), None);
    }

    /// The quick check gives the full compile's verdict.
    #[test]
    fn check_agrees_with_the_reference_compile() {
        let limits = Limits::DEFAULT;
        for pattern in [
            "not an open relay",
            r"relay(ing)? (access )?denied",
            r"\bdoes not exist\b",
            r"(\w{100}){100}",
            r"(a{1000}){1000}",
            "unclosed (group",
            "a[z-a]",
            r"\p{NoSuchClass}",
            &format!("{}x{}", "(".repeat(300), ")".repeat(300)),
            "",
            "   ",
        ] {
            let full = reference_regex(pattern, &limits).is_ok();
            let quick = check_pattern(pattern, &limits).is_ok();
            assert_eq!(full, quick, "{pattern:?}");
        }
    }

    /// A rule whose inner literal does not occur is not even a candidate; with it, it runs.
    #[test]
    fn a_rule_runs_only_when_its_inner_literal_occurs_too() {
        let (set, _) = RuleSet::new(
            [("(?:user|mailbox) ... (?:unknown|not found)", Trust::Checked)]
                .map(|(p, t)| (p.replace(" ... ", " .{0,20}"), t))
                .iter()
                .map(|(p, t)| (p.as_str(), *t)),
            &Limits::DEFAULT,
        );
        assert!(set.candidates("550 user over quota").rules.is_empty());
        assert_eq!(set.candidates("550 user is unknown here").rules, [0]);
        assert_eq!(set.matching("550 user is unknown here").len(), 1);
    }

    /// A user's rule with the same anchors as an embedded one gets the very keys the build
    /// made (looked up by their text), not copies of them, and the keys lead to both rules.
    #[test]
    fn runtime_rules_share_the_builds_keys() {
        let limits = Limits::DEFAULT;
        let pattern = embedded::EMBEDDED_RULES
            .iter()
            .find(|(_, e)| {
                e.anchors
                    .is_some_and(|a| a.keys.len() > 1 && !a.inner.is_empty())
            })
            .map(|(p, _)| *p)
            .expect("a composed embedded rule");
        let (alone, _) = RuleSet::new([(pattern, Trust::Embedded)], &limits);
        let (both, unusable) = RuleSet::new(
            [(pattern, Trust::Embedded), (pattern, Trust::Checked)],
            &limits,
        );
        assert!(unusable.is_empty());
        let (a, b) = (&alone.prefilter, &both.prefilter);
        assert!(a.rules_of_key.len() > 1);
        assert_eq!(
            a.rules_of_key.len(),
            b.rules_of_key.len(),
            "one key per text"
        );
        for (k, rules) in b.rules_of_key.iter().enumerate() {
            let expected: &[usize] = if a.rules_of_key[k].is_empty() {
                &[]
            } else {
                &[0, 1]
            };
            assert_eq!(rules, expected, "anchor key {k}");
            let expected: &[usize] = if a.inner_rules_of_key[k].is_empty() {
                &[]
            } else {
                &[0, 1]
            };
            assert_eq!(&b.inner_rules_of_key[k], expected, "inner key {k}");
        }
        assert_eq!(b.needs_inner, [true, true]);
    }

    /// A rule that cannot be used keeps its place and never matches; the others still do.
    #[test]
    fn unusable_rules_are_reported_in_place() {
        let limits = Limits::DEFAULT;
        let (set, unusable) = RuleSet::new(
            [
                ("user unknown", Trust::Checked),
                ("(unclosed", Trust::Checked),
                ("", Trust::Checked),
                ("(a{1000}){1000}", Trust::Checked),
                ("no such user", Trust::Checked),
            ],
            &limits,
        );
        let bad: Vec<usize> = unusable.iter().map(|u| u.rule).collect();
        assert_eq!(bad, [1, 2, 3]);
        assert_eq!(unusable[2].message, "compiles to more than 1024 KiB");
        let found: Vec<usize> = set
            .matching("550 User unknown; no such user (a")
            .iter()
            .map(|m| m.rule)
            .collect();
        assert_eq!(found, [0, 4]);
        assert_eq!(set.pattern(1), None);
    }
}
