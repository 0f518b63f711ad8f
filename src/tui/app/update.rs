//! `App::update`: one intent in, state changed, effects out. The panes and each overlay
//! take the keys in turn; the actions themselves live in `actions`.

use super::actions::{Move, ValueOutcome};
use super::{App, Overlay, Pane, StatusKind};
use crate::tui::analysis::DisplayText;
use crate::tui::editor::TextEditor;
use crate::tui::intent::{CopyWhat, Effect, Intent};

impl App {
    /// Apply one intent; return the side effects it asks for, in order. The screen is laid
    /// out once afterwards, for the state the intent left.
    pub fn update(&mut self, intent: Intent) -> Vec<Effect> {
        let effects = self.apply(intent);
        self.settle();
        if self.pasted_while_small && self.layout.panes.is_some() {
            // The paste was taken while nothing could be shown: say so now it can be.
            self.pasted_while_small = false;
            let said = self.status.as_ref().map(|s| (s.kind, s.text.clone()));
            if let Some((kind, text)) = said {
                self.set_status(
                    kind,
                    format!("pasted while the window was too small: {text}"),
                );
            }
        }
        effects
    }

    fn apply(&mut self, intent: Intent) -> Vec<Effect> {
        match intent {
            Intent::Resize { width, height } => {
                self.screen = (width, height);
                Vec::new()
            }
            Intent::Saved(result) => {
                self.save_finished(result);
                Vec::new()
            }
            Intent::Copied { what, report } => {
                let kind = if report.via.is_some() {
                    StatusKind::Success
                } else {
                    StatusKind::Error
                };
                let label = match what {
                    CopyWhat::Summary => "summary",
                    CopyWhat::Command => "command",
                    CopyWhat::Reply => "customer reply",
                };
                self.set_status(kind, format!("{label}: {}", report.message));
                Vec::new()
            }
            Intent::ClipboardRead(Ok(text)) => self.paste(text),
            Intent::ClipboardRead(Err(why)) => {
                self.set_status(
                    StatusKind::Error,
                    format!(
                        "cannot read the clipboard ({why}); paste with the terminal instead, or press i"
                    ),
                );
                Vec::new()
            }
            Intent::Quit => self.quit(),
            Intent::ChecksStarted {
                record,
                started,
                host,
                resolver,
                planned,
            } => self.checks_started(record, started, host, resolver, planned),
            Intent::CheckLanded { record, result } => {
                self.check_landed(record, result);
                Vec::new()
            }
            Intent::ChecksFinished { record } => self.checks_finished(record),
            Intent::AuthTestStarted { record, planned } => self.auth_test_started(record, planned),
            Intent::Paste(text) => self.paste(text),
            // `a` in the Checks view opens the AUTH test's prompt in its place.
            Intent::StartAuthTest if matches!(self.overlay, Overlay::Checks { .. }) => {
                self.start_auth_test()
            }
            other if matches!(self.overlay, Overlay::None) => self.update_panes(other),
            other => self.update_overlay(other),
        }
    }

    /// The open overlay takes the intent. Its handler changes it in place, through `&mut`
    /// to its fields, and says what becomes of it ([`Then`]); an overlay only ever leaves
    /// the app to close, so no handler can lose one by forgetting to put it back.
    fn update_overlay(&mut self, intent: Intent) -> Vec<Effect> {
        let page = self.page();
        let last_record = self.record_count().saturating_sub(1);
        let last_cause = self.cause_choices().len().saturating_sub(1);
        let value_rows = if matches!(self.overlay, Overlay::Values { .. }) {
            self.value_rows()
        } else {
            Vec::new()
        };
        let then = match &mut self.overlay {
            Overlay::None => Then::Stay(Vec::new()),
            Overlay::Help => help(intent),
            Overlay::Summary {
                text,
                lines,
                scroll,
            } => summary(intent, text, lines, scroll, page),
            Overlay::Picker { selected } => picker(intent, selected, last_record, page),
            Overlay::CausePicker { selected } => cause_picker(intent, selected, last_cause, page),
            Overlay::Note { editor, .. } => note(intent, editor),
            Overlay::Input { editor } => input(intent, editor),
            Overlay::Checks { scroll } => checks(intent, scroll, page),
            Overlay::Values { selected, editor } => {
                values(intent, selected, editor, &value_rows, page)
            }
            Overlay::History { selected, rows } => {
                history(intent, selected, rows.len().saturating_sub(1), page)
            }
            Overlay::ReplaceBounce { .. } => match intent {
                Intent::Confirm => Then::Finish,
                Intent::ClearWork => Then::Alternative,
                Intent::Close => {
                    Then::Close(Some("paste dropped: the bounce and the work are unchanged"))
                }
                _ => Then::Stay(Vec::new()),
            },
            Overlay::NotABounce { .. } => match intent {
                Intent::KeepAsNote => Then::Finish,
                Intent::Close => Then::Close(Some("paste dropped: the bounce is unchanged")),
                _ => Then::Stay(Vec::new()),
            },
            Overlay::AuthTest { prompt } => super::auth_test::prompt(intent, prompt),
        };
        match then {
            Then::Stay(effects) => effects,
            Then::Close(message) => {
                self.overlay = Overlay::None;
                // A paste waiting for an answer goes with its question.
                self.pending_paste = None;
                if let Some(message) = message {
                    self.set_status(StatusKind::Info, message);
                }
                Vec::new()
            }
            Then::Finish => {
                let closed = std::mem::replace(&mut self.overlay, Overlay::None);
                self.finish(closed)
            }
            Then::Alternative => {
                let closed = std::mem::replace(&mut self.overlay, Overlay::None);
                match closed {
                    Overlay::ReplaceBounce { .. } => match self.pending_paste.take() {
                        Some(pending) => self.take_paste(pending, true),
                        None => Vec::new(),
                    },
                    other => {
                        self.overlay = other;
                        Vec::new()
                    }
                }
            }
        }
    }

    /// Act on what a closed overlay held: the note is saved, the typed bounce taken, the
    /// picked record worked.
    fn finish(&mut self, closed: Overlay) -> Vec<Effect> {
        match closed {
            Overlay::Note { step, editor } => self.save_note(step, editor.into_text()),
            Overlay::Input { editor } => {
                let text = editor.into_text();
                if text.trim().is_empty() {
                    self.set_status(StatusKind::Info, "input mode closed: nothing was typed");
                    return Vec::new();
                }
                self.replace_bounce(text)
            }
            Overlay::Picker { selected } => self.choose_record(selected),
            // `r`: run them again, with the view kept open.
            Overlay::Checks { .. } => {
                self.overlay = Overlay::Checks { scroll: 0 };
                self.rerun_checks()
            }
            Overlay::CausePicker { selected } => self.choose_cause(selected),
            Overlay::AuthTest { prompt } => self.auth_test_confirmed(prompt),
            Overlay::Values {
                selected,
                editor: Some(editor),
            } => {
                let Some(name) = self.value_rows().get(selected).map(|r| r.name) else {
                    return Vec::new();
                };
                match self.set_value(name, editor.text()) {
                    ValueOutcome::Saved(effects) => {
                        self.overlay = Overlay::Values {
                            selected,
                            editor: None,
                        };
                        effects
                    }
                    ValueOutcome::Refused => {
                        self.overlay = Overlay::Values {
                            selected,
                            editor: Some(editor),
                        };
                        Vec::new()
                    }
                }
            }
            Overlay::History { selected, .. } => self.restore_history(selected),
            Overlay::ReplaceBounce { .. } => match self.pending_paste.take() {
                Some(pending) => self.take_paste(pending, false),
                None => Vec::new(),
            },
            Overlay::NotABounce { .. } => self.keep_paste_as_note(),
            Overlay::None
            | Overlay::Help
            | Overlay::Summary { .. }
            | Overlay::Values { editor: None, .. } => Vec::new(),
        }
    }

    pub(super) fn update_panes(&mut self, intent: Intent) -> Vec<Effect> {
        match intent {
            Intent::NextPane | Intent::PrevPane => {
                // On short terminals the focused pane grows; `settle` keeps the bounce
                // scroll valid for the new layout.
                self.focus = if intent == Intent::NextPane {
                    self.focus.next()
                } else {
                    self.focus.prev()
                };
            }
            Intent::Up => self.move_in_pane(Move::Back(1)),
            Intent::Down => self.move_in_pane(Move::Forward(1)),
            Intent::PageUp => self.move_in_pane(Move::Back(self.page_for_focus())),
            Intent::PageDown => self.move_in_pane(Move::Forward(self.page_for_focus())),
            Intent::Top => self.move_in_pane(Move::Start),
            Intent::Bottom => self.move_in_pane(Move::End),
            Intent::ToggleStep => return self.toggle_step(),
            Intent::EditNote => self.start_note(),
            Intent::CopyCommand => return self.copy_command(),
            Intent::CopyReply => return self.copy_reply(),
            Intent::ShowSummary => {
                let text = self.summary_text();
                self.overlay = Overlay::Summary {
                    lines: DisplayText::new(&text),
                    text,
                    scroll: 0,
                };
            }
            Intent::CopySummary => {
                if self.ticket.bounce.is_none() {
                    // Nothing worth a summary: the clipboard keeps what it had.
                    self.set_status(
                        StatusKind::Info,
                        "nothing to copy yet: paste a bounce first (the clipboard is unchanged)",
                    );
                    return Vec::new();
                }
                return vec![Effect::Copy {
                    what: CopyWhat::Summary,
                    text: self.summary_text(),
                }];
            }
            Intent::PickRecord => match self.record_count() {
                0 => self.set_status(StatusKind::Info, "no records yet: paste a bounce first"),
                1 => self.set_status(StatusKind::Info, "this bounce has a single record"),
                _ => {
                    self.overlay = Overlay::Picker {
                        selected: self.ticket.selected_record,
                    }
                }
            },
            Intent::PickCause => self.start_cause_picker(),
            Intent::EditValues => self.start_values(),
            Intent::ShowHistory => self.start_history(),
            Intent::ScrollLeft if self.focus == Pane::Bounce => {
                self.bounce_hscroll = self.bounce_hscroll.saturating_sub(HSCROLL_STEP);
            }
            Intent::ScrollRight => {
                if self.focus == Pane::Bounce {
                    let widest = self.analysis.as_ref().map_or(0, |a| a.text.widest());
                    self.bounce_hscroll = (self.bounce_hscroll + HSCROLL_STEP)
                        .min(widest.saturating_sub(HSCROLL_STEP));
                } else {
                    self.set_status(
                        StatusKind::Info,
                        "→ scrolls the pasted text sideways: Tab to the Bounce pane first",
                    );
                }
            }
            Intent::ShowHelp => self.overlay = Overlay::Help,
            Intent::ShowChecks => return self.show_checks(),
            Intent::StartInput => {
                self.overlay = Overlay::Input {
                    editor: TextEditor::default(),
                }
            }
            Intent::PasteFromClipboard => return vec![Effect::ReadClipboard],
            _ => {}
        }
        Vec::new()
    }
}

/// What an overlay's handler decided about the overlay it changed in place.
pub(super) enum Then {
    /// It stays open (as changed); perform these effects.
    Stay(Vec<Effect>),
    /// It closes; the status line says so when there is a message.
    Close(Option<&'static str>),
    /// It closes and what it held is acted on ([`App::finish`]).
    Finish,
    /// It closes and the other choice it offered is taken (clear the work, not keep it).
    Alternative,
}

/// Characters one `←`/`→` moves the pasted text.
const HSCROLL_STEP: usize = 20;

/// `e`: move in the list; Enter types a value (prefilled with the agent's own), `x`
/// clears it; while typing, Enter saves and Esc goes back to the list.
fn values(
    intent: Intent,
    selected: &mut usize,
    editor: &mut Option<TextEditor>,
    rows: &[super::ValueRow],
    page: usize,
) -> Then {
    if let Some(ed) = editor {
        match intent {
            Intent::Confirm => return Then::Finish,
            Intent::Close => *editor = None,
            Intent::InsertNewline => {}
            other => edit(ed, other),
        }
        return Then::Stay(Vec::new());
    }
    let last = rows.len().saturating_sub(1);
    match intent {
        Intent::Close | Intent::EditValues => return Then::Close(None),
        Intent::Confirm => {
            let typed = rows
                .get(*selected)
                .filter(|r| r.by_agent)
                .and_then(|r| r.value.clone())
                .unwrap_or_default();
            *editor = Some(TextEditor::new(typed));
        }
        Intent::ClearValue => {
            *editor = Some(TextEditor::default());
            return Then::Finish;
        }
        other => *selected = moved(other, *selected, last, page).min(last),
    }
    Then::Stay(Vec::new())
}

fn history(intent: Intent, selected: &mut usize, last: usize, page: usize) -> Then {
    match intent {
        Intent::Close | Intent::ShowHistory => Then::Close(None),
        Intent::Confirm => Then::Finish,
        other => {
            *selected = moved(other, *selected, last, page).min(last);
            Then::Stay(Vec::new())
        }
    }
}

fn help(intent: Intent) -> Then {
    match intent {
        Intent::Close | Intent::ShowHelp => Then::Close(None),
        _ => Then::Stay(Vec::new()),
    }
}

fn summary(
    intent: Intent,
    text: &str,
    lines: &DisplayText,
    scroll: &mut usize,
    page: usize,
) -> Then {
    match intent {
        Intent::Close | Intent::ShowSummary => Then::Close(None),
        Intent::CopySummary => Then::Stay(vec![Effect::Copy {
            what: CopyWhat::Summary,
            text: text.to_owned(),
        }]),
        other => {
            let last = lines.len().saturating_sub(1);
            *scroll = moved(other, *scroll, last, page).min(last);
            Then::Stay(Vec::new())
        }
    }
}

fn checks(intent: Intent, scroll: &mut usize, page: usize) -> Then {
    match intent {
        Intent::Close | Intent::ShowChecks => Then::Close(None),
        Intent::RerunChecks => Then::Finish,
        other => {
            // The view clamps to what there is to show.
            *scroll = moved(other, *scroll, usize::MAX / 2, page);
            Then::Stay(Vec::new())
        }
    }
}

fn picker(intent: Intent, selected: &mut usize, last: usize, page: usize) -> Then {
    match intent {
        Intent::Close | Intent::PickRecord => Then::Close(None),
        Intent::Confirm => Then::Finish,
        other => {
            *selected = moved(other, *selected, last, page).min(last);
            Then::Stay(Vec::new())
        }
    }
}

fn cause_picker(intent: Intent, selected: &mut usize, last: usize, page: usize) -> Then {
    match intent {
        Intent::Close | Intent::PickCause => Then::Close(Some("cause not changed")),
        Intent::Confirm => Then::Finish,
        other => {
            *selected = moved(other, *selected, last, page).min(last);
            Then::Stay(Vec::new())
        }
    }
}

fn note(intent: Intent, editor: &mut TextEditor) -> Then {
    match intent {
        Intent::Close => return Then::Close(Some("note not changed")),
        Intent::Confirm => return Then::Finish,
        Intent::InsertNewline => editor.insert('\n'),
        other => edit(editor, other),
    }
    Then::Stay(Vec::new())
}

fn input(intent: Intent, editor: &mut TextEditor) -> Then {
    match intent {
        Intent::Close | Intent::FinishInput => return Then::Finish,
        // A pasted bounce is many lines: Enter only breaks the line here.
        Intent::InsertNewline | Intent::Confirm => editor.insert('\n'),
        other => edit(editor, other),
    }
    Then::Stay(Vec::new())
}

/// Where a list position goes for a movement intent (line, page, top, bottom); other
/// intents leave it where it is. Callers clamp to `last`.
fn moved(intent: Intent, position: usize, last: usize, page: usize) -> usize {
    match intent {
        Intent::Up => position.saturating_sub(1),
        Intent::Down => position.saturating_add(1),
        Intent::PageUp => position.saturating_sub(page),
        Intent::PageDown => position.saturating_add(page),
        Intent::Top => 0,
        Intent::Bottom => last,
        _ => position,
    }
}

/// The editing intents both text editors (note, input mode) share: characters, deletion,
/// cursor movement. Anything else leaves the text as it is.
pub(super) fn edit(editor: &mut TextEditor, intent: Intent) {
    match intent {
        Intent::InsertChar(c) => editor.insert(c),
        Intent::DeleteBack => editor.delete_back(),
        Intent::CursorLeft => editor.left(),
        Intent::CursorRight => editor.right(),
        Intent::CursorHome => editor.home(),
        Intent::CursorEnd => editor.end(),
        Intent::ClearLine => editor.clear(),
        _ => {}
    }
}
