//! `bouncebook playbooks list|check` through the real binary: overrides and additions from
//! the config dir (BOUNCEBOOK_CONFIG_DIR) and from `--playbooks`, broken files as warnings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/playbooks")
        .join(name)
}

/// A config dir whose `playbooks/` holds copies of the given fixture files.
fn config_dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let playbooks = dir.path().join("playbooks");
    std::fs::create_dir_all(&playbooks).expect("mkdir");
    for (fixture_dir, file) in files {
        std::fs::copy(fixtures(fixture_dir).join(file), playbooks.join(file))
            .expect("copy fixture");
    }
    dir
}

fn bouncebook(config_dir: &Path, args: &[&str]) -> Output {
    let data = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_bouncebook"))
        .args(args)
        .env("BOUNCEBOOK_CONFIG_DIR", config_dir)
        .env("BOUNCEBOOK_DATA_DIR", data.path())
        .output()
        .expect("run bouncebook")
}

fn list_json(output: &Output) -> Vec<serde_json::Value> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("list --json prints a JSON array")
}

fn entry<'a>(list: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed"))
}

#[test]
fn list_shows_the_ten_embedded_playbooks_with_no_user_files() {
    let config = config_dir_with(&[]);
    let out = bouncebook(config.path(), &["playbooks", "list", "--json"]);
    let list = list_json(&out);
    let ids: Vec<&str> = list.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids, bouncebook::playbook::EMBEDDED_IDS);
    assert!(list.iter().all(|e| e["origin"] == "embedded"));
    assert!(
        list.iter()
            .all(|e| e["steps"].as_u64().is_some_and(|n| n >= 4))
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let text = bouncebook(config.path(), &["playbooks", "list"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.starts_with("ID "), "{stdout}");
    let mail_loop = stdout
        .lines()
        .find(|l| l.starts_with("mail-loop "))
        .unwrap_or_default();
    let columns: Vec<&str> = mail_loop.split_whitespace().take(3).collect();
    assert_eq!(columns, ["mail-loop", "6", "embedded"], "{stdout}");
    assert!(mail_loop.ends_with("Mail loop: the mail would come back to the server that sent it"));
}

#[test]
fn the_config_dir_overrides_and_adds() {
    let config = config_dir_with(&[
        ("override", "relay-denied.yaml"),
        ("addition", "spf-fail.yaml"),
    ]);
    let list = list_json(&bouncebook(config.path(), &["playbooks", "list", "--json"]));
    assert_eq!(list.len(), 11);
    let relay = entry(&list, "relay-denied");
    assert_eq!(relay["title"], "Relay denied (team version)");
    assert_eq!(relay["steps"], 2);
    let override_path = config.path().join("playbooks/relay-denied.yaml");
    assert_eq!(relay["origin"], override_path.display().to_string());
    // The override keeps its place; the new variation comes last.
    assert_eq!(list[0]["id"], "relay-denied");
    assert_eq!(list[10]["id"], "spf-fail");
    assert_eq!(entry(&list, "mail-loop")["origin"], "embedded");
}

#[test]
fn playbooks_dirs_override_and_add_after_the_config_dir() {
    let config = config_dir_with(&[("broken", "relay-denied.yaml")]);
    let override_dir = fixtures("override");
    let addition_dir = fixtures("addition");
    let out = bouncebook(
        config.path(),
        &[
            "playbooks",
            "list",
            "--json",
            "--playbooks",
            override_dir.to_str().unwrap_or_default(),
            "--playbooks",
            addition_dir.to_str().unwrap_or_default(),
        ],
    );
    let list = list_json(&out);
    assert_eq!(list.len(), 11);
    let relay = entry(&list, "relay-denied");
    assert_eq!(
        relay["origin"],
        override_dir.join("relay-denied.yaml").display().to_string()
    );
    assert_eq!(
        entry(&list, "spf-fail")["origin"],
        addition_dir.join("spf-fail.yaml").display().to_string()
    );
}

#[test]
fn a_broken_override_warns_and_the_embedded_playbook_stays() {
    let config = config_dir_with(&[("broken", "relay-denied.yaml")]);
    let out = bouncebook(config.path(), &["playbooks", "list", "--json"]);
    let list = list_json(&out);
    assert_eq!(list.len(), 10);
    let relay = entry(&list, "relay-denied");
    assert_eq!(relay["origin"], "embedded");
    assert_ne!(relay["title"], "A broken override");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let broken = config.path().join("playbooks/relay-denied.yaml");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "warning: {}:6:5: steps[0]: unknown field `titel`, expected one of `id`, `title`, `detail`, `command`, `when` (file skipped)",
            broken.display()
        )
    );
}

#[test]
fn check_with_no_dir_checks_embedded_and_config_dir() {
    let clean = config_dir_with(&[("addition", "spf-fail.yaml")]);
    let out = bouncebook(clean.path(), &["playbooks", "check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "OK: 11 playbook(s) checked, no problems\n"
    );

    let broken = config_dir_with(&[("broken", "relay-denied.yaml")]);
    let out = bouncebook(broken.path(), &["playbooks", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let file = broken.path().join("playbooks/relay-denied.yaml");
    assert!(
        stdout.starts_with(&format!(
            "{}:6:5: steps[0]: unknown field `titel`",
            file.display()
        )),
        "{stdout}"
    );
}

#[test]
fn check_dirs_and_files_reports_problems_and_exits_1() {
    let config = config_dir_with(&[]);
    let out = bouncebook(
        config.path(),
        &[
            "playbooks",
            "check",
            fixtures("override").to_str().unwrap_or_default(),
            fixtures("addition")
                .join("spf-fail.yaml")
                .to_str()
                .unwrap_or_default(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "OK: 2 playbook(s) checked, no problems\n"
    );

    let broken = fixtures("broken");
    let out = bouncebook(
        config.path(),
        &["playbooks", "check", broken.to_str().unwrap_or_default()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(&format!(
            "{}:6:5: ",
            broken.join("relay-denied.yaml").display()
        )),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 problem(s) in 1 of 1 playbook file(s)")
    );
}
