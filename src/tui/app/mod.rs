//! The app's state and the one function that changes it: [`App::update`]. No terminal, no
//! files, no clipboard here: side effects are returned as [`Effect`] values for the event
//! loop to perform, and their results come back as intents. That keeps every screen
//! reachable from a test with plain values.

mod actions;
mod auth_test;
mod update;

pub use auth_test::{AuthPrompt, AuthSecret, MaskedField};

use chrono::{DateTime, Utc};

use crate::bounce::{Bounce, Record};
use crate::cause::{self, Cause};
use crate::classify::{Classifier, Diagnosis};
use crate::playbook::{self, Playbook, PlaybookSet, Step};
use crate::summary::{self, SummaryContext, SummaryFormat};
use crate::ticket::{StepState, Ticket};

use super::analysis::{Analysis, DisplayText};
use super::editor::TextEditor;
use super::theme::Theme;
use super::view::ScreenLayout;

/// Pastes beyond this many bytes are cut (and the agent told): the parser reads at most
/// its own limit anyway, and the ticket file is rewritten on every tick.
pub const MAX_KEPT_BYTES: usize = crate::bounce::MAX_PARSE_BYTES;

/// What the app takes from outside its own state: the time, and the wording of the
/// summary and of step commands, which the core owns. The event loop passes a clock
/// (`Box::new(Utc::now)`: any clock is a `Services` with the core's wording); tests
/// implement the trait to pin the time and keep screen snapshots independent of wording
/// that is developed and tested elsewhere.
pub trait Services {
    fn now(&self) -> DateTime<Utc>;

    /// The escalation summary, as `s` shows and `y` copies it.
    fn summary(&self, ctx: &SummaryContext<'_>, format: SummaryFormat) -> String {
        summary::render(ctx, format)
    }

    /// A step's command with its `{placeholders}` filled.
    fn fill_placeholders(&self, template: &str, bounce: &Bounce, record: &Record) -> String {
        playbook::fill_placeholders(template, bounce, record)
    }
}

impl<F: Fn() -> DateTime<Utc>> Services for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}

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
    /// The escalation summary: `text` exactly as `y` copies it, `lines` its display lines,
    /// made safe and split once (the summary holds the whole bounce, so it can be megabytes).
    Summary {
        text: String,
        lines: DisplayText,
        scroll: usize,
    },
    /// Choosing which record (recipient) to work.
    Picker {
        selected: usize,
    },
    /// `v`: choosing the selected record's cause by hand; `selected` indexes
    /// [`App::cause_choices`].
    CausePicker {
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
    /// The live checks of the selected record (`d`), scrolled to line `scroll`.
    Checks {
        scroll: usize,
    },
    /// `a` in the Checks view: the AUTH test's user name and masked password.
    AuthTest {
        prompt: AuthPrompt,
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
    /// The Bounce pane should show the deciding line once the screen is laid out again.
    scroll_to_decider: bool,
    pub diagnosis_scroll: usize,
    /// Terminal size, for page-sized moves.
    pub screen: (u16, u16),
    /// Where things go at that size, for the current state: computed by `update` once per
    /// intent, drawn into by the view.
    pub layout: ScreenLayout,
    pub theme: Theme,
    services: Box<dyn Services>,
    /// The record whose live checks are running in the background, if any.
    pub checks_running: Option<usize>,
}

impl App {
    pub fn new(ticket: Ticket, playbooks: PlaybookSet, services: impl Services + 'static) -> App {
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
            scroll_to_decider: false,
            diagnosis_scroll: 0,
            screen: (80, 24),
            layout: ScreenLayout::default(),
            theme: Theme::from_env(),
            services: Box::new(services),
            checks_running: None,
        };
        app.clamp_selection();
        app.settle();
        app
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
        self.settle();
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

    /// The ticket's bounce as kept (redacted); the analysis' display lines index it.
    pub fn bounce_text(&self) -> &str {
        self.ticket.bounce.as_deref().unwrap_or_default()
    }

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

    /// The cause in force for the selected record: the classifier's, or the one the agent
    /// set with `v` (then marked as the agent's).
    pub fn cause(&self) -> Option<Cause<'_>> {
        let index = self.ticket.selected_record;
        let record = self.record()?;
        let diagnosis = self.diagnosis()?;
        Some(cause::cause_of(&self.ticket, index, record, diagnosis))
    }

    /// The variation whose checklist is worked: the cause in force.
    pub fn variation(&self) -> Option<&str> {
        self.cause().map(|c| c.variation)
    }

    /// What `v` offers: every playbook in force, in the set's order (id, title).
    pub fn cause_choices(&self) -> Vec<(&str, &str)> {
        self.playbooks
            .playbooks
            .iter()
            .map(|(p, _)| (p.id.as_str(), p.title.as_str()))
            .collect()
    }

    pub fn playbook(&self) -> Option<&Playbook> {
        self.variation().and_then(|v| self.playbooks.get(v))
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

    /// The key the selected record's ticks and notes are saved under.
    pub fn record_key(&self) -> String {
        crate::ticket::record_key(
            self.ticket.selected_record,
            self.record().and_then(|r| r.recipient.as_deref()),
        )
    }

    pub fn step_state(&self, step: &Step) -> Option<&StepState> {
        let variation = self.variation()?;
        self.ticket
            .record_steps(&self.record_key(), variation)?
            .get(&step.id)
    }

    /// The saved state of step `step_id` in the selected record's `variation` checklist,
    /// made empty on first use.
    fn step_state_mut(&mut self, variation: String, step_id: &str) -> &mut StepState {
        let key = self.record_key();
        self.ticket.record_step_mut(&key, &variation, step_id)
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
        Some(self.services.fill_placeholders(template, bounce, record))
    }

    /// A command template filled for the selected record, with the agent's typed values,
    /// and which placeholders had no safe value.
    pub fn filled(&self, template: &str) -> crate::playbook::Filled {
        let empty_bounce = Bounce::default();
        let empty_record = Record::default();
        let bounce = self.bounce().unwrap_or(&empty_bounce);
        let record = self.record().unwrap_or(&empty_record);
        crate::playbook::Situation::new(bounce, record, &self.ticket.values).fill_command(template)
    }

    /// Whether a step applies to the selected record's situation.
    pub fn applicability(&self, step: &Step) -> crate::playbook::Applicability {
        let empty_bounce = Bounce::default();
        let empty_record = Record::default();
        let bounce = self.bounce().unwrap_or(&empty_bounce);
        let record = self.record().unwrap_or(&empty_record);
        crate::playbook::Situation::new(bounce, record, &self.ticket.values)
            .applies(step.when.as_ref())
    }

    /// The customer reply for the selected record (redacted, made safe to paste), if its
    /// cause has one.
    pub fn reply_text(&self) -> Option<String> {
        let template = self.playbook()?.reply.as_deref()?;
        let bounce = self.bounce()?;
        let record = self.record()?;
        let text = crate::playbook::Situation::new(bounce, record, &self.ticket.values)
            .fill_text(template);
        let (redacted, _) = crate::redact::redact(&text);
        Some(crate::sanitize::for_display(&redacted))
    }

    /// The escalation summary for the current state, as `s` shows and `y` copies it.
    pub fn summary_text(&self) -> String {
        let ctx = SummaryContext {
            ticket: &self.ticket,
            bounce: self.bounce(),
            record: self.ticket.selected_record,
            diagnosis: self.diagnosis(),
            playbook: self.playbook(),
            now: self.now(),
            diagnoses: self
                .analysis
                .as_ref()
                .map_or(&[], |a| a.diagnoses.as_slice()),
            playbooks: Some(&self.playbooks),
            include_reply: false,
        };
        self.services.summary(&ctx, SummaryFormat::Text)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.services.now()
    }

    /// Lines a page move covers.
    pub fn page(&self) -> usize {
        usize::from(self.screen.1 / 2).max(1)
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
