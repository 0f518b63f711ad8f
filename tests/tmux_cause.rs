//! Issue 17 in a real terminal: bouncebook names a cause the agent knows is wrong; `v`
//! chooses the right one; the checklist and the summary follow; a resumed ticket keeps it.

mod support;

use support::{Tmux, expected, fixture, head};

#[test]
fn wrong_cause_v_right_cause_checklist_and_summary_follow_and_resume_keeps_it() {
    let Some(t) = Tmux::new("cause") else {
        return;
    };
    let bounce = fixture("relay-exim.txt");
    let (set, said_title, said_steps, said) = expected(&bounce);
    // The agent's answer: any other cause the set offers (the real playbooks' order).
    let ids: Vec<&str> = set.playbooks.iter().map(|(p, _)| p.id.as_str()).collect();
    let right = if said == "sender-not-owned" {
        "relay-denied"
    } else {
        "sender-not-owned"
    };
    let position = ids.iter().position(|id| *id == right).unwrap();
    let right_playbook = set.get(right).unwrap();

    t.start(&t.app_command("48213"));
    t.wait_text("No bounce yet");
    t.paste(&bounce);
    t.wait_for("bouncebook's cause and checklist", |s| {
        s.contains(&head(&said_title)) && s.contains(&head(&said_steps[0]))
    });
    // A tick on the wrong checklist: it must survive as work on the earlier cause.
    t.keys(&["x"]);
    t.wait_text("✓ saved");

    t.keys(&["v"]);
    t.wait_text("(Enter sets it, Esc cancels)");
    t.keys(&["g"]);
    for _ in 0..position {
        t.keys(&["j"]);
    }
    t.keys(&["Enter"]);
    let mark = format!("cause set by the agent; bouncebook said {said}");
    t.wait_for("the agent's cause, marked, and its checklist", |s| {
        s.contains(&head(&right_playbook.title))
            && s.contains(&head(&right_playbook.steps[0].title))
            && s.contains("cause set by the agent")
            && s.contains("✓ saved")
    });

    // The summary follows: the agent's cause, the mark, the earlier cause's tick.
    t.keys(&["s"]);
    t.wait_for("the summary with the agent's cause", |s| {
        s.contains("Escalation summary") && s.contains(&format!("({right}) - {mark}"))
    });
    // Esc alone, then q: sent together they read as Alt-q.
    t.keys(&["Escape"]);
    t.wait_for("the summary closed", |s| !s.contains("Escalation summary"));
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let saved = t.ticket("48213");
    assert_eq!(saved.causes.len(), 1);
    assert_eq!(saved.causes[0].variation, right);
    assert_eq!(saved.causes[0].classified, said);
    assert_eq!(
        saved.done_count(&said),
        1,
        "the tick on the earlier cause is kept"
    );

    // Resumed: still the agent's cause, marked, with its checklist.
    t.respawn(&t.app_command("48213"));
    t.wait_for("the resumed agent's cause", |s| {
        s.contains("resumed ticket 48213")
            && s.contains(&head(&right_playbook.title))
            && s.contains("cause set by the agent")
    });
    t.keys(&["q"]);
    t.wait_text("EXITED 0");

    // And summary --ticket says the same outside the app.
    let out = std::process::Command::new(support::BIN)
        .args(["summary", "--ticket", "48213"])
        .env("BOUNCEBOOK_DATA_DIR", t.data_dir())
        .env("BOUNCEBOOK_CONFIG_DIR", t.config_dir())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&mark), "{text}");
    assert!(text.contains(&format!("earlier cause {said}")), "{text}");
}
