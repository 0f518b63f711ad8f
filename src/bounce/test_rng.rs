//! A tiny deterministic generator for the unit tests that hold a fast path equal to the
//! code it replaced over many generated inputs: every run sees the same inputs, and no
//! crate is needed.

pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// `seed` must not be zero (xorshift would stay at zero).
    pub(crate) fn new(seed: u64) -> Self {
        Xorshift(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (not zero), from the better-mixed high bits.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        // 48 bits fit a usize on every target this builds for.
        usize::try_from(self.next_u64() >> 16).unwrap_or(usize::MAX) % n
    }

    /// One of `from` (not empty).
    pub(crate) fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}
