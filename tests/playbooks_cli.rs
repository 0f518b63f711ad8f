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
    // JSON Lines, like every other `--json`: each line one whole object.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object ({e}): {l}"))
        })
        .collect()
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
            "warning: {}:6:5: steps[0]: unknown field `titel`, expected one of `id`, `title`, `detail`, `command`, `when`, `check` (file skipped)",
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

#[test]
fn list_json_is_one_object_per_playbook_per_line() {
    let config = config_dir_with(&[]);
    let out = bouncebook(config.path(), &["playbooks", "list", "--json"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        bouncebook::playbook::EMBEDDED_IDS.len(),
        "{stdout}"
    );
    for (line, id) in lines.iter().zip(bouncebook::playbook::EMBEDDED_IDS) {
        let row: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(row.is_object(), "{line}");
        assert_eq!(row["id"], *id, "{line}");
    }
}

#[test]
fn playbooks_before_the_subcommand_are_used_and_keep_their_order() {
    let config = config_dir_with(&[]);
    let override_dir = fixtures("override");
    let addition_dir = fixtures("addition");
    let override_arg = override_dir.to_str().unwrap_or_default();
    let addition_arg = addition_dir.to_str().unwrap_or_default();
    // All before, and split around the subcommand: both load, in command-line order.
    for args in [
        vec![
            "--playbooks",
            override_arg,
            "--playbooks",
            addition_arg,
            "playbooks",
            "list",
            "--json",
        ],
        vec![
            "--playbooks",
            override_arg,
            "playbooks",
            "list",
            "--json",
            "--playbooks",
            addition_arg,
        ],
    ] {
        let list = list_json(&bouncebook(config.path(), &args));
        assert_eq!(list.len(), 11, "{args:?}");
        assert_eq!(
            entry(&list, "relay-denied")["origin"],
            override_dir.join("relay-denied.yaml").display().to_string(),
            "{args:?}"
        );
        assert_eq!(
            entry(&list, "spf-fail")["origin"],
            addition_dir.join("spf-fail.yaml").display().to_string(),
            "{args:?}"
        );
    }
    // Where a global option means nothing, it is refused as a usage error, not ignored.
    let out = bouncebook(config.path(), &["--playbooks", override_arg, "tickets"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--playbooks does not apply to `tickets`")
    );
    let out = bouncebook(config.path(), &["--ticket", "t1", "playbooks", "list"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_a_missing_folder_says_it_does_not_exist() {
    let config = config_dir_with(&[]);
    let missing = config.path().join("no-such-folder");
    let missing_arg = missing.to_str().unwrap_or_default();
    let out = bouncebook(config.path(), &["playbooks", "check", missing_arg]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{missing_arg}: the folder does not exist")),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("OK"));

    // Next to a folder that exists: that one is still checked, and the run still fails.
    let good = fixtures("override");
    let out = bouncebook(
        config.path(),
        &[
            "playbooks",
            "check",
            missing_arg,
            good.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 playbook(s) checked, no problems; 1 path(s) not found"),
        "{stderr}"
    );
}
