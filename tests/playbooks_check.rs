//! `playbooks check`: every kind of problem, with its exact FILE:LINE:COL, and the limits
//! against hostile files. Positions are 1-based; columns count characters.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bouncebook::playbook::{self, Problem};

const HEAD: &str = "id: t\ntitle: T\nsummary: S\n";

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        Dir(tempfile::tempdir().expect("temp dir"))
    }
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }
}

/// Check one file named `t.yaml` and return its problems as `LINE:COL: message`.
fn problems_of(text: impl AsRef<[u8]>) -> Vec<String> {
    let dir = Dir::new();
    let path = dir.write("t.yaml", text);
    let report = playbook::check_paths(std::slice::from_ref(&path));
    assert_eq!(report.checked, 1);
    report
        .problems
        .iter()
        .map(|p| strip_file(p, &path))
        .collect()
}

fn strip_file(problem: &Problem, path: &Path) -> String {
    let text = problem.to_string();
    let prefix = format!("{}:", path.display());
    text.strip_prefix(&prefix)
        .map(str::to_string)
        .unwrap_or(text)
}

#[test]
fn a_valid_file_has_no_problems() {
    assert_eq!(
        problems_of(format!("{HEAD}steps:\n  - id: a\n    title: A\n")),
        Vec::<String>::new()
    );
}

#[test]
fn yaml_syntax_error() {
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: \"unterminated\n"
        )),
        ["7:1: found unexpected end of stream, while scanning a quoted scalar at line 6 column 12"]
    );
    assert_eq!(
        problems_of(format!("{HEAD}steps:\n\t- id: a\n")),
        ["5:1: found character that cannot start any token, while scanning for the next token"]
    );
}

#[test]
fn unknown_field_at_the_key() {
    assert_eq!(
        problems_of(format!("{HEAD}steps:\n  - id: a\n    titel: A\n")),
        [
            "6:5: steps[0]: unknown field `titel`, expected one of `id`, `title`, `detail`, `command`, `when`, `check`"
        ]
    );
    // Both are true: the misspelt key is unknown and `steps` is missing.
    assert_eq!(
        problems_of(format!("{HEAD}stepz: []\n")),
        [
            "1:1: missing field `steps`",
            "4:1: unknown field `stepz`, expected one of `id`, `title`, `summary`, `match`, `steps`, `escalate`, `reply`"
        ]
    );
}

#[test]
fn missing_field_at_the_mapping_that_lacks_it() {
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    detail: x\n  - id: b\n    title: B\n"
        )),
        ["5:5: steps[0]: missing field `title`"]
    );
    assert_eq!(
        problems_of("id: t\ntitle: T\nsteps:\n  - id: a\n    title: A\n"),
        ["1:1: missing field `summary`"]
    );
}

#[test]
fn wrong_type_at_the_value() {
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: A\n    command: [1, 2]\n"
        )),
        ["7:14: steps[0].command: invalid type: sequence, expected a string"]
    );
    assert_eq!(
        problems_of(format!("{HEAD}steps: yes\n")),
        ["4:8: steps: invalid type: string \"yes\", expected a sequence"]
    );
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: A\nmatch:\n  reply_code: [553, hello]\n"
        )),
        ["8:21: match.reply_code[1]: invalid type: string \"hello\", expected u16"]
    );
}

#[test]
fn duplicate_key_at_its_second_occurrence() {
    assert_eq!(
        problems_of(format!(
            "{HEAD}title: again\nsteps:\n  - id: a\n    title: A\n"
        )),
        ["4:1: duplicate field `title`"]
    );
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: A\n    title: B\n"
        )),
        ["7:5: steps[0]: duplicate field `title`"]
    );
}

#[test]
fn duplicate_step_id_at_the_second_id() {
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: check-mx\n    title: A\n  - id: other\n    title: B\n  - id: check-mx\n    title: C\n"
        )),
        ["9:9: duplicate step id `check-mx` (first used on line 5)"]
    );
}

#[test]
fn id_must_match_the_file_name_and_be_kebab_case() {
    assert_eq!(
        problems_of("id: relay-denied\ntitle: T\nsummary: S\nsteps:\n  - id: a\n    title: A\n"),
        ["1:5: id `relay-denied` does not match the file name; expected `t`"]
    );
    let dir = Dir::new();
    let path = dir.write(
        "Bad_Id.yaml",
        "id: Bad_Id\ntitle: T\nsummary: S\nsteps:\n  - id: Step One\n    title: A\n",
    );
    let report = playbook::check_paths(std::slice::from_ref(&path));
    let got: Vec<String> = report
        .problems
        .iter()
        .map(|p| strip_file(p, &path))
        .collect();
    assert_eq!(
        got,
        [
            "1:5: id `Bad_Id` must be lower-case letters, digits and single hyphens (at most 64)",
            "5:9: step id `Step One` must be lower-case letters, digits and single hyphens (at most 64)",
        ]
    );
}

#[test]
fn invalid_regex_at_the_pattern_in_block_and_flow_lists() {
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\n\n# --- recognition rules ---\nmatch:\n  text:\n    - \"fine\"\n    - \"unclosed (group\"\n"
    ));
    assert_eq!(got, ["12:7: invalid regex in match.text: unclosed group"]);
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\nmatch:\n  text: [\"ok\", 'a[z-a]']\n"
    ));
    assert_eq!(
        got,
        [
            "8:16: invalid regex in match.text: invalid character class range, the start must be <= the end"
        ]
    );
}

#[test]
fn empty_steps_and_empty_titles() {
    assert_eq!(
        problems_of(format!("{HEAD}steps: []\n")),
        ["4:8: steps is empty; a playbook needs at least one step"]
    );
    assert_eq!(
        problems_of("id: t\ntitle: \"  \"\nsummary: S\nsteps:\n  - id: a\n    title: \"\"\n"),
        ["2:8: title is empty", "6:12: step `a` has an empty title"]
    );
}

#[test]
fn empty_summary_empty_command_and_too_many_escalate_entries() {
    let escalate: String = (0..51).map(|i| format!("  - item {i}\n")).collect();
    assert_eq!(
        problems_of(format!(
            "id: t\ntitle: T\nsummary: \"\"\nsteps:\n  - id: a\n    title: A\n    command: \" \"\nescalate:\n{escalate}"
        )),
        [
            "3:10: summary is empty",
            "7:14: step `a` has an empty command; leave `command` out instead",
            "9:3: escalate has 51 entries; at most 50 are allowed",
        ]
    );
}

#[test]
fn positions_inside_multi_line_flow_lists() {
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\nmatch:\n  text: [\n    \"fine\",\n    \"bad(\",\n  ]\n"
    ));
    assert_eq!(got, ["10:5: invalid regex in match.text: unclosed group"]);
}

#[test]
fn unknown_placeholder_at_its_brace() {
    assert_eq!(
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: A\n    command: 'dig +short MX {{recipient_domain}} {{recipent}}'\n"
        )),
        [
            "7:48: unknown placeholder `{recipent}` in step `a`; known: sender, sender_domain, header_from, recipient, recipient_domain, remote_host, remote_ip, reporting_mta, queue_id, message_id, reply_code, status, sending_ip, submission_host"
        ]
    );
    // In a block scalar the brace is found on its own line; `{{` is a literal brace.
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\n    command: |\n      awk '{{{{print $1}}}}' log |\n        grep {{queue}}\n"
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("9:14: unknown placeholder `{queue}` in step `a`"),
        "{got:?}"
    );
}

#[test]
fn every_problem_of_a_file_is_reported_not_just_the_first() {
    let got = problems_of(
        "id: wrong\ntitle: \"\"\nsummary: S\nsteps:\n  - id: a\n    title: A\n    command: 'x {nope}'\n  - id: a\n    title: B\n",
    );
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got[0].starts_with("1:5: id `wrong` does not match"));
    assert!(got[1].starts_with("2:8: title is empty"));
    assert!(got[2].starts_with("7:17: unknown placeholder `{nope}`"));
    assert!(got[3].starts_with("8:9: duplicate step id `a`"));
}

#[test]
fn duplicate_id_across_files_of_one_directory() {
    let dir = Dir::new();
    let body = "id: t\ntitle: T\nsummary: S\nsteps:\n  - id: a\n    title: A\n";
    let first = dir.write("t.yaml", body);
    let second = dir.write("t.yml", body);
    let report = playbook::check_paths(&[dir.0.path().to_path_buf()]);
    assert_eq!(report.checked, 2);
    let got: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [format!(
            "{}:1:5: duplicate id `t`: also defined in {}",
            second.display(),
            first.display()
        )]
    );
}

#[test]
fn non_yaml_files_in_a_directory_are_ignored_and_a_missing_path_is_a_problem() {
    let dir = Dir::new();
    dir.write("README.md", "# notes");
    dir.write("playbook.schema.json", "{}");
    let report = playbook::check_paths(&[dir.0.path().to_path_buf()]);
    assert_eq!((report.checked, report.problems.len()), (0, 0));
    let missing = dir.0.path().join("nope");
    let report = playbook::check_paths(std::slice::from_ref(&missing));
    assert_eq!(report.problems.len(), 1);
    assert!(
        report.problems[0]
            .to_string()
            .starts_with(&format!("{}:1:1: cannot read:", missing.display()))
    );
}

#[test]
fn a_device_is_not_read() {
    let report = playbook::check_paths(&[PathBuf::from("/dev/zero")]);
    let got: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(got, ["/dev/zero:1:1: not a regular file or directory"]);
}

// ---- hostile files: each fails quickly with a message that says what is wrong ----

fn quickly<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(2), "{what} took {took:?}");
    out
}

#[test]
fn an_oversized_file_is_refused_without_parsing() {
    let big = format!(
        "{HEAD}steps:\n{}",
        "  - id: a\n    title: A\n".repeat(20_000)
    );
    let got = quickly("oversized", || problems_of(&big));
    assert_eq!(
        got,
        [format!(
            "1:1: file is {} bytes; a playbook may be at most 256 KiB",
            big.len()
        )]
    );
}

#[test]
fn a_hundred_thousand_steps_are_refused() {
    // Written compactly the file is still far over the size limit.
    let huge = format!("{HEAD}steps: [{}]\n", "{id: a, title: A},".repeat(100_000));
    let got = quickly("100k steps", || problems_of(&huge));
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("1:1: file is "), "{got:?}");
    // Within the size limit, the step limit speaks.
    let many: String = (0..101)
        .map(|i| format!("  - {{id: s{i}, title: S}}\n"))
        .collect();
    let got = quickly("101 steps", || problems_of(format!("{HEAD}steps:\n{many}")));
    assert_eq!(got, ["5:3: 101 steps; a playbook may have at most 100"]);
}

#[test]
fn a_huge_regex_is_refused_by_its_compiled_size() {
    let got = quickly("huge regex", || {
        problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: A\nmatch:\n  text:\n    - '(\\w{{100}}){{100}}'\n"
        ))
    });
    assert_eq!(
        got,
        ["9:7: invalid regex in match.text: compiles to more than 1024 KiB"]
    );
}

#[test]
fn an_alias_bomb_fails_fast() {
    // "Billion laughs": nine levels of nine aliases would expand to 387 million strings.
    let mut bomb = String::from("id: t\ntitle: T\nsummary: S\nsteps:\n  - id: a\n    title: A\n");
    bomb.push_str("escalate: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    bomb.push_str("match:\n  text: &l1 [");
    bomb.push_str(&["*l0"; 9].join(", "));
    bomb.push_str("]\n  status: &l2 [");
    bomb.push_str(&["*l1"; 9].join(", "));
    bomb.push_str("]\n  stage: [");
    bomb.push_str(&["*l2"; 9].join(", "));
    bomb.push_str("]\n");
    let got = quickly("alias bomb", || problems_of(&bomb));
    assert_eq!(
        got,
        ["7:11: match.text[0]: invalid type: sequence, expected a string"]
    );
}

#[test]
fn wrong_types_everywhere_are_reported_not_panicked_on() {
    for (text, expected) in [
        (
            "[1, 2, 3]\n",
            "1:1: invalid type: sequence, expected struct Playbook",
        ),
        (
            "just a string\n",
            "1:1: invalid type: string \"just a string\", expected struct Playbook",
        ),
        (
            "id: [7]\n",
            "1:5: id: invalid type: sequence, expected a string",
        ),
        (
            "id: t\ntitle: {a: 1}\n",
            "2:8: title: invalid type: map, expected a string",
        ),
    ] {
        // The fields these files lack are listed too (every problem is reported).
        let got = problems_of(text);
        assert!(got.iter().any(|p| p == expected), "{text:?}: {got:#?}");
        assert!(
            got.iter()
                .all(|p| p == expected || p.starts_with("1:1: missing field `")),
            "{text:?}: {got:#?}"
        );
    }
}

#[test]
fn non_utf8_bytes_are_located() {
    let mut bytes = format!("{HEAD}steps:\n  - id: a\n    title: caf").into_bytes();
    bytes.extend_from_slice(&[0xE9, b'\n']);
    assert_eq!(
        problems_of(&bytes),
        ["6:15: file is not valid UTF-8 (byte 0xE9); save it as UTF-8"]
    );
}

#[test]
fn an_empty_file_says_so() {
    assert_eq!(
        problems_of("\n  \n"),
        ["1:1: file is empty; a playbook needs id, title, summary and steps"]
    );
}

#[test]
fn when_values_are_checked_at_their_position() {
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\n    when: {{refused_by: remot, reporting_system: [exim, cpanel]}}\n"
    ));
    assert_eq!(
        got,
        [
            "7:24: unknown value `remot` for when.refused_by in step `a`; known: local, remote",
            "7:56: unknown value `cpanel` for when.reporting_system in step `a`; known: exim, postfix, qmail, sendmail, exchange, gmail, courier, opensmtpd, other",
        ]
    );
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\n    when:\n      refused: local\n"
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("8:7: steps[0].when: unknown field `refused`"),
        "{got:?}"
    );
}

#[test]
fn an_auth_command_aimed_at_the_remote_mx_is_refused() {
    for (target, col) in [
        ("{remote_host}", 30),
        ("{remote_ip}", 30),
        ("{recipient_domain}", 30),
    ] {
        let got = problems_of(format!(
            "{HEAD}steps:\n  - id: a\n    title: A\n    command: 'swaks --server {target} --auth LOGIN --auth-user {{sender}}'\n"
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with(&format!("7:{col}: step `a` logs in (SMTP AUTH)")),
            "{got:?}"
        );
        assert!(got[0].contains("{submission_host}"), "{got:?}");
    }
    let ok = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\n    command: 'swaks --server {{submission_host}} --auth LOGIN --auth-user {{sender}} --to {{recipient}}'\n  - id: b\n    title: B\n    command: 'swaks --server {{remote_host}} --to {{recipient}} --quit-after RCPT'\n"
    ));
    assert!(ok.is_empty(), "{ok:?}");
}

#[test]
fn reply_placeholders_are_checked() {
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\nreply: 'Mail to {{recipient}} at {{time}}: {{said}} {{nope}}'\n"
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("7:47: unknown placeholder `{nope}` in reply"),
        "{got:?}"
    );
}

/// serde_yaml stops at the first problem; `playbooks check` lists every one in the file, in
/// file order, each at its line.
#[test]
fn every_problem_in_a_file_is_reported_not_only_the_first() {
    let got = problems_of(format!(
        "{HEAD}colour: blue\nsteps:\n  - id: a\n    titel: A\n  - id: b\n    detail: no title\n  - id: c\n    title: C\n    when:\n      refused: local\n"
    ));
    assert_eq!(got.len(), 4, "{got:#?}");
    assert!(
        got[0].starts_with("4:") && got[0].contains("unknown field `colour`"),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with("7:") && got[1].contains("steps[0]: unknown field `titel`"),
        "{got:#?}"
    );
    assert!(
        got[2].starts_with("8:") && got[2].contains("steps[1]: missing field `title`"),
        "{got:#?}"
    );
    assert!(
        got[3].starts_with("13:") && got[3].contains("steps[2].when: unknown field `refused`"),
        "{got:#?}"
    );
}

/// A stage or status value that can never match is reported at its place; every stage the
/// parser reports (CONNECT and HELO too) can be named.
#[test]
fn stages_and_statuses_that_can_never_match_are_reported() {
    let got = problems_of(format!(
        "{HEAD}steps:\n  - id: a\n    title: A\nmatch:\n  stage: ['CONNECT', 'HELO', 'EHLO', 'QUIT']\n  status:\n    - '5.7.1 at HELO'\n    - '5.7.1 at CONNECT'\n    - '5.7.1 at QUIT'\n    - '6.1.1'\n    - '5.1.1234'\n    - '5.x.1'\n  text: ['ok', '  ']\n"
    ));
    assert_eq!(
        got,
        [
            // A blank rule would match every response: the classifier cannot use it either.
            "16:16: invalid regex in match.text: empty pattern (it would match every response)",
            "8:38: stage `QUIT` can never match: use CONNECT, HELO, MAIL FROM, RCPT TO or DATA",
            "12:7: status `5.7.1 at QUIT` can never match: the stage after `at` must be CONNECT, HELO, MAIL FROM, RCPT TO, DATA or unknown",
            "13:7: status `6.1.1` can never match: the class (first part) of an enhanced status is 2, 4 or 5",
            "14:7: status `5.1.1234` can never match: subject and detail have at most 3 digits",
            "15:7: `5.x.1` is not an enhanced status pattern (like 5.1.1, 5.7.*, 5.7.6??, 5.7.* at RCPT TO)",
        ]
    );
}

fn shadow_playbook(id: &str, matcher: &str) -> String {
    format!("id: {id}\ntitle: T\nsummary: S\nsteps:\n  - id: s\n    title: s\nmatch:\n{matcher}")
}

/// Two files checked together are in force together: the lower-priority one's copy of the
/// same `text` rule can never win, and is reported at its line; the higher one is not.
#[test]
fn a_rule_identical_to_a_higher_ranked_playbooks_rule_can_never_win() {
    let dir = Dir::new();
    dir.write(
        "high.yaml",
        shadow_playbook("high", "  priority: 10\n  text:\n    - 'zq frobnicated'\n"),
    );
    let low = dir.write(
        "low.yaml",
        shadow_playbook(
            "low",
            "  priority: 5\n  text:\n    - 'zq other'\n    - 'zq frobnicated'\n",
        ),
    );
    let report = playbook::check_paths(&[dir.0.path().to_path_buf()]);
    let found: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        found,
        [format!(
            "{}:11:7: match.text[1] can never win: playbook `high` has the same rule \
             (match.text[0]) and ranks higher",
            low.display()
        )],
    );
}

/// A text rule whose every example (of any playbook in force) gets another cause is
/// reported; one that wins on an example is not.
#[test]
fn a_text_rule_that_loses_every_example_it_matches_is_reported() {
    // Two user files: a user's own rule outranks every built-in one, so only another of
    // their own can shadow it.
    let dir = Dir::new();
    dir.write(
        "winner.yaml",
        shadow_playbook(
            "winner",
            "  priority: 10\n  text:\n    - 'zq mailbox gone'\n  examples:\n    - line: '550 zq mailbox gone away'\n      source: 'test'\n",
        ),
    );
    let loser = dir.write(
        "loser.yaml",
        shadow_playbook(
            "loser",
            "  priority: 5\n  text:\n    - 'gone away'\n    - 'zq left'\n  examples:\n    - line: '550 zq left'\n      source: 'test'\n",
        ),
    );
    let report = playbook::check_paths(&[dir.0.path().to_path_buf()]);
    let found: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        found,
        [format!(
            "{}:10:7: match.text[0] never wins on the examples it matches: each gets another \
             cause (`550 zq mailbox gone away` gets winner)",
            loser.display()
        )],
    );
}

/// The embedded playbooks have no rule that can be shown never to win.
#[test]
fn no_embedded_rule_is_shadowed() {
    let problems = bouncebook::classify::shadowed_rules(&playbook::embedded());
    assert!(problems.is_empty(), "{problems:#?}");
}
