//! Whole screens on a TestBackend, driven through intents, compared with insta snapshots.
//! The clock is fixed (tui_support::now), so no time filter is needed; ticket paths never
//! reach the screen.

#[path = "support/tui.rs"]
mod support;

use bouncebook::tui::Intent;
use bouncebook::tui::view::{MIN_HEIGHT, MIN_WIDTH};
use support::*;

fn snap(name: &str, app: &mut bouncebook::tui::App, width: u16, height: u16) -> String {
    let terminal = render(app, width, height);
    insta::assert_snapshot!(name, terminal.backend());
    screen_text(&terminal)
}

#[test]
fn empty_screen_says_how_to_paste() {
    let mut app = new_app_sized(100, 30);
    let screen = snap("empty", &mut app, 100, 30);
    assert!(screen.contains("No bounce yet"));
    assert!(screen.contains("read it from the system clipboard"));
}

#[test]
fn relay_denied_after_paste_with_ticks_and_note() {
    let mut app = new_app_sized(160, 45);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(
        &mut app,
        [
            Intent::ToggleStep,
            Intent::Down,
            Intent::ToggleStep,
            Intent::Down,
            Intent::EditNote,
        ],
    );
    drive(
        &mut app,
        "tried from the office network"
            .chars()
            .map(Intent::InsertChar),
    );
    drive(&mut app, [Intent::Confirm]);
    let screen = snap("relay_denied", &mut app, 160, 45);
    assert!(screen.contains("2/5"), "progress shown");
    assert!(screen.contains("tried from the office network"));
}

#[test]
fn recipient_unknown_after_paste_stacked_layout() {
    let mut app = new_app_sized(100, 36);
    paste_fixture(&mut app, "unknown-postfix.txt");
    drive(&mut app, [Intent::Down, Intent::Down]);
    let screen = snap("recipient_unknown", &mut app, 100, 36);
    assert!(screen.contains("did you mean jon.smith@customer-example.com?"));
}

#[test]
fn sender_not_owned_after_paste() {
    let mut app = new_app_sized(120, 36);
    paste_fixture(&mut app, "sender-not-owned.txt");
    drive(&mut app, [Intent::ToggleStep]);
    snap("sender_not_owned", &mut app, 120, 36);
}

#[test]
fn policy_blocked_after_paste_shows_parse_warning_and_command() {
    let mut app = new_app_sized(120, 36);
    paste_fixture(&mut app, "policy-blocked.txt");
    snap("policy_blocked", &mut app, 120, 36);
}

#[test]
fn unclassified_says_no_playbook_applies() {
    let mut app = new_app_sized(120, 30);
    paste_fixture(&mut app, "unclassified.txt");
    let screen = snap("unclassified", &mut app, 120, 30);
    assert!(screen.contains("no playbook applies"));
}

#[test]
fn multi_recipient_picker() {
    let mut app = new_app_sized(120, 36);
    paste_fixture(&mut app, "multi-recipient.txt");
    drive(&mut app, [Intent::PickRecord, Intent::Down]);
    let screen = snap("multi_recipient_picker", &mut app, 120, 36);
    assert!(screen.contains("Which recipient?"));
    drive(&mut app, [Intent::Confirm]);
    let screen = snap("multi_recipient_second", &mut app, 120, 36);
    assert!(screen.contains("record 2/3"));
    assert!(screen.contains("Recipient unknown"));
}

#[test]
fn help_overlay() {
    let mut app = new_app_sized(100, 30);
    drive(&mut app, [Intent::ShowHelp]);
    let screen = snap("help", &mut app, 100, 30);
    assert!(screen.contains("Space / x"));
}

#[test]
fn summary_preview_scrolls() {
    let mut app = new_app_sized(100, 30);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::ShowSummary, Intent::Down, Intent::Down]);
    let screen = snap("summary_preview", &mut app, 100, 30);
    assert!(screen.contains("line 3/37"));
    assert!(
        !screen.contains("Ticket 48213"),
        "scrolled past the first line"
    );
}

#[test]
fn note_editor_and_input_mode() {
    let mut app = new_app_sized(100, 30);
    paste_fixture(&mut app, "sender-not-owned.txt");
    drive(&mut app, [Intent::EditNote]);
    drive(
        &mut app,
        "form uses visitor's From".chars().map(Intent::InsertChar),
    );
    snap("note_editor", &mut app, 100, 30);
    drive(&mut app, [Intent::Close, Intent::StartInput]);
    drive(
        &mut app,
        "550 5.1.1 user unknown".chars().map(Intent::InsertChar),
    );
    snap("input_mode", &mut app, 100, 30);
}

#[test]
fn tiny_sizes_do_not_panic() {
    let mut app = new_app_sized(0, 0);
    paste_fixture(&mut app, "relay-exim.txt");
    // Zero-sized screens: nothing to draw, nothing to snapshot (TestBackend cannot print
    // a zero-width buffer), but drawing must not panic.
    for (w, h) in [(0, 0), (0, 5), (5, 0)] {
        let terminal = render(&mut app, w, h);
        assert!(screen_text(&terminal).trim().is_empty());
    }
    for (name, w, h) in [
        ("tiny_1x1", 1, 1),
        ("tiny_20x5", 20, 5),
        ("below_min_width", MIN_WIDTH - 1, MIN_HEIGHT),
        ("below_min_height", MIN_WIDTH, MIN_HEIGHT - 1),
    ] {
        let terminal = render(&mut app, w, h);
        let screen = screen_text(&terminal);
        assert!(screen.starts_with('t'), "says terminal too small: {screen}");
        insta::assert_snapshot!(name, terminal.backend());
    }
    // The smallest size that draws the panes.
    let terminal = render(&mut app, MIN_WIDTH, MIN_HEIGHT);
    assert!(screen_text(&terminal).contains("Checklist"));
    insta::assert_snapshot!("minimum_size", terminal.backend());
}

#[test]
fn every_overlay_survives_tiny_sizes() {
    let overlays = [
        vec![Intent::ShowHelp],
        vec![Intent::ShowSummary],
        vec![Intent::PickRecord],
        vec![Intent::EditNote],
        vec![Intent::StartInput],
    ];
    for intents in overlays {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (MIN_WIDTH, MIN_HEIGHT),
            (MIN_WIDTH + 1, MIN_HEIGHT + 1),
            (20, 5),
        ] {
            let mut app = new_app_sized(w, h);
            paste_fixture(&mut app, "multi-recipient.txt");
            drive(&mut app, intents.clone());
            render(&mut app, w, h);
        }
    }
}

#[test]
fn hostile_paste_is_drawn_harmlessly() {
    let mut app = new_app_sized(120, 30);
    paste_fixture(&mut app, "hostile-escapes.txt");
    let terminal = render(&mut app, 120, 30);
    let screen = screen_text(&terminal);
    for cell in terminal.backend().buffer().content() {
        let sym = cell.symbol();
        assert!(
            !sym.chars()
                .any(|c| c.is_control() || ('\u{80}'..='\u{9f}').contains(&c)),
            "control character reached the screen: {sym:?}"
        );
        assert!(
            !sym.contains('\u{202e}'),
            "bidi override reached the screen"
        );
    }
    assert!(
        !screen.contains("52;c;"),
        "OSC 52 payload visible:\n{screen}"
    );
    assert!(!screen.contains("pwned"), "OSC title payload visible");
    assert!(screen.contains("<U+202E>"), "bidi override shown visibly");
    insta::assert_snapshot!("hostile_escapes", terminal.backend());
}

#[test]
fn classic_80x24_terminal() {
    let mut app = new_app_sized(80, 24);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::ToggleStep, Intent::Down]);
    let screen = snap("classic_80x24", &mut app, 80, 24);
    assert!(
        screen.contains("553 sorry"),
        "the deciding line is visible:\n{screen}"
    );
    assert!(screen.contains("[x] 1."), "{screen}");
}

#[test]
fn huge_counts_draw_without_wrapping_or_panicking() {
    use bouncebook::bounce::{Bounce, Record};
    use bouncebook::classify::{Basis, Diagnosis};
    use bouncebook::tui::analysis::Analysis;
    // 70,000 records and 70,000 steps: more rows than a u16 holds.
    let mut set = playbooks();
    let relay = set
        .playbooks
        .iter_mut()
        .find(|(p, _)| p.id == "relay-denied")
        .map(|(p, _)| p)
        .unwrap();
    let template = relay.steps[0].clone();
    relay.steps = (0..70_000)
        .map(|i| bouncebook::playbook::Step {
            id: format!("s{i}"),
            ..template.clone()
        })
        .collect();
    let mut app = bouncebook::tui::App::new(
        bouncebook::ticket::Ticket::new("48213", now()),
        set,
        Box::new(now),
    );
    drive(&mut app, [Intent::Paste("553 x".into())]);
    let records: Vec<Record> = (0..70_000)
        .map(|i| Record {
            recipient: Some(format!("user{i}@example.com")),
            reply_code: Some(553),
            ..Record::default()
        })
        .collect();
    let diagnoses = records
        .iter()
        .map(|_| Diagnosis {
            variation: "relay-denied".into(),
            confidence: 0.9,
            evidence: String::new(),
            basis: Basis::Text,
        })
        .collect();
    app.set_analysis(Analysis::from_parts(
        "553 x",
        Bounce {
            records,
            ..Bounce::default()
        },
        diagnoses,
    ));
    drive(&mut app, [Intent::Bottom]);
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(
        screen.contains("70000."),
        "last step selected and shown:\n{screen}"
    );
    drive(&mut app, [Intent::PickRecord, Intent::Bottom]);
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(screen.contains("70000. user69999@example.com"), "{screen}");
    drive(&mut app, [Intent::Close, Intent::ShowHelp]);
    render(&mut app, 120, 40);
}

/// Issue 17: `v` lists every cause in force (title and id), `•` on the one in force and
/// bouncebook's own answer labelled.
#[test]
fn cause_picker() {
    let mut app = new_app_sized(120, 36);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::PickCause, Intent::Down]);
    let screen = snap("cause_picker", &mut app, 120, 36);
    assert!(screen.contains("Cause for"), "{screen}");
    assert!(
        screen.contains("relay-denied              bouncebook's  Relay denied"),
        "{screen}"
    );
}

/// After `v` chose another cause: the Diagnosis pane says it is the agent's, and what
/// bouncebook said.
#[test]
fn cause_set_by_the_agent() {
    let mut app = new_app_sized(120, 36);
    paste_fixture(&mut app, "relay-exim.txt");
    let choices: Vec<String> = app
        .cause_choices()
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    let target = choices
        .iter()
        .position(|id| id != "relay-denied")
        .expect("a second test playbook");
    let mut intents = vec![Intent::PickCause, Intent::Top];
    intents.extend(std::iter::repeat_n(Intent::Down, target));
    intents.push(Intent::Confirm);
    drive(&mut app, intents);
    let screen = snap("cause_set_by_the_agent", &mut app, 120, 36);
    // The pane wraps the mark over two lines.
    assert!(
        screen.contains("policy-blocked · cause set by the agent; bouncebook said")
            && screen.contains("relay-denied at 93%"),
        "{screen}"
    );
}

/// A remote MX refused a customer who did log in: relay-denied's SMTP-auth steps are dimmed
/// with the reason, and the AUTH test's command says what it is missing.
#[test]
fn steps_that_do_not_apply_are_dimmed_with_the_reason() {
    use bouncebook::bounce::facts::{Facts, RefusedBy, ReportingSystem};
    use bouncebook::bounce::{Bounce, Record, Stage};
    use bouncebook::classify::{Basis, Diagnosis};
    use bouncebook::tui::analysis::Analysis;
    let text = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)";
    for (width, height) in [(200, 50), (120, 40), (80, 24)] {
        let mut app = bouncebook::tui::App::new(
            bouncebook::ticket::Ticket::new("48213", now()),
            bouncebook::playbook::embedded(),
            Box::new(now),
        );
        drive(
            &mut app,
            [Intent::Resize { width, height }, Intent::Paste(text.into())],
        );
        let bounce = Bounce {
            sender: Some("ana@shop-example.com".into()),
            facts: Facts {
                refused_by: Some(RefusedBy::Remote),
                authenticated: Some(true),
                reporting_system: Some(ReportingSystem::Exim),
                ..Facts::default()
            },
            records: vec![Record {
                recipient: Some("orders@supplier-example.org".into()),
                reply_code: Some(553),
                status: Some("5.7.1".into()),
                diagnostic: Some(text.into()),
                stage: Some(Stage::RcptTo),
                remote_host: Some("mx.supplier-example.org".into()),
                ..Record::default()
            }],
            ..Bounce::default()
        };
        let diagnosis = Diagnosis {
            variation: "relay-denied".into(),
            confidence: 0.88,
            basis: Basis::Text,
            evidence: "allowed rcpthosts".into(),
        };
        app.set_analysis(Analysis::from_parts(text, bounce, vec![diagnosis]));
        let at = app
            .steps()
            .iter()
            .position(|s| s.id == "test-smtp-auth")
            .unwrap_or_default();
        for _ in 0..at {
            drive(&mut app, [Intent::Down]);
        }
        let screen = snap(
            &format!("dimmed_steps_{width}x{height}"),
            &mut app,
            width,
            height,
        );
        assert!(screen.contains("[-]"), "{screen}");
        assert!(
            screen.contains("Does not apply here: only when our own server"),
            "{screen}"
        );
    }
}
