//! The system clipboard through arboard, owned by one worker thread for the app's lifetime.
//!
//! On X11 and Wayland the clipboard holds no data: the process that copied serves it on
//! request, so the `arboard::Clipboard` must live as long as the app. Every call goes to the
//! worker over a channel and is waited for with a deadline: a dead or frozen display server
//! costs the agent a status message, never a hung TUI. A worker that missed a deadline is
//! abandoned and never asked again.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

/// How long one clipboard operation may take before it is given up.
pub const TIMEOUT: Duration = Duration::from_secs(2);

enum Request {
    Set(String, Sender<Result<(), String>>),
    Get(Sender<Result<String, String>>),
    /// Drop the arboard clipboard (on X11 it offers the data to a clipboard manager).
    Close(Sender<()>),
}

/// A handle to the worker that owns the arboard clipboard.
pub struct SystemClipboard {
    requests: Sender<Request>,
    /// The worker missed a deadline (or died): do not wait on it again.
    unresponsive: bool,
}

impl SystemClipboard {
    /// Start the worker. The arboard clipboard itself is created on the first request, in the
    /// worker, so a slow connection never blocks the caller.
    pub fn start() -> Result<Self, String> {
        let (requests, inbox) = mpsc::channel();
        thread::Builder::new()
            .name("clipboard".into())
            .spawn(move || serve(inbox))
            .map_err(|e| format!("cannot start the clipboard thread: {e}"))?;
        Ok(SystemClipboard {
            requests,
            unresponsive: false,
        })
    }

    pub fn set(&mut self, text: &str) -> Result<(), String> {
        let (reply, answer) = mpsc::channel();
        self.ask(Request::Set(text.to_string(), reply), &answer, TIMEOUT)?
    }

    pub fn get(&mut self, timeout: Duration) -> Result<String, String> {
        let (reply, answer) = mpsc::channel();
        self.ask(Request::Get(reply), &answer, timeout)?
    }

    /// Release the clipboard, waiting at most `timeout`. True when it was released.
    pub fn close(mut self, timeout: Duration) -> bool {
        let (reply, answer) = mpsc::channel();
        self.ask(Request::Close(reply), &answer, timeout).is_ok()
    }

    fn ask<T>(
        &mut self,
        request: Request,
        answer: &Receiver<T>,
        timeout: Duration,
    ) -> Result<T, String> {
        if self.unresponsive {
            return Err("the clipboard stopped answering earlier in this session".into());
        }
        if self.requests.send(request).is_err() {
            self.unresponsive = true;
            return Err("the clipboard thread has stopped".into());
        }
        match answer.recv_timeout(timeout) {
            Ok(value) => Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                self.unresponsive = true;
                Err(format!(
                    "the clipboard did not answer within {} s",
                    timeout.as_secs_f32()
                ))
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.unresponsive = true;
                Err("the clipboard thread has stopped".into())
            }
        }
    }
}

/// The worker: owns the arboard clipboard, answers requests until told to close or until
/// the handle is dropped.
fn serve(inbox: Receiver<Request>) {
    let mut clipboard: Option<arboard::Clipboard> = None;
    for request in inbox {
        match request {
            Request::Set(text, reply) => {
                let result = connect(&mut clipboard)
                    .and_then(|c| c.set_text(text).map_err(|e| e.to_string()));
                let _ = reply.send(result);
            }
            Request::Get(reply) => {
                let result =
                    connect(&mut clipboard).and_then(|c| c.get_text().map_err(|e| e.to_string()));
                let _ = reply.send(result);
            }
            Request::Close(reply) => {
                drop(clipboard.take());
                let _ = reply.send(());
                return;
            }
        }
    }
}

fn connect(slot: &mut Option<arboard::Clipboard>) -> Result<&mut arboard::Clipboard, String> {
    if slot.is_none() {
        *slot = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
    }
    slot.as_mut()
        .ok_or_else(|| "the clipboard could not be opened".to_string())
}
