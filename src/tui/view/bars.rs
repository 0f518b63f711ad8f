//! The header (ticket, record, save state), the status line (what just happened) and the
//! footer (the keys that apply now).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::one_line;
use crate::tui::app::{App, Overlay, SaveState, StatusKind};
use crate::tui::keys::KeyTarget;

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut left = vec![
        Span::styled(" bouncebook ", theme.title()),
        Span::styled("│ ticket ", theme.dim()),
        Span::styled(one_line(&app.ticket.id), theme.title()),
    ];
    if !app.resumed && app.save != SaveState::Saved {
        left.push(Span::styled(" (new)", theme.dim()));
    }
    let records = app.record_count();
    if records > 1 {
        left.push(Span::styled(
            format!(" │ record {}/{records}", app.selected_record_index() + 1),
            theme.dim(),
        ));
    }
    let (text, style) = match &app.save {
        SaveState::Unchanged => ("", theme.dim()),
        SaveState::Saving => ("saving… ", theme.dim()),
        SaveState::Saved => ("✓ saved ", theme.success()),
        SaveState::Failed(_) => ("✗ NOT SAVED ", theme.error()),
    };
    let right_width = text.chars().count() as u16;
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    frame.render_widget(
        Paragraph::new(Span::styled(text, style)).right_aligned(),
        right_area,
    );
}

pub fn status(app: &App, frame: &mut Frame, area: Rect) {
    let Some(status) = &app.status else {
        return;
    };
    let theme = app.theme;
    let style = match status.kind {
        StatusKind::Info => theme.title(),
        StatusKind::Success => theme.success(),
        StatusKind::Warning => theme.warning(),
        StatusKind::Error => theme.error(),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(format!(" {}", one_line(&status.text)), style)),
        area,
    );
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let keys: Vec<(&str, &str)> = match KeyTarget::of(&app.overlay) {
        KeyTarget::Panes if app.analysis.is_none() => vec![
            ("paste", "a bounce"),
            ("p", "clipboard"),
            ("i", "type it"),
            ("?", "help"),
            ("q", "quit"),
        ],
        KeyTarget::Panes => {
            let mut keys = vec![
                ("Tab", "pane"),
                ("j/k", "move"),
                ("Space", "tick"),
                ("n", "note"),
                ("c", "copy cmd"),
                ("s", "summary"),
                ("y", "copy summary"),
                ("d", "checks"),
            ];
            if app.record_count() > 1 {
                keys.push(("r", "record"));
            }
            keys.push(("e", "values"));
            if !app.ticket.history.is_empty() {
                keys.push(("h", "history"));
            }
            keys.extend([("?", "help"), ("q", "quit")]);
            keys
        }
        KeyTarget::Help => vec![("Esc", "close")],
        KeyTarget::Summary => vec![
            ("j/k", "scroll"),
            ("PgDn/PgUp", "page"),
            ("y", "copy"),
            ("Esc", "close"),
        ],
        KeyTarget::Checks => vec![
            ("j/k", "scroll"),
            ("r", "run again"),
            ("a", "AUTH test"),
            ("Esc", "close"),
        ],
        KeyTarget::Picker => vec![("j/k", "choose"), ("Enter", "work it"), ("Esc", "cancel")],
        KeyTarget::CausePicker => vec![
            ("j/k", "choose"),
            ("Enter", "set this cause"),
            ("Esc", "cancel"),
        ],
        KeyTarget::Values => vec![
            ("j/k", "choose"),
            ("Enter", "type a value"),
            ("x", "clear yours"),
            ("Esc", "close"),
        ],
        KeyTarget::History => vec![
            ("j/k", "choose"),
            ("Enter", "switch back to it"),
            ("Esc", "close"),
        ],
        KeyTarget::Question => match app.overlay {
            Overlay::NotABounce { .. } => vec![("n", "keep as a note"), ("Esc", "drop it")],
            _ => vec![
                ("Enter", "keep the ticks"),
                ("c", "clear them"),
                ("Esc", "drop the paste"),
            ],
        },
        KeyTarget::Editor => match app.overlay {
            Overlay::Input { .. } => vec![("Esc / Ctrl-D", "done"), ("Ctrl-U", "clear")],
            Overlay::Values { .. } => vec![
                ("Enter", "save"),
                ("Esc", "back"),
                ("Ctrl-U", "clear"),
                ("(empty)", "uses the bounce's again"),
            ],
            Overlay::AuthTest { .. } => vec![
                ("Tab", "user / password"),
                ("Enter", "log in once"),
                ("Esc", "cancel"),
            ],
            _ => vec![
                ("Enter", "save"),
                ("Ctrl-J", "new line"),
                ("Esc", "cancel"),
                ("Ctrl-U", "clear"),
            ],
        },
    };
    let mut spans = vec![Span::raw(" ")];
    for (key, what) in fit_keys(keys, usize::from(area.width)) {
        spans.push(Span::styled(key, app.theme.key()));
        spans.push(Span::styled(format!(" {what}  "), app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Width of one footer entry as drawn: the key, a space, its words, two spaces.
fn entry_width(key: &str, what: &str) -> usize {
    key.chars().count() + what.chars().count() + 3
}

/// The footer entries that fit in `width`. When not all do, entries go from the right, the
/// agent's main moves (tick with `Space`, copy the summary with `y`) after the others, and
/// the way out (`?` help, `q` quit, `Esc`) never: a narrow terminal still shows how to get
/// help, which lists every key.
fn fit_keys<'a>(mut keys: Vec<(&'a str, &'a str)>, width: usize) -> Vec<(&'a str, &'a str)> {
    let is_way_out = |k: &str| k == "?" || k == "q" || k.starts_with("Esc");
    let is_main_move = |k: &str| k == "Space" || k == "y";
    let total =
        |keys: &[(&str, &str)]| 1 + keys.iter().map(|(k, w)| entry_width(k, w)).sum::<usize>();
    while total(&keys) > width {
        let drop = keys
            .iter()
            .rposition(|(k, _)| !is_way_out(k) && !is_main_move(k))
            .or_else(|| keys.iter().rposition(|(k, _)| !is_way_out(k)));
        let Some(drop) = drop else { break };
        keys.remove(drop);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_footer_keeps_help_and_quit() {
        let keys = vec![
            ("Tab", "pane"),
            ("j/k", "move"),
            ("Space", "tick"),
            ("y", "copy summary"),
            ("?", "help"),
            ("q", "quit"),
        ];
        assert_eq!(fit_keys(keys.clone(), 200), keys);
        let narrow = fit_keys(keys.clone(), 50);
        let drawn = 1 + narrow.iter().map(|(k, w)| entry_width(k, w)).sum::<usize>();
        assert!(drawn <= 50, "{drawn}");
        assert_eq!(&narrow[narrow.len() - 2..], &[("?", "help"), ("q", "quit")]);
        assert!(narrow.contains(&("y", "copy summary")), "{narrow:?}");
        assert!(!narrow.contains(&("j/k", "move")), "{narrow:?}");
        // Narrower than the way out itself: nothing else, and no endless loop.
        assert_eq!(fit_keys(keys, 5), [("?", "help"), ("q", "quit")]);
    }
}
