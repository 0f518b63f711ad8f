//! The ticket store: atomic saves, one writer per ticket, corrupt files kept aside, a
//! versioned format, listing newest first.

use std::fs;

use bouncebook::ticket::{self, FORMAT_VERSION, OpenError, StepState, Ticket};
use chrono::{DateTime, TimeZone, Utc};

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 8, minute, 0).unwrap()
}

fn ticked(mut t: Ticket, step: &str) -> Ticket {
    t.progress.entry("relay-denied".into()).or_default().insert(
        step.into(),
        StepState {
            done: true,
            done_at: Some(at(5)),
            note: Some("tried 587".into()),
        },
    );
    t
}

#[test]
fn save_then_reopen_gives_back_the_same_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let opened = ticket::open(dir.path(), "48213", at(0)).unwrap();
    assert!(!opened.resumed);
    let mut t = ticked(opened.ticket, "enable-auth");
    t.bounce = Some("553 sorry".into());
    t.ui.focus = "checklist".into();
    t.ui.selected_step = 3;
    opened.handle.save(&t).unwrap();
    drop(opened.handle);

    let again = ticket::open(dir.path(), "48213", at(9)).unwrap();
    assert!(again.resumed);
    assert!(again.notices.is_empty());
    assert_eq!(again.ticket, t);
    // No temporary files are left next to the ticket.
    let names: Vec<String> = fs::read_dir(dir.path().join("tickets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with(".tmp")), "{names:?}");
}

#[test]
fn a_second_writer_on_the_same_ticket_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let first = ticket::open(dir.path(), "48213", at(0)).unwrap();
    let err = ticket::open(dir.path(), "48213", at(1)).unwrap_err();
    assert!(matches!(err, OpenError::Locked { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("48213") && message.contains("already open"),
        "{message}"
    );
    // Another ticket is fine, and the lock goes with the first handle.
    ticket::open(dir.path(), "48214", at(1)).unwrap();
    drop(first);
    ticket::open(dir.path(), "48213", at(2)).unwrap();
}

#[test]
fn a_corrupt_or_truncated_file_is_moved_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let opened = ticket::open(dir.path(), "48213", at(0)).unwrap();
    let t = ticked(opened.ticket, "enable-auth");
    opened.handle.save(&t).unwrap();
    let path = opened.handle.path().to_path_buf();
    drop(opened.handle);
    let full = fs::read(&path).unwrap();
    fs::write(&path, &full[..full.len() / 2]).unwrap();

    let reopened = ticket::open(dir.path(), "48213", at(7)).unwrap();
    assert!(!reopened.resumed);
    assert_eq!(reopened.notices.len(), 1);
    assert!(
        reopened.notices[0].contains(".corrupt-"),
        "{:?}",
        reopened.notices
    );
    let aside: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("48213.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        fs::read(&aside[0]).unwrap(),
        &full[..full.len() / 2],
        "kept byte for byte"
    );
    assert!(!path.exists(), "the broken file is not silently replaced");
}

#[test]
fn a_file_from_a_newer_version_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let opened = ticket::open(dir.path(), "48213", at(0)).unwrap();
    let mut t = opened.ticket.clone();
    t.version = FORMAT_VERSION + 1;
    opened.handle.save(&t).unwrap();
    let before = fs::read(opened.handle.path()).unwrap();
    let path = opened.handle.path().to_path_buf();
    drop(opened.handle);
    let err = ticket::open(dir.path(), "48213", at(1)).unwrap_err();
    assert!(matches!(err, OpenError::TooNew { .. }), "{err}");
    assert_eq!(fs::read(path).unwrap(), before);
}

#[test]
fn ids_that_could_escape_the_tickets_dir_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["../x", "a/b", "", ".lock"] {
        assert!(matches!(
            ticket::open(dir.path(), id, at(0)),
            Err(OpenError::InvalidId(_))
        ));
    }
}

#[test]
fn a_failed_save_is_an_error_and_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let opened = ticket::open(dir.path(), "48213", at(0)).unwrap();
    let t = ticked(opened.ticket.clone(), "enable-auth");
    opened.handle.save(&t).unwrap();
    let good = fs::read(opened.handle.path()).unwrap();
    // Make the rename fail: a non-empty directory where the temp file would go is not
    // possible to fake portably, but a directory at the ticket's name is.
    let path = opened.handle.path().to_path_buf();
    fs::remove_file(&path).unwrap();
    fs::create_dir(&path).unwrap();
    fs::write(path.join("keep"), b"x").unwrap();
    assert!(opened.handle.save(&ticked(t, "submission-port")).is_err());
    fs::remove_dir_all(&path).unwrap();
    fs::write(&path, &good).unwrap();
    let names: Vec<String> = fs::read_dir(dir.path().join("tickets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".tmp")),
        "temp file cleaned: {names:?}"
    );
}

#[test]
fn list_is_newest_first_and_reports_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    for (id, minute) in [("old", 1), ("newest", 30), ("middle", 10)] {
        let o = ticket::open(dir.path(), id, at(minute)).unwrap();
        o.handle.save(&o.ticket).unwrap();
    }
    fs::write(dir.path().join("tickets/broken.json"), b"{").unwrap();
    let listed = ticket::list(dir.path()).unwrap();
    let ids: Vec<&str> = listed.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["newest", "middle", "old", "broken"]);
    assert!(listed[3].ticket.is_err());
    // An absent data dir is an empty list, not an error.
    assert!(ticket::list(&dir.path().join("nope")).unwrap().is_empty());
}

#[test]
fn an_unsaved_new_ticket_leaves_no_lock_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let opened = ticket::open(dir.path(), "48213", at(0)).unwrap();
    let lock = dir.path().join("tickets/48213.lock");
    assert!(lock.exists());
    opened.handle.discard_if_unsaved();
    assert!(!lock.exists());
    // A saved ticket keeps its lock file (removing it would race with another opener).
    let opened = ticket::open(dir.path(), "48213", at(0)).unwrap();
    opened.handle.save(&opened.ticket).unwrap();
    opened.handle.discard_if_unsaved();
    assert!(lock.exists());
}
