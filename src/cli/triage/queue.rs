//! An ordered work queue: worker threads claim inputs by index and deliver each one's
//! printed form; the printing thread takes them back in input order.
//!
//! Why not fixed batches: a batch ends when its slowest input is done, so one core idled at
//! the end of every batch, and the printing and the start-up (playbooks, classifier) ran
//! while no input was being parsed. Here the workers never wait for each other; they only
//! stop running ahead of the printer by more than [`WINDOW`] inputs, which bounds memory on
//! huge directories.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

/// How far the workers may run ahead of the printed output, in inputs.
pub const WINDOW: usize = 512;

/// One input's printed form and whether it could be read and parsed.
pub type Done = (Vec<u8>, bool);

#[derive(Default)]
struct State {
    /// The next index to hand out.
    next: usize,
    /// Inputs printed so far (the printer's position).
    printed: usize,
    delivered: BTreeMap<usize, Done>,
    /// Set when whatever the workers wait for (see [`Queue::open`]) is available.
    open: bool,
    /// The printer has stopped (closed pipe, write error): workers finish at once.
    cancelled: bool,
    /// The index the printer is waiting for, if it waits.
    printer_waits_for: Option<usize>,
    /// Workers waiting in [`Queue::claim`].
    claimers_waiting: usize,
}

pub struct Queue {
    len: usize,
    state: Mutex<State>,
    /// Signalled when a worker may claim more (opened, printed, cancelled).
    claimable: Condvar,
    /// Signalled when a worker delivers.
    delivered: Condvar,
}

impl Queue {
    pub fn new(len: usize) -> Queue {
        Queue {
            len,
            state: Mutex::new(State::default()),
            claimable: Condvar::new(),
            delivered: Condvar::new(),
        }
    }

    /// A poisoned lock only means another thread panicked while holding it; the state is
    /// plain data and still consistent, so carry on with it.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next index to work on, waiting while the workers are too far ahead of the
    /// printer; `None` when all are handed out or the run was cancelled.
    pub fn claim(&self) -> Option<usize> {
        let mut s = self.lock();
        loop {
            if s.cancelled || s.next >= self.len {
                return None;
            }
            if s.next < s.printed + WINDOW {
                s.next += 1;
                return Some(s.next - 1);
            }
            s.claimers_waiting += 1;
            s = self.claimable.wait(s).unwrap_or_else(|e| e.into_inner());
            s.claimers_waiting -= 1;
        }
    }

    /// Like [`Queue::claim`] without waiting: `None` also when the window is full.
    pub fn try_claim(&self) -> Option<usize> {
        let mut s = self.lock();
        if s.cancelled || s.next >= self.len || s.next >= s.printed + WINDOW {
            return None;
        }
        s.next += 1;
        Some(s.next - 1)
    }

    /// Wait until [`Queue::open`]; false if the run was cancelled first.
    pub fn wait_open(&self) -> bool {
        let mut s = self.lock();
        while !s.open && !s.cancelled {
            s = self.claimable.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        !s.cancelled
    }

    /// Let the workers past [`Queue::wait_open`] (the shared state they need is ready).
    pub fn open(&self) {
        self.lock().open = true;
        self.claimable.notify_all();
    }

    /// Hand in input `index`'s result. The printer is woken only when it waits for this
    /// very index: a wake-up per input cost more than the printing itself.
    pub fn deliver(&self, index: usize, done: Done) {
        let mut s = self.lock();
        s.delivered.insert(index, done);
        let wanted = s.printer_waits_for == Some(index);
        drop(s);
        if wanted {
            self.delivered.notify_one();
        }
    }

    /// The printed form of input `index`, waiting for it. Call with 0, 1, 2, ... in turn.
    pub fn take(&self, index: usize) -> Done {
        let mut s = self.lock();
        loop {
            if let Some(done) = s.delivered.remove(&index) {
                self.printed_up_to(s, index);
                return done;
            }
            s.printer_waits_for = Some(index);
            s = self.delivered.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Like [`Queue::take`] without waiting.
    pub fn try_take(&self, index: usize) -> Option<Done> {
        let mut s = self.lock();
        let done = s.delivered.remove(&index)?;
        self.printed_up_to(s, index);
        Some(done)
    }

    /// Move the window on past `index`, releasing workers that wait for room.
    fn printed_up_to(&self, mut s: MutexGuard<'_, State>, index: usize) {
        s.printed = index + 1;
        s.printer_waits_for = None;
        let blocked = s.claimers_waiting > 0;
        drop(s);
        if blocked {
            self.claimable.notify_all();
        }
    }

    /// Stop handing out work and release every waiting worker.
    pub fn cancel(&self) {
        self.lock().cancelled = true;
        self.claimable.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivers_in_input_order_whatever_the_finishing_order() {
        let n = 2_000;
        let queue = Queue::new(n);
        let taken = std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    assert!(queue.wait_open());
                    while let Some(i) = queue.claim() {
                        // Uneven work, so that later inputs often finish first.
                        if i % 7 == 0 {
                            std::thread::yield_now();
                        }
                        queue.deliver(i, (i.to_string().into_bytes(), i % 2 == 0));
                    }
                });
            }
            queue.open();
            (0..n).map(|i| queue.take(i)).collect::<Vec<_>>()
        });
        for (i, (text, ok)) in taken.iter().enumerate() {
            assert_eq!(text, i.to_string().as_bytes());
            assert_eq!(*ok, i % 2 == 0);
        }
    }

    #[test]
    fn workers_never_run_more_than_the_window_ahead() {
        let queue = Queue::new(WINDOW * 3);
        queue.open();
        for i in 0..WINDOW {
            assert_eq!(queue.claim(), Some(i));
        }
        // The window is full: a claim would wait. Cancelling releases it with nothing.
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| queue.claim());
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!waiting.is_finished());
            queue.cancel();
            assert_eq!(waiting.join().ok().flatten(), None);
        });
    }

    #[test]
    fn cancelling_releases_workers_waiting_to_start() {
        let queue = Queue::new(10);
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| queue.wait_open());
            queue.cancel();
            assert_eq!(waiting.join().ok(), Some(false));
        });
    }
}
