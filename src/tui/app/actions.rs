//! What the intents do: paste, tick, note, copy, pick, quit, move; and the bookkeeping
//! that turns a change into a save request and its result into the status line.

use std::collections::BTreeMap;

use super::{App, MAX_KEPT_BYTES, Overlay, Pane, PendingPaste, SaveState, StatusKind, human_bytes};
use crate::cause;
use crate::redact;
use crate::ticket::{PastBounce, StepState};

/// Ticks and notes by record key, variation and step, as [`crate::ticket::Ticket::records`].
type WorkByRecord = BTreeMap<String, BTreeMap<String, BTreeMap<String, StepState>>>;

/// A non-bounce paste kept as a note is cut to this: a note is read, not searched.
const MAX_NOTE_PASTE_BYTES: usize = 4096;
use crate::tui::analysis::Analysis;
use crate::tui::editor::TextEditor;
use crate::tui::intent::{CopyWhat, Effect};
use crate::tui::view::ScreenLayout;
use ratatui::layout::Rect;

impl App {
    pub(super) fn paste(&mut self, text: String) -> Vec<Effect> {
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

    /// The pasted text, offered as the ticket's bounce: capped, redacted, parsed and
    /// classified once. Text that is not a bounce never replaces one (it is offered as a
    /// note); a different bounce on a ticket with work asks whether to keep that work.
    pub(super) fn replace_bounce(&mut self, text: String) -> Vec<Effect> {
        if text.trim().is_empty() {
            self.set_status(
                StatusKind::Warning,
                "the paste was empty; the bounce is unchanged",
            );
            return Vec::new();
        }
        if self.layout.panes.is_none() {
            self.pasted_while_small = true;
        }
        let pending = self.prepare_paste(text);
        let not_a_bounce = match &pending.analysis.parsed {
            Err(e) => Some(format!("it could not be read as a bounce ({e})")),
            Ok(b) if b.records.is_empty() => Some("no failed recipient was found in it".into()),
            Ok(_) => None,
        };
        if let Some(why) = not_a_bounce
            && self.ticket.bounce.is_some()
        {
            let lines = pending.text.lines().count();
            self.pending_paste = Some(pending);
            self.set_status(
                StatusKind::Warning,
                format!(
                    "the paste ({lines} line(s)) is not a bounce: {why}; the ticket's bounce is unchanged"
                ),
            );
            self.overlay = Overlay::NotABounce { why };
            return Vec::new();
        }
        let different = self
            .ticket
            .bounce
            .as_deref()
            .is_some_and(|b| b != pending.text);
        if different && self.ticket.has_work() {
            let records = pending.analysis.records().len();
            self.pending_paste = Some(pending);
            self.overlay = Overlay::ReplaceBounce { records };
            self.set_status(
                StatusKind::Info,
                "a different bounce: keep the ticks and notes (Enter), or clear them (c)?",
            );
            return Vec::new();
        }
        self.take_paste(pending, false)
    }

    /// Cut, redact and parse a paste once.
    fn prepare_paste(&self, mut text: String) -> PendingPaste {
        let mut notes = Vec::new();
        if text.len() > MAX_KEPT_BYTES {
            let original = text.len();
            let cut = text.floor_char_boundary(MAX_KEPT_BYTES);
            text.truncate(cut);
            notes.push(format!(
                "paste cut to the first {} of {}",
                human_bytes(cut),
                human_bytes(original)
            ));
        }
        let (redacted, secrets) = redact::redact_owned(text);
        if secrets > 0 {
            notes.push(format!("{secrets} credential(s) redacted"));
        }
        let analysis = Analysis::of(&redacted, &self.classifier);
        PendingPaste {
            text: redacted,
            analysis,
            notes,
        }
    }

    /// The prepared paste becomes the ticket's bounce, the previous one kept in the
    /// history (with the ticks and notes when the agent chose to clear them), focus on the
    /// checklist.
    pub(super) fn take_paste(&mut self, pending: PendingPaste, clear_work: bool) -> Vec<Effect> {
        let PendingPaste {
            text: redacted,
            analysis,
            mut notes,
        } = pending;
        let now = self.now();
        if let Some(previous) = self.ticket.bounce.take()
            && previous != redacted
        {
            let records = if clear_work {
                self.take_work()
            } else {
                BTreeMap::new()
            };
            self.ticket.history.push(PastBounce {
                text: previous,
                replaced_at: now,
                records,
            });
            notes.push(if clear_work {
                "ticks and notes cleared, kept with the previous bounce in the history (h)"
                    .to_string()
            } else {
                "previous bounce kept in the ticket's history (h)".to_string()
            });
        }
        self.install_bounce(redacted, analysis);
        let (text, kind) = self.paste_status(notes);
        self.changed(text, kind)
    }

    /// Make `text` (already redacted, `analysis` its parse) the ticket's bounce, on its
    /// first record and step.
    fn install_bounce(&mut self, text: String, analysis: Analysis) {
        self.ticket.bounce = Some(text);
        self.ticket.selected_record = 0;
        self.ticket.ui.selected_step = 0;
        self.diagnosis_scroll = 0;
        self.bounce_hscroll = 0;
        self.analysis = Some(analysis);
        self.overlay = Overlay::None;
        self.pending_paste = None;
        self.focus = Pane::Checklist;
        self.scroll_to_deciding_line();
    }

    /// Every tick and note off the live checklist, in the history's shape; an older
    /// ticket's shared store goes under the key "" (no record key is empty).
    fn take_work(&mut self) -> WorkByRecord {
        let mut work = std::mem::take(&mut self.ticket.records);
        let legacy = std::mem::take(&mut self.ticket.progress);
        if !legacy.is_empty() {
            work.insert(String::new(), legacy);
        }
        work
    }

    /// `h`: the earlier bounces, newest first.
    pub(super) fn start_history(&mut self) {
        if self.ticket.history.is_empty() {
            self.set_status(
                StatusKind::Info,
                "no earlier bounce on this ticket: a re-paste keeps the one it replaces here",
            );
            return;
        }
        self.overlay = Overlay::History {
            selected: 0,
            rows: self.history_rows(),
        };
    }

    /// Switch back to history entry `newest_first` (0 = the latest replaced): it becomes
    /// the bounce, the current one goes into the history, work kept with it comes back
    /// (never over a tick or note made since).
    pub(super) fn restore_history(&mut self, newest_first: usize) -> Vec<Effect> {
        let len = self.ticket.history.len();
        if newest_first >= len {
            return Vec::new();
        }
        let past = self.ticket.history.remove(len - 1 - newest_first);
        let now = self.now();
        if let Some(current) = self.ticket.bounce.take() {
            self.ticket.history.push(PastBounce {
                text: current,
                replaced_at: now,
                records: BTreeMap::new(),
            });
        }
        let mut restored = 0;
        for (key, by_variation) in past.records {
            let target = if key.is_empty() {
                &mut self.ticket.progress
            } else {
                self.ticket.records.entry(key).or_default()
            };
            for (variation, steps) in by_variation {
                let into = target.entry(variation).or_default();
                for (step, state) in steps {
                    if let std::collections::btree_map::Entry::Vacant(slot) = into.entry(step) {
                        restored += usize::from(state.done || state.note.is_some());
                        slot.insert(state);
                    }
                }
            }
        }
        let analysis = Analysis::of(&past.text, &self.classifier);
        self.install_bounce(past.text, analysis);
        let mut notes = vec![format!(
            "switched back to the bounce replaced {}; the one before kept in the history",
            past.replaced_at.format("%Y-%m-%d %H:%M UTC")
        )];
        if restored > 0 {
            notes.push(format!("{restored} tick(s)/note(s) kept with it are back"));
        }
        let (text, kind) = self.paste_status(notes);
        self.changed(text, kind)
    }

    /// `n` on text that is not a bounce: it goes onto the selected step's note (redacted
    /// already, cut to a readable size), after what the note held.
    pub(super) fn keep_paste_as_note(&mut self) -> Vec<Effect> {
        let Some(pending) = self.pending_paste.take() else {
            return Vec::new();
        };
        let (Some(variation), Some(step)) = (
            self.variation().map(str::to_string),
            self.selected_step().cloned(),
        ) else {
            self.set_status(
                StatusKind::Warning,
                "no step to keep it on (this record has no checklist); the paste was dropped",
            );
            return Vec::new();
        };
        let mut text = pending.text.trim().to_string();
        if text.len() > MAX_NOTE_PASTE_BYTES {
            let cut = text.floor_char_boundary(MAX_NOTE_PASTE_BYTES);
            let more = text.len() - cut;
            text.truncate(cut);
            text.push_str(&format!(" … ({more} bytes more not kept)"));
        }
        let state = self.step_state_mut(variation, &step.id);
        let note = match state.note.take() {
            Some(old) => format!("{old}\n{text}"),
            None => text,
        };
        state.note = Some(note);
        let mut what = format!("the paste kept as a note on “{}”", step.title);
        for n in pending.notes {
            what.push_str(&format!(" · {n}"));
        }
        self.changed(what, StatusKind::Info)
    }

    /// What the status line says after a paste: the headline, then notes and warnings.
    pub(super) fn paste_status(&self, notes: Vec<String>) -> (String, StatusKind) {
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

    pub(super) fn paste_headline(&self) -> (String, StatusKind) {
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
                    .or_else(|| self.variation().map(str::to_string))
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

    pub(super) fn choose_record(&mut self, index: usize) -> Vec<Effect> {
        if index == self.ticket.selected_record {
            return Vec::new();
        }
        self.ticket.selected_record = index.min(self.record_count().saturating_sub(1));
        self.ticket.ui.selected_step = 0;
        self.diagnosis_scroll = 0;
        self.bounce_hscroll = 0;
        self.scroll_to_deciding_line();
        let who = self
            .record()
            .and_then(|r| r.recipient.clone())
            .unwrap_or_else(|| format!("record {}", index + 1));
        self.changed(format!("working {who}"), StatusKind::Info)
    }

    /// `v`: the list of causes, on the one in force.
    pub(super) fn start_cause_picker(&mut self) {
        let Some(current) = self.variation().map(str::to_string) else {
            self.set_status(
                StatusKind::Info,
                "no record to set a cause for: paste a bounce first",
            );
            return;
        };
        let selected = self
            .cause_choices()
            .iter()
            .position(|(id, _)| *id == current)
            .unwrap_or(0);
        self.overlay = Overlay::CausePicker { selected };
    }

    /// The agent chose choice `index` as the selected record's cause. The classifier's own
    /// cause clears the agent's mark. The old checklist's ticks stay in the ticket (under
    /// their cause) and the summary lists them as work on the earlier cause.
    pub(super) fn choose_cause(&mut self, index: usize) -> Vec<Effect> {
        let Some(chosen) = self
            .cause_choices()
            .get(index)
            .map(|(id, title)| (id.to_string(), title.to_string()))
        else {
            return Vec::new();
        };
        let (Some(record), Some(diagnosis)) = (self.record(), self.diagnosis()) else {
            return Vec::new();
        };
        let reference = cause::record_ref(self.ticket.selected_record, record);
        let stage = record.stage.map(|s| s.as_str());
        let (classified, confidence) = (diagnosis.variation.clone(), diagnosis.confidence);
        let now = self.now();
        let changed = self.ticket.set_cause_at_stage(
            &reference,
            stage,
            &classified,
            confidence,
            &chosen.0,
            now,
        );
        if !changed {
            self.set_status(StatusKind::Info, format!("cause unchanged: {}", chosen.1));
            return Vec::new();
        }
        self.ticket.ui.selected_step = 0;
        self.diagnosis_scroll = 0;
        let what = if chosen.0 == classified {
            format!("cause back to bouncebook's: {}", chosen.1)
        } else {
            format!(
                "cause set by the agent: {} (bouncebook said {classified} at {})",
                chosen.1,
                cause::percent(confidence)
            )
        };
        self.changed(what, StatusKind::Info)
    }

    pub(super) fn toggle_step(&mut self) -> Vec<Effect> {
        let Some(variation) = self.variation().map(str::to_string) else {
            self.set_status(StatusKind::Info, "no checklist yet: paste a bounce first");
            return Vec::new();
        };
        let Some(step) = self.selected_step().cloned() else {
            self.set_status(StatusKind::Info, "this variation has no checklist steps");
            return Vec::new();
        };
        let now = self.now();
        let state = self.step_state_mut(variation, &step.id);
        state.done = !state.done;
        state.done_at = state.done.then_some(now);
        let verb = if state.done { "ticked" } else { "unticked" };
        let (done, total) = self.progress();
        self.changed(
            format!("{verb} “{}” ({done}/{total})", step.title),
            StatusKind::Info,
        )
    }

    pub(super) fn start_note(&mut self) {
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

    pub(super) fn save_note(&mut self, step_index: usize, text: String) -> Vec<Effect> {
        let (Some(variation), Some(step)) = (
            self.variation().map(str::to_string),
            self.steps().get(step_index).cloned(),
        ) else {
            return Vec::new();
        };
        // Redacted before it is stored: an agent pasting a config line into a note must not
        // put the password in the ticket file.
        let (redacted, secrets) = redact::redact(text.trim());
        let trimmed = redacted.trim();
        let note = (!trimmed.is_empty()).then(|| trimmed.to_string());
        let state = self.step_state_mut(variation, &step.id);
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
        let redacted = if secrets > 0 {
            format!(" ({secrets} credential(s) redacted)")
        } else {
            String::new()
        };
        self.changed(
            format!("{verb} “{}”{redacted}", step.title),
            StatusKind::Info,
        )
    }

    pub(super) fn copy_command(&mut self) -> Vec<Effect> {
        let Some(step) = self.selected_step() else {
            self.set_status(StatusKind::Info, "no step selected: paste a bounce first");
            return Vec::new();
        };
        let Some(template) = step.command.clone() else {
            self.set_status(StatusKind::Info, "this step has no command to copy");
            return Vec::new();
        };
        let filled = self.filled(&template);
        if !filled.missing.is_empty() {
            // A command with RECIPIENT in it is not what the agent meant to run: say what is
            // missing and leave the clipboard alone.
            let names: Vec<String> = filled
                .missing
                .iter()
                .map(|n| n.to_ascii_uppercase())
                .collect();
            let why: Vec<&str> = filled
                .missing
                .iter()
                .filter_map(|n| crate::playbook::PLACEHOLDERS.iter().find(|p| p.name == *n))
                .map(|p| p.description)
                .collect();
            self.set_status(
                StatusKind::Warning,
                format!(
                    "not copied: the command needs {} ({}), which the bounce does not give safely; the clipboard is unchanged",
                    names.join(", "),
                    why.join("; ")
                ),
            );
            return Vec::new();
        }
        vec![Effect::Copy {
            what: CopyWhat::Command,
            text: filled.text,
        }]
    }

    /// `m`: the customer reply of the selected record's cause, filled from the bounce.
    pub(super) fn copy_reply(&mut self) -> Vec<Effect> {
        let reply = self.reply_text();
        match reply {
            Some(text) => vec![Effect::Copy {
                what: CopyWhat::Reply,
                text,
            }],
            None => {
                let why = if self.record().is_none() {
                    "paste a bounce first"
                } else {
                    "this cause's playbook has no reply text"
                };
                self.set_status(
                    StatusKind::Info,
                    format!("no customer reply to copy: {why} (the clipboard is unchanged)"),
                );
                Vec::new()
            }
        }
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        self.overlay = Overlay::None;
        // A brand-new ticket with nothing in it is not worth a file.
        let untouched = !self.resumed
            && self.ticket.bounce.is_none()
            && !self.ticket.has_work()
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
    pub(super) fn changed(&mut self, what: String, kind: StatusKind) -> Vec<Effect> {
        self.ticket.updated = self.now();
        self.sync_ui();
        self.save = SaveState::Saving;
        self.set_status(kind, format!("{what} · saving…"));
        self.pending_change = Some(what);
        vec![Effect::Save]
    }

    pub(super) fn save_finished(&mut self, result: Result<(), String>) {
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
                // What matters first, so that a narrow status line still says it.
                let tail = what.map(|w| format!(" · {w}")).unwrap_or_default();
                self.set_status(
                    StatusKind::Error,
                    format!("NOT SAVED: {why}; kept in memory, retried on the next change{tail}"),
                );
                self.save = SaveState::Failed(why);
            }
        }
    }

    /// Copy the on-screen position into the ticket so a resume opens exactly here.
    pub(super) fn sync_ui(&mut self) {
        self.ticket.ui.focus = self.focus.name().to_string();
    }

    /// A page in the focused pane: the visible text lines in the Bounce pane, half the
    /// screen elsewhere.
    pub(super) fn page_for_focus(&self) -> usize {
        match self.focus {
            Pane::Bounce => self.layout.bounce_text_rows(),
            _ => self.page(),
        }
    }

    pub(super) fn move_in_pane(&mut self, by: Move) {
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
    pub(super) fn last_bounce_scroll(&self) -> usize {
        let lines = self.analysis.as_ref().map_or(0, |a| a.text.len());
        lines.saturating_sub(self.layout.bounce_text_rows())
    }

    /// Ask for the deciding line to be brought into view once the screen is laid out for
    /// the new bounce or record (see [`App::settle`]).
    pub(super) fn scroll_to_deciding_line(&mut self) {
        self.scroll_to_decider = true;
    }

    /// After every change: lay the screen out once for the new state, then bring the
    /// Bounce pane's scroll in line with it (the deciding line in view when asked for,
    /// never past the last screenful).
    pub(super) fn settle(&mut self) {
        let (width, height) = self.screen;
        self.layout = ScreenLayout::new(self, Rect::new(0, 0, width, height));
        if std::mem::take(&mut self.scroll_to_decider) {
            let line = self.record().and_then(|r| r.source_line).unwrap_or(0);
            // Put the deciding line a third of the way down, with its context above it.
            let above = self.layout.bounce_text_rows() / 3;
            self.ticket.ui.bounce_scroll = line.saturating_sub(above);
        }
        self.ticket.ui.bounce_scroll = self.ticket.ui.bounce_scroll.min(self.last_bounce_scroll());
    }

    pub(super) fn clamp_selection(&mut self) {
        let records = self.record_count();
        if self.ticket.selected_record >= records {
            self.ticket.selected_record = 0;
        }
        let steps = self.steps().len();
        if self.ticket.ui.selected_step >= steps {
            self.ticket.ui.selected_step = steps.saturating_sub(1);
        }
    }
}

/// A move of the selection or scroll position, clamped to `0..=last`.
#[derive(Debug, Clone, Copy)]
pub(super) enum Move {
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
pub(super) fn after_save(kind: StatusKind) -> StatusKind {
    match kind {
        StatusKind::Warning | StatusKind::Error => kind,
        StatusKind::Info | StatusKind::Success => StatusKind::Success,
    }
}

/// Terminals (and tmux) send a pasted newline as CR, and a CRLF text as CR CR; files may use
/// CRLF. Lines are LF here, by the parser's own rules, so the kept text is what was parsed.
/// In place: a 5 MB paste is not held twice.
pub(super) fn normalize_newlines(text: String) -> String {
    crate::bounce::normalise_line_breaks_owned(text)
}

// ----- live checks (`d`) -----

impl App {
    /// `d`: open the checks view; the first time for a record, start its checks.
    pub(super) fn show_checks(&mut self) -> Vec<Effect> {
        if self.record().is_none() {
            self.set_status(StatusKind::Info, "no record to check: paste a bounce first");
            return Vec::new();
        }
        self.overlay = Overlay::Checks { scroll: 0 };
        let record = self.ticket.selected_record;
        if self.ticket.checks_for(record).is_some() || self.checks_running == Some(record) {
            return Vec::new();
        }
        self.rerun_checks()
    }

    pub(super) fn rerun_checks(&mut self) -> Vec<Effect> {
        if self.record().is_none() {
            return Vec::new();
        }
        let record = self.ticket.selected_record;
        self.checks_running = Some(record);
        self.set_status(StatusKind::Info, "live checks starting…");
        vec![Effect::StartChecks { record }]
    }

    pub(super) fn checks_started(
        &mut self,
        record: usize,
        started: chrono::DateTime<chrono::Utc>,
        host: String,
        resolver: String,
        planned: usize,
    ) -> Vec<Effect> {
        self.ticket.checks.retain(|r| r.record != record);
        self.ticket.checks.push(crate::checks::CheckRun {
            record,
            started,
            host,
            resolver,
            results: Vec::new(),
            planned,
        });
        self.checks_running = Some(record);
        if planned == 0 {
            self.set_status(
                StatusKind::Info,
                "nothing to check: the record names no domain and the bounce no sending IP",
            );
        } else {
            self.set_status(StatusKind::Info, format!("live checks: {planned} running…"));
        }
        Vec::new()
    }

    pub(super) fn check_landed(&mut self, record: usize, result: crate::checks::CheckResult) {
        if let Some(run) = self.ticket.checks.iter_mut().find(|r| r.record == record) {
            run.results.push(result);
        }
    }

    pub(super) fn checks_finished(&mut self, record: usize) -> Vec<Effect> {
        if self.checks_running == Some(record) {
            self.checks_running = None;
        }
        let Some(run) = self.ticket.checks_for(record) else {
            return Vec::new();
        };
        let count = |s: crate::checks::Status| run.results.iter().filter(|r| r.status == s).count();
        use crate::checks::Status as S;
        let what = format!(
            "live checks done: {} ok, {} warn, {} fail, {} error",
            count(S::Ok),
            count(S::Warn),
            count(S::Fail),
            count(S::Error)
        );
        let kind = if count(S::Fail) > 0 {
            StatusKind::Warning
        } else {
            StatusKind::Info
        };
        self.changed(what, kind)
    }
}

// ----- the agent's values (`e`) -----

/// What became of a typed value.
pub(super) enum ValueOutcome {
    /// Saved (or cleared): these effects.
    Saved(Vec<Effect>),
    /// Refused: keep the editor open with the text, the status says why.
    Refused,
}

/// Typed values longer than this are refused: a host, an address or an id is never longer.
const MAX_VALUE_CHARS: usize = 320;

impl App {
    /// `e`: the list of facts and placeholders, on the one the selected step lacks.
    pub(super) fn start_values(&mut self) {
        self.overlay = Overlay::Values {
            selected: self.first_value_to_type(),
            editor: None,
        };
    }

    /// The agent typed `typed` for value `name`: an empty text clears the agent's value (the
    /// bounce's is used again). A fact must be one of its values; a placeholder must be
    /// safe to paste into a shell, as the bounce's own values are.
    pub(super) fn set_value(&mut self, name: &str, typed: &str) -> ValueOutcome {
        use crate::playbook::situation::{fact_def, normalise_fact, record_value_key};
        let typed = typed.trim();
        // On a bounce with several records, a recipient's own values stay with it.
        let scoped = (self.record_count() > 1)
            .then(|| record_value_key(self.record().and_then(|r| r.recipient.as_deref()), name))
            .flatten();
        let key = scoped.clone().unwrap_or_else(|| name.to_string());
        let scope = if scoped.is_some() {
            " for this record only"
        } else {
            ""
        };
        if typed.is_empty() {
            // This record's own value, else the ticket-wide one.
            let removed = self.ticket.values.remove(&key).is_some()
                || self.ticket.values.remove(name).is_some();
            if !removed {
                self.set_status(
                    StatusKind::Info,
                    format!("{name}: no value of yours to clear"),
                );
                return ValueOutcome::Saved(Vec::new());
            }
            let back = self
                .value_rows()
                .into_iter()
                .find(|r| r.name == name)
                .and_then(|r| r.value)
                .map_or_else(
                    || "the bounce does not give one".to_string(),
                    |v| format!("the bounce's {v}"),
                );
            return ValueOutcome::Saved(self.changed(
                format!("{name}: your value cleared ({back})"),
                StatusKind::Info,
            ));
        }
        let value = if let Some(def) = fact_def(name) {
            match normalise_fact(name, typed) {
                Some(v) => v.to_string(),
                None => {
                    self.set_status(
                        StatusKind::Warning,
                        format!("not saved: {name} is one of {}", def.values.join(", ")),
                    );
                    return ValueOutcome::Refused;
                }
            }
        } else {
            if typed.chars().count() > MAX_VALUE_CHARS
                || crate::playbook::placeholders::shell_value(typed).is_none()
            {
                self.set_status(
                    StatusKind::Warning,
                    format!(
                        "not saved: {name} may hold letters, digits and . @ _ + - = % : only (it goes into shell commands)"
                    ),
                );
                return ValueOutcome::Refused;
            }
            typed.to_string()
        };
        if self.ticket.values.get(&key) == Some(&value) {
            self.set_status(StatusKind::Info, format!("{name} unchanged: {value}"));
            return ValueOutcome::Saved(Vec::new());
        }
        let warning = (name == "submission_host")
            .then(|| self.not_their_server(&value))
            .flatten();
        self.ticket.values.insert(key, value.clone());
        let (what, kind) = match warning {
            Some(w) => (format!("{name} set to {value} · {w}"), StatusKind::Warning),
            None => (
                format!("{name} set to {value}{scope} (used in commands, reply and summary)"),
                StatusKind::Info,
            ),
        };
        ValueOutcome::Saved(self.changed(what, kind))
    }

    /// A submission host that is the server that refused a remote delivery, or the
    /// recipient's domain, is a stranger's: an AUTH test there hands it the password.
    fn not_their_server(&self, host: &str) -> Option<String> {
        let record = self.record()?;
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let remote_refused = self
            .bounce()
            .and_then(|b| b.facts.refused_by)
            .is_some_and(|r| r == crate::bounce::facts::RefusedBy::Remote);
        let refusing = record
            .remote_host
            .as_deref()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase());
        let domain = record
            .recipient
            .as_deref()
            .and_then(|r| r.rsplit_once('@'))
            .map(|(_, d)| d.trim_end_matches(['>', '.']).to_ascii_lowercase());
        let sender_domain = self
            .bounce()
            .and_then(|b| b.sender.as_deref())
            .and_then(|s| s.rsplit_once('@'))
            .map(|(_, d)| d.trim_end_matches(['>', '.']).to_ascii_lowercase());
        let same_as_refusing = remote_refused && refusing.as_deref() == Some(host.as_str());
        // Mail to the customer's own domain says nothing about whose server this is.
        let in_recipient_domain = domain.as_deref().is_some_and(|d| {
            sender_domain.as_deref() != Some(d) && (host == d || host.ends_with(&format!(".{d}")))
        });
        (same_as_refusing || in_recipient_domain).then(|| {
            "CAREFUL: that is the recipient's side, not the customer's own server; an AUTH test there sends the customer's password to a stranger".to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_newlines;

    #[test]
    fn newlines_are_normalised_like_the_parser_reads_them() {
        for (text, expected) in [
            ("", ""),
            ("a", "a"),
            ("\r", "\n"),
            ("\n", "\n"),
            ("\r\n", "\n"),
            ("\n\r", "\n\n"),
            ("\r\r\n", "\n"),
            ("a\rb\r\nc\nd\r", "a\nb\nc\nd\n"),
            // A CRLF text pasted through a terminal: each CR CR is one break.
            ("é\r\r€\r\r😀\r\r\r\rx", "é\n€\n😀\n\nx"),
        ] {
            assert_eq!(normalize_newlines(text.to_string()), expected, "{text:?}");
        }
    }
}
