//! The AUTH test the agent asks for in the Checks view (`a`): a prompt for the user name
//! (the sender's address to start with) and a masked password, then one login attempt
//! against the customer's own submission server(s) the checks already found. The password
//! is shown as dots, kept in one buffer that is zeroed when the prompt goes, handed to the
//! check engine once (a copy of the effect carries none) and never stored, logged or put
//! in a transcript: the engine writes `<redacted>` for what it sends.

use super::update::Then;
use super::{App, Overlay, StatusKind};
use crate::checks::smtp::Credentials;
use crate::tui::editor::TextEditor;
use crate::tui::intent::{Effect, Intent};

/// Longest password accepted: the buffer is allocated once at this size, so typing never
/// moves the secret and leaves a copy behind in freed memory.
const MAX_PASSWORD_BYTES: usize = 256;

/// A password being typed: shown as dots, zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct MaskedField {
    text: String,
}

impl Default for MaskedField {
    fn default() -> Self {
        MaskedField {
            text: String::with_capacity(MAX_PASSWORD_BYTES),
        }
    }
}

impl MaskedField {
    /// How many characters were typed (the view draws that many dots).
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn push(&mut self, c: char) {
        if self.text.len() + c.len_utf8() <= MAX_PASSWORD_BYTES && !c.is_control() {
            self.text.push(c);
        }
    }

    fn pop(&mut self) {
        self.text.pop();
    }

    fn clear(&mut self) {
        wipe(&mut self.text);
    }

    /// The password, moved out (the same allocation: nothing is copied).
    fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }
}

impl std::fmt::Debug for MaskedField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MaskedField(<{} chars>)", self.chars())
    }
}

impl Drop for MaskedField {
    fn drop(&mut self) {
        wipe(&mut self.text);
    }
}

/// Zero a string's bytes (NUL is valid UTF-8), then empty it.
fn wipe(text: &mut String) {
    // SAFETY: NUL bytes keep the string valid UTF-8; the writes stay within its length.
    for b in unsafe { text.as_bytes_mut() } {
        // A volatile write: the compiler may not drop it as a dead store.
        // SAFETY: `b` is a valid, aligned, exclusive reference into the string.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    text.clear();
}

/// The prompt's state.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthPrompt {
    /// Where the credentials would go (`host:port`), as the checks found them: shown so the
    /// agent sees the password goes to the customer's own server and nowhere else.
    pub targets: Vec<String>,
    pub user: TextEditor,
    pub password: MaskedField,
    /// Which field has the keys.
    pub on_password: bool,
}

/// Credentials on their way to the event loop. A clone is empty: the password exists once.
pub struct AuthSecret {
    pub user: String,
    credentials: Option<Credentials>,
}

impl AuthSecret {
    /// The credentials, once.
    pub fn take(&mut self) -> Option<Credentials> {
        self.credentials.take()
    }
}

impl Clone for AuthSecret {
    fn clone(&self) -> Self {
        AuthSecret {
            user: self.user.clone(),
            credentials: None,
        }
    }
}

impl PartialEq for AuthSecret {
    fn eq(&self, other: &Self) -> bool {
        self.user == other.user
    }
}

impl std::fmt::Debug for AuthSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthSecret({:?}, <redacted>)", self.user)
    }
}

/// The check id whose targets are the customer's submission servers.
const SUBMISSION: &str = "submission";

impl App {
    /// `a` in the Checks view: open the prompt, when the checks found a submission server.
    pub(super) fn start_auth_test(&mut self) -> Vec<Effect> {
        let record = self.ticket.selected_record;
        if self.checks_running == Some(record) {
            self.set_status(
                StatusKind::Info,
                "AUTH test: wait for the checks to finish first",
            );
            return Vec::new();
        }
        let targets: Vec<String> = self
            .ticket
            .checks_for(record)
            .map(|run| {
                run.results
                    .iter()
                    .filter(|r| r.check == SUBMISSION)
                    .map(|r| r.target.clone())
                    .collect()
            })
            .unwrap_or_default();
        if targets.is_empty() {
            self.set_status(
                StatusKind::Info,
                "AUTH test: the checks found no submission server of the customer's to test (only when our server refused)",
            );
            return Vec::new();
        }
        let user = self
            .bounce()
            .and_then(|b| b.sender.clone().or_else(|| b.header_from.clone()))
            .unwrap_or_default();
        self.overlay = Overlay::AuthTest {
            prompt: AuthPrompt {
                targets,
                user: TextEditor::new(user),
                password: MaskedField::default(),
                on_password: true,
            },
        };
        Vec::new()
    }

    /// Enter in the prompt: the login attempt starts; the prompt (and its buffer) is gone.
    pub(super) fn auth_test_confirmed(&mut self, mut prompt: AuthPrompt) -> Vec<Effect> {
        let record = self.ticket.selected_record;
        self.overlay = Overlay::Checks { scroll: 0 };
        let user = prompt.user.text().trim().to_string();
        if user.is_empty() || prompt.password.is_empty() {
            self.set_status(
                StatusKind::Info,
                "AUTH test not run: give a user name and a password",
            );
            return Vec::new();
        }
        let password = prompt.password.take();
        self.checks_running = Some(record);
        self.set_status(StatusKind::Info, format!("AUTH test as {user} starting…"));
        vec![Effect::StartAuthTest {
            record,
            secret: AuthSecret {
                user: user.clone(),
                credentials: Some(Credentials::new(user, password)),
            },
        }]
    }

    /// The event loop started the AUTH test: its results replace the run's submission
    /// results; the rest of the run stays.
    pub(super) fn auth_test_started(&mut self, record: usize, planned: usize) -> Vec<Effect> {
        if let Some(run) = self.ticket.checks.iter_mut().find(|r| r.record == record) {
            run.results.retain(|r| r.check != SUBMISSION);
            run.planned = run.results.len() + planned;
        }
        if planned == 0 {
            self.checks_running = None;
            self.set_status(
                StatusKind::Info,
                "AUTH test: no submission server to test any more (the bounce changed?)",
            );
        }
        Vec::new()
    }
}

/// The prompt takes the keys: text goes to the field that has them, Tab switches, Enter
/// starts the test, Esc cancels (the password is zeroed either way).
pub(super) fn prompt(intent: Intent, prompt: &mut AuthPrompt) -> Then {
    match intent {
        Intent::Close => return Then::Close(Some("AUTH test cancelled; nothing was sent")),
        Intent::Confirm | Intent::InsertNewline => return Then::Finish,
        Intent::InsertChar('\t') | Intent::NextPane | Intent::PrevPane => {
            prompt.on_password = !prompt.on_password;
        }
        other if prompt.on_password => match other {
            Intent::InsertChar(c) => prompt.password.push(c),
            Intent::DeleteBack => prompt.password.pop(),
            Intent::ClearLine => prompt.password.clear(),
            _ => {}
        },
        other => super::update::edit(&mut prompt.user, other),
    }
    Then::Stay(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_masked_capped_and_wiped() {
        let mut f = MaskedField::default();
        for c in "hunter2\u{7}".chars() {
            f.push(c);
        }
        assert_eq!(f.chars(), 7, "control characters are not taken");
        assert!(!format!("{f:?}").contains("hunter2"));
        f.pop();
        assert_eq!(f.chars(), 6);
        for _ in 0..1000 {
            f.push('é');
        }
        assert!(f.text.len() <= MAX_PASSWORD_BYTES);
        f.clear();
        assert!(f.is_empty());
    }

    #[test]
    fn a_copy_of_the_secret_carries_no_password() {
        let mut s = AuthSecret {
            user: "u@example.com".into(),
            credentials: Some(Credentials::new("u@example.com".into(), "pw".into())),
        };
        let mut copy = s.clone();
        assert!(copy.take().is_none());
        assert!(!format!("{s:?}").contains("pw"));
        assert!(s.take().is_some());
        assert!(s.take().is_none(), "handed over once");
    }
}
