//! SIGTERM and SIGHUP (a closed SSH session) become a clean exit: the event loop saves the
//! ticket and restores the terminal.
//!
//! The loop sleeps in `poll(2)` on the terminal and on a self-pipe (see [`super::tty`]);
//! SIGTERM, SIGHUP and SIGWINCH each write a byte to that pipe, so any of them wakes the loop
//! at once. No timer, no busy loop.
//!
//! A watchdog backs this up: if the process is still alive a few seconds after SIGTERM or
//! SIGHUP (the main thread stuck somewhere we did not foresee), it restores the terminal as
//! well as it can and exits. Nothing is lost by that: every tick and note is already saved
//! atomically when it is made.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use signal_hook::SigId;
use signal_hook::consts::{SIGHUP, SIGTERM, SIGWINCH};

/// How long the main thread has to exit by itself after SIGTERM/SIGHUP.
const WATCHDOG_GRACE: Duration = Duration::from_secs(3);

pub struct SignalWatch {
    received: Arc<AtomicI32>,
    /// Readable when a watched signal arrived; drained by [`SignalWatch::drain`].
    wake: UnixStream,
    /// The writing end, cloned for background work (live checks) that must wake the loop.
    wake_writer: UnixStream,
    ids: Vec<SigId>,
}

impl SignalWatch {
    pub fn start() -> io::Result<SignalWatch> {
        let received = Arc::new(AtomicI32::new(0));
        let (wake, wake_writer) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        wake_writer.set_nonblocking(true)?;
        let (watchdog_rx, watchdog_tx) = UnixStream::pair()?;
        let mut ids = Vec::new();
        for signal in [SIGTERM, SIGHUP] {
            let flag = Arc::clone(&received);
            // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
            ids.push(unsafe {
                signal_hook::low_level::register(signal, move || {
                    flag.store(signal, Ordering::SeqCst);
                })
            }?);
            ids.push(signal_hook::low_level::pipe::register(
                signal,
                watchdog_tx.try_clone()?,
            )?);
        }
        for signal in [SIGTERM, SIGHUP, SIGWINCH] {
            ids.push(signal_hook::low_level::pipe::register(
                signal,
                wake_writer.try_clone()?,
            )?);
        }
        let flag = Arc::clone(&received);
        std::thread::Builder::new()
            .name("bouncebook-watchdog".into())
            .spawn(move || watchdog(watchdog_rx, &flag))?;
        Ok(SignalWatch {
            received,
            wake,
            wake_writer,
            ids,
        })
    }

    /// The signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }

    /// The descriptor that becomes readable when a watched signal arrives.
    pub fn wake_fd(&self) -> RawFd {
        self.wake.as_raw_fd()
    }

    /// A writer that wakes the loop when a byte is written to it (non-blocking: a full pipe
    /// already means "wake up").
    pub fn waker(&self) -> io::Result<UnixStream> {
        self.wake_writer.try_clone()
    }

    /// Empty the wake pipe after a wake-up, so the next sleep is not cut short.
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake).read(&mut buf), Ok(n) if n > 0) {}
    }
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Blocks until SIGTERM/SIGHUP, then gives the main thread [`WATCHDOG_GRACE`] to exit.
fn watchdog(mut rx: UnixStream, received: &AtomicI32) {
    let mut byte = [0u8; 1];
    if !matches!(rx.read(&mut byte), Ok(1)) {
        return;
    }
    std::thread::sleep(WATCHDOG_GRACE);
    let signal = received.load(Ordering::SeqCst);
    // Best effort on a terminal that may be gone: leave the alternate screen, turn bracketed
    // paste off, show the cursor, leave raw mode. Written to /dev/tty, not through stdout,
    // whose lock the stuck thread may hold.
    if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        let _ = tty.write_all(b"\x1b[?2004l\x1b[?1049l\x1b[?25h");
    }
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
    let code = 128 + if signal == 0 { SIGTERM } else { signal };
    // SAFETY: _exit ends the process without running destructors or atexit handlers, which
    // is what we want when the main thread may hold locks.
    unsafe { libc::_exit(code) }
}

/// A signal's name for messages.
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
