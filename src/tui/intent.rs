//! Everything that can happen to the app, as values. Keys, pastes, signals and the results
//! of side effects all become an [`Intent`]; [`crate::tui::app::App::update`] is the only
//! place state changes. Tests drive the app with intents, not key codes.

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
    /// `v`: set the selected record's cause by hand.
    PickCause,
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
    /// Leave the event loop (after the effects before it ran).
    Quit,
}
