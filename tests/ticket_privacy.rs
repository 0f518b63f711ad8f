//! Issue 16: everything bouncebook writes in its data dir is private whatever the umask, and
//! tickets can be forgotten (`tickets delete`, `tickets prune`, the retention setting),
//! never while another bouncebook has them open.
//!
//! The umask is per process and the tests run in parallel threads of one process, so the
//! umask tests never change it here: they run this same test binary again in a child
//! process (`sh -c 'umask 000; exec <test binary> --exact <helper>'`), and the helper, an
//! ignored test that does nothing unless that child's environment names a folder, writes
//! every kind of file there.

#![cfg(unix)]

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use bouncebook::clipboard::{Clipboard, CopyVia, Environment};
use bouncebook::private::mode_of;
use bouncebook::ticket::{self, DeleteError, StepState};
use chrono::Utc;

use support::{BIN, Tmux, fixture, isolated};

const CHILD_DIR_VAR: &str = "BOUNCEBOOK_PRIVACY_CHILD_DIR";

/// Run by [`modes_are_private_under_umask`] in a child process with the umask under test.
#[test]
#[ignore = "helper: run in a child process by the umask tests"]
fn child_writes_every_kind_of_file() {
    let Some(data) = std::env::var_os(CHILD_DIR_VAR).map(PathBuf::from) else {
        panic!("run by modes_are_private_under_umask with {CHILD_DIR_VAR} set");
    };
    let now = Utc::now();
    // A ticket with a tick (lock file, temporary file renamed into the ticket file)...
    let opened = ticket::open(&data, "priv-1", now).unwrap();
    let mut t = opened.ticket.clone();
    t.bounce = Some("553 sorry, that domain isn't in my list of allowed rcpthosts\n".into());
    t.progress.entry("relay-denied".into()).or_default().insert(
        "enable-auth".into(),
        StepState {
            done: true,
            ..StepState::default()
        },
    );
    opened.handle.save(&t).unwrap();
    // ... saved twice, so the earlier bounce goes to the ticket's history.
    let mut t2 = t.clone();
    t2.history.push(ticket::PastBounce {
        text: t.bounce.clone().unwrap_or_default(),
        replaced_at: now,
        records: Default::default(),
    });
    opened.handle.save(&t2).unwrap();
    drop(opened);
    // An unreadable ticket moved aside.
    let opened = ticket::open(&data, "priv-2", now).unwrap();
    opened.handle.save(&opened.ticket).unwrap();
    drop(opened);
    fs::write(data.join("tickets/priv-2.json"), b"{ not json").unwrap();
    let reopened = ticket::open(&data, "priv-2", now).unwrap();
    assert!(reopened.moved_aside.is_some());
    drop(reopened);
    // The clipboard's last link: no display, no terminal.
    let mut clipboard = Clipboard::with_environment(
        Some(data.clone()),
        Environment {
            backend: None,
            ssh: false,
            tmux: false,
        },
        || Err(std::io::Error::other("no terminal in this test")),
    );
    let report = clipboard.copy("summary naming a customer");
    assert!(
        matches!(report.via, Some(CopyVia::File(_))),
        "{}",
        report.message
    );
}

/// Every folder and file under `root`, with its mode.
fn modes_under(root: &Path) -> Vec<(String, u32, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        out.push((
            dir.strip_prefix(root).unwrap().display().to_string(),
            mode_of(&dir).unwrap(),
            true,
        ));
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((
                    path.strip_prefix(root).unwrap().display().to_string(),
                    mode_of(&path).unwrap(),
                    false,
                ));
            }
        }
    }
    out.sort();
    out
}

fn run_child_with_umask(umask: &str, data: &Path) {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask {umask} && exec \"$0\" --exact child_writes_every_kind_of_file --ignored --test-threads 1"
        ))
        .arg(&exe)
        .env(CHILD_DIR_VAR, data)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child under umask {umask}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn modes_are_private_under_umask_000_and_077() {
    for umask in ["000", "077", "022"] {
        let tmp = tempfile::tempdir().unwrap();
        // The data dir does not exist yet: bouncebook creates it (and a missing parent).
        let data = tmp.path().join("home/bouncebook");
        run_child_with_umask(umask, &data);
        let modes = modes_under(&data);
        let names: Vec<&str> = modes.iter().map(|(n, _, _)| n.as_str()).collect();
        // Every kind of file is there to be checked.
        for expected in [
            "tickets/priv-1.json",
            "tickets/priv-1.lock",
            "tickets/priv-2.lock",
        ] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("tickets/priv-2.json.corrupt-")),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.starts_with("clipboard/copy-")),
            "{names:?}"
        );
        for (name, mode, is_dir) in &modes {
            let want = if *is_dir { 0o700 } else { 0o600 };
            assert_eq!(*mode, want, "umask {umask}: {name:?} is {mode:o}");
        }
        assert_eq!(mode_of(&tmp.path().join("home")).unwrap(), 0o700);
    }
}

#[test]
fn an_existing_wider_data_dir_and_lock_are_tightened() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir_all(data.join("tickets")).unwrap();
    fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(data.join("tickets"), fs::Permissions::from_mode(0o777)).unwrap();
    // Left by an older bouncebook: world-readable ticket and lock.
    fs::write(data.join("tickets/old.lock"), b"").unwrap();
    fs::write(
        data.join("tickets/old.json"),
        serde_json::to_vec(&ticket::Ticket::new("old", Utc::now())).unwrap(),
    )
    .unwrap();
    for f in ["old.lock", "old.json"] {
        fs::set_permissions(
            data.join("tickets").join(f),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
    let opened = ticket::open(&data, "old", Utc::now()).unwrap();
    assert!(opened.resumed);
    assert!(opened.notices.is_empty(), "{:?}", opened.notices);
    assert_eq!(mode_of(&data).unwrap(), 0o700);
    assert_eq!(mode_of(&data.join("tickets")).unwrap(), 0o700);
    assert_eq!(mode_of(&data.join("tickets/old.lock")).unwrap(), 0o600);
    assert_eq!(mode_of(&data.join("tickets/old.json")).unwrap(), 0o600);
}

#[test]
fn a_shared_data_dir_that_cannot_be_tightened_is_reported_once_at_open() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("shared");
    fs::create_dir(&data).unwrap();
    // Sticky and world-writable, like /tmp: never chmod-ed by bouncebook, even as root.
    fs::set_permissions(&data, fs::Permissions::from_mode(0o1777)).unwrap();
    let opened = ticket::open(&data, "t", Utc::now()).unwrap();
    assert_eq!(opened.notices.len(), 1, "{:?}", opened.notices);
    assert!(opened.notices[0].contains("1777"), "{:?}", opened.notices);
    assert_eq!(mode_of(&data).unwrap(), 0o1777);
    // tickets/ inside it is still private.
    assert_eq!(mode_of(&data.join("tickets")).unwrap(), 0o700);
}

fn cli(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = isolated(Command::new(BIN), data)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A saved ticket whose files look `age` old (both its `updated` and the files' times).
fn saved_ticket(data: &Path, id: &str, age: chrono::TimeDelta) {
    let when = Utc::now() - age;
    let opened = ticket::open(data, id, when).unwrap();
    let mut t = opened.ticket.clone();
    t.bounce = Some("553 5.7.1 relaying denied\n".into());
    opened.handle.save(&t).unwrap();
    drop(opened);
    let time = SystemTime::now() - Duration::from_secs(age.num_seconds().max(0) as u64);
    for name in [format!("{id}.json"), format!("{id}.lock")] {
        let file = fs::File::options()
            .write(true)
            .open(data.join("tickets").join(name))
            .unwrap();
        file.set_modified(time).unwrap();
    }
}

fn ticket_files(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(data.join("tickets"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn delete_removes_the_ticket_and_everything_kept_for_it_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    saved_ticket(&data, "a", chrono::TimeDelta::zero());
    saved_ticket(&data, "a.b", chrono::TimeDelta::zero());
    saved_ticket(&data, "a-b", chrono::TimeDelta::zero());
    let tickets = data.join("tickets");
    // Leftovers of ticket a: a killed save's temporary file, an unreadable copy kept aside.
    fs::write(tickets.join(".tmp-a-Xy12Z9.json"), b"{\"half\":").unwrap();
    fs::write(tickets.join("a.json.corrupt-20261129T050001.000Z"), b"{").unwrap();
    // And another ticket's temporary file, which must stay.
    fs::write(tickets.join(".tmp-a-b-Xy12Z9.json"), b"{").unwrap();

    let (code, out, err) = cli(tmp.path(), &["tickets", "delete", "a"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "deleted ticket a (4 files)\n");
    assert_eq!(
        ticket_files(&data),
        [
            ".tmp-a-b-Xy12Z9.json",
            "a-b.json",
            "a-b.lock",
            "a.b.json",
            "a.b.lock"
        ]
    );

    // Unknown and invalid ids are errors that name the id; the others are still deleted.
    let (code, out, err) = cli(tmp.path(), &["tickets", "delete", "nope", "a.b", "../x"]);
    assert_eq!(code, 1);
    assert_eq!(out, "deleted ticket a.b (2 files)\n");
    assert!(err.contains("no ticket nope"), "{err}");
    assert!(err.contains("invalid ticket id \"../x\""), "{err}");
}

#[test]
fn delete_and_prune_refuse_a_ticket_open_in_another_bouncebook() {
    let Some(tmux) = Tmux::new("privacy-open") else {
        return;
    };
    let data = tmux.data_dir();
    saved_ticket(&data, "busy", chrono::TimeDelta::days(40));
    saved_ticket(&data, "idle", chrono::TimeDelta::days(40));
    saved_ticket(&data, "fresh", chrono::TimeDelta::hours(1));
    // A real bouncebook, in a real terminal, holds "busy" open.
    tmux.start(&tmux.app_command("busy"));
    tmux.wait_text("resumed ticket busy");

    let (code, out, err) = cli(tmux.dir.path(), &["tickets", "delete", "busy"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("ticket busy is open in another bouncebook"),
        "{err}"
    );
    assert!(data.join("tickets/busy.json").exists());

    let (code, out, err) = cli(
        tmux.dir.path(),
        &["tickets", "prune", "--older-than", "30d", "--dry-run"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would remove ticket idle"), "{out}");
    assert!(
        out.contains("kept ticket busy: open in another bouncebook"),
        "{out}"
    );
    assert!(!out.contains("fresh"), "{out}");
    assert!(
        data.join("tickets/idle.json").exists(),
        "dry run removes nothing"
    );

    let (code, out, err) = cli(
        tmux.dir.path(),
        &["tickets", "prune", "--older-than", "30d"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("removed ticket idle"), "{out}");
    assert!(
        out.contains("pruned: 1 ticket not changed for 30d, 1 kept"),
        "{out}"
    );
    assert_eq!(
        ticket_files(&data),
        ["busy.json", "busy.lock", "fresh.json", "fresh.lock"]
    );

    // The app still saves its ticket after the prune.
    tmux.keys(&["q"]);
    tmux.wait_text("EXITED 0");
    let (code, _, err) = cli(tmux.dir.path(), &["tickets", "delete", "busy"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn prune_takes_a_duration_and_explains_a_bad_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    saved_ticket(&data, "old", chrono::TimeDelta::hours(13));
    saved_ticket(&data, "new", chrono::TimeDelta::hours(11));
    let (code, _, err) = cli(tmp.path(), &["tickets", "prune", "--older-than", "30"]);
    assert_eq!(code, 2, "usage error");
    assert!(err.contains("has no unit"), "{err}");
    let (code, out, err) = cli(tmp.path(), &["tickets", "prune", "--older-than", "12h"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("removed ticket old"), "{out}");
    assert_eq!(ticket_files(&data), ["new.json", "new.lock"]);
}

#[test]
fn a_ticket_s_saved_time_counts_even_when_its_file_looks_old() {
    // Restored from a backup (old file time) but worked yesterday: kept.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    saved_ticket(&data, "restored", chrono::TimeDelta::days(60));
    let path = data.join("tickets/restored.json");
    let mut t: ticket::Ticket = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    t.updated = Utc::now() - chrono::TimeDelta::days(1);
    fs::write(&path, serde_json::to_vec(&t).unwrap()).unwrap();
    let old = SystemTime::now() - Duration::from_secs(60 * 86_400);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let report = ticket::prune(&data, chrono::TimeDelta::days(30), Utc::now(), false).unwrap();
    assert!(report.removed.is_empty(), "{report:?}");
    let report = ticket::prune(&data, chrono::TimeDelta::hours(1), Utc::now(), false).unwrap();
    assert_eq!(report.removed.len(), 1);
    assert!(matches!(
        ticket::delete(&data, "restored"),
        Err(DeleteError::NotFound(_))
    ));
}

#[test]
fn the_retention_setting_prunes_at_start_up_and_says_so_once() {
    let Some(tmux) = Tmux::new("privacy-retention") else {
        return;
    };
    let data = tmux.data_dir();
    saved_ticket(&data, "ancient", chrono::TimeDelta::days(100));
    saved_ticket(&data, "recent", chrono::TimeDelta::days(2));
    fs::create_dir_all(tmux.config_dir()).unwrap();
    fs::write(
        tmux.config_dir().join("config.yaml"),
        "# forget tickets after a month\nretention: 30d\n",
    )
    .unwrap();
    tmux.start(&tmux.app_command("recent"));
    let screen = tmux.wait_text("retention 30d: removed 1 ticket not changed for 30d");
    assert!(!data.join("tickets/ancient.json").exists(), "{screen}");
    assert!(data.join("tickets/recent.json").exists());
    // Said once: the next key replaces it.
    tmux.paste(&fixture("relay-exim.txt"));
    tmux.wait_for("the paste", |s| !s.contains("retention 30d"));

    // A bad setting is a warning; nothing is removed.
    tmux.keys(&["q"]);
    tmux.wait_text("EXITED 0");
    fs::write(tmux.config_dir().join("config.yaml"), "retention: soon\n").unwrap();
    saved_ticket(&data, "ancient2", chrono::TimeDelta::days(100));
    tmux.respawn(&tmux.app_command("recent"));
    tmux.wait_text("settings ignored");
    assert!(data.join("tickets/ancient2.json").exists());
}
