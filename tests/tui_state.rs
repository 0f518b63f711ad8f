//! State the TUI must not lose or disagree about: an open overlay survives every intent it
//! does not act on, and the Bounce pane pages by exactly the rows the frame shows.

#[path = "support/tui.rs"]
mod support;

use bouncebook::tui::Intent;
use bouncebook::tui::app::{Overlay, Pane};
use support::*;

/// Intents that no overlay acts on (the panes would: tick, copy a command, switch pane).
const IGNORED_BY_OVERLAYS: [Intent; 4] = [
    Intent::ToggleStep,
    Intent::CopyCommand,
    Intent::NextPane,
    Intent::PrevPane,
];

#[test]
fn an_open_overlay_survives_every_intent_it_ignores() {
    let opening: [(&str, Vec<Intent>); 5] = [
        ("help", vec![Intent::ShowHelp]),
        ("summary", vec![Intent::ShowSummary, Intent::Down]),
        ("picker", vec![Intent::PickRecord, Intent::Down]),
        (
            "note",
            vec![
                Intent::EditNote,
                Intent::InsertChar('a'),
                Intent::CursorLeft,
            ],
        ),
        ("input", vec![Intent::StartInput, Intent::InsertChar('5')]),
    ];
    for (name, intents) in opening {
        let mut app = new_app();
        paste_fixture(&mut app, "multi-recipient.txt");
        drive(&mut app, intents);
        let open = app.overlay.clone();
        assert_ne!(open, Overlay::None, "{name} did not open");
        let focus = app.focus;
        for intent in IGNORED_BY_OVERLAYS {
            let effects = drive(&mut app, [intent.clone()]);
            assert_eq!(app.overlay, open, "{name} changed or closed on {intent:?}");
            assert!(
                effects.is_empty(),
                "{name} acted on {intent:?}: {effects:?}"
            );
            assert_eq!(
                app.focus, focus,
                "{intent:?} reached the panes under {name}"
            );
        }
    }
}

#[test]
fn overlays_close_and_hand_on_what_they_held() {
    let mut app = new_app();
    paste_fixture(&mut app, "multi-recipient.txt");
    drive(
        &mut app,
        [Intent::PickRecord, Intent::Down, Intent::Confirm],
    );
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(
        app.selected_record_index(),
        1,
        "Enter works the picked record"
    );

    drive(
        &mut app,
        [Intent::EditNote, Intent::InsertChar('x'), Intent::Close],
    );
    assert_eq!(app.overlay, Overlay::None);
    assert!(
        app.selected_step()
            .and_then(|s| app.step_state(s))
            .is_none()
    );

    drive(
        &mut app,
        [Intent::EditNote, Intent::InsertChar('x'), Intent::Confirm],
    );
    assert_eq!(app.overlay, Overlay::None);
    let step = app.selected_step().cloned();
    let note = step.and_then(|s| app.step_state(&s).and_then(|st| st.note.clone()));
    assert_eq!(note.as_deref(), Some("x"));

    drive(&mut app, [Intent::StartInput, Intent::Close]);
    assert_eq!(app.overlay, Overlay::None);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("nothing was typed"))
    );
}

/// The line numbers in the Bounce pane's gutter, top to bottom, read off the drawn screen.
fn shown_line_numbers(screen: &str, width: usize) -> Vec<usize> {
    screen
        .lines()
        .filter_map(|row| {
            // The pane is the left half on a wide screen: "│ 12 text…│".
            let pane: String = row.chars().take(width / 2).collect();
            let inside = pane.strip_prefix('│')?;
            let number: String = inside
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let rest = inside.trim_start().get(number.len()..)?;
            (!number.is_empty() && (rest.starts_with(' ') || rest.starts_with('▶')))
                .then(|| number.parse().ok())
                .flatten()
        })
        .collect()
}

#[test]
fn a_bounce_page_is_exactly_the_rows_the_frame_shows() {
    let (width, height) = (120, 40);
    let mut app = new_app_sized(width, height);
    let text: String = (1..=300).map(|i| format!("body line {i}\n")).collect();
    drive(&mut app, [Intent::Paste(text)]);
    drive(&mut app, [Intent::NextPane, Intent::Top]);
    assert_eq!(app.focus, Pane::Bounce);

    let first = shown_line_numbers(&screen_text(&render(&mut app, width, height)), 120);
    assert!(first.len() > 5, "too few lines shown: {first:?}");
    assert_eq!(first[0], 1);
    assert_eq!(app.layout.bounce_text_rows(), first.len());

    drive(&mut app, [Intent::PageDown]);
    let next = shown_line_numbers(&screen_text(&render(&mut app, width, height)), 120);
    assert_eq!(
        next[0],
        first[first.len() - 1] + 1,
        "a page down starts right after the last line shown"
    );

    drive(&mut app, [Intent::Bottom]);
    let last = shown_line_numbers(&screen_text(&render(&mut app, width, height)), 120);
    assert_eq!(
        last.last(),
        Some(&300),
        "the last screenful ends on the last line"
    );
    assert_eq!(last.len(), first.len(), "and is full");
}
