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
use crate::playbook::{Playbook, PlaybookSet, Step};
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
/// summary, which the core owns. The event loop passes a clock
/// (`Box::new(Utc::now)`: any clock is a `Services` with the core's wording); tests
/// implement the trait to pin the time and keep screen snapshots independent of wording
/// that is developed and tested elsewhere. Commands are filled by the core's
/// [`crate::playbook::Situation`] with the agent's typed values, so the screen shows exactly what
/// `c` copies.
pub trait Services {
    fn now(&self) -> DateTime<Utc>;

    /// The escalation summary, as `s` shows and `y` copies it.
    fn summary(&self, ctx: &SummaryContext<'_>, format: SummaryFormat) -> String {
        summary::render(ctx, format)
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
    /// `e`: the facts and placeholder values in force; `selected` indexes
    /// [`App::value_rows`]; `editor` holds the value being typed, when one is.
    Values {
        selected: usize,
        editor: Option<TextEditor>,
    },
    /// `h`: the ticket's earlier bounces, newest first; `selected` indexes
    /// [`App::history_rows`], newest first.
    History {
        selected: usize,
        /// Made when `h` opened it (parsing each earlier bounce once, not per frame).
        rows: Vec<HistoryRow>,
    },
    /// A different bounce was pasted on a ticket with ticks or notes: keep them or clear
    /// them (Esc: the paste is dropped, nothing changes). The paste waits in
    /// [`App::pending_paste`].
    ReplaceBounce {
        records: usize,
    },
    /// Text that is not a bounce arrived (paste, `p`, input mode): it never replaces the
    /// ticket's bounce. `n` keeps it as a note on the selected step; Esc drops it. The text
    /// waits in [`App::pending_paste`].
    NotABounce {
        why: String,
    },
    /// `a` in the Checks view: the AUTH test's user name and masked password.
    AuthTest {
        prompt: AuthPrompt,
    },
}

/// A paste prepared for the ticket (cut, redacted, parsed once) that waits for the agent.
#[derive(Debug, Clone)]
pub struct PendingPaste {
    pub text: String,
    pub analysis: Analysis,
    /// What the status line adds once it is taken (cut, credentials redacted).
    pub notes: Vec<String>,
}

/// One line of the `e` list: a fact or a placeholder, and its value in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    pub name: &'static str,
    pub description: &'static str,
    /// A fact (`when:` conditions read it) rather than a command placeholder.
    pub fact: bool,
    /// The value in force, and whether the agent typed it.
    pub value: Option<String>,
    pub by_agent: bool,
    /// The selected record's checklist uses it in a command and has no usable value.
    pub needed: bool,
}

/// One earlier bounce, as `h` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub replaced_at: DateTime<Utc>,
    /// The first recipient and the server's first words, when the text parses.
    pub headline: String,
    pub lines: usize,
    /// Work cleared off the live checklist when this bounce was replaced (kept with it).
    pub kept_steps: usize,
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
    /// A paste waiting for the agent's answer ([`Overlay::ReplaceBounce`],
    /// [`Overlay::NotABounce`]): already cut, redacted and parsed.
    pub pending_paste: Option<PendingPaste>,
    /// How far the Bounce pane's text is scrolled sideways (characters).
    pub bounce_hscroll: usize,
    /// A paste was taken while the terminal was too small to show it: announced again once
    /// the screen is big enough.
    pub(super) pasted_while_small: bool,
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
            pending_paste: None,
            bounce_hscroll: 0,
            pasted_while_small: false,
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
        let record = self.record();
        crate::ticket::record_key_in(
            &self.ticket,
            self.ticket.selected_record,
            record.and_then(|r| r.recipient.as_deref()),
            record.and_then(Record::also_named),
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

    /// The selected step's command with placeholders filled from the bounce and the agent's
    /// typed values: exactly what `c` copies (when nothing is missing).
    pub fn filled_command(&self, step: &Step) -> Option<String> {
        step.command.as_deref().map(|t| self.filled(t).text)
    }

    /// A command template filled for the selected record, with the agent's typed values,
    /// and which placeholders had no safe value.
    pub fn filled(&self, template: &str) -> crate::playbook::Filled {
        self.with_situation(|here| here.fill_command(template))
    }

    /// Whether a step applies to the selected record's situation.
    pub fn applicability(&self, step: &Step) -> crate::playbook::Applicability {
        self.with_situation(|here| here.applies(step.when.as_ref()))
    }

    /// The situation of the selected record (an empty one before a paste).
    fn with_situation<T>(&self, f: impl FnOnce(crate::playbook::Situation<'_>) -> T) -> T {
        let empty_bounce = Bounce::default();
        let empty_record = Record::default();
        let bounce = self.bounce().unwrap_or(&empty_bounce);
        let record = self.record().unwrap_or(&empty_record);
        f(crate::playbook::Situation::new(
            bounce,
            record,
            &self.ticket.values,
        ))
    }

    /// What `e` lists: every fact, then every placeholder, each with its value in force
    /// for the selected record and whether the checklist needs it and lacks it.
    pub fn value_rows(&self) -> Vec<ValueRow> {
        use crate::playbook::situation::{FACTS, Source};
        let needed: Vec<&'static str> = self
            .steps()
            .iter()
            .filter(|s| self.applicability(s).applies())
            .filter_map(|s| s.command.as_deref())
            .flat_map(|t| self.filled(t).missing)
            .collect();
        self.with_situation(|here| {
            let facts = FACTS.iter().map(|f| {
                let value = here.fact(f.name);
                ValueRow {
                    name: f.name,
                    description: f.description,
                    fact: true,
                    by_agent: value.is_some_and(|(_, s)| s == Source::Agent),
                    value: value.map(|(v, _)| v.to_string()),
                    needed: false,
                }
            });
            let placeholders = crate::playbook::PLACEHOLDERS.iter().map(|p| {
                let value = here.placeholder(p.name);
                ValueRow {
                    name: p.name,
                    description: p.description,
                    fact: false,
                    by_agent: value.as_ref().is_some_and(|(_, s)| *s == Source::Agent),
                    value: value.map(|(v, _)| v),
                    needed: needed.contains(&p.name),
                }
            });
            facts.chain(placeholders).collect()
        })
    }

    /// Where `e` opens: on what the selected step's command lacks, else on the first value
    /// the checklist lacks, else at the top.
    pub fn first_value_to_type(&self) -> usize {
        let rows = self.value_rows();
        let step_missing = self
            .selected_step()
            .and_then(|s| s.command.as_deref())
            .map(|t| self.filled(t).missing)
            .unwrap_or_default();
        step_missing
            .first()
            .and_then(|name| rows.iter().position(|r| r.name == *name))
            .or_else(|| rows.iter().position(|r| r.needed))
            .unwrap_or(0)
    }

    /// What `h` lists: the earlier bounces, newest first.
    pub fn history_rows(&self) -> Vec<HistoryRow> {
        self.ticket
            .history
            .iter()
            .rev()
            .map(|past| {
                let headline = crate::bounce::parse(past.text.as_bytes())
                    .ok()
                    .and_then(|b| {
                        let n = b.records.len();
                        let r = b.records.into_iter().next()?;
                        let who = r.recipient.unwrap_or_else(|| "—".into());
                        let said = r
                            .diagnostic
                            .as_deref()
                            .map(crate::playbook::situation::clean_said)
                            .unwrap_or_default();
                        let more = if n > 1 {
                            format!(" (+{} more)", n - 1)
                        } else {
                            String::new()
                        };
                        Some(format!("{who}{more}  {said}"))
                    })
                    .unwrap_or_else(|| {
                        past.text
                            .lines()
                            .find(|l| !l.trim().is_empty())
                            .unwrap_or_default()
                            .trim()
                            .to_string()
                    });
                let kept_steps = past
                    .records
                    .values()
                    .flat_map(|v| v.values())
                    .flat_map(|steps| steps.values())
                    .filter(|s| s.done || s.note.is_some())
                    .count();
                HistoryRow {
                    replaced_at: past.replaced_at,
                    headline,
                    lines: past.text.lines().count(),
                    kept_steps,
                }
            })
            .collect()
    }

    /// Every record of the bounce with the cause in force for it (the agent's or the
    /// classifier's): (recipient, reply code and status, cause).
    pub fn record_causes(&self) -> Vec<(String, String, String)> {
        let Some(analysis) = &self.analysis else {
            return Vec::new();
        };
        analysis
            .records()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let who = r.recipient.clone().unwrap_or_else(|| "—".into());
                let code = [r.reply_code.map(|c| c.to_string()), r.status.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let cause = analysis
                    .diagnosis(i)
                    .map(|d| cause::cause_of(&self.ticket, i, r, d).variation.to_string())
                    .unwrap_or_default();
                (who, code, cause)
            })
            .collect()
    }

    /// The distinct causes over the bounce's records, in record order, when there is more
    /// than one (the agent must know the records need different work).
    pub fn differing_causes(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for (_, _, cause) in self.record_causes() {
            if !seen.contains(&cause) {
                seen.push(cause);
            }
        }
        if seen.len() > 1 { seen } else { Vec::new() }
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

    /// A paste arrived while the screen was too small to show it (announced once it is not).
    pub fn pasted_while_small(&self) -> bool {
        self.pasted_while_small
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
