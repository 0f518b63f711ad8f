//! SIGTERM and SIGHUP (a closed SSH session) become a clean exit: the event loop saves the
//! ticket and restores the terminal.
//!
//! The event loop blocks in crossterm's `poll`, which retries on EINTR, so a flag alone
//! would only be seen at the next key. crossterm already listens for SIGWINCH on its own
//! self-pipe; raising SIGWINCH after recording the signal makes `poll` return at once (as a
//! resize event), and the loop then sees the flag. No timer, no busy loop.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use signal_hook::consts::{SIGHUP, SIGTERM, SIGWINCH};
use signal_hook::iterator::{Handle, Signals};

pub struct SignalWatch {
    received: Arc<AtomicI32>,
    handle: Handle,
}

impl SignalWatch {
    pub fn start() -> io::Result<SignalWatch> {
        let mut signals = Signals::new([SIGTERM, SIGHUP])?;
        let handle = signals.handle();
        let received = Arc::new(AtomicI32::new(0));
        let flag = Arc::clone(&received);
        std::thread::Builder::new()
            .name("bouncebook-signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    flag.store(signal, Ordering::SeqCst);
                    let _ = signal_hook::low_level::raise(SIGWINCH);
                }
            })?;
        Ok(SignalWatch { received, handle })
    }

    /// The signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        self.handle.close();
    }
}

/// A signal's name for messages.
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
