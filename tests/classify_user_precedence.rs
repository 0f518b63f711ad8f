//! A user's own playbook rules against the built-in ones, through the real binary with a
//! temporary `--playbooks` dir: the user's rule wins on its rung of the ladder (text over
//! built-in text whatever the priorities; a status pattern over a built-in one of equal or
//! lower specificity), never climbs a rung, and a copied built-in playbook keeps its rank.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_bouncebook");

fn write_playbook(dir: &Path, id: &str, matcher: &str) {
    let yaml = format!(
        "id: {id}\ntitle: {id}\nsummary: test\nsteps:\n  - id: s\n    title: s\nmatch:\n{matcher}"
    );
    std::fs::write(dir.join(format!("{id}.yaml")), yaml).expect("write playbook");
}

/// The cause and basis `triage --json` gives one pasted response, with `dir` as
/// `--playbooks` (none when `None`), and empty config/data dirs.
fn cause(dir: Option<&Path>, paste: &str) -> (String, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let input = home.path().join("paste.txt");
    std::fs::write(&input, paste).expect("write paste");
    let mut cmd = Command::new(BIN);
    cmd.arg("triage").arg("--json");
    if let Some(dir) = dir {
        cmd.arg("--playbooks").arg(dir);
    }
    let out = cmd
        .arg(&input)
        .env("BOUNCEBOOK_CONFIG_DIR", home.path().join("config"))
        .env("BOUNCEBOOK_DATA_DIR", home.path().join("data"))
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(line.trim()).expect("one JSON line");
    let r = &v["records"][0];
    (
        r["variation"].as_str().unwrap_or_default().to_string(),
        r["evidence"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn a_user_text_rule_beats_a_built_in_text_rule_of_higher_priority() {
    let paste = "550 5.7.23 SPF check failed";
    // The built-in answer (`SPF` is a policy-blocked word, priority 15).
    assert_eq!(cause(None, paste).0, "policy-blocked");
    let dir = tempfile::tempdir().expect("temp dir");
    write_playbook(
        dir.path(),
        "spf-fail",
        "  text: ['550 5\\.7\\.23 SPF check failed']\n",
    );
    let (variation, evidence) = cause(Some(dir.path()), paste);
    assert_eq!(variation, "spf-fail");
    assert_eq!(evidence, "550 5.7.23 SPF check failed");
    // Only where the user's rule matches.
    assert_eq!(
        cause(Some(dir.path()), "550 5.7.23 SPF validation failed").0,
        "policy-blocked"
    );
}

#[test]
fn a_user_status_pattern_beats_a_built_in_one_of_equal_specificity_but_never_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_playbook(dir.path(), "spf-fail", "  status: ['5.7.23']\n");
    // No words decide: both list 5.7.23 exactly; the user's own wins the tie.
    let (variation, evidence) = cause(Some(dir.path()), "550 5.7.23 Go away");
    assert_eq!(variation, "spf-fail");
    assert!(evidence.starts_with("status 5.7.23"), "{evidence}");
    // Built-in words are a stronger rung than the user's status pattern.
    assert_eq!(
        cause(Some(dir.path()), "550 5.7.23 SPF check failed").0,
        "policy-blocked"
    );
    // A less specific user pattern does not beat a more specific built-in one.
    let dir = tempfile::tempdir().expect("temp dir");
    write_playbook(dir.path(), "any-5-1", "  status: ['5.1.*']\n");
    assert_eq!(
        cause(Some(dir.path()), "550 5.1.1 Go away").0,
        "recipient-unknown"
    );
}

#[test]
fn a_copied_built_in_playbook_keeps_its_rank_and_only_added_rules_outrank() {
    // Both policy-blocked (`spamming`, priority 15) and sender-not-owned (priority 45)
    // have words here; the built-in order names sender-not-owned.
    let paste = "553 5.7.1 <info@other.example>: Sender address rejected: not owned by user \
                 shop@client.example; spamming suspected";
    assert_eq!(cause(None, paste).0, "sender-not-owned");
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/policy-blocked.yaml"),
    )
    .expect("embedded playbook source");
    let dir = tempfile::tempdir().expect("temp dir");
    // A copy whose steps were edited: its rules are still the built-in ones.
    let copy = built_in.replace(
        "Read which list and which IP the refusal names",
        "Read the list and IP (our wording)",
    );
    assert_ne!(copy, built_in);
    std::fs::write(dir.path().join("policy-blocked.yaml"), &copy).expect("write copy");
    assert_eq!(cause(Some(dir.path()), paste).0, "sender-not-owned");
    // A rule the user added to the copy is their own.
    let added = copy.replace("  text:\n", "  text:\n    - 'spamming suspected'\n");
    assert_ne!(added, copy);
    std::fs::write(dir.path().join("policy-blocked.yaml"), &added).expect("write copy");
    assert_eq!(cause(Some(dir.path()), paste).0, "policy-blocked");
}
