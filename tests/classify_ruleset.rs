//! The rule set's fast path (literal prefilter, anchored searches, the ASCII cut-down
//! prepared by the build, the lazily compiled automata) against the reference: a plain
//! case-insensitive `regex::Regex` per rule. For every embedded rule, on every line of the
//! catalogue of real refusals and on non-ASCII variants of them, both must find the same
//! leftmost match (or none).

use bouncebook::classify::expand_rule;
use bouncebook::classify::ruleset::{Limits, RuleSet, Trust, reference_regex};
use bouncebook::playbook;

const CATALOGUE: &str = include_str!("data/catalogue.tsv");

/// Responses in mixed case, with typographic apostrophes, case-folding oddities (`ſ`, `İ`,
/// the Kelvin sign) and other scripts.
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

/// Every embedded rule, expanded.
fn embedded_rules() -> Vec<String> {
    let set = playbook::embedded();
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let mut out = Vec::new();
    for (p, _) in &set.playbooks {
        let m = &p.matcher;
        for pattern in [&m.text, &m.stage_text, &m.weak_text, &m.not_text]
            .into_iter()
            .flatten()
        {
            out.push(expand_rule(m, pattern).expect("embedded rules expand"));
        }
    }
    out
}

/// The catalogue's lines, the samples, and each catalogue line made non-ASCII three ways:
/// upper-cased with a non-ASCII word in front, with a non-ASCII character inside the
/// words (after the first space) and with typographic apostrophes, so the Unicode
/// automata, the mapping of lower-cased offsets and Unicode word boundaries are exercised
/// on the very wordings the rules are written for.
fn texts() -> Vec<String> {
    let lines: Vec<&str> = CATALOGUE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.rsplit('\t').next())
        .collect();
    assert!(lines.len() >= 400, "{}", lines.len());
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out.extend(SAMPLES.iter().map(|s| s.to_string()));
    for line in &lines {
        out.push(format!("Échec: {}", line.to_uppercase()));
        out.push(line.replacen(' ', " é ", 1));
        out.push(line.replace('\'', "’").replace("user", "uſer"));
    }
    out
}

/// `trust`: how rule `i` is prepared.
fn check(trust: impl Fn(usize) -> Trust) {
    let limits = Limits::DEFAULT;
    let patterns = embedded_rules();
    let (set, unusable) = RuleSet::new(
        patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), trust(i))),
        &limits,
    );
    assert!(unusable.is_empty(), "{unusable:?}");
    let reference: Vec<regex::Regex> = patterns
        .iter()
        .map(|p| reference_regex(p, &limits).expect("every embedded rule compiles"))
        .collect();
    let texts = texts();
    let (mut matched, mut non_ascii_matched) = (0, 0);
    for text in &texts {
        let fast: Vec<(usize, usize, usize)> = set
            .matching(text)
            .iter()
            .map(|m| (m.rule, m.start, m.end))
            .collect();
        let slow: Vec<(usize, usize, usize)> = reference
            .iter()
            .enumerate()
            .filter_map(|(i, re)| re.find(text).map(|m| (i, m.start(), m.end())))
            .collect();
        if fast != slow {
            let differ: Vec<String> = (0..patterns.len())
                .filter(|&i| fast.iter().find(|m| m.0 == i) != slow.iter().find(|m| m.0 == i))
                .map(|i| {
                    format!(
                        "rule {i} fast {:?} reference {:?}: {}",
                        fast.iter().find(|m| m.0 == i),
                        slow.iter().find(|m| m.0 == i),
                        patterns[i].chars().take(120).collect::<String>()
                    )
                })
                .collect();
            panic!("{text:?}\n{}", differ.join("\n"));
        }
        matched += slow.len();
        if !text.is_ascii() {
            non_ascii_matched += slow.len();
        }
    }
    // The texts do exercise the rules, ASCII and not.
    assert!(patterns.len() > 200, "{} rules", patterns.len());
    assert!(matched > 2000, "{matched} matches");
    assert!(
        non_ascii_matched > 1000,
        "{non_ascii_matched} non-ASCII matches"
    );
}

/// The embedded rules as the classifier prepares them: anchors and ASCII forms from the
/// build's table.
#[test]
fn embedded_rules_find_what_the_reference_regex_finds() {
    check(|_| Trust::Embedded);
}

/// The same rules prepared at run time, as a user's playbook file is.
#[test]
fn checked_rules_find_what_the_reference_regex_finds() {
    check(|_| Trust::Checked);
}

/// Both kinds in one set, as when a user's playbooks sit next to the embedded ones: the
/// build's keys (named by number) and the keys made at run time (by their text) go into
/// one automaton, and each key must still lead to all of its rules.
#[test]
fn mixed_rules_find_what_the_reference_regex_finds() {
    check(|i| {
        if i % 3 == 1 {
            Trust::Checked
        } else {
            Trust::Embedded
        }
    });
}

/// A non-ASCII character right before or right after a match, and the rest of the text
/// ASCII: the rule set may answer from a rule's ASCII form when every byte its search reads
/// is ASCII, so the bytes just outside a match (which `\b` and the like look at) must count.
/// `é` is a word character to Unicode `\b`, a non-word byte to ASCII `\b`.
#[test]
fn non_ascii_next_to_a_match_reads_as_the_rule_reads_it() {
    let limits = Limits::DEFAULT;
    let patterns = embedded_rules();
    let (set, _) = RuleSet::new(
        patterns.iter().map(|p| (p.as_str(), Trust::Embedded)),
        &limits,
    );
    let reference: Vec<regex::Regex> = patterns
        .iter()
        .map(|p| reference_regex(p, &limits).expect("every embedded rule compiles"))
        .collect();
    let lines = CATALOGUE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.rsplit('\t').next());
    let mut variants = 0;
    for line in lines.filter(|l| l.is_ascii()) {
        for (rule, re) in reference.iter().enumerate() {
            let Some(m) = re.find(line) else { continue };
            for glued in [
                format!("{}é{}", &line[..m.start()], &line[m.start()..]),
                format!("{}é{}", &line[..m.end()], &line[m.end()..]),
            ] {
                variants += 1;
                let fast = set
                    .matching(&glued)
                    .iter()
                    .find(|f| f.rule == rule)
                    .map(|f| (f.start, f.end));
                let slow = re.find(&glued).map(|s| (s.start(), s.end()));
                assert_eq!(fast, slow, "rule {rule} on {glued:?}");
            }
        }
    }
    assert!(variants > 1500, "{variants} variants");
}

/// Lines of other scripts above and below an ASCII line (a Japanese bounce quoting an
/// English reply), and a line break inside the wording: the rule set may answer from a
/// rule's ASCII form only where every byte its search reads is ASCII, and a rule that
/// reads across lines (`\s+`, a negated class) reads the next line too. Every rule's
/// leftmost match must be the reference regex's.
#[test]
fn non_ascii_lines_around_a_line_read_as_the_rule_reads_them() {
    let limits = Limits::DEFAULT;
    let patterns = embedded_rules();
    let (set, _) = RuleSet::new(
        patterns.iter().map(|p| (p.as_str(), Trust::Embedded)),
        &limits,
    );
    let reference: Vec<regex::Regex> = patterns
        .iter()
        .map(|p| reference_regex(p, &limits).expect("every embedded rule compiles"))
        .collect();
    let lines: Vec<&str> = CATALOGUE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.rsplit('\t').next())
        .filter(|l| l.is_ascii())
        .collect();
    let other = ["ディレクトリのリストにありません", "Échec de remise ü", "é"];
    let (mut texts, mut matched) = (0, 0);
    for (n, line) in lines.iter().enumerate() {
        let note = other[n % other.len()];
        let broken = line.replacen(' ', "\n", 1);
        for text in [
            format!("{note}\n{line}\n{note}"),
            format!("{line}\r\n{note} {line}"),
            format!("{line}\n{note}"),
            format!("{broken} {note}\n{note}"),
            format!("{}\n{note}", line.to_uppercase()),
        ] {
            texts += 1;
            let fast: Vec<(usize, usize, usize)> = set
                .matching(&text)
                .iter()
                .map(|m| (m.rule, m.start, m.end))
                .collect();
            let slow: Vec<(usize, usize, usize)> = reference
                .iter()
                .enumerate()
                .filter_map(|(i, re)| re.find(&text).map(|m| (i, m.start(), m.end())))
                .collect();
            assert_eq!(fast, slow, "{text:?}");
            matched += slow.len();
        }
    }
    assert!(texts > 1500, "{texts} texts");
    assert!(matched > 2000, "{matched} matches");

    // A line break inside a rule's match, then a character only the Unicode rule reads
    // (`\s` takes a no-break space, a negated class takes `é`): a rule that reads across
    // lines must not be answered from its first line alone.
    let mut crossings = 0;
    for line in &lines {
        for (rule, re) in reference.iter().enumerate() {
            let Some(m) = re.find(line) else { continue };
            let Some(space) = line[m.start()..m.end()].find(' ') else {
                continue;
            };
            let at = m.start() + space;
            for glued in ["\n\u{a0}", "\né ", " \n\u{a0}é"] {
                let text = format!("{}{glued}{}", &line[..at], &line[at + 1..]);
                crossings += 1;
                let fast = set
                    .matching(&text)
                    .iter()
                    .find(|f| f.rule == rule)
                    .map(|f| (f.start, f.end));
                let slow = re.find(&text).map(|s| (s.start(), s.end()));
                assert_eq!(fast, slow, "rule {rule} on {text:?}");
            }
        }
    }
    assert!(crossings > 1500, "{crossings} line breaks inside matches");
}
