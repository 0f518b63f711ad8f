//! The synchronous event loop: open the ticket (lock first), set up the terminal, then
//! draw → wait for one event → update → perform effects, until quit or a signal. It blocks
//! in `poll` between events, so an idle app uses no CPU.

use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use ratatui::crossterm::event;

use super::Options;
use super::app::{App, SaveState, StatusKind};
use super::intent::{Effect, Intent};
use super::keys::{self, KeyTarget};
use super::signals::{self, SignalWatch};
use super::terminal::TerminalGuard;
use super::tty::{Tty, Wake};
use super::view::view;
use crate::checks;
use crate::clipboard::Clipboard;
use crate::ticket::{self, TicketHandle};
use crate::{paths, playbook, settings};
use signal_hook::consts::SIGHUP;

/// A safety net only: input, signals and resizes wake the loop themselves.
const IDLE_WAKE: Duration = Duration::from_secs(60);

/// Fault injection, for the test suite only (tests/robustness_terminal.rs): with
/// `BOUNCEBOOK_TEST_PANIC=after-paste` in the environment the app panics right after it has
/// handled (and saved) a bracketed paste, so a test can check in a real terminal what a
/// panic leaves behind. Inert unless the variable holds exactly that value.
const TEST_PANIC_VAR: &str = "BOUNCEBOOK_TEST_PANIC";
const TEST_PANIC_AFTER_PASTE: &str = "after-paste";

/// Performs the effects `update` asks for and feeds their results back.
struct Runner {
    handle: TicketHandle,
    clipboard: Clipboard,
    /// The live checks running in the background, and the record they are for. Dropping
    /// the handle cancels them; nothing waits for them, not even quitting.
    checks: Option<(usize, checks::RunHandle)>,
    /// Wakes the loop when a check result lands (the signal self-pipe's writing end).
    waker: Option<UnixStream>,
}

impl Runner {
    /// Apply an intent and everything it causes. Returns true when the app should quit.
    fn dispatch(&mut self, app: &mut App, intent: Intent) -> bool {
        let mut queue = VecDeque::from([intent]);
        let mut quit = false;
        while let Some(intent) = queue.pop_front() {
            for effect in app.update(intent) {
                let result = match effect {
                    Effect::Save => {
                        Intent::Saved(self.handle.save(&app.ticket).map_err(|e| e.to_string()))
                    }
                    Effect::Copy { what, text } => Intent::Copied {
                        what,
                        report: self.clipboard.copy(&text),
                    },
                    Effect::ReadClipboard => Intent::ClipboardRead(self.clipboard.paste()),
                    Effect::StartChecks { record } => self.start_checks(app, record),
                    Effect::StartAuthTest { record, mut secret } => {
                        self.start_auth_test(app, record, secret.take())
                    }
                    Effect::Quit => {
                        quit = true;
                        continue;
                    }
                };
                queue.push_back(result);
            }
        }
        quit
    }

    /// Plan the record's checks and start them on their own thread.
    fn start_checks(&mut self, app: &App, record: usize) -> Intent {
        // A run still going for any record is cancelled: one run at a time.
        self.checks = None;
        let config = checks_config();
        let plan = match (app.bounce(), app.record()) {
            (Some(bounce), Some(rec)) => {
                checks::plan(bounce, rec, app.cause().map(|c| c.variation), &config)
            }
            _ => Vec::new(),
        };
        let handle = checks::spawn_notifying(plan, config, None, self.notifier());
        let started = Intent::ChecksStarted {
            record,
            started: handle.started,
            host: handle.host.clone(),
            resolver: handle.resolver.clone(),
            planned: handle.planned,
        };
        self.checks = Some((record, handle));
        started
    }

    /// The AUTH test: the record's submission checks only, with the agent's credentials
    /// (moved into the run and dropped, zeroed, with it).
    fn start_auth_test(
        &mut self,
        app: &App,
        record: usize,
        credentials: Option<checks::smtp::Credentials>,
    ) -> Intent {
        self.checks = None;
        let config = checks_config();
        let plan: Vec<checks::Check> = match (app.bounce(), app.record(), &credentials) {
            (Some(bounce), Some(rec), Some(_)) => {
                checks::plan(bounce, rec, app.cause().map(|c| c.variation), &config)
                    .into_iter()
                    .filter(|c| matches!(c, checks::Check::Submission { .. }))
                    .collect()
            }
            _ => Vec::new(),
        };
        let planned = plan.len();
        if planned > 0 {
            let handle = checks::spawn_notifying(plan, config, credentials, self.notifier());
            self.checks = Some((record, handle));
        }
        Intent::AuthTestStarted { record, planned }
    }

    /// A wake-up for the loop after each result (None without the self-pipe).
    fn notifier(&self) -> Option<Box<dyn Fn() + Send>> {
        let waker = self.waker.as_ref().and_then(|w| w.try_clone().ok());
        waker.map(|w| {
            Box::new(move || {
                let _ = (&w).write(&[1]);
            }) as Box<dyn Fn() + Send>
        })
    }

    /// Feed what the background checks reported since the last look. Returns true when the
    /// app should quit (an effect asked for it).
    fn poll_checks(&mut self, app: &mut App) -> bool {
        let mut intents = Vec::new();
        if let Some((record, handle)) = &self.checks {
            let record = *record;
            let mut finished = false;
            while let Ok(event) = handle.events.try_recv() {
                match event {
                    checks::run::Event::Result(result) => {
                        intents.push(Intent::CheckLanded { record, result });
                    }
                    checks::run::Event::Done => {
                        finished = true;
                        intents.push(Intent::ChecksFinished { record });
                        break;
                    }
                }
            }
            if finished {
                self.checks = None;
            }
        }
        intents
            .into_iter()
            .fold(false, |quit, intent| quit | self.dispatch(app, intent))
    }
}

/// The live checks' configuration for the TUI: `config.yaml`'s `checks:` section and the
/// environment (see [`checks::Config::configured`]). What it cannot use was already said at
/// start-up (the settings) or is a blocklist line `bouncebook check` names.
fn checks_config() -> checks::Config {
    checks::Config::configured(paths::config_dir().as_deref()).0
}

enum Exit {
    Quit,
    Signal(i32),
}

/// The retention setting applied once at start-up. Returns what to say in the status line
/// (what was removed) and a warning (a bad setting, a failed prune), each at most once.
fn apply_retention(
    data_dir: &std::path::Path,
    now: chrono::DateTime<Utc>,
) -> (Option<String>, Option<String>) {
    let retention = match settings::load(paths::config_dir().as_deref()) {
        Ok(s) => s.retention,
        Err(e) => return (None, Some(format!("settings ignored: {e}"))),
    };
    let Some(older_than) = retention else {
        return (None, None);
    };
    let age = ticket::format_duration(older_than);
    match ticket::prune(data_dir, older_than, now, false) {
        Ok(report) if report.removed.is_empty() && report.clipboard.is_empty() => (None, None),
        Ok(report) => {
            let n = report.removed.len();
            let mut text = format!(
                "retention {age}: removed {n} ticket{} not changed for {age}",
                if n == 1 { "" } else { "s" }
            );
            if !report.clipboard.is_empty() {
                text.push_str(&format!(
                    " and {} copied summar{}",
                    report.clipboard.len(),
                    if report.clipboard.len() == 1 {
                        "y"
                    } else {
                        "ies"
                    }
                ));
            }
            (Some(text), None)
        }
        Err(e) => (None, Some(format!("retention {age}: prune failed: {e}"))),
    }
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let data_dir =
        paths::data_dir().context("cannot find a data directory; set BOUNCEBOOK_DATA_DIR")?;
    let now = Utc::now();
    let id = match opts.ticket {
        Some(id) => id,
        None => ticket::new_id(&data_dir, now),
    };
    // Lock before touching the terminal: a refused second instance just prints why.
    let opened = ticket::open(&data_dir, &id, now)?;
    let playbooks = playbook::load(paths::config_dir().as_deref(), &opts.playbook_dirs);
    let mut app = App::new(opened.ticket, playbooks, Box::new(Utc::now));
    app.resumed = opened.resumed;
    // After the open, so the ticket being worked is locked and never pruned under the agent.
    let (retention, retention_warning) = apply_retention(&data_dir, now);
    let mut notices = opened.notices.clone();
    notices.extend(retention_warning);
    if !notices.is_empty() {
        notices.extend(retention);
        app.set_status(StatusKind::Warning, notices.join(" · "));
    } else if let Some(text) = retention {
        app.set_status(StatusKind::Info, text);
    } else if app.status.is_none() {
        let text = if opened.resumed {
            format!("resumed ticket {id}")
        } else {
            format!("new ticket {id}: paste a bounce")
        };
        app.set_status(StatusKind::Info, text);
    }
    let ticket_path = opened.handle.path().to_path_buf();
    let moved_aside = opened.moved_aside;
    let mut runner = Runner {
        handle: opened.handle,
        clipboard: Clipboard::new(Some(data_dir)),
        checks: None,
        waker: None,
    };

    let mut guard = TerminalGuard::enter().context("cannot set up the terminal")?;
    // Start crossterm's input reader (which registers its own SIGWINCH pipe, turning a
    // resize into an event) before the signal watch starts waking us for resizes.
    event::poll(Duration::ZERO).context("cannot read the terminal")?;
    let signals = SignalWatch::start().context("cannot watch for SIGTERM/SIGHUP")?;
    runner.waker = signals.waker().ok();
    let tty = Tty::open().context("cannot open the terminal for reading keys")?;
    let panic_after_paste =
        std::env::var_os(TEST_PANIC_VAR).is_some_and(|v| v == TEST_PANIC_AFTER_PASTE);
    let outcome = (|| -> Result<Exit> {
        let size = guard.terminal.size()?;
        app.update(Intent::Resize {
            width: size.width,
            height: size.height,
        });
        if let Some(bytes) = opts.preload {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if runner.dispatch(&mut app, Intent::Paste(text)) {
                return Ok(Exit::Quit);
            }
        }
        loop {
            guard.terminal.draw(|frame| view(&app, frame))?;
            let event = loop {
                if let Some(signal) = signals.received() {
                    return Ok(Exit::Signal(signal));
                }
                // Never call into crossterm on a hung-up terminal: it would spin (see tty.rs).
                if tty.hung_up()? {
                    return Ok(Exit::Signal(SIGHUP));
                }
                // Events crossterm already parsed, or input waiting: take one without blocking.
                if event::poll(Duration::ZERO)? {
                    break Some(event::read()?);
                }
                // Check results that landed: taken in, then drawn.
                if runner.checks.is_some() {
                    let before = app
                        .ticket
                        .checks
                        .iter()
                        .map(|r| r.results.len())
                        .sum::<usize>();
                    if runner.poll_checks(&mut app) {
                        return Ok(Exit::Quit);
                    }
                    let after = app
                        .ticket
                        .checks
                        .iter()
                        .map(|r| r.results.len())
                        .sum::<usize>();
                    if after != before || runner.checks.is_none() {
                        break None;
                    }
                }
                if tty.wait(signals.wake_fd(), IDLE_WAKE)? == Wake::HungUp {
                    return Ok(Exit::Signal(SIGHUP));
                }
                signals.drain();
            };
            let Some(event) = event else {
                continue;
            };
            if let Some(signal) = signals.received() {
                return Ok(Exit::Signal(signal));
            }
            let Some(intent) = keys::intent_for(event, KeyTarget::of(&app.overlay)) else {
                continue;
            };
            let pasted = matches!(intent, Intent::Paste(_));
            if runner.dispatch(&mut app, intent) {
                return Ok(Exit::Quit);
            }
            if pasted && panic_after_paste {
                panic!(
                    "{TEST_PANIC_VAR}={TEST_PANIC_AFTER_PASTE}: panic injected for the test suite"
                );
            }
        }
    })();

    // Save before giving the terminal back, whatever ended the loop (a quit already did).
    if !matches!(outcome, Ok(Exit::Quit)) {
        runner.dispatch(&mut app, Intent::Quit);
    }
    drop(guard);
    runner.clipboard.finish();
    if app.save == SaveState::Unchanged && !app.resumed {
        runner.handle.discard_if_unsaved();
    }

    // The on-screen notice is gone by now: say it again where it stays (the scrollback).
    if let Some(aside) = &moved_aside {
        eprintln!(
            "bouncebook: ticket {id}: the unreadable ticket file was kept as {}",
            aside.display()
        );
    }
    let exit = outcome?;
    match &app.save {
        SaveState::Failed(why) => {
            eprintln!("bouncebook: ticket {id} was NOT saved: {why}");
            return Ok(ExitCode::FAILURE);
        }
        SaveState::Saved => println!("bouncebook: ticket {id} saved in {}", ticket_path.display()),
        SaveState::Unchanged | SaveState::Saving => {}
    }
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(signal) => {
            eprintln!("bouncebook: stopped by {}", signals::name(signal));
            ExitCode::from(128u8.saturating_add(u8::try_from(signal).unwrap_or(0)))
        }
    })
}
