//! Issue 13's screens and behaviours on a TestBackend, driven through intents: `e` (the
//! agent's values, used in commands, reply and summary), every recipient with its cause,
//! a re-paste that asks keep/clear, the bounce history (`h`), text that is not a bounce,
//! the wrapped "Said" row, sideways scrolling, and a paste while the window is too small.
//! New screens are snapshotted at 200×50, 120×40 and 80×24.

#[path = "support/tui.rs"]
mod support;

use bouncebook::bounce::facts::RefusedBy;
use bouncebook::ticket::Ticket;
use bouncebook::tui::analysis::Analysis;
use bouncebook::tui::app::{App, Overlay};
use bouncebook::tui::theme::Theme;
use bouncebook::tui::{Effect, Intent};
use support::*;

const SIZES: [(u16, u16); 3] = [(200, 50), (120, 40), (80, 24)];

fn snap_sizes(name: &str, app: &mut App) -> Vec<String> {
    let mut screens = Vec::new();
    for (w, h) in SIZES {
        let terminal = render(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
        screens.push(screen_text(&terminal));
    }
    screens
}

fn typed(text: &str) -> Vec<Intent> {
    text.chars().map(Intent::InsertChar).collect()
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn copies(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Copy { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The real playbooks and the real summary, on relay-exim.txt pinned as a refusal by our own
/// server of a client that did not log in: relay-denied's AUTH test needs the customer's
/// submission host, which no bounce gives.
fn local_relay_app(width: u16, height: u16) -> App {
    let mut app = App::new(
        Ticket::new("48213", now()),
        bouncebook::playbook::embedded(),
        now,
    )
    .with_theme(Theme::monochrome());
    drive(&mut app, [Intent::Resize { width, height }]);
    drive(&mut app, [Intent::Paste(fixture("relay-exim.txt"))]);
    let (mut bounce, diagnoses) = pinned("relay-exim.txt");
    bounce.facts.refused_by = Some(RefusedBy::Local);
    bounce.facts.authenticated = Some(false);
    let text = app.ticket.bounce.clone().unwrap_or_default();
    app.set_analysis(Analysis::from_parts(&text, bounce, diagnoses));
    app
}

fn select_step(app: &mut App, id: &str) {
    let index = app
        .steps()
        .iter()
        .position(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"));
    drive(app, [Intent::Top]);
    drive(app, (0..index).map(|_| Intent::Down));
    assert_eq!(app.selected_step().map(|s| s.id.as_str()), Some(id));
}

#[test]
fn e_types_the_submission_host_and_it_is_used_in_the_command_reply_and_summary() {
    let mut app = local_relay_app(120, 40);
    select_step(&mut app, "test-smtp-auth");
    let refused = drive(&mut app, [Intent::CopyCommand]);
    assert!(
        copies(&refused).is_empty(),
        "a command with a gap is not copied"
    );
    assert!(status(&app).contains("SUBMISSION_HOST"), "{}", status(&app));

    // `e` opens on what the step lacks.
    drive(&mut app, [Intent::EditValues]);
    let Overlay::Values { selected, .. } = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert_eq!(app.value_rows()[*selected].name, "submission_host");
    drive(&mut app, [Intent::Confirm]);
    drive(&mut app, typed("mail.shop-example.com"));
    let screens = snap_sizes("values_typing", &mut app);
    for s in &screens {
        assert!(s.contains("submission_host = mail.shop-example.com"), "{s}");
    }
    let saved = drive(&mut app, [Intent::Confirm]);
    assert!(saved.contains(&Effect::Save));
    assert_eq!(
        app.ticket.values.get("submission_host").map(String::as_str),
        Some("mail.shop-example.com")
    );
    let screens = snap_sizes("values_list", &mut app);
    let row = screens[1]
        .lines()
        .find(|l| l.contains("submission_host "))
        .unwrap_or_default();
    assert!(
        row.contains("mail.shop-example.com") && row.contains("yours"),
        "{}",
        screens[1]
    );
    drive(&mut app, [Intent::Close]);
    assert_eq!(app.overlay, Overlay::None);

    // The command on screen and on the clipboard use it.
    let copied = copies(&drive(&mut app, [Intent::CopyCommand]));
    assert_eq!(copied.len(), 1);
    assert!(
        copied[0].starts_with("swaks --server mail.shop-example.com --port 587"),
        "{}",
        copied[0]
    );
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(
        screen.contains("swaks --server mail.shop-example.com"),
        "{screen}"
    );
    // The summary lists it as the agent's.
    let summary = app.summary_text();
    assert!(
        summary.contains("mail.shop-example.com (set by the agent)"),
        "{summary}"
    );

    // A wrong recipient corrected: the reply and the summary say the typed one.
    let row = app
        .value_rows()
        .iter()
        .position(|r| r.name == "recipient")
        .unwrap();
    drive(&mut app, [Intent::EditValues, Intent::Top]);
    drive(&mut app, (0..row).map(|_| Intent::Down));
    drive(&mut app, [Intent::Confirm]);
    drive(&mut app, typed("orders@supplier-example.com"));
    drive(&mut app, [Intent::Confirm, Intent::Close]);
    let reply = app.reply_text().unwrap();
    assert!(reply.contains("to orders@supplier-example.com"), "{reply}");
    assert!(app.summary_text().contains("orders@supplier-example.com"));
}

#[test]
fn e_refuses_values_a_shell_would_read_and_facts_outside_their_values() {
    let mut app = local_relay_app(120, 40);
    select_step(&mut app, "test-smtp-auth");
    drive(&mut app, [Intent::EditValues, Intent::Confirm]);
    drive(&mut app, typed("mail.x;rm -rf ~"));
    let effects = drive(&mut app, [Intent::Confirm]);
    assert!(effects.is_empty());
    assert!(status(&app).starts_with("not saved"), "{}", status(&app));
    assert!(app.ticket.values.is_empty());
    // Still typing, with the text kept to correct it.
    assert!(matches!(
        app.overlay,
        Overlay::Values {
            editor: Some(_),
            ..
        }
    ));
    drive(&mut app, [Intent::Close, Intent::Top]);
    drive(&mut app, [Intent::Confirm]);
    drive(&mut app, typed("sideways"));
    drive(&mut app, [Intent::Confirm]);
    assert!(
        status(&app).contains("one of local, remote"),
        "{}",
        status(&app)
    );
    drive(&mut app, [Intent::ClearLine]);
    drive(&mut app, typed("Remote"));
    drive(&mut app, [Intent::Confirm, Intent::Close]);
    assert_eq!(
        app.ticket.values.get("refused_by").map(String::as_str),
        Some("remote")
    );
    // The agent's fact rules the AUTH test out, with the reason.
    let step = app.selected_step().unwrap().clone();
    assert!(!app.applicability(&step).applies());
    // x clears the agent's value: the bounce's is in force again.
    drive(
        &mut app,
        [Intent::EditValues, Intent::Top, Intent::ClearValue],
    );
    assert!(!app.ticket.values.contains_key("refused_by"));
    assert!(
        status(&app).contains("your value cleared"),
        "{}",
        status(&app)
    );
}

#[test]
fn a_submission_host_on_the_recipient_s_side_is_saved_with_a_warning() {
    let mut app = local_relay_app(120, 40);
    select_step(&mut app, "test-smtp-auth");
    drive(&mut app, [Intent::EditValues, Intent::Confirm]);
    drive(&mut app, typed("mx.supplier-example.org"));
    drive(&mut app, [Intent::Confirm]);
    assert!(status(&app).contains("CAREFUL"), "{}", status(&app));
}

#[test]
fn every_recipient_is_listed_with_its_cause_and_differing_causes_are_said() {
    let mut app = new_app_sized(120, 40);
    paste_fixture(&mut app, "multi-recipient.txt");
    let screens = snap_sizes("recipients_differ", &mut app);
    for s in &screens[..2] {
        assert!(s.contains("CAUSES DIFFER"), "{s}");
        for (who, cause) in [
            ("lee@gmial.com", "recipient-domain-missing"),
            ("sales@partner-example.org", "recipient-unknown"),
            ("it@partner-example.org", "relay-denied"),
        ] {
            let line = s.lines().find(|l| l.contains(who)).unwrap_or_default();
            assert!(line.contains(cause), "{who} listed with {cause}:\n{s}");
        }
    }
    // Selecting another record switches the checklist; ticks stay with their record.
    drive(&mut app, [Intent::ToggleStep]);
    let first_steps: Vec<String> = app.steps().iter().map(|s| s.id.clone()).collect();
    drive(
        &mut app,
        [Intent::PickRecord, Intent::Down, Intent::Confirm],
    );
    assert_eq!(app.variation(), Some("recipient-unknown"));
    assert_ne!(
        first_steps,
        app.steps().iter().map(|s| s.id.clone()).collect::<Vec<_>>()
    );
    assert_eq!(app.progress().0, 0, "the first record's tick is not here");
    let screen = screen_text(&render(&mut app, 120, 40));
    let marked = screen
        .lines()
        .find(|l| l.contains("▸  2."))
        .unwrap_or_default();
    assert!(marked.contains("sales@partner-example.org"), "{screen}");
}

#[test]
fn a_different_bounce_on_a_ticket_with_ticks_asks_keep_or_clear() {
    let mut app = new_app_sized(120, 40);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::ToggleStep]);
    let first = app.ticket.bounce.clone();
    let other = fixture("unknown-postfix.txt");

    // Esc drops the paste: nothing changes.
    let effects = drive(&mut app, [Intent::Paste(other.clone())]);
    assert!(effects.is_empty(), "nothing saved before the answer");
    assert!(matches!(app.overlay, Overlay::ReplaceBounce { .. }));
    assert_eq!(app.ticket.bounce, first, "not replaced before the answer");
    let screens = snap_sizes("replace_bounce", &mut app);
    for s in &screens {
        assert!(s.contains("keep them"), "{s}");
    }
    drive(&mut app, [Intent::Close]);
    assert_eq!(app.ticket.bounce, first);
    assert!(app.ticket.history.is_empty());

    // Keep: the new bounce, the old one in the history, the work still on the ticket.
    drive(&mut app, [Intent::Paste(other.clone()), Intent::Confirm]);
    assert_ne!(app.ticket.bounce, first);
    assert_eq!(app.ticket.history.len(), 1);
    assert!(app.ticket.has_work());

    // Back with `h`, then a re-paste cleared: the work goes with the old bounce...
    drive(&mut app, [Intent::ShowHistory, Intent::Confirm]);
    assert_eq!(app.ticket.bounce, first);
    assert_eq!(app.ticket.history.len(), 1);
    drive(&mut app, [Intent::Paste(other.clone()), Intent::ClearWork]);
    assert!(!app.ticket.has_work(), "cleared off the live checklist");
    let kept = &app.ticket.history.last().unwrap().records;
    assert_eq!(
        kept.values()
            .flat_map(|v| v.values())
            .flat_map(|s| s.values())
            .filter(|s| s.done)
            .count(),
        1
    );
    drive(&mut app, [Intent::ShowHistory]);
    let screens = snap_sizes("history", &mut app);
    assert!(
        screens[0].contains("1 tick(s)/note(s) kept with it"),
        "{}",
        screens[0]
    );
    // ...and comes back with it.
    drive(&mut app, [Intent::Top, Intent::Confirm]);
    assert_eq!(app.ticket.bounce, first);
    assert!(app.ticket.has_work());
    assert!(status(&app).contains("are back"), "{}", status(&app));
}

#[test]
fn text_that_is_not_a_bounce_never_replaces_it_and_can_be_kept_as_a_note() {
    let mut app = new_app_sized(120, 40);
    paste_fixture(&mut app, "relay-exim.txt");
    let first = app.ticket.bounce.clone();
    let chat = "Hi, the customer says Outlook shows a red cross.\nThey use port 25.";
    drive(&mut app, [Intent::Paste(chat.into())]);
    assert_eq!(app.ticket.bounce, first);
    assert!(matches!(app.overlay, Overlay::NotABounce { .. }));
    let screens = snap_sizes("not_a_bounce", &mut app);
    for s in &screens {
        assert!(s.contains("not a bounce"), "{s}");
    }
    let effects = drive(&mut app, [Intent::KeepAsNote]);
    assert!(effects.contains(&Effect::Save));
    assert_eq!(app.ticket.bounce, first);
    let step = app.selected_step().unwrap().clone();
    let note = app.step_state(&step).and_then(|s| s.note.clone()).unwrap();
    assert!(note.contains("They use port 25."), "{note}");

    // The clipboard (`p`) is no different; Esc drops it.
    drive(&mut app, [Intent::ClipboardRead(Ok("lunch at 12?".into()))]);
    assert!(matches!(app.overlay, Overlay::NotABounce { .. }));
    drive(&mut app, [Intent::Close]);
    assert_eq!(app.ticket.bounce, first);
    assert!(status(&app).contains("paste dropped"), "{}", status(&app));
}

#[test]
fn y_and_m_with_nothing_to_copy_say_so_and_copy_nothing() {
    let mut app = new_app_sized(120, 40);
    assert!(copies(&drive(&mut app, [Intent::CopySummary])).is_empty());
    assert!(
        status(&app).contains("clipboard is unchanged"),
        "{}",
        status(&app)
    );
    assert!(copies(&drive(&mut app, [Intent::CopyReply])).is_empty());
    assert!(
        status(&app).contains("clipboard is unchanged"),
        "{}",
        status(&app)
    );
}

#[test]
fn said_row_wraps_the_server_s_full_words_and_long_lines_scroll_sideways() {
    let mut app = new_app_sized(80, 24);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::NextPane]);
    while app.focus != bouncebook::tui::app::Pane::Bounce {
        drive(&mut app, [Intent::NextPane]);
    }
    let screen = screen_text(&render(&mut app, 80, 24));
    let said: String = screen
        .lines()
        .skip_while(|l| !l.contains("Said"))
        .take(3)
        .map(|l| l.trim_matches('│').trim().trim_start_matches("Said").trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"),
        "{screen}"
    );
    drive(&mut app, [Intent::ScrollRight]);
    assert_eq!(app.bounce_hscroll, 20);
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("from column 21"), "{screen}");
    drive(&mut app, [Intent::ScrollLeft]);
    assert_eq!(app.bounce_hscroll, 0);
}

#[test]
fn at_80x24_the_selected_step_s_command_is_visible() {
    let mut app = local_relay_app(80, 24);
    select_step(&mut app, "test-smtp-auth");
    let screen = screen_text(&render(&mut app, 80, 24));
    assert!(screen.contains("Command (c copies it"), "{screen}");
    assert!(
        screen.contains("swaks --server SUBMISSION_HOST"),
        "{screen}"
    );
}

#[test]
fn a_paste_while_the_window_is_too_small_is_taken_and_announced_once_big_enough() {
    let mut app = new_app_sized(40, 10);
    drive(&mut app, [Intent::Paste(fixture("relay-exim.txt"))]);
    assert!(app.ticket.bounce.is_some(), "taken");
    let screen = screen_text(&render(&mut app, 40, 10));
    assert!(screen.contains("a paste was taken"), "{screen}");
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(
        screen.contains("pasted while the window was too small"),
        "{screen}"
    );
}

#[test]
fn a_recipient_typed_on_one_record_of_several_stays_with_that_record() {
    let mut app = new_app_sized(120, 40);
    paste_fixture(&mut app, "multi-recipient.txt");
    let row = app
        .value_rows()
        .iter()
        .position(|r| r.name == "recipient")
        .unwrap();
    drive(&mut app, [Intent::EditValues, Intent::Top]);
    drive(&mut app, (0..row).map(|_| Intent::Down));
    drive(&mut app, [Intent::Confirm]);
    drive(&mut app, typed("lee@gmail.com"));
    drive(&mut app, [Intent::Confirm, Intent::Close]);
    assert!(
        status(&app).contains("for this record only"),
        "{}",
        status(&app)
    );
    assert_eq!(app.filled("{recipient}").text, "lee@gmail.com");
    assert_eq!(
        app.ticket
            .values
            .get("lee@gmial.com/recipient")
            .map(String::as_str),
        Some("lee@gmail.com")
    );
    drive(
        &mut app,
        [Intent::PickRecord, Intent::Down, Intent::Confirm],
    );
    assert_eq!(app.filled("{recipient}").text, "sales@partner-example.org");
    // Back on the first record, the typed value is in force again.
    drive(&mut app, [Intent::PickRecord, Intent::Top, Intent::Confirm]);
    assert_eq!(app.filled("{recipient}").text, "lee@gmail.com");
}
