//! The last way to keep a copy alive after exit when no helper program is installed: a
//! detached child process that owns the selection with arboard's `SetExtLinux::wait` until
//! something else is copied, then exits by itself.
//!
//! The caller must have released its own arboard clipboard first: arboard keeps one global
//! connection per process, and a forked child must start from none.

/// How often the holder checks that the copy is still its own and the display still there:
/// arboard's wait is not woken when the X server goes away.
#[cfg(all(unix, not(target_os = "macos")))]
const RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// The longest a holder stays around: a shift, and then some.
#[cfg(all(unix, not(target_os = "macos")))]
const MAX_HOLD: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// How long to wait for the child to say it owns the selection.
#[cfg(all(unix, not(target_os = "macos")))]
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Fork a detached holder for `text`; returns once it owns the clipboard.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn hold_in_background(text: &str) -> Result<(), String> {
    use std::io::Read;
    use std::sync::mpsc;

    let (mut ready_rx, ready_tx) = std::io::pipe().map_err(|e| e.to_string())?;
    let text = text.to_string();
    // SAFETY: fork duplicates only this thread. The child forks again at once and exits with
    // `_exit`, touching nothing shared; the grandchild starts a fresh session and a fresh
    // arboard connection (the parent's was closed before this call) and leaves with `_exit`,
    // never returning into the parent's code or running its exit handlers.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => return Err(std::io::Error::last_os_error().to_string()),
        0 => {
            drop(ready_rx);
            // SAFETY: see above; the intermediate child only forks and exits.
            if unsafe { libc::fork() } != 0 {
                unsafe { libc::_exit(0) };
            }
            hold(&text, ready_tx);
        }
        _ => {}
    }
    drop(ready_tx);
    // Reap the intermediate child so it does not linger as a zombie while the app runs.
    let mut status = 0;
    // SAFETY: waitpid on our own child pid with a valid status pointer.
    unsafe { libc::waitpid(pid, &mut status, 0) };

    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut byte = [0u8; 1];
        let answer = ready_rx.read_exact(&mut byte).map(|()| byte[0]);
        let _ = tx.send(answer);
    });
    match rx.recv_timeout(READY_TIMEOUT) {
        Ok(Ok(b'1')) => Ok(()),
        Ok(_) => Err("the background holder could not take the clipboard".into()),
        Err(_) => Err("the background holder did not answer in time".into()),
    }
}

/// The grandchild: own the selection, tell the parent, serve until replaced, exit.
#[cfg(all(unix, not(target_os = "macos")))]
fn hold(text: &str, mut ready: std::io::PipeWriter) -> ! {
    use std::io::Write;

    detach_from_caller(&ready);
    let mut clipboard = arboard::Clipboard::new().ok();
    let owned = clipboard.as_mut().is_some_and(|c| c.set_text(text).is_ok());
    let _ = ready.write_all(if owned { b"1" } else { b"0" });
    drop(ready);
    let code = match clipboard.as_mut() {
        Some(c) if owned => {
            serve_until_replaced(c, text);
            0
        }
        _ => 1,
    };
    // SAFETY: leave without running the parent's exit handlers or flushing its buffers.
    unsafe { libc::_exit(code) }
}

/// Serve the copy until another program takes the clipboard, the display goes away, or
/// [`MAX_HOLD`] has passed.
#[cfg(all(unix, not(target_os = "macos")))]
fn serve_until_replaced(clipboard: &mut arboard::Clipboard, text: &str) {
    use arboard::SetExtLinux;
    use std::time::Instant;

    let started = Instant::now();
    while started.elapsed() < MAX_HOLD {
        // Returns when the copy is replaced, or at the deadline.
        if clipboard
            .set()
            .wait_until(Instant::now() + RECHECK)
            .text(text)
            .is_err()
        {
            return;
        }
        match clipboard.get_text() {
            Ok(current) if current == text => continue,
            _ => return,
        }
    }
}

/// A new session, stdio on /dev/null and every other inherited descriptor closed (but the
/// readiness pipe): the holder must not keep the agent's terminal, a caller's output pipes or
/// cargo's jobserver open.
#[cfg(all(unix, not(target_os = "macos")))]
fn detach_from_caller(ready: &std::io::PipeWriter) {
    use std::os::fd::AsRawFd;

    let keep = ready.as_raw_fd();
    // SAFETY: plain syscalls on descriptor numbers; closing one we do not use is harmless,
    // and the only descriptor Rust code here still owns (`ready`) is skipped.
    unsafe {
        libc::setsid();
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
        }
        for fd in 3..1024 {
            if fd != keep {
                libc::close(fd);
            }
        }
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn hold_in_background(_text: &str) -> Result<(), String> {
    Err("not needed on this system".into())
}
