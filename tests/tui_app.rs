//! The app's behaviour through intents: what each key does to the state and which side
//! effects it asks for. These hold whatever the parser and classifier say.

#[path = "support/tui.rs"]
mod support;

use bouncebook::playbook;
use bouncebook::summary::{self, SummaryContext, SummaryFormat};
use bouncebook::ticket::{StepState, Ticket};
use bouncebook::tui::app::{App, MAX_KEPT_BYTES, Overlay, Pane, SaveState, StatusKind};
use bouncebook::tui::intent::CopyWhat;
use bouncebook::tui::theme::Theme;
use bouncebook::tui::{Effect, Intent};
use support::*;

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_paste_becomes_the_bounce_and_focus_moves_to_the_checklist() {
    let mut app = new_app();
    assert_eq!(
        app.focus,
        Pane::Bounce,
        "a new ticket starts on the bounce pane"
    );
    let effects = app.update(Intent::Paste(fixture("relay-exim.txt")));
    assert_eq!(effects, vec![Effect::Save]);
    assert_eq!(app.focus, Pane::Checklist);
    assert_eq!(
        app.ticket.bounce.as_deref(),
        Some(fixture("relay-exim.txt").as_str())
    );
    assert!(app.analysis.is_some(), "parsed once, cached");
    assert_eq!(app.save, SaveState::Saving);
    assert!(
        !status(&app).contains("· saved"),
        "not saved until the save reports back"
    );
}

#[test]
fn terminal_newlines_in_a_paste_become_line_feeds() {
    let mut app = new_app();
    drive(&mut app, [Intent::Paste("a\rb\r\nc".into())]);
    assert_eq!(app.ticket.bounce.as_deref(), Some("a\nb\nc"));
    assert_eq!(app.analysis.as_ref().map(|a| a.text.len()), Some(3));
}

#[test]
fn a_second_paste_keeps_the_first_in_history() {
    let mut app = new_app();
    drive(&mut app, [Intent::Paste("553 first".into())]);
    drive(&mut app, [Intent::Paste("553 second".into())]);
    assert_eq!(app.ticket.bounce.as_deref(), Some("553 second"));
    assert_eq!(app.ticket.history.len(), 1);
    assert_eq!(app.ticket.history[0].text, "553 first");
    assert_eq!(app.ticket.history[0].replaced_at, now());
}

#[test]
fn an_empty_paste_changes_nothing() {
    let mut app = new_app();
    drive(&mut app, [Intent::Paste("553 first".into())]);
    let effects = drive(&mut app, [Intent::Paste(" \n\t ".into())]);
    assert!(effects.is_empty());
    assert_eq!(app.ticket.bounce.as_deref(), Some("553 first"));
    assert_eq!(
        app.status.as_ref().map(|s| s.kind),
        Some(StatusKind::Warning)
    );
}

#[test]
fn a_huge_paste_is_capped_and_the_agent_told() {
    let mut app = new_app();
    let mut text = "553 5.7.1 relay denied\n".to_string();
    text.push_str(&"é".repeat(MAX_KEPT_BYTES)); // 2 bytes each: twice the cap
    drive(&mut app, [Intent::Paste(text)]);
    let kept = app.ticket.bounce.as_deref().unwrap_or_default();
    assert!(kept.len() <= MAX_KEPT_BYTES && kept.len() > MAX_KEPT_BYTES - 4);
    assert!(
        status(&app).contains("paste cut to the first"),
        "{}",
        status(&app)
    );
}

#[test]
fn ticking_saves_and_says_saved_only_after_the_save_succeeded() {
    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    let effects = app.update(Intent::ToggleStep);
    assert_eq!(effects, vec![Effect::Save]);
    assert!(status(&app).contains("saving"), "{}", status(&app));
    assert!(!status(&app).ends_with("saved"));
    app.update(Intent::Saved(Ok(())));
    assert!(status(&app).ends_with("· saved"), "{}", status(&app));
    assert_eq!(app.save, SaveState::Saved);
    let state = &app
        .ticket
        .record_steps(&app.record_key(), "relay-denied")
        .expect("steps")["enable-auth"];
    assert!(state.done);
    assert_eq!(state.done_at, Some(now()));
    assert_eq!(app.progress(), (1, 5));
}

#[test]
fn a_failed_save_is_visible_keeps_state_and_is_retried_on_the_next_change() {
    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    app.update(Intent::ToggleStep);
    app.update(Intent::Saved(Err(
        "No space left on device (os error 28)".into()
    )));
    assert!(matches!(app.save, SaveState::Failed(_)));
    let s = app.status.clone().unwrap_or_else(|| unreachable!());
    assert_eq!(s.kind, StatusKind::Error);
    assert!(
        s.text.contains("NOT SAVED") && s.text.contains("No space left"),
        "{}",
        s.text
    );
    assert!(
        app.ticket
            .record_steps(&app.record_key(), "relay-denied")
            .expect("steps")["enable-auth"]
            .done,
        "kept in memory"
    );
    // The next change asks for a save of the whole ticket again.
    assert_eq!(app.update(Intent::Down), Vec::<Effect>::new());
    assert_eq!(app.update(Intent::ToggleStep), vec![Effect::Save]);
    app.update(Intent::Saved(Ok(())));
    assert_eq!(app.save, SaveState::Saved);
}

#[test]
fn untick_clears_the_time() {
    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::ToggleStep, Intent::ToggleStep]);
    let state = &app
        .ticket
        .record_steps(&app.record_key(), "relay-denied")
        .expect("steps")["enable-auth"];
    assert!(!state.done);
    assert_eq!(state.done_at, None);
}

#[test]
fn notes_are_saved_and_pastes_go_into_the_note_being_written() {
    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::Down, Intent::EditNote]);
    drive(&mut app, "port ".chars().map(Intent::InsertChar));
    drive(&mut app, [Intent::Paste("587\rblocked".into())]);
    assert!(
        matches!(app.overlay, Overlay::Note { .. }),
        "paste did not leave the editor"
    );
    assert_eq!(
        app.ticket.bounce.as_deref(),
        Some(fixture("relay-exim.txt").as_str())
    );
    let effects = drive(&mut app, [Intent::Confirm]);
    assert_eq!(effects, vec![Effect::Save]);
    let note = app
        .ticket
        .record_steps(&app.record_key(), "relay-denied")
        .expect("steps")["submission-port"]
        .note
        .clone();
    assert_eq!(note.as_deref(), Some("port 587\nblocked"));
    // Esc cancels without saving.
    drive(&mut app, [Intent::EditNote, Intent::ClearLine]);
    assert!(drive(&mut app, [Intent::Close]).is_empty());
    assert!(
        app.ticket
            .record_steps(&app.record_key(), "relay-denied")
            .expect("steps")["submission-port"]
            .note
            .is_some()
    );
}

#[test]
fn copy_summary_copies_exactly_what_the_summary_module_renders() {
    // The real renderer here, not the test stub: `y` must copy summary::render's output.
    let mut app = App::new(Ticket::new("48213", now()), playbooks(), Box::new(now))
        .with_theme(Theme::monochrome());
    paste_fixture(&mut app, "relay-exim.txt");
    let effects = app.update(Intent::CopySummary);
    let ctx = SummaryContext {
        ticket: &app.ticket,
        bounce: app.bounce(),
        record: 0,
        diagnosis: app.diagnosis(),
        playbook: app.playbook(),
        now: now(),
        diagnoses: app
            .analysis
            .as_ref()
            .map_or(&[], |a| a.diagnoses.as_slice()),
        playbooks: Some(&app.playbooks),
        include_reply: false,
    };
    let expected = summary::render(&ctx, SummaryFormat::Text);
    assert_eq!(
        effects,
        vec![Effect::Copy {
            what: CopyWhat::Summary,
            text: expected.clone()
        }]
    );
    // `s` shows the same text.
    app.update(Intent::ShowSummary);
    match &app.overlay {
        Overlay::Summary { text, scroll, .. } => {
            assert_eq!(text, &expected);
            assert_eq!(*scroll, 0);
        }
        other => panic!("summary not shown: {other:?}"),
    }
}

#[test]
fn copy_reports_where_the_text_went() {
    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::CopySummary]);
    assert_eq!(status(&app), "summary: copied to the clipboard (X11)");
    let report = bouncebook::clipboard::CopyReport {
        via: None,
        message: "no clipboard reachable".into(),
    };
    app.update(Intent::Copied {
        what: CopyWhat::Summary,
        report,
    });
    assert_eq!(app.status.as_ref().map(|s| s.kind), Some(StatusKind::Error));
}

#[test]
fn copy_command_fills_placeholders_with_the_real_filler() {
    let mut app = App::new(Ticket::new("48213", now()), playbooks(), Box::new(now));
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::Down, Intent::Down]);
    let step = app
        .selected_step()
        .cloned()
        .unwrap_or_else(|| unreachable!());
    let template = step.command.clone().unwrap_or_default();
    // The AUTH test goes to the customer's own submission host, which no bounce names:
    // until the agent types it, nothing is copied.
    assert!(template.contains("{submission_host}"), "{template}");
    assert!(app.update(Intent::CopyCommand).is_empty());
    assert!(status(&app).contains("SUBMISSION_HOST"), "{}", status(&app));
    app.ticket
        .values
        .insert("submission_host".into(), "mail.shop-example.com".into());
    let bounce = app.bounce().cloned().unwrap_or_default();
    let record = app.record().cloned().unwrap_or_default();
    let expected = playbook::fill_placeholders(
        &template.replace("{submission_host}", "mail.shop-example.com"),
        &bounce,
        &record,
    );
    assert!(
        expected.starts_with("swaks --server mail.shop-example.com ") && !expected.contains('{'),
        "{expected}"
    );
    assert_eq!(
        app.update(Intent::CopyCommand),
        vec![Effect::Copy {
            what: CopyWhat::Command,
            text: expected
        }]
    );
    // A step without a command says so instead of copying nothing.
    drive(&mut app, [Intent::Up]);
    assert!(app.update(Intent::CopyCommand).is_empty());
    assert!(status(&app).contains("no command"));
}

#[test]
fn the_picker_switches_records_and_the_checklist_follows() {
    let mut app = new_app();
    paste_fixture(&mut app, "multi-recipient.txt");
    assert_eq!(
        app.diagnosis().map(|d| d.variation.as_str()),
        Some("recipient-domain-missing")
    );
    drive(&mut app, [Intent::PickRecord, Intent::Bottom]);
    assert_eq!(app.overlay, Overlay::Picker { selected: 2 });
    let effects = drive(&mut app, [Intent::Confirm]);
    assert_eq!(effects, vec![Effect::Save]);
    assert_eq!(app.ticket.selected_record, 2);
    assert_eq!(app.playbook().map(|p| p.id.as_str()), Some("relay-denied"));
    assert_eq!(app.selected_step_index(), 0);
    // With one record, r says so instead of opening an empty picker.
    let mut single = new_app();
    paste_fixture(&mut single, "relay-exim.txt");
    drive(&mut single, [Intent::PickRecord]);
    assert_eq!(single.overlay, Overlay::None);
}

#[test]
fn input_mode_collects_typed_text_and_finishes_with_ctrl_d_or_esc() {
    let mut app = new_app();
    drive(&mut app, [Intent::StartInput]);
    drive(&mut app, "553 no".chars().map(Intent::InsertChar));
    drive(
        &mut app,
        [Intent::Confirm, Intent::InsertChar('x'), Intent::DeleteBack],
    );
    drive(&mut app, [Intent::Paste("pasted".into())]);
    assert!(
        app.ticket.bounce.is_none(),
        "nothing replaced before finishing"
    );
    let effects = drive(&mut app, [Intent::FinishInput]);
    assert_eq!(effects, vec![Effect::Save]);
    assert_eq!(app.ticket.bounce.as_deref(), Some("553 no\npasted"));
    // Esc with nothing typed just closes.
    drive(&mut app, [Intent::StartInput]);
    assert!(drive(&mut app, [Intent::Close]).is_empty());
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn p_asks_for_the_clipboard_and_a_failure_is_reported() {
    let mut app = new_app();
    let effects = drive(&mut app, [Intent::PasteFromClipboard]);
    assert_eq!(effects, vec![Effect::ReadClipboard]);
    assert!(status(&app).contains("cannot read the clipboard"));
    drive(
        &mut app,
        [Intent::ClipboardRead(Ok("553 from clipboard".into()))],
    );
    assert_eq!(app.ticket.bounce.as_deref(), Some("553 from clipboard"));
}

#[test]
fn quit_saves_the_position_unless_the_ticket_is_untouched() {
    let mut app = new_app();
    assert_eq!(
        app.update(Intent::Quit),
        vec![Effect::Quit],
        "no file for an empty ticket"
    );

    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::Down, Intent::Down, Intent::NextPane]);
    assert_eq!(app.update(Intent::Quit), vec![Effect::Save, Effect::Quit]);
    assert_eq!(app.ticket.ui.focus, "bounce");
    assert_eq!(app.ticket.ui.selected_step, 2);
}

#[test]
fn a_resumed_ticket_opens_where_the_agent_left_it() {
    let mut ticket = Ticket::new("48213", now());
    ticket.bounce = Some(fixture("relay-exim.txt"));
    ticket.ui.focus = "diagnosis".into();
    ticket.ui.selected_step = 0;
    ticket
        .progress
        .entry("generic-553".into())
        .or_default()
        .insert(
            "confirm-error".into(),
            StepState {
                done: true,
                ..StepState::default()
            },
        );
    let app = App::new(ticket.clone(), playbooks(), Box::new(now));
    assert_eq!(app.focus, Pane::Diagnosis);
    assert!(
        app.analysis.is_some(),
        "the stored bounce is parsed on open"
    );
    assert_eq!(app.ticket, ticket, "opening changes nothing");
}

#[test]
fn movement_is_clamped_in_every_pane() {
    let mut app = new_app_sized(100, 30);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::Bottom, Intent::Down, Intent::PageDown]);
    assert_eq!(app.selected_step_index(), 4);
    drive(&mut app, [Intent::Top, Intent::Up, Intent::PageUp]);
    assert_eq!(app.selected_step_index(), 0);
    drive(&mut app, [Intent::NextPane]); // checklist → bounce
    assert_eq!(app.focus, Pane::Bounce);
    drive(&mut app, [Intent::Bottom]);
    let last = app.ticket.ui.bounce_scroll;
    drive(&mut app, [Intent::Down, Intent::PageDown]);
    assert_eq!(
        app.ticket.ui.bounce_scroll, last,
        "stops at the last screenful"
    );
    assert!(last > 0 && last < 24);
    drive(&mut app, [Intent::PrevPane]);
    assert_eq!(app.focus, Pane::Checklist);
}

#[test]
fn monochrome_theme_draws_no_colours() {
    use ratatui::style::Color;
    let mut app = new_app_sized(120, 36);
    paste_fixture(&mut app, "relay-exim.txt");
    drive(&mut app, [Intent::ToggleStep]);
    let terminal = render(&mut app, 120, 36);
    for cell in terminal.backend().buffer().content() {
        assert_eq!(cell.fg, Color::Reset);
        assert_eq!(cell.bg, Color::Reset);
    }
    let mut coloured = new_app_sized(120, 36).with_theme(Theme::colored());
    paste_fixture(&mut coloured, "relay-exim.txt");
    let terminal = render(&mut coloured, 120, 36);
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
}

/// Index of `id` in the `v` list.
fn choice(app: &App, id: &str) -> usize {
    app.cause_choices()
        .iter()
        .position(|(c, _)| *c == id)
        .unwrap_or_else(|| panic!("{id} is not offered"))
}

fn pick_cause(app: &mut App, id: &str) -> Vec<Effect> {
    let mut intents = vec![Intent::PickCause, Intent::Top];
    intents.extend(std::iter::repeat_n(Intent::Down, choice(app, id)));
    intents.push(Intent::Confirm);
    drive(app, intents)
}

#[test]
fn v_sets_the_cause_the_checklist_follows_and_old_ticks_are_kept() {
    let mut app = new_app();
    paste_fixture(&mut app, "relay-exim.txt");
    assert_eq!(app.variation(), Some("relay-denied"));
    drive(&mut app, [Intent::ToggleStep]);
    let relay_ticked = app.ticket.done_count("relay-denied");
    assert_eq!(relay_ticked, 1);

    // Esc cancels: nothing changes, nothing is saved.
    let effects = drive(&mut app, [Intent::PickCause, Intent::Down, Intent::Close]);
    assert!(effects.is_empty());
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.variation(), Some("relay-denied"));
    assert!(app.ticket.causes.is_empty());

    let effects = pick_cause(&mut app, "sender-not-owned");
    assert_eq!(effects, vec![Effect::Save]);
    assert_eq!(app.variation(), Some("sender-not-owned"));
    assert_eq!(
        app.playbook().map(|p| p.id.as_str()),
        Some("sender-not-owned")
    );
    assert_eq!(app.progress().0, 0, "the new checklist starts unticked");
    assert_eq!(app.selected_step_index(), 0);
    let mark = app.cause().and_then(|c| c.mark()).unwrap_or_default();
    assert_eq!(
        mark,
        "cause set by the agent; bouncebook said relay-denied at 93%"
    );
    assert!(
        status(&app).contains("cause set by the agent"),
        "{}",
        status(&app)
    );
    // The classifier's answer is untouched; the old ticks stay in the ticket.
    assert_eq!(
        app.diagnosis().map(|d| d.variation.as_str()),
        Some("relay-denied")
    );
    assert_eq!(app.ticket.done_count("relay-denied"), relay_ticked);
    let set = &app.ticket.causes[0];
    assert_eq!(
        (set.variation.as_str(), set.classified.as_str()),
        ("sender-not-owned", "relay-denied")
    );
    assert_eq!(
        set.record.recipient.as_deref(),
        Some("orders@supplier-example.org")
    );

    // Choosing bouncebook's own answer again clears the mark and brings its ticks back.
    pick_cause(&mut app, "relay-denied");
    assert!(app.ticket.causes.is_empty());
    assert_eq!(app.cause().and_then(|c| c.mark()), None);
    assert_eq!(app.progress().0, relay_ticked);
    assert_eq!(app.ticket.cause_history.len(), 2);
}

#[test]
fn v_without_a_bounce_says_why() {
    let mut app = new_app();
    let effects = drive(&mut app, [Intent::PickCause]);
    assert!(effects.is_empty());
    assert_eq!(app.overlay, Overlay::None);
    assert!(
        status(&app).contains("paste a bounce first"),
        "{}",
        status(&app)
    );
}

#[test]
fn c_on_a_command_with_a_missing_value_says_what_is_missing_and_copies_nothing() {
    use bouncebook::bounce::facts::{Facts, RefusedBy};
    use bouncebook::bounce::{Bounce, Record};
    use bouncebook::classify::{Basis, Diagnosis};
    use bouncebook::tui::analysis::Analysis;
    let mut app = App::new(
        Ticket::new("48213", now()),
        playbook::embedded(),
        Box::new(now),
    );
    drive(&mut app, [Intent::Paste("553 5.7.1 relay denied".into())]);
    let bounce = Bounce {
        sender: Some("ana@shop-example.com".into()),
        facts: Facts {
            refused_by: Some(RefusedBy::Local),
            ..Facts::default()
        },
        records: vec![Record {
            recipient: Some("bob@partner-example.org".into()),
            reply_code: Some(553),
            diagnostic: Some("553 5.7.1 relay denied".into()),
            remote_host: Some("mail.shop-example.com".into()),
            ..Record::default()
        }],
        ..Bounce::default()
    };
    let diagnosis = Diagnosis {
        variation: "relay-denied".into(),
        confidence: 0.9,
        basis: Basis::Text,
        evidence: "relay denied".into(),
    };
    app.set_analysis(Analysis::from_parts(
        "553 5.7.1 relay denied",
        bounce,
        vec![diagnosis],
    ));
    let at = app
        .steps()
        .iter()
        .position(|s| s.id == "test-smtp-auth")
        .unwrap_or_else(|| unreachable!());
    for _ in 0..at {
        drive(&mut app, [Intent::Down]);
    }
    assert!(app.update(Intent::CopyCommand).is_empty(), "nothing copied");
    let said = status(&app);
    assert!(
        said.contains("not copied: the command needs SUBMISSION_HOST"),
        "{said}"
    );
    assert!(said.contains("clipboard is unchanged"), "{said}");
    // Once the agent gave the customer's own server, it is copied, aimed there.
    app.ticket
        .values
        .insert("submission_host".into(), "mail.shop-example.com".into());
    match app.update(Intent::CopyCommand).as_slice() {
        [
            Effect::Copy {
                what: CopyWhat::Command,
                text,
            },
        ] => {
            assert!(
                text.starts_with("swaks --server mail.shop-example.com "),
                "{text}"
            );
            assert!(!text.contains("partner-example.org --"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    // m copies the customer reply, filled from the bounce.
    match app.update(Intent::CopyReply).as_slice() {
        [
            Effect::Copy {
                what: CopyWhat::Reply,
                text,
            },
        ] => {
            assert!(
                text.contains("Your message to bob@partner-example.org was not delivered"),
                "{text}"
            );
            assert!(text.contains("\"553 5.7.1 relay denied\""), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn y_and_m_with_nothing_to_copy_say_so_and_leave_the_clipboard_alone() {
    let mut app = new_app();
    assert!(app.update(Intent::CopySummary).is_empty());
    assert!(
        status(&app).contains("nothing to copy yet"),
        "{}",
        status(&app)
    );
    assert!(app.update(Intent::CopyReply).is_empty());
    assert!(
        status(&app).contains("no customer reply to copy"),
        "{}",
        status(&app)
    );
}
