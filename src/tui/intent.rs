//! Everything that can happen to the app, as values. Keys, pastes, signals and the results
//! of side effects all become an [`Intent`]; [`crate::tui::app::App::update`] is the only
//! place state changes. Tests drive the app with intents, not key codes.

use chrono::{DateTime, Utc};

use crate::checks::CheckResult;
use crate::clipboard::CopyReport;

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// A bracketed paste, a finished input-mode buffer, a preloaded file or the clipboard:
    /// the text becomes the ticket's bounce (or goes into the note being edited).
    Paste(String),
    /// `p`: ask for the system clipboard's text.
    PasteFromClipboard,
    /// `i`: type or paste the bounce without bracketed paste.
    StartInput,

    NextPane,
    PrevPane,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,

    ToggleStep,
    EditNote,
    CopyCommand,
    /// `m`: copy the customer reply of the selected record's cause.
    CopyReply,
    ShowSummary,
    CopySummary,
    PickRecord,
    /// `d`: open (or close) the live checks view; starts the checks when none ran yet.
    ShowChecks,
    /// `r` in the checks view: run them again.
    RerunChecks,
    /// `a` in the checks view: the AUTH test against the customer's submission server.
    StartAuthTest,
    /// `v`: set the selected record's cause by hand.
    PickCause,
    /// `e`: type a value for a fact or placeholder (open or close the list).
    EditValues,
    /// In the `e` list: clear the agent's value (the bounce's is used again).
    ClearValue,
    /// `h`: the ticket's earlier bounces (open or close the list).
    ShowHistory,
    /// `c` when a different bounce arrives on a ticket with work: clear the ticks and notes
    /// (kept with the replaced bounce in the history).
    ClearWork,
    /// `n` when a paste is not a bounce: keep it as a note on the selected step.
    KeepAsNote,
    /// `←` `→`: scroll the Bounce pane's text sideways.
    ScrollLeft,
    ScrollRight,
    ShowHelp,
    /// Enter: choose in the picker, save the note.
    Confirm,
    /// Esc: close the overlay or cancel the editor (in input mode: finish).
    Close,
    Quit,

    /// Text editing (note editor and input mode).
    InsertChar(char),
    InsertNewline,
    DeleteBack,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    ClearLine,
    /// Ctrl-D in input mode.
    FinishInput,

    /// The terminal changed size (also sent once at start).
    Resize {
        width: u16,
        height: u16,
    },

    /// Results of effects, fed back by the event loop.
    Saved(Result<(), String>),
    Copied {
        what: CopyWhat,
        report: CopyReport,
    },
    ClipboardRead(Result<String, String>),
    /// A check run started for record `record` (reported by the event loop).
    ChecksStarted {
        record: usize,
        started: DateTime<Utc>,
        host: String,
        resolver: String,
        planned: usize,
    },
    /// One check's result landed.
    CheckLanded {
        record: usize,
        result: CheckResult,
    },
    /// Every planned check of the run has a result.
    ChecksFinished {
        record: usize,
    },
    /// The AUTH test started for record `record` with `planned` submission checks; its
    /// results land as [`Intent::CheckLanded`] and end with [`Intent::ChecksFinished`].
    AuthTestStarted {
        record: usize,
        planned: usize,
    },
}

/// What a copy was for, so the status line can say "summary copied ..." or "command ...".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    Summary,
    Command,
    Reply,
}

/// Side effects the app asks the event loop to perform. Kept as values so `update` stays
/// pure and tests can see exactly what a key would have done.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the ticket (atomically) and report back with [`Intent::Saved`].
    Save,
    /// Put text on the clipboard and report back with [`Intent::Copied`].
    Copy { what: CopyWhat, text: String },
    /// Read the system clipboard and report back with [`Intent::ClipboardRead`].
    ReadClipboard,
    /// Plan and start the live checks for record `record` in the background; the event loop
    /// reports with [`Intent::ChecksStarted`], [`Intent::CheckLanded`] and
    /// [`Intent::ChecksFinished`]. A run already going is cancelled first.
    StartChecks { record: usize },
    /// Run the AUTH test (the record's submission checks with these credentials) in the
    /// background; reported with [`Intent::AuthTestStarted`], then as a check run.
    StartAuthTest {
        record: usize,
        secret: crate::tui::app::AuthSecret,
    },
    /// Leave the event loop (after the effects before it ran).
    Quit,
}
