//! The app's state and the one function that changes it: [`App::update`]. No terminal, no
//! files, no clipboard here: side effects are returned as [`Effect`] values for the event
//! loop to perform, and their results come back as intents. That keeps every screen
//! reachable from a test with plain values.

use chrono::{DateTime, Utc};

use crate::bounce::{Bounce, Record};
use crate::classify::{Classifier, Diagnosis};
use crate::playbook::{self, Playbook, PlaybookSet, Step};
use crate::redact;
use crate::summary::{self, SummaryContext, SummaryFormat};
use crate::ticket::{PastBounce, StepState, Ticket};

use super::analysis::{Analysis, DisplayText};
use super::editor::TextEditor;
use super::intent::{CopyWhat, Effect, Intent};
use super::theme::Theme;
use super::view::bounce_text_rows;

/// Pastes beyond this many bytes are cut (and the agent told): the parser reads at most
/// its own limit anyway, and the ticket file is rewritten on every tick.
pub const MAX_KEPT_BYTES: usize = crate::bounce::MAX_PARSE_BYTES;

/// The clock, injectable so tests and snapshots are deterministic.
pub type Clock = Box<dyn Fn() -> DateTime<Utc>>;

/// How the escalation summary is produced; tests may swap in a fixed text so screen
/// snapshots do not change every time the summary's wording does.
pub type SummaryRenderer = fn(&SummaryContext<'_>, SummaryFormat) -> String;

/// How `{placeholders}` in step commands are filled; swappable for the same reason.
pub type PlaceholderFiller = fn(&str, &Bounce, &Record) -> String;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Bounce,
    Diagnosis,
    Checklist,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Bounce, Pane::Diagnosis, Pane::Checklist];

    pub fn name(self) -> &'static str {
        match self {
            Pane::Bounce => "bounce",
            Pane::Diagnosis => "diagnosis",
            Pane::Checklist => "checklist",
        }
    }

    pub fn from_name(name: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.name() == name)
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// What sits on top of the three panes, and takes the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    /// The escalation summary: `text` exactly as `y` copies it, `lines` the same made safe
    /// and split once (the summary holds the whole bounce, so it can be megabytes).
    Summary {
        text: String,
        lines: DisplayText,
        scroll: usize,
    },
    /// Choosing which record (recipient) to work.
    Picker {
        selected: usize,
    },
    /// Editing the note of step `step` (index into the playbook's steps).
    Note {
        step: usize,
        editor: TextEditor,
    },
    /// Typing or pasting a bounce without bracketed paste.
    Input {
        editor: TextEditor,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// Where the ticket file stands relative to the state on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed since the ticket was opened.
    Unchanged,
    /// A save was requested and has not reported back.
    Saving,
    /// The last save succeeded (the rename is done).
    Saved,
    /// The last save failed; the state is kept in memory and saved again on the next change.
    Failed(String),
}

pub struct App {
    pub ticket: Ticket,
    /// True when the ticket was read from disk.
    pub resumed: bool,
    pub playbooks: PlaybookSet,
    classifier: Classifier,
    /// The current bounce's parse, cached; None until a bounce is pasted.
    pub analysis: Option<Analysis>,
    pub focus: Pane,
    pub overlay: Overlay,
    pub status: Option<Status>,
    pub save: SaveState,
    /// What the last change was, so "saved" can be added once the save reports back.
    pending_change: Option<String>,
    pub diagnosis_scroll: usize,
    /// Terminal size, for page-sized moves.
    pub screen: (u16, u16),
    pub theme: Theme,
    clock: Clock,
    summary_renderer: SummaryRenderer,
    placeholder_filler: PlaceholderFiller,
}

impl App {
    pub fn new(ticket: Ticket, playbooks: PlaybookSet, clock: Clock) -> App {
        let classifier = Classifier::new(&playbooks);
        let analysis = ticket
            .bounce
            .as_deref()
            .map(|text| Analysis::of(text, &classifier));
        let focus = Pane::from_name(&ticket.ui.focus).unwrap_or(if analysis.is_some() {
            Pane::Checklist
        } else {
            Pane::Bounce
        });
        let status = playbook_problems_status(&playbooks);
        let mut app = App {
            ticket,
            resumed: false,
            playbooks,
            classifier,
            analysis,
            focus,
            overlay: Overlay::None,
            status,
            save: SaveState::Unchanged,
            pending_change: None,
            diagnosis_scroll: 0,
            screen: (80, 24),
            theme: Theme::from_env(),
            clock,
            summary_renderer: summary::render,
            placeholder_filler: playbook::fill_placeholders,
        };
        app.clamp_selection();
        app
    }

    pub fn with_summary_renderer(mut self, renderer: SummaryRenderer) -> App {
        self.summary_renderer = renderer;
        self
    }

    pub fn with_placeholder_filler(mut self, filler: PlaceholderFiller) -> App {
        self.placeholder_filler = filler;
        self
    }

    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    /// Replace the cached analysis (tests pin a parse and diagnosis this way, so screens stay
    /// meaningful whatever the parser and classifier do with the text).
    pub fn set_analysis(&mut self, analysis: Analysis) {
        self.analysis = Some(analysis);
        self.clamp_selection();
        self.scroll_to_deciding_line();
        let (text, kind) = self.paste_status(Vec::new());
        self.set_status(kind, text);
    }

    pub fn set_status(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }

    // ----- read-only views of the state, shared by update and view -----

    pub fn bounce(&self) -> Option<&Bounce> {
        self.analysis.as_ref().and_then(Analysis::bounce)
    }

    pub fn record_count(&self) -> usize {
        self.analysis.as_ref().map_or(0, |a| a.records().len())
    }

    pub fn selected_record_index(&self) -> usize {
        self.ticket.selected_record
    }

    pub fn record(&self) -> Option<&Record> {
        self.analysis
            .as_ref()
            .and_then(|a| a.record(self.ticket.selected_record))
    }

    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.analysis
            .as_ref()
            .and_then(|a| a.diagnosis(self.ticket.selected_record))
    }

    pub fn playbook(&self) -> Option<&Playbook> {
        self.diagnosis()
            .and_then(|d| self.playbooks.get(&d.variation))
    }

    pub fn steps(&self) -> &[Step] {
        self.playbook().map_or(&[], |p| p.steps.as_slice())
    }

    pub fn selected_step_index(&self) -> usize {
        self.ticket.ui.selected_step
    }

    pub fn selected_step(&self) -> Option<&Step> {
        self.steps().get(self.ticket.ui.selected_step)
    }

    pub fn step_state(&self, step: &Step) -> Option<&StepState> {
        let variation = &self.diagnosis()?.variation;
        self.ticket.progress.get(variation)?.get(&step.id)
    }

    /// (ticked, total) for the current checklist.
    pub fn progress(&self) -> (usize, usize) {
        let steps = self.steps();
        let done = steps
            .iter()
            .filter(|s| self.step_state(s).is_some_and(|st| st.done))
            .count();
        (done, steps.len())
    }

    /// The selected step's command with placeholders filled from the bounce.
    pub fn filled_command(&self, step: &Step) -> Option<String> {
        let template = step.command.as_deref()?;
        let empty_bounce = Bounce::default();
        let empty_record = Record::default();
        let bounce = self.bounce().unwrap_or(&empty_bounce);
        let record = self.record().unwrap_or(&empty_record);
        Some((self.placeholder_filler)(template, bounce, record))
    }

    /// The escalation summary for the current state, as `s` shows and `y` copies it.
    pub fn summary_text(&self) -> String {
        let ctx = SummaryContext {
            ticket: &self.ticket,
            bounce: self.bounce(),
            record: self.ticket.selected_record,
            diagnosis: self.diagnosis(),
            playbook: self.playbook(),
            now: (self.clock)(),
        };
        (self.summary_renderer)(&ctx, SummaryFormat::Text)
    }

    /// Lines a page move covers.
    pub fn page(&self) -> usize {
        usize::from(self.screen.1 / 2).max(1)
    }

    // ----- the update function -----

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

    fn update_panes(&mut self, intent: Intent) -> Vec<Effect> {
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

    fn update_help(&mut self, intent: Intent) -> Vec<Effect> {
        if !matches!(intent, Intent::Close | Intent::ShowHelp) {
            self.overlay = Overlay::Help;
        }
        Vec::new()
    }

    fn update_summary(
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
            Intent::Up => scroll.saturating_sub(1),
            Intent::Down => scroll.saturating_add(1),
            Intent::PageUp => scroll.saturating_sub(self.page()),
            Intent::PageDown => scroll.saturating_add(self.page()),
            Intent::Top => 0,
            Intent::Bottom => last,
            _ => scroll,
        };
        self.overlay = Overlay::Summary {
            text,
            lines,
            scroll: scroll.min(last),
        };
        Vec::new()
    }

    fn update_picker(&mut self, intent: Intent, selected: usize) -> Vec<Effect> {
        let last = self.record_count().saturating_sub(1);
        let selected = match intent {
            Intent::Close | Intent::PickRecord => return Vec::new(),
            Intent::Confirm => return self.choose_record(selected),
            Intent::Up => selected.saturating_sub(1),
            Intent::Down => selected.saturating_add(1),
            Intent::PageUp => selected.saturating_sub(self.page()),
            Intent::PageDown => selected.saturating_add(self.page()),
            Intent::Top => 0,
            Intent::Bottom => last,
            _ => selected,
        };
        self.overlay = Overlay::Picker {
            selected: selected.min(last),
        };
        Vec::new()
    }

    fn update_note(&mut self, intent: Intent, step: usize, mut editor: TextEditor) -> Vec<Effect> {
        match intent {
            Intent::Close => {
                self.set_status(StatusKind::Info, "note not changed");
                return Vec::new();
            }
            Intent::Confirm => return self.save_note(step, editor.into_text()),
            Intent::InsertChar(c) => editor.insert(c),
            Intent::InsertNewline => editor.insert('\n'),
            Intent::DeleteBack => editor.delete_back(),
            Intent::CursorLeft => editor.left(),
            Intent::CursorRight => editor.right(),
            Intent::CursorHome => editor.home(),
            Intent::CursorEnd => editor.end(),
            Intent::ClearLine => editor.clear(),
            _ => {}
        }
        self.overlay = Overlay::Note { step, editor };
        Vec::new()
    }

    fn update_input(&mut self, intent: Intent, mut editor: TextEditor) -> Vec<Effect> {
        match intent {
            Intent::Close | Intent::FinishInput => {
                let text = editor.into_text();
                if text.trim().is_empty() {
                    self.set_status(StatusKind::Info, "input mode closed: nothing was typed");
                    return Vec::new();
                }
                return self.replace_bounce(text);
            }
            Intent::InsertChar(c) => editor.insert(c),
            Intent::InsertNewline | Intent::Confirm => editor.insert('\n'),
            Intent::DeleteBack => editor.delete_back(),
            Intent::CursorLeft => editor.left(),
            Intent::CursorRight => editor.right(),
            Intent::CursorHome => editor.home(),
            Intent::CursorEnd => editor.end(),
            Intent::ClearLine => editor.clear(),
            _ => {}
        }
        self.overlay = Overlay::Input { editor };
        Vec::new()
    }

    // ----- actions -----

    fn paste(&mut self, text: String) -> Vec<Effect> {
        let text = normalize_newlines(text);
        match &mut self.overlay {
            // A paste while writing a note is part of the note.
            Overlay::Note { editor, .. } => {
                editor.insert_str(&text);
                Vec::new()
            }
            // A paste in input mode joins what was typed; Esc/Ctrl-D finishes.
            Overlay::Input { editor } => {
                editor.insert_str(&text);
                Vec::new()
            }
            _ => self.replace_bounce(text),
        }
    }

    /// The pasted text becomes the ticket's bounce: capped, redacted, parsed and classified
    /// once, the previous bounce kept in the history, focus on the checklist.
    fn replace_bounce(&mut self, mut text: String) -> Vec<Effect> {
        if text.trim().is_empty() {
            self.set_status(
                StatusKind::Warning,
                "the paste was empty; the bounce is unchanged",
            );
            return Vec::new();
        }
        let mut notes = Vec::new();
        if text.len() > MAX_KEPT_BYTES {
            let original = text.len();
            let mut cut = MAX_KEPT_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            notes.push(format!(
                "paste cut to the first {} of {}",
                human_bytes(cut),
                human_bytes(original)
            ));
        }
        let (redacted, secrets) = redact::redact(&text);
        drop(text);
        if secrets > 0 {
            notes.push(format!("{secrets} credential(s) redacted"));
        }
        let now = (self.clock)();
        if let Some(previous) = self.ticket.bounce.take()
            && previous != redacted
        {
            self.ticket.history.push(PastBounce {
                text: previous,
                replaced_at: now,
            });
            notes.push("previous bounce kept in the ticket's history".to_string());
        }
        let analysis = Analysis::of(&redacted, &self.classifier);
        self.ticket.bounce = Some(redacted);
        self.ticket.selected_record = 0;
        self.ticket.ui.selected_step = 0;
        self.diagnosis_scroll = 0;
        self.analysis = Some(analysis);
        self.overlay = Overlay::None;
        self.focus = Pane::Checklist;
        self.scroll_to_deciding_line();

        let (text, kind) = self.paste_status(notes);
        self.changed(text, kind)
    }

    /// What the status line says after a paste: the headline, then notes and warnings.
    fn paste_status(&self, notes: Vec<String>) -> (String, StatusKind) {
        let (headline, kind) = self.paste_headline();
        let warnings: Vec<String> = self
            .bounce()
            .map(|b| b.warnings.clone())
            .unwrap_or_default();
        let kind = if warnings.is_empty() || kind == StatusKind::Error {
            kind
        } else {
            StatusKind::Warning
        };
        let mut parts = vec![headline];
        parts.extend(notes);
        parts.extend(warnings);
        (parts.join(" · "), kind)
    }

    fn paste_headline(&self) -> (String, StatusKind) {
        let Some(analysis) = &self.analysis else {
            return ("no bounce".to_string(), StatusKind::Warning);
        };
        match &analysis.parsed {
            Err(e) => (format!("could not parse the paste: {e}"), StatusKind::Error),
            Ok(b) if b.records.is_empty() => (
                "parsed, but found no failed recipient".to_string(),
                StatusKind::Warning,
            ),
            Ok(b) => {
                let title = self
                    .playbook()
                    .map(|p| p.title.clone())
                    .or_else(|| self.diagnosis().map(|d| d.variation.clone()))
                    .unwrap_or_default();
                let n = b.records.len();
                let records = if n == 1 {
                    "1 record".to_string()
                } else {
                    format!("{n} records (r to switch)")
                };
                (format!("parsed {records}: {title}"), StatusKind::Info)
            }
        }
    }

    fn choose_record(&mut self, index: usize) -> Vec<Effect> {
        if index == self.ticket.selected_record {
            return Vec::new();
        }
        self.ticket.selected_record = index.min(self.record_count().saturating_sub(1));
        self.ticket.ui.selected_step = 0;
        self.diagnosis_scroll = 0;
        self.scroll_to_deciding_line();
        let who = self
            .record()
            .and_then(|r| r.recipient.clone())
            .unwrap_or_else(|| format!("record {}", index + 1));
        self.changed(format!("working {who}"), StatusKind::Info)
    }

    fn toggle_step(&mut self) -> Vec<Effect> {
        let Some(variation) = self.diagnosis().map(|d| d.variation.clone()) else {
            self.set_status(StatusKind::Info, "no checklist yet: paste a bounce first");
            return Vec::new();
        };
        let Some(step) = self.selected_step().cloned() else {
            self.set_status(StatusKind::Info, "this variation has no checklist steps");
            return Vec::new();
        };
        let now = (self.clock)();
        let state = self
            .ticket
            .progress
            .entry(variation)
            .or_default()
            .entry(step.id.clone())
            .or_default();
        state.done = !state.done;
        state.done_at = state.done.then_some(now);
        let verb = if state.done { "ticked" } else { "unticked" };
        let (done, total) = self.progress();
        self.changed(
            format!("{verb} “{}” ({done}/{total})", step.title),
            StatusKind::Info,
        )
    }

    fn start_note(&mut self) {
        let Some(step) = self.selected_step() else {
            self.set_status(StatusKind::Info, "no step selected: paste a bounce first");
            return;
        };
        let existing = self
            .step_state(step)
            .and_then(|s| s.note.clone())
            .unwrap_or_default();
        self.overlay = Overlay::Note {
            step: self.ticket.ui.selected_step,
            editor: TextEditor::new(existing),
        };
    }

    fn save_note(&mut self, step_index: usize, text: String) -> Vec<Effect> {
        let (Some(variation), Some(step)) = (
            self.diagnosis().map(|d| d.variation.clone()),
            self.steps().get(step_index).cloned(),
        ) else {
            return Vec::new();
        };
        let trimmed = text.trim();
        let note = (!trimmed.is_empty()).then(|| trimmed.to_string());
        let state = self
            .ticket
            .progress
            .entry(variation)
            .or_default()
            .entry(step.id.clone())
            .or_default();
        if state.note == note {
            self.set_status(StatusKind::Info, "note not changed");
            return Vec::new();
        }
        let verb = if note.is_some() {
            "note saved on"
        } else {
            "note removed from"
        };
        state.note = note;
        self.changed(format!("{verb} “{}”", step.title), StatusKind::Info)
    }

    fn copy_command(&mut self) -> Vec<Effect> {
        let Some(step) = self.selected_step() else {
            self.set_status(StatusKind::Info, "no step selected: paste a bounce first");
            return Vec::new();
        };
        match self.filled_command(step) {
            Some(text) => vec![Effect::Copy {
                what: CopyWhat::Command,
                text,
            }],
            None => {
                self.set_status(StatusKind::Info, "this step has no command to copy");
                Vec::new()
            }
        }
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.overlay = Overlay::None;
        // A brand-new ticket with nothing in it is not worth a file.
        let untouched = !self.resumed
            && self.ticket.bounce.is_none()
            && self.ticket.progress.is_empty()
            && self.save == SaveState::Unchanged;
        if untouched {
            return vec![Effect::Quit];
        }
        self.sync_ui();
        self.save = SaveState::Saving;
        vec![Effect::Save, Effect::Quit]
    }

    /// Record a change worth saving: the status says what happened, and "saved" is added
    /// only when the save reports success.
    fn changed(&mut self, what: String, kind: StatusKind) -> Vec<Effect> {
        self.ticket.updated = (self.clock)();
        self.sync_ui();
        self.save = SaveState::Saving;
        self.set_status(kind, format!("{what} · saving…"));
        self.pending_change = Some(what);
        vec![Effect::Save]
    }

    fn save_finished(&mut self, result: Result<(), String>) {
        let what = self.pending_change.take();
        let kind = after_save(self.status.as_ref().map_or(StatusKind::Info, |s| s.kind));
        match result {
            Ok(()) => {
                self.save = SaveState::Saved;
                if let Some(what) = what {
                    self.set_status(kind, format!("{what} · saved"));
                }
            }
            Err(why) => {
                let head = what.map(|w| format!("{w} · ")).unwrap_or_default();
                self.set_status(
                    StatusKind::Error,
                    format!("{head}NOT SAVED: {why} (kept in memory; retried on the next change)"),
                );
                self.save = SaveState::Failed(why);
            }
        }
    }

    /// Copy the on-screen position into the ticket so a resume opens exactly here.
    fn sync_ui(&mut self) {
        self.ticket.ui.focus = self.focus.name().to_string();
    }

    /// A page in the focused pane: the visible text lines in the Bounce pane, half the
    /// screen elsewhere.
    fn page_for_focus(&self) -> usize {
        match self.focus {
            Pane::Bounce => bounce_text_rows(self),
            _ => self.page(),
        }
    }

    fn move_in_pane(&mut self, by: Move) {
        match self.focus {
            Pane::Bounce => {
                let last = self.last_bounce_scroll();
                self.ticket.ui.bounce_scroll = by.apply(self.ticket.ui.bounce_scroll, last);
            }
            Pane::Diagnosis => {
                // The pane wraps its text, so the exact line count is the view's business;
                // the summary's line count plus the headings bounds it well enough.
                let last = self.playbook().map_or(0, |p| p.summary.lines().count() + 6);
                self.diagnosis_scroll = by.apply(self.diagnosis_scroll, last);
            }
            Pane::Checklist => {
                let last = self.steps().len().saturating_sub(1);
                self.ticket.ui.selected_step = by.apply(self.ticket.ui.selected_step, last);
            }
        }
    }

    /// The last scroll position that still fills the pane.
    fn last_bounce_scroll(&self) -> usize {
        let lines = self.analysis.as_ref().map_or(0, |a| a.text.len());
        lines.saturating_sub(bounce_text_rows(self))
    }

    fn scroll_to_deciding_line(&mut self) {
        let line = self.record().and_then(|r| r.source_line).unwrap_or(0);
        // Put the deciding line a third of the way down, with its context above it.
        let above = bounce_text_rows(self) / 3;
        self.ticket.ui.bounce_scroll = line.saturating_sub(above).min(self.last_bounce_scroll());
    }

    fn clamp_selection(&mut self) {
        let records = self.record_count();
        if self.ticket.selected_record >= records {
            self.ticket.selected_record = 0;
        }
        let steps = self.steps().len();
        if self.ticket.ui.selected_step >= steps {
            self.ticket.ui.selected_step = steps.saturating_sub(1);
        }
        self.ticket.ui.bounce_scroll = self.ticket.ui.bounce_scroll.min(self.last_bounce_scroll());
    }
}

/// A move of the selection or scroll position, clamped to `0..=last`.
#[derive(Debug, Clone, Copy)]
enum Move {
    Back(usize),
    Forward(usize),
    Start,
    End,
}

impl Move {
    fn apply(self, current: usize, last: usize) -> usize {
        match self {
            Move::Back(n) => current.saturating_sub(n),
            Move::Forward(n) => current.saturating_add(n),
            Move::Start => 0,
            Move::End => last,
        }
        .min(last)
    }
}

/// After a successful save the status turns to success, unless it carries a warning or an
/// error the agent still needs to see.
fn after_save(kind: StatusKind) -> StatusKind {
    match kind {
        StatusKind::Warning | StatusKind::Error => kind,
        StatusKind::Info | StatusKind::Success => StatusKind::Success,
    }
}

fn playbook_problems_status(set: &PlaybookSet) -> Option<Status> {
    let first = set.problems.first()?;
    let more = match set.problems.len() {
        1 => String::new(),
        n => format!(" (and {} more; see ? help)", n - 1),
    };
    Some(Status {
        kind: StatusKind::Warning,
        text: format!("playbook skipped: {first}{more}"),
    })
}

/// Terminals (and tmux) send a pasted newline as CR; files may use CRLF. Lines are LF here.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub fn human_bytes(n: usize) -> String {
    const KIB: f64 = 1024.0;
    let n = n as f64;
    if n < KIB {
        format!("{n} B")
    } else if n < KIB * KIB {
        format!("{:.0} KB", n / KIB)
    } else {
        format!("{:.1} MB", n / (KIB * KIB))
    }
}
