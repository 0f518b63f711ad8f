//! `App::update`: one intent in, state changed, effects out. The panes and each overlay
//! take the keys in turn; the actions themselves live in `actions`.

use super::actions::Move;
use super::{App, Overlay, StatusKind};
use crate::tui::analysis::DisplayText;
use crate::tui::editor::TextEditor;
use crate::tui::intent::{CopyWhat, Effect, Intent};

impl App {
    /// Apply one intent; return the side effects it asks for, in order.
    pub fn update(&mut self, intent: Intent) -> Vec<Effect> {
        match intent {
            Intent::Resize { width, height } => {
                self.screen = (width, height);
                self.ticket.ui.bounce_scroll =
                    self.ticket.ui.bounce_scroll.min(self.last_bounce_scroll());
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
            Intent::Paste(text) => self.paste(text),
            other => match std::mem::replace(&mut self.overlay, Overlay::None) {
                Overlay::None => self.update_panes(other),
                Overlay::Help => self.update_help(other),
                Overlay::Summary {
                    text,
                    lines,
                    scroll,
                } => self.update_summary(other, text, lines, scroll),
                Overlay::Picker { selected } => self.update_picker(other, selected),
                Overlay::Note { step, editor } => self.update_note(other, step, editor),
                Overlay::Input { editor } => self.update_input(other, editor),
            },
        }
    }

    pub(super) fn update_panes(&mut self, intent: Intent) -> Vec<Effect> {
        match intent {
            Intent::NextPane | Intent::PrevPane => {
                self.focus = if intent == Intent::NextPane {
                    self.focus.next()
                } else {
                    self.focus.prev()
                };
                // On short terminals the focused pane grows: keep the bounce scroll valid.
                self.ticket.ui.bounce_scroll =
                    self.ticket.ui.bounce_scroll.min(self.last_bounce_scroll());
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
            Intent::ShowSummary => {
                let text = self.summary_text();
                self.overlay = Overlay::Summary {
                    lines: DisplayText::new(&text),
                    text,
                    scroll: 0,
                };
            }
            Intent::CopySummary => {
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
            Intent::ShowHelp => self.overlay = Overlay::Help,
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

    pub(super) fn update_help(&mut self, intent: Intent) -> Vec<Effect> {
        if !matches!(intent, Intent::Close | Intent::ShowHelp) {
            self.overlay = Overlay::Help;
        }
        Vec::new()
    }

    pub(super) fn update_summary(
        &mut self,
        intent: Intent,
        text: String,
        lines: DisplayText,
        scroll: usize,
    ) -> Vec<Effect> {
        let last = lines.len().saturating_sub(1);
        let scroll = match intent {
            Intent::Close | Intent::ShowSummary => return Vec::new(),
            Intent::CopySummary => {
                let effects = vec![Effect::Copy {
                    what: CopyWhat::Summary,
                    text: text.clone(),
                }];
                self.overlay = Overlay::Summary {
                    text,
                    lines,
                    scroll,
                };
                return effects;
            }
            other => self.moved(other, scroll, last),
        };
        self.overlay = Overlay::Summary {
            text,
            lines,
            scroll: scroll.min(last),
        };
        Vec::new()
    }

    pub(super) fn update_picker(&mut self, intent: Intent, selected: usize) -> Vec<Effect> {
        let last = self.record_count().saturating_sub(1);
        let selected = match intent {
            Intent::Close | Intent::PickRecord => return Vec::new(),
            Intent::Confirm => return self.choose_record(selected),
            other => self.moved(other, selected, last),
        };
        self.overlay = Overlay::Picker {
            selected: selected.min(last),
        };
        Vec::new()
    }

    pub(super) fn update_note(
        &mut self,
        intent: Intent,
        step: usize,
        mut editor: TextEditor,
    ) -> Vec<Effect> {
        match intent {
            Intent::Close => {
                self.set_status(StatusKind::Info, "note not changed");
                return Vec::new();
            }
            Intent::Confirm => return self.save_note(step, editor.into_text()),
            Intent::InsertNewline => editor.insert('\n'),
            other => edit(&mut editor, other),
        }
        self.overlay = Overlay::Note { step, editor };
        Vec::new()
    }

    pub(super) fn update_input(&mut self, intent: Intent, mut editor: TextEditor) -> Vec<Effect> {
        match intent {
            Intent::Close | Intent::FinishInput => {
                let text = editor.into_text();
                if text.trim().is_empty() {
                    self.set_status(StatusKind::Info, "input mode closed: nothing was typed");
                    return Vec::new();
                }
                return self.replace_bounce(text);
            }
            // A pasted bounce is many lines: Enter only breaks the line here.
            Intent::InsertNewline | Intent::Confirm => editor.insert('\n'),
            other => edit(&mut editor, other),
        }
        self.overlay = Overlay::Input { editor };
        Vec::new()
    }

    /// Where a list position goes for a movement intent (line, page, top, bottom); other
    /// intents leave it where it is. Callers clamp to `last`.
    fn moved(&self, intent: Intent, position: usize, last: usize) -> usize {
        match intent {
            Intent::Up => position.saturating_sub(1),
            Intent::Down => position.saturating_add(1),
            Intent::PageUp => position.saturating_sub(self.page()),
            Intent::PageDown => position.saturating_add(self.page()),
            Intent::Top => 0,
            Intent::Bottom => last,
            _ => position,
        }
    }
}

/// The editing intents both text editors (note, input mode) share: characters, deletion,
/// cursor movement. Anything else leaves the text as it is.
fn edit(editor: &mut TextEditor, intent: Intent) {
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
