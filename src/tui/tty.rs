//! Waiting for the terminal without trusting crossterm to notice that it is gone.
//!
//! crossterm 0.29 loops on `read()` while the terminal is readable, and a hung-up terminal
//! (closed SSH session, killed tmux server) is readable forever with `read() == 0`: any call
//! into `event::poll`/`event::read` then spins at full CPU and never returns. So the event
//! loop sleeps here in `poll(2)` on the terminal and the signal self-pipe, and only calls
//! crossterm when the terminal has not hung up.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

/// What woke the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Input, a signal or the timeout: ask crossterm for events.
    Ready,
    /// The terminal is gone: save and leave.
    HungUp,
}

/// The terminal crossterm reads keys from: stdin when it is a terminal, else /dev/tty
/// (a bounce piped on stdin), the same choice crossterm makes.
pub struct Tty {
    fd: RawFd,
    /// Keeps /dev/tty open when we opened it ourselves.
    _owned: Option<File>,
}

impl Tty {
    pub fn open() -> io::Result<Tty> {
        // SAFETY: isatty only inspects the descriptor.
        if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
            return Ok(Tty {
                fd: libc::STDIN_FILENO,
                _owned: None,
            });
        }
        let file = File::open("/dev/tty")?;
        Ok(Tty {
            fd: file.as_raw_fd(),
            _owned: Some(file),
        })
    }

    /// Has the terminal hung up? Does not block.
    pub fn hung_up(&self) -> io::Result<bool> {
        Ok(self.poll(None, Some(Duration::ZERO))? == Wake::HungUp)
    }

    /// Sleep until the terminal has input or hangs up, `wake_fd` becomes readable, or
    /// `timeout` passes.
    pub fn wait(&self, wake_fd: RawFd, timeout: Duration) -> io::Result<Wake> {
        self.poll(Some(wake_fd), Some(timeout))
    }

    fn poll(&self, wake_fd: Option<RawFd>, timeout: Option<Duration>) -> io::Result<Wake> {
        let mut fds = [
            libc::pollfd {
                fd: self.fd,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: wake_fd.unwrap_or(-1),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let ms = timeout.map_or(-1, |t| i32::try_from(t.as_millis()).unwrap_or(i32::MAX));
        // SAFETY: `fds` is a valid array of two pollfd for the duration of the call; a
        // negative fd is ignored by poll(2).
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
        if n < 0 {
            let err = io::Error::last_os_error();
            return if err.kind() == io::ErrorKind::Interrupted {
                Ok(Wake::Ready)
            } else {
                Err(err)
            };
        }
        if fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return Ok(Wake::HungUp);
        }
        Ok(Wake::Ready)
    }
}
