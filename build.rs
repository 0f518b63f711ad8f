//! Prepares the embedded playbooks (`playbooks/*.yaml`) so that start-up does not parse
//! YAML or regexes, which was nearly all of its time:
//!
//! - each playbook, read with the library's own schema, is written to
//!   `$OUT_DIR/playbooks/ID.json`, which `src/playbook/embedded.rs` includes (serde_json
//!   reads it in a fifteenth of serde_yaml's time);
//! - every rule regex in their `match` lists is prepared as the rule set prepares it
//!   (`src/classify/ruleset/syntax.rs`: its anchors and its ASCII form; the prefilter's
//!   keys of its anchors, `src/classify/fold.rs`), into `$OUT_DIR/embedded_rules.rs`: the
//!   distinct keys of all rules, sorted, and a table sorted by pattern whose rules name
//!   their keys by number, which `src/classify/ruleset/embedded.rs` includes. Start-up then
//!   neither parses a rule nor spells, cuts or hashes any of their literals;
//! - every rule anchored at its start whose forward DFA on ASCII text is small
//!   (`src/classify/ruleset/automaton.rs`) is determinised, into `$OUT_DIR/rule_dfas.bin`
//!   (the table gives each its place there), so that a run neither compiles nor lazily
//!   determinises it; the other rules anchored at their start get their NFA, in
//!   `$OUT_DIR/rule_nfas.bin`, rebuilt at run time without compiling the rule.
//!
//! A playbook that does not fit the schema, or a rule regex that does not parse, fails the
//! build. Everything else about the playbooks is checked by the test suite.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The very NFA and DFA builders the rule set uses (a test holds the DFAs to them).
#[path = "src/classify/ruleset/automaton.rs"]
#[allow(dead_code)] // searching is the rule set's business
mod automaton;
/// The prefilter's keys of a rule's anchors, as the rule set makes them for other rules.
#[path = "src/classify/fold.rs"]
#[allow(dead_code)] // the lower-cased text is the rule set's business
mod fold;
/// The types the library deserialises playbooks into, so both read a file alike.
#[path = "src/playbook/schema.rs"]
mod schema;
/// The very functions the rule set uses at run time (a test holds the table to them).
#[path = "src/classify/ruleset/syntax.rs"]
#[allow(dead_code)] // the rule set also reads its own patterns back; the build does not
mod syntax;
/// Word classes: rules are expanded exactly as the classifier expands them.
#[path = "src/classify/words.rs"]
mod words;

/// `Limits::DEFAULT.max_regex_bytes`, the size limit every rule's NFA is built under (a
/// test holds them equal); the rule set uses the build's DFAs only under this limit or a
/// larger one, under which the NFA they come from fits too.
const MAX_REGEX_BYTES: usize = 1024 * 1024;

const PLAYBOOK_DIR: &str = "playbooks";
/// The shared word classes every playbook's rules may name.
const VOCABULARY: &str = "playbooks/vocabulary/words.yaml";
const INPUTS: [&str; 7] = [
    PLAYBOOK_DIR,
    VOCABULARY,
    "src/classify/ruleset/syntax.rs",
    "src/classify/ruleset/automaton.rs",
    "src/classify/fold.rs",
    "src/classify/words.rs",
    "src/playbook/schema.rs",
];
const RULE_TABLE: &str = "embedded_rules.rs";
const RULE_DFAS: &str = "rule_dfas.bin";
const RULE_NFAS: &str = "rule_nfas.bin";
/// Each DFA's place in [`RULE_DFAS`] is a multiple of this, so that the rule set reads it
/// in place (a DFA's table is of `u32`s; the file is included aligned to 8).
const DFA_ALIGN: usize = 8;

/// A rule regex (expanded) → its anchors (`None` when it has none) and its ASCII form.
type RuleTable = BTreeMap<String, (Option<syntax::Anchors>, String)>;

fn main() {
    for input in INPUTS {
        println!("cargo::rerun-if-changed={input}");
    }
    if let Err(message) = run() {
        // Cargo shows a failing build script's stderr; the message names file and field.
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir =
        PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set (run through cargo)")?);
    let json_dir = out_dir.join(PLAYBOOK_DIR);
    std::fs::create_dir_all(&json_dir)
        .map_err(|e| format!("cannot create {}: {e}", json_dir.display()))?;
    let vocabulary_text = std::fs::read_to_string(VOCABULARY)
        .map_err(|e| format!("cannot read {VOCABULARY}: {e}"))?;
    let vocabulary: schema::Vocabulary = serde_yaml::from_str(&vocabulary_text)
        .map_err(|e| format!("{VOCABULARY}: not a valid vocabulary: {e}"))?;
    let vocabulary_json = serde_json::to_string(&vocabulary)
        .map_err(|e| format!("{VOCABULARY}: cannot write as JSON: {e}"))?;
    write(&out_dir.join("vocabulary.json"), &vocabulary_json)?;
    let mut table = RuleTable::new();
    for file in playbook_files(Path::new(PLAYBOOK_DIR))? {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let playbook: schema::Playbook = serde_yaml::from_str(&text)
            .map_err(|e| format!("{}: not a valid playbook: {e}", file.display()))?;
        add_rules(&mut table, &file, &playbook.matcher, &vocabulary.words)?;
        let json = serde_json::to_string(&playbook)
            .map_err(|e| format!("{}: cannot write as JSON: {e}", file.display()))?;
        // The file's stem is the id `embedded.rs` includes it by.
        let mut name = file.file_stem().unwrap_or_default().to_os_string();
        name.push(".json");
        write(&json_dir.join(name), &json)?;
    }
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let (source, automata) = render(&table, big_endian)?;
    std::fs::write(out_dir.join(RULE_DFAS), automata.dfas)
        .map_err(|e| format!("cannot write {RULE_DFAS}: {e}"))?;
    std::fs::write(out_dir.join(RULE_NFAS), automata.nfas)
        .map_err(|e| format!("cannot write {RULE_NFAS}: {e}"))?;
    write(&out_dir.join(RULE_TABLE), &source)
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The YAML files of the playbook directory, sorted so that the output is reproducible.
fn playbook_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "yaml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Prepare every rule regex of one playbook (the lists `classify` reads), keyed by the rule
/// with its word classes expanded.
fn add_rules(
    table: &mut RuleTable,
    file: &Path,
    m: &schema::MatchRules,
    shared: &words::Classes,
) -> Result<(), String> {
    for (field, patterns) in [
        ("text", &m.text),
        ("stage_text", &m.stage_text),
        ("weak_text", &m.weak_text),
        ("not_text", &m.not_text),
    ] {
        for (index, pattern) in patterns.iter().enumerate() {
            let pattern = &words::expand(pattern, &m.words, shared)
                .map_err(|why| format!("{}: match.{field}[{index}]: {why}", file.display()))?;
            let invalid = |why| {
                format!(
                    "{}: match.{field}[{index}] is not a valid regex: {why}",
                    file.display()
                )
            };
            let found = syntax::anchors(pattern).map_err(invalid)?;
            let ascii = syntax::ascii_form(pattern).map_err(invalid)?;
            table.insert(pattern.clone(), (found, ascii));
        }
    }
    Ok(())
}

/// One rule's anchors as the prefilter looks for them: whether its keys mark where its
/// matches start, its keys, its inner keys.
type Keys = (bool, Vec<String>, Vec<String>);

/// The automata the rule table places.
#[derive(Default)]
struct Automata {
    /// DFAs in the target's byte order, each at a multiple of [`DFA_ALIGN`].
    dfas: Vec<u8>,
    /// Encoded NFAs (`automaton::encode_nfa`), as little-endian words.
    nfas: Vec<u8>,
}

/// The rule table as Rust source (`{:?}` of a `str` is a valid Rust string literal), and
/// the automata it places.
fn render(table: &RuleTable, big_endian: bool) -> Result<(String, Automata), String> {
    let prepared: Vec<Option<Keys>> = table
        .values()
        .map(|(anchors, _)| {
            anchors.as_ref().map(|a| {
                (
                    fold::keys_mark_starts(a.at_start, &a.literals),
                    fold::prefilter_keys(&a.literals),
                    fold::prefilter_keys(&a.inner),
                )
            })
        })
        .collect();
    let keys: BTreeSet<&str> = prepared
        .iter()
        .flatten()
        .flat_map(|(_, keys, inner)| keys.iter().chain(inner))
        .map(String::as_str)
        .collect();
    let number: BTreeMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let numbers =
        |keys: &[String]| -> Vec<usize> { keys.iter().map(|k| number[k.as_str()]).collect() };
    let mut automata = Automata::default();
    let mut out = format!(
        "// Generated by build.rs from playbooks/*.yaml.\n\
         // The rule size limit the DFAs' NFAs were built under.\n\
         pub(super) const DFA_REGEX_LIMIT: usize = {MAX_REGEX_BYTES};\n\
         // The prefilter's keys of every rule's anchors and inner literals, sorted.\n\
         pub(super) static KEYS: &[&str] = &[\n",
    );
    // Writing to a String cannot fail.
    for key in &keys {
        let _ = writeln!(out, "    {key:?},");
    }
    out.push_str(
        "];\n\
         // (pattern, its preparation), sorted by pattern; keys by their place in KEYS.\n\
         pub(super) static EMBEDDED_RULES: &[(&str, Entry)] = &[\n",
    );
    for ((pattern, (_, ascii)), prepared) in table.iter().zip(&prepared) {
        let at_start = prepared.as_ref().is_some_and(|(at_start, _, _)| *at_start);
        let prebuilt = if at_start {
            prebuild(pattern, ascii, big_endian, &mut automata)?
        } else {
            "dfa: None, nfa: None".to_string()
        };
        let anchors = match prepared {
            Some((at_start, keys, inner)) => format!(
                "Some(AnchorEntry {{ at_start: {at_start}, keys: &{:?}, inner: &{:?} }})",
                numbers(keys),
                numbers(inner)
            ),
            None => "None".to_string(),
        };
        let folded = syntax::parse_folded(pattern).map_err(|why| format!("{pattern:?}: {why}"))?;
        let max_len = folded.properties().maximum_len();
        let unicode = syntax::encode(&folded);
        let _ = writeln!(
            out,
            "    ({pattern:?}, Entry {{ anchors: {anchors}, ascii: {ascii:?}, unicode: {unicode:?}, max_len: {max_len:?}, {prebuilt} }}),"
        );
    }
    out.push_str("];\n");
    Ok((out, automata))
}

/// Prepare the automata of the rule whose ASCII form is `ascii` (encoded), anchored at its
/// start: its DFA when that is small, else its NFA. Append it to `automata` and give the
/// table's `dfa` and `nfa` fields.
fn prebuild(
    pattern: &str,
    ascii: &str,
    big_endian: bool,
    automata: &mut Automata,
) -> Result<String, String> {
    // The very HIR the rule set compiles: the ASCII form read back.
    let hir = syntax::decode(ascii).map_err(|why| format!("{pattern:?}: {why}"))?;
    let nfa = automaton::nfa(&hir, MAX_REGEX_BYTES).map_err(|e| format!("{pattern:?}: {e}"))?;
    let Some(dfa) = automaton::dense_dfa(&nfa) else {
        let Some(words) = automaton::encode_nfa(&nfa) else {
            return Ok("dfa: None, nfa: None".to_string());
        };
        let offset = automata.nfas.len() / 4;
        automata
            .nfas
            .extend(words.iter().flat_map(|w| w.to_le_bytes()));
        let len = words.len();
        let max_len = hir.properties().maximum_len();
        return Ok(format!(
            "dfa: None, nfa: Some(Prebuilt {{ offset: {offset}, len: {len}, max_len: {max_len:?} }})"
        ));
    };
    let dfas = &mut automata.dfas;
    dfas.resize(dfas.len().next_multiple_of(DFA_ALIGN), 0);
    let offset = dfas.len();
    let len = dfa.write_to_len();
    dfas.resize(offset + len, 0);
    let written = if big_endian {
        dfa.write_to_big_endian(&mut dfas[offset..])
    } else {
        dfa.write_to_little_endian(&mut dfas[offset..])
    };
    written.map_err(|e| format!("{pattern:?}: cannot write its DFA: {e}"))?;
    let max_len = hir.properties().maximum_len();
    Ok(format!(
        "dfa: Some(Prebuilt {{ offset: {offset}, len: {len}, max_len: {max_len:?} }}), nfa: None"
    ))
}
