//! Terminal events → intents. The mapping depends only on what has the keys (the panes or
//! an overlay); it holds no state and performs nothing.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::Overlay;
use super::intent::Intent;

/// Who receives the keys: the panes, or an overlay that captures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTarget {
    Panes,
    Help,
    Summary,
    Picker,
    /// The live checks view (`d`).
    Checks,
    /// `v`'s list of causes.
    CausePicker,
    /// Note editor and input mode: printable keys are text.
    Editor,
    /// `e`'s list of values (while no value is being typed).
    Values,
    /// `h`'s list of earlier bounces.
    History,
    /// A question about a paste: keep or clear the work, keep as a note.
    Question,
}

impl KeyTarget {
    pub fn of(overlay: &Overlay) -> KeyTarget {
        match overlay {
            Overlay::None => KeyTarget::Panes,
            Overlay::Help => KeyTarget::Help,
            Overlay::Summary { .. } => KeyTarget::Summary,
            Overlay::Picker { .. } => KeyTarget::Picker,
            Overlay::Checks { .. } => KeyTarget::Checks,
            Overlay::CausePicker { .. } => KeyTarget::CausePicker,
            Overlay::Note { .. } | Overlay::Input { .. } | Overlay::AuthTest { .. } => {
                KeyTarget::Editor
            }
            Overlay::Values {
                editor: Some(_), ..
            } => KeyTarget::Editor,
            Overlay::Values { editor: None, .. } => KeyTarget::Values,
            Overlay::History { .. } => KeyTarget::History,
            Overlay::ReplaceBounce { .. } | Overlay::NotABounce { .. } => KeyTarget::Question,
        }
    }
}

/// The keys as the footer and `?` help list them (key, what it does).
pub const HELP: &[(&str, &str)] = &[
    (
        "paste",
        "the pasted bounce replaces the ticket's bounce (bracketed paste)",
    ),
    ("p", "read the bounce from the system clipboard"),
    (
        "i",
        "input mode: type or paste without bracketed paste; Esc or Ctrl-D ends",
    ),
    ("Tab / Shift-Tab", "next / previous pane"),
    ("j k / ↓ ↑", "move the selection or scroll the focused pane"),
    ("PgDn PgUp / g G", "page down / up, top / bottom"),
    (
        "Space / x",
        "tick or untick the selected step (saved at once)",
    ),
    (
        "n",
        "write a note on the selected step (Enter saves, Esc cancels)",
    ),
    ("c", "copy the selected step's command (never run)"),
    (
        "m",
        "copy the customer reply for the selected record's cause",
    ),
    ("s", "show the escalation summary"),
    ("y", "copy the escalation summary"),
    (
        "r",
        "choose another record (recipient) when there are several",
    ),
    (
        "v",
        "set the record's cause by hand (marked as the agent's)",
    ),
    (
        "e",
        "type a value the bounce lacks or got wrong (saved with the ticket)",
    ),
    ("h", "the ticket's earlier bounces: switch back to one"),
    ("← →", "scroll the pasted text sideways (Bounce pane)"),
    ("?", "this help"),
    ("q / Ctrl-C", "quit (the ticket is already saved)"),
    (
        "d",
        "live checks: DNS, blocklists, SPF/DMARC, SMTP; r re-runs, a tests AUTH",
    ),
];

/// The intent for `event`. Takes the event by value: a paste's text (megabytes, perhaps)
/// moves into the intent instead of being copied.
pub fn intent_for(event: Event, target: KeyTarget) -> Option<Intent> {
    match event {
        Event::Paste(text) => Some(Intent::Paste(text)),
        Event::Resize(width, height) => Some(Intent::Resize { width, height }),
        Event::Key(key) if key.kind != KeyEventKind::Release => key_intent(&key, target),
        _ => None,
    }
}

fn key_intent(key: &KeyEvent, target: KeyTarget) -> Option<Intent> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
        return Some(Intent::Quit);
    }
    if target == KeyTarget::Editor {
        return editor_intent(key, ctrl);
    }
    if target == KeyTarget::Question {
        return match key.code {
            KeyCode::Enter => Some(Intent::Confirm),
            KeyCode::Char('c') => Some(Intent::ClearWork),
            KeyCode::Char('n') => Some(Intent::KeepAsNote),
            KeyCode::Esc | KeyCode::Char('q') => Some(Intent::Close),
            _ => None,
        };
    }
    if let Some(intent) = movement(key) {
        return Some(intent);
    }
    let intent = match (target, key.code) {
        (_, KeyCode::Esc) => Intent::Close,
        (KeyTarget::Panes, KeyCode::Char('q')) => Intent::Quit,
        (_, KeyCode::Char('q')) => Intent::Close,
        (_, KeyCode::Char('?')) => Intent::ShowHelp,
        (KeyTarget::Picker, KeyCode::Enter) => Intent::Confirm,
        (KeyTarget::Picker, KeyCode::Char('r')) => Intent::PickRecord,
        (KeyTarget::CausePicker, KeyCode::Enter) => Intent::Confirm,
        (KeyTarget::CausePicker, KeyCode::Char('v')) => Intent::PickCause,
        (KeyTarget::Summary, KeyCode::Char('y')) => Intent::CopySummary,
        (KeyTarget::Summary, KeyCode::Char('s')) => Intent::ShowSummary,
        (KeyTarget::Checks, KeyCode::Char('d')) => Intent::ShowChecks,
        (KeyTarget::Checks, KeyCode::Char('r')) => Intent::RerunChecks,
        (KeyTarget::Values, KeyCode::Enter) => Intent::Confirm,
        (KeyTarget::Values, KeyCode::Char('e')) => Intent::EditValues,
        (KeyTarget::Values, KeyCode::Char('x') | KeyCode::Backspace | KeyCode::Delete) => {
            Intent::ClearValue
        }
        (KeyTarget::History, KeyCode::Enter) => Intent::Confirm,
        (KeyTarget::History, KeyCode::Char('h')) => Intent::ShowHistory,
        (KeyTarget::Checks, KeyCode::Char('a')) => Intent::StartAuthTest,
        (KeyTarget::Panes, code) => return panes_intent(code),
        _ => return None,
    };
    Some(intent)
}

fn movement(key: &KeyEvent) -> Option<Intent> {
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Intent::Down,
        KeyCode::Char('k') | KeyCode::Up => Intent::Up,
        KeyCode::PageDown => Intent::PageDown,
        KeyCode::PageUp => Intent::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Intent::Top,
        KeyCode::Char('G') | KeyCode::End => Intent::Bottom,
        _ => return None,
    })
}

fn panes_intent(code: KeyCode) -> Option<Intent> {
    Some(match code {
        KeyCode::Tab => Intent::NextPane,
        KeyCode::BackTab => Intent::PrevPane,
        KeyCode::Char(' ' | 'x') => Intent::ToggleStep,
        KeyCode::Char('n') => Intent::EditNote,
        KeyCode::Char('c') => Intent::CopyCommand,
        KeyCode::Char('m') => Intent::CopyReply,
        KeyCode::Char('s') => Intent::ShowSummary,
        KeyCode::Char('y') => Intent::CopySummary,
        KeyCode::Char('r') => Intent::PickRecord,
        KeyCode::Char('v') => Intent::PickCause,
        KeyCode::Char('i') => Intent::StartInput,
        KeyCode::Char('p') => Intent::PasteFromClipboard,
        KeyCode::Char('d') => Intent::ShowChecks,
        KeyCode::Char('e') => Intent::EditValues,
        KeyCode::Char('h') => Intent::ShowHistory,
        KeyCode::Left => Intent::ScrollLeft,
        KeyCode::Right => Intent::ScrollRight,
        _ => return None,
    })
}

fn editor_intent(key: &KeyEvent, ctrl: bool) -> Option<Intent> {
    Some(match key.code {
        KeyCode::Char('d' | 'D') if ctrl => Intent::FinishInput,
        KeyCode::Char('u' | 'U') if ctrl => Intent::ClearLine,
        KeyCode::Char('a' | 'A') if ctrl => Intent::CursorHome,
        KeyCode::Char('e' | 'E') if ctrl => Intent::CursorEnd,
        KeyCode::Char('j' | 'J') if ctrl => Intent::InsertNewline,
        KeyCode::Char(c) if !ctrl => Intent::InsertChar(c),
        KeyCode::Tab => Intent::InsertChar('\t'),
        KeyCode::Enter => Intent::Confirm,
        KeyCode::Esc => Intent::Close,
        KeyCode::Backspace => Intent::DeleteBack,
        KeyCode::Left => Intent::CursorLeft,
        KeyCode::Right => Intent::CursorRight,
        KeyCode::Home => Intent::CursorHome,
        KeyCode::End => Intent::CursorEnd,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_contract_keys_map_to_their_intents() {
        let t = KeyTarget::Panes;
        assert_eq!(
            intent_for(key(KeyCode::Char(' ')), t),
            Some(Intent::ToggleStep)
        );
        assert_eq!(
            intent_for(key(KeyCode::Char('x')), t),
            Some(Intent::ToggleStep)
        );
        assert_eq!(intent_for(key(KeyCode::BackTab), t), Some(Intent::PrevPane));
        assert_eq!(intent_for(key(KeyCode::Char('G')), t), Some(Intent::Bottom));
        assert_eq!(intent_for(key(KeyCode::Char('q')), t), Some(Intent::Quit));
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(intent_for(ctrl_c, KeyTarget::Editor), Some(Intent::Quit));
        assert_eq!(
            intent_for(Event::Paste("553 x".into()), KeyTarget::Help),
            Some(Intent::Paste("553 x".into()))
        );
    }

    #[test]
    fn in_an_editor_letters_are_text_and_q_closes_overlays() {
        assert_eq!(
            intent_for(key(KeyCode::Char('q')), KeyTarget::Editor),
            Some(Intent::InsertChar('q'))
        );
        assert_eq!(
            intent_for(key(KeyCode::Char('q')), KeyTarget::Help),
            Some(Intent::Close)
        );
        let ctrl_d = Event::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
        assert_eq!(
            intent_for(ctrl_d, KeyTarget::Editor),
            Some(Intent::FinishInput)
        );
    }
}
